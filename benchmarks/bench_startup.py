"""What a short calsync command costs to start, against the bare imports of what it needs, side by side with a
baseline.

    python benchmarks/bench_startup.py                  # this tree
    python benchmarks/bench_startup.py --baseline main  # and another git revision, runs interleaved
    python benchmarks/bench_startup.py --imports        # and where `calsync ics` spends its import time

Each command runs in a fresh process; the figure is the median CPU time (user + system, from the kernel's account
of the child) over --runs runs, less sensitive to other work on the machine than wall time (shown too). The
yardstick is `python -c "import icalendar, typer, zoneinfo"`; issue 9's target is `calsync ics` on the built-in
example at most 1.5x that. Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

from baseline import checkout

ROOT = Path(__file__).resolve().parents[1]
BARE = "import icalendar, typer, zoneinfo"
TARGET = 1.5
PYCACHE = Path(tempfile.mkdtemp(prefix="calsync-bench-pycache-"))  # bytecode of both trees, outside them


def commands(out: Path) -> dict[str, list[str]]:
    calsync = [sys.executable, "-m", "calsync"]
    return {
        "bare imports": [sys.executable, "-c", BARE],
        "calsync --help": [*calsync, "--help"],
        "calsync ics --help": [*calsync, "ics", "--help"],
        "calsync ics": [*calsync, "ics", "-q", "-o", str(out / "example.ics")],
        "calsync times": [*calsync, "times", "-q", "-o", str(out / "times.txt")],
        "calsync parse": [*calsync, "parse", "-q", "-o", str(out / "example.json")],
    }


def run_once(cmd: list[str], tree: Path, cwd: Path) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``cmd`` with ``tree``'s calsync first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONPYCACHEPREFIX": str(PYCACHE / re.sub(r"\W", "_", str(tree)))}
    # Bytecode cached as an installed package has it (pip compiles at install): a machine or CI that sets
    # PYTHONDONTWRITEBYTECODE would otherwise measure compiling calsync's sources on every run (about 50 ms).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own CPU account, not the whole family's
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed in {tree}: {err.read().decode(errors='replace')}")
    return usage.ru_utime + usage.ru_stime, wall


def measure(trees: dict[str, Path], runs: int) -> dict[str, dict[str, tuple[float, float]]]:
    """Median (CPU, wall) per tree and command; the trees take turns, so a busy moment hits them alike."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cmds = commands(out)
        samples: dict[str, dict[str, list[tuple[float, float]]]] = {t: {c: [] for c in cmds} for t in trees}
        for name, cmd in cmds.items():
            for tree in trees.values():
                run_once(cmd, tree, out)  # warm the page cache and the .pyc files
            for _ in range(runs):
                for label, tree in trees.items():
                    samples[label][name].append(run_once(cmd, tree, out))
    return {
        label: {
            name: (statistics.median(s[0] for s in runs_), statistics.median(s[1] for s in runs_))
            for name, runs_ in by_cmd.items()
        }
        for label, by_cmd in samples.items()
    }


def import_profile(tree: Path, top: int = 15) -> list[tuple[str, float]]:
    """Self import time of `calsync ics` by package (calsync by module group), the largest first."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-X", "importtime", "-m", "calsync", "ics", "-q", "-o", str(Path(tmp) / "a.ics")]
        err = subprocess.run(
            cmd, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True, check=True
        ).stderr
    totals: Counter[str] = Counter()
    for line in err.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if match:
            parts = match.group(2).split(".")
            totals[".".join(parts[:2]) if parts[0] == "calsync" else parts[0]] += int(match.group(1))
    return [(name, us / 1e6) for name, us in totals.most_common(top)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", metavar="REV", help="also measure this git revision, side by side")
    parser.add_argument("--runs", type=int, default=15, help="runs of each command per tree (default 15)")
    parser.add_argument("--imports", action="store_true", help="where `calsync ics` spends its import time")
    args = parser.parse_args()
    with checkout(args.baseline) if args.baseline else nullcontext() as base:
        trees = {"this tree": ROOT, **({f"baseline {args.baseline}": base} if base else {})}
        results = measure(trees, args.runs)
    print(f"median of {args.runs} runs; CPU s (wall s), and CPU as a multiple of the bare imports ({BARE!r})")
    print(f"{'':22}" + "".join(f"{label:>30}" for label in results))
    for name in commands(Path()):
        cells = []
        for by_cmd in results.values():
            cpu, wall = by_cmd[name]
            cells.append(f"{cpu:.3f} ({wall:.3f}) {cpu / by_cmd['bare imports'][0]:5.2f}x")
        print(f"{name:22}" + "".join(f"{c:>30}" for c in cells))
    for label, by_cmd in results.items():
        ratio = by_cmd["calsync ics"][0] / by_cmd["bare imports"][0]
        verdict = "OK" if ratio <= TARGET else "over target"
        print(f"{label}: calsync ics costs {ratio:.2f}x the bare imports (target <= {TARGET}x): {verdict}")
    if args.imports:
        print("\nwhere `calsync ics` (this tree) spends its import time, by package (self time):")
        for name, seconds in import_profile(ROOT):
            print(f"  {seconds * 1000:7.1f} ms  {name}")
    print(f"(load average {os.getloadavg()[0]:.2f} while measuring)")


if __name__ == "__main__":
    main()
