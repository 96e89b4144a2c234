"""The CalDAV user name and password: from ``CALSYNC_CALDAV_PASSWORD``, a netrc entry, or the system keyring.

Never from a command-line argument (other users see those in ``ps``) and never printed: errors name where calsync
looked, not what it found. The keyring is used only when the ``keyring`` package is installed (this module is its
only importer) and a keyring is available.
"""

from __future__ import annotations

import netrc
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import CredentialsError

__all__ = ["Login", "PASSWORD_ENV", "caldav_login", "keyring_service", "system_keyring"]

PASSWORD_ENV = "CALSYNC_CALDAV_PASSWORD"


@dataclass(frozen=True)
class Login:
    """Who calsync signs in as, and where the password came from (for messages; the password itself is never shown)."""

    username: str | None
    password: str | None = None
    source: str = "none"

    def __repr__(self) -> str:  # a stray repr in a log must not show the password
        return f"Login(username={self.username!r}, source={self.source!r})"


def keyring_service(url: str) -> str:
    """The keyring entry's service name for a server: ``calsync:HOST``."""
    return f"calsync:{urlsplit(url).hostname or ''}"


def system_keyring(service: str, username: str) -> str | None:
    """The password stored in the system keyring, or None (no ``keyring`` package, no keyring, no entry)."""
    try:
        import keyring
        import keyring.errors
    except ImportError:
        return None
    try:
        password: str | None = keyring.get_password(service, username)  # keyring ships no types: Any
        return password
    except (keyring.errors.KeyringError, RuntimeError, OSError):
        return None  # no usable keyring on this machine (a server without a desktop session): not an error


def caldav_login(
    url: str,
    username: str | None,
    *,
    environ: Mapping[str, str] = os.environ,
    netrc_path: Path | None = None,
    keyring: Callable[[str, str], str | None] = system_keyring,
) -> Login:
    """The login for ``url``: the password from the environment, then netrc (which may also give the user name),
    then the keyring. No user name and no password means no authentication (a server that needs one answers 401)."""
    host = urlsplit(url).hostname or ""
    password = environ.get(PASSWORD_ENV)
    if password:
        if not username:
            raise CredentialsError(
                f"{PASSWORD_ENV} is set but no CalDAV user name was given",
                hint="add --username NAME (or set CALSYNC_CALDAV_USERNAME)",
            )
        return Login(username, password, PASSWORD_ENV)
    entry = _netrc_entry(host, environ, netrc_path)
    if entry is not None:
        login, secret = entry
        if secret and (not username or not login or login == username):
            return Login(username or login, secret, "netrc")
    if username:
        kept = keyring(keyring_service(url), username)
        if kept:
            return Login(username, kept, "keyring")
        raise CredentialsError(
            f"no password for CalDAV user {username!r} on {host}",
            hint=f"set {PASSWORD_ENV} (an app password for iCloud or Fastmail), add 'machine {host} login {username} "
            f"password …' to ~/.netrc, or store it with 'keyring set {keyring_service(url)} {username}'",
        )
    return Login(None)


def _netrc_entry(host: str, environ: Mapping[str, str], path: Path | None) -> tuple[str, str] | None:
    """(login, password) of the netrc entry for ``host`` (or its ``default`` entry), or None."""
    if path is None:
        named = environ.get("NETRC")
        path = Path(named) if named else Path(environ.get("HOME") or Path.home()) / ".netrc"
    if not path.is_file():
        return None
    try:
        found = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as e:
        raise CredentialsError(
            f"cannot read {path}: {e.msg}",
            file=path,
            line=e.lineno,
            hint="fix the file (and make it readable by you only: chmod 600)",
        ) from None
    except OSError as e:
        raise CredentialsError(f"cannot read {path}: {e.strerror or e}", hint="check the file's permissions") from None
    if found is None:
        return None
    login, _account, password = found
    return login or "", password or ""
