"""``publish`` and ``serve`` number a new version of a meeting against the version already out (issue 13).

The previous version is the last published site (``DIR/KEY/meeting.ics``) for ``publish`` and the feed being served
for ``serve``: a block retitled and moved keeps its UID (and its files' paths) and its SEQUENCE rises, the blocks
that did not change keep their SEQUENCE and their bytes, a block inserted is the one new UID.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import icalendar
import pytest
from cli_run import EXAMPLE, edited_example, one_error_line, run
from site_server import serving

from calsync.ical import Feed, event_uid, read_calendar, to_ics_files, versioned
from calsync.reading import read_agenda
from calsync.site.live import ServeConfig
from calsync.site.server import create_app
from calsync.versions import follow

KEY = "2020-07-22-8e-reunion-du-groupe-de-c12dc34c"
ZOOM = "https://zoom.us/j/123"
III = "**16h15 – 16h50 III. Mobilisation des nouveaux pays pionniers (35 min)**"
# Retitled and moved 15 minutes later
III_V2 = "**16h30 – 17h05 III. Mobilisation des pays pionniers volontaires (35 min)**"
III_KEY = "mobilisation-des-nouveaux-pays-pionniers"
FIRST = "#### 16h00 – 16h08 I. Accueil par la présidence (8 min)"
INSERTED = "#### 15h50 – 16h00 Ouverture technique (10 min)\n\n" + FIRST


def publish(agenda: Path, out: Path, epoch: str) -> list[str]:
    """``calsync publish`` of ``agenda`` into ``out`` at SOURCE_DATE_EPOCH ``epoch``; the feed's events by UID."""
    result = run(["publish", "-o", str(out), "--zoom-url", ZOOM, str(agenda)], env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 0, result.output
    return [line for line in result.stderr.splitlines() if "published" in line]


def events(feed: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(feed)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_a_retitled_and_moved_block_keeps_its_uid_and_path_and_its_sequence_rises(tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(EXAMPLE, site, "1595426400")
    feed = site / KEY / "meeting.ics"
    before = events(feed.read_bytes())
    block_files = {p: p.read_bytes() for p in (site / KEY / "blocks").iterdir()}
    # published again a day later: the new stamp must not show in the blocks that did not change
    publish(edited_example(tmp_path, **{III: III_V2}), site, "1595512800")
    after = events(feed.read_bytes())
    assert after.keys() == before.keys()
    moved = next(uid for uid in after if uid.startswith(III_KEY + "."))
    assert "Mobilisation des pays pionniers volontaires" in str(after[moved]["SUMMARY"])
    assert after[moved]["SEQUENCE"] == 1 and before[moved]["SEQUENCE"] == 0
    assert after[moved].decoded("DTSTART").strftime("%H:%M") == "16:30"
    for uid in after.keys() - {moved}:
        assert after[uid]["SEQUENCE"] == 0 and after[uid].to_ical() == before[uid].to_ical(), uid
    # the block's own .ics keeps its path and has the feed's version; the others are not rewritten
    own = site / KEY / "blocks" / f"{III_KEY}.ics"
    assert own in block_files and events(own.read_bytes())[moved].to_ical() == after[moved].to_ical()
    assert {p: p.read_bytes() for p in block_files if p != own} == {p: b for p, b in block_files.items() if p != own}
    assert sorted(p.name for p in (site / KEY / "blocks").iterdir()) == sorted(p.name for p in block_files)
    page = (site / KEY / "index.html").read_text(encoding="utf-8")
    assert f'href="blocks/{III_KEY}.ics"' in page


def test_a_block_inserted_at_the_top_is_the_one_new_uid(tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(EXAMPLE, site, "1595426400")
    before = events((site / KEY / "meeting.ics").read_bytes())
    publish(edited_example(tmp_path, **{FIRST: INSERTED}), site, "1595426400")
    after = events((site / KEY / "meeting.ics").read_bytes())
    assert len(after.keys() - before.keys()) == 1 and before.keys() <= after.keys()
    assert all(e["SEQUENCE"] == 0 for e in after.values())


def test_an_unchanged_agenda_republished_later_rewrites_no_block(tmp_path: Path) -> None:
    """Numbered against the site, an unchanged block keeps its stamp: only the speakers' turns (not in the feed, so
    not numbered) take the new one."""
    site = tmp_path / "site"
    publish(EXAMPLE, site, "1595426400")
    assert publish(EXAMPLE, site, "1595426400")[0].endswith(": 0 of 19 files changed")
    turns = len(list((site / KEY / "slots").rglob("*.ics")))
    assert publish(EXAMPLE, site, "1595512800")[0].endswith(f": {turns} of 19 files changed")


def test_serve_numbers_an_edited_agenda_against_the_feed_it_served(tmp_path: Path) -> None:
    path = tmp_path / "gcm8.md"
    shutil.copy(EXAMPLE, path)
    with serving(create_app(ServeConfig(paths=(str(path),), zoom_url=ZOOM))) as server:
        url = f"{server}/{KEY}/meeting.ics"
        first = httpx.get(url).content
        before = events(first)
        edited_example(tmp_path, "gcm8.md", **{III: III_V2})
        deadline = time.monotonic() + 5
        while httpx.get(url).content == first and time.monotonic() < deadline:
            time.sleep(0.05)
        after = events(httpx.get(url).content)
    assert after.keys() == before.keys()
    moved = next(uid for uid in after if uid.startswith(III_KEY + "."))
    assert after[moved]["SEQUENCE"] == 1 and "volontaires" in str(after[moved]["SUMMARY"])
    assert all(after[uid].to_ical() == before[uid].to_ical() for uid in after.keys() - {moved})


@pytest.mark.parametrize(
    "edits",
    [
        {III: III_V2},  # retitled and moved: SEQUENCE + 1
        {"Partager des informations": "Donner des informations"},  # a description only: same SEQUENCE, new stamp
        {FIRST: INSERTED},  # a new block beside unchanged ones
        {},  # nothing: the previous bytes
    ],
    ids=["moved", "description", "inserted", "unchanged"],
)
def test_the_feed_numbered_event_by_event_is_the_versioned_feed(tmp_path: Path, edits: dict[str, str]) -> None:
    """publish numbers each event as it is written (so a block's own .ics has its feed's version); the feed must be
    exactly what ``calsync ics --previous`` would number (versioned, on the whole file)."""
    old = read_agenda(EXAMPLE).with_conference_url(ZOOM)
    first, _ = to_ics_files(old, stamp=datetime(2020, 7, 1, tzinfo=UTC), feed=Feed())
    previous = read_calendar(first)
    new = follow(read_agenda(edited_example(tmp_path, **edits)).with_conference_url(ZOOM), previous)
    stamp = datetime(2020, 7, 2, tzinfo=UTC)
    unnumbered, _ = to_ics_files(new, stamp=stamp, feed=Feed())
    feed, singles = to_ics_files(new, stamp=stamp, feed=Feed(), previous=previous)
    assert feed == versioned(unnumbered, previous)
    for block in new.blocks:
        assert events(singles[block.key])[event_uid(new, block)].to_ical() in feed


def test_a_feed_in_the_folder_that_does_not_read_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(EXAMPLE, site, "1595426400")
    feed = site / KEY / "meeting.ics"
    feed.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n")
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    result = run(["publish", "-o", str(site), str(edited_example(tmp_path, **{III: III_V2}))])
    assert result.exit_code == 66
    line = one_error_line(result)
    assert f"{feed}: not a readable iCalendar file" in line and "move it away to publish the meeting afresh" in line
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before


def test_a_restarted_server_numbers_from_the_feed_it_kept(tmp_path: Path) -> None:
    """After a restart (or in another worker) the retitled block keeps its UID and SEQUENCE 1: subscribers' clients
    going by SEQUENCE would otherwise keep the version they hold. The state folder holds the last served feed."""
    from calsync.site.live import LiveSite

    path = tmp_path / "gcm8.md"
    shutil.copy(EXAMPLE, path)
    config = ServeConfig(paths=(str(path),), zoom_url=ZOOM, state=str(tmp_path / "state"), stamp=1595426400.0)
    site = LiveSite(config)
    site.refresh()
    first = site.files[f"{KEY}/meeting.ics"].body
    assert (tmp_path / "state" / KEY / "meeting.ics").read_bytes() == first
    edited_example(tmp_path, "gcm8.md", **{III: III_V2})
    site.refresh()
    served = site.files[f"{KEY}/meeting.ics"].body
    moved = next(uid for uid in events(served) if uid.startswith(III_KEY + "."))
    assert events(served)[moved]["SEQUENCE"] == 1
    restarted = LiveSite(config)
    restarted.refresh()
    assert restarted.files[f"{KEY}/meeting.ics"].body == served  # same UID, same SEQUENCE, same bytes
    edited_example(tmp_path, "gcm8.md", **{III: III_V2.replace("16h30 – 17h05", "16h35 – 17h10")})
    again = LiveSite(config)
    again.refresh()
    assert events(again.files[f"{KEY}/meeting.ics"].body)[moved]["SEQUENCE"] == 2
    # a state file that does not read is passed over (logged), never fatal
    (tmp_path / "state" / KEY / "meeting.ics").write_bytes(b"not a calendar")
    broken = LiveSite(config)
    broken.refresh()
    assert broken.entries[str(path)].error is None and f"{KEY}/meeting.ics" in broken.files
