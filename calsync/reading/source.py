"""Open an agenda file, tell what kind it is by its content, and hand it to the right reader."""

from __future__ import annotations

import codecs
import json
import os
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import AgendaError, CalsyncError, InputFileError
from ..model import Agenda, Notice
from .options import ReadOptions

EXAMPLE_AGENDA = "alliance87-gcm8-2020-07-22.fr.md"
MAX_AGENDA_BYTES = 50 * 1024 * 1024


def example_bytes() -> bytes:
    return resources.files("calsync").joinpath("examples", EXAMPLE_AGENDA).read_bytes()


def read_agenda(path: str | os.PathLike[str] | None = None, options: ReadOptions | None = None) -> Agenda:
    """Read an agenda file (or the built-in example when ``path`` is None) into a checked :class:`Agenda`."""
    options = options or ReadOptions()
    if path is None:
        name, data = f"example:{EXAMPLE_AGENDA}", example_bytes()
    else:
        name = os.fspath(path)
        data = _read_bytes(Path(path))
    try:
        return read_agenda_bytes(data, name, options)
    except CalsyncError as e:
        raise e.located(name)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise InputFileError("is a folder, not an agenda file", file=path, hint="give the path of the agenda file itself")
        size = path.stat().st_size
        if size > MAX_AGENDA_BYTES:
            raise InputFileError(f"is {size // 1_048_576} MiB, too large for an agenda", file=path,
                                 hint="give the agenda itself rather than a whole document archive")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError("no such file", file=path, hint="check the path, or omit AGENDA to use the built-in example") from None
    except PermissionError:
        raise InputFileError("permission denied", file=path, hint="make the file readable") from None
    except OSError as e:
        raise InputFileError(f"cannot read: {e.strerror or e}", file=path) from None


def read_agenda_bytes(data: bytes, name: str, options: ReadOptions) -> Agenda:
    """Dispatch on content: PDF and Word documents, structured JSON/YAML, or text."""
    from .text import parse_text

    kind = sniff(data, name)
    if kind in ("pdf", "docx"):
        from .documents import document_text

        text = document_text(data, kind, name)
        try:
            agenda = parse_text(text, options, source=name)
        except CalsyncError as e:
            raise _in_extracted_text(e) from None
        # Line numbers count lines of the extracted text, not of the document: say so rather than point at nothing.
        return replace(agenda, warnings=tuple(
            Notice(f"{w.message} (line {w.line} of the text read from the document)" if w.line else w.message, None, w.code)
            for w in agenda.warnings
        ))
    if kind == "empty":
        raise AgendaError("the file is empty", file=name, hint="give an agenda with a date and times such as 16:00 – 16:30")
    text = decode(data, name, options.encoding)
    if kind == "structured" or _looks_structured(text):
        from .structured import parse_structured

        return parse_structured(text, options, source=name)
    from .html import html_lines, looks_like_html

    if looks_like_html(text, name):
        return parse_text(html_lines(text), options, source=name)  # line numbers are the page source's
    return parse_text(text, options, source=name)


def _in_extracted_text(error: CalsyncError) -> CalsyncError:
    if error.line:
        error.message = f"{error.message} (line {error.line} of the text read from the document)"
        error.line = None
        error.args = (error.sentence(),)
    return error


def sniff(data: bytes, name: str) -> str:
    """The kind of agenda file, judged by its first bytes rather than its name."""
    head = data[:8]
    if not data.strip():
        return "empty"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputFileError("is an old binary Word (.doc) or Office file", file=name,
                             hint="save it as .docx or PDF and try again")
    lowered = name.lower()
    if lowered.endswith((".json", ".yaml", ".yml")):
        return "structured"
    return "text"


def decode(data: bytes, name: str, encoding: str | None) -> str:
    """Text of a text agenda; UTF-8 (with or without BOM) and UTF-16 with BOM unless told otherwise."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputFileError(f"unknown encoding {encoding!r}", file=name, hint="use a name such as utf-8, cp1252 or latin-1") from None
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as e:
            raise InputFileError(f"is not valid {encoding} (byte {e.start})", file=name, hint="check --encoding") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096] or _binary_share(data[:4096]) > 0.1:
        raise InputFileError("looks like a binary file, not a text agenda", file=name,
                             hint="give a Markdown, text, PDF or .docx agenda")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputFileError(f"is not UTF-8 (undecodable byte 0x{data[e.start]:02x})", file=name, line=line,
                             hint="re-save it as UTF-8 or pass --encoding, e.g. --encoding cp1252") from None


def _binary_share(chunk: bytes) -> float:
    if not chunk:
        return 0.0
    controls = sum(1 for b in chunk if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(chunk)


def _looks_structured(text: str) -> bool:
    """JSON from ``calsync parse`` (or its YAML) even when saved under another name."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            return isinstance(json.loads(stripped), dict)
        except ValueError:
            return False
    return stripped.startswith("calsync: 1")


def structured_load(text: str, source: str) -> Any:
    """JSON or YAML text as plain data, with the parser's complaint as one line."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise AgendaError(f"invalid JSON: {e.msg}", file=source, line=e.lineno,
                              hint="fix the JSON or regenerate it with 'calsync parse'") from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise AgendaError(f"invalid YAML: {getattr(e, 'problem', None) or e}", file=source,
                          line=(mark.line + 1) if mark else None,
                          hint="fix the YAML or regenerate it with 'calsync parse --format yaml'") from None
