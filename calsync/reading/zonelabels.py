"""Zone labels as organisers write them ("CET", "GMT-3", "hora de España") -> an IANA zone and a reading note.

A label is read as the civil time of the region it names, on the meeting's date, through a geographic IANA zone:
organisers who write "CET" in July mean the clock on the wall in Brussels, which then shows CEST (UTC+2). The literal
fixed-offset reading is available on request (``literal=True``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .. import regexcache
from ..errors import ZoneError
from ..model import short_offset
from ..places import available, canonical_zone, iana_name, place_zone
from .vocabulary import CLOCK_WORDS, LINKING_WORDS, OF_PLACE, PLACE_CLOCK, ZONE_KEYS, alternation


@dataclass(frozen=True)
class Region:
    """The civil time a family of abbreviations names, and the standard/summer offsets each abbreviation means."""

    zone: str
    name: str
    standard: str
    summer: str | None  # None: the region keeps one offset all year (no summer label)


@dataclass(frozen=True)
class LabelReading:
    """A label as read: its IANA zone, how it was read (a note for people), and whether it names the wrong half of
    the year ("CET" in July), decided here once and carried as a flag, never found again in the note's words."""

    zone: str
    note: str | None = None
    disagrees: bool = False


# Abbreviations are not IANA zones (or are deprecated aliases such as "CET"); each family is read through the
# geographic zone tzdata itself links it to (since tzdata 2024b "CET" links to Europe/Brussels, "EST5EDT" to
# America/New_York). German and French forms are included because organisers write them.
REGIONS = {
    "central-europe": Region("Europe/Brussels", "Central Europe", "CET", "CEST"),
    "western-europe": Region("Europe/Lisbon", "Western Europe", "WET", "WEST"),
    "eastern-europe": Region("Europe/Athens", "Eastern Europe", "EET", "EEST"),
    "uk": Region("Europe/London", "the United Kingdom", "GMT", "BST"),
    "us-eastern": Region("America/New_York", "US Eastern", "EST", "EDT"),
    "us-central": Region("America/Chicago", "US Central", "CST", "CDT"),
    "us-mountain": Region("America/Denver", "US Mountain", "MST", "MDT"),
    "us-pacific": Region("America/Los_Angeles", "US Pacific", "PST", "PDT"),
    "alaska": Region("America/Anchorage", "Alaska", "AKST", "AKDT"),
    "hawaii": Region("Pacific/Honolulu", "Hawaii", "HST", None),
    "brazil": Region("America/Sao_Paulo", "Brasília", "BRT", "BRST"),
    "argentina": Region("America/Argentina/Buenos_Aires", "Argentina", "ART", None),
    "west-africa": Region("Africa/Lagos", "West Africa", "WAT", None),
    "central-africa": Region("Africa/Maputo", "Central Africa", "CAT", None),
    "east-africa": Region("Africa/Nairobi", "East Africa", "EAT", None),
    "south-africa": Region("Africa/Johannesburg", "South Africa", "SAST", None),
    "moscow": Region("Europe/Moscow", "Moscow", "MSK", None),
    "gulf": Region("Asia/Dubai", "the Gulf", "GST", None),
    "pakistan": Region("Asia/Karachi", "Pakistan", "PKT", None),
    "india": Region("Asia/Kolkata", "India", "IST", None),
    "western-indonesia": Region("Asia/Jakarta", "Western Indonesia", "WIB", None),
    "singapore": Region("Asia/Singapore", "Singapore", "SGT", None),
    "hong-kong": Region("Asia/Hong_Kong", "Hong Kong", "HKT", None),
    "philippines": Region("Asia/Manila", "the Philippines", "PHT", None),
    "japan": Region("Asia/Tokyo", "Japan", "JST", None),
    "korea": Region("Asia/Seoul", "Korea", "KST", None),
    "australia-western": Region("Australia/Perth", "Western Australia", "AWST", None),
    "australia-central": Region("Australia/Adelaide", "Australian Central", "ACST", "ACDT"),
    "australia-eastern": Region("Australia/Sydney", "Australian Eastern", "AEST", "AEDT"),
    "new-zealand": Region("Pacific/Auckland", "New Zealand", "NZST", "NZDT"),
}
# label -> (region, True if the label names summer time, False standard time, None either)
ABBREVIATIONS: dict[str, tuple[str, bool | None]] = {
    "CET": ("central-europe", False),
    "MEZ": ("central-europe", False),
    "HEC": ("central-europe", False),
    "CEST": ("central-europe", True),
    "MESZ": ("central-europe", True),
    "HAEC": ("central-europe", True),
    "CEDT": ("central-europe", True),
    "CEMT": ("central-europe", True),
    "WET": ("western-europe", False),
    "WEZ": ("western-europe", False),
    "WEST": ("western-europe", True),
    "WESZ": ("western-europe", True),
    "EET": ("eastern-europe", False),
    "OEZ": ("eastern-europe", False),
    "EEST": ("eastern-europe", True),
    "OESZ": ("eastern-europe", True),
    "BST": ("uk", True),
    "EST": ("us-eastern", False),
    "EDT": ("us-eastern", True),
    "ET": ("us-eastern", None),
    "CST": ("us-central", False),
    "CDT": ("us-central", True),
    "CT": ("us-central", None),
    "MST": ("us-mountain", False),
    "MDT": ("us-mountain", True),
    "MT": ("us-mountain", None),
    "PST": ("us-pacific", False),
    "PDT": ("us-pacific", True),
    "PT": ("us-pacific", None),
    # POSIX-style zone names, which tzdata 2024b itself turned into links to these cities
    "EST5EDT": ("us-eastern", None),
    "CST6CDT": ("us-central", None),
    "MST7MDT": ("us-mountain", None),
    "PST8PDT": ("us-pacific", None),
    "AKST": ("alaska", False),
    "AKDT": ("alaska", True),
    "HST": ("hawaii", False),
    "BRT": ("brazil", False),
    "BRST": ("brazil", True),
    "ART": ("argentina", False),
    "WAT": ("west-africa", False),
    "CAT": ("central-africa", False),
    "EAT": ("east-africa", False),
    "SAST": ("south-africa", False),
    "MSK": ("moscow", False),
    "GST": ("gulf", False),
    "PKT": ("pakistan", False),
    "IST": ("india", False),  # only as "IST (India)": bare "IST" is ambiguous (_AMBIGUOUS) and an error
    "WIB": ("western-indonesia", False),
    "SGT": ("singapore", False),
    "HKT": ("hong-kong", False),
    "PHT": ("philippines", False),
    "JST": ("japan", False),
    "KST": ("korea", False),
    "AWST": ("australia-western", False),
    "ACST": ("australia-central", False),
    "ACDT": ("australia-central", True),
    "AEST": ("australia-eastern", False),
    "AEDT": ("australia-eastern", True),
    "AET": ("australia-eastern", None),
    "NZST": ("new-zealand", False),
    "NZDT": ("new-zealand", True),
    "NZT": ("new-zealand", None),
}
# Abbreviations several regions use: an error that asks for the city rather than a guess.
_AMBIGUOUS = {
    "IST": (
        "India Standard Time (Asia/Kolkata), Irish Standard Time (Europe/Dublin) or Israel Standard Time "
        "(Asia/Jerusalem)",
        "write the city or IANA zone, e.g. Asia/Kolkata, or 'IST (India)'",
    ),
}
# "IST (India)": the qualifier settles an ambiguous abbreviation.
_QUALIFIED = regexcache.compile(r"^IST\s*[(\[,]?\s*(?:India|Indian|Inde|Indien)\s*[)\]]?$", re.I)
# Words as well as abbreviations: in text these are labels only in parentheses, right after a time, or after
# "time zone:" / "times in" (see _labelled); "ART", "CAT", "EAT", "WAT", "GST" (a tax), "IST" (German "ist"),
# "WEST", "HEC" are otherwise read as words.
_WORDLIKE = {"ART", "CAT", "EAT", "WAT", "GST", "IST", "WEST", "HEC"}
_SPELLED = {
    "central european time": "CET",
    "central european summer time": "CEST",
    "mitteleuropäische zeit": "MEZ",
    "mitteleuropäische sommerzeit": "MESZ",
    "heure d'europe centrale": "CET",
    "hora de europa central": "CET",
    "hora central europea": "CET",
    "eastern time": "ET",
    "pacific time": "PT",
    "central time": "CT",
    "mountain time": "MT",
    "eastern standard time": "EST",
    "eastern daylight time": "EDT",
    "central standard time": "CST",
    "central daylight time": "CDT",
    "mountain standard time": "MST",
    "mountain daylight time": "MDT",
    "pacific standard time": "PST",
    "pacific daylight time": "PDT",
    "alaska standard time": "AKST",
    "alaska daylight time": "AKDT",
    "hawaii standard time": "HST",
    "hawaii-aleutian standard time": "HST",
    "western european time": "WET",
    "western european summer time": "WEST",
    "eastern european time": "EET",
    "eastern european summer time": "EEST",
    "british summer time": "BST",
    "west africa time": "WAT",
    "central africa time": "CAT",
    "east africa time": "EAT",
    "south africa standard time": "SAST",
    "south african standard time": "SAST",
    "moscow standard time": "MSK",
    "moscow time": "MSK",
    "gulf standard time": "GST",
    "pakistan standard time": "PKT",
    "india standard time": "IST (India)",
    "indian standard time": "IST (India)",
    "western indonesia time": "WIB",
    "western indonesian time": "WIB",
    "singapore time": "SGT",
    "singapore standard time": "SGT",
    "hong kong time": "HKT",
    "philippine time": "PHT",
    "philippine standard time": "PHT",
    "japan standard time": "JST",
    "korea standard time": "KST",
    "korean standard time": "KST",
    "australian western standard time": "AWST",
    "australian central standard time": "ACST",
    "australian central daylight time": "ACDT",
    "australian eastern standard time": "AEST",
    "australian eastern daylight time": "AEDT",
    "new zealand standard time": "NZST",
    "new zealand daylight time": "NZDT",
    "brasilia time": "BRT",
    "brasília time": "BRT",
    "argentina time": "ART",
}
_OFFSET = regexcache.compile(r"^(?:GMT|UTC|UT|TU)\s*([+\-−–])\s*(\d{1,2})(?::?(\d{2}))?$", re.I)
_FIXED = regexcache.compile(r"^(?:GMT|UTC|UT|TU|Z|Zulu)$", re.I)

