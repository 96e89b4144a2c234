"""Stage 4: cut the document into items under its layout.

Walks the tagged lines once, in order, and emits what a person would note down: day marks (date headings, "Day 2",
"Date:" lines), the announced hours, and items (time, title, number, stated minutes, description, names). Nothing is
resolved to a date or a zone here; every choice the reader was not sure of is recorded on the item as a doubt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clock import END_MARKER, TimeMention, find_times, span_at_start
from .dates import DateMention, WeekdayHeading
from .layout import Direction, Layout, _title_like, is_item_line
from .lines import Line
from .names import looks_like_name, names_label, split_names
from .tables import TableShape, header_role, table_groups
from .tags import Position, Tags, tag_line
from .titles import is_dangling, split_title
from .zonelabels import find_label



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
        self.shapes = table_groups(tags)

    # --- the walk -----------------------------------------------------------------------------------------------

    def walk(self) -> Segments:
        for i, t in enumerate(self.tags):
            line = t.line
            if not line.content:
                self.names_follow = self.names_follow and bool(line.text)
                continue
            if i in self.claimed:
                continue
            if self._days_side_by_side(i) or self._meta(t) or self._timed(i, t) or self._parallel_row(i, t) \
                    or self._day(t) or self._end_marker(t):
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
        if self.layout.prose and (t.position in (Position.MIDDLE, Position.TRAIL) or t.sentence) and t.key is None \
                and self._prose_items(i, t):
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
        if t.line.table and len(t.line.cells) >= 2 and self._table_row(i, t):
            return True
        if t.sentence and self.layout.prose and self._prose_items(i, t):
            return True  # "Ab 11.45 Uhr wird die Registrierung geöffnet sein": a sentence, not a title
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
        if t.position is Position.TRAIL and (self.layout.trailing_times or t.line.heading or t.line.bold
                                             or _titled_range(t)):
            if t.dates:
                self._add_day(t, heading=True)  # "01.06.2019: Barcamp 13 - 19 Uhr"
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

    def _prose_items(self, i: int, t: Tags) -> bool:
        """Events written in sentences ("el jueves, 21 de mayo de 16 h-17:15 h", "Ab 11.45 Uhr wird die Registrierung
        geöffnet", "hoy 28 de abril a las 18:00 horas"): one item per time, each warned about."""
        if t.dates:
            self._add_day(t, heading=True)
        text = t.line.text
        found = False
        for n, time in enumerate(t.times):
            if time.problem or not time.a.strong:
                continue
            if n and _zone_follows(text, time):
                continue  # "16 h-17:15 h (hora de España) 9:00 AM hora Colombia": the same event, another clock
            if any(x.time.hm() == time.hm() and x.prose and self._same_day(x.day, len(self.days) - 1) for x in self.items):
                continue  # the same event said twice ("hoy a las 18:00 … El evento se llevará a cabo a las 18:00")
            alone = sum(1 for x in t.times if x.a.strong and not x.problem) == 1  # one event in the paragraph
            title = _prose_title(text, time, t) or (alone and self._title_above(i)) or _clause(text, time)
            item = self._open(Tags(t.line, times=[time], position=Position.LEAD), title)
            item.prose = True
            item.doubt("prose", f"'{item.title}' was read from a sentence ({item.start[0]:02d}:{item.start[1]:02d}); "
                                "check it is a session of the meeting and its title")
            found = True
        return found

    def _heading_hours(self, item: Item) -> bool:
        """"### Journée intensive (9h-22h)": a heading with the day's hours in parentheses, over the day's items."""
        line = next(t.line for t in self.tags if t.line.no == item.line)
        return bool(line.heading) and _parenthesised(line, item.time)

    def _same_day(self, a: int, b: int) -> bool:
        """Whether two day marks name the same day (as written: "28 de abril" twice)."""
        if a == b:
            return True
        ma, mb = (self.days[a].mention if a >= 0 else None), (self.days[b].mention if b >= 0 else None)
        return ma is not None and mb is not None and (ma.day, ma.month) == (mb.day, mb.month)

    def _title_above(self, i: int) -> str | None:
        """A heading, bullet or bold line just above a paragraph: the event the paragraph is about."""
        for k in range(i - 1, max(-1, i - 4), -1):
            above = self.tags[k]
            if not above.line.text:
                continue
            line = above.line
            if (line.heading or line.bullet or line.bold) and _title_like(above) and len(line.text) <= 150:
                return line.text
            if above.times or len(line.text) > 150:
                return None
        return None

    def _table_row(self, i: int, t: Tags) -> bool:
        """A table row: its cells read by the roles of their columns (time, end, day, title, people, room)."""
        shape = self.shapes.get(i)
        if shape is None:
            return False
        cells = list(t.line.cells) + [""] * (len(shape.roles) - len(t.line.cells))
        self._table_day(t, shape, cells)
        at = shape.column("time")
        if at is None or not find_times(cells[at]):
            at = next((n for n, c in enumerate(cells) if shape.role(n) not in ("date",) and find_times(c)), None)
        if at is None:
            return self._untimed_row(t, shape, cells)
        span_text = cells[at]
        end_at = shape.column("end")
        if end_at is not None and end_at != at and find_times(cells[end_at]) and len(find_times(cells[at])) == 1 \
                and find_times(cells[at])[0].b is None:
            span_text = f"{cells[at]} – {cells[end_at]}"  # | 09:00 | 09:30 | Welcome |: start and end columns
        inner = tag_line(Line(t.line.no, span_text, span_text))
        if inner.time is None or inner.time.problem:
            return False
        title_at = _title_column(shape, cells, at)
        if title_at is None or title_at == at or not cells[title_at].strip():
            # another title-like column, or (a row shifted or with its columns swapped) a time or end cell that holds
            # words instead ("| 18:30 | Social Event |" under Start | Ende | Titel)
            wordy = [n for n, c in enumerate(cells) if n not in (at, end_at) and re.search(r"[^\W\d_]", c)]
            title_at = next((n for n in wordy if shape.role(n) in ("title", "other")), None)
            if title_at is None:
                title_at = next((n for n in wordy + [end_at] if n is not None and shape.role(n) in ("time", "end")
                                 and not find_times(cells[n]) and cells[n].strip()), None)
        rest = inner.text_around if inner.position is Position.LEAD else ""
        title = " – ".join(x for x in (rest, cells[title_at] if title_at is not None else "") if x)
        if inner.closing and title_at is None and self.items:
            self._close_day(inner.time)
            return True
        item = self._open(Tags(t.line, times=inner.times, position=Position.LEAD, number=inner.number or t.number),
                          title)
        for n, cell in enumerate(cells):
            if n not in (at, end_at, title_at) and cell.strip() and shape.role(n) != "date":
                _table_cell(item, shape.role(n), shape.header[n] if n < len(shape.header) else "", cell)
        return True

    def _table_day(self, t: Tags, shape: TableShape, cells: list[str]) -> None:
        """A day column ("Mercredi 17 Septembre 2025", "Jour 2"): the row's day."""
        at = shape.column("date")
        if at is None or not cells[at].strip():
            return
        inner = tag_line(Line(t.line.no, cells[at], cells[at]))
        if inner.dates or inner.day_number is not None:
            self.days.append(DayMark(t.line.no, inner.dates[0] if inner.dates else None,
                                     inner.day_number if not inner.dates else None, True, False))

    def _days_side_by_side(self, i: int) -> bool:
        """A table whose days are columns side by side: read one day's column after the other, at its first row."""
        shape = self.shapes.get(i)
        if shape is None or not shape.day_columns:
            return False
        if i != shape.rows[0]:
            return True  # read with the table's first row
        header_line = self.tags[shape.rows[0]].line.no
        for day_at, time_at in shape.day_columns:
            heading = tag_line(Line(header_line, shape.header[day_at], shape.header[day_at]))
            self.days.append(DayMark(header_line, heading.dates[0], None, True, False))
            for k in shape.rows:
                row = self.tags[k]
                cells = list(row.line.cells) + [""] * len(shape.roles)
                cell = tag_line(Line(row.line.no, cells[time_at], cells[time_at]))
                if cell.time is None or cell.time.problem or not cells[day_at].strip():
                    continue
                self._open(Tags(row.line, times=cell.times, position=Position.LEAD), cells[day_at])
        self.current = None
        return True

    def _parallel_row(self, i: int, t: Tags) -> bool:
        shape = self.shapes.get(i)
        if shape is None or t.times or not t.line.table:
            return False
        cells = list(t.line.cells) + [""] * (len(shape.roles) - len(t.line.cells))
        return self._untimed_row(t, shape, cells)

    def _untimed_row(self, t: Tags, shape: TableShape, cells: list[str]) -> bool:
        """A row with an empty time cell under a timed row: a parallel session at the same time."""
        at = shape.column("time")
        title_at = shape.column("title")
        previous = self.items[-1] if self.items else None
        if at is None or title_at is None or cells[at].strip() or not cells[title_at].strip() or previous is None \
                or previous.line < t.line.no - 3:
            return False
        item = Item(t.line.no, previous.time, previous.start, previous.end, split_title(cells[title_at]).text,
                    len(self.days) - 1)
        item.doubt("time-above", f"'{item.title}' has no time of its own; read as at the same time as the row above "
                                 f"({previous.start[0]:02d}:{previous.start[1]:02d})")
        for n, cell in enumerate(cells):
            if n not in (at, title_at) and cell.strip() and shape.role(n) not in ("date", "end"):
                _table_cell(item, shape.role(n), shape.header[n] if n < len(shape.header) else "", cell)
        self.items.append(item)
        self.current = item
        return True

    def _close_day(self, time: TimeMention | None) -> None:
        if time is not None and self.items and self.items[-1].end is None:
            self.items[-1].day_end = time.hm()
        self.current = None

    def _day(self, t: Tags) -> bool:
        """A date heading, a "Day 2" heading, or a date line: the items after it are on that day."""
        line = t.line
        if line.table and not t.times and not t.dates:
            shape = self.shapes.get(self._index(t))
            if shape is not None and len(shape.header) >= 2 and any(header_role(c) for c in shape.header) \
                    and tuple(c for c in line.cells if c) == tuple(c for c in shape.header if c) and self.items:
                # | Actividad | Hora inicio | Hora fin | again after the rows of one day: the next day's table
                self.days.append(DayMark(line.no, None, None, False, False, None, next_day=True))
                self.current = None
                return True
            return False  # a table's header row, or a row without a time
        if t.day_number is not None and not t.dates and (line.heading or line.bold or len(line.text) <= 40):
            self.days.append(DayMark(line.no, None, t.day_number, True, False))
            self.current = None
            return True
        if t.weekday is not None and not t.times:
            self.days.append(DayMark(line.no, None, None, True, False, t.weekday))
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

    def _index(self, t: Tags) -> int:
        return self.tags.index(t)

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
            spans = item.end is not None and len(later) >= 2 and first_of_day \
                and all(item.start <= x.start and (x.end or x.start) <= item.end for x in later)
            if spans and ((item.alone and not item.title) or self._heading_hours(item)):
                self.hours.append(Hours(item.line, item.start, item.end, item.day))
                continue
            keep.append(item)
        self.items = keep


def _prose_title(text: str, time: TimeMention, t: Tags) -> str | None:
    """A title a sentence gives its event: what it says before the date ("Webinar La cultura en Iberoamérica el
    jueves, 21 de mayo de 16 h-17:15 h") when that is short, or a quoted name ("la mesa redonda “Política en …”")."""
    sentence = _sentence_around(text, time)
    offset = text.find(sentence)
    before = [d for d in t.dates if offset <= d.start and d.end <= time.start]
    lead = text[offset: before[-1].start] if before else ""
    words = lead.rstrip(" ,").split()
    while words and words[-1].lower().strip(",") in {"el", "le", "am", "on", "the", "ce", "este", "de", "del", "du",
                                                     "hoy", "today", "heute", "aujourd'hui"}:
        words.pop()
    if 2 <= len(words) <= 25 and words[0][:1].isupper():
        return " ".join(words)
    quoted = re.search(r"[“„«\"]([^”“«»\"]{6,120})[”“»\"]", sentence)
    return quoted.group(1).strip() if quoted else None


def _zone_follows(text: str, time: TimeMention) -> bool:
    """Whether a zone is named right after a time ("9:00 AM hora Colombia", "(15:00 CET)")."""
    return bool(time.zone or find_label(text[time.end: time.end + 30]) or
                re.match(r"\s*\(?(?i:hora|heure|time|zeit|horas?)\b", text[time.end:]))


def _sentence_around(text: str, time: TimeMention) -> str:
    start = max(text.rfind(". ", 0, time.start) + 1, 0)
    end = text.find(". ", time.end)
    return text[start: end if end >= 0 else len(text)].strip()


def _clause(text: str, time: TimeMention) -> str:
    """The clause around a time, short: the title of last resort for an event written in prose."""
    sentence = _sentence_around(text, time)
    at = text.find(sentence)
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^,;]+?(?=\s+(?:und|and|et|y)\s+|[,;]|$)", sentence)]
    clause = next((sentence[a:b] for a, b in parts if a + at <= time.start < b + at + 1), sentence)
    clause = clause.replace(text[time.lead: time.end], " ").strip(" ,;.")
    clause = " ".join(clause.split())
    return clause if len(clause) <= 100 else clause[:100].rsplit(" ", 1)[0] + " …"


