"""``calsync ics``: the agenda as an .ics file, one event per session block."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional
from urllib.parse import urlsplit

import typer

from ..errors import UsageError
from ..ical import to_ics
from ..zones import participant_zones
from .app import (
    AgendaArg,
    DateOpt,
    EncodingOpt,
    LiteralOpt,
    MeetingTzOpt,
    OutputOpt,
    QuietOpt,
    app,
    emit,
    load_agenda,
    note,
    reports_errors,
)


@app.command("ics")
@reports_errors
def ics(
    agenda: Optional[Path] = AgendaArg,
    output: Optional[Path] = OutputOpt,
    zoom_url: Optional[str] = typer.Option(
        None, "--zoom-url", metavar="URL", help="The join link (Zoom, Teams, Meet…), when the agenda does not give it yet."
    ),
    tz: List[str] = typer.Option(
        [], "--tz", metavar="ZONE", help="A participant's zone (IANA name, country or city) to list local times for; repeatable. "
        "Default: the countries the agenda names."
    ),
    participants: Optional[Path] = typer.Option(
        None, "--participants", metavar="FILE", help="CSV of participants (name, email, zone or country) whose local times to list."
    ),
    meeting_event: bool = typer.Option(
        False, "--meeting-event", help="Add one event spanning the whole meeting; the blocks then show as free time."
    ),
    alarm: Optional[int] = typer.Option(
        None, "--alarm", metavar="MINUTES", help="Add a reminder this many minutes before each block (off by default)."
    ),
    utc: bool = typer.Option(False, "--utc", help="Write every time in UTC, for calendar apps that mishandle zones."),
    meeting_tz: Optional[str] = MeetingTzOpt,
    date: Optional[str] = DateOpt,
    literal_offsets: bool = LiteralOpt,
    encoding: Optional[str] = EncodingOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Write the agenda as an .ics file: one event per session block, with the join link and local times."""
    # Every option is checked before anything is read or written, so a mistake never leaves a file behind.
    url = check_join_url(zoom_url)
    if alarm is not None and alarm < 0:
        raise UsageError(f"--alarm {alarm} is negative", hint="give the minutes before each block, e.g. --alarm 10")
    stamp = source_date_epoch()
    meeting = load_agenda(agenda, meeting_tz, date, literal_offsets, encoding, quiet).with_conference_url(url)
    zones = participant_zones(meeting, tz=tuple(tz), participants=participants)
    data = to_ics(meeting, zones=zones, meeting_event=meeting_event, alarm_minutes=alarm, utc=utc, stamp=stamp)
    emit(data, output)
    if output is not None and str(output) != "-" and not quiet:
        count = len(meeting.blocks) + (1 if meeting_event else 0)
        note(f"wrote {count} event{'s' if count != 1 else ''} to {output}")


def check_join_url(value: Optional[str]) -> Optional[str]:
    """The join URL if it is an http(s) link with a host; a one-line error otherwise."""
    if value is None:
        return None
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in text):
        raise UsageError(
            f"--zoom-url {value!r} is not a web link",
            hint="give the full join link, e.g. --zoom-url https://zoom.us/j/123456789",
        )
    return text


def source_date_epoch() -> Optional[datetime]:
    """DTSTAMP for reproducible output: ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip():
        return None
    try:
        return datetime.fromtimestamp(int(raw.strip()), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds since 1970", hint="unset it or give e.g. 1595426400"
        ) from None
