"""A fake Google Calendar v3 server for tests, spoken to over real HTTP by the real google-api-python-client.

It follows the rules in ``shared/notes/google-calendar.md`` and those in :mod:`fake_google_rules` (each with its
source): client-chosen ids are base32hex (5-1024 chars), a duplicate id is a 409 even when the old event was deleted,
deletes are soft (``status: cancelled``, listed only with ``showDeleted``), ``privateExtendedProperty`` filters are
ANDed, listing pages follow ``maxResults``/``nextPageToken`` (pages may be short or empty), batches arrive on
``/batch/calendar/v3`` as ``multipart/mixed`` and are answered with CRLF parts echoing ``Content-ID: <response-…>``,
request bodies are checked against the calendar v3 discovery document, PATCH merges nested objects, ``If-Match`` is
honoured, each user has 600 quota units per sliding minute (a patch costs 3), tokens may carry limited scopes, service
accounts may not invite guests, and calendars can be created and shared. The OAuth endpoints live in
:mod:`fake_google_oauth`. Faults can be queued for the next HTTP requests or batch parts, and every round trip and call
is counted.
"""

from __future__ import annotations

import email.parser
import itertools
import json
import re
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fake_google_oauth import FakeOAuth
from fake_google_rules import (
    DROP,
    ID_RE,
    LOST,
    QUOTA_PER_MINUTE,
    REASONS,
    SCOPE_ROOT,
    SERVER_FIELDS,
    ApiError,
    FakeClock,
    Fault,
    QuotaWindow,
    SkippingClock,
    acl_rule,
    call_cost,
    check_attendees,
    check_if_match,
    check_reminders,
    fault,
    instant,
    insufficient_scopes,
    live,
    method_scopes,
    normalise_time,
    now_text,
    parse_http_part,
    patched,
    private_props,
    refuse_guests_for_service_account,
    require_times,
    route_of,
    strip_nulls,
    validate,
)

__all__ = [
    "FakeGoogleCalendar",
    "Calendar",
    "Fault",
    "fault",
    "DROP",
    "LOST",
    "ApiError",
    "FakeClock",
    "SkippingClock",
    "private_props",
    "live",
    "SCOPE_ROOT",
]

BATCH_PATH = "/batch/calendar/v3"
MAX_BATCH = 1000
WRITE_CALLS = ("insert", "update", "patch", "delete")


@dataclass
class Calendar:
    """One calendar: its events by id (cancelled ones included) in insertion order, and its sharing rules."""

    id: str
    read_only: bool = False
    time_zone: str = "UTC"
    summary: str = ""
    app_created: bool = False  # made through calendars.insert (what the calendar.app.created scope may touch)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    purged: dict[str, int] = field(default_factory=dict)  # ids emptied from the bin -> the status a restore gets
    acl: dict[str, dict[str, Any]] = field(default_factory=dict)


