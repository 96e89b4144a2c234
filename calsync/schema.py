"""The plain-data form of an agenda (the JSON/YAML of ``calsync parse``) checked against one schema, then built.

A reviewed file may have been edited by anyone, so it meets the same rules as the command line: join links are http(s)
web links, keys have the key pattern, text holds no control characters, lengths and numbers stay in range, zones are
real IANA zones. Every violation is one problem naming its field's path (``blocks[3].title: expected text, got a
number``), all reported at once. pydantic does the checking; this is its only importer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from .errors import AgendaError, CalsyncError, SchemaError
from .model import (
    BLOCK_KEY_PATTERN,
    MAX_YEAR,
    MAX_ZONE_NAME,
    MEETING_KEY_PATTERN,
    MIN_YEAR,
    Agenda,
    Block,
    MeetingZone,
    Notice,
    block_keys,
    join_url_problem,
    localize,
    meeting_key,
)
from .places import LANGUAGES
from .printable import has_controls, one_line, shorten

__all__ = ["agenda_from_data", "MAX_BLOCKS", "MAX_ITEMS"]

MAX_BLOCKS = 10_000
MAX_ITEMS = 10_000  # any list (names, warnings): checked before the schema, so a huge one is one problem, not millions
MAX_KEYS = 100  # any mapping: calsync's have a dozen keys
MAX_STRING = 1_000_000  # any text, checked before the schema; each field has its own, smaller, limit below
_UTC = ZoneInfo("UTC")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


# --- one problem per field: what pydantic found, in words ---------------------------------------------------------


def _what(value: Any) -> str:
    """How a value looks to a person reading the file: ``a number``, ``text``, ``a list``…"""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and value != value:
        return "not-a-number"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "an infinite number"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"
    return type(value).__name__


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _path(loc: tuple[Any, ...]) -> str:
    """``('blocks', 3, 'title')`` → ``blocks[3].title``."""
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif isinstance(part, str) and _PLAIN_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:  # a key a person would not type (empty, control characters, spaces): quoted, escapes visible
            out += f"[{shorten(repr(part), 40)}]"
    return out or "the agenda"


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


def _problem(error: Any) -> str:
    return one_line(_describe(error))


def _describe(error: Any) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    where = _path(error["loc"])
    if kind in _EXPECTED:
        return f"{where}: expected {_EXPECTED[kind]}, got {_what(value)}"
    if kind == "missing":
        return f"{where}: missing"
    if kind == "extra_forbidden":
        return f"{where}: unknown field (check its spelling against the output of 'calsync parse')"
    if kind == "greater_than_equal":
        return f"{where}: must be {ctx['ge']} or more, got {value!r}"
    if kind == "less_than_equal":
        return f"{where}: must be {ctx['le']} or less, got {value!r}"
    if kind == "string_too_long":
        return f"{where}: is {len(value)} characters long, at most {ctx['max_length']}"
    if kind == "too_long":
        return f"{where}: has {ctx.get('actual_length', '?')} items, at most {ctx['max_length']}"
    if kind == "literal_error":
        return f"{where}: must be {ctx.get('expected')}, got {shorten(repr(value), 40)}"
    return f"{where}: {error['msg']}"


def _fail(message: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError("calsync", message, ctx or None)


# --- field rules ------------------------------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    if has_controls(value):
        at = next(i for i, ch in enumerate(value) if has_controls(ch))
        raise _fail(
            "holds the control character U+{code} at character {at} (only tab and line break are allowed)",
            code=f"{ord(value[at]):04X}",
            at=at + 1,
        )
    return value


def _key(pattern: re.Pattern[str]) -> Callable[[str], str]:
    """The check of a key field: empty, or the key pattern."""

    def check(value: str) -> str:
        if value and not pattern.fullmatch(value):
            raise _fail(
                "{value} is not a key: use lower-case letters, digits and hyphens (at most 100)",
                value=shorten(repr(value), 60),
            )
        return value

    return check


def _number(value: Any) -> Any:
    """An item's numbering: text, or a whole number as YAML reads ``number: 3``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is not None and not isinstance(value, str):
        raise _fail("expected text or a whole number, got {what}", what=_what(value))
    return value


