"""Participants' zones (countries, cities, IANA names) and each block's local time in each of them.

Country → zone comes from data, never from a table written here: CLDR's territory zones (via babel) say which zones
a country has, and tzdata's ``zone1970.tab`` row order says which of them is the main one. City names come from the
IANA zone names themselves and from CLDR's localized exemplar cities. Nothing here prints.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Sequence
from zoneinfo import ZoneInfo

from .errors import InputFileError, UsageError, ZoneError
from .limits import MAX_FILE_BYTES
from .model import Agenda, Block, format_offset, short_offset
from .printable import one_line
from .places import (CITY_WORDS, available, country_code, country_zones, english_name, fold, place_zone, spellings,
                     tab)
from .reading.zonelabels import ABBREVIATIONS, REGIONS, is_offset_label, resolve_label

# Labels' summer and winter offsets are read in a recent year; only the rules, not the year, matter for the notes.
PROBE_YEAR = 2024

__all__ = [
    "ParticipantZone",
    "LocalTime",
    "resolve_zone",
    "country_zones",
    "agenda_countries",
    "participant_zones",
    "read_participants",
    "local_times",
    "format_local_span",
    "format_offset",
    "parse_work_hours",
    "NIGHT",
]

# What counts as night wherever the participant is: a block touching 22:00–06:00 local asks someone to be awake.
NIGHT = (time(22), time(6))

@dataclass(frozen=True)
class ParticipantZone:
    """A place whose people join the meeting: the label they recognise and the IANA zone it stands for."""

    label: str
    zone: str
    note: str | None = None
    source: str = "tz"  # "meeting" | "agenda" | "tz" | "participants"
    people: tuple[str, ...] = ()
    # What the organiser at the command line can do about the choice ("use --tz ZONE ..."); never shown to
    # participants (the note is plain facts, fit for a page or an e-mail).
    hint: str | None = None

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


@dataclass(frozen=True)
class LocalTime:
    """One block as lived in one zone: local start and end, offset, summer time, day shift and flags."""

    block: Block
    zone: ParticipantZone
    start: datetime
    end: datetime
    offset: str
    dst: bool
    day_shift: int
    flags: tuple[str, ...] = field(default=())


# --- resolving one name -----------------------------------------------------------------------------------------------


def _country_zone(code: str, label: str, source: str) -> ParticipantZone:
    zones = country_zones(code)
    if not zones:
        raise ZoneError(f"no time zone is known for {label!r} ({code})", hint="pass an IANA zone with --tz, e.g. --tz Europe/Paris")
    main, comment = zones[0]
    note = hint = None
    if len(zones) > 1:
        others = ", ".join(z for z, _ in zones[1:4]) + (", …" if len(zones) > 4 else "")
        why = f" ({comment})" if comment else ""
        note = f"{label} has {len(zones)} time zones; shown: {main}{why}; others: {others}"
        hint = f"{label}: use --tz ZONE to pick another of its zones ({others}) for people elsewhere"
    return ParticipantZone(label=label, zone=main, note=note, source=source, hint=hint)


def resolve_zone(name: str, *, source: str = "tz") -> ParticipantZone:
    """Turn an IANA name, ISO country code, country name (en/fr/es/de), city name or label into a participant's zone."""
    text = " ".join(name.split())
    if not text:
        raise ZoneError("an empty time zone name", hint="give an IANA name, a country or a city, e.g. --tz Ghana")
    label_zone = _label_zone(text)
    if label_zone:
        note, hint = _label_note(text, label_zone)
        return ParticipantZone(label=text, zone=label_zone, note=note, source=source, hint=hint)
    found = place_zone(text)
    if found is None:
        raise ZoneError(f"unknown time zone, country or city {text!r}", hint=_suggest(CITY_WORDS.sub("", text) or text))
    zone, code = found
    if code is not None:
        label = english_name(code) if len(text) == 2 and text.isalpha() else text
        return _country_zone(code, label, source)
    # old aliases ("US/Eastern") come back under their current name, as every calendar client knows it
    return ParticipantZone(label=text, zone=zone, source=source)


