"""Property: whatever the agenda edits, the hand edits and the network's faults (requests dropped before or after the
server saw them, delayed, answered 503/429), after every push (and one retry push when it failed) a real CalDAV
server holds exactly the agenda's blocks, once each, at the agenda's instants; someone else's event stays as it was."""

from __future__ import annotations

from caldav_servers import DROP, LOST, Site, etag_of, objects, request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_caldav_backend import FOREIGN, holds_exactly, ours
from test_sync_property import SEED, edit, edits

from calsync.errors import CalsyncError
from calsync.model import Agenda
from calsync.sync import event_id, push

faults = st.lists(st.sampled_from([None, None, DROP, LOST, 503, 429]), max_size=8)
hands = st.sampled_from(["none", "none", "delete", "retitle", "race"])
steps = st.lists(st.tuples(edits, faults, hands, st.sampled_from([0.0, 0.005])), min_size=1, max_size=4)


def by_hand(site: Site, path: str, agenda: Agenda, kind: str) -> None:
    """A person's change to one of the meeting's events, straight on the server (or, for "race", just after the
    push lists the calendar, so its conditional write meets a newer version)."""
    events = ours(site, path, agenda.key)
    if not events or kind == "none":
        return
    href = sorted(events)[0]
    if kind == "delete":
        request(site.server, "DELETE", href)
        return
    data = objects(site.server, path)[href].replace(b"\nSUMMARY:", b"\nSUMMARY:Edited ")
    if kind == "retitle":
        request(site.server, "PUT", href, data, {"Content-Type": "text/calendar"})
        return

    def race(method: str, target: str) -> None:
        if method in ("PUT", "DELETE") and site.proxy.before is not None:
            site.proxy.before = None
            request(site.server, "PUT", href, data, {"Content-Type": "text/calendar"})

    site.proxy.before = race


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_every_push_converges_to_exactly_the_agenda(caldav_site: Site, steps: list) -> None:
    site = caldav_site
    site.proxy.reset()
    path = site.new_calendar()
    foreign = f"{path}dentist.ics"
    request(site.server, "PUT", foreign, FOREIGN, {"Content-Type": "text/calendar"})
    before = etag_of(site.server, foreign)
    agenda = SEED
    added: list[int] = []
    with site.backend(path, max_attempts=3) as backend:
        for step, injected, hand, latency in steps:
            agenda = edit(agenda, step, added)
            by_hand(site, path, agenda, hand)
            site.proxy.latency = latency
            site.proxy.faults = list(injected)
            try:
                push(agenda, backend)
            except CalsyncError:
                site.proxy.faults.clear()
                push(agenda, backend)  # the retry push finishes the job
            site.proxy.reset()
            holds_exactly(site, path, agenda)
            assert set(ours(site, path, agenda.key)) <= {
                f"{path}{event_id(agenda.key, b.key)}.ics" for b in agenda.blocks
            }
    assert etag_of(site.server, foreign) == before
