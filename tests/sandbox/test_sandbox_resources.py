"""Core API emulation: resources, their sub-collections, and users."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from ofsc_cli.sandbox import Emulator

pytestmark = pytest.mark.live  # the emulator's own behaviour, as a live tenant answers

CORE = "/rest/ofscCore/v1"
RES = f"{CORE}/resources"


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


# ------------------------------------------------------------------------------ listing


def test_resources_list_paging(sandbox_client: httpx.Client) -> None:
    body = ok(sandbox_client.get(f"{RES}?limit=500"))
    assert body["limit"] == 100
    assert body["totalResults"] == 48
    assert len(body["items"]) == 48
    page = ok(sandbox_client.get(f"{RES}?offset=40&limit=5"))
    assert page["items"][0]["resourceId"] == body["items"][40]["resourceId"]
    assert ok(sandbox_client.get(f"{RES}?offset=48"))["items"] == []


def test_resources_fields_always_include_the_id(sandbox_client: httpx.Client) -> None:
    items = ok(sandbox_client.get(f"{RES}?fields=name,res_certification&limit=3"))["items"]
    assert set(items[0]) == {"resourceId", "name"}  # ROOT has no certification
    unknown = sandbox_client.get(f"{RES}?fields=name,shoeSize")
    assert unknown.status_code == 400
    assert "shoeSize" in unknown.json()["detail"]


def test_expand_embeds_sub_collections(sandbox_client: httpx.Client) -> None:
    doc = ok(sandbox_client.get(f"{RES}/TECH-0002?expand=workSkills,workZones&fields=name"))
    assert set(doc) == {"resourceId", "name", "workSkills", "workZones"}
    assert doc["workSkills"]["items"]
    assert doc["workZones"]["items"][0]["workZoneStatus"] == "active"
    assert sandbox_client.get(f"{RES}/TECH-0002?expand=friends").status_code == 400


def test_children_and_descendants(sandbox_client: httpx.Client) -> None:
    children = ok(sandbox_client.get(f"{RES}/ROOT/children"))["items"]
    assert [c["resourceId"] for c in children] == [
        f"BK_{r}" for r in ("NORTH", "SOUTH", "EAST", "WEST", "CENTRAL")
    ]
    descendants = ok(sandbox_client.get(f"{RES}/ROOT/descendants?limit=100"))
    assert descendants["totalResults"] == 47
    ids = [d["resourceId"] for d in descendants["items"]]
    assert ids.index("BK_NORTH") < ids.index("BK_NORTH_A") < ids.index("BK_SOUTH")
    assert (
        ok(sandbox_client.get(f"{RES}/ROOT/descendants?offset=45"))["items"][-1]["resourceId"]
        == ids[-1]
    )
    assert sandbox_client.get(f"{RES}/NOBODY/children").status_code == 404


# ---------------------------------------------------------------------------- put/patch


NEW_TECH = {
    "parentResourceId": "BK_NORTH_A",
    "name": "Robin Park",
    "resourceType": "PR",
    "language": "en",
    "timeZone": "Eastern",
    "email": "robin@example.com",
}


def test_put_resource_creates_201_then_replaces_200(sandbox_client: httpx.Client) -> None:
    created = ok(sandbox_client.put(f"{RES}/TECH-NEW", json=NEW_TECH), 201)
    assert created["timeZoneIANA"] == "America/New_York"
    internal = created["resourceInternalId"]
    replaced = ok(
        sandbox_client.put(f"{RES}/TECH-NEW", json={**NEW_TECH, "email": None, "name": "R. Park"})
    )
    assert replaced["resourceInternalId"] == internal
    doc = ok(sandbox_client.get(f"{RES}/TECH-NEW"))
    assert doc["name"] == "R. Park"
    smaller = {k: v for k, v in NEW_TECH.items() if k != "email"}
    ok(sandbox_client.put(f"{RES}/TECH-NEW", json=smaller))
    assert "email" not in ok(sandbox_client.get(f"{RES}/TECH-NEW"))  # a replace erases fields
    assert "TECH-NEW" in [
        c["resourceId"] for c in ok(sandbox_client.get(f"{RES}/BK_NORTH_A/children"))["items"]
    ]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"resourceType": "XX"}, "resource type"),
        ({"parentResourceId": "NOBODY"}, "parent"),
        ({"name": None}, "name"),
        ({"resourceId": "OTHER"}, "differs"),
    ],
)
def test_put_resource_validation(
    sandbox_client: httpx.Client, change: dict[str, Any], fragment: str
) -> None:
    response = sandbox_client.put(f"{RES}/TECH-BAD", json={**NEW_TECH, **change})
    assert response.status_code == 400
    assert fragment in response.json()["detail"]


def test_patch_resource_changes_only_sent_fields(sandbox_client: httpx.Client) -> None:
    before = ok(sandbox_client.get(f"{RES}/TECH-0003"))
    after = ok(sandbox_client.patch(f"{RES}/TECH-0003", json={"phone": "+1 555 0000"}))
    assert after == {**before, "phone": "+1 555 0000"}
    cycle = sandbox_client.patch(f"{RES}/BK_NORTH", json={"parentResourceId": "BK_NORTH_A"})
    assert cycle.status_code == 400
    assert sandbox_client.patch(f"{RES}/TECH-0003", json={"resourceId": "T3"}).status_code == 400


def test_patch_by_internal_id_renames_everywhere(
    sandbox_client: httpx.Client, emulator: Emulator
) -> None:
    doc = ok(sandbox_client.get(f"{RES}/TECH-0002"))
    skills = ok(sandbox_client.get(f"{RES}/TECH-0002/workSkills"))["items"]
    url = f"{RES}/{doc['resourceInternalId']}?identifyResourceBy=resourceInternalId"
    renamed = ok(sandbox_client.patch(url, json={"resourceId": "TECH-TWO"}))
    assert renamed["resourceId"] == "TECH-TWO"
    assert sandbox_client.get(f"{RES}/TECH-0002").status_code == 404
    assert ok(sandbox_client.get(f"{RES}/TECH-TWO/workSkills"))["items"] == skills
    activities = emulator.store.query_activities(
        ["TECH-TWO"], date_from="2026-11-01", date_to="2026-11-30"
    )
    assert activities and all('"resourceId":"TECH-TWO"' in a for a in activities)


# ---------------------------------------------------------------------- sub-collections


def test_work_skills_post_replaces_all(sandbox_client: httpx.Client) -> None:
    url = f"{RES}/TECH-0002/workSkills"
    body = [{"workSkill": "GAS_REP", "ratio": 80, "startDate": "2026-11-01"}]
    result = ok(sandbox_client.post(url, json=body))
    assert result["items"] == body and result["totalResults"] == 1
    assert ok(sandbox_client.get(url))["items"] == body
    assert sandbox_client.post(url, json={"items": body}).status_code == 400  # bare array only
    assert sandbox_client.post(url, json=[{"workSkill": "NOPE", "ratio": 1}]).status_code == 400
    assert sandbox_client.delete(f"{url}/GAS_REP").status_code == 204
    assert sandbox_client.delete(f"{url}/GAS_REP").status_code == 404


def test_work_zones_post_one_returns_204(sandbox_client: httpx.Client) -> None:
    url = f"{RES}/TECH-0002/workZones"
    before = ok(sandbox_client.get(url))["items"]
    response = sandbox_client.post(url, json={"workZone": "MIDTOWN", "startDate": "2026-11-01"})
    assert response.status_code == 204
    after = ok(sandbox_client.get(url))["items"]
    assert len(after) == len(before) + 1
    added = after[-1]
    assert added["workZone"] == "MIDTOWN" and added["workZoneStatus"] == "active"
    assert sandbox_client.delete(f"{url}/{added['workZoneItemId']}").status_code == 204
    assert len(ok(sandbox_client.get(url))["items"]) == len(before)
    assert (
        sandbox_client.post(
            url, json={"workZone": "ATLANTIS", "startDate": "2026-11-01"}
        ).status_code
        == 400
    )


def test_work_schedules(sandbox_client: httpx.Client) -> None:
    url = f"{RES}/TECH-0002/workSchedules"
    item = {
        "recordType": "non-working",
        "startDate": "2026-12-24",
        "endDate": "2026-12-26",
        "nonWorkingReason": "HOLIDAY",
    }
    items = ok(sandbox_client.post(url, json=item))["items"]
    added = items[-1]
    assert added["recordType"] == "non-working" and "scheduleItemId" in added
    on_day = ok(sandbox_client.get(f"{url}?actualForDate=2026-12-25"))["items"]
    assert added in on_day
    before = ok(sandbox_client.get(f"{url}?actualForDate=2026-12-01"))["items"]
    assert added not in before
    assert sandbox_client.delete(f"{url}/{added['scheduleItemId']}").status_code == 204
    assert sandbox_client.post(url, json={**item, "recordType": "nap"}).status_code == 400


def test_locations_and_assigned_locations(sandbox_client: httpx.Client) -> None:
    url = f"{RES}/TECH-0002/locations"
    loc = ok(
        sandbox_client.post(url, json={"label": "depot", "city": "Midtown", "latitude": 40.7}), 201
    )
    lid = loc["locationId"]
    assert ok(sandbox_client.get(f"{url}/{lid}"))["label"] == "depot"
    assert ok(sandbox_client.patch(f"{url}/{lid}", json={"city": "Old Town"}))["label"] == "depot"
    assert sandbox_client.post(url, json={"latitude": 123}).status_code == 400
    week_url = f"{RES}/TECH-0002/assignedLocations"
    week = ok(sandbox_client.put(week_url, json={"mon": {"start": lid, "end": lid}}))
    assert week == {"mon": {"start": lid, "end": lid}}
    assert ok(sandbox_client.get(week_url)) == week  # other weekdays were dropped
    assert sandbox_client.patch(week_url, json={"tue": {"start": lid}}).status_code == 204
    assert set(ok(sandbox_client.get(week_url))) == {"mon", "tue"}
    assert sandbox_client.delete(f"{week_url}/2026-11-16").status_code == 204  # a Monday
    assert set(ok(sandbox_client.get(week_url))) == {"tue"}
    assert sandbox_client.put(week_url, json={"mon": {"start": 999999}}).status_code == 400
    assert sandbox_client.delete(f"{url}/{lid}").status_code == 204
    assert sandbox_client.get(f"{url}/{lid}").status_code == 404


def test_resource_users_put_and_delete(sandbox_client: httpx.Client) -> None:
    url = f"{RES}/BK_EAST/users"
    ok(sandbox_client.put(url, json={"items": [{"login": "admin"}]}))
    assert ok(sandbox_client.get(url))["items"] == [{"login": "admin"}]
    assert "BK_EAST" in ok(sandbox_client.get(f"{CORE}/users/admin"))["resources"]
    assert sandbox_client.delete(url).status_code == 204
    assert ok(sandbox_client.get(url))["items"] == []
    assert sandbox_client.put(url, json={"items": [{"login": "ghost"}]}).status_code == 400


def test_resource_inventories(sandbox_client: httpx.Client) -> None:
    url = f"{RES}/TECH-0002/inventories"
    before = ok(sandbox_client.get(url))["items"]
    assert before and all(i["resourceId"] == "TECH-0002" for i in before)
    new = ok(sandbox_client.post(url, json={"inventoryType": "ROUTER", "serialNumber": "R-1"}), 201)
    assert new["status"] == "resource" and new["resourceId"] == "TECH-0002"
    assert len(ok(sandbox_client.get(url))["items"]) == len(before) + 1
    assert sandbox_client.post(url, json={"inventoryType": "SPACESHIP"}).status_code == 400


def test_plans(sandbox_client: httpx.Client) -> None:
    url = f"{RES}/BK_NORTH/plans"
    assert (
        sandbox_client.post(
            url, json={"measure": "points", "value": 40, "date": "2026-11-20"}
        ).status_code
        == 204
    )
    body = ok(sandbox_client.get(f"{url}?dateFrom=2026-11-01&dateTo=2026-11-30"))
    assert body == {
        "totalResults": 1,
        "items": [{"measure": "points", "value": 40, "date": "2026-11-20"}],
    }
    assert sandbox_client.delete(f"{url}?measure=points&date=2026-11-20").status_code == 204
    assert ok(sandbox_client.get(f"{url}?dateFrom=2026-11-01&dateTo=2026-11-30"))["items"] == []
    assert sandbox_client.delete(f"{url}?measure=hours&date=2026-11-20").status_code == 400


# --------------------------------------------------------------------------------- users


def test_users_list_paging(sandbox_client: httpx.Client) -> None:
    body = ok(sandbox_client.get(f"{CORE}/users?limit=1000"))
    assert body["limit"] == 100 and body["totalResults"] == 10 == len(body["items"])
    assert ok(sandbox_client.get(f"{CORE}/users?offset=3&limit=2"))["items"] == body["items"][3:5]


def test_user_put_patch_delete(sandbox_client: httpx.Client) -> None:
    url = f"{CORE}/users/new.user"
    incomplete = sandbox_client.put(url, json={"name": "New"})
    assert incomplete.status_code == 400
    body = {
        "name": "New User",
        "userType": "dispatcher",
        "language": "en",
        "timeZone": "Eastern",
        "resources": ["BK_NORTH"],
        "password": "secret",
    }
    created = ok(sandbox_client.put(url, json=body))  # 200 even when creating
    assert "password" not in created and created["mainResourceId"] == "BK_NORTH"
    patched = ok(sandbox_client.patch(url, json={"name": "Renamed"}))
    assert patched["name"] == "Renamed" and patched["userType"] == "dispatcher"
    assert sandbox_client.patch(url, json={"resources": ["NOBODY"]}).status_code == 400
    deleted = sandbox_client.delete(url)
    assert deleted.status_code == 200
    assert sandbox_client.get(url).status_code == 404
    assert sandbox_client.delete(url).status_code == 404


def test_collaboration_groups(sandbox_client: httpx.Client) -> None:
    url = f"{CORE}/users/admin/collaborationGroups"
    assert ok(sandbox_client.get(url))["items"] == []
    added = ok(
        sandbox_client.post(url, json={"items": [{"name": "Night shift"}, {"name": "Ops"}]}), 201
    )
    assert added["items"] == [{"name": "Night shift"}, {"name": "Ops"}]
    response = sandbox_client.request("DELETE", url, json={"items": [{"name": "Ops"}]})
    assert response.status_code == 204
    assert ok(sandbox_client.get(url))["items"] == [{"name": "Night shift"}]
    assert sandbox_client.delete(url).status_code == 204
    assert ok(sandbox_client.get(url))["items"] == []


# ------------------------------------------------------------ pages spliced from stored text


@pytest.mark.parametrize(
    "url",
    [f"{RES}?offset=40&limit=5", f"{CORE}/users?offset=2&limit=3", f"{RES}/TECH-0002/inventories"],
)
def test_spliced_pages_are_what_encoding_the_body_gives(
    sandbox_client: httpx.Client, url: str
) -> None:
    ok(sandbox_client.patch(f"{RES}/TECH-0002", json={"name": "Zoë Ærø “quoted”"}))
    response = sandbox_client.get(url)
    body = ok(response)
    assert body["items"]
    assert response.content == json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    keys = list(body)
    assert keys[0] == "items" and keys[-1] == "links"


def test_tree_reads_follow_resource_writes(
    sandbox_client: httpx.Client, emulator: Emulator
) -> None:
    nov = "dateFrom=2026-11-01&dateTo=2026-11-30"
    before = ok(sandbox_client.get(f"{RES}/ROOT/descendants"))["totalResults"]
    acts = ok(sandbox_client.get(f"{CORE}/activities?resources=BK_NORTH&{nov}"))["items"]
    ok(sandbox_client.put(f"{RES}/TECH-NEW", json=NEW_TECH), 201)
    emulator.store.put_activity(
        {"activityId": 9_999_999, "resourceId": "TECH-NEW", "date": "2026-11-05"}
    )
    assert ok(sandbox_client.get(f"{RES}/ROOT/descendants"))["totalResults"] == before + 1
    north = ok(sandbox_client.get(f"{CORE}/activities?resources=BK_NORTH&{nov}"))["items"]
    assert len(north) == len(acts) + 1
    assert 9_999_999 in [a["activityId"] for a in north]
    ok(sandbox_client.patch(f"{RES}/TECH-NEW", json={"parentResourceId": "BK_SOUTH"}))
    north = ok(sandbox_client.get(f"{CORE}/activities?resources=BK_NORTH&{nov}"))["items"]
    assert 9_999_999 not in [a["activityId"] for a in north]
    south = ok(sandbox_client.get(f"{RES}/BK_SOUTH/descendants"))["items"]
    assert "TECH-NEW" in [d["resourceId"] for d in south]
