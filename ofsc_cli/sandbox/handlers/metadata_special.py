"""Metadata operations with their own rules.

Work zones (key conflicts, bulk replace/update), work-zone key, work-skill conditions,
property enumeration lists, capacity areas and their sub-resources, application API access
and client secrets, routing plans (export/import/start), plugins (import/install) and the
asynchronous shape/layer population jobs.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.auth import APP_SECRETS
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    conflict,
    localize,
    merge,
    normalize_translations,
    not_found,
    now_text,
    paged_list,
    parse_date,
    require,
)
from ofsc_cli.sandbox.handlers.metadata import PREFIX, Collection, register
from ofsc_cli.sandbox.router import Call, route

__all__ = ["STANDARD_PLUGINS"]

#: Plugins the sandbox offers to ``POST plugins/{pluginLabel}/custom-actions/install``.
STANDARD_PLUGINS = ("barcode_scanner", "route_summary", "signature_pad", "parts_lookup")

# ------------------------------------------------------------------------------ work zones

_ZONE_REQUIRED = ("workZoneName", "travelArea")
_MAX_BULK_ZONES = 2000


def _zone_keys(doc: dict[str, Any]) -> list[str]:
    keys = doc.get("keys") or []
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise bad_request("'keys' must be an array of strings.")
    return keys


def _resolve_zone_keys(call: Call, doc: dict[str, Any], auto_resolve: bool) -> None:
    """Keys must be unique (case-insensitively) across active zones: 409, or take them over."""
    if doc.get("status", "active") != "active":
        return
    mine = {k.casefold() for k in _zone_keys(doc)}
    if not mine:
        return
    label = doc["workZoneLabel"]
    for other in call.store.items("workZones"):
        if other["workZoneLabel"] == label or other.get("status", "active") != "active":
            continue
        clash = [k for k in other.get("keys") or () if k.casefold() in mine]
        if not clash:
            continue
        if not auto_resolve:
            raise conflict(
                f"Key(s) {', '.join(clash)} already belong to work zone '{other['workZoneLabel']}'."
            )
        other["keys"] = [k for k in other["keys"] if k.casefold() not in mine]
        call.store.put("workZones", other["workZoneLabel"], other)


def _check_zone(call: Call, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
    doc.setdefault("status", "active")
    doc.setdefault("keys", [])
    doc.setdefault("shapes", [])
    if doc["status"] not in ("active", "inactive"):
        raise bad_request("'status' must be active or inactive.")
    if old is None:
        require(doc, _ZONE_REQUIRED, "a new work zone")
    _resolve_zone_keys(call, doc, call.bool_arg("autoResolveConflicts"))


register(
    Collection(
        "workZones",
        "work zone",
        key="workZoneLabel",
        put="replace",  # an unknown label is a 404 on live tenants: create with POST
        put_status=(204, 204),
        post="collection",
        check=_check_zone,
    )
)


def _bulk_zones(call: Call) -> list[dict[str, Any]]:
    body = call.json_object()
    items = body.get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise bad_request('The body must be {"items": [work zone, ...]}.')
    if len(items) > _MAX_BULK_ZONES:
        raise bad_request(f"At most {_MAX_BULK_ZONES} work zones per request.")
    for item in items:
        require(item, ("workZoneLabel",), "each work zone")
    return items


@route("PUT", f"{PREFIX}/workZones")
def replace_work_zones(call: Call) -> Response:
    """Bulk replace: every zone in the body is stored whole; zones left out are deactivated."""
    items = _bulk_zones(call)
    sent = {str(item["workZoneLabel"]) for item in items}
    with call.store.transaction():
        for item in items:
            require(item, _ZONE_REQUIRED, f"work zone '{item['workZoneLabel']}'")
            doc = {"status": "active", "keys": [], "shapes": [], **item}
            _resolve_zone_keys(call, doc, auto_resolve=True)
            call.store.put("workZones", doc["workZoneLabel"], doc)
        for zone in call.store.items("workZones"):
            if zone["workZoneLabel"] not in sent and zone.get("status") != "inactive":
                call.store.put("workZones", zone["workZoneLabel"], {**zone, "status": "inactive"})
    return Response.no_content()


@route("PATCH", f"{PREFIX}/workZones")
def update_work_zones(call: Call) -> Response:
    """Bulk update: only the fields sent change; unknown zones are created."""
    items = _bulk_zones(call)
    with call.store.transaction():
        for item in items:
            label = str(item["workZoneLabel"])
            old = call.store.get("workZones", label)
            if old is None:
                require(item, _ZONE_REQUIRED, f"new work zone '{label}'")
                old = {"status": "active", "keys": [], "shapes": []}
            doc = merge(old, item)
            _resolve_zone_keys(call, doc, auto_resolve=True)
            call.store.put("workZones", label, doc)
    return Response.no_content()


@route("GET", f"{PREFIX}/workZoneKey")
def get_work_zone_key(call: Call) -> Response:
    return Response.json(call.store.get("workZoneKey", "workZoneKey") or {"current": []})


# -------------------------------------------------------------------- work skill conditions


def _conditions_body(call: Call) -> Response:
    items = call.store.items("workSkillConditions")
    return Response.json({"items": items, "totalResults": len(items)})


@route("GET", f"{PREFIX}/workSkillConditions")
def get_work_skill_conditions(call: Call) -> Response:
    return _conditions_body(call)


@route("PUT", f"{PREFIX}/workSkillConditions")
def replace_work_skill_conditions(call: Call) -> Response:
    """Replace all conditions: those not sent are deleted."""
    items = call.json_object().get("items")
    if not isinstance(items, list):
        raise bad_request('The body must be {"items": [condition, ...]}.')
    rows: list[tuple[str | int, Any, str | None]] = []
    for item in items:
        if not isinstance(item, dict):
            raise bad_request("Each condition must be an object.")
        require(item, ("internalId", "label", "requiredLevel", "preferableLevel"), "a condition")
        if call.store.get("workSkills", item["label"]) is None:
            raise bad_request(f"Unknown work skill '{item['label']}'.")
        rows.append((item["internalId"], item, None))
    if len({key for key, _, _ in rows}) != len(rows):
        raise bad_request("Each condition needs a distinct 'internalId'.")
    call.store.replace_all("workSkillConditions", rows)
    return _conditions_body(call)


# ------------------------------------------------------------------------ enumeration lists


def _enumeration_property(call: Call) -> str:
    label = call.param("label")
    prop = call.store.get("properties", label)
    if prop is None:
        raise not_found("property", label)
    if prop.get("type") != "enumeration":
        raise bad_request(f"The property '{label}' is not of type enumeration.")
    return label


@route("GET", f"{PREFIX}/properties/{{label}}/enumerationList")
def get_enumeration_list(call: Call) -> Response:
    label = _enumeration_property(call)
    language = call.arg("language")
    values = [localize(v, language) for v in call.store.items(f"enumerationList:{label}")]
    return paged_list(call, values)


@route("PUT", f"{PREFIX}/properties/{{label}}/enumerationList")
def replace_enumeration_list(call: Call) -> Response:
    """Update or add values; values left out are kept (OFS never deletes them)."""
    label = _enumeration_property(call)
    if label == "country_code":
        raise bad_request("The enumeration of 'country_code' cannot be changed.")
    items = call.json_object().get("items")
    if not isinstance(items, list) or not items:
        raise bad_request('The body must be {"items": [value, ...]} with at least one value.')
    collection = f"enumerationList:{label}"
    with call.store.transaction():
        for item in items:
            if not isinstance(item, dict):
                raise bad_request("Each enumeration value must be an object.")
            value = str(item.get("label", ""))
            if value in ("", "0", "-1"):
                raise bad_request("An enumeration value label cannot be empty, '0' or '-1'.")
            translations = normalize_translations(item.get("translations"))
            if not any(t["language"] == "en" and t["name"] for t in translations):
                raise bad_request(f"The value '{value}' needs an English translation.")
            call.store.put(
                collection,
                value,
                {
                    "label": value,
                    "active": bool(item.get("active", True)),
                    "translations": translations,
                },
            )
        values = call.store.items(collection)
        if not any(v.get("active") for v in values):
            raise bad_request("At least one enumeration value must stay active.")
    return Response.json({"items": values, "totalResults": len(values)})


# --------------------------------------------------------------------------- capacity areas

_AREA_FIELDS = ("label", "name", "type", "status")
_PARENT_FIELDS = ("parent.label", "parent.name")


def _area(call: Call, label: str) -> dict[str, Any]:
    doc = call.store.get("capacityAreas", label)
    if doc is None:
        raise not_found("capacity area", label)
    return doc  # type: ignore[no-any-return]


def _area_links(call: Call, label: str) -> dict[str, Any]:
    _area(call, label)
    links: dict[str, Any] = call.store.get("capacityAreaLinks", label) or {}
    return links


def _area_list(call: Call, areas: list[dict[str, Any]]) -> Response:
    fields = call.list_arg("fields") or ["label"]
    unknown = [f for f in fields if f not in _AREA_FIELDS + _PARENT_FIELDS]
    if unknown:
        raise bad_request(f"Unknown field(s): {', '.join(unknown)}.")
    expand = call.arg("expand")
    if expand not in (None, "parent"):
        raise bad_request("'expand' accepts only 'parent'.")
    status = (call.arg("status") or "").lower()
    if status not in ("", "active", "inactive"):
        raise bad_request("'status' must be active or inactive.")
    kind = (call.arg("type") or "").lower()
    if kind not in ("", "area", "group"):
        raise bad_request("'type' must be area or group.")
    parent_fields = [f.split(".", 1)[1] for f in fields if f in _PARENT_FIELDS] or ["label"]
    items = []
    for doc in areas:
        if status and doc.get("status") != status:
            continue
        if kind == "area" and doc.get("type") != "area":
            continue
        item = {f: doc[f] for f in fields if f in _AREA_FIELDS and f in doc}
        parent_label = doc.get("parentLabel")
        if expand == "parent" and parent_label:
            parent = call.store.get("capacityAreas", parent_label) or {"label": parent_label}
            item["parent"] = {f: parent[f] for f in parent_fields if f in parent}
        items.append(item)
    return Response.json({"items": items})


@route("GET", f"{PREFIX}/capacityAreas")
def list_capacity_areas(call: Call) -> Response:
    return _area_list(call, call.store.items("capacityAreas"))


@route("GET", f"{PREFIX}/capacityAreas/{{label}}/children")
def list_capacity_area_children(call: Call) -> Response:
    children = set(_area_links(call, call.param("label")).get("children", ()))
    return _area_list(
        call, [a for a in call.store.items("capacityAreas") if a["label"] in children]
    )


@route("GET", f"{PREFIX}/capacityAreas/{{label}}")
def get_capacity_area(call: Call) -> Response:
    doc = _area(call, call.param("label"))
    base = call.request.base_url.rstrip("/") + call.request.path
    body = dict(doc)
    for name in (
        "capacityCategories",
        "timeSlots",
        "workZones",
        "timeIntervals",
        "organizations",
        "children",
    ):
        body[name] = {"href": f"{base}/{name}"}
    return Response.json(body)


def _items(values: list[Any]) -> Response:
    return Response.json({"items": values})


@route("GET", f"{PREFIX}/capacityAreas/{{label}}/capacityCategories")
def area_capacity_categories(call: Call) -> Response:
    out = []
    for label in _area_links(call, call.param("label")).get("capacityCategories", ()):
        cat = call.store.get("capacityCategories", label) or {"label": label}
        active = cat.get("active", True)
        out.append(
            {
                "label": label,
                "name": cat.get("name", label),
                "status": "active" if active else "inactive",
            }
        )
    return _items(out)


def _area_zones(call: Call) -> list[dict[str, Any]]:
    zones = []
    for label in _area_links(call, call.param("label")).get("workZones", ()):
        zones.append(call.store.get("workZones", label) or {"workZoneLabel": label})
    return zones


@route("GET", "/rest/ofscMetadata/v2/capacityAreas/{label}/workZones")
def area_work_zones_v2(call: Call) -> Response:
    return _items(
        [
            {"workZoneLabel": z["workZoneLabel"], "workZoneName": z.get("workZoneName")}
            for z in _area_zones(call)
        ]
    )


@route("GET", f"{PREFIX}/capacityAreas/{{label}}/workZones")
def area_work_zones_v1(call: Call) -> Response:
    # The deprecated v1 puts the zone *name* in ``label``.
    return _items([{"label": z.get("workZoneName", z["workZoneLabel"])} for z in _area_zones(call)])


@route("GET", f"{PREFIX}/capacityAreas/{{label}}/timeSlots")
def area_time_slots(call: Call) -> Response:
    out = []
    for label in _area_links(call, call.param("label")).get("timeSlots", ()):
        slot = call.store.get("timeSlots", label) or {"label": label}
        item = {"label": label, "name": slot.get("name", label)}
        if "timeStart" in slot:
            item.update(timeFrom=slot["timeStart"], timeTo=slot["timeEnd"])
        out.append(item)
    return _items(out)


@route("GET", f"{PREFIX}/capacityAreas/{{label}}/timeIntervals")
def area_time_intervals(call: Call) -> Response:
    return _items(list(_area_links(call, call.param("label")).get("timeIntervals", ())))


@route("GET", f"{PREFIX}/capacityAreas/{{label}}/organizations")
def area_organizations(call: Call) -> Response:
    out = []
    for label in _area_links(call, call.param("label")).get("organizations", ()):
        org = call.store.get("organizations", label) or {"label": label}
        out.append({"label": label, "name": org.get("name"), "type": org.get("type")})
    return _items(out)


# ------------------------------------------------------------------------------ applications


def _application(call: Call) -> str:
    label = call.param("label")
    if call.store.get("applications", label) is None:
        raise not_found("application", label)
    return label


@route("GET", f"{PREFIX}/applications/{{label}}/apiAccess")
def list_api_access(call: Call) -> Response:
    label = _application(call)
    return _items(
        [
            {"label": a["label"], "name": a.get("name"), "status": a.get("status")}
            for a in call.store.items(f"applicationApiAccess:{label}")
        ]
    )


def _api_access(call: Call) -> tuple[str, dict[str, Any]]:
    collection = f"applicationApiAccess:{_application(call)}"
    api = call.param("apiLabel")
    doc = call.store.get(collection, api)
    if doc is None:
        raise not_found("API access", api)
    return collection, doc


#: What each API's access lists on live tenants (NOTES §9): the entities of the APIs that
#: answer ``apiEntities``, the methods of the capacity API; ``activityFields`` (and the other
#: field lists) belong to the inbound API only.
_API_ENTITIES = {
    "coreAPI": ("activity", "resource", "user", "inventory", "event"),
    "metadataAPI": ("activityType", "workZone", "workSkill", "property", "capacityArea"),
    "statisticsAPI": ("activityDurationStats", "activityTravelStats"),
    "fieldCollaborationAPI": ("chat", "addressBook"),
}
_API_METHODS = ("capacity", "quota", "activityBookingOptions", "bookingStatuses", "showBookingGrid")
_FIELD_LISTS = ("activityFields", "inventoryFields", "providerFields", "userFields")
_INBOUND_FIELDS = ("cust_tier", "cust_service_level", "job_notes")


def _api_access_view(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored API access the way live tenants answer it."""
    api = doc["label"]
    out = {k: v for k, v in doc.items() if api == "inboundAPI" or k not in _FIELD_LISTS}
    active = doc.get("status") == "active"
    if api in _API_ENTITIES:
        entities = out.get("apiEntities") or [
            {"label": label, "access": "ReadWrite" if active else "Hidden"}
            for label in _API_ENTITIES[api]
        ]
        out["apiEntities"] = [
            {
                "label": e["label"],
                "name": e.get("name") or e["label"][:1].upper() + e["label"][1:],
                "access": e.get("access") or e.get("accessRights"),
                "accessRights": e.get("accessRights") or e.get("access"),
                **{k: v for k, v in e.items() if k not in ("label", "name")},
            }
            for e in entities
        ]
    elif api == "capacityAPI":
        out.setdefault(
            "apiMethods",
            [{"label": m, "status": "on" if active else "off"} for m in _API_METHODS],
        )
    elif api == "inboundAPI":
        out.setdefault(
            "activityFields",
            [
                {"label": name, "visibilities": [{"visibility": "ReadWrite"}]}
                for name in _INBOUND_FIELDS
            ],
        )
    return out


