"""The pages as data for the templates, and rendering them: the meeting's page, the index, the times page, status.

What a page shows is worked out here (blocks, days, bands, links, slots); how it looks is the templates' business.
The viewer's own zone and language are only known in the browser: a page is written in the agenda's language on the
meeting's clock, and carries what its script needs to show both the viewer's way (wording.py, phrases.py).
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any

from ..details import event_descriptions, event_location, event_summary, meeting_description, platform
from ..errors import CalsyncError
from ..i18n import LANGUAGES, language
from ..model import Agenda, Block, short_offset, slug
from ..places import country_code, links
from ..zones import NIGHT, LocalTime, ParticipantZone, local_times, minute_of_day, resolve_zone
from .choices import country_names, zone_choices
from .grid import Grid, clock_minutes, times_grid
from .links import CalendarLinks, calendar_links, safe_web_url
from .templating import render
from .wording import Wording, ZonesFor, wording

__all__ = [
    "WORK_HOURS",
    "MeetingPage",
    "meeting_page",
    "block_slots",
    "render_meeting_page",
    "render_index",
    "render_times_html",
    "render_status",
    "index_language",
    "slot_key",
    "block_path",
    "slot_path",
]

WORK_HOURS = (time(8), time(20))


@dataclass(frozen=True)
class There:
    """A span on a country's own clock."""

    zone: ParticipantZone
    start: datetime
    end: datetime
    day_shift: int  # days from the meeting's date


@dataclass(frozen=True)
class Slot:
    """One name's estimated turn in a block ("5 min. par pays"), and that place's own clock when it is a country."""

    name: str
    start: datetime
    end: datetime
    there: There | None  # the slot on the country's own clock; None for a person
    path: str  # its own .ics, relative to the meeting's folder


@dataclass(frozen=True)
class BlockView:
    index: int
    block: Block
    meeting_date: str
    path: str  # the block's .ics, relative to the meeting's folder
    links: CalendarLinks
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class BandRow:
    zone: ParticipantZone
    local: LocalTime  # the day's span (first start to last end) on this zone's clock
    blocks: tuple[tuple[int, int], ...]  # (minute of the local day, length in minutes), wrapped at midnight


@dataclass(frozen=True)
class Day:
    date: date
    start: datetime
    end: datetime
    blocks: tuple[BlockView, ...]
    bands: tuple[BandRow, ...]
    links: CalendarLinks


@dataclass(frozen=True)
class MeetingPage:
    agenda: Agenda
    days: tuple[Day, ...]
    grid: Grid
    shading: tuple[tuple[int, int, str], ...]  # the band's background: (start minute, minutes, work|edge|night)
    join_url: str | None
    platform: str | None
    location: str | None
    meeting_offset: str  # "UTC+2"
    feed_url: str | None  # absolute, when the site's address is known
    wording: Wording  # zones' labels, the meeting's clock and notes, in every language


def block_path(block: Block) -> str:
    return f"blocks/{block.key}.ics"


def slot_key(block: Block, name: str) -> str:
    """A turn's key (and so its UID): the block's key and the name's slug, numbered when a slug repeats."""
    return f"{block.key}--{_name_slugs(block)[name]}"


def slot_path(block: Block, name: str) -> str:
    return f"slots/{block.key}/{_name_slugs(block)[name]}.ics"


