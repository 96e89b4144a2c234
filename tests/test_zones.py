"""Participants' zones (countries, cities, IANA names, CSV files) and blocks' local times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calsync.errors import InputFileError, UsageError, ZoneError
from calsync.model import Agenda, same_instant
from calsync.schema import agenda_from_data
from calsync.zones import (
    LocalTime,
    ParticipantZone,
    agenda_countries,
    country_zones,
    format_local_span,
    format_offset,
    local_times,
    parse_work_hours,
    participant_zones,
    read_participants,
    resolve_zone,
)

SEED_COUNTRIES = [
    ("Guatemala", "America/Guatemala"),
    ("Honduras", "America/Tegucigalpa"),
    ("Côte d'Ivoire", "Africa/Abidjan"),
    ("Ghana", "Africa/Accra"),
    ("Costa Rica", "America/Costa_Rica"),
    ("Cameroun", "Africa/Douala"),
    ("Chili", "America/Santiago"),
    ("Madagascar", "Indian/Antananarivo"),
]

# Named zones chosen for their edge cases: no DST, southern-hemisphere DST, +5:45, +14 (the date line), -10.
BOGOTA, SANTIAGO, KATHMANDU, KIRITIMATI, HONOLULU, TOKYO = (
    "America/Bogota",
    "America/Santiago",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
    "Pacific/Honolulu",
    "Asia/Tokyo",
)


def agenda_at(*spans: tuple[str, str], zone: str = "Europe/Paris") -> Agenda:
    """A small agenda whose blocks run over the given local (meeting-zone) ISO spans."""
    return agenda_from_data(
        {
            "title": "Test meeting",
            "timezone": {"zone": zone},
            "blocks": [
                {"title": f"Block {i}", "number": str(i), "start": s, "end": e} for i, (s, e) in enumerate(spans, 1)
            ],
        }
    )


def first_block(times: list[LocalTime], zone_label: str) -> LocalTime:
    """The first block's local time in the zone labelled ``zone_label`` (a country's other clocks may follow it)."""
    block = times[0].block
    return next(lt for lt in times if lt.block == block and lt.zone.label.split(" (")[0] == zone_label)


def plain(label: str) -> str:
    """A row's label without a country's other clocks: "Chili (Chile Standard Time; …)" → "Chili"."""
    return label.split(" (")[0]


# --- resolving names --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, zone",
    [
        ("Côte d'Ivoire", "Africa/Abidjan"),
        ("Côte d’Ivoire", "Africa/Abidjan"),  # CLDR's typographic apostrophe
        ("cote d'ivoire", "Africa/Abidjan"),
        ("Elfenbeinküste", "Africa/Abidjan"),
        ("Ivory Coast", "Africa/Abidjan"),
        ("Cameroun", "Africa/Douala"),
        ("Kamerun", "Africa/Douala"),
        ("Cameroon", "Africa/Douala"),
        ("Chili", "America/Santiago"),
        ("Chile", "America/Santiago"),
        ("GH", "Africa/Accra"),
        ("gh", "Africa/Accra"),
        ("America/Guatemala", "America/Guatemala"),
        ("america/guatemala", "America/Guatemala"),
        ("Bogotá", BOGOTA),
        ("bogota", BOGOTA),
        ("Wien", "Europe/Vienna"),  # CLDR's German exemplar city
        ("Vienne", "Europe/Vienna"),
        ("New York", "America/New_York"),
        ("Calcutta", "Asia/Kolkata"),  # an old IANA name becomes the current one
        ("Deutschland", "Europe/Berlin"),  # main zone, not Büsingen (a row shared with Switzerland)
        ("Estados Unidos", "America/New_York"),
        ("UTC", "Etc/UTC"),
        ("EST", "America/New_York"),  # a label, read as civil time like the meeting's labels
        ("US/Eastern", "America/New_York"),  # an old alias, written under its current name
        ("Japan", "Asia/Tokyo"),  # a country, not the legacy zone "Japan"
        ("UTC+3", "Etc/GMT-3"),
        ("Guatemala City", "America/Guatemala"),  # the word "city" around a name CLDR/tzdata know
        ("Ciudad de Guatemala", "America/Guatemala"),
        ("Mexico City", "America/Mexico_City"),
        ("Stadt Wien", "Europe/Vienna"),
        ("Ville de Paris", "Europe/Paris"),
    ],
)
def test_resolve_zone_accepts_countries_cities_codes_and_iana_names(name: str, zone: str) -> None:
    assert resolve_zone(name).zone == zone


def test_country_with_one_zone_has_no_note_and_keeps_the_written_label() -> None:
    pz = resolve_zone("Cameroun")
    assert pz == ParticipantZone(label="Cameroun", zone="Africa/Douala", note=None, source="tz", country="CM")


def test_iso_code_is_labelled_with_the_country_name() -> None:
    assert resolve_zone("gh").label == "Ghana"


def test_country_with_several_zones_uses_the_main_one_and_says_so_in_its_row(seed_agenda: Agenda) -> None:
    pz = resolve_zone("Chili")
    assert (pz.zone, pz.country, pz.note) == ("America/Santiago", "CL", None)
    # What the organiser can do about it is a hint for the command line, never text for participants.
    assert pz.hint is not None and "use --tz ZONE" in pz.hint and "America/Punta_Arenas" in pz.hint
    # The row itself says which clocks differ on the meeting's date (22 July 2020: winter in Chile).
    [_, chile] = participant_zones(seed_agenda, tz=["Chili"])
    assert chile.label == "Chili (Chile Standard Time; Easter Island −2\u00a0h, Punta Arenas +1\u00a0h)"
    french = participant_zones(replace(seed_agenda, language="fr"), tz=["Chili"])[1]
    assert french.label == "Chili (heure normale du Chili ; Île de Pâques −2\u00a0h, Punta Arenas +1\u00a0h)"


def test_country_zones_come_from_cldr_in_zone1970_order() -> None:
    zones = [z for z, _ in country_zones("CL")]
    # babel lists Coyhaique first; zone1970.tab's order puts the most populous zone first.
    assert zones[0] == "America/Santiago"
    assert set(zones) == {"America/Santiago", "America/Coyhaique", "America/Punta_Arenas", "Pacific/Easter"}
    assert [z for z, _ in country_zones("GH")] == ["Africa/Accra"]


@pytest.mark.parametrize(
    "name, suggestion", [("Guatamala", "Guatemala"), ("Pariss", "Paris"), ("Hondoras", "Honduras")]
)
def test_unknown_name_suggests_close_matches(name: str, suggestion: str) -> None:
    with pytest.raises(ZoneError) as info:
        resolve_zone(name)
    assert f"did you mean {suggestion}" in str(info.value)
    assert "IANA" in str(info.value)
    assert info.value.exit_code == 65


def test_empty_name_is_an_error() -> None:
    with pytest.raises(ZoneError):
        resolve_zone("  ")


# --- whose zones ------------------------------------------------------------------------------------------------------


def test_agenda_countries_are_the_seed_names_in_order(seed_agenda: Agenda) -> None:
    countries = agenda_countries(seed_agenda)
    assert [(c.label, c.zone) for c in countries] == SEED_COUNTRIES
    assert {c.source for c in countries} == {"agenda"}


def test_agenda_countries_ignore_names_that_are_not_countries() -> None:
    agenda = agenda_from_data(
        {
            "title": "x",
            "timezone": "Europe/Paris",
            "blocks": [
                {
                    "title": "Panel",
                    "start": "2020-07-22T10:00",
                    "end": "2020-07-22T11:00",
                    "names": ["Dr. Ana Pérez", "Ghana", "OIT / ILO", "Ghana", "Alliance 8.7"],
                }
            ],
        }
    )
    assert [c.label for c in agenda_countries(agenda)] == ["Ghana"]


def test_participant_zones_start_with_the_meeting_zone(seed_agenda: Agenda) -> None:
    zones = participant_zones(seed_agenda)
    assert zones[0].source == "meeting" and zones[0].zone == "Europe/Paris"
    assert zones[0].label == "Central European Summer Time (Europe/Paris)"
    assert [(plain(z.label), z.zone) for z in zones[1:]] == SEED_COUNTRIES


def test_tz_replaces_the_agenda_countries_and_repeats_are_dropped(seed_agenda: Agenda) -> None:
    zones = participant_zones(seed_agenda, tz=["Tokyo", "GH", "Tokyo"])
    assert [(z.label, z.zone, z.source) for z in zones[1:]] == [("Tokyo", TOKYO, "tz"), ("Ghana", "Africa/Accra", "tz")]


def test_participants_file_groups_people_by_place(seed_agenda: Agenda, data_dir: Path) -> None:
    zones = participant_zones(seed_agenda, participants=data_dir / "participants.csv")
    by_label = {z.label: z for z in zones[1:]}
    assert by_label["Ghana"].people == ("Kwame Mensah", "Ama Owusu")  # "Ghana" and "GH" are one place
    assert by_label["Bogotá"].zone == BOGOTA and by_label["Bogotá"].people == ("Ana Pérez",)
    assert by_label["Côte d'Ivoire"].people == ("Aminata Koné",)
    assert {z.source for z in zones[1:]} == {"participants"}


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffName;E-mail;Time zone\nAna;ana@example.org;America/Bogota\n",  # Excel: BOM and semicolons
        "participant,tz\nAna,Bogotá\n",
        "nom,courriel,pays\nAna,a@example.org,Colombie\n",
        "participante,correo,país\nAna,a@example.org,Colombia\n",  # each language's words (vocabulary)
        "Teilnehmerin;E-Mail;Stadt\nAna;a@example.org;Bogotá\n",
        "Full name\tZeitzone\nAna\tAmerica/Bogota\n",
    ],
)
def test_participants_headers_are_flexible(tmp_path: Path, text: str) -> None:
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    [pz] = read_participants(path)
    assert pz.zone == BOGOTA and pz.people == ("Ana",)


def test_participants_unknown_place_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name,country\nAna,Colombia\n\nLuis,Narnia\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:  # one error class (and exit code) for whatever is wrong in the file
        read_participants(path)
    assert str(info.value).startswith(f"{path}:4: unknown time zone, country or city 'Narnia'")


def test_participants_missing_place_and_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name,country\nAna,\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"p\.csv:2: no zone or country for Ana"):
        read_participants(path)
    path.write_text("name,email\nAna,a@example.org\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"p\.csv:1: no zone or country column"):
        read_participants(path)
    with pytest.raises(InputFileError, match="cannot read participants file"):
        read_participants(tmp_path / "missing.csv")


# --- local times ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, start",
    [
        ("Guatemala", "08:00"),
        ("Honduras", "08:00"),
        ("Costa Rica", "08:00"),
        ("Chili", "10:00"),
        ("Côte d'Ivoire", "14:00"),
        ("Ghana", "14:00"),
        ("Cameroun", "15:00"),
        ("Madagascar", "17:00"),
    ],
)
def test_seed_first_block_local_starts(seed_agenda: Agenda, label: str, start: str) -> None:
    times = local_times(seed_agenda, participant_zones(seed_agenda))
    lt = first_block(times, label)
    assert f"{lt.start:%H:%M}" == start
    assert lt.start.tzinfo == ZoneInfo(lt.zone.zone)
    assert lt.day_shift == 0 and lt.flags == ()


def test_seed_meeting_zone_is_on_summer_time(seed_agenda: Agenda) -> None:
    times = local_times(seed_agenda, participant_zones(seed_agenda))
    meeting = times[0]
    assert meeting.zone.source == "meeting"
    assert (f"{meeting.start:%H:%M}", meeting.offset, meeting.dst) == ("16:00", "+02:00", True)
    chile = first_block(times, "Chili")
    assert (chile.offset, chile.dst) == ("-04:00", False)  # July is winter in Santiago
    assert len(times) == len(seed_agenda.blocks) * 9


def test_southern_summer_time_in_january() -> None:
    agenda = agenda_at(("2021-01-15T16:00", "2021-01-15T17:00"))
    [_, lt] = local_times(agenda, participant_zones(agenda, tz=[SANTIAGO]))
    assert (lt.offset, lt.dst, f"{lt.start:%H:%M}") == ("-03:00", True, "12:00")


@pytest.mark.parametrize(
    "meeting, zone, shift, span",
    [
        (("2020-07-22T17:00", "2020-07-22T18:00"), TOKYO, 1, "00:00–01:00 Thu, Jul 23 (UTC+09:00)"),
        (("2020-07-22T16:00", "2020-07-22T16:30"), KIRITIMATI, 1, "04:00–04:30 Thu, Jul 23 (UTC+14:00)"),
        (("2020-07-22T01:00", "2020-07-22T02:00"), "America/Guatemala", -1, "17:00–18:00 Tue, Jul 21 (UTC−06:00)"),
        (("2020-07-22T16:00", "2020-07-22T16:08"), KATHMANDU, 0, "19:45–19:53 (UTC+05:45)"),
    ],
)
def test_day_shift_and_format_local_span(meeting: tuple[str, str], zone: str, shift: int, span: str) -> None:
    agenda = agenda_at(meeting)
    [_, lt] = local_times(agenda, participant_zones(agenda, tz=[zone]))
    assert lt.day_shift == shift
    assert format_local_span(lt) == span


@pytest.mark.parametrize(
    "meeting, zone, flags",
    [
        (("2020-07-22T16:00", "2020-07-22T17:00"), HONOLULU, ("outside-work-hours", "night")),  # 04:00
        (("2020-07-22T15:30", "2020-07-22T16:30"), "America/Guatemala", ("outside-work-hours", "early")),  # 07:30
        (
            ("2020-07-22T18:30", "2020-07-22T19:30"),
            "Indian/Antananarivo",
            ("outside-work-hours", "late"),
        ),  # 19:30-20:30
        (("2020-07-22T16:00", "2020-07-22T18:00"), "Indian/Antananarivo", ()),  # 17:00-19:00
        (("2020-07-22T16:00", "2020-07-22T16:30"), TOKYO, ("outside-work-hours", "night")),  # 23:00
        (("2020-07-22T14:30", "2020-07-22T15:30"), TOKYO, ("outside-work-hours", "night")),  # 21:30-22:30 reaches night
    ],
)
def test_flags(meeting: tuple[str, str], zone: str, flags: tuple[str, ...]) -> None:
    agenda = agenda_at(meeting)
    [_, lt] = local_times(agenda, participant_zones(agenda, tz=[zone]))
    assert lt.flags == flags


def test_work_hours_change_the_flags() -> None:
    agenda = agenda_at(("2020-07-22T15:30", "2020-07-22T16:30"))  # 07:30 in Guatemala
    [_, lt] = local_times(agenda, participant_zones(agenda, tz=["Guatemala"]), work_hours=(time(7), time(19)))
    assert lt.flags == ()


@pytest.mark.parametrize(
    "text, hours",
    [("08:00-20:00", (time(8), time(20))), ("7-19", (time(7), time(19))), ("09h30–17h", (time(9, 30), time(17)))],
)
def test_parse_work_hours(text: str, hours: tuple[time, time]) -> None:
    assert parse_work_hours(text) == hours


@pytest.mark.parametrize(
    "text, message",
    [
        ("8 to 20", "is not a span"),
        ("25:00-26:00", "impossible"),
        ("20:00-08:00", "ends before it starts"),
        ("", "is not a span"),
    ],
)
def test_parse_work_hours_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        parse_work_hours(text)
    assert "--work-hours 08:00-20:00" in str(info.value)


def test_format_offset() -> None:
    assert format_offset(timedelta(hours=5, minutes=45)) == "+05:45"
    assert format_offset(timedelta(hours=-9, minutes=-30)) == "-09:30"
    assert format_offset(None) == "+00:00"


@settings(max_examples=40, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)),
    minutes=st.integers(min_value=1, max_value=600),
    zone=st.sampled_from([BOGOTA, SANTIAGO, KATHMANDU, KIRITIMATI, HONOLULU, TOKYO, "Europe/Paris", "Pacific/Apia"]),
)
def test_local_times_keep_the_instant(start: datetime, minutes: int, zone: str) -> None:
    start = start.replace(second=0, microsecond=0)
    end = start + timedelta(minutes=minutes)
    agenda = agenda_at((start.isoformat(), end.isoformat()), zone="Europe/London")
    [meeting, lt] = local_times(agenda, participant_zones(agenda, tz=[zone]))
    assert same_instant(lt.start, start) and same_instant(lt.end, end)  # == is False across zones in a repeated hour
    assert lt.day_shift in (-1, 0, 1)
    assert lt.day_shift == (lt.start.date() - meeting.start.date()).days
    assert ("night" in lt.flags or "early" in lt.flags or "late" in lt.flags) == ("outside-work-hours" in lt.flags)


def test_a_label_zone_explains_its_summer_offset_and_names_fixed_places() -> None:
    pz = resolve_zone("EST")
    assert pz.zone == "America/New_York" and pz.label == "EST"
    assert pz.note == "EST read as Eastern Time (America/New_York), UTC−4 in summer; Jamaica / Panama keep EST all year"
    assert "--tz" not in pz.note  # places on EST all year, from tzdata; advice is the organiser's hint
    assert pz.hint is not None and "--tz" in pz.hint and "Panama" in pz.hint
    assert resolve_zone("Panama").zone == "America/Panama"  # what the hint suggests works
    assert resolve_zone("CEST").note == "CEST read as Central European Time (Europe/Brussels), UTC+1 in winter"
    assert resolve_zone("MEZ", lang="de").note == (
        "MEZ gelesen als Mitteleuropäische Zeit (Europe/Brussels), im Sommer UTC+2; Algier / Tunis bleiben das ganze "
        "Jahr bei CET"
    )


@pytest.mark.parametrize(
    "label, lang, region",
    [
        ("EDT", "en", "Eastern Time"),
        ("CEST", "fr", "heure d’Europe centrale"),
        ("CEST", "es", "hora de Europa central"),
        ("MESZ", "de", "Mitteleuropäische Zeit"),
    ],
)
def test_a_summer_label_names_its_region_for_the_whole_year(label: str, lang: str, region: str) -> None:
    """babel's generic zone name (zone_variant="generic"), never the summer one the label itself names."""
    note = resolve_zone(label, lang=lang).note
    assert note is not None and f" {region} (" in note
    assert not any(summer in note for summer in ("Daylight", "Summer", "été", "verano", "Sommerzeit"))


def test_tz_values_are_split_on_commas(seed_agenda: Agenda) -> None:
    zones = participant_zones(seed_agenda, tz=["Ghana,Chile", " Tokyo , ", ","])
    assert [(plain(z.label), z.zone) for z in zones[1:]] == [
        ("Ghana", "Africa/Accra"),
        ("Chile", "America/Santiago"),
        ("Tokyo", TOKYO),
    ]
    assert [z.label for z in participant_zones(seed_agenda, tz=["Ghana,"])[1:]] == ["Ghana"]
