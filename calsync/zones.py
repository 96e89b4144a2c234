"""Participants' zones (countries, cities, IANA names) and each block's local time in each of them.

Country → zone comes from data, never from a table written here: CLDR's territory zones (via babel) say which zones
a country has, and GeoNames' towns which of them most people live in (see :mod:`calsync.places`). Zone names people
read are :mod:`calsync.zonenames`' (re-exported here). Nothing here prints.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from .errors import InputFileError, UsageError, ZoneError
from .i18n import gettext_for, language, short_date
from .limits import MAX_FILE_BYTES
from .model import Agenda, Block, format_offset, short_offset
from .placenames import suggestions
from .places import (
    available,
    country_code,
    country_zones,
    english_name,
    find_place,
    fold,
    main_zone,
    same_clock,
    tab,
    territory_names,
    without_city_word,
    zone_population,
)
from .printable import one_line
from .reading.vocabulary import EMAIL_HEADER, PARTICIPANT_NAME_HEADER, PLACE_HEADER, ZONE_HEADER
from .reading.zonelabels import ABBREVIATIONS, REGIONS, is_offset_label, resolve_label
from .zonenames import MINUS, city_name, country_clocks, is_fixed, utc_label, zone_label

# Labels' summer and winter offsets are read in a recent year; only the rules, not the year, matter for the notes.
PROBE_YEAR = 2024

__all__ = [
    "ParticipantZone",
    "ZoneSource",
    "Flag",
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
    "zone_label",
    "utc_label",
    "city_name",
    "country_clocks",
    "NIGHT",
]

# What counts as night wherever the participant is: a block touching 22:00–06:00 local asks someone to be awake.
NIGHT = (time(22), time(6))


class ZoneSource(StrEnum):
    """Where a participant's zone came from (``calsync times -f json`` carries the value)."""

    MEETING = "meeting"  # the meeting's own clock, always first
    AGENDA = "agenda"  # a country named in the agenda's blocks (the default when no zone is given)
    TZ = "tz"  # --tz
    PARTICIPANTS = "participants"  # a row of --participants FILE


@dataclass(frozen=True)
class ParticipantZone:
    """A place whose people join the meeting: the label they recognise and the IANA zone it stands for."""

    label: str
    zone: str
    note: str | None = None
    source: ZoneSource = ZoneSource.TZ
    people: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()  # the e-mail column of a participants file, as written (for `push --invite`)
    # What the organiser at the command line can do about the choice ("use --tz ZONE ..."); never shown to
    # participants (the note is plain facts, fit for a page or an e-mail).
    hint: str | None = None
    country: str | None = None  # ISO code when the place is a country: its row also names its other clocks

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


class Flag(StrEnum):
    """What a block's local time asks of a participant (``calsync times`` CSV and JSON carry the value)."""

    OUTSIDE_WORK_HOURS = "outside-work-hours"  # starts before or ends after --work-hours
    NIGHT = "night"  # touches 22:00–06:00 local
    EARLY = "early"  # starts before work hours, not at night
    LATE = "late"  # ends after work hours, not at night


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
    flags: tuple[Flag, ...] = field(default=())


# --- resolving one name -----------------------------------------------------------------------------------------------


def _country_zone(code: str, label: str, source: ZoneSource) -> ParticipantZone:
    zone = main_zone(code)
    if not zone:
        raise ZoneError(
            f"no time zone is known for {label!r} ({code})", hint="pass an IANA zone with --tz, e.g. --tz Europe/Paris"
        )
    # the zones whose clocks differ from the main one's at some time of year, the most populous first
    people = zone_population() if len(country_zones(code)) > 1 else {}
    others = sorted((z for z, _ in country_zones(code) if not same_clock(z, zone)), key=lambda z: -people.get(z, 0))
    hint = None
    if others:
        listed = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
        hint = f"{label}: shown on {zone}; use --tz ZONE to pick another of its zones ({listed}) for people elsewhere"
    return ParticipantZone(label=label, zone=zone, source=source, hint=hint, country=code)


