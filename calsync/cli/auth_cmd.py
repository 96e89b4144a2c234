"""``calsync auth``: sign in to Google and save the token ``calsync push`` uses.

Google's modules are imported inside the command, so ``calsync ics`` never pays for loading them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import CredentialsError
from .app import app, note, reports_errors


@app.command("auth")
@reports_errors
def auth(
    credentials: Annotated[
        Path,
        typer.Option(
            "--credentials",
            metavar="FILE",
            help="The OAuth client JSON of a 'Desktop app' client, from Google Cloud Console (APIs & Services → "
            "Credentials).",
        ),
    ] = Path("credentials.json"),
    no_browser: Annotated[
        bool,
        typer.Option(
            "--no-browser",
            help="Sign in from a machine without a browser (a server, SSH): open the printed address on any device, "
            "then paste back the address the browser ends on; with --port, calsync waits on that (forwarded) port "
            "instead.",
        ),
    ] = False,
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            min=1,
            max=65535,
            metavar="PORT",
            help="Receive Google's answer on this local port (with --no-browser: forward it first, e.g. "
            "ssh -L 8085:localhost:8085 HOST). Default: any free port.",
        ),
    ] = None,
    create_calendars: Annotated[
        bool,
        typer.Option(
            "--create-calendars",
            help="Also allow calsync to make calendars, for 'push --create-calendar' (Google's calendar.app.created "
            "scope).",
        ),
    ] = False,
    share_calendars: Annotated[
        bool,
        typer.Option(
            "--share-calendars",
            help="Also allow calsync to share the calendars it makes, for 'push --share' (the calendar.acls scope).",
        ),
    ] = False,
) -> None:
    """Sign in to Google and save the token.

    Asks only for what calsync needs: editing events on your calendars, plus making and sharing calendars when you
    say so. The token is saved readable by you only (mode 0600) in calsync's config folder and refreshed when it
    expires.
    """
    from ..backends.google_auth import authorize, read_client_secrets, scopes_for
    from ..backends.google_signin import PASTE_PORT, browser_sign_in, forwarded_sign_in, pasted_sign_in

    read_client_secrets(credentials)  # a wrong or broken file is reported before any talk of a browser
    warn_if_exposed(credentials)
    scopes = scopes_for(create=create_calendars, share=share_calendars)
    if no_browser and port is not None:
        runner = forwarded_sign_in(lambda url: _show_forwarded(url, port), port)
    elif no_browser:
        runner = pasted_sign_in(_show_pasted, _ask_pasted, PASTE_PORT)
    else:
        note("calsync: opening the browser to sign in to Google (a local port receives the answer)…")
        runner = browser_sign_in(port or 0, lambda url: note(f"calsync: if no browser opens, visit {url}"))
    saved = authorize(credentials, run_flow=runner, scopes=scopes)
    note(f"calsync: signed in; token saved to {saved} (readable by you only)")


def _show_pasted(url: str) -> None:
    from ..backends.google_signin import PASTE_PORT

    note("calsync: open this address in a browser on any device and sign in to Google:")
    note(f"  {url}")
    note(
        f"calsync: Google then sends that browser to http://localhost:{PASTE_PORT}/…, a page that will not load: "
        "copy the whole address from its address bar."
    )


def _ask_pasted() -> str:
    # Not typer.prompt: it writes the prompt's last character to stdout, and stdout stays clean for pipes.
    typer.echo("Paste that address here (or just its code): ", err=True, nl=False)
    line = sys.stdin.readline()
    if not line:
        raise CredentialsError(
            "no address was pasted (the input ended)",
            hint="run 'calsync auth --no-browser' in a terminal, or add --port PORT and forward that port",
        )
    return line


def _show_forwarded(url: str, port: int) -> None:
    import socket

    note("calsync: open this address in a browser and sign in to Google:")
    note(f"  {url}")
    note(
        f"calsync: waiting up to 5 minutes for the answer on port {port}; from another machine, forward it first: "
        f"ssh -L {port}:localhost:{port} {socket.gethostname()}"
    )


def warn_if_exposed(path: Path) -> None:
    """Warn when a file holding secrets can be read by other users of this computer."""
    from ..backends.google_auth import exposed_file_warning

    warning = exposed_file_warning(path)
    if warning:
        note(f"calsync: warning: {warning}")
