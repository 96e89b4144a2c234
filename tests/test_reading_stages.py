"""Each stage of the reader on its own: lines, tags, layout, tables, segment, resolve, and the vocabulary they share."""

from __future__ import annotations

import re
from datetime import date

import pytest

from calsync.reading.clock import find_times
from calsync.reading.dates import find_weekday_heading
from calsync.reading.html import html_lines, markdown_lines
from calsync.reading.layout import Direction, choose_layout
from calsync.reading.lines import read_lines
from calsync.reading.options import ReadOptions
from calsync.reading.resolve import crosses_midnight, resolve_days
from calsync.reading.segment import segment
from calsync.reading.tables import header_role, table_groups
from calsync.reading.tags import Position, tag_line, tag_lines
from calsync.reading.vocabulary import CONCEPTS


def tagged(text: str):
    return tag_lines(read_lines(text))


# --- vocabulary ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONCEPTS))
def test_every_concept_covers_the_four_languages(name: str) -> None:
    words = CONCEPTS[name]
    assert all(getattr(words, lang) for lang in ("en", "fr", "es", "de")), name


# Words of one concept each, that only a local word list would repeat: they live in vocabulary.py and nowhere else.
SENTINELS = (
    "veranstaltungsort",
    "tagungsort",
    "courriel",
    "ordre du jour",
    "tagesordnung",
    "hörsaal",
    "plateforme",
    "besprechung",
    "zeitzone",
    "ciudad",
    "página",
    "jornada",
    "tagungsende",
    "table ronde",
    "teilnehmer",
)


def test_word_lists_live_in_the_vocabulary_only() -> None:
    """A word list written again inside a module (a regex of words, a set) is caught here, whatever its shape.

    Docstrings, and examples quoted in comments or messages ("Zeitzone:"), may name the words.
    """
    import ast
    from pathlib import Path

    import calsync

    root = Path(calsync.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        if path.name == "vocabulary.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                bare = re.sub(r'"[^"\n]*"|#[^\n]*', "", node.value).lower()  # quoted examples, verbose comments
                found += [(path.relative_to(root).as_posix(), w) for w in SENTINELS if w in bare]
    assert found == []


# --- lines -----------------------------------------------------------------------------------------------------------


def test_lines_decode_markup_and_keep_their_numbers() -> None:
    lines = read_lines("# Title\n\n**16h00 – 16h08 Accueil**\n- *Ana Pérez*\n| 9:00 | Talk |  |\n")
    assert [(line.no, line.text, line.heading, line.bold, line.bullet, line.table) for line in lines[:5]] == [
        (1, "Title", 1, False, False, False),
        (2, "", 0, False, False, False),
        (3, "16h00 – 16h08 Accueil", 0, True, False, False),
        (4, "Ana Pérez", 0, False, True, False),
        (5, "9:00 Talk", 0, False, False, True),
    ]
    assert lines[4].cells == ("9:00", "Talk", "")  # empty cells keep the columns aligned


def test_lines_strip_control_characters() -> None:
    assert read_lines("09:00 Wel\x1b[31mcome\x07\n")[0].text == "09:00 Wel[31mcome"


def test_flattened_table_rows_are_put_back_together() -> None:
    lines = read_lines("|\nZeit\nThema\n|\n18:00\nBegrüßung\n|\n")
    rows = [line for line in lines if line.content]
    assert [(line.no, line.cells) for line in rows] == [(2, ("Zeit", "Thema")), (5, ("18:00", "Begrüßung"))]


def test_front_matter_is_marked() -> None:
    lines = read_lines("<!-- source -->\n---\ndate: 2020-03-04\n---\n09:00 Talk\n")
    assert [line.front_matter for line in lines] == [False, True, True, True, False, False]


def test_a_programme_run_together_on_one_line_is_cut_per_item() -> None:
    text = (
        "Programme de la journée 8h30 : Accueil café 9h : Mots d'accueil de la présidente et des élus de la "
        "région 9h45 : Conférence d'ouverture sur la coopération 10h30 : Échanges avec les participants"
    )
    assert [line.text for line in read_lines(text)] == [
        "Programme de la journée",
        "8h30 : Accueil café",
        "9h : Mots d'accueil de la présidente et des élus de la région",
        "9h45 : Conférence d'ouverture sur la coopération",
        "10h30 : Échanges avec les participants",
    ]


# --- times and tags -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, position, around",
    [
        ("16:00 – 16:30 Welcome", Position.LEAD, "Welcome"),
        ("16:00 – 16:30", Position.ALONE, ""),
        ("07.30 onwards", Position.ALONE, ""),
        ("Welcome ........ 9:00", Position.TRAIL, "Welcome"),
        ("Armed Services -- 10:30 a.m. Open. On the budget.", Position.TRAIL, "Armed Services"),
        ("A las 11:00 horas: acto de inauguración", Position.LEAD, "acto de inauguración"),
        ("17.04 9.00am Arrival", Position.LEAD, "Arrival"),
        ("el jueves se celebrará a las 18:00 la clausura del congreso", Position.MIDDLE, ""),
        ("09:30 – 17:00 (Brussels time)", Position.ALONE, ""),
    ],
)
def test_where_a_line_has_its_time(text: str, position: Position, around: str) -> None:
    tags = tag_line(read_lines(text)[0])
    assert (tags.position, tags.text_around) == (position, around)


@pytest.mark.parametrize(
    "text, found",
    [
        ("07:30   08:30     Breakfast", [((7, 30), (8, 30))]),
        ("16:35 to16:40 - MI", [((16, 35), (16, 40))]),
        ("6.30-7.30pmIntroduction", [((18, 30), (19, 30))]),
        ("bis 13:00 Uhr Anreise", [((13, 0), None)]),
        ("Room 1.12 at 10:00", [((1, 12), None), ((10, 0), None)]),
        ("Panel 2 - 3:30 pm", [((15, 30), None)]),
    ],
)
def test_times_anywhere_in_a_line(text: str, found: list) -> None:
    assert [(m.hm(), m.end_hm()) for m in find_times(text)] == found


def test_until_marks_an_end_without_a_start() -> None:
    assert find_times("bis 13:00 Uhr Anreise")[0].until


@pytest.mark.parametrize(
    "text, weekday, day",
    [
        ("Tuesday", 1, None),
        ("Wednesday, 30th", 2, 30),
        ("Freitags", 4, None),
        ("Jeudi 12", 3, 12),
        ("Sunday, July 20", None, None),
    ],
)
def test_weekday_headings(text: str, weekday: int | None, day: int | None) -> None:
    heading = find_weekday_heading(text)
    assert (heading.weekday, heading.day) == (weekday, day) if weekday is not None else heading is None


# --- layout ----------------------------------------------------------------------------------------------------------


def test_layout_title_above_its_time() -> None:
    layout = choose_layout(
        tagged("Board meeting\n\nItem 1: Welcome\n6:00 - 6:05 PM\n\nItem 2: Minutes\n6:05 - 6:15 PM\n")
    )
    assert layout.direction is Direction.ABOVE and not layout.close_call


def test_layout_title_below_its_time() -> None:
    layout = choose_layout(tagged("Journée d'étude\n\n9h30 – 10h00\nAccueil\n\n10h00 – 11h30\nConférence\n"))
    assert layout.direction is Direction.BELOW


def test_layout_times_at_the_end_of_lines() -> None:
    assert choose_layout(tagged("Welcome ...... 9:00\nKeynote ...... 9:30\nLunch ...... 12:30\n")).trailing_times


def test_layout_prose_when_nothing_else() -> None:
    layout = choose_layout(tagged("La sesión de clausura empieza a las 6:00 p.m. de hoy en el auditorio principal.\n"))
    assert layout.prose


# --- tables ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, role",
    [
        ("Uhrzeit", "time"),
        ("Hora fin", "end"),
        ("Intervenants", "people"),
        ("Salle", "room"),
        ("Tema / Taller", "title"),
        ("Fecha", "date"),
        ("Folien", None),
    ],
)
def test_header_roles(header: str, role: str | None) -> None:
    assert header_role(header) == role


