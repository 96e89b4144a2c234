"""Identity across versions of an agenda: which new block is which old one (calsync.identity), table-driven."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calsync.identity import Item, align, carry_identity, items_of, normalise_title, rekey, title_similarity
from calsync.model import Agenda, Block, block_keys

PARIS = ZoneInfo("Europe/Paris")
DAY = datetime(2020, 7, 22, tzinfo=PARIS)

SEED = [  # the seed agenda's blocks as (key, title, start, minutes)
    ("i", "Accueil par la présidence", "16:00", 8),
    ("ii", "Mise à jour sur la stratégie des pays pionniers (Secrétariat)", "16:08", 7),
    ("iii", "Mobilisation des nouveaux pays pionniers", "16:15", 35),
    ("iv", "Experience / good practice from other pathfinder countries", "16:50", 10),
    ("v", "Echange entre les membres du GCM", "17:00", 30),
    ("vi", "Préparation de l'atelier de suivi de la cible 8.7 des ODD", "17:30", 25),
    ("vii", "Remarques finales et prochaines étapes (Présidence)", "17:55", 5),
]


def items(rows: list[tuple[str, str, str, int]], day: int = 0) -> list[Item]:
    out = []
    for key, title, at, minutes in rows:
        hour, minute = map(int, at.split(":"))
        start = DAY.replace(hour=hour, minute=minute) + timedelta(days=day)
        out.append(Item(key, title, start, start + timedelta(minutes=minutes)))
    return out


def edited(rows: list[tuple[str, str, str, int]], index: int, **change: object) -> list[tuple[str, str, str, int]]:
    key, title, at, minutes = rows[index]
    row = (change.get("key", key), change.get("title", title), change.get("at", at), change.get("minutes", minutes))
    return rows[:index] + [row] + rows[index + 1 :]  # type: ignore[list-item]


def shifted(rows: list[tuple[str, str, str, int]], minutes: int) -> list[tuple[str, str, str, int]]:
    out = []
    for key, title, at, length in rows:
        t = datetime.strptime(at, "%H:%M") + timedelta(minutes=minutes)
        out.append((key, title, f"{t:%H:%M}", length))
    return out


SAME = {k: k for k, *_ in SEED}


def without(mapping: dict[str, str], *keys: str) -> dict[str, str]:
    return {k: v for k, v in mapping.items() if k not in keys}


CASES = [
    ("unchanged", SEED, SAME),
    # the key is derived from the title: a reworded title comes with a new key, the block keeps its identity
    (
        "retitled in place",
        edited(SEED, 4, key="echange-ouvert", title="Échange ouvert entre pays pionniers"),
        {**without(SAME, "v"), "echange-ouvert": "v"},
    ),
    (
        "retitled completely, same slot",
        edited(SEED, 0, key="welcome", title="Welcome and introduction"),
        {**without(SAME, "i"), "welcome": "i"},
    ),
    (
        "renumbered: the second VI becomes VII",
        edited(SEED, 6, key="vii-remarques", title="VII. Remarques finales et prochaines étapes (Présidence)"),
        {**without(SAME, "vii"), "vii-remarques": "vii"},
    ),
    ("moved by 15 minutes", edited(SEED, 2, at="16:30"), SAME),
    ("moved by two hours", edited(SEED, 6, at="19:55"), SAME),
    ("inserted at the top, the rest later", [("new", "Ouverture technique", "16:00", 10)] + shifted(SEED, 10), SAME),
    ("inserted in the middle", SEED[:3] + [("ins", "Pause café", "16:50", 10)] + shifted(SEED[3:], 10), SAME),
    ("removed", SEED[:2] + SEED[3:], without(SAME, "iii")),
    (
        "retitled and moved a little",
        edited(SEED, 4, key="echange-membres", title="Échange entre les membres", at="17:05"),
        {**without(SAME, "v"), "echange-membres": "v"},
    ),
    (
        "two blocks swap places",
        SEED[:3] + [("v", SEED[4][1], "16:50", 30), ("iv", SEED[3][1], "17:20", 10)] + SEED[5:],
        SAME,
    ),
    ("a different block at another time is new", SEED[:6] + [("x", "Cocktail", "19:00", 60)], without(SAME, "vii")),
    ("everything rewritten", [("a", "Keynote on data", "09:00", 60), ("b", "Lunch", "12:00", 60)], {}),
]


@pytest.mark.parametrize("name, new, expected", CASES, ids=[c[0] for c in CASES])
def test_align(name: str, new: list, expected: dict[str, str]) -> None:
    assert align(items(SEED), items(new)) == expected


BREAKS = [
    ("opening", "Opening", "09:00", 30),
    ("break", "Break", "10:30", 15),
    ("talk", "Talk on surveys", "10:45", 45),
    ("break-2", "Break", "15:00", 15),
]


def test_a_break_inserted_first_is_the_new_one_not_a_move_of_every_break() -> None:
    # keys of repeated titles are positional ("break", "break-2", "break-3"): times say which break is which
    new = [
        ("break", "Break", "08:45", 15),
        ("opening", "Opening", "09:00", 30),
        ("break-2", "Break", "10:30", 15),
        ("talk", "Talk on surveys", "10:45", 45),
        ("break-3", "Break", "15:00", 15),
    ]
    assert align(items(BREAKS), items(new)) == {
        "opening": "opening",
        "break-2": "break",
        "talk": "talk",
        "break-3": "break-2",
    }


def test_days_with_the_same_titles_pair_day_by_day() -> None:
    two_days = items(BREAKS) + items([(f"{k}-d2", t, at, n) for k, t, at, n in BREAKS], day=1)
    only_second = two_days[4:]
    assert align(two_days, only_second) == {i.key: i.key for i in only_second}


def test_parallel_sessions_at_the_same_time_keep_their_rooms() -> None:
    rooms = [
        ("a", "Room A: statistics", "14:00", 60),
        ("b", "Room B: health", "14:00", 60),
        ("c", "Room C: education", "14:00", 60),
    ]
    new = [
        ("a", "Room A: statistics", "14:00", 60),
        ("b2", "Room B: health systems", "14:00", 60),
        ("c", "Room C: education", "14:00", 60),
    ]
    assert align(items(rooms), items(new)) == {"a": "a", "b2": "b", "c": "c"}


def test_a_key_kept_by_hand_keeps_the_identity_whatever_the_title_and_time() -> None:
    # a reviewed YAML keeps its keys while titles change: the key is the organiser's word
    new = edited(SEED, 2, title="Cocktail", at="19:00")
    assert align(items(SEED), items(new)) == SAME


@pytest.mark.parametrize(
    "a, b, low, high",
    [
        ("VI. Remarques finales", "VII. Remarques finales", 1.0, 1.0),
        ("Échange entre les membres", "Echange entre les membres", 1.0, 1.0),
        ("Accueil par la présidence", "Mobilisation des pays", 0.0, 0.4),
        ("Echange entre les membres du GCM", "Échange entre les membres", 0.8, 0.95),
    ],
)
def test_title_similarity(a: str, b: str, low: float, high: float) -> None:
    assert low <= title_similarity(a, b) <= high


@pytest.mark.parametrize(
    "title, normal",
    [
        ("VI. Remarques finales", "remarques finales"),
        ("3) Lunch", "lunch"),
        ("1.2. Data: Q&A", "data q a"),
        ("Dr. Who", "dr who"),
    ],
)
def test_normalise_title(title: str, normal: str) -> None:
    assert normalise_title(title) == normal


@pytest.mark.parametrize(
    "keys, matched, reserved, expected",
    [
        (["a", "b"], {"a": "a", "b": "b"}, [], {"a": "a", "b": "b"}),
        (["new-title", "b"], {"new-title": "a", "b": "b"}, [], {"new-title": "a", "b": "b"}),
        # a new block whose own key the previous version gave another block: a fresh key, never the other's event
        (
            ["break", "break-2", "break-3"],
            {"break-2": "break", "break-3": "break-2"},
            [],
            {"break": "break-3", "break-2": "break", "break-3": "break-2"},
        ),
        (["x"], {}, ["x"], {"x": "x-2"}),  # "x" is held by a removed block
    ],
)
def test_rekey(keys: list[str], matched: dict[str, str], reserved: list[str], expected: dict[str, str]) -> None:
    assert rekey(keys, matched, reserved) == expected


def test_carry_identity_keys_a_retitled_block_as_before(seed_agenda: Agenda) -> None:
    blocks = list(seed_agenda.blocks)
    blocks[4] = replace(blocks[4], title="Échange ouvert entre les membres du GCM")
    keys = block_keys(blocks)  # as the reader would key the new version
    new = replace(seed_agenda, blocks=tuple(replace(b, key=k) for b, k in zip(blocks, keys, strict=False)))
    carried = carry_identity(items_of(seed_agenda), new)
    assert [b.key for b in carried.blocks] == [b.key for b in seed_agenda.blocks]
    assert carried.blocks[4].title == "Échange ouvert entre les membres du GCM"
    assert carry_identity(items_of(seed_agenda), seed_agenda) is seed_agenda


def test_a_long_agenda_rewritten_from_scratch_is_aligned_in_pieces() -> None:
    start = DAY.replace(hour=8)
    old = [
        Item(
            f"o{i}",
            f"Old session {i} on topic {i * 7 % 13}",
            start + timedelta(minutes=5 * i),
            start + timedelta(minutes=5 * i + 5),
        )
        for i in range(1500)
    ]
    new = [
        Item(
            f"n{i}",
            f"Completely different {i}",
            start + timedelta(days=3, minutes=7 * i),
            start + timedelta(days=3, minutes=7 * i + 7),
        )
        for i in range(1500)
    ]
    assert align(old, new) == {}
    moved = [replace(o, start=o.start + timedelta(minutes=1), end=o.end + timedelta(minutes=1)) for o in old]
    assert align(old, moved) == {o.key: o.key for o in old}


def test_blocks_are_compared_in_time_order_whatever_the_listing_order() -> None:
    old = items(SEED)
    assert align(list(reversed(old)), old) == SAME
    assert all(isinstance(b, Block) for b in ())  # Block stays importable for the agenda helpers
