"""The PDF reader's fast path gives exactly what pdfplumber's own path gives.

A page without rules has its words made from pdfminer's layout by ``documents.page_chars`` (only the keys the word
extractor reads) instead of pdfplumber's full object conversion. These tests compare the two on many kinds of page
(``pdf_kinds.py``), so a pdfplumber upgrade that changes its coordinate or word rules fails here.
"""

from __future__ import annotations

import functools
import io
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("fpdf")
sys.path.insert(0, str(Path(__file__).parent))

from documents_builder import agenda_pdf  # noqa: E402
from pdf_kinds import pdf_kinds  # noqa: E402

from calsync.reading import documents  # noqa: E402
from calsync.reading.pdfpages import RawPage, page_content, pdf_markdown  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "calsync" / "examples" / "alliance87-gcm8-2020-07-22.fr.md"
GEBF = Path(__file__).parent / "data" / "18-gebf-2015-tagungsprogramm.md"
# What pdfplumber's word extractor reads of a char with calsync's settings (WordExtractor.merge_chars,
# char_begins_new_word, iter_chars_to_lines and the extra attributes).
CHAR_KEYS = ["text", "x0", "x1", "top", "bottom", "doctop", "upright", "fontname", "size"]


@functools.cache
def kinds() -> dict[str, bytes]:
    found = dict(pdf_kinds())
    found["seed.pdf"] = agenda_pdf(
        SEED.read_text(encoding="utf-8"),
        header=("www.Alliance87.org", "@Alliance8_7"),
        footer=("#Achieve87",),
        break_before=("Chili",),
    )
    found["gebf-tables.pdf"] = agenda_pdf(GEBF.read_text(encoding="utf-8"), header=("GEBF 2015",), table_font_size=20)
    return found


def pdfplumber_text(data: bytes) -> str:
    """``document_text`` as it was before the fast path: pdfplumber's objects, tables and words on every page."""
    import pdfplumber

    raw = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            tables = [(found.bbox, found.extract()) for found in page.find_tables()]
            raw.append(RawPage(page.extract_words(**documents.WORD_SETTINGS), tables, float(page.width)))
    return pdf_markdown([page_content(page, number) for number, page in enumerate(raw, start=1)])


@pytest.mark.parametrize("name", sorted(kinds()))
def test_chars_and_words_are_pdfplumbers(name: str) -> None:
    import pdfplumber
    from pdfplumber.utils import extract_words

    pages = 0
    with pdfplumber.open(io.BytesIO(kinds()[name])) as pdf:
        for page in pdf.pages:
            chars, ruled = documents._layout_chars(page.layout)
            fast = documents.page_chars(page, chars)
            where = f"{name} page {page.page_number}"
            assert fast == [{key: char[key] for key in CHAR_KEYS} for char in page.chars], where
            assert extract_words(fast, **documents.WORD_SETTINGS) == page.extract_words(**documents.WORD_SETTINGS), (
                where
            )
            if not ruled:  # a page without lines, rectangles or curves has no ruled table
                assert not page.find_tables(), where
            pages += bool(chars)
    assert pages


@pytest.mark.parametrize("name", sorted(kinds()))
def test_document_text_is_pdfplumbers(name: str) -> None:
    data = kinds()[name]
    assert documents.document_text(data, "pdf", name) == pdfplumber_text(data)


def test_the_kinds_cover_what_the_fast_path_must_get_right() -> None:
    import pdfplumber

    seen: set[str] = set()
    for data in kinds().values():
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                chars = page.chars
                seen |= {f"rotate {page.rotation}"} if page.rotation else set()
                seen |= {"mediabox offset"} if page.mediabox[:2] != (0, 0) else set()
                seen |= {"cropbox"} if page.cropbox != page.mediabox else set()
                seen |= {"turned text"} if any(not c["upright"] for c in chars) else set()
                seen |= {"ruled table"} if page.find_tables() else set()
                seen |= {"rules, no table"} if page.edges and not page.find_tables() else set()
                seen |= {"text in a figure"} if any(_figure_text(item) for item in page.layout) else set()
                seen |= {"bytes font name"} if any(c["fontname"] == "ABCDEF+Custom,Bold" for c in chars) else set()
                seen |= {"ligature"} if any(c["text"] in "ﬁﬂ" for c in chars) else set()
    assert seen >= {
        "rotate 90",
        "rotate 180",
        "rotate 270",
        "mediabox offset",
        "cropbox",
        "turned text",
        "ruled table",
        "rules, no table",
        "text in a figure",
        "bytes font name",
        "ligature",
    }


def _figure_text(item: Any) -> bool:
    from pdfminer.layout import LTChar, LTFigure

    return isinstance(item, LTFigure) and any(isinstance(inner, LTChar) for inner in item)


def test_a_page_without_rules_skips_pdfplumbers_object_conversion(monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfplumber
    from pdfplumber.page import Page

    converted: list[Any] = []
    original = Page.process_object
    monkeypatch.setattr(Page, "process_object", lambda self, obj: converted.append(obj) or original(self, obj))
    with pdfplumber.open(io.BytesIO(kinds()["varied.pdf"])) as pdf:
        text_page, ruled_page = pdf.pages[0], pdf.pages[3]
        assert documents._raw_page(text_page).words
        assert not converted
        assert documents._raw_page(ruled_page).tables
        assert converted
