"""The meeting as calsync understands it: frozen dataclasses with aware datetimes only, and no I/O.

An :class:`Agenda` is what every output (``.ics``, local times, Google events) is made from. Its plain-data form
(:meth:`Agenda.to_data`) is the JSON/YAML that ``calsync parse`` prints and that every command reads back, so a person
can review and correct what was read; reading it back, with every field checked, is :mod:`calsync.schema`'s
(``agenda_from_data``), which imports this module and never the other way round.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import regexcache
from .errors import AgendaError, AmbiguousTimeError, ZoneError
from .places import LANGUAGES
from .printable import has_controls, shorten

_UTC = ZoneInfo("UTC")

__all__ = [
    "same_instant",
    "localize",
    "format_offset",
    "short_offset",
    "Notice",
    "WarningCode",
    "MeetingZone",
    "Block",
    "Agenda",
    "slug",
    "block_keys",
    "meeting_key",
    "MEETING_KEY_PATTERN",
    "BLOCK_KEY_PATTERN",
    "join_url_problem",
    "MIN_YEAR",
    "MAX_YEAR",
    "MAX_ZONE_NAME",
]

# The years a meeting may fall in: wide enough for any real agenda, far enough from Python's 1..9999 that moving a
# time by a zone's offset, a day or a VTIMEZONE's years never overflows.
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_ZONE_NAME = 255  # longer is no IANA name (and a file name too long for the system to look up)
MAX_MINUTES_PER_NAME = 1440


class WarningCode(StrEnum):
    """What a warning is about: the code JSON, YAML and the CLI carry (a ``StrEnum``, so it is written as its value).

    Every code calsync gives is here, and its meaning in :data:`MEANINGS` just below; README's warning table lists
    exactly these (``tests/test_schema.py`` checks both).
    """

    # what the reader guessed
    MERIDIEM = "meridiem"
    LAYOUT = "layout"
    DATE_FAR = "date-far"
    YEAR_INFERRED = "year-inferred"
    PROSE = "prose"
    TIME_ABOVE = "time-above"
    TIME_NOT_READ = "time-not-read"
    END_DEFAULT = "end-default"
    APPROXIMATE = "approximate"
    MIDNIGHT = "midnight"
    ZONE_LABEL = "zone-label"
    # the organiser's checks
    DURATION = "duration"
    OVERLAP = "overlap"
    GAP = "gap"
    HOURS = "hours"
    NUMBERING = "numbering"
    END_BEFORE_START = "end-before-start"
    DATE_ORDER = "date-order"
    WEEKDAY = "weekday"
    # a warning of a reviewed file whose code is missing or unknown (an older or hand-edited file)
    NOTE = "note"

    @property
    def meaning(self) -> str:
        return MEANINGS[self]


MEANINGS: dict[WarningCode, str] = {
    WarningCode.MERIDIEM: "an hour without am/pm read in the afternoon because the day runs forward "
    "(or `12.00 am` read as noon)",
    WarningCode.LAYOUT: "a title taken from the line above (or below) its time when the other way was almost as likely",
    WarningCode.DATE_FAR: "a day worked out from far away: the first date mentioned below, a publication date, "
    "a repeated table header",
    WarningCode.YEAR_INFERRED: "a year that is written nowhere, taken from the weekday",
    WarningCode.PROSE: "an event read from a sentence, with a title made from it",
    WarningCode.TIME_ABOVE: "a table row with no time of its own, read as at the time of the row above",
    WarningCode.TIME_NOT_READ: "a clock time left in a line's text, not read as a session of its own",
    WarningCode.END_DEFAULT: "an end the agenda does not give and nothing follows: 30 minutes",
    WarningCode.APPROXIMATE: "a start the agenda gives as approximate (`ca. 12.45`)",
    WarningCode.MIDNIGHT: "an item read as after midnight",
    WarningCode.ZONE_LABEL: "a zone label naming the wrong half of the year",
    WarningCode.DURATION: "a stated duration that disagrees with its range",
    WarningCode.OVERLAP: "a block that starts before the one above it ends "
    "(parallel sessions that start together excepted)",
    WarningCode.GAP: "unscheduled time between blocks (one line a day)",
    WarningCode.HOURS: "a block outside the meeting's announced hours",
    WarningCode.NUMBERING: "the same number on two blocks",
    WarningCode.END_BEFORE_START: "an end before its start that is no run past midnight: the end is ignored",
    WarningCode.DATE_ORDER: "a date that could be day/month or month/day, or a day before the programme's first day",
    WarningCode.WEEKDAY: "a date that is not the weekday written next to it; the date is used",
    WarningCode.NOTE: "a warning of a reviewed file without a code calsync knows",
}


@dataclass(frozen=True)
class Notice:
    """A warning about the agenda, with the line it is about when there is one."""

    message: str
    line: int | None = None
    code: WarningCode = WarningCode.NOTE

    def to_data(self) -> dict[str, Any]:
        return {"line": self.line, "code": str(self.code), "message": self.message}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Notice:
        try:
            code = WarningCode(str(data.get("code") or WarningCode.NOTE))
        except ValueError:  # a code of another version, or a hand edit: still a warning
            code = WarningCode.NOTE
        return cls(message=str(data["message"]), line=data.get("line"), code=code)


@dataclass(frozen=True)
class MeetingZone:
    """The meeting's clock: a geographic or ``Etc/`` IANA zone, the label as written, and how it was read."""

    zone: str
    as_written: str | None = None
    note: str | None = None
    # The label names the half of the year the zone's clock is not on at the meeting ("CET" in July): decided where
    # the label is read (reading.zonelabels), never from the note's words. Not in the plain-data form: a reviewed file
    # has it decided again from its label and zone (reading.structured).
    label_disagrees: bool = False

    def __post_init__(self) -> None:
        try:
            if len(self.zone) > MAX_ZONE_NAME:
                raise ValueError("too long for a zone name")
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError, OSError) as e:  # OSError: a name the file system cannot look up
            raise ZoneError(
                f"unknown time zone {shorten(self.zone, 60)!r}", hint="use an IANA name such as Europe/Paris"
            ) from e

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def to_data(self) -> dict[str, Any]:
        return {"as_written": self.as_written, "zone": self.zone, "note": self.note}


