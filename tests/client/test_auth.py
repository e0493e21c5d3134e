"""Tests for ofsc_cli.client.auth (Basic and OAuth2 auth) and ofsc_cli.client.token_cache."""

from __future__ import annotations

import asyncio
import base64
import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from ofsc_cli.client.auth import BasicAuth, OAuth2ClientCredentials
from ofsc_cli.client.token_cache import (
    NullTokenCache,
    TokenCache,
    default_token_cache_dir,
)
from ofsc_cli.errors import OFSAPIError, OFSAuthenticationError, OFSSerializationError

BASE = "https://acme.test.fs.ocs.oraclecloud.com"
TOKEN_URL = f"{BASE}/rest/oauthTokenService/v2/token"
API_URL = f"{BASE}/rest/ofscCore/v1/resources"
CLIENT_ID = "ofsc-cli"
INSTANCE = "acme.test"
SECRET = "s3cr3t-Value-42"
T0 = 1_000_000.0
EXPIRES_IN = 3600
EXPECTED_BASIC = "Basic " + base64.b64encode(b"ofsc-cli@acme.test:s3cr3t-Value-42").decode()

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


class FakeClock:
    """A settable clock (epoch seconds)."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class TokenService:
    """A fake token service issuing tok-1, tok-2, ... and recording what it was sent."""

    def __init__(self, *, delay: float = 0.0, field: str = "access_token") -> None:
        self.delay = delay
        self.field = field
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def _issue(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            number = len(self.requests)
        body = {self.field: f"tok-{number}", "token_type": "bearer", "expires_in": EXPIRES_IN}
        return httpx.Response(200, json=body)

    def sync(self, request: httpx.Request) -> httpx.Response:
        time.sleep(self.delay)
        return self._issue(request)

    async def async_(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(self.delay)
        return self._issue(request)

    @property
    def count(self) -> int:
        return len(self.requests)


def bearer(request: httpx.Request) -> str:
    return request.headers["Authorization"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tokens() -> TokenService:
    return TokenService()


@pytest.fixture
def mock(tokens: TokenService) -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.post(TOKEN_URL).mock(side_effect=tokens.sync)
        router.get(API_URL).mock(return_value=httpx.Response(200, json={"items": []}))
        yield router


def make_auth(
    clock: FakeClock, *, cache: TokenCache | None = None, cache_key: str | None = None
) -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials(
        TOKEN_URL, CLIENT_ID, INSTANCE, SECRET, cache=cache, cache_key=cache_key, clock=clock
    )


# -- Basic -----------------------------------------------------------------------------------------


def test_basic_auth_sets_the_exact_header() -> None:
    auth = BasicAuth(CLIENT_ID, INSTANCE, SECRET)
    request = httpx.Request("GET", API_URL)
    flow = auth.sync_auth_flow(request)
    sent = next(flow)
    assert sent.headers["Authorization"] == EXPECTED_BASIC


def test_basic_auth_repr_hides_the_secret() -> None:
    auth = BasicAuth(CLIENT_ID, INSTANCE, SECRET)
    encoded = EXPECTED_BASIC.removeprefix("Basic ")
    assert SECRET not in repr(auth) and encoded not in repr(auth)
    assert CLIENT_ID in repr(auth)


# -- OAuth2: fetching, reuse, refresh ------------------------------------------------------------


def test_first_request_fetches_a_token_and_later_ones_reuse_it(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock
) -> None:
    auth = make_auth(clock)
    with httpx.Client(auth=auth) as client:
        for _ in range(3):
            assert client.get(API_URL).status_code == 200
    assert tokens.count == 1
    token_request = tokens.requests[0]
    assert token_request.headers["Authorization"] == EXPECTED_BASIC
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(token_request.content.decode()) == {"grant_type": ["client_credentials"]}
    api_calls = mock.routes[1].calls
    assert [bearer(call.request) for call in api_calls] == ["Bearer tok-1"] * 3
    assert auth.expires_at == T0 + EXPIRES_IN


@pytest.mark.parametrize(
    ("seconds_left", "refreshes"),
    [(4 * 60 + 59, True), (5 * 60 + 1, False), (-10, True)],
)
def test_token_refreshed_only_within_the_refresh_margin(
    mock: respx.MockRouter,
    tokens: TokenService,
    clock: FakeClock,
    seconds_left: float,
    refreshes: bool,
) -> None:
    auth = make_auth(clock)
    with httpx.Client(auth=auth) as client:
        client.get(API_URL)
        clock.now = T0 + EXPIRES_IN - seconds_left
        response = client.get(API_URL)
    assert tokens.count == (2 if refreshes else 1)
    assert bearer(response.request) == ("Bearer tok-2" if refreshes else "Bearer tok-1")


def test_v1_token_field_is_accepted(clock: FakeClock) -> None:
    service = TokenService(field="token")
    with respx.mock() as router:
        router.post(TOKEN_URL).mock(side_effect=service.sync)
        with httpx.Client() as client:
            assert make_auth(clock).get_token(client) == "tok-1"


def test_missing_expires_in_defaults_to_an_hour(clock: FakeClock) -> None:
    with respx.mock() as router:
        router.post(TOKEN_URL).mock(return_value=httpx.Response(200, json={"access_token": "x"}))
        auth = make_auth(clock)
        with httpx.Client() as client:
            auth.get_token(client)
    assert auth.expires_at == T0 + 3600


# -- OAuth2: 401 handling ------------------------------------------------------------------------


def test_401_triggers_one_refresh_and_one_resend(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock
) -> None:
    api = mock.get(API_URL).mock(
        side_effect=[httpx.Response(401), httpx.Response(200, json={"items": []})]
    )
    with httpx.Client(auth=make_auth(clock)) as client:
        response = client.get(API_URL)
    assert response.status_code == 200
    assert tokens.count == 2
    assert [bearer(call.request) for call in api.calls] == ["Bearer tok-1", "Bearer tok-2"]


def test_401_resend_replays_the_request_body(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock
) -> None:
    url = f"{BASE}/rest/ofscCore/v1/activities"
    route = mock.post(url).mock(side_effect=[httpx.Response(401), httpx.Response(201)])

    def body() -> Iterator[bytes]:  # a one-shot stream: only re-sendable if read up front
        yield b'{"activityType": '
        yield b'"install"}'

    with httpx.Client(auth=make_auth(clock)) as client:
        response = client.post(url, content=body())
    assert response.status_code == 201
    assert [call.request.content for call in route.calls] == [b'{"activityType": "install"}'] * 2


def test_second_401_is_returned_as_is(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock
) -> None:
    api = mock.get(API_URL).mock(return_value=httpx.Response(401, json={"title": "no"}))
    with httpx.Client(auth=make_auth(clock)) as client:
        response = client.get(API_URL)
    assert response.status_code == 401
    assert api.call_count == 2
    assert tokens.count == 2


def test_401_does_not_refresh_when_another_request_already_did(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock
) -> None:
    auth = make_auth(clock)

    def endpoint(request: httpx.Request) -> httpx.Response:
        if bearer(request) != "Bearer tok-1":
            return httpx.Response(200)
        # While this request (sent with tok-1) is in flight, another one refreshes to tok-2.
        auth.invalidate()
        with httpx.Client() as other:
            assert auth.get_token(other) == "tok-2"
        return httpx.Response(401)

    api = mock.get(API_URL).mock(side_effect=endpoint)
    with httpx.Client(auth=auth) as client:
        response = client.get(API_URL)
    assert response.status_code == 200
    assert tokens.count == 2  # tok-1 and the concurrent tok-2; the 401 caused no third fetch
    assert [bearer(call.request) for call in api.calls] == ["Bearer tok-1", "Bearer tok-2"]


# -- OAuth2: token service failures --------------------------------------------------------------


def test_token_service_401_raises_authentication_error_without_secrets(clock: FakeClock) -> None:
    body = {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": "401",
        "detail": f"client ofsc-cli@acme.test with secret {SECRET} is unknown",
    }
    with respx.mock(assert_all_called=False) as router:
        router.post(TOKEN_URL).mock(return_value=httpx.Response(401, json=body))
        api = router.get(API_URL).mock(return_value=httpx.Response(200))
        auth = make_auth(clock)
        with httpx.Client(auth=auth) as client, pytest.raises(OFSAuthenticationError) as caught:
            client.get(API_URL)
    error = caught.value
    assert not api.called
    assert error.status_code == 401
    assert error.url == TOKEN_URL and error.method == "POST"
    assert error.title == "Unauthorized"
    message = str(error)
    assert TOKEN_URL in message and "401" in message and "Unauthorized" in message
    assert "is unknown" in message
    everything = " ".join([message, repr(error), json.dumps(error.to_dict()), repr(auth)])
    assert SECRET not in everything
    assert EXPECTED_BASIC.removeprefix("Basic ") not in everything


def test_token_service_400_is_an_authentication_error(clock: FakeClock) -> None:
    with respx.mock() as router:
        router.post(TOKEN_URL).mock(return_value=httpx.Response(400, text="bad"))
        with httpx.Client() as client, pytest.raises(OFSAuthenticationError) as caught:
            make_auth(clock).get_token(client)
    assert caught.value.status_code == 400
    assert caught.value.message == f"Token request to {TOKEN_URL} failed: HTTP 400"


def test_token_service_500_is_an_api_error(clock: FakeClock) -> None:
    with respx.mock() as router:
        router.post(TOKEN_URL).mock(return_value=httpx.Response(503))
        with httpx.Client() as client, pytest.raises(OFSAPIError) as caught:
            make_auth(clock).get_token(client)
    assert caught.value.status_code == 503


def test_token_response_without_a_token_is_a_serialization_error(clock: FakeClock) -> None:
    with respx.mock() as router:
        router.post(TOKEN_URL).mock(return_value=httpx.Response(200, json={"expires_in": 5}))
        with httpx.Client() as client, pytest.raises(OFSSerializationError):
            make_auth(clock).get_token(client)


def test_network_errors_propagate_and_release_the_lock(clock: FakeClock) -> None:
    auth = make_auth(clock)
    with respx.mock() as router:
        route = router.post(TOKEN_URL)
        route.mock(side_effect=httpx.ConnectError("refused"))
        with httpx.Client(auth=auth) as client, pytest.raises(httpx.ConnectError):
            client.get(API_URL)
        route.mock(return_value=httpx.Response(200, json={"access_token": "ok"}))
        router.get(API_URL).mock(return_value=httpx.Response(200))
        with httpx.Client(auth=auth) as client:
            assert client.get(API_URL).status_code == 200  # would deadlock if the lock leaked


def test_oauth2_repr_hides_secret_and_token(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock
) -> None:
    auth = make_auth(clock)
    with httpx.Client(auth=auth) as client:
        token = auth.get_token(client)
    text = repr(auth) + str(auth)
    assert SECRET not in text and token not in text
    assert TOKEN_URL in text


def test_invalidate_forces_a_new_token(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock
) -> None:
    auth = make_auth(clock)
    with httpx.Client() as client:
        assert auth.get_token(client) == "tok-1"
        assert auth.get_token(client) == "tok-1"
        auth.invalidate()
        assert auth.expires_at is None
        assert auth.get_token(client) == "tok-2"


async def test_aget_token(mock: respx.MockRouter, tokens: TokenService, clock: FakeClock) -> None:
    auth = make_auth(clock)
    async with httpx.AsyncClient() as client:
        assert await auth.aget_token(client) == "tok-1"
        assert await auth.aget_token(client) == "tok-1"
    assert tokens.count == 1


async def test_async_client_401_refresh_and_resend(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock
) -> None:
    api = mock.get(API_URL).mock(side_effect=[httpx.Response(401), httpx.Response(200)])
    async with httpx.AsyncClient(auth=make_auth(clock)) as client:
        response = await client.get(API_URL)
    assert response.status_code == 200
    assert [bearer(call.request) for call in api.calls] == ["Bearer tok-1", "Bearer tok-2"]


# -- concurrency ---------------------------------------------------------------------------------


async def test_concurrent_async_requests_cause_one_token_request(clock: FakeClock) -> None:
    service = TokenService(delay=0.05)
    auth = make_auth(clock)
    with respx.mock() as router:
        router.post(TOKEN_URL).mock(side_effect=service.async_)
        router.get(API_URL).mock(return_value=httpx.Response(200))
        async with httpx.AsyncClient(auth=auth) as client:
            await client.get(API_URL)
            clock.now = T0 + EXPIRES_IN + 1  # the token has expired
            responses = await asyncio.gather(*(client.get(API_URL) for _ in range(20)))
    assert service.count == 2  # the first token, then exactly one refresh for all 20
    assert {bearer(r.request) for r in responses} == {"Bearer tok-2"}


def test_concurrent_threads_cause_one_token_request(clock: FakeClock) -> None:
    service = TokenService(delay=0.05)
    auth = make_auth(clock)
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    with respx.mock() as router:
        router.post(TOKEN_URL).mock(side_effect=service.sync)
        router.get(API_URL).mock(return_value=httpx.Response(200))
        with httpx.Client(auth=auth) as client:
            client.get(API_URL)
            clock.now = T0 + EXPIRES_IN + 1

            def worker() -> None:
                barrier.wait()
                statuses.append(client.get(API_URL).status_code)

            threads = [threading.Thread(target=worker) for _ in range(20)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    assert statuses == [200] * 20
    assert service.count == 2


def test_one_auth_object_serves_several_event_loops(clock: FakeClock) -> None:
    """The asyncio lock is per loop: a lock bound to a closed loop must not be reused."""
    service = TokenService(delay=0.02)
    auth = make_auth(clock)

    async def burst() -> None:
        async with httpx.AsyncClient(auth=auth) as client:
            await asyncio.gather(*(client.get(API_URL) for _ in range(5)))

    with respx.mock() as router:
        router.post(TOKEN_URL).mock(side_effect=service.async_)
        router.get(API_URL).mock(return_value=httpx.Response(200))
        asyncio.run(burst())
        clock.now += EXPIRES_IN
        asyncio.run(burst())
    assert service.count == 2


# -- the same flow under both drivers (MockTransport, no respx) ----------------------------------


class FakeOFS:
    """A MockTransport handler: a token service plus one endpoint refusing its first call."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str, str]] = []
        self.issued = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.log.append((request.method, request.url.path, request.headers["Authorization"]))
        if request.url.path.endswith("/token"):
            self.issued += 1
            return httpx.Response(200, json={"access_token": f"t{self.issued}", "expires_in": 60})
        refused = sum(1 for entry in self.log if not entry[1].endswith("/token")) == 1
        return httpx.Response(401 if refused else 200)


