"""What a push did, in words for the organiser at the terminal and as data for ``--json``. Pure: returns strings.

Each action is compared field by field (the calendar's event before, what calsync writes): a block moved, retitled,
given the join link, an event edited in the calendar since calsync last wrote it, and what ``--on-conflict`` did
about it. The organiser's own language at the terminal stays English (participants' notices are
:mod:`calsync.notice`'s).
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any

from ..identity import normalise_title
from ..printable import one_line
from .conflicts import differing_fields
from .plan import Action, block_title

__all__ = ["describe", "changes", "span", "line"]

_URL = re.compile(r"https?://[^\s<>\"']+")
PAST = {
    "create": "created",
    "restore": "restored",
    "update": "updated",
    "delete": "deleted",
    "keep": "kept",
    "unchanged": "unchanged",
}


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
    if action.kind != "update" or remote is None or want is None:
        return []
    out: list[dict[str, Any]] = []
    differ = differing_fields(remote, want)
    if "time" in differ:
        out.append({"field": "time", "old": span(remote.start, remote.end, tz), "new": span(want.start, want.end, tz)})
    if "title" in differ:
        out.append({"field": "title", "old": block_title(remote.summary), "new": block_title(want.summary)})
    before, after = _links(remote.location, remote.description), _links(want.location, want.description)
    if after - before:
        out.append({"field": "link", "old": sorted(before) or None, "new": sorted(after)})
    elif "location" in differ:
        out.append({"field": "location", "old": remote.location or None, "new": want.location})
    if "description" in differ and not (after - before):
        out.append({"field": "description"})
    if remote.attendees is not None and set(want.attendees) - set(remote.attendees):
        out.append({"field": "guests", "new": sorted(set(want.attendees) - set(remote.attendees))})
    return out


def _change_words(change: dict[str, Any]) -> str:
    name = change["field"]
    if name == "time":
        return f"moved {change['old']} → {change['new']}"
    if name == "title":
        if change["old"] == change["new"]:
            return "title updated (the meeting's own title changed)"
        if normalise_title(change["old"]) == normalise_title(change["new"]):
            return f"renumbered (was {change['old']!r})"
        return f"retitled (was {change['old']!r})"
    if name == "link":
        return "join link changed" if change["old"] else "join link added"
    if name == "location":
        return "location changed"
    if name == "guests":
        return f"{len(change['new'])} guest{'s' if len(change['new']) != 1 else ''} invited"
    return "description updated"


def _conflict_words(action: Action, tz: tzinfo) -> str:
    remote = action.remote
    if action.conflict == ("deleted",):
        edit = "deleted in the calendar"
    else:
        parts = []
        for name in action.conflict:
            if name == "time" and remote is not None:
                parts.append(f"moved to {span(remote.start, remote.end, tz)}")
            elif name == "title" and remote is not None:
                parts.append(f"retitled {block_title(remote.summary)!r}")
            else:
                parts.append(f"{name} edited")
        edit = "edited in the calendar since calsync last wrote it (" + ", ".join(parts) + ")"
    if action.kind == "keep" and action.desired is None:
        return f"{edit}: left as it is although its block left the agenda (--on-conflict calendar)"
    if action.kind == "keep":
        return f"{edit}: left as it is (--on-conflict calendar)"
    if (
        action.kind == "update"
        and action.desired is not None
        and remote is not None
        and differing_fields(remote, action.desired) & set(action.conflict) != set(action.conflict)
    ):
        return f"{edit}: kept; the agenda's other changes applied (--on-conflict calendar)"
    if action.kind == "delete":
        return f"{edit}: deleted anyway, its block left the agenda (--on-conflict agenda)"
    return f"{edit}: the agenda's version put back (--on-conflict agenda)"


def describe(action: Action, tz: tzinfo) -> str:
    """The action in words: ``moved 2020-07-22 16:15–16:50 → 2020-07-22 16:30–17:05; retitled (was 'V. Echange')``."""
    words: list[str] = []
    if action.conflict:
        words.append(_conflict_words(action, tz))
    if action.kind == "create":
        words.append(f"new block, {span(action.desired.start, action.desired.end, tz)}" if action.desired else "new")
    elif action.kind == "delete":
        where = span(action.remote.start, action.remote.end, tz) if action.remote else ""
        words.append(f"{action.reason}, was {where}" if where else action.reason)
    elif action.kind == "update":
        if action.reason.startswith("adopted from meeting"):
            words.append("moved over from meeting " + action.reason.rsplit(" ", 1)[-1])
        found = [c for c in changes(action, tz) if not (action.conflict and c["field"] in action.conflict)]
        if any(c["field"] == "time" for c in found):  # a moved block's description lists its new local times
            found = [c for c in found if c["field"] != "description"]
        words.extend(_change_words(c) for c in found)
        if not words:
            words.append("rewritten" if action.reason == "content changed" else action.reason)
    elif action.kind == "restore" and not action.conflict:
        words.append(action.reason)
    return "; ".join(words)


def line(action: Action, tz: tzinfo, *, done: bool) -> str:
    """One line of a push report: what, which block, and in words why and how."""
    label = block_title(action.remote.summary if action.kind == "delete" and action.remote else action.summary)
    verb = PAST[action.kind] if done else action.kind
    words = one_line(describe(action, tz))  # titles are anyone's text: one line, control characters shown
    return f"{verb:<9} {one_line(label)}" + (f" — {words}" if words else "")
