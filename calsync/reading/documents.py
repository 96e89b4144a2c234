"""PDF and Word agendas -> the Markdown-like text the text reader already understands.

The output has one paragraph per line (hard line breaks inside a paragraph stay line breaks), blank lines between
paragraphs, headings as ``#``..``####`` lines (Word heading styles; in PDFs, font sizes above the body size), a line
that is bold throughout as ``**...**``, and tables as Markdown pipe tables. Page headers and footers repeated on most
pages of a PDF are dropped so they never end up in a block's title or description.

pdfplumber and python-docx come with the ``documents`` extra and are imported only when a document is read. How a
PDF's pages are laid out into that text (no PDF library needed) is :mod:`calsync.reading.pdfpages`.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..errors import AgendaError, InputFileError, MissingExtraError
from .inflated import MAX_CONTENT, check_page, check_pdf, check_word_zip
from .pdfpages import RawPage, page_content, pdf_markdown, table_lines, tidy

__all__ = ["document_text"]

EXTRA_HINT = "install the extra with: pip install 'calsync[documents]'"


def document_text(data: bytes, kind: str, name: str) -> str:
    """The text of a PDF (``kind="pdf"``) or Word (``kind="docx"``) agenda, shaped like a Markdown agenda."""
    if kind == "pdf":
        text = _pdf_text(data, name)
    elif kind == "docx":
        text = _docx_text(data, name)
    else:
        raise InputFileError(f"cannot read documents of kind {kind!r}", file=name, hint="give a PDF or .docx agenda")
    if not text.strip():
        raise AgendaError("the document contains no text", file=name, hint="check that this is the agenda file")
    return text


# --- PDF -------------------------------------------------------------------------------------------------------------


def _pdf_text(data: bytes, name: str) -> str:
    try:
        import pdfplumber
    except ImportError:
        raise MissingExtraError(
            "reading PDF agendas needs pdfplumber, which is not installed", file=name, hint=EXTRA_HINT
        ) from None

    truncated = not _has_pdf_end(data)
    check_pdf(data, name)  # before pdfminer inflates anything
    raw: list[RawPage] = []
    # pdfminer and pdfplumber raise many kinds of exceptions on bad files (syntax, EOF, decoding, missing objects,
    # assertion failures); this is the one boundary where they are turned into a calsync error. Only library calls
    # (and ``_raw_page``, which hands pdfminer's layout to pdfplumber's word extractor) are inside it, so a mistake in
    # calsync's own layout code (``pdfpages``) is not reported as a damaged file.
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            remaining = MAX_CONTENT
            for number, page in enumerate(pdf.pages, start=1):
                remaining -= check_page(page.page_obj, number, remaining, name)  # before pdfplumber lays it out
                raw.append(_raw_page(page))
    except InputFileError:
        raise  # a page too big to lay out: said as such, not as damage
    except Exception as e:  # noqa: BLE001 - see above
        raise _pdf_error(e, name, truncated) from None
    pages = [page_content(page, number) for number, page in enumerate(raw, start=1)]
    if truncated:
        # pdfminer can sometimes recover part of a cut-off file; half an agenda must not pass for the whole one.
        raise InputFileError(
            "is truncated (the PDF has no end-of-file marker)", file=name, hint="download or export the PDF again"
        )
    if not any(page.lines or page.tables for page in pages):
        raise InputFileError("has no text layer (scanned?)", file=name, hint="run OCR or export the agenda as text")
    return pdf_markdown(pages)


# How words are made of characters: pdfplumber's word extractor, with these settings, on every page.
WORD_SETTINGS: dict[str, Any] = {"extra_attrs": ["fontname", "size"], "keep_blank_chars": False, "use_text_flow": False}


def _raw_page(page: Any) -> RawPage:
    """One page's words and ruled tables.

    A page without a line, rectangle or curve has no ruled table (pdfplumber's table finder builds cells from those
    edges only), so its words are made from pdfminer's layout directly: ``page_chars`` gives pdfplumber's word
    extractor the few keys it reads, instead of pdfplumber converting every attribute of every object (colours,
    graphic state: most of the time of a text page). A page with rules is read by pdfplumber alone.
    """
    from pdfplumber.utils.text import extract_words

    chars, ruled = _layout_chars(page.layout)
    if ruled:
        tables = [(found.bbox, found.extract()) for found in page.find_tables()]
        return RawPage(page.extract_words(**WORD_SETTINGS), tables, float(page.width))
    return RawPage(extract_words(page_chars(page, chars), **WORD_SETTINGS), [], float(page.width))


def _layout_chars(items: Any) -> tuple[list[Any], bool]:
    """pdfminer's characters of a page's layout in pdfplumber's order (figures' contents in place), and whether it
    holds a line, rectangle or curve (anything pdfplumber takes table edges from)."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve

    chars: list[Any] = []
    ruled = False

    def walk(container: Any) -> None:
        nonlocal ruled
        for item in container:
            if isinstance(item, LTContainer):
                walk(item)
            elif type(item) is LTChar:  # pdfplumber's "char" objects: by class name, so exactly LTChar
                chars.append(item)
            elif isinstance(item, LTCurve):  # LTLine and LTRect too
                ruled = True

    walk(items)
    return chars, ruled


