"""Calendar v3 ``Event`` bodies for calsync's calls, and listed events read back: pure dictionaries, no HTTP.

Updates are full ``events.update`` bodies built from the event as Google last answered it, with calsync's own fields
replaced: one quota unit instead of a patch's three, and nothing merged behind calsync's back (a patch keeps an
all-day ``start.date`` beside the new ``start.dateTime``, which Google then refuses). Whatever calsync does not own
travels back unchanged: guests, reminders and colour added by hand, other apps' private properties, attachments.
"""

from __future__ import annotations

import copy
import difflib
import functools
from collections.abc import Mapping
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from .base import Call, Delete, EventContent, RemoteEvent

__all__ = [
    "event_body",
    "update_body",
    "remote_event",
    "send_updates_for",
    "SendUpdates",
    "zone_fallbacks",
    "OWNED_PROP",
    "READ_ONLY_FIELDS",
]

# Which optional fields calsync set on this event last time (comma-separated), so that when the organiser stops
# asking for them (no --alarm, no --meeting-event) calsync hands them back to the calendar's defaults, and never
# touches the same fields when a person set them by hand.
OWNED_PROP = "calsyncOwns"
RELEASED: dict[str, Any] = {"reminders": {"useDefault": True}, "transparency": "opaque"}
# Fields Google sets itself; they are left out of an update body (a stale ``sequence`` would even be refused).
READ_ONLY_FIELDS = (
    "id",
    "etag",
    "htmlLink",
    "created",
    "updated",
    "kind",
    "creator",
    "organizer",
    "iCalUID",
    "sequence",
    "hangoutLink",
)


def _time(moment: datetime, time_zone: str | None) -> dict[str, Any]:
    # ``time_zone`` None: the RFC 3339 offset alone says the instant (Google refused the zone's name).
    return {"dateTime": moment.isoformat(), "timeZone": time_zone} if time_zone else {"dateTime": moment.isoformat()}


def owned_fields(content: EventContent) -> dict[str, Any]:
    """The optional fields calsync writes for ``content`` (reminders, free/busy), by Google field name."""
    fields: dict[str, Any] = {}
    if content.reminders is not None:
        fields["reminders"] = {
            "useDefault": False,
            "overrides": [{"method": "popup", "minutes": m} for m in content.reminders],
        }
    if content.transparent:
        fields["transparency"] = "transparent"
    return fields


def event_body(content: EventContent, *, event_id: str | None = None, time_zone: str | None = None) -> dict[str, Any]:
    """The ``events.insert`` body for ``content``; ``status: confirmed`` also restores a deleted event.

    ``time_zone`` names the zone as Google should be told it (default: the meeting's own zone name).
    """
    zone = content.timezone if time_zone is None else time_zone or None
    private = content.private_properties()
    body: dict[str, Any] = {
        "summary": content.summary,
        "description": content.description,
        "start": _time(content.start, zone),
        "end": _time(content.end, zone),
        "status": "confirmed",
        "extendedProperties": {"private": private},
    }
    if content.location:
        body["location"] = content.location
    if event_id is not None:
        body["id"] = event_id
    if content.attendees:
        body["attendees"] = [{"email": e} for e in content.attendees]
    fields = owned_fields(content)
    body.update(fields)
    if fields:
        private[OWNED_PROP] = ",".join(sorted(fields))
    return body


