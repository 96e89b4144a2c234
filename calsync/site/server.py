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
import email.utils
import json
import logging
import os
from typing import Any, AsyncIterator

import anyio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
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


def create_app(config: ServeConfig, site: LiveSite | None = None) -> Starlette:
    """The ASGI app serving ``config``'s agendas (``site`` to share one already read, as the tests do)."""
    live = site or LiveSite(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not live.entries:
            await anyio.to_thread.run_sync(live.refresh)
        stop = asyncio.Event()
        watcher = asyncio.create_task(_follow(live, stop))
        try:
            yield
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    async def status(request: Request) -> Response:
        return _body(request, live.status_html(), "text/html; charset=utf-8", {"cache-control": "no-store"})

    async def status_json(request: Request) -> Response:
        body = (json.dumps(live.status_data(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        return _body(request, body, "application/json; charset=utf-8", {"cache-control": "no-store"})

    async def file(request: Request) -> Response:
        return _file(request, live)

    return Starlette(
        routes=[
            Route("/healthz", _healthz, methods=["GET", "HEAD"]),
            Route("/status", status, methods=["GET", "HEAD"]),
            Route("/status.json", status_json, methods=["GET", "HEAD"]),
            Route("/{path:path}", file, methods=["GET", "HEAD"]),
        ],
        lifespan=lifespan,
    )


async def _follow(live: LiveSite, stop: asyncio.Event) -> None:
    """Read an agenda again as soon as its file changes (file-system events, not a poll per request)."""
    folders = [str(f) for f in live.folders()]
    if not folders:
        return  # the built-in example never changes
    async for changes in awatch(*folders, stop_event=stop, debounce=DEBOUNCE_MS, step=50, recursive=False):
        if live.affected(path for _, path in changes):
            reread = await anyio.to_thread.run_sync(live.refresh)
            if reread:
                log.info("agenda changed: %s", ", ".join(p or "(built-in example)" for p in reread))


def _headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**SECURITY_HEADERS, **(extra or {})}


async def _healthz(request: Request) -> Response:
    return Response("ok\n" if request.method == "GET" else b"", media_type="text/plain",
                    headers=_headers({"cache-control": "no-store", "content-length": "3"}))


def _body(request: Request, body: bytes, kind: str, extra: dict[str, str]) -> Response:
    headers = _headers({**extra, "content-length": str(len(body))})
    return Response(body if request.method == "GET" else b"", media_type=kind, headers=headers)


def _not_found() -> Response:
    return Response("not found\n", status_code=404, media_type="text/plain", headers=_headers({"cache-control": "no-store"}))


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


def _resource(request: Request, res: Resource) -> Response:
    headers = _headers({"etag": res.etag, "last-modified": res.last_modified, "cache-control": CACHE_FILES})
    if res.content_type.startswith(("text/calendar", "application/json")):
        headers["access-control-allow-origin"] = "*"  # web calendars and scripts elsewhere may read a public feed
    if _not_modified(request, res):
        return Response(status_code=304, headers=headers)
    headers["content-length"] = str(len(res.body))
    return Response(res.body if request.method == "GET" else b"", media_type=res.content_type, headers=headers)


def _not_modified(request: Request, res: Resource) -> bool:
    """RFC 9110 §13.1: If-None-Match wins; If-Modified-Since counts only without it."""
    tags = request.headers.get("if-none-match")
    if tags is not None:
        wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
        return "*" in wanted or res.etag in wanted
    since = request.headers.get("if-modified-since")
    if since:
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return when is not None and when.timestamp() >= res.modified
    return False


def app_from_environment() -> Starlette:
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


def run(config: ServeConfig, *, host: str, port: int, workers: int = 1, access_log: bool = True) -> None:
    """Serve until SIGTERM or SIGINT (uvicorn finishes the requests in flight, then the watcher stops)."""
    _log_setup()
    options: dict[str, Any] = {"host": host, "port": port, "access_log": access_log, "server_header": False,
                               "proxy_headers": False, "log_level": "info"}
    if workers > 1:
        os.environ[CONFIG_VARIABLE] = json.dumps(config.to_data())
        uvicorn.run("calsync.site.server:app_from_environment", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(config), **options)
