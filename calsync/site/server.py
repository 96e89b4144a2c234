"""``calsync serve``: the site's pages and feeds from memory, an ASGI app under uvicorn, following the agenda files.

The only importer of Starlette, uvicorn and watchfiles (the ``calsync[serve]`` extra). Why these: Starlette is a
small, typed ASGI toolkit (routing, lifespan, responses) without an ORM or templates of its own; uvicorn is the
reference ASGI server, with httptools/uvloop for speed, ``--workers`` processes and clean SIGTERM/SIGINT shutdown;
watchfiles (Rust ``notify``: inotify on Linux) wakes the server when an agenda changes instead of polling per request.

Every answer comes from :class:`~calsync.site.live.LiveSite`'s map of paths: nothing a request says is ever used as
a file name, so there is no path to traverse, no directory to list, and only the given agendas are reachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import email.utils
import json
import logging
import logging.handlers
import os
from collections.abc import AsyncIterator
from typing import Any

import anyio
import uvicorn
import uvicorn.config
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from watchfiles import awatch

from .live import CACHE_FILES, LiveSite, Resource, ServeConfig
from .templating import assets

__all__ = ["create_app", "app_from_environment", "run", "CONFIG_VARIABLE"]

log = logging.getLogger("calsync.serve")

# How ``--workers`` processes receive the configuration: uvicorn starts them from an import string.
CONFIG_VARIABLE = "CALSYNC_SERVE_CONFIG"

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


def create_app(config: ServeConfig, site: LiveSite | None = None) -> ASGIApp:
    """The ASGI app serving ``config``'s agendas (``site`` to share one already read, as the tests do)."""
    live = site or LiveSite(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not live.entries:
            await anyio.to_thread.run_sync(live.refresh)
        stop = asyncio.Event()
        tasks = [asyncio.create_task(_follow(live, stop)), asyncio.create_task(_flush_access_log(stop))]
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
    return _Files(live, app)


class _Files:
    """The hot path: a site file answered straight from memory with precomputed headers, before Starlette's routing.

    Calendar clients and CDNs poll feeds far more than anything else is asked for; everything else (status, health,
    redirects, 404s, lifespan) goes to the Starlette app, which answers the same files the same way when reached.
    """

    def __init__(self, live: LiveSite, app: Starlette) -> None:
        self.live = live
        self.app = app
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
                else:
                    await send({"type": "http.response.start", "status": 200, "headers": ok})
                    await send({"type": "http.response.body", "body": res.body if scope["method"] == "GET" else b""})
                return
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
    return create_app(ServeConfig.from_data(json.loads(os.environ[CONFIG_VARIABLE])))


def _log_setup() -> None:
    logger = logging.getLogger("calsync")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with the access log buffered: one line per request, written in batches.

    A line written (and flushed) per request was most of a request's cost and the source of the slowest 1 %;
    buffered, lines reach the log within :data:`ACCESS_FLUSH_SECONDS` (sooner under load, at once for errors).
    """
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["handlers"]["access_stream"] = config["handlers"].pop("access")
    config["handlers"]["access"] = {
        "class": "logging.handlers.MemoryHandler",
        "capacity": 512,
        "flushLevel": logging.ERROR,
        "target": "access_stream",
    }
    return config


ACCESS_FLUSH_SECONDS = 0.5


async def _flush_access_log(stop: asyncio.Event) -> None:
    handlers = [
        h for h in logging.getLogger("uvicorn.access").handlers if isinstance(h, logging.handlers.MemoryHandler)
    ]
    while handlers and not stop.is_set():
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), ACCESS_FLUSH_SECONDS)
        for handler in handlers:
            handler.flush()


def run(config: ServeConfig, *, host: str, port: int, workers: int = 1, access_log: bool = True) -> None:
    """Serve until SIGTERM or SIGINT (uvicorn finishes the requests in flight, then the watcher stops)."""
    _log_setup()
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "access_log": access_log,
        "server_header": False,
        "proxy_headers": False,
        "log_level": "info",
        "log_config": log_config(),
    }
    if workers > 1:
        os.environ[CONFIG_VARIABLE] = json.dumps(config.to_data())
        uvicorn.run("calsync.site.server:app_from_environment", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(config), **options)
