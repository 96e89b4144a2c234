"""``calsync push --caldav`` end to end: the real CLI, the real HTTP client, Radicale and Xandikos behind the proxy."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC
from pathlib import Path

import icalendar
import pytest
from caldav_servers import PASSWORD, USER, Site, objects
from cli_run import one_error_line, run
from seed_expectations import SEED_UTC

ZOOM = "https://zoom.us/j/81234567890"
SEED = str(Path(__file__).parent / "data" / "seed.hand.json")


@pytest.fixture
def site(caldav_site: Site) -> Site:
    caldav_site.proxy.reset()
    return caldav_site


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    # HOME/NETRC point at an empty folder: a developer's own ~/.netrc must not answer for the tests
    return {
        "CALSYNC_CALDAV_PASSWORD": PASSWORD,
        "HOME": str(tmp_path),
        "NETRC": str(tmp_path / "netrc"),
        "CALSYNC_CALDAV_URL": "",
        "CALSYNC_CALDAV_USERNAME": "",
    }


def test_done_when_seed_reads_back_as_seven_events_then_a_second_push_writes_nothing(
    site: Site, env: dict[str, str]
) -> None:
    path = site.new_calendar()
    url = site.url(path)
    result = run(["push", "--caldav", url, "--username", USER, "--zoom-url", ZOOM, "-q"], env)
    assert result.exit_code == 0, result.stderr
    events = [icalendar.Calendar.from_ical(d).walk("VEVENT")[0] for d in objects(site.server, path).values()]
    assert len(events) == 7
    key = str(events[0]["X-CALSYNC-MEETING"])
    assert result.stdout.splitlines()[-1] == f"{url}: 7 created, 0 updated, 0 deleted, 0 unchanged (meeting {key})"
    got = sorted(
        (
            e["DTSTART"].dt.astimezone(UTC).strftime("%H:%M"),
            e["DTEND"].dt.astimezone(UTC).strftime("%H:%M"),
        )
        for e in events
    )
    assert got == SEED_UTC
    assert all(ZOOM in str(e["DESCRIPTION"]) and str(e["LOCATION"]) == ZOOM for e in events)
    site.proxy.reset()
    again = run(["push", "--caldav", url, "--username", USER, "--zoom-url", ZOOM, "-q"], env)
    assert again.exit_code == 0, again.stderr
    assert " 0 created, 0 updated, 0 deleted, 7 unchanged" in again.stdout
    assert site.proxy.count() == 1 and site.proxy.count("PUT") == 0


def test_dry_run_and_json_as_for_google(site: Site, env: dict[str, str]) -> None:
    url = site.url(site.new_calendar())
    dry = run(["push", SEED, "--caldav", url, "--username", USER, "--dry-run", "-q"], env)
    assert dry.exit_code == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert lines[0].startswith("meeting ") and lines[0].endswith(f" on {url}")
    assert lines[-1] == "dry run, nothing changed: 7 to create, 0 to update, 0 to delete, 0 unchanged"
    assert site.proxy.count("PUT") == 0
    data = json.loads(run(["push", SEED, "--caldav", url, "--username", USER, "--json", "-q"], env).stdout)
    assert (data["created"], data["calendar"], data["replanned"]) == (7, url, 0) and len(data["events"]) == 7


def test_wrong_password_is_one_line_with_the_credentials_exit_code(site: Site, env: dict[str, str]) -> None:
    url = site.url(site.new_calendar())
    result = run(["push", "--caldav", url, "--username", USER, "-q"], {**env, "CALSYNC_CALDAV_PASSWORD": "wrong"})
    assert result.exit_code == 77  # as the Google credentials error
    line = one_error_line(result)
    assert line.startswith(
        f"calsync: error: the CalDAV server at 127.0.0.1 refused the login: user '{USER}' "
        "(password from CALSYNC_CALDAV_PASSWORD) (HTTP 401)"
    )
    assert "app password" in line and "wrong" not in line


def test_password_from_netrc(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    url = site.url(site.new_calendar())
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n", encoding="utf-8")
    netrc.chmod(0o600)
    result = run(["push", "--caldav", url, "-q"], {**env, "CALSYNC_CALDAV_PASSWORD": ""})
    assert result.exit_code == 0, result.stderr
    assert ": 7 created" in result.stdout


def test_missing_password_says_where_to_put_it(site: Site, env: dict[str, str]) -> None:
    url = site.url(site.new_calendar())
    result = run(["push", "--caldav", url, "--username", USER, "-q"], {**env, "CALSYNC_CALDAV_PASSWORD": ""})
    assert result.exit_code == 77
    line = one_error_line(result)
    assert f"no password for CalDAV user '{USER}' on 127.0.0.1" in line and "CALSYNC_CALDAV_PASSWORD" in line
    assert site.proxy.count() == 0


def test_calendar_by_name_and_create(site: Site, env: dict[str, str]) -> None:
    name = f"GCM {site.proxy.port} cli"
    dry = run(
        [
            "push",
            "--caldav",
            site.proxy.root + "/",
            "--username",
            USER,
            "--calendar",
            name,
            "--create",
            "--dry-run",
            "-q",
        ],
        env,
    )
    assert dry.exit_code == 0, dry.stderr
    assert "does not exist yet" in dry.stderr and site.proxy.count("MKCALENDAR") == 0
    assert dry.stdout.splitlines()[-1] == "dry run, nothing changed: 7 to create, 0 to update, 0 to delete, 0 unchanged"
    made = run(
        ["push", "--caldav", site.proxy.root + "/", "--username", USER, "--calendar", name, "--create", "-q"], env
    )
    assert made.exit_code == 0, made.stderr
    assert f"created calendar {name!r}" in made.stderr and site.proxy.count("MKCALENDAR") == 1
    found = run(["push", "--caldav", site.proxy.root + "/", "--username", USER, "--calendar", name, "-q"], env)
    assert found.exit_code == 0 and "7 unchanged" in found.stdout


def test_unknown_calendar_name(site: Site, env: dict[str, str]) -> None:
    result = run(["push", "--caldav", site.proxy.root + "/", "--username", USER, "--calendar", "Nope", "-q"], env)
    assert result.exit_code == 69 and "no calendar called 'Nope'" in one_error_line(result)


def test_storage_full_is_exit_75(site: Site, env: dict[str, str]) -> None:
    url = site.url(site.new_calendar())
    site.proxy.fault_methods = {"PUT"}
    site.proxy.faults = [507] * 7
    result = run(["push", "--caldav", url, "--username", USER, "-q"], env)
    assert result.exit_code == 75 and "out of storage space (HTTP 507)" in one_error_line(result)


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--caldav", "caldav.example.org"], "is not an http(s) URL"),
        (["--caldav", f"https://{USER}:hunter2@caldav.example.org/"], "must not contain a user name or password"),
        (["--caldav", "https://caldav.example.org/", "--notify"], "--notify is for Google calendars"),
        (["--caldav", "https://caldav.example.org/", "--api-endpoint", "http://x/"], "--api-endpoint is for Google"),
        (["--caldav", "https://caldav.example.org/", "--create"], "--create needs --calendar NAME"),
        (["--username", USER], "--username and --create are for CalDAV calendars"),
    ],
)
def test_bad_options(env: dict[str, str], args: list[str], needle: str) -> None:
    result = run(["push", *args, "-q"], env)
    assert result.exit_code == 2, result.output
    line = one_error_line(result)
    assert needle in line and "hunter2" not in line


def test_password_never_printed_even_in_json_or_errors(site: Site, env: dict[str, str]) -> None:
    url = site.url(site.new_calendar())
    outputs = [
        run(["push", "--caldav", url, "--username", USER, *extra, "-q"], env).output
        for extra in ([], ["--json"], ["--dry-run"])
    ]
    outputs.append(run(["push", "--caldav", url + "missing/", "--username", USER, "-q"], env).output)
    assert not any(PASSWORD in out for out in outputs)
    assert Counter("Traceback" in out for out in outputs) == {False: 4}
