"""Stage 4: cut the document into items under its layout.

Walks the tagged lines once, in order, and emits what a person would note down: day marks (date headings, "Day 2",
"Date:" lines), the announced hours, and items (time, title, number, stated minutes, description, names). Nothing is
resolved to a date or a zone here; every choice the reader was not sure of is recorded on the item as a doubt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clock import END_MARKER, TimeMention, find_times, span_at_start
from .dates import DateMention
from .layout import Direction, Layout, _title_like, is_item_line
from .lines import Line
from .names import looks_like_name, names_label, split_names
from .tags import Position, Tags
from .titles import is_dangling, split_title

_ROOM_HEADER = re.compile(r"(?i)\b(?:room|raum|saal|salle|sala|hall|hörsaal|location|ort|lieu|lugar|venue|where|wo)\b")
_PEOPLE_HEADER = re.compile(
    r"(?i)\b(?:speakers?|wer|referent|redner|intervenant|orateur|ponente|moderat|chair|presenter|panel|responsable|"
    r"verantwortlich|who|qui|quién|leitung)"
)
_TIME_HEADER = re.compile(r"(?i)^(?:time|times|heure|horaire|hora|horario|zeit|uhrzeit|when|quand|wann|start|début|inicio|beginn|end|fin|ende)$")


@dataclass
class Doubt:
    """Something the reader chose without being sure, at an item's line: a warning for the organiser."""

    code: str
    message: str


@dataclass
class DayMark:
    """A line that says which day the items after it are on."""

    line: int
    mention: DateMention | None  # a date ("Monday, 8 April 2013")
    day_number: int | None  # or a numbered day ("Day 2")
    heading: bool  # a heading, a bold line, a "Date:" line or a line that is little more than the date
    publication: bool  # "Last updated 6 March 2013": when the document was written


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
    doubts: list[Doubt] = field(default_factory=list)

    def doubt(self, code: str, message: str) -> None:
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


def segment(tags: list[Tags], layout: Layout) -> Segments:
    """The document's items, day marks and announced hours, in order."""
    return _Walker(tags, layout).walk()


