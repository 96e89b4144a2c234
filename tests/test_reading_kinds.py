"""Each kind of failure seen on agendas the reader had not met (issue 9), as a realistic agenda, and what a person
reads.

Every agenda here is written the way organisers write them; the assertions are what a careful person would put in
their calendar, and where the reader has to guess, the warning it must give at that block's line.
"""

from __future__ import annotations

from datetime import date

import pytest

from calsync.model import Agenda
from calsync.reading import ReadOptions
from calsync.reading.text import parse_text

TODAY = date(2026, 12, 1)


def read(text: str, **options) -> Agenda:
    return parse_text(text, ReadOptions(today=TODAY, **options), source="agenda.md")


def times(agenda: Agenda) -> list[tuple[str, str, str, str]]:
    return [(b.start.date().isoformat(), f"{b.start:%H:%M}", f"{b.end:%H:%M}", b.title) for b in agenda.blocks]


def warned(agenda: Agenda, code: str) -> set[int]:
    return {w.line for w in agenda.warnings if w.code == code and w.line is not None}


def test_publication_date_at_the_top_is_not_the_meeting_day():
    a = read(
        "# Regional Workshop on Statistical Capacity\n"
        "Agenda | 06 March 2013\n\n"
        "Venue: UN Conference Centre, Bangkok (ICT)\n\n"
        "## Day 1 – Monday, 8 April 2013\n"
        "09:00 – 09:30 Registration\n"
        "09:30 – 10:30 Opening session\n\n"
        "## Day 2 – Tuesday, 9 April 2013\n"
        "09:00 – 12:00 Country presentations\n",
        meeting_tz="Asia/Bangkok",
    )
    assert [d for d, *_ in times(a)] == ["2013-04-08", "2013-04-08", "2013-04-09"]


def test_publication_date_with_words_gives_way_to_a_day_heading_below():
    a = read(
        "Annual General Meeting\nLast updated: 2 May 2019\n\nSaturday, 18 May 2019\n"
        "10:00 – 10:30 Welcome\n10:30 – 12:00 Reports\n",
        meeting_tz="Europe/London",
    )
    assert {d for d, *_ in times(a)} == {"2019-05-18"}


def test_twelve_hour_clock_without_am_pm_runs_forward():
    a = read(
        "Research Day 2019 — Programme\nThursday 14 November 2019, Senate House, London\n\n"
        "9.30 – 10.00 Registration and coffee\n10.00 – 11.15 Keynote: Data and democracy\n"
        "11.15 – 12.00 Panel discussion\n12.00 Lunch\n1.00 – 2.15 Workshops\n2.15 – 3.00 Plenary\n3.00 Close\n",
        meeting_tz="Europe/London",
    )
    assert [(s, e) for _, s, e, _ in times(a)] == [
        ("09:30", "10:00"),
        ("10:00", "11:15"),
        ("11:15", "12:00"),
        ("12:00", "13:00"),
        ("13:00", "14:15"),
        ("14:15", "15:00"),
    ]
    lines = {b.title: b.line for b in a.blocks}
    assert {lines["Workshops"], lines["Plenary"]} <= warned(a, "meridiem")


def test_twenty_four_hour_agenda_keeps_its_early_items():
    a = read("Date: 1 July 2020 (UTC)\n09:00 - 12:30 Europe\n05:00 - 08:30 Arab States\n")
    assert [s for _, s, _, _ in times(a)] == ["09:00", "05:00"] and not warned(a, "meridiem")


def test_title_on_the_line_above_its_time():
    a = read(
        "Board of Trustees — Regular Meeting\nWednesday, 15 January 2025\nBoard Room, City Hall (Central Time)\n\n"
        "Item 1: Call to order and roll call\n6:00 - 6:05 PM\n\n"
        "Item 2: Approval of the minutes of 11 December 2024\n6:05 - 6:15 PM\n\n"
        "Item 3: Public comment\n6:15 - 6:45 PM\nSpeakers are limited to three minutes each.\n\n"
        "Item 4: Budget amendment FY2025\n6:45 - 7:30 PM\n",
    )
    assert [(s, e, t) for _, s, e, t in times(a)] == [
        ("18:00", "18:05", "Call to order and roll call"),
        ("18:05", "18:15", "Approval of the minutes of 11 December 2024"),
        ("18:15", "18:45", "Public comment"),
        ("18:45", "19:30", "Budget amendment FY2025"),
    ]
    assert a.blocks[2].description == "Speakers are limited to three minutes each."
    assert {d for d, *_ in times(a)} == {"2025-01-15"} and a.timezone.zone == "America/Chicago"


