"""The Jinja2 environment every page is rendered with: templates and assets from the package, gettext ready.

Every string written for people goes through Jinja2's i18n extension (``{% trans %}``, ``_()``) with English source
text; until catalogs exist the translations are null. The page's CSS and JS are package data, inlined into each page
(so a page works opened from disk and from any static host) and allowed by their hashes in a strict CSP.
"""

from __future__ import annotations

import base64
import functools
import gettext
import hashlib
from importlib import resources
from typing import Any

import jinja2

__all__ = ["Assets", "assets", "environment", "render"]


@functools.lru_cache(maxsize=None)
def environment(translations: gettext.NullTranslations | None = None) -> jinja2.Environment:
    """The environment for one language; ``None`` is English (null translations)."""
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
    env.install_gettext_translations(translations or gettext.NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    env.globals["assets"] = assets()
    return env


def render(name: str, translations: gettext.NullTranslations | None = None, **context: Any) -> str:
    """Render the template ``name`` with ``context``."""
    return environment(translations).get_template(name).render(**context)


class Assets:
    """The shared stylesheet and script, and the CSP that lets exactly these two run."""

    def __init__(self, css: str, js: str) -> None:
        self.css = css
        self.js = js
        # Nothing may be fetched and only our own style and script apply, even if escaping were ever to fail.
        self.csp = (f"default-src 'none'; style-src '{_sha256(css)}'; script-src '{_sha256(js)}'; img-src data:; "
                    "base-uri 'none'; form-action 'none'")


@functools.lru_cache(maxsize=None)
def assets() -> Assets:
    folder = resources.files("calsync.site") / "assets"
    return Assets((folder / "calsync.css").read_text(encoding="utf-8"), (folder / "calsync.js").read_text(encoding="utf-8"))


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
