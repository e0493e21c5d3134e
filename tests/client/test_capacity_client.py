"""Capacity, Parts Catalog and Collaboration operations on both clients (mocked transport)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from ofsc_cli import OFSC, AsyncOFSC
from ofsc_cli.cli.capacity import capacity_rows, quota_rows, quota_v1_rows
from ofsc_cli.models.capacity import (
    CapacityList,
    CapacityMetrics,
    QuotaList,
    QuotaV1List,
    metric_total,
)


class Recorder:
    """A MockTransport handler that records requests and answers from a table."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(
            200, json=self.answers.get(f"{request.method} {request.url.path}", {})
        )


def sync_client(recorder: Recorder) -> OFSC:
    return OFSC("acme", "id", "secret", transport=httpx.MockTransport(recorder))


CAPACITY = {
    "items": [
        {
            "date": "2026-12-01",
            "areas": [
                {
                    "label": "NORTH",
                    "name": "North",
                    # the shape tenants send: one metrics object
                    "calendar": {"count": [10], "minutes": [600]},
                    "available": {"count": [4], "minutes": [240]},
                    "categories": [
                        {
                            "label": "FIBER",
                            # the shape the spec documents: a list, counts as strings
                            "calendar": [{"count": ["3"], "minutes": ["180", "120"]}],
                            "available": [{"count": ["1"], "minutes": ["60", "30"]}],
                        }
                    ],
                }
            ],
        }
    ]
}


def test_get_capacity_sends_csv_lists_and_booleans() -> None:
    recorder = Recorder({"GET /rest/ofscCapacity/v1/capacity": CAPACITY})
    with sync_client(recorder) as client:
        result = client.capacity.get_capacity(
            ["2026-12-01", "2026-12-02"], areas=["NORTH", "SOUTH"], aggregate_results=True
        )
    params = recorder.requests[0].url.params
    assert params["dates"] == "2026-12-01,2026-12-02"
    assert params["areas"] == "NORTH,SOUTH"
    assert params["aggregateResults"] == "true"
    assert "categories" not in params
    assert isinstance(result, CapacityList)
    assert result.items[0].areas[0].categories is not None


def test_capacity_rows_accept_both_metric_shapes() -> None:
    rows = list(capacity_rows(CapacityList.model_validate(CAPACITY)))
    assert rows[0] == {
        "date": "2026-12-01",
        "area": "NORTH",
        "areaName": "North",
        "category": None,
        "calendar": 600,
        "available": 240,
        "used": 360,
        "calendarCount": 10,
        "availableCount": 4,
    }
    assert (rows[1]["category"], rows[1]["calendar"], rows[1]["available"]) == ("FIBER", 300, 90)
    assert rows[1]["used"] == 210


def test_metric_total_sums_every_interval_and_keeps_absence() -> None:
    assert metric_total(None, "minutes") is None
    assert metric_total(CapacityMetrics(count=[1, 2]), "minutes") is None
    assert (
        metric_total([CapacityMetrics(minutes=[5]), CapacityMetrics(minutes=[7, 1])], "minutes")
        == 13
    )


def test_quota_rows_cover_areas_categories_and_time_slots() -> None:
    data = QuotaList.model_validate(
        {
            "items": [
                {
                    "date": "2026-12-01",
                    "areas": [
                        {
                            "label": "A",
                            "name": "Area A",
                            "maxAvailable": 900,
                            "quota": 500,
                            "used": 120,
                            "bookedActivities": 3,
                            "categories": [{"label": "C1", "quota": 200, "used": 250}],
                            "timeSlots": [
                                {
                                    "label": "08-10",
                                    "quota": 100,
                                    "used": 10,
                                    "categories": [{"label": "C1", "quota": 40, "used": 5}],
                                }
                            ],
                        }
                    ],
                }
            ]
        }
    )
    rows = list(quota_rows(data))
    keys = [(r["timeSlot"], r["category"], r["available"]) for r in rows]
    assert keys == [(None, None, 380), (None, "C1", -50), ("08-10", None, 90), ("08-10", "C1", 35)]
    assert rows[0]["bookedActivities"] == 3 and rows[0]["areaName"] == "Area A"


