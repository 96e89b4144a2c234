"""``calsync serve``: a real uvicorn on 127.0.0.1 (random port), talked to over HTTP with httpx.

Caching (ETag, Last-Modified, 304), HEAD, confinement (traversal, encoded slashes, symlinks, no listings), security
headers, following an edited agenda within 2 s, keeping the last good version of a broken one, /status, the feed
read by three independent iCalendar parsers, and a clean exit on SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import httpx
import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from seed_expectations import SEED_UTC
from site_server import serving

from calsync.reading import EXAMPLE_AGENDA
from calsync.site.live import LiveSite, ServeConfig
from calsync.site.server import ACCESS_LOGGER, AccessLog, create_app

EXAMPLE = Path(__file__).parents[1] / "calsync" / "examples" / EXAMPLE_AGENDA
KEY = "2020-07-22-8e-reunion-du-groupe-de-c12dc34c"


@pytest.fixture
def agendas(tmp_path: Path) -> Path:
    folder = tmp_path / "agendas"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "gcm8.md")
    return folder


@pytest.fixture
def server(agendas: Path) -> Iterator[str]:
    with serving(create_app(ServeConfig(paths=(str(agendas / "gcm8.md"),), zoom_url="https://zoom.us/j/123"))) as url:
        yield url


def wait_for(check, seconds: float = 2.0) -> float:  # noqa: ANN001
    """Seconds until ``check()`` is true; fails after ``seconds``."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > seconds:
            pytest.fail(f"not within {seconds} s")
        time.sleep(0.05)
    return time.monotonic() - start


def test_the_same_files_as_publish_with_validators_and_security_headers(server: str) -> None:
    for path, kind in [
        ("/", "text/html"),
        (f"/{KEY}/", "text/html"),
        (f"/{KEY}/meeting.ics", "text/calendar"),
        (f"/{KEY}/meeting.json", "application/json"),
        (f"/{KEY}/blocks/i-accueil-par-la-presidence.ics", None),
    ]:
        r = httpx.get(server + path)
        if kind is None:
            assert r.status_code == 404  # (block keys are titles: this one does not exist)
            continue
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith(kind)
        assert re.fullmatch(r'"[0-9a-f]{24}"', r.headers["etag"]) and r.headers["last-modified"].endswith(" GMT")
        assert r.headers["cache-control"] == "public, max-age=300, stale-if-error=86400"
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_conditional_requests_answer_304(server: str) -> None:
    url = f"{server}/{KEY}/meeting.ics"
    first = httpx.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = httpx.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert httpx.get(url, headers={"If-None-Match": f'"x", W/{etag}'}).status_code == 304
    assert httpx.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert httpx.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert httpx.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110)
    assert httpx.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": modified}).status_code == 200


def test_head_gives_the_headers_without_the_body(server: str) -> None:
    url = f"{server}/{KEY}/meeting.ics"
    head, get = httpx.head(url), httpx.get(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(get.content)) and head.headers["etag"] == get.headers["etag"]
    assert httpx.head(server + "/healthz").status_code == 200


def test_health_and_unknown_paths(server: str) -> None:
    r = httpx.get(server + "/healthz")
    assert r.status_code == 200 and r.text == "ok\n"
    for path in ("/nope", f"/{KEY}/blocks/", f"/{KEY}/blocks", f"/{KEY}/nope.ics", "/index.htm"):
        assert httpx.get(server + path).status_code == 404, path
    assert httpx.post(server + f"/{KEY}/meeting.ics").status_code == 405  # read-only


def test_a_meeting_folder_without_its_slash_redirects(server: str) -> None:
    r = httpx.get(f"{server}/{KEY}")
    assert r.status_code == 308 and r.headers["location"] == f"/{KEY}/"


