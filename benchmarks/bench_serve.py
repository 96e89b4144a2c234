"""``calsync serve`` under 200 calendar clients polling a meeting's feed with If-None-Match, side by side with plain
static servers on the published folder, in the same run.

Servers (each on 127.0.0.1, a free port, its access log written to a file as in production):
- calsync serve, 1 worker and 2 workers (uvicorn, httptools, asyncio's loop);
- python -m http.server on the published folder (the plain static server everyone has; it ignores If-None-Match
  and sends the whole feed every time);
- nginx on the published folder (``apt-get install nginx-light``; skipped when absent), 1 worker.
Load: ``wrk`` (``apt-get install wrk``), 2 threads, 200 connections, each request carrying the feed's ETag; figures:
requests per second, p50/p99 latency, errors, and each server's resident memory (all its processes) after warm-up,
after 100,000 requests and after 200,000 (flat means no growth per request). Targets: calsync at least the plain
static server's throughput, p99 under 50 ms.

wrk and the servers share this machine's 2 cores with whatever else runs: the load average is printed with the
figures, and so are the CPU time each server used and the time it was ready to run but waited for a CPU (from
/proc), per second: a long tail with a large wait is the machine's, not the server's. ``--rounds N`` measures every
server N times, taking turns, and shows the round with the lowest p99 (and every round's p99); ``--baseline REV``
adds calsync serve at another git revision, in the same turns. Every run is bounded in time; nothing leaves
127.0.0.1.

Run: ``python benchmarks/bench_serve.py [--requests 100000] [--connections 200] [--rounds 3] [--baseline main]``.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baseline import checkout  # noqa: E402

from calsync.reading import EXAMPLE_AGENDA, read_agenda  # noqa: E402
from calsync.site import SiteOptions, site_files, write_site  # noqa: E402
from calsync.zones import participant_zones  # noqa: E402

EXAMPLE = ROOT / "calsync" / "examples" / EXAMPLE_AGENDA


@dataclass
class Figures:
    name: str
    rps: float = 0.0
    p50: str = "-"
    p99: str = "-"
    p999: str = "-"  # the slowest 0.1 %
    slowest: str = "-"
    requests: int = 0
    errors: str = ""
    rss: tuple[float, float, float] = (0.0, 0.0, 0.0)  # MB after warm-up, after N requests, after 2N
    cpu: float = 0.0  # CPU seconds the server used per second of the first measured round (all its processes)
    waited: float = 0.0  # seconds its processes' main threads were ready but waiting for a CPU, per second

    @property
    def p99_ms(self) -> float:
        return _ms(self.p99)


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not found:
        return math.inf
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def tree_pids(pid: int) -> list[int]:
    """A process and all its descendants (from /proc)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        with contextlib.suppress(OSError):
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
    return found


def tree_rss(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0
    for p in tree_pids(pid):
        with contextlib.suppress(OSError, StopIteration), open(f"/proc/{p}/status") as fh:
            total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
    return total / 1024


def tree_times(pid: int) -> tuple[float, float]:
    """CPU seconds used by a process tree (all threads), and seconds its main threads waited on a run queue."""
    used = waited = 0.0
    for p in tree_pids(pid):
        with contextlib.suppress(OSError):
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            with open(f"/proc/{p}/schedstat") as fh:
                waited += int(fh.read().split()[1]) / 1e9
    return used, waited


# wrk's --latency stops at p99; the tail beyond it, from wrk's own histogram.
TAIL = """done = function(summary, latency, requests)
  io.write(string.format("p99.9 %.2fms slowest %.2fms\\n", latency:percentile(99.9) / 1000, latency.max / 1000))
end
"""


def wrk(url: str, etag: str, seconds: int, connections: int, script: Path) -> dict[str, str]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--script",
            str(script),
            "--timeout",
            "5s",
            "-H",
            f"If-None-Match: {etag}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    found = {
        "rps": re.search(r"Requests/sec:\s+([\d.]+)", out),
        "total": re.search(r"(\d+) requests in", out),
        "p50": re.search(r"^\s+50%\s+(\S+)", out, re.M),
        "p99": re.search(r"^\s+99%\s+(\S+)", out, re.M),
        "p999": re.search(r"p99.9 (\S+)", out),
        "slowest": re.search(r"slowest (\S+)", out),
        "socket": re.search(r"Socket errors: (.*)", out),
        "non2xx": re.search(r"Non-2xx or 3xx responses: (\d+)", out),
    }
    return {k: (m.group(1) if m else "") for k, m in found.items()}


def measure(name: str, url: str, pid: int, requests: int, connections: int, script: Path) -> Figures:
    with urllib.request.urlopen(url) as r:
        etag = r.headers.get("ETag") or '"none"'
    warm = wrk(url, etag, 3, connections, script)
    rate = max(float(warm["rps"] or 1), 1.0)
    seconds = max(5, math.ceil(requests / rate * 1.1))
    figures = Figures(name, rss=(tree_rss(pid), 0.0, 0.0))
    (used, waited), start = tree_times(pid), time.monotonic()
    first = wrk(url, etag, seconds, connections, script)
    (used_after, waited_after), wall = tree_times(pid), time.monotonic() - start
    figures.cpu, figures.waited = (used_after - used) / wall, (waited_after - waited) / wall
    after_first = tree_rss(pid)
    second = wrk(url, etag, seconds, connections, script)
    figures.rss = (figures.rss[0], after_first, tree_rss(pid))
    figures.rps = float(first["rps"] or 0)
    figures.p50, figures.p99, figures.p999, figures.slowest = (
        first["p50"],
        first["p99"],
        first["p999"],
        first["slowest"],
    )
    figures.requests = int(first["total"] or 0) + int(second["total"] or 0)
    errors = [f"socket errors {first['socket']}"] if first["socket"] else []
    if first["non2xx"]:
        errors.append(f"{first['non2xx']} non-2xx/3xx")
    figures.errors = "; ".join(errors)
    return figures


