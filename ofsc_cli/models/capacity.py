"""Capacity API models (``/rest/ofscCapacity``): available capacity, quota, booking.

Field names are the API's.  Responses keep every field they do not declare; request bodies
(``QuotaPatch``, ``BookingStatusPatch``…) declare what the API accepts and are sent as written.

Shapes tenants send besides the spec's are accepted: a single metrics object where the spec has
a list of them, counts as strings (the spec types category counts so), and a quota answer
asked with ``aggregateResults=true`` whose one area item has only the figures, no
``label``/``name``.
"""

from __future__ import annotations

from typing import Literal

from ofsc_cli.models._base import Number, OFSModel, OpenEnum

__all__ = [
    "ActivityBookingOptions",
    "BookingClosingSchedule",
    "BookingClosingScheduleList",
    "BookingFieldsDependencies",
    "BookingGrid",
    "BookingGridActivity",
    "BookingGridArea",
    "BookingGridDate",
    "BookingGridRequest",
    "BookingOptionsDate",
    "BookingStatus",
    "BookingStatusEntry",
    "BookingStatusList",
    "BookingStatusPatch",
    "BookingStatusPatchItem",
    "BookingStatusState",
    "BookingStatusValue",
    "CapacityArea",
    "CapacityCategory",
    "CapacityDay",
    "CapacityList",
    "CapacityMetrics",
    "PatchError",
    "PatchErrorDetail",
    "PatchResult",
    "PatchResultSummary",
    "QuotaArea",
    "QuotaCategory",
    "QuotaDay",
    "QuotaInterval",
    "QuotaList",
    "QuotaPatch",
    "QuotaPatchArea",
    "QuotaPatchCategory",
    "QuotaPatchDay",
    "QuotaPatchInterval",
    "QuotaPatchResult",
    "QuotaPatchTimeSlot",
    "QuotaPatchWorkZone",
    "QuotaTimeSlot",
    "QuotaV1Area",
    "QuotaV1Category",
    "QuotaV1Day",
    "QuotaV1Interval",
    "QuotaV1List",
    "QuotaV1Patch",
    "QuotaWorkZone",
    "metric_total",
]


# --------------------------------------------------------------------- available capacity


class CapacityMetrics(OFSModel):
    """Counts and minutes, one value per requested time interval (one for the whole day)."""

    count: list[int | str] | None = None
    minutes: list[int | str] | None = None


Metrics = CapacityMetrics | list[CapacityMetrics] | None
"""The spec documents a list of metrics objects; tenants answer with a single object."""


def metric_total(metrics: Metrics, name: str) -> int | None:
    """Returns the sum of the ``name`` values (``count`` or ``minutes``) of ``metrics`` over
    every interval, or ``None`` when there are none.

    Values sent as strings (``"30"``, as the spec types category metrics) count as numbers;
    a string that is not a whole number is left out.
    """
    if metrics is None:
        return None
    blocks = metrics if isinstance(metrics, list) else [metrics]
    values = [_whole(v) for block in blocks for v in (getattr(block, name) or [])]
    numbers = [v for v in values if v is not None]
    return sum(numbers) if numbers else None


def _whole(value: int | str) -> int | None:
    if isinstance(value, int):
        return value
    text = value.strip()
    return int(text) if text.lstrip("-").isdigit() else None


class CapacityCategory(OFSModel):
    """The capacity of one category in an area on a date (``calendar``, ``available``)."""

    label: str | None = None
    calendar: Metrics = None
    available: Metrics = None


class CapacityArea(OFSModel):
    """The capacity of one area on a date, in total and per category."""

    label: str | None = None
    name: str | None = None
    calendar: Metrics = None
    available: Metrics = None
    categories: list[CapacityCategory] | None = None


class CapacityDay(OFSModel):
    """The capacity of every requested area on one date."""

    date: str | None = None
    areas: list[CapacityArea] = []


class CapacityList(OFSModel):
    """``GET capacity``: one entry per date."""

    items: list[CapacityDay] = []


# --------------------------------------------------------------------- quota (v2)


class QuotaWorkZone(OFSModel):
    """A work zone of a quota entry and whether booking in it is closed."""

    label: str | None = None
    quotaIsClosed: bool | None = None
    quotaIsAutoClosed: bool | None = None
    quotaIsReopened: bool | None = None
    closeTime: str | bool | None = None
    """A date-time string (the spec types it boolean but gives a date-time as its example)."""


