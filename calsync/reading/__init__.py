"""Reading layer: agenda files of any supported kind -> :class:`calsync.model.Agenda`."""

from __future__ import annotations

from .source import EXAMPLE_AGENDA, ReadOptions, read_agenda

__all__ = ["EXAMPLE_AGENDA", "ReadOptions", "read_agenda"]
