"""The participants' grid (blocks × zones, as ``calsync times`` shows it) as data for the templates, a day per section.

Shared by the ``calsync times -o html`` page and the meeting's page; the templates only lay it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from ..model import Agenda, Block, short_offset

# render.py's grid helpers are shared with the text formats so every output groups and flags cells alike.
from ..render import _first_names, _grid, _hours, _kind, _notes, _short_label
from ..zones import NIGHT, LocalTime, ParticipantZone, minute_of_day

__all__ = ["GridColumn", "GridCell", "GridRow", "GridDay", "Grid", "times_grid"]


@dataclass(frozen=True)
class GridColumn:
    """A zone's column head. Words for people ("summer", "early") are the templates' to write, in their language."""

    zone: ParticipantZone
    label: str  # the label without its IANA name ("Central European Time")
    offset: str  # as people say it: "+2"
    iso_offset: str  # "+02:00"
    dst: bool
    who: str  # participants' first names, or ""


@dataclass(frozen=True)
class GridCell:
    kind: str  # work | edge | night
    local: LocalTime
    span: str  # "10:00–10:08"
    words: tuple[str, ...]  # "early", "late" or "night", for readers without colour
    tip: str  # "America/Santiago: 2020-07-22 10:00–10:08 UTC-04:00": data, no words to translate


@dataclass(frozen=True)
class GridRow:
    index: int  # the block's position in the agenda, from 1
    block: Block
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class GridDay:
    date: date
    columns: tuple[GridColumn, ...]
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class Grid:
    days: tuple[GridDay, ...]
    hours: str  # working hours, "08:00–20:00"
    night: str  # "22:00–06:00"
    notes: tuple[str, ...]
    script_blocks: tuple[dict[str, Any], ...]  # what the page's script needs to fill the viewer's column

    @property
    def word_sets(self) -> set[tuple[str, ...]]:
        """The flag combinations that occur, so the template writes each in words once."""
        return {c.words for d in self.days for r in d.rows for c in r.cells if c.words}

    @property
    def day_shifts(self) -> set[int]:
        return {c.local.day_shift for d in self.days for r in d.rows for c in r.cells if c.local.day_shift}

    @property
    def multi_day(self) -> bool:
        return len(self.days) > 1


def times_grid(agenda: Agenda, times: Sequence[LocalTime], work_hours: tuple[time, time]) -> Grid:
    """The grid in day sections (the meeting's own days), each with its zones' offsets on that day."""
    blocks, zones, cells = _grid(times)
    by_day: dict[date, list[tuple[int, Block]]] = {}
    for index, b in enumerate(blocks, 1):
        by_day.setdefault(b.start.astimezone(agenda.tzinfo).date(), []).append((index, b))
    days = []
    for day, members in sorted(by_day.items()):
        first = members[0][1]
        columns = tuple(_column(z, cells[(first.key, i)]) for i, z in enumerate(zones))
        rows = tuple(
            GridRow(index, b, tuple(_cell(cells[(b.key, i)]) for i in range(len(zones)))) for index, b in members
        )
        days.append(GridDay(day, columns, rows))
    script_blocks = tuple(
        {
            "index": index,
            "title": b.label,
            "start_ms": int(b.start.timestamp() * 1000),
            "end_ms": int(b.end.timestamp() * 1000),
            "start_utc": b.start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "meeting_date": b.start.astimezone(agenda.tzinfo).date().isoformat(),
        }
        for index, b in enumerate(blocks, 1)
    )
    return Grid(
        tuple(days), _hours(work_hours), f"{NIGHT[0]:%H:%M}–{NIGHT[1]:%H:%M}", tuple(_notes(zones)), script_blocks
    )


def clock_minutes(work_hours: tuple[time, time]) -> dict[str, list[int]]:
    """Working hours and night in minutes of the local day, for the page's script."""
    return {
        "work": [minute_of_day(work_hours[0]), minute_of_day(work_hours[1])],
        "night": [minute_of_day(NIGHT[0]), minute_of_day(NIGHT[1])],
    }


def _column(z: ParticipantZone, first: LocalTime) -> GridColumn:
    return GridColumn(
        z,
        _short_label(z),
        short_offset(first.start.utcoffset()),
        first.offset,
        first.dst,
        _first_names(z.people) if z.people else "",
    )


def _cell(lt: LocalTime) -> GridCell:
    words = ("night",) if "night" in lt.flags else tuple(f for f in ("early", "late") if f in lt.flags)
    # No words in a cell's tooltip (its flags are said in the cell, its place in its column's head): thousands of
    # them stay as written whatever the viewer's language.
    span = f"{_hm(lt.start)}–{_hm(lt.end)}"
    return GridCell(_kind(lt), lt, span, words, f"{lt.zone.zone}: {lt.start:%Y-%m-%d} {span} UTC{lt.offset}")


def _hm(moment: datetime) -> str:
    """``moment:%H:%M`` without strftime (a 5,000-block grid has 50,000 cells, each with four)."""
    return f"{moment.hour:02d}:{moment.minute:02d}"
