"""Renderers: participants' local times as a terminal table, CSV, JSON, Markdown or a self-contained HTML page.

Every function returns a string and never prints; the CLI decides where it goes. Agenda text is untrusted: it is
escaped for each format (rich markup, Markdown, HTML, JSON inside ``<script>``).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import re
from datetime import time, timezone
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
    "render_times_html",
]

TIMES_FORMATS = ("table", "csv", "json", "markdown", "html")

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
    """A plain-text marker for formats without colour: ``!`` outside work hours, ``!!`` at night."""
    return {"night": "!!", "edge": "!", "work": ""}[_kind(lt)]


def _short_day(shift: int) -> str:
    return f"{shift:+d}d" if shift else ""


def _hours(work_hours: tuple[time, time]) -> str:
    end = "24:00" if work_hours[1] >= time(23, 59) else f"{work_hours[1]:%H:%M}"
    return f"{work_hours[0]:%H:%M}–{end}"


def _legend(work_hours: tuple[time, time]) -> str:
    return (f"! outside working hours ({_hours(work_hours)} local)   !! at night ({NIGHT[0]:%H:%M}–{NIGHT[1]:%H:%M})   "
            "+1d/-1d: the day after/before the meeting's date")


def _notes(zones: Sequence[ParticipantZone]) -> list[str]:
    notes = []
    for z in zones:
        if z.note and z.source != "meeting":
            notes.append(z.note)
        if z.people:
            notes.append(f"{z.label}: {', '.join(z.people)}")
    return notes


def render_times(fmt: str, agenda: Agenda, times: Sequence[LocalTime], zones: Sequence[ParticipantZone],
                 work_hours: tuple[time, time] = (time(8), time(20)), *, width: int = 80, color: bool = False) -> str:
    """Dispatch on the ``--format`` name."""
    if fmt == "table":
        return render_times_table(agenda, times, zones, work_hours, width=width, color=color)
    if fmt == "csv":
        return render_times_csv(times)
    if fmt == "json":
        return render_times_json(agenda, times, zones, work_hours)
    if fmt == "markdown":
        return render_times_markdown(agenda, times, zones, work_hours)
    if fmt == "html":
        return render_times_html(agenda, times, zones, work_hours)
    raise ValueError(f"unknown format {fmt!r}")


# --- table (rich, to a string) -----------------------------------------------------------------------------------------


def render_times_table(agenda: Agenda, times: Sequence[LocalTime], zones: Sequence[ParticipantZone],
                       work_hours: tuple[time, time] = (time(8), time(20)), *, width: int = 80, color: bool = False) -> str:
    """A terminal table: blocks × zones when that fits ``width``, else zones × block starts, else one row per pair."""
    from rich import box
    from rich.console import Console, Group
    from rich.table import Table
    from rich.text import Text

    console = Console(file=io.StringIO(), width=width, force_terminal=color, color_system="standard" if color else None,
                      no_color=not color, highlight=False, emoji=False, markup=False, legacy_windows=False)
    blocks, zone_list, cells = _grid(times)
    styles = {"work": "green", "edge": "yellow", "night": "bold red"}

    def cell(lt: LocalTime, text: str, compact: bool = False) -> Text:
        marks = ("" if compact else " ").join(m for m in (_short_day(lt.day_shift), _marker(lt)) if m)
        sep = "" if compact else " "
        return Text(f"{text}{sep}{marks}".rstrip(), style=styles[_kind(lt)] if color else "")

    def offset(i: int) -> str:
        first = cells[(blocks[0].key, i)]
        return f"UTC{first.offset}" + (" summer" if first.dst else "")

    def table(columns: list[tuple[Text | str, list[Text], int | None]]) -> tuple[Table, int]:
        """A table from (header, cells, minimum width or None for no wrapping) columns, and the width it needs."""
        t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
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
        return t, need + 2 * (len(columns) - 1)

    def zone_head(i: int, z: ParticipantZone) -> Text:
        return Text(f"{z.label}\n{offset(i)}")

    # 1. Blocks as rows, zones as columns: the whole picture, when the terminal is wide enough.
    chosen, need = table(
        [("Block", [Text(b.label) for b in blocks], 16)]
        + [(zone_head(i, z), [cell(cells[(b.key, i)], f"{cells[(b.key, i)].start:%H:%M}–{cells[(b.key, i)].end:%H:%M}")
                             for b in blocks], 11) for i, z in enumerate(zone_list)]
    )
    heads = _block_heads(blocks)
    block_list = False
    if need > width:
        # 2. Zones as rows, block starts as columns; each block's span is listed below the table.
        chosen, need = table(
            [("Zone", [Text(f"{z.label}\n{z.zone}\n{offset(i)}" if z.zone not in z.label else f"{z.label}\n{offset(i)}")
                       for i, z in enumerate(zone_list)], 12)]
            + [(head, [cell(cells[(b.key, i)], f"{cells[(b.key, i)].start:%H:%M}", compact=True)
                       for i in range(len(zone_list))], None)
               for head, b in zip(heads, blocks)]
            + [("end", [Text(f"{cells[(blocks[-1].key, i)].end:%H:%M}") for i in range(len(zone_list))], None)]
        )
        block_list = True
        if need > width:
            # 3. One row per block and zone: always fits, longer to read.
            pairs = [(b, i, z) for b in blocks for i, z in enumerate(zone_list)]
            chosen, need = table([
                ("Block", [Text(b.label if i == 0 else "") for b, i, _ in pairs], 12),
                ("Zone", [Text(z.label) for _, _, z in pairs], 10),
                ("Local time", [cell(cells[(b.key, i)], format_local_span(cells[(b.key, i)])) for b, i, _ in pairs], 11),
            ])
            block_list = False
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
    parts.append(Text(_legend(work_hours), style="dim"))
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

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!{}~])")


def _md(text: str) -> str:
    """Markdown-escaped text on one line: agenda text never becomes markup or raw HTML."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


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
        row = []
        for i in range(len(zone_list)):
            lt = cells[(b.key, i)]
            marks = " ".join(m for m in (_short_day(lt.day_shift), _marker(lt)) if m)
            row.append(_md(f"{lt.start:%H:%M}–{lt.end:%H:%M} {marks}".rstrip()))
        lines.append(f"| {_md(b.label)} | " + " | ".join(row) + " |")
    lines += ["", _md(_legend(work_hours))]
    lines += [f"- {_md(n)}" for n in _notes(zone_list)]
    return "\n".join(lines).rstrip() + "\n"


