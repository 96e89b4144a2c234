"""How big a document's compressed parts become, checked before any parser inflates them.

A 3 MB .docx can hold a part that inflates to gigabytes, and a 1 MB PDF a content stream that does: python-docx and
pdfminer inflate whole parts into memory. Here a zip member's declared size is checked before it is read (Python's
zipfile never returns more than a member declares), and every PDF stream is inflated on the side, at most one byte
past its limit, with the filters pdfminer would apply (Flate, LZW, RunLength, after ASCII85/ASCIIHex), decrypting it
first as pdfminer would when the file is encrypted with an empty user password.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

from ..errors import InputFileError

__all__ = [
    "check_word_zip",
    "check_zip",
    "check_pdf",
    "check_page",
    "MAX_PART_BYTES",
    "MAX_XML_BYTES",
    "MAX_STREAM_BYTES",
    "MAX_IMAGE_BYTES",
    "MAX_PAGE_CONTENT",
    "MAX_CONTENT",
]

MiB = 1024 * 1024
# Word: what python-docx loads into memory (every part) and what lxml parses (XML parts).
MAX_PARTS = 10_000
MAX_PART_BYTES = 128 * MiB
MAX_XML_BYTES = 32 * MiB
MAX_PACKAGE_BYTES = 256 * MiB
# PDF: a content, font or object stream (pdfminer parses these), a picture (pdfminer does not decode it for text, but
# a stream may only claim to be a picture), and all of them together.
MAX_STREAM_BYTES = 16 * MiB
MAX_IMAGE_BYTES = 64 * MiB
MAX_DECODED_BYTES = 256 * MiB
MAX_IMAGES_BYTES = 1024 * MiB  # only a bound on the time spent measuring them
MAX_STREAMS = 200_000
# What pdfplumber lays out, at 5 to 10 s per MB of dense text operators (measured): a page of an agenda is tens of KB.
MAX_PAGE_CONTENT = 512 * 1024
MAX_CONTENT = 4 * MiB

_HINT = "give the agenda as a smaller document, or as text"


# --- Word (zip) --------------------------------------------------------------------------------------------------


def check_zip(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip whose members, by the sizes it declares, would inflate beyond what an agenda document needs."""
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        raise InputFileError(f"is a zip of {len(members)} files, more than a Word document has", file=name, hint=_HINT)
    total = 0
    for member in members:
        xml = member.filename.lower().endswith((".xml", ".rels"))
        limit = MAX_XML_BYTES if xml else MAX_PART_BYTES
        if member.file_size > limit:
            raise InputFileError(
                f"has a part ({member.filename[:80]}) that inflates to {member.file_size // MiB} MB, "
                f"more than an agenda needs ({limit // MiB} MB at most)",
                file=name,
                hint=_HINT,
            )
        total += member.file_size
    if total > MAX_PACKAGE_BYTES:
        raise InputFileError(
            f"inflates to {total // MiB} MB in all, more than an agenda needs ({MAX_PACKAGE_BYTES // MiB} MB at most)",
            file=name,
            hint=_HINT,
        )


