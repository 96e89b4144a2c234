"""``calsync serve`` under 200 calendar clients polling a meeting's feed with If-None-Match, side by side with plain
static servers on the published folder, in the same run.

Servers (each on 127.0.0.1, a free port, its access log written to a file as in production):
- calsync serve, 1 worker and 2 workers (uvicorn, httptools, uvloop);
- python -m http.server on the published folder (the plain static server everyone has; it ignores If-None-Match
  and sends the whole feed every time);
- nginx on the published folder (``apt-get install nginx-light``; skipped when absent), 1 worker.
Load: ``wrk`` (``apt-get install wrk``), 2 threads, 200 connections, each request carrying the feed's ETag; figures:
requests per second, p50/p99 latency, errors, and each server's resident memory (all its processes) after warm-up,
after 100,000 requests and after 200,000 (flat means no growth per request). Targets: calsync at least the plain
static server's throughput, p99 under 50 ms.

wrk and the servers share this machine's 2 cores with whatever else runs: the load average is printed with the
figures. Every run is bounded in time; nothing leaves 127.0.0.1.

Run: ``python benchmarks/bench_serve.py [--requests 100000] [--connections 200]``.
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
    requests: int = 0
    errors: str = ""
    rss: tuple[float, float, float] = (0.0, 0.0, 0.0)  # MB after warm-up, after N requests, after 2N


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


def tree_rss(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024


def wrk(url: str, etag: str, seconds: int, connections: int) -> dict[str, str]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
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
        "socket": re.search(r"Socket errors: (.*)", out),
        "non2xx": re.search(r"Non-2xx or 3xx responses: (\d+)", out),
    }
    return {k: (m.group(1) if m else "") for k, m in found.items()}


def measure(name: str, url: str, pid: int, requests: int, connections: int) -> Figures:
    with urllib.request.urlopen(url) as r:
        etag = r.headers.get("ETag") or '"none"'
    warm = wrk(url, etag, 3, connections)
    rate = max(float(warm["rps"] or 1), 1.0)
    seconds = max(5, math.ceil(requests / rate * 1.1))
    figures = Figures(name, rss=(tree_rss(pid), 0.0, 0.0))
    first = wrk(url, etag, seconds, connections)
    after_first = tree_rss(pid)
    second = wrk(url, etag, seconds, connections)
    figures.rss = (figures.rss[0], after_first, tree_rss(pid))
    figures.rps = float(first["rps"] or 0)
    figures.p50, figures.p99 = first["p50"], first["p99"]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000, help="requests per measured round (two rounds)")
    parser.add_argument("--connections", type=int, default=200)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench_serve needs wrk: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.chmod(tmp, 0o755)
        agenda_file = tmp / "gcm8.md"
        shutil.copy(EXAMPLE, agenda_file)
        agenda = read_agenda(agenda_file)
        published = tmp / "site"
        write_site(site_files([agenda], SiteOptions(zones=lambda a: participant_zones(a))), published)
        feed = f"/{agenda.key}/meeting.ics"
        results: list[Figures] = []
        print(
            f"feed {feed}; {args.connections} connections; load average before: "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores",
            flush=True,
        )

        for workers in (1, 2):
            port = free_port()
            command = [
                sys.executable,
                "-m",
                "calsync",
                "serve",
                "-q",
                str(agenda_file),
                "--port",
                str(port),
                "--workers",
                str(workers),
            ]
            with process(command, tmp / f"calsync-{workers}.log") as proc:
                wait_up(f"http://127.0.0.1:{port}/healthz")
                results.append(
                    measure(
                        f"calsync serve, {workers} worker{'s' if workers > 1 else ''}",
                        f"http://127.0.0.1:{port}{feed}",
                        proc.pid,
                        args.requests,
                        args.connections,
                    )
                )
                print(f"  done: {results[-1].name}", flush=True)

        port = free_port()
        command = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(published), str(port)]
        with process(command, tmp / "http-server.log") as proc:
            wait_up(f"http://127.0.0.1:{port}/")
            results.append(
                measure(
                    "python -m http.server (static)",
                    f"http://127.0.0.1:{port}{feed}",
                    proc.pid,
                    args.requests,
                    args.connections,
                )
            )
            print(f"  done: {results[-1].name}", flush=True)

        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
        if nginx:
            port = free_port()
            (tmp / "nginx.conf").write_text(NGINX.format(tmp=tmp, port=port, root=published), encoding="utf-8")
            with process([nginx, "-c", str(tmp / "nginx.conf")], tmp / "nginx.log") as proc:
                wait_up(f"http://127.0.0.1:{port}/")
                results.append(
                    measure(
                        "nginx 1 worker (static)",
                        f"http://127.0.0.1:{port}{feed}",
                        proc.pid,
                        args.requests,
                        args.connections,
                    )
                )
                print(f"  done: {results[-1].name}", flush=True)
        else:
            print("  nginx not installed (apt-get install nginx-light): skipped")

        print()
        print(
            f"{'server':<34}{'req/s':>9}{'p50':>10}{'p99':>10}{'requests':>10}   {'RSS MB: warm / +N / +2N':<26}errors"
        )
        for f in results:
            rss = " / ".join(f"{x:.1f}" for x in f.rss)
            print(f"{f.name:<34}{f.rps:>9.0f}{f.p50:>10}{f.p99:>10}{f.requests:>10}   {rss:<26}{f.errors}")
        print(f"(N = {args.requests} requests; load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()
