"""Agenda -> .ics: one VEVENT per session block, correct in Google, Outlook, Apple Calendar and Thunderbird alike.

Times carry ``TZID=`` the meeting's IANA zone with exactly one VTIMEZONE in the yearly-rule form
(:mod:`calsync.ical.timezones`), or are written in UTC on request. Each event is serialised once: a feed and the
downloads of its blocks alone are cut from the same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, vDuration, vText, vUri

from ..details import event_description, event_descriptions, event_location, event_summary, meeting_description
from ..errors import UsageError
from ..model import Agenda, Block
from ..zones import ParticipantZone, participant_zones
from .events import (
    EventModel,
    as_utc,
    display_alarm,
    event_uid,
    fixed_offset,
    meeting_uid,
    new_calendar,
    new_event,
    require_aware,
    serialised,
    title_line,
    wall_time,
)
from .previous import IcsCalendar, numbered
from .timezones import vtimezone

__all__ = ["Feed", "to_ics", "to_ics_files"]


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
    if alarm_minutes is not None and alarm_minutes < 0:
        raise UsageError(
            f"alarm of {alarm_minutes} minutes", hint="give a number of minutes before the start, 0 or more"
        )
    writer = _Writer.of(agenda, stamp, utc=utc)
    zones = participant_zones(agenda) if zones is None else zones
    events = [writer.meeting(zones, alarm_minutes)] if meeting_event else []
    # With the meeting's own event, the reminder is on it: one, not one before each (possibly five-minute) block.
    block_alarm = None if meeting_event else alarm_minutes
    events += writer.blocks(zones, alarm_minutes=block_alarm, inside_meeting=meeting_event).values()
    return _file(writer.head(feed), events)


def to_ics_files(
    agenda: Agenda,
    *,
    zones: Sequence[ParticipantZone] | None = None,
    stamp: datetime | None = None,
    feed: Feed | None = None,
    turns: Sequence[tuple[Block, Sequence[ParticipantZone]]] = (),
    previous: IcsCalendar | None = None,
) -> tuple[bytes, dict[str, bytes]]:
    """The feed (every block, with ``feed``'s refresh hints) and, by block key, a download of each block alone.

    The same events as :func:`to_ics` (same UIDs), each serialised once: a 5,000-block agenda gives 5,001 files
    for little more than the cost of the feed. ``turns`` are extra downloads that are not in the feed (a speaker's
    slot within a block), each with the zones its description lists. With ``previous`` (the feed as it was), each
    block is numbered against its previous version as :func:`~calsync.ical.versioned` numbers a file, in the feed
    and in its own download alike.
    """
    writer = _Writer.of(agenda, stamp)
    blocks = writer.blocks(participant_zones(agenda) if zones is None else zones)
    if previous is not None:
        earlier = previous.by_uid()
        blocks = {
            block.key: numbered(blocks[block.key], earlier.get(event_uid(agenda, block))) for block in agenda.blocks
        }
    events = {**blocks, **{turn.key: writer.turn(turn, turn_zones) for turn, turn_zones in turns}}
    single = writer.head()  # downloads are one-off files: no refresh hints
    return _file(writer.head(feed), blocks.values()), {key: _file(single, [event]) for key, event in events.items()}


def _file(head: bytes, events: Iterable[bytes]) -> bytes:
    return b"".join([head, *events, b"END:VCALENDAR\r\n"])


@dataclass(frozen=True)
class _Writer:
    """The pieces of one agenda's calendars, each serialised once: the events, the VTIMEZONE, the header."""

    agenda: Agenda
    stamp: datetime  # DTSTAMP and LAST-MODIFIED, in UTC
    out_tz: ZoneInfo | timezone  # the zone times are written in: the meeting's, or UTC
    models: dict[str | None, EventModel] = field(default_factory=dict, compare=False)  # by the event they are in

    @classmethod
    def of(cls, agenda: Agenda, stamp: datetime | None, *, utc: bool = False) -> _Writer:
        # A fixed-offset meeting clock (--literal-offsets gives Etc/GMT-1) has no civil time to preserve, and clients
        # show "Etc/GMT-1" with its inverted sign: such meetings are written in UTC.
        utc = utc or fixed_offset(agenda.timezone.zone)
        return cls(agenda, as_utc(stamp or datetime.now(UTC), "DTSTAMP"), UTC if utc else agenda.tzinfo)

    @property
    def utc(self) -> bool:
        return self.out_tz is UTC

    def head(self, feed: Feed | None = None) -> bytes:
        """A file's beginning: BEGIN:VCALENDAR, its properties (with ``feed``'s hints), and the VTIMEZONE."""
        agenda = self.agenda
        cal = new_calendar(name=agenda.title, method="PUBLISH", calscale="GREGORIAN")
        if not self.utc:
            cal.add("X-WR-TIMEZONE", vText(agenda.timezone.zone))  # a hint for readers; a UTC-only file needs none
            cal.add_component(vtimezone(agenda.timezone.zone, agenda.start, agenda.end))
        if feed is not None:
            _add_feed(cal, feed)
        whole = serialised(cal)
        return whole[: whole.rindex(b"END:VCALENDAR")]

    @functools.cached_property
    def location(self) -> str | None:
        return event_location(self.agenda)

    def meeting(self, zones: Sequence[ParticipantZone], alarm_minutes: int | None) -> bytes:
        """The event spanning the whole meeting: its blocks, stretched to the announced hours when those say more."""
        agenda = self.agenda
        starts = [agenda.start] + ([agenda.hours[0]] if agenda.hours else [])
        ends = [agenda.end] + ([agenda.hours[1]] if agenda.hours else [])
        title = title_line(agenda.title)
        return self._event(
            uid=meeting_uid(agenda),
            summary=title,
            description=meeting_description(agenda, zones),
            start=min(starts, key=lambda d: as_utc(d, "start")),
            end=max(ends, key=lambda d: as_utc(d, "end")),
            label="the meeting",
            alarm_minutes=alarm_minutes,
        )

    def blocks(
        self, zones: Sequence[ParticipantZone], *, alarm_minutes: int | None = None, inside_meeting: bool = False
    ) -> dict[str, bytes]:
        """Each block's event by block key (the local times of all blocks worked out once)."""
        agenda = self.agenda
        descriptions = event_descriptions(agenda, zones) if agenda.blocks else {}
        parent = meeting_uid(agenda) if inside_meeting else None
        return {
            block.key: self._event(
                uid=event_uid(agenda, block),
                summary=event_summary(agenda, block),
                description=descriptions[block.key],
                start=block.start,
                end=block.end,
                label=block.label,
                alarm_minutes=alarm_minutes,
                inside=parent,
            )
            for block in agenda.blocks
        }

    def turn(self, turn: Block, zones: Sequence[ParticipantZone]) -> bytes:
        """A speaker's or country's slot within a block, as an event of its own."""
        return self._event(
            uid=event_uid(self.agenda, turn),
            summary=event_summary(self.agenda, turn),
            description=event_description(self.agenda, turn, zones),
            start=turn.start,
            end=turn.end,
            label=turn.label,
        )

    def _event(
        self,
        *,
        uid: str,
        summary: str,
        description: str,
        start: datetime,
        end: datetime,
        label: str,
        alarm_minutes: int | None = None,
        inside: str | None = None,
    ) -> bytes:
        start = wall_time(require_aware(start, "start", label), self.out_tz)
        end = wall_time(require_aware(end, "end", label), self.out_tz)
        if alarm_minutes is None:  # the events of a feed, its blocks' and turns' downloads: written from a model
            model = self.models.get(inside)
            if model is None:
                url = self.agenda.conference_url
                model = self.models[inside] = EventModel(
                    stamp=self.stamp, location=self.location, url=url, inside=inside
                )
            return model.event(uid=uid, summary=summary, description=description, start=start, end=end)
        event = new_event(
            uid=uid,
            summary=summary,
            description=description,
            start=start,
            end=end,
            stamp=self.stamp,
            location=self.location,
            url=self.agenda.conference_url,
            inside=inside,
            alarm=display_alarm(summary, alarm_minutes),
        )
        return serialised(event)


def _add_feed(cal: Calendar, feed: Feed) -> None:
    """RFC 7986's refresh hints (and Outlook's older X-PUBLISHED-TTL), and where the feed and its page live."""
    # Not Calendar.new's refresh_interval and source: icalendar 7 writes them without the VALUE parameter RFC 7986
    # requires of both (REFRESH-INTERVAL;VALUE=DURATION, SOURCE;VALUE=URI).
    cal.add("REFRESH-INTERVAL", feed.refresh, parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(feed.refresh))
    if feed.source_url:
        cal.add("SOURCE", vUri(feed.source_url), parameters={"VALUE": "URI"})
    if feed.page_url:
        cal.add("URL", vUri(feed.page_url), parameters={"VALUE": "URI"})
