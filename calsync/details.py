"""The texts of one calendar event (title, description, location), shared by the .ics writer and the Google sync.

Both outputs must say the same thing, so they are written here once. Everything is plain text: iCalendar escaping
and folding belong to the writer (icalendar), never to these functions. The words calsync adds ("Join", "Local times")
are in the agenda's language (:attr:`Agenda.language`, which ``--lang`` replaces), through :mod:`calsync.i18n`. No
control character leaves here: an agenda's or a participant list's are shown as pictures (``␛``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from .i18n import gettext_for, long_date
from .model import Agenda, Block, WarningCode, short_offset
from .places import country_code, main_zone
from .platforms import platform_named_in, platform_of_url
from .printable import one_line, visible
from .zones import LocalTime, ParticipantZone, city_name, format_local_span, local_times

__all__ = [
    "event_summary",
    "event_description",
    "event_descriptions",
    "event_location",
    "venue",
    "meeting_description",
    "group_local_times",
    "platform",
    "join_text",
    "zone_name",
    "zone_note",
]

# How much of the meeting's title follows the block's label in an event title: enough to recognise the meeting in a
# crowded calendar, short enough that phones still show the block's own title.
MEETING_TITLE_CHARS = 40


def platform(agenda: Agenda) -> str | None:
    """The video platform of the meeting, from the join URL's host or else the agenda's location, if recognisable."""
    return platform_of_url(agenda.conference_url) or platform_named_in(agenda.location)


def join_text(agenda: Agenda) -> str:
    """The join line of a description: the link, or a plain statement that it is still to come."""
    url = agenda.conference_url
    name = platform(agenda)
    _ = gettext_for(agenda.language)
    if url:
        return (
            _("Join ({platform}): {url}").format(platform=name, url=url) if name else _("Join: {url}").format(url=url)
        )
    return _("{platform} link to be confirmed").format(platform=name) if name else _("Join link to be confirmed")


def event_summary(agenda: Agenda, block: Block) -> str:
    """The event's title: the block's number and title, then (shortened) the meeting's title."""
    # Titles are one line everywhere: a line break inside an agenda's title is layout, not content.
    return one_line(f"{block.label} — {_shorten(agenda.title, MEETING_TITLE_CHARS)}")


def event_location(agenda: Agenda) -> str | None:
    """The platform and join URL (``Zoom: https://zoom.us/j/123``), or the agenda's location while there is no link."""
    url = agenda.conference_url
    location = one_line(agenda.location or "") or None
    if not url:
        return location
    name = platform(agenda)
    joined = one_line(f"{name}: {url}" if name else url)
    # A location that only names the platform ("Zoom", "Zoom, lien à confirmer") is replaced by the link; a physical
    # place (a hybrid meeting) is kept next to it.
    if location and not _names_platform(location):
        return f"{location} · {joined}"
    return joined


def venue(agenda: Agenda) -> str | None:
    """The physical place of the meeting (a room, a building), or None when the agenda's location only names a video
    platform ("Zoom", "Zoom, lien à confirmer") or there is none."""
    location = " ".join((agenda.location or "").split()) or None
    return location if location and not _names_platform(location) else None


def event_description(agenda: Agenda, block: Block, zones: Sequence[ParticipantZone]) -> str:
    """The event's description: objective, names (with slots), join link, local times per zone, zone reading note."""
    single = replace(agenda, blocks=(block,)) if len(agenda.blocks) != 1 or agenda.blocks[0] is not block else agenda
    times = local_times(single, zones) if zones else []
    return _describe(agenda, block, times, join_text(agenda), zone_note(agenda))


