"""What organisers expect of the Google push (issue 14): reminders, a meeting-wide event, invitations sent once and
never re-sent, guests added by hand kept; through the real client against the fake server."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from fake_google import FakeClock, FakeGoogleCalendar, private_props
from fake_google_fixtures import connect
from test_sync_apply import move_block

from calsync.backends.google import GoogleCalendar
from calsync.errors import CredentialsError
from calsync.model import Agenda
from calsync.sync import EventOptions, event_id, push
from calsync.sync.plan import MEETING_BLOCK_KEY

ZOOM = "https://zoom.us/j/81234567890"
GUESTS = ("kwame@example.org", "ana@example.org")


@pytest.fixture
def backend(fake: FakeGoogleCalendar, clock: FakeClock) -> GoogleCalendar:
    return connect(fake, clock)


def by_block(fake: FakeGoogleCalendar) -> dict[str, dict[str, Any]]:
    return {private_props(e)["calsyncBlock"]: e for e in fake.events()}


# -- reminders -------------------------------------------------------------------------------------------------------


def test_alarm_sets_a_reminder_on_each_block_and_leaving_it_out_gives_the_defaults_back(
    fake: FakeGoogleCalendar, backend: GoogleCalendar, seed_agenda: Agenda
) -> None:
    push(seed_agenda, backend)
    assert all("reminders" not in e for e in fake.events())  # the calendar's defaults, as before
    _, summary = push(seed_agenda, backend, options=EventOptions(alarm_minutes=10))
    assert summary.updated == 7
    assert {str(e["reminders"]) for e in fake.events()} == {
        str({"useDefault": False, "overrides": [{"method": "popup", "minutes": 10}]})
    }
    fake.reset_counters()
    assert push(seed_agenda, backend, options=EventOptions(alarm_minutes=10))[1].unchanged == 7 and fake.writes == 0
    push(seed_agenda, backend, options=EventOptions(alarm_minutes=15))
    assert {e["reminders"]["overrides"][0]["minutes"] for e in fake.events()} == {15}
    _, summary = push(seed_agenda, backend)
    assert summary.updated == 7 and {str(e["reminders"]) for e in fake.events()} == {str({"useDefault": True})}


def test_a_reminder_set_by_hand_is_not_calsyncs_to_take_back(
    fake: FakeGoogleCalendar, backend: GoogleCalendar, seed_agenda: Agenda
) -> None:
    push(seed_agenda, backend)
    victim = event_id(seed_agenda.key, seed_agenda.blocks[0].key)
    own = {"useDefault": False, "overrides": [{"method": "email", "minutes": 60}]}
    fake.edit_by_hand(victim, {"reminders": own})
    push(seed_agenda.with_conference_url(ZOOM), backend)
    assert fake.calendars["primary"].events[victim]["reminders"] == own


def test_meeting_event_spans_the_meeting_and_carries_the_only_reminder(
    fake: FakeGoogleCalendar, backend: GoogleCalendar, seed_agenda: Agenda
) -> None:
    options = EventOptions(meeting_event=True, alarm_minutes=10)
    _, summary = push(seed_agenda, backend, options=options)
    assert summary.created == 8
    events = by_block(fake)
    whole = events.pop(MEETING_BLOCK_KEY)
    assert datetime.fromisoformat(whole["start"]["dateTime"]) == seed_agenda.start
    assert datetime.fromisoformat(whole["end"]["dateTime"]) == seed_agenda.end
    assert whole["reminders"]["overrides"] == [{"method": "popup", "minutes": 10}]
    assert all(e["transparency"] == "transparent" and "reminders" not in e for e in events.values())
    fake.reset_counters()
    assert push(seed_agenda, backend, options=options)[1].unchanged == 8 and fake.writes == 0
    _, summary = push(seed_agenda, backend)  # no meeting event any more: it goes, the blocks are busy again
    assert (summary.deleted, summary.updated) == (1, 7)
    assert all(e["transparency"] == "opaque" for e in fake.events())


# -- invitations -----------------------------------------------------------------------------------------------------


def test_invitations_go_out_once_and_never_again_on_a_no_op_push(
    fake: FakeGoogleCalendar, backend: GoogleCalendar, seed_agenda: Agenda
) -> None:
    options = EventOptions(invitees=GUESTS)
    push(seed_agenda, backend, options=options)
    assert len(fake.notified) == 7 and {guests for _, _, guests in fake.notified} == {GUESTS}
    assert all("sendUpdates=all" in t for t in fake.targets if t.startswith("POST /calendar"))
    fake.reset_counters()
    assert push(seed_agenda, backend, options=options)[1].unchanged == 7
    assert fake.writes == 0 and fake.notified == []


def test_a_time_change_tells_nobody_and_a_new_participant_is_invited_keeping_hand_added_guests(
    fake: FakeGoogleCalendar, backend: GoogleCalendar, seed_agenda: Agenda
) -> None:
    push(seed_agenda, backend, options=EventOptions(invitees=GUESTS))
    victim = event_id(seed_agenda.key, seed_agenda.blocks[2].key)
    fake.edit_by_hand(
        victim,
        {
            "attendees": [
                *fake.calendars["primary"].events[victim]["attendees"],
                {"email": "chair@example.org", "responseStatus": "accepted"},
            ]
        },
    )
    fake.reset_counters()
    push(move_block(seed_agenda, 2, 15), backend, options=EventOptions(invitees=GUESTS))
    assert fake.calls["update"] == 1 and fake.notified == []
    assert "sendUpdates=none" in [t for t in fake.targets if t.startswith("PUT")][0]
    fake.reset_counters()
    more = (*GUESTS, "li@example.org")
    _, summary = push(move_block(seed_agenda, 2, 15), backend, options=EventOptions(invitees=more))
    assert summary.updated == 7 and len(fake.notified) == 7  # the new guest's invitation, once per event
    guests = [a["email"] for a in fake.calendars["primary"].events[victim]["attendees"]]
    assert guests == ["kwame@example.org", "ana@example.org", "chair@example.org", "li@example.org"]
    fake.reset_counters()
    push(move_block(seed_agenda, 2, 15), backend, options=EventOptions(invitees=GUESTS[:1]))  # ana left the list
    assert fake.writes == 0  # guests are never removed by calsync


def test_a_guest_removed_by_hand_while_still_listed_is_invited_again(
    fake: FakeGoogleCalendar, backend: GoogleCalendar, seed_agenda: Agenda
) -> None:
    push(seed_agenda, backend, options=EventOptions(invitees=GUESTS))
    victim = event_id(seed_agenda.key, seed_agenda.blocks[0].key)
    fake.edit_by_hand(victim, {"attendees": [{"email": "kwame@example.org"}]})
    fake.reset_counters()
    plan, _ = push(seed_agenda, backend, options=EventOptions(invitees=GUESTS))
    assert [(a.event_id, a.reason) for a in plan.writes] == [(victim, "guests to invite")]
    assert [n[1] for n in fake.notified] == [victim]


def test_with_a_meeting_event_guests_get_one_invitation(
    fake: FakeGoogleCalendar, backend: GoogleCalendar, seed_agenda: Agenda
) -> None:
    push(seed_agenda, backend, options=EventOptions(meeting_event=True, invitees=GUESTS))
    assert [n[1] for n in fake.notified] == [event_id(seed_agenda.key, MEETING_BLOCK_KEY)]
    assert sum(1 for e in fake.events() if e.get("attendees")) == 1


def test_notify_sends_every_change(fake: FakeGoogleCalendar, clock: FakeClock, seed_agenda: Agenda) -> None:
    loud = connect(fake, clock, send_updates="all")
    push(seed_agenda, loud, options=EventOptions(invitees=GUESTS))
    fake.reset_counters()
    push(move_block(seed_agenda, 2, 15), loud, options=EventOptions(invitees=GUESTS))
    assert len(fake.notified) == 1


def test_a_service_account_without_delegation_cannot_invite(
    fake: FakeGoogleCalendar, backend: GoogleCalendar, seed_agenda: Agenda
) -> None:
    fake.service_account_tokens.add("x")
    with pytest.raises(CredentialsError) as info:
        push(seed_agenda, backend, options=EventOptions(invitees=GUESTS))
    assert "domain-wide delegation" in info.value.sentence() and "--invite" in info.value.sentence()
    assert fake.events() == []


def test_hybrid_meeting_event_keeps_the_room_too(
    fake: FakeGoogleCalendar, backend: GoogleCalendar, seed_agenda: Agenda
) -> None:
    hybrid = replace(seed_agenda, location="Palais des Nations, Geneva").with_conference_url(ZOOM)
    push(hybrid, backend, options=EventOptions(meeting_event=True))
    whole = by_block(fake)[MEETING_BLOCK_KEY]
    assert whole["location"] == "Palais des Nations, Geneva"
    assert whole["description"].startswith(f"Join (Zoom): {ZOOM}")
