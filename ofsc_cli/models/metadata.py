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

The models are defined in :mod:`ofsc_cli.models._metadata`, one module per kind of object,
and each module is imported when one of its names is first read here: a command that lists
work zones builds the work zone models only, not those of every other kind of object.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ofsc_cli.models._metadata._common import (
        DownloadStatus,
    )
    from ofsc_cli.models._metadata.activity_types import (
        ActivityType,
        ActivityTypeBody,
        ActivityTypeGroup,
    )
    from ofsc_cli.models._metadata.applications import (
        ApiAccess,
        ApiAccessConfiguration,
        ApiEntity,
        ApiMethod,
        Application,
        ApplicationBody,
        ClientSecret,
    )
    from ofsc_cli.models._metadata.capacity import (
        AreaCapacityCategory,
        AreaOrganization,
        AreaTimeInterval,
        AreaTimeSlot,
        AreaWorkZone,
        AreaWorkZoneV1,
        CapacityArea,
        CapacityCategory,
        CapacityCategoryBody,
        TimeSlot,
    )
    from ofsc_cli.models._metadata.links_and_layers import (
        LinkTemplate,
        LinkTemplateBody,
        MapLayer,
        MapLayerBody,
        PopulateLayersRequest,
    )
    from ofsc_cli.models._metadata.lists import (
        Language,
        NonWorkingReason,
        Organization,
        ResourceType,
        Shift,
        ShiftBody,
    )
    from ofsc_cli.models._metadata.properties import (
        EnumerationValue,
        EnumerationValueBody,
        Form,
        FormBody,
        InventoryType,
        InventoryTypeBody,
        Property,
    )
    from ofsc_cli.models._metadata.routing import (
        RoutingPlan,
        RoutingPlanItem,
        RoutingProfile,
        RoutingProfileItem,
        routing_label,
    )
    from ofsc_cli.models._metadata.work_skills import (
        CategorySkill,
        WorkSkill,
        WorkSkillBody,
        WorkSkillCondition,
        WorkSkillConditions,
        WorkSkillGroup,
        WorkSkillGroupBody,
    )
    from ofsc_cli.models._metadata.work_zones import (
        PopulateShapesRequest,
        WorkZone,
        WorkZoneBody,
        WorkZoneKey,
        WorkZoneKeyElement,
        WorkZones,
    )

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

_HOMES: dict[str, str] = {
    "ActivityType": "activity_types",
    "ActivityTypeBody": "activity_types",
    "ActivityTypeGroup": "activity_types",
    "ApiAccess": "applications",
    "ApiAccessConfiguration": "applications",
    "ApiEntity": "applications",
    "ApiMethod": "applications",
    "Application": "applications",
    "ApplicationBody": "applications",
    "AreaCapacityCategory": "capacity",
    "AreaOrganization": "capacity",
    "AreaTimeInterval": "capacity",
    "AreaTimeSlot": "capacity",
    "AreaWorkZone": "capacity",
    "AreaWorkZoneV1": "capacity",
    "CapacityArea": "capacity",
    "CapacityCategory": "capacity",
    "CapacityCategoryBody": "capacity",
    "CategorySkill": "work_skills",
    "ClientSecret": "applications",
    "DownloadStatus": "_common",
    "EnumerationValue": "properties",
    "EnumerationValueBody": "properties",
    "Form": "properties",
    "FormBody": "properties",
    "InventoryType": "properties",
    "InventoryTypeBody": "properties",
    "Language": "lists",
    "LinkTemplate": "links_and_layers",
    "LinkTemplateBody": "links_and_layers",
    "MapLayer": "links_and_layers",
    "MapLayerBody": "links_and_layers",
    "NonWorkingReason": "lists",
    "Organization": "lists",
    "PopulateLayersRequest": "links_and_layers",
    "PopulateShapesRequest": "work_zones",
    "Property": "properties",
    "ResourceType": "lists",
    "RoutingPlan": "routing",
    "RoutingPlanItem": "routing",
    "RoutingProfile": "routing",
    "RoutingProfileItem": "routing",
    "Shift": "lists",
    "ShiftBody": "lists",
    "TimeSlot": "capacity",
    "WorkSkill": "work_skills",
    "WorkSkillBody": "work_skills",
    "WorkSkillCondition": "work_skills",
    "WorkSkillConditions": "work_skills",
    "WorkSkillGroup": "work_skills",
    "WorkSkillGroupBody": "work_skills",
    "WorkZone": "work_zones",
    "WorkZoneBody": "work_zones",
    "WorkZoneKey": "work_zones",
    "WorkZoneKeyElement": "work_zones",
    "WorkZones": "work_zones",
    "routing_label": "routing",
}
"""Each name of :data:`__all__` -> the module of :mod:`ofsc_cli.models._metadata` defining it."""


def __getattr__(name: str) -> Any:
    """The model (or helper) ``name``, imported from its module on first use (then kept here).

    Raises :class:`AttributeError` for a name this module does not export.
    """
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ofsc_cli.models._metadata.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Every exported name, imported or not."""
    return sorted({*globals(), *__all__})
