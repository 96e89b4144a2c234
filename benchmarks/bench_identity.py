"""How long pairing two versions of an agenda takes (calsync.identity.align), and what it costs a push's plan.

Versions of a conference programme of N blocks (distinct titles, some repeated "Coffee break"s, five days):

- edits: the organiser's usual changes, on every 50th block: a reword, a renumbering, a 15-minute move, a block
  inserted before it, one removed;
- rewritten: every title and time new (nothing pairs: the worst case, cut into pieces);
- plan: ``make_plan`` of the edited version against the previous one's events, with and without the alignment
  (the baseline pairs by key alone, as calsync did before issue 13).

Prints the best wall time of a few runs and checks the pairing (every edited block found, nothing paired in the
rewrite). Run: ``python benchmarks/bench_identity.py [--blocks 500 5000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calsync import identity  # noqa: E402
from calsync.backends.base import RemoteEvent  # noqa: E402
from calsync.identity import Item, align  # noqa: E402
from calsync.model import Agenda, Block, MeetingZone, block_keys  # noqa: E402
from calsync.sync.plan import desired_events, make_plan  # noqa: E402

TZ = ZoneInfo("Europe/Paris")
TOPICS = ("statistics", "labour", "surveys", "health", "education", "migration", "gender", "climate", "trade", "data")


def programme(n: int) -> Agenda:
    blocks = []
    for i in range(n):
        day, slot = divmod(i, -(-n // 5))
        start = datetime(2026, 3, 9 + day, 8, tzinfo=TZ) + timedelta(minutes=5 * slot)
        title = "Coffee break" if i % 25 == 12 else f"Session {i}: {TOPICS[i % 10]} and {TOPICS[(i * 7) % 10]} ({i})"
        blocks.append(Block(key="", title=title, number=str(i + 1), start=start, end=start + timedelta(minutes=5)))
    keyed = [replace(b, key=k) for b, k in zip(blocks, block_keys(blocks), strict=False)]
    return Agenda(title="Conference", timezone=MeetingZone("Europe/Paris"), blocks=tuple(keyed), key="bench")


def edited(agenda: Agenda) -> Agenda:
    out: list[Block] = []
    for i, b in enumerate(agenda.blocks):
        k = i % 250
        if k == 10:
            b = replace(b, title=b.title.replace("Session", "Panel"))  # reworded
        elif k == 60:
            b = replace(b, number=f"{b.number}a")  # renumbered
        elif k == 110:
            b = replace(b, start=b.start + timedelta(minutes=15), end=b.end + timedelta(minutes=15))  # moved
        elif k == 160:
            out.append(Block(key="", title=f"Inserted before {i}", start=b.start - timedelta(minutes=1), end=b.start))
        elif k == 210:
            continue  # removed
        out.append(b)
    return replace(agenda, blocks=tuple(replace(b, key=k) for b, k in zip(out, block_keys(out), strict=False)))


def rewritten(agenda: Agenda) -> Agenda:
    blocks = [
        replace(b, title=f"Completely new item {i}", start=b.start + timedelta(days=30), end=b.end + timedelta(days=30))
        for i, b in enumerate(agenda.blocks)
    ]
    return replace(agenda, blocks=tuple(replace(b, key=k) for b, k in zip(blocks, block_keys(blocks), strict=False)))


def remote(agenda: Agenda) -> list[RemoteEvent]:
    return [RemoteEvent.stored(d, f"e{i}") for i, d in enumerate(desired_events(agenda))]


def best(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    return min(times), result


def items(agenda: Agenda) -> list[Item]:
    return [Item(b.key, b.title, b.start, b.end) for b in agenda.blocks]


def align_versions(old: Agenda, new: Agenda) -> object:
    return align(items(old), items(new))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    header = f"{'blocks':>7} {'align edits':>12} {'align rewrite':>14} {'plan':>8} {'plan by key':>12}"
    print(f"{header}  pairs (edits / rewrite)")
    for n in args.blocks:
        old = programme(n)
        new, other = edited(old), rewritten(old)
        t_edit, pairs = best(functools.partial(align_versions, old, new), args.repeat)
        t_rewrite, none = best(functools.partial(align_versions, old, other), args.repeat)
        listed, desired = remote(old), desired_events(new)
        t_plan, _ = best(functools.partial(make_plan, "bench", desired, listed), args.repeat)
        real = identity.align_indices

        def identity_free(previous: list[Item], current: list[Item]) -> dict[int, int]:  # the baseline: keys alone
            where = {item.key: i for i, item in enumerate(previous)}
            return {j: where[item.key] for j, item in enumerate(current) if item.key in where}

        import calsync.sync.plan as plan_module

        plan_module.align_indices = identity_free  # type: ignore[assignment]
        try:
            t_keys, _ = best(functools.partial(make_plan, "bench", desired, listed), args.repeat)
        finally:
            plan_module.align_indices = real
        expected = len(new.blocks) - sum(1 for b in new.blocks if b.title.startswith("Inserted"))
        assert len(pairs) == expected, (len(pairs), expected)  # type: ignore[arg-type]
        assert none == {}
        print(
            f"{n:>7} {t_edit * 1000:>10.0f}ms {t_rewrite * 1000:>12.0f}ms {t_plan * 1000:>6.0f}ms "
            f"{t_keys * 1000:>10.0f}ms  {len(pairs)}/{expected} / {len(none)}"
        )  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
