"""Google Calendar behind the :class:`~calsync.backends.base.Backend` interface; the only importer of googleapiclient.

Writes go in batches of at most 50 calls to ``<root>/batch/calendar/v3`` (built explicitly: the client's own batch
helper ignores ``api_endpoint``). The library retries nothing inside a batch, so failed parts are retried here, per
call, with capped exponential backoff and jitter; so are single requests and whole batches lost to the network.
Every ``HttpError`` and transport error is turned into a calsync error at this boundary.
"""

from __future__ import annotations

import functools
import http.client
import json
import random
import time
from datetime import datetime
from typing import Any, Callable, Sequence, TypeVar

import google.auth.exceptions
import google_auth_httplib2
import httplib2
from googleapiclient.discovery import build
from googleapiclient.errors import BatchError, HttpError
from googleapiclient.http import BatchHttpRequest

from ..errors import BackendError, CalendarNotFoundError, CalsyncError, CredentialsError, QuotaError
from .google_auth import refresh_error
from .base import (
    BLOCK_PROP,
    HASH_PROP,
    MEETING_PROP,
    Call,
    CallError,
    Delete,
    DuplicateIdError,
    EventContent,
    EventGoneError,
    EventNotFoundError,
    ForbiddenError,
    Insert,
    InvalidEventError,
    Outcome,
    Progress,
    RemoteEvent,
    Update,
)

T = TypeVar("T")

__all__ = ["GoogleCalendar", "DEFAULT_ROOT", "endpoint_urls", "event_body", "patch_body"]

DEFAULT_ROOT = "https://www.googleapis.com/"
SERVICE_PATH = "calendar/v3/"
BATCH_PATH = "batch/calendar/v3"
BATCH_LIMIT = 50  # Google allows more per batch, but one calendar written fast hits per-part rate limits
RETRY_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded", "usageLimitsExceeded"}
TRANSPORT_ERRORS = (OSError, httplib2.HttpLib2Error, http.client.HTTPException)
LIST_FIELDS = "items(id,status,summary,description,location,start,end,extendedProperties),nextPageToken"
AUTH_HINT = "run 'calsync auth' to sign in again (or set GOOGLE_OAUTH_ACCESS_TOKEN to a fresh token)"


def endpoint_urls(api_endpoint: str | None) -> tuple[str, str]:
    """The client's ``api_endpoint`` and the batch URI for a server root or a full ``…/calendar/v3/`` endpoint."""
    if not api_endpoint:
        return DEFAULT_ROOT + SERVICE_PATH, DEFAULT_ROOT + BATCH_PATH
    base = api_endpoint if api_endpoint.endswith("/") else api_endpoint + "/"
    root = base[: -len(SERVICE_PATH)] if base.endswith(SERVICE_PATH) else base
    return root + SERVICE_PATH, root + BATCH_PATH


def event_body(content: EventContent, *, event_id: str | None = None) -> dict[str, Any]:
    """The Calendar v3 ``Event`` resource for ``content``; ``status: confirmed`` also restores a deleted event."""
    body: dict[str, Any] = {
        "summary": content.summary,
        "description": content.description,
        "start": {"dateTime": content.start.isoformat(), "timeZone": content.timezone},
        "end": {"dateTime": content.end.isoformat(), "timeZone": content.timezone},
        "status": "confirmed",
        "extendedProperties": {"private": content.private_properties()},
    }
    if content.location:
        body["location"] = content.location
    if event_id is not None:
        body["id"] = event_id
    return body


def patch_body(content: EventContent) -> dict[str, Any]:
    """The ``events.patch`` body of an update or a restore: calsync's fields only, so guests, reminders, colour and
    anything else added by hand stay. An empty description or location is sent as ``""`` (omitting it would keep the
    old text); the private properties are merged key by key by Google, so other apps' keys stay too."""
    body = event_body(content)
    body["description"] = content.description or ""
    body["location"] = content.location or ""
    return body


