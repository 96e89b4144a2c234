"""What Google Calendar's refusals mean: for an HTTP status and Google's short reason, the calsync error (with a
remedy a person can act on) and whether to try again. Pure: :mod:`calsync.backends.google`, the one importer of the
client, reads the status, reason and message off the client's ``HttpError`` and asks here.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from ..errors import BackendError, CalendarNotFoundError, CalsyncError, CredentialsError, QuotaError
from .base import (
    Call,
    CallError,
    DuplicateIdError,
    EventGoneError,
    EventNotFoundError,
    ForbiddenError,
    Insert,
    InvalidEventError,
    StaleEventError,
)

__all__ = [
    "Task",
    "refusal",
    "reason_and_message",
    "TimeZoneRefusedError",
    "ChangedMeanwhileError",
    "AUTH_HINT",
    "CALENDAR_HINT",
]

# What calsync was doing when Google refused: it names the permission missing and the remedy.
Task = Literal["events", "create", "share", "read"]

RETRY_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded", "usageLimitsExceeded"}
SCOPE_REASONS = {"insufficientPermissions", "insufficientScopes", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}
AUTH_HINT = "run 'calsync auth' to sign in again (or set GOOGLE_OAUTH_ACCESS_TOKEN to a fresh token)"
CALENDAR_HINT = (
    "check --calendar (Google Calendar → Settings → Integrate calendar → Calendar ID; 'primary' is your "
    "own) and that this account can see and make changes to its events"
)
SCOPE_HINTS: dict[Task, str] = {
    "events": "run 'calsync auth' again (or give GOOGLE_OAUTH_ACCESS_TOKEN a token with the calendar.events scope)",
    "create": "run 'calsync auth --create-calendars' to allow calsync to make calendars (the calendar.app.created "
    "scope)",
    "share": "run 'calsync auth --create-calendars --share-calendars' to allow calsync to share the calendars it makes "
    "(the calendar.acls scope)",
}
_ACTIONS: dict[Task, str] = {
    "events": "list events of",
    "create": "create a calendar for",
    "share": "share",
    "read": "read",
}


class TimeZoneRefusedError(InvalidEventError):
    """Google does not know the zone's name (its zone data lags tzdata: it refused Europe/Kyiv for months)."""


class ChangedMeanwhileError(StaleEventError):
    """The event changed between calsync reading it and writing it (HTTP 412 on ``If-Match``)."""


def reason_and_message(content: object, fallback: str) -> tuple[str, str]:
    """Google's short reason (the first ``errors[].reason``, else its status; ``""`` when there is none) and its
    message, from an error answer's body; ``fallback`` (the HTTP reason phrase) when the body has no message."""
    data = _error_data(content)
    errors = data.get("errors") or []
    first = errors[0] if errors and isinstance(errors[0], dict) else None
    reason = str(first.get("reason", "")) if first is not None else str(data.get("status", ""))
    return reason, str(data.get("message") or fallback or "error")


def _error_data(content: object) -> dict[str, Any]:
    try:
        data = json.loads(content.decode("utf-8") if isinstance(content, bytes) else str(content))
        return data.get("error") or {} if isinstance(data, dict) else {}
    except (ValueError, AttributeError, TypeError):
        return {}


def refusal(
    status: int,
    reason: str,
    message: str,
    *,
    call: Call | None,
    action: Task,
    calendar_id: str,
    service_account: bool,
) -> tuple[bool, CalsyncError]:
    """(retry?, the calsync error) for Google's refusal of ``call`` (None: of the listing or a calendar ``action``).
    Google's own texts appear only as its short reason or message."""
    where = f"calendar {calendar_id!r}"
    if status == 429 or status >= 500 or (status == 403 and reason in RETRY_REASONS):
        return True, BackendError(
            f"Google Calendar kept failing (HTTP {status} {reason or message})",
            hint="try again later: 'calsync push' resumes without duplicating events",
        )
    if status == 403 and reason in QUOTA_REASONS:
        return False, QuotaError(
            f"Google Calendar usage limits exceeded ({reason})",
            hint="wait for the quota to refill (per minute, per day) and run 'calsync push' "
            "again; events already written stay and are not duplicated",
        )
    if status == 401:
        return False, CredentialsError("Google rejected the credentials (HTTP 401)", hint=AUTH_HINT)
    if status == 403 and reason in SCOPE_REASONS:
        hint = SCOPE_HINTS.get(action, SCOPE_HINTS["events"])
        if service_account:
            hint = (
                "allow the service account's client id this scope under domain-wide delegation (or leave --subject out)"
            )
        what = f"{_ACTIONS[action]} {where}" if call is None else f"change events of {where}"
        return False, CredentialsError(
            f"Google Calendar refused to {what}: the sign-in lacks the permission ({reason})", hint=hint
        )
    if status == 403 and reason == "forbiddenForServiceAccounts":
        return False, CredentialsError(
            "Google does not let a service account invite guests without domain-wide delegation",
            hint="give --subject user@your-domain (delegation set up in the Workspace admin console), or leave "
            "out --invite",
        )
    if status == 400 and "time zone definition" in message.lower():
        return False, TimeZoneRefusedError(f"Google does not know the time zone name ({message})")
    if status == 403 and (reason in ("requiredAccessLevel",) or isinstance(call, Insert)):
        return False, CalendarNotFoundError(
            f"{where} is not writable with these credentials ({reason or message})",
            hint="ask its owner for 'Make changes to events' access, or choose another --calendar",
        )
    if status == 404 and (call is None or isinstance(call, Insert)):
        return False, CalendarNotFoundError(
            f"{where} does not exist or is not shared with this account",
            hint="check --calendar (Google Calendar → Settings → Integrate "
            "calendar → Calendar ID); 'primary' is your own calendar",
        )
    if call is None:
        return False, BackendError(
            f"Google Calendar refused to {_ACTIONS[action]} {where}: HTTP {status} {reason or message}",
            hint=_remedy(status),
        )
    return False, _call_error(status, reason, message)


def _remedy(status: int) -> str:
    if status == 403:
        return f"{CALENDAR_HINT} (ask its owner for 'Make changes to events')"
    if status == 400:
        return f"{CALENDAR_HINT}; with --api-endpoint, check that it is a Google Calendar API server"
    return f"{CALENDAR_HINT}, then run 'calsync push' again"


def _call_error(status: int, reason: str, message: str) -> CallError:
    """A refusal of one call the sync engine can act on (or report), by HTTP status."""
    if status == 409:
        return DuplicateIdError(f"the event id already exists ({message})")
    if status == 410:
        return EventGoneError(f"the event was already deleted ({message})")
    if status == 404:
        return EventNotFoundError(f"the event does not exist ({message})")
    if status == 412:
        return ChangedMeanwhileError(f"the event changed in the calendar since calsync read it ({message})")
    if status == 403:
        return ForbiddenError(f"Google refused this change ({reason or message})")
    if status == 400:
        return InvalidEventError(f"Google rejected the event ({message})")
    return CallError(f"HTTP {status} {reason or message}")
