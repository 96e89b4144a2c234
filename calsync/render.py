"""Renderers: participants' local times as a terminal table, CSV, JSON or Markdown.

Every function returns a string and never prints; the CLI decides where it goes. Agenda text is untrusted: it is
escaped for each format (rich markup, Markdown). The HTML page is a template in :mod:`calsync.site`, which shares
this module's grid helpers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import time
from typing import Any, Sequence

from .model import Agenda, Block
from .zones import NIGHT, LocalTime, ParticipantZone, day_marker, format_local_span

__all__ = [
    "TIMES_FIELDS",
    "TIMES_FORMATS",
    "times_rows",
    "render_times",
    "render_times_table",
    "render_times_csv",
    "render_times_json",
    "render_times_markdown",
]

TIMES_FORMATS = ("table", "csv", "json", "markdown")

# The columns of every row-shaped output (csv, json); ``number`` is the agenda's own numbering ("VI"), ``block`` the
# block's position, because agendas repeat or omit numbers (the seed has two "VI").
TIMES_FIELDS = ("block", "number", "title", "zone", "label", "start", "end", "offset", "dst", "day_shift", "flags")


# --- shared ----------------------------------------------------------------------------------------------------------


def times_rows(times: Sequence[LocalTime]) -> list[dict[str, Any]]:
    """One plain-data row per block and zone, in block order."""
    positions = _positions(times)
    return [
        {
            "block": positions[lt.block.key],
            "number": lt.block.number,
            "title": lt.block.title,
            "zone": lt.zone.zone,
            "label": lt.zone.label,
            "start": lt.start.isoformat(),
            "end": lt.end.isoformat(),
            "offset": lt.offset,
            "dst": lt.dst,
            "day_shift": lt.day_shift,
            "flags": list(lt.flags),
        }
        for lt in times
    ]


def _positions(times: Sequence[LocalTime]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for lt in times:
        positions.setdefault(lt.block.key, len(positions) + 1)
    return positions


def _grid(times: Sequence[LocalTime]) -> tuple[list[Block], list[ParticipantZone], dict[tuple[str, int], LocalTime]]:
    """Blocks, zones (in first-seen order) and each (block key, zone index) → local time."""
    blocks: dict[str, Block] = {}
    zones: list[ParticipantZone] = []
    cells: dict[tuple[str, int], LocalTime] = {}
    for lt in times:
        blocks.setdefault(lt.block.key, lt.block)
        if lt.zone not in zones:
            zones.append(lt.zone)
        cells[(lt.block.key, zones.index(lt.zone))] = lt
    return list(blocks.values()), zones, cells


def _kind(lt: LocalTime) -> str:
    """The colour class of a cell: work, edge (early or late) or night."""
    if "night" in lt.flags:
        return "night"
    if "outside-work-hours" in lt.flags:
        return "edge"
    return "work"


def _marker(lt: LocalTime) -> str:
    """A one-character mark for the terminal, besides colour: ``!`` early or late, ``*`` at night."""
    return {"night": "*", "edge": "!", "work": ""}[_kind(lt)]


def _day_char(shift: int) -> str:
    """A one-character day mark for the terminal grid: ``+`` the day after the meeting's date, ``-`` the day before."""
    return "+" if shift > 0 else "-" if shift < 0 else ""


def _words(lt: LocalTime) -> str:
    """The flags in words, for readers without colour: ``early``, ``late``, ``early, late`` or ``night``."""
    if "night" in lt.flags:
        return "night"
    return ", ".join(f for f in ("early", "late") if f in lt.flags) or ("outside hours" if lt.flags else "")


def _hours(work_hours: tuple[time, time]) -> str:
    end = "24:00" if work_hours[1] >= time(23, 59) else f"{work_hours[1]:%H:%M}"
    return f"{work_hours[0]:%H:%M}–{end}"


def _night() -> str:
    return f"{NIGHT[0]:%H:%M}–{NIGHT[1]:%H:%M}"


