"""Agenda -> .ics: one VEVENT per session block, correct in Google, Outlook, Apple Calendar and Thunderbird alike.

This is the only module that imports icalendar. Times carry ``TZID=`` the meeting's IANA zone with exactly one
VTIMEZONE in the compact two-observance yearly-RRULE form that Outlook handles (icalendar's own generator writes
RDATE lists), or are written in UTC on request. See ``shared/notes/icalendar.md`` for why each choice was made.
"""

from __future__ import annotations

import calendar as _calendar
import copy
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Sequence
from urllib.parse import quote
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText, vUri

from . import __version__
from .details import event_descriptions, event_location, event_summary, meeting_description
from .errors import AgendaError, UsageError
from .model import Agenda, Block
from .zones import ParticipantZone, participant_zones

__all__ = ["to_ics", "event_uid", "meeting_uid", "vtimezone", "PRODID"]

PRODID = f"-//calsync//calsync {__version__}//EN"
UID_DOMAIN = "calsync"

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def event_uid(agenda: Agenda, block: Block) -> str:
    """A block's UID: stable for the same meeting and block, whatever happens to its times or title."""
    return f"{block.key}.{agenda.key}@{UID_DOMAIN}"


def meeting_uid(agenda: Agenda) -> str:
    """The UID of the optional event spanning the whole meeting."""
    return f"{agenda.key}@{UID_DOMAIN}"


def to_ics(
    agenda: Agenda,
    *,
    zones: Sequence[ParticipantZone] | None = None,
    meeting_event: bool = False,
    alarm_minutes: int | None = None,
    utc: bool = False,
    stamp: datetime | None = None,
) -> bytes:
    """The agenda as an iCalendar file (``METHOD:PUBLISH``), one event per block.

    ``zones`` are the participant zones whose local times each description lists (``None``: the meeting zone and the
    countries the agenda names; ``()``: none). ``stamp`` is DTSTAMP (pass the ``SOURCE_DATE_EPOCH`` instant for
    reproducible output; default: now). ``utc`` writes every time in UTC and no VTIMEZONE, as do meetings whose
    clock is a fixed offset.
    """
    if alarm_minutes is not None and alarm_minutes < 0:
        raise UsageError(f"alarm of {alarm_minutes} minutes", hint="give a number of minutes before the start, 0 or more")
    stamp = _utc(stamp if stamp is not None else datetime.now(timezone.utc), "DTSTAMP")
    if zones is None:
        zones = participant_zones(agenda)
    tz = agenda.tzinfo
    # A fixed-offset meeting clock (--literal-offsets gives Etc/GMT-1) has no civil time to preserve, and clients
    # show "Etc/GMT-1" with its inverted sign: such meetings are written in UTC.
    utc = utc or _fixed_offset(agenda.timezone.zone)
    out_tz: ZoneInfo | timezone = timezone.utc if utc else tz

    def when(moment: datetime, what: str, label: str) -> datetime:
        _aware(moment, what, label)
        local = moment.astimezone(out_tz)
        if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
            # The second 02:30 of a night when clocks go back: a TZID time means the first one (RFC 5545
            # §3.3.5), so this instant can only be written in UTC.
            return moment.astimezone(timezone.utc)
        return local

    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    # icalendar writes NAME and X- properties raw: vText escapes commas, semicolons and newlines in the title.
    cal.add("NAME", vText(_one_line(agenda.title)))
    cal.add("X-WR-CALNAME", vText(_one_line(agenda.title)))
    if not utc:
        cal.add("X-WR-TIMEZONE", vText(agenda.timezone.zone))  # a hint for readers; a UTC-only file needs none
        cal.add_component(vtimezone(agenda.timezone.zone, agenda.start, agenda.end))

    location = event_location(agenda)
    url = agenda.conference_url
    parent = meeting_uid(agenda)
    if meeting_event:
        start = min([agenda.start] + ([agenda.hours[0]] if agenda.hours else []), key=lambda d: _utc(d, "start"))
        end = max([agenda.end] + ([agenda.hours[1]] if agenda.hours else []), key=lambda d: _utc(d, "end"))
        whole = _event(
            uid=parent,
            summary=_one_line(agenda.title),
            description=meeting_description(agenda, zones),
            start=when(start, "start", "the meeting"),
            end=when(end, "end", "the meeting"),
            stamp=stamp,
            location=location,
            url=url,
        )
        if alarm_minutes is not None:
            # one reminder for the meeting, not one before each of its (possibly five-minute) blocks
            whole.add_component(_alarm(_one_line(agenda.title), alarm_minutes))
        cal.add_component(whole)

    descriptions = event_descriptions(agenda, zones)
    for block in agenda.blocks:
        summary = event_summary(agenda, block)
        event = _event(
            uid=event_uid(agenda, block),
            summary=summary,
            description=descriptions[block.key],
            start=when(block.start, "start", block.label),
            end=when(block.end, "end", block.label),
            stamp=stamp,
            location=location,
            url=url,
        )
        if meeting_event:
            # The blocks sit inside the meeting's own event: free time, so nobody is double-booked by them.
            event.add("TRANSP", "TRANSPARENT")
            event.add("RELATED-TO", parent)
        if alarm_minutes is not None and not meeting_event:
            event.add_component(_alarm(summary, alarm_minutes))
        cal.add_component(event)
    return cal.to_ical()


