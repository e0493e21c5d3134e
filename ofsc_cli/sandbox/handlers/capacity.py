"""Capacity API: available capacity, quota (v1 and v2) and booking, computed from the seed.

The figures are derived deterministically from the seeded capacity areas, their categories,
work zones and time slots, and the activities of each day:

* calendar (``maxAvailable``): a number of working technicians per leaf area and day (from a
  stable hash; fewer at weekends) times 480 minutes, split over the area's categories;
* used: duration + travel of the day's non-cancelled activities in the area's work zones,
  each activity counted in one of the area's categories (by its id);
* quota: 80 % of the calendar unless set with ``PATCH quota``; available = calendar - used.

Group areas (``NORTH`` …) add up their children.  Quota, booking statuses and closing schedule
changes are stored in the collections ``capacityQuota``, ``bookingStatuses`` and
``bookingClosingSchedule``.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import bad_request, not_found, parse_date
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.seed import today_of

__all__ = ["Figures", "day_figures"]

V1 = "/rest/ofscCapacity/v1"
V2 = "/rest/ofscCapacity/v2"
MAX_DATES = 31
MINUTES_PER_TECH = 480
QUOTA_SHARE = 0.8
QUOTA = "capacityQuota"
STATUSES = "bookingStatuses"
CLOSING = "bookingClosingSchedule"


def _stable(*parts: object) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode())


# --------------------------------------------------------------------------- the model


@dataclass
class Figures:
    """Minutes and activity counts of one area (or one category of it) on one day."""

    calendar: int = 0
    used: int = 0
    booked: int = 0

    @property
    def available(self) -> int:
        return max(self.calendar - self.used, 0)

    def add(self, other: Figures) -> None:
        self.calendar += other.calendar
        self.used += other.used
        self.booked += other.booked


@dataclass
class AreaDay:
    """One area on one day: totals, per category and per time slot."""

    label: str
    name: str
    total: Figures = field(default_factory=Figures)
    categories: dict[str, Figures] = field(default_factory=dict)
    slots: dict[str, Figures] = field(default_factory=dict)

    def add(self, other: AreaDay) -> None:
        self.total.add(other.total)
        for name, figures in other.categories.items():
            self.categories.setdefault(name, Figures()).add(figures)
        for name, figures in other.slots.items():
            self.slots.setdefault(name, Figures()).add(figures)


def _area_doc(call: Call, label: str) -> dict[str, Any]:
    doc = call.store.get("capacityAreas", label)
    if doc is None:
        raise not_found("capacity area", label)
    return dict(doc)


def _links(call: Call, label: str) -> dict[str, Any]:
    return dict(call.store.get("capacityAreaLinks", label) or {})


def _leaves(call: Call, label: str, depth: int = 0) -> list[str]:
    children = _links(call, label).get("children") or []
    if not children or depth > 5:
        return [label]
    return [leaf for child in children for leaf in _leaves(call, child, depth + 1)]


def _requested_areas(call: Call) -> list[str]:
    """The ``areas`` asked for (each must exist), else every leaf area."""
    labels = call.list_arg("areas")
    if labels is None:
        return [
            doc["label"] for doc in call.store.items("capacityAreas") if doc.get("type") == "area"
        ]
    if not labels:
        raise bad_request("'areas' must name at least one capacity area.")
    for label in labels:
        _area_doc(call, label)
    return labels


def _requested_dates(call: Call, name: str = "dates") -> list[str]:
    dates = call.list_arg(name) or []
    if not dates:
        raise bad_request(f"'{name}' must list at least one date.")
    if len(dates) > MAX_DATES:
        raise bad_request(f"At most {MAX_DATES} dates can be requested at once.")
    for value in dates:
        parse_date(value, name)
    return dates


def _technicians(leaf: str, date: str) -> int:
    weekday = dt.date.fromisoformat(date).weekday()
    base = 4 + _stable("techs", leaf, date) % 5
    return 2 if weekday >= 5 else base


def _activities_by_zone(call: Call, date: str) -> dict[str, list[dict[str, Any]]]:
    cache: dict[str, dict[str, list[dict[str, Any]]]] = call.extra.setdefault("capacity", {})
    if date not in cache:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for text in call.store.query_activities(None, date_from=date, date_to=date):
            doc = json.loads(text)
            if doc.get("status") != "cancelled" and doc.get("workZone"):
                grouped.setdefault(doc["workZone"], []).append(doc)
        cache[date] = grouped
    return cache[date]


def _leaf_day(call: Call, leaf: str, date: str) -> AreaDay:
    doc = _area_doc(call, leaf)
    links = _links(call, leaf)
    categories = list(links.get("capacityCategories") or [])
    slots = list(links.get("timeSlots") or [])
    day = AreaDay(leaf, str(doc.get("name") or leaf))
    calendar = _technicians(leaf, date) * MINUTES_PER_TECH
    day.total.calendar = calendar
    weights = {cat: 1 + _stable("share", leaf, cat) % 3 for cat in categories}
    for cat in categories:
        day.categories[cat] = Figures(calendar=calendar * weights[cat] // sum(weights.values()))
    for slot in slots:
        day.slots[slot] = Figures(calendar=calendar // len(slots))
    zones = _activities_by_zone(call, date)
    for zone in links.get("workZones") or []:
        for activity in zones.get(zone, ()):
            minutes = int(activity.get("duration") or 0) + int(activity.get("travelTime") or 0)
            day.total.used += minutes
            day.total.booked += 1
            if categories:
                cat = categories[int(activity["activityId"]) % len(categories)]
                day.categories[cat].used += minutes
                day.categories[cat].booked += 1
            slot_figures = day.slots.get(str(activity.get("timeSlot")))
            if slot_figures is not None:
                slot_figures.used += minutes
                slot_figures.booked += 1
    return day


def day_figures(call: Call, label: str, date: str) -> AreaDay:
    """The figures of one area (a leaf, or a group adding up its leaves) on one date."""
    doc = _area_doc(call, label)
    leaves = _leaves(call, label)
    if leaves == [label]:
        return _leaf_day(call, label, date)
    total = AreaDay(label, str(doc.get("name") or label))
    for leaf in leaves:
        total.add(_leaf_day(call, leaf, date))
    return total


def _aggregate(days: Iterable[AreaDay]) -> AreaDay:
    days = list(days)
    total = AreaDay(",".join(d.label for d in days), "Aggregated")
    for day in days:
        total.add(day)
    return total


def _area_days(call: Call, date: str, areas: list[str]) -> list[AreaDay]:
    days = [day_figures(call, label, date) for label in areas]
    if call.bool_arg("aggregateResults"):
        return [_aggregate(days)]
    return days


def _area_head(call: Call, day: AreaDay) -> dict[str, Any]:
    """``label`` and ``name`` of an area entry; none on the single aggregated entry, which
    carries only the figures on live tenants (NOTES §9)."""
    return {} if call.bool_arg("aggregateResults") else {"label": day.label, "name": day.name}


# --------------------------------------------------------------------------- capacity


def _metrics(figures: Figures, *, available: bool) -> dict[str, list[int]]:
    minutes = figures.available if available else figures.calendar
    return {"count": [minutes // 60], "minutes": [minutes]}


@route("GET", f"{V1}/capacity")
def get_capacity(call: Call) -> Response:
    dates = _requested_dates(call)
    areas = _requested_areas(call)
    wanted = call.list_arg("categories")
    items = []
    for date in dates:
        entries = []
        for day in _area_days(call, date, areas):
            cats = [
                {
                    "label": cat,
                    "calendar": _metrics(figures, available=False),
                    "available": _metrics(figures, available=True),
                }
                for cat, figures in day.categories.items()
                if wanted is None or cat in wanted
            ]
            entry: dict[str, Any] = {
                **_area_head(call, day),
                "calendar": _metrics(day.total, available=False),
                "available": _metrics(day.total, available=True),
            }
            if cats:
                entry["categories"] = cats
            entries.append(entry)
        items.append({"date": date, "areas": entries})
    return Response.json({"items": items})


# --------------------------------------------------------------------------- quota


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
    entry: dict[str, Any] = _area_head(call, day)
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
        intervals = _links(call, day.label).get("timeIntervals") or []
        entry["intervals"] = [
            {"timeFrom": i.get("timeFrom"), "timeTo": i.get("timeTo"), "quotaIsClosed": False}
            for i in intervals
        ]
    return entry


@route("GET", f"{V2}/quota")
def get_quota_v2(call: Call) -> Response:
    dates = _requested_dates(call)
    areas = _requested_areas(call)
    wanted = call.list_arg("categories")
    items = [
        {
            "date": date,
            "areas": [_v2_area(call, date, d, wanted) for d in _area_days(call, date, areas)],
        }
        for date in dates
    ]
    return Response.json({"items": items})


def _v1_area(call: Call, date: str, day: AreaDay, wanted: list[str] | None) -> dict[str, Any]:
    values = _quota_values(day.total, _stored_quota(call, date, day.label))
    entry: dict[str, Any] = {
        **_area_head(call, day),
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
    dates = _requested_dates(call)
    areas = _requested_areas(call)
    wanted = call.list_arg("categories")
    items = [
        {
            "date": date,
            "areas": [_v1_area(call, date, d, wanted) for d in _area_days(call, date, areas)],
        }
        for date in dates
    ]
    return Response.json({"items": items})


_QUOTA_FIELDS = ("quota", "minQuota", "quotaPercent", "quotaIsClosed", "stopBookingAt")


def _items_of(call: Call) -> list[Any]:
    body = call.json_object()
    items = body.get("items")
    if not isinstance(items, list):
        raise bad_request("The body needs an 'items' array.")
    return items


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
        for item in _items_of(call):
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
                known = set(_links(call, label).get("capacityCategories") or [])
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


def _results(errors: list[dict[str, Any]], changed: int, unchanged: int) -> Response:
    results: dict[str, Any] = {"updatedFieldCount": changed, "notChangedFieldCount": unchanged}
    if errors:
        results["errors"] = errors
    return Response.json({"results": results})


@route("PATCH", f"{V2}/quota")
def patch_quota_v2(call: Call) -> Response:
    errors, _, _ = _patch_quota(call)
    messages = [str(e["errorDetail"]["message"]) for e in errors]
    return Response.json({"errors": messages, "errorsCount": len(messages)})


@route("PATCH", f"{V1}/quota")
def patch_quota_v1(call: Call) -> Response:
    return _results(*_patch_quota(call))


# --------------------------------------------------------------------------- booking statuses


def _status_key(date: str, area: str, entry: dict[str, Any]) -> str:
    parts = (entry.get(k) or "" for k in ("category", "workZone", "timeFrom", "timeTo"))
    return "|".join((date, area, *parts))


@route("GET", f"{V1}/bookingStatuses")
def get_booking_statuses(call: Call) -> Response:
    dates = _requested_dates(call)
    areas = _requested_areas(call)
    items = []
    for date in dates:
        for area in areas:
            links = _links(call, area)
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
        for item in _items_of(call):
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
    return _results(errors, changed, unchanged)


# --------------------------------------------------------------------------- closing schedule


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
    areas = _requested_areas(call)
    return Response.json({"items": [e for a in areas for e in _closing_entries(call, a)]})


@route("PATCH", f"{V1}/bookingClosingSchedule")
def patch_booking_closing_schedule(call: Call) -> Response:
    errors: list[dict[str, Any]] = []
    changed = unchanged = 0
    with call.store.transaction():
        for entry in _items_of(call):
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
    return _results(errors, changed, unchanged)


# --------------------------------------------------------------------------- booking


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
    dates = _requested_dates(call)
    activity_type = _activity_type(call, call.arg("activityType"))
    duration = _duration(call, activity_type)
    areas = _requested_areas(call)
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
                "areaTimeSlots": list(_links(call, doc["label"]).get("timeSlots") or []),
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
