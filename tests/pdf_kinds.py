"""PDFs of many kinds of page, built at test time, for checking the PDF reader against pdfplumber's own path.

Fonts (the core 14 and embedded TrueType), sizes from 5 to 30 points, mixed fonts on a line, superscripts, ligatures,
letter spacing, text turned 90/180/45 degrees, mirrored and skewed text, two columns, landscape and odd page sizes,
rules that make no table and ruled tables, text inside a form XObject, a font named by a string rather than a name,
and the same pages again with /Rotate, a CropBox and a MediaBox that does not start at 0,0.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from typing import Any

from documents_builder import _font_paths, agenda_pdf
from hostile_inputs import one_page_pdf, raw_pdf, stream, text_pdf

LINES = [
    "09:00 – 10:30 Opening session with the Chair",
    "10:30 – 11:00 Coffee break ﬁnance ﬂow",
    "**11:00 – 12:30** Panel: Naïve café, Straße, Ωmega",
]
LATIN = "09:00 - 10:30 Opening session: café, Straße (core fonts are Latin-1)"


def _page_fonts(pdf: Any) -> None:
    for family, style, size in [
        ("Helvetica", "", 9),
        ("Times", "B", 14),
        ("Courier", "", 11),
        ("Helvetica", "BI", 5),
        ("DejaVu", "", 7),
        ("DejaVu", "B", 24),
        ("DejaVu", "", 30),
    ]:
        pdf.set_font(family, style, size)
        text = LATIN if family != "DejaVu" else LINES[1]
        pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, LINES[2], markdown=True, new_x="LMARGIN", new_y="NEXT")
    pdf.write(5, "Mixed ")
    pdf.set_font("Times", "I", 12)
    pdf.write(5, "fonts ")
    pdf.set_font("Courier", "B", 8)
    pdf.write(5, "on one line")
    pdf.char_vpos = "SUP"
    pdf.write(5, "2")
    pdf.char_vpos = "LINE"
    pdf.ln(8)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_char_spacing(3)
    pdf.cell(0, 5, "Spaced letters 14:00", new_x="LMARGIN", new_y="NEXT")
    pdf.set_char_spacing(0)
    pdf.set_stretching(150)
    pdf.cell(0, 5, "Stretched 15:00 Close", new_x="LMARGIN", new_y="NEXT")
    pdf.set_stretching(100)


def _page_turned(pdf: Any) -> None:
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 6, "Upright line before 09:00", new_x="LMARGIN", new_y="NEXT")
    for angle, x, y in [(90, 30, 200), (180, 150, 120), (270, 170, 60), (45, 80, 250)]:
        with pdf.rotation(angle, x, y):
            pdf.text(x, y, f"Turned {angle} degrees 10:{angle % 60:02d}")
    with pdf.mirror((100, 270), "EAST"):
        pdf.text(100, 270, "Mirrored text")
    with pdf.skew(20, 0, 40, 280):
        pdf.text(40, 280, "Skewed text 16:00")
    pdf.set_xy(10, 140)
    pdf.cell(0, 6, "Upright line after 11:00", new_x="LMARGIN", new_y="NEXT")


def _page_rules_without_table(pdf: Any) -> None:
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, "Above a rule 09:00", new_x="LMARGIN", new_y="NEXT")
    pdf.line(10, pdf.get_y() + 2, 200, pdf.get_y() + 2)
    pdf.ln(6)
    pdf.cell(0, 6, "Below a rule 10:00 Talks", new_x="LMARGIN", new_y="NEXT")
    pdf.set_fill_color(230, 230, 230)
    pdf.rect(10, 80, 190, 20, style="F")
    pdf.set_xy(12, 85)
    pdf.cell(0, 6, "On a shaded box 11:00", new_x="LMARGIN", new_y="NEXT")
    pdf.ellipse(150, 150, 30, 20)
    pdf.set_xy(10, 150)
    pdf.cell(0, 6, "Beside a curve 12:00", new_x="LMARGIN", new_y="NEXT")


def _page_ruled_table(pdf: Any) -> None:
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, "Programme", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(1, 3)) as table:
        for row in [("Zeit", "Veranstaltung"), ("9:00 – 10:45", "Workshops"), ("11:00", "Plenum, Saal 1")]:
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    pdf.ln(4)
    pdf.cell(0, 6, "After the table 13:00 Lunch", new_x="LMARGIN", new_y="NEXT")


def _page_columns(pdf: Any) -> None:
    pdf.set_font("Times", "", 10)
    with pdf.text_columns(ncols=2, gutter=10) as cols:
        for i in range(12):
            cols.write(f"Column text {i}: 1{i % 10}:00 - 1{i % 10}:30 Session number {i}. ")
            cols.ln()


def _page_small_print(pdf: Any) -> None:
    for size in (5, 6, 7.5, 8.25):
        pdf.set_font("Helvetica", "", size)
        pdf.multi_cell(0, size * 0.5, LATIN * 3, new_x="LMARGIN", new_y="NEXT")


def _page_last(pdf: Any) -> None:
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, "Last page 17:00 Close", new_x="LMARGIN", new_y="NEXT")


PAGES: list[tuple[Callable[[Any], None], dict[str, Any]]] = [
    (_page_fonts, {}),
    (_page_turned, {}),
    (_page_rules_without_table, {}),
    (_page_ruled_table, {}),
    (_page_columns, {"format": (300, 500)}),
    (_page_small_print, {"orientation": "L"}),
    (lambda pdf: None, {}),  # an empty page
    (_page_last, {}),
]


def varied_pdf() -> bytes:
    """Eight pages, each a different kind of page (see the module's docstring)."""
    from fpdf import FPDF

    regular, bold = _font_paths()
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_auto_page_break(True, margin=20)
    for build, page_format in PAGES:
        pdf.add_page(**page_format)
        build(pdf)
    return bytes(pdf.output())


def boxed(data: bytes, rotate: int = 0, crop: bool = False, shift: tuple[float, float] = (0, 0)) -> bytes:
    """The same PDF with each page's /Rotate, a CropBox inside the page, or the MediaBox's origin moved."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for number, page in enumerate(writer.pages):
        if rotate:
            page.rotate(rotate * (1 + number % 2) % 360 or rotate)
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        if shift != (0, 0):
            page.mediabox = RectangleObject((x0 + shift[0], y0 + shift[1], x1 + shift[0], y1 + shift[1]))
        if crop:
            page.cropbox = RectangleObject((x0 + 20, y0 + 30, x1 - 25, y1 - 40))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def form_xobject_pdf() -> bytes:
    """Text drawn on the page and inside a form XObject (pdfminer's LTFigure), with a rule inside another one."""
    page = b"BT /F1 12 Tf 50 750 Td (On the page 09:00) Tj ET q 1 0 0 1 40 500 cm /X1 Do Q q /X2 Do Q"
    form = b"BT /F1 10 Tf 10 10 Td (Inside a form 10:00 Talks) Tj ET"
    ruled = b"BT /F1 10 Tf 60 300 Td (In a ruled form) Tj ET 50 290 m 300 290 l S"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 8 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>",
            stream(page),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            stream(form, b"/Type /XObject /Subtype /Form /BBox [0 0 400 100] /Resources << /Font << /F1 5 0 R >> >>"),
            stream(ruled, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 9 0 R "
            b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R /X2 7 0 R >> >> >>",
            stream(page),
        ]
    )


def string_font_name_pdf() -> bytes:
    """A font whose descriptor names it with a string, which pdfminer gives as bytes (pdfplumber decodes them)."""
    content = zlib.compress(b"BT /F1 11 Tf 50 700 Td (Font named by a string 09:00) Tj ET")
    return one_page_pdf(
        content,
        extra=[
            b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Custom /FirstChar 32 /LastChar 126 "
            b"/FontDescriptor 7 0 R >>",
            b"<< /Type /FontDescriptor /FontName (ABCDEF+Custom,Bold) /Flags 32 /Ascent 900 /Descent -200 "
            b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /StemV 80 /CapHeight 700 >>",
        ],
    ).replace(b"/F1 5 0 R", b"/F1 6 0 R")


def pdf_kinds() -> dict[str, bytes]:
    """Every kind of PDF, by name."""
    varied = varied_pdf()
    seed_like = agenda_pdf(
        "# Day 1 – 11.03.2015\n\n| Zeit | Thema |\n|---|---|\n| 9:00 | Talks |\n\n**10:00 – 11:00 Panel**  \nA, B\n",
        header=("Header line",),
        footer=("Footer line",),
    )
    return {
        "varied.pdf": varied,
        "varied-rotated.pdf": boxed(varied, rotate=90),
        "varied-rotated-180.pdf": boxed(varied, rotate=180),
        "varied-rotated-270.pdf": boxed(varied, rotate=270),
        "varied-cropped.pdf": boxed(varied, crop=True),
        "varied-shifted.pdf": boxed(varied, shift=(36.5, 72.25)),
        "varied-shifted-back.pdf": boxed(varied, shift=(-20, -30)),
        "varied-all.pdf": boxed(varied, rotate=90, crop=True, shift=(15, 25)),
        "seed-like.pdf": seed_like,
        "seed-like-rotated-shifted.pdf": boxed(seed_like, rotate=270, crop=True, shift=(10, 10)),
        "form.pdf": form_xobject_pdf(),
        "string-font.pdf": string_font_name_pdf(),
        "helvetica.pdf": text_pdf([LATIN, *LINES, "", "14:00 Close (c) \\ end"]),
    }
