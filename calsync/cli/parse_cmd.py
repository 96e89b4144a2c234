"""``calsync parse``: the agenda as data, for review and correction."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..reading.structured import dump_structured
from .app import (AgendaArg, DateOpt, EncodingOpt, LiteralOpt, MeetingKeyOpt, MeetingTzOpt, OutputOpt, QuietOpt, app, emit,
                  load_agenda, reports_errors)


class DataFormat(str, Enum):
    json = "json"
    yaml = "yaml"


@app.command("parse")
@reports_errors
def parse(
    agenda: Optional[Path] = AgendaArg,
    format: DataFormat = typer.Option(DataFormat.json, "--format", "-f", help="Output format."),
    output: Optional[Path] = OutputOpt,
    meeting_tz: Optional[str] = MeetingTzOpt,
    date: Optional[str] = DateOpt,
    literal_offsets: bool = LiteralOpt,
    encoding: Optional[str] = EncodingOpt,
    quiet: bool = QuietOpt,
    meeting_key: Optional[str] = MeetingKeyOpt,
) -> None:
    """Show what was read from the agenda, as JSON or YAML.

    Review it, correct it if needed, and give the file back to any command as AGENDA: a round trip gives the same agenda.
    """
    result = load_agenda(agenda, meeting_tz, date, literal_offsets, encoding, quiet, meeting_key)
    emit(dump_structured(result, format.value), output)
