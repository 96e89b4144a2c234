"""How long reading a PDF or Word agenda takes: text extraction alone, and the whole read into an Agenda.

Builds the documents from the seed agenda (as the tests do: fpdf2 and python-docx) and a longer PDF (the seed's
blocks repeated over many pages), then prints the best wall time of several runs of ``document_text`` and of
``read_agenda`` for each. Run: ``python benchmarks/bench_documents.py [--repeat 5] [--pages 30]``.
"""

from __future__ import annotations

import argparse
import functools
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from documents_builder import agenda_docx, agenda_pdf  # noqa: E402

from calsync.reading import read_agenda  # noqa: E402
from calsync.reading.documents import document_text  # noqa: E402

SEED = ROOT / "calsync" / "examples" / "alliance87-gcm8-2020-07-22.fr.md"
HEADER = ("www.Alliance87.org", "@Alliance8_7")
FOOTER = ("#Achieve87",)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", type=int, default=30, help="rough page count of the long PDF")
    args = parser.parse_args()

    seed = SEED.read_text(encoding="utf-8")
    blocks = seed[seed.index("#### 16h00") :]
    long_markdown = seed + "\n\n" + "\n\n".join([blocks] * max(1, args.pages // 2))
    documents = {
        "seed.pdf": agenda_pdf(seed, header=HEADER, footer=FOOTER, break_before=("Chili",)),
        "seed.docx": agenda_docx(seed),
        "long.pdf": agenda_pdf(long_markdown, header=HEADER, footer=FOOTER),
    }
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'document':<10} {'pages':>5} {'bytes':>8} {'document_text':>14} {'read_agenda':>12}")
        for name, data in documents.items():
            kind = name.rsplit(".", 1)[1]
            path = Path(folder) / name
            path.write_bytes(data)
            extract = best(functools.partial(document_text, data, kind, name), args.repeat)
            try:
                whole = f"{best(functools.partial(read_agenda, path), args.repeat) * 1000:10.0f}ms"
            except Exception as e:  # the long PDF repeats block numbers; the reader may refuse it
                whole = f"({type(e).__name__})"
            print(f"{name:<10} {page_count(data, kind):>5} {len(data):>8} {extract * 1000:12.0f}ms {whole:>12}")


if __name__ == "__main__":
    main()
