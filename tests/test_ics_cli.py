"""``calsync ics`` end to end: options, the file it writes, one-line errors, and no Google client on the way."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from seed_expectations import SEED_UTC
from typer.testing import CliRunner

from calsync.cli import app

ZOOM = "https://zoom.us/j/123"
UTC = UTC
EXPECTED = [
    (datetime.fromisoformat(f"2020-07-22T{s}:00+00:00"), datetime.fromisoformat(f"2020-07-22T{e}:00+00:00"))
    for s, e in SEED_UTC
]
EPOCH = {"SOURCE_DATE_EPOCH": "1595426400"}  # 2020-07-22T14:00:00Z


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, ["ics", *args], env=env or {})


def spans(data: bytes) -> dict[str, list[tuple[datetime, datetime]]]:
    """Event instants in UTC as vobject and ``ical`` read them."""
    vcal = vobject.readOne(data.decode("utf-8"))
    by_vobject = sorted((ev.dtstart.value.astimezone(UTC), ev.dtend.value.astimezone(UTC)) for ev in vcal.vevent_list)
    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    by_ical = sorted((ev.dtstart.astimezone(UTC), ev.dtend.astimezone(UTC)) for ev in cal.events)
    return {"vobject": by_vobject, "ical": by_ical}


def test_built_in_example_with_zoom_url_gives_seven_events_with_the_link(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("--zoom-url", ZOOM, "-o", "gcm8.ics", env=EPOCH)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines()[-1] == "calsync: wrote gcm8.ics (7 events)"
    assert result.stdout == ""
    data = (tmp_path / "gcm8.ics").read_bytes()
    assert spans(data) == {"vobject": EXPECTED, "ical": EXPECTED}
    cal = IcsCalendarStream.calendar_from_ics(data.decode())
    assert len(cal.events) == 7
    for ev in cal.events:
        assert ZOOM in ev.description
        assert ev.location == f"Zoom: {ZOOM}"
        assert ev.url == ZOOM
    assert data.count(b"BEGIN:VTIMEZONE") == 1
    assert b"METHOD:PUBLISH" in data


def test_structured_agenda_to_stdout(data_dir: Path) -> None:
    result = run(str(data_dir / "seed.hand.json"), "-q", env=EPOCH)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    assert result.stderr == ""
    assert spans(result.stdout_bytes)["ical"] == EXPECTED
    assert b"Zoom link to be confirmed" in result.stdout_bytes.replace(b"\r\n ", b"")


def test_source_date_epoch_gives_byte_identical_output(data_dir: Path) -> None:
    first = run(str(data_dir / "seed.hand.json"), "-q", env=EPOCH).stdout_bytes
    second = run(str(data_dir / "seed.hand.json"), "-q", env=EPOCH).stdout_bytes
    assert first == second
    assert b"DTSTAMP:20200722T140000Z" in first


def test_utc_meeting_event_alarm_and_tz_options(data_dir: Path) -> None:
    result = run(
        str(data_dir / "seed.hand.json"), "-q", "--utc", "--meeting-event", "--alarm", "15", "--tz", "Ghana", env=EPOCH
    )
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    flat = data.replace(b"\r\n ", b"").decode()
    assert "BEGIN:VTIMEZONE" not in flat and "DTSTART:20200722T140000Z" in flat
    assert flat.count("BEGIN:VEVENT") == 8 and flat.count("TRANSP:TRANSPARENT") == 7
    assert flat.count("TRIGGER:-PT15M") == 1  # one reminder, on the meeting's own event
    assert "X-WR-TIMEZONE" not in flat  # a UTC-only file carries no zone hint
    assert "Ghana: 14:00–14:08 (UTC)" in flat.replace("\\n", "\n")
    assert "Guatemala: 08:00" not in flat.replace("\\n", "\n")  # --tz replaces the agenda's countries


def test_participants_file(tmp_path: Path, data_dir: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name,email,country\nAna,ana@example.org,Nepal\n", encoding="utf-8")
    result = run(str(data_dir / "seed.hand.json"), "-q", "--participants", str(people), env=EPOCH)
    assert result.exit_code == 0, result.output
    assert "Nepal: 19:45–19:53 (UTC+05:45)" in result.stdout_bytes.replace(b"\r\n ", b"").decode().replace("\\n", "\n")


@pytest.mark.parametrize(
    "url", ["zoom.us/j/123", "ftp://zoom.us/j/123", "javascript:alert(1)", "https://", "https://zoom.us/j/1 2"]
)
def test_bad_zoom_url_is_one_line_and_writes_nothing(tmp_path: Path, url: str) -> None:
    target = tmp_path / "gcm8.ics"
    result = run("--zoom-url", url, "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"calsync: error: --zoom-url {url!r} is not a web link; "
        "give the full join link, e.g. --zoom-url https://zoom.us/j/123456789\n"
    )
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_negative_alarm_is_one_line_error(tmp_path: Path) -> None:
    result = run("--alarm=-5", "-o", str(tmp_path / "x.ics"))
    assert result.exit_code == 2
    assert result.stderr == (
        "calsync: error: --alarm -5 is not between 0 and 10080 minutes (a week); "
        "give the minutes before each block, e.g. --alarm 10\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_bad_source_date_epoch_is_one_line_error(data_dir: Path) -> None:
    result = run(str(data_dir / "seed.hand.json"), env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "SOURCE_DATE_EPOCH" in result.stderr


def test_missing_output_folder_is_one_line_error(tmp_path: Path, data_dir: Path) -> None:
    result = run(str(data_dir / "seed.hand.json"), "-q", "-o", str(tmp_path / "nowhere" / "x.ics"))
    assert result.exit_code == 73
    assert len(result.stderr.splitlines()) == 1 and "does not exist" in result.stderr


def test_ics_help_lists_its_options() -> None:
    result = CliRunner().invoke(app, ["ics", "--help"])
    assert result.exit_code == 0
    for option in ("--zoom-url", "--tz", "--participants", "--meeting-event", "--alarm", "--utc", "--output"):
        assert option in result.stdout


def test_ics_does_not_import_google_client(data_dir: Path) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        import calsync.cli
        from typer.testing import CliRunner
        result = CliRunner().invoke(calsync.cli.app, ["ics", {str(data_dir / "seed.hand.json")!r}, "-q"])
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR")
        print(sorted(m for m in sys.modules if m.split(".")[0] == "googleapiclient"))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_meeting_key_pins_the_uids_across_a_retitle(tmp_path) -> None:
    from calsync.reading.source import example_bytes

    retitled = tmp_path / "retitled.md"
    retitled.write_bytes(example_bytes().replace("# 8e réunion".encode(), "# Huitième réunion".encode()))
    uids = []
    for args in ([], [str(retitled)]):
        result = CliRunner().invoke(app, ["ics", *args, "--meeting-key", "gcm8", "-q"])
        assert result.exit_code == 0, result.stderr
        uids.append([line for line in result.stdout.splitlines() if line.startswith("UID:")])
    assert uids[0] == uids[1] and uids[0][0] == "UID:accueil-par-la-presidence.gcm8@calsync"