# Written next to times: "(CET)", "GMT-3", "UTC+01:00", "CEST". Upper case only, so French "est" is not EST.
LABEL_PATTERN = regexcache.compile(
    r"(?<![\w/])(?:(?:GMT|UTC)\s*[+\-−]\s*\d{{1,2}}(?::?\d{{2}})?|IST\s*\((?:India|Indian|Inde|Indien)\)|(?:{})|GMT|UTC)"
    r"(?![\w/+])".format(
        "|".join(sorted((a for a in ABBREVIATIONS if len(a) > 2), key=len, reverse=True))
    )  # "ET" is too often a word
)
# "hora de España", "heure de Paris", "local time Brussels", "Brussels time", "Berliner Zeit" (not handled), ...
PLACE_PATTERN = regexcache.compile(
    rf"""
    \b(?i:{alternation(PLACE_CLOCK)})\s+       # "hora", "heure", "local time", "Uhrzeit" (vocabulary.PLACE_CLOCK)
    (?:(?i:{alternation(OF_PLACE)})\s*)?        # "de", "d'", "del", "in", "of" (vocabulary.OF_PLACE)
    (?P<after>[A-ZÀ-Ý][\w’'\-]+(?:\s+[A-ZÀ-Ý][\w’'\-]+)?)   # a place of one or two capitalised words
    | (?P<before>[A-Z][\w’'\-]+)\s+(?:local\s+)?time\b       # or before it: "Brussels time", "Paris local time"
    """,
    re.X,
)
IANA_PATTERN = regexcache.compile(
    r"\b(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Za-z_\-+0-9]+(?:/[A-Za-z_\-]+)?"
)
_SPELLED_PATTERN = regexcache.compile(
    r"\b(?:{})\b".format("|".join(re.escape(k) for k in sorted(_SPELLED, key=len, reverse=True))), re.I
)
_TIME_BEFORE = regexcache.compile(r"\d(?:[:.h]\d{2}|\s?[aApP]\.?\s?[mM]\.?|\s?h|\s?hrs?\.?|\s?Uhr)\s*[\])]?\s*$")
_ZONE_WORDS_BEFORE = regexcache.compile(
    rf"""
    \b(?:{alternation(ZONE_KEYS, CLOCK_WORDS)})      # "time zone", "times", "heures", "Zeiten" (vocabulary)
    \s*(?:(?:{alternation(LINKING_WORDS)})\s+)*      # "are in", "sont en", "sind in"
    [:=]?\s*$                                        # right before the label
    """,
    re.I | re.X,
)
_CAPS_WORD = regexcache.compile(r"[A-ZÀ-Ý]{2,}[,.;:!?]?")


