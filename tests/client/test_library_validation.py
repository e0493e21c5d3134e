"""The client checks a request against the API catalog before sending it.

Every kind of bad parameter is refused with an :class:`OFSValidationError` that names the
parameter and what was expected, and nothing reaches the server (counted by a transport in
front of the emulator); Python values pass as OFS receives them; ``validate=False`` sends.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from ofsc_cli.client import OFSC, AsyncOFSC
from ofsc_cli.errors import OFSValidationError
from ofsc_cli.sandbox import Emulator, EmulatorTransport, ServerHandle
from tests.served_cli import async_client, sync_client

BASE_URL = "https://sandbox.fs.ocs.oraclecloud.com"


class Counting(httpx.BaseTransport):
    """The emulator in-process, counting the requests that reach it."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = EmulatorTransport(emulator)
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return self.inner.handle_request(request)


@pytest.fixture
def counting(emulator: Emulator) -> Counting:
    return Counting(emulator)


@pytest.fixture
def client(counting: Counting) -> Iterator[OFSC]:
    with OFSC("sandbox", "demo", "demo-secret", base_url=BASE_URL, transport=counting) as c:
        yield c


def refused(call: Callable[[], Any], *expected: str) -> str:
    with pytest.raises(OFSValidationError) as caught:
        call()
    message = str(caught.value)
    for part in (*expected, "nothing sent"):
        assert part in message, message
    return message


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(
            lambda c: c.metadata.list_work_zones(limit="abc"),
            ("metadata.list_work_zones", "'limit'", "'abc' is not an integer"),
            id="wrong-type",
        ),
        pytest.param(
            lambda c: c.core.get_resource("TECH-0001", expand=["workSkills", "skills"]),
            ("'expand'", "'skills' is not one of", "workZones"),
            id="bad-enum-in-a-list",
        ),
        pytest.param(
            lambda c: c.core.list_activities(
                resources=["ROOT"], date_from="2025-11-01", date_to="2025-11-31"
            ),
            ("'dateTo'", "'2025-11-31' is not a date (YYYY-MM-DD)"),
            id="bad-date",
        ),
        pytest.param(
            lambda c: c.metadata.list_forms(limit=0),
            ("'limit'", "below the minimum 1"),
            id="limit-below-minimum",
        ),
        pytest.param(
            lambda c: c.metadata.list_work_zones(limit=-5),
            ("'limit'", "below the minimum 0"),
            id="negative-limit",
        ),
        pytest.param(
            lambda c: c.core.resources_in_area(lat=91, lng=10),
            ("'lat'", "above the maximum 90"),
            id="out-of-range",
        ),
        pytest.param(
            lambda c: c.core.get_position_history("TECH-0001", day=None),
            ("missing required query parameter 'date'",),
            id="missing-required-query",
        ),
        pytest.param(
            lambda c: c.metadata.create_work_zone(
                {"workZoneLabel": "Z1", "workZoneName": "Zone", "status": 7}
            ),
            ("body.status", "expected string, got integer"),
            id="bad-body-field-type",
        ),
        pytest.param(
            lambda c: c.metadata.create_work_zone(
                {"workZoneLabel": "Z1", "workZoneName": "Zone", "status": "deleted"}
            ),
            ("body.status", '"deleted" is not one of'),
            id="bad-body-enum",
        ),
    ],
)
def test_bad_parameters_are_refused_before_sending(
    client: OFSC, counting: Counting, call: Callable[[OFSC], Any], expected: tuple[str, ...]
) -> None:
    refused(lambda: call(client), *expected)
    assert counting.sent == []


def test_python_values_pass_as_they_are_sent(client: OFSC, counting: Counting) -> None:
    assert client.metadata.list_work_zones(limit=2).items
    client.core.list_activities(
        resources=["ROOT"],
        date_from=dt.date(2025, 11, 3),
        date_to="2025-11-03",
        include_non_scheduled=True,
        limit=5,
    )
    assert len(counting.sent) == 2
    query = counting.sent[1].url.params
    assert (query["dateFrom"], query["includeNonScheduled"]) == ("2025-11-03", "true")


