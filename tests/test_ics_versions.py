"""``calsync ics --previous OLD.ics``: the same UIDs for the same blocks, SEQUENCE + 1 where the time, title or link
changed (RFC 5545 §3.8.7.4), the old bytes where nothing did."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import edited_example as agenda
from icalendar import Calendar
from typer.testing import CliRunner

from calsync.cli import app
from calsync.ical import read_calendar, read_feed, split_uid

runner = CliRunner()


def ics(tmp_path: Path, name: str, *args: str, env: dict[str, str] | None = None) -> Path:
    out = tmp_path / name
    result = runner.invoke(app, ["ics", *args, "-q", "-o", str(out)], env=env or {})
    assert result.exit_code == 0, result.output
    return out


def events(path: Path) -> dict[str, dict[str, object]]:
    """Block key -> SUMMARY, SEQUENCE, DTSTART, LAST-MODIFIED and the event's own bytes."""
    cal = Calendar.from_ical(path.read_bytes())
    out = {}
    for ev in cal.walk("VEVENT"):
        parts = split_uid(str(ev["UID"]))
        assert parts is not None
        out[parts[1]] = {
            "summary": str(ev["SUMMARY"]),
            "sequence": int(ev["SEQUENCE"]),
            "start": ev["DTSTART"].dt,
            "modified": ev["LAST-MODIFIED"].dt,
            "uid": str(ev["UID"]),
            "bytes": ev.to_ical(),
        }
    return out


MOVED = {"16h15 – 16h50 III": "16h30 – 17h05 III"}


def test_a_moved_block_gets_sequence_1_and_the_others_keep_their_bytes(tmp_path: Path) -> None:
    v1 = ics(tmp_path, "v1.ics", env={"SOURCE_DATE_EPOCH": "1590000000"})
    v2 = ics(
        tmp_path,
        "v2.ics",
        str(agenda(tmp_path, "v2.md", **MOVED)),
        "--previous",
        str(v1),
        env={"SOURCE_DATE_EPOCH": "1595000000"},
    )
    before, after = events(v1), events(v2)
    assert set(before) == set(after)
    moved = "mobilisation-des-nouveaux-pays-pionniers"
    assert after[moved]["sequence"] == 1 and after[moved]["modified"] != before[moved]["modified"]
    for key in set(before) - {moved}:
        assert after[key]["bytes"] == before[key]["bytes"], key  # SEQUENCE 0, DTSTAMP and LAST-MODIFIED as before
    v3 = ics(
        tmp_path,
        "v3.ics",
        str(agenda(tmp_path, "v3.md", **{"16h15 – 16h50 III": "16h35 – 17h10 III"})),
        "--previous",
        str(v2),
    )
    assert events(v3)[moved]["sequence"] == 2


def test_an_unchanged_re_export_gives_the_same_bytes_without_source_date_epoch(tmp_path: Path) -> None:
    v1 = ics(tmp_path, "v1.ics", "--zoom-url", "https://zoom.us/j/1", "--meeting-event", "--alarm", "10")
    again = ics(
        tmp_path,
        "again.ics",
        "--zoom-url",
        "https://zoom.us/j/1",
        "--meeting-event",
        "--alarm",
        "10",
        "--previous",
        str(v1),
        env={"SOURCE_DATE_EPOCH": "1999999999"},
    )
    assert again.read_bytes() == v1.read_bytes()


def test_retitled_and_renumbered_blocks_keep_their_uids(tmp_path: Path) -> None:
    v1 = ics(tmp_path, "v1.ics")
    v2 = ics(
        tmp_path,
        "v2.ics",
        str(
            agenda(
                tmp_path,
                "v2.md",
                **{
                    "VI. Remarques finales": "VII. Remarques finales",
                    "Echange entre les membres du GCM": "Échange ouvert entre les membres",
                },
            )
        ),
        "--previous",
        str(v1),
    )
    before, after = events(v1), events(v2)
    assert set(after) == set(before)  # no new UID, none dropped
    assert after["echange-entre-les-membres-du-gcm"]["summary"].startswith("V. Échange ouvert entre les membres")
    assert after["echange-entre-les-membres-du-gcm"]["sequence"] == 1
    assert after["remarques-finales-et-prochaines-etapes-p"]["summary"].startswith("VII. Remarques finales")
    # without --previous, the retitled block is a new UID (an imported copy would stay behind)
    fresh = events(ics(tmp_path, "fresh.ics", str(tmp_path / "v2.md")))
    assert "echange-entre-les-membres-du-gcm" not in fresh


