"""Clock times as agendas write them: "16h00 – 16h08", "9.00 – 9.15", "3-6 p.m.", "9 h 30", "12:30 m.", "noon".

A bare number ("10") is a time only next to one that is clearly a time ("10-11:30 a.m."); impossible times ("25:00")
are errors that name the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import AgendaError
from .zonelabels import ABBREVIATIONS

__all__ = ["Clock", "Span", "span_at_start", "starts_with_time", "embedded_range", "clock_of", "to_24",
           "LEADING_NUMBER", "END_MARKER", "EMBEDDED"]

# --- clock times --------------------------------------------------------------------------------------------------------

_TIME = (
    r"(?:(?P<{p}noon>(?i:noon|midday|midi|mediod[ií]a|Mittag))\b|"
    r"(?P<{p}h>\d{{1,2}})(?!\d)(?:(?P<{p}sep>[:.hH])(?P<{p}m>\d{{2}})(?![\d]|\.\d))?"
    r"(?P<{p}hs>\s?(?:[hH]|hrs?\.?)(?![a-zA-Zà-ÿ])(?:\s?(?P<{p}m2>\d{{2}})(?!\d))?)?"  # "9 h 30", "10.00 hrs"
    r"(?:\s*(?P<{p}mer>[aApP]\.?\s?[mM]\.?(?![a-zA-Z])|m\.(?![a-zA-Z])|noon\b|midday\b))?"
    r"(?P<{p}uhr>\s*Uhr\b)?)"
)
_ZONE_TOKEN = (
    r"(?:\s*\(?(?P<{p}zone>(?:GMT|UTC)\s*[+\-−]\s*\d{{1,2}}(?::?\d{{2}})?|(?:"
    + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w]))\)?)?"
)
_RANGE = re.compile(
    r"^(?P<approx>(?i:ca\.|approx\.|env\.|vers|gegen|ab|um|von|from|at|dès|desde|de|a las)\s*)?"
    + _TIME.format(p="a")
    + _ZONE_TOKEN.format(p="a")
    + r"(?:(?P<sep>\s*(?:[-–—−‐]|→|->|(?i:\bto\b|\btill?\b|\bthrough\b|\bà\b|\ba\b|\bbis\b|\bau\b|\buntil\b|\bhasta\b))\s*|\s+(?=\d{1,2}[:.]\d{2}\s?[aApP]\.?\s?[mM]))"
    r"(?:(?P<open>open[\s-]end|open|offen|Ende\s+offen|fin)\b|"
    + _TIME.format(p="b")
    + _ZONE_TOKEN.format(p="b")
    + r"))?"
)
# "1. 10:00 – 10:10 Bienvenida", "TOP 2 18:40 Bericht": the number comes before the time
LEADING_NUMBER = re.compile(
    r"^(?:(?:TOP|Punkt|Point|Item|Punto|Tagesordnungspunkt|Session|Sesión|Sesion|Séance|Seance|Sitzung|Teil|Part|Partie)"
    r"\s+)?(?P<num>[IVX]{1,5}|\d{1,2})(?:[.):]?\s+)"
    r"(?=(?:ca\.\s*)?\d{1,2}(?:[:.h]\d{2}|\s*(?:h\b|Uhr\b|[aApP]\.?\s?[mM]\b)))"
)
# "Ende ca. 20:00 Uhr", "Fin de la réunion : 18h": when the last block of the day ends
END_MARKER = re.compile(
    r"^(?:Ende|End|Fin|Schluss|Clôture|Cloture|Cierre|Close|Closing|Adjourn\w*)\b\D{0,30}?"
    r"(?P<t>\d{1,2}(?:[:.h]\d{2})?\s*(?:h\b|Uhr\b|[aApP]\.?\s?[mM]\.?)?)",
    re.I,
)
EMBEDDED = re.compile(
    r"(?<![\d:.])" + _TIME.format(p="a") + r"\s*(?:[-–—−]|\bto\b|\bà\b|\bbis\b)\s*" + _TIME.format(p="b")
)


@dataclass(frozen=True)
class Clock:
    """A wall-clock time as written: hour, minute, and how sure it is to be a time at all."""

    hour: int
    minute: int
    meridiem: str | None  # "am", "pm", "noon"
    strong: bool  # has minutes, an "h", "Uhr" or a meridiem: a bare "10" is only a time next to a strong one


def clock_of(m: re.Match[str], p: str) -> Clock | None:
    if m.group(f"{p}noon"):
        return Clock(12, 0, "noon", True)
    if m.group(f"{p}h") is None:
        return None
    mer_raw = m.group(f"{p}mer")
    mer = None
    if mer_raw:
        low = mer_raw.lower().replace(" ", "").replace(".", "")
        mer = {"am": "am", "pm": "pm", "m": "noon", "noon": "noon", "midday": "noon"}.get(low)
    minute = m.group(f"{p}m") or m.group(f"{p}m2")
    strong = bool(minute or m.group(f"{p}hs") or mer or m.group(f"{p}uhr"))
    return Clock(int(m.group(f"{p}h")), int(minute or 0), mer, strong)


def to_24(c: Clock, line: int) -> tuple[int, int]:
    h, mi = c.hour, c.minute
    if c.meridiem in ("am", "pm"):
        if not 1 <= h <= 12:
            raise AgendaError(f"{h}:{mi:02d} {c.meridiem} is not a time of day", line=line,
                              hint="write 12-hour times from 1 to 12 a.m./p.m.")
        h = h % 12 + (12 if c.meridiem == "pm" else 0)
    elif c.meridiem == "noon" and h != 12:
        raise AgendaError(f"{h}:{mi:02d} noon is not a time of day", line=line, hint="noon is 12:00")
    if h > 24 or mi >= 60 or (h == 24 and mi):
        raise AgendaError(f"{c.hour:02d}:{c.minute:02d} is not a time of day", line=line,
                          hint="write times as HH:MM between 00:00 and 24:00")
    return h, mi


@dataclass(frozen=True)
class Span:
    """A time range (or a start alone) found at the beginning of a line, and the text after it."""

    start: tuple[int, int]
    end: tuple[int, int] | None
    rest: str
    zone: str | None
    approximate: bool


_SECOND_ZONE = re.compile(
    r"^/\s*" + _TIME.format(p="c") + r"(?:\s*[-–—]\s*" + _TIME.format(p="d") + r")?" + _ZONE_TOKEN.format(p="c")
)


def _shared_meridiem(a: Clock, b: Clock, line: int) -> Clock:
    """"3-6 p.m.", "10-11:30 a.m.": a meridiem written once holds for both ends, unless that would put the start
    after the end ("11:30 - 1:00 p.m." is 11:30 a.m. to 1 p.m.)."""
    if a.meridiem is None and b.meridiem in ("am", "pm"):
        shifted = Clock(a.hour, a.minute, b.meridiem, True)
        if 1 <= a.hour <= 12 and to_24(shifted, line) <= to_24(b, line):
            return shifted
    return a


def starts_with_time(text: str) -> bool:
    try:
        return span_at_start(text, 0) is not None
    except AgendaError:
        return True


def span_at_start(text: str, line: int) -> Span | None:
    m = _RANGE.match(text)
    if not m:
        return None
    a = clock_of(m, "a")
    b = clock_of(m, "b") if m.group("sep") is not None and not m.group("open") else None
    if a is None:
        return None
    if b is None or not (a.strong or b.strong):
        if not a.strong:
            return None
        b = None
        consumed = max(m.end(g) for g in ("anoon", "ah", "am", "ahs", "amer", "auhr", "azone") if m.group(g))
        if m.group("open"):
            consumed = m.end("open")
    else:
        consumed = m.end()
    if b is not None:
        a = _shared_meridiem(a, b, line)
    start = to_24(a, line)
    end = to_24(b, line) if b else None
    rest = text[consumed:].strip()
    rest = re.sub(r"^(?:Uhr\b)?\s*[:|–—\-.]?\s*", "", rest).strip()
    # "15:00 CET / 9:00 EST  Welcome": the same time in a second zone is not part of the title
    second = _SECOND_ZONE.match(rest)
    if second:
        rest = rest[second.end():].strip(" :|–—-")
    zone = m.group("azone") or m.group("bzone")
    return Span(start, end, rest, zone, bool(m.group("approx")))



def embedded_range(t: str, no: int) -> Span | None:
    """A time range written inside a line rather than at its start, both ends clearly times."""
    m = EMBEDDED.search(t)
    if not m:
        return None
    a, b = clock_of(m, "a"), clock_of(m, "b")
    if a is None or b is None or not (a.strong and b.strong):
        return None
    a = _shared_meridiem(a, b, no)
    return Span(to_24(a, no), to_24(b, no), t[m.end():].strip(), None, False)
