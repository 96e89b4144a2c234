"""``calsync times``: the renderers (table, CSV, JSON, Markdown, HTML) and the command."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest
from page_markup import unmarked
from typer.testing import CliRunner

from calsync.cli import app
from calsync.model import Agenda
from calsync.render import (
    TIMES_FIELDS,
    render_times_csv,
    render_times_json,
    render_times_markdown,
    render_times_table,
)
from calsync.schema import agenda_from_data
from calsync.site import render_times_html
from calsync.zones import local_times, participant_zones

HOSTILE = "</script><script>alert(1)</script> <img src=x onerror=alert(2)> [bold]x[/bold] | *y* & z"

# The expected first-block starts on the built-in agenda.
EXPECTED_STARTS = {
    "Guatemala": "08:00",
    "Honduras": "08:00",
    "Costa Rica": "08:00",
    "Chili": "10:00",
    "Côte d'Ivoire": "14:00",
    "Ghana": "14:00",
    "Cameroun": "15:00",
    "Madagascar": "17:00",
}
SEED_ORDER = ["Guatemala", "Honduras", "Côte d'Ivoire", "Ghana", "Costa Rica", "Cameroun", "Chili", "Madagascar"]


def hostile(agenda: Agenda) -> Agenda:
    """The seed with an agenda title and a block title that try to become markup."""
    blocks = (replace(agenda.blocks[0], title=HOSTILE), *agenda.blocks[1:])
    return replace(agenda, title=HOSTILE, blocks=blocks)


CHILE = (
    "Chili (Chile Standard Time; Easter Island −2\u00a0h, Punta Arenas +1\u00a0h)"  # its other clocks on 22 July 2020
)


def plain(label: str) -> str:
    """A row's label without a country's other clocks."""
    return label.split(" (")[0]


def rendered(agenda: Agenda, work_hours: tuple[time, time] = (time(8), time(20)), **kw: object):  # noqa: ANN201
    zones = participant_zones(agenda, **kw)  # type: ignore[arg-type]
    return agenda, local_times(agenda, zones, work_hours), zones


# --- csv / json -------------------------------------------------------------------------------------------------------


def test_csv_has_one_row_per_block_and_zone(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda)
    rows = list(csv.DictReader(io.StringIO(render_times_csv(times))))
    assert tuple(rows[0]) == TIMES_FIELDS
    assert len(rows) == 7 * 9
    chile = next(r for r in rows if r["label"] == CHILE and r["block"] == "1")
    assert chile == {
        "block": "1",
        "number": "I",
        "title": "Accueil par la présidence",
        "zone": "America/Santiago",
        "label": CHILE,
        "date": "2020-07-22",
        "start": "2020-07-22T10:00:00-04:00",
        "end": "2020-07-22T10:08:00-04:00",
        "offset": "-04:00",
        "dst": "false",
        "day_shift": "0",
        "flags": "",
    }
    # The two blocks numbered "VI" stay apart: position 6 and 7.
    assert {r["block"] for r in rows if r["number"] == "VI"} == {"6", "7"}


def test_csv_flags_and_day_shift(seed_agenda: Agenda) -> None:
    _, times, _ = rendered(seed_agenda, tz=["Tokyo"])
    rows = [r for r in csv.DictReader(io.StringIO(render_times_csv(times))) if r["zone"] == "Asia/Tokyo"]
    assert (rows[0]["start"], rows[0]["flags"], rows[0]["day_shift"]) == (
        "2020-07-22T23:00:00+09:00",
        "outside-work-hours;night",
        "0",
    )
    assert (rows[-1]["date"], rows[-1]["start"], rows[-1]["day_shift"]) == (
        "2020-07-23",
        "2020-07-23T00:55:00+09:00",
        "1",
    )


def test_json_rows_and_zones(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda)
    data = json.loads(render_times_json(agenda, times, zones))
    assert data["meeting_zone"] == "Europe/Paris"
    assert [plain(z["label"]) for z in data["zones"]][1:] == SEED_ORDER
    assert data["zones"][0]["source"] == "meeting"
    assert (data["days"], data["language"]) == (["2020-07-22"], None)
    chile = next(z for z in data["zones"] if z["label"] == CHILE)
    assert chile["zone"] == "America/Santiago" and chile["note"] is None  # the label says it all
    row = data["rows"][1]
    assert set(row) == set(TIMES_FIELDS)
    assert (row["block"], row["zone"], row["start"], row["dst"], row["flags"]) == (
        1,
        "America/Guatemala",
        "2020-07-22T08:00:00-06:00",
        False,
        [],
    )
    assert data["rows"][0]["dst"] is True


# --- markdown ---------------------------------------------------------------------------------------------------------


def test_markdown_grid_for_an_email(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda)
    text = render_times_markdown(agenda, times, zones)
    header = next(line for line in text.splitlines() if line.startswith("| Block |"))
    assert [plain(c.strip()) for c in header.strip("|").split("|")][2:] == SEED_ORDER
    first = next(line for line in text.splitlines() if line.startswith("| I. Accueil"))
    assert "| 08:00–08:08 |" in first and "| 10:00–10:08 |" in first and "| 17:00–17:08 |" in first
    assert f"| {CHILE} | America/Santiago | UTC−04:00 | no |" in text


def test_markdown_escapes_agenda_text(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(hostile(seed_agenda))
    text = render_times_markdown(agenda, times, zones)
    assert not re.search(r"(?<!\\)<[a-z/]", text)  # no agenda angle bracket can start raw HTML
    assert "\\</script>\\<script>" in text and "\\| *y*" in text
    # Every grid row still has one cell per zone plus the block: an agenda "|" did not add columns.
    grid = [line for line in text.splitlines() if line.startswith("| ") and "–" in line and "UTC" not in line]
    assert all(len(re.findall(r"(?<!\\)\|", line)) == 11 for line in grid)


def test_markdown_reads_as_plain_text(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(
        seed_agenda, (time(9), time(18)), tz=["Costa Rica", "America/Costa_Rica", "Tokyo", "Guatemala"]
    )
    text = render_times_markdown(agenda, times, zones, (time(9), time(18)))
    assert "\\" not in text  # no backslash escapes to show literally in a plain-text e-mail
    assert "| Costa Rica | America/Costa_Rica | UTC−06:00 | no |" in text
    # Tokyo's local date, written out where it is not the meeting's
    assert "| 00:55–01:00 Thu, Jul 23 (night) |" in text and "| 08:00–08:08 (early) |" in text
    # The legend: one line each, as list items so that Markdown keeps them apart.
    assert (
        "\n- early, late: outside working hours (09:00–18:00 local)\n- night: between 22:00 and 06:00 local\n" in text
    )


# --- table ------------------------------------------------------------------------------------------------------------


def test_table_fits_80_columns_with_the_seed_countries(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda)
    text = render_times_table(agenda, times, zones, width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    for label in EXPECTED_STARTS:
        row = next(line for line in text.splitlines() if line.startswith(label))
        assert re.findall(r"\d\d:\d\d", row)[0] == EXPECTED_STARTS[label]
    # Chile's other clocks are in its row, however the table wraps it.
    assert "Easter Island −2" in text and "Punta Arenas +1\u00a0h)" in text


def test_table_uses_blocks_as_rows_when_zones_fit(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda, tz=["Ghana", "Tokyo"])
    text = render_times_table(agenda, times, zones, width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    first = next(line for line in text.splitlines() if line.startswith("I. Accueil"))
    assert "16:00–16:08" in first and "14:00–14:08" in first and "23:00–23:08*" in first
    last = next(line for line in text.splitlines() if line.startswith("VI. Remarques"))
    assert "00:55–01:00+*" in last
    assert "* night (22:00–06:00)   + next day" in text


def test_table_falls_back_to_one_row_per_pair_when_narrow(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda)
    text = render_times_table(agenda, times, zones, width=50)
    assert max(len(line) for line in text.splitlines()) <= 50
    assert "10:00–10:08" in text and "(UTC−04:00)" in text


def test_table_one_row_per_pair_names_the_day_once(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda, tz=["Tokyo", "Ghana", "Chile", "Guatemala"])
    text = render_times_table(agenda, times, zones, width=50)
    assert max(len(line) for line in text.splitlines()) <= 50
    flat = " ".join(text.split())
    assert flat.count("Thu, Jul 23") == 3  # blocks V, #6, #7 in Tokyo, on Tokyo's own date
    assert "Tokyo 00:55–01:00 Thu, Jul 23 (UTC+09:00) * Ghana" in flat


def test_table_keeps_the_grid_when_cells_are_flagged(seed_agenda: Agenda) -> None:
    # --work-hours 09:00-18:00 flags the Central American mornings and Madagascar's evening.
    agenda, times, zones = rendered(seed_agenda, (time(9), time(18)))
    text = render_times_table(agenda, times, zones, (time(9), time(18)), width=80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert len(lines) < 45  # the zones × blocks grid, not 60+ lines of one row per pair
    assert any(re.match(r"Zone\s+I\s+II\s+III\s+IV\s+V\s+#6\s+#7\s+end$", line) for line in lines[:4])
    guatemala = next(line for line in lines if line.startswith("Guatemala"))
    assert guatemala.split()[1:] == ["08:00!", "08:08!", "08:15!", "08:50!", "09:00", "09:30", "09:55", "10:00"]
    # The end column is flagged as the last block is.
    madagascar = next(line for line in lines if line.startswith("Madagascar"))
    assert madagascar.split()[-2:] == ["18:55!", "19:00!"]
    assert "! outside working hours (09:00–18:00 local)" in lines


def test_table_keeps_the_grid_with_night_and_next_day_marks(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda, tz=["Tokyo", "Guatemala", "Ghana", "Madagascar", "Chile"])
    text = render_times_table(agenda, times, zones, width=80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80 and len(lines) < 40
    tokyo = next(line for line in lines if line.startswith("Tokyo"))
    assert tokyo.split()[1:] == ["23:00*", "23:08*", "23:15*", "23:50*", "00:00+*", "00:30+*", "00:55+*", "01:00+*"]
    assert "* night (22:00–06:00)   + next day" in lines


def test_table_colours_the_end_column_as_the_last_block(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda, tz=["Tokyo", "Guatemala", "Ghana", "Madagascar", "Chile"])
    text = render_times_table(agenda, times, zones, width=80, color=True)
    tokyo = next(line for line in text.splitlines() if "Tokyo" in line)
    assert re.search(r"\x1b\[[0-9;]*m01:00\+\*", tokyo)


def test_table_shows_agenda_text_literally(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(hostile(seed_agenda), tz=["Ghana"])
    text = render_times_table(agenda, times, zones, width=200)
    assert "[bold]x[/bold]" in text  # not taken as rich markup


def test_table_colour_only_when_asked(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda, tz=["Tokyo"])
    assert "\x1b[" not in render_times_table(agenda, times, zones)
    assert "\x1b[" in render_times_table(agenda, times, zones, color=True)


# --- html (static checks; the browser test is in test_times_html_browser.py) ------------------------------------------


def test_html_escapes_everything_from_the_agenda(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(hostile(seed_agenda))
    page = render_times_html(agenda, times, zones)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page
    assert page.count("<script") == 2 and page.count("</script>") == 2  # the data element and our own script
    data = re.search(r'<script type="application/json" id="calsync-data">(.*?)</script>', page, re.S)
    assert data is not None
    assert json.loads(data.group(1))["blocks"][0]["title"] == "I. " + HOSTILE


def test_html_is_self_contained(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda)
    page = render_times_html(agenda, times, zones)
    assert not re.search(r"""(src|href)\s*=|@import|url\(|<link|<iframe""", page, re.I)
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    for cls in ("work", "edge", "night", "viewer"):
        assert f'class="{cls}"' in page  # the legend names every colour
    assert 'id="viewer-zone"' in page and 'id="viewer-7"' in page
    assert '<td class="work" title="America/Santiago: 2020-07-22 10:00–10:08 UTC-04:00">10:00–10:08</td>' in page


def test_html_colours_night_and_early_cells(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(
        seed_agenda, (time(9), time(18)), tz=["Tokyo", "Pacific/Honolulu", "America/Guatemala"]
    )
    page = unmarked(render_times_html(agenda, times, zones, (time(9), time(18))))
    assert '<td class="night" title="Asia/Tokyo: 2020-07-22 23:00–23:08 UTC+09:00">' in page
    # Words besides colour, for colour-blind readers and greyscale print.
    assert '23:00–23:08<small class="mark">night</small></td>' in page
    assert '00:55–01:00<small>+1 day</small><small class="mark">night</small>' in page
    assert '>08:00–08:08<small class="mark">early</small></td>' in page


def test_html_headers_are_compact_and_the_grid_scrolls_with_sticky_edges(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda)
    page = unmarked(render_times_html(agenda, times, zones))
    head = re.search(r"<thead>(.*?)</thead>", page, re.S)
    assert head is not None
    # The label and a short offset; the IANA name only in the title (a tooltip).
    assert (
        '<th scope="col" title="Central European Summer Time (Europe/Paris) · Europe/Paris · UTC+02:00 summer time">'
        "Central European Summer Time<small>UTC+2 summer</small></th>"
    ) in head.group(1)
    assert (
        f'<th scope="col" title="{CHILE} · America/Santiago · UTC-04:00">{CHILE}<small>UTC-4</small></th>'
        in head.group(1)
    )
    assert re.search(r"\.grid thead th \{ position: sticky; top: 0;", page)
    assert re.search(r"\.grid th\.block \{ position: sticky; left: 0;", page)
    assert re.search(r"\.grid td \{ white-space: nowrap;", page)
    assert '<div class="scroll" id="grid-scroll"' in page and 'id="scroll-hint" hidden' in page
    assert page.count('<th class="block" scope="row">') == 7


def test_html_puts_people_in_their_column_header(seed_agenda: Agenda, data_dir: Path) -> None:
    agenda, times, zones = rendered(seed_agenda, participants=data_dir / "participants.csv")
    page = unmarked(render_times_html(agenda, times, zones))
    ghana = re.search(r'<th scope="col" title="Ghana · [^"]*">.*?</th>', page)
    assert ghana is not None
    assert ghana.group(0).endswith('Ghana<small>UTC+0</small><small class="who">Kwame, Ama</small></th>')
    assert "Kwame Mensah, Ama Owusu" in ghana.group(0)  # the full names in the tooltip


def test_participant_outputs_give_no_command_line_advice(seed_agenda: Agenda) -> None:
    agenda, times, zones = rendered(seed_agenda, tz=["Chili", "EST"])
    for text in (render_times_html(agenda, times, zones), render_times_markdown(agenda, times, zones)):
        assert "--tz" not in text and "use --" not in text
        assert CHILE in text
        assert "EST read as Eastern Time (America/New_York), UTC−4 in summer" in text


# --- the command ------------------------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_times_on_the_built_in_agenda_shows_the_eight_countries() -> None:
    result = runner.invoke(app, ["times", "-q", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    first = [r for r in rows if r["block"] == "1"]
    starts = {plain(r["label"]): r["start"][11:16] for r in first}
    del starts["Heure d’été d’Europe centrale"]  # the meeting's own clock, in the agenda's language
    assert {k: starts[k] for k in EXPECTED_STARTS} == EXPECTED_STARTS
    assert first[0]["start"][11:16] == "16:00" and first[0]["dst"] == "true"


@pytest.mark.parametrize(
    "fmt, marker", [("table", "Madagascar"), ("json", '"rows"'), ("markdown", "| Point |"), ("html", "<!doctype html>")]
)
def test_cli_times_formats(fmt: str, marker: str) -> None:
    result = runner.invoke(app, ["times", "-q", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert marker in result.stdout


def test_cli_times_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "times.html"
    result = runner.invoke(app, ["times", "--tz", "Asia/Kolkata", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "19:30–19:38" in out.read_text(encoding="utf-8")
    assert result.stdout == ""


def test_cli_times_participants(data_dir: Path) -> None:
    result = runner.invoke(app, ["times", "-q", "-f", "json", "--participants", str(data_dir / "participants.csv")])
    assert result.exit_code == 0, result.output
    zones = json.loads(result.stdout)["zones"]
    assert {
        "label": "Bogotá",
        "zone": "America/Bogota",
        "source": "participants",
        "note": None,
        "people": ["Ana Pérez"],
    } in zones


@pytest.mark.parametrize(
    "args, code, message",
    [
        (
            ["--tz", "Guatamala"],
            65,
            "calsync: error: unknown time zone, country or city 'Guatamala'; did you mean Guatemala",
        ),
        (
            ["--work-hours", "20-8"],
            2,
            "calsync: error: --work-hours '20-8' ends before it starts; write them as HH:MM-HH:MM",
        ),
        # no IANA zone for a half-hour offset: the hint names --tz and a zone that keeps it all year, from tzdata
        (
            ["--tz", "UTC+5:30"],
            65,
            "'UTC+5:30' has no IANA fixed-offset zone (only whole hours do); give the place's "
            "zone or city with --tz instead, e.g. --tz Asia/Kolkata",
        ),
        (["--tz", "UTC+5:45"], 65, "e.g. --tz Asia/Kathmandu"),
        (["--format", "pdf"], 2, "pdf"),
    ],
)
def test_cli_times_errors(args: list[str], code: int, message: str) -> None:
    result = runner.invoke(app, ["times", "-q", *args])
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_times_bad_participants_row(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,country\nAna,Colombia\nLuis,Narnia\n", encoding="utf-8")
    result = runner.invoke(app, ["times", "-q", "--participants", str(path)])
    assert result.exit_code == 66  # the participants file's exit code, whatever is wrong in it
    lines = [line for line in result.output.splitlines() if line.startswith("calsync: error")]
    assert len(lines) == 1
    assert lines[0].startswith(f"calsync: error: {path}:3: unknown time zone, country or city 'Narnia'; ")


def test_csv_does_not_hand_spreadsheets_a_formula(seed_agenda: Agenda) -> None:
    formula = '=HYPERLINK("http://evil.example","x")'
    agenda = replace(seed_agenda, blocks=(replace(seed_agenda.blocks[0], title=formula), *seed_agenda.blocks[1:]))
    _, times, _ = rendered(agenda)
    rows = list(csv.DictReader(io.StringIO(render_times_csv(times))))
    assert {r["title"] for r in rows if r["block"] == "1"} == {"'" + formula}
    assert any(r["offset"].startswith("-") for r in rows)  # offsets are data, left as they are


def test_participants_csv_in_utf16(tmp_path: Path, seed_agenda: Agenda) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes("name,country\nAna,Côte d'Ivoire\n".encode("utf-16"))
    zones = participant_zones(seed_agenda, participants=path)
    assert [z.zone for z in zones[1:]] == ["Africa/Abidjan"]


@pytest.mark.parametrize(
    "name, marker",
    [
        ("t.html", "<!doctype html>"),
        ("t.htm", "<!doctype html>"),
        ("t.csv", "block,number,title"),
        ("t.json", '"rows"'),
        ("t.md", "| Point |"),
        ("t.txt", "Madagascar"),
    ],
)
def test_cli_times_format_from_the_output_extension(tmp_path: Path, name: str, marker: str) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["times", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert marker in text and (name != "t.txt" or "<" not in text)
    fmt = {"html": "html", "htm": "html", "csv": "csv", "json": "json", "md": "markdown", "txt": "table"}[name[2:]]
    assert f"calsync: wrote {out} ({fmt}, 7 blocks × 9 zones)" in result.stderr


def test_cli_times_explicit_format_wins_over_the_extension(tmp_path: Path) -> None:
    out = tmp_path / "times.html"
    result = runner.invoke(app, ["times", "-q", "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("block,number,title")
    assert result.stderr == ""  # -q: no confirmation either


def test_cli_times_tz_values_split_on_commas() -> None:
    result = runner.invoke(app, ["times", "-q", "-f", "json", "--tz", "Ghana,Chile", "--tz", "Tokyo,"])
    assert result.exit_code == 0, result.output
    assert [plain(z["label"]) for z in json.loads(result.stdout)["zones"]][1:] == ["Ghana", "Chili", "Tokyo"]


def test_cli_times_gives_zone_advice_on_stderr_only() -> None:
    result = runner.invoke(app, ["times", "-f", "markdown", "--tz", "Chile", "--tz", "EST"])
    assert result.exit_code == 0, result.output
    assert "--tz" not in result.stdout
    assert (
        "calsync: note: Chile: shown on America/Santiago; use --tz ZONE to pick another of its zones "
        "(America/Punta_Arenas"
    ) in result.stderr
    assert "calsync: note: EST: give --tz with a city such as" in result.stderr and "Panama" in result.stderr
    quiet = runner.invoke(app, ["times", "-q", "-f", "markdown", "--tz", "Chile"])
    assert "use --tz" not in quiet.stderr


def test_cli_times_honours_columns_when_piped() -> None:
    wide = runner.invoke(app, ["times", "-q", "--tz", "Ghana"], env={"COLUMNS": "120"})
    narrow = runner.invoke(app, ["times", "-q"], env={"COLUMNS": "50"})
    assert wide.exit_code == 0 and narrow.exit_code == 0
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 50
    assert any(len(line) > 80 for line in wide.stdout.splitlines())
    assert max(len(line) for line in wide.stdout.splitlines()) <= 120


def test_unknown_tz_is_the_only_line() -> None:
    result = CliRunner().invoke(app, ["times", "--tz", "Narnia"])
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1 and "Narnia" in result.stderr


# --- a programme of several days ------------------------------------------------------------------------------------

# Day 2 starts at 07:30 in Berlin: 23:30 the evening before in Los Angeles.
TWO_DAYS = agenda_from_data(
    {
        "title": "Two-day workshop",
        "timezone": "Europe/Berlin",
        "language": "en",
        "blocks": [
            {"title": "Opening", "start": "2026-03-11T16:00", "end": "2026-03-11T17:00"},
            {"title": "Early start", "start": "2026-03-12T07:30", "end": "2026-03-12T08:30"},
            {"title": "Close", "start": "2026-03-12T09:00", "end": "2026-03-12T09:30"},
        ],
    }
)


def test_csv_and_json_give_each_zones_own_local_date() -> None:
    agenda, times, zones = rendered(TWO_DAYS, tz=["Los Angeles"])
    rows = list(csv.DictReader(io.StringIO(render_times_csv(times))))
    los_angeles = [(r["title"], r["date"], r["start"][11:16]) for r in rows if r["zone"] == "America/Los_Angeles"]
    assert los_angeles == [
        ("Opening", "2026-03-11", "08:00"),
        ("Early start", "2026-03-11", "23:30"),
        ("Close", "2026-03-12", "01:00"),
    ]
    data = json.loads(render_times_json(agenda, times, zones))
    assert data["days"] == ["2026-03-11", "2026-03-12"]
    assert [r["date"] for r in data["rows"] if r["zone"] == "Europe/Berlin"] == [
        "2026-03-11",
        "2026-03-12",
        "2026-03-12",
    ]


def test_markdown_has_a_section_per_day_with_local_dates() -> None:
    agenda, times, zones = rendered(TWO_DAYS, tz=["Los Angeles"])
    text = render_times_markdown(agenda, times, zones)
    assert "Wednesday, March 11, 2026 – Thursday, March 12, 2026 · meeting time:" in text
    first, second = text.index("### Wednesday, March 11, 2026"), text.index("### Thursday, March 12, 2026")
    assert first < text.index("| Opening |") < second < text.index("| Early start |")
    assert "| Early start | 07:30–08:30 (early) | 23:30–00:30 Wed, Mar 11 (night) |" in text
    assert "| Close | 09:00–09:30 | 01:00–01:30 (night) |" in text  # Los Angeles is on the 12th again


def test_table_has_a_section_per_day() -> None:
    agenda, times, zones = rendered(TWO_DAYS, tz=["Los Angeles"])
    lines = render_times_table(agenda, times, zones, width=80).splitlines()
    assert lines.index("Wednesday, March 11, 2026") < lines.index("Thursday, March 12, 2026")
    day_two = lines[lines.index("Thursday, March 12, 2026") :]
    early = next(line for line in day_two if line.startswith("Early start"))
    assert "23:30–00:30-*" in early  # the day before in Los Angeles, and night
    assert lines[-3:] == ["! outside working hours (08:00–20:00 local)", "* night (22:00–06:00)", "- day before"]
    french = render_times_table(replace(agenda, language="fr"), times, zones, width=80)
    assert "jeudi 12 mars 2026" in french.splitlines()


def test_cli_times_unknown_extension_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "times.xlsx"
    result = runner.invoke(app, ["times", "-q", "-o", str(out)])
    assert result.exit_code == 2
    assert "calsync does not know which format to write for '.xlsx'" in result.stderr and not out.exists()


def test_cli_times_lang() -> None:
    result = runner.invoke(app, ["times", "-q", "-f", "markdown", "--lang", "de", "--tz", "Ghana"])
    assert result.exit_code == 0, result.output
    assert "| Programmpunkt | Mitteleuropäische Sommerzeit (Europe/Brussels) | Ghana |" in result.stdout
    assert "Mittwoch, 22. Juli 2020 · Sitzungszeit: Mitteleuropäische Sommerzeit (Europe/Brussels)" in result.stdout
