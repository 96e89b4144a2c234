"""Tables made from CLDR's and tzdata's data, kept once per machine rather than made again in every run.

The reader's month and weekday names and the place names it looks a header's place up in come from babel's locale
data; loading it for eight locales (en, fr, es, de and the regional ones with their parents) and folding the names
took about 17 ms of every `calsync ics`. :func:`memo` keeps such a table in calsync's cache folder under what it was
made from: Python's version, the stamp (size and modification time) of the calsync module that makes it and of the
packages whose data it reads, and any other value the caller names. Anything else (another stamp, no cache folder,
a damaged file) makes the table again, so a cached table is always the one the code would make.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import marshal
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .regexcache import cache_folder

__all__ = ["memo", "stamp", "Kept"]

T = TypeVar("T")


@functools.cache
def stamp(module: str) -> tuple[str, int, int] | None:
    """Where ``module``'s file is, its size and its modification time (a package: its ``__init__``), without importing
    it; None when it cannot be found."""
    loaded = sys.modules.get(module)
    try:
        origin = getattr(loaded, "__file__", None) if loaded is not None else None
        if origin is None:
            spec = importlib.util.find_spec(module)
            origin = spec.origin if spec is not None else None
        if origin is None:
            return None
        st = os.stat(origin)
    except (ImportError, ValueError, OSError):
        return None
    return origin, st.st_size, st.st_mtime_ns


def memo(name: str, made_from: tuple[object, ...], build: Callable[[], T]) -> T:
    """``build()``, or the table it made in an earlier run from the same ``made_from`` (with Python's version)."""
    key = repr((sys.version_info[:3], made_from))
    folder = cache_folder()
    path = folder / f"table-{name}.marshal" if folder is not None else None
    kept = _read(path, key)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    table = build()
    if path is not None:
        _save(path, (key, table))
    return table


def _read(path: Path | None, key: str) -> Any:
    """What was kept at ``path`` under ``key``; None when nothing was, or under another key, or the file is damaged."""
    if path is None:
        return None
    try:
        kept_key, value = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None  # none yet, or damaged: made again
    return value if kept_key == key else None


def _save(path: Path, value: tuple[str, Any]) -> None:
    """Write ``value`` whole or not at all; a table marshal cannot write, or a read-only home, is simply not kept."""
    try:
        data = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".table.", suffix=".tmp")
    except (OSError, ValueError):
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


class Kept:
    """Values computed one key at a time (a zone's name in one language) and kept across runs, like :func:`memo`'s
    tables: under ``made_from()`` (called on first use), written at exit when this run computed new ones. A value
    whose computation raises is not kept."""

    def __init__(self, name: str, made_from: Callable[[], tuple[object, ...]]) -> None:
        self.name = name
        self.made_from = made_from
        self.values: dict[Any, Any] | None = None
        self.key = ""
        self.added = False
        self.lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        with self.lock:
            if self.values is None:
                self.values = self._load()
            if key in self.values:
                return self.values[key]  # type: ignore[no-any-return]
        value = compute()
        with self.lock:
            self.values[key] = value
            if not self.added:
                self.added = True
                atexit.register(self._save)
        return value

    def _path(self) -> Path | None:
        folder = cache_folder()
        return folder / f"kept-{self.name}.marshal" if folder is not None else None

    def _load(self) -> dict[Any, Any]:
        self.key = repr((sys.version_info[:3], self.made_from()))
        values = _read(self._path(), self.key)
        return values if isinstance(values, dict) else {}

    def _save(self) -> None:
        path = self._path()
        with self.lock:
            if path is not None and self.values is not None:
                _save(path, (self.key, dict(self.values)))
