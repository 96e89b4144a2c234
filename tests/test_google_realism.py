"""Google as it really behaves (issue 14): all-day edits, conditional updates, the per-user quota, tombstoned ids and
zone names Google refuses; each through the real client against the fake server, which keeps those rules."""

from __future__ import annotations

from collections import Counter

import pytest
from fake_google import FakeClock, FakeGoogleCalendar, live
from fake_google_fixtures import connect as backend_for
from test_google_backend import assert_exactly, big_agenda

from calsync.errors import BackendError
from calsync.model import Agenda
from calsync.schema import agenda_from_data
from calsync.sync import event_id, make_plan, push
from calsync.sync.apply import apply
from calsync.sync.plan import desired_events

ZOOM = "https://zoom.us/j/81234567890"


# -- updates: the whole listed event back, conditional on its ETag ---------------------------------------------------


def test_event_made_all_day_by_hand_is_repaired(
    fake: FakeGoogleCalendar, clock: FakeClock, seed_agenda: Agenda
) -> None:
    """A person ticks "All day": start.date replaces start.dateTime. A patch would merge the two and be refused."""
    backend = backend_for(fake, clock)
    push(seed_agenda, backend)
    victim = event_id(seed_agenda.key, seed_agenda.blocks[2].key)
    fake.edit_by_hand(victim, {"start": {"date": "2020-07-22"}, "end": {"date": "2020-07-23"}})
    fake.reset_counters()
    plan, summary = push(seed_agenda, backend)
    assert (summary.updated, summary.unchanged) == (1, 6)
    assert plan.writes[0].reason == "times were changed in the calendar"
    assert fake.calls == Counter({"list": 1, "update": 1})
    assert "date" not in fake.calendars["primary"].events[victim]["start"]
    assert_exactly(fake, seed_agenda)


def test_a_change_made_between_listing_and_writing_is_kept(
    fake: FakeGoogleCalendar, clock: FakeClock, seed_agenda: Agenda
) -> None:
    """If-Match on the listed ETag: a guest added meanwhile makes Google answer 412; calsync lists the calendar again,
    re-plans, and writes its own fields over the new version instead of the old one."""
    backend = backend_for(fake, clock)
    push(seed_agenda, backend)
    zoomed = seed_agenda.with_conference_url(ZOOM)

    def listed():  # type: ignore[no-untyped-def]
        return make_plan(zoomed.key, desired_events(zoomed), backend.list_events(zoomed.key))

    plan = listed()
    victim = plan.writes[0].event_id
    fake.edit_by_hand(victim, {"attendees": [{"email": "late@example.org"}], "colorId": "7"})
    fake.reset_counters()
    summary = apply(plan, backend, replan=listed)
    assert (summary.updated, summary.replanned) == (7, 1)
    event = fake.calendars["primary"].events[victim]
    assert event["attendees"] == [{"email": "late@example.org"}] and event["colorId"] == "7"
    assert event["location"] == ZOOM
    assert (fake.calls["update"], fake.calls["list"], fake.calls["patch"]) == (8, 1, 0)  # one 412, a listing, a retry


def test_update_costs_one_unit_and_never_patches(
    fake: FakeGoogleCalendar, clock: FakeClock, seed_agenda: Agenda
) -> None:
    backend = backend_for(fake, clock)
    push(seed_agenda, backend)
    before = fake.quota.used("x")
    push(seed_agenda.with_conference_url(ZOOM), backend)
    assert fake.quota.used("x") - before == 1 + 7  # the listing and seven updates
    assert fake.calls["patch"] == 0


# -- quota: paced inside Google's minute, retried within it ------------------------------------------------------------


def test_a_link_arriving_on_500_blocks_converges_in_one_push_under_the_quota(
    fake: FakeGoogleCalendar, clock: FakeClock, seed_agenda: Agenda
) -> None:
    agenda = big_agenda(seed_agenda, 500)
    backend = backend_for(fake, clock)
    push(agenda, backend)
    clock.sleep(3600)  # the Zoom link arrives later that day
    fake.reset_counters()
    before, slept = fake.quota.total["x"], len(clock.slept)
    _, summary = push(agenda.with_conference_url(ZOOM), backend)
    assert summary.updated == 500
    assert fake.quota.refused == 0 and clock.slept[slept:] == []  # no refusal, no wait: 501 units fit in the minute
    assert fake.quota.total["x"] - before == 501 and fake.calls["patch"] == 0
    assert all(e["location"] == ZOOM for e in fake.events())


def test_a_push_bigger_than_the_minute_is_paced_not_refused(
    fake: FakeGoogleCalendar, clock: FakeClock, seed_agenda: Agenda
) -> None:
    agenda = big_agenda(seed_agenda, 700)
    start = clock.now()
    _, summary = push(agenda, backend_for(fake, clock))
    assert summary.created == 700 and fake.quota.refused == 0
    assert 60 <= clock.now() - start <= 62  # the bucket waited for the first minute's units to come back
    assert len(live(fake.events())) == 700


