"""The calsync error tree: every failure a user can cause or meet, with its exit code and remedy.

Library code raises these and never prints or exits; the CLI turns each into one line on stderr.
Each error subclasses ``ValueError`` (like icalendar's) so generic callers still catch it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence


class CalsyncError(ValueError):
    """Base class: a message, where it happened (file, line) and what to do about it."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | os.PathLike[str] | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = os.fspath(file) if file is not None else None
        self.line = line
        self.hint = hint
        super().__init__(self.sentence())

    def sentence(self) -> str:
        """One line: ``file:line: message; hint``."""
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        elif self.line:
            where = f"line {self.line}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return " ".join(text.split())

    def lines(self) -> list[str]:
        """What the command line prints: one line, or one per problem for errors that list several."""
        return [self.sentence()]

    def located(self, file: str | os.PathLike[str]) -> CalsyncError:
        """Return this error with ``file`` filled in when it was not known where it was raised."""
        if self.file is None:
            self.file = os.fspath(file)
            self.args = (self.sentence(),)
        return self


class UsageError(CalsyncError):
    """A command-line value that cannot be used (an unknown option value, conflicting options)."""

    exit_code = 2


class AgendaError(CalsyncError):
    """The agenda cannot be read into a meeting (no times, no date, undecodable, impossible times)."""

    exit_code = 65  # EX_DATAERR


class SchemaError(AgendaError):
    """A structured agenda (JSON/YAML) that breaks its schema: every problem, each naming its field's path."""

    SHOWN = 20  # more than this many problems are counted, not listed

    def __init__(
        self,
        problems: Sequence[str],
        *,
        file: str | os.PathLike[str] | None = None,
        hint: str | None = "compare with the output of 'calsync parse'",
    ) -> None:
        self.problems = tuple(problems)
        shown = list(self.problems[: self.SHOWN])
        if len(self.problems) > self.SHOWN:
            more = len(self.problems) - self.SHOWN
            shown.append(f"and {more} more problem{'s' if more > 1 else ''}")
        self.shown = tuple(shown)
        super().__init__("; ".join(shown), file=file, hint=hint)

    def lines(self) -> list[str]:
        where = f"{self.file}: " if self.file else ""
        out = [f"{where}{problem}" for problem in self.shown]
        if self.hint:
            out[-1] += f"; {self.hint}"
        return [" ".join(line.split()) for line in out]


class ZoneError(CalsyncError):
    """A time zone, country or city name that calsync cannot turn into an IANA zone."""

    exit_code = 65


class AmbiguousTimeError(AgendaError):
    """A local time that does not exist or happens twice on a daylight-saving change."""


class InputFileError(CalsyncError):
    """A file that is missing, unreadable, or of a kind calsync cannot read."""

    exit_code = 66  # EX_NOINPUT


class MissingExtraError(CalsyncError):
    """An optional dependency is needed for this input (e.g. PDF or Word reading)."""

    exit_code = 69  # EX_UNAVAILABLE


class OutputError(CalsyncError):
    """The output file cannot be written."""

    exit_code = 73  # EX_CANTCREAT


class CredentialsError(CalsyncError):
    """Missing, malformed or rejected credentials for a calendar service."""

    exit_code = 77  # EX_NOPERM


class BackendError(CalsyncError):
    """A calendar service refused or failed a request."""

    exit_code = 69


class QuotaError(BackendError):
    """The calendar service's usage limits are exhausted; retrying now would not help."""

    exit_code = 75  # EX_TEMPFAIL


class CalendarNotFoundError(BackendError):
    """The calendar id does not exist or is not writable with these credentials."""

    exit_code = 69


class VerificationError(BackendError):
    """Events read back after a push do not match the agenda."""

    exit_code = 70  # EX_SOFTWARE


class ConflictError(CalsyncError):
    """Events were edited in the calendar since calsync last wrote them, and the organiser asked to stop there
    (``calsync push --on-conflict stop``)."""

    exit_code = 1  # as diff and merge tools answer "differences found"