def update_body(listed: Mapping[str, Any], content: EventContent, *, time_zone: str | None = None) -> dict[str, Any]:
    """The ``events.update`` body: the event as listed, with calsync's fields replaced and its guests added."""
    body = {k: copy.deepcopy(v) for k, v in listed.items() if k not in READ_ONLY_FIELDS}
    fresh = event_body(content, time_zone=time_zone)
    for key in ("summary", "description", "start", "end", "status"):
        body[key] = fresh[key]  # whole objects: an all-day start.date must not survive next to the new dateTime
    if content.location:
        body["location"] = content.location
    else:
        body.pop("location", None)  # an update leaves out what it does not send
    extended = dict(body.get("extendedProperties") or {})
    private = {**(extended.get("private") or {}), **content.private_properties()}  # other apps' keys stay
    before = set(filter(None, str(private.pop(OWNED_PROP, "")).split(",")))
    fields = owned_fields(content)
    for name in before - fields.keys():
        body[name] = copy.deepcopy(RELEASED[name])  # calsync set it last time and no longer does: back to default
    body.update(fields)
    if fields:
        private[OWNED_PROP] = ",".join(sorted(fields))
    body["extendedProperties"] = {**extended, "private": private}
    guests = list(body.get("attendees") or [])
    present = {str(g.get("email", "")).lower() for g in guests}
    guests += [{"email": e} for e in content.attendees if e.lower() not in present]
    if guests:
        body["attendees"] = guests
    return body


# Google's sendUpdates: who gets an e-mail about a write (the organiser's --notify chooses between "all" and "none")
SendUpdates = Literal["all", "externalOnly", "none"]


def send_updates_for(call: Call, listed: Mapping[str, Any] | None, default: SendUpdates) -> SendUpdates:
    """Google's ``sendUpdates`` for a write: "all" when it adds guests (they get the invitation, once), else the
    organiser's choice (``--notify``), so a push that changes nothing about the guests e-mails nobody."""
    if isinstance(call, Delete) or not call.content.attendees:
        return default
    present = {str(g.get("email", "")).lower() for g in (listed or {}).get("attendees") or []}
    return "all" if any(e.lower() not in present for e in call.content.attendees) else default


def remote_event(item: Mapping[str, Any]) -> RemoteEvent:
    """A listed or written Google event as the sync engine sees it."""
    private = (item.get("extendedProperties") or {}).get("private") or {}
    return RemoteEvent.listed(
        private,
        id=str(item["id"]),
        start=_instant(item.get("start")),
        end=_instant(item.get("end")),
        summary=str(item.get("summary") or ""),
        cancelled=item.get("status") == "cancelled",
        description=str(item.get("description") or ""),
        location=str(item.get("location") or ""),
        attendees=tuple(str(g.get("email", "")).lower() for g in item.get("attendees") or [] if g.get("email")),
        etag=str(item["etag"]) if item.get("etag") else None,
    )


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, dict) or not value.get("dateTime"):
        return None  # all-day or missing: never equal to a block's instant, so the block gets rewritten
    try:
        parsed = datetime.fromisoformat(str(value["dateTime"]).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


# -- zone names Google may not know yet --------------------------------------------------------------------------------


def zone_fallbacks(zone: str) -> list[str | None]:
    """What to tell Google when it refuses ``zone``'s name: the zone's other names in tzdata (its former name first:
    Europe/Kyiv → Europe/Kiev, which Google knew long before it learned the new one), then no name at all (None),
    since the offset in each dateTime already fixes the instant of a single event."""
    target = _zone_names().get(zone, zone)  # a link's canonical zone, or the zone itself
    names = {target, *(_targets().get(target, ()))} - {zone}
    city = zone.rsplit("/", 1)[-1]
    ranked = sorted(names, key=lambda n: (-difflib.SequenceMatcher(None, city, n.rsplit("/", 1)[-1]).ratio(), n))
    return [*ranked[:3], None]


@functools.lru_cache(maxsize=1)
def _links() -> tuple[tuple[str, str], ...]:
    """tzdata's links as (target, link) pairs, from the ``tzdata.zi`` the tzdata package (or the system) ships."""
    text = ""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo/tzdata.zi").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        system = Path("/usr/share/zoneinfo/tzdata.zi")
        text = system.read_text(encoding="utf-8") if system.is_file() else ""
    pairs = []
    for line in text.splitlines():
        if line.startswith("L "):
            parts = line.split()
            if len(parts) == 3:
                pairs.append((parts[1], parts[2]))
    return tuple(pairs)


def _zone_names() -> dict[str, str]:
    return {link: target for target, link in _links()}


def _targets() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for target, link in _links():
        out.setdefault(target, []).append(link)
    return out