def test_title_on_the_line_below_its_time():
    a = read(
        "Journée d'étude — Archives et numérique\nVendredi 4 octobre 2024, Lyon\n\n"
        "9h30 – 10h00\nAccueil des participants\n\n10h00 – 11h30\nLes archives face au numérique\n\n"
        "11h30 – 12h30\nTable ronde\n",
        meeting_tz="Europe/Paris",
    )
    assert [t for *_, t in times(a)] == ["Accueil des participants", "Les archives face au numérique", "Table ronde"]


def test_time_at_the_end_of_the_line():
    a = read(
        "Spring Conference of the Historical Society\nSaturday, 12 April 2025\n\n"
        "Registration and coffee ......................... 9:00\n"
        "Welcome by the President ........................ 9:30\n"
        "First session: Local archives ................... 9:45\n"
        "Lunch ........................................... 12:30\n"
        "Annual general meeting .......................... 14:00 – 15:00\n",
        meeting_tz="Europe/London",
    )
    assert [(s, t) for _, s, _, t in times(a)] == [
        ("09:00", "Registration and coffee"),
        ("09:30", "Welcome by the President"),
        ("09:45", "First session: Local archives"),
        ("12:30", "Lunch"),
        ("14:00", "Annual general meeting"),
    ]
    assert a.blocks[-1].end.strftime("%H:%M") == "15:00"


def test_spanish_prose_times():
    a = read(
        "Jornadas de Patrimonio Industrial 2023\nViernes, 17 de marzo de 2023 — Hora de Madrid\n\n"
        "A las 10:00 horas: acto de inauguración.\nA las 10:30 horas: conferencia inaugural.\n"
        "A las 12:00 horas: mesa redonda sobre el futuro del patrimonio.\n",
    )
    assert [(s, t) for _, s, _, t in times(a)] == [
        ("10:00", "acto de inauguración"),
        ("10:30", "conferencia inaugural"),
        ("12:00", "mesa redonda sobre el futuro del patrimonio"),
    ]
    assert a.timezone.zone == "Europe/Madrid"


def test_onwards_with_the_title_on_the_next_line():
    a = read(
        "Annual Dinner and Awards\nFriday 22 November 2019 (GMT)\n\n07.30 onwards\nDrinks reception\n\n"
        "08.15\nDinner is served\n"
    )
    assert [t for *_, t in times(a)] == ["Drinks reception", "Dinner is served"]


def test_table_flattened_one_cell_per_line():
    a = read(
        "Tagesordnung der Mitgliederversammlung 2022\nDienstag, 22. März 2022 (MEZ)\n"
        "|\nUhrzeit\nTagesordnungspunkt\nVerantwortlich\n|\n18:00\nBegrüßung\nVorstand\n|\n"
        "18:15\nBericht des Vorstands\nVorsitzende\n|\n19:00\nWahlen\nWahlleitung\n|\n"
    )
    assert [(s, t) for _, s, _, t in times(a)] == [
        ("18:00", "Begrüßung"),
        ("18:15", "Bericht des Vorstands"),
        ("19:00", "Wahlen"),
    ]
    assert a.blocks[0].names == ("Vorstand",)


def test_year_stated_elsewhere_beats_a_weekday_guess():
    a = read(
        "# Kongress Digitale Verwaltung 2019\nwww.kongress-verwaltung.de/2019/programm\n\n"
        "## Programm\n### Dienstag, 7. Mai\n09:00 – 10:00 Eröffnung\n### Mittwoch, 8. Mai\n09:00 – 12:00 Foren\n",
        meeting_tz="Europe/Berlin",
    )
    assert [d for d, *_ in times(a)] == ["2019-05-07", "2019-05-08"]
    assert not warned(a, "year-inferred")


def test_meeting_hours_line_under_the_date_is_not_a_block():
    a = read(
        "# Quarterly Members' Call\n**Tuesday, March 3, 2026**\n**2:00 PM – 3:30 PM EST**\n"
        "**Join: https://zoom.us/j/123456789**\n\n"
        "2:00 PM – 2:10 PM  Welcome\n2:10 PM – 3:00 PM  Program updates\n3:00 PM – 3:30 PM  Q&A\n"
    )
    assert [t for *_, t in times(a)] == ["Welcome", "Program updates", "Q&A"]
    assert [h.strftime("%H:%M") for h in a.hours] == ["14:00", "15:30"]


def test_join_link_on_a_bold_line_is_clean():
    a = read(
        "# Members' Call\nTuesday, March 3, 2026 (EST)\n**Join: https://zoom.us/j/123456789**\n\n"
        "2:00 PM – 2:10 PM  Welcome\n"
    )
    assert a.conference_url == "https://zoom.us/j/123456789"


