"""``ofsc capacity``: available capacity, quota and booking.

``capacity available`` and ``capacity quota get`` show one row per date, area and category
(the area's own totals in the row whose ``category`` is empty): a table on a terminal, flat
rows with ``-o json|ndjson|csv`` for scripts, or the API's nested answer with ``--nested``.
Minutes are the unit of ``calendar``, ``available``, ``used`` and ``quota``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ofsc_cli.cli.declare import DRY_RUN, Body, Call, Command, Group, Opt, build
from ofsc_cli.cli.errors import UsageError
from ofsc_cli.client.api.capacity import BOOKING_OPTION_QUERY, Capacity

if TYPE_CHECKING:
    from ofsc_cli.models.capacity import CapacityList, QuotaList, QuotaV1List

__all__ = [
    "GROUP",
    "app",
    "booking_option_rows",
    "capacity_rows",
    "quota_rows",
    "quota_v1_rows",
]

CAPACITY_COLUMNS = ("date", "area", "category", "calendar", "available", "used")
QUOTA_COLUMNS = ("date", "area", "category", "quota", "used", "available", "maxAvailable")
BOOKING_OPTION_COLUMNS = ("date", "area", "timeSlot", "remainingQuota", "originalQuota", "reason")
STATUS_COLUMNS = ("date", "area", "category", "timeFrom", "timeTo", "state")
CLOSING_COLUMNS = ("area", "category", "workZone", "startTime", "endTime", "closeTime", "dayOffset")


# ----------------------------------------------------------------------------- flat rows


def _capacity_row(
    date: str | None,
    area: Any,
    category: str | None,
    calendar: Any,
    available: Any,
) -> dict[str, Any]:
    from ofsc_cli.models.capacity import metric_total

    cal = metric_total(calendar, "minutes")
    avail = metric_total(available, "minutes")
    return {
        "date": date,
        "area": area.label,
        "areaName": area.name,
        "category": category,
        "calendar": cal,
        "available": avail,
        "used": cal - avail if cal is not None and avail is not None else None,
        "calendarCount": metric_total(calendar, "count"),
        "availableCount": metric_total(available, "count"),
    }


def capacity_rows(result: CapacityList) -> Iterator[dict[str, Any]]:
    """One row per date, area (category empty: the area's totals) and category."""
    for day in result.items:
        for area in day.areas:
            yield _capacity_row(day.date, area, None, area.calendar, area.available)
            for cat in area.categories or ():
                yield _capacity_row(day.date, area, cat.label, cat.calendar, cat.available)


def _remaining(quota: int | None, used: int | None) -> int | None:
    return quota - used if quota is not None and used is not None else None


def _quota_row(date: str | None, area: Any, level: Any, **extra: Any) -> dict[str, Any]:
    return {
        "date": date,
        "area": area.label,
        "areaName": area.name,
        **extra,
        "quota": level.quota,
        "used": level.used,
        "available": _remaining(level.quota, level.used),
        "maxAvailable": level.maxAvailable,
        "minQuota": level.minQuota,
        "bookedActivities": getattr(level, "bookedActivities", None),
        "usedQuotaPercent": level.usedQuotaPercent,
        "closed": getattr(level, "quotaIsClosed", None),
    }


def quota_rows(result: QuotaList) -> Iterator[dict[str, Any]]:
    """v2 quota as rows: area totals, categories, time slots (and their categories)."""
    for day in result.items:
        for area in day.areas:
            yield _quota_row(day.date, area, area, timeSlot=None, category=None)
            for cat in area.categories or ():
                yield _quota_row(day.date, area, cat, timeSlot=None, category=cat.label)
            for slot in area.timeSlots or ():
                yield _quota_row(day.date, area, slot, timeSlot=slot.label, category=None)
                for cat in slot.categories or ():
                    yield _quota_row(day.date, area, cat, timeSlot=slot.label, category=cat.label)


def quota_v1_rows(result: QuotaV1List) -> Iterator[dict[str, Any]]:
    """v1 quota as rows: area totals and categories."""
    for day in result.items:
        for area in day.areas:
            yield _quota_row(day.date, area, area, category=None, count=area.count)
            for cat in area.categories or ():
                yield _quota_row(day.date, area, cat, category=cat.label, count=cat.count)


def booking_option_rows(result: Any) -> Iterator[dict[str, Any]]:
    """Booking options as rows: one per date, area and time slot (slot empty: whole day)."""
    for day in result.dates or ():
        for area in day.areas or ():
            base = {"date": day.date, "area": area.get("label")}
            yield {
                **base,
                "timeSlot": None,
                "remainingQuota": area.get("remainingQuota"),
                "originalQuota": area.get("originalQuota"),
                "reason": area.get("reason"),
            }
            for slot in area.get("timeSlots") or ():
                yield {
                    **base,
                    "timeSlot": slot.get("label"),
                    "remainingQuota": slot.get("remainingQuota"),
                    "originalQuota": slot.get("originalQuota"),
                    "reason": slot.get("reason"),
                }


def status_rows(result: Any) -> Iterator[dict[str, Any]]:
    """Booking statuses as rows: one per date, area, category and time interval."""
    for item in result.items:
        for status in item.statuses or ():
            yield {
                "date": item.date,
                "area": item.area,
                "category": status.category,
                "workZone": status.workZone,
                "timeFrom": status.timeFrom,
                "timeTo": status.timeTo,
                "state": status.bookingStatus.state if status.bookingStatus else None,
            }


# ----------------------------------------------------------------------------- options

DATES = Opt(
    "--dates",
    help="Dates, comma-separated or repeated (YYYY-MM-DD).",
    kind="list",
    metavar="YYYY-MM-DD,…",
    required=True,
)
AREAS = Opt("--areas", help="Capacity area labels, comma-separated or repeated.", kind="list")
CATEGORIES = Opt(
    "--categories", help="Capacity category labels, comma-separated or repeated.", kind="list"
)
AGGREGATE = Opt("--aggregate-results", help="Add the areas up into one result.", kind="bool")
NESTED = Opt(
    "--nested", help="Print the API's nested answer instead of rows.", kind="bool", to_op=False
)
V1 = Opt("--v1", help="Use the v1 quota service.", kind="bool", to_op=False)
V2_ONLY = ("time_slot_level", "interval_level", "return_statuses")


# ----------------------------------------------------------------------------- actions


def _check_dates(call: Call) -> None:
    """Each ``--dates`` value a real day in the accepted years (nothing sent otherwise)."""
    from ofsc_cli.client.dates import parse_day

    for text in call.values["dates"]:
        parse_day(text, "--dates")


def _whole(call: Call, result: Any) -> None:
    """The API's answer as one object (``--nested``), nothing on a dry run."""
    from ofsc_cli.models import dump

    if result is not DRY_RUN and result is not None:
        call.obj.renderer().write_object(dump(result))


def _rows(call: Call, rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    """Flat rows (not the operation's items), "no results" on a terminal when none."""
    count = call.obj.renderer(tuple(columns)).write_items(rows)
    if count == 0 and call.obj.stderr_tty:
        call.obj.info("no results")


def _show(
    call: Call,
    result: Any,
    rows_of: Callable[[Any], Iterable[dict[str, Any]]],
) -> None:
    """Rows of ``result`` in the command's columns, or with ``--nested`` the answer as
    received."""
    if result is DRY_RUN:
        return
    if call.values.get("nested"):
        _whole(call, result)
        return
    _rows(call, list(rows_of(result)), call.command.columns)


def _available(call: Call) -> None:
    _check_dates(call)
    _show(call, call.execute(None, **call.kwargs()), capacity_rows)


def _quota_get(call: Call) -> None:
    _check_dates(call)
    kwargs = call.kwargs()
    if call.values["v1"]:
        if any(call.values[name] for name in V2_ONLY):
            raise UsageError(
                "--time-slot-level, --interval-level and --return-statuses need the v2 service"
            )
        result = call.execute(Capacity.get_quota_v1, **kwargs)
        rows_of: Callable[[Any], Iterator[dict[str, Any]]] = quota_v1_rows
    else:
        result = call.execute(None, category_level=call.values["category_level"], **kwargs)
        rows_of = quota_rows
    if result is DRY_RUN:
        return
    if call.values["nested"]:
        _whole(call, result)
        return
    rows = list(rows_of(result))
    columns = list(QUOTA_COLUMNS)
    if any(row.get("timeSlot") for row in rows):
        columns.insert(2, "timeSlot")
    _rows(call, rows, columns)


def _patch(call: Call) -> None:
    """A PATCH from a file; the answer shown, and a warning when changes were refused."""
    op = Capacity.update_quota_v1 if call.values.get("v1") else call.command.op
    result = call.execute(op, call.body(op=op))
    if result is DRY_RUN:
        return
    _whole(call, result)
    refused = getattr(result, "errorsCount", None) or len(
        getattr(getattr(result, "results", None), "errors", None) or ()
    )
    if refused:
        call.obj.warn(f"{refused} change(s) were refused (see the output)")


_OWN_OPTIONS = {
    "dates": "--dates",
    "activityType": "--activity-type",
    "areas": "--areas",
    "categories": "--categories",
}


def _booking_params(values: Sequence[str]) -> dict[str, str]:
    """``--param NAME=VALUE`` pairs, checked against the operation's query parameters."""
    from ofsc_cli.catalog import load_catalog
    from ofsc_cli.cli.api_cmd import check_query

    params: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise UsageError(f"--param {value!r}: expected NAME=VALUE")
        if name in _OWN_OPTIONS:
            raise UsageError(f"--param {name}: use {_OWN_OPTIONS[name]} instead")
        if name not in BOOKING_OPTION_QUERY:
            valid = ", ".join(n for n in BOOKING_OPTION_QUERY if n not in _OWN_OPTIONS)
            raise UsageError(f"--param: unknown parameter '{name}' (valid: {valid})")
        params[name] = text
    op = load_catalog().by_key[Capacity.get_activity_booking_options.spec.key]
    required = {"dates": "2000-01-01", "activityType": "x"}
    problems = check_query(op, {**required, **params})
    if problems:
        raise UsageError("--param: " + "; ".join(problems))
    return params


def _booking_options(call: Call) -> None:
    _check_dates(call)
    extra = _booking_params(call.values["param"] or ())
    kwargs = call.kwargs()
    dates, activity_type = kwargs.pop("dates"), kwargs.pop("activity_type")
    result = call.execute(None, dates, activity_type, **kwargs, **extra)
    _show(call, result, booking_option_rows)


def _statuses_get(call: Call) -> None:
    _check_dates(call)
    result = call.execute(None, **call.kwargs())
    _show(call, result, status_rows)


def _closing_get(call: Call) -> None:
    result = call.execute(None, **call.kwargs())
    if result is not DRY_RUN:
        call.write(result.items)


# ----------------------------------------------------------------------------- declarations

DAY = "2026-12-01"

GROUP = Group(
    "capacity",
    "Available capacity, quotas and booking.",
    (
        Command(
            "available",
            "Available capacity per date, area and category (minutes).",
            (
                f"ofsc capacity available --areas NORTH_URBAN,SOUTH_URBAN --dates {DAY},2026-12-02",
                f"ofsc capacity available --areas NORTH_URBAN --dates {DAY} --nested -o json",
            ),
            op=Capacity.get_capacity,
            params=(
                DATES,
                AREAS,
                CATEGORIES,
                AGGREGATE,
                Opt(
                    "--calendar-time-intervals",
                    help="Intervals for the calendar, e.g. 08-12.",
                    kind="list",
                ),
                Opt("--available-time-intervals", help="'all' or intervals for availability."),
                NESTED,
            ),
            columns=CAPACITY_COLUMNS,
            dry_run=True,
            run=_available,
        ),
        Group(
            "quota",
            "Quota (v2; --v1 for the v1 service).",
            (
                Command(
                    "get",
                    "Quota per date, area and category (minutes).",
                    (
                        f"ofsc capacity quota get --areas NORTH_URBAN --dates {DAY}"
                        " --categories CAT_FIBER",
                        f"ofsc capacity quota get --areas NORTH_URBAN --dates {DAY}"
                        " --time-slot-level -o csv",
                        f"ofsc capacity quota get --v1 --areas NORTH_URBAN --dates {DAY}",
                    ),
                    op=Capacity.get_quota,
                    also=(Capacity.get_quota_v1,),
                    params=(
                        DATES,
                        AREAS,
                        CATEGORIES,
                        AGGREGATE,
                        Opt(
                            "--category-level/--no-category-level",
                            help="Include the categories.",
                            kind="bool",
                            default=True,
                            to_op=False,
                        ),
                        Opt("--time-slot-level", help="Include the time slots (v2).", kind="bool"),
                        Opt(
                            "--interval-level",
                            help="Include the time intervals (v2).",
                            kind="bool",
                        ),
                        Opt(
                            "--return-statuses",
                            help="Include open/closed statuses (v2).",
                            kind="bool",
                        ),
                        V1,
                        NESTED,
                    ),
                    columns=QUOTA_COLUMNS,
                    dry_run=True,
                    run=_quota_get,
                ),
                Command(
                    "update",
                    'Change quota from a file ({"items": [{"date", "areas": [...]}]}).\n\n'
                    "Only the fields given change; refused changes are counted on stderr.",
                    (
                        "ofsc capacity quota update --file quota.json",
                        "ofsc capacity quota update --v1 --file quota.json --dry-run",
                    ),
                    op=Capacity.update_quota,
                    also=(Capacity.update_quota_v1,),
                    params=(V1,),
                    body=Body(schema=True),
                    run=_patch,
                ),
            ),
        ),
        Command(
            "booking-options",
            "When and where an activity can be booked (rows per date, area and time slot).",
            (
                f"ofsc capacity booking-options --dates {DAY} --activity-type INSTALL",
                f"ofsc capacity booking-options --dates {DAY} --activity-type INSTALL"
                " --areas NORTH_URBAN --param postalCode=10100",
            ),
            op=Capacity.get_activity_booking_options,
            params=(
                DATES,
                Opt(
                    "--activity-type",
                    help="Activity type label of the activity to book.",
                    required=True,
                ),
                AREAS,
                CATEGORIES,
                Opt(
                    "--param",
                    help="Another query parameter as NAME=VALUE (API name, e.g. "
                    "postalCode=10001); repeatable.",
                    kind="words",
                    metavar="NAME=VALUE",
                    to_op=False,
                ),
                NESTED,
            ),
            columns=BOOKING_OPTION_COLUMNS,
            dry_run=True,
            run=_booking_options,
        ),
        Group(
            "booking-statuses",
            "Whether booking is open or closed.",
            (
                Command(
                    "get",
                    "Booking statuses per date, area, category and time interval.",
                    f"ofsc capacity booking-statuses get --dates {DAY} --areas NORTH_URBAN",
                    op=Capacity.get_booking_statuses,
                    params=(DATES, AREAS),
                    columns=STATUS_COLUMNS,
                    dry_run=True,
                    run=_statuses_get,
                ),
                Command(
                    "update",
                    'Open or close booking from a file ({"items": [{area, date, statuses}]}).',
                    "ofsc capacity booking-statuses update --file statuses.json",
                    op=Capacity.update_booking_statuses,
                    body=Body(schema=True),
                    run=_patch,
                ),
            ),
        ),
        Group(
            "booking-closing-schedule",
            "When booking closes automatically.",
            (
                Command(
                    "get",
                    "The booking closing schedule of capacity areas.",
                    "ofsc capacity booking-closing-schedule get --areas NORTH_URBAN",
                    op=Capacity.get_booking_closing_schedule,
                    params=(
                        Opt(
                            "--areas",
                            help="Capacity area labels, comma-separated or repeated.",
                            kind="list",
                            required=True,
                        ),
                    ),
                    columns=CLOSING_COLUMNS,
                    dry_run=True,
                    run=_closing_get,
                ),
                Command(
                    "update",
                    'Change the booking closing schedule from a file ({"items": [...]}).',
                    "ofsc capacity booking-closing-schedule update --file schedule.json",
                    op=Capacity.update_booking_closing_schedule,
                    body=Body(schema=True),
                    run=_patch,
                ),
            ),
        ),
        Command(
            "booking-grid",
            "The booking grid for an activity, from a request file (activity, dateFrom, dateTo…).",
            "ofsc capacity booking-grid --file grid-request.json -o json",
            op=Capacity.show_booking_grid,
            body=Body(schema=True, closed=False),
        ),
        Command(
            "booking-fields-dependencies",
            "Which activity fields the booking calculations depend on.",
            "ofsc capacity booking-fields-dependencies -o json",
            op=Capacity.get_booking_fields_dependencies,
            dry_run=True,
        ),
    ),
)

app = build(GROUP)