def page_chars(page: Any, chars: list[Any]) -> list[dict[str, Any]]:
    """pdfplumber's char objects, with only the keys its word extractor reads (and ``WORD_SETTINGS``' extra ones).

    The coordinates follow ``pdfplumber.page.Page.process_object`` operation for operation (pdfminer's are relative to
    the MediaBox; ``top``/``bottom`` are measured down from the page's top; rotation is in pdfminer's layout and in the
    page's size already), so the words are the same floats. ``tests/test_pdf_words.py`` compares them with
    pdfplumber's own on many kinds of pages.
    """
    from pdfplumber.page import fix_fontname_bytes
    from pdfplumber.utils.pdfinternals import resolve_all

    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    doctop = page.initial_doctop
    norm = page.pdf.unicode_norm
    out = []
    for char in chars:
        fontname, size = char.fontname, char.size
        if type(fontname) is not str:  # resolve_all gives a str back as it is
            fontname = resolve_all(fontname)
            if isinstance(fontname, bytes):
                fontname = fix_fontname_bytes(fontname)
        if type(size) is not float:
            size = resolve_all(size)
        text = char.get_text()
        top = (height - char.y1) + mb_top
        x0, x1 = char.x0, char.x1
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        out.append(
            {
                "text": text if norm is None else unicodedata.normalize(norm, text),
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": (height - char.y0) + mb_top,
                "doctop": doctop + top,
                "upright": char.upright,
                "fontname": fontname,
                "size": size,
            }
        )
    return out


def _has_pdf_end(data: bytes) -> bool:
    """Whether the file ends like a complete PDF (``%%EOF`` near the end; some writers add trailing bytes)."""
    return b"%%EOF" in data[-8192:]


def _pdf_error(error: Exception, name: str, truncated: bool) -> InputFileError:
    """One sentence for a PDF that pdfminer/pdfplumber could not open or read."""
    cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
    kind = type(cause).__name__
    if (
        kind in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning")
        or "password" in str(cause).lower()
    ):
        return InputFileError(
            "is encrypted and needs a password",
            file=name,
            hint="open it with the password and save or print an unprotected copy, or export the agenda as text",
        )
    if truncated:
        return InputFileError(
            "is truncated or damaged (the PDF has no end-of-file marker)",
            file=name,
            hint="download or export the PDF again",
        )
    detail = str(cause).strip().rstrip(".") or kind
    return InputFileError(f"is a damaged PDF ({detail})", file=name, hint="download or export the PDF again")


