"""Metadata API: capacity areas and their sub-resources (categories, work zones v1 and v2,
time slots, time intervals, organizations, children).

Areas live in ``capacityAreas``, their links in ``capacityAreaLinks`` (key = area label).
Lists take ``fields`` (label, name, type, status, parent.label, parent.name; label by
default), ``expand=parent``, ``status`` and ``type`` filters; one area carries an ``href`` to
each sub-resource.  The deprecated v1 work zones put the zone *name* in ``label``.
"""

from __future__ import annotations

from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    not_found,
)
from ofsc_cli.sandbox.handlers.metadata import PREFIX
from ofsc_cli.sandbox.router import Call, route

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
