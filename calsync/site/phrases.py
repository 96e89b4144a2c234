"""Words on a page in every page language: written in the page's own, switched in the browser to the viewer's.

A page is written in one language (the agenda's, or ``--lang``'s) and carries the other three in its data, so that
its script can show the viewer's browser language without a request. Each piece of text for people is a
:class:`Phrase`: how to say it in any language (a catalog message, a CLDR date, a zone's label). A template shows a
phrase in the page's language and marks it with its key in the page's table of texts (``{{ phrase|t }}`` writes
``<span data-t="3">…</span>``); the page's data holds that table in every language.

The page being written is a context variable, not a template argument, because macros imported from other
templates see no context, and a phrase may be built long before the template shows it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from ..i18n import LANGUAGES, language, translations

# Each language by its own name, for the page's choice of language.
LANGUAGE_NAMES = (("en", "English"), ("fr", "Français"), ("es", "Español"), ("de", "Deutsch"))

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "Phrase",
    "PageText",
    "message",
    "plural",
    "concat",
    "writing",
    "page_language",
    "key",
    "page_table",
]


class Phrase:
    """Text for people in any of :data:`LANGUAGES`: shown (escaped) in the language of the page being written."""

    __slots__ = ("_make", "_texts")

    def __init__(self, make: Callable[[str], str]) -> None:
        self._make = make
        self._texts: dict[str, str] = {}

    def text(self, lang: str) -> str:
        found = self._texts.get(lang)
        if found is None:
            found = self._texts[lang] = self._make(lang)
        return found

    def texts(self) -> tuple[str, ...]:
        """The text in each of :data:`LANGUAGES`, in that order."""
        return tuple(self.text(lang) for lang in LANGUAGES)

    def __str__(self) -> str:
        return self.text(page_language())

    def __html__(self) -> Markup:
        return escape(str(self))

    def __repr__(self) -> str:
        return f"Phrase({self.text('en')!r})"


def _in(lang: str, value: Any) -> Any:
    return value.text(lang) if isinstance(value, Phrase) else value


def message(msgid: str, /, **variables: Any) -> Phrase:
    """A catalog message, ``%(name)s`` placeholders filled, as Jinja2's new-style ``gettext`` does in templates."""
    return Phrase(lambda lang: translations(lang).gettext(msgid) % {k: _in(lang, v) for k, v in variables.items()})


def plural(singular: str, plural_form: str, n: int, /, **variables: Any) -> Phrase:
    """A catalog message with plural forms chosen by ``n`` (``%(num)s`` is ``n`` unless given)."""
    variables.setdefault("num", n)
    return Phrase(
        lambda lang: (
            translations(lang).ngettext(singular, plural_form, n) % {k: _in(lang, v) for k, v in variables.items()}
        )
    )


def concat(*parts: Any) -> Phrase:
    """Phrases and plain text run together ("Ghana: 14:00–16:00"), in each language."""
    return Phrase(lambda lang: "".join(str(_in(lang, p)) for p in parts))


@dataclass
class PageText:
    """The page being written: its language, and the texts its markup marks, each under a key (its position)."""

    lang: str
    keys: dict[tuple[str, ...], int] = field(default_factory=dict)

    def key(self, phrase: Phrase) -> int:
        # Texts equal in every language share a key: a grid's thousand "night" cells are one entry.
        return self.keys.setdefault(phrase.texts(), len(self.keys))

    def table(self) -> dict[str, list[str]]:
        """Each language's texts, in key order, for the page's data."""
        rows = list(self.keys)
        return {lang: [row[i] for row in rows] for i, lang in enumerate(LANGUAGES)}


_page: contextvars.ContextVar[PageText | None] = contextvars.ContextVar("calsync_page", default=None)


@contextlib.contextmanager
def writing(lang: str | None) -> Iterator[PageText]:
    """While a page in ``lang`` is written: phrases show in it, and ``|t`` records them in this page's table."""
    token = _page.set(PageText(language(lang)))
    try:
        yield _page.get()  # type: ignore[misc]
    finally:
        _page.reset(token)


def page_language() -> str:
    """The language of the page being written; English outside one."""
    page = _page.get()
    return page.lang if page is not None else "en"


def key(phrase: Phrase) -> int:
    """``phrase``'s key in the page being written."""
    page = _page.get()
    if page is None:
        raise RuntimeError("a phrase is marked outside of writing a page")
    return page.key(phrase)


def page_table() -> dict[str, list[str]]:
    """The page being written's texts in every language (see :meth:`PageText.table`)."""
    page = _page.get()
    return page.table() if page is not None else {}
