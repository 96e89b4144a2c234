"""Date ranges, day.month without a year, "Day N" headings, and the wider family of zone abbreviations."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from calsync.errors import ZoneError
from calsync.reading.dates import DateEnd, find_dates, find_day_number
from calsync.reading.zonelabels import ABBREVIATIONS, REGIONS, find_label, names_other_season, resolve_label

# --- date ranges -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("8–10 September 2025", (8, 9, 2025), (10, 9, 2025)),
        ("du 8 au 10 septembre 2025", (8, 9, 2025), (10, 9, 2025)),
        ("del 8 al 10 de septiembre de 2025", (8, 9, 2025), (10, 9, 2025)),
        ("4.–6. März 2026", (4, 3, 2026), (6, 3, 2026)),
        ("8-10 Sept. 2025", (8, 9, 2025), (10, 9, 2025)),
        ("27 March-7 April 2017", (27, 3, 2017), (7, 4, 2017)),
        ("Dates: 8 - 10 September 2025", (8, 9, 2025), (10, 9, 2025)),
        ("vom 4. bis 6. März 2026", (4, 3, 2026), (6, 3, 2026)),
        ("8 and 9 May 2024", (8, 5, 2024), (9, 5, 2024)),
        ("September 8–10, 2025", (8, 9, 2025), (10, 9, 2025)),
        ("March 27 – April 7, 2017", (27, 3, 2017), (7, 4, 2017)),
        ("28 December – 2 January 2026", (28, 12, 2025), (2, 1, 2026)),
        ("28 December 2025 – 2 January 2026", (28, 12, 2025), (2, 1, 2026)),
        ("4.-6.3.2026", (4, 3, 2026), (6, 3, 2026)),
        ("04.03.–06.03.2026", (4, 3, 2026), (6, 3, 2026)),
        ("8–10 septembre", (8, 9, None), (10, 9, None)),
    ],
)
def test_ranges_give_the_first_day_and_the_last(text, first, last):
    mentions = find_dates(text)
    assert len(mentions) == 1
    d = mentions[0]
    assert (d.day, d.month, d.year) == first
    assert d.last == DateEnd(*last)


def test_range_weekday_is_the_first_days():
    d = find_dates("Monday 8 – Wednesday 10 September 2025")[0]
    assert (d.day, d.weekday, d.last) == (8, 0, DateEnd(10, 9, 2025))
    assert d.text == "Monday 8 – Wednesday 10 September 2025"


@pytest.mark.parametrize(
    "text, first, expected",
    [
        ("8–10 September 2025", date(2025, 9, 8), date(2025, 9, 10)),
        ("8–10 septembre", date(2026, 9, 8), date(2026, 9, 10)),  # the year the reader settled on
        ("28 December – 2 January", date(2025, 12, 28), date(2026, 1, 2)),
        ("10 September 2025", date(2025, 9, 10), None),  # a single date has no last day
    ],
)
def test_last_date(text, first, expected):
    assert find_dates(text)[0].last_date(first) == expected


@pytest.mark.parametrize(
    "text, day, month, year",
    [
        ("Session 3 - 10 March 2021", 10, 3, 2021),  # the session's number, not a range
        ("Item 6 – 10 March", 10, 3, None),
        ("09:05 - 12 March", 12, 3, None),  # a time before the date
        ("30 – 2 October", 2, 10, None),  # not a range this reader can place
        ("Sept 8 - 10:00 Opening", 8, 9, None),  # "10:00" is a time
    ],
)
def test_not_ranges(text, day, month, year):
    d = find_dates(text)[0]
    assert (d.day, d.month, d.year, d.last) == (day, month, year, None)


# --- day.month without a year, ordinal signs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, day, month, weekday",
    [
        ("Mittwoch, 4.3.", 4, 3, 2),
        ("Mo., 02.03.", 2, 3, 0),
        ("Lundi 6/10", 6, 10, 0),
        ("4.3.", 4, 3, None),
        ("4.3. 10:00 Anreise", 4, 3, None),
        ("am 4.3. findet die Sitzung statt", 4, 3, None),
        ("Sa. 14. März", 14, 3, 5),
        ("miércoles 1º de abril", 1, 4, 2),
        ("1° de abril", 1, 4, None),
        ("Mittwoch, 11.03.2015", 11, 3, 2),  # still the dated form, with its year
    ],
)
def test_day_month(text, day, month, weekday):
    d = find_dates(text)[0]
    assert (d.day, d.month, d.weekday) == (day, month, weekday)
    if text != "Mittwoch, 11.03.2015":
        assert d.year is None


@pytest.mark.parametrize(
    "text",
    [
        "12.30",
        "9.15 – 9.30",
        "Room 2.30",
        "Lunch until 12.10.",
        "1.2. Introduction",
        "1.2.3. Scope",
        "1/2 day",
        "Page 2/3",
        "2/3",
        "9.15 – 9.30 Coffee",
    ],
)
def test_not_day_month(text):
    assert find_dates(text) == []


# --- "Day N" headings ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, n",
    [
        ("Day 1", 1),
        ("Day 2 (Tuesday)", 2),
        ("Jour 2", 2),
        ("Tag 3", 3),
        ("Día 1", 1),
        ("Journée 2", 2),
        ("DAY 3: Field trip", 3),
        ("Day One", 1),
        ("2. Tag", 2),
        ("1er jour", 1),
        ("2nd Day", 2),
        ("Jornada 2", 2),
        ("Day 1 – Opening", 1),
        ("Today 1", None),
        ("Dayton 3", None),
        ("Day 12:00", None),
        ("1 day training", None),
        ("Tagesordnung 2", None),
        ("End of day 1", None),
        ("Day", None),
        ("Day 0", None),
    ],
)
def test_find_day_number(text, n):
    assert find_day_number(text) == n


# --- zone abbreviation families ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, on, warns",
    [
        ("AEST", date(2025, 1, 15), True),  # Sydney is on summer time in January, like CET in July
        ("AEDT", date(2025, 7, 15), True),
        ("AEST", date(2025, 7, 15), False),
        ("NZST", date(2025, 1, 15), True),
        ("CET", date(2025, 7, 15), True),
        ("Eastern Standard Time", date(2025, 7, 15), True),
        ("EAT", date(2025, 1, 15), False),  # no summer time: never a mismatch
        ("EAT", date(2025, 7, 15), False),
        ("JST", date(2025, 7, 15), False),
        ("HST", date(2025, 7, 15), False),
    ],
)
def test_summer_standard_mismatch(label, on, warns):
    nine = datetime.combine(on, datetime.min.time()).replace(hour=9)
    reading = resolve_label(label, on, at=nine)
    assert reading.disagrees is warns
    assert names_other_season(label, reading.zone, nine) is warns  # the same rule, on a reviewed file's label and zone
    assert ("use --literal-offsets" in (reading.note or "")) is warns


def test_families_without_summer_time_have_no_summer_label():
    for key in (
        "east-africa",
        "west-africa",
        "central-africa",
        "south-africa",
        "moscow",
        "gulf",
        "pakistan",
        "india",
        "western-indonesia",
        "singapore",
        "hong-kong",
        "philippines",
        "japan",
        "korea",
        "australia-western",
        "argentina",
        "hawaii",
    ):
        region = REGIONS[key]
        assert region.summer is None
        assert not any(r == key and summer for r, summer in ABBREVIATIONS.values())


def test_literal_reading_of_a_summer_label():
    reading = resolve_label("AEDT", date(2025, 7, 15), literal=True)
    assert reading.zone == "Etc/GMT-11" and "--literal-offsets" in (reading.note or "")
    assert not reading.disagrees and not names_other_season("AEDT", reading.zone, datetime(2025, 7, 15, 9))


@pytest.mark.parametrize(
    "label, match",
    [
        ("IST", "ambiguous"),
        ("ist", "ambiguous"),
        ("XYZ", "unknown time zone abbreviation 'XYZ'"),
        ("QQ", "unknown time zone abbreviation"),
        ("Narnia time", "unknown time zone"),
        ("heure de Narnia", "unknown time zone"),
        ("Narnia", "unknown time zone"),
        ("Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
    ],
)
def test_label_errors(label, match):
    with pytest.raises(ZoneError, match=match) as info:
        resolve_label(label, date(2025, 7, 1))
    if "ambiguous" in match:
        assert "city" in (info.value.hint or "")
    if "abbreviation" in match:
        assert "city" in (info.value.hint or "") and "IANA" in (info.value.hint or "")


@pytest.mark.parametrize(
    "line, label",
    [
        ("10:00 – 12:00 EAT", "EAT"),
        ("Workshop (CAT)", "CAT"),
        ("3-6 p.m. CAT", "CAT"),
        ("16 h WAT", "WAT"),
        ("Time zone: WAT", "WAT"),
        ("All times in ART", "ART"),
        ("9:00 JST / 8:00 SGT", "JST"),
        ("10:00 IST (India)", "IST (India)"),
        ("10:00 IST", "IST"),  # found, and resolve_label then says it is ambiguous
        ("Times are in Eastern Standard Time", "Eastern Standard Time"),
        ("14:00 AEDT", "AEDT"),
        ("Narnia time (CEST)", "CEST"),  # the place does not resolve: the other label on the line
        ("heure de Narnia (CEST)", "CEST"),
        ("Genf Zeit 10:00 MEZ", "MEZ"),
        ("Narnia time", None),
        ("Geneva time (CEST)", "Geneva time"),  # a GeoNames town: the place, first on the line
        ("heure de Genève (CEST)", "heure de Genève"),
        ("ALL TIMES CET", "CET"),
        # words, not labels
        ("STATE OF THE ART", None),
        ("FINE ART 10:00", None),
        ("Fee 100 + GST", None),
        ("Fee: 100 GST", None),
        ("WAS IST NEU", None),
        ("CE QUI EST IMPORTANT", None),
        ("WEST AFRICA MEETING 10:00", None),
        ("EAT WELL", None),
        ("Hot CAT food", None),
    ],
)
def test_find_label_more(line, label):
    assert find_label(line) == label
