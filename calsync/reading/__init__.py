"""Reading layer: agenda files of any supported kind -> :class:`calsync.model.Agenda`."""

from __future__ import annotations

from .options import ReadOptions
from .source import EXAMPLE_AGENDA, read_agenda

__all__ = ["EXAMPLE_AGENDA", "ReadOptions", "read_agenda"]
