"""``calsync publish``: the site's files, their links and escaping, byte stability, and the command."""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from page_markup import body, unmarked
from seed_expectations import SEED_UTC
from typer.testing import CliRunner

from calsync.cli import app
from calsync.ical import event_uid, to_ics
from calsync.model import Agenda
from calsync.reading import ReadOptions, read_agenda
from calsync.site import SiteOptions, site_files, write_site
from calsync.site.choices import zone_choices
from calsync.site.links import calendar_links, safe_web_url
from calsync.site.pages import _on_the_dial, _shading
from calsync.zones import participant_zones

STAMP = datetime(2020, 7, 1, tzinfo=UTC)
ZOOM = "https://zoom.us/j/123"
SCRIPT = "</script><script>document.documentElement.setAttribute('data-pwned','script')</script>"
IMG = "\"><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"
runner = CliRunner()


def options(**kw: object) -> SiteOptions:
    return SiteOptions(zones=lambda a: participant_zones(a), stamp=STAMP, **kw)  # type: ignore[arg-type]


def seed_site(seed: Agenda, **kw: object) -> tuple[Agenda, dict[str, bytes]]:
    agenda = seed.with_conference_url(ZOOM)
    return agenda, site_files([agenda], options(**kw))


def page_of(files: dict[str, bytes], agenda: Agenda) -> str:
    """The meeting's page, its texts' language marks left out (see page_markup)."""
    return unmarked(files[f"{agenda.key}/index.html"].decode("utf-8"))


def hostile(seed: Agenda) -> Agenda:
    blocks = (
        replace(seed.blocks[0], title=SCRIPT, description=IMG),
        replace(seed.blocks[1], title=IMG),
        *seed.blocks[2:],
    )
    return replace(seed, title=f"GCM {SCRIPT}", location=IMG, blocks=blocks, conference_url="javascript:alert(1)")


def test_the_site_has_every_file_the_issue_names(seed_agenda: Agenda) -> None:
    agenda, files = seed_site(seed_agenda)
    key = agenda.key
    assert {"index.html", f"{key}/index.html", f"{key}/meeting.ics", f"{key}/meeting.json"} <= files.keys()
    assert {f"{key}/blocks/{b.key}.ics" for b in agenda.blocks} <= files.keys()
    slots = sorted(p for p in files if "/slots/" in p)
    assert len(slots) == 8 and f"{key}/slots/{agenda.blocks[2].key}/ghana.ics" in slots
    assert json.loads(files[f"{key}/meeting.json"]) == agenda.to_data()


def test_the_feed_has_every_block_with_the_ics_uids_and_refresh_hints(seed_agenda: Agenda) -> None:
    agenda, files = seed_site(seed_agenda, base_url="https://example.org/m/")
    feed = icalendar.Calendar.from_ical(files[f"{agenda.key}/meeting.ics"])
    events = feed.walk("VEVENT")
    plain = icalendar.Calendar.from_ical(to_ics(agenda, stamp=STAMP))
    assert [str(e["UID"]) for e in events] == [str(e["UID"]) for e in plain.walk("VEVENT")]
    assert [str(e["UID"]) for e in events] == [event_uid(agenda, b) for b in agenda.blocks]
    assert [
        (
            e.decoded("DTSTART").astimezone(UTC).strftime("%H:%M"),
            e.decoded("DTEND").astimezone(UTC).strftime("%H:%M"),
        )
        for e in events
    ] == SEED_UTC
    text = files[f"{agenda.key}/meeting.ics"].decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text and "X-PUBLISHED-TTL:PT1H\r\n" in text
    assert str(feed["SOURCE"]) == f"https://example.org/m/{agenda.key}/meeting.ics"
    assert str(feed["URL"]) == f"https://example.org/m/{agenda.key}/"
    # a block's own download: the same event, no refresh hints (it is not a subscription)
    block = files[f"{agenda.key}/blocks/{agenda.blocks[2].key}.ics"].decode()
    assert f"UID:{event_uid(agenda, agenda.blocks[2])}" in block and "REFRESH-INTERVAL" not in block


def test_a_countrys_slot_has_its_own_event_on_its_own_clock(seed_agenda: Agenda) -> None:
    agenda, files = seed_site(seed_agenda)
    cal = icalendar.Calendar.from_ical(files[f"{agenda.key}/slots/{agenda.blocks[2].key}/ghana.ics"])
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(UTC).strftime("%H:%M") == "14:30"  # Ghana is 4th, 5 min each
    assert event.decoded("DTEND").astimezone(UTC).strftime("%H:%M") == "14:35"
    assert str(event["SUMMARY"]).startswith("Ghana: III. Mobilisation")
    assert "Ghana: 14:30–14:35 (UTC)" in str(event["DESCRIPTION"])
    page = page_of(files, agenda)
    assert re.search(r"Ghana</span>: .*?>16:30–16:35<.*?\(14:30–14:35 in Ghana\)", page)


