"""Core API: resources: the resource tree, one resource, its work skills, work zones,
assigned users, work plans and file properties, assistants and matching resources.

Resources live in the ``resources`` collection (``parent`` = ``parentResourceId``); each
sub-collection is ``<name>:<resourceId>`` (see :data:`SUBCOLLECTIONS`).  A ``PUT`` creates
(201) or replaces (200) a resource, a ``PATCH`` changes the fields sent (a new
``resourceId`` only with ``identifyResourceBy=resourceInternalId``, renaming every
sub-collection, inventory, user assignment and activity with it); a parent must exist and
never be the resource itself or one of its descendants.  ``canBeTeamHolder`` and
``canParticipateInTeam`` are accepted and ignored.  Work skills are replaced whole by
``POST``; file properties are kept in ``fileProperties`` (see
:func:`~ofsc_cli.sandbox.handlers._common.file_property_routes`).  Calendars and work
schedules, locations, positions, routes, inventories and the bulk updates have modules of
their own.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from ofsc_cli.catalog import load_catalog
from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    date_range,
    file_property_routes,
    find_activity,
    merge,
    not_found,
    now_text,
    page_args,
    paged,
    paged_list,
    paged_raw,
    parse_date,
    require,
    select_fields,
)
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.seed import today_of
from ofsc_cli.sandbox.store import Store, sub

__all__ = ["ITEM", "SUBCOLLECTIONS", "get_resource", "overlaps", "resource_ids_under"]

V1 = "/rest/ofscCore/v1"

BASE = "/rest/ofscCore/v1/resources"
ITEM = f"{BASE}/{{resourceId}}"


#: Sub-collections owned by one resource (store collection ``<name>:<resourceId>``).
SUBCOLLECTIONS = (
    "resourceWorkSkills",
    "resourceWorkZones",
    "resourceWorkSchedules",
    "resourceLocations",
    "resourcePlans",
)


_EXPANDABLE = ("inventories", "workSkills", "workZones", "workSchedules")
_TIME_ZONES = {
    "Eastern": ("America/New_York", -300),
    "Central": ("America/Chicago", -360),
    "Mountain": ("America/Denver", -420),
    "Pacific": ("America/Los_Angeles", -480),
    "UTC": ("UTC", 0),
}

_READ_ONLY = ("resourceInternalId", "timeZoneIANA", "timeZoneDiff")


# --------------------------------------------------------------------------------- helpers


def get_resource(store: Store, resource_id: str) -> dict[str, Any]:
    """The resource document; a 404 OFS error if there is none."""
    doc = store.get("resources", resource_id)
    if doc is None:
        raise not_found("resource", resource_id)
    return doc  # type: ignore[no-any-return]


def _children_map(store: Store) -> dict[str | None, list[str]]:
    """Child resource ids by parent id, in stored order (the store's ``parent`` column is
    the ``parentResourceId``); remembered until the next write."""

    def build() -> dict[str | None, list[str]]:
        tree: dict[str | None, list[str]] = {}
        for rid, parent in store.key_parents("resources"):
            tree.setdefault(parent, []).append(rid)
        return tree

    return store.memo("resources:children", build)


def _descendant_ids(store: Store, resource_id: str) -> list[str]:
    """Every resource id below ``resource_id``, depth first, in stored order (remembered
    until the next write: ``GET activities`` of ``ROOT`` asks for it on every page)."""

    def build() -> list[str]:
        tree = _children_map(store)
        out: list[str] = []
        stack = list(reversed(tree.get(resource_id, [])))
        while stack:
            rid = stack.pop()
            out.append(rid)
            stack.extend(reversed(tree.get(rid, [])))
        return out

    return store.memo(("resources:descendants", resource_id), build)


def resource_ids_under(store: Store, resource_id: str, include_children: str) -> list[str]:
    """``resource_id`` plus none, its children or all its descendants."""
    get_resource(store, resource_id)
    if include_children == "none":
        return [resource_id]
    if include_children == "immediate":
        return [resource_id, *store.keys("resources", parent=resource_id)]
    return [resource_id, *_descendant_ids(store, resource_id)]


@functools.cache
def _schema_fields() -> frozenset[str]:
    return frozenset(load_catalog().schema("resource").get("properties", {}))


def _known_fields(store: Store) -> set[str]:
    custom = {p["label"] for p in store.items("properties") if p.get("entity") == "resource"}
    return set(_schema_fields()) | custom


def _fields(call: Call) -> list[str] | None:
    fields = call.list_arg("fields")
    if fields is not None:
        unknown = sorted(set(fields) - _known_fields(call.store))
        if unknown:
            raise bad_request(f"Unknown resource field(s): {', '.join(unknown)}.")
    return fields


def _expand(call: Call) -> list[str]:
    expand = call.list_arg("expand") or []
    unknown = [e for e in expand if e not in _EXPANDABLE]
    if unknown:
        raise bad_request(f"'expand' accepts {', '.join(_EXPANDABLE)}; got {', '.join(unknown)}.")
    return expand


def _work_zones(store: Store, resource_id: str) -> list[dict[str, Any]]:
    out = []
    for item in store.items(sub("resourceWorkZones", resource_id)):
        zone = store.get("workZones", item["workZone"]) or {}
        out.append({**item, "workZoneStatus": zone.get("status", "inactive")})
    return out


_READERS: dict[str, Callable[[Store, str], list[Any]]] = {
    "inventories": lambda store, rid: store.items("inventories", parent=rid),
    "workSkills": lambda store, rid: store.items(sub("resourceWorkSkills", rid)),
    "workZones": _work_zones,
    "workSchedules": lambda store, rid: store.items(sub("resourceWorkSchedules", rid)),
}


def _present(
    call: Call, doc: dict[str, Any], fields: list[str] | None, expand: list[str]
) -> dict[str, Any]:
    out = select_fields(doc, fields, always=("resourceId",))
    for name in expand:
        out[name] = {"items": _READERS[name](call.store, doc["resourceId"])}
    return out


def overlaps(item: dict[str, Any], date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """Whether an item's ``startDate`` to ``endDate`` meets the range (open ends allowed)."""
    start = item.get("startDate")
    end = item.get("endDate")
    if date_to is not None and start and start > date_to.isoformat():
        return False
    return not (date_from is not None and end and end < date_from.isoformat())


