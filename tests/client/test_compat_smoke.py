"""Every compat method, called with plausible 2.x arguments against the emulator.

Each of the ~320 methods of pyOFSC 2.27 (sync and async) is called once on a private
served emulator (strict mode: every request is checked against the spec): it must answer,
or raise one of 2.x's typed errors for an HTTP status.  A ``TypeError``/``AttributeError``
(a broken mapping) or a request refused before sending (the mapping built a call the
operation does not take) fails.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import STRICT
from served_cli import TEST_TODAY

from ofsc_cli.compat import OFSC, OFSAPIException, OFSCNetworkError
from ofsc_cli.compat._inventory import NOT_LITERAL, methods
from ofsc_cli.compat.async_client import AsyncOFSC
from ofsc_cli.sandbox import Emulator, EmulatorConfig, ServerHandle, Store, serve

DAY = TEST_TODAY
YESTERDAY = (TEST_TODAY - dt.timedelta(days=1)).isoformat()
WORKZONE = {
    "workZoneLabel": "ZZ_COMPAT",
    "workZoneName": "Compat",
    "status": "active",
    "travelArea": "north",
    "keys": ["99999"],
}

#: plausible values by 2.x parameter name (a 4xx for a value is fine: it is a typed error)
VALUES: dict[str, Any] = {
    "resource_id": "BK_NORTH_A",
    "resourceId": "BK_NORTH_A",
    "login": "admin",
    "label": "MAPLE_RIDGE",
    "date": DAY,
    "route_date": DAY,
    "position_date": DAY,
    "actual_date": DAY,
    "actualDate": DAY,
    "date_from": DAY,
    "date_to": DAY,
    "dateFrom": DAY,
    "dateTo": DAY,
    "dates": [DAY.isoformat()],
    "areas": ["NORTH"],
    "resources": ["BK_NORTH_A"],
    "inventory_id": 21000001,
    "location_id": 1,
    "schedule_item_id": 1,
    "workzone_item_id": 1,
    "workskill": "FIBER_INST",
    "subscription_id": "sub-1",
    "linked_activity_id": 1,
    "link_type": "finishToStart",
    "property_label": "csign",
    "content": b"hello",
    "filename": "hello.txt",
    "media_type": "text/plain",
    "content_type": "text/plain",
    "mediaType": "application/octet-stream",
    "users": ["admin"],
    "groups": ["field"],
    "workskills": [{"workSkill": "FIBER_INST", "ratio": 100}],
    "workzones": [{"workZone": "MAPLE_RIDGE", "ratio": 100}],
    "inventories": [],
    "preferences": [],
    "value": (),
    "download_id": 1,
    "profile_label": "DAILY_ROUTING",
    "plan_label": "basic",
    "plan_data": b"{}",
    "resource_external_id": "BK_NORTH_A",
    "accessId": "coreAPI",
    "access_id": "coreAPI",
    "api_label": "coreAPI",
    "plugin_label": "no_such_plugin",
    "plugin": "<xml/>",
    "activityType": "INSTALL",
    "workzone": WORKZONE,
    "data": {"label": "ZZ_COMPAT", "name": "Compat"},
    "activity": {"activityType": "INSTALL", "resourceId": "BK_NORTH_A", "date": DAY.isoformat()},
    "inventory": {"inventoryType": "ROUTER", "quantity": 1},
    "inventory_data": {"inventoryType": "ROUTER", "quantity": 1},
    "link": {"toActivityId": 1, "linkType": "finishToStart"},
    "location": {"label": "home", "city": "Springfield"},
    "property": {"label": "cust_tier", "name": "Tier", "type": "string", "entity": "activity"},
    "skill": {"label": "ZZ_SKILL", "name": "Compat skill"},
    "subscription": {"events": ["activityMoved"], "title": "compat"},
    "method": "GET",
    "partialUrl": "/rest/ofscCore/v1/resources/BK_NORTH_A",
}

#: per-method values where the generic one does not fit the method
OVERRIDES: dict[str, dict[str, Any]] = {
    "core.get_activities": {
        "params": {"resources": ["ROOT"], "dateFrom": DAY.isoformat(), "dateTo": DAY.isoformat()}
    },
    "core.search_activities": {"params": {"searchInField": "apptNumber", "searchForValue": "1"}},
    "core.get_events": {"params": {"subscriptionId": "sub-1"}},
    "core.get_daily_extract_file": {"date": YESTERDAY, "filename": "resources.zip"},
    "core.get_daily_extract_files": {"date": YESTERDAY},
    "core.get_daily_extract_file_stream": {"date": YESTERDAY, "filename": "resources.zip"},
    "core.create_subscription": {"data": '{"events": ["activityMoved"], "title": "compat"}'},
    "core.bulk_update": {
        "data": {"updateParameters": {"identifyActivityBy": "activityId"}, "activities": []}
    },
    "core.bulk_update_resource_workzones": {"data": {"items": []}},
    "core.bulk_update_resource_workskills": {"data": {"items": []}},
    "core.bulk_update_resource_workschedules": {"data": {"items": []}},
    "core.set_assigned_locations": {"data": {}},
    "core.create_resource": {
        "resourceId": "ZZ_NEW",
        "resource_id": "ZZ_NEW",
        "data": '{"parentResourceId": "ROOT", "resourceType": "PR",'
        ' "name": "New", "language": "en", "timeZone": "Eastern"}',
    },
    "core.create_user": {"login": "zz_user", "data": {"name": "Z"}},
    "core.update_user": {"data": {"name": "Admin"}},
    "core.update_resource": {"data": {"name": "North A"}},
    "core.get_position_history": {"resource_id": "BK_NORTH_A"},
    "metadata.populate_workzone_shapes": {
        "data": {
            "URL": "https://example.invalid/s.zip",
            "authentication": {"type": "none"},
            "shapeIdentifierColumn": "id",
            "SRID": 4326,
        }
    },
    "metadata.populate_map_layers": {"data": {"URL": "https://example.invalid/l.zip"}},
    "metadata.replace_workzones": {"data": [WORKZONE]},
    "metadata.update_workzones": {"data": [WORKZONE]},
    "metadata.get_language": {"label": "es"},
    "metadata.get_time_slot": {"label": "08-10"},
    "metadata.get_non_working_reason": {"label": "SICK"},
    "metadata.import_plugin_file": {"plugin": "PLUGIN_FILE"},
    "capacity.show_booking_grid": {"data": {"dates": [DAY.isoformat()], "areas": ["NORTH"]}},
    "capacity.update_booking_closing_schedule": {"data": {"items": []}},
    "capacity.update_booking_statuses": {"data": {"items": []}},
    "capacity.update_quota": {"data": {"items": []}},
    "capacity.get_activity_booking_options": {"activityType": "INSTALL"},
    "metadata.replace_workskill_conditions": {
        "data": [{"label": "C1", "function": "required", "value": "FIBER_INST"}]
    },
    "statistics.update_activity_duration_stats": {
        "data": {"items": [{"resourceId": "BK_NORTH_A", "akey": "INSTALL", "override": 30}]}
    },
    "statistics.update_activity_travel_stats": {
        "data": {"items": [{"tkey": "10100", "fkey": "10101", "override": 12}]}
    },
    "statistics.update_airline_distance_based_travel": {
        "data": {
            "items": [
                {"level": "company", "key": "10100", "data": [{"distance": 1, "override": 5}]}
            ]
        }
    },
}

DESTRUCTIVE = ("delete_", "unlink_")
CASES = sorted(
    [("sync", *k) for k in methods("sync")] + [("async", *k) for k in methods("async")],
    key=lambda c: (c[2].startswith(DESTRUCTIVE), c),
)
"""Every method of both clients; those that delete run last (the others read what they
would remove)."""

#: the label a method's ``label`` argument names, by a part of the method's name
LABELS = {
    "propert": "cust_tier",
    "enumeration": "cust_tier",
    "workskill_group": "FIBER_ALL",
    "workskill": "FIBER_INST",
    "activity_type_group": "customer",
    "activity_type": "INSTALL",
    "application": "demo",
    "capacity_area": "NORTH",
    "capacity_categor": "CAT_FIBER",
    "inventory_type": "ROUTER",
    "organization": "default",
    "shift": "DAY",
    "form": "site_survey",
    "link_template": "START_AFTER",
    "map_layer": "FLOOD_ZONES",
    "language": "es",
    "time_slot": "08-10",
    "non_working_reason": "SICK",
}
OUTCOMES: dict[str, str] = {}


@pytest.fixture(scope="module")
def server(_seeded_store: Store) -> Iterator[ServerHandle]:
    with serve(Emulator(_seeded_store.clone(), EmulatorConfig(strict=STRICT))) as handle:
        yield handle


@pytest.fixture(scope="module")
def activity_id(server: ServerHandle) -> int:
    with (
        OFSC("demo", "sandbox", "demo-secret", baseUrl=server.url) as inst,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", DeprecationWarning)
        page = inst.core.get_activities(
            {"resources": "ROOT", "dateFrom": DAY.isoformat(), "dateTo": DAY.isoformat()}
        )
    return int(page["items"][0]["activityId"])


def _arguments(key: str, record: dict[str, Any], activity: int, tmp: Path) -> dict[str, Any]:
    name = key.split(".")[1]
    label = next((v for k, v in LABELS.items() if k in name), VALUES["label"])
    values = {
        **VALUES,
        "activity_id": activity,
        "activityId": activity,
        "label": label,
        **OVERRIDES.get(key, {}),
    }
    args: dict[str, Any] = {}
    for p in record["parameters"]:
        name = p["name"]
        if p["kind"] in ("VAR_POSITIONAL", "VAR_KEYWORD") or name == "response_type":
            continue
        if name in values and (
            p["default"] is None or name in OVERRIDES.get(key, {}) or p["default"].startswith("<")
        ):
            args[name] = values[name]
        elif p["default"] is None:
            raise AssertionError(f"{key}: no plausible value for {name!r}: add one to VALUES")
    if args.get("plugin") == "PLUGIN_FILE":
        path = tmp / "plugin.xml"
        path.write_text("<xml/>")
        args["plugin"] = path
    return args


def _check_error(key: str, error: BaseException) -> str:
    assert isinstance(error, OFSAPIException), f"{key}: {type(error).__name__}: {error}"
    if isinstance(error, OFSCNetworkError):
        raise AssertionError(f"{key}: no answer: {error}")
    assert error.status_code is not None, f"{key}: refused before sending: {error}"
    return f"{error.status_code} {str(error)[:150]}"


async def _async_call(server: ServerHandle, ns: str, name: str, args: dict[str, Any]) -> Any:
    async with AsyncOFSC(
        "demo",
        "sandbox",
        "demo-secret",
        baseUrl=server.url,
        root="ROOT",
        max_retries=0,
        circuit_failure_threshold=10**6,
    ) as inst:
        method = getattr(getattr(inst, ns), name)
        result = method(**args)
        if inspect.isawaitable(result):
            return await result
        if hasattr(result, "__aenter__"):
            async with result as chunks:
                return [c async for c in chunks]
        return [item async for item in result]


@pytest.mark.parametrize(("kind", "ns", "name"), CASES, ids=[f"{k}-{n}.{m}" for k, n, m in CASES])
def test_every_method_answers_or_raises_a_typed_error(
    kind: str, ns: str, name: str, server: ServerHandle, activity_id: int, tmp_path: Path
) -> None:
    key = f"{ns}.{name}"
    record = methods(kind)[(ns, name)]
    args = _arguments(key, record, activity_id, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            if kind == "sync":
                with OFSC(
                    "demo",
                    "sandbox",
                    "demo-secret",
                    baseUrl=server.url,
                    root="ROOT",
                    max_retries=0,
                    circuit_failure_threshold=10**6,
                ) as inst:
                    result = getattr(getattr(inst, ns), name)(**args)
                    if hasattr(result, "__enter__"):
                        with result as response:
                            response.read()
            else:
                asyncio.run(_async_call(server, ns, name, args))
            OUTCOMES[f"{kind} {key}"] = "2xx"
        except Exception as error:
            OUTCOMES[f"{kind} {key}"] = _check_error(key, error)


def test_most_methods_succeed() -> None:
    """A floor on the share of 2xx answers (a mapping that sends the wrong request fails
    with a 4xx in strict mode: a drop here shows it)."""
    if len(OUTCOMES) < len(CASES):
        pytest.skip("run with the whole module")
    ok = sum(1 for v in OUTCOMES.values() if v == "2xx")
    assert ok >= 0.65 * len(CASES), sorted(k for k, v in OUTCOMES.items() if v != "2xx")


def test_not_literal_defaults_are_resolved() -> None:
    record = methods("sync")[("core", "get_assigned_locations")]
    defaults = [p["default"] for p in record["parameters"] if p["default"]]
    assert defaults and all(d.startswith("<") for d in defaults)
    assert NOT_LITERAL.__name__
