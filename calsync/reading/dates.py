"""Dates as agendas write them, in English, French, Spanish and German, with names from babel's CLDR data.

"22 juillet 2020", "Monday, 30 November 2020", "jueves 23 de enero", "Mittwoch, 11.03.2015", "2020-10-05", "1 July".

Ranges ("8–10 September 2025", "du 8 au 10 septembre", "27 March – 7 April 2017", "4.–6. März 2026") are one
mention: its day/month/year are the FIRST day and ``last`` holds the last day. Day.month without a year
("Mittwoch, 4.3.", "Mo., 02.03.", "Lundi 6/10") is read with ``year=None``. ``find_day_number`` reads "Day 2" headings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from .. import datacache, regexcache
from .vocabulary import DAY, NUMBERED_THINGS

LOCALES = ("en", "fr", "es", "de")
# Regional spellings the four languages' main locales leave out: Peru's and Chile's "setiembre", Austria's "Jänner".
REGIONAL_LOCALES = ("es_PE", "de_AT")


def fold(text: str) -> str:
    """Lower-case, accents removed, one character for one: positions in the result are positions in ``text``."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    folded = (base[:1] or ch).lower()
    return folded if len(folded) == 1 else ch.lower()[:1] or ch


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, int], dict[str, int]]:
    """Month name -> 1..12 and weekday name -> 0..6 (Monday 0) for every supported locale, folded."""
    months, days, _ = _tables()
    return months, days


@lru_cache(maxsize=1)
def _short_days() -> dict[str, int]:
    """Two-letter weekday abbreviations ("Mo.", "Di.": German) -> 0..6; read only when written with their dot."""
    return _tables()[2]


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The names from CLDR, made once per machine from this module and babel's data (datacache)."""
    return datacache.memo("dates", (datacache.stamp(__name__), datacache.stamp("babel")), _cldr_names)


def _cldr_names() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    from babel.dates import get_day_names, get_month_names

    months: dict[str, int] = {}
    days: dict[str, int] = {}
    for locale in LOCALES + REGIONAL_LOCALES:
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
    short: dict[str, int] = {}
    for locale in LOCALES:
        for two_letter_context in ("format", "stand-alone"):
            for number, name in get_day_names("abbreviated", two_letter_context, locale).items():
                key = fold(name).rstrip(".")
                if len(key) == 2:
                    short.setdefault(key, number)
    return months, days, short


# Between the two ends of a range: "8–10", "du 8 au 10", "del 8 al 10", "4.–6.", "8 to 10", "vom 4. bis 6."
_RANGE_SEP = (
    r"(?:\s*[-–—−‐]\s*|\s*&\s*|\s+(?:to|au|al|a|bis|till?|until|through|thru|and|et|y|und|hasta(?:\s+el)?|jusqu'au)\s+)"
)
_SUFFIX = r"(?:er|re|st|nd|rd|th|o|º|°|\.)?"  # "1er", "3rd", "3.", "1º" (folded to "1o"), "1°"
# A day number right after one of these words is a number of that thing, not the first day of a range
# ("Session 3 - 10 March 2021" is 10 March).
_NUMBERED = frozenset(fold(w) for w in NUMBERED_THINGS.all())  # folded, as the text is (vocabulary)
# Before a day.month without a year and without a weekday: the start of the line, or one of these words.
_BARE_BEFORE = regexcache.compile(
    r"(?:^[\s#*_>|•·\-–]*|(?:^|\s)(?:am|vom|den|ab|le|du|au|el|del|al|on|from|date|datum|fecha|termin)\s*:?\s*)$"
)


def _weekday(group: str) -> str:
    """An optional weekday before a date ("Monday, ", "mer. ", "Mo., "), its name in group ``group``
    (``group + "s"`` for a two-letter one)."""
    _, days = _names()
    wd = "|".join(sorted(map(re.escape, days), key=len, reverse=True))
    short = "|".join(sorted(map(re.escape, _short_days()), key=len, reverse=True))
    return rf"(?:(?:(?P<{group}>{wd})\.?|(?P<{group}s>{short})\.),?\s+(?:the\s+|le\s+|el\s+|den\s+|der\s+)?)?"