def _labelled(text: str, start: int, end: int) -> bool:
    """Whether a word-like abbreviation at ``text[start:end]`` is written as a label: "(EAT)", "10:00 ART",
    "Time zone: WAT", "all times in CAT"."""
    before = text[:start]
    if before.rstrip().endswith(("(", "[")):
        return True
    return bool(_TIME_BEFORE.search(before) or _ZONE_WORDS_BEFORE.search(before))


def _caps_neighbour(text: str, start: int, end: int) -> bool:
    """Whether the word before or after is an upper-case word: "CE QUI EST", "WEST AFRICA" are a title's words."""
    prev = re.search(r"(\S+)\s+$", text[:start])
    nxt = re.match(r"\s+(\S+)", text[end:])
    for m in (prev, nxt):
        if (
            m
            and _CAPS_WORD.fullmatch(m.group(1))
            and m.group(1).rstrip(",.;:!?") not in ABBREVIATIONS
            and m.group(1).rstrip(",.;:!?") not in ("UTC", "GMT")
        ):
            return True
    return False


def find_label(text: str) -> str | None:
    """The first zone label written in ``text``, as written; ``None`` when there is none.

    Abbreviations are upper case and whole words. Those that are also words (``_WORDLIKE``: ART, CAT, EAT, WAT, GST,
    IST, WEST, HEC), and any abbreviation beside an upper-case word ("CE QUI EST IMPORTANT"), count only in
    parentheses, right after a time, or after "time zone:" / "times in". A place phrase ("Geneva time") counts only
    when the place resolves to a zone, so "Geneva time (CEST)" gives "CEST".
    """
    candidates = []
    for m in LABEL_PATTERN.finditer(text):
        word = m.group(0)
        if (
            word in ABBREVIATIONS
            and (word in _WORDLIKE or _caps_neighbour(text, m.start(), m.end()))
            and not _labelled(text, m.start(), m.end())
        ):
            continue
        candidates.append((m.start(), word))
        break
    spelled = _SPELLED_PATTERN.search(text)
    if spelled:
        candidates.append((spelled.start(), spelled.group(0)))
    for m in IANA_PATTERN.finditer(text):
        if _iana(m.group(0)):
            candidates.append((m.start(), m.group(0)))
            break
    for m in PLACE_PATTERN.finditer(text):
        place = m.group("after") or m.group("before")
        if place and _place_zone(place) is not None:
            candidates.append((m.start(), m.group(0).strip()))
            break
    return min(candidates)[1] if candidates else None


