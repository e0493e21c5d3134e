"""Core API models for resources, users, inventories and calendars (``/rest/ofscCore``).

Field names and constraints follow the spec's definitions.  Every model keeps the fields it
does not declare (custom properties such as ``res_certification`` travel untouched), so a
document read, edited and written back loses nothing.  Fields are optional unless the spec
requires them in a request body.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, RootModel, model_validator

from ofsc_cli.models._base import Link, Number, OFSModel, OpenEnum

__all__ = [
    "AssignedLocationsDay",
    "AssignedLocationsWeek",
    "BulkInventoriesRequest",
    "BulkInventoriesResponse",
    "BulkInventoriesResult",
    "BulkInventory",
    "BulkResourceInventories",
    "BulkResourceResult",
    "BulkResourcesResponse",
    "BulkWorkSchedules",
    "BulkWorkSkills",
    "BulkWorkZones",
    "CalendarDay",
    "CalendarItem",
    "CalendarViewDay",
    "CalendarViewItem",
    "CollaborationGroup",
    "CollaborationGroups",
    "ErrorItem",
    "FindMatchingResourcesResponse",
    "FindNearbyActivitiesResponse",
    "Inventory",
    "InventoryAction",
    "LastKnownPosition",
    "Plan",
    "Plans",
    "PositionUpdate",
    "Resource",
    "ResourceInArea",
    "ResourceLocation",
    "ResourceLocations",
    "ResourcePosition",
    "ResourcePositions",
    "ResourceUser",
    "ResourceUsers",
    "ResourceWorkSkill",
    "ResourceWorkZone",
    "ResourceWorkZones",
    "SetPositionsRequest",
    "SetPositionsResponse",
    "UrgentAssignmentResponse",
    "User",
    "WorkScheduleCalendarView",
    "WorkScheduleItem",
    "WorkScheduleRecurrence",
    "WorkSchedules",
    "WorkSkills",
]

Status = OpenEnum[Literal["active", "inactive"]]
RecordType = OpenEnum[
    Literal["schedule", "shift", "extra_shift", "working", "extra_working", "non-working"]
]
Weekday = OpenEnum[Literal["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]]
InventoryStatus = OpenEnum[Literal["customer", "resource", "installed", "deinstalled"]]
InventoryPropertiesMode = OpenEnum[Literal["keepProperties", "eraseProperties"]]


class ErrorItem(OFSModel):
    """An error reported for one item of a bulk call (the OFS error body shape)."""

    type: str | None = None
    title: str | None = None
    status: str | None = None
    detail: str | None = None


# -- resources ----------------------------------------------------------------------------


class Resource(OFSModel):
    """A resource (technician, bucket, vehicle…); ``resourceId`` is its external id."""

    resourceId: str | None = Field(default=None, max_length=32)
    resourceInternalId: int | None = None
    parentResourceId: str | None = None
    resourceType: str | None = None
    name: str | None = None
    status: Status | None = None
    organization: str | None = None
    email: str | None = None
    phone: str | None = None
    language: str | None = None
    timeZone: str | None = None
    timeZoneIANA: str | None = None
    timeZoneDiff: int | None = None
    dateFormat: str | None = None
    timeFormat: str | None = None
    durationStatisticsInitialRatio: Number | None = None
    durationStatisticsInitialPeriod: int | None = None
    avatar: dict[str, Any] | None = None


class ResourceUser(OFSModel):
    """A user assigned to a resource (its ``login``)."""

    login: str


class ResourceUsers(OFSModel):
    """The users assigned to a resource (the body of ``users set``)."""

    items: list[ResourceUser] = []


class ResourceWorkSkill(OFSModel):
    """A work skill of a resource, with its ratio and dates."""

    workSkill: str = Field(max_length=40)
    ratio: int = Field(ge=0, le=100)
    startDate: str | None = None
    endDate: str | None = None


class WorkSkills(OFSModel):
    """The work skills of a resource."""

    items: list[ResourceWorkSkill] = []
    totalResults: int | None = None
    links: list[Link] | None = None


class ResourceWorkZone(OFSModel):
    """A work-zone assignment of a resource (one ``workZones add`` body)."""

    workZone: str = Field(max_length=255)
    startDate: str
    endDate: str | None = None
    ratio: int | None = Field(default=None, ge=1, le=100)
    recurrence: OpenEnum[Literal["weekly", "daily"]] | None = None
    recurEvery: int | None = Field(default=None, ge=1, le=10000)
    weekdays: list[str] | None = None
    type: OpenEnum[Literal["regular", "override"]] | None = None
    workZoneItemId: int | None = None
    workZoneStatus: Status | None = None


class ResourceWorkZones(OFSModel):
    """The work-zone assignments of a resource."""

    items: list[ResourceWorkZone] = []


class WorkScheduleRecurrence(OFSModel):
    """How a work-schedule record repeats (daily, weekly, yearly ...)."""

    recurrenceType: OpenEnum[Literal["daily", "weekly", "yearly", "everyday"]] | None = None
    recurEvery: int | None = Field(default=None, ge=1, le=255)
    weekdays: list[str] | None = None
    dayFrom: str | None = None
    dayTo: str | None = None


class WorkScheduleItem(OFSModel):
    """A work-schedule record; ``recordType`` and ``startDate`` are required."""

    recordType: RecordType
    startDate: str
    endDate: str | None = None
    scheduleItemId: int | None = None
    scheduleLabel: str | None = None
    shiftLabel: str | None = None
    shiftType: OpenEnum[Literal["regular", "on-call"]] | None = None
    isWorking: bool | None = None
    workTimeStart: str | None = None
    workTimeEnd: str | None = None
    nonWorkingReason: str | None = None
    points: int | None = None
    comments: str | None = None
    recurrence: WorkScheduleRecurrence | None = None
    scheduleShifts: list[dict[str, Any]] | None = None


class WorkSchedules(OFSModel):
    """The work-schedule records of a resource."""

    items: list[WorkScheduleItem] = []


class CalendarViewItem(OFSModel):
    """What a resource's calendar holds on one day (or for one shift type of it)."""

    recordType: (
        OpenEnum[
            Literal[
                "schedule",
                "shift",
                "extra_shift",
                "working",
                "extra_working",
                "non-working",
                "error",
            ]
        ]
        | None
    ) = None
    comments: str | None = None
    workTimeStart: str | None = None
    workTimeEnd: str | None = None
    nonWorkingReason: str | None = None
    shiftLabel: str | None = None
    scheduleLabel: str | None = None
    points: int | None = None


