"""Compare the events the agenda wants with the events the calendar holds, and list the actions that close the gap.

Pure: no I/O, no clock. The whole plan is built before anything is written, so ``--dry-run`` shows exactly what a
push would do, and :mod:`calsync.sync.apply` only runs it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

from ..backends.base import EventContent, RemoteEvent
from ..details import event_descriptions, event_location, event_summary, meeting_description, venue
from ..model import Agenda, same_instant

__all__ = ["Action", "Plan", "EventOptions", "event_id", "content_hash", "calendar_location", "desired_events",
           "make_plan", "KINDS", "MEETING_BLOCK_KEY"]

KINDS = ("create", "restore", "update", "delete", "unchanged")
# The block key of the optional event spanning the whole meeting: block keys are slugs ([a-z0-9-]), so "_" keeps
# it apart from every block.
MEETING_BLOCK_KEY = "_meeting"


@dataclass(frozen=True)
class EventOptions:
    """What the organiser asks of the calendar's events beyond the agenda itself; all off by default.

    With ``meeting_event``, one more event spans the meeting and the blocks show as free time; the reminder and the
    invitations then go on that event alone (one e-mail per guest, not one per block), as ``calsync ics`` does with
    its alarm.
    """

    meeting_event: bool = False
    alarm_minutes: int | None = None  # a reminder this many minutes before; None keeps the calendar's defaults
    invitees: tuple[str, ...] = ()  # guests' e-mail addresses, lower case


NO_OPTIONS = EventOptions()


def event_id(meeting_key: str, block_key: str, generation: int = 0) -> str:
    """The block's event id: base32hex of sha256(meeting key, block key), lowercase, 32 characters.

    Being deterministic is what makes a push safe to repeat: a second insert of the same block is refused as a
    duplicate instead of creating a second event. ``generation`` > 0 gives a fresh id for the rare event Google will
    neither re-insert nor restore.
    """
    digest = hashlib.sha256(f"{meeting_key}\x1f{block_key}".encode("utf-8")).digest()
    base = base64.b32hexencode(digest).decode("ascii").lower()[:32]
    return base if generation == 0 else f"{base}g{generation}"


def content_hash(content: EventContent) -> str:
    """A digest of everything calsync writes into the event, to skip unchanged events without comparing fields."""
    data: dict[str, Any] = {
        "meeting": content.meeting_key,
        "block": content.block_key,
        "summary": content.summary,
        "description": content.description,
        "location": content.location,
        "start": content.start.isoformat(),
        "end": content.end.isoformat(),
        "timezone": content.timezone,
    }
    # Only when asked for, so the digests of events pushed before these options existed stay the same. Guests are
    # not hashed: they are compared one by one (:func:`_difference`), since calsync only ever adds them.
    if content.reminders is not None:
        data["reminders"] = list(content.reminders)
    if content.transparent:
        data["transparent"] = True
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def calendar_location(agenda: Agenda) -> str | None:
    """The location calsync writes into calendar events: the room of a meeting held in one (a hybrid meeting keeps
    its room; the join link then leads the description), else the join URL (one click joins), else the agenda's
    location. The .ics keeps :func:`details.event_location`, which has room for both."""
    room = venue(agenda)
    if room and agenda.conference_url:
        return room
    return agenda.conference_url or event_location(agenda)


def desired_events(agenda: Agenda, zones: Sequence[Any] = (), options: EventOptions = NO_OPTIONS) -> list[EventContent]:
    """One event per block of the agenda, in agenda order (after the meeting-wide event when asked for), each with
    its content hash."""
    location = calendar_location(agenda)
    join_first = bool(agenda.conference_url) and location != agenda.conference_url  # the link is not the location
    descriptions = event_descriptions(agenda, zones, join_first=join_first)  # local times once for all blocks
    alarm = (options.alarm_minutes,) if options.alarm_minutes is not None else None
    on_blocks = not options.meeting_event
    contents = []
    if options.meeting_event:
        contents.append(EventContent(
            meeting_key=agenda.key, block_key=MEETING_BLOCK_KEY, summary=" ".join(agenda.title.split()),
            description=meeting_description(agenda, zones, join_first=join_first), location=location,
            start=_span(agenda)[0], end=_span(agenda)[1], timezone=agenda.timezone.zone,
            attendees=options.invitees, reminders=alarm, url=agenda.conference_url))
    for block in agenda.blocks:
        contents.append(EventContent(
            meeting_key=agenda.key,
            block_key=block.key,
            summary=event_summary(agenda, block),
            description=descriptions[block.key],
            location=location,
            start=block.start.astimezone(agenda.tzinfo),
            end=block.end.astimezone(agenda.tzinfo),
            timezone=agenda.timezone.zone,
            attendees=options.invitees if on_blocks else (),
            reminders=alarm if on_blocks else None,
            transparent=options.meeting_event,  # inside the meeting's own event: free, so nobody is double-booked
            url=agenda.conference_url,
        ))
    return [replace(c, content_hash=content_hash(c)) for c in contents]


def _span(agenda: Agenda) -> tuple[datetime, datetime]:
    """The meeting event's start and end: its blocks, stretched to the announced hours when those say more."""
    tz = agenda.tzinfo
    starts = [agenda.start] + ([agenda.hours[0]] if agenda.hours else [])
    ends = [agenda.end] + ([agenda.hours[1]] if agenda.hours else [])
    return min(starts, key=_utc).astimezone(tz), max(ends, key=_utc).astimezone(tz)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


