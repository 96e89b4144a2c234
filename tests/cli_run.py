"""calsync's CLI as the end-to-end tests drive it: run a command, read its one error line, and write a new version
of the built-in example agenda."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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


ROOT = Path(__file__).resolve().parents[1]


def fresh_process(code: str, tmp_path: Path, cache: Path, *args: str, **env: str) -> Any:
    """Run ``code`` in a new Python process (this checkout's calsync, ``cache`` as calsync's cache folder, ``env``
    added to the environment) from ``tmp_path``, and return the JSON it prints last: what a second run of calsync
    loads or compiles can only be seen from a process of its own."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CALSYNC_CACHE_DIR": str(cache), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])
