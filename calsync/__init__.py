"""calsync: turn a meeting agenda into calendars people can trust.

The small public API: read an agenda, then write .ics, work out local times, or sync it to a calendar.
"""

from __future__ import annotations

from .errors import CalsyncError
from .model import Agenda, Block, MeetingZone, Notice
from .reading import EXAMPLE_AGENDA, read_agenda

__version__ = "0.1.0"

__all__ = ["Agenda", "Block", "MeetingZone", "Notice", "CalsyncError", "read_agenda", "EXAMPLE_AGENDA", "__version__"]