@dataclass(frozen=True)
class Block:
    """One session block of the meeting: a span of time with a title and what belongs to it."""

    key: str
    title: str
    start: datetime
    end: datetime
    number: str | None = None
    end_inferred: bool = False
    duration_minutes: int | None = None  # as stated in the agenda ("(8 min)"), not computed
    description: str = ""
    names: tuple[str, ...] = ()
    minutes_per_name: int | None = None  # "(5 min. par pays)"
    line: int | None = None

    def __post_init__(self) -> None:
        for label, value in (("start", self.start), ("end", self.end)):
            if value.tzinfo is None or value.utcoffset() is None:
                raise AgendaError(
                    f"block {shorten(self.title, 60)!r} has a {label} without a time zone", line=self.line
                )
            if not MIN_YEAR <= value.year <= MAX_YEAR:
                raise AgendaError(
                    f"block {shorten(self.title, 60)!r} {label}s in {value.year}, outside the years "
                    f"calsync handles ({MIN_YEAR}–{MAX_YEAR})",
                    line=self.line,
                    hint="check the date",
                )
        if self.minutes_per_name is not None and not 0 <= self.minutes_per_name <= MAX_MINUTES_PER_NAME:
            raise AgendaError(
                f"block {shorten(self.title, 60)!r} gives {self.minutes_per_name} minutes per name",
                line=self.line,
                hint=f"give between 0 and {MAX_MINUTES_PER_NAME} minutes per name",
            )
        if self.end.astimezone(_UTC) <= self.start.astimezone(_UTC):  # same-zone datetimes compare by wall clock
            raise AgendaError(
                f"block {self.title!r} ends ({self.end:%H:%M}) before it starts ({self.start:%H:%M})",
                line=self.line,
                hint="correct the end time in the agenda",
            )

    @property
    def minutes(self) -> int:
        """The block's actual length in minutes (absolute time, so DST changes count)."""
        return int((self.end.astimezone(_UTC) - self.start.astimezone(_UTC)).total_seconds() // 60)

    @property
    def label(self) -> str:
        """Number and title as a person would say them: ``VI. Remarques finales``."""
        return f"{self.number}. {self.title}" if self.number else self.title

    def name_slots(self) -> list[tuple[str, datetime, datetime]]:
        """Each name's estimated slot when the agenda gives a time per name, in order from the block's start."""
        if not self.minutes_per_name or not self.names:
            return []
        step = timedelta(minutes=self.minutes_per_name)
        tz = self.start.tzinfo
        utc_start = self.start.astimezone(ZoneInfo("UTC"))
        return [
            (name, (utc_start + i * step).astimezone(tz), (utc_start + (i + 1) * step).astimezone(tz))
            for i, name in enumerate(self.names)
        ]

    def to_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "number": self.number,
            "title": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "end_inferred": self.end_inferred,
            "duration_minutes": self.duration_minutes,
            "minutes_per_name": self.minutes_per_name,
            "description": self.description,
            "names": list(self.names),
            "line": self.line,
        }


