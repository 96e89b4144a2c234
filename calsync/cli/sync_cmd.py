"""``calsync push``: keep a Google or CalDAV calendar in step with the agenda.

Google's and CalDAV's modules, and the sync engine, are imported inside the command, so ``calsync ics`` never pays
for loading them.
"""

from __future__ import annotations

import enum
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import UsageError
from ..model import MEETING_KEY_PATTERN, join_url_problem
from ..printable import json_text, shorten
from . import options as opt
from .app import AgendaInput, app, check_alarm, check_join_url, check_zones, note, reports_errors, say, zones_for
from .auth_cmd import warn_if_exposed
from .caldav_target import check_caldav_url, open_caldav

if TYPE_CHECKING:
    from ..sync.plan import EventOptions

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PROGRESS_THRESHOLD = 50  # a bar only for pushes of more than one batch: a short push is over before it would draw


class OnConflict(enum.StrEnum):
    """--on-conflict's choices: sync.conflicts.OnConflict's values, declared here so commands other than push load
    no sync engine (tests/test_cli_options.py keeps them equal)."""

    agenda = "agenda"
    calendar = "calendar"
    stop = "stop"


OnConflictOpt = Annotated[
    OnConflict,
    typer.Option(
        "--on-conflict",
        case_sensitive=False,
        help="What to do with an event edited in the calendar since calsync last wrote it (moved, retitled, deleted "
        "by hand): 'agenda' puts the agenda's version back, 'calendar' keeps the edit (the agenda's other changes "
        "still apply), 'stop' writes nothing and names them. Each such event is named either way.",
    ),
]


