"""Capacity API: quota, v1 and v2 (``GET`` and ``PATCH``).

A quota is 80 % of the calendar unless ``quota`` or ``quotaPercent`` was set; ``minQuota``,
``quotaIsClosed`` and ``stopBookingAt`` are kept as set.  Set values live in
``capacityQuota`` (key ``date|area|category|slot``).  v2 adds categories with
``categoryLevel`` (or ``categories``), time slots with ``timeSlotLevel`` and intervals with
``intervalLevel``; v1 lists ``count`` instead of ``bookedActivities``.  A ``PATCH`` counts
changed and unchanged fields; unknown areas and categories are reported, not refused (v2
answers the messages only).
"""

from __future__ import annotations

from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import bad_request, parse_date
from ofsc_cli.sandbox.handlers.capacity import (
    QUOTA_SHARE,
    V1,
    V2,
    AreaDay,
    Figures,
    area_days,
    area_head,
    area_links,
    body_items,
    field_results,
    requested_areas,
    requested_dates,
)
from ofsc_cli.sandbox.router import Call, route

QUOTA = "capacityQuota"


def _quota_key(date: str, area: str, category: str = "", slot: str = "") -> str:
    return f"{date}|{area}|{category}|{slot}"


def _stored_quota(call: Call, date: str, area: str, category: str = "") -> dict[str, Any]:
    return dict(call.store.get(QUOTA, _quota_key(date, area, category)) or {})


def _percent(part: int | float | None, whole: int | float | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 2)


def _quota_values(figures: Figures, stored: dict[str, Any]) -> dict[str, Any]:
    quota = stored.get("quota")
    if quota is None and stored.get("quotaPercent") is not None:
        quota = round(figures.calendar * float(stored["quotaPercent"]) / 100)
    if quota is None:
        quota = round(figures.calendar * QUOTA_SHARE)
    values: dict[str, Any] = {
        "maxAvailable": figures.calendar,
        "quota": quota,
        "minQuota": stored.get("minQuota", 0),
        "used": figures.used,
        "bookedActivities": figures.booked,
        "quotaPercent": _percent(quota, figures.calendar),
        "usedQuotaPercent": _percent(figures.used, quota),
    }
    if stored.get("quotaIsClosed"):
        values["quotaIsClosed"] = True
    if stored.get("stopBookingAt") is not None:
        values["stopBookingAt"] = stored["stopBookingAt"]
    return {k: v for k, v in values.items() if v is not None}


def _v2_area(call: Call, date: str, day: AreaDay, wanted: list[str] | None) -> dict[str, Any]:
    entry: dict[str, Any] = area_head(call, day)
    entry.update(_quota_values(day.total, _stored_quota(call, date, day.label)))
    entry["otherActivities"] = 0
    with_categories = call.bool_arg("categoryLevel") or wanted is not None
    if with_categories and day.categories:
        cats = []
        for cat, figures in day.categories.items():
            if wanted is not None and cat not in wanted:
                continue
            values = _quota_values(figures, _stored_quota(call, date, day.label, cat))
            values["quotaPercentDay"] = _percent(values["quota"], day.total.calendar)
            cats.append({"label": cat, **values})
        entry["categories"] = cats
    if call.bool_arg("timeSlotLevel") and day.slots:
        entry["timeSlots"] = [
            {"label": slot, **_quota_values(figures, {}), "otherActivities": 0}
            for slot, figures in day.slots.items()
        ]
    if call.bool_arg("intervalLevel"):
        intervals = area_links(call, day.label).get("timeIntervals") or []
        entry["intervals"] = [
            {"timeFrom": i.get("timeFrom"), "timeTo": i.get("timeTo"), "quotaIsClosed": False}
            for i in intervals
        ]
    return entry


@route("GET", f"{V2}/quota")
def get_quota_v2(call: Call) -> Response:
    dates = requested_dates(call)
    areas = requested_areas(call)
    wanted = call.list_arg("categories")
    items = [
        {
            "date": date,
            "areas": [_v2_area(call, date, d, wanted) for d in area_days(call, date, areas)],
        }
        for date in dates
    ]
    return Response.json({"items": items})


