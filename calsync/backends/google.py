"""Google Calendar behind the :class:`~calsync.backends.base.Backend` interface; the only importer of googleapiclient.

Writes go in batches of at most 50 calls to ``<root>/batch/calendar/v3`` (built explicitly: the client's own batch
helper ignores ``api_endpoint``). Updates are ``events.update`` calls carrying the whole event as listed with
calsync's fields replaced, conditional on the listed ETag (``If-Match``): one quota unit each where a patch costs
three, and an all-day ``start.date`` cannot linger beside the new ``dateTime``. An event calsync did not list (a
restore after a lost answer) is read first, in the same kind of batch. A token bucket per calendar keeps the writes
inside Google's per-user minute; what Google still refuses for load is retried per call with truncated exponential
backoff (up to 64 s, so retries outlast Google's one-minute window). :meth:`GoogleCalendar._failure` is the one place
where the client's errors become calsync errors.
"""

from __future__ import annotations

import functools
import http.client
import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal, TypeVar

import google.auth.exceptions
import google_auth_httplib2
import httplib2
from googleapiclient.discovery import build
from googleapiclient.errors import BatchError, HttpError
from googleapiclient.http import BatchHttpRequest

from ..errors import BackendError, CalendarNotFoundError, CalsyncError
from .base import (
    MEETING_PROP,
    Call,
    CallError,
    Delete,
    EventGoneError,
    EventNotFoundError,
    Insert,
    Outcome,
    Progress,
    RemoteEvent,
)
from .google_auth import refresh_error
from .google_events import SendUpdates, event_body, remote_event, send_updates_for, update_body, zone_fallbacks
from .google_refusals import (
    AUTH_HINT,
    ChangedMeanwhileError,
    Task,
    TimeZoneRefusedError,
    reason_and_message,
    refusal,
)
from .pacing import TokenBucket, backoff

T = TypeVar("T")
# What to do with one refused call of a batch: send it again now (a read done, another zone name, a fresh ETag),
# later (after a backoff), take the error as its outcome, or stop the push.
_Verdict = Literal["again", "later", "done", "stop"]

__all__ = [
    "GoogleCalendar",
    "DEFAULT_ROOT",
    "endpoint_urls",
    "event_body",
    "TimeZoneRefusedError",
    "ChangedMeanwhileError",
]

DEFAULT_ROOT = "https://www.googleapis.com/"
SERVICE_PATH = "calendar/v3/"
BATCH_PATH = "batch/calendar/v3"
BATCH_LIMIT = 50  # Google allows more per batch, but one calendar written fast hits per-part rate limits
UNITS_PER_MINUTE = 600  # Google's default per-user quota (Calendar API usage limits guide)
TRANSPORT_ERRORS = (OSError, httplib2.HttpLib2Error, http.client.HTTPException)
ROLE_RANK = {"none": 0, "freeBusyReader": 1, "reader": 2, "writerWithoutPrivateAccess": 3, "writer": 4, "owner": 5}


def endpoint_urls(api_endpoint: str | None) -> tuple[str, str]:
    """The client's ``api_endpoint`` and the batch URI for a server root or a full ``…/calendar/v3/`` endpoint."""
    if not api_endpoint:
        return DEFAULT_ROOT + SERVICE_PATH, DEFAULT_ROOT + BATCH_PATH
    base = api_endpoint if api_endpoint.endswith("/") else api_endpoint + "/"
    root = base[: -len(SERVICE_PATH)] if base.endswith(SERVICE_PATH) else base
    return root + SERVICE_PATH, root + BATCH_PATH