@lru_cache(maxsize=1)
def _patterns() -> list[re.Pattern[str]]:
    months, _ = _names()
    mon = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    weekday = _weekday("wd")
    weekday2 = _weekday("wd2")
    not_time = r"(?!\s*(?:[:.h]\d|h\b|[ap]\.?\s?m\b|uhr\b))"
    return [
        # ranges first, so that their end is not read as a date of its own
        regexcache.compile(  # "8–10 September 2025", "du 8 au 10 septembre", "27 March-7 April 2017", "4.–6. März 2026"
            rf"\b{weekday}(?<![\d:./])(?P<d1>\d{{1,2}}){_SUFFIX}"
            rf"(?:\s+(?:de\s+|of\s+)?(?P<mon1>{mon})\b\.?(?:,?\s+(?:de\s+)?(?P<y1>\d{{4}})\b)?)?"
            rf"{_RANGE_SEP}{weekday2}(?P<d>\d{{1,2}}){_SUFFIX}\s+(?:de\s+|of\s+)?(?P<mon>{mon})\b\.?"
            rf"(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{{4}})\b)?"
        ),
        regexcache.compile(  # "September 8–10, 2025", "March 27 – April 7, 2017"
            rf"\b{weekday}(?P<mon1>{mon})\b\.?\s+(?<![\d:./])(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{_RANGE_SEP}{weekday2}"
            rf"(?:(?P<mon>{mon})\b\.?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b{not_time}(?:,?\s+(?P<y>\d{{4}})\b)?"
        ),
        regexcache.compile(  # "4.-6.3.2026", "04.03.–06.03.2026"
            rf"\b{weekday}(?<![\d:./])(?P<d1>\d{{1,2}})\.(?:(?P<m1>\d{{1,2}})\.)?{_RANGE_SEP}{weekday2}"
            rf"(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}})\b"
        ),
        regexcache.compile(rf"\b{weekday}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})\b"),
        regexcache.compile(rf"\b{weekday}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}})\b"),
        regexcache.compile(rf"\b{weekday}(?P<sa>\d{{1,2}})/(?P<sb>\d{{1,2}})/(?P<y>\d{{4}})\b"),
        regexcache.compile(
            rf"\b{weekday}(?<![\d:./-])(?P<sa>\d{{1,2}})-(?P<sb>\d{{1,2}})-(?P<y>\d{{4}})\b"
        ),  # 06-03-2025
        regexcache.compile(rf"\b{weekday}(?P<y>\d{{4}})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})\b"),
        regexcache.compile(rf"\b{weekday}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<yy>\d{{2}})(?![\d.])"),
        regexcache.compile(
            rf"\b{weekday}(?P<d>\d{{1,2}}){_SUFFIX}\s+(?:de\s+|of\s+)?(?P<mon>{mon})\b\.?"
            rf"(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{{4}})\b)?"
        ),
        regexcache.compile(
            rf"\b{weekday}(?P<mon>{mon})\b\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?"
        ),
        # day.month without a year: "Mittwoch, 4.3.", "Mo., 02.03.", "4.3." (the closing dot is required, so clock
        # times "12.30" and "9.15 – 9.30" are not dates); day/month with a weekday: "Lundi 6/10"
        regexcache.compile(rf"\b{weekday}(?<![\d:./])(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?![\d.])(?P<bare>)"),
        # "17.04 9.00am Arrival": a day.month without its closing dot, right before a clock time
        regexcache.compile(r"^\W*(?P<d>\d{1,2})\.(?P<m>0[1-9]|1[0-2])(?=\s+\d{1,2}[:.h]\d{2})(?P<bare>)"),
        regexcache.compile(rf"\b{weekday}(?<![\d:./])(?P<sa>\d{{1,2}})/(?P<sb>\d{{1,2}})(?![\d/])(?P<slash>)"),
    ]


class DateEnd(NamedTuple):
    """The last day of a range: day, month, and the year when written or implied by the first day's written year."""

    day: int
    month: int
    year: int | None


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
    last: DateEnd | None = None  # a range ("8–10 September 2025"): its last day; day/month/year above are the first

    def last_date(self, first: date) -> date | None:
        """The last day of a range given its resolved first day (``None`` for a single date or an impossible day)."""
        if self.last is None:
            return None
        year = self.last.year
        if year is None:
            year = first.year + (1 if (self.last.month, self.last.day) < (first.month, first.day) else 0)
        try:
            return date(year, self.last.month, self.last.day)
        except ValueError:
            return None


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
                name = groups.get("mon") or groups.get("mon1")  # "September 8–10": the end shares the month
                month = int(groups["m"]) if groups.get("m") else months[name.rstrip(".")]  # type: ignore[union-attr]
                day = int(groups["d"])
            year = int(groups["y"]) if groups.get("y") else (2000 + int(groups["yy"]) if groups.get("yy") else None)
            weekday = _weekday_of(groups, "wd")
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            if groups.get("bare") is not None or groups.get("slash") is not None:
                if not _bare_day_month_ok(folded, m, weekday is not None, groups.get("slash") is not None):
                    continue
            start = m.start()
            last = None
            if groups.get("d1"):
                first = _range_start(folded, m, groups, months, day, month, year)
                if first is None:
                    continue
                last = DateEnd(day, month, year)
                day, month, year = first
            taken.append((m.start(), m.end()))
            found.append(DateMention(start, m.end(), day, month, year, weekday, text[start : m.end()], ambiguous, last))
    found.sort(key=lambda d: d.start)
    # "27 March-7 April 2017": the first date takes the year written once at the end.
    for i, mention in enumerate(found):
        if mention.year is None:
            later = next((d.year for d in found[i + 1 :] if d.year), None)
            if later:
                found[i] = replace(mention, year=later)
    return found


def _weekday_of(groups: dict[str, str | None], name: str) -> int | None:
    months, days = _names()
    if groups.get(name):
        return days.get(groups[name].rstrip("."))  # type: ignore[union-attr]
    if groups.get(name + "s"):
        return _short_days().get(groups[name + "s"])  # type: ignore[arg-type]
    return None


