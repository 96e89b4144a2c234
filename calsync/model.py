"""The meeting as calsync understands it: frozen dataclasses with aware datetimes only, and no I/O.

An :class:`Agenda` is what every output (``.ics``, local times, Google events) is made from. Its plain-data form
(:meth:`Agenda.to_data` / :meth:`Agenda.from_data`) is the JSON/YAML that ``calsync parse`` prints and that every
command reads back, so a person can review and correct what was read.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import AgendaError, AmbiguousTimeError, ZoneError
from .places import LANGUAGES

_UTC = ZoneInfo("UTC")

__all__ = ["same_instant", "localize", "format_offset", "short_offset", "Notice", "MeetingZone", "Block", "Agenda", "slug", "block_keys", "meeting_key"]


@dataclass(frozen=True)
class Notice:
    """A warning about the agenda, with the line it is about when there is one."""

    message: str
    line: int | None = None
    code: str = "note"

    def to_data(self) -> dict[str, Any]:
        return {"line": self.line, "code": self.code, "message": self.message}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Notice:
        return cls(message=str(data["message"]), line=data.get("line"), code=str(data.get("code") or "note"))


@dataclass(frozen=True)
class MeetingZone:
    """The meeting's clock: a geographic or ``Etc/`` IANA zone, the label as written, and how it was read."""

    zone: str
    as_written: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ZoneError(f"unknown time zone {self.zone!r}", hint="use an IANA name such as Europe/Paris") from e

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
                raise AgendaError(f"block {self.title!r} has a {label} without a time zone", line=self.line)
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
            raise AgendaError("the agenda has no session blocks", hint="check that it gives times such as 16:00 – 16:30")
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
            "hours": None if self.hours is None else {"start": self.hours[0].isoformat(), "end": self.hours[1].isoformat()},
            "source": self.source,
            "language": self.language,
            "blocks": [b.to_data() for b in self.blocks],
            "warnings": [w.to_data() for w in self.warnings],
        }
        return data

    @classmethod
    def from_data(cls, data: Any, *, file: str | None = None) -> Agenda:
        """Build an agenda from its plain-data form, checking every field a person may have edited."""
        if not isinstance(data, dict):
            raise AgendaError("a structured agenda must be a mapping with 'title', 'timezone' and 'blocks'", file=file)
        try:
            tz_data = data.get("timezone") or {}
            if isinstance(tz_data, str):
                tz_data = {"zone": tz_data}
            zone = MeetingZone(zone=str(tz_data["zone"]), as_written=tz_data.get("as_written"), note=tz_data.get("note"))
            tz = zone.tzinfo
            title = str(data.get("title") or "Meeting")
            raw_blocks = data["blocks"]
            if not isinstance(raw_blocks, list):
                raise AgendaError("'blocks' must be a list", file=file)
            blocks: list[Block] = []
            for i, b in enumerate(raw_blocks, 1):
                if not isinstance(b, dict):
                    raise AgendaError(f"block {i} must be a mapping", file=file)
                blocks.append(
                    Block(
                        key=str(b.get("key") or ""),
                        title=str(b["title"]),
                        number=None if b.get("number") in (None, "") else str(b["number"]),
                        start=_aware(b["start"], tz, f"block {i} start"),
                        end=_aware(b["end"], tz, f"block {i} end"),
                        end_inferred=bool(b.get("end_inferred", False)),
                        duration_minutes=_int_or_none(b.get("duration_minutes")),
                        minutes_per_name=_int_or_none(b.get("minutes_per_name")),
                        description=str(b.get("description") or ""),
                        names=tuple(str(n) for n in (b.get("names") or ())),
                        line=_int_or_none(b.get("line")),
                    )
                )
            if any(not b.key for b in blocks):
                auto = block_keys(blocks)
                blocks = [b if b.key else replace(b, key=k) for b, k in zip(blocks, auto)]
            hours = data.get("hours")
            return cls(
                title=title,
                timezone=zone,
                blocks=tuple(blocks),
                key=str(data.get("key") or meeting_key(title, min(b.start.astimezone(_UTC) for b in blocks).astimezone(tz).date())),
                location=data.get("location"),
                conference_url=data.get("conference_url") or None,
                hours=None if not hours else (_aware(hours["start"], tz, "hours start"), _aware(hours["end"], tz, "hours end")),
                warnings=tuple(Notice.from_data(w) for w in (data.get("warnings") or ())),
                source=data.get("source"),
                language=data.get("language") or None,
            )
        except AgendaError as e:  # before ValueError, which it subclasses
            raise e.located(file) if file else e
        except (KeyError, TypeError, ValueError) as e:
            raise AgendaError(f"structured agenda is missing or has a wrong field: {e}", file=file,
                              hint="compare with the output of 'calsync parse'") from e


def _int_or_none(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _aware(value: Any, tz: ZoneInfo, what: str) -> datetime:
    """An ISO 8601 string or datetime as an aware datetime in ``tz``; naive values are read as ``tz`` wall time."""
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as e:
            raise AgendaError(f"{what}: {value!r} is not an ISO 8601 date-time", hint="write e.g. 2020-07-22T16:00:00+02:00") from e
    if parsed.tzinfo is None:
        return localize(parsed, tz, None)  # a wall-clock time: one that DST skips or repeats is an error
    return parsed.astimezone(tz)


def localize(naive: datetime, tz: ZoneInfo, line: int | None) -> datetime:
    """``naive`` wall-clock time in ``tz``; a time skipped or repeated by a DST change is an error, never a shift."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None)
        if round_trip != naive:
            raise AmbiguousTimeError(
                f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key} (the clocks jump forward then)",
                line=line, hint="correct the time, or give it in another zone with --meeting-tz",
            )
        raise AmbiguousTimeError(
            f"{naive:%Y-%m-%d %H:%M} happens twice in {tz.key} (the clocks go back then)",
            line=line, hint="give the time in UTC or a fixed offset with --meeting-tz, e.g. --meeting-tz UTC+1",
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


# What a meeting key may look like when a person gives one (--meeting-key, --replace): it goes into ids and UIDs.
MEETING_KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


def meeting_key(title: str, first_day: date) -> str:
    """A short key naming one meeting: its first day and a digest of its title."""
    digest = hashlib.sha256(slug(title, 200).encode()).hexdigest()[:8]
    return f"{first_day.isoformat()}-{slug(title, 24)}-{digest}"
