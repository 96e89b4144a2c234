"""Credentials: the OAuth client file, the saved token (0600), service accounts, the environment token, and errors
that say what to do without ever showing a token or a secret."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import google.auth.exceptions
import google.oauth2.credentials
import platformdirs
import pytest
from typer.testing import CliRunner

from calsync.backends.google_auth import (
    TOKEN_ENV,
    authorize,
    credentials_for,
    load_token,
    read_client_secrets,
    refresh,
    save_token,
    saved_token_path,
    token_path,
)
from calsync.cli import app
from calsync.errors import CredentialsError

SECRET = "GOCSPX-very-secret-value"
TOKEN = "ya29.a0-very-secret-token"
REFRESH = "1//0g-very-secret-refresh"

INSTALLED = {
    "client_id": "123-abc.apps.googleusercontent.com",
    "project_id": "calsync-test",
    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    "token_uri": "https://oauth2.googleapis.com/token",
    "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
    "client_secret": SECRET,
    "redirect_uris": ["http://localhost"],
}


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def user_creds() -> google.oauth2.credentials.Credentials:
    return google.oauth2.credentials.Credentials(
        token=TOKEN,
        refresh_token=REFRESH,
        client_id=INSTALLED["client_id"],
        client_secret=SECRET,
        token_uri=INSTALLED["token_uri"],
        scopes=["https://www.googleapis.com/auth/calendar.events"],
    )


# -- the OAuth client file ---------------------------------------------------------------------------------------------


def test_desktop_client_is_accepted(tmp_path: Path) -> None:
    assert read_client_secrets(write(tmp_path, "c.json", {"installed": INSTALLED}))["installed"]["client_id"]


@pytest.mark.parametrize(
    "data, needle",
    [
        ({"web": INSTALLED}, "'Web application' client"),
        (
            {"installed": {k: v for k, v in INSTALLED.items() if k != "client_secret"}},
            "missing the key 'installed.client_secret'",
        ),
        (
            {"installed": {k: v for k, v in INSTALLED.items() if k != "client_id"}},
            "missing the key 'installed.client_id'",
        ),
        (
            {"installed": {k: v for k, v in INSTALLED.items() if k != "token_uri"}},
            "missing the key 'installed.token_uri'",
        ),
        ({"something": 1}, "no 'installed' section"),
        ([1, 2], "not a JSON object"),
        ({"type": "service_account", "private_key": SECRET}, "--service-account"),
        ('{"installed": {"client_secret": "' + SECRET + '",', "not valid JSON (line 1"),
    ],
)
def test_malformed_client_files_say_what_is_wrong(tmp_path: Path, data: Any, needle: str) -> None:
    with pytest.raises(CredentialsError) as info:
        read_client_secrets(write(tmp_path, "c.json", data))
    assert needle in info.value.sentence()
    assert SECRET not in info.value.sentence()
    assert "c.json" in info.value.sentence()


def test_missing_client_file_explains_where_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError) as info:
        read_client_secrets(tmp_path / "credentials.json")
    assert "not found" in info.value.sentence() and "Desktop app" in info.value.sentence()


# -- the token file ----------------------------------------------------------------------------------------------------


def test_token_path_respects_xdg_config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)  # the default below is the system's, not the tester's
    assert token_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "calsync" / "token.json"
    default = Path(platformdirs.user_config_dir("calsync", appauthor=False)) / "token.json"
    assert token_path({}) == default
    assert token_path({"XDG_CONFIG_HOME": "relative"}) == default  # the XDG spec: a relative path is ignored


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux default")
def test_on_linux_the_token_is_in_dot_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert token_path() == tmp_path / ".config" / "calsync" / "token.json"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # read from the process's environment by default
    assert token_path() == tmp_path / "xdg" / "calsync" / "token.json"


def test_without_xdg_the_folder_is_the_systems_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS and Windows keep settings elsewhere than ~/.config: calsync asks platformdirs for the app's folder."""
    asked = []

    def user_config_dir(appname: str, appauthor: object = None, **_: object) -> str:
        asked.append((appname, appauthor))
        return str(tmp_path / "Library" / "Application Support" / appname)

    monkeypatch.setattr(platformdirs, "user_config_dir", user_config_dir)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert token_path() == tmp_path / "Library" / "Application Support" / "calsync" / "token.json"
    assert asked == [("calsync", False)]  # no author folder (calsync\calsync on Windows)