def resolve_zone(name: str, *, source: ZoneSource = ZoneSource.TZ, lang: str | None = None) -> ParticipantZone:
    """Turn an IANA name, ISO country code, country name (en/fr/es/de), city name or label into a participant's zone.

    ``lang`` is the language of the note written for participants (a label read as a region's civil time).
    """
    text = " ".join(name.split())
    if not text:
        raise ZoneError("an empty time zone name", hint="give an IANA name, a country or a city, e.g. --tz Ghana")
    label_zone = _label_zone(text, source)
    if label_zone:
        note, hint = _label_note(text, label_zone, lang)
        return ParticipantZone(label=text, zone=label_zone, note=note, source=source, hint=hint)
    place = find_place(text)
    if place is None:
        raise ZoneError(f"unknown time zone, country or city {text!r}", hint=_suggest(without_city_word(text) or text))
    if place.country is not None:
        label = english_name(place.country) if len(text) == 2 and text.isalpha() else text
        return _country_zone(place.country, label, source)
    hint = None
    if place.city is not None and place.others:
        other = place.others[0]
        hint = (
            f"{text} → {place.city.describe()}; for {other.describe()} write "
            f"'{other.name}, {english_name(other.country)}'"
        )
    # old aliases ("US/Eastern") come back under their current name, as every calendar client knows it
    return ParticipantZone(label=text, zone=place.zone, source=source, hint=hint)


def _label_note(text: str, zone: str, lang: str | None) -> tuple[str | None, str | None]:
    """Why a label such as "EST" is shown at UTC-4 in July: it stands for a region's civil time, not a fixed offset.

    The places that keep the label's offset all year come from tzdata (their zones' names for January and July).
    """
    upper = text.upper()
    if upper not in ABBREVIATIONS:
        return None, None
    region_key, summer_named = ABBREVIATIONS[upper]
    tz = ZoneInfo(zone)
    jan, jul = (datetime(PROBE_YEAR, m, 15, 12, tzinfo=tz) for m in (1, 7))
    if jan.utcoffset() == jul.utcoffset():
        return None, None
    winter, summer = (jan, jul) if not jan.dst() else (jul, jan)
    other = summer if summer_named is not True else winter
    _ = gettext_for(lang)
    from babel.dates import get_timezone_name

    # The region's name for the whole year ("Eastern Time"), not its summer or winter one: babel's zone_variant
    # (its third positional parameter is the ignored, deprecated ``uncommon``).
    region = get_timezone_name(tz, "long", zone_variant="generic", locale=language(lang))
    offset = "UTC" + short_offset(other.utcoffset()).replace("-", MINUS)
    template = (
        _("{label} read as {region} ({zone}), {offset} in summer")
        if other is summer
        else _("{label} read as {region} ({zone}), {offset} in winter")
    )
    note = template.format(label=text, region=region, zone=zone, offset=offset)
    if summer_named is None:
        return note, None
    # tzdata's own abbreviation for the label's offset ("MEZ" is "CET" there)
    fixed = REGIONS[region_key].summer if summer_named else REGIONS[region_key].standard
    places = _fixed_label_places(fixed or upper, (summer if summer_named else winter).utcoffset() or timedelta(0))
    hint = None
    if places:
        named = [city_name(z, lang) for z in places]
        note += _("; {places} keep {label} all year").format(places=" / ".join(named), label=fixed)
        hint = f"{text}: give --tz with a city such as {' or '.join(city_name(z) for z in places)} for fixed {fixed}"
    return note, hint


@functools.cache
def _fixed_label_places(label: str, offset: timedelta) -> tuple[str, ...]:
    """Up to two countries' main zones whose clocks read ``label`` at ``offset`` all year."""
    places = []
    for codes, zone, _ in tab("zone1970.tab"):
        if zone not in available() or not any((country_zones(c) or (("",),))[0][0] == zone for c in codes):
            continue
        tz = ZoneInfo(zone)
        probes = [datetime(2024, m, 15, 12, tzinfo=tz) for m in (1, 7)]
        if all(d.tzname() == label and d.utcoffset() == offset for d in probes):
            places.append(zone)
    return tuple(sorted(places, key=lambda z: z.rsplit("/", 1)[-1])[:2])


