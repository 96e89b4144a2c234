"""``calsync serve``: the site's pages and feeds from memory, an ASGI app under uvicorn, following the agenda files.

The only importer of Starlette, uvicorn and watchfiles (the ``calsync[serve]`` extra). Why these: Starlette is a
small, typed ASGI toolkit (routing, lifespan, responses) without an ORM or templates of its own; uvicorn is the
reference ASGI server, with httptools for speed (on asyncio's own loop: see :func:`run`), ``--workers`` processes
and clean SIGTERM/SIGINT shutdown; watchfiles (Rust ``notify``: inotify on Linux) wakes the server when an agenda
changes instead of polling per request.

Every answer comes from :class:`~calsync.site.live.LiveSite`'s map of paths: nothing a request says is ever used as
a file name, so there is no path to traverse, no directory to list, and only the given agendas are reachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import email.utils
import gc
import http
import json
import logging
import os
import urllib.parse
from collections.abc import AsyncIterator
from typing import Any

import anyio
import uvicorn
import uvicorn.config
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from watchfiles import awatch

from .live import CACHE_FILES, LiveSite, Resource, ServeConfig
from .templating import assets

__all__ = ["create_app", "app_from_environment", "run", "CONFIG_VARIABLE"]

log = logging.getLogger("calsync.serve")

# How ``--workers`` processes receive the configuration: uvicorn starts them from an import string.
CONFIG_VARIABLE = "CALSYNC_SERVE_CONFIG"
ACCESS_KEY = "_access_log"  # beside the configuration in it: whether to write the access log

# The access log's logger: each record is a batch of finished lines (see AccessLog).
ACCESS_LOGGER = "calsync.serve.access"
STATUS = {s.value: f"{s.value} {s.phrase}" for s in http.HTTPStatus}  # as uvicorn writes a status: "304 Not Modified"

# Editors write a file in bursts (truncate, write, rename); wait this long for quiet before reading it again.
DEBOUNCE_MS = 150

SECURITY_HEADERS = {
    "content-security-policy": assets().csp + "; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "geolocation=(), camera=(), microphone=()",
}


def create_app(
    config: ServeConfig, site: LiveSite | None = None, *, access_log: bool = False, own_process: bool = False
) -> ASGIApp:
    """The ASGI app serving ``config``'s agendas (``site`` to share one already read, as the tests do).

    ``access_log``: one line per request on the ``calsync.serve.access`` logger, in batches (see :class:`AccessLog`).
    ``own_process``: the app is its process's only business (``calsync serve``): once the site is read, everything
    alive is moved out of the garbage collector's sight (:func:`gc.freeze`), so the full collections that requests'
    short-lived objects trigger (about one a second under load) stop walking the reader, the templates and the site
    (70,000 objects, 35-50 ms a time on a busy machine; with the access log off, p99 went from 27 to 13 ms).
    """
    live = site or LiveSite(config)
    access = AccessLog() if access_log else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not live.entries:
            await anyio.to_thread.run_sync(live.refresh)
        if own_process:
            gc.collect()
            gc.freeze()
        stop = asyncio.Event()
        tasks = [asyncio.create_task(_follow(live, stop))]
        if access is not None:
            tasks.append(asyncio.create_task(access.run(stop)))
        try:
            yield
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*tasks)

    async def status(request: Request) -> Response:
        return _body(request, live.status_html(), "text/html; charset=utf-8", {"cache-control": "no-store"})

    async def status_json(request: Request) -> Response:
        body = (json.dumps(live.status_data(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        return _body(request, body, "application/json; charset=utf-8", {"cache-control": "no-store"})

    async def file(request: Request) -> Response:
        return _file(request, live)

    app = Starlette(
        routes=[
            Route("/healthz", _healthz, methods=["GET", "HEAD"]),
            Route("/status", status, methods=["GET", "HEAD"]),
            Route("/status.json", status_json, methods=["GET", "HEAD"]),
            Route("/{path:path}", file, methods=["GET", "HEAD"]),
        ],
        lifespan=lifespan,
    )
    return _Files(live, app, access)


class _Files:
    """The hot path: a site file answered straight from memory with precomputed headers, before Starlette's routing.

    Calendar clients and CDNs poll feeds far more than anything else is asked for; everything else (status, health,
    redirects, 404s, lifespan) goes to the Starlette app, which answers the same files the same way when reached.
    """

    def __init__(self, live: LiveSite, app: Starlette, access: AccessLog | None = None) -> None:
        self.live = live
        self.app = app
        self.access = access
        self._heads: dict[tuple[str, str], tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path = scope["path"]
            res = self.live.files.get(path[1:] + "index.html" if path.endswith("/") else path[1:])
            raw = scope.get("raw_path") or b""
            if res is not None and b"%" not in raw and b"\\" not in raw:
                ok, not_modified = self._head(res)
                if _not_modified_raw(scope["headers"], res):
                    await send({"type": "http.response.start", "status": 304, "headers": not_modified})
                    await send({"type": "http.response.body", "body": b""})
                    status = 304
                else:
                    await send({"type": "http.response.start", "status": 200, "headers": ok})
                    await send({"type": "http.response.body", "body": res.body if scope["method"] == "GET" else b""})
                    status = 200
                if self.access is not None:
                    self.access.add(scope, path, status)
                return
        if self.access is not None and scope["type"] == "http":
            send = self.access.logging(scope, send)
        await self.app(scope, receive, send)

    def _head(self, res: Resource) -> tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]:
        key = (res.etag, res.content_type)
        found = self._heads.get(key)
        if found is None:
            common = [(k.encode(), v.encode()) for k, v in _file_headers(res).items()]
            ok = common + [
                (b"content-type", res.content_type.encode()),
                (b"content-length", str(len(res.body)).encode()),
            ]
            found = self._heads[key] = (ok, common)
            if len(self._heads) > 4096:  # old versions of edited files
                self._heads = {key: found}
        return found


def _not_modified_raw(headers: list[tuple[bytes, bytes]], res: Resource) -> bool:
    tags = since = None
    for name, value in headers:
        if name == b"if-none-match":
            tags = value.decode("latin-1")
        elif name == b"if-modified-since":
            since = value.decode("latin-1")
    return _fresh(tags, since, res)


async def _follow(live: LiveSite, stop: asyncio.Event) -> None:
    """Read an agenda again as soon as its file changes (file-system events, not a poll per request)."""
    folders = [str(f) for f in live.folders()]
    if not folders:
        return  # the built-in example never changes
    async for changes in awatch(*folders, stop_event=stop, debounce=DEBOUNCE_MS, step=50, recursive=False):
        if live.affected(path for _, path in changes):
            try:
                reread = await anyio.to_thread.run_sync(live.refresh)
            except Exception:  # noqa: BLE001 - keep following; the last good site stays served
                log.exception("could not rebuild the site")
                continue
            if reread:
                log.info("agenda changed: %s", ", ".join(p or "(built-in example)" for p in reread))


def _headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**SECURITY_HEADERS, **(extra or {})}


async def _healthz(request: Request) -> Response:
    return Response(
        "ok\n" if request.method == "GET" else b"",
        media_type="text/plain",
        headers=_headers({"cache-control": "no-store", "content-length": "3"}),
    )


def _body(request: Request, body: bytes, kind: str, extra: dict[str, str]) -> Response:
    headers = _headers({**extra, "content-length": str(len(body))})
    return Response(body if request.method == "GET" else b"", media_type=kind, headers=headers)


def _not_found() -> Response:
    return Response(
        "not found\n", status_code=404, media_type="text/plain", headers=_headers({"cache-control": "no-store"})
    )


def _file(request: Request, live: LiveSite) -> Response:
    raw = request.scope.get("raw_path") or b""
    # An encoded slash or backslash names no file of ours: refuse it rather than let a decoder decide what it means.
    if b"%2f" in raw.lower() or b"%5c" in raw.lower() or b"\\" in raw:
        return _not_found()
    path = request.path_params["path"]
    files = live.files
    name = path + "index.html" if path.endswith("/") or not path else path
    found = files.get(name)
    if found is None:
        if files.get(path + "/index.html") is not None:
            # relative links on a meeting's page need the folder's trailing slash, as every static host does
            return Response(status_code=308, headers=_headers({"location": f"/{path}/", "cache-control": CACHE_FILES}))
        return _not_found()
    return _resource(request, found)


def _file_headers(res: Resource) -> dict[str, str]:
    headers = _headers({"etag": res.etag, "last-modified": res.last_modified, "cache-control": CACHE_FILES})
    if res.content_type.startswith(("text/calendar", "application/json")):
        headers["access-control-allow-origin"] = "*"  # web calendars and scripts elsewhere may read a public feed
    return headers


def _resource(request: Request, res: Resource) -> Response:
    headers = _file_headers(res)
    if _fresh(request.headers.get("if-none-match"), request.headers.get("if-modified-since"), res):
        return Response(status_code=304, headers=headers)
    headers["content-length"] = str(len(res.body))
    return Response(res.body if request.method == "GET" else b"", media_type=res.content_type, headers=headers)


def _fresh(tags: str | None, since: str | None, res: Resource) -> bool:
    """Whether the client's copy is current (304). RFC 9110 §13.1: If-None-Match wins; If-Modified-Since counts
    only without it."""
    if tags is not None:
        wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
        return "*" in wanted or res.etag in wanted
    if since:
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return when is not None and when.timestamp() >= res.modified
    return False


def app_from_environment() -> ASGIApp:
    """The app for one of ``--workers`` processes, configured by :data:`CONFIG_VARIABLE`."""
    _log_setup()
    data = json.loads(os.environ[CONFIG_VARIABLE])
    access_log = bool(data.pop(ACCESS_KEY, True))
    return create_app(ServeConfig.from_data(data), access_log=access_log, own_process=True)


def _log_setup() -> None:
    logger = logging.getLogger("calsync")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def log_config() -> dict[str, Any]:
    """uvicorn's logging, and the access log's: its records are batches of finished lines, written as they are."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["formatters"]["lines"] = {"format": "%(message)s"}
    config["handlers"]["calsync_access"] = {
        "class": "logging.StreamHandler",
        "formatter": "lines",
        "stream": "ext://sys.stdout",
    }
    config["loggers"][ACCESS_LOGGER] = {"handlers": ["calsync_access"], "level": "INFO", "propagate": False}
    return config


