"""When the agenda changes (issue 13): the same events with their guests, edits made in the calendar named and handled
per --on-conflict, and two organisers racing. Each scenario runs on the memory calendar and on the fake Google server
through the real client (the harnesses of test_sync_apply)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from fake_google import FakeGoogleCalendar, private_props
from fake_google_fixtures import connect
from test_sync_apply import ZOOM, GoogleHarness, MemoryHarness, move_block

from calsync.errors import ConflictError, UsageError
from calsync.model import Agenda, Block, slug
from calsync.sync import apply, event_id, make_plan, push
from calsync.sync.plan import desired_events

# -- agendas as the reader gives them: keys follow the titles ----------------------------------------------------------


def retitled(agenda: Agenda, index: int, title: str, number: str | None = "keep") -> Agenda:
    """Block ``index`` reworded (and renumbered), keyed from its new title as the reader keys it."""
    b = agenda.blocks[index]
    new = replace(b, title=title, key=slug(title), number=b.number if number == "keep" else number)
    return replace(agenda, blocks=agenda.blocks[:index] + (new,) + agenda.blocks[index + 1 :])


def inserted_first(agenda: Agenda, title: str = "Ouverture technique") -> Agenda:
    first = agenda.blocks[0]
    block = Block(key=slug(title), title=title, start=first.start - timedelta(minutes=10), end=first.start)
    return replace(agenda, blocks=(block, *agenda.blocks))


# -- harnesses: the hand edits a person makes in the calendar ----------------------------------------------------------


class Memory(MemoryHarness):
    # A person's edit is a new version of the event (a new ETag), as on every calendar.
    def retitle_by_hand(self, eid: str, title: str) -> None:
        self.backend.edit_by_hand(eid, summary=title)

    def delete_by_hand(self, eid: str) -> None:
        self.backend.delete_by_hand(eid)

    def move_by_hand(self, eid: str, minutes: int) -> None:
        content = self.backend.events[eid].content
        assert content is not None
        self.backend.edit_by_hand(
            eid, start=content.start + timedelta(minutes=minutes), end=content.end + timedelta(minutes=minutes)
        )

    def start_of(self, eid: str) -> datetime:
        content = self.backend.events[eid].content
        assert content is not None
        return content.start

    def live_ids(self, meeting_key: str) -> list[str]:
        return sorted(e.id for e in self.backend.live() if e.content and e.content.meeting_key == meeting_key)

    def other_organiser(self) -> Any:
        return self.backend  # one calendar, shared


class Google(GoogleHarness):
    def move_by_hand(self, eid: str, minutes: int) -> None:
        ev = self.fake.calendars["primary"].events[eid]
        moved = {
            side: {
                "dateTime": (datetime.fromisoformat(ev[side]["dateTime"]) + timedelta(minutes=minutes)).isoformat(),
                "timeZone": ev[side].get("timeZone", "UTC"),
            }
            for side in ("start", "end")
        }
        self.fake.edit_by_hand(eid, moved)

    def start_of(self, eid: str) -> datetime:
        return datetime.fromisoformat(self.fake.calendars["primary"].events[eid]["start"]["dateTime"])

    def live_ids(self, meeting_key: str) -> list[str]:
        return sorted(e["id"] for e in self.fake.events() if private_props(e).get("calsyncMeeting") == meeting_key)

    def other_organiser(self) -> Any:
        return connect(self.fake, sleep=lambda s: None)


@pytest.fixture(params=["memory", "google"])
def cal(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield Memory()
        return
    with FakeGoogleCalendar() as fake:
        yield Google(fake)


@pytest.fixture
def zoomed(seed_agenda: Agenda) -> Agenda:
    return seed_agenda.with_conference_url(ZOOM)


def holds(cal: Any, agenda: Agenda) -> list[tuple[str, datetime, datetime]]:
    """What the calendar shows of the meeting: (title, start, end) per live event, sorted."""
    wanted = {d.block_key: d for d in desired_events(agenda)}
    assert len(cal.live_ids(agenda.key)) == len(wanted)
    return sorted((cal.summary_of(i), cal.start_of(i), cal.start_of(i)) for i in cal.live_ids(agenda.key))


def expected(agenda: Agenda) -> list[tuple[str, datetime, datetime]]:
    return sorted((d.summary, d.start, d.start) for d in desired_events(agenda))


# -- identity across versions ------------------------------------------------------------------------------------------


def test_a_retitled_block_is_one_update_of_the_same_event(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    ids = cal.live_ids(zoomed.key)
    new = retitled(zoomed, 4, "Échange ouvert entre les membres du GCM")
    assert new.blocks[4].key != zoomed.blocks[4].key  # the reader's key changed with the title
    plan, summary = push(new, cal.backend)
    assert (summary.created, summary.updated, summary.deleted, summary.unchanged) == (0, 1, 0, 6)
    assert [a.event_id for a in plan.writes] == [event_id(zoomed.key, zoomed.blocks[4].key)]
    assert cal.live_ids(zoomed.key) == ids
    assert "Échange ouvert" in cal.summary_of(plan.writes[0].event_id)
    assert summary.event_ids[new.blocks[4].key] == plan.writes[0].event_id  # the agenda's key finds its event
    _, again = push(new, cal.backend)
    assert again.unchanged == 7 and again.calls == 0


def test_a_retitle_keeps_the_guests_and_their_answers_on_google(zoomed: Agenda) -> None:
    with FakeGoogleCalendar() as fake:
        cal = Google(fake)
        push(zoomed, cal.backend)
        victim = event_id(zoomed.key, zoomed.blocks[4].key)
        guests = [
            {"email": "kwame@example.org", "responseStatus": "accepted"},
            {"email": "ana@example.org", "responseStatus": "tentative"},
        ]
        fake.edit_by_hand(victim, {"attendees": guests, "colorId": "5"})
        _, summary = push(retitled(zoomed, 4, "Échange ouvert entre les membres du GCM"), cal.backend)
        assert (summary.created, summary.deleted, summary.updated) == (0, 0, 1)
        event = fake.calendars["primary"].events[victim]
        assert event["attendees"] == guests and event["colorId"] == "5"
        assert event["summary"].startswith("V. Échange ouvert")


def test_renumbering_creates_and_deletes_nothing(cal: Any, zoomed: Agenda) -> None:
    """The seed's second "VI" really is "VII"; its key (made with the number) changes, its event does not."""
    push(zoomed, cal.backend)
    ids = cal.live_ids(zoomed.key)
    b = zoomed.blocks[6]
    fixed = replace(zoomed, blocks=zoomed.blocks[:6] + (replace(b, number="VII", key="vii-remarques-finales"),))
    _, summary = push(fixed, cal.backend)
    assert (summary.created, summary.deleted, summary.updated) == (0, 0, 1)
    assert cal.live_ids(zoomed.key) == ids
    assert cal.summary_of(event_id(zoomed.key, b.key)).startswith("VII. Remarques finales")


