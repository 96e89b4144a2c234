"""Text agendas (Markdown, or text from PDF, Word and HTML) -> a checked :class:`Agenda`, in stages.

1. ``lines``    decode the markup of each line; mark page furniture; put flattened tables back together
2. ``tags``     what each line could be: times and where they sit, dates, "Day 2", "Key: value" labels
3. ``layout``   the document's layout by a vote over all its timed lines (time first, title above, time last, …)
4. ``segment``  the items under that layout, with day marks and the announced hours
5. ``resolve``  days, years, 12-hour clocks, midnight, ends; ``zone`` the meeting's clock
6. ``checks``   the organiser's checks; with the doubts of the earlier stages, the warnings

A block with no warning is one the reader is sure of.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..errors import AgendaError
from ..model import Agenda, Block, MeetingZone, Notice, block_keys, localize, meeting_key
from .about import meeting_title, place
from .checks import check
from .html import has_html_blocks, markdown_lines
from .language import guess_language
from .layout import choose_layout
from .lines import read_lines
from .options import ReadOptions
from .resolve import Placed, place_items, resolve_days, roll_past_midnight, settle_clocks, settle_ends
from .segment import Hours, Segments, segment
from .tags import tag_lines
from .titles import minutes_per_name
from .zone import FoundZone, meeting_zone

_UTC = ZoneInfo("UTC")


def parse_text(text: str | list[tuple[int, str]], options: ReadOptions, *, source: str = "agenda") -> Agenda:
    """Read a text agenda (or numbered lines, as the HTML reader gives them) into a checked :class:`Agenda`; errors
    name the line and the remedy."""
    if isinstance(text, str) and has_html_blocks(text):
        text = markdown_lines(text)  # a <table> pasted into Markdown is still a table
    tags = tag_lines(read_lines(text))
    layout = choose_layout(tags)
    segments = segment(tags, layout)
    if not segments.items:
        raise AgendaError(
            "no session times found",
            file=source,
            hint="calsync needs times such as '16:00 – 16:30 Title' (or give the agenda as JSON/YAML)",
        )
    notices: list[Notice] = []
    dates = resolve_days(segments, tags, options, notices)
    placed = place_items(segments, dates, options, source, notices)
    settle_clocks(placed)
    hours = _announced(segments)
    roll_past_midnight(placed, hours.start if hours and hours.end is not None and hours.end < hours.start else None)
    hours_end = hours.end if hours and hours.end is not None and hours.end > hours.start else None
    settle_ends(placed, hours_end, options.default_minutes)
    zone = meeting_zone(
        tags,
        placed[0].day,
        placed[0].start,
        options.meeting_tz,
        options.literal_offsets,
        source,
        first_item_line=min(p.item.line for p in placed),
    )
    blocks = _blocks(placed, zone)
    title = meeting_title(tags)
    location, conference_url = place(tags)
    agenda = Agenda(
        title=title,
        timezone=MeetingZone(
            zone=zone.zone, as_written=zone.as_written, note=zone.note, label_disagrees=zone.label_disagrees
        ),
        blocks=tuple(blocks),
        key=meeting_key(title, blocks[0].start.date()),
        location=location,
        conference_url=conference_url,
        hours=_hours(hours, blocks, zone),
        source=source,
        language=guess_language("\n".join(t.line.text for t in tags if t.line.content)),
    )
    notices += [n for p in placed for n in p.notices]
    notices += [Notice(d.message, p.item.line, d.code) for p in placed for d in p.item.doubts]
    notices += [Notice(d.message, line, d.code) for line, d in segments.unread]
    notices += check(agenda, zone.line)
    return Agenda(**{**agenda.__dict__, "warnings": tuple(sorted(notices, key=lambda w: (w.line or 0, w.code)))})


def _announced(segments: Segments) -> Hours | None:
    """The meeting's announced hours: the first "Time:" line or hours heading that gives them."""
    return next((h for h in segments.hours if h.start < (24, 0)), None)


def _blocks(placed: list[Placed], zone: FoundZone) -> list[Block]:
    tz = ZoneInfo(zone.zone)
    blocks = []
    for p in placed:
        item = p.item
        start = localize(_wall(p.day, p.start), tz, item.line)
        if p.elapsed is not None:
            end = (start.astimezone(_UTC) + timedelta(minutes=p.elapsed)).astimezone(tz)  # elapsed, not wall, time
        else:
            assert p.end is not None
            end = localize(_wall(p.end_day or p.day, p.end), tz, item.line)
        names = tuple(dict.fromkeys(item.names))
        blocks.append(
            Block(
                key="",
                title=item.title or "Session",
                start=start,
                end=end,
                number=item.number,
                end_inferred=p.inferred,
                duration_minutes=item.stated,
                description="\n".join(item.description).strip(),
                names=names,
                minutes_per_name=_per_name(p),
                line=item.line,
            )
        )
    return [Block(**{**b.__dict__, "key": k}) for b, k in zip(blocks, block_keys(blocks), strict=False)]


def _per_name(p: Placed) -> int | None:
    for text in (p.item.title, *p.item.description):
        found = minutes_per_name(text)
        if found:
            return found
    return None


def _hours(hours: Hours | None, blocks: list[Block], zone: FoundZone) -> tuple[datetime, datetime] | None:
    if hours is None or hours.end is None:
        return None
    tz = ZoneInfo(zone.zone)
    day = blocks[0].start.date()
    h0 = localize(_wall(day, hours.start), tz, hours.line)
    end_day = day + timedelta(days=1) if hours.end <= hours.start else day  # "20:00 – 02:00"
    return h0, localize(_wall(end_day, hours.end), tz, hours.line)  # 24:00 is the next day's 00:00


def _wall(day, hm: tuple[int, int]) -> datetime:  # type: ignore[no-untyped-def]
    """The naive wall-clock time ``hm`` on ``day``; "24:00" is midnight at the end of the day."""
    return datetime.combine(day, time()) + timedelta(hours=hm[0], minutes=hm[1])
