"""``calsync ics``: the agenda as an .ics file, one event per session block."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputFileError
from . import options as opt
from .app import (
    AgendaInput,
    app,
    check_alarm,
    check_join_url,
    check_zones,
    emit,
    note,
    reports_errors,
    source_date_epoch,
    wrote,
    zones_for,
)

if TYPE_CHECKING:
    from ..ical import IcsCalendar


@app.command("ics")
@reports_errors
def ics(
    agenda: opt.Agenda = None,
    output: opt.Output = None,
    zoom_url: opt.ZoomUrl = None,
    tz: opt.Tz = None,
    participants: opt.Participants = None,
    meeting_event: Annotated[
        bool,
        typer.Option(
            "--meeting-event", help="Add one event spanning the whole meeting; the blocks then show as free time."
        ),
    ] = False,
    alarm: Annotated[
        int | None,
        typer.Option(
            "--alarm",
            metavar="MINUTES",
            help="Add a reminder this many minutes before each block, or before the meeting with --meeting-event "
            "(off by default).",
        ),
    ] = None,
    utc: Annotated[
        bool, typer.Option("--utc", help="Write every time in UTC, for calendar apps that mishandle zones.")
    ] = False,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            metavar="OLD.ics",
            help="The .ics sent before: blocks that are the same blocks (retitled, renumbered, moved) keep their UIDs "
            "and the meeting keeps its key; an event whose time, title or link changed gets SEQUENCE + 1, an "
            "unchanged one its old bytes. Re-imported, the new file updates what clients hold.",
        ),
    ] = None,
    meeting_tz: opt.MeetingTz = None,
    date: opt.Date = None,
    literal_offsets: opt.LiteralOffsets = False,
    encoding: opt.Encoding = None,
    quiet: opt.Quiet = False,
    meeting_key: opt.MeetingKey = None,
    lang: opt.Lang = None,
) -> None:
    """Write an .ics file, one event per block.

    Each event carries the join link (or says it is to be confirmed), the names, and the block's local times in the
    participants' zones (--tz/--participants only change that list, never the events' own times).
    """
    source = AgendaInput(
        agenda=agenda,
        meeting_tz=meeting_tz,
        date=date,
        literal_offsets=literal_offsets,
        encoding=encoding,
        quiet=quiet,
        meeting_key=meeting_key,
        lang=lang,
    )
    # Every option is checked before anything is read or written, so a mistake never leaves a file behind.
    url = check_join_url(zoom_url)
    check_zones(tz)
    check_alarm(alarm)
    from ..ical import to_ics, versioned  # only this command pays for loading icalendar

    stamp = source_date_epoch()
    old = read_previous(previous) if previous is not None else None
    meeting = source.load().with_conference_url(url)
    if old is not None:
        from ..versions import follow

        followed = follow(meeting, old, keep_meeting_key=meeting_key is None)
        if followed.key != meeting.key and not quiet:
            note(f"calsync: keeping the meeting key {followed.key} of {previous}, so its events' UIDs stay")
        meeting = followed
    zones = zones_for(meeting, tz, participants)
    data = to_ics(meeting, zones=zones, meeting_event=meeting_event, alarm_minutes=alarm, utc=utc, stamp=stamp)
    if old is not None:
        data = versioned(data, old)
    emit(data, output)
    count = len(meeting.blocks) + (1 if meeting_event else 0)
    wrote(output, f"{count} event{'s' if count != 1 else ''}", quiet)


def read_previous(path: Path) -> IcsCalendar:
    """The .ics given as the version before."""
    from ..ical import read_calendar

    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputFileError(
            f"cannot read {path}: {e.strerror or e}", hint="give the .ics calsync wrote last time"
        ) from None
    return read_calendar(data, file=str(path))
