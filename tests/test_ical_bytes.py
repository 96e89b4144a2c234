"""calsync writes .ics bytes faster than icalendar's generic writer, and they must stay icalendar's own, byte for byte.

A published site is compared file by file on republish (an unchanged file is left alone, so caches and subscribers
see no change): a writer that changed one byte would rewrite every file of every site once. So the fast paths are
held against icalendar itself: the line folding against its ``_foldline``, the events of a feed against
``serialised(new_event(...))`` for arbitrary texts, zones and times.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar.parser.string import _foldline

from calsync.ical.events import EventModel, clean_text, folded, new_event, serialised, wall_time

STAMP = datetime(2020, 7, 1, tzinfo=UTC)

# Lines as icalendar would fold them: escapes (``\\``, ``^``) and characters of 1 to 4 octets near every cut.
LINE = st.text(alphabet=st.sampled_from("a\\^é€🎉"), max_size=300) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=300
)
# Texts as agendas bring them: escapes, breaks of every kind, control characters, characters of 1 to 4 octets.
TEXT = st.text(
    alphabet=st.sampled_from(["a", " ", ",", ";", ":", "\\", "^", "\n", "\r", "\x0c", "\u2028", '"', "é", "🎉"])
    | st.characters(blacklist_categories=("Cs",)),
    max_size=200,
)
ZONES = st.sampled_from(["Europe/Paris", "America/Port-au-Prince", "Asia/Kathmandu", "Australia/Lord_Howe", "UTC"])


@settings(max_examples=300, deadline=None)
@given(line=LINE)
def test_calsyncs_folding_is_icalendars_byte_for_byte(line: str) -> None:
    """calsync folds long lines itself (icalendar's loop over each character was the cost of a large site)."""
    for text in (line, "x" * 73 + line, "é" * 36 + "\\" + line, "a" * 72 + "\\n" + line, "\\" * 80 + line):
        assert folded(text) == _foldline(text).encode("utf-8")


def test_serialised_calendars_are_icalendars_bytes() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:"
        + ("Réunion, " + "🎉" * 30 + "^" * 90).encode()
        + b"\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\nEND:VEVENT\r\n"
        + b"END:VCALENDAR\r\n"
    )
    cal = icalendar.Calendar.from_ical(data)
    assert serialised(cal) == cal.to_ical() and all(serialised(e) == e.to_ical() for e in cal.walk("VEVENT"))


@settings(max_examples=150, deadline=None)
@example(  # a byte-order mark as a whole title: icalendar drops it at the start of a value (found by CI's draw)
    summaries=["\ufeff"],
    description="",
    zone="Europe/Paris",
    start=datetime(2019, 1, 1),
    minutes=0,
    location=None,
    url=None,
    inside=None,
    utc=False,
)
@given(
    summaries=st.lists(TEXT, min_size=1, max_size=6),
    description=TEXT,
    zone=ZONES,
    start=st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2031, 1, 1)),
    minutes=st.integers(0, 24 * 60),
    location=st.none() | TEXT,
    url=st.none() | st.sampled_from(["https://zoom.us/j/123", "https://x.org/a b?c=1&d=é"]),
    inside=st.none() | st.just("meeting@calsync"),
    utc=st.booleans(),
)
def test_events_written_from_a_model_are_new_events_bytes(
    summaries: list[str],
    description: str,
    zone: str,
    start: datetime,
    minutes: int,
    location: str | None,
    url: str | None,
    inside: str | None,
    utc: bool,
) -> None:
    """A feed's events are written from one model event; each must be the bytes icalendar writes for it alone."""
    tz = UTC if utc else ZoneInfo(zone)
    shared: dict[str, Any] = {"stamp": STAMP, "location": location, "url": url, "inside": inside}
    model = EventModel(**shared)
    for i, summary in enumerate(summaries):
        # two by two at the same wall-clock time (parallel sessions), the second in the fold of a repeated hour
        begin = (start + timedelta(hours=i // 2)).replace(tzinfo=ZoneInfo(zone), fold=i % 2)
        own: dict[str, Any] = {
            "uid": f"b{i}-{clean_text(summary)[:10]}.meeting@calsync",
            "summary": summary,
            "description": description * i,
            "start": wall_time(begin, tz),
            "end": wall_time((begin.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(begin.tzinfo), tz),
        }
        assert model.event(**own) == serialised(new_event(**own, **shared))
        assert model.cut
