"""PDF and Word agendas: text extraction, headers/footers, tables, errors, and the same blocks as the text agendas.

Every document is built at test time (fpdf2, python-docx) from the Markdown agendas, so no binary fixtures.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fpdf")
pytest.importorskip("docx")
pytest.importorskip("pdfplumber")
pytest.importorskip("pypdf")

from documents_builder import agenda_docx, agenda_pdf, encrypted_pdf, image_only_pdf  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from calsync.errors import InputFileError, MissingExtraError  # noqa: E402
from calsync.reading import ReadOptions, read_agenda  # noqa: E402
from calsync.reading.documents import document_text  # noqa: E402
from calsync.reading.source import sniff  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SEED = ROOT / "calsync" / "examples" / "alliance87-gcm8-2020-07-22.fr.md"
SEED_HEADER = ("www.Alliance87.org", "@Alliance8_7")
SEED_FOOTER = ("#Achieve87",)
# The real agendas name no zone (GEBF, Grüne) or no date (Grüne): what the user would pass on the command line.
REAL = {
    "02-virtual-cosac-2020": ReadOptions(),
    "18-gebf-2015-tagungsprogramm": ReadOptions(meeting_tz="Europe/Berlin"),
    "20-gruene-kiefersfelden-wahlprogramm-workshop": ReadOptions(meeting_tz="Europe/Berlin", date=date(2019, 10, 12)),
}

needs_text_reader = pytest.mark.skipif(
    importlib.util.find_spec("calsync.reading.text") is None,
    reason="the text reader (calsync/reading/text.py) is not there yet",
)


@functools.cache
def seed_pdf(page_numbers: str = "Page {n}") -> bytes:
    # A page break before "Chili" puts the names of block IV on two pages, with a header and footer between them.
    return agenda_pdf(
        SEED.read_text(encoding="utf-8"),
        header=SEED_HEADER,
        footer=SEED_FOOTER,
        page_numbers=page_numbers,
        break_before=("Chili",),
    )


@pytest.fixture(scope="module")
def seed_pdf_text() -> str:
    return document_text(seed_pdf(), "pdf", "seed.pdf")


@pytest.fixture(scope="module")
def seed_docx_text() -> str:
    return document_text(agenda_docx(SEED.read_text(encoding="utf-8")), "docx", "seed.docx")


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def between(text: str, first: str, last: str) -> list[str]:
    """The non-blank lines after the line starting with ``first`` and before the one starting with ``last``."""
    lines = lines_of(text)
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith(last))
    return lines[start + 1 : end]


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def blocks(agenda: Any) -> list[tuple[Any, ...]]:
    return [(b.number, b.title, b.start, b.end, b.names) for b in agenda.blocks]


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def has_command(name: str) -> bool:
    from calsync.cli import app

    return any((c.name or (c.callback.__name__ if c.callback else None)) == name for c in app.registered_commands)


# --- PDF text ---------------------------------------------------------------------------------------------------------


def test_seed_pdf_spans_pages_with_header_and_footer_on_each() -> None:
    pdf = seed_pdf()
    assert page_count(pdf) >= 2
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            text = page.extract_text()
            assert "www.Alliance87.org" in text and "#Achieve87" in text and f"Page {page.page_number}" in text


def test_pdf_headings_from_font_sizes(seed_pdf_text: str) -> None:
    lines = lines_of(seed_pdf_text)
    assert "# 8e réunion du groupe de coordination mondiale de l'Alliance 8.7" in lines
    assert "## Ordre du jour de la 8e réunion du groupe de coordination mondiale" in lines
    assert "## Agenda" in lines
    assert "### Contexte et objectif" in lines
    assert "#### 16h00 – 16h08 I. Accueil par la présidence (8 min)" in lines
    # A heading that wrapped onto a second printed line is one heading line.
    assert "#### 16h08 – 16h15 II. Mise à jour sur la stratégie des pays pionniers (Secrétariat) (7 min)" in lines


def test_pdf_bold_lines_and_names(seed_pdf_text: str) -> None:
    lines = lines_of(seed_pdf_text)
    assert "**16h15 – 16h50 III. Mobilisation des nouveaux pays pionniers (35 min)**" in lines
    assert "**17h55 – 18h00 VI. Remarques finales et prochaines étapes (Présidence) - 5 min.**" in lines
    names = between(seed_pdf_text, "**16h15 – 16h50 III.", "**16h50 – 17h00 IV.")[1:]
    assert names == [
        "**Guatemala**",
        "**Honduras**",
        "**Côte d'Ivoire**",
        "**Ghana**",
        "**Costa Rica**",
        "**Cameroun**",
    ]


def test_pdf_line_breaks_kept_and_soft_wraps_joined(seed_pdf_text: str) -> None:
    lines = lines_of(seed_pdf_text)
    assert between(seed_pdf_text, "## Agenda", "### Contexte") == [
        "Date: 22 juillet 2020",
        "Time: 16:00 – 18:00 (CET)",
        "Location: Zoom, lien pour participer à confirmer.",
    ]
    context = next(line for line in lines if line.startswith("Lors de sa 6e réunion"))
    assert context.endswith("ainsi que des mesures de mise en œuvre et de suivi efficaces.")
    # Paragraphs are separated by blank lines.
    assert "\n\n**Guatemala**\n\n**Honduras**\n\n" in seed_pdf_text


@pytest.mark.parametrize("page_numbers", ["Page {n}", "{n} / {nb}", "- {n} -", "Page {n} of {nb}", "{n}"])
def test_pdf_page_headers_footers_and_numbers_removed(page_numbers: str) -> None:
    text = document_text(seed_pdf(page_numbers), "pdf", "seed.pdf")
    lines = lines_of(text)
    assert lines[0] == "ALLIANCE"  # the page header above it is gone
    assert not [line for line in lines if re.fullmatch(r"(Page )?-? ?\d+ ?-?( / \d+| of \d+)?", line)]
    # The page break (with footer, page number and header) fell between Chili and the block's first names.
    assert between(text, "**16h50 – 17h00 IV.", "**17h00 – 17h30 V.")[1:] == ["**Chili**", "**Madagascar**"]
    # Only the body's own copies of the running lines are left: 2 of "www.Alliance87.org" in the agenda, 4+ printed.
    assert lines.count("www.Alliance87.org") <= 2
    assert lines.count("#Achieve87") <= 1


def test_pdf_paragraph_running_over_a_page_break_is_one_line() -> None:
    words = " ".join(f"mot{i}" for i in range(900))
    pdf = agenda_pdf(f"# Long\n\n{words}\n\nFin.\n", header=SEED_HEADER, footer=SEED_FOOTER)
    assert page_count(pdf) >= 2
    lines = lines_of(document_text(pdf, "pdf", "long.pdf"))
    assert lines == ["# Long", words, "Fin."]


def test_pdf_day_headings_and_repeated_rows_at_page_edges_are_content() -> None:
    # Each day on its own page, starting with "Day N – date" and ending with the same row: not headers or footers.
    day = "09:00 – 10:00 Talks\n\n17:00 – 17:30 Closing\n\n"
    markdown = f"Day 1 – 11.03.2015\n\n{day}Day 2 – 12.03.2015\n\n{day}Day 3 – 13.03.2015\n\n{day}"
    pdf = agenda_pdf(markdown, header=("Conference 2015",), break_before=("Day 2", "Day 3"))
    assert page_count(pdf) == 3
    lines = lines_of(document_text(pdf, "pdf", "days.pdf"))
    assert lines == [
        "Day 1 – 11.03.2015",
        "09:00 – 10:00 Talks",
        "17:00 – 17:30 Closing",
        "Day 2 – 12.03.2015",
        "09:00 – 10:00 Talks",
        "17:00 – 17:30 Closing",
        "Day 3 – 13.03.2015",
        "09:00 – 10:00 Talks",
        "17:00 – 17:30 Closing",
    ]


def test_pdf_ruled_table_as_pipe_table_continued_over_pages() -> None:
    markdown = (DATA / "18-gebf-2015-tagungsprogramm.md").read_text(encoding="utf-8")
    pdf = agenda_pdf(markdown, header=("GEBF 2015",), table_font_size=20)  # big print: tables split over pages
    assert page_count(pdf) >= 3
    text = document_text(pdf, "pdf", "gebf.pdf")
    lines = lines_of(text)
    assert lines.count("| Zeit | Veranstaltung |") == 3  # fpdf2 repeats it on each page; a continuation drops it
    assert lines.count("|---|---|") == 3
    assert "| 9:00 – 10:45 Uhr | Workshops der Haupttagung |" in lines
    assert "| 19:30 – open end | Gesellschaftsabend (mit Verleihung des Posterpreises) |" in lines
    rows = [line for line in lines if line.startswith("| ") and "Uhr" in line or "open end" in line]
    assert len(rows) == 25


# --- Word text --------------------------------------------------------------------------------------------------------


def test_docx_headings_bold_and_line_breaks(seed_docx_text: str) -> None:
    lines = lines_of(seed_docx_text)
    assert "# 8e réunion du groupe de coordination mondiale de l'Alliance 8.7" in lines
    assert "### Contexte et objectif" in lines
    assert "#### 16h00 – 16h08 I. Accueil par la présidence (8 min)" in lines
    assert "**16h15 – 16h50 III. Mobilisation des nouveaux pays pionniers (35 min)**" in lines
    assert between(seed_docx_text, "## Agenda", "### Contexte") == [
        "Date: 22 juillet 2020",
        "Time: 16:00 – 18:00 (CET)",
        "Location: Zoom, lien pour participer à confirmer.",
    ]
    # Only a line bold throughout is marked: "**Objectif:** ..." is partly bold.
    assert any(line.startswith("Objectif: Pour saluer") for line in lines)
    assert between(seed_docx_text, "**16h50 – 17h00 IV.", "**17h00 – 17h30 V.")[1:] == ["**Chili**", "**Madagascar**"]
    assert "[" not in seed_docx_text and "](" not in seed_docx_text


def test_docx_table_as_pipe_table() -> None:
    markdown = (DATA / "18-gebf-2015-tagungsprogramm.md").read_text(encoding="utf-8")
    text = document_text(agenda_docx(markdown), "docx", "gebf.docx")
    lines = lines_of(text)
    assert lines[:4] == ["# Tagungsprogramm", "## Mittwoch, 11.03.2015", "| Zeit | Veranstaltung |", "|---|---|"]
    assert lines[4] == "| 9:00 – 10:45 Uhr | Workshops der Haupttagung |"
    assert "## Donnerstag, 12.03.2015" in lines and "## Freitag, 13.03.2015" in lines
    assert lines[-1] == "| 17:30 – 19:00 Uhr | Abschlussveranstaltung |"
    assert sum(1 for line in lines if line.startswith("| ") and "Zeit" not in line) == 25


def test_docx_reads_paragraphs_and_tables_in_document_order() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Before the table")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(
        table.rows, [("10:00 – 11:00", "Opening | welcome"), ("11:00 – 12:00", "Talks")], strict=False
    ):
        for cell, value in zip(row.cells, cells, strict=False):
            cell.text = value
    document.add_paragraph("After the table")
    layout = document.add_table(rows=1, cols=1)  # a one-column layout table holds ordinary paragraphs
    layout.rows[0].cells[0].text = "Inside a layout table"
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines_of(document_text(buffer.getvalue(), "docx", "order.docx")) == [
        "Before the table",
        "| 10:00 – 11:00 | Opening \\| welcome |",
        "|---|---|",
        "| 11:00 – 12:00 | Talks |",
        "After the table",
        "Inside a layout table",
    ]


def test_docx_heading_in_a_style_named_in_another_language() -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    style = document.styles.add_style("Überschrift Programm", WD_STYLE_TYPE.PARAGRAPH)
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "1")
    style.element.get_or_add_pPr().append(level)
    document.add_paragraph("Mittwoch, 11.03.2015", style=style)
    document.add_paragraph("9:00 – 10:45 Uhr Workshops")
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines_of(document_text(buffer.getvalue(), "docx", "de.docx")) == [
        "## Mittwoch, 11.03.2015",
        "9:00 – 10:45 Uhr Workshops",
    ]


def test_docx_page_header_and_footer_stay_out() -> None:
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "www.Alliance87.org"
    section.footer.paragraphs[0].text = "#Achieve87 – Page 1"
    document.add_heading("Programme", level=0)
    document.add_paragraph("16h00 – 16h08 I. Accueil")
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines_of(document_text(buffer.getvalue(), "docx", "h.docx")) == ["# Programme", "16h00 – 16h08 I. Accueil"]


def test_document_without_text_is_an_agenda_error() -> None:
    from calsync.errors import AgendaError

    with pytest.raises(AgendaError, match="empty.docx: the document contains no text"):
        document_text(agenda_docx(""), "docx", "empty.docx")


# --- errors -----------------------------------------------------------------------------------------------------------


BROKEN = [
    ("scanned.pdf", "has no text layer (scanned?); run OCR or export the agenda as text"),
    ("locked.pdf", "is encrypted and needs a password"),
    ("cut.pdf", "is truncated or damaged"),
    ("cut-end.pdf", "is truncated"),
    ("archive.docx", "is a zip archive, not a Word document"),
    ("writer.docx", "is an OpenDocument (LibreOffice) file, not a Word document"),
    ("corrupt.docx", "is a damaged Word document"),
    ("cut.docx", "is a damaged or incomplete .docx/zip file"),
]


def broken_document(name: str) -> bytes:
    """A document named in BROKEN, built when the test runs."""
    if name == "scanned.pdf":
        return image_only_pdf()
    if name == "locked.pdf":
        return encrypted_pdf(seed_pdf())
    if name == "cut.pdf":
        return seed_pdf()[: len(seed_pdf()) // 2]
    if name == "cut-end.pdf":
        return seed_pdf()[:-40]
    if name == "archive.docx":
        return zip_bytes({"notes.txt": "hello"})
    if name == "writer.docx":
        return zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
    if name == "corrupt.docx":
        return zip_bytes({"[Content_Types].xml": "<oops", "word/document.xml": "<oops"})
    whole = agenda_docx("Hello")
    return whole[: len(whole) // 2]


@pytest.mark.parametrize("name,message", BROKEN)
def test_broken_documents_raise_one_clear_error(name: str, message: str) -> None:
    data, kind = broken_document(name), name.rsplit(".", 1)[1]
    assert sniff(data, name) == kind
    with pytest.raises(InputFileError) as caught:
        document_text(data, kind, name)
    sentence = caught.value.sentence()
    assert sentence.startswith(f"{name}: {message}")
    assert "\n" not in sentence and "; " in sentence  # one line, with a remedy


@pytest.mark.skipif(not has_command("parse"), reason="calsync parse is not there yet")
@pytest.mark.parametrize("name,message", BROKEN)
def test_cli_broken_documents(tmp_path: Path, name: str, message: str) -> None:
    from calsync.cli import app

    path = tmp_path / name
    path.write_bytes(broken_document(name))
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == InputFileError.exit_code, result.output
    assert "Traceback" not in result.output
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"calsync: error: {path}: {message}")
    assert result.stdout == ""


@pytest.mark.parametrize("module,kind", [("pdfplumber", "pdf"), ("docx", "docx")])
def test_missing_extra(monkeypatch: pytest.MonkeyPatch, module: str, kind: str) -> None:
    data = seed_pdf() if kind == "pdf" else agenda_docx("Hello")
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail as if it were not installed
    with pytest.raises(MissingExtraError) as caught:
        document_text(data, kind, f"agenda.{kind}")
    assert "pip install 'calsync[documents]'" in caught.value.sentence()
    assert caught.value.sentence().startswith(f"agenda.{kind}: reading ")


@pytest.mark.skipif(not has_command("parse"), reason="calsync parse is not there yet")
def test_cli_missing_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from calsync.cli import app

    path = tmp_path / "agenda.pdf"
    path.write_bytes(seed_pdf())
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == MissingExtraError.exit_code
    assert "pip install 'calsync[documents]'" in result.stderr


# --- the same blocks as the text agendas ------------------------------------------------------------------------------


@needs_text_reader
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_seed_document_gives_the_text_agendas_blocks(tmp_path: Path, kind: str, seed_agenda: Any) -> None:
    path = tmp_path / f"agenda.{kind}"
    path.write_bytes(seed_pdf() if kind == "pdf" else agenda_docx(SEED.read_text(encoding="utf-8")))
    from_document = read_agenda(path)
    from_text = read_agenda(SEED)
    assert blocks(from_document) == blocks(from_text)
    assert len(from_document.blocks) == 7
    assert [b.start for b in from_document.blocks] == [b.start for b in seed_agenda.blocks]
    assert from_document.timezone.zone == from_text.timezone.zone
    # The footer after the last block is not part of it.
    assert "Alliance" not in from_document.blocks[-1].description


@needs_text_reader
@pytest.mark.parametrize("name", sorted(REAL))
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_real_agenda_document_gives_the_text_agendas_blocks(tmp_path: Path, name: str, kind: str) -> None:
    markdown = (DATA / f"{name}.md").read_text(encoding="utf-8")
    path = tmp_path / f"{name}.{kind}"
    # The GEBF agenda becomes a DOCX with a real two-column table per day; the others become paragraphs.
    path.write_bytes(agenda_pdf(markdown, header=("Programme",)) if kind == "pdf" else agenda_docx(markdown))
    from_text = blocks(read_agenda(DATA / f"{name}.md", REAL[name]))
    assert from_text
    assert blocks(read_agenda(path, REAL[name])) == from_text


@needs_text_reader
def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "agenda.txt"
    path.write_bytes(seed_pdf())
    assert blocks(read_agenda(path)) == blocks(read_agenda(SEED))


@pytest.mark.skipif(not has_command("parse"), reason="calsync parse is not there yet")
def test_cli_parse_reads_a_docx_named_pdf(tmp_path: Path) -> None:
    from calsync.cli import app

    path = tmp_path / "agenda.pdf"  # the content decides, not the name
    path.write_bytes(agenda_docx(SEED.read_text(encoding="utf-8")))
    result = CliRunner().invoke(app, ["parse", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Mobilisation des nouveaux pays pionniers" in result.stdout and "Madagascar" in result.stdout


def ics_events(text: str) -> list[tuple[str, str, str]]:
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    return sorted(
        (str(e.get("SUMMARY")), e.decoded("DTSTART").isoformat(), e.decoded("DTEND").isoformat())
        for e in calendar.walk("VEVENT")
    )


@pytest.mark.skipif(not has_command("ics"), reason="calsync ics is not there yet")
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_cli_ics_from_seed_document_matches_text(tmp_path: Path, kind: str) -> None:
    from calsync.cli import app

    path = tmp_path / f"agenda.{kind}"
    path.write_bytes(seed_pdf() if kind == "pdf" else agenda_docx(SEED.read_text(encoding="utf-8")))
    runner = CliRunner()
    from_document = runner.invoke(app, ["ics", str(path), "--quiet"])
    from_text = runner.invoke(app, ["ics", str(SEED), "--quiet"])
    assert from_document.exit_code == 0, from_document.output
    assert from_text.exit_code == 0, from_text.output
    events = ics_events(from_document.stdout)
    assert len(events) == 7
    assert events == ics_events(from_text.stdout)


def test_warnings_from_a_document_say_their_line_is_in_the_extracted_text(tmp_path: Path) -> None:
    path = tmp_path / "seed.pdf"
    path.write_bytes(agenda_pdf(SEED.read_text(encoding="utf-8")))
    agenda = read_agenda(path)
    assert [w.code for w in agenda.warnings] == ["zone-label", "numbering"]
    assert all(w.line is None and "of the text read from the document" in w.message for w in agenda.warnings)
