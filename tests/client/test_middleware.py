"""Middleware around each request (sync and async), the rate limit, profile-registered
factories, and the answer behind a result (``last_response``, ``response_of``,
``page.response``)."""

from __future__ import annotations

import asyncio
import sys
import types
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ofsc_cli.client import OFSC, AsyncOFSC, RetryPolicy
from ofsc_cli.client.middleware import (
    AsyncCallNext,
    CallNext,
    RateLimit,
    load_middleware,
    response_of,
)
from ofsc_cli.errors import (
    OFSAPIError,
    OFSConfigurationError,
    OFSConnectionError,
    OFSValidationError,
)
from ofsc_cli.models import dump
from ofsc_cli.sandbox import ServerHandle
from tests.served_cli import async_client, make_cli, sync_client

NO_RETRY = RetryPolicy(max_attempts=1)
ZONES = "/rest/ofscMetadata/v1/workZones"


def tagger(name: str, log: list[str]) -> Callable[[httpx.Request, CallNext], httpx.Response]:
    def middleware(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        log.append(f"{name}>")
        response = call_next(request)
        log.append(f"<{name}")
        return response

    return middleware


def async_tagger(
    name: str, log: list[str]
) -> Callable[[httpx.Request, AsyncCallNext], Awaitable[httpx.Response]]:
    async def middleware(request: httpx.Request, call_next: AsyncCallNext) -> httpx.Response:
        log.append(f"{name}>")
        response = await call_next(request)
        log.append(f"<{name}")
        return response

    return middleware


@pytest.fixture
def received(sandbox_server: ServerHandle, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The requests the served emulator receives (as the server parsed them)."""
    seen: list[Any] = []
    emulator = sandbox_server.emulator
    handle = emulator.handle

    def recording(request: Any) -> Any:
        seen.append(request)
        return handle(request)

    monkeypatch.setattr(emulator, "handle", recording)
    return seen


def test_sync_middleware_run_in_order_and_headers_reach_the_server(
    sandbox_server: ServerHandle, received: list[Any]
) -> None:
    log: list[str] = []

    def stamp(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        request.headers["X-Request-Source"] = "nightly-sync"
        return call_next(request)

    middleware = [tagger("a", log), stamp, tagger("b", log)]
    with sync_client(sandbox_server, middleware=middleware) as client:
        page = client.metadata.list_work_zones()
    assert page.items
    assert log == ["a>", "b>", "<b", "<a"]
    assert received[-1].headers["x-request-source"] == "nightly-sync"


def test_async_middleware_run_in_order_and_headers_reach_the_server(
    sandbox_server: ServerHandle, received: list[Any]
) -> None:
    log: list[str] = []

    async def stamp(request: httpx.Request, call_next: AsyncCallNext) -> httpx.Response:
        request.headers["X-Request-Source"] = "nightly-async"
        return await call_next(request)

    async def run() -> None:
        middleware = [async_tagger("a", log), stamp, async_tagger("b", log)]
        async with async_client(sandbox_server, middleware=middleware) as client:
            page = await client.metadata.list_work_zones()
            assert page.items

    asyncio.run(run())
    assert log == ["a>", "b>", "<b", "<a"]
    assert received[-1].headers["x-request-source"] == "nightly-async"


def test_a_middleware_may_answer_without_calling_next(
    sandbox_server: ServerHandle, received: list[Any]
) -> None:
    def cached(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        return httpx.Response(200, json={"workZoneLabel": "CACHED", "status": "active"})

    async def acached(request: httpx.Request, call_next: AsyncCallNext) -> httpx.Response:
        return cached(request, lambda r: httpx.Response(500))

    with sync_client(sandbox_server, middleware=[cached]) as client:
        zone = client.metadata.get_work_zone("NORTH")
    assert zone.workZoneLabel == "CACHED"
    assert response_of(zone) is client.last_response
    assert zone.model_dump(exclude_unset=True) == {"workZoneLabel": "CACHED", "status": "active"}

    async def run() -> str:
        async with async_client(sandbox_server, middleware=[acached]) as client:
            return (await client.metadata.get_work_zone("NORTH")).workZoneLabel

    assert asyncio.run(run()) == "CACHED"
    assert received == []  # nothing was sent


def test_errors_raised_in_middleware(sandbox_server: ServerHandle) -> None:
    def refuse(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        raise OFSValidationError("refused by policy")

    def broken(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    def buggy(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        raise KeyError("bug")

    with sync_client(sandbox_server, middleware=[refuse]) as client:
        with pytest.raises(OFSValidationError, match="refused by policy"):
            client.metadata.list_work_zones()
        assert client.last_response is None
    # An httpx error is a transport failure: typed as one (and retried when transient).
    options: dict[str, Any] = {"middleware": [broken], "retry": NO_RETRY}
    with sync_client(sandbox_server, **options) as client, pytest.raises(OFSConnectionError):
        client.metadata.list_work_zones()
    with sync_client(sandbox_server, middleware=[buggy]) as client, pytest.raises(KeyError):
        client.metadata.list_work_zones()

    async def arefuse(request: httpx.Request, call_next: AsyncCallNext) -> httpx.Response:
        raise OFSValidationError("refused by policy")

    async def run() -> None:
        async with async_client(sandbox_server, middleware=[arefuse]) as client:
            await client.metadata.list_work_zones()

    with pytest.raises(OFSValidationError, match="refused by policy"):
        asyncio.run(run())


def test_middleware_runs_once_per_attempt_inside_the_retries() -> None:
    answers = iter([503, 503, 200])
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("X-Attempt", ""))
        return httpx.Response(next(answers), json={"items": []})

    attempts: list[int] = []
    statuses: list[int] = []

    def count(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        attempts.append(len(attempts) + 1)
        request.headers["X-Attempt"] = str(len(attempts))
        response = call_next(request)
        statuses.append(response.status_code)
        return response

    client = OFSC(
        "acme",
        "id",
        "secret",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(max_attempts=3, backoff_base=0),
        sleep=lambda seconds: None,
        middleware=[count],
    )
    with client:
        client.metadata.list_work_zones()
        assert client.last_response is not None and client.last_response.status_code == 200
    assert attempts == [1, 2, 3] and statuses == [503, 503, 200]
    assert sent == ["1", "2", "3"]


def test_a_short_circuit_answer_is_judged_by_the_retry_policy() -> None:
    calls: list[int] = []

    async def flaky(request: httpx.Request, call_next: AsyncCallNext) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(503)
        return await call_next(request)

    async def run() -> int:
        transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"items": []}))

        async def no_sleep(seconds: float) -> None:
            return None

        async with AsyncOFSC(
            "acme",
            "id",
            "secret",
            transport=transport,
            retry=RetryPolicy(max_attempts=2, backoff_base=0),
            sleep=no_sleep,
            middleware=[flaky],
        ) as client:
            await client.metadata.list_work_zones()
            assert client.last_response is not None
            return client.last_response.status_code

    assert asyncio.run(run()) == 200 and len(calls) == 2


def test_the_wrong_kind_of_middleware_is_refused() -> None:
    async def asynchronous(request: httpx.Request, call_next: AsyncCallNext) -> httpx.Response:
        return await call_next(request)

    def synchronous(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        return call_next(request)

    with pytest.raises(OFSConfigurationError, match="sync callable"):
        OFSC("acme", "id", "secret", middleware=[asynchronous])
    with pytest.raises(OFSConfigurationError, match="async callable"):
        AsyncOFSC("acme", "id", "secret", middleware=[synchronous])
    with pytest.raises(OFSConfigurationError, match="sync callable"):
        OFSC("acme", "id", "secret", middleware=[42])


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def test_rate_limit_token_bucket_with_a_fake_clock() -> None:
    clock = FakeClock()
    limit = RateLimit(2, burst=2, clock=clock, sleep=clock.sleep)
    ok: CallNext = lambda request: httpx.Response(200)  # noqa: E731
    request = httpx.Request("GET", "https://acme.example.com/")
    for _ in range(4):
        limit(request, ok)
    # A burst of two, then one every half second.
    assert clock.slept == [0.5, 0.5]
    clock.now += 10  # idle: the bucket refills, but only up to the burst
    clock.slept.clear()
    for _ in range(3):
        limit(request, ok)
    assert clock.slept == [0.5]
    with pytest.raises(OFSConfigurationError):
        RateLimit(0)
    with pytest.raises(OFSConfigurationError):
        RateLimit(1, burst=0)


def test_rate_limit_paces_each_attempt_of_both_clients(sandbox_server: ServerHandle) -> None:
    clock = FakeClock()
    limit = RateLimit(4, burst=1, clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep)
    with sync_client(sandbox_server, middleware=[limit]) as client:
        for _ in range(3):
            client.metadata.list_work_zones()
    assert clock.slept == [0.25, 0.25]

    async def run() -> None:
        async with async_client(sandbox_server, middleware=[limit]) as client:
            await client.metadata.list_work_zones()

    asyncio.run(run())
    assert clock.slept == [0.25, 0.25, 0.25]


@pytest.fixture
def factory_module(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    """An importable module ``ofsc_test_mw`` with middleware factories."""
    module = types.ModuleType("ofsc_test_mw")
    module.made = []  # type: ignore[attr-defined]

    def stamp() -> Any:
        def middleware(request: httpx.Request, call_next: CallNext) -> httpx.Response:
            request.headers["X-From-Profile"] = "yes"
            return call_next(request)

        module.made.append(middleware)  # type: ignore[attr-defined]
        return middleware

    module.stamp = stamp  # type: ignore[attr-defined]
    module.limit = lambda: RateLimit(1000)  # type: ignore[attr-defined]
    module.nothing = lambda: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ofsc_test_mw", module)
    yield module


def _profile(tmp_path: Path, server: ServerHandle, middleware: list[str]) -> Path:
    entries = ", ".join(f'"{spec}"' for spec in middleware)
    path = tmp_path / "config.toml"
    path.write_text(
        "[profiles.mw]\n"
        f'base_url = "{server.url}"\n'
        'instance = "sandbox"\nclient_id = "demo"\nclient_secret = "demo-secret"\n'
        f"middleware = [{entries}]\n",
        encoding="utf-8",
    )
    return path


def test_profile_registered_middleware(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sandbox_server: ServerHandle,
    received: list[Any],
    factory_module: types.ModuleType,
) -> None:
    monkeypatch.setenv(
        "OFSC_CONFIG", str(_profile(tmp_path, sandbox_server, ["ofsc_test_mw:stamp"]))
    )
    log: list[str] = []
    with OFSC.from_profile("mw", middleware=[tagger("mine", log)]) as client:
        client.metadata.list_work_zones()
        assert client.middleware[0] is factory_module.made[-1]  # the profile's outermost
    assert received[-1].headers["x-from-profile"] == "yes" and log == ["mine>", "<mine"]
    with OFSC.from_profile("mw"):
        pass
    assert len(factory_module.made) == 2  # one middleware per client
    # The CLI builds its clients from the same profile.
    cli = make_cli(sandbox_server, tmp_path)
    cli.env["OFSC_CONFIG"] = str(tmp_path / "config.toml")
    cli.env["OFSC_BASE_URL"] = None  # type: ignore[assignment]
    cli.ok("-p", "mw", "metadata", "work-zones", "list", "-o", "json")
    assert received[-1].headers["x-from-profile"] == "yes"


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("no_colon", "expected 'package.module:factory'"),
        ("ofsc_no_such_module_xyz:f", "cannot import"),
        ("ofsc_test_mw:missing", "has no missing"),
        ("ofsc_test_mw:nothing", "not a middleware"),
    ],
)
def test_a_bad_middleware_spec_names_the_key(
    spec: str,
    problem: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sandbox_server: ServerHandle,
    factory_module: types.ModuleType,
) -> None:
    with pytest.raises(OFSConfigurationError, match="middleware") as caught:
        load_middleware(spec)
    assert problem in str(caught.value)
    config = _profile(tmp_path, sandbox_server, [spec])
    monkeypatch.setenv("OFSC_CONFIG", str(config))
    with pytest.raises(OFSConfigurationError, match=f"profile mw: middleware '{spec}'"):
        OFSC.from_profile("mw")
    cli = make_cli(sandbox_server, tmp_path)
    cli.env["OFSC_CONFIG"] = str(config)
    result = cli.fails(3, "-p", "mw", "metadata", "work-zones", "list")
    assert "middleware" in result.stderr


def test_a_profile_factory_for_both_clients(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sandbox_server: ServerHandle,
    factory_module: types.ModuleType,
) -> None:
    monkeypatch.setenv(
        "OFSC_CONFIG", str(_profile(tmp_path, sandbox_server, ["ofsc_test_mw:limit"]))
    )

    async def run() -> None:
        async with AsyncOFSC.from_profile("mw") as client:
            assert isinstance(client.middleware[0].__self__, RateLimit)  # type: ignore[attr-defined]
            await client.metadata.list_work_zones()

    asyncio.run(run())
    with OFSC.from_profile("mw") as client:
        assert isinstance(client.middleware[0], RateLimit)


def test_the_answer_behind_results_pages_and_items(sandbox_server: ServerHandle) -> None:
    with sync_client(sandbox_server) as client:
        assert client.last_response is None
        page = client.metadata.list_work_zones()
        first = client.last_response
        assert first is not None and first.status_code == 200
        assert page.response is first and response_of(page) is first
        assert response_of(page.items[0]) is first
        assert first.request.url.path == ZONES
        assert first.elapsed.total_seconds() >= 0 and "content-type" in first.headers
        # Not part of the model: it serialises exactly as before.
        assert "response" not in dump(page) and dump(page) == first.json()

        label = page.items[0].workZoneLabel
        zone = client.metadata.get_work_zone(label)
        assert response_of(zone) is client.last_response is not first
        assert response_of(zone.model_copy()) is None

        pages = list(client.metadata.list_work_zones.pages(limit=1))
        assert len(pages) > 1
        answers = [p.response for p in pages]
        assert all(a is not None for a in answers) and len({id(a) for a in answers}) == len(pages)
        offsets = [a.request.url.params["offset"] for a in answers if a is not None]
        assert offsets == [str(i) for i in range(len(pages))]

        with pytest.raises(OFSAPIError):
            client.metadata.get_work_zone("NO-SUCH-ZONE")
        assert client.last_response is not None and client.last_response.status_code == 404


def test_the_answer_behind_results_async(sandbox_server: ServerHandle) -> None:
    async def run() -> None:
        async with async_client(sandbox_server) as client:
            page = await client.metadata.list_work_zones()
            assert page.response is client.last_response is not None
            pages = [p async for p in client.metadata.list_work_zones.pages(limit=1, concurrency=3)]
            assert all(p.response is not None for p in pages)
            assert {p.response.request.url.params["offset"] for p in pages if p.response} == {
                str(i) for i in range(len(pages))
            }

            # Each task has its own last response; the caller's is unchanged by them.
            async def label_of(label: str) -> str | None:
                await client.metadata.get_work_zone(label)
                answer = client.last_response
                return None if answer is None else answer.json()["workZoneLabel"]

            labels = [z.workZoneLabel for z in page.items[:3]]
            before = client.last_response
            assert await asyncio.gather(*(label_of(x) for x in labels)) == labels
            assert client.last_response is before

    asyncio.run(run())