def test_table_roles_from_the_header_and_the_cells() -> None:
    tags = tagged("| Actividad | Hora inicio | Hora fin |\n| Llegada | 7:30 | 8:30 |\n| Debate | 8:30 | 10:00 |\n")
    assert {s.roles for s in table_groups(tags).values()} == {("title", "time", "end")}


def test_days_side_by_side_in_columns() -> None:
    tags = tagged(
        "| Horas | Jueves 06-03-2025 | Horas | Viernes 07-03-2025 |\n|---|---|---|---|\n"
        "| 9:30 | Charla 1 | 9:30 | Charla 6 |\n"
    )
    assert {s.day_columns for s in table_groups(tags).values()} == {((1, 0), (3, 2))}


# --- segment ----------------------------------------------------------------------------------------------------------


def items_of(text: str):
    tags = tagged(text)
    return segment(tags, choose_layout(tags))


def test_segment_parallel_rows_take_the_time_above_with_a_doubt() -> None:
    seg = items_of(
        "| Heure | Activité | Salle |\n|---|---|---|\n| 14h45-16h15 | Interactive 1 | B399 |\n"
        "|  | Interactive 2 | B379 |\n"
    )
    assert [(i.title, i.start, [d.code for d in i.doubts]) for i in seg.items] == [
        ("Interactive 1", (14, 45), []),
        ("Interactive 2", (14, 45), ["time-above"]),
    ]


def test_segment_repeated_header_starts_a_new_day() -> None:
    seg = items_of(
        "| Actividad | Hora inicio | Hora fin |\n| Llegada | 7:30 | 8:30 |\n"
        "| Actividad | Hora inicio | Hora fin |\n| Llegada | 7:30 | 8:00 |\n"
    )
    assert [d.next_day for d in seg.days] == [True] and [i.day for i in seg.items] == [-1, 0]


