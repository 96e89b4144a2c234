"""Stage 5: settle each item's day and clock with the whole day in view.

- Days: the latest day heading above an item, over a publication date; "Day 2" counts from the programme's first
  day; a year stated anywhere in the document over a guess from the weekday.
- Clocks: a day runs forward, which settles 12-hour times written without am/pm ("12.00 Lunch", then "1.00 – 2.15"
  is 13:00–14:15); items after midnight in an evening programme move to the next day.
- Ends: the range, else the stated duration, a closing line, the next item, the announced end, or a default.
Every guess is recorded as a notice at the item's line.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from .. import regexcache
from ..errors import AgendaError
from ..model import Notice, WarningCode
from .dates import DateMention, year_from_weekday
from .items import DayMark, Item, Segments
from .options import ReadOptions
from .tags import Tags

# One rule for programmes that run past midnight, with its cut-offs named.
EVENING_FROM = (18, 0)  # a range that starts this late ...
MORNING_UNTIL = (8, 0)  # ... and ends this early ("22:00 – 02:00") runs over midnight
LATE_EVENING = (20, 0)  # after an item this late, ...
SMALL_HOURS = (6, 0)  # ... an item listed this early is after midnight
NOON = (12, 0)  # once a day has gone past midnight, items before noon are on the next day

_YEAR = regexcache.compile(r"(?<![\d.\-])((?:19[89]|20\d)\d)(?!\d)")


def crosses_midnight(start: tuple[int, int], end: tuple[int, int]) -> bool:
    """Whether a range ending before it starts runs over midnight ("22:00 – 08:00") rather than being a mistake."""
    return end < start and start >= EVENING_FROM and end <= MORNING_UNTIL


@dataclass
class Placed:
    """An item with its day and 24-hour clock settled."""

    item: Item
    day: date
    start: tuple[int, int]
    end: tuple[int, int] | None
    end_day: date | None = None  # the end's day when it is after midnight
    inferred: bool = False  # the agenda gives no end: it was worked out
    elapsed: int | None = None  # an inferred end given as minutes of elapsed time (a stated duration, the default)
    notices: list[Notice] = field(default_factory=list)

    def note(self, message: str, code: WarningCode) -> None:
        self.notices.append(Notice(message, self.item.line, code))


# --- days -----------------------------------------------------------------------------------------------------------


@dataclass
class _Years:
    """The years a document states, and where: the evidence for a day heading that leaves its year out."""

    counts: Counter[int]
    publication: set[int]

    def best(self, fits: Callable[[int], bool] = lambda y: True) -> int | None:
        ranked = [y for y, _ in self.counts.most_common() if fits(y)]
        preferred = [y for y in ranked if y not in self.publication]
        return next(iter(preferred or ranked), None)


def _document_years(tags: list[Tags]) -> _Years:
    counts: Counter[int] = Counter()
    publication: set[int] = set()
    for t in tags:
        if not t.line.text:
            continue
        years = [int(y) for y in _YEAR.findall(t.line.text)]
        counts.update(years)
        if t.publication:
            publication.update(years)
    return _Years(counts, publication)


@dataclass
class Days:
    """The date of each day mark (None where it cannot be told), and which were counted from a date far from them."""

    dates: list[date | None]
    far: set[int] = field(default_factory=set)
    mentioned: date | None = None  # the earliest date the document mentions anywhere, for items no heading dates


def resolve_days(segments: Segments, tags: list[Tags], options: ReadOptions, notices: list[Notice]) -> Days:
    """The date of each day mark: as written, or counted from the programme's first day ("Day 2", "Thursday")."""
    years = _document_years(tags)
    far: set[int] = set()
    mentioned = _earliest_mentioned(tags, years, options)
    first_item_mark = segments.items[0].day if segments.items else len(segments.days)
    resolved: list[date | None] = []
    anchor: date | None = None  # the programme's first day, for "Day 2"
    previous: date | None = None
    previous_used = False  # whether items were listed under the previous dated mark
    span: tuple[date, date] | None = None  # the programme's dates when a range gives them ("vom 11.-14. April")
    with_items = {item.day for item in segments.items}
    if -1 in with_items and options.date is not None:
        previous, previous_used = options.date, True  # items before any day mark are on --date
    warned_year = False
    for k, mark in enumerate(segments.days):
        day: date | None = None
        if mark.mention is not None:
            day, guessed = _resolve_mention(mark.mention, mark.line, years, previous, options, notices, warned_year)
            warned_year = warned_year or guessed
            if (
                day is not None
                and not mark.publication
                and (k <= first_item_mark or mark.mention.last is not None or anchor is None)
            ):
                anchor = day
            if day is not None and mark.mention.last is not None:
                span = (day, mark.mention.last_date(day) or day)
        elif mark.day_number is not None:
            if anchor is None and mentioned is not None:
                anchor = mentioned  # "Jour 1" with the dates only in a paragraph below: the first date mentioned
                far.add(k)
            day = anchor + timedelta(days=mark.day_number - 1) if anchor is not None else None
        elif mark.next_day:
            day = previous + timedelta(days=1) if previous is not None else None
            far.add(k)
        elif mark.weekday is not None:
            if previous is None and options.date is None and mentioned is not None:
                previous, previous_used = mentioned, False
                far.add(k)
            day = _next_weekday(
                mark,
                previous,
                options,
                first=not any(d is not None for d in resolved),
                same_day=not previous_used,
                span=span,
            )
        if day is not None and not mark.publication:
            previous = day
            previous_used = False
        previous_used = previous_used or k in with_items
        resolved.append(day)
    return Days(resolved, far, mentioned)