@app.command("push")
@reports_errors
def push(
    agenda: opt.Agenda = None,
    calendar: Annotated[
        str | None,
        typer.Option(
            "--calendar",
            metavar="ID",
            show_default=False,
            help="Google calendar id (default 'primary', your own calendar); with --caldav, the calendar's name, found "
            "on the server.",
        ),
    ] = None,
    zoom_url: opt.ZoomUrl = None,
    tz: opt.Tz = None,
    participants: opt.Participants = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be created, updated and deleted; change nothing.")
    ] = False,
    notify: Annotated[
        bool, typer.Option("--notify", help="Let Google e-mail the events' guests about every change.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary (and, with --dry-run, the plan) as JSON.")
    ] = False,
    on_conflict: OnConflictOpt = OnConflict.agenda,
    invite: Annotated[
        bool,
        typer.Option(
            "--invite",
            help="Invite the people in --participants (its email column) as guests: Google e-mails each invitation "
            "once; guests are never removed.",
        ),
    ] = False,
    alarm: Annotated[
        int | None,
        typer.Option(
            "--alarm",
            metavar="MINUTES",
            help="A reminder this many minutes before each block, or before the meeting with --meeting-event "
            "(default: the calendar's own reminders).",
        ),
    ] = None,
    meeting_event: Annotated[
        bool,
        typer.Option(
            "--meeting-event",
            help="Add one event spanning the whole meeting; the blocks then show as free time, and --invite and "
            "--alarm apply to it alone.",
        ),
    ] = False,
    create_calendar: Annotated[
        str | None,
        typer.Option(
            "--create-calendar",
            metavar="NAME",
            help="Put the meeting on a calendar of its own, made on the first push and used again after "
            "(needs 'calsync auth --create-calendars').",
        ),
    ] = None,
    share: Annotated[
        list[str] | None,
        typer.Option(
            "--share",
            metavar="EMAIL[=writer]",
            help="With --create-calendar: share it with this person as reader (or writer with EMAIL=writer); Google "
            "e-mails them. Repeatable. Needs 'calsync auth --create-calendars --share-calendars'.",
        ),
    ] = None,
    service_account: Annotated[
        Path | None,
        typer.Option(
            "--service-account",
            metavar="FILE",
            help="Sign in as this service account (JSON key file); share the calendar with it.",
        ),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject",
            metavar="EMAIL",
            help="With --service-account: act as this Google Workspace user (domain-wide delegation).",
        ),
    ] = None,
    api_endpoint: Annotated[
        str | None,
        typer.Option(
            "--api-endpoint",
            metavar="URL",
            envvar="CALSYNC_GOOGLE_API_ENDPOINT",
            help="Talk to another server than Google's (a proxy, a test server): its root or its …/calendar/v3/ URL.",
        ),
    ] = None,
    replace: Annotated[
        list[str] | None,
        typer.Option(
            "--replace",
            metavar="KEY",
            help="Adopt the events of another meeting key (e.g. this meeting before its title or date was edited; "
            "'calsync push --dry-run' shows each push's key): an event of KEY for the same block is updated in "
            "place, KEY's other events are deleted. Repeatable.",
        ),
    ] = None,
    caldav: Annotated[
        str | None,
        typer.Option(
            "--caldav",
            metavar="URL",
            envvar="CALSYNC_CALDAV_URL",
            help="Push to a CalDAV calendar instead of Google: the calendar's URL, or the server's URL with --calendar "
            "NAME. The password comes from CALSYNC_CALDAV_PASSWORD, ~/.netrc or the system keyring.",
        ),
    ] = None,
    username: Annotated[
        str | None,
        typer.Option(
            "--username",
            metavar="NAME",
            envvar="CALSYNC_CALDAV_USERNAME",
            help="With --caldav: the user name (default: the login of the server's ~/.netrc entry).",
        ),
    ] = None,
    create: Annotated[
        bool, typer.Option("--create", help="With --caldav --calendar NAME: make the calendar if it does not exist.")
    ] = False,
    meeting_tz: opt.MeetingTz = None,
    date: opt.Date = None,
    literal_offsets: opt.LiteralOffsets = False,
    encoding: opt.Encoding = None,
    quiet: opt.Quiet = False,
    meeting_key: opt.MeetingKey = None,
    lang: opt.Lang = None,
) -> None:
    """Put the meeting on a Google or CalDAV calendar and keep it in step.

    Creates, updates and deletes this meeting's events so that the calendar shows exactly the agenda; pushing again
    writes nothing when nothing changed. Nothing else on the calendar is touched.
    """
    from ..sync.plan import EventOptions

    source = AgendaInput(
        agenda=agenda,
        meeting_tz=meeting_tz,
        date=date,
        literal_offsets=literal_offsets,
        encoding=encoding,
        quiet=quiet,
        meeting_key=meeting_key,
        lang=lang,
    )
    share, replace = share or [], replace or []
    url = check_join_url(zoom_url)
    check_zones(tz)
    if calendar is not None and not calendar.strip():
        raise UsageError("--calendar is empty", hint="give a calendar id, or leave it out for 'primary'")
    if caldav is not None:
        # what CalDAV events do not carry yet (guests, reminders, a meeting-wide event) is refused, not dropped
        _refuse_google_options(
            notify=notify,
            service_account=service_account,
            subject=subject,
            api_endpoint=api_endpoint,
            create_calendar=create_calendar,
            share=share,
            invite=invite,
            alarm=alarm is not None,
            meeting_event=meeting_event,
        )
        caldav = check_caldav_url(caldav)
    elif username is not None or create:
        raise UsageError("--username and --create are for CalDAV calendars", hint="add --caldav URL")
    calendar = calendar.strip() if calendar else None
    _check_push_options(
        calendar or "primary", api_endpoint, replace, alarm, create_calendar, share, invite, participants
    )
    people = [_share_entry(entry) for entry in share]
    meeting = source.load().with_conference_url(url)
    zones = zones_for(meeting, tz, participants)
    invitees = _invitees(participants) if invite and participants is not None else ()
    options = EventOptions(meeting_event=meeting_event, alarm_minutes=alarm, invitees=invitees)
    if caldav is not None:
        backend, target = open_caldav(caldav, username, calendar, create, dry_run)
        _run(meeting, backend, zones, dry_run, replace, options, on_conflict.value, target, as_json, None, [])
        return

    from ..backends.google import GoogleCalendar
    from ..backends.google_auth import (
        TOKEN_ENV,
        check_service_account_target,
        credentials_for,
        saved_token_path,
        scopes_for,
    )

    calendar = calendar or "primary"
    if service_account is not None:
        check_service_account_target(
            service_account,
            calendar=calendar,
            subject=subject,
            create=bool(create_calendar),
            share=bool(people),
            invite=invite,
        )
    creds = credentials_for(
        service_account=service_account,
        subject=subject,
        scopes=scopes_for(create=bool(create_calendar), share=bool(people)),
    )
    # the file the credentials came from: a key given on the command line, else the saved token (unless the
    # environment's token was used)
    used = service_account or (None if (os.environ.get(TOKEN_ENV) or "").strip() else saved_token_path())
    if used is not None:
        warn_if_exposed(used)
    backend = GoogleCalendar.connect(
        creds, calendar, api_endpoint=api_endpoint, send_updates="all" if notify else "none"
    )
    made: bool | None = None
    shared: list[tuple[str, str]] = []
    writer: Any = backend
    target = calendar
    if create_calendar is not None:
        made, shared = _open_own_calendar(backend, create_calendar, meeting.timezone.zone, people, dry_run)
        target = backend.calendar_id
        if made is None:  # a dry run before the calendar exists: plan against an empty one
            from ..backends.memory import MemoryCalendar

            writer, target = MemoryCalendar(), f"new calendar {create_calendar!r}"
    _run(meeting, writer, zones, dry_run, replace, options, on_conflict.value, target, as_json, made, shared)