def _label_zone(text: str, source: ZoneSource = ZoneSource.TZ) -> str | None:
    """Labels and offsets read as the meeting's labels are ("EST" → New York civil time, "UTC+3" → Etc/GMT-3)."""
    upper = text.upper()
    if upper in ("UTC", "GMT", "Z"):
        return "Etc/UTC"
    if upper in ABBREVIATIONS or is_offset_label(text):
        try:
            # which zone a label names does not depend on the day
            return resolve_label(text, date(PROBE_YEAR, 1, 15)).zone
        except ZoneError as e:
            raise ZoneError(e.message, hint=_offset_hint(text, source)) from None
    return None


def _offset_hint(text: str, source: ZoneSource) -> str:
    """What to write instead of an offset that has no IANA zone ("UTC+5:30"): a place that keeps it all year."""
    m = re.search(r"([+\-−–])\s*(\d{1,2})(?::?(\d{2}))?$", text)
    zone = None
    if m:
        sign = -1 if m.group(1) != "+" else 1
        offset = sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        zone = _zone_at_offset(offset)
    example = zone or "Asia/Kolkata"
    if source == ZoneSource.TZ:
        return f"give the place's zone or city with --tz instead, e.g. --tz {example}"
    return f"write the place's zone or city instead, e.g. {example}"


@functools.cache
def _zone_at_offset(offset: timedelta) -> str | None:
    """The most populous country's main zone that keeps ``offset`` all year (UTC+5:30 → Asia/Kolkata)."""
    found = [
        zone
        for _, zone, _ in tab("zone1970.tab")
        if zone in available()
        and all(datetime(PROBE_YEAR, m, 15, 12, tzinfo=ZoneInfo(zone)).utcoffset() == offset for m in (1, 7))
    ]
    if not found:
        return None
    people = zone_population()
    return max(found, key=lambda z: people.get(z, 0))


def _suggest(text: str) -> str:
    """What the person may have meant, and what calsync accepts."""
    names = suggestions(text)
    did_you_mean = f"did you mean {', '.join(names)}? " if names else ""
    return (
        f"{did_you_mean}give an IANA zone (America/Bogota), an ISO country code (GH), "
        "a country name in English, French, Spanish or German, or a city"
    )


def with_suggestions(error: ZoneError, text: str) -> ZoneError:
    """A ``--meeting-tz`` error with "did you mean" when a known name is close to ``text`` (the reader knows only IANA
    names to suggest; countries and cities are known here)."""
    if "did you mean" in (error.hint or ""):
        return error
    names = suggestions(text)
    if not names:
        return error
    return ZoneError(
        error.message,
        file=error.file,
        line=error.line,
        hint=f"did you mean {', '.join(names)}? {error.hint or ''}".strip(),
    )


# --- whose zones: agenda, --tz, --participants ------------------------------------------------------------------------


def meeting_zone(agenda: Agenda) -> ParticipantZone:
    """The meeting's own clock, always shown first, named in the agenda's language on its first day."""
    zone = agenda.timezone.zone
    name = zone_label(zone, agenda.start, agenda.language)
    name = name[:1].upper() + name[1:]  # a name on its own: "Heure d'été d'Europe centrale"
    label = name if is_fixed(zone) else f"{name} ({zone})"
    return ParticipantZone(label=label, zone=zone, note=agenda.timezone.note, source=ZoneSource.MEETING)


