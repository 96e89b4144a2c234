"""``calsync parse``: the agenda as data, for review and correction."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from .app import (
    AgendaArg,
    AgendaInput,
    DateOpt,
    EncodingOpt,
    LiteralOpt,
    MeetingKeyOpt,
    MeetingTzOpt,
    OutputOpt,
    QuietOpt,
    app,
    emit,
    output_format,
    reports_errors,
    wrote,
)


class DataFormat(StrEnum):
    json = "json"
    yaml = "yaml"


_EXTENSIONS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


@app.command("parse")
@reports_errors
def parse(
    agenda: AgendaArg = None,
    format: Annotated[
        DataFormat | None,
        typer.Option(
            "--format",
            "-f",
            show_default=False,
            help="Output format. Default: from the -o file's extension (.json, .yaml, .yml), else json.",
        ),
    ] = None,
    output: OutputOpt = None,
    meeting_tz: MeetingTzOpt = None,
    date: DateOpt = None,
    literal_offsets: LiteralOpt = False,
    encoding: EncodingOpt = None,
    quiet: QuietOpt = False,
    meeting_key: MeetingKeyOpt = None,
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
