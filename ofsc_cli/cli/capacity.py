"""``ofsc capacity``: available capacity, quota and booking.

``capacity available`` and ``capacity quota get`` show one row per date, area and category
(the area's own totals in the row whose ``category`` is empty): a table on a terminal, flat
rows with ``-o json|ndjson|csv`` for scripts, or the API's nested answer with ``--nested``.
Minutes are the unit of ``calendar``, ``available``, ``used`` and ``quota``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ofsc_cli.cli._resource import DRY_RUN, DryRunOpt, FileOpt, execute, render_result
from ofsc_cli.cli.api_cmd import read_checked_body
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.context import app as get_app
from ofsc_cli.cli.errors import UsageError
from ofsc_cli.client.api.capacity import BOOKING_OPTION_QUERY, Capacity

if TYPE_CHECKING:
    from ofsc_cli.models.capacity import CapacityList, QuotaList, QuotaV1List

__all__ = [
    "COMMANDS",
    "app",
    "booking_option_rows",
    "capacity_rows",
    "csv_option",
    "date_list",
    "quota_rows",
    "quota_v1_rows",
]

V1 = "/rest/ofscCapacity/v1"
V2 = "/rest/ofscCapacity/v2"

COMMANDS: dict[str, str] = {
    f"GET {V1}/capacity": "ofsc capacity available",
    f"GET {V2}/quota": "ofsc capacity quota get",
    f"PATCH {V2}/quota": "ofsc capacity quota update",
    f"GET {V1}/quota": "ofsc capacity quota get --v1",
    f"PATCH {V1}/quota": "ofsc capacity quota update --v1",
    f"GET {V1}/activityBookingOptions": "ofsc capacity booking-options",
    f"GET {V1}/bookingStatuses": "ofsc capacity booking-statuses get",
    f"PATCH {V1}/bookingStatuses": "ofsc capacity booking-statuses update",
    f"GET {V1}/bookingClosingSchedule": "ofsc capacity booking-closing-schedule get",
    f"PATCH {V1}/bookingClosingSchedule": "ofsc capacity booking-closing-schedule update",
    f"POST {V1}/showBookingGrid": "ofsc capacity booking-grid",
    f"GET {V1}/bookingFieldsDependencies": "ofsc capacity booking-fields-dependencies",
}
"""Operation key -> the command that runs it (read by ``ofsc api catalog --coverage``)."""

CAPACITY_COLUMNS = ("date", "area", "category", "calendar", "available", "used")
QUOTA_COLUMNS = ("date", "area", "category", "quota", "used", "available", "maxAvailable")

app = typer.Typer(
    help="Available capacity, quotas and booking.", no_args_is_help=True, add_completion=False
)
quota_app = typer.Typer(help="Quota (v2; --v1 for the v1 service).", no_args_is_help=True)
statuses_app = typer.Typer(help="Whether booking is open or closed.", no_args_is_help=True)
closing_app = typer.Typer(help="When booking closes automatically.", no_args_is_help=True)
app.add_typer(quota_app, name="quota")
app.add_typer(statuses_app, name="booking-statuses")
app.add_typer(closing_app, name="booking-closing-schedule")


# ----------------------------------------------------------------------------- input checks


def csv_option(value: str | None, option: str) -> list[str] | None:
    """A comma-separated option as a list (``None`` when not given); an empty list is an error."""
    if value is None:
        return None
    items = [part.strip() for part in value.split(",") if part.strip()]
    if not items:
        raise UsageError(
            f"{option}: the list is empty; give one or more values separated by commas"
        )
    return items


def date_list(value: str | None, option: str = "--dates") -> list[str]:
    """Dates given as ``YYYY-MM-DD,YYYY-MM-DD`` in the accepted years; anything else is a
    usage error (see :func:`ofsc_cli.client._dates.parse_day`)."""
    from ofsc_cli.client._dates import parse_day

    dates = csv_option(value, option) or []
    for text in dates:
        parse_day(text, option)
    return dates


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
    row = {
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
    return row


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


def _write_rows(obj: AppContext, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    count = obj.renderer(tuple(columns)).write_items(rows)
    if count == 0 and obj.stderr_tty:
        obj.info("no results")


# ----------------------------------------------------------------------------- options

DatesOpt = Annotated[str, typer.Option("--dates", help="Dates, comma-separated (YYYY-MM-DD).")]
AreasOpt = Annotated[
    str | None, typer.Option("--areas", help="Capacity area labels, comma-separated.")
]
CategoriesOpt = Annotated[
    str | None, typer.Option("--categories", help="Capacity category labels, comma-separated.")
]
AggregateOpt = Annotated[
    bool, typer.Option("--aggregate-results", help="Add the areas up into one result.")
]
NestedOpt = Annotated[
    bool, typer.Option("--nested", help="Print the API's nested answer instead of rows.")
]
V1Opt = Annotated[bool, typer.Option("--v1", help="Use the v1 quota service.")]


# ----------------------------------------------------------------------------- commands


@app.command("available")
def available_cmd(
    ctx: typer.Context,
    dates: DatesOpt,
    areas: AreasOpt = None,
    categories: CategoriesOpt = None,
    aggregate_results: AggregateOpt = False,
    calendar_time_intervals: Annotated[
        str | None,
        typer.Option("--calendar-time-intervals", help="Intervals for the calendar, e.g. 08-12."),
    ] = None,
    available_time_intervals: Annotated[
        str | None,
        typer.Option("--available-time-intervals", help="'all' or intervals for availability."),
    ] = None,
    nested: NestedOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Available capacity per date, area and category (minutes).

    Example: ofsc capacity available --areas NORTH,SOUTH --dates 2026-12-01,2026-12-02
    """
    obj = get_app(ctx)
    result = execute(
        obj,
        Capacity.get_capacity,
        date_list(dates),
        areas=csv_option(areas, "--areas"),
        categories=csv_option(categories, "--categories"),
        aggregate_results=aggregate_results or None,
        calendar_time_intervals=csv_option(calendar_time_intervals, "--calendar-time-intervals"),
        available_time_intervals=available_time_intervals,
        dry_run=dry_run,
    )
    if result is DRY_RUN:
        return
    if nested:
        render_result(obj, result)
        return
    _write_rows(obj, list(capacity_rows(result)), CAPACITY_COLUMNS)


