"""The meeting's clock: which IANA zone the agenda's times are in, from what the document says.

In order of strength: ``--meeting-tz``; a zone said outright ("Time zone: Europe/Berlin", "Zeitzone: Berlin"); an
IANA name anywhere; a label beside a time or a date ("16:00 – 18:00 (CET)", "30 November 2025, CET",
"2020-11-30 (UTC+1)", "hora de España"). No zone is an error that asks for ``--meeting-tz``: calsync never writes
floating times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from .. import regexcache
from ..errors import ZoneError
from ..placenames import zone_for_place
from .clock import find_times
from .lines import Line
from .tags import Tags
from .vocabulary import CLOCK_WORDS, ZONE_KEYS, alternation
from .zonelabels import IANA_PATTERN, REGIONS, find_label, resolve_label

_ZONE_STATED = regexcache.compile(
    rf"""
    (?:^|[,;(|]\s*)                    # at the start of the line or of a part of it
    (?:{alternation(ZONE_KEYS)})\s*:   # "Time zone:", "Zeitzone:", "Fuseau horaire :" (vocabulary.ZONE_KEYS)
    \s*(?P<v>[^,;()|]+)                # the zone
    """,
    re.I | re.X,
)
_REGION_ZONES = frozenset(r.zone for r in REGIONS.values())
_ISO_STAMP = regexcache.compile(
    r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:(?P<z>Z)|(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2}))\b"
)
_ZONE_WORDS = regexcache.compile(rf"\b(?:{alternation(CLOCK_WORDS)})\b", re.I)  # "times", "heure", "Uhr" (vocabulary)


@dataclass(frozen=True)
class FoundZone:
    zone: str
    as_written: str | None
    note: str | None
    line: int | None
    label_disagrees: bool = False  # see MeetingZone.label_disagrees


def meeting_zone(
    tags: list[Tags],
    first_day: date,
    first_time: tuple[int, int],
    meeting_tz: str | None,
    literal: bool,
    source: str,
    first_item_line: int | None = None,
) -> FoundZone:
    """The meeting's IANA zone, the label as written, the reading note and the line of the label."""
    at = datetime.combine(first_day, time(*min(first_time, (23, 59))))
    if meeting_tz:
        try:
            reading = resolve_label(meeting_tz, first_day, literal=literal, at=at)
        except ZoneError as e:
            raise ZoneError(f"--meeting-tz: {e.message}", hint=e.hint) from None
        return FoundZone(reading.zone, meeting_tz, reading.note, None, reading.disagrees)

    header = [t.line.text for t in tags if t.line.content and (first_item_line is None or t.line.no < first_item_line)]

    def resolve(label: str, no: int) -> FoundZone:
        try:
            reading = resolve_label(label, first_day, literal=literal, at=at)
        except ZoneError as e:
            raise ZoneError(e.message, file=source, line=no, hint=e.hint) from None
        # "CET" names a region: a place the header names on that clock ("Genève") gives its own zone, same instants
        zone, note = reading.zone, reading.note
        held = (
            zone_for_place(header, zone, first_day)
            if zone in _REGION_ZONES and not IANA_PATTERN.search(label)
            else None
        )
        if held:
            zone, note = held[0], f"{note}; {held[1]}, named in the agenda, is on that clock: {held[0]}"
        return FoundZone(zone, label, note, no, reading.disagrees)

    tags = [t for t in tags if t.line.content or (t.line.table and t.line.text)]  # a header cell may say the zone
    lines = [t.line for t in tags]
    found = _stated(lines, resolve)
    if found is not None:
        return found
    unknown: ZoneError | None = None
    for line in lines:
        # An IANA name anywhere ("Monday, 2 March 2026 (Europe/Berlin)") says it exactly.
        named = IANA_PATTERN.search(line.text)
        if named:
            try:
                return resolve(named.group(0), line.no)
            except ZoneError as e:
                unknown = unknown or e
    for t in tags:
        label = _label_of(t)
        if label:
            return resolve(label, t.line.no)
    for line in lines:
        stamp = _ISO_STAMP.search(line.text)  # "2024-02-09T17:00:00+01:00": a machine-written offset
        if stamp:
            return resolve(
                "UTC" if stamp.group("z") else f"UTC{stamp.group('sign')}{stamp.group('hh')}:{stamp.group('mm')}",
                line.no,
            )
    if unknown is not None:
        raise unknown
    raise ZoneError(
        "the agenda does not say which time zone its times are in",
        file=source,
        hint="pass --meeting-tz, e.g. --meeting-tz Europe/Paris (calsync never writes floating times)",
    )


def _stated(lines: list[Line], resolve) -> FoundZone | None:  # type: ignore[no-untyped-def]
    """ "Time zone: Europe/Berlin", "Zona horaria: America/Mexico_City": said outright, it wins, and a name calsync
    does not know is an error that names it rather than "no zone given"."""
    for line in lines:
        stated = _ZONE_STATED.search(line.text)
        if not stated:
            continue
        named = IANA_PATTERN.search(line.text)  # "Time zone: CET (Europe/Amsterdam)": the IANA name is exact
        value = named.group(0) if named else stated.group("v").strip(" .;")
        try:
            return resolve(value, line.no)  # type: ignore[no-any-return]
        except ZoneError:
            # "Geneva time (CEST)": a place calsync has no zone for, but a label beside it that it knows
            other = find_label(line.text[stated.start("v") :])
            if other is None or other == value:
                raise
            return resolve(other, line.no)  # type: ignore[no-any-return]
    return None


def _label_of(t: Tags) -> str | None:
    """A zone label on a line where labels are written: beside a time, a date, or words such as "time", "heure"."""
    text = t.line.text
    if not (t.times or t.dates or t.key or _ZONE_WORDS.search(text) or re.search(r"\d[:.h]\d\d", text)):
        return None
    label = find_label(text)
    if label:
        return label
    for mention in t.times:
        if mention.zone:  # "9:00 AM – 5:00 PM ET": two-letter labels only right next to a time
            return mention.zone
    if t.key == "time":
        for mention in find_times(t.value):
            if mention.zone:
                return mention.zone
    return None
