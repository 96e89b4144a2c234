"""Mangled versions of the real agendas: nothing but a calsync error may ever escape the reader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calsync.errors import CalsyncError
from calsync.reading import ReadOptions
from calsync.reading.source import read_agenda_bytes

DATA = Path(__file__).parent / "data"
AGENDAS = sorted(p.read_bytes() for p in DATA.glob("[0-9][0-9]-*.md")) + [
    (Path(__file__).parents[1] / "calsync" / "examples" / "alliance87-gcm8-2020-07-22.fr.md").read_bytes()
]
OPTIONS = [
    ReadOptions(today=date(2026, 11, 29)),
    ReadOptions(meeting_tz="Europe/Paris", date=date(2021, 3, 28), today=date(2026, 11, 29)),
    ReadOptions(meeting_tz="America/Santiago", literal_offsets=True, today=date(2026, 11, 29)),
]


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(AGENDAS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "flip", "duplicate", "truncate", "lines"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "delete":
            del data[pos : pos + draw(st.integers(1, 200))]
        elif op == "insert":
            data[pos:pos] = draw(
                st.sampled_from(
                    [
                        b"25:00",
                        b" - ",
                        b"\xff\xfe",
                        b"\x00",
                        b"24:00 - 23:59 ",
                        b"\n3-6 p.m. X\n",
                        b"CEST",
                        b"GMT+14",
                        b"UTC+5:30",
                        b"\n# ",
                        b"**",
                        b"|",
                        b"31.02.2020",
                        b"\n12:30 m. 1:00 p. m.\n",
                        b"(0 min)",
                        b"\t",
                        "é–".encode(),
                        b"\n02:30 - 03:30 Night\n",
                        b"Monday, 29 February 2021\n",
                    ]
                )
            )
        elif op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "duplicate":
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 400))]
        elif op == "truncate":
            del data[pos:]
        elif op == "lines":
            lines = bytes(data).split(b"\n")
            draw(st.randoms()).shuffle(lines)
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=mangled(), options=st.sampled_from(OPTIONS))
def test_only_calsync_errors_escape(data: bytes, options: ReadOptions) -> None:
    try:
        agenda = read_agenda_bytes(data, "mangled.md", options)
    except CalsyncError as e:
        assert "\n" not in e.sentence()
        return
    # whatever was read is a checked agenda: aware times, ends after starts, a real IANA zone
    for block in agenda.blocks:
        assert block.start.utcoffset() is not None and block.end > block.start