@route("GET", f"{PREFIX}/applications/{{label}}/apiAccess/{{apiLabel}}")
def get_api_access(call: Call) -> Response:
    return Response.json(_api_access_view(_api_access(call)[1]))


@route("PATCH", f"{PREFIX}/applications/{{label}}/apiAccess/{{apiLabel}}")
def update_api_access(call: Call) -> Response:
    body = call.json_object()
    with call.store.transaction():
        collection, doc = _api_access(call)
        if body.get("status", "active") not in ("active", "inactive"):
            raise bad_request("'status' must be active or inactive.")
        doc = merge(doc, {k: v for k, v in body.items() if k != "label"})
        call.store.put(collection, doc["label"], doc)
    return Response.json(_api_access_view(doc))


@route("POST", f"{PREFIX}/applications/{{label}}/custom-actions/generateClientSecret")
def generate_client_secret(call: Call) -> Response:
    """A new secret; ``<label>@<instance>:<secret>`` then authenticates (Basic)."""
    label = _application(call)
    secret = secrets.token_urlsafe(24)
    call.store.put(APP_SECRETS, label, secret)
    return Response.json({"clientSecret": secret})


# ----------------------------------------------------------------------------- routing plans


def _profile(call: Call) -> str:
    profile = call.param("profileLabel")
    if call.store.get("routingProfiles", profile) is None:
        raise not_found("routing profile", profile)
    return profile


