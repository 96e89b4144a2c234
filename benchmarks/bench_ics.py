"""How much ``calsync ics`` costs over icalendar itself, on a five-day conference of 5,000 blocks and 10 zones.

Two paths build and serialise the same events:

- calsync: ``participant_zones`` + ``to_ics`` (what ``calsync ics`` runs after reading the agenda): texts from the
  model, names with slots, local times in every zone, the VTIMEZONE, escaping, folding;
- bare icalendar: the same properties with every text already made, added to icalendar components and serialised.

Prints the best wall time of several runs and the tracemalloc peak of one run of each, and the ratio (target ≤ 1.5).
Run: ``python benchmarks/bench_ics.py [--blocks 5000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icalendar import Calendar, Conference, Event, vText  # noqa: E402

from calsync.details import event_descriptions, event_location, event_summary  # noqa: E402
from calsync.ical import event_uid, to_ics, vtimezone  # noqa: E402
from calsync.model import Agenda, Block, MeetingZone  # noqa: E402
from calsync.zones import participant_zones  # noqa: E402

MEETING_ZONE = "Europe/Paris"
TZ_NAMES = (
    "America/Guatemala",
    "Ghana",
    "Côte d'Ivoire",
    "Madagascar",
    "Chile",
    "Nepal",
    "Japan",
    "Brazil",
    "New Zealand",
)
STAMP = datetime(2020, 7, 1, tzinfo=UTC)
COUNTRIES = ("Guatemala", "Honduras", "Côte d'Ivoire", "Ghana", "Costa Rica", "Cameroun", "Chili", "Madagascar")


def conference(blocks: int = 5000, days: int = 5, rooms: int | None = None) -> Agenda:
    """A synthetic conference: ``blocks`` session blocks over ``days`` days from 07:00.

    By default 15-minute slots in parallel rooms until 19:00; ``rooms=1`` makes every block's span distinct
    (one-minute slots), the worst case for local times.
    """
    tz = ZoneInfo(MEETING_ZONE)
    per_day = -(-blocks // days)
    rooms = rooms or -(-per_day // 48)  # 48 quarter-hour slots from 07:00 to 19:00
    minutes = max(1, min(15, (12 * 60 * rooms) // per_day))
    out = []
    for i in range(blocks):
        day, rest = divmod(i, per_day)
        slot, room = divmod(rest, rooms)
        start = datetime(2020, 10, 19 + day, 7, 0, tzinfo=tz) + timedelta(minutes=minutes * slot)
        names = COUNTRIES[: i % 7] if i % 3 == 0 else ()
        out.append(
            Block(
                key=f"d{day + 1}-r{room + 1}-s{slot + 1}",
                number=str(i + 1),
                title=f"Session {i + 1}: panel on target 8.7, room {room + 1}, with Q&A; part {slot % 4 + 1}",
                start=start,
                end=start + timedelta(minutes=minutes),
                description=(
                    "Objective: share what worked, what did not, and what comes next; "
                    f"moderated by the chair of working group {i % 17}. Speakers: 5 min. each."
                ),
                names=names,
                minutes_per_name=2 if names else None,
            )
        )
    return Agenda(
        title="Global Conference on Forced Labour, Modern Slavery, Human Trafficking and Child Labour 2020",
        timezone=MeetingZone(MEETING_ZONE, as_written="CET", note="times read as Central European summer time"),
        blocks=tuple(out),
        key="2020-10-19-global-conference-bench",
        location="Zoom",
        conference_url="https://zoom.us/j/123456789",
    )


def calsync_path(agenda: Agenda) -> bytes:
    """What ``calsync ics`` does once the agenda is read."""
    zones = participant_zones(agenda, tz=TZ_NAMES)
    return to_ics(agenda, zones=zones, stamp=STAMP)


def bare_inputs(agenda: Agenda) -> list[dict]:
    """Every event's finished property values, made outside the timed part."""
    zones = participant_zones(agenda, tz=TZ_NAMES)
    descriptions = event_descriptions(agenda, zones)
    location = event_location(agenda)
    tz = agenda.tzinfo
    return [
        {
            "uid": event_uid(agenda, b),
            "summary": event_summary(agenda, b),
            "description": descriptions[b.key],
            "start": b.start.astimezone(tz),
            "end": b.end.astimezone(tz),
            "location": location,
            "url": agenda.conference_url,
        }
        for b in agenda.blocks
    ]