def _run(
    meeting: Any,
    backend: Any,
    zones: Any,
    dry_run: bool,
    replace: list[str],
    options: EventOptions,
    on_conflict: str,
    target: str,
    as_json: bool,
    made: bool | None,
    shared: list[tuple[str, str]],
) -> None:
    """Plan and (unless a dry run) apply against ``backend``, with a progress bar on long pushes; then report."""
    from ..sync import push as run_push

    bar = _ProgressBar()
    try:
        plan, summary = run_push(
            meeting,
            backend,
            zones,
            dry_run=dry_run,
            progress=bar,
            replace=tuple(replace),
            options=options,
            on_conflict=on_conflict,
        )
    finally:
        bar.close()
        getattr(backend, "close", lambda: None)()
    _report(plan, summary, meeting, target, as_json, dry_run, made, shared)


def _refuse_google_options(**given: Any) -> None:
    """Options for Google calendars only make no sense with --caldav: say so rather than ignore them."""
    for name, value in given.items():
        if value:
            option = "--" + name.replace("_", "-")
            raise UsageError(f"{option} is for Google calendars, not with --caldav", hint=f"leave out {option}")


def _check_push_options(
    calendar: str,
    api_endpoint: str | None,
    replace: list[str],
    alarm: int | None,
    create_calendar: str | None,
    share: list[str],
    invite: bool,
    participants: Path | None,
) -> None:
    """Every option of a push checked before the agenda is read or anything is sent."""
    if not calendar:
        raise UsageError("--calendar is empty", hint="give a calendar id, or leave it out for 'primary'")
    if api_endpoint is not None and (
        not api_endpoint.startswith(("http://", "https://")) or join_url_problem(api_endpoint)
    ):  # "https://" alone has no host to reach
        raise UsageError(
            f"--api-endpoint {shorten(api_endpoint, 80)!r} is not an http(s) URL",
            hint="give e.g. http://127.0.0.1:8080/ (or unset CALSYNC_GOOGLE_API_ENDPOINT)",
        )
    for key in replace:
        if not MEETING_KEY_PATTERN.fullmatch(key):
            raise UsageError(
                f"--replace {shorten(key, 60)!r} is not a meeting key",
                hint="give the key shown by 'calsync push --dry-run' or '--json' (lowercase letters, "
                "digits and hyphens)",
            )
    check_alarm(alarm)
    if create_calendar is not None:
        if not create_calendar.strip():
            raise UsageError(
                "--create-calendar is empty", hint="give the new calendar's name, e.g. --create-calendar 'GCM 8'"
            )
        if calendar != "primary":
            raise UsageError(
                "give either --calendar or --create-calendar, not both",
                hint="--create-calendar NAME makes the calendar on the first push and uses it after",
            )
    if share and create_calendar is None:
        raise UsageError(
            "--share needs --create-calendar NAME",
            hint="calsync shares only the calendars it makes; share an existing calendar in Google Calendar's settings",
        )
    if invite and participants is None:
        raise UsageError("--invite needs --participants FILE", hint="give the participants CSV with an email column")


