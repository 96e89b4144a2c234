"""CalDAV calendars (Nextcloud, iCloud, Fastmail, Radicale, Xandikos, …) behind the
:class:`~calsync.backends.base.Backend` interface; the only importer of httpx.

**Why httpx with calsync's own WebDAV bodies, not the ``caldav`` package.** Every guarantee of ``calsync push`` rests
on four things, and each is one header or one status away with httpx:

- *conditional writes*: a create is ``PUT`` with ``If-None-Match: *``, an update or delete carries ``If-Match`` with the
  ETag the plan listed, and nothing else is sent. ``caldav`` decides per server whether to send those headers or to
  search for the UID first (its compatibility hints), which adds requests the plan does not know about;
- *parallel writes over kept-alive connections*: CalDAV has no batch, so 500 blocks are 500 PUTs. ``httpx.Client`` is
  thread-safe and pools connections; a few workers keep a few connections busy (500 PUTs over a 50 ms link: ~3 s);
- *one request for an unchanged push*: one ``calendar-query`` REPORT returns every event's ETag and data. calsync lists
  the whole calendar rather than using sync-collection (RFC 6578): that needs a token kept between runs, is optional
  for servers, and is unreliable on several (``caldav``'s own hints record 500s and lost changes);
- *control over errors*: 412 means "changed since listed" (re-plan), 401 a wrong password, 403 with
  ``supported-calendar-component`` a calendar for tasks only, 507 a full account; each becomes a calsync error here.

The bodies are a few lines of XML each (:mod:`calsync.backends.caldav_xml`); the events are written and read by
:mod:`calsync.ical` (the same UIDs, TZID and VTIMEZONE, join link as ``calsync ics``).

A block's resource is ``<calendar>/<event id>.ics`` with a deterministic id, so a create that was already done is
refused (412) instead of duplicated. calsync's events are known by ``X-CALSYNC-MEETING`` (and block, hash), or, for an
event imported from ``calsync ics``, by its UID; nothing else is listed or touched.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import httpx

from .. import __version__
from ..errors import BackendError, CalendarNotFoundError, CalsyncError, CredentialsError, QuotaError
from ..ical import EventObject, block_uid, event_object, read_event_object
from . import caldav_xml as dav
from .base import (
    BLOCK_PROP,
    HASH_PROP,
    MEETING_PROP,
    WRITTEN_PROP,
    Call,
    CallError,
    Delete,
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
from .caldav_auth import Login
from .pacing import backoff

__all__ = ["CalDAVCalendar", "NoSuchCalendarError", "X_PROPERTIES", "WORKERS"]

# calsync's private keys (EventContent.private_properties) as the X- properties of a CalDAV event
X_PROPERTIES = {
    MEETING_PROP: "X-CALSYNC-MEETING",
    BLOCK_PROP: "X-CALSYNC-BLOCK",
    HASH_PROP: "X-CALSYNC-HASH",
    WRITTEN_PROP: "X-CALSYNC-WRITTEN",  # tells an edit made in the calendar from the agenda's
}
WORKERS = 10  # parallel writes: enough to hide a 50 ms link, few enough not to look like an attack to a server
MULTIGET_CHUNK = 200
MAX_REDIRECTS = 5
TRANSIENT = {408, 425, 429, 500, 502, 503, 504}
# A server that serialises writes (Xandikos commits each to git) answers parallel ones 423 Locked for a moment.
MAX_LOCKED = 30
_UID_TAIL = re.compile(r"^(?P<block>.+)\.(?P<meeting>[a-z0-9][a-z0-9-]*)@calsync$")
_D, _C = "{DAV:}", "{urn:ietf:params:xml:ns:caldav}"
_COLLECTION = (f"{_D}resourcetype", f"{_D}displayname", f"{_C}supported-calendar-component-set")  # what it is


class NoSuchCalendarError(CalendarNotFoundError):
    """The user has no calendar of the name asked for (``--create`` would make it)."""


class CalDAVCalendar:
    """One CalDAV calendar collection as a sync backend."""

    def __init__(
        self,
        client: httpx.Client,
        url: str,
        *,
        login: Login | None = None,
        workers: int = WORKERS,
        max_attempts: int = 6,
        base_delay: float = 0.25,
        max_delay: float = 8.0,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.url = url if url.endswith("/") else url + "/"
        self.login = login or Login(None)
        self.workers = workers
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.sleep = sleep  # tests pass a no-op so retries are instant
        self.rand = rand
        self.clock = clock  # DTSTAMP of written events
        self.requests = 0  # HTTP requests sent, retries included
        self.created_calendar = False
        self._lock = threading.Lock()
        self._objects: dict[str, tuple[str, bytes]] = {}  # event id -> (URL, data) as last listed: kept on update
        self._checked = False  # the collection was seen to be a calendar that takes events

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        login: Login | None = None,
        calendar: str | None = None,
        create: bool = False,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        **options: Any,
    ) -> CalDAVCalendar:
        """A backend for the calendar at ``url``, or for the one named ``calendar`` found from a server or principal
        URL (RFC 6764 well-known URL, principal, calendar home set); ``create`` makes it when it does not exist."""
        login = login or Login(None)
        workers = int(options.get("workers", WORKERS))
        auth = httpx.BasicAuth(login.username, login.password or "") if login.username else None
        client = httpx.Client(
            auth=auth,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=workers, max_keepalive_connections=workers),
            headers={"User-Agent": f"calsync/{__version__}"},
        )
        backend = cls(client, url, login=login, **options)
        if calendar is not None:
            try:
                backend.url = backend.find_calendar(calendar, create=create)
            except BaseException:
                client.close()
                raise
        return backend

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> CalDAVCalendar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- HTTP ---------------------------------------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        *,
        body: str | bytes | None = None,
        headers: dict[str, str] | None = None,
        what: str,
    ) -> httpx.Response:
        """One request, repeated for transient faults (dropped connections, 5xx, 429) with capped backoff."""
        kind = "text/calendar" if method == "PUT" else "application/xml"
        sent = (
            {"Content-Type": f"{kind}; charset=utf-8", **(headers or {})} if body is not None else dict(headers or {})
        )
        content = body.encode("utf-8") if isinstance(body, str) else body
        attempt = locked = 0
        while True:
            attempt += 1
            with self._lock:
                self.requests += 1
            try:
                response = self._follow(method, url, content, sent)
            except httpx.TransportError as e:
                if attempt == self.max_attempts:
                    raise BackendError(
                        f"cannot reach the CalDAV server at {_host(url)} to {what} ({type(e).__name__})",
                        hint="check the URL and the network, then run 'calsync push' again: it "
                        "resumes without duplicating events",
                    ) from None
                self.sleep(self._delay(attempt, None))
                continue
            if response.status_code == 423 and locked < MAX_LOCKED:
                # Busy with another of our writes, not failing: wait without spending the attempts meant for faults.
                locked += 1
                attempt -= 1
                self.sleep(self._delay(min(locked, 4), None))
                continue
            if response.status_code in TRANSIENT and attempt < self.max_attempts:
                self.sleep(self._delay(attempt, response.headers.get("Retry-After")))
                continue
            return response

    def _follow(self, method: str, url: str, content: bytes | None, headers: dict[str, str]) -> httpx.Response:
        """The request, following redirects with the same method: httpx (like browsers) turns a 302 into a GET, which
        a PROPFIND to ``/.well-known/caldav`` must not become. A redirect from https to http is refused."""
        for _hop in range(MAX_REDIRECTS):
            response = self.client.request(method, url, content=content, headers=headers)
            location = response.headers.get("Location")
            if response.status_code not in (301, 302, 307, 308) or not location:
                return response
            target = urljoin(url, location)
            if urlsplit(url).scheme == "https" and urlsplit(target).scheme != "https":
                raise BackendError(
                    f"the CalDAV server at {_host(url)} redirects to an unencrypted URL ({target})",
                    hint="calsync does not send the password in clear: give an https URL that works",
                )
            url = target
        raise BackendError(
            f"the CalDAV server at {_host(url)} redirects in circles", hint="give the calendar's own URL to --caldav"
        )

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        try:
            asked = float(retry_after) if retry_after else None
        except ValueError:
            asked = None  # an HTTP date, or nonsense: the backoff alone decides
        return backoff(attempt, base=self.base_delay, cap=self.max_delay, rand=self.rand, retry_after=asked)

    def _multistatus(self, response: httpx.Response, what: str) -> list[dav.Resource]:
        if response.status_code != 207:
            raise self._refusal(response, what)
        try:
            return dav.parse_multistatus(response.content, str(response.url))
        except ValueError as e:
            raise BackendError(
                f"the CalDAV server's answer to {what} cannot be read: {e}",
                hint="check that --caldav points at a CalDAV server",
            ) from None

    def _refusal(self, response: httpx.Response, what: str) -> CalsyncError:
        """The calsync error for a request (not a write) the server refused."""
        status, url = response.status_code, str(response.url)
        if status == 401:
            return self._credentials_error()
        if status == 403:
            return CalendarNotFoundError(
                f"the CalDAV server refused to {what} at {url} (HTTP 403)",
                hint="check that this user may read and change that calendar, or choose another",
            )
        if status == 404:
            return CalendarNotFoundError(
                f"there is no calendar at {url} (HTTP 404)",
                hint="check --caldav; or give the server's URL with --calendar NAME to find "
                "the calendar by name (add --create to make it)",
            )
        if status in (405, 501):
            return CalendarNotFoundError(
                f"{url} is not a CalDAV calendar (HTTP {status} to {what})",
                hint="give the calendar's own URL, or the server's URL with --calendar NAME",
            )
        if status == 507:
            return self._storage_error()
        return BackendError(
            f"the CalDAV server answered HTTP {status} when asked to {what} at {url}",
            hint="try again later: 'calsync push' resumes without duplicating events",
        )

    def _credentials_error(self) -> CredentialsError:
        who = f"user {self.login.username!r}" if self.login.username else "no user name"
        where = f" (password from {self.login.source})" if self.login.password else ""
        return CredentialsError(
            f"the CalDAV server at {_host(self.url)} refused the login: {who}{where} (HTTP 401)",
            hint="check --username and the password (CALSYNC_CALDAV_PASSWORD, ~/.netrc or the keyring); iCloud and "
            "Fastmail need an app password, not the account's own",
        )

    def _storage_error(self) -> QuotaError:
        return QuotaError(
            f"the CalDAV account at {_host(self.url)} is out of storage space (HTTP 507)",
            hint="free space or ask the server's administrator for more, then run 'calsync push' again; "
            "events already written stay and are not duplicated",
        )

    # -- finding the calendar ---------------------------------------------------------------------------------------

    def _propfind(self, url: str, depth: str, *names: str) -> list[dav.Resource] | None:
        """The resources a PROPFIND finds, or None when there is nothing to find there (404, 405, not WebDAV)."""
        response = self._send(
            "PROPFIND", url, body=dav.propfind(*names), headers={"Depth": depth}, what="look up calendars"
        )
        if response.status_code in (400, 403, 404, 405, 501) or (response.status_code == 200 and not response.content):
            return None
        if response.status_code == 207:
            try:
                return dav.parse_multistatus(response.content, str(response.url))
            except ValueError:
                return None  # an HTML page where a DAV answer was expected: not the way to the calendars
        raise self._refusal(response, "look up calendars")

    def _home_sets(self) -> list[str]:
        """The user's calendar home sets, from the URL itself, its principal, or the well-known URL (RFC 6764 §5)."""
        names = (f"{_D}current-user-principal", f"{_C}calendar-home-set")
        for start in (self.url, urljoin(self.url, "/.well-known/caldav")):
            found = self._propfind(start, "0", *names)
            if not found:
                continue
            homes = found[0].hrefs(f"{_C}calendar-home-set", found[0].url)
            if homes:
                return homes
            for principal in found[0].hrefs(f"{_D}current-user-principal", found[0].url):
                at = self._propfind(principal, "0", f"{_C}calendar-home-set")
                if at and at[0].hrefs(f"{_C}calendar-home-set", at[0].url):
                    return at[0].hrefs(f"{_C}calendar-home-set", at[0].url)
        raise CalendarNotFoundError(
            f"cannot find this user's calendars from {self.url}",
            hint="give the calendar's own URL to --caldav (the server's calendar settings show "
            "it), or the server's CalDAV URL as README lists for Nextcloud, iCloud and "
            "Fastmail",
        )

    def calendars(self) -> list[dav.Resource]:
        """The user's calendar collections (with names and the components they take)."""
        out: list[dav.Resource] = []
        for home in self._home_sets():
            found = self._propfind(home, "1", *_COLLECTION) or []
            out.extend(
                r for r in found if f"{_C}calendar" in r.resource_types() and not dav.same_collection(r.url, home)
            )
        return out

    def find_calendar(self, name: str, *, create: bool = False) -> str:
        """The URL of the user's calendar called ``name`` (its display name, else its last path segment)."""
        calendars = self.calendars()
        wanted = name.strip().casefold()
        matches = [c for c in calendars if (c.text(f"{_D}displayname") or "").strip().casefold() == wanted] or [
            c for c in calendars if dav.resource_name(c.url).casefold() == wanted
        ]
        if len(matches) > 1:
            raise CalendarNotFoundError(
                f"{len(matches)} calendars are called {name!r}: " + ", ".join(c.url for c in matches),
                hint="give the one you mean as the --caldav URL, without --calendar",
            )
        if matches:
            self._takes_events(matches[0], name)
            return _folder(matches[0].url)
        if create:
            return self._make_calendar(self._home_sets()[0], name)
        known = ", ".join(repr(c.text(f"{_D}displayname") or dav.resource_name(c.url)) for c in calendars) or "none"
        raise NoSuchCalendarError(
            f"no calendar called {name!r} at {_host(self.url)} (calendars there: {known})",
            hint="check --calendar, or add --create to make it",
        )

    def _takes_events(self, calendar: dav.Resource, name: str) -> None:
        components = calendar.components()
        if components is not None and "VEVENT" not in components:
            kinds = "tasks" if "VTODO" in components else ", ".join(sorted(components)) or "no events"
            raise CalendarNotFoundError(
                f"calendar {name!r} at {calendar.url} takes only {kinds}, not events",
                hint="choose a calendar for events, or --create a new one",
            )
        self._checked = True

    def _make_calendar(self, home: str, name: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "calendar"
        for n in range(1, 6):
            url = _folder(urljoin(_folder(home), quote(slug if n == 1 else f"{slug}-{n}")))
            response = self._send("MKCALENDAR", url, body=dav.mkcalendar(name.strip()), what="create a calendar")
            if response.status_code in (200, 201):
                self._checked = True
                self.created_calendar = True
                return url
            taken = response.status_code == 405 or "resource-must-be-null" in dav.error_conditions(response.content)
            if not taken:  # something already lives at that URL (RFC 4791 §5.3.1): try the next name
                raise self._refusal(response, f"create calendar {name!r}")
        raise CalendarNotFoundError(
            f"cannot create calendar {name!r} in {home}",
            hint="create it in the server's web interface and give its URL to --caldav",
        )

    def check_calendar(self) -> None:
        """Refuse a URL that is not a calendar for events, before anything is written to it."""
        found = self._propfind(self.url, "0", *_COLLECTION)
        if not found or f"{_C}calendar" not in found[0].resource_types():
            raise CalendarNotFoundError(
                f"{self.url} is not a calendar",
                hint="give the calendar's own URL, or the server's URL with --calendar NAME (add --create to make one)",
            )
        self._takes_events(found[0], found[0].text(f"{_D}displayname") or dav.resource_name(self.url))

    # -- reading ------------------------------------------------------------------------------------------------------

    def list_events(self, meeting_key: str) -> list[RemoteEvent]:
        """Every event of this meeting, with its ETag: one calendar-query REPORT."""
        response = self._send(
            "REPORT", self.url, body=dav.calendar_query(), headers={"Depth": "1"}, what="list the calendar's events"
        )
        events = []
        for resource in self._multistatus(response, "list the calendar's events"):
            found = self._remote(resource)
            if found is not None and found[0].meeting_key == meeting_key:
                event, data = found
                self._objects[event.id] = (resource.url, data)
                events.append(event)
        if not events and not self._checked:
            self.check_calendar()  # the first push to a URL: make sure it is a calendar before writing into it
        return events

    def _remote(self, resource: dav.Resource) -> tuple[RemoteEvent, bytes] | None:
        """The calsync event a listed resource holds (any meeting), or None for someone else's."""
        if dav.same_collection(resource.url, self.url):
            return None
        data = resource.text(f"{_C}calendar-data")
        if not data:
            return None
        obj = read_event_object(data)
        private = _private(obj) if obj is not None else None
        if obj is None or private is None:
            return None
        return RemoteEvent.listed(
            private,
            id=dav.resource_name(resource.url),
            start=obj.start,
            end=obj.end,
            summary=obj.summary,
            cancelled=obj.cancelled,
            description=obj.description,
            location=obj.location,
            etag=_etag(resource.text(f"{_D}getetag")),
        ), data.encode("utf-8")

    def _read_back(self, urls: list[str]) -> dict[str, RemoteEvent]:
        """The written events as the calendar now holds them, by URL path: calendar-multiget REPORTs."""
        out: dict[str, RemoteEvent] = {}
        paths = [urlsplit(u).path for u in urls]
        for i in range(0, len(paths), MULTIGET_CHUNK):
            response = self._send(
                "REPORT",
                self.url,
                body=dav.calendar_multiget(paths[i : i + MULTIGET_CHUNK]),
                headers={"Depth": "1"},
                what="read the written events back",
            )
            for resource in self._multistatus(response, "read the written events back"):
                found = self._remote(resource)
                if found is not None:
                    out[unquote(urlsplit(resource.url).path)] = found[0]
                    self._objects[found[0].id] = (resource.url, found[1])
        return out

    # -- writing ------------------------------------------------------------------------------------------------------

    def execute(self, calls: Sequence[Call], progress: Progress | None = None) -> list[Outcome]:
        """Run the calls in parallel over kept-alive connections, then read the written events back in one go."""
        outcomes: list[Outcome | None] = [None] * len(calls)
        stop = threading.Event()
        fatal: list[CalsyncError] = []

        def run(i: int) -> tuple[int, Outcome | None]:
            if stop.is_set():
                return i, None
            try:
                return i, self._write(calls[i])
            except CalsyncError as e:  # credentials, storage, a calendar that refuses events: the push stops
                stop.set()
                fatal.append(e)
                return i, None

        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="calsync-caldav") as pool:
            done = 0
            for future in as_completed([pool.submit(run, i) for i in range(len(calls))]):
                i, outcome = future.result()
                outcomes[i] = outcome
                done += 1
                if progress is not None and not stop.is_set():
                    progress(done, len(calls))
        if fatal:
            raise fatal[0]
        final = [o for o in outcomes if o is not None]
        written = [o for o in final if o.ok and not isinstance(o.call, Delete)]
        if written:
            stored = self._read_back([self._url_of(o.call) for o in written])
            for o in written:
                o.event = stored.get(unquote(urlsplit(self._url_of(o.call)).path))
        return final

    def _url_of(self, call: Call) -> str:
        listed = self._objects.get(call.event_id)
        return listed[0] if listed is not None else urljoin(self.url, quote(call.event_id) + ".ics")

    def _write(self, call: Call) -> Outcome:
        url = self._url_of(call)
        if isinstance(call, Delete):
            response = self._send("DELETE", url, headers=_if_match(call.etag), what="delete an event")
        else:
            previous = self._objects.get(call.event_id) if isinstance(call, Update) else None
            body = self._object(call.content, previous[1] if previous else None)
            headers = {"If-None-Match": "*"} if isinstance(call, Insert) else _if_match(call.etag)
            response = self._send("PUT", url, body=body, headers=headers, what="write an event")
        if response.status_code in (200, 201, 204):
            return Outcome(call)
        return Outcome(call, error=self._write_error(call, response))

    def _object(self, content: EventContent, previous: bytes | None) -> bytes:
        return event_object(
            uid=block_uid(content.meeting_key, content.block_key),
            summary=content.summary,
            description=content.description,
            location=content.location,
            url=content.url,
            start=content.start,
            end=content.end,
            tzid=content.timezone,
            stamp=self.clock(),
            previous=previous,
            properties={X_PROPERTIES[name]: value for name, value in content.private_properties().items()},
        )

    def _write_error(self, call: Call, response: httpx.Response) -> CallError:
        """The call's error, or (raised) the error that stops the whole push."""
        status = response.status_code
        conditions = dav.error_conditions(response.content)
        if status == 412:
            return StaleEventError("the event changed in the calendar since calsync listed it (HTTP 412)")
        if status == 401:
            raise self._credentials_error()
        if status == 507 or "quota-not-exceeded" in conditions:
            raise self._storage_error()
        if conditions & {"supported-calendar-component", "supported-calendar-data"}:
            raise CalendarNotFoundError(
                f"the calendar at {self.url} does not take events ({', '.join(conditions)})",
                hint="choose a calendar for events, or --create a new one",
            )
        if "no-uid-conflict" in conditions:
            return CallError(
                "another event in the calendar has this block's UID (an imported copy of calsync's "
                ".ics?): delete that copy and push again"
            )
        if isinstance(call, Delete) and status in (404, 410):
            return (EventNotFoundError if status == 404 else EventGoneError)("the event is already gone")
        if status in (403, 405) and isinstance(call, Insert):
            raise CalendarNotFoundError(
                f"the calendar at {self.url} is not writable by this user (HTTP {status})",
                hint="ask its owner for write access, or choose another calendar",
            )
        if status == 404 and not isinstance(call, Delete):
            raise CalendarNotFoundError(
                f"the calendar at {self.url} is gone (HTTP 404 on writing)",
                hint="check --caldav, or add --calendar NAME --create to make it again",
            )
        if status == 403:
            return ForbiddenError("the CalDAV server refused to change this event (HTTP 403)")
        if status in (400, 413, 415, 422) or "valid-calendar-data" in conditions:
            return InvalidEventError(f"the CalDAV server rejected the event (HTTP {status})")
        return CallError(f"HTTP {status} {response.reason_phrase}".strip())


def _private(obj: EventObject) -> dict[str, str] | None:
    """calsync's keys of a calsync event: its X- properties, else the keys of a UID as ``calsync ics`` writes it (an
    imported .ics); None for someone else's event."""
    private = {name: obj.properties[x] for name, x in X_PROPERTIES.items() if x in obj.properties}
    if private.get(MEETING_PROP):
        return private
    match = _UID_TAIL.match(obj.uid)
    return {**private, MEETING_PROP: match["meeting"], BLOCK_PROP: match["block"]} if match else None


def _etag(value: str | None) -> str | None:
    """An ETag as ``If-Match`` wants it: quoted (some servers list it bare or %-encoded)."""
    if not value or not value.strip():
        return None
    tag = value.strip()
    if tag.startswith("%22"):
        tag = unquote(tag)
    return tag if tag.startswith(('"', "W/")) else f'"{tag}"'


def _if_match(etag: str | None) -> dict[str, str]:
    # A weak ETag never matches (RFC 9110 §13.1.1): sending it would refuse every write, so none is sent.
    return {"If-Match": etag} if etag and not etag.startswith("W/") else {}


def _folder(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _host(url: str) -> str:
    return urlsplit(url).hostname or url
