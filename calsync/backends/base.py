"""The small interface every calendar backend offers the sync engine, and the domain errors it speaks.

A backend lists the events of one meeting and runs a list of calls (insert, update, delete). It answers each call
with the event as stored or with a domain error, never with an HTTP one: transient faults are retried inside the
backend; faults that stop the whole push (quota, credentials, a missing calendar) are raised as calsync errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ..errors import BackendError

__all__ = [
    "MEETING_PROP",
    "BLOCK_PROP",
    "HASH_PROP",
    "WRITTEN_PROP",
    "EVENT_ID_RE",
    "EventContent",
    "RemoteEvent",
    "Insert",
    "Update",
    "Delete",
    "Call",
    "Outcome",
    "Progress",
    "Backend",
    "CallError",
    "DuplicateIdError",
    "EventGoneError",
    "EventNotFoundError",
    "ForbiddenError",
    "InvalidEventError",
    "StaleEventError",
]

# Private extended property keys: Google silently drops keys longer than 44 characters.
MEETING_PROP = "calsyncMeeting"
BLOCK_PROP = "calsyncBlock"
HASH_PROP = "calsyncHash"
# What calsync wrote into the event's own fields (a digest per field), so that a later listing can tell an edit made
# in the calendar since then from a change of the agenda.
WRITTEN_PROP = "calsyncWritten"
EVENT_ID_RE = re.compile(r"^[a-v0-9]{5,1024}$")  # base32hex, as Google requires for client-chosen ids


@dataclass(frozen=True)
class EventContent:
    """Everything calsync writes into one event: text, instants in the meeting's zone, and its private keys."""

    meeting_key: str
    block_key: str
    summary: str
    description: str
    location: str | None
    start: datetime
    end: datetime
    timezone: str  # IANA name of the meeting's zone
    content_hash: str = ""
    # Digests of the title, description, location and times as written (issue 13; set by the sync engine). A
    # backend keeps it with the other private properties and lists it back as ``RemoteEvent.written``.
    written: str = ""
    # Optional parts an organiser asks for (issue 14); a backend that cannot write one may ignore it. Defaults mean
    # "not calsync's business": no guests added, the calendar's default reminders, the event shown as busy.
    attendees: tuple[str, ...] = ()  # e-mail addresses to invite (lower case); guests are only ever added
    reminders: tuple[int, ...] | None = None  # minutes before the start; None leaves the calendar's defaults
    transparent: bool = False  # shown as free time (the blocks inside a meeting-wide event)
    # The join link on its own, for calendars that carry it in fields of its own (iCalendar's URL and CONFERENCE).
    # Not in the content hash: the description always carries the link too, and the hash covers the description.
    url: str | None = None

    def private_properties(self) -> dict[str, str]:
        """calsync's keys as the event carries them (Google's private extended properties; X- properties on CalDAV),
        read back by :meth:`RemoteEvent.listed`."""
        props = {MEETING_PROP: self.meeting_key, BLOCK_PROP: self.block_key, HASH_PROP: self.content_hash}
        if self.written:
            props[WRITTEN_PROP] = self.written
        return props


