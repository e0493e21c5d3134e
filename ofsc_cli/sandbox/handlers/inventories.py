"""Core API: inventories (``inventories``, their actions and file properties) and the
inventories of a resource (``resources/{resourceId}/inventories``, install, and
``resources/custom-actions/bulkUpdateInventories``).

Inventories live in the ``inventories`` collection (``parent`` = resourceId for those in a
resource's pool).  A new inventory needs an existing ``inventoryType``; its status is
customer, resource, installed or deinstalled (resource ones need an existing resource, the
others an existing activity).  ``PATCH`` cannot change id, status, resource or activity: the
actions do (install from resource, deinstall from customer or installed, undoInstall,
undoDeinstall), each moving the inventory to the body's activity (or back to the activity
resource's pool) and splitting a pool when a smaller ``quantity`` is given.  The bulk update
adds or updates pool inventories by type and serial number (``operationType: replace``
empties the pool first) and reports per-resource counts and errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.handlers._common import (
    MAX_BODY_BYTES,
    bad_request,
    conflict,
    error_body,
    file_property_routes,
    find_activity,
    merge,
    not_found,
    page_args,
    paged_raw,
    require,
)
from ofsc_cli.sandbox.handlers.resources import get_resource
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.store import Store

V1 = "/rest/ofscCore/v1"
RES = f"{V1}/resources/{{resourceId}}"

INV = f"{V1}/inventories/{{inventoryId}}"


def _inventory(call: Call) -> dict[str, Any]:
    doc = call.store.get("inventories", call.param("inventoryId"))
    if doc is None:
        raise not_found("inventory", call.param("inventoryId"))
    return doc  # type: ignore[no-any-return]


def _save_inventory(store: Store, doc: dict[str, Any]) -> None:
    owner = doc.get("resourceId") if doc.get("status") == "resource" else None
    store.put("inventories", doc["inventoryId"], doc, parent=owner)


# ----------------------------------------------------------------------------- inventories


@route("POST", f"{V1}/inventories")
def create_inventory(call: Call) -> Response:
    body = call.json_object()
    require(body, ("inventoryType",), "an inventory")
    if call.store.get("inventoryTypes", body["inventoryType"]) is None:
        raise bad_request(f"Unknown inventory type '{body['inventoryType']}'.")
    status = body.get("status", "resource" if body.get("resourceId") else "customer")
    if status not in ("customer", "resource", "installed", "deinstalled"):
        raise bad_request("'status' must be customer, resource, installed or deinstalled.")
    if status == "resource":
        require(body, ("resourceId",), "a resource inventory")
        get_resource(call.store, str(body["resourceId"]))
    else:
        require(body, ("activityId",), f"a {status} inventory")
        find_activity(call.store, body["activityId"])
    inventory_id = call.store.next_id("inventoryId")
    doc = {"quantity": 1, **body, "inventoryId": inventory_id, "status": status}
    _save_inventory(call.store, doc)
    return Response.json(doc, 201)


@route("GET", INV)
def get_inventory(call: Call) -> Response:
    return Response.json(_inventory(call))


@route("PATCH", INV)
def update_inventory(call: Call) -> Response:
    body = call.json_object()
    for fixed in ("inventoryId", "status", "resourceId", "activityId"):
        if fixed in body and body[fixed] != _inventory(call).get(fixed):
            raise bad_request(f"'{fixed}' cannot be changed with PATCH; use the actions.")
    with call.store.transaction():
        doc = merge(_inventory(call), body)
        _save_inventory(call.store, doc)
    return Response.json(doc)


@route("DELETE", INV)
def delete_inventory(call: Call) -> Response:
    doc = _inventory(call)
    call.store.delete("inventories", doc["inventoryId"])
    return Response.no_content()


def _move(
    call: Call, doc: dict[str, Any], allowed: tuple[str, ...], status: str, to_activity: bool
) -> Response:
    """One inventory action: ``doc`` must be in an ``allowed`` status; it becomes ``status``
    at the body's activity (or back in the activity's resource pool)."""
    body = call.json_object() if call.request.body.strip() else {}
    if doc.get("status") not in allowed:
        raise conflict(
            f"The inventory {doc['inventoryId']} is '{doc.get('status')}'; "
            f"this action needs {' or '.join(allowed)}."
        )
    activity_id = body.get("activityId", doc.get("activityId"))
    if activity_id is None:
        raise bad_request("'activityId' is required.")
    activity = find_activity(call.store, activity_id)
    with call.store.transaction():
        moved = dict(doc)
        quantity = body.get("quantity")
        pool = float(doc.get("quantity") or 1)
        if quantity is not None and 0 < float(quantity) < pool:  # split the pool
            doc["quantity"] = pool - float(quantity)
            _save_inventory(call.store, doc)
            moved = {**doc, "inventoryId": call.store.next_id("inventoryId"), "quantity": quantity}
        moved["status"] = status
        if to_activity:
            moved["activityId"] = activity["activityId"]
            moved.pop("resourceId", None)
        else:
            moved["resourceId"] = activity.get("resourceId")
            moved.pop("activityId", None)
        _save_inventory(call.store, moved)
    return Response(200)


_ACTIONS = {
    "install": (("resource",), "installed", True),
    "deinstall": (("customer", "installed"), "deinstalled", True),
    "undoInstall": (("installed",), "resource", False),
    "undoDeinstall": (("deinstalled",), "customer", True),
}


def _action_handler(name: str) -> Callable[[Call], Response]:
    allowed, status, to_activity = _ACTIONS[name]

    def handle(call: Call) -> Response:
        return _move(call, _inventory(call), allowed, status, to_activity)

    return handle


for _name in _ACTIONS:
    route("POST", f"{INV}/custom-actions/{_name}")(_action_handler(_name))


file_property_routes(INV, "inventory", lambda c: str(_inventory(c)["inventoryId"]))


# ---------------------------------------------------------------- a resource's inventories


@route("GET", f"{RES}/inventories")
def get_resource_inventories(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    offset, limit = page_args(call)
    texts = call.store.items_raw("inventories", parent=rid, offset=offset, limit=limit)
    return paged_raw(call, texts, call.store.count("inventories", parent=rid), offset, limit)


@route("POST", f"{RES}/inventories")
def add_resource_inventory(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    body = call.json_object()
    require(body, ("inventoryType",), "a resource inventory")
    inv_type = call.store.get("inventoryTypes", body["inventoryType"])
    if inv_type is None:
        raise bad_request(f"Unknown inventory type '{body['inventoryType']}'.")
    inventory_id = call.store.next_id("inventoryId")
    doc = {"inventoryId": inventory_id, "status": "resource", "quantity": 1, **body}
    doc.update(inventoryId=inventory_id, resourceId=rid, status="resource")
    call.store.put("inventories", inventory_id, doc, parent=rid)
    return Response.json(doc, 201)


@route("POST", f"{RES}/inventories/{{inventoryId}}/custom-actions/install")
def install_resource_inventory(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    doc = _inventory(call)
    if doc.get("resourceId") != rid:
        raise not_found(f"inventory of resource '{rid}'", doc["inventoryId"])
    return _move(call, doc, ("resource",), "installed", True)


@route("POST", f"{V1}/resources/custom-actions/bulkUpdateInventories")
def bulk_update_inventories(call: Call) -> Response:
    if len(call.request.body) > MAX_BODY_BYTES:
        raise OFSHTTPError(413, None, "The request body exceeds 5 MB.")
    pools = call.json_object().get("resources")
    if not isinstance(pools, list):
        raise bad_request("'resources' (an array) is required.")
    for index, pool in enumerate(pools):
        if not isinstance(pool, dict) or not pool.get("resourceId"):
            raise bad_request(f"resources[{index}]: 'resourceId' is required.")
        if not isinstance(pool.get("inventories"), list):
            raise bad_request(f"resources[{index}]: 'inventories' (an array) is required.")
    totals = {"created": 0, "updated": 0, "deleted": 0, "itemsFailed": 0}
    results = []
    with call.store.transaction():
        for pool in pools:
            result = _apply_pool(call.store, pool)
            for key in ("created", "updated", "deleted"):
                totals[key] += result[key]
            totals["itemsFailed"] += len(result["errors"])
            results.append(result)
    return Response.json({**totals, "results": results})


def _apply_pool(store: Store, pool: dict[str, Any]) -> dict[str, Any]:
    rid = str(pool["resourceId"])
    result: dict[str, Any] = {
        "resourceId": rid,
        "created": 0,
        "updated": 0,
        "deleted": 0,
        "errors": [],
    }
    if store.get("resources", rid) is None:
        result["errors"].append(error_body(f"The resource '{rid}' is not found."))
        return result
    existing = [i for i in store.items("inventories", parent=rid) if i.get("status") == "resource"]
    if pool.get("operationType") == "replace":
        for doc in existing:
            store.delete("inventories", doc["inventoryId"])
            result["deleted"] += 1
        existing = []
    for item in pool["inventories"]:
        label = item.get("inventoryType") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not label or store.get("inventoryTypes", label) is None:
            result["errors"].append(error_body(f"Unknown inventory type '{label}'."))
            continue
        serial = item.get("serialNumber")
        match = next(
            (
                doc
                for doc in existing
                if doc.get("inventoryType") == item["inventoryType"]
                and (doc.get("serialNumber") == serial if serial else not doc.get("serialNumber"))
            ),
            None,
        )
        if match is not None:
            match.update(item)
            _save_inventory(store, match)
            result["updated"] += 1
            continue
        doc = {
            "quantity": 1,
            **item,
            "inventoryId": store.next_id("inventoryId"),
            "status": "resource",
            "resourceId": rid,
        }
        _save_inventory(store, doc)
        existing.append(doc)
        result["created"] += 1
    return result
