"""Build PDF and Word agendas at test time from the Markdown agendas, so tests need no binary fixtures."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
HEADING_SIZES = {1: 20.0, 2: 16.0, 3: 13.0, 4: 11.5}
BODY_SIZE = 10.0


@dataclass
class Part:
    """One piece of a Markdown agenda: a heading, a paragraph (lines with hard breaks) or a table."""

    kind: str  # "heading" | "para" | "table"
    level: int = 0
    lines: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _inline(text: str) -> str:
    """Markdown links to their text and escaped underscores to plain ones; ``**`` stays for bold runs."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.replace("\\\\_", "_").replace("\\_", "_")


def markdown_parts(markdown: str) -> list[Part]:
    """Split a Markdown agenda into parts; a line not ending in two spaces ends its paragraph."""
    markdown = re.sub(r"<!--.*?-->", "", markdown, flags=re.S)
    parts: list[Part] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            parts.append(Part("para", lines=list(para)))
            para.clear()

    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            flush()
            parts.append(Part("heading", level=len(heading.group(1)), lines=[_inline(heading.group(2))]))
        elif line.lstrip().startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue
            if not parts or parts[-1].kind != "table":
                parts.append(Part("table"))
            parts[-1].rows.append([_inline(c) for c in cells])
        else:
            para.append(_inline(line.strip()))
            if not raw.endswith("  "):
                flush()
    flush()
    return parts


def _font_paths() -> tuple[Path, Path]:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        import os

        import pytest

        if os.environ.get("CI"):  # .ci/run installs them: in CI a missing font is a failure, not a silent skip
            pytest.fail("DejaVu fonts not installed (apt-get install fonts-dejavu-core)")
        pytest.skip("DejaVu fonts not installed (apt-get install fonts-dejavu-core)")
    return regular, bold


def agenda_pdf(
    markdown: str,
    *,
    header: tuple[str, ...] = (),
    footer: tuple[str, ...] = (),
    page_numbers: str | None = "Page {n}",
    break_before: tuple[str, ...] = (),
    table_font_size: float = BODY_SIZE,
) -> bytes:
    """A PDF of the agenda: bigger headings, ``**bold**`` runs, tables, and header/footer lines on every page."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    regular, bold = _font_paths()

    class AgendaPDF(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", "", 8)
            for text in header:
                self.cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self) -> None:
            lines = list(footer)
            if page_numbers:
                lines.append(page_numbers.format(n=self.page_no(), nb="{nb}"))
            self.set_y(-10 - 4 * len(lines))
            self.set_font("DejaVu", "", 8)
            for text in lines:
                self.cell(0, 4, text, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf = AgendaPDF(format="A4")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    for part in markdown_parts(markdown):
        first = part.lines[0] if part.lines else (part.rows[0][0] if part.rows else "")
        if any(first.replace("**", "").startswith(b) for b in break_before):
            pdf.add_page()
        if part.kind == "heading":
            size = HEADING_SIZES.get(part.level, HEADING_SIZES[4])
            pdf.set_font("DejaVu", "B", size)
            pdf.multi_cell(0, size * 0.5, part.lines[0].replace("**", ""), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif part.kind == "para":
            pdf.set_font("DejaVu", "", BODY_SIZE)
            pdf.multi_cell(0, 5, "\n".join(part.lines), markdown=True, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        else:
            pdf.set_font("DejaVu", "", table_font_size)
            with pdf.table(col_widths=(1, 3), headings_style=FontFace(emphasis="")) as table:
                for row in part.rows:
                    r = table.row()
                    for cell in row:
                        r.cell(cell)
            pdf.ln(3)
    return bytes(pdf.output())


def agenda_docx(markdown: str, *, tables: bool = True) -> bytes:
    """A Word document of the agenda: Heading styles, bold runs, line breaks and real tables."""
    import docx

    doc = docx.Document()
    for part in markdown_parts(markdown):
        if part.kind == "heading":
            doc.add_heading(part.lines[0].replace("**", ""), level=min(part.level, 9))
        elif part.kind == "para":
            paragraph = doc.add_paragraph()
            bold = False
            for i, chunk in enumerate("\n".join(part.lines).split("**")):
                if i:
                    bold = not bold
                for j, piece in enumerate(chunk.split("\n")):
                    run = paragraph.add_run(piece)
                    run.bold = bold or None
                    if j < chunk.count("\n"):
                        run.add_break()
        elif tables:
            table = doc.add_table(rows=len(part.rows), cols=max(len(r) for r in part.rows))
            table.style = "Table Grid"
            for row, cells in zip(table.rows, part.rows, strict=False):
                for cell, text in zip(row.cells, cells, strict=False):
                    cell.text = text
        else:
            for cells in part.rows:
                doc.add_paragraph(" ".join(cells))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    """A 'scanned' page: one picture of text, no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).text((20, 80), "16:00 - 16:08 Welcome", fill="black")
    png = io.BytesIO()
    image.save(png, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(png.getvalue()), x=10, y=10, w=180)
    return bytes(pdf.output())


def encrypted_pdf(plain: bytes, password: str = "secret") -> bytes:
    """The same PDF, locked with a user password."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