async def test_sync_and_async_drivers_run_the_same_flow(clock: FakeClock) -> None:
    # expires_in=60 is below the 300 s margin, so every request refreshes: the flow's branches
    # (fetch, use, 401, refresh, resend, refetch) all run, in the same order, under both drivers.
    sync_ofs, async_ofs = FakeOFS(), FakeOFS()
    with httpx.Client(transport=httpx.MockTransport(sync_ofs), auth=make_auth(clock)) as client:
        sync_statuses = [client.get(API_URL).status_code for _ in range(2)]
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(async_ofs), auth=make_auth(clock)
    ) as aclient:
        async_statuses = [(await aclient.get(API_URL)).status_code for _ in range(2)]

    token_path = "/rest/oauthTokenService/v2/token"
    api_path = "/rest/ofscCore/v1/resources"
    assert sync_ofs.log == [
        ("POST", token_path, EXPECTED_BASIC),
        ("GET", api_path, "Bearer t1"),
        ("POST", token_path, EXPECTED_BASIC),
        ("GET", api_path, "Bearer t2"),
        ("POST", token_path, EXPECTED_BASIC),
        ("GET", api_path, "Bearer t3"),
    ]
    assert async_ofs.log == sync_ofs.log
    assert sync_statuses == async_statuses == [200, 200]


