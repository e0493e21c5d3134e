"""Core API: what hangs off one activity: file properties, inventories (customer, installed,
deinstalled), required inventories, resource preferences, links, submitted forms, capacity
categories and multiday segments.

State, in store collections:

=================================  ===============================================
``activityLinks``                  one document per link (key ``from:to:type``)
``activityRequiredInventories``    ``{items}`` per activity (key = activity id)
``activityResourcePreferences``    ``{items}`` per activity
``activityFiles``                  file properties (key ``id:label``; content base64)
=================================  ===============================================

Rules emulated: a file property must be an activity property of type file, at most 5 MB,
served as JSON metadata or, when asked for its media type or octet-stream, as bytes (with
``Range``/``If-Range``); required inventories and resource preferences are replaced whole by
``PUT`` and emptied by ``DELETE``; a link joins two existing activities with a link template
label (or its reverse label), never an activity to itself, once per type (409).  Changes are
logged as events.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    conflict,
    not_found,
    page_args,
    paged,
    serve_file,
    whole_list,
)
from ofsc_cli.sandbox.handlers.activities import (
    ACTIVITY,
    check_resource,
    load_activity,
    path_activity,
)
from ofsc_cli.sandbox.handlers.events import activity_details, emit_event
from ofsc_cli.sandbox.router import Call, parse_id, route
from ofsc_cli.sandbox.store import Store

MAX_FILE_BYTES = 5_000_000
LINK = f"{ACTIVITY}/linkedActivities/{{linkedActivityId}}/linkTypes/{{linkType}}"


# ------------------------------------------------------------------------- file properties


def _file_property(call: Call, entity: str) -> str:
    label = call.param("propertyLabel")
    prop = call.store.get("properties", label)
    if prop is None or prop.get("entity") != entity or prop.get("type") != "file":
        raise not_found(f"{entity} file property", label)
    return label


def _file_key(activity_id: int, label: str) -> str:
    return f"{activity_id}:{label}"


@route("GET", f"{ACTIVITY}/{{propertyLabel}}")
def get_activity_file(call: Call) -> Response:
    doc = path_activity(call)
    label = _file_property(call, "activity")
    stored = call.store.get("activityFiles", _file_key(doc["activityId"], label))
    return serve_file(call, stored, label)


@route("PUT", f"{ACTIVITY}/{{propertyLabel}}")
def put_activity_file(call: Call) -> Response:
    doc = path_activity(call)
    label = _file_property(call, "activity")
    data = call.request.body
    if not data:
        raise bad_request("The request body (the file) is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise OFSHTTPError(413, None, f"A file property holds at most {MAX_FILE_BYTES} bytes.")
    media_type = (call.request.header("content-type") or "application/octet-stream").split(";")[0]
    disposition = call.request.header("content-disposition") or ""
    name = re.search(r'filename="?([^";]+)"?', disposition)
    call.store.put(
        "activityFiles",
        _file_key(doc["activityId"], label),
        {
            "mediaType": media_type.strip(),
            "fileName": name.group(1) if name else None,
            "size": len(data),
            "content": base64.b64encode(data).decode(),
        },
    )
    emit_event(call, "activityUpdated", doc, activityChanges={label: "(file)"})
    return Response.no_content()


@route("DELETE", f"{ACTIVITY}/{{propertyLabel}}")
def delete_activity_file(call: Call) -> Response:
    doc = path_activity(call)
    label = _file_property(call, "activity")
    if not call.store.delete("activityFiles", _file_key(doc["activityId"], label)):
        raise not_found("file", label)
    return Response.no_content()


# ----------------------------------------------------------------------------- inventories


def _inventories(call: Call, status: str) -> Response:
    doc = path_activity(call)
    found = [
        inv
        for inv in call.store.items("inventories")
        if inv.get("activityId") == doc["activityId"] and inv.get("status") == status
    ]
    offset, limit = page_args(call)
    return paged(call, found[offset : offset + limit], len(found), offset, limit)


@route("GET", f"{ACTIVITY}/customerInventories")
def list_customer_inventories(call: Call) -> Response:
    return _inventories(call, "customer")


@route("GET", f"{ACTIVITY}/installedInventories")
def list_installed_inventories(call: Call) -> Response:
    return _inventories(call, "installed")


@route("GET", f"{ACTIVITY}/deinstalledInventories")
def list_deinstalled_inventories(call: Call) -> Response:
    return _inventories(call, "deinstalled")


@route("POST", f"{ACTIVITY}/customerInventories")
def create_customer_inventory(call: Call) -> Response:
    body = call.json_object()
    store = call.store
    doc = path_activity(call)
    if not body.get("inventoryType"):
        raise bad_request("'inventoryType' is required.")
    if store.get("inventoryTypes", body["inventoryType"]) is None:
        raise bad_request(f"The inventory type '{body['inventoryType']}' does not exist.")
    quantity = body.get("quantity", 1)
    if not isinstance(quantity, int | float) or quantity <= 0:
        raise bad_request("'quantity' must be a positive number.")
    with store.transaction():
        inventory_id = store.next_id("inventoryId")
        inventory = {
            "inventoryId": inventory_id,
            **{k: v for k, v in body.items() if k != "inventoryId"},
            "status": "customer",
            "activityId": doc["activityId"],
            "quantity": quantity,
        }
        store.put("inventories", inventory_id, inventory)
    emit_event(call, "customerInventoryCreated", doc, inventoryDetails=inventory)
    return Response.json(inventory, 201)


# -------------------------------------------------------------------------- replaced lists


def _items_doc(call: Call, collection: str) -> list[dict[str, Any]]:
    doc = path_activity(call)
    stored = call.store.get(collection, doc["activityId"])
    return list((stored or {}).get("items") or [])


def _items_body(call: Call, check: Callable[[Store, dict[str, Any]], None]) -> list[Any]:
    body = call.json_object()
    items = body.get("items")
    if not isinstance(items, list):
        raise bad_request('The body must be {"items": [...]}.')
    for item in items:
        if not isinstance(item, dict):
            raise bad_request("Each item must be an object.")
        check(call.store, item)
    return items


def _check_required_inventory(store: Store, item: dict[str, Any]) -> None:
    missing = [n for n in ("inventoryType", "model", "quantity") if item.get(n) in (None, "")]
    if missing:
        raise bad_request(f"A required inventory needs {', '.join(missing)}.")
    if store.get("inventoryTypes", item["inventoryType"]) is None:
        raise bad_request(f"The inventory type '{item['inventoryType']}' does not exist.")
    if not isinstance(item["quantity"], int | float) or item["quantity"] <= 0:
        raise bad_request("'quantity' must be a positive number.")


def _check_preference(store: Store, item: dict[str, Any]) -> None:
    if item.get("preferenceType") not in ("required", "preferred", "forbidden", "warehouse"):
        raise bad_request("'preferenceType' must be required, preferred, forbidden or warehouse.")
    check_resource(store, item.get("resourceId"))


@dataclass(frozen=True)
class ReplacedList:
    """A per-activity list that PUT replaces and DELETE empties."""

    segment: str
    collection: str
    check: Callable[[Store, dict[str, Any]], None]
    events: tuple[str, str]  # (set, deleted)
    paged: bool


REPLACED_LISTS = (
    ReplacedList(
        "requiredInventories",
        "activityRequiredInventories",
        _check_required_inventory,
        ("requiredInventoryUpdated", "requiredInventoryDeleted"),
        paged=True,
    ),
    ReplacedList(
        "resourcePreferences",
        "activityResourcePreferences",
        _check_preference,
        ("resourcePreferenceCreated", "resourcePreferenceDeleted"),
        paged=False,
    ),
)


def _register_replaced(spec: ReplacedList) -> None:
    path = f"{ACTIVITY}/{spec.segment}"

    def get(call: Call) -> Response:
        items = _items_doc(call, spec.collection)
        if not spec.paged:
            return Response.json({"items": items})
        offset, limit = page_args(call)
        return paged(call, items[offset : offset + limit], len(items), offset, limit)

    def put(call: Call) -> Response:
        doc = path_activity(call)
        items = _items_body(call, spec.check)
        call.store.put(spec.collection, doc["activityId"], {"items": items})
        emit_event(call, spec.events[0], doc)
        return Response.no_content()

    def delete(call: Call) -> Response:
        doc = path_activity(call)
        call.store.delete(spec.collection, doc["activityId"])
        emit_event(call, spec.events[1], doc)
        return Response.no_content()

    route("GET", path)(get)
    route("PUT", path)(put)
    route("DELETE", path)(delete)


for _spec in REPLACED_LISTS:
    _register_replaced(_spec)


# ------------------------------------------------------------- forms, categories, segments


@route("GET", f"{ACTIVITY}/submittedForms")
def list_submitted_forms(call: Call) -> Response:
    doc = path_activity(call)
    forms: list[dict[str, Any]] = []
    if doc.get("status") in ("completed", "notdone"):
        forms.append(
            {
                "formIdentifier": {
                    "formSubmitId": int(doc["activityId"]) * 10 + 1,  # an integer, as live
                    "formLabel": "job_closure",
                },
                "user": "tech",
                "time": doc.get("endTime"),
                "formDetails": {
                    "resolution": doc.get("job_resolution_code"),
                    "customerSigned": doc.get("status") == "completed",
                },
                "activityDetails": activity_details(doc),
            }
        )
    offset, limit = page_args(call)
    return paged(call, forms[offset : offset + limit], len(forms), offset, limit)


@route("GET", f"{ACTIVITY}/capacityCategories")
def list_capacity_categories(call: Call) -> Response:
    doc = path_activity(call)
    labels = sorted(c["label"] for c in call.store.items("capacityCategories"))
    items = [{"capacityCategory": labels[doc["activityId"] % len(labels)]}] if labels else []
    return whole_list(call, items)


@route("GET", f"{ACTIVITY}/multidaySegments")
def list_multiday_segments(call: Call) -> Response:
    doc = path_activity(call)
    segments: list[dict[str, Any]] = []
    if doc.get("recordType") == "multiday_activity":
        rows = call.store.query_activities(
            None, date_from="0000-01-01", date_to="9999-12-31", non_scheduled=True
        )
        segments = [
            d for d in map(json.loads, rows) if d.get("masterActivityId") == doc["activityId"]
        ]
    return Response.json({"items": segments, "totalResults": len(segments)})


# ----------------------------------------------------------------------------------- links


def _link_key(link: Mapping[str, Any]) -> str:
    return f"{link['fromActivityId']}:{link['toActivityId']}:{link['linkType']}"


def _links_of(store: Store, activity_id: int) -> list[dict[str, Any]]:
    return [
        link
        for link in store.items("activityLinks")
        if activity_id in (link.get("fromActivityId"), link.get("toActivityId"))
    ]


def _check_link(call: Call, body: Mapping[str, Any], activity_id: int) -> dict[str, Any]:
    missing = [n for n in ("fromActivityId", "toActivityId", "linkType") if body.get(n) is None]
    if missing:
        raise bad_request(f"A link needs {', '.join(missing)}.")
    ends = (body["fromActivityId"], body["toActivityId"])
    if not all(isinstance(e, int) for e in ends):
        raise bad_request("'fromActivityId' and 'toActivityId' must be integers.")
    if activity_id not in ends:
        raise bad_request(f"The link does not involve activity {activity_id}.")
    if ends[0] == ends[1]:
        raise bad_request("An activity cannot be linked to itself.")
    for end in ends:
        load_activity(call.store, end)
    if call.store.get("linkTemplates", body["linkType"]) is None:
        templates = call.store.items("linkTemplates")
        if not any(t.get("reverseLabel") == body["linkType"] for t in templates):
            raise bad_request(f"The link type '{body['linkType']}' does not exist.")
    for name in ("minIntervalValue", "maxIntervalValue"):
        value = body.get(name)
        if value is not None and not (isinstance(value, int) and 0 <= value <= 65535):
            raise bad_request(f"'{name}' must be 0 to 65535.")
    return dict(body)


@route("GET", f"{ACTIVITY}/linkedActivities")
def list_links(call: Call) -> Response:
    doc = path_activity(call)
    return Response.json({"items": _links_of(call.store, doc["activityId"])})


@route("POST", f"{ACTIVITY}/linkedActivities")
def create_link(call: Call) -> Response:
    doc = path_activity(call)
    link = _check_link(call, call.json_object(), doc["activityId"])
    with call.store.transaction():
        if call.store.get("activityLinks", _link_key(link)) is not None:
            raise conflict("The activities are already linked with this link type.")
        call.store.put("activityLinks", _link_key(link), link)
    emit_event(call, "activityLinkCreated", doc, linkDetails=link)
    return Response.json(link, 201)


@route("DELETE", f"{ACTIVITY}/linkedActivities")
def delete_links(call: Call) -> Response:
    doc = path_activity(call)
    with call.store.transaction():
        for link in _links_of(call.store, doc["activityId"]):
            call.store.delete("activityLinks", _link_key(link))
    emit_event(call, "activityLinkDeleted", doc)
    return Response.no_content()


def _one_link(call: Call) -> tuple[dict[str, Any], dict[str, Any] | None]:
    doc = path_activity(call)
    other = call.param("linkedActivityId")
    load_activity(call.store, other)
    kind = call.param("linkType")
    for key in (f"{doc['activityId']}:{other}:{kind}", f"{other}:{doc['activityId']}:{kind}"):
        found = call.store.get("activityLinks", key)
        if found is not None:
            return doc, found
    return doc, None


@route("GET", LINK)
def get_link(call: Call) -> Response:
    _, link = _one_link(call)
    if link is None:
        raise not_found("link", f"{call.param('linkedActivityId')}/{call.param('linkType')}")
    return Response.json(link)


@route("PUT", LINK)
def put_link(call: Call) -> Response:
    doc, existing = _one_link(call)
    body = {
        "fromActivityId": doc["activityId"],
        "toActivityId": parse_id(call.param("linkedActivityId")),
        **call.json_object(),
        "linkType": call.param("linkType"),
    }
    link = _check_link(call, body, doc["activityId"])
    with call.store.transaction():
        if existing is not None:
            call.store.delete("activityLinks", _link_key(existing))
        call.store.put("activityLinks", _link_key(link), link)
    emit_event(call, "activityLinkCreated", doc, linkDetails=link)
    return Response.json(link)


@route("DELETE", LINK)
def delete_link(call: Call) -> Response:
    doc, link = _one_link(call)
    if link is None:
        raise not_found("link", f"{call.param('linkedActivityId')}/{call.param('linkType')}")
    call.store.delete("activityLinks", _link_key(link))
    emit_event(call, "activityLinkDeleted", doc, linkDetails=link)
    return Response.no_content()
