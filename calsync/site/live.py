"""The files ``calsync serve`` answers with, kept in step with agenda files on disk.

No web stack here: :class:`LiveSite` reads the agendas, builds the same files ``publish`` writes (one
:func:`~calsync.site.publish.meeting_files` per agenda), keeps each agenda's last good version when it stops
reading, and records what the organiser needs on ``/status``. The server swaps in a rebuilt map at once, so a request
always sees one consistent site.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..errors import CalsyncError, InputFileError, OutputError
from ..ical import IcsCalendar, read_feed
from ..model import Agenda
from ..reading import ReadOptions, read_agenda
from ..zones import participant_zones
from .pages import render_index, render_status
from .publish import SiteOptions, meeting_files, published_feeds, replace_file, same_file

__all__ = ["ServeConfig", "Resource", "LiveSite", "AGENDA_SUFFIXES"]

log = logging.getLogger("calsync.serve")

# What counts as an agenda in a folder given to serve (the kinds read_agenda reads).
AGENDA_SUFFIXES = (".md", ".markdown", ".txt", ".text", ".pdf", ".docx", ".json", ".yaml", ".yml")

# Calendar clients poll on their own schedule (Google every 8-24 h whatever the feed says); a CDN in front may keep
# a copy 5 minutes and, if calsync is down, serve the last one for a day. Pages the same: they change with the agenda.
CACHE_FILES = "public, max-age=300, stale-if-error=86400"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}


@dataclass(frozen=True)
class ServeConfig:
    """What ``calsync serve`` was asked for, as plain data (each worker process rebuilds its site from it)."""

    paths: tuple[str, ...] = ()  # agenda files and folders of agendas; () is the built-in example
    meeting_tz: str | None = None
    date: str | None = None
    literal_offsets: bool = False
    encoding: str | None = None
    tz: tuple[str, ...] = ()
    participants: str | None = None
    zoom_url: str | None = None
    base_url: str | None = None
    stamp: float | None = None  # SOURCE_DATE_EPOCH; else each agenda's modification time, the same in every worker
    lang: str | None = None  # --lang: the pages' language instead of each agenda's own
    state: str | None = None  # a folder keeping each meeting's last served feed (restarts and workers number from it)

    def to_data(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ServeConfig:
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**values)


@dataclass(frozen=True)
class Resource:
    """One file as served: its bytes and the headers that let clients and CDNs revalidate it."""

    body: bytes
    content_type: str
    etag: str
    last_modified: str  # an HTTP date
    modified: float  # the same instant, for If-Modified-Since

    @classmethod
    def of(cls, name: str, body: bytes, modified: float) -> Resource:
        # The ETag is the content's own digest, so every worker (and a restart) gives the same one for the same bytes.
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        kind = TYPES.get(os.path.splitext(name)[1], "application/octet-stream")
        return cls(body, kind, etag, email.utils.formatdate(modified, usegmt=True), int(modified))


@dataclass
class Entry:
    """One agenda file as the organiser sees it on /status."""

    path: str
    agenda: Agenda | None = None  # the last version that read
    files: dict[str, Resource] = field(default_factory=dict)
    error: str | None = None
    warnings: tuple[str, ...] = ()
    read_at: str = ""
    tried_at: str = ""
    mtime: float | None = None


class LiveSite:
    """The served site: every agenda's files by path, rebuilt when an agenda file changes."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.entries: dict[str, Entry] = {}
        self.files: dict[str, Resource] = {}
        self._lock = threading.Lock()  # reads run in worker threads; one rebuild at a time

    # --- which files are agendas -----------------------------------------------------------------------------------

    def folders(self) -> list[Path]:
        """Folders to watch: each given folder, and the folder of each given file (editors replace files by rename)."""
        out: list[Path] = []
        for raw in self.config.paths:
            path = Path(raw)
            folder = path if path.is_dir() else path.parent
            if folder.resolve() not in [f.resolve() for f in out]:
                out.append(folder)
        return out

    def agenda_paths(self) -> list[str]:
        """The agenda files now: given files as given, and the agenda files inside given folders.

        Inside a folder only regular files that stay inside it count: a symlink to elsewhere is not served.
        """
        found: list[str] = []
        for raw in self.config.paths:
            path = Path(raw)
            if not path.is_dir():
                found.append(raw)
                continue
            root = path.resolve()
            for child in sorted(path.iterdir()):
                if (
                    child.suffix.lower() in AGENDA_SUFFIXES
                    and not child.name.startswith(".")
                    and not child.is_symlink()
                    and child.is_file()
                    and child.resolve().parent == root
                ):
                    found.append(str(child))
        return found or ([] if self.config.paths else [""])  # "" is the built-in example

    def affected(self, changed: Iterable[str]) -> bool:
        """Whether any changed path is (or, in a watched folder, may be) one of the agendas."""
        watched = {os.path.realpath(p) for p in self.agenda_paths() if p}
        folders = {os.path.realpath(r) for r in self.config.paths if os.path.isdir(r)}
        for name in changed:
            real = os.path.realpath(name)
            if real in watched or (os.path.dirname(real) in folders and name.lower().endswith(AGENDA_SUFFIXES)):
                return True
        return False

    # --- reading and building ------------------------------------------------------------------------------------

    def refresh(self, now: datetime | None = None) -> list[str]:
        """Read every agenda whose file changed (all of them the first time) and swap in the rebuilt site.

        Returns the paths whose agenda was read again. An agenda that no longer reads keeps its last good files.
        """
        now = now or datetime.now(UTC)
        with self._lock:
            paths = self.agenda_paths()
            reread = []
            entries = {p: self.entries.get(p) or Entry(path=p or "(built-in example)") for p in paths}
            for path, entry in entries.items():
                mtime = _mtime(path)
                if entry.tried_at and mtime == entry.mtime and entry.error is None:
                    continue
                entry.tried_at = _stamp(now)
                entry.mtime = mtime
                reread.append(path)
                self._read(entry, path, now)
            self.entries = entries
            self._rebuild()
            return reread

    def _read(self, entry: Entry, path: str, now: datetime) -> None:
        try:
            agenda = self._load(path)
            files = meeting_files(agenda, self._options(agenda, entry.mtime), self._previous(entry, agenda.key))
        except CalsyncError as e:
            entry.error = e.sentence()
            log.error(
                "%s: %s%s", entry.path, e.sentence(), "; still serving its last good version" if entry.agenda else ""
            )
            return
        except Exception as e:  # noqa: BLE001 - a reader's bug must not stop the server following the other agendas
            entry.error = f"internal error: {type(e).__name__}: {e}; please report it with this agenda"
            log.exception("%s: could not be read", entry.path)
            return
        modified = entry.mtime if entry.mtime is not None else now.timestamp()
        old = entry.files
        entry.files = {}
        for name, body in files.items():
            before = old.get(name)
            # Last-Modified moves only for files whose bytes changed, so an edit elsewhere keeps caches of the rest.
            entry.files[name] = (
                before if before is not None and before.body == body else Resource.of(name, body, modified)
            )
        entry.agenda, entry.error, entry.read_at = agenda, None, _stamp(now)
        self._keep(agenda.key, files.get(f"{agenda.key}/meeting.ics"))
        entry.warnings = tuple(f"{w.line}: {w.message}" if w.line else w.message for w in agenda.warnings)
        log.info(
            "%s: read %s (%d blocks, %d warnings)", entry.path, agenda.key, len(agenda.blocks), len(agenda.warnings)
        )

    def _previous(self, entry: Entry, key: str) -> IcsCalendar | None:
        """The version subscribers hold, which the new one is numbered against: the feed kept in the state folder
        (the last one any worker served, before a restart too; laid out as ``publish`` lays out a site), else the
        feed this process serves."""
        if self.config.state:
            try:
                kept = published_feeds(Path(self.config.state), [key]).get(key)
            except CalsyncError as e:
                log.warning("%s: %s; numbering against the feed being served", entry.path, e.sentence())
            else:
                if kept is not None:
                    return kept
        return _served_feed(entry, key)

    def _keep(self, key: str, feed: bytes | None) -> None:
        """Keep the feed now served in the state folder, whole or not at all; a failure is logged, never fatal."""
        kept = self._state_file(key)
        if kept is None or feed is None:
            return
        try:
            if not same_file(kept, feed):
                kept.parent.mkdir(parents=True, exist_ok=True)
                replace_file(kept, feed)
        except (OSError, OutputError) as e:
            log.warning("cannot keep the served feed in %s (%s); a restart will number from scratch", kept, e)

    def _state_file(self, key: str) -> Path | None:
        return Path(self.config.state) / key / "meeting.ics" if self.config.state else None

    def _load(self, path: str) -> Agenda:
        c = self.config
        options = ReadOptions(
            meeting_tz=c.meeting_tz,
            date=date.fromisoformat(c.date) if c.date else None,
            literal_offsets=c.literal_offsets,
            encoding=c.encoding,
        )
        if path and not os.path.exists(path):
            raise InputFileError("no such file (deleted or renamed?)", file=path, hint="put the agenda back")
        agenda = read_agenda(path or None, options).with_conference_url(c.zoom_url)
        return replace(agenda, language=c.lang) if c.lang else agenda

    def _options(self, agenda: Agenda, mtime: float | None) -> SiteOptions:
        c = self.config
        participants = Path(c.participants) if c.participants else None
        stamp_at = c.stamp if c.stamp is not None else mtime
        stamp = datetime.fromtimestamp(stamp_at, UTC) if stamp_at is not None else None
        return SiteOptions(zones=lambda a: participant_zones(a, c.tz, participants), base_url=c.base_url, stamp=stamp)

    def _rebuild(self) -> None:
        files: dict[str, Resource] = {}
        owners: dict[str, str] = {}
        meetings: list[Agenda] = []
        for entry in self.entries.values():
            if entry.agenda is None:
                continue
            key = entry.agenda.key
            if key in owners:
                entry.error = f"the same meeting ({key}) as {owners[key]}; only that one is served"
                continue
            owners[key] = entry.path
            meetings.append(entry.agenda)
            files.update(entry.files)
        times = [e.mtime for e in self.entries.values() if e.agenda is not None and e.mtime is not None]
        index = render_index(meetings).encode("utf-8")
        before = self.files.get("index.html")
        files["index.html"] = (
            before
            if before is not None and before.body == index
            else Resource.of("index.html", index, max(times, default=0.0) or datetime.now().timestamp())
        )
        self.files = files  # one assignment: a request sees the old site or the new one, never half of each

    # --- what the organiser sees ---------------------------------------------------------------------------------

    def status_html(self) -> bytes:
        return render_status(list(self.entries.values())).encode("utf-8")

    def status_data(self) -> list[dict[str, Any]]:
        return [
            {
                "path": e.path,
                "ok": e.error is None,
                "error": e.error,
                "serving": e.agenda is not None,
                "key": e.agenda.key if e.agenda else None,
                "title": e.agenda.title if e.agenda else None,
                "warnings": list(e.warnings),
                "read_at": e.read_at or None,
                "tried_at": e.tried_at or None,
            }
            for e in self.entries.values()
        ]


def _served_feed(entry: Entry, key: str) -> IcsCalendar | None:
    """The meeting's feed as served until now, which subscribers hold: the new version is numbered against it."""
    served = entry.files.get(f"{key}/meeting.ics")
    return read_feed(served.body) if served is not None else None


def _mtime(path: str) -> float | None:
    if not path:
        return None
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
