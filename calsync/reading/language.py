"""Which of calsync's four languages an agenda is written in, from the short words every sentence uses."""

from __future__ import annotations

from collections import Counter

from .. import regexcache

# Function words that are frequent in one language and rare in the other three (no shared spellings such as "a",
# "de", "en", "la", "die"/"le" ambiguity is avoided by leaving such words out).
_WORDS = {
    "en": ("the", "and", "of", "with", "for", "to", "on", "by", "welcome", "opening", "remarks", "break", "lunch"),
    "fr": (
        "et",
        "le",
        "les",
        "des",
        "du",
        "au",
        "aux",
        "pour",
        "avec",
        "sur",
        "accueil",
        "séance",
        "pause",
        "déjeuner",
        "ouverture",
        "réunion",
        "présentation",
    ),
    "es": (
        "y",
        "el",
        "los",
        "las",
        "del",
        "con",
        "para",
        "por",
        "una",
        "bienvenida",
        "apertura",
        "sesión",
        "almuerzo",
        "reunión",
        "presentación",
    ),
    "de": (
        "und",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "mit",
        "für",
        "von",
        "zur",
        "zum",
        "begrüßung",
        "mittagspause",
        "sitzung",
        "tagung",
        "uhr",
    ),
}
_LOOKUP = {word: lang for lang, words in _WORDS.items() for word in words}
_WORD = regexcache.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str | None:
    """``"en"``, ``"fr"``, ``"es"`` or ``"de"`` by the most function words found; ``None`` when there are too few."""
    counts = Counter(_LOOKUP[w] for w in map(str.lower, _WORD.findall(text[:200_000])) if w in _LOOKUP)
    if not counts:
        return None
    (best, n), *rest = counts.most_common(2) + [("", 0)]
    return best if n >= 3 and n > rest[0][1] else None