def _label_note(text: str, zone: str) -> tuple[str | None, str | None]:
    """Why a label such as "EST" is shown at UTC-4 in July: it stands for a region's civil time, not a fixed offset.

    The places that keep the label's offset all year come from tzdata (their zones' names for January and July).
    """
    upper = text.upper()
    if upper not in ABBREVIATIONS:
        return None, None
    region_key, summer_named = ABBREVIATIONS[upper]
    region = REGIONS[region_key]
    tz = ZoneInfo(zone)
    jan, jul = (datetime(PROBE_YEAR, m, 15, 12, tzinfo=tz) for m in (1, 7))
    if jan.utcoffset() == jul.utcoffset():
        return None, None
    winter, summer = (jan, jul) if not jan.dst() else (jul, jan)
    other = summer if summer_named is not True else winter
    season = "in summer" if other is summer else "in winter"
    note = (f"{text} read as the civil time of {region.name} ({zone}), "
            f"UTC{short_offset(other.utcoffset())} {season}")
    if summer_named is None:
        return note, None
    fixed = region.summer if summer_named else region.standard
    places = _fixed_label_places(fixed, (summer if summer_named else winter).utcoffset() or timedelta(0))
    hint = None
    if places:
        note += f"; {' and '.join(places)} {'keep' if len(places) > 1 else 'keeps'} {fixed} all year"
        hint = f"{text}: give --tz with a city such as {' or '.join(places)} for fixed {fixed}"
    return note, hint


@functools.lru_cache(maxsize=None)
def _fixed_label_places(label: str, offset: timedelta) -> tuple[str, ...]:
    """Up to two countries' main zones (as city names) whose clocks read ``label`` at ``offset`` all year."""
    places = []
    for codes, zone, _ in tab("zone1970.tab"):
        if zone not in available() or not any((country_zones(c) or (("",),))[0][0] == zone for c in codes):
            continue
        tz = ZoneInfo(zone)
        probes = [datetime(2024, m, 15, 12, tzinfo=tz) for m in (1, 7)]
        if all(d.tzname() == label and d.utcoffset() == offset for d in probes):
            places.append(zone.rsplit("/", 1)[-1].replace("_", " "))
    return tuple(sorted(places)[:2])


def _label_zone(text: str) -> str | None:
    """Labels and offsets read as the meeting's labels are ("EST" → New York civil time, "UTC+3" → Etc/GMT-3)."""
    upper = text.upper()
    if upper in ("UTC", "GMT", "Z"):
        return "Etc/UTC"
    if upper in ABBREVIATIONS or is_offset_label(text):
        return resolve_label(text, date(PROBE_YEAR, 1, 15))[0]  # which zone a label names does not depend on the day
    return None


def _suggest(text: str) -> str:
    """What the person may have meant, and what calsync accepts."""
    spelled = spellings()
    close = difflib.get_close_matches(fold(text), list(spelled), n=4, cutoff=0.75)
    names = list(dict.fromkeys(spelled[c] for c in close))
    did_you_mean = f"did you mean {', '.join(names)}? " if names else ""
    return (f"{did_you_mean}give an IANA zone (America/Bogota), an ISO country code (GH), "
            "a country name in English, French, Spanish or German, or a major city")


# --- whose zones: agenda, --tz, --participants --------------------------------------------------------------------------


def meeting_zone(agenda: Agenda) -> ParticipantZone:
    """The meeting's own clock, always shown first."""
    from babel.dates import get_timezone_name

    zone = agenda.timezone.zone
    try:
        generic = get_timezone_name(ZoneInfo(zone), "long", "generic", locale="en")
    except Exception:  # noqa: BLE001 - a missing CLDR name only costs the nicer label
        generic = ""
    label = f"{generic} ({zone})" if generic and generic != zone else zone
    return ParticipantZone(label=label, zone=zone, note=agenda.timezone.note, source="meeting")


