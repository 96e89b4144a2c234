"""Pushing agendas: one scenario class run against the memory backend and against the fake Google server (through
the real google-api-python-client)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, timedelta
from typing import Any

import pytest
from fake_google import FakeGoogleCalendar, private_props
from fake_google_fixtures import connect

from calsync.backends.base import (
    Call,
    DuplicateIdError,
    EventGoneError,
    Insert,
    Outcome,
    Progress,
    RemoteEvent,
    Update,
)
from calsync.backends.memory import MemoryCalendar
from calsync.errors import BackendError, VerificationError
from calsync.model import Agenda, Block
from calsync.schema import agenda_from_data
from calsync.sync import apply, event_id, make_plan, push
from calsync.sync.plan import desired_events

ZOOM = "https://zoom.us/j/81234567890"


# -- agenda edits (also used by the property test) ---------------------------------------------------------------------


def move_block(agenda: Agenda, index: int, minutes: int) -> Agenda:
    b = agenda.blocks[index]
    moved = replace(b, start=b.start + timedelta(minutes=minutes), end=b.end + timedelta(minutes=minutes))
    return replace(agenda, blocks=agenda.blocks[:index] + (moved,) + agenda.blocks[index + 1 :])


def retitle_block(agenda: Agenda, index: int, title: str) -> Agenda:
    b = agenda.blocks[index]
    return replace(agenda, blocks=agenda.blocks[:index] + (replace(b, title=title),) + agenda.blocks[index + 1 :])


def remove_block(agenda: Agenda, index: int) -> Agenda:
    return replace(agenda, blocks=agenda.blocks[:index] + agenda.blocks[index + 1 :])


def add_block(agenda: Agenda, key: str, minutes_after_end: int = 0, length: int = 15) -> Agenda:
    start = agenda.end + timedelta(minutes=minutes_after_end)
    block = Block(key=key, title=f"Added {key}", start=start, end=start + timedelta(minutes=length))
    return replace(agenda, blocks=agenda.blocks + (block,))


# -- the two backends behind one harness -------------------------------------------------------------------------------


class MemoryHarness:
    name = "memory"

    def __init__(self) -> None:
        self.backend = MemoryCalendar()

    def live(self, meeting_key: str) -> list[tuple[str, str, Any, Any]]:
        return sorted(
            (e.id, e.content.block_key, e.content.start, e.content.end)
            for e in self.backend.live()
            if e.content is not None and e.content.meeting_key == meeting_key
        )

    def writes(self) -> int:
        return len(self.backend.calls)

    def delete_by_hand(self, event_id_: str) -> None:
        self.backend.events[event_id_].cancelled = True

    def add_foreign(self) -> str:
        return self.backend.add_foreign("Dentist")

    def snapshot(self, event_id_: str) -> Any:
        e = self.backend.events[event_id_]
        return (e.content, e.summary, e.cancelled)

    def forbid_restore(self) -> None:
        self.backend.restore_forbidden = True

    def summary_of(self, event_id_: str) -> str:
        return self.backend.events[event_id_].summary

    def retitle_by_hand(self, event_id_: str, title: str) -> None:
        self.backend.events[event_id_].summary = title  # the private keys (and hash) stay, as in Google

    def refuse_next_write(self) -> None:
        from calsync.backends.base import ForbiddenError

        self.backend.faults = [ForbiddenError("Google refused this change (forbidden)")]


class GoogleHarness:
    name = "google"

    def __init__(self, fake: FakeGoogleCalendar) -> None:
        self.fake = fake
        self.backend = connect(fake, sleep=lambda s: None)

    def live(self, meeting_key: str) -> list[tuple[str, str, Any, Any]]:
        from datetime import datetime

        return sorted(
            (
                e["id"],
                private_props(e).get("calsyncBlock"),
                datetime.fromisoformat(e["start"]["dateTime"]),
                datetime.fromisoformat(e["end"]["dateTime"]),
            )
            for e in self.fake.events()
            if private_props(e).get("calsyncMeeting") == meeting_key
        )

    def writes(self) -> int:
        return self.fake.writes

    def delete_by_hand(self, event_id_: str) -> None:
        self.fake.delete_by_hand(event_id_)

    def add_foreign(self) -> str:
        return self.fake.put_event(
            {
                "summary": "Dentist",
                "start": {"dateTime": "2020-07-22T16:00:00+02:00"},
                "end": {"dateTime": "2020-07-22T17:00:00+02:00"},
            }
        )["id"]

    def snapshot(self, event_id_: str) -> Any:
        return json.dumps(self.fake.calendars["primary"].events[event_id_], sort_keys=True)

    def forbid_restore(self) -> None:
        self.fake.restore_forbidden = True

    def summary_of(self, event_id_: str) -> str:
        return self.fake.calendars["primary"].events[event_id_]["summary"]

    def retitle_by_hand(self, event_id_: str, title: str) -> None:
        self.fake.edit_by_hand(event_id_, {"summary": title})

    def refuse_next_write(self) -> None:
        from fake_google import fault

        self.fake.fail_parts(fault(403, "forbidden"))


@pytest.fixture(params=["memory", "google"])
def cal(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryHarness()
        return
    with FakeGoogleCalendar() as fake:
        yield GoogleHarness(fake)


def expected(agenda: Agenda) -> list[tuple[str, str, Any, Any]]:
    return sorted((event_id(agenda.key, b.key), b.key, b.start, b.end) for b in agenda.blocks)


@pytest.fixture
def zoomed(seed_agenda: Agenda) -> Agenda:
    return seed_agenda.with_conference_url(ZOOM)


# -- scenarios ---------------------------------------------------------------------------------------------------------


def test_first_push_creates_every_block_once(cal: Any, zoomed: Agenda) -> None:
    _, summary = push(zoomed, cal.backend)
    assert (summary.created, summary.updated, summary.deleted, summary.unchanged) == (7, 0, 0, 0)
    assert cal.live(zoomed.key) == expected(zoomed)
    assert cal.writes() == 7


def test_second_push_writes_nothing(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    before = cal.writes()
    _, summary = push(zoomed, cal.backend)
    assert summary.unchanged == 7 and summary.calls == 0
    assert cal.writes() == before


def test_block_in_the_repeated_hour_is_pushed_once_and_then_unchanged(cal: Any) -> None:
    """02:30 on 2020-10-25 happens twice in Paris; plain == between zones is False there (PEP 495), instants are not."""
    night = agenda_from_data(
        {
            "title": "Night shift",
            "timezone": {"zone": "Europe/Paris"},
            "blocks": [
                {"title": "Across the change", "start": "2020-10-25T02:15:00+02:00", "end": "2020-10-25T02:45:00+01:00"}
            ],
        }
    )
    assert night.blocks[0].end.fold == 1
    _, first = push(night, cal.backend)
    _, second = push(night, cal.backend)
    assert (first.created, second.unchanged, second.calls) == (1, 1, 0)


def test_moving_one_block_updates_exactly_that_event(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    before = cal.writes()
    moved = move_block(zoomed, 2, 5)
    plan, summary = push(moved, cal.backend)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 6)
    assert cal.writes() == before + 1
    assert [a.event_id for a in plan.writes] == [event_id(zoomed.key, zoomed.blocks[2].key)]
    assert cal.live(zoomed.key) == expected(moved)


def test_zoom_link_arriving_later_updates_every_block_without_creating(cal: Any, seed_agenda: Agenda) -> None:
    push(seed_agenda, cal.backend)
    _, summary = push(seed_agenda.with_conference_url(ZOOM), cal.backend)
    assert (summary.created, summary.updated, summary.deleted) == (0, 7, 0)
    assert cal.live(seed_agenda.key) == expected(seed_agenda)


def test_removed_block_is_deleted(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    shorter = remove_block(zoomed, 6)
    _, summary = push(shorter, cal.backend)
    assert (summary.deleted, summary.unchanged) == (1, 6)
    assert cal.live(zoomed.key) == expected(shorter)


def test_event_deleted_by_hand_is_restored_with_its_id(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    victim = event_id(zoomed.key, zoomed.blocks[3].key)
    cal.delete_by_hand(victim)
    _, summary = push(zoomed, cal.backend)
    assert (summary.created, summary.restored, summary.unchanged) == (1, 1, 6)
    assert cal.live(zoomed.key) == expected(zoomed)


def test_removed_then_re_added_block_comes_back(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    push(remove_block(zoomed, 0), cal.backend)
    _, summary = push(zoomed, cal.backend)
    assert summary.restored == 1
    assert cal.live(zoomed.key) == expected(zoomed)


def test_restore_refused_gives_the_block_a_fresh_id(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    victim = event_id(zoomed.key, zoomed.blocks[3].key)
    cal.delete_by_hand(victim)
    cal.forbid_restore()
    push(zoomed, cal.backend)
    live = cal.live(zoomed.key)
    assert [b for _, b, _, _ in live].count(zoomed.blocks[3].key) == 1
    assert event_id(zoomed.key, zoomed.blocks[3].key, 1) in [i for i, _, _, _ in live]
    _, again = push(zoomed, cal.backend)
    assert again.unchanged == 7 and again.calls == 0


def test_refused_change_of_a_live_event_fails_and_never_duplicates(cal: Any, zoomed: Agenda) -> None:
    """A 403 on updating a LIVE event is a failure with a remedy, not a reason to insert the block under a fresh id."""
    push(zoomed, cal.backend)
    retitled = retitle_block(zoomed, 0, "Accueil (modifié)")
    cal.refuse_next_write()
    with pytest.raises(BackendError) as info:
        push(retitled, cal.backend)
    text = info.value.sentence()
    assert "1 of 1 changes failed" in text and "Make changes to events" in text and info.value.exit_code != 0
    assert cal.live(zoomed.key) == expected(zoomed)  # still one event per block, with the home ids
    _, summary = push(retitled, cal.backend)  # once the calendar accepts it, the same event is updated
    assert (summary.created, summary.updated) == (0, 1)
    assert cal.live(zoomed.key) == expected(zoomed)


def test_title_edited_by_hand_is_repaired_and_then_left_alone(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    victim = event_id(zoomed.key, zoomed.blocks[1].key)
    cal.retitle_by_hand(victim, "HACKED")
    plan, summary = push(zoomed, cal.backend)
    assert (summary.updated, summary.unchanged) == (1, 6)
    assert [(a.event_id, a.reason) for a in plan.writes] == [(victim, "edited in the calendar")]
    assert cal.summary_of(victim) == desired_events(zoomed)[1].summary
    _, again = push(zoomed, cal.backend)
    assert again.unchanged == 7 and again.calls == 0


def test_replace_adopts_the_events_of_the_former_meeting_key(cal: Any, zoomed: Agenda) -> None:
    """--replace KEY: the same meeting under a new key takes over KEY's events, block by block; the rest are deleted."""
    push(zoomed, cal.backend)
    old_ids = {i for i, _, _, _ in cal.live(zoomed.key)}
    renamed = remove_block(
        replace(retitle_block(zoomed, 2, "Nouveau titre"), key="2020-07-22-renamed-0000", title="Renamed"), 6
    )
    plan, summary = push(renamed, cal.backend, replace=[zoomed.key])
    assert (summary.created, summary.updated, summary.deleted) == (0, 6, 1)
    assert {a.reason for a in plan.writes if a.kind == "update"} == {f"adopted from meeting {zoomed.key}"}
    assert cal.live(zoomed.key) == []
    now = cal.live(renamed.key)
    assert sorted(b for _, b, _, _ in now) == sorted(b.key for b in renamed.blocks)
    assert {i for i, _, _, _ in now} <= old_ids  # updated in place, not created
    _, again = push(renamed, cal.backend)
    assert again.unchanged == 6 and again.calls == 0


