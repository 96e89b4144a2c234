"""Stage 4: cut the document into items under its layout.

Walks the tagged lines once, in order, and emits what a person would note down: day marks (date headings, "Day 2",
"Date:" lines), the announced hours, and items (time, title, number, stated minutes, description, names). Table rows
are read in ``rows.py``, sentences in ``prose.py``. Nothing is resolved to a date or a zone here; every choice the
reader was not sure of is recorded on the item as a doubt.
"""

from __future__ import annotations

import re
from collections import Counter

from .. import regexcache
from ..model import WarningCode
from .clock import END_MARKER, TimeMention, find_times, span_at_start
from .items import DayMark, Doubt, Hours, Item, Segments
from .layout import Direction, Layout, is_item_line, title_like
from .lines import Line
from .names import looks_like_name, looks_like_person, names_label
from .prose import ProseReading
from .rows import RowReading
from .tables import table_groups
from .tags import Position, Tags, tag_line
from .vocabulary import ROOMS, STREET_WORDS, STREETS, alternation

__all__ = ["segment", "Segments", "Item", "DayMark", "Hours"]


def segment(tags: list[Tags], layout: Layout) -> Segments:
    """The document's items, day marks and announced hours, in order."""
    return _Walker(tags, layout).walk()


class _Walker(RowReading, ProseReading):
    def __init__(self, tags: list[Tags], layout: Layout) -> None:
        super().__init__(tags, layout)
        self.claimed_by, self.venues = _claim_titles(tags, layout)
        self.claimed = set(self.claimed_by.values()) | set(self.venues.values())
        self.shapes = table_groups(tags)
        self.time_keys = sum(1 for t in tags if t.key == "time")
        self.unread: list[Doubt] = []
        self.unread_lines: list[int] = []

    def walk(self) -> Segments:
        for i, t in enumerate(self.tags):
            line = t.line
            if not line.content:
                self.names_follow = self.names_follow and bool(line.text)
                continue
            if i in self.claimed:
                continue
            if (
                self.days_side_by_side(i)
                or self._about_meeting(i, t)
                or self._timed(i, t)
                or self.row_without_time(i, t)
                or self._day(t)
                or self._end_marker(t)
            ):
                continue
            self._note_unread_time(t)
            if line.heading:
                self.current = None
                continue
            self._attach(t)
        self._hours_not_items()
        return Segments(self.items, self.days, self.hours, list(zip(self.unread_lines, self.unread, strict=False)))

    def _note_unread_time(self, t: Tags) -> None:
        """A clock time the reader left in the text ("Lunch will be served at 12:30"): said, so that a session the
        reader missed is not missed in silence."""
        times = [x for x in t.times if x.a.strong and not x.problem and not x.until]
        if times:
            first = times[0]
            where = f" under '{self.current.title}'" if self.current is not None else ""
            self.unread.append(
                Doubt(
                    WarningCode.TIME_NOT_READ,
                    f"{t.line.text[first.lead : first.end].strip()} is read as text"
                    f"{where}, not as a session of its own; make it a line of its own if it is one",
                )
            )
            self.unread_lines.append(t.line.no)

    def _about_meeting(self, i: int, t: Tags) -> bool:
        """ "Time: 16:00 – 18:00 (CET)", "Date: 22 juillet 2020", "Location: Zoom": about the meeting, not an item.

        Many "Time:" lines are the items' own ("Hora: 10:00 a 14:00" / "Actividad: …", a programme kept as data)."""
        if t.key is None:
            return False
        if t.key == "time" and self.time_keys >= 3 and self._keyed_item(i, t):
            return True
        if t.key in ("time", "date"):
            if t.dates:
                self.add_day(t, heading=True)
            times = find_times(t.value)
            if times and not times[0].problem:
                self.hours.append(Hours(t.line.no, times[0].hm(), times[0].end_hm(), len(self.days) - 1))
        self.current = None
        return True

    def _keyed_item(self, i: int, t: Tags) -> bool:
        """ "Hora: "10:00 a 14:00"" with the title on the next "Key: value" line."""
        value = t.value.strip().strip("\"'")
        inner = tag_line(Line(t.line.no, value, value))
        if inner.time is None or inner.time.problem:
            return False
        nxt = next((k for k in range(i + 1, min(i + 3, len(self.tags))) if self.tags[k].line.content), None)
        title = ""
        if nxt is not None and re.match(r"^[^\W\d][\w ]{1,30}:\s*\S", self.tags[nxt].line.text):
            title = self.tags[nxt].line.text.split(":", 1)[1].strip().strip("\"'")
            self.claimed.add(nxt)
        self.open_item(Tags(t.line, times=inner.times, position=Position.LEAD), title or inner.text_around, None)
        return True

    def _timed(self, i: int, t: Tags) -> bool:
        """A line whose time starts an item (or ends the day, or gives the day's hours)."""
        if (
            self.layout.prose
            and t.key is None
            and (t.position in (Position.MIDDLE, Position.TRAIL) or t.sentence)
            and self.prose_items(i, t)
        ):
            return True
        if not is_item_line(t):
            return self._heading_with_hours(t)
        assert t.time is not None
        if t.time.problem and t.position in (Position.LEAD, Position.ALONE):
            span_at_start(t.line.text[t.time.lead :], t.line.no)  # raises the error that names the line
        if t.line.table and len(t.line.cells) >= 2 and self.table_row(i, t):
            return True
        if t.position is Position.LEAD:
            if t.dates:
                self.add_day(t, heading=True)  # "Samstag, 14. Mai 2022, 10:00 Uhr: Eröffnung"
            if t.closing and self.items:
                self.close_day(t.time)  # "12:00 Adjourn", "17h15 Clôture": when the day ends, not an item
            else:
                self.open_item(t, t.text_around, i)
            return True
        if t.position is Position.ALONE:
            self._alone(i, t)
            return True
        if t.position is Position.TRAIL and (
            self.layout.trailing_times or t.line.heading or t.line.bold or _titled_range(t)
        ):
            if t.dates:
                self.add_day(t, heading=True)  # "01.06.2019: Barcamp 13 - 19 Uhr"
            if t.closing and self.items:
                self.close_day(t.time)  # "Ende ca. 20:00 Uhr"
            else:
                self.open_item(t, t.text_around, i)
            return True
        return False

    def _heading_with_hours(self, t: Tags) -> bool:
        """ "Monday, 2 March 2026 — 9:00 AM to 11:00 AM": a day heading with the day's hours."""
        if t.time is None or not t.dates or t.line.table:
            return False
        self.add_day(t, heading=True)
        if t.time.b is not None and not t.time.problem:
            self.hours.append(Hours(t.line.no, t.time.hm(), t.time.end_hm(), len(self.days) - 1))
        self.current = None
        return True

    def _alone(self, i: int, t: Tags) -> None:
        """A time alone on its line: its title is the line the layout says (or none: perhaps the day's hours)."""
        k = self.claimed_by.get(i)
        item = self.open_item(
            t,
            self.tags[k].line.text if k is not None else "",
            None,
            title_line=self.tags[k].line.no if k is not None else None,
        )
        item.alone = True
        if i in self.venues:
            above = self.tags[self.venues[i]].line.text
            if looks_like_person(above):
                item.names.insert(0, above)  # the speaker named before the talk's title
            else:
                item.description.insert(0, above)  # the venue named before the title
        if k is not None and self.layout.close_call:
            other = "above" if self.layout.direction is Direction.BELOW else "below"
            item.doubt(
                WarningCode.LAYOUT,
                f"title '{item.title}' taken from the line {self.layout.direction.value} the time "
                f"(line {item.title_line}); the line {other} was almost as likely",
            )

    def _day(self, t: Tags) -> bool:
        """A date heading, a "Day 2" heading, a weekday heading or a date line: the items after it are on that day."""
        line = t.line
        if t.day_number is not None and not t.dates and (line.heading or line.bold or len(line.text) <= 40):
            self.days.append(DayMark(line.no, None, t.day_number, True, False))
        elif t.weekday is not None and not t.times:
            self.days.append(DayMark(line.no, None, None, True, False, t.weekday))
        elif t.dates and self._dates_the_programme(t):
            self.add_day(t, heading=bool(line.heading or line.bold) or t.dates[0].start <= 3)
        else:
            return False
        self.current = None
        return True

    def _dates_the_programme(self, t: Tags) -> bool:
        """Whether a line with a date is a day heading rather than text that mentions a date.

        Under an item a date is far more often part of its text ("resolution 79/105 of 4 December 2024"), so there
        only a heading, a weekday or a line that is little more than the date moves the day.
        """
        text, first = t.line.text, t.dates[0]
        heading = bool(t.line.heading or t.line.bold)
        if not (heading or len(text) <= 90):
            return False
        if self.current is None or heading:
            return True
        prose = text[:1].islower() or text[:1] in "(["
        mostly_date = first.start <= 3 and len(first.text) >= 0.6 * len(text.strip(" .:"))
        return not prose and (first.weekday is not None or mostly_date)

    def _end_marker(self, t: Tags) -> bool:
        """ "Ende ca. 20:00 Uhr", "Fin de la réunion : 18h": the end of the day's last item."""
        m = END_MARKER.match(t.line.text)
        if not (m and self.items and self.items[-1].end is None):
            return False
        times = find_times(m.group("t"))
        if not times:
            return False
        self.close_day(times[0])
        return True

    def _attach(self, t: Tags) -> None:
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
        if (
            (self.names_follow and (line.bullet or looks_like_name(text)))
            or ((line.bold or line.italic) and looks_like_name(text) and not line.heading)
            or line.lead_bold
        ):
            item.names.append(text.strip(" .*_"))
            return
        self.names_follow = False
        item.description.append(("• " if line.bullet else "") + text)

    def _hours_not_items(self) -> None:
        """A first range with no title of its own, or a heading's range in parentheses ("### Journée intensive
        (9h-22h)"), that spans the items after it is the day's hours, not an item."""
        by_day: dict[int, list[Item]] = {}
        for item in self.items:
            by_day.setdefault(item.day, []).append(item)
        hours = set()
        for first, *later in by_day.values():
            end = first.end
            if (
                end is not None
                and len(later) >= 2
                and all(first.start <= x.start and (x.end or x.start) <= end for x in later)
                and ((first.alone and not first.title) or self._heading_hours(first))
            ):
                self.hours.append(Hours(first.line, first.start, end, first.day))
                hours.add(id(first))
        self.items = [item for item in self.items if id(item) not in hours]

    def _heading_hours(self, item: Item) -> bool:
        line = self.tags[self.at_line[item.line]].line
        return bool(line.heading) and _parenthesised(line, item.time)


