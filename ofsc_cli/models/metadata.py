"""Metadata API models (``/rest/ofscMetadata``).

Each configuration object has one model of what OFS returns: every field optional (OFS leaves
some out, e.g. ``translations`` when ``?language=`` is given), unknown fields kept, and an exact
round trip.  Where the API requires fields on a write, a ``...Body`` subclass makes them
required, so that a body can be checked before it is sent (the CLI validates ``--file`` bodies
against these).

Collections that take no paging parameters (organizations, capacity areas and their
sub-collections, map layers, work skill conditions, an application's API access) come back as
the same generic envelope as paged ones, :class:`~ofsc_cli.models.Page`.
"""

from __future__ import annotations

from typing import Any

from ofsc_cli.models._base import OFSModel, Translation

__all__ = [
    "ActivityType",
    "ActivityTypeBody",
    "ActivityTypeGroup",
    "ApiAccess",
    "ApiAccessConfiguration",
    "Application",
    "ApplicationBody",
    "AreaCapacityCategory",
    "AreaOrganization",
    "AreaTimeInterval",
    "AreaTimeSlot",
    "AreaWorkZone",
    "AreaWorkZoneV1",
    "CapacityArea",
    "CapacityCategory",
    "CapacityCategoryBody",
    "ClientSecret",
    "DownloadStatus",
    "EnumerationValue",
    "EnumerationValueBody",
    "Form",
    "FormBody",
    "InventoryType",
    "InventoryTypeBody",
    "Language",
    "LinkTemplate",
    "LinkTemplateBody",
    "MapLayer",
    "MapLayerBody",
    "NonWorkingReason",
    "Organization",
    "PopulateLayersRequest",
    "PopulateShapesRequest",
    "Property",
    "ResourceType",
    "Shift",
    "ShiftBody",
    "TimeSlot",
    "WorkSkill",
    "WorkSkillBody",
    "WorkSkillCondition",
    "WorkSkillConditions",
    "WorkSkillGroup",
    "WorkSkillGroupBody",
    "WorkZone",
    "WorkZoneBody",
    "WorkZoneKey",
    "WorkZoneKeyElement",
    "WorkZones",
]

Translations = list[Translation]


class LabelRef(OFSModel):
    """A reference to another object by label (``{"label": ...}``)."""

    label: str | None = None


# -- work zones ---------------------------------------------------------------------------


class WorkZone(OFSModel):
    workZoneLabel: str | None = None
    workZoneName: str | None = None
    status: str | None = None
    travelArea: str | None = None
    keys: list[str] | None = None
    shapes: list[str] | None = None
    organization: str | None = None
    translations: Translations | None = None


class WorkZoneBody(WorkZone):
    """A work zone as written (create or replace)."""

    workZoneLabel: str
    workZoneName: str
    travelArea: str


class WorkZones(OFSModel):
    """The body of the collection-wide replace and update of work zones."""

    items: list[WorkZoneBody]


class WorkZoneKeyElement(OFSModel):
    label: str | None = None
    length: int | None = None
    function: str | None = None
    order: int | None = None
    apiParameterName: str | None = None


class WorkZoneKey(OFSModel):
    current: list[WorkZoneKeyElement] | None = None
    pending: list[WorkZoneKeyElement] | None = None


class PopulateShapesRequest(OFSModel):
    """Where OFS downloads work-zone shapes from (a zip at an HTTPS URL)."""

    URL: str
    authentication: dict[str, Any]
    shapeIdentifierColumn: str
    shapeAreaColumn: str | None = None
    SRID: int


class DownloadStatus(OFSModel):
    """State of a shapes or map-layer download started by a populate action."""

    status: str | None = None
    time: str | None = None
    downloadId: int | None = None


# -- work skills --------------------------------------------------------------------------


class WorkSkill(OFSModel):
    label: str | None = None
    name: str | None = None
    active: bool | None = None
    sharing: str | None = None
    translations: Translations | None = None


class WorkSkillBody(WorkSkill):
    active: bool
    sharing: str