@dataclass(frozen=True)
class RemoteEvent:
    """An event of the meeting as the calendar holds it (cancelled ones included)."""

    id: str
    meeting_key: str
    block_key: str | None
    content_hash: str | None
    start: datetime | None
    end: datetime | None
    summary: str = ""
    cancelled: bool = False
    description: str = ""  # as listed ("" when the calendar holds none)
    location: str = ""  # as listed ("" when the calendar holds none)
    # ``EventContent.written`` as stored (issue 13; None: unknown, e.g. an event written before calsync kept it,
    # or a backend that does not list it back).
    written: str | None = None
    # Guests' e-mail addresses as listed, lower case; None for a backend that does not list guests (the plan then
    # never asks to invite anyone again on its account).
    attendees: tuple[str, ...] | None = None
    etag: str | None = None  # the version listed, for writes that must not overwrite a newer one (None: unknown)

    @classmethod
    def listed(cls, private: Mapping[str, str], **fields: Any) -> RemoteEvent:
        """An event as a calendar lists it: calsync's keys from the private properties it wrote
        (:meth:`EventContent.private_properties`), the event's own fields (id, times, text, …) from ``fields``."""
        return cls(
            meeting_key=private.get(MEETING_PROP, ""),
            block_key=private.get(BLOCK_PROP),
            content_hash=private.get(HASH_PROP),
            written=private.get(WRITTEN_PROP),
            **fields,
        )

    @classmethod
    def stored(
        cls,
        content: EventContent,
        event_id: str,
        *,
        summary: str | None = None,
        cancelled: bool = False,
        etag: str | None = None,
    ) -> RemoteEvent:
        """``content`` as a calendar that keeps all of it lists it back (``summary``: its title edited by hand)."""
        return cls.listed(
            content.private_properties(),
            id=event_id,
            start=content.start,
            end=content.end,
            summary=content.summary if summary is None else summary,
            cancelled=cancelled,
            description=content.description,
            location=content.location or "",
            attendees=content.attendees,
            etag=etag,
        )


@dataclass(frozen=True)
class Insert:
    """Create an event with this id."""

    event_id: str
    content: EventContent


@dataclass(frozen=True)
class Update:
    """Write calsync's fields of ``content`` into the event with this id and make it confirmed (also brings back a
    deleted one). Fields calsync does not write (guests, reminders, colour) are kept; ``content.attendees`` are added
    to the guests, never put in their place.

    ``restoring`` says the target is (or may be) a deleted event: only then may a refusal (forbidden, not found,
    gone: an id whose bin was emptied stays reserved) be answered by giving the block a fresh id; refusing to change
    a live event is a failure, never a reason to create a second one.
    """

    event_id: str
    content: EventContent
    restoring: bool = False
    etag: str | None = None  # write only if the event is still this version (If-Match); None: unconditionally


@dataclass(frozen=True)
class Delete:
    """Delete the event with this id (softly, as calendars do)."""

    event_id: str
    etag: str | None = None  # delete only if the event is still this version (If-Match); None: unconditionally


Call = Insert | Update | Delete


class CallError(BackendError):
    """One call failed for a reason the sync engine can act on; the push may go on."""

    exit_code = 69


class DuplicateIdError(CallError):
    """An insert used an id the calendar already holds, perhaps on a deleted event."""


class EventNotFoundError(CallError):
    """The event to update or delete does not exist (for a restore: its id may be a tombstone, see ``restoring``)."""


class EventGoneError(CallError):
    """The event to delete was already deleted."""


class ForbiddenError(CallError):
    """The calendar refused this call on this event (e.g. restoring an event deleted in the web UI)."""


class InvalidEventError(CallError):
    """The calendar rejected the event's content."""


class StaleEventError(CallError):
    """The event changed, appeared or vanished since it was listed, so the conditional write was refused (HTTP 412)
    rather than overwriting someone's edit blindly. The engine reads the calendar again and re-plans."""


@dataclass
class Outcome:
    """The answer to one call: the event as stored (``None`` after a delete) or the error that stopped it."""

    call: Call
    event: RemoteEvent | None = None
    error: CallError | None = None
    attempts: int = field(default=1)

    @property
    def ok(self) -> bool:
        return self.error is None


Progress = Callable[[int, int], None]  # (calls done, calls in all)


class Backend(Protocol):
    """A calendar the sync engine can read one meeting from and write calls to."""

    def list_events(self, meeting_key: str) -> list[RemoteEvent]:
        """Every event carrying this meeting's key, cancelled ones included."""
        ...

    def execute(self, calls: Sequence[Call], progress: Progress | None = None) -> list[Outcome]:
        """Run the calls (in any grouping) and answer one outcome per call, in order."""
        ...