def event_descriptions(agenda: Agenda, zones: Sequence[ParticipantZone], *, join_first: bool = False) -> dict[str, str]:
    """Every block's description by block key, computing the local times once for the whole agenda.

    ``join_first`` puts the join line at the top, for calendars whose location field holds the room of a hybrid
    meeting (the .ics keeps both in its location and the link in its own properties, so it never asks for this).
    """
    by_block = group_local_times(agenda, zones)
    join = join_text(agenda)
    note = zone_note(agenda)
    return {b.key: _describe(agenda, b, by_block.get(b.key, ()), join, note, join_first) for b in agenda.blocks}


def zone_name(agenda: Agenda) -> str:
    """The meeting's clock as participants say it: "Brussels time", "heure de Bruxelles", "UTC−3"."""
    zone = agenda.timezone.zone
    if zone.startswith("Etc/"):
        return _utc(agenda.start)
    _ = gettext_for(agenda.language)
    return _("{city} time").format(city=city_name(zone, agenda.language))


def _utc(moment: datetime) -> str:
    """``UTC+2``, ``UTC−3``, ``UTC+5:30``, ``UTC``: an offset as people say it."""
    offset = moment.utcoffset()
    return "UTC" + short_offset(offset).replace("-", "\u2212") if offset else "UTC"


def zone_note(agenda: Agenda) -> str | None:
    """For participants, when the agenda's zone label was ambiguous ("CET" in July): which clock the times follow.

    The organiser's fuller note (both readings, the --literal-offsets option) goes to the warnings, not to people
    who only need to know when to join.
    """
    if not any(w.code == WarningCode.ZONE_LABEL for w in agenda.warnings):
        return None
    _ = gettext_for(agenda.language)
    start = agenda.start
    place = city_name(agenda.timezone.zone, agenda.language)
    if start.dst():
        text = _('The agenda writes "{label}"; the times are the local time in {place} ({offset}, summer time).')
    else:
        text = _('The agenda writes "{label}"; the times are the local time in {place} ({offset}).')
    return text.format(label=agenda.timezone.as_written, place=place, offset=_utc(start))


def meeting_description(agenda: Agenda, zones: Sequence[ParticipantZone], *, join_first: bool = False) -> str:
    """The description of one event spanning the whole meeting: its blocks, join link and local hours per zone
    (``join_first``: the join line first, as in :func:`event_descriptions`)."""
    whole = Block(key="meeting", title=agenda.title, start=agenda.start, end=agenda.end)
    tz = agenda.tzinfo
    lines: list[str] = []
    day = None
    multi_day = len(agenda.dates) > 1
    for b in agenda.blocks:
        start = b.start.astimezone(tz)
        if multi_day and start.date() != day:
            day = start.date()
            lines.append(("\n" if lines else "") + long_date(day, agenda.language))
        lines.append(f"{_clock(start)}–{_clock(b.end.astimezone(tz))} {' '.join(b.label.split())}")
    _ = gettext_for(agenda.language)
    programme = _("Programme ({clock}):").format(clock=zone_name(agenda)) + "\n" + "\n".join(lines)
    parts = [join_text(agenda), programme] if join_first else [programme, join_text(agenda)]
    if zones:
        times = local_times(replace(agenda, blocks=(whole,)), zones)
        parts.append(_local_lines(times, agenda.language))
    note = zone_note(agenda)
    if note:
        parts.append(note)
    return visible("\n\n".join(p for p in parts if p))


def group_local_times(agenda: Agenda, zones: Sequence[ParticipantZone]) -> dict[str, list[LocalTime]]:
    """The local times of every block in every zone, grouped by block key in zone order.

    Blocks at the same instants (a conference's parallel rooms) share one computation: local times depend only on
    the span, so each distinct span is converted once. Their ``.block`` is the first block with that span.
    """
    if not zones:
        return {}

    def span(b: Block) -> tuple[datetime, datetime]:
        # in UTC: two wall-clock equal times in a repeated DST hour are different instants (and == says otherwise)
        return b.start.astimezone(UTC), b.end.astimezone(UTC)

    first: dict[tuple[datetime, datetime], Block] = {}
    for b in agenda.blocks:
        first.setdefault(span(b), b)
    distinct = agenda if len(first) == len(agenda.blocks) else replace(agenda, blocks=tuple(first.values()))
    flat = local_times(distinct, zones)  # block by block in agenda order, zones in the given order
    n = len(zones)
    by_span = {span: flat[i * n : (i + 1) * n] for i, span in enumerate(first)}
    return {b.key: by_span[span(b)] for b in agenda.blocks}


