"""The rules the fake Google Calendar server keeps, each with where it comes from: error shapes, request-body checks
against the discovery document, PATCH merging, event times, reminders, guests, and the per-user quota.

Pure functions and small classes with no HTTP: :mod:`fake_google` routes requests to them. Each rule cites Google's
documentation or a public bug report that shows the behaviour; where Google does not document it, the comment says so.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import googleapiclient

DISCOVERY = json.loads(
    open(
        os.path.join(os.path.dirname(googleapiclient.__file__), "discovery_cache", "documents", "calendar.v3.json"),
        encoding="utf-8",
    ).read()
)
SCHEMAS: dict[str, Any] = DISCOVERY["schemas"]
ID_RE = re.compile(r"^[a-v0-9]{5,1024}$")
# Fields Google sets itself; a body may carry them back (a listed event sent back whole) and they are ignored.
SERVER_FIELDS = ("id", "created", "iCalUID", "htmlLink", "kind", "etag", "updated", "sequence", "creator", "organizer")
REASONS = {
    200: "OK",
    204: "No Content",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    410: "Gone",
    412: "Precondition Failed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class ApiError(Exception):
    """An error answer of the fake API, in Google's JSON error shape
    (developers.google.com/calendar/api/guides/errors)."""

    def __init__(self, status: int, reason: str, message: str, domain: str = "global") -> None:
        super().__init__(message)
        self.status, self.reason, self.message, self.domain = status, reason, message, domain

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.status,
                "message": self.message,
                "errors": [{"domain": self.domain, "reason": self.reason, "message": self.message}],
            }
        }


@dataclass(frozen=True)
class Fault:
    """One injected fault: an HTTP error status with a reason, or a dropped connection.

    ``drop="before"`` closes the connection without doing the work; ``drop="after"`` does the work and then closes
    the connection, so the client never learns that it succeeded (the interrupted push).
    """

    status: int = 503
    reason: str = "backendError"
    message: str = "Backend Error"
    drop: str | None = None  # "before" | "after"


def fault(status: int, reason: str | None = None) -> Fault:
    """A fault with Google's usual reason and message for ``status``."""
    defaults = {
        400: ("badRequest", "Bad Request"),
        401: ("authError", "Invalid Credentials"),
        403: ("rateLimitExceeded", "Rate Limit Exceeded"),
        404: ("notFound", "Not Found"),
        429: ("rateLimitExceeded", "Rate Limit Exceeded"),
        500: ("backendError", "Backend Error"),
        502: ("backendError", "Bad Gateway"),
        503: ("backendError", "Backend Error"),
    }
    default_reason, message = defaults.get(status, ("backendError", "Error"))
    reason = reason or default_reason
    message = {
        "quotaExceeded": "Calendar usage limits exceeded.",
        "forbidden": "Forbidden",
        "insufficientPermissions": "Insufficient Permission: Request had insufficient authentication scopes.",
        "requiredAccessLevel": "You need to have writer access to this calendar.",
    }.get(reason, message)
    return Fault(status=status, reason=reason, message=message)


DROP = Fault(drop="before")
LOST = Fault(drop="after")


# -- quota ------------------------------------------------------------------------------------------------------------

# "Per minute per user per project: 600 requests"; "Quotas are calculated per minute using a sliding window"; "If
# either quota is exceeded, you ... receive a 403 usageLimits status code or a 429 usageLimits status code"
# (developers.google.com/calendar/api/guides/quota). "Each patch request consumes three quota units; prefer using a get
# followed by an update" (developers.google.com/calendar/api/v3/reference/events/patch). "A set of n requests batched
# together counts toward your usage limit as n requests" (developers.google.com/calendar/api/guides/batch).
# Not documented: whether refused requests count (here they do not) and the exact reason of the 403 (here
# userRateLimitExceeded, the errors guide's "User Rate Limit Exceeded ... one of the limits from the Developer
# Console").
QUOTA_PER_MINUTE = 600
PATCH_COST = 3


def call_cost(call: str) -> int:
    return PATCH_COST if call == "patch" else 1