def _name_slugs(block: Block) -> dict[str, str]:
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for name in block.names:
        base = slug(name)
        seen[base] = seen.get(base, 0) + 1
        out.setdefault(name, base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def meeting_page(
    agenda: Agenda,
    zones: Sequence[ParticipantZone],
    *,
    base_url: str | None = None,
    work_hours: tuple[time, time] = WORK_HOURS,
    zones_for: ZonesFor | None = None,
) -> MeetingPage:
    """Everything the meeting's page shows, worked out once (the publisher also writes the files it links to).

    ``zones_for`` works the participants' zones out again for the agenda in another language, so that their labels
    can be shown in each (``SiteOptions.zones``); without it they keep the agenda's language.
    """
    times = local_times(agenda, zones, work_hours)
    # The links' events land in the person's own calendar, on their own clock: no list of other zones' times.
    descriptions = event_descriptions(agenda, ())
    location = event_location(agenda) or ""
    page_url = f"{base_url}{agenda.key}/" if base_url else None
    by_day: dict[date, list[tuple[int, Block]]] = {}
    for index, b in enumerate(agenda.blocks, 1):
        by_day.setdefault(b.start.astimezone(agenda.tzinfo).date(), []).append((index, b))
    days = []
    for day, members in sorted(by_day.items()):
        views = tuple(
            _block_view(agenda, index, b, day, descriptions[b.key], location, page_url) for index, b in members
        )
        start = min((b.start for _, b in members), key=lambda d: d.astimezone(UTC))
        end = max((b.end for _, b in members), key=lambda d: d.astimezone(UTC))
        whole = replace(agenda, blocks=tuple(b for _, b in members))
        links = calendar_links(
            " ".join(agenda.title.split()),
            start,
            end,
            _with_page(meeting_description(whole, zones), page_url),
            location,
        )
        days.append(Day(day, start, end, views, _bands(agenda, [b for _, b in members], zones, work_hours), links))
    first = agenda.start.astimezone(agenda.tzinfo)
    return MeetingPage(
        agenda=agenda,
        days=tuple(days),
        grid=times_grid(agenda, times, work_hours),
        shading=_shading(work_hours),
        join_url=safe_web_url(agenda.conference_url),
        platform=platform(agenda),
        location=agenda.location,
        meeting_offset="UTC" + short_offset(first.utcoffset()),
        feed_url=f"{page_url}meeting.ics" if page_url else None,
        wording=wording(agenda, zones, zones_for),
    )


def _with_page(text: str, page_url: str | None) -> str:
    return f"{text}\n\n{page_url}" if page_url else text


def _block_view(
    agenda: Agenda, index: int, block: Block, day: date, description: str, location: str, page_url: str | None
) -> BlockView:
    links = calendar_links(
        event_summary(agenda, block), block.start, block.end, _with_page(description, page_url), location
    )
    return BlockView(index, block, day.isoformat(), block_path(block), links, tuple(block_slots(block, day)))


def block_slots(block: Block, day: date | None = None) -> list[Slot]:
    """Each name's turn in ``block`` (none unless the agenda gives minutes per name); a country's also on its own
    clock, its day counted from ``day`` (the meeting's date; default the block's own)."""
    day = day or block.start.date()
    out: list[Slot] = []
    for name, start, end in block.name_slots():
        zone = _country(name)
        there = None
        if zone is not None:
            local = start.astimezone(zone.tzinfo)
            there = There(zone, local, end.astimezone(zone.tzinfo), (local.date() - day).days)
        out.append(Slot(name, start, end, there, slot_path(block, name)))
    return out


@functools.lru_cache(maxsize=1024)
def _country(name: str) -> ParticipantZone | None:
    if country_code(name.strip()) is None:
        return None  # a person's name, or a body's
    try:
        return resolve_zone(name)
    except CalsyncError:
        return None


def _bands(
    agenda: Agenda, blocks: Sequence[Block], zones: Sequence[ParticipantZone], work_hours: tuple[time, time]
) -> tuple[BandRow, ...]:
    """Each zone's band for one day: its 24 local hours from the midnight before the day's first block there."""
    start = min((b.start for b in blocks), key=lambda d: d.astimezone(UTC))
    end = max((b.end for b in blocks), key=lambda d: d.astimezone(UTC))
    span = Block(key="day", title=agenda.title, start=start, end=end)
    rows = []
    base_utc = start.astimezone(UTC)
    for lt in local_times(replace(agenda, blocks=(span,)), zones, work_hours):
        base = lt.start.hour * 60 + lt.start.minute
        spans = [(base + int((b.start.astimezone(UTC) - base_utc).total_seconds() // 60), b.minutes) for b in blocks]
        rows.append(BandRow(lt.zone, lt, _on_the_dial(spans)))
    return tuple(rows)


def _on_the_dial(spans: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """(start minute, minutes) spans merged where they touch, and a span past midnight wrapped to the band's start.

    The meeting is one bar, not a row of slivers: its blocks' own times are in the programme.
    """
    merged: list[list[int]] = []
    for x, w in sorted(spans):
        if merged and x <= merged[-1][0] + merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x + w - merged[-1][0])
        else:
            merged.append([x, w])
    out: list[tuple[int, int]] = []
    for x, w in merged:
        while w > 0:
            x %= 1440
            piece = min(w, 1440 - x)
            out.append((x, max(piece, 4)))  # a five-minute slot still shows
            x, w = x + piece, w - piece
    return tuple(out)


def _shading(work_hours: tuple[time, time]) -> tuple[tuple[int, int, str], ...]:
    """The local day cut into night, early/late and working hours, as the grid colours them."""
    night_start, night_end = minute_of_day(NIGHT[0]), minute_of_day(NIGHT[1])
    work_start, work_end = minute_of_day(work_hours[0]), minute_of_day(work_hours[1])
    cuts = sorted({0, 1440, *(m for m in (night_start, night_end, work_start, work_end) if 0 < m < 1440)})
    out: list[tuple[int, int, str]] = []
    for a, b in itertools.pairwise(cuts):
        middle = (a + b) / 2
        kind = (
            "night"
            if middle >= night_start or middle < night_end
            else "work"
            if work_start <= middle < work_end
            else "edge"
        )
        if out and out[-1][2] == kind:
            out[-1] = (out[-1][0], out[-1][1] + b - a, kind)
        else:
            out.append((a, b - a, kind))
    return tuple(out)


def _script_data(
    page: str, grid: Grid | None, work_hours: tuple[time, time], *, picker: bool = False, **extra: Any
) -> dict[str, Any]:
    """What the page's script reads: the blocks' instants, the clock's hours, and the picker's places."""
    data: dict[str, Any] = {"page": page, "picker": picker, **clock_minutes(work_hours), **extra}
    if grid is not None:
        data["blocks"] = list(grid.script_blocks)
    if picker:
        data["places"] = _places()
    return data


@functools.lru_cache(maxsize=1)
def _places() -> dict[str, Any]:
    """The picker's places in all four languages (the viewer's is only known in the browser), and each zone's
    name in each: the country whose main zone it is ("Africa/Accra": Ghana, in French also Ghana)."""
    found: dict[str, str] = {}
    for lang in LANGUAGES:
        for name, zone in zone_choices(lang):
            found.setdefault(name, zone)
    choices = sorted(found.items(), key=lambda p: (p[0].casefold(), p[0]))
    zones = sorted({zone for _, zone in choices})
    index = {zone: i for i, zone in enumerate(zones)}
    # Browsers name some zones by older links ("Asia/Calcutta" in Chromium): tzdata's links to the picker's zones.
    aliases = {
        alias: index[target]
        for alias, target in links().items()
        if target in index and alias not in index and "/" in alias
    }
    country = {
        lang: {str(index[zone]): name for zone, name in country_names(lang).items() if zone in index}
        for lang in LANGUAGES
    }
    return {
        "zones": zones,
        "names": [[name, index[zone]] for name, zone in choices],
        "aliases": aliases,
        "country": country,
    }


def render_meeting_page(page: MeetingPage, work_hours: tuple[time, time] = WORK_HOURS) -> str:
    """The participant's page of one meeting, written in the agenda's language (the script shows the viewer's)."""
    data = _script_data("meeting", page.grid, work_hours, picker=True, meeting_zone=page.agenda.timezone.zone)
    return render(
        "meeting.html", page.agenda.language, page=page, agenda=page.agenda, data=data, words=page.wording, ms=_ms
    )


def index_language(agendas: Sequence[Agenda]) -> str:
    """The index's language: its meetings' (the most common; the first meeting's on a tie)."""
    counts = Counter(language(a.language) for a in agendas)
    return max(counts, key=lambda lang: counts[lang]) if counts else "en"


def render_index(agendas: Sequence[Agenda], lang: str | None = None) -> str:
    """The site's front page: every meeting with its days and, in the browser, its start in the viewer's zone."""
    meetings = sorted(agendas, key=lambda a: (a.start.astimezone(UTC), a.key))
    data = _script_data("index", None, WORK_HOURS)
    return render("index.html", lang or index_language(agendas), meetings=meetings, data=data, ms=_ms)


def render_times_html(
    agenda: Agenda,
    times: Sequence[LocalTime],
    zones: Sequence[ParticipantZone],
    work_hours: tuple[time, time] = WORK_HOURS,
    *,
    zones_for: ZonesFor | None = None,
) -> str:
    """``calsync times -o html``: one self-contained page, a blocks × zones grid in colour and words (early, late,
    night), a legend, and a column in the viewer's own zone; the block column and header stay in view. Written in
    the agenda's language; ``zones_for`` as for :func:`meeting_page`."""
    grid = times_grid(agenda, times, work_hours)
    data = _script_data("times", grid, work_hours, meeting_zone=agenda.timezone.zone)
    return render(
        "times.html", agenda.language, agenda=agenda, g=grid, data=data, words=wording(agenda, zones, zones_for)
    )


def render_status(entries: Sequence[Any]) -> str:
    """``calsync serve``'s /status: each agenda, whether it reads, its warnings and when it was last read."""
    return render("status.html", "en", entries=entries, data={"page": "status"})


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