def check_word_zip(data: bytes, name: str) -> None:
    """A .docx is a zip with word/document.xml, small enough once inflated; say plainly when the zip is something
    else, is damaged, or would inflate too far."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, name)  # by the sizes the zip declares, before any part is read
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    except InputFileError:
        raise  # too big once inflated: said as such, not as damage
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as e:
        raise InputFileError(
            f"is a damaged or incomplete .docx/zip file ({e})", file=name, hint="download or save the document again"
        ) from None
    if "word/document.xml" in names:
        return
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        what = "an OpenDocument (LibreOffice) file"
    elif "xl/workbook.xml" in names:
        what = "an Excel workbook"
    elif "ppt/presentation.xml" in names:
        what = "a PowerPoint presentation"
    else:
        what = "a zip archive"
    raise InputFileError(
        f"is {what}, not a Word document",
        file=name,
        hint="save the agenda as .docx or PDF, or give the agenda file itself",
    )


# --- PDF ---------------------------------------------------------------------------------------------------------

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_ENDSTREAM = re.compile(rb"endstream")
_OBJ = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\b")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_FILTER = re.compile(rb"/(?:Filter|F)\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+|\d+\s+\d+\s+R)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})\b(?!\s+\d+\s+R)")
_LOOKBACK = 4096  # how far before "stream" its dictionary may start


def check_pdf(data: bytes, name: str) -> None:
    """Refuse a PDF with a stream that inflates beyond its limit, or streams that do in all.

    Works on the raw bytes, before pdfminer builds anything, so streams it would inflate while merely opening the file
    (cross-reference and object streams) are measured too. An encrypted file is measured a second time through
    pdfminer's decryption (cross-reference streams, which pdfminer reads to decrypt, are never encrypted).
    """
    _measure(data, name, None)
    if b"/Encrypt" in data:
        decipher = _decipher(data)
        if decipher is not None:
            _measure(data, name, decipher)


def _measure(data: bytes, name: str, decipher: Callable[[int, int, bytes], bytes] | None) -> None:
    ends = [m.start() for m in _ENDSTREAM.finditer(data)]
    view = memoryview(data)
    totals = {False: 0, True: 0}  # pictures apart: pdfminer does not inflate them for text
    for count, match in enumerate(_STREAM.finditer(data), start=1):
        if count > MAX_STREAMS:
            raise InputFileError(
                f"has more than {MAX_STREAMS} streams, more than an agenda needs", file=name, hint=_HINT
            )
        head = data[max(0, match.start() - _LOOKBACK) : match.start()]
        objects = list(_OBJ.finditer(head))
        obj = objects[-1] if objects else None  # the last "N G obj" before the stream is the stream's own
        dictionary = _names(head[obj.end() :] if obj else head)
        filters = _filters(dictionary, data)
        if not filters:
            continue  # stored as it is: no bigger than the file
        start = match.end()
        following = bisect.bisect_left(ends, start)
        end = ends[following] if following < len(ends) else len(data)
        length = _LENGTH.search(dictionary)
        if length and start + int(length.group(1)) <= end:
            end = start + int(length.group(1))
        raw: bytes | memoryview = view[start:end]
        if decipher is not None:
            if obj is None:
                continue
            raw = decipher(int(obj.group(1)), int(obj.group(2)), bytes(raw))
        image = bool(_IMAGE.search(dictionary))
        limit = MAX_IMAGE_BYTES if image else MAX_STREAM_BYTES
        size = _decoded_size(raw, filters, limit)
        where = f" (object {obj.group(1).decode()})" if obj else ""
        if size > limit:
            raise InputFileError(
                f"has {'a picture' if image else 'a stream'} that inflates to more than "
                f"{limit // MiB} MB{where}, more than an agenda needs",
                file=name,
                hint=_HINT,
            )
        totals[image] += size
        if totals[image] > (MAX_IMAGES_BYTES if image else MAX_DECODED_BYTES):
            raise InputFileError(
                f"inflates to more than {(MAX_IMAGES_BYTES if image else MAX_DECODED_BYTES) // MiB} "
                "MB in all, more than an agenda needs",
                file=name,
                hint=_HINT,
            )


def _names(dictionary: bytes) -> bytes:
    """Names with their ``#xx`` escapes decoded (``/Fl#61teDecode`` is ``/FlateDecode`` to pdfminer too)."""
    return _NAME_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), dictionary) if b"#" in dictionary else dictionary


def _filters(dictionary: bytes, data: bytes) -> list[bytes]:
    """The stream's filter names in order; an indirect ``/Filter 5 0 R`` is looked up in the file."""
    found = _FILTER.search(dictionary)
    if not found:
        return []
    value = found.group(1)
    if value.endswith(b"R"):
        number, generation = value.split()[:2]
        target = re.search(rb"\b" + number + rb"\s+" + generation + rb"\s+obj\b(.{0,512}?)endobj", data, re.S)
        value = _names(target.group(1)) if target else b""
    return [_CANONICAL.get(n, n) for n in _NAME.findall(value)]


_CANONICAL = {
    b"Fl": b"FlateDecode",
    b"LZW": b"LZWDecode",
    b"RL": b"RunLengthDecode",
    b"AHx": b"ASCIIHexDecode",
    b"A85": b"ASCII85Decode",
}


def _decoded_size(raw: bytes | memoryview, filters: list[bytes], limit: int) -> int:
    """The size after the filters pdfminer applies, or ``limit + 1`` as soon as it is known to be more."""
    data: bytes | memoryview = raw
    for name in filters:
        decode = _DECODERS.get(name)
        if decode is None:
            break  # pictures' codecs (DCT, JPX, JBIG2, CCITT) and unknown ones: pdfminer does not inflate them for text
        data = decode(data, limit)
        if len(data) > limit:
            return len(data)
    return len(data)


