"""The three ways ``calsync auth`` can take a person through Google's consent page; the only importer of
google_auth_oauthlib.

- :func:`browser_sign_in`: this machine's browser, answering on a loopback port (the usual desktop case).
- :func:`pasted_sign_in`: no browser here (a server, an SSH session). The person opens the address on any device;
  Google then sends that browser to ``http://localhost:PORT/…``, which does not load there, and the person pastes
  that address (or just its code) back. Google retired the copy-the-code "out of band" page in 2022 (its OOB
  migration guide), so the failed loopback address is the way to carry the code.
- :func:`forwarded_sign_in`: no browser here, but the person forwards the port (``ssh -L PORT:localhost:PORT``) so
  the browser's redirect reaches calsync's loopback server as in the desktop case.

Each returns a runner ``(client config, scopes) -> credentials``; all use PKCE and ask for offline access, so a
refresh token comes back. Nothing here prints: ``show`` and ``ask`` are the command line's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import CredentialsError

__all__ = ["browser_sign_in", "pasted_sign_in", "forwarded_sign_in", "PASTE_PORT", "Runner"]

Runner = Callable[[dict[str, Any], Sequence[str]], Any]
PASTE_PORT = 8085  # where the browser is sent when nothing listens: any port works for a Desktop-app client
WAIT_SECONDS = 300
_OFFLINE = {"access_type": "offline", "prompt": "consent"}


def browser_sign_in(port: int = 0, show: Callable[[str], None] | None = None) -> Runner:
    """Open this machine's browser; the answer comes to a loopback port (a free one unless ``port`` is given).
    ``show`` also gets the address, for when the browser opens somewhere the person does not look."""

    def run(config: dict[str, Any], scopes: Sequence[str]) -> Any:
        flow = _flow_class(show).from_client_config(config, list(scopes))
        return flow.run_local_server(port=port, authorization_prompt_message="", **_OFFLINE)

    return run


def pasted_sign_in(show: Callable[[str], None], ask: Callable[[], str], port: int = PASTE_PORT) -> Runner:
    """``show`` the consent page's address, then ``ask`` for the address the browser ended on (or its code)."""

    def run(config: dict[str, Any], scopes: Sequence[str]) -> Any:
        from google_auth_oauthlib.flow import InstalledAppFlow

        flow = InstalledAppFlow.from_client_config(config, list(scopes))
        flow.redirect_uri = f"http://localhost:{port}/"
        url, state = flow.authorization_url(**_OFFLINE)
        show(url)
        flow.fetch_token(code=code_from(ask(), state))
        return flow.credentials

    return run


def forwarded_sign_in(show: Callable[[str], None], port: int, wait: float = WAIT_SECONDS) -> Runner:
    """``show`` the consent page's address and wait (up to ``wait`` seconds) for the redirect on ``port``."""

    def run(config: dict[str, Any], scopes: Sequence[str]) -> Any:
        flow = _flow_class(show).from_client_config(config, list(scopes))
        return flow.run_local_server(
            port=port, open_browser=False, authorization_prompt_message="", timeout_seconds=int(wait), **_OFFLINE
        )

    return run


def _flow_class(show: Callable[[str], None] | None) -> Any:
    """InstalledAppFlow, telling ``show`` the consent page's address: run_local_server makes the address (state,
    PKCE challenge) itself and would print it on stdout; catching it here lets the command line say it on stderr."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    if show is None:
        return InstalledAppFlow
    tell: Callable[[str], None] = show

    class ShowingFlow(InstalledAppFlow):  # type: ignore[misc]
        def authorization_url(self, **kwargs: Any) -> Any:
            url, state = super().authorization_url(**kwargs)
            tell(url)
            return url, state

    return ShowingFlow


def code_from(answer: str, state: str) -> str:
    """The authorization code in what the person pasted: the whole address the browser ended on, or the code."""
    text = answer.strip()
    hint = "run 'calsync auth --no-browser' again and paste the whole address from the browser's address bar"
    if not text:
        raise CredentialsError("nothing was pasted", hint=hint)
    if "://" not in text and not text.startswith(("localhost", "127.0.0.1")) and "=" not in text:
        return text  # the code alone
    query = parse_qs(urlsplit(text if "://" in text else f"http://{text}").query)
    if query.get("error"):
        raise CredentialsError(
            f"Google sign-in was refused ({query['error'][0]}): it was cancelled, or this account "
            "is not a test user of the app",
            hint="add the account under OAuth consent screen → Test users, then " + hint[4:],
        )
    if query.get("state", [state])[0] != state:
        raise CredentialsError("the pasted address belongs to another sign-in attempt", hint=hint)
    code = (query.get("code") or [""])[0]
    if not code:
        raise CredentialsError("the pasted address holds no code", hint=hint)
    return code
