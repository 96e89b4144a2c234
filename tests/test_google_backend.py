"""The Google backend against the fake server, through the real google-api-python-client: round trips, batches,
paging, retries and the errors a user sees."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import google.oauth2.credentials
import httplib2
import pytest
from fake_google import DROP, LOST, FakeGoogleCalendar, fault, live, private_props
from fake_google_fixtures import connect
from googleapiclient.errors import BatchError, HttpError

from calsync.backends.base import DuplicateIdError, EventNotFoundError, Update
from calsync.backends.google import GoogleCalendar, endpoint_urls, event_body
from calsync.backends.google_refusals import ChangedMeanwhileError, TimeZoneRefusedError, reason_and_message, refusal
from calsync.errors import BackendError, CalendarNotFoundError, CredentialsError, QuotaError
from calsync.model import Agenda, Block
from calsync.schema import agenda_from_data
from calsync.sync import event_id, push
from calsync.sync.plan import desired_events

ZOOM = "https://zoom.us/j/81234567890"
SEED_JSON = Path(__file__).parent / "data" / "seed.hand.json"


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def backend_for(fake: FakeGoogleCalendar, sleeps: Sleeps | None = None, **options: Any) -> GoogleCalendar:
    """A backend whose waits are recorded (or skipped), never slept: retries take no time."""
    return connect(fake, sleep=sleeps if sleeps is not None else (lambda s: None), **options)


def big_agenda(base: Agenda, n: int) -> Agenda:
    start = base.start
    blocks = tuple(
        Block(
            key=f"b{i}",
            title=f"Block {i}",
            start=start + timedelta(minutes=10 * i),
            end=start + timedelta(minutes=10 * i + 10),
        )
        for i in range(n)
    )
    return replace(base, blocks=blocks)


def blocks_on(fake: FakeGoogleCalendar, meeting_key: str) -> Counter[str]:
    return Counter(
        private_props(e).get("calsyncBlock")
        for e in fake.events()
        if private_props(e).get("calsyncMeeting") == meeting_key
    )


def assert_exactly(fake: FakeGoogleCalendar, agenda: Agenda) -> None:
    """The calendar holds each block of the agenda once, at the agenda's instants."""
    assert blocks_on(fake, agenda.key) == Counter(b.key for b in agenda.blocks)
    by_block = {
        private_props(e)["calsyncBlock"]: e
        for e in fake.events()
        if private_props(e).get("calsyncMeeting") == agenda.key
    }
    for b in agenda.blocks:
        assert datetime.fromisoformat(by_block[b.key]["start"]["dateTime"]) == b.start
        assert datetime.fromisoformat(by_block[b.key]["end"]["dateTime"]) == b.end


# -- the acceptance figures --------------------------------------------------------------------------------------------


def test_seed_agenda_with_zoom_in_two_round_trips_then_listing_only(
    fake: FakeGoogleCalendar, seed_agenda: Agenda
) -> None:
    agenda = seed_agenda.with_conference_url(ZOOM)
    backend = backend_for(fake)
    _, summary = push(agenda, backend)
    assert summary.created == 7
    assert fake.round_trips == 2  # 1 listing + 1 batch
    assert fake.batch_sizes == [7]
    assert fake.calls == Counter({"insert": 7, "list": 1})
    events = fake.events()
    assert len(events) == 7 and all(ZOOM in e["location"] and ZOOM in e["description"] for e in events)
    assert {e["start"]["timeZone"] for e in events} == {"Europe/Paris"}
    assert_exactly(fake, agenda)
    fake.reset_counters()
    _, again = push(agenda, backend)
    assert again.unchanged == 7
    assert fake.round_trips == 1 and fake.writes == 0


