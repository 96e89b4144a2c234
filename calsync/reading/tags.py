"""Stage 2: what each line could be, without deciding anything yet.

For every line: the times in it and where the first one sits (:class:`Position`), the dates, a "Day 2" heading, a
"Key: value" label (time, date, place, title, zone), and the text around the time that could be a title. Later stages
weigh these over the whole document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import cache

from .. import regexcache
from .clock import LEADING_NUMBER, TimeMention, after_time, find_times
from .dates import DateMention, WeekdayHeading, find_dates, find_day_number, find_weekday_heading
from .lines import Line
from .vocabulary import (
    CLOSING,
    DATE_KEYS,
    HOURS_WORDS,
    ONWARDS,
    PLACE_KEYS,
    PUBLICATION,
    TIME_KEYS,
    TITLE_KEYS,
    ZONE_KEYS,
    alternation,
)
from .zonelabels import find_label


class Position(Enum):
    """Where a line's time sits, which is what an agenda's layout is made of."""

    LEAD = "time first"  # "16:00 – 16:30 Welcome"
    ALONE = "time alone"  # "16:00 – 16:30" with the title on the line above or below
    TRAIL = "time last"  # "Welcome ........ 16:00", "Welcome (16:00 – 16:30)"
    MIDDLE = "time in prose"  # "el jueves 21 de mayo de 16 h a 17:15 h se celebrará …"


@dataclass
class Tags:
    """What one line could be."""

    line: Line
    times: list[TimeMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    day_number: int | None = None
    weekday: WeekdayHeading | None = None  # "Tuesday", "Wednesday, 30th": a day heading without its month
    key: str | None = None  # "time", "date", "place", "title", "zone" for a "Key: value" line
    value: str = ""  # the text after "Key:"
    position: Position | None = None  # of the line's first time
    number: str | None = None  # "1." or "TOP 2" written before the time
    text_around: str = ""  # the title-like text: after a leading time, before a trailing one
    closing: bool = False  # "12:00 Adjourn": only says when the meeting or day ends
    sentence: bool = False  # what follows a leading time is running prose ("Ab 11.45 Uhr wird die Registrierung …")
    publication: bool = False  # a date that says when the document was written, not when the meeting is

    @property
    def time(self) -> TimeMention | None:
        return self.times[0] if self.times else None


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    keys = {
        "time": TIME_KEYS,
        "date": DATE_KEYS,
        "place": PLACE_KEYS,
        "title": TITLE_KEYS,
        "zone": ZONE_KEYS,
    }
    key = regexcache.compile(
        r"^(?:"
        + "|".join(f"(?P<{name}>(?i:{alternation(words)}))" for name, words in keys.items())
        + r")\s*(?:\([^)]{1,20}\))?\s*:\s*(?P<value>.*)$"
    )
    closing = regexcache.compile(r"^(?i:" + alternation(CLOSING) + r")(?:\s+(?:\w+\s+)?\d{1,2})?[\s.!]*$")
    publication = regexcache.compile(r"(?i:\b(?:" + alternation(PUBLICATION) + r"))\b")
    filler = regexcache.compile(
        r"^(?i:(?:" + alternation(HOURS_WORDS, ONWARDS) + r"|local|time|[-–—:.,;|()\[\]/]|\s)*)$"
    )
    return key, closing, publication, filler


def is_closing(text: str) -> bool:
    """Whether a title only says the meeting or day ends ("Adjourn", "Clôture", "Ende der Veranstaltung")."""
    return bool(_patterns()[1].match(text.strip(" .!")))


def tag_lines(lines: list[Line]) -> list[Tags]:
    """The :class:`Tags` of every line (empty for blank and furniture lines)."""
    return [tag_line(line) if line.content else Tags(line) for line in lines]


def tag_line(line: Line) -> Tags:
    key_re, closing_re, publication_re, filler_re = _patterns()
    text = line.text
    tags = Tags(line, dates=find_dates(text), day_number=find_day_number(text))
    if not tags.dates:
        tags.weekday = find_weekday_heading(text)
    spans = [(d.start, d.end) for d in tags.dates]
    tags.times = [t for t in find_times(text) if not any(t.start < e and s < t.end for s, e in spans)]
    m = key_re.match(text)
    if m:
        tags.key = next(name for name in ("time", "date", "place", "title", "zone") if m.group(name))
        tags.value = m.group("value")
    tags.publication = bool(tags.dates) and (line.front_matter or bool(publication_re.search(text)))
    first = tags.time
    if first is None:
        return tags
    before = text[: first.lead]
    number = LEADING_NUMBER.match(text)
    if number and number.end() >= first.lead:
        tags.number = number.group("num")
        before = ""
    after = text[after_time(text, tags.times) :]
    for d in reversed(tags.dates):  # "17.04 9.00am Arrival", "Samstag, 14. Mai 2022, 10:00 Uhr: Eröffnung"
        if d.end <= first.lead:
            before = before[: d.start] + before[d.end :]
    if not before.strip(" \t*_#>•·-–|,:"):
        rest = re.sub(r"^(?:Uhr\b)?\s*[:|–—\-.]?\s*", "", after.strip()).strip()
        if filler_re.match(rest) or not re.search(r"[^\W\d_]", rest) or _zone_only(rest):
            tags.position = Position.ALONE
        else:
            tags.position = Position.LEAD
            tags.text_around = rest
            tags.closing = bool(closing_re.match(rest.strip(" .!")))
            tags.sentence = _sentence(rest)
    elif (_trailing(after, tags.times[1:], first) or _dash_before(before)) and re.search(r"[^\W\d_]", before):
        # "Welcome ........ 9:00", "Welcome (9:00 – 9:15)", "Armed Services -- 10:30 a.m. Open. On …"
        tags.position = Position.TRAIL
        tags.text_around = re.sub(r"[\s.…_·:,;|\-–—(\[]+$", "", before).strip(" :,;|–—-")
        tags.closing = bool(closing_re.match(tags.text_around))
    else:
        tags.position = Position.MIDDLE
    return tags


def _trailing(after: str, others: list[TimeMention], first: TimeMention) -> bool:
    """Whether nothing but punctuation, a zone or an hours word follows the time: it ends the line."""
    if others:
        return False
    return not re.search(
        r"[^\W\d_]{3,}", re.sub(r"(?i)\b(?:uhr|hrs?|horas|heures|h|local time|hora local)\b", "", after)
    )


def _zone_only(rest: str) -> bool:
    """ "(Brussels time)", "EST (New York)": what follows the time only says which zone it is in."""
    label = find_label(rest)
    if not label:
        return False
    left = re.sub(r"\([^)]*\)", " ", rest.replace(label, " "))
    left = re.sub(r"(?i)\b(?:time|heure|hora|zeit|uhr|local|all times|times)\b|\b[A-Z]{2,5}\b", " ", left)
    return not re.search(r"[^\W\d_]", left)


def _dash_before(before: str) -> bool:
    """ "Armed Services -- 10:30 a.m.": a short title set off from its time by a dash."""
    return len(before) <= 100 and bool(re.search(r"\S\s+(?:--|–|—)\s*$", before))


def _sentence(rest: str) -> bool:
    """Running prose rather than a title: it starts in lower case and goes on ("spricht Professor Marti über …")."""
    return bool(re.match(r"[a-zà-ÿß]", rest)) and len(rest) > 40 and rest.count(" ") >= 5
