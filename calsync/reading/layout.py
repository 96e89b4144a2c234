"""Stage 3: the document's layout, chosen by a vote over all its timed lines.

An agenda decides its layout once: every item "time – title", or the title on the line above (or below) a time that
stands alone, or the time at the end of the line, or a table. The evidence is spread over the page, so it is weighed
here for the whole document before any line is cut into items; the runner-up's score is kept, and a close second is
a doubt that the blocks depending on it are warned about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .tags import Position, Tags


class Direction(Enum):
    """Where the title of a time standing alone on its line is."""

    BELOW = "below"
    ABOVE = "above"


@dataclass(frozen=True)
class Layout:
    """How this document's items are written."""

    trailing_times: bool  # times at the end of lines are items ("Welcome ........ 9:00"), not prose
    prose: bool  # no other items: times inside sentences are the items ("el jueves de 16 h a 17:15 h …")
    direction: Direction  # for times alone on their line
    close_call: bool  # the direction was nearly a tie: blocks whose title depends on it are warned about
    votes: dict[str, float]

    def describe(self) -> str:
        return ", ".join(f"{k} {v:g}" for k, v in sorted(self.votes.items(), key=lambda kv: -kv[1]) if v)


def is_item_line(tags: Tags) -> bool:
    """Whether a line's time may start an agenda item (rather than being a "Time:" or a date heading's hours)."""
    if tags.time is None or tags.position is None or tags.key is not None or tags.time.until:
        return False  # "bis 13:00 Uhr Anreise" gives no start
    if (
        tags.dates
        and tags.position is not Position.LEAD
        and not tags.line.table
        and not (tags.position is Position.TRAIL and re.search(r"[^\W\d_]{3,}", tags.text_around))
    ):
        # "Monday, 2 March 2026 — 9:00 AM to 11:00 AM": a heading with the day's hours (but "01.06.2019: Barcamp
        # 13 - 19 Uhr" is an item on that day)
        return False
    return True


def choose_layout(tags: list[Tags]) -> Layout:
    """Vote on the layout of the whole document."""
    leads = [t for t in tags if is_item_line(t) and t.position is Position.LEAD]
    # leading times followed by running prose are sentences when most are ("Ab 11.45 Uhr wird die Registrierung
    # geöffnet sein"); among titled items, a lower-case title is only a title ("10h présentation du rapport …")
    sentences = len(leads) > 0 and sum(t.sentence for t in leads) > len(leads) / 2
    items = [
        t
        for t in tags
        if is_item_line(t)
        and not (sentences and t.sentence)
        and not (t.position is Position.TRAIL and t.text_around[:1].islower())
    ]  # "las 19.30 horas."
    votes = {p.value: float(sum(1 for t in items if t.position is p and not t.line.table)) for p in Position}
    votes["table"] = float(sum(1 for t in items if t.line.table))
    lead, alone, trail = votes[Position.LEAD.value], votes[Position.ALONE.value], votes[Position.TRAIL.value]
    structured = lead + alone + votes["table"]
    in_prose = any(t.position is Position.MIDDLE or (sentences and t.sentence) for t in tags)
    # times at the ends of lines are the layout when they are many, or the only times there are
    trailing = (trail >= 2 or (trail == 1 and not in_prose)) and (
        trail >= structured or trail >= 0.3 * (structured + trail)
    )
    # no item of the usual layouts: the times in sentences are the programme ("la sesión … empieza a las 6:00 p.m.")
    prose = structured == 0 and not trailing and in_prose
    below, above = _direction_scores(tags)
    direction = Direction.ABOVE if above > below else Direction.BELOW
    close = alone >= 2 and abs(above - below) < max(1.0, 0.15 * alone)
    votes["title below"], votes["title above"] = below, above
    return Layout(trailing, prose, direction, close, votes)


def _direction_scores(tags: list[Tags]) -> tuple[float, float]:
    """How well "title below the time" and "title above the time" explain the times that stand alone."""
    content = [i for i, t in enumerate(tags) if t.line.content]
    where = {i: k for k, i in enumerate(content)}
    alone = [i for i in content if is_item_line(tags[i]) and tags[i].position is Position.ALONE]
    if not alone:
        return 0.0, 0.0
    scores = []
    for step in (1, -1):  # 1: the title is the next line (below); -1: the previous line (above)
        score = 0.0
        claimed = set()
        for i in alone:
            k = where[i] + step
            if not 0 <= k < len(content):
                score -= 1
                continue
            j = content[k]
            neighbour = tags[j]
            if not title_like(neighbour):
                score -= 1
                continue
            claimed.add(j)
            score += 1
            # a paragraph holds a time and its title together; a blank line between them is evidence against
            same_paragraph = not tags[max(i, j)].line.blank_before
            score += 0.5 if same_paragraph else -0.5
            if neighbour.line.heading or neighbour.line.bold:
                score += 0.25
        # a title-like line next to the first (or last) time that nobody claims is evidence against this direction
        edge = alone[0] if step == 1 else alone[-1]
        k = where[edge] - step
        if (
            0 <= k < len(content)
            and content[k] not in claimed
            and title_like(tags[content[k]])
            and not tags[content[k]].line.heading
        ):
            score -= 1
        scores.append(score)
    return scores[0], scores[1]


def title_like(tags: Tags) -> bool:
    """A line that could be an item's title: text without a time, a date, or a "Key:" label."""
    line = tags.line
    return (
        line.content
        and not tags.times
        and not mostly_date(tags)
        and tags.key is None
        and tags.day_number is None
        and len(line.text) <= 500
        and not line.italic
    )


def mostly_date(tags: Tags) -> bool:
    """A line that is a date heading ("Monday, 8 April 2013", "Day 1 – 8 April") rather than text with a date in it."""
    if not tags.dates:
        return False
    first = tags.dates[0]
    text = tags.line.text.strip(" .:*#")
    return first.start <= 3 or len(first.text) >= 0.6 * len(text) or len(text) < 30 or first.weekday is not None
