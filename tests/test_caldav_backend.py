"""Pushing to real CalDAV servers (Radicale and Xandikos, authentication on) through the real HTTP client, with a
proxy in front that counts requests and plays faults and other servers' quirks. Every scenario runs on both."""

from __future__ import annotations

from collections import Counter
from datetime import UTC
from typing import Any

import icalendar
import pytest
from caldav_servers import DROP, LOST, Site, etag_of, objects, request
from seed_expectations import SEED_UTC
from test_sync_apply import move_block, remove_block, retitle_block

from calsync.backends.caldav import CalDAVCalendar
from calsync.errors import BackendError, CalendarNotFoundError, QuotaError
from calsync.ical import to_ics
from calsync.model import Agenda
from calsync.sync import event_id, push

ZOOM = "https://zoom.us/j/81234567890"


@pytest.fixture
def site(caldav_site: Site) -> Site:
    caldav_site.proxy.reset()
    return caldav_site


@pytest.fixture
def path(site: Site) -> str:
    """A fresh, empty calendar for each test."""
    return site.new_calendar()


@pytest.fixture
def backend(site: Site, path: str) -> CalDAVCalendar:
    with site.backend(path) as b:
        yield b


@pytest.fixture
def zoomed(seed_agenda: Agenda) -> Agenda:
    return seed_agenda.with_conference_url(ZOOM)


