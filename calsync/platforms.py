"""Video-meeting platforms: recognised by a join link's host, or by name in text. One detector for the reader (which
platform an agenda names) and for event text (which platform a join link is on)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from . import regexcache
from .reading.vocabulary import MEETING_WORDS, ON_PLATFORM, alternation

__all__ = ["PLATFORM_HOSTS", "platform_of_url", "platform_named_in", "conference_urls"]

PLATFORM_HOSTS: tuple[tuple[str, str], ...] = (
    ("zoom.us", "Zoom"),
    ("zoomgov.com", "Zoom"),
    ("teams.microsoft.com", "Microsoft Teams"),
    ("teams.live.com", "Microsoft Teams"),
    ("meet.google.com", "Google Meet"),
    ("webex.com", "Webex"),
    ("meet.jit.si", "Jitsi Meet"),
    ("whereby.com", "Whereby"),
    ("gotomeeting.com", "GoToMeeting"),
    ("bluejeans.com", "BlueJeans"),
    ("bigbluebutton", "BigBlueButton"),
    ("skype.com", "Skype"),
)
# Names as words. "Teams" alone is often just a word ("UN Country Teams", "Salle des Steamteams"): only the
# product's name, "via/on Teams" or "Teams meeting" count.
_NAMED: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Microsoft Teams",
        regexcache.compile(
            rf"""
            \b(?:Microsoft|MS)\s+Teams\b                                  # the product's name
            | \b(?:{alternation(ON_PLATFORM)})\s+(?:MS\s+)?Teams\b        # "via Teams", "sur Teams", "über Teams"
            | \bTeams[-\ ](?:{alternation(MEETING_WORDS)})                # "Teams meeting", "Teams-Besprechung"
            """,
            re.I | re.X,
        ),
    ),
    ("Zoom", regexcache.compile(r"\bZoom\b", re.I)),
    ("Google Meet", regexcache.compile(r"\bGoogle\s+Meet\b", re.I)),
    ("Webex", regexcache.compile(r"\bWebex\b", re.I)),
    ("Jitsi Meet", regexcache.compile(r"\bJitsi\b", re.I)),
    ("Whereby", regexcache.compile(r"\bWhereby\b", re.I)),
    ("GoToMeeting", regexcache.compile(r"\bGoToMeeting\b", re.I)),
    ("BigBlueButton", regexcache.compile(r"\bBigBlueButton\b", re.I)),
    ("Skype", regexcache.compile(r"\bSkype\b", re.I)),
)
_URL = regexcache.compile(r"https?://[^\s<>()\"'\]\[|*]+", re.I)


def platform_of_url(url: str | None) -> str | None:
    """The platform a join link is on, by its host ("https://us02web.zoom.us/j/1" → "Zoom")."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for suffix, name in PLATFORM_HOSTS:
        if host == suffix or host.endswith("." + suffix) or suffix in host.split("."):
            return name
    return None


def platform_named_in(text: str | None) -> str | None:
    """The platform a text names ("Réunion virtuelle sur Zoom" → "Zoom"), or None."""
    if not text:
        return None
    for name, pattern in _NAMED:
        if pattern.search(text):
            return name
    return None


def conference_urls(text: str) -> list[str]:
    """The join links in ``text`` (links to a known platform), without trailing punctuation or markup."""
    found = []
    for raw in _URL.findall(text):
        url = raw.rstrip(".,;:!?*_'\"")
        while url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        if platform_of_url(url):
            found.append(url)
    return found
