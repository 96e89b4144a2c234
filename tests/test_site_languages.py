"""The pages in the participants' languages: written in the agenda's (or --lang's), carrying all four for the browser.

The browser's side (a page shown in the viewer's browser language) is in test_site_languages_browser.py.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest
from page_markup import body, data
from typer.testing import CliRunner

from calsync.cli import app
from calsync.model import Agenda
from calsync.reading import ReadOptions, read_agenda
from calsync.site.live import LiveSite, ServeConfig
from calsync.site.pages import index_language
from calsync.site.phrases import Phrase, concat, message, plural, writing
from calsync.site.templating import environment

ROOT = Path(__file__).parents[1]
WORKSHOP = ROOT / "examples" / "agenda.md"  # English, two days in Geneva, 11-12 March 2026
runner = CliRunner()

# Words of calsync's own on the pages (not the agenda's), as each language writes them.
WORDS = {
    "fr": [
        "Programme à votre heure",
        "Ajouter à mon agenda",
        "Heures locales de chaque participant",
        "Votre heure",
        "mercredi 11 mars 2026",
        "jeudi 12 mars 2026",
        "Lien de connexion à confirmer",
        "heures de travail",
        "NUIT",
        "Cherchez votre ville ou votre pays",
        "normale d’Europe centrale",
    ],
    "es": [
        "Programa en su hora",
        "Añadir a mi calendario",
        "Horas locales de cada participante",
        "Su hora",
        "miércoles, 11 de marzo de 2026",
        "jueves, 12 de marzo de 2026",
        "Enlace de conexión por confirmar",
        "horario laboral",
        "NOCHE",
        "Busque su ciudad o país",
        "estándar de Europa central",
    ],
    "de": [
        "Programm in Ihrer Zeit",
        "In meinen Kalender eintragen",
        "Ortszeiten aller Teilnehmenden",
        "Ihre Zeit",
        "Mittwoch, 11. März 2026",
        "Donnerstag, 12. März 2026",
        "Einwahllink folgt noch",
        "Arbeitszeit",
        "NACHT",
        "Suchen Sie Ihre Stadt oder Ihr Land",
        "Mitteleuropäische Normalzeit",
    ],
}
# English words of calsync's own that a page in another language must not show (the workshop's own text is English,
# so these are phrases it does not use).
ENGLISH = [
    "Your time",
    "your time",
    "Add to my calendar",
    "Add this block",
    "Programme in your time",
    "Subscribe",
    "Times shown for",
    "Local times for every participant",
    "working hours",
    "Find your city or country",
    "Not your zone",
    "Download all blocks",
    "Wednesday",
    "Thursday",
    "March 2026",
    "All meetings",
    "your own zone",
    "Join link to be confirmed",
    "NIGHT",
    "summer",
    "Central European",
    "the meeting",
    r"\bnight\b",
    r"\bearly\b",
    r"\blate\b",
]


def visible_text(page: str) -> str:
    """What people read of a page's markup: its text, and the attributes a browser shows (tooltips, placeholders)."""
    markup = body(page)
    shown = re.findall(r'(?:title|placeholder|aria-label)="([^"]*)"', markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup) + " " + " ".join(shown))


def publish(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Path:
    result = runner.invoke(app, ["publish", "-q", "-o", str(tmp_path), *args], env=env)
    assert result.exit_code == 0, result.output
    return tmp_path


def meeting(site: Path) -> str:
    return next(site.glob("*/index.html")).read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["fr", "es", "de"])
def test_lang_writes_the_pages_in_that_language(tmp_path: Path, lang: str) -> None:
    site = publish(tmp_path / "site", str(WORKSHOP), "--lang", lang, "--tz", "Los Angeles")
    times = runner.invoke(app, ["times", str(WORKSHOP), "-q", "-f", "html", "--lang", lang, "--tz", "Los Angeles"])
    assert times.exit_code == 0, times.output
    page = meeting(site)
    for name, text in (("meeting page", visible_text(page)), ("times page", visible_text(times.stdout))):
        said = [w for w in WORDS[lang] if w in text]
        if name == "times page":  # no programme, join link, picker or per-day headings of its own
            assert {"Votre heure", "Su hora", "Ihre Zeit", "NUIT", "NOCHE", "NACHT"} & set(said), text
        else:
            assert said == WORDS[lang]
        english = [w for w in ENGLISH if re.search(w, text)]
        assert english == [], f"{name}: English words on a page in {lang}"
    assert f'<html lang="{lang}">' in page and f'<html lang="{lang}">' in times.stdout
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in index
    assert {"fr": "Réunions", "es": "Reuniones", "de": "Sitzungen"}[lang] in visible_text(index)
    assert WORDS[lang][4] in visible_text(index)  # the meeting's first day, in words


