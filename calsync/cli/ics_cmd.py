"""``calsync ics``: the agenda as an .ics file, one event per session block."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import typer

from ..errors import InputFileError, UsageError
from ..zones import participant_zones
from .app import (
    AgendaInput,
    OutputOpt,
    ParticipantsOpt,
    TzOpt,
    ZoomUrlOpt,
    app,
    check_join_url,
    check_zones,
    emit,
    note,
    reports_errors,
    takes_agenda,
    wrote,
)


@app.command("ics")
@reports_errors
@takes_agenda(meeting_key=True, lang=True)
def ics(
    source: AgendaInput,
    output: Path | None = OutputOpt,
    zoom_url: str | None = ZoomUrlOpt,
    tz: list[str] = TzOpt,
    participants: Path | None = ParticipantsOpt,
    meeting_event: bool = typer.Option(
        False, "--meeting-event", help="Add one event spanning the whole meeting; the blocks then show as free time."
    ),
    alarm: int | None = typer.Option(
        None,
        "--alarm",
        metavar="MINUTES",
        help="Add a reminder this many minutes before each block, or before the meeting with --meeting-event (off by default).",
    ),
    utc: bool = typer.Option(False, "--utc", help="Write every time in UTC, for calendar apps that mishandle zones."),
    previous: Path | None = typer.Option(
        None,
        "--previous",
        metavar="OLD.ics",
        help="The .ics sent before: blocks that are the same blocks (retitled, renumbered, moved) keep their UIDs "
        "and the meeting keeps its key; an event whose time, title or link changed gets SEQUENCE + 1, an "
        "unchanged one its old bytes. Re-imported, the new file updates what clients hold.",
    ),
) -> None:
    """Write an .ics file, one event per block.

    Each event carries the join link (or says it is to be confirmed), the names, and the block's local times in the
    participants' zones (--tz/--participants only change that list, never the events' own times).
    """
    # Every option is checked before anything is read or written, so a mistake never leaves a file behind.
    url = check_join_url(zoom_url)
    check_zones(tz)
    if alarm is not None and not 0 <= alarm <= 10080:
        raise UsageError(
            f"--alarm {alarm} is not between 0 and 10080 minutes (a week)",
            hint="give the minutes before each block, e.g. --alarm 10",
        )
    from ..ical import to_ics, versioned  # only this command pays for loading icalendar

    stamp = source_date_epoch()
    old = read_previous(previous) if previous is not None else None
    meeting = source.load().with_conference_url(url)
    if old is not None:
        from ..versions import follow

        followed = follow(meeting, old, keep_meeting_key=source.meeting_key is None)
        if followed.key != meeting.key and not source.quiet:
            note(f"calsync: keeping the meeting key {followed.key} of {previous}, so its events' UIDs stay")
        meeting = followed
    zones = participant_zones(meeting, tz=tuple(tz), participants=participants)
    data = to_ics(meeting, zones=zones, meeting_event=meeting_event, alarm_minutes=alarm, utc=utc, stamp=stamp)
    if old is not None:
        data = versioned(data, old)
    emit(data, output)
    count = len(meeting.blocks) + (1 if meeting_event else 0)
    wrote(output, f"{count} event{'s' if count != 1 else ''}", source.quiet)


def read_previous(path: Path):  # type: ignore[no-untyped-def]
    """The .ics given as the version before (an :class:`~calsync.ical.IcsCalendar`)."""
    from ..ical import read_calendar

    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputFileError(
            f"cannot read {path}: {e.strerror or e}", hint="give the .ics calsync wrote last time"
        ) from None
    return read_calendar(data, file=str(path))


def source_date_epoch() -> datetime | None:
    """DTSTAMP for reproducible output: ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip():
        return None
    try:
        return datetime.fromtimestamp(int(raw.strip()), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds since 1970", hint="unset it or give e.g. 1595426400"
        ) from None
