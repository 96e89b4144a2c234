"""The Typer app and what every command shares: reading AGENDA, writing output, reporting errors.

This package is the only place in calsync that prints, prompts or exits.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ..errors import CalsyncError, OutputError, UsageError, ZoneError
from ..model import MEETING_KEY_PATTERN, Agenda, join_url_problem
from ..printable import one_line, shorten
from .options import Language

if TYPE_CHECKING:
    from ..zones import ParticipantZone

app = typer.Typer(
    name="calsync",
    help="Turn a meeting agenda into calendars people can trust: .ics files, participants' local times, "
    "and Google or CalDAV calendar events kept in step with the agenda.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a traceback must never print a token
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"calsync {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Turn a meeting agenda into calendars people can trust.

    Every command reads AGENDA (Markdown, text, PDF, Word, or the JSON/YAML from 'calsync parse'); without it, the
    built-in example agenda. Warnings about the agenda go to stderr, results to stdout or -o FILE.
    """


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived while a file was being written: unwind (removing the temporary file), then exit."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def reports_errors(func: F) -> F:
    """Turn calsync errors into one line on stderr (one per problem) and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CalsyncError as e:
            for line in e.lines():
                typer.echo(f"calsync: error: {one_line(line)}", err=True)
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("calsync: interrupted", err=True)
            raise typer.Exit(130) from None
        except Terminated as e:
            typer.echo("calsync: terminated", err=True)
            raise typer.Exit(128 + e.signum) from None

    return wrapper  # type: ignore[return-value]


def check_join_url(value: str | None) -> str | None:
    """The join URL if it is an http(s) link with a host; a one-line error otherwise."""
    if value is None:
        return None
    text = value.strip()
    problem = join_url_problem(text)
    if problem:
        raise UsageError(
            f"--zoom-url {shorten(value, 80)!r} {problem}",
            hint="give the full join link, e.g. --zoom-url https://zoom.us/j/123456789",
        )
    return text


def check_zones(values: Sequence[str] | None) -> None:
    """Resolve every --tz value before the agenda is read, so a typo is the only line the person sees."""
    from ..zones import resolve_zone

    for value in values or ():
        decodable(value, "--tz")
        for part in value.split(","):
            if part.strip():
                resolve_zone(part.strip())


def zones_for(agenda: Agenda, tz: Sequence[str] | None, participants: Path | None) -> list[ParticipantZone]:
    """The participants' zones: --tz and --participants when given, else the countries the agenda names."""
    from ..zones import participant_zones

    return participant_zones(agenda, tuple(tz or ()), participants)


def note_if_no_participants(zones: Sequence[ParticipantZone], quiet: bool) -> None:
    """Say how to name the participants when the agenda names none (the meeting's own zone is the only one)."""
    if not quiet and len(zones) == 1:
        note("calsync: note: the agenda names no participants' countries; add --tz ZONE or --participants FILE")


def decodable(value: str | None, option: str) -> str | None:
    """``value`` unless the command line gave bytes that are not UTF-8 (Python keeps them as lone surrogates, which
    nothing downstream can encode): a usage error, shown with ``�``."""
    if value is not None and any("\ud800" <= ch <= "\udfff" for ch in value):
        raise UsageError(
            f"{option} {one_line(shorten(value, 60))!r} holds bytes that are not UTF-8",
            hint=f"type the {option} value again, or set a UTF-8 locale",
        )
    return value


def parse_date(value: str | None) -> Date | None:
    if value is None:
        return None
    try:
        return Date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--date {shorten(value, 40)!r} is not a date", hint="write it as YYYY-MM-DD, e.g. --date 2020-07-22"
        ) from None


def check_alarm(alarm: int | None) -> None:
    """--alarm is minutes before, at most a week."""
    if alarm is not None and not 0 <= alarm <= 10080:
        raise UsageError(
            f"--alarm {alarm} is not between 0 and 10080 minutes (a week)",
            hint="give the minutes before each block, e.g. --alarm 10",
        )


def output_format(given: enum.StrEnum | None, output: Path | None, extensions: Mapping[str, str], default: str) -> str:
    """The format to write: --format when given, else the one the -o file's extension asks for ("times.html" →
    html), else ``default`` on standard output.

    An extension calsync does not know is an error rather than a guess, so "-o times.xlsx" never writes a table.
    """
    if given is not None:
        return given.value
    if output is None or str(output) == "-":
        return default
    suffix = Path(output).suffix.lower()
    if suffix not in extensions:
        known = ", ".join(dict.fromkeys(extensions))
        raise UsageError(
            f"-o {output}: calsync does not know which format to write for {suffix or 'no extension'!r}",
            hint=f"name the file with one of {known}, or give --format",
        )
    return extensions[suffix]


