"""The WebDAV/CalDAV request bodies calsync sends and the multistatus answers it reads (RFC 4918, 4791, 5397).

Pure: strings in, strings out, no HTTP. Answers are parsed with the standard library's expat-backed ElementTree,
which expands no external entities.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit
from xml.sax.saxutils import escape

__all__ = [
    "DAV",
    "CALDAV",
    "Resource",
    "calendar_query",
    "calendar_multiget",
    "propfind",
    "mkcalendar",
    "parse_multistatus",
    "error_conditions",
    "resource_name",
    "same_collection",
]

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'


@dataclass
class Resource:
    """One ``response`` of a multistatus: its URL and the properties found (status 200), by ``{ns}name``."""

    url: str
    status: int | None = None  # the response's own status, when it gives one instead of propstats (e.g. 404)
    props: dict[str, ET.Element] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        element = self.props.get(name)
        return None if element is None else (element.text or "")

    def hrefs(self, name: str, base: str) -> list[str]:
        """The URLs inside a property such as ``current-user-principal`` or ``calendar-home-set``."""
        element = self.props.get(name)
        if element is None:
            return []
        return [urljoin(base, (h.text or "").strip()) for h in element.iter(f"{{{DAV}}}href") if (h.text or "").strip()]

    def resource_types(self) -> set[str]:
        element = self.props.get(f"{{{DAV}}}resourcetype")
        return set() if element is None else {child.tag for child in element}

    def components(self) -> set[str] | None:
        """The calendar's ``supported-calendar-component-set`` (None when the server does not say: all)."""
        element = self.props.get(f"{{{CALDAV}}}supported-calendar-component-set")
        if element is None:
            return None
        return {(c.get("name") or "").upper() for c in element.iter(f"{{{CALDAV}}}comp")}


def calendar_query() -> str:
    """Every event of the collection with its ETag and data: one REPORT lists the calendar (RFC 4791 §7.8).

    No filter on calsync's own properties: servers differ in what property filters they honour, and one that
    silently answered nothing would make calsync see an empty calendar. Only the events' data is sent back."""
    return (
        f'{_HEAD}<C:calendar-query xmlns:D="DAV:" xmlns:C="{CALDAV}">'
        "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
        '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter>'
        "</C:calendar-query>"
    )


def calendar_multiget(paths: list[str]) -> str:
    """The ETags and data of these resources (RFC 4791 §7.9): the read-back after a push's writes."""
    hrefs = "".join(f"<D:href>{escape(p)}</D:href>" for p in paths)
    return (
        f'{_HEAD}<C:calendar-multiget xmlns:D="DAV:" xmlns:C="{CALDAV}">'
        f"<D:prop><D:getetag/><C:calendar-data/></D:prop>{hrefs}</C:calendar-multiget>"
    )


def propfind(*names: str) -> str:
    """A PROPFIND asking for these properties, each given as ``{namespace}name``."""
    props = "".join(f'<x:{_local(n)} xmlns:x="{_ns(n)}"/>' for n in names)
    return f'{_HEAD}<D:propfind xmlns:D="DAV:"><D:prop>{props}</D:prop></D:propfind>'


def mkcalendar(display_name: str) -> str:
    """A calendar for events only, with this name (RFC 4791 §5.3.1)."""
    return (
        f'{_HEAD}<C:mkcalendar xmlns:D="DAV:" xmlns:C="{CALDAV}"><D:set><D:prop>'
        f"<D:displayname>{escape(display_name)}</D:displayname>"
        '<C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>'
        "</D:prop></D:set></C:mkcalendar>"
    )


def parse_multistatus(body: bytes, base: str) -> list[Resource]:
    """The responses of a 207 Multi-Status, each with the properties its server found; raises ``ValueError``."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise ValueError(f"the server's answer is not XML ({e})") from None
    if root.tag != f"{{{DAV}}}multistatus":
        raise ValueError(f"the server's answer is {_local(root.tag)!r}, not a multistatus")
    out = []
    for response in root.iter(f"{{{DAV}}}response"):
        href = response.findtext(f"{{{DAV}}}href")
        if not href:
            continue
        resource = Resource(urljoin(base, href.strip()), status=_status(response.findtext(f"{{{DAV}}}status")))
        for propstat in response.iter(f"{{{DAV}}}propstat"):
            if _status(propstat.findtext(f"{{{DAV}}}status")) != 200:
                continue  # a 404 propstat lists what the resource does not have
            for prop in propstat.iter(f"{{{DAV}}}prop"):
                for child in prop:
                    resource.props[child.tag] = child
        out.append(resource)
    return out


def error_conditions(body: bytes) -> set[str]:
    """The local names of the pre-/postconditions in a WebDAV ``error`` body (RFC 4918 §16), e.g.
    ``supported-calendar-component``; empty when the body is not one."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return set()
    if _local(root.tag) != "error":
        return set()
    return {_local(child.tag) for child in root}


def resource_name(url: str) -> str:
    """The event id calsync uses for a resource: its last path segment, decoded, without ``.ics``."""
    name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    return name[: -len(".ics")] if name.endswith(".ics") else name


def same_collection(a: str, b: str) -> bool:
    """Whether two URLs name the same collection (trailing slash and escaping aside)."""
    return unquote(urlsplit(a).path).rstrip("/") == unquote(urlsplit(b).path).rstrip("/")


def _status(line: str | None) -> int | None:
    parts = (line or "").split()
    try:
        return int(parts[1]) if len(parts) > 1 else None
    except ValueError:
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else DAV
