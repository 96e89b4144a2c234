"""The planner alone: desired events vs. what the calendar holds -> actions. No backend at all."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta

import pytest

from calsync.backends.base import BLOCK_PROP, HASH_PROP, MEETING_PROP, WRITTEN_PROP, EventContent, RemoteEvent
from calsync.model import Agenda
from calsync.sync.conflicts import Edit, OnConflict
from calsync.sync.plan import ActionKind, content_hash, desired_events, event_id, make_plan
from calsync.sync.words import Change

ZOOM = "https://zoom.us/j/81234567890"


def remote_of(
    content: EventContent,
    *,
    event_id_: str | None = None,
    cancelled: bool = False,
    shift: timedelta = timedelta(0),
    content_hash_: str | None = None,
) -> RemoteEvent:
    """The calendar's copy of ``content`` (optionally deleted, moved by hand, or with another hash)."""
    return RemoteEvent(
        id=event_id_ or event_id(content.meeting_key, content.block_key),
        meeting_key=content.meeting_key,
        block_key=content.block_key,
        content_hash=content.content_hash if content_hash_ is None else content_hash_,
        start=content.start + shift,
        end=content.end + shift,
        summary=content.summary,
        cancelled=cancelled,
        description=content.description,
        location=content.location or "",
    )


@pytest.fixture
def desired(seed_agenda: Agenda) -> list[EventContent]:
    return desired_events(seed_agenda.with_conference_url(ZOOM))


def kinds(plan) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return [(a.kind, a.block_key) for a in plan.actions]


def test_event_id_is_base32hex_32_chars_deterministic_and_per_block() -> None:
    a = event_id("2020-07-22-meeting-abcd", "iii")
    assert re.fullmatch(r"[a-v0-9]{32}", a)
    assert a == event_id("2020-07-22-meeting-abcd", "iii")
    assert a != event_id("2020-07-22-meeting-abcd", "iv")
    assert a != event_id("2020-07-23-meeting-abcd", "iii")
    fresh = event_id("2020-07-22-meeting-abcd", "iii", 2)
    assert fresh.startswith(a) and re.fullmatch(r"[a-v0-9]{5,1024}", fresh) and fresh != a


def test_desired_events_carry_the_blocks_zone_link_and_keys(seed_agenda: Agenda, desired: list[EventContent]) -> None:
    assert [d.block_key for d in desired] == [b.key for b in seed_agenda.blocks]
    assert len({event_id(d.meeting_key, d.block_key) for d in desired}) == 7
    for d, block in zip(desired, seed_agenda.blocks, strict=False):
        assert d.timezone == "Europe/Paris"
        assert d.start == block.start and d.end == block.end
        assert d.start.isoformat().endswith("+02:00")
        assert ZOOM in (d.location or "") and ZOOM in d.description
        assert d.content_hash == content_hash(d)
        props = d.private_properties()
        assert set(props) == {MEETING_PROP, BLOCK_PROP, HASH_PROP, WRITTEN_PROP}
        assert all(len(k) <= 44 for k in props) and all(len(v) <= 1024 for v in props.values())


@pytest.mark.parametrize(
    "change",
    [
        {"summary": "other"},
        {"description": "other"},
        {"location": "Room 2"},
        {"location": None},
        {"timezone": "Europe/Berlin"},
        {"block_key": "x"},
    ],
)
def test_content_hash_covers_every_written_field(desired: list[EventContent], change: dict) -> None:
    base = desired[0]
    assert content_hash(replace(base, **change)) != content_hash(base)


def test_content_hash_covers_times(desired: list[EventContent]) -> None:
    base = desired[0]
    assert content_hash(replace(base, end=base.end + timedelta(minutes=1))) != content_hash(base)


def test_empty_calendar_creates_every_block_with_its_deterministic_id(desired: list[EventContent]) -> None:
    plan = make_plan(desired[0].meeting_key, desired, [])
    assert [a.kind for a in plan.actions] == ["create"] * 7
    assert [a.event_id for a in plan.actions] == [event_id(d.meeting_key, d.block_key) for d in desired]


def test_same_content_plans_nothing(desired: list[EventContent]) -> None:
    plan = make_plan(desired[0].meeting_key, desired, [remote_of(d) for d in desired])
    assert [a.kind for a in plan.actions] == ["unchanged"] * 7
    assert plan.writes == []