def source_date_epoch() -> datetime | None:
    """DTSTAMP for reproducible output: ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip():
        return None
    try:
        return datetime.fromtimestamp(int(raw.strip()), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds since 1970", hint="unset it or give e.g. 1595426400"
        ) from None


@dataclass(frozen=True)
class AgendaInput:
    """AGENDA and the options every reading command shares, as the command received them."""

    agenda: Path | None = None
    meeting_tz: str | None = None
    date: str | None = None
    literal_offsets: bool = False
    encoding: str | None = None
    quiet: bool = False
    meeting_key: str | None = None
    lang: Language | None = None

    def load(self) -> Agenda:
        agenda = load_agenda(
            self.agenda, self.meeting_tz, self.date, self.literal_offsets, self.encoding, self.quiet, self.meeting_key
        )
        # --lang replaces the language the agenda was read in: everything written for people follows it
        return replace(agenda, language=self.lang.value) if self.lang is not None else agenda

    def each(self, agendas: Sequence[Path] | None) -> list[AgendaInput]:
        """One source per AGENDA given (the built-in example when none is), all read with these options."""
        paths: Sequence[Path | None] = agendas or [None]
        return [replace(self, agenda=path) for path in paths]


def load_agenda(
    agenda: Path | None,
    meeting_tz: str | None = None,
    date: str | None = None,
    literal_offsets: bool = False,
    encoding: str | None = None,
    quiet: bool = False,
    meeting_key: str | None = None,
) -> Agenda:
    """Read AGENDA (or the built-in example) with the shared options, and show its warnings on stderr."""
    from ..reading import ReadOptions, read_agenda

    if meeting_key is not None and not MEETING_KEY_PATTERN.fullmatch(meeting_key):
        raise UsageError(
            f"--meeting-key {shorten(meeting_key, 60)!r} is not a key",
            hint="use lower-case letters, digits and hyphens, e.g. --meeting-key gcm8-2020",
        )
    options = ReadOptions(
        meeting_tz=decodable(meeting_tz, "--meeting-tz"),
        date=parse_date(date),
        literal_offsets=literal_offsets,
        encoding=decodable(encoding, "--encoding"),
    )
    try:
        result = read_agenda(agenda, options)
    except ZoneError as e:
        if meeting_tz is None or not e.message.startswith("--meeting-tz"):
            raise
        from ..zones import with_suggestions

        raise with_suggestions(e, meeting_tz) from None
    if meeting_key:
        result = replace(result, key=meeting_key)
    if not quiet:
        where = str(agenda) if agenda else (result.source or "example")
        if agenda and result.source and result.source != str(agenda):
            where = f"{agenda} (from {result.source})"  # reviewed JSON/YAML: line numbers are the original's
        for w in result.warnings:
            prefix = f"{where}:{w.line}" if w.line else where
            typer.echo(one_line(f"calsync: warning: {prefix}: {w.message}"), err=True)
    return result


def emit(text: str | bytes, output: Path | None) -> None:
    """Print to stdout, or write OUTPUT (see :func:`write_file`)."""
    # "replace": a lone surrogate that got this far becomes "?" rather than an internal error
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    if output is None or str(output) == "-":
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            # the reader (head, less) stopped early: that is its choice, not an error; keep Python quiet at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError as e:
            raise OutputError(
                f"cannot write to standard output: {e.strerror or e}",
                hint="check the disk or pipe, or write to a file with -o",
            ) from None
        return
    write_file(Path(output), data)


def write_file(target: Path, data: bytes) -> None:
    """Replace the file ``target`` atomically, as the shell's ``>`` would leave it but never half-written.

    A replaced file keeps its mode (and, where allowed, its owner and group); a new one gets the umask's. A symlink
    stays a link and the file it names gets the content; a device or a pipe (``/dev/null``, ``/dev/stdout``, a FIFO)
    is written to as it is, since there is nothing to replace. The temporary file is removed on every way out,
    Ctrl-C and SIGTERM included.
    """
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(
            f"cannot write {target}: {e.strerror or e}", hint="check the path and its permissions"
        ) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {target}: it is a folder", hint="give a file name with -o")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_through(target, data, st)
        return
    real = Path(os.path.realpath(target))
    directory = real.parent
    if not directory.is_dir():
        raise OutputError(
            f"cannot write {target}: folder {directory} does not exist", hint="create it or choose another -o path"
        )
    if st is not None and not os.access(real, os.W_OK):
        raise OutputError(
            f"cannot write {target}: the file is read-only", hint="make it writable or choose another -o path"
        )
    tmp: str | None = None
    with _signals_unwind():
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=directory)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            _take_over(tmp, st)
            os.replace(tmp, real)
            tmp = None
        except OSError as e:
            hint = "check the path and its permissions"
            if isinstance(e, PermissionError) and tmp is None:
                hint = f"the folder {directory} is not writable: choose another -o path"
            raise OutputError(f"cannot write {target}: {e.strerror or e}", hint=hint) from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _take_over(tmp: str, replaced: os.stat_result | None) -> None:
    """Give the new file the replaced file's mode, owner and group, or the umask's mode when it is new."""
    if replaced is None:
        os.chmod(tmp, 0o666 & ~_umask())
        return
    with contextlib.suppress(OSError):  # only root may give a file away; a group needs membership
        os.chown(tmp, replaced.st_uid, replaced.st_gid)
    os.chmod(tmp, stat.S_IMODE(replaced.st_mode) & 0o777)


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it; set it straight back
    os.umask(mask)
    return mask


def _write_through(target: Path, data: bytes, st: os.stat_result) -> None:
    if not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        raise OutputError(
            f"cannot write {target}: it is neither a file, a pipe nor a character device",
            hint="give a file name with -o",
        )
    try:
        with open(target, "wb") as fh:
            fh.write(data)
    except OSError as e:
        raise OutputError(
            f"cannot write {target}: {e.strerror or e}", hint="check the path and its permissions"
        ) from None


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """While a file is written, SIGTERM and SIGHUP raise :class:`Terminated` so that ``finally`` blocks run."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (a library caller's worker thread): leave them alone
        return

    def unwind(signum: int, _frame: Any) -> None:
        raise Terminated(signum)

    previous = {sig: signal.signal(sig, unwind) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


def note(message: str) -> None:
    """A line for the person at the terminal, on stderr so stdout stays pipeable."""
    typer.echo(one_line(message), err=True)


def say(message: str) -> None:
    """A line of a command's result on stdout, its control characters shown rather than sent to the terminal."""
    typer.echo(one_line(message))


def wrote(output: Path | None, what: str, quiet: bool) -> None:
    """``calsync: wrote FILE (what)``, the same confirmation from every command that writes a file."""
    if output is not None and str(output) != "-" and not quiet:
        note(f"calsync: wrote {output} ({what})")