def _v1_area(call: Call, date: str, day: AreaDay, wanted: list[str] | None) -> dict[str, Any]:
    values = _quota_values(day.total, _stored_quota(call, date, day.label))
    entry: dict[str, Any] = {
        **area_head(call, day),
        **values,
        "otherActivities": 0,
        "count": day.total.booked,
    }
    entry.pop("bookedActivities", None)
    cats = []
    for cat, figures in day.categories.items():
        if wanted is not None and cat not in wanted:
            continue
        cat_values = _quota_values(figures, _stored_quota(call, date, day.label, cat))
        cat_values["count"] = cat_values.pop("bookedActivities")
        cat_values["quotaPercentCategory"] = cat_values.pop("quotaPercent", None)
        cat_values["quotaPercentDay"] = _percent(cat_values["quota"], day.total.calendar)
        cats.append({"label": cat, **{k: v for k, v in cat_values.items() if v is not None}})
    if cats:
        entry["categories"] = cats
    return entry


@route("GET", f"{V1}/quota")
def get_quota_v1(call: Call) -> Response:
    dates = requested_dates(call)
    areas = requested_areas(call)
    wanted = call.list_arg("categories")
    items = [
        {
            "date": date,
            "areas": [_v1_area(call, date, d, wanted) for d in area_days(call, date, areas)],
        }
        for date in dates
    ]
    return Response.json({"items": items})


_QUOTA_FIELDS = ("quota", "minQuota", "quotaPercent", "quotaIsClosed", "stopBookingAt")


def _apply_quota(
    call: Call, date: str, area: str, category: str, values: dict[str, Any]
) -> tuple[int, int]:
    """Store the quota fields of ``values``; (changed, unchanged) field counts."""
    key = _quota_key(date, area, category)
    stored = dict(call.store.get(QUOTA, key) or {})
    changed = unchanged = 0
    for name in _QUOTA_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "quotaIsClosed" and not isinstance(value, bool):
            raise bad_request(f"'{name}' must be true or false.")
        if name != "quotaIsClosed" and (
            not isinstance(value, int | float) or isinstance(value, bool) or value < 0
        ):
            raise bad_request(f"'{name}' must be a non-negative number.")
        if stored.get(name) == value:
            unchanged += 1
        else:
            stored[name] = value
            changed += 1
    if changed:
        call.store.put(QUOTA, key, stored)
    return changed, unchanged


def _patch_quota(call: Call) -> tuple[list[dict[str, Any]], int, int]:
    """Apply a quota PATCH; (errors as operation/detail pairs, changed, unchanged)."""
    errors: list[dict[str, Any]] = []
    changed = unchanged = 0
    with call.store.transaction():
        for item in body_items(call):
            if not isinstance(item, dict):
                raise bad_request("Each item must be an object.")
            date = item.get("date")
            parse_date(date if isinstance(date, str) else "", "date")
            assert isinstance(date, str)
            for area in item.get("areas") or []:
                label = area.get("label") if isinstance(area, dict) else None
                if not isinstance(label, str) or call.store.get("capacityAreas", label) is None:
                    errors.append(
                        {
                            "operation": {"area": label, "date": date},
                            "errorDetail": {
                                "code": "unknownArea",
                                "message": f"The capacity area '{label}' is not found.",
                            },
                        }
                    )
                    continue
                c, u = _apply_quota(call, date, label, "", area)
                changed, unchanged = changed + c, unchanged + u
                known = set(area_links(call, label).get("capacityCategories") or [])
                for cat in area.get("categories") or []:
                    cat_label = cat.get("label") if isinstance(cat, dict) else None
                    if cat_label not in known:
                        errors.append(
                            {
                                "operation": {"area": label, "category": cat_label, "date": date},
                                "errorDetail": {
                                    "code": "unknownCategory",
                                    "message": f"'{cat_label}' is not a category of '{label}'.",
                                },
                            }
                        )
                        continue
                    assert isinstance(cat_label, str)
                    c, u = _apply_quota(call, date, label, cat_label, cat)
                    changed, unchanged = changed + c, unchanged + u
    return errors, changed, unchanged


@route("PATCH", f"{V2}/quota")
def patch_quota_v2(call: Call) -> Response:
    errors, _, _ = _patch_quota(call)
    messages = [str(e["errorDetail"]["message"]) for e in errors]
    return Response.json({"errors": messages, "errorsCount": len(messages)})


@route("PATCH", f"{V1}/quota")
def patch_quota_v1(call: Call) -> Response:
    return field_results(*_patch_quota(call))
