"""The options the agenda commands share: declared once (Annotated aliases in calsync/cli/options.py), listed alike on
every command's --help, and each one reaching the reader of every command."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calsync.cli import app
from calsync.cli.app import AgendaInput, output_format
from calsync.cli.diff_cmd import NoticeFormat
from calsync.cli.options import Language
from calsync.errors import UsageError

CLI = Path(__file__).parents[1] / "calsync" / "cli"
runner = CliRunner()

# (option as --help shows it, the start of its help text), in the order every agenda command lists them
READING = [
    ("--meeting-tz ZONE", "The meeting's time zone (IANA name, city or label such as CET); overrides the agenda's."),
    ("--date YYYY-MM-DD", "The meeting's date, YYYY-MM-DD; overrides or supplies the agenda's date."),
    ("--literal-offsets", "Read CET/CEST-style labels as fixed UTC offsets instead of the region's civil time."),
    ("--encoding NAME", "Text encoding of the agenda when it is not UTF-8 (e.g. cp1252)."),
    ("-q, --quiet", "Do not print the agenda's warnings."),
]
MEETING_KEY = ("--meeting-key KEY", "Pin the meeting's identity (event UIDs and Google events)")
LANG = ("--lang <en|fr|es|de>", "Language of what calsync writes for people")
AGENDA = ("AGENDA", "Agenda file")
AGENDAS = ("AGENDA", "Agenda files")

COMMANDS = {
    "ics": [AGENDA, *READING, MEETING_KEY, LANG],
    "times": [AGENDA, *READING, LANG],
    "parse": [AGENDA, *READING, MEETING_KEY],
    "push": [AGENDA, *READING, MEETING_KEY, LANG],
    "publish": [AGENDAS, *READING, LANG],
    "serve": [AGENDAS, *READING, LANG],
    "diff": [LANG, *READING],  # OLD and NEW instead of AGENDA; --lang among its own options
}


def help_of(command: str) -> str:
    """The command's --help with its wrapping undone (every run of spaces and line breaks one space)."""
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_agenda_command_lists_the_shared_options_in_one_order(command: str) -> None:
    text = help_of(command)
    where = []
    for shown, help_start in COMMANDS[command]:
        match = re.search(rf"(?<= ){re.escape(shown)} {re.escape(help_start)}", text)
        assert match, f"{command} --help lacks {shown!r} with its shared help"
        where.append(match.start())
    assert where == sorted(where), f"{command} --help lists the shared options in another order"


@pytest.mark.parametrize("command", ["auth"])
def test_a_command_without_an_agenda_has_none_of_its_options(command: str) -> None:
    text = help_of(command)
    assert "AGENDA" not in text and "--meeting-tz" not in text


def _read(command: str, tmp_path: Path) -> list[str]:
    """The command line that makes ``command`` read the built-in example (and write only into tmp_path)."""
    return {
        "ics": ["ics", "-o", str(tmp_path / "a.ics")],
        "times": ["times", "-o", str(tmp_path / "t.txt")],
        "parse": ["parse", "-o", str(tmp_path / "a.json")],
        "push": ["push", "--dry-run", "--caldav", "http://127.0.0.1:9/"],  # the agenda is read before any network
        "publish": ["publish", "-o", str(tmp_path / "site")],
    }[command]


@pytest.mark.parametrize("command", ["ics", "times", "parse", "push", "publish"])
@pytest.mark.parametrize(
    "given, error",
    [
        (["--date", "22/07/2020"], "calsync: error: --date '22/07/2020' is not a date"),
        (["--meeting-tz", "Genevaa"], "--meeting-tz: unknown time zone 'Genevaa'"),
    ],
)
def test_each_reading_option_reaches_the_reader(command: str, given: list[str], error: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [*_read(command, tmp_path), *given])
    assert result.exit_code in (2, 65), result.output
    assert error in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("command", ["ics", "parse", "push"])
def test_meeting_key_reaches_the_reader(command: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [*_read(command, tmp_path), "--meeting-key", "Not A Key"])
    assert result.exit_code == 2
    assert result.stderr.startswith("calsync: error: --meeting-key 'Not A Key' is not a key")


@pytest.mark.parametrize("command", ["ics", "times"])
def test_lang_reaches_what_is_written(command: str) -> None:
    german, english = (runner.invoke(app, [command, "-q", "--lang", lang]) for lang in ("de", "en"))
    assert german.exit_code == english.exit_code == 0
    assert german.stdout != english.stdout


@pytest.mark.parametrize(
    "agendas, expected",
    [
        (None, [None]),  # no AGENDA: the built-in example
        ([], [None]),
        ([Path("a.md"), Path("b.pdf")], [Path("a.md"), Path("b.pdf")]),
    ],
)
def test_each_agenda_given_is_read_with_the_same_options(
    agendas: list[Path] | None, expected: list[Path | None]
) -> None:
    shared = AgendaInput(meeting_tz="CET", date="2020-07-22", literal_offsets=True, quiet=True, lang=Language.fr)
    sources = shared.each(agendas)
    assert [s.agenda for s in sources] == expected
    assert all(s == AgendaInput(agenda=s.agenda, **_options(shared)) for s in sources)


def _options(source: AgendaInput) -> dict[str, object]:
    return {k: v for k, v in vars(source).items() if k != "agenda"}


def test_options_are_declared_with_annotated_never_as_defaults() -> None:
    """`name: Opt = None` with Opt an Annotated alias, not `name: str = typer.Option(None, …)` (ruff's B008): the
    shared ones are declared once, and a command reads as a plain function."""
    offenders = []
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
                    if isinstance(default, ast.Call) and getattr(default.func, "attr", "") in ("Option", "Argument"):
                        offenders.append(f"{path.name}:{default.lineno}")
    assert offenders == []


EXTENSIONS = {".txt": "text", ".html": "html", ".json": "json"}


@pytest.mark.parametrize(
    "given, output, expected",
    [
        (None, None, "text"),  # standard output: the command's default
        (None, "-", "text"),  # "-o -" is standard output too
        (None, "notice.HTML", "html"),  # the extension, in any case
        (NoticeFormat.json, "notice.html", "json"),  # --format wins over the extension
        (NoticeFormat.json, "notice.xlsx", "json"),  # even over one calsync does not know
    ],
)
def test_output_format(given: NoticeFormat | None, output: str | None, expected: str) -> None:
    assert output_format(given, Path(output) if output else None, EXTENSIONS, default="text") == expected


@pytest.mark.parametrize("output, what", [("notice.xlsx", "'.xlsx'"), ("notice", "'no extension'")])
def test_an_unknown_extension_is_an_error_not_a_guess(output: str, what: str) -> None:
    with pytest.raises(UsageError) as info:
        output_format(None, Path(output), EXTENSIONS, default="text")
    assert info.value.message == f"-o {output}: calsync does not know which format to write for {what}"
    assert info.value.hint == "name the file with one of .txt, .html, .json, or give --format"


def test_the_cli_choices_are_the_librarys() -> None:
    """The CLI declares --on-conflict's and diff -f's choices itself (importing the sync engine or the notice would
    load them for every command); they must stay the library's values."""
    from calsync.cli.diff_cmd import NoticeFormat as CliNoticeFormat
    from calsync.cli.sync_cmd import OnConflict as CliOnConflict
    from calsync.notice import NoticeFormat
    from calsync.sync.conflicts import OnConflict

    assert [c.value for c in CliOnConflict] == [c.value for c in OnConflict]
    assert [c.value for c in CliNoticeFormat] == [c.value for c in NoticeFormat]
