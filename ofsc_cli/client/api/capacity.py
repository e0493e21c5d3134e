"""Capacity API operations (``/rest/ofscCapacity``): capacity, quota and booking.

Lists (``areas``, ``dates``, ``categories``) may be given as Python sequences; they are sent
as the API's comma-separated values, booleans as ``true``/``false``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ofsc_cli.client._endpoint import Args, Namespace, X, endpoint
from ofsc_cli.models.capacity import (
    ActivityBookingOptions,
    BookingClosingScheduleList,
    BookingFieldsDependencies,
    BookingGrid,
    BookingStatusList,
    CapacityList,
    PatchResult,
    QuotaList,
    QuotaPatchResult,
    QuotaV1List,
)

__all__ = ["BOOKING_OPTION_QUERY", "Capacity"]

V1 = "/rest/ofscCapacity/v1"
V2 = "/rest/ofscCapacity/v2"

Names = Sequence[str] | str | None

# The query names of GET activityBookingOptions in the catalog's order, for the CLI's check
# of ``--param NAME=VALUE`` (the declaration itself takes them from the catalog; the test
# suite keeps this copy equal to it).
BOOKING_OPTION_QUERY = (
    "dates",
    "activityType",
    "apptNumber",
    "recordType",
    "customerName",
    "customerNumber",
    "customerPhone",
    "customerEmail",
    "customerCell",
    "streetAddress",
    "city",
    "postalCode",
    "stateProvince",
    "longitude",
    "latitude",
    "slaWindowStart",
    "slaWindowEnd",
    "points",
    "timeOfBooking",
    "reminderTime",
    "language",
    "languageISO",
    "timeZone",
    "determineAreaByWorkZone",
    "areas",
    "determineCategory",
    "categories",
    "estimateDuration",
    "defaultDuration",
    "estimateTravelTime",
    "minTimeBeforeArrival",
    "includePartiallyDefinedCategories",
    "lateStartMitigation",
    "useForecastDuringBooking",
    "optimizationGoal",
    "minForecastRangeDay",
    "maxForecastRangeDay",
)
"""Query parameters of ``GET activityBookingOptions`` (API names)."""


class Capacity(Namespace[X]):
    """The Capacity API (``client.capacity``): capacity, quota, booking options and statuses."""

    namespace = "capacity"

    @endpoint(
        "GET",
        f"{V1}/capacity",
        response=CapacityList,
    )
    def get_capacity(
        self,
        dates: Names,
        *,
        areas: Names = None,
        categories: Names = None,
        aggregate_results: bool | None = None,
        calendar_time_intervals: Names = None,
        available_time_intervals: str | None = None,
        fields: Names = None,
    ) -> Args:
        """Available capacity per date, area and category."""
        return Args(
            query={
                "dates": dates,
                "areas": areas,
                "categories": categories,
                "aggregateResults": aggregate_results,
                "calendarTimeIntervals": calendar_time_intervals,
                "availableTimeIntervals": available_time_intervals,
                "fields": fields,
            }
        )

    @endpoint(
        "GET",
        f"{V2}/quota",
        response=QuotaList,
    )
    def get_quota(
        self,
        dates: Names,
        *,
        areas: Names = None,
        categories: Names = None,
        aggregate_results: bool | None = None,
        category_level: bool | None = None,
        interval_level: bool | None = None,
        time_slot_level: bool | None = None,
        return_statuses: bool | None = None,
    ) -> Args:
        """Quota per date and area (v2: day, time-slot, category and interval levels)."""
        return Args(
            query={
                "dates": dates,
                "areas": areas,
                "categories": categories,
                "aggregateResults": aggregate_results,
                "categoryLevel": category_level,
                "intervalLevel": interval_level,
                "timeSlotLevel": time_slot_level,
                "returnStatuses": return_statuses,
            }
        )

    @endpoint("PATCH", f"{V2}/quota", response=QuotaPatchResult)
    def update_quota(self, body: Any) -> Args:
        """Change quota values (v2); only the fields given are changed."""
        return Args(json=body)

    @endpoint(
        "GET",
        f"{V1}/quota",
        response=QuotaV1List,
    )
    def get_quota_v1(
        self,
        dates: Names,
        *,
        areas: Names = None,
        categories: Names = None,
        aggregate_results: bool | None = None,
        fields: Names = None,
    ) -> Args:
        """Quota per date and area with the v1 service (interval-based quota only)."""
        return Args(
            query={
                "dates": dates,
                "areas": areas,
                "categories": categories,
                "aggregateResults": aggregate_results,
                "fields": fields,
            }
        )

    @endpoint("PATCH", f"{V1}/quota", response=PatchResult)
    def update_quota_v1(self, body: Any) -> Args:
        """Change quota values with the v1 service."""
        return Args(json=body)

    @endpoint(
        "GET",
        f"{V1}/activityBookingOptions",
        response=ActivityBookingOptions,
    )
    def get_activity_booking_options(
        self, /, dates: Names, activity_type: str, **params: Any
    ) -> Args:
        """Where and when an activity can be booked.

        Other query parameters are passed by their API names
        (``postalCode="10001"``, ``determineAreaByWorkZone=True``…).
        """
        return Args(query={"dates": dates, "activityType": activity_type, **params})

    @endpoint("GET", f"{V1}/bookingFieldsDependencies", response=BookingFieldsDependencies)
    def get_booking_fields_dependencies(self) -> Args:
        """Which activity fields the booking calculations depend on."""
        return Args()

    @endpoint("POST", f"{V1}/showBookingGrid", response=BookingGrid)
    def show_booking_grid(self, body: Any) -> Args:
        """The booking grid (areas, dates, time slots) for an activity."""
        return Args(json=body)

    @endpoint("GET", f"{V1}/bookingClosingSchedule", response=BookingClosingScheduleList)
    def get_booking_closing_schedule(self, areas: Names) -> Args:
        """When booking closes automatically, per area (and category or work zone)."""
        return Args(query={"areas": areas})

    @endpoint("PATCH", f"{V1}/bookingClosingSchedule", response=PatchResult)
    def update_booking_closing_schedule(self, body: Any) -> Args:
        """Change the booking closing schedule."""
        return Args(json=body)

    @endpoint("GET", f"{V1}/bookingStatuses", response=BookingStatusList)
    def get_booking_statuses(self, dates: Names, *, areas: Names = None) -> Args:
        """Whether booking is open or closed, per date and area."""
        return Args(query={"dates": dates, "areas": areas})

    @endpoint("PATCH", f"{V1}/bookingStatuses", response=PatchResult)
    def update_booking_statuses(self, body: Any) -> Args:
        """Open or close booking."""
        return Args(json=body)