def vevents(site: Site, path: str) -> dict[str, Any]:
    """The events on the server, by href, parsed by icalendar (not by calsync)."""
    out = {}
    for href, data in objects(site.server, path).items():
        [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
        out[href] = event
    return out


def ours(site: Site, path: str, meeting_key: str) -> dict[str, Any]:
    return {h: e for h, e in vevents(site, path).items() if str(e.get("X-CALSYNC-MEETING")) == meeting_key}


def holds_exactly(site: Site, path: str, agenda: Agenda) -> None:
    events = ours(site, path, agenda.key)
    blocks = Counter(str(e["X-CALSYNC-BLOCK"]) for e in events.values())
    assert blocks == Counter(b.key for b in agenda.blocks), blocks
    by_block = {str(e["X-CALSYNC-BLOCK"]): e for e in events.values()}
    for block in agenda.blocks:
        event = by_block[block.key]
        assert event["DTSTART"].dt == block.start and event["DTEND"].dt == block.end


# -- the scenarios ---------------------------------------------------------------------------------------------


def test_first_push_writes_one_event_per_block_as_calsync_ics_does(
    site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda
) -> None:
    _, summary = push(zoomed, backend)
    assert (summary.created, summary.updated, summary.deleted, summary.unchanged) == (7, 0, 0, 0)
    # one listing, one look at the collection (it held nothing of ours yet), 7 creates, one read-back
    # (Xandikos answers some parallel PUTs 423 Locked while it commits another: those are retried)
    assert Counter(m for m, _ in site.proxy.requests if m != "PUT") == {"REPORT": 2, "PROPFIND": 1}
    assert len({p for m, p in site.proxy.requests if m == "PUT"}) == 7
    events = ours(site, path, zoomed.key)
    assert sorted(href.rsplit("/", 1)[1] for href in events) == sorted(
        f"{event_id(zoomed.key, b.key)}.ics" for b in zoomed.blocks
    )
    ics = icalendar.Calendar.from_ical(to_ics(zoomed))
    assert {str(e["UID"]) for e in events.values()} == {str(e["UID"]) for e in ics.walk("VEVENT")}
    by_start = sorted(events.values(), key=lambda e: e["DTSTART"].dt)
    got = [
        (
            e["DTSTART"].dt.astimezone(UTC).strftime("%H:%M"),
            e["DTEND"].dt.astimezone(UTC).strftime("%H:%M"),
        )
        for e in by_start
    ]
    assert got == SEED_UTC
    for event in events.values():
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert ZOOM in str(event["DESCRIPTION"]) and str(event["LOCATION"]) == ZOOM and str(event["URL"]) == ZOOM
        assert str(event["CONFERENCE"]) == ZOOM
    for data in objects(site.server, path).values():
        assert b"BEGIN:VTIMEZONE" in data and b"TZID:Europe/Paris" in data and b"METHOD:" not in data


def test_unchanged_push_is_one_request_and_writes_nothing(site: Site, backend: CalDAVCalendar, zoomed: Agenda) -> None:
    push(zoomed, backend)
    site.proxy.reset()
    _, summary = push(zoomed, backend)
    assert summary.unchanged == 7 and summary.calls == 0
    assert site.proxy.requests == [("REPORT", site.proxy.requests[0][1])]


def test_changed_block_is_one_conditional_put(site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda) -> None:
    push(zoomed, backend)
    moved = move_block(zoomed, 2, 15)
    href = f"{path}{event_id(zoomed.key, zoomed.blocks[2].key)}.ics"
    before = etag_of(site.server, href)
    site.proxy.reset()
    _, summary = push(moved, backend)
    assert (summary.updated, summary.unchanged) == (1, 6)
    assert site.proxy.count("PUT") == 1 and site.proxy.count() == 3  # listing, the PUT, the read-back
    holds_exactly(site, path, moved)
    assert etag_of(site.server, href) != before


def test_removed_block_is_one_delete(site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda) -> None:
    push(zoomed, backend)
    site.proxy.reset()
    shorter = remove_block(zoomed, 6)
    _, summary = push(shorter, backend)
    assert (summary.deleted, summary.unchanged) == (1, 6)
    assert site.proxy.count("DELETE") == 1 and site.proxy.count() == 2
    holds_exactly(site, path, shorter)


def test_event_deleted_by_hand_comes_back(site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda) -> None:
    push(zoomed, backend)
    assert request(site.server, "DELETE", f"{path}{event_id(zoomed.key, zoomed.blocks[3].key)}.ics").status in (
        200,
        204,
    )
    site.proxy.reset()
    _, summary = push(zoomed, backend)
    assert (summary.created, summary.unchanged) == (1, 6) and site.proxy.count("PUT") == 1
    holds_exactly(site, path, zoomed)


FOREIGN = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//EN\r\nBEGIN:VEVENT\r\nUID:dentist-1@example.org\r\n"
    "DTSTAMP:20200701T000000Z\r\nDTSTART:20200722T140000Z\r\nDTEND:20200722T150000Z\r\nSUMMARY:Dentist\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_foreign_event_is_never_touched(site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda) -> None:
    href = f"{path}dentist.ics"
    assert request(site.server, "PUT", href, FOREIGN, {"Content-Type": "text/calendar"}).status in (201, 204)
    before = (objects(site.server, path)[href], etag_of(site.server, href))
    push(zoomed, backend)
    push(remove_block(move_block(zoomed, 1, 3), 0), backend)
    assert (objects(site.server, path)[href], etag_of(site.server, href)) == before
    assert all(p != href for _, p in site.proxy.requests if _ != "REPORT")


def test_edit_between_listing_and_write_is_read_again_and_replanned(
    site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda
) -> None:
    """The 412 path: someone edits the event after calsync listed it; the conditional PUT is refused, calsync lists
    again and writes over the fresh version, and says so."""
    push(zoomed, backend)
    href = f"{path}{event_id(zoomed.key, zoomed.blocks[2].key)}.ics"
    data = objects(site.server, path)[href].replace(b"\r\nSUMMARY:", b"\r\nSUMMARY:EDITED ")
    data = data.replace(
        b"END:VEVENT",
        b"BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:soon\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\nEND:VEVENT",
    )

    def edit_once(method: str, target: str) -> None:
        if method == "PUT" and site.proxy.before is not None:
            site.proxy.before = None
            assert request(site.server, "PUT", href, data, {"Content-Type": "text/calendar"}).status in (201, 204)

    site.proxy.reset()
    site.proxy.before = edit_once
    moved = move_block(zoomed, 2, 10)
    _, summary = push(moved, backend)
    assert (summary.updated, summary.unchanged, summary.replanned) == (1, 6, 1)
    assert "read again and re-planned" in summary.line()
    assert site.proxy.count("PUT") == 2 and site.proxy.count("REPORT") == 3  # list, PUT 412, list, PUT, read back
    holds_exactly(site, path, moved)
    event = vevents(site, path)[href]
    assert not str(event["SUMMARY"]).startswith("EDITED")  # the agenda's title is put back…
    assert event.walk("VALARM")  # …and the alarm the person added stays


def test_hand_added_alarm_and_guests_survive_an_update(
    site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda
) -> None:
    push(zoomed, backend)
    href = f"{path}{event_id(zoomed.key, zoomed.blocks[0].key)}.ics"
    data = objects(site.server, path)[href].replace(
        b"END:VEVENT", b"ATTENDEE;CN=Ana:mailto:ana@example.org\r\nCATEGORIES:GCM\r\nEND:VEVENT"
    )
    assert request(site.server, "PUT", href, data, {"Content-Type": "text/calendar"}).status in (201, 204)
    push(retitle_block(zoomed, 0, "Accueil (modifié)"), backend)
    event = vevents(site, path)[href]
    assert "Accueil (modifié)" in str(event["SUMMARY"]) and "ana@example.org" in str(event["ATTENDEE"])
    assert int(event["SEQUENCE"]) == 1


def test_event_imported_from_calsync_ics_is_adopted_not_duplicated(
    site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda
) -> None:
    """Someone imported the meeting's .ics into the calendar: same UIDs, no calsync keys. Push updates those events."""
    ics = icalendar.Calendar.from_ical(to_ics(zoomed))
    tz = ics.walk("VTIMEZONE")[0]
    for n, event in enumerate(ics.walk("VEVENT")):
        single = icalendar.Calendar()
        single.add("PRODID", "-//imported//EN")
        single.add("VERSION", "2.0")
        single.add_component(tz)
        single.add_component(event)
        status = request(
            site.server, "PUT", f"{path}imported-{n}.ics", single.to_ical(), {"Content-Type": "text/calendar"}
        ).status
        assert status in (201, 204)
    _, summary = push(zoomed, backend)
    assert (summary.created, summary.updated) == (0, 7)
    assert len(vevents(site, path)) == 7
    holds_exactly(site, path, zoomed)


# -- faults and server differences ---------------------------------------------------------------------------------


@pytest.mark.parametrize("faults", [[503, 503], [DROP], [LOST], [429, DROP, LOST]])
def test_transient_faults_are_retried_without_duplicates(
    site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda, faults: list
) -> None:
    site.proxy.fault_methods = {"PUT"}
    site.proxy.faults = list(faults)
    push(zoomed, backend)
    site.proxy.reset()
    holds_exactly(site, path, zoomed)
    _, again = push(zoomed, backend)
    assert again.unchanged == 7 and site.proxy.count() == 1


@pytest.mark.parametrize("quirk", ["strip_put_etag", "weak_etags", "rewrite_uids"])
def test_server_quirks_still_converge(
    site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda, quirk: str
) -> None:
    setattr(site.proxy, quirk, True)
    push(zoomed, backend)
    moved = move_block(zoomed, 1, 5)
    _, summary = push(moved, backend)
    assert (summary.updated, summary.unchanged) == (1, 6)
    setattr(site.proxy, quirk, True)
    site.proxy.requests.clear()
    _, again = push(moved, backend)
    assert again.unchanged == 7 and site.proxy.count() == 1
    holds_exactly(site, path, moved)
    if quirk == "rewrite_uids":
        assert all(str(e["UID"]).startswith("server-") for e in vevents(site, path).values())


def test_a_server_without_sync_collection_is_fine(
    site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda
) -> None:
    site.proxy.refuse = {"sync-collection": 403}  # calsync lists with calendar-query, which every server has
    push(zoomed, backend)
    site.proxy.requests.clear()
    assert push(zoomed, backend)[1].unchanged == 7 and site.proxy.count() == 1


def test_a_calendar_for_tasks_only_is_refused_before_writing(site: Site, zoomed: Agenda) -> None:
    tasks = site.new_calendar(("VTODO",))
    with site.backend(tasks) as b, pytest.raises(CalendarNotFoundError) as info:
        push(zoomed, b)
    assert "takes only tasks, not events" in info.value.sentence()
    assert site.proxy.count("PUT") == 0


def test_a_put_refused_for_its_component_stops_with_a_sentence(
    site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda
) -> None:
    """A server that says nothing about components until the PUT (403 with CALDAV:supported-calendar-component)."""
    backend._checked = True
    body = (
        b'<?xml version="1.0"?><D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        b"<C:supported-calendar-component/></D:error>"
    )
    site.proxy.before = None
    original = site.proxy._answer

    def refuse(handler: Any, status: int, data: bytes, headers: dict[str, str]) -> None:
        if handler.command == "PUT":
            status, data, headers = 403, body, {"Content-Type": "application/xml"}
        original(handler, status, data, headers)

    site.proxy._answer = refuse  # type: ignore[method-assign]
    try:
        with pytest.raises(CalendarNotFoundError) as info:
            push(zoomed, backend)
    finally:
        site.proxy._answer = original  # type: ignore[method-assign]
    assert "does not take events" in info.value.sentence()


@pytest.mark.parametrize(
    "status, error, words",
    [
        (507, QuotaError, "out of storage space (HTTP 507)"),
        (403, CalendarNotFoundError, "is not writable by this user (HTTP 403)"),
        (404, CalendarNotFoundError, "is gone (HTTP 404 on writing)"),
    ],
)
def test_write_refusals_stop_with_a_sentence(
    site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda, status: int, error: type, words: str
) -> None:
    site.proxy.fault_methods = {"PUT"}
    site.proxy.faults = [status] * 7
    with pytest.raises(error) as info:
        push(zoomed, backend)
    assert words in info.value.sentence()


def test_missing_calendar_url_is_a_sentence(site: Site) -> None:
    with site.backend(f"{site.server.home_path}nope/") as b, pytest.raises(CalendarNotFoundError) as info:
        b.list_events("x")
    assert "there is no calendar at" in info.value.sentence() or "is not a calendar" in info.value.sentence()


def test_stale_write_that_keeps_failing_is_a_failure_not_an_overwrite(
    site: Site, path: str, backend: CalDAVCalendar, zoomed: Agenda
) -> None:
    push(zoomed, backend)
    site.proxy.fault_methods = {"PUT"}
    site.proxy.faults = [412] * 10
    with pytest.raises(BackendError) as info:
        push(move_block(zoomed, 0, 5), backend)
    assert "changed in the calendar while calsync wrote it" in info.value.sentence()
    holds_exactly(site, path, zoomed)


# -- finding the calendar -------------------------------------------------------------------------------------------


def test_calendar_found_by_name_from_the_server_root(site: Site) -> None:
    path = site.new_calendar(name="Équipe GCM")
    with site.backend("/", calendar="équipe gcm") as b:
        assert b.url == site.url(path)


def test_create_makes_the_calendar_once(site: Site, zoomed: Agenda) -> None:
    name = f"Made by calsync {site.proxy.port}"
    with site.backend("/", calendar=name, create=True) as b:
        assert b.created_calendar
        push(zoomed, b)
        url = b.url
    with site.backend("/", calendar=name, create=True) as again:
        assert again.url == url and not again.created_calendar
        assert push(zoomed, again)[1].unchanged == 7


def test_unknown_name_lists_the_calendars_there(site: Site) -> None:
    with pytest.raises(CalendarNotFoundError) as info:
        site.backend("/", calendar="No such calendar")
    assert "no calendar called 'No such calendar'" in info.value.sentence() and "--create" in info.value.sentence()


def test_calendar_found_through_the_well_known_url(site: Site) -> None:
    """A URL that leads nowhere (a login page, a wrong path): the host's /.well-known/caldav (RFC 6764 §5) is asked."""
    path = site.new_calendar(name="Found via well-known")
    with site.backend("/no/such/place/", calendar="Found via well-known") as b:
        assert b.url == site.url(path)
    assert ("PROPFIND", "/.well-known/caldav") in site.proxy.requests
