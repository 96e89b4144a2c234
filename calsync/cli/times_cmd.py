"""``calsync times``: when each block starts where each participant is."""

from __future__ import annotations

import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path

import typer

from ..errors import UsageError
from .app import (
    AgendaInput,
    OutputOpt,
    ParticipantsOpt,
    TzOpt,
    app,
    check_zones,
    emit,
    note,
    reports_errors,
    takes_agenda,
    wrote,
)


class TimesFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    html = "html"


@app.command("times")
@reports_errors
@takes_agenda(lang=True)
def times(
    source: AgendaInput,
    tz: list[str] = TzOpt,
    participants: Path | None = ParticipantsOpt,
    work_hours: str = typer.Option(
        "08:00-20:00", "--work-hours", metavar="HH:MM-HH:MM", help="Local working hours; blocks outside are flagged."
    ),
    fmt: TimesFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        case_sensitive=False,
        show_default=False,
        help="Output format. Default: from the -o file's extension (.txt, .csv, .json, .md, .html), else table.",
    ),
    output: Path | None = OutputOpt,
) -> None:
    """Show each block's local time for every participant's zone, flagging early, late and night hours."""
    from ..render import render_times
    from ..zones import local_times, parse_work_hours, participant_zones

    hours = parse_work_hours(work_hours)  # checked before reading, so a typo fails fast
    check_zones(tz)
    chosen = fmt.value if fmt is not None else format_for(output)
    parsed = source.load()
    zones = participant_zones(parsed, tuple(tz), participants)
    if not source.quiet:
        if len(zones) == 1:
            note("calsync: note: the agenda names no participants' countries; add --tz ZONE or --participants FILE")
        # What the organiser can do about a zone choice goes here, never into the participants' page or e-mail.
        for z in zones:
            if z.hint:
                note(f"calsync: note: {z.hint}")
    to_terminal = output is None or str(output) == "-"
    tty = to_terminal and sys.stdout.isatty()
    # COLUMNS, when set, wins (also when piped); a terminal's own width next; 80 otherwise.
    width = shutil.get_terminal_size((80, 24)).columns if tty else _columns_env() or 80
    color = tty and "NO_COLOR" not in os.environ
    rows = local_times(parsed, zones, hours)
    if chosen == "html":
        from ..site import render_times_html  # the page is a template, shared with 'calsync publish'

        # its labels of zones in every language, so the page can show its viewer's
        text = render_times_html(
            parsed, rows, zones, hours, zones_for=lambda a: participant_zones(a, tuple(tz), participants)
        )
    else:
        text = render_times(chosen, parsed, rows, zones, hours, width=width, color=color)
    emit(text, output)
    wrote(output, f"{chosen}, {len(parsed.blocks)} blocks × {len(zones)} zones", source.quiet)


_EXTENSIONS = {
    ".txt": "table",
    ".csv": "csv",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


def format_for(output: Path | None, extensions: dict[str, str] = _EXTENSIONS) -> str:
    """The format an output file's extension asks for ("times.html" → html); the terminal table without a file.

    An extension calsync does not know is an error rather than a guess, so "-o times.xlsx" never writes a table.
    """
    if output is None or str(output) == "-":
        return "table"
    suffix = Path(output).suffix.lower()
    if suffix not in extensions:
        known = ", ".join(dict.fromkeys(extensions))
        raise UsageError(
            f"-o {output}: calsync does not know which format to write for {suffix or 'no extension'!r}",
            hint=f"name the file with one of {known}, or give --format",
        )
    return extensions[suffix]


def _columns_env() -> int | None:
    try:
        value = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return value if value > 0 else None
