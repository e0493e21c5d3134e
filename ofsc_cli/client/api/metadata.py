"""Metadata API operations (``/rest/ofscMetadata``): every operation of the family, once.

Naming follows the client convention: ``list_x``, ``get_x``, ``create_x`` (POST),
``replace_x`` (PUT, which for most configuration objects creates or replaces), ``update_x``
(PATCH), ``delete_x``, and custom actions by their API name.  Collection-wide writes are
``replace_work_zones``/``update_work_zones`` (PUT/PATCH on ``workZones``) and
``replace_work_skill_conditions``.  Bodies are models or plain dicts; they are sent as given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from ofsc_cli.client._endpoint import Args, Namespace, NoContent, PageOf, X, endpoint, paged
from ofsc_cli.models import dump
from ofsc_cli.models.refs import LazyModels

if TYPE_CHECKING:
    from ofsc_cli.models import metadata as m
    from ofsc_cli.models.metadata import (
        ActivityType,
        ActivityTypeGroup,
        ApiAccessConfiguration,
        Application,
        CapacityCategory,
        EnumerationValue,
        Form,
        InventoryType,
        LinkTemplate,
        MapLayer,
        Property,
        RoutingPlanItem,
        RoutingProfileItem,
        Shift,
        WorkSkill,
        WorkSkillCondition,
        WorkSkillGroup,
        WorkZone,
    )
else:  # the models are named, and imported when an operation's response type is first read
    m = LazyModels("ofsc_cli.models.metadata")

__all__ = ["Metadata"]

V1 = "/rest/ofscMetadata/v1"
V2 = "/rest/ofscMetadata/v2"


# Routing profiles and plans are listed as label strings (spec) or objects (live tenants):
# the items are a union, which the declarations take as the type of either member.
_PROFILE_ITEM = cast("type[RoutingProfileItem]", m.RoutingProfileItem)
_PLAN_ITEM = cast("type[RoutingPlanItem]", m.RoutingPlanItem)


def _label(label: str) -> dict[str, str | int]:
    return {"label": label}


def _items(objects: Iterable[Any]) -> dict[str, Any]:
    """The ``{"items": [...]}`` body of a collection-wide write (models dumped as sent)."""
    return {"items": [dump(o) for o in objects]}


def _page(offset: int | None, limit: int | None, **more: Any) -> dict[str, Any]:
    return {"offset": offset, "limit": limit, **more}


class Metadata(Namespace[X]):
    """The Metadata API (``client.metadata``): every configuration object of the instance."""

    namespace = "metadata"

    # -- activity type groups -----------------------------------------------------------

    @paged("GET", f"{V1}/activityTypeGroups", item=m.ActivityTypeGroup)
    def list_activity_type_groups(
        self, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """Activity type groups, one page (``.iter()`` for all)."""
        return Args(query=_page(offset, limit))

    @endpoint("GET", f"{V1}/activityTypeGroups/{{label}}", response=m.ActivityTypeGroup)
    def get_activity_type_group(self, label: str) -> Args:
        """One activity type group."""
        return Args(path=_label(label))

    @endpoint("PUT", f"{V1}/activityTypeGroups/{{label}}", response=m.ActivityTypeGroup)
    def replace_activity_type_group(
        self, label: str, body: ActivityTypeGroup | dict[str, Any]
    ) -> Args:
        """Create or replace an activity type group."""
        return Args(path=_label(label), json=body)

    # -- activity types -----------------------------------------------------------------

    @paged("GET", f"{V1}/activityTypes", item=m.ActivityType)
    def list_activity_types(
        self, *, offset: int | None = None, limit: int | None = None, language: str | None = None
    ) -> Args:
        """Activity types, one page (``language`` gives translated names only)."""
        return Args(query=_page(offset, limit, language=language))

    @endpoint("GET", f"{V1}/activityTypes/{{label}}", response=m.ActivityType)
    def get_activity_type(self, label: str) -> Args:
        """One activity type."""
        return Args(path=_label(label))

    @endpoint("PUT", f"{V1}/activityTypes/{{label}}", response=m.ActivityType)
    def replace_activity_type(self, label: str, body: ActivityType | dict[str, Any]) -> Args:
        """Create or replace an activity type (its group must exist)."""
        return Args(path=_label(label), json=body)

    # -- applications -------------------------------------------------------------------

    @paged("GET", f"{V1}/applications", item=m.Application)
    def list_applications(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Applications (API clients), one page."""
        return Args(query=_page(offset, limit))

    @endpoint("GET", f"{V1}/applications/{{label}}", response=m.Application)
    def get_application(self, label: str) -> Args:
        """One application."""
        return Args(path=_label(label))

    @endpoint("PUT", f"{V1}/applications/{{label}}", response=m.Application)
    def replace_application(self, label: str, body: Application | dict[str, Any]) -> Args:
        """Create or replace an application."""
        return Args(path=_label(label), json=body)

    @endpoint("GET", f"{V1}/applications/{{label}}/apiAccess", response=PageOf(m.ApiAccess))
    def list_application_api_access(self, label: str) -> Args:
        """The APIs an application may use (every item, no paging)."""
        return Args(path=_label(label))

    @endpoint(
        "GET",
        f"{V1}/applications/{{label}}/apiAccess/{{apiLabel}}",
        response=m.ApiAccessConfiguration,
    )
    def get_application_api_access(self, label: str, api_label: str) -> Args:
        """An application's access to one API."""
        return Args(path={"label": label, "apiLabel": api_label})

    @endpoint(
        "PATCH",
        f"{V1}/applications/{{label}}/apiAccess/{{apiLabel}}",
        response=m.ApiAccessConfiguration,
    )
    def update_application_api_access(
        self, label: str, api_label: str, body: ApiAccessConfiguration | dict[str, Any]
    ) -> Args:
        """Change an application's access to one API (only the fields sent)."""
        return Args(path={"label": label, "apiLabel": api_label}, json=body)

    @endpoint(
        "POST",
        f"{V1}/applications/{{label}}/custom-actions/generateClientSecret",
        response=m.ClientSecret,
    )
    def generate_client_secret(self, label: str) -> Args:
        """Rotate an application's client secret; the old one stops working."""
        return Args(path=_label(label))

    # -- capacity areas -----------------------------------------------------------------

    @endpoint("GET", f"{V1}/capacityAreas", response=PageOf(m.CapacityArea))
    def list_capacity_areas(
        self,
        *,
        status: str | None = None,
        fields: list[str] | None = None,
        expand: str | None = None,
        type: str | None = None,
    ) -> Args:
        """Every capacity area (no paging); filter by ``status`` and ``type``."""
        return Args(query={"status": status, "fields": fields, "expand": expand, "type": type})

    @endpoint("GET", f"{V1}/capacityAreas/{{label}}", response=m.CapacityArea)
    def get_capacity_area(self, label: str) -> Args:
        """One capacity area with its configuration."""
        return Args(path=_label(label))

    @endpoint(
        "GET",
        f"{V1}/capacityAreas/{{label}}/children",
        response=PageOf(m.CapacityArea),
    )
    def list_capacity_area_children(
        self,
        label: str,
        *,
        status: str | None = None,
        fields: list[str] | None = None,
        expand: str | None = None,
        type: str | None = None,
    ) -> Args:
        """The capacity areas under one area."""
        query = {"status": status, "fields": fields, "expand": expand, "type": type}
        return Args(path=_label(label), query=query)

    @endpoint(
        "GET",
        f"{V1}/capacityAreas/{{label}}/capacityCategories",
        response=PageOf(m.AreaCapacityCategory),
    )
    def list_capacity_area_capacity_categories(self, label: str) -> Args:
        """The capacity categories of one area."""
        return Args(path=_label(label))

    @endpoint(
        "GET", f"{V1}/capacityAreas/{{label}}/organizations", response=PageOf(m.AreaOrganization)
    )
    def list_capacity_area_organizations(self, label: str) -> Args:
        """The organizations of one area."""
        return Args(path=_label(label))

    @endpoint(
        "GET", f"{V1}/capacityAreas/{{label}}/timeIntervals", response=PageOf(m.AreaTimeInterval)
    )
    def list_capacity_area_time_intervals(self, label: str) -> Args:
        """The time intervals of one area."""
        return Args(path=_label(label))

    @endpoint("GET", f"{V1}/capacityAreas/{{label}}/timeSlots", response=PageOf(m.AreaTimeSlot))
    def list_capacity_area_time_slots(self, label: str) -> Args:
        """The time slots of one area."""
        return Args(path=_label(label))

    @endpoint("GET", f"{V2}/capacityAreas/{{label}}/workZones", response=PageOf(m.AreaWorkZone))
    def list_capacity_area_work_zones(self, label: str) -> Args:
        """The work zones of one area, with names (v2)."""
        return Args(path=_label(label))

    @endpoint("GET", f"{V1}/capacityAreas/{{label}}/workZones", response=PageOf(m.AreaWorkZoneV1))
    def list_capacity_area_work_zones_v1(self, label: str) -> Args:
        """The work zones of one area, labels only (v1)."""
        return Args(path=_label(label))

    # -- capacity categories ------------------------------------------------------------

    @paged("GET", f"{V1}/capacityCategories", item=m.CapacityCategory)
    def list_capacity_categories(
        self, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """Capacity categories, one page."""
        return Args(query=_page(offset, limit))

    @endpoint("GET", f"{V1}/capacityCategories/{{label}}", response=m.CapacityCategory)
    def get_capacity_category(self, label: str) -> Args:
        """One capacity category."""
        return Args(path=_label(label))

    @endpoint("PUT", f"{V1}/capacityCategories/{{label}}", response=m.CapacityCategory)
    def replace_capacity_category(
        self, label: str, body: CapacityCategory | dict[str, Any]
    ) -> Args:
        """Create or replace a capacity category."""
        return Args(path=_label(label), json=body)

    @endpoint("DELETE", f"{V1}/capacityCategories/{{label}}", response=NoContent)
    def delete_capacity_category(self, label: str) -> Args:
        """Delete a capacity category."""
        return Args(path=_label(label))

    # -- forms --------------------------------------------------------------------------

    @paged("GET", f"{V1}/forms", item=m.Form)
    def list_forms(
        self, *, offset: int | None = None, limit: int | None = None, language: str | None = None
    ) -> Args:
        """Forms, one page."""
        return Args(query=_page(offset, limit, language=language))

    @endpoint("GET", f"{V1}/forms/{{label}}", response=m.Form)
    def get_form(self, label: str, *, language: str | None = None) -> Args:
        """One form with its content."""
        return Args(path=_label(label), query={"language": language})

    @endpoint("PUT", f"{V1}/forms/{{label}}", response=m.Form)
    def replace_form(self, label: str, body: Form | dict[str, Any]) -> Args:
        """Create or replace a form."""
        return Args(path=_label(label), json=body)

    @endpoint("DELETE", f"{V1}/forms/{{label}}", response=NoContent)
    def delete_form(self, label: str) -> Args:
        """Delete a form."""
        return Args(path=_label(label))

    # -- inventory types ----------------------------------------------------------------

    @paged("GET", f"{V1}/inventoryTypes", item=m.InventoryType)
    def list_inventory_types(
        self, *, offset: int | None = None, limit: int | None = None, language: str | None = None
    ) -> Args:
        """Inventory types, one page."""
        return Args(query=_page(offset, limit, language=language))

    @endpoint("GET", f"{V1}/inventoryTypes/{{label}}", response=m.InventoryType)
    def get_inventory_type(self, label: str, *, language: str | None = None) -> Args:
        """One inventory type."""
        return Args(path=_label(label), query={"language": language})

    @endpoint("PUT", f"{V1}/inventoryTypes/{{label}}", response=m.InventoryType)
    def replace_inventory_type(self, label: str, body: InventoryType | dict[str, Any]) -> Args:
        """Create or replace an inventory type."""
        return Args(path=_label(label), json=body)

    # -- languages, non-working reasons, resource types, time slots ---------------------

    @paged("GET", f"{V1}/languages", item=m.Language)
    def list_languages(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Languages, one page."""
        return Args(query=_page(offset, limit))

    @paged("GET", f"{V1}/nonWorkingReasons", item=m.NonWorkingReason)
    def list_non_working_reasons(
        self, *, offset: int | None = None, limit: int | None = None, language: str | None = None
    ) -> Args:
        """Non-working reasons, one page."""
        return Args(query=_page(offset, limit, language=language))

    @paged("GET", f"{V1}/resourceTypes", item=m.ResourceType)
    def list_resource_types(
        self, *, offset: int | None = None, limit: int | None = None, language: str | None = None
    ) -> Args:
        """Resource types, one page."""
        return Args(query=_page(offset, limit, language=language))

    @paged("GET", f"{V1}/timeSlots", item=m.TimeSlot)
    def list_time_slots(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Time slots, one page."""
        return Args(query=_page(offset, limit))

    # -- link templates -----------------------------------------------------------------

    @paged("GET", f"{V1}/linkTemplates", item=m.LinkTemplate)
    def list_link_templates(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Link templates, one page."""
        return Args(query=_page(offset, limit))

    @endpoint("GET", f"{V1}/linkTemplates/{{label}}", response=m.LinkTemplate)
    def get_link_template(self, label: str) -> Args:
        """One link template."""
        return Args(path=_label(label))

    @endpoint("POST", f"{V1}/linkTemplates/{{label}}", response=m.LinkTemplate)
    def create_link_template(self, label: str, body: LinkTemplate | dict[str, Any]) -> Args:
        """Create a link template (there is no PUT: change one with ``update``)."""
        return Args(path=_label(label), json=body)

    @endpoint("PATCH", f"{V1}/linkTemplates/{{label}}", response=m.LinkTemplate)
    def update_link_template(self, label: str, body: LinkTemplate | dict[str, Any]) -> Args:
        """Change the fields sent of a link template."""
        return Args(path=_label(label), json=body)

    # -- map layers ---------------------------------------------------------------------

    @endpoint("GET", f"{V1}/mapLayers", response=PageOf(m.MapLayer))
    def list_map_layers(self) -> Args:
        """Every custom map layer (no paging)."""
        return Args()

    @endpoint("POST", f"{V1}/mapLayers", response=m.MapLayer)
    def create_map_layer(self, body: MapLayer | dict[str, Any]) -> Args:
        """Create a custom map layer."""
        return Args(json=body)

    @endpoint("GET", f"{V1}/mapLayers/{{label}}", response=m.MapLayer)
    def get_map_layer(self, label: str) -> Args:
        """One custom map layer."""
        return Args(path=_label(label))

    @endpoint("PUT", f"{V1}/mapLayers/{{label}}", response=m.MapLayer)
    def replace_map_layer(self, label: str, body: MapLayer | dict[str, Any]) -> Args:
        """Replace a custom map layer."""
        return Args(path=_label(label), json=body)

    @endpoint("POST", f"{V1}/mapLayers/custom-actions/populateLayers", response=m.DownloadStatus)
    def populate_layers(self, body: dict[str, Any] | Any) -> Args:
        """Start downloading map layer shapes from a URL; poll with the ``downloadId``."""
        return Args(json=body)

    @endpoint(
        "GET",
        f"{V1}/mapLayers/custom-actions/populateLayers/{{downloadId}}",
        response=m.DownloadStatus,
    )
    def get_populate_layers_status(self, download_id: int | str) -> Args:
        """State of a map layer download."""
        return Args(path={"downloadId": download_id})

    # -- organizations ------------------------------------------------------------------

    @endpoint("GET", f"{V1}/organizations", response=PageOf(m.Organization))
    def list_organizations(self) -> Args:
        """Every organization (no paging)."""
        return Args()

    @endpoint("GET", f"{V1}/organizations/{{label}}", response=m.Organization)
    def get_organization(self, label: str) -> Args:
        """One organization."""
        return Args(path=_label(label))

    # -- plugins ------------------------------------------------------------------------

    @endpoint("POST", f"{V1}/plugins/custom-actions/import", response=NoContent)
    def import_plugin(self, content: bytes, *, filename: str = "plugin.xml") -> Args:
        """Import plugins from a plugin XML file (multipart, field ``pluginFile``)."""
        return Args(files={"pluginFile": (filename, content, "text/xml")})

    @endpoint("POST", f"{V1}/plugins/{{pluginLabel}}/custom-actions/install", response=NoContent)
    def install_plugin(self, label: str) -> Args:
        """Install a standard plugin by label."""
        return Args(path={"pluginLabel": label})

    # -- properties ---------------------------------------------------------------------

    @paged(
        "GET",
        f"{V1}/properties",
        item=m.Property,
    )
    def list_properties(
        self,
        *,
        offset: int | None = None,
        limit: int | None = None,
        type: str | None = None,
        entity: str | None = None,
        language: str | None = None,
    ) -> Args:
        """Properties, one page; filter by ``type`` and ``entity``."""
        query = _page(offset, limit, type=type, entity=entity, language=language)
        return Args(query=query)

    @endpoint("GET", f"{V1}/properties/{{label}}", response=m.Property)
    def get_property(self, label: str, *, language: str | None = None) -> Args:
        """One property."""
        return Args(path=_label(label), query={"language": language})

    @endpoint("PUT", f"{V1}/properties/{{label}}", response=m.Property)
    def replace_property(self, label: str, body: Property | dict[str, Any]) -> Args:
        """Create or replace a property."""
        return Args(path=_label(label), json=body)

    @endpoint("PATCH", f"{V1}/properties/{{label}}", response=m.Property)
    def update_property(self, label: str, body: Property | dict[str, Any]) -> Args:
        """Change the fields sent of a property."""
        return Args(path=_label(label), json=body)

    @paged("GET", f"{V1}/properties/{{label}}/enumerationList", item=m.EnumerationValue)
    def list_enumeration_values(
        self,
        label: str,
        *,
        offset: int | None = None,
        limit: int | None = None,
        language: str | None = None,
    ) -> Args:
        """The values of an enumeration property, one page."""
        return Args(path=_label(label), query=_page(offset, limit, language=language))

    @endpoint(
        "PUT", f"{V1}/properties/{{label}}/enumerationList", response=PageOf(m.EnumerationValue)
    )
    def replace_enumeration_values(
        self, label: str, values: list[EnumerationValue] | list[dict[str, Any]]
    ) -> Args:
        """Set the values of an enumeration property (values are never deleted: send them
        all, inactive ones with ``active: false``)."""
        return Args(path=_label(label), json=_items(values))

    # -- routing profiles ---------------------------------------------------------------

    @paged("GET", f"{V1}/routingProfiles", item=_PROFILE_ITEM)
    def list_routing_profiles(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Routing profiles, one page: label strings, or :class:`RoutingProfile` objects from
        tenants that answer so (``routing_label(item)`` reads either)."""
        return Args(query=_page(offset, limit))

    @paged("GET", f"{V1}/routingProfiles/{{profileLabel}}/plans", item=_PLAN_ITEM)
    def list_routing_plans(
        self, profile: str, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """The routing plans of a profile, one page: label strings, or :class:`RoutingPlan`
        objects from tenants that answer so."""
        return Args(path={"profileLabel": profile}, query=_page(offset, limit))

    @endpoint(
        "GET",
        f"{V1}/routingProfiles/{{profileLabel}}/plans/{{planLabel}}/custom-actions/export",
        response=bytes,
    )
    def export_routing_plan(self, profile: str, plan: str) -> Args:
        """A routing plan as a file (bytes to keep and import elsewhere)."""
        return Args(
            path={"profileLabel": profile, "planLabel": plan},
            headers={"Accept": "application/octet-stream"},
        )

    @endpoint(
        "PUT",
        f"{V1}/routingProfiles/{{profileLabel}}/plans/custom-actions/import",
        response=dict,
    )
    def import_routing_plan(self, profile: str, content: bytes) -> Args:
        """Import an exported routing plan; fails (409) if its label exists."""
        return Args(
            path={"profileLabel": profile},
            content=content,
            headers={"Content-Type": "application/octet-stream"},
        )

    @endpoint(
        "PUT",
        f"{V1}/routingProfiles/{{profileLabel}}/plans/custom-actions/forceImport",
        response=dict,
    )
    def force_import_routing_plan(self, profile: str, content: bytes) -> Args:
        """Import an exported routing plan, overwriting one with the same label."""
        return Args(
            path={"profileLabel": profile},
            content=content,
            headers={"Content-Type": "application/octet-stream"},
        )

    @endpoint(
        "POST",
        f"{V1}/routingProfiles/{{profileLabel}}/plans/{{planLabel}}/{{resourceExternalId}}"
        "/{date}/custom-actions/start",
        response=dict,
    )
    def start_routing_plan(
        self, profile: str, plan: str, resource_id: str, date: dt.date | str
    ) -> Args:
        """Run a routing plan for a bucket (``resource_id``) on ``date``."""
        return Args(
            path={
                "profileLabel": profile,
                "planLabel": plan,
                "resourceExternalId": resource_id,
                "date": date if isinstance(date, str) else date.isoformat(),
            }
        )

    # -- shifts -------------------------------------------------------------------------

    @paged("GET", f"{V1}/shifts", item=m.Shift)
    def list_shifts(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Shifts, one page."""
        return Args(query=_page(offset, limit))

    @endpoint("GET", f"{V1}/shifts/{{label}}", response=m.Shift)
    def get_shift(self, label: str) -> Args:
        """One shift."""
        return Args(path=_label(label))

    @endpoint("PUT", f"{V1}/shifts/{{label}}", response=m.Shift)
    def replace_shift(self, label: str, body: Shift | dict[str, Any]) -> Args:
        """Create or replace a shift."""
        return Args(path=_label(label), json=body)

    @endpoint("DELETE", f"{V1}/shifts/{{label}}", response=NoContent)
    def delete_shift(self, label: str) -> Args:
        """Delete a shift."""
        return Args(path=_label(label))

    # -- work skills, groups, conditions ------------------------------------------------

    @paged("GET", f"{V1}/workSkills", item=m.WorkSkill)
    def list_work_skills(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Work skills, one page."""
        return Args(query=_page(offset, limit))

    @endpoint("GET", f"{V1}/workSkills/{{label}}", response=m.WorkSkill)
    def get_work_skill(self, label: str) -> Args:
        """One work skill."""
        return Args(path=_label(label))

    @endpoint("PUT", f"{V1}/workSkills/{{label}}", response=m.WorkSkill)
    def replace_work_skill(self, label: str, body: WorkSkill | dict[str, Any]) -> Args:
        """Create or replace a work skill."""
        return Args(path=_label(label), json=body)

    @endpoint("DELETE", f"{V1}/workSkills/{{label}}", response=NoContent)
    def delete_work_skill(self, label: str) -> Args:
        """Delete a work skill."""
        return Args(path=_label(label))

    @paged("GET", f"{V1}/workSkillGroups", item=m.WorkSkillGroup)
    def list_work_skill_groups(
        self, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """Work skill groups, one page."""
        return Args(query=_page(offset, limit))

    @endpoint("GET", f"{V1}/workSkillGroups/{{label}}", response=m.WorkSkillGroup)
    def get_work_skill_group(self, label: str) -> Args:
        """One work skill group."""
        return Args(path=_label(label))

    @endpoint("PUT", f"{V1}/workSkillGroups/{{label}}", response=m.WorkSkillGroup)
    def replace_work_skill_group(self, label: str, body: WorkSkillGroup | dict[str, Any]) -> Args:
        """Create or replace a work skill group (its skills must exist)."""
        return Args(path=_label(label), json=body)

    @endpoint("DELETE", f"{V1}/workSkillGroups/{{label}}", response=NoContent)
    def delete_work_skill_group(self, label: str) -> Args:
        """Delete a work skill group."""
        return Args(path=_label(label))

    @endpoint("GET", f"{V1}/workSkillConditions", response=PageOf(m.WorkSkillCondition))
    def list_work_skill_conditions(self) -> Args:
        """Every work skill condition (no paging)."""
        return Args()

    @endpoint("PUT", f"{V1}/workSkillConditions", response=PageOf(m.WorkSkillCondition))
    def replace_work_skill_conditions(
        self, conditions: list[WorkSkillCondition] | list[dict[str, Any]]
    ) -> Args:
        """Replace every work skill condition: conditions not sent are deleted."""
        return Args(json=_items(conditions))

    # -- work zones ---------------------------------------------------------------------

    @endpoint("GET", f"{V1}/workZoneKey", response=m.WorkZoneKey)
    def get_work_zone_key(self) -> Args:
        """The work zone key (current and pending)."""
        return Args()

    @paged("GET", f"{V1}/workZones", item=m.WorkZone)
    def list_work_zones(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Work zones, one page (``.iter()`` for all)."""
        return Args(query=_page(offset, limit))

    @endpoint("GET", f"{V1}/workZones/{{label}}", response=m.WorkZone)
    def get_work_zone(self, label: str) -> Args:
        """One work zone by label."""
        return Args(path=_label(label))

    @endpoint("POST", f"{V1}/workZones", response=m.WorkZone)
    def create_work_zone(
        self, body: WorkZone | dict[str, Any], *, auto_resolve_conflicts: bool | None = None
    ) -> Args:
        """Create a work zone (``auto_resolve_conflicts`` takes its keys from other zones)."""
        return Args(json=body, query={"autoResolveConflicts": auto_resolve_conflicts})

    @endpoint("PUT", f"{V1}/workZones/{{label}}", response=NoContent)
    def replace_work_zone(
        self,
        label: str,
        body: WorkZone | dict[str, Any],
        *,
        auto_resolve_conflicts: bool | None = None,
    ) -> Args:
        """Create or replace one work zone (answers 204)."""
        return Args(
            path=_label(label), json=body, query={"autoResolveConflicts": auto_resolve_conflicts}
        )

    @endpoint("PUT", f"{V1}/workZones", response=NoContent)
    def replace_work_zones(self, zones: list[WorkZone] | list[dict[str, Any]]) -> Args:
        """Replace every work zone: zones not sent are deactivated."""
        return Args(json=_items(zones))

    @endpoint("PATCH", f"{V1}/workZones", response=NoContent)
    def update_work_zones(self, zones: list[WorkZone] | list[dict[str, Any]]) -> Args:
        """Create or update the work zones sent; others are left alone."""
        return Args(json=_items(zones))

    @endpoint("POST", f"{V1}/workZones/custom-actions/populateShapes", response=m.DownloadStatus)
    def populate_shapes(self, body: dict[str, Any] | Any) -> Args:
        """Start downloading work zone shapes from a URL; poll with the ``downloadId``."""
        return Args(json=body)

    @endpoint(
        "GET",
        f"{V1}/workZones/custom-actions/populateShapes/{{downloadId}}",
        response=m.DownloadStatus,
    )
    def get_populate_shapes_status(self, download_id: int | str) -> Args:
        """State of a work zone shapes download."""
        return Args(path={"downloadId": download_id})
