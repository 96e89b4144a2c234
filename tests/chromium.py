"""Debian's Chromium for the browser tests: where it is, how it is started, and what a missing one means."""

from __future__ import annotations

import os
import shutil

import pytest

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # no request leaves the machine
]


def chromium() -> str:
    """The Chromium executable; on CI a missing one fails (``.ci/run`` installs it), at a desk it skips."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed; .ci/run should install Debian's chromium package")
    pytest.skip("chromium is not installed (apt-get install chromium)")