@contextlib.contextmanager
def process(command: list[str], log: Path, cwd: Path | None = None) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        try:
            yield proc
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


NGINX = """worker_processes 1;
daemon off;
user root;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
  types {{ text/html html; text/calendar ics; application/json json; }}
  access_log {tmp}/nginx-access.log;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{ listen 127.0.0.1:{port}; root {root}; etag on; }}
}}
"""


@dataclass
class Server:
    name: str
    command: list[str]
    health: str  # a path answered once the server is up
    cwd: Path | None = None
    every_round: bool = True


def calsync_servers(agenda_file: Path, tree: Path, label: str) -> list[Server]:
    found = []
    for workers in (1, 2):
        command = [sys.executable, "-m", "calsync", "serve", "-q", str(agenda_file), "--workers", str(workers)]
        name = f"calsync{label}, {workers} worker{'s' if workers > 1 else ''}"
        found.append(Server(name, [*command, "--port", "{port}"], "/healthz", cwd=tree))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000, help="requests per measured round (two rounds)")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=1, help="measure each server this many times, taking turns")
    parser.add_argument("--baseline", metavar="REV", help="also measure calsync serve at this git revision")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench_serve needs wrk: apt-get install wrk")
    with (
        tempfile.TemporaryDirectory() as tmp_name,
        checkout(args.baseline) if args.baseline else contextlib.nullcontext() as base,
    ):
        tmp = Path(tmp_name)
        os.chmod(tmp, 0o755)
        script = tmp / "tail.lua"
        script.write_text(TAIL, encoding="utf-8")
        agenda_file = tmp / "gcm8.md"
        shutil.copy(EXAMPLE, agenda_file)
        agenda = read_agenda(agenda_file)
        published = tmp / "site"
        write_site(site_files([agenda], SiteOptions(zones=lambda a: participant_zones(a))), published)
        feed = f"/{agenda.key}/meeting.ics"
        servers = calsync_servers(agenda_file, ROOT, "")
        if base is not None:
            servers += calsync_servers(agenda_file, base, f" {args.baseline}")
        servers.append(
            Server(
                "python -m http.server (static)",
                [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(published), "{port}"],
                "/",
                every_round=False,  # some 1,500 requests a second: once is enough
            )
        )
        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
        if nginx:
            servers.append(Server("nginx 1 worker (static)", [nginx, "-c", str(tmp / "nginx.conf")], "/"))
        else:
            print("nginx not installed (apt-get install nginx-light): skipped")
        print(
            f"feed {feed}; {args.connections} connections; {args.rounds} round(s); load average before: "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores",
            flush=True,
        )

        results: dict[str, list[Figures]] = {s.name: [] for s in servers}
        for round_ in range(args.rounds):
            for server in servers:
                if round_ and not server.every_round:
                    continue
                port = free_port()
                (tmp / "nginx.conf").write_text(NGINX.format(tmp=tmp, port=port, root=published), encoding="utf-8")
                command = [c.replace("{port}", str(port)) for c in server.command]
                slug = re.sub(r"\W+", "-", server.name)
                log = tmp / f"{slug}-{len(results[server.name])}.log"
                with process(command, log, cwd=server.cwd) as proc:
                    wait_up(f"http://127.0.0.1:{port}{server.health}")
                    url = f"http://127.0.0.1:{port}{feed}"
                    results[server.name].append(
                        measure(server.name, url, proc.pid, args.requests, args.connections, script)
                    )
                f = results[server.name][-1]
                print(f"  round {round_ + 1}: {server.name}: {f.rps:.0f} req/s, p99 {f.p99}", flush=True)

        print()
        print(
            f"{'server (best round: lowest p99)':<36}{'req/s':>8}{'p50':>9}{'p99':>9}{'p99.9':>10}{'slowest':>10}"
            f"  {'p99s of rounds':<26}"
            f"{'cpu':>6}{'wait':>6}  {'RSS MB: warm / +N / +2N':<24}errors"
        )
        for name, rounds in results.items():
            f = min(rounds, key=lambda r: r.p99_ms)
            rss = " / ".join(f"{x:.0f}" for x in f.rss)
            p99s = " ".join(r.p99 for r in rounds)
            times = f"{f.cpu:>6.2f}{f.waited:>6.2f}"
            tail = f"{f.p999:>10}{f.slowest:>10}"
            print(f"{name:<36}{f.rps:>8.0f}{f.p50:>9}{f.p99:>9}{tail}  {p99s:<26}{times}  {rss:<24}{f.errors}")
        print(
            f"(N = {args.requests} requests; cpu: CPU seconds the server used per second; wait: seconds it was ready "
            f"but waited for a CPU, per second; load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())})"
        )


if __name__ == "__main__":
    main()
