"""Tables made from CLDR's and tzdata's data are kept once per machine (calsync/datacache.py): a second run loads
none of the locales only they need, and a kept table is the one the code makes. benchmarks/bench_startup.py has the
figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calsync import datacache, places
from calsync.reading import dates

ROOT = Path(__file__).resolve().parents[1]

RUN = """
import json, sys
sys.argv = ["calsync", "ics", "-q", "-o", sys.argv[1]]
from calsync.cli import main
try:
    main()
except SystemExit as e:
    assert not e.code, e.code
import babel.localedata
print(json.dumps(sorted(babel.localedata._cache)))
"""


def locales_loaded(tmp_path: Path, cache: Path) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CALSYNC_CACHE_DIR": str(cache)}
    result = subprocess.run(
        [sys.executable, "-c", RUN, str(tmp_path / "a.ics")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_a_second_run_loads_no_locale_only_the_tables_need(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert {"es_PE", "de_AT", "es", "de"} <= locales_loaded(tmp_path, cache)  # the seed is French: the tables' own
    assert locales_loaded(tmp_path, cache).isdisjoint({"es_PE", "es_419", "de_AT", "es", "de", "en"})


@pytest.mark.parametrize(
    "name, made_from, build",
    [
        ("dates", (), dates._cldr_names),
        ("cities", (), places._city_names),
        ("countries", (), places._country_names),
    ],
)
def test_a_kept_table_is_the_one_the_code_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, made_from: tuple[object, ...], build: object
) -> None:
    monkeypatch.setenv("CALSYNC_CACHE_DIR", str(tmp_path))
    made = build()  # type: ignore[operator]
    assert datacache.memo(name, made_from, build) == made  # type: ignore[arg-type]
    kept = datacache.memo(name, made_from, lambda: pytest.fail("made again"))
    assert kept == made
    # in the same order too: the reader's alternations are sorted by length only, in the tables' order
    assert json.dumps(kept) == json.dumps(made)


def test_a_table_is_made_again_when_what_it_was_made_from_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALSYNC_CACHE_DIR", str(tmp_path))
    assert datacache.memo("t", (1,), lambda: {"a": 1}) == {"a": 1}
    assert datacache.memo("t", (1,), lambda: pytest.fail("made again")) == {"a": 1}
    assert datacache.memo("t", (2,), lambda: {"b": 2}) == {"b": 2}
    (tmp_path / "table-t.marshal").write_bytes(b"\x00damaged")
    assert datacache.memo("t", (2,), lambda: {"c": 3}) == {"c": 3}
    assert datacache.stamp("calsync.places") == datacache.stamp("calsync.places")
    assert datacache.stamp("no_such_module_here") is None


def test_no_cache_folder_still_makes_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("CALSYNC_CACHE_DIR", str(blocked / "cache"))
    assert datacache.memo("t", (), lambda: {"a": 1}) == {"a": 1}
