"""A token is only ever sent where it was issued, and parallel runs fetch one token (issue 9,
items 2 and 3).

The cache key holds the profile, auth method, client id, instance, base URL (scheme, host,
port) and token endpoint: changing any of them against the served emulator makes a new token
request, and the old token is never presented.  The cache entry is locked while its token is
fetched, so parallel clients sharing the cache request one token.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from served_cli import Cli

from ofsc_cli.client import OFSC
from ofsc_cli.client.auth import OAuth2ClientCredentials
from ofsc_cli.client.token_cache import TokenCache, scoped_token_key
from ofsc_cli.errors import OFSValidationError
from ofsc_cli.sandbox import Faults, ServerHandle
from ofsc_cli.sandbox.auth import APP_SECRETS

TOKEN_V2 = "POST /rest/oauthTokenService/v2/token"
TOKEN_V1 = "POST /rest/oauthTokenService/v1/token"
BASE = "https://acme.fs.ocs.oraclecloud.com"
KEY = {
    "auth": "oauth2",
    "client_id": "ofsc-cli",
    "instance": "acme",
    "base_url": BASE,
    "token_url": f"{BASE}/rest/oauthTokenService/v2/token",
}


# -- the key ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("label", "test"),
        ("auth", "oauth2-assertion"),
        ("client_id", "other-client"),
        ("instance", "acme-test"),
        ("base_url", "http://acme.fs.ocs.oraclecloud.com"),  # scheme
        ("base_url", "https://evil.example.com"),  # host
        ("base_url", "https://acme.fs.ocs.oraclecloud.com:8443"),  # port
        ("base_url", f"{BASE}/proxy"),  # path
        ("token_url", f"{BASE}/rest/oauthTokenService/v1/token"),
        ("token_url", "https://idcs.example.com/oauth2/v1/token"),
    ],
)
def test_every_component_changes_the_key(name: str, value: str) -> None:
    parts = {"label": "prod", **KEY}
    key = scoped_token_key(**parts)  # type: ignore[arg-type]
    assert scoped_token_key(**{**parts, name: value}) != key  # type: ignore[arg-type]


def test_spellings_of_one_address_give_one_key() -> None:
    key = scoped_token_key("prod", **KEY)
    same = {
        **KEY,
        "base_url": "HTTPS://ACME.fs.ocs.oraclecloud.com:443/",
        "token_url": f"{BASE}:443/rest/oauthTokenService/v2/token",
    }
    assert scoped_token_key("prod", **same) == key
    # A separator inside a part cannot make two different keys equal.
    assert scoped_token_key("a|oauth2", **KEY) != scoped_token_key("a", **{**KEY, "auth": "x"})


def test_a_token_is_never_attached_to_a_request_for_another_origin() -> None:
    sent: list[httpx.Request] = []
    auth = OAuth2ClientCredentials(
        KEY["token_url"], "ofsc-cli", "acme", "secret", base_url=BASE, cache=None
    )
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json={}))
    with httpx.Client(transport=transport, auth=auth) as client:
        for url in (
            "https://evil.example.com/rest/ofscCore/v1/resources",
            "http://acme.fs.ocs.oraclecloud.com/rest/ofscCore/v1/resources",
            "https://acme.fs.ocs.oraclecloud.com:8443/rest/ofscCore/v1/resources",
        ):
            with pytest.raises(OFSValidationError, match="refusing to send the token"):
                client.get(url)
    assert sent == []  # not even the token request went out


# -- the CLI: change one component, get a new token ------------------------------------------


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    return make_sandbox_server()


class Seen:
    """The Authorization headers a served emulator receives."""

    def __init__(self, server: ServerHandle) -> None:
        self.headers: list[str] = []
        real = server.emulator.handle

        def record(request: Any) -> Any:
            self.headers.append(request.header("authorization") or "")
            return real(request)

        server.emulator.handle = record  # type: ignore[method-assign]

    def bearers(self) -> set[str]:
        return {h.split(" ", 1)[1] for h in self.headers if h.startswith("Bearer ")}


def oauth_cli(server: ServerHandle, tmp_path: Path) -> Cli:
    (tmp_path / "config.toml").write_text(
        '[profiles.a]\ninstance = "sandbox"\n\n[profiles.b]\ninstance = "sandbox"\n',
        encoding="utf-8",
    )
    return Cli(server, tmp_path, OFSC_AUTH="oauth2", OFSC_PROFILE="a")


CHANGES: list[tuple[str, tuple[str, ...], dict[str, str], int]] = [
    ("profile", ("-p", "b"), {}, 0),
    ("instance", (), {"OFSC_INSTANCE": "elsewhere"}, 4),  # the emulator refuses the instance
    ("client-id", (), {"OFSC_CLIENT_ID": "erp_sync", "OFSC_CLIENT_SECRET": "erp-secret"}, 0),
]


@pytest.mark.parametrize(("change", "args", "env", "code"), CHANGES, ids=[c[0] for c in CHANGES])
def test_a_changed_component_fetches_a_new_token(
    server: ServerHandle,
    tmp_path: Path,
    change: str,
    args: tuple[str, ...],
    env: dict[str, str],
    code: int,
) -> None:
    server.emulator.store.put(APP_SECRETS, "erp_sync", "erp-secret")
    server.emulator.store.put("applications", "erp_sync", {"label": "erp_sync", "status": "active"})
    seen = Seen(server)
    cli = oauth_cli(server, tmp_path)
    cli.ok("auth", "test")
    cli.ok("auth", "test")  # unchanged: the cached token is reused
    counts = server.emulator.request_counts
    assert counts[TOKEN_V2] == 1
    first = seen.bearers()
    assert len(first) == 1
    seen.headers.clear()
    cli.env.update(env)
    cli.fails(code, *args, "auth", "test")
    assert counts[TOKEN_V2] == 2, f"changing the {change} did not fetch a new token"
    assert not first & seen.bearers(), f"the old token was sent after changing the {change}"


def test_another_port_gets_its_own_token_and_never_the_old_one(
    server: ServerHandle, make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    other = make_sandbox_server()
    seen, seen_other = Seen(server), Seen(other)
    cli = oauth_cli(server, tmp_path)
    cli.ok("auth", "test")
    cli.env["OFSC_BASE_URL"] = other.url
    cli.ok("auth", "test")
    assert server.emulator.request_counts[TOKEN_V2] == 1
    assert other.emulator.request_counts[TOKEN_V2] == 1
    assert not seen.bearers() & seen_other.bearers()
    status = cli.ok("auth", "status", "--tokens", "-o", "json")
    assert server.url in status.stdout and other.url in status.stdout  # two entries
    # logout removes the entry of the settings in force, and only that one.
    assert "removed cached token" in cli.ok("auth", "logout").stderr
    assert "no cached token" in cli.ok("auth", "logout").stderr
    cli.env["OFSC_BASE_URL"] = server.url
    assert "removed cached token" in cli.ok("auth", "logout").stderr


def test_basic_auth_never_sends_the_cached_bearer(server: ServerHandle, tmp_path: Path) -> None:
    seen = Seen(server)
    cli = oauth_cli(server, tmp_path)
    cli.ok("auth", "test")
    seen.headers.clear()
    cli.env["OFSC_AUTH"] = "basic"
    cli.ok("auth", "test")
    assert seen.headers and all(h.startswith("Basic ") for h in seen.headers)


def test_another_token_endpoint_fetches_a_new_token(server: ServerHandle, tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "tokens")

    def auth(token_path: str) -> OAuth2ClientCredentials:
        return OAuth2ClientCredentials(
            f"{server.url}{token_path}",
            "demo",
            "sandbox",
            "demo-secret",
            cache=cache,
            cache_key="p",
        )

    with httpx.Client() as client:
        v2 = auth("/rest/oauthTokenService/v2/token").get_token(client)
        assert auth("/rest/oauthTokenService/v2/token").get_token(client) == v2  # cached
        v1 = auth("/rest/oauthTokenService/v1/token").get_token(client)
    assert v1 != v2
    counts = server.emulator.request_counts
    assert (counts[TOKEN_V2], counts[TOKEN_V1]) == (1, 1)
    assert len(cache.list()) == 2


# -- parallel clients, one token --------------------------------------------------------------


@pytest.fixture
def slow_tokens(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    """An emulator whose every answer (the token service's too) takes 0.4 s."""
    return make_sandbox_server(faults=Faults(latency=0.4, faults_on_token=True))


def test_parallel_clients_sharing_the_cache_fetch_one_token(
    slow_tokens: ServerHandle, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "tokens"
    tokens: list[str] = []
    errors: list[BaseException] = []

    def one_run() -> None:
        # Each its own client, auth and cache object, as separate processes would have.
        try:
            with OFSC(
                instance="sandbox",
                client_id="demo",
                client_secret="demo-secret",
                base_url=slow_tokens.url,
                auth="oauth2",
                token_cache=TokenCache(cache_dir),
                token_cache_key="p",
            ) as client:
                assert isinstance(client.auth, OAuth2ClientCredentials)
                tokens.append(client.auth.get_token(client.http))  # type: ignore[arg-type]
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one_run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and len(tokens) == 6
    assert len(set(tokens)) == 1
    assert slow_tokens.emulator.request_counts[TOKEN_V2] == 1


def test_parallel_event_loops_sharing_the_cache_fetch_one_token(
    slow_tokens: ServerHandle, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "tokens"

    async def one_run() -> str:
        auth = OAuth2ClientCredentials(
            f"{slow_tokens.url}/rest/oauthTokenService/v2/token",
            "demo",
            "sandbox",
            "demo-secret",
            cache=TokenCache(cache_dir),
            cache_key="p",
        )
        async with httpx.AsyncClient() as client:
            return await auth.aget_token(client)

    found: list[str] = []
    threads = [
        threading.Thread(target=lambda: found.append(asyncio.run(one_run()))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(found) == 4 and len(set(found)) == 1
    assert slow_tokens.emulator.request_counts[TOKEN_V2] == 1
