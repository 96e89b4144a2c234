"""Stage 1: agenda text (Markdown, or what PDF, Word and HTML pages were turned into) -> lines with their markup facts.

Each :class:`Line` keeps its number in the file, its text with the Markdown decoded, and what the markup said about it
(heading level, bold, bullet, table cells, links). Page furniture (headers and footers repeated on every page, page
numbers, handles) is marked so later stages can skip it. A table flattened by copy-paste (one cell per line, rows
split by lone ``|`` lines) is put back together as table rows here, so later stages see a table either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .. import regexcache
from .clock import find_times
from .vocabulary import PAGE, PAGE_OF, alternation

_BOLD = regexcache.compile(
    r"(?<![\w*\\])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])|(?<![\w_\\])__(?=\S)(.+?)(?<=\S)__(?![\w_])"
)
_EMPHASIS = regexcache.compile(
    r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])|(?<![\w_\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])"
)
_LINK = regexcache.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_AUTOLINK = regexcache.compile(r"<(https?://[^>\s]+)>")
_ESCAPE = regexcache.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
_BULLET = regexcache.compile(r"^(?:[-*+•·▪◦‣►➢✓–]|\d{1,2}\)|[a-z]\))\s+")
_HEADING = regexcache.compile(r"^(#{1,6})\s+")
_TABLE_RULE = regexcache.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_PAGE = regexcache.compile(
    rf"""
    \b(?:{alternation(PAGE)})\s+\d+                    # "Page 2", "Seite 2" (vocabulary.PAGE)
      (?:\s*(?:/|{alternation(PAGE_OF)})\s*\d+)?\b      # "of 3", "von 3", "/ 3"
    | ^\s*[-–]?\s*\d{{1,3}}\s*(?:/\s*\d{{1,3}})?\s*[-–]?\s*$   # a line that is only "2", "- 2 -", "2/3"
    """,
    re.I | re.X,
)
_LABELLED = regexcache.compile(r"^[^\W\d][\w &/'’.-]{0,30}\s*:\s+\S")
URL = regexcache.compile(r"https?://[^\s<>()\"'\]\[|*]+", re.I)
# C0 and C1 control characters other than tab: never part of an agenda, and never to reach a file or a terminal
_CONTROL = regexcache.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class Line:
    """One line of the agenda with its Markdown decoded and what kind of line it looks like."""

    no: int
    raw: str
    text: str
    heading: int = 0
    bold: bool = False  # the whole line in **bold**
    italic: bool = False  # the whole line in *emphasis*
    lead_bold: bool = False  # "**Dr. Jonas Keller**, Deutscher Wetterdienst": a bold name, then its role
    lead_label: bool = False  # "**Objectif :** Partager …": a bold label, then plain text
    bullet: bool = False
    table: bool = False
    furniture: bool = False
    urls: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()  # a table row's cells, markup decoded
    header: tuple[str, ...] = ()  # the header cells of the table this row belongs to
    blank_before: bool = True  # an empty line (or the start) right before it: a paragraph starts here
    front_matter: bool = False  # in the YAML front matter of a Jekyll/Hugo page: about the page, not the meeting

    @property
    def content(self) -> bool:
        """Whether the line has text that is part of the agenda."""
        return bool(self.text) and not self.furniture


def clean_url(url: str) -> str:
    """A URL as found in text, without the punctuation or markup that followed it ("https://zoom.us/j/1**.")."""
    url = url.rstrip(".,;:!?*_'\"")
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url


def decode_markup(raw: str) -> tuple[str, int, bool, bool, bool, tuple[str, ...]]:
    """Text, heading level, bold, bullet, table and URLs of one line of Markdown."""
    s = _CONTROL.sub("", raw).strip()
    urls = tuple(clean_url(u) for u in URL.findall(s))
    heading = 0
    m = _HEADING.match(s)
    if m:
        heading = len(m.group(1))
        s = s[m.end() :].strip().rstrip("#").strip()
    table = False
    if s.startswith("|") or s.endswith(" |") or s == "|":
        table = True
        s = " ".join(c.strip() for c in s.strip("|").split("|") if c.strip())
    bullet = False
    m = _BULLET.match(s)
    if m and not re.match(r"^\d{1,2}\)\s*\d", s) and not (s[0] == "–" and find_times(s[:12])):
        bullet = True
        s = s[m.end() :]
    s = _AUTOLINK.sub(r"\1", s)
    s = _LINK.sub(lambda mm: mm.group(1) or mm.group(2), s)
    bold = bool(re.fullmatch(r"(\*\*|__)(?!\*)(.+?)(?<!\*)\1[.:]?", s)) and "**" not in s[2:-2]
    for _ in range(2):
        s = _BOLD.sub(lambda mm: mm.group(1) or mm.group(2), s)
        s = _EMPHASIS.sub(lambda mm: mm.group(1) or mm.group(2), s)
    s = _ESCAPE.sub(r"\1", s)
    s = s.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    s = " ".join(s.split())
    return s, heading, bold, bullet, table, urls


def read_lines(text: str | list[tuple[int, str]]) -> list[Line]:
    """The agenda's lines with markup decoded and furniture marked, numbered as in the file (from 1 for plain text;
    as given for (number, line) pairs, as the HTML reader gives them)."""
    if isinstance(text, str):
        numbered = list(enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1))
    else:
        numbered = text
    lines: list[Line] = []
    in_comment = False
    header: tuple[str, ...] = ()
    previous_blank = True
    for no, raw in numbered:
        stripped = raw.strip()
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            lines.append(Line(no, raw, "", furniture=True))
            continue
        if _TABLE_RULE.match(stripped) and "-" in stripped:
            lines.append(Line(no, raw, "", furniture=True))
            if len(lines) >= 2 and lines[-2].table and not find_times(lines[-2].text):
                lines[-2].furniture = True  # the table's header row ("| Zeit | Veranstaltung |")
                header = lines[-2].cells
            continue
        s, heading, bold, bullet, table, urls = decode_markup(raw)
        cells: tuple[str, ...] = ()
        if table:
            inner = stripped[1:] if stripped.startswith("|") else stripped
            inner = inner[:-1] if inner.endswith("|") else inner
            cells = tuple(decode_markup(c)[0] for c in inner.split("|"))  # empty cells kept: columns stay aligned
            cells = cells if any(cells) else ()
        elif "\t" in raw.strip():
            cells = tuple(c for c in (decode_markup(c)[0] for c in raw.strip().split("\t")) if c)
            table = len(cells) >= 2
            cells = cells if table else ()
        if not table:
            header = ()
        body = re.sub(r"^\s*(?:[-*+•]\s+)?", "", stripped)
        italic = bool(re.fullmatch(r"(?:\*(?!\*)[^*]+\*|_(?!_)[^_]+_)[.,;]?", body))
        lead_bold = bool(re.match(r"(\*\*|__)[^*_]+[^*_:]\1\s*[,(–-]", body))
        lead_label = bool(re.match(r"(\*\*|__)[^*_]+?(?::\s*\1|\1\s*:)\s*\S", body))
        lines.append(
            Line(
                no,
                raw,
                s,
                heading,
                bold,
                italic,
                lead_bold,
                lead_label,
                bullet,
                table,
                urls=urls,
                cells=cells,
                header=header,
                blank_before=previous_blank,
            )
        )
        previous_blank = not s
    _mark_front_matter(lines)
    _rejoin_flattened_tables(lines)
    _mark_furniture(lines)
    return _unroll_run_on(lines)


def _mark_front_matter(lines: list[Line]) -> None:
    """The ``---`` block a static-site page starts with (its date is when the page was posted)."""
    first = next(
        (k for k, line in enumerate(lines) if line.raw.strip() and not line.raw.lstrip().startswith("<!--")), None
    )  # after any comment lines
    if first is None or lines[first].raw.strip() != "---":
        return
    end = next((k for k in range(first + 1, min(len(lines), first + 60)) if lines[k].raw.strip() == "---"), None)
    if end is None:
        return
    for k in range(first, end + 1):
        lines[k].front_matter = True
        if lines[k].raw.strip() == "---":
            lines[k].text = ""


def _rejoin_flattened_tables(lines: list[Line]) -> None:
    """Rows of a table pasted one cell per line, split by lone ``|`` lines, become table rows again.

    The first line of each row carries the row's cells; the row's other lines are marked as furniture (they are in it).
    """
    separators = [i for i, line in enumerate(lines) if line.raw.strip() == "|"]
    if len(separators) < 3:
        return
    for lo, hi in zip(separators, separators[1:], strict=False):
        members = [i for i in range(lo + 1, hi) if lines[i].text]
        if not 2 <= len(members) <= 8 or any("|" in lines[i].raw for i in members):
            continue  # rows whose lines carry their own pipes are rows already
        first = lines[members[0]]
        cells = tuple(lines[i].text for i in members)
        lines[members[0]] = replace(first, text=" ".join(cells), cells=cells, table=True, bold=False)
        for i in members[1:]:
            lines[i].furniture = True
    for i in separators:
        lines[i].furniture = True
        lines[i].text = ""


def _mark_furniture(lines: list[Line]) -> None:
    """Page headers and footers, page numbers, hashtags and handles: not part of any block."""
    counts: dict[str, int] = {}
    for line in lines:
        if line.text:
            key = line.text.lower()
            counts[key] = counts.get(key, 0) + 1
    texts = [k for k, line in enumerate(lines) if line.text]
    for n, k in enumerate(texts):
        line = lines[k]
        t = line.text
        if line.furniture:
            continue
        if (
            (_PAGE.search(t) and len(t) <= 80)
            or re.fullmatch(r"[#@][\w.]+(\s*[#@][\w.]+)*", t)
            or re.fullmatch(r"(?:https?://|www\.)\S+", t, re.I)
            or (
                counts[t.lower()] >= 2
                and not find_times(t)
                and len(t) < 120
                and not line.heading
                and not line.bold
                and not line.table
                and not line.bullet
                and not _LABELLED.match(t)  # "Moderator: Jane Roe" under two blocks is content, not a page header
                and not _beside_time(lines, texts, n)
            )  # "Coffee break" under each of its times is a title
        ):
            line.furniture = True


def _beside_time(lines: list[Line], texts: list[int], n: int) -> bool:
    """Whether the line with text next to this one (above or below) has a time: this one is then an item's title."""
    return any(0 <= m < len(texts) and find_times(lines[texts[m]].text) for m in (n - 1, n + 1))