def test_moved_block_updates_exactly_that_event_in_place(desired: list[EventContent]) -> None:
    remote = [remote_of(d) for d in desired]
    moved = list(desired)
    moved[2] = replace(moved[2], start=moved[2].start + timedelta(minutes=5), end=moved[2].end + timedelta(minutes=5))
    moved[2] = replace(moved[2], content_hash=content_hash(moved[2]))
    plan = make_plan(desired[0].meeting_key, moved, remote)
    assert [a.kind for a in plan.writes] == ["update"]
    assert plan.writes[0].event_id == remote[2].id
    assert plan.writes[0].remote == remote[2]


def test_event_moved_by_hand_with_same_hash_is_put_back(desired: list[EventContent]) -> None:
    remote = [remote_of(d) for d in desired]
    remote[4] = remote_of(desired[4], shift=timedelta(hours=1))
    plan = make_plan(desired[0].meeting_key, desired, remote)
    assert [(a.kind, a.event_id) for a in plan.writes] == [("update", remote[4].id)]
    assert "calendar" in plan.writes[0].reason


@pytest.mark.parametrize(
    "scenario, expected",
    [
        ("deleted_by_hand", ["restore"]),
        ("block_removed", ["delete"]),
        ("copied_by_hand", ["delete"]),
        ("removed_block_already_deleted", []),
    ],
)
def test_table(desired: list[EventContent], scenario: str, expected: list[str]) -> None:
    meeting = desired[0].meeting_key
    remote = [remote_of(d) for d in desired]
    want = list(desired)
    if scenario == "deleted_by_hand":
        remote[1] = remote_of(desired[1], cancelled=True)
    elif scenario == "block_removed":
        want = want[:-1]
    elif scenario == "copied_by_hand":
        remote.append(remote_of(desired[3], event_id_="copy0000001"))
    elif scenario == "removed_block_already_deleted":
        remote[-1] = remote_of(desired[-1], cancelled=True)
        want = want[:-1]
    plan = make_plan(meeting, want, remote)
    assert [a.kind for a in plan.writes] == expected
    if scenario == "deleted_by_hand":
        assert plan.writes[0].event_id == remote[1].id  # the same id comes back, not a new event
    if scenario == "copied_by_hand":
        assert plan.writes[0].event_id == "copy0000001"  # the deterministic one stays


def test_other_meetings_events_are_never_in_the_plan(desired: list[EventContent]) -> None:
    other = replace(desired[0], meeting_key="2019-01-01-other-12345678")
    stray = remote_of(other, event_id_="otherevent001")
    plan = make_plan(desired[0].meeting_key, desired, [stray])
    assert all(a.event_id != "otherevent001" for a in plan.actions)
    assert "otherevent001" not in plan.taken_ids


def test_cancelled_ids_are_known_so_fresh_ids_avoid_them(desired: list[EventContent]) -> None:
    remote = [remote_of(desired[0], cancelled=True)]
    plan = make_plan(desired[0].meeting_key, desired, remote)
    assert remote[0].id in plan.taken_ids
    assert plan.actions[0].kind == "restore"


def test_plan_data_shows_old_and_new_times(desired: list[EventContent]) -> None:
    remote = [remote_of(d) for d in desired]
    remote[0] = remote_of(desired[0], shift=timedelta(minutes=10))
    data = make_plan(desired[0].meeting_key, desired, remote).to_data()
    assert data["counts"] == {"create": 0, "restore": 0, "update": 1, "delete": 0, "unchanged": 6, "keep": 0}
    first = data["actions"][0]
    assert first["action"] == "update"
    assert first["old"]["start"] == "2020-07-22T16:10:00+02:00"
    assert first["new"]["start"] == "2020-07-22T16:00:00+02:00"