class _Walker:
    def __init__(self, tags: list[Tags], layout: Layout) -> None:
        self.tags = tags
        self.layout = layout
        self.items: list[Item] = []
        self.days: list[DayMark] = []
        self.hours: list[Hours] = []
        self.current: Item | None = None
        self.names_follow = False
        self.claimed = self._claim_titles()
        self.table_header: tuple[str, ...] = ()

    # --- the walk -----------------------------------------------------------------------------------------------

    def walk(self) -> Segments:
        for i, t in enumerate(self.tags):
            line = t.line
            if not line.content:
                self.names_follow = self.names_follow and bool(line.text)
                continue
            if i in self.claimed:
                continue
            if self._meta(t) or self._timed(i, t) or self._day(t) or self._end_marker(t):
                continue
            if line.heading:
                self.current = None
                continue
            self._attach(i, t)
        self._hours_not_items()
        return Segments(self.items, self.days, self.hours)

    def _meta(self, t: Tags) -> bool:
        """"Time: 16:00 – 18:00 (CET)", "Date: 22 juillet 2020", "Location: Zoom": about the meeting, not an item."""
        if t.key is None:
            return False
        if t.key in ("time", "date"):
            if t.dates:
                self._add_day(t, heading=True)
            value_times = find_times(t.value)
            if value_times and not value_times[0].problem:
                first = value_times[0]
                self.hours.append(Hours(t.line.no, first.hm(), first.end_hm(), len(self.days) - 1))
        self.current = None
        return True

    def _timed(self, i: int, t: Tags) -> bool:
        """A line whose time starts an item (or ends the day, or gives the hours)."""
        if self.layout.prose and t.position is Position.MIDDLE and t.key is None and t.time is not None \
                and t.time.b is not None and not t.time.problem:
            self._prose_item(t)
            return True
        if not is_item_line(t):
            if t.time is not None and t.dates and not t.line.table:
                self._add_day(t, heading=True)  # "Monday, 2 March 2026 — 9:00 AM to 11:00 AM": the day's hours
                first = t.time
                if first.b is not None and not first.problem:
                    self.hours.append(Hours(t.line.no, first.hm(), first.end_hm(), len(self.days) - 1))
                self.current = None
                return True
            return False
        if t.time is not None and t.time.problem and t.position in (Position.LEAD, Position.ALONE):
            span_at_start(t.line.text[t.time.lead:], t.line.no)  # raises the error that names the line
        if t.line.table and len(t.line.cells) >= 2:
            return self._table_row(t)
        if t.position is Position.LEAD:
            if t.dates:
                self._add_day(t, heading=True)  # "Samstag, 14. Mai 2022, 10:00 Uhr: Eröffnung"
            if t.closing and self.items:
                self._close_day(t.time)  # "12:00 Adjourn", "17h15 Clôture": when the day ends, not an item
                return True
            self._open(t, t.text_around)
            return True
        if t.position is Position.ALONE:
            title_line = self.claimed_by.get(i)
            title = self.tags[title_line].line.text if title_line is not None else ""
            item = self._open(t, title, title_line=self.tags[title_line].line.no if title_line is not None else None)
            item.alone = True
            if title_line is not None and self.layout.close_call:
                item.doubt("layout", f"title '{item.title}' taken from the line {self.layout.direction.value} the time "
                                     f"(line {item.title_line}); the line {_other(self.layout.direction)} was almost as likely")
            return True
        if t.position is Position.TRAIL and (self.layout.trailing_times or t.line.heading or t.line.bold):
            if t.closing and self.items:
                self._close_day(t.time)  # "Ende ca. 20:00 Uhr"
            else:
                self._open(t, t.text_around)
            return True
        return False

    def _open(self, t: Tags, text: str, title_line: int | None = None) -> Item:
        assert t.time is not None
        title = split_title(text)
        item = Item(t.line.no, t.time, t.time.hm(), t.time.end_hm(), title.text, len(self.days) - 1,
                    t.number or title.number, title.stated, title_line=title_line)
        if title.more and looks_like_name(title.more) and _person_like(title.more):
            item.names.append(title.more.strip(" ."))
        elif title.more:
            item.description.append(title.more)
        if t.time.approximate:
            item.doubt("approximate", f"'{item.title or 'item'}' starts at about {item.start[0]:02d}:{item.start[1]:02d} "
                                      "(the agenda says 'ca.')")
        self.items.append(item)
        self.current = item
        self.names_follow = False
        if title_line is None:
            self._join_wrapped_title(item, t)
        return item

    def _prose_item(self, t: Tags) -> None:
        """"el jueves, 21 de mayo de 16 h-17:15 h (hora de España)": an event written in a sentence."""
        assert t.time is not None
        text = t.line.text
        before = [d for d in t.dates if d.end <= t.time.start]
        lead = text[: before[-1].start] if before else text[: t.time.lead]
        words = lead.rstrip(" ,").split()
        while words and words[-1].lower().strip(",") in {"el", "le", "am", "on", "the", "ce", "este", "de", "del", "du"}:
            words.pop()
        if t.dates:
            self._add_day(t, heading=True)
        item = self._open(t, " ".join(words) or text)
        item.doubt("prose", f"'{item.title}' was read from a sentence ({item.start[0]:02d}:{item.start[1]:02d}); "
                            "check it is a session of the meeting")

    def _table_row(self, t: Tags) -> bool:
        """| time | title | speaker | room |, in any order: the time cell, the title cell, and the rest by header."""
        cells = list(t.line.cells)
        header = t.line.header or self.table_header
        k = next((n for n, c in enumerate(cells) if find_times(c)), None)
        if k is None:
            return False
        time_cell = cells[k]
        span_text = time_cell
        if k + 1 < len(cells) and _only_time(cells[k + 1]) and _only_time(time_cell):
            span_text = f"{time_cell} – {cells[k + 1]}"  # | 09:00 | 09:30 | Welcome |: start and end columns
            del cells[k + 1]
        from .tags import tag_line

        inner = tag_line(Line(t.line.no, span_text, span_text))
        if inner.time is None:
            return False
        rest = inner.text_around if inner.position is Position.LEAD else ""
        others = [(n, c) for n, c in enumerate(cells) if n != k]
        title_at = next((n for n, c in others if n > k and re.search(r"[^\W\d_]", c) and not _is_header_kind(header, n)), None)
        if title_at is None:
            title_at = next((n for n, c in others if re.search(r"[^\W\d_]", c) and not _is_header_kind(header, n)), None)
        title = " ".join(x for x in (rest, cells[title_at] if title_at is not None else "") if x)
        t2 = Tags(t.line, times=inner.times, position=Position.LEAD, number=inner.number or t.number)
        if inner.closing and not cells[title_at:title_at + 1] and self.items:
            self._close_day(inner.time)
            return True
        item = self._open(t2, title)
        for n, cell in others:
            if n != title_at:
                _table_cell(item, header[n] if n < len(header) else "", cell)
        return True

    def _close_day(self, time: TimeMention | None) -> None:
        if time is not None and self.items and self.items[-1].end is None:
            self.items[-1].day_end = time.hm()
        self.current = None

    def _day(self, t: Tags) -> bool:
        """A date heading, a "Day 2" heading, or a date line: the items after it are on that day."""
        line = t.line
        if line.table and not t.times and not t.dates:
            self.table_header = line.cells  # a flattened or tab-separated table's header row
            return False
        if t.day_number is not None and not t.dates and (line.heading or line.bold or len(line.text) <= 40):
            self.days.append(DayMark(line.no, None, t.day_number, True, False))
            self.current = None
            return True
        if not t.dates:
            return False
        text = line.text
        first = t.dates[0]
        heading = bool(line.heading or line.bold)
        if not (heading or len(text) <= 90):
            return False
        if self.current is not None and not heading:
            # under an item a date is far more often part of its text ("resolution 79/105 of 4 December 2024")
            prose = text[:1].islower() or text[:1] in "(["
            mostly_date = first.start <= 3 and len(first.text) >= 0.6 * len(text.strip(" .:"))
            if prose or not (first.weekday is not None or mostly_date):
                return False
        self._add_day(t, heading=heading or first.start <= 3)
        self.current = None
        return True

    def _add_day(self, t: Tags, heading: bool) -> None:
        mention = t.dates[0]
        number = t.day_number if mention is None else None
        self.days.append(DayMark(t.line.no, mention, number, heading, t.publication))

    def _end_marker(self, t: Tags) -> bool:
        """"Ende ca. 20:00 Uhr", "Fin de la réunion : 18h": the end of the day's last item."""
        m = END_MARKER.match(t.line.text)
        if not (m and self.items and self.items[-1].end is None):
            return False
        times = find_times(m.group("t"))
        if not times:
            return False
        self._close_day(times[0])
        return True

    # --- what follows an item ------------------------------------------------------------------------------------

    def _attach(self, i: int, t: Tags) -> None:
        """Names and description lines under the current item."""
        item = self.current
        if item is None:
            return
        line, text = t.line, t.line.text
        found = names_label(text)
        if found is not None:
            names, bare = found
            item.names.extend(names)
            self.names_follow = bare
            return
        if (self.names_follow and (line.bullet or looks_like_name(text))) or \
                ((line.bold or line.italic) and looks_like_name(text) and not line.heading) or line.lead_bold:
            item.names.append(text.strip(" .*_"))
            return
        self.names_follow = False
        item.description.append(("• " if line.bullet else "") + text)

    def _join_wrapped_title(self, item: Item, t: Tags) -> None:
        """A title wrapped over several lines by PDF extraction ("... on the" / "elements of a draft ...")."""
        i = self.tags.index(t) if t in self.tags else -1
        if i < 0:
            return
        j = i + 1
        while is_dangling(item.title) or self._continues(j):
            k = self._next_text(j)
            if k is None or not self._joinable(k):
                break
            item.title = f"{item.title} {self.tags[k].line.text}".strip()
            self.claimed.add(k)
            j = k + 1

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
        return line.content and not (line.heading or line.bullet or line.bold or line.table or line.lead_label
                                     or line.lead_bold) and not t.times and not t.dates and t.key is None \
            and k not in self.claimed and names_label(line.text) is None

    # --- titles of times that stand alone ------------------------------------------------------------------------

    def _claim_titles(self) -> set[int]:
        """Which line gives the title of each time standing alone: below or above it, as the layout says."""
        self.claimed_by: dict[int, int] = {}
        claimed: set[int] = set()
        order = [self.layout.direction, Direction.ABOVE if self.layout.direction is Direction.BELOW else Direction.BELOW]
        content = [i for i, t in enumerate(self.tags) if t.line.content]
        where = {i: k for k, i in enumerate(content)}
        alone = [i for i in content if is_item_line(self.tags[i]) and self.tags[i].position is Position.ALONE
                 and not (self.tags[i].line.table and len(self.tags[i].line.cells) >= 2)]
        for i in alone:
            for direction in order:
                k = where[i] + (1 if direction is Direction.BELOW else -1)
                if not 0 <= k < len(content):
                    continue
                j = content[k]
                if j in claimed or not _title_like(self.tags[j]) or _only_link(self.tags[j].line):
                    continue
                self.claimed_by[i] = j
                claimed.add(j)
                break
        return claimed

    # --- after the walk -------------------------------------------------------------------------------------------

    def _hours_not_items(self) -> None:
        """A first range with no title of its own that spans the items after it is the day's hours, not an item
        ("**2:00 PM – 3:30 PM EST**" under the date, "09:30 – 17:00 (Brussels time)")."""
        keep: list[Item] = []
        for n, item in enumerate(self.items):
            later = [x for x in self.items[n + 1:] if x.day == item.day]
            first_of_day = all(x.day != item.day for x in keep)
            if item.alone and item.end is not None and first_of_day and len(later) >= 2 \
                    and all(item.start <= x.start and (x.end or x.start) <= item.end for x in later) \
                    and (item.title_line is None or not _strong_title(self.tags, item)):
                self.hours.append(Hours(item.line, item.start, item.end, item.day))
                if item.title_line is not None:
                    self.claimed.discard(item.title_line)
                continue
            keep.append(item)
        self.items = keep