def test_the_agendas_language_is_the_default_and_lang_overrides(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1595426400"}
    french = meeting(publish(tmp_path / "fr", "--zoom-url", "https://zoom.us/j/1", env=env))  # the built-in agenda
    assert '<html lang="fr">' in french
    assert "Rejoindre sur Zoom" in visible_text(french) and "mercredi 22 juillet 2020" in visible_text(french)
    english = meeting(publish(tmp_path / "en", "--zoom-url", "https://zoom.us/j/1", "--lang", "en", env=env))
    assert '<html lang="en">' in english
    assert "Join on Zoom" in visible_text(english) and "Wednesday, July 22, 2020" in visible_text(english)
    # the same instants, links and data whatever the language: only the words differ
    assert re.findall(r'data-start-ms="(\d+)"', french) == re.findall(r'data-start-ms="(\d+)"', english)
    assert data(french)["text"] == data(english)["text"]
    again = runner.invoke(app, ["publish", "-o", str(tmp_path / "fr"), "--zoom-url", "https://zoom.us/j/1"], env=env)
    assert "0 of 19 files changed" in again.stderr  # byte-stable


def test_the_page_carries_every_language_for_the_browser(tmp_path: Path) -> None:
    page = meeting(publish(tmp_path, "--tz", "Madagascar"))
    found = data(page)
    assert found["lang"] == "fr" and found["languages"] == ["en", "fr", "es", "de"]
    text = found["text"]
    # every marked text of the page is in the table, in every language, the page's own shown
    keys = [int(k) for k in re.findall(r'data-t(?:-[a-z-]+)?="(\d+)"', body(page))]
    assert keys and set(keys) == set(range(len(text["en"])))
    assert all(len(text[lang]) == len(text["en"]) for lang in found["languages"])
    for key, shown in re.findall(r'<span data-t="(\d+)">([^<]*)</span>', page):
        assert html.unescape(shown) == text["fr"][int(key)]
    both = list(zip(text["en"], text["de"], strict=False))
    assert ("Your time", "Ihre Zeit") in both and ("Programme in your time", "Programm in Ihrer Zeit") in both
    # zones' labels and notes from CLDR in each language, not only the catalogs' words
    assert ("Central European Summer Time", "Mitteleuropäische Sommerzeit") in both
    assert any(
        en.startswith('The agenda writes "CET"') and de.startswith("Die Tagesordnung nennt „CET“") for en, de in both
    )
    # the script's own words, and the picker's places named in each language
    assert found["strings"]["de"]["night"] == "Nacht" and found["strings"]["es"]["day_after"] == "+1 día"
    madagascar = str(found["places"]["zones"].index("Indian/Antananarivo"))
    assert found["places"]["country"]["de"][madagascar] == "Madagaskar"
    assert {"Madagaskar", "Allemagne", "Alemania", "Deutschland"} <= {name for name, _ in found["places"]["names"]}


def test_serve_writes_its_pages_in_the_lang_given(tmp_path: Path) -> None:
    agenda = tmp_path / "workshop.md"
    agenda.write_text(WORKSHOP.read_text(encoding="utf-8"), encoding="utf-8")
    site = LiveSite(ServeConfig(paths=(str(agenda),), lang="de"))
    site.refresh()
    page = next(r.body.decode() for name, r in site.files.items() if name.endswith("/index.html"))
    assert '<html lang="de">' in page and "Programm in Ihrer Zeit" in visible_text(page)
    assert '<html lang="de">' in site.files["index.html"].body.decode()
    assert '<html lang="en">' in LiveSite(ServeConfig(paths=(str(agenda),))).status_html().decode()  # the organiser's


def test_serve_has_lang() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--lang" in result.output


@pytest.mark.parametrize(
    "languages, expected",
    [
        (["fr", "fr", "en"], "fr"),
        (["en", "de"], "en"),
        (["de", "en"], "de"),
        ([None, "es", None], "en"),
        ([], "en"),
    ],
)
def test_the_index_is_in_its_meetings_language(seed_agenda: Agenda, languages: list[str | None], expected: str) -> None:
    assert index_language([replace(seed_agenda, language=lang) for lang in languages]) == expected


def test_a_french_agenda_read_from_its_file_gives_a_french_page(tmp_path: Path, data_dir: Path) -> None:
    """The language comes from the agenda's words: no option needed."""
    path = data_dir / "11-iesf-convention-connaissances-2025.md"
    assert read_agenda(path, ReadOptions(meeting_tz="Europe/Paris")).language == "fr"
    page = meeting(publish(tmp_path, str(path), "--meeting-tz", "Europe/Paris"))
    assert '<html lang="fr">' in page and "Programme à votre heure" in visible_text(page)


# --- phrases: how a template's words become a page's marked texts -----------------------------------------------------


def render_string(source: str, lang: str, **context: object) -> str:
    with writing(lang):
        return environment().from_string(source).render(**context)


@pytest.mark.parametrize(
    "source, lang, shown",
    [
        ('{{ _("Your time")|t }}', "de", '<span data-t="0">Ihre Zeit</span>'),
        ('{{ _("Your time") }}', "fr", "Votre heure"),  # shown, unmarked: the script cannot switch it
        ("{% trans platform=p %}Join on {{ platform }}{% endtrans %}", "es", "Unirse en A&amp;B"),
        ('{{ _("Join on %(platform)s", platform=p)|t }}', "fr", '<span data-t="0">Rejoindre sur A&amp;B</span>'),
        ('{{ ngettext("+%(num)s day", "+%(num)s days", 2)|t }}', "de", '<span data-t="0">+2 Tage</span>'),
        (
            '<input placeholder="{{ _("Your time") }}"{{ _("Your time")|t_attr("placeholder") }}>',
            "fr",
            '<input placeholder="Votre heure" data-t-placeholder="0">',
        ),
        (
            '{{ _("night")|t }} {{ _("night")|t }} {{ _("early")|t }}',
            "en",
            '<span data-t="0">night</span> <span data-t="0">night</span> <span data-t="1">early</span>',
        ),
        ("{{ p|t }}", "fr", "A&amp;B"),  # agenda text: escaped, never marked
        ("{{ long_date(d)|t }}", "es", '<span data-t="0">miércoles, 11 de marzo de 2026</span>'),
    ],
)
def test_template_words_are_phrases(source: str, lang: str, shown: str) -> None:
    from datetime import date

    assert render_string(source, lang, p="A&B", d=date(2026, 3, 11)) == shown


def test_a_page_table_holds_each_marked_text_in_every_language() -> None:
    with writing("fr") as page:
        environment().from_string('{{ _("Your time")|t }}{{ ngettext("-%(num)s day", "-%(num)s days", 1)|t }}').render()
        assert page.table() == {
            "en": ["Your time", "-1 day"],
            "fr": ["Votre heure", "-1 jour"],
            "es": ["Su hora", "-1 día"],
            "de": ["Ihre Zeit", "-1 Tag"],
        }


def test_phrases_in_python() -> None:
    night = message("night")
    said = concat(night, " <", plural("+%(num)s day", "+%(num)s days", 3), ">")
    assert [said.text(lang) for lang in ("en", "fr", "es", "de")] == [
        "night <+3 days>",
        "nuit <+3 jours>",
        "noche <+3 días>",
        "Nacht <+3 Tage>",
    ]
    with writing("de"):
        assert str(said) == "Nacht <+3 Tage>" and said.__html__() == "Nacht &lt;+3 Tage&gt;"
    assert str(Phrase(lambda lang: lang)) == "en"  # outside a page: English
    with pytest.raises(ValueError, match="does not switch"):
        render_string('<a{{ _("night")|t_attr("href") }}>', "en")
