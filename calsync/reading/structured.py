"""The structured agenda (JSON or YAML from ``calsync parse``) read back, possibly corrected by a person."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ..model import Agenda, MeetingZone, localize
from .source import ReadOptions, structured_load
from .checks import check
from .zonelabels import resolve_label


def parse_structured(text: str, options: ReadOptions, *, source: str) -> Agenda:
    """An agenda from its plain-data form, with ``--meeting-tz`` and ``--date`` applied to its wall-clock times."""
    agenda = Agenda.from_data(structured_load(text, source), file=source)
    if options.meeting_tz:
        first = agenda.start.astimezone(agenda.tzinfo).date()
        zone, note = resolve_label(options.meeting_tz, first, literal=options.literal_offsets)
        agenda = _rezone(agenda, MeetingZone(zone=zone, as_written=options.meeting_tz, note=note))
    if options.date:
        shift = options.date - agenda.start.astimezone(agenda.tzinfo).date()
        if shift.days:
            agenda = _rewall(agenda, agenda.timezone, lambda d: d + shift)
    # The stored warnings described the agenda as first read; the person may have fixed what they said since. The
    # organiser's checks run again on the agenda as it is now (the reading doubts were for that review).
    zone_line = next((w.line for w in agenda.warnings if w.code == "zone-label"), None)
    return replace(agenda, warnings=tuple(check(agenda, zone_line)))


def _rezone(agenda: Agenda, zone: MeetingZone) -> Agenda:
    """Keep every wall-clock time as written, read in another zone."""
    return _rewall(agenda, zone, lambda d: d)


def _rewall(agenda: Agenda, zone: MeetingZone, move) -> Agenda:
    tz = zone.tzinfo

    def wall(d: datetime) -> datetime:
        naive = move(d.astimezone(agenda.tzinfo).replace(tzinfo=None))
        return localize(naive, tz, line=None)

    blocks = tuple(replace(b, start=wall(b.start), end=wall(b.end)) for b in agenda.blocks)
    hours = None if agenda.hours is None else (wall(agenda.hours[0]), wall(agenda.hours[1]))
    return replace(agenda, timezone=zone, blocks=blocks, hours=hours)


def dump_structured(agenda: Agenda, fmt: str = "json") -> str:
    """The agenda as JSON or YAML text: the same format ``parse_structured`` reads back (one place for both ways)."""
    data = agenda.to_data()
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
