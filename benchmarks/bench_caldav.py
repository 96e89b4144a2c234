"""CalDAV push benchmark: a 500-block agenda pushed to a real server (Radicale by default, or Xandikos) through a
proxy that adds 50 ms to every request, as a distant server would.

Prints the requests (by method), the connections the client opened and the wall time of a first push, an unchanged
re-push and a one-block change, beside a one-connection baseline (the same writes sent one after another, as a client
without parallel writes would), and the machine's load (the figures depend on it: the server runs in this process).
A last row sends the 500 creates to the proxy alone, which answers them at once: the link's share, without the
server's own cost per write (Radicale and Xandikos both commit writes one at a time).
Run: ``python benchmarks/bench_caldav.py [--blocks 500] [--latency 0.05] [--server radicale|xandikos]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_push import big_agenda, moved  # noqa: E402
from caldav_servers import start  # noqa: E402

from calsync.backends.base import Insert  # noqa: E402
from calsync.sync import event_id, push  # noqa: E402
from calsync.sync.plan import desired_events  # noqa: E402
from calsync.zones import participant_zones  # noqa: E402


def measure(site: Any, action: Callable[[], Any]) -> tuple[Counter, int, float]:
    """(requests by method, connections opened, wall seconds) of one run of ``action``."""
    site.proxy.requests.clear()
    site.proxy.connections = 0
    t0 = time.perf_counter()
    action()
    return Counter(m for m, _ in site.proxy.requests), site.proxy.connections, time.perf_counter() - t0


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the proxy adds to each request")
    parser.add_argument("--server", choices=["radicale", "xandikos"], default="radicale")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    n = args.blocks
    agenda = big_agenda(n)
    zones = participant_zones(agenda, tz=("America/New_York", "Asia/Tokyo", "Africa/Abidjan"))
    rows = []
    before = load()
    with tempfile.TemporaryDirectory() as folder:
        site = start(args.server, Path(folder), latency=args.latency)
        try:
            variants = [("calsync", {})] if args.skip_baseline else [("calsync", {}), ("1 connection", {"workers": 1})]
            for label, options in variants:
                path = site.new_calendar()
                with site.backend(path, sleep=time.sleep, **options) as backend:
                    rows.append((label, "first push", *measure(site, lambda: push(agenda, backend, zones))))
                    rows.append((label, "unchanged re-push", *measure(site, lambda: push(agenda, backend, zones))))
                    rows.append(
                        (label, "one-block change", *measure(site, lambda: push(moved(agenda, n // 2), backend, zones)))
                    )
            # The link alone: the same 500 creates answered by the proxy at once, as a server with no cost per write
            # would (the servers here commit writes one at a time, which is what the first push above measures).
            calls = [Insert(event_id(c.meeting_key, c.block_key), c) for c in desired_events(agenda, zones)]
            for label, options in [("calsync", {}), ("1 connection", {"workers": 1})][: 1 if args.skip_baseline else 2]:
                with site.backend(site.new_calendar(), sleep=time.sleep, **options) as backend:
                    site.proxy.sink = {}
                    rows.append((label, "creates, link only", *measure(site, lambda: backend.execute(calls))))
                    site.proxy.sink = None
        finally:
            site.stop()
    print(f"{n} blocks to {args.server} on 127.0.0.1, {args.latency * 1000:.0f} ms added per request by the proxy")
    print(f"{'client':<13} {'scenario':<18} {'requests':>8}  {'by method':<34} {'conns':>5} {'wall time':>9}")
    for label, scenario, methods, conns, wall in rows:
        by = ", ".join(f"{m} {c}" for m, c in sorted(methods.items()))
        print(f"{label:<13} {scenario:<18} {sum(methods.values()):>8}  {by:<34} {conns:>5} {wall:>8.2f}s")
    print(f"before: {before}; after: {load()}")
    ours = {scenario: (methods, wall) for label, scenario, methods, _, wall in rows if label == "calsync"}
    first, same, one = ours["first push"], ours["unchanged re-push"], ours["one-block change"]
    checks = [
        (f"first push of {n} blocks under 5 s", first[1] < 5.0, f"{first[1]:.2f}s"),
        (
            f"{n} creates over the link alone under 5 s",
            ours["creates, link only"][1] < 5.0,
            f"{ours['creates, link only'][1]:.2f}s",
        ),
        ("unchanged re-push: one request, no writes", sum(same[0].values()) == 1, dict(same[0])),
        (
            "one-block change: one PUT (plus the listing and the read-back)",
            one[0].get("PUT") == 1 and sum(one[0].values()) == 3,
            dict(one[0]),
        ),
    ]
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}  ({detail})")


if __name__ == "__main__":
    main()