def agenda_countries(agenda: Agenda) -> list[ParticipantZone]:
    """Countries named in the agenda's blocks (e.g. the seed's speakers by country), in order, without repeats."""
    out: list[ParticipantZone] = []
    seen: set[tuple[str, str]] = set()
    for block in agenda.blocks:
        for name in block.names:
            country = country_code(name.strip())
            if country is None:
                continue  # a person's or body's name, not a country
            pz = _country_zone(country[0], " ".join(name.split()), "agenda")
            if (pz.zone, pz.label) not in seen:
                seen.add((pz.zone, pz.label))
                out.append(pz)
    return out


def participant_zones(agenda: Agenda, tz: Sequence[str] = (), participants: Path | None = None) -> list[ParticipantZone]:
    """The meeting's zone, then the ``--tz`` and ``--participants`` zones, or by default the agenda's countries."""
    zones = [meeting_zone(agenda)]
    # "--tz Ghana,Chile" is two zones; "--tz Ghana," one (IANA names, countries and cities never hold a comma).
    names = [part.strip() for name in tz for part in name.split(",") if part.strip()]
    chosen: list[ParticipantZone] = [resolve_zone(name, source="tz") for name in names]
    if participants is not None:
        chosen.extend(read_participants(participants))
    if not names and participants is None:
        chosen = agenda_countries(agenda)
    seen = {(zones[0].zone, zones[0].label)}
    for pz in chosen:
        if (pz.zone, pz.label) not in seen:
            seen.add((pz.zone, pz.label))
            zones.append(pz)
    return zones


_HEADERS = {
    "name": ("name", "participant", "person", "nom", "nombre", "full name"),
    "email": ("email", "e mail", "mail", "courriel", "correo"),
    "zone": ("zone", "timezone", "time zone", "tz", "iana", "fuseau", "fuseau horaire", "zona horaria", "zeitzone"),
    "country": ("country", "pays", "pais", "land", "city", "ville", "ciudad", "stadt", "place", "location"),
}


