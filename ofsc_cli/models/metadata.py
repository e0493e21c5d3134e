"""Metadata API models (``/rest/ofscMetadata``).

Each configuration object has one model of what OFS returns: every field optional (OFS leaves
some out, e.g. ``translations`` when ``?language=`` is given), unknown fields kept, and an exact
round trip.  Where the API requires fields on a write, a ``...Body`` subclass makes them
required, so that a body can be checked before it is sent (the CLI validates ``--file`` bodies
against these).

Collections that take no paging parameters (organizations, capacity areas and their
sub-collections, map layers, work skill conditions, an application's API access) come back as
the same generic envelope as paged ones, :class:`~ofsc_cli.models.Page`.

Where live tenants answer differently from the spec, both shapes are accepted and kept as
sent: routing profiles and plans come as label strings (spec) or as objects
(:class:`RoutingProfile`, :class:`RoutingPlan`: live), an application's access to an API
lists ``apiEntities`` (core, metadata, statistics, collaboration) or ``apiMethods``
(capacity), a property's ``gui`` may be ``null``, and capacity categories carry dated
``workSkills``/``workSkillGroups``.  Enumerations are open (:data:`~ofsc_cli.models.OpenEnum`).
"""

from __future__ import annotations

from typing import Any, Literal

from ofsc_cli.models._base import OFSModel, OpenEnum, Translation

__all__ = [
    "ActivityType",
    "ActivityTypeBody",
    "ActivityTypeGroup",
    "ApiAccess",
    "ApiAccessConfiguration",
    "ApiEntity",
    "ApiMethod",
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
    "CategorySkill",
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
    "RoutingPlan",
    "RoutingPlanItem",
    "RoutingProfile",
    "RoutingProfileItem",
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
    "routing_label",
]

Translations = list[Translation]
Status = OpenEnum[Literal["active", "inactive"]]


class LabelRef(OFSModel):
    """A reference to another object by label (``{"label": ...}``)."""

    label: str | None = None


# -- work zones ---------------------------------------------------------------------------


class WorkZone(OFSModel):
    """A work zone: the area a resource serves, matched to activities by its ``keys``."""

    workZoneLabel: str | None = None
    workZoneName: str | None = None
    status: Status | None = None
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
    """One element of the work zone key: which activity field, how much of it, in which order."""

    label: str | None = None
    length: int | None = None
    function: str | None = None
    order: int | None = None
    apiParameterName: str | None = None


class WorkZoneKey(OFSModel):
    """The work zone key: the ``current`` elements and the ``pending`` ones (applied later)."""

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
    """A work skill (a qualification activities require and resources have)."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    sharing: OpenEnum[Literal["no sharing", "maximal", "minimal", "summary"]] | None = None
    translations: Translations | None = None


class WorkSkillBody(WorkSkill):
    """A work skill as a write body: the fields a ``replace`` must send are required."""

    active: bool
    sharing: OpenEnum[Literal["no sharing", "maximal", "minimal", "summary"]]


class SkillRatio(OFSModel):
    label: str | None = None
    ratio: int | None = None
    startDate: str | None = None


class CategorySkill(SkillRatio):
    """A work skill or work skill group of a capacity category, with its validity dates
    (tenants send ``endDate`` too; the spec lists only ``startDate``)."""

    endDate: str | None = None


class WorkSkillGroup(OFSModel):
    """A group of work skills with ratios, assigned to resources or capacity categories."""

    label: str | None = None
    name: str | None = None
    assignToResource: bool | None = None
    addToCapacityCategory: bool | None = None
    active: bool | None = None
    workSkills: list[SkillRatio] | None = None
    translations: Translations | None = None


class WorkSkillGroupBody(WorkSkillGroup):
    """A work skill group as a write body (required fields enforced)."""

    assignToResource: bool
    addToCapacityCategory: bool
    active: bool


class WorkSkillCondition(OFSModel):
    """A rule that makes an activity require a work skill when its fields match."""

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
    """A group of activity types: ``name`` (in the requested language) and
    ``activityTypes`` (``[{"label": ...}]``) as tenants send them."""

    label: str | None = None
    name: str | None = None
    activityTypes: list[LabelRef] | None = None
    translations: Translations | None = None


class ActivityType(OFSModel):
    """An activity type: its label, group, default duration, features and colours."""

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
    """An activity type as a write body (required fields enforced)."""

    active: bool
    groupLabel: str
    defaultDuration: int


# -- capacity -----------------------------------------------------------------------------


class CapacityArea(OFSModel):
    """A capacity area (or a group of them): where capacity is planned and booked."""

    label: str | None = None
    name: str | None = None
    type: OpenEnum[Literal["group", "area"]] | None = None
    status: Status | None = None
    parentLabel: str | None = None
    parent: dict[str, Any] | None = None
    configuration: dict[str, Any] | None = None


class AreaCapacityCategory(OFSModel):
    """A capacity category used in a capacity area."""

    label: str | None = None
    name: str | None = None
    status: Status | None = None


OrganizationType = OpenEnum[Literal["contractor", "inhouse"]]


class AreaOrganization(OFSModel):
    """An organization that works in a capacity area."""

    label: str | None = None
    name: str | None = None
    type: OrganizationType | None = None


class AreaTimeInterval(OFSModel):
    """A time interval (``timeFrom``-``timeTo``) of a capacity area."""

    timeFrom: str | None = None
    timeTo: str | None = None


class AreaTimeSlot(OFSModel):
    """A time slot offered in a capacity area."""

    label: str | None = None
    name: str | None = None
    timeFrom: str | None = None
    timeTo: str | None = None


class AreaWorkZoneV1(OFSModel):
    """A work zone of a capacity area as the v1 service lists it (its name in ``label``)."""

    label: str | None = None


class AreaWorkZone(OFSModel):
    """A work zone of a capacity area (v2: ``workZoneLabel`` and ``workZoneName``)."""

    workZoneLabel: str | None = None
    workZoneName: str | None = None


class CapacityCategory(OFSModel):
    """A capacity category: the skills (or skill groups) and time slots capacity is counted by."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    workSkills: list[CategorySkill] | None = None
    workSkillGroups: list[CategorySkill] | None = None
    timeSlots: list[LabelRef] | None = None
    translations: Translations | None = None