class AccessLog:
    """One line per request, as uvicorn writes them, collected in memory and written by a thread in batches.

    uvicorn's own access log builds a log record, formats it and writes (and flushes) it during each request, on the
    event loop: that was a third of a request's cost, and a write held up by a slow reader of the output (a full
    pipe, a busy disk) held up every request behind it. Here a request appends a finished line; a batch is written
    every :attr:`INTERVAL` seconds, or at once when :attr:`BATCH` lines are waiting, by a worker thread (the event
    loop keeps answering meanwhile), and the rest at shutdown. If the output stays blocked, at most :attr:`LIMIT`
    lines wait; later ones are counted and the count is logged when the output moves again.
    """

    INTERVAL = 0.5
    BATCH = 1024
    LIMIT = 200_000

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.dropped = 0
        self.full = asyncio.Event()
        self.logger = logging.getLogger(ACCESS_LOGGER)

    def add(self, scope: Scope, path: str, status: int) -> None:
        """A site file answered on the hot path (``path`` is one of the site's, so nothing needs escaping)."""
        client = scope.get("client")
        where = f"{client[0]}:{client[1]}" if client else ""
        query = scope.get("query_string")
        if query:
            path = f"{path}?{_printable(query)}"
        self._line(f'INFO:     {where} - "{scope["method"]} {path} HTTP/{scope["http_version"]}" {_status(status)}')

    def logging(self, scope: Scope, send: Send) -> Send:
        """``send`` noting the status of any other answer, with the path escaped as uvicorn escapes it."""

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                path = urllib.parse.quote(scope.get("root_path", "") + scope["path"])
                self.add(scope, _printable(path.encode("latin-1")), message["status"])
            await send(message)

        return noting

    def _line(self, line: str) -> None:
        lines = self.lines
        if len(lines) >= self.LIMIT:
            self.dropped += 1
            return
        lines.append(line)
        if len(lines) >= self.BATCH:
            self.full.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Write the lines until ``stop``, then the last ones; one batch at a time, in order."""
        while not stop.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(_first(stop, self.full), self.INTERVAL)
            await self._write()
        await self._write()

    async def _write(self) -> None:
        self.full.clear()
        if not self.lines:
            return
        batch, self.lines = self.lines, []
        dropped, self.dropped = self.dropped, 0
        if dropped:
            batch.append(f"WARNING:  {dropped} access-log lines were dropped: nothing read the output")
        await anyio.to_thread.run_sync(self.logger.info, "\n".join(batch))


async def _first(*events: asyncio.Event) -> None:
    waits = [asyncio.create_task(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()


def _status(code: int) -> str:
    return STATUS.get(code) or str(code)


def _printable(raw: bytes) -> str:
    """A request's bytes as a log may show them: control characters escaped, so no line can forge another."""
    text = raw.decode("latin-1")
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def run(config: ServeConfig, *, host: str, port: int, workers: int = 1, access_log: bool = True) -> None:
    """Serve until SIGTERM or SIGINT (uvicorn finishes the requests in flight, then the watcher stops)."""
    _log_setup()
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "access_log": False,  # calsync writes it: see AccessLog
        "server_header": False,
        "proxy_headers": False,
        "log_level": "info",
        "log_config": log_config(),
        # asyncio's own event loop, not uvloop: under 200 clients polling, uvloop answered 10-15 % more requests but
        # kept some waiting: its slowest 0.1 % took 360-480 ms and its p99 ranged 20-160 ms, where asyncio's p99 was
        # 24-35 ms and its slowest request under 75 ms (benchmarks/bench_serve.py).
        "loop": "asyncio",
    }
    if workers > 1:
        os.environ[CONFIG_VARIABLE] = json.dumps({**config.to_data(), ACCESS_KEY: access_log})
        uvicorn.run("calsync.site.server:app_from_environment", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(config, access_log=access_log, own_process=True), **options)
