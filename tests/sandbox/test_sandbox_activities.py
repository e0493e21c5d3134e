"""``GET activities`` emulation: required parameters, paging, fields, q, response cap."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ofsc_cli.sandbox import Emulator, EmulatorConfig, EmulatorTransport
from ofsc_cli.sandbox.handlers.activities import compile_filter

pytestmark = pytest.mark.live  # the emulator's own behaviour, as a live tenant answers

URL = "/rest/ofscCore/v1/activities"
NOV = "dateFrom=2026-11-01&dateTo=2026-11-30"


def get(client: httpx.Client, query: str, status: int = 200) -> Any:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == status, response.text
    return response.json()


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        (NOV, "resources"),
        ("resources=ROOT", "required unless includeNonScheduled"),
        ("resources=ROOT&dateFrom=2026-11-01", "together"),
        ("resources=ROOT&dateFrom=2026-11-01&dateTo=2026-12-02", "31 days"),
        ("resources=ROOT&dateFrom=2026-11-10&dateTo=2026-11-01", "before"),
        (f"resources=NOBODY&{NOV}", "NOBODY"),
        (f"resources=ROOT&{NOV}&fields=activityId,favouriteColour", "favouriteColour"),
        (f"resources=ROOT&{NOV}&q=status=", "q"),
        (f"resources=ROOT&{NOV}&q=shoe=='x'", "shoe"),
    ],
)
def test_parameter_errors(sandbox_client: httpx.Client, query: str, fragment: str) -> None:
    response = sandbox_client.get(f"{URL}?{query}")
    assert response.status_code in (400, 404)
    assert fragment in response.json()["detail"]


def test_a_31_day_range_is_accepted(sandbox_client: httpx.Client) -> None:
    get(sandbox_client, "resources=ROOT&dateFrom=2026-11-01&dateTo=2026-12-01&limit=1")


def test_pages_cover_everything_once_and_hasmore_is_omitted_at_the_end(
    sandbox_client: httpx.Client, emulator: Emulator
) -> None:
    expected = len(
        emulator.store.query_activities(None, date_from="2026-11-01", date_to="2026-11-30")
    )
    seen: list[int] = []
    offset = 0
    while True:
        body = get(sandbox_client, f"resources=ROOT&{NOV}&offset={offset}&limit=300")
        assert body["totalResults"] == expected  # live tenants send it (NOTES §9)
        assert (body["offset"], body["limit"]) == (offset, 300)
        seen += [a["activityId"] for a in body["items"]]
        offset += len(body["items"])
        if "hasMore" not in body:
            break
        assert body["hasMore"] is True
        assert any(link["rel"] == "next" for link in body["links"])
    assert len(seen) == len(set(seen)) == expected
    assert expected > 900


def test_limit_defaults_to_the_maximum(sandbox_client: httpx.Client) -> None:
    body = get(sandbox_client, f"resources=ROOT&{NOV}&limit=0")
    assert body["limit"] == 100_000
    assert "hasMore" not in body
    assert get(sandbox_client, f"resources=ROOT&{NOV}&limit=999999")["limit"] == 100_000


def test_offset_past_the_end(sandbox_client: httpx.Client) -> None:
    body = get(sandbox_client, f"resources=ROOT&{NOV}&offset=100000")
    assert body["items"] == [] and "hasMore" not in body


def test_fields_select_and_drop_empty_values(sandbox_client: httpx.Client) -> None:
    items = get(sandbox_client, f"resources=ROOT&{NOV}&fields=activityId,status,cust_contract_id")[
        "items"
    ]
    assert all(set(i) <= {"activityId", "status", "cust_contract_id"} for i in items)
    assert any("cust_contract_id" in i for i in items)
    assert any("cust_contract_id" not in i for i in items)


def test_include_children_and_dates(sandbox_client: httpx.Client) -> None:
    query = "dateFrom=2026-11-02&dateTo=2026-11-03&fields=resourceId,date"
    everything = get(sandbox_client, f"resources=BK_NORTH&{query}")["items"]
    assert everything and all(i["date"] in ("2026-11-02", "2026-11-03") for i in everything)
    assert len({i["resourceId"] for i in everything}) > 1
    none = get(sandbox_client, f"resources=BK_NORTH&includeChildren=none&{query}")["items"]
    assert none == []  # the bucket itself holds only non-scheduled activities
    team = get(sandbox_client, f"resources=BK_NORTH_A&includeChildren=immediate&{query}")["items"]
    assert team and {i["resourceId"] for i in team} <= {i["resourceId"] for i in everything}


def test_non_scheduled(sandbox_client: httpx.Client) -> None:
    only = get(sandbox_client, "resources=ROOT&includeNonScheduled=true&fields=activityId,date")[
        "items"
    ]
    assert only and all("date" not in i for i in only)
    both = get(sandbox_client, f"resources=ROOT&includeNonScheduled=true&{NOV}&fields=date")[
        "items"
    ]
    dated = get(sandbox_client, f"resources=ROOT&{NOV}&fields=date")["items"]
    assert len(both) == len(dated) + len(only)


def test_q_filter(sandbox_client: httpx.Client) -> None:
    q = "status=='pending' and (cust_tier in ['gold','platinum'] or job_priority == '1')"
    body = get(sandbox_client, f"resources=ROOT&{NOV}&fields=status,cust_tier,job_priority&q={q}")
    assert body["expression"] == q
    assert body["items"]
    for item in body["items"]:
        assert item["status"] == "pending"
        assert item["cust_tier"] in ("gold", "platinum") or item["job_priority"] == "1"


def test_compile_filter_semantics() -> None:
    fields = {"status", "duration", "customerName"}
    doc = {"status": "Pending", "duration": 45, "customerName": "O'Brien"}
    assert compile_filter("status == 'pending'", fields)(doc)  # case-insensitive
    assert compile_filter("duration > 30 and duration <= 45", fields)(doc)
    assert not compile_filter("not duration >= 45", fields)(doc)
    assert compile_filter("customerName == 'o~'brien'", fields)(doc)
    assert compile_filter("status in ('started', 'pending')", fields)(doc)
    assert compile_filter("customerName != 'x' or status == 'y'", fields)({})


def test_response_size_cap_returns_fewer_items_with_hasmore(emulator: Emulator) -> None:
    small = Emulator(emulator.store, EmulatorConfig(activities_max_response_bytes=20_000))
    with httpx.Client(
        transport=EmulatorTransport(small),
        base_url="https://x",
        auth=("demo@sandbox", "demo-secret"),
    ) as client:
        body = get(client, f"resources=ROOT&{NOV}&limit=500")
    assert 0 < len(body["items"]) < 500
    assert body["hasMore"] is True
    next_link = next(link["href"] for link in body["links"] if link["rel"] == "next")
    assert f"offset={len(body['items'])}" in next_link