def _instant(value: Any) -> datetime:
    """An ISO 8601 date-time (text, or a date-time YAML read itself) in the years calsync handles."""
    parsed: datetime | None = None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and len(value) <= 40:
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            parsed = None
    if parsed is None:
        raise _fail(
            "expected an ISO 8601 date-time such as 2020-07-22T16:00:00+02:00, got {what}",
            what=shorten(repr(value), 40) if isinstance(value, str) else _what(value),
        )
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise _fail(
            "the year {year} is outside the years calsync handles ({low}–{high})",
            year=parsed.year,
            low=MIN_YEAR,
            high=MAX_YEAR,
        )
    return parsed


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _zone(value: str) -> str:
    if len(value) > MAX_ZONE_NAME or value not in _zones():
        raise _fail("unknown time zone {value}: use an IANA name such as Europe/Paris", value=shorten(repr(value), 60))
    return value


def _join_url(value: str | None) -> str | None:
    if not value:
        return None
    problem = join_url_problem(value)
    if problem:
        raise _fail(
            "{value} {problem} (give the full join link, e.g. https://zoom.us/j/123456789)",
            value=shorten(repr(value), 60),
            problem=problem,
        )
    return value


def _language(value: str | None) -> str | None:
    if value and value not in LANGUAGES:
        raise _fail(
            "unknown language {value}: use one of {known}", value=shorten(repr(value), 20), known=", ".join(LANGUAGES)
        )
    return value or None


def _zone_form(value: Any) -> Any:
    return {"zone": value} if isinstance(value, str) else value


# Each field's type with its rules, as Annotated aliases (pydantic reads the metadata; mypy sees str, int, datetime)
Instant = Annotated[datetime, BeforeValidator(_instant)]
Title = Annotated[str, Field(max_length=1000), AfterValidator(_clean_text)]
Name = Annotated[str, Field(max_length=500), AfterValidator(_clean_text)]
Label = Annotated[str, Field(max_length=200), AfterValidator(_clean_text)]
Note = Annotated[str, Field(max_length=2000), AfterValidator(_clean_text)]
Description = Annotated[str, Field(max_length=100_000), AfterValidator(_clean_text)]
SourceName = Annotated[str, Field(max_length=4096), AfterValidator(_clean_text)]
NumberText = Annotated[str, Field(max_length=40), AfterValidator(_clean_text)]
Numbering = Annotated[NumberText | None, BeforeValidator(_number)]
Minutes = Annotated[int, Field(ge=0, le=100_000)]
MinutesPerName = Annotated[int, Field(ge=0, le=1440)]
LineNumber = Annotated[int, Field(ge=1, le=100_000_000)]
BlockKey = Annotated[str, AfterValidator(_key(BLOCK_KEY_PATTERN))]
MeetingKey = Annotated[str, AfterValidator(_key(MEETING_KEY_PATTERN))]
ZoneName = Annotated[str, AfterValidator(_zone)]
JoinUrl = Annotated[str | None, AfterValidator(_join_url)]
Language = Annotated[str | None, AfterValidator(_language)]
ZoneForm = BeforeValidator(_zone_form)


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Zone(_Data):
    zone: ZoneName
    as_written: Label | None = None
    note: Note | None = None


class _Hours(_Data):
    start: Instant
    end: Instant


class _Block(_Data):
    key: BlockKey | None = None
    number: Numbering = None
    title: Title
    start: Instant
    end: Instant
    end_inferred: bool = False
    duration_minutes: Minutes | None = None
    minutes_per_name: MinutesPerName | None = None
    description: Description | None = None
    names: list[Name] | None = Field(None, max_length=1000)
    line: LineNumber | None = None


class _Agenda(_Data):
    calsync: Literal[1] | None = None  # the format's version, written by 'calsync parse'
    key: MeetingKey | None = None
    title: Title | None = None
    timezone: Annotated[_Zone, ZoneForm]
    location: Title | None = None
    conference_url: JoinUrl = None
    hours: _Hours | None = None
    source: SourceName | None = None
    language: Language = None
    blocks: list[_Block] = Field(max_length=MAX_BLOCKS)
    warnings: Any = None  # the reader's notes: read as they always were (Notice.from_data)


# --- before the schema: sizes, and lone surrogates ------------------------------------------------------------------


