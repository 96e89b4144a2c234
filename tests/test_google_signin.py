"""Signing in without a browser, and sign-ins that go wrong: the real google-auth-oauthlib flows against the fake
server's consent page and token endpoint, with a test playing the person's browser."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_google import FakeGoogleCalendar
from typer.testing import CliRunner

from calsync.backends.google_auth import APP_CREATED_SCOPE, EVENTS_SCOPE, authorize, load_token, scopes_for
from calsync.backends.google_signin import forwarded_sign_in, pasted_sign_in
from calsync.cli import app
from calsync.errors import CredentialsError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogleCalendar]:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake's token endpoint is plain http on 127.0.0.1
    with FakeGoogleCalendar() as server:
        yield server


@pytest.fixture
def client_file(fake: FakeGoogleCalendar, tmp_path: Path) -> Path:
    path = tmp_path / "credentials.json"
    path.write_text(json.dumps(fake.oauth.client_config), encoding="utf-8")
    return path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def browse(url: str) -> str:
    """What the person's browser does on the consent page: sign in, and end on the address Google redirects to."""
    try:
        urllib.request.build_opener(_NoRedirect).open(url)
    except urllib.error.HTTPError as e:
        assert e.code == 302
        return str(e.headers["Location"])
    raise AssertionError("the consent page did not redirect")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pasting(shown: list[str], answer: Any = None) -> tuple[Any, Any]:
    def show(url: str) -> None:
        shown.append(url)

    def ask() -> str:
        return answer(shown[-1]) if answer else browse(shown[-1])

    return show, ask


def test_pasted_address_signs_in_and_the_token_works(
    fake: FakeGoogleCalendar, client_file: Path, tmp_path: Path
) -> None:
    shown: list[str] = []
    target = tmp_path / "token.json"
    authorize(client_file, token_file=target, run_flow=pasted_sign_in(*pasting(shown)))
    assert shown[0].startswith(fake.root + "o/oauth2/auth?") and "code_challenge=" in shown[0]
    assert "redirect_uri=http%3A%2F%2Flocalhost%3A8085%2F" in shown[0]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    creds = load_token(target)
    assert creds.refresh_token and list(creds.scopes) == [EVENTS_SCOPE]
    assert fake.service(creds.token).events().list(calendarId="primary").execute()["items"] == []


def test_pasting_the_code_alone_works_too(fake: FakeGoogleCalendar, client_file: Path, tmp_path: Path) -> None:
    from urllib.parse import parse_qs, urlsplit

    shown: list[str] = []
    just_code = lambda url: parse_qs(urlsplit(browse(url)).query)["code"][0]  # noqa: E731
    authorize(client_file, token_file=tmp_path / "t.json", run_flow=pasted_sign_in(*pasting(shown, just_code)))
    assert (tmp_path / "t.json").exists()


def test_forwarded_port_receives_the_answer(fake: FakeGoogleCalendar, client_file: Path, tmp_path: Path) -> None:
    port = free_port()

    def show(url: str) -> None:
        # the person's browser, on another machine whose port is forwarded here: it lands on calsync's loopback
        def browser() -> None:
            landing = browse(url)
            assert landing.startswith(f"http://localhost:{port}/?")
            urllib.request.urlopen(landing.replace("localhost", "127.0.0.1")).read()

        threading.Thread(target=browser, daemon=True).start()

    target = tmp_path / "token.json"
    authorize(
        client_file, token_file=target, run_flow=forwarded_sign_in(show, port, wait=20), scopes=scopes_for(create=True)
    )
    assert set(load_token(target).scopes) == {EVENTS_SCOPE, APP_CREATED_SCOPE}


def test_a_permission_left_unticked_is_named_and_nothing_is_saved(
    fake: FakeGoogleCalendar, client_file: Path, tmp_path: Path
) -> None:
    fake.oauth.grant_only = {EVENTS_SCOPE}  # Google's granular consent: the person unticks "make calendars"
    with pytest.raises(CredentialsError) as info:
        authorize(
            client_file,
            token_file=tmp_path / "t.json",
            run_flow=pasted_sign_in(*pasting([])),
            scopes=scopes_for(create=True),
        )
    text = info.value.sentence()
    assert "calsync was not allowed to: make calendars" in text and "calsync auth --create-calendars" in text
    assert not (tmp_path / "t.json").exists()