def _describe(
    agenda: Agenda, block: Block, times: Iterable[LocalTime], join: str, note: str | None, join_first: bool = False
) -> str:
    _ = gettext_for(agenda.language)
    parts: list[str] = [join] if join_first else []
    if block.description.strip():
        parts.append(block.description.strip())
    if block.names:
        slots = block.name_slots()
        if slots:
            parts.append(
                _("Estimated slots ({clock}):").format(clock=zone_name(agenda))
                + "\n"
                + "\n".join(_slot_line(name, s, e, agenda.language) for name, s, e in slots)
            )
        else:
            parts.append("\n".join(block.names))
    if not join_first:
        parts.append(join)
    lines = _local_lines(times, agenda.language)
    if lines:
        parts.append(lines)
    if note:
        parts.append(note)
    return visible("\n\n".join(parts))


def _slot_line(name: str, start: datetime, end: datetime, lang: str | None) -> str:
    """A speaker's slot; when the name is a country ("Guatemala"), also that slot on the country's own clock."""
    line = f"{name} {_clock(start)}–{_clock(end)}"
    local = _country_clock(name)
    if local is not None and local != start.tzinfo:
        there_start, there_end = start.astimezone(local), end.astimezone(local)
        if (there_start.utcoffset(), there_start.tzname()) != (start.utcoffset(), start.tzname()):
            _ = gettext_for(lang)
            there = _("{span} in {place}").format(span=f"{_clock(there_start)}–{_clock(there_end)}", place=name)
            line += f" ({there})"
    return line


@lru_cache(maxsize=512)
def _country_clock(name: str) -> ZoneInfo | None:
    """The clock of a country named as a speaker ("Guatemala"); a person's name is no place, even if a town bears it."""
    country = country_code(name)
    zone = main_zone(country[0]) if country else None
    return ZoneInfo(zone) if zone else None


def _local_lines(times: Iterable[LocalTime], lang: str | None) -> str:
    _ = gettext_for(lang)
    lines = [_("{zone}: {span}").format(zone=lt.zone.label, span=format_local_span(lt, lang)) for lt in times]
    return _("Local times:") + "\n" + "\n".join(lines) if lines else ""


def _clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _names_platform(location: str) -> bool:
    return platform_named_in(location) is not None


def _shorten(text: str, limit: int) -> str:
    """``text`` on one line; when longer than ``limit``, its beginning and end around an ellipsis, at word boundaries.

    Both ends matter: "8e réunion du groupe de coordination mondiale de l'Alliance 8.7" is recognised by its start
    (which meeting) and by its end (whose), so "8e réunion du groupe … l'Alliance 8.7" rather than a cut-off start.
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    words = flat.split(" ")
    head: list[str] = []
    tail: list[str] = []
    room = limit - 2  # " …" between the two ends
    # take words alternately from the start and the end, the start first, while they fit
    for turn in range(len(words)):
        from_start = turn % 2 == 0
        pick = words[len(head)] if from_start else words[len(words) - 1 - len(tail)]
        used = sum(len(w) + 1 for w in head + tail)
        if len(head) + len(tail) >= len(words) or used + len(pick) > room:
            break
        if from_start:
            head.append(pick)
        else:
            tail.insert(0, pick)
    if not head:
        return flat[: limit - 1].rstrip() + "…"
    start = " ".join(head).rstrip(" ,;:–—-")
    return f"{start} … {' '.join(tail)}" if tail else f"{start}…"
