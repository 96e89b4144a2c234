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
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Sequence
from zoneinfo import ZoneInfo, available_timezones

from .errors import InputFileError, UsageError, ZoneError
from .model import Agenda, Block

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

# Languages whose country names people may write (the agendas calsync reads are in these).
LANGUAGES = ("en", "fr", "es", "de")

# What counts as night wherever the participant is: a block touching 22:00–06:00 local asks someone to be awake.
NIGHT = (time(22), time(6))

# CLDR has alternative country names (alt="variant"/"short", e.g. German "Elfenbeinküste") that babel's data drops;
# these map such names to ISO codes only: the zones still come from CLDR/tzdata data.
_CLDR_VARIANT_NAMES: dict[str, tuple[str, ...]] = {
    "CI": ("Ivory Coast", "Elfenbeinküste"),
    "CZ": ("Czech Republic", "Tschechische Republik"),
    "CD": ("Congo (DRC)", "Kongo (Demokratische Republik)"),
    "CG": ("Congo (Republic)", "Kongo (Republik)"),
    "CV": ("Cape Verde",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "MM": ("Burma",),
    "GB": ("UK",),
    "US": ("USA",),
}

_CONTINENTS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


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


# --- data from tzdata and CLDR --------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """A matching key: accents, apostrophe styles, punctuation, underscores and case do not matter."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("ß", "ss")
    return " ".join(re.findall(r"[^\W_]+", text))


def _tz_text(name: str) -> str:
    return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def _tab(name: str) -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """Rows of a tzdata ``.tab`` file as (country codes, zone, comment), in file order."""
    rows = []
    for line in _tz_text(name).splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) >= 3:
            rows.append((tuple(cols[0].split(",")), cols[2], cols[3] if len(cols) > 3 else ""))
    return tuple(rows)


