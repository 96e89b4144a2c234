"""A change notice participants can read in their own time: what moved, was renamed, added or removed, and the new
and old local times in every participant's zone, in the agenda's language. Formatters return strings; nothing here
prints.

Every sentence participants read is in :func:`phrases`, marked for gettext (English in the code, translated in
``calsync/locale``), so the notice follows the agenda's language (or ``--lang``). The HTML notice is a Jinja2
template (``calsync/templates/notice.html``) filled with those sentences; Jinja2 is loaded only for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from .changes import BlockChange, Changes
from .i18n import gettext_for, language, long_date, short_date
from .model import Agenda, Block
from .zones import ParticipantZone, local_times, utc_label

__all__ = ["Phrases", "phrases", "notice_data", "render_notice", "NoticeFormat"]


class NoticeFormat(StrEnum):
    """The forms a notice is rendered in (``calsync diff -f``)."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"  # the plain data every other form is made from


@dataclass(frozen=True)
class Phrases:
    """The notice's sentences in one language, with ``{placeholders}`` filled by :func:`notice_data`."""

    heading: str
    nothing: str
    moved: str
    moved_retitled: str
    retitled: str
    renumbered: str
    added: str
    removed: str
    zone_moved: str
    zone_new: str
    link_added: str
    link_changed: str
    link_removed: str
    where: str
    new_time: str
    before: str


def phrases(lang: str | None) -> Phrases:
    """Every sentence of the notice, in ``lang`` (English when calsync has no catalog for it)."""
    _ = gettext_for(lang)
    return Phrases(
        heading=_("Changes to the programme of {meeting}"),
        nothing=_("Nothing has changed in the programme of {meeting}."),
        moved=_("{block}: new time"),
        moved_retitled=_("{block}: new time and new title (was “{old}”)"),
        retitled=_("{block}: new title (was “{old}”)"),
        renumbered=_("{block}: new number (was {old})"),
        added=_("New in the programme: {block}"),
        removed=_("Removed from the programme: {block} (was {time}, {clock})"),
        zone_moved=_("{zone}: {new}, instead of {old}"),
        zone_new=_("{zone}: {new}"),
        link_added=_("Join link: {url}"),
        link_changed=_("New join link: {url}"),
        link_removed=_("The join link has been withdrawn."),
        where=_("Where"),
        new_time=_("New time"),
        before=_("Before"),
    )


def _label(block: Block) -> str:
    return " ".join(block.label.split())


def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def _times(agenda: Agenda, block: Block, zones: Sequence[ParticipantZone]) -> list[Any]:
    return local_times(replace(agenda, blocks=(block,)), zones)


class _Spans:
    """Local spans as the notice writes them: a date where the programme runs over days or the block changed day."""

    def __init__(self, lang: str | None, dated: bool) -> None:
        self.lang, self.dated = lang, dated

    def new(self, lt: Any) -> str:
        day = f" {short_date(lt.start.date(), self.lang)}" if self.dated or lt.day_shift else ""
        return f"{_clock(lt.start)}–{_clock(lt.end)}{day} ({utc_label(lt.start.utcoffset())})"

    def old(self, lt: Any, new: Any | None) -> str:
        """Beside a new time, the old one has a date only when it was another day there."""
        if new is not None:
            dated = new.start.date() != lt.start.date()
        else:
            dated = self.dated or bool(lt.day_shift)
        day = f" {short_date(lt.start.date(), self.lang)}" if dated else ""
        return f"{_clock(lt.start)}–{_clock(lt.end)}{day}"


def notice_data(changes: Changes, zones: Sequence[ParticipantZone], lang: str | None = None) -> dict[str, Any]:
    """The notice as plain data (what ``-f json`` prints and every other format is made from), sentences filled in
    the language of the new agenda unless ``lang`` says otherwise."""
    lang = lang or changes.new.language
    words = phrases(lang)
    old, new = changes.old, changes.new
    moved_day = any(
        c.old is not None
        and c.new is not None
        and c.old.start.astimezone(old.tzinfo).date() != c.new.start.astimezone(new.tzinfo).date()
        for c in changes.blocks
    )
    spans = _Spans(lang, len(new.dates) > 1 or len(old.dates) > 1 or moved_day)
    items = [_item(c, changes, zones, words, spans) for c in changes.blocks]
    link = None
    if changes.link is not None:
        text = {"added": words.link_added, "changed": words.link_changed, "removed": words.link_removed}[changes.link]
        link = {"change": changes.link, "url": new.conference_url, "text": text.format(url=new.conference_url)}
    heading = (words.heading if changes else words.nothing).format(meeting=" ".join(new.title.split()))
    return {
        "meeting": " ".join(new.title.split()),
        "key": new.key,
        "language": language(lang),
        "heading": heading,
        "date": long_date(new.start.astimezone(new.tzinfo).date(), lang) if len(new.dates) == 1 else None,
        "columns": {"where": words.where, "new": words.new_time, "before": words.before},
        "changes": items,
        "link": link,
    }


