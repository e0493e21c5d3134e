"""Core API: resource positions and the searches that use them (``positionHistory``,
``setPositions``, ``lastKnownPositions``, ``resourcesInArea``, ``findNearbyActivities``,
``findResourcesForUrgentAssignment``).

Reported positions are kept in ``resourcePositions:<resourceId>`` (key = time).  Positions
nobody reported are derived deterministically from the resource's home location (every 30
minutes from 08:00 to 17:00, within a few kilometres), so position history and the searches
work on fresh seed data; the last known position is the latest reported one, else the
derived one at 12:00 on the sandbox's today.  Distances are haversine metres.  At most 300
positions per ``setPositions`` and 300 resources per ``lastKnownPositions``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    paged_list,
    parse_date,
    select_fields,
)
from ofsc_cli.sandbox.handlers.resources import get_resource
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.seed import today_of
from ofsc_cli.sandbox.store import Store, sub

V1 = "/rest/ofscCore/v1"
RES = f"{V1}/resources/{{resourceId}}"


# ------------------------------------------------------------------------------- positions


def _home(store: Store, rid: str) -> tuple[float, float] | None:
    for loc in store.items(sub("resourceLocations", rid)):
        if loc.get("latitude") is not None and loc.get("longitude") is not None:
            return float(loc["latitude"]), float(loc["longitude"])
    return None


def _wobble(*parts: object) -> float:
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") / 2**32 - 0.5


def _derived_positions(store: Store, rid: str, day: dt.date) -> list[dict[str, Any]]:
    """Every 30 minutes from 08:00 to 17:00 around the resource's home (deterministic)."""
    home = _home(store, rid)
    if home is None:
        return []
    out = []
    for slot in range(19):
        moment = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=30 * slot)
        out.append(
            {
                "time": moment.strftime("%Y-%m-%d %H:%M:%S"),
                "lat": round(home[0] + 0.05 * _wobble(rid, day, slot, "lat"), 5),
                "lng": round(home[1] + 0.05 * _wobble(rid, day, slot, "lng"), 5),
                "spd": round(20 + 20 * _wobble(rid, day, slot, "spd"), 1),
            }
        )
    return out


def _positions(store: Store, rid: str, day: dt.date) -> list[dict[str, Any]]:
    reported = [
        p for p in store.items(sub("resourcePositions", rid)) if p["time"][:10] == day.isoformat()
    ]
    return sorted(_derived_positions(store, rid, day) + reported, key=lambda p: p["time"])


def _last_known(store: Store, rid: str) -> dict[str, Any] | None:
    reported = store.items(sub("resourcePositions", rid))
    if reported:
        return max(reported, key=lambda p: p["time"])  # type: ignore[no-any-return]
    derived = _derived_positions(store, rid, today_of(store))
    return derived[8] if derived else None  # 12:00 on the sandbox's today


