"""How long ``calsync publish`` takes for a 5,000-block agenda (target: under 5 s), and what it writes.

The agenda is bench_ics's five-day conference (5,000 blocks, 10 participant zones, speakers' turns on a third of the
blocks: about 5,000 turns, each with its own .ics). Timed: building every file (page, feed, one .ics per block and per
turn, JSON), then writing them to an empty folder (beside the floor: creating as many empty files), then publishing
again unchanged as the command does: reading the feed the folder holds, numbering the new version against it (issue
13), building and comparing (no file is rewritten). Best of ``--repeat`` runs; the load average is printed beside the
figures, since other work on this 2-core machine slows every figure.

Run: ``python benchmarks/bench_publish.py [--blocks 5000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ics import STAMP, TZ_NAMES, conference  # noqa: E402

from calsync.model import Agenda  # noqa: E402
from calsync.site import SiteOptions, published_feeds, site_files, write_site  # noqa: E402
from calsync.zones import participant_zones  # noqa: E402


def best(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The best wall time of ``repeat`` runs, and the last run's result."""
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return min(times), out


def cpu(run: Callable[[], object]) -> float:
    """This process's CPU seconds for one run: what the work costs whatever else the machine is doing."""
    start = time.process_time()
    run()
    return time.process_time() - start


def empty_files(folder: Path, names: list[str]) -> None:
    """The floor for writing a site: creating as many (empty) files in the same folders with nothing else."""
    for name in names:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666))


def republish(agenda: Agenda, options: SiteOptions, folder: Path) -> list[str]:
    """What ``calsync publish`` does over a published folder: the feed it holds is the previous version."""
    return write_site(site_files([agenda], options, published_feeds(folder, [agenda.key])), folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    agenda = conference(args.blocks)
    zones = participant_zones(agenda, tz=TZ_NAMES)

    options = SiteOptions(zones=lambda a: zones, stamp=STAMP)

    print(
        f"agenda: {len(agenda.blocks)} blocks over {len(agenda.dates)} days, {len(zones)} zones; "
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    one, files = best(lambda: site_files([agenda], options), args.repeat)
    assert isinstance(files, dict)
    page = files[f"{agenda.key}/index.html"]
    turns = sum(1 for p in files if "/slots/" in p)
    one_cpu = cpu(lambda: site_files([agenda], options))
    with tempfile.TemporaryDirectory() as folder:
        first, written = best(lambda: write_site(files, Path(folder)), 1)
        again, unchanged = best(lambda: republish(agenda, options, Path(folder)), 1)
    with tempfile.TemporaryDirectory() as folder:
        floor, _ = best(lambda: empty_files(Path(folder), sorted(files)), 1)
    assert isinstance(written, list) and isinstance(unchanged, list)
    total = one + first
    print(
        f"files: {len(files)} ({turns} speakers' turns), {sum(map(len, files.values())) / 1e6:.1f} MB; "
        f"the page {len(page) / 1e6:.1f} MB, the feed {len(files[f'{agenda.key}/meeting.ics']) / 1e6:.1f} MB"
    )
    print(f"{'step':<52}{'seconds':>10}")
    print(f"{'build every file':<52}{one:>10.2f}   ({one_cpu:.2f} s of CPU)")
    print(f"{'write them to an empty folder':<52}{first:>10.2f}")
    print(f"{'  baseline: create as many empty files, nothing else':<52}{floor:>10.2f}")
    print(
        f"{'publish (build + write), as the command does':<52}{total:>10.2f}   target < 5 s: "
        f"{'met' if total < 5 else 'NOT met'}"
    )
    again_step = "publish again, unchanged (read its feed, build, compare)"
    print(f"{again_step:<57}{again:>5.2f}   files rewritten: {len(unchanged)}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
