"""Core API operations on resources, users, inventories and calendars (``/rest/ofscCore``).

Part of the ``core`` namespace (``client.core``; see :mod:`ofsc_cli.client.api.core`).
Bodies are accepted as models or plain dicts; dates as ``datetime.date`` or ``YYYY-MM-DD``
strings; lists (``expand``, ``fields``, ``resources``) as Python sequences (sent as CSV).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ofsc_cli.client._endpoint import Args, Namespace, NoContent, X, endpoint, paged
from ofsc_cli.models import OFSModel
from ofsc_cli.models.resources import (
    AssignedLocationsWeek,
    BulkInventoriesResponse,
    BulkResourcesResponse,
    CalendarDay,
    CollaborationGroups,
    FindMatchingResourcesResponse,
    FindNearbyActivitiesResponse,
    Inventory,
    LastKnownPosition,
    Plans,
    Resource,
    ResourceInArea,
    ResourceLocation,
    ResourceLocations,
    ResourcePositions,
    ResourceUser,
    ResourceUsers,
    ResourceWorkZones,
    SetPositionsResponse,
    UrgentAssignmentResponse,
    User,
    WorkScheduleCalendarView,
    WorkSchedules,
    WorkSkills,
)

__all__ = ["CoreResources", "file_download", "file_upload"]

V1 = "/rest/ofscCore/v1"
RES = f"{V1}/resources/{{resourceId}}"
USER = f"{V1}/users/{{login}}"
INV = f"{V1}/inventories/{{inventoryId}}"

Body = OFSModel | Mapping[str, Any]
"""A request body: a model or the JSON object as a dict."""
Day = date | str
"""A date: ``datetime.date`` or ``YYYY-MM-DD``."""


def _tree_query(
    offset: int | None,
    limit: int | None,
    can_be_team_holder: bool | None,
    can_participate_in_team: bool | None,
    expand: Sequence[str] | None,
    fields: Sequence[str] | None,
) -> dict[str, Any]:
    return {
        "offset": offset,
        "limit": limit,
        "canBeTeamHolder": can_be_team_holder,
        "canParticipateInTeam": can_participate_in_team,
        "expand": expand,
        "fields": fields,
    }


def file_download(path: Mapping[str, str | int], accept: str | None) -> Args:
    """Returns the :class:`Args` of a file-property GET at ``path``: the bytes in ``accept``
    (default: any type).
    """
    return Args(path=path, headers={"Accept": accept or "application/octet-stream"})


def file_upload(
    path: Mapping[str, str | int], content: bytes, media_type: str, filename: str | None
) -> Args:
    """Returns the :class:`Args` of a file-property PUT at ``path``: the raw ``content`` with
    its ``media_type`` (and ``filename``, without quotes or line breaks).
    """
    headers = {"Content-Type": media_type}
    if filename:
        safe = filename.replace('"', "").replace("\r", "").replace("\n", "")
        headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    return Args(path=path, content=content, headers=headers)


class CoreResources(Namespace[X]):
    """The resource side of the Core API: resources, users, inventories, calendars, positions."""

    namespace = "core"

    # -- resources ------------------------------------------------------------------------

    @paged("GET", f"{V1}/resources", item=Resource)
    def list_resources(
        self,
        *,
        offset: int | None = None,
        limit: int | None = None,
        can_be_team_holder: bool | None = None,
        can_participate_in_team: bool | None = None,
        expand: Sequence[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> Args:
        """Resources, one page (``.iter()`` for all); ``fields`` limits what each holds."""
        return Args(
            query=_tree_query(
                offset, limit, can_be_team_holder, can_participate_in_team, expand, fields
            )
        )

    @endpoint("GET", RES, response=Resource)
    def get_resource(
        self,
        resource_id: str,
        *,
        expand: Sequence[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> Args:
        """One resource by external id."""
        return Args(path={"resourceId": resource_id}, query={"expand": expand, "fields": fields})

    @endpoint("PUT", RES, response=Resource)
    def replace_resource(self, resource_id: str, body: Resource | Mapping[str, Any]) -> Args:
        """Create a resource, or replace it whole (its properties are erased first)."""
        return Args(path={"resourceId": resource_id}, json=body)

    @endpoint("PATCH", RES, response=Resource)
    def update_resource(
        self,
        resource_id: str,
        body: Resource | Mapping[str, Any],
        *,
        identify_resource_by: str | None = None,
    ) -> Args:
        """Change the fields in ``body``; ``identify_resource_by="resourceInternalId"`` means
        ``resource_id`` is the internal id (needed to change the external id)."""
        return Args(
            path={"resourceId": resource_id},
            query={"identifyResourceBy": identify_resource_by},
            json=body,
        )

    @paged("GET", f"{RES}/children", item=Resource)
    def list_resource_children(
        self,
        resource_id: str,
        *,
        offset: int | None = None,
        limit: int | None = None,
        can_be_team_holder: bool | None = None,
        can_participate_in_team: bool | None = None,
        expand: Sequence[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> Args:
        """The direct children of a resource."""
        return Args(
            path={"resourceId": resource_id},
            query=_tree_query(
                offset, limit, can_be_team_holder, can_participate_in_team, expand, fields
            ),
        )

    @paged("GET", f"{RES}/descendants", item=Resource)
    def list_resource_descendants(
        self,
        resource_id: str,
        *,
        offset: int | None = None,
        limit: int | None = None,
        can_be_team_holder: bool | None = None,
        can_participate_in_team: bool | None = None,
        expand: Sequence[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> Args:
        """Every resource below a resource, depth first."""
        return Args(
            path={"resourceId": resource_id},
            query=_tree_query(
                offset, limit, can_be_team_holder, can_participate_in_team, expand, fields
            ),
        )

    @endpoint(
        "GET",
        f"{RES}/assistants",
        response=dict,
    )
    def get_resource_assistants(
        self,
        resource_id: str,
        *,
        date_from: Day,
        date_to: Day | None = None,
        resource_fields: Sequence[str] | None = None,
        expand: str | None = None,
    ) -> Args:
        """Resources assisting this one, and their activities (range ≤14 days)."""
        return Args(
            path={"resourceId": resource_id},
            query={
                "dateFrom": date_from,
                "dateTo": date_to,
                "resourceFields": resource_fields,
                "expand": expand,
            },
        )

    @endpoint(
        "GET",
        f"{RES}/findNearbyActivities",
        response=FindNearbyActivitiesResponse,
    )
    def find_nearby_activities(
        self,
        resource_id: str,
        *,
        latitude: float | None = None,
        longitude: float | None = None,
        fields: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> Args:
        """Activities near the resource (or near the given point)."""
        return Args(
            path={"resourceId": resource_id},
            query={"latitude": latitude, "longitude": longitude, "fields": fields, "limit": limit},
        )

    # -- resource inventories -------------------------------------------------------------

    @paged("GET", f"{RES}/inventories", item=Inventory)
    def list_resource_inventories(
        self, resource_id: str, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """The inventory pool of a resource."""
        return Args(path={"resourceId": resource_id}, query={"offset": offset, "limit": limit})

    @endpoint("POST", f"{RES}/inventories", response=Inventory)
    def create_resource_inventory(self, resource_id: str, body: Body) -> Args:
        """Add an inventory to a resource's pool."""
        return Args(path={"resourceId": resource_id}, json=body)

    @endpoint(
        "POST",
        f"{RES}/inventories/{{inventoryId}}/custom-actions/install",
        response=NoContent,
    )
    def install_resource_inventory(
        self, resource_id: str, inventory_id: int, body: Body | None = None
    ) -> Args:
        """Install an inventory of the resource's pool (``activityId``, ``quantity``)."""
        return Args(
            path={"resourceId": resource_id, "inventoryId": inventory_id},
            json=body if body is not None else {},
        )

    # -- locations ------------------------------------------------------------------------

    @endpoint("GET", f"{RES}/locations", response=ResourceLocations)
    def list_resource_locations(self, resource_id: str) -> Args:
        """A resource's named locations."""
        return Args(path={"resourceId": resource_id})

    @endpoint("POST", f"{RES}/locations", response=ResourceLocation)
    def create_resource_location(self, resource_id: str, body: Body) -> Args:
        """Add a location to a resource."""
        return Args(path={"resourceId": resource_id}, json=body)

    @endpoint("GET", f"{RES}/locations/{{locationId}}", response=ResourceLocation)
    def get_resource_location(self, resource_id: str, location_id: int) -> Args:
        """One location of a resource."""
        return Args(path={"resourceId": resource_id, "locationId": location_id})

    @endpoint("PATCH", f"{RES}/locations/{{locationId}}", response=ResourceLocation)
    def update_resource_location(self, resource_id: str, location_id: int, body: Body) -> Args:
        """Change the fields in ``body`` of one location."""
        return Args(path={"resourceId": resource_id, "locationId": location_id}, json=body)

    @endpoint("DELETE", f"{RES}/locations/{{locationId}}", response=NoContent)
    def delete_resource_location(self, resource_id: str, location_id: int) -> Args:
        """Remove one location."""
        return Args(path={"resourceId": resource_id, "locationId": location_id})

    @endpoint(
        "GET",
        f"{RES}/assignedLocations",
        response=AssignedLocationsWeek,
    )
    def get_assigned_locations(
        self, resource_id: str, *, date_from: Day | None = None, date_to: Day | None = None
    ) -> Args:
        """Start/end locations per weekday (span ≤32 days when dates are given)."""
        return Args(
            path={"resourceId": resource_id}, query={"dateFrom": date_from, "dateTo": date_to}
        )

    @endpoint("PUT", f"{RES}/assignedLocations", response=AssignedLocationsWeek)
    def set_assigned_locations(self, resource_id: str, body: Body) -> Args:
        """Replace the weekly assigned locations (weekdays left out lose theirs)."""
        return Args(path={"resourceId": resource_id}, json=body)

    @endpoint("PATCH", f"{RES}/assignedLocations", response=NoContent)
    def update_assigned_locations(self, resource_id: str, body: Body) -> Args:
        """Set temporary assigned locations for the dates in ``body``."""
        return Args(path={"resourceId": resource_id}, json=body)

    @endpoint("DELETE", f"{RES}/assignedLocations/{{date}}", response=NoContent)
    def delete_assigned_locations(self, resource_id: str, day: Day) -> Args:
        """Remove the assigned locations of one date (or weekday ``mon``…``sun``)."""
        return Args(path={"resourceId": resource_id, "date": str(day)})

    # -- plans, positions, routes ---------------------------------------------------------

    @endpoint("GET", f"{RES}/plans", response=Plans)
    def get_resource_plans(self, resource_id: str, *, date_from: Day, date_to: Day) -> Args:
        """Work plans of a resource in a date range."""
        return Args(
            path={"resourceId": resource_id}, query={"dateFrom": date_from, "dateTo": date_to}
        )

    @endpoint("POST", f"{RES}/plans", response=NoContent)
    def create_resource_plan(self, resource_id: str, body: Body) -> Args:
        """Set a plan value (``measure``, ``value``, ``date``)."""
        return Args(path={"resourceId": resource_id}, json=body)

    @endpoint("DELETE", f"{RES}/plans", response=NoContent)
    def delete_resource_plan(self, resource_id: str, *, measure: str, day: Day) -> Args:
        """Remove the plan of one measure on one date."""
        return Args(path={"resourceId": resource_id}, query={"measure": measure, "date": day})

    @endpoint("GET", f"{RES}/positionHistory", response=ResourcePositions)
    def get_position_history(self, resource_id: str, *, day: Day) -> Args:
        """Positions reported by a resource on one date."""
        return Args(path={"resourceId": resource_id}, query={"date": day})

    @paged(
        "GET",
        f"{RES}/routes/{{date}}",
        item=dict,
    )
    def get_route(
        self,
        resource_id: str,
        day: Day,
        *,
        activity_fields: Sequence[str] | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Args:
        """The activities of a resource's route on a date (or ``nonScheduled``/``multiday``);
        the page also carries ``routeStartTime``, ``routeEndTime``…"""
        return Args(
            path={"resourceId": resource_id, "date": str(day)},
            query={"activityFields": activity_fields, "offset": offset, "limit": limit},
        )

    @endpoint("POST", f"{RES}/routes/{{date}}/custom-actions/activate", response=NoContent)
    def activate_route(self, resource_id: str, day: Day, *, time: str | None = None) -> Args:
        """Start a resource's day (``time`` as ``YYYY-MM-DD HH:MM:SS``, default now)."""
        body = {"time": time} if time else {}
        return Args(path={"resourceId": resource_id, "date": str(day)}, json=body)

    @endpoint("POST", f"{RES}/routes/{{date}}/custom-actions/deactivate", response=NoContent)
    def deactivate_route(self, resource_id: str, day: Day, *, time: str | None = None) -> Args:
        """End a resource's day."""
        body = {"time": time} if time else {}
        return Args(path={"resourceId": resource_id, "date": str(day)}, json=body)

    # -- assigned users -------------------------------------------------------------------

    @paged("GET", f"{RES}/users", item=ResourceUser)
    def list_resource_users(
        self, resource_id: str, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """Users assigned to a resource."""
        return Args(path={"resourceId": resource_id}, query={"offset": offset, "limit": limit})

    @endpoint("PUT", f"{RES}/users", response=ResourceUsers)
    def set_resource_users(self, resource_id: str, body: Body) -> Args:
        """Replace the users assigned to a resource (``{"items": [{"login": …}]}``)."""
        return Args(path={"resourceId": resource_id}, json=body)

    @endpoint("DELETE", f"{RES}/users", response=NoContent)
    def delete_resource_users(self, resource_id: str) -> Args:
        """Unassign every user from a resource."""
        return Args(path={"resourceId": resource_id})

    # -- work schedules, skills, zones ----------------------------------------------------

    @endpoint("GET", f"{RES}/workSchedules", response=WorkSchedules)
    def list_resource_work_schedules(
        self, resource_id: str, *, actual_for_date: Day | None = None
    ) -> Args:
        """Work-schedule records of a resource (those in force on a date if given)."""
        return Args(path={"resourceId": resource_id}, query={"actualForDate": actual_for_date})

    @endpoint("POST", f"{RES}/workSchedules", response=WorkSchedules)
    def add_resource_work_schedule(self, resource_id: str, body: Body) -> Args:
        """Add a work-schedule record (it overlays the dates it covers)."""
        return Args(path={"resourceId": resource_id}, json=body)

    @endpoint("DELETE", f"{RES}/workSchedules/{{scheduleItemId}}", response=NoContent)
    def delete_resource_work_schedule(self, resource_id: str, schedule_item_id: int) -> Args:
        """Remove one work-schedule record."""
        return Args(path={"resourceId": resource_id, "scheduleItemId": schedule_item_id})

    @endpoint(
        "GET",
        f"{RES}/workSchedules/calendarView",
        response=WorkScheduleCalendarView,
    )
    def get_work_schedule_calendar_view(
        self, resource_id: str, *, date_from: Day, date_to: Day
    ) -> Args:
        """The resource's schedule day by day."""
        return Args(
            path={"resourceId": resource_id}, query={"dateFrom": date_from, "dateTo": date_to}
        )

    @endpoint("GET", f"{RES}/workSkills", response=WorkSkills)
    def list_resource_work_skills(
        self, resource_id: str, *, date_from: Day | None = None, date_to: Day | None = None
    ) -> Args:
        """Work skills of a resource."""
        return Args(
            path={"resourceId": resource_id}, query={"dateFrom": date_from, "dateTo": date_to}
        )

    @endpoint("POST", f"{RES}/workSkills", response=WorkSkills)
    def set_resource_work_skills(
        self, resource_id: str, skills: Sequence[OFSModel | Mapping[str, Any]]
    ) -> Args:
        """Set the work skills of a resource (a bare array of ``{workSkill, ratio, …}``)."""
        return Args(path={"resourceId": resource_id}, json=list(skills))

    @endpoint("DELETE", f"{RES}/workSkills/{{workSkill}}", response=NoContent)
    def delete_resource_work_skill(self, resource_id: str, work_skill: str) -> Args:
        """Remove one work skill from a resource."""
        return Args(path={"resourceId": resource_id, "workSkill": work_skill})

    @endpoint(
        "GET",
        f"{RES}/workZones",
        response=ResourceWorkZones,
    )
    def list_resource_work_zones(
        self,
        resource_id: str,
        *,
        date_from: Day | None = None,
        date_to: Day | None = None,
        only_active_work_zones: bool | None = None,
    ) -> Args:
        """Work-zone assignments of a resource."""
        return Args(
            path={"resourceId": resource_id},
            query={
                "dateFrom": date_from,
                "dateTo": date_to,
                "onlyActiveWorkZones": only_active_work_zones,
            },
        )

    @endpoint("POST", f"{RES}/workZones", response=NoContent)
    def add_resource_work_zone(self, resource_id: str, body: Body) -> Args:
        """Add one work-zone assignment."""
        return Args(path={"resourceId": resource_id}, json=body)

    @endpoint("DELETE", f"{RES}/workZones/{{workZoneItemId}}", response=NoContent)
    def delete_resource_work_zone(self, resource_id: str, work_zone_item_id: int) -> Args:
        """Remove one work-zone assignment by its item id."""
        return Args(path={"resourceId": resource_id, "workZoneItemId": work_zone_item_id})

    # -- resource file properties ---------------------------------------------------------

    @endpoint("GET", f"{RES}/{{propertyLabel}}", response=bytes)
    def get_resource_file(self, resource_id: str, label: str, *, accept: str | None = None) -> Args:
        """The content of a file property."""
        return file_download({"resourceId": resource_id, "propertyLabel": label}, accept)

    @endpoint("PUT", f"{RES}/{{propertyLabel}}", response=NoContent)
    def set_resource_file(
        self,
        resource_id: str,
        label: str,
        content: bytes,
        *,
        media_type: str,
        filename: str | None = None,
    ) -> Args:
        """Store a file property."""
        path = {"resourceId": resource_id, "propertyLabel": label}
        return file_upload(path, content, media_type, filename)

    @endpoint("DELETE", f"{RES}/{{propertyLabel}}", response=NoContent)
    def delete_resource_file(self, resource_id: str, label: str) -> Args:
        """Remove a file property."""
        return Args(path={"resourceId": resource_id, "propertyLabel": label})

    # -- collection custom actions --------------------------------------------------------

    @endpoint(
        "POST",
        f"{V1}/resources/custom-actions/bulkUpdateWorkZones",
        response=BulkResourcesResponse,
    )
    def bulk_update_work_zones(self, items: Sequence[OFSModel | Mapping[str, Any]]) -> Args:
        """Replace the work zones of many resources (an array of ``BulkWorkZones``)."""
        return Args(json=list(items))

    @endpoint(
        "POST",
        f"{V1}/resources/custom-actions/bulkUpdateWorkSkills",
        response=BulkResourcesResponse,
    )
    def bulk_update_work_skills(self, items: Sequence[OFSModel | Mapping[str, Any]]) -> Args:
        """Set the work skills of many resources (an array of ``BulkWorkSkills``)."""
        return Args(json=list(items))

    @endpoint(
        "POST",
        f"{V1}/resources/custom-actions/bulkUpdateWorkSchedules",
        response=BulkResourcesResponse,
    )
    def bulk_update_work_schedules(self, items: Sequence[OFSModel | Mapping[str, Any]]) -> Args:
        """Add work-schedule records to many resources (an array of ``BulkWorkSchedules``)."""
        return Args(json=list(items))

    @endpoint(
        "POST",
        f"{V1}/resources/custom-actions/bulkUpdateInventories",
        response=BulkInventoriesResponse,
    )
    def bulk_update_inventories(self, body: Body) -> Args:
        """Update the inventory pools of many resources (``{"resources": [...]}``)."""
        return Args(json=body)

    @endpoint(
        "POST",
        f"{V1}/resources/custom-actions/findMatchingResources",
        response=FindMatchingResourcesResponse,
    )
    def find_matching_resources(self, body: Body) -> Args:
        """Resources able to perform an activity, with their fitness."""
        return Args(json=body)

    @endpoint(
        "POST",
        f"{V1}/resources/custom-actions/findResourcesForUrgentAssignment",
        response=UrgentAssignmentResponse,
    )
    def find_resources_for_urgent_assignment(self, body: Body) -> Args:
        """Resources that could take an urgent activity soonest."""
        return Args(json=body)

    @paged(
        "GET",
        f"{V1}/resources/custom-actions/lastKnownPositions",
        item=LastKnownPosition,
    )
    def last_known_positions(
        self, *, resources: Sequence[str] | None = None, offset: int | None = None
    ) -> Args:
        """The latest position of each resource (≤300 named resources, else all)."""
        return Args(query={"resources": resources, "offset": offset})

    @paged(
        "GET",
        f"{V1}/resources/custom-actions/resourcesInArea",
        item=ResourceInArea,
    )
    def resources_in_area(
        self,
        *,
        lat: float,
        lng: float,
        radius: float | None = None,
        time_diff: float | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Args:
        """Resources recently seen within ``radius`` metres of a point."""
        return Args(
            query={
                "lat": lat,
                "lng": lng,
                "radius": radius,
                "timeDiff": time_diff,
                "offset": offset,
                "limit": limit,
            }
        )

    @endpoint(
        "POST",
        f"{V1}/resources/custom-actions/setPositions",
        response=SetPositionsResponse,
    )
    def set_positions(self, body: Body) -> Args:
        """Report positions of resources (``{"items": [...]}``, ≤300 items)."""
        return Args(json=body)

    @paged(
        "GET",
        f"{V1}/calendars",
        item=CalendarDay,
    )
    def list_calendars(
        self,
        *,
        resources: Sequence[str],
        date_from: Day,
        date_to: Day,
        include_children: str | None = None,
        include_inactive: bool | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Args:
        """Work calendars of resources, one item per resource and day (range ≤31 days)."""
        return Args(
            query={
                "resources": resources,
                "dateFrom": date_from,
                "dateTo": date_to,
                "includeChildren": include_children,
                "includeInactive": include_inactive,
                "offset": offset,
                "limit": limit,
            }
        )

    # -- users ----------------------------------------------------------------------------

    @paged("GET", f"{V1}/users", item=User)
    def list_users(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Users, one page (``.iter()`` for all)."""
        return Args(query={"offset": offset, "limit": limit})

    @endpoint("GET", USER, response=User)
    def get_user(self, login: str) -> Args:
        """One user by login."""
        return Args(path={"login": login})

    @endpoint("PUT", USER, response=User)
    def replace_user(self, login: str, body: Body) -> Args:
        """Create a user or replace it whole (creating needs ``name``, ``userType``,
        ``language``, ``timeZone`` and ``resources``)."""
        return Args(path={"login": login}, json=body)

    @endpoint("PATCH", USER, response=User)
    def update_user(self, login: str, body: Body) -> Args:
        """Change the fields in ``body``."""
        return Args(path={"login": login}, json=body)

    @endpoint("DELETE", USER, response=NoContent)
    def delete_user(self, login: str) -> Args:
        """Delete a user."""
        return Args(path={"login": login})

    @endpoint("GET", f"{USER}/collaborationGroups", response=CollaborationGroups)
    def list_user_collaboration_groups(self, login: str) -> Args:
        """Collaboration groups of a user."""
        return Args(path={"login": login})

    @endpoint("POST", f"{USER}/collaborationGroups", response=CollaborationGroups)
    def add_user_collaboration_groups(self, login: str, body: Body) -> Args:
        """Add a user to collaboration groups (``{"items": [{"name": …}]}``)."""
        return Args(path={"login": login}, json=body)

    @endpoint("DELETE", f"{USER}/collaborationGroups", response=NoContent)
    def delete_user_collaboration_groups(self, login: str) -> Args:
        """Remove a user from every collaboration group."""
        return Args(path={"login": login})

    @endpoint("GET", f"{USER}/{{propertyLabel}}", response=bytes)
    def get_user_file(self, login: str, label: str, *, accept: str | None = None) -> Args:
        """The content of a user's file property."""
        return file_download({"login": login, "propertyLabel": label}, accept)

    @endpoint("PUT", f"{USER}/{{propertyLabel}}", response=NoContent)
    def set_user_file(
        self,
        login: str,
        label: str,
        content: bytes,
        *,
        media_type: str,
        filename: str | None = None,
    ) -> Args:
        """Store a user's file property."""
        return file_upload({"login": login, "propertyLabel": label}, content, media_type, filename)

    @endpoint("DELETE", f"{USER}/{{propertyLabel}}", response=NoContent)
    def delete_user_file(self, login: str, label: str) -> Args:
        """Remove a user's file property."""
        return Args(path={"login": login, "propertyLabel": label})

    # -- inventories ----------------------------------------------------------------------

    @endpoint("POST", f"{V1}/inventories", response=Inventory)
    def create_inventory(self, body: Body) -> Args:
        """Create an inventory (customer, resource, installed or deinstalled)."""
        return Args(json=body)

    @endpoint("GET", INV, response=Inventory)
    def get_inventory(self, inventory_id: int) -> Args:
        """One inventory by id."""
        return Args(path={"inventoryId": inventory_id})

    @endpoint("PATCH", INV, response=Inventory)
    def update_inventory(self, inventory_id: int, body: Body) -> Args:
        """Change the fields in ``body``."""
        return Args(path={"inventoryId": inventory_id}, json=body)

    @endpoint("DELETE", INV, response=NoContent)
    def delete_inventory(self, inventory_id: int) -> Args:
        """Delete an inventory."""
        return Args(path={"inventoryId": inventory_id})

    @endpoint("POST", f"{INV}/custom-actions/install", response=NoContent)
    def install_inventory(self, inventory_id: int, body: Body | None = None) -> Args:
        """Install a resource inventory at an activity (``activityId``, ``quantity``)."""
        return Args(path={"inventoryId": inventory_id}, json=body if body is not None else {})

    @endpoint("POST", f"{INV}/custom-actions/deinstall", response=NoContent)
    def deinstall_inventory(self, inventory_id: int, body: Body | None = None) -> Args:
        """Deinstall a customer inventory at an activity."""
        return Args(path={"inventoryId": inventory_id}, json=body if body is not None else {})

    @endpoint("POST", f"{INV}/custom-actions/undoInstall", response=NoContent)
    def undo_install_inventory(self, inventory_id: int, body: Body | None = None) -> Args:
        """Undo an installation."""
        return Args(path={"inventoryId": inventory_id}, json=body if body is not None else {})

    @endpoint("POST", f"{INV}/custom-actions/undoDeinstall", response=NoContent)
    def undo_deinstall_inventory(self, inventory_id: int, body: Body | None = None) -> Args:
        """Undo a deinstallation."""
        return Args(path={"inventoryId": inventory_id}, json=body if body is not None else {})

    @endpoint("GET", f"{INV}/{{propertyLabel}}", response=bytes)
    def get_inventory_file(
        self, inventory_id: int, label: str, *, accept: str | None = None
    ) -> Args:
        """The content of an inventory's file property."""
        return file_download({"inventoryId": inventory_id, "propertyLabel": label}, accept)

    @endpoint("PUT", f"{INV}/{{propertyLabel}}", response=NoContent)
    def set_inventory_file(
        self,
        inventory_id: int,
        label: str,
        content: bytes,
        *,
        media_type: str,
        filename: str | None = None,
    ) -> Args:
        """Store an inventory's file property."""
        path: dict[str, str | int] = {"inventoryId": inventory_id, "propertyLabel": label}
        return file_upload(path, content, media_type, filename)

    @endpoint("DELETE", f"{INV}/{{propertyLabel}}", response=NoContent)
    def delete_inventory_file(self, inventory_id: int, label: str) -> Args:
        """Remove an inventory's file property."""
        return Args(path={"inventoryId": inventory_id, "propertyLabel": label})
