"""``calsync diff OLD NEW``: a change notice with old and new local times per participant zone, in the agenda's
language, as text, Markdown, HTML or JSON; agendas, reviewed JSON/YAML and .ics files alike."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cli_run import EXAMPLE
from cli_run import edited_example as example
from typer.testing import CliRunner

from calsync.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

# Block III moved from 16:15–16:50 to 16:30–17:05 (Paris, summer time: 14:30–15:05 UTC), worked out by hand for the
# eight countries the seed agenda names: the notice must give each one's new and old local times.
EIGHT = [
    ("Guatemala", "08:30–09:05 (UTC−06:00)", "08:15–08:50"),
    ("Honduras", "08:30–09:05 (UTC−06:00)", "08:15–08:50"),
    ("Côte d'Ivoire", "14:30–15:05 (UTC)", "14:15–14:50"),
    ("Ghana", "14:30–15:05 (UTC)", "14:15–14:50"),
    ("Costa Rica", "08:30–09:05 (UTC−06:00)", "08:15–08:50"),
    ("Cameroun", "15:30–16:05 (UTC+01:00)", "15:15–15:50"),
    ("Chili", "10:30–11:05 (UTC−04:00)", "10:15–10:50"),  # July: Chile's winter, UTC−4
    ("Madagascar", "17:30–18:05 (UTC+03:00)", "17:15–17:50"),
]


def seed_moved(tmp_path: Path, minutes_later: int = 15) -> Path:
    data = json.loads((ROOT / "tests" / "data" / "seed.hand.json").read_text(encoding="utf-8"))
    block = data["blocks"][2]
    assert block["number"] == "III"
    block["start"], block["end"] = "2020-07-22T16:30:00+02:00", "2020-07-22T17:05:00+02:00"
    path = tmp_path / "seed-v2.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def diff(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["diff", *args])
    return result.exit_code, result.stdout, result.stderr


def test_seed_with_block_iii_moved_gives_old_and_new_times_for_each_of_the_eight_countries(tmp_path: Path) -> None:
    code, out, err = diff(str(ROOT / "tests" / "data" / "seed.hand.json"), str(seed_moved(tmp_path)))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Changes to the programme of 8e réunion du groupe de coordination mondiale de l'Alliance 8.7"
    assert lines[1] == "Wednesday, July 22, 2020"
    assert lines[3] == "III. Mobilisation des nouveaux pays pionniers: new time"
    assert lines[4].endswith(": 16:30–17:05 (UTC+02:00), instead of 16:15–16:50")  # the meeting's own clock first
    for country, new, old in EIGHT:
        [line] = [x for x in lines if x.startswith(f"  {country}")]
        assert line.endswith(f": {new}, instead of {old}"), line
    assert len(lines) == 4 + 1 + len(EIGHT)  # nothing else: short enough for an e-mail


def test_in_the_agendas_language_or_lang(tmp_path: Path) -> None:
    v2 = example(tmp_path, **{"16h15 – 16h50 III": "16h30 – 17h05 III"})
    _, fr, _ = diff(str(EXAMPLE), str(v2), "-q")
    assert fr.splitlines()[:4] == [
        "Modifications du programme : 8e réunion du groupe de coordination mondiale de l'Alliance 8.7",
        "mercredi 22 juillet 2020",
        "",
        "III. Mobilisation des nouveaux pays pionniers : nouvel horaire",
    ]
    assert "  Ghana : 14:30–15:05 (UTC), au lieu de 14:15–14:50" in fr.splitlines()
    _, de, _ = diff(str(EXAMPLE), str(v2), "-q", "--lang", "de")
    assert (
        "III. Mobilisation des nouveaux pays pionniers: neue Zeit" in de
        and "  Ghana: 14:30–15:05 (UTC) statt 14:15–14:50" in de
    )
    _, es, _ = diff(str(EXAMPLE), str(v2), "-q", "--lang", "es", "--tz", "Bogotá")
    assert "Cambios en el programa:" in es and "09:30–10:05 (UTC−05:00), en lugar de 09:15–09:50" in es


def test_retitled_renumbered_added_removed_and_the_link(tmp_path: Path) -> None:
    v2 = example(
        tmp_path,
        **{
            "Echange entre les membres du GCM": "Échange ouvert entre les membres",
            "VI. Remarques finales": "VII. Remarques finales",
            "#### 16h08 – 16h15 II. Mise à jour sur la stratégie des pays pionniers (Secrétariat) (7 min)": "",
        },
    )
    _, out, err = diff(str(EXAMPLE), str(v2), "-q", "--lang", "en", "--zoom-url", "https://zoom.us/j/81234567890")
    lines = out.splitlines()
    assert (
        "Removed from the programme: II. Mise à jour sur la stratégie des pays pionniers (Secrétariat) (was "
        "16:08–16:15, Central European Summer Time (Europe/Brussels))" in lines
    )
    assert "V. Échange ouvert entre les membres: new title (was “V. Echange entre les membres du GCM”)" in lines
    assert "VII. Remarques finales et prochaines étapes (Présidence): new number (was VI)" in lines
    assert lines[-1] == "Join link: https://zoom.us/j/81234567890"


def test_nothing_changed(tmp_path: Path) -> None:
    code, out, _ = diff(str(EXAMPLE), str(EXAMPLE), "-q")
    assert code == 0
    assert (
        out.splitlines()[0] == "Rien n’a changé au programme : 8e réunion du groupe de coordination mondiale de "
        "l'Alliance 8.7."
    )


def test_ics_files_as_versions(tmp_path: Path) -> None:
    """The .ics sent last time against the agenda now (or against the new .ics): the same notice."""
    old_ics, new_ics = tmp_path / "v1.ics", tmp_path / "v2.ics"
    v2 = example(
        tmp_path,
        **{
            "16h15 – 16h50 III": "16h30 – 17h05 III",
            "Echange entre les membres du GCM": "Échange ouvert entre les membres",
        },
    )
    assert runner.invoke(app, ["ics", "-q", "-o", str(old_ics)]).exit_code == 0
    assert runner.invoke(app, ["ics", str(v2), "-q", "-o", str(new_ics), "--previous", str(old_ics)]).exit_code == 0
    _, from_agendas, _ = diff(str(EXAMPLE), str(v2), "-q", "--lang", "en", "--tz", "Ghana")
    _, from_files, err = diff(str(old_ics), str(new_ics), "-q", "--lang", "en", "--tz", "Ghana")
    assert from_files == from_agendas, err
    _, mixed, _ = diff(str(old_ics), str(v2), "-q", "--lang", "en", "--tz", "Ghana")
    assert mixed == from_agendas


def test_markdown_and_json(tmp_path: Path) -> None:
    v2 = seed_moved(tmp_path)
    _, md, _ = diff(str(ROOT / "tests" / "data" / "seed.hand.json"), str(v2), "-f", "markdown")
    assert "| Where | New time | Before |" in md and "| Ghana | 14:30–15:05 (UTC) | 14:15–14:50 |" in md
    out = tmp_path / "notice.json"
    code, _, err = diff(str(ROOT / "tests" / "data" / "seed.hand.json"), str(v2), "-o", str(out))
    assert code == 0 and f"calsync: wrote {out} (json, 1 change)" in err
    data = json.loads(out.read_text(encoding="utf-8"))
    [change] = data["changes"]
    assert change["kinds"] == ["moved"] and change["block"] == "iii"
    assert change["old"] == {"start": "2020-07-22T16:15:00+02:00", "end": "2020-07-22T16:50:00+02:00"}
    assert {row["tz"] for row in change["times"]} >= {"America/Guatemala", "Indian/Antananarivo"}


def test_each_notice_format_is_one_the_command_takes(tmp_path: Path) -> None:
    """The library's NoticeFormat and ``diff -f`` name the same forms; render_notice takes the enum or its name."""
    from calsync.notice import NoticeFormat, render_notice

    assert [str(f) for f in NoticeFormat] == ["text", "markdown", "html", "json"]
    seed, v2 = str(ROOT / "tests" / "data" / "seed.hand.json"), str(seed_moved(tmp_path))
    for form in NoticeFormat:
        code, out, err = diff(seed, v2, "-q", "-f", form.value)
        assert code == 0 and out, (form, err)
    data = json.loads(diff(seed, v2, "-q", "-f", "json")[1])
    assert render_notice(data, NoticeFormat.MARKDOWN) == render_notice(data, "markdown")
    with pytest.raises(ValueError):
        render_notice(data, "pdf")


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        self.scripts += tag == "script"
        if tag not in ("meta", "br"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (self.open, tag)
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_one_well_formed_page_with_the_agendas_text_escaped(tmp_path: Path) -> None:
    data = json.loads(seed_moved(tmp_path).read_text(encoding="utf-8"))
    data["blocks"][2]["title"] = "Mobilisation <script>alert(1)</script> & co"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "notice.html"
    code, _, err = diff(str(ROOT / "tests" / "data" / "seed.hand.json"), str(hostile), "-o", str(out))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(page)
    assert parser.open == [] and parser.scripts == 0
    text = " ".join(" ".join(parser.text).split())
    assert "III. Mobilisation <script>alert(1)</script> & co: new time and new title" in text
    assert "Madagascar 17:30–18:05 (UTC+03:00) 17:15–17:50" in text


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["missing.md", "also-missing.md"], 66, "cannot read missing.md"),
        (["-o", "notice.xlsx"], 2, "calsync does not know which format to write for '.xlsx'"),
        (["--zoom-url", "zoom"], 2, "--zoom-url 'zoom' is not a web link"),
    ],
)
def test_bad_input_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    files = [] if args[0] == "missing.md" else [str(EXAMPLE), str(EXAMPLE)]
    result = runner.invoke(app, ["diff", *files, *args, "-q"])
    assert result.exit_code == code
    [line] = result.stderr.splitlines()
    assert line.startswith("calsync: error: ") and words in line and "Traceback" not in result.output
    assert not (tmp_path / "notice.xlsx").exists()


def test_diff_has_help_for_every_option() -> None:
    result = runner.invoke(app, ["diff", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--tz", "--participants", "--format", "--output", "--lang", "--zoom-url", "--meeting-tz"):
        assert option in result.stdout
