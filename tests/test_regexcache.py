"""The reader's patterns are compiled once per machine (calsync/regexcache.py): a second `calsync ics` compiles none
of them, and what it reads from the cache is the pattern `re.compile` makes. benchmarks/bench_startup.py has the
figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cli_run import fresh_process

ROOT = Path(__file__).resolve().parents[1]

# `calsync ics` on the built-in example, then: which of calsync's patterns Python's compiler compiled in this run, and
# whether each pattern the run took through the cache equals the one re.compile makes.
RUN = """
import json, re, sys
import re._compiler as compiler
compiled = []
original = compiler.compile
def counting(p, flags=0):
    compiled.append((p, int(flags)))
    return original(p, flags)
compiler.compile = counting
sys.argv = ["calsync", "ics", "-q", "-o", sys.argv[1]]
from calsync import regexcache
from calsync.cli import main
try:
    main()
except SystemExit as e:
    assert not e.code, e.code
used = sorted(regexcache._used)
compiler.compile = original
re.purge()
same = all(regexcache.compile(p, f) == re.compile(p, f) for p, f in used)
print(json.dumps({"used": len(used), "compiled": [k for k in compiled if tuple(k) in regexcache._used], "same": same}))
"""


def run(tmp_path: Path, cache: Path, seed: str = "0") -> dict[str, object]:
    return fresh_process(RUN, tmp_path, cache, str(tmp_path / "a.ics"), PYTHONHASHSEED=seed)  # type: ignore[no-any-return]


def test_a_second_run_compiles_none_of_the_readers_patterns(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(tmp_path, cache, seed="1")
    assert first["used"] > 50 and first["compiled"], first  # the first run compiles them, and keeps them
    assert list(cache.glob("regex-*.marshal"))
    # another run, with another hash seed: the patterns are written the same way (no set's order in them)
    second = run(tmp_path, cache, seed="2")
    assert second["used"] == first["used"]
    assert second["compiled"] == []
    assert second["same"] is True


def test_a_damaged_cache_is_compiled_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    (path,) = cache.glob("regex-*.marshal")
    path.write_bytes(path.read_bytes()[:1000])
    again = run(tmp_path, cache)
    assert again["compiled"] and again["same"] is True
    assert run(tmp_path, cache)["compiled"] == []  # and kept again


def test_the_vocabularys_alternations_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    code = (
        "from calsync.reading import vocabulary as v; "
        "print('|'.join(v.alternation(getattr(v, n)) for n in sorted(dir(v)) if isinstance(getattr(v, n), v.Words)))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "2")
    }
    assert len(outputs) == 1