class QuotaInterval(OFSModel):
    """The quota and usage of one time interval."""

    timeFrom: str | None = None
    timeTo: str | None = None
    quota: int | None = None
    used: int | None = None
    closeTime: str | None = None
    quotaIsClosed: bool | None = None
    quotaIsAutoClosed: bool | None = None
    quotaIsReopened: bool | None = None
    workZones: list[QuotaWorkZone] | None = None


class QuotaCategory(OFSModel):
    """The quota of one capacity category in an area on a date."""

    label: str | None = None
    maxAvailable: int | None = None
    maxAvailableByPlans: int | None = None
    quota: int | None = None
    minQuota: int | None = None
    used: int | None = None
    bookedActivities: int | None = None
    quotaPercent: Number | None = None
    quotaPercentCategory: Number | None = None
    quotaPercentDay: Number | None = None
    usedQuotaPercent: Number | None = None
    stopBookingAt: int | None = None
    closeTime: str | None = None
    quotaIsClosed: bool | None = None
    quotaIsAutoClosed: bool | None = None
    quotaIsReopened: bool | None = None
    weight: Number | None = None
    estimatedQuotaPercent: Number | None = None
    intervals: list[QuotaInterval] | None = None
    workZones: list[QuotaWorkZone] | None = None


class QuotaTimeSlot(OFSModel):
    """The quota of one time slot in an area on a date."""

    label: str | None = None
    maxAvailable: int | None = None
    otherActivities: int | None = None
    quota: int | None = None
    minQuota: int | None = None
    used: int | None = None
    bookedActivities: int | None = None
    quotaPercent: Number | None = None
    usedQuotaPercent: Number | None = None
    stopBookingAt: int | None = None
    closeTime: str | None = None
    quotaIsClosed: bool | None = None
    quotaIsAutoClosed: bool | None = None
    quotaIsReopened: bool | None = None
    categories: list[QuotaCategory] | None = None


class QuotaArea(OFSModel):
    """One area of a quota day; with ``aggregateResults=true`` the single item has no
    ``label`` or ``name``, only the figures."""

    label: str | None = None
    name: str | None = None
    maxAvailable: int | None = None
    maxAvailableByPlans: int | None = None
    otherActivities: int | None = None
    quota: int | None = None
    quotaPercent: Number | None = None
    minQuota: int | None = None
    used: int | None = None
    usedQuotaPercent: Number | None = None
    bookedActivities: int | None = None
    closeTime: str | None = None
    quotaIsClosed: bool | None = None
    quotaIsAutoClosed: bool | None = None
    quotaIsReopened: bool | None = None
    categories: list[QuotaCategory] | None = None
    timeSlots: list[QuotaTimeSlot] | None = None
    intervals: list[QuotaInterval] | None = None


class QuotaDay(OFSModel):
    """The quota of every requested area on one date (v2)."""

    date: str | None = None
    areas: list[QuotaArea] = []


class QuotaList(OFSModel):
    """``GET v2/quota``: one entry per date."""

    items: list[QuotaDay] = []


class QuotaPatchWorkZone(OFSModel):
    """A work zone to open or close in a quota change."""

    documented_values_only = True

    label: str | None = None
    quotaIsClosed: bool | None = None


class QuotaPatchInterval(OFSModel):
    """A time interval to change (v2: ``quotaIsClosed``; v1: ``quota``)."""

    documented_values_only = True

    timeFrom: str | None = None
    timeTo: str | None = None
    quota: int | None = None
    used: int | None = None
    status: int | None = None
    quotaIsClosed: bool | None = None
    workZones: list[QuotaPatchWorkZone] | None = None


class QuotaPatchCategory(OFSModel):
    """The quota values to change for one capacity category."""

    documented_values_only = True

    label: str | None = None
    quota: int | None = None
    minQuota: int | None = None
    quotaPercent: Number | None = None
    quotaPercentCategory: Number | None = None
    quotaPercentDay: Number | None = None
    stopBookingAt: int | None = None
    quotaIsClosed: bool | None = None
    workZones: list[QuotaPatchWorkZone] | None = None
    intervals: list[QuotaPatchInterval] | None = None


