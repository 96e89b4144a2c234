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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import quote
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration, vText, vUri

from . import __version__
from .details import event_description, event_descriptions, event_location, event_summary, meeting_description
from .errors import AgendaError, InputFileError, UsageError
from .model import Agenda, Block
from .zones import ParticipantZone, participant_zones

__all__ = [
    "to_ics",
    "to_ics_files",
    "Feed",
    "event_uid",
    "block_uid",
    "meeting_uid",
    "vtimezone",
    "event_object",
    "read_event_object",
    "EventObject",
    "PRODID",
    "IcsEvent",
    "IcsCalendar",
    "read_calendar",
    "split_uid",
    "versioned",
]

PRODID = f"-//calsync//calsync {__version__}//EN"
UID_DOMAIN = "calsync"

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def event_uid(agenda: Agenda, block: Block) -> str:
    """A block's UID: stable for the same meeting and block, whatever happens to its times or title."""
    return block_uid(agenda.key, block.key)


def block_uid(meeting_key: str, block_key: str) -> str:
    """The UID of a meeting's block from the two keys (what :func:`event_uid` gives, for callers holding no Agenda)."""
    return f"{block_key}.{meeting_key}@{UID_DOMAIN}"


def meeting_uid(agenda: Agenda) -> str:
    """The UID of the optional event spanning the whole meeting."""
    return f"{agenda.key}@{UID_DOMAIN}"


@dataclass(frozen=True)
class Feed:
    """What makes an .ics a subscribed feed rather than a one-off download (RFC 7986).

    ``refresh`` is how often clients should fetch it again (REFRESH-INTERVAL and Outlook's X-PUBLISHED-TTL);
    ``source_url`` its own absolute address (SOURCE) and ``page_url`` the meeting's page (URL), when known.
    """

    refresh: timedelta = timedelta(hours=1)
    source_url: str | None = None
    page_url: str | None = None


def to_ics(
    agenda: Agenda,
    *,
    zones: Sequence[ParticipantZone] | None = None,
    meeting_event: bool = False,
    alarm_minutes: int | None = None,
    utc: bool = False,
    stamp: datetime | None = None,
    feed: Feed | None = None,
) -> bytes:
    """The agenda as an iCalendar file (``METHOD:PUBLISH``), one event per block.

    ``zones`` are the participant zones whose local times each description lists (``None``: the meeting zone and the
    countries the agenda names; ``()``: none). ``stamp`` is DTSTAMP (pass the ``SOURCE_DATE_EPOCH`` instant for
    reproducible output; default: now). ``utc`` writes every time in UTC and no VTIMEZONE, as do meetings whose
    clock is a fixed offset. ``feed`` adds the refresh hints of a subscribed calendar.
    """
    parts = _parts(
        agenda, zones=zones, meeting_event=meeting_event, alarm_minutes=alarm_minutes, utc=utc, stamp=stamp, feed=feed
    )
    return parts.calendar(list(parts.events.values()))


def to_ics_files(
    agenda: Agenda,
    *,
    zones: Sequence[ParticipantZone] | None = None,
    stamp: datetime | None = None,
    feed: Feed | None = None,
    turns: Sequence[tuple[Block, Sequence[ParticipantZone]]] = (),
) -> tuple[bytes, dict[str, bytes]]:
    """The feed (every block, with ``feed``'s refresh hints) and, by block key, a download of each block alone.

    The same events as :func:`to_ics` (same UIDs), each serialised once: a 5,000-block agenda gives 5,001 files
    for little more than the cost of the feed. ``turns`` are extra downloads that are not in the feed (a speaker's
    slot within a block), each with the zones its description lists.
    """
    parts = _parts(agenda, zones=zones, stamp=stamp, feed=feed)
    whole = parts.calendar(list(parts.events.values()))
    single = _parts(agenda, zones=(), stamp=stamp, blocks=(), turns=turns)  # downloads: no refresh hints
    events = {**parts.events, **single.events}
    return whole, {key: single.calendar([event]) for key, event in events.items()}


@dataclass(frozen=True)
class _Parts:
    """A calendar cut into its serialised pieces: header properties, VTIMEZONE, and each event by key."""

    header: bytes  # BEGIN:VCALENDAR and the calendar's properties
    timezone: bytes
    events: dict[str, bytes]

    def calendar(self, events: list[bytes]) -> bytes:
        return b"".join([self.header, self.timezone, *events, b"END:VCALENDAR\r\n"])