@pytest.mark.parametrize(
    "raw",
    [
        "/../../etc/passwd",
        f"/{KEY}/../../gcm8.md",
        "/%2e%2e/%2e%2e/etc/passwd",
        f"/{KEY}%2Fmeeting.ics",
        f"/{KEY}%2fmeeting.ics",
        f"/{KEY}/..%2Fmeeting.ics",
        "/gcm8.md",
        "/agendas/gcm8.md",
        f"/{KEY}%5Cmeeting.ics",
        "//etc/passwd",
        "/%00",
    ],
)
def test_nothing_outside_the_site_is_reachable(server: str, raw: str) -> None:
    host = server.removeprefix("http://")
    h, p = host.split(":")
    # a raw request line, so no client normalises the path first
    with socket.create_connection((h, int(p)), timeout=5) as s:
        s.sendall(f"GET {raw} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1])
    assert status in (400, 404), (raw, reply[:200])
    assert b"root:" not in reply and b"ALLIANCE" not in reply


def test_a_symlink_in_a_served_folder_is_not_served(tmp_path: Path, agendas: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(
        (agendas / "gcm8.md").read_text(encoding="utf-8").replace("8e réunion", "Secret meeting"), encoding="utf-8"
    )
    (agendas / "link.md").symlink_to(secret)
    site = LiveSite(ServeConfig(paths=(str(agendas),)))
    site.refresh()
    assert [Path(p).name for p in site.agenda_paths()] == ["gcm8.md"]
    assert not any(b"Secret meeting" in r.body for r in site.files.values())


def test_the_feed_reads_in_three_parsers_with_the_seed_instants(server: str) -> None:
    data = httpx.get(f"{server}/{KEY}/meeting.ics").content
    cal = icalendar.Calendar.from_ical(data)
    starts = sorted(e.decoded("DTSTART").astimezone(UTC).strftime("%H:%M") for e in cal.walk("VEVENT"))
    assert starts == [s for s, _ in SEED_UTC]
    parsed = vobject.readOne(data.decode("utf-8"))
    assert sorted(e.dtstart.value.astimezone(UTC).strftime("%H:%M") for e in parsed.vevent_list) == starts
    stream = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert sorted(e.dtstart.astimezone(UTC).strftime("%H:%M") for e in stream.timeline) == starts
    assert all("https://zoom.us/j/123" in (e.description or "") for e in stream.timeline)


def test_an_edited_agenda_shows_in_the_feed_within_two_seconds(server: str, agendas: Path) -> None:
    url = f"{server}/{KEY}/meeting.ics"
    etag = httpx.get(url).headers["etag"]
    path = agendas / "gcm8.md"
    path.write_text(path.read_text(encoding="utf-8").replace("16h00 – 16h08", "16h00 – 16h10"), encoding="utf-8")
    wait_for(lambda: httpx.get(url, headers={"If-None-Match": etag}).status_code == 200)
    assert "DTEND;TZID=Europe/Brussels:20200722T161000" in httpx.get(url).text
    # an editor's save by rename is followed too
    tmp = agendas / ".gcm8.md.swp"
    tmp.write_text(path.read_text(encoding="utf-8").replace("16h00 – 16h10", "16h00 – 16h12"), encoding="utf-8")
    os.replace(tmp, path)
    wait_for(lambda: "T161200" in httpx.get(url).text)


def test_a_broken_agenda_keeps_its_last_good_feed_and_shows_on_status(server: str, agendas: Path) -> None:
    url = f"{server}/{KEY}/meeting.ics"
    good = httpx.get(url).content
    (agendas / "gcm8.md").write_text("no agenda here at all\n", encoding="utf-8")
    wait_for(lambda: not httpx.get(server + "/status.json").json()[0]["ok"])
    assert httpx.get(url).content == good
    status = httpx.get(server + "/status.json").json()[0]
    assert status["serving"] and status["key"] == KEY and "gcm8.md" in status["error"]
    page = httpx.get(server + "/status")
    assert page.status_code == 200 and "Does not read; the last good version is served." in page.text
    assert page.headers["cache-control"] == "no-store"
    # mended: served again from the new text
    shutil.copy(EXAMPLE, agendas / "gcm8.md")
    wait_for(lambda: httpx.get(server + "/status.json").json()[0]["ok"])


def test_a_folder_of_agendas_picks_up_a_new_one(tmp_path: Path, agendas: Path) -> None:
    with serving(create_app(ServeConfig(paths=(str(agendas),)))) as url:
        assert httpx.get(url + "/").text.count('<li><a href="') == 1
        text = EXAMPLE.read_text(encoding="utf-8").replace("22 juillet 2020", "23 juillet 2020")
        (agendas / "second.md").write_text(text, encoding="utf-8")
        wait_for(lambda: httpx.get(url + "/").text.count('<li><a href="') == 2)


def test_serve_without_the_extra_says_how_to_get_it(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['uvicorn'] = None\n"
        "from calsync.cli import main; sys.argv = ['calsync', 'serve']; main()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 69
    assert "needs the serve extra" in result.stderr and "pip install 'calsync[serve]'" in result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serving(agendas: Path, workers: int = 1) -> tuple[subprocess.Popen[str], str]:
    """``calsync serve`` in its own process, its output (access log included) on a pipe; returns it and its URL."""
    port = free_port()
    command = [sys.executable, "-m", "calsync", "serve", "-q", str(agendas / "gcm8.md"), "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--workers", str(workers)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )

    def up() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for(up, 30)
    except BaseException:
        proc.kill()
        proc.communicate(timeout=30)
        raise
    return proc, f"http://127.0.0.1:{port}"


def stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_the_command_logs_each_request_and_stops_cleanly_on_sigterm(agendas: Path, workers: int) -> None:
    proc, url = start_serving(agendas, workers)
    try:
        assert httpx.get(f"{url}/{KEY}/meeting.ics").status_code == 200
    finally:
        out = stop(proc)
    # uvicorn finishes the requests in flight, runs the app's shutdown (the watcher stops), then exits by the signal
    assert proc.returncode in (0, -signal.SIGTERM), out
    assert "Application shutdown complete." in out
    assert f'"GET /{KEY}/meeting.ics HTTP/1.1" 200' in out  # one access-log line per request
    assert "Shutting down" in out and "Traceback" not in out


def test_a_stalled_log_reader_stalls_no_request_and_loses_no_line(agendas: Path) -> None:
    """Nothing reads the server's output while 2,000 requests are answered (a pipe holds 64 KiB, some 500 lines):
    the access log waits for its reader, the requests do not; every line arrives once the reader reads."""
    proc, url = start_serving(agendas)
    try:
        with httpx.Client(base_url=url, timeout=5) as client:
            etag = client.get(f"/{KEY}/meeting.ics").headers["etag"]
            for _ in range(2000):
                assert client.get(f"/{KEY}/meeting.ics", headers={"If-None-Match": etag}).status_code == 304
            assert client.get("/status").status_code == 200
    finally:
        out = stop(proc)
    assert out.count(f'"GET /{KEY}/meeting.ics HTTP/1.1" 304 Not Modified\n') == 2000
    assert out.count('"GET /status HTTP/1.1" 200 OK\n') == 1 and "Application shutdown complete." in out


def test_the_access_log_keeps_a_bounded_backlog_and_says_what_it_dropped(caplog: pytest.LogCaptureFixture) -> None:
    access = AccessLog()
    access.LIMIT = 3
    scope = {"client": ("127.0.0.1", 4000), "method": "GET", "http_version": "1.1", "query_string": b"a=\n"}
    for _ in range(5):
        access.add(scope, "/x.ics", 304)
    stop = asyncio.Event()
    stop.set()
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        asyncio.run(access.run(stop))
    lines = "\n".join(r.getMessage() for r in caplog.records).splitlines()
    assert lines == [
        *['INFO:     127.0.0.1:4000 - "GET /x.ics?a=\\n HTTP/1.1" 304 Not Modified'] * 3,
        "WARNING:  2 access-log lines were dropped: nothing read the output",
    ]