@quota_app.command("get")
def quota_get_cmd(
    ctx: typer.Context,
    dates: DatesOpt,
    areas: AreasOpt = None,
    categories: CategoriesOpt = None,
    aggregate_results: AggregateOpt = False,
    category_level: Annotated[
        bool,
        typer.Option("--category-level/--no-category-level", help="Include the categories."),
    ] = True,
    time_slot_level: Annotated[
        bool, typer.Option("--time-slot-level", help="Include the time slots (v2).")
    ] = False,
    interval_level: Annotated[
        bool, typer.Option("--interval-level", help="Include the time intervals (v2).")
    ] = False,
    return_statuses: Annotated[
        bool, typer.Option("--return-statuses", help="Include open/closed statuses (v2).")
    ] = False,
    v1: V1Opt = False,
    nested: NestedOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Quota per date, area and category (minutes).

    Example: ofsc capacity quota get --areas NORTH --dates 2026-12-01 --categories CAT_FIBER
    """
    obj = get_app(ctx)
    common: dict[str, Any] = {
        "areas": csv_option(areas, "--areas"),
        "categories": csv_option(categories, "--categories"),
        "aggregate_results": aggregate_results or None,
        "dry_run": dry_run,
    }
    day_list = date_list(dates)
    if v1:
        if time_slot_level or interval_level or return_statuses:
            raise UsageError(
                "--time-slot-level, --interval-level and --return-statuses need the v2 service"
            )
        result = execute(obj, Capacity.get_quota_v1, day_list, **common)
        rows_of: Any = quota_v1_rows
    else:
        result = execute(
            obj,
            Capacity.get_quota,
            day_list,
            category_level=category_level,
            time_slot_level=time_slot_level or None,
            interval_level=interval_level or None,
            return_statuses=return_statuses or None,
            **common,
        )
        rows_of = quota_rows
    if result is DRY_RUN:
        return
    if nested:
        render_result(obj, result)
        return
    rows = list(rows_of(result))
    columns = list(QUOTA_COLUMNS)
    if any(row.get("timeSlot") for row in rows):
        columns.insert(2, "timeSlot")
    _write_rows(obj, rows, columns)


@quota_app.command("update")
def quota_update_cmd(
    ctx: typer.Context, file: FileOpt, v1: V1Opt = False, dry_run: DryRunOpt = False
) -> None:
    """Change quota from a file ({"items": [{"date", "areas": [...]}]}); only given fields change.

    Example: ofsc capacity quota update --file q.json
    """
    obj = get_app(ctx)
    declared = Capacity.update_quota_v1 if v1 else Capacity.update_quota
    body = read_checked_body(file, declared)
    result = execute(obj, declared, body, dry_run=dry_run)
    render_result(obj, result)
    errors = getattr(result, "errorsCount", None) or len(
        getattr(getattr(result, "results", None), "errors", None) or ()
    )
    if errors:
        obj.warn(f"{errors} change(s) were refused (see the output)")


@app.command("booking-options")
def booking_options_cmd(
    ctx: typer.Context,
    dates: DatesOpt,
    activity_type: Annotated[
        str, typer.Option("--activity-type", help="Activity type label of the activity to book.")
    ],
    areas: AreasOpt = None,
    categories: CategoriesOpt = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            help="Another query parameter as NAME=VALUE (API name, e.g. postalCode=10001).",
        ),
    ] = None,
    nested: NestedOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """When and where an activity can be booked (rows per date, area and time slot).

    Example: ofsc capacity booking-options --dates 2026-12-01 --activity-type INSTALL
    """
    obj = get_app(ctx)
    extra = _booking_params(param or ())
    result = execute(
        obj,
        Capacity.get_activity_booking_options,
        date_list(dates),
        activity_type,
        areas=csv_option(areas, "--areas"),
        categories=csv_option(categories, "--categories"),
        dry_run=dry_run,
        **extra,
    )
    if result is DRY_RUN:
        return
    if nested:
        render_result(obj, result)
        return
    columns = ("date", "area", "timeSlot", "remainingQuota", "originalQuota", "reason")
    _write_rows(obj, list(booking_option_rows(result)), columns)


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


@statuses_app.command("get")
def statuses_get_cmd(
    ctx: typer.Context, dates: DatesOpt, areas: AreasOpt = None, dry_run: DryRunOpt = False
) -> None:
    """Booking statuses per date, area, category and time interval.

    Example: ofsc capacity booking-statuses get --dates 2026-12-01 --areas NORTH_URBAN
    """
    obj = get_app(ctx)
    result = execute(
        obj,
        Capacity.get_booking_statuses,
        date_list(dates),
        areas=csv_option(areas, "--areas"),
        dry_run=dry_run,
    )
    if result is DRY_RUN:
        return
    rows = [
        {
            "date": item.date,
            "area": item.area,
            "category": status.category,
            "workZone": status.workZone,
            "timeFrom": status.timeFrom,
            "timeTo": status.timeTo,
            "state": status.bookingStatus.state if status.bookingStatus else None,
        }
        for item in result.items
        for status in item.statuses or ()
    ]
    _write_rows(obj, rows, ("date", "area", "category", "timeFrom", "timeTo", "state"))


def _patch_command(declared: Any, doc: str) -> Any:
    def command(ctx: typer.Context, file: FileOpt, dry_run: DryRunOpt = False) -> None:
        obj = get_app(ctx)
        body = read_checked_body(file, declared)
        result = execute(obj, declared, body, dry_run=dry_run)
        render_result(obj, result)
        refused = len(getattr(getattr(result, "results", None), "errors", None) or ())
        if refused:
            obj.warn(f"{refused} change(s) were refused (see the output)")

    command.__doc__ = doc
    return command


statuses_app.command("update")(
    _patch_command(
        Capacity.update_booking_statuses,
        'Open or close booking from a file ({"items": [{area, date, statuses}]}).',
    )
)


@closing_app.command("get")
def closing_get_cmd(
    ctx: typer.Context,
    areas: Annotated[str, typer.Option("--areas", help="Capacity area labels, comma-separated.")],
    dry_run: DryRunOpt = False,
) -> None:
    """The booking closing schedule of capacity areas.

    Example: ofsc capacity booking-closing-schedule get --areas NORTH_URBAN
    """
    obj = get_app(ctx)
    result = execute(
        obj,
        Capacity.get_booking_closing_schedule,
        csv_option(areas, "--areas"),
        dry_run=dry_run,
    )
    if result is DRY_RUN:
        return
    columns = ("area", "category", "workZone", "startTime", "endTime", "closeTime", "dayOffset")
    from ofsc_cli.models import dump

    _write_rows(obj, [dump(item) for item in result.items], columns)


closing_app.command("update")(
    _patch_command(
        Capacity.update_booking_closing_schedule,
        'Change the booking closing schedule from a file ({"items": [...]}).',
    )
)


@app.command("booking-grid")
def booking_grid_cmd(ctx: typer.Context, file: FileOpt, dry_run: DryRunOpt = False) -> None:
    """The booking grid for an activity, from a request file (activity, dateFrom, dateTo…).

    Example: ofsc capacity booking-grid --file req.json
    """
    obj = get_app(ctx)
    body = read_checked_body(file, Capacity.show_booking_grid, closed=False)
    render_result(obj, execute(obj, Capacity.show_booking_grid, body, dry_run=dry_run))


@app.command("booking-fields-dependencies")
def booking_fields_dependencies_cmd(ctx: typer.Context, dry_run: DryRunOpt = False) -> None:
    """Which activity fields the booking calculations depend on.

    Example: ofsc capacity booking-fields-dependencies -o json
    """
    obj = get_app(ctx)
    render_result(obj, execute(obj, Capacity.get_booking_fields_dependencies, dry_run=dry_run))
