"""Real CalDAV servers for the tests, on 127.0.0.1 random ports, with authentication on, and a proxy in front of them
that delays, drops or bends requests the way networks and other servers do.

- Radicale (PyPI ``radicale``) runs its own WSGI application with its own htpasswd authentication.
- Xandikos (PyPI ``xandikos``) authenticates only in its standalone aiohttp server, and only over HTTPS; its WSGI
  application has no authentication of its own, so :class:`BasicAuth` here wraps it in a small HTTP Basic check.

Both are served by the standard library's threaded WSGI server. :class:`Proxy` speaks HTTP/1.1 with keep-alive to
the client (so the client's connection pool is exercised), counts requests, and injects faults.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import itertools
import re
import socketserver
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

USER, PASSWORD = "organiser", "s3cret-pass"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class ServedApp:
    """A WSGI application served on 127.0.0.1 at a random port, in a background thread."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.server = make_server("127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
        self.port = self.server.server_address[1]
        self.root = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class BasicAuth:
    """HTTP Basic authentication in front of a WSGI application (Xandikos's WSGI app has none of its own)."""

    def __init__(self, app: Callable[..., Any], users: dict[str, str]) -> None:
        self.app = app
        self.users = users

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        header = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, encoded = header.partition(" ")
        try:
            user, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
        except ValueError:
            user, password = "", ""
        if scheme.lower() != "basic" or self.users.get(user) != password:
            start_response(
                "401 Unauthorized", [("WWW-Authenticate", 'Basic realm="xandikos"'), ("Content-Type", "text/plain")]
            )
            return [b"Authentication required.\n"]
        environ["REMOTE_USER"] = user
        # Xandikos reads wsgi.input to its end; wsgiref hands over the raw socket, so give it just the body (as
        # production WSGI servers do).
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length) if length > 0 else b"")
        return self.app(environ, start_response)


@dataclass
class Server:
    """A running CalDAV server: its name, root URL, the calendar that exists from the start, and how to stop it."""

    name: str
    served: ServedApp
    calendar_path: str  # e.g. "/organiser/calendar/"
    principal_path: str
    home_path: str  # where new calendars go

    @property
    def root(self) -> str:
        return self.served.root

    def stop(self) -> None:
        self.served.stop()


def radicale(folder: Path) -> Server:
    """Radicale with htpasswd authentication (plain entries: this is a test) and the user's calendar made."""
    import radicale as radicale_pkg
    from radicale import config

    htpasswd = folder / "users"
    htpasswd.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    configuration = config.load()
    configuration.update(
        {
            "auth": {
                "type": "htpasswd",
                "htpasswd_filename": str(htpasswd),
                "htpasswd_encryption": "plain",
                "delay": "0",
            },
            "storage": {"filesystem_folder": str(folder / "collections"), "_filesystem_fsync": "False"},
            "rights": {"type": "owner_only"},
            "logging": {"level": "warning", "mask_passwords": "True"},
        },
        "calsync tests",
        privileged=True,
    )
    served = ServedApp(radicale_pkg.Application(configuration))
    server = Server("radicale", served, f"/{USER}/calendar/", f"/{USER}/", f"/{USER}/")
    mkcalendar(server, server.calendar_path, "Calendar")
    return server


def xandikos(folder: Path) -> Server:
    """Xandikos (single user, default calendar made) behind :class:`BasicAuth`."""
    import logging

    from xandikos.web import SingleUserFilesystemBackend, XandikosApp
    from xandikos.wsgi_helpers import WellknownRedirector

    logging.getLogger("xandikos").setLevel(logging.ERROR)
    backend = SingleUserFilesystemBackend(str(folder))
    backend.create_principal("/user/", create_defaults=True)
    app = XandikosApp(backend, current_user_principal="/user/")
    served = ServedApp(BasicAuth(WellknownRedirector(app, "/"), {USER: PASSWORD}))  # as Xandikos's WSGI deployments
    return Server("xandikos", served, "/user/calendars/calendar/", "/user/", "/user/calendars/")


def request(
    server: Server, method: str, path: str, body: bytes | str | None = None, headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    """One authenticated request straight to the server (no proxy): the tests' hands on the calendar."""
    connection = http.client.HTTPConnection("127.0.0.1", server.served.port, timeout=10)
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    sent = {"Authorization": f"Basic {token}", **(headers or {})}
    connection.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=sent)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def mkcalendar(server: Server, path: str, name: str, components: tuple[str, ...] = ("VEVENT",)) -> int:
    comps = "".join(f'<C:comp name="{c}"/>' for c in components)
    body = (
        '<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        f"<D:set><D:prop><D:displayname>{name}</D:displayname><C:supported-calendar-component-set>{comps}"
        "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
    )
    return request(server, "MKCALENDAR", path, body, {"Content-Type": "application/xml"}).status