# -- disk cache ----------------------------------------------------------------------------------


def test_second_auth_object_reuses_the_cached_token(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock, tmp_path: Path
) -> None:
    cache = TokenCache(tmp_path / "tokens", clock=clock)
    with httpx.Client(auth=make_auth(clock, cache=cache, cache_key="prod-acme")) as client:
        client.get(API_URL)
    other = make_auth(
        clock, cache=TokenCache(tmp_path / "tokens", clock=clock), cache_key="prod-acme"
    )
    with httpx.Client(auth=other) as client:
        response = client.get(API_URL)
    assert tokens.count == 1
    assert bearer(response.request) == "Bearer tok-1"
    assert cache.list() == [(other.cache_key, T0 + EXPIRES_IN)]
    assert other.cache_key.startswith("prod-acme|")


def test_different_cache_keys_do_not_share_tokens(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock, tmp_path: Path
) -> None:
    cache = TokenCache(tmp_path, clock=clock)
    with httpx.Client() as client:
        assert make_auth(clock, cache=cache, cache_key="prod-acme").get_token(client) == "tok-1"
        assert make_auth(clock, cache=cache, cache_key="test-acme").get_token(client) == "tok-2"


def test_expired_cached_token_is_refetched(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock, tmp_path: Path
) -> None:
    cache = TokenCache(tmp_path, clock=clock)
    auth = make_auth(clock, cache=cache, cache_key="k")
    cache.save(auth.cache_key, "old-token", T0 + 100)  # inside the 300 s refresh margin
    with httpx.Client() as client:
        assert auth.get_token(client) == "tok-1"
    loaded = cache.load(auth.cache_key)
    assert loaded is not None and loaded.access_token == "tok-1"