def _claim_titles(tags: list[Tags], layout: Layout) -> tuple[dict[int, int], dict[int, int]]:
    """Which line gives the title of each time standing alone: below or above it, as the layout says (else the
    other way), never a line another time has taken; and, where the line below a time is its venue ("18.30 h" /
    "Antigua iglesia de la Misericordia" / "Conferencia: …"), which line is the venue (the title is the one after)."""
    claimed_by: dict[int, int] = {}
    venues: dict[int, int] = {}
    taken: set[int] = set()
    other = Direction.ABOVE if layout.direction is Direction.BELOW else Direction.BELOW
    content = [i for i, t in enumerate(tags) if t.line.content]
    where = {i: k for k, i in enumerate(content)}
    below_times = Counter(
        tags[content[where[i] + 1]].line.text.casefold()
        for i in content
        if tags[i].position is Position.ALONE and where[i] + 1 < len(content)
    )
    for i in content:
        t = tags[i]
        if not (is_item_line(t) and t.position is Position.ALONE) or (t.line.table and len(t.line.cells) >= 2):
            continue
        for direction in (layout.direction, other):
            k = where[i] + (1 if direction is Direction.BELOW else -1)
            if not 0 <= k < len(content):
                continue
            j = content[k]
            if j in taken or not title_like(tags[j]) or _only_link(tags[j].line):
                continue
            after = content[k + 1] if direction is Direction.BELOW and k + 1 < len(content) else None
            if (
                after is not None
                and after not in taken
                and title_like(tags[after])
                and not tags[after].line.bullet
                and not looks_like_person(tags[after].line.text.split(",")[0].strip())
                and (below_times[tags[j].line.text.casefold()] >= 2 or _venue(tags[j].line.text))
            ):
                venues[i] = j  # the same place under several times, or an address: the venue, then the title
                taken.add(j)
                j = after
            elif direction is Direction.BELOW and looks_like_person(tags[j].line.text):
                quoted = _quoted_below(tags, content, k)  # "10.00" / "Dr. Hellmut Borschberg" / role / "„Title“"
                if quoted is not None and quoted not in taken:
                    venues[i] = j
                    taken.add(j)
                    j = quoted
            claimed_by[i] = j
            taken.add(j)
            break
    return claimed_by, venues


