"""Places named in text, and names close to a mistyped one: the two ways calsync looks for a place in words.

:func:`zone_for_place` finds where an agenda's header says it is held ("Réunion à Genève", "Ort: Berlin"), so that a
region's label ("CET") can be shown under the place's own zone; :func:`suggestions` gives the "did you mean" names for a
place calsync does not know. Both use :mod:`calsync.places` and nothing else of calsync.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from datetime import date

from . import regexcache
from .places import available, city_names, country_names, find_place, fold, gazetteer, same_clock
from .reading.vocabulary import HELD_IN, VENUE_KEYS, alternation

__all__ = ["zone_for_place", "suggestions", "spellings"]

# A capitalised word ("Genève", "Aix-en-Provence") and the small words inside place names ("Frankfurt am Main").
_WORD = regexcache.compile(r"[^\W\d_][\w'’\-.]*")
_INNER = frozenset({"am", "an", "de", "del", "la", "le", "les", "der", "sur", "upon", "on", "en", "im", "di", "da"})
# Where an agenda's header names the place it is held, in the four languages: after "in", "à", "en", "bei", "de"…;
# on a "Location:" / "Lieu :" / "Ort:" line; in parentheses; or first on a line before a comma ("Genève, 12 mars").
# Elsewhere a capitalised word is too often a word ("Time" is a Norwegian town, "Essen" a German one).
_BEFORE = regexcache.compile(
    rf"""
    (?:^|[\s(])                      # a word of its own
    (?:{alternation(HELD_IN)})       # "in", "à", "en", "bei"... (vocabulary.HELD_IN)
    \s*$                             # right before the place
    """,
    re.I | re.X,
)
_PROSE = 120
_PLACE_LINE = regexcache.compile(
    rf"""
    ^\W*                             # after any bullet or markup
    (?:{alternation(VENUE_KEYS)})    # "Location", "Lieu", "Ort"... (vocabulary.VENUE_KEYS)
    \s*:                             # and its colon
    """,
    re.I | re.X,
)


def _phrases(text: str, longest: int = 4) -> Iterable[str]:
    """Runs of capitalised words that an agenda's header writes where it names a place, longest first at each start.

    Upper-case words ("CET", "UN", "IT") are left out: they are labels, codes and acronyms, not places.
    """
    words = [(m.group(0).rstrip(".'’-"), m.start(), m.end()) for m in _WORD.finditer(text)]
    key = _PLACE_LINE.match(text)
    value_from = key.end() if key else len(text) + 1  # on a "Location:" line, what follows the colon
    for i, (word, start, _end) in enumerate(words):
        if not (word[:1].isupper() and not word.isupper()):
            continue
        run = [words[i]]
        for nxt in words[i + 1 : i + longest * 2]:
            joined = not text[run[-1][2] : nxt[1]].strip(" .'’-")  # a name never runs across "," or ":"
            if joined and ((nxt[0][:1].isupper() and not nxt[0].isupper()) or nxt[0] in _INNER):
                run.append(nxt)
            else:
                break
        while run and run[-1][0] in _INNER:
            run.pop()
        before = text[:start]
        for n in range(min(len(run), longest), 0, -1):
            if run[n - 1][0] in _INNER or (n == 1 and len(word) <= 2):  # "In", "Im": words, not country codes
                continue
            after = text[run[n - 1][2] :].lstrip(".'’-")
            first_on_line = not before.strip(" *_#>-•\t") and after.startswith(",")
            if start >= value_from or _BEFORE.search(before) or before.rstrip().endswith("(") or first_on_line:
                yield " ".join(text[run[0][1] : run[n - 1][2]].rstrip(".'’-").split())  # as written: "St. Gallen"


def zone_for_place(texts: str | Iterable[str], region_zone: str, on: date) -> tuple[str, str] | None:
    """The zone of the first place named in ``texts`` that keeps ``region_zone``'s UTC offsets around ``on``, and the
    place as written; ``None`` when no place named there does.

    An agenda that writes "CET" names a region; when its title, header or location also names where it is held
    ("Réunion à Genève", "Ort: Berlin"), that place's zone gives the same instants under a name its participants
    recognise (Europe/Zurich, Europe/Berlin). Only places written where headers name places count (see ``_BEFORE``).
    """
    for text in [texts] if isinstance(texts, str) else texts:
        if len(text) > _PROSE:
            continue  # a paragraph tells a story ("at its 6th meeting in Paris"), not where this meeting is held
        for phrase in _phrases(text):
            place = find_place(phrase, loose=False)  # as written: an agenda spells its own place
            if place is not None and not place.zone.startswith("Etc/") and same_clock(place.zone, region_zone, on):
                return place.zone, phrase
    return None


def suggestions(text: str, limit: int = 4) -> list[str]:
    """Names close to ``text`` among the countries, cities and IANA zones that calsync knows, best first, one per
    place ("Guatamala" → Guatemala, not also its spellings Gwatemala and Gvatemala)."""
    key = fold(text)
    if not key:
        return []
    pool: dict[str, tuple[str, object, int]] = {k: (v, v, 10**10) for k, v in spellings().items()}
    # GeoNames' towns are too many to compare with one by one: only names of about the same length and first letter.
    for name, written, people in gazetteer().near(key[:1], len(key) - 2, len(key) + 2):
        pool.setdefault(fold(name), (written, written.casefold(), people))
    close = difflib.get_close_matches(key, list(pool), n=limit * 4, cutoff=0.75)

    def rank(match: str) -> float:
        # about as close, the better known first: countries and CLDR's cities, then towns by their people
        return -(difflib.SequenceMatcher(None, key, match).ratio() + 0.02 * math.log10(max(pool[match][2], 1)))

    shown: dict[object, str] = {}
    for match in sorted(close, key=rank):
        written, place, _people = pool[match]
        if place not in shown and written not in shown.values():
            shown[place] = written
    return list(shown.values())[:limit]


def spellings() -> dict[str, str]:
    """Every name calsync knows, folded → how to show it: for "did you mean …" suggestions."""
    spelled: dict[str, str] = {}
    for folded, (_code, english) in country_names().items():
        spelled.setdefault(folded, english)
    for folded, zone in city_names().items():
        spelled.setdefault(folded, zone.rsplit("/", 1)[-1].replace("_", " "))
    for zone in available():
        spelled.setdefault(fold(zone), zone)
    return spelled
