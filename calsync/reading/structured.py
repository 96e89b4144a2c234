"""The structured agenda (JSON or YAML from ``calsync parse``) read back, possibly corrected by a person."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..errors import AgendaError
from ..limits import MAX_DEPTH, LimitError, json_loads
from ..model import Agenda, MeetingZone, WarningCode, localize
from .checks import check
from .options import ReadOptions
from .zonelabels import names_other_season, resolve_label

# What a YAML agenda may grow to once its aliases are expanded: calsync's own files have no aliases, and a
# 10,000-block agenda has a few hundred thousand nodes. A 600-byte file of nested aliases would otherwise expand to
# billions when its title is turned into text.
MAX_YAML_NODES = 2_000_000
MAX_YAML_CHARS = 64 * 1024 * 1024
MAX_YAML_TEXT = 20 * 1024 * 1024  # PyYAML builds Python objects at a few MB a second: bigger is no reviewed agenda


def parse_structured(text: str, options: ReadOptions, *, source: str) -> Agenda:
    """An agenda from its plain-data form, with ``--meeting-tz`` and ``--date`` applied to its wall-clock times."""
    # The schema (and pydantic with it) is loaded only here: reading a text agenda never pays for it.
    from ..schema import agenda_from_data

    agenda = _label_read_again(agenda_from_data(structured_load(text, source), file=source))
    if options.meeting_tz:
        first = agenda.start.astimezone(agenda.tzinfo).date()
        reading = resolve_label(options.meeting_tz, first, literal=options.literal_offsets)
        zone = MeetingZone(reading.zone, options.meeting_tz, reading.note, label_disagrees=reading.disagrees)
        agenda = _rezone(agenda, zone)
    if options.date:
        shift = options.date - agenda.start.astimezone(agenda.tzinfo).date()
        if shift.days:
            agenda = _rewall(agenda, agenda.timezone, lambda d: d + shift)
    # The stored warnings described the agenda as first read; the person may have fixed what they said since. The
    # organiser's checks run again on the agenda as it is now (the reading doubts were for that review).
    zone_line = next((w.line for w in agenda.warnings if w.code == WarningCode.ZONE_LABEL), None)
    return replace(agenda, warnings=tuple(check(agenda, zone_line)))


def _label_read_again(agenda: Agenda) -> Agenda:
    """Whether the label as written names the wrong half of the year, decided again on the file as it is now (the
    person may have changed the label or the zone; the note's words decide nothing)."""
    zone = agenda.timezone
    if not zone.as_written or not agenda.blocks:
        return agenda
    wall = agenda.start.astimezone(agenda.tzinfo).replace(tzinfo=None)
    disagrees = names_other_season(zone.as_written, zone.zone, wall)
    return replace(agenda, timezone=replace(zone, label_disagrees=disagrees))


def _rezone(agenda: Agenda, zone: MeetingZone) -> Agenda:
    """Keep every wall-clock time as written, read in another zone."""
    return _rewall(agenda, zone, lambda d: d)


def _rewall(agenda: Agenda, zone: MeetingZone, move: Callable[[datetime], datetime]) -> Agenda:
    tz = zone.tzinfo

    def wall(d: datetime) -> datetime:
        naive = move(d.astimezone(agenda.tzinfo).replace(tzinfo=None))
        return localize(naive, tz, line=None)

    blocks = tuple(replace(b, start=wall(b.start), end=wall(b.end)) for b in agenda.blocks)
    hours = None if agenda.hours is None else (wall(agenda.hours[0]), wall(agenda.hours[1]))
    return replace(agenda, timezone=zone, blocks=blocks, hours=hours)


def structured_load(text: str, source: str) -> Any:
    """JSON or YAML text as plain data, within calsync's limits, with the parser's complaint as one line."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json_loads(text)
        except LimitError as e:
            raise AgendaError(
                f"JSON {e.message}", file=source, line=e.line, hint="regenerate it with 'calsync parse'"
            ) from None
        except json.JSONDecodeError as e:
            raise AgendaError(
                f"invalid JSON: {e.msg}",
                file=source,
                line=e.lineno,
                hint="fix the JSON or regenerate it with 'calsync parse'",
            ) from None
    return _yaml_load(text, source)


def _yaml_load(text: str, source: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it
    hint = "fix the YAML or regenerate it with 'calsync parse --format yaml'"
    if len(text) > MAX_YAML_TEXT:
        raise AgendaError(
            f"YAML of {len(text) // 1_048_576} MB is more than a reviewed agenda "
            f"({MAX_YAML_TEXT // 1_048_576} MB at most)",
            file=source,
            hint="use the JSON form ('calsync parse'), which reads faster",
        )
    try:
        _yaml_within_limits(text, loader)
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader, chosen above
    except LimitError as e:
        raise AgendaError(f"YAML {e.message}", file=source, line=e.line, hint=hint) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise AgendaError(
            f"invalid YAML: {getattr(e, 'problem', None) or e}",
            file=source,
            line=(mark.line + 1) if mark else None,
            hint=hint,
        ) from None
    except (ValueError, OverflowError) as e:  # a timestamp such as 2020-13-45 16:00, an integer of 5,000 digits
        raise AgendaError(
            f"invalid YAML: a value cannot be read ({type(e).__name__})", file=source, hint=hint
        ) from None


def _yaml_within_limits(text: str, loader: Any) -> None:
    """Walk YAML's events (a parser without recursion) and refuse what would nest too deep or expand too far.

    Each anchored node's expanded size and depth are recorded when it ends; each alias adds them again, as loading
    and then reading the data would. An alias inside the node it names (a cycle) is refused too.
    """
    import yaml

    anchors: dict[str, tuple[int, int, int]] = {}  # anchor → (nodes, characters, depth) of the node it names
    open_anchors: set[str] = set()
    stack: list[list[Any]] = []  # per open collection: [anchor, nodes inside, characters inside, deepest child]
    nodes = chars = 0

    def count(size: tuple[int, int, int], line: int | None) -> None:
        """A node (or an alias's whole expansion) of ``size`` inside the innermost open collection."""
        nonlocal nodes, chars
        nodes, chars = nodes + size[0], chars + size[1]
        if len(stack) + size[2] > MAX_DEPTH:
            raise LimitError(f"nested more than {MAX_DEPTH} levels deep", line=line)
        if nodes > MAX_YAML_NODES or chars > MAX_YAML_CHARS:
            raise LimitError("expands (through its aliases) to more than an agenda can hold", line=line)
        if stack:
            frame = stack[-1]
            frame[1] += size[0]
            frame[2] += size[1]
            frame[3] = max(frame[3], size[2])

    for event in yaml.parse(text, Loader=loader):
        mark = getattr(event, "start_mark", None)
        line = mark.line + 1 if mark is not None else None
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) + 1 > MAX_DEPTH:
                raise LimitError(f"nested more than {MAX_DEPTH} levels deep", line=line)
            stack.append([event.anchor, 0, 0, 0])
            if event.anchor:
                open_anchors.add(event.anchor)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            anchor, inside, size, deepest = stack.pop()
            node = (inside + 1, size, deepest + 1)
            nodes -= inside  # counted once already, as its children arrived; count() adds the whole node back
            chars -= size
            count(node, line)
            if anchor:
                anchors[anchor] = node
                open_anchors.discard(anchor)
        elif isinstance(event, yaml.ScalarEvent):
            node = (1, len(event.value), 0)
            count(node, line)
            if event.anchor:
                anchors[event.anchor] = node
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor in open_anchors:
                raise LimitError(f"alias *{event.anchor} refers to the node that holds it", line=line)
            count(anchors.get(event.anchor or "", (1, 0, 0)), line)


def dump_structured(agenda: Agenda, fmt: str = "json") -> str:
    """The agenda as JSON or YAML text: the same format ``parse_structured`` reads back (one place for both ways)."""
    data = agenda.to_data()
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