def resolve_label(label: str, on: date, *, literal: bool = False, at: datetime | None = None) -> LabelReading:
    """The IANA zone of a label as written, read on ``on`` (the meeting's date), with its note and disagreement.

    ``at`` is a wall-clock time of the meeting, used to word the note; ``literal`` reads abbreviations as fixed offsets.
    """
    text = _as_written(label)
    if not text:
        raise ZoneError("empty time zone", hint="give an IANA name such as Europe/Paris")
    upper = text.upper()
    m = _OFFSET.match(text)
    if m:
        return LabelReading(_fixed_offset(m, text))
    if _FIXED.match(text):
        return LabelReading("Etc/UTC")
    if _QUALIFIED.match(text):  # "IST (India)" (its closing parenthesis may have gone with the strip above)
        return _abbreviation("IST", "IST (India)", on, literal, at)
    if upper in _AMBIGUOUS:
        meanings, hint = _AMBIGUOUS[upper]
        raise ZoneError(f"time zone abbreviation {label.strip()!r} is ambiguous: it may mean {meanings}", hint=hint)
    if upper in ABBREVIATIONS:
        return _abbreviation(upper, text, on, literal, at)
    iana = _iana(text)
    if iana:
        return LabelReading(iana)
    place = _place_of(text)
    if place:
        return LabelReading(place, f"{label!r} read as the civil time of {place}")
    import difflib

    names = {z.casefold(): z for z in available()}
    wanted = text.replace(" ", "_").casefold()
    close = [c for c in difflib.get_close_matches(wanted, list(names), n=4, cutoff=0.8) if c != wanted][:3]
    did_you_mean = f"did you mean {', '.join(names[c] for c in close)}? " if close else ""
    if re.fullmatch(r"[A-Z]{2,5}", text):
        raise ZoneError(
            f"unknown time zone abbreviation {text!r}",
            hint=f"{did_you_mean}write the city (e.g. Nairobi) or the IANA zone (e.g. Africa/Nairobi) instead, "
            "or an offset such as UTC+3",
        )
    raise ZoneError(
        f"unknown time zone {label!r}",
        hint=f"{did_you_mean}use an IANA name (e.g. Europe/Paris), an offset (UTC+1), a label such as CET, or a city",
    )


