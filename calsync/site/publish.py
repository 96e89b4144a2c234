"""A site's files: the meetings' pages, feeds, per-block and per-name .ics and JSON, as paths and bytes.

:func:`site_files` is pure (the same agendas, zones and stamp give the same bytes), so ``publish`` and ``serve``
produce identical files at identical paths; :func:`write_site` writes only what changed, so an unchanged agenda
republished leaves every file (and every cache in front of it) alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path

from ..errors import InputFileError, OutputError
from ..ical import Feed, IcsCalendar, read_feed, to_ics_files
from ..model import Agenda, Block
from ..reading.structured import dump_structured
from ..versions import follow
from ..zones import ParticipantZone, meeting_zone
from .pages import WORK_HOURS, Slot, block_path, block_slots, meeting_page, render_index, render_meeting_page, slot_key

__all__ = [
    "SiteOptions",
    "meeting_files",
    "site_files",
    "published_feeds",
    "write_site",
    "same_file",
    "replace_file",
    "MANIFEST",
]

# The list of files the last publish wrote, so the next one removes what no longer exists (a deleted block's .ics)
# and never anything else in the folder.
MANIFEST = ".calsync-files"


@dataclass(frozen=True)
class SiteOptions:
    """What every meeting of a site shares: participants' zones, the site's address, the feeds' stamp and refresh."""

    zones: Callable[[Agenda], Sequence[ParticipantZone]]
    base_url: str | None = None  # "https://example.org/meetings/", for absolute links in feeds
    stamp: datetime | None = None  # DTSTAMP; None: now (set SOURCE_DATE_EPOCH for byte-stable output)
    refresh: timedelta = timedelta(hours=1)
    work_hours: tuple[time, time] = WORK_HOURS


def meeting_files(agenda: Agenda, options: SiteOptions, previous: IcsCalendar | None = None) -> dict[str, bytes]:
    """One meeting's files, relative to the site's root: ``KEY/index.html``, ``KEY/meeting.ics`` and the rest.

    ``previous`` is the meeting's feed as subscribers hold it (the last published or served): blocks that are the
    same blocks (retitled, renumbered, moved) keep their keys, so their UIDs and files, and each block's SEQUENCE is
    numbered against it (see :func:`calsync.ical.versioned`)."""
    if previous is not None:
        agenda = follow(agenda, previous, keep_meeting_key=False)
    zones = list(options.zones(agenda))
    page_url = f"{options.base_url}{agenda.key}/" if options.base_url else None
    feed = Feed(refresh=options.refresh, source_url=f"{page_url}meeting.ics" if page_url else None, page_url=page_url)
    own_zone = meeting_zone(agenda)
    slots = [(block, slot) for block in agenda.blocks for slot in block_slots(block)]
    turns = [_turn(b, s, own_zone) for b, s in slots]
    whole, singles = to_ics_files(agenda, zones=zones, stamp=options.stamp, feed=feed, turns=turns, previous=previous)
    page = meeting_page(
        agenda, zones, base_url=options.base_url, work_hours=options.work_hours, zones_for=options.zones
    )
    html = render_meeting_page(page, work_hours=options.work_hours).encode("utf-8")
    folder = f"{agenda.key}/"
    files = {
        folder + "index.html": html,
        folder + "meeting.ics": whole,
        folder + "meeting.json": dump_structured(agenda, "json").encode("utf-8"),
    }
    for block in agenda.blocks:
        files[folder + block_path(block)] = singles[block.key]
    for block, slot in slots:
        files[folder + slot.path] = singles[slot_key(block, slot.name)]
    return files