def _strong_title(tags: list[Tags], item: Item) -> bool:
    """Whether the title claimed by a range is a heading or bold: a session spanning its items, not the hours."""
    assert item.title_line is not None
    line = tags[item.title_line - 1].line
    return bool(line.heading or line.bold)


def _other(direction: Direction) -> str:
    return "above" if direction is Direction.BELOW else "below"


def _only_time(cell: str) -> bool:
    times = find_times(cell)
    return bool(times) and not re.search(r"[^\W\d_]{3,}", cell[: times[0].lead] + cell[times[-1].end:])


def _only_link(line: Line) -> bool:
    return bool(line.urls) and len(re.sub(r"https?://\S+", "", line.text).strip(" :*-")) < 12


def _person_like(text: str) -> bool:
    from .names import looks_like_person

    return looks_like_person(text.strip(" ."))


def _is_header_kind(header: tuple[str, ...], n: int) -> bool:
    """Whether column ``n`` holds people, rooms or times rather than titles, by its header."""
    if n >= len(header):
        return False
    h = header[n]
    return bool(_ROOM_HEADER.search(h) or _PEOPLE_HEADER.search(h) or _TIME_HEADER.match(h.strip()))


def _table_cell(item: Item, header: str, cell: str) -> None:
    """A table cell after the title: a room goes to the description, people to the names."""
    if _TIME_HEADER.match(header.strip()):
        return
    if _ROOM_HEADER.search(header) or re.match(r"(?i)(?:room|raum|saal|salle|sala|hs|aula)\b", cell):
        item.description.append(f"{header or 'Room'}: {cell}")
    elif _PEOPLE_HEADER.search(header) or (not header and looks_like_name(cell)):
        item.names.extend(split_names(cell))
    else:
        item.description.append(f"{header}: {cell}" if header else cell)