def test_corrupt_cache_file_is_ignored_and_replaced(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock, tmp_path: Path
) -> None:
    cache = TokenCache(tmp_path, clock=clock)
    auth = make_auth(clock, cache=cache, cache_key="k")
    cache.path_for(auth.cache_key).write_text("{not json")
    with httpx.Client() as client:
        assert auth.get_token(client) == "tok-1"
    assert json.loads(cache.path_for(auth.cache_key).read_text())["access_token"] == "tok-1"


def test_invalidate_deletes_the_cached_token(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock, tmp_path: Path
) -> None:
    cache = TokenCache(tmp_path, clock=clock)
    auth = make_auth(clock, cache=cache, cache_key="k")
    with httpx.Client() as client:
        auth.get_token(client)
    assert cache.path_for(auth.cache_key).exists()
    auth.invalidate()
    assert not cache.path_for(auth.cache_key).exists()


def test_unwritable_cache_does_not_break_authentication(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    auth = make_auth(clock, cache=TokenCache(blocker / "tokens", clock=clock), cache_key="k")
    with httpx.Client() as client:
        assert auth.get_token(client) == "tok-1"
        assert auth.get_token(client) == "tok-1"


@posix_only
def test_cache_file_and_directory_modes(clock: FakeClock, tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "ofsc" / "tokens", clock=clock)
    cache.save("prod-acme", "abc", T0 + 10)
    assert (cache.path_for("prod-acme").stat().st_mode & 0o777) == 0o600
    assert (cache.directory.stat().st_mode & 0o777) == 0o700
    assert [p.name for p in cache.directory.iterdir()] == ["prod-acme.json"]  # no temp files


def test_cache_load_save_delete(clock: FakeClock, tmp_path: Path) -> None:
    cache = TokenCache(tmp_path, clock=clock)
    assert cache.load("k") is None
    cache.save("k", "abc", T0 + 10)
    token = cache.load("k")
    assert token is not None and (token.access_token, token.expires_at) == ("abc", T0 + 10)
    assert "abc" not in repr(token)
    clock.now = T0 + 10
    assert cache.load("k") is None  # expired
    assert cache.delete("k") is True
    assert cache.delete("k") is False
    assert not cache.path_for("k").exists()


def test_cache_ignores_foreign_and_malformed_files(clock: FakeClock, tmp_path: Path) -> None:
    cache = TokenCache(tmp_path, clock=clock)
    cache.save("a", "abc", T0 + 10)
    cache.path_for("b").write_bytes(cache.path_for("a").read_bytes())  # holds key "a"
    assert cache.load("b") is None
    bodies: list[object] = [[], {"key": "c"}, {"key": "c", "access_token": "x", "expires_at": "?"}]
    for body in bodies:
        cache.path_for("c").write_text(json.dumps(body))
        assert cache.load("c") is None


def test_cache_keys_are_sanitised_into_distinct_safe_names(
    clock: FakeClock, tmp_path: Path
) -> None:
    cache = TokenCache(tmp_path / "tokens", clock=clock)
    keys = ["../escape", "a/b", "a_b", "prod-acme.test", "", "..", "ümlaut"]
    for index, key in enumerate(keys):
        cache.save(key, f"t{index}", T0 + 10 + index)
    paths = {cache.path_for(key) for key in keys}
    assert len(paths) == len(keys)
    assert all(path.parent == cache.directory for path in paths)
    assert cache.path_for("prod-acme.test").name == "prod-acme.test.json"
    for index, key in enumerate(keys):
        loaded = cache.load(key)
        assert loaded is not None and loaded.access_token == f"t{index}"
    assert sorted(tmp_path.iterdir()) == [cache.directory]


def test_cache_list_and_delete_all(clock: FakeClock, tmp_path: Path) -> None:
    cache = TokenCache(tmp_path, clock=clock)
    cache.save("test-acme", "x", T0 - 5)  # expired, still listed
    cache.save("prod-acme", "y", T0 + 50)
    (tmp_path / "garbage.json").write_text("nope")
    assert cache.list() == [("prod-acme", T0 + 50), ("test-acme", T0 - 5)]
    assert cache.delete_all() == 3
    assert cache.list() == []
    assert list(tmp_path.iterdir()) == []


def test_cache_in_a_missing_directory_is_empty(tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "nowhere")
    assert cache.load("k") is None
    assert cache.list() == []
    assert cache.delete_all() == 0


def test_null_cache_stores_nothing(
    mock: respx.MockRouter, tokens: TokenService, clock: FakeClock
) -> None:
    cache = NullTokenCache()
    cache.save("k", "abc", T0 + 1000)
    assert cache.load("k") is None and cache.list() == [] and cache.delete_all() == 0
    with httpx.Client() as client:
        make_auth(clock, cache=cache, cache_key="k").get_token(client)
        make_auth(clock, cache=cache, cache_key="k").get_token(client)
    assert tokens.count == 2


def test_default_token_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = default_token_cache_dir()
    assert path.name == "tokens" and path.parent.name == "ofsc"
    if sys.platform.startswith("linux"):
        assert path == tmp_path / "ofsc" / "tokens"