def is_offset_label(text: str) -> bool:
    """Whether ``text`` is a UTC offset label such as "UTC+3" or "GMT-03:00"."""
    return bool(_OFFSET.match(" ".join(text.split())))


def _fixed_offset(m: re.Match[str], text: str) -> str:
    sign = -1 if m.group(1) in "-−–" else 1
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if minutes >= 60:
        raise ZoneError(f"{text!r} is not a UTC offset", hint="offsets run from UTC-12 to UTC+14")
    return _fixed_offset_zone(sign * timedelta(hours=hours, minutes=minutes), text)


def _abbreviation(upper: str, text: str, on: date, literal: bool, at: datetime | None) -> LabelReading:
    region_key, summer_named = ABBREVIATIONS[upper]
    region = REGIONS[region_key]
    wall = at.replace(tzinfo=None) if at else datetime.combine(on, datetime.min.time()).replace(hour=12)
    local = wall.replace(tzinfo=ZoneInfo(region.zone))
    offset = local.utcoffset() or timedelta(0)
    named_offset = _offset_of(region, summer_named)
    if literal and named_offset is not None:
        zone = _fixed_offset_zone(named_offset, text)
        return LabelReading(
            zone,
            f"{text} read literally as the fixed offset UTC{short_offset(named_offset)} ({zone}), "
            "as --literal-offsets asks",
        )
    if named_offset is None or not names_other_season(upper, region.zone, wall):
        return LabelReading(
            region.zone,
            f"{text} read as the civil time of {region.name} ({region.zone}), UTC{short_offset(offset)} on "
            f"{on.isoformat()}",
        )
    season = "summer time" if local.dst() else "standard time"
    utc_local = (local - offset).strftime("%H:%M")
    utc_literal = (wall - named_offset).strftime("%H:%M")
    note = (
        f"{wall:%H:%M} {text} on {on.isoformat()}: {region.name} is on {season} (UTC{short_offset(offset)}); "
        f"read as local time = {utc_local} UTC; the literal UTC{short_offset(named_offset)} reading would be "
        f"{utc_literal} UTC (use --literal-offsets for it)"
    )
    return LabelReading(region.zone, note, disagrees=True)


