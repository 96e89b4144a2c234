"""Reading layer: agenda files of any supported kind -> :class:`calsync.model.Agenda`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .options import ReadOptions

if TYPE_CHECKING:
    from .source import EXAMPLE_AGENDA, read_agenda

__all__ = ["EXAMPLE_AGENDA", "ReadOptions", "read_agenda"]


def __getattr__(name: str) -> Any:
    """The reader itself loads on first use (PEP 562): ``calsync.reading.vocabulary``, the four languages' words,
    imports nothing of calsync, and modules below the reader (``places``, ``platforms``) use it while
    ``calsync.model`` is still loading, which an eager ``from .source import …`` here would import again."""
    if name in ("EXAMPLE_AGENDA", "read_agenda"):
        from . import source

        return getattr(source, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
