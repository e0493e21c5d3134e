"""Core API: ``activities/custom-actions/bulkUpdate``.

Rules emulated: the body is at most 5 MB (413); ``updateParameters.ifInFinalStatusThen``
(doNothing, createNew, updateExisting) is required; ``identifyActivityBy`` is activityId
(the default), apptNumber, apptNumberPlusCustomerNumber or apptNumberPlusIbAssetId.  Each
item is created when no activity matches (or it is final and ``createNew``), else updated
(moved when its date or resource changes; ``ifExistsThenDoNotUpdateFields`` keeps fields that
have a value); a failing item reports its error and the others go on.  ``activityKeys``
carry the integer activity id.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.handlers._common import bad_request
from ofsc_cli.sandbox.handlers.activities import (
    CORE,
    FINAL_STATUSES,
    add_activity,
    check_date,
    check_resource,
    route_end,
)
from ofsc_cli.sandbox.handlers.events import emit_event
from ofsc_cli.sandbox.router import Call, parse_id, route
from ofsc_cli.sandbox.store import Store

MAX_BULK_BYTES = 5_000_000
_FIND: dict[str, tuple[str, ...]] = {
    "apptNumber": ("apptNumber",),
    "apptNumberPlusCustomerNumber": ("apptNumber", "customerNumber"),
    "apptNumberPlusIbAssetId": ("apptNumber", "ibAssetId"),
}


def _finder(store: Store, identify_by: str) -> Callable[[Mapping[str, Any]], dict[str, Any] | None]:
    if identify_by == "activityId":

        def by_id(item: Mapping[str, Any]) -> dict[str, Any] | None:
            value = item.get("activityId")
            return store.get_activity(int(value)) if isinstance(value, int) else None

        return by_id
    keys = _FIND[identify_by]

    @functools.cache
    def index() -> dict[tuple[Any, ...], int]:
        out: dict[tuple[Any, ...], int] = {}
        for row in store.query_activities(
            None, date_from="0000-01-01", date_to="9999-12-31", non_scheduled=True
        ):
            doc = json.loads(row)
            out.setdefault(tuple(doc.get(k) for k in keys), doc["activityId"])
        return out

    def by_keys(item: Mapping[str, Any]) -> dict[str, Any] | None:
        found = index().get(tuple(item.get(k) for k in keys))
        return store.get_activity(found) if found is not None else None

    return by_keys


def _bulk_item(
    call: Call,
    item: Any,
    params: Mapping[str, Any],
    find: Callable[[Mapping[str, Any]], dict[str, Any] | None],
) -> dict[str, Any]:
    if not isinstance(item, dict):
        return {"errors": [{"operation": "update", "errorDetail": "The item is not an object."}]}
    # activityId is an integer or absent, never a string (NOTES §9).
    keys: dict[str, Any] = {k: str(item[k]) for k in ("apptNumber", "customerNumber") if k in item}
    if parse_id(item.get("activityId")) is not None:
        keys = {"activityId": parse_id(item["activityId"]), **keys}
    result: dict[str, Any] = {"activityKeys": keys}
    performed: list[str] = []
    try:
        store = call.store
        with store.transaction():
            doc = find(item)
            final = doc is not None and doc.get("status") in FINAL_STATUSES
            mode = params.get("ifInFinalStatusThen")
            if doc is None or (final and mode == "createNew"):
                base = {k: v for k, v in item.items() if k != "activityId"}
                if doc is not None:
                    base = {**doc, **base}
                created = add_activity(call, base)
                performed.append("create")
                result["activityKeys"]["activityId"] = int(created["activityId"])
            elif final and mode == "doNothing":
                result["warnings"] = [
                    {"code": 2, "message": f"The activity is {doc['status']}; nothing was done."}
                ]
            else:
                keep = set(params.get("ifExistsThenDoNotUpdateFields") or ())
                changes = {
                    k: v
                    for k, v in item.items()
                    if k not in ("activityId", "status", "positionInRoute")
                    and not (k in keep and doc.get(k) not in (None, ""))
                }
                moved = any(
                    k in changes and changes[k] != doc.get(k) for k in ("date", "resourceId")
                )
                if "resourceId" in changes:
                    check_resource(store, changes["resourceId"])
                if "date" in changes:
                    changes["date"] = check_date(changes["date"])
                doc.update(changes)
                if moved:
                    store.delete_activity(doc["activityId"])
                    doc["positionInRoute"] = route_end(
                        store, str(doc["resourceId"]), doc.get("date")
                    )
                    if doc.get("date") is None:
                        doc.pop("positionInRoute", None)
                store.put_activity(doc)
                performed.append("update")
                if moved:
                    performed.append("move")
                result["activityKeys"]["activityId"] = int(doc["activityId"])
                emit_event(call, "activityUpdated", doc, activityChanges=changes)
    except OFSHTTPError as error:
        result["operationsFailed"] = ["update" if find(item) else "create"]
        result["errors"] = [
            {"operation": result["operationsFailed"][0], "errorDetail": error.detail}
        ]
    result["operationsPerformed"] = performed
    return result


@route("POST", f"{CORE}/activities/custom-actions/bulkUpdate")
def bulk_update(call: Call) -> Response:
    if len(call.request.body) > MAX_BULK_BYTES:
        raise OFSHTTPError(413, None, f"The request body exceeds {MAX_BULK_BYTES} bytes.")
    body = call.json_object()
    params = body.get("updateParameters")
    items = body.get("activities")
    if not isinstance(params, dict) or params.get("ifInFinalStatusThen") not in (
        "doNothing",
        "createNew",
        "updateExisting",
    ):
        raise bad_request(
            "'updateParameters.ifInFinalStatusThen' is required: doNothing, createNew or "
            "updateExisting."
        )
    identify_by = params.get("identifyActivityBy") or "activityId"
    if identify_by != "activityId" and identify_by not in _FIND:
        raise bad_request(f"Unknown identifyActivityBy '{identify_by}'.")
    if not isinstance(items, list):
        raise bad_request("'activities' must be an array.")
    find = _finder(call.store, identify_by)
    return Response.json({"results": [_bulk_item(call, item, params, find) for item in items]})