@dataclass(frozen=True)
class Agenda:
    """A whole meeting: its title, clock, place, blocks in agenda order, and warnings for the organiser."""

    title: str
    timezone: MeetingZone
    blocks: tuple[Block, ...]
    key: str
    location: str | None = None
    conference_url: str | None = None
    hours: tuple[datetime, datetime] | None = None  # the announced meeting hours, when stated
    warnings: tuple[Notice, ...] = ()
    source: str | None = None
    language: str | None = None  # the agenda's language as read ("en", "fr", "es", "de"), for text written for people

    def __post_init__(self) -> None:
        if self.language is not None and self.language not in LANGUAGES:
            raise AgendaError(f"unknown agenda language {self.language!r}", hint=f"use one of {', '.join(LANGUAGES)}")
        if not self.blocks:
            raise AgendaError(
                "the agenda has no session blocks", hint="check that it gives times such as 16:00 – 16:30"
            )
        keys = [b.key for b in self.blocks]
        if len(set(keys)) != len(keys):
            dup = next(k for k in keys if keys.count(k) > 1)
            raise AgendaError(f"two blocks share the key {dup!r}", hint="give each block a distinct key")

    @property
    def tzinfo(self) -> ZoneInfo:
        return self.timezone.tzinfo

    @property
    def start(self) -> datetime:
        return min((b.start for b in self.blocks), key=lambda d: d.astimezone(_UTC))

    @property
    def end(self) -> datetime:
        return max((b.end for b in self.blocks), key=lambda d: d.astimezone(_UTC))

    @property
    def dates(self) -> list[date]:
        """The meeting's days in its own zone, in order."""
        return sorted({b.start.astimezone(self.tzinfo).date() for b in self.blocks})

    def with_conference_url(self, url: str | None) -> Agenda:
        """The same agenda with a join link (e.g. the Zoom link that arrived late); ``None`` keeps the current one."""
        if not url:
            return self
        return replace(self, conference_url=url)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "calsync": 1,
            "key": self.key,
            "title": self.title,
            "timezone": self.timezone.to_data(),
            "location": self.location,
            "conference_url": self.conference_url,
            "hours": None
            if self.hours is None
            else {"start": self.hours[0].isoformat(), "end": self.hours[1].isoformat()},
            "source": self.source,
            "language": self.language,
            "blocks": [b.to_data() for b in self.blocks],
            "warnings": [w.to_data() for w in self.warnings],
        }
        return data


