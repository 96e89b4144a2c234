"""The real agendas in tests/data (copied from ../shared/agendas, source line kept) against their hand-made
expectations.

Where an agenda does not carry what calsync needs (no zone written, no year), the test passes what a user would pass
on the command line and says why; the expectations themselves are never changed.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from agenda_score import same_title

from calsync.errors import AgendaError, ZoneError
from calsync.reading import ReadOptions, read_agenda

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 11, 29)

# What a user must add for agendas that leave it out, and why.
NEEDS = {
    "04-un-bbnj-prepcom3-2017": ("zone", "no zone written; the meeting is in New York (expected guess)"),
    "05-ilo-global-summit-2020": (
        "date",
        "dates are '1 July' etc. with no year and no weekday; 2020 comes from outside the text",
    ),
    "07-nbis-snakemake-byoc-2020": ("zone", "no zone written; an NBIS (Sweden) workshop"),
    "09-alde-congress-2021-day2": ("zone", "no zone written; ALDE is Brussels-based"),
    "11-iesf-convention-connaissances-2025": ("zone", "no zone written; Fontainebleau"),
    "13-attac-assises-programme": ("zone", "no zone written; France"),
    "15-bibliored-cultura-de-paz": ("zone", "no zone written; Bogotá"),
    "18-gebf-2015-tagungsprogramm": ("zone", "no zone written; a conference in Germany"),
    "20-gruene-kiefersfelden-wahlprogramm-workshop": ("zone+date", "neither zone nor date in the text"),
}
CASES = sorted(p.stem.replace(".expected", "") for p in DATA.glob("[0-9][0-9]-*.expected.json"))


def expected(name: str) -> dict:
    return json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))


def options_for(name: str) -> ReadOptions:
    exp = expected(name)
    need = NEEDS.get(name, ("", ""))[0]
    meeting_tz = exp["iana_timezone_guess"] if "zone" in need else None
    day = None
    if "date" in need:
        day = date.fromisoformat(exp["days"][0]["date"]) if exp["days"][0]["date"] else date(2024, 1, 1)
    return ReadOptions(meeting_tz=meeting_tz, date=day, today=TODAY)


def _block_at(agenda, day: str | None, w: dict) -> bool:
    """Whether a closing item ("End of day 1") was read as a block; otherwise it must end the block before it."""
    found = any(b.start.strftime("%H:%M") == w["start"] and same_title(b.title, w["title"]) for b in agenda.blocks)
    if not found:
        assert any(
            b.end.strftime("%H:%M") == w["start"] and (day is None or b.start.date().isoformat() == day)
            for b in agenda.blocks
        ), f"closing item {w['title']!r} is neither a block nor the end of one"
    return found


@pytest.mark.parametrize("name", CASES)
def test_real_agenda(name: str) -> None:
    exp = expected(name)
    agenda = read_agenda(DATA / f"{name}.md", options_for(name))
    want = [(day["date"], b) for day in exp["days"] for b in day["blocks"] if not b.get("optional")]
    want = [(day, w) for day, w in want if not (w.get("closing") and not _block_at(agenda, day, w))]
    assert len(agenda.blocks) == len(want), [b.title for b in agenda.blocks]
    for block, (day, w) in zip(agenda.blocks, want, strict=False):
        assert block.start.strftime("%H:%M") == w["start"], block.title
        if w["end"] is None:
            assert block.end_inferred, f"{block.title}: the agenda gives no end, so it must be marked inferred"
        else:
            assert block.end.strftime("%H:%M") == w["end"] and not block.end_inferred, block.title
        if day is not None:
            assert block.start.date().isoformat() == day, block.title
        assert same_title(block.title, w["title"]), (block.title, w["title"])
    if exp["timezone_as_written"]:
        guess = exp["iana_timezone_guess"]
        # the same civil time: Europe/Berlin and Europe/Brussels agree on every instant of these meetings
        from zoneinfo import ZoneInfo

        for block in agenda.blocks:
            assert block.start.utcoffset() == block.start.astimezone(ZoneInfo(guess)).utcoffset()


def test_undated_year_inferred_from_weekday() -> None:
    """13: 'Samedi 14 mai' has no year; the expectation leaves the date null (2016 and 2022 both fit).

    calsync reads the nearest matching year to today (2022 from 2026) and says so in a warning, so the organiser can
    correct it with --date; this test checks that rather than the null the hand expectation records.
    """
    agenda = read_agenda(DATA / "13-attac-assises-programme.md", options_for("13-attac-assises-programme"))
    assert [d.isoformat() for d in agenda.dates] == ["2022-05-14", "2022-05-15"]
    assert [w.code for w in agenda.warnings].count("year-inferred") == 1


def test_no_year_without_weekday_asks_for_date() -> None:
    with pytest.raises(AgendaError, match=r"--date YYYY-MM-DD"):
        read_agenda(DATA / "05-ilo-global-summit-2020.md", ReadOptions(today=TODAY))


def test_no_date_at_all_asks_for_date() -> None:
    with pytest.raises(AgendaError, match=r"--date"):
        read_agenda(
            DATA / "20-gruene-kiefersfelden-wahlprogramm-workshop.md",
            ReadOptions(meeting_tz="Europe/Berlin", today=TODAY),
        )


def test_no_zone_asks_for_meeting_tz() -> None:
    with pytest.raises(ZoneError, match=r"--meeting-tz"):
        read_agenda(DATA / "18-gebf-2015-tagungsprogramm.md", ReadOptions(today=TODAY))


def test_date_override_moves_a_multi_day_programme() -> None:
    agenda = read_agenda(
        DATA / "18-gebf-2015-tagungsprogramm.md",
        ReadOptions(meeting_tz="Europe/Berlin", date=date(2016, 3, 9), today=TODAY),
    )
    assert [d.isoformat() for d in agenda.dates] == ["2016-03-09", "2016-03-10", "2016-03-11"]


def test_two_zones_in_prose_take_the_first() -> None:
    agenda = read_agenda(DATA / "17-oei-webinar-cultura-iberoamerica-2020.md", ReadOptions(today=TODAY))
    assert agenda.timezone.zone == "Europe/Madrid" and agenda.timezone.as_written == "hora de España"
    assert agenda.location == "Microsoft Teams"