class QuotaPatchTimeSlot(OFSModel):
    """The quota values to change for one time slot."""

    documented_values_only = True

    label: str | None = None
    quota: int | None = None
    minQuota: int | None = None
    quotaPercent: Number | None = None
    stopBookingAt: int | None = None
    quotaIsClosed: bool | None = None
    categories: list[QuotaPatchCategory] | None = None


class QuotaPatchArea(OFSModel):
    """The quota values to change for one area, with its categories, slots and intervals."""

    documented_values_only = True

    label: str | None = None
    quota: int | None = None
    minQuota: int | None = None
    quotaPercent: Number | None = None
    quotaIsClosed: bool | None = None
    intervals: list[QuotaPatchInterval] | None = None
    categories: list[QuotaPatchCategory] | None = None
    timeSlots: list[QuotaPatchTimeSlot] | None = None


class QuotaPatchDay(OFSModel):
    """The quota changes of one date."""

    documented_values_only = True

    date: str | None = None
    areas: list[QuotaPatchArea] | None = None


class QuotaPatch(OFSModel):
    """Body of ``PATCH v2/quota`` (and, with interval-only fields, ``v1/quota``)."""

    documented_values_only = True

    items: list[QuotaPatchDay] = []


QuotaV1Patch = QuotaPatch


class QuotaPatchResult(OFSModel):
    """``PATCH v2/quota`` answer."""

    errors: list[str] | None = None
    errorsCount: int | None = None


# --------------------------------------------------------------------- quota (v1)


class QuotaV1Interval(OFSModel):
    """The quota of one time interval (v1 service)."""

    timeFrom: str | None = None
    timeTo: str | None = None
    quota: int | None = None
    used: int | None = None
    status: int | None = None


class QuotaV1Category(OFSModel):
    """The quota of one capacity category (v1 service)."""

    label: str | None = None
    count: int | None = None
    maxAvailable: int | None = None
    maxAvailableByPlans: int | None = None
    plan: int | None = None
    quota: int | None = None
    minQuota: int | None = None
    used: int | None = None
    quotaPercentCategory: Number | None = None
    quotaPercentDay: Number | None = None
    usedQuotaPercent: Number | None = None
    stopBookingAt: int | None = None
    status: int | None = None
    intervals: list[QuotaV1Interval] | None = None


class QuotaV1Area(OFSModel):
    """The quota of one area on a date (v1 service)."""

    label: str | None = None
    name: str | None = None
    count: int | None = None
    maxAvailable: int | None = None
    maxAvailableByPlans: int | None = None
    otherActivities: int | None = None
    quota: int | None = None
    quotaPercent: Number | None = None
    minQuota: int | None = None
    used: int | None = None
    usedQuotaPercent: Number | None = None
    status: int | None = None
    categories: list[QuotaV1Category] | None = None


class QuotaV1Day(OFSModel):
    """The quota of every requested area on one date (v1 service)."""

    date: str | None = None
    areas: list[QuotaV1Area] = []


class QuotaV1List(OFSModel):
    """``GET v1/quota``: one entry per date."""

    items: list[QuotaV1Day] = []


# --------------------------------------------------------------------- PATCH results (v1 style)


class PatchErrorDetail(OFSModel):
    """The code and message of a failed change."""

    code: str | None = None
    message: str | None = None


class PatchError(OFSModel):
    """One change a PATCH could not make, and why."""

    errorDetail: PatchErrorDetail | None = None
    operation: dict[str, object] | None = None


class PatchResultSummary(OFSModel):
    """How many fields a PATCH changed, left unchanged, and its errors."""

    updatedFieldCount: int | None = None
    notChangedFieldCount: int | None = None
    errors: list[PatchError] | None = None


class PatchResult(OFSModel):
    """Answer of ``PATCH v1/quota``, ``bookingStatuses`` and ``bookingClosingSchedule``."""

    results: PatchResultSummary | None = None


# --------------------------------------------------------------------- booking


class BookingStatusValue(OFSModel):
    """Whether booking is open or closed, and when it closed or will close."""

    state: OpenEnum[Literal["open", "closed"]] | None = None
    closedAt: str | None = None
    scheduledCloseTime: str | None = None


class BookingStatusEntry(OFSModel):
    """The booking status of one category, work zone or time interval."""

    category: str | None = None
    workZone: str | None = None
    timeFrom: str | None = None
    timeTo: str | None = None
    bookingStatus: BookingStatusValue | None = None