def objects(server: Server, path: str) -> dict[str, bytes]:
    """Every object of a calendar collection, by href: what is really on the server."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?><C:calendar-query xmlns:D="DAV:" '
        'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>'
        '<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>'
    )
    response = request(server, "REPORT", path, body, {"Depth": "1", "Content-Type": "application/xml"})
    assert response.status == 207, (response.status, response.body)  # type: ignore[attr-defined]
    import xml.etree.ElementTree as ET

    out = {}
    for r in ET.fromstring(response.body).iter("{DAV:}response"):  # type: ignore[attr-defined]
        href = r.findtext("{DAV:}href") or ""
        data = r.find(".//{urn:ietf:params:xml:ns:caldav}calendar-data")
        if data is not None and data.text:
            out[href] = data.text.encode("utf-8")
    return out


def etag_of(server: Server, href: str) -> str:
    return request(server, "GET", href).getheader("ETag") or ""


# -- the proxy ---------------------------------------------------------------------------------------------------------

DROP = "drop"  # close the connection before the request reaches the server
LOST = "lost"  # forward the request, then close the connection without the answer (done, but the client can't know)


class Proxy:
    """HTTP/1.1 keep-alive proxy to one server: latency, faults per request, and server quirks on demand."""

    def __init__(self, upstream_port: int, *, latency: float = 0.0) -> None:
        self.upstream_port = upstream_port
        self.latency = latency
        self.faults: list[str | int | None] = []  # consumed one per request (of ``fault_methods``)
        self.fault_methods: set[str] | None = None  # None: any method
        self.requests: list[tuple[str, str]] = []
        self.connections = 0
        self.before: Callable[[str, str], None] | None = None  # runs before a request is forwarded
        self.strip_put_etag = False  # a server that answers PUT without an ETag
        self.weak_etags = False  # a server that lists weak ETags only
        self.rewrite_uids = False  # a server that stores events under UIDs of its own
        self.refuse: dict[str, int] = {}  # a body substring -> the status every such request gets (a missing feature)
        self.sink: dict[str, bytes] | None = None  # when set, PUTs are kept here and answered at once (the link alone)
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                with proxy._lock:
                    proxy.connections += 1

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def handle_one_request(self) -> None:
                try:
                    super().handle_one_request()
                except (ConnectionError, TimeoutError):
                    self.close_connection = True

            def __getattr__(self, name: str) -> Any:
                if name.startswith("do_"):
                    return self.forward
                raise AttributeError(name)

            def forward(self) -> None:
                proxy._forward(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.root = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.faults.clear()
            self.connections = 0
        self.fault_methods = None
        self.before = None
        self.strip_put_etag = self.weak_etags = self.rewrite_uids = False
        self.refuse = {}
        self.sink = None

    def count(self, method: str | None = None) -> int:
        return sum(1 for m, _ in self.requests if method is None or m == method)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _next_fault(self, method: str) -> str | int | None:
        with self._lock:
            if self.faults and (self.fault_methods is None or method in self.fault_methods):
                return self.faults.pop(0)
        return None

    def _forward(self, handler: BaseHTTPRequestHandler) -> None:
        method, path = handler.command, handler.path
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        with self._lock:
            self.requests.append((method, path))
        if self.latency:
            time.sleep(self.latency)
        fault = self._next_fault(method)
        if fault == DROP:
            handler.close_connection = True
            return
        if isinstance(fault, int):
            self._answer(handler, fault, b"", {})
            return
        for needle, status in self.refuse.items():
            if needle.encode() in body:
                self._answer(handler, status, b"", {})
                return
        if self.sink is not None and method == "PUT":
            self.sink[path] = body
            self._answer(handler, 201, b"", {"ETag": f'"{hashlib.sha1(body).hexdigest()}"'})
            return
        if self.before is not None:
            self.before(method, path)
        if self.rewrite_uids and method == "PUT":
            # the server's own UID for an object it has not named yet; one it named keeps it
            body = re.sub(
                rb"(?m)^UID:(?!server-)(.*?)\r$",
                lambda m: b"UID:server-" + hashlib.sha1(m[1]).hexdigest()[:16].encode() + b"\r",
                body,
            )
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "connection", "keep-alive")}
        headers["Content-Length"] = str(len(body))
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        try:
            upstream.request(method, path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            status, reply_headers = response.status, dict(response.getheaders())
        finally:
            upstream.close()
        if fault == LOST:
            handler.close_connection = True
            return
        if self.strip_put_etag and method == "PUT":
            reply_headers = {k: v for k, v in reply_headers.items() if k.lower() != "etag"}
        if self.weak_etags:
            data = re.sub(rb"<([A-Za-z0-9]+:)?getetag>(&quot;|\")", rb"<\1getetag>W/\2", data)
            reply_headers = {
                k: ("W/" + v if k.lower() == "etag" and not v.startswith("W/") else v) for k, v in reply_headers.items()
            }
        self._answer(handler, status, data, reply_headers)

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, status: int, data: bytes, headers: dict[str, str]) -> None:
        handler.send_response(status)
        for key, value in headers.items():
            if key.lower() not in ("content-length", "connection", "transfer-encoding", "keep-alive", "date", "server"):
                handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        if data and handler.command != "HEAD":
            handler.wfile.write(data)


class Site:
    """A server and the proxy in front of it, as the tests use them: fresh calendars, backends through the proxy."""

    def __init__(self, server: Server, *, latency: float = 0.0) -> None:
        self.server = server
        self.proxy = Proxy(server.served.port, latency=latency)
        self._names = itertools.count(1)

    @property
    def name(self) -> str:
        return self.server.name

    def new_calendar(self, components: tuple[str, ...] = ("VEVENT",), name: str | None = None) -> str:
        """A fresh empty calendar collection; its path."""
        n = next(self._names)
        path = f"{self.server.home_path}cal{n}/"
        status = mkcalendar(self.server, path, name or f"Calendar {n}", components)
        assert status in (200, 201), status
        return path

    def url(self, path: str) -> str:
        return self.proxy.root + path

    def backend(self, path: str, **options: Any) -> Any:
        from calsync.backends.caldav import CalDAVCalendar
        from calsync.backends.caldav_auth import Login

        options.setdefault("sleep", lambda s: time.sleep(s / 5))  # real backoff, shortened: Xandikos answers 423 to
        # writes that race for its git lock, and retrying at once would race again
        return CalDAVCalendar.connect(self.url(path), login=Login(USER, PASSWORD, "test"), **options)

    def stop(self) -> None:
        self.proxy.stop()
        self.server.stop()


def start(name: str, folder: Path, *, latency: float = 0.0) -> Site:
    return Site((radicale if name == "radicale" else xandikos)(folder), latency=latency)
