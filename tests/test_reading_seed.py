"""The user's agenda, read from its text, in full detail."""

from __future__ import annotations

import json
from datetime import UTC

import pytest

from calsync.reading import ReadOptions, read_agenda
from calsync.reading.structured import dump_structured, parse_structured

UTC = UTC


@pytest.fixture(scope="module")
def seed():
    return read_agenda(None)


def test_meeting(seed):
    assert seed.title == "8e réunion du groupe de coordination mondiale de l'Alliance 8.7"
    assert seed.timezone.as_written == "CET"
    assert seed.timezone.zone == "Europe/Brussels"  # Central European civil time, through a geographic zone
    assert seed.location == "Zoom"
    assert seed.conference_url is None  # "lien pour participer à confirmer"
    assert [d.isoformat() for d in seed.dates] == ["2020-07-22"]
    assert seed.hours is not None
    assert [h.astimezone(UTC).strftime("%H:%M") for h in seed.hours] == ["14:00", "16:00"]


def test_blocks_exactly(seed, seed_agenda):
    got = [
        (
            b.number,
            b.title,
            b.start.strftime("%H:%M"),
            b.end.strftime("%H:%M"),
            b.start.astimezone(UTC).strftime("%H:%M"),
        )
        for b in seed.blocks
    ]
    assert got == [
        ("I", "Accueil par la présidence", "16:00", "16:08", "14:00"),
        ("II", "Mise à jour sur la stratégie des pays pionniers (Secrétariat)", "16:08", "16:15", "14:08"),
        ("III", "Mobilisation des nouveaux pays pionniers", "16:15", "16:50", "14:15"),
        ("IV", "Experience / good practice from other pathfinder countries", "16:50", "17:00", "14:50"),
        ("V", "Echange entre les membres du GCM", "17:00", "17:30", "15:00"),
        ("VI", "Préparation de l'atelier de suivi de la cible 8.7 des ODD", "17:30", "17:55", "15:30"),
        ("VI", "Remarques finales et prochaines étapes (Présidence)", "17:55", "18:00", "15:55"),
    ]
    # the hand-checked reading agrees field by field (the hand copy uses Europe/Paris: same clock, same instants)
    for read, hand in zip(seed.blocks, seed_agenda.blocks, strict=True):
        assert (read.start, read.end) == (hand.start, hand.end)
        assert read.names == hand.names
        assert read.description == hand.description
        assert read.duration_minutes == hand.duration_minutes
        assert read.minutes_per_name == hand.minutes_per_name
        assert read.end_inferred is False


def test_names_in_order(seed):
    by_number = {b.number: b for b in seed.blocks}
    assert by_number["III"].names == ("Guatemala", "Honduras", "Côte d'Ivoire", "Ghana", "Costa Rica", "Cameroun")
    assert by_number["IV"].names == ("Chili", "Madagascar")
    assert by_number["III"].minutes_per_name == 5
    assert [n for b in seed.blocks for n in b.names if "Alliance" in n or "@" in n] == []


def test_furniture_is_not_description(seed):
    last = seed.blocks[-1]
    assert last.description == ""
    assert all("Alliance87.org" not in b.description and "Achieve87" not in b.description for b in seed.blocks)


def test_exactly_the_two_warnings(seed):
    assert [(w.code, w.line) for w in seed.warnings] == [("zone-label", 31), ("numbering", 82)]
    zone, numbering = seed.warnings
    assert zone.message == (
        "16:00 CET on 2020-07-22: Central Europe is on summer time (UTC+2); read as local time = 14:00 UTC; "
        "the literal UTC+1 reading would be 15:00 UTC (use --literal-offsets for it)"
    )
    assert "two blocks are numbered VI" in numbering.message and "VII" in numbering.message


def test_block_keys_distinguish_the_two_vi_and_survive_renumbering(seed):
    keys = [b.key for b in seed.blocks]
    assert len(set(keys)) == 7
    assert keys[0] == "accueil-par-la-presidence"
    # the organiser follows the warning and renumbers the second VI: every block keeps its key (and its UID)
    from calsync.reading.source import example_bytes
    from calsync.reading.text import parse_text

    fixed = example_bytes().decode().replace("17h55 – 18h00 VI.", "17h55 – 18h00 VII.")
    renumbered = parse_text(fixed, ReadOptions(), source="fixed.md")
    assert renumbered.blocks[6].number == "VII"
    assert [b.key for b in renumbered.blocks] == keys


def test_literal_offsets_reading():
    literal = read_agenda(None, ReadOptions(literal_offsets=True))
    assert literal.timezone.zone == "Etc/GMT-1"
    assert literal.blocks[0].start.astimezone(UTC).strftime("%H:%M") == "15:00"


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_round_trip(seed, fmt):
    text = dump_structured(seed, fmt)
    again = parse_structured(text, ReadOptions(), source=f"seed.{fmt}")
    assert again == seed
    assert dump_structured(again, fmt) == text


def test_round_trip_keeps_a_persons_correction(seed, tmp_path):
    data = json.loads(dump_structured(seed))
    data["blocks"][6]["number"] = "VII"
    data["conference_url"] = "https://zoom.us/j/123"
    path = tmp_path / "corrected.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    corrected = read_agenda(path)
    assert corrected.blocks[6].number == "VII"
    assert corrected.blocks[6].key == seed.blocks[6].key  # keys survive the correction
    assert corrected.conference_url == "https://zoom.us/j/123"