def _sealed(method: Callable[..., T]) -> Callable[..., T]:
    """The boundary every call from the sync engine crosses: what leaves is a calsync error, and no error text holds
    the credentials' tokens.

    httplib2, google-auth and the socket layer raise errors that quote what they sent ("Invalid header value
    b'Bearer …'"), and a server may echo a header in its error message: neither may reach a terminal or a log.
    """

    @functools.wraps(method)
    def wrapper(self: GoogleCalendar, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except CalsyncError as e:
            secrets = [
                s
                for s in (getattr(self.credentials, "token", None), getattr(self.credentials, "refresh_token", None))
                if isinstance(s, str) and len(s) >= 8
            ]  # real tokens are long; "x" in tests is no secret
            if any(s in e.message or s in (e.hint or "") for s in secrets):
                for secret in secrets:
                    e.message = e.message.replace(secret, "[token]")
                    e.hint = e.hint.replace(secret, "[token]") if e.hint else e.hint
                e.args = (e.sentence(),)
            raise
        except Exception as e:  # noqa: BLE001 - see above; the type says enough, the text may hold a token
            raise BackendError(
                f"the request to Google Calendar failed ({type(e).__name__})",
                hint="check the credentials and --api-endpoint, then run 'calsync push' again",
            ) from None

    return wrapper


class GoogleCalendar:
    """One Google calendar as a sync backend."""

    credentials: Any = None  # set by connect(): the tokens that must never appear in an error

    def __init__(
        self,
        service: Any,
        calendar_id: str = "primary",
        *,
        batch_uri: str = DEFAULT_ROOT + BATCH_PATH,
        send_updates: SendUpdates = "none",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
        max_attempts: int = 8,
        base_delay: float = 1.0,
        max_delay: float = 64.0,
        batch_size: int = BATCH_LIMIT,
        page_size: int = 2500,
        service_account: bool = False,
        units_per_minute: int | None = UNITS_PER_MINUTE,
    ) -> None:
        if not 1 <= batch_size <= BATCH_LIMIT:
            raise ValueError(f"batch_size must be 1..{BATCH_LIMIT}")
        self.service = service
        self.calendar_id = calendar_id
        self.batch_uri = batch_uri
        self.send_updates = send_updates
        self.sleep = sleep  # tests pass a fake clock's sleep, so neither retries nor pacing take real time
        self.rand = rand
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.batch_size = batch_size
        self.page_size = page_size
        self.round_trips = 0
        self.service_account = service_account  # decides the remedy when Google refuses to refresh the token
        self.bucket = TokenBucket(units_per_minute, clock=clock, sleep=sleep) if units_per_minute else None
        self._listed: dict[str, dict[str, Any]] = {}  # event id -> the event as Google last answered it
        self._wrote = False  # writes since the last listing: the next listing starts a new push
        self._zones: dict[str, str | None] = {}  # the meeting's zone -> the name Google is told (None: no name)

    @classmethod
    def connect(
        cls,
        credentials: Any,
        calendar_id: str = "primary",
        *,
        api_endpoint: str | None = None,
        timeout: float = 60.0,
        **options: Any,
    ) -> GoogleCalendar:
        """Build the real client for ``credentials`` (optionally against another server) and wrap it."""
        endpoint, batch_uri = endpoint_urls(api_endpoint)
        http = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=timeout))
        service = build(
            "calendar",
            "v3",
            http=http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": endpoint},
        )
        from google.oauth2 import service_account as sa

        options.setdefault("service_account", isinstance(credentials, sa.Credentials))
        backend = cls(service, calendar_id, batch_uri=batch_uri, **options)
        backend.credentials = credentials
        return backend

    # -- errors: the one place the client's exceptions become calsync errors --------------------------------------

    def _failure(
        self, error: BaseException, call: Call | None = None, action: Task = "events"
    ) -> tuple[bool, CalsyncError]:
        """(retry?, the calsync error) for anything the client raised during ``action`` ("events", "create",
        "share") or ``call``. Google's own texts appear only as its short reason or message, never a token."""
        if isinstance(error, google.auth.exceptions.RefreshError):
            return False, refresh_error(error, service_account=self.service_account, hint=AUTH_HINT)
        if isinstance(error, (google.auth.exceptions.TransportError, *TRANSPORT_ERRORS)):
            # A batch may have been done before the connection dropped: resending is safe because inserts use
            # deterministic ids (a repeat is a 409 the sync engine resolves) and updates/deletes are idempotent.
            return True, BackendError(
                f"cannot reach Google Calendar ({type(error).__name__})",
                hint="check the network (and --api-endpoint) and run 'calsync push' again",
            )
        if isinstance(error, BatchError):
            return True, BackendError(
                "Google Calendar sent a batch answer calsync cannot read", hint="run 'calsync push' again"
            )
        if not isinstance(error, HttpError):
            raise error
        reason, message = reason_and_message(error.content, getattr(error.resp, "reason", ""))
        status = int(error.resp.status)
        account = self.service_account
        return refusal(
            status, reason, message, call=call, action=action, calendar_id=self.calendar_id, service_account=account
        )

    @staticmethod
    def _retry_after(error: BaseException) -> float | None:
        """The seconds Google asked to wait (Retry-After), when the error carries an HTTP answer that says."""
        resp = getattr(error, "resp", None)  # httplib2's response: a dict of the headers
        value = resp.get("retry-after") if isinstance(resp, dict) else None
        try:
            return float(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    # -- round trips ---------------------------------------------------------------------------------------------

    def _pace(self, units: int) -> None:
        if self.bucket is not None:
            self.bucket.take(units)

    def _retrying(self, send: Callable[[], T], units: int = 1, action: Task = "events") -> T:
        """One round trip (paced), repeated for transient faults with backoff; everything else as a calsync error."""
        for attempt in range(1, self.max_attempts + 1):
            self._pace(units)
            try:
                self.round_trips += 1
                return send()
            except (HttpError, BatchError, google.auth.exceptions.GoogleAuthError, *TRANSPORT_ERRORS) as e:
                retry, error = self._failure(e, None, action)
                if not retry or attempt == self.max_attempts:
                    raise error from None
                self.sleep(self._delay(attempt, self._retry_after(e)))
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, retry_after: float | None = None) -> float:
        return backoff(attempt, base=self.base_delay, cap=self.max_delay, rand=self.rand, retry_after=retry_after)

    def _execute_one(self, make: Callable[[], Any], action: Task = "events") -> Any:
        """One client request (``make`` builds it afresh for each attempt), sent with the retries above."""
        return self._retrying(lambda: make().execute(num_retries=0), 1, action)

    def _pages(self, make: Callable[[str | None], Any], action: Task = "events") -> Iterator[dict[str, Any]]:
        """Every page of a list request (``make`` builds it for a page token), following ``nextPageToken``: a page may
        be short or even empty while more remain, so only the token says when to stop."""
        token: str | None = None
        while True:
            page = self._execute_one(functools.partial(make, token), action)
            yield page
            token = page.get("nextPageToken")
            if not token:
                return

    # -- reading -------------------------------------------------------------------------------------------------

    @_sealed
    def list_events(self, meeting_key: str) -> list[RemoteEvent]:
        """Every event carrying this meeting's key, cancelled ones included; follows every page."""
        if self._wrote:
            # A listing after writes starts another push: what calsync kept of its own earlier answers may be stale
            # by now (edited by hand), so only this push's listings and answers are sent back.
            self._listed.clear()
            self._wrote = False
        events: dict[str, RemoteEvent] = {}
        pages = self._pages(
            lambda token: self.service.events().list(
                calendarId=self.calendar_id,
                privateExtendedProperty=f"{MEETING_PROP}={meeting_key}",
                showDeleted=True,  # events deleted by hand keep their id: the plan must see them to restore them
                maxResults=self.page_size,
                pageToken=token,
            )
        )  # whole events: an update sends each one back with calsync's fields replaced
        for page in pages:
            for item in page.get("items") or []:
                if item.get("id") and item["id"] not in events:  # an event moving between pages is listed once
                    self._listed[item["id"]] = item
                    events[item["id"]] = remote_event(item)
        return list(events.values())

    # -- writing -------------------------------------------------------------------------------------------------

    def _zone_for(self, zone: str) -> str | None:
        return self._zones.get(zone, zone)

    def _next_zone(self, zone: str, refused: str | None) -> bool:
        """Move on from a zone name Google refused to the next one to try; False when none is left."""
        if self._zone_for(zone) != refused:
            return True  # another call of this batch already moved on
        names: list[str | None] = [zone, *zone_fallbacks(zone)]
        at = names.index(refused) if refused in names else len(names) - 1
        if at + 1 >= len(names):
            return False
        self._zones[zone] = names[at + 1]
        return True

    def _request(self, call: Call, read: bool) -> tuple[Any, str | None]:
        """The client request for one call (or the read that must come first) and the zone name it tells Google."""
        events = self.service.events()
        if read:
            return events.get(calendarId=self.calendar_id, eventId=call.event_id), None
        if isinstance(call, Delete):
            request = events.delete(calendarId=self.calendar_id, eventId=call.event_id, sendUpdates=self.send_updates)
            if call.etag:
                request.headers["If-Match"] = call.etag  # someone's edit since the listing stops the delete
            return request, None
        zone = self._zone_for(call.content.timezone)
        listed = self._listed.get(call.event_id)
        send = send_updates_for(call, listed if not isinstance(call, Insert) else None, self.send_updates)
        if isinstance(call, Insert):
            body = event_body(call.content, event_id=call.event_id, time_zone=zone or "")
            return events.insert(calendarId=self.calendar_id, body=body, sendUpdates=send), zone
        assert listed is not None
        # The listed conference data and attachments go back as they came, so say the client understands them.
        request = events.update(
            calendarId=self.calendar_id,
            eventId=call.event_id,
            sendUpdates=send,
            body=update_body(listed, call.content, time_zone=zone or ""),
            conferenceDataVersion=1,
            supportsAttachments=True,
        )
        etag = call.etag or listed.get("etag")  # the engine's listed version, else the one this backend read
        if etag:
            request.headers["If-Match"] = etag
        return request, zone

    def _send_batch(self, requests: Sequence[Any]) -> list[tuple[Any, BaseException | None]]:
        """One batch round trip (paced; retried whole when the batch itself fails); one (answer, error) per request."""

        def send() -> list[tuple[Any, BaseException | None]]:
            results: dict[str, tuple[Any, BaseException | None]] = {}

            def collect(request_id: str, response: Any, exception: BaseException | None) -> None:
                results[request_id] = (response, exception)

            batch = BatchHttpRequest(callback=collect, batch_uri=self.batch_uri)
            for i, request in enumerate(requests):
                batch.add(request, request_id=str(i))
            batch.execute()
            return [results[str(i)] for i in range(len(requests))]

        return self._retrying(send, len(requests))

    @_sealed
    def execute(self, calls: Sequence[Call], progress: Progress | None = None) -> list[Outcome]:
        """Run the calls in batches of at most 50 (reads first where an update's event was not listed), retrying
        refused parts per call; one outcome per call, in order."""
        self._wrote = True
        outcomes: list[Outcome | None] = [None] * len(calls)
        attempts = [0] * len(calls)
        queue = list(range(len(calls)))
        done = 0
        while queue:
            chunk, queue = queue[: self.batch_size], queue[self.batch_size :]
            reads = {
                i for i in chunk if not isinstance(calls[i], (Insert, Delete)) and calls[i].event_id not in self._listed
            }
            sent = [self._request(calls[i], i in reads) for i in chunk]
            answers = self._send_batch([request for request, _ in sent])
            again: list[int] = []  # go straight into the next batch (read done, zone or ETag to redo)
            later: list[int] = []  # after a backoff
            fatal: CalsyncError | None = None
            wait_hint: float | None = None
            for i, (_, zone), (response, exception) in zip(chunk, sent, answers, strict=True):
                attempts[i] += 1
                call = calls[i]
                if exception is None:
                    if i in reads:
                        self._listed[call.event_id] = response
                        again.append(i)
                        continue
                    self._remember(call, response)
                    outcomes[i] = Outcome(
                        call, event=None if isinstance(call, Delete) else remote_event(response), attempts=attempts[i]
                    )
                else:
                    verdict, error = self._settle(call, i in reads, exception, zone, attempts[i])
                    if verdict == "again":
                        again.append(i)
                        continue
                    if verdict == "later":
                        later.append(i)
                        ra = self._retry_after(exception)
                        wait_hint = ra if wait_hint is None or (ra is not None and ra > wait_hint) else wait_hint
                        continue
                    if verdict == "stop" or not isinstance(error, CallError):
                        fatal = fatal or error  # quota, credentials, calendar: the push stops after this batch
                        continue
                    outcomes[i] = Outcome(call, error=error, attempts=attempts[i])
                done += 1
                if progress is not None:
                    progress(done, len(calls))
            if fatal is not None:
                raise fatal
            if later:
                # Refused parts wait one backoff, sized by the most-tried of them, then go first into the next batch.
                self.sleep(self._delay(max(attempts[i] for i in later), wait_hint))
            queue = again + later + queue
        return [o for o in outcomes if o is not None]

    def _settle(
        self, call: Call, read: bool, exception: BaseException, zone: str | None, attempt: int
    ) -> tuple[_Verdict, CalsyncError]:
        """What to do with a refused call (a :data:`_Verdict`), and the error it is refused with."""
        retry, error = self._failure(exception, call)
        last = attempt >= self.max_attempts
        if read and isinstance(error, (EventNotFoundError, EventGoneError)):
            return "done", EventNotFoundError(error.message)
        if isinstance(error, ChangedMeanwhileError):
            self._listed.pop(call.event_id, None)
            if getattr(call, "etag", None) is None and not last:
                return "again", error  # read it again and put calsync's fields over the new version
            # The engine wrote conditionally on what it listed: tell it, so it lists again and re-plans (another
            # push or a person changed the event) instead of this backend overwriting the change blindly.
            return "done", error
        if isinstance(error, TimeZoneRefusedError) and not isinstance(call, Delete):
            if self._next_zone(call.content.timezone, zone) and not last:
                return "again", error
            return "done", TimeZoneRefusedError(
                f"Google refused the time zone {call.content.timezone!r} and its other names"
            )
        if retry:
            return ("stop" if last else "later"), error
        return ("done" if isinstance(error, CallError) else "stop"), error

    def _remember(self, call: Call, answer: Any) -> None:
        if isinstance(call, Delete):
            self._listed.pop(call.event_id, None)
        elif isinstance(answer, dict):
            self._listed[call.event_id] = answer

    # -- calendars -----------------------------------------------------------------------------------------------

    def calendar_exists(self, calendar_id: str) -> bool:
        """Whether the calendar is (still) there for this account."""
        try:
            self._execute_one(lambda: self.service.calendars().get(calendarId=calendar_id), "read")
        except CalendarNotFoundError:
            return False
        return True

    def create_calendar(self, name: str, time_zone: str) -> str:
        """Make a calendar named ``name`` in the meeting's zone (or a name of it Google knows), use it, and return its
        id."""
        for zone in [time_zone, *zone_fallbacks(time_zone)]:
            body = {"summary": name, **({"timeZone": zone} if zone else {})}
            try:
                made = self._execute_one(functools.partial(self.service.calendars().insert, body=body), "create")
            except TimeZoneRefusedError:
                continue
            self.calendar_id = str(made["id"])
            return self.calendar_id
        raise BackendError(f"Google refused to make the calendar {name!r}", hint="run 'calsync push' again")

    def share(self, people: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """Give each (e-mail, role) at least that role on this calendar (Google e-mails them the invitation to it);
        return the (e-mail, role) pairs that changed. Nobody's access is lowered or removed."""
        rules: dict[str, dict[str, Any]] = {}
        pages = self._pages(
            lambda token: self.service.acl().list(calendarId=self.calendar_id, pageToken=token), "share"
        )
        for page in pages:
            for rule in page.get("items") or []:
                scope = rule.get("scope") or {}
                if scope.get("type") == "user":
                    rules[str(scope.get("value", "")).lower()] = rule
        changed = []
        for email, role in people:
            rule = rules.get(email.lower())
            if rule is not None and ROLE_RANK.get(rule.get("role", ""), 0) >= ROLE_RANK[role]:
                continue
            body = {"role": role, "scope": {"type": "user", "value": email}}
            acl = self.service.acl()
            if rule is None:
                self._execute_one(functools.partial(acl.insert, calendarId=self.calendar_id, body=body), "share")
            else:
                write = functools.partial(acl.update, calendarId=self.calendar_id, ruleId=rule["id"], body=body)
                self._execute_one(write, "share")
            changed.append((email, role))
        return changed