def remote_event(item: dict[str, Any]) -> RemoteEvent:
    """A listed or written Google event as the sync engine sees it."""
    props = (item.get("extendedProperties") or {}).get("private") or {}
    return RemoteEvent(
        id=str(item["id"]),
        meeting_key=str(props.get(MEETING_PROP, "")),
        block_key=props.get(BLOCK_PROP),
        content_hash=props.get(HASH_PROP),
        start=_instant(item.get("start")),
        end=_instant(item.get("end")),
        summary=str(item.get("summary") or ""),
        cancelled=item.get("status") == "cancelled",
        description=str(item.get("description") or ""),
        location=str(item.get("location") or ""),
    )


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, dict) or not value.get("dateTime"):
        return None  # all-day or missing: never equal to a block's instant, so the block gets rewritten
    try:
        parsed = datetime.fromisoformat(str(value["dateTime"]).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _reason(error: HttpError) -> str:
    """The first ``errors[].reason`` of Google's error body (``""`` when there is none)."""
    try:
        data = json.loads(error.content.decode("utf-8") if isinstance(error.content, bytes) else error.content)
        errors = data.get("error", {}).get("errors") or []
        return str(errors[0].get("reason", "")) if errors else str(data.get("error", {}).get("status", ""))
    except (ValueError, AttributeError, TypeError, IndexError):
        return ""


def _message(error: HttpError) -> str:
    try:
        data = json.loads(error.content.decode("utf-8") if isinstance(error.content, bytes) else error.content)
        return str(data["error"]["message"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return str(getattr(error.resp, "reason", "") or "error")


def _listing_remedy(status: int, reason: str) -> str:
    check = ("check --calendar (Google Calendar → Settings → Integrate calendar → Calendar ID; 'primary' is your own) "
             "and that this account can see and make changes to its events")
    if status == 403 and reason in ("insufficientPermissions", "insufficientScopes", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"):
        return ("the token lacks the calendar.events scope: run 'calsync auth' again (or give "
                "GOOGLE_OAUTH_ACCESS_TOKEN a token with that scope)")
    if status == 403:
        return (f"{check} (ask its owner for 'Make changes to events'); if the token lacks the calendar.events "
                "scope, run 'calsync auth' again")
    if status == 400:
        return f"{check}; with --api-endpoint, check that it is a Google Calendar API server"
    return f"{check}, then run 'calsync push' again"


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
            secrets = [s for s in (getattr(self.credentials, "token", None),
                                   getattr(self.credentials, "refresh_token", None))
                       if isinstance(s, str) and len(s) >= 8]  # real tokens are long; "x" in tests is no secret
            if any(s in e.message or s in (e.hint or "") for s in secrets):
                for secret in secrets:
                    e.message = e.message.replace(secret, "[token]")
                    e.hint = e.hint.replace(secret, "[token]") if e.hint else e.hint
                e.args = (e.sentence(),)
            raise
        except Exception as e:  # noqa: BLE001 - see above; the type says enough, the text may hold a token
            raise BackendError(f"the request to Google Calendar failed ({type(e).__name__})",
                               hint="check the credentials and --api-endpoint, then run 'calsync push' again") from None

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
        send_updates: str = "none",
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        max_attempts: int = 6,
        base_delay: float = 1.0,
        max_delay: float = 32.0,
        batch_size: int = BATCH_LIMIT,
        page_size: int = 2500,
        service_account: bool = False,
    ) -> None:
        if not 1 <= batch_size <= BATCH_LIMIT:
            raise ValueError(f"batch_size must be 1..{BATCH_LIMIT}")
        self.service = service
        self.calendar_id = calendar_id
        self.batch_uri = batch_uri
        self.send_updates = send_updates
        self.sleep = sleep  # tests pass a no-op so retries are instant
        self.rand = rand
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.batch_size = batch_size
        self.page_size = page_size
        self.round_trips = 0
        self.service_account = service_account  # decides the remedy when Google refuses to refresh the token

    @classmethod
    def connect(cls, credentials: Any, calendar_id: str = "primary", *, api_endpoint: str | None = None,
                timeout: float = 60.0, **options: Any) -> GoogleCalendar:
        """Build the real client for ``credentials`` (optionally against another server) and wrap it."""
        endpoint, batch_uri = endpoint_urls(api_endpoint)
        http = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=timeout))
        service = build("calendar", "v3", http=http, static_discovery=True, cache_discovery=False,
                        client_options={"api_endpoint": endpoint})
        from google.oauth2 import service_account as sa

        options.setdefault("service_account", isinstance(credentials, sa.Credentials))
        backend = cls(service, calendar_id, batch_uri=batch_uri, **options)
        backend.credentials = credentials
        return backend

    # -- retries -----------------------------------------------------------------------------------------------------

    def _delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Capped exponential backoff with jitter (half fixed, half random), at least what the server asked."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        delay = ceiling / 2 + self.rand() * ceiling / 2
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_delay))
        return delay

    def _classify(self, error: HttpError, call: Call | None) -> tuple[bool, CalsyncError]:
        """(retry?, the calsync error) for an HTTP error of a listing (call None) or of one call."""
        status = int(error.resp.status)
        reason = _reason(error)
        message = _message(error)
        where = f"calendar {self.calendar_id!r}"
        if status == 429 or status >= 500 or (status == 403 and reason in RETRY_REASONS):
            return True, BackendError(f"Google Calendar kept failing (HTTP {status} {reason or message})",
                                      hint="try again later: 'calsync push' resumes without duplicating events")
        if status == 403 and reason in QUOTA_REASONS:
            return False, QuotaError(f"Google Calendar usage limits exceeded ({reason})",
                                     hint="wait for the quota to refill (per minute, per day) and run 'calsync push' "
                                          "again; events already written stay and are not duplicated")
        if status == 401:
            return False, CredentialsError("Google rejected the credentials (HTTP 401)", hint=AUTH_HINT)
        if status == 403 and (reason in ("requiredAccessLevel", "forbiddenForServiceAccounts") or isinstance(call, Insert)):
            return False, CalendarNotFoundError(f"{where} is not writable with these credentials ({reason or message})",
                                                hint="ask its owner for 'Make changes to events' access, or choose "
                                                     "another --calendar")
        if status == 404 and (call is None or isinstance(call, Insert)):
            return False, CalendarNotFoundError(f"{where} does not exist or is not shared with this account",
                                                hint="check --calendar (Google Calendar → Settings → Integrate "
                                                     "calendar → Calendar ID); 'primary' is your own calendar")
        if call is None:
            return False, BackendError(f"Google Calendar refused to list events of {where}: HTTP {status} "
                                       f"{reason or message}", hint=_listing_remedy(status, reason))
        if status == 409:
            return False, DuplicateIdError(f"the event id already exists ({message})")
        if status == 410:
            return False, EventGoneError(f"the event was already deleted ({message})")
        if status == 404:
            return False, EventNotFoundError(f"the event does not exist ({message})")
        if status == 403:
            return False, ForbiddenError(f"Google refused this change ({reason or message})")
        if status == 400:
            return False, InvalidEventError(f"Google rejected the event ({message})")
        return False, CallError(f"HTTP {status} {reason or message}")

    @staticmethod
    def _retry_after(error: HttpError) -> float | None:
        try:
            value = error.resp.get("retry-after")
            return float(value) if value is not None else None
        except (TypeError, ValueError, AttributeError):
            return None

    # -- reading -----------------------------------------------------------------------------------------------------

    def _retrying(self, send: Callable[[], T]) -> T:
        """One round trip, repeated for transient faults with capped backoff; everything else as a calsync error."""
        for attempt in range(1, self.max_attempts + 1):
            retry_after = None
            last = attempt == self.max_attempts
            try:
                self.round_trips += 1
                return send()
            except HttpError as e:
                retry, error = self._classify(e, None)
                if not retry or last:
                    raise error from None
                retry_after = self._retry_after(e)
            except google.auth.exceptions.RefreshError as e:
                raise refresh_error(e, service_account=self.service_account, hint=AUTH_HINT) from None
            except (google.auth.exceptions.TransportError, *TRANSPORT_ERRORS) as e:
                # A batch may have been done before the connection dropped: resending is safe because inserts use
                # deterministic ids (a repeat is a 409 the sync engine resolves) and updates/deletes are idempotent.
                if last:
                    raise self._unreachable(e) from None
            except BatchError:
                if last:
                    raise BackendError("Google Calendar sent a batch answer calsync cannot read",
                                       hint="run 'calsync push' again") from None
            self.sleep(self._delay(attempt, retry_after))
        raise AssertionError("unreachable")

    def _execute_one(self, make: Callable[[], Any]) -> Any:
        """Run one request, retrying transient faults; raise calsync errors."""
        return self._retrying(lambda: make().execute(num_retries=0))

    def _unreachable(self, error: Exception) -> BackendError:
        return BackendError(f"cannot reach Google Calendar ({type(error).__name__})",
                            hint="check the network (and --api-endpoint) and run 'calsync push' again")

    @_sealed
    def list_events(self, meeting_key: str) -> list[RemoteEvent]:
        """Every event carrying this meeting's key, cancelled ones included; follows every page."""
        events: list[RemoteEvent] = []
        token: str | None = None
        seen: set[str] = set()
        while True:
            page = self._execute_one(lambda token=token: self.service.events().list(
                calendarId=self.calendar_id,
                privateExtendedProperty=f"{MEETING_PROP}={meeting_key}",
                showDeleted=True,  # events deleted by hand keep their id: the plan must see them to restore them
                maxResults=self.page_size,
                pageToken=token,
                fields=LIST_FIELDS,
            ))
            for item in page.get("items") or []:
                if item.get("id") and item["id"] not in seen:
                    seen.add(item["id"])
                    events.append(remote_event(item))
            token = page.get("nextPageToken")
            if not token:  # a page may be short or even empty while more remain: only the token says when to stop
                return events

    # -- writing -----------------------------------------------------------------------------------------------------

    def _request(self, call: Call) -> Any:
        events = self.service.events()
        if isinstance(call, Insert):
            return events.insert(calendarId=self.calendar_id, body=event_body(call.content, event_id=call.event_id),
                                 sendUpdates=self.send_updates)
        if isinstance(call, Update):
            # patch, not update (a full replace): guests, reminders and colour added by hand must survive a push.
            return events.patch(calendarId=self.calendar_id, eventId=call.event_id, body=patch_body(call.content),
                                sendUpdates=self.send_updates)
        return events.delete(calendarId=self.calendar_id, eventId=call.event_id, sendUpdates=self.send_updates)

    def _send_batch(self, calls: Sequence[Call]) -> list[tuple[Any, HttpError | None]]:
        """One batch round trip (retried whole when the batch itself fails); one (response, error) per call."""

        def send() -> list[tuple[Any, HttpError | None]]:
            results: dict[str, tuple[Any, HttpError | None]] = {}

            def collect(request_id: str, response: Any, exception: HttpError | None) -> None:
                results[request_id] = (response, exception)

            batch = BatchHttpRequest(callback=collect, batch_uri=self.batch_uri)
            for i, call in enumerate(calls):
                batch.add(self._request(call), request_id=str(i))
            batch.execute()
            return [results[str(i)] for i in range(len(calls))]

        return self._retrying(send)

    @_sealed
    def execute(self, calls: Sequence[Call], progress: Progress | None = None) -> list[Outcome]:
        """Run the calls in batches of at most 50, retrying failed parts per call; one outcome per call, in order."""
        outcomes: list[Outcome | None] = [None] * len(calls)
        attempts = [0] * len(calls)
        queue = list(range(len(calls)))
        done = 0
        while queue:
            chunk, queue = queue[: self.batch_size], queue[self.batch_size:]
            answers = self._send_batch([calls[i] for i in chunk])
            retry: list[int] = []
            fatal: CalsyncError | None = None
            wait_hint: float | None = None
            for i, (response, exception) in zip(chunk, answers):
                attempts[i] += 1
                if exception is None:
                    event = None if isinstance(calls[i], Delete) else remote_event(response)
                    outcomes[i] = Outcome(calls[i], event=event, attempts=attempts[i])
                else:
                    transient, error = self._classify(exception, calls[i])
                    if transient and attempts[i] < self.max_attempts:
                        retry.append(i)
                        ra = self._retry_after(exception)
                        wait_hint = ra if wait_hint is None or (ra is not None and ra > wait_hint) else wait_hint
                        continue
                    if not isinstance(error, CallError):
                        fatal = fatal or error  # quota, credentials, calendar: the push stops after this batch
                        continue
                    outcomes[i] = Outcome(calls[i], error=error, attempts=attempts[i])
                done += 1
                if progress is not None:
                    progress(done, len(calls))
            if fatal is not None:
                raise fatal
            if retry:
                # Failed parts go first into the next batch, after one backoff sized by the most-tried of them.
                self.sleep(self._delay(max(attempts[i] for i in retry), wait_hint))
                queue = retry + queue
        return [o for o in outcomes if o is not None]
