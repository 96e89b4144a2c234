"""Edits made in the calendar since calsync last wrote an event, and what ``--on-conflict`` does about them. Pure.

calsync keeps, with each event, a digest of each field it wrote (title, description, location, times:
``EventContent.written``). A listing whose fields no longer give those digests was edited in the calendar since
(by hand, or by another app); the content hash says whether the agenda changed since. Together they tell the four
cases apart: nothing changed, the agenda changed, the calendar changed, or both (a conflict).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum

from ..backends.base import EventContent, RemoteEvent
from ..model import same_instant

__all__ = ["Edit", "FIELDS", "OnConflict", "written_digest", "edited_fields", "differing_fields", "merged"]


class Edit(StrEnum):
    """What a person changed in the calendar since calsync wrote an event: one of the fields calsync writes, or the
    whole event deleted. The values are what ``push --json`` and the written digests carry."""

    TIME = "time"
    TITLE = "title"
    DESCRIPTION = "description"
    LOCATION = "location"
    DELETED = "deleted"


FIELDS = (Edit.TIME, Edit.TITLE, Edit.DESCRIPTION, Edit.LOCATION)  # what calsync writes and a person may edit


class OnConflict(StrEnum):
    """``--on-conflict``: what to do with an event edited in the calendar since calsync last wrote it."""

    AGENDA = "agenda"  # the agenda wins (the default: the agenda is what the organiser sends)
    CALENDAR = "calendar"  # the calendar's edit stays; the agenda's other changes still apply
    STOP = "stop"  # the push stops before writing anything


def _text(value: str | None) -> str:
    # Line endings and surrounding blanks are not an edit (calendars normalise both).
    return (value or "").replace("\r\n", "\n").strip()


def _moment(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat() if value is not None else "none"  # none: made all-day


def _values(
    summary: str, description: str, location: str | None, start: datetime | None, end: datetime | None
) -> dict[Edit, str]:
    return {
        Edit.TIME: f"{_moment(start)}/{_moment(end)}",
        Edit.TITLE: _text(summary),
        Edit.DESCRIPTION: _text(description),
        Edit.LOCATION: _text(location),
    }


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


# Spaces between the parts: iCalendar's text escaping (``;`` and ``,`` become ``\;`` and ``\,`` in an X- property
# on CalDAV) leaves them alone; reading takes whatever escaping a calendar added in its stride.
_PART = re.compile(r"([a-z]+)=([0-9a-f]{8})")


def written_digest(content: EventContent) -> str:
    """``time=… title=… description=… location=…``: 8 hex digits of each field as written (≈70 characters, well
    inside Google's 1,024 per private property)."""
    values = _values(content.summary, content.description, content.location, content.start, content.end)
    return " ".join(f"{name}={_digest(values[name])}" for name in FIELDS)


def edited_fields(remote: RemoteEvent) -> frozenset[Edit] | None:
    """The fields edited in the calendar since calsync wrote the event, or None when calsync kept no record."""
    if not remote.written:
        return None
    stored = dict(_PART.findall(remote.written))
    now = _values(remote.summary, remote.description, remote.location, remote.start, remote.end)
    return frozenset(name for name in FIELDS if name in stored and stored[name] != _digest(now[name]))


def differing_fields(remote: RemoteEvent, want: EventContent) -> frozenset[Edit]:
    """The fields in which the calendar's event differs from what calsync would write now."""
    out = set()
    if not (same_instant(remote.start, want.start) and same_instant(remote.end, want.end)):
        out.add(Edit.TIME)
    if _text(remote.summary) != _text(want.summary):
        out.add(Edit.TITLE)
    if _text(remote.description) != _text(want.description):
        out.add(Edit.DESCRIPTION)
    if _text(remote.location) != _text(want.location):
        out.add(Edit.LOCATION)
    return frozenset(out)


def merged(want: EventContent, remote: RemoteEvent, keep: Iterable[Edit]) -> EventContent:
    """``want`` with the calendar's version of the ``keep`` fields (``--on-conflict calendar``): the agenda's other
    changes still reach the event. The content hash and the written digests stay the agenda's, so the kept fields
    still read as edited in the calendar on the next push (named again, kept again under ``calendar``, put back
    under ``agenda``) and no later change of the agenda reverts them unnoticed."""
    kept = set(keep)
    content = want
    if Edit.TIME in kept and remote.start is not None and remote.end is not None:
        content = replace(content, start=remote.start, end=remote.end)
    if Edit.TITLE in kept:
        content = replace(content, summary=remote.summary)
    if Edit.DESCRIPTION in kept:
        content = replace(content, description=remote.description)
    if Edit.LOCATION in kept:
        content = replace(content, location=remote.location or None)
    return content
