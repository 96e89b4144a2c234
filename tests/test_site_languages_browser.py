"""The pages in headless Chromium with a browser language set: each shows the viewer's language among en/fr/es/de.

A page is written in one language (the agenda's or --lang's); its script shows the viewer's browser language from the
page's own data, with no request. The strongest check: a page written in French and read in an English browser reads
exactly as the page written in English does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from test_site_browser import WORDS, text

from calsync.model import Agenda
from calsync.reading import EXAMPLE_AGENDA, ReadOptions, read_agenda
from calsync.site import SiteOptions, render_times_html, site_files, write_site
from calsync.zones import local_times, participant_zones

EXAMPLE = Path(__file__).parents[1] / "calsync" / "examples" / EXAMPLE_AGENDA  # French, 22 July 2020, "CET"
WORKSHOP = Path(__file__).parents[1] / "examples" / "agenda.md"  # English, Geneva, 11-12 March 2026
ZOOM = "https://zoom.us/j/123"


def written(folder: Path, agenda: Agenda, lang: str | None, tz: tuple[str, ...] = ()) -> str:
    """The meeting's page written in ``lang`` (the agenda's own with None), from disk; its file:// address."""
    if lang is not None:
        agenda = replace(agenda, language=lang)
    zones = lambda a: participant_zones(a, tz)  # noqa: E731
    write_site(site_files([agenda], SiteOptions(zones=zones)), folder)
    return (folder / agenda.key / "index.html").as_uri()


def open_in(browser, url: str, locale: str, zone: str = "Indian/Antananarivo"):  # noqa: ANN001, ANN201
    """``url`` in a fresh browser whose language is ``locale`` and whose zone is ``zone``."""
    context = browser.new_context(locale=locale, timezone_id=zone, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith("file://") else outside.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("html[data-calsync-rendered]", timeout=10000)
    page.outside, page.errors = outside, errors  # type: ignore[attr-defined]
    return page


@pytest.fixture(scope="module")
def example() -> Agenda:
    return read_agenda(EXAMPLE, ReadOptions()).with_conference_url(ZOOM)


@pytest.fixture(scope="module")
def french_page(example: Agenda, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert example.language == "fr"
    yield written(tmp_path_factory.mktemp("fr"), example, None)


# (locale, <html lang>, programme heading, join button, hero date, the viewer's zone, the viewer's band)
SHOWN = [
    (
        "fr-FR",
        "fr",
        "Programme à votre heure",
        "Rejoindre sur Zoom",
        "mercredi 22 juillet 2020",
        "Madagascar",
        "Vous · Madagascar 17:00–19:00",
    ),
    (
        "de-DE",
        "de",
        "Programm in Ihrer Zeit",
        "Über Zoom teilnehmen",
        "Mittwoch, 22. Juli 2020",
        "Madagaskar",
        "Sie · Madagaskar 17:00–19:00",
    ),
    (
        "es-ES",
        "es",
        "Programa en su hora",
        "Unirse en Zoom",
        "miércoles, 22 de julio de 2020",
        "Madagascar",
        "Usted · Madagascar 17:00–19:00",
    ),
    (
        "en-US",
        "en",
        "Programme in your time",
        "Join on Zoom",
        "Wednesday, July 22, 2020",
        "Madagascar",
        "You · Madagascar 17:00–19:00",
    ),
]


@pytest.mark.parametrize("locale, lang, heading, join, day, zone, band", SHOWN)
def test_a_french_agendas_page_shows_the_browsers_language(
    browser, french_page: str, locale: str, lang: str, heading: str, join: str, day: str, zone: str, band: str
) -> None:
    page = open_in(browser, french_page, locale)
    assert page.evaluate("document.documentElement.lang") == lang
    assert text(page, "#programme h2") == heading and text(page, "#join") == join
    assert text(page, ".when .js-date") == day and text(page, ".when-zone .js-zone-name") == zone
    assert text(page, "#bands .viewer-band .band-label").startswith(band)
    assert text(page, ".when .local") == "17:00–19:00"  # the times never change with the words
    assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "written_in, read_in, locale",
    [("fr", "en", "en-US"), ("en", "de", "de-DE"), ("de", "es", "es-MX"), ("es", "fr", "fr-CA")],
)
def test_a_page_read_in_another_language_reads_as_if_written_in_it(
    browser, example: Agenda, tmp_path: Path, written_in: str, read_in: str, locale: str
) -> None:
    """Every word of calsync's own switches: text, dates, zones' labels, notes, tooltips, placeholders."""
    tz = ("Ghana", "Chile", "Japan")
    switched = open_in(browser, written(tmp_path / "a", example, written_in, tz), locale, "Asia/Kolkata")
    native = open_in(browser, written(tmp_path / "b", example, read_in, tz), locale, "Asia/Kolkata")
    shown = (
        "[document.title, document.body.innerText, "
        "Array.from(document.querySelectorAll('[title],[placeholder],[aria-label]'), e => "
        "[e.title, e.placeholder || '', e.getAttribute('aria-label') || ''].join('|')).join('\\n')]"
    )
    assert switched.evaluate(shown) == native.evaluate(shown)
    assert switched.evaluate("document.documentElement.lang") == read_in


def test_the_address_and_the_language_buttons_choose_without_a_request(browser, french_page: str) -> None:
    page = open_in(browser, french_page + "?lang=de", "en-US")
    assert text(page, "#programme h2") == "Programm in Ihrer Zeit"
    page.click("#languages [data-lang=es]")
    assert text(page, "#programme h2") == "Programa en su hora"
    assert text(page, ".when .js-date") == "miércoles, 22 de julio de 2020"
    assert text(page, "#viewer-1") == "17:00–17:08"
    assert page.locator("#languages [data-lang=es]").get_attribute("aria-pressed") == "true"
    page.goto(french_page)  # the choice is remembered over the browser's English
    page.wait_for_selector("html[data-calsync-rendered]")
    assert text(page, "#programme h2") == "Programa en su hora"
    assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]


