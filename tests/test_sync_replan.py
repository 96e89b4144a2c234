"""Conditional writes in the engine: a write refused because its event changed since the listing (a 412) is never
forced; the calendar is read again and re-planned, and the summary says so. Run on the memory calendar, which keeps
the rule (an update or delete naming another version is stale)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_sync_apply import move_block, remove_block

from calsync.backends.base import Delete, Update
from calsync.backends.memory import MemoryCalendar
from calsync.errors import BackendError
from calsync.model import Agenda
from calsync.sync import apply, event_id, make_plan, push
from calsync.sync.plan import desired_events

ZOOM = "https://zoom.us/j/81234567890"


@pytest.fixture
def zoomed(seed_agenda: Agenda) -> Agenda:
    return seed_agenda.with_conference_url(ZOOM)


def edit_by_hand(backend: MemoryCalendar, eid: str, summary: str) -> None:
    stored = backend.events[eid]
    stored.summary = summary
    stored.version += 1  # a person's edit is a new version, as on any calendar with ETags


def test_updates_and_deletes_carry_the_listed_version(zoomed: Agenda) -> None:
    backend = MemoryCalendar()
    push(zoomed, backend)
    backend.calls.clear()
    push(remove_block(move_block(zoomed, 1, 5), 0), backend)
    update, delete = (next(c for c in backend.calls if isinstance(c, kind)) for kind in (Update, Delete))
    assert update.etag == '"1"' and delete.etag == '"1"'


def test_edit_between_listing_and_write_is_read_again_and_replanned(zoomed: Agenda) -> None:
    backend = MemoryCalendar()
    push(zoomed, backend)
    moved = move_block(zoomed, 2, 5)
    victim = event_id(zoomed.key, zoomed.blocks[2].key)
    backend.before_writes = lambda: edit_by_hand(backend, victim, "Edited meanwhile")
    listings = backend.listings
    plan, summary = push(moved, backend)
    assert backend.listings == listings + 2  # the listing, then one more after the refusal
    assert (summary.created, summary.updated, summary.unchanged, summary.replanned) == (0, 1, 6, 1)
    assert "1 changed in the calendar during the push: read again and re-planned" in summary.line()
    stored = backend.events[victim]
    assert stored.content is not None and stored.content.start == moved.blocks[2].start
    assert stored.summary == desired_events(moved)[2].summary  # the agenda's text, written over the fresh version
    assert len(backend.live()) == 7


def test_without_replan_a_stale_write_fails_with_a_remedy(zoomed: Agenda) -> None:
    backend = MemoryCalendar()
    push(zoomed, backend)
    moved = move_block(zoomed, 0, 5)
    plan = make_plan(zoomed.key, desired_events(moved), backend.list_events(zoomed.key))
    edit_by_hand(backend, plan.writes[0].event_id, "Edited meanwhile")
    with pytest.raises(BackendError) as info:
        apply(plan, backend)
    assert "1 of 1 changes failed" in info.value.sentence()
    assert "changed in the calendar while calsync wrote it" in info.value.sentence()
    assert backend.events[plan.writes[0].event_id].summary == "Edited meanwhile"  # never overwritten blindly


def test_an_event_edited_at_every_listing_stops_after_a_few_replans(zoomed: Agenda) -> None:
    class Restless(MemoryCalendar):
        def execute(self, calls, progress=None):  # type: ignore[no-untyped-def]
            for call in calls:
                if call.event_id in self.events:
                    edit_by_hand(self, call.event_id, "again")
            return super().execute(calls, progress)

    backend = Restless()
    push(zoomed, backend)
    with pytest.raises(BackendError) as info:
        push(move_block(zoomed, 0, 5), backend)
    assert "changed in the calendar while calsync wrote it" in info.value.sentence()
    assert len(backend.live()) == 7


def test_summary_counts_what_was_written_across_replans(zoomed: Agenda) -> None:
    backend = MemoryCalendar()
    push(zoomed, backend)
    shorter = remove_block(zoomed, 6)
    victim = event_id(zoomed.key, zoomed.blocks[6].key)
    backend.before_writes = lambda: edit_by_hand(backend, victim, "Still wanted?")
    _, summary = push(replace(shorter), backend)
    assert (summary.deleted, summary.unchanged, summary.replanned) == (1, 6, 1)
    assert backend.events[victim].cancelled
