"""One VEVENT as calsync writes it, and the values in it: text, links, instants and UIDs.

Shared by the .ics export (:mod:`calsync.ical.export`) and CalDAV's calendar objects (:mod:`calsync.ical.objects`),
so a block reads the same wherever it lands: TZID times in the meeting's zone (UTC where the wall-clock time would
name another instant), the join link in URL and CONFERENCE as well as in the text, no control characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from icalendar import TRANSP, Alarm, Calendar, Component, Conference, Event, vDDDTypes, vText, vUri

from .. import __version__
from ..errors import AgendaError
from ..model import Agenda, Block

__all__ = [
    "PRODID",
    "UID_DOMAIN",
    "event_uid",
    "block_uid",
    "meeting_uid",
    "split_uid",
    "new_calendar",
    "new_event",
    "display_alarm",
    "clean_text",
    "title_line",
    "uri_value",
    "require_aware",
    "as_utc",
    "wall_time",
    "fixed_offset",
    "instant",
    "serialised",
    "folded",
    "EventModel",
]

PRODID = f"-//calsync//calsync {__version__}//EN"
UID_DOMAIN = "calsync"


# --- UIDs ------------------------------------------------------------------------------------------------------


def event_uid(agenda: Agenda, block: Block) -> str:
    """A block's UID: stable for the same meeting and block, whatever happens to its times or title."""
    return block_uid(agenda.key, block.key)


def block_uid(meeting_key: str, block_key: str) -> str:
    """The UID of a meeting's block from the two keys (what :func:`event_uid` gives, for callers holding no Agenda)."""
    return f"{block_key}.{meeting_key}@{UID_DOMAIN}"


def meeting_uid(agenda: Agenda) -> str:
    """The UID of the optional event spanning the whole meeting."""
    return f"{agenda.key}@{UID_DOMAIN}"


def split_uid(uid: str) -> tuple[str, str] | None:
    """(meeting key, block key) of a block's UID as calsync writes it (:func:`event_uid`), else None."""
    local, _, domain = uid.rpartition("@")
    block, dot, meeting = local.partition(".")
    return (meeting, block) if domain == UID_DOMAIN and dot and block and meeting else None


# --- components --------------------------------------------------------------------------------------------------


def new_calendar(*, name: str | None = None, method: str | None = None, calscale: str | None = None) -> Calendar:
    """A VCALENDAR with calsync's PRODID; ``name`` goes in NAME (RFC 7986) and X-WR-CALNAME (older clients)."""
    # icalendar types NAME and X- properties as unknown and writes them raw: vText escapes commas, semicolons and
    # newlines in the title.
    cal = Calendar.new(prodid=PRODID, name=vText(title_line(name)) if name else None, method=method, calscale=calscale)
    # Calendar.new gives every calendar a UID, a random one unless told. calsync's files are reproducible byte for
    # byte (SOURCE_DATE_EPOCH, an unchanged re-export) and each event carries its own stable UID, so none is written.
    del cal["UID"]
    return cal


@dataclass
class _Conference(Conference):
    """icalendar's :class:`~icalendar.Conference`, with its FEATURE list written as RFC 7986 §6.3 defines it.

    icalendar 7 joins the features into one string, which is then quoted (``FEATURE="AUDIO,VIDEO"``): a single value
    that names no feature. The grammar is a comma-separated list, unquoted (``FEATURE=AUDIO,VIDEO``).
    """

    def to_uri(self) -> vUri:
        uri = super().to_uri()
        if isinstance(self.feature, list) and len(self.feature) > 1:
            uri.params["FEATURE"] = list(self.feature)
        return uri


def new_event(
    *,
    uid: str,
    summary: str,
    description: str,
    start: datetime,
    end: datetime,
    stamp: datetime,
    location: str | None,
    url: str | None,
    inside: str | None = None,
    alarm: Alarm | None = None,
) -> Event:
    """One event as calsync writes it. ``inside`` is the UID of the meeting's own event when the event is one of its
    blocks: it is then related to it and shows as free time, so nobody is double-booked by the blocks."""
    link = uri_value(url) if url else None
    subcomponents: Sequence[Component] = [alarm] if alarm is not None else ()
    return Event.new(
        uid=uid,
        stamp=stamp,
        last_modified=stamp,
        sequence=0,
        summary=clean_text(summary),
        start=start,
        end=end,
        description=clean_text(description),
        location=clean_text(location) if location else None,
        url=link,
        # RFC 7986; few clients show it, which is why the link is in DESCRIPTION, LOCATION and URL as well.
        conferences=[_Conference(link, feature=["AUDIO", "VIDEO"], label="Join")] if link else None,
        related_to=inside,
        transparency=TRANSP.TRANSPARENT if inside else None,
        subcomponents=subcomponents,
    )