def _turn(block: Block, slot: Slot, own_zone: ParticipantZone) -> tuple[Block, list[ParticipantZone]]:
    """One name's turn as its own event, its times on the meeting's clock and, for a country, on the country's own."""
    turn = replace(
        block,
        key=slot_key(block, slot.name),
        number=None,
        title=f"{slot.name}: {block.label}",
        start=slot.start,
        end=slot.end,
        description=f"Estimated slot for {slot.name} in {block.label} ({block.minutes_per_name} min each).",
        names=(),
        minutes_per_name=None,
        duration_minutes=None,
    )
    return turn, [own_zone] + ([slot.there.zone] if slot.there is not None else [])


def site_files(
    agendas: Iterable[Agenda], options: SiteOptions, previous: Mapping[str, IcsCalendar] | None = None
) -> dict[str, bytes]:
    """Every file of a site of meetings: the index and each meeting's folder; ``previous`` has the feeds subscribers
    hold by meeting key (:func:`published_feeds`)."""
    meetings = list(agendas)
    keys = [a.key for a in meetings]
    duplicate = next((k for k in keys if keys.count(k) > 1), None)
    if duplicate is not None:
        raise OutputError(
            f"two agendas are the same meeting ({duplicate})",
            hint="give each agenda its own title or date, or publish them separately",
        )
    files = {"index.html": render_index(meetings).encode("utf-8")}
    for agenda in meetings:
        files.update(meeting_files(agenda, options, (previous or {}).get(agenda.key)))
    return files


def published_feeds(folder: Path, keys: Iterable[str]) -> dict[str, IcsCalendar]:
    """The feeds of the meetings ``keys`` that ``folder`` holds from the last publish, as previous versions."""
    feeds = {}
    for key in keys:
        path = Path(folder) / key / "meeting.ics"
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as e:
            raise OutputError(f"cannot read {path}: {e.strerror or e}", hint="check its permissions") from e
        try:
            feeds[key] = read_feed(data, file=str(path))
        except InputFileError as e:
            raise InputFileError(
                e.message,
                file=str(path),
                hint="it is the previous version of the meeting's feed: put back what calsync published, or move it "
                "away to publish the meeting afresh",
            ) from None
    return feeds


def write_site(files: dict[str, bytes], folder: Path, progress: Callable[[int], None] | None = None) -> list[str]:
    """Write ``files`` under ``folder``: each changed file replaced atomically, unchanged ones untouched, files of a
    previous publish that are gone removed. Returns the paths written."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(
            f"cannot create folder {folder}: {e.strerror or e}", hint="check the path and its permissions"
        ) from e
    previous = _manifest(folder)
    written = []
    made: set[Path] = set()
    for i, (name, data) in enumerate(sorted(files.items())):
        target = folder / name
        if same_file(target, data):
            continue
        if target.parent not in made:
            _mkdir(target.parent)
            made.add(target.parent)
        replace_file(target, data)
        written.append(name)
        if progress is not None:
            progress(i)
    for name in sorted(previous - files.keys()):
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            pass
        except OSError as e:
            raise OutputError(f"cannot remove {folder / name}: {e.strerror or e}", hint="check its permissions") from e
    manifest = ("\n".join(sorted(files)) + "\n").encode("utf-8")
    if not same_file(folder / MANIFEST, manifest):
        replace_file(folder / MANIFEST, manifest)
    return written


def _manifest(folder: Path) -> set[str]:
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return set()
    except OSError as e:
        raise OutputError(f"cannot read {folder / MANIFEST}: {e.strerror or e}", hint="check its permissions") from e
    # only plain relative paths: a hand-edited list must never make publish delete outside the folder
    return {line for line in text.splitlines() if line and ".." not in line.split("/") and not line.startswith("/")}


def same_file(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(
            f"cannot create folder {folder}: {e.strerror or e}", hint="check the path and its permissions"
        ) from e


def replace_file(target: Path, data: bytes) -> None:
    """Write ``data`` beside ``target`` and rename it over: a reader (a web server) sees the old file or the new one."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        # mode 0o666 less the umask, as any file the person creates (a web server must be able to read it)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(
            f"cannot write {target}: {e.strerror or e}", hint="check the disk and the folder's permissions"
        ) from e
