"""The zone picker's places: countries and cities a participant may search for, each with its IANA zone.

:func:`zone_choices` is the one seam: a richer city list (GeoNames' towns, which places.py indexes) can replace its
body, and every page picks it up. Everything comes from CLDR (babel) and tzdata through :mod:`calsync.places`;
nothing is typed here.
"""

from __future__ import annotations

import functools

from ..places import LANGUAGES, available, country_zones, tab, territory_zones

__all__ = ["zone_choices", "country_names"]


@functools.lru_cache(maxsize=8)
def zone_choices(language: str | None = None) -> tuple[tuple[str, str], ...]:
    """(name people search for, IANA zone) pairs: countries in English and ``language``, each zone of a country with
    several as "Country – City", and each city tzdata names as "City (Country)". Sorted by name, without repeats."""
    from babel import Locale

    languages = ["en"] + ([language] if language in LANGUAGES and language != "en" else [])
    locales = [Locale(lang) for lang in languages]
    english = locales[0].territories
    pairs: dict[str, str] = {}

    def city(zone: str, locale: Locale) -> str:
        exemplar = locale.time_zones.get(zone, {}).get("city")
        return str(exemplar) if exemplar else zone.rsplit("/", 1)[-1].replace("_", " ")

    for code in sorted(territory_zones()):
        zones = [z for z, _ in country_zones(code) if z in available()]
        if not zones or code not in english:
            continue
        for locale in locales:
            name = str(locale.territories.get(code, english[code]))
            pairs.setdefault(name, zones[0])
            if len(zones) > 1:
                for zone in zones:
                    pairs.setdefault(f"{name} – {city(zone, locale)}", zone)
    # zone.tab, not zone1970.tab: it keeps one row per country (Africa/Accra for Ghana, where zone1970.tab folds
    # Accra into Abidjan), so each country's own city is found under its own name.
    for codes, zone, _ in tab("zone.tab"):
        if zone not in available():
            continue
        for locale in locales:
            country = str(locale.territories.get(codes[0], english.get(codes[0], codes[0])))
            place = city(zone, locale)
            pairs.setdefault(place if place == country else f"{place} ({country})", zone)
    return tuple(sorted(pairs.items(), key=lambda p: p[0].casefold()))


@functools.lru_cache(maxsize=8)
def country_names(language: str) -> dict[str, str]:
    """Each country's main zone → the country's name in ``language`` ("Africa/Accra" → "Ghana"), for naming the
    viewer's zone; a zone that is several countries' main one takes the first of their names in alphabetical order."""
    from babel import Locale

    names = Locale(language).territories
    english = Locale("en").territories
    pairs = []
    for code in sorted(territory_zones()):
        zones = [z for z, _ in country_zones(code) if z in available()]
        if zones and code in english:
            pairs.append((str(names.get(code, english[code])), zones[0]))
    out: dict[str, str] = {}
    for name, zone in sorted(pairs, key=lambda p: p[0].casefold()):
        out.setdefault(zone, name)
    return out
