"""Hostile inputs built at test time: decompression bombs in PDFs and Word files, YAML alias bombs, deep nesting.

Shared by the tests and by ``benchmarks/fuzz_inputs.py``; nothing here is a binary fixture.
"""

from __future__ import annotations

import io
import zipfile
import zlib

MiB = 1024 * 1024


def zeros_deflated(size: int, *, level: int = 1) -> bytes:
    """``size`` zero bytes, deflated (200 : 1 at level 1, fast; 1,000 : 1 at level 9), never all in memory."""
    packer = zlib.compressobj(level)
    chunk = bytes(MiB)
    out = bytearray()
    for _ in range(size // MiB):
        out += packer.compress(chunk)
    out += packer.compress(bytes(size % MiB)) + packer.flush()
    return bytes(out)


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given object bodies (numbered from 1, object 1 the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def one_page_pdf(content: bytes, content_entries: bytes = b"/Filter /FlateDecode", extra: list[bytes] = ()) -> bytes:
    """One page whose content stream is ``content`` (already encoded as ``content_entries`` says)."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(content, content_entries),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *extra,
        ]
    )


def text_pdf(lines: list[str]) -> bytes:
    """A small real PDF: each line of text on the page, in Helvetica."""
    ops = [b"BT /F1 11 Tf 50 750 Td 14 TL"]
    for line in lines:
        escaped = line.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + escaped + b") Tj T*")
    ops.append(b"ET")
    return one_page_pdf(zlib.compress(b"\n".join(ops)))


def pdf_bomb(size: int = 1024 * MiB, entries: bytes = b"/Filter /FlateDecode") -> bytes:
    """A one-page PDF of about size/1000 bytes whose content stream inflates to ``size`` bytes."""
    return one_page_pdf(zeros_deflated(size), entries)


def lzw_bomb(codes: int = 400_000) -> bytes:
    """LZW codes that each repeat the longest string so far: a few hundred KB that pdfminer inflates to gigabytes."""
    out = bytearray()
    pending = pending_bits = 0

    def put(code: int, width: int) -> None:
        nonlocal pending, pending_bits
        pending = (pending << width) | code
        pending_bits += width
        while pending_bits >= 8:
            pending_bits -= 8
            out.append((pending >> pending_bits) & 0xFF)
        pending &= (1 << pending_bits) - 1

    width, table = 9, 258
    put(256, 9)  # clear
    put(ord("A"), 9)
    for _ in range(codes):
        put(min(table, 4095), width)  # the entry being built while it can be named, then the longest one
        table += 1
        width = {511: 10, 1023: 11, 2047: 12}.get(table, width)
    if pending_bits:
        out.append((pending << (8 - pending_bits)) & 0xFF)
    return bytes(out)


def run_length_bomb(size: int = 256 * MiB) -> bytes:
    """RunLengthDecode runs of 128 copies: 2 bytes per 128."""
    return bytes((129, 0)) * (size // 128) + bytes((128,))


def docx_bomb(size: int = 1024 * MiB) -> bytes:
    """A .docx-shaped zip whose word/document.xml inflates to ``size`` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b" " * MiB
            for _ in range(size // MiB):
                part.write(chunk)
    return buffer.getvalue()


def docx_lying_sizes(size: int = 256 * MiB) -> bytes:
    """A zip whose document part declares 100 bytes but inflates to ``size``: zipfile stops at the declared size."""
    data = bytearray(docx_bomb(size))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    # patch the uncompressed size in the central directory entry (and the local header) to 100
    name = b"word/document.xml"
    for sig, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.find(sig)
        while at != -1:
            name_at = at + (46 if sig == b"PK\x01\x02" else 30)
            if data[name_at : name_at + len(name)] == name:
                data[at + size_at : at + size_at + 4] = (100).to_bytes(4, "little")
            at = data.find(sig, at + 4)
    del info
    return bytes(data)


def yaml_alias_bomb(levels: int = 9) -> str:
    """A few hundred bytes of YAML whose title expands to 9**levels strings (the billion laughs)."""
    lines = ['  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "anchors:\n" + "\n".join(lines) + f"\ntitle: *a{levels}\ntimezone: Europe/Paris\nblocks: []\n"


def deep_json(depth: int = 1000) -> str:
    return '{"title": ' + "[" * depth + "]" * depth + "}"


def deep_yaml(depth: int = 1000) -> str:
    return "title: " + "[" * depth + "]" * depth + "\n"