def names_other_season(label: str, zone: str, wall: datetime) -> bool:
    """Whether ``label`` names the half of the year ``zone``'s clock is not on at the wall-clock time ``wall``.

    "CET" (standard time) for a meeting in Brussels in July, "EDT" (summer time) in New York in January: the reader
    then says which reading it took. Labels of regions without summer time, offsets, names and fixed-offset zones
    (``--literal-offsets``) never disagree.
    """
    text = _as_written(label)
    abbreviation = "IST" if _QUALIFIED.match(text) else text.upper()
    if abbreviation not in ABBREVIATIONS or zone.startswith("Etc/"):
        return False
    summer_named = ABBREVIATIONS[abbreviation][1]
    if summer_named is None:
        return False
    return bool(wall.replace(tzinfo=ZoneInfo(zone)).dst()) != summer_named


def _as_written(label: str) -> str:
    """A label with its brackets and extra spaces gone, and a spelled-out name as its abbreviation."""
    text = " ".join(label.strip().strip("()[]").split())
    return _SPELLED.get(text.lower(), text)


def _offset_of(region: Region, summer: bool | None) -> timedelta | None:
    if summer is None:
        return None
    probe = ZoneInfo(region.zone)
    for month in (1, 7):
        d = datetime(2021, month, 15, 12, tzinfo=probe)
        if bool(d.dst()) == summer:
            return d.utcoffset()
    return None


def _fixed_offset_zone(offset: timedelta, text: str) -> str:
    """The ``Etc/`` zone of a fixed offset; tzdata has them for whole hours from UTC-12 to UTC+14 only."""
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    if rest:
        raise ZoneError(
            f"{text!r} has no IANA fixed-offset zone (only whole hours do)",
            hint="use --meeting-tz with the place's zone, e.g. Asia/Kolkata for UTC+5:30",
        )
    if hours > (14 if minutes > 0 else 12):
        raise ZoneError(f"{text!r} is not a UTC offset", hint="offsets run from UTC-12 to UTC+14")
    if hours == 0:
        return "Etc/UTC"
    # POSIX sign convention: Etc/GMT+3 is three hours *behind* UTC.
    return f"Etc/GMT{'-' if minutes > 0 else '+'}{hours}"


def _iana(text: str) -> str | None:
    name = iana_name(text.replace(" ", "_"))
    if name and not name.startswith(("SystemV/", "posix/", "right/")):
        current = canonical_zone(name)  # "US/Eastern", "EST5EDT" → "America/New_York"
        if "/" in current:
            return current
    if name in ("UTC", "Etc/UTC"):
        return "Etc/UTC"
    return None


def _place_of(text: str) -> str | None:
    """A zone for phrases such as "hora de España", "heure de Paris", "local time Brussels", "Paris time"."""
    m = PLACE_PATTERN.search(text)
    if m:
        zone = _place_zone(m.group("after") or m.group("before"))
        if zone:
            return zone
    return _place_zone(text)


def _place_zone(place: str) -> str | None:
    """The zone of a country or city named in a phrase ("Costa Rica" before "Costa"), from CLDR/tzdata."""
    words = place.strip(" .,;:()").split()
    for n in range(len(words), 0, -1):
        found = place_zone(" ".join(words[:n]))
        if found:
            return found[0]
    return None


__all__ = [
    "ABBREVIATIONS",
    "REGIONS",
    "IANA_PATTERN",
    "is_offset_label",
    "find_label",
    "resolve_label",
    "LabelReading",
    "names_other_season",
    "LABEL_PATTERN",
]
