"""The language of what calsync writes for people: gettext catalogs (managed with babel's tools) and CLDR dates.

Messages are English in the code and translated in ``calsync/locale/<lang>/LC_MESSAGES/calsync.po`` (French, Spanish,
German). The compiled ``.mo`` files are committed next to them, so that an editable install, a wheel and an sdist
all carry them without a build step; ``tests/test_i18n.py`` fails when a ``.mo`` no longer matches its ``.po``, or
when a message in the code or the pages' templates is missing from a catalog. To change a message (README,
Development; ``babel.cfg`` adds the templates, read by Jinja2's extractor):

    pybabel extract -F babel.cfg -o calsync/locale/calsync.pot --no-location --sort-output calsync
    pybabel update -i calsync/locale/calsync.pot -d calsync/locale -D calsync --no-fuzzy-matching --ignore-obsolete
    pybabel compile -d calsync/locale -D calsync

Text for people follows the agenda's language (:attr:`Agenda.language`); ``--lang`` replaces it. Messages for the
organiser at the command line (errors, warnings, hints) stay in English.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from datetime import date
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

from .places import LANGUAGES

__all__ = ["LANGUAGES", "translations", "gettext_for", "language", "long_date", "short_date"]

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "calsync"


def language(lang: str | None) -> str:
    """One of :data:`LANGUAGES`: ``lang`` when calsync writes in it, English otherwise (an agenda in no known one)."""
    return lang if lang in LANGUAGES else "en"


@functools.cache
def translations(lang: str | None) -> NullTranslations:
    """The gettext catalog for ``lang`` (``gettext``, ``ngettext``, ``pgettext``, …); English has none to load.
    The pages' templates reach it through :mod:`calsync.site.phrases`, in every language at once."""
    chosen = language(lang)
    if chosen == "en":
        return NullTranslations()
    # What babel.support.Translations.load does, with the standard library's classes: importing babel.support loads
    # babel's dates and numbers modules too, which a command that formats no date never needs.
    found = gettext.find(DOMAIN, str(LOCALE_DIR), [chosen])
    if not found:
        return NullTranslations()
    with open(found, "rb") as fp:
        return GNUTranslations(fp)


def gettext_for(lang: str | None) -> Callable[[str], str]:
    """``_`` for one language: ``_ = gettext_for(agenda.language)``, then ``_("Local times:")``."""
    return translations(lang).gettext


def long_date(day: date, lang: str | None) -> str:
    """``Thursday, 12 March 2026`` / ``jeudi 12 mars 2026`` / ``Donnerstag, 12. März 2026``: a day section's heading."""
    from babel.dates import format_date

    return format_date(day, "full", locale=language(lang))


def short_date(day: date, lang: str | None) -> str:
    """``Thu 12 Mar`` / ``jeu. 12 mars`` / ``Do., 12. März``: a local date beside a time."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMEd", day, locale=language(lang))
