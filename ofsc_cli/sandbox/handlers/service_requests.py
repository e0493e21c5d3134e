"""Core API: service requests (``serviceRequests``).

Rules emulated: a request names exactly one of ``activityId``, ``inventoryId`` and
``resourceId`` (each must exist); ``date`` is ``YYYY-MM-DD``; ids start at 1001; creating
one logs a customer/inventory/resource request event.  A property whose value is
``{"mediaType", "content"}`` (base64) is stored as a file property of the request, served by
``GET serviceRequests/{requestId}/{propertyLabel}`` (a sandbox convenience to test the file
download).
"""

from __future__ import annotations

import base64
from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    not_found,
    serve_file,
    stamp,
    utc_now,
)
from ofsc_cli.sandbox.handlers.activities import check_date, check_resource, load_activity
from ofsc_cli.sandbox.handlers.events import emit_event
from ofsc_cli.sandbox.router import Call, route

CORE = "/rest/ofscCore/v1"

_REQUEST_EVENTS = {
    "activityId": "customerRequestCreated",
    "inventoryId": "inventoryRequestCreated",
    "resourceId": "resourceRequestCreated",
}


@route("POST", f"{CORE}/serviceRequests")
def create_service_request(call: Call) -> Response:
    body = call.json_object()
    store = call.store
    targets = [k for k in ("activityId", "inventoryId", "resourceId") if body.get(k) is not None]
    if len(targets) != 1:
        raise bad_request("Give exactly one of activityId, inventoryId and resourceId.")
    target = targets[0]
    if target == "activityId":
        subject = load_activity(store, body["activityId"])
    elif target == "inventoryId":
        if store.get("inventories", body["inventoryId"]) is None:
            raise bad_request(f"The inventory '{body['inventoryId']}' does not exist.")
        subject = {}
    else:
        check_resource(store, body["resourceId"])
        subject = {}
    date = check_date(body.get("date"))
    files = {
        k: v for k, v in body.items() if isinstance(v, dict) and {"mediaType", "content"} <= set(v)
    }
    with store.transaction():
        request_id = store.next_id("requestId", start=1001)
        doc = {
            "requestId": request_id,
            "requestType": body.get("requestType") or "SR",
            **{k: v for k, v in body.items() if k not in files and k != "requestId"},
            "created": stamp(utc_now(call)),
        }
        if date:
            doc["date"] = date
        for label, value in files.items():
            try:
                data = base64.b64decode(str(value["content"]), validate=True)
            except ValueError:
                raise bad_request(f"'{label}.content' is not base64.") from None
            store.put(
                "serviceRequestFiles",
                f"{request_id}:{label}",
                {"mediaType": value["mediaType"], "size": len(data), "content": value["content"]},
            )
        store.put("serviceRequests", request_id, doc)
    emit_event(call, _REQUEST_EVENTS[target], subject, requestDetails=doc)
    return Response.json(doc, 201)


def _service_request(call: Call) -> dict[str, Any]:
    value = call.param("requestId")
    doc = call.store.get("serviceRequests", value)
    if doc is None:
        raise not_found("service request", value)
    return dict(doc)


@route("GET", f"{CORE}/serviceRequests/{{requestId}}")
def get_service_request(call: Call) -> Response:
    return Response.json(_service_request(call))


@route("GET", f"{CORE}/serviceRequests/{{requestId}}/{{propertyLabel}}")
def get_service_request_file(call: Call) -> Response:
    doc = _service_request(call)
    label = call.param("propertyLabel")
    stored = call.store.get("serviceRequestFiles", f"{doc['requestId']}:{label}")
    return serve_file(call, stored, label)