def test_units_another_app_spent_are_retried_within_googles_minute(
    fake: FakeGoogleCalendar, clock: FakeClock, seed_agenda: Agenda
) -> None:
    """The bucket cannot see what the person's phone spent: Google's refusals are retried with backoff that doubles
    up to 64 s, so even at the shortest jitter the retries outlast the sliding minute."""
    fake.spend(596)
    start = clock.now()
    _, summary = push(seed_agenda, backend_for(fake, clock, rand=lambda: 0.0))
    assert summary.created == 7 and fake.quota.refused > 0
    assert max(clock.slept) <= 64 and clock.now() - start >= 60
    assert_exactly(fake, seed_agenda)


@pytest.mark.parametrize("status", [403, 429])
def test_a_quota_that_stays_exhausted_ends_with_a_sentence(
    fake: FakeGoogleCalendar, clock: FakeClock, seed_agenda: Agenda, status: int
) -> None:
    fake.quota.limit = 0  # nothing ever gets through (a project whose quota was set to zero)
    fake.quota_status = status
    with pytest.raises(BackendError) as info:
        push(seed_agenda, backend_for(fake, clock))
    assert "kept failing" in info.value.sentence() and "calsync push" in info.value.sentence()
    assert max(clock.slept) <= 64


# -- ids Google keeps after the bin is emptied ------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [403, 404, 410])
def test_a_tombstoned_id_moves_to_the_next_generation(
    fake: FakeGoogleCalendar, clock: FakeClock, seed_agenda: Agenda, answer: int
) -> None:
    backend = backend_for(fake, clock)
    push(seed_agenda, backend)
    block = seed_agenda.blocks[3].key
    victim = event_id(seed_agenda.key, block)
    fake.purge_by_hand(victim, answer, still_listed=True)
    _, summary = push(seed_agenda, backend)
    assert summary.created == 1
    fresh = event_id(seed_agenda.key, block, 1)
    assert fake.calendars["primary"].events[fresh]["status"] == "confirmed"
    assert_exactly(fake, seed_agenda)
    fake.reset_counters()
    _, again = push(seed_agenda, backend)
    assert again.unchanged == 7 and fake.writes == 0


def test_an_id_gone_from_the_listing_too_is_replaced_after_one_read(
    fake: FakeGoogleCalendar, clock: FakeClock, seed_agenda: Agenda
) -> None:
    backend = backend_for(fake, clock)
    push(seed_agenda, backend)
    victim = event_id(seed_agenda.key, seed_agenda.blocks[0].key)
    fake.purge_by_hand(victim, 404)
    fake.reset_counters()
    _, summary = push(seed_agenda, backend)
    assert summary.created == 1
    assert [c for c, _ in fake.log] == ["list", "insert", "get", "insert"]  # 409, then the read says it is gone
    assert_exactly(fake, seed_agenda)


# -- zone names Google does not know yet ----------------------------------------------------------------------------


def kyiv_agenda() -> Agenda:
    return agenda_from_data(
        {
            "title": "Kyiv coordination",
            "timezone": {"zone": "Europe/Kyiv"},
            "blocks": [
                {"title": "Opening", "start": "2024-03-05T10:00:00+02:00", "end": "2024-03-05T10:30:00+02:00"},
                {"title": "Reports", "start": "2024-03-05T10:30:00+02:00", "end": "2024-03-05T11:15:00+02:00"},
            ],
        }
    )


def test_a_refused_zone_name_falls_back_to_its_former_name(fake: FakeGoogleCalendar, clock: FakeClock) -> None:
    agenda = kyiv_agenda()
    fake.refused_zones.add("Europe/Kyiv")
    backend = backend_for(fake, clock)
    _, summary = push(agenda, backend)
    assert summary.created == 2
    assert {e["start"]["timeZone"] for e in fake.events()} == {"Europe/Kiev"}
    assert_exactly(fake, agenda)
    fake.reset_counters()
    _, again = push(agenda, backend_for(fake, clock))
    assert again.unchanged == 2 and fake.writes == 0


def test_without_any_name_google_knows_the_offset_alone_is_sent(fake: FakeGoogleCalendar, clock: FakeClock) -> None:
    agenda = kyiv_agenda()
    fake.refused_zones.update({"Europe/Kyiv", "Europe/Kiev", "Europe/Zaporozhye", "Europe/Uzhgorod"})
    _, summary = push(agenda, backend_for(fake, clock))
    assert summary.created == 2
    assert all("timeZone" not in e["start"] for e in fake.events())
    assert_exactly(fake, agenda)


def test_a_calendar_for_a_meeting_in_a_refused_zone_is_made_under_its_former_name(
    fake: FakeGoogleCalendar, clock: FakeClock
) -> None:
    fake.refused_zones.add("Europe/Kyiv")
    backend = backend_for(fake, clock)
    made = backend.create_calendar("Kyiv coordination", "Europe/Kyiv")
    assert fake.calendars[made].time_zone == "Europe/Kiev" and backend.calendar_id == made
    push(kyiv_agenda(), backend)
    assert len(fake.events(made)) == 2
