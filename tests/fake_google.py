"""A fake Google Calendar v3 server for tests, spoken to over real HTTP by the real google-api-python-client.

It follows the rules in ``shared/notes/google-calendar.md``: client-chosen ids are base32hex (5-1024 chars), a
duplicate id is a 409 even when the old event was deleted, deletes are soft (``status: cancelled``, listed only with
``showDeleted``), ``privateExtendedProperty`` filters are ANDed, listing pages follow ``maxResults``/``nextPageToken``
(pages may be short or empty), batches arrive on ``/batch/calendar/v3`` as ``multipart/mixed`` and are answered with
CRLF parts echoing ``Content-ID: <response-…>``, and request bodies are checked against the calendar v3 discovery
document that ships with the client. Faults can be queued for the next HTTP requests or batch parts, and every round
trip and call is counted.
"""

from __future__ import annotations

import email.parser
import itertools
import json
import os
import re
import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable
from urllib.parse import parse_qs, unquote, urlsplit
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
EVENTS_PATH = re.compile(r"^/calendar/v3/calendars/([^/]+)/events(?:/([^/]+))?$")
BATCH_PATH = "/batch/calendar/v3"
MAX_BATCH = 1000
WRITE_CALLS = ("insert", "update", "patch", "delete")


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
    message = {"quotaExceeded": "Calendar usage limits exceeded.", "forbidden": "Forbidden",
               "insufficientPermissions": "Insufficient Permission: Request had insufficient authentication scopes.",
               "requiredAccessLevel": "You need to have writer access to this calendar."}.get(reason, message)
    return Fault(status=status, reason=reason, message=message)


DROP = Fault(drop="before")
LOST = Fault(drop="after")


class ApiError(Exception):
    """An error answer of the fake API, in Google's JSON error shape."""

    def __init__(self, status: int, reason: str, message: str, domain: str = "global") -> None:
        super().__init__(message)
        self.status, self.reason, self.message, self.domain = status, reason, message, domain

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.status, "message": self.message,
                          "errors": [{"domain": self.domain, "reason": self.reason, "message": self.message}]}}


@dataclass
class Calendar:
    """One calendar: its events by id (cancelled ones included) in insertion order."""

    id: str
    read_only: bool = False
    time_zone: str = "UTC"
    events: dict[str, dict[str, Any]] = field(default_factory=dict)


