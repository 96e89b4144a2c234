"""Open an agenda file, tell what kind it is by its content, and hand it to the right reader."""

from __future__ import annotations

import codecs
import os
from dataclasses import replace
from importlib import resources
from pathlib import Path

from ..errors import AgendaError, CalsyncError, InputFileError, UsageError
from ..limits import MAX_FILE_BYTES, MAX_TEXT_CHARS, LimitError, json_loads
from ..model import MAX_YEAR, MIN_YEAR, Agenda, Notice
from ..printable import agenda_text, shorten
from .options import ReadOptions

EXAMPLE_AGENDA = "alliance87-gcm8-2020-07-22.fr.md"
MAX_AGENDA_BYTES = MAX_FILE_BYTES
# Codecs Python calls text encodings that are not character sets: they decode host names or escape sequences, and
# can hand a reader lone surrogates. (rot13, zlib, base64 and the like are refused as not text encodings at all.)
NOT_CHARSETS = ("idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined")


def example_bytes() -> bytes:
    return resources.files("calsync").joinpath("examples", EXAMPLE_AGENDA).read_bytes()


def check_options(options: ReadOptions) -> None:
    """Refuse options no agenda can be read with, before any file is opened (usage errors, not the agenda's)."""
    # Dates near the ends of Python's calendar (0001-01-01, 9999-12-31) overflow as soon as a time zone moves them.
    if options.date is not None and not MIN_YEAR <= options.date.year <= MAX_YEAR:
        raise UsageError(
            f"--date {options.date.isoformat()} is outside the years calsync handles ({MIN_YEAR}–{MAX_YEAR})",
            hint="check the year of --date",
        )
    if options.encoding:
        _charset(options.encoding, None)


def read_agenda(path: str | os.PathLike[str] | None = None, options: ReadOptions | None = None) -> Agenda:
    """Read an agenda file (or the built-in example when ``path`` is None) into a checked :class:`Agenda`."""
    options = options or ReadOptions()
    check_options(options)
    if path is None:
        name, data = f"example:{EXAMPLE_AGENDA}", example_bytes()
    else:
        name = os.fspath(path)
        data = _read_bytes(Path(path))
    try:
        return read_agenda_bytes(data, name, options)
    except CalsyncError as e:
        e.located(name)
        raise


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise InputFileError(
                "is a folder, not an agenda file", file=path, hint="give the path of the agenda file itself"
            )
        size = path.stat().st_size
        if size > MAX_AGENDA_BYTES:
            raise InputFileError(
                f"is {size // 1_048_576} MiB, too large for an agenda",
                file=path,
                hint="give the agenda itself rather than a whole document archive",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(
            "no such file", file=path, hint="check the path, or omit AGENDA to use the built-in example"
        ) from None
    except PermissionError:
        raise InputFileError("permission denied", file=path, hint="make the file readable") from None
    except OSError as e:
        raise InputFileError(f"cannot read: {e.strerror or e}", file=path) from None


def read_agenda_bytes(data: bytes, name: str, options: ReadOptions) -> Agenda:
    """Dispatch on content: PDF and Word documents, structured JSON/YAML, or text."""
    from .text import parse_text

    check_options(options)

    kind = sniff(data, name)
    if kind in ("pdf", "docx"):
        from .documents import document_text

        text = _within_ceiling(agenda_text(document_text(data, kind, name)), name)
        try:
            agenda = parse_text(text, options, source=name)
        except CalsyncError as e:
            raise _in_extracted_text(e) from None
        # Line numbers count lines of the extracted text, not of the document: say so rather than point at nothing.
        return replace(
            agenda,
            warnings=tuple(
                Notice(
                    f"{w.message} (line {w.line} of the text read from the document)" if w.line else w.message,
                    None,
                    w.code,
                )
                for w in agenda.warnings
            ),
        )
    if kind == "empty":
        raise AgendaError(
            "the file is empty", file=name, hint="give an agenda with a date and times such as 16:00 – 16:30"
        )
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
        raise InputFileError(
            "is an old binary Word (.doc) or Office file", file=name, hint="save it as .docx or PDF and try again"
        )
    lowered = name.lower()
    if lowered.endswith((".json", ".yaml", ".yml")):
        return "structured"
    return "text"


def decode(data: bytes, name: str, encoding: str | None) -> str:
    """Text of a text agenda; UTF-8 (with or without BOM), UTF-16 and UTF-32 with BOM unless told otherwise.

    Control characters come out as visible pictures and lone surrogates as U+FFFD (:func:`agenda_text`), so no
    reader can pass them on to a terminal, a file or a calendar; text longer than the ceiling is refused.
    """
    return _within_ceiling(agenda_text(_decoded(data, name, encoding)), name)


def _decoded(data: bytes, name: str, encoding: str | None) -> str:
    if encoding:
        codec = _charset(encoding, name)
        try:
            return data.decode(codec)
        except (UnicodeError, ValueError) as e:  # punycode-like codecs raise plain UnicodeError or ValueError
            where = f" (byte {e.start})" if isinstance(e, UnicodeDecodeError) else ""
            raise InputFileError(
                f"is not valid {shorten(encoding, 40)}{where}", file=name, hint="check --encoding"
            ) from None
    # UTF-32's little-endian BOM begins with UTF-16's: look for the longer one first.
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as e:
                raise InputFileError(
                    f"is not valid {codec.upper()} (byte {e.start})",
                    file=name,
                    hint="re-save it as UTF-8, or pass --encoding",
                ) from None
    if b"\x00" in data[:4096] or _binary_share(data[:4096]) > 0.1:
        raise InputFileError(
            "looks like a binary file, not a text agenda", file=name, hint="give a Markdown, text, PDF or .docx agenda"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputFileError(
            f"is not UTF-8 (undecodable byte 0x{data[e.start]:02x})",
            file=name,
            line=line,
            hint="re-save it as UTF-8 or pass --encoding, e.g. --encoding cp1252",
        ) from None


def _charset(encoding: str, name: str | None) -> str:
    """The codec for ``--encoding``, when it is a character set (rot13, zlib, punycode are not)."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):  # ValueError: a name with a NUL in it
        raise InputFileError(
            f"unknown encoding {shorten(encoding, 40)!r}", file=name, hint="use a name such as utf-8, cp1252 or latin-1"
        ) from None
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_CHARSETS:
        raise UsageError(
            f"--encoding {shorten(encoding, 40)!r} is not a character set",
            hint="give the agenda's character set, such as utf-8, cp1252 or latin-1",
        )
    return info.name


def _within_ceiling(text: str, name: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise InputFileError(
            f"holds {len(text) // 1_048_576} million characters of text, more than an agenda "
            f"({MAX_TEXT_CHARS // 1_048_576} million at most)",
            file=name,
            hint="give the agenda itself rather than a whole document or archive",
        )
    return text


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
            return isinstance(json_loads(stripped), dict)
        except LimitError:
            return True  # JSON beyond the limits: the structured reader says which
        except ValueError:
            return False
    return stripped.startswith("calsync: 1")
