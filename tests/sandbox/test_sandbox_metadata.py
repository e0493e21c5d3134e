"""Metadata API emulation: paging, write semantics and the special operations."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.live  # the emulator's own behaviour, as a live tenant answers

META = "/rest/ofscMetadata/v1"


def items(response: httpx.Response) -> list[Any]:
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


# ----------------------------------------------------------------------------- paging


def test_page_envelope_follows_the_spec(sandbox_client: httpx.Client) -> None:
    body = sandbox_client.get(f"{META}/workSkills?offset=5&limit=10").json()
    assert len(body["items"]) == 10
    assert (body["totalResults"], body["offset"], body["limit"], body["hasMore"]) == (
        40,
        5,
        10,
        True,
    )
    rels = {link["rel"] for link in body["links"]}
    assert rels == {"canonical", "prev", "next", "describedby"}
    # As on live tenants (NOTES §9), also where the spec lists fewer members (workZones:
    # items + totalResults; activityTypeGroups: no hasMore): the whole envelope.
    zones = sandbox_client.get(f"{META}/workZones").json()
    assert (zones["totalResults"], zones["offset"], zones["limit"], zones["hasMore"]) == (
        30,
        0,
        100,
        False,
    )
    assert sandbox_client.get(f"{META}/activityTypeGroups").json()["hasMore"] is False


def test_offset_past_the_end_gives_empty_items(sandbox_client: httpx.Client) -> None:
    body = sandbox_client.get(f"{META}/workSkills?offset=500&limit=10").json()
    assert body["items"] == []
    assert body["totalResults"] == 40
    assert body["hasMore"] is False


@pytest.mark.parametrize("limit", ["0", "101", "100000", None])
def test_limit_zero_absent_or_above_max_means_max(
    sandbox_client: httpx.Client, limit: str | None
) -> None:
    query = "" if limit is None else f"?limit={limit}"
    body = sandbox_client.get(f"{META}/properties{query}").json()
    assert body["limit"] == 100
    assert len(body["items"]) == 60  # all of them: fewer than the maximum


def test_walking_pages_returns_every_item_once(sandbox_client: httpx.Client) -> None:
    seen: list[str] = []
    offset = 0
    while True:
        body = sandbox_client.get(f"{META}/properties?offset={offset}&limit=7").json()
        if not body["items"]:
            break
        seen += [p["label"] for p in body["items"]]
        offset += len(body["items"])
        # the spec lists no hasMore for properties; live tenants send it
        assert body["hasMore"] is (offset < body["totalResults"])
        if offset >= body["totalResults"]:
            break
    assert len(seen) == len(set(seen)) == 60


def test_negative_offset_is_400(sandbox_client: httpx.Client) -> None:
    assert sandbox_client.get(f"{META}/workSkills?offset=-1").status_code == 400


def test_filters_and_language(sandbox_client: httpx.Client) -> None:
    enums = items(sandbox_client.get(f"{META}/properties?type=enumeration&entity=resource"))
    assert {p["label"] for p in enums} == {"res_certification", "res_shirt_size"}
    values = items(sandbox_client.get(f"{META}/properties/cust_tier/enumerationList?language=es"))
    assert values[0] == {"label": "platinum", "active": True, "name": "Platinum"}
    plain = items(sandbox_client.get(f"{META}/activityTypes"))
    assert plain[0]["translations"][0] == {
        "language": "en",
        "name": "Installation",
        "languageISO": "en-US",
    }


# ---------------------------------------------------------------------- write semantics


def test_put_creates_201_then_replaces_200(sandbox_client: httpx.Client) -> None:
    url = f"{META}/workSkills/SOLAR_BATTERY"
    created = sandbox_client.put(
        url, json={"name": "Battery", "active": True, "sharing": "maximal"}
    )
    assert created.status_code == 201
    assert created.json()["label"] == "SOLAR_BATTERY"
    replaced = sandbox_client.put(
        url, json={"name": "Batteries", "active": False, "sharing": "minimal"}
    )
    assert replaced.status_code == 200
    assert sandbox_client.get(url).json() == {
        "label": "SOLAR_BATTERY",
        "name": "Batteries",
        "active": False,
        "sharing": "minimal",
    }


def test_put_replace_drops_fields_not_sent(sandbox_client: httpx.Client) -> None:
    url = f"{META}/capacityCategories/CAT_FIBER"
    assert "workSkills" in sandbox_client.get(url).json()
    assert sandbox_client.put(url, json={"active": True, "name": "Fiber"}).status_code == 200
    assert "workSkills" not in sandbox_client.get(url).json()


def test_put_rejects_a_mismatched_label_and_missing_fields(sandbox_client: httpx.Client) -> None:
    bad = sandbox_client.put(
        f"{META}/workSkills/A", json={"label": "B", "active": True, "sharing": "maximal"}
    )
    assert bad.status_code == 400
    missing = sandbox_client.put(f"{META}/workSkills/NEW", json={"name": "x"})
    assert missing.status_code == 400
    assert "active" in missing.json()["detail"]


def test_put_translations_get_language_iso(sandbox_client: httpx.Client) -> None:
    body = {
        "active": True,
        "sharing": "summary",
        "translations": [{"language": "es", "name": "Nuevo"}],
    }
    doc = sandbox_client.put(f"{META}/workSkills/NEW", json=body).json()
    assert doc["translations"] == [{"language": "es", "name": "Nuevo", "languageISO": "es-ES"}]


def test_group_put_without_translations_keeps_them(sandbox_client: httpx.Client) -> None:
    url = f"{META}/activityTypeGroups/internal"
    before = sandbox_client.get(url).json()["translations"]
    assert sandbox_client.put(url, json={}).status_code == 200
    assert sandbox_client.get(url).json()["translations"] == before


def test_patch_changes_only_the_fields_sent(sandbox_client: httpx.Client) -> None:
    url = f"{META}/properties/cust_contract_id"
    before = sandbox_client.get(url).json()
    response = sandbox_client.patch(url, json={"name": "Contract"})
    assert response.status_code == 200
    after = sandbox_client.get(url).json()
    assert after == {**before, "name": "Contract"}
    assert sandbox_client.patch(url, json={"type": "integer"}).status_code == 400


def test_delete_then_404(sandbox_client: httpx.Client) -> None:
    url = f"{META}/shifts/HALF_DAY"
    assert sandbox_client.get(url).status_code == 200
    assert sandbox_client.delete(url).status_code == 204
    missing = sandbox_client.get(url)
    assert missing.status_code == 404
    assert "HALF_DAY" in missing.json()["detail"]
    assert sandbox_client.delete(url).status_code == 404


def test_unknown_label_is_404_naming_it(sandbox_client: httpx.Client) -> None:
    for path in ("workSkills/NOPE", "activityTypes/NOPE", "organizations/NOPE", "forms/NOPE"):
        response = sandbox_client.get(f"{META}/{path}")
        assert response.status_code == 404
        assert "NOPE" in response.json()["detail"]


def test_link_templates_are_created_with_post_and_patched(sandbox_client: httpx.Client) -> None:
    url = f"{META}/linkTemplates/PREREQ"
    body = {
        "linkType": "finishToStart",
        "active": True,
        "translations": [{"language": "en", "name": "Prereq"}],
    }
    old_spelling = {**body, "linkType": "finish-to-start"}
    assert sandbox_client.post(url, json=old_spelling).status_code == 400
    assert sandbox_client.post(url, json=body).status_code == 200
    assert sandbox_client.post(url, json=body).status_code == 409
    patched = sandbox_client.patch(url, json={"active": False, "linkType": "related"}).json()
    assert patched["active"] is False and patched["linkType"] == "finishToStart"  # kept
    assert sandbox_client.put(url, json=body).status_code == 405
    seeded = sandbox_client.patch(f"{META}/linkTemplates/START_AFTER", json={"active": True})
    assert seeded.status_code == 200 and seeded.json()["linkType"] == "finishToStart"


def test_map_layers_post_201_put_replace_only(sandbox_client: httpx.Client) -> None:
    layer = {"label": "PARKS", "status": "active", "text": "Parks"}
    assert sandbox_client.post(f"{META}/mapLayers", json=layer).status_code == 201
    assert sandbox_client.post(f"{META}/mapLayers", json=layer).status_code == 409
    assert (
        sandbox_client.put(f"{META}/mapLayers/PARKS", json={"status": "inactive"}).status_code
        == 200
    )
    assert sandbox_client.put(f"{META}/mapLayers/NOT_THERE", json={}).status_code == 404
    assert sandbox_client.get(f"{META}/mapLayers/PARKS").json()["status"] == "inactive"
    listed = sandbox_client.get(f"{META}/mapLayers").json()  # not paginated
    assert listed["totalResults"] == len(listed["items"]) == 3
    assert "offset" not in listed


def test_new_form_needs_an_english_name(sandbox_client: httpx.Client) -> None:
    url = f"{META}/forms/intake"
    assert sandbox_client.put(url, json={"content": "{}"}).status_code == 400
    body = {"content": "{}", "translations": [{"language": "en", "name": "Intake"}]}
    assert sandbox_client.put(url, json=body).status_code == 201


# ------------------------------------------------------------------------------ work zones


def zone(label: str, *keys: str, **extra: Any) -> dict[str, Any]:
    return {
        "workZoneLabel": label,
        "workZoneName": label.title(),
        "travelArea": "north",
        "keys": list(keys),
        **extra,
    }


def test_work_zone_post_201_then_409(sandbox_client: httpx.Client) -> None:
    response = sandbox_client.post(f"{META}/workZones", json=zone("HARBOR_EAST", "99001"))
    assert response.status_code == 201
    assert response.json()["status"] == "active"
    assert sandbox_client.post(f"{META}/workZones", json=zone("HARBOR_EAST")).status_code == 409
    incomplete = sandbox_client.post(f"{META}/workZones", json={"workZoneLabel": "X"})
    assert incomplete.status_code == 400


def test_work_zone_key_conflicts(sandbox_client: httpx.Client) -> None:
    taken = sandbox_client.get(f"{META}/workZones/MAPLE_RIDGE").json()["keys"][0]
    clash = sandbox_client.post(f"{META}/workZones", json=zone("NEW_ZONE", taken))
    assert clash.status_code == 409
    assert "MAPLE_RIDGE" in clash.json()["detail"]
    resolved = sandbox_client.post(
        f"{META}/workZones?autoResolveConflicts=true", json=zone("NEW_ZONE", taken)
    )
    assert resolved.status_code == 201
    assert taken not in sandbox_client.get(f"{META}/workZones/MAPLE_RIDGE").json()["keys"]


def test_work_zone_put_by_label_is_204(sandbox_client: httpx.Client) -> None:
    url = f"{META}/workZones/CEDAR_FALLS"
    response = sandbox_client.put(url, json=zone("CEDAR_FALLS", "55555", status="inactive"))
    assert response.status_code == 204
    assert response.content == b""
    assert sandbox_client.get(url).json()["keys"] == ["55555"]


def test_bulk_put_deactivates_absent_zones(sandbox_client: httpx.Client) -> None:
    body = {"items": [zone("MAPLE_RIDGE", "10100"), zone("BRAND_NEW", "77777")]}
    response = sandbox_client.put(f"{META}/workZones", json=body)
    assert response.status_code == 204
    zones = {z["workZoneLabel"]: z for z in items(sandbox_client.get(f"{META}/workZones"))}
    assert len(zones) == 31
    active = sorted(label for label, z in zones.items() if z["status"] == "active")
    assert active == ["BRAND_NEW", "MAPLE_RIDGE"]


def test_bulk_patch_changes_only_sent_fields(sandbox_client: httpx.Client) -> None:
    before = sandbox_client.get(f"{META}/workZones/NORTHGATE").json()
    body = {"items": [{"workZoneLabel": "NORTHGATE", "workZoneName": "North Gate"}]}
    assert sandbox_client.patch(f"{META}/workZones", json=body).status_code == 204
    after = sandbox_client.get(f"{META}/workZones/NORTHGATE").json()
    assert after == {**before, "workZoneName": "North Gate"}
    others = items(sandbox_client.get(f"{META}/workZones"))
    assert all(z["status"] == "active" for z in others)


def test_work_zone_key(sandbox_client: httpx.Client) -> None:
    key = sandbox_client.get(f"{META}/workZoneKey").json()
    assert key["current"][0]["apiParameterName"] == "postalCode"


# --------------------------------------------------------------- other special operations


def test_work_skill_conditions_replace_all(sandbox_client: httpx.Client) -> None:
    url = f"{META}/workSkillConditions"
    assert sandbox_client.get(url).json()["totalResults"] == 10
    new = {
        "items": [{"internalId": 7, "label": "GAS_REP", "requiredLevel": 1, "preferableLevel": 2}]
    }
    body = sandbox_client.put(url, json=new).json()
    assert body == {"items": new["items"], "totalResults": 1}
    assert sandbox_client.get(url).json()["totalResults"] == 1
    bad = {"items": [{"internalId": 1, "label": "NOPE", "requiredLevel": 1, "preferableLevel": 2}]}
    assert sandbox_client.put(url, json=bad).status_code == 400


def test_enumeration_list_put_keeps_unsent_values(sandbox_client: httpx.Client) -> None:
    url = f"{META}/properties/cust_tier/enumerationList"
    value = {
        "label": "diamond",
        "active": True,
        "translations": [{"language": "en", "name": "Diamond"}],
    }
    body = sandbox_client.put(url, json={"items": [value]}).json()
    assert [v["label"] for v in body["items"]] == [
        "platinum",
        "gold",
        "silver",
        "bronze",
        "diamond",
    ]
    no_english = {"label": "x", "translations": [{"language": "es", "name": "X"}]}
    assert sandbox_client.put(url, json={"items": [no_english]}).status_code == 400
    reserved = {"label": "0", "translations": [{"language": "en", "name": "Zero"}]}
    assert sandbox_client.put(url, json={"items": [reserved]}).status_code == 400
    assert (
        sandbox_client.get(f"{META}/properties/cust_contract_id/enumerationList").status_code == 400
    )


def test_capacity_areas(sandbox_client: httpx.Client) -> None:
    default = items(sandbox_client.get(f"{META}/capacityAreas"))
    assert default[0] == {"label": "NORTH"}
    areas = items(
        sandbox_client.get(f"{META}/capacityAreas?type=area&fields=label,parent.name&expand=parent")
    )
    assert areas[0] == {"label": "NORTH_URBAN", "parent": {"name": "North region"}}
    assert len(areas) == 10
    assert sandbox_client.get(f"{META}/capacityAreas?fields=color").status_code == 400
    detail = sandbox_client.get(f"{META}/capacityAreas/NORTH").json()
    assert detail["workZones"]["href"].endswith("/capacityAreas/NORTH/workZones")
    children = items(sandbox_client.get(f"{META}/capacityAreas/NORTH/children?fields=label,type"))
    assert children == [
        {"label": "NORTH_URBAN", "type": "area"},
        {"label": "NORTH_RURAL", "type": "area"},
    ]
    v2 = items(sandbox_client.get("/rest/ofscMetadata/v2/capacityAreas/NORTH_URBAN/workZones"))
    v1 = items(sandbox_client.get(f"{META}/capacityAreas/NORTH_URBAN/workZones"))
    assert v2[0] == {"workZoneLabel": "MAPLE_RIDGE", "workZoneName": "Maple Ridge"}
    assert v1[0] == {"label": "Maple Ridge"}  # the deprecated v1 puts the name in label
    assert len(items(sandbox_client.get(f"{META}/capacityAreas/NORTH_URBAN/timeSlots"))) == 5
    assert sandbox_client.get(f"{META}/capacityAreas/NOWHERE/timeSlots").status_code == 404


def test_application_api_access(sandbox_client: httpx.Client) -> None:
    access = items(sandbox_client.get(f"{META}/applications/demo/apiAccess"))
    assert {a["label"]: a["status"] for a in access}["coreAPI"] == "active"
    url = f"{META}/applications/demo/apiAccess/statisticsAPI"
    assert sandbox_client.patch(url, json={"status": "active"}).json()["status"] == "active"
    assert sandbox_client.get(url).json()["status"] == "active"
    assert sandbox_client.get(f"{META}/applications/nope/apiAccess").status_code == 404


def test_routing_plan_export_import_force(sandbox_client: httpx.Client) -> None:
    base = f"{META}/routingProfiles/URGENT/plans"
    plans = items(sandbox_client.get(base))  # objects with planLabel, as live tenants answer
    assert [p["planLabel"] for p in plans] == ["URGENT_MAIN", "URGENT_REOPT"]
    exported = sandbox_client.get(f"{base}/URGENT_MAIN/custom-actions/export")
    assert exported.headers["content-type"] == "application/octet-stream"
    headers = {"Content-Type": "application/octet-stream"}
    again = sandbox_client.put(
        f"{base}/custom-actions/import", content=exported.content, headers=headers
    )
    assert again.status_code == 409
    assert again.json()["force"] == "required"
    forced = sandbox_client.put(
        f"{base}/custom-actions/forceImport", content=exported.content, headers=headers
    )
    assert forced.status_code == 200
    plan = json.loads(exported.content)
    plan["routingPlan"]["planLabel"] = "URGENT_COPY"
    copy = sandbox_client.put(
        f"{base}/custom-actions/import", content=json.dumps(plan), headers=headers
    )
    assert copy.status_code == 200
    assert "URGENT_COPY" in [p["planLabel"] for p in items(sandbox_client.get(base))]
    garbage = sandbox_client.put(f"{base}/custom-actions/import", content=b"zip?", headers=headers)
    assert garbage.status_code == 400


def test_routing_plan_start(sandbox_client: httpx.Client) -> None:
    base = f"{META}/routingProfiles/URGENT/plans/URGENT_MAIN"
    assert (
        sandbox_client.post(f"{base}/BK_NORTH/2026-11-20/custom-actions/start").status_code == 200
    )
    assert sandbox_client.post(f"{base}/NOBODY/2026-11-20/custom-actions/start").status_code == 404
    assert (
        sandbox_client.post(f"{base}/BK_NORTH/20-11-2026/custom-actions/start").status_code == 400
    )


def test_plugin_import_and_install(sandbox_client: httpx.Client) -> None:
    xml = b'<plugins><plugin label="my_plugin" version="1"/><plugin label="other"/></plugins>'
    url = f"{META}/plugins/custom-actions/import"
    response = sandbox_client.post(url, files={"pluginFile": ("p.xml", xml, "text/xml")})
    assert response.status_code == 204
    assert sandbox_client.post(url, files={"other": ("p.xml", xml, "text/xml")}).status_code == 400
    assert sandbox_client.post(url, json={"pluginFile": "x"}).status_code == 415
    bad_xml = sandbox_client.post(url, files={"pluginFile": ("p.xml", b"<oops", "text/xml")})
    assert bad_xml.status_code == 400
    install = f"{META}/plugins/route_summary/custom-actions/install"
    assert sandbox_client.post(install).status_code == 204
    again = sandbox_client.post(install)
    assert again.status_code == 409
    assert again.json()["o:errorCode"] == "LABEL_NOT_UNIQUE"
    assert sandbox_client.post(f"{META}/plugins/unknown/custom-actions/install").status_code == 404


def test_populate_shapes_and_layers(sandbox_client: httpx.Client) -> None:
    body = {
        "URL": "https://files.example/shapes.zip",
        "authentication": {"type": "none"},
        "SRID": 4326,
        "shapeIdentifierColumn": "ZONE",
    }
    started = sandbox_client.post(f"{META}/workZones/custom-actions/populateShapes", json=body)
    assert started.status_code == 200
    download_id = started.json()["downloadId"]
    status = sandbox_client.get(f"{META}/workZones/custom-actions/populateShapes/{download_id}")
    assert status.json()["status"] == "completed"
    wrong_kind = sandbox_client.get(f"{META}/mapLayers/custom-actions/populateLayers/{download_id}")
    assert wrong_kind.status_code == 404
    insecure = sandbox_client.post(
        f"{META}/workZones/custom-actions/populateShapes", json={**body, "URL": "http://x/y.zip"}
    )
    assert insecure.status_code == 400
    layers = {**body, "layerLabel": "PARKS"}
    assert (
        sandbox_client.post(
            f"{META}/mapLayers/custom-actions/populateLayers", json=layers
        ).status_code
        == 200
    )