@dataclass(frozen=True)
class Action:
    """One thing to do to one event, and why."""

    kind: str  # one of KINDS
    block_key: str | None
    event_id: str
    desired: EventContent | None = None  # what the event should hold (None for a delete)
    remote: RemoteEvent | None = None  # what the calendar holds now (None for a create)
    reason: str = ""

    @property
    def writes(self) -> bool:
        return self.kind != "unchanged"

    @property
    def summary(self) -> str:
        """The event's title as it will be (or, for a delete, as it is)."""
        if self.desired is not None:
            return self.desired.summary
        return self.remote.summary if self.remote is not None else self.event_id

    def to_data(self) -> dict[str, Any]:
        old = self.remote if self.remote is not None and self.remote.start is not None else None
        return {
            "action": self.kind,
            "block": self.block_key,
            "event_id": self.event_id,
            "summary": self.summary,
            "old": _times(old.start, old.end) if old is not None else None,
            "new": _times(self.desired.start, self.desired.end) if self.desired is not None else None,
            "reason": self.reason,
        }


def _times(start: datetime | None, end: datetime | None) -> dict[str, str | None]:
    return {"start": start.isoformat() if start else None, "end": end.isoformat() if end else None}


@dataclass(frozen=True)
class Plan:
    """Every action of one push, in agenda order then deletions, and the ids the calendar already uses."""

    meeting_key: str
    actions: tuple[Action, ...]
    taken_ids: frozenset[str] = frozenset()

    @property
    def writes(self) -> list[Action]:
        return [a for a in self.actions if a.writes]

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in KINDS}
        for action in self.actions:
            counts[action.kind] += 1
        return counts

    def to_data(self) -> dict[str, Any]:
        return {"meeting": self.meeting_key, "counts": self.counts(), "actions": [a.to_data() for a in self.actions]}


