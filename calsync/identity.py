"""Which block of a new version of the agenda is which block of the previous one: pure, no I/O, no clock.

Agendas change after they are sent: a block moves, is reworded or renumbered, another is inserted before it. Keys
derived from titles would call a reworded block new (on a calendar: a deleted event and a fresh one, without its
guests; in an .ics: a new UID beside the old copy). :func:`align` instead matches the two versions' blocks by their
titles, their order and their times together, the way a person compares two printouts:

1. blocks whose title occurs once in each version and is the same in both are *anchors*; the longest run of them in
   the same order fixes the frame (a block moved past others keeps its identity through step 4);
2. between two anchors, an order-keeping alignment (dynamic programming) pairs the rest, each pair scored by title
   similarity, how far its time moved and whether its key is the same;
3. pairs that are not plausible at all (a different title at another time) are never made: such blocks are new or
   removed;
4. what is left is matched by key, then by a nearly equal title, wherever it now sits.

:func:`rekey` then gives each matched block the previous version's key, and unmatched ones a key the previous version
never used, so everything keyed by block (Google event ids, .ics UIDs) follows the identity, not the title.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from .model import Agenda, Block

__all__ = [
    "Item",
    "align",
    "align_indices",
    "rekey",
    "items_of",
    "carry_identity",
    "title_similarity",
    "normalise_title",
]

# A title this similar (0..1) pairs two blocks wherever they are; below PLAUSIBLE_TITLE it needs the same start or
# a close time as well, and below LOOSE_TITLE the same start (a block reworded in place).
PLAUSIBLE_TITLE = 0.6
LOOSE_TITLE = 0.3
CLOSE_MINUTES = 30
FAR_MINUTES = 240  # beyond this, time no longer says anything
ANYWHERE_TITLE = 0.85  # step 4: a nearly equal title pairs blocks whose order changed
# The same key is evidence, not proof, when the titles are the same too: keys derived from titles are positional
# for repeated ones ("break-2"). The same key under a changed title is no such coincidence (a derived key would have
# changed with it): the organiser kept it, as a reviewed YAML does, and it weighs like a title.
KEY_BONUS = 0.5
KEPT_KEY_BONUS = 2.0
# A gap of more cells than this is aligned piece by piece (an agenda rewritten from scratch).
FULL_CELLS = 40_000


@dataclass(frozen=True)
class Item:
    """One block as a version holds it: its key, its title (without its number) and its instants."""

    key: str
    title: str
    start: datetime
    end: datetime


def items_of(agenda: Agenda) -> list[Item]:
    return [Item(b.key, b.title, b.start, b.end) for b in agenda.blocks]


_NUMBER = re.compile(r"^\s*(?:[IVXLCDM]+|\d+(?:\.\d+)*|[A-Za-z])[.)]\s+")


def normalise_title(title: str) -> str:
    """A title as compared: no leading number ("VI. "), accents, case or punctuation."""
    text = _NUMBER.sub("", title, count=1)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def title_similarity(a: str, b: str) -> float:
    """0 (nothing alike) to 1 (the same once normalised): the Dice coefficient of the titles' letter pairs, which
    forgives typos, accents and plurals ("Échanges" ~ "Echange") and counts words shared in any order."""
    return _dice(_bigrams(normalise_title(a)), _bigrams(normalise_title(b)))


def _bigrams(text: str) -> frozenset[str]:
    padded = f" {text} "
    return frozenset(padded[k : k + 2] for k in range(len(padded) - 1)) if text else frozenset()


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if a == b:
        return 1.0 if a else 0.0
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class _Side:
    """One version's items in time order, with what comparisons need computed once."""

    items: tuple[Item, ...]
    order: tuple[int, ...]  # each item's index in the sequence given
    names: tuple[str, ...]  # normalised titles
    titles: tuple[frozenset[str], ...]  # their letter pairs
    starts: tuple[float, ...]  # minutes since the epoch
    ends: tuple[float, ...]

    @classmethod
    def of(cls, items: Sequence[Item]) -> _Side:
        ordered = sorted(enumerate(items), key=lambda p: (_utc(p[1].start), _utc(p[1].end), p[0]))
        its = tuple(item for _, item in ordered)
        names = tuple(normalise_title(i.title) for i in its)
        return cls(
            its,
            tuple(index for index, _ in ordered),
            names,
            tuple(_bigrams(n) for n in names),
            tuple(_utc(i.start).timestamp() / 60 for i in its),
            tuple(_utc(i.end).timestamp() / 60 for i in its),
        )


