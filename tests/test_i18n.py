"""What calsync writes for people, in the agenda's language: the catalogs, the labels of clocks, .ics descriptions."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from calsync.cli import app
from calsync.i18n import LOCALE_DIR, translations
from calsync.ical import to_ics
from calsync.reading import ReadOptions
from calsync.reading.text import parse_text
from calsync.zones import participant_zones, zone_label

PACKAGE = Path(__file__).parents[1] / "calsync"
MAPPING = Path(__file__).parents[1] / "babel.cfg"  # what `pybabel extract -F babel.cfg` reads: code and templates
TRANSLATED = ("fr", "es", "de")
runner = CliRunner()


# --- the catalogs ---------------------------------------------------------------------------------------------------


def catalog(lang: str):  # noqa: ANN201
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "calsync.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def messages_in_code() -> set[str]:
    """Every message the code and the pages' templates mark for translation, as `pybabel extract -F babel.cfg`
    finds them."""
    with MAPPING.open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(MAPPING))
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(PACKAGE), method_map, options_map):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_templates_messages_are_extracted() -> None:
    found = messages_in_code()
    assert {"Local times:", "Block"} <= found  # the code's
    # the pages' ({% trans %} blocks, _() calls, plurals, and the script's strings in _strings.html)
    assert {
        "Your time",
        "Join on %(platform)s",
        "+%(num)s day",
        "No place or time zone called “{text}”: try a city, a country, or a name such as Asia/Kolkata.",
    } <= found


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_in_the_code_is_translated_and_nothing_else(lang: str) -> None:
    po = catalog(lang)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in po if m.id}
    assert ids == messages_in_code()  # `pybabel extract` + `update` were run after the code changed
    for message in po:
        if message.id:
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            assert all(strings) and not message.fuzzy, message.id
            for translated in strings:
                # the same {placeholders} (for .format()) and %(placeholders)s (for the templates' gettext)
                for pattern in (r"{(\w+)}", r"%\((\w+)\)s"):
                    source = message.id if isinstance(message.id, str) else message.id[1]
                    assert set(re.findall(pattern, translated)) == set(re.findall(pattern, source)), message.id


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_committed_mo_is_the_compiled_po(lang: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalog(lang))  # what `pybabel compile` writes
    assert (LOCALE_DIR / lang / "LC_MESSAGES" / "calsync.mo").read_bytes() == compiled.getvalue(), (
        "run: pybabel compile -d calsync/locale -D calsync"
    )


def test_translations_for_templates() -> None:
    french = translations("fr")
    assert french.gettext("Local times:") == "Heures locales :"
    assert callable(french.ngettext) and callable(french.pgettext)  # what Jinja2's i18n extension calls
    assert translations("en").gettext("Local times:") == "Local times:"
    assert translations(None).gettext("night") == "night"  # an agenda in no known language: English


# --- names of clocks ------------------------------------------------------------------------------------------------

SUMMER = datetime(2026, 7, 1, 12, tzinfo=UTC)
WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone, at, lang, label",
    [
        ("Etc/GMT+3", SUMMER, "en", "UTC−03:00"),  # tzdata's inverted POSIX sign, written the way people read it
        ("Etc/GMT+3", SUMMER, "de", "UTC−03:00"),
        ("Etc/GMT-5", WINTER, "fr", "UTC+05:00"),
        ("Etc/UTC", SUMMER, "en", "UTC"),
        ("Etc/UTC", SUMMER, "es", "UTC"),
        ("Europe/Berlin", SUMMER, "fr", "heure d’été d’Europe centrale"),
        ("Europe/Berlin", SUMMER, "de", "Mitteleuropäische Sommerzeit"),
        ("Europe/Berlin", WINTER, "en", "Central European Standard Time"),
        ("Europe/Madrid", SUMMER, "es", "hora de verano de Europa central"),
        ("America/Sao_Paulo", WINTER, "en", "Brasilia Standard Time"),
        ("Asia/Kolkata", SUMMER, "de", "Indische Normalzeit"),
    ],
)
def test_zone_labels(zone: str, at: datetime, lang: str, label: str) -> None:
    assert zone_label(zone, at, lang) == label


@pytest.mark.parametrize("text, label", [("All times GMT-3", "UTC−03:00"), ("All times in UTC", "UTC")])
def test_fixed_offset_agendas_are_labelled_by_their_offset(text: str, label: str) -> None:
    agenda = parse_text(f"# Webinar\n\nDate: 12 March 2026\n{text}\n\n10:00 – 11:00 Opening\n", ReadOptions())
    zones = participant_zones(agenda, tz=["Ghana"])
    assert zones[0].label == label
    ics = to_ics(agenda, zones=zones, stamp=SUMMER).decode().replace("\r\n ", "")
    assert "Unknown Region" not in ics and "GMT+3" not in ics
    assert f"{label}: 10:00–11:00 ({label})" in ics.replace("\\n", "\n")


# --- agendas in French, Spanish and German ----------------------------------------------------------------------------

AGENDAS = {
    "fr": (
        "# Réunion du groupe de travail sur les statistiques\n\nDate : 12 mars 2026\n"
        "Lieu : Genève, Palais des Nations\nHoraire : 09:00 – 12:00 (CET)\n\n"
        "09:00 – 10:00 Ouverture de la séance et adoption de l'ordre du jour\n"
        "10:00 – 12:00 Débat sur le programme de travail\n"
    ),
    "es": (
        "# Reunión del comité de estadísticas\n\nFecha: 12 de marzo de 2026\nLugar: Madrid\n"
        "Horario: 09:00 – 12:00 (hora de España)\n\n"
        "09:00 – 10:00 Apertura de la sesión y aprobación del orden del día\n"
        "10:00 – 12:00 Debate sobre el programa de trabajo\n"
    ),
    "de": (
        "# Sitzung des Arbeitskreises Statistik\n\nDatum: 12. März 2026\nOrt: München\n"
        "Zeit: 09:00 – 12:00 Uhr (MEZ)\n\n"
        "09:00 – 10:00 Uhr Eröffnung der Sitzung und Genehmigung der Tagesordnung\n"
        "10:00 – 12:00 Uhr Diskussion über das Arbeitsprogramm\n"
    ),
}
# (zone from the place the agenda names, words of the description, the meeting's clock, a country's row)
EXPECTED = {
    "fr": (
        "Europe/Zurich",
        [
            "Lien de connexion à confirmer",
            "Heures locales :",
            "Heure normale d’Europe centrale (Europe/Zurich) : 09:00–10:00 (UTC+01:00)",
            "Brésil (heure normale de Brasilia ; Rio Branco −2\u00a0h, Manaos −1\u00a0h, "
            "Fernando de Noronha +1\u00a0h) : 05:00–06:00 (UTC−03:00)",
        ],
    ),
    "es": (
        "Europe/Madrid",
        [
            "Enlace de conexión por confirmar",
            "Horas locales:",
            "Hora estándar de Europa central (Europe/Madrid): 09:00–10:00 (UTC+01:00)",
            "Brasil (hora estándar de Brasilia; Río Branco −2\u00a0h, Manaos −1\u00a0h, "
            "Fernando de Noronha +1\u00a0h): 05:00–06:00 (UTC−03:00)",
        ],
    ),
    "de": (
        "Europe/Berlin",
        [
            "Einwahllink folgt noch",
            "Ortszeiten:",
            "Mitteleuropäische Normalzeit (Europe/Berlin): 09:00–10:00 (UTC+01:00)",
            "Brasilien (Brasília-Normalzeit; Rio Branco −2\u00a0h, Manaus −1\u00a0h, "
            "Fernando de Noronha +1\u00a0h): 05:00–06:00 (UTC−03:00)",
        ],
    ),
}


def descriptions(ics: bytes) -> list[str]:
    text = ics.decode().replace("\r\n ", "")
    found = re.findall(r"^DESCRIPTION:(.*)$", text.replace("\r\n", "\n"), re.M)
    return [d.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";") for d in found]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_an_agenda_gives_event_text_in_its_own_language(lang: str) -> None:
    agenda = parse_text(AGENDAS[lang], ReadOptions())
    zone, lines = EXPECTED[lang]
    assert (agenda.language, agenda.timezone.zone) == (lang, zone)  # CET/MEZ follow the place the agenda names
    country = {"fr": "Brésil", "es": "Brasil", "de": "Brasilien"}[lang]
    ics = to_ics(agenda, zones=participant_zones(agenda, tz=[country]), stamp=SUMMER)
    assert f"TZID={zone}:20260312T090000".encode() in ics
    first = descriptions(ics)[0]
    for line in lines:
        assert line in first
    assert "Join" not in first and "Local times" not in first


def test_lang_replaces_the_agendas_language(tmp_path: Path) -> None:
    path = tmp_path / "sitzung.md"
    path.write_text(AGENDAS["de"], encoding="utf-8")
    result = runner.invoke(app, ["ics", str(path), "-q", "--lang", "es", "--tz", "Ghana"])
    assert result.exit_code == 0, result.output
    first = descriptions(result.stdout_bytes)[0]
    assert "Horas locales:\nHora estándar de Europa central (Europe/Berlin): 09:00–10:00 (UTC+01:00)" in first
    table = runner.invoke(app, ["times", str(path), "-q", "-f", "markdown", "--lang", "fr", "--tz", "Ghana"]).stdout
    assert "| Point | Heure normale d’Europe centrale (Europe/Berlin) | Ghana |" in table
    assert "jeudi 12 mars 2026 · heure de la réunion : heure normale d’Europe centrale (Europe/Berlin)" in table
    wrong = runner.invoke(app, ["ics", str(path), "--lang", "it"])
    assert wrong.exit_code == 2 and "--lang" in wrong.output


def test_the_built_in_french_agenda_gives_french_event_text() -> None:
    result = runner.invoke(app, ["ics", "-q"])
    first = descriptions(result.stdout_bytes)[0]
    assert "Lien Zoom à confirmer" in first and "Heures locales :" in first
    assert "Guatemala : 08:00–08:08 (UTC−06:00)" in first
    assert first.endswith(
        "L’ordre du jour indique « CET » ; les heures sont l’heure locale de Bruxelles (UTC+2, heure d’été)."
    )
    english = descriptions(runner.invoke(app, ["ics", "-q", "--lang", "en"]).stdout_bytes)[0]
    assert "Zoom link to be confirmed" in english and "Local times:" in english


def test_seed_in_each_language_keeps_its_instants(seed_agenda) -> None:  # noqa: ANN001
    """Words change with the language, times never do."""
    texts = {lang: to_ics(replace(seed_agenda, language=lang), stamp=SUMMER) for lang in ("en", *TRANSLATED)}
    starts = {lang: re.findall(rb"DTSTART[^\r]*", data) for lang, data in texts.items()}
    assert len({tuple(s) for s in starts.values()}) == 1
