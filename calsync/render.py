"""Renderers: participants' local times as a terminal table, CSV, JSON, Markdown or a self-contained HTML page.

Every function returns a string and never prints; the CLI decides where it goes. Agenda text is untrusted: it is
escaped for each format (rich markup, Markdown, HTML, JSON inside ``<script>``, spreadsheet formulas in CSV), and
its control characters are shown (``␛``), never written raw to a terminal or a file.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import re
from collections import Counter
from datetime import time, timezone
from typing import Any, Sequence

from .model import Agenda, Block, short_offset
from .printable import json_text, one_line
from .zones import NIGHT, LocalTime, ParticipantZone, day_marker, format_local_span, minute_of_day

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
        [("Block", [Text(one_line(b.label)) for b in blocks], 16)]
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
            label = one_line(z.label)
            return Text(f"{label}\n{z.zone}\n{offset(i)}" if z.zone not in label else f"{label}\n{offset(i)}")

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
                ("Block", [Text(one_line(b.label) if i == 0 else "") for b, i, _ in pairs], 12),
                ("Zone", [Text(one_line(z.label)) for _, _, z in pairs], 10),
                ("Local time", [Text(f"{format_local_span(cells[(b.key, i)])} {_marker(cells[(b.key, i)])}".rstrip(),
                                     style=styles[_kind(cells[(b.key, i)])] if color else "")
                                for b, i, _ in pairs], 11),
            ])
    parts: list[Any] = [Text(one_line(agenda.title), style="bold"), Text(_meeting_line(agenda)), chosen]
    if block_list:
        listing = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
        listing.add_column(justify="right", no_wrap=True)
        listing.add_column(no_wrap=True)
        listing.add_column(overflow="fold")
        for head, b in zip(heads, blocks):
            lt = cells[(b.key, 0)]
            listing.add_row(one_line(head), f"{lt.start:%H:%M}–{lt.end:%H:%M}", Text(one_line(b.label)))
        parts.append(listing)
    legend = _legend(work_hours, times, grid=not one_per_pair)
    if legend:
        parts.append(Text(legend, style="dim"))
    parts.extend(Text(one_line(n), style="dim") for n in _notes(zone_list))
    console.print(Group(*parts), crop=False)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


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
    return json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


# --- markdown --------------------------------------------------------------------------------------------------------

# Only what would change a Markdown table or start markup is escaped, so that the text still reads well when the
# "Markdown" is pasted into a plain-text e-mail: "|" (a new cell), "<" before a tag (raw HTML), "](" (a link),
# "`" (code), and a backslash before punctuation (it would escape what follows). "Costa_Rica" and "!" stay as they are.
_MD_ESCAPES = re.compile(r"\\(?=[!-/:-@\[-`{-~])|\||<(?=[A-Za-z/!?])|\](?=\()|`")


def _md(text: str) -> str:
    """Agenda text on one line, safe in a Markdown table cell: never a new column, raw HTML, a link or code."""
    return _MD_ESCAPES.sub(lambda m: "\\" + m.group(0), one_line(str(text)))


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


# --- html --------------------------------------------------------------------------------------------------------------

_CSS = """
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; background: #fff; }
body { margin: 1.25rem; }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
p.meta { margin: 0 0 .75rem; color: #4a5365; }
.hint { margin: 0 0 .4rem; font-size: .85rem; color: #3a6ea5; font-weight: 600; }
.scroll { overflow: auto; max-height: 85vh; max-width: 100%; border: 1px solid #dde1e8; border-radius: 6px; }
table.grid { border-collapse: separate; border-spacing: 0; font-size: .85rem; }
.grid th, .grid td { padding: .3rem .45rem; text-align: left; vertical-align: top; border: 1px solid #fff; }
.grid thead th { position: sticky; top: 0; z-index: 2; background: #eef1f6; font-weight: 600; max-width: 8rem; }
.grid thead th small, .grid td small { display: block; font-weight: 400; color: #4a5365; font-size: .75rem; }
.grid thead th small { white-space: nowrap; }
.grid thead th small.who { white-space: normal; }
.grid th.block { position: sticky; left: 0; z-index: 1; background: #f6f7f9; font-weight: 500; min-width: 10rem;
  max-width: 17rem; white-space: normal; box-shadow: 2px 0 0 #dde1e8; }
.grid thead th.block { z-index: 3; background: #eef1f6; }
.grid td { white-space: nowrap; font-variant-numeric: tabular-nums; }
.grid td .mark { font-weight: 700; font-size: .72rem; text-transform: uppercase; letter-spacing: .03em; color: inherit; }
.work { background: #d8f3dc; }
.edge { background: #ffe8a3; }
.night { background: #2b2d42; color: #f1f1f6; }
.night small { color: #c9cbe0 !important; }
.viewer { outline: 2px solid #3a6ea5; outline-offset: -2px; }
.legend { margin: .75rem 0; display: flex; gap: .6rem; flex-wrap: wrap; font-size: .85rem; }
.legend span { padding: .15rem .5rem; border-radius: 4px; }
ul.notes { color: #4a5365; font-size: .85rem; padding-left: 1.2rem; }
@media (max-width: 640px) {
  body { margin: .5rem; }
  table.grid { font-size: .8rem; }
  .grid th.block { min-width: 6.5rem; max-width: 8.5rem; font-size: .75rem; }
  .grid th, .grid td { padding: .25rem .3rem; }
}
@media print {
  .scroll { overflow: visible; max-height: none; border: 0; }
  .hint { display: none; }
  .grid thead th, .grid th.block { position: static; }
  .work, .edge, .night, .viewer { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# Runs in the viewer's browser: their own zone's times from the UTC instants, written with textContent only; and the
# sideways-scroll hint, shown only when the grid is wider than the window.
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
    for (var i = 0; i < spans.length; i++) { if (s < spans[i][1] && e > spans[i][0]) { return ["night", "night"]; } }
    var words = [];
    if (s < w[0]) { words.push("early"); }
    if (e > w[1]) { words.push("late"); }
    return words.length ? ["edge", words.join(", ")] : ["work", ""];
  }
  function small(cell, text, cls) {
    var el = document.createElement("small");
    if (cls) { el.className = cls; }
    el.textContent = text;
    cell.appendChild(el);
  }
  data.blocks.forEach(function (b) {
    var cell = document.getElementById("viewer-" + b.index);
    if (!cell) { return; }
    var s = parts(b.start_ms), e = parts(b.end_ms);
    var shift = days(s.date, b.meeting_date);
    var end = s.minutes + Math.round((b.end_ms - b.start_ms) / 60000);
    var k = kind(s.minutes, end);
    cell.textContent = s.hm + "\\u2013" + e.hm;
    if (shift) { small(cell, (shift > 0 ? "+" : "") + shift + " day", ""); }
    if (k[1]) { small(cell, k[1], "mark"); }
    cell.className = "viewer " + k[0];
    cell.setAttribute("data-local-start", s.date + "T" + s.hm);
  });
  document.getElementById("viewer-zone").textContent = zone || "this computer's zone";
  var box = document.getElementById("grid-scroll"), hint = document.getElementById("scroll-hint");
  function overflow() { hint.hidden = box.scrollWidth <= box.clientWidth + 1; }
  overflow();
  window.addEventListener("resize", overflow);
  document.documentElement.setAttribute("data-calsync-rendered", "1");
})();
"""


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element: ``<``, ``>`` and ``&`` become ``\\u`` escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_times_html(agenda: Agenda, times: Sequence[LocalTime], zones: Sequence[ParticipantZone],
                      work_hours: tuple[time, time] = (time(8), time(20))) -> str:
    """One self-contained page: a blocks × zones grid in colour and words (early, late, night), a legend, and a column
    in the viewer's own zone. The block column and the header row stay in view while the grid scrolls."""
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
        '<p class="hint" id="scroll-hint" hidden>More zones to the right: scroll the table sideways →</p>',
        '<div class="scroll" id="grid-scroll" tabindex="0">',
        '<table class="grid">',
        '<thead><tr><th class="block" scope="col">Block</th>',
        # The viewer's own column comes first: it is the one each reader looks for.
        '<th class="viewer" scope="col">Your time<small>your own zone</small></th>',
    ]
    for i, z in enumerate(zone_list):
        first = cells[(blocks[0].key, i)]
        offset = "UTC" + short_offset(first.start.utcoffset()) + (" summer" if first.dst else "")
        tip = " · ".join(p for p in (z.label, z.zone, f"UTC{first.offset}" + (" summer time" if first.dst else ""),
                                     ", ".join(z.people)) if p)
        who = f'<small class="who">{e(_first_names(z.people))}</small>' if z.people else ""
        out.append(f'<th scope="col" title="{e(tip)}">{e(_short_label(z))}<small>{e(offset)}</small>{who}</th>')
    out.append("</tr></thead>")
    out.append("<tbody>")
    data_blocks = []
    for index, b in enumerate(blocks, 1):
        out.append(f'<tr><th class="block" scope="row">{e(b.label)}</th><td class="viewer" id="viewer-{index}">–</td>')
        for i in range(len(zone_list)):
            lt = cells[(b.key, i)]
            tip = f"{lt.zone.label}: {lt.start:%Y-%m-%d %H:%M}–{lt.end:%H:%M} UTC{lt.offset}"
            if lt.flags:
                tip += " (" + ", ".join(lt.flags) + ")"
            day = f"<small>{e(day_marker(lt.day_shift))}</small>" if lt.day_shift else ""
            words = _words(lt)
            mark = f'<small class="mark">{e(words)}</small>' if words else ""
            out.append(f'<td class="{_kind(lt)}" title="{e(tip)}">{lt.start:%H:%M}–{lt.end:%H:%M}{day}{mark}</td>')
        out.append("</tr>")
        data_blocks.append({
            "index": index,
            "title": b.label,
            "start_ms": int(b.start.timestamp() * 1000),
            "end_ms": int(b.end.timestamp() * 1000),
            "start_utc": b.start.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
            "meeting_date": b.start.astimezone(agenda.tzinfo).date().isoformat(),
        })
    out.append("</tbody></table></div>")
    out.append('<div class="legend">'
               f'<span class="work">working hours ({e(_hours(work_hours))} local)</span>'
               '<span class="edge">EARLY / LATE: outside working hours</span>'
               f'<span class="night">NIGHT: {_night()}</span>'
               '<span class="viewer">your own zone</span></div>')
    notes = _notes(zone_list)
    if notes:
        out.append('<ul class="notes">' + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>")
    data = {
        "meeting_zone": agenda.timezone.zone,
        "work": [minute_of_day(work_hours[0]), minute_of_day(work_hours[1])],
        "night": [minute_of_day(NIGHT[0]), minute_of_day(NIGHT[1])],
        "blocks": data_blocks,
    }
    out.append(f'<script type="application/json" id="calsync-data">{_json_for_script(data)}</script>')
    out.append(f"<script>{_SCRIPT}</script>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"
