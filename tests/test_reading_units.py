"""Table-driven checks of the reader's pieces: clock times, dates, zone labels, organiser checks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from calsync.errors import AgendaError, AmbiguousTimeError, ZoneError
from calsync.reading import ReadOptions
from calsync.reading.clock import span_at_start
from calsync.reading.dates import find_dates, year_from_weekday
from calsync.reading.text import parse_text
from calsync.reading.zonelabels import find_label, resolve_label
from calsync.schema import agenda_from_data

UTC = UTC


@pytest.mark.parametrize(
    "text, start, end, rest",
    [
        (
            "16h00 – 16h08 I. Accueil par la présidence (8 min)",
            (16, 0),
            (16, 8),
            "I. Accueil par la présidence (8 min)",
        ),
        ("16:15 – 16:50 Session", (16, 15), (16, 50), "Session"),
        ("9.00 – 9.15 Opening of the conference", (9, 0), (9, 15), "Opening of the conference"),
        ("9:15 a. m. - 10:45 a. m. Conferencia", (9, 15), (10, 45), "Conferencia"),
        ("3-6 p.m. Item 6 (continued)", (15, 0), (18, 0), "Item 6 (continued)"),
        ("10-11:30 a.m. Opening", (10, 0), (11, 30), "Opening"),
        ("11:30 a.m.-1 p.m. Development", (11, 30), (13, 0), "Development"),
        ("12:30 m. 1:00 p. m. Presentación", (12, 30), (13, 0), "Presentación"),
        ("11:00 a. m. - 12:30 m. Presentación", (11, 0), (12, 30), "Presentación"),
        ("9h - 9h30 : Introduction", (9, 0), (9, 30), "Introduction"),
        ("16 h-17:15 h (hora de España)", (16, 0), (17, 15), "(hora de España)"),
        ("10h présentation du rapport", (10, 0), None, "présentation du rapport"),
        ("11h00 4 à 6 ateliers", (11, 0), None, "4 à 6 ateliers"),
        ("ca. 12.45 End of day 1", (12, 45), None, "End of day 1"),
        ("18:00 – open end Sektempfang", (18, 0), None, "Sektempfang"),
        ("9:00 – 10:45 Uhr Workshops der Haupttagung", (9, 0), (10, 45), "Workshops der Haupttagung"),
        ("09:00 GMT-3 - 12:30 GMT-3", (9, 0), (12, 30), ""),
        ("09:30 – 10:50", (9, 30), (10, 50), ""),
    ],
)
def test_clock_ranges(text, start, end, rest):
    span = span_at_start(text, 1)
    assert span is not None
    assert (span.start, span.end, span.rest) == (start, end, rest)


@pytest.mark.parametrize(
    "text", ["17-02180 (E) 150217", "1 July", "2020-21 EUU", "8e réunion", "34th report", "Item 6"]
)
def test_not_times(text):
    assert span_at_start(text, 1) is None


@pytest.mark.parametrize("text", ["25:00 – 26:00 Late", "16:75 Odd", "13 p.m. Thirteen"])
def test_impossible_times_are_errors(text):
    with pytest.raises(AgendaError, match="is not a time of day"):
        span_at_start(text, 7)


@pytest.mark.parametrize(
    "text, day, month, year, weekday",
    [
        ("Date: 22 juillet 2020", 22, 7, 2020, None),
        ("Monday, 30 November 2020", 30, 11, 2020, 0),
        ("Mittwoch, 11.03.2015", 11, 3, 2015, 2),
        ("### Monday 2020-10-05", 5, 10, 2020, 0),
        ("Programación jueves 23 de enero", 23, 1, None, 3),
        ("Samedi 14 mai après-midi", 14, 5, None, 5),
        ("July 22, 2020", 22, 7, 2020, None),
        ("le 1er août 2021", 1, 8, 2021, None),
        ("Dienstag, 3. März 2020", 3, 3, 2020, 1),
    ],
)
def test_dates(text, day, month, year, weekday):
    d = find_dates(text)[0]
    assert (d.day, d.month, d.year, d.weekday) == (day, month, year, weekday)


def test_year_from_weekday():
    assert year_from_weekday(4, 10, 5, 2026) == 2025  # samedi 4 octobre
    assert year_from_weekday(23, 1, 3, 2024) == 2025  # jueves 23 de enero
    assert year_from_weekday(30, 11, 0, 2023) == 2020  # Monday, 30 November
    assert year_from_weekday(30, 11, 0, 2026) == 2026


@pytest.mark.parametrize(
    "label, on, zone, utc_offset_hours",
    [
        ("CET", date(2020, 7, 22), "Europe/Brussels", 2),
        ("CET", date(2020, 11, 30), "Europe/Brussels", 1),
        ("CEST", date(2020, 7, 22), "Europe/Brussels", 2),
        ("MEZ", date(2020, 1, 10), "Europe/Brussels", 1),
        ("GMT-3", date(2020, 7, 1), "Etc/GMT+3", -3),
        ("UTC+1", date(2020, 7, 1), "Etc/GMT-1", 1),
        ("UTC", date(2020, 7, 1), "Etc/UTC", 0),
        ("hora de España", date(2020, 5, 21), "Europe/Madrid", 2),
        ("heure de Paris", date(2020, 12, 1), "Europe/Paris", 1),
        ("local time Brussels", date(2020, 12, 1), "Europe/Brussels", 1),
        ("America/Bogota", date(2020, 12, 1), "America/Bogota", -5),
        ("EST", date(2021, 1, 5), "America/New_York", -5),
        ("EST5EDT", date(2021, 7, 5), "America/New_York", -4),
        ("US/Eastern", date(2021, 7, 5), "America/New_York", -4),
        ("Asia/Calcutta", date(2021, 7, 5), "Asia/Kolkata", 5.5),
        ("Europe/Stockholm", date(2021, 7, 5), "Europe/Stockholm", 2),
        # abbreviation families beyond Europe and North America, and spelled-out names
        ("EAT", date(2025, 7, 1), "Africa/Nairobi", 3),
        ("East Africa Time", date(2025, 7, 1), "Africa/Nairobi", 3),
        ("WAT", date(2025, 1, 1), "Africa/Lagos", 1),
        ("West Africa Time", date(2025, 1, 1), "Africa/Lagos", 1),
        ("CAT", date(2025, 1, 1), "Africa/Maputo", 2),
        ("Central Africa Time", date(2025, 1, 1), "Africa/Maputo", 2),
        ("SAST", date(2025, 7, 1), "Africa/Johannesburg", 2),
        ("MSK", date(2025, 7, 1), "Europe/Moscow", 3),
        ("GST", date(2025, 7, 1), "Asia/Dubai", 4),
        ("PKT", date(2025, 7, 1), "Asia/Karachi", 5),
        ("IST (India)", date(2025, 7, 1), "Asia/Kolkata", 5.5),
        ("India Standard Time", date(2025, 7, 1), "Asia/Kolkata", 5.5),
        ("WIB", date(2025, 7, 1), "Asia/Jakarta", 7),
        ("SGT", date(2025, 7, 1), "Asia/Singapore", 8),
        ("HKT", date(2025, 7, 1), "Asia/Hong_Kong", 8),
        ("PHT", date(2025, 7, 1), "Asia/Manila", 8),
        ("JST", date(2025, 7, 1), "Asia/Tokyo", 9),
        ("KST", date(2025, 7, 1), "Asia/Seoul", 9),
        ("AWST", date(2025, 7, 1), "Australia/Perth", 8),
        ("ACST", date(2025, 7, 1), "Australia/Adelaide", 9.5),
        ("ACDT", date(2025, 1, 15), "Australia/Adelaide", 10.5),
        ("AEST", date(2025, 7, 1), "Australia/Sydney", 10),
        ("AEDT", date(2025, 1, 15), "Australia/Sydney", 11),
        ("AEST", date(2025, 1, 15), "Australia/Sydney", 11),  # civil time, with a warning (below)
        ("NZST", date(2025, 7, 1), "Pacific/Auckland", 12),
        ("NZDT", date(2025, 1, 15), "Pacific/Auckland", 13),
        ("BRT", date(2025, 7, 1), "America/Sao_Paulo", -3),
        ("ART", date(2025, 7, 1), "America/Argentina/Buenos_Aires", -3),
        ("AKST", date(2025, 1, 15), "America/Anchorage", -9),
        ("AKDT", date(2025, 7, 1), "America/Anchorage", -8),
        ("HST", date(2025, 7, 1), "Pacific/Honolulu", -10),
        ("Eastern Standard Time", date(2025, 1, 15), "America/New_York", -5),
        ("Eastern Daylight Time", date(2025, 7, 1), "America/New_York", -4),
        ("Central Standard Time", date(2025, 1, 15), "America/Chicago", -6),
        ("Mountain Standard Time", date(2025, 1, 15), "America/Denver", -7),
        ("Pacific Standard Time", date(2025, 1, 15), "America/Los_Angeles", -8),
        ("Pacific Daylight Time", date(2025, 7, 1), "America/Los_Angeles", -7),
    ],
)
def test_zone_labels(label, on, zone, utc_offset_hours):
    got = resolve_label(label, on).zone
    assert got == zone
    from zoneinfo import ZoneInfo

    noon = datetime(on.year, on.month, on.day, 12, tzinfo=ZoneInfo(got))
    assert noon.utcoffset().total_seconds() == utc_offset_hours * 3600


def test_wrong_half_of_year_note_shows_both_readings():
    reading = resolve_label("CEST", date(2020, 11, 30), at=datetime(2020, 11, 30, 9))
    zone, note = reading.zone, reading.note or ""
    assert zone == "Europe/Brussels" and reading.disagrees
    assert (
        "standard time (UTC+1)" in note and "08:00 UTC" in note and "07:00 UTC" in note and "--literal-offsets" in note
    )


@pytest.mark.parametrize(
    "label, match",
    [("Mars/Olympus", "unknown time zone"), ("UTC+5:30", "Asia/Kolkata"), ("GMT+15", "not a UTC offset")],
)
def test_bad_zone_labels(label, match):
    with pytest.raises(ZoneError, match=match):
        resolve_label(label, date(2020, 7, 1))


@pytest.mark.parametrize(
    "line, label",
    [
        ("Time: 16:00 – 18:00 (CET)", "CET"),
        ("All time specifications refer to CET.", "CET"),
        ("09:00 GMT-3 - 12:30 GMT-3", "GMT-3"),
        ("de 16 h-17:15 h (hora de España) 9:00 AM hora Colombia", "hora de España"),
        ("Time zone: America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Il est 16h et tout va bien", None),
    ],
)
def test_find_label(line, label):
    assert find_label(line) == label


def agenda(text: str, **options):
    return parse_text(text, ReadOptions(**options), source="t.md")


def codes(a):
    return [w.code for w in a.warnings]


def test_checks_an_organiser_wants():
    a = agenda(
        "Date: 3 March 2021\nTime: 10:00 – 12:00 (CET)\n"
        "10:00 – 10:30 1. Welcome (20 min)\n"
        "10:20 – 11:00 2. Overlapping\n"
        "11:15 – 12:30 3. After a gap and past the hours\n"
        "12:30 3. Same number, no end\n"
    )
    assert codes(a) == ["duration", "overlap", "gap", "hours", "end-default", "hours", "numbering"]
    last = a.blocks[-1]
    assert last.end_inferred and last.minutes == 30  # the default length when nothing follows


def test_end_taken_from_next_block_is_marked_inferred():
    a = agenda("Date: 3 March 2021 (CET)\n10:00 Welcome\n10:45 – 11:00 Next\n")
    assert a.blocks[0].end_inferred and a.blocks[0].end.strftime("%H:%M") == "10:45"
    assert not a.blocks[1].end_inferred


def test_end_before_start_is_a_warning_and_the_end_is_inferred():
    a = agenda("Date: 3 March 2021 (CET)\n11:00 – 10:00 Backwards\n11:30 – 12:00 Next\n")
    assert "end-before-start" in codes(a) and a.blocks[0].end_inferred


def test_block_over_midnight():
    a = agenda("Date: 3 March 2021 (CET)\n22:00 – 01:00 Night session\n")
    assert a.blocks[0].end.isoformat() == "2021-03-04T01:00:00+01:00" and "midnight" in codes(a)


def test_nonexistent_local_time_is_an_error():
    with pytest.raises(AmbiguousTimeError, match="does not exist in Europe/Paris"):
        agenda("Date: 28 March 2021\n02:30 – 03:30 Night\n", meeting_tz="Europe/Paris")


def test_repeated_local_time_is_an_error():
    with pytest.raises(AmbiguousTimeError, match="happens twice"):
        agenda("Date: 31 October 2021\n02:30 – 03:30 Night\n", meeting_tz="Europe/Paris")


def test_meeting_tz_overrides_the_label():
    a = agenda("Date: 22 July 2020\nTime (CET)\n16:00 – 17:00 One\n", meeting_tz="America/Bogota")
    assert a.timezone.zone == "America/Bogota" and a.blocks[0].start.astimezone(UTC).hour == 21


def test_meeting_tz_accepts_a_city_or_label():
    assert agenda("Date: 22 July 2020\n16:00 – 17:00 One\n", meeting_tz="Paris").timezone.zone == "Europe/Paris"
    assert agenda("Date: 22 July 2020\n16:00 – 17:00 One\n", meeting_tz="CEST").timezone.zone == "Europe/Brussels"


def test_conference_url_is_found():
    a = agenda(
        "Date: 22 July 2020 (CET)\nLocation: Zoom https://us02web.zoom.us/j/8512345678?pwd=abc\n16:00 – 17:00 One\n"
    )
    assert a.location == "Zoom" and a.conference_url == "https://us02web.zoom.us/j/8512345678?pwd=abc"


def test_speakers_lists_become_names():
    a = agenda(
        "Date: 1 July 2020 (UTC)\n09:00 - 10:00 Panel\nSpeakers: Ana Pérez, Bo Li and Chris Doe\n"
        "Speakers: Coming soon\n"
    )
    assert a.blocks[0].names == ("Ana Pérez", "Bo Li", "Chris Doe")


def test_table_without_header_row_keeps_its_first_block():
    a = agenda("Date: 3 March 2021 (CET)\n| 9:00 – 10:00 | First |\n|---|---|\n| 10:00 – 11:00 | Second |\n")
    assert [b.title for b in a.blocks] == ["First", "Second"]


def test_table_header_row_is_not_a_block():
    a = agenda("Date: 3 March 2021 (CET)\n| Zeit | Veranstaltung |\n|---|---|\n| 9:00 – 10:00 Uhr | First |\n")
    assert [b.title for b in a.blocks] == ["First"]


def test_heading_with_date_and_range_gives_the_hours_not_a_block():
    a = agenda(
        "# Board Meeting\nTuesday, March 3, 2026 — 9:00 AM to 11:00 AM EST\n\n"
        "9:00 AM – 9:15 AM  Welcome\n9:15 AM – 11:00 AM  Budget review\n"
    )
    assert [b.title for b in a.blocks] == ["Welcome", "Budget review"]
    assert a.timezone.zone == "America/New_York"
    assert [h.strftime("%H:%M") for h in a.hours] == ["09:00", "11:00"]


@pytest.mark.parametrize(
    "line, number",
    [("1. 10:00 – 10:10 Bienvenida", "1"), ("TOP 2 18:40 Bericht", "2"), ("IV) 9h - 9h30 Clôture", "IV")],
)
def test_numbering_before_the_time(line, number):
    a = agenda(f"Datum: 14.03.2026 (MEZ)\n{line}\n")
    assert a.blocks[0].number == number and a.blocks[0].title in line and not a.blocks[0].title[0].isdigit()


def test_closing_time_line_ends_the_last_block():
    a = agenda(
        "Datum: 14.03.2026, Beginn 18:30 Uhr (MEZ)\nTOP 1 18:30 Begrüßung\nTOP 2 19:15 Wahlen\nEnde ca. 20:00 Uhr\n"
    )
    assert [b.end.strftime("%H:%M") for b in a.blocks] == ["19:15", "20:00"]
    assert all(b.end_inferred for b in a.blocks)


@pytest.mark.parametrize(
    "written, day, warned",
    [
        ("12/05/2026", "2026-05-12", True),
        ("5/25/2026", "2026-05-25", False),
        ("25/05/2026", "2026-05-25", False),
        ("Tuesday 05/12/2026", "2026-05-12", False),
    ],
)
def test_slashed_dates(written, day, warned):
    a = agenda(f"Date: {written}\nTime zone: UTC\n14:00-14:10 Intro\n")
    assert a.blocks[0].start.date().isoformat() == day
    assert ("date-order" in codes(a)) is warned


def test_programme_past_midnight_moves_to_the_next_day():
    a = agenda(
        "Date: 31 December 2025\nTime: 20:00 – 02:00 (CET)\n20:00 – 23:30 Kick-off\n23:30 – 00:15 Countdown\n"
        "00:15 – 01:30 Sprint\n01:30 – 02:00 Demos\n"
    )
    assert [b.start.isoformat() for b in a.blocks] == [
        "2025-12-31T20:00:00+01:00",
        "2025-12-31T23:30:00+01:00",
        "2026-01-01T00:15:00+01:00",
        "2026-01-01T01:30:00+01:00",
    ]
    assert "gap" not in codes(a) and "hours" not in codes(a)


def test_out_of_order_morning_items_stay_on_their_day():
    a = agenda("Date: 1 July 2020 (UTC)\n09:00 - 12:30 Europe\n05:00 - 08:30 Arab States\n")
    assert {b.start.date().isoformat() for b in a.blocks} == {"2020-07-01"}


def test_announced_hours_apply_to_every_day():
    a = agenda(
        "Time: 9:00 AM – 5:00 PM (EST)\nMonday, 2 March 2026\n9:00 AM – 12:00 PM Talks\n"
        "Tuesday, 3 March 2026\n9:00 AM – 12:00 PM Field visit\n"
    )
    assert "hours" not in codes(a)


@pytest.mark.parametrize(
    "line, zone",
    [
        ("Timezone: Europe/Berlin", "Europe/Berlin"),
        ("Zona horaria: America/Mexico_City", "America/Mexico_City"),
        ("Montag, 10. März 2025, Zeitzone: Europe/Berlin", "Europe/Berlin"),
        ("Time zone: Berlin", "Europe/Berlin"),
        ("Zeiten in MEZ", "Europe/Brussels"),
        ("Time zone: US/Eastern", "America/New_York"),
    ],
)
def test_zone_stated_outright(line, zone):
    assert agenda(f"Date: 10 March 2025\n{line}\n14:30 - 15:00 Hello\n").timezone.zone == zone


def test_two_letter_label_next_to_a_time():
    assert agenda("Date: 10 March 2025\n9:00 AM – 5:00 PM ET Workshop\n").timezone.zone == "America/New_York"


def test_unknown_stated_zone_is_named_with_suggestions():
    with pytest.raises(ZoneError, match=r"unknown time zone 'Europe/Pari'.*did you mean Europe/Paris"):
        agenda("Date: 10 March 2025\nTime zone: Europe/Pari\n14:30 - 15:00 Hello\n")


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("de 9 h à 10 h 30 : Accueil", (9, 0), (10, 30)),
        ("9 h 30 – 10 h Accueil", (9, 30), (10, 0)),
        ("von 09:00 bis 10:00 Uhr Begrüßung", (9, 0), (10, 0)),
        ("12 noon – 1 pm Lunch", (12, 0), (13, 0)),
        ("11:30 am – 12 noon: Intros", (11, 30), (12, 0)),
        ("10.00 - 11.00 hrs Session", (10, 0), (11, 0)),
        ("10:00 till 11:00 X", (10, 0), (11, 0)),
        ("10:00 → 11:00 Y", (10, 0), (11, 0)),
    ],
)
def test_more_clock_forms(text, start, end):
    span = span_at_start(text, 1)
    assert (span.start, span.end) == (start, end) and span.rest[0].isalpha()


def test_session_numbering_before_the_time():
    a = agenda("Date: 10 March 2025 (CET)\nSession I: 13:00 – 14:00 Opening\nSession II: 14:00 – 15:00 Breakouts\n")
    assert [(b.number, b.title) for b in a.blocks] == [("I", "Opening"), ("II", "Breakouts")]


def test_repeated_moderator_lines_are_names_not_page_furniture():
    a = agenda(
        "Date: 10 March 2025 (CET)\n14:00 - 15:00 One\nModerator: Jane Roe\n15:00 - 16:00 Two\nModerator: Jane Roe\n"
    )
    assert [b.names for b in a.blocks] == [("Jane Roe",), ("Jane Roe",)]


def test_third_table_column_gives_names():
    a = agenda(
        "Datum: 14.03.2026 (MEZ)\n| Zeit | Punkt | Wer |\n|---|---|---|\n"
        "| 18:00 bis 18:15 Uhr | TOP 1 Begrüßung | Vorsitzender |\n"
    )
    assert (a.blocks[0].number, a.blocks[0].title, a.blocks[0].names) == ("1", "Begrüßung", ("Vorsitzender",))


def test_date_option_settles_a_missing_year_without_a_warning():
    a = agenda("Samedi 14 mai\n9h30 : Accueil\n", meeting_tz="Europe/Paris", date=date(2022, 5, 14))
    assert a.blocks[0].start.date() == date(2022, 5, 14) and "year-inferred" not in codes(a)


def test_stated_duration_is_elapsed_time_across_a_dst_change():
    a = agenda("Date: 28 March 2021\n01:30 Night shift (60 min)\n", meeting_tz="Europe/Paris")
    assert a.blocks[0].end.isoformat() == "2021-03-28T03:30:00+02:00" and a.blocks[0].minutes == 60


def test_block_in_the_repeated_hour_is_valid_and_measured_in_elapsed_time():
    night = agenda_from_data(
        {
            "title": "t",
            "timezone": "Europe/Paris",
            "blocks": [{"title": "x", "start": "2020-10-25T02:30:00+02:00", "end": "2020-10-25T02:00:00+01:00"}],
        }
    )
    assert night.blocks[0].minutes == 30


@pytest.mark.parametrize("written, day", [("02.10.25", "2025-10-02"), ("2025/10/02", "2025-10-02")])
def test_more_date_forms(written, day):
    assert (
        agenda(f"Datum: {written}\nZeitzone: Europe/Berlin\n14:30 - 15:00 Hallo\n").blocks[0].start.date().isoformat()
        == day
    )


def test_iana_name_beside_a_label_wins():
    assert (
        agenda("Date: 10 March 2025\nTime zone: CET (Europe/Amsterdam)\n14:30 - 15:00 Hello\n").timezone.zone
        == "Europe/Amsterdam"
    )


def test_a_date_inside_an_item_does_not_move_the_programme():
    a = agenda(
        "Monday, 8 June 2026\nTime zone: America/New_York\n10:00 - 13:00 Item 4: Western Sahara\n"
        "(resolution 79/105 of 4 December 2024)\n15:00 - 18:00 Item 5: New Caledonia\n"
        "TOP 6 19:40 Genehmigung des Protokolls\nvom 13. März 2025\n20:00 - 20:30 Item 7\n"
    )
    assert {b.start.date().isoformat() for b in a.blocks} == {"2026-06-08"}
    assert "date-order" not in codes(a)


def test_a_day_heading_inside_a_block_still_moves_the_programme():
    a = agenda(
        "Programación jueves 23 de enero de 2025\n9:00 a. m. - 10:00 a. m. Uno\nTexto.\n"
        "Programación viernes 24 de enero\n9:00 a. m. - 10:00 a. m. Dos\n",
        meeting_tz="America/Bogota",
    )
    assert [b.start.date().isoformat() for b in a.blocks] == ["2025-01-23", "2025-01-24"]


def test_heading_hours_line_is_not_a_block():
    a = agenda(
        "Date: 24 April 2026\n09:30 – 17:00 (Brussels time)\n\n09:30 – 09:45 1. Welcome\n09:45 – 17:00 2. Work\n"
    )
    assert [b.title for b in a.blocks] == ["Welcome", "Work"] and "overlap" not in codes(a)
    assert a.timezone.zone == "Europe/Brussels" and a.hours is not None


def test_when_line_gives_date_and_hours():
    a = agenda("When: 17 June 2025, 13:00–16:30 UTC\n13:00 - 14:00 Panel\n14:00 Q&A\n")
    assert [b.title for b in a.blocks] == ["Panel", "Q&A"]
    assert a.blocks[1].end.strftime("%H:%M") == "16:30"  # the last item runs to the announced end


def test_closing_time_line_is_the_end_not_a_block():
    a = agenda("Date: 23 January 2026 (PST)\n8:30 AM Call to order\n11:30 AM Executive session\n12:00 PM Adjourn\n")
    assert [b.title for b in a.blocks] == ["Call to order", "Executive session"]
    assert a.blocks[-1].end.strftime("%H:%M") == "12:00"


@pytest.mark.parametrize(
    "line, names",
    [
        ("Moderator: Ms. Ana Silva, UNDP", ("Ms. Ana Silva, UNDP",)),
        (
            "Speakers: Alexander Shokhin, Conny Czymoch, Hubertus Heil",
            ("Alexander Shokhin", "Conny Czymoch", "Hubertus Heil"),
        ),
        ("Speakers: Netherlands, Finland, Italy", ("Netherlands", "Finland", "Italy")),
        ("Presenter: Linda Chen, CFO and Bo Li", ("Linda Chen, CFO", "Bo Li")),
    ],
)
def test_names_keep_their_roles(line, names):
    assert agenda(f"Date: 1 July 2020 (UTC)\n09:00 - 10:00 Panel\n{line}\n").blocks[0].names == names


def test_speaker_lines_in_other_forms():
    a = agenda(
        "Date: 1 July 2020 (UTC)\n09:00 - 10:00 Panel\nSpeakers:\n- Ana Pérez\n- Bo Li\n\n"
        "10:00 - 11:00 Talk\n*Claire Martin, déléguée générale*\n**Dr. Jonas Keller**, Deutscher Wetterdienst\n"
    )
    assert a.blocks[0].names == ("Ana Pérez", "Bo Li")
    assert a.blocks[1].names == ("Claire Martin, déléguée générale", "Dr. Jonas Keller, Deutscher Wetterdienst")


def test_rooms_are_not_names_and_parallel_sessions_do_not_warn():
    a = agenda(
        "Date: 9 September 2025 (CEST)\n| Time | Session | Room |\n|---|---|---|\n"
        "| 11:00–12:30 | Session 1A: Text mining | HS 1 |\n| 11:00–12:30 | Session 1B: Maps | HS 2 |\n"
    )
    assert [b.names for b in a.blocks] == [(), ()]
    assert a.blocks[0].description == "Room: HS 1" and "overlap" not in codes(a)


@pytest.mark.parametrize(
    "line, stated, per_name",
    [("14:00 Mot d'accueil (5')", 5, None), ("14:00 Berichte der Abteilungen (je 5 Min.)", None, 5)],
)
def test_more_duration_forms(line, stated, per_name):
    b = agenda(f"Date: 9 September 2025 (CEST)\n{line}\n").blocks[0]
    assert (b.duration_minutes, b.minutes_per_name) == (stated, per_name)
    assert b.title == line[6:] if per_name else "(" not in b.title  # a per-name time stays whole in the title


def test_the_word_teams_is_not_a_platform():
    assert agenda("Date: 9 September 2025 (CEST)\n14:00 Role of UN Country Teams\n").location is None
    assert agenda("Date: 9 September 2025 (CEST)\n14:00 Webinar via Teams\n").location == "Microsoft Teams"


def test_gaps_are_one_line_a_day():
    a = agenda("Date: 9 September 2025 (CEST)\n09:00 - 10:00 A\n10:15 - 12:30 B\n14:00 - 15:00 C\n")
    gaps = [w.message for w in a.warnings if w.code == "gap"]
    assert gaps == [
        "nothing is scheduled on 2025-09-09 at 10:00–10:15, 12:30–14:00; add the breaks if they are missing"
    ]


def test_second_zone_time_is_not_in_the_title():
    a = agenda("Date: 9 September 2025\n15:00 CET / 9:00 EST  Welcome remarks\n")
    assert a.blocks[0].title == "Welcome remarks" and a.timezone.zone == "Europe/Brussels"


def test_numbered_days_after_a_date_range():
    a = agenda(
        "Kampala · 8–10 September 2025\n## Day 1 (Monday)\n09:00 - 10:30 Opening\n"
        "## Day 2 (Tuesday)\n09:00 - 12:30 Field visit\n## Day 3\n09:00 - 11:00 Action plans\n",
        meeting_tz="Africa/Kampala",
    )
    assert [b.start.date().isoformat() for b in a.blocks] == ["2025-09-08", "2025-09-09", "2025-09-10"]


def test_day_month_headings_after_a_range():
    a = agenda(
        "Leipzig, 4.–6. März 2026\n## Mittwoch, 4.3.\n14:00 - 14:30 Begrüßung\n## Donnerstag, 5.3.\n"
        "09:00 - 10:30 Panel III\n",
        meeting_tz="Europe/Berlin",
    )
    assert [b.start.date().isoformat() for b in a.blocks] == ["2026-03-04", "2026-03-05"]


@pytest.mark.parametrize(
    "line, zone",
    [
        ("**Time zone:** Geneva time (CEST)", "Europe/Zurich"),
        ("**Time zone:** Narnia time (CEST)", "Europe/Brussels"),
        ("Monday, 2 March 2026 (Europe/Berlin)", "Europe/Berlin"),
        ("Donnerstag, 22. Januar 2026 | Webex | Zeitzone: Europe/Berlin", "Europe/Berlin"),
        ("(all times EAT)", "Africa/Nairobi"),
    ],
)
def test_zone_written_beside_other_things(line, zone):
    assert agenda(f"Date: 2 March 2026\n{line}\n10:00 Opening\n10:30 Close\n").timezone.zone == zone


def test_hours_starting_at_2400_are_ignored_not_a_crash():
    a = agenda("Date: 3 March 2021 (CET)\nTime: 24:00 - 23:59\n09:00 - 10:00 Opening\n")
    assert a.hours is None and a.blocks[0].title == "Opening"


def test_unknown_zone_beside_the_time_is_named():
    with pytest.raises(ZoneError, match="unknown time zone 'Europe/Atlantis'"):
        agenda("Date: 3 March 2021\nTime: 10:00 – 11:00 (Europe/Atlantis)\n10:00 - 11:00 Opening\n")


@pytest.mark.parametrize(
    "line, title, names",
    [
        ("14:00 Welcome – Dr. Ray Ortiz", "Welcome", ("Dr. Ray Ortiz",)),
        (
            "14:00 Session II: Lessons learned from the corona crisis – Cooperation in the EU",
            "Lessons learned from the corona crisis – Cooperation in the EU",
            (),
        ),
    ],
)
def test_a_dash_separates_a_speaker_not_a_subtitle(line, title, names):
    b = agenda(f"Date: 9 September 2025 (CEST)\n{line}\n").blocks[0]
    assert (b.title, b.names) == (title, names)


@pytest.mark.parametrize(
    "label, literal, match", [("UTC-13", False, "not a UTC offset"), ("ACST", True, "only whole hours")]
)
def test_offsets_without_an_etc_zone_are_errors(label, literal, match):
    with pytest.raises(ZoneError, match=match):
        resolve_label(label, date(2020, 1, 5), literal=literal)


def test_prose_range_shares_its_meridiem_only_when_that_keeps_the_order():
    from calsync.reading.clock import embedded_range

    span = embedded_range("Workshop on Thursday 21 May 2026 11:30 - 1:00 p.m.", 1)
    assert (span.start, span.end) == ((11, 30), (13, 0))


def test_extra_table_cells_beyond_the_header_are_kept():
    a = agenda(
        "Date: 9 September 2025 (CEST)\n| Time | Talk | Speaker |\n|---|---|---|\n"
        "| 10:00 - 11:00 | Talk | Jane Roe | Room 5 |\n"
    )
    assert a.blocks[0].names == ("Jane Roe",) and "Room 5" in a.blocks[0].description


@pytest.mark.parametrize(
    "block, error",
    [
        ({"title": "x", "start": "2026-03-29T01:00", "end": "2026-03-29T02:30"}, "does not exist in Europe/Berlin"),
        (
            {"title": "x", "start": "2026-03-29T10:00", "end": "2026-03-29T11:00", "duration_minutes": "ten"},
            r"blocks\[0\]\.duration_minutes: expected a whole number, got text",
        ),
    ],
)
def test_reviewed_json_is_checked_like_text(block, error):
    with pytest.raises(AgendaError, match=error):
        agenda_from_data({"title": "t", "timezone": "Europe/Berlin", "blocks": [block]})


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("02-virtual-cosac-2020", "en"),
        ("11-iesf-convention-connaissances-2025", "fr"),
        ("15-bibliored-cultura-de-paz", "es"),
        ("18-gebf-2015-tagungsprogramm", "de"),
    ],
)
def test_agenda_language_is_read(name: str, language: str) -> None:
    from pathlib import Path

    from calsync.reading.language import guess_language

    assert guess_language((Path(__file__).parent / "data" / f"{name}.md").read_text(encoding="utf-8")) == language


def test_seed_language_round_trips_through_structured_form() -> None:
    from calsync.reading import read_agenda

    agenda = read_agenda(None)
    assert agenda.language == "fr"
    assert agenda_from_data(agenda.to_data()).language == "fr"
