"""Hostile and malformed input on the reading side (issue 16's Found list): bombs, deep nesting, wrong types,
codecs that are no character sets, extreme dates, long zone names, lone surrogates. Never a crash, a hang or a leak.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import resource
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from documents_builder import encrypted_pdf
from hostile_inputs import (
    MiB,
    deep_json,
    deep_yaml,
    docx_bomb,
    docx_lying_sizes,
    lzw_bomb,
    one_page_pdf,
    pdf_bomb,
    raw_pdf,
    run_length_bomb,
    stream,
    text_pdf,
    yaml_alias_bomb,
    zeros_deflated,
)
from typer.testing import CliRunner

from calsync.cli import app
from calsync.errors import AgendaError, CalsyncError, InputFileError, SchemaError
from calsync.reading import ReadOptions
from calsync.reading.source import read_agenda_bytes
from calsync.schema import agenda_from_data

ROOT = Path(__file__).resolve().parents[1]
SEED = json.loads((ROOT / "tests" / "data" / "seed.hand.json").read_text(encoding="utf-8"))
AGENDA_TEXT = "# Meeting\n\nDate: 22 July 2020 (CET)\n\n16:00 - 17:00 Opening\n17:00 - 18:00 Discussion\n"


def cli(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env=env or {})


def error_lines(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result.stderr.strip().splitlines()


def seed(**changes: object) -> dict:
    data = json.loads(json.dumps(SEED))
    data.update(changes)
    return data


def calsync_limited(args: list[str], *, memory: int = 1536 * MiB, timeout: float = 60) -> subprocess.CompletedProcess:
    """The real command in its own process, with its address space capped: a bomb would die of MemoryError there."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "calsync", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
        cwd=ROOT,
    )


# --- memory and time bombs -----------------------------------------------------------------------------------------


def test_yaml_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(yaml_alias_bomb(9), encoding="utf-8")
    assert len(path.read_bytes()) < 700
    started = time.perf_counter()
    done = calsync_limited(["ics", str(path)])
    assert (done.returncode, done.stderr.strip()) == (
        65,
        (
            f"calsync: error: {path}:8: YAML expands (through its aliases) to more than an agenda can hold; "
            "fix the YAML or regenerate it with 'calsync parse --format yaml'"
        ),
    )
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize(
    "text, needle",
    [
        ("title: &t [1, *t]\n", "alias *t refers to the node that holds it"),
        (
            "a: &a [x]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}]\n" for i in range(40)),
            "nested more",
        ),
    ],
)
def test_yaml_cycles_and_aliases_nesting_deep_are_refused(text: str, needle: str) -> None:
    with pytest.raises(AgendaError, match=needle.replace("*", r"\*")):
        read_agenda_bytes(text.encode(), "agenda.yaml", ReadOptions())


