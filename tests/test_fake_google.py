"""The fake Google server keeps the rules calsync's Google tests rely on (so those tests mean something): each rule
here is exercised through the real google-api-python-client, with no calsync code in between."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from fake_google import FakeClock, FakeGoogleCalendar
from googleapiclient.errors import HttpError

BODY = {
    "summary": "s",
    "start": {"dateTime": "2020-07-22T14:00:00Z", "timeZone": "Europe/Paris"},
    "end": {"dateTime": "2020-07-22T15:00:00Z", "timeZone": "Europe/Paris"},
}


def error_of(request: Any) -> tuple[int, str, str]:
    """(status, reason, message) of a refused request."""
    with pytest.raises(HttpError) as info:
        request.execute()
    data = json.loads(info.value.content)["error"]
    return info.value.status_code, data["errors"][0]["reason"], data["message"]


def test_patch_merges_nested_objects_so_an_all_day_date_survives(fake: FakeGoogleCalendar) -> None:
    events = fake.service().events()
    created = events.insert(calendarId="primary", body={**BODY, "id": "abcde12345"}).execute()
    fake.edit_by_hand(created["id"], {"start": {"date": "2020-07-22"}, "end": {"date": "2020-07-23"}})
    timed = {"dateTime": "2020-07-22T16:00:00+02:00", "timeZone": "Europe/Paris"}
    assert error_of(events.patch(calendarId="primary", eventId="abcde12345", body={"start": timed, "end": timed})) == (
        400,
        "invalid",
        "Invalid start time.",
    )
    cleared = {**timed, "date": None}
    done = events.patch(calendarId="primary", eventId="abcde12345", body={"start": cleared, "end": cleared}).execute()
    assert "date" not in done["start"] and done["start"]["dateTime"] == "2020-07-22T16:00:00+02:00"
    # a PUT replaces the whole event, nested objects included
    put = events.update(calendarId="primary", eventId="abcde12345", body={**BODY, "colorId": "4"}).execute()
    assert put["colorId"] == "4" and "date" not in put["start"]


def test_reminders_default_and_overrides_cannot_be_mixed(fake: FakeGoogleCalendar) -> None:
    events = fake.service().events()
    events.insert(
        calendarId="primary",
        body={
            **BODY,
            "id": "abcde12345",
            "reminders": {"useDefault": False, "overrides": [{"method": "popup", "minutes": 5}]},
        },
    ).execute()
    # patch merges: useDefault true next to the stored overrides is refused
    assert error_of(
        events.patch(calendarId="primary", eventId="abcde12345", body={"reminders": {"useDefault": True}})
    ) == (
        400,
        "cannotUseDefaultRemindersAndSpecifyOverride",
        "Cannot specify both default reminders and overrides at the same time.",
    )
    too_many = [{"method": "popup", "minutes": m} for m in range(6)]
    assert (
        error_of(
            events.insert(
                calendarId="primary", body={**BODY, "reminders": {"useDefault": False, "overrides": too_many}}
            )
        )[0]
        == 400
    )


def test_if_match_refuses_a_stale_etag(fake: FakeGoogleCalendar) -> None:
    events = fake.service().events()
    created = events.insert(calendarId="primary", body={**BODY, "id": "abcde12345"}).execute()
    fake.edit_by_hand("abcde12345", {"summary": "edited"})
    stale = events.update(calendarId="primary", eventId="abcde12345", body=BODY)
    stale.headers["If-Match"] = created["etag"]
    assert error_of(stale)[0] == 412
    fresh = events.update(calendarId="primary", eventId="abcde12345", body=BODY)
    fresh.headers["If-Match"] = fake.calendars["primary"].events["abcde12345"]["etag"]
    assert fresh.execute()["summary"] == "s"


def test_quota_is_a_sliding_minute_of_units_with_patch_at_three(fake: FakeGoogleCalendar, clock: FakeClock) -> None:
    fake.quota.limit = 10
    events = fake.service().events()
    events.insert(calendarId="primary", body={**BODY, "id": "abcde12345"}).execute()  # 1
    for _ in range(2):
        events.patch(calendarId="primary", eventId="abcde12345", body={"summary": "p"}).execute()  # 3 + 3
    events.get(calendarId="primary", eventId="abcde12345").execute()  # 1 -> 8
    assert error_of(events.patch(calendarId="primary", eventId="abcde12345", body={"summary": "q"})) == (
        403,
        "userRateLimitExceeded",
        "User Rate Limit Exceeded",
    )
    events.update(calendarId="primary", eventId="abcde12345", body=BODY).execute()  # 1 -> 9: an update fits
    clock.sleep(59)
    assert error_of(events.patch(calendarId="primary", eventId="abcde12345", body={"summary": "q"}))[0] == 403
    clock.sleep(2)  # a minute after the first units: they leave the window
    events.patch(calendarId="primary", eventId="abcde12345", body={"summary": "r"}).execute()
    fake.quota_status = 429
    fake.spend(fake.quota.limit - fake.quota.used("x"))
    assert error_of(events.get(calendarId="primary", eventId="abcde12345")) == (
        429,
        "rateLimitExceeded",
        "Rate Limit Exceeded",
    )


def test_a_batch_of_n_counts_as_n(fake: FakeGoogleCalendar) -> None:
    from googleapiclient.http import BatchHttpRequest

    fake.quota.limit = 5
    service = fake.service()
    answers: list[Any] = []
    batch = BatchHttpRequest(
        callback=lambda rid, resp, exc: answers.append(exc), batch_uri=fake.root + "batch/calendar/v3"
    )
    for i in range(7):
        batch.add(service.events().insert(calendarId="primary", body={**BODY, "id": f"abcde{i:05d}"}))
    batch.execute()
    assert [a is None for a in answers] == [True] * 5 + [False] * 2
    assert fake.quota.refused == 2


def test_an_emptied_bin_keeps_the_id_and_refuses_the_restore(fake: FakeGoogleCalendar) -> None:
    events = fake.service().events()
    events.insert(calendarId="primary", body={**BODY, "id": "abcde12345"}).execute()
    for answer in (403, 404, 410):
        fake.calendars["primary"].purged.clear()
        fake.calendars["primary"].events.setdefault("abcde12345", {**BODY, "id": "abcde12345", "status": "confirmed"})
        fake.purge_by_hand("abcde12345", answer)
        assert events.list(calendarId="primary", showDeleted=True).execute()["items"] == []
        assert error_of(events.get(calendarId="primary", eventId="abcde12345"))[0] == 404
        assert error_of(events.insert(calendarId="primary", body={**BODY, "id": "abcde12345"}))[0] == 409
        assert (
            error_of(events.update(calendarId="primary", eventId="abcde12345", body={**BODY, "status": "confirmed"}))[0]
            == answer
        )


def test_a_zone_google_does_not_know_yet_is_refused(fake: FakeGoogleCalendar) -> None:
    fake.refused_zones.add("Europe/Kyiv")
    kyiv = {"dateTime": "2020-07-22T16:00:00+03:00", "timeZone": "Europe/Kyiv"}
    assert error_of(
        fake.service().events().insert(calendarId="primary", body={**BODY, "start": kyiv, "end": kyiv})
    ) == (400, "invalid", "Invalid time zone definition for start time.")
    kiev = {"dateTime": "2020-07-22T16:00:00+03:00", "timeZone": "Europe/Kiev"}
    assert fake.service().events().insert(calendarId="primary", body={**BODY, "start": kiev, "end": kiev}).execute()


def test_service_accounts_cannot_invite(fake: FakeGoogleCalendar) -> None:
    fake.service_account_tokens.add("sa")
    guests = {**BODY, "attendees": [{"email": "kwame@example.org"}]}
    assert (
        error_of(fake.service("sa").events().insert(calendarId="primary", body=guests))[1]
        == "forbiddenForServiceAccounts"
    )
    assert fake.service("x").events().insert(calendarId="primary", body=guests).execute()["attendees"]
    assert (
        error_of(
            fake.service("x")
            .events()
            .insert(calendarId="primary", body={**BODY, "attendees": [{"email": "not an address"}]})
        )[0]
        == 400
    )


def test_scopes_limit_what_a_token_may_do(fake: FakeGoogleCalendar) -> None:
    fake.grant("events-only", "calendar.events")
    fake.grant("app", "calendar.app.created")
    assert error_of(fake.service("events-only").calendars().insert(body={"summary": "GCM8"}))[:2] == (
        403,
        "insufficientPermissions",
    )
    made = fake.service("app").calendars().insert(body={"summary": "GCM8", "timeZone": "Europe/Paris"}).execute()
    assert fake.service("app").events().insert(calendarId=made["id"], body=BODY).execute()
    assert error_of(fake.service("app").events().list(calendarId="primary"))[0] == 403  # not a calendar it made
    assert (
        error_of(
            fake.service("app")
            .acl()
            .insert(calendarId=made["id"], body={"role": "reader", "scope": {"type": "user", "value": "a@example.org"}})
        )[0]
        == 403
    )  # sharing needs calendar.acls


def test_calendars_are_created_and_shared(fake: FakeGoogleCalendar) -> None:
    service = fake.service()
    made = service.calendars().insert(body={"summary": "GCM8", "timeZone": "Europe/Paris"}).execute()
    assert service.calendars().get(calendarId=made["id"]).execute()["timeZone"] == "Europe/Paris"
    rule = (
        service.acl()
        .insert(calendarId=made["id"], body={"role": "reader", "scope": {"type": "user", "value": "a@example.org"}})
        .execute()
    )
    assert rule["id"] == "user:a@example.org"
    service.acl().update(
        calendarId=made["id"], ruleId=rule["id"], body={"role": "writer", "scope": rule["scope"]}
    ).execute()
    assert [r["role"] for r in service.acl().list(calendarId=made["id"]).execute()["items"]] == ["writer"]
    assert error_of(service.calendars().get(calendarId="nobody@example.org"))[0] == 404


def _pkce() -> tuple[str, str]:
    verifier = "v" * 50
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def consent(fake: FakeGoogleCalendar, challenge: str, scope: str) -> dict[str, str]:
    query = urlencode(
        {
            "client_id": "c",
            "redirect_uri": "http://localhost:8765/",
            "response_type": "code",
            "scope": scope,
            "state": "st",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as info:
        opener.open(f"{fake.root}o/oauth2/auth?{query}")
    assert info.value.code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(info.value.headers["Location"]).query).items()}


def exchange(fake: FakeGoogleCalendar, code: str, verifier: str) -> tuple[int, dict[str, Any]]:
    form = urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://localhost:8765/",
            "code_verifier": verifier,
            "client_id": "c",
        }
    ).encode()
    try:
        with urllib.request.urlopen(f"{fake.root}token", data=form) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_oauth_code_is_exchanged_once_with_its_pkce_verifier(fake: FakeGoogleCalendar) -> None:
    verifier, challenge = _pkce()
    events_scope = "https://www.googleapis.com/auth/calendar.events"
    code = consent(fake, challenge, events_scope)["code"]
    assert exchange(fake, code, "wrong" * 10)[1]["error"] == "invalid_grant"
    code = consent(fake, challenge, events_scope)["code"]
    status, token = exchange(fake, code, verifier)
    assert status == 200 and token["scope"] == events_scope and token["refresh_token"]
    assert exchange(fake, code, verifier)[1]["error"] == "invalid_grant"  # used once
    assert fake.service(token["access_token"]).events().list(calendarId="primary").execute()["items"] == []
    fake.oauth.consent = "deny"
    assert consent(fake, challenge, events_scope)["error"] == "access_denied"
    fake.oauth.consent = "allow"
    fake.oauth.grant_only = set()  # the person unticks the calendar checkbox
    code = consent(fake, challenge, events_scope)["code"]
    assert exchange(fake, code, verifier)[1]["scope"] == ""
