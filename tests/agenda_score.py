"""Scoring the reader against hand-written expectations (tests/data and the blind set): one place for both.

An expectation (conventions in tests/data/blind/README.md) lists each day's blocks in source order. The reader's
blocks are aligned to them in order; a block is *exact* when its date (where the expectation knows it), start, end
(or "no end written" = an inferred end) and title (compared leniently) all agree. A wrong block is *silent* when the
reader gave no warning at its line: the figure that matters most.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from calsync.errors import CalsyncError
from calsync.model import Agenda, Block
from calsync.reading import ReadOptions, read_agenda

TODAY = date(2026, 12, 1)
AGENDA_SUFFIXES = (".md", ".txt", ".html", ".htm")


def norm(title: str) -> str:
    t = unicodedata.normalize("NFKD", title)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = re.sub(r"^(session|sesion|seance|sitzung)\s+[ivx\d]+\s*:\s*", "", t)
    t = re.sub(r"[\"“”„«»'’*_`]", "", t)
    t = re.sub(r"[^\w]+", " ", t)
    return " ".join(t.split()).strip()


def same_title(got: str, want: str | None) -> bool:
    """Lenient: one title starts with or contains the other once both are normalised."""
    if want is None:
        return True
    g, w = norm(got), norm(want)
    if not g or not w:
        return g == w
    return g.startswith(w) or w.startswith(g) or w in g or (len(g) >= 12 and g in w)


@dataclass
class Expected:
    date: str | None
    start: str
    end: str | None
    title: str | None
    optional: bool = False
    closing: bool = False


@dataclass
class FileScore:
    name: str
    expected: int = 0  # blocks that count (optional ones do not)
    exact: int = 0
    wrong_warned: int = 0
    wrong_silent: int = 0
    missing: int = 0
    extra_warned: int = 0
    extra_silent: int = 0
    refused: str | None = None  # the error, when the reader refused the file
    details: list[str] = field(default_factory=list)

    @property
    def silent(self) -> int:
        return self.wrong_silent + self.extra_silent


def options_for(exp: dict) -> ReadOptions:
    """What a person would pass on the command line for what the agenda itself leaves out."""
    meeting_tz = None
    if not exp.get("timezone_as_written"):
        # a person passes the zone the agenda leaves out; where nobody can tell it, any zone (instants not compared)
        meeting_tz = exp.get("iana_timezone_guess") or "Etc/UTC"
    known = [d["date"] for d in exp["days"] if d.get("date")]
    day = None
    if exp.get("date_source") == "outside" and known:
        day = date.fromisoformat(min(known))  # --date names the programme's first day
    elif not known:
        day = date(2024, 1, 1)  # any date: the expectation cannot say which, so dates are not compared
    return ReadOptions(meeting_tz=meeting_tz, date=day, today=TODAY)


def expected_blocks(exp: dict) -> list[Expected]:
    return [
        Expected(
            day.get("date"), b["start"], b.get("end"), b.get("title"), bool(b.get("optional")), bool(b.get("closing"))
        )
        for day in exp["days"]
        for b in day["blocks"]
    ]


def agenda_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in AGENDA_SUFFIXES and p.name != "README.md" and (folder / f"{p.stem}.expected.json").exists()
    )


def score_file(path: Path, options: ReadOptions | None = None) -> FileScore:
    """Read one agenda (with what a person would pass for what it leaves out) and compare with its expectation."""
    exp = json.loads(path.with_name(f"{path.stem}.expected.json").read_text(encoding="utf-8"))
    wanted = expected_blocks(exp)
    result = FileScore(path.name, expected=sum(1 for w in wanted if not w.optional and not w.closing))
    try:
        agenda = read_agenda(path, options or options_for(exp))
    except CalsyncError as e:
        result.refused = e.sentence()
        result.missing = result.expected
        return result
    return _compare(result, agenda, wanted, exp)


def _compare(result: FileScore, agenda: Agenda, wanted: list[Expected], exp: dict) -> FileScore:
    blocks = list(agenda.blocks)
    warned = {w.line for w in agenda.warnings if w.line is not None}
    dates_known = any(d.get("date") for d in exp["days"])
    pairs = _align_by_day(wanted, blocks) if dates_known else _align(wanted, blocks)
    matched_blocks = {j for _, j in pairs}
    matched_wanted = {i for i, _ in pairs}
    closing_used = set()
    for i, w in enumerate(wanted):
        if i in matched_wanted or not w.closing:
            continue
        if any(f"{b.end:%H:%M}" == w.start for b in blocks):
            closing_used.add(i)  # used as the end of the block before it: as good as a block
    for i, j in pairs:
        w, b = wanted[i], blocks[j]
        problems = _differences(w, b, dates_known)
        if w.optional or (w.closing and not problems):
            if w.closing and not problems:
                result.exact += 1
                result.expected += 1
            continue
        if not problems:
            result.exact += 1
        elif b.line in warned:
            result.wrong_warned += 1
            result.details.append(f"  warned  line {b.line}: {', '.join(problems)}")
        else:
            result.wrong_silent += 1
            result.details.append(f"  SILENT  line {b.line}: {', '.join(problems)}")
    for i, w in enumerate(wanted):
        if i not in matched_wanted and not w.optional and i not in closing_used:
            if not w.closing:
                result.missing += 1
                result.details.append(f"  missing {w.date or ''} {w.start} {w.title!r}")
    for j, b in enumerate(blocks):
        if j in matched_blocks:
            continue
        if b.line in warned:
            result.extra_warned += 1
            result.details.append(f"  extra (warned) line {b.line}: {b.start:%H:%M} {b.title!r}")
        else:
            result.extra_silent += 1
            result.details.append(f"  EXTRA   line {b.line}: {b.start:%H:%M} {b.title!r}")
    return result


def _hm(text: str) -> str:
    return "00:00" if text == "24:00" else text  # "24:00" written as the end: midnight, whichever way it is shown


def _differences(w: Expected, b: Block, dates_known: bool) -> list[str]:
    problems = []
    if dates_known and w.date and b.start.date().isoformat() != w.date:
        problems.append(f"date {b.start.date()} != {w.date}")
    if f"{b.start:%H:%M}" != w.start:
        problems.append(f"start {b.start:%H:%M} != {w.start}")
    if w.end is None:
        if not b.end_inferred:
            problems.append(f"end {b.end:%H:%M} given, none written")
    elif b.end_inferred or f"{b.end:%H:%M}" != _hm(w.end):
        problems.append(f"end {b.end:%H:%M}{' (inferred)' if b.end_inferred else ''} != {w.end}")
    if not same_title(b.title, w.title):
        problems.append(f"title {b.title!r} != {w.title!r}")
    return problems


def _align_by_day(wanted: list[Expected], blocks: list[Block]) -> list[tuple[int, int]]:
    """Align day by day: blocks are in source order within a day, but a programme may list a day twice (a general
    programme, then the talks), which an expectation may group differently. Undated expectations align as a whole."""
    days = sorted({w.date for w in wanted if w.date} | {b.start.date().isoformat() for b in blocks})
    pairs: list[tuple[int, int]] = []
    for day in days:
        wi = [i for i, w in enumerate(wanted) if w.date == day]
        bj = [j for j, b in enumerate(blocks) if b.start.date().isoformat() == day]
        pairs += [(wi[i], bj[j]) for i, j in _align([wanted[i] for i in wi], [blocks[j] for j in bj])]
    rest_w = [i for i, w in enumerate(wanted) if not w.date]
    if rest_w:
        used = {j for _, j in pairs}
        rest_b = [j for j in range(len(blocks)) if j not in used]
        pairs += [(rest_w[i], rest_b[j]) for i, j in _align([wanted[i] for i in rest_w], [blocks[j] for j in rest_b])]
    return sorted(pairs)


def _align(wanted: list[Expected], blocks: list[Block]) -> list[tuple[int, int]]:
    """Pairs (expected, read) in order, maximising agreement: a global alignment with no gap penalty."""
    n, m = len(wanted), len(blocks)

    def similarity(w: Expected, b: Block) -> float:
        start = f"{b.start:%H:%M}" == w.start
        title = w.title is not None and same_title(b.title, w.title)
        return (2.0 if start else 0.0) + (1.5 if title else 0.0) + (0.1 if start or title else 0.0)

    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = similarity(wanted[i], blocks[j])
            best[i][j] = max(best[i + 1][j], best[i][j + 1], (best[i + 1][j + 1] + s) if s > 0 else 0.0)
    pairs = []
    i = j = 0
    while i < n and j < m:
        s = similarity(wanted[i], blocks[j])
        if s > 0 and best[i][j] == best[i + 1][j + 1] + s:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


@dataclass
class SetScore:
    files: list[FileScore]

    @property
    def expected(self) -> int:
        return sum(f.expected for f in self.files)

    @property
    def exact(self) -> int:
        return sum(f.exact for f in self.files)

    @property
    def silent(self) -> int:
        return sum(f.silent for f in self.files)

    @property
    def missing(self) -> int:
        return sum(f.missing for f in self.files)

    @property
    def refused(self) -> list[FileScore]:
        return [f for f in self.files if f.refused]

    @property
    def exact_share(self) -> float:
        return self.exact / self.expected if self.expected else 1.0


def score_folder(folder: Path) -> SetScore:
    return SetScore([score_file(p) for p in agenda_files(folder)])
