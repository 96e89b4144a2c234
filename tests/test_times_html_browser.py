"""The ``calsync times --format html`` page in a real headless Chromium with a forced browser time zone.

The page's own script writes each block in the viewer's zone and marks ``<html data-calsync-rendered="1">``; an
agenda title that tried to run script would set ``data-pwned`` instead. Chromium comes from Debian's packages
(``.ci/run`` installs it); without it the test is skipped locally and fails on CI.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from chromium import chromium

from calsync.model import Agenda
from calsync.site import render_times_html
from calsync.zones import local_times, participant_zones

SCRIPT_TITLE = "</script><script>document.documentElement.setAttribute('data-pwned','script')</script>"
IMG_TITLE = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"


@pytest.fixture
def page(seed_agenda: Agenda, tmp_path: Path) -> Path:
    seed = seed_agenda
    blocks = (replace(seed.blocks[0], title=SCRIPT_TITLE), replace(seed.blocks[1], title=IMG_TITLE), *seed.blocks[2:])
    agenda = replace(seed, title=f"GCM {SCRIPT_TITLE}", blocks=blocks)
    zones = participant_zones(agenda)
    path = tmp_path / "times.html"
    path.write_text(render_times_html(agenda, local_times(agenda, zones), zones), encoding="utf-8")
    return path


def dump_dom(page: Path, tz: str, tmp_path: Path, width: int = 1300) -> str:
    """The DOM after the page's scripts ran, in a browser whose zone is ``tz`` and window ``width`` pixels wide."""
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={width},900",
        "--dump-dom",
        page.as_uri(),
    ]
    env = dict(os.environ, TZ=tz)
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def tag(dom: str, ident: str) -> str:
    """The opening tag of the element with this id."""
    m = re.search(rf'<[^>]*\bid="{ident}"[^>]*>', dom)
    assert m, f"no element {ident} in the page"
    return m.group(0)


def cell(dom: str, ident: str) -> str:
    """The text inside the element with this id (tags dropped)."""
    m = re.search(rf'<[^>]*\bid="{ident}"[^>]*>(.*?)</(td|strong)>', dom, re.S)
    assert m, f"no element {ident} in the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())


def test_viewer_column_in_kolkata_and_no_agenda_script_ran(page: Path, tmp_path: Path) -> None:
    dom = dump_dom(page, "Asia/Kolkata", tmp_path)
    assert re.search(r'<html[^>]*data-calsync-rendered="1"', dom), "the page's own script did not run"
    assert "data-pwned" not in re.sub(r">[^<]*<", "><", dom)  # only as text, never as an attribute
    assert cell(dom, "viewer-zone") in ("Asia/Kolkata", "Asia/Calcutta")
    assert cell(dom, "viewer-1") == "19:30–19:38"  # 14:00Z
    assert cell(dom, "viewer-7") == "21:25–21:30 late"  # a word besides the colour
    assert 'class="viewer work"' in tag(dom, "viewer-1") and 'class="viewer edge"' in tag(dom, "viewer-7")
    # The hostile titles are shown as text.
    assert "&lt;/script&gt;&lt;script&gt;document.documentElement" in dom
    assert "&lt;img src=x onerror=" in dom


def test_viewer_column_across_the_date_line(page: Path, tmp_path: Path) -> None:
    dom = dump_dom(page, "Pacific/Kiritimati", tmp_path)
    assert cell(dom, "viewer-1") == "04:00–04:08 +1 day night"
    assert 'class="viewer night"' in tag(dom, "viewer-1")


def test_scroll_hint_only_when_the_grid_overflows(page: Path, tmp_path: Path) -> None:
    narrow = dump_dom(page, "Europe/Paris", tmp_path, width=390)
    assert "hidden" not in tag(narrow, "scroll-hint")  # a phone: the grid scrolls sideways, and says so
    wide = dump_dom(page, "Europe/Paris", tmp_path, width=1900)
    assert "hidden" in tag(wide, "scroll-hint")
