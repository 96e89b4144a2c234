"""Property: whatever the agenda edits, the edits people make in the calendar and the faults, after every push (and
one retry push when it failed) the calendar holds exactly the agenda's blocks, once each, at the agenda's instants."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from fake_google import DROP, LOST, FakeGoogleCalendar, fault, private_props
from fake_google_fixtures import connect
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sync_apply import add_block, move_block, remove_block, retitle_block

from calsync.details import event_summary
from calsync.errors import CalsyncError
from calsync.model import Agenda
from calsync.schema import agenda_from_data
from calsync.sync import push

SEED = agenda_from_data(json.loads((Path(__file__).parent / "data" / "seed.hand.json").read_text(encoding="utf-8")))

edits = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 20), st.sampled_from([-30, -5, 5, 15, 60])),
    st.tuples(st.just("retitle"), st.integers(0, 20), st.sampled_from(["Pause", "Échange", "Q&A"])),
    st.tuples(st.just("add"), st.integers(0, 30), st.integers(5, 40)),
    st.tuples(st.just("remove"), st.integers(0, 20), st.just(0)),
    st.tuples(st.just("zoom"), st.sampled_from(["https://zoom.us/j/1", "https://zoom.us/j/2"]), st.just(0)),
    st.tuples(st.just("none"), st.just(0), st.just(0)),
)
part_faults = st.lists(
    st.one_of(
        st.none(),
        st.sampled_from(
            [fault(429), fault(503), fault(403, "rateLimitExceeded"), fault(403, "quotaExceeded"), fault(500)]
        ),
    ),
    max_size=6,
)
http_faults = st.lists(
    st.one_of(st.none(), st.sampled_from([fault(503), fault(429), DROP, LOST, fault(403, "quotaExceeded")])), max_size=3
)
hand_edits = st.sampled_from(["none", "delete", "move", "retitle"])  # by a person in the calendar, before the push
steps = st.lists(st.tuples(edits, part_faults, http_faults, hand_edits), min_size=1, max_size=6)


def edit(agenda: Agenda, step: tuple, added: list[int]) -> Agenda:
    kind, a, b = step
    n = len(agenda.blocks)
    if kind == "move":
        return move_block(agenda, a % n, b)
    if kind == "retitle":
        return retitle_block(agenda, a % n, b)
    if kind == "add":
        added.append(len(added))
        return add_block(agenda, f"added-{len(added)}", a, b)
    if kind == "remove" and n > 1:
        return remove_block(agenda, a % n)
    if kind == "zoom":
        return agenda.with_conference_url(a)
    return agenda


def holds_exactly(fake: FakeGoogleCalendar, agenda: Agenda) -> None:
    """Each block once, with its title and instants. Which event holds which block is the alignment's business (a
    block retitled in place keeps its event, and so the key it was first pushed under)."""
    ours = [e for e in fake.events() if private_props(e).get("calsyncMeeting") == agenda.key]
    counts = Counter(private_props(e)["calsyncBlock"] for e in ours)
    assert max(counts.values(), default=1) == 1, counts  # one event per block key: nothing duplicated
    held = Counter(
        (e["summary"], datetime.fromisoformat(e["start"]["dateTime"]), datetime.fromisoformat(e["end"]["dateTime"]))
        for e in ours
    )
    assert held == Counter((event_summary(agenda, b), b.start, b.end) for b in agenda.blocks), held


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_every_push_converges_to_exactly_the_agenda(steps: list) -> None:
    with FakeGoogleCalendar() as fake:
        foreign = fake.put_event(
            {
                "summary": "Someone else's",
                "start": {"dateTime": "2020-07-22T16:00:00+02:00"},
                "end": {"dateTime": "2020-07-22T17:00:00+02:00"},
            }
        )
        backend = connect(fake, sleep=lambda s: None)
        agenda = SEED
        added: list[int] = []
        for step, parts, outer, hand in steps:
            agenda = edit(agenda, step, added)
            ours = [e for e in fake.events() if private_props(e).get("calsyncMeeting") == agenda.key]
            if ours and hand == "delete":
                fake.delete_by_hand(ours[0]["id"])
            elif ours and hand == "move":
                fake.edit_by_hand(
                    ours[-1]["id"],
                    {
                        side: {
                            "dateTime": (
                                datetime.fromisoformat(ours[-1][side]["dateTime"]) + timedelta(minutes=20)
                            ).isoformat()
                        }
                        for side in ("start", "end")
                    },
                )
            elif ours and hand == "retitle":
                fake.edit_by_hand(ours[0]["id"], {"summary": "Changed by hand"})
            fake.fail_parts(*parts)
            fake.fail_http(*outer)
            try:
                push(agenda, backend)
            except CalsyncError:
                fake.clear_faults()
                push(agenda, backend)  # the retry push finishes the job
            fake.clear_faults()
            holds_exactly(fake, agenda)
        assert fake.calendars["primary"].events[foreign["id"]]["summary"] == "Someone else's"
        assert fake.calendars["primary"].events[foreign["id"]].get("status") == "confirmed"