def test_one_block_change_is_listing_plus_one_write(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    backend = backend_for(fake)
    push(seed_agenda, backend)
    fake.reset_counters()
    from test_sync_apply import move_block

    push(move_block(seed_agenda, 3, 10), backend)
    assert fake.round_trips == 2 and fake.calls == Counter({"list": 1, "update": 1})


def test_writes_go_in_batches_of_at_most_50(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    agenda = big_agenda(seed_agenda, 120)
    push(agenda, backend_for(fake))
    assert fake.batch_sizes == [50, 50, 20]
    assert fake.round_trips == 1 + 3
    assert_exactly(fake, agenda)


def test_listing_follows_every_page_even_empty_ones(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    backend = backend_for(fake)
    push(seed_agenda, backend)
    fake.page_size = 2
    fake.empty_first_page = True
    fake.reset_counters()
    _, summary = push(seed_agenda, backend)
    assert summary.unchanged == 7 and fake.writes == 0
    assert fake.calls["list"] == 1 + 4  # the empty page, then 2+2+2+1


def test_listing_uses_the_private_property_filter_and_shows_deleted(
    fake: FakeGoogleCalendar, seed_agenda: Agenda
) -> None:
    backend_for(fake).list_events(seed_agenda.key)
    [target] = fake.targets
    assert "privateExtendedProperty=calsyncMeeting%3D" + seed_agenda.key in target
    assert "showDeleted=true" in target


@pytest.mark.parametrize("notify, expected", [(False, "sendUpdates=none"), (True, "sendUpdates=all")])
def test_send_updates(fake: FakeGoogleCalendar, seed_agenda: Agenda, notify: bool, expected: str) -> None:
    push(seed_agenda, backend_for(fake, send_updates="all" if notify else "none"))
    writes = [t for t in fake.targets if t.startswith("POST")]
    assert len(writes) == 7 and all(expected in t for t in writes)


def test_event_body_passes_the_discovery_schema_and_bad_bodies_do_not(
    fake: FakeGoogleCalendar, seed_agenda: Agenda
) -> None:
    content = desired_events(seed_agenda.with_conference_url(ZOOM))[0]
    service = fake.service()
    body = event_body(content, event_id=event_id(content.meeting_key, content.block_key))
    assert service.events().insert(calendarId="primary", body=body).execute()["id"] == body["id"]
    from googleapiclient.errors import HttpError

    for bad in (
        {**body, "id": "other1", "zoom": 1},
        {**body, "id": "other2", "summary": 3},
        {**body, "id": "UPPER"},
        {**body, "id": "abc"},
    ):
        with pytest.raises(HttpError) as info:
            service.events().insert(calendarId="primary", body=bad).execute()
        assert info.value.status_code == 400


def test_endpoint_urls() -> None:
    assert endpoint_urls(None) == (
        "https://www.googleapis.com/calendar/v3/",
        "https://www.googleapis.com/batch/calendar/v3",
    )
    assert endpoint_urls("http://127.0.0.1:9/") == (
        "http://127.0.0.1:9/calendar/v3/",
        "http://127.0.0.1:9/batch/calendar/v3",
    )
    assert endpoint_urls("http://h:9/calendar/v3") == ("http://h:9/calendar/v3/", "http://h:9/batch/calendar/v3")


def test_read_back_compares_instants_not_text(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    """The fake answers dateTimes in the event's zone; an agenda given in UTC must still verify."""
    utc = replace(
        seed_agenda, blocks=tuple(replace(b, start=b.start.astimezone(seed_agenda.tzinfo)) for b in seed_agenda.blocks)
    )
    _, summary = push(utc, backend_for(fake))
    assert summary.created == 7


# -- faults ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "part_fault",
    [fault(429), fault(500), fault(503), fault(403, "rateLimitExceeded"), fault(403, "userRateLimitExceeded")],
)
def test_transient_part_faults_are_retried_per_call(
    fake: FakeGoogleCalendar, seed_agenda: Agenda, sleeps: Sleeps, part_fault: Any
) -> None:
    fake.fail_parts(None, part_fault, None, part_fault, part_fault)
    _, summary = push(seed_agenda, backend_for(fake, sleeps))
    assert summary.created == 7
    assert_exactly(fake, seed_agenda)
    assert fake.batch_sizes == [7, 3]  # only the failed parts are sent again
    assert len(sleeps) == 1


@pytest.mark.parametrize("outer", [fault(503), fault(429), fault(502), DROP, LOST])
def test_outer_faults_are_retried_and_converge(fake: FakeGoogleCalendar, seed_agenda: Agenda, outer: Any) -> None:
    backend = backend_for(fake)
    fake.fail_http(outer, outer)  # the listing (httplib2 retries a dropped connection once itself)
    push(seed_agenda, backend)
    fake.fail_http(outer, outer)  # the batch
    push(seed_agenda.with_conference_url(ZOOM), backend)
    assert_exactly(fake, seed_agenda)
    assert len(fake.events(include_cancelled=True)) == 7


def test_lost_batch_answer_leaves_no_duplicates(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    """The server did the inserts but the answer never came: the retry's 409s are resolved in place."""
    backend = backend_for(fake)
    fake.fail_http(None, LOST, LOST)
    _, summary = push(seed_agenda, backend)
    assert summary.created == 7
    assert len(fake.events(include_cancelled=True)) == 7
    # each 409 became an update of the same id, read first (the listing never showed it): one batch of reads, one
    # of writes
    assert (fake.calls["get"], fake.calls["update"], fake.calls["patch"]) == (7, 7, 0)
    assert_exactly(fake, seed_agenda)


def test_backoff_is_capped_exponential_with_jitter(
    fake: FakeGoogleCalendar, seed_agenda: Agenda, sleeps: Sleeps
) -> None:
    fake.fail_http(*[fault(503)] * 7)
    backend = backend_for(fake, sleeps, max_attempts=8, base_delay=1.0, max_delay=8.0, rand=lambda: 1.0)
    backend.list_events(seed_agenda.key)
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0]
    low = Sleeps()
    fake.fail_http(*[fault(503)] * 3)
    backend_for(fake, low, base_delay=1.0, max_delay=8.0, rand=lambda: 0.0).list_events(seed_agenda.key)
    assert low == [0.5, 1.0, 2.0]  # jitter spans the upper half of each step


def test_retries_give_up_with_a_sentence(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    fake.fail_http(*[fault(503)] * 3)
    with pytest.raises(BackendError) as info:
        backend_for(fake, max_attempts=3).list_events(seed_agenda.key)
    assert "503" in info.value.sentence() and "calsync push" in info.value.sentence()


def test_quota_exceeded_stops_and_is_not_retried(fake: FakeGoogleCalendar, seed_agenda: Agenda, sleeps: Sleeps) -> None:
    fake.fail_parts(None, None, None, fault(403, "quotaExceeded"))
    with pytest.raises(QuotaError) as info:
        push(seed_agenda, backend_for(fake, sleeps))
    assert sleeps == [] and "usage limits" in info.value.sentence() and info.value.exit_code == 75
    assert len(fake.events()) == 6  # the rest of the batch went through
    fake.reset_counters()
    _, summary = push(seed_agenda, backend_for(fake))  # the next push finishes the job
    assert (summary.created, summary.unchanged) == (1, 6)
    assert fake.round_trips == 2
    assert_exactly(fake, seed_agenda)


def test_401_asks_for_calsync_auth(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    fake.token = "a-fresh-token"
    with pytest.raises(CredentialsError) as info:
        push(seed_agenda, backend_for(fake))
    assert "calsync auth" in info.value.sentence()


def test_401_inside_a_batch_asks_for_calsync_auth(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    fake.fail_parts(fault(401))
    with pytest.raises(CredentialsError) as info:
        push(seed_agenda, backend_for(fake))
    assert "calsync auth" in info.value.sentence()


def test_missing_calendar(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    with pytest.raises(CalendarNotFoundError) as info:
        push(
            seed_agenda,
            connect(fake, calendar_id="nobody@example.com"),
        )
    assert "'nobody@example.com' does not exist" in info.value.sentence()


def test_read_only_calendar(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    fake.add_calendar("holidays@example.com", read_only=True)
    backend = connect(fake, calendar_id="holidays@example.com")
    with pytest.raises(CalendarNotFoundError) as info:
        push(seed_agenda, backend)
    assert "not writable" in info.value.sentence() and "requiredAccessLevel" in info.value.sentence()


def test_interrupted_big_push_is_finished_by_the_next_one(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    agenda = big_agenda(seed_agenda, 80)
    fake.fail_parts(*([None] * 60 + [fault(403, "quotaExceeded")]))
    with pytest.raises(QuotaError):
        push(agenda, backend_for(fake))
    assert len(fake.events()) == 79  # both batches went through but for the one part refused
    _, summary = push(agenda, backend_for(fake))
    assert summary.created == 1 and summary.unchanged == 79
    assert_exactly(fake, agenda)
    assert len(live(fake.events(include_cancelled=True))) == 80


def test_push_stopped_before_later_batches_is_finished_by_the_next_one(
    fake: FakeGoogleCalendar, seed_agenda: Agenda
) -> None:
    agenda = big_agenda(seed_agenda, 80)
    fake.fail_parts(*([None] * 10 + [fault(403, "quotaExceeded")]))
    with pytest.raises(QuotaError):
        push(agenda, backend_for(fake))
    assert len(fake.events()) == 49 and fake.batch_sizes == [50]  # the second batch was never sent
    fake.reset_counters()
    _, summary = push(agenda, backend_for(fake))
    assert (summary.created, summary.unchanged) == (31, 49)
    assert fake.round_trips == 1 + 1
    assert_exactly(fake, agenda)


# -- the fake keeps the notes' rules (so the tests above mean something) ----------------------------------------------


def test_fake_server_keeps_googles_rules(fake: FakeGoogleCalendar) -> None:
    from googleapiclient.errors import HttpError

    events = fake.service().events()
    body = {
        "id": "abcde12345",
        "summary": "s",
        "start": {"dateTime": "2020-07-22T14:00:00Z", "timeZone": "Europe/Paris"},
        "end": {"dateTime": "2020-07-22T15:00:00Z", "timeZone": "Europe/Paris"},
        "extendedProperties": {"private": {"k": "v"}},
    }

    def status(request: Any) -> int:
        try:
            request.execute()
        except HttpError as e:
            return e.status_code
        return 200

    created = events.insert(calendarId="primary", body=body).execute()
    assert created["start"]["dateTime"] == "2020-07-22T16:00:00+02:00"  # shown in the event's zone
    assert status(events.insert(calendarId="primary", body={**body, "start": {"dateTime": "x", "foo": 1}})) == 400
    assert status(events.insert(calendarId="primary", body={**body, "id": "abcw1"})) == 400  # w is not base32hex
    assert status(events.insert(calendarId="primary", body={**body, "id": "abc1"})) == 400  # too short
    patched = events.patch(calendarId="primary", eventId="abcde12345", body={"summary": "t"}).execute()
    assert patched["summary"] == "t" and patched["extendedProperties"] == body["extendedProperties"]
    assert status(events.delete(calendarId="primary", eventId="abcde12345")) == 200
    assert status(events.delete(calendarId="primary", eventId="abcde12345")) == 410
    assert events.get(calendarId="primary", eventId="abcde12345").execute()["status"] == "cancelled"
    assert status(events.insert(calendarId="primary", body=body)) == 409  # a deleted id stays taken
    assert events.list(calendarId="primary", privateExtendedProperty="k=v").execute()["items"] == []
    listed = events.list(calendarId="primary", privateExtendedProperty="k=v", showDeleted=True).execute()["items"]
    assert [e["id"] for e in listed] == ["abcde12345"]
    assert (
        events.list(calendarId="primary", privateExtendedProperty=["k=v", "k=w"], showDeleted=True).execute()["items"]
        == []
    )
    kept = events.update(
        calendarId="primary", eventId="abcde12345", body={k: v for k, v in body.items() if k != "id"}
    ).execute()
    assert kept["status"] == "cancelled"  # a PUT without status does not restore
    restored = events.update(calendarId="primary", eventId="abcde12345", body={**body, "status": "confirmed"}).execute()
    assert restored["status"] == "confirmed"
    assert status(events.update(calendarId="primary", eventId="nothere00", body=body)) == 404
    assert status(events.get(calendarId="primary", eventId="nothere00")) == 404


def test_deleted_event_missing_from_the_listing_is_still_restored_in_place(
    fake: FakeGoogleCalendar, seed_agenda: Agenda
) -> None:
    """Google may list a cancelled event without its properties: the insert's 409 then leads to a restore."""
    backend = backend_for(fake)
    push(seed_agenda, backend)
    victim = event_id(seed_agenda.key, seed_agenda.blocks[0].key)
    fake.delete_by_hand(victim)
    del fake.calendars["primary"].events[victim]["extendedProperties"]
    fake.reset_counters()
    _, summary = push(seed_agenda, backend)
    assert summary.created == 1
    assert [c for c, _ in fake.log] == ["list", "insert", "get", "update"]
    assert len(fake.events(include_cancelled=True)) == 7
    assert_exactly(fake, seed_agenda)


# -- updates send the listed event back whole: what was added by hand stays --------------------------------------------


def test_update_keeps_guests_reminders_colour_and_other_private_keys(
    fake: FakeGoogleCalendar, seed_agenda: Agenda
) -> None:
    backend = backend_for(fake)
    push(seed_agenda, backend)
    victim = event_id(seed_agenda.key, seed_agenda.blocks[0].key)
    added = {
        "attendees": [{"email": "guest@example.org"}],
        "colorId": "5",
        "reminders": {"useDefault": False, "overrides": [{"method": "popup", "minutes": 30}]},
    }
    fake.edit_by_hand(
        victim,
        {
            **added,
            "extendedProperties": {
                "private": {**private_props(fake.calendars["primary"].events[victim]), "otherApp": "kept"}
            },
        },
    )
    fake.reset_counters()
    _, summary = push(seed_agenda.with_conference_url(ZOOM), backend)
    assert summary.updated == 7 and fake.calls == Counter({"list": 1, "update": 7})
    event = fake.calendars["primary"].events[victim]
    assert {k: event.get(k) for k in added} == added
    assert private_props(event)["otherApp"] == "kept" and event["location"] == ZOOM
    fake.reset_counters()
    _, again = push(seed_agenda.with_conference_url(ZOOM), backend)
    assert again.unchanged == 7 and fake.writes == 0


def test_patch_clears_a_location_calsync_no_longer_writes(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    backend = backend_for(fake)
    push(seed_agenda.with_conference_url(ZOOM), backend)
    bare = replace(seed_agenda, location=None)
    push(bare, backend)
    assert all(not e.get("location") for e in fake.events())
    fake.reset_counters()
    _, again = push(bare, backend)
    assert again.unchanged == 7 and fake.writes == 0


def test_text_edited_by_hand_in_google_is_repaired(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    agenda = seed_agenda.with_conference_url(ZOOM)
    backend = backend_for(fake)
    push(agenda, backend)
    victim = event_id(agenda.key, agenda.blocks[0].key)
    before = json.loads(json.dumps(fake.calendars["primary"].events[victim]))
    fake.edit_by_hand(victim, {"summary": "HACKED", "description": "gone", "location": "nowhere"})
    fake.reset_counters()
    plan, summary = push(agenda, backend)
    assert summary.updated == 1 and plan.writes[0].reason == "edited in the calendar"
    assert fake.calls == Counter({"list": 1, "update": 1})
    after = fake.calendars["primary"].events[victim]
    assert {k: after[k] for k in ("summary", "description", "location")} == {
        k: before[k] for k in ("summary", "description", "location")
    }


def test_online_meeting_location_is_exactly_the_join_url(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    from calsync.details import event_descriptions

    online = seed_agenda.with_conference_url(ZOOM)
    push(online, backend_for(fake))  # the seed's location is "Zoom"
    assert {e["location"] for e in fake.events()} == {ZOOM}
    assert sorted(e["description"] for e in fake.events()) == sorted(event_descriptions(online, ()).values())


def test_hybrid_meeting_keeps_its_room_and_leads_with_the_link(fake: FakeGoogleCalendar, seed_agenda: Agenda) -> None:
    """A room and a join link: the room in location (maps, room booking), the link as the description's first line."""
    hybrid = replace(seed_agenda, location="Palais des Nations, Geneva").with_conference_url(ZOOM)
    backend = backend_for(fake)
    push(seed_agenda.with_conference_url(ZOOM), backend)
    fake.reset_counters()
    _, summary = push(hybrid, backend)  # the room is announced after the first push
    assert summary.updated == 7
    events = fake.events()
    assert {e["location"] for e in events} == {"Palais des Nations, Geneva"}
    assert all(e["description"].splitlines()[0] == f"Join (Zoom): {ZOOM}" for e in events)
    assert all(e["description"].count(ZOOM) == 1 for e in events)
    fake.reset_counters()
    assert push(hybrid, backend)[1].unchanged == 7 and fake.writes == 0


def test_fake_patch_merges_like_google_and_restores_a_cancelled_event(fake: FakeGoogleCalendar) -> None:
    events = fake.service().events()
    body = {
        "id": "abcde12345",
        "summary": "s",
        "colorId": "3",
        "start": {"dateTime": "2020-07-22T14:00:00Z", "timeZone": "Europe/Paris"},
        "end": {"dateTime": "2020-07-22T15:00:00Z", "timeZone": "Europe/Paris"},
        "extendedProperties": {"private": {"a": "1", "b": "2"}, "shared": {"s": "x"}},
    }
    events.insert(calendarId="primary", body=body).execute()
    patched = events.patch(
        calendarId="primary",
        eventId="abcde12345",
        body={"summary": "t", "extendedProperties": {"private": {"b": "3", "c": "4"}}},
    ).execute()
    assert patched["summary"] == "t" and patched["colorId"] == "3"
    assert patched["extendedProperties"] == {"private": {"a": "1", "b": "3", "c": "4"}, "shared": {"s": "x"}}
    events.delete(calendarId="primary", eventId="abcde12345").execute()
    kept = events.patch(calendarId="primary", eventId="abcde12345", body={"summary": "u"}).execute()
    assert kept["status"] == "cancelled"  # a patch without status leaves it deleted
    back = events.patch(calendarId="primary", eventId="abcde12345", body={"status": "confirmed"}).execute()
    assert back["status"] == "confirmed" and back["summary"] == "u"
    fake.delete_by_hand("abcde12345")
    fake.restore_forbidden = True
    from googleapiclient.errors import HttpError

    with pytest.raises(HttpError) as info:
        events.patch(calendarId="primary", eventId="abcde12345", body={"status": "confirmed"}).execute()
    assert info.value.status_code == 403


# -- listing refusals come with a remedy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "refusal, needle",
    [
        (fault(403, "forbidden"), "Make changes to events"),
        (fault(403, "insufficientPermissions"), "calsync auth"),
        (fault(400), "check --calendar"),
    ],
)
def test_listing_refused_says_what_to_do(
    fake: FakeGoogleCalendar, seed_agenda: Agenda, refusal: Any, needle: str
) -> None:
    fake.fail_http(refusal)
    with pytest.raises((BackendError, CredentialsError)) as info:  # a missing scope is a credentials problem (77)
        backend_for(fake).list_events(seed_agenda.key)
    text = info.value.sentence()
    assert text.startswith("Google Calendar refused to list events") and needle in text
    assert info.value.hint and "Rate Limit" not in text


def test_service_account_refresh_refusal_points_at_the_key_not_calsync_auth(
    fake: FakeGoogleCalendar, seed_agenda: Agenda
) -> None:
    import google.auth.exceptions

    class RefusedServiceAccount(google.oauth2.credentials.Credentials):
        def refresh(self, request: Any) -> None:
            raise google.auth.exceptions.RefreshError(
                "invalid_grant: Invalid JWT Signature.", {"error": "invalid_grant"}
            )

    creds = RefusedServiceAccount(token=None)
    backend = GoogleCalendar.connect(creds, api_endpoint=fake.endpoint, sleep=lambda s: None, service_account=True)
    with pytest.raises(CredentialsError) as info:
        backend.list_events(seed_agenda.key)
    text = info.value.sentence()
    assert "service account" in text and "calsync auth" not in text and "IAM" in text


def test_connect_knows_a_service_account() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from google.oauth2 import service_account

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )
    creds = service_account.Credentials.from_service_account_info(
        {
            "client_email": "a@p.iam.gserviceaccount.com",
            "private_key": pem,
            "token_uri": "https://oauth2.googleapis.com/token",
        }
    )
    assert GoogleCalendar.connect(creds, api_endpoint="http://127.0.0.1:9/").service_account is True
    assert (
        GoogleCalendar.connect(
            google.oauth2.credentials.Credentials(token="x"), api_endpoint="http://127.0.0.1:9/"
        ).service_account
        is False
    )


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"status": "429", "retry-after": "7"}, 7.0),
        ({"status": "503"}, None),
        ({"status": "429", "retry-after": "x"}, None),
    ],
)
def test_retry_after_is_read_from_googles_answer(headers: dict[str, str], expected: float | None) -> None:
    assert GoogleCalendar._retry_after(HttpError(httplib2.Response(headers), b"{}")) == expected
    assert GoogleCalendar._retry_after(BatchError("no HTTP answer")) is None


UPDATE = Update("abcde12345", desired_events(agenda_from_data(json.loads(SEED_JSON.read_text(encoding="utf-8"))))[0])


@pytest.mark.parametrize(
    "status, reason, message, call, action, retry, error, words",
    [
        (429, "rateLimitExceeded", "Rate Limit Exceeded", None, "events", True, BackendError, "kept failing"),
        (503, "backendError", "Backend Error", UPDATE, "events", True, BackendError, "HTTP 503 backendError"),
        (403, "quotaExceeded", "Calendar usage limits exceeded.", None, "events", False, QuotaError, "usage limits"),
        (401, "authError", "Invalid Credentials", None, "events", False, CredentialsError, "rejected the credentials"),
        (403, "insufficientPermissions", "x", None, "share", False, CredentialsError, "--share-calendars"),
        (404, "notFound", "Not Found", None, "events", False, CalendarNotFoundError, "does not exist"),
        (
            400,
            "invalid",
            "Invalid time zone definition for start time.",
            UPDATE,
            "events",
            False,
            TimeZoneRefusedError,
            "",
        ),
        (412, "conditionNotMet", "Precondition Failed", UPDATE, "events", False, ChangedMeanwhileError, "changed"),
        (409, "duplicate", "The requested identifier already exists.", UPDATE, "events", False, DuplicateIdError, ""),
        (404, "notFound", "Not Found", UPDATE, "events", False, EventNotFoundError, "does not exist"),
    ],
)
def test_each_refusal_becomes_the_error_the_engine_or_the_user_acts_on(
    status: int, reason: str, message: str, call: Any, action: Any, retry: bool, error: type, words: str
) -> None:
    again, found = refusal(
        status, reason, message, call=call, action=action, calendar_id="primary", service_account=False
    )
    assert again is retry and type(found) is error, found
    assert words in found.sentence()


@pytest.mark.parametrize(
    "body, fallback, expected",
    [
        (
            b'{"error": {"errors": [{"reason": "quotaExceeded"}], "message": "Limits exceeded."}}',
            "",
            ("quotaExceeded", "Limits exceeded."),
        ),
        ('{"error": {"status": "PERMISSION_DENIED"}}', "Forbidden", ("PERMISSION_DENIED", "Forbidden")),
        (b"<html>Bad Gateway</html>", "Bad Gateway", ("", "Bad Gateway")),
        (b"", "", ("", "error")),
    ],
)
def test_googles_reason_and_message_are_read_from_its_error_body(body: Any, fallback: str, expected: tuple) -> None:
    assert reason_and_message(body, fallback) == expected