# --- Word ------------------------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(data: bytes, name: str) -> str:
    try:
        import docx
    except ImportError:
        raise MissingExtraError(
            "reading Word agendas needs python-docx, which is not installed", file=name, hint=EXTRA_HINT
        ) from None

    check_word_zip(data, name)
    # python-docx raises zipfile.BadZipFile, KeyError, lxml's XMLSyntaxError, ValueError and its own errors on a
    # damaged package; this is the one boundary where they become a calsync error.
    try:
        document = docx.Document(io.BytesIO(data))
        out = list(_docx_blocks(document.element.body, document))
    except Exception as e:  # noqa: BLE001 - see above
        detail = str(e).strip().rstrip(".") or type(e).__name__
        raise InputFileError(
            f"is a damaged Word document ({detail})",
            file=name,
            hint="open and save it again in Word, or export it as PDF",
        ) from None
    return tidy(out)


def _docx_blocks(container: Any, document: Any) -> Iterator[str]:
    """Markdown-like lines for the paragraphs and tables of a body or table cell, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == W + "p":
            yield from _docx_paragraph(Paragraph(child, document))
        elif child.tag == W + "tbl":
            yield from _docx_table(Table(child, document), document)
        elif child.tag == W + "sdt":  # content controls wrap ordinary paragraphs and tables
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _docx_blocks(content, document)


def _docx_paragraph(paragraph: Any) -> Iterator[str]:
    text = paragraph.text.replace("\t", " ")
    if not text.strip():
        return
    level = _heading_level(paragraph)
    if level:
        yield "#" * level + " " + " ".join(text.split())
        yield ""
        return
    yield from _bold_lines(paragraph)
    yield ""


def _heading_level(paragraph: Any) -> int:
    """1..4 for Title and Heading styles (by name, or by outline level for styles in other languages)."""
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    if name.lower() == "title":
        return 1
    match = re.match(r"heading\s*(\d)", name, re.IGNORECASE)
    if match:
        return max(1, min(int(match.group(1)), 4))
    level = _outline_level(paragraph._p.pPr)
    while level is None and style is not None:
        level = _outline_level(style.element.pPr)
        style = style.base_style
    return min(level + 1, 4) if level is not None and level < 9 else 0


def _outline_level(ppr: Any) -> int | None:
    if ppr is None:
        return None
    node = ppr.find(W + "outlineLvl")
    if node is None:
        return None
    try:
        return int(node.get(W + "val"))
    except (TypeError, ValueError):
        return None


def _bold_lines(paragraph: Any) -> list[str]:
    """The paragraph's lines (split at line breaks); a line that is bold throughout becomes ``**line**``."""
    from docx.text.hyperlink import Hyperlink

    lines: list[list[tuple[str, bool]]] = [[]]
    style_bold = _style_bold(paragraph.style)
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        for run in runs:
            bold = run.bold if run.bold is not None else _style_bold(run.style) or style_bold
            for i, piece in enumerate(run.text.replace("\t", " ").split("\n")):
                if i:
                    lines.append([])
                lines[-1].append((piece, bool(bold)))
    result = []
    for pieces in lines:
        text = " ".join("".join(piece for piece, _ in pieces).split())
        if not text:
            continue
        whole_bold = all(bold for piece, bold in pieces if piece.strip())
        result.append(f"**{text}**" if whole_bold else text)
    return result


def _style_bold(style: Any) -> bool:
    """Whether a paragraph or character style (or one it is based on) makes text bold."""
    while style is not None:
        bold = style.font.bold
        if bold is not None:
            return bool(bold)
        style = style.base_style
    return False


def _docx_table(table: Any, document: Any) -> Iterator[str]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        last = None
        for cell in row.cells:
            if last is not None and cell._tc is last:
                continue  # a horizontally merged cell is listed once per grid column
            last = cell._tc
            cells.append(" ".join(" ".join(p.text for p in cell.paragraphs).split()))
        if any(cells):
            rows.append(cells)
    if not rows:
        return
    if max(len(row) for row in rows) == 1:
        # A one-column table is layout, not data: read what is inside it as ordinary paragraphs and tables.
        for row in table.rows:
            for cell in row.cells:
                yield from _docx_blocks(cell._tc, document)
        return
    yield from table_lines(rows)
    yield ""