class EventModel:
    """Many events that differ only in UID, title, description and times (a feed's blocks, speakers' turns), each
    written as ``serialised(new_event(...))`` writes it, byte for byte, in a fraction of the time.

    icalendar builds and writes one model event with the properties they share (stamps, location, link, conference,
    relation); each event's own five lines are written with icalendar's value types and put in their places. When
    the model cannot be cut so (an icalendar that writes otherwise), or an event is one Event.new would refuse,
    the event is made by :func:`new_event` itself.
    """

    _MARKS = {"UID": "calsync-model-uid", "SUMMARY": "calsync-model-summary", "DESCRIPTION": "calsync-model-text"}

    def __init__(self, *, stamp: datetime, location: str | None, url: str | None, inside: str | None = None) -> None:
        self._shared: dict[str, Any] = {"stamp": stamp, "location": location, "url": url, "inside": inside}
        self._lines: list[bytes | str] | None = None  # the model's folded lines, and the names of the events' own
        self._cut = False
        self._times: dict[tuple[bytes, datetime, int, object], bytes] = {}  # parallel sessions share their times

    def event(self, *, uid: str, summary: str, description: str, start: datetime, end: datetime) -> bytes:
        """The event's bytes, as ``serialised(new_event(...))`` with the shared properties would give them."""
        if not self._cut and start <= end:
            self._lines = self._cut_model(start, end)
            self._cut = True
        if self._lines is None or start > end:
            return serialised(new_event(**self._own(uid, summary, description, start, end), **self._shared))
        own = {
            "UID": _text_line(b"UID", uid),
            "SUMMARY": _text_line(b"SUMMARY", clean_text(summary)),
            "DESCRIPTION": _text_line(b"DESCRIPTION", clean_text(description)),
            "DTSTART": self._time_line(b"DTSTART", start),
            "DTEND": self._time_line(b"DTEND", end),
        }
        return b"".join(own[line] if isinstance(line, str) else line for line in self._lines)

    def _time_line(self, name: bytes, moment: datetime) -> bytes:
        # the wall-clock time, its fold and its zone: what the line says (aware datetimes compare by instant)
        key = (name, moment.replace(tzinfo=None), moment.fold, moment.tzinfo)
        found = self._times.get(key)
        if found is None:
            found = self._times[key] = _time_line(name, moment)
        return found

    @property
    def cut(self) -> bool:
        """Whether events are written from the model (icalendar wrote it as expected), not each by icalendar."""
        return self._lines is not None

    @staticmethod
    def _own(uid: str, summary: str, description: str, start: datetime, end: datetime) -> dict[str, Any]:
        return {"uid": uid, "summary": summary, "description": description, "start": start, "end": end}

    def _cut_model(self, start: datetime, end: datetime) -> list[bytes | str] | None:
        """The model event's lines, each folded, with the names of the events' own lines in their places; None
        when its own lines are not where and what calsync expects."""
        marks = self._MARKS
        model = new_event(**self._own(marks["UID"], marks["SUMMARY"], marks["DESCRIPTION"], start, end), **self._shared)
        expected = {name: f"{name}:{mark}\r\n".encode() for name, mark in marks.items()}
        expected |= {"DTSTART": _time_line(b"DTSTART", start), "DTEND": _time_line(b"DTEND", end)}
        lines: list[bytes | str] = []
        for line in model.content_lines():
            if not line:
                continue
            data = folded(line) + b"\r\n"
            name = next((n for n, own in expected.items() if own == data), None)
            if name is not None:
                del expected[name]
            lines.append(name or data)
        return None if expected else lines


def _text_line(name: bytes, text: str) -> bytes:
    return _folded_bytes(name + b":" + vText(text).to_ical()) + b"\r\n"


