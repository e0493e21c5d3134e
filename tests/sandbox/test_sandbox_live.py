"""The emulator answers like a live tenant by default (NOTES §9), over real HTTP.

Paging: for every limit/offset ``GET`` of the catalog the emulator serves, a client that
pages by ``hasMore`` alone and one that pages by ``totalResults`` alone both see every item.
Then the shapes and write semantics NOTES §9 lists, one test each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from conftest import SANDBOX_AUTH
from served_cli import TEST_TODAY

from ofsc_cli.catalog import Operation, load_catalog
from ofsc_cli.sandbox import Emulator, EmulatorConfig, ServerHandle, Store, serve
from ofsc_cli.sandbox.router import add_live_route, live_routes, registered_routes
from ofsc_cli.sandbox.store import sub

pytestmark = pytest.mark.live

CORE = "/rest/ofscCore/v1"
META = "/rest/ofscMetadata/v1"
STATS = "/rest/ofscStatistics/v1"
COLLAB = "/rest/ofscCollaboration/v1"
TODAY = TEST_TODAY.isoformat()

# --------------------------------------------------------------------------------- paging


def _activity_with(store: Store, status: str) -> int:
    """An activity given nine inventories of ``status`` (written into the store)."""
    activity = int(next(a for a in store.items("inventories") if a.get("activityId"))["activityId"])
    for n in range(9):
        inv_id = 29_000_000 + 100 * len(status) + n
        doc = {"inventoryId": inv_id, "status": status, "inventoryType": "PANEL", "quantity": 1}
        store.put("inventories", inv_id, {**doc, "activityId": activity})
    return activity


def _paging_setup(server: ServerHandle, client: httpx.Client) -> dict[str, dict[str, Any]]:
    """Path and query values for the paged operations that need them, from the seed data
    (a few collections are filled first, so that they have several pages)."""
    store = server.emulator.store
    completed = next(
        row
        for row in store.query_activities(None, date_from=TODAY, date_to=TODAY)
        if '"status":"completed"' in row
    )
    completed_id = int(completed.split('"activityId":', 1)[1].split(",", 1)[0])
    required = completed_id
    store.put(
        "activityRequiredInventories",
        required,
        {"items": [{"inventoryType": "PANEL", "model": f"M{n}", "quantity": n} for n in range(9)]},
    )
    numbers: dict[str, int] = {}
    for row in store.query_activities(None, date_from="2026-11-01", date_to="2026-11-30"):
        if '"customerNumber":"' in row:
            number = row.split('"customerNumber":"', 1)[1].split('"', 1)[0]
            numbers[number] = numbers.get(number, 0) + 1
    customer = max(numbers, key=numbers.__getitem__)
    logins = [u["login"] for u in store.items("users") if u["login"] != "admin"]
    chat = client.post(f"{COLLAB}/chats", json={"recipients": logins, "text": "hi"})
    assert chat.status_code == 201, chat.text
    by_owner: dict[str, int] = {}
    for inv in store.items("inventories"):
        if inv.get("resourceId"):
            by_owner[inv["resourceId"]] = by_owner.get(inv["resourceId"], 0) + 1
    busy: dict[str, int] = {}
    for row in store.query_activities(None, date_from=TODAY, date_to=TODAY):
        rid = row.split('"resourceId":"', 1)[1].split('"', 1)[0]
        busy[rid] = busy.get(rid, 0) + 1
    route = max(busy, key=busy.__getitem__)
    with_users = next(
        rid
        for rid in (r["resourceId"] for r in store.items("resources"))
        if sum(rid in (u.get("resources") or ()) for u in store.items("users")) > 1
    )
    home = next(
        loc
        for r in store.items("resources")
        for loc in store.items(sub("resourceLocations", r["resourceId"]))
        if loc.get("latitude") is not None
    )
    return {
        f"GET {CORE}/activities": {
            "query": {"resources": "ROOT", "dateFrom": TODAY, "dateTo": TODAY}
        },
        f"GET {CORE}/activities/custom-actions/search": {
            "query": {"searchInField": "customerNumber", "searchForValue": customer}
        },
        f"GET {CORE}/activities/{{activityId}}/customerInventories": {
            "path": {"activityId": _activity_with(store, "customer")}
        },
        f"GET {CORE}/activities/{{activityId}}/installedInventories": {
            "path": {"activityId": _activity_with(store, "installed")}
        },
        f"GET {CORE}/activities/{{activityId}}/deinstalledInventories": {
            "path": {"activityId": _activity_with(store, "deinstalled")}
        },
        f"GET {CORE}/activities/{{activityId}}/requiredInventories": {
            "path": {"activityId": required}
        },
        # At most one form per activity in the sandbox: one page of one item.
        f"GET {CORE}/activities/{{activityId}}/submittedForms": {
            "path": {"activityId": completed_id}
        },
        f"GET {CORE}/calendars": {
            "query": {
                "resources": "BK_NORTH",
                "includeChildren": "all",
                "dateFrom": TODAY,
                "dateTo": TODAY,
            }
        },
        f"GET {CORE}/resources/custom-actions/resourcesInArea": {
            "query": {"lat": home["latitude"], "lng": home["longitude"], "radius": 100000}
        },
        f"GET {CORE}/resources/{{resourceId}}/children": {"path": {"resourceId": "ROOT"}},
        f"GET {CORE}/resources/{{resourceId}}/descendants": {"path": {"resourceId": "ROOT"}},
        f"GET {CORE}/resources/{{resourceId}}/inventories": {
            "path": {"resourceId": max(by_owner, key=by_owner.__getitem__)}
        },
        f"GET {CORE}/resources/{{resourceId}}/routes/{{date}}": {
            "path": {"resourceId": route, "date": TODAY}
        },
        f"GET {CORE}/resources/{{resourceId}}/users": {"path": {"resourceId": with_users}},
        f"GET {COLLAB}/chats/{{chatId}}/participants": {"path": {"chatId": chat.json()["chatId"]}},
        f"GET {META}/properties/{{label}}/enumerationList": {"path": {"label": "cust_tier"}},
        f"GET {META}/routingProfiles/{{profileLabel}}/plans": {"path": {"profileLabel": "URGENT"}},
    }


#: Collections the sandbox cannot make longer than one item (one form per activity).
ONE_PAGE = {f"GET {CORE}/activities/{{activityId}}/submittedForms"}

PAGED = [
    op
    for op in load_catalog().operations
    if op.method == "GET"
    and op.paging == "offset"
    and (op.method, op.path) in set(registered_routes())
]


@pytest.fixture(scope="module")
def server(_seeded_store: Store) -> Iterator[ServerHandle]:
    """A private live-mode server for this module (its tests write into it)."""
    with serve(Emulator(_seeded_store.clone(), EmulatorConfig())) as server:
        yield server


@pytest.fixture(scope="module")
def client(server: ServerHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, auth=SANDBOX_AUTH, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def paging_values(server: ServerHandle, client: httpx.Client) -> dict[str, dict[str, Any]]:
    return _paging_setup(server, client)


def _path_of(op: Operation, values: dict[str, Any]) -> str:
    path = op.path
    for name, value in values.items():
        path = path.replace(f"{{{name}}}", str(value))
    assert "{" not in path, f"no value for a path parameter of {op.key}"
    return path


Pager = Callable[[httpx.Client, str, dict[str, Any], int], list[Any]]


def _page(client: httpx.Client, path: str, query: dict[str, Any], offset: int, limit: int) -> Any:
    response = client.get(path, params={**query, "offset": offset, "limit": limit})
    assert response.status_code == 200, response.text
    return response.json()


def by_has_more(client: httpx.Client, path: str, query: dict[str, Any], limit: int) -> list[Any]:
    """pyOFSC's way: next page while ``hasMore`` is true."""
    items: list[Any] = []
    while True:
        body = _page(client, path, query, len(items), limit)
        items += body["items"]
        if not body.get("hasMore"):
            return items
        assert len(items) < 10_000