# --- html --------------------------------------------------------------------------------------------------------------

_CSS = """
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; background: #fff; }
body { margin: 1.5rem; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
p.meta { margin: 0 0 1rem; color: #4a5365; }
table.grid { border-collapse: separate; border-spacing: 3px; }
.grid th, .grid td { padding: .35rem .5rem; text-align: left; vertical-align: top; border-radius: 4px; }
.grid thead th { background: #eef1f6; font-weight: 600; font-size: .9rem; }
.grid thead th small, .grid td small { display: block; font-weight: 400; color: #4a5365; font-size: .75rem; }
.grid tbody th { font-weight: 500; min-width: 14rem; max-width: 24rem; background: #f6f7f9; }
.grid td { white-space: nowrap; font-variant-numeric: tabular-nums; }
.work { background: #d8f3dc; }
.edge { background: #ffe8a3; }
.night { background: #2b2d42; color: #f1f1f6; }
.night small { color: #c9cbe0 !important; }
.viewer { outline: 2px solid #3a6ea5; }
.legend { margin: 1rem 0; display: flex; gap: 1rem; flex-wrap: wrap; font-size: .9rem; }
.legend span { padding: .15rem .5rem; border-radius: 4px; }
ul.notes { color: #4a5365; font-size: .9rem; }
"""