def test_another_event_is_never_touched(cal: Any, zoomed: Agenda) -> None:
    foreign = cal.add_foreign()
    before = cal.snapshot(foreign)
    push(zoomed, cal.backend)
    push(remove_block(move_block(zoomed, 1, 3), 0), cal.backend)
    assert cal.snapshot(foreign) == before


def test_other_meeting_on_the_same_calendar_is_left_alone(cal: Any, zoomed: Agenda) -> None:
    other = replace(zoomed, key="2021-01-01-other-meeting-0000", title="Other")
    push(other, cal.backend)
    push(zoomed, cal.backend)
    push(remove_block(zoomed, 0), cal.backend)
    assert cal.live(other.key) == expected(other)


def test_dry_run_changes_nothing(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    before = cal.writes()
    plan, summary = push(remove_block(move_block(zoomed, 2, 5), 0), cal.backend, dry_run=True)
    assert summary.dry_run and (summary.updated, summary.deleted) == (1, 1)
    assert cal.writes() == before
    assert cal.live(zoomed.key) == expected(zoomed)


def test_retitled_block_keeps_its_event(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    retitled = retitle_block(zoomed, 4, "Échange ouvert")
    _, summary = push(retitled, cal.backend)
    assert (summary.created, summary.updated) == (0, 1)
    assert "Échange ouvert" in cal.summary_of(event_id(zoomed.key, zoomed.blocks[4].key))


def test_progress_reports_every_call(cal: Any, zoomed: Agenda) -> None:
    seen: list[tuple[int, int]] = []
    push(zoomed, cal.backend, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (7, 7)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# -- memory-only: what apply does with the calendar's refusals -------------------------------------------------------


def test_duplicate_id_on_insert_is_overwritten_in_place(zoomed: Agenda) -> None:
    """An insert whose answer was lost: the retry's 409 becomes an update of the same id, never a second event."""
    backend = MemoryCalendar()
    push(zoomed, backend)
    desired = desired_events(zoomed)
    plan = make_plan(zoomed.key, desired, [])  # a plan made before the lost answer: it still says "create"
    summary = apply(plan, backend)
    assert summary.created == 7
    assert len(backend.live()) == 7
    assert [type(c).__name__ for c in backend.calls[7:]] == ["Insert"] * 7 + ["Update"] * 7


def test_delete_of_an_already_deleted_event_is_done(zoomed: Agenda) -> None:
    backend = MemoryCalendar()
    push(zoomed, backend)
    plan = make_plan(zoomed.key, desired_events(remove_block(zoomed, 0)), backend.list_events(zoomed.key))
    backend.events[plan.writes[0].event_id].cancelled = True  # someone deleted it meanwhile
    assert apply(plan, backend).deleted == 1


def test_failed_change_stops_with_a_sentence_and_the_next_push_finishes(zoomed: Agenda) -> None:
    backend = MemoryCalendar()
    from calsync.backends.base import CallError

    backend.faults = [None, None, CallError("HTTP 400 weird")]
    with pytest.raises(BackendError) as info:
        push(zoomed, backend)
    assert "1 of 7 changes failed" in info.value.sentence() and "calsync push" in info.value.sentence()
    _, summary = push(zoomed, backend)
    assert summary.created == 1 and summary.unchanged == 6
    assert len(backend.live()) == 7


class LyingCalendar(MemoryCalendar):
    """Stores events an hour late, like a calendar that mis-reads the zone."""

    def execute(self, calls: list[Call], progress: Progress | None = None) -> list[Outcome]:
        outcomes = super().execute(calls, progress)
        for o in outcomes:
            if o.event is not None:
                o.event = replace(o.event, start=o.event.start + timedelta(hours=1))
        return outcomes


def test_read_back_mismatch_is_a_verification_error(zoomed: Agenda) -> None:
    with pytest.raises(VerificationError) as info:
        push(zoomed, LyingCalendar())
    assert "not 2020-07-22T16:00:00+02:00" in info.value.sentence()


def test_quota_error_from_backend_stops_the_push(zoomed: Agenda) -> None:
    from calsync.errors import QuotaError

    backend = MemoryCalendar()
    backend.faults = [None, None, QuotaError("Google Calendar usage limits exceeded (quotaExceeded)")]
    with pytest.raises(QuotaError):
        push(zoomed, backend)
    push(zoomed, backend)
    assert sorted(e.content.block_key for e in backend.live()) == sorted(b.key for b in zoomed.blocks)


def test_memory_calendar_keeps_googles_rules() -> None:
    backend = MemoryCalendar()
    from datetime import datetime

    start = datetime(2020, 7, 22, 14, tzinfo=UTC)
    from calsync.backends.base import Delete, EventContent, InvalidEventError

    content = EventContent("m", "b", "s", "d", None, start, start + timedelta(hours=1), "UTC", "h")
    [ok, bad_id, dup] = backend.execute([Insert("abcde", content), Insert("ABCDE", content), Insert("abcde", content)])
    assert ok.ok and isinstance(bad_id.error, InvalidEventError) and isinstance(dup.error, DuplicateIdError)
    [gone1, gone2] = backend.execute([Delete("abcde"), Delete("abcde")])
    assert gone1.ok and isinstance(gone2.error, EventGoneError)
    [again] = backend.execute([Insert("abcde", content)])
    assert isinstance(again.error, DuplicateIdError)  # a deleted id stays taken
    [restored] = backend.execute([Update("abcde", content)])
    assert restored.ok and isinstance(restored.event, RemoteEvent) and not restored.event.cancelled