# An address or a room: "Marienstraße 15 b", "Platz der Demokratie 2/3", "Salle 3", "Aula Magna", "Foyer"
_VENUE = regexcache.compile(
    rf"""
    \b(?:{alternation(STREETS)})\b.*\d      # a street, then its number: "Marienstraße 15 b", "Calle Mayor 3"
    | \d.*\b(?:{alternation(STREET_WORDS)})\b    # a number, then the street: "12 rue de la Paix", "10 Downing Street"
    | ^(?:{alternation(ROOMS)})\b            # a room or hall: "Salle 3", "Aula Magna", "Foyer"
    """,
    re.I | re.X,
)


def _quoted_below(tags: list[Tags], content: list[int], k: int) -> int | None:
    """The first fully quoted line among the three after ``content[k]`` (a talk's title under its speaker)."""
    for m in range(k + 1, min(k + 4, len(content))):
        t = tags[content[m]]
        if t.times:
            return None
        if re.fullmatch(r"[\"„“«»‚‘'](.{4,200})[\"“”«»‘’']\.?", t.line.text.strip()):
            return content[m]
    return None


def _venue(text: str) -> bool:
    return len(text) <= 100 and bool(_VENUE.search(text))


def _titled_range(t: Tags) -> bool:
    """ "Block 1 Vormittag von 09:00 bis 12:00": a short item whose title comes before its range."""
    time = t.time
    return (
        time is not None
        and time.b is not None
        and time.lead < time.start
        and len(t.line.text) <= 80
        and (t.line.bullet or len(t.line.text) <= 60)
    )


def _parenthesised(line: Line, time: TimeMention) -> bool:
    return line.text[: time.lead].rstrip().endswith("(") and line.text[time.end :].lstrip().startswith(")")


def _only_link(line: Line) -> bool:
    return bool(line.urls) and len(re.sub(r"https?://\S+", "", line.text).strip(" :*-")) < 12
