"""``calsync auth`` and ``calsync push``: sign in to Google, and keep a Google calendar in step with the agenda.

Google's modules are imported inside the commands, so ``calsync ics`` never pays for loading them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from ..errors import UsageError
from ..model import MEETING_KEY_PATTERN, join_url_problem
from ..printable import json_text, shorten
from ..zones import participant_zones
from .app import (AgendaInput, ParticipantsOpt, TzOpt, ZoomUrlOpt, app, check_join_url, check_zones, note,
                  reports_errors, say, takes_agenda)

PROGRESS_THRESHOLD = 50  # a bar only for pushes of more than one batch: a short push is over before it would draw


@app.command("auth")
@reports_errors
def auth(
    credentials: Path = typer.Option(
        Path("credentials.json"), "--credentials",
        help="The OAuth client JSON of a 'Desktop app' client, from Google Cloud Console (APIs & Services → Credentials).",
    ),
) -> None:
    """Sign in to Google and save the token.

    Opens the browser for a Desktop-app OAuth client; the token is saved readable by you only (mode 0600) in
    calsync's config folder and refreshed when it expires.
    """
    from ..backends.google_auth import authorize, read_client_secrets

    read_client_secrets(credentials)  # a wrong or broken file is reported before any talk of a browser
    _warn_if_exposed(credentials)
    note("calsync: opening the browser to sign in to Google (a local port receives the answer)…")
    saved = authorize(credentials)
    note(f"calsync: signed in; token saved to {saved} (readable by you only)")


@app.command("push")
@reports_errors
@takes_agenda(meeting_key=True)
def push(
    source: AgendaInput,
    calendar: str = typer.Option("primary", "--calendar", help="Google calendar id; 'primary' is your own calendar."),
    zoom_url: Optional[str] = ZoomUrlOpt,
    tz: List[str] = TzOpt,
    participants: Optional[Path] = ParticipantsOpt,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be created, updated and deleted; change nothing."),
    notify: bool = typer.Option(False, "--notify", help="Let Google e-mail the events' guests about the changes."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary (and, with --dry-run, the plan) as JSON."),
    service_account: Optional[Path] = typer.Option(
        None, "--service-account", help="Sign in as this service account (JSON key file); share the calendar with it."),
    subject: Optional[str] = typer.Option(
        None, "--subject", help="With --service-account: act as this Google Workspace user (domain-wide delegation)."),
    api_endpoint: Optional[str] = typer.Option(
        None, "--api-endpoint", envvar="CALSYNC_GOOGLE_API_ENDPOINT",
        help="Talk to another server than Google's (a proxy, a test server): its root or its …/calendar/v3/ URL."),
    replace: List[str] = typer.Option(
        [], "--replace", metavar="KEY",
        help="Adopt the events of another meeting key (e.g. this meeting before its title or date was edited; "
             "'calsync push --dry-run' shows each push's key): an event of KEY for the same block is updated in "
             "place, KEY's other events are deleted. Repeatable."),
) -> None:
    """Put the meeting on a Google calendar and keep it in step.

    Creates, updates and deletes this meeting's events so that the calendar shows exactly the agenda; pushing again
    writes nothing when nothing changed. Nothing else on the calendar is touched.
    """
    url = check_join_url(zoom_url)
    check_zones(tz)
    if not calendar.strip():
        raise UsageError("--calendar is empty", hint="give a calendar id, or leave it out for 'primary'")
    if api_endpoint is not None and (not api_endpoint.startswith(("http://", "https://"))
                                     or join_url_problem(api_endpoint)):  # "https://" alone has no host to reach
        raise UsageError(f"--api-endpoint {shorten(api_endpoint, 80)!r} is not an http(s) URL",
                         hint="give e.g. http://127.0.0.1:8080/ (or unset CALSYNC_GOOGLE_API_ENDPOINT)")
    for key in replace:
        if not MEETING_KEY_PATTERN.fullmatch(key):
            raise UsageError(f"--replace {shorten(key, 60)!r} is not a meeting key",
                             hint="give the key shown by 'calsync push --dry-run' or '--json' (lowercase letters, "
                                  "digits and hyphens)")
    meeting = source.load().with_conference_url(url)
    zones = participant_zones(meeting, tz=tuple(tz), participants=participants)

    from ..backends.google import GoogleCalendar
    from ..backends.google_auth import TOKEN_ENV, credentials_for, token_path
    from ..sync import push as run_push

    creds = credentials_for(service_account=service_account, subject=subject)
    # the file the credentials came from: a key given on the command line, else the saved token (unless the
    # environment's token was used)
    used = service_account or (None if (os.environ.get(TOKEN_ENV) or "").strip() else token_path())
    if used is not None:
        _warn_if_exposed(used)
    backend = GoogleCalendar.connect(creds, calendar.strip(), api_endpoint=api_endpoint,
                                     send_updates="all" if notify else "none")
    bar = _ProgressBar()
    try:
        plan, summary = run_push(meeting, backend, zones, dry_run=dry_run, progress=bar, replace=tuple(replace))
    finally:
        bar.close()
    if as_json:
        data: dict[str, Any] = {"calendar": calendar.strip(), "meeting": meeting.key, **summary.to_data()}
        if dry_run:
            data["actions"] = [a.to_data() for a in plan.actions]
        typer.echo(json_text(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    if dry_run:
        say(f"meeting {meeting.key} on {calendar.strip()}")
        for line in plan_lines(plan, meeting.tzinfo):
            say(line)  # titles read back from the calendar are anyone's text: shown, never sent to the terminal
        say(f"dry run, nothing changed: {summary.line()}")
        return
    say(f"{calendar.strip()}: {summary.line()} (meeting {meeting.key})")


def _warn_if_exposed(path: Path) -> None:
    from ..backends.google_auth import exposed_file_warning

    warning = exposed_file_warning(path)
    if warning:
        note(f"calsync: warning: {warning}")


def plan_lines(plan: Any, tz: Any) -> list[str]:
    """One line per action of the plan: what, which block, and its times (old → new when they move)."""
    lines = []
    for action in plan.actions:
        label = action.summary
        old = _span(action.remote.start, action.remote.end, tz) if action.remote and action.remote.start else None
        new = _span(action.desired.start, action.desired.end, tz) if action.desired else None
        if action.kind == "update" and old and old != new:
            when = f"{old} → {new}"
        else:
            when = new or old or ""
        extra = f" ({action.reason})" if action.kind in ("update", "delete", "restore") and action.reason else ""
        lines.append(f"{action.kind:<9} {label}  {when}{extra}")
    return lines


def _span(start: Any, end: Any, tz: Any) -> str:
    s, e = start.astimezone(tz), end.astimezone(tz) if end else None
    if e is None:
        return f"{s:%Y-%m-%d %H:%M}"
    end_text = f"{e:%H:%M}" if e.date() == s.date() else f"{e:%Y-%m-%d %H:%M}"
    return f"{s:%Y-%m-%d %H:%M}–{end_text}"


class _ProgressBar:
    """A rich progress bar on stderr for long pushes, only when stderr is a terminal."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._task: Any = None
        self._enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled:
            return
        if self._progress is None:
            if total < PROGRESS_THRESHOLD:
                return
            from rich.console import Console
            from rich.progress import Progress

            self._progress = Progress(console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("pushing", total=total)
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