def _item(
    change: BlockChange, changes: Changes, zones: Sequence[ParticipantZone], words: Phrases, spans: _Spans
) -> dict[str, Any]:
    old, new = change.old, change.new
    now = _times(changes.new, new, zones) if new is not None else []
    then = _times(changes.old, old, zones) if old is not None else []
    if new is None:
        assert old is not None
        meeting_clock = then[0] if then else None
        text = words.removed.format(
            block=_label(old),
            time=spans.old(meeting_clock, None) if meeting_clock else "",
            clock=zones[0].label if zones else changes.old.timezone.zone,
        )
    elif old is None:
        text = words.added.format(block=_label(new))
    elif "moved" in change.kinds and "retitled" in change.kinds:
        text = words.moved_retitled.format(block=_label(new), old=_label(old))
    elif "moved" in change.kinds:
        text = words.moved.format(block=_label(new))
    elif "retitled" in change.kinds:
        text = words.retitled.format(block=_label(new), old=_label(old))
    else:
        text = words.renumbered.format(block=_label(new), old=old.number or "—")
    rows = []
    if new is not None and (old is None or "moved" in change.kinds):
        for k, lt in enumerate(now):
            before = spans.old(then[k], lt) if then else None
            line = (
                words.zone_moved.format(zone=lt.zone.label, new=spans.new(lt), old=before)
                if before
                else words.zone_new.format(zone=lt.zone.label, new=spans.new(lt))
            )
            rows.append({"zone": lt.zone.label, "tz": lt.zone.zone, "new": spans.new(lt), "old": before, "text": line})
    return {
        "kinds": list(change.kinds),
        "block": change.block.key,
        "label": _label(change.block),
        "was": _label(old) if old is not None and new is not None and _label(old) != _label(new) else None,
        "old": _span_data(old),
        "new": _span_data(new),
        "text": text,
        "times": rows,
    }


def _span_data(block: Block | None) -> dict[str, str] | None:
    return None if block is None else {"start": block.start.isoformat(), "end": block.end.isoformat()}


# -- formats -----------------------------------------------------------------------------------------------------------


def render_notice(data: dict[str, Any], fmt: NoticeFormat | str) -> str:
    """The notice in a :class:`NoticeFormat` (or its name); another name is a ValueError."""
    form = NoticeFormat(fmt)
    if form is NoticeFormat.JSON:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if form is NoticeFormat.MARKDOWN:
        return _markdown(data)
    if form is NoticeFormat.HTML:
        return _html(data)
    return _text(data)


def _text(data: dict[str, Any]) -> str:
    lines = [data["heading"]]
    if data["date"]:
        lines.append(data["date"])
    for item in data["changes"]:
        lines += ["", item["text"], *(f"  {row['text']}" for row in item["times"])]
    if data["link"]:
        lines += ["", data["link"]["text"]]
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|")


def _markdown(data: dict[str, Any]) -> str:
    lines = [f"## {data['heading']}"]
    if data["date"]:
        lines += ["", data["date"]]
    cols = data["columns"]
    for item in data["changes"]:
        lines += ["", f"**{item['text']}**"]
        if item["times"]:
            moved = any(row["old"] for row in item["times"])
            head = [cols["where"], cols["new"]] + ([cols["before"]] if moved else [])
            lines += ["", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
            for row in item["times"]:
                cells = [row["zone"], row["new"]] + ([row["old"]] if moved else [])
                lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if data["link"]:
        lines += ["", data["link"]["text"]]
    return "\n".join(lines) + "\n"


def _html(data: dict[str, Any]) -> str:
    import jinja2  # only the HTML notice needs it

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("calsync", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("notice.html").render(notice=data)
