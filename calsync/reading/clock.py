"""Clock times as agendas write them, anywhere in a line: "16h00 – 16h08", "9.00 – 9.15", "3-6 p.m.", "9 h 30",
"12:30 m.", "noon", "A las 11:00 horas", "von 9 bis 12 Uhr", "07.30 onwards", "Welcome ........ 9:00".

:func:`find_times` returns every time or range in a line with where it sits, so later stages can decide what the line
is. A bare number ("10") is a time only as one end of a range whose other end is clearly a time ("10-11:30 a.m.").
A time that cannot be ("25:00", "13 p.m.") is kept with the reason, and becomes an error only where a block would use
it (:func:`span_at_start`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import regexcache
from ..errors import AgendaError
from .vocabulary import APPROXIMATE, CLOSING, NUMBERED, NUMBERED_THINGS, ONWARDS, TIME_LEAD_IN, alternation
from .zonelabels import ABBREVIATIONS

__all__ = [
    "Clock",
    "TimeMention",
    "Span",
    "find_times",
    "span_at_start",
    "starts_with_time",
    "embedded_range",
    "to_24",
    "after_time",
    "LEADING_NUMBER",
    "END_MARKER",
]


@dataclass(frozen=True)
class Clock:
    """A wall-clock time as written: hour, minute, and how sure it is to be a time at all."""

    hour: int
    minute: int
    meridiem: str | None  # "am", "pm", "noon"
    strong: bool  # has minutes, an "h", "Uhr" or a meridiem: a bare "10" is only a time next to a strong one
    padded: bool = False  # "09:00": a leading zero, which only 24-hour clocks write

    @property
    def twenty_four_hour(self) -> bool:
        """Whether the way it is written shows a 24-hour clock ("09:00", "14:30", "0:15")."""
        return self.meridiem is None and (self.padded or self.hour == 0 or self.hour > 12)


@dataclass(frozen=True)
class TimeMention:
    """A time or a range of times found in a line, with its place in the line."""

    lead: int  # where its lead-in words start ("A las 11:00": the "A"); equal to ``start`` without them
    start: int
    end: int  # after the last character that belongs to it (zone label, "Uhr", "onwards" included)
    a: Clock
    b: Clock | None
    zone: str | None
    approximate: bool
    open_end: bool  # "07.30 onwards", "18:00 – open end": the agenda says it has no set end
    until: bool = False  # "bis 13:00 Uhr Anreise": the time is when something ends; no start is given
    corrected: bool = False  # an am/pm that made the range impossible was read the other way ("11:15 am - 11:55 pm")
    problem: str | None = None  # why it cannot be a time of day ("25:00 is not a time of day"), or None

    def hm(self) -> tuple[int, int]:
        return to_24(self.a, 0)

    def end_hm(self) -> tuple[int, int] | None:
        return to_24(self.b, 0) if self.b is not None else None


@dataclass(frozen=True)
class Span:
    """A time range (or a start alone) found at the beginning of a line, and the text after it."""

    start: tuple[int, int]
    end: tuple[int, int] | None
    rest: str
    zone: str | None
    approximate: bool
    meridiem_written: bool = True  # False when neither end says am/pm and the hour could be either (1..12)


# --- patterns (built on first use: reading the seed should not pay for what it never needs) ---------------------------

_MERIDIEM = (
    r"(?P<mer>(?i:[ap]\.?\s?m\.?|noon|midday)|m\.|de\s+la\s+(?:mañana|tarde|noche)|du\s+(?:matin|soir)|"
    r"de\s+l['’]après-midi)(?![a-zà-ÿ])(?![A-Z]\b)"  # "6.30pmIntroduction": a title glued on still ends it
)
_CLOCK = (
    r"(?:(?<![\w$€£¥/+])|(?<=\bto)|(?<=\bbis))(?<!\d[.,:])"  # not inside a word, a number, an offset or a price
    r"(?:(?P<noon>(?i:noon|midday|midi|mediod[ií]a|mittag))\b"
    r"|(?P<hhmm>(?:[01]\d|2[0-3])[0-5]\d)(?=\s?(?:Uhr|hrs?|h)\b)"  # "1100 Uhr", "1330 hrs": the military way
    r"|(?P<h>\d{1,2})(?!\d)(?:(?P<sep>:\s?|[.hH])(?P<m>\d{2})(?!\d)(?![.,]\d))?"  # "05: 30 pm" too
    r"(?:\s?(?P<hw>[hH]\.?(?![a-zA-Zà-ÿ])|hrs?\.?(?![a-zA-Zà-ÿ])|horas?\b|hs\b|heures?\b|Uhr\b|hours\b)"
    r"(?:\s?(?P<m2>\d{2})(?!\d)(?:\s?[hH]?\b)?)?)?"
    r"(?:\s*" + _MERIDIEM + r")?"
    r"(?:\s*(?P<uhr>Uhr)\b)?)"
)
_SEP = (
    r"\s*(?:[-–—−‐‑]+|→|->|(?i:\b(?:to|till?|until|through|thru|à|au|a|bis|hasta(?:\s+las)?|a\s+las|jusqu['’]à)"
    r"(?:\b|(?=\d))))\s*(?:(?i:ca\.|approx\.|env\.|etwa|gegen|vers|hacia)\s*)?"  # "16:35 to16:40", "20:00 - ca. 20:45"
)


@cache
def _zone_token() -> str:
    abbreviations = "|".join(sorted(ABBREVIATIONS, key=len, reverse=True))
    return (
        r"\s*[(\[]?\s*(?P<zone>(?:GMT|UTC)\s*[+\-−–]\s*\d{1,2}(?::?\d{2})?|(?:" + abbreviations + r"|GMT|UTC)(?![\w]))"
        r"\s*[)\]]?"
    )


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    clock = regexcache.compile(_CLOCK)
    sep = regexcache.compile(_SEP)
    zone = regexcache.compile(_zone_token())
    lead = regexcache.compile(
        r"(?:^|(?<=[\s(\[*_>|•·:,]))(?P<words>(?i:" + alternation(TIME_LEAD_IN, APPROXIMATE) + r"))\s*$"
    )
    tail = regexcache.compile(r"\s*(?:[-–—]\s*)?(?P<open>(?i:" + alternation(ONWARDS) + r"|fin|open))(?![\w])")
    return clock, sep, zone, lead, tail


@cache
def _numbered_before() -> re.Pattern[str]:
    # "Session 3", "Salle 10", "Nr. 12", "page 4": a number of something, not a time (vocabulary's words)
    return regexcache.compile(rf"\b(?:{alternation(NUMBERED_THINGS)})\.?\s*$", re.I)


_APPROX_WORDS = frozenset(w.lower() for w in APPROXIMATE.all())


@cache
def _until() -> re.Pattern[str]:
    """ "bis", "until", "jusqu'à", "hasta las" right before a time: it ends something."""
    return regexcache.compile(r"(?:^|(?<=[\s(\[*_>|•·:,]))(?i:until|till|bis|jusqu['’]à|hasta\s+las|hasta)\s*$")


# --- reading clocks ---------------------------------------------------------------------------------------------------


def _clock(m: re.Match[str]) -> Clock | None:
    if m.group("noon"):
        return Clock(12, 0, "noon", True)
    if m.group("hhmm"):
        digits = m.group("hhmm")
        return Clock(int(digits[:2]), int(digits[2:]), None, True, padded=digits[0] == "0")
    if m.group("h") is None:
        return None
    raw = m.group("mer")
    meridiem = None
    if raw:
        low = re.sub(r"[\s.]", "", raw.lower())
        if low in ("am", "delamañana", "dumatin"):
            meridiem = "am"
        elif low in ("pm", "delatarde", "delanoche", "dusoir", "del'après-midi", "del’après-midi"):
            meridiem = "pm"
        else:  # "m." (Spanish "meridiano"), "noon", "midday"
            meridiem = "noon"
    minute = m.group("m") or m.group("m2")
    strong = bool(minute or m.group("hw") or meridiem or m.group("uhr"))
    hour_text = m.group("h")
    return Clock(int(hour_text), int(minute or 0), meridiem, strong, padded=len(hour_text) == 2 and hour_text[0] == "0")


def _duration(m: re.Match[str], text: str) -> bool:
    """A small number of hours inside parentheses, with nothing else to make it a clock time: a duration."""
    if m.group("m") or m.group("m2") or m.group("mer") or not m.group("hw") or int(m.group("h")) > 4:
        return False
    before, after = text[: m.start()], text[m.end() :]
    return "(" in before[-30:] and ")" in after[:3] and not re.search(r"\d[:.h]?\d*\s*[-–]\s*$", before)


def _day_month(m: re.Match[str], text: str) -> bool:
    """ "17.04 9.00am Arrival": a day.month (its "minutes" a month number that no clock shows) before a time."""
    if m.group("sep") != "." or m.group("m") is None or int(m.group("m")) not in (1, 2, 3, 4, 6, 7, 8, 9, 11):
        return False
    # before a time, or with the closing dot of a German day.month ("von 03.06., 11 Uhr")
    return bool(re.match(r"\s+\d{1,2}[:.h]\d{2}|\.(?!\d)", text[m.end() :])) and int(m.group("h")) <= 31


def to_24(c: Clock, line: int) -> tuple[int, int]:
    """(hour, minute) on a 24-hour clock; a time that cannot be is an error naming the line."""
    h, mi = c.hour, c.minute
    if c.meridiem in ("am", "pm"):
        if not 1 <= h <= 12:
            raise AgendaError(
                f"{h}:{mi:02d} {c.meridiem} is not a time of day",
                line=line,
                hint="write 12-hour times from 1 to 12 a.m./p.m.",
            )
        h = h % 12 + (12 if c.meridiem == "pm" else 0)
    elif c.meridiem == "noon" and h != 12:
        raise AgendaError(f"{h}:{mi:02d} noon is not a time of day", line=line, hint="noon is 12:00")
    if h > 24 or mi >= 60 or (h == 24 and mi):
        raise AgendaError(
            f"{c.hour:02d}:{c.minute:02d} is not a time of day",
            line=line,
            hint="write times as HH:MM between 00:00 and 24:00",
        )
    return h, mi


def _shared_meridiem(a: Clock, b: Clock) -> tuple[Clock, Clock]:
    """ "3-6 p.m.", "10-11:30 a.m.": a meridiem written once holds for both ends, unless that would put the start after
    the end ("11:30 - 1:00 p.m." is 11:30 a.m. to 1 p.m.); "11 a.m. – 1" ends at 1 p.m."""
    if a.meridiem is None and b.meridiem in ("am", "pm") and 1 <= a.hour <= 12:
        shifted = Clock(a.hour, a.minute, b.meridiem, True, a.padded)
        if _safe24(shifted) <= _safe24(b):
            return shifted, b
    if b.meridiem is None and a.meridiem in ("am", "pm", "noon") and 1 <= b.hour <= 12 and not b.twenty_four_hour:
        if _safe24(b) < _safe24(a):
            return a, Clock(b.hour, b.minute, "pm", True, b.padded)
    return a, b


def _slipped_meridiem(a: Clock, b: Clock) -> tuple[Clock, Clock, bool]:
    """A range whose written am/pm makes it run backwards or half a day ("11:15 am - 11:55 pm", "11:55 pm - 12:35
    pm"): the slip is on the side whose other reading gives a range of a few hours."""
    if a.meridiem not in ("am", "pm") or b.meridiem not in ("am", "pm"):
        return a, b, False
    start, end = _safe24(a), _safe24(b)
    if (99, 0) in (start, end):
        return a, b, False
    length = (end[0] * 60 + end[1]) - (start[0] * 60 + start[1])
    if 0 < length <= 8 * 60:
        return a, b, False
    flip = {"am": "pm", "pm": "am"}
    for new_a, new_b in (
        (a, Clock(b.hour, b.minute, flip[b.meridiem], True, b.padded)),
        (Clock(a.hour, a.minute, flip[a.meridiem], True, a.padded), b),
    ):
        s, e = _safe24(new_a), _safe24(new_b)
        if 0 < (e[0] * 60 + e[1]) - (s[0] * 60 + s[1]) <= 8 * 60:
            return new_a, new_b, True
    return a, b, False


def _safe24(c: Clock) -> tuple[int, int]:
    try:
        return to_24(c, 0)
    except AgendaError:
        return (99, 0)


def _problem(*clocks: Clock | None) -> str | None:
    for c in clocks:
        if c is None:
            continue
        try:
            to_24(c, 0)
        except AgendaError as e:
            return e.message
    return None


def find_times(text: str) -> list[TimeMention]:
    """Every clock time and range in ``text``, in order; bare numbers only as an end of a range with a clear time."""
    tokens = _tokens(text)
    found: list[TimeMention] = []
    i = 0
    while i < len(tokens):
        m, a = tokens[i]
        if _no_start(m, a, text):
            i += 1
            continue
        reach, i = _reach(text, tokens, i)
        if a.strong or (reach.b is not None and reach.b.strong):  # a bare "10" only beside a clear time
            found.append(_mention(text, m, a, reach))
    return found


_Token = tuple[re.Match[str], Clock]


@dataclass
class _Reach:
    """How far a time runs: to the end of its zone label, of its range's end, or of "onwards"."""

    end: int
    zone: str | None = None
    b: Clock | None = None
    open_end: bool = False


def _tokens(text: str) -> list[_Token]:
    """Everything in ``text`` that reads as a clock, a day.month before a time excepted."""
    tokens = []
    for m in _patterns()[0].finditer(text):
        clock = _clock(m)
        if clock is not None and not _day_month(m, text):
            tokens.append((m, clock))
    return tokens


def _no_start(m: re.Match[str], a: Clock, text: str) -> bool:
    """A number that starts no time: "Panel 2 - 3:30 pm" (the panel's number), "Atelier (2 h)" (how long)."""
    return (not a.strong and bool(_numbered_before().search(text[: m.start()]))) or _duration(m, text)


def _reach(text: str, tokens: list[_Token], i: int) -> tuple[_Reach, int]:
    """The zone, range end or "onwards" of the time ``tokens[i]``, and the index of the next token to read."""
    _, sep_re, zone_re, _, tail_re = _patterns()
    m, a = tokens[i]
    reach = _Reach(m.end())
    zm = zone_re.match(text, reach.end)
    if zm and a.strong:
        reach.zone, reach.end = zm.group("zone"), zm.end()
    i += 1
    while i < len(tokens) and tokens[i][0].start() < reach.end:
        i += 1  # the "3" of "GMT-3"
    sep = sep_re.match(text, reach.end)
    if i < len(tokens) and _ends_range(text, tokens[i], m, a, reach.end, sep):
        m2, reach.b = tokens[i]
        reach.end = m2.end()
        zm = zone_re.match(text, reach.end)
        if zm:
            reach.zone, reach.end = reach.zone or zm.group("zone"), zm.end()
        i += 1
    if reach.b is None:
        tail = tail_re.match(text, reach.end)
        if tail and a.strong and (tail.group("open").lower() not in ("on", "fin", "open") or sep):
            reach.open_end, reach.end = True, tail.end()
    return reach, i


def _ends_range(text: str, token: _Token, m: re.Match[str], a: Clock, end: int, sep: re.Match[str] | None) -> bool:
    """Whether ``token`` is the end of the range the time ``m`` (read as ``a``, running to ``end``) starts."""
    m2, b = token
    if sep and m2.start() == sep.end() and (a.strong or b.strong):
        return True  # "10:00 – 11:00", "9 to 10 am"
    # "12:30 m. 1:00 p. m.": two times side by side, the second with its meridiem, are a range too
    # "07:30   08:30  Breakfast": two times with minutes side by side, with nothing between, are a range too
    with_minutes = bool(m.group("m")) and bool(m2.group("m"))
    return not text[end : m2.start()].strip() and a.strong and (b.meridiem is not None or with_minutes)


def _mention(text: str, m: re.Match[str], a: Clock, reach: _Reach) -> TimeMention:
    """The time ``m`` as found: its lead-in words, its range with am/pm settled, and whether it only ends something."""
    b, corrected = reach.b, False
    if b is not None:
        a, b = _shared_meridiem(a, b)
        a, b, corrected = _slipped_meridiem(a, b)
    lead, approximate = m.start(), False
    lm = _patterns()[3].search(text[: m.start()])
    if lm:
        lead = lm.start("words")
        approximate = " ".join(lm.group("words").lower().split()) in _APPROX_WORDS
    until = _until().search(text[: m.start()]) if b is None else None
    if until:
        lead = until.start()
    return TimeMention(
        lead,
        m.start(),
        reach.end,
        a,
        b,
        reach.zone,
        approximate,
        reach.open_end,
        until=until is not None,
        problem=_problem(a, b),
        corrected=corrected,
    )


# --- a time at the start of a line ------------------------------------------------------------------------------------

# "1. 10:00 – 10:10 Bienvenida", "TOP 2 18:40 Bericht": the number comes before the time
LEADING_NUMBER = regexcache.compile(
    rf"""
    ^(?:(?i:{alternation(NUMBERED)})\s+)?      # "TOP", "Session", "Punto" (vocabulary.NUMBERED), or nothing
    (?P<num>[IVX]{{1,5}}|\d{{1,2}})             # the number: "2", "IV"
    (?:[.):]?\s+)                              # "2.", "2)", "2:"
    (?=(?:ca\.\s*)?\d{{1,2}}(?:[:.h]\d{{2}}|\s*(?:h\b|Uhr\b|[aApP]\.?\s?[mM]\b)))   # and a time after it
    """,
    re.X,
)
# "Ende ca. 20:00 Uhr", "Fin de la réunion : 18h": when the last block of the day ends
END_MARKER = regexcache.compile(
    rf"""
    ^(?:{alternation(CLOSING)})\b      # "Ende", "Fin de la réunion", "Adjourn" (vocabulary.CLOSING)
    \D{{0,30}}?                         # "ca.", " : "
    (?P<t>\d{{1,2}}(?:[:.h]\d{{2}})?\s*(?:h\b|Uhr\b|[aApP]\.?\s?[mM]\.?)?)   # the time
    """,
    re.I | re.X,
)


def span_at_start(text: str, line: int) -> Span | None:
    """The time or range a line starts with (after lead-in words such as "A las", "ab", "ca."), and the text after."""
    mentions = find_times(text)
    if not mentions:
        return None
    first = mentions[0]
    if first.lead != 0 and text[: first.lead].strip(" \t*_#>•·-–|"):
        return None
    if first.problem:
        to_24(first.a, line)
        if first.b is not None:
            to_24(first.b, line)
    rest = re.sub(r"^(?:Uhr\b)?\s*[:|–—\-.]?\s*", "", text[after_time(text, mentions) :].strip()).strip()
    written = first.a.meridiem is not None or (first.b is not None and first.b.meridiem is not None)
    return Span(
        to_24(first.a, line),
        to_24(first.b, line) if first.b else None,
        rest,
        first.zone,
        first.approximate,
        written or first.a.twenty_four_hour,
    )


def after_time(text: str, mentions: list[TimeMention]) -> int:
    """Where the text after a line's first time begins: "15:00 CET / 9:00 EST  Welcome" skips the same time given in a
    second zone, which is not part of the title."""
    first = mentions[0]
    if first.zone and len(mentions) > 1 and mentions[1].zone and text[first.end : mentions[1].start].strip() == "/":
        return mentions[1].end
    return first.end


def starts_with_time(text: str) -> bool:
    try:
        return span_at_start(text, 0) is not None
    except AgendaError:
        return True


def embedded_range(text: str, line: int) -> Span | None:
    """A time range written inside a line rather than at its start, both ends clearly times."""
    for mention in find_times(text):
        if mention.b is not None and mention.a.strong and mention.b.strong and not mention.problem:
            return Span(
                to_24(mention.a, line), to_24(mention.b, line), text[mention.end :].strip(), mention.zone, False
            )
    return None