class SkillRatio(OFSModel):
    label: str
    ratio: int | None = None
    startDate: str | None = None


class WorkSkillGroup(OFSModel):
    label: str | None = None
    name: str | None = None
    assignToResource: bool | None = None
    addToCapacityCategory: bool | None = None
    active: bool | None = None
    workSkills: list[SkillRatio] | None = None
    translations: Translations | None = None


class WorkSkillGroupBody(WorkSkillGroup):
    assignToResource: bool
    addToCapacityCategory: bool
    active: bool


class WorkSkillCondition(OFSModel):
    internalId: int | None = None
    label: str | None = None
    requiredLevel: int | None = None
    preferableLevel: int | None = None
    conditions: list[dict[str, Any]] | None = None
    dependencies: list[dict[str, Any]] | None = None


class WorkSkillConditions(OFSModel):
    """The body of the (replace-all) write of work skill conditions."""

    items: list[WorkSkillCondition]


# -- activity types -----------------------------------------------------------------------


class ActivityTypeGroup(OFSModel):
    label: str | None = None
    name: str | None = None
    activityTypes: list[LabelRef] | None = None
    translations: Translations | None = None


class ActivityType(OFSModel):
    label: str | None = None
    name: str | None = None
    active: bool | None = None
    groupLabel: str | None = None
    defaultDuration: int | None = None
    features: dict[str, bool] | None = None
    colors: dict[str, str] | None = None
    timeSlots: list[LabelRef] | None = None
    segmentMinDuration: int | None = None
    segmentMaxDuration: int | None = None
    translations: Translations | None = None


class ActivityTypeBody(ActivityType):
    active: bool
    groupLabel: str
    defaultDuration: int


# -- capacity -----------------------------------------------------------------------------


class CapacityArea(OFSModel):
    label: str | None = None
    name: str | None = None
    type: str | None = None
    status: str | None = None
    parentLabel: str | None = None
    parent: dict[str, Any] | None = None
    configuration: dict[str, Any] | None = None


class AreaCapacityCategory(OFSModel):
    label: str | None = None
    name: str | None = None
    status: str | None = None


class AreaOrganization(OFSModel):
    label: str | None = None
    name: str | None = None
    type: str | None = None


class AreaTimeInterval(OFSModel):
    timeFrom: str | None = None
    timeTo: str | None = None


class AreaTimeSlot(OFSModel):
    label: str | None = None
    name: str | None = None
    timeFrom: str | None = None
    timeTo: str | None = None


class AreaWorkZoneV1(OFSModel):
    label: str | None = None


class AreaWorkZone(OFSModel):
    workZoneLabel: str | None = None
    workZoneName: str | None = None


class CapacityCategory(OFSModel):
    label: str | None = None
    name: str | None = None
    active: bool | None = None
    workSkills: list[SkillRatio] | None = None
    workSkillGroups: list[SkillRatio] | None = None
    timeSlots: list[LabelRef] | None = None
    translations: Translations | None = None


class CapacityCategoryBody(CapacityCategory):
    active: bool


class TimeSlot(OFSModel):
    label: str | None = None
    name: str | None = None
    active: bool | None = None
    isAllDay: bool | None = None
    timeStart: str | None = None
    timeEnd: str | None = None


# -- properties, forms, inventory ---------------------------------------------------------


class Property(OFSModel):
    label: str | None = None
    name: str | None = None
    hint: str | None = None
    type: str | None = None
    entity: str | None = None
    gui: str | None = None
    cloneFlag: bool | None = None
    template: str | None = None
    lines: int | None = None
    fileSizeLimit: str | None = None
    mimeTypes: list[str] | None = None
    translations: Translations | None = None


class EnumerationValue(OFSModel):
    label: str | None = None
    active: bool | None = None
    translations: Translations | None = None


class EnumerationValueBody(EnumerationValue):
    label: str
    translations: Translations


class Form(OFSModel):
    label: str | None = None
    name: str | None = None
    content: str | None = None
    translations: Translations | None = None


class FormBody(Form):
    content: str


