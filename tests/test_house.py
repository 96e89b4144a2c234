"""House rules a reviewer would otherwise have to remember: module size, and page markup kept out of Python."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "calsync"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 600
# an opening tag of page structure, a style rule, or a script function: what belongs in templates/ and assets/
MARKUP = re.compile(
    r"<(?:html|head|body|div|section|table|style|script|form|ul|ol)\b|\{\s*[a-z-]+\s*:[^}]*;|function\s*\("
)


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_over_600_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{_name(path)} has {lines} lines: split it by purpose (docs/ARCHITECTURE.md)"


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are docstrings (prose that may mention a tag)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


# the reading layer reads other people's HTML (its patterns name tags); every other module writes
WRITERS = [path for path in MODULES if "reading" not in path.parts]


@pytest.mark.parametrize("path", WRITERS, ids=_name)
def test_page_markup_lives_in_templates_and_assets(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    strings = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]
    offending = [f"line {s.lineno}: {s.value[:60]!r}" for s in strings if MARKUP.search(s.value)]
    assert not offending, f"{_name(path)} builds HTML/CSS/JS in Python; move it to a template or asset: {offending}"


@pytest.mark.parametrize(
    ("text", "markup"),
    [
        ("<div class='x'>", True),
        ("body { color: red; }", True),
        ("function (a) { return a; }", True),
        ('<span data-t="{}">{}</span>', False),  # one inline element, escaped by Markup.format
        ("{key: value}", False),  # a format string, not a style rule
        ("14:00 – 15:00 {title}", False),
    ],
)
def test_the_markup_rule_itself(text: str, markup: bool) -> None:
    assert bool(MARKUP.search(text)) is markup
