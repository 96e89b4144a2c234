"""The texts of one event: title, description and location, shared by the .ics writer and the Google sync."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from calsync.details import (
    event_description,
    event_descriptions,
    event_location,
    event_summary,
    join_text,
    meeting_description,
    platform,
)
from calsync.model import Agenda, MeetingZone
from calsync.schema import agenda_from_data
from calsync.zones import participant_zones, resolve_zone

ZOOM = "https://zoom.us/j/123"


def block(agenda: Agenda, number: str, title_start: str = ""):
    return next(b for b in agenda.blocks if b.number == number and b.title.startswith(title_start))


def test_summary_is_label_then_shortened_meeting_title(seed_agenda: Agenda) -> None:
    last = block(seed_agenda, "VI", "Remarques")
    assert event_summary(seed_agenda, last) == (
        "VI. Remarques finales et prochaines étapes (Présidence) — 8e réunion du groupe … de l'Alliance 8.7"
    )
    first = block(seed_agenda, "I")
    assert event_summary(seed_agenda, first).startswith("I. Accueil par la présidence — 8e réunion")


def test_summary_keeps_short_meeting_title_whole_and_is_one_line(seed_agenda: Agenda) -> None:
    agenda = replace(seed_agenda, title="GCM 8")
    b = replace(seed_agenda.blocks[0], title="Accueil\npar la  présidence")
    assert event_summary(agenda, b) == "I. Accueil par la présidence — GCM 8"


def test_summary_without_number(seed_agenda: Agenda) -> None:
    b = replace(seed_agenda.blocks[0], number=None, title="Pause")
    assert event_summary(replace(seed_agenda, title="GCM"), b) == "Pause — GCM"


def test_description_has_objective_names_with_slots_link_placeholder_local_times_and_note(seed_agenda: Agenda) -> None:
    zones = participant_zones(seed_agenda)
    iii = block(seed_agenda, "III")
    text = event_description(seed_agenda, iii, zones)
    assert text.startswith("Objectif: Que représente l'engagement des pays pionniers")
    slots = [
        "Guatemala 16:15–16:20",
        "Honduras 16:20–16:25",
        "Côte d'Ivoire 16:25–16:30",
        "Ghana 16:30–16:35",
        "Costa Rica 16:35–16:40",
        "Cameroun 16:40–16:45",
    ]
    positions = [text.index(s) for s in slots]
    assert positions == sorted(positions)  # in agenda order
    assert "Zoom link to be confirmed" in text
    assert "https://" not in text
    # The block's local start–end in every participant zone: the meeting zone first, then the countries named.
    local = text[text.index("Local times:") :].split("\n\n")[0]
    assert local.splitlines()[1].endswith("16:15–16:50 (UTC+02:00)")
    assert "Guatemala: 08:15–08:50 (UTC−06:00)" in local
    assert "Ghana: 14:15–14:50 (UTC)" in local
    assert "Madagascar: 17:15–17:50 (UTC+03:00)" in local
    assert len(local.splitlines()) == 1 + len(zones)
    # slots are labelled with the meeting's clock, and given on each country's own clock too
    assert "Estimated slots (Paris time):\nGuatemala 16:15–16:20 (08:15–08:20 in Guatemala)" in text
    assert "Cameroun 16:40–16:45 (15:40–15:45 in Cameroun)" in text


def test_ambiguous_zone_label_gets_a_plain_sentence_for_participants() -> None:
    from calsync.reading import read_agenda

    seed = replace(read_agenda(None), language="en")  # as read: "CET" in July, with the organiser's warning
    text = event_description(seed, seed.blocks[0], ())
    assert text.endswith('The agenda writes "CET"; the times are the local time in Brussels (UTC+2, summer time).')
    assert "--literal-offsets" not in text  # the organiser's option stays in the warnings


def test_description_names_without_per_name_time_are_listed_without_slots(seed_agenda: Agenda) -> None:
    b = replace(block(seed_agenda, "III"), minutes_per_name=None)
    text = event_description(seed_agenda, b, ())
    assert "Guatemala\nHonduras\nCôte d'Ivoire" in text
    assert "16:15–16:20" not in text


def test_description_with_link_and_without_zones_or_note(seed_agenda: Agenda) -> None:
    agenda = replace(seed_agenda.with_conference_url(ZOOM), timezone=MeetingZone("Europe/Paris"))
    text = event_description(agenda, block(agenda, "VI", "Remarques"), ())
    assert text == f"Join (Zoom): {ZOOM}"


def test_description_block_without_objective_starts_with_link(seed_agenda: Agenda) -> None:
    text = event_description(seed_agenda, block(seed_agenda, "VI", "Remarques"), participant_zones(seed_agenda))
    assert text.startswith("Zoom link to be confirmed\n\nLocal times:\n")


def test_descriptions_in_bulk_equal_one_by_one(seed_agenda: Agenda) -> None:
    zones = participant_zones(seed_agenda, tz=("Asia/Kathmandu", "Ghana"))
    bulk = event_descriptions(seed_agenda, zones)
    assert list(bulk) == [b.key for b in seed_agenda.blocks]
    for b in seed_agenda.blocks:
        assert bulk[b.key] == event_description(seed_agenda, b, zones)
    assert "Asia/Kathmandu: 19:45–19:53 (UTC+05:45)" in bulk["i"]


def test_description_marks_a_different_local_day(seed_agenda: Agenda) -> None:
    text = event_description(seed_agenda, seed_agenda.blocks[0], [resolve_zone("Pacific/Kiritimati")])
    assert "Pacific/Kiritimati: 04:00–04:08 Thu, Jul 23 (UTC+14:00)" in text  # the date there, not "+1 day"


def test_meeting_description_lists_blocks_and_whole_span(seed_agenda: Agenda) -> None:
    text = meeting_description(seed_agenda, participant_zones(seed_agenda, tz=("Ghana",)))
    assert text.startswith("Programme (Paris time):\n16:00–16:08 I. Accueil par la présidence\n16:08–16:15 II.")
    assert "17:55–18:00 VI. Remarques finales" in text
    assert "Ghana: 14:00–16:00 (UTC)" in text
    assert "Zoom link to be confirmed" in text


@pytest.mark.parametrize(
    ("location", "url", "expected"),
    [
        ("Zoom", None, "Zoom"),
        ("Zoom, lien pour participer à confirmer.", None, "Zoom, lien pour participer à confirmer."),
        (None, None, None),
        ("Zoom", ZOOM, f"Zoom: {ZOOM}"),
        ("Zoom, lien pour participer à confirmer.", ZOOM, f"Zoom: {ZOOM}"),
        (
            None,
            "https://teams.microsoft.com/l/meetup-join/abc",
            "Microsoft Teams: https://teams.microsoft.com/l/meetup-join/abc",
        ),
        (None, "https://meet.google.com/abc-defg-hij", "Google Meet: https://meet.google.com/abc-defg-hij"),
        (None, "https://example.org/room", "https://example.org/room"),
        ("Palais des Nations, Genève", ZOOM, f"Palais des Nations, Genève · Zoom: {ZOOM}"),
    ],
)
def test_location(seed_agenda: Agenda, location: str | None, url: str | None, expected: str | None) -> None:
    agenda = replace(seed_agenda, location=location, conference_url=url)
    assert event_location(agenda) == expected


@pytest.mark.parametrize(
    ("location", "url", "expected_platform", "expected_join"),
    [
        ("Zoom", None, "Zoom", "Zoom link to be confirmed"),
        ("Microsoft Teams", None, "Microsoft Teams", "Microsoft Teams link to be confirmed"),
        ("Salle 3", None, None, "Join link to be confirmed"),
        (None, "https://us02web.zoom.us/j/85?pwd=x", "Zoom", "Join (Zoom): https://us02web.zoom.us/j/85?pwd=x"),
        ("Webex", "https://example.webex.com/meet/x", "Webex", "Join (Webex): https://example.webex.com/meet/x"),
        (None, "https://example.org/room", None, "Join: https://example.org/room"),
    ],
)
def test_platform_and_join_text(
    seed_agenda: Agenda, location: str | None, url: str | None, expected_platform: str | None, expected_join: str
) -> None:
    agenda = replace(seed_agenda, location=location, conference_url=url)
    assert platform(agenda) == expected_platform
    assert join_text(agenda) == expected_join


def test_meeting_description_of_a_multi_day_meeting_names_the_days(seed_agenda: Agenda) -> None:
    second = replace(
        seed_agenda.blocks[1],
        start=seed_agenda.blocks[1].start + timedelta(days=1),
        end=seed_agenda.blocks[1].end + timedelta(days=1),
    )
    agenda = replace(seed_agenda, blocks=(seed_agenda.blocks[0], second))
    text = meeting_description(agenda, ())
    assert text.startswith(
        "Programme (Paris time):\nWednesday, July 22, 2020\n16:00–16:08 I. Accueil par la présidence\n\n"
        "Thursday, July 23, 2020\n16:08–16:15 II."
    )


@pytest.mark.parametrize(
    "title, short",
    [
        ("8e réunion du groupe de coordination mondiale de l'Alliance 8.7", "8e réunion du groupe … de l'Alliance 8.7"),
        ("GCM 8", "GCM 8"),
        ("A" * 60, "A" * 39 + "…"),
    ],
)
def test_long_meeting_titles_keep_both_ends(title: str, short: str) -> None:
    from calsync.details import MEETING_TITLE_CHARS, _shorten

    assert _shorten(title, MEETING_TITLE_CHARS) == short and len(short) <= MEETING_TITLE_CHARS


def test_blocks_in_the_repeated_hour_get_their_own_local_times() -> None:
    from calsync.details import group_local_times

    night = agenda_from_data(
        {
            "title": "t",
            "timezone": "Europe/Paris",
            "blocks": [
                {"key": "a", "title": "a", "start": "2020-10-25T02:10:00+02:00", "end": "2020-10-25T02:20:00+02:00"},
                {"key": "b", "title": "b", "start": "2020-10-25T02:10:00+01:00", "end": "2020-10-25T02:20:00+01:00"},
            ],
        }
    )
    times = group_local_times(night, participant_zones(night, tz=("UTC",)))
    assert times["a"][1].start.hour == 0 and times["b"][1].start.hour == 1  # 00:10Z and 01:10Z


def test_a_room_whose_name_contains_teams_is_not_microsoft_teams() -> None:
    """One platform detector for reading and event text: "Steamteams" is a room, "UN Country Teams" a phrase."""
    from dataclasses import replace

    from calsync.details import platform, venue
    from calsync.reading import read_agenda

    seed = read_agenda(None)
    room = replace(seed, location="Salle des Steamteams, Palais des Nations", conference_url=None)
    assert platform(room) is None and venue(room) == "Salle des Steamteams, Palais des Nations"
    assert platform(replace(seed, location="Microsoft Teams", conference_url=None)) == "Microsoft Teams"
    assert platform(replace(seed, conference_url="https://teams.microsoft.com/l/meetup-join/1")) == "Microsoft Teams"
