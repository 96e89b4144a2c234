"""VTIMEZONE in the compact yearly-rule form every client reads alike.

Outlook needs a VTIMEZONE for every TZID and is reported to shift events whose VTIMEZONE lists changes as RDATEs,
which is what icalendar's own generator writes; the two-observance form with ``RRULE:FREQ=YEARLY;BYMONTH=…;BYDAY=…``
(Google's and tzurl's) is built here from zoneinfo's actual transitions (docs/ARCHITECTURE.md, "Why some things are
as they are").
"""

from __future__ import annotations

import calendar as _calendar
import copy
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

__all__ = ["vtimezone"]

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# An RRULE's parts, as icalendar's vRecur takes them: {"FREQ": "YEARLY", "BYMONTH": [3], "BYDAY": ["-1SU"]}
_Rule = dict[str, Any]


@dataclass(frozen=True)
class _Transition:
    at: datetime  # UTC instant of the change
    before: timedelta  # UTC offset before
    after: timedelta  # UTC offset after

    @property
    def local(self) -> datetime:
        """The wall-clock onset in the offset in force before it, as a VTIMEZONE's DTSTART wants (naive)."""
        return (self.at + self.before).replace(tzinfo=None)


def vtimezone(tzid: str, first: datetime, last: datetime) -> Timezone:
    """The VTIMEZONE for ``tzid`` valid from a year before ``first`` to the end of ``last``'s year.

    Two observances with yearly RRULEs when the zone follows a yearly rule across those years, one STANDARD
    observance when it has no changes, and else (rules changing during the meeting) one observance per change.
    Built from zoneinfo's actual transitions and cached, so a 5,000-block agenda builds it once.
    """
    # A copy, so a caller changing its calendar cannot change the cached component.
    return copy.deepcopy(_vtimezone(tzid, first.astimezone(UTC).year, last.astimezone(UTC).year))


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    tz = ZoneInfo(tzid)
    # Seven years after the meeting are scanned only to choose between rules that all fit the meeting's years
    # (Israel's "Friday before the last Sunday" looks like "last Friday" in most years).
    window = (datetime(first_year - 1, 1, 1, tzinfo=UTC), datetime(last_year + 8, 1, 1, tzinfo=UTC))
    changes = _transitions(tz, *window)
    near = [c for c in changes if c.at < datetime(last_year + 2, 1, 1, tzinfo=UTC)]
    comp = Timezone()
    comp.add("TZID", tzid)
    if not near:
        offset = window[0].astimezone(tz).utcoffset() or timedelta(0)
        onset = datetime(min(1970, first_year - 1), 1, 1)
        comp.add_component(_observance(TimezoneStandard, onset, offset, offset, window[0].astimezone(tz).tzname()))
        return comp
    rules = (
        _yearly_rules(changes, first_year - 1, last_year + 6)
        or _yearly_rules(changes, first_year - 1, last_year + 1)
        or _yearly_rules(changes, first_year - 1, last_year)
    )
    if rules:
        for change, rrule in rules:
            kind = TimezoneDaylight if change.after > change.before else TimezoneStandard
            obs = _observance(kind, change.local, change.before, change.after, change.at.astimezone(tz).tzname())
            obs.add("RRULE", rrule)
            comp.add_component(obs)
        return comp
    # No yearly rule fits (a zone changing its rules around the meeting): each change as its own observance.
    start_offset = near[0].before
    first_name = (near[0].at - timedelta(seconds=1)).astimezone(tz).tzname()
    first_kind = TimezoneDaylight if (window[0].astimezone(tz).dst() or timedelta(0)) else TimezoneStandard
    onset = (window[0] + start_offset).replace(tzinfo=None)
    comp.add_component(_observance(first_kind, onset, start_offset, start_offset, first_name))
    for change in near:
        after = change.at.astimezone(tz)
        kind = TimezoneDaylight if (after.dst() or timedelta(0)) else TimezoneStandard
        comp.add_component(_observance(kind, change.local, change.before, change.after, after.tzname()))
    return comp


