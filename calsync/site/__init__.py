"""The meeting's page and calendar feed, as static files (``publish``) or served live (``serve``).

Pages are Jinja2 templates (``templates/``) with one stylesheet and one script (``assets/``), all package data.
This package is the only importer of the web stack: Jinja2 here, Starlette, uvicorn and watchfiles in
:mod:`calsync.site.server` only (the ``calsync[serve]`` extra), so publishing needs no server libraries.
"""

from __future__ import annotations

from .pages import render_times_html
from .publish import SiteOptions, published_feeds, site_files, write_site

__all__ = ["render_times_html", "SiteOptions", "published_feeds", "site_files", "write_site"]