def _plan(call: Call) -> tuple[str, dict[str, Any]]:
    collection = f"routingPlans:{_profile(call)}"
    plan = call.param("planLabel")
    doc = call.store.get(collection, plan)
    if doc is None:
        raise not_found("routing plan", plan)
    return collection, doc


@route("GET", f"{PREFIX}/routingProfiles/{{profileLabel}}/plans")
def list_routing_plans(call: Call) -> Response:
    profile = _profile(call)
    return paged_list(call, call.store.items(f"routingPlans:{profile}"))  # objects, as live


@route(
    "GET", f"{PREFIX}/routingProfiles/{{profileLabel}}/plans/{{planLabel}}/custom-actions/export"
)
def export_routing_plan(call: Call) -> Response:
    _, doc = _plan(call)
    data = json.dumps({"routingPlan": doc}, indent=2).encode()
    return Response.binary(data, "application/octet-stream")


def _import_plan(call: Call, *, force: bool) -> Response:
    profile = _profile(call)
    try:
        data = json.loads(call.request.body)
        plan = data["routingPlan"]
        label = str(plan["planLabel"])
    except (ValueError, KeyError, TypeError):
        raise bad_request("The body is not an exported routing plan.") from None
    collection = f"routingPlans:{profile}"
    with call.store.transaction():
        if not force and call.store.get(collection, label) is not None:
            raise OFSHTTPError(409, "Fail", "The routing plan already exist.", force="required")
        call.store.put(collection, label, {**plan, "profileLabel": profile})
    return Response.json({"title": "Ok", "status": "200", "detail": f"Plan '{label}' imported."})


