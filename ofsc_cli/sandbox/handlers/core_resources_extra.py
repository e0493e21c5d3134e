"""Core API operations on resources, users and inventories that the other handler modules do
not serve: inventories, calendars, file properties, positions, routes, assistants, searches
and the resource bulk updates.

Each route is registered only if no other module registered it before: the modules that
serve resources and users (``resources``, ``users``) are imported first for that reason.

Data kept here (store collections): ``inventories`` (shared with the resource handlers:
``parent`` = resourceId), ``fileProperties`` (key ``<entity>:<key>:<label>``, base64 body),
``resourcePositions:<resourceId>`` (reported positions) and ``routeStates:<resourceId>``
(activation per date).  Positions nobody reported are derived deterministically from the
resource's home location, so position history and searches work on fresh seed data.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.handlers import users as _users  # noqa: F401  (registers its routes first)
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    binary_response,
    conflict,
    merge,
    not_found,
    page_args,
    paged,
    parse_date,
    require,
    select_fields,
)
from ofsc_cli.sandbox.handlers.resources import get_resource, resource_ids_under
from ofsc_cli.sandbox.router import Call, add_route, registered_routes
from ofsc_cli.sandbox.seed import today_of
from ofsc_cli.sandbox.store import Store, sub

__all__: list[str] = []

V1 = "/rest/ofscCore/v1"
RES = f"{V1}/resources/{{resourceId}}"
INV = f"{V1}/inventories/{{inventoryId}}"
MAX_BODY = 5 * 1024 * 1024
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_ROUTES: list[tuple[str, str, Callable[[Call], Response]]] = []


def _route(
    method: str, path: str
) -> Callable[[Callable[[Call], Response]], Callable[[Call], Response]]:
    def remember(handler: Callable[[Call], Response]) -> Callable[[Call], Response]:
        _ROUTES.append((method, path, handler))
        return handler

    return remember


def _now(call: Call) -> str:
    return dt.datetime.fromtimestamp(call.emulator.clock(), dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _page(call: Call, docs: list[Any], **extra: Any) -> Response:
    """One page of ``docs`` in the live envelope (``totalResults``, ``hasMore``, ``links`` …)."""
    offset, limit = page_args(call)
    return paged(call, docs[offset : offset + limit], len(docs), offset, limit, **extra)


def _date_range(call: Call, max_days: int | None, *, required: bool = True) -> list[dt.date]:
    start = parse_date(call.arg("dateFrom"), "dateFrom")
    end = parse_date(call.arg("dateTo"), "dateTo") or start
    if start is None or end is None:
        if required:
            raise bad_request("'dateFrom' and 'dateTo' are required.")
        return []
    if start > end:
        raise bad_request("'dateFrom' must not be after 'dateTo'.")
    days = (end - start).days + 1
    if max_days is not None and days > max_days:
        raise bad_request(f"The date range must not exceed {max_days} days; got {days}.")
    return [start + dt.timedelta(days=i) for i in range(days)]


# -------------------------------------------------------------------------- inventories


def _inventory(call: Call) -> dict[str, Any]:
    doc = call.store.get("inventories", call.param("inventoryId"))
    if doc is None:
        raise not_found("inventory", call.param("inventoryId"))
    return doc  # type: ignore[no-any-return]


def _save_inventory(store: Store, doc: dict[str, Any]) -> None:
    owner = doc.get("resourceId") if doc.get("status") == "resource" else None
    store.put("inventories", doc["inventoryId"], doc, parent=owner)


def _activity(store: Store, activity_id: Any) -> dict[str, Any]:
    try:
        doc = store.get_activity(int(activity_id))
    except (TypeError, ValueError):
        doc = None
    if doc is None:
        raise not_found("activity", activity_id)
    return doc


@_route("POST", f"{V1}/inventories")
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
        _activity(call.store, body["activityId"])
    inventory_id = call.store.next_id("inventoryId")
    doc = {"quantity": 1, **body, "inventoryId": inventory_id, "status": status}
    _save_inventory(call.store, doc)
    return Response.json(doc, 201)


@_route("GET", INV)
def get_inventory(call: Call) -> Response:
    return Response.json(_inventory(call))


@_route("PATCH", INV)
def update_inventory(call: Call) -> Response:
    body = call.json_object()
    for fixed in ("inventoryId", "status", "resourceId", "activityId"):
        if fixed in body and body[fixed] != _inventory(call).get(fixed):
            raise bad_request(f"'{fixed}' cannot be changed with PATCH; use the actions.")
    with call.store.transaction():
        doc = merge(_inventory(call), body)
        _save_inventory(call.store, doc)
    return Response.json(doc)


@_route("DELETE", INV)
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
    activity = _activity(call.store, activity_id)
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
    _route("POST", f"{INV}/custom-actions/{_name}")(_action_handler(_name))


@_route("POST", f"{RES}/inventories/{{inventoryId}}/custom-actions/install")
def install_resource_inventory(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    doc = _inventory(call)
    if doc.get("resourceId") != rid:
        raise not_found(f"inventory of resource '{rid}'", doc["inventoryId"])
    return _move(call, doc, ("resource",), "installed", True)


# ----------------------------------------------------------------------- file properties


def _file_routes(base: str, entity: str, key_param: str, owner: Callable[[Call], str]) -> None:
    """GET/PUT/DELETE ``<base>/{propertyLabel}`` for one entity type."""

    def locate(call: Call) -> str:
        key = owner(call)
        label = call.param("propertyLabel")
        prop = call.store.get("properties", label)
        if prop is None or prop.get("entity") != entity or prop.get("type") != "file":
            raise not_found(f"{entity} file property", label)
        return f"{entity}:{key}:{label}"

    def get(call: Call) -> Response:
        doc = call.store.get("fileProperties", locate(call))
        if doc is None:
            raise not_found("file", call.param("propertyLabel"))
        accept = (call.request.header("accept") or "").split(";")[0].strip()
        if accept in ("", "application/json", "*/*"):
            meta = {k: v for k, v in doc.items() if k != "data"}
            return Response.json(meta)
        if accept not in ("application/octet-stream", doc["mediaType"]):
            raise OFSHTTPError(406, "Not Acceptable", f"The file is {doc['mediaType']}.")
        return binary_response(call, base64.b64decode(doc["data"]), doc["mediaType"])

    def put(call: Call) -> Response:
        key = locate(call)
        data = call.request.body
        if len(data) > MAX_BODY:
            raise OFSHTTPError(413, None, "A file property must not exceed 5 MB.")
        media = (call.request.header("content-type") or "").split(";")[0].strip()
        if not media:
            raise bad_request("The Content-Type header is required.")
        disposition = call.request.header("content-disposition") or ""
        name = disposition.partition("filename=")[2].strip().strip('"') or None
        doc = {
            "mediaType": media,
            "name": name or call.param("propertyLabel"),
            "size": len(data),
            "data": base64.b64encode(data).decode(),
        }
        call.store.put("fileProperties", key, doc)
        return Response.no_content()

    def delete(call: Call) -> Response:
        if not call.store.delete("fileProperties", locate(call)):
            raise not_found("file", call.param("propertyLabel"))
        return Response.no_content()

    path = f"{base}/{{propertyLabel}}"
    _route("GET", path)(get)
    _route("PUT", path)(put)
    _route("DELETE", path)(delete)


def _user_login(call: Call) -> str:
    if call.store.get("users", call.param("login")) is None:
        raise not_found("user", call.param("login"))
    return call.param("login")


_file_routes(
    RES,
    "resource",
    "resourceId",
    lambda c: get_resource(c.store, c.param("resourceId"))["resourceId"],
)
_file_routes(f"{V1}/users/{{login}}", "user", "login", _user_login)
_file_routes(INV, "inventory", "inventoryId", lambda c: str(_inventory(c)["inventoryId"]))


# ----------------------------------------------------------------------------- calendars


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


@_route("GET", f"{V1}/calendars")
def get_calendars(call: Call) -> Response:
    days = _date_range(call, 31)
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
    return _page(call, _calendar(call.store, rids, days))


@_route("GET", f"{RES}/workSchedules/calendarView")
def calendar_view(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    days = _date_range(call, None)
    view = {}  # an object keyed by date, as the spec says and live tenants answer
    for day in days:
        record = _day_record(call.store, rid, day)
        if record is not None:
            view[day.isoformat()] = record
    return Response.json(view)


# ----------------------------------------------------------------------------- positions


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


@_route("GET", f"{RES}/positionHistory")
def position_history(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    day = parse_date(call.arg("date"), "date")
    assert day is not None
    items = _positions(call.store, rid, day)
    return Response.json({"items": items, "totalResults": len(items)})


@_route("POST", f"{V1}/resources/custom-actions/setPositions")
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


@_route("GET", f"{V1}/resources/custom-actions/lastKnownPositions")
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


@_route("GET", f"{V1}/resources/custom-actions/resourcesInArea")
def resources_in_area(call: Call) -> Response:
    lat, lng = float(call.arg("lat") or 0), float(call.arg("lng") or 0)
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise bad_request("'lat'/'lng' out of range.")
    radius = float(call.arg("radius") or 10_000)
    if not 0 < radius <= 100_000:
        raise bad_request("'radius' must be from 1 to 100000 metres.")
    return _page(call, _near(call.store, lat, lng, radius))


# -------------------------------------------------------------------------------- routes


def _route_day(call: Call) -> str:
    value = call.param("date")
    if value not in ("nonScheduled", "multiday"):
        parse_date(value, "date")
    return value


@_route("GET", f"{RES}/routes/{{date}}")
def get_route(call: Call) -> Response:
    import json

    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    day = _route_day(call)
    if day == "multiday":
        rows: list[str] = []
    elif day == "nonScheduled":
        rows = call.store.query_activities([rid], non_scheduled=True)
    else:
        rows = call.store.query_activities([rid], date_from=day, date_to=day)
    fields = call.list_arg("activityFields")
    docs = [select_fields(json.loads(r), fields, always=("activityId",)) for r in rows]
    state = call.store.get(sub("routeStates", rid), day) or {}
    extra = {"resourceId": rid, "date": day}
    for key in ("routeStartTime", "routeEndTime", "routeReactivationTime"):
        if state.get(key):
            extra[key] = state[key]
    return _page(call, docs, **extra)


def _route_action(activate: bool) -> Callable[[Call], Response]:
    def handle(call: Call) -> Response:
        rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
        day = _route_day(call)
        body = call.json_object() if call.request.body.strip() else {}
        when = body.get("time") or _now(call)
        with call.store.transaction():
            state = dict(call.store.get(sub("routeStates", rid), day) or {})
            active = bool(state.get("routeStartTime")) and not state.get("routeEndTime")
            if activate and active:
                raise conflict(f"The route of '{rid}' on {day} is already active.")
            if not activate and not active:
                raise conflict(f"The route of '{rid}' on {day} is not active.")
            if activate and state.get("routeEndTime"):
                state.pop("routeEndTime")
                state["routeReactivationTime"] = when
            elif activate:
                state["routeStartTime"] = when
            else:
                state["routeEndTime"] = when
            call.store.put(sub("routeStates", rid), day, state)
        return Response.no_content()

    return handle


_route("POST", f"{RES}/routes/{{date}}/custom-actions/activate")(_route_action(True))
_route("POST", f"{RES}/routes/{{date}}/custom-actions/deactivate")(_route_action(False))


# ---------------------------------------------------------------------- searches, teams


@_route("GET", f"{RES}/assistants")
def assistants(call: Call) -> Response:
    get_resource(call.store, call.param("resourceId"))
    days = _date_range(call, 14)
    today = today_of(call.store)
    if days and days[0] < today:
        raise bad_request(f"'dateFrom' must not be in the past (today is {today}).")
    return Response.json({"items": []})


@_route("GET", f"{RES}/findNearbyActivities")
def find_nearby_activities(call: Call) -> Response:
    import json

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


def _technicians(store: Store) -> list[dict[str, Any]]:
    return [
        r
        for r in store.items("resources")
        if r.get("resourceType") == "PR" and r.get("status") == "active"
    ]


@_route("POST", f"{V1}/resources/custom-actions/findMatchingResources")
def find_matching_resources(call: Call) -> Response:
    body = call.json_object()
    activity = body.get("activity")
    if body.get("activityId") is not None:
        activity = _activity(call.store, body["activityId"])
    if not isinstance(activity, dict):
        raise bad_request("Give 'activityId' or an 'activity' object.")
    zone = activity.get("workZone")
    matches = []
    for res in _technicians(call.store):
        zones = {
            z["workZone"] for z in call.store.items(sub("resourceWorkZones", res["resourceId"]))
        }
        if zone is None or zone in zones:
            matches.append({"resource": res, "fitness": {"workZone": 100 if zone else 0}})
    offset = int(body.get("offset") or 0)
    limit = min(int(body.get("limit") or 10), 100)
    return Response.json(
        {
            "totalResults": len(matches),
            "offset": offset,
            "limit": limit,
            "actualAtTime": _now(call),
            "items": matches[offset : offset + limit],
        }
    )


@_route("POST", f"{V1}/resources/custom-actions/findResourcesForUrgentAssignment")
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


# --------------------------------------------------------------------------- bulk updates


def _bulk_array(call: Call, list_field: str) -> list[dict[str, Any]]:
    if len(call.request.body) > MAX_BODY:
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


def _error(detail: str) -> dict[str, Any]:
    return {"type": "about:blank", "title": "Bad Request", "status": "400", "detail": detail}


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


_RECORD_TYPES = ("schedule", "shift", "extra_shift", "working", "extra_working", "non-working")


def _schedule_problem(store: Store, record: Any) -> str | None:
    if not isinstance(record, dict) or not record.get("recordType") or not record.get("startDate"):
        return "recordType and startDate are required"
    if record["recordType"] not in _RECORD_TYPES:
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
                    error = _error(f"The resource '{missing}' is not found.")
                    failed = len(item[list_field])
                    result = {**key, "itemsUpdated": 0, "itemsFailed": failed}
                    results.append(
                        {**result, **({"error": error} if single_error else {"errors": [error]})}
                    )
                    continue
                problems = [check(store, element) for element in item[list_field]]
                good = [e for e, p in zip(item[list_field], problems, strict=True) if p is None]
                errors = [_error(p) for p in problems if p is not None]
                apply(store, rid, good)
                updated += 1
                result = {**key, "itemsUpdated": len(good), "itemsFailed": len(errors)}
                if errors:
                    result.update({"error": errors[0]} if single_error else {"errors": errors})
                results.append(result)
        return Response.json({"resourcesUpdated": updated, "results": results})

    return handle


for _action in _BULK:
    _route("POST", f"{V1}/resources/custom-actions/{_action}")(_bulk_handler(_action))


@_route("POST", f"{V1}/resources/custom-actions/bulkUpdateInventories")
def bulk_update_inventories(call: Call) -> Response:
    if len(call.request.body) > MAX_BODY:
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
        result["errors"].append(_error(f"The resource '{rid}' is not found."))
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
            result["errors"].append(_error(f"Unknown inventory type '{label}'."))
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


# --------------------------------------------------------------------------- registration


def _register() -> None:
    taken = {f"{m} {p}" for m, p in registered_routes()}
    for method, path, handler in _ROUTES:
        if f"{method} {path}" not in taken:
            add_route(method, path, handler)


_register()