class FakeGoogleCalendar:
    """The fake server: start it, point the client at :attr:`endpoint`, inspect its calendars and counters."""

    def __init__(self, *, latency: float = 0.0, page_size: int | None = None, token: str | None = None) -> None:
        self.latency = latency  # seconds added to every HTTP round trip (for the benchmark)
        self.page_size = page_size  # cap on list page sizes, whatever maxResults says
        self.empty_first_page = False  # answer the first page of each listing with no items and a nextPageToken
        self.token = token  # when set, only "Bearer <token>" is accepted (else 401)
        self.restore_forbidden = False  # updating a cancelled event answers 403 (seen once in the wild)
        self.calendars: dict[str, Calendar] = {"primary": Calendar("primary")}
        self.round_trips = 0
        self.calls: Counter[str] = Counter()
        self.batch_sizes: list[int] = []
        self.log: list[tuple[str, str]] = []  # (call, event id or calendar id)
        self.targets: list[str] = []  # method and path?query of every call, batch parts included
        self._http_faults: list[Fault | None] = []
        self._part_faults: list[Fault | None] = []
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------------------------

    def start(self) -> FakeGoogleCalendar:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGoogleCalendar:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake first"
        return self._server.server_address[1]

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def endpoint(self) -> str:
        """The ``api_endpoint`` to give the client: ``http://127.0.0.1:PORT/calendar/v3/``."""
        return f"{self.root}calendar/v3/"

    def service(self, token: str = "x") -> Any:
        """A calendar v3 resource of the real client, pointed at this server."""
        import google.oauth2.credentials
        from googleapiclient.discovery import build

        return build("calendar", "v3", credentials=google.oauth2.credentials.Credentials(token=token),
                     static_discovery=True, client_options={"api_endpoint": self.endpoint})

    # -- test controls ---------------------------------------------------------------------------------------------

    def add_calendar(self, calendar_id: str, *, read_only: bool = False) -> Calendar:
        with self._lock:
            cal = self.calendars[calendar_id] = Calendar(calendar_id, read_only=read_only)
            return cal

    def fail_http(self, *faults: Fault | None) -> None:
        """Queue faults for the next HTTP requests (``None`` lets one through), batches' outer requests included."""
        with self._lock:
            self._http_faults.extend(faults)

    def fail_parts(self, *faults: Fault | None) -> None:
        """Queue faults for the next calls inside batches (``None`` lets one through)."""
        with self._lock:
            self._part_faults.extend(faults)

    def clear_faults(self) -> None:
        with self._lock:
            self._http_faults.clear()
            self._part_faults.clear()

    def reset_counters(self) -> None:
        with self._lock:
            self.round_trips = 0
            self.calls.clear()
            self.batch_sizes.clear()
            self.log.clear()
            self.targets.clear()

    @property
    def writes(self) -> int:
        return sum(self.calls[c] for c in WRITE_CALLS)

    def events(self, calendar_id: str = "primary", *, include_cancelled: bool = False) -> list[dict[str, Any]]:
        """Deep copies of the stored events, in insertion order."""
        with self._lock:
            return [json.loads(json.dumps(e)) for e in self.calendars[calendar_id].events.values()
                    if include_cancelled or e.get("status") != "cancelled"]

    def put_event(self, body: dict[str, Any], calendar_id: str = "primary") -> dict[str, Any]:
        """Store an event directly, as another person or app would (not counted as a call)."""
        with self._lock:
            return self._insert(self.calendars[calendar_id], dict(body), {})

    def delete_by_hand(self, event_id: str, calendar_id: str = "primary") -> None:
        """Delete an event as a person does in the web UI: it stays, cancelled, with its id."""
        with self._lock:
            ev = self.calendars[calendar_id].events[event_id]
            ev["status"] = "cancelled"
            self._touch(ev)

    def edit_by_hand(self, event_id: str, changes: dict[str, Any], calendar_id: str = "primary") -> None:
        """Change fields of an event as a person would in the web UI (extended properties are kept)."""
        with self._lock:
            ev = self.calendars[calendar_id].events[event_id]
            ev.update(json.loads(json.dumps(changes)))
            for side in ("start", "end"):
                ev[side] = _normalise_time(ev[side])
            self._touch(ev)

    # -- request handling (called from the handler threads) --------------------------------------------------------

    def _next_fault(self, queue: list[Fault | None]) -> Fault | None:
        with self._lock:
            return queue.pop(0) if queue else None

    def handle(self, method: str, target: str, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes]:
        """Answer one API call (outside or inside a batch): status, headers, body."""
        parts = urlsplit(target)
        query = parse_qs(parts.query, keep_blank_values=True)
        with self._lock:
            self.targets.append(f"{method} {target}")
        try:
            self._authorise(headers)
            match = EVENTS_PATH.match(parts.path)
            if not match:
                raise ApiError(404, "notFound", "Not Found")
            calendar_id = unquote(match.group(1))
            event_id = unquote(match.group(2)) if match.group(2) else None
            payload = None
            if body:
                try:
                    payload = json.loads(body.decode("utf-8"))
                except ValueError:
                    raise ApiError(400, "parseError", "Parse Error") from None
            with self._lock:
                status, result = self._dispatch(method, calendar_id, event_id, query, payload)
        except ApiError as e:
            return e.status, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(e.body()).encode()
        if status == 204:
            return 204, {}, b""
        return status, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(result).encode()

    def _authorise(self, headers: Any) -> None:
        auth = headers.get("Authorization") or headers.get("authorization") or ""
        if not auth.startswith("Bearer ") or (self.token is not None and auth != f"Bearer {self.token}"):
            raise ApiError(401, "authError", "Invalid Credentials")

    def _dispatch(self, method: str, calendar_id: str, event_id: str | None, query: dict[str, list[str]],
                  payload: Any) -> tuple[int, Any]:
        cal = self.calendars.get(calendar_id)
        if cal is None:
            raise ApiError(404, "notFound", "Not Found")
        call = {("GET", False): "list", ("POST", False): "insert", ("GET", True): "get", ("PUT", True): "update",
                ("PATCH", True): "patch", ("DELETE", True): "delete"}.get((method, event_id is not None))
        if call is None:
            raise ApiError(405, "methodNotAllowed", "Method Not Allowed")
        self.calls[call] += 1
        self.log.append((call, event_id or calendar_id))
        if call in WRITE_CALLS and cal.read_only:
            raise ApiError(403, "requiredAccessLevel", "You need to have writer access to this calendar.")
        for name in ("sendUpdates",):
            value = (query.get(name) or [None])[0]
            if value is not None and value not in ("all", "externalOnly", "none"):
                raise ApiError(400, "invalidParameter", f"Invalid value for: {name}")
        if call == "list":
            return 200, self._list(cal, query)
        if call == "insert":
            if not isinstance(payload, dict):
                raise ApiError(400, "required", "Missing event body.")
            _validate(payload, "Event")
            return 200, self._insert(cal, payload, query)
        assert event_id is not None
        ev = cal.events.get(event_id)
        if ev is None:
            raise ApiError(404, "notFound", "Not Found")
        if call == "get":
            return 200, ev
        if call == "delete":
            if ev.get("status") == "cancelled":
                raise ApiError(410, "deleted", "Resource has been deleted")
            ev["status"] = "cancelled"
            self._touch(ev)
            return 204, None
        if not isinstance(payload, dict):
            raise ApiError(400, "required", "Missing event body.")
        _validate(payload, "Event")
        if ev.get("status") == "cancelled" and self.restore_forbidden:
            raise ApiError(403, "forbidden", "Forbidden")  # by PUT or PATCH alike
        if call == "update":
            new = {k: v for k, v in payload.items() if k not in _SERVER_FIELDS}
            _require_times(new)
            new.setdefault("status", ev.get("status", "confirmed"))  # a PUT without status keeps a cancelled event cancelled
        else:
            new = _patched({k: v for k, v in ev.items() if k not in _SERVER_FIELDS},
                           {k: v for k, v in payload.items() if k not in _SERVER_FIELDS})
            _require_times(new)
        kept = {k: ev[k] for k in _SERVER_FIELDS if k in ev}
        ev.clear()
        ev.update(new)
        ev.update(kept)
        self._finish(ev)
        ev["sequence"] = int(ev.get("sequence", 0)) + 1
        self._touch(ev)
        return 200, ev

    def _insert(self, cal: Calendar, payload: dict[str, Any], query: dict[str, list[str]]) -> dict[str, Any]:
        event_id = payload.get("id")
        if event_id is None:
            event_id = uuid.uuid4().hex + f"{next(self._ids):04d}"
        elif not isinstance(event_id, str) or not ID_RE.match(event_id):
            raise ApiError(400, "invalid", "Invalid resource id value.")
        if event_id in cal.events:
            raise ApiError(409, "duplicate", "The requested identifier already exists.")
        ev = {k: v for k, v in payload.items() if k not in _SERVER_FIELDS}
        _require_times(ev)
        ev["id"] = event_id
        ev.setdefault("status", "confirmed")
        ev["created"] = _now()
        ev["iCalUID"] = f"{event_id}@google.com"
        ev["htmlLink"] = f"https://www.google.com/calendar/event?eid={event_id}"
        ev["sequence"] = 0
        self._finish(ev)
        self._touch(ev)
        cal.events[event_id] = ev
        return ev

    def _finish(self, ev: dict[str, Any]) -> None:
        ev["kind"] = "calendar#event"
        for side in ("start", "end"):
            ev[side] = _normalise_time(ev[side])
        if _instant(ev["end"]) < _instant(ev["start"]):
            raise ApiError(400, "timeRangeEmpty", "The specified time range is empty.")
        if ev.get("status") not in ("confirmed", "tentative", "cancelled"):
            raise ApiError(400, "invalid", "Invalid value for: status")

    def _touch(self, ev: dict[str, Any]) -> None:
        ev["updated"] = _now()
        ev["etag"] = f'"{time.time_ns()}"'

    def _list(self, cal: Calendar, query: dict[str, list[str]]) -> dict[str, Any]:
        show_deleted = (query.get("showDeleted") or ["false"])[0] == "true"
        filters = []
        for item in query.get("privateExtendedProperty", []):
            if "=" not in item:
                raise ApiError(400, "invalid", "Invalid privateExtendedProperty filter.")
            filters.append(item.split("=", 1))
        try:
            size = int((query.get("maxResults") or ["250"])[0])
        except ValueError:
            raise ApiError(400, "invalid", "Invalid value for: maxResults") from None
        size = max(1, min(size, 2500))
        if self.page_size:
            size = min(size, self.page_size)
        token = (query.get("pageToken") or [None])[0]
        items = [e for e in cal.events.values()
                 if (show_deleted or e.get("status") != "cancelled")
                 and all((e.get("extendedProperties") or {}).get("private", {}).get(k) == v for k, v in filters)]
        page: dict[str, Any] = {"kind": "calendar#events", "summary": cal.id, "timeZone": cal.time_zone,
                                "updated": _now(), "items": []}
        if token is None and self.empty_first_page:
            page["nextPageToken"] = "p0"
            return page
        offset = 0
        if token is not None:
            if not re.fullmatch(r"p\d+", token):
                raise ApiError(400, "invalid", "Invalid page token value.")
            offset = int(token[1:])
        page["items"] = items[offset:offset + size]
        if offset + size < len(items):
            page["nextPageToken"] = f"p{offset + size}"
        return page

    def handle_batch(self, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes]:
        """Answer a ``multipart/mixed`` batch: run each part as a call and answer with CRLF parts."""
        ctype = headers.get("Content-Type", "")
        if not ctype.startswith("multipart/mixed"):
            return 400, {"Content-Type": "text/plain"}, b"Batch requests must be multipart/mixed"
        message = email.parser.BytesParser().parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
        parts = message.get_payload()
        if not isinstance(parts, list) or not parts or len(parts) > MAX_BATCH:
            return 400, {"Content-Type": "text/plain"}, b"Invalid batch request"
        with self._lock:
            self.batch_sizes.append(len(parts))
        boundary = f"batch_{uuid.uuid4().hex}"
        out: list[str] = []
        for part in parts:
            content_id = part["Content-ID"] or ""
            raw = part.get_payload(decode=False)
            if isinstance(raw, list):
                return 400, {"Content-Type": "text/plain"}, b"Nested multipart is not allowed"
            method, target, part_headers, part_body = _parse_http_part(raw)
            injected = self._next_fault(self._part_faults)
            if injected is not None and injected.drop is None:
                status, rheaders, rbody = injected.status, {"Content-Type": "application/json; charset=UTF-8"}, \
                    json.dumps(ApiError(injected.status, injected.reason, injected.message).body()).encode()
            else:
                status, rheaders, rbody = self.handle(method, target, part_headers, part_body)
            reply_id = f"<response-{content_id[1:-1]}>" if content_id.startswith("<") else f"<response-{content_id}>"
            lines = [f"--{boundary}", "Content-Type: application/http", f"Content-ID: {reply_id}", "",
                     f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}"]
            lines += [f"{k}: {v}" for k, v in rheaders.items()]
            lines += [f"Content-Length: {len(rbody)}", "", rbody.decode("utf-8")]
            out.append("\r\n".join(lines))
        text = "\r\n".join(out) + f"\r\n--{boundary}--\r\n"
        return 200, {"Content-Type": f"multipart/mixed; boundary={boundary}"}, text.encode("utf-8")


