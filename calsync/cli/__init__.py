"""The ``calsync`` command line. Nothing in calsync imports this package."""

from __future__ import annotations

import os
import sys

from ..printable import one_line, redact

# Each command lives in its own module and registers itself on ``app`` when imported, in this order: the order of
# --help's list. The modules import only Typer and calsync.cli.app at the top; each command imports what it uses
# (the reader, zones, icalendar, the sync engine, Google's client, rich) when it runs, so ``calsync ics`` pays for
# nothing else.
# isort: off
from . import times_cmd, diff_cmd, ics_cmd, parse_cmd, site_cmd, auth_cmd, sync_cmd  # noqa: F401

# isort: on
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: run the app; anything unexpected becomes one line, never a traceback."""
    try:
        app()
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001 - the last line of defence against tracebacks
        # Library errors quote what they were given: no token and no control character may get out with them.
        text = redact(f"{type(e).__name__}: {e}", (os.environ.get("GOOGLE_OAUTH_ACCESS_TOKEN", "").strip(),))
        print(
            one_line(f"calsync: internal error: {text}; please report this with the agenda that caused it"),
            file=sys.stderr,
        )
        sys.exit(70)
