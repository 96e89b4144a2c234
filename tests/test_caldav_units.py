"""The CalDAV pieces that need no server: where the password comes from, the WebDAV bodies and answers, and one
event's calendar object (written and read by calsync.ical)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from calsync.backends import caldav_xml as dav
from calsync.backends.base import BLOCK_PROP, HASH_PROP, MEETING_PROP
from calsync.backends.caldav import _etag, _if_match, _private
from calsync.backends.caldav_auth import Login, caldav_login
from calsync.errors import CredentialsError
from calsync.ical import EventObject, event_object, read_event_object

URL = "https://caldav.example.org/dav/calendars/user/"


def no_keyring(service: str, user: str) -> None:
    return None


@pytest.mark.parametrize(
    "env, netrc, keyring, username, expected",
    [
        ({"CALSYNC_CALDAV_PASSWORD": "pw"}, None, None, "ana", ("ana", "pw", "CALSYNC_CALDAV_PASSWORD")),
        ({}, "machine caldav.example.org login ana password n1", None, None, ("ana", "n1", "netrc")),
        ({}, "machine caldav.example.org login ana password n1", None, "ana", ("ana", "n1", "netrc")),
        ({}, "default login bob password d1", None, None, ("bob", "d1", "netrc")),
        ({}, "machine other.org login ana password x", "k1", "ana", ("ana", "k1", "keyring")),
        ({}, "machine caldav.example.org login bob password n1", "k1", "ana", ("ana", "k1", "keyring")),  # not ana's
        (
            {"CALSYNC_CALDAV_PASSWORD": "pw"},
            "machine caldav.example.org login ana password n1",
            "k1",
            "ana",
            ("ana", "pw", "CALSYNC_CALDAV_PASSWORD"),
        ),
        ({}, None, None, None, (None, None, "none")),  # no login at all: the server decides (401 if it needs one)
    ],
)
def test_where_the_password_comes_from(
    tmp_path: Path, env: dict[str, str], netrc: str | None, keyring: str | None, username: str | None, expected: tuple
) -> None:
    path = tmp_path / "netrc"
    if netrc is not None:
        path.write_text(netrc + "\n", encoding="utf-8")
        path.chmod(0o600)
    seen: list[tuple[str, str]] = []

    def fake_keyring(service: str, user: str) -> str | None:
        seen.append((service, user))
        return keyring

    login = caldav_login(URL, username, environ=env, netrc_path=path, keyring=fake_keyring)
    assert (login.username, login.password, login.source) == expected
    assert all(service == "calsync:caldav.example.org" for service, _ in seen)


@pytest.mark.parametrize(
    "env, netrc, username, words",
    [
        ({"CALSYNC_CALDAV_PASSWORD": "pw"}, None, None, "no CalDAV user name was given"),
        ({}, None, "ana", "no password for CalDAV user 'ana' on caldav.example.org"),
        ({}, "machin caldav.example.org login ana", "ana", "cannot read"),
    ],
)
def test_login_errors_say_where_to_look(
    tmp_path: Path, env: dict[str, str], netrc: str | None, username: str | None, words: str
) -> None:
    path = tmp_path / "netrc"
    if netrc is not None:
        path.write_text(netrc + "\n", encoding="utf-8")
        path.chmod(0o600)
    with pytest.raises(CredentialsError) as info:
        caldav_login(URL, username, environ=env, netrc_path=path, keyring=no_keyring)
    assert words in info.value.sentence() and info.value.exit_code == 77


def test_login_repr_hides_the_password() -> None:
    assert "secret" not in repr(Login("ana", "secret", "netrc")) and "secret" not in str(Login("ana", "secret"))


MULTISTATUS = b"""<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
 <d:response><d:href>/cal/</d:href><d:propstat><d:prop><d:getetag>"c"</d:getetag></d:prop>
  <d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>/cal/a%20b.ics</d:href>
  <d:propstat><d:prop><d:getetag>"1"</d:getetag><c:calendar-data><![CDATA[BEGIN:VCALENDAR
END:VCALENDAR]]></c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  <d:propstat><d:prop><d:displayname/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>
 <d:response><d:href>http://other.example/cal/gone.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>
