"""Reading table rows during the walk: each cell by the role of its column (``tables.py`` decides the roles)."""

from __future__ import annotations

import re

from ..model import WarningCode
from .clock import find_times
from .items import DayMark, Item, WalkState
from .lines import Line
from .names import looks_like_name, looks_like_person, split_names
from .tables import TableShape, header_role
from .tags import Position, Tags, is_closing, tag_line
from .titles import split_title


class RowReading(WalkState):
    """Table rows: a timed row is an item, a row without its time a parallel session, a repeated header a new day."""

    shapes: dict[int, TableShape]

    def table_row(self, i: int, t: Tags) -> bool:
        """A table row: its cells read by the roles of their columns (time, end, day, title, people, room)."""
        shape = self.shapes.get(i)
        if shape is None:
            return False
        cells = _cells(t, shape)
        self._row_day(t, shape, cells)
        at = shape.column("time")
        if at is None or not find_times(cells[at]):
            at = next((n for n, c in enumerate(cells) if shape.role(n) != "date" and find_times(c)), None)
        if at is None:
            return self._row_without_time(t, shape, cells)
        span_text = cells[at]
        end_at = shape.column("end")
        starts = find_times(cells[at])
        if (
            end_at is not None
            and end_at != at
            and find_times(cells[end_at])
            and len(starts) == 1
            and starts[0].b is None
        ):
            span_text = f"{cells[at]} – {cells[end_at]}"  # | 09:00 | 09:30 | Welcome |: start and end columns
        inner = tag_line(Line(t.line.no, span_text, span_text))
        if inner.time is None or inner.time.problem:
            return False
        tracks = [n for n in range(len(cells)) if shape.role(n) == "track" and cells[n].strip()]
        if tracks:
            self._parallel_tracks(t, inner, shape, cells, tracks)
            return True
        title_at = _title_column(shape, cells, at, end_at)
        rest = inner.text_around if inner.position is Position.LEAD else ""
        title = " – ".join(x for x in (rest, cells[title_at] if title_at is not None else "") if x)
        if (inner.closing and title_at is None or is_closing(title)) and inner.time.b is None and self.items:
            self.close_day(inner.time)  # | 4:00 | Adjourn |: when the day ends
            return True
        if not title and not any(c.strip() for n, c in enumerate(cells) if n not in (at, end_at)):
            self.current = None
            return True  # | 2:45 pm - 3:00 pm |  |  |: a time with nothing in it
        item = self.open_item(
            Tags(t.line, times=inner.times, position=Position.LEAD, number=inner.number or t.number), title, None
        )
        for n, cell in enumerate(cells):
            if n not in (at, end_at, title_at) and cell.strip() and shape.role(n) != "date":
                _other_cell(item, shape.role(n), shape.header[n] if n < len(shape.header) else "", cell)
        return True

    def _parallel_tracks(self, t: Tags, inner: Tags, shape: TableShape, cells: list[str], tracks: list[int]) -> None:
        """| 03:00 pm | Talk in room A | Talk in room B |: one item per room, each with its room in the description."""
        for n in tracks:
            item = self.open_item(Tags(t.line, times=inner.times, position=Position.LEAD), cells[n], None)
            header = shape.header[n] if n < len(shape.header) else ""
            if header:
                item.description.append(
                    f"Room: {header}" if header_role(header) != "room" or len(tracks) < 2 else header
                )

    def days_side_by_side(self, i: int) -> bool:
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
                self.open_item(Tags(row.line, times=cell.times, position=Position.LEAD), cells[day_at], None)
        self.current = None
        return True

    def row_without_time(self, i: int, t: Tags) -> bool:
        """A table row with no time at all: a parallel session, or the header again (the next day's table)."""
        shape = self.shapes.get(i)
        if shape is None or t.times or not t.line.table:
            return False
        if (
            len(shape.header) >= 2
            and any(header_role(c) for c in shape.header)
            and self.items
            and tuple(c for c in t.line.cells if c) == tuple(c for c in shape.header if c)
        ):
            # | Actividad | Hora inicio | Hora fin | again after the rows of one day: the next day's table
            self.days.append(DayMark(t.line.no, None, None, False, False, None, next_day=True))
            self.current = None
            return True
        return self._row_without_time(t, shape, _cells(t, shape))

    def _row_day(self, t: Tags, shape: TableShape, cells: list[str]) -> None:
        """A day column ("Mercredi 17 Septembre 2025", "Jour 2"): the row's day."""
        at = shape.column("date")
        if at is None or not cells[at].strip():
            return
        inner = tag_line(Line(t.line.no, cells[at], cells[at]))
        if inner.dates or inner.day_number is not None:
            self.days.append(
                DayMark(
                    t.line.no,
                    inner.dates[0] if inner.dates else None,
                    inner.day_number if not inner.dates else None,
                    True,
                    False,
                )
            )

    def _row_without_time(self, t: Tags, shape: TableShape, cells: list[str]) -> bool:
        """A row with an empty time cell under a timed row: a parallel session at the same time (warned)."""
        at = shape.column("time")
        title_at = shape.column("title")
        previous = self.items[-1] if self.items else None
        if (
            at is None
            or title_at is None
            or cells[at].strip()
            or not cells[title_at].strip()
            or previous is None
            or previous.line < t.line.no - 3
        ):
            return False
        item = Item(
            t.line.no,
            previous.time,
            previous.start,
            previous.end,
            split_title(cells[title_at]).text,
            len(self.days) - 1,
        )
        item.doubt(
            WarningCode.TIME_ABOVE,
            f"'{item.title}' has no time of its own; read as at the same time as the row above "
            f"({previous.start[0]:02d}:{previous.start[1]:02d})",
        )
        for n, cell in enumerate(cells):
            if n not in (at, title_at) and cell.strip() and shape.role(n) not in ("date", "end"):
                _other_cell(item, shape.role(n), shape.header[n] if n < len(shape.header) else "", cell)
        self.items.append(item)
        self.current = item
        return True