def test_a_block_inserted_at_the_top_is_one_create(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    plan, summary = push(inserted_first(zoomed), cal.backend)
    assert (summary.created, summary.updated, summary.deleted, summary.unchanged) == (1, 0, 0, 7)
    assert [a.block_key for a in plan.writes] == ["ouverture-technique"]


def test_an_inserted_block_titled_like_a_removed_one_gets_its_own_event(cal: Any, zoomed: Agenda) -> None:
    """A new block whose reader key is that of a block it is not (here: the first block, reworded elsewhere in
    time) never takes over that block's event."""
    push(zoomed, cal.backend)
    first = zoomed.blocks[0]
    late = Block(
        key=first.key,
        title=first.title,
        start=zoomed.end + timedelta(hours=3),
        end=zoomed.end + timedelta(hours=3, minutes=10),
    )
    new = replace(
        retitled(zoomed, 0, "Welcome and introduction"),
        blocks=(*retitled(zoomed, 0, "Welcome and introduction").blocks, late),
    )
    plan, summary = push(new, cal.backend)
    assert summary.created == 1 and summary.deleted == 0
    assert {a.kind for a in plan.actions if a.event_id == event_id(zoomed.key, first.key)} == {"update"}


# -- edits made in the calendar ----------------------------------------------------------------------------------------


def test_an_event_moved_by_hand_is_named_and_put_back_by_default(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    victim = event_id(zoomed.key, zoomed.blocks[2].key)
    cal.move_by_hand(victim, 20)
    plan, summary = push(move_block(zoomed, 5, 5), cal.backend)  # the agenda changed elsewhere too
    [conflict] = summary.conflicts
    assert (conflict.event_id, conflict.conflict, conflict.kind) == (victim, ("time",), "update")
    assert cal.start_of(victim) == zoomed.blocks[2].start
    assert summary.updated == 2


def test_on_conflict_calendar_keeps_the_hand_move_and_says_so(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    victim = event_id(zoomed.key, zoomed.blocks[2].key)
    cal.move_by_hand(victim, 20)
    writes = cal.writes()
    plan, summary = push(zoomed, cal.backend, on_conflict="calendar")
    assert (summary.kept, summary.updated, summary.calls) == (1, 0, 0)
    assert cal.writes() == writes
    assert cal.start_of(victim) == zoomed.blocks[2].start + timedelta(minutes=20)
    assert "1 kept as edited in the calendar" in summary.line()


def test_on_conflict_calendar_still_applies_the_agendas_other_changes(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    victim = event_id(zoomed.key, zoomed.blocks[2].key)
    cal.move_by_hand(victim, 20)
    new = retitled(zoomed, 2, "Mobilisation des nouveaux pays pionniers (tour de table)")
    _, summary = push(new, cal.backend, on_conflict="calendar")
    assert summary.updated == 1 and summary.conflicts[0].conflict == ("time",)
    assert cal.start_of(victim) == zoomed.blocks[2].start + timedelta(minutes=20)  # the person's time stays
    assert "tour de table" in cal.summary_of(victim)  # the agenda's title arrives
    _, again = push(new, cal.backend, on_conflict="calendar")
    assert again.calls == 0 and again.kept == 1  # still the person's edit: named, kept, never reverted unnoticed
    _, linked = push(new.with_conference_url("https://zoom.us/j/2"), cal.backend, on_conflict="calendar")
    assert (
        linked.updated == 7
        and linked.conflicts[0].conflict == ("time",)
        and cal.start_of(victim) == zoomed.blocks[2].start + timedelta(minutes=20)
    )
    _, back = push(new.with_conference_url("https://zoom.us/j/2"), cal.backend)
    assert back.conflicts[0].conflict == ("time",) and cal.start_of(victim) == zoomed.blocks[2].start


def test_on_conflict_stop_writes_nothing_and_names_the_event(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    victim = event_id(zoomed.key, zoomed.blocks[3].key)
    cal.retitle_by_hand(victim, "IV. Retours d'expérience")
    writes = cal.writes()
    with pytest.raises(ConflictError) as info:
        push(move_block(zoomed, 0, 5), cal.backend, on_conflict="stop")
    assert (
        '1 event was edited in the calendar since calsync last wrote it: "IV. Retours d\'expérience" (title)'
        in info.value.sentence()
    )
    assert info.value.exit_code == 1 and cal.writes() == writes


def test_deleted_by_hand_is_a_conflict_too(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    victim = event_id(zoomed.key, zoomed.blocks[1].key)
    cal.delete_by_hand(victim)
    _, kept = push(zoomed, cal.backend, on_conflict="calendar")
    assert kept.kept == 1 and kept.conflicts[0].conflict == ("deleted",) and len(cal.live_ids(zoomed.key)) == 6
    _, back = push(zoomed, cal.backend)
    assert back.restored == 1 and len(cal.live_ids(zoomed.key)) == 7


def test_an_edited_event_whose_block_left_the_agenda_is_kept_with_calendar(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    victim = event_id(zoomed.key, zoomed.blocks[6].key)
    cal.retitle_by_hand(victim, "Closing remarks (moved to the next meeting?)")
    shorter = replace(zoomed, blocks=zoomed.blocks[:6])
    _, summary = push(shorter, cal.backend, on_conflict="calendar")
    assert (summary.deleted, summary.kept) == (0, 1)
    _, summary = push(shorter, cal.backend)
    assert summary.deleted == 1 and summary.conflicts[0].conflict == ("title",)


# -- two organisers ----------------------------------------------------------------------------------------------------


def test_two_pushes_racing_end_with_the_agenda_and_no_duplicates(cal: Any, zoomed: Agenda) -> None:
    """Organiser A lists, organiser B pushes the same new agenda, then A writes: A's writes are refused as stale,
    A lists again and finds nothing left to do, instead of writing everything a second time."""
    push(zoomed, cal.backend)
    new = retitled(move_block(zoomed, 2, 15), 4, "Échange ouvert")
    a = cal.backend
    b = cal.other_organiser()
    plan = make_plan(new.key, desired_events(new), a.list_events(new.key))
    push(new, b)
    writes = cal.writes()

    def listed():  # type: ignore[no-untyped-def]
        return make_plan(new.key, desired_events(new), a.list_events(new.key))

    summary = apply(plan, a, replan=listed)
    assert summary.replanned == 2 and (summary.updated, summary.unchanged) == (0, 7)
    assert cal.writes() == writes + 2  # the two refused writes, and nothing after
    assert holds(cal, new) == expected(new)


def test_two_organisers_with_different_agendas_end_with_the_last_one_whole(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    mine = move_block(zoomed, 2, 15)
    theirs = retitled(move_block(zoomed, 2, 30), 0, "Mot de bienvenue")
    a, b = cal.backend, cal.other_organiser()
    plan = make_plan(mine.key, desired_events(mine), a.list_events(mine.key))
    push(theirs, b)

    def listed():  # type: ignore[no-untyped-def]
        return make_plan(mine.key, desired_events(mine), a.list_events(mine.key))

    summary = apply(plan, a, replan=listed)
    assert summary.replanned == 1
    assert holds(cal, mine) == expected(mine)  # block I's title is back too: not a mix of the two agendas


def test_an_edit_between_listing_and_delete_stops_the_delete_and_is_replanned(cal: Any, zoomed: Agenda) -> None:
    """Deletes are conditional too: a block dropped from the agenda whose event someone edits while the push runs
    is not deleted blindly; the re-plan sees the edit and --on-conflict calendar keeps it."""
    push(zoomed, cal.backend)
    shorter = replace(zoomed, blocks=zoomed.blocks[:6])
    victim = event_id(zoomed.key, zoomed.blocks[6].key)

    def listed():  # type: ignore[no-untyped-def]
        return make_plan(
            shorter.key, desired_events(shorter), cal.backend.list_events(shorter.key), on_conflict="calendar"
        )

    plan = listed()
    assert [a.kind for a in plan.writes] == ["delete"]
    cal.retitle_by_hand(victim, "Remarques finales (à garder ?)")
    summary = apply(plan, cal.backend, replan=listed)
    assert (summary.replanned, summary.deleted, summary.kept) == (1, 0, 1)
    assert victim in cal.live_ids(zoomed.key)


# -- --replace ---------------------------------------------------------------------------------------------------------


def test_replace_refuses_a_key_with_no_events(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    writes = cal.writes()
    with pytest.raises(UsageError) as info:
        push(replace(zoomed, key="2020-07-22-typo-00000000"), cal.backend, replace=["2020-07-22-tpyo-00000000"])
    assert "the calendar holds no event of meeting 2020-07-22-tpyo-00000000" in info.value.sentence()
    assert cal.writes() == writes


def test_replace_adopts_retitled_blocks_by_alignment(cal: Any, zoomed: Agenda) -> None:
    push(zoomed, cal.backend)
    old_ids = set(cal.live_ids(zoomed.key))
    renamed = replace(
        retitled(zoomed, 2, "Mobilisation des pays pionniers"), key="2020-07-22-renamed-0000", title="GCM 8 (renamed)"
    )
    plan, summary = push(renamed, cal.backend, replace=[zoomed.key], dry_run=True)
    assert {a.reason for a in plan.writes} == {f"adopted from meeting {zoomed.key}"} and summary.updated == 7
    _, summary = push(renamed, cal.backend, replace=[zoomed.key])
    assert (summary.created, summary.updated, summary.deleted) == (0, 7, 0)
    assert set(cal.live_ids(renamed.key)) == old_ids