def bare_icalendar(agenda: Agenda, events: list[dict]) -> bytes:
    """icalendar alone: the same calendar, properties and VTIMEZONE, with nothing left to compute."""
    cal = Calendar()
    cal.add("PRODID", "-//bench//EN")
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("NAME", vText(agenda.title))
    cal.add("X-WR-CALNAME", vText(agenda.title))
    cal.add("X-WR-TIMEZONE", vText(agenda.timezone.zone))
    cal.add_component(vtimezone(agenda.timezone.zone, agenda.start, agenda.end))
    for e in events:
        # icalendar's own API for a new event, as calsync.ical uses it (its setters cost ~10% over add() per event)
        ev = Event.new(
            uid=e["uid"],
            stamp=STAMP,
            sequence=0,
            summary=e["summary"],
            start=e["start"],
            end=e["end"],
            description=e["description"],
            location=e["location"],
            url=e["url"],
            conferences=[Conference(e["url"], feature=["AUDIO", "VIDEO"], label="Join")],
        )
        cal.add_component(ev)
    return cal.to_ical()


def best_time(run: Callable[[], bytes], repeat: int) -> tuple[float, bytes]:
    best, out = float("inf"), b""
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - t0)
    return best, out


def peak_memory(run: Callable[[], bytes]) -> int:
    gc.collect()
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--rooms",
        type=int,
        default=None,
        help="parallel rooms (default: as many as 07:00–19:00 needs); 1 gives every block its own span",
    )
    args = parser.parse_args()

    agenda = conference(args.blocks, rooms=args.rooms)
    zones = participant_zones(agenda, tz=TZ_NAMES)
    events = bare_inputs(agenda)
    calsync_path(agenda)  # warm the caches both paths share (zone data, VTIMEZONE), as a long-lived process would

    ours_s, ours = best_time(lambda: calsync_path(agenda), args.repeat)
    bare_s, bare = best_time(lambda: bare_icalendar(agenda, events), args.repeat)
    ours_mem = peak_memory(lambda: calsync_path(agenda))
    bare_mem = peak_memory(lambda: bare_icalendar(agenda, events))
    prep_s, _ = best_time(lambda: bare_inputs(agenda) and b"", args.repeat)

    spans = len({(b.start, b.end) for b in agenda.blocks})
    print(
        f"agenda: {len(agenda.blocks)} blocks ({spans} distinct spans) over {len(agenda.dates)} days, "
        f"{len(zones)} participant zones "
        f"(incl. the meeting's), {ours.count(b'BEGIN:VEVENT')} events, {len(ours) / 1e6:.1f} MB of .ics"
    )
    print(f"{'path':<34}{'wall (best of ' + str(args.repeat) + ')':>20}{'peak traced memory':>22}")
    print(f"{'calsync ics (zones + to_ics)':<34}{ours_s * 1000:>17.0f} ms{ours_mem / 2**20:>19.1f} MiB")
    print(f"{'bare icalendar (texts ready)':<34}{bare_s * 1000:>17.0f} ms{bare_mem / 2**20:>19.1f} MiB")
    print(f"{'  texts alone (details + zones)':<34}{prep_s * 1000:>17.0f} ms")
    ratio = ours_s / bare_s
    print(
        f"ratio calsync / bare: {ratio:.2f}× wall, {ours_mem / bare_mem:.2f}× memory (target ≤ 1.50× wall) "
        f"-> {'OK' if ratio <= 1.5 else 'OVER TARGET'}"
    )
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    same = len(ours) - len(bare)
    print(f"output size difference (PRODID etc.): {same:+d} bytes")


if __name__ == "__main__":
    main()
