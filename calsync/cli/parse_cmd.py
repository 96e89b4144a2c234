"""``calsync parse``: the agenda as data, for review and correction."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..reading.structured import dump_structured
from .app import AgendaInput, OutputOpt, app, emit, reports_errors, takes_agenda


class DataFormat(str, Enum):
    json = "json"
    yaml = "yaml"


@app.command("parse")
@reports_errors
@takes_agenda(meeting_key=True)
def parse(
    source: AgendaInput,
    format: DataFormat = typer.Option(DataFormat.json, "--format", "-f", help="Output format."),
    output: Optional[Path] = OutputOpt,
) -> None:
    """Show what was read from the agenda, as JSON or YAML.

    Review it, correct it if needed, and give the file back to any command as AGENDA: a round trip gives the same agenda.
    """
    result = source.load()
    emit(dump_structured(result, format.value), output)
