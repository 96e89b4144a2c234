"""Tables made from CLDR's and tzdata's data are kept once per machine (calsync/datacache.py): a second run loads
none of the locales only they need, and a kept table is the one the code makes. benchmarks/bench_startup.py has the
figures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cli_run import fresh_process

from calsync import datacache, places, zonenames
from calsync.reading import dates

RUN = """
import json, sys
sys.argv = ["calsync", "ics", "-q", "-o", sys.argv[1]]
from calsync.cli import main
try:
    main()
except SystemExit as e:
    assert not e.code, e.code
babel = sys.modules.get("babel.localedata")
print(json.dumps({"babel": sorted(m for m in sys.modules if m.split(".")[0] in ("babel", "pytz")),
                  "locales": sorted(babel._cache) if babel else []}))
"""


def babel_used(tmp_path: Path, cache: Path) -> dict[str, list[str]]:
    return fresh_process(RUN, tmp_path, cache, str(tmp_path / "a.ics"))  # type: ignore[no-any-return]


def test_a_second_run_loads_no_babel_at_all(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = babel_used(tmp_path, cache)
    assert {"es_PE", "de_AT", "es", "de", "fr"} <= set(first["locales"])  # the seed is French: the rest is the tables'
    assert "babel.dates" in first["babel"]
    assert babel_used(tmp_path, cache) == {"babel": [], "locales": []}


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


def test_kept_values_are_computed_once_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALSYNC_CACHE_DIR", str(tmp_path))
    kept = datacache.Kept("k", lambda: (1,))
    assert kept.get(("a",), lambda: "A") == "A"
    assert kept.get(("a",), lambda: pytest.fail("computed again")) == "A"
    with pytest.raises(LookupError):
        kept.get(("b",), lambda: (_ for _ in ()).throw(LookupError("none")))
    kept._save()  # what the run does at exit
    again = datacache.Kept("k", lambda: (1,))
    assert again.get(("a",), lambda: pytest.fail("computed again")) == "A"
    assert again.get(("b",), lambda: "B") == "B"  # a failure was not kept
    other = datacache.Kept("k", lambda: (2,))  # made from something else: computed again
    assert other.get(("a",), lambda: "A2") == "A2"


@pytest.mark.parametrize("lang", ["en", "fr", "es", "de"])
def test_a_zone_names_key_holds_all_it_depends_on(lang: str) -> None:
    """zonenames keeps babel's name of a clock under (zone, language, summer time, offset): every instant of a year
    with the same key has the same name, so the kept one is the one babel would give."""
    from babel.dates import get_timezone_name

    names: dict[tuple[object, ...], str] = {}
    for zone in (
        "Europe/Paris",
        "America/New_York",
        "America/Sao_Paulo",
        "Africa/Casablanca",
        "Australia/Lord_Howe",
        "Asia/Kolkata",
        "Pacific/Apia",
        "Europe/Dublin",
        "America/Caracas",
    ):
        for day in range(0, 3 * 365, 5):
            local = (datetime(2011, 1, 1, 12, tzinfo=UTC) + timedelta(days=day)).astimezone(ZoneInfo(zone))
            offset = local.utcoffset()
            key = (zone, bool(local.dst()), offset.total_seconds() if offset is not None else None)
            name = get_timezone_name(local, "long", locale=lang)
            assert names.setdefault(key, name) == name, (key, local)
    assert (
        zonenames.zone_label("Europe/Paris", datetime(2020, 7, 22, 14, tzinfo=UTC), lang)
        == names[("Europe/Paris", True, 7200.0)]
    )