@route("PUT", f"{PREFIX}/routingProfiles/{{profileLabel}}/plans/custom-actions/import")
def import_routing_plan(call: Call) -> Response:
    return _import_plan(call, force=False)


@route("PUT", f"{PREFIX}/routingProfiles/{{profileLabel}}/plans/custom-actions/forceImport")
def force_import_routing_plan(call: Call) -> Response:
    return _import_plan(call, force=True)


@route(
    "POST",
    f"{PREFIX}/routingProfiles/{{profileLabel}}/plans/{{planLabel}}/{{resourceExternalId}}"
    "/{date}/custom-actions/start",
)
def start_routing_plan(call: Call) -> Response:
    _plan(call)
    resource_id = call.param("resourceExternalId")
    resource = call.store.get("resources", resource_id)
    if resource is None:
        raise not_found("resource", resource_id)
    if resource.get("resourceType") != "BK":
        raise bad_request(f"The resource '{resource_id}' is not a bucket.")
    parse_date(call.param("date"), "date")
    return Response.json({"title": "Ok", "status": "200", "detail": "Routing started."})


# ---------------------------------------------------------------------------------- plugins


def _multipart_file(call: Call, field: str) -> bytes:
    from email import policy
    from email.parser import BytesParser

    content_type = call.request.header("content-type", "") or ""
    if (
        not content_type.lower().startswith("multipart/form-data")
        or "boundary=" not in content_type
    ):
        raise OFSHTTPError(415, None, "Expected a multipart/form-data body with a boundary.")
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + call.request.body
    )
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == field:
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    raise bad_request(f"The multipart body has no '{field}' file.")


