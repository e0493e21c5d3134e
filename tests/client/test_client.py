"""The client core, for both clients: request building, errors, retries, circuit, paging."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ofsc_cli import (
    OFSC,
    AsyncOFSC,
    OFSAPIError,
    OFSAuthenticationError,
    OFSCircuitOpenError,
    OFSConnectionError,
    OFSRetriesExhaustedError,
    OFSValidationError,
)
from ofsc_cli.client import RetryPolicy
from ofsc_cli.models.metadata import WorkZone

Handler = Callable[[httpx.Request], httpx.Response]
SECRET = "s3cr3t-value"


class Recorder:
    """A fake server: a handler plus a record of the requests it saw and the sleeps asked."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def sync_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def make(kind: str, rec: Recorder, **options: Any) -> OFSC | AsyncOFSC:
    options.setdefault("retry", RetryPolicy(max_attempts=3, backoff_base=0.1, max_delay=5))
    if kind == "sync":
        return OFSC(
            "acme",
            "cli",
            SECRET,
            transport=httpx.MockTransport(rec),
            sleep=rec.sync_sleep,
            **options,
        )
    return AsyncOFSC(
        "acme",
        "cli",
        SECRET,
        transport=httpx.MockTransport(rec),
        sleep=rec.async_sleep,
        **options,
    )


async def call(client: OFSC | AsyncOFSC, fn: Callable[[OFSC | AsyncOFSC], Any]) -> Any:
    result = fn(client)
    if asyncio.iscoroutine(result):
        return await result
    return result


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def ofs_error(status: int, title: str, detail: str) -> httpx.Response:
    body = {"type": "about:blank", "title": title, "status": str(status), "detail": detail}
    return httpx.Response(status, json=body)


async def test_get_builds_url_auth_and_parses_model(kind: str) -> None:
    rec = Recorder(lambda r: httpx.Response(200, json={"workZoneLabel": "A B", "extra": 1}))
    client = make(kind, rec)
    zone = await call(client, lambda c: c.metadata.get_work_zone("A B+C"))
    assert isinstance(zone, WorkZone)
    assert zone.workZoneLabel == "A B"
    assert zone.to_dict() == {"workZoneLabel": "A B", "extra": 1}  # unknown field kept
    request = rec.requests[0]
    assert request.url.host == "acme.fs.ocs.oraclecloud.com"
    assert request.url.raw_path == b"/rest/ofscMetadata/v1/workZones/A%20B%2BC"
    assert request.headers["authorization"].startswith("Basic ")
    assert SECRET not in repr(client)


async def test_error_body_is_mapped_to_typed_error(kind: str) -> None:
    rec = Recorder(lambda r: ofs_error(404, "Not Found", "Work zone 'X' not found"))
    client = make(kind, rec)
    with pytest.raises(OFSAPIError) as info:
        await call(client, lambda c: c.metadata.get_work_zone("X"))
    err = info.value
    assert err.status_code == 404 and err.is_not_found
    assert err.status == "404" and err.title == "Not Found"
    assert err.detail == "Work zone 'X' not found"
    assert err.method == "GET"
    assert "HTTP 404 GET /rest/ofscMetadata/v1/workZones/X" in str(err)
    assert len(rec.requests) == 1


@pytest.mark.parametrize(
    ("status", "error"), [(400, OFSValidationError), (401, OFSAuthenticationError)]
)
async def test_status_classes(kind: str, status: int, error: type[Exception]) -> None:
    client = make(kind, Recorder(lambda r: ofs_error(status, "Bad", "nope")))
    with pytest.raises(error):
        await call(client, lambda c: c.metadata.get_work_zone("X"))


async def test_retry_after_is_honoured_then_success(kind: str) -> None:
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "2"}),
            httpx.Response(503),
            httpx.Response(200, json={"workZoneLabel": "Z"}),
        ]
    )
    rec = Recorder(lambda r: next(answers))
    client = make(kind, rec)
    zone = await call(client, lambda c: c.metadata.get_work_zone("Z"))
    assert zone.workZoneLabel == "Z"
    assert len(rec.requests) == 3
    assert rec.sleeps[0] == 2.0
    assert 0 <= rec.sleeps[1] <= 0.2  # full jitter, second failure: base * 2


async def test_retries_exhausted_carries_last_error(kind: str) -> None:
    rec = Recorder(lambda r: ofs_error(503, "Service Unavailable", "down"))
    client = make(kind, rec)
    with pytest.raises(OFSRetriesExhaustedError) as info:
        await call(client, lambda c: c.metadata.get_work_zone("Z"))
    assert info.value.attempts == 3
    assert info.value.last_error.status_code == 503
    assert len(rec.requests) == 3


async def test_post_is_not_retried_on_503(kind: str) -> None:
    rec = Recorder(lambda r: ofs_error(503, "Service Unavailable", "down"))
    client = make(kind, rec)
    with pytest.raises(OFSAPIError):
        await call(client, lambda c: c.oauth2.token_v2())
    assert len(rec.requests) == 1
    assert rec.sleeps == []


async def test_connection_errors_are_retried_then_reported(kind: str) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    rec = Recorder(refuse)
    client = make(kind, rec)
    with pytest.raises(OFSRetriesExhaustedError) as info:
        await call(client, lambda c: c.metadata.get_work_zone("Z"))
    assert isinstance(info.value.last_error, OFSConnectionError)
    assert len(rec.requests) == 3


