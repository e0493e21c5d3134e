"""Core API: the resource bulk updates (``resources/custom-actions/bulkUpdateWorkZones``,
``bulkUpdateWorkSkills``, ``bulkUpdateWorkSchedules``).

The body (at most 5 MB) is an array of items naming a resource by exactly one of
``resourceId`` and ``resourceInternalId``, each with its list.  Work zones and work skills
replace the resource's assignments with the valid elements; work schedule items are added.
Invalid elements (unknown zone, skill or shift, ratio out of range, missing fields) are
counted in ``itemsFailed`` with their errors (one ``error`` object for work zones, an
``errors`` array otherwise), as is every element of an unknown resource.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.handlers._common import (
    MAX_BODY_BYTES,
    bad_request,
    error_body,
)
from ofsc_cli.sandbox.handlers.calendars import RECORD_TYPES
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.store import Store, sub

V1 = "/rest/ofscCore/v1"


def _bulk_array(call: Call, list_field: str) -> list[dict[str, Any]]:
    if len(call.request.body) > MAX_BODY_BYTES:
        raise OFSHTTPError(413, None, "The request body exceeds 5 MB.")
    body = call.json()
    if not isinstance(body, list):
        raise bad_request("The body must be a JSON array.")
    for index, item in enumerate(body):
        if not isinstance(item, dict):
            raise bad_request(f"Item {index} is not an object.")
        if ("resourceId" in item) == ("resourceInternalId" in item):
            raise bad_request(
                f"Item {index}: give exactly one of resourceId and resourceInternalId."
            )
        if not isinstance(item.get(list_field), list):
            raise bad_request(f"Item {index}: '{list_field}' (an array) is required.")
    return body


def _resolve(store: Store, item: Mapping[str, Any], by_internal: dict[int, str]) -> str | None:
    if "resourceId" in item:
        rid = str(item["resourceId"])
        return rid if store.get("resources", rid) is not None else None
    try:
        return by_internal.get(int(item["resourceInternalId"]))
    except (TypeError, ValueError):
        return None


def _zone_problem(store: Store, zone: Any) -> str | None:
    if not isinstance(zone, dict) or not zone.get("workZone") or not zone.get("startDate"):
        return "workZone and startDate are required"
    if store.get("workZones", zone["workZone"]) is None:
        return f"unknown work zone '{zone['workZone']}'"
    ratio = zone.get("ratio", 100)
    if not isinstance(ratio, int) or not 1 <= ratio <= 100:
        return "ratio must be from 1 to 100"
    return None


def _skill_problem(store: Store, skill: Any) -> str | None:
    if not isinstance(skill, dict) or not skill.get("workSkill") or skill.get("ratio") is None:
        return "workSkill and ratio are required"
    if store.get("workSkills", skill["workSkill"]) is None:
        return f"unknown work skill '{skill['workSkill']}'"
    if not isinstance(skill["ratio"], int) or not 0 <= skill["ratio"] <= 100:
        return "ratio must be from 0 to 100"
    return None


def _schedule_problem(store: Store, record: Any) -> str | None:
    if not isinstance(record, dict) or not record.get("recordType") or not record.get("startDate"):
        return "recordType and startDate are required"
    if record["recordType"] not in RECORD_TYPES:
        return f"unknown recordType '{record['recordType']}'"
    if record.get("shiftLabel") and store.get("shifts", record["shiftLabel"]) is None:
        return f"unknown shift '{record['shiftLabel']}'"
    return None


def _apply_zones(store: Store, rid: str, good: list[dict[str, Any]]) -> None:
    rows: list[tuple[str | int, Any, str | None]] = []
    for zone in good:
        item_id = store.next_id("workZoneItemId")
        rows.append((item_id, {"ratio": 100, **zone, "workZoneItemId": item_id}, None))
    store.replace_all(sub("resourceWorkZones", rid), rows)


def _apply_skills(store: Store, rid: str, good: list[dict[str, Any]]) -> None:
    store.replace_all(sub("resourceWorkSkills", rid), [(s["workSkill"], s, None) for s in good])


def _apply_schedules(store: Store, rid: str, good: list[dict[str, Any]]) -> None:
    for record in good:
        item_id = store.next_id("scheduleItemId")
        store.put(sub("resourceWorkSchedules", rid), item_id, {**record, "scheduleItemId": item_id})


_BULK: dict[str, tuple[str, Callable[[Store, Any], str | None], Callable[..., None], bool]] = {
    # action: (list field, item check, apply, errors as one "error" object)
    "bulkUpdateWorkZones": ("workZones", _zone_problem, _apply_zones, True),
    "bulkUpdateWorkSkills": ("workSkills", _skill_problem, _apply_skills, False),
    "bulkUpdateWorkSchedules": ("workSchedules", _schedule_problem, _apply_schedules, False),
}


def _bulk_handler(action: str) -> Callable[[Call], Response]:
    list_field, check, apply, single_error = _BULK[action]

    def handle(call: Call) -> Response:
        items = _bulk_array(call, list_field)
        store = call.store
        by_internal = {
            int(r["resourceInternalId"]): r["resourceId"]
            for r in store.items("resources")
            if r.get("resourceInternalId") is not None
        }
        results = []
        updated = 0
        with store.transaction():
            for item in items:
                rid = _resolve(store, item, by_internal)
                key = {"resourceId": rid or item.get("resourceId")}
                if rid is None:
                    missing = item.get("resourceId", item.get("resourceInternalId"))
                    error = error_body(f"The resource '{missing}' is not found.")
                    failed = len(item[list_field])
                    result = {**key, "itemsUpdated": 0, "itemsFailed": failed}
                    results.append(
                        {**result, **({"error": error} if single_error else {"errors": [error]})}
                    )
                    continue
                problems = [check(store, element) for element in item[list_field]]
                good = [e for e, p in zip(item[list_field], problems, strict=True) if p is None]
                errors = [error_body(p) for p in problems if p is not None]
                apply(store, rid, good)
                updated += 1
                result = {**key, "itemsUpdated": len(good), "itemsFailed": len(errors)}
                if errors:
                    result.update({"error": errors[0]} if single_error else {"errors": errors})
                results.append(result)
        return Response.json({"resourcesUpdated": updated, "results": results})

    return handle


for _action in _BULK:
    route("POST", f"{V1}/resources/custom-actions/{_action}")(_bulk_handler(_action))
