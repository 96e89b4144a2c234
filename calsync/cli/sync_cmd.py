"""``calsync auth`` and ``calsync push``: sign in to Google, and keep a Google or CalDAV calendar in step with the agenda.

Google's modules and the HTTP client are imported inside the commands, so ``calsync ics`` never pays for loading them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from ..errors import UsageError
from ..model import MEETING_KEY_PATTERN
from ..zones import participant_zones
from .app import (AgendaInput, ParticipantsOpt, TzOpt, ZoomUrlOpt, app, check_join_url, check_zones, note,
                  reports_errors, takes_agenda)
from .caldav_target import check_caldav_url, open_caldav

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
    note("calsync: opening the browser to sign in to Google (a local port receives the answer)…")
    saved = authorize(credentials)
    note(f"calsync: signed in; token saved to {saved} (readable by you only)")


@app.command("push")
@reports_errors
@takes_agenda(meeting_key=True)
def push(
    source: AgendaInput,
    calendar: Optional[str] = typer.Option(
        None, "--calendar", show_default=False,
        help="Google calendar id (default 'primary', your own calendar); with --caldav, the calendar's name, found "
             "on the server."),
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
    caldav: Optional[str] = typer.Option(
        None, "--caldav", metavar="URL", envvar="CALSYNC_CALDAV_URL",
        help="Push to a CalDAV calendar instead of Google: the calendar's URL, or the server's URL with --calendar "
             "NAME. The password comes from CALSYNC_CALDAV_PASSWORD, ~/.netrc or the system keyring."),
    username: Optional[str] = typer.Option(
        None, "--username", metavar="NAME", envvar="CALSYNC_CALDAV_USERNAME",
        help="With --caldav: the user name (default: the login of the server's ~/.netrc entry)."),
    create: bool = typer.Option(False, "--create", help="With --caldav --calendar NAME: make the calendar if it does not exist."),
) -> None:
    """Put the meeting on a Google or CalDAV calendar and keep it in step.

    Creates, updates and deletes this meeting's events so that the calendar shows exactly the agenda; pushing again
    writes nothing when nothing changed. Nothing else on the calendar is touched.
    """
    url = check_join_url(zoom_url)
    check_zones(tz)
    if calendar is not None and not calendar.strip():
        raise UsageError("--calendar is empty", hint="give a calendar id, or leave it out for 'primary'")
    if caldav is not None:
        _refuse_google_options(notify=notify, service_account=service_account, subject=subject,
                               api_endpoint=api_endpoint)
        caldav = check_caldav_url(caldav)
    elif username is not None or create:
        raise UsageError("--username and --create are for CalDAV calendars", hint="add --caldav URL")
    if api_endpoint is not None and not api_endpoint.startswith(("http://", "https://")):
        raise UsageError(f"--api-endpoint {api_endpoint!r} is not an http(s) URL",
                         hint="give e.g. http://127.0.0.1:8080/ (or unset CALSYNC_GOOGLE_API_ENDPOINT)")
    for key in replace:
        if not MEETING_KEY_PATTERN.fullmatch(key):
            raise UsageError(f"--replace {key!r} is not a meeting key",
                             hint="give the key shown by 'calsync push --dry-run' or '--json' (lowercase letters, "
                                  "digits and hyphens)")
    meeting = source.load().with_conference_url(url)
    zones = participant_zones(meeting, tz=tuple(tz), participants=participants)

    from ..sync import push as run_push

    if caldav is not None:
        backend, where = open_caldav(caldav, username, calendar.strip() if calendar else None, create, dry_run)
    else:
        from ..backends.google import GoogleCalendar
        from ..backends.google_auth import credentials_for

        where = (calendar or "primary").strip()
        creds = credentials_for(service_account=service_account, subject=subject)
        backend = GoogleCalendar.connect(creds, where, api_endpoint=api_endpoint,
                                         send_updates="all" if notify else "none")
    bar = _ProgressBar()
    try:
        plan, summary = run_push(meeting, backend, zones, dry_run=dry_run, progress=bar, replace=tuple(replace))
    finally:
        bar.close()
        getattr(backend, "close", lambda: None)()
    if as_json:
        data: dict[str, Any] = {"calendar": where, "meeting": meeting.key, **summary.to_data()}
        if dry_run:
            data["actions"] = [a.to_data() for a in plan.actions]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if dry_run:
        typer.echo(f"meeting {meeting.key} on {where}")
        for line in plan_lines(plan, meeting.tzinfo):
            typer.echo(line)
        typer.echo(f"dry run, nothing changed: {summary.line()}")
        return
    typer.echo(f"{where}: {summary.line()} (meeting {meeting.key})")


def _refuse_google_options(**given: Any) -> None:
    """Google-only options make no sense with --caldav: say so rather than ignore them."""
    for name, value in given.items():
        if value:
            option = "--" + name.replace("_", "-")
            raise UsageError(f"{option} is for Google calendars, not with --caldav", hint=f"leave out {option}")


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
