"""Capacity API: booking statuses, the booking closing schedule and the booking options
(``activityBookingOptions``, ``bookingFieldsDependencies``, ``showBookingGrid``).

Booking statuses are open unless closed with ``PATCH`` (kept in ``bookingStatuses``, per
date, area, category, work zone and interval); the closing schedule of an area is 18:00 one
day before unless set (kept in ``bookingClosingSchedule``).  Booking options give each time
slot's quota and what remains, with ``reason`` ``timeInPast``/``dateInPast`` or
``noCapacity`` when the activity type's duration does not fit; the booking grid covers at
most 31 days (7 by default) for every leaf area.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import bad_request, parse_date
from ofsc_cli.sandbox.handlers.capacity import (
    MAX_DATES,
    QUOTA_SHARE,
    V1,
    AreaDay,
    area_links,
    body_items,
    day_figures,
    field_results,
    requested_areas,
    requested_dates,
)
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.seed import today_of

STATUSES = "bookingStatuses"
CLOSING = "bookingClosingSchedule"


def _status_key(date: str, area: str, entry: dict[str, Any]) -> str:
    parts = (entry.get(k) or "" for k in ("category", "workZone", "timeFrom", "timeTo"))
    return "|".join((date, area, *parts))


@route("GET", f"{V1}/bookingStatuses")
def get_booking_statuses(call: Call) -> Response:
    dates = requested_dates(call)
    areas = requested_areas(call)
    items = []
    for date in dates:
        for area in areas:
            links = area_links(call, area)
            intervals = links.get("timeIntervals") or [{}]
            statuses = []
            for category in links.get("capacityCategories") or [None]:
                for interval in intervals:
                    entry = {
                        k: v
                        for k, v in (
                            ("category", category),
                            ("timeFrom", interval.get("timeFrom")),
                            ("timeTo", interval.get("timeTo")),
                        )
                        if v
                    }
                    stored = call.store.get(STATUSES, _status_key(date, area, entry))
                    state = stored or {"state": "open"}
                    statuses.append({**entry, "bookingStatus": state})
            items.append({"area": area, "date": date, "statuses": statuses})
    return Response.json({"items": items})


@route("PATCH", f"{V1}/bookingStatuses")
def patch_booking_statuses(call: Call) -> Response:
    errors: list[dict[str, Any]] = []
    changed = unchanged = 0
    with call.store.transaction():
        for item in body_items(call):
            if not isinstance(item, dict):
                raise bad_request("Each item must be an object.")
            area, date = item.get("area"), item.get("date")
            parse_date(date if isinstance(date, str) else "", "date")
            assert isinstance(date, str)
            if not isinstance(area, str) or call.store.get("capacityAreas", area) is None:
                errors.append(
                    {
                        "operation": {"area": area},
                        "errorDetail": {
                            "code": "unknownArea",
                            "message": f"The capacity area '{area}' is not found.",
                        },
                    }
                )
                continue
            for entry in item.get("statuses") or []:
                state = entry.get("state") if isinstance(entry, dict) else None
                if state not in ("open", "closed"):
                    raise bad_request("'state' must be 'open' or 'closed'.")
                key = _status_key(date, area, entry)
                stored = call.store.get(STATUSES, key) or {"state": "open"}
                if stored.get("state") == state:
                    unchanged += 1
                    continue
                value: dict[str, Any] = {"state": state}
                if state == "closed":
                    value["closedAt"] = f"{today_of(call.store).isoformat()} 12:00:00"
                call.store.put(STATUSES, key, value)
                changed += 1
    return field_results(errors, changed, unchanged)


def _closing_key(entry: dict[str, Any]) -> str:
    return "|".join(str(entry.get(k) or "") for k in ("area", "category", "workZone", "startTime"))


def _closing_entries(call: Call, area: str) -> list[dict[str, Any]]:
    stored = {
        _closing_key(doc): doc for doc in call.store.items(CLOSING) if doc.get("area") == area
    }
    default = {"area": area, "closeTime": "18:00", "dayOffset": 1}
    stored.setdefault(_closing_key(default), default)
    return sorted(stored.values(), key=_closing_key)


@route("GET", f"{V1}/bookingClosingSchedule")
def get_booking_closing_schedule(call: Call) -> Response:
    areas = requested_areas(call)
    return Response.json({"items": [e for a in areas for e in _closing_entries(call, a)]})


@route("PATCH", f"{V1}/bookingClosingSchedule")
def patch_booking_closing_schedule(call: Call) -> Response:
    errors: list[dict[str, Any]] = []
    changed = unchanged = 0
    with call.store.transaction():
        for entry in body_items(call):
            if not isinstance(entry, dict):
                raise bad_request("Each item must be an object.")
            area = entry.get("area")
            if not isinstance(area, str) or call.store.get("capacityAreas", area) is None:
                errors.append(
                    {
                        "operation": {"area": area},
                        "errorDetail": {
                            "code": "unknownArea",
                            "message": f"The capacity area '{area}' is not found.",
                        },
                    }
                )
                continue
            offset = entry.get("dayOffset")
            if offset is not None and (not isinstance(offset, int) or not 1 <= offset <= 255):
                raise bad_request("'dayOffset' must be an integer from 1 to 255.")
            key = _closing_key(entry)
            if call.store.get(CLOSING, key) == entry:
                unchanged += 1
            else:
                call.store.put(CLOSING, key, entry)
                changed += 1
    return field_results(errors, changed, unchanged)


def _activity_type(call: Call, label: str | None) -> dict[str, Any]:
    doc = call.store.get("activityTypes", label or "")
    if doc is None:
        raise bad_request(f"Unknown activity type '{label}'.")
    return dict(doc)


def _slot_options(
    call: Call, day: AreaDay, date: str, duration: int
) -> tuple[list[dict[str, Any]], int, int]:
    past = dt.date.fromisoformat(date) < today_of(call.store)
    slots = []
    for slot, figures in day.slots.items():
        quota = round(figures.calendar * QUOTA_SHARE)
        remaining = max(quota - figures.used, 0)
        option: dict[str, Any] = {
            "label": slot,
            "originalQuota": quota,
            "remainingQuota": remaining,
        }
        if past:
            option["reason"] = "timeInPast"
        elif remaining < duration:
            option["reason"] = "noCapacity"
        slots.append(option)
    original = round(day.total.calendar * QUOTA_SHARE)
    return slots, original, max(original - day.total.used, 0)


def _duration(call: Call, activity_type: dict[str, Any]) -> int:
    given = call.int_arg("defaultDuration")
    return int(given or activity_type.get("defaultDuration") or 60)


@route("GET", f"{V1}/activityBookingOptions")
def get_activity_booking_options(call: Call) -> Response:
    dates = requested_dates(call)
    activity_type = _activity_type(call, call.arg("activityType"))
    duration = _duration(call, activity_type)
    areas = requested_areas(call)
    wanted = call.list_arg("categories")
    out_dates = []
    for date in dates:
        entries = []
        for area in areas:
            day = day_figures(call, area, date)
            slots, original, remaining = _slot_options(call, day, date, duration)
            entry: dict[str, Any] = {
                "label": day.label,
                "name": day.name,
                "categories": [c for c in day.categories if wanted is None or c in wanted],
                "originalQuota": original,
                "remainingQuota": remaining,
                "timeSlots": slots,
                "timeZone": "Eastern",
            }
            if dt.date.fromisoformat(date) < today_of(call.store):
                entry["reason"] = "dateInPast"
            elif remaining < duration:
                entry["reason"] = "noCapacity"
            entries.append(entry)
        out_dates.append({"date": date, "areas": entries})
    return Response.json(
        {
            "actualAtTime": f"{today_of(call.store).isoformat()} 12:00:00",
            "duration": duration,
            "travelTime": 20,
            "dates": out_dates,
        }
    )


_DEPENDENCIES = {
    "commonDependencies": [
        [{"label": "activityType", "apiParameterName": "activityType"}],
    ],
    "durationDependencies": [
        [{"label": "activityType", "apiParameterName": "activityType"}],
        [{"label": "duration", "apiParameterName": "defaultDuration"}],
    ],
    "travelTimeDependencies": [
        [{"label": "postalCode", "apiParameterName": "postalCode"}],
        [
            {"label": "latitude", "apiParameterName": "latitude"},
            {"label": "longitude", "apiParameterName": "longitude"},
        ],
    ],
    "workSkillDependencies": [
        [{"label": "activityType", "apiParameterName": "activityType"}],
    ],
    "workZoneDependencies": [
        [{"label": "postalCode", "apiParameterName": "postalCode"}],
        [{"label": "city", "apiParameterName": "city"}],
    ],
}


@route("GET", f"{V1}/bookingFieldsDependencies")
def get_booking_fields_dependencies(call: Call) -> Response:
    return Response.json(_DEPENDENCIES)


@route("POST", f"{V1}/showBookingGrid")
def show_booking_grid(call: Call) -> Response:
    body = call.json_object()
    activity = body.get("activity")
    if not isinstance(activity, dict):
        raise bad_request("'activity' is required.")
    for name in ("activityType", "timeZone"):
        if not activity.get(name):
            raise bad_request(f"'activity.{name}' is required.")
    activity_type = _activity_type(call, activity.get("activityType"))
    start = parse_date(body.get("dateFrom") or "", "dateFrom")
    assert start is not None
    end = parse_date(body.get("dateTo"), "dateTo") or start + dt.timedelta(days=6)
    if end < start or (end - start).days >= MAX_DATES:
        raise bad_request(f"'dateTo' must be on or after 'dateFrom', within {MAX_DATES} days.")
    duration = int(activity.get("duration") or activity_type.get("defaultDuration") or 60)
    dates = [(start + dt.timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
    areas = []
    for doc in call.store.items("capacityAreas"):
        if doc.get("type") != "area":
            continue
        grid_dates = []
        for date in dates:
            day = day_figures(call, doc["label"], date)
            slots, original, remaining = _slot_options(call, day, date, duration)
            grid_dates.append(
                {
                    "date": date,
                    "originalQuota": original,
                    "remainingQuota": remaining,
                    "timeSlots": slots,
                }
            )
        areas.append(
            {
                "label": doc["label"],
                "name": doc.get("name"),
                "timeZone": "Eastern",
                "areaTimeSlots": list(area_links(call, doc["label"]).get("timeSlots") or []),
                "dates": grid_dates,
            }
        )
    result: dict[str, Any] = {
        "actualAtTime": f"{today_of(call.store).isoformat()} 12:00:00",
        "duration": duration,
        "areas": areas,
    }
    if body.get("includeTimeSlotsDictionary"):
        result["timeSlotsDictionary"] = [
            {
                "label": s["label"],
                "name": s.get("name"),
                "timeFrom": s.get("timeStart"),
                "timeTo": s.get("timeEnd"),
            }
            for s in call.store.items("timeSlots")
            if not s.get("isAllDay")
        ]
    return Response.json(result)
