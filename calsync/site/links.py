"""Links that add one event to a web calendar: Google Calendar, Outlook.com and Microsoft 365.

None of the three is an official API with a specification; the parameters are the ones these services have long
accepted (documented by the add-event-to-calendar-docs project). Times are given in UTC (``…Z``), so the event lands
at the right instant whatever zone the person's calendar is set to.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

__all__ = ["CalendarLinks", "calendar_links", "safe_web_url"]

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK_COM = "https://outlook.live.com/calendar/deeplink/compose"
MICROSOFT_365 = "https://outlook.office.com/calendar/deeplink/compose"

# Browsers and the services cut long addresses; a description longer than this is shortened (the page has it all).
DETAILS_CHARS = 1500


@dataclass(frozen=True)
class CalendarLinks:
    google: str
    outlook: str
    office: str


def calendar_links(title: str, start: datetime, end: datetime, details: str = "", location: str = "") -> CalendarLinks:
    """The three "add this event" links for one span of time."""
    details = _shorten(details)
    google = {"action": "TEMPLATE", "text": title, "dates": f"{_basic(start)}/{_basic(end)}"}
    if details:
        google["details"] = details
    if location:
        google["location"] = location
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": _extended(start),
        "enddt": _extended(end),
    }
    if details:
        outlook["body"] = details
    if location:
        outlook["location"] = location
    query = _query(outlook)  # Outlook.com and Microsoft 365 read the same parameters
    return CalendarLinks(
        google=f"{GOOGLE}?{_query(google)}", outlook=f"{OUTLOOK_COM}?{query}", office=f"{MICROSOFT_365}?{query}"
    )


def safe_web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link a page may point to; ``None`` for ``javascript:``, ``data:`` and the like."""
    if not url:
        return None
    text = url.strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme not in ("http", "https") or any(c.isspace() or ord(c) < 32 for c in text):
        return None
    return text


def _basic(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _extended(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _query(params: dict[str, str]) -> str:
    """``urlencode(params, quote_via=quote, safe="/")``: spaces as %20, which every one of these services reads as a
    space (not all read "+" so). Values are quoted through a cache: a block's description is in all three links, the
    location and the fixed values in every block's."""
    return "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in params.items())


@functools.lru_cache(maxsize=1024)
def _quoted(text: str) -> str:
    return quote(text, safe="/")


def _shorten(text: str) -> str:
    return text if len(text) <= DETAILS_CHARS else text[: DETAILS_CHARS - 1].rstrip() + "…"