class BookingStatus(OFSModel):
    """The booking statuses of one area on one date."""

    area: str | None = None
    date: str | None = None
    statuses: list[BookingStatusEntry] | None = None


class BookingStatusList(OFSModel):
    """The answer of ``GET bookingStatuses``: one entry per area and date."""

    items: list[BookingStatus] = []


class BookingStatusState(OFSModel):
    """One status to set: ``state`` is ``open`` or ``closed``."""

    documented_values_only = True

    state: OpenEnum[Literal["open", "closed"]]
    category: str | None = None
    workZone: str | None = None
    timeFrom: str | None = None
    timeTo: str | None = None


class BookingStatusPatchItem(OFSModel):
    """The statuses to set for one area on one date."""

    documented_values_only = True

    area: str | None = None
    date: str | None = None
    statuses: list[BookingStatusState] | None = None


class BookingStatusPatch(OFSModel):
    """Body of ``PATCH bookingStatuses``."""

    documented_values_only = True

    items: list[BookingStatusPatchItem] = []


class BookingClosingSchedule(OFSModel):
    """When booking closes automatically for an area (and a category or work zone)."""

    area: str | None = None
    category: str | None = None
    workZone: str | None = None
    startTime: str | None = None
    endTime: str | None = None
    closeTime: str | None = None
    dayOffset: int | None = None


class BookingClosingScheduleList(OFSModel):
    """``GET bookingClosingSchedule`` answer, and the body of its ``PATCH``."""

    items: list[BookingClosingSchedule] = []


class BookingOptionsDate(OFSModel):
    """One date of the booking options: its areas and their time slots (kept as sent)."""

    date: str | None = None
    areas: list[dict[str, object]] | None = None


class ActivityBookingOptions(OFSModel):
    """``GET activityBookingOptions``: bookable dates, areas and time slots."""

    actualAtTime: str | None = None
    duration: int | None = None
    travelTime: int | None = None
    workZone: str | None = None
    categories: list[str] | None = None
    dates: list[BookingOptionsDate] | None = None
    timeSlotsDictionary: list[dict[str, object]] | None = None


class BookingFieldsDependencies(OFSModel):
    """Which activity fields the booking calculations depend on, by purpose."""

    commonDependencies: list[object] | None = None
    durationDependencies: list[object] | None = None
    travelTimeDependencies: list[object] | None = None
    workSkillDependencies: list[object] | None = None
    workZoneDependencies: list[object] | None = None


class BookingGridActivity(OFSModel):
    """The activity a booking grid is computed for (type and time zone required)."""

    documented_values_only = True

    activityType: str
    timeZone: str
    activityId: int | None = None
    apptNumber: str | None = None
    customerNumber: str | None = None


class BookingGridRequest(OFSModel):
    """Body of ``POST showBookingGrid``."""

    documented_values_only = True

    activity: BookingGridActivity
    dateFrom: str
    dateTo: str | None = None
    identifyActivityBy: (
        OpenEnum[Literal["activityId", "apptNumber", "apptNumberPlusCustomerNumber"]] | None
    ) = None
    includeResourcesDictionary: bool | None = None
    includeTimeSlotsDictionary: bool | None = None
    returnReasons: bool | None = None


class BookingGridDate(OFSModel):
    """One date of a booking grid: its quota and time slots."""

    date: str | None = None
    timeZoneDiff: int | None = None
    originalQuota: int | None = None
    remainingQuota: int | None = None
    timeSlots: list[dict[str, object]] | None = None
    hasNearbyActivities: bool | None = None
    hasForecastedActivities: bool | None = None


class BookingGridArea(OFSModel):
    """One area of a booking grid and its dates."""

    label: str | None = None
    name: str | None = None
    bucket: str | None = None
    timeZone: str | None = None
    areaTimeSlots: list[str] | None = None
    averageBucketTravel: int | None = None
    averageTravelKeyTravel: int | None = None
    dates: list[BookingGridDate] | None = None


class BookingGrid(OFSModel):
    """The answer of ``POST showBookingGrid``: areas, dates and time slots for the activity."""

    actualAtTime: str | None = None
    duration: int | None = None
    travelTime: int | None = None
    workZone: str | None = None
    areas: list[BookingGridArea] | None = None
    timeSlotsDictionary: list[dict[str, object]] | None = None
    resourcesDictionary: list[dict[str, object]] | None = None
