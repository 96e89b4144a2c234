"""Places and their time zones, from CLDR (babel) and tzdata: countries in four languages, cities, IANA names.

No table here is written by hand: country names come from babel's territory names, a country's zones from CLDR's
territory zones ordered by tzdata's ``zone1970.tab``, cities from IANA zone names and CLDR's exemplar cities, and old
names from tzdata's links.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources
from zoneinfo import available_timezones

__all__ = ["LANGUAGES", "fold", "canonical_zone", "country_zones", "country_code", "city_zone", "iana_name",
           "place_zone", "english_name", "spellings"]

# Languages whose country names people may write (the agendas calsync reads are in these).
LANGUAGES = ("en", "fr", "es", "de")

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


# --- data from tzdata and CLDR --------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """A matching key: accents, apostrophe styles, punctuation, underscores and case do not matter."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("ß", "ss")
    return " ".join(re.findall(r"[^\W_]+", text))


def _tz_text(name: str) -> str:
    return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
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


@functools.lru_cache(maxsize=None)
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


@functools.lru_cache(maxsize=None)
def _zone_tab_names() -> frozenset[str]:
    return frozenset(z for _, z, _ in tab("zone.tab"))


def _canonical(zone: str) -> str:
    aliases = links()
    seen = set()
    while zone in aliases and zone not in seen:
        seen.add(zone)
        zone = aliases[zone]
    return zone


@functools.lru_cache(maxsize=None)
def available() -> frozenset[str]:
    return frozenset(available_timezones())


@functools.lru_cache(maxsize=None)
def territory_zones() -> dict[str, list[str]]:
    from babel.core import get_global

    return dict(get_global("territory_zones"))


@functools.lru_cache(maxsize=None)
def country_zones(code: str) -> tuple[tuple[str, str], ...]:
    """A country's zones as (IANA name, tzdata comment), main zone first: the first ``zone1970.tab`` row of the country."""
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


@functools.lru_cache(maxsize=None)
def country_names() -> dict[str, tuple[str, str]]:
    """Folded country name (en/fr/es/de, and CLDR variants) → (ISO code, English name)."""
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
    return index


@functools.lru_cache(maxsize=None)
def city_names() -> dict[str, str]:
    """Folded city name → IANA zone, from zone names ("Bogota") and CLDR exemplar cities ("Bogotá", "Wien")."""
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


@functools.lru_cache(maxsize=None)
def zone_names() -> dict[str, str]:
    """Case-insensitive IANA names → the name as zoneinfo spells it."""
    return {z.casefold(): z for z in available()}


def country_code(name: str) -> tuple[str, str] | None:
    """(ISO code, English name) when ``name`` is a country name in one of :data:`LANGUAGES`."""
    return country_names().get(fold(name))


def english_name(code: str) -> str:
    from babel import Locale

    return Locale("en").territories.get(code, code)


# The word "city" written around a city's name, in the languages calsync reads.
CITY_WORDS = re.compile(r"\s+(?:city|stadt|ville|ciudad)$|^(?:ciudad|ville|cit[eé])\s+(?:de\s+(?:la\s+)?|d['’]\s*)|^stadt\s+",
                         re.I)




def city_zone(name: str) -> str | None:
    """The zone of a city named in any of :data:`LANGUAGES` ("Bogotá", "Wien", "Calcutta")."""
    return city_names().get(fold(name))


def iana_name(name: str) -> str | None:
    """An IANA zone name in any case ("europe/paris"), as zoneinfo spells it."""
    return zone_names().get(name.casefold())


def place_zone(name: str) -> tuple[str, str | None] | None:
    """(main zone, ISO country code or None) of an IANA name, ISO code, country or city; None if it is none of them.

    "Guatemala City", "Ciudad de Guatemala", "Stadt Wien": the place's name is also tried without the word "city".
    """
    text = " ".join(name.split())
    if "/" in text:
        iana = iana_name(text)
        return (canonical_zone(iana), None) if iana else None
    for candidate in dict.fromkeys((text, CITY_WORDS.sub("", text).strip())):
        if not candidate:
            continue
        if len(candidate) == 2 and candidate.isalpha() and candidate.upper() in territory_zones():
            code = candidate.upper()
        else:
            code = (country_code(candidate) or (None, None))[0]
        if code:
            zones = country_zones(code)
            return (zones[0][0], code) if zones else None
        city = city_zone(candidate)
        if city:
            return city, None
    return None


def spellings() -> dict[str, str]:
    """Every name calsync knows, folded → how to show it: for "did you mean …" suggestions."""
    spelled: dict[str, str] = {}
    for folded, (_code, english) in country_names().items():
        spelled.setdefault(folded, english)
    for folded, zone in city_names().items():
        spelled.setdefault(folded, zone.rsplit("/", 1)[-1].replace("_", " "))
    for zone in available():
        spelled.setdefault(fold(zone), zone)
    return spelled