def test_a_browser_in_no_page_language_gets_the_agendas(browser, french_page: str) -> None:
    page = open_in(browser, french_page, "ja-JP")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert text(page, "#programme h2") == "Programme à votre heure"


def test_days_in_french_on_each_zones_own_date(browser, tmp_path: Path) -> None:
    """The workshop's second day starts at 07:30 in Geneva: still 11 March in Los Angeles."""
    agenda = read_agenda(WORKSHOP, ReadOptions())
    url = written(tmp_path, agenda, "fr", ("Los Angeles",))
    page = open_in(browser, url, "fr-FR", "America/Los_Angeles")
    heroes = [" ".join(w.split()) for w in page.locator(".when").evaluate_all(f"all => all.map({WORDS})")]
    assert heroes == ["01:00–04:30 mercredi 11 mars 2026 nuit", "23:30–02:30 mercredi 11 mars 2026 nuit"]
    # the programme's sections are the meeting's days; a block on the day before here says which day it is
    assert page.locator("#programme h3.day").all_inner_texts() == ["mercredi 11 mars 2026", "jeudi 12 mars 2026"]
    early = page.locator("#programme li", has_text="Early session").first
    assert " ".join(early.locator(".b-time").evaluate(WORDS).split()) == "23:30–00:30 mer. 11 mars nuit"
    # the grid: the viewer's column and Los Angeles' column, a day before Geneva's date
    row = page.locator("#participants tr", has_text="Early session")
    assert " ".join(row.locator("td.viewer").evaluate(WORDS).split()) == "23:30–00:30 -1 jour nuit"
    assert " ".join(row.locator("td").nth(2).evaluate(WORDS).split()) == "23:30–00:30 -1 jour nuit"
    assert page.locator("#participants h3.day").all_inner_texts() == ["mercredi 11 mars 2026", "jeudi 12 mars 2026"]
    assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "locale, words",
    [
        ("de-DE", ["Programmpunkt", "Ihre Zeit", "Mittwoch, 22. Juli 2020"]),
        ("en-GB", ["Block", "Your time", "Wednesday, July 22, 2020"]),
    ],
)
def test_the_times_page_too(browser, example: Agenda, tmp_path: Path, locale: str, words: list[str]) -> None:
    zones = participant_zones(example)
    path = tmp_path / "times.html"
    path.write_text(
        render_times_html(example, local_times(example, zones), zones, zones_for=lambda a: participant_zones(a)),
        encoding="utf-8",
    )
    page = open_in(browser, path.as_uri(), locale, "Asia/Kolkata")
    shown = " ".join(page.evaluate("document.body.innerText").split())
    assert all(w in shown for w in words), shown[:400]
    assert text(page, "#viewer-1") == "19:30–19:38"
    assert re.search(r"\b(Point|Votre heure|mercredi)\b", shown) is None  # no French left


def test_the_index_too(browser, example: Agenda, tmp_path: Path) -> None:
    written(tmp_path, example, None)
    page = open_in(browser, (tmp_path / "index.html").as_uri(), "es-ES", "Africa/Accra")
    assert text(page, "h1") == "Reuniones" and page.title() == "Reuniones"
    assert text(page, ".meetings .muted") == "miércoles, 22 de julio de 2020"
    assert text(page, "[data-meeting-start]").startswith("empieza: ")
