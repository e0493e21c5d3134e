"""Capacity API: available capacity, and the capacity model quota and booking share.

The figures are derived deterministically from the seeded capacity areas, their categories,
work zones and time slots, and the activities of each day:

* calendar (``maxAvailable``): a number of working technicians per leaf area and day (from a
  stable hash; fewer at weekends) times 480 minutes, split over the area's categories;
* used: duration + travel of the day's non-cancelled activities in the area's work zones,
  each activity counted in one of the area's categories (by its id);
* quota: 80 % of the calendar unless set with ``PATCH quota`` (:mod:`.quota`); available =
  calendar - used.

Group areas (``NORTH`` …) add up their children; ``aggregateResults=true`` adds up the areas
asked for into one entry without label and name, as live.  At most 31 dates per request.
Booking statuses, closing schedule and booking options are in :mod:`.booking`.
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

__all__ = [
    "MAX_DATES",
    "QUOTA_SHARE",
    "V1",
    "V2",
    "AreaDay",
    "Figures",
    "area_days",
    "area_head",
    "area_links",
    "body_items",
    "day_figures",
    "field_results",
    "requested_areas",
    "requested_dates",
]

V1 = "/rest/ofscCapacity/v1"
V2 = "/rest/ofscCapacity/v2"
MAX_DATES = 31
MINUTES_PER_TECH = 480
QUOTA_SHARE = 0.8


def _stable(*parts: object) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode())


# ------------------------------------------------------------------------------- the model


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


def area_links(call: Call, label: str) -> dict[str, Any]:
    """The stored links of an area (children, categories, zones, slots, intervals)."""
    return dict(call.store.get("capacityAreaLinks", label) or {})


def _leaves(call: Call, label: str, depth: int = 0) -> list[str]:
    children = area_links(call, label).get("children") or []
    if not children or depth > 5:
        return [label]
    return [leaf for child in children for leaf in _leaves(call, child, depth + 1)]


def requested_areas(call: Call) -> list[str]:
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


def requested_dates(call: Call, name: str = "dates") -> list[str]:
    """The dates of the CSV parameter ``name``: one to 31, each ``YYYY-MM-DD``."""
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
    links = area_links(call, leaf)
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


def area_days(call: Call, date: str, areas: list[str]) -> list[AreaDay]:
    """The figures of ``areas`` on ``date``; one entry when ``aggregateResults=true``."""
    days = [day_figures(call, label, date) for label in areas]
    if call.bool_arg("aggregateResults"):
        return [_aggregate(days)]
    return days


def area_head(call: Call, day: AreaDay) -> dict[str, Any]:
    """``label`` and ``name`` of an area entry; none on the single aggregated entry, which
    carries only the figures on live tenants (NOTES §9)."""
    return {} if call.bool_arg("aggregateResults") else {"label": day.label, "name": day.name}


def body_items(call: Call) -> list[Any]:
    """The ``items`` array of a PATCH body; 400 without one."""
    body = call.json_object()
    items = body.get("items")
    if not isinstance(items, list):
        raise bad_request("The body needs an 'items' array.")
    return items


def field_results(errors: list[dict[str, Any]], changed: int, unchanged: int) -> Response:
    """A PATCH answer: changed and unchanged field counts, and the errors if any."""
    results: dict[str, Any] = {"updatedFieldCount": changed, "notChangedFieldCount": unchanged}
    if errors:
        results["errors"] = errors
    return Response.json({"results": results})


# -------------------------------------------------------------------------------- capacity


def _metrics(figures: Figures, *, available: bool) -> dict[str, list[int]]:
    minutes = figures.available if available else figures.calendar
    return {"count": [minutes // 60], "minutes": [minutes]}


@route("GET", f"{V1}/capacity")
def get_capacity(call: Call) -> Response:
    dates = requested_dates(call)
    areas = requested_areas(call)
    wanted = call.list_arg("categories")
    items = []
    for date in dates:
        entries = []
        for day in area_days(call, date, areas):
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
                **area_head(call, day),
                "calendar": _metrics(day.total, available=False),
                "available": _metrics(day.total, available=True),
            }
            if cats:
                entry["categories"] = cats
            entries.append(entry)
        items.append({"date": date, "areas": entries})
    return Response.json({"items": items})
