"""Capacity API models (``/rest/ofscCapacity``): available capacity, quota, booking.

Field names are the API's.  Responses keep every field they do not declare; request bodies
(``QuotaPatch``, ``BookingStatusPatch``…) declare what the API accepts and are sent as written.
"""

from __future__ import annotations

from ofsc_cli.models._base import OFSModel

__all__ = [
    "ActivityBookingOptions",
    "BookingClosingSchedule",
    "BookingClosingScheduleList",
    "BookingFieldsDependencies",
    "BookingGrid",
    "BookingGridActivity",
    "BookingGridRequest",
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
    "QuotaPatchResult",
    "QuotaTimeSlot",
    "QuotaV1Area",
    "QuotaV1Category",
    "QuotaV1Day",
    "QuotaV1List",
    "QuotaV1Patch",
    "QuotaWorkZone",
    "metric_total",
]


# --------------------------------------------------------------------- available capacity


class CapacityMetrics(OFSModel):
    """Counts and minutes, one value per requested time interval (one for the whole day)."""

    count: list[int] | None = None
    minutes: list[int] | None = None


Metrics = CapacityMetrics | list[CapacityMetrics] | None
"""The spec documents a list of metrics objects; tenants answer with a single object."""


def metric_total(metrics: Metrics, name: str) -> int | None:
    """The sum of ``count`` or ``minutes`` over every interval (``None`` when absent)."""
    if metrics is None:
        return None
    blocks = metrics if isinstance(metrics, list) else [metrics]
    values = [v for block in blocks for v in (getattr(block, name) or [])]
    return sum(values) if values else None


class CapacityCategory(OFSModel):
    label: str | None = None
    calendar: Metrics = None
    available: Metrics = None


class CapacityArea(OFSModel):
    label: str | None = None
    name: str | None = None
    calendar: Metrics = None
    available: Metrics = None
    categories: list[CapacityCategory] | None = None


class CapacityDay(OFSModel):
    date: str | None = None
    areas: list[CapacityArea] = []


class CapacityList(OFSModel):
    """``GET capacity``: one entry per date."""

    items: list[CapacityDay] = []


# --------------------------------------------------------------------- quota (v2)


class QuotaWorkZone(OFSModel):
    label: str | None = None
    quotaIsClosed: bool | None = None
    quotaIsAutoClosed: bool | None = None
    quotaIsReopened: bool | None = None


class QuotaInterval(OFSModel):
    timeFrom: str | None = None
    timeTo: str | None = None
    quota: int | None = None
    used: int | None = None
    closeTime: str | None = None
    quotaIsClosed: bool | None = None
    workZones: list[QuotaWorkZone] | None = None


class QuotaCategory(OFSModel):
    label: str | None = None
    maxAvailable: int | None = None
    maxAvailableByPlans: int | None = None
    quota: int | None = None
    minQuota: int | None = None
    used: int | None = None
    bookedActivities: int | None = None
    quotaPercent: float | None = None
    quotaPercentCategory: float | None = None
    quotaPercentDay: float | None = None
    usedQuotaPercent: float | None = None
    stopBookingAt: int | None = None
    closeTime: str | None = None
    quotaIsClosed: bool | None = None
    intervals: list[QuotaInterval] | None = None
    workZones: list[QuotaWorkZone] | None = None


class QuotaTimeSlot(OFSModel):
    label: str | None = None
    maxAvailable: int | None = None
    otherActivities: int | None = None
    quota: int | None = None
    minQuota: int | None = None
    used: int | None = None
    bookedActivities: int | None = None
    quotaPercent: float | None = None
    usedQuotaPercent: float | None = None
    stopBookingAt: int | None = None
    quotaIsClosed: bool | None = None
    categories: list[QuotaCategory] | None = None


class QuotaArea(OFSModel):
    label: str | None = None
    name: str | None = None
    maxAvailable: int | None = None
    maxAvailableByPlans: int | None = None
    otherActivities: int | None = None
    quota: int | None = None
    quotaPercent: float | None = None
    minQuota: int | None = None
    used: int | None = None
    usedQuotaPercent: float | None = None
    bookedActivities: int | None = None
    closeTime: str | None = None
    quotaIsClosed: bool | None = None
    quotaIsAutoClosed: bool | None = None
    quotaIsReopened: bool | None = None
    categories: list[QuotaCategory] | None = None
    timeSlots: list[QuotaTimeSlot] | None = None
    intervals: list[QuotaInterval] | None = None


class QuotaDay(OFSModel):
    date: str | None = None
    areas: list[QuotaArea] = []


class QuotaList(OFSModel):
    """``GET v2/quota``: one entry per date."""

    items: list[QuotaDay] = []


class QuotaPatchCategory(OFSModel):
    label: str | None = None
    quota: int | None = None
    minQuota: int | None = None
    quotaPercent: float | None = None
    quotaPercentCategory: float | None = None
    quotaPercentDay: float | None = None
    stopBookingAt: int | None = None
    quotaIsClosed: bool | None = None


class QuotaPatchArea(OFSModel):
    label: str | None = None
    quota: int | None = None
    minQuota: int | None = None
    quotaPercent: float | None = None
    quotaIsClosed: bool | None = None
    categories: list[QuotaPatchCategory] | None = None