def _parts(
    agenda: Agenda,
    *,
    zones: Sequence[ParticipantZone] | None = None,
    meeting_event: bool = False,
    alarm_minutes: int | None = None,
    utc: bool = False,
    stamp: datetime | None = None,
    feed: Feed | None = None,
    blocks: Sequence[Block] | None = None,
    turns: Sequence[tuple[Block, Sequence[ParticipantZone]]] = (),
) -> _Parts:
    if alarm_minutes is not None and alarm_minutes < 0:
        raise UsageError(
            f"alarm of {alarm_minutes} minutes", hint="give a number of minutes before the start, 0 or more"
        )
    stamp = _utc(stamp if stamp is not None else datetime.now(UTC), "DTSTAMP")
    if zones is None:
        zones = participant_zones(agenda)
    blocks = agenda.blocks if blocks is None else blocks
    tz = agenda.tzinfo
    # A fixed-offset meeting clock (--literal-offsets gives Etc/GMT-1) has no civil time to preserve, and clients
    # show "Etc/GMT-1" with its inverted sign: such meetings are written in UTC.
    utc = utc or _fixed_offset(agenda.timezone.zone)
    out_tz: ZoneInfo | timezone = UTC if utc else tz

    def when(moment: datetime, what: str, label: str) -> datetime:
        _aware(moment, what, label)
        return _wall(moment, out_tz)

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
    if feed is not None:
        _add_feed(cal, feed)
    header = cal.to_ical()
    header = header[: header.rindex(b"END:VCALENDAR")]
    zone_part = b"" if utc else vtimezone(agenda.timezone.zone, agenda.start, agenda.end).to_ical()

    location = event_location(agenda)
    url = agenda.conference_url
    parent = meeting_uid(agenda)
    events: dict[str, bytes] = {}
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
        events[""] = whole.to_ical()

    descriptions = event_descriptions(agenda, zones) if blocks else {}
    for block in blocks:
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
        events[block.key] = event.to_ical()
    for turn, turn_zones in turns:
        event = _event(
            uid=event_uid(agenda, turn),
            summary=event_summary(agenda, turn),
            description=event_description(agenda, turn, turn_zones),
            start=when(turn.start, "start", turn.label),
            end=when(turn.end, "end", turn.label),
            stamp=stamp,
            location=location,
            url=url,
        )
        events[turn.key] = event.to_ical()
    return _Parts(header, zone_part, events)


def _add_feed(cal: Calendar, feed: Feed) -> None:
    """RFC 7986's refresh hints (and Outlook's older X-PUBLISHED-TTL), and where the feed and its page live."""
    cal.add("REFRESH-INTERVAL", feed.refresh, parameters={"VALUE": "DURATION"})  # VALUE is required (RFC 7986)
    cal.add("X-PUBLISHED-TTL", vText(vDuration(feed.refresh).to_ical().decode()))
    if feed.source_url:
        cal.add("SOURCE", vUri(feed.source_url), parameters={"VALUE": "URI"})
    if feed.page_url:
        cal.add("URL", vUri(feed.page_url), parameters={"VALUE": "URI"})


def _wall(moment: datetime, out_tz: ZoneInfo | timezone) -> datetime:
    """``moment`` as written with ``out_tz``'s TZID (or in UTC when that wall-clock time would mean another instant)."""
    local = moment.astimezone(out_tz)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        # The second 02:30 of a night when clocks go back: a TZID time means the first one (RFC 5545 §3.3.5), so
        # this instant can only be written in UTC.
        return moment.astimezone(UTC)
    return local


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
    event.add("LAST-MODIFIED", stamp)
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
        raise AgendaError(
            f"the {what} of {label} ({moment.isoformat()}) has no time zone",
            hint="calsync writes no floating times: give every time a zone",
        )


def _utc(moment: datetime, what: str) -> datetime:
    _aware(moment, what, "the calendar")
    return moment.astimezone(UTC)


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


# --- one event as a CalDAV calendar object -------------------------------------------------------------------

# What calsync writes into an event it owns; everything else in the event (alarms, guests, categories, a
# colour, other apps' X- properties) is someone's and is kept when calsync rewrites the event.
_OWNED = (
    "DTSTAMP",
    "SEQUENCE",
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "DTSTART",
    "DTEND",
    "DURATION",
    "URL",
    "CONFERENCE",
    "STATUS",
    "RRULE",
    "RDATE",
    "EXDATE",
)


@dataclass(frozen=True)
class EventObject:
    """The event of a calendar object resource as read back: what the sync engine compares, and its X- keys."""

    uid: str
    summary: str
    description: str
    location: str
    start: datetime | None  # None when all-day or floating: never equal to a block's instant, so it is rewritten
    end: datetime | None
    cancelled: bool
    properties: dict[str, str]  # X- properties by upper-case name


