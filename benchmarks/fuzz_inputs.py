"""The long fuzz: thousands of hostile inputs through the real commands, each in its own forked process.

Every run is one ``calsync`` command (parse, ics, times in each format, push --dry-run against the test suite's fake
Google server, auth) on a mangled or hostile input: real agendas with bytes flipped and escapes spliced in, reviewed
JSON/YAML with wrong types and values, YAML alias bombs, nesting 1,000 deep, PDF and Word decompression bombs,
damaged documents, codecs that are no character sets, extreme dates, long zone names, hostile participants, tokens
with line breaks, deep token and key files, -o paths that are folders, read-only, symlinks or devices.

Each run is forked from this process (so calsync is imported once), killed after ``--timeout`` seconds, and measured
with wait4's peak resident set. A run counts as an internal error when calsync raised something that is not a calsync
error, or printed a traceback; text-reader internal errors (calsync/reading/ modules other than the file, structured
and document layers) are counted apart. Unclean output: a control character or lone surrogate on stdout, stderr or
in a written file, a token in any of them, or a temporary file left behind.

Run: ``python benchmarks/fuzz_inputs.py [--runs 10000] [--jobs 2] [--timeout 10] [--seed 16] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import fuzz_cases  # noqa: E402  (the inputs, beside this script)

from calsync.cli import app  # noqa: E402
from calsync.errors import CalsyncError  # noqa: E402

GB = 1024**3
MINE = {"source.py", "structured.py", "documents.py", "inflated.py", "__init__.py"}
UNCLEAN = fuzz_cases.UNCLEAN


@dataclass
class Outcome:
    case: fuzz_cases.Case
    exit: int | None = None
    seconds: float = 0.0
    peak: int = 0  # bytes
    internal: str | None = None  # "reader" or "other"
    where: str = ""
    problems: list[str] = field(default_factory=list)


def run_child(case: fuzz_cases.Case, folder: Path) -> None:
    """In the forked child: run the command with its files, environment and folder; never returns."""
    code = 70
    try:
        os.chdir(folder)
        for key in list(os.environ):
            if key.startswith(("GOOGLE_", "CALSYNC_", "XDG_CONFIG_HOME")):
                del os.environ[key]
        os.environ.update(case.env)
        os.environ["XDG_CONFIG_HOME"] = str(folder / case.env.get("XDG_CONFIG_HOME", "cfg"))  # never the real one
        out = os.open(folder / ".stdout", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        err = os.open(folder / ".stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.dup2(err, 2)
        resource.setrlimit(resource.RLIMIT_AS, (4 * GB, 4 * GB))  # a runaway run fails alone, never the machine
        try:
            app(args=case.args, prog_name="calsync")
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except Exception as e:  # noqa: BLE001 - what calsync.cli.main would call an internal error
            frames = [f for f in traceback.extract_tb(e.__traceback__) if "/calsync/" in f.filename]
            last = frames[-1] if frames else None
            reader = bool(last and "/calsync/reading/" in last.filename and Path(last.filename).name not in MINE)
            where = f"{Path(last.filename).name}:{last.lineno}" if last else "?"
            (folder / ".internal").write_text(
                json.dumps(
                    {"reader": reader, "where": where, "type": type(e).__name__, "calsync": isinstance(e, CalsyncError)}
                )
            )
            code = 70
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def inspect(outcome: Outcome, folder: Path) -> None:
    """After the child: what it printed and wrote, and whether that is clean."""
    stdout = (folder / ".stdout").read_bytes() if (folder / ".stdout").exists() else b""
    stderr = (folder / ".stderr").read_bytes() if (folder / ".stderr").exists() else b""
    internal = folder / ".internal"
    if internal.exists():
        info = json.loads(internal.read_text())
        outcome.internal = "reader" if info["reader"] else "other"
        outcome.where = f"{info['type']} at {info['where']}"
    elif b"Traceback" in stderr or b"internal error" in stderr:
        outcome.internal = "other"
        outcome.where = "traceback printed"
    texts = {"stdout": stdout, "stderr": stderr}
    given = {*outcome.case.files, *outcome.case.links, *outcome.case.devices, ".stdout", ".stderr", ".internal"}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and str(path.relative_to(folder)) not in given:
            if path.name.endswith(".tmp") and path.name.startswith("."):
                outcome.problems.append(f"temporary file left: {path.name}")
            elif path.stat().st_size < 64 * 1024 * 1024:
                texts[path.name] = path.read_bytes()
    for name, data in texts.items():
        text = data.decode("utf-8", "surrogateescape").replace("\r\n", "\n")
        bad = UNCLEAN.search(text)
        if bad and not (name == "stdout" and outcome.case.binary_stdout):
            outcome.problems.append(f"control character {bad.group(0)!r} in {name}")
        for secret in outcome.case.secrets:
            if secret in text:
                outcome.problems.append(f"secret in {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2, help="runs at once (default 2: the machine is shared)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a run counts as a hang")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--keep", type=Path, help="copy the inputs of failing runs here")
    args = parser.parse_args()

    load_before = os.getloadavg()
    started = time.perf_counter()
    rng = random.Random(args.seed)
    corpus = fuzz_cases.Corpus(rng)
    print(
        f"corpus built in {time.perf_counter() - started:.0f} s; baseline resident set "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB",
        flush=True,
    )
    outcomes: list[Outcome] = []
    running: dict[int, tuple[Outcome, Path, float]] = {}
    work = Path(tempfile.mkdtemp(prefix="calsync-fuzz-"))
    made = 0
    with corpus.google() as endpoint:
        while made < args.runs or running:
            while made < args.runs and len(running) < args.jobs:
                case = corpus.case(made, endpoint)
                folder = work / f"run{made}"
                folder.mkdir()
                case.write(folder)
                pid = os.fork()
                if pid == 0:
                    run_child(case, folder)
                running[pid] = (Outcome(case), folder, time.perf_counter())
                made += 1
            finished = _reap(running, args.timeout)
            for outcome, folder in finished:
                inspect(outcome, folder)
                outcomes.append(outcome)
                if (outcome.internal or outcome.problems or outcome.exit is None) and args.keep:
                    shutil.copytree(folder, args.keep / folder.name, symlinks=True, dirs_exist_ok=True)
                shutil.rmtree(folder, ignore_errors=True)
                if len(outcomes) % 500 == 0:
                    print(f"  {len(outcomes):>6,} runs, {time.perf_counter() - started:.0f} s", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    report(outcomes, time.perf_counter() - started, args, load_before)


def _reap(running: dict[int, tuple[Outcome, Path, float]], timeout: float) -> list[tuple[Outcome, Path]]:
    """Wait for a child to end (or kill the ones past the timeout); the finished runs."""
    done: list[tuple[Outcome, Path]] = []
    while not done:
        for pid, (outcome, folder, begun) in list(running.items()):
            got, status, usage = os.wait4(pid, os.WNOHANG)
            elapsed = time.perf_counter() - begun
            if got == 0 and elapsed > timeout:
                os.kill(pid, 9)
                got, status, usage = os.wait4(pid, 0)
                outcome.exit = None
            elif got == 0:
                continue
            else:
                outcome.exit = os.waitstatus_to_exitcode(status)
            outcome.seconds = elapsed
            outcome.peak = usage.ru_maxrss * 1024
            del running[pid]
            done.append((outcome, folder))
        if not done:
            time.sleep(0.01)
    return done


def report(outcomes: list[Outcome], seconds: float, args: argparse.Namespace, load_before: tuple[float, ...]) -> None:
    exits = Counter(o.exit for o in outcomes if o.exit is not None and not o.internal)
    hangs = [o for o in outcomes if o.exit is None]
    internal = [o for o in outcomes if o.internal]
    reader = [o for o in internal if o.internal == "reader"]
    big = [o for o in outcomes if o.peak > GB]
    unclean = [o for o in outcomes if o.problems]
    kinds = Counter(o.case.kind for o in outcomes)
    peak = max(outcomes, key=lambda o: o.peak)
    slow = max((o for o in outcomes if o.exit is not None), key=lambda o: o.seconds)
    load_after = os.getloadavg()
    print()
    print(
        f"calsync fuzz: {len(outcomes):,} runs in {seconds:.0f} s, {args.jobs} at a time, seed {args.seed} "
        f"(load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; {os.cpu_count()} cores)"
    )
    print(f"  runs                  {len(outcomes):>7,}   ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
    print(f"  finished, exit 0      {exits.get(0, 0):>7,}")
    print(
        f"  clean errors          {sum(n for code, n in exits.items() if code):>7,}   "
        f"({', '.join(f'exit {code}: {n}' for code, n in sorted(exits.items()) if code)})"
    )
    print(
        f"  internal errors       {len(internal):>7,}   (text reader: {len(reader)}, elsewhere: "
        f"{len(internal) - len(reader)})"
    )
    big_text = sum(1 for o in hangs if o.case.kind == "text-big")
    print(
        f"  timeouts (> {args.timeout:g} s)    {len(hangs):>7,}   "
        f"(big text agendas, the text reader's pace: {big_text}; "
        f"elsewhere: {len(hangs) - big_text}; slowest finished run {slow.seconds:.1f} s, {slow.case.kind} "
        f"#{slow.case.number})"
    )
    print(
        f"  over 1 GB             {len(big):>7,}   (peak resident set {peak.peak / 2**20:.0f} MB, "
        f"{peak.case.kind} #{peak.case.number}; each run starts from this process's)"
    )
    print(f"  unclean output        {len(unclean):>7,}   (control characters, secrets, temporary files)")
    for title, group in (
        ("internal errors (text reader)", reader),
        ("internal errors", [o for o in internal if o.internal != "reader"]),
        ("timeouts", hangs),
        ("over 1 GB", big),
        ("unclean output", unclean),
    ):
        if group:
            print(f"\n{title}, first {min(5, len(group))} of {len(group)}:")
            for o in group[:5]:
                print(
                    f"  #{o.case.number} {o.case.kind}: calsync {' '.join(o.case.shown_args())} -> "
                    f"{o.where or o.problems or 'killed'} ({o.seconds:.1f} s, {o.peak / 2**20:.0f} MB)"
                )


if __name__ == "__main__":
    main()
