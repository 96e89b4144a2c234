"""The meeting's page in headless Chromium (Debian's, driven by Playwright) with several browser time zones.

The viewer's own times (hero, programme, grid column, band), ``?tz=`` and the zone picker, day sections, every
"Add to calendar" link giving the right instants (the .ics downloaded and parsed, Google's ``dates``), no request
leaving the page, and injected agenda text that never runs. Pages come from a real server and from disk.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from seed_expectations import SEED_UTC
from site_server import serving

from calsync.model import Agenda
from calsync.reading import EXAMPLE_AGENDA, ReadOptions, read_agenda
from calsync.site import SiteOptions, site_files, write_site
from calsync.site.live import ServeConfig
from calsync.site.server import create_app
from calsync.zones import participant_zones

playwright_api = pytest.importorskip("playwright.sync_api")

EXAMPLE = Path(__file__).parents[1] / "calsync" / "examples" / EXAMPLE_AGENDA
KEY = "2020-07-22-8e-reunion-du-groupe-de-c12dc34c"
ZOOM = "https://zoom.us/j/123"
PWNED = "document.documentElement.setAttribute('data-pwned','1')"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("agendas")
    shutil.copy(EXAMPLE, folder / "gcm8.md")
    with serving(create_app(ServeConfig(paths=(str(folder / "gcm8.md"),), zoom_url=ZOOM))) as url:
        yield url


def open_page(browser, url: str, zone: str, *, width: int = 1280, height: int = 900, **kw: object):  # noqa: ANN001, ANN201
    context = browser.new_context(
        timezone_id=zone, locale="en-GB", viewport={"width": width, "height": height}, accept_downloads=True, **kw
    )
    page = context.new_page()
    outside: list[str] = []
    origin = re.match(r"(https?://[^/]+|file://)", url).group(1)  # type: ignore[union-attr]
    page.on("request", lambda r: None if r.url.startswith(origin) else outside.append(r.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("html[data-calsync-rendered]", timeout=10000)
    page.outside, page.dialogs, page.errors = outside, dialogs, errors  # type: ignore[attr-defined]
    return page


# The text of an element as its words (textContent, elements apart), not as CSS shows it (upper case, no gaps).
WORDS = (
    "e => { const out = []; const walk = n => { if (n.nodeType === 3) out.push(n.textContent); "
    "else if (!n.hidden) n.childNodes.forEach(walk); out.push(' '); }; walk(e); return out.join(''); }"
)


def text(page, selector: str) -> str:  # noqa: ANN001
    return " ".join(page.locator(selector).first.evaluate(WORDS).split())


@pytest.mark.parametrize(
    "zone, hero, first, name, offset",
    [
        ("America/Guatemala", "08:00–10:00", "08:00–08:08", "Guatemala", "UTC-6"),
        ("Africa/Accra", "14:00–16:00", "14:00–14:08", "Ghana", "UTC+0"),
        ("Indian/Antananarivo", "17:00–19:00", "17:00–17:08", "Madagascar", "UTC+3"),
        ("Asia/Kolkata", "19:30–21:30", "19:30–19:38", "India", "UTC+5:30"),
    ],
)
def test_every_time_is_in_the_viewers_own_zone(
    browser, site: str, zone: str, hero: str, first: str, name: str, offset: str
) -> None:
    page = open_page(browser, f"{site}/{KEY}/", zone)
    assert text(page, ".when .local") == hero
    assert text(page, ".when .js-date") == "Wednesday, July 22, 2020"
    assert text(page, ".when-zone .js-zone-name") == name and text(page, ".when-zone .js-zone-offset") == offset
    assert text(page, "#block-1 .b-time .local") == first
    assert text(page, "#viewer-1") == first  # the participants' grid has the viewer's column too
    assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]


def test_kiribati_sees_the_next_day_and_night(browser, site: str) -> None:
    page = open_page(browser, f"{site}/{KEY}/", "Pacific/Kiritimati")
    assert text(page, ".when .local") == "04:00–06:00"
    assert text(page, ".when .js-date") == "Thursday, July 23, 2020"
    assert text(page, ".when .mark") == "night"
    assert text(page, "#block-1 .b-time") == "04:00–04:08 Thu, Jul 23 night"
    assert text(page, "#viewer-1") == "04:00–04:08 +1 day night"


def test_the_band_puts_the_meeting_where_it_falls_in_the_viewers_day(browser, site: str) -> None:
    page = open_page(browser, f"{site}/{KEY}/", "America/Guatemala")
    for box in (".hero-band", "#bands .bands"):
        bar = page.locator(f"{box} .viewer-band svg rect[data-block]")
        assert bar.count() == 1
        assert (bar.get_attribute("x"), bar.get_attribute("width")) == ("480", "120")  # 08:00 for two hours
    assert text(page, "#bands .viewer-band .band-label") == "You · Guatemala 08:00–10:00"
    # the participants' bands are drawn by the server: Madagascar's meeting at 17:00 local
    madagascar = page.locator("#bands .band-row", has_text="Madagascar").locator("rect[data-block]")
    assert madagascar.get_attribute("x") == "1020"


def test_a_shared_link_chooses_the_zone(browser, site: str) -> None:
    page = open_page(browser, f"{site}/{KEY}/?tz=Asia/Kolkata", "America/Guatemala")
    assert text(page, ".when .local") == "19:30–21:30"
    assert "The link chose Asia/Kolkata." in text(page, "#tz-status")
    bad = open_page(browser, f"{site}/{KEY}/?tz=Mars/Olympus", "America/Guatemala")
    assert text(bad, ".when .local") == "08:00–10:00"
    assert "unknown" in text(bad, "#tz-status")


def test_the_picker_finds_a_city_remembers_it_and_gives_a_link(browser, site: str) -> None:
    page = open_page(browser, f"{site}/{KEY}/", "America/Guatemala")
    page.click("#zone summary")
    page.fill("#tz-input", "Accra")
    page.press("#tz-input", "Enter")
    assert text(page, ".when .local") == "14:00–16:00"
    assert text(page, ".when-zone .js-zone-name") == "Accra (Ghana)"
    assert page.locator("#tz-share").get_attribute("href") == "?tz=Africa/Accra"
    assert page.evaluate("location.search") == "?tz=Africa/Accra"
    page.goto(f"{site}/{KEY}/")  # the choice is remembered without the link
    page.wait_for_selector("html[data-calsync-rendered]")
    assert text(page, ".when .local") == "14:00–16:00"
    page.click("#zone summary")
    page.fill("#tz-input", "Atlantis")
    page.press("#tz-input", "Enter")
    assert "No place or time zone called “Atlantis”" in text(page, "#tz-status")
    page.click("#tz-auto")
    assert text(page, ".when .local") == "08:00–10:00"


def test_add_to_calendar_links_give_the_right_instants(browser, site: str) -> None:
    page = open_page(browser, f"{site}/{KEY}/", "Asia/Tokyo")
    page.click("#block-3 details summary")
    with page.expect_download() as download:
        page.click("#block-3 details a[download]")
    cal = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    (event,) = cal.walk("VEVENT")
    assert (
        event.decoded("DTSTART").astimezone(UTC).strftime("%H:%M"),
        event.decoded("DTEND").astimezone(UTC).strftime("%H:%M"),
    ) == SEED_UTC[2]
    with page.expect_download() as whole:
        page.click("#subscribe a[href='meeting.ics'][download]")
    events = icalendar.Calendar.from_ical(Path(whole.value.path()).read_bytes()).walk("VEVENT")
    assert len(events) == 7
    google = page.locator("#block-3 a[data-kind=google-event]").get_attribute("href")
    assert parse_qs(urlsplit(google).query)["dates"] == ["20200722T141500Z/20200722T145000Z"]
    outlook = page.locator("#block-3 a[data-kind=outlook-event]").get_attribute("href")
    assert parse_qs(urlsplit(outlook).query)["startdt"] == ["2020-07-22T14:15:00Z"]
    # the feed: webcal:// at this server's own address, and Google's subscribe link to it
    port = urlsplit(site).port
    assert page.locator("a[data-kind=webcal]").get_attribute("href") == f"webcal://127.0.0.1:{port}/{KEY}/meeting.ics"
    cid = parse_qs(urlsplit(page.locator("a[data-kind=google]").get_attribute("href")).query)["cid"]
    assert cid == [f"webcal://127.0.0.1:{port}/{KEY}/meeting.ics"]
    # a country's own turn: Ghana's slot in the viewer's zone (Tokyo), with its own .ics
    slot = page.locator("#block-3 .slots li", has_text="Ghana")
    assert "23:30–23:35 your time (14:30–14:35 in Ghana)" in " ".join(slot.inner_text().split())


def test_the_page_works_from_disk(browser, tmp_path: Path, seed_agenda: Agenda) -> None:
    agenda = seed_agenda.with_conference_url(ZOOM)
    write_site(site_files([agenda], SiteOptions(zones=lambda a: participant_zones(a))), tmp_path)
    page = open_page(browser, (tmp_path / agenda.key / "index.html").as_uri(), "Africa/Accra")
    assert text(page, ".when .local") == "14:00–16:00"
    assert page.locator("a[data-kind=webcal]").is_hidden()  # no web address to subscribe to from a file
    assert page.locator(".js-needs-web").is_visible()
    assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]
    index = open_page(browser, (tmp_path / "index.html").as_uri(), "Africa/Accra")
    assert text(index, "[data-meeting-start]") == "starts Wed, Jul 22 14:00 your time"


def test_day_sections_for_a_two_day_meeting(browser, tmp_path: Path, data_dir: Path) -> None:
    agenda = read_agenda(data_dir / "02-virtual-cosac-2020.md", ReadOptions(meeting_tz="Europe/Berlin"))
    write_site(site_files([agenda], SiteOptions(zones=lambda a: participant_zones(a, ("Ghana", "Japan")))), tmp_path)
    page = open_page(browser, (tmp_path / agenda.key / "index.html").as_uri(), "America/Guatemala")
    assert [" ".join(w.split()) for w in page.locator(".when").evaluate_all(f"all => all.map({WORDS})")] == [
        "02:00–08:30 Monday, November 30, 2020 night",
        "02:00–05:45 Tuesday, December 1, 2020 night",
    ]
    assert page.locator("#bands .viewer-band").count() == 2
    assert page.locator("#participants h3.day").all_inner_texts() == [
        "Monday, November 30, 2020",
        "Tuesday, December 1, 2020",
    ]
    assert text(page, "#viewer-8") == "02:00–03:30 night"


def test_a_phone_reads_it_without_sideways_scrolling(browser, site: str) -> None:
    page = open_page(browser, f"{site}/{KEY}/", "Africa/Accra", width=390, height=844, is_mobile=True, has_touch=True)
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert page.locator("#join").is_visible() and page.locator(".when .local").is_visible()
    assert page.locator("#scroll-hint").is_visible()  # the wide grid scrolls inside its own box, and says so


def test_injected_agenda_text_never_runs(browser, tmp_path: Path, seed_agenda: Agenda) -> None:
    script = f"</script><script>{PWNED}</script>"
    img = f'"><img src=x onerror="{PWNED}">'
    blocks = (
        replace(seed_agenda.blocks[0], title=script, description=img),
        replace(seed_agenda.blocks[1], title=img, names=("<svg onload=alert(1)>",)),
        *seed_agenda.blocks[2:],
    )
    agenda = replace(
        seed_agenda,
        title=f"{script}{img}",
        location=img,
        blocks=blocks,
        conference_url="javascript:alert(document.domain)",
    )
    write_site(site_files([agenda], SiteOptions(zones=lambda a: participant_zones(a))), tmp_path)
    for name in (f"{agenda.key}/index.html", "index.html"):
        page = open_page(browser, (tmp_path / name).as_uri(), "Africa/Accra")
        assert page.evaluate("document.documentElement.hasAttribute('data-pwned')") is False
        assert page.dialogs == [] and page.errors == []  # type: ignore[attr-defined]
        assert page.locator("img, svg[onload]").count() == 0
    page = open_page(browser, (tmp_path / agenda.key / "index.html").as_uri(), "Africa/Accra")
    assert text(page, "h1") == f"{script}{img}"  # shown as text
    assert page.locator("a[href^='javascript:']").count() == 0 and text(page, "#join") == "Join link to be confirmed"