def _cells(t: Tags, shape: TableShape) -> list[str]:
    return list(t.line.cells) + [""] * (len(shape.roles) - len(t.line.cells))


def _title_column(shape: TableShape, cells: list[str], at: int, end_at: int | None) -> int | None:
    """The title cell of a row: of several title columns ("Actividad / Presentador(es)" | "Tema") the first that does
    not hold only people's names; else another column with words; else (a row shifted or with its columns swapped:
    "| 18:30 | Social Event |" under Start | Ende | Titel) a time or end cell that holds words instead."""
    titled = [
        n for n, role in enumerate(shape.roles) if role == "title" and n != at and n < len(cells) and cells[n].strip()
    ]
    if titled:
        return next((n for n in titled if not _only_people(cells[n])), titled[0])
    wordy = [n for n, c in enumerate(cells) if n not in (at, end_at) and re.search(r"[^\W\d_]", c)]
    found = next((n for n in wordy if shape.role(n) in ("title", "other")), None)
    if found is None:
        found = next(
            (
                n
                for n in wordy + [end_at]
                if n is not None and shape.role(n) in ("time", "end") and not find_times(cells[n]) and cells[n].strip()
            ),
            None,
        )
    return found


def _only_people(cell: str) -> bool:
    """ "Emiliano Castillo con Diego Pérez", "Luis Beltrán": a cell of names, not a title."""
    parts = [p for p in re.split(r"\s*(?:,|;|&|\b(?:con|and|y|et|und|with|avec|mit)\b)\s*", cell) if p.strip()]
    return bool(parts) and all(looks_like_person(p.strip(" .")) for p in parts)


def _other_cell(item: Item, role: str, header: str, cell: str) -> None:
    """A cell beside the title: people go to the names, a room or anything else to the description."""
    if role in ("time", "end"):
        return
    if role == "people" or (
        role == "other" and not header and looks_like_name(cell) and looks_like_person(cell.strip(" ."))
    ):
        item.names.extend(split_names(cell))
    elif role == "room" or re.match(r"(?i)(?:room|raum|saal|salle|sala|hs|aula)\b", cell):
        item.description.append(f"{header or 'Room'}: {cell}")
    else:
        item.description.append(f"{header}: {cell}" if header else cell)
