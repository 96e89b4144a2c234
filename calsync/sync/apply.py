"""Run a plan against a backend: the only code in calsync that writes to a calendar.

Each action becomes one call; calls the calendar refuses for a known reason get a follow-up call (a duplicate id is
restored in place, an id Google will not restore is replaced by a fresh one). A write refused because its event
changed since the listing (a conditional write's 412) is never forced: the calendar is listed again and re-planned.
Afterwards every block's event, as the calendar answered it, is checked against the agenda's instants.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..backends.base import (
    Backend,
    Call,
    CallError,
    Delete,
    DuplicateIdError,
    EventGoneError,
    EventNotFoundError,
    ForbiddenError,
    Insert,
    Outcome,
    Progress,
    RemoteEvent,
    StaleEventError,
    Update,
)
from ..errors import BackendError, ConflictError, UsageError, VerificationError
from ..model import Agenda, same_instant
from .conflicts import Edit, OnConflict
from .plan import NO_OPTIONS, Action, ActionKind, EventOptions, Plan, desired_events, event_id, make_plan

__all__ = ["Summary", "apply", "push", "MAX_GENERATIONS"]

MAX_ROUNDS = (
    4  # follow-ups of follow-ups: update -> not found -> insert -> duplicate -> restore -> tombstone -> fresh id
)
MAX_GENERATIONS = 20
TOMBSTONE_ERRORS = (ForbiddenError, EventNotFoundError, EventGoneError)
MAX_REPLANS = 3  # a calendar edited under calsync's feet again and again: stop and say so


@dataclass
class Summary:
    """What a push did (or, for a dry run, would do)."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    restored: int = 0  # counted in ``created`` too: to the reader, the event is back
    calls: int = 0
    dry_run: bool = False
    replanned: int = 0  # writes refused because someone changed the event since the listing: read again, re-planned
    kept: int = 0  # events edited in the calendar left as they are (--on-conflict calendar)
    event_ids: dict[str, str] = field(default_factory=dict)  # agenda block key -> event id after the push
    # What was done (or would be), in plan order: every write that went through and every event kept; with the
    # plan's reasons and conflicts, for a report in words.
    actions: tuple[Action, ...] = ()

    @classmethod
    def of(cls, plan: Plan, **extra: Any) -> Summary:
        """The counts of a plan's actions (a restore counts as created: to the reader, the event is back)."""
        counts = plan.counts()
        return cls(
            created=counts[ActionKind.CREATE] + counts[ActionKind.RESTORE],
            updated=counts[ActionKind.UPDATE],
            deleted=counts[ActionKind.DELETE],
            unchanged=counts[ActionKind.UNCHANGED],
            restored=counts[ActionKind.RESTORE],
            kept=counts[ActionKind.KEEP],
            actions=tuple(a for a in plan.actions if a.kind is not ActionKind.UNCHANGED),
            **extra,
        )

    @property
    def conflicts(self) -> list[Action]:
        return [a for a in self.actions if a.conflict]

    def to_data(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "restored": self.restored,
            "kept": self.kept,
            "calls": self.calls,
            "dry_run": self.dry_run,
            "replanned": self.replanned,
            "events": dict(self.event_ids),
        }

    def line(self) -> str:
        restored = f" ({self.restored} restored)" if self.restored else ""
        kept = f", {self.kept} {'to keep' if self.dry_run else 'kept'} as edited in the calendar" if self.kept else ""
        if self.dry_run:
            return (
                f"{self.created} to create{restored}, {self.updated} to update, {self.deleted} to delete, "
                f"{self.unchanged} unchanged{kept}"
            )
        raced = (
            f"; {self.replanned} changed in the calendar during the push: read again and re-planned"
            if self.replanned
            else ""
        )
        return (
            f"{self.created} created{restored}, {self.updated} updated, {self.deleted} deleted, "
            f"{self.unchanged} unchanged{kept}{raced}"
        )


