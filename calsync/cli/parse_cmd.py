"""``calsync parse``: the agenda as data, for review and correction."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from . import options as opt
from .app import AgendaInput, app, emit, output_format, reports_errors, wrote


class DataFormat(StrEnum):
    json = "json"
    yaml = "yaml"


_EXTENSIONS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


@app.command("parse")
@reports_errors
def parse(
    agenda: opt.Agenda = None,
    format: Annotated[
        DataFormat | None,
        typer.Option(
            "--format",
            "-f",
            show_default=False,
            help="Output format. Default: from the -o file's extension (.json, .yaml, .yml), else json.",
        ),
    ] = None,
    output: opt.Output = None,
    meeting_tz: opt.MeetingTz = None,
    date: opt.Date = None,
    literal_offsets: opt.LiteralOffsets = False,
    encoding: opt.Encoding = None,
    quiet: opt.Quiet = False,
    meeting_key: opt.MeetingKey = None,
) -> None:
    """Show what was read from the agenda, as JSON or YAML.

    Review it, correct it if needed, and give the file back to any command as AGENDA: a round trip gives the same
    agenda.
    """
    from ..reading.structured import dump_structured

    source = AgendaInput(
        agenda=agenda,
        meeting_tz=meeting_tz,
        date=date,
        literal_offsets=literal_offsets,
        encoding=encoding,
        quiet=quiet,
        meeting_key=meeting_key,
    )
    chosen = output_format(format, output, _EXTENSIONS, default="json")
    emit(dump_structured(source.load(), chosen), output)
    wrote(output, chosen, quiet)