def agenda_countries(agenda: Agenda) -> list[ParticipantZone]:
    """Countries named in the agenda's blocks (e.g. the seed's speakers by country), in order, without repeats."""
    out: list[ParticipantZone] = []
    seen: set[tuple[str, str]] = set()
    for block in agenda.blocks:
        for name in block.names:
            country = country_code(name.strip())
            if country is None:
                continue  # a person's or body's name, not a country
            pz = _country_zone(country[0], " ".join(name.split()), ZoneSource.AGENDA)
            if (pz.zone, pz.label) not in seen:
                seen.add((pz.zone, pz.label))
                out.append(pz)
    return out


def participant_zones(
    agenda: Agenda, tz: Sequence[str] = (), participants: Path | None = None
) -> list[ParticipantZone]:
    """The meeting's zone, then the ``--tz`` and ``--participants`` zones, or by default the agenda's countries.

    Every label is for the agenda's readers: in its language, and a country whose zones show different offsets on
    the meeting's first day says so in its own label ("Brazil (Brasilia Standard Time; Manaus −1 h, Noronha +1 h)").
    """
    lang = agenda.language
    zones = [meeting_zone(agenda)]
    # "--tz Ghana,Chile" is two zones; "--tz Ghana," one (IANA names, countries and cities never hold a comma).
    names = [part.strip() for name in tz for part in name.split(",") if part.strip()]
    chosen: list[ParticipantZone] = [resolve_zone(name, source=ZoneSource.TZ, lang=lang) for name in names]
    if participants is not None:
        chosen.extend(read_participants(participants, lang=lang))
    if not names and participants is None:
        chosen = agenda_countries(agenda)
    seen = {(zones[0].zone, zones[0].label)}
    for pz in chosen:
        pz = _for_readers(pz, agenda.start, lang)
        if (pz.zone, pz.label) not in seen:
            seen.add((pz.zone, pz.label))
            zones.append(pz)
    return zones


def _for_readers(pz: ParticipantZone, at: datetime, lang: str | None) -> ParticipantZone:
    """A country's label in the reader's language (for an ISO code), with its other clocks if they differ at ``at``."""
    if pz.country is None:
        return pz
    label = pz.label
    if label == english_name(pz.country):
        label = territory_names(language(lang)).get(pz.country, label)
    clocks = country_clocks(pz.country, at, lang)
    if clocks:
        _ = gettext_for(lang)
        label = _("{country} ({clocks})").format(country=label, clocks=clocks)
    return replace(pz, label=label)


# A participants file's headers, folded as its header cells are (vocabulary's words, four languages)
_HEADERS = {
    key: frozenset(fold(word) for word in words.all())
    for key, words in (
        ("name", PARTICIPANT_NAME_HEADER),
        ("email", EMAIL_HEADER),
        ("zone", ZONE_HEADER),
        ("country", PLACE_HEADER),
    )
}


