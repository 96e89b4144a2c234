"""What a page says from data, in every page language: zones' labels, notes, dates, flags and day shifts.

The catalogs' words reach templates through Jinja2's ``_()``; these are the words that come from CLDR and from the
zones as worked out for the agenda's readers ("Brésil (heure normale de Brasilia ; Manaos −1 h)"), which depend on
the reader's language. Each is a :class:`~calsync.site.phrases.Phrase`, so the page can show it in any of the four.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from .. import i18n
from ..details import zone_name, zone_note
from ..model import Agenda
from ..render import _meeting_heading, _notes, _short_label
from ..zones import ParticipantZone
from .grid import GridColumn
from .phrases import LANGUAGES, Phrase, concat
from .phrases import message as _
from .phrases import plural as ngettext

__all__ = ["Wording", "wording", "long_date", "flag_words", "day_shift", "agenda_phrase"]

ZonesFor = Callable[[Agenda], Sequence[ParticipantZone]]


def long_date(day: date) -> Phrase:
    """``Wednesday, July 22, 2020`` / ``mercredi 22 juillet 2020``: a day's heading."""
    return Phrase(lambda lang: i18n.long_date(day, lang))


def flag_words(words: Sequence[str]) -> Phrase:
    """A cell's flags in words, for readers without colour: ``night``, ``early``, ``late`` or ``early, late``."""
    said = {"night": _("night"), "early": _("early"), "late": _("late")}
    return Phrase(lambda lang: ", ".join(said[w].text(lang) for w in words))


def day_shift(n: int) -> Phrase | str:
    """``+1 day``, ``-2 days``: a local date's distance from the meeting's; nothing on the same day."""
    if n > 0:
        return ngettext("+%(num)s day", "+%(num)s days", n)
    if n < 0:
        return ngettext("-%(num)s day", "-%(num)s days", -n)
    return ""


def agenda_phrase(agenda: Agenda, say: Callable[[Agenda], str]) -> Phrase:
    """What the library says about ``agenda`` in its language (``zone_name``, ``zone_note``), said in each one."""
    return Phrase(lambda lang: say(replace(agenda, language=lang)))


@dataclass(frozen=True)
class Wording:
    """The participants' zones as each language labels them, and the notes under the grid, for one meeting."""

    agenda: Agenda
    labels: Mapping[tuple[str, str], Mapping[str, str]]  # (zone, label as in the page's zones) → label by language
    notes: tuple[Phrase, ...]

    def label(self, pz: ParticipantZone) -> Phrase:
        texts = self.labels.get((pz.zone, pz.label), {})
        return Phrase(lambda lang: texts.get(lang, pz.label))

    def short(self, pz: ParticipantZone) -> Phrase:
        """The label without its IANA name ("Central European Summer Time"), shown in a column's head."""
        texts = self.labels.get((pz.zone, pz.label), {})
        return Phrase(lambda lang: _short_label(replace(pz, label=texts.get(lang, pz.label))))

    def column_tip(self, column: GridColumn) -> Phrase:
        """A column head's tooltip: the full label, the IANA zone, the offset, and who is there."""
        parts: list[object] = [self.label(column.zone), f" · {column.zone.zone} · UTC{column.iso_offset}"]
        if column.dst:
            parts += [" ", _("summer time")]
        if column.zone.people:
            parts.append(" · " + ", ".join(column.zone.people))
        return concat(*parts)

    @property
    def meeting_clock(self) -> Phrase:
        """ "Brussels time", "heure de Bruxelles": the meeting's clock as people say it."""
        return agenda_phrase(self.agenda, zone_name)

    @property
    def zone_note(self) -> Phrase | None:
        """Which clock the times follow, when the agenda's zone label was ambiguous; ``None`` when it was not."""
        if zone_note(self.agenda) is None:
            return None
        return agenda_phrase(self.agenda, lambda a: zone_note(a) or "")

    @property
    def meeting_heading(self) -> Phrase:
        """The meeting's days and clock: ``Wednesday, July 22, 2020 · meeting time: …``."""
        return agenda_phrase(self.agenda, _meeting_heading)


def wording(agenda: Agenda, zones: Sequence[ParticipantZone], zones_for: ZonesFor | None = None) -> Wording:
    """``zones`` (worked out in the agenda's language) labelled in every language, by working them out again in each
    with ``zones_for``; without it, or where a language's list does not line up, the page's own labels stay."""
    own = i18n.language(agenda.language)
    by_language = {own: list(zones)}
    if zones_for is not None:
        for lang in LANGUAGES:
            if lang != own:
                by_language[lang] = list(zones_for(replace(agenda, language=lang)))
    aligned = {
        lang: zs
        for lang, zs in by_language.items()
        if len(zs) == len(zones) and all(a.zone == b.zone for a, b in zip(zs, zones, strict=False))
    }
    labels = {(pz.zone, pz.label): {lang: zs[i].label for lang, zs in aligned.items()} for i, pz in enumerate(zones)}
    notes_by_language = {lang: _notes(zs) for lang, zs in aligned.items()}
    own_notes = notes_by_language[own]
    notes = tuple(Phrase(functools.partial(_note_in, notes_by_language, i, note)) for i, note in enumerate(own_notes))
    return Wording(agenda, labels, notes)


def _note_in(notes: Mapping[str, Sequence[str]], i: int, fallback: str, lang: str) -> str:
    """Note ``i`` in ``lang`` (Phrase calls it with the language last), the agenda language's when not translated."""
    found = notes.get(lang)
    return found[i] if found is not None and len(found) > i else fallback
