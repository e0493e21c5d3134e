"""``ofsc auth status``: every profile (or ``-p NAME``) with its instance, auth method, client
id, whether its credentials work now, and its OAuth2 token's expiry, against a served emulator.

The profiles come from a config file only (the environment's identity variables are unset,
since they would apply to every profile); ``sandbox`` is overridden in the file to point at the
served emulator, except in the one test of the real built-in profile.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from served_cli import Cli
from typer.testing import CliRunner

from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.context import AppContext
from ofsc_cli.sandbox import ServerHandle

WRONG_SECRET = "wrong-Qx7-not-the-secret"
GOOD_SECRET = "demo-secret"
IDENTITY_ENV = (
    "OFSC_BASE_URL",
    "OFSC_INSTANCE",
    "OFSC_CLIENT_ID",
    "OFSC_CLIENT_SECRET",
    "OFSC_AUTH",
)
KEYS = {
    "profile",
    "default",
    "instance",
    "baseUrl",
    "auth",
    "clientId",
    "ok",
    "error",
    "token",
    "tokenExpiresAt",
}


def profile(name: str, url: str, *, secret: str = GOOD_SECRET, auth: str = "basic") -> str:
    return (
        f'[profiles.{name}]\ninstance = "sandbox"\nbase_url = "{url}"\nclient_id = "demo"\n'
        f'client_secret = "{secret}"\nauth = "{auth}"\n\n'
    )


def sandbox_override(url: str) -> str:
    return f'[profiles.sandbox]\nemulator = false\nbase_url = "{url}"\n'


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    return make_sandbox_server()


def status_cli(server: ServerHandle, tmp_path: Path, config: str) -> Cli:
    """The CLI with ``config`` as its file and no identity variable in the environment."""
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    cli = Cli(server, tmp_path)
    for name in IDENTITY_ENV:
        cli.env[name] = None
    return cli


@pytest.fixture
def four(server: ServerHandle, tmp_path: Path) -> Cli:
    """Basic and OAuth2 profiles, each with good and with bad credentials."""
    url = server.url
    config = (
        'default_profile = "basic-ok"\n\n'
        + profile("basic-ok", url)
        + profile("basic-bad", url, secret=WRONG_SECRET)
        + profile("oauth-ok", url, auth="oauth2")
        + profile("oauth-bad", url, secret=WRONG_SECRET, auth="oauth2")
        + sandbox_override(url)
    )
    return status_cli(server, tmp_path, config)


def cached_tokens(tmp_path: Path) -> list[str]:
    """The access tokens the CLI cached (to prove none of them is ever printed)."""
    return [
        json.loads(path.read_text())["access_token"]
        for path in (tmp_path / "cache").rglob("*.json")
    ]


def rows_of(stdout: str) -> dict[str, dict[str, Any]]:
    rows = json.loads(stdout)
    assert isinstance(rows, list)
    return {row["profile"]: row for row in rows}


def test_every_profile_is_checked_and_a_failure_exits_4(four: Cli, tmp_path: Path) -> None:
    result = four.fails(4, "auth", "status")
    rows = rows_of(result.stdout)  # piped: JSON
    assert list(rows) == ["basic-ok", "basic-bad", "oauth-ok", "oauth-bad", "sandbox"]
    assert all(set(row) == KEYS for row in rows.values())
    assert {name: row["ok"] for name, row in rows.items()} == {
        "basic-ok": True,
        "basic-bad": False,
        "oauth-ok": True,
        "oauth-bad": False,
        "sandbox": True,
    }
    assert [name for name, row in rows.items() if row["default"]] == ["basic-ok"]
    for name in ("basic-bad", "oauth-bad"):
        assert "401" in rows[name]["error"] or "nvalid" in rows[name]["error"], rows[name]
    assert rows["basic-ok"]["error"] is None
    ok = rows["oauth-ok"]
    assert (ok["auth"], ok["clientId"], ok["instance"]) == ("oauth2", "demo", "sandbox")
    assert ok["baseUrl"] == four.server.url
    assert ok["token"].startswith("valid, expires in ")
    expires = dt.datetime.strptime(ok["tokenExpiresAt"], "%Y-%m-%dT%H:%M:%SZ")
    assert expires.replace(tzinfo=dt.UTC) > dt.datetime.now(dt.UTC)
    assert rows["basic-ok"]["token"] == "no token (Basic auth)"
    assert rows["basic-ok"]["tokenExpiresAt"] is None
    assert rows["oauth-bad"]["tokenExpiresAt"] is None
    assert "basic-bad" in result.stderr and "oauth-bad" in result.stderr
    assert "basic-ok" not in result.stderr.split("do not work:")[-1]
    # Never a secret or a token, on stdout or stderr.
    tokens = cached_tokens(tmp_path)
    assert tokens
    for secret in (GOOD_SECRET, WRONG_SECRET, *tokens):
        assert secret not in result.stdout and secret not in result.stderr


def test_one_profile_with_p(four: Cli) -> None:
    good = four.ok("auth", "status", "-p", "oauth-ok")
    assert list(rows_of(good.stdout)) == ["oauth-ok"]
    bad = four.fails(4, "-p", "basic-bad", "auth", "status", "-o", "json")
    assert rows_of(bad.stdout)["basic-bad"]["ok"] is False
    unknown = four.fails(3, "auth", "status", "-p", "nope")
    assert "unknown profile 'nope'" in unknown.stderr and unknown.stdout == ""


def test_ofsc_profile_picks_one_profile(four: Cli) -> None:
    four.env["OFSC_PROFILE"] = "basic-ok"
    assert list(rows_of(four.ok("auth", "status").stdout)) == ["basic-ok"]


def test_no_check_sends_nothing_and_reads_the_token_cache(four: Cli) -> None:
    four.fails(4, "auth", "status")  # fetches and caches the oauth-ok token
    counts = four.emulator.request_counts
    before = sum(counts.values())
    result = four.ok("auth", "status", "--no-check")  # nothing checked: exit 0
    assert sum(counts.values()) == before
    rows = rows_of(result.stdout)
    assert {row["ok"] for row in rows.values()} == {None}
    assert rows["oauth-ok"]["token"].startswith("valid, expires in ")  # from the cache
    assert rows["oauth-ok"]["tokenExpiresAt"]
    assert rows["oauth-bad"]["token"] == "none cached"


def test_no_check_runs_no_secret_command(server: ServerHandle, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('x'); print({GOOD_SECRET!r})"
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}"
    config = (
        f'[profiles.cmd]\ninstance = "sandbox"\nbase_url = "{server.url}"\nclient_id = "demo"\n'
        f"client_secret_command = {json.dumps(command)}\n\n" + sandbox_override(server.url)
    )
    cli = status_cli(server, tmp_path, config)
    assert rows_of(cli.ok("auth", "status", "--no-check").stdout)["cmd"]["ok"] is None
    assert not marker.exists()
    assert rows_of(cli.ok("auth", "status").stdout)["cmd"]["ok"] is True
    assert marker.exists()


def test_an_incomplete_profile_is_a_failed_row(server: ServerHandle, tmp_path: Path) -> None:
    config = '[profiles.half]\ninstance = "sandbox"\n\n' + sandbox_override(server.url)
    cli = status_cli(server, tmp_path, config)
    for args in ((), ("--no-check",)):
        rows = rows_of(cli.fails(4, "auth", "status", *args).stdout)
        assert rows["half"]["ok"] is False
        assert "no client_id" in rows["half"]["error"]
        assert rows["sandbox"]["ok"] is (None if args else True)


def test_a_table_on_a_terminal(four: Cli) -> None:
    result = CliRunner().invoke(
        build_app(),
        ["auth", "status"],
        env=four.env,
        obj=AppContext(stdout_is_tty=True, no_color=True),
    )
    assert result.exit_code == 4, result.output
    text = result.stdout.lower()  # the header's spelling and wrapping are the renderer's
    assert "profile" in text and "instance" in text
    assert all(name in result.stdout for name in ("basic-ok", "basic-bad", "oauth-ok"))
    assert "oauth-bad" in result.stdout and not result.stdout.lstrip().startswith("[")
    assert GOOD_SECRET not in result.stdout and WRONG_SECRET not in result.stdout


def test_the_built_in_sandbox_profile(server: ServerHandle, tmp_path: Path) -> None:
    cli = status_cli(server, tmp_path, "")
    cli.env["OFSC_SANDBOX_DB"] = str(tmp_path / "sandbox.db")
    rows = rows_of(cli.ok("auth", "status").stdout)
    assert list(rows) == ["sandbox"]
    row = rows["sandbox"]
    assert (row["ok"], row["auth"], row["instance"], row["clientId"]) == (
        True,
        "basic",
        "sandbox",
        "demo",
    )


def test_environment_identity_is_noted_and_applies_to_every_profile(
    server: ServerHandle, tmp_path: Path
) -> None:
    config = profile("a", server.url, secret=WRONG_SECRET) + sandbox_override(server.url)
    cli = status_cli(server, tmp_path, config)
    cli.env["OFSC_CLIENT_SECRET"] = GOOD_SECRET  # env > file, as for every command
    result = cli.ok("auth", "status")
    assert rows_of(result.stdout)["a"]["ok"] is True
    assert "OFSC_CLIENT_SECRET" in result.stderr and GOOD_SECRET not in result.stderr


def test_anonymous_env_profile_is_listed(server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(server, tmp_path)  # OFSC_BASE_URL & co., no file: the `env` profile
    cli.env["OFSC_SANDBOX_DB"] = str(tmp_path / "sandbox.db")  # the built-in row's emulator
    rows = rows_of(cli.ok("auth", "status").stdout)
    assert list(rows) == ["sandbox", "env"]
    assert rows["env"]["default"] is True and rows["env"]["ok"] is True
    assert rows["env"]["baseUrl"] == server.url


def test_tokens_lists_the_cache_entries(four: Cli, tmp_path: Path) -> None:
    assert json.loads(four.ok("auth", "status", "--tokens").stdout) == []
    four.fails(4, "auth", "status")
    entries = json.loads(four.ok("auth", "status", "--tokens").stdout)
    assert [entry["key"].split("|")[0] for entry in entries] == ["oauth-ok"]
    assert entries[0]["valid"] is True
    text = json.dumps(entries)
    assert all(token not in text for token in cached_tokens(tmp_path))
