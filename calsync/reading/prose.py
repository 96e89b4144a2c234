"""Reading events written in sentences during the walk: announcements, invitations, news items.

"el jueves, 21 de mayo de 16 h-17:15 h (hora de España)", "Ab 11.45 Uhr wird die Registrierung geöffnet sein",
"hoy 28 de abril a las 18:00 horas de Chile": one item per time (the same event said twice, or given again in another
zone, once), titled from what the sentence says before its date, a quoted name, the heading above the paragraph, or
the clause around the time. Every such item is warned about: a sentence is never a sure reading.
"""

from __future__ import annotations

import re

from ..model import WarningCode
from .clock import TimeMention
from .items import WalkState
from .layout import title_like
from .tags import Position, Tags
from .vocabulary import BEFORE_A_DATE
from .zonelabels import find_label

_BEFORE_DATE = frozenset(BEFORE_A_DATE.all())


class ProseReading(WalkState):
    def prose_items(self, i: int, t: Tags) -> bool:
        """One item per time in the sentence(s) of ``t``; False when none is a time of an event."""
        if t.dates:
            self.add_day(t, heading=True)
        text = t.line.text
        strong = [x for x in t.times if x.a.strong and not x.problem]
        found = False
        for n, time in enumerate(t.times):
            if time.problem or not time.a.strong:
                continue
            if n and _zone_follows(text, time):
                continue  # "16 h-17:15 h (hora de España) 9:00 AM hora Colombia": the same event, another clock
            if any(
                x.prose and x.time.hm() == time.hm() and self._same_day(x.day, len(self.days) - 1) for x in self.items
            ):
                continue  # the same event said twice ("hoy a las 18:00 … El evento se llevará a cabo a las 18:00")
            title = _title_in(text, time, t) or (len(strong) == 1 and self._title_above(i)) or _clause(text, time)
            item = self.open_item(Tags(t.line, times=[time], position=Position.LEAD), title, None)
            item.prose = True
            item.doubt(
                WarningCode.PROSE,
                f"'{item.title}' was read from a sentence ({item.start[0]:02d}:{item.start[1]:02d}); "
                "check it is a session of the meeting and its title",
            )
            found = True
        return found

    def _same_day(self, a: int, b: int) -> bool:
        """Whether two day marks name the same day (as written: "28 de abril" twice)."""
        if a == b:
            return True
        ma, mb = (self.days[a].mention if a >= 0 else None), (self.days[b].mention if b >= 0 else None)
        return ma is not None and mb is not None and (ma.day, ma.month) == (mb.day, mb.month)

    def _title_above(self, i: int) -> str | None:
        """A heading, bullet or bold line just above a paragraph: the event the paragraph is about."""
        for k in range(i - 1, max(-1, i - 4), -1):
            above = self.tags[k]
            if not above.line.text:
                continue
            line = above.line
            if (line.heading or line.bullet or line.bold) and title_like(above) and len(line.text) <= 150:
                return line.text
            if above.times or len(line.text) > 150:
                return None
        return None


def _title_in(text: str, time: TimeMention, t: Tags) -> str | None:
    """A title a sentence gives its event: what it says before the date ("Webinar La cultura en Iberoamérica el
    jueves, 21 de mayo de 16 h-17:15 h"), or a quoted name ("la mesa redonda “Política en …”")."""
    sentence = _sentence_around(text, time)
    offset = text.find(sentence)
    before = [d for d in t.dates if offset <= d.start and d.end <= time.start]
    lead = text[offset : before[-1].start] if before else ""
    words = lead.rstrip(" ,").split()
    while words and words[-1].lower().strip(",") in _BEFORE_DATE:
        words.pop()
    if 2 <= len(words) <= 25 and words[0][:1].isupper():
        return " ".join(words)
    quoted = re.search(r"[“„«\"]([^”“«»\"]{6,120})[”“»\"]", sentence)
    return quoted.group(1).strip() if quoted else None


def _zone_follows(text: str, time: TimeMention) -> bool:
    """Whether a zone is named right after a time ("9:00 AM hora Colombia", "(15:00 CET)")."""
    return bool(
        time.zone
        or find_label(text[time.end : time.end + 30])
        or re.match(r"\s*\(?(?i:hora|heure|time|zeit|horas?)\b", text[time.end :])
    )


def _sentence_around(text: str, time: TimeMention) -> str:
    start = max(text.rfind(". ", 0, time.start) + 1, 0)
    end = text.find(". ", time.end)
    return text[start : end if end >= 0 else len(text)].strip()


def _clause(text: str, time: TimeMention) -> str:
    """The clause around a time, short: the title of last resort for an event written in prose."""
    sentence = _sentence_around(text, time)
    at = text.find(sentence)
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^,;]+?(?=\s+(?:und|and|et|y)\s+|[,;]|$)", sentence)]
    clause = next((sentence[a:b] for a, b in parts if a + at <= time.start < b + at + 1), sentence)
    clause = " ".join(clause.replace(text[time.lead : time.end], " ").strip(" ,;.").split())
    return clause if len(clause) <= 100 else clause[:100].rsplit(" ", 1)[0] + " …"
