"""Dates as agendas write them, in English, French, Spanish and German, with names from babel's CLDR data.

"22 juillet 2020", "Monday, 30 November 2020", "jueves 23 de enero", "Mittwoch, 11.03.2015", "2020-10-05", "1 July".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from babel.dates import get_day_names, get_month_names

LOCALES = ("en", "fr", "es", "de")


def fold(text: str) -> str:
    """Lower-case, accents removed, one character for one: positions in the result are positions in ``text``."""
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append((base[:1] or ch).lower() if len(base) >= 1 else ch.lower())
    return "".join(out)


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, int], dict[str, int]]:
    """Month name -> 1..12 and weekday name -> 0..6 (Monday 0) for every supported locale, folded."""
    months: dict[str, int] = {}
    days: dict[str, int] = {}
    for locale in LOCALES:
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in get_month_names(width, context, locale).items():
                    key = fold(name).rstrip(".")
                    if len(key) >= 3:
                        months.setdefault(key, number)
                for number, name in get_day_names(width, context, locale).items():
                    key = fold(name).rstrip(".")
                    if len(key) >= 3:
                        days.setdefault(key, number)
    return months, days


@lru_cache(maxsize=1)
def _patterns() -> list[re.Pattern[str]]:
    months, days = _names()
    mon = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    wd = "|".join(sorted(map(re.escape, days), key=len, reverse=True))
    weekday = rf"(?:(?P<wd>{wd})\.?,?\s+(?:the\s+|le\s+|el\s+|den\s+|der\s+)?)?"
    return [
        re.compile(rf"\b{weekday}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})\b"),
        re.compile(rf"\b{weekday}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}})\b"),
        re.compile(rf"\b{weekday}(?P<sa>\d{{1,2}})/(?P<sb>\d{{1,2}})/(?P<y>\d{{4}})\b"),
        re.compile(rf"\b{weekday}(?P<y>\d{{4}})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})\b"),
        re.compile(rf"\b{weekday}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<yy>\d{{2}})(?![\d.])"),
        re.compile(
            rf"\b{weekday}(?P<d>\d{{1,2}})(?:er|re|st|nd|rd|th|\.|º|°)?\s+(?:de\s+|of\s+)?(?P<mon>{mon})\b\.?"
            rf"(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{{4}})\b)?"
        ),
        re.compile(rf"\b{weekday}(?P<mon>{mon})\b\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?"),
    ]


@dataclass(frozen=True)
class DateMention:
    """A date written in a line: day and month, and the year and weekday when given."""

    start: int
    end: int
    day: int
    month: int
    year: int | None
    weekday: int | None  # 0 = Monday
    text: str
    ambiguous: bool = False  # "12/05/2026": day and month could be either way round


def find_dates(text: str) -> list[DateMention]:
    """Every date mentioned in ``text``, in order; a missing year is filled from a later one in the same text."""
    folded = fold(text)
    months, days = _names()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _patterns():
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            groups = m.groupdict()
            ambiguous = False
            if groups.get("sa"):
                # 12/05/2026: day first as in most of the world, unless a part over 12 says otherwise
                a, b = int(groups["sa"]), int(groups["sb"])
                day, month = (b, a) if b > 12 >= a else (a, b)
                ambiguous = a <= 12 and b <= 12 and a != b
            else:
                month = int(groups["m"]) if groups.get("m") else months[groups["mon"].rstrip(".")]
                day = int(groups["d"])
            year = int(groups["y"]) if groups.get("y") else (2000 + int(groups["yy"]) if groups.get("yy") else None)
            weekday = days.get(groups["wd"].rstrip(".")) if groups.get("wd") else None
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), day, month, year, weekday, text[m.start():m.end()], ambiguous))
    found.sort(key=lambda d: d.start)
    # "27 March-7 April 2017": the first date takes the year written once at the end.
    for i, mention in enumerate(found):
        if mention.year is None:
            later = next((d.year for d in found[i + 1:] if d.year), None)
            if later:
                found[i] = replace(mention, year=later)
    return found


def year_from_weekday(day: int, month: int, weekday: int, reference: int, window: int = 6) -> int | None:
    """The year nearest ``reference`` (within ``window`` years) in which ``day month`` falls on ``weekday``."""
    best: int | None = None
    for year in range(reference - window, reference + window + 1):
        try:
            if date(year, month, day).weekday() != weekday:
                continue
        except ValueError:
            continue
        if best is None or abs(year - reference) < abs(best - reference):
            best = year
    return best

