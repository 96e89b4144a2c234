"""Web pages (and HTML written inside Markdown) -> numbered Markdown lines for the text reader.

Parsed with BeautifulSoup and Python's own HTML parser (which keeps each element's line in the file, so warnings
point at the page's source). Headings stay headings, tables stay tables (one pipe row per ``<tr>``, cells spanning
rows repeated on each row they span), lists become bullets, bold stays bold; navigation, site headers and footers,
scripts, styles and forms are left out.
"""

from __future__ import annotations

import re
from typing import Any

from .. import regexcache

__all__ = ["looks_like_html", "has_html_blocks", "html_lines", "markdown_lines"]

_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
    "textarea",
    "input",
    "head",
    "nav",
    "aside",
    "form",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "center",
    "address",
    "details",
    "summary",
    "hr",
    "tr",
    "header",
    "footer",
    "body",
    "html",
    "hgroup",
    "caption",
    "fieldset",
    "legend",
    "tbody",
    "thead",
    "tfoot",
}
_FURNITURE = regexcache.compile(
    r"(?i)(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|sidebar|cookies?|footer|social|share|skip-link|"
    r"site-header|masthead|banner)(?:$|[\s_-])"
)
_HTML_START = regexcache.compile(
    r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I | re.S
)
# HTML blocks inside Markdown that are converted whole; other tags (a <div> around Markdown) are only dropped
_BLOCK_START = regexcache.compile(r"^\s*<(table|ul|ol|dl)\b[^>]*>?", re.I)
_ANY_TAG = regexcache.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?/?>")
_HEADING_TAG = regexcache.compile(r"^\s*<h([1-6])\b[^>]*>(.*?)</h\1\s*>\s*$", re.I)


def looks_like_html(text: str, name: str) -> bool:
    """A saved web page: by its name or its first tags."""
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_START.match(text[:2000]))


def has_html_blocks(text: str) -> bool:
    """Markdown with HTML in it (a ``<table>`` pasted into a README, ``<br>``, ``<div>`` wrappers)."""
    return "<" in text and bool(_ANY_TAG.search(text))


def html_lines(text: str) -> list[tuple[int, str]]:
    """A whole web page as (line in the file, Markdown line) pairs."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    root = soup.find("main") or soup.find(role="main") or soup.find("article") or soup
    writer = _Writer()
    title = soup.find("title")
    if title is not None and title.get_text(strip=True) and root.find("h1") is None:
        writer.add(title.sourceline or 1, "# " + " ".join(title.get_text().split()))
    writer.walk(root, 1)
    writer.flush()
    return writer.lines


def markdown_lines(text: str) -> list[tuple[int, str]]:
    """Markdown whose HTML blocks (``<table>``, ``<div>``, …) are turned into Markdown lines, numbered as in the file.

    Lines outside the HTML blocks keep their text, with inline tags (``<b>``, ``<br>``, ``<a>``) turned into
    Markdown or dropped."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(raw):
        m = _BLOCK_START.match(raw[i])
        if not m:
            out.append((i + 1, _inline(raw[i])))
            i += 1
            continue
        end = _block_end(raw, i, m.group(1).lower())
        segment = "\n".join(raw[i : end + 1])
        converted = _fragment_lines(segment, offset=i)
        out.extend(converted or [(i + 1, "")])
        i = end + 1
    return out


def _block_end(raw: list[str], start: int, tag: str) -> int:
    """The line where the HTML block opened at ``start`` closes (nesting of the same tag counted)."""
    depth = 0
    opening, closing = re.compile(rf"<{tag}\b", re.I), re.compile(rf"</{tag}\s*>", re.I)
    for k in range(start, len(raw)):
        depth += len(opening.findall(raw[k])) - len(closing.findall(raw[k]))
        if depth <= 0 and k >= start:
            return k
        if k > start and not raw[k].strip() and tag in ("p",):
            return k - 1
    return len(raw) - 1


def _fragment_lines(segment: str, offset: int) -> list[tuple[int, str]]:
    from bs4 import BeautifulSoup

    writer = _Writer(offset)
    writer.walk(BeautifulSoup(segment, "html.parser"), offset + 1)
    writer.flush()
    return writer.lines


def _inline(line: str) -> str:
    """HTML in a Markdown line: headings and list items as Markdown, bold kept, other tags dropped."""
    if "<" not in line:
        return line
    heading = _HEADING_TAG.match(line)
    if heading:
        return "#" * int(heading.group(1)) + " " + _inline(heading.group(2))

    def tag(m: re.Match[str]) -> str:
        name = m.group(2).lower()
        if name in ("b", "strong"):
            return "**"
        if name == "li" and not m.group(1):
            return "- "
        return " " if name in ("br", "td", "th", "p", "div") else ""

    return html_unescape(_ANY_TAG.sub(tag, line))


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text) if "&" in text else text