def _score(old: _Side, i: int, new: _Side, j: int, *, anywhere: bool = False) -> float | None:
    """How much pairing old[i] with new[j] is worth, or None when they cannot be the same block."""
    shift = abs(old.starts[i] - new.starts[j])
    same_start = shift == 0
    keyed = old.items[i].key == new.items[j].key
    title = _dice(old.titles[i], new.titles[j])
    if anywhere:
        if title < ANYWHERE_TITLE:
            return None
    elif not (keyed or same_start or title >= PLAUSIBLE_TITLE or (title >= LOOSE_TITLE and shift <= CLOSE_MINUTES)):
        return None
    if same_start and old.ends[i] == new.ends[j]:
        time = 1.0
    elif same_start:
        time = 0.8
    else:
        time = max(0.0, 1 - shift / FAR_MINUTES) * 0.6
    bonus = 0.0 if not keyed else KEY_BONUS if old.names[i] == new.names[j] else KEPT_KEY_BONUS
    return 3 * title + time + bonus + 0.1


def align(previous: Sequence[Item], current: Sequence[Item]) -> dict[str, str]:
    """``current`` key -> ``previous`` key for every block that is the same block in both versions."""
    return {current[j].key: previous[i].key for j, i in align_indices(previous, current).items()}


def align_indices(previous: Sequence[Item], current: Sequence[Item]) -> dict[int, int]:
    """Index in ``current`` -> index in ``previous`` for every block that is the same block in both versions (keys
    need not be unique: events of several former meetings may share block keys)."""
    old, new = _Side.of(previous), _Side.of(current)
    pairs: dict[int, int] = {}  # old index -> new index
    anchors = _anchors(old, new)
    bounds = [(-1, -1), *anchors, (len(old.items), len(new.items))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
        if (i0, j0) != (-1, -1):
            pairs[i0] = j0
        pairs.update(_gap(old, range(i0 + 1, i1), new, range(j0 + 1, j1)))
    _leftovers(old, new, pairs)
    return {new.order[j]: old.order[i] for i, j in pairs.items()}


def _anchors(old: _Side, new: _Side) -> list[tuple[int, int]]:
    """Pairs of titles that occur once in each version, equal, and in the same order (the longest such run)."""

    def unique(side: _Side) -> dict[str, int]:
        seen: dict[str, int] = {}
        twice: set[str] = set()
        for index, title in enumerate(side.names):
            if title in seen:
                twice.add(title)
            seen[title] = index
        return {t: i for t, i in seen.items() if t not in twice and t}

    mine, theirs = unique(old), unique(new)
    candidates = sorted((i, theirs[t]) for t, i in mine.items() if t in theirs)
    return _increasing(candidates)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (sorted by their first member) whose second members increase."""
    tails: list[int] = []  # tails[k]: the smallest second member ending an increasing run of length k + 1
    tail_at: list[int] = []  # index in pairs of that run's last pair
    back: list[int] = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(index)
        else:
            tails[k] = j
            tail_at[k] = index
        back[index] = tail_at[k - 1] if k else -1
    run: list[tuple[int, int]] = []
    at = tail_at[-1] if tail_at else -1
    while at >= 0:
        run.append(pairs[at])
        at = back[at]
    return run[::-1]


def _gap(old: _Side, rows: range, new: _Side, cols: range) -> dict[int, int]:
    """The order-keeping pairing of old[rows] with new[cols] of the highest total score (unpaired blocks cost
    nothing). A very large gap (an agenda rewritten from scratch) is cut into consecutive pieces aligned piece with
    piece, so the work stays proportional to the agenda rather than to its square."""
    n, m = len(rows), len(cols)
    if not n or not m:
        return {}
    pieces = math.ceil(math.sqrt(n * m / FULL_CELLS))
    if pieces > 1:
        pairs: dict[int, int] = {}
        for k in range(pieces):
            pairs.update(
                _gap(
                    old,
                    rows[k * n // pieces : (k + 1) * n // pieces],
                    new,
                    cols[k * m // pieces : (k + 1) * m // pieces],
                )
            )
        return pairs
    # best[a][b]: the best total for old rows[:a] with new cols[:b]; how[a][b]: 0 match, 1 skip old, 2 skip new.
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    how = [[1] * (m + 1) for _ in range(n + 1)]
    for b in range(1, m + 1):
        how[0][b] = 2
    for a in range(1, n + 1):
        above, here, moves = best[a - 1], best[a], how[a]
        for b in range(1, m + 1):
            value, move = above[b], 1
            if here[b - 1] > value:
                value, move = here[b - 1], 2
            score = _score(old, rows[a - 1], new, cols[b - 1])
            if score is not None and above[b - 1] + score > value:
                value, move = above[b - 1] + score, 0
            here[b], moves[b] = value, move
    pairs = {}
    a, b = n, m
    while a > 0 and b > 0:
        if how[a][b] == 0:
            pairs[rows[a - 1]] = cols[b - 1]
            a, b = a - 1, b - 1
        elif how[a][b] == 1:
            a -= 1
        else:
            b -= 1
    return pairs


def _leftovers(old: _Side, new: _Side, pairs: dict[int, int]) -> None:
    """Pair what the ordered alignment left: the same key first, then a nearly equal title, best first."""
    free_old = [i for i in range(len(old.items)) if i not in pairs]
    taken = set(pairs.values())
    free_new = [j for j in range(len(new.items)) if j not in taken]
    if not free_old or not free_new:
        return
    by_key: dict[str, int] = {}
    for j in free_new:
        by_key.setdefault(new.items[j].key, j)
    for i in list(free_old):
        found = by_key.get(old.items[i].key)
        if found is not None and found not in taken:
            pairs[i] = found
            taken.add(found)
            free_old.remove(i)
    free_new = [j for j in free_new if j not in taken]
    if len(free_old) * len(free_new) > FULL_CELLS:
        return
    scored = sorted(
        ((s, i, j) for i in free_old for j in free_new if (s := _score(old, i, new, j, anywhere=True)) is not None),
        reverse=True,
    )
    for _, i, j in scored:
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)


def rekey(keys: Iterable[str], matched: dict[str, str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Each current key -> the key it goes by from now on: the previous version's key when it was matched, its own
    otherwise, unless that is a key the previous version gave another block (or one of ``reserved``, e.g. a key
    held by a live event that is not this block): then its own with the first free ``-N`` suffix."""
    keys = list(keys)
    previous = set(matched.values()) | set(reserved)
    used = set(matched.values())
    out: dict[str, str] = {}
    for key in keys:
        if key in matched:
            out[key] = matched[key]
            continue
        fresh, n = key, 1
        while fresh in previous or fresh in used:
            n += 1
            fresh = f"{key}-{n}"
        out[key] = fresh
        used.add(fresh)
    return out


def carry_identity(previous: Sequence[Item], agenda: Agenda) -> Agenda:
    """``agenda`` with each block keyed as the previous version keyed the same block (new blocks get keys the
    previous version never used), so ids and UIDs derived from keys survive retitles, renumbering and moves."""
    matched = align(previous, items_of(agenda))
    keys = rekey((b.key for b in agenda.blocks), matched, reserved=(p.key for p in previous))
    if all(keys[b.key] == b.key for b in agenda.blocks):
        return agenda
    blocks: tuple[Block, ...] = tuple(replace(b, key=keys[b.key]) for b in agenda.blocks)
    return replace(agenda, blocks=blocks)