def _call_for(action: Action) -> Call:
    # Updates and deletes carry the version the plan saw, so a calendar that can refuses to overwrite a newer one.
    etag = action.remote.etag if action.remote is not None else None
    if action.kind is ActionKind.CREATE:
        assert action.desired is not None
        return Insert(action.event_id, action.desired)
    if action.kind in (ActionKind.UPDATE, ActionKind.RESTORE):
        assert action.desired is not None
        return Update(action.event_id, action.desired, restoring=action.kind is ActionKind.RESTORE, etag=etag)
    return Delete(action.event_id, etag=etag)


@dataclass
class _Run:
    """What the writes of one push achieved so far, over its rounds and re-plans."""

    progress: Progress | None
    total: int
    written: dict[str, RemoteEvent] = field(default_factory=dict)  # block key -> the event as the calendar answered
    done: list[Action] = field(default_factory=list)  # actions whose write went through (or had already happened)
    failures: list[tuple[Action, CallError]] = field(default_factory=list)
    stale: list[Action] = field(default_factory=list)  # refused because the event changed since the listing
    calls: int = 0
    finished: int = 0


def apply(
    plan: Plan, backend: Backend, *, progress: Progress | None = None, replan: Callable[[], Plan] | None = None
) -> Summary:
    """Write the plan's actions through ``backend``, finish what the calendar refused for known reasons, and verify.

    ``replan`` lists the calendar again and plans afresh: it is called when writes were refused because their event
    changed since the listing (:class:`StaleEventError`), so calsync re-plans from what the calendar now holds instead
    of overwriting someone's edit blindly. Without it, such writes fail with a remedy.
    """
    run = _Run(progress, len(plan.writes))
    _write(plan, plan.writes, backend, run)
    current, replanned = plan, 0
    for _ in range(MAX_REPLANS):
        if not run.stale or replan is None:
            break
        replanned += len(run.stale)
        run.stale = []
        current = replan()
        run.total += len(current.writes)
        _write(current, current.writes, backend, run)
    for action in run.stale:
        run.failures.append((action, StaleEventError("the event was changed in the calendar while calsync wrote it")))
    if run.failures:
        action, error = run.failures[0]
        raise BackendError(
            f"{len(run.failures)} of {len(run.done) + len(run.failures)} changes failed; first: {action.kind} "
            f"{action.summary!r}: {error.message}",
            hint=_remedy(error),
        )
    _verify(current, run.written)
    return _summary(current, run, replanned)


def _summary(current: Plan, run: _Run, replanned: int) -> Summary:
    """What the push did: the writes that went through, and what the last plan found right or kept."""
    done: dict[str, Action] = {}
    for action in run.done:  # a re-plan's write of the same event replaces the refused one
        done[action.event_id] = action
    kinds = Counter(a.kind for a in done.values())
    kept = [a for a in current.actions if a.kind is ActionKind.KEEP and a.event_id not in done]
    unchanged = sum(1 for a in current.actions if a.kind is ActionKind.UNCHANGED and a.event_id not in done)
    by_calendar_key = {
        a.block_key: a.event_id
        for a in current.actions
        if a.kind is not ActionKind.DELETE
        and a.block_key
        and not (a.kind is ActionKind.KEEP and a.conflict == (Edit.DELETED,))
    }
    by_calendar_key.update({key: ev.id for key, ev in run.written.items()})
    ids = {agenda_key: by_calendar_key[key] for agenda_key, key in current.keys.items() if key in by_calendar_key}
    ids.update({k: v for k, v in by_calendar_key.items() if k not in current.keys.values()})  # e.g. the meeting event
    return Summary(
        created=kinds[ActionKind.CREATE] + kinds[ActionKind.RESTORE],
        updated=kinds[ActionKind.UPDATE],
        deleted=kinds[ActionKind.DELETE],
        unchanged=unchanged,
        restored=kinds[ActionKind.RESTORE],
        calls=run.calls,
        replanned=replanned,
        kept=len(kept),
        event_ids=ids,
        actions=(*done.values(), *kept),
    )