def _legend(work_hours: tuple[time, time], times: Sequence[LocalTime], grid: bool = True) -> str:
    """One line explaining the terminal's marks, naming only the marks that occur."""
    parts = []
    if any(_kind(lt) == "edge" for lt in times):
        parts.append(f"! outside working hours ({_hours(work_hours)} local)")
    if any(_kind(lt) == "night" for lt in times):
        parts.append(f"* night ({_night()})")
    if grid and any(lt.day_shift > 0 for lt in times):
        parts.append("+ next day")
    if grid and any(lt.day_shift < 0 for lt in times):
        parts.append("- day before")
    return "   ".join(parts)


def _notes(zones: Sequence[ParticipantZone]) -> list[str]:
    notes = []
    for z in zones:
        if z.note and z.source != "meeting":
            notes.append(z.note)
        if z.people:
            notes.append(f"{z.label}: {', '.join(z.people)}")
    return notes


def _short_label(z: ParticipantZone) -> str:
    """The label without a trailing "(Europe/Brussels)" (shown elsewhere)."""
    suffix = f" ({z.zone})"
    return z.label[: -len(suffix)] if z.label.endswith(suffix) and len(z.label) > len(suffix) else z.label


def _first_names(people: Sequence[str], most: int = 3) -> str:
    """``Kwame Mensah, Ama Owusu`` → ``Kwame, Ama``; e-mail addresses by their local part; ``+N`` past ``most``."""
    names = [(p.split("@")[0] if "@" in p else p).split()[0] for p in people if p.strip()]
    more = f" +{len(names) - most}" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def render_times(fmt: str, agenda: Agenda, times: Sequence[LocalTime], zones: Sequence[ParticipantZone],
                 work_hours: tuple[time, time] = (time(8), time(20)), *, width: int = 80, color: bool = False) -> str:
    """Dispatch on the ``--format`` name (the HTML page is :func:`calsync.site.render_times_html`)."""
    if fmt == "table":
        return render_times_table(agenda, times, zones, work_hours, width=width, color=color)
    if fmt == "csv":
        return render_times_csv(times)
    if fmt == "json":
        return render_times_json(agenda, times, zones, work_hours)
    if fmt == "markdown":
        return render_times_markdown(agenda, times, zones, work_hours)
    raise ValueError(f"unknown format {fmt!r}")


# --- table (rich, to a string) -----------------------------------------------------------------------------------------