class CapacityCategoryBody(CapacityCategory):
    """A capacity category as a write body (required fields enforced)."""

    active: bool


class TimeSlot(OFSModel):
    """A time slot offered to customers (or an all-day one)."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    isAllDay: bool | None = None
    timeStart: str | None = None
    timeEnd: str | None = None


# -- properties, forms, inventory ---------------------------------------------------------


PropertyGui = OpenEnum[
    Literal[
        "text",
        "checkbox",
        "combobox",
        "radiogroup",
        "file",
        "signature",
        "image",
        "url",
        "phone",
        "email",
        "capture",
        "geo",
        "attachments",
    ]
]


class Property(OFSModel):
    """A custom property; ``gui`` is ``null`` on some tenants' built-in properties."""

    label: str | None = None
    name: str | None = None
    hint: str | None = None
    type: (
        OpenEnum[Literal["field", "integer", "string", "enumeration", "file", "attachments"]] | None
    ) = None
    entity: (
        OpenEnum[Literal["activity", "inventory", "resource", "service request", "user"]] | None
    ) = None
    gui: PropertyGui | None = None
    cloneFlag: bool | None = None
    template: str | None = None
    lines: int | None = None
    fileSizeLimit: OpenEnum[Literal["0.5MB", "1MB", "2MB", "3MB", "5MB"]] | None = None
    mimeTypes: list[str] | None = None
    translations: Translations | None = None


class EnumerationValue(OFSModel):
    """One value of an enumeration property, with its translations."""

    label: str | None = None
    active: bool | None = None
    translations: Translations | None = None


class EnumerationValueBody(EnumerationValue):
    """An enumeration value as a write body (``label`` and ``translations`` required)."""

    label: str
    translations: Translations


class Form(OFSModel):
    """A form definition (its ``content`` is the form's JSON, kept as a string)."""

    label: str | None = None
    name: str | None = None
    content: str | None = None
    translations: Translations | None = None


class FormBody(Form):
    """A form as a write body (``content`` required)."""

    content: str


class InventoryType(OFSModel):
    """An inventory type: serialized or not, its unit and its model property."""

    label: str | None = None
    name: str | None = None
    unitOfMeasurement: str | None = None
    active: bool | None = None
    nonSerialized: bool | None = None
    modelProperty: str | None = None
    quantityPrecision: int | None = None
    translations: Translations | None = None


class InventoryTypeBody(InventoryType):
    """An inventory type as a write body (required fields enforced)."""

    active: bool
    nonSerialized: bool
    translations: Translations


# -- simple lists -------------------------------------------------------------------------


class Language(OFSModel):
    """A language; tenants add ``code`` (the ISO code, e.g. ``en-US``) to the spec's fields."""

    label: str | None = None
    code: str | None = None
    name: str | None = None
    active: bool | None = None
    translations: Translations | None = None


class NonWorkingReason(OFSModel):
    """A reason a resource does not work (vacation, training ...)."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    translations: Translations | None = None


class ResourceType(OFSModel):
    """A resource type (technician, bucket, vehicle ...) and its role."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    role: str | None = None
    translations: Translations | None = None


class Organization(OFSModel):
    """An organization (in-house or contractor) resources belong to."""

    label: str | None = None
    name: str | None = None
    type: OrganizationType | None = None
    translations: Translations | None = None


