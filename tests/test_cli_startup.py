"""Each command loads what it uses and nothing more: the command modules import the heavy parts (zones and their
locale data, icalendar, the sync engine, the site, Google's and CalDAV's clients, rich) inside the commands, so a
short command starts fast (benchmarks/bench_startup.py has the figures)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = """
import json, sys
sys.argv = ["calsync", *sys.argv[1:]]
from calsync.cli import main
try:
    main()
except SystemExit as e:
    assert not e.code, e.code
print(json.dumps(sorted(sys.modules)))
"""
SYNC_AND_SITE = ("calsync.sync", "calsync.site", "calsync.backends", "calsync.identity", "jinja2")
CLIENTS = ("googleapiclient", "google.auth", "google_auth_oauthlib", "httpx", "socket")
ZONES = ("calsync.zones", "calsync.i18n", "babel")
CALENDARS = ("calsync.ical", "icalendar", "calsync.versions")


def loaded(tmp_path: Path, *args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", RUN, *args], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def under(modules: set[str], prefixes: tuple[str, ...]) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)}


@pytest.mark.parametrize(
    "args, never",
    [
        (["--help"], SYNC_AND_SITE + CLIENTS + ZONES + CALENDARS + ("rich", "calsync.reading")),
        (["ics", "--help"], SYNC_AND_SITE + CLIENTS + ZONES + CALENDARS + ("rich", "calsync.reading")),
        (["ics", "-q", "-o", "a.ics"], SYNC_AND_SITE + CLIENTS + ("rich", "calsync.render")),
        (["times", "-q", "-o", "t.txt"], SYNC_AND_SITE + CLIENTS + CALENDARS),
        (["parse", "-q", "-o", "a.json"], SYNC_AND_SITE + CLIENTS + CALENDARS + ("rich",)),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_a_command_loads_only_what_it_uses(tmp_path: Path, args: list[str], never: tuple[str, ...]) -> None:
    assert under(loaded(tmp_path, *args), never) == set()


def test_the_command_modules_import_nothing_heavy_at_the_top(tmp_path: Path) -> None:
    """A new top-level import in a command module would load for every command; it belongs inside the command."""
    code = (
        "import json, sys, calsync, typer; before = set(sys.modules); import calsync.cli; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    added = {m for m in json.loads(out) if not m.startswith("calsync.cli")}
    assert added <= {"annotated_doc", "annotated_doc.main", "signal"}, added