def _earliest_mentioned(tags: list[Tags], years: _Years, options: ReadOptions) -> date | None:
    """The earliest full date the document mentions anywhere (prose included), publication dates left out."""
    found = []
    for t in tags:
        if t.publication or not t.line.content:
            continue
        for d in t.dates:
            # "le vendredi 17 juin" with "2009" and "2011" in the text: the year in which it is a Friday
            year = d.year or (years.best(partial(_weekday_fits, d=d)) if d.weekday is not None else years.best())
            if year is None:
                continue
            try:
                found.append(date(year, d.month, d.day))
            except ValueError:
                continue
    return min(found) if found else None


def _resolve_mention(
    d: DateMention,
    line: int,
    years: _Years,
    previous: date | None,
    options: ReadOptions,
    notices: list[Notice],
    warned: bool,
) -> tuple[date | None, bool]:
    """A date as written, with its year from the text, ``--date``, the document or the weekday."""
    year = d.year
    guessed = False
    if year is None and options.date is not None:
        year = options.date.year  # --date given: it settles the year (and then moves the programme)
    if year is None and previous is not None and d.weekday is None:
        year = previous.year + (1 if (d.month, d.day) < (previous.month, previous.day) and previous.month >= 11 else 0)
    if year is None:
        if d.weekday is not None:
            year = years.best(partial(_weekday_fits, d=d))
            if year is None:
                reference = years.best() or (options.today or date.today()).year
                year = year_from_weekday(d.day, d.month, d.weekday, reference)
                guessed = year is not None
                if guessed and not warned:
                    notices.append(
                        Notice(
                            f"the year of '{d.text}' is not written; read as {year}, the nearest year in which it "
                            "falls on that weekday (use --date YYYY-MM-DD if that is wrong)",
                            line,
                            WarningCode.YEAR_INFERRED,
                        )
                    )
        else:
            year = years.best()
    if year is None:
        return None, guessed
    try:
        day = date(year, d.month, d.day)
    except ValueError:
        raise AgendaError(
            f"'{d.text}' is not a date", line=line, hint="correct the date or pass --date YYYY-MM-DD"
        ) from None
    if d.ambiguous and d.weekday is not None and day.weekday() != d.weekday:
        try:
            swapped = date(year, d.day, d.month)
        except ValueError:
            swapped = None
        if swapped is not None and swapped.weekday() == d.weekday:
            day = swapped  # "Monday 05/04/2026" in the US: the weekday settles the order
    if d.ambiguous and d.weekday is None:
        notices.append(
            Notice(
                f"'{d.text}' read as day/month: {day:%d %B %Y}; pass --date "
                f"{date(year, d.day, d.month).isoformat()} if it means month/day",
                line,
                WarningCode.DATE_ORDER,
            )
        )
    if d.weekday is not None and day.weekday() != d.weekday:
        notices.append(
            Notice(
                f"'{d.text}': {day.isoformat()} is not that weekday; using the date as written",
                line,
                WarningCode.WEEKDAY,
            )
        )
    return day, guessed


def _next_weekday(
    mark: DayMark,
    previous: date | None,
    options: ReadOptions,
    first: bool,
    same_day: bool,
    span: tuple[date, date] | None = None,
) -> date | None:
    """The date of a heading such as "Thursday" or "Wednesday, 30th": the next such day after the day before it
    (or that day itself, when it was a date above the programme such as "from Monday 13th to Friday 17th July"),
    or ``--date`` for the first one."""
    assert mark.weekday is not None
    if previous is None:
        return options.date if first else None
    for step in range(0 if same_day else 1, 32):
        day = previous + timedelta(days=step)
        if day.weekday() == mark.weekday.weekday and mark.weekday.day in (None, day.day):
            if span is not None and day > span[1]:
                # a second section that starts the week again ("Vortragsprogramm: Donnerstag …") within the range
                inside = [span[0] + timedelta(days=n) for n in range((span[1] - span[0]).days + 1)]
                return next((d for d in inside if d.weekday() == mark.weekday.weekday), day)
            return day
    return None