class CalendarViewDay(CalendarViewItem):
    """One day of a calendar view: the item itself (the spec's shape), or one item per shift
    type under ``regular`` and ``on-call``."""

    regular: CalendarViewItem | None = None
    on_call: CalendarViewItem | None = Field(default=None, alias="on-call")


class WorkScheduleCalendarView(RootModel[dict[str, CalendarViewDay]]):
    """``GET resources/{id}/workSchedules/calendarView``: an object keyed by date
    (``YYYY-MM-DD``), not an ``items`` list; ``view.root["2026-11-20"]`` is one day."""


class ResourceLocation(OFSModel):
    """A named location of a resource (home, depot…)."""

    locationId: int | None = None
    label: str | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    postalCode: str | None = None
    country: str | None = None
    latitude: Number | None = Field(default=None, ge=-90, le=90)
    longitude: Number | None = Field(default=None, ge=-180, le=180)
    status: str | None = None
    privateLocationFlag: bool | None = None


class ResourceLocations(OFSModel):
    """The named locations of a resource."""

    items: list[ResourceLocation] = []


class AssignedLocationsDay(OFSModel):
    """The location ids a resource starts and ends one weekday at."""

    start: int | None = None
    end: int | None = None
    homeZoneCenter: int | None = None


class AssignedLocationsWeek(OFSModel):
    """Location ids a resource starts and ends each weekday at."""

    mon: AssignedLocationsDay | None = None
    tue: AssignedLocationsDay | None = None
    wed: AssignedLocationsDay | None = None
    thu: AssignedLocationsDay | None = None
    fri: AssignedLocationsDay | None = None
    sat: AssignedLocationsDay | None = None
    sun: AssignedLocationsDay | None = None


