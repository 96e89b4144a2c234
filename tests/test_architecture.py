"""The layout holds: each third-party SDK has one importer, nothing imports the CLI, only the CLI prints or exits."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "calsync"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = path.relative_to(PACKAGE.parent).with_suffix("").parts[: -node.level]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
    return names


def modules() -> dict[str, set[str]]:
    return {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts): imports_of(p) for p in PACKAGE.rglob("*.py")}


def importers(prefix: str) -> set[str]:
    return {m for m, names in modules().items() if any(n == prefix or n.startswith(prefix + ".") for n in names)}


def test_one_importer_per_sdk():
    assert importers("icalendar") == {"calsync.ical"}
    assert importers("googleapiclient") <= {"calsync.backends.google", "calsync.backends.google_auth"}
    assert importers("google_auth_oauthlib") <= {"calsync.backends.google_auth"}
    assert importers("pdfplumber") | importers("docx") | importers("pypdf") <= {"calsync.reading.documents"}
    assert importers("pdfminer") <= {"calsync.reading.inflated"}  # decrypts streams to measure them


def test_nothing_imports_the_cli():
    users = {m for m in importers("calsync.cli") if not m.startswith("calsync.cli")}
    assert users <= {"calsync.__main__"}


def test_library_never_prints_or_exits():
    for path in PACKAGE.rglob("*.py"):
        if "cli" in path.relative_to(PACKAGE).parts or path.name == "__main__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("print", "exit", "input"), f"{path}:{node.lineno}"
            if isinstance(node, ast.Attribute) and node.attr == "exit" and getattr(node.value, "id", "") == "sys":
                raise AssertionError(f"{path}:{node.lineno} calls sys.exit")
        assert "import typer" not in path.read_text(encoding="utf-8"), path


def test_backends_do_not_import_sync_or_each_other():
    for name, names in modules().items():
        if name.startswith("calsync.backends.") and name != "calsync.backends.__init__":
            assert not any(n.startswith(("calsync.sync", "calsync.cli")) for n in names), name


def test_reading_an_agenda_does_not_load_google():
    code = "import sys, calsync; calsync.read_agenda(None); print('googleapiclient' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_zone_knowledge_flows_one_way():
    """places (CLDR/tzdata) ← reading.zonelabels (labels) ← zones (participants): no cycle, no function-local detour."""
    mods = modules()
    assert not any(n.startswith("calsync") and n != "calsync.places" for n in mods["calsync.places"] if n != "calsync")
    for name, names in mods.items():
        if name.startswith("calsync.reading"):
            assert "calsync.zones" not in names, name