def test_kinds_edits_and_policies_are_enums_that_json_writes_as_the_same_strings(desired: list[EventContent]) -> None:
    """Scripts read these strings from --json: typing them must not change one of them."""
    assert [str(k) for k in ActionKind] == ["create", "restore", "update", "delete", "unchanged", "keep"]
    assert [str(e) for e in Edit] == ["time", "title", "description", "location", "deleted"]
    assert [str(p) for p in OnConflict] == ["agenda", "calendar", "stop"]
    assert [str(c) for c in Change] == ["time", "title", "link", "location", "description", "guests"]
    key = desired[0].meeting_key
    remote = [remote_of(d) for d in desired[:-1]]  # the last block is new
    remote[0] = remote_of(desired[0], shift=timedelta(minutes=10))  # moved by hand, no record of what was written
    remote[1] = remote_of(desired[1], cancelled=True)  # deleted by hand
    gone = remote_of(replace(desired[2], block_key="gone", summary="Gone", start=desired[2].start - timedelta(days=9)))
    plan = make_plan(key, desired, [*remote, gone])
    assert all(type(a.kind) is ActionKind for a in plan.actions)
    data = json.loads(json.dumps(plan.to_data()))
    assert data["counts"] == {"create": 1, "restore": 1, "update": 1, "delete": 1, "unchanged": 4, "keep": 0}
    assert [(a["action"], a["conflict"]) for a in data["actions"][:3]] == [
        ("update", ["time"]),
        ("restore", ["deleted"]),
        ("unchanged", []),
    ]
    kept = make_plan(key, desired, [*remote, gone], on_conflict="calendar")  # the CLI passes the string
    assert json.loads(json.dumps(kept.to_data()))["counts"]["keep"] == 2
    with pytest.raises(ValueError, match="on_conflict must be one of agenda, calendar, stop, not 'later'"):
        make_plan(key, desired, remote, on_conflict="later")


@pytest.mark.parametrize(
    "field, value", [("summary", "HACKED"), ("description", "gone"), ("location", "nowhere"), ("location", "")]
)
def test_text_edited_in_the_calendar_is_rewritten(desired: list[EventContent], field: str, value: str) -> None:
    """Google keeps the private properties (so the hash) when someone edits an event: the listed text is compared."""
    remote = [remote_of(d) for d in desired]
    remote[3] = replace(remote[3], **{field: value})
    plan = make_plan(desired[0].meeting_key, desired, remote)
    assert [(a.kind, a.event_id, a.reason) for a in plan.writes] == [("update", remote[3].id, "edited in the calendar")]


def test_missing_text_fields_equal_empty_ones(seed_agenda: Agenda) -> None:
    """Google omits an empty location: an agenda without one must not be rewritten on every push."""
    desired = [replace(d, location=None) for d in desired_events(seed_agenda)]
    desired = [replace(d, content_hash=content_hash(d)) for d in desired]
    plan = make_plan(desired[0].meeting_key, desired, [replace(remote_of(d), location="") for d in desired])
    assert plan.writes == []


@pytest.mark.parametrize(
    "location, url, expected",
    [
        ("Zoom", ZOOM, ZOOM),  # online only: the link itself, so one click joins
        ("Zoom, lien à confirmer", ZOOM, ZOOM),
        ("Palais des Nations, Geneva", ZOOM, "Palais des Nations, Geneva"),  # hybrid: the room stays
        ("Palais des Nations, Geneva", None, "Palais des Nations, Geneva"),  # in person
        ("Zoom", None, "Zoom"),  # the link has not arrived yet
        (None, ZOOM, ZOOM),
    ],
)
def test_calendar_location(seed_agenda: Agenda, location: str | None, url: str | None, expected: str) -> None:
    agenda = replace(seed_agenda, location=location, conference_url=url)
    assert {d.location for d in desired_events(agenda)} == {expected}


def test_hybrid_description_leads_with_the_link_and_the_ics_is_unchanged(seed_agenda: Agenda) -> None:
    from calsync.details import event_descriptions, event_location

    hybrid = replace(seed_agenda, location="Palais des Nations, Geneva").with_conference_url(ZOOM)
    first = [d.description.split("\n\n")[0] for d in desired_events(hybrid)]
    assert first == [f"Join (Zoom): {ZOOM}"] * 7
    assert event_location(hybrid) == f"Palais des Nations, Geneva · Zoom: {ZOOM}"  # the .ics keeps both
    online = seed_agenda.with_conference_url(ZOOM)
    assert event_descriptions(hybrid, ()) == event_descriptions(online, ())  # join line where it always was
    assert [d.description for d in desired_events(online)] == list(event_descriptions(online, ()).values())


