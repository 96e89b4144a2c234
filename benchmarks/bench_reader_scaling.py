"""Does the text reader stay linear in the size of its input? Time and peak memory of reading ever larger agendas.

Builds text agendas of 1k, 5k, 20k and 100k lines and of 10 MB from realistic agenda lines (day headings, numbered
items with times, descriptions, speaker lists) in two shapes: ``programme`` (a few description lines per item) and
``joined`` (five items, each followed by a run of a fifth of the agenda's lines: lower-case lines with a blank line
between them, as PDF extraction often leaves a wrapped paragraph; a reader may join them to the item, and this is
the case the audit found quadratic).
Each size is read by ``calsync.reading.read_agenda`` in its own process, killed after ``--timeout`` seconds, so one
slow size cannot hold up the rest; peak memory is that process's maximum resident set.

The last column compares each step with the one before: (time ratio) / (size ratio), so 1.0 is linear and 4.0 at a
4x step is quadratic. Run: ``python benchmarks/bench_reader_scaling.py [--timeout 120] [--shapes programme,joined]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (
    ("1k lines", 1_000, None),
    ("5k lines", 5_000, None),
    ("20k lines", 20_000, None),
    ("100k lines", 100_000, None),
    ("10 MB", None, 10 * 1024 * 1024),
)
RUNS = {"programme": 3, "joined": 0}  # continuation lines under each item; 0: a fifth of the whole agenda

TITLES = (
    "Opening remarks by the Chair",
    "Adoption of the agenda",
    "Report of the working group on data",
    "Panel: financing the transition",
    "Coffee break",
    "Regional perspectives",
    "Questions from the floor",
    "Presentation of the draft resolution",
    "Lunch",
    "Closing and next steps",
)
# Lower-case description lines, each different (a line repeated on many pages is a running header, which readers
# drop) and without day or month names (a line with a date is never joined): the runs a reader may join.
OPENINGS = (
    "the chair recalls",
    "delegations discuss",
    "the secretariat presents",
    "members consider",
    "the rapporteur summarises",
    "participants review",
    "the panel examines",
    "observers comment on",
)
SUBJECTS = (
    "the mandate given by the plenary",
    "the draft text and its amendments",
    "the calendar of the work",
    "the informal consultations",
    "the financing of the programme",
    "the report of the working group",
    "the regional perspectives",
    "the guidelines for the review",
)
ENDINGS = (
    "and invites comments",
    "with the written contributions",
    "before the next session",
    "as requested by the bureau",
    "for a decision by consensus",
    "in the light of the discussion",
)


def continuation(n: int) -> str:
    """The n-th description line: every one different, in the words of a real programme."""
    return f"{OPENINGS[n % 8]} {SUBJECTS[(n // 8) % 8]} {ENDINGS[(n // 64) % 6]}, paragraph {n // 384 + 1} of the annex"


SPEAKERS = "Speakers: Ana Pérez (Colombia), Kwame Mensah (Ghana), Jürgen Weiß (Germany), Aiko Tanaka (Japan)"

CHILD = r"""
import json, resource, sys, time
from datetime import date
from calsync.reading import ReadOptions, read_agenda
from calsync.errors import CalsyncError
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    agenda = read_agenda(sys.argv[1], ReadOptions(today=date(2026, 1, 1)))
    result = {"blocks": len(agenda.blocks)}
except CalsyncError as e:
    result = {"error": e.sentence()[:120]}
result["seconds"] = time.perf_counter() - start
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
result["base_mb"] = base / 1024
print(json.dumps(result))
"""


def agenda_text(shape: str, lines: int | None = None, size: int | None = None) -> str:
    """An agenda of about ``lines`` lines or ``size`` bytes: days of items from 08:00, ten hours a day."""
    run = RUNS[shape] or (lines // 10 if lines is not None else (size or 0) // 10 // 95)
    out = ["# Scaling test: annual programme of the working groups", "", "All times are CET (Europe/Brussels).", ""]
    length = sum(len(line) + 1 for line in out)
    day = date(2026, 9, 7)
    item = 0

    def add(line: str) -> None:
        nonlocal length
        out.append(line)
        length += len(line.encode()) + 1

    def room() -> bool:
        return (len(out) < lines) if lines is not None else (length < (size or 0))

    while room():
        add(f"## {day:%A}, {day.day} {day:%B %Y}")
        add("")
        for slot in range(40):  # 40 quarter-hours a day from 08:00
            if not room():
                break
            item += 1
            start = 8 * 60 + slot * 15
            end = start + 15
            add(
                f"{start // 60:02d}:{start % 60:02d} – {end // 60:02d}:{end % 60:02d} "
                f"{item}. {TITLES[item % len(TITLES)]}"
            )
            for _k in range(run):
                if not room():
                    break
                add(continuation(len(out)))
                if shape == "joined":
                    add("")
            if item % 3 == 0:
                add(SPEAKERS)
            add("")
        day += timedelta(days=1)
    return "\n".join(out) + "\n"


def measure(path: Path, timeout: float) -> dict[str, object]:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    except subprocess.TimeoutExpired:
        return {"timeout": True, "seconds": time.perf_counter() - started}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["crashed"])[-1][:120]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per size (default 120)")
    parser.add_argument("--shapes", default="programme,joined", help="comma-separated: programme, joined")
    args = parser.parse_args()
    print(
        f"text reader scaling (each size in its own process, timeout {args.timeout:g} s; "
        f"ratio = time step / size step, 1.0 linear)"
    )
    print(
        f"{'size':<11}{'shape':<11}{'lines':>9}{'MB':>7}{'blocks':>8}{'time s':>9}{'ms/1k lines':>12}"
        f"{'peak MB':>9}{'ratio':>7}  note"
    )
    with tempfile.TemporaryDirectory() as folder:
        for shape in [s.strip() for s in args.shapes.split(",") if s.strip()]:
            previous: tuple[int, float] | None = None
            for label, lines, size in SIZES:
                text = agenda_text(shape, lines, size)
                path = Path(folder) / f"{shape}-{label.replace(' ', '')}.md"
                path.write_text(text, encoding="utf-8")
                count = text.count("\n")
                result = measure(path, args.timeout)
                seconds = float(result.get("seconds", 0.0))  # type: ignore[arg-type]
                if result.get("timeout"):
                    shown, note = f">{args.timeout:g}", "timed out"
                else:
                    shown, note = f"{seconds:.2f}", str(result.get("error", ""))
                ratio = ""
                if previous and not result.get("timeout") and previous[1] > 0:
                    ratio = f"{(seconds / previous[1]) / (count / previous[0]):.2f}"
                per = f"{seconds * 1000 / (count / 1000):.1f}" if not result.get("timeout") else "-"
                peak = f"{result['peak_mb']:.0f}" if "peak_mb" in result else "-"
                print(
                    f"{label:<11}{shape:<11}{count:>9,}{len(text.encode()) / 1048576:>7.1f}"
                    f"{result.get('blocks', '-')!s:>8}{shown:>9}{per:>12}{peak:>9}{ratio:>7}  {note}",
                    flush=True,
                )
                previous = None if result.get("timeout") else (count, seconds)


if __name__ == "__main__":
    main()
