"""Tables in agendas: what each column holds, decided once per table from its header and its rows.

A table (pipe rows, a table flattened one cell per line, tab-separated cells, an HTML table) has a time column, often
an end column, a title column, and sometimes a day, people or room column, in any order. The roles are chosen from
the header words first, then from what the cells hold, so every row of the table is read the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import regexcache
from .clock import find_times
from .dates import find_dates
from .tags import Tags
from .vocabulary import DATE_HEADER, END_HEADER, PEOPLE_HEADER, ROOM_HEADER, TIME_HEADER, TITLE_HEADER, alternation

ROLES = ("time", "end", "date", "title", "people", "room")


@dataclass(frozen=True)
class TableShape:
    """The role of each column of one table ("time", "end", "date", "title", "people", "room", "other", or "track":
    one of several room columns each holding its own session)."""

    roles: tuple[str, ...]
    header: tuple[str, ...]
    rows: tuple[int, ...] = ()  # the indexes of the table's lines
    day_columns: tuple[tuple[int, int], ...] = ()  # days side by side: (day's column, its time column) per day

    def column(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def role(self, n: int) -> str:
        return self.roles[n] if n < len(self.roles) else "other"


@cache
def _header_patterns() -> dict[str, re.Pattern[str]]:
    words = {
        "time": TIME_HEADER,
        "end": END_HEADER,
        "date": DATE_HEADER,
        "title": TITLE_HEADER,
        "people": PEOPLE_HEADER,
        "room": ROOM_HEADER,
    }
    return {role: regexcache.compile(r"^\W*(?i:" + alternation(w) + r")\b") for role, w in words.items()}


def header_role(text: str) -> str | None:
    """The role a header cell names ("Uhrzeit" → time, "Hora fin" → end, "Intervenants" → people), if any."""
    patterns = _header_patterns()
    if _end_words().search(text) and patterns["time"].match(text.strip()):
        return "end"  # "Hora fin", "End time", "Uhrzeit (Ende)"
    for role, pattern in patterns.items():
        if pattern.match(text.strip()):
            return role
    return None


@cache
def _end_words() -> re.Pattern[str]:
    return regexcache.compile(r"(?i:\b(?:" + alternation(END_HEADER) + r")\b)")


def table_groups(tags: list[Tags]) -> dict[int, TableShape]:
    """The shape of the table each table line belongs to, by line index."""
    shapes: dict[int, TableShape] = {}
    group: list[int] = []
    for i, t in enumerate(tags + [Tags(tags[-1].line)] if tags else []):
        line = t.line
        if i < len(tags) and line.table and line.cells and not line.furniture:
            group.append(i)
            continue
        if i < len(tags) and (not line.text or line.furniture) and group:
            continue  # a blank line, the header's rule, or a flattened row's other cells inside a table
        if group:
            shape = _shape([tags[k] for k in group], tuple(group))
            for k in group:
                shapes[k] = shape
            group = []
        if i < len(tags) and line.table and line.cells and not line.furniture:
            group.append(i)
    return shapes


def _shape(rows: list[Tags], indexes: tuple[int, ...]) -> TableShape:
    header = next((r.line.header for r in rows if r.line.header), ())
    if not header and rows and not rows[0].times and not rows[0].dates:
        header = rows[0].line.cells  # a first row without times names the columns
    days = _day_columns(header, rows)
    if days:
        return TableShape(
            tuple("date" if any(n == d for d, _ in days) else "time" for n in range(len(header))),
            tuple(header),
            indexes,
            days,
        )
    width = max(len(r.line.cells) for r in rows)
    roles = [header_role(h) if n < len(header) else None for n, h in enumerate(header)] + [None] * width
    roles = roles[:width]
    timed = [r for r in rows if r.times]
    for n in range(width):
        column = [r.line.cells[n] for r in timed if n < len(r.line.cells)]
        filled = [c for c in column if c.strip()]
        if not filled or roles[n] in ("people", "room", "title", "end", "time"):
            continue  # what the header says a column holds stands
        times = sum(1 for c in filled if _starts_with_time(c))
        dates = sum(1 for c in filled if find_dates(c))
        if times >= max(1, len(filled) // 2) and roles[n] != "date":
            roles[n] = "end" if "time" in roles[:n] and _only_times(filled) else "time"
        elif dates >= max(1, len(filled) // 2) and roles[n] in (None, "date"):
            roles[n] = "date"
    if "time" not in roles and "end" in roles:
        roles[roles.index("end")] = "time"
    rooms = [n for n in range(width) if roles[n] == "room"]
    if len(rooms) >= 2 and "title" not in roles and all(_letters(timed, n) >= 12 for n in rooms[:2]):
        for n in rooms:
            roles[n] = "track"  # | Hora | SALA A | SALA B | SALA C |: a talk per room, in parallel
    if "title" not in roles and "track" not in roles:
        candidates = [n for n in range(width) if roles[n] is None]
        if candidates:
            roles[max(candidates, key=lambda n: (_letters(timed, n), -n))] = "title"
    return TableShape(tuple(r or "other" for r in roles), tuple(header), indexes)


def _day_columns(header: tuple[str, ...], rows: list[Tags]) -> tuple[tuple[int, int], ...]:
    """| Horas | Jueves 06-03-2025 | Horas | Viernes 07-03-2025 |: each day a column, each with the time column on its
    left (or the table's first time column: by its header, or else the column whose cells are times)."""
    dated = [n for n, h in enumerate(header) if find_dates(h) and len(find_dates(h)[0].text) >= 0.5 * len(h.strip())]
    if len(dated) < 2:
        return ()
    timed = [n for n, h in enumerate(header) if header_role(h) == "time"]
    if not timed:
        timed = [n for n in range(len(header)) if n not in dated and _mostly_times(rows, n)]
    if not timed:
        return ()
    pairs = []
    for d in dated:
        left = [t for t in timed if t < d]
        pairs.append((d, left[-1] if left else timed[0]))
    return tuple(pairs)


def _mostly_times(rows: list[Tags], n: int) -> bool:
    cells = [r.line.cells[n] for r in rows if n < len(r.line.cells) and r.line.cells[n].strip()]
    return bool(cells) and sum(_starts_with_time(c) for c in cells) >= len(cells) / 2


def _starts_with_time(cell: str) -> bool:
    times = find_times(cell)
    return bool(times) and times[0].lead <= 2


def _only_times(cells: list[str]) -> bool:
    return all(not re.search(r"[^\W\d_]{3,}", re.sub(r"(?i)\b(?:uhr|h|hrs|horas|heures)\b", "", c)) for c in cells)


def _letters(rows: list[Tags], n: int) -> float:
    cells = [r.line.cells[n] for r in rows if n < len(r.line.cells)]
    if not cells:
        return 0.0
    return sum(len(re.findall(r"[^\W\d_]", c)) for c in cells) / len(cells)