def _bounded(data: Any) -> tuple[Any, list[str]]:
    """``data`` with lone surrogates replaced (U+FFFD), and the paths of lists, mappings and texts too big to check.

    A walk with its own stack (the loaders already capped the depth): pydantic would otherwise report each of a
    million list items, or copy a huge text before refusing it.
    """
    problems: list[str] = []

    def fix(value: Any, path: tuple[Any, ...]) -> Any:
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                problems.append(f"{_path(path)}: is {len(value)} characters long, more than calsync reads")
                return ""
            return _SURROGATES.sub("\ufffd", value)
        return value

    root: Any = fix(data, ())
    stack: list[tuple[Any, tuple[Any, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, list):
            if len(node) > MAX_ITEMS:
                problems.append(f"{_path(path)}: has {len(node)} items, more than calsync reads ({MAX_ITEMS})")
                node[:] = []
                continue
            for i, item in enumerate(node):
                node[i] = fix(item, (*path, i))
                stack.append((node[i], (*path, i)))
        elif isinstance(node, dict):
            if len(node) > MAX_KEYS:
                problems.append(f"{_path(path)}: has {len(node)} fields, more than an agenda has")
                node.clear()
                continue
            for key in list(node):
                node[key] = fix(node[key], (*path, key))
                stack.append((node[key], (*path, key)))
    return root, problems


# --- building the agenda ------------------------------------------------------------------------------------------


def agenda_from_data(data: Any, *, file: str | None = None) -> Agenda:
    """An :class:`Agenda` from its plain-data form, after checking it against the schema.

    ``data`` is changed in place (lone surrogates replaced): pass a fresh load of the file.
    """
    if not isinstance(data, dict):
        raise AgendaError(
            f"a structured agenda must be a mapping with 'title', 'timezone' and 'blocks', not {_what(data)}",
            file=file,
            hint="compare with the output of 'calsync parse'",
        )
    data, problems = _bounded(data)
    if problems:
        raise SchemaError(problems, file=file)
    try:
        checked = _Agenda.model_validate(data)
    except ValidationError as e:
        raise SchemaError([_problem(err) for err in e.errors(include_url=False)], file=file) from None
    try:
        return _build(checked, data.get("warnings"))
    except CalsyncError as e:
        if file:
            e.located(file)
        raise


def _build(checked: _Agenda, warnings: Any) -> Agenda:
    zone = MeetingZone(zone=checked.timezone.zone, as_written=checked.timezone.as_written, note=checked.timezone.note)
    tz = zone.tzinfo
    blocks: list[Block] = []
    for i, b in enumerate(checked.blocks):
        where = f"blocks[{i}]"
        try:
            blocks.append(
                Block(
                    key=b.key or "",
                    title=b.title,
                    number=b.number or None,
                    start=_aware(b.start, tz, f"{where}.start"),
                    end=_aware(b.end, tz, f"{where}.end"),
                    end_inferred=b.end_inferred,
                    duration_minutes=b.duration_minutes,
                    minutes_per_name=b.minutes_per_name,
                    description=b.description or "",
                    names=tuple(b.names or ()),
                    line=b.line,
                )
            )
        except AgendaError as e:
            if not e.message.startswith(where):
                e.message = f"{where}: {e.message}"
                e.args = (e.sentence(),)
            raise
    if any(not b.key for b in blocks):
        auto = block_keys(blocks)
        blocks = [b if b.key else replace(b, key=k) for b, k in zip(blocks, auto, strict=False)]
    title = checked.title or "Meeting"
    hours = checked.hours
    key = checked.key or (
        meeting_key(title, min(b.start.astimezone(_UTC) for b in blocks).astimezone(tz).date()) if blocks else ""
    )
    return Agenda(
        title=title,
        timezone=zone,
        blocks=tuple(blocks),
        key=key,
        location=checked.location,
        conference_url=checked.conference_url,
        hours=None if hours is None else (_aware(hours.start, tz, "hours.start"), _aware(hours.end, tz, "hours.end")),
        warnings=_notices(warnings),
        source=checked.source,
        language=checked.language,
    )


def _notices(warnings: Any) -> tuple[Notice, ...]:
    try:
        return tuple(Notice.from_data(w) for w in (warnings or ()))
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise AgendaError(
            f"warnings: each must be a mapping with a 'message' ({type(e).__name__})",
            hint="compare with the output of 'calsync parse'",
        ) from None


def _aware(value: datetime, tz: ZoneInfo, what: str) -> datetime:
    """A checked date-time as an aware one in ``tz``; a naive one is ``tz`` wall time (DST gaps and repeats refused)."""
    try:
        if value.tzinfo is None:
            return localize(value, tz, None)
        return value.astimezone(tz)
    except AgendaError as e:
        e.message = f"{what}: {e.message}"
        e.args = (e.sentence(),)
        raise