class ResourcePosition(OFSModel):
    """One recorded position of a resource (time, coordinates, accuracy)."""

    time: str | None = None
    lat: Number | None = None
    lng: Number | None = None
    alt: Number | None = None
    dir: Number | None = None
    spd: Number | None = None
    acc: Number | None = None


class ResourcePositions(OFSModel):
    """The position history of a resource."""

    items: list[ResourcePosition] = []
    totalResults: int | None = None


class PositionUpdate(OFSModel):
    """One reported position (an item of ``setPositions``)."""

    documented_values_only = True

    resourceId: str
    time: str
    lat: Number = Field(ge=-90, le=90)
    lng: Number = Field(ge=-180, le=180)
    alt: int | None = Field(default=None, ge=0)
    dir: Number | None = Field(default=None, ge=0, le=360)
    spd: Number | None = Field(default=None, ge=0)
    acc: int | None = Field(default=None, ge=0)


class SetPositionsRequest(OFSModel):
    """Body of ``setPositions``: at most 300 reported positions."""

    documented_values_only = True

    items: list[PositionUpdate] = Field(max_length=300)


class SetPositionsResponse(OFSModel):
    """What ``setPositions`` processed, and the items it could not."""

    itemsProcessed: int | None = None
    itemsFailed: int | None = None
    errors: list[dict[str, Any]] | None = None


class LastKnownPosition(OFSModel):
    """The last position reported for a resource."""

    resourceId: str | None = None
    time: str | None = None
    lat: Number | None = None
    lng: Number | None = None
    errorMessage: str | None = None


class ResourceInArea(OFSModel):
    """A resource found in an area, with its last position."""

    resourceId: str | None = None
    time: str | None = None
    lat: Number | None = None
    lng: Number | None = None
    dis: Number | None = None


class Plan(OFSModel):
    """One plan value of a resource on a date (man hours, points, FTE ...)."""

    measure: OpenEnum[Literal["man_hours", "points", "scheduled", "FTE"]] | None = None
    value: Number | None = Field(default=None, ge=0, le=65535)
    date: str | None = None


class Plans(OFSModel):
    """The plan values of a resource."""

    items: list[Plan] = []
    totalResults: int | None = None


class FindNearbyActivitiesResponse(OFSModel):
    """Activities near a resource (kept as sent) and the point searched from."""

    items: list[dict[str, Any]] = []
    coordinates: dict[str, Any] | None = None


class FindMatchingResourcesResponse(OFSModel):
    """Resources that match an activity's requirements (kept as sent)."""

    items: list[dict[str, Any]] = []
    totalResults: int | None = None
    offset: int | None = None
    limit: int | None = None
    actualAtTime: str | None = None


class UrgentAssignmentResponse(OFSModel):
    """Resources that can take an urgent activity (kept as sent)."""

    items: list[dict[str, Any]] = []


class CalendarItem(OFSModel):
    """One record of a resource's calendar on a day (working time, non-working reason ...)."""

    recordType: str | None = None
    workTimeStart: str | None = None
    workTimeEnd: str | None = None
    nonWorkingReason: str | None = None
    comments: str | None = None


class CalendarDay(OFSModel):
    """One resource-day of ``GET calendars``."""

    resourceId: str | None = None
    date: str | None = None
    regular: CalendarItem | None = None
    on_call: CalendarItem | None = Field(default=None, alias="on-call")


# -- users --------------------------------------------------------------------------------


class User(OFSModel):
    """A user (key: ``login``); ``resources`` lists the resources it may see."""

    login: str | None = None
    name: str | None = None
    userType: str | None = None
    status: Status | None = None
    language: str | None = None
    timeZone: str | None = None
    timeZoneIANA: str | None = None
    timeZoneDiff: int | None = None
    mainResourceId: str | None = None
    resources: list[str] | None = None
    selfAssignment: bool | None = None
    passwordTemporary: bool | None = None
    dateFormat: str | None = None
    longDateFormat: str | None = None
    timeFormat: str | None = None
    weekStart: str | None = None
    organizationalUnit: str | None = None
    createdTime: str | None = None
    lastUpdatedTime: str | None = None
    lastLoginTime: str | None = None
    lastPasswordChangeTime: str | None = None
    loginAttempts: int | None = None
    blockedUntilTime: str | None = None


