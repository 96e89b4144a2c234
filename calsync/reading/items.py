"""What cutting a document into items produces (day marks, items, announced hours), and the state the walk keeps.

The walk itself is in ``segment.py``; table rows and sentences have their own readers in ``rows.py`` and
``prose.py``, which share this state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import WarningCode
from .clock import TimeMention
from .dates import DateMention, WeekdayHeading
from .layout import Layout
from .names import looks_like_name, looks_like_person, names_label
from .tags import Tags
from .titles import is_dangling, split_title


@dataclass
class Doubt:
    """Something the reader chose without being sure, at an item's line: a warning for the organiser."""

    code: WarningCode
    message: str


@dataclass
class DayMark:
    """A line that says which day the items after it are on."""

    line: int
    mention: DateMention | None  # a date ("Monday, 8 April 2013")
    day_number: int | None  # or a numbered day ("Day 2")
    heading: bool  # a heading, a bold line, a "Date:" line or a line that is little more than the date
    publication: bool  # "Last updated 6 March 2013": when the document was written
    weekday: WeekdayHeading | None = None  # or a weekday without its month ("Thursday", "Wednesday, 30th")
    next_day: bool = False  # or nothing but that a new day starts (a table's header row repeated)


@dataclass
class Item:
    """An agenda item as read, before its day, zone and end are settled."""

    line: int
    time: TimeMention
    start: tuple[int, int]
    end: tuple[int, int] | None
    title: str
    day: int  # index into the day marks (-1: before any)
    number: str | None = None
    stated: int | None = None
    description: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    title_line: int | None = None  # where the title came from when not from the time's own line
    day_end: tuple[int, int] | None = None  # "Ende ca. 20:00 Uhr" after it, the last item of its day
    alone: bool = False  # the time stood alone on its line
    prose: bool = False  # read from a sentence
    doubts: list[Doubt] = field(default_factory=list)

    def doubt(self, code: WarningCode, message: str) -> None:
        self.doubts.append(Doubt(code, message))


@dataclass
class Hours:
    """The meeting's announced hours ("Time: 16:00 – 18:00 (CET)"), on the day mark they follow."""

    line: int
    start: tuple[int, int]
    end: tuple[int, int] | None
    day: int


@dataclass
class Segments:
    items: list[Item]
    days: list[DayMark]
    hours: list[Hours]
    unread: list[tuple[int, Doubt]] = field(default_factory=list)  # clock times left in the text, by line


class WalkState:
    """The walk's state, and opening an item: shared by the line, table-row and sentence readers."""

    def __init__(self, tags: list[Tags], layout: Layout) -> None:
        self.tags = tags
        self.layout = layout
        self.items: list[Item] = []
        self.days: list[DayMark] = []
        self.hours: list[Hours] = []
        self.current: Item | None = None  # the item the lines below belong to
        self.names_follow = False  # after a bare "Speakers:" line, the lines below it are names
        self.claimed: set[int] = set()  # lines already used as (part of) a title
        self.at_line = {t.line.no: i for i, t in reversed(list(enumerate(tags)))}  # a line number's first index

    def open_item(self, t: Tags, text: str, at: int | None, title_line: int | None = None) -> Item:
        """A new item at the time of ``t``, titled from ``text``; the lines after ``at`` may continue its title."""
        assert t.time is not None
        title = split_title(text)
        item = Item(
            t.line.no,
            t.time,
            t.time.hm(),
            t.time.end_hm(),
            title.text,
            len(self.days) - 1,
            t.number or title.number,
            title.stated,
            title_line=title_line,
        )
        if title.more and looks_like_name(title.more) and looks_like_person(title.more.strip(" .")):
            item.names.append(title.more.strip(" ."))  # "Welcome – Dr. Ray Ortiz"
        elif title.more:
            item.description.append(title.more)
        if t.time.corrected:
            item.doubt(
                WarningCode.MERIDIEM,
                f"'{item.title or 'item'}': its am/pm made the range run backwards or half a day; "
                f"read as {item.start[0]:02d}:{item.start[1]:02d}–"
                f"{item.end[0]:02d}:{item.end[1]:02d}"
                if item.end
                else "",
            )
        if t.time.approximate:
            item.doubt(
                WarningCode.APPROXIMATE,
                f"'{item.title or 'item'}' starts at about {item.start[0]:02d}:"
                f"{item.start[1]:02d} (the agenda says 'ca.')",
            )
        self.items.append(item)
        self.current = item
        self.names_follow = False
        if title_line is None and at is not None:
            self._join_wrapped_title(item, at)
        return item

    def add_day(self, t: Tags, heading: bool) -> None:
        self.days.append(DayMark(t.line.no, t.dates[0], None, heading, t.publication))

    def close_day(self, time: TimeMention | None) -> None:
        """ "12:00 Adjourn", "Ende ca. 20:00 Uhr": when the last item so far ends."""
        if time is not None and self.items and self.items[-1].end is None:
            self.items[-1].day_end = time.hm()
        self.current = None

    # --- titles wrapped over lines --------------------------------------------------------------------------------

    def _join_wrapped_title(self, item: Item, i: int) -> None:
        """A title wrapped over several lines by PDF extraction ("... on the" / "elements of a draft ...")."""
        j = i + 1
        parts, last = [item.title], item.title  # joined once at the end: a title wrapped over 10,000 lines stays linear
        while is_dangling(last) or self._continues(j):
            k = self._next_text(j)
            if k is None or not self._joinable(k):
                break
            last = self.tags[k].line.text
            parts.append(last)
            self.claimed.add(k)
            j = k + 1
        if len(parts) > 1:
            item.title = " ".join(parts).strip()

    def _continues(self, j: int) -> bool:
        k = self._next_text(j)
        return k is not None and self._joinable(k) and self.tags[k].line.text[:1].islower() and k - j <= 1

    def _next_text(self, j: int) -> int | None:
        """The next line with text, skipping at most one blank line."""
        for k in range(j, min(j + 2, len(self.tags))):
            if self.tags[k].line.text:
                return k
        return None

    def _joinable(self, k: int) -> bool:
        t = self.tags[k]
        line = t.line
        return (
            line.content
            and not (line.heading or line.bullet or line.bold or line.table or line.lead_label or line.lead_bold)
            and not t.times
            and not t.dates
            and t.key is None
            and k not in self.claimed
            and names_label(line.text) is None
        )