def test_segment_hours_line_without_a_title_is_not_an_item() -> None:
    seg = items_of(
        "**Tuesday, March 3, 2026**\n**2:00 PM – 3:30 PM EST**\n\n2:00 PM – 2:10 PM Welcome\n"
        "2:10 PM – 3:30 PM Updates\n"
    )
    assert [i.title for i in seg.items] == ["Welcome", "Updates"] and [(h.start, h.end) for h in seg.hours] == [
        ((14, 0), (15, 30))
    ]


# --- resolve ----------------------------------------------------------------------------------------------------------


def days_of(text: str, **options) -> list[date | None]:
    tags = tagged(text)
    return resolve_days(segment(tags, choose_layout(tags)), tags, ReadOptions(**options), []).dates


def test_weekday_headings_count_from_a_range_above() -> None:
    assert days_of(
        "from Monday 13th through Friday 17th July 2020.\n### Monday\n10:00 Talk\n### Tuesday\n10:00 Talk\n"
    ) == [date(2020, 7, 13), date(2020, 7, 13), date(2020, 7, 14)]


def test_a_second_section_restarts_the_week_inside_the_range() -> None:
    dates = days_of(
        "## Worms, vom 11.-14. April 2019\n### Donnerstag\n* _ab 13:00_ Workshops\n### Sonntag\n"
        "* _12:30_ Mittagessen\n### Vortragsprogramm\n#### Donnerstag\n* _18:00_ Tutorials\n"
    )
    assert dates[1:] == [date(2019, 4, 11), date(2019, 4, 14), date(2019, 4, 11)]


def test_year_written_elsewhere_settles_a_day_heading() -> None:
    assert days_of("Kongress 2019\n### Dienstag, 7. Mai\n09:00 Eröffnung\n") == [date(2019, 5, 7)]


@pytest.mark.parametrize(
    "start, end, crosses",
    [((22, 0), (8, 0), True), ((20, 0), (2, 0), True), ((11, 0), (10, 0), False), ((18, 0), (8, 1), False)],
)
def test_one_midnight_rule(start, end, crosses) -> None:
    assert crosses_midnight(start, end) is crosses


# --- HTML -------------------------------------------------------------------------------------------------------------


PAGE = """<!doctype html><html><head><title>Programme</title><style>p{}</style></head><body>
<header><nav><a href="/">Home</a> <a href="/about">About us</a></nav></header>
<main>
<h1>Journée d'étude 2024</h1>
<p>Vendredi 4 octobre 2024, Lyon</p>
<table>
<thead><tr><th>Heure</th><th>Intervention</th><th>Intervenant</th></tr></thead>
<tbody>
<tr><td>9h30</td><td><b>Accueil</b></td><td></td></tr>
<tr><td>10h00</td><td>Conférence<br>inaugurale</td><td>Marie Curie</td></tr>
</tbody></table>
</main>
<footer><p>© 2024 · Mentions légales · 10h00 – 18h00 du lundi au vendredi</p></footer>
<script>var t = "12:00";</script>
</body></html>"""


def test_html_page_keeps_headings_and_tables_and_drops_navigation() -> None:
    lines = html_lines(PAGE)
    texts = [text for _, text in lines]
    assert texts == [
        "# Journée d'étude 2024",
        "Vendredi 4 octobre 2024, Lyon",
        "| Heure | Intervention | Intervenant |",
        "|---|---|---|",
        "| 9h30 | **Accueil** |  |",
        "| 10h00 | Conférence – inaugurale | Marie Curie |",
    ]
    assert lines[0][0] == 4 and lines[-1][0] == 10  # the page's own line numbers


def test_bold_then_italic_with_nothing_between_keeps_both_emphases_readable() -> None:
    """<strong>Title</strong><em>note</em> in one cell (a page that styles them as lines): the Markdown must not be
    "**Title***note*", whose asterisks no reader can pair, so they ended up in every event's title."""
    row = "<table><tr><td>05:00</td><td><strong>Treffpunkt Bahnhof</strong><em>Bitte pünktlich</em></td></tr></table>"
    assert [text for _, text in html_lines(row)] == ["| 05:00 | **Treffpunkt Bahnhof** *Bitte pünktlich* |"]


def test_html_tables_inside_markdown_are_converted_in_place() -> None:
    text = "# Programme\n\n<table>\n<tr><td>9:00</td><td>Welcome</td></tr>\n</table>\n\nAfter the table\n"
    assert markdown_lines(text) == [
        (1, "# Programme"),
        (2, ""),
        (4, "| 9:00 | Welcome |"),
        (6, ""),
        (7, "After the table"),
        (8, ""),
    ]


def test_a_saved_page_is_read_as_an_agenda(tmp_path) -> None:
    from calsync.reading import read_agenda

    page = tmp_path / "programme.html"
    page.write_text(PAGE, encoding="utf-8")
    agenda = read_agenda(page, ReadOptions(meeting_tz="Europe/Paris"))
    assert [(b.title, f"{b.start:%Y-%m-%d %H:%M}", b.line) for b in agenda.blocks] == [
        ("Accueil", "2024-10-04 09:30", 9),
        ("Conférence – inaugurale", "2024-10-04 10:00", 10),
    ]
    assert agenda.blocks[1].names == ("Marie Curie",) and agenda.title == "Journée d'étude 2024"
