"""Compare the events the agenda wants with the events the calendar holds, and list the actions that close the gap.

Pure: no I/O, no clock. The whole plan is built before anything is written, so ``--dry-run`` shows exactly what a
push would do, and :mod:`calsync.sync.apply` only runs it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from ..backends.base import EventContent, RemoteEvent
from ..details import event_descriptions, event_location, event_summary, meeting_description, venue
from ..identity import Item, align_indices, rekey
from ..model import Agenda
from .conflicts import FIELDS, Edit, OnConflict, differing_fields, edited_fields, merged, written_digest

__all__ = [
    "Action",
    "Plan",
    "EventOptions",
    "event_id",
    "content_hash",
    "calendar_location",
    "desired_events",
    "make_plan",
    "ActionKind",
    "MEETING_BLOCK_KEY",
    "block_title",
]


class ActionKind(StrEnum):
    """What an action does to one event. The values are what ``push --json`` and the report carry."""

    CREATE = "create"
    RESTORE = "restore"  # an event deleted in the calendar, brought back under its own id
    UPDATE = "update"
    DELETE = "delete"
    UNCHANGED = "unchanged"
    KEEP = "keep"  # an event edited in the calendar that --on-conflict calendar leaves as it is


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
    digest = hashlib.sha256(f"{meeting_key}\x1f{block_key}".encode()).digest()
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
    # not hashed: they are compared one by one (:func:`_decide`), since calsync only ever adds them.
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
        contents.append(
            EventContent(
                meeting_key=agenda.key,
                block_key=MEETING_BLOCK_KEY,
                summary=" ".join(agenda.title.split()),
                description=meeting_description(agenda, zones, join_first=join_first),
                location=location,
                start=_span(agenda)[0],
                end=_span(agenda)[1],
                timezone=agenda.timezone.zone,
                attendees=options.invitees,
                reminders=alarm,
                url=agenda.conference_url,
            )
        )
    for block in agenda.blocks:
        contents.append(
            EventContent(
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
            )
        )
    return [replace(c, content_hash=content_hash(c), written=written_digest(c)) for c in contents]


def _span(agenda: Agenda) -> tuple[datetime, datetime]:
    """The meeting event's start and end: its blocks, stretched to the announced hours when those say more."""
    tz = agenda.tzinfo
    starts = [agenda.start] + ([agenda.hours[0]] if agenda.hours else [])
    ends = [agenda.end] + ([agenda.hours[1]] if agenda.hours else [])
    return min(starts, key=_utc).astimezone(tz), max(ends, key=_utc).astimezone(tz)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Action:
    """One thing to do to one event, and why."""

    kind: ActionKind
    block_key: str | None
    event_id: str
    desired: EventContent | None = None  # what the event should hold (None for a delete)
    remote: RemoteEvent | None = None  # what the calendar holds now (None for a create)
    reason: str = ""
    # Fields edited in the calendar since calsync last wrote the event, where they differ from the agenda (of
    # FIELDS, or DELETED): what --on-conflict decides about.
    conflict: tuple[Edit, ...] = ()

    @property
    def writes(self) -> bool:
        return self.kind not in (ActionKind.UNCHANGED, ActionKind.KEEP)

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
            "conflict": list(self.conflict),
        }


def _times(start: datetime | None, end: datetime | None) -> dict[str, str | None]:
    return {"start": start.isoformat() if start else None, "end": end.isoformat() if end else None}


@dataclass(frozen=True)
class Plan:
    """Every action of one push, in agenda order then deletions, and the ids the calendar already uses."""

    meeting_key: str
    actions: tuple[Action, ...]
    taken_ids: frozenset[str] = frozenset()
    # Each agenda block key -> the key its event goes by on the calendar (another one when the block was retitled,
    # renumbered or moved since it was written: its identity is the calendar's).
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def writes(self) -> list[Action]:
        return [a for a in self.actions if a.writes]

    @property
    def conflicts(self) -> list[Action]:
        return [a for a in self.actions if a.conflict]

    def counts(self) -> dict[ActionKind, int]:
        counts = {kind: 0 for kind in ActionKind}
        for action in self.actions:
            counts[action.kind] += 1
        return counts

    def to_data(self) -> dict[str, Any]:
        return {"meeting": self.meeting_key, "counts": self.counts(), "actions": [a.to_data() for a in self.actions]}