def test_quota_v1_rows_carry_counts() -> None:
    data = QuotaV1List.model_validate(
        {
            "items": [
                {
                    "date": "2026-12-01",
                    "areas": [
                        {
                            "label": "A",
                            "quota": 10,
                            "used": 4,
                            "count": 2,
                            "categories": [{"label": "C", "quota": 3, "used": 1, "count": 1}],
                        }
                    ],
                }
            ]
        }
    )
    rows = list(quota_v1_rows(data))
    assert [(r["category"], r["count"], r["available"]) for r in rows] == [
        (None, 2, 6),
        ("C", 1, 2),
    ]


async def test_async_client_shares_the_declarations() -> None:
    recorder = Recorder(
        {"GET /rest/ofscCapacity/v2/quota": {"items": [{"date": "2026-12-01", "areas": []}]}}
    )
    async with AsyncOFSC("acme", "id", "secret", transport=httpx.MockTransport(recorder)) as client:
        result = await client.capacity.get_quota("2026-12-01", areas="NORTH", category_level=True)
        await client.parts_catalog.delete_catalog_item("MAIN", "en", "A B+1%")
    assert isinstance(result, QuotaList)
    assert recorder.requests[0].url.params["categoryLevel"] == "true"
    # path values are encoded: a space, a plus and a percent sign reach the server as typed
    assert (
        recorder.requests[1].url.raw_path
        == b"/rest/ofscPartsCatalog/v1/catalogs/MAIN/en/A%20B%2B1%25"
    )


@pytest.mark.parametrize(
    ("call", "method", "path", "body"),
    [
        (
            lambda c: c.capacity.update_quota({"items": []}),
            "PATCH",
            "/rest/ofscCapacity/v2/quota",
            {"items": []},
        ),
        (
            lambda c: c.capacity.update_quota_v1({"items": []}),
            "PATCH",
            "/rest/ofscCapacity/v1/quota",
            {"items": []},
        ),
        (
            lambda c: c.capacity.show_booking_grid({"dateFrom": "2026-12-01"}),
            "POST",
            "/rest/ofscCapacity/v1/showBookingGrid",
            {"dateFrom": "2026-12-01"},
        ),
        (
            lambda c: c.parts_catalog.replace_catalog("MAIN", "en", {"name": "Main"}),
            "PUT",
            "/rest/ofscPartsCatalog/v1/catalogs/MAIN/en",
            {"name": "Main"},
        ),
        (
            lambda c: c.collaboration.invite_chat_participant(7, {"login": "x"}),
            "POST",
            "/rest/ofscCollaboration/v1/chats/7/participants/invite",
            {"login": "x"},
        ),
        (
            lambda c: c.collaboration.leave_chat(7),
            "POST",
            "/rest/ofscCollaboration/v1/chats/7/leave",
            None,
        ),
    ],
)
def test_writes_send_method_path_and_body(call: Any, method: str, path: str, body: Any) -> None:
    recorder = Recorder({})
    with sync_client(recorder) as client:
        call(client)
    request = recorder.requests[0]
    assert (request.method, request.url.path) == (method, path)
    assert (json.loads(request.content) if request.content else None) == body


def test_booking_options_pass_other_parameters_by_api_name() -> None:
    recorder = Recorder({"GET /rest/ofscCapacity/v1/activityBookingOptions": {"dates": []}})
    with sync_client(recorder) as client:
        client.capacity.get_activity_booking_options(
            ["2026-12-01"], "INSTALL", postalCode="10100", determineAreaByWorkZone=True
        )
        with pytest.raises(TypeError, match="undeclared query parameters"):
            client.capacity.get_activity_booking_options("2026-12-01", "INSTALL", colour="red")
    params = recorder.requests[0].url.params
    assert params["activityType"] == "INSTALL"
    assert params["postalCode"] == "10100"
    assert params["determineAreaByWorkZone"] == "true"
    assert len(recorder.requests) == 1
