"""What changed between two versions of an agenda (calsync.changes), table-driven on the seed agenda."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from calsync.changes import compare
from calsync.model import Agenda, Block, slug


def moved(agenda: Agenda, index: int, minutes: int) -> Agenda:
    b = agenda.blocks[index]
    new = replace(b, start=b.start + timedelta(minutes=minutes), end=b.end + timedelta(minutes=minutes))
    return replace(agenda, blocks=agenda.blocks[:index] + (new,) + agenda.blocks[index + 1 :])


def retitled(agenda: Agenda, index: int, title: str) -> Agenda:
    b = agenda.blocks[index]
    return replace(
        agenda, blocks=agenda.blocks[:index] + (replace(b, title=title, key=slug(title)),) + agenda.blocks[index + 1 :]
    )


def renumbered(agenda: Agenda, index: int, number: str) -> Agenda:
    b = agenda.blocks[index]
    return replace(
        agenda,
        blocks=agenda.blocks[:index] + (replace(b, number=number, key="renumbered"),) + agenda.blocks[index + 1 :],
    )


def added(agenda: Agenda) -> Agenda:
    start = agenda.end
    return replace(
        agenda, blocks=agenda.blocks + (Block("cocktail", "Cocktail", start, start + timedelta(minutes=30)),)
    )


def removed(agenda: Agenda, index: int) -> Agenda:
    return replace(agenda, blocks=agenda.blocks[:index] + agenda.blocks[index + 1 :])


EDITS = [
    ("nothing", lambda a: a, [], None),
    ("moved", lambda a: moved(a, 2, 15), [(("moved",), "iii")], None),
    (
        "retitled",
        lambda a: retitled(a, 4, "Échange ouvert entre les membres"),
        [(("retitled",), "echange-ouvert-entre-les-membres")],
        None,
    ),
    (
        "moved and retitled",
        lambda a: moved(retitled(a, 4, "Échange entre les membres"), 4, 10),
        [(("moved", "retitled"), "echange-entre-les-membres")],
        None,
    ),
    ("renumbered", lambda a: renumbered(a, 6, "VII"), [(("renumbered",), "renumbered")], None),
    ("added", added, [(("added",), "cocktail")], None),
    ("removed", lambda a: removed(a, 1), [(("removed",), "ii")], None),
    ("link added", lambda a: a.with_conference_url("https://zoom.us/j/1"), [], "added"),
    (
        "inserted first",
        lambda a: replace(
            a, blocks=(Block("tech", "Technical check", a.start - timedelta(minutes=10), a.start), *a.blocks)
        ),
        [(("added",), "tech")],
        None,
    ),
]


@pytest.mark.parametrize("name, edit, expected, link", EDITS, ids=[e[0] for e in EDITS])
def test_compare(seed_agenda: Agenda, name: str, edit, expected: list, link: str | None) -> None:  # type: ignore[no-untyped-def]
    found = compare(seed_agenda, edit(seed_agenda))
    assert [(c.kinds, c.block.key) for c in found.blocks] == expected
    assert found.link == link
    assert bool(found) == bool(expected or link)


def test_link_changed_and_removed(seed_agenda: Agenda) -> None:
    one = seed_agenda.with_conference_url("https://zoom.us/j/1")
    assert compare(one, seed_agenda.with_conference_url("https://zoom.us/j/2")).link == "changed"
    assert compare(one, seed_agenda).link == "removed"


def test_changes_come_in_programme_order_with_removed_blocks_where_they_were(seed_agenda: Agenda) -> None:
    found = compare(seed_agenda, moved(removed(added(seed_agenda), 1), 4, 5))
    assert [c.kinds[0] for c in found.blocks] == ["removed", "moved", "added"]
    assert found.blocks[0].old is seed_agenda.blocks[1] and found.blocks[0].new is None
