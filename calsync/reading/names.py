"""The people (or countries) under an agenda item: "Speakers: A, B and C", "Moderator: Ms. Ana Silva, UNDP",
bold lines, bullet lists under a bare label, and table cells under a "Speaker" column."""

from __future__ import annotations

import re
from functools import cache

from .. import regexcache
from .vocabulary import BY_LABELS, HONORIFICS, ONE_PERSON_LABELS, PEOPLE_LABELS, PLACEHOLDER, ROLE_WORDS, alternation

_PARTICLES = r"(?:de|da|do|dos|das|van|von|der|den|del|della|la|le|di|du|ten|ter|zu|y|bin|al|el)"
_ROLE = frozenset(w for w in ROLE_WORDS.all())
_PLACEHOLDERS = frozenset(PLACEHOLDER.all())


@cache
def _person() -> re.Pattern[str]:
    honorific = alternation(HONORIFICS)
    return regexcache.compile(
        r"^(?:(?i:" + honorific + r")\.?\s+)*"
        r"[A-ZÀ-Ý][\w'’.\-]+(?:\s+(?:" + _PARTICLES + r"|[A-ZÀ-Ý][\w'’.\-]*)){1,4}$"
    )


@cache
def _label() -> re.Pattern[str]:
    one = alternation(ONE_PERSON_LABELS)
    many = alternation(PEOPLE_LABELS)
    by = alternation(BY_LABELS)
    return regexcache.compile(
        r"^(?:(?P<one>(?i:" + one + r"))\s*(?:\(\s*\w+\s*\))?\s*:\s*|(?P<many>(?i:" + many + r"))\s*:\s*"
        r"|(?P<by>(?i:" + by + r"))\s+(?=[A-ZÀ-Ý]))(?P<v>.*)$"
    )


def looks_like_person(text: str) -> bool:
    """Whether ``text`` reads as a person's name ("Dr. Ray Ortiz", "Ana de la Torre"), not a phrase."""
    words = [w.strip(".,").lower() for w in text.split()]
    if any(w in _ROLE for w in words):
        return False
    return bool(_person().match(text))


def looks_like_name(text: str) -> bool:
    """Whether a short line is more likely a name (of a person, a country, an organisation) than a sentence."""
    words = text.split()
    return (
        0 < len(words) <= 6
        and len(text) <= 60
        and not text.rstrip().endswith((":", "?", "!"))
        and not re.search(r"\d{1,2}[:.h]\d{2}", text)
    )


def names_label(text: str) -> tuple[list[str], bool] | None:
    """The names a "Speakers: …" line gives, and whether the label is bare (a list follows on the next lines)."""
    m = _label().match(text)
    if not m:
        return None
    if m.group("by") and not looks_like_person(m.group("v").split(",")[0].strip(" .")):
        return None  # "by the Secretariat on progress" is a sentence, not a label
    value = m.group("v").strip()
    return split_names(value, one=bool(m.group("one"))), not value


def split_names(value: str, one: bool = False) -> list[str]:
    """Names from "A; B", "A, B and C", keeping "Ms. Ana Silva, UNDP" and "Linda Chen, CFO" (a name with its role).

    After a label for one person ("Speaker:"), only what reads as another person's name starts a new name:
    "Maria Gonzalez, Program Director, Civic Data Lab" is one.
    """
    if one and ";" not in value:
        parts: list[str] = []
        for piece in (p.strip() for p in re.split(r"\s*,\s*|\s+(?:and|et|y|und|&)\s+", value) if p.strip()):
            if parts and not looks_like_person(piece.strip(" .")):
                parts[-1] = f"{parts[-1]}, {piece}"
            else:
                parts.append(piece)
        return [p.strip(" .") for p in parts if p.strip(" .") and not _placeholder(p)]
    if ";" in value:
        parts = re.split(r"\s*;\s*", value)
    else:
        pieces = [p.strip() for p in re.split(r"\s*,\s*|\s+(?:and|et|y|und|&)\s+", value) if p.strip()]
        parts = []
        for piece in pieces:
            if parts and _is_role(piece):
                parts[-1] = f"{parts[-1]}, {piece}"  # a role or organisation belongs to the name before it
            elif (
                parts
                and looks_like_person(parts[-1].split(",")[0].strip(" ."))
                and not looks_like_person(piece.strip(" ."))
                and not _country_like(piece)
            ):
                parts[-1] = f"{parts[-1]}, {piece}"
            else:
                parts.append(piece)
    return [p.strip(" .") for p in parts if p.strip(" .") and not _placeholder(p)]


def _is_role(piece: str) -> bool:
    words = [w.strip(".,()").lower() for w in piece.split()]
    return bool(words) and (any(w in _ROLE for w in words) or piece.isupper() and len(piece) <= 8)


def _country_like(piece: str) -> bool:
    """One or two capitalised words ("Finland", "Costa Rica"): in a list of names, an entry of its own."""
    return bool(re.fullmatch(r"[A-ZÀ-Ý][\w'’\-]+(?:\s+[A-ZÀ-Ý][\w'’\-]+)?", piece.strip(" .")))


def _placeholder(text: str) -> bool:
    return text.strip(" .").lower() in _PLACEHOLDERS