</d:multistatus>"""


def test_multistatus_is_read_with_urls_statuses_and_found_props() -> None:
    resources = dav.parse_multistatus(MULTISTATUS, "https://dav.example/cal/")
    assert [r.url for r in resources] == [
        "https://dav.example/cal/",
        "https://dav.example/cal/a%20b.ics",
        "http://other.example/cal/gone.ics",
    ]
    second = resources[1]
    assert second.text("{DAV:}getetag") == '"1"' and "BEGIN:VCALENDAR" in (
        second.text("{urn:ietf:params:xml:ns:caldav}calendar-data") or ""
    )
    assert "{DAV:}displayname" not in second.props  # a 404 propstat is what it does not have
    assert resources[2].status == 404 and dav.resource_name(second.url) == "a b"


@pytest.mark.parametrize("body", [b"<html>login</html>", b"not xml", b"<d:error xmlns:d='DAV:'/>"])
def test_answers_that_are_not_multistatus_are_value_errors(body: bytes) -> None:
    with pytest.raises(ValueError):
        dav.parse_multistatus(body, "https://dav.example/")


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            b'<d:error xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
            b"<c:supported-calendar-component/></d:error>",
            {"supported-calendar-component"},
        ),
        (b'<d:error xmlns:d="DAV:"><d:resource-must-be-null/><d:other/></d:error>', {"resource-must-be-null", "other"}),
        (b"Forbidden", set()),
        (b"", set()),
    ],
)
def test_error_conditions(body: bytes, expected: set[str]) -> None:
    assert dav.error_conditions(body) == expected


def test_bodies_escape_what_they_carry() -> None:
    assert "<D:displayname>R&amp;D &lt;team&gt;</D:displayname>" in dav.mkcalendar("R&D <team>")
    assert "<D:href>/cal/a&amp;b.ics</D:href>" in dav.calendar_multiget(["/cal/a&b.ics"])
    assert 'name="VEVENT"' in dav.calendar_query()


@pytest.mark.parametrize(
    "listed, sent",
    [
        ('"abc"', {"If-Match": '"abc"'}),
        ("abc", {"If-Match": '"abc"'}),  # listed bare: quoted as If-Match wants
        ("%22abc%22", {"If-Match": '"abc"'}),  # listed %-encoded (seen on Bedework)
        ('W/"abc"', {}),  # a weak ETag never matches: sending it would refuse every write
        ("", {}),
        (None, {}),
    ],
)
def test_etags_as_sent(listed: str | None, sent: dict[str, str]) -> None:
    assert _if_match(_etag(listed)) == sent


START = datetime(2020, 7, 22, 14, tzinfo=UTC)


def obj(uid: str, props: dict[str, str]) -> EventObject:
    return EventObject(uid, "", "", "", None, None, False, props)


@pytest.mark.parametrize(
    "event, keys",
    [
        (obj("anything", {"X-CALSYNC-MEETING": "m-1", "X-CALSYNC-BLOCK": "iii"}), ("m-1", "iii")),
        (obj("server-0042", {"X-CALSYNC-MEETING": "m-1", "X-CALSYNC-BLOCK": "iii"}), ("m-1", "iii")),  # UID rewritten
        (obj("iii.2020-07-22-gcm-8@calsync", {}), ("2020-07-22-gcm-8", "iii")),  # imported from calsync ics
        (obj("vi-2.m-1@calsync", {}), ("m-1", "vi-2")),
        (obj("dentist@example.org", {}), None),
        (obj("iii.m-1@calsync.example.org", {}), None),
    ],
)
def test_which_events_are_calsyncs(event: EventObject, keys: Any) -> None:
    private = _private(event)
    assert (None if private is None else (private[MEETING_PROP], private[BLOCK_PROP])) == keys


def test_calsyncs_keys_are_read_back_as_written() -> None:
    """The X- properties a CalDAV event carries are EventContent.private_properties under their X- names."""
    props = {"X-CALSYNC-MEETING": "m-1", "X-CALSYNC-BLOCK": "iii", "X-CALSYNC-HASH": "abc", "X-OTHER": "theirs"}
    assert _private(obj("anything", props)) == {MEETING_PROP: "m-1", BLOCK_PROP: "iii", HASH_PROP: "abc"}


@pytest.mark.parametrize(
    "tzid, start, written",
    [
        ("Europe/Paris", START, b"DTSTART;TZID=Europe/Paris:20200722T160000"),
        ("Etc/GMT-1", START, b"DTSTART:20200722T140000Z"),  # a fixed offset is written in UTC, as in calsync ics
        ("Europe/Paris", datetime(2020, 10, 25, 1, 30, tzinfo=UTC), b"DTSTART:20201025T013000Z"),  # 2nd 02:30
    ],
)
def test_event_object_round_trips_the_instants(tzid: str, start: datetime, written: bytes) -> None:
    data = event_object(
        uid="u@calsync",
        summary="S",
        description="a, b\nc",
        location=None,
        url=None,
        start=start,
        end=start.replace(hour=start.hour + 1),
        tzid=tzid,
        properties={"X-CALSYNC-MEETING": "m"},
        stamp=START,
    )
    assert written in data and b"METHOD" not in data
    back = read_event_object(data)
    assert back is not None and back.start == start and back.description == "a, b\nc"
    assert back.properties == {"X-CALSYNC-MEETING": "m"}


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage",
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
    ],
)
def test_objects_without_an_event_are_nobodys(data: bytes) -> None:
    assert read_event_object(data) is None


def test_all_day_event_has_no_instant() -> None:
    data = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20200722\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    back = read_event_object(data)
    assert back is not None and back.start is None


def test_redirects_keep_the_method_and_never_downgrade_to_http() -> None:
    """httpx, like browsers, turns a 302 into a GET; a PROPFIND to /.well-known/caldav must stay a PROPFIND."""
    import httpx

    from calsync.backends.caldav import CalDAVCalendar
    from calsync.errors import BackendError

    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, str(request.url)))
        if request.url.path == "/.well-known/caldav":
            return httpx.Response(302, headers={"Location": "/dav/"})
        if request.url.path == "/dav/":
            return httpx.Response(302, headers={"Location": "http://caldav.example.org/plain/"})
        return httpx.Response(404)

    backend = CalDAVCalendar.connect(
        "https://caldav.example.org/", transport=httpx.MockTransport(handler), sleep=lambda s: None
    )
    with pytest.raises(BackendError) as info:
        backend.calendars()
    assert "redirects to an unencrypted URL" in info.value.sentence()
    assert ("PROPFIND", "https://caldav.example.org/dav/") in seen
    assert all(method == "PROPFIND" for method, _ in seen)
