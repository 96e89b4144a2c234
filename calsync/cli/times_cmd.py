"""``calsync times``: when each block starts where each participant is."""

from __future__ import annotations

import os
import shutil
import sys
from enum import StrEnum
from typing import Annotated

import typer

from . import options as opt
from .app import (
    AgendaInput,
    app,
    check_zones,
    emit,
    note,
    note_if_no_participants,
    output_format,
    reports_errors,
    wrote,
    zones_for,
)


class TimesFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    html = "html"


_EXTENSIONS = {
    ".txt": "table",
    ".csv": "csv",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


@app.command("times")
@reports_errors
def times(
    agenda: opt.Agenda = None,
    tz: opt.Tz = None,
    participants: opt.Participants = None,
    work_hours: Annotated[
        str,
        typer.Option("--work-hours", metavar="HH:MM-HH:MM", help="Local working hours; blocks outside are flagged."),
    ] = "08:00-20:00",
    fmt: Annotated[
        TimesFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            show_default=False,
            help="Output format. Default: from the -o file's extension (.txt, .csv, .json, .md, .html), else table.",
        ),
    ] = None,
    output: opt.Output = None,
    meeting_tz: opt.MeetingTz = None,
    date: opt.Date = None,
    literal_offsets: opt.LiteralOffsets = False,
    encoding: opt.Encoding = None,
    quiet: opt.Quiet = False,
    lang: opt.Lang = None,
) -> None:
    """Show each block's local time for every participant's zone, flagging early, late and night hours."""
    from ..render import render_times
    from ..zones import local_times, parse_work_hours

    source = AgendaInput(
        agenda=agenda,
        meeting_tz=meeting_tz,
        date=date,
        literal_offsets=literal_offsets,
        encoding=encoding,
        quiet=quiet,
        lang=lang,
    )
    hours = parse_work_hours(work_hours)  # checked before reading, so a typo fails fast
    check_zones(tz)
    chosen = output_format(fmt, output, _EXTENSIONS, default="table")
    parsed = source.load()
    zones = zones_for(parsed, tz, participants)
    note_if_no_participants(zones, quiet)
    if not quiet:
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
        text = render_times_html(parsed, rows, zones, hours, zones_for=lambda a: zones_for(a, tz, participants))
    else:
        text = render_times(chosen, parsed, rows, zones, hours, width=width, color=color)
    emit(text, output)
    wrote(output, f"{chosen}, {len(parsed.blocks)} blocks × {len(zones)} zones", quiet)


def _columns_env() -> int | None:
    try:
        value = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return value if value > 0 else None
