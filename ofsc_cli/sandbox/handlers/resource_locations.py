"""Core API: resource locations and assigned locations
(``resources/{resourceId}/locations``, ``.../assignedLocations``).

Locations are kept in ``resourceLocations:<resourceId>`` (ids from the ``locationId``
counter), the week of assigned locations in ``resourceAssignedLocations`` (key = resource
id).  Coordinates must be within range; an assigned location names a location of the same
resource for ``start``, ``end`` or ``homeZoneCenter`` of a weekday (``mon`` … ``sun``).  A
``PUT`` replaces the week (weekdays left out lose their locations), a ``PATCH`` merges, a
``DELETE`` clears one weekday (given as such or as a date).
"""

from __future__ import annotations

from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    merge,
    not_found,
    parse_date,
)
from ofsc_cli.sandbox.handlers.resources import ITEM, get_resource
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.store import sub

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# ------------------------------------------------------------------------------- locations


def _check_location(body: dict[str, Any]) -> None:
    for name, bound in (("latitude", 90), ("longitude", 180)):
        value = body.get(name)
        if value is not None and (not isinstance(value, int | float) or abs(value) > bound):
            raise bad_request(f"'{name}' must be a number from -{bound} to {bound}.")


@route("GET", f"{ITEM}/locations")
def list_locations(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    return Response.json({"items": call.store.items(sub("resourceLocations", rid))})


@route("POST", f"{ITEM}/locations")
def add_location(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    body = call.json_object()
    _check_location(body)
    location_id = call.store.next_id("locationId")
    doc = {**body, "locationId": location_id}
    call.store.put(sub("resourceLocations", rid), location_id, doc)
    return Response.json(doc, 201)


def _location(call: Call) -> tuple[str, dict[str, Any]]:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    collection = sub("resourceLocations", rid)
    location_id = call.param("locationId")
    doc = call.store.get(collection, location_id)
    if doc is None:
        raise not_found("location", location_id)
    return collection, doc


@route("GET", f"{ITEM}/locations/{{locationId}}")
def get_location(call: Call) -> Response:
    return Response.json(_location(call)[1])


@route("PATCH", f"{ITEM}/locations/{{locationId}}")
def patch_location(call: Call) -> Response:
    body = call.json_object()
    _check_location(body)
    with call.store.transaction():
        collection, doc = _location(call)
        doc = merge(doc, {k: v for k, v in body.items() if k != "locationId"})
        call.store.put(collection, doc["locationId"], doc)
    return Response.json(doc)


@route("DELETE", f"{ITEM}/locations/{{locationId}}")
def delete_location(call: Call) -> Response:
    collection, doc = _location(call)
    call.store.delete(collection, doc["locationId"])
    return Response.no_content()


# ---------------------------------------------------------------------- assigned locations


def _check_week(call: Call, rid: str, body: dict[str, Any]) -> dict[str, Any]:
    unknown = [k for k in body if k not in _WEEKDAYS]
    if unknown:
        raise bad_request(f"Unknown weekday key(s): {', '.join(unknown)}; use mon … sun.")
    locations = {str(i) for i in call.store.keys(sub("resourceLocations", rid))}
    for day, value in body.items():
        if not isinstance(value, dict):
            raise bad_request(f"'{day}' must be an object.")
        for role in ("start", "end", "homeZoneCenter"):
            if role in value and str(value[role]) not in locations:
                raise bad_request(f"'{day}.{role}': unknown location {value[role]}.")
    return body


@route("GET", f"{ITEM}/assignedLocations")
def get_assigned_locations(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    parse_date(call.arg("dateFrom"), "dateFrom")
    parse_date(call.arg("dateTo"), "dateTo")
    return Response.json(call.store.get("resourceAssignedLocations", rid) or {})


@route("PUT", f"{ITEM}/assignedLocations")
def put_assigned_locations(call: Call) -> Response:
    """Replace the week: weekdays left out lose their locations."""
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    week = _check_week(call, rid, call.json_object())
    call.store.put("resourceAssignedLocations", rid, week)
    return Response.json(week)


@route("PATCH", f"{ITEM}/assignedLocations")
def patch_assigned_locations(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    body = _check_week(call, rid, call.json_object())
    with call.store.transaction():
        week = call.store.get("resourceAssignedLocations", rid) or {}
        call.store.put("resourceAssignedLocations", rid, merge(week, body))
    return Response.no_content()


@route("DELETE", f"{ITEM}/assignedLocations/{{date}}")
def delete_assigned_location(call: Call) -> Response:
    """``{date}`` is a weekday (``sun`` … ``sat``) or a date whose weekday is cleared."""
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    value = call.param("date")
    day = value if value in _WEEKDAYS else None
    if day is None:
        parsed = parse_date(value, "date")
        assert parsed is not None
        day = _WEEKDAYS[parsed.weekday()]
    with call.store.transaction():
        week = call.store.get("resourceAssignedLocations", rid) or {}
        week.pop(day, None)
        call.store.put("resourceAssignedLocations", rid, week)
    return Response.no_content()
