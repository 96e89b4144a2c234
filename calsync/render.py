"""Renderers: participants' local times as a terminal table, CSV, JSON or Markdown.

Every function returns a string and never prints; the CLI decides where it goes. Agenda text is untrusted: it is
escaped for each format (rich markup, Markdown). The words calsync adds are in the agenda's language
(:mod:`calsync.i18n`); a programme of several days is shown a day at a time, each block on each zone's own local date.
The HTML page is a template in :mod:`calsync.site`, which shares this module's grid helpers. Control characters from
the agenda are shown (``␛``), never written raw to a terminal or a file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, time
from typing import Any

from .i18n import gettext_for, long_date, short_date
from .model import Agenda, Block
from .printable import json_text, one_line, visible
from .zones import (
    NIGHT,
    Flag,
    LocalTime,
    ParticipantZone,
    ZoneSource,
    format_local_span,
    utc_label,
    zone_label,
)

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
# block's position, because agendas repeat or omit numbers (the seed has two "VI"); ``date`` the block's local date
# in that zone (day 2 in Berlin may still be day 1 in Los Angeles).
TIMES_FIELDS = (
    "block",
    "number",
    "title",
    "zone",
    "label",
    "date",
    "start",
    "end",
    "offset",
    "dst",
    "day_shift",
    "flags",
)

Translate = Callable[[str], str]


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
            "date": lt.start.date().isoformat(),
            "start": lt.start.isoformat(),
            "end": lt.end.isoformat(),
            "offset": lt.offset,
            "dst": lt.dst,
            "day_shift": lt.day_shift,
            "flags": [str(f) for f in lt.flags],
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
    # local_times gives a zone's times the same zone object: its index is found once, not compared again per block
    index_of: dict[int, int] = {}
    for lt in times:
        blocks.setdefault(lt.block.key, lt.block)
        index = index_of.get(id(lt.zone))
        if index is None:
            if lt.zone not in zones:
                zones.append(lt.zone)
            index = index_of[id(lt.zone)] = zones.index(lt.zone)
        cells[(lt.block.key, index)] = lt
    return list(blocks.values()), zones, cells


def _days(agenda: Agenda, times: Sequence[LocalTime]) -> list[tuple[date, list[LocalTime]]]:
    """The local times a meeting day at a time (the meeting's own dates), in order."""
    days: dict[date, list[LocalTime]] = {}
    for lt in times:
        days.setdefault(lt.block.start.astimezone(agenda.tzinfo).date(), []).append(lt)
    return sorted(days.items())


def _kind(lt: LocalTime) -> str:
    """The colour class of a cell: work, edge (early or late) or night."""
    if Flag.NIGHT in lt.flags:
        return "night"
    if Flag.OUTSIDE_WORK_HOURS in lt.flags:
        return "edge"
    return "work"


def _marker(lt: LocalTime) -> str:
    """A one-character mark for the terminal, besides colour: ``!`` early or late, ``*`` at night."""
    return {"night": "*", "edge": "!", "work": ""}[_kind(lt)]


def _day_char(shift: int) -> str:
    """A one-character day mark for the terminal grid: ``+`` the day after the meeting's date, ``-`` the day before."""
    return "+" if shift > 0 else "-" if shift < 0 else ""


def _words(lt: LocalTime, _: Translate = str) -> str:
    """The flags in words, for readers without colour: ``early``, ``late``, ``early, late`` or ``night``."""
    if Flag.NIGHT in lt.flags:
        return _("night")
    words = [w for f, w in ((Flag.EARLY, _("early")), (Flag.LATE, _("late"))) if f in lt.flags]
    return ", ".join(words) or (_("outside hours") if lt.flags else "")


def _hours(work_hours: tuple[time, time]) -> str:
    end = "24:00" if work_hours[1] >= time(23, 59) else f"{work_hours[1]:%H:%M}"
    return f"{work_hours[0]:%H:%M}–{end}"


def _night() -> str:
    return f"{NIGHT[0]:%H:%M}–{NIGHT[1]:%H:%M}"


def _legend(
    work_hours: tuple[time, time], times: Sequence[LocalTime], grid: bool, _: Translate, width: int = 200
) -> str:
    """One line explaining the terminal's marks, naming only the marks that occur (a line each when that is too
    wide: a mark is never cut from its meaning)."""
    parts = []
    if any(_kind(lt) == "edge" for lt in times):
        parts.append(_("! outside working hours ({hours} local)").format(hours=_hours(work_hours)))
    if any(_kind(lt) == "night" for lt in times):
        parts.append(_("* night ({hours})").format(hours=_night()))
    if grid and any(lt.day_shift > 0 for lt in times):
        parts.append(_("+ next day"))
    if grid and any(lt.day_shift < 0 for lt in times):
        parts.append(_("- day before"))
    line = "   ".join(parts)
    return line if len(line) <= width else "\n".join(parts)


def _notes(zones: Sequence[ParticipantZone]) -> list[str]:
    notes = []
    for z in zones:
        if z.note and z.source != ZoneSource.MEETING:
            notes.append(z.note)
        if z.people:
            notes.append(f"{z.label}: {', '.join(z.people)}")
    return notes


def _short_label(z: ParticipantZone) -> str:
    """The label without a trailing "(Europe/Brussels)" (shown elsewhere), on one line."""
    suffix = f" ({z.zone})"
    return one_line(z.label[: -len(suffix)] if z.label.endswith(suffix) and len(z.label) > len(suffix) else z.label)


def _first_name(person: str) -> str:
    """``Kwame Mensah`` → ``Kwame``; ``kwame@example.org`` → ``kwame``; ``@kwame`` (a handle, no address) as it is.

    Only text before an "@" is an address's local part: a name starting with "@" has none, and taking its empty
    local part's first word was an IndexError.
    """
    local = person.split("@", 1)[0]
    words = (local if local.strip() else person).split()
    return words[0] if words else person.strip()


def _first_names(people: Sequence[str], most: int = 3) -> str:
    """``Kwame Mensah, Ama Owusu`` → ``Kwame, Ama``; e-mail addresses by their local part; ``+N`` past ``most``."""
    names = [_first_name(p) for p in people if p.strip()]
    more = f" +{len(names) - most}" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def _meeting_heading(agenda: Agenda) -> str:
    """The meeting's days and clock, in its language: ``Wednesday, July 22, 2020 · meeting time: Central European
    Summer Time (Europe/Paris)``."""
    lang = agenda.language
    days = agenda.dates
    when = long_date(days[0], lang) + (f" – {long_date(days[-1], lang)}" if len(days) > 1 else "")
    zone = agenda.timezone.zone
    clock = zone_label(zone, agenda.start, lang)
    if not zone.startswith("Etc/"):
        clock += f" ({zone})"
    _ = gettext_for(lang)
    return _("{days} · meeting time: {clock}").format(days=when, clock=clock)


def render_times(
    fmt: str,
    agenda: Agenda,
    times: Sequence[LocalTime],
    zones: Sequence[ParticipantZone],
    work_hours: tuple[time, time] = (time(8), time(20)),
    *,
    width: int = 80,
    color: bool = False,
) -> str:
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


# --- table (rich, to a string) ----------------------------------------------------------------------------------------


def render_times_table(
    agenda: Agenda,
    times: Sequence[LocalTime],
    zones: Sequence[ParticipantZone],
    work_hours: tuple[time, time] = (time(8), time(20)),
    *,
    width: int = 80,
    color: bool = False,
) -> str:
    """A terminal table, a section per meeting day when there are several: blocks × zones when that fits ``width``,
    else zones × block starts (zone names wrapping, then without the IANA line, then with narrower gaps), else one
    row per block and zone.

    Flags show as colour on a terminal and always as a one-character mark (``!`` early/late, ``*`` night; ``+``/``-``
    the day after/before the section's date), explained in one legend line.
    """
    from rich.console import Console, Group
    from rich.text import Text

    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    _ = gettext_for(agenda.language)
    parts: list[Any] = [Text(one_line(agenda.title), style="bold"), Text(_meeting_heading(agenda))]
    days = _days(agenda, times)
    one_per_pair = False
    for day, day_times in days:
        if len(days) > 1:
            parts.append(Text("\n" + long_date(day, agenda.language), style="bold"))
        section, pairs = _table_section(day_times, width, color, agenda.language)
        parts.extend(section)
        one_per_pair = one_per_pair or pairs
    legend = _legend(work_hours, times, not one_per_pair, _, width)
    if legend:
        parts.append(Text(legend, style="dim"))
    parts.extend(Text(one_line(n), style="dim") for n in _notes(_grid(times)[1]))
    console.print(Group(*parts), crop=False)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


_STYLES = {"work": "green", "edge": "yellow", "night": "bold red"}


def _table_section(times: Sequence[LocalTime], width: int, color: bool, lang: str | None) -> tuple[list[Any], bool]:
    """One day's grid in the first layout that fits ``width``, and whether it is the one row per block and zone."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    _ = gettext_for(lang)
    blocks, zone_list, cells = _grid(times)

    def cell(lt: LocalTime, text: str, shift: int | None = None) -> Text:
        shift = lt.day_shift if shift is None else shift
        return Text(f"{text}{_day_char(shift)}{_marker(lt)}", style=_STYLES[_kind(lt)] if color else "")

    def offset(i: int) -> str:
        first = cells[(blocks[0].key, i)]
        return utc_label(first.start.utcoffset()) + (" " + _("summer") if first.dst else "")

    def end_cell(i: int) -> Text:
        """The day's end in zone ``i``: coloured and marked as the last block is, its own day mark."""
        lt = cells[(blocks[-1].key, i)]
        meeting_day = lt.start.date().toordinal() - lt.day_shift
        return cell(lt, f"{lt.end:%H:%M}", lt.end.date().toordinal() - meeting_day)

    def table(columns: Sequence[tuple[Text | str, list[Text], int | None]], gap: int = 2) -> tuple[Table, int]:
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
        for row in zip(*(column for _c, column, _m in columns), strict=False):
            t.add_row(*row)
        return t, need + gap * (len(columns) - 1)

    # 1. Blocks as rows, zones as columns: the whole picture, when the terminal is wide enough.
    chosen, need = table(
        [(_("Block"), [Text(one_line(b.label)) for b in blocks], 16)]
        + [
            (
                Text(f"{_short_label(z)}\n{offset(i)}"),
                [
                    cell(cells[(b.key, i)], f"{cells[(b.key, i)].start:%H:%M}–{cells[(b.key, i)].end:%H:%M}")
                    for b in blocks
                ],
                11,
            )
            for i, z in enumerate(zone_list)
        ]
    )
    if need <= width:
        return [chosen], False
    # 2. Zones as rows, block starts as columns; each block's span is listed below the table.
    heads = _block_heads(blocks)

    def zone_name(i: int, z: ParticipantZone, iana: bool) -> Text:
        if not iana:
            return Text(f"{_short_label(z)}\n{offset(i)}")
        label = one_line(z.label)
        return Text(f"{label}\n{z.zone}\n{offset(i)}" if z.zone not in label else f"{label}\n{offset(i)}")

    for iana, gap in ((True, 2), (False, 2), (False, 1)):
        chosen, need = table(
            [(_("Zone"), [zone_name(i, z, iana) for i, z in enumerate(zone_list)], 10)]
            + [
                (
                    head,
                    [cell(cells[(b.key, i)], f"{cells[(b.key, i)].start:%H:%M}") for i in range(len(zone_list))],
                    None,
                )
                for head, b in zip(heads, blocks, strict=False)
            ]
            + [(_("end"), [end_cell(i) for i in range(len(zone_list))], None)],
            gap,
        )
        if need <= width:
            listing = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
            listing.add_column(justify="right", no_wrap=True)
            listing.add_column(no_wrap=True)
            listing.add_column(overflow="fold")
            for head, b in zip(heads, blocks, strict=False):
                lt = cells[(b.key, 0)]
                listing.add_row(one_line(head), f"{lt.start:%H:%M}–{lt.end:%H:%M}", Text(one_line(b.label)))
            return [chosen, listing], False
    # 3. One row per block and zone: always fits, longer to read; a local date other than the day's is written out.
    pairs = [(b, i, z) for b in blocks for i, z in enumerate(zone_list)]
    chosen, need = table(
        [
            (_("Block"), [Text(one_line(b.label) if i == 0 else "") for b, i, _z in pairs], 12),
            (_("Zone"), [Text(one_line(z.label)) for _b, _i, z in pairs], 10),
            (
                _("Local time"),
                [
                    Text(
                        f"{format_local_span(cells[(b.key, i)], lang)} {_marker(cells[(b.key, i)])}".rstrip(),
                        style=_STYLES[_kind(cells[(b.key, i)])] if color else "",
                    )
                    for b, i, _z in pairs
                ],
                11,
            ),
        ]
    )
    return [chosen], True


def _block_heads(blocks: Sequence[Block]) -> list[str]:
    """Short column names: the agenda's number when it is unique, else the position."""
    counts = Counter(b.number for b in blocks)  # not list.count per block: quadratic on a 10,000-block agenda
    return [one_line(b.number) if b.number and counts[b.number] == 1 else f"#{i}" for i, b in enumerate(blocks, 1)]


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
        # one line per cell: a line break inside a quoted cell would let its second line start a formula
        row.update({k: _inert(one_line(row[k])) for k in ("title", "label", "number")})
        writer.writerow(row)
    return out.getvalue()


def _inert(value: object) -> object:
    """Agenda text that a spreadsheet would run as a formula ("=HYPERLINK(…)") is written as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def render_times_json(
    agenda: Agenda,
    times: Sequence[LocalTime],
    zones: Sequence[ParticipantZone],
    work_hours: tuple[time, time] = (time(8), time(20)),
) -> str:
    """A stable JSON document for scripts: the meeting, its days, the zones with their notes, and the rows."""
    data = {
        "title": agenda.title,
        "meeting_zone": agenda.timezone.zone,
        "language": agenda.language,
        "days": [d.isoformat() for d in agenda.dates],
        "work_hours": {"start": f"{work_hours[0]:%H:%M}", "end": _hours(work_hours).split("–")[1]},
        "zones": [
            {"label": z.label, "zone": z.zone, "source": str(z.source), "note": z.note, "people": list(z.people)}
            for z in zones
        ],
        "rows": times_rows(times),
    }
    return json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


# --- markdown --------------------------------------------------------------------------------------------------------

# Only what would change a Markdown table or start markup is escaped, so that the text still reads well when the
# "Markdown" is pasted into a plain-text e-mail: "|" (a new cell), "<" before a tag (raw HTML), "](" (a link),
# "`" (code), and a backslash before punctuation (it would escape what follows). "Costa_Rica" and "!" stay as they are.
_MD_ESCAPES = re.compile(r"\\(?=[!-/:-@\[-`{-~])|\||<(?=[A-Za-z/!?])|\](?=\()|`")


def _md(text: str) -> str:
    """Agenda text on one line, safe in a Markdown table cell: never a new column, raw HTML, a link or code."""
    flat = visible(re.sub(r"[^\S\u00a0]+", " ", str(text)).strip())  # no-break spaces stay: "−2 h" keeps together
    return _MD_ESCAPES.sub(lambda m: "\\" + m.group(0), flat)


def _md_cell(lt: LocalTime, lang: str | None) -> str:
    """``08:00–08:08``, ``07:00–07:08 (early)``, ``00:55–01:00 Thu, Jul 23 (night)``: words and the local date
    when it is not the section's, not colours or marks."""
    words = _words(lt, gettext_for(lang))
    day = short_date(lt.start.date(), lang) if lt.day_shift else ""
    return " ".join(p for p in (f"{lt.start:%H:%M}–{lt.end:%H:%M}", day, f"({words})" if words else "") if p)


def render_times_markdown(
    agenda: Agenda,
    times: Sequence[LocalTime],
    zones: Sequence[ParticipantZone],
    work_hours: tuple[time, time] = (time(8), time(20)),
) -> str:
    """A Markdown page to paste into an e-mail: the zones, then blocks × zones with local start–end times, under a
    heading per day when the programme has several."""
    lang = agenda.language
    _ = gettext_for(lang)
    blocks, zone_list, cells = _grid(times)
    lines = [f"## {_md(agenda.title)}", "", _md(_meeting_heading(agenda)), ""]
    heads = (_("Zone"), _("IANA zone"), _("UTC offset"), _("Summer time"))
    lines += ["| " + " | ".join(heads) + " |", "| --- | --- | --- | --- |"]
    for i, z in enumerate(zone_list):
        first = cells[(blocks[0].key, i)]
        summer = _("yes") if first.dst else _("no")
        lines.append(f"| {_md(z.label)} | {_md(z.zone)} | {utc_label(first.start.utcoffset())} | {summer} |")
    days = _days(agenda, times)
    for day, day_times in days:
        if len(days) > 1:
            lines += ["", f"### {_md(long_date(day, lang))}"]
        day_blocks, _zones, day_cells = _grid(day_times)
        lines += [
            "",
            "| " + " | ".join([_("Block"), *(_md(z.label) for z in zone_list)]) + " |",
            "| --- |" + " --- |" * len(zone_list),
        ]
        for b in day_blocks:
            row = [_md_cell(day_cells[(b.key, i)], lang) for i in range(len(zone_list))]
            lines.append(f"| {_md(b.label)} | " + " | ".join(row) + " |")
    legend = []
    if any(_kind(lt) == "edge" for lt in times):
        legend.append(_("- early, late: outside working hours ({hours} local)").format(hours=_hours(work_hours)))
    if any(_kind(lt) == "night" for lt in times):
        legend.append(
            _("- night: between {start} and {end} local").format(start=f"{NIGHT[0]:%H:%M}", end=f"{NIGHT[1]:%H:%M}")
        )
    if legend:
        lines += [""] + legend
    notes = _notes(zone_list)
    if notes:
        lines += [""] + [f"- {_md(n)}" for n in notes]
    return "\n".join(lines).rstrip() + "\n"