# ------------------------------------------------------------------------------- resources


@route("GET", BASE)
def list_resources(call: Call) -> Response:
    fields, expand = _fields(call), _expand(call)
    offset, limit = page_args(call)
    total = call.store.count("resources")
    if fields is None and not expand:  # the documents as stored: no need to parse them
        texts = call.store.items_raw("resources", offset=offset, limit=limit)
        return paged_raw(call, texts, total, offset, limit)
    page = call.store.items("resources", offset=offset, limit=limit)
    items = [_present(call, d, fields, expand) for d in page]
    return paged(call, items, total, offset, limit)


@route("GET", f"{ITEM}/children")
def list_children(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    fields, expand = _fields(call), _expand(call)
    docs = call.store.items("resources", parent=rid)
    return paged_list(call, [_present(call, d, fields, expand) for d in docs])


@route("GET", f"{ITEM}/descendants")
def list_descendants(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    fields, expand = _fields(call), _expand(call)
    ids = _descendant_ids(call.store, rid)
    offset, limit = page_args(call)
    docs = call.store.get_many("resources", ids[offset : offset + limit])
    page = [_present(call, d, fields, expand) for d in docs]
    return paged(call, page, len(ids), offset, limit)


@route("GET", ITEM)
def get_one(call: Call) -> Response:
    doc = get_resource(call.store, call.param("resourceId"))
    return Response.json(_present(call, doc, _fields(call), _expand(call)))


def _check_resource(call: Call, doc: dict[str, Any]) -> None:
    store, rid = call.store, doc["resourceId"]
    rtype = doc.get("resourceType")
    if rtype is not None and store.get("resourceTypes", rtype) is None:
        raise bad_request(f"Unknown resource type '{rtype}'.")
    if doc.get("status", "active") not in ("active", "inactive"):
        raise bad_request("'status' must be active or inactive.")
    parent = doc.get("parentResourceId")
    seen = {rid}
    while parent:
        if parent in seen:
            raise bad_request("'parentResourceId' would make the resource its own ancestor.")
        seen.add(parent)
        parent_doc = store.get("resources", parent)
        if parent_doc is None:
            raise bad_request(f"Unknown parent resource '{parent}'.")
        parent = parent_doc.get("parentResourceId")
    zone = doc.get("timeZone")
    if zone in _TIME_ZONES:
        doc["timeZoneIANA"], doc["timeZoneDiff"] = _TIME_ZONES[zone]
    elif isinstance(zone, str) and "/" in zone:
        doc["timeZoneIANA"] = zone


@route("PUT", ITEM)
def put_resource(call: Call) -> Response:
    """Create (201) or replace (200): a replace erases the fields not sent."""
    rid = call.param("resourceId")
    body = call.json_object()
    if body.get("resourceId", rid) != rid:
        raise bad_request("'resourceId' in the body differs from the URL.")
    with call.store.transaction():
        old = call.store.get("resources", rid)
        if old is None:
            require(
                body,
                ("parentResourceId", "name", "resourceType", "language", "timeZone"),
                "a new resource",
            )
            internal_id = call.store.next_id("resourceInternalId")
        else:
            internal_id = old["resourceInternalId"]
        doc: dict[str, Any] = {"resourceId": rid, "resourceInternalId": internal_id}
        doc.update({k: v for k, v in body.items() if k not in _READ_ONLY and k != "resourceId"})
        doc.setdefault("status", "active")
        _check_resource(call, doc)
        created = call.store.put("resources", rid, doc, parent=doc.get("parentResourceId"))
    return Response.json(doc, 201 if created else 200)


def _rename(store: Store, old: str, new: str) -> None:
    if store.get("resources", new) is not None:
        raise bad_request(f"The resource id '{new}' is already used.")
    store.delete("resources", old)
    for child in store.items("resources", parent=old):
        store.put("resources", child["resourceId"], {**child, "parentResourceId": new}, parent=new)
    for name in SUBCOLLECTIONS:
        store.rename_collection(sub(name, old), sub(name, new))
    week = store.get("resourceAssignedLocations", old)
    if week is not None:
        store.delete("resourceAssignedLocations", old)
        store.put("resourceAssignedLocations", new, week)
    for inv in store.items("inventories", parent=old):
        store.put("inventories", inv["inventoryId"], {**inv, "resourceId": new}, parent=new)
    for user in store.items("users"):
        if old in user.get("resources", ()):
            user["resources"] = [new if r == old else r for r in user["resources"]]
            if user.get("mainResourceId") == old:
                user["mainResourceId"] = new
            store.put("users", user["login"], user)
    store.move_activities(old, new)


@route("PATCH", ITEM)
def patch_resource(call: Call) -> Response:
    """Change only the fields sent; ``identifyResourceBy=resourceInternalId`` allows a new id."""
    key = call.param("resourceId")
    body = call.json_object()
    by_internal = call.arg("identifyResourceBy") == "resourceInternalId"
    with call.store.transaction():
        if by_internal:
            found = [
                d for d in call.store.items("resources") if str(d["resourceInternalId"]) == key
            ]
            if not found:
                raise not_found("resource", key)
            old = found[0]
        else:
            old = get_resource(call.store, key)
        rid = old["resourceId"]
        new_id = body.get("resourceId", rid)
        if new_id != rid and not by_internal:
            raise bad_request("Changing 'resourceId' needs identifyResourceBy=resourceInternalId.")
        doc = merge(old, {k: v for k, v in body.items() if k not in _READ_ONLY})
        _check_resource(call, doc)
        if new_id != rid:
            _rename(call.store, rid, str(new_id))
        call.store.put("resources", doc["resourceId"], doc, parent=doc.get("parentResourceId"))
    return Response.json(doc)


# ----------------------------------------------------------------------------- work skills


def _skills_body(call: Call, rid: str) -> Response:
    items = call.store.items(sub("resourceWorkSkills", rid))
    date_from = parse_date(call.arg("dateFrom"), "dateFrom")
    date_to = parse_date(call.arg("dateTo"), "dateTo")
    items = [i for i in items if overlaps(i, date_from, date_to)]
    links = [{"rel": "canonical", "href": call.request.base_url.rstrip("/") + call.request.path}]
    return Response.json({"items": items, "totalResults": len(items), "links": links})


@route("GET", f"{ITEM}/workSkills")
def get_work_skills(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    return _skills_body(call, rid)


@route("POST", f"{ITEM}/workSkills")
def set_work_skills(call: Call) -> Response:
    """Replace all the resource's work skills with the bare array sent."""
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    body = call.json()
    if not isinstance(body, list):
        raise bad_request("The body must be a JSON array of work skills.")
    rows: list[tuple[str | int, Any, str | None]] = []
    for item in body:
        if not isinstance(item, dict):
            raise bad_request("Each work skill must be an object.")
        require(item, ("workSkill", "ratio"), "a work skill")
        if call.store.get("workSkills", item["workSkill"]) is None:
            raise bad_request(f"Unknown work skill '{item['workSkill']}'.")
        if not isinstance(item["ratio"], int) or not 0 <= item["ratio"] <= 100:
            raise bad_request("'ratio' must be an integer from 0 to 100.")
        rows.append((item["workSkill"], item, None))
    call.store.replace_all(sub("resourceWorkSkills", rid), rows)
    return _skills_body(call, rid)


@route("DELETE", f"{ITEM}/workSkills/{{workSkill}}")
def delete_work_skill(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    skill = call.param("workSkill")
    if not call.store.delete(sub("resourceWorkSkills", rid), skill):
        raise not_found("work skill assignment", skill)
    return Response.no_content()


# ------------------------------------------------------------------------------ work zones


@route("GET", f"{ITEM}/workZones")
def get_work_zones(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    date_from = parse_date(call.arg("dateFrom"), "dateFrom")
    date_to = parse_date(call.arg("dateTo"), "dateTo")
    items = [z for z in _work_zones(call.store, rid) if overlaps(z, date_from, date_to)]
    if call.bool_arg("onlyActiveWorkZones"):
        items = [z for z in items if z["workZoneStatus"] == "active"]
    return Response.json({"items": items})


@route("POST", f"{ITEM}/workZones")
def add_work_zone(call: Call) -> Response:
    """Add one work-zone assignment (204)."""
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    body = call.json_object()
    require(body, ("workZone", "startDate"), "a work zone assignment")
    if call.store.get("workZones", body["workZone"]) is None:
        raise bad_request(f"Unknown work zone '{body['workZone']}'.")
    parse_date(body["startDate"], "startDate")
    parse_date(body.get("endDate"), "endDate")
    if body.get("type", "regular") not in ("regular", "override"):
        raise bad_request("'type' must be regular or override.")
    ratio = body.get("ratio", 100)
    if not isinstance(ratio, int) or not 1 <= ratio <= 100:
        raise bad_request("'ratio' must be an integer from 1 to 100.")
    item_id = call.store.next_id("workZoneItemId")
    doc = {"workZoneItemId": item_id, "ratio": ratio, **body}
    doc["workZoneItemId"] = item_id
    call.store.put(sub("resourceWorkZones", rid), item_id, doc)
    return Response.no_content()


@route("DELETE", f"{ITEM}/workZones/{{workZoneItemId}}")
def delete_work_zone(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    item = call.param("workZoneItemId")
    if not call.store.delete(sub("resourceWorkZones", rid), item):
        raise not_found("work zone assignment", item)
    return Response.no_content()


# ----------------------------------------------------------------------------------- users


def _resource_logins(store: Store, rid: str) -> list[str]:
    return [u["login"] for u in store.items("users") if rid in (u.get("resources") or ())]


@route("GET", f"{ITEM}/users")
def get_resource_users(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    return paged_list(call, [{"login": login} for login in _resource_logins(call.store, rid)])


def _set_resource_users(store: Store, rid: str, logins: list[str]) -> None:
    for user in store.items("users"):
        resources = list(user.get("resources") or ())
        has, wants = rid in resources, user["login"] in logins
        if has == wants:
            continue
        resources = [*resources, rid] if wants else [r for r in resources if r != rid]
        user["resources"] = resources
        if user.get("mainResourceId") == rid and not wants:
            user["mainResourceId"] = resources[0] if resources else None
        store.put("users", user["login"], user)


@route("PUT", f"{ITEM}/users")
def put_resource_users(call: Call) -> Response:
    """Set exactly which users are assigned to the resource."""
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    items = call.json_object().get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) and "login" in i for i in items):
        raise bad_request('The body must be {"items": [{"login": ...}, ...]}.')
    logins = [str(i["login"]) for i in items]
    with call.store.transaction():
        missing = [login for login in logins if call.store.get("users", login) is None]
        if missing:
            raise bad_request(f"Unknown user(s): {', '.join(missing)}.")
        _set_resource_users(call.store, rid, logins)
    return Response.json({"items": [{"login": login} for login in logins]})


@route("DELETE", f"{ITEM}/users")
def delete_resource_users(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    with call.store.transaction():
        _set_resource_users(call.store, rid, [])
    return Response.no_content()


# ----------------------------------------------------------------------------------- plans


_MEASURES = ("man_hours", "points", "scheduled", "FTE")


@route("GET", f"{ITEM}/plans")
def get_plans(call: Call) -> Response:
    # The spec documents 204 with a body here; a 204 cannot carry one, so 200 is answered.
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    today = today_of(call.store)
    date_from = parse_date(call.arg("dateFrom"), "dateFrom") or today
    date_to = parse_date(call.arg("dateTo"), "dateTo") or today
    items = [
        p
        for p in call.store.items(sub("resourcePlans", rid))
        if date_from.isoformat() <= p["date"] <= date_to.isoformat()
    ]
    return Response.json({"totalResults": len(items), "items": items})


@route("POST", f"{ITEM}/plans")
def add_plan(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    body = call.json_object()
    require(body, ("measure", "value", "date"), "a plan")
    if body["measure"] not in _MEASURES:
        raise bad_request(f"'measure' must be one of: {', '.join(_MEASURES)}.")
    value = body["value"]
    if not isinstance(value, int | float) or not 0 <= value <= 65535:
        raise bad_request("'value' must be a number from 0 to 65535.")
    parse_date(body["date"], "date")
    doc = {"measure": body["measure"], "value": value, "date": body["date"]}
    call.store.put(sub("resourcePlans", rid), f"{body['measure']}:{body['date']}", doc)
    return Response.no_content()


@route("DELETE", f"{ITEM}/plans")
def delete_plan(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    date = call.arg("date")
    parse_date(date, "date")
    call.store.delete(sub("resourcePlans", rid), f"{call.arg('measure')}:{date}")
    return Response.no_content()


# ------------------------------------------------------------------------- file properties


file_property_routes(
    ITEM, "resource", lambda c: get_resource(c.store, c.param("resourceId"))["resourceId"]
)


# ---------------------------------------------------------- assistants, matching resources


@route("GET", f"{ITEM}/assistants")
def assistants(call: Call) -> Response:
    get_resource(call.store, call.param("resourceId"))
    days = date_range(call, 14)
    today = today_of(call.store)
    if days and days[0] < today:
        raise bad_request(f"'dateFrom' must not be in the past (today is {today}).")
    return Response.json({"items": []})


def _technicians(store: Store) -> list[dict[str, Any]]:
    return [
        r
        for r in store.items("resources")
        if r.get("resourceType") == "PR" and r.get("status") == "active"
    ]


@route("POST", f"{V1}/resources/custom-actions/findMatchingResources")
def find_matching_resources(call: Call) -> Response:
    body = call.json_object()
    activity = body.get("activity")
    if body.get("activityId") is not None:
        activity = find_activity(call.store, body["activityId"])
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
            "actualAtTime": now_text(call),
            "items": matches[offset : offset + limit],
        }
    )
