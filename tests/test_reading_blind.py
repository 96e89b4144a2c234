"""The blind set (tests/data/blind): real agendas whose expectations were written before calsync read them.

These figures are a floor, held as benchmarks/bench_reader.py prints them: a change to the reader may raise them,
never lower them. The figure that matters most is the number of wrong blocks with no warning at their line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agenda_score import SetScore, score_folder

BLIND = Path(__file__).parent / "data" / "blind"

EXACT_FLOOR = 0.95  # blocks exact (date, start, end, title) out of those the expectations list
SILENT_CEILING = 0  # wrong or extra blocks with no warning at their line
REFUSED_CEILING = 0  # files refused although a person can read them


@pytest.fixture(scope="module")
def blind() -> SetScore:
    return score_folder(BLIND)


def test_blind_set_is_large_enough_in_every_language(blind: SetScore) -> None:
    by_language: dict[str, int] = {}
    for f in blind.files:
        by_language[f.name[:2]] = by_language.get(f.name[:2], 0) + 1
    assert len(blind.files) >= 40 and all(by_language.get(lang, 0) >= 10 for lang in ("en", "fr", "es", "de"))


def test_blind_blocks_are_read_exactly(blind: SetScore) -> None:
    details = "\n".join(f"{f.name}: {f.refused or ''}\n" + "\n".join(f.details) for f in blind.files if f.details)
    assert blind.exact_share >= EXACT_FLOOR, f"{blind.exact}/{blind.expected} exact\n{details}"


def test_no_wrong_block_is_silent(blind: SetScore) -> None:
    silent = [(f.name, d) for f in blind.files for d in f.details if "SILENT" in d or "EXTRA " in d]
    assert blind.silent <= SILENT_CEILING, silent


def test_no_readable_agenda_is_refused(blind: SetScore) -> None:
    assert len(blind.refused) <= REFUSED_CEILING, [(f.name, f.refused) for f in blind.refused]