class FakeClock:
    """A clock that moves only when someone sleeps: pass ``clock.now`` and ``clock.sleep`` to the fake and the client
    so a minute of quota waits takes no time in the tests."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.t = start
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self.t

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.t += max(0.0, seconds)


class SkippingClock:
    """Real time plus every wait skipped: for the benchmark, which must not sleep through quota minutes but should
    still feel the network."""

    def __init__(self) -> None:
        self.skipped = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.monotonic() + self.skipped

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.skipped += max(0.0, seconds)


class QuotaWindow:
    """Units spent per user (bearer token) over a sliding minute, refusing calls that would go over the limit."""

    def __init__(self, limit: int | None, clock: Callable[[], float], window: float = 60.0) -> None:
        self.limit = limit
        self.clock = clock
        self.window = window
        self.spent: dict[str, deque[tuple[float, int]]] = {}
        self.total: dict[str, int] = {}
        self.refused = 0

    def used(self, user: str) -> int:
        now = self.clock()
        log = self.spent.setdefault(user, deque())
        while log and log[0][0] <= now - self.window:
            log.popleft()
        return sum(units for _, units in log)

    def charge(self, user: str, units: int, status: int = 403) -> None:
        """Count ``units`` for ``user``, or raise Google's rate-limit answer when the minute's budget is spent."""
        if self.limit is not None and self.used(user) + units > self.limit:
            self.refused += 1
            if status == 429:
                raise ApiError(429, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits")
            raise ApiError(403, "userRateLimitExceeded", "User Rate Limit Exceeded", domain="usageLimits")
        self.spent.setdefault(user, deque()).append((self.clock(), units))
        self.total[user] = self.total.get(user, 0) + units


# -- request bodies ----------------------------------------------------------------------------------------------------

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "array": (list,),
    "object": (dict,),
    "any": (object,),
}


def validate(value: Any, schema_name: str) -> None:
    """Check a body against the calendar v3 discovery document (the client itself checks parameters, not bodies)."""
    _check(value, SCHEMAS[schema_name], schema_name)


def _check(value: Any, schema: dict[str, Any], where: str) -> None:
    if value is None:
        return  # null clears a field (patch semantics) and is ignored elsewhere
    if "$ref" in schema:
        schema = SCHEMAS[schema["$ref"]]
    kind = schema.get("type", "any")
    if kind == "integer" and isinstance(value, bool):
        raise ApiError(400, "invalid", f"Invalid value for: {where}")
    if kind == "integer" and isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return  # int64 values travel as strings
    if not isinstance(value, _JSON_TYPES.get(kind, (object,))):
        raise ApiError(400, "invalid", f"Invalid value for: {where}")
    if kind == "object":
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if props and key in props:
                _check(item, props[key], f"{where}.{key}")
            elif extra is not None:
                _check(item, extra, f"{where}.{key}")
            else:
                raise ApiError(400, "invalid", f"Unknown field name: {where}.{key}")
    elif kind == "array":
        for i, item in enumerate(value):
            _check(item, schema.get("items", {}), f"{where}[{i}]")


def patched(stored: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """PATCH as Google does it: "The field values you specify replace the existing values. Fields that you don't
    specify in the request remain unchanged. Array fields, if specified, overwrite the existing arrays"
    (events/patch reference); nested objects are merged key by key, so an all-day event's ``start.date`` survives a
    patch that sends only ``start.dateTime`` (n8n-io/n8n#35800, gemini-cli-extensions/workspace#435); an explicit
    ``null`` clears a field (n8n-io/n8n#35802, spatie/laravel-google-calendar#81)."""
    new = json.loads(json.dumps(stored))
    for key, value in json.loads(json.dumps(patch)).items():
        if value is None:
            new.pop(key, None)
        elif isinstance(value, dict) and isinstance(new.get(key), dict):
            new[key] = patched(new[key], value)
        else:
            new[key] = value
    return new


def strip_nulls(body: dict[str, Any]) -> dict[str, Any]:
    """A full body (insert, update) with null fields left out, as absent."""
    return {k: (strip_nulls(v) if isinstance(v, dict) else v) for k, v in body.items() if v is not None}


# -- event rules -------------------------------------------------------------------------------------------------------


def require_times(ev: dict[str, Any]) -> None:
    for side in ("start", "end"):
        if side not in ev or not isinstance(ev[side], dict) or not (ev[side].get("dateTime") or ev[side].get("date")):
            raise ApiError(400, "required", f"Missing {side} time.")


def normalise_time(t: dict[str, Any], side: str, refused_zones: Iterable[str] = ()) -> dict[str, Any]:
    """Store a time as Google shows it: a dateTime with the offset of the event's time zone (or as given).

    ``date`` and ``dateTime`` together are refused with "Invalid start time." (reason ``invalid``, n8n-io/n8n#35800).
    A zone Google's own zone data does not know is refused with "Invalid time zone definition for start time."
    (reason ``invalid``): Google refused ``Europe/Kyiv`` for months after tzdata 2022b renamed Europe/Kiev
    (phw198/OutlookGoogleCalendarSync#1525, #1530); ``refused_zones`` plays that lag.
    """
    t = dict(t)
    if t.get("date") and t.get("dateTime"):
        raise ApiError(400, "invalid", f"Invalid {side} time.")
    zone = t.get("timeZone")
    tz = None
    if zone is not None:
        try:
            if zone in set(refused_zones):
                raise ZoneInfoNotFoundError(zone)
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ApiError(400, "invalid", f"Invalid time zone definition for {side} time.") from None
    if t.get("dateTime"):
        try:
            parsed = datetime.fromisoformat(t["dateTime"].replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(400, "invalid", f"Invalid {side} time.") from None
        if parsed.tzinfo is None:
            if tz is None:
                raise ApiError(400, "timeZone", f"Missing time zone definition for {side} time.")
            parsed = parsed.replace(tzinfo=tz)
        if tz is not None:
            parsed = parsed.astimezone(tz)
        t["dateTime"] = parsed.isoformat()
    return t


def instant(t: dict[str, Any]) -> datetime:
    if t.get("dateTime"):
        return datetime.fromisoformat(t["dateTime"])
    return datetime.fromisoformat(t["date"]).replace(tzinfo=UTC)


def check_reminders(ev: dict[str, Any]) -> None:
    """``useDefault`` with overrides is refused (400 ``cannotUseDefaultRemindersAndSpecifyOverride``,
    phw198/OutlookGoogleCalendarSync#666, openclaw/gogcli#97); "The maximum number of override reminders is 5" and
    minutes are "between 0 and 40320" (discovery document, Event.reminders / EventReminder); the methods are "email"
    and "popup" (same). The 400's reason for the last three is not documented."""
    reminders = ev.get("reminders")
    if not isinstance(reminders, dict):
        return
    overrides = reminders.get("overrides") or []
    if reminders.get("useDefault") and overrides:
        raise ApiError(
            400,
            "cannotUseDefaultRemindersAndSpecifyOverride",
            "Cannot specify both default reminders and overrides at the same time.",
            domain="calendar",
        )
    if len(overrides) > 5:
        raise ApiError(400, "invalid", "Too many reminders.")
    for r in overrides:
        if r.get("method") not in ("email", "popup") or not 0 <= int(r.get("minutes", -1)) <= 40320:
            raise ApiError(400, "invalid", "Invalid reminder.")


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_attendees(ev: dict[str, Any]) -> None:
    """An attendee's email "must be a valid email address as per RFC5322" (discovery document, EventAttendee.email);
    the refusal's wording is not documented."""
    for a in ev.get("attendees") or []:
        if not EMAIL_RE.match(str(a.get("email") or "")):
            raise ApiError(400, "invalid", "Invalid attendee email.")


def refuse_guests_for_service_account(ev: dict[str, Any]) -> None:
    """ "Service accounts need to use domain-wide delegation of authority to populate the attendee list" (discovery
    document, Event.attendees); the answer is 403 ``forbiddenForServiceAccounts`` (spatie/laravel-google-calendar#159,
    #242; googleapis/google-api-ruby-client#14631)."""
    if ev.get("attendees"):
        raise ApiError(
            403,
            "forbiddenForServiceAccounts",
            "Service accounts cannot invite attendees without Domain-Wide Delegation of Authority.",
            domain="calendar",
        )


def check_if_match(ev: dict[str, Any], headers: Any) -> None:
    """ "you can specify an If-Match header that contains the value of the etag from the previous retrieval ...
    Otherwise, you will get a 412 (Precondition failed)" (developers.google.com/calendar/api/guides/version-resources).
    The error body's reason is not documented for Calendar; Google's APIs commonly answer ``conditionNotMet``."""
    wanted = headers.get("If-Match") or headers.get("if-match")
    if wanted and wanted != "*" and wanted != ev.get("etag"):
        raise ApiError(412, "conditionNotMet", "Precondition Failed")


# -- routes and sharing rules ------------------------------------------------------------------------------------------

ROUTES = (
    (re.compile(r"^/calendar/v3/calendars/([^/]+)/events/([^/]+)$"), "event"),
    (re.compile(r"^/calendar/v3/calendars/([^/]+)/events$"), "events"),
    (re.compile(r"^/calendar/v3/calendars/([^/]+)/acl/([^/]+)$"), "rule"),
    (re.compile(r"^/calendar/v3/calendars/([^/]+)/acl$"), "acl"),
    (re.compile(r"^/calendar/v3/calendars/([^/]+)$"), "calendar"),
    (re.compile(r"^/calendar/v3/calendars$"), "calendars"),
)
METHODS = {
    ("events", "GET"): ("events", "list"),
    ("events", "POST"): ("events", "insert"),
    ("event", "GET"): ("events", "get"),
    ("event", "PUT"): ("events", "update"),
    ("event", "PATCH"): ("events", "patch"),
    ("event", "DELETE"): ("events", "delete"),
    ("calendars", "POST"): ("calendars", "insert"),
    ("calendar", "GET"): ("calendars", "get"),
    ("acl", "GET"): ("acl", "list"),
    ("acl", "POST"): ("acl", "insert"),
    ("rule", "PUT"): ("acl", "update"),
}
ACL_ROLES = ("none", "freeBusyReader", "reader", "writerWithoutPrivateAccess", "writer", "owner")  # AclRule.role


def route_of(method: str, path: str) -> tuple[str, str, str | None, str | None]:
    """(resource, method, calendar id, item id) of an API path, as the discovery document names them."""
    for pattern, kind in ROUTES:
        match = pattern.match(path)
        if match:
            found = METHODS.get((kind, method))
            if found is None:
                raise ApiError(405, "methodNotAllowed", "Method Not Allowed")
            groups = [unquote(g) for g in match.groups()] + [None, None]
            return found[0], found[1], groups[0], groups[1]
    raise ApiError(404, "notFound", "Not Found")


def acl_rule(payload: Any, rule_id: str | None, etag: str) -> dict[str, Any]:
    """A sharing rule from an ``acl.insert`` / ``acl.update`` body ("role" and "scope" are required, AclRule in the
    discovery document); its id is ``type:value`` (``user:a@example.org``) as Google's are."""
    if not isinstance(payload, dict):
        raise ApiError(400, "required", "Missing ACL rule.")
    validate(payload, "AclRule")
    scope = payload.get("scope") or {}
    if payload.get("role") not in ACL_ROLES or scope.get("type") not in ("default", "user", "group", "domain"):
        raise ApiError(400, "invalid", "Invalid value for: role")
    new_id = rule_id or (f"{scope['type']}:{scope.get('value', '')}" if scope["type"] != "default" else "default")
    return {
        "kind": "calendar#aclRule",
        "etag": etag,
        "id": new_id,
        "role": payload["role"],
        "scope": {k: v for k, v in scope.items() if v is not None},
    }


# -- scopes ------------------------------------------------------------------------------------------------------------

SCOPE_ROOT = "https://www.googleapis.com/auth/"


def method_scopes(resource: str, method: str) -> set[str]:
    """The scopes Google accepts for a method, from the discovery document ("This request requires authorization with at
    least one of the following scopes" in each method's reference)."""
    return set(DISCOVERY["resources"][resource]["methods"][method].get("scopes", []))


def insufficient_scopes() -> ApiError:
    # The body real Google sends (GeneralTask/task-manager#2160 shows it; the top-level message is the one users
    # quote in googleapis/google-api-python-client#1296).
    return ApiError(403, "insufficientPermissions", "Request had insufficient authentication scopes.")


# -- helpers for tests -------------------------------------------------------------------------------------------------


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def private_props(ev: dict[str, Any]) -> dict[str, str]:
    """An event's private extended properties (empty when it has none)."""
    return dict((ev.get("extendedProperties") or {}).get("private") or {})


def live(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e.get("status") != "cancelled"]


def parse_http_part(raw: str) -> tuple[str, str, dict[str, str], bytes]:
    """Split an ``application/http`` batch part into method, path+query, headers and body (CRLF or LF)."""
    text = raw.replace("\r\n", "\n")
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    method, target, _version = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip()] = v.strip()
    return method, target, headers, body.encode("utf-8")