class Shift(OFSModel):
    """A shift: a named working time, or an on-call one."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    type: str | None = None
    workTimeStart: str | None = None
    workTimeEnd: str | None = None
    points: int | None = None
    decoration: str | None = None


class ShiftBody(Shift):
    """A shift as a write body (required fields enforced)."""

    name: str
    active: bool
    type: str
    workTimeStart: str
    workTimeEnd: str


LinkType = OpenEnum[Literal["finishToStart", "startToStart", "simultaneous", "related"]]
LinkInterval = OpenEnum[Literal["unlimited", "adjustable", "nonAdjustable"]]


class LinkTemplate(OFSModel):
    """A link template.  The spec leaves ``linkType`` and the intervals untyped; tenants
    use the values of :data:`LinkType` and :data:`LinkInterval`, with integer
    ``minIntervalValue``/``maxIntervalValue``."""

    label: str | None = None
    reverseLabel: str | None = None
    linkType: LinkType | None = None
    active: bool | None = None
    minInterval: LinkInterval | None = None
    minIntervalValue: int | None = None
    maxInterval: LinkInterval | None = None
    maxIntervalValue: int | None = None
    schedulingConstraint: OpenEnum[Literal["sameDay", "differentDays"]] | None = None
    assignmentConstraint: OpenEnum[Literal["sameResource", "differentResources"]] | None = None
    translations: Translations | None = None


class LinkTemplateBody(LinkTemplate):
    """A link template as a write body (required fields enforced)."""

    label: str
    linkType: LinkType
    active: bool
    translations: Translations


class MapLayer(OFSModel):
    """A custom map layer and how its shapes are shown."""

    label: str | None = None
    status: Status | None = None
    text: str | None = None
    shapeTitleColumn: str | None = None
    tableColumns: list[str] | None = None
    shapeHintColumns: list[dict[str, Any]] | None = None
    shapeHintButton: dict[str, Any] | None = None
    translations: Translations | None = None


class MapLayerBody(MapLayer):
    """A map layer as a write body (``label`` required)."""

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


TokenService = OpenEnum[Literal["ofsc", "external", "idcs"]]


class Application(OFSModel):
    """An application (an API client): its status, token service and the resources it may see."""

    label: str | None = None
    name: str | None = None
    status: Status | None = None
    tokenService: TokenService | None = None
    resourcesToAllow: list[dict[str, Any]] | None = None
    IPAddressesToAllow: list[str] | None = None
    allowedCorsDomains: list[str] | None = None


class ApplicationBody(Application):
    """An application as a write body (required fields enforced)."""

    name: str
    status: Status
    tokenService: TokenService
    resourcesToAllow: list[dict[str, Any]]
    IPAddressesToAllow: list[str]


class ApiAccess(OFSModel):
    """One API in an application's API access list."""

    label: str | None = None
    name: str | None = None
    status: Status | None = None


class ApiEntity(OFSModel):
    """An entity the application may reach through an API, and how."""

    label: str | None = None
    name: str | None = None
    access: OpenEnum[Literal["ReadOnly", "ReadWrite", "Hidden"]] | None = None
    accessRights: Any = None


class ApiMethod(OFSModel):
    """A method of the capacity API, switched ``on`` or ``off`` for the application."""

    label: str | None = None
    status: OpenEnum[Literal["on", "off"]] | None = None


class ApiAccessConfiguration(ApiAccess):
    """An application's access to one API.  Which members come depends on the API: core,
    metadata, statistics and collaboration answer ``apiEntities``, capacity answers
    ``apiMethods``, and only the inbound API has ``activityFields`` and the other field
    lists."""

    apiMethods: list[ApiMethod] | None = None
    apiEntities: list[ApiEntity] | None = None
    activityFields: list[dict[str, Any]] | None = None
    inventoryFields: list[dict[str, Any]] | None = None
    providerFields: list[dict[str, Any]] | None = None
    userFields: list[dict[str, Any]] | None = None
    requestFields: list[dict[str, Any]] | None = None


class ClientSecret(OFSModel):
    """The new client secret (``clientSecret``) of an application, from ``generateClientSecret``."""

    clientSecret: str | None = None

    def __repr__(self) -> str:  # never show the secret by accident
        return "ClientSecret(clientSecret='****')"

    __str__ = __repr__


# -- routing profiles -----------------------------------------------------------------------


class RoutingProfile(OFSModel):
    """A routing profile as live tenants list it (the spec lists bare label strings)."""

    profileLabel: str | None = None


class RoutingPlan(OFSModel):
    """A routing plan of a profile as live tenants list it (the spec: bare label strings)."""

    planLabel: str | None = None


RoutingProfileItem = str | RoutingProfile
"""An item of ``GET routingProfiles``: a label (spec) or a :class:`RoutingProfile` (live)."""

RoutingPlanItem = str | RoutingPlan
"""An item of ``GET routingProfiles/{p}/plans``: a label (spec) or a :class:`RoutingPlan`."""


def routing_label(item: RoutingProfileItem | RoutingPlanItem) -> str | None:
    """Returns the label of the routing profile or plan ``item``, whichever shape it came in (a
    label string or an object); ``None`` when an object has none.
    """
    if isinstance(item, str):
        return item
    if isinstance(item, RoutingProfile):
        return item.profileLabel
    return item.planLabel