async def test_circuit_opens_and_fails_fast(kind: str) -> None:
    rec = Recorder(lambda r: httpx.Response(500))
    client = make(kind, rec, retry=RetryPolicy(max_attempts=1), circuit_failure_threshold=2)
    for _ in range(2):
        with pytest.raises(OFSAPIError):
            await call(client, lambda c: c.metadata.get_work_zone("Z"))
    with pytest.raises(OFSCircuitOpenError) as info:
        await call(client, lambda c: c.metadata.get_work_zone("Z"))
    assert "circuit open for acme.fs.ocs.oraclecloud.com" in str(info.value)
    assert len(rec.requests) == 2  # the third never left


def _zone_pages(total: int, omit_has_more: bool = False) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        limit = int(request.url.params.get("limit", 100))
        items = [{"workZoneLabel": f"Z{i:03d}"} for i in range(offset, min(total, offset + limit))]
        body: dict[str, Any] = {"items": items, "offset": offset, "limit": limit}
        more = offset + len(items) < total
        if not omit_has_more or more:
            body["hasMore"] = more
        if not omit_has_more:
            body["totalResults"] = total
        return httpx.Response(200, json=body)

    return handler


async def test_paging_iterates_every_item_once(kind: str) -> None:
    rec = Recorder(_zone_pages(250))
    client = make(kind, rec)
    if isinstance(client, OFSC):
        labels = [z.workZoneLabel for z in client.metadata.list_work_zones.iter()]
    else:
        labels = [z.workZoneLabel async for z in client.metadata.list_work_zones.iter()]
    assert labels == [f"Z{i:03d}" for i in range(250)]
    assert [r.url.params["offset"] for r in rec.requests] == ["0", "100", "200"]
    assert all(r.url.params["limit"] == "100" for r in rec.requests)


async def test_paging_without_has_more_on_last_page(kind: str) -> None:
    rec = Recorder(_zone_pages(150, omit_has_more=True))
    client = make(kind, rec)
    if isinstance(client, OFSC):
        count = sum(1 for _ in client.metadata.list_work_zones.iter())
    else:
        count = len([z async for z in client.metadata.list_work_zones.iter()])
    assert count == 150
    assert len(rec.requests) == 2


async def test_async_concurrent_pages_keep_order_and_bound_concurrency() -> None:
    in_flight = 0
    peak = 0
    handler = _zone_pages(1000)

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        # later offsets answer faster, to prove the output order does not depend on timing
        await asyncio.sleep(0.02 - int(request.url.params["offset"]) / 100000)
        in_flight -= 1
        return handler(request)

    client = AsyncOFSC("acme", "cli", SECRET, transport=httpx.MockTransport(slow))
    labels = [z.workZoneLabel async for z in client.metadata.list_work_zones.iter(concurrency=4)]
    assert labels == [f"Z{i:03d}" for i in range(1000)]
    assert 1 < peak <= 4
    await client.aclose()


async def test_body_is_sent_as_json_and_form_for_token(kind: str) -> None:
    rec = Recorder(lambda r: httpx.Response(200, json={"access_token": "t", "expires_in": 60}))
    client = make(kind, rec)
    token = await call(client, lambda c: c.oauth2.token_v2())
    assert token.access_token == "t"
    assert "t" not in repr(token).replace("token_type", "").replace("Token", "")
    assert rec.requests[0].content == b"grant_type=client_credentials"
    assert json.loads(json.dumps({"ok": 1})) == {"ok": 1}


def test_offset_paging_planner_rules() -> None:
    from ofsc_cli.client._endpoint import OffsetPaging
    from ofsc_cli.models import Page

    def page(n: int, **kw: Any) -> Page[Any]:
        return Page[Any](items=list(range(n)), **kw)

    plan = OffsetPaging(0, 10)
    assert plan.advance(page(10, hasMore=True)) and plan.offset == 10
    assert not plan.advance(page(3, hasMore=False)) and plan.offset == 13
    # either signal suffices: a stale hasMore=false with items left by totalResults goes on
    assert OffsetPaging(0, 10).advance(page(10, hasMore=False, totalResults=30))
    # hasMore true with a short page (activities under the 20 MB cap): keep going
    assert OffsetPaging(0, 10).advance(page(4, hasMore=True))
    # totalResults only
    plan = OffsetPaging(0, 10)
    assert plan.advance(page(10, totalResults=25))
    assert not OffsetPaging(20, 10).advance(page(5, totalResults=25))
    # neither: full pages continue, a short one stops, an empty one always stops
    assert OffsetPaging(0, 10).advance(page(10))
    assert not OffsetPaging(0, 10).advance(page(9))
    assert not OffsetPaging(0, 10).advance(page(0, hasMore=True))
    assert not OffsetPaging(0, None).advance(page(10))


def test_retry_settings_are_applied_on_top_of_the_policy() -> None:
    client = OFSC("acme", "cli", SECRET, max_retries=5, max_retry_delay=7.0, retry_backoff=0.25)
    assert client.retry.max_attempts == 6
    assert client.retry.max_delay == 7.0
    assert client.retry.backoff_base == 0.25
    default = OFSC("acme", "cli", SECRET)
    assert default.retry == RetryPolicy()


async def test_raw_pages_keep_items_as_sent(kind: str) -> None:
    rec = Recorder(_zone_pages(150))
    client = make(kind, rec)
    if isinstance(client, OFSC):
        items = list(client.metadata.list_work_zones.raw().iter())
    else:
        items = [z async for z in client.metadata.list_work_zones.raw().iter(concurrency=2)]
    assert items == [{"workZoneLabel": f"Z{i:03d}"} for i in range(150)]
    assert all(type(item) is dict for item in items)
    # the original stays typed
    if isinstance(client, OFSC):
        assert isinstance(next(client.metadata.list_work_zones.iter()), WorkZone)
