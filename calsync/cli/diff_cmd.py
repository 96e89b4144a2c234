"""``calsync diff OLD NEW``: what changed between two versions of an agenda, as a notice for participants."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from ..errors import InputFileError
from ..model import Agenda
from .app import (
    AgendaInput,
    DateOpt,
    EncodingOpt,
    LangOpt,
    Language,
    LiteralOpt,
    MeetingTzOpt,
    OutputOpt,
    ParticipantsOpt,
    QuietOpt,
    TzOpt,
    app,
    check_join_url,
    check_zones,
    emit,
    note,
    reports_errors,
    wrote,
)
from .times_cmd import format_for


class NoticeFormat(StrEnum):
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


@app.command("diff")
@reports_errors
def diff(
    old: Path = typer.Argument(..., metavar="OLD", show_default=False, help=VERSION_HELP.format(which="The earlier")),
    new: Path = typer.Argument(..., metavar="NEW", show_default=False, help=VERSION_HELP.format(which="The new")),
    tz: list[str] = TzOpt,
    participants: Path | None = ParticipantsOpt,
    fmt: NoticeFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        case_sensitive=False,
        show_default=False,
        help="text (to paste into an e-mail), markdown, html (one page, styles inline) or json. Default: from the "
        "-o file's extension (.txt, .md, .html, .json), else text.",
    ),
    output: Path | None = OutputOpt,
    lang: Language | None = LangOpt,
    zoom_url: str | None = typer.Option(
        None, "--zoom-url", metavar="URL", help="The new version's join link, when NEW does not give it yet."
    ),
    meeting_tz: str | None = MeetingTzOpt,
    date: str | None = DateOpt,
    literal_offsets: bool = LiteralOpt,
    encoding: str | None = EncodingOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Tell participants what changed between two versions of the agenda.

    Blocks moved, retitled, renumbered, added or removed, and the join link, with each moved or new block's local
    times (new and old) in every participant's zone: the countries the agenda names, or --tz / --participants. In
    the agenda's language (or --lang), short enough to paste into an e-mail.
    """
    url = check_join_url(zoom_url)
    check_zones(tz)
    chosen = fmt.value if fmt is not None else ("text" if output is None else format_for(output, _EXTENSIONS))
    options = dict(meeting_tz=meeting_tz, date=date, literal_offsets=literal_offsets, encoding=encoding, quiet=quiet)
    before = _version(old, lang, **options)
    after = _version(new, lang, **options).with_conference_url(url)

    from ..changes import compare
    from ..notice import notice_data, render_notice
    from ..zones import participant_zones

    zones = participant_zones(after, tuple(tz), participants)
    if not quiet and len(zones) == 1:
        note("calsync: note: the agenda names no participants' countries; add --tz ZONE or --participants FILE")
    changes = compare(before, after)
    data = notice_data(changes, zones, lang.value if lang is not None else None)
    emit(render_notice(data, chosen), output)
    count = len(data["changes"]) + (1 if data["link"] else 0)
    wrote(output, f"{chosen}, {count} change{'s' if count != 1 else ''}", quiet)


def _version(path: Path, lang: Language | None, **options: object) -> Agenda:
    """One version: an .ics is read as the events it holds; anything else as an agenda."""
    if path.suffix.lower() == ".ics":
        from ..versions import agenda_of_ics
        from .ics_cmd import read_previous

        return agenda_of_ics(read_previous(path), file=str(path), language=lang.value if lang else None)
    if not path.exists():
        raise InputFileError(f"cannot read {path}: no such file", hint="check the path of the agenda version")
    return AgendaInput(agenda=path, lang=lang, **options).load()  # type: ignore[arg-type]
