"""``calsync publish`` and ``calsync serve``: the meetings' pages and calendar feeds, as files or live."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from ..errors import InputFileError, MissingExtraError, UsageError
from . import options as opt
from .app import AgendaInput, app, check_join_url, check_zones, note, reports_errors, source_date_epoch, zones_for

BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        metavar="URL",
        help="The site's public address (e.g. https://example.org/meetings/), for absolute links in the feeds and "
        "the pages' subscribe links. Default: links relative to the page, completed in the browser.",
    ),
]


def check_base_url(value: str | None) -> str | None:
    """The site's address as an http(s) URL ending in ``/``; a one-line error otherwise."""
    if value is None:
        return None
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise UsageError(
            f"--base-url {value!r} is not a web address",
            hint="give where the site will be served from, e.g. --base-url https://example.org/meetings/",
        )
    return text if text.endswith("/") else text + "/"


@app.command("publish")
@reports_errors
def publish(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="The folder to write the site into (created if needed)."),
    ],
    agenda: opt.Agendas = None,
    zoom_url: opt.ZoomUrl = None,
    tz: opt.Tz = None,
    participants: opt.Participants = None,
    base_url: BaseUrlOpt = None,
    meeting_tz: opt.MeetingTz = None,
    date: opt.Date = None,
    literal_offsets: opt.LiteralOffsets = False,
    encoding: opt.Encoding = None,
    quiet: opt.Quiet = False,
    lang: opt.Lang = None,
) -> None:
    """Write a static site: a page and a calendar feed for each meeting.

    DIR/index.html lists the meetings; DIR/KEY/ holds a meeting's page (every time in the viewer's own zone, the join
    link, calendar links), its feed meeting.ics, one .ics per block and meeting.json. Put DIR on any web host or
    CDN, or open it from disk. With SOURCE_DATE_EPOCH set, publishing an unchanged agenda changes no file. A new
    version is numbered against the feed DIR holds: the same blocks keep their UIDs, and SEQUENCE rises where a
    block's time, title or link changed.
    """
    from ..site import SiteOptions, published_feeds, site_files, write_site

    sources = AgendaInput(
        meeting_tz=meeting_tz, date=date, literal_offsets=literal_offsets, encoding=encoding, quiet=quiet, lang=lang
    ).each(agenda)
    url = check_join_url(zoom_url)
    check_zones(tz)
    base = check_base_url(base_url)
    stamp = source_date_epoch()
    agendas = [s.load().with_conference_url(url) for s in sources]
    options = SiteOptions(zones=lambda a: zones_for(a, tz, participants), base_url=base, stamp=stamp)
    with _working(sum(len(a.blocks) for a in agendas)) as progress:
        progress.stage("building pages and calendars", None)
        # the feeds DIR holds are what subscribers have: the new version is numbered against them
        files = site_files(agendas, options, published_feeds(output, [a.key for a in agendas]))
        progress.stage("writing files", len(files))
        written = write_site(files, output, progress=progress.advance)
    if not quiet:
        meetings = ", ".join(f"{output}/{a.key}/" for a in agendas)
        note(
            f"calsync: published {len(agendas)} meeting{'s' if len(agendas) != 1 else ''} ({meetings}): "
            f"{len(written)} of {len(files)} files changed"
        )


class _Progress:
    """What publish is doing, on stderr as a rich progress bar: only on a terminal and for large agendas."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.task: Any = None

    def stage(self, what: str, total: int | None) -> None:
        if self.bar is not None:
            if self.task is not None:
                self.bar.remove_task(self.task)
            self.task = self.bar.add_task(what, total=total)

    def advance(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done + 1)


@contextlib.contextmanager
def _working(blocks: int) -> Iterator[_Progress]:
    if not sys.stderr.isatty() or blocks < 500:
        yield _Progress(None)
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        yield _Progress(bar)


@app.command("serve")
@reports_errors
def serve(
    agenda: opt.Agendas = None,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on (0.0.0.0 for every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="The TCP port to listen on.")] = 8080,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Server processes (each follows the agendas itself).")
    ] = 1,
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log", help="One log line per request.")] = True,
    state: Annotated[
        Path | None,
        typer.Option(
            "--state",
            metavar="DIR",
            file_okay=False,
            help="Where each meeting's last served feed is kept, so that after a restart (and in every worker) the "
            "next version is numbered against what subscribers hold. Default: calsync's state folder "
            "(~/.local/state/calsync/serve on Linux).",
        ),
    ] = None,
    zoom_url: opt.ZoomUrl = None,
    tz: opt.Tz = None,
    participants: opt.Participants = None,
    base_url: BaseUrlOpt = None,
    meeting_tz: opt.MeetingTz = None,
    date: opt.Date = None,
    literal_offsets: opt.LiteralOffsets = False,
    encoding: opt.Encoding = None,
    quiet: opt.Quiet = False,
    lang: opt.Lang = None,
) -> None:
    """Serve the same pages and feeds live, following each agenda file as it is edited.

    AGENDA may be a file or a folder of agendas. A changed file is read again at once, numbered against the last
    feed served, kept in --state across restarts (the same blocks keep their UIDs, SEQUENCE rises); one that stops
    reading keeps its last good version and shows its error on /status. Also /healthz. Needs calsync[serve].
    """
    try:
        from ..site.live import ServeConfig
        from ..site.server import run
    except ImportError as e:
        raise MissingExtraError(
            f"'calsync serve' needs the serve extra ({e.name} is not installed)", hint="pip install 'calsync[serve]'"
        ) from None

    url = check_join_url(zoom_url)
    check_zones(tz)
    base = check_base_url(base_url)
    stamp = source_date_epoch()
    paths = tuple(str(p) for p in agenda or ())
    for path in paths:
        if not Path(path).exists():
            raise InputFileError(
                "no such file or folder", file=path, hint="check the path, or omit AGENDA for the example"
            )
    if participants is not None and not participants.is_file():
        raise InputFileError("no such file", file=participants, hint="check the --participants path")
    config = ServeConfig(
        paths=paths,
        meeting_tz=meeting_tz,
        date=date,
        literal_offsets=literal_offsets,
        encoding=encoding,
        tz=tuple(tz or ()),
        participants=str(participants) if participants else None,
        zoom_url=url,
        base_url=base,
        stamp=stamp.timestamp() if stamp else None,
        lang=lang.value if lang is not None else None,
        state=str(state or _state_folder()),
    )
    note(f"calsync: serving {', '.join(paths) or 'the built-in example'} on http://{host}:{port}/ (status: /status)")
    sys.stderr.flush()
    run(config, host=host, port=port, workers=workers, access_log=access_log)


def _state_folder() -> Path:
    """calsync serve's folder in the user's state directory (``$XDG_STATE_HOME/calsync/serve`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_state_dir("calsync", appauthor=False)) / "serve"