# Runs in the viewer's browser: their own zone's times from the UTC instants, written with textContent only.
_SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("calsync-data").textContent);
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  var fmt = new Intl.DateTimeFormat("en-GB", {timeZone: zone || undefined, hourCycle: "h23",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"});
  function parts(ms) {
    var out = {};
    fmt.formatToParts(new Date(ms)).forEach(function (p) { out[p.type] = p.value; });
    var hour = out.hour === "24" ? "00" : out.hour;
    return {date: out.year + "-" + out.month + "-" + out.day, hm: hour + ":" + out.minute,
            minutes: parseInt(hour, 10) * 60 + parseInt(out.minute, 10)};
  }
  function days(a, b) { return Math.round((Date.parse(a + "T00:00:00Z") - Date.parse(b + "T00:00:00Z")) / 86400000); }
  function kind(s, e) {
    var n = data.night, w = data.work;
    var spans = [[n[0] - 1440, n[1]], [n[0], n[1] + 1440], [n[0] + 1440, n[1] + 2880]];
    for (var i = 0; i < spans.length; i++) { if (s < spans[i][1] && e > spans[i][0]) { return "night"; } }
    return (s < w[0] || e > w[1]) ? "edge" : "work";
  }
  data.blocks.forEach(function (b) {
    var cell = document.getElementById("viewer-" + b.index);
    if (!cell) { return; }
    var s = parts(b.start_ms), e = parts(b.end_ms);
    var shift = days(s.date, b.meeting_date);
    var end = s.minutes + Math.round((b.end_ms - b.start_ms) / 60000);
    cell.textContent = s.hm + "\\u2013" + e.hm;
    if (shift) {
      var small = document.createElement("small");
      small.textContent = (shift > 0 ? "+" : "") + shift + " day";
      cell.appendChild(small);
    }
    cell.className = "viewer " + kind(s.minutes, end);
    cell.setAttribute("data-local-start", s.date + "T" + s.hm);
  });
  document.getElementById("viewer-zone").textContent = zone || "this computer's zone";
  document.documentElement.setAttribute("data-calsync-rendered", "1");
})();
"""


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element: ``<``, ``>`` and ``&`` become ``\\u`` escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_times_html(agenda: Agenda, times: Sequence[LocalTime], zones: Sequence[ParticipantZone],
                      work_hours: tuple[time, time] = (time(8), time(20))) -> str:
    """One self-contained page: a blocks × zones grid in colour, a legend, and a column in the viewer's own zone."""
    e = html.escape
    blocks, zone_list, cells = _grid(times)
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode()
    # Nothing may be fetched and only our own script may run, even if escaping were ever to fail.
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; img-src data:"
    out = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(agenda.title)} – local times</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(agenda.title)}</h1>",
        f'<p class="meta">{e(_meeting_line(agenda))}. Your own zone: <strong id="viewer-zone">'
        "(needs JavaScript)</strong></p>",
        '<table class="grid">',
        "<thead><tr><th>Block</th>",
        # The viewer's own column comes first: it is the one each reader looks for.
        '<th class="viewer">Your time<small>in your browser\'s zone</small></th>',
    ]
    for i, z in enumerate(zone_list):
        first = cells[(blocks[0].key, i)]
        sub = z.zone if z.zone not in z.label else ""
        offset = f"UTC{first.offset}" + (" · summer time" if first.dst else "")
        people = f' title="{e(", ".join(z.people))}"' if z.people else ""
        out.append(f"<th{people}>{e(z.label)}<small>{e(sub)}</small><small>{e(offset)}</small></th>")
    out.append("</tr></thead>")
    out.append("<tbody>")
    data_blocks = []
    for index, b in enumerate(blocks, 1):
        out.append(f'<tr><th scope="row">{e(b.label)}</th><td class="viewer" id="viewer-{index}">–</td>')
        for i in range(len(zone_list)):
            lt = cells[(b.key, i)]
            tip = f"{lt.zone.label}: {lt.start:%Y-%m-%d %H:%M}–{lt.end:%H:%M} UTC{lt.offset}"
            if lt.flags:
                tip += " (" + ", ".join(lt.flags) + ")"
            day = f"<small>{e(day_marker(lt.day_shift))}</small>" if lt.day_shift else ""
            out.append(f'<td class="{_kind(lt)}" title="{e(tip)}">{lt.start:%H:%M}–{lt.end:%H:%M}{day}</td>')
        out.append("</tr>")
        data_blocks.append({
            "index": index,
            "title": b.label,
            "start_ms": int(b.start.timestamp() * 1000),
            "end_ms": int(b.end.timestamp() * 1000),
            "start_utc": b.start.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
            "meeting_date": b.start.astimezone(agenda.tzinfo).date().isoformat(),
        })
    out.append("</tbody></table>")
    out.append('<div class="legend">'
               f'<span class="work">working hours ({e(_hours(work_hours))} local)</span>'
               '<span class="edge">early or late</span>'
               f'<span class="night">night ({NIGHT[0]:%H:%M}–{NIGHT[1]:%H:%M})</span>'
               '<span class="viewer">your own zone</span></div>')
    notes = _notes(zone_list)
    if notes:
        out.append('<ul class="notes">' + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>")
    data = {
        "meeting_zone": agenda.timezone.zone,
        "work": [_minute(work_hours[0]), _minute(work_hours[1])],
        "night": [_minute(NIGHT[0]), _minute(NIGHT[1])],
        "blocks": data_blocks,
    }
    out.append(f'<script type="application/json" id="calsync-data">{_json_for_script(data)}</script>')
    out.append(f"<script>{_SCRIPT}</script>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def _minute(t: time) -> int:
    return t.hour * 60 + t.minute + (1 if t.second or t.microsecond else 0)

