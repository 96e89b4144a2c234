"""Text that is safe to show: no control character from an agenda, a file name or a server ever reaches a terminal,
a spreadsheet or a calendar, where it could be interpreted (``ESC[31m``, ``ESC]0;title``, a NUL in a ``URL:`` line).

Control characters are shown, never dropped silently: C0 ones as their Unicode control pictures (ESC → ``␛``), DEL
as ``␡``, C1 ones (which have no pictures) and lone surrogates as ``�``; those that are only white space (form feed,
vertical tab, NEL) become spaces. Pure functions, no I/O.
"""

from __future__ import annotations

import re

from . import regexcache

__all__ = ["CONTROLS", "has_controls", "visible", "one_line", "agenda_text", "json_text", "shorten", "redact"]

# C0 but tab and newline, DEL, C1, and lone surrogates (JSON "\ud800", argv bytes decoded with surrogateescape).
CONTROLS = regexcache.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ANY_CONTROL = regexcache.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _picture(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


# The control characters Python's str.split() counts as white space (vertical tab, form feed from pdftotext,
# file/group/record/unit separators, NEL) are layout, not commands: they become spaces. Every other control character
# (ESC, NUL, BEL, CSI…) becomes its picture.
_SPACES = (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0x85)
_VISIBLE = {
    code: " " if code in _SPACES else _picture(code)
    for code in [*range(0x20), *range(0x7F, 0xA0)]
    if code not in (0x09, 0x0A)
}
_SURROGATES = regexcache.compile(r"[\ud800-\udfff]")

# Agenda text going into a reader keeps its line ends (CR, LF) as they are, for the reader to count lines.
_AGENDA = dict(_VISIBLE)
_AGENDA.pop(0x0D)


def has_controls(text: str, *, allow: str = "\t\n") -> bool:
    """Whether ``text`` holds a control character (other than those in ``allow``) or a lone surrogate."""
    if allow == "\t\n":
        return CONTROLS.search(text) is not None
    return any(ch not in allow for ch in _ANY_CONTROL.findall(text))


def visible(text: str) -> str:
    """``text`` with line ends as ``\\n`` and every other control character (tab and newline excepted) shown."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROLS.search(text) is None:
        return text
    return _SURROGATES.sub("\ufffd", text).translate(_VISIBLE)


# White space other than the no-break spaces, which keep "−2 h" or "10 000" together on purpose.
_BREAKABLE_SPACE = regexcache.compile(r"[^\S\u00a0\u2007\u202f]+")


def one_line(text: str) -> str:
    """``text`` on one line (white space runs, line breaks and tabs as single spaces; no-break spaces kept), control
    characters shown."""
    return visible(_BREAKABLE_SPACE.sub(" ", str(text)).strip())


def agenda_text(text: str) -> str:
    """Decoded agenda text as a reader may see it: layout kept, control characters shown, lone surrogates replaced."""
    if CONTROLS.search(text) is None:
        return text
    return _SURROGATES.sub("\ufffd", text).translate(_AGENDA)


_JSON_UNSAFE = regexcache.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


def json_text(text: str) -> str:
    """JSON written with ``ensure_ascii=False`` with DEL, C1 and line separators as ``\\u`` escapes (json.dumps
    escapes C0 itself) and lone surrogates replaced: the same data for a program, nothing a terminal acts on."""
    return _JSON_UNSAFE.sub(_json_escape, text)


def shorten(text: str, limit: int = 80) -> str:
    """At most ``limit`` characters of ``text`` for a message, with ``…`` when cut (a 300-character zone name)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Secrets by their look, for the last line of defence (an unexpected error's text): bearer tokens, Google's access
# and refresh tokens, and JSON fields that hold keys.
_SECRET_SHAPES = regexcache.compile(
    r"(?i)(bearer\s+)\S+|\bya29\.[\w.\-]+|\b1//[\w.\-]{20,}|"
    r"(\"(?:access_token|refresh_token|client_secret|private_key|token)\"\s*:\s*\")[^\"]*"
)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with the given secrets and anything shaped like a token replaced by ``[hidden]``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[hidden]")
    return _SECRET_SHAPES.sub(lambda m: (m.group(1) or m.group(2) or "") + "[hidden]", text)