def _weekday_fits(year: int, d: DateMention) -> bool:
    try:
        return date(year, d.month, d.day).weekday() == d.weekday
    except ValueError:
        return False


def place_items(
    segments: Segments, days: Days, options: ReadOptions, source: str, notices: list[Notice]
) -> list[Placed]:
    """Each item on its day: the latest dated heading above it (a publication date only when nothing else is)."""
    placed = []
    dates = days.dates
    known = [(k, d) for k, d in enumerate(dates) if d is not None]
    if not known and options.date is None and days.mentioned is not None:
        known = [(-1, days.mentioned)]  # no dated heading: the date the text mentions ("Vendredi 3 février 2017 - …")
    if not known and options.date is None:
        raise AgendaError(
            "the agenda gives no date (or no year) for its sessions",
            file=source,
            line=segments.items[0].line,
            hint="pass --date YYYY-MM-DD",
        )
    for item in segments.items:
        day, far = _day_of(item, segments.days, dates)
        if far and days.mentioned is not None:
            day = days.mentioned  # only a publication date above it: the date the text mentions is likelier
        far = far or (0 <= item.day and _mark_of(item, dates) in days.far)
        if day is None:  # nothing dated above it: --date, else the first date (one of the two exists, see above)
            day = options.date if options.date is not None else known[0][1]
            far = far or options.date is None
        p = Placed(item, day, item.start, item.end)
        if far and known:
            p.note(
                f"'{item.title}' is on {day.isoformat()}, a date worked out from far away in the agenda (no dated "
                "heading above it); check the day",
                WarningCode.DATE_FAR,
            )
        placed.append(p)
    if options.date is not None and placed:
        shift = options.date - min(p.day for p in placed)  # --date is the programme's first day, wherever listed
        last = max(p.day for p in placed)
        if (date.max - last) < shift:  # "31 December 9999" in the text: the shifted programme would leave the calendar
            raise AgendaError(
                f"--date {options.date.isoformat()} moves the agenda's last day ({last.isoformat()}) "
                "past the year 9999",
                file=source,
                hint="check the dates the agenda gives",
            )
        for p in placed:
            p.day += shift
    _warn_days_before_first(placed)
    return placed


def _day_of(item: Item, marks: list[DayMark], dates: list[date | None]) -> tuple[date | None, bool]:
    """The item's day, and whether it came from somewhere a person might not expect (a publication line)."""
    fallback = None
    for k in range(item.day, -1, -1):
        if dates[k] is None:
            continue
        if marks[k].publication:
            fallback = fallback or dates[k]
            continue
        return dates[k], False
    return fallback, fallback is not None


def _mark_of(item: Item, dates: list[date | None]) -> int | None:
    """The index of the dated mark an item's day came from."""
    return next((k for k in range(item.day, -1, -1) if dates[k] is not None), None)


def _warn_days_before_first(placed: list[Placed]) -> None:
    first = placed[0].day if placed else None
    for p in placed:
        if first is not None and p.day < first:
            p.note(
                f"'{p.item.title}' falls on {p.day.isoformat()}, before the programme's first day "
                f"({first.isoformat()}); check the date above it",
                WarningCode.DATE_ORDER,
            )


# --- clocks ---------------------------------------------------------------------------------------------------------


def settle_clocks(placed: list[Placed]) -> None:
    """12-hour times without am/pm read with the day running forward; ranges that end "before" they start.

    In an agenda that otherwise writes a 24-hour clock ("13:30 – 15:00", then "3:45 5:30"), a time is moved to the
    afternoon only when that puts it right after what came before, since a 24-hour agenda may also list an early
    item out of order.
    """
    twenty_four = any(
        c.twenty_four_hour and c.hour != 0 or c.hour > 12
        for p in placed
        for c in (p.item.time.a, p.item.time.b)
        if c is not None and c.meridiem is None
    )
    by_day: dict[date, list[Placed]] = {}
    for p in placed:
        by_day.setdefault(p.day, []).append(p)
    for items in by_day.values():
        latest: tuple[int, int] | None = None
        latest_end: tuple[int, int] | None = None
        for p in items:
            a, b = p.item.time.a, p.item.time.b
            if a.meridiem == "am" and a.hour == 12 and latest is not None and latest >= (6, 0):
                # "11.30 am Session B", "12.00 am Session C", "12.30 pm Lunch": noon, written as midnight
                p.start = (12, a.minute)
                p.note(
                    f"'{p.item.title}': 12:{a.minute:02d} am read as 12:{a.minute:02d} noon (it comes after "
                    f"{latest[0]:02d}:{latest[1]:02d} the same day)",
                    WarningCode.MERIDIEM,
                )
            later = _plus12(p.start)
            if (
                _bare(a)
                and latest is not None
                and p.start < latest <= later
                and (not twenty_four or later <= (max(latest_end or latest, latest)[0] + 3, latest[1]))
            ):
                p.start = _plus12(p.start)
                p.note(
                    f"'{p.item.title}': {a.hour}:{a.minute:02d} read as {p.start[0]:02d}:{p.start[1]:02d} (the "
                    "agenda writes no am/pm and the day runs forward)",
                    WarningCode.MERIDIEM,
                )
                if p.end is not None and b is not None and _bare(b) and p.end < p.start:
                    p.end = _plus12(p.end)
            if (
                p.end is not None
                and b is not None
                and p.end < p.start
                and _bare(b)
                and p.start < _plus12(p.end) <= (p.start[0] + 9, p.start[1])
                and not crosses_midnight(p.start, p.end)
            ):
                p.end = _plus12(p.end)  # "11:30 – 1:00": a 12-hour clock, to one in the afternoon
            latest = max(latest or p.start, p.start)
            if p.end is not None and p.end >= p.start:
                latest_end = max(latest_end or p.end, p.end)