def test_a_limit_above_the_maximum_is_left_to_the_server(live_emulator: Emulator) -> None:
    counting = Counting(live_emulator)
    with OFSC("sandbox", "demo", "demo-secret", base_url=BASE_URL, transport=counting) as client:
        page = client.metadata.list_forms(limit=100_000)  # a live tenant clamps it
    assert page.limit == 100 and len(counting.sent) == 1


def test_a_patch_body_is_partial_and_unknown_fields_pass(client: OFSC, counting: Counting) -> None:
    client.metadata.create_work_zone(
        {
            "workZoneLabel": "VAL_Z",
            "workZoneName": "Validation",
            "status": "active",
            "travelArea": "north",
            "XA_CUSTOM": "kept",
        }
    )
    client.core.update_resource("TECH-0001", {"name": "Renamed"})  # PATCH: required not checked
    assert len(counting.sent) == 2


def test_dry_run_build_is_checked(client: OFSC) -> None:
    spec = type(client.metadata).list_work_zones.spec
    from ofsc_cli.client._endpoint import Args

    refused(lambda: client.build(spec, Args(query={"limit": "x"})), "'limit'")
    assert client.build(spec, Args(query={"limit": 3})).url.params["limit"] == "3"


def test_paging_is_checked_before_the_first_page(client: OFSC, counting: Counting) -> None:
    refused(lambda: list(client.metadata.list_work_zones.iter(limit="ten")), "'limit'")
    assert counting.sent == []
    assert len(list(client.metadata.list_work_zones.iter(limit=2))) > 2


def test_validate_false_sends_and_the_server_answers(emulator: Emulator) -> None:
    counting = Counting(emulator)
    with (
        OFSC(
            "sandbox", "demo", "demo-secret", base_url=BASE_URL, transport=counting, validate=False
        ) as client,
        pytest.raises(OFSValidationError) as caught,
    ):
        client.metadata.list_work_zones(limit="abc")
    assert "HTTP 400" in str(caught.value) and "nothing sent" not in str(caught.value)
    assert len(counting.sent) == 1


def test_over_real_http_sync_and_async(sandbox_server: ServerHandle) -> None:
    with sync_client(sandbox_server) as client:
        refused(lambda: client.metadata.list_work_zones(limit="abc"), "'limit'")
        assert client.metadata.list_work_zones(limit=1).items

    async def run() -> None:
        async with async_client(sandbox_server) as aclient:
            with pytest.raises(OFSValidationError, match=r"'limit'.*nothing sent"):
                await aclient.metadata.list_work_zones(limit="abc")
            with pytest.raises(OFSValidationError, match="'dateTo'"):
                async for _ in aclient.core.list_activities.iter(
                    resources=["ROOT"], date_from="2025-11-01", date_to="11/02/2025"
                ):
                    pass
            page = await aclient.metadata.list_work_zones(limit=1)
            assert page.items

    asyncio.run(run())


def test_async_client_refuses_before_sending(emulator: Emulator) -> None:
    sent: list[httpx.Request] = []
    inner = EmulatorTransport(emulator)

    class AsyncCounting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            sent.append(request)
            await request.aread()
            return inner.handle_request(request)

    async def run() -> None:
        async with AsyncOFSC(
            "sandbox", "demo", "demo-secret", base_url=BASE_URL, transport=AsyncCounting()
        ) as client:
            with pytest.raises(OFSValidationError, match=r"body\.status"):
                await client.metadata.create_work_zone({"workZoneLabel": "Z", "status": 1})
            assert sent == []
            await client.metadata.list_work_zones(limit=1)
            assert len(sent) == 1

    asyncio.run(run())


def test_profile_setting_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from ofsc_cli.factory import client_options

    monkeypatch.setenv("OFSC_VALIDATE_REQUESTS", "false")
    options = client_options("sandbox", {}, asynchronous=False)
    assert options["validate"] is False