def read_participants(path: Path) -> list[ParticipantZone]:
    """Read a participants CSV (name, e-mail, zone or country) into one zone per place, with its people."""
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise InputFileError(f"participants file {path} is too large for a list of people",
                                 hint="give a CSV with one line per participant")
        raw = Path(path).read_bytes()
    except OSError as e:
        raise InputFileError(f"cannot read participants file {path}: {e.strerror or e}", hint="check the path") from e
    try:
        # Excel writes UTF-8 with a BOM, or UTF-16 with a BOM for "Unicode text"
        text = raw.decode("utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputFileError(f"{path} is not UTF-8 text", hint="save the CSV as UTF-8") from e
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as e:  # a field over the csv module's size limit, a NUL in older Pythons
        raise InputFileError(f"participants file {path} is not a CSV file calsync can read ({e})",
                             hint="save it as CSV with one line per participant") from None
    if not rows:
        raise InputFileError(f"{path} is empty", hint="write a header line such as name,email,country")
    header = [fold(h) for h in rows[0]]
    columns: dict[str, int] = {}
    for key, names in _HEADERS.items():
        for i, h in enumerate(header):
            if h in names and key not in columns:
                columns[key] = i
    if "zone" not in columns and "country" not in columns:
        raise InputFileError(
            f"no zone or country column in the header {rows[0]!r}", file=path, line=1,
            hint="write a header such as name,email,country (or zone/timezone/tz)",
        )
    groups: dict[tuple[str, str], ParticipantZone] = {}
    people: dict[tuple[str, str], list[str]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        def cell(key: str, row: list[str] = row) -> str:
            return row[columns[key]].strip() if key in columns and columns[key] < len(row) else ""

        place = cell("zone") or cell("country")
        who = one_line(cell("name") or cell("email"))  # shown on pages, in e-mails and terminals: no control characters
        if not place:
            raise InputFileError(f"no zone or country for {who or 'this participant'}", file=path, line=number,
                                 hint="fill in the zone or country column")
        try:
            pz = resolve_zone(place, source="participants")
        except ZoneError as e:
            raise ZoneError(e.message, file=path, line=number, hint=e.hint) from e
        key = (pz.zone, pz.label)
        groups.setdefault(key, pz)
        if who:
            people.setdefault(key, []).append(who)
    return [ParticipantZone(label=pz.label, zone=pz.zone, note=pz.note, source=pz.source,
                            people=tuple(people.get(key, ())), hint=pz.hint) for key, pz in groups.items()]


# --- local times -------------------------------------------------------------------------------------------------------


def parse_work_hours(text: str) -> tuple[time, time]:
    """``08:00-20:00`` → (08:00, 20:00); a clear error for anything else."""
    m = re.fullmatch(r"\s*(\d{1,2})(?:[:h.](\d{2})|h)?\s*[-–—]\s*(\d{1,2})(?:[:h.](\d{2})|h)?\s*", text or "")
    hint = "write them as HH:MM-HH:MM, e.g. --work-hours 08:00-20:00"
    if not m:
        raise UsageError(f"--work-hours {text!r} is not a span of hours", hint=hint)
    h1, m1, h2, m2 = (int(g or 0) for g in m.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise UsageError(f"--work-hours {text!r} has an impossible time", hint=hint)
    start = time(h1, m1)
    end = time(23, 59, 59, 999999) if h2 == 24 else time(h2, m2)
    if end <= start:
        raise UsageError(f"--work-hours {text!r} ends before it starts", hint=hint)
    return start, end


def minute_of_day(t: time) -> int:
    """Minutes since midnight, a started minute counting whole."""
    return t.hour * 60 + t.minute + (1 if t.second or t.microsecond else 0)


def _flags(start: datetime, end: datetime, work_hours: tuple[time, time]) -> tuple[str, ...]:
    """Why a local span asks something of the participant: early, late, night, outside work hours."""
    s = start.hour * 60 + start.minute
    # Minutes from the local midnight before the start, so a block crossing midnight ends past 1440.
    e = s + int((end - start).total_seconds() // 60)
    night_start, night_end = minute_of_day(NIGHT[0]), minute_of_day(NIGHT[1])
    nights = [(-1440 + night_start, night_end), (night_start, 1440 + night_end), (1440 + night_start, 2880 + night_end)]
    at_night = any(s < ne and e > ns for ns, ne in nights)
    ws, we = minute_of_day(work_hours[0]), minute_of_day(work_hours[1])
    flags: list[str] = []
    if s < ws or e > we:
        flags.append("outside-work-hours")
    if at_night:
        flags.append("night")
    else:
        if s < ws:
            flags.append("early")
        if e > we:
            flags.append("late")
    return tuple(flags)


def local_times(
    agenda: Agenda, zones: Sequence[ParticipantZone], work_hours: tuple[time, time] = (time(8), time(20))
) -> list[LocalTime]:
    """Every block in every zone, block by block in agenda order, zones in the given order."""
    meeting_tz = agenda.tzinfo
    out: list[LocalTime] = []
    for block in agenda.blocks:
        meeting_date = block.start.astimezone(meeting_tz).date()
        for pz in zones:
            tz = pz.tzinfo
            start, end = block.start.astimezone(tz), block.end.astimezone(tz)
            out.append(
                LocalTime(
                    block=block,
                    zone=pz,
                    start=start,
                    end=end,
                    offset=format_offset(start.utcoffset()),
                    dst=bool(start.dst()),
                    day_shift=(start.date() - meeting_date).days,
                    flags=_flags(start, end, work_hours),
                )
            )
    return out


def day_marker(day_shift: int) -> str:
    """``+1 day`` / ``-1 day`` / ``""``."""
    if not day_shift:
        return ""
    return f"{day_shift:+d} day" + ("s" if abs(day_shift) > 1 else "")


def format_local_span(lt: LocalTime) -> str:
    """``08:00–08:08 (UTC-06:00)``, with ``+1 day`` when the local date is not the meeting's."""
    text = f"{lt.start:%H:%M}–{lt.end:%H:%M} (UTC{lt.offset})"
    marker = day_marker(lt.day_shift)
    return f"{text} {marker}" if marker else text