class _Writer:
    """Collects Markdown lines from a walk over the HTML tree."""

    def __init__(self, offset: int = 0) -> None:
        self.offset = offset
        self.lines: list[tuple[int, str]] = []
        self.buffer: list[str] = []
        self.line: int | None = None
        self.prefix = ""

    def add(self, line: int, text: str) -> None:
        self.lines.append((line, text))

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        text = re.sub(r"\*\*\s*\*\*", " ", text).strip()
        if text and text not in ("**",):
            self.lines.append((self.line or 1, self.prefix + text))
        self.buffer, self.line, self.prefix = [], None, ""

    def text(self, value: str, line: int) -> None:
        if not value.strip() and not self.buffer:
            return
        if self.line is None:
            self.line = line
        self.buffer.append(value)

    def walk(self, node: Any, line: int) -> None:
        from bs4.element import Comment, NavigableString, Tag

        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a doctype, CDATA or processing instruction
                    self.text(str(child), line)
                    line += str(child).count("\n") if not self.buffer else 0
                continue
            if not isinstance(child, Tag):
                continue
            here = (child.sourceline + self.offset) if child.sourceline else line
            self.element(child, here)

    def element(self, tag: Any, line: int) -> None:
        name = tag.name.lower()
        if name in _SKIP or _furniture(tag):
            return
        if name == "br":
            self.flush()
            return
        if re.fullmatch(r"h[1-6]", name):
            self.flush()
            text = _cell_text(tag, self.offset)
            if text:
                self.add(line, "#" * int(name[1]) + " " + text)
            return
        if name == "table":
            self.flush()
            if _layout_table(tag):
                self.walk(tag, line)  # a table used to lay out blocks (lists in cells): its cells as lines
            else:
                self.lines.extend(_table_lines(tag, line, self.offset))
            return
        if name == "li":
            self.flush()
            self.prefix = "- "
            self.walk(tag, line)
            self.flush()
            return
        if name in ("b", "strong", "em", "i"):
            marker = "**" if name in ("b", "strong") else "*"
            if self.buffer and self.buffer[-1].endswith("*"):
                self.text(" ", line)  # <b>A</b><i>B</i>: "**A** *B*", never "**A***B*", which no reader unpicks
            self.text(marker, line)
            self.walk(tag, line)
            self.text(marker, line)
            return
        if name == "a":
            self.walk(tag, line)
            href = tag.get("href") or ""
            if href.startswith(("http://", "https://")) and href not in tag.get_text():
                self.text(f" <{href}> ", line)  # the address stays for the join link, without becoming the title
            return
        if name in _BLOCK or name in ("td", "th", "dt", "dd"):
            self.flush()
            self.walk(tag, line)
            self.flush()
            if name == "tr":
                self.add(line, "")  # a layout table's row is a paragraph of its own: its time and its title together
            return
        self.walk(tag, line)


def _furniture(tag: Any) -> bool:
    """Site navigation, banners and footers: by their role, or a class or id that names them."""
    if tag.name in ("header", "footer") and tag.find_parent(["article", "main", "section", "td"]) is None:
        return True
    role = (tag.get("role") or "").lower()
    if role in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return True
    if tag.name in ("div", "ul", "section", "header", "footer", "span"):
        names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
        return bool(_FURNITURE.search(names))
    return False


def _layout_table(table: Any) -> bool:
    """A table whose cells hold lists or several paragraphs lays out blocks rather than holding rows of data."""
    for cell in table.find_all(["td", "th"]):
        if cell.find_parent("table") is not table:
            continue
        if cell.find(["ul", "ol", "table"]) is not None or len(cell.find_all(["p", "div"], recursive=False)) >= 2:
            return True
    return False


def _cell_text(tag: Any, offset: int) -> str:
    """The text of a cell or heading on one line; its own line breaks and paragraphs become " – "."""
    writer = _Writer(offset)
    writer.walk(tag, 1)
    writer.flush()
    parts = [text.removeprefix("- ") for _, text in writer.lines if text]
    joined = ""
    for part in parts:  # "13:00–<br>19:30": a range broken over two lines is one range again
        joined += ("" if not joined else " " if joined.rstrip().endswith(("–", "-", "—")) else " – ") + part
    return joined


def _table_lines(table: Any, line: int, offset: int) -> list[tuple[int, str]]:
    """One pipe row per ``<tr>``; a cell that spans rows is repeated on each, so every row has its time and day."""
    out: list[tuple[int, str]] = []
    carry: dict[int, list[Any]] = {}  # column -> [rows still to fill, text]
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    header_written = False
    for tr in rows:
        cells: list[str] = []
        col = 0
        header = tr.find_parent("thead") is not None
        tags = tr.find_all(["td", "th"], recursive=False)
        for cell in tags:
            while col in carry:
                cells.append(_take(carry, col))
                col += 1
            text = _cell_text(cell, offset).replace("|", "/")
            span = _int(cell.get("rowspan"))
            if span > 1:
                carry[col] = [span - 1, text]
            cells.append(text)
            col += 1
            for _ in range(_int(cell.get("colspan")) - 1):
                cells.append("")
                col += 1
        while col in carry:
            cells.append(_take(carry, col))
            col += 1
        if not any(c.strip() for c in cells):
            continue
        row_line = (tr.sourceline + offset) if tr.sourceline else line
        header = header or (not header_written and not out and all(c.name == "th" for c in tags) and len(tags) > 1)
        out.append((row_line, "| " + " | ".join(cells) + " |"))
        if header and not header_written:
            out.append((row_line, "|" + "---|" * len(cells)))
            header_written = True
    return out


def _take(carry: dict[int, list[Any]], col: int) -> str:
    left, text = carry[col]
    if left <= 1:
        del carry[col]
    else:
        carry[col][0] = left - 1
    return str(text)


def _int(value: Any) -> int:
    try:
        return max(1, min(int(str(value).strip()), 100))
    except (TypeError, ValueError):
        return 1
