"""The pure helpers behind clean output and bounded input: printable (control characters shown) and limits (JSON)."""

from __future__ import annotations

import json

import pytest

from calsync.limits import LimitError, json_loads, nesting_depth
from calsync.printable import agenda_text, has_controls, json_text, one_line, redact, shorten, visible


@pytest.mark.parametrize(
    "text, shown",
    [
        ("plain", "plain"),
        ("a\x1b[31mb", "a\u241b[31mb"),
        ("bell\x07 nul\x00 del\x7f", "bell\u2407 nul\u2400 del\u2421"),
        ("csi\x9b2J", "csi\ufffd2J"),
        ("lone \ud800", "lone \ufffd"),
        ("crlf\r\nlf\ncr\r", "crlf\nlf\ncr\n"),
        ("tab\tkept", "tab\tkept"),
        ("form\x0cfeed", "form feed"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown
    assert not has_controls(visible(text))


@pytest.mark.parametrize(
    "text, shown",
    [(" a \n b\t\x1b ", "a b \u241b"), ("x\r=1+1", "x =1+1"), ("", ""), ("\u22122\u00a0h\x1c x", "\u22122\u00a0h x")],
)
def test_one_line(text: str, shown: str) -> None:
    assert one_line(text) == shown


def test_agenda_text_keeps_line_ends_for_the_reader() -> None:
    assert agenda_text("a\r\nb\x0cc\x1b\x85d\ud800") == "a\r\nb c\u241b d\ufffd"


def test_json_text_escapes_what_json_dumps_leaves_raw() -> None:
    raw = json.dumps({"t": "x\x9b\x7f\u2028\x1b\ud800"}, ensure_ascii=False)
    cleaned = json_text(raw)
    assert not has_controls(cleaned)
    assert json.loads(cleaned) == {"t": "x\x9b\x7f\u2028\x1b\ufffd"}  # the same data for a program


def test_redact_and_shorten() -> None:
    assert redact("Bearer ya29.abc-DEF and 1//0gTOKENTOKENTOKENTOKEN", ("abc",)) == "Bearer [hidden] and [hidden]"
    assert shorten("x" * 100, 10) == "x" * 9 + "…"


@pytest.mark.parametrize(
    "text, limit, deep",
    [
        ('{"a": [[[1]]]}', 3, True),
        ('{"a": [[[1]]]}', 4, False),
        ("[[[[[1]]]]]", 4, True),
        ('{"a": "[[[[[[[[[["}', 2, False),
        ('{"a": "\\"[[[[[[[[["}', 2, False),
    ],
)
def test_nesting_depth_ignores_brackets_inside_strings(text: str, limit: int, deep: bool) -> None:
    assert (nesting_depth(text, limit)[1] is not None) is deep


def test_json_loads_limits() -> None:
    with pytest.raises(LimitError, match="nested more than 32 levels deep") as info:
        json_loads("\n" + "[" * 40 + "]" * 40)
    assert info.value.line == 2
    with pytest.raises(LimitError, match="too many digits"):
        json_loads("1" * 5000)
    with pytest.raises(json.JSONDecodeError):
        json_loads("{")
    assert json_loads('{"a": [1]}') == {"a": [1]}
