"""Metadata API: work zones (the collection, its bulk replace and update, the work-zone key)
and the asynchronous shape and map-layer population jobs.

Rules emulated: a work zone's keys are unique, case-insensitively, across active zones: a
clash is a 409 unless ``autoResolveConflicts=true`` (or a bulk call), which takes the keys
over from the other zone.  ``PUT workZones/{label}`` answers 404 for an unknown label (create
with ``POST``); the bulk ``PUT`` stores every zone sent whole and deactivates the others, the
bulk ``PATCH`` changes only the fields sent and creates unknown zones; at most 2000 zones per
bulk call.  A population job needs an HTTPS ``URL`` and an ``authentication.type`` of basic,
ftp or none; it is complete at once (ids from 1001, kept in ``downloads``).
"""

from __future__ import annotations

from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    conflict,
    merge,
    not_found,
    now_text,
    require,
)
from ofsc_cli.sandbox.handlers.metadata import PREFIX, Collection, register
from ofsc_cli.sandbox.router import Call, route

_ZONE_REQUIRED = ("workZoneName", "travelArea")
_MAX_BULK_ZONES = 2000


# -------------------------------------------------------------------------- the collection


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


# ----------------------------------------------------------------- bulk replace and update


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


# ---------------------------------------------------------------- shape / layer population


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