def localize(naive: datetime, tz: ZoneInfo, line: int | None) -> datetime:
    """``naive`` wall-clock time in ``tz``; a time skipped or repeated by a DST change is an error, never a shift."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None)
        if round_trip != naive:
            raise AmbiguousTimeError(
                f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key} (the clocks jump forward then)",
                line=line,
                hint="correct the time, or give it in another zone with --meeting-tz",
            )
        raise AmbiguousTimeError(
            f"{naive:%Y-%m-%d %H:%M} happens twice in {tz.key} (the clocks go back then)",
            line=line,
            hint="give the time in UTC or a fixed offset with --meeting-tz, e.g. --meeting-tz UTC+1",
        )
    return first


def format_offset(delta: timedelta | None) -> str:
    """A UTC offset as ISO 8601 writes it: ``+02:00``, ``-06:00``, ``+05:45``."""
    minutes = int((delta or timedelta(0)).total_seconds() // 60)
    h, m = divmod(abs(minutes), 60)
    return f"{'+' if minutes >= 0 else '-'}{h:02d}:{m:02d}"


def short_offset(delta: timedelta | None) -> str:
    """A UTC offset as people say it: ``+2``, ``-4``, ``+5:30`` (write ``UTC`` before it)."""
    minutes = int((delta or timedelta(0)).total_seconds() // 60)
    h, m = divmod(abs(minutes), 60)
    return f"{'+' if minutes >= 0 else '-'}{h}" + (f":{m:02d}" if m else "")


def same_instant(a: datetime | None, b: datetime | None) -> bool:
    """Whether two aware datetimes are the same instant.

    Plain ``==`` between different zones is False for any time in a repeated DST hour (PEP 495), so compare in UTC.
    """
    if a is None or b is None:
        return a is b
    return a.astimezone(_UTC) == b.astimezone(_UTC)


def slug(text: str, limit: int = 40) -> str:
    """Lower-case ASCII words joined by hyphens: stable across accents and punctuation."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = "-".join(words)[:limit].strip("-")
    return out or "x"


def block_keys(blocks: Iterable[Block]) -> list[str]:
    """Keys that survive edits of times and numbers: the block's title, with an ordinal where titles repeat.

    Titles rather than numbers, because numbers are what organisers fix (the seed's second "VI" is really "VII") and
    shift when an item is inserted; a repeated title (a daily "Break") gets "-2", "-3" in agenda order.
    """
    seen: dict[str, int] = {}
    keys = []
    for b in blocks:
        base = slug(b.title)
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return keys


# What a meeting key may look like when a person gives one (--meeting-key, --replace, a reviewed JSON/YAML): it goes
# into ids and UIDs. Block keys (``block_keys``) have the same shape.
MEETING_KEY_PATTERN = regexcache.compile(r"[a-z0-9][a-z0-9-]{0,99}")
BLOCK_KEY_PATTERN = MEETING_KEY_PATTERN
MAX_URL = 2000


def join_url_problem(url: str) -> str | None:
    """What keeps ``url`` from being a join link calsync puts in events (http or https, with a host), or None.

    The one rule for ``--zoom-url`` and for a reviewed JSON/YAML's ``conference_url``: a ``javascript:`` or ``data:``
    link, a space or a control character never reaches a calendar.
    """
    if len(url) > MAX_URL:
        return f"is {len(url)} characters long, more than a link needs ({MAX_URL} at most)"
    if has_controls(url, allow=""):
        return "holds a control character"
    if any(c.isspace() for c in url):
        return "is not a web link"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # "http://[::1" and other broken hosts
        return "is not a web link"
    if parts.scheme.lower() not in ("http", "https") or not host:
        return "is not a web link"
    return None


def meeting_key(title: str, first_day: date) -> str:
    """A short key naming one meeting: its first day and a digest of its title."""
    digest = hashlib.sha256(slug(title, 200).encode()).hexdigest()[:8]
    return f"{first_day.isoformat()}-{slug(title, 24)}-{digest}"
