"""Shared fixtures: the hand-checked seed agenda and the real agendas in tests/data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples, so a landing never depends on the draw; at a desk they
# explore afresh on every run.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

from calsync.model import Agenda

DATA = Path(__file__).parent / "data"


@pytest.fixture
def seed_agenda() -> Agenda:
    """The user's agenda as a person checked it by hand (independent of the text reader)."""
    return Agenda.from_data(json.loads((DATA / "seed.hand.json").read_text(encoding="utf-8")))


@pytest.fixture
def data_dir() -> Path:
    return DATA
