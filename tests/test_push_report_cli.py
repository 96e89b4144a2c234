"""``calsync push`` says what it did: each change in words (and in --json), edits made in the calendar named and
handled per --on-conflict, --replace checked against the calendar. The real CLI, the real client, the fake server."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cli_run import edited_example, run
from fake_google import FakeGoogleCalendar


def version_two(tmp_path: Path) -> Path:
    """The example after the organiser's edits: VI renumbered VII, V reworded, IV starts 5 minutes later."""
    return edited_example(
        tmp_path,
        **{
            "VI. Remarques finales": "VII. Remarques finales",
            "Echange entre les membres du GCM": "Échange ouvert entre les membres",
            "16h50 – 17h00 IV.": "16h55 – 17h00 IV.",
        },
    )


def move_by_hand(fake: FakeGoogleCalendar, title_start: str, minutes: int) -> str:
    ev = next(e for e in fake.events() if e["summary"].startswith(title_start))
    fake.edit_by_hand(
        ev["id"],
        {
            side: {"dateTime": (datetime.fromisoformat(ev[side]["dateTime"]) + timedelta(minutes=minutes)).isoformat()}
            for side in ("start", "end")
        },
    )
    return ev["id"]


def test_the_push_lists_each_change_in_words(fake: FakeGoogleCalendar, env: dict[str, str], tmp_path: Path) -> None:
    assert run(["push", "-q"], env).exit_code == 0
    ids = sorted(e["id"] for e in fake.events())
    result = run(["push", str(version_two(tmp_path)), "-q"], env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "updated   IV. Experience / good practice from other pathfinder countries — moved 2020-07-22 16:50–17:00 → "
        "2020-07-22 16:55–17:00",
        "updated   V. Échange ouvert entre les membres — retitled (was 'V. Echange entre les membres du GCM')",
        "updated   VII. Remarques finales et prochaines étapes (Présidence) — renumbered (was 'VI. Remarques finales "
        "et prochaines étapes (Présidence)')",
        "primary: 0 created, 3 updated, 0 deleted, 4 unchanged (meeting 2020-07-22-8e-reunion-du-groupe-de-c12dc34c)",
    ]
    assert sorted(e["id"] for e in fake.events()) == ids  # the same seven events


def test_json_carries_each_change(fake: FakeGoogleCalendar, env: dict[str, str], tmp_path: Path) -> None:
    run(["push", "-q"], env)
    data = json.loads(
        run(["push", str(version_two(tmp_path)), "-q", "--json", "--zoom-url", "https://zoom.us/j/7"], env).stdout
    )
    by_block = {c["block"]: c for c in data["changes"]}
    assert len(data["changes"]) == 7 and data["updated"] == 7
    four = by_block["experience-good-practice-from-other-path"]
    assert four["words"] == "moved 2020-07-22 16:50–17:00 → 2020-07-22 16:55–17:00; join link added"
    assert four["changes"][0] == {"field": "time", "old": "2020-07-22 16:50–17:00", "new": "2020-07-22 16:55–17:00"}
    assert four["changes"][1] == {"field": "link", "old": None, "new": ["https://zoom.us/j/7"]}
    # the agenda's key finds the event whose identity it took over
    assert (
        data["events"]["echange-ouvert-entre-les-membres"] == by_block["echange-entre-les-membres-du-gcm"]["event_id"]
    )


@pytest.mark.parametrize(
    "policy, start, words",
    [
        ("agenda", "16:15", "the agenda's version put back (--on-conflict agenda)"),
        ("calendar", "16:35", "left as it is (--on-conflict calendar)"),
    ],
)
def test_a_hand_moved_event_is_named_and_handled(
    fake: FakeGoogleCalendar, env: dict[str, str], policy: str, start: str, words: str
) -> None:
    run(["push", "-q"], env)
    victim = move_by_hand(fake, "III.", 20)
    result = run(["push", "-q", "--on-conflict", policy], env)
    assert result.exit_code == 0, result.stderr
    said = result.stdout.splitlines()
    assert said[0].startswith("III. Mobilisation", 10)
    assert "edited in the calendar since calsync last wrote it (moved to 2020-07-22 16:35–17:10)" in said[0]
    assert said[0].endswith(words)
    assert fake.calendars["primary"].events[victim]["start"]["dateTime"].startswith(f"2020-07-22T{start}")


def test_on_conflict_stop_exits_1_names_the_events_and_writes_nothing(
    fake: FakeGoogleCalendar, env: dict[str, str]
) -> None:
    run(["push", "-q"], env)
    move_by_hand(fake, "III.", 20)
    fake.reset_counters()
    result = run(["push", "-q", "--on-conflict", "stop", "--zoom-url", "https://zoom.us/j/7"], env)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(
        "calsync: error: 1 event was edited in the calendar since calsync last wrote it: "
        "\"III. Mobilisation des nouveaux pays pionniers — 8e réunion du groupe … de l'Alliance "
        '8.7" (time); nothing was written'
    )
    assert "--on-conflict calendar" in line and fake.writes == 0


def test_on_conflict_refuses_an_unknown_policy(env: dict[str, str]) -> None:
    result = run(["push", "--on-conflict", "mine"], env)
    assert result.exit_code == 2 and "--on-conflict" in result.stderr


def test_replace_an_unknown_key_is_refused_before_anything_is_written(
    fake: FakeGoogleCalendar, env: dict[str, str]
) -> None:
    run(["push", "-q"], env)
    fake.reset_counters()
    result = run(["push", "-q", "--meeting-key", "gcm8", "--replace", "2020-07-22-not-this-one"], env)
    assert result.exit_code == 2 and fake.writes == 0
    assert result.stderr.strip() == (
        "calsync: error: --replace 2020-07-22-not-this-one: the calendar holds no event of meeting "
        "2020-07-22-not-this-one; give the key an earlier push printed ('calsync push --dry-run' shows this push's), "
        "or leave --replace out"
    )


def test_replace_lists_what_moves_over(fake: FakeGoogleCalendar, env: dict[str, str]) -> None:
    run(["push", "-q"], env)
    old = json.loads(run(["push", "--dry-run", "--json", "-q"], env).stdout)["meeting"]
    dry = run(["push", "-q", "--meeting-key", "gcm8", "--replace", old, "--dry-run"], env)
    moving = [line for line in dry.stdout.splitlines() if f"moved over from meeting {old}" in line]
    assert len(moving) == 7 and moving[0].startswith("update    I. Accueil par la présidence")
    done = run(["push", "-q", "--meeting-key", "gcm8", "--replace", old], env)
    assert sum(f"moved over from meeting {old}" in line for line in done.stdout.splitlines()) == 7
    assert len(fake.events()) == 7
