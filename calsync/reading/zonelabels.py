"""Zone labels as organisers write them ("CET", "GMT-3", "hora de España") -> an IANA zone and a reading note.

A label is read as the civil time of the region it names, on the meeting's date, through a geographic IANA zone:
organisers who write "CET" in July mean the clock on the wall in Brussels, which then shows CEST (UTC+2). The literal
fixed-offset reading is available on request (``literal=True``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..errors import ZoneError


@dataclass(frozen=True)
class Region:
    """The civil time a family of abbreviations names, and the standard/summer offsets each abbreviation means."""

    zone: str
    name: str
    standard: str
    summer: str


# Abbreviations are not IANA zones (or are deprecated aliases such as "CET"); each family is read through the
# geographic zone tzdata itself links it to (since tzdata 2024b "CET" links to Europe/Brussels, "EST5EDT" to
# America/New_York). German and French forms are included because organisers write them.
_REGIONS = {
    "central-europe": Region("Europe/Brussels", "Central Europe", "CET", "CEST"),
    "western-europe": Region("Europe/Lisbon", "Western Europe", "WET", "WEST"),
    "eastern-europe": Region("Europe/Athens", "Eastern Europe", "EET", "EEST"),
    "uk": Region("Europe/London", "the United Kingdom", "GMT", "BST"),
    "us-eastern": Region("America/New_York", "US Eastern", "EST", "EDT"),
    "us-central": Region("America/Chicago", "US Central", "CST", "CDT"),
    "us-mountain": Region("America/Denver", "US Mountain", "MST", "MDT"),
    "us-pacific": Region("America/Los_Angeles", "US Pacific", "PST", "PDT"),
}
# label -> (region, True if the label names summer time, False standard time, None either)
ABBREVIATIONS: dict[str, tuple[str, bool | None]] = {
    "CET": ("central-europe", False), "MEZ": ("central-europe", False), "HEC": ("central-europe", False),
    "CEST": ("central-europe", True), "MESZ": ("central-europe", True), "HAEC": ("central-europe", True),
    "CEDT": ("central-europe", True), "CEMT": ("central-europe", True),
    "WET": ("western-europe", False), "WEZ": ("western-europe", False),
    "WEST": ("western-europe", True), "WESZ": ("western-europe", True),
    "EET": ("eastern-europe", False), "OEZ": ("eastern-europe", False),
    "EEST": ("eastern-europe", True), "OESZ": ("eastern-europe", True),
    "BST": ("uk", True),
    "EST": ("us-eastern", False), "EDT": ("us-eastern", True), "ET": ("us-eastern", None),
    "CST": ("us-central", False), "CDT": ("us-central", True), "CT": ("us-central", None),
    "MST": ("us-mountain", False), "MDT": ("us-mountain", True), "MT": ("us-mountain", None),
    "PST": ("us-pacific", False), "PDT": ("us-pacific", True), "PT": ("us-pacific", None),
    # POSIX-style zone names, which tzdata 2024b itself turned into links to these cities
    "EST5EDT": ("us-eastern", None), "CST6CDT": ("us-central", None), "MST7MDT": ("us-mountain", None),
    "PST8PDT": ("us-pacific", None),
}
_SPELLED = {
    "central european time": "CET", "central european summer time": "CEST", "mitteleuropäische zeit": "MEZ",
    "mitteleuropäische sommerzeit": "MESZ", "heure d'europe centrale": "CET", "hora de europa central": "CET",
    "hora central europea": "CET", "eastern time": "ET", "pacific time": "PT", "central time": "CT",
}
_OFFSET = re.compile(r"^(?:GMT|UTC|UT|TU)\s*([+\-−–])\s*(\d{1,2})(?::?(\d{2}))?$", re.I)
_FIXED = re.compile(r"^(?:GMT|UTC|UT|TU|Z|Zulu)$", re.I)

# Written next to times: "(CET)", "GMT-3", "UTC+01:00", "CEST". Upper case only, so French "est" is not EST.
LABEL_PATTERN = re.compile(
    r"(?<![\w/])(?:(?:GMT|UTC)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?|(?:%s)|GMT|UTC)(?![\w/+])"
    % "|".join(sorted((a for a in ABBREVIATIONS if len(a) > 2), key=len, reverse=True))  # "ET" is too often a word
)
# "hora de España", "heure de Paris", "local time Brussels", "Brussels time", "Berliner Zeit" (not handled), ...
PLACE_PATTERN = re.compile(
    r"(?:\b(?:hora|heure|horario|horaire|ora|local time|time|Uhrzeit|Zeit)\s+(?:de\s+|del\s+|d['’]\s*|in\s+|en\s+|of\s+)?"
    r"(?P<after>[A-ZÀ-Ý][\w’'\-]+(?:\s+[A-ZÀ-Ý][\w’'\-]+)?))"
    r"|(?:(?P<before>[A-Z][\w’'\-]+)\s+(?:local\s+)?time\b)"
)
IANA_PATTERN = re.compile(r"\b(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Za-z_\-+0-9]+(?:/[A-Za-z_\-]+)?")
_SPELLED_PATTERN = re.compile("|".join(re.escape(k) for k in _SPELLED), re.I)


def find_label(text: str) -> str | None:
    """The first zone label written in ``text``, as written; ``None`` when there is none."""
    candidates = []
    m = LABEL_PATTERN.search(text)
    if m:
        candidates.append((m.start(), m.group(0)))
    m = _SPELLED_PATTERN.search(text)
    if m:
        candidates.append((m.start(), m.group(0)))
    for m in IANA_PATTERN.finditer(text):
        if _iana(m.group(0)):
            candidates.append((m.start(), m.group(0)))
            break
    for m in PLACE_PATTERN.finditer(text):
        place = m.group("after") or m.group("before")
        if place and _place_zone(place) is not None:
            candidates.append((m.start(), m.group(0).strip()))
            break
    return min(candidates)[1] if candidates else None


def resolve_label(label: str, on: date, *, literal: bool = False, at: datetime | None = None) -> tuple[str, str | None]:
    """Return ``(IANA zone, note)`` for a label as written, read on ``on`` (the meeting's date).

    ``at`` is a wall-clock time of the meeting, used to word the note; ``literal`` reads abbreviations as fixed offsets.
    """
    text = " ".join(label.strip().strip("()[]").split())
    if not text:
        raise ZoneError("empty time zone", hint="give an IANA name such as Europe/Paris")
    spelled = _SPELLED.get(text.lower())
    if spelled:
        text = spelled
    upper = text.upper()
    m = _OFFSET.match(text)
    if m:
        return _fixed_offset(m, text), None
    if _FIXED.match(text):
        return "Etc/UTC", None
    if upper in ABBREVIATIONS:
        return _abbreviation(upper, text, on, literal, at)
    iana = _iana(text)
    if iana:
        return iana, None
    place = _place_of(text)
    if place:
        return place, f"{label!r} read as the civil time of {place}"
    import difflib

    global _ZONES_LOWER
    if _ZONES_LOWER is None:
        _iana("UTC")
    assert _ZONES_LOWER is not None
    wanted = text.replace(" ", "_").lower()
    close = [c for c in difflib.get_close_matches(wanted, list(_ZONES_LOWER), n=4, cutoff=0.8) if c != wanted][:3]
    did_you_mean = f"did you mean {', '.join(_ZONES_LOWER[c] for c in close)}? " if close else ""
    raise ZoneError(
        f"unknown time zone {label!r}",
        hint=f"{did_you_mean}use an IANA name (e.g. Europe/Paris), an offset (UTC+1), a label such as CET, or a city",
    )


def is_offset_label(text: str) -> bool:
    """Whether ``text`` is a UTC offset label such as "UTC+3" or "GMT-03:00"."""
    return bool(_OFFSET.match(" ".join(text.split())))


def _fixed_offset(m: re.Match[str], text: str) -> str:
    sign = -1 if m.group(1) in "-−–" else 1
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes >= 60:
        raise ZoneError(f"{text!r} is not a UTC offset", hint="offsets run from UTC-12 to UTC+14")
    if minutes:
        raise ZoneError(
            f"{text!r} has no IANA fixed-offset zone (only whole hours do)",
            hint="use --meeting-tz with the place's zone, e.g. Asia/Kolkata for UTC+5:30",
        )
    if hours == 0:
        return "Etc/UTC"
    # POSIX sign convention: Etc/GMT+3 is three hours *behind* UTC.
    return f"Etc/GMT{'-' if sign > 0 else '+'}{hours}"


def _abbreviation(upper: str, text: str, on: date, literal: bool, at: datetime | None) -> tuple[str, str | None]:
    region_key, summer_named = ABBREVIATIONS[upper]
    region = _REGIONS[region_key]
    tz = ZoneInfo(region.zone)
    wall = at.replace(tzinfo=None) if at else datetime.combine(on, datetime.min.time()).replace(hour=12)
    local = wall.replace(tzinfo=tz)
    offset = local.utcoffset() or timedelta(0)
    in_summer = bool(local.dst())
    named_offset = _offset_of(region, summer_named)
    if literal and named_offset is not None:
        zone = _fixed_offset_zone(named_offset)
        return zone, f"{text} read literally as the fixed offset UTC{_fmt(named_offset)} ({zone}), as --literal-offsets asks"
    note = f"{text} read as the civil time of {region.name} ({region.zone}), UTC{_fmt(offset)} on {on.isoformat()}"
    if summer_named is not None and summer_named != in_summer and named_offset is not None:
        season = "summer time" if in_summer else "standard time"
        utc_local = (local - offset).strftime("%H:%M")
        utc_literal = (local.replace(tzinfo=None) - named_offset).strftime("%H:%M")
        note = (
            f"{wall:%H:%M} {text} on {on.isoformat()}: {region.name} is on {season} (UTC{_fmt(offset)}); "
            f"read as local time = {utc_local} UTC; the literal UTC{_fmt(named_offset)} reading would be "
            f"{utc_literal} UTC (use --literal-offsets for it)"
        )
    return region.zone, note


def label_disagrees(note: str | None) -> bool:
    """Whether a reading note is the "label names the wrong half of the year" warning."""
    return bool(note and "use --literal-offsets" in note)


def _offset_of(region: Region, summer: bool | None) -> timedelta | None:
    if summer is None:
        return None
    probe = ZoneInfo(region.zone)
    for month in (1, 7):
        d = datetime(2021, month, 15, 12, tzinfo=probe)
        if bool(d.dst()) == summer:
            return d.utcoffset()
    return None


def _fixed_offset_zone(offset: timedelta) -> str:
    hours = int(offset.total_seconds() // 3600)
    return "Etc/UTC" if hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def _fmt(offset: timedelta) -> str:
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    h, m = divmod(abs(total), 60)
    return f"{sign}{h}" if not m else f"{sign}{h}:{m:02d}"


_ZONES_LOWER: dict[str, str] | None = None


def _iana(text: str) -> str | None:
    global _ZONES_LOWER
    if _ZONES_LOWER is None:
        _ZONES_LOWER = {z.lower(): z for z in available_timezones()}
    name = _ZONES_LOWER.get(text.replace(" ", "_").lower())
    if name and not name.startswith(("SystemV/", "posix/", "right/")):
        from ..zones import canonical_zone

        current = canonical_zone(name)  # "US/Eastern", "EST5EDT" → "America/New_York"
        if "/" in current:
            return current
    if name in ("UTC", "Etc/UTC"):
        return "Etc/UTC"
    return None


def _place_of(text: str) -> str | None:
    """A zone for phrases such as "hora de España", "heure de Paris", "local time Brussels", "Paris time"."""
    m = PLACE_PATTERN.search(text)
    if m:
        zone = _place_zone(m.group("after") or m.group("before"))
        if zone:
            return zone
    return _place_zone(text)


def _place_zone(place: str) -> str | None:
    from ..zones import resolve_zone  # participants' zones know countries and cities from CLDR/tzdata

    words = place.strip(" .,;:()").split()
    for n in range(len(words), 0, -1):  # "Costa Rica" before "Costa"
        try:
            return resolve_zone(" ".join(words[:n])).zone
        except (ZoneError, ZoneInfoNotFoundError, ValueError):
            continue
    return None


__all__ = ["ABBREVIATIONS", "IANA_PATTERN", "is_offset_label", "find_label", "resolve_label", "label_disagrees", "LABEL_PATTERN"]