def _write(plan: Plan, actions: Sequence[Action], backend: Backend, run: _Run) -> None:
    """Run the actions' calls, and the follow-ups of the refusals calsync understands, for a few rounds."""
    pending: list[tuple[Action, Call]] = [(a, _call_for(a)) for a in actions]
    taken = set(plan.taken_ids)
    for _round in range(MAX_ROUNDS):
        if not pending:
            break
        offset = run.finished

        def report(done: int, _count: int, offset: int = offset) -> None:
            if run.progress is not None:
                run.progress(min(offset + done, run.total), run.total)

        outcomes = backend.execute([c for _, c in pending], report)
        run.calls += len(pending)
        run.finished += len(pending)
        follow: list[tuple[Action, Call]] = []
        for (action, call), outcome in zip(pending, outcomes, strict=True):
            nxt = _follow_up(action, call, outcome, plan, taken)
            if nxt is not None:
                follow.append((action, nxt))
                if isinstance(nxt, Insert):
                    taken.add(nxt.event_id)
            elif isinstance(outcome.error, StaleEventError):
                run.stale.append(action)  # someone changed it since the listing: read again, never overwrite blindly
            elif outcome.error is not None and not _already_done(call, outcome.error):
                run.failures.append((action, outcome.error))
            else:
                run.done.append(action)
                if outcome.event is not None and action.block_key is not None and not isinstance(call, Delete):
                    run.written[action.block_key] = outcome.event
        pending = follow
        run.total += len(follow)
    run.failures.extend((a, CallError("the calendar kept refusing this change")) for a, _ in pending)


def _follow_up(action: Action, call: Call, outcome: Outcome, plan: Plan, taken: set[str]) -> Call | None:
    """The call that finishes an action the calendar refused for a reason calsync understands, or None."""
    error = outcome.error
    if error is None or action.desired is None or action.block_key is None:
        return None
    if isinstance(call, Insert) and isinstance(error, DuplicateIdError):
        # The id is this block's by construction: our own earlier insert whose answer was lost, or an event deleted
        # by hand that the listing did not show. Overwrite it in place (and confirm it) instead of adding another.
        return Update(call.event_id, call.content, restoring=True)
    if isinstance(call, Update) and call.restoring and isinstance(error, TOMBSTONE_ERRORS):
        # The id is a tombstone: Google refuses to restore an event deleted in its web UI (403), and once the bin is
        # emptied the id answers 404 or 410 yet stays reserved (an insert is a 409). Give the block a fresh id. Only
        # a deleted target may be replaced so: refusing to change a LIVE event is a failure (a fresh id would show
        # the block twice).
        for generation in range(1, MAX_GENERATIONS + 1):
            fresh = event_id(plan.meeting_key, action.block_key, generation)
            if fresh not in taken:
                return Insert(fresh, call.content)
        return None
    if isinstance(call, Update) and isinstance(error, (EventNotFoundError, EventGoneError)):
        # It vanished between listing and writing: put it back (a 409 then leads to a restore, and a tombstone to a
        # fresh id, each one round later).
        return Insert(call.event_id, call.content)
    return None


def _remedy(error: CallError) -> str:
    if isinstance(error, ForbiddenError):
        return (
            "check that this account has 'Make changes to events' access to the calendar and that the event is "
            "not owned by another calendar (edit or delete it there, or delete it so calsync recreates it), then "
            "run 'calsync push' again; nothing was duplicated"
        )
    return "run 'calsync push' again: it picks up where this push stopped and never duplicates events"


def _already_done(call: Call, error: CallError) -> bool:
    """A delete of an event that is already deleted or gone has done its job."""
    return isinstance(call, Delete) and isinstance(error, (EventGoneError, EventNotFoundError))