@pytest.mark.parametrize(
    "answer, needle",
    [
        (lambda url: "4/0A-typed-wrong", "Google refused the sign-in code (invalid_grant)"),
        (lambda url: browse(url).replace("state=", "state=other"), "belongs to another sign-in attempt"),
        (lambda url: "   ", "nothing was pasted"),
        (lambda url: re.sub(r"code=[^&]*&?", "", browse(url)), "holds no code"),
    ],
)
def test_bad_pastes_say_what_went_wrong(
    fake: FakeGoogleCalendar, client_file: Path, tmp_path: Path, answer: Any, needle: str
) -> None:
    with pytest.raises(CredentialsError) as info:
        authorize(client_file, token_file=tmp_path / "t.json", run_flow=pasted_sign_in(*pasting([], answer)))
    assert needle in info.value.sentence() and "calsync auth" in info.value.sentence()
    assert "GOCSPX" not in info.value.sentence()


def test_a_refused_consent_is_access_denied(fake: FakeGoogleCalendar, client_file: Path, tmp_path: Path) -> None:
    fake.oauth.consent = "deny"
    with pytest.raises(CredentialsError) as info:
        authorize(client_file, token_file=tmp_path / "t.json", run_flow=pasted_sign_in(*pasting([])))
    assert "access_denied" in info.value.sentence() and "Test users" in info.value.sentence()


def test_no_browser_anywhere_points_at_no_browser(tmp_path: Path) -> None:
    """The sign-in that used to end in "Google sign-in failed (Error)": webbrowser finds no browser to open."""
    import webbrowser

    def flow(config: Any, scopes: Any) -> Any:
        raise webbrowser.Error("could not locate runnable browser")

    client = tmp_path / "c.json"
    client.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": "c.apps.googleusercontent.com",
                    "client_secret": "s",
                    "auth_uri": "https://a",
                    "token_uri": "https://t",
                }
            }
        )
    )
    with pytest.raises(CredentialsError) as info:
        authorize(client, token_file=tmp_path / "t.json", run_flow=flow)
    assert info.value.sentence() == (
        "no web browser found on this machine to sign in with; run 'calsync auth "
        "--no-browser' and open the address it prints on any device (a phone will do)"
    )


# -- the command itself ----------------------------------------------------------------------------------------------


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")}
    return {
        **env,
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "OAUTHLIB_INSECURE_TRANSPORT": "1",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def test_auth_no_browser_end_to_end(fake: FakeGoogleCalendar, client_file: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "calsync", "auth", "--no-browser", "--credentials", str(client_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(tmp_path),
        cwd=tmp_path,
    )
    assert proc.stderr is not None and proc.stdin is not None
    lines: list[str] = []
    while not lines or "a page that will not load" not in lines[-1]:  # the instructions, then the prompt
        lines.append(proc.stderr.readline())
        assert lines[-1], "".join(lines)
    url = next(line.strip() for line in lines if line.strip().startswith(fake.root))
    proc.stdin.write(browse(url) + "\n")
    proc.stdin.flush()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, "".join(lines) + err
    assert "signed in; token saved to" in err and out == ""
    assert (tmp_path / "cfg" / "calsync" / "token.json").exists()


def test_auth_without_a_browser_says_so_and_how_to_go_on(client_file: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "calsync", "auth", "--credentials", str(client_file)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=_env(tmp_path, PATH="/nonexistent"),
    )
    assert proc.returncode == 77, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("calsync: error")]
    assert errors == [
        "calsync: error: no web browser found on this machine to sign in with; run 'calsync auth "
        "--no-browser' and open the address it prints on any device (a phone will do)"
    ]


def test_auth_no_browser_with_nothing_to_read(client_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["auth", "--no-browser", "--credentials", str(client_file)],
        input="",
        env={"XDG_CONFIG_HOME": str(tmp_path)},
    )
    assert result.exit_code == 77
    assert "no address was pasted (the input ended)" in result.stderr and "Traceback" not in result.output
