"""Core API models for activities and their sub-resources, service requests and
where-is-my-tech (``/rest/ofscCore/v1``).

Field names follow the spec's definitions.  Every model keeps the fields it does not declare,
so custom properties (``cust_tier``, ``job_notes``…) travel untouched on read and on write.
Fields are optional unless the spec requires them in a request body; request models
(``ActivityCreate``, ``MoveRequest``…) exist to validate bodies before anything is sent.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from ofsc_cli.models._base import Link, Number, OFSModel, OpenEnum

__all__ = [
    "ACTIVITY_STATUSES",
    "Activity",
    "ActivityCapacityCategory",
    "ActivityCreate",
    "ActivityKeys",
    "BulkUpdateError",
    "BulkUpdateParameters",
    "BulkUpdateRequest",
    "BulkUpdateResponse",
    "BulkUpdateResult",
    "BulkUpdateWarning",
    "DelayRequest",
    "FormIdentifier",
    "LinkedActivities",
    "LinkedActivity",
    "MoveRequest",
    "ReopenRequest",
    "RequiredInventories",
    "RequiredInventory",
    "ResourcePreference",
    "ResourcePreferences",
    "ServiceRequest",
    "ServiceRequestCreate",
    "SetPositionInRoute",
    "StatusChange",
    "SubmittedForm",
    "WhereIsMyTech",
]

ActivityStatus = OpenEnum[
    Literal["cancelled", "completed", "suspended", "started", "enroute", "pending", "notdone"]
]
ACTIVITY_STATUSES: tuple[str, ...] = (
    "pending",
    "enroute",
    "started",
    "suspended",
    "completed",
    "notdone",
    "cancelled",
)
RecordType = OpenEnum[
    Literal["regular", "reopened", "prework", "multiday_activity", "multiday_activity_segment"]
]
RoutePosition = OpenEnum[Literal["first", "last", "notOrdered", "byServiceWindow", "afterActivity"]]
FinalStatusAction = OpenEnum[Literal["doNothing", "createNew", "updateExisting"]]
InventoryPropertiesMode = OpenEnum[Literal["keepProperties", "eraseProperties"]]


class Activity(OFSModel):
    """An activity as the API returns it (``getActivitySchema``)."""

    activityId: int | None = None
    resourceId: str | None = None
    resourceInternalId: int | None = None
    date: str | None = None
    status: ActivityStatus | None = None
    activityType: str | None = None
    recordType: RecordType | None = None
    apptNumber: str | None = None
    customerNumber: str | None = None
    customerName: str | None = None
    customerEmail: str | None = None
    customerPhone: str | None = None
    customerCell: str | None = None
    streetAddress: str | None = None
    city: str | None = None
    stateProvince: str | None = None
    postalCode: str | None = None
    country_code: str | None = None
    latitude: Number | None = None
    longitude: Number | None = None
    workZone: str | None = None
    timeSlot: str | None = None
    timeZone: str | None = None
    timeZoneIANA: str | None = None
    language: str | None = None
    languageISO: str | None = None
    startTime: str | None = None
    endTime: str | None = None
    duration: int | None = None
    travelTime: int | None = None
    positionInRoute: int | None = None
    serviceWindowStart: str | None = None
    serviceWindowEnd: str | None = None
    slaWindowStart: str | None = None
    slaWindowEnd: str | None = None
    deliveryWindowStart: str | None = None
    deliveryWindowEnd: str | None = None
    masterActivityId: int | None = None
    teamResourceId: str | None = None
    points: int | None = None
    reminderTime: int | None = None
    ibAssetId: int | None = None
    svcWorkOrderId: int | None = None
    links: list[Link] | None = None


class SetPositionInRoute(OFSModel):
    """Where to put an activity in its route."""

    documented_values_only = True

    position: RoutePosition
    activityId: int | None = None


class ActivityCreate(OFSModel):
    """Body of ``POST activities`` (``createActivitySchema``)."""

    documented_values_only = True

    activityType: str
    resourceId: str
    date: str | None = None
    apptNumber: str | None = None
    customerNumber: str | None = None
    duration: int | None = None
    latitude: Number | None = None
    longitude: Number | None = None
    setPositionInRoute: SetPositionInRoute | None = None


class StatusChange(OFSModel):
    """Body of the status actions (``start``, ``complete``, ``cancel``, ``suspend``…)."""

    documented_values_only = True

    time: str | None = None
    multidayTimeToComplete: int | None = None
    multidayActivityStatus: OpenEnum[Literal["cancelled", "completed", "notdone"]] | None = None


class DelayRequest(OFSModel):
    """Body of ``custom-actions/delay``."""

    documented_values_only = True

    delayMinutes: int | None = None
    delayUntilTime: str | None = None


class ReopenRequest(OFSModel):
    """Body of ``custom-actions/reopen``."""

    documented_values_only = True

    setPositionInRoute: SetPositionInRoute


class _ResourceRef(OFSModel):
    resourceId: str


class _DateRef(OFSModel):
    date: str


class MoveRequest(OFSModel):
    """Body of ``custom-actions/move``: at least one of the three ``set*`` members."""

    documented_values_only = True

    setDate: _DateRef | None = None
    setResource: _ResourceRef | None = None
    setPositionInRoute: SetPositionInRoute | None = None
    moveMultidayActivitySegments: (
        OpenEnum[Literal["onlyThisSegment", "allSegmentsInRoute", "allFollowingSegments"]] | None
    ) = None
    protectTimeDelivered: bool | None = None

    @model_validator(mode="after")
    def _something_to_do(self) -> MoveRequest:
        if self.setDate is None and self.setResource is None and self.setPositionInRoute is None:
            raise ValueError("give at least one of setDate, setResource, setPositionInRoute")
        return self


# -- bulk update ------------------------------------------------------------------------


class BulkUpdateParameters(OFSModel):
    """``updateParameters`` of ``custom-actions/bulkUpdate``."""

    documented_values_only = True

    ifInFinalStatusThen: FinalStatusAction
    identifyActivityBy: (
        OpenEnum[
            Literal[
                "activityId",
                "apptNumber",
                "apptNumberPlusCustomerNumber",
                "apptNumberPlusIbAssetId",
            ]
        ]
        | None
    ) = None
    ifExistsThenDoNotUpdateFields: list[str] | None = None
    inventoryPropertiesUpdateMode: InventoryPropertiesMode | None = None
    fallbackResourceId: str | None = None


class BulkUpdateRequest(OFSModel):
    """Body of ``custom-actions/bulkUpdate``."""

    documented_values_only = True

    updateParameters: BulkUpdateParameters
    activities: list[dict[str, Any]]


class ActivityKeys(OFSModel):
    """Which activity a bulk-update result is about.  ``activityId`` is a string in the spec;
    live tenants send an integer, or leave it out when no activity was created."""

    activityId: int | str | None = None
    apptNumber: str | None = None
    customerNumber: str | None = None
    ibAssetId: int | None = None


class BulkUpdateError(OFSModel):
    """An error of one operation in a bulk update result (``operation``, ``errorDetail``)."""

    operation: str | None = None
    errorDetail: str | None = None


class BulkUpdateWarning(OFSModel):
    """A warning in a bulk update result (``code``, ``message``)."""

    code: int | str | None = None
    message: str | None = None


class BulkUpdateResult(OFSModel):
    """What happened to one activity of a bulk update."""

    activityKeys: ActivityKeys | None = None
    operationsPerformed: list[str] | None = None
    operationsFailed: list[str] | None = None
    errors: list[BulkUpdateError] | None = None
    warnings: list[BulkUpdateWarning] | None = None

    @property
    def failed(self) -> bool:
        """Whether an operation on this activity failed (it has ``errors`` or
        ``operationsFailed``).
        """
        return bool(self.errors or self.operationsFailed)


class BulkUpdateResponse(OFSModel):
    """The answer of an activities bulk update: one result per activity sent, in order."""

    results: list[BulkUpdateResult] = []


# -- sub-resources ----------------------------------------------------------------------


class LinkedActivity(OFSModel):
    """A link between two activities (``linkedActivity``)."""

    fromActivityId: int
    toActivityId: int
    linkType: str
    minIntervalValue: int | None = None
    maxIntervalValue: int | None = None
    alerts: int | None = None


class LinkedActivities(OFSModel):
    """The links of an activity to others (``items``)."""

    items: list[LinkedActivity] = []


class RequiredInventory(OFSModel):
    """Inventory an activity needs: its type, model and quantity."""

    inventoryType: str
    model: str
    quantity: Number


class RequiredInventories(OFSModel):
    """Body of ``PUT …/requiredInventories`` (replaces them all)."""

    items: list[RequiredInventory] = []


class ResourcePreference(OFSModel):
    """A resource that is required, preferred or forbidden for an activity."""

    preferenceType: OpenEnum[Literal["required", "preferred", "forbidden", "warehouse"]]
    resourceId: str | None = None


class ResourcePreferences(OFSModel):
    """Body and response of ``…/resourcePreferences`` (PUT replaces them all)."""

    items: list[ResourcePreference] = []


class FormIdentifier(OFSModel):
    """Which form was submitted: its submission id and label."""

    formSubmitId: int | str | None = None
    formLabel: str | None = None


class SubmittedForm(OFSModel):
    """A form submitted on an activity; ``formIdentifier.formSubmitId`` is an integer."""

    user: str | None = None
    time: str | None = None
    bundles: list[str] | None = None
    formIdentifier: FormIdentifier | None = None
    formDetails: dict[str, Any] | None = None
    activityDetails: dict[str, Any] | None = None


class ActivityCapacityCategory(OFSModel):
    """A capacity category an activity counts against."""

    capacityCategory: str | None = None


# -- service requests and where-is-my-tech ----------------------------------------------


class ServiceRequestCreate(OFSModel):
    """Body of ``POST serviceRequests``: exactly one of activity, inventory or resource."""

    documented_values_only = True

    requestType: str | None = None
    activityId: int | None = None
    inventoryId: int | None = None
    resourceId: str | None = None
    date: str | None = None

    @model_validator(mode="after")
    def _one_target(self) -> ServiceRequestCreate:
        given = [n for n in ("activityId", "inventoryId", "resourceId") if getattr(self, n)]
        if len(given) != 1:
            raise ValueError("give exactly one of activityId, inventoryId, resourceId")
        return self


class ServiceRequest(OFSModel):
    """A service request raised about an activity, an inventory or a resource."""

    requestId: int | None = None
    requestType: str | None = None
    activityId: int | None = None
    inventoryId: int | None = None
    resourceId: str | None = None
    resourceInternalId: int | None = None
    date: str | None = None
    created: str | None = None


class WhereIsMyTech(OFSModel):
    """Where the technician of an activity is (``whereIsMyTechResponse``)."""

    status: (
        OpenEnum[
            Literal[
                "notAssigned",
                "assigned",
                "onTheWay",
                "started",
                "notdone",
                "cancelled",
                "completed",
            ]
        ]
        | None
    ) = None
    resourceDetails: dict[str, Any] | None = None
    coordinates: dict[str, Any] | None = None
    activityDetails: dict[str, Any] | None = None