def _verify(plan: Plan, written: dict[str, RemoteEvent]) -> None:
    """Check each block's event, as the calendar answered, starts and ends at the agenda's instants."""
    for action in plan.actions:
        if action.desired is None or action.block_key is None or action.kind is ActionKind.KEEP:
            continue
        event = written.get(action.block_key) if action.writes else action.remote
        want = action.desired
        if event is None or event.cancelled:
            raise VerificationError(
                f"the event for block {want.summary!r} is missing after the push",
                hint="run 'calsync push' again; report it if this repeats",
            )
        if not (same_instant(event.start, want.start) and same_instant(event.end, want.end)):
            got = f"{_fmt(event.start)}–{_fmt(event.end)}"
            raise VerificationError(
                f"the calendar shows block {want.summary!r} at {got}, not {_fmt(want.start)}–{_fmt(want.end)}",
                hint="check the calendar's time zone settings and run 'calsync push' again",
            )


def _fmt(value: Any) -> str:
    return "?" if value is None else value.isoformat()


def push(
    agenda: Agenda,
    backend: Backend,
    zones: Sequence[Any] = (),
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    replace: Sequence[str] = (),
    options: EventOptions = NO_OPTIONS,
    on_conflict: OnConflict | str = OnConflict.AGENDA,
) -> tuple[Plan, Summary]:
    """List this meeting's events, plan, and apply unless ``dry_run``: the whole of ``calsync push``.

    ``replace``: other meeting keys whose events this meeting adopts (the same block, by alignment: updated in
    place) or deletes; a key with no live event on the calendar is refused. ``options``: the meeting-wide event,
    reminders and invitations the organiser asked for. ``on_conflict``: what to do with events edited in the
    calendar since calsync last wrote them (an :class:`OnConflict`; with "stop", :class:`ConflictError` before
    writing).
    """
    desired = desired_events(agenda, zones, options)
    keys = [key for key in dict.fromkeys(replace) if key != agenda.key]  # each key listed once, in the order given
    former_events = {key: [r for r in backend.list_events(key) if r.meeting_key == key] for key in keys}
    for key, events in former_events.items():
        if not any(not r.cancelled for r in events):
            raise UsageError(
                f"--replace {key}: the calendar holds no event of meeting {key}",
                hint="give the key an earlier push printed ('calsync push --dry-run' shows this push's), "
                "or leave --replace out",
            )
    first = True

    def listed() -> Plan:
        nonlocal first
        former = (
            [r for events in former_events.values() for r in events]
            if first
            else [r for key in keys for r in backend.list_events(key) if r.meeting_key == key]
        )
        first = False
        plan = make_plan(agenda.key, desired, backend.list_events(agenda.key), former, on_conflict=on_conflict)
        if on_conflict == OnConflict.STOP and plan.conflicts:
            raise _conflict_error(plan)
        return plan

    plan = listed()
    if dry_run:
        return plan, Summary.of(plan, dry_run=True)
    return plan, apply(plan, backend, progress=progress, replan=listed)


def _conflict_error(plan: Plan) -> ConflictError:
    # Named as the calendar shows them: that is where the organiser goes to look.
    names = "; ".join(
        f"{(a.remote.summary if a.remote else a.summary)!r} ({', '.join(a.conflict)})" for a in plan.conflicts[:5]
    )
    more = f" and {len(plan.conflicts) - 5} more" if len(plan.conflicts) > 5 else ""
    return ConflictError(
        f"{len(plan.conflicts)} event{'s were' if len(plan.conflicts) != 1 else ' was'} edited in the calendar since "
        f"calsync last wrote {'them' if len(plan.conflicts) != 1 else 'it'}: {names}{more}; nothing was written by "
        "this plan",
        hint="look at them in the calendar, then push with --on-conflict agenda (put the agenda back) or "
        "--on-conflict calendar (keep those edits)",
    )