_SERVER_FIELDS = ("id", "created", "iCalUID", "htmlLink", "kind", "etag", "updated", "sequence", "creator", "organizer")
_REASONS = {200: "OK", 204: "No Content", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
            404: "Not Found", 409: "Conflict", 410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable"}


class _Handler(BaseHTTPRequestHandler):
    """Routes HTTP requests to the fake; counts round trips, adds latency and injects outer faults."""

    server_fake: FakeGoogleCalendar
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        pass

    def setup(self) -> None:
        super().setup()
        # Without this, Nagle's algorithm and delayed ACKs add ~40 ms to every localhost round trip.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self) -> None:
        fake = self.server_fake
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with fake._lock:
            fake.round_trips += 1
        if fake.latency:
            time.sleep(fake.latency)
        injected = fake._next_fault(fake._http_faults)
        if injected is not None and injected.drop == "before":
            self._drop()
            return
        if injected is not None and injected.drop is None:
            err = ApiError(injected.status, injected.reason, injected.message)
            self._reply(injected.status, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(err.body()).encode())
            return
        if urlsplit(self.path).path == BATCH_PATH:
            if self.command != "POST":
                status, headers, data = 405, {"Content-Type": "text/plain"}, b"Method Not Allowed"
            else:
                status, headers, data = fake.handle_batch(self.headers, body)
        else:
            status, headers, data = fake.handle(self.command, self.path, self.headers, body)
        if injected is not None and injected.drop == "after":
            self._drop()
            return
        self._reply(status, headers, data)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    def _reply(self, status: int, headers: dict[str, str], data: bytes) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self._headers_buffer.append(b"\r\n" + data)  # headers and body in one write
        self.flush_headers()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


def _parse_http_part(raw: str) -> tuple[str, str, dict[str, str], bytes]:
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


# -- schema checks (calendar v3 discovery document) -------------------------------------------------------------------

_JSON_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "boolean": (bool,), "integer": (int,), "number": (int, float),
                                            "array": (list,), "object": (dict,), "any": (object,)}


