"""Push benchmark: a 500-block agenda against the fake Google server with 50 ms added per HTTP round trip.

Measures HTTP round trips and wall time for a first push, an unchanged re-push and a one-block change, beside a
one-request-per-event baseline (what importing event by event costs: every event written with its own request on
every run). Then the quota scenario of issue 14: the Zoom link arrives on every block, hours after the first push,
with the fake enforcing Google's per-user quota (600 units per sliding minute, a patch costing 3); waits are skipped
on a shared clock, so the "Google time" column is what a real push would take. The machine's load average is printed
beside the figures. Run: ``python benchmarks/bench_push.py [--blocks 500] [--latency 0.05] [--skip-baseline]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import google.oauth2.credentials  # noqa: E402
from fake_google import FakeGoogleCalendar, SkippingClock  # noqa: E402
from fake_google_rules import PATCH_COST, QUOTA_PER_MINUTE  # noqa: E402

from calsync.backends.google import GoogleCalendar, event_body  # noqa: E402
from calsync.model import Agenda, Block  # noqa: E402
from calsync.schema import agenda_from_data  # noqa: E402
from calsync.sync import event_id, push  # noqa: E402
from calsync.sync.plan import desired_events  # noqa: E402
from calsync.zones import participant_zones  # noqa: E402

ZOOM = "https://zoom.us/j/81234567890"


def big_agenda(n: int) -> Agenda:
    """The seed meeting stretched to ``n`` ten-minute blocks over consecutive days (40 a day)."""
    seed = agenda_from_data(json.loads((ROOT / "tests" / "data" / "seed.hand.json").read_text(encoding="utf-8")))
    first = seed.blocks[0]
    blocks = []
    for i in range(n):
        start = first.start + timedelta(days=i // 40, minutes=10 * (i % 40))
        template = seed.blocks[i % len(seed.blocks)]
        blocks.append(
            Block(
                key=f"b{i:04d}",
                number=str(i + 1),
                title=template.title,
                start=start,
                end=start + timedelta(minutes=10),
                description=template.description,
                names=template.names,
            )
        )
    return replace(seed, blocks=tuple(blocks), hours=None).with_conference_url(ZOOM)


def moved(agenda: Agenda, index: int) -> Agenda:
    b = agenda.blocks[index]
    shifted = replace(b, start=b.start + timedelta(minutes=5), end=b.end + timedelta(minutes=5))
    return replace(agenda, blocks=agenda.blocks[:index] + (shifted,) + agenda.blocks[index + 1 :])


def measure(fake: FakeGoogleCalendar, action) -> tuple[int, int, int, float]:  # type: ignore[no-untyped-def]
    """(HTTP round trips, listing pages, write calls, wall seconds) of one run of ``action``."""
    fake.reset_counters()
    t0 = time.perf_counter()
    action()
    return fake.round_trips, fake.calls["list"], fake.writes, time.perf_counter() - t0


def baseline_push(service, agenda: Agenda, zones, first: bool) -> None:  # type: ignore[no-untyped-def]
    """Event by event: one insert (first run) or one update (later runs) per block, no listing, no plan."""
    events = service.events()
    for content in desired_events(agenda, zones):
        eid = event_id(content.meeting_key, content.block_key)
        if first:
            events.insert(calendarId="primary", body=event_body(content, event_id=eid), sendUpdates="none").execute()
        else:
            events.update(calendarId="primary", eventId=eid, body=event_body(content), sendUpdates="none").execute()


def link_change_under_quota(agenda: Agenda, zones, latency: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The link arriving on every block, Google's quota enforced: round trips, writes, units, refusals, times."""
    clock = SkippingClock()
    with FakeGoogleCalendar(latency=latency, clock=clock.now) as fake:
        backend = GoogleCalendar.connect(
            google.oauth2.credentials.Credentials(token="x"),
            api_endpoint=fake.endpoint,
            clock=clock.now,
            sleep=clock.sleep,
        )
        push(replace(agenda, conference_url=None), backend, zones)
        clock.sleep(3 * 3600)  # the link arrives that afternoon
        fake.reset_counters()
        units, refused = fake.quota.total["x"], fake.quota.refused
        t0, g0 = time.perf_counter(), clock.now()
        _, summary = push(agenda, backend, zones)
        return {
            "trips": fake.round_trips,
            "writes": fake.writes,
            "updated": summary.updated,
            "units": fake.quota.total["x"] - units,
            "refused": fake.quota.refused - refused,
            "wall": time.perf_counter() - t0,
            "google": clock.now() - g0,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to each HTTP round trip")
    parser.add_argument(
        "--page-size",
        type=int,
        default=None,
        help="make the fake serve listing pages this small (Google may serve short pages)",
    )
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    n = args.blocks
    agenda = big_agenda(n)
    zones = participant_zones(agenda, tz=("America/New_York", "Asia/Tokyo", "Africa/Abidjan"))
    t0 = time.perf_counter()
    desired_events(agenda, zones)
    plan_cpu = time.perf_counter() - t0
    load_before = os.getloadavg()
    rows = []
    # The round-trip scenarios measure round trips, not the quota: with it, the per-event baseline (1,500 requests a
    # minute) would only measure Google's refusals.
    with FakeGoogleCalendar(latency=args.latency, page_size=args.page_size, quota=None) as fake:
        backend = GoogleCalendar.connect(google.oauth2.credentials.Credentials(token="x"), api_endpoint=fake.endpoint)
        rows.append(("calsync", "first push", *measure(fake, lambda: push(agenda, backend, zones))))
        rows.append(("calsync", "unchanged re-push", *measure(fake, lambda: push(agenda, backend, zones))))
        rows.append(
            ("calsync", "one-block change", *measure(fake, lambda: push(moved(agenda, n // 2), backend, zones)))
        )
    if not args.skip_baseline:
        with FakeGoogleCalendar(latency=args.latency, quota=None) as fake:
            service = fake.service()
            rows.append(
                ("per-event", "first push", *measure(fake, lambda: baseline_push(service, agenda, zones, True)))
            )
            rows.append(
                ("per-event", "unchanged re-push", *measure(fake, lambda: baseline_push(service, agenda, zones, False)))
            )
            rows.append(
                (
                    "per-event",
                    "one-block change",
                    *measure(fake, lambda: baseline_push(service, moved(agenda, n // 2), zones, False)),
                )
            )

    print(
        f"{n} blocks, {args.latency * 1000:.0f} ms added per HTTP round trip; building the {n} events' content "
        f"takes {plan_cpu * 1000:.0f} ms of CPU"
    )
    print(
        f"{'method':<10} {'scenario':<18} {'round trips':>11} {'of which listing':>16} {'writes':>7} {'wall time':>10}"
    )
    for method, scenario, trips, pages, writes, wall in rows:
        print(f"{method:<10} {scenario:<18} {trips:>11} {pages:>16} {writes:>7} {wall:>9.2f}s")
    ours = {
        scenario: (trips, pages, writes) for method, scenario, trips, pages, writes, _ in rows if method == "calsync"
    }
    first, same, one = ours["first push"], ours["unchanged re-push"], ours["one-block change"]
    checks = [
        (
            "first push ≤ ⌈N/50⌉ batches plus listing pages",
            first[0] <= math.ceil(n / 50) + first[1],
            f"{first[0]} ≤ {math.ceil(n / 50)} batches + {first[1]} listing page(s)",
        ),
        (
            "unchanged re-push: the listing alone, zero writes",
            same[0] == same[1] and same[2] == 0,
            f"{same[0]} round trips, {same[1]} listing, {same[2]} writes",
        ),
        (
            "one-block change: listing plus one write",
            one[0] == one[1] + 1 and one[2] == 1,
            f"{one[0]} round trips, {one[1]} listing, {one[2]} write",
        ),
    ]
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}  ({detail})")

    q = link_change_under_quota(agenda, zones, args.latency)
    patch_units = 1 + PATCH_COST * n
    print()
    print(
        f"the Zoom link arrives on all {n} blocks; the fake enforces {QUOTA_PER_MINUTE} units per sliding minute "
        f"(patch = {PATCH_COST})"
    )
    print(
        f"{'method':<26} {'round trips':>11} {'writes':>7} {'units':>6} {'refused':>8} {'wall time':>10} "
        f"{'Google time':>12}"
    )
    print(
        f"{'calsync (update+If-Match)':<26} {q['trips']:>11.0f} {q['writes']:>7.0f} {q['units']:>6.0f} "
        f"{q['refused']:>8.0f} {q['wall']:>9.2f}s {q['google']:>11.2f}s"
    )
    minutes = math.ceil(patch_units / QUOTA_PER_MINUTE) - 1
    print(
        f"{'a patch per event (before)':<26} {'':>11} {n:>7} {patch_units:>6} {'':>8} {'':>10} "
        f"{'≥ ' + str(minutes) + ' min':>12}  (refused past the first minute; calsync's old ~30 s of retries "
        "ran out first)"
    )
    ok = q["updated"] == n and q["refused"] == 0
    print(
        f"{'PASS' if ok else 'FAIL'}  link change converges in one push with no refusal  "
        f"({q['updated']:.0f} updated, {q['refused']:.0f} refused, {q['units']:.0f} units)"
    )
    load_after = os.getloadavg()
    print(
        f"load average (1/5/15 min) before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
        f"after {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