def event_object(
    *,
    uid: str,
    summary: str,
    description: str,
    location: str | None,
    url: str | None,
    start: datetime,
    end: datetime,
    tzid: str,
    properties: dict[str, str],
    stamp: datetime,
    previous: bytes | None = None,
) -> bytes:
    """One event as a CalDAV calendar object: a VCALENDAR (no METHOD, RFC 4791 §4.1) with the VTIMEZONE of ``tzid``
    and one VEVENT written as ``calsync ics`` writes a block (TZID times, LOCATION, URL, CONFERENCE).

    ``properties`` are X- properties (calsync's private keys). ``previous`` is the object as the calendar holds it:
    its UID (a server may have rewritten it) and everything calsync does not own are kept, and SEQUENCE goes up.
    """
    out_tz: ZoneInfo | timezone = UTC if _fixed_offset(tzid) else ZoneInfo(tzid)
    label = _one_line(summary) or uid
    event = _event(
        uid=uid,
        summary=summary,
        description=description,
        start=_wall(_checked(start, label), out_tz),
        end=_wall(_checked(end, label), out_tz),
        stamp=_utc(stamp, "DTSTAMP"),
        location=location,
        url=url,
    )
    for name, value in properties.items():
        event.add(name, vText(value))
    kept = _kept_event(previous)
    if kept is not None:
        event = _merged(kept, event)
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    if out_tz is not UTC:
        cal.add_component(vtimezone(tzid, start, end))
    cal.add_component(event)
    return cal.to_ical()


def _checked(moment: datetime, label: str) -> datetime:
    _aware(moment, "time", label)
    return moment


def _kept_event(previous: bytes | None) -> Event | None:
    if not previous:
        return None
    try:
        events = [c for c in Calendar.from_ical(previous).walk("VEVENT") if "RECURRENCE-ID" not in c]
    except Exception:  # noqa: BLE001 - whatever breaks the parser, the object is rewritten from scratch
        return None
    return events[0] if events else None


def _merged(kept: Event, ours: Event) -> Event:
    """``kept`` with calsync's properties replaced by ``ours`` (its UID stays); SEQUENCE one higher (RFC 5545 §3.8.7.4)."""
    owned = set(_OWNED) | {name for name in ours if name.startswith("X-")}
    try:
        sequence = int(kept.get("SEQUENCE", 0)) + 1
    except (TypeError, ValueError):
        sequence = 1
    for name in list(kept):
        if name in owned:
            del kept[name]
    for name, value in ours.items():
        if name not in ("UID", "SEQUENCE"):
            kept[name] = value
    kept.add("SEQUENCE", sequence)
    if "UID" not in kept:
        kept.add("UID", ours["UID"])
    return kept


def read_event_object(data: bytes | str) -> EventObject | None:
    """The (first, non-override) VEVENT of a calendar object, or None when it holds none or cannot be read."""
    try:
        events = [c for c in Calendar.from_ical(data).walk("VEVENT") if "RECURRENCE-ID" not in c]
    except Exception:  # noqa: BLE001 - an object nobody can parse is nobody's event calsync could own
        return None
    if not events:
        return None
    ev = events[0]
    start = _instant(ev.get("DTSTART"))
    end = _instant(ev.get("DTEND"))
    duration = ev.get("DURATION")
    if end is None and start is not None and duration is not None and isinstance(duration.dt, timedelta):
        end = start + duration.dt
    props = {str(name).upper(): str(value) for name, value in ev.items() if str(name).upper().startswith("X-")}
    return EventObject(
        uid=str(ev.get("UID", "")),
        summary=str(ev.get("SUMMARY", "")),
        description=str(ev.get("DESCRIPTION", "")),
        location=str(ev.get("LOCATION", "")),
        start=start,
        end=end,
        cancelled=str(ev.get("STATUS", "")).upper() == "CANCELLED",
        properties=props,
    )


def _instant(prop: object) -> datetime | None:
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None:
        return value
    return None  # a date (all-day) or a floating time is no instant


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


# --- versions: the file an export replaces ---------------------------------------------------------------------

# What does not count as a change of an event: when it was written and its version number.
_STAMPS = (b"DTSTAMP", b"LAST-MODIFIED", b"SEQUENCE")


@dataclass(frozen=True)
class IcsEvent:
    """One VEVENT of an .ics file as a previous version: what identity and versioning need."""

    uid: str
    summary: str
    start: datetime | None
    end: datetime | None
    url: str | None
    sequence: int
    stamp: datetime | None
    last_modified: datetime | None
    content: bytes  # the event as written, less DTSTAMP, LAST-MODIFIED and SEQUENCE: equal bytes, same event