def _observance(
    kind: type[TimezoneStandard] | type[TimezoneDaylight],
    onset: datetime,
    before: timedelta,
    after: timedelta,
    name: str | None,
) -> TimezoneStandard | TimezoneDaylight:
    obs = kind()
    obs.add("DTSTART", onset)
    obs.add("TZOFFSETFROM", before)
    obs.add("TZOFFSETTO", after)
    if name:
        obs.add("TZNAME", name)
    return obs


def _transitions(tz: ZoneInfo, start: datetime, end: datetime) -> list[_Transition]:
    """Every UTC instant in [start, end) where ``tz``'s UTC offset changes (zoneinfo keeps its table private)."""
    step = timedelta(hours=6)  # shorter than any gap between two real transitions
    found: list[_Transition] = []
    here = start
    here_offset = here.astimezone(tz).utcoffset()
    while here < end:
        there = min(here + step, end)
        there_offset = there.astimezone(tz).utcoffset()
        if there_offset != here_offset:
            lo, hi = here, there  # offset(lo) == here_offset, offset(hi) != here_offset
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid.astimezone(tz).utcoffset() == here_offset:
                    lo = mid
                else:
                    hi = mid
            found.append(_Transition(hi, here_offset or timedelta(0), hi.astimezone(tz).utcoffset() or timedelta(0)))
        here, here_offset = there, there_offset
    return found


def _yearly_rules(
    changes: list[_Transition], first_year: int, last_year: int
) -> list[tuple[_Transition, _Rule]] | None:
    """Two yearly RRULEs that reproduce every change from ``first_year`` to ``last_year``, or None if none do."""
    relevant = [c for c in changes if first_year <= c.local.year <= last_year]
    years = range(first_year, last_year + 1)
    if len(relevant) != 2 * len(years):
        return None
    forward = [c for c in relevant if c.after > c.before]
    back = [c for c in relevant if c.after < c.before]
    if len(forward) != len(years) or len(back) != len(years):
        return None
    rules: list[tuple[_Transition, _Rule]] = []
    for group in (forward, back):
        if {c.local.year for c in group} != set(years):
            return None
        if len({(c.before, c.after, c.local.month, c.local.time()) for c in group}) != 1:
            return None
        byday = _byday(group)
        if byday is None:
            return None
        rules.append((group[0], {"FREQ": "YEARLY", "BYMONTH": [group[0].local.month], **byday}))
    rules.sort(key=lambda r: r[0].at)
    return rules


def _byday(group: list[_Transition]) -> _Rule | None:
    """The BYDAY (and BYMONTHDAY) part of a yearly rule matching every onset in ``group``, all in one month."""
    days = [c.local.date() for c in group]
    weekdays = {d.weekday() for d in days}
    if len(weekdays) != 1:
        if len({d.day for d in days}) == 1:
            return {"BYMONTHDAY": [days[0].day]}  # a fixed date
        return None
    wd = _WEEKDAYS[weekdays.pop()]
    if all(d.day + 7 > _month_length(d) for d in days):
        return {"BYDAY": [f"-1{wd}"]}
    nths = {(d.day - 1) // 7 + 1 for d in days}
    if len(nths) == 1:
        return {"BYDAY": [f"{nths.pop()}{wd}"]}
    # "The first Friday on or after the 23rd" and similar: a weekday within a fixed seven-day window.
    lows = [max(d.day - 6, 1) for d in days]
    highs = [d.day for d in days]
    low = max(lows)
    if low <= min(highs) and low + 6 <= min(_month_length(d) for d in days):
        return {"BYDAY": [wd], "BYMONTHDAY": list(range(low, low + 7))}
    return None


def _month_length(day: date) -> int:
    return _calendar.monthrange(day.year, day.month)[1]
