"""Transport failures: every one a typed error with a documented exit code, exports that stop
early (401, server down) with the right code, retries announced on stderr, and
``ofsc api --paginate`` retrying pages like the other exports without mixing an error body into
its output."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from raw_servers import ANSWERS, DECODING, PROTOCOL, RawServer, refused_port
from served_cli import Cli
from typer.testing import CliRunner, Result

from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.errors import EXIT_API, EXIT_AUTH, EXIT_NETWORK, exit_code_for
from ofsc_cli.client import OFSC, AsyncOFSC, CircuitBreakers, RetryNotice, RetryPolicy
from ofsc_cli.client.export import ActivityExport, ActivityQuery, ExportIncompleteError
from ofsc_cli.client.http import error_from_exception
from ofsc_cli.errors import (
    OFSAPIError,
    OFSAuthenticationError,
    OFSConnectionError,
    OFSError,
    OFSRetriesExhaustedError,
    OFSSerializationError,
)
from ofsc_cli.sandbox import Faults, ServerHandle

FAST = RetryPolicy(max_attempts=3, backoff_base=0.001, max_delay=0.01)
FAST_ENV = {"OFSC_RETRY_BACKOFF": "0.001", "OFSC_MAX_RETRY_DELAY": "0.01"}


def _httpx_errors() -> list[type[httpx.HTTPError]]:
    found: list[type[httpx.HTTPError]] = []
    todo: list[type[httpx.HTTPError]] = [httpx.HTTPError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted({c for c in found if c.__module__.startswith("httpx")}, key=lambda c: c.__name__)


def _instance(cls: type[httpx.HTTPError], request: httpx.Request) -> httpx.HTTPError:
    if issubclass(cls, httpx.HTTPStatusError):
        return cls("boom", request=request, response=httpx.Response(500, request=request))
    if issubclass(cls, httpx.RequestError):
        return cls("boom", request=request)
    error = cls("boom")  # HTTPError itself
    error.request = request
    return error


# -- the mapping: no httpx error escapes untyped ----------------------------------------------


@pytest.mark.parametrize("cls", _httpx_errors(), ids=lambda c: c.__name__)
def test_every_httpx_error_maps_to_a_typed_error_with_exit_1_or_6(
    cls: type[httpx.HTTPError],
) -> None:
    request = httpx.Request("GET", "https://acme.example.com/rest/x?client_secret=s3cret")
    error = error_from_exception(_instance(cls, request), request)
    assert isinstance(error, OFSError)
    assert exit_code_for(error) in (EXIT_API, EXIT_NETWORK)
    assert error.method == "GET" and "s3cret" not in str(error) and "s3cret" not in error.url
    if issubclass(cls, httpx.TransportError) and not issubclass(cls, httpx.DecodingError):
        assert exit_code_for(error) == EXIT_NETWORK


def _raising(cls: type[httpx.HTTPError], calls: list[int]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise _instance(cls, request)

    return httpx.MockTransport(handler)


TRANSPORT_ERRORS = [c for c in _httpx_errors() if not issubclass(c, httpx.HTTPStatusError)]


@pytest.mark.parametrize("cls", TRANSPORT_ERRORS, ids=lambda c: c.__name__)
def test_the_send_flow_types_every_transport_error_sync_and_async(
    cls: type[httpx.HTTPError],
) -> None:
    calls: list[int] = []
    options: dict[str, Any] = {"retry": FAST, "breakers": CircuitBreakers(failure_threshold=0)}
    client = OFSC("acme", "id", "secret", transport=_raising(cls, calls), **options)
    with client, pytest.raises(OFSError) as caught:
        client.request("GET", "/rest/ofscCore/v1/resources")
    sync_calls = len(calls)

    async def run() -> OFSError:
        transport = _raising(cls, calls)
        async with AsyncOFSC("acme", "id", "secret", transport=transport, **options) as client:
            with pytest.raises(OFSError) as got:
                await client.request("GET", "/rest/ofscCore/v1/resources")
        return got.value

    calls.clear()
    async_error = asyncio.run(run())
    for error in (caught.value, async_error):
        assert exit_code_for(error) in (EXIT_API, EXIT_NETWORK), repr(error)
    # The transient kinds are retried; the others (decoding, local protocol, scheme) are not.
    assert sync_calls == len(calls) in (1, FAST.max_attempts)


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_a_garbled_answer_is_a_typed_error_sync_and_async(name: str) -> None:
    expected = OFSSerializationError if name in DECODING else OFSConnectionError
    with RawServer(ANSWERS[name]) as server:
        options: dict[str, Any] = {"base_url": server.url, "retry": FAST}
        client = OFSC("local", "id", "secret", **options)
        with client, pytest.raises(OFSError) as caught:
            client.metadata.list_work_zones()
        error = caught.value
        cause = error.last_error if isinstance(error, OFSRetriesExhaustedError) else error
        assert isinstance(cause, expected), repr(error)
        sync_requests = server.requests
        # Protocol errors are transient (retried); an undecodable body is not asked again.
        assert sync_requests == (1 if name in DECODING else FAST.max_attempts)

        async def run() -> None:
            async with AsyncOFSC("local", "id", "secret", **options) as client:
                with pytest.raises(OFSError) as got:
                    await client.metadata.list_work_zones()
            assert exit_code_for(got.value) == exit_code_for(error)

        asyncio.run(run())
    assert exit_code_for(error) == (EXIT_API if name in DECODING else EXIT_NETWORK)


def test_a_server_s_control_characters_never_reach_the_message() -> None:
    with RawServer(b"HTTP/1.1 200 \x1b]0;pwned\x07\x1b[2J\r\n\r\n") as server:
        client = OFSC("local", "id", "secret", base_url=server.url, retry=FAST)
        with client, pytest.raises(OFSError) as caught:
            client.metadata.list_work_zones()
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)


# -- retries: announced, bounded ----------------------------------------------------------------


def test_each_retry_is_announced_with_the_url_redacted() -> None:
    answers = iter([httpx.Response(503), httpx.Response(429, headers={"Retry-After": "2"})])
    notices: list[RetryNotice] = []
    slept: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return next(answers, httpx.Response(200, json={"items": []}))

    with OFSC(
        "acme",
        "id",
        "secret",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(backoff_base=0),
        on_retry=notices.append,
        sleep=slept.append,
    ) as client:
        client.request("GET", "/rest/x", params={"client_secret": "s3cret"})
    assert [str(n) for n in notices] == [
        "retrying GET https://acme.fs.ocs.oraclecloud.com/rest/x?client_secret=%2A%2A%2A%2A in 0.0s"
        " (attempt 2/4): HTTP 503 Service Unavailable",
        "retrying GET https://acme.fs.ocs.oraclecloud.com/rest/x?client_secret=%2A%2A%2A%2A in 2.0s"
        " (attempt 3/4): HTTP 429 Too Many Requests",
    ]
    assert slept == [0.0, 2.0]


def test_a_circuit_opening_mid_retries_ends_them_as_a_network_error() -> None:
    with refused_port() as port:
        breakers = CircuitBreakers(failure_threshold=2, reset_timeout=60)
        retry = RetryPolicy(max_attempts=10, backoff_base=0.001)
        base = f"http://127.0.0.1:{port}"
        client = OFSC("local", "id", "secret", base_url=base, retry=retry, breakers=breakers)
        with client, pytest.raises(OFSRetriesExhaustedError) as caught:
            client.metadata.list_work_zones()
    assert "circuit now open" in str(caught.value) and caught.value.attempts == 2
    assert isinstance(caught.value.last_error, OFSConnectionError)
    assert exit_code_for(caught.value) == EXIT_NETWORK


# -- exports: a 401 exits 4, a dead server 6, and neither runs through every slice -----------


def _days(n: int) -> ActivityQuery:
    first = dt.date(2026, 11, 1)
    return ActivityQuery(
        resources=("R",), date_from=first, date_to=first + dt.timedelta(days=n - 1)
    )


async def test_a_401_mid_export_stops_it_and_is_an_auth_error() -> None:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        day = request.url.params["dateFrom"]
        asked.append(day)
        if day >= "2026-11-03":
            return httpx.Response(401, json={"title": "Unauthorized", "detail": "token expired"})
        return httpx.Response(200, json={"items": [{"activityId": len(asked)}]})

    transport = httpx.MockTransport(handler)
    async with AsyncOFSC("acme", "id", "secret", transport=transport) as client:
        export = ActivityExport(client, _days(30), concurrency=1)
        got = []
        with pytest.raises(ExportIncompleteError) as caught:
            async for item in export.items():
                got.append(item)
    error = caught.value
    assert len(got) == 2 and isinstance(error.last_error, OFSAuthenticationError)
    assert exit_code_for(error) == EXIT_AUTH
    assert len(asked) == 3  # the other 27 days were not asked: they would fail the same way
    assert [m.task.label for m in error.missing][:2] == ["2026-11-03", "2026-11-04"]
    assert len(error.missing) == 28 and "and 23 more" in str(error)


async def test_a_page_failing_for_its_own_reason_does_not_stop_the_export() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params["dateFrom"] == "2026-11-02":
            return httpx.Response(400, json={"title": "Bad Request"})
        return httpx.Response(200, json={"items": [{"activityId": 1}]})

    async with AsyncOFSC("acme", "id", "secret", transport=httpx.MockTransport(handler)) as c:
        export = ActivityExport(c, _days(4), concurrency=1)
        with pytest.raises(ExportIncompleteError) as caught:
            _ = [item async for item in export.items()]
    assert caught.value.stopped is None and caught.value.exported == 3
    assert exit_code_for(caught.value) == EXIT_API


@pytest.fixture
def cli(sandbox_server: ServerHandle, tmp_path: Path) -> Cli:
    return Cli(sandbox_server, tmp_path, **FAST_ENV)


EXPORTS = [
    ("core", "activities", "list", "--resources", "ROOT", "--date-from", "2026-11-01",
     "--date-to", "2026-11-30", "--all"),
    ("core", "resources", "list", "--all"),
    ("api", "/ofscCore/v1/resources", "--paginate"),
]  # fmt: skip


@pytest.mark.parametrize("argv", EXPORTS, ids=lambda a: " ".join(a[:3]))
def test_exports_with_bad_credentials_exit_4_with_one_line(cli: Cli, argv: tuple[str, ...]) -> None:
    cli.env["OFSC_CLIENT_SECRET"] = "wrong"
    result = cli.fails(EXIT_AUTH, *argv, "-o", "ndjson")
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "401" in result.stderr
    assert "ofsc auth test" in result.stderr and "wrong" not in result.stderr


@pytest.mark.parametrize("argv", EXPORTS, ids=lambda a: " ".join(a[:3]))
def test_exports_to_a_dead_server_say_so_as_they_retry_and_exit_6(
    cli: Cli, argv: tuple[str, ...]
) -> None:
    with refused_port() as port:
        cli.env["OFSC_BASE_URL"] = f"http://127.0.0.1:{port}"
        result = cli.fails(EXIT_NETWORK, *argv, "-o", "ndjson")
    *retries, last = result.stderr.splitlines()
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert retries and all(
        line.startswith("ofsc: retrying GET http://127.0.0.1:") for line in retries
    )
    assert all("(attempt " in line and "/4): cannot connect" in line for line in retries)
    assert "cannot reach server" in last
    # Within one retry budget: the export stops instead of trying all 30 days in turn.
    assert len(retries) <= 3 * 3
    assert len({line.split("dateFrom=")[-1][:10] for line in retries}) <= 3


def test_quiet_keeps_the_retry_lines_off(cli: Cli) -> None:
    with refused_port() as port:
        cli.env["OFSC_BASE_URL"] = f"http://127.0.0.1:{port}"
        result = cli.fails(EXIT_NETWORK, "core", "resources", "list", "--all", "-q")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("name", ["truncated-body", "corrupt-gzip"])
def test_a_garbled_export_page_exits_with_a_documented_code(cli: Cli, name: str) -> None:
    with RawServer(PROTOCOL.get(name) or DECODING[name]) as server:
        cli.env["OFSC_BASE_URL"] = server.url
        result = cli("core", "resources", "list", "--all", "-q", "-o", "ndjson")
    assert result.exit_code == (EXIT_API if name in DECODING else EXIT_NETWORK), result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


# -- ofsc api --paginate ------------------------------------------------------------------------


def _paged(fail: Callable[[int, int], httpx.Response | None]) -> Callable[..., httpx.Response]:
    """Users 0..8 in pages of 3; ``fail(offset, n)`` may answer the n-th ask of a page."""
    asks: dict[int, int] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        asks[offset] = asks.get(offset, 0) + 1
        failure = fail(offset, asks[offset])
        if failure is not None:
            return failure
        items = [{"login": f"u{i}"} for i in range(offset, min(offset + 3, 9))]
        return httpx.Response(
            200, json={"items": items, "hasMore": offset + 3 < 9, "totalResults": 9}
        )

    return handler


def _paginate(handler: Callable[..., httpx.Response], *extra: str) -> tuple[Result, list[float]]:
    slept: list[float] = []

    def factory(_: AppContext) -> OFSC:
        transport = httpx.MockTransport(handler)
        return OFSC("acme", "id", "secret", transport=transport, sleep=slept.append)

    args = ["api", "GET", "/ofscCore/v1/users", "-f", "limit=3", "--paginate", *extra]
    result = CliRunner().invoke(build_app(), args, obj=AppContext(client_factory=factory))
    return result, slept


def test_paginate_retries_429_and_500_pages_honouring_retry_after() -> None:
    def fail(offset: int, n: int) -> httpx.Response | None:
        if offset == 3 and n == 1:
            return httpx.Response(429, headers={"Retry-After": "7"})
        if offset == 6 and n == 1:
            return httpx.Response(500, json={"title": "Internal Server Error"})
        return None

    result, slept = _paginate(_paged(fail), "-o", "ndjson")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(x)["login"] for x in result.stdout.splitlines()] == [
        f"u{i}" for i in range(9)
    ]
    assert 7.0 in slept and len(slept) == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and "HTTP 429" in lines[0] and "HTTP 500" in lines[1]


@pytest.mark.parametrize("fmt", ["ndjson", "json"])
def test_a_failing_page_never_puts_its_error_body_on_stdout(fmt: str) -> None:
    def fail(offset: int, n: int) -> httpx.Response | None:
        if offset == 6:
            return httpx.Response(403, json={"title": "Forbidden", "detail": "ERROR-BODY-TEXT"})
        return None

    result, _ = _paginate(_paged(fail), "-o", fmt)
    assert result.exit_code == EXIT_AUTH
    assert "ERROR-BODY-TEXT" not in result.stdout and "Forbidden" not in result.stdout
    assert len(result.stderr.splitlines()) == 1 and "HTTP 403" in result.stderr
    if fmt == "ndjson":  # whole lines of the pages fetched
        assert [json.loads(x)["login"] for x in result.stdout.splitlines()] == [
            f"u{i}" for i in range(6)
        ]
    else:  # an array left open: an incomplete list is never mistaken for a whole one
        with pytest.raises(json.JSONDecodeError):
            json.loads(result.stdout)
        assert json.loads(result.stdout + "]") == [{"login": f"u{i}"} for i in range(6)]


def test_a_first_page_refused_writes_nothing_at_all() -> None:
    def fail(offset: int, n: int) -> httpx.Response | None:
        return httpx.Response(404, json={"title": "Not Found", "detail": "ERROR-BODY-TEXT"})

    result, _ = _paginate(_paged(fail), "-o", "json")
    assert result.exit_code == 5 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1


def test_paginate_through_an_emulator_that_rate_limits_and_fails(
    make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    clean = Cli(make_sandbox_server(), tmp_path)
    expected = clean.json("api", "GET", "/ofscCore/v1/users", "-f", "limit=100")
    # A seed whose first faults include a 500, which only the bulk-read policy retries.
    seed = next(s for s in range(200) if Faults(error_rate=0.25, seed=s).decide(2).status == 500)
    faults = Faults(
        error_rate=0.25, rate_limit_every=3, rate_limit_burst=1, retry_after=0, seed=seed
    )
    server = make_sandbox_server(faults=faults)
    cli = Cli(server, tmp_path, OFSC_MAX_RETRIES="8", **FAST_ENV)
    result = cli.ok("api", "GET", "/ofscCore/v1/users", "-f", "limit=2", "--paginate", "-o", "json")
    assert json.loads(result.stdout) == expected["items"]
    assert "HTTP 500" in result.stderr and "HTTP 429" in result.stderr


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield


def test_an_api_error_mapping_stays_an_api_error() -> None:
    request = httpx.Request("GET", "https://acme.example.com/x")
    redirects = error_from_exception(httpx.TooManyRedirects("loop", request=request), request)
    assert isinstance(redirects, OFSAPIError) and exit_code_for(redirects) == EXIT_API


async def test_an_export_waiting_for_an_open_circuit_says_so() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) <= 3:
            return httpx.Response(500, json={"title": "Internal Server Error"})
        return httpx.Response(200, json={"items": [{"activityId": 1}]})

    notices: list[RetryNotice] = []
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(min(seconds, 0.05))

    async with AsyncOFSC(
        "acme",
        "id",
        "secret",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(max_attempts=3, backoff_base=0).for_bulk_reads(),
        circuit_failure_threshold=2,
        circuit_reset_timeout=0.05,
        on_retry=notices.append,
    ) as client:
        export = ActivityExport(client, _days(1), sleep=sleep)
        assert [item async for item in export.items()] == [{"activityId": 1}]
    reasons = [n.reason for n in notices]
    assert reasons[0] == "HTTP 500 Internal Server Error"
    assert any(r.startswith("circuit open for acme.fs.ocs.oraclecloud.com") for r in reasons)
    assert waits