def _alarm(summary: str, minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", _text(summary))
    alarm.add("TRIGGER", timedelta(minutes=-minutes))
    return alarm


def _event(
    *,
    uid: str,
    summary: str,
    description: str,
    start: datetime,
    end: datetime,
    stamp: datetime,
    location: str | None,
    url: str | None,
) -> Event:
    event = Event()
    event.add("UID", uid)
    event.add("DTSTAMP", stamp)
    event.add("SEQUENCE", 0)
    event.add("SUMMARY", _text(summary))
    event.add("DTSTART", start)
    event.add("DTEND", end)
    event.add("DESCRIPTION", _text(description))
    if location:
        event.add("LOCATION", _text(location))
    if url:
        url = _uri(url)
        event.add("URL", vUri(url))
        # RFC 7986; few clients show it, which is why the link is in DESCRIPTION, LOCATION and URL as well.
        event.add(
            "CONFERENCE",
            vUri(url),
            parameters={"VALUE": "URI", "FEATURE": ["AUDIO", "VIDEO"], "LABEL": "Join"},
        )
    return event


def _uri(url: str) -> str:
    """A link as an iCalendar URI value: spaces and control characters percent-encoded, never written raw.

    Links are checked where they enter (``--zoom-url``, a reviewed JSON's ``conference_url``); this is the writer's own
    guard for whatever else may carry one.
    """
    return _URI_UNSAFE.sub(lambda m: quote(m.group(0), safe="", errors="replace"), url)


_URI_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\ud800-\udfff]")


def _fixed_offset(zone: str) -> bool:
    """Whether ``zone`` is one of tzdata's fixed offsets (``Etc/GMT-1``, ``UTC``) rather than a region's clock."""
    return zone.startswith("Etc/") or zone in ("UTC", "UCT", "GMT", "GMT0", "Greenwich", "Universal", "Zulu")


def _aware(moment: datetime, what: str, label: str) -> None:
    """Refuse naive datetimes: icalendar would write them as floating times that every client reads differently."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise AgendaError(f"the {what} of {label} ({moment.isoformat()}) has no time zone",
                          hint="calsync writes no floating times: give every time a zone")


def _utc(moment: datetime, what: str) -> datetime:
    _aware(moment, what, "the calendar")
    return moment.astimezone(timezone.utc)


def _one_line(text: str) -> str:
    """Titles are one line: a newline inside a meeting title is layout, not content."""
    return " ".join(_text(text).split())


# iCalendar text allows no control characters but tab and (escaped) newline; PDFs and Word files bring form feeds,
# NULs and Unicode line separators that some parsers would split lines on.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")
_BREAKS = re.compile(r"\r\n?|[\x85\u2028\u2029]")


def _text(text: str) -> str:
    """``text`` as iCalendar can carry it: line breaks as ``\\n``, other control characters dropped."""
    if _BREAKS.search(text):
        text = _BREAKS.sub("\n", text)
    if _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
    return text


# --- VTIMEZONE -------------------------------------------------------------------------------------------------


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
    return copy.deepcopy(_vtimezone(tzid, first.astimezone(timezone.utc).year, last.astimezone(timezone.utc).year))


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    tz = ZoneInfo(tzid)
    # Seven years after the meeting are scanned only to choose between rules that all fit the meeting's years
    # (Israel's "Friday before the last Sunday" looks like "last Friday" in most years).
    window = (datetime(first_year - 1, 1, 1, tzinfo=timezone.utc), datetime(last_year + 8, 1, 1, tzinfo=timezone.utc))
    changes = _transitions(tz, *window)
    near = [c for c in changes if c.at < datetime(last_year + 2, 1, 1, tzinfo=timezone.utc)]
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


def _yearly_rules(changes: list[_Transition], first_year: int, last_year: int) -> list[tuple[_Transition, dict]] | None:
    """Two yearly RRULEs that reproduce every change from ``first_year`` to ``last_year``, or None if none do."""
    relevant = [c for c in changes if first_year <= c.local.year <= last_year]
    years = range(first_year, last_year + 1)
    if len(relevant) != 2 * len(years):
        return None
    forward = [c for c in relevant if c.after > c.before]
    back = [c for c in relevant if c.after < c.before]
    if len(forward) != len(years) or len(back) != len(years):
        return None
    rules = []
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


def _byday(group: list[_Transition]) -> dict | None:
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