def _bare(c) -> bool:  # type: ignore[no-untyped-def]
    """A clock that could be either half of the day: no am/pm, not written as a 24-hour time, 1 to 11 o'clock."""
    return c is not None and c.meridiem is None and not c.twenty_four_hour and 1 <= c.hour <= 11


def _plus12(hm: tuple[int, int]) -> tuple[int, int]:
    return (hm[0] + 12, hm[1]) if hm[0] < 12 else hm


def roll_past_midnight(placed: list[Placed], hours_wrap_from: tuple[int, int] | None) -> None:
    """Items after midnight in an evening programme belong to the next day ("23:30 – 00:15", then "00:15 – 01:30").

    A day's programme has gone past midnight once an item has run over it, or started late in the evening, or the
    announced hours wrap ("20:00 – 02:00"); the morning items listed after that are on the next day.
    """
    past_midnight: dict[date, bool] = {}
    evening: dict[date, bool] = {}
    for p in placed:
        day = p.day
        if (past_midnight.get(day) and p.start < NOON) or (evening.get(day) and p.start < SMALL_HOURS):
            past_midnight[day] = True
            p.day = day + timedelta(days=1)
            p.note(
                f"'{p.item.title}' ({p.start[0]:02d}:{p.start[1]:02d}) is read as after midnight, on "
                f"{p.day.isoformat()}",
                WarningCode.MIDNIGHT,
            )
            continue
        if p.end is not None and crosses_midnight(p.start, p.end):
            past_midnight[day] = True
        if p.start >= LATE_EVENING or (hours_wrap_from is not None and p.start >= hours_wrap_from):
            evening[day] = True


# --- ends -------------------------------------------------------------------------------------------------------------


def settle_ends(placed: list[Placed], hours_end: tuple[int, int] | None, default_minutes: int) -> None:
    """Each item's end: the range as written (over midnight when it wraps), else worked out and marked inferred."""
    starts_by_day: dict[date, list[tuple[int, int]]] = {}
    for p in placed:
        starts_by_day.setdefault(p.day, []).append(p.start)
    for starts in starts_by_day.values():
        starts.sort()
    for p in placed:
        if p.end is not None and p.end < p.start:
            if crosses_midnight(p.start, p.end):
                p.end_day = p.day + timedelta(days=1)
                p.note(f"'{p.item.title}' ends after midnight, on {p.end_day.isoformat()}", WarningCode.MIDNIGHT)
            else:
                p.note(
                    f"'{p.item.title}' ends ({p.end[0]:02d}:{p.end[1]:02d}) before it starts "
                    f"({p.start[0]:02d}:{p.start[1]:02d}); the end was ignored",
                    WarningCode.END_BEFORE_START,
                )
                p.end = None
        elif p.end is not None and p.end == p.start:
            p.end = None
        if p.end is None:
            p.inferred = True
            _infer_end(p, starts_by_day[p.day], hours_end, default_minutes)


def _infer_end(p: Placed, day_starts: list[tuple[int, int]], hours_end: tuple[int, int] | None, default: int) -> None:
    """The stated duration, else a closing line, else the next item's start that day, else the announced end."""
    if p.item.stated:
        p.elapsed = p.item.stated
        return
    if p.item.day_end is not None and p.item.day_end > p.start:
        p.end = p.item.day_end
        return
    following = bisect.bisect_right(day_starts, p.start)
    if following < len(day_starts):
        p.end = day_starts[following]
        return
    if hours_end is not None and hours_end > p.start:
        p.end = hours_end  # the last item of the day runs until the announced end of the meeting
        return
    p.elapsed = default
    if not p.item.time.open_end:
        p.note(
            f"'{p.item.title}' has no end in the agenda and nothing follows it; it is given {default} minutes",
            WarningCode.END_DEFAULT,
        )