def make_plan(meeting_key: str, desired: Sequence[EventContent], remote: Iterable[RemoteEvent],
              replaced: Iterable[RemoteEvent] = ()) -> Plan:
    """The actions that make the calendar hold exactly ``desired``, once each, touching only this meeting's events.

    ``replaced`` are events of other meeting keys the user asked to adopt (``calsync push --replace KEY``): a block
    with no live event of its own takes over the live event of the same block key (updated in place, its meeting key
    rewritten); the replaced meetings' other live events are deleted.
    """
    ours = [r for r in remote if r.meeting_key == meeting_key]  # a backend may list more; only ours count
    others = [r for r in replaced if r.meeting_key != meeting_key and r.meeting_key]
    taken = frozenset(r.id for r in ours) | frozenset(r.id for r in others)
    by_block: dict[str | None, list[RemoteEvent]] = {}
    for r in ours:
        by_block.setdefault(r.block_key, []).append(r)
    adoptable: dict[str | None, list[RemoteEvent]] = {}
    for r in others:
        if not r.cancelled:
            adoptable.setdefault(r.block_key, []).append(r)
    adopted: set[str] = set()
    wanted = {d.block_key for d in desired}
    actions: list[Action] = []
    for want in desired:
        home = event_id(meeting_key, want.block_key)
        candidates = by_block.get(want.block_key, [])
        alive = sorted((r for r in candidates if not r.cancelled), key=lambda r: (r.id != home, r.id))
        if alive:
            keep, extras = alive[0], alive[1:]
            reason = _difference(keep, want)
            if not reason:
                # Same hash: nothing calsync writes has changed; same instants and texts: nobody edited it by hand.
                actions.append(Action("unchanged", want.block_key, keep.id, want, keep))
            else:
                actions.append(Action("update", want.block_key, keep.id, want, keep, reason))
            for extra in extras:
                # A second live event for one block (e.g. copied by hand) would show the block twice.
                actions.append(Action("delete", want.block_key, extra.id, None, extra, "duplicate of this block"))
            continue
        heirs = sorted(adoptable.get(want.block_key, []), key=lambda r: (r.meeting_key, r.id))
        if heirs:
            # The same block under the meeting's former key: update that event in place instead of adding another.
            heir = heirs[0]
            adopted.add(heir.id)
            actions.append(Action("update", want.block_key, heir.id, want, heir, f"adopted from meeting {heir.meeting_key}"))
            continue
        cancelled = sorted((r for r in candidates if r.cancelled), key=lambda r: (r.id != home, r.id))
        if cancelled:
            # Google keeps a deleted event's id forever: inserting it again is a 409, so bring it back instead.
            actions.append(Action("restore", want.block_key, cancelled[0].id, want, cancelled[0], "deleted in the calendar"))
        else:
            actions.append(Action("create", want.block_key, home, want, None, "new block"))
    for r in ours:
        if not r.cancelled and r.block_key not in wanted:
            # The block left the agenda (or the event lost its block key): the calendar must not keep showing it.
            actions.append(Action("delete", r.block_key, r.id, None, r, "no longer in the agenda"))
    for r in others:
        if not r.cancelled and r.id not in adopted:
            actions.append(Action("delete", r.block_key, r.id, None, r, f"replaced meeting {r.meeting_key}"))
    return Plan(meeting_key, tuple(actions), taken)


def _difference(remote: RemoteEvent, want: EventContent) -> str:
    """Why the live event must be rewritten ("" when it already holds exactly what calsync would write)."""
    if remote.content_hash != want.content_hash:
        return "content changed"
    if not _same_instants(remote, want):
        return "times were changed in the calendar"
    # Google keeps the private properties (and so the hash) when someone edits the text by hand: compare the text.
    if (_text(remote.summary) != _text(want.summary) or _text(remote.description) != _text(want.description)
            or _text(remote.location) != _text(want.location)):
        return "edited in the calendar"
    if remote.attendees is not None and set(want.attendees) - {a.lower() for a in remote.attendees}:
        return "guests to invite"  # a new participant, or one removed by hand while still on the list
    return ""


def _text(value: str | None) -> str:
    """A text field as compared: a missing field is empty, and line endings are not an edit."""
    return (value or "").replace("\r\n", "\n")


def _same_instants(remote: RemoteEvent, want: EventContent) -> bool:
    return same_instant(remote.start, want.start) and same_instant(remote.end, want.end)