def test_a_token_saved_in_dot_config_before_platformdirs_is_still_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """calsync saved to ~/.config/calsync on every system before it asked platformdirs: a macOS user who signed in
    then stays signed in, until the next `calsync auth` saves to the system's folder."""
    system = tmp_path / "Library" / "Application Support" / "calsync"
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda *_a, **_k: str(system))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    assert saved_token_path() == system / "token.json"  # nothing saved anywhere: the system's folder
    legacy = tmp_path / ".config" / "calsync" / "token.json"
    save_token(user_creds(), legacy)
    assert saved_token_path() == legacy
    assert load_token(saved_token_path()).refresh_token == REFRESH
    save_token(user_creds(), system / "token.json")
    assert saved_token_path() == system / "token.json"  # once saved there, the old file is no longer read


def test_token_is_private_where_os_has_no_fchmod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no os.fchmod before Python 3.13: the file is then restricted by its path."""
    chmods = []
    real_chmod = os.chmod

    def chmod(path: str, mode: int) -> None:
        chmods.append((Path(path).parent, mode))
        real_chmod(path, mode)

    monkeypatch.delattr(os, "fchmod", raising=False)
    monkeypatch.setattr(os, "chmod", chmod)
    path = tmp_path / "cfg" / "calsync" / "token.json"
    save_token(user_creds(), path)
    assert chmods == [(path.parent, 0o600)]  # the temporary file, before it takes the token's name
    assert load_token(path).token == TOKEN
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_token_is_saved_readable_by_the_user_alone_and_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "calsync" / "token.json"
    save_token(user_creds(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load_token(path)
    assert loaded.token == TOKEN and loaded.refresh_token == REFRESH


def test_saving_over_a_world_readable_token_makes_it_0600(tmp_path: Path) -> None:
    path = tmp_path / "token.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    save_token(user_creds(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["token.json"]  # no temp file left behind


def test_damaged_token_file_asks_for_calsync_auth(tmp_path: Path) -> None:
    path = write(tmp_path, "token.json", '{"token": "' + TOKEN + '"')
    with pytest.raises(CredentialsError) as info:
        load_token(path)
    assert "calsync auth" in info.value.sentence() and TOKEN not in info.value.sentence()


def test_authorize_runs_the_flow_and_saves_the_token(tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    def flow(config: dict, scopes: Any) -> Any:
        seen.update(config=config, scopes=scopes)
        return user_creds()

    target = tmp_path / "token.json"
    assert authorize(write(tmp_path, "c.json", {"installed": INSTALLED}), token_file=target, run_flow=flow) == target
    assert seen["config"] == {"installed": INSTALLED}
    assert list(seen["scopes"]) == ["https://www.googleapis.com/auth/calendar.events"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_access_denied_is_explained(tmp_path: Path) -> None:
    from oauthlib.oauth2.rfc6749.errors import AccessDeniedError

    def flow(config: dict, scopes: Any) -> Any:
        raise AccessDeniedError(description=f"denied {SECRET}")

    with pytest.raises(CredentialsError) as info:
        authorize(write(tmp_path, "c.json", {"installed": INSTALLED}), token_file=tmp_path / "t.json", run_flow=flow)
    assert "access_denied" in info.value.sentence() and "Test users" in info.value.sentence()
    assert SECRET not in info.value.sentence()
    assert not (tmp_path / "t.json").exists()


class ExpiredCreds:
    """Credentials-like: expired, with a refresh that Google refuses."""

    valid = False
    refresh_token = REFRESH

    def __init__(self, error: Exception) -> None:
        self.error = error

    def refresh(self, request: Any) -> None:
        raise self.error


def test_invalid_grant_asks_to_sign_in_again_and_mentions_testing_mode() -> None:
    error = google.auth.exceptions.RefreshError(
        "invalid_grant: Token has been expired or revoked.", {"error": "invalid_grant", "refresh_token": REFRESH}
    )
    with pytest.raises(CredentialsError) as info:
        refresh(ExpiredCreds(error), request=object())
    text = info.value.sentence()
    assert "invalid_grant" in text and "calsync auth" in text and "7 days" in text
    assert REFRESH not in text


def test_expired_token_is_refreshed_and_saved(tmp_path: Path) -> None:
    class Refreshable:
        valid = False
        refresh_token = REFRESH

        def refresh(self, request: Any) -> None:
            self.valid = True

        def to_json(self) -> str:
            return json.dumps({"token": "new"})

    path = tmp_path / "token.json"
    creds = refresh(Refreshable(), path, request=object())
    assert creds.valid and json.loads(path.read_text()) == {"token": "new"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# -- choosing credentials for a push -----------------------------------------------------------------------------------


def test_environment_token_is_used(tmp_path: Path) -> None:
    creds = credentials_for(env={TOKEN_ENV: TOKEN, "XDG_CONFIG_HOME": str(tmp_path)})
    assert isinstance(creds, google.oauth2.credentials.Credentials) and creds.token == TOKEN


def test_saved_token_is_used_when_there_is_no_environment_token(tmp_path: Path) -> None:
    save_token(user_creds(), tmp_path / "calsync" / "token.json")
    # The saved expiry is absent, so the library counts it expired: refreshing would need Google; check loading only.
    creds = load_token(token_path({"XDG_CONFIG_HOME": str(tmp_path)}))
    assert creds.refresh_token == REFRESH


def test_not_signed_in_says_how(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError) as info:
        credentials_for(env={"XDG_CONFIG_HOME": str(tmp_path)})
    text = info.value.sentence()
    assert "not signed in" in text and "calsync auth" in text and TOKEN_ENV in text


SERVICE_ACCOUNT = {
    "type": "service_account",
    "project_id": "p",
    "private_key_id": "k1",
    "private_key": "-----BEGIN PRIVATE KEY-----\nNOTAKEY" + SECRET + "\n-----END PRIVATE KEY-----\n",
    "client_email": "calsync@p.iam.gserviceaccount.com",
    "client_id": "1",
    "token_uri": "https://oauth2.googleapis.com/token",
}


@pytest.mark.parametrize(
    "data, needle",
    [
        ({k: v for k, v in SERVICE_ACCOUNT.items() if k != "private_key"}, "missing the key 'private_key'"),
        ({k: v for k, v in SERVICE_ACCOUNT.items() if k != "client_email"}, "missing the key 'client_email'"),
        ({"installed": INSTALLED}, "OAuth client file, not a service account"),
        (SERVICE_ACCOUNT, "cannot be loaded"),
    ],
)
def test_service_account_errors(tmp_path: Path, data: Any, needle: str) -> None:
    with pytest.raises(CredentialsError) as info:
        credentials_for(service_account=write(tmp_path, "sa.json", data), env={})
    assert needle in info.value.sentence()
    assert SECRET not in info.value.sentence()


def test_service_account_with_subject(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path = write(tmp_path, "sa.json", {**SERVICE_ACCOUNT, "private_key": pem})
    creds = credentials_for(service_account=path, subject="organiser@example.org", env={TOKEN_ENV: TOKEN})
    assert creds.service_account_email == SERVICE_ACCOUNT["client_email"]
    assert creds._subject == "organiser@example.org"


def test_subject_without_service_account_is_refused() -> None:
    with pytest.raises(CredentialsError, match="--subject needs --service-account"):
        credentials_for(subject="a@b.c", env={})


# -- the commands: one line, an exit code, no secret -------------------------------------------------------------------


def test_auth_command_rejects_a_web_client_in_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "credentials.json", {"web": INSTALLED})
    result = CliRunner().invoke(app, ["auth", "--credentials", str(path)], env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.exit_code == 77
    lines = [line for line in result.stderr.splitlines() if line.startswith("calsync: error")]
    assert len(lines) == 1 and "'Web application' client" in lines[0] and "Desktop app" in lines[0]
    assert SECRET not in result.output and SECRET not in result.stderr


def test_push_with_a_rejected_environment_token_never_prints_it(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from fake_google import FakeGoogleCalendar

    with FakeGoogleCalendar(token="the-right-one") as fake:
        result = CliRunner().invoke(
            app,
            ["push", "--api-endpoint", fake.endpoint, "-q"],
            env={TOKEN_ENV: TOKEN, "XDG_CONFIG_HOME": str(tmp_path)},
        )
    assert result.exit_code == 77, result.output
    assert "calsync auth" in result.stderr
    assert TOKEN not in result.stdout and TOKEN not in result.stderr


def test_push_with_a_broken_service_account_never_prints_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "sa.json", SERVICE_ACCOUNT)
    result = CliRunner().invoke(
        app,
        [
            "push",
            "--service-account",
            str(path),
            "--calendar",
            "team@example.org",
            "--api-endpoint",
            "http://127.0.0.1:9/",
            "-q",
        ],
        env={"XDG_CONFIG_HOME": str(tmp_path)},
    )
    assert result.exit_code == 77
    assert SECRET not in result.stdout and SECRET not in result.stderr and "NOTAKEY" not in result.stderr


# -- refusals that 'calsync auth' would not mend -----------------------------------------------------------------------


class _Response:
    def __init__(self, status: int, body: dict) -> None:
        self.status, self.data, self.headers = status, json.dumps(body).encode(), {}


def test_google_failing_during_refresh_says_retry_later_not_sign_in_again(tmp_path: Path, monkeypatch: Any) -> None:
    from calsync.backends.google_auth import SignInUnavailableError

    monkeypatch.setattr("time.sleep", lambda s: None)  # google-auth retries a 5xx itself before giving up
    creds = google.oauth2.credentials.Credentials(
        token="old",
        refresh_token=REFRESH,
        client_id="cid.apps.googleusercontent.com",
        client_secret=SECRET,
        token_uri="https://oauth2.googleapis.com/token",
    )
    creds.expiry = __import__("datetime").datetime(2020, 1, 1)
    with pytest.raises(SignInUnavailableError) as info:
        refresh(creds, tmp_path / "t.json", request=lambda *a, **k: _Response(503, {"error": "backend"}))
    text = info.value.sentence()
    assert "try again" in text and "calsync auth" not in text and info.value.exit_code == 75
    assert SECRET not in text and REFRESH not in text


def test_service_account_invalid_grant_points_at_the_key() -> None:
    from calsync.backends.google_auth import refresh_error

    error = google.auth.exceptions.RefreshError("invalid_grant: Invalid JWT Signature.", {"error": "invalid_grant"})
    text = refresh_error(error, service_account=True).sentence()
    assert "service account" in text and "key" in text and "calsync auth" not in text
    delegation = google.auth.exceptions.RefreshError("unauthorized_client: Client is unauthorized", {})
    assert "domain-wide delegation" in refresh_error(delegation, service_account=True).sentence()
    assert "calsync auth" in refresh_error(error).sentence()  # a user's refused sign-in still asks for it


def test_auth_command_checks_the_file_before_talking_of_a_browser(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["auth", "--credentials", str(tmp_path / "nope.json")], env={"XDG_CONFIG_HOME": str(tmp_path)}
    )
    assert result.exit_code == 77
    assert "browser" not in result.stderr
    assert [line for line in result.stderr.splitlines()] == [
        line for line in result.stderr.splitlines() if line.startswith("calsync: error")
    ]
