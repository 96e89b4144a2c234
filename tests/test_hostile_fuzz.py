"""Property tests over hostile input: the structured format and the text reader.

Whatever a reviewed JSON/YAML or a text agenda holds, reading it ends in an agenda or in calsync errors (one line per
problem, each naming its field's path), and no control character or lone surrogate from it reaches any output.
CI runs a fixed sequence of examples (tests/conftest.py); ``benchmarks/fuzz_inputs.py`` runs ten thousand more.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calsync.errors import CalsyncError, SchemaError
from calsync.ical import to_ics
from calsync.model import Agenda
from calsync.printable import CONTROLS
from calsync.reading import ReadOptions
from calsync.reading.source import read_agenda_bytes
from calsync.reading.structured import dump_structured
from calsync.render import TIMES_FORMATS, render_times
from calsync.schema import agenda_from_data
from calsync.zones import local_times, participant_zones

DATA = Path(__file__).parent / "data"
SEED = json.loads((DATA / "seed.hand.json").read_text(encoding="utf-8"))
AGENDAS = sorted(p.read_bytes() for p in DATA.glob("[0-9][0-9]-*.md"))
STAMP = datetime(2020, 7, 22, 12, tzinfo=UTC)
OPTIONS = ReadOptions(today=date(2026, 11, 29))
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

NASTY_TEXT = [
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x9b2J",
    "\x00",
    "a\rb",
    "=1+1",
    "\r=HYPERLINK(1)",
    "\ud800",
    "\udfff x",
    "\u202eevil",
    "@handle",
    "javascript:alert(1)",
    "data:text/html,x",
    "https://zoom.us/j/1\x1b",
    "x" * 2000,
    "Europe/" + "A" * 300,
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00",
    "2021-03-28T02:30:00",
    "",
    " ",
    "\t",
    "\n\n",
    "null",
    "1e999",
    "NaN",
    "—",
    "%s%n",
    "{}",
    "[]",
    "Ｆｕｌｌ",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(NASTY_TEXT),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FIELDS = [
    "key",
    "title",
    "timezone",
    "location",
    "conference_url",
    "hours",
    "source",
    "language",
    "blocks",
    "warnings",
    "calsync",
    "extra",
]
BLOCK_FIELDS = [
    "key",
    "number",
    "title",
    "start",
    "end",
    "end_inferred",
    "duration_minutes",
    "minutes_per_name",
    "description",
    "names",
    "line",
    "extra",
]


@st.composite
def edited_agendas(draw: st.DrawFn) -> dict[str, Any]:
    """The seed's plain data with a few fields set to hostile values (or removed), as a person or an attacker might."""
    data = json.loads(json.dumps(SEED))
    for _ in range(draw(st.integers(1, 4))):
        value = draw(VALUES)
        blocks = data.get("blocks")
        if draw(st.booleans()) and isinstance(blocks, list) and blocks:
            block = blocks[draw(st.integers(0, len(blocks) - 1))]
            if not isinstance(block, dict):
                continue
            field = draw(st.sampled_from(BLOCK_FIELDS))
            target = block
        else:
            field = draw(st.sampled_from(FIELDS))
            target = data
        if draw(st.integers(0, 5)) == 0:
            target.pop(field, None)
        elif field == "timezone" and draw(st.booleans()):
            target[field] = {"zone": value}
        else:
            target[field] = value
    return data


def clean(text: str, where: str) -> None:
    assert CONTROLS.search(text.replace("\r\n", "\n")) is None, (where, repr(CONTROLS.search(text)))


def all_outputs_are_clean(agenda: Agenda) -> None:
    ics = to_ics(agenda, zones=participant_zones(agenda, ("Ghana", "Asia/Kolkata")), stamp=STAMP)
    clean(ics.decode("utf-8"), "ics")
    zones = participant_zones(agenda, ("Ghana",))
    times = local_times(agenda, zones)
    for fmt in TIMES_FORMATS:
        out = render_times(fmt, agenda, times, zones, width=80)
        out.encode("utf-8")  # no lone surrogate
        clean(out, fmt)
    for fmt in ("json", "yaml"):
        clean(dump_structured(agenda, fmt), fmt)


