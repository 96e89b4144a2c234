"""Stage 6: the checks an organiser wants, on any agenda (read from text or reviewed as JSON/YAML).

Durations that disagree with their range, overlaps (parallel sessions that start together excepted), unscheduled
time (one line a day), blocks outside the announced hours, duplicate numbering, and a zone label that names the wrong
half of the year. Each is a :class:`Notice` at the block's line.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..model import Agenda, Block, Notice, WarningCode, same_instant

_UTC = ZoneInfo("UTC")
ROMANS = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
)


def check(agenda: Agenda, zone_line: int | None = None) -> list[Notice]:
    """Every organiser's warning for ``agenda``."""
    notices: list[Notice] = []
    zone = agenda.timezone
    if zone.label_disagrees:
        note = zone.note or f"{zone.as_written} names the other half of the year than {zone.zone}'s clock is on"
        notices.append(Notice(note, zone_line, WarningCode.ZONE_LABEL))
    blocks, hours = list(agenda.blocks), agenda.hours
    for b in blocks:
        if b.duration_minutes is not None and not b.end_inferred and b.duration_minutes != b.minutes:
            notices.append(
                Notice(
                    f"'{b.label}' says {b.duration_minutes} min but runs {b.start:%H:%M}–{b.end:%H:%M} "
                    f"({b.minutes} min)",
                    b.line,
                    WarningCode.DURATION,
                )
            )
        if hours and not _within_hours(b, hours):
            notices.append(
                Notice(
                    f"'{b.label}' ({b.start:%H:%M}–{b.end:%H:%M}) is outside the announced meeting "
                    f"hours {hours[0]:%H:%M}–{hours[1]:%H:%M}",
                    b.line,
                    WarningCode.HOURS,
                )
            )
    notices += _overlaps_and_gaps(blocks)
    notices += _numbering(blocks)
    return notices


def _overlaps_and_gaps(blocks: list[Block]) -> list[Notice]:
    notices = []
    ordered = sorted(blocks, key=lambda b: (b.start.astimezone(_UTC), b.end.astimezone(_UTC)))
    gaps: dict[date, list[tuple[Block, Block]]] = {}
    for prev, nxt in zip(ordered, ordered[1:], strict=False):
        if prev.start.date() != nxt.start.date() or prev.end_inferred:
            continue
        prev_end, next_start = prev.end.astimezone(_UTC), nxt.start.astimezone(_UTC)
        if next_start < prev_end and not same_instant(prev.start, nxt.start):  # parallel sessions start together
            notices.append(
                Notice(
                    f"'{nxt.label}' ({nxt.start:%H:%M}) starts before '{prev.label}' ends ({prev.end:%H:%M})",
                    nxt.line,
                    WarningCode.OVERLAP,
                )
            )
        elif next_start > prev_end:
            gaps.setdefault(nxt.start.date(), []).append((prev, nxt))
    for day, pairs in gaps.items():
        # one line a day: unlisted breaks are common, so they are listed for checking rather than each flagged
        spans = ", ".join(f"{p.end:%H:%M}–{n.start:%H:%M}" for p, n in pairs)
        notices.append(
            Notice(
                f"nothing is scheduled on {day.isoformat()} at {spans}; add the breaks if they are missing",
                pairs[0][1].line,
                WarningCode.GAP,
            )
        )
    return notices


def _numbering(blocks: list[Block]) -> list[Notice]:
    notices = []
    seen: dict[str, Block] = {}
    for b in blocks:
        if not b.number:
            continue
        if b.number in seen:
            first = seen[b.number]
            notices.append(
                Notice(
                    f"two blocks are numbered {b.number}: '{first.title}' (line {first.line}) and "
                    f"'{b.title}'; the second is probably {_next_number(b.number)}",
                    b.line,
                    WarningCode.NUMBERING,
                )
            )
        else:
            seen[b.number] = b
    return notices


def _within_hours(block: Block, hours: tuple[datetime, datetime]) -> bool:
    """Whether the block lies within the announced hours of its own day (or of the day before, past midnight)."""
    tz = hours[0].tzinfo
    start, end = block.start.replace(tzinfo=None), block.end.astimezone(tz).replace(tzinfo=None)
    h0, h1 = hours[0].replace(tzinfo=None), hours[1].astimezone(tz).replace(tzinfo=None)
    for back in (0, 1):
        shift = datetime.combine(start.date(), time()) - datetime.combine(h0.date(), time()) - timedelta(days=back)
        if h0 + shift <= start and end <= h1 + shift:
            return True
    return False


def _next_number(number: str) -> str:
    if number in ROMANS and ROMANS.index(number) + 1 < len(ROMANS):
        return ROMANS[ROMANS.index(number) + 1]
    if number.isdigit():
        return str(int(number) + 1)
    return "a different number"
