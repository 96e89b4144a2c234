"""Names of clocks as people read them: CLDR's name of a zone's clock in the reader's language ("heure d'été d'Europe
centrale"), a zone's city ("Manaos"), an offset ("UTC−03:00"), and a country's other clocks ("Manaus −1 h")."""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from . import datacache
from .i18n import gettext_for, language
from .model import format_offset
from .places import country_zones, main_zone, zone_population

__all__ = ["MINUS", "utc_label", "is_fixed", "zone_label", "city_name", "country_clocks"]

# The minus sign people read in offsets ("UTC−03:00"); data (CSV, JSON, ISO dates) keeps the ASCII hyphen.
MINUS = "\u2212"


def utc_label(delta: timedelta | None) -> str:
    """``UTC+02:00``, ``UTC−03:00`` (a real minus sign), ``UTC`` for no offset."""
    if not delta:
        return "UTC"
    return "UTC" + format_offset(delta).replace("-", MINUS)


def is_fixed(zone: str) -> bool:
    """Whether ``zone`` is a fixed offset (``Etc/GMT-1``, ``UTC``): its clock is named by its offset."""
    return zone.startswith("Etc/") or zone in ("UTC", "UCT", "GMT", "Zulu", "Universal", "Greenwich")


def zone_label(zone: str, at: datetime, lang: str | None = None) -> str:
    """The name of ``zone``'s clock at the instant ``at``, in the reader's language: CLDR's long name
    ("Central European Summer Time", "heure d'été d'Europe centrale"), or the offset for fixed-offset zones."""
    local = at.astimezone(ZoneInfo(zone))
    if is_fixed(zone):
        return utc_label(local.utcoffset())
    offset = local.utcoffset()
    # babel's name depends on the instant only through summer time and the offset (its "GMT+2" fallback)
    key = ("name", zone, language(lang), bool(local.dst()), offset.total_seconds() if offset is not None else None)
    try:
        name = _kept().get(key, lambda: _cldr_name(local, lang))
    except (LookupError, ValueError):  # a zone CLDR has no name for: the offset says it all
        return utc_label(local.utcoffset())
    # CLDR's fallback for zones without a name is "GMT-03:00" or "Unknown Region …": the offset, written our way.
    if re.match(r"(?:GMT|UTC)(?:[+\-\u2212]|$)", name):
        return utc_label(local.utcoffset())
    return name


def city_name(zone: str, lang: str | None = None) -> str:
    """CLDR's name of a zone's city in the reader's language ("Manaos" in French, "Brüssel" in German)."""
    try:
        return _kept().get(("city", zone, language(lang)), lambda: _cldr_city(zone, lang))
    except (LookupError, ValueError):
        return zone.rsplit("/", 1)[-1].replace("_", " ")


@functools.cache
def _kept() -> datacache.Kept:
    """CLDR's names of clocks and cities as babel gives them, kept across runs (loading babel's dates module and a
    locale's data costs more than the rest of the participants' zones)."""
    return datacache.Kept("zone-names", lambda: (datacache.stamp(__name__), datacache.stamp("babel")))


def _cldr_name(local: datetime, lang: str | None) -> str:
    from babel.dates import get_timezone_name

    return str(get_timezone_name(local, "long", locale=language(lang)))


def _cldr_city(zone: str, lang: str | None) -> str:
    from babel.dates import get_timezone_location

    return str(get_timezone_location(ZoneInfo(zone), locale=language(lang), return_city=True))


def _difference(delta: timedelta) -> str:
    """``+1 h``, ``−2 h``, ``−30 min``, ``+1 h 30``: how far another clock is from the row's (no-break spaces, so
    that a wrapped label never leaves "h" alone on a line)."""
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else MINUS
    h, m = divmod(abs(minutes), 60)
    if not h:
        return f"{sign}{m}\u00a0min"
    return f"{sign}{h}\u00a0h" + (f"\u00a0{m:02d}" if m else "")


def country_clocks(code: str, at: datetime, lang: str | None = None, most: int = 3) -> str | None:
    """When a country's zones show several offsets at ``at``: its main clock and the others, each named by its most
    populous zone's city ("Brasilia Standard Time; Manaus −1 h, Noronha +1 h"); ``None`` when one offset serves all."""
    main = main_zone(code)
    if main is None:
        return None
    groups: dict[timedelta, list[str]] = {}
    for zone, _ in country_zones(code):
        groups.setdefault(at.astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0), []).append(zone)
    if len(groups) < 2:
        return None
    people = zone_population()
    base = at.astimezone(ZoneInfo(main)).utcoffset() or timedelta(0)
    others = [
        (sum(people.get(z, 0) for z in zones), offset, max(zones, key=lambda z: people.get(z, 0)))
        for offset, zones in groups.items()
        if offset != base
    ]
    others.sort(key=lambda o: -o[0])
    shown = sorted(others[:most], key=lambda o: o[1])  # west to east, as on a map
    _ = gettext_for(lang)
    listed = ", ".join(f"{city_name(zone, lang)} {_difference(offset - base)}" for _, offset, zone in shown)
    if len(others) > most:
        listed += ", …"
    return _("{clock}; {others}").format(clock=zone_label(main, at, lang), others=listed)
