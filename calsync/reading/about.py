"""What an agenda says about the meeting as a whole: its title, its place or platform, and its join link."""

from __future__ import annotations

import re

from .. import regexcache
from ..platforms import conference_urls, platform_named_in
from .lines import URL
from .tags import Tags
from .vocabulary import DOCUMENT_KINDS, alternation

# Headings that name the kind of document rather than the meeting: a better title is looked for first.
_GENERIC = regexcache.compile(
    rf"""
    ^(?:{alternation(DOCUMENT_KINDS)})    # "Agenda", "Ordre du jour", "Tagesordnung"... (vocabulary.DOCUMENT_KINDS)
    [\s:.]*$                              # and nothing else
    """,
    re.I | re.X,
)


def meeting_title(tags: list[Tags]) -> str:
    """The first top-level heading that names the meeting, else the first short line of text near the top, else a
    heading that only names the kind of document ("Schedule")."""
    lines = [
        t.line
        for t in tags
        if t.line.content and not t.times and not t.dates and t.key is None and t.day_number is None
    ]
    for level in (1, 2, 3):
        for line in lines:
            if line.heading == level and not _GENERIC.match(line.text):
                return line.text.strip(" :")
    for line in lines[:15]:
        if 8 <= len(line.text) <= 120 and not _GENERIC.match(line.text) and not line.urls and not line.bullet:
            return line.text.strip(" :*")
    for line in lines:
        if line.heading or _GENERIC.match(line.text):
            return line.text.strip(" :")
    return "Meeting"


def place(tags: list[Tags]) -> tuple[str | None, str | None]:
    """The meeting's location or platform, and its join link."""
    text = "\n".join(t.line.text for t in tags if t.line.text)
    raw = "\n".join(url for t in tags for url in t.line.urls)
    links = conference_urls(raw + "\n" + text)
    conference = links[0] if links else None
    for t in tags:
        if t.key == "place":
            value = URL.sub("", t.value).strip(" .,;")
            return platform_named_in(value) or value or None, conference
    return platform_named_in(text), conference


__all__ = ["meeting_title", "place"]