def read_participants(path: Path, lang: str | None = None) -> list[ParticipantZone]:
    """Read a participants CSV (name, e-mail, zone or country) into one zone per place, with its people.

    Every error in the file, unreadable or with a place calsync does not know, is an :class:`InputFileError` that
    names the file and line (one exit code for the file, whatever is wrong in it).
    """
    rows = _csv_rows(_participants_text(path), path)
    columns = _columns(rows[0], path)
    groups: dict[tuple[str, str], ParticipantZone] = {}
    people: dict[tuple[str, str], list[str]] = {}
    emails: dict[tuple[str, str], list[str]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {key: row[i].strip() if i < len(row) else "" for key, i in columns.items()}
        pz, who = _participant(cells, path, number, lang)
        key = (pz.zone, pz.label)
        groups.setdefault(key, pz)
        if who:
            people.setdefault(key, []).append(who)
        if cells.get("email"):
            emails.setdefault(key, []).append(cells["email"])
    return [
        replace(pz, people=tuple(people.get(key, ())), emails=tuple(emails.get(key, ()))) for key, pz in groups.items()
    ]


def _participants_text(path: Path) -> str:
    """The participants file as text: UTF-8 (with or without Excel's BOM) or UTF-16 with a BOM."""
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise InputFileError(
                f"participants file {path} is too large for a list of people",
                hint="give a CSV with one line per participant",
            )
        raw = Path(path).read_bytes()
    except OSError as e:
        raise InputFileError(f"cannot read participants file {path}: {e.strerror or e}", hint="check the path") from e
    try:
        # Excel writes UTF-8 with a BOM, or UTF-16 with a BOM for "Unicode text"
        return raw.decode("utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputFileError(f"{path} is not UTF-8 text", hint="save the CSV as UTF-8") from e


def _csv_rows(text: str, path: Path) -> list[list[str]]:
    """The file's rows, split on the delimiter its first line uses most (comma, semicolon or tab)."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as e:  # a field over the csv module's size limit, a NUL in older Pythons
        raise InputFileError(
            f"participants file {path} is not a CSV file calsync can read ({e})",
            hint="save it as CSV with one line per participant",
        ) from None
    if not rows:
        raise InputFileError(f"{path} is empty", hint="write a header line such as name,email,country")
    return rows


def _columns(header: list[str], path: Path) -> dict[str, int]:
    """Which column holds each of name, e-mail, zone and country (the first header that names it)."""
    folded = [fold(h) for h in header]
    columns: dict[str, int] = {}
    for key, names in _HEADERS.items():
        first = next((i for i, h in enumerate(folded) if h in names), None)
        if first is not None:
            columns[key] = first
    if "zone" not in columns and "country" not in columns:
        raise InputFileError(
            f"no zone or country column in the header {header!r}",
            file=path,
            line=1,
            hint="write a header such as name,email,country (or zone/timezone/tz)",
        )
    return columns


def _participant(cells: dict[str, str], path: Path, line: int, lang: str | None) -> tuple[ParticipantZone, str]:
    """One row's zone and who it is (their name, else their e-mail)."""
    place = cells.get("zone") or cells.get("country")
    who = one_line(cells.get("name") or cells.get("email") or "")  # shown on pages, e-mails, terminals: no controls
    if not place:
        raise InputFileError(
            f"no zone or country for {who or 'this participant'}",
            file=path,
            line=line,
            hint="fill in the zone or country column",
        )
    try:
        return resolve_zone(place, source=ZoneSource.PARTICIPANTS, lang=lang), who
    except ZoneError as e:
        raise InputFileError(e.message, file=path, line=line, hint=e.hint) from e


# --- local times ------------------------------------------------------------------------------------------------------


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


def _flags(start: datetime, end: datetime, work_hours: tuple[time, time]) -> tuple[Flag, ...]:
    """Why a local span asks something of the participant: early, late, night, outside work hours."""
    s = start.hour * 60 + start.minute
    # Minutes from the local midnight before the start, so a block crossing midnight ends past 1440.
    e = s + int((end - start).total_seconds() // 60)
    night_start, night_end = minute_of_day(NIGHT[0]), minute_of_day(NIGHT[1])
    nights = [(-1440 + night_start, night_end), (night_start, 1440 + night_end), (1440 + night_start, 2880 + night_end)]
    at_night = any(s < ne and e > ns for ns, ne in nights)
    ws, we = minute_of_day(work_hours[0]), minute_of_day(work_hours[1])
    flags: list[Flag] = []
    if s < ws or e > we:
        flags.append(Flag.OUTSIDE_WORK_HOURS)
    if at_night:
        flags.append(Flag.NIGHT)
    else:
        if s < ws:
            flags.append(Flag.EARLY)
        if e > we:
            flags.append(Flag.LATE)
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


def format_local_span(lt: LocalTime, lang: str | None = None) -> str:
    """``08:00–08:08 (UTC−06:00)``; with the local date when it is not the meeting's: ``00:00–01:00 Thu, Jul 23
    (UTC+09:00)``, in the reader's language."""
    day = f" {short_date(lt.start.date(), lang)}" if lt.day_shift else ""
    return f"{lt.start:%H:%M}–{lt.end:%H:%M}{day} ({utc_label(lt.start.utcoffset())})"
