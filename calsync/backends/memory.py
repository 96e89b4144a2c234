"""A calendar in memory that keeps Google's rules: base32hex ids, duplicate ids refused even when deleted, soft delete;
and the rule of conditional writes: an update or delete that names a version (ETag) other than the stored one is
refused as stale.

The sync engine's tests run on it without mocks; the same tests run against the fake Google server.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .base import (
    EVENT_ID_RE,
    Call,
    CallError,
    Delete,
    DuplicateIdError,
    EventContent,
    EventGoneError,
    EventNotFoundError,
    ForbiddenError,
    Insert,
    InvalidEventError,
    Outcome,
    Progress,
    RemoteEvent,
    StaleEventError,
    Update,
)

__all__ = ["MemoryCalendar", "StoredEvent"]


@dataclass
class StoredEvent:
    """One event in the memory calendar: calsync's content (or a foreign event's) and its status."""

    id: str
    content: EventContent | None  # None for an event that is not calsync's (someone else's meeting)
    summary: str = ""
    cancelled: bool = False
    version: int = 1  # bumped by every change, calsync's or a person's; listed as the ETag

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def remote(self) -> RemoteEvent | None:
        if self.content is None:
            return None
        # calsync's record of what it wrote travels with the event, as private properties do on Google
        return RemoteEvent.stored(self.content, self.id, summary=self.summary, cancelled=self.cancelled, etag=self.etag)


class MemoryCalendar:
    """An in-memory :class:`~calsync.backends.base.Backend` with the calendar's rules and queueable call faults."""

    def __init__(self) -> None:
        self.events: dict[str, StoredEvent] = {}
        self.restore_forbidden = False  # updating a cancelled event is refused, as once seen on Google
        self.faults: list[Exception | None] = []  # raised (or returned as outcome errors) for the next calls
        self.calls: list[Call] = []
        self.listings = 0
        self.before_writes: Callable[[], None] | None = None  # runs once, before the next calls (someone else's edit)
        self._ids = itertools.count(1)

    def add_foreign(self, summary: str) -> str:
        """Put someone else's event on the calendar; calsync must never list or touch it."""
        event_id = f"foreign{next(self._ids):04d}"
        self.events[event_id] = StoredEvent(event_id, None, summary=summary)
        return event_id

    def edit_by_hand(
        self,
        event_id: str,
        *,
        summary: str | None = None,
        description: str | None = None,
        start: datetime.datetime | None = None,
        end: datetime.datetime | None = None,
    ) -> None:
        """Change an event as a person would in the calendar: its fields change, calsync's private keys stay."""
        stored = self.events[event_id]
        assert stored.content is not None
        if summary is not None:
            stored.summary = summary
        changes = {k: v for k, v in (("description", description), ("start", start), ("end", end)) if v is not None}
        stored.content = replace(stored.content, **changes)  # type: ignore[arg-type]
        stored.version += 1

    def delete_by_hand(self, event_id: str) -> None:
        self.events[event_id].cancelled = True
        self.events[event_id].version += 1

    def live(self) -> list[StoredEvent]:
        return [e for e in self.events.values() if not e.cancelled]

    def list_events(self, meeting_key: str) -> list[RemoteEvent]:
        self.listings += 1
        listed = (stored.remote() for stored in self.events.values())
        return [remote for remote in listed if remote is not None and remote.meeting_key == meeting_key]

    def execute(self, calls: Sequence[Call], progress: Progress | None = None) -> list[Outcome]:
        if self.before_writes is not None:
            hook, self.before_writes = self.before_writes, None
            hook()
        outcomes = []
        for i, call in enumerate(calls, 1):
            self.calls.append(call)
            fault = self.faults.pop(0) if self.faults else None
            if fault is not None and not isinstance(fault, CallError):
                raise fault  # a fault that stops the push (quota, credentials)
            try:
                if fault is not None:
                    raise fault
                event = self._run(call)
                outcomes.append(Outcome(call, event=event))
            except CallError as e:
                outcomes.append(Outcome(call, error=e))
            if progress is not None:
                progress(i, len(calls))
        return outcomes

    def _run(self, call: Call) -> RemoteEvent | None:
        if isinstance(call, Insert):
            if not EVENT_ID_RE.match(call.event_id):
                raise InvalidEventError(f"invalid event id {call.event_id!r}")
            if call.event_id in self.events:
                raise DuplicateIdError("the requested identifier already exists")
            self.events[call.event_id] = StoredEvent(call.event_id, call.content, summary=call.content.summary)
            return self.events[call.event_id].remote()
        stored = self.events.get(call.event_id)
        if stored is None:
            raise EventNotFoundError(f"event {call.event_id} not found")
        if call.etag is not None and call.etag != stored.etag:
            raise StaleEventError(f"event {call.event_id} changed since it was listed")
        if isinstance(call, Delete):
            if stored.cancelled:
                raise EventGoneError(f"event {call.event_id} was already deleted")
            stored.cancelled = True
            stored.version += 1
            return None
        assert isinstance(call, Update)
        if stored.content is None:
            raise ForbiddenError("not calsync's event")
        if stored.cancelled and self.restore_forbidden:
            raise ForbiddenError("forbidden")
        stored.content = replace(call.content)
        stored.summary = call.content.summary
        stored.cancelled = False
        stored.version += 1
        return stored.remote()
