"""The version of an agenda that came before, when it is an .ics file: its blocks for identity, its meeting key, and
the agenda it shows (for ``calsync diff``). Pure: :func:`calsync.ical.read_calendar` reads the file.

``calsync ics --previous OLD.ics`` keeps OLD's UIDs for the blocks that are the same blocks (:mod:`calsync.identity`)
and OLD's meeting key when the title or first day changed, so a re-imported file updates what clients hold instead
of adding a second copy.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from .errors import InputFileError
from .identity import Item, carry_identity
from .model import Agenda, Block, MeetingZone, block_keys, meeting_key

if TYPE_CHECKING:  # the reader of .ics files loads icalendar; this module only needs its plain results
    from .ical import IcsCalendar, IcsEvent

__all__ = ["previous_items", "previous_meeting_key", "follow", "agenda_of_ics", "split_summary"]

_NUMBER = re.compile(r"^\s*((?:[IVXLCDM]+|\d+(?:\.\d+)*|[A-Za-z]))\.\s+(.*)$", re.S)


def _split(uid: str) -> tuple[str, str] | None:
    from .ical import split_uid  # loaded only when an .ics is being compared, i.e. already read

    return split_uid(uid)


def split_summary(summary: str) -> tuple[str | None, str]:
    """(number, title) of an event title calsync wrote: ``VI. Remarques — Meeting`` -> ("VI", "Remarques")."""
    label = summary.split(" — ", 1)[0].strip()
    found = _NUMBER.match(label)
    return (found.group(1), found.group(2).strip()) if found else (None, label)


def _timed(event: IcsEvent) -> tuple[datetime, datetime] | None:
    """The event's instants, or None for an all-day or floating one (no instant to compare) and for a cancelled one
    (a block that had already left the agenda)."""
    if event.cancelled or event.start is None or event.end is None:
        return None
    return (event.start, event.end)


def previous_items(cal: IcsCalendar) -> list[Item]:
    """The file's blocks as identity compares them (calsync's UIDs; the meeting-wide event left out)."""
    return [
        Item(parts[1], split_summary(e.summary)[1], *span)
        for e in cal.events
        if (parts := _split(e.uid)) is not None and (span := _timed(e)) is not None
    ]


def previous_meeting_key(cal: IcsCalendar) -> str | None:
    """The meeting key of the file's blocks (the most common one, should several meetings share a file)."""
    keys = Counter(parts[0] for e in cal.events if (parts := _split(e.uid)) is not None)
    return keys.most_common(1)[0][0] if keys else None


def follow(agenda: Agenda, cal: IcsCalendar, *, keep_meeting_key: bool = True) -> Agenda:
    """``agenda`` keyed as the previous file keyed the same meeting and blocks, so its UIDs stay."""
    old_key = previous_meeting_key(cal)
    if keep_meeting_key and old_key and old_key != agenda.key:
        agenda = replace(agenda, key=old_key)
    return carry_identity(previous_items(cal), agenda)


def agenda_of_ics(cal: IcsCalendar, *, file: str | None = None, language: str | None = None) -> Agenda:
    """The agenda an .ics file shows: one block per event (calsync's own or another tool's), in time order."""
    # calsync's meeting-wide event (its UID names no block) is no block; other tools' events are
    events = [
        (e, span)
        for e in cal.events
        if (span := _timed(e)) is not None
        and span[1] > span[0]
        and (_split(e.uid) is not None or not e.uid.endswith("@calsync"))
    ]
    if not events:
        raise InputFileError(
            "the .ics file holds no timed events",
            file=file,
            hint="give the .ics calsync wrote for the meeting (calsync ics -o FILE)",
        )
    zone = cal.zone or "UTC"
    try:
        meeting_zone = MeetingZone(zone)
    except ValueError:
        meeting_zone = MeetingZone("UTC")
    events.sort(key=lambda pair: pair[1])
    blocks = []
    for event, (start, end) in events:
        number, title = split_summary(event.summary)
        parts = _split(event.uid)
        blocks.append(
            Block(
                key=parts[1] if parts else "",
                title=title or event.summary,
                number=number,
                start=start.astimezone(meeting_zone.tzinfo),
                end=end.astimezone(meeting_zone.tzinfo),
            )
        )
    if any(not b.key for b in blocks) or len({b.key for b in blocks}) != len(blocks):
        blocks = [replace(b, key=k) for b, k in zip(blocks, block_keys(blocks), strict=False)]
    title = cal.name or "Meeting"
    link = next((e.url for e, _ in events if e.url), None)
    first = blocks[0].start.date()
    return Agenda(
        title=title,
        timezone=meeting_zone,
        blocks=tuple(blocks),
        key=previous_meeting_key(cal) or meeting_key(title, first),
        conference_url=link,
        source=file,
        language=language,
    )
