"""The Jinja2 environment every page is rendered with: templates and assets from the package, words in four languages.

Every string written for people goes through Jinja2's i18n extension (``{% trans %}``, ``_()``, ``ngettext``) with
English source text, extracted by babel's Jinja2 extractor into the same catalogs as the code's (``babel.cfg``).
Here those calls give :class:`~calsync.site.phrases.Phrase`\\ s rather than strings: shown in the page's language,
and marked with ``|t`` (or ``|t_attr``) so that the page's script can show them in the viewer's. The page's CSS and
JS are package data, inlined into each page (so a page works opened from disk and from any static host) and allowed
by their hashes in a strict CSP.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Mapping
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .phrases import LANGUAGE_NAMES, LANGUAGES, Phrase, concat, key, message, page_language, page_table, plural, writing
from .wording import day_shift, flag_words, long_date

__all__ = ["Assets", "assets", "environment", "render"]

# The attributes whose text a page may switch ("data-t-placeholder"), as the page's script knows them.
SWITCHED_ATTRIBUTES = ("placeholder", "title", "aria-label")


@functools.cache
def environment() -> jinja2.Environment:
    """The one environment: the page's language is the page being written's (see :func:`render`)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("calsync.site", "templates"),
        autoescape=True,  # agenda text is untrusted: every {{ }} is escaped unless marked safe here
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Compact JSON for the page's data; tojson still escapes <, >, & and ' so it cannot end its <script> element.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    # New-style gettext ({% trans x=y %} passes x to the call), with our callables: they fill the placeholders
    # themselves, in every language, and Phrase escapes when shown.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(
        gettext=message,
        ngettext=plural,
        concat=concat,
        page_text=page_table,
        languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
        long_date=long_date,
        flag_words=flag_words,
        day_shift=day_shift,
        assets=assets(),
    )
    env.filters.update(t=_marked, t_attr=_key_attribute, by_language=_by_language)
    return env


def render(name: str, lang: str | None = None, **context: Any) -> str:
    """Render the template ``name`` with ``context``, written in ``lang`` (English when not one of the four)."""
    with writing(lang):
        return environment().get_template(name).render(lang=page_language(), **context)


def _marked(value: Any) -> Markup:
    """``{{ phrase|t }}``: the phrase in the page's language, in a span the script can switch; other text as is."""
    # escape() and an f-string of escaped parts rather than Markup.format: the same escaping for a fraction of the
    # cost, on a page's 40,000 texts
    if not isinstance(value, Phrase):
        return escape(value)
    return Markup(f'<span data-t="{key(value):d}">{value.__html__()}</span>')


def _key_attribute(value: Any, attribute: str | None = None) -> Markup:
    """``<title{{ phrase|t_attr }}>`` or ``placeholder="…"{{ phrase|t_attr("placeholder") }}``: the key as an
    attribute of an element that already exists (a span cannot go in a <title> or an attribute)."""
    if not isinstance(value, Phrase):
        return Markup("")
    if attribute is not None and attribute not in SWITCHED_ATTRIBUTES:
        raise ValueError(f"the page's script does not switch the {attribute!r} attribute")
    name = "data-t" if attribute is None else f"data-t-{attribute}"
    return Markup(' {}="{}"').format(Markup(name), key(value))


def _by_language(values: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``{name: phrase}`` as each language's ``{name: text}``, for the script's own words."""
    return {
        lang: {k: v.text(lang) if isinstance(v, Phrase) else str(v) for k, v in values.items()} for lang in LANGUAGES
    }


class Assets:
    """The shared stylesheet and script, and the CSP that lets exactly these two run."""

    def __init__(self, css: str, js: str) -> None:
        self.css = css
        self.js = js
        # Nothing may be fetched and only our own style and script apply, even if escaping were ever to fail.
        self.csp = (
            f"default-src 'none'; style-src '{_sha256(css)}'; script-src '{_sha256(js)}'; img-src data:; "
            "base-uri 'none'; form-action 'none'"
        )


@functools.cache
def assets() -> Assets:
    folder = resources.files("calsync.site") / "assets"
    return Assets(
        (folder / "calsync.css").read_text(encoding="utf-8"), (folder / "calsync.js").read_text(encoding="utf-8")
    )


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