class FakeGoogleCalendar:
    """The fake server: start it, point the client at :attr:`endpoint`, inspect its calendars and counters."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        page_size: int | None = None,
        token: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        quota: int | None = QUOTA_PER_MINUTE,
    ) -> None:
        self.latency = latency  # seconds added to every HTTP round trip (for the benchmark)
        self.page_size = page_size  # cap on list page sizes, whatever maxResults says
        self.empty_first_page = False  # answer the first page of each listing with no items and a nextPageToken
        self.token = token  # when set, only "Bearer <token>" is accepted (else 401)
        self.restore_forbidden = False  # updating a cancelled event answers 403 (seen once in the wild)
        self.refused_zones: set[str] = set()  # zone names Google's own zone data does not know yet
        self.service_account_tokens: set[str] = set()  # tokens of service accounts without domain-wide delegation
        self.token_scopes: dict[str, set[str]] = {}  # tokens with limited scopes (others may do everything)
        self.quota = QuotaWindow(quota, clock)
        self.quota_status = 403  # Google answers an exhausted minute with 403 or 429 usageLimits
        self.oauth = FakeOAuth(self)
        self.calendars: dict[str, Calendar] = {"primary": Calendar("primary")}
        self.round_trips = 0
        self.calls: Counter[str] = Counter()
        self.batch_sizes: list[int] = []
        self.log: list[tuple[str, str]] = []  # (call, event id or calendar id)
        self.targets: list[str] = []  # method and path?query of every call, batch parts included
        self.notified: list[tuple[str, str, tuple[str, ...]]] = []  # (call, event id, guests) written with "all"
        self._http_faults: list[Fault | None] = []
        self._part_faults: list[Fault | None] = []
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._etags = itertools.count(1)
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

        return build(
            "calendar",
            "v3",
            credentials=google.oauth2.credentials.Credentials(token=token),
            static_discovery=True,
            client_options={"api_endpoint": self.endpoint},
        )

    # -- test controls ---------------------------------------------------------------------------------------------

    def add_calendar(self, calendar_id: str, *, read_only: bool = False) -> Calendar:
        with self._lock:
            cal = self.calendars[calendar_id] = Calendar(calendar_id, read_only=read_only)
            return cal

    def grant(self, token: str, *scopes: str) -> None:
        """Let ``token`` carry only these scopes (short names such as ``calendar.events`` or full URLs)."""
        with self._lock:
            self.token_scopes[token] = {s if s.startswith("https://") else SCOPE_ROOT + s for s in scopes}

    def spend(self, units: int, token: str = "x") -> None:
        """Use quota units as another app of the same user would (a phone syncing, another script)."""
        with self._lock:
            self.quota.charge(token, units)

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
            self.notified.clear()

    @property
    def writes(self) -> int:
        return sum(self.calls[c] for c in WRITE_CALLS)

    def events(self, calendar_id: str = "primary", *, include_cancelled: bool = False) -> list[dict[str, Any]]:
        """Deep copies of the stored events, in insertion order."""
        with self._lock:
            return [
                json.loads(json.dumps(e))
                for e in self.calendars[calendar_id].events.values()
                if include_cancelled or e.get("status") != "cancelled"
            ]

    def put_event(self, body: dict[str, Any], calendar_id: str = "primary") -> dict[str, Any]:
        """Store an event directly, as another person or app would (not counted as a call)."""
        with self._lock:
            return self._insert(self.calendars[calendar_id], dict(body))

    def delete_by_hand(self, event_id: str, calendar_id: str = "primary") -> None:
        """Delete an event as a person does in the web UI: it stays, cancelled, with its id."""
        with self._lock:
            ev = self.calendars[calendar_id].events[event_id]
            ev["status"] = "cancelled"
            self._touch(ev)

    def purge_by_hand(
        self, event_id: str, answer: int = 404, calendar_id: str = "primary", *, still_listed: bool = False
    ) -> None:
        """Delete an event and empty the bin: the event is gone from listings and reads, but its id stays reserved (an
        insert is a 409) and a restore is refused with ``answer`` (403, 404 or 410). Seen in the wild: 409 on re-insert
        and 403 on update after a deletion in the web UI (googleapis/google-api-ruby-client#1811,
        googleapis/google-api-python-client#846); "Resource has been deleted" (410) for ids deleted earlier
        (googleapis/google-api-python-client#210); a purged id never reusable (taers232c/GAMADV-X#82). Which of the
        three a given restore gets is not documented. ``still_listed`` keeps it in listings as a cancelled event for a
        while (``showDeleted`` lists deletions Google still remembers; for how long is not documented either)."""
        with self._lock:
            cal = self.calendars[calendar_id]
            if still_listed:
                cal.events[event_id]["status"] = "cancelled"
            else:
                del cal.events[event_id]
            cal.purged[event_id] = answer

    def edit_by_hand(self, event_id: str, changes: dict[str, Any], calendar_id: str = "primary") -> None:
        """Change fields of an event as a person would in the web UI (extended properties are kept)."""
        with self._lock:
            ev = self.calendars[calendar_id].events[event_id]
            ev.update(json.loads(json.dumps(changes)))
            for side in ("start", "end"):
                ev[side] = normalise_time(ev[side], side)
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
            user = self._authorise(headers)
            route = route_of(method, parts.path)
            payload = None
            if body:
                try:
                    payload = json.loads(body.decode("utf-8"))
                except ValueError:
                    raise ApiError(400, "parseError", "Parse Error") from None
            with self._lock:
                status, result = self._dispatch(route, user, headers, query, payload)
        except ApiError as e:
            return e.status, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(e.body()).encode()
        if status == 204:
            return 204, {}, b""
        return status, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(result).encode()

    def _authorise(self, headers: Any) -> str:
        auth = headers.get("Authorization") or headers.get("authorization") or ""
        if not auth.startswith("Bearer ") or (self.token is not None and auth != f"Bearer {self.token}"):
            if not (auth.startswith("Bearer ") and auth[7:] in self.oauth.issued):
                raise ApiError(401, "authError", "Invalid Credentials")
        return auth[7:]

    def _dispatch(
        self,
        route: tuple[str, str, str | None, str | None],
        user: str,
        headers: Any,
        query: dict[str, list[str]],
        payload: Any,
    ) -> tuple[int, Any]:
        resource, method, calendar_id, item_id = route
        cal = self.calendars.get(calendar_id) if calendar_id is not None else None
        self._check_scopes(user, resource, method, cal)
        name = method if resource == "events" else f"{resource}.{method}"
        self.quota.charge(user, call_cost(method), self.quota_status)
        self.calls[name] += 1
        self.log.append((name, item_id or calendar_id or ""))
        if resource == "calendars":
            return self._calendars(method, cal, user, payload)
        if cal is None:
            raise ApiError(404, "notFound", "Not Found")
        if resource == "acl":
            return self._acl(method, cal, item_id, payload)
        return self._events(method, cal, item_id, user, headers, query, payload)

    def _check_scopes(self, user: str, resource: str, method: str, cal: Calendar | None) -> None:
        granted = self.token_scopes.get(user)
        if granted is None:
            return
        usable = granted & method_scopes(resource, method)
        if not usable:
            raise insufficient_scopes()
        # calendar.app.created: "Make secondary Google calendars, and see, create, change, and delete events on them"
        # (the scope's description): other calendars are out of its reach. Google's exact refusal there is not
        # documented; the fake answers as for a missing scope.
        if usable == {SCOPE_ROOT + "calendar.app.created"} and cal is not None and not cal.app_created:
            raise insufficient_scopes()

    # -- calendars and sharing -------------------------------------------------------------------------------------

    def _calendars(self, method: str, cal: Calendar | None, user: str, payload: Any) -> tuple[int, Any]:
        if method == "get":
            if cal is None:
                raise ApiError(404, "notFound", "Not Found")
            return 200, self._calendar_resource(cal)
        if not isinstance(payload, dict) or not payload.get("summary"):
            raise ApiError(400, "required", "Missing title.")  # "summary ... Required" (calendars/insert)
        validate(payload, "Calendar")
        calendar_id = f"c_{uuid.uuid4().hex}@group.calendar.google.com"
        zone = payload.get("timeZone") or "UTC"
        if zone in self.refused_zones:
            raise ApiError(400, "invalid", "Invalid time zone definition.")
        new = self.calendars[calendar_id] = Calendar(
            calendar_id, time_zone=zone, summary=payload["summary"], app_created=True
        )
        return 200, self._calendar_resource(new)

    @staticmethod
    def _calendar_resource(cal: Calendar) -> dict[str, Any]:
        return {
            "kind": "calendar#calendar",
            "etag": '"c1"',
            "id": cal.id,
            "summary": cal.summary or cal.id,
            "timeZone": cal.time_zone,
        }

    def _acl(self, method: str, cal: Calendar, rule_id: str | None, payload: Any) -> tuple[int, Any]:
        if method == "list":
            return 200, {"kind": "calendar#acl", "items": list(cal.acl.values())}
        if cal.read_only:
            raise ApiError(403, "requiredAccessLevel", "You need to have writer access to this calendar.")
        if method == "update" and rule_id not in cal.acl:
            raise ApiError(404, "notFound", "Not Found")
        rule = acl_rule(payload, rule_id if method == "update" else None, f'"{next(self._etags)}"')
        cal.acl[rule["id"]] = rule  # an insert for a scope with a rule replaces its role (undocumented)
        return 200, rule

    # -- events ----------------------------------------------------------------------------------------------------

    def _events(
        self,
        method: str,
        cal: Calendar,
        event_id: str | None,
        user: str,
        headers: Any,
        query: dict[str, list[str]],
        payload: Any,
    ) -> tuple[int, Any]:
        if method in WRITE_CALLS and cal.read_only:
            raise ApiError(403, "requiredAccessLevel", "You need to have writer access to this calendar.")
        send = (query.get("sendUpdates") or [None])[0]
        if send is not None and send not in ("all", "externalOnly", "none"):
            raise ApiError(400, "invalidParameter", "Invalid value for: sendUpdates")
        if method == "list":
            return 200, self._list(cal, query)
        if method in ("insert", "update", "patch"):
            if not isinstance(payload, dict):
                raise ApiError(400, "required", "Missing event body.")
            validate(payload, "Event")
            if user in self.service_account_tokens:
                refuse_guests_for_service_account(payload)
        if method == "insert":
            ev = self._insert(cal, strip_nulls(payload))
            self._notify("insert", ev, send)
            return 200, ev
        assert event_id is not None
        if event_id in cal.purged:
            if method == "get":
                raise ApiError(404, "notFound", "Not Found")
            status = 410 if method == "delete" else cal.purged[event_id]
            raise {
                403: ApiError(403, "forbidden", "Forbidden"),
                404: ApiError(404, "notFound", "Not Found"),
                410: ApiError(410, "deleted", "Resource has been deleted"),
            }[status]
        ev = cal.events.get(event_id)
        if ev is None:
            raise ApiError(404, "notFound", "Not Found")
        if method == "get":
            return 200, ev
        check_if_match(ev, headers)
        if method == "delete":
            if ev.get("status") == "cancelled":
                raise ApiError(410, "deleted", "Resource has been deleted")
            ev["status"] = "cancelled"
            self._touch(ev)
            return 204, None
        if ev.get("status") == "cancelled" and self.restore_forbidden:
            raise ApiError(403, "forbidden", "Forbidden")  # by PUT or PATCH alike
        self._replace(ev, method, payload)
        self._notify(method, ev, send)
        return 200, ev

    def _replace(self, ev: dict[str, Any], method: str, payload: dict[str, Any]) -> None:
        if method == "update":
            new = strip_nulls({k: v for k, v in payload.items() if k not in SERVER_FIELDS})
            new.setdefault("status", ev.get("status", "confirmed"))  # a PUT without status keeps it cancelled
        else:
            new = patched(
                {k: v for k, v in ev.items() if k not in SERVER_FIELDS},
                {k: v for k, v in payload.items() if k not in SERVER_FIELDS},
            )
        require_times(new)
        kept = {k: ev[k] for k in SERVER_FIELDS if k in ev}
        candidate = {**new, **kept}
        self._finish(candidate)  # refuse before changing anything
        ev.clear()
        ev.update(candidate)
        ev["sequence"] = int(ev.get("sequence", 0)) + 1
        self._touch(ev)

    def _notify(self, call: str, ev: dict[str, Any], send: str | None) -> None:
        if send in ("all", "externalOnly") and ev.get("attendees"):
            self.notified.append((call, ev["id"], tuple(a["email"] for a in ev["attendees"])))

    def _insert(self, cal: Calendar, payload: dict[str, Any]) -> dict[str, Any]:
        event_id = payload.get("id")
        if event_id is None:
            event_id = uuid.uuid4().hex + f"{next(self._ids):04d}"
        elif not isinstance(event_id, str) or not ID_RE.match(event_id):
            raise ApiError(400, "invalid", "Invalid resource id value.")
        if event_id in cal.events or event_id in cal.purged:
            raise ApiError(409, "duplicate", "The requested identifier already exists.")
        ev = {k: v for k, v in payload.items() if k not in SERVER_FIELDS}
        require_times(ev)
        ev["id"] = event_id
        ev.setdefault("status", "confirmed")
        ev["created"] = now_text()
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
            ev[side] = normalise_time(ev[side], side, self.refused_zones)
        if instant(ev["end"]) < instant(ev["start"]):
            raise ApiError(400, "timeRangeEmpty", "The specified time range is empty.")
        if ev.get("status") not in ("confirmed", "tentative", "cancelled"):
            raise ApiError(400, "invalid", "Invalid value for: status")
        check_reminders(ev)
        check_attendees(ev)

    def _touch(self, ev: dict[str, Any]) -> None:
        ev["updated"] = now_text()
        ev["etag"] = f'"{next(self._etags)}"'

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
        items = [
            e
            for e in cal.events.values()
            if (show_deleted or e.get("status") != "cancelled")
            and all(private_props(e).get(k) == v for k, v in filters)
        ]
        page: dict[str, Any] = {
            "kind": "calendar#events",
            "summary": cal.id,
            "timeZone": cal.time_zone,
            "updated": now_text(),
            "items": [],
        }
        if token is None and self.empty_first_page:
            page["nextPageToken"] = "p0"
            return page
        offset = 0
        if token is not None:
            if not re.fullmatch(r"p\d+", token):
                raise ApiError(400, "invalid", "Invalid page token value.")
            offset = int(token[1:])
        page["items"] = items[offset : offset + size]
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
            method, target, part_headers, part_body = parse_http_part(raw)
            # Parts carry no Authorization of their own: the outer request's applies to each.
            part_headers.setdefault("Authorization", headers.get("Authorization") or "")
            injected = self._next_fault(self._part_faults)
            if injected is not None and injected.drop is None:
                status, rheaders, rbody = (
                    injected.status,
                    {"Content-Type": "application/json; charset=UTF-8"},
                    json.dumps(ApiError(injected.status, injected.reason, injected.message).body()).encode(),
                )
            else:
                status, rheaders, rbody = self.handle(method, target, part_headers, part_body)
            reply_id = f"<response-{content_id[1:-1]}>" if content_id.startswith("<") else f"<response-{content_id}>"
            lines = [
                f"--{boundary}",
                "Content-Type: application/http",
                f"Content-ID: {reply_id}",
                "",
                f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}",
            ]
            lines += [f"{k}: {v}" for k, v in rheaders.items()]
            lines += [f"Content-Length: {len(rbody)}", "", rbody.decode("utf-8")]
            out.append("\r\n".join(lines))
        text = "\r\n".join(out) + f"\r\n--{boundary}--\r\n"
        return 200, {"Content-Type": f"multipart/mixed; boundary={boundary}"}, text.encode("utf-8")


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
        path = urlsplit(self.path).path
        if path in FakeOAuth.PATHS:
            self._reply(*fake.oauth.handle(self.command, self.path, body))
            return
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
            self._reply(
                injected.status, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(err.body()).encode()
            )
            return
        if path == BATCH_PATH:
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
