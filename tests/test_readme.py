"""The README's examples run as written from a fresh clone (those that need no Google account)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calsync.cli import app

ROOT = Path(__file__).parents[1]


def readme_commands() -> list[str]:
    """Every ``calsync …`` line of the README's ``sh`` blocks, in order, but for Google's (auth, push) and the server
    (which runs until stopped; tests/test_site_serve.py starts it)."""
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [
        line
        for line in lines
        if line.startswith("calsync ") and not line.startswith(("calsync push", "calsync auth", "calsync serve"))
    ]


def test_the_readme_has_examples_to_run() -> None:
    commands = readme_commands()
    assert len(commands) >= 10 and any("examples/" in c for c in commands)


def test_readme_examples_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")  # a fresh clone's files, outputs kept out of the repository
    monkeypatch.chdir(tmp_path)
    for command in readme_commands():
        args = shlex.split(command, comments=True)[1:]
        target = None
        if ">" in args:
            args, target = args[: args.index(">")], args[args.index(">") + 1]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, f"{command}\n{result.output}"
        if target:
            Path(target).write_bytes(result.stdout_bytes)
    assert Path("agenda.yaml").read_text(encoding="utf-8").startswith("calsync: 1\n")
    assert Path("times.csv").read_text(encoding="utf-8").startswith("block,number,title,zone,label,date,")
    assert b"TZID=Europe/Zurich" in Path("agenda.ics").read_bytes()  # examples/agenda.md: CET in Geneva


def test_readme_says_where_the_token_is_on_each_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's table of config folders is what platformdirs gives calsync (Linux and macOS computed here; the
    Windows row is platformdirs' documented %LOCALAPPDATA%, which only Windows can compute)."""
    from platformdirs.macos import MacOS
    from platformdirs.unix import Unix

    rows = dict(
        re.findall(
            r"^\s*\| (Linux|macOS|Windows)\s*\| `([^`]+)`", (ROOT / "README.md").read_text(encoding="utf-8"), re.M
        )
    )
    assert set(rows) == {"Linux", "macOS", "Windows"}
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for system, dirs in (("Linux", Unix), ("macOS", MacOS)):
        assert dirs("calsync", appauthor=False).user_config_dir == rows[system].replace("~", str(tmp_path)), system
    assert rows["Windows"] == "%LOCALAPPDATA%\\calsync"
