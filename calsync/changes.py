"""What changed between two versions of an agenda, block by block: moved, retitled, renumbered, added, removed, and
the join link. Pure: the blocks are paired by :func:`calsync.identity.align`, so a reworded block is "retitled",
not "removed" and "added"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from .identity import align, items_of, normalise_title
from .model import Agenda, Block, same_instant

__all__ = ["BlockChange", "Changes", "compare", "KINDS"]

KINDS = ("added", "removed", "moved", "retitled", "renumbered")


@dataclass(frozen=True)
class BlockChange:
    """One block that changed: what happened to it (a moved block may be retitled as well) and its two versions."""

    kinds: tuple[str, ...]
    old: Block | None  # None when added
    new: Block | None  # None when removed

    @property
    def block(self) -> Block:
        """The block as it is now (as it was, for a removed one)."""
        found = self.new or self.old
        assert found is not None
        return found


@dataclass(frozen=True)
class Changes:
    """Everything that changed from ``old`` to ``new``, in the order of the new programme (removed blocks where they
    were)."""

    old: Agenda
    new: Agenda
    blocks: tuple[BlockChange, ...]
    link: str | None = None  # "added", "changed" or "removed": the join link, which is the whole meeting's

    def __bool__(self) -> bool:
        return bool(self.blocks or self.link)


def compare(old: Agenda, new: Agenda) -> Changes:
    """The changes from ``old`` to ``new``, each block paired with its previous version by title, order and time."""
    pairs = align(items_of(old), items_of(new))  # new key -> old key
    before = {b.key: b for b in old.blocks}
    paired_old = set(pairs.values())
    found: list[BlockChange] = []
    for block in new.blocks:
        previous = before.get(pairs[block.key]) if block.key in pairs else None
        if previous is None:
            found.append(BlockChange(("added",), None, block))
            continue
        kinds = _kinds(previous, block)
        if kinds:
            found.append(BlockChange(kinds, previous, block))
    found.extend(BlockChange(("removed",), b, None) for b in old.blocks if b.key not in paired_old)
    found.sort(key=lambda c: (_utc(c.block.start), c.new is None))
    return Changes(old, new, tuple(found), _link(old.conference_url, new.conference_url))


def _kinds(old: Block, new: Block) -> tuple[str, ...]:
    kinds = []
    if not (same_instant(old.start, new.start) and same_instant(old.end, new.end)):
        kinds.append("moved")
    if normalise_title(old.title) != normalise_title(new.title) or " ".join(old.title.split()) != " ".join(
        new.title.split()
    ):
        kinds.append("retitled")
    if (old.number or "") != (new.number or ""):
        kinds.append("renumbered")
    return tuple(kinds)


def _link(old: str | None, new: str | None) -> str | None:
    if old == new:
        return None
    if not old:
        return "added"
    return "removed" if not new else "changed"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
