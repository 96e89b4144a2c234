"""Fixtures for the tests that talk to the fake Google server (a pytest plugin, registered in conftest.py): the server
on a clock of the test's own, the environment that points ``calsync push`` at it, and a backend connected to it
through the real client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import google.oauth2.credentials
import pytest
from fake_google import FakeClock, FakeGoogleCalendar

from calsync.backends.google import GoogleCalendar


@pytest.fixture
def clock() -> FakeClock:
    """Time that moves only when someone sleeps on it: a minute of quota waits takes no time."""
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeGoogleCalendar]:
    """The fake Google Calendar server; its quota minute passes on ``clock`` (so only when a backend sleeps on it)."""
    with FakeGoogleCalendar(clock=clock.now) as server:
        yield server


@pytest.fixture
def env(fake: FakeGoogleCalendar, tmp_path: Path) -> dict[str, str]:
    """The environment of ``calsync push`` against ``fake``: a token, its endpoint, and a config folder of the test's
    own (no saved sign-in of the developer's can answer)."""
    return {
        "GOOGLE_OAUTH_ACCESS_TOKEN": "x",
        "CALSYNC_GOOGLE_API_ENDPOINT": fake.root,
        "XDG_CONFIG_HOME": str(tmp_path),
    }


def connect(fake: FakeGoogleCalendar, clock: FakeClock | None = None, **options: Any) -> GoogleCalendar:
    """A backend on ``fake`` through the real client; with ``clock``, its backoff and pacing wait on that clock."""
    if clock is not None:
        options = {"sleep": clock.sleep, "clock": clock.now, **options}
    credentials = google.oauth2.credentials.Credentials(token="x")
    return GoogleCalendar.connect(credentials, api_endpoint=fake.endpoint, **options)
