"""An .ics file read back as the previous version of an agenda, and a new export numbered against it.

``calsync ics --previous OLD.ics`` and ``calsync diff`` read the file here; :mod:`calsync.versions` works out from the
plain result which blocks are the same blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event

from ..errors import InputFileError
from .events import instant, serialised, split_uid

__all__ = ["IcsEvent", "IcsCalendar", "read_calendar", "read_feed", "versioned", "numbered"]

# What does not count as a change of an event: when it was written and its version number.
_STAMPS = (b"DTSTAMP", b"LAST-MODIFIED", b"SEQUENCE")


@dataclass(frozen=True)
class IcsEvent:
    """One VEVENT of an .ics file as a previous version: what identity and versioning need."""

    uid: str
    summary: str
    start: datetime | None
    end: datetime | None
    url: str | None
    sequence: int
    stamp: datetime | None
    last_modified: datetime | None
    content: bytes  # the event as written, less DTSTAMP, LAST-MODIFIED and SEQUENCE: equal bytes, same event
    data: bytes = b""  # the event as written
    cancelled: bool = False  # STATUS:CANCELLED: a block that left the agenda, kept so that clients remove it


@dataclass(frozen=True)
class IcsCalendar:
    """An .ics file as a previous version of the agenda: its name, zone and events."""

    name: str | None
    zone: str | None
    events: tuple[IcsEvent, ...]

    def by_uid(self) -> dict[str, IcsEvent]:
        return {e.uid: e for e in self.events}


def read_calendar(data: bytes, *, file: str | None = None) -> IcsCalendar:
    """An .ics file's events (calsync's or anyone's), for comparing versions; a file icalendar cannot read is an
    :class:`InputFileError`."""
    try:
        cal = Calendar.from_ical(data)
        events = tuple(_ics_event(e) for e in cal.walk("VEVENT") if isinstance(e, Event) and e.get("UID"))
    except (ValueError, KeyError, TypeError) as e:
        raise InputFileError(
            f"not a readable iCalendar file ({' '.join(str(e).split())[:120]})",
            file=file,
            hint="give the .ics calsync wrote last time",
        ) from None
    return _calendar(cal, events)


def _calendar(cal: Calendar, events: tuple[IcsEvent, ...]) -> IcsCalendar:
    zone = str(cal.get("X-WR-TIMEZONE")) if cal.get("X-WR-TIMEZONE") else None
    if zone is None:
        zone = next(
            (e.start.tzinfo.key for e in events if e.start is not None and isinstance(e.start.tzinfo, ZoneInfo)), None
        )
    name = cal.get("X-WR-CALNAME") or cal.get("NAME")
    return IcsCalendar(str(name) if name else None, zone, events)


# What a previous version is read for (:class:`IcsEvent`): the rest of an event (its description, most of a feed's
# bytes) is only compared as bytes.
_READ = (b"UID", b"SUMMARY", b"DTSTART", b"DTEND", b"URL", b"SEQUENCE", b"DTSTAMP", b"LAST-MODIFIED", b"STATUS")
_EVENTS = re.compile(rb"BEGIN:VEVENT\r\n.*?\r\nEND:VEVENT\r\n", re.S)  # a folded line never starts with END
_FOLD = re.compile(rb"\r\n[ \t]")
_NAME = re.compile(rb"[^;:]*")
_ZONES = (b"VTIMEZONE", b"STANDARD", b"DAYLIGHT")


def read_feed(data: bytes, *, file: str | None = None) -> IcsCalendar:
    """A feed calsync wrote (``publish``'s, ``serve``'s) read as the previous version: what :func:`read_calendar`
    gives, in a fraction of the time on a large feed. icalendar reads the lines of each event that versions need
    (not its description, most of a feed's bytes), and the event's bytes are kept as written. A file calsync would
    not write (an event holding an alarm, a zone that is not an IANA name) is read by :func:`read_calendar`."""
    first = data.find(b"\r\nBEGIN:VEVENT\r\n") + 2  # a component's line: text never starts a line
    components = [data.count(b"\r\nBEGIN:" + name + b"\r\n") for name in (b"VEVENT", *_ZONES)]
    if first < 2 or data.count(b"\r\nBEGIN:") != sum(components):  # an alarm, or anything else inside an event
        return read_calendar(data, file=file)
    try:
        cal = Calendar.from_ical(data[:first] + b"END:VCALENDAR\r\n")
        if not all(_iana(str(tz.get("TZID", ""))) for tz in cal.walk("VTIMEZONE")):
            return read_calendar(data, file=file)
        chunks = _EVENTS.findall(data, first)
        if len(chunks) != components[0] or not data.endswith(b"\r\nEND:VCALENDAR\r\n"):  # cut short, or more
            return read_calendar(data, file=file)
        read = []
        for chunk in chunks:
            lines = _FOLD.sub(b"", chunk).split(b"\r\n")
            kept = [line for line in lines if _name(line) in _READ]
            event = Event.from_ical(b"\r\n".join([b"BEGIN:VEVENT", *kept, b"END:VEVENT", b""]))
            if isinstance(event, Event) and event.get("UID"):
                read.append(_ics_event(event, chunk))
    except (ValueError, KeyError, TypeError):
        return read_calendar(data, file=file)
    return _calendar(cal, tuple(read))


def _name(line: bytes) -> bytes:
    found = _NAME.match(line)
    return found.group(0).upper() if found else b""


def _iana(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ValueError, ZoneInfoNotFoundError):
        return False
    return True


def _ics_event(event: Event, data: bytes | None = None) -> IcsEvent:
    data = serialised(event) if data is None else data
    return IcsEvent(
        uid=str(event["UID"]),
        summary=str(event.get("SUMMARY") or ""),
        start=instant(event.get("DTSTART")),
        end=instant(event.get("DTEND")),
        url=str(event["URL"]) if event.get("URL") else None,
        sequence=int(event.get("SEQUENCE") or 0),
        stamp=instant(event.get("DTSTAMP")),
        last_modified=instant(event.get("LAST-MODIFIED")),
        content=_content(data),
        data=data,
        cancelled=str(event.get("STATUS") or "").upper() == "CANCELLED",
    )


def _content(data: bytes) -> bytes:
    return b"\r\n".join(line for line in data.split(b"\r\n") if not line.startswith(_STAMPS))


def versioned(data: bytes, previous: IcsCalendar | None) -> bytes:
    """The calendar ``data`` (as :func:`~calsync.ical.to_ics` or a feed wrote it) numbered against ``previous``, the
    file it replaces (``calsync ics --previous``): an event whose UID ``previous`` holds keeps its SEQUENCE, DTSTAMP
    and LAST-MODIFIED (and so its bytes) when nothing in it changed, and gets SEQUENCE + 1 when its time, title or
    join link changed (RFC 5545 §3.8.7.4), so that clients going by SEQUENCE take the new version. A step of its own
    after writing, so every writer of .ics files can take it (icalendar reads back what it wrote byte for byte)."""
    earlier = previous.by_uid() if previous is not None else {}
    if not earlier:
        return data
    cal = Calendar.from_ical(data)
    events = [e for e in cal.walk("VEVENT") if isinstance(e, Event)]
    stamp = next((e.DTSTAMP for e in events if e.DTSTAMP is not None), None)  # this version's, before numbering
    for event in events:
        before = earlier.get(str(event.get("UID")))
        if before is not None:
            _number(event, before)
    for gone in _gone(events, earlier, stamp):
        cal.add_component(gone)
    return serialised(cal)


def _gone(events: list[Event], earlier: dict[str, IcsEvent], stamp: datetime | None) -> list[Event]:
    """The previous version's blocks of this meeting that are no longer in it, as cancellations: an imported file
    has no other way to take an event out of a calendar (RFC 5545 §3.8.1.11, STATUS:CANCELLED with SEQUENCE + 1).
    A block cancelled in an earlier version stays as it was, so the newest file still cancels it; another tool's
    events and other meetings' are never cancelled."""
    uids = {str(e.get("UID")) for e in events}
    meetings = {parts[0] for uid in uids if (parts := split_uid(uid)) is not None}
    out = []
    for uid, before in earlier.items():
        parts = split_uid(uid)
        if uid in uids or parts is None or parts[0] not in meetings or not before.data:
            continue
        event = Event.from_ical(before.data)
        assert isinstance(event, Event)  # one VEVENT in, one VEVENT out
        if not before.cancelled:
            event.status = "CANCELLED"
            event.sequence = before.sequence + 1
            if stamp is not None:
                event.stamp = stamp
                event.last_modified = stamp
        out.append(event)
    return out


def numbered(event: bytes, before: IcsEvent | None) -> bytes:
    """One event as calsync wrote it (a VEVENT's bytes) numbered against ``before``, its previous version: what
    :func:`versioned` does to each event of a calendar, so a feed cut from numbered events is the versioned feed.

    An unchanged event is its previous version's bytes (read from a file calsync wrote, which icalendar writes back
    byte for byte); only a changed one is read and written again."""
    if before is None:
        return event
    if _content(event) == before.content and _stamped(before.data):
        return before.data
    parsed = Event.from_ical(event)
    assert isinstance(parsed, Event)  # one VEVENT in, one VEVENT out
    _number(parsed, before)
    return serialised(parsed)


def _stamped(data: bytes) -> bool:
    """Whether the event has its DTSTAMP, LAST-MODIFIED and SEQUENCE: then nothing of it is left to number."""
    return all(b"\r\n" + name + b":" in data for name in _STAMPS)


def _number(event: Event, before: IcsEvent) -> None:
    after = _ics_event(event)
    if after.content == before.content:  # nothing changed: the previous version's bytes
        # icalendar writes properties in its own canonical order, so replacing one leaves the bytes around it alone
        event.stamp = before.stamp or after.stamp
        event.last_modified = before.last_modified or before.stamp or after.stamp
        event.sequence = before.sequence
        return
    event.sequence = before.sequence + 1 if _significant(before, after) else before.sequence


def _significant(before: IcsEvent, after: IcsEvent) -> bool:
    """Whether the change is one clients must notice (RFC 5545 §3.8.7.4): the time, the title or the join link."""
    if after.start is None or before.start is None or after.end is None or before.end is None:
        return True
    return (
        after.start.astimezone(UTC) != before.start.astimezone(UTC)
        or after.end.astimezone(UTC) != before.end.astimezone(UTC)
        or after.summary != before.summary
        or after.url != before.url
    )
