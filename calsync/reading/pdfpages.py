"""A PDF's pages as laid out -> Markdown: lines by baseline, running headers and footers dropped, headings by font
size, paragraphs by line pitch, ruled tables as pipe tables.

Pure layout over what pdfplumber found (``RawPage``: words with font and size, ruled tables): no PDF library is
imported here, so the rules can be read and tested apart from the file format (``documents.py`` opens the file).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .vocabulary import PAGE, PAGE_ABBREVIATIONS, PAGE_OF, alternation

__all__ = ["RawPage", "page_content", "pdf_markdown", "table_lines", "tidy"]

# A line that is only a page number: "2", "Page 2", "Seite 2 von 3", "2 / 3", "- 2 -", "p. 2", "[2]".
PAGE_NUMBER = re.compile(
    rf"""
    ^\W*(?:(?:{alternation(PAGE, PAGE_ABBREVIATIONS)})\s*)?\d{{1,4}}    # "2", "Page 2", "Seite 2", "p. 2"
    (?:\s*(?:/|{alternation(PAGE_OF)})\s*\d{{1,4}})?\W*$   # "of 3", "von 3", "/ 3"
    """,
    re.I | re.X,
)
TIME_OF_DAY = re.compile(r"\d{1,2}\s*[:.hH]\s*\d{2}")
STARTS_WITH_TIME = re.compile(r"^\W{0,3}\d{1,2}\s*[:.hH]\s*\d{2}")
NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|extrabold|,b\b|-b\b", re.IGNORECASE)
EDGE_LINES = 4  # how many lines at the top and bottom of a page can be header or footer


@dataclass
class _Line:
    """One printed line of a PDF page, with what layout tells about it."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    first_word_width: float
    page: int


@dataclass
class _Table:
    """A ruled table found on a PDF page: its rows of cell texts."""

    rows: list[list[str]]
    top: float
    bottom: float
    page: int


@dataclass
class RawPage:
    """What pdfplumber gives for one page: words with font and size, ruled tables (bbox, cells), page width."""

    words: list[dict[str, Any]]
    tables: list[tuple[tuple[float, float, float, float], list[list[str | None]]]]
    width: float


@dataclass
class _Page:
    """What one PDF page holds: lines outside tables, ruled tables, and how much text it has in each font size."""

    lines: list[_Line]
    tables: list[_Table]
    sizes: Counter[float]
    width: float


@dataclass
class _Paragraph:
    """Consecutive lines that belong together; ``lines`` are logical lines (soft wraps already joined)."""

    level: int  # 0 = body text, 1..4 = heading
    lines: list[str] = field(default_factory=list)
    bold: list[bool] = field(default_factory=list)


def page_content(raw: RawPage, number: int) -> _Page:
    """The lines (outside tables) and ruled tables of one page."""
    tables: list[_Table] = []
    boxes: list[tuple[float, float, float, float]] = []
    for (x0, top, x1, bottom), cells in raw.tables:
        rows = [[" ".join((cell or "").split()) for cell in row] for row in cells]
        rows = [row for row in rows if any(row)]
        if rows:
            boxes.append((x0, top, x1, bottom))
            tables.append(_Table(rows=rows, top=top, bottom=bottom, page=number))
    sizes: Counter[float] = Counter()
    for w in raw.words:
        sizes[_size(w["size"])] += len(w["text"])
    words = [w for w in raw.words if not _inside(w, boxes)]
    return _Page(_lines(words, number), tables, sizes, raw.width)


def _size(size: float) -> float:
    """Font sizes to the half point, so 9.96 and 10.0 count as one size."""
    return round(size * 2) / 2