def by_total(client: httpx.Client, path: str, query: dict[str, Any], limit: int) -> list[Any]:
    """The other way: next page while fewer than ``totalResults`` items arrived."""
    items: list[Any] = []
    while True:
        body = _page(client, path, query, len(items), limit)
        assert body["items"] or len(items) >= body["totalResults"], "an empty page too early"
        items += body["items"]
        if len(items) >= body["totalResults"]:
            return items


@pytest.mark.parametrize("pager", [by_has_more, by_total], ids=["hasMore", "totalResults"])
@pytest.mark.parametrize("op", PAGED, ids=[op.path.split("/v1/", 1)[-1] for op in PAGED])
def test_every_paged_collection_pages_by_has_more_and_by_total(
    op: Operation,
    pager: Pager,
    client: httpx.Client,
    paging_values: dict[str, dict[str, Any]],
) -> None:
    values = paging_values.get(op.key, {})
    path = _path_of(op, values.get("path", {}))
    query = values.get("query", {})
    everything = _page(client, path, query, 0, op.limit_max or 100)
    expected = everything["items"]
    assert everything["totalResults"] == len(expected)
    assert not everything.get("hasMore")
    assert expected, f"{op.key}: the seed gives no items to page"
    limit = 7 if len(expected) > 14 else max(1, len(expected) // 3)
    assert len(expected) > limit or op.key in ONE_PAGE, f"{op.key}: only one page"
    assert pager(client, path, query, limit) == expected


def test_the_paging_table_names_only_paged_operations(
    paging_values: dict[str, dict[str, Any]],
) -> None:
    keys = {op.key for op in PAGED}
    assert set(paging_values) <= keys
    assert len(PAGED) == 37  # every offset-paged GET of the catalog is served


def test_activities_omit_has_more_on_the_last_page(client: httpx.Client) -> None:
    query = {"resources": "ROOT", "dateFrom": TODAY, "dateTo": TODAY}
    first = _page(client, f"{CORE}/activities", query, 0, 3)
    assert first["hasMore"] is True and first["totalResults"] > 3
    last = _page(client, f"{CORE}/activities", query, first["totalResults"] - 2, 3)
    assert len(last["items"]) == 2 and "hasMore" not in last
    resources = _page(client, f"{CORE}/resources", {}, 40, 100)
    assert resources["hasMore"] is False  # other collections say false


# --------------------------------------------------------------------------------- shapes


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def test_routing_profiles_and_plans_are_objects(client: httpx.Client) -> None:
    profiles = _ok(client.get(f"{META}/routingProfiles"))["items"]
    assert profiles and all(set(p) >= {"profileLabel"} for p in profiles)
    label = profiles[0]["profileLabel"]
    plans = _ok(client.get(f"{META}/routingProfiles/{label}/plans"))["items"]
    assert plans and all(isinstance(p, dict) and p["planLabel"] for p in plans)
    assert all(len(p) > 1 for p in plans)  # planLabel and more fields


def test_activity_type_groups_carry_name_and_activity_types(client: httpx.Client) -> None:
    client.put(
        f"{META}/activityTypeGroups/customer",
        json={
            "translations": [
                {"language": "en", "name": "Customer"},
                {"language": "es", "name": "Cliente"},
            ]
        },
    )
    group = _ok(client.get(f"{META}/activityTypeGroups/customer"))
    assert group["name"] == "Customer"
    types = _ok(client.get(f"{META}/activityTypes"))["items"]
    expected = [{"label": t["label"]} for t in types if t.get("groupLabel") == "customer"]
    assert expected and group["activityTypes"] == expected
    listed = _ok(client.get(f"{META}/activityTypeGroups", params={"language": "es"}))["items"]
    customer = next(g for g in listed if g["label"] == "customer")
    assert customer["name"] == "Cliente" and customer["activityTypes"] == expected


def test_link_templates_answer_live_values(client: httpx.Client) -> None:
    templates = _ok(client.get(f"{META}/linkTemplates"))["items"]
    assert {t["linkType"] for t in templates} <= {
        "finishToStart",
        "startToStart",
        "simultaneous",
        "related",
    }
    assert "finishToStart" in {t["linkType"] for t in templates}
    for t in templates:
        assert {t.get("minInterval"), t.get("maxInterval")} <= {
            None,
            "unlimited",
            "adjustable",
            "nonAdjustable",
        }
    created = _ok(
        client.post(
            f"{META}/linkTemplates/WAIT_30",
            json={
                "reverseLabel": "WAIT_30_REV",
                "linkType": "startToStart",
                "active": True,
                "minInterval": "adjustable",
                "minIntervalValue": 30,
                "maxInterval": "nonAdjustable",
                "maxIntervalValue": 90,
            },
        )
    )
    assert created["minIntervalValue"] == 30 and created["maxIntervalValue"] == 90
    got = _ok(client.get(f"{META}/linkTemplates/WAIT_30"))
    assert got["linkType"] == "startToStart" and got["maxInterval"] == "nonAdjustable"
    assert isinstance(got["minIntervalValue"], int)
    for wrong, named in (
        ({"linkType": "finish-to-start"}, "linkType"),
        ({"linkType": "related", "minInterval": "none"}, "minInterval"),
        ({"linkType": "related", "maxIntervalValue": "30"}, "maxIntervalValue"),
    ):
        bad = client.post(f"{META}/linkTemplates/BAD", json={"active": True, **wrong})
        assert bad.status_code == 400 and named in bad.json()["detail"], bad.text


def test_languages_carry_a_code(client: httpx.Client) -> None:
    languages = _ok(client.get(f"{META}/languages"))["items"]
    english = next(lang for lang in languages if lang["label"] == "en")
    assert english["code"] == "en-US"
    assert all(lang["code"] and {"label", "name", "active"} <= set(lang) for lang in languages)


def test_property_gui_may_be_null(client: httpx.Client) -> None:
    body = {"name": "Work order", "type": "string", "entity": "activity"}
    _ok(client.put(f"{META}/properties/wo_plain", json=body), 201)
    assert _ok(client.get(f"{META}/properties/wo_plain"))["gui"] is None
    listed = _ok(client.get(f"{META}/properties", params={"limit": 100}))["items"]
    assert any(p["gui"] is None for p in listed) and any(p["gui"] for p in listed)


@pytest.mark.parametrize(
    ("kind", "body", "key"),
    [
        ("activityDurationStats", {"resourceId": None, "akey": None, "override": 40}, None),
        ("activityTravelStats", {"fkey": None, "tkey": None, "override": 20}, None),
    ],
)
def test_statistics_patch_answers_flat(
    client: httpx.Client, kind: str, body: dict[str, Any], key: None
) -> None:
    record = _ok(client.get(f"{STATS}/{kind}", params={"limit": 1}))["items"][0]
    item = {k: (record[k] if v is None else v) for k, v in body.items()}
    answer = _ok(client.patch(f"{STATS}/{kind}", json={"items": [item]}))
    assert answer == {"status": "200", "updatedRecords": 1}


def test_bulk_update_keys_are_integers_or_absent(client: httpx.Client) -> None:
    day = _ok(
        client.get(
            f"{CORE}/activities",
            params={"resources": "ROOT", "dateFrom": TODAY, "dateTo": TODAY, "limit": 1},
        )
    )
    existing = day["items"][0]
    body = {
        "updateParameters": {"ifInFinalStatusThen": "updateExisting"},
        "activities": [
            {"activityId": existing["activityId"], "customerName": "Live Shape"},
            {
                "activityId": None,
                "apptNumber": "LIVE-1",
                "activityType": existing["activityType"],
                "resourceId": existing["resourceId"],
                "date": TODAY,
            },
        ],
    }
    results = _ok(client.post(f"{CORE}/activities/custom-actions/bulkUpdate", json=body))["results"]
    assert results[0]["activityKeys"] == {"activityId": existing["activityId"]}
    created = results[1]["activityKeys"]
    assert isinstance(created["activityId"], int) and created["apptNumber"] == "LIVE-1"
    for result in results:
        for warning in result.get("warnings", ()):
            assert isinstance(warning["code"], int) and isinstance(warning["message"], str)
    failing = {**body, "activities": [{"activityId": "None", "resourceId": "NOBODY"}]}
    keys = _ok(client.post(f"{CORE}/activities/custom-actions/bulkUpdate", json=failing))
    assert "activityId" not in keys["results"][0].get("activityKeys", {})


def test_final_status_warning_is_int_and_str(client: httpx.Client) -> None:
    done = next(
        row
        for row in client.get(
            f"{CORE}/activities",
            params={"resources": "ROOT", "dateFrom": TODAY, "dateTo": TODAY, "limit": 1000},
        ).json()["items"]
        if row["status"] == "completed"
    )
    body = {
        "updateParameters": {"ifInFinalStatusThen": "doNothing"},
        "activities": [{"activityId": done["activityId"], "customerName": "X"}],
    }
    result = _ok(client.post(f"{CORE}/activities/custom-actions/bulkUpdate", json=body))
    warning = result["results"][0]["warnings"][0]
    assert isinstance(warning["code"], int) and isinstance(warning["message"], str)


@pytest.mark.parametrize(
    ("api", "member"),
    [
        ("coreAPI", "apiEntities"),
        ("metadataAPI", "apiEntities"),
        ("statisticsAPI", "apiEntities"),
        ("fieldCollaborationAPI", "apiEntities"),
        ("capacityAPI", "apiMethods"),
        ("inboundAPI", "activityFields"),
    ],
)
def test_api_access_members_per_api(client: httpx.Client, api: str, member: str) -> None:
    access = _ok(client.get(f"{META}/applications/demo/apiAccess/{api}"))
    assert access[member], access
    others = {"apiEntities", "apiMethods", "activityFields"} - {member}
    assert not others & set(access), access
    if member == "apiEntities":
        assert all({"label", "name", "accessRights"} <= set(e) for e in access[member])
    if member == "apiMethods":
        assert all(m["status"] in ("on", "off") for m in access[member])


def test_submitted_forms_ids_are_integers(
    client: httpx.Client, paging_values: dict[str, dict[str, Any]]
) -> None:
    activity = paging_values[f"GET {CORE}/activities/{{activityId}}/submittedForms"]["path"]
    forms = _ok(client.get(f"{CORE}/activities/{activity['activityId']}/submittedForms"))
    ids = [f["formIdentifier"]["formSubmitId"] for f in forms["items"]]
    assert ids and all(isinstance(i, int) and not isinstance(i, bool) for i in ids)


def test_calendar_view_is_an_object_keyed_by_date(client: httpx.Client) -> None:
    view = _ok(
        client.get(
            f"{CORE}/resources/TECH-0001/workSchedules/calendarView",
            params={"dateFrom": "2026-11-16", "dateTo": "2026-11-22"},
        )
    )
    assert "items" not in view and view
    assert set(view) <= {f"2026-11-{d}" for d in range(16, 23)}
    assert all(isinstance(day["recordType"], str) for day in view.values())


@pytest.mark.parametrize(
    "path",
    [
        "/rest/ofscCapacity/v1/capacity",
        "/rest/ofscCapacity/v1/quota",
        "/rest/ofscCapacity/v2/quota",
    ],
)
def test_aggregated_capacity_area_has_no_label_or_name(client: httpx.Client, path: str) -> None:
    areas = [a["label"] for a in _ok(client.get(f"{META}/capacityAreas"))["items"]][:2]
    query = {"dates": TODAY, "areas": ",".join(areas)}
    plain = _ok(client.get(path, params=query))["items"][0]["areas"]
    assert len(plain) == 2 and all("label" in a for a in plain)
    for wanted in (areas, areas[:1]):
        one = {**query, "areas": ",".join(wanted), "aggregateResults": "true"}
        aggregated = _ok(client.get(path, params=one))["items"][0]["areas"]
        assert len(aggregated) == 1
        assert "label" not in aggregated[0] and "name" not in aggregated[0]
        assert len(aggregated[0]) > 0


# --------------------------------------------------------------------------------- writes


def test_link_templates_are_created_by_both_paths(client: httpx.Client) -> None:
    body = {
        "label": "BY_COLLECTION",
        "reverseLabel": "BY_COLLECTION_REV",
        "linkType": "finishToStart",
        "active": True,
    }
    created = _ok(client.post(f"{META}/linkTemplates", json=body))
    assert created["label"] == "BY_COLLECTION"
    assert _ok(client.get(f"{META}/linkTemplates/BY_COLLECTION"))["linkType"] == "finishToStart"
    assert client.post(f"{META}/linkTemplates", json=body).status_code == 409
    assert client.post(f"{META}/linkTemplates", json={"active": True}).status_code == 400
    by_item = {k: v for k, v in body.items() if k != "label"}
    _ok(client.post(f"{META}/linkTemplates/BY_ITEM", json=by_item))
    assert _ok(client.get(f"{META}/linkTemplates/BY_ITEM"))["label"] == "BY_ITEM"


def test_strict_mode_refuses_the_live_only_collection_post(
    make_sandbox_server: Callable[..., ServerHandle],
) -> None:
    strict = make_sandbox_server(strict=True)
    body = {"label": "NOPE", "linkType": "finishToStart", "active": True}
    response = httpx.post(f"{strict.url}{META}/linkTemplates", json=body, auth=SANDBOX_AUTH)
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    assert ("POST", f"{META}/linkTemplates") in live_routes()
    assert ("POST", f"{META}/linkTemplates") not in registered_routes()


def test_live_routes_refuse_spec_operations_and_unknown_models() -> None:
    with pytest.raises(ValueError, match="is an operation of the OFS spec"):
        add_live_route("GET", f"{META}/workZones", f"GET {META}/workZones", lambda call: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match="not an operation"):
        add_live_route("POST", f"{META}/nothing", f"POST {META}/nothing/{{x}}", lambda call: None)  # type: ignore[arg-type,return-value]


def test_put_work_zone_replaces_and_404s_on_unknown_labels(client: httpx.Client) -> None:
    zone = _ok(client.get(f"{META}/workZones", params={"limit": 1}))["items"][0]
    label = zone["workZoneLabel"]
    replaced = {**zone, "workZoneName": "Renamed by PUT"}
    _ok(client.put(f"{META}/workZones/{label}", json=replaced), 204)
    assert _ok(client.get(f"{META}/workZones/{label}"))["workZoneName"] == "Renamed by PUT"
    new = {"workZoneName": "Nowhere", "travelArea": "north", "status": "active", "keys": []}
    missing = client.put(f"{META}/workZones/NO_SUCH_ZONE", json=new)
    assert missing.status_code == 404 and "NO_SUCH_ZONE" in missing.json()["detail"]
    assert client.get(f"{META}/workZones/NO_SUCH_ZONE").status_code == 404
    _ok(client.post(f"{META}/workZones", json={"workZoneLabel": "NO_SUCH_ZONE", **new}), 201)


def test_put_inventory_type_without_non_serialized(client: httpx.Client) -> None:
    created = _ok(client.put(f"{META}/inventoryTypes/CABLE_X", json={"active": True}), 201)
    assert created["nonSerialized"] is False
    assert _ok(client.get(f"{META}/inventoryTypes/CABLE_X"))["nonSerialized"] is False
    kept = _ok(
        client.put(f"{META}/inventoryTypes/CABLE_X", json={"active": True, "nonSerialized": True})
    )
    assert kept["nonSerialized"] is True
