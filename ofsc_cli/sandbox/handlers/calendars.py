"""Core API: resource calendars and work schedules (``calendars``,
``resources/{resourceId}/workSchedules`` and its ``calendarView``).

Work schedule items are kept in ``resourceWorkSchedules:<resourceId>``.  A day's calendar
entry comes from the items that cover it: a non-working item wins over working ones; a
working item counts on the weekdays of its ``recurrence`` (every day without one) and takes
its times from its shift.  ``GET calendars`` covers at most 31 days, ``includeChildren``
none (the default), immediate or all, and leaves inactive resources out unless
``includeInactive=true``; ``calendarView`` is an object keyed by date, as the spec says and
live tenants answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    date_range,
    not_found,
    paged_list,
    parse_date,
    require,
)
from ofsc_cli.sandbox.handlers.resources import get_resource, overlaps, resource_ids_under
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.store import Store, sub

__all__ = ["RECORD_TYPES"]

V1 = "/rest/ofscCore/v1"
RES = f"{V1}/resources/{{resourceId}}"

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RECORD_TYPES = ("schedule", "shift", "extra_shift", "working", "extra_working", "non-working")


# ------------------------------------------------------------------------------- calendars


def _shift_times(store: Store, label: str | None) -> dict[str, Any]:
    shift = store.get("shifts", label) if label else None
    if not shift:
        return {}
    return {"workTimeStart": shift.get("workTimeStart"), "workTimeEnd": shift.get("workTimeEnd")}


def _day_record(store: Store, rid: str, day: dt.date) -> dict[str, Any] | None:
    """The calendar entry of a resource on a day: non-working beats working records."""
    iso, weekday = day.isoformat(), _WEEKDAYS[day.weekday()]
    working: dict[str, Any] | None = None
    for item in store.items(sub("resourceWorkSchedules", rid)):
        if item.get("startDate", "") > iso or (item.get("endDate") and item["endDate"] < iso):
            continue
        if item.get("recordType") == "non-working":
            return {"recordType": "non-working", "nonWorkingReason": item.get("nonWorkingReason")}
        days = [d.lower()[:3] for d in (item.get("recurrence") or {}).get("weekdays") or _WEEKDAYS]
        if weekday in days:
            working = {
                "recordType": item.get("recordType", "shift"),
                **_shift_times(store, item.get("shiftLabel")),
            }
            for key in ("shiftLabel", "workTimeStart", "workTimeEnd", "comments"):
                if item.get(key):
                    working[key] = item[key]
    return working


def _calendar(store: Store, rids: Iterable[str], days: list[dt.date]) -> list[dict[str, Any]]:
    out = []
    for rid in rids:
        for day in days:
            item: dict[str, Any] = {"resourceId": rid, "date": day.isoformat()}
            record = _day_record(store, rid, day)
            if record is not None:
                item["regular"] = record
            out.append(item)
    return out


@route("GET", f"{V1}/calendars")
def get_calendars(call: Call) -> Response:
    days = date_range(call, 31)
    mode = call.arg("includeChildren", "none") or "none"
    if mode not in ("none", "immediate", "all"):
        raise bad_request("'includeChildren' must be none, immediate or all.")
    rids: list[str] = []
    for rid in call.list_arg("resources") or []:
        rids.extend(r for r in resource_ids_under(call.store, rid, mode) if r not in rids)
    if not call.bool_arg("includeInactive"):
        rids = [
            r for r in rids if (call.store.get("resources", r) or {}).get("status") != "inactive"
        ]
    return paged_list(call, _calendar(call.store, rids, days))


@route("GET", f"{RES}/workSchedules/calendarView")
def calendar_view(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    days = date_range(call, None)
    view = {}  # an object keyed by date, as the spec says and live tenants answer
    for day in days:
        record = _day_record(call.store, rid, day)
        if record is not None:
            view[day.isoformat()] = record
    return Response.json(view)


# -------------------------------------------------------------------------- work schedules


def _schedules_body(call: Call, rid: str) -> Response:
    return Response.json({"items": call.store.items(sub("resourceWorkSchedules", rid))})


@route("GET", f"{RES}/workSchedules")
def get_work_schedules(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    items = call.store.items(sub("resourceWorkSchedules", rid))
    actual = parse_date(call.arg("actualForDate"), "actualForDate")
    if actual is not None:
        items = [i for i in items if overlaps(i, actual, actual)]
    return Response.json({"items": items})


@route("POST", f"{RES}/workSchedules")
def add_work_schedule(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    body = call.json_object()
    require(body, ("recordType", "startDate"), "a work schedule item")
    if body["recordType"] not in RECORD_TYPES:
        raise bad_request(f"'recordType' must be one of: {', '.join(RECORD_TYPES)}.")
    parse_date(body["startDate"], "startDate")
    parse_date(body.get("endDate"), "endDate")
    if body.get("shiftLabel") and call.store.get("shifts", body["shiftLabel"]) is None:
        raise bad_request(f"Unknown shift '{body['shiftLabel']}'.")
    item_id = call.store.next_id("scheduleItemId")
    call.store.put(sub("resourceWorkSchedules", rid), item_id, {**body, "scheduleItemId": item_id})
    return _schedules_body(call, rid)


@route("DELETE", f"{RES}/workSchedules/{{scheduleItemId}}")
def delete_work_schedule(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    item = call.param("scheduleItemId")
    if not call.store.delete(sub("resourceWorkSchedules", rid), item):
        raise not_found("work schedule item", item)
    return Response.no_content()
