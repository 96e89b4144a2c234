"""Issue 13 on CalDAV: a retitled block keeps its object (UID), a hand edit is named and handled per --on-conflict."""

from __future__ import annotations

from dataclasses import replace

import pytest
from caldav_servers import Site, objects, request

from calsync.backends.caldav import CalDAVCalendar
from calsync.model import Agenda, slug
from calsync.sync import push

ZOOM = "https://zoom.us/j/81234567890"


@pytest.fixture
def site(caldav_site: Site) -> Site:
    return caldav_site


def test_retitle_and_hand_edit(site: Site, seed_agenda: Agenda) -> None:
    path = site.new_calendar()
    with site.backend(path) as backend:
        run(site, path, backend, seed_agenda)


def run(site: Site, path: str, backend: CalDAVCalendar, seed_agenda: Agenda) -> None:
    zoomed = seed_agenda.with_conference_url(ZOOM)
    push(zoomed, backend)
    before = set(objects(site.server, path))
    b = zoomed.blocks[4]
    new = replace(
        zoomed,
        blocks=zoomed.blocks[:4]
        + (replace(b, title="Échange ouvert", key=slug("Échange ouvert")),)
        + zoomed.blocks[5:],
    )
    _, summary = push(new, backend)
    assert (summary.created, summary.deleted, summary.updated) == (0, 0, 1)
    assert set(objects(site.server, path)) == before
    href = sorted(objects(site.server, path))[0]
    data = objects(site.server, path)[href].replace(b"\nSUMMARY:", b"\nSUMMARY:Edited ")
    request(site.server, "PUT", href, data, {"Content-Type": "text/calendar"})
    _, kept = push(new, backend, on_conflict="calendar")
    assert kept.kept == 1 and kept.conflicts[0].conflict == ("title",)
    _, back = push(new, backend)
    assert back.updated == 1 and back.conflicts[0].conflict == ("title",)