def _parenthesised(line: Line, time: TimeMention) -> bool:
    return line.text[:time.lead].rstrip().endswith("(") and line.text[time.end:].lstrip().startswith(")")


def _title_column(shape: TableShape, cells: list[str], at: int) -> int | None:
    """The title cell of a row: of several title columns ("Actividad / Presentador(es)" | "Tema"), the first that does
    not hold only people's names."""
    titled = [n for n, role in enumerate(shape.roles) if role == "title" and n != at and n < len(cells) and cells[n].strip()]
    for n in titled:
        if not _only_people(cells[n]):
            return n
    return titled[0] if titled else shape.column("title")


def _only_people(cell: str) -> bool:
    """"Emiliano Castillo con Diego Pérez", "Luis Beltrán": a cell of names, not a title."""
    from .names import looks_like_person

    parts = [p for p in re.split(r"\s*(?:,|;|&|\b(?:con|and|y|et|und|with|avec|mit)\b)\s*", cell) if p.strip()]
    return bool(parts) and all(looks_like_person(p.strip(" .")) for p in parts)


def _titled_range(t: Tags) -> bool:
    """"Block 1 Vormittag von 09:00 bis 12:00": a short item whose title comes before its range."""
    time = t.time
    return time is not None and time.b is not None and time.lead < time.start and len(t.line.text) <= 80 \
        and (t.line.bullet or len(t.line.text) <= 60)


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


def _table_cell(item: Item, role: str, header: str, cell: str) -> None:
    """A table cell beside the title: people go to the names, a room or anything else to the description."""
    if role in ("time", "end"):
        return
    if role == "people" or (role == "other" and not header and looks_like_name(cell) and _person_like(cell)):
        item.names.extend(split_names(cell))
    elif role == "room" or re.match(r"(?i)(?:room|raum|saal|salle|sala|hs|aula)\b", cell):
        item.description.append(f"{header or 'Room'}: {cell}")
    else:
        item.description.append(f"{header}: {cell}" if header else cell)