def _time_line(name: bytes, moment: datetime) -> bytes:
    value = vDDDTypes(moment)
    params = value.params.to_ical()
    return _folded_bytes(name + (b";" + params if params else b"") + b":" + value.to_ical()) + b"\r\n"


def serialised(component: Component) -> bytes:
    """``component.to_ical()``, byte for byte, with its long lines folded by :func:`folded` (icalendar's own folding,
    a Python loop over every character, was most of the time a large site took to write)."""
    lines: list[bytes] = [folded(line) for line in component.content_lines() if line]
    return b"\r\n".join(lines) + b"\r\n"


# RFC 5545 §3.1: content lines over 75 octets are folded; icalendar cuts before the octet that would reach the 75th.
_FOLD_AT = 74


def folded(line: str) -> bytes:
    """``line`` in UTF-8, folded exactly as icalendar 7 folds it: cut into pieces of at most 74 octets, never inside
    a character, each continued on a line starting with a space; a piece ending in ``\\`` or ``^`` (an escape)
    leaves it to the next."""
    return _folded_bytes(line.encode("utf-8"))


def _folded_bytes(data: bytes) -> bytes:
    if len(data) <= _FOLD_AT:
        return data
    pieces = []
    start, size = 0, len(data)
    while size - start > _FOLD_AT:
        end = start + _FOLD_AT
        while data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        if data[end - 1] in b"\\^":  # an escape is never cut from what it escapes
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def display_alarm(summary: str, minutes: int) -> Alarm:
    """A reminder ``minutes`` before the start, showing ``summary``."""
    return Alarm.new_display(description=clean_text(summary), trigger=timedelta(minutes=-minutes))


# --- values ------------------------------------------------------------------------------------------------------

# iCalendar text allows no control characters but tab and (escaped) newline; PDFs and Word files bring form feeds,
# NULs and Unicode line separators that some parsers would split lines on.
# ... and U+FEFF (a byte-order mark pasted into a title): icalendar drops it at the start of a value, keeps it
# elsewhere; it is invisible either way, so it is dropped everywhere and every writer gives the same bytes.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ufeff]")
_BREAKS = re.compile(r"\r\n?|[\x85\u2028\u2029]")
_URI_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` as iCalendar can carry it: line breaks as ``\\n``, other control characters (and U+FEFF) dropped."""
    if _BREAKS.search(text):
        text = _BREAKS.sub("\n", text)
    if _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
    return text


def title_line(text: str) -> str:
    """Titles are one line: a newline inside a meeting title is layout, not content."""
    return " ".join(clean_text(text).split())


def uri_value(url: str) -> str:
    """A link as an iCalendar URI value: spaces and control characters percent-encoded, never written raw.

    Links are checked where they enter (``--zoom-url``, a reviewed JSON's ``conference_url``); this is the writer's own
    guard for whatever else may carry one.
    """
    return _URI_UNSAFE.sub(lambda m: quote(m.group(0), safe="", errors="replace"), url)


def require_aware(moment: datetime, what: str, label: str) -> datetime:
    """``moment``, refused when naive: icalendar would write a floating time that every client reads differently."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise AgendaError(
            f"the {what} of {label} ({moment.isoformat()}) has no time zone",
            hint="calsync writes no floating times: give every time a zone",
        )
    return moment


def as_utc(moment: datetime, what: str) -> datetime:
    return require_aware(moment, what, "the calendar").astimezone(UTC)


def wall_time(moment: datetime, out_tz: ZoneInfo | timezone) -> datetime:
    """``moment`` as written with ``out_tz``'s TZID (or in UTC when that wall-clock time would mean another instant)."""
    local = moment.astimezone(out_tz)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        # The second 02:30 of a night when clocks go back: a TZID time means the first one (RFC 5545 §3.3.5), so
        # this instant can only be written in UTC.
        return moment.astimezone(UTC)
    return local


def fixed_offset(zone: str) -> bool:
    """Whether ``zone`` is one of tzdata's fixed offsets (``Etc/GMT-1``, ``UTC``) rather than a region's clock."""
    return zone.startswith("Etc/") or zone in ("UTC", "UCT", "GMT", "GMT0", "Greenwich", "Universal", "Zulu")


def instant(prop: object) -> datetime | None:
    """The aware datetime a DTSTART-like property holds; None for a date (all-day) or a floating time, which are no
    instant: such an event never equals a block's times."""
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None:
        return value
    return None