def test_google_and_outlook_links_give_the_blocks_instants(seed_agenda: Agenda) -> None:
    agenda, files = seed_site(seed_agenda)
    page = page_of(files, agenda)
    google = [
        parse_qs(urlsplit(h.replace("&amp;", "&")).query)
        for h in re.findall(r'href="(https://calendar\.google\.com/calendar/render\?action=TEMPLATE[^"]*)"', page)
    ]
    assert [g["dates"][0] for g in google[:7]] == [
        f"20200722T{s.replace(':', '')}00Z/20200722T{e.replace(':', '')}00Z" for s, e in SEED_UTC
    ]
    assert google[7]["dates"] == ["20200722T140000Z/20200722T160000Z"]  # the whole day as one event
    assert ZOOM in google[0]["details"][0] and google[0]["location"] == [f"Zoom: {ZOOM}"]
    outlook = re.findall(r'href="https://outlook\.live\.com/calendar/deeplink/compose\?([^"]*)"', page)
    first = parse_qs(outlook[0].replace("&amp;", "&"))
    assert first["startdt"] == ["2020-07-22T14:00:00Z"] and first["enddt"] == ["2020-07-22T14:08:00Z"]
    assert first["rru"] == ["addevent"] and first["subject"][0].startswith("I. Accueil par la présidence")
    assert 'href="https://outlook.office.com/calendar/deeplink/compose?' in page


def test_links_escape_and_shorten_their_text() -> None:
    start, end = datetime(2020, 7, 22, 14, tzinfo=UTC), datetime(2020, 7, 22, 15, tzinfo=UTC)
    links = calendar_links("A & B / C?", start, end, "x" * 5000, "Zoom")
    query = parse_qs(urlsplit(links.google).query)
    assert query["text"] == ["A & B / C?"] and len(query["details"][0]) == 1500
    assert "+" not in links.outlook  # spaces as %20


@pytest.mark.parametrize(
    "url, safe",
    [
        ("https://zoom.us/j/1", True),
        ("http://x.org", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,<script>", False),
        (" javascript:alert(1)", False),
        ("vbscript:x", False),
        ("//evil.org", False),
        ("https://x.org/\nbad", False),
        (None, False),
    ],
)
def test_only_web_links_become_links(url: str | None, safe: bool) -> None:
    assert (safe_web_url(url) is not None) is safe


def test_agenda_text_is_escaped_and_a_javascript_join_link_is_not_a_link(seed_agenda: Agenda) -> None:
    agenda = hostile(seed_agenda)
    page = page_of(site_files([agenda], options()), agenda)
    assert "<script>document" not in page and "<img src=x" not in page
    assert "&lt;/script&gt;&lt;script&gt;document" in page and "&#34;&gt;&lt;img src=x onerror=" in page
    assert page.count("<script") == 2  # the data element and our own script
    assert "javascript:" not in page.split('id="calsync-data"')[0]  # never in markup; only as JSON text in the data
    assert 'class="tbc" id="join"' in page  # a join link that is not a web link is "to be confirmed"


def test_the_page_fetches_nothing_and_allows_only_its_own_script(seed_agenda: Agenda) -> None:
    agenda, files = seed_site(seed_agenda)
    page = page_of(files, agenda)
    assert not re.search(r"<link|<iframe|@import|url\(|\bsrc\s*=", page, re.I)
    # every link is the page's own files or an "add to calendar" service the person chooses to open
    hrefs = set(re.findall(r'href="([^"]*)"', page))
    outside = {h for h in hrefs if re.match(r"[a-z]+:", h)}
    assert all(
        h.startswith(("https://calendar.google.com/", "https://outlook.live.com/", "https://outlook.office.com/", ZOOM))
        for h in outside
    ), outside
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))  # type: ignore[union-attr]
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp and "script-src 'sha256-" in csp


def test_multi_day_agendas_get_day_sections(data_dir: Path) -> None:
    agenda = read_agenda(data_dir / "02-virtual-cosac-2020.md", ReadOptions(meeting_tz="Europe/Berlin"))
    page = page_of(site_files([agenda], options()), agenda)
    for heading in ("Monday, November 30, 2020", "Tuesday, December 1, 2020"):
        assert page.count(f'<h3 class="day">{heading}</h3>') == 3  # programme, bands, participants' grid
    assert page.count('class="bands" data-day="2020-11-30"') == 1 and 'data-day="2020-12-01"' in page
    assert 'id="grid-scroll"' in page and 'id="grid-scroll-2"' in page


def test_bands_merge_touching_blocks_and_wrap_at_midnight() -> None:
    assert _on_the_dial([(960, 8), (968, 7), (975, 35)]) == ((960, 50),)
    assert _on_the_dial([(1400, 80)]) == ((1400, 40), (0, 40))
    assert _on_the_dial([(600, 1)]) == ((600, 4),)  # a one-minute slot still shows
    assert _shading(((datetime(2020, 1, 1, 8).time()), datetime(2020, 1, 1, 20).time())) == (
        (0, 360, "night"),
        (360, 120, "edge"),
        (480, 720, "work"),
        (1200, 120, "edge"),
        (1320, 120, "night"),
    )


