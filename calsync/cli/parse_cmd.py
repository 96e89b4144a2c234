"""``calsync parse``: the agenda as data, for review and correction."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from ..reading.structured import dump_structured
from .app import AgendaInput, OutputOpt, app, emit, reports_errors, takes_agenda, wrote
from .times_cmd import format_for


class DataFormat(StrEnum):
    json = "json"
    yaml = "yaml"


@app.command("parse")
@reports_errors
@takes_agenda(meeting_key=True)
def parse(
    source: AgendaInput,
    format: DataFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        show_default=False,
        help="Output format. Default: from the -o file's extension (.json, .yaml, .yml), else json.",
    ),
    output: Path | None = OutputOpt,
) -> None:
    """Show what was read from the agenda, as JSON or YAML.

    Review it, correct it if needed, and give the file back to any command as AGENDA: a round trip gives the same agenda.
    """
    chosen = (
        format.value
        if format is not None
        else "json"
        if output is None or str(output) == "-"
        else format_for(output, _EXTENSIONS)
    )
    result = source.load()
    emit(dump_structured(result, chosen), output)
    wrote(output, chosen, source.quiet)


_EXTENSIONS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
