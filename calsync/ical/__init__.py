"""iCalendar in and out: the only package that imports icalendar.

- :mod:`~calsync.ical.export`: agenda -> .ics (a file, a subscribed feed, a download per block);
- :mod:`~calsync.ical.events`: one VEVENT as calsync writes it, and its values (text, links, instants, UIDs);
- :mod:`~calsync.ical.timezones`: the VTIMEZONE in the yearly-rule form every client reads alike;
- :mod:`~calsync.ical.objects`: one event as a CalDAV calendar object, written and read back;
- :mod:`~calsync.ical.previous`: an .ics read back as the previous version, and a new export numbered against it.

Why each choice was made (TZIDs, the VTIMEZONE form, the join link) is in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from .events import PRODID, block_uid, event_uid, meeting_uid, split_uid
from .export import Feed, to_ics, to_ics_files
from .objects import EventObject, event_object, read_event_object
from .previous import IcsCalendar, IcsEvent, numbered, read_calendar, read_feed, versioned
from .timezones import vtimezone

__all__ = [
    "to_ics",
    "to_ics_files",
    "Feed",
    "event_uid",
    "block_uid",
    "meeting_uid",
    "vtimezone",
    "event_object",
    "read_event_object",
    "EventObject",
    "PRODID",
    "IcsEvent",
    "IcsCalendar",
    "read_calendar",
    "read_feed",
    "split_uid",
    "versioned",
    "numbered",
]
