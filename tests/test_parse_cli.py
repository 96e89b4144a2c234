"""``calsync parse`` from the command line: output, options, and one clean line for every kind of bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calsync.cli import app

runner = CliRunner()


def test_parse_builtin_example_prints_json_and_warnings():
    result = runner.invoke(app, ["parse"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [b["number"] for b in data["blocks"]] == ["I", "II", "III", "IV", "V", "VI", "VI"]
    assert (
        data["timezone"]
        == {
            "as_written": "CET",
            "zone": "Europe/Brussels",
            "note": data["timezone"]["note"],
        }
        and "summer time" in data["timezone"]["note"]
    )
    assert data["blocks"][0]["start"] == "2020-07-22T16:00:00+02:00"
    assert {"line", "message"} <= set(data["warnings"][0])
    assert result.stderr.count("calsync: warning:") == 2


def test_parse_yaml_to_file_and_back(tmp_path):
    out = tmp_path / "gcm8.yaml"
    assert runner.invoke(app, ["parse", "--format", "yaml", "-o", str(out), "-q"]).exit_code == 0
    again = runner.invoke(app, ["parse", str(out), "-q"])
    assert again.exit_code == 0
    first = json.loads(runner.invoke(app, ["parse", "-q"]).stdout)
    assert json.loads(again.stdout) == first


def test_date_option(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Tagesordnung:\n10:00 – 10:15 Uhr Begrüßung\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path), "--meeting-tz", "Europe/Berlin", "--date", "2024-02-03"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["blocks"][0]["start"] == "2024-02-03T10:00:00+01:00"


def bad(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


CASES = [
    ("empty.md", b"", [], 65, "the file is empty"),
    ("blank.md", b"\n  \n", [], 65, "the file is empty"),
    ("notimes.md", "# Réunion\n\nDate: 22 juillet 2020\nPas d'horaire.\n".encode(), [], 65, "no session times found"),
    ("garbage.md", bytes(range(256)) * 8, [], 66, "binary file"),
    ("latin1.md", "Date: 22 juillet 2020 (CET)\n16:00 – 17:00 Réunion\n".encode("cp1252"), [], 66, "is not UTF-8"),
    ("zone.md", b"Date: 22 July 2020\n16:00 - 17:00 One\n", ["--meeting-tz", "Mars/Olympus"], 65, "unknown time zone"),
    ("late.md", b"Date: 22 July 2020 (CET)\n25:00 - 26:00 Late\n", [], 65, "25:00 is not a time of day"),
    ("nozone.md", b"Date: 22 July 2020\n16:00 - 17:00 One\n", [], 65, "--meeting-tz"),
    ("nodate.md", b"Time (CET)\n16:00 - 17:00 One\n", [], 65, "--date YYYY-MM-DD"),
    ("dst.md", b"Date: 28 March 2021\n02:30 - 03:30 Night\n", ["--meeting-tz", "Europe/Paris"], 65, "does not exist"),
    (
        "bad.json",
        b'{"title": "x", "timezone": {"zone": "Europe/Paris"}, "blocks": [{"title": "a", '
        b'"start": "2020-07-22T16:00"}]}',
        [],
        65,
        "blocks[0].end: missing",
    ),
    ("broken.json", b'{"title": ', [], 65, "invalid JSON"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, [], 66, "old binary Word"),
]


@pytest.mark.parametrize("name, content, extra, code, message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_clean_line(tmp_path, name, content, extra, code, message):
    path = bad(tmp_path, name, content)
    result = runner.invoke(app, ["parse", str(path), *extra])
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"calsync: error: {path}") and message in lines[0]
    assert "Traceback" not in result.stderr


def test_line_number_is_named(tmp_path):
    path = bad(tmp_path, "late.md", b"Date: 22 July 2020 (CET)\n\n25:00 - 26:00 Late\n")
    assert f"{path}:3:" in runner.invoke(app, ["parse", str(path)]).stderr


def test_missing_file_and_folder(tmp_path):
    missing = runner.invoke(app, ["parse", str(tmp_path / "nope.md")])
    assert missing.exit_code == 66 and "no such file" in missing.stderr
    folder = runner.invoke(app, ["parse", str(tmp_path)])
    assert folder.exit_code == 66 and "is a folder" in folder.stderr


def test_bad_date_option():
    result = runner.invoke(app, ["parse", "--date", "22/07/2020"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_encoding_option(tmp_path):
    path = bad(tmp_path, "latin1.md", "Date: 22 juillet 2020 (CET)\n16:00 – 17:00 Réunion\n".encode("cp1252"))
    result = runner.invoke(app, ["parse", str(path), "--encoding", "cp1252", "-q"])
    assert result.exit_code == 0 and json.loads(result.stdout)["blocks"][0]["title"] == "Réunion"


def test_output_is_not_half_written(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(bad(tmp_path, "e.md", b"")), "-o", str(target)])
    assert result.exit_code != 0 and target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.md", "out.json"]


def test_console_script_runs_and_every_command_has_help():
    result = subprocess.run([sys.executable, "-m", "calsync", "--help"], capture_output=True, text=True, check=True)
    for command in ("parse", "times", "ics", "push", "auth"):
        assert command in result.stdout
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0 and len(sub.stdout) > 100, command


def test_full_disk_is_an_output_error_not_an_internal_one():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "calsync", "parse", "-q"], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert result.returncode == 73 and "cannot write to standard output" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    big = tmp_path / "big.md"  # output far larger than a pipe's buffer, so the write really meets the closed pipe
    big.write_text(
        "Date: 1 July 2020 (UTC)\n"
        + "".join(f"{h:02d}:{m:02d} Item {h}-{m}\n" for h in range(24) for m in range(0, 60, 2)),
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "calsync", "parse", str(big), "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 0
    assert "Traceback" not in err and "rror" not in err


@pytest.mark.parametrize(
    "name, starts", [("agenda.yaml", "calsync: 1\n"), ("agenda.yml", "calsync: 1\n"), ("agenda.json", "{\n")]
)
def test_parse_format_from_the_output_extension(tmp_path, name, starts):
    out = tmp_path / name
    result = runner.invoke(app, ["parse", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(starts)
    fmt = "json" if name.endswith("json") else "yaml"
    assert result.stderr.splitlines()[-1] == f"calsync: wrote {out} ({fmt})"  # the same confirmation as times, ics


def test_parse_unknown_output_extension_is_an_error_not_json(tmp_path):
    out = tmp_path / "agenda.txt"
    result = runner.invoke(app, ["parse", "-q", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calsync: error: -o {out}: calsync does not know which format to write for '.txt'; "
        "name the file with one of .json, .yaml, .yml, or give --format\n"
    )
    assert not out.exists()
    forced = runner.invoke(app, ["parse", "-q", "-f", "yaml", "-o", str(out)])  # an explicit format wins
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8").startswith("calsync: 1\n")


def test_meeting_tz_typo_gets_did_you_mean(tmp_path):
    path = bad(tmp_path, "a.md", b"Date: 22 July 2020\n16:00 - 17:00 One\n")
    result = runner.invoke(app, ["parse", str(path), "--meeting-tz", "Genevaa"])
    assert result.exit_code == 65
    assert result.stderr.startswith(
        f"calsync: error: {path}: --meeting-tz: unknown time zone 'Genevaa'; did you mean Geneva"
    )
    ok = runner.invoke(app, ["parse", str(path), "-q", "--meeting-tz", "Genève"])  # a GeoNames town works
    assert json.loads(ok.stdout)["timezone"]["zone"] == "Europe/Zurich"


def test_options_name_what_they_take():
    """Placeholders say what to give (FILE, ZONE, ID, URL…), never Typer's TEXT, PATH or INTEGER."""
    for command in ("parse", "times", "ics", "push", "auth"):
        text = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).stdout
        assert not re.search(r"\b(TEXT|PATH|INTEGER)\b", text), command
    push = runner.invoke(app, ["push", "--help"], env={"COLUMNS": "200"}).stdout
    for shown in (
        "--calendar ID",
        "--service-account FILE",
        "--subject EMAIL",
        "--api-endpoint URL",
        "--tz ZONE",
        "--participants FILE",
        "--lang",
    ):
        assert shown in push, shown
