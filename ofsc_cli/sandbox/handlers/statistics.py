"""Statistics API: learned durations and travel times, with overrides.

The statistics are generated deterministically from the seed (activity types, technicians,
work-zone travel keys) when first read; overrides set with ``PATCH`` are stored in
``statisticsOverrides``.  Collections page with ``offset``/``limit`` and, when more records
follow, a ``links`` entry with ``rel: "next"`` pointing at the next page.

``PATCH`` answers 409 when one request gives two different overrides for the same record,
and for travel and airline-distance overrides of records that were never learned.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import bad_request, conflict, not_found
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.seed import ROOT_RESOURCE

__all__ = ["duration_records", "travel_records"]

V1 = "/rest/ofscStatistics/v1"
OVERRIDES = "statisticsOverrides"
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
DISTANCES = (1, 5, 10, 25, 50)


def _stable(*parts: object) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode())


def _override(call: Call, kind: str, key: str) -> Any:
    doc = call.store.get(OVERRIDES, f"{kind}|{key}")
    return None if doc is None else doc.get("override")


# --------------------------------------------------------------------------- records


def duration_records(call: Call) -> list[dict[str, Any]]:
    """Company-level and per-technician duration statistics for every activity type."""
    types = [
        doc["label"]
        for doc in call.store.items("activityTypes")
        if doc.get("groupLabel") == "customer"
    ]
    technicians = [
        doc["resourceId"]
        for doc in call.store.items("resources")
        if doc.get("resourceType") not in ("BK", None)
    ][:12]
    records = []
    for resource in (ROOT_RESOURCE, *technicians):
        for akey in types:
            seed = _stable("duration", resource, akey)
            record: dict[str, Any] = {
                "resourceId": resource,
                "akey": akey,
                "level": "company" if resource == ROOT_RESOURCE else "resource",
                "avg": 30 + seed % 90,
                "dev": 5 + seed % 20,
                "count": 10 + seed % 400,
            }
            override = _override(call, "duration", f"{resource}|{akey}")
            if override is not None:
                record["override"] = override
            records.append(record)
    return records


def _travel_keys(call: Call) -> list[tuple[str, str]]:
    """(travel key, region) of the first postal code of every work zone."""
    keys = []
    for zone in call.store.items("workZones"):
        if zone.get("keys"):
            keys.append((str(zone["keys"][0]), str(zone.get("travelArea") or "")))
    return keys


def travel_records(call: Call) -> list[dict[str, Any]]:
    """Travel statistics between the travel keys of each region."""
    records = []
    keys = _travel_keys(call)
    for fkey, region in keys:
        for tkey, other in keys:
            if fkey == tkey or region != other:
                continue
            seed = _stable("travel", fkey, tkey)
            record: dict[str, Any] = {
                "keyId": 1 + seed % 3,
                "fkey": fkey,
                "tkey": tkey,
                "region": region,
                "org": ["default"],
                "avg": 5 + seed % 40,
                "dev": 1 + seed % 10,
                "count": 5 + seed % 200,
            }
            override = _override(call, "travel", f"{fkey}|{tkey}")
            if override is not None:
                record["override"] = override
            records.append(record)
    return records


def _airline_data(call: Call, level: str, key: str) -> list[dict[str, Any]]:
    data = []
    for distance in DISTANCES:
        entry: dict[str, Any] = {
            "distance": distance,
            "estimated": 4 + distance * 2 + _stable(level, key, distance) % 5,
        }
        override = _override(call, "airline", f"{level}|{key}|{distance}")
        if override is not None:
            entry["override"] = override
        data.append(entry)
    return data


def airline_records(call: Call) -> list[dict[str, Any]]:
    """Company level plus one record per travel key."""
    records: list[dict[str, Any]] = [
        {
            "level": "company",
            "keyId": 1,
            "org": ["default"],
            "data": _airline_data(call, "company", ""),
        }
    ]
    for key, _region in _travel_keys(call):
        records.append(
            {
                "level": "travelkey",
                "key": key,
                "keyId": 1 + _stable("airline", key) % 3,
                "org": ["default"],
                "data": _airline_data(call, "travelkey", key),
            }
        )
    return records


# --------------------------------------------------------------------------- reads


def _page(call: Call, records: list[dict[str, Any]]) -> Response:
    offset = call.int_arg("offset", 0) or 0
    limit = call.int_arg("limit") or DEFAULT_LIMIT
    limit = min(limit, MAX_LIMIT)
    page = records[offset : offset + limit]
    body: dict[str, Any] = {"items": page}
    if offset + len(page) < len(records):
        request = call.request
        others = {k: v[0] for k, v in request.query.items() if k not in ("offset", "limit") and v}
        query = urlencode({**others, "offset": offset + len(page), "limit": limit})
        body["links"] = [
            {"rel": "next", "href": f"{request.base_url.rstrip('/')}{request.path}?{query}"}
        ]
    return Response.json(body)


def _descendants(call: Call, resource: str) -> set[str]:
    found = {resource}
    frontier = [resource]
    while frontier:
        parent = frontier.pop()
        for child in call.store.keys("resources", parent=parent):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


@route("GET", f"{V1}/activityDurationStats")
def get_activity_duration_stats(call: Call) -> Response:
    records = duration_records(call)
    resource = call.arg("resourceId")
    if resource:
        if call.store.get("resources", resource) is None:
            raise not_found("resource", resource)
        wanted = _descendants(call, resource) if call.bool_arg("includeChildren") else {resource}
        records = [r for r in records if r["resourceId"] in wanted]
    akey = call.arg("akey")
    if akey:
        records = [r for r in records if r["akey"] == akey]
    return _page(call, records)


@route("GET", f"{V1}/activityTravelStats")
def get_activity_travel_stats(call: Call) -> Response:
    records = travel_records(call)
    for name in ("region", "fkey", "tkey"):
        value = call.arg(name)
        if value:
            records = [r for r in records if r[name] == value]
    key_id = call.int_arg("keyId")
    if key_id is not None:
        records = [r for r in records if r["keyId"] == key_id]
    return _page(call, records)


@route("GET", f"{V1}/airlineDistanceBasedTravel")
def get_airline_distance_based_travel(call: Call) -> Response:
    records = airline_records(call)
    level, key = call.arg("level"), call.arg("key")
    if level:
        records = [r for r in records if r["level"] == level]
    if key:
        records = [r for r in records if r.get("key") == key]
    key_id = call.int_arg("keyId")
    if key_id is not None:
        records = [r for r in records if r["keyId"] == key_id]
    distance = call.arg("distance")
    if distance:
        try:
            wanted = int(distance)
        except ValueError:
            raise bad_request(f"'distance' must be an integer, got '{distance}'.") from None
        records = [
            {**r, "data": [d for d in r["data"] if d["distance"] == wanted]} for r in records
        ]
    return _page(call, records)


# --------------------------------------------------------------------------- overrides


def _override_items(call: Call) -> list[dict[str, Any]]:
    items = call.json_object().get("items")
    if not isinstance(items, list) or not items:
        raise bad_request("The body needs a non-empty 'items' array.")
    if not all(isinstance(item, dict) for item in items):
        raise bad_request("Each item must be an object.")
    return items


def _int_in(item: dict[str, Any], name: str, low: int, high: int) -> int:
    value = item.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise bad_request(f"'{name}' must be an integer from {low} to {high}.")
    return value


def _store_overrides(
    call: Call, kind: str, entries: list[tuple[str, int]], known: Callable[[str], bool]
) -> Response:
    """Check for conflicts, then store ``(key, override)`` pairs; -1 removes an override."""
    seen: dict[str, int] = {}
    for key, value in entries:
        if key in seen and seen[key] != value:
            raise conflict(f"Two different overrides were given for {kind} record {key}.")
        seen[key] = value
        if not known(key):
            raise conflict(f"There are no {kind} statistics for {key} to override.")
    with call.store.transaction():
        for key, value in seen.items():
            if value < 0:
                call.store.delete(OVERRIDES, f"{kind}|{key}")
            else:
                call.store.put(OVERRIDES, f"{kind}|{key}", {"override": value})
    # Flat, as live tenants answer (NOTES §9); the spec nests it under "results".
    return Response.json({"status": "200", "updatedRecords": len(seen)})


@route("PATCH", f"{V1}/activityDurationStats")
def patch_activity_duration_stats(call: Call) -> Response:
    entries = []
    for item in _override_items(call):
        for name in ("resourceId", "akey"):
            if not isinstance(item.get(name), str) or not item[name]:
                raise bad_request(f"'{name}' is required.")
        entries.append((f"{item['resourceId']}|{item['akey']}", _int_in(item, "override", 0, 1440)))
    known = {f"{r['resourceId']}|{r['akey']}" for r in duration_records(call)}
    for key, _ in entries:
        if key not in known:
            resource, akey = key.split("|", 1)
            raise not_found("duration statistics of resource/activity key", f"{resource}/{akey}")
    return _store_overrides(call, "duration", entries, known.__contains__)


@route("PATCH", f"{V1}/activityTravelStats")
def patch_activity_travel_stats(call: Call) -> Response:
    entries = []
    for item in _override_items(call):
        for name in ("fkey", "tkey"):
            if not isinstance(item.get(name), str) or not item[name]:
                raise bad_request(f"'{name}' is required.")
        entries.append((f"{item['fkey']}|{item['tkey']}", _int_in(item, "override", 0, 480)))
    known = {f"{r['fkey']}|{r['tkey']}" for r in travel_records(call)}
    return _store_overrides(call, "travel", entries, known.__contains__)


@route("PATCH", f"{V1}/airlineDistanceBasedTravel")
def patch_airline_distance_based_travel(call: Call) -> Response:
    entries = []
    known_keys = {key for key, _ in _travel_keys(call)}
    for item in _override_items(call):
        level = item.get("level") or ("travelkey" if item.get("key") else "company")
        if level not in ("company", "travelkey"):
            raise bad_request("'level' must be 'company' or 'travelkey'.")
        key = str(item.get("key") or "") if level == "travelkey" else ""
        data = item.get("data")
        if not isinstance(data, list) or not 1 <= len(data) <= 2:
            raise bad_request("'data' must hold one or two entries.")
        for entry in data:
            if not isinstance(entry, dict):
                raise bad_request("Each 'data' entry must be an object.")
            distance = _int_in(entry, "distance", -1, 999)
            override = _int_in(entry, "override", -1, 999)
            entries.append((f"{level}|{key}|{distance}", override))

    def known(record: str) -> bool:
        level, key, distance = record.split("|")
        return (level == "company" or key in known_keys) and int(distance) in DISTANCES

    return _store_overrides(call, "airline", entries, known)