def _inside(word: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _lines(words: list[dict[str, Any]], page: int) -> list[_Line]:
    """Group words into printed lines by their baseline, each line read left to right."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"], 1), w["x0"])):
        # Words of different sizes on one line share the baseline (bottom), not the top.
        if rows and abs(word["bottom"] - rows[-1][0]["bottom"]) <= max(2.0, 0.3 * word["size"]):
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        sizes: Counter[float] = Counter()
        for w in row:
            sizes[_size(w["size"])] += len(w["text"])
        letters = [w for w in row if any(ch.isalnum() for ch in w["text"])] or row
        lines.append(
            _Line(
                text=" ".join(w["text"] for w in row),
                top=min(w["top"] for w in row),
                bottom=max(w["bottom"] for w in row),
                x0=row[0]["x0"],
                x1=row[-1]["x1"],
                size=sizes.most_common(1)[0][0],
                bold=all(BOLD_FONT.search(_font_name(w["fontname"])) for w in letters),
                first_word_width=row[0]["x1"] - row[0]["x0"],
                page=page,
            )
        )
    return lines


def _font_name(fontname: str) -> str:
    """The font name without the subset tag ("ABCDEF+Arial-BoldMT" -> "Arial-BoldMT")."""
    return fontname.split("+", 1)[1] if "+" in fontname[:7] else fontname


def _drop_headers_footers(pages: list[_Page], body_size: float) -> list[list[_Line]]:
    """Each page's lines without running headers, footers and page numbers."""
    running = _running_lines(pages, body_size)
    kept = []
    for page in pages:
        edges = {id(line) for line in _edges(page.lines)}
        kept.append(
            [
                line
                for line in page.lines
                if id(line) not in edges or not (id(line) in running or PAGE_NUMBER.match(line.text))
            ]
        )
    return kept


def _running_lines(pages: list[_Page], body_size: float) -> set[int]:
    """The ids of edge lines that recur on most pages: the same text, or the same text with the page number."""
    needed = max(2, math.ceil(len(pages) / 2))
    # pattern (text with digits blotted out) -> [(page index, numbers in the line, line)]
    seen: dict[str, list[tuple[int, tuple[int, ...], _Line]]] = {}
    for index, page in enumerate(pages):
        for line in _edges(page.lines):
            text = " ".join(line.text.lower().split())
            pattern = re.sub(r"\d+", "#", text)
            numbers = tuple(int(n) for n in re.findall(r"\d+", text))
            seen.setdefault(pattern, []).append((index, numbers, line))
    running: set[int] = set()
    for entries in seen.values():
        on_pages = len({index for index, _, _ in entries})
        if on_pages < needed:
            continue
        lines = [line for _, _, line in entries]
        if TIME_OF_DAY.search(lines[0].text) and not (
            on_pages == len(pages) and all(line.size < body_size for line in lines)
        ):
            # A line with a time of day is agenda content ("17:00 – 17:30 Closing" ending each day's page) unless
            # it is printed on every page in smaller type than the body, as running headers are.
            continue
        if len({numbers for _, numbers, _ in entries}) > 1:
            # Text that differs only in its numbers is a running header only when one number follows the page
            # number ("Page 2", "2 / 3"); "Day 1" / "Day 2" headings or dates at the top of each page are content.
            if (
                not _follows_pages(entries)
                or NUMERIC_DATE.search(lines[0].text)
                or any(line.bold or line.size > body_size for line in lines)
            ):
                continue
        running.update(id(line) for line in lines)
    return running


def _follows_pages(entries: list[tuple[int, tuple[int, ...], _Line]]) -> bool:
    """Whether, of the numbers in recurring lines, one goes up with the page and the others stay the same."""
    if len({len(numbers) for _, numbers, _ in entries}) != 1:
        return False
    varying = 0
    for position in range(len(entries[0][1])):
        values = {numbers[position] for _, numbers, _ in entries}
        offsets = {numbers[position] - index for index, numbers, _ in entries}
        if len(values) > 1:
            varying += 1
            if len(offsets) > 1:
                return False
    return varying == 1


def _edges(lines: list[_Line]) -> list[_Line]:
    if len(lines) <= 2 * EDGE_LINES:
        return lines
    return lines[:EDGE_LINES] + lines[-EDGE_LINES:]


def pdf_markdown(pages: list[_Page]) -> str:
    """Assemble paragraphs, headings and tables from the pages' lines."""
    body_size = _body_size(pages)
    kept = _drop_headers_footers(pages, body_size)
    all_lines = [line for lines in kept for line in lines]
    levels = _heading_levels(all_lines, body_size)
    right = _right_margin(pages, all_lines, body_size)
    pitch = _line_pitch(all_lines, body_size, right)
    out: list[str] = []
    paragraph: _Paragraph | None = None
    previous: _Line | None = None
    table_rows: list[list[str]] | None = None  # the table being written, so one split by a page break continues

    def close_paragraph() -> None:
        nonlocal paragraph
        if paragraph is not None:
            out.extend(_paragraph_lines(paragraph))
            out.append("")
            paragraph = None

    for page, page_lines in zip(pages, kept, strict=False):
        items: list[tuple[float, _Line | _Table]] = [(line.top, line) for line in page_lines]
        items += [(table.top, table) for table in page.tables]
        items.sort(key=lambda item: item[0])
        for index, (_, item) in enumerate(items):
            if isinstance(item, _Table):
                close_paragraph()
                if index == 0 and table_rows is not None and len(table_rows[0]) == len(item.rows[0]):
                    # The same table running on after a page break: no second header row.
                    if out and out[-1] == "":
                        out.pop()
                    rows = item.rows[1:] if item.rows[0] == table_rows[0] else item.rows  # repeated header row
                    out.extend(_pipe_row(row) for row in rows)
                    out.append("")
                else:
                    out.extend(table_lines(item.rows))
                    out.append("")
                    table_rows = item.rows
                previous = None
                continue
            line = item
            level = levels.get(line.size, 0)
            table_rows = None
            if (
                paragraph is not None
                and previous is not None
                and _same_paragraph(previous, line, level, paragraph, pitch, right)
            ):
                if previous.bold == line.bold and _soft_wrap(previous, line, right):
                    joiner = "" if re.search(r"\w-$", paragraph.lines[-1]) else " "
                    paragraph.lines[-1] += joiner + line.text
                else:
                    paragraph.lines.append(line.text)
                    paragraph.bold.append(line.bold)
            else:
                close_paragraph()
                paragraph = _Paragraph(level=level, lines=[line.text], bold=[line.bold])
            previous = line
    close_paragraph()
    return tidy(out)


def _right_margin(pages: list[_Page], lines: list[_Line], body_size: float) -> float:
    """Where body lines wrap: the rightmost body text, or the left margin mirrored when no line fills the width.

    Judged over the whole document, so a page (or an agenda) of short lines does not look "full" and have its
    lines run together.
    """
    body = [line for line in lines if line.size == body_size] or lines
    if not body:
        return 0.0
    widest = max(line.x1 for line in body)
    width = sorted(page.width for page in pages)[len(pages) // 2]
    return max(widest, width - min(line.x0 for line in body))


def _body_size(pages: list[_Page]) -> float:
    """The size most of the text is set in, table text included (an agenda may be mostly one table)."""
    sizes: Counter[float] = Counter()
    for page in pages:
        sizes.update(page.sizes)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _heading_levels(lines: list[_Line], body_size: float) -> dict[float, int]:
    """Font sizes clearly above the body size, largest first, as heading levels 1..4."""
    bigger = sorted(
        {line.size for line in lines if line.size >= body_size * 1.1 and line.size - body_size >= 1.0}, reverse=True
    )
    return {size: min(rank, 4) for rank, size in enumerate(bigger, start=1)}


def _line_pitch(lines: list[_Line], body_size: float, right: float) -> float:
    """The distance from one line of a paragraph to the next, as a multiple of the font size.

    Measured after lines that ran into the right margin (those surely go on in the same paragraph); without any,
    the smaller steps between body lines, since gaps between paragraphs are the larger ones.
    """
    wrapped: Counter[float] = Counter()
    steps: list[float] = []
    for a, b in zip(lines, lines[1:], strict=False):
        if a.page == b.page and a.size == b.size == body_size and 0 < b.top - a.top < 3 * body_size:
            step = round((b.top - a.top) / body_size, 1)
            steps.append(step)
            if _soft_wrap(a, b, right):
                wrapped[step] += 1
    if wrapped:
        return wrapped.most_common(1)[0][0]
    return sorted(steps)[len(steps) // 4] if steps else 1.2


def _same_paragraph(
    previous: _Line, line: _Line, level: int, paragraph: _Paragraph, pitch: float, right: float
) -> bool:
    if level != paragraph.level:
        return False
    if previous.page != line.page:
        # Across a page break only text that ran into the right margin goes on in the same paragraph.
        return previous.bold == line.bold and _soft_wrap(previous, line, right)
    step = line.top - previous.top
    return 0 < step <= pitch * max(line.size, previous.size) * 1.25 + 1.0


def _soft_wrap(previous: _Line, line: _Line, right: float) -> bool:
    """Whether ``line`` continues ``previous``: its first word would not have fitted at the end of ``previous``."""
    if STARTS_WITH_TIME.match(line.text):
        return False  # a line starting with a time is the next agenda item, whatever the layout suggests
    space = 0.3 * previous.size
    return previous.x1 + space + line.first_word_width > right - 1.0


def _paragraph_lines(paragraph: _Paragraph) -> list[str]:
    if paragraph.level:
        return ["#" * paragraph.level + " " + " ".join(paragraph.lines)]
    return [f"**{text}**" if bold else text for text, bold in zip(paragraph.lines, paragraph.bold, strict=False)]


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def table_lines(rows: list[list[str]]) -> list[str]:
    """A Markdown pipe table; a one-column table is just paragraphs (Word uses those for layout)."""
    width = max(len(row) for row in rows)
    if width == 1:
        paragraphs: list[str] = []
        for row in rows:
            paragraphs += [row[0], ""]
        return paragraphs[:-1]
    rows = [row + [""] * (width - len(row)) for row in rows]
    return [_pipe_row(rows[0]), "|" + "---|" * width] + [_pipe_row(row) for row in rows[1:]]


def tidy(out: list[str]) -> str:
    """Join lines with at most one blank line between paragraphs."""
    text = "\n".join(line.rstrip() for line in out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
