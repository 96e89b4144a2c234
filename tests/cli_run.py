"""calsync's CLI as the end-to-end tests drive it: run a command, read its one error line, and write a new version
of the built-in example agenda."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from calsync.cli import app

EXAMPLE = Path(__file__).resolve().parent.parent / "calsync" / "examples" / "alliance87-gcm8-2020-07-22.fr.md"


def run(args: list[str], env: dict[str, str] | None = None) -> Result:
    """``calsync ARGS`` in-process, with ``env`` added to the environment."""
    return CliRunner().invoke(app, args, env=env)


def one_error_line(result: Result) -> str:
    """The one line a refused command writes on stderr (warnings aside), never with a traceback."""
    lines = [line for line in result.stderr.splitlines() if not line.startswith("calsync: warning")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def edited_example(tmp_path: Path, name: str = "v2.md", **edits: str) -> Path:
    """The example agenda with each ``old=new`` text replaced (each must be there), written as ``tmp_path/name``."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