def make_plan(
    meeting_key: str,
    desired: Sequence[EventContent],
    remote: Iterable[RemoteEvent],
    replaced: Iterable[RemoteEvent] = (),
    *,
    on_conflict: OnConflict | str = OnConflict.AGENDA,
) -> Plan:
    """The actions that make the calendar hold exactly ``desired``, once each, touching only this meeting's events.

    Blocks are matched with the live events by :func:`calsync.identity.align_indices` (title, order and time
    together), so a block retitled, renumbered or moved since the last push updates its own event. ``replaced`` are
    events of other meeting keys the user asked to adopt (``calsync push --replace KEY``): a block without an event
    of its own takes over the one the alignment pairs it with (updated in place, its meeting key rewritten); the
    replaced meetings' other live events are deleted. ``on_conflict`` (an :class:`OnConflict`) decides about events
    edited in the calendar since calsync wrote them; with "stop" they are planned as with "agenda" and marked, and
    the caller stops.
    """
    try:
        policy = OnConflict(on_conflict)
    except ValueError:
        raise ValueError(f"on_conflict must be one of {', '.join(OnConflict)}, not {on_conflict!r}") from None
    ours = [r for r in remote if r.meeting_key == meeting_key]  # a backend may list more; only ours count
    others = [r for r in replaced if r.meeting_key != meeting_key and r.meeting_key]
    taken = frozenset(r.id for r in ours) | frozenset(r.id for r in others)
    live, extras, cancelled = _by_block(meeting_key, ours)
    keys = _identity(desired, live)
    desired = [
        d if keys.get(d.block_key, d.block_key) == d.block_key else _rekeyed(d, keys[d.block_key]) for d in desired
    ]
    heirs = _heirs([d for d in desired if d.block_key not in live], [r for r in others if not r.cancelled])
    wanted = {d.block_key for d in desired}
    actions: list[Action] = []
    for want in desired:
        keep = live.get(want.block_key)
        if keep is not None:
            actions.append(_decide(keep, want, policy))
            actions.extend(
                Action(ActionKind.DELETE, want.block_key, extra.id, None, extra, "duplicate of this block")
                for extra in extras.get(want.block_key, ())
            )  # a copy would show the block twice
        elif want.block_key in heirs:
            heir = heirs[want.block_key]
            actions.append(
                Action(
                    ActionKind.UPDATE, want.block_key, heir.id, want, heir, f"adopted from meeting {heir.meeting_key}"
                )
            )
        elif want.block_key in cancelled:
            # Google keeps a deleted event's id forever: inserting it again is a 409, so bring it back instead.
            gone = cancelled[want.block_key]
            kind = ActionKind.KEEP if policy is OnConflict.CALENDAR else ActionKind.RESTORE
            actions.append(
                Action(kind, want.block_key, gone.id, want, gone, "deleted in the calendar", (Edit.DELETED,))
            )
        else:
            actions.append(
                Action(
                    ActionKind.CREATE, want.block_key, event_id(meeting_key, want.block_key), want, None, "new block"
                )
            )
    for key, r in live.items():
        if key not in wanted:
            # The block left the agenda: the calendar must not keep showing it (unless a person edited it since and
            # the organiser said the calendar's edits win).
            edited = tuple(f for f in FIELDS if f in (edited_fields(r) or ()))
            kind = ActionKind.KEEP if edited and policy is OnConflict.CALENDAR else ActionKind.DELETE
            actions.append(Action(kind, r.block_key, r.id, None, r, "no longer in the agenda", edited))
            actions.extend(
                Action(ActionKind.DELETE, key, extra.id, None, extra, "no longer in the agenda")
                for extra in extras.get(key, ())
            )
    for r in ours:
        if not r.cancelled and not r.block_key:
            actions.append(
                Action(ActionKind.DELETE, r.block_key, r.id, None, r, "no longer in the agenda")
            )  # lost its key
    adopted = {h.id for h in heirs.values()}
    for r in others:
        if not r.cancelled and r.id not in adopted:
            actions.append(Action(ActionKind.DELETE, r.block_key, r.id, None, r, f"replaced meeting {r.meeting_key}"))
    return Plan(meeting_key, tuple(actions), taken, keys)


def _by_block(
    meeting_key: str, ours: Sequence[RemoteEvent]
) -> tuple[dict[str, RemoteEvent], dict[str, list[RemoteEvent]], dict[str, RemoteEvent]]:
    """This meeting's live event per block key (the one with the block's own id first), the other live copies, and
    the deleted event per block key that has no live one."""
    by_block: dict[str, list[RemoteEvent]] = {}
    for r in ours:
        if r.block_key:
            by_block.setdefault(r.block_key, []).append(r)
    live: dict[str, RemoteEvent] = {}
    extras: dict[str, list[RemoteEvent]] = {}
    cancelled: dict[str, RemoteEvent] = {}
    for key, events in by_block.items():
        home = event_id(meeting_key, key)
        ranked = sorted(events, key=lambda r: (r.id != home, r.id))
        alive = [r for r in ranked if not r.cancelled]
        if alive:
            live[key], extras[key] = alive[0], alive[1:]
        else:
            cancelled[key] = ranked[0]
    return live, extras, cancelled


