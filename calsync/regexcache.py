"""The reader's regular expressions, compiled once per machine rather than once per run.

Reading an agenda needs about 160 patterns, some of them large alternations of month, weekday and zone names in four
languages; Python compiles them again in every process, about 25 ms of CPU in every `calsync ics` (a tenth of its
start-up). :func:`compile` keeps what Python's compiler makes of each pattern (the program of its regular
expression engine) in one file in calsync's cache folder, and later runs hand the program straight to the engine,
as Python's own ``re.compile`` does after compiling.

The result is the pattern ``re.compile`` gives: a program is kept only after checking that the pattern made from it
equals ``re.compile``'s (same pattern, flags and program), the file is named after the Python version and its engine's
version, and anything unexpected (no cache folder, a damaged file, another Python) falls back to ``re.compile``.
Only patterns written in calsync's code go through here, never ones made from a document's text, so the file does
not grow with what is read.
"""

from __future__ import annotations

import atexit
import importlib
import marshal
import os
import re
import sys
import tempfile
import threading
from array import array
from pathlib import Path
from typing import Any

__all__ = ["compile", "cache_file", "cache_folder"]

_FORMAT = 1
_LIMIT = 4000  # programs kept at most: past this, a run keeps only the ones it used
_Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]

_lock = threading.Lock()
_programs: dict[tuple[str, int], _Entry] | None = None
_used: set[tuple[str, int]] = set()
_pending: dict[tuple[str, int], re.Pattern[str]] = {}


def _engine() -> tuple[Any, Any, Any] | None:
    """Python's regular expression engine and the two halves of its compiler, or None on an unexpected Python."""
    try:
        sre = importlib.import_module("_sre")
        parser = importlib.import_module("re._parser")
        compiler = importlib.import_module("re._compiler")
        if array("I").itemsize != sre.CODESIZE:
            return None
        return sre, parser, compiler
    except (ImportError, AttributeError):
        return None


_ENGINE = _engine()


def cache_folder() -> Path | None:
    """calsync's cache folder: ``$CALSYNC_CACHE_DIR`` or ``$XDG_CACHE_HOME/calsync`` (``~/.cache/calsync``); None
    without a home."""
    try:
        return Path(
            os.environ.get("CALSYNC_CACHE_DIR")
            or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "calsync"
        )
    except RuntimeError:  # no home directory
        return None


def cache_file() -> Path | None:
    """The file of compiled programs in the cache folder, one per Python version and engine version; None without an
    engine or a cache folder."""
    folder = cache_folder()
    if _ENGINE is None or folder is None:
        return None
    version = "-".join(map(str, sys.version_info[:3]))
    return folder / f"regex-{sys.implementation.name}-{version}-{_ENGINE[0].MAGIC}-{_FORMAT}.marshal"


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, through the cache when it holds the pattern's program."""
    flags = int(flags)
    key = (pattern, flags)
    with _lock:
        programs = _load()
        entry = programs.get(key)
        _used.add(key)
    if entry is not None and _ENGINE is not None:
        try:
            final_flags, code, groups, groupindex, indexgroup = entry
            program = array("I", code).tolist()
            return _ENGINE[0].compile(pattern, final_flags, program, groups, groupindex, indexgroup)  # type: ignore[no-any-return]
        except Exception:  # a damaged entry: compile as usual, and keep it afresh
            pass
    compiled = re.compile(pattern, flags)
    with _lock:
        _pending[key] = compiled  # its program is worked out at exit, and only where the cache can be written
    return compiled


def _program(pattern: str, flags: int, compiled: re.Pattern[str]) -> _Entry | None:
    """What ``re.compile`` hands the engine for ``pattern``, when the engine makes ``compiled`` again from it."""
    if _ENGINE is None or flags & (re.DEBUG | getattr(re, "TEMPLATE", 0)):
        return None
    sre, parser, compiler = _ENGINE
    try:
        parsed = parser.parse(pattern, flags)
        code = compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entry: _Entry = (
            flags | parsed.state.flags,
            array("I", code).tobytes(),
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        again = sre.compile(pattern, entry[0], list(code), entry[2], groupindex, entry[4])
    except Exception:  # a Python whose compiler works otherwise: no cache for it
        return None
    return entry if again == compiled and again.groupindex == compiled.groupindex else None


def _load() -> dict[tuple[str, int], _Entry]:
    global _programs
    if _programs is None:
        _programs = {}
        path = cache_file()
        if path is not None:
            try:
                loaded = marshal.loads(path.read_bytes())
                if isinstance(loaded, dict):
                    _programs = loaded
            except (OSError, EOFError, ValueError, TypeError):
                pass  # none yet, or damaged: made again by this run
        atexit.register(_save)
    return _programs


def _save() -> None:
    """Write the programs of the patterns this run compiled, whole or not at all (two calsyncs at once: the last one's
    file stays); nothing is worked out when the cache folder cannot be written."""
    with _lock:
        path = cache_file()
        if not _pending or _programs is None or path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".regex.", suffix=".tmp")
        except OSError:
            return  # a read-only home: compiled again next time
        for (pattern, flags), compiled in _pending.items():
            made = _program(pattern, flags, compiled)
            if made is not None:
                _programs[(pattern, flags)] = made
        _pending.clear()
        keep = _programs if len(_programs) <= _LIMIT else {k: v for k, v in _programs.items() if k in _used}
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(keep))
            os.replace(tmp, path)
        except (OSError, ValueError):
            Path(tmp).unlink(missing_ok=True)