@route("GET", f"{RES}/positionHistory")
def position_history(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    day = parse_date(call.arg("date"), "date")
    assert day is not None
    items = _positions(call.store, rid, day)
    return Response.json({"items": items, "totalResults": len(items)})


@route("POST", f"{V1}/resources/custom-actions/setPositions")
def set_positions(call: Call) -> Response:
    items = call.json_object().get("items")
    if not isinstance(items, list):
        raise bad_request("'items' (an array of positions) is required.")
    if len(items) > 300:
        raise bad_request(f"At most 300 positions per request; got {len(items)}.")
    errors: list[dict[str, Any]] = []
    with call.store.transaction():
        for index, item in enumerate(items):
            problem = _position_problem(call.store, item)
            if problem:
                errors.append({"itemIndex": index, "message": problem})
                continue
            doc = {
                k: item[k] for k in ("time", "lat", "lng", "alt", "dir", "spd", "acc") if k in item
            }
            call.store.put(sub("resourcePositions", item["resourceId"]), item["time"], doc)
    return Response.json(
        {"itemsProcessed": len(items) - len(errors), "itemsFailed": len(errors), "errors": errors}
    )


def _position_problem(store: Store, item: Any) -> str | None:
    if not isinstance(item, dict):
        return "not an object"
    missing = [k for k in ("resourceId", "time", "lat", "lng") if item.get(k) is None]
    if missing:
        return f"missing {', '.join(missing)}"
    if store.get("resources", str(item["resourceId"])) is None:
        return f"unknown resource '{item['resourceId']}'"
    if not (-90 <= float(item["lat"]) <= 90 and -180 <= float(item["lng"]) <= 180):
        return "coordinates out of range"
    return None


@route("GET", f"{V1}/resources/custom-actions/lastKnownPositions")
def last_known_positions(call: Call) -> Response:
    wanted = call.list_arg("resources")
    if wanted is not None and len(wanted) > 300:
        raise bad_request("At most 300 resources.")
    items = []
    for rid in wanted if wanted is not None else call.store.keys("resources"):
        if call.store.get("resources", rid) is None:
            items.append({"resourceId": rid, "errorMessage": "Resource not found"})
            continue
        last = _last_known(call.store, rid)
        if last is not None:
            items.append({"resourceId": rid, **{k: last[k] for k in ("time", "lat", "lng")}})
        elif wanted is not None:
            items.append({"resourceId": rid, "errorMessage": "No position"})
    if wanted is not None:  # offset is ignored with an explicit list
        return Response.json({"items": items, "totalResults": len(items), "hasMore": False})
    offset = call.int_arg("offset", 0) or 0
    page = items[offset : offset + 100]
    return Response.json(
        {
            "items": page,
            "totalResults": len(items),
            "offset": offset,
            "hasMore": offset + len(page) < len(items),
        }
    )


def _distance(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Metres between two points (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _near(store: Store, lat: float, lng: float, radius: float) -> list[dict[str, Any]]:
    found = []
    for rid in store.keys("resources"):
        last = _last_known(store, rid)
        if last is None:
            continue
        distance = _distance(lat, lng, float(last["lat"]), float(last["lng"]))
        if distance <= radius:
            found.append(
                {
                    "resourceId": rid,
                    "time": last["time"],
                    "lat": last["lat"],
                    "lng": last["lng"],
                    "dis": round(distance),
                }
            )
    return sorted(found, key=lambda r: (r["dis"], r["resourceId"]))


@route("GET", f"{V1}/resources/custom-actions/resourcesInArea")
def resources_in_area(call: Call) -> Response:
    lat, lng = float(call.arg("lat") or 0), float(call.arg("lng") or 0)
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise bad_request("'lat'/'lng' out of range.")
    radius = float(call.arg("radius") or 10_000)
    if not 0 < radius <= 100_000:
        raise bad_request("'radius' must be from 1 to 100000 metres.")
    return paged_list(call, _near(call.store, lat, lng, radius))


# -------------------------------------------------------------------------------- searches


@route("GET", f"{RES}/findNearbyActivities")
def find_nearby_activities(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    lat, lng = call.arg("latitude"), call.arg("longitude")
    if lat is None or lng is None:
        last = _last_known(call.store, rid)
        if last is None:
            raise bad_request("The resource has no known position: give latitude and longitude.")
        point = (float(last["lat"]), float(last["lng"]))
    else:
        point = (float(lat), float(lng))
    limit = min(call.int_arg("limit", 10) or 10, 100)
    if limit < 1:
        raise bad_request("'limit' must be at least 1.")
    fields = call.list_arg("fields")
    found = []
    today = today_of(call.store).isoformat()
    for text in call.store.query_activities(None, date_from=today, date_to=today):
        doc = json.loads(text)
        if doc.get("status") != "pending" or doc.get("latitude") is None:
            continue
        distance = _distance(point[0], point[1], doc["latitude"], doc["longitude"])
        found.append((distance, doc["activityId"], doc))
    found.sort(key=lambda t: (t[0], t[1]))
    items = [
        select_fields(doc, fields, always=("activityId", "latitude", "longitude"))
        for _, _, doc in found[:limit]
    ]
    return Response.json(
        {"items": items, "coordinates": {"latitude": point[0], "longitude": point[1]}}
    )


@route("POST", f"{V1}/resources/custom-actions/findResourcesForUrgentAssignment")
def find_for_urgent_assignment(call: Call) -> Response:
    body = call.json_object()
    activity = body.get("activity")
    if not isinstance(activity, dict):
        raise bad_request("'activity' is required.")
    if activity.get("latitude") is None or activity.get("longitude") is None:
        raise bad_request("The activity needs 'latitude' and 'longitude'.")
    radius = float(body.get("radius") or 300_000)
    items = []
    for found in _near(
        call.store, float(activity["latitude"]), float(activity["longitude"]), radius
    ):
        res = call.store.get("resources", found["resourceId"]) or {}
        if res.get("resourceType") != "PR":
            continue
        items.append(
            {
                "resourceDetails": {
                    "resourceInternalId": res.get("resourceInternalId"),
                    "resourceId": found["resourceId"],
                },
                "latitude": str(found["lat"]),
                "longitude": str(found["lng"]),
                "startTime": found["time"],
                "estimatedAvailability": found["time"],
            }
        )
    return Response.json({"items": items[:10]})