def render_times_table(agenda: Agenda, times: Sequence[LocalTime], zones: Sequence[ParticipantZone],
                       work_hours: tuple[time, time] = (time(8), time(20)), *, width: int = 80, color: bool = False) -> str:
    """A terminal table: blocks × zones when that fits ``width``, else zones × block starts (zone names wrapping,
    then without the IANA line, then with narrower gaps), else one row per block and zone.

    Flags show as colour on a terminal and always as a one-character mark (``!`` early/late, ``*`` night; ``+``/``-``
    the day after/before the meeting's date), explained in one legend line.
    """
    from rich import box
    from rich.console import Console, Group
    from rich.table import Table
    from rich.text import Text

    console = Console(file=io.StringIO(), width=width, force_terminal=color, color_system="standard" if color else None,
                      no_color=not color, highlight=False, emoji=False, markup=False, legacy_windows=False)
    blocks, zone_list, cells = _grid(times)
    styles = {"work": "green", "edge": "yellow", "night": "bold red"}

    def cell(lt: LocalTime, text: str, shift: int | None = None) -> Text:
        shift = lt.day_shift if shift is None else shift
        return Text(f"{text}{_day_char(shift)}{_marker(lt)}", style=styles[_kind(lt)] if color else "")

    def offset(i: int) -> str:
        first = cells[(blocks[0].key, i)]
        return f"UTC{first.offset}" + (" summer" if first.dst else "")

    def end_cell(i: int) -> Text:
        """The meeting's end in zone ``i``: coloured and marked as the last block is, its own day mark."""
        lt = cells[(blocks[-1].key, i)]
        meeting_day = lt.start.date().toordinal() - lt.day_shift
        return cell(lt, f"{lt.end:%H:%M}", lt.end.date().toordinal() - meeting_day)

    def table(columns: list[tuple[Text | str, list[Text], int | None]], gap: int = 2) -> tuple[Table, int]:
        """A table from (header, cells, minimum width or None for no wrapping) columns, and the width it needs."""
        t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, gap - 1, 0, 0))
        need = 0
        for header, column, minimum in columns:
            if minimum is not None:
                t.add_column(header, overflow="fold")
                need += max(minimum, *(len(w) for x in column for w in x.plain.split()))
            else:
                t.add_column(header, no_wrap=True)
                texts = [Text(header) if isinstance(header, str) else header, *column]
                need += max(len(line) for x in texts for line in x.plain.splitlines() or [""])
        for row in zip(*(column for _, column, _ in columns)):
            t.add_row(*row)
        return t, need + gap * (len(columns) - 1)

    # 1. Blocks as rows, zones as columns: the whole picture, when the terminal is wide enough.
    chosen, need = table(
        [("Block", [Text(b.label) for b in blocks], 16)]
        + [(Text(f"{_short_label(z)}\n{offset(i)}"),
            [cell(cells[(b.key, i)], f"{cells[(b.key, i)].start:%H:%M}–{cells[(b.key, i)].end:%H:%M}") for b in blocks],
            11) for i, z in enumerate(zone_list)]
    )
    heads = _block_heads(blocks)
    block_list = one_per_pair = False
    if need > width:
        # 2. Zones as rows, block starts as columns; each block's span is listed below the table.
        def zone_name(i: int, z: ParticipantZone, iana: bool) -> Text:
            if not iana:
                return Text(f"{_short_label(z)}\n{offset(i)}")
            return Text(f"{z.label}\n{z.zone}\n{offset(i)}" if z.zone not in z.label else f"{z.label}\n{offset(i)}")

        for iana, gap in ((True, 2), (False, 2), (False, 1)):
            chosen, need = table(
                [("Zone", [zone_name(i, z, iana) for i, z in enumerate(zone_list)], 10)]
                + [(head, [cell(cells[(b.key, i)], f"{cells[(b.key, i)].start:%H:%M}")
                           for i in range(len(zone_list))], None)
                   for head, b in zip(heads, blocks)]
                + [("end", [end_cell(i) for i in range(len(zone_list))], None)],
                gap,
            )
            if need <= width:
                block_list = True
                break
        if need > width:
            # 3. One row per block and zone: always fits, longer to read.
            one_per_pair = True
            pairs = [(b, i, z) for b in blocks for i, z in enumerate(zone_list)]
            chosen, need = table([
                ("Block", [Text(b.label if i == 0 else "") for b, i, _ in pairs], 12),
                ("Zone", [Text(z.label) for _, _, z in pairs], 10),
                ("Local time", [Text(f"{format_local_span(cells[(b.key, i)])} {_marker(cells[(b.key, i)])}".rstrip(),
                                     style=styles[_kind(cells[(b.key, i)])] if color else "")
                                for b, i, _ in pairs], 11),
            ])
    parts: list[Any] = [Text(agenda.title, style="bold"), Text(_meeting_line(agenda)), chosen]
    if block_list:
        listing = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
        listing.add_column(justify="right", no_wrap=True)
        listing.add_column(no_wrap=True)
        listing.add_column(overflow="fold")
        for head, b in zip(heads, blocks):
            lt = cells[(b.key, 0)]
            listing.add_row(head, f"{lt.start:%H:%M}–{lt.end:%H:%M}", Text(b.label))
        parts.append(listing)
    legend = _legend(work_hours, times, grid=not one_per_pair)
    if legend:
        parts.append(Text(legend, style="dim"))
    parts.extend(Text(n, style="dim") for n in _notes(zone_list))
    console.print(Group(*parts), crop=False)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _block_heads(blocks: Sequence[Block]) -> list[str]:
    """Short column names: the agenda's number when it is unique, else the position."""
    numbers = [b.number for b in blocks]
    return [b.number if b.number and numbers.count(b.number) == 1 else f"#{i}" for i, b in enumerate(blocks, 1)]


def _meeting_line(agenda: Agenda) -> str:
    days = ", ".join(d.isoformat() for d in agenda.dates)
    return f"{days}, meeting time {agenda.timezone.zone}"


# --- csv, json -------------------------------------------------------------------------------------------------------