def block_title(summary: str) -> str:
    """The block's own part of an event title ("VI. Title — Meeting" -> "VI. Title"), for comparing versions."""
    return summary.split(" — ", 1)[0]


def _item(key: str, summary: str, start: datetime, end: datetime) -> Item:
    return Item(key, block_title(summary), start, end)


def _identity(desired: Sequence[EventContent], live: dict[str, RemoteEvent]) -> dict[str, str]:
    """Each desired block key -> the key of the live event that holds the same block, or a key no live event has."""
    blocks = [d for d in desired if d.block_key != MEETING_BLOCK_KEY]
    timed = [r for key, r in live.items() if key != MEETING_BLOCK_KEY and r.start is not None and r.end is not None]
    # An event someone made all-day has no times to compare: only its key says which block it is.
    fixed = {d.block_key: d.block_key for d in blocks if d.block_key in live and live[d.block_key].start is None}
    rest = [d for d in blocks if d.block_key not in fixed]
    pairs = align_indices(
        [_item(r.block_key or "", r.summary, r.start, r.end) for r in timed],  # type: ignore[arg-type]
        [_item(d.block_key, d.summary, d.start, d.end) for d in rest],
    )
    matched = {**fixed, **{rest[j].block_key: timed[i].block_key or "" for j, i in pairs.items()}}
    return rekey((d.block_key for d in blocks), matched, reserved=live)


def _rekeyed(content: EventContent, key: str) -> EventContent:
    moved = replace(content, block_key=key)
    return replace(moved, content_hash=content_hash(moved))


def _heirs(orphans: Sequence[EventContent], former: Sequence[RemoteEvent]) -> dict[str, RemoteEvent]:
    """The live event of a replaced meeting each block without an event of its own takes over (by alignment; the
    meeting-wide event by its key)."""
    ranked = sorted(former, key=lambda r: (r.meeting_key, r.id))
    meeting = next((r for r in ranked if r.block_key == MEETING_BLOCK_KEY), None)  # the first replaced meeting's
    wanted = meeting is not None and any(d.block_key == MEETING_BLOCK_KEY for d in orphans)
    heirs = {MEETING_BLOCK_KEY: meeting} if meeting is not None and wanted else {}
    blocks = [d for d in orphans if d.block_key != MEETING_BLOCK_KEY]
    timed = [r for r in ranked if r.block_key != MEETING_BLOCK_KEY and r.start is not None and r.end is not None]
    if blocks and timed:
        pairs = align_indices(
            [_item(r.block_key or "", r.summary, r.start, r.end) for r in timed],  # type: ignore[arg-type]
            [_item(d.block_key, d.summary, d.start, d.end) for d in blocks],
        )
        heirs.update({blocks[j].block_key: timed[i] for j, i in pairs.items()})
    return heirs


def _decide(remote: RemoteEvent, want: EventContent, on_conflict: OnConflict) -> Action:
    """The action for a block whose live event calsync found: by whether the agenda changed since calsync wrote it
    (the content hash), whether the calendar did (the written digests), and ``on_conflict`` when both did."""
    agenda_changed = remote.content_hash != want.content_hash
    differ = differing_fields(remote, want)
    edited = edited_fields(remote)
    if edited is None:
        # No record of what calsync wrote (an event from before it kept one): fields that differ while the agenda
        # has not changed were edited in the calendar; when the agenda changed too, nobody can tell.
        edited = differ if not agenda_changed else frozenset()
    conflict = tuple(f for f in FIELDS if f in edited and f in differ)
    key, eid = want.block_key, remote.id
    if conflict:
        reason = "times were changed in the calendar" if Edit.TIME in conflict else "edited in the calendar"
        if on_conflict is not OnConflict.CALENDAR:
            return Action(ActionKind.UPDATE, key, eid, want, remote, reason, conflict)
        if agenda_changed:  # the agenda's other changes still apply; the calendar's edits stay
            return Action(ActionKind.UPDATE, key, eid, merged(want, remote, conflict), remote, reason, conflict)
        return Action(ActionKind.KEEP, key, eid, want, remote, reason, conflict)
    if agenda_changed:
        return Action(ActionKind.UPDATE, key, eid, want, remote, "content changed")
    if remote.attendees is not None and set(want.attendees) - {a.lower() for a in remote.attendees}:
        return Action(
            ActionKind.UPDATE, key, eid, want, remote, "guests to invite"
        )  # a new participant, or one removed by hand
    return Action(ActionKind.UNCHANGED, key, eid, want, remote)
