"""Google credentials for ``calsync push``: the installed-app OAuth flow, the saved token, service accounts, tokens
from the environment.

Errors name what is wrong and what to do, and never contain a token or a secret: Google's own error texts are
summarised (``invalid_grant``, ``access_denied``), never echoed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import BackendError, CalsyncError, CredentialsError, UsageError
from ..limits import LimitError, json_loads

__all__ = [
    "SCOPES",
    "EVENTS_SCOPE",
    "APP_CREATED_SCOPE",
    "ACLS_SCOPE",
    "scopes_for",
    "TOKEN_ENV",
    "config_dir",
    "token_path",
    "saved_token_path",
    "read_client_secrets",
    "read_service_account",
    "authorize",
    "save_token",
    "load_token",
    "credentials_for",
    "refresh",
    "refresh_error",
    "SignInUnavailableError",
    "check_service_account_target",
    "remembered_calendar",
    "remember_calendar",
    "exposed_file_warning",
]

# Least privilege: calendar.events lets calsync write events on the user's calendars and nothing else; only making a
# calendar for the meeting needs calendar.app.created ("Make secondary Google calendars, and see, create, change, and
# delete events on them"), and only sharing that calendar needs calendar.acls ("See and change the sharing
# permissions of Google calendars you own"); the full "calendar" scope is never asked for.
ROOT_SCOPE = "https://www.googleapis.com/auth/"
EVENTS_SCOPE = ROOT_SCOPE + "calendar.events"
APP_CREATED_SCOPE = ROOT_SCOPE + "calendar.app.created"
ACLS_SCOPE = ROOT_SCOPE + "calendar.acls"
FULL_SCOPE = ROOT_SCOPE + "calendar"
SCOPES = (EVENTS_SCOPE,)
WHAT_SCOPES_ALLOW = {
    EVENTS_SCOPE: "see and edit events on your calendars",
    APP_CREATED_SCOPE: "make calendars (and edit their events)",
    ACLS_SCOPE: "share the calendars you own",
}


def scopes_for(*, create: bool = False, share: bool = False) -> tuple[str, ...]:
    """The scopes a sign-in (or a service account's token) needs for what the person asked of calsync."""
    return SCOPES + ((APP_CREATED_SCOPE,) if create or share else ()) + ((ACLS_SCOPE,) if share else ())


def auth_command(scopes: Sequence[str]) -> str:
    """The ``calsync auth`` command whose sign-in grants ``scopes``."""
    flags = (" --create-calendars" if APP_CREATED_SCOPE in scopes else "") + (
        " --share-calendars" if ACLS_SCOPE in scopes else ""
    )
    return f"calsync auth{flags}"


TOKEN_ENV = "GOOGLE_OAUTH_ACCESS_TOKEN"
INSTALLED_KEYS = ("client_id", "client_secret", "auth_uri", "token_uri")
SERVICE_ACCOUNT_KEYS = ("client_email", "private_key", "token_uri")
AUTH_HINT = "run 'calsync auth --credentials credentials.json' to sign in"
CONSOLE_HINT = (
    "create an OAuth client of type 'Desktop app' in Google Cloud Console (APIs & Services → Credentials) "
    "and download its JSON"
)


# What an OAuth bearer token is made of (RFC 6750 b64token): anything else would break the HTTP header it goes in.
_TOKEN_TEXT = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """calsync's folder in the user's config directory: ``$XDG_CONFIG_HOME/calsync`` when that is set (to an
    absolute path, as the XDG spec asks), else the system's place, from platformdirs: ``~/.config/calsync`` on Linux,
    ``~/Library/Application Support/calsync`` on macOS, ``%LOCALAPPDATA%\\calsync`` on Windows.

    ``env`` (default: this process's environment) is where ``XDG_CONFIG_HOME`` is looked up, so a test or a caller
    can point calsync elsewhere on any system.
    """
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or ""
    if os.path.isabs(base):
        return Path(base) / "calsync"
    import platformdirs

    # appauthor=False: no calsync\calsync on Windows; not roaming, since a token belongs to this computer
    return Path(platformdirs.user_config_dir("calsync", appauthor=False))


def token_path(env: Mapping[str, str] | None = None) -> Path:
    """Where ``calsync auth`` saves the user's token."""
    return config_dir(env) / "token.json"


def saved_token_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the user's token is read from: :func:`token_path`, or, when nothing is there, ``~/.config/calsync``,
    where calsync saved it on every system before it asked platformdirs (macOS and Windows users keep their sign-in;
    the next ``calsync auth`` saves to the system's folder)."""
    path = token_path(env)
    legacy = Path.home() / ".config" / "calsync" / "token.json"
    return legacy if not path.exists() and path != legacy and legacy.exists() else path


def _read_json(path: Path, what: str, hint: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CredentialsError(f"{what} not found", file=path, hint=hint) from None
    except OSError as e:
        raise CredentialsError(f"cannot read {what}: {e.strerror}", file=path, hint=hint) from None
    except UnicodeDecodeError:
        raise CredentialsError(f"{what} is not a text (JSON) file", file=path, hint=hint) from None
    try:
        return json_loads(text)
    except json.JSONDecodeError as e:
        # Only the position, never the content: the file holds secrets.
        raise CredentialsError(
            f"{what} is not valid JSON (line {e.lineno}, column {e.colno})", file=path, hint=hint
        ) from None
    except LimitError as e:
        raise CredentialsError(
            f"{what} is not a credentials file (its JSON is {e.message})", file=path, hint=hint
        ) from None


def exposed_file_warning(path: Path) -> str | None:
    """A warning when a token or key file can be read (or changed) by other users of this computer, else None."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None  # a missing file is reported where it is read
    if os.name != "posix" or not mode & 0o077:
        return None
    return (
        f"{path} holds secrets and other users can read or change it (mode {mode:04o}); "
        f"restrict it with: chmod 600 {path}"
    )


def read_client_secrets(path: Path) -> dict[str, Any]:
    """The ``{"installed": {...}}`` client configuration of a Desktop-app OAuth client, checked key by key."""
    data = _read_json(path, "OAuth client file", CONSOLE_HINT)
    if not isinstance(data, dict):
        raise CredentialsError("OAuth client file is not a JSON object", file=path, hint=CONSOLE_HINT)
    if "web" in data and "installed" not in data:
        raise CredentialsError(
            "this OAuth client is a 'Web application' client; calsync signs in through a loopback address, which only "
            "a 'Desktop app' client accepts",
            file=path,
            hint=CONSOLE_HINT,
        )
    if data.get("type") == "service_account":
        raise CredentialsError(
            "this is a service account key, not an OAuth client file",
            file=path,
            hint="use it with 'calsync push --service-account FILE' instead",
        )
    installed = data.get("installed")
    if not isinstance(installed, dict):
        raise CredentialsError("OAuth client file has no 'installed' section", file=path, hint=CONSOLE_HINT)
    for key in INSTALLED_KEYS:
        if not installed.get(key):
            raise CredentialsError(
                f"OAuth client file is missing the key 'installed.{key}'",
                file=path,
                hint="download the client's JSON again from Google Cloud Console",
            )
    return {"installed": installed}


def read_service_account(path: Path) -> dict[str, Any]:
    """A service account key file, checked key by key."""
    hint = "download a JSON key for the service account from Google Cloud Console (IAM → Service accounts → Keys)"
    data = _read_json(path, "service account key file", hint)
    if not isinstance(data, dict):
        raise CredentialsError("service account key file is not a JSON object", file=path, hint=hint)
    if "installed" in data or "web" in data:
        raise CredentialsError(
            "this is an OAuth client file, not a service account key",
            file=path,
            hint="use it with 'calsync auth --credentials FILE' instead",
        )
    if data.get("type") != "service_account":
        raise CredentialsError('service account key file is missing "type": "service_account"', file=path, hint=hint)
    for key in SERVICE_ACCOUNT_KEYS:
        if not data.get(key):
            raise CredentialsError(f"service account key file is missing the key '{key}'", file=path, hint=hint)
    return data


FlowRunner = Callable[[dict[str, Any], Sequence[str]], Any]


def authorize(
    credentials_file: Path,
    *,
    token_file: Path | None = None,
    run_flow: FlowRunner | None = None,
    scopes: Sequence[str] = SCOPES,
) -> Path:
    """Sign in with the OAuth client in ``credentials_file`` for ``scopes`` and save the token; return where it was
    saved. ``run_flow`` takes the person through Google's consent page (:mod:`.google_signin`; default: the browser).
    Nothing is saved unless every scope was granted."""
    config = read_client_secrets(credentials_file)
    if run_flow is None:
        from .google_signin import browser_sign_in

        run_flow = browser_sign_in()
    try:
        with _partial_grants_accepted():
            creds = run_flow(config, scopes)
    except CalsyncError:
        raise
    except Exception as e:  # noqa: BLE001 - oauthlib, requests, socket and browser errors all end here, summarised
        raise _flow_error(e) from None
    granted = getattr(creds, "granted_scopes", None)
    missing = [s for s in scopes if granted is not None and s not in granted and FULL_SCOPE not in granted]
    if missing:
        # Google's consent page has a checkbox per permission: the person may sign in yet leave one unticked.
        allowed = "; ".join(WHAT_SCOPES_ALLOW.get(s, s) for s in missing)
        raise CredentialsError(
            f"Google sign-in finished, but calsync was not allowed to: {allowed}",
            hint=f"run '{auth_command(scopes)}' again and tick that permission on Google's page",
        )
    target = token_file or token_path()
    save_token(creds, target)
    return target


@contextlib.contextmanager
def _partial_grants_accepted() -> Iterator[None]:
    """Let oauthlib hand back a token whose scopes differ from those asked for (it raises "Scope has changed"
    otherwise, googleapis/google-api-python-client#551), so calsync can say which permission is missing."""
    old = os.environ.get("OAUTHLIB_RELAX_TOKEN_SCOPE")
    os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OAUTHLIB_RELAX_TOKEN_SCOPE", None)
        else:
            os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = old


def _flow_error(error: Exception) -> CredentialsError:
    """A failed sign-in as one sentence naming what happened (Google's error code, never its text or a secret)."""
    import webbrowser

    code = getattr(error, "error", None) or ""
    text = f"{code} {error}".lower()
    retry = "run 'calsync auth' again"
    if isinstance(error, webbrowser.Error):
        return CredentialsError(
            "no web browser found on this machine to sign in with",
            hint="run 'calsync auth --no-browser' and open the address it prints on any device (a phone will do)",
        )
    if "access_denied" in text:
        return CredentialsError(
            "Google sign-in was refused (access_denied): it was cancelled, or this account is not a test user of "
            "the app",
            hint=f"add the account under OAuth consent screen → Test users, then {retry}",
        )
    if "redirect_uri_mismatch" in text:
        return CredentialsError("Google refused the loopback redirect (redirect_uri_mismatch)", hint=CONSOLE_HINT)
    if "invalid_client" in text:
        return CredentialsError(
            "Google does not know this OAuth client (invalid_client)",
            hint="download the client's JSON again, or create a new 'Desktop app' client",
        )
    if "invalid_grant" in text:
        return CredentialsError(
            "Google refused the sign-in code (invalid_grant): it was mistyped, already used or has expired",
            hint=f"{retry} and paste the address soon after signing in",
        )
    if type(error).__name__ == "WSGITimeoutError":
        return CredentialsError(
            "no answer from the browser reached calsync's port in time",
            hint="check that the port is forwarded (ssh -L PORT:localhost:PORT) and " + retry,
        )
    if isinstance(error, OSError):
        return CredentialsError(
            f"cannot open a local port for the sign-in ({error.strerror or type(error).__name__})",
            hint="choose another port with --port, or run 'calsync auth --no-browser'",
        )
    if type(error).__name__ in ("ConnectionError", "Timeout", "ConnectTimeout", "ReadTimeout"):
        return CredentialsError("cannot reach Google's sign-in service", hint=f"check the network and {retry}")
    name = code or type(error).__name__
    return CredentialsError(
        f"Google sign-in failed ({name})",
        hint=f"{retry}; on a machine without a browser, run 'calsync auth --no-browser'",
    )


def save_token(creds: Any, path: Path) -> None:
    """Write ``creds.to_json()`` to ``path`` readable by the user alone (0600), replacing any old token atomically."""
    _write_private(Path(path), creds.to_json(), "the Google token")


def _write_private(path: Path, text: str, what: str) -> None:
    """Replace ``path`` atomically with ``text``, readable by the user alone (0600)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)  # mkstemp: 0600
        try:
            _restrict(fd, tmp)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as e:
        raise CredentialsError(
            f"cannot save {what}: {e.strerror}",
            file=path,
            hint="check that the config folder is writable (or set XDG_CONFIG_HOME)",
        ) from None


def _restrict(fd: int, path: str) -> None:
    """Make the open file readable by the user alone: through its descriptor where the system can (os.fchmod, which
    Windows lacks before Python 3.13), else by its path."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, 0o600)
    else:
        os.chmod(path, 0o600)


def load_token(path: Path, scopes: Sequence[str] | None = None) -> Any | None:
    """The saved user credentials (with the scopes they were granted, unless ``scopes`` says otherwise), or None when
    there is no token file."""
    path = Path(path)
    if not path.exists():
        return None
    from google.oauth2.credentials import Credentials

    try:
        info = json_loads(path.read_text(encoding="utf-8"))  # a depth cap: a damaged file must not recurse
        # google-auth's constructors carry no annotations (the library is at fault, not the call)
        return Credentials.from_authorized_user_info(  # type: ignore[no-untyped-call]
            info, list(scopes) if scopes is not None else None
        )
    except (ValueError, OSError, TypeError, AttributeError):
        raise CredentialsError("the saved Google token is damaged", file=path, hint=AUTH_HINT) from None


def refresh(creds: Any, path: Path | None = None, request: Any = None) -> Any:
    """Refresh expired user credentials (saving the new token to ``path``); clear errors when Google refuses."""
    if getattr(creds, "valid", True):
        return creds
    if not getattr(creds, "refresh_token", None):
        raise CredentialsError("the saved Google token has expired and cannot be refreshed", hint=AUTH_HINT)
    import google.auth.exceptions

    if request is None:
        from google.auth.transport.requests import Request

        request = Request()
    try:
        creds.refresh(request)
    except google.auth.exceptions.RefreshError as e:
        raise refresh_error(e) from None
    except google.auth.exceptions.TransportError:
        raise BackendError(
            "cannot reach Google to refresh the sign-in", hint="check the network and try again"
        ) from None
    if path is not None:
        save_token(creds, path)
    return creds


class SignInUnavailableError(BackendError):
    """Google's token service failed (5xx, timeout): nothing is wrong with the sign-in; try again later."""

    exit_code = 75  # EX_TEMPFAIL


_TRANSIENT_CODES = ("server_error", "temporarily_unavailable", "internal_failure")


def refresh_error(error: Exception, *, service_account: bool = False, hint: str = AUTH_HINT) -> CalsyncError:
    """A refused refresh as one sentence (Google's answer is summarised, never echoed).

    Only a refusal of the user's saved sign-in is mended by 'calsync auth': Google's own failures are retried later,
    and a service account's refusal is about its key (or the delegation for --subject), which no sign-in fixes.
    """
    text = str(error)
    if getattr(error, "retryable", False) or any(code in text for code in _TRANSIENT_CODES):
        return SignInUnavailableError(
            "Google's sign-in service failed while refreshing the access token (a temporary fault on Google's side)",
            hint="try again in a few minutes; nothing is wrong with the saved sign-in",
        )
    if service_account:
        if "unauthorized_client" in text or "access_denied" in text:
            return CredentialsError(
                "Google refused to let the service account act for --subject (unauthorized_client)",
                hint="in the Google Workspace admin console, allow the service account's client id the calendar.events "
                "scope under domain-wide delegation, or leave --subject out",
            )
        if "invalid_grant" in text:
            return CredentialsError(
                "Google refused the service account's key (invalid_grant): the key was deleted or disabled, the "
                "account does not exist any more, or this computer's clock is wrong",
                hint="check the key under IAM → Service accounts → Keys (download a new JSON key if it is gone) and "
                "the system clock, then give the new key to --service-account",
            )
        return CredentialsError(
            "Google refused the service account's credentials",
            hint="check the service account and its key in Google Cloud Console "
            "(IAM → Service accounts), or download a new JSON key",
        )
    if "invalid_grant" in text:
        return CredentialsError(
            "Google refused the saved sign-in (invalid_grant): it was revoked or has expired",
            hint="run 'calsync auth' again; apps whose consent screen is in testing mode get tokens that expire "
            "after 7 days",
        )
    return CredentialsError("Google credentials are missing, expired or cannot be refreshed", hint=hint)


def credentials_for(
    *,
    service_account: Path | None = None,
    subject: str | None = None,
    env: Mapping[str, str] | None = None,
    token_file: Path | None = None,
    scopes: Sequence[str] = SCOPES,
) -> Any:
    """The credentials a push uses: a service account, else ``$GOOGLE_OAUTH_ACCESS_TOKEN``, else the saved token
    (which must have been granted ``scopes``)."""
    env = os.environ if env is None else env
    if service_account is not None:
        info = read_service_account(service_account)
        from google.oauth2 import service_account as sa

        try:
            # google-auth's constructors carry no annotations
            creds = sa.Credentials.from_service_account_info(info, scopes=list(scopes))  # type: ignore[no-untyped-call]
        except (ValueError, TypeError):
            # The library's text could quote the key; say only which file is wrong.
            raise CredentialsError(
                "the service account key cannot be loaded (damaged private key?)",
                file=service_account,
                hint="download a new JSON key for the service account",
            ) from None
        return creds.with_subject(subject) if subject else creds
    if subject:
        raise CredentialsError(
            "--subject needs --service-account", hint="give the service account key file with --service-account FILE"
        )
    token = (env.get(TOKEN_ENV) or "").strip()
    if token:
        if not _TOKEN_TEXT.fullmatch(token):
            # Never echo it: two tokens pasted together, or a token with a line break, is still a secret.
            raise CredentialsError(
                f"{TOKEN_ENV} holds a space, a line break or another character no access token has",
                hint=f"set {TOKEN_ENV} to exactly one token (e.g. from 'gcloud auth print-access-token')",
            )
        from google.oauth2.credentials import Credentials

        return Credentials(token=token)  # type: ignore[no-untyped-call]  # google-auth: no annotations
    path = token_file or saved_token_path(env)
    creds = load_token(path)
    if creds is None:
        raise CredentialsError(
            "not signed in to Google",
            hint=f"run '{auth_command(scopes)} --credentials credentials.json' to sign in, or set {TOKEN_ENV} to an "
            "access token with the Calendar scope (see README), or use --service-account FILE",
        )
    granted = set(getattr(creds, "scopes", None) or ())
    missing = [s for s in scopes if granted and s not in granted and FULL_SCOPE not in granted]
    if missing:
        raise CredentialsError(
            f"the saved sign-in does not allow calsync to {'; '.join(WHAT_SCOPES_ALLOW.get(s, s) for s in missing)}",
            file=path,
            hint=f"run '{auth_command(scopes)}' to sign in again with that permission",
        )
    return refresh(creds, path)


def check_service_account_target(
    key_file: Path, *, calendar: str, subject: str | None, create: bool, share: bool, invite: bool
) -> None:
    """Refuse what a service account would do out of everyone's sight: write to its own ``primary`` calendar (which
    no person sees, and Google still answers success) or make a calendar shared with nobody; and refuse guests,
    which Google allows a service account only with domain-wide delegation."""
    if subject:
        return
    email = str(read_service_account(key_file).get("client_email"))
    if invite:
        raise UsageError(
            "a service account cannot invite guests (Google refuses them without domain-wide delegation)",
            hint="give --subject user@your-domain to act for a Workspace user, or leave out --invite",
        )
    if create and not share:
        raise UsageError(
            "a calendar the service account makes is seen by no one until it is shared",
            hint="add --share EMAIL (the people who should see it), or give --subject user@your-domain",
        )
    if not create and calendar == "primary":
        raise UsageError(
            "--service-account without --subject writes to the service account's own 'primary' calendar, which no "
            "person sees",
            hint=f"share a calendar with {email} (Google Calendar → Settings → Share with specific people → 'Make "
            "changes to events') and give its id with --calendar, or give --subject user@your-domain "
            "(domain-wide delegation)",
        )


def _calendars_path(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / "calendars.json"


def remembered_calendar(name: str, env: Mapping[str, str] | None = None) -> str | None:
    """The id of the calendar ``calsync push --create-calendar NAME`` made before (None when it made none).

    Kept in calsync's config folder because the narrow calendar.app.created scope cannot list calendars to find it.
    """
    try:
        data = json.loads(_calendars_path(env).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def remember_calendar(name: str, calendar_id: str, env: Mapping[str, str] | None = None) -> None:
    path = _calendars_path(env)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data = data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        data = {}
    data[name] = calendar_id
    _write_private(path, json.dumps(data, ensure_ascii=False, indent=2), "the list of calendars calsync made")
