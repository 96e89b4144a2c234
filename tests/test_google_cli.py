"""``calsync push`` for organisers, end to end (the real CLI, the real Google client, the fake server): invitations,
reminders, the meeting event, a calendar made and shared for the meeting, least-privilege scopes, and the service
account refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_run import run
from fake_google import FakeGoogleCalendar, private_props

ZOOM = "https://zoom.us/j/81234567890"
SEED = str(Path(__file__).parent / "data" / "seed.hand.json")


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(
        "name,email,country\nKwame Mensah,Kwame@Example.org,Ghana\nAna Pérez,ana@example.org,Bogotá\nLi Wei,,China\n",
        encoding="utf-8",
    )
    return path


def error_line(result: Any) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("calsync: error")]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_invite_alarm_and_meeting_event_end_to_end(fake: FakeGoogleCalendar, env: dict[str, str], people: Path) -> None:
    args = ["push", SEED, "-q", "--participants", str(people), "--invite", "--alarm", "15", "--meeting-event"]
    result = run(args, env)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("primary: 8 created")
    whole = [e for e in fake.events() if private_props(e)["calsyncBlock"] == "_meeting"]
    assert [a["email"] for a in whole[0]["attendees"]] == ["kwame@example.org", "ana@example.org"]
    assert whole[0]["reminders"]["overrides"] == [{"method": "popup", "minutes": 15}]
    assert len(fake.notified) == 1  # one invitation per guest, for the meeting event
    fake.reset_counters()
    again = run(args, env)
    assert "0 created, 0 updated, 0 deleted, 8 unchanged" in again.stdout and fake.writes == 0 and fake.notified == []


def test_invite_on_every_block_without_a_meeting_event(
    fake: FakeGoogleCalendar, env: dict[str, str], people: Path
) -> None:
    result = run(["push", SEED, "-q", "--participants", str(people), "--invite"], env)
    assert result.exit_code == 0, result.output
    assert all(len(e["attendees"]) == 2 for e in fake.events()) and len(fake.notified) == 7


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--invite"], "--invite needs --participants FILE"),
        (["--alarm", "-5"], "--alarm -5 is not between 0 and 10080"),
        (["--share", "ana@example.org"], "--share needs --create-calendar NAME"),
        (["--create-calendar", "GCM8", "--share", "not-an-address"], "is not EMAIL or EMAIL=writer"),
        (["--create-calendar", "GCM8", "--share", "a@example.org=owner"], "is not EMAIL or EMAIL=writer"),
        (["--create-calendar", "GCM8", "--calendar", "team@example.org"], "either --calendar or --create-calendar"),
        (["--create-calendar", " "], "--create-calendar is empty"),
    ],
)
def test_bad_organiser_options_are_refused_before_anything_is_sent(
    fake: FakeGoogleCalendar, env: dict[str, str], args: list[str], needle: str
) -> None:
    result = run(["push", SEED, "-q", *args], env)
    assert result.exit_code == 2 and needle in error_line(result)
    assert fake.round_trips == 0


def test_a_bad_address_in_the_participants_file_is_named(
    fake: FakeGoogleCalendar, env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,country\nKwame,kwame at example.org,Ghana\n", encoding="utf-8")
    result = run(["push", SEED, "-q", "--participants", str(bad), "--invite"], env)
    assert result.exit_code == 2 and "'kwame at example.org'" in error_line(result) and fake.round_trips == 0
    none = tmp_path / "none.csv"
    none.write_text("name,country\nKwame,Ghana\n", encoding="utf-8")
    result = run(["push", SEED, "-q", "--participants", str(none), "--invite"], env)
    assert result.exit_code == 2 and "has no e-mail addresses" in error_line(result)


# -- a calendar of the meeting's own, shared ---------------------------------------------------------------------------


def test_create_calendar_and_share_it_then_reuse_it(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    fake.grant("x", "calendar.events", "calendar.app.created", "calendar.acls")
    args = [
        "push",
        SEED,
        "-q",
        "--zoom-url",
        ZOOM,
        "--create-calendar",
        "GCM 8",
        "--share",
        "ana@example.org",
        "--share",
        "kwame@example.org=writer",
        "--json",
    ]
    dry = run([*args, "--dry-run"], env)
    assert dry.exit_code == 0, dry.output
    assert "would make the calendar 'GCM 8'" in dry.stderr
    data = json.loads(dry.stdout)
    assert data["calendar"] == "new calendar 'GCM 8'" and data["created"] == 7 and len(fake.calendars) == 1
    result = run(args, env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    made = fake.calendars[data["calendar"]]
    assert data["created_calendar"] is True and made.summary == "GCM 8" and made.time_zone == "Europe/Paris"
    assert {r["id"]: r["role"] for r in made.acl.values()} == {
        "user:ana@example.org": "reader",
        "user:kwame@example.org": "writer",
    }
    assert len(made.events) == 7 and fake.events() == []  # nothing on the primary calendar
    fake.reset_counters()
    again = json.loads(run(args, env).stdout)
    assert again["calendar"] == data["calendar"] and again["created_calendar"] is False and again["shared"] == []
    assert again["unchanged"] == 7 and fake.writes == 0 and "calendars.insert" not in fake.calls
    assert len(fake.calendars) == 2


def test_creating_a_calendar_with_an_events_only_token_asks_for_the_wider_sign_in(
    fake: FakeGoogleCalendar, env: dict[str, str]
) -> None:
    fake.grant("x", "calendar.events")
    result = run(["push", SEED, "-q", "--create-calendar", "GCM 8"], env)
    assert result.exit_code == 77
    assert "calsync auth --create-calendars" in error_line(result) and len(fake.calendars) == 1


def test_sharing_with_a_token_that_may_only_create_asks_for_share_calendars(
    fake: FakeGoogleCalendar, env: dict[str, str]
) -> None:
    fake.grant("x", "calendar.events", "calendar.app.created")
    result = run(["push", SEED, "-q", "--create-calendar", "GCM 8", "--share", "ana@example.org"], env)
    assert result.exit_code == 77 and "--share-calendars" in error_line(result)


def test_a_saved_sign_in_without_the_scope_is_refused_before_anything_is_sent(
    fake: FakeGoogleCalendar, env: dict[str, str], tmp_path: Path
) -> None:
    token = tmp_path / "calsync" / "token.json"
    token.parent.mkdir(parents=True)
    token.write_text(
        json.dumps(
            {
                "token": "t",
                "refresh_token": "r",
                "client_id": "c",
                "client_secret": "s",
                "scopes": ["https://www.googleapis.com/auth/calendar.events"],
            }
        ),
        encoding="utf-8",
    )
    result = run(["push", SEED, "-q", "--create-calendar", "GCM 8"], {**env, "GOOGLE_OAUTH_ACCESS_TOKEN": ""})
    assert result.exit_code == 77
    assert "does not allow calsync to make calendars" in error_line(result)
    assert "calsync auth --create-calendars" in error_line(result) and fake.round_trips == 0


# -- service accounts ---------------------------------------------------------------------------------------------


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )
    path = tmp_path / "sa.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "client_email": "calsync@p.iam.gserviceaccount.com",
                "private_key": pem,
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    )
    return path


@pytest.mark.parametrize(
    "args, needle",
    [
        (
            [],
            "writes to the service account's own 'primary' calendar, which no person sees; share a calendar with "
            "calsync@p.iam.gserviceaccount.com",
        ),
        (["--calendar", "team@example.org", "--participants", "PEOPLE", "--invite"], "cannot invite guests"),
        (["--create-calendar", "GCM 8"], "seen by no one until it is shared"),
    ],
)
def test_service_account_pushes_no_person_would_see_are_refused(
    fake: FakeGoogleCalendar, env: dict[str, str], key_file: Path, people: Path, args: list[str], needle: str
) -> None:
    args = [str(people) if a == "PEOPLE" else a for a in args]
    result = run(["push", SEED, "-q", "--service-account", str(key_file), *args], env)
    assert result.exit_code == 2 and needle in error_line(result)
    assert fake.round_trips == 0
