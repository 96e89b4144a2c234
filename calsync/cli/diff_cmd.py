"""``calsync diff OLD NEW``: what changed between two versions of an agenda, as a notice for participants."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputFileError
from . import options as opt
from .app import (
    AgendaInput,
    app,
    check_join_url,
    check_zones,
    emit,
    note_if_no_participants,
    output_format,
    reports_errors,
    wrote,
    zones_for,
)

if TYPE_CHECKING:
    from ..model import Agenda


class NoticeFormat(StrEnum):
    """diff -f's choices: notice.NoticeFormat's values, declared here so the CLI loads no notice code at start-up
    (tests/test_cli_options.py keeps them equal)."""

    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"


_EXTENSIONS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}
VERSION_HELP = (
    "{which} version: an agenda (Markdown, text, PDF, Word), the JSON/YAML from 'calsync parse', or an "
    ".ics file calsync wrote."
)
OldArg = Annotated[
    Path, typer.Argument(metavar="OLD", show_default=False, help=VERSION_HELP.format(which="The earlier"))
]
NewArg = Annotated[Path, typer.Argument(metavar="NEW", show_default=False, help=VERSION_HELP.format(which="The new"))]


@app.command("diff")
@reports_errors
def diff(
    old: OldArg,
    new: NewArg,
    tz: opt.Tz = None,
    participants: opt.Participants = None,
    fmt: Annotated[
        NoticeFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            show_default=False,
            help="text (to paste into an e-mail), markdown, html (one page, styles inline) or json. Default: from "
            "the -o file's extension (.txt, .md, .html, .json), else text.",
        ),
    ] = None,
    output: opt.Output = None,
    lang: opt.Lang = None,
    zoom_url: Annotated[
        str | None,
        typer.Option("--zoom-url", metavar="URL", help="The new version's join link, when NEW does not give it yet."),
    ] = None,
    meeting_tz: opt.MeetingTz = None,
    date: opt.Date = None,
    literal_offsets: opt.LiteralOffsets = False,
    encoding: opt.Encoding = None,
    quiet: opt.Quiet = False,
) -> None:
    """Tell participants what changed between two versions of the agenda.

    Blocks moved, retitled, renumbered, added or removed, and the join link, with each moved or new block's local
    times (new and old) in every participant's zone: the countries the agenda names, or --tz / --participants. In
    the agenda's language (or --lang), short enough to paste into an e-mail.
    """
    url = check_join_url(zoom_url)
    check_zones(tz)
    chosen = output_format(fmt, output, _EXTENSIONS, default="text")
    source = AgendaInput(
        meeting_tz=meeting_tz, date=date, literal_offsets=literal_offsets, encoding=encoding, quiet=quiet, lang=lang
    )
    before = _version(old, source)
    after = _version(new, source).with_conference_url(url)

    from ..changes import compare
    from ..notice import notice_data, render_notice

    zones = zones_for(after, tz, participants)
    note_if_no_participants(zones, quiet)
    changes = compare(before, after)
    data = notice_data(changes, zones, lang.value if lang is not None else None)
    emit(render_notice(data, chosen), output)
    count = len(data["changes"]) + (1 if data["link"] else 0)
    wrote(output, f"{chosen}, {count} change{'s' if count != 1 else ''}", quiet)


def _version(path: Path, source: AgendaInput) -> Agenda:
    """One version, read with the command's options: an .ics as the events it holds; anything else as an agenda."""
    if path.suffix.lower() == ".ics":
        from ..versions import agenda_of_ics
        from .ics_cmd import read_previous

        language = source.lang.value if source.lang else None
        return agenda_of_ics(read_previous(path), file=str(path), language=language)
    if not path.exists():
        raise InputFileError(f"cannot read {path}: no such file", hint="check the path of the agenda version")
    return replace(source, agenda=path).load()
