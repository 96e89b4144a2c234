"""``calsync push`` end to end: the real CLI, the real Google client, the fake server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from cli_run import one_error_line, run
from fake_google import FakeGoogleCalendar, fault, private_props

ZOOM = "https://zoom.us/j/81234567890"
ROOT = Path(__file__).resolve().parent.parent


def test_built_in_example_pushed_in_two_round_trips_then_nothing(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    result = run(["push", "--zoom-url", ZOOM, "-q"], env)
    assert result.exit_code == 0, result.stderr
    key = private_props(fake.events()[0])["calsyncMeeting"]
    *said, last = result.stdout.strip().splitlines()
    assert last == f"primary: 7 created, 0 updated, 0 deleted, 0 unchanged (meeting {key})"
    assert said[0] == "created   I. Accueil par la présidence — new block, 2020-07-22 16:00–16:08" and len(said) == 7
    assert fake.round_trips == 2
    events = fake.events()
    assert len(events) == 7 and all(ZOOM in e["location"] for e in events)
    fake.reset_counters()
    again = run(["push", "--zoom-url", ZOOM, "-q"], env)
    assert again.stdout.strip() == f"primary: 0 created, 0 updated, 0 deleted, 7 unchanged (meeting {key})"  # no words
    assert fake.round_trips == 1 and fake.writes == 0


def test_dry_run_prints_the_plan_with_old_and_new_times_and_changes_nothing(
    fake: FakeGoogleCalendar, env: dict[str, str], tmp_path: Path
) -> None:
    seed = ROOT / "tests" / "data" / "seed.hand.json"
    assert run(["push", str(seed), "-q"], env).exit_code == 0
    data = json.loads(seed.read_text(encoding="utf-8"))
    data["blocks"][2]["start"] = "2020-07-22T16:20:00+02:00"
    data["blocks"][2]["end"] = "2020-07-22T16:50:00+02:00"
    del data["blocks"][6]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    fake.reset_counters()
    result = run(["push", str(edited), "--dry-run", "-q"], env)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    update = [line for line in lines if line.startswith("update")]
    assert len(update) == 1 and "2020-07-22 16:15–16:50 → 2020-07-22 16:20–16:50" in update[0]
    assert len([line for line in lines if line.startswith("delete")]) == 1
    assert len([line for line in lines if line.startswith("unchanged")]) == 5
    assert lines[-1] == "dry run, nothing changed: 0 to create, 1 to update, 1 to delete, 5 unchanged"
    assert fake.writes == 0 and fake.round_trips == 1


def test_json_summary(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    seed = str(ROOT / "tests" / "data" / "seed.hand.json")
    result = run(["push", seed, "--json", "-q"], env)
    data = json.loads(result.stdout)
    assert (data["created"], data["updated"], data["deleted"], data["unchanged"]) == (7, 0, 0, 0)
    assert data["calendar"] == "primary" and len(data["events"]) == 7
    plan = json.loads(run(["push", seed, "--json", "--dry-run", "-q", "--zoom-url", ZOOM], env).stdout)
    assert plan["dry_run"] is True and [a["action"] for a in plan["actions"]] == ["update"] * 7


def test_calendar_option_and_notify(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    fake.add_calendar("team@group.calendar.google.com")
    result = run(["push", "--calendar", "team@group.calendar.google.com", "--notify", "-q"], env)
    assert result.exit_code == 0, result.stderr
    assert len(fake.events("team@group.calendar.google.com")) == 7 and fake.events() == []
    assert all("sendUpdates=all" in t for t in fake.targets if t.startswith("POST"))


def test_quota_exceeded_is_one_line_with_exit_75(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    fake.fail_parts(None, None, fault(403, "quotaExceeded"))
    result = run(["push", "-q"], env)
    assert result.exit_code == 75
    line = one_error_line(result)
    assert line.startswith("calsync: error: Google Calendar usage limits exceeded (quotaExceeded)")
    fake.clear_faults()
    assert (
        run(["push", "-q"], env)
        .stdout.splitlines()[-1]
        .startswith("primary: 1 created, 0 updated, 0 deleted, 6 unchanged")
    )
    assert Counter(private_props(e)["calsyncBlock"] for e in fake.events()).most_common(1)[0][1] == 1


def test_401_asks_for_calsync_auth(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    fake.token = "another"
    result = run(["push", "-q"], env)
    assert result.exit_code == 77 and "run 'calsync auth'" in one_error_line(result)


def test_missing_and_read_only_calendars(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    result = run(["push", "--calendar", "nope@example.com", "-q"], env)
    assert result.exit_code == 69 and "'nope@example.com' does not exist" in one_error_line(result)
    fake.add_calendar("ro@example.com", read_only=True)
    result = run(["push", "--calendar", "ro@example.com", "-q"], env)
    assert result.exit_code == 69 and "not writable" in one_error_line(result)


def test_not_signed_in(env: dict[str, str]) -> None:
    del env["GOOGLE_OAUTH_ACCESS_TOKEN"]
    result = run(["push", "-q"], {**env, "GOOGLE_OAUTH_ACCESS_TOKEN": ""})
    assert result.exit_code == 77 and "not signed in to Google" in one_error_line(result)


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--zoom-url", "zoom.us/j/1"], "is not a web link"),
        (["--api-endpoint", "127.0.0.1:9"], "is not an http(s) URL"),
        (["--calendar", " "], "--calendar is empty"),
    ],
)
def test_bad_options(env: dict[str, str], args: list[str], needle: str) -> None:
    result = run(["push", *args, "-q"], env)
    assert result.exit_code == 2 and needle in one_error_line(result)


def test_ics_never_imports_googles_client() -> None:
    code = (
        "import sys, calsync.cli, calsync.sync, calsync.backends;"
        "print(sorted(m for m in sys.modules if m.startswith(('googleapiclient', 'google_auth_oauthlib'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_only_the_google_backend_imports_googleapiclient() -> None:
    import ast

    offenders = []
    for path in (ROOT / "calsync").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.startswith("googleapiclient") for n in names):
                offenders.append(path.relative_to(ROOT).as_posix())
    assert set(offenders) == {"calsync/backends/google.py"}


def test_meeting_key_keeps_a_retitled_and_rescheduled_meeting_in_place(
    fake: FakeGoogleCalendar, env: dict[str, str], tmp_path: Path
) -> None:
    """Without a pinned key a new title or day is a new meeting; --meeting-key keeps updating the same events."""
    source = (ROOT / "calsync" / "examples" / "alliance87-gcm8-2020-07-22.fr.md").read_text(encoding="utf-8")
    assert run(["push", "--meeting-key", "gcm8", "-q"], env).exit_code == 0
    ids = sorted(e["id"] for e in fake.events())
    edited = tmp_path / "gcm8-v2.md"
    edited.write_text(source.replace("# 8e réunion du groupe", "# Huitième réunion du groupe"), encoding="utf-8")
    result = run(["push", str(edited), "--meeting-key", "gcm8", "--date", "2020-07-23", "-q"], env)
    assert result.stdout.splitlines()[-1] == "primary: 0 created, 7 updated, 0 deleted, 0 unchanged (meeting gcm8)"
    assert sorted(e["id"] for e in fake.events()) == ids


def test_bad_meeting_key_is_refused_before_anything_is_sent(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    result = run(["push", "--meeting-key", "Not A Key"], env)
    assert result.exit_code == 2 and "--meeting-key" in result.stderr and fake.round_trips == 0


def test_dry_run_and_summary_name_the_meeting_key(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    dry = run(["push", "--dry-run", "-q"], env)
    assert dry.exit_code == 0, dry.stderr
    first = dry.stdout.splitlines()[0]
    key = json.loads(run(["push", "--dry-run", "--json", "-q"], env).stdout)["meeting"]
    assert first == f"meeting {key} on primary"
    done = run(["push", "-q"], env)
    assert done.stdout.strip().endswith(f"(meeting {key})")
    assert {private_props(e)["calsyncMeeting"] for e in fake.events()} == {key}


def test_replace_adopts_the_events_of_the_meeting_before_its_title_changed(
    fake: FakeGoogleCalendar, env: dict[str, str], tmp_path: Path
) -> None:
    """Retitling changes the derived key; --replace OLD updates OLD's events in place instead of adding 7 more."""
    seed = json.loads((ROOT / "tests" / "data" / "seed.hand.json").read_text(encoding="utf-8"))
    seed.pop("key", None)
    first = tmp_path / "v1.json"
    first.write_text(json.dumps(seed), encoding="utf-8")
    assert run(["push", str(first), "-q"], env).exit_code == 0
    old_key = private_props(fake.events()[0])["calsyncMeeting"]
    ids = sorted(e["id"] for e in fake.events())
    seed["title"] += " (révisé)"
    second = tmp_path / "v2.json"
    second.write_text(json.dumps(seed), encoding="utf-8")
    dry = run(["push", str(second), "--replace", old_key, "--dry-run", "-q"], env)
    assert dry.exit_code == 0, dry.stderr
    assert sum(f"moved over from meeting {old_key}" in line for line in dry.stdout.splitlines()) == 7
    result = run(["push", str(second), "--replace", old_key, "-q"], env)
    assert result.exit_code == 0, result.stderr
    new_key = json.loads(run(["push", str(second), "--json", "--dry-run", "-q"], env).stdout)["meeting"]
    assert new_key != old_key
    assert result.stdout.splitlines()[-1].startswith("primary: 0 created, 7 updated, 0 deleted, 0 unchanged")
    assert sorted(e["id"] for e in fake.events()) == ids
    assert {private_props(e)["calsyncMeeting"] for e in fake.events()} == {new_key}


def test_replace_refuses_a_malformed_key(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    result = run(["push", "--replace", "Not A Key", "-q"], env)
    assert result.exit_code == 2 and "is not a meeting key" in result.stderr and fake.round_trips == 0


def test_lang_writes_the_events_text_in_that_language(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    result = run(["push", "-q", "--lang", "de", "--tz", "Ghana"], env)
    assert result.exit_code == 0, result.stderr
    description = fake.events()[0]["description"]
    assert "Zoom-Link folgt noch" in description and "Ortszeiten:\nMitteleuropäische Sommerzeit" in description