def _range_start(
    folded: str,
    m: re.Match[str],
    groups: dict[str, str | None],
    months: dict[str, int],
    day: int,
    month: int,
    year: int | None,
) -> tuple[int, int, int | None] | None:
    """The first day of a range match (day, month, year), or ``None`` when the match is not a range of days."""
    before = folded[: m.start("d1")].rstrip(" ,:#")
    word = re.search(r"(\w+)\.?$", before)
    if word and word.group(1) in _NUMBERED:
        return None  # "Session 3 - 10 March": the session's number
    day1 = int(groups["d1"])  # type: ignore[arg-type]
    if groups.get("m1"):
        month1 = int(groups["m1"])  # type: ignore[arg-type]
    elif groups.get("mon1"):
        month1 = months[groups["mon1"].rstrip(".")]  # type: ignore[union-attr]
    else:
        month1 = month
    if not (1 <= month1 <= 12 and 1 <= day1 <= 31) or (month1, day1) == (month, day):
        return None
    if month1 == month and day1 > day and not groups.get("m1") and not groups.get("mon1"):
        return None  # "30 – 2 October": not a range this reader can place
    if groups.get("y1"):
        year1: int | None = int(groups["y1"])  # type: ignore[arg-type]
    elif year is not None:
        year1 = year - 1 if (month1, day1) > (month, day) else year
    else:
        year1 = None
    return day1, month1, year1


def _bare_day_month_ok(folded: str, m: re.Match[str], has_weekday: bool, slash: bool) -> bool:
    """Day.month (or day/month) without a year is a date only after a weekday, at the start of the line before a
    time or nothing ("4.3.", "4.3. 10:00"), or after "am", "le", "el", "on", "Datum:" ... ("am 4.3.", "le 6/10")."""
    if has_weekday:
        return True
    before = folded[: m.start()]
    if _BARE_BEFORE.search(before) is None:
        return False
    if re.search(r"[a-z]\s*:?\s*$", before):
        return True  # after a word such as "am", "le", "Datum:"
    if slash:
        return False  # "1/2 day", "2/3" (a page): a bare slashed pair at the start of a line is not a date
    after = folded[m.end() :].lstrip()
    return not after or not after[0].isalpha()  # "1.2. Introduction" is a section number


_DAY_WORD = "|".join(
    sorted(dict.fromkeys(re.escape(fold(w)) for w in DAY.all()), key=len, reverse=True)
)  # folded, as the text is
_DAY_HEADING = regexcache.compile(
    rf"""
    ^[\s\#*_>]*
    (?:(?:{_DAY_WORD})\s+(?P<n>\d{{1,2}}|one|two|three|four|five|six|seven)   # "Day 2", "Jour 2", "Día 1", "Day One"
    | (?P<n2>\d{{1,2}})(?:\.|st|nd|rd|th|er|e|eme|o|º|°)\s+(?:{_DAY_WORD}))   # "2. Tag", "1er jour", "2nd day"
    (?![\w:.]\d|\w|\s*(?:[:.h]\d|h\b|uhr\b|[ap]\.?\s?m\b))                 # and no time or word after the number
    """,
    re.X,
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def find_day_number(text: str) -> int | None:
    """N when ``text`` is a "Day N" heading ("Day 1", "Day 2 (Tuesday)", "Jour 2", "Tag 3", "Día 1", "Journée 2",
    "2. Tag", "1er jour", "Day One"), at the start of the line; ``None`` otherwise. The reader maps it to first day +
    N-1.
    """
    m = _DAY_HEADING.match(fold(text))
    if not m:
        return None
    raw = m.group("n") or m.group("n2")
    n = _NUMBER_WORDS.get(raw) or int(raw)
    return n if 1 <= n <= 31 else None


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


@dataclass(frozen=True)
class WeekdayHeading:
    """A day heading that names the weekday and perhaps the day of the month, but no month: "Tuesday",
    "Wednesday, 30th", "Jeudi 12", "Samstag"."""

    weekday: int  # 0 = Monday
    day: int | None


def find_weekday_heading(text: str) -> WeekdayHeading | None:
    """The weekday heading ``text`` is, when the whole line is one (a few words such as "morning" may follow)."""
    folded = fold(text).strip(" *_#>|:.-–")
    if len(folded) > 40:
        return None
    _, days = _names()
    m = re.match(
        r"^(?P<wd>[a-z]+)\.?,?(?:\s+(?:the|le|el|den|der)?\s*(?P<d>\d{1,2})(?:st|nd|rd|th|er|e|o|º|°|\.)?)?"
        r"(?P<rest>(?:\s+[\w()'’-]+){0,3})\s*$",
        folded,
    )
    if not m:
        return None
    word = m.group("wd")
    if word not in days and word.endswith("s") and word[:-1] in days:
        word = word[:-1]  # "Freitags", "Samstags": on that day
    if word not in days:
        return None
    if m.group("rest") and re.search(r"\d", m.group("rest")):
        return None
    day = int(m.group("d")) if m.group("d") else None
    if day is not None and not 1 <= day <= 31:
        return None
    return WeekdayHeading(days[word], day)