def _unroll_run_on(lines: list[Line]) -> list[Line]:
    """A whole programme run together on one line (PDF extraction, a newspaper listing) as one line per item.

    It is cut before each time ("8h30 : Accueil café 9h : Mots d'accueil …"), or, where the title comes before its
    time ("Armed Services -- 10:30 a.m. Open. …"), at the end of the sentence before the title.
    """
    out: list[Line] = []
    for line in lines:
        pieces = _run_on_pieces(line.text) if line.content and len(line.text) >= 150 and not line.table else None
        if not pieces:
            out.append(line)
            continue
        for n, piece in enumerate(pieces):
            out.append(
                replace(
                    line,
                    text=piece,
                    blank_before=line.blank_before if n == 0 else False,
                    heading=line.heading if n == 0 else 0,
                    bold=False,
                    urls=line.urls if n == 0 else (),
                )
            )
    return out


def _run_on_pieces(text: str) -> list[str] | None:
    mentions = [m for m in find_times(text) if m.a.strong and not m.problem]
    if len(mentions) < 3:
        return None
    cuts: list[int] = []
    for m in mentions:
        before = text[: m.lead]
        if re.search(r"\s(?:--|–|—)\s*$", before):
            ends = [e.end() for e in re.finditer(r"[.;!?](?=\s*[A-ZÀ-Ý])", before)]
            cut = ends[-1] if ends else 0
        else:
            cut = m.lead
        if not cuts or cut > cuts[-1]:
            cuts.append(cut)
    bounds = [0, *cuts, len(text)]
    pieces = [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return [p for p in pieces if p] if len(pieces) > 2 else None
