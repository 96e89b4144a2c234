"""One event as a CalDAV calendar object resource (RFC 4791), written and read back for the CalDAV backend.

The event is written as ``calsync ics`` writes a block (:func:`calsync.ical.events.new_event`); rewriting an event
calsync owns keeps everything in it that calsync does not write (alarms, guests, categories, a colour, other apps'
X- properties).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from .events import (
    as_utc,
    fixed_offset,
    instant,
    new_calendar,
    new_event,
    require_aware,
    serialised,
    title_line,
    wall_time,
)
from .timezones import vtimezone

__all__ = ["EventObject", "event_object", "read_event_object"]

# What calsync writes into an event it owns; everything else in the event (alarms, guests, categories, a
# colour, other apps' X- properties) is someone's and is kept when calsync rewrites the event.
_OWNED = (
    "DTSTAMP",
    "SEQUENCE",
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "DTSTART",
    "DTEND",
    "DURATION",
    "URL",
    "CONFERENCE",
    "STATUS",
    "RRULE",
    "RDATE",
    "EXDATE",
)


@dataclass(frozen=True)
class EventObject:
    """The event of a calendar object resource as read back: what the sync engine compares, and its X- keys."""

    uid: str
    summary: str
    description: str
    location: str
    start: datetime | None  # None when all-day or floating: never equal to a block's instant, so it is rewritten
    end: datetime | None
    cancelled: bool
    properties: dict[str, str]  # X- properties by upper-case name


def event_object(
    *,
    uid: str,
    summary: str,
    description: str,
    location: str | None,
    url: str | None,
    start: datetime,
    end: datetime,
    tzid: str,
    properties: dict[str, str],
    stamp: datetime,
    previous: bytes | None = None,
) -> bytes:
    """One event as a CalDAV calendar object: a VCALENDAR (no METHOD, RFC 4791 §4.1) with the VTIMEZONE of ``tzid``
    and one VEVENT written as ``calsync ics`` writes a block (TZID times, LOCATION, URL, CONFERENCE).

    ``properties`` are X- properties (calsync's private keys). ``previous`` is the object as the calendar holds it:
    its UID (a server may have rewritten it) and everything calsync does not own are kept, and SEQUENCE goes up.
    """
    out_tz: ZoneInfo | timezone = UTC if fixed_offset(tzid) else ZoneInfo(tzid)
    label = title_line(summary) or uid
    event = new_event(
        uid=uid,
        summary=summary,
        description=description,
        start=wall_time(require_aware(start, "time", label), out_tz),
        end=wall_time(require_aware(end, "time", label), out_tz),
        stamp=as_utc(stamp, "DTSTAMP"),
        location=location,
        url=url,
    )
    for name, value in properties.items():
        event.add(name, vText(value))
    kept = _first_event(previous) if previous else None
    if kept is not None:
        event = _merged(kept, event)
    cal = new_calendar()
    if out_tz is not UTC:
        cal.add_component(vtimezone(tzid, start, end))
    cal.add_component(event)
    return serialised(cal)


def _first_event(data: bytes | str) -> Event | None:
    """The first VEVENT that is no override of a recurrence, or None when there is none or nobody can parse it."""
    try:
        events = [c for c in Calendar.from_ical(data).walk("VEVENT") if "RECURRENCE-ID" not in c]
    except Exception:  # noqa: BLE001 - whatever breaks the parser, the object is nobody's event calsync could own
        return None
    return next((e for e in events if isinstance(e, Event)), None)


def _merged(kept: Event, ours: Event) -> Event:
    """``kept`` with calsync's properties replaced by ``ours`` (its UID stays); SEQUENCE one higher (RFC 5545
    §3.8.7.4)."""
    owned = set(_OWNED) | {name for name in ours if name.startswith("X-")}
    try:
        sequence = int(kept.get("SEQUENCE", 0)) + 1
    except (TypeError, ValueError):
        sequence = 1
    for name in list(kept):
        if name in owned:
            del kept[name]
    for name, value in ours.items():
        if name not in ("UID", "SEQUENCE"):
            kept[name] = value
    kept.sequence = sequence
    if "UID" not in kept:
        kept.uid = ours.uid
    return kept


def read_event_object(data: bytes | str) -> EventObject | None:
    """The (first, non-override) VEVENT of a calendar object, or None when it holds none or cannot be read."""
    ev = _first_event(data)
    if ev is None:
        return None
    start = instant(ev.get("DTSTART"))
    end = instant(ev.get("DTEND"))
    duration = ev.get("DURATION")
    if end is None and start is not None and duration is not None and isinstance(duration.dt, timedelta):
        end = start + duration.dt
    props = {str(name).upper(): str(value) for name, value in ev.items() if str(name).upper().startswith("X-")}
    return EventObject(
        uid=str(ev.get("UID", "")),
        summary=str(ev.get("SUMMARY", "")),
        description=str(ev.get("DESCRIPTION", "")),
        location=str(ev.get("LOCATION", "")),
        start=start,
        end=end,
        cancelled=str(ev.get("STATUS", "")).upper() == "CANCELLED",
        properties=props,
    )