@dataclass(frozen=True)
class IcsCalendar:
    """An .ics file as a previous version of the agenda: its name, zone and events."""

    name: str | None
    zone: str | None
    events: tuple[IcsEvent, ...]

    def by_uid(self) -> dict[str, IcsEvent]:
        return {e.uid: e for e in self.events}


def split_uid(uid: str) -> tuple[str, str] | None:
    """(meeting key, block key) of a block's UID as calsync writes it (:func:`event_uid`), else None."""
    local, _, domain = uid.rpartition("@")
    block, dot, meeting = local.partition(".")
    return (meeting, block) if domain == UID_DOMAIN and dot and block and meeting else None


def read_calendar(data: bytes, *, file: str | None = None) -> IcsCalendar:
    """An .ics file's events (calsync's or anyone's), for comparing versions; a file icalendar cannot read is an
    :class:`InputFileError`."""
    try:
        cal = Calendar.from_ical(data)
        events = tuple(_ics_event(e) for e in cal.walk("VEVENT") if isinstance(e, Event) and e.get("UID"))
    except (ValueError, KeyError, TypeError) as e:
        raise InputFileError(
            f"not a readable iCalendar file ({' '.join(str(e).split())[:120]})",
            file=file,
            hint="give the .ics calsync wrote last time",
        ) from None
    zone = str(cal.get("X-WR-TIMEZONE")) if cal.get("X-WR-TIMEZONE") else None
    if zone is None:
        zone = next(
            (e.start.tzinfo.key for e in events if e.start is not None and isinstance(e.start.tzinfo, ZoneInfo)), None
        )
    name = cal.get("X-WR-CALNAME") or cal.get("NAME")
    return IcsCalendar(str(name) if name else None, zone, events)


def _ics_event(event: Event) -> IcsEvent:
    def moment(name: str) -> datetime | None:
        value = getattr(event.get(name), "dt", None)
        # a date (all-day) or a floating time is no instant: such an event never equals a block's times
        return value if isinstance(value, datetime) and value.tzinfo is not None else None

    return IcsEvent(
        uid=str(event["UID"]),
        summary=str(event.get("SUMMARY") or ""),
        start=moment("DTSTART"),
        end=moment("DTEND"),
        url=str(event["URL"]) if event.get("URL") else None,
        sequence=int(event.get("SEQUENCE") or 0),
        stamp=moment("DTSTAMP"),
        last_modified=moment("LAST-MODIFIED"),
        content=_content(event),
    )


def _content(event: Event) -> bytes:
    return b"\r\n".join(line for line in event.to_ical().split(b"\r\n") if not line.startswith(_STAMPS))


def versioned(data: bytes, previous: IcsCalendar | None) -> bytes:
    """The calendar ``data`` (as :func:`to_ics` or a feed wrote it) numbered against ``previous``, the file it
    replaces (``calsync ics --previous``): an event whose UID ``previous`` holds keeps its SEQUENCE, DTSTAMP and
    LAST-MODIFIED (and so its bytes) when nothing in it changed, and gets SEQUENCE + 1 when its time, title or join
    link changed (RFC 5545 §3.8.7.4), so that clients going by SEQUENCE take the new version. A step of its own
    after writing, so every writer of .ics files can take it (icalendar reads back what it wrote byte for byte)."""
    earlier = previous.by_uid() if previous is not None else {}
    if not earlier:
        return data
    cal = Calendar.from_ical(data)
    for event in cal.walk("VEVENT"):
        before = earlier.get(str(event.get("UID")))
        if before is not None and isinstance(event, Event):
            _number(event, before)
    return cal.to_ical()


def _number(event: Event, before: IcsEvent) -> None:
    after = _ics_event(event)
    if after.content == before.content:  # nothing changed: the previous version's bytes
        _set(event, "DTSTAMP", before.stamp or after.stamp)
        _set(event, "LAST-MODIFIED", before.last_modified or before.stamp or after.stamp)
        _set(event, "SEQUENCE", before.sequence)
        return
    significant = (
        after.start is None
        or before.start is None
        or after.end is None
        or before.end is None
        or after.start.astimezone(UTC) != before.start.astimezone(UTC)
        or after.end.astimezone(UTC) != before.end.astimezone(UTC)
        or after.summary != before.summary
        or after.url != before.url
    )
    _set(event, "SEQUENCE", before.sequence + 1 if significant else before.sequence)


def _set(event: Event, name: str, value: object) -> None:
    # icalendar writes properties in its own canonical order, so replacing one leaves the bytes around it alone
    if value is None:
        return
    event.pop(name, None)
    event.add(name, value)
