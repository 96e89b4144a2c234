"""A block's title as written -> its number, title, stated duration and the run-on text after it.

"I. Accueil par la présidence (8 min)" -> ("I", "Accueil par la présidence", 8, "");
"Opening of the conference - Welcome address by the Chair" -> (None, "Opening of the conference", None,
"Welcome address by the Chair"); "Welcome – Dr. Ray Ortiz" keeps the speaker apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import regexcache
from .names import looks_like_person
from .vocabulary import DANGLING, ITEM_WORDS, MINUTES, NUMBERED, PER_NAME, alternation


@dataclass(frozen=True)
class Title:
    number: str | None
    text: str
    stated: int | None  # minutes as stated ("(8 min)"), not computed
    more: str  # what ran on after the title: a description or a speaker


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    numbering = regexcache.compile(
        r"^(?:(?i:" + alternation(NUMBERED) + r")\s+(?P<wnum>[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})?[a-z]?)"
        r"(?:(?:[.)]|\s*:|\s+[-–—])\s+(?=\S)|\s+(?=[A-ZÀ-Ý]))"  # "Session 3: …", "Session II Opening"
        r"|(?P<num>[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})?)(?:[.)]|\s*:|\s+[-–—])\s+(?=\S)"
        r"|(?P<dotted>\d{1,2}\.\d{1,2})\s+(?=[A-ZÀ-Ý]))"  # "1.1 AGM Introductions": a dotted section number
    )
    minutes = alternation(MINUTES)
    stated = regexcache.compile(
        r"(?:\s*[-–—]\s*|\s+|^)(?:\(\s*(?P<q>\d{1,3})\s*['′’]\s*\)|"  # "(5')"
        r"\(?\s*(?P<n>\d{1,3})\s*(?i:" + minutes + r")\.?\s*\)?)\s*$"
    )
    per_name = regexcache.compile(
        r"\(?\s*(?P<n>\d{1,3})\s*(?i:" + minutes + r")\.?\s+(?i:" + alternation(PER_NAME) + r")\b[^)\n]*\)?"
        r"|\(\s*(?i:je|each|chacun|cada|jeweils)\s+(?P<n2>\d{1,3})\s*(?i:" + minutes + r")\.?\s*\)"
    )
    return numbering, stated, per_name


# Words that only number agenda items (unlike "Block", "Session", "Panel", which also name them)
_ITEM_WORD = regexcache.compile(rf"^(?:{alternation(ITEM_WORDS)})\b", re.I)


def minutes_per_name(text: str) -> int | None:
    """The minutes each name gets, when the text says so ("(5 min. par pays)", "(je 5 Min.)")."""
    m = _patterns()[2].search(text)
    return int(m.group("n") or m.group("n2")) if m else None


def split_title(rest: str) -> Title:
    """Numbering, title, stated minutes and the run-on description from the text of an agenda item."""
    numbering, stated_re, per_name_re = _patterns()
    text = rest.strip(" :|–—-.").strip()
    number = None
    m = numbering.match(text)
    if m and not (
        m.group("wnum")
        and len(text[m.end() :].split()) <= 1
        and not re.search(r"[.):–—-]", m.group(0))
        and not _ITEM_WORD.match(text)
    ):
        # (but "Block 1 Vormittag" keeps its words: "Vormittag" alone would not say which block; "TOP 1" is a number)
        number = m.group("num") or m.group("wnum") or m.group("dotted")
        text = text[m.end() :]
    stated = None
    per_name = per_name_re.search(text)
    m = stated_re.search(text)
    if m and not (per_name and per_name.end() >= m.start()):
        stated = int(m.group("n") or m.group("q"))
        text = text[: m.start()].rstrip(" -–—")
    more = ""
    cut = re.search(r"\s+-(?=\s*\S)(?!\d)", text)  # "Opening of the conference - Welcome address by ..."
    if cut and cut.start() > 3:
        text, more = text[: cut.start()], text[cut.end() :].strip()
    else:
        # an en or em dash is part of many titles ("… corona crisis – Cooperation in the EU"), so it only separates
        # a speaker: "Welcome – Dr. Ray Ortiz"
        dash = re.search(r"\s+[–—]\s+(?P<who>[^–—]+)$", text)
        if dash and dash.start() > 3 and looks_like_person(dash.group("who").strip(" .")):
            text, more = text[: dash.start()], dash.group("who").strip()
    for sentence in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", text):
        # a sentence ends after a lower-case word ("... en débat. Quatre temps"), not after "Prof." or "Dr."
        word = text[: sentence.start() - 1].rsplit(" ", 1)[-1]
        if sentence.start() > 8 and len(word) >= 3 and re.fullmatch(r"[a-zà-ÿ\-]+", word):
            text, more = text[: sentence.start()], (text[sentence.end() :] + (" " + more if more else "")).strip()
            break
    return Title(number, text.strip(" .:;,–—-|").strip(), stated, more)


_DANGLING_WORDS = frozenset(DANGLING.all())


def is_dangling(title: str) -> bool:
    """Whether a title ends on a word no title ends on ("… on the"): the PDF wrapped it onto the next line."""
    words = title.split()
    return bool(words) and words[-1].lower().strip(",;") in _DANGLING_WORDS