def test_the_join_link_arriving_raises_every_sequence(tmp_path: Path) -> None:
    v1 = ics(tmp_path, "v1.ics")
    v2 = ics(tmp_path, "v2.ics", "--zoom-url", "https://zoom.us/j/1", "--previous", str(v1))
    assert {e["sequence"] for e in events(v2).values()} == {1}


def test_a_change_of_description_only_keeps_the_sequence_and_updates_last_modified(tmp_path: Path) -> None:
    v1 = ics(tmp_path, "v1.ics", env={"SOURCE_DATE_EPOCH": "1590000000"})
    v2 = ics(tmp_path, "v2.ics", "--tz", "Japan", "--previous", str(v1), env={"SOURCE_DATE_EPOCH": "1595000000"})
    after = events(v2)
    assert {e["sequence"] for e in after.values()} == {0}
    assert {e["modified"].timestamp() for e in after.values()} == {1595000000}


def test_a_retitled_meeting_keeps_its_key_and_says_so(tmp_path: Path) -> None:
    v1 = ics(tmp_path, "v1.ics")
    retitled = agenda(tmp_path, "v2.md", **{"# 8e réunion du groupe": "# Huitième réunion du groupe"})
    out = tmp_path / "v2.ics"
    result = runner.invoke(app, ["ics", str(retitled), "--previous", str(v1), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        f"calsync: keeping the meeting key 2020-07-22-8e-reunion-du-groupe-de-c12dc34c of {v1}, so its events' "
        "UIDs stay" in result.stderr
    )
    assert {e["uid"] for e in events(out).values()} == {e["uid"] for e in events(v1).values()}


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n", "not a readable iCalendar file"),
    ],
)
def test_a_missing_or_broken_previous_file_is_one_line_and_writes_nothing(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    old = tmp_path / "old.ics"
    if content is not None:
        old.write_bytes(content)
    out = tmp_path / "new.ics"
    result = runner.invoke(app, ["ics", "-q", "--previous", str(old), "-o", str(out)])
    assert result.exit_code == 66
    [line] = result.stderr.splitlines()
    assert line.startswith("calsync: error: ") and message in line and "Traceback" not in result.output
    assert not out.exists()


def test_read_calendar_keeps_what_versions_need(tmp_path: Path) -> None:
    v1 = ics(tmp_path, "v1.ics", "--zoom-url", "https://zoom.us/j/1")
    cal = read_calendar(v1.read_bytes())
    assert cal.zone == "Europe/Brussels" and cal.name and cal.name.startswith("8e réunion")
    assert len(cal.events) == 7 and {e.url for e in cal.events} == {"https://zoom.us/j/1"}
    assert all(e.sequence == 0 and e.start is not None and e.start.tzinfo is not None for e in cal.events)


def test_an_ics_from_another_tool_can_be_the_old_version(tmp_path: Path) -> None:
    """Events with other UIDs (another tool's export) are read as blocks too; all-day ones are left out."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from icalendar import Event

    cal = Calendar()
    cal.add("X-WR-CALNAME", "Workshop")
    paris = ZoneInfo("Europe/Paris")
    for uid, title, hour in (("a1@other", "Opening", 9), ("a2@other", "Session one", 10)):
        ev = Event()
        ev.add("UID", uid)
        ev.add("SUMMARY", title)
        ev.add("DTSTART", datetime(2026, 3, 11, hour, tzinfo=paris))
        ev.add("DTEND", datetime(2026, 3, 11, hour, 45, tzinfo=paris))
        cal.add_component(ev)
    holiday = Event()
    holiday.add("UID", "h@other")
    holiday.add("SUMMARY", "Holiday")
    holiday.add("DTSTART", date(2026, 3, 12))
    cal.add_component(holiday)
    old = tmp_path / "other.ics"
    old.write_bytes(cal.to_ical())
    new = tmp_path / "new.json"
    new.write_text(
        '{"title": "Workshop", "timezone": "Europe/Paris", "language": "en", "blocks": ['
        '{"title": "Opening", "start": "2026-03-11T09:00:00", "end": "2026-03-11T09:45:00"},'
        '{"title": "Session one", "start": "2026-03-11T10:15:00", "end": "2026-03-11T11:00:00"}]}',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["diff", str(old), str(new), "--tz", "Ghana"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:5] == [
        "",
        "Session one: new time",
        "  Central European Standard Time (Europe/Paris): 10:15–11:00 (UTC+01:00), instead of 10:00–10:45",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["--zoom-url", "https://zoom.us/j/1"],
        ["--utc"],
        ["--alarm", "5"],  # events holding an alarm: read by read_calendar itself
        ["--meeting-event", "--tz", "Ghana"],
        ["--meeting-tz", "America/Port-au-Prince", "--date", "2026-11-01"],
    ],
    ids=["feed", "utc", "alarm", "meeting-event", "other-zone"],
)
def test_read_feed_reads_what_read_calendar_reads(tmp_path: Path, args: list[str]) -> None:
    """publish and serve read their own feed, often a large one, with read_feed: only the lines versions need are
    parsed, and the result must be read_calendar's, bytes kept included."""
    data = ics(tmp_path, "v1.ics", *args).read_bytes()
    assert read_feed(data) == read_calendar(data)
    # agenda text that looks like the file's own structure
    lines = {"(8 min)": "(8 min)\n\nEND:VEVENT\nBEGIN:VEVENT\nBEGIN:VALARM\nUID:x\n\\"}
    tricky = ics(tmp_path, "v2.ics", *args, str(agenda(tmp_path, **lines))).read_bytes()
    assert b"BEGIN:VALARM" in tricky and read_feed(tricky) == read_calendar(tricky)


def test_a_block_removed_from_the_agenda_is_cancelled_in_the_new_file(tmp_path: Path) -> None:
    """An imported file cannot take an event away by leaving it out: the block that left the agenda comes back as
    STATUS:CANCELLED with SEQUENCE + 1 (clients that import it remove or strike the event), and stays cancelled in
    the versions after; diff and identity do not take it for a block."""
    import json

    v1 = ics(tmp_path, "v1.ics", env={"SOURCE_DATE_EPOCH": "1590000000"})
    parsed = runner.invoke(app, ["parse", "-q", "-f", "json"])
    data = json.loads(parsed.stdout)
    removed = data["blocks"].pop(-1)  # the closing block: the others name the countries whose times are listed
    shorter = tmp_path / "v2.json"
    shorter.write_text(json.dumps(data), encoding="utf-8")
    v2 = ics(tmp_path, "v2.ics", str(shorter), "--previous", str(v1), env={"SOURCE_DATE_EPOCH": "1595000000"})
    cal = Calendar.from_ical(v2.read_bytes())
    gone = [ev for ev in cal.walk("VEVENT") if str(ev.get("STATUS")) == "CANCELLED"]
    assert [split_uid(str(ev["UID"])) for ev in gone] == [(data["key"], removed["key"])]
    assert int(gone[0]["SEQUENCE"]) == 1 and gone[0]["DTSTAMP"].dt.timestamp() == 1595000000
    assert len(cal.walk("VEVENT")) == 7  # six blocks and the cancellation
    before = events(v1)
    for key in set(before) - {removed["key"]}:
        assert events(v2)[key]["bytes"] == before[key]["bytes"], key
    # the next version still cancels it, with the same bytes; the file is not read as holding the block again
    v3 = ics(tmp_path, "v3.ics", str(shorter), "--previous", str(v2), env={"SOURCE_DATE_EPOCH": "1599000000"})
    assert v3.read_bytes() == v2.read_bytes()
    result = runner.invoke(app, ["diff", str(v2), str(shorter), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["changes"] == []


def test_another_tools_events_are_never_cancelled(tmp_path: Path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from icalendar import Event

    cal = Calendar()
    ev = Event()
    ev.add("UID", "a1@other")
    ev.add("SUMMARY", "Something else")
    ev.add("DTSTART", datetime(2020, 7, 22, 9, tzinfo=ZoneInfo("Europe/Paris")))
    ev.add("DTEND", datetime(2020, 7, 22, 10, tzinfo=ZoneInfo("Europe/Paris")))
    cal.add_component(ev)
    old = tmp_path / "other.ics"
    old.write_bytes(cal.to_ical())
    new = ics(tmp_path, "new.ics", "--previous", str(old))
    assert b"CANCELLED" not in new.read_bytes() and b"a1@other" not in new.read_bytes()