def test_the_picker_knows_cities_and_countries_in_the_agendas_language() -> None:
    choices = dict(zone_choices("fr"))
    assert choices["Ghana"] == "Africa/Accra" and choices["Accra (Ghana)"] == "Africa/Accra"
    assert choices["Madagascar"] == "Indian/Antananarivo" and choices["Guatemala"] == "America/Guatemala"
    assert choices["Côte d’Ivoire"] == "Africa/Abidjan" and choices["Allemagne"] == "Europe/Berlin"
    assert choices["Kolkata (India)"] == "Asia/Kolkata"
    assert "Allemagne" not in dict(zone_choices("en"))


def test_an_unchanged_agenda_republished_changes_no_file(tmp_path: Path, seed_agenda: Agenda) -> None:
    agenda, files = seed_site(seed_agenda)
    assert write_site(files, tmp_path) == sorted(files)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    assert write_site(site_files([agenda], options()), tmp_path) == []
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


def test_republishing_removes_only_what_calsync_wrote_before(tmp_path: Path, seed_agenda: Agenda) -> None:
    agenda, files = seed_site(seed_agenda)
    write_site(files, tmp_path)
    (tmp_path / "robots.txt").write_text("mine")
    shorter = replace(agenda, blocks=agenda.blocks[:-1])
    write_site(site_files([shorter], options()), tmp_path)
    assert not (tmp_path / agenda.key / "blocks" / f"{agenda.blocks[-1].key}.ics").exists()
    assert (tmp_path / agenda.key / "blocks" / f"{agenda.blocks[0].key}.ics").exists()
    assert (tmp_path / "robots.txt").read_text() == "mine"


# --- the command ------------------------------------------------------------------------------------------------------


def test_cli_publish_is_byte_stable_with_source_date_epoch(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1595426400"}
    first = runner.invoke(app, ["publish", "-o", str(tmp_path), "--zoom-url", ZOOM], env=env)
    assert first.exit_code == 0, first.output
    assert "published 1 meeting" in first.stderr and "19 of 19 files changed" in first.stderr
    second = runner.invoke(app, ["publish", "-o", str(tmp_path), "--zoom-url", ZOOM], env=env)
    assert second.exit_code == 0 and "0 of 19 files changed" in second.stderr
    page = next(tmp_path.glob("*/index.html")).read_text(encoding="utf-8")
    assert f'href="{ZOOM}"' in page and "Rejoindre sur Zoom" in body(page)  # the built-in agenda is French


def test_cli_publish_several_agendas_and_an_index(tmp_path: Path, data_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "publish",
            "-q",
            "-o",
            str(tmp_path / "site"),
            "--meeting-tz",
            "Europe/Berlin",
            str(data_dir / "seed.hand.json"),
            str(data_dir / "02-virtual-cosac-2020.md"),
        ],
    )
    assert result.exit_code == 0, result.output
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert index.count('<li><a href="2020-') == 2
    assert len([p for p in (tmp_path / "site").iterdir() if p.is_dir()]) == 2


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--base-url", "ftp://x.org/"], 2, "--base-url 'ftp://x.org/' is not a web address"),
        (["--zoom-url", "javascript:alert(1)"], 2, "is not a web link"),
        (["--tz", "Xyzzyland"], 65, "unknown time zone, country or city 'Xyzzyland'"),
    ],
)
def test_cli_publish_errors(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    result = runner.invoke(app, ["publish", "-o", str(tmp_path / "out"), *args])
    assert result.exit_code == code
    assert message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # nothing written before every option was checked


def test_cli_publish_into_a_file_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = runner.invoke(app, ["publish", "-q", "-o", str(target)])
    assert result.exit_code == 73 and "cannot create folder" in result.stderr


@pytest.mark.parametrize("command", ["publish", "serve"])
def test_site_commands_have_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "--base-url" in result.output and "--tz" in result.output


def test_publish_base_url_makes_absolute_feed_links(tmp_path: Path) -> None:
    result = runner.invoke(app, ["publish", "-q", "-o", str(tmp_path), "--base-url", "https://example.org/m"])
    assert result.exit_code == 0, result.output
    page = next(tmp_path.glob("*/index.html")).read_text(encoding="utf-8")
    key = next(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert f'href="webcal://example.org/m/{key}/meeting.ics"' in page
    assert os.path.exists(tmp_path / key / "meeting.ics")


def test_names_that_slug_alike_get_their_own_turn_files(seed_agenda: Agenda) -> None:
    block = replace(seed_agenda.blocks[2], names=("Côte d'Ivoire", "Cote d Ivoire", "Ghana"))
    agenda = replace(seed_agenda, blocks=(*seed_agenda.blocks[:2], block, *seed_agenda.blocks[3:]))
    files = site_files([agenda], options())
    turns = sorted(p.rsplit("/", 1)[1] for p in files if f"/slots/{block.key}/" in p)
    assert turns == ["cote-d-ivoire-2.ics", "cote-d-ivoire.ics", "ghana.ics"]
