"""How much untrusted input calsync takes on, and JSON read within those bounds.

Files people send each other (agendas, reviewed JSON/YAML) and files a server reads (token, credentials) must never
make calsync recurse into a ``RecursionError``, grow without bound or run for minutes: each limit here ends such an
input with a clear error instead. Pure functions, no I/O.
"""

from __future__ import annotations

import json
from typing import Any

from . import regexcache

__all__ = ["MAX_FILE_BYTES", "MAX_TEXT_CHARS", "MAX_DEPTH", "LimitError", "json_loads", "nesting_depth"]

MAX_FILE_BYTES = 50 * 1024 * 1024  # an agenda file (a PDF with pictures can be large; its text is not)
MAX_TEXT_CHARS = 20 * 1024 * 1024  # agenda text after decoding or extraction from a document
MAX_DEPTH = 32  # nesting of JSON/YAML: calsync's own files are 4 deep


class LimitError(ValueError):
    """Input beyond one of calsync's limits; ``line`` is where it was noticed (1-based) when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# A JSON string (escapes included) or one bracket; brackets inside strings are skipped with their string.
_JSON_TOKENS = regexcache.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def nesting_depth(text: str, limit: int) -> tuple[int, int | None]:
    """How deep JSON ``text`` nests, up to ``limit + 1``, and the offset where it went past ``limit`` (or None).

    A linear scan that never recurses, so it is safe on input the JSON parser itself would recurse too deeply on.
    """
    if text.count("[") + text.count("{") <= limit:
        return 0, None  # cannot nest deeper than the brackets it has
    depth = deepest = 0
    for token in _JSON_TOKENS.finditer(text):
        ch = token.group(0)
        if ch in "[{":
            depth += 1
            if depth > limit:
                return depth, token.start()
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest, None


def json_loads(text: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses nesting deeper than ``max_depth`` and numbers too long to convert.

    Raises :class:`LimitError` for those, ``json.JSONDecodeError`` for anything else wrong with the JSON.
    """
    _, where = nesting_depth(text, max_depth)
    if where is not None:
        raise LimitError(f"nested more than {max_depth} levels deep", line=text.count("\n", 0, where) + 1)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError as e:  # Python refuses to convert integers of more than 4,300 digits
        raise LimitError(f"a number with too many digits to read ({str(e).split(':')[0]})") from None
    except RecursionError:  # not reached with the scan above; a last guard all the same
        raise LimitError(f"nested more than {max_depth} levels deep") from None
