"""calsync: turn a meeting agenda into calendars people can trust.

The small public API: read an agenda, then write .ics, work out local times, or sync it to a calendar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import CalsyncError
from .model import Agenda, Block, MeetingZone, Notice

if TYPE_CHECKING:
    from .reading import EXAMPLE_AGENDA, read_agenda

__version__ = "0.1.0"

__all__ = ["Agenda", "Block", "MeetingZone", "Notice", "CalsyncError", "read_agenda", "EXAMPLE_AGENDA", "__version__"]


def __getattr__(name: str) -> Any:
    # The reader is loaded when first asked for, not on `import calsync`: `calsync --help` and the commands that read
    # no agenda do not pay for compiling its patterns.
    if name in ("read_agenda", "EXAMPLE_AGENDA"):
        from . import reading

        return getattr(reading, name)
    raise AttributeError(f"module 'calsync' has no attribute {name!r}")