@route("POST", f"{PREFIX}/plugins/custom-actions/import")
def import_plugins(call: Call) -> Response:
    """Store every ``<plugin label="…">`` of the uploaded XML (existing labels are updated)."""
    import xml.etree.ElementTree as ET

    data = _multipart_file(call, "pluginFile")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise bad_request(f"The plugin file is not valid XML: {exc}.") from None
    labels = [
        el.get("label") for el in root.iter() if el.tag.endswith("plugin") and el.get("label")
    ]
    if not labels:
        raise bad_request("The plugin file holds no <plugin label=...> element.")
    with call.store.transaction():
        for label in labels:
            call.store.put("plugins", str(label), {"label": label, "source": "import"})
    return Response.no_content()


@route("POST", f"{PREFIX}/plugins/{{pluginLabel}}/custom-actions/install")
def install_plugin(call: Call) -> Response:
    label = call.param("pluginLabel")
    if label not in STANDARD_PLUGINS:
        raise not_found("standard plugin", label)
    with call.store.transaction():
        if call.store.get("plugins", label) is not None:
            raise conflict(
                f"A plugin labelled '{label}' already exists.",
                **{"o:errorCode": "LABEL_NOT_UNIQUE"},
            )
        call.store.put("plugins", label, {"label": label, "source": "standard"})
    return Response.no_content()


