"""How well the reader reads real agendas: tests/data (the agendas it was built against) and the blind set
(tests/data/blind, agendas whose expectations were written before calsync read them) and its held-out second wave
(tests/data/blind/holdout, collected after the reader was reworked), side by side with a baseline.

    python benchmarks/bench_reader.py                 # this tree
    python benchmarks/bench_reader.py --baseline REV  # and another git revision (e.g. the reader before the rewrite)
    python benchmarks/bench_reader.py -v              # every wrong, missing or extra block

Figures per set: blocks exact (date, start, end, title) out of those the expectations list, files refused, and
wrong blocks with no warning at their line ("silent", the figure that matters most), plus missing and extra blocks.
Also the cost of reading: `calsync ics` on the seed against `python -c "import icalendar, typer, zoneinfo"` (PDF
and Word reading times are in bench_documents.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baseline import checkout

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "tests/data": ROOT / "tests" / "data",
    "blind": ROOT / "tests" / "data" / "blind",
    "blind, held out": ROOT / "tests" / "data" / "blind" / "holdout",
    "blind, third wave": ROOT / "tests" / "data" / "blind" / "holdout3",
}

SCORE = r"""
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from pathlib import Path
import agenda_score as s
from test_reading_real import NEEDS, options_for as legacy_options

def options(path, exp):
    name = path.stem
    if name in NEEDS or path.parent.name == "data":
        return legacy_options(name)
    return s.options_for(exp)

out = {}
for label, folder in json.loads(sys.argv[2]).items():
    files = []
    for path in s.agenda_files(Path(folder)):
        exp = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
        files.append(s.score_file(path, options(path, exp)).__dict__)
    out[label] = files
print(json.dumps(out))
"""


def score(tree: Path) -> dict[str, list[dict]]:
    """Score the reader of ``tree`` (a checkout) on both sets, in a subprocess so two revisions never mix."""
    folders = {label: str(folder) for label, folder in SETS.items()}
    env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run(
        [sys.executable, "-c", SCORE, str(tree), json.dumps(folders)], capture_output=True, text=True, env=env, cwd=tree
    )
    if proc.returncode:
        raise SystemExit(f"scoring {tree} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def summary(files: list[dict]) -> dict[str, object]:
    expected = sum(f["expected"] for f in files)
    exact = sum(f["exact"] for f in files)
    return {
        "files": len(files),
        "blocks": expected,
        "exact": f"{exact} ({100 * exact / expected:.1f} %)" if expected else "0",
        "refused": sum(1 for f in files if f["refused"]),
        "silent wrong": sum(f["wrong_silent"] + f["extra_silent"] for f in files),
        "warned wrong": sum(f["wrong_warned"] + f["extra_warned"] for f in files),
        "missing": sum(f["missing"] for f in files),
    }


def startup() -> dict[str, float]:
    """Median wall time of `calsync ics` on the seed and of the bare imports it is measured against."""

    def median(cmd: list[str], runs: int = 7) -> float:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    with tempfile.TemporaryDirectory() as tmp:
        bare = median([sys.executable, "-c", "import icalendar, typer, zoneinfo"])
        ics = median([sys.executable, "-m", "calsync", "ics", "-q", "-o", str(Path(tmp) / "seed.ics")])
    return {"imports": bare, "calsync ics": ics, "ratio": ics / bare}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", metavar="REV", help="also score this git revision, side by side")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong, missing or extra block")
    parser.add_argument("--no-speed", action="store_true", help="skip the start-up and PDF timings")
    args = parser.parse_args()
    results = {"this tree": score(ROOT)}
    if args.baseline:
        with checkout(args.baseline) as tree:
            # the baseline reads with its own reader but is scored with this tree's scoring and expectations
            for name in ("agenda_score.py", "test_reading_real.py"):
                (tree / "tests" / name).write_bytes((ROOT / "tests" / name).read_bytes())
            results[f"baseline {args.baseline}"] = score(tree)
    for label in SETS:
        print(f"\n== {label} ==")
        rows = {name: summary(r[label]) for name, r in results.items()}
        keys = list(next(iter(rows.values())))
        print(f"{'':16}" + "".join(f"{name:>24}" for name in rows))
        for key in keys:
            print(f"{key:16}" + "".join(f"{str(row[key]):>24}" for row in rows.values()))
        if args.verbose:
            for f in results["this tree"][label]:
                if f["refused"] or f["details"]:
                    print(f"{f['name']}: {f['refused'] or ''}")
                    print("\n".join(f["details"]))
    if not args.no_speed:
        s = startup()
        print(
            f"\n== cost of reading ==\ncalsync ics on the seed: {s['calsync ics']:.3f} s; "
            f"import icalendar, typer, zoneinfo: {s['imports']:.3f} s; ratio {s['ratio']:.2f} (target ≤ 1.5)"
        )
        print("(PDF and Word reading times: python benchmarks/bench_documents.py)")
    load = os.getloadavg()[0]
    print(f"\n(load average {load:.2f} while measuring)")


if __name__ == "__main__":
    main()
