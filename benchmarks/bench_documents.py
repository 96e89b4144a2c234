"""How long reading a PDF or Word agenda takes: text extraction alone, and the whole read into an Agenda.

Builds the documents from the seed agenda (as the tests do: fpdf2 and python-docx) and a longer PDF (the seed's
blocks repeated over many pages), then prints the best wall time of several runs of ``document_text`` and of
``read_agenda`` for each. With ``--baseline REV`` the same documents are read by that git revision's calsync too, each
tree in its own process, taking turns for ``--rounds`` rounds (best of all), side by side; the load average is printed
with the figures. Run: ``python benchmarks/bench_documents.py [--repeat 5] [--pages 30] [--baseline main]``.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = Path(sys.argv[sys.argv.index("--tree") + 1]) if "--tree" in sys.argv else ROOT  # whose calsync is measured
sys.path.insert(0, str(TREE))
sys.path.insert(1, str(ROOT / "tests"))  # this tree's builders: the same documents for every tree

from baseline import checkout  # noqa: E402
from documents_builder import agenda_docx, agenda_pdf  # noqa: E402

from calsync.reading import read_agenda  # noqa: E402
from calsync.reading.documents import document_text  # noqa: E402

SEED = ROOT / "calsync" / "examples" / "alliance87-gcm8-2020-07-22.fr.md"
HEADER = ("www.Alliance87.org", "@Alliance8_7")
FOOTER = ("#Achieve87",)
Figures = dict[str, tuple[str, int, float, float | None]]  # name -> pages, bytes, document_text s, read_agenda s


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def page_count(data: bytes, kind: str) -> str:
    if kind != "pdf":
        return "-"
    from pypdf import PdfReader

    return str(len(PdfReader(io.BytesIO(data)).pages))


def measure(repeat: int, pages: int) -> Figures:
    seed = SEED.read_text(encoding="utf-8")
    blocks = seed[seed.index("#### 16h00") :]
    long_markdown = seed + "\n\n" + "\n\n".join([blocks] * max(1, pages // 2))
    documents = {
        "seed.pdf": agenda_pdf(seed, header=HEADER, footer=FOOTER, break_before=("Chili",)),
        "seed.docx": agenda_docx(seed),
        "long.pdf": agenda_pdf(long_markdown, header=HEADER, footer=FOOTER),
    }
    figures: Figures = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, data in documents.items():
            kind = name.rsplit(".", 1)[1]
            path = Path(folder) / name
            path.write_bytes(data)
            extract = best(functools.partial(document_text, data, kind, name), repeat)
            try:
                whole: float | None = best(functools.partial(read_agenda, path), repeat)
            except Exception:  # the long PDF repeats block numbers; the reader may refuse it
                whole = None
            figures[name] = (page_count(data, kind), len(data), extract, whole)
    return figures


def measure_in(tree: Path, repeat: int, pages: int) -> Figures:
    """The figures of ``tree``'s calsync, measured in a process of its own."""
    command = [sys.executable, __file__, "--tree", str(tree), "--json", "--repeat", str(repeat), "--pages", str(pages)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=tree).stdout
    return {name: tuple(row) for name, row in json.loads(out).items()}  # type: ignore[misc]


def merge(a: Figures, b: Figures) -> Figures:
    """The best of two rounds, cell by cell."""

    def low(x: float | None, y: float | None) -> float | None:
        return y if x is None else x if y is None else min(x, y)

    return {name: (row[0], row[1], min(row[2], b[name][2]), low(row[3], b[name][3])) for name, row in a.items()}


def ms(seconds: float | None) -> str:
    return "(refused)" if seconds is None else f"{seconds * 1000:.0f}ms"


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", type=int, default=30, help="rough page count of the long PDF")
    parser.add_argument("--baseline", metavar="REV", help="also measure this git revision, side by side")
    parser.add_argument("--rounds", type=int, default=3, help="with --baseline: rounds, taking turns")
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.repeat, args.pages)))
        return
    before = load()
    if not args.baseline:
        results = {"this tree": measure(args.repeat, args.pages)}
    else:
        with checkout(args.baseline) as tree:
            trees = {"this tree": ROOT, args.baseline: tree}
            results = {}
            for _ in range(args.rounds):
                for label, path in trees.items():
                    figures = measure_in(path, args.repeat, args.pages)
                    results[label] = merge(results[label], figures) if label in results else figures
    print(f"{before} (start), {load()} (end)")
    head = "".join(f"{'text ' + label:>22}{'read ' + label:>22}" for label in results)
    print(f"{'document':<10} {'pages':>5} {'bytes':>8}{head}")
    first = next(iter(results.values()))
    for name, (pages, size, _, _) in first.items():
        cells = "".join(f"{ms(r[name][2]):>22}{ms(r[name][3]):>22}" for r in results.values())
        print(f"{name:<10} {pages:>5} {size:>8}{cells}")


if __name__ == "__main__":
    main()