# ------------------------------------------------------------------- shape / layer downloads


def _start_download(call: Call, kind: str, name_field: str) -> Response:
    body = call.json_object()
    require(body, ("URL", "authentication", "SRID", name_field), "the download")
    if not str(body["URL"]).lower().startswith("https://"):
        raise bad_request("'URL' must be an HTTPS URL.")
    auth = body["authentication"]
    if not isinstance(auth, dict) or auth.get("type") not in ("basic", "ftp", "none"):
        raise bad_request("'authentication.type' must be basic, ftp or none.")
    download_id = call.store.next_id("downloadId", 1001)
    job = {"downloadId": download_id, "kind": kind, "status": "completed", "time": now_text(call)}
    call.store.put("downloads", download_id, job)
    return Response.json({"status": "pending", "time": job["time"], "downloadId": download_id})


def _download_status(call: Call, kind: str) -> Response:
    download_id = call.param("downloadId")
    job = call.store.get("downloads", download_id)
    if job is None or job.get("kind") != kind:
        raise not_found("download", download_id)
    return Response.json({k: job[k] for k in ("status", "time", "downloadId")})


@route("POST", f"{PREFIX}/workZones/custom-actions/populateShapes")
def populate_shapes(call: Call) -> Response:
    return _start_download(call, "shapes", "shapeIdentifierColumn")


@route("GET", f"{PREFIX}/workZones/custom-actions/populateShapes/{{downloadId}}")
def populate_shapes_status(call: Call) -> Response:
    return _download_status(call, "shapes")


@route("POST", f"{PREFIX}/mapLayers/custom-actions/populateLayers")
def populate_layers(call: Call) -> Response:
    return _start_download(call, "layers", "layerLabel")


@route("GET", f"{PREFIX}/mapLayers/custom-actions/populateLayers/{{downloadId}}")
def populate_layers_status(call: Call) -> Response:
    return _download_status(call, "layers")