def render_times_csv(times: Sequence[LocalTime]) -> str:
    """The rows as CSV with a header; flags joined by ``;``, booleans as ``true``/``false``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(TIMES_FIELDS), lineterminator="\n")
    writer.writeheader()
    for row in times_rows(times):
        row = dict(row, dst="true" if row["dst"] else "false", flags=";".join(row["flags"]), number=row["number"] or "")
        row.update({k: _inert(row[k]) for k in ("title", "label", "number")})
        writer.writerow(row)
    return out.getvalue()


def _inert(value: object) -> object:
    """Agenda text that a spreadsheet would run as a formula ("=HYPERLINK(…)") is written as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def render_times_json(agenda: Agenda, times: Sequence[LocalTime], zones: Sequence[ParticipantZone],
                      work_hours: tuple[time, time] = (time(8), time(20))) -> str:
    """A stable JSON document for scripts: the meeting, the zones with their notes, and the rows."""
    data = {
        "title": agenda.title,
        "meeting_zone": agenda.timezone.zone,
        "work_hours": {"start": f"{work_hours[0]:%H:%M}", "end": _hours(work_hours).split("–")[1]},
        "zones": [
            {"label": z.label, "zone": z.zone, "source": z.source, "note": z.note, "people": list(z.people)}
            for z in zones
        ],
        "rows": times_rows(times),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- markdown --------------------------------------------------------------------------------------------------------

# Only what would change a Markdown table or start markup is escaped, so that the text still reads well when the
# "Markdown" is pasted into a plain-text e-mail: "|" (a new cell), "<" before a tag (raw HTML), "](" (a link),
# "`" (code), and a backslash before punctuation (it would escape what follows). "Costa_Rica" and "!" stay as they are.
_MD_ESCAPES = re.compile(r"\\(?=[!-/:-@\[-`{-~])|\||<(?=[A-Za-z/!?])|\](?=\()|`")


def _md(text: str) -> str:
    """Agenda text on one line, safe in a Markdown table cell: never a new column, raw HTML, a link or code."""
    return _MD_ESCAPES.sub(lambda m: "\\" + m.group(0), " ".join(str(text).split()))


def _md_cell(lt: LocalTime) -> str:
    """``08:00–08:08``, ``07:00–07:08 (early)``, ``00:55–01:00 +1 day (night)``: words, not colours."""
    words = _words(lt)
    return " ".join(p for p in (f"{lt.start:%H:%M}–{lt.end:%H:%M}", day_marker(lt.day_shift),
                                f"({words})" if words else "") if p)


def render_times_markdown(agenda: Agenda, times: Sequence[LocalTime], zones: Sequence[ParticipantZone],
                          work_hours: tuple[time, time] = (time(8), time(20))) -> str:
    """A Markdown page to paste into an e-mail: the zones, then blocks × zones with local start–end times."""
    blocks, zone_list, cells = _grid(times)
    lines = [f"## {_md(agenda.title)}", "", _md(_meeting_line(agenda)), ""]
    lines += ["| Zone | IANA zone | UTC offset | Summer time |", "| --- | --- | --- | --- |"]
    for i, z in enumerate(zone_list):
        first = cells[(blocks[0].key, i)]
        lines.append(f"| {_md(z.label)} | {_md(z.zone)} | UTC{first.offset} | {'yes' if first.dst else 'no'} |")
    lines.append("")
    lines.append("| Block | " + " | ".join(_md(z.label) for z in zone_list) + " |")
    lines.append("| --- |" + " --- |" * len(zone_list))
    for b in blocks:
        row = [_md_cell(cells[(b.key, i)]) for i in range(len(zone_list))]
        lines.append(f"| {_md(b.label)} | " + " | ".join(row) + " |")
    legend = []
    if any(_kind(lt) == "edge" for lt in times):
        legend.append(f"- early, late: outside working hours ({_hours(work_hours)} local)")
    if any(_kind(lt) == "night" for lt in times):
        legend.append(f"- night: between {NIGHT[0]:%H:%M} and {NIGHT[1]:%H:%M} local")
    if any(lt.day_shift for lt in times):
        legend.append("- +1 day / -1 day: the day after / before the meeting's date")
    if legend:
        lines += [""] + legend
    notes = _notes(zone_list)
    if notes:
        lines += [""] + [f"- {_md(n)}" for n in notes]
    return "\n".join(lines).rstrip() + "\n"