def test_replaced_meeting_events_are_adopted_by_block_or_deleted(desired: list[EventContent]) -> None:
    old_key = "2020-07-21-before-edit-0000"
    former = [remote_of(replace(d, meeting_key=old_key)) for d in desired]
    former[5] = replace(former[5], cancelled=True)  # deleted in the calendar: not adopted, nothing to delete
    stray = remote_of(replace(desired[0], meeting_key=old_key, block_key="gone"))
    own = remote_of(desired[1])  # the block already has its own live event: the former one is deleted
    plan = make_plan(desired[0].meeting_key, desired, [own], [*former, stray])
    by_block = {(a.kind, a.block_key): a for a in plan.actions}
    for i in (0, 2, 3, 4, 6):
        action = by_block[("update", desired[i].block_key)]
        assert action.event_id == former[i].id and action.reason == f"adopted from meeting {old_key}"
    assert by_block[("unchanged", desired[1].block_key)].event_id == own.id
    assert by_block[("create", desired[5].block_key)].event_id == event_id(desired[5].meeting_key, desired[5].block_key)
    deleted = sorted(a.event_id for a in plan.actions if a.kind == "delete")
    assert deleted == sorted([former[1].id, stray.id])
    assert plan.counts() == {"create": 1, "restore": 0, "update": 5, "delete": 2, "unchanged": 1, "keep": 0}


@pytest.mark.parametrize(
    "listed, reason",
    [
        (None, None),  # a backend that does not list guests: never a reason to write
        (("kwame@example.org", "ana@example.org", "chair@example.org"), None),  # everyone there (and one added by hand)
        (("KWAME@example.org",), "guests to invite"),  # ana missing; addresses compare without case
        ((), "guests to invite"),
    ],
)
def test_missing_guests_are_a_reason_to_update(
    seed_agenda: Agenda, listed: tuple[str, ...] | None, reason: str | None
) -> None:
    from calsync.sync import EventOptions

    desired = desired_events(seed_agenda, (), EventOptions(invitees=("kwame@example.org", "ana@example.org")))
    remote = [replace(remote_of(d), attendees=listed) for d in desired]
    plan = make_plan(desired[0].meeting_key, desired, remote)
    assert {a.reason or None for a in plan.actions} == {reason}


def test_options_change_the_hash_only_when_used(seed_agenda: Agenda) -> None:
    from calsync.sync import EventOptions

    plain = desired_events(seed_agenda)
    assert [d.content_hash for d in desired_events(seed_agenda, (), EventOptions(invitees=("a@example.org",)))] == [
        d.content_hash for d in plain
    ]  # guests are compared one by one, not hashed
    alarmed = desired_events(seed_agenda, (), EventOptions(alarm_minutes=10))
    assert all(a.content_hash != p.content_hash for a, p in zip(alarmed, plain, strict=True))
    whole = desired_events(seed_agenda, (), EventOptions(meeting_event=True, alarm_minutes=10))
    assert whole[0].block_key == "_meeting" and whole[0].reminders == (10,)
    assert all(d.transparent and d.reminders is None for d in whole[1:])


def test_replaced_meetings_event_is_adopted_by_its_key(seed_agenda: Agenda) -> None:
    from calsync.sync.plan import MEETING_BLOCK_KEY, EventOptions

    old_desired = desired_events(seed_agenda, options=EventOptions(meeting_event=True))
    former = [remote_of(d) for d in old_desired]
    renamed = replace(seed_agenda, key="2020-07-22-renamed-0000", title="Renamed")
    plan = make_plan(renamed.key, desired_events(renamed, options=EventOptions(meeting_event=True)), [], former)
    meeting = [a for a in plan.actions if a.block_key == MEETING_BLOCK_KEY]
    assert [(a.kind, a.event_id) for a in meeting] == [("update", former[0].id)]
    assert plan.counts()["delete"] == 0 and plan.counts()["create"] == 0


@pytest.mark.parametrize(
    "stored",
    [
        "{d}",  # as written
        "{d}".replace(" ", ";"),  # other separators
        "{d}".replace("=", "=").replace(" ", "\\; "),  # as an iCalendar X- property may come back, escaped
    ],
)
def test_written_digests_read_back_through_a_calendars_escaping(desired: list[EventContent], stored: str) -> None:
    from calsync.sync.conflicts import edited_fields

    want = desired[0]
    remote = replace(remote_of(want), written=stored.format(d=want.written))
    assert edited_fields(remote) == frozenset()
    assert edited_fields(replace(remote, summary="Edited")) == frozenset({"title"})
    assert edited_fields(replace(remote, written=None)) is None