def _share_entry(entry: str) -> tuple[str, str]:
    email, _, role = entry.strip().partition("=")
    role = role.strip().lower() or "reader"
    if not EMAIL.fullmatch(email.strip()) or role not in ("reader", "writer"):
        raise UsageError(
            f"--share {entry!r} is not EMAIL or EMAIL=writer",
            hint="e.g. --share ana@example.org (reader) or --share kwame@example.org=writer",
        )
    return email.strip(), role


def _invitees(participants: Path) -> tuple[str, ...]:
    """The guests' addresses from the participants file, checked, lower case, each once."""
    from ..zones import read_participants

    emails = [e for pz in read_participants(participants) for e in pz.emails]
    if not emails:
        raise UsageError(
            f"--invite: {participants} has no e-mail addresses",
            hint="add an email column (e.g. name,email,country) or leave out --invite",
        )
    for email in emails:
        if not EMAIL.fullmatch(email):
            raise UsageError(
                f"--invite: {email!r} in {participants} is not an e-mail address",
                hint="correct it in the file, or leave out --invite",
            )
    return tuple(dict.fromkeys(e.lower() for e in emails))


def _open_own_calendar(
    backend: Any, name: str, zone: str, people: list[tuple[str, str]], dry_run: bool
) -> tuple[bool | None, list[tuple[str, str]]]:
    """Use the calendar made for NAME before, or make it (not on a dry run); share it. Returns (made now? — None
    when it does not exist yet on a dry run, the people it was shared with now)."""
    from ..backends.google_auth import remember_calendar, remembered_calendar

    known = remembered_calendar(name)
    if known is not None and backend.calendar_exists(known):
        backend.calendar_id = known
        made: bool | None = False
    elif dry_run:
        note(
            f"calsync: dry run: would make the calendar {name!r}"
            + (f" and share it with {', '.join(e for e, _ in people)}" if people else "")
        )
        return None, []
    else:
        backend.create_calendar(name, zone)
        remember_calendar(name, backend.calendar_id)
        note(f"calsync: made the calendar {name!r} ({backend.calendar_id})")
        made = True
    if dry_run:
        return made, []
    shared = backend.share(people) if people else []
    for email, role in shared:
        note(f"calsync: shared {name!r} with {email} ({role}); Google e-mails them")
    return made, shared


def _report(
    plan: Any,
    summary: Any,
    meeting: Any,
    target: str,
    as_json: bool,
    dry_run: bool,
    made: bool | None,
    shared: list[tuple[str, str]],
) -> None:
    from ..sync.words import changes, describe, line

    tz = meeting.tzinfo
    if as_json:
        data: dict[str, Any] = {"calendar": target, "meeting": meeting.key, **summary.to_data()}
        if made is not None:
            data["created_calendar"] = made
            data["shared"] = [{"email": e, "role": r} for e, r in shared]
        data["changes"] = [
            {**a.to_data(), "words": describe(a, tz), "changes": changes(a, tz)} for a in summary.actions
        ]
        if dry_run:
            data["actions"] = [a.to_data() for a in plan.actions]
        typer.echo(json_text(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    if dry_run:
        say(f"meeting {meeting.key} on {target}")
        for text in plan_lines(plan, tz):
            typer.echo(text)  # one line each, control characters shown (line() cleans the calendar's titles)
        say(f"dry run, nothing changed: {summary.line()}")
        return
    for action in summary.actions:  # what was done, in words; unchanged events are not listed
        typer.echo(line(action, tz, done=True))  # one line already, its columns kept (say() would fold them)
    say(f"{target}: {summary.line()} (meeting {meeting.key})")


def plan_lines(plan: Any, tz: Any) -> list[str]:
    """One line per action of the plan: what, which block, and in words how (old → new times when they move)."""
    from ..sync.words import line

    return [line(action, tz, done=False) for action in plan.actions]


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