class InventoryType(OFSModel):
    label: str | None = None
    name: str | None = None
    unitOfMeasurement: str | None = None
    active: bool | None = None
    nonSerialized: bool | None = None
    modelProperty: str | None = None
    quantityPrecision: int | None = None
    translations: Translations | None = None


class InventoryTypeBody(InventoryType):
    active: bool
    nonSerialized: bool
    translations: Translations


# -- simple lists -------------------------------------------------------------------------


class Language(OFSModel):
    label: str | None = None
    name: str | None = None
    active: bool | None = None
    translations: Translations | None = None


class NonWorkingReason(OFSModel):
    label: str | None = None
    name: str | None = None
    active: bool | None = None
    translations: Translations | None = None


class ResourceType(OFSModel):
    label: str | None = None
    name: str | None = None
    active: bool | None = None
    role: str | None = None
    translations: Translations | None = None


class Organization(OFSModel):
    label: str | None = None
    name: str | None = None
    type: str | None = None
    translations: Translations | None = None


class Shift(OFSModel):
    label: str | None = None
    name: str | None = None
    active: bool | None = None
    type: str | None = None
    workTimeStart: str | None = None
    workTimeEnd: str | None = None
    points: int | None = None
    decoration: str | None = None


class ShiftBody(Shift):
    name: str
    active: bool
    type: str
    workTimeStart: str
    workTimeEnd: str


class LinkTemplate(OFSModel):
    label: str | None = None
    reverseLabel: str | None = None
    linkType: str | None = None
    active: bool | None = None
    minInterval: str | None = None
    minIntervalValue: int | None = None
    maxInterval: str | None = None
    maxIntervalValue: int | None = None
    schedulingConstraint: str | None = None
    assignmentConstraint: str | None = None
    translations: Translations | None = None


class LinkTemplateBody(LinkTemplate):
    label: str
    linkType: str
    active: bool
    translations: Translations


class MapLayer(OFSModel):
    label: str | None = None
    status: str | None = None
    text: str | None = None
    shapeTitleColumn: str | None = None
    tableColumns: list[str] | None = None
    shapeHintColumns: list[dict[str, Any]] | None = None
    shapeHintButton: dict[str, Any] | None = None
    translations: Translations | None = None


class MapLayerBody(MapLayer):
    label: str


class PopulateLayersRequest(OFSModel):
    """Where OFS downloads a custom map layer from (a zip at an HTTPS URL)."""

    URL: str
    authentication: dict[str, Any]
    layerLabel: str
    SRID: int
    shapeTitleColumn: str | None = None
    shapeHintColumns: list[dict[str, Any]] | None = None
    shapeHintButton: dict[str, Any] | None = None


# -- applications -------------------------------------------------------------------------


class Application(OFSModel):
    label: str | None = None
    name: str | None = None
    status: str | None = None
    tokenService: str | None = None
    resourcesToAllow: list[dict[str, Any]] | None = None
    IPAddressesToAllow: list[str] | None = None
    allowedCorsDomains: list[str] | None = None


class ApplicationBody(Application):
    name: str
    status: str
    tokenService: str
    resourcesToAllow: list[dict[str, Any]]
    IPAddressesToAllow: list[str]


class ApiAccess(OFSModel):
    """One API in an application's API access list."""

    label: str | None = None
    name: str | None = None
    status: str | None = None


class ApiAccessConfiguration(ApiAccess):
    """An application's access to one API, with its methods, entities and fields."""

    apiMethods: list[dict[str, Any]] | None = None
    apiEntities: list[dict[str, Any]] | None = None
    activityFields: list[dict[str, Any]] | None = None
    inventoryFields: list[dict[str, Any]] | None = None
    providerFields: list[dict[str, Any]] | None = None
    userFields: list[dict[str, Any]] | None = None
    requestFields: list[dict[str, Any]] | None = None


class ClientSecret(OFSModel):
    clientSecret: str | None = None

    def __repr__(self) -> str:  # never show the secret by accident
        return "ClientSecret(clientSecret='****')"

    __str__ = __repr__
