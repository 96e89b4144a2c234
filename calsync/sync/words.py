"""What a push did, in words for the organiser at the terminal and as data for ``--json``. Pure: returns strings.

Each action is compared field by field (the calendar's event before, what calsync writes): a block moved, retitled,
given the join link, an event edited in the calendar since calsync last wrote it, and what ``--on-conflict`` did
about it. The organiser's own language at the terminal stays English (participants' notices are
:mod:`calsync.notice`'s).
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any

from ..identity import normalise_title
from ..printable import one_line
from .conflicts import Edit, differing_fields
from .plan import Action, ActionKind, block_title

__all__ = ["Change", "describe", "changes", "span", "line"]

_URL = re.compile(r"https?://[^\s<>\"']+")
PAST = {
    ActionKind.CREATE: "created",
    ActionKind.RESTORE: "restored",
    ActionKind.UPDATE: "updated",
    ActionKind.DELETE: "deleted",
    ActionKind.KEEP: "kept",
    ActionKind.UNCHANGED: "unchanged",
}


class Change(StrEnum):
    """What an update changes in an event, as ``push --json`` names it (``"field"``)."""

    TIME = "time"
    TITLE = "title"
    LINK = "link"
    LOCATION = "location"
    DESCRIPTION = "description"
    GUESTS = "guests"


def span(start: datetime | None, end: datetime | None, tz: tzinfo) -> str:
    """``2020-07-22 16:15–16:50`` in the meeting's zone (the end's date only when it is another day)."""
    if start is None:
        return "all day"
    s = start.astimezone(tz)
    if end is None:
        return f"{s:%Y-%m-%d %H:%M}"
    e = end.astimezone(tz)
    return f"{s:%Y-%m-%d %H:%M}–{e:%H:%M}" if e.date() == s.date() else f"{s:%Y-%m-%d %H:%M}–{e:%Y-%m-%d %H:%M}"


def _links(*texts: str | None) -> set[str]:
    return {m.rstrip(".,;)") for t in texts if t for m in _URL.findall(t)}


def changes(action: Action, tz: tzinfo) -> list[dict[str, Any]]:
    """What an update changes, field by field: time, title, link, location, description, guests."""
    remote, want = action.remote, action.desired
    if action.kind is not ActionKind.UPDATE or remote is None or want is None:
        return []
    out: list[dict[str, Any]] = []
    differ = differing_fields(remote, want)
    if Edit.TIME in differ:
        out.append(
            {"field": Change.TIME, "old": span(remote.start, remote.end, tz), "new": span(want.start, want.end, tz)}
        )
    if Edit.TITLE in differ:
        out.append({"field": Change.TITLE, "old": block_title(remote.summary), "new": block_title(want.summary)})
    before, after = _links(remote.location, remote.description), _links(want.location, want.description)
    if after - before:
        out.append({"field": Change.LINK, "old": sorted(before) or None, "new": sorted(after)})
    elif Edit.LOCATION in differ:
        out.append({"field": Change.LOCATION, "old": remote.location or None, "new": want.location})
    if Edit.DESCRIPTION in differ and not (after - before):
        out.append({"field": Change.DESCRIPTION})
    if remote.attendees is not None and set(want.attendees) - set(remote.attendees):
        out.append({"field": Change.GUESTS, "new": sorted(set(want.attendees) - set(remote.attendees))})
    return out


def _change_words(change: dict[str, Any]) -> str:
    name = Change(change["field"])
    if name is Change.TIME:
        return f"moved {change['old']} → {change['new']}"
    if name is Change.TITLE:
        if change["old"] == change["new"]:
            return "title updated (the meeting's own title changed)"
        if normalise_title(change["old"]) == normalise_title(change["new"]):
            return f"renumbered (was {change['old']!r})"
        return f"retitled (was {change['old']!r})"
    if name is Change.LINK:
        return "join link changed" if change["old"] else "join link added"
    if name is Change.LOCATION:
        return "location changed"
    if name is Change.GUESTS:
        return f"{len(change['new'])} guest{'s' if len(change['new']) != 1 else ''} invited"
    return "description updated"


def _conflict_words(action: Action, tz: tzinfo) -> str:
    remote = action.remote
    if action.conflict == (Edit.DELETED,):
        edit = "deleted in the calendar"
    else:
        parts = []
        for name in action.conflict:
            if name is Edit.TIME and remote is not None:
                parts.append(f"moved to {span(remote.start, remote.end, tz)}")
            elif name is Edit.TITLE and remote is not None:
                parts.append(f"retitled {block_title(remote.summary)!r}")
            else:
                parts.append(f"{name} edited")
        edit = "edited in the calendar since calsync last wrote it (" + ", ".join(parts) + ")"
    if action.kind is ActionKind.KEEP and action.desired is None:
        return f"{edit}: left as it is although its block left the agenda (--on-conflict calendar)"
    if action.kind is ActionKind.KEEP:
        return f"{edit}: left as it is (--on-conflict calendar)"
    if (
        action.kind is ActionKind.UPDATE
        and action.desired is not None
        and remote is not None
        and differing_fields(remote, action.desired) & set(action.conflict) != set(action.conflict)
    ):
        return f"{edit}: kept; the agenda's other changes applied (--on-conflict calendar)"
    if action.kind is ActionKind.DELETE:
        return f"{edit}: deleted anyway, its block left the agenda (--on-conflict agenda)"
    return f"{edit}: the agenda's version put back (--on-conflict agenda)"


def describe(action: Action, tz: tzinfo) -> str:
    """The action in words: ``moved 2020-07-22 16:15–16:50 → 2020-07-22 16:30–17:05; retitled (was 'V. Echange')``."""
    words: list[str] = []
    if action.conflict:
        words.append(_conflict_words(action, tz))
    if action.kind is ActionKind.CREATE:
        words.append(f"new block, {span(action.desired.start, action.desired.end, tz)}" if action.desired else "new")
    elif action.kind is ActionKind.DELETE:
        where = span(action.remote.start, action.remote.end, tz) if action.remote else ""
        words.append(f"{action.reason}, was {where}" if where else action.reason)
    elif action.kind is ActionKind.UPDATE:
        if action.reason.startswith("adopted from meeting"):
            words.append("moved over from meeting " + action.reason.rsplit(" ", 1)[-1])
        found = [c for c in changes(action, tz) if c["field"] not in action.conflict]
        if any(c["field"] is Change.TIME for c in found):  # a moved block's description lists its new local times
            found = [c for c in found if c["field"] != "description"]
        words.extend(_change_words(c) for c in found)
        if not words:
            words.append("rewritten" if action.reason == "content changed" else action.reason)
    elif action.kind is ActionKind.RESTORE and not action.conflict:
        words.append(action.reason)
    return "; ".join(words)


def line(action: Action, tz: tzinfo, *, done: bool) -> str:
    """One line of a push report: what, which block, and in words why and how."""
    label = block_title(action.remote.summary if action.kind is ActionKind.DELETE and action.remote else action.summary)
    verb = PAST[action.kind] if done else action.kind
    words = one_line(describe(action, tz))  # titles are anyone's text: one line, control characters shown
    return f"{verb:<9} {one_line(label)}" + (f" — {words}" if words else "")
