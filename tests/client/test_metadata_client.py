"""The Metadata namespace of both clients: over the served emulator (real HTTP) and, for the
exact shape of special requests, over a recording MockTransport."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ofsc_cli import OFSC, AsyncOFSC, OFSAPIError
from ofsc_cli.catalog import load_catalog
from ofsc_cli.client import ENDPOINTS
from ofsc_cli.client.api.metadata import Metadata
from ofsc_cli.models import Page, Translation
from ofsc_cli.models import metadata as m
from ofsc_cli.sandbox import Emulator, ServerHandle, Store, serve

V1 = "/rest/ofscMetadata/v1"


@pytest.fixture(scope="module")
def server(_seeded_store: Store) -> Iterator[ServerHandle]:
    """A private served emulator for this module (its writes do not leak elsewhere)."""
    # Live-like, not strict: the spec reuses full-object schemas (with their required fields)
    # for PATCH bodies, which send only what changes; see the note on issue 10.
    with serve(Emulator(_seeded_store.clone())) as handle:
        yield handle


def options(server: ServerHandle) -> dict[str, Any]:
    return {
        "instance": "sandbox",
        "client_id": "demo",
        "client_secret": "demo-secret",
        "base_url": server.url,
        "max_retries": 0,
    }


@pytest.fixture
def client(server: ServerHandle) -> Iterator[OFSC]:
    with OFSC(**options(server)) as c:
        yield c


# -- declarations -------------------------------------------------------------------------


def test_every_metadata_operation_is_declared_once_on_the_namespace() -> None:
    ops = {op.key for op in load_catalog().operations if op.family == "metadata"}
    declared = [s for s in ENDPOINTS if s.namespace == "metadata"]
    keys = [s.key for s in declared]
    assert len(ops) == 86
    assert set(keys) == ops
    assert len(keys) == len(set(keys)), "an operation is declared twice"
    for spec in declared:
        assert isinstance(getattr(Metadata, spec.name).spec, type(spec)), spec.name


def test_paged_lists_page_at_the_spec_maximum() -> None:
    by_key = load_catalog().by_key
    for spec in ENDPOINTS:
        if spec.namespace == "metadata" and spec.paging == "offset":
            assert spec.page_size == by_key[spec.key].limit_max == 100, spec.key


# -- over the served emulator -------------------------------------------------------------


def test_list_get_and_iterate_typed(client: OFSC) -> None:
    page = client.metadata.list_work_skills(limit=7)
    assert isinstance(page, Page) and len(page.items) == 7 and page.totalResults == 40
    assert all(isinstance(s, m.WorkSkill) for s in page.items)
    everything = list(client.metadata.list_work_skills.iter(limit=15))
    assert len({s.label for s in everything}) == 40
    skill = client.metadata.get_work_skill(everything[0].label or "")
    assert isinstance(skill.translations, list)
    assert all(isinstance(t, Translation) for t in skill.translations)


def test_collections_without_paging_return_items_envelopes(client: OFSC) -> None:
    orgs = client.metadata.list_organizations()
    assert {o.label for o in orgs.items} >= {"default", "bluepeak"}
    areas = client.metadata.list_capacity_areas(fields=["label", "name", "type"], type="area")
    assert areas.items and all(isinstance(a, m.CapacityArea) and a.name for a in areas.items)
    zones = client.metadata.list_capacity_area_work_zones("NORTH_URBAN")
    assert zones.items and all(isinstance(z, m.AreaWorkZone) for z in zones.items)
    old = client.metadata.list_capacity_area_work_zones_v1("NORTH_URBAN")
    assert len(old.items) == len(zones.items) and old.items[0].label
    assert client.metadata.list_capacity_area_time_slots("NORTH_URBAN").items
    assert client.metadata.list_capacity_area_time_intervals("NORTH_URBAN").items
    assert client.metadata.list_capacity_area_organizations("NORTH_URBAN").items
    assert client.metadata.list_capacity_area_capacity_categories("NORTH_URBAN").items
    assert {a.label for a in client.metadata.list_capacity_area_children("NORTH").items} == {
        "NORTH_URBAN",
        "NORTH_RURAL",
    }
    assert client.metadata.list_map_layers().items
    assert client.metadata.list_work_skill_conditions().items
    assert client.metadata.list_application_api_access("demo").items


def test_round_trip_keeps_unknown_fields_exactly(client: OFSC) -> None:
    raw = client.request("GET", f"{V1}/activityTypes/INSTALL").json()
    model = client.metadata.get_activity_type("INSTALL")
    assert model.to_dict() == raw


def test_put_create_replace_delete(client: OFSC) -> None:
    body = {"label": "CL_SKILL", "name": "Client skill", "active": True, "sharing": "maximal"}
    created = client.metadata.replace_work_skill("CL_SKILL", body)
    assert created.name == "Client skill"
    replaced = client.metadata.replace_work_skill(
        "CL_SKILL", m.WorkSkill(label="CL_SKILL", name="Renamed", active=False, sharing="summary")
    )
    assert (replaced.name, replaced.active) == ("Renamed", False)
    assert client.metadata.delete_work_skill("CL_SKILL") is None
    with pytest.raises(OFSAPIError) as info:
        client.metadata.get_work_skill("CL_SKILL")
    assert info.value.status_code == 404 and "CL_SKILL" in str(info.value)


def test_work_zone_writes_answer_204(client: OFSC) -> None:
    zone = {
        "workZoneLabel": "CL_Z1",
        "workZoneName": "Z1",
        "travelArea": "north",
        "keys": ["99901"],
    }
    created = client.metadata.create_work_zone(zone)
    assert created.workZoneLabel == "CL_Z1"
    assert client.metadata.replace_work_zone("CL_Z1", {**zone, "workZoneName": "Zone 1"}) is None
    assert (
        client.metadata.update_work_zones([{"workZoneLabel": "CL_Z1", "status": "inactive"}])
        is None
    )
    again = client.metadata.get_work_zone("CL_Z1")
    assert (again.workZoneName, again.status) == ("Zone 1", "inactive")


def test_link_templates_properties_and_enumerations(client: OFSC) -> None:
    template = {
        "label": "CL_LINK",
        "linkType": "related",
        "active": True,
        "translations": [{"language": "en", "name": "Client link"}],
    }
    assert client.metadata.create_link_template("CL_LINK", template).label == "CL_LINK"
    assert client.metadata.update_link_template("CL_LINK", {"active": False}).active is False
    prop = client.metadata.update_property("cust_tier", {"hint": "from the client"})
    assert prop.hint == "from the client"
    values = list(client.metadata.list_enumeration_values.iter("cust_tier"))
    assert values and all(isinstance(v, m.EnumerationValue) for v in values)
    new = {"label": "cl_tier", "active": True, "translations": [{"language": "en", "name": "Cl"}]}
    result = client.metadata.replace_enumeration_values("cust_tier", [new])
    assert "cl_tier" in {v.label for v in result.items}


def test_plugin_import_and_install(client: OFSC, server: ServerHandle) -> None:
    xml = b'<plugins><plugin label="cl_plugin"/></plugins>'
    assert client.metadata.import_plugin(xml) is None
    assert server.emulator.store.get("plugins", "cl_plugin") is not None
    assert client.metadata.install_plugin("route_summary") is None
    with pytest.raises(OFSAPIError) as info:
        client.metadata.install_plugin("route_summary")
    assert info.value.status_code == 409


def test_routing_plan_bytes_round_trip(client: OFSC) -> None:
    labels = [m.routing_label(p) for p in client.metadata.list_routing_plans.iter("URGENT")]
    assert labels == ["URGENT_MAIN", "URGENT_REOPT"]
    profiles = list(client.metadata.list_routing_profiles.iter())
    assert all(isinstance(p, m.RoutingProfile) for p in profiles)  # objects, as live
    assert "URGENT" in [m.routing_label(p) for p in profiles]
    data = client.metadata.export_routing_plan("URGENT", "URGENT_MAIN")
    assert isinstance(data, bytes) and json.loads(data)["routingPlan"]["planLabel"] == "URGENT_MAIN"
    with pytest.raises(OFSAPIError) as info:
        client.metadata.import_routing_plan("URGENT", data)
    assert info.value.status_code == 409
    assert client.metadata.force_import_routing_plan("URGENT", data)["status"] == "200"
    assert client.metadata.start_routing_plan("URGENT", "URGENT_MAIN", "BK_NORTH", "2026-11-20")


def test_populate_and_poll(client: OFSC) -> None:
    body = {
        "URL": "https://example.invalid/shapes.zip",
        "authentication": {"type": "none"},
        "shapeIdentifierColumn": "ZONE",
        "SRID": 4326,
    }
    started = client.metadata.populate_shapes(body)
    assert isinstance(started.downloadId, int)
    status = client.metadata.get_populate_shapes_status(started.downloadId)
    assert status.downloadId == started.downloadId and status.status
    layer = {**body, "layerLabel": "CL_LAYER"}
    del layer["shapeIdentifierColumn"]
    started = client.metadata.populate_layers(layer)
    assert client.metadata.get_populate_layers_status(started.downloadId or 0).status


def test_application_access_and_secret(client: OFSC) -> None:
    access = client.metadata.get_application_api_access("erp_sync", "coreAPI")
    assert isinstance(access, m.ApiAccessConfiguration) and access.status
    patched = client.metadata.update_application_api_access(
        "erp_sync", "statisticsAPI", {"status": "active"}
    )
    assert patched.status == "active"
    secret = client.metadata.generate_client_secret("bi_extract")
    assert secret.clientSecret and secret.clientSecret not in repr(secret)


async def test_async_client_shares_the_declarations(server: ServerHandle) -> None:
    async with AsyncOFSC(**options(server)) as client:
        page = await client.metadata.list_activity_types(limit=5)
        assert len(page.items) == 5
        labels = [t.label async for t in client.metadata.list_activity_types.iter(concurrency=4)]
        assert len(labels) == page.totalResults == len(set(labels))
        key = await client.metadata.get_work_zone_key()
        assert key.current and key.current[0].apiParameterName == "postalCode"
        group = await client.metadata.get_activity_type_group("customer")
        assert group.label == "customer"


# -- exact request shapes (recording transport) -------------------------------------------


@pytest.fixture
def recorded() -> Iterator[tuple[OFSC, list[httpx.Request]]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if request.method in ("PUT", "PATCH") and request.url.path.endswith("/workZones"):
            return httpx.Response(204)
        if request.url.path.endswith("/import") and "plugins" in request.url.path:
            return httpx.Response(204)
        return httpx.Response(200, json={"title": "Ok", "status": "200"})

    with OFSC("acme", "cli", "s", transport=httpx.MockTransport(handler)) as c:
        yield c, seen


def test_plugin_import_is_multipart_with_the_plugin_file_field(
    recorded: tuple[OFSC, list[httpx.Request]],
) -> None:
    client, seen = recorded
    client.metadata.import_plugin(b"<plugins/>", filename="p.xml")
    request = seen[-1]
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="pluginFile"; filename="p.xml"' in request.content
    assert b"<plugins/>" in request.content


def test_plan_import_sends_octet_stream_bytes(recorded: tuple[OFSC, list[httpx.Request]]) -> None:
    client, seen = recorded
    client.metadata.force_import_routing_plan("P", b"\x00plan-bytes")
    request = seen[-1]
    assert request.method == "PUT"
    assert request.url.path == f"{V1}/routingProfiles/P/plans/custom-actions/forceImport"
    assert request.headers["content-type"] == "application/octet-stream"
    assert request.content == b"\x00plan-bytes"


def test_bulk_work_zones_send_an_items_envelope(recorded: tuple[OFSC, list[httpx.Request]]) -> None:
    client, seen = recorded
    zone = m.WorkZone(workZoneLabel="A", workZoneName="A", travelArea="x")
    assert client.metadata.replace_work_zones([zone]) is None
    assert json.loads(seen[-1].content) == {
        "items": [{"workZoneLabel": "A", "workZoneName": "A", "travelArea": "x"}]
    }
    assert client.metadata.update_work_zones([{"workZoneLabel": "B", "status": "inactive"}]) is None
    assert seen[-1].method == "PATCH"
    assert json.loads(seen[-1].content) == {"items": [{"workZoneLabel": "B", "status": "inactive"}]}


def test_labels_are_path_encoded_and_queries_declared(
    recorded: tuple[OFSC, list[httpx.Request]],
) -> None:
    client, seen = recorded
    client.metadata.get_form("a b+c", language="es")
    assert seen[-1].url.raw_path == f"{V1}/forms/a%20b%2Bc?language=es".encode()
    client.metadata.replace_work_zone("Z", {"workZoneLabel": "Z"}, auto_resolve_conflicts=True)
    assert seen[-1].url.params["autoResolveConflicts"] == "true"


def test_body_models_require_what_the_api_requires() -> None:
    with pytest.raises(ValueError, match="travelArea"):
        m.WorkZoneBody.model_validate({"workZoneLabel": "A", "workZoneName": "A"})
    with pytest.raises(ValueError, match="sharing"):
        m.WorkSkillBody.model_validate({"active": True})
    lenient = m.WorkZone.model_validate({"workZoneLabel": "A", "extra": {"x": 1}})
    assert lenient.to_dict() == {"workZoneLabel": "A", "extra": {"x": 1}}