class CollaborationGroup(OFSModel):
    """A collaboration group a user belongs to."""

    name: str | None = None


class CollaborationGroups(OFSModel):
    """The collaboration groups of a user."""

    items: list[CollaborationGroup] = []


# -- inventories --------------------------------------------------------------------------


class Inventory(OFSModel):
    """A piece of equipment; where it is depends on ``status``."""

    inventoryId: int | None = None
    status: InventoryStatus | None = None
    inventoryType: str | None = None
    serialNumber: str | None = None
    quantity: Number | None = None
    resourceId: str | None = None
    activityId: int | None = None
    exchangedInventoryId: int | None = None


class InventoryAction(OFSModel):
    """Body of the install/deinstall/undo actions."""

    documented_values_only = True

    activityId: int | None = None
    quantity: Number | None = None


# -- bulk updates -------------------------------------------------------------------------


class _BulkResourceItem(OFSModel):
    """One resource of a resource bulk call: exactly one of its two identifiers."""

    documented_values_only = True

    resourceId: str | None = Field(default=None, max_length=32)
    resourceInternalId: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_identifier(self) -> _BulkResourceItem:
        if (self.resourceId is None) == (self.resourceInternalId is None):
            raise ValueError("give exactly one of resourceId and resourceInternalId")
        return self


class BulkWorkZones(_BulkResourceItem):
    """One resource's work zones in ``bulkUpdateWorkZones`` (replaces them)."""

    workZones: list[ResourceWorkZone]


class BulkWorkSkills(_BulkResourceItem):
    """One resource's work skills in ``bulkUpdateWorkSkills``."""

    workSkills: list[ResourceWorkSkill]


class BulkWorkSchedules(_BulkResourceItem):
    """One resource's work schedules in ``bulkUpdateWorkSchedules``."""

    workSchedules: list[WorkScheduleItem]


class BulkInventory(OFSModel):
    """One inventory of a resource's pool in ``bulkUpdateInventories``."""

    documented_values_only = True

    inventoryType: str | None = None
    serialNumber: str | None = None
    quantity: Number | None = None


class BulkResourceInventories(OFSModel):
    """One resource's inventory pool in ``bulkUpdateInventories``."""

    documented_values_only = True

    resourceId: str
    operationType: OpenEnum[Literal["update", "replace"]] | None = None
    identifySerializedInventoryBy: (
        OpenEnum[Literal["serialNumber", "typeAndSerial", "typeAndModelAndSerial"]] | None
    ) = None
    inventoryPropertiesUpdateMode: InventoryPropertiesMode | None = None
    inventories: list[BulkInventory]


class BulkInventoriesRequest(OFSModel):
    """Body of ``bulkUpdateInventories``: the pools of several resources."""

    documented_values_only = True

    resources: list[BulkResourceInventories]


class BulkResourceResult(OFSModel):
    """What happened to one resource of a work-zone/skill/schedule bulk call."""

    resourceId: str | None = None
    resourceInternalId: int | None = None
    itemsUpdated: int | None = None
    itemsFailed: int | None = None
    errors: list[ErrorItem] | None = None
    error: ErrorItem | None = None


class BulkResourcesResponse(OFSModel):
    """The answer of a work-zone, work-skill or work-schedule bulk call: one result per resource."""

    resourcesUpdated: int | None = None
    results: list[BulkResourceResult] = []


class BulkInventoriesResult(OFSModel):
    """What ``bulkUpdateInventories`` did to one resource's pool."""

    resourceId: str | None = None
    created: int | None = None
    updated: int | None = None
    deleted: int | None = None
    errors: list[ErrorItem] | None = None


class BulkInventoriesResponse(OFSModel):
    """The answer of ``bulkUpdateInventories``: totals and one result per resource."""

    created: int | None = None
    updated: int | None = None
    deleted: int | None = None
    itemsFailed: int | None = None
    results: list[BulkInventoriesResult] = []
