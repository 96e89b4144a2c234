"""Signals are types, not strings: warning codes, zone sources, a zone label that names the wrong half of the year."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from calsync import read_agenda
from calsync.cli import app
from calsync.model import MEANINGS, Notice, WarningCode
from calsync.reading import ReadOptions
from calsync.reading.checks import check
from calsync.reading.text import parse_text
from calsync.render import render_times_csv, render_times_json
from calsync.zones import Flag, ZoneSource, local_times, participant_zones

README = Path(__file__).parents[1] / "README.md"
JULY_CET = "# Meeting\n\nDate: 22 July 2020\n\n16:00 – 16:30 (CET) Opening\n16:30 – 17:00 Talks\n"


def readme_codes() -> dict[str, str]:
    """The warning tables of README: code → meaning."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("**Where calsync is unsure") : text.index("**Review and correct what was read.**")]
    return dict(re.findall(r"^\| `([a-z-]+)` \| (.+?) \|$", section, re.M))


def test_readme_lists_exactly_the_warning_codes_with_their_meanings():
    assert readme_codes() == {str(code): code.meaning for code in WarningCode}


def test_every_code_has_a_meaning():
    assert set(MEANINGS) == set(WarningCode) and all(MEANINGS.values())


def test_codes_are_written_as_their_values_in_json_and_yaml():
    notice = Notice("Opening ends after midnight", 4, WarningCode.MIDNIGHT)
    assert json.dumps(notice.to_data()) == '{"line": 4, "code": "midnight", "message": "Opening ends after midnight"}'
    assert yaml.safe_load(yaml.safe_dump(notice.to_data()))["code"] == "midnight"  # safe_dump refuses enum objects
    assert Notice.from_data(notice.to_data()) == notice


@pytest.mark.parametrize(
    "code, read",
    [("zone-label", WarningCode.ZONE_LABEL), ("time-not-read", WarningCode.TIME_NOT_READ), (None, WarningCode.NOTE)],
)
def test_codes_are_read_back_as_members(code: str | None, read: WarningCode):
    assert Notice.from_data({"message": "m", "code": code}).code is read


def test_an_unknown_code_in_a_reviewed_file_is_still_a_warning():
    assert Notice.from_data({"message": "m", "code": "from-a-later-version"}).code is WarningCode.NOTE


def test_parse_prints_the_codes_the_enum_knows():
    data = json.loads(CliRunner().invoke(app, ["parse", "-q"]).stdout)
    assert [w["code"] for w in data["warnings"]] == ["zone-label", "numbering"]
    assert all(w["code"] in set(WarningCode) for w in data["warnings"])


# --- a zone label that names the wrong half of the year: a flag, not a phrase --------------------------------------


def zone_label_warnings(agenda) -> list[str]:  # noqa: ANN001
    return [w.message for w in agenda.warnings if w.code is WarningCode.ZONE_LABEL]


def test_the_disagreement_is_carried_from_the_label_to_the_warning():
    agenda = parse_text(JULY_CET, ReadOptions(), source="a.md")
    assert agenda.timezone.label_disagrees
    assert zone_label_warnings(agenda) == [agenda.timezone.note]


def test_rewording_the_note_cannot_turn_the_warning_off():
    agenda = parse_text(JULY_CET, ReadOptions(), source="a.md")
    reworded = replace(agenda, timezone=replace(agenda.timezone, note="CET means Brussels time here (summer)"))
    assert [(n.code, n.message) for n in check(reworded) if n.code is WarningCode.ZONE_LABEL] == [
        (WarningCode.ZONE_LABEL, "CET means Brussels time here (summer)")
    ]
    # and the old phrase in a note decides nothing either
    winter = parse_text(JULY_CET.replace("July", "January"), ReadOptions(), source="a.md")
    assert not winter.timezone.label_disagrees
    phrase = replace(winter, timezone=replace(winter.timezone, note="(use --literal-offsets for it)"))
    assert not [n for n in check(phrase) if n.code is WarningCode.ZONE_LABEL]


def test_a_literal_reading_does_not_disagree():
    agenda = parse_text(JULY_CET, ReadOptions(literal_offsets=True), source="a.md")
    assert agenda.timezone.zone == "Etc/GMT-1" and not agenda.timezone.label_disagrees
    assert not zone_label_warnings(agenda)


def test_a_reviewed_file_has_the_disagreement_decided_again(tmp_path: Path):
    """The flag is not in the plain-data form: the reviewed file's label and zone decide it, whatever its note says."""
    runner = CliRunner()
    reviewed = tmp_path / "gcm8.yaml"
    assert runner.invoke(app, ["parse", "-f", "yaml", "-o", str(reviewed), "-q"]).exit_code == 0
    data = yaml.safe_load(reviewed.read_text(encoding="utf-8"))
    assert "label_disagrees" not in data["timezone"]
    data["timezone"]["note"] = "read as Brussels time"  # reworded by the person
    reviewed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert zone_label_warnings(read_agenda(reviewed)) == ["read as Brussels time"]
    data["timezone"]["as_written"] = "CEST"  # the label corrected: summer time in July, nothing to say
    reviewed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert zone_label_warnings(read_agenda(reviewed)) == []


# --- zone sources -------------------------------------------------------------------------------------------------


def test_zone_sources_are_written_as_their_values(tmp_path: Path):
    agenda = read_agenda(None)
    people = tmp_path / "people.csv"
    people.write_text("name,country\nAna,Chile\n", encoding="utf-8")
    zones = participant_zones(agenda, tz=["Ghana"], participants=people)
    assert [z.source for z in zones] == [ZoneSource.MEETING, ZoneSource.TZ, ZoneSource.PARTICIPANTS]
    assert [z.source for z in participant_zones(agenda)][:2] == [ZoneSource.MEETING, ZoneSource.AGENDA]
    data = json.loads(render_times_json(agenda, local_times(agenda, zones), zones))
    assert [z["source"] for z in data["zones"]] == ["meeting", "tz", "participants"]


def test_local_time_flags_are_written_as_their_values():
    agenda = read_agenda(None)  # 16:00 in Brussels: night in Tokyo, early in Los Angeles
    zones = participant_zones(agenda, tz=["Tokyo", "Los Angeles"])
    times = local_times(agenda, zones)
    assert {f for lt in times for f in lt.flags} <= set(Flag)
    data = json.loads(render_times_json(agenda, times, zones))
    written = {f for row in data["rows"] for f in row["flags"]}
    assert {"night", "early", "outside-work-hours"} <= written <= {str(f) for f in Flag}
    assert "night" in render_times_csv(times) and "Flag." not in render_times_csv(times)