def _inflate(data: bytes | memoryview, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes of a zlib stream, fed in small pieces so that what came before damage is counted."""
    inflater = zlib.decompressobj()
    out = bytearray()
    piece = 4096
    for i in range(0, len(data), piece):
        try:
            out += inflater.decompress(data[i : i + piece], limit + 1 - len(out))
            while inflater.unconsumed_tail and len(out) <= limit:
                out += inflater.decompress(inflater.unconsumed_tail, limit + 1 - len(out))
        except zlib.error:
            break  # pdfminer keeps what came before damage too
        if len(out) > limit or inflater.eof:
            break
    return bytes(out)


def _lzw(data: bytes | memoryview, limit: int) -> bytes:
    """pdfminer's LZW decoding (a table that keeps growing past 4,096 entries, codes of at most 12 bits), stopped
    one byte past ``limit``."""
    raw = bytes(data)
    index = pending = pending_bits = 0
    width = 9
    table: list[bytes] = []
    previous = b""
    out = bytearray()
    while len(out) <= limit:
        while pending_bits < width and index < len(raw):
            pending = (pending << 8) | raw[index]
            index += 1
            pending_bits += 8
        if pending_bits < width:
            break
        pending_bits -= width
        code = pending >> pending_bits
        pending &= (1 << pending_bits) - 1
        if code == 256:
            table = [bytes((c,)) for c in range(256)] + [b"", b""]
            previous = b""
            width = 9
            continue
        if code == 257:
            continue
        if not previous:
            if code >= len(table) or code in (256, 257):
                break
            previous = table[code]
            out += previous
            continue
        if code < len(table):
            current = table[code]
            table.append(previous + current[:1])
        elif code == len(table):
            current = previous + previous[:1]
            table.append(current)
        else:
            break
        width = _WIDTHS.get(len(table), width)
        out += current
        previous = current
    return bytes(out[: limit + 1])


_WIDTHS = {511: 10, 1023: 11, 2047: 12}


def _run_length(data: bytes | memoryview, limit: int) -> bytes:
    """RunLengthDecode, stopped one byte past ``limit``."""
    raw = bytes(data)
    out = bytearray()
    i = 0
    while i < len(raw) and len(out) <= limit:
        length = raw[i]
        if length == 128:
            break
        if length < 128:
            out += raw[i + 1 : i + 2 + length]
            i += 2 + length
        else:
            if i + 1 >= len(raw):
                break
            out += raw[i + 1 : i + 2] * (257 - length)
            i += 2
    return bytes(out[: limit + 1])


def _ascii_hex(data: bytes | memoryview, limit: int) -> bytes:
    text = re.sub(rb"\s+", b"", bytes(data)).split(b">")[0]
    try:
        return binascii.unhexlify(text + b"0" * (len(text) % 2))
    except (binascii.Error, ValueError):
        return b""


def _ascii85(data: bytes | memoryview, limit: int) -> bytes:
    text = re.sub(rb"\s+", b"", bytes(data)).split(b"~>")[0]
    try:
        return base64.a85decode(text)
    except ValueError:
        return b""


_DECODERS: dict[bytes, Callable[[Any, int], bytes]] = {
    b"FlateDecode": _inflate,
    b"LZWDecode": _lzw,
    b"RunLengthDecode": _run_length,
    b"ASCIIHexDecode": _ascii_hex,
    b"ASCII85Decode": _ascii85,
}


def _decipher(data: bytes) -> Callable[[int, int, bytes], bytes] | None:
    """pdfminer's decryption for this file, when it opens without a password; None otherwise (pdfminer refuses it
    then, and it is reported as encrypted)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except Exception:  # noqa: BLE001 - any failure here is reported by the real reading that follows
        return None
    decipher = getattr(document, "decipher", None)
    if decipher is None:
        return None

    def run(objid: int, genno: int, raw: bytes) -> bytes:
        try:
            return bytes(decipher(objid, genno, raw))
        except Exception:  # noqa: BLE001 - a stream that does not decrypt is not inflated by pdfminer either
            return raw

    return run


# --- PDF pages, as pdfminer sees them --------------------------------------------------------------------------------


def check_page(page: Any, number: int, remaining: int, name: str) -> int:
    """The decoded size of a page's content (its streams and the forms it draws), refused past the page's limit or
    what is left of the document's; measured before pdfplumber lays the page out."""
    limit = min(MAX_PAGE_CONTENT, remaining)
    size = _content_size(page.contents, getattr(page, "resources", None), limit, set())
    if size > MAX_PAGE_CONTENT:
        raise InputFileError(
            f"has a page (page {number}) with more than {MAX_PAGE_CONTENT // 1024} KB of content to "
            "lay out, more than an agenda page holds",
            file=name,
            hint="export the agenda pages alone, or the agenda as text",
        )
    if size > remaining:
        raise InputFileError(
            f"has more than {MAX_CONTENT // MiB} MB of page content in all (at page {number}), more "
            "than an agenda holds",
            file=name,
            hint="give the agenda pages alone, or the agenda as text",
        )
    return size


def _content_size(contents: Any, resources: Any, limit: int, seen: set[int]) -> int:
    from pdfminer.pdftypes import PDFStream, resolve1

    total = 0
    for item in contents if isinstance(contents, list) else [contents]:
        stream = resolve1(item)
        if isinstance(stream, PDFStream) and id(stream) not in seen:
            seen.add(id(stream))
            total += _stream_size(stream, limit + 1 - total)
            if total > limit:
                return total
    xobjects = resolve1((resolve1(resources) or {}).get("XObject")) if isinstance(resolve1(resources), dict) else None
    for ref in (xobjects or {}).values() if isinstance(xobjects, dict) else ():
        form = resolve1(ref)
        if isinstance(form, PDFStream) and id(form) not in seen and getattr(form.get("Subtype"), "name", "") == "Form":
            total += _content_size([form], form.get("Resources"), limit - total, seen)
            if total > limit:
                return total
    return total


def _stream_size(stream: Any, limit: int) -> int:
    if stream.data is not None:
        return len(stream.data)
    raw = stream.rawdata or b""
    if stream.decipher and stream.objid is not None:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    names = [getattr(f, "name", str(f)).encode() for f, _ in stream.get_filters()]
    return _decoded_size(raw, [_CANONICAL.get(n, n) for n in names], max(limit, 0))