@pytest.mark.parametrize(
    "name, text",
    [
        ("deep.json", deep_json()),
        ("deep.yaml", deep_yaml()),
        ("deep2.json", '{"blocks": [' + "{" * 40 + "}" * 40 + "]}"),
    ],
)
def test_structured_agenda_nested_1000_deep_is_one_line(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = cli("parse", str(path))
    assert result.exit_code == 65
    (line,) = error_lines(result)
    assert line.startswith(f"calsync: error: {path}:1: ") and (
        "nested more than 32 levels deep" in line or "nesting depth" in line
    )


@pytest.mark.parametrize(
    "build, needle",
    [
        (lambda: pdf_bomb(256 * MiB), "has a stream that inflates to more than 16 MB (object 4)"),
        (lambda: one_page_pdf(lzw_bomb(), b"/Filter /LZWDecode"), "has a stream that inflates to more than 16 MB"),
        (lambda: one_page_pdf(run_length_bomb(), b"/Filter /RunLengthDecode"), "has a stream that inflates"),
        (lambda: pdf_bomb(96 * MiB, b"/Filter /Fl#61teDecode"), "has a stream that inflates"),  # escaped name
        (lambda: pdf_bomb(96 * MiB, b"/Filter 6 0 R"), "has a stream that inflates"),  # indirect filter
        (
            lambda: pdf_bomb(256 * MiB, b"/Subtype /Image /Filter /FlateDecode"),
            "has a picture that inflates to more than 64",
        ),
        (lambda: one_page_pdf(zeros_deflated(96 * MiB), b"/Filter [/FlateDecode /FlateDecode]"), "has a stream"),
    ],
    ids=["flate", "lzw", "runlength", "escaped-name", "indirect-filter", "picture", "two-stages"],
)
def test_pdf_streams_are_measured_before_pdfminer_inflates_them(build, needle: str) -> None:  # type: ignore[no-untyped-def]
    data = build()
    if b"6 0 R" in data:
        data = data.replace(b"%%EOF", b"") + b"6 0 obj\n/FlateDecode\nendobj\n%%EOF\n"
    started = time.perf_counter()
    with pytest.raises(InputFileError, match=re.escape(needle)):
        read_agenda_bytes(data, "bomb.pdf", ReadOptions())
    assert time.perf_counter() - started < 20


def test_pdf_bomb_of_the_audit_stays_small_in_its_own_process(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_bomb(1024 * MiB))  # about 4 MB at level 1; the audit's reached 2 GB
    done = calsync_limited(["parse", str(path)], memory=1024 * MiB)
    assert done.returncode == 66 and "inflates to more than 16 MB" in done.stderr, done.stderr


@pytest.mark.parametrize("ops", [b"BT /F1 10 Tf 100 700 Td (Hello world) Tj ET\n", b"10 10 m 20 20 l S\n"])
def test_a_page_with_more_content_than_pdfplumber_lays_out_quickly_is_refused(ops: bytes) -> None:
    """Not a bomb (600 KB inflate to 600 KB of operators) but minutes of layout: refused before pdfplumber starts."""
    started = time.perf_counter()
    with pytest.raises(InputFileError, match=re.escape("has a page (page 1) with more than 512 KB of content")):
        read_agenda_bytes(one_page_pdf(zlib.compress(ops * (600 * 1024 // len(ops)))), "dense.pdf", ReadOptions())
    assert time.perf_counter() - started < 5


def test_encrypted_pdf_bomb_is_measured_through_its_decryption() -> None:
    encrypted = encrypted_pdf(pdf_bomb(96 * MiB), password="")
    assert b"/Encrypt" in encrypted
    with pytest.raises(InputFileError, match="inflates to more than 16 MB"):
        read_agenda_bytes(encrypted, "locked.pdf", ReadOptions())


def test_an_honest_pdf_still_reads() -> None:
    agenda = read_agenda_bytes(
        text_pdf(["Meeting", "Date: 22 July 2020 (CET)", "16:00 - 17:00 Opening"]), "a.pdf", ReadOptions()
    )
    assert [b.title for b in agenda.blocks] == ["Opening"]


def test_docx_bomb_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_bomb(256 * MiB))
    done = calsync_limited(["parse", str(path)], memory=1024 * MiB)
    assert done.returncode == 66
    assert done.stderr.strip() == (
        f"calsync: error: {path}: has a part (word/document.xml) that inflates to 256 MB, "
        "more than an agenda needs (32 MB at most); give the agenda as a smaller document, "
        "or as text"
    )


def test_docx_that_lies_about_its_sizes_is_damaged_not_a_memory_blowup(tmp_path: Path) -> None:
    path = tmp_path / "lying.docx"
    path.write_bytes(docx_lying_sizes(256 * MiB))
    done = calsync_limited(["parse", str(path)], memory=1024 * MiB)
    assert done.returncode == 66 and "is a damaged" in done.stderr and "internal error" not in done.stderr


def test_text_beyond_the_ceiling_is_refused() -> None:
    from calsync.limits import MAX_TEXT_CHARS

    with pytest.raises(InputFileError, match="million characters of text, more than an agenda"):
        read_agenda_bytes(b"a" * (MAX_TEXT_CHARS + 10) + b"\n", "huge.md", ReadOptions())


# --- wrong types and values in a reviewed JSON/YAML: one line per problem, naming the path ---------------------------


@pytest.mark.parametrize(
    "changes, line",
    [
        ({"location": 5}, "location: expected text, got a number"),
        ({"conference_url": 1.5}, "conference_url: expected text, got a number"),
        ({"conference_url": ["https://zoom.us/j/1"]}, "conference_url: expected text, got a list"),
        ({"conference_url": "javascript:alert(1)"}, "conference_url: 'javascript:alert(1)' is not a web link"),
        ({"conference_url": "data:text/html,<script>alert(1)</script>"}, "conference_url: 'data:text/html"),
        (
            {"conference_url": "https://zoom.us/j/1\x1b[31m\x00"},
            "conference_url: 'https://zoom.us/j/1\\x1b[31m\\x00' holds a control character",
        ),
        ({"key": "a\x1b[31mb"}, "key: 'a\\x1b[31mb' is not a key"),
        ({"title": "T\x1b]0;pwned\x07"}, "title: holds the control character U+001B at character 2"),
        ({"timezone": {"zone": "A" * 300}}, "timezone.zone: unknown time zone 'AAAA"),
        ({"timezone": "Europe/" + "A" * 300}, "timezone.zone: unknown time zone 'Europe/AAAA"),
        ({"language": "xx"}, "language: unknown language 'xx'"),
        ({"calsync": 2}, "calsync: must be 1, got 2"),
        ({"titel": "typo"}, "titel: unknown field"),
        ({"blocks": "none"}, "blocks: expected a list, got text"),
    ],
)
def test_reviewed_json_wrong_values_name_their_path(tmp_path: Path, changes: dict, line: str) -> None:
    path = tmp_path / "agenda.json"
    path.write_text(json.dumps(seed(**changes)), encoding="utf-8")
    result = cli("ics", str(path))
    assert result.exit_code == 65, result.stderr
    (printed,) = error_lines(result)
    assert printed.startswith(f"calsync: error: {path}: {line}"), printed
    assert printed.endswith("; compare with the output of 'calsync parse'")
    assert "\x1b" not in result.stderr and "\x00" not in result.stderr


@pytest.mark.parametrize(
    "field, value, line",
    [
        ("title", 5, "blocks[3].title: expected text, got a number"),
        (
            "minutes_per_name",
            float("inf"),
            "blocks[3].minutes_per_name: expected a whole number, got an infinite number",
        ),
        ("minutes_per_name", 5000, "blocks[3].minutes_per_name: must be 1440 or less, got 5000"),
        ("duration_minutes", True, "blocks[3].duration_minutes: expected a whole number, got true/false"),
        ("key", "x\x1by", "blocks[3].key: 'x\\x1by' is not a key"),
        ("start", "9999-12-31T23:30:00", "blocks[3].start: the year 9999 is outside the years calsync handles"),
        (
            "start",
            "tomorrow",
            "blocks[3].start: expected an ISO 8601 date-time such as 2020-07-22T16:00:00+02:00, got 'tomorrow'",
        ),
        ("names", ["Ghana", 7], "blocks[3].names[1]: expected text, got a number"),
        ("description", "x" * 100_001, "blocks[3].description: is 100001 characters long, at most 100000"),
    ],
)
def test_block_fields_are_checked(field: str, value: object, line: str) -> None:
    data = seed()
    data["blocks"][3][field] = value
    with pytest.raises(SchemaError) as info:
        agenda_from_data(json.loads(json.dumps(data).replace("Infinity", "1e999")))
    assert info.value.problems == (line,) or info.value.problems[0].startswith(line), info.value.problems


def test_every_problem_is_its_own_line(tmp_path: Path) -> None:
    data = seed(location=5, conference_url="ftp://x")
    data["blocks"][0]["title"] = None
    data["blocks"][1]["line"] = -3
    path = tmp_path / "agenda.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    lines = error_lines(cli("parse", str(path)))
    assert [line.split(": ")[3] for line in lines] == [
        "location",
        "conference_url",
        "blocks[0].title",
        "blocks[1].line",
    ]


def test_a_million_blocks_are_one_problem_not_a_million() -> None:
    with pytest.raises(SchemaError) as info:
        agenda_from_data({"timezone": "UTC", "blocks": [{}] * 1_000_000})
    assert info.value.problems == ("blocks: has 1000000 items, more than calsync reads (10000)",)


def test_lone_surrogate_in_json_is_replaced() -> None:
    agenda = read_agenda_bytes(json.dumps(seed(title="Bad \ud800 title")).encode(), "a.json", ReadOptions())
    assert agenda.title == "Bad \ufffd title"


@pytest.mark.parametrize(
    "text",
    ['{"title": "x", "n": ' + "9" * 5000 + "}", "title: x\nn: " + "9" * 5000 + "\n", "start: 2020-13-45 16:00:00\n"],
)
def test_numbers_python_cannot_convert_are_clean_errors(text: str) -> None:
    with pytest.raises(AgendaError):
        read_agenda_bytes(text.encode(), "a.yaml" if text[0] != "{" else "a.json", ReadOptions())


# --- decoding, options -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["rot13", "zlib", "base64", "punycode", "idna", "unicode_escape"])
def test_encodings_that_are_no_character_sets_are_refused(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.md"
    path.write_text(AGENDA_TEXT, encoding="utf-8")
    result = cli("parse", str(path), "--encoding", encoding)
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"calsync: error: --encoding '{encoding}' is not a character set; give the "
        "agenda's character set, such as utf-8, cp1252 or latin-1"
    ]


def test_utf7_lone_surrogates_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(AGENDA_TEXT.replace("Opening", "Open+2AA-ing").encode("ascii"))
    result = cli("parse", str(path), "--encoding", "utf-7", "-q")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["blocks"][0]["title"] == "Open\ufffding"


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be", "utf-16", "utf-16-be", "utf-8-sig"])
def test_text_with_a_bom_is_read_whatever_its_utf(codec: str) -> None:
    data = AGENDA_TEXT.encode(codec)
    if codec in ("utf-32-be", "utf-16-be"):
        data = (codecs.BOM_UTF32_BE if "32" in codec else codecs.BOM_UTF16_BE) + data
    assert [b.title for b in read_agenda_bytes(data, "a.md", ReadOptions()).blocks] == ["Opening", "Discussion"]


@pytest.mark.parametrize(
    "date, zones", [("9999-12-31", ["--tz", "Pacific/Kiritimati"]), ("0001-01-01", ["--tz", "Pacific/Pago_Pago"])]
)
@pytest.mark.parametrize("command", ["ics", "times", "parse"])
def test_dates_at_the_ends_of_the_calendar_are_usage_errors(command: str, date: str, zones: list[str]) -> None:
    result = cli(command, "--date", date, *(zones if command == "times" else []))
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"calsync: error: --date {date} is outside the years calsync handles (1900–2999); check the year of --date"
    ]


def test_zone_names_over_255_characters(tmp_path: Path) -> None:
    long = "Europe/" + "A" * 300
    for args in (["times", "--tz", long], ["times", "--meeting-tz", long], ["ics", "--meeting-tz", long]):
        result = cli(*args, "-q")
        assert result.exit_code == 65, (args, result.stderr)
        assert len(error_lines(result)) == 1
    people = tmp_path / "people.csv"
    people.write_text(f"name,zone\nAna,{long}\n", encoding="utf-8")
    result = cli("times", "--participants", str(people), "-q")
    assert result.exit_code in (65, 66) and len(error_lines(result)) == 1  # a zone error, or the file's


def test_text_agenda_control_characters_reach_the_reader_as_pictures() -> None:
    text = AGENDA_TEXT.replace("Opening", "Open\x1b[31ming\x07").encode()
    agenda = read_agenda_bytes(text, "a.md", ReadOptions())
    assert agenda.blocks[0].title == "Open\u241b[31ming\u2407"


def test_only_calsync_errors_escape_for_odd_bytes() -> None:
    for data in (b"\xff\xfe\x00\x00" + b"\x00\xd8\x00\x00", b"\xff\xfe" + b"\x00\xd8", b"{" * 100_000, b"- " * 50_000):
        with pytest.raises(CalsyncError):
            read_agenda_bytes(data, "odd.md", ReadOptions())


def test_raw_pdf_helper_builds_a_pdf_pdfminer_reads() -> None:
    """The bombs above are refused for their size, not because the helper writes broken PDFs."""
    pdf = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            stream(zlib.compress(b"BT ET"), b"/Filter /FlateDecode"),
        ]
    )
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1


@pytest.mark.parametrize("option", ["--meeting-tz", "--tz", "--encoding"])
def test_option_bytes_that_are_not_utf8_are_usage_errors(option: str) -> None:
    """Python keeps undecodable argv bytes as lone surrogates; place look-ups could not encode them."""
    result = cli("times", option, "Europe/Par\udcffis", "-q")
    assert result.exit_code == 2, result.stderr
    assert error_lines(result) == [
        f"calsync: error: {option} 'Europe/Par\ufffdis' holds bytes that are not UTF-8; "
        f"type the {option} value again, or set a UTF-8 locale"
    ]