@functools.lru_cache(maxsize=None)
def _links() -> dict[str, str]:
    """tzdata's links (alias → target), so that CLDR's and tzdata's names for one zone can be compared."""
    links = {}
    for line in _tz_text("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()[:3]
            links[alias] = target
    return links


def canonical_zone(zone: str) -> str:
    """tzdata's current name for an old alias ("US/Eastern", "EST5EDT" → "America/New_York", "Asia/Calcutta" →
    "Asia/Kolkata"). Names that zone.tab still lists for a country (Europe/Amsterdam, Europe/Stockholm) stay as they
    are even where tzdata links them to a neighbour, because that is the name people and calendar clients know."""
    if zone.startswith("Etc/") or zone in _zone_tab_names():
        return zone
    return _canonical(zone)


@functools.lru_cache(maxsize=None)
def _zone_tab_names() -> frozenset[str]:
    return frozenset(z for _, z, _ in _tab("zone.tab"))


def _canonical(zone: str) -> str:
    links = _links()
    seen = set()
    while zone in links and zone not in seen:
        seen.add(zone)
        zone = links[zone]
    return zone


@functools.lru_cache(maxsize=None)
def _available() -> frozenset[str]:
    return frozenset(available_timezones())


@functools.lru_cache(maxsize=None)
def _territory_zones() -> dict[str, list[str]]:
    from babel.core import get_global

    return dict(get_global("territory_zones"))


@functools.lru_cache(maxsize=None)
def country_zones(code: str) -> tuple[tuple[str, str], ...]:
    """A country's zones as (IANA name, tzdata comment), main zone first: the first ``zone1970.tab`` row of the country."""
    code = code.upper()
    zone_tab = [(z, c) for codes, z, c in _tab("zone.tab") if code in codes]
    # tzdata's own name for the country's zone ("Africa/Accra"), when CLDR and tzdata spell it differently.
    own_name = {_canonical(z): z for z, _ in zone_tab}
    names: list[str] = []
    for z in _territory_zones().get(code, []) or [z for z, _ in zone_tab]:
        name = own_name.get(_canonical(z)) or (z if z in _available() else _canonical(z))
        if name in _available() and name not in names:
            names.append(name)
    # A row whose first country is this one is the country's own; a shared row (CH,DE,LI Europe/Zurich for Büsingen)
    # belongs first to another country, so it comes after the country's own rows whatever its place in the file.
    rows_1970 = [(codes[0] != code, i, z, c) for i, (codes, z, c) in enumerate(_tab("zone1970.tab")) if code in codes]
    order_1970 = [(z, c) for *_, z, c in sorted(rows_1970)]

    def rank(name: str) -> tuple[int, int]:
        target = _canonical(name)
        for i, (z, _) in enumerate(order_1970):
            if _canonical(z) == target:
                return (0, i)
        for i, (z, _) in enumerate(zone_tab):
            if z == name:
                return (1, i)
        return (2, names.index(name))

    def comment(name: str) -> str:
        target = _canonical(name)
        for z, c in order_1970 + zone_tab:
            if _canonical(z) == target and c:
                return c
        return ""

    return tuple((n, comment(n)) for n in sorted(names, key=rank))


@functools.lru_cache(maxsize=None)
def _country_names() -> dict[str, tuple[str, str]]:
    """Folded country name (en/fr/es/de, and CLDR variants) → (ISO code, English name)."""
    from babel import Locale

    zones = _territory_zones()
    english = Locale("en").territories
    index: dict[str, tuple[str, str]] = {}
    for lang in LANGUAGES:
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code in zones:
                index.setdefault(_fold(name), (code, english.get(code, name)))
    for code, names in _CLDR_VARIANT_NAMES.items():
        for name in names:
            index.setdefault(_fold(name), (code, english.get(code, name)))
    return index


@functools.lru_cache(maxsize=None)
def _city_names() -> dict[str, str]:
    """Folded city name → IANA zone, from zone names ("Bogota") and CLDR exemplar cities ("Bogotá", "Wien")."""
    from babel import Locale

    preferred = {z for _, z, _ in _tab("zone.tab")}

    def zone_for(name: str) -> str:
        # Keep tzdata's own country zone names (Africa/Accra); old names (Asia/Calcutta) become the current one.
        return name if name in preferred else _canonical(name)

    index: dict[str, str] = {}
    geographic = sorted(z for z in _available() if z.split("/")[0] in _CONTINENTS)
    # Current names first so that a city's own zone wins over an old alias ending in the same word.
    geographic.sort(key=lambda z: (z not in preferred, z in _links(), z))
    for zone in geographic:
        index.setdefault(_fold(zone.rsplit("/", 1)[-1]), zone_for(zone))
    for lang in LANGUAGES:
        for zone, data in Locale(lang).time_zones.items():
            city = data.get("city")
            if city and zone in _available():
                index.setdefault(_fold(city), zone_for(zone))
    return index


@functools.lru_cache(maxsize=None)
def _zone_names() -> dict[str, str]:
    """Case-insensitive IANA names → the name as zoneinfo spells it."""
    return {z.casefold(): z for z in _available()}


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


def _country_code(name: str) -> tuple[str, str] | None:
    """(ISO code, English name) when ``name`` is a country name in one of :data:`LANGUAGES`."""
    return _country_names().get(_fold(name))


def resolve_zone(name: str, *, source: str = "tz") -> ParticipantZone:
    """Turn an IANA name, ISO country code, country name (en/fr/es/de) or city name into a participant's zone."""
    text = " ".join(name.split())
    if not text:
        raise ZoneError("an empty time zone name", hint="give an IANA name, a country or a city, e.g. --tz Ghana")
    label_zone = _label_zone(text)
    if label_zone:
        note, hint = _label_note(text, label_zone)
        return ParticipantZone(label=text, zone=label_zone, note=note, source=source, hint=hint)
    iana = _zone_names().get(text.casefold()) if "/" in text else None
    if iana:
        # old aliases ("US/Eastern") are written under their current name, as every calendar client knows it
        return ParticipantZone(label=text, zone=canonical_zone(iana), source=source)
    if len(text) == 2 and text.isalpha() and text.upper() in _territory_zones():
        code = text.upper()
        return _country_zone(code, _english_name(code), source)
    country = _country_code(text)
    if country:
        return _country_zone(country[0], text, source)
    city = _city_names().get(_fold(text))
    if city:
        return ParticipantZone(label=text, zone=city, source=source)
    # "Guatemala City", "Ciudad de Guatemala", "Ville de Québec": the place's name without the word "city".
    bare = _CITY_WORDS.sub("", text).strip()
    if bare and bare != text:
        city = _city_names().get(_fold(bare))
        if city:
            return ParticipantZone(label=text, zone=city, source=source)
        country = _country_code(bare)
        if country:
            return _country_zone(country[0], text, source)
    raise ZoneError(f"unknown time zone, country or city {text!r}", hint=_suggest(bare or text))


# The word "city" written around a city's name, in the languages calsync reads.
_CITY_WORDS = re.compile(r"\s+(?:city|stadt|ville|ciudad)$|^(?:ciudad|ville|cit[eé])\s+(?:de\s+(?:la\s+)?|d['’]\s*)|^stadt\s+",
                         re.I)


def _label_note(text: str, zone: str) -> tuple[str | None, str | None]:
    """Why a label such as "EST" is shown at UTC-4 in July: it stands for a region's civil time, not a fixed offset.

    The places that keep the label's offset all year come from tzdata (their zones' names for January and July).
    """
    from .reading.zonelabels import _REGIONS, ABBREVIATIONS

    upper = text.upper()
    if upper not in ABBREVIATIONS:
        return None, None
    region_key, summer_named = ABBREVIATIONS[upper]
    region = _REGIONS[region_key]
    tz = ZoneInfo(zone)
    jan, jul = (datetime(date.today().year, m, 15, 12, tzinfo=tz) for m in (1, 7))
    if jan.utcoffset() == jul.utcoffset():
        return None, None
    winter, summer = (jan, jul) if not jan.dst() else (jul, jan)
    other = summer if summer_named is not True else winter
    season = "in summer" if other is summer else "in winter"
    note = (f"{text} read as the civil time of {region.name} ({zone}), "
            f"UTC{_short_offset(other.utcoffset())} {season}")
    if summer_named is None:
        return note, None
    fixed = region.summer if summer_named else region.standard
    places = _fixed_label_places(fixed, (summer if summer_named else winter).utcoffset() or timedelta(0))
    hint = None
    if places:
        note += f"; {' and '.join(places)} {'keep' if len(places) > 1 else 'keeps'} {fixed} all year"
        hint = f"{text}: give --tz with a city such as {' or '.join(places)} for fixed {fixed}"
    return note, hint


def _short_offset(delta: timedelta | None) -> str:
    """``-4``, ``+5:30``."""
    text = format_offset(delta)
    hours, minutes = text[:3], text[4:]
    return f"{hours[0]}{int(hours[1:])}" + (f":{minutes}" if minutes != "00" else "")


@functools.lru_cache(maxsize=None)
def _fixed_label_places(label: str, offset: timedelta) -> tuple[str, ...]:
    """Up to two countries' main zones (as city names) whose clocks read ``label`` at ``offset`` all year."""
    places = []
    for codes, zone, _ in _tab("zone1970.tab"):
        if zone not in _available() or not any((country_zones(c) or (("",),))[0][0] == zone for c in codes):
            continue
        tz = ZoneInfo(zone)
        probes = [datetime(2024, m, 15, 12, tzinfo=tz) for m in (1, 7)]
        if all(d.tzname() == label and d.utcoffset() == offset for d in probes):
            places.append(zone.rsplit("/", 1)[-1].replace("_", " "))
    return tuple(sorted(places)[:2])


def _label_zone(text: str) -> str | None:
    """Labels and offsets read as the meeting's labels are ("EST" → New York civil time, "UTC+3" → Etc/GMT-3)."""
    from .reading.zonelabels import ABBREVIATIONS, is_offset_label, resolve_label

    upper = text.upper()
    if upper in ("UTC", "GMT", "Z"):
        return "Etc/UTC"
    if upper in ABBREVIATIONS or is_offset_label(text):
        return resolve_label(text, date.today())[0]
    return None


def _english_name(code: str) -> str:
    from babel import Locale

    return Locale("en").territories.get(code, code)


def _suggest(text: str) -> str:
    """What the person may have meant, and what calsync accepts."""
    key = _fold(text)
    spelled: dict[str, str] = {}
    for folded, (_code, english) in _country_names().items():
        spelled.setdefault(folded, english)
    for folded, zone in _city_names().items():
        spelled.setdefault(folded, zone.rsplit("/", 1)[-1].replace("_", " "))
    for zone in _available():
        spelled.setdefault(_fold(zone), zone)
    close = difflib.get_close_matches(key, list(spelled), n=4, cutoff=0.75)
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
            country = _country_code(name.strip())
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
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise InputFileError(f"{path} is empty", hint="write a header line such as name,email,country")
    header = [_fold(h) for h in rows[0]]
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
        who = cell("name") or cell("email")
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


def format_offset(delta: timedelta | None) -> str:
    """``+02:00`` / ``-06:00`` / ``+05:45``."""
    minutes = int((delta or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h:02d}:{m:02d}"


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute + (1 if t.second or t.microsecond else 0)


def _flags(start: datetime, end: datetime, work_hours: tuple[time, time]) -> tuple[str, ...]:
    """Why a local span asks something of the participant: early, late, night, outside work hours."""
    s = start.hour * 60 + start.minute
    # Minutes from the local midnight before the start, so a block crossing midnight ends past 1440.
    e = s + int((end - start).total_seconds() // 60)
    night_start, night_end = _minutes(NIGHT[0]), _minutes(NIGHT[1])
    nights = [(-1440 + night_start, night_end), (night_start, 1440 + night_end), (1440 + night_start, 2880 + night_end)]
    at_night = any(s < ne and e > ns for ns, ne in nights)
    ws, we = _minutes(work_hours[0]), _minutes(work_hours[1])
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