def _validate(value: Any, schema_name: str) -> None:
    _check(value, SCHEMAS[schema_name], schema_name)


def _check(value: Any, schema: dict[str, Any], where: str) -> None:
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


def _patched(stored: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """PATCH as Google does it: the keys sent replace the stored ones, the others stay (guests, reminders, colour…);
    ``extendedProperties.private`` / ``.shared`` are merged key by key (a key sent overwrites, the others stay)."""
    new = json.loads(json.dumps(stored))
    for key, value in json.loads(json.dumps(patch)).items():
        if key == "extendedProperties" and isinstance(value, dict) and isinstance(new.get(key), dict):
            merged = new[key]
            for scope, props in value.items():
                if isinstance(props, dict) and isinstance(merged.get(scope), dict):
                    merged[scope] = {**merged[scope], **props}
                else:
                    merged[scope] = props
        else:
            new[key] = value
    return new


def _require_times(ev: dict[str, Any]) -> None:
    for side in ("start", "end"):
        if side not in ev or not isinstance(ev[side], dict) or not (ev[side].get("dateTime") or ev[side].get("date")):
            raise ApiError(400, "required", f"Missing {side} time.")


def _normalise_time(t: dict[str, Any]) -> dict[str, Any]:
    """Store a dateTime as Google shows it: with the offset of the event's time zone (or as given, without one)."""
    t = dict(t)
    zone = t.get("timeZone")
    if zone is not None:
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ApiError(400, "timeZone", "Invalid time zone definition.") from None
    if "dateTime" in t:
        try:
            parsed = datetime.fromisoformat(t["dateTime"].replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(400, "invalid", "Invalid start time.") from None
        if parsed.tzinfo is None:
            if zone is None:
                raise ApiError(400, "timeZone", "Missing time zone definition for start time.")
            parsed = parsed.replace(tzinfo=tz)
        if zone is not None:
            parsed = parsed.astimezone(tz)
        t["dateTime"] = parsed.isoformat()
    return t


def _instant(t: dict[str, Any]) -> datetime:
    if "dateTime" in t:
        return datetime.fromisoformat(t["dateTime"])
    return datetime.fromisoformat(t["date"]).replace(tzinfo=timezone.utc)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def private_props(ev: dict[str, Any]) -> dict[str, str]:
    """An event's private extended properties (empty when it has none)."""
    return dict((ev.get("extendedProperties") or {}).get("private") or {})


def live(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e.get("status") != "cancelled"]