PROBLEM = re.compile(r"^(the agenda|[A-Za-z_][\w.\[\]…-]*|\S.{0,60}?): \S|^and \d+ more problems?(;|$)")


@pytest.mark.parametrize("extra, summary", [(1, "and 1 more problem"), (5, "and 5 more problems")])
def test_problems_past_the_shown_ones_are_counted_on_a_line_of_their_own(extra: int, summary: str) -> None:
    """Found by the property below: the count line is no field's problem, and says "problem" for one."""
    error = SchemaError([f"blocks[{i}].title: missing" for i in range(SchemaError.SHOWN + extra)], file="edited.json")
    assert error.lines()[-1] == f"edited.json: {summary}; compare with the output of 'calsync parse'"
    assert all(PROBLEM.match(line.removeprefix("edited.json: ")) for line in error.lines())


@SETTINGS
@given(data=edited_agendas())
def test_structured_agendas_end_in_an_agenda_or_in_one_line_per_problem(data: dict[str, Any]) -> None:
    try:
        agenda = agenda_from_data(data, file="edited.json")
    except SchemaError as e:
        assert e.problems and len(e.lines()) == len(e.shown)
        for line in e.lines():
            assert "\n" not in line and line.startswith("edited.json: ")
            assert PROBLEM.match(line.removeprefix("edited.json: ")), line
            clean(line, "error line")
        return
    except CalsyncError as e:
        assert "\n" not in e.sentence()
        return
    all_outputs_are_clean(agenda)


@SETTINGS
@given(
    data=edited_agendas(),
    fmt=st.sampled_from(["json", "yaml"]),
    cut=st.integers(0, 400),
    insert=st.sampled_from(
        [
            b"",
            b"\x00",
            b"\x1b[31m",
            b"&a [*a]",
            b"*nope",
            b"{{{{",
            b"\xff\xfe",
            b"\\ud800",
            b"!!python/object:os.system",
            b"<<: *a",
            b"\t",
            b"\r\n",
        ]
    ),
)
def test_structured_files_as_bytes(data: dict[str, Any], fmt: str, cut: int, insert: bytes) -> None:
    text = json.dumps(data, ensure_ascii=True) if fmt == "json" else yaml.safe_dump(data, allow_unicode=False)
    raw = bytearray(text.encode("utf-8", "surrogatepass"))
    at = min(cut, len(raw))
    raw[at:at] = insert
    try:
        agenda = read_agenda_bytes(bytes(raw), f"agenda.{fmt}", OPTIONS)
    except CalsyncError as e:
        for line in e.lines():
            assert "\n" not in line
            clean(line, "error")
        return
    all_outputs_are_clean(agenda)


@st.composite
def hostile_text(draw: st.DrawFn) -> bytes:
    """A real agenda with terminal escapes, control bytes and odd line ends spliced into it."""
    data = bytearray(draw(st.sampled_from(AGENDAS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(
            st.sampled_from(
                [
                    b"\x1b[31m",
                    b"\x1b]0;t\x07",
                    b"\xc2\x9b2J",
                    b"\x00",
                    b"\r",
                    b"\x0c",
                    b"\x85",
                    b"\xe2\x80\xae",
                    b"\x7f",
                    b"\x1b",
                    b"\x08\x08",
                    b"\r=1+1",
                    b"[z](https://zoom.us/j/9\x1b)",
                    b"@x",
                    b"\n16:00 - 17:00 \x1b[2J\n",
                ]
            )
        )
    return bytes(data)


@SETTINGS
@given(data=hostile_text())
def test_text_agendas_put_no_control_character_into_any_output(data: bytes) -> None:
    try:
        agenda = read_agenda_bytes(data, "hostile.md", OPTIONS)
    except CalsyncError as e:
        clean(e.sentence(), "error")
        return
    all_outputs_are_clean(agenda)
