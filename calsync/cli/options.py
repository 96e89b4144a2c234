"""The options several commands share, declared once as ``Annotated`` aliases.

A command names them in its own signature (``from . import options as opt``, then ``meeting_tz: opt.MeetingTz =
None``), so each command reads as a plain function and Typer, mypy and the reader see the same parameters. The
commands that read an agenda end their signature with the reading options in this order: ``MeetingTz``, ``Date``,
``LiteralOffsets``, ``Encoding``, ``Quiet``, then ``MeetingKey`` and ``Lang`` where they apply; each hands them to
:class:`~calsync.cli.app.AgendaInput`, so every --help lists them alike (tests/test_cli_options.py).
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

AGENDA_HELP = (
    "Agenda file: Markdown or text, PDF or Word (with calsync[documents]), or the JSON/YAML from 'calsync parse'. "
    "Default: the built-in example agenda."
)

Agenda = Annotated[Path | None, typer.Argument(help=AGENDA_HELP, show_default=False, metavar="AGENDA")]
Agendas = Annotated[
    list[Path] | None,
    typer.Argument(help=AGENDA_HELP.replace("Agenda file:", "Agenda files:"), show_default=False, metavar="AGENDA"),
]
MeetingTz = Annotated[
    str | None,
    typer.Option(
        "--meeting-tz",
        metavar="ZONE",
        help="The meeting's time zone (IANA name, city or label such as CET); overrides the agenda's.",
    ),
]
Date = Annotated[
    str | None,
    typer.Option(
        "--date", metavar="YYYY-MM-DD", help="The meeting's date, YYYY-MM-DD; overrides or supplies the agenda's date."
    ),
]
LiteralOffsets = Annotated[
    bool,
    typer.Option(
        "--literal-offsets",
        help="Read CET/CEST-style labels as fixed UTC offsets instead of the region's civil time.",
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option("--encoding", metavar="NAME", help="Text encoding of the agenda when it is not UTF-8 (e.g. cp1252)."),
]
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to this file instead of standard output."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Do not print the agenda's warnings.")]
# None rather than [] when not given (a mutable default would be shared between calls): read it as `tz or ()`
Tz = Annotated[
    list[str] | None,
    typer.Option(
        "--tz",
        metavar="ZONE",
        help="A participant's zone: IANA name, ISO country code, country name (en/fr/es/de) or city; repeatable. "
        "Default: the countries the agenda names.",
    ),
]
Participants = Annotated[
    Path | None,
    typer.Option(
        "--participants",
        metavar="FILE",
        show_default=False,
        help="CSV of participants: name, email (optional), and zone or country.",
    ),
]
MeetingKey = Annotated[
    str | None,
    typer.Option(
        "--meeting-key",
        metavar="KEY",
        help="Pin the meeting's identity (event UIDs and Google events) so a retitled or rescheduled agenda updates "
        "the same events instead of adding new ones. Default: derived from the title and first day.",
    ),
]
ZoomUrl = Annotated[
    str | None,
    typer.Option(
        "--zoom-url",
        metavar="URL",
        help="The join link (Zoom, Teams, Meet…), when the agenda does not give it yet.",
    ),
]


class Language(enum.StrEnum):
    en = "en"
    fr = "fr"
    es = "es"
    de = "de"


Lang = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        case_sensitive=False,
        show_default=False,
        help="Language of what calsync writes for people (event descriptions, tables, pages): en, fr, es or de. "
        "Default: the agenda's own language. A page shows its viewer's browser language among these, else this one.",
    ),
]
