"""Google's OAuth 2.0 endpoints as the fake server plays them: the consent page (``/o/oauth2/auth``, where a test plays
the person's browser) and the token endpoint (``/token``).

Rules kept: the code is exchanged once, with the same ``redirect_uri`` and the PKCE verifier whose S256 challenge
went to the consent page (RFC 7636; google-auth-oauthlib sends PKCE by default); a refused consent comes back to the
redirect as ``error=access_denied`` (RFC 6749 §4.1.2.1); errors of the token endpoint are JSON ``{"error": …}`` with
status 400 (RFC 6749 §5.2). A person may grant fewer scopes than asked on Google's granular consent screen, and the
token answer then lists only the granted ones (googlecolab/google-colab-cli#116; oauthlib raises "Scope has changed"
unless told to accept it, googleapis/google-api-python-client#551). Tokens issued here are accepted by the fake API
with exactly the granted scopes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

if TYPE_CHECKING:
    from fake_google import FakeGoogleCalendar

JSON = {"Content-Type": "application/json; charset=UTF-8"}


class FakeOAuth:
    """The consent page and token endpoint; :attr:`consent` says what the person does on the consent page."""

    PATHS = ("/o/oauth2/auth", "/token")

    def __init__(self, fake: FakeGoogleCalendar) -> None:
        self.fake = fake
        self.consent = "allow"  # "allow" | "deny"
        self.grant_only: set[str] | None = None  # scopes the person leaves ticked (None: all asked)
        self.codes: dict[str, dict[str, Any]] = {}
        self.issued: set[str] = set()
        self.exchanges = 0

    @property
    def client_config(self) -> dict[str, Any]:
        """A Desktop-app client file whose endpoints are this fake's."""
        root = self.fake.root
        return {
            "installed": {
                "client_id": "123-test.apps.googleusercontent.com",
                "project_id": "calsync-test",
                "auth_uri": f"{root}o/oauth2/auth",
                "token_uri": f"{root}token",
                "client_secret": "GOCSPX-test-secret",
                "redirect_uris": ["http://localhost"],
            }
        }

    def handle(self, method: str, target: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(target)
        if parts.path == "/o/oauth2/auth" and method == "GET":
            return self._consent_page({k: v[0] for k, v in parse_qs(parts.query).items()})
        if parts.path == "/token" and method == "POST":
            return self._token({k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()})
        return 405, {"Content-Type": "text/plain"}, b"Method Not Allowed"

    def _consent_page(self, q: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        redirect = q.get("redirect_uri", "")
        if not redirect.startswith(("http://localhost", "http://127.0.0.1")):
            return 400, {"Content-Type": "text/plain"}, b"Error 400: redirect_uri_mismatch"
        if self.consent == "deny":
            return (
                302,
                {"Location": f"{redirect}?{urlencode({'error': 'access_denied', 'state': q.get('state', '')})}"},
                b"",
            )
        asked = set(q.get("scope", "").split())
        granted = asked if self.grant_only is None else asked & self.grant_only
        code = "4/0A" + secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": redirect,
            "client_id": q.get("client_id"),
            "scopes": granted,
            "challenge": q.get("code_challenge"),
            "method": q.get("code_challenge_method"),
        }
        query = urlencode({"state": q.get("state", ""), "code": code, "scope": " ".join(sorted(granted))})
        return 302, {"Location": f"{redirect}?{query}"}, b""

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.exchanges += 1
        if form.get("grant_type") == "refresh_token":
            return self._issue(set(), refresh=False)
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return _error("invalid_grant", "Malformed auth code.")
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            if digest != grant["challenge"]:
                return _error("invalid_grant", "Invalid code verifier.")
        return self._issue(grant["scopes"], refresh=True)

    def _issue(self, scopes: set[str], *, refresh: bool) -> tuple[int, dict[str, str], bytes]:
        token = "ya29.fake-" + secrets.token_urlsafe(12)
        self.issued.add(token)
        self.fake.token_scopes[token] = set(scopes)
        answer: dict[str, Any] = {
            "access_token": token,
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": " ".join(sorted(scopes)),
        }
        if refresh:
            answer["refresh_token"] = "1//fake-" + secrets.token_urlsafe(12)
        return 200, JSON, json.dumps(answer).encode()


def _error(code: str, description: str) -> tuple[int, dict[str, str], bytes]:
    return 400, JSON, json.dumps({"error": code, "error_description": description}).encode()
