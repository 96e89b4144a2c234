"""What the user may tell calsync on top of the agenda itself (shared by every reader)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ReadOptions:
    """What the user may tell calsync on top of the agenda itself."""

    meeting_tz: str | None = None  # overrides the agenda's zone
    date: dt.date | None = None  # overrides or supplies the agenda's (first) date
    literal_offsets: bool = False  # "CET" in July as UTC+1 instead of Central European civil time
    encoding: str | None = None  # for text agendas that are not UTF-8
    default_minutes: int = 30  # length of a block whose end the agenda does not give and nothing follows
    today: dt.date | None = None  # the clock, passed in: the reference for a year inferred from a weekday
