"""Hostile input on the output side (issue 16): no control character from an agenda reaches a file or the terminal,
the CSV formula guard holds, -o files keep their mode and never leave a temporary file, no secret reaches a message.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_google import FakeGoogleCalendar
from typer.testing import CliRunner

from calsync.cli import app
from calsync.model import Agenda, Block, MeetingZone
from calsync.printable import CONTROLS
from calsync.render import render_times_csv
from calsync.zones import local_times, participant_zones

ROOT = Path(__file__).resolve().parents[1]
ESC_TITLE = "# Meeting \x1b]0;pwned\x07\n"
HOSTILE = (
    ESC_TITLE + "\nDate: 22 July 2020 (CET)\nLocation: Zoom [join](https://zoom.us/j/123\x1b)\n\n"
    "16:00 - 17:00 Opening \x1b[31mred\x1b[0m\n16:30 - 17:30 Overlap \x9b31m\n17:30 - 18:00 Wrap-up\n"
)
RAW = ("\x1b", "\x07", "\x9b", "\x00", "\r")


def cli(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env=env or {})


def assert_clean(text: str, where: str = "") -> None:
    """No raw control character (tab and line feed are layout)."""
    found = [hex(ord(c)) for c in text if c in RAW or (CONTROLS.match(c) is not None)]
    assert not found, (where, found[:5])


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.md"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


# --- terminal and files: control characters shown, never written ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown", "html"])
def test_times_outputs_and_warnings_carry_no_control_character(hostile: Path, fmt: str) -> None:
    result = cli("times", str(hostile), "--tz", "Ghana", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    assert_clean(result.stdout, fmt)
    assert_clean(result.stderr, "stderr")
    assert "'Overlap \ufffd31m' (16:30) starts before 'Opening \u241b[31mred\u241b[0m' ends" in result.stderr
    if fmt in ("table", "markdown", "csv"):
        assert "\u241b[31mred" in result.stdout


def test_ics_from_a_hostile_text_agenda_is_clean(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ics"
    result = cli("ics", str(hostile), "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes().decode("utf-8")
    assert_clean(data.replace("\r\n", "\n"), "ics")
    assert "URL:https://zoom.us/j/123" in data and "\x1b" not in data  # the Markdown link's trailing ESC is gone


def test_parse_json_and_yaml_are_clean(hostile: Path) -> None:
    for fmt in ("json", "yaml"):
        result = cli("parse", str(hostile), "-f", fmt, "-q")
        assert result.exit_code == 0, result.stderr
        assert_clean(result.stdout, fmt)


def test_csv_formula_guard_holds_for_embedded_line_breaks() -> None:
    start = datetime(2020, 7, 22, 16, tzinfo=UTC)
    titles = ["Opening\r=1+1", 'Break\n=HYPERLINK("http://x")', "@SUM(A1)", "\t-2+3", "+cmd"]
    blocks = tuple(
        Block(key=f"b{i}", title=t, start=start + timedelta(hours=i), end=start + timedelta(hours=i, minutes=30))
        for i, t in enumerate(titles)
    )
    agenda = Agenda(title="T", timezone=MeetingZone("UTC"), blocks=blocks, key="k")
    out = render_times_csv(local_times(agenda, participant_zones(agenda, ("UTC",))))
    # a spreadsheet-style reader that splits on any line break sees no row starting with a formula character
    assert not [line for line in out.replace("\r", "\n").split("\n") if line[:1] in ("=", "+", "-", "@")]
    cells = list(dict.fromkeys(row["title"] for row in csv.DictReader(io.StringIO(out))))
    assert cells == ["Opening =1+1", 'Break =HYPERLINK("http://x")', "'@SUM(A1)", "'-2+3", "'+cmd"]


def test_participant_names_with_escapes_and_a_leading_at_sign(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name,country\n@kwame,Ghana\n\x1b[31mAna,Colombia\n  @ ,Chile\n", encoding="utf-8")
    result = cli("times", "--participants", str(people), "-f", "html", "-q")
    assert result.exit_code == 0, result.stderr  # '@kwame' was an IndexError (an e-mail with an empty local part)
    assert "@kwame" in result.stdout
    assert_clean(result.stdout, "html")
    assert_clean(cli("times", "--participants", str(people), "-q").stdout, "table")


def test_error_messages_show_file_names_and_values_without_their_escapes(tmp_path: Path) -> None:
    result = cli("ics", str(tmp_path / "no\x1b[31msuch.md"))
    assert result.exit_code == 66
    assert_clean(result.stderr)
    assert "no\u241b[31msuch.md" in result.stderr
    result = cli("ics", "--zoom-url", "https://zoom.us/j/1\x1b[2J")
    assert result.exit_code == 2 and "holds a control character" in result.stderr
    assert_clean(result.stderr)


# --- Google: events and the terminal --------------------------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeGoogleCalendar]:
    with FakeGoogleCalendar() as server:
        yield server


def google_env(fake: FakeGoogleCalendar, tmp_path: Path, token: str = "x") -> dict[str, str]:
    return {
        "GOOGLE_OAUTH_ACCESS_TOKEN": token,
        "CALSYNC_GOOGLE_API_ENDPOINT": fake.root,
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
    }


def test_google_events_and_the_dry_run_are_clean(fake: FakeGoogleCalendar, hostile: Path, tmp_path: Path) -> None:
    env = google_env(fake, tmp_path)
    assert cli("push", str(hostile), "-q", env=env).exit_code == 0
    for event in fake.events():
        for field in ("summary", "description", "location"):
            assert_clean(event.get(field, ""), field)
    # someone puts escapes into an event's title by hand; the next dry run lists it for deletion
    victim = next(e for e in fake.events() if "Wrap-up" in e["summary"])
    fake.edit_by_hand(victim["id"], {"summary": "Wrap-up \x1b]0;pwned\x07\x1b[2J"})
    shorter = tmp_path / "shorter.md"
    shorter.write_text(HOSTILE.replace("17:30 - 18:00 Wrap-up\n", ""), encoding="utf-8")
    result = cli("push", str(shorter), "--dry-run", "-q", env=env)
    assert result.exit_code == 0, result.stderr
    assert any(line.startswith("delete") for line in result.stdout.splitlines())
    assert_clean(result.stdout, "dry run")
    assert_clean(cli("push", str(shorter), "--dry-run", "--json", "-q", env=env).stdout, "json")


# --- secrets -------------------------------------------------------------------------------------------------------


def test_a_token_with_a_line_break_is_refused_without_echoing_it(fake: FakeGoogleCalendar, tmp_path: Path) -> None:
    token = "ya29.FIRSTSECRETtoken\r\nya29.SECONDSECRETtoken"
    result = cli("push", "--dry-run", "-q", env=google_env(fake, tmp_path, token))
    assert result.exit_code == 77
    assert result.stderr.strip() == (
        "calsync: error: GOOGLE_OAUTH_ACCESS_TOKEN holds a space, a line break or another character no access token "
        "has; set GOOGLE_OAUTH_ACCESS_TOKEN to exactly one token (e.g. from 'gcloud auth print-access-token')"
    )
    assert "SECRET" not in result.stdout + result.stderr


def saved_token(tmp_path: Path, mode: int = 0o600, **fields: str) -> Path:
    """A Google token file valid for an hour, under ``tmp_path/cfg`` (the XDG_CONFIG_HOME the tests give)."""
    folder = tmp_path / "cfg" / "calsync"
    folder.mkdir(parents=True)
    token = folder / "token.json"
    expiry = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    token.write_text(json.dumps({**fields, "expiry": expiry}))
    token.chmod(mode)
    return token


def test_http_layer_errors_never_carry_the_token(fake: FakeGoogleCalendar, tmp_path: Path) -> None:
    """A saved token with a line break gets past the environment check; httplib2 then quotes the whole header."""
    saved_token(
        tmp_path,
        token="ya29.SAVEDSECRET\r\nX-Evil: 1",
        refresh_token="1//REFRESHSECRETxxxxxxxx",
        client_id="id",
        client_secret="CLIENTSECRET",
    )
    env = {"CALSYNC_GOOGLE_API_ENDPOINT": fake.root, "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    result = cli("push", "--dry-run", "-q", env=env)
    assert result.exit_code == 69, result.stderr
    assert result.stderr.strip() == (
        "calsync: error: the request to Google Calendar failed (ValueError); check the "
        "credentials and --api-endpoint, then run 'calsync push' again"
    )
    assert "SECRET" not in result.stdout + result.stderr


def test_internal_errors_are_redacted() -> None:
    from calsync.printable import redact

    text = redact(
        'ValueError: Invalid header value b\'Bearer ya29.AAA\\r\\nya29.BBB\' {"refresh_token": "1//x"}', ("ya29.AAA",)
    )
    assert "ya29" not in text and "1//x" not in text


@pytest.mark.parametrize("mode, warned", [(0o600, False), (0o644, True), (0o640, True), (0o604, True)])
def test_token_and_key_files_readable_by_others_are_warned_about(
    fake: FakeGoogleCalendar, tmp_path: Path, mode: int, warned: bool
) -> None:
    token = saved_token(tmp_path, mode, token="ya29.fine", refresh_token="r", client_id="i", client_secret="s")
    result = cli(
        "push",
        "--dry-run",
        "-q",
        env={"CALSYNC_GOOGLE_API_ENDPOINT": fake.root, "XDG_CONFIG_HOME": str(tmp_path / "cfg")},
    )
    assert result.exit_code == 0, result.stderr
    expected = (
        f"calsync: warning: {token} holds secrets and other users can read or change it (mode {mode:04o}); "
        f"restrict it with: chmod 600 {token}"
    )
    assert (expected in result.stderr.splitlines()) is warned


# --- -o files ------------------------------------------------------------------------------------------------------


def test_replacing_a_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "private.ics"
    out.write_text("old")
    out.chmod(0o600)
    assert cli("ics", "-q", "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text().startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("umask, mode", [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_a_new_file_honours_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        assert cli("ics", "-q", "-o", str(tmp_path / "new.ics")).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.ics").stat().st_mode) == mode


def test_a_symlink_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    target = tmp_path / "real.ics"
    target.write_text("old")
    link = tmp_path / "link.ics"
    link.symlink_to(target.name)
    assert cli("ics", "-q", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and target.read_text().startswith("BEGIN:VCALENDAR")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.ics", "real.ics"]


def test_devices_and_pipes_are_written_through(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # a private null device: were the write ever to replace it again, the system's /dev/null stays intact
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        device = Path("/dev/null")  # only root could replace it
    assert cli("ics", "-q", "-o", str(device)).exit_code == 0
    assert stat.S_ISCHR(os.stat(device).st_mode)  # as root, -o /dev/null used to become a regular file
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        assert cli("times", "-q", "-f", "csv", "-o", str(fifo)).exit_code == 0
        assert os.read(reader, 100).startswith(b"block,number,title")
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_folder_as_output_is_one_line(tmp_path: Path) -> None:
    result = cli("ics", "-q", "-o", str(tmp_path))
    assert result.exit_code == 73 and result.stderr.strip() == (
        f"calsync: error: cannot write {tmp_path}: it is a folder; give a file name with -o"
    )


def test_an_unwritable_folder_is_exit_73(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        folder = Path("/sys")  # read-only even for root
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
    result = cli("ics", "-q", "-o", str(folder / "x.ics"))
    assert result.exit_code == 73, result.stderr
    assert result.stderr.startswith(f"calsync: error: cannot write {folder / 'x.ics'}: ")
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(
    "stop, code, said",
    [
        (lambda: os.kill(os.getpid(), signal.SIGTERM), 143, "calsync: terminated"),
        (lambda: os.kill(os.getpid(), signal.SIGHUP), 129, "calsync: terminated"),
        (lambda: (_ for _ in ()).throw(KeyboardInterrupt()), 130, "calsync: interrupted"),
    ],
    ids=["SIGTERM", "SIGHUP", "Ctrl-C"],
)
def test_no_temporary_file_is_left_when_stopped_mid_write(
    tmp_path: Path, monkeypatch: Any, stop: Any, code: int, said: str
) -> None:
    real_replace = os.replace

    def stopped(src: Any, dst: Any) -> None:
        stop()  # the signal's handler runs here, between writing the temporary file and renaming it
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", stopped)
    result = cli("ics", "-q", "-o", str(tmp_path / "out.ics"))
    monkeypatch.undo()
    assert (result.exit_code, result.stderr.strip()) == (code, said)
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is only there while writing


@pytest.mark.parametrize(
    "args, code, needle",
    [
        (
            ["push", "--dry-run", "--service-account", "key.json"],
            77,
            "service account key file is not a credentials file (its JSON is nested more than 32 levels deep)",
        ),
        (
            ["auth", "--credentials", "key.json"],
            77,
            "OAuth client file is not a credentials file (its JSON is nested more than 32 levels deep)",
        ),
        (["push", "--dry-run"], 77, "the saved Google token is damaged"),
    ],
    ids=["service-account", "client", "token"],
)
def test_token_and_credential_files_nested_1000_deep(
    fake: FakeGoogleCalendar, tmp_path: Path, args: list[str], code: int, needle: str
) -> None:
    from hostile_inputs import deep_json

    (tmp_path / "key.json").write_text(deep_json(1000))
    token = tmp_path / "cfg" / "calsync" / "token.json"
    token.parent.mkdir(parents=True)
    token.write_text(deep_json(1000))
    token.chmod(0o600)
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = cli(
            *args,
            *(["-q"] if args[0] == "push" else []),
            env={"CALSYNC_GOOGLE_API_ENDPOINT": fake.root, "XDG_CONFIG_HOME": str(tmp_path / "cfg")},
        )
    finally:
        os.chdir(old)
    assert result.exit_code == code, result.stderr
    assert needle in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize("endpoint", ["https://", "http://[::1", "http://x y/"])
def test_an_api_endpoint_without_a_host_is_a_usage_error(endpoint: str) -> None:
    """'https://' alone used to be retried for half a minute as an unreachable server."""
    result = cli("push", "--dry-run", "-q", "--api-endpoint", endpoint, env={"GOOGLE_OAUTH_ACCESS_TOKEN": "x"})
    assert result.exit_code == 2 and "is not an http(s) URL" in result.stderr