class QuotaPatchDay(OFSModel):
    date: str | None = None
    areas: list[QuotaPatchArea] | None = None


class QuotaPatch(OFSModel):
    """Body of ``PATCH v2/quota`` (and, with interval-only fields, ``v1/quota``)."""

    items: list[QuotaPatchDay] = []


QuotaV1Patch = QuotaPatch


class QuotaPatchResult(OFSModel):
    """``PATCH v2/quota`` answer."""

    errors: list[str] | None = None
    errorsCount: int | None = None


# --------------------------------------------------------------------- quota (v1)


class QuotaV1Category(OFSModel):
    label: str | None = None
    count: int | None = None
    maxAvailable: int | None = None
    maxAvailableByPlans: int | None = None
    plan: int | None = None
    quota: int | None = None
    minQuota: int | None = None
    used: int | None = None
    quotaPercentCategory: float | None = None
    quotaPercentDay: float | None = None
    usedQuotaPercent: float | None = None
    stopBookingAt: int | None = None
    status: int | None = None
    intervals: list[QuotaInterval] | None = None


class QuotaV1Area(OFSModel):
    label: str | None = None
    name: str | None = None
    count: int | None = None
    maxAvailable: int | None = None
    maxAvailableByPlans: int | None = None
    otherActivities: int | None = None
    quota: int | None = None
    quotaPercent: float | None = None
    minQuota: int | None = None
    used: int | None = None
    usedQuotaPercent: float | None = None
    status: int | None = None
    categories: list[QuotaV1Category] | None = None


class QuotaV1Day(OFSModel):
    date: str | None = None
    areas: list[QuotaV1Area] = []


class QuotaV1List(OFSModel):
    """``GET v1/quota``: one entry per date."""

    items: list[QuotaV1Day] = []


# --------------------------------------------------------------------- PATCH results (v1 style)


class PatchErrorDetail(OFSModel):
    code: str | None = None
    message: str | None = None


class PatchError(OFSModel):
    errorDetail: PatchErrorDetail | None = None
    operation: dict[str, object] | None = None


class PatchResultSummary(OFSModel):
    updatedFieldCount: int | None = None
    notChangedFieldCount: int | None = None
    errors: list[PatchError] | None = None


class PatchResult(OFSModel):
    """Answer of ``PATCH v1/quota``, ``bookingStatuses`` and ``bookingClosingSchedule``."""

    results: PatchResultSummary | None = None


# --------------------------------------------------------------------- booking


class BookingStatusValue(OFSModel):
    state: str | None = None
    closedAt: str | None = None
    scheduledCloseTime: str | None = None


class BookingStatusEntry(OFSModel):
    category: str | None = None
    workZone: str | None = None
    timeFrom: str | None = None
    timeTo: str | None = None
    bookingStatus: BookingStatusValue | None = None


class BookingStatus(OFSModel):
    area: str | None = None
    date: str | None = None
    statuses: list[BookingStatusEntry] | None = None


class BookingStatusList(OFSModel):
    items: list[BookingStatus] = []


class BookingStatusState(OFSModel):
    """One status to set: ``state`` is ``open`` or ``closed``."""

    state: str
    category: str | None = None
    workZone: str | None = None
    timeFrom: str | None = None
    timeTo: str | None = None


class BookingStatusPatchItem(OFSModel):
    area: str | None = None
    date: str | None = None
    statuses: list[BookingStatusState] | None = None


class BookingStatusPatch(OFSModel):
    """Body of ``PATCH bookingStatuses``."""

    items: list[BookingStatusPatchItem] = []


class BookingClosingSchedule(OFSModel):
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


class ActivityBookingOptions(OFSModel):
    """``GET activityBookingOptions``: bookable dates, areas and time slots."""

    actualAtTime: str | None = None
    duration: int | None = None
    travelTime: int | None = None
    workZone: str | None = None
    categories: list[str] | None = None
    dates: list[dict[str, object]] | None = None
    timeSlotsDictionary: list[dict[str, object]] | None = None


class BookingFieldsDependencies(OFSModel):
    commonDependencies: list[object] | None = None
    durationDependencies: list[object] | None = None
    travelTimeDependencies: list[object] | None = None
    workSkillDependencies: list[object] | None = None
    workZoneDependencies: list[object] | None = None


class BookingGridActivity(OFSModel):
    activityType: str
    timeZone: str
    activityId: int | None = None
    apptNumber: str | None = None
    customerNumber: str | None = None


class BookingGridRequest(OFSModel):
    """Body of ``POST showBookingGrid``."""

    activity: BookingGridActivity
    dateFrom: str
    dateTo: str | None = None
    identifyActivityBy: str | None = None
    includeResourcesDictionary: bool | None = None
    includeTimeSlotsDictionary: bool | None = None
    returnReasons: bool | None = None


class BookingGrid(OFSModel):
    actualAtTime: str | None = None
    duration: int | None = None
    travelTime: int | None = None
    workZone: str | None = None
    areas: list[dict[str, object]] | None = None
    timeSlotsDictionary: list[dict[str, object]] | None = None
    resourcesDictionary: list[dict[str, object]] | None = None