@pytest.mark.parametrize(
    "line, names",
    [
        (
            "Speaker: Maria Gonzalez, Program Director, Civic Data Lab",
            ("Maria Gonzalez, Program Director, Civic Data Lab",),
        ),
        ("Speaker: Maria Gonzalez, Senior Fellow, Brookings", ("Maria Gonzalez, Senior Fellow, Brookings",)),
        (
            "Speakers: Maria Gonzalez, Program Director, Civic Data Lab; Tom Baker, OECD",
            ("Maria Gonzalez, Program Director, Civic Data Lab", "Tom Baker, OECD"),
        ),
    ],
)
def test_one_speaker_with_role_and_organisation(line, names):
    a = read(f"Open Data Forum\nThursday 5 June 2025 (CET)\n10:00 – 11:00 Keynote: Open data in cities\n{line}\n")
    assert a.blocks[0].names == names


@pytest.mark.parametrize(
    "date_line",
    ["30 November 2025, CET", "Sunday 30 November 2025 (CET)", "2025-11-30 (UTC+1)", "Date: 30.11.2025 – MEZ"],
)
def test_zone_written_beside_the_date(date_line):
    a = read(f"Webinar on energy communities\n{date_line}\n\n10:00 – 10:15 Welcome\n10:15 – 11:00 Presentations\n")
    assert a.blocks[0].start.utcoffset().total_seconds() == 3600


def test_bold_label_line_is_not_part_of_the_block_title():
    a = read(
        "Date: 22 juillet 2020\nTime: 16:00 – 18:00 (CET)\n\n"
        "**17h30 – 17h55 VI. Préparation de l'atelier de suivi de la**\n"
        "**Objectif :** Convenir de l'objectif de l'atelier, de la participation\n"
    )
    assert a.blocks[0].title == "Préparation de l'atelier de suivi de la"
    assert a.blocks[0].description.startswith("Objectif")


def test_an_invented_end_is_a_warning_at_its_block():
    a = read("Date: 3 March 2021 (CET)\n10:00 – 11:00 Talks\n11:00 Closing words\n")
    assert warned(a, "end-default") == {3}


def test_a_close_layout_call_warns_on_the_blocks_it_decides():
    a = read("Date: 3 March 2021 (CET)\nA\n10:00 – 11:00\nB\n11:00 – 12:00\nC\n")
    assert warned(a, "layout") == {b.line for b in a.blocks}


def test_reviewed_yaml_warns_about_the_agenda_as_it_is_now(tmp_path):
    from calsync.reading import read_agenda
    from calsync.reading.structured import dump_structured

    seed = read_agenda(None)
    assert sorted(w.code for w in seed.warnings) == ["numbering", "zone-label"]
    data = dump_structured(seed, "yaml").replace("number: VI\n  title: Remarques", "number: VII\n  title: Remarques")
    assert "number: VII" in data
    reviewed = tmp_path / "gcm8.yaml"
    reviewed.write_text(data, encoding="utf-8")
    again = read_agenda(reviewed)
    assert [w.code for w in again.warnings] == ["zone-label"]  # the numbering was fixed; the zone note still holds
    assert again.warnings[0].line == 31


def test_one_midnight_rule_for_ranges_and_the_items_after_them():
    """'22:00 – 08:00' runs over midnight (its end is kept), and what follows it is on the next day: one rule."""
    a = read(
        "Lange Nacht der Wissenschaften\nSamstag, 14. Juni 2025 (MEZ)\n\n20:00 – 22:00 Eröffnung\n"
        "22:00 – 08:00 Nachtprogramm im Labor\n08:00 – 09:00 Frühstück\n"
    )
    assert [(d, s, e) for d, s, e, _ in times(a)] == [
        ("2025-06-14", "20:00", "22:00"),
        ("2025-06-14", "22:00", "08:00"),
        ("2025-06-15", "08:00", "09:00"),
    ]
    assert a.blocks[1].end.date().isoformat() == "2025-06-15" and not a.blocks[1].end_inferred


def test_a_date_near_the_end_of_the_calendar_moved_by_date_is_an_agenda_error():
    from calsync.errors import AgendaError

    text = (
        "Meeting (Berlin time)\n\n31 December 9999\n\n10:00 – 11:00 Opening\n\n1 January 2020\n\n10:00 – 11:00 Panel\n"
    )
    with pytest.raises(AgendaError, match="past the year 9999"):
        read(text, date=date(2021, 1, 1))


def test_a_title_wrapped_over_many_lines_is_joined_in_linear_time():
    import time

    def timed(n: int) -> float:
        lines = "".join(f"long and winding session {k} of the\n" for k in range(n))  # repeated lines are furniture
        text = "Meeting in Berlin, 3 March 2024 (CET)\n\n10:00 – 11:00 Opening of the\n" + lines
        start = time.perf_counter()
        agenda = read(text)
        assert agenda.blocks[0].title.count("winding") == n
        return time.perf_counter() - start

    small, big = timed(1_000), timed(8_000)
    assert big < small * 8 * 3  # linear with slack for a busy machine (quadratic would be ~64×)
