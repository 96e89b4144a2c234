"""``calsync push --caldav URL``: check the CalDAV options and open the calendar the push writes to.

The HTTP client is imported here, inside the function, so commands that never push never load it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ..errors import MissingExtraError, UsageError
from .app import note

__all__ = ["check_caldav_url", "open_caldav"]


def check_caldav_url(url: str) -> str:
    """The URL if it is an http(s) URL with a host and no password in it; a one-line error otherwise."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"--caldav {url!r} is not an http(s) URL",
            hint="give the calendar's URL or the server's, e.g. --caldav https://caldav.fastmail.com/",
        )
    if parts.password is not None or parts.username is not None:
        # A password on the command line is visible to every user of the machine (ps) and stays in shell history.
        raise UsageError(
            "--caldav URL must not contain a user name or password",
            hint="give the user with --username and the password in CALSYNC_CALDAV_PASSWORD, ~/.netrc or the keyring",
        )
    return text


def open_caldav(url: str, username: str | None, calendar: str | None, create: bool, dry_run: bool) -> Any:
    """The backend for the push: the CalDAV calendar, found (and with ``create``, made) by name when one is given.

    A dry run never creates a calendar: when it does not exist yet, the plan is made against an empty one.
    """
    try:
        from ..backends.caldav import CalDAVCalendar, NoSuchCalendarError
        from ..backends.caldav_auth import caldav_login
    except ImportError as e:  # httpx is in the [caldav] extra
        raise MissingExtraError(
            f"pushing to CalDAV needs {e.name or 'httpx'}", hint="install it with: pip install 'calsync[caldav]'"
        ) from None
    if calendar is None and create:
        raise UsageError("--create needs --calendar NAME", hint="name the calendar to create, e.g. --calendar Team")
    login = caldav_login(url, username)
    try:
        backend = CalDAVCalendar.connect(url, login=login, calendar=calendar, create=create and not dry_run)
    except NoSuchCalendarError:
        if not (dry_run and create):
            raise
        from ..backends.memory import MemoryCalendar

        note(f"calsync: calendar {calendar!r} does not exist yet: 'calsync push --create' makes it")
        return MemoryCalendar(), f"{calendar} (to be created)"
    if backend.created_calendar:
        note(f"calsync: created calendar {calendar!r} at {backend.url}")
    elif calendar is not None:
        note(f"calsync: calendar {calendar!r} is {backend.url} (give that URL to --caldav to skip the look-up)")
    return backend, backend.url
