"""Core API operations (``/rest/ofscCore/v1``): activities and everything hanging off them
(actions, links, inventories, preferences, file properties, forms), where-is-my-tech,
events, the daily extract and service requests.

Every method only turns its arguments into :class:`Args`; the decorators hold the fixed facts.
Bodies are a model or a plain mapping (custom properties are sent as given).  Bulk jobs built
on these operations live next to the client: :mod:`ofsc_cli.client.export` (streaming
activity export), :mod:`ofsc_cli.client.bulk` (journaled bulk update),
:mod:`ofsc_cli.client.download` (resumable downloads) and :mod:`ofsc_cli.client.events`
(event following with a saved cursor).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ofsc_cli.client._endpoint import Args, Namespace, NoContent, PageOf, X, endpoint, paged
from ofsc_cli.models import OFSModel
from ofsc_cli.models.activities import (
    Activity,
    ActivityCapacityCategory,
    ActivityCreate,
    BulkUpdateResponse,
    LinkedActivities,
    LinkedActivity,
    RequiredInventory,
    ResourcePreference,
    ServiceRequest,
    SubmittedForm,
    WhereIsMyTech,
)
from ofsc_cli.models.events import (
    CreatedSubscription,
    DailyExtractFiles,
    DailyExtractFolders,
    EventPage,
    Subscription,
    SubscriptionList,
)
from ofsc_cli.models.resources import Inventory

__all__ = ["ACTIVITIES", "CORE", "CoreActivities"]

CORE = "/rest/ofscCore/v1"
ACTIVITIES = f"{CORE}/activities"
ACTIVITY = f"{ACTIVITIES}/{{activityId}}"
ACTION = f"{ACTIVITY}/custom-actions"
LINK = f"{ACTIVITY}/linkedActivities/{{linkedActivityId}}/linkTypes/{{linkType}}"
EXTRACT = f"{CORE}/folders/dailyExtract/folders"

Body = OFSModel | Mapping[str, Any]
DateArg = dt.date | str | None
CSV = Sequence[str] | str | None
OCTET = "application/octet-stream"


def _id(activity_id: int | str) -> dict[str, str | int]:
    return {"activityId": activity_id}


def _file(key: str, value: int | str, label: str, accept: str) -> Args:
    return Args(path={key: value, "propertyLabel": label}, headers={"Accept": accept})


def _action(activity_id: int | str, body: Body | None) -> Args:
    return Args(path=_id(activity_id), json=body if body is not None else {})


class CoreActivities(Namespace[X]):
    """Activities, events, daily extract, service requests (part of ``client.core``)."""

    namespace = "core"

    # -- activities ---------------------------------------------------------------------

    @paged("GET", ACTIVITIES, item=Activity)
    def list_activities(
        self,
        *,
        resources: CSV = None,
        date_from: DateArg = None,
        date_to: DateArg = None,
        include_children: str | None = None,
        q: str | None = None,
        fields: CSV = None,
        include_non_scheduled: bool | None = None,
        svc_work_order_id: int | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Args:
        """Activities of ``resources`` between two dates (at most 31 days apart), or the
        non-scheduled ones, or those of one work order.  No ``totalResults``: for a large
        range use :func:`ofsc_cli.client.export.export_activities`."""
        return Args(
            query={
                "resources": resources,
                "includeChildren": include_children,
                "q": q,
                "dateFrom": date_from,
                "dateTo": date_to,
                "fields": fields,
                "includeNonScheduled": include_non_scheduled,
                "svcWorkOrderId": svc_work_order_id,
                "offset": offset,
                "limit": limit,
            }
        )

    @endpoint("POST", ACTIVITIES, response=Activity)
    def create_activity(self, body: ActivityCreate | Activity | Mapping[str, Any]) -> Args:
        """Create an activity (``activityType`` and ``resourceId`` are required)."""
        return Args(json=body)

    @endpoint("GET", ACTIVITY, response=Activity)
    def get_activity(self, activity_id: int | str) -> Args:
        """One activity."""
        return Args(path=_id(activity_id))

    @endpoint("PATCH", ACTIVITY, response=Activity)
    def update_activity(self, activity_id: int | str, body: Activity | Mapping[str, Any]) -> Args:
        """Change the given fields (not date, status or resource: use the actions)."""
        return Args(path=_id(activity_id), json=body)

    @endpoint("DELETE", ACTIVITY, response=NoContent)
    def delete_activity(self, activity_id: int | str) -> Args:
        """Delete a pending activity."""
        return Args(path=_id(activity_id))

    @paged("GET", f"{ACTIVITIES}/custom-actions/search", item=Activity)
    def search_activities(
        self,
        *,
        search_in_field: str,
        search_for_value: str,
        date_from: DateArg = None,
        date_to: DateArg = None,
        fields: CSV = None,
        include_multiday: str | None = None,
        include_non_scheduled: bool | str | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Args:
        """Activities whose ``search_in_field`` equals ``search_for_value``."""
        return Args(
            query={
                "searchInField": search_in_field,
                "searchForValue": search_for_value,
                "dateFrom": date_from,
                "dateTo": date_to,
                "fields": fields,
                "includeMultiday": include_multiday,
                "includeNonScheduled": include_non_scheduled,
                "offset": offset,
                "limit": limit,
            }
        )

    @endpoint("POST", f"{ACTIVITIES}/custom-actions/bulkUpdate", response=BulkUpdateResponse)
    def bulk_update_activities(self, body: Body) -> Args:
        """Create or update many activities; results are reported per activity.

        For a large input use :func:`ofsc_cli.client.bulk.plan_bulk` (batches and
        a journal)."""
        return Args(json=body)

    @endpoint(
        "GET",
        f"{CORE}/whereIsMyTech",
        response=WhereIsMyTech,
    )
    def get_where_is_my_tech(
        self,
        activity_id: int | str,
        *,
        include_avatar_image_data: bool | None = None,
        resource_fields: CSV = None,
        activity_fields: CSV = None,
        hide_resource_location_time: int | None = None,
    ) -> Args:
        """Where the technician of an activity is, as a customer may see it."""
        return Args(
            query={
                "activityId": activity_id,
                "includeAvatarImageData": include_avatar_image_data,
                "resourceFields": resource_fields,
                "activityFields": activity_fields,
                "hideResourceLocationTime": hide_resource_location_time,
            }
        )

    # -- actions (the status ones take an optional ``time``) -----------------------------

    @endpoint("POST", f"{ACTION}/start", response=Activity)
    def start_activity(self, activity_id: int | str, body: Body | None = None) -> Args:
        """pending/enroute → started."""
        return _action(activity_id, body)

    @endpoint("POST", f"{ACTION}/complete", response=Activity)
    def complete_activity(self, activity_id: int | str, body: Body | None = None) -> Args:
        """started → completed."""
        return _action(activity_id, body)

    @endpoint("POST", f"{ACTION}/cancel", response=Activity)
    def cancel_activity(self, activity_id: int | str, body: Body | None = None) -> Args:
        """pending/enroute → cancelled."""
        return _action(activity_id, body)

    @endpoint("POST", f"{ACTION}/suspend", response=Activity)
    def suspend_activity(self, activity_id: int | str, body: Body | None = None) -> Args:
        """started → suspended (a pending copy is created)."""
        return _action(activity_id, body)

    @endpoint("POST", f"{ACTION}/delay", response=Activity)
    def delay_activity(self, activity_id: int | str, body: Body | None = None) -> Args:
        """Report a started activity as late (``delayMinutes`` or ``delayUntilTime``)."""
        return _action(activity_id, body)

    @endpoint("POST", f"{ACTION}/reopen", response=Activity)
    def reopen_activity(self, activity_id: int | str, body: Body | None = None) -> Args:
        """A finished activity → a new pending one (``setPositionInRoute`` required)."""
        return _action(activity_id, body)

    @endpoint("POST", f"{ACTION}/notDone", response=Activity)
    def not_done_activity(self, activity_id: int | str, body: Body | None = None) -> Args:
        """started → notdone."""
        return _action(activity_id, body)

    @endpoint("POST", f"{ACTION}/enroute", response=Activity)
    def enroute_activity(self, activity_id: int | str) -> Args:
        """pending → enroute."""
        return Args(path=_id(activity_id))

    @endpoint("POST", f"{ACTION}/stopTravel", response=Activity)
    def stop_travel_activity(self, activity_id: int | str) -> Args:
        """enroute → pending."""
        return Args(path=_id(activity_id))

    @endpoint("POST", f"{ACTION}/startPrework", response=Activity)
    def start_prework_activity(self, activity_id: int | str, body: Body | None = None) -> Args:
        """Start the prework of an activity."""
        return _action(activity_id, body)

    @endpoint("POST", f"{ACTION}/move", response=NoContent)
    def move_activity(self, activity_id: int | str, body: Body) -> Args:
        """Move to another date, resource or route position (``setDate``/``setResource``/
        ``setPositionInRoute``)."""
        return Args(path=_id(activity_id), json=body)

    # -- sub-collections ----------------------------------------------------------------

    @endpoint("GET", f"{ACTIVITY}/multidaySegments", response=PageOf(Activity))
    def list_multiday_segments(self, activity_id: int | str) -> Args:
        """The segments of a multi-day activity."""
        return Args(path=_id(activity_id))

    @endpoint("GET", f"{ACTIVITY}/capacityCategories", response=PageOf(ActivityCapacityCategory))
    def list_capacity_categories(self, activity_id: int | str) -> Args:
        """The capacity categories an activity counts against."""
        return Args(path=_id(activity_id))

    @paged("GET", f"{ACTIVITY}/customerInventories", item=Inventory)
    def list_customer_inventories(
        self, activity_id: int | str, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """Customer-owned inventory at the activity's site."""
        return Args(path=_id(activity_id), query={"offset": offset, "limit": limit})

    @endpoint("POST", f"{ACTIVITY}/customerInventories", response=Inventory)
    def create_customer_inventory(self, activity_id: int | str, body: Body) -> Args:
        """Add a customer inventory to an activity."""
        return Args(path=_id(activity_id), json=body)

    @paged("GET", f"{ACTIVITY}/installedInventories", item=Inventory)
    def list_installed_inventories(
        self, activity_id: int | str, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """Inventory installed by the activity."""
        return Args(path=_id(activity_id), query={"offset": offset, "limit": limit})

    @paged("GET", f"{ACTIVITY}/deinstalledInventories", item=Inventory)
    def list_deinstalled_inventories(
        self, activity_id: int | str, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """Inventory removed by the activity."""
        return Args(path=_id(activity_id), query={"offset": offset, "limit": limit})

    @paged("GET", f"{ACTIVITY}/requiredInventories", item=RequiredInventory)
    def list_required_inventories(
        self, activity_id: int | str, *, offset: int | None = None, limit: int | None = None
    ) -> Args:
        """Inventory the activity needs."""
        return Args(path=_id(activity_id), query={"offset": offset, "limit": limit})

    @endpoint("PUT", f"{ACTIVITY}/requiredInventories", response=NoContent)
    def replace_required_inventories(self, activity_id: int | str, body: Body) -> Args:
        """Replace the required inventories (``{"items": [...]}``)."""
        return Args(path=_id(activity_id), json=body)

    @endpoint("DELETE", f"{ACTIVITY}/requiredInventories", response=NoContent)
    def delete_required_inventories(self, activity_id: int | str) -> Args:
        """Remove every required inventory."""
        return Args(path=_id(activity_id))

    @endpoint("GET", f"{ACTIVITY}/resourcePreferences", response=PageOf(ResourcePreference))
    def list_resource_preferences(self, activity_id: int | str) -> Args:
        """Required, preferred and forbidden resources of the activity."""
        return Args(path=_id(activity_id))

    @endpoint("PUT", f"{ACTIVITY}/resourcePreferences", response=NoContent)
    def replace_resource_preferences(self, activity_id: int | str, body: Body) -> Args:
        """Replace the resource preferences (``{"items": [...]}``)."""
        return Args(path=_id(activity_id), json=body)

    @endpoint("DELETE", f"{ACTIVITY}/resourcePreferences", response=NoContent)
    def delete_resource_preferences(self, activity_id: int | str) -> Args:
        """Remove every resource preference."""
        return Args(path=_id(activity_id))

    @paged(
        "GET",
        f"{ACTIVITY}/submittedForms",
        item=SubmittedForm,
    )
    def list_submitted_forms(
        self,
        activity_id: int | str,
        *,
        scope: str | None = None,
        bundle: str | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Args:
        """Forms submitted for the activity."""
        return Args(
            path=_id(activity_id),
            query={"scope": scope, "bundle": bundle, "offset": offset, "limit": limit},
        )

    # -- links --------------------------------------------------------------------------

    @endpoint("GET", f"{ACTIVITY}/linkedActivities", response=LinkedActivities)
    def list_linked_activities(self, activity_id: int | str) -> Args:
        """Links from and to the activity."""
        return Args(path=_id(activity_id))

    @endpoint("POST", f"{ACTIVITY}/linkedActivities", response=LinkedActivity)
    def create_linked_activity(self, activity_id: int | str, body: Body) -> Args:
        """Link two activities (``fromActivityId``, ``toActivityId``, ``linkType``)."""
        return Args(path=_id(activity_id), json=body)

    @endpoint("DELETE", f"{ACTIVITY}/linkedActivities", response=NoContent)
    def delete_linked_activities(self, activity_id: int | str) -> Args:
        """Remove every link of the activity."""
        return Args(path=_id(activity_id))

    @endpoint("GET", LINK, response=LinkedActivity)
    def get_linked_activity(
        self, activity_id: int | str, linked_activity_id: int | str, link_type: str
    ) -> Args:
        """One link."""
        return Args(
            path={
                "activityId": activity_id,
                "linkedActivityId": linked_activity_id,
                "linkType": link_type,
            }
        )

    @endpoint("PUT", LINK, response=LinkedActivity)
    def replace_linked_activity(
        self, activity_id: int | str, linked_activity_id: int | str, link_type: str, body: Body
    ) -> Args:
        """Create or replace one link.

        The body's required ``fromActivityId``, ``toActivityId`` and ``linkType`` are filled
        from the path when ``body`` leaves them out (so a body with only the intervals will do).
        """
        from ofsc_cli.models import dump

        data = dict(dump(body))
        for key, value in (
            ("fromActivityId", activity_id),
            ("toActivityId", linked_activity_id),
            ("linkType", link_type),
        ):
            if key not in data:
                text = str(value)
                data[key] = int(text) if key != "linkType" and text.isdigit() else value
        return Args(
            path={
                "activityId": activity_id,
                "linkedActivityId": linked_activity_id,
                "linkType": link_type,
            },
            json=data,
        )

    @endpoint("DELETE", LINK, response=NoContent)
    def delete_linked_activity(
        self, activity_id: int | str, linked_activity_id: int | str, link_type: str
    ) -> Args:
        """Remove one link."""
        return Args(
            path={
                "activityId": activity_id,
                "linkedActivityId": linked_activity_id,
                "linkType": link_type,
            }
        )

    # -- file properties ----------------------------------------------------------------

    @endpoint("GET", f"{ACTIVITY}/{{propertyLabel}}", response=bytes)
    def get_activity_file(self, activity_id: int | str, label: str, *, accept: str = OCTET) -> Args:
        """The content of a file property (``accept="application/json"``: its metadata).

        To stream a large file to disk use :func:`ofsc_cli.client.download.download`."""
        return _file("activityId", activity_id, label, accept)

    @endpoint("PUT", f"{ACTIVITY}/{{propertyLabel}}", response=NoContent)
    def replace_activity_file(
        self,
        activity_id: int | str,
        label: str,
        content: bytes,
        *,
        media_type: str = OCTET,
        filename: str | None = None,
    ) -> Args:
        """Store a file property (at most 5 MB)."""
        headers = {"Content-Type": media_type}
        if filename:
            safe = filename.replace("\\", "_").replace('"', "_")
            headers["Content-Disposition"] = f'attachment; filename="{safe}"'
        return Args(
            path={"activityId": activity_id, "propertyLabel": label},
            content=content,
            headers=headers,
        )

    @endpoint("DELETE", f"{ACTIVITY}/{{propertyLabel}}", response=NoContent)
    def delete_activity_file(self, activity_id: int | str, label: str) -> Args:
        """Remove a file property."""
        return Args(path={"activityId": activity_id, "propertyLabel": label})

    # -- events -------------------------------------------------------------------------

    @endpoint(
        "GET",
        f"{CORE}/events",
        response=EventPage,
    )
    def list_events(
        self,
        subscription_id: str,
        *,
        page: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> Args:
        """Events after the cursor ``page`` (or, with ``since``, only a fresh cursor).

        To follow a subscription durably use :func:`ofsc_cli.client.events.follow_events`."""
        return Args(
            query={"subscriptionId": subscription_id, "page": page, "since": since, "limit": limit}
        )

    @endpoint(
        "GET",
        f"{CORE}/events/subscriptions",
        response=SubscriptionList,
    )
    def list_event_subscriptions(self, *, all_subscriptions: bool | None = None) -> Args:
        """This application's subscriptions (every application's with ``all_subscriptions``)."""
        return Args(query={"allSubscriptions": all_subscriptions})

    @endpoint("POST", f"{CORE}/events/subscriptions", response=CreatedSubscription)
    def create_event_subscription(self, body: Body) -> Args:
        """Subscribe to event types; the answer holds the first ``nextPage`` cursor."""
        return Args(json=body)

    @endpoint("GET", f"{CORE}/events/subscriptions/{{subscriptionId}}", response=Subscription)
    def get_event_subscription(self, subscription_id: str) -> Args:
        """One subscription."""
        return Args(path={"subscriptionId": subscription_id})

    @endpoint("DELETE", f"{CORE}/events/subscriptions/{{subscriptionId}}", response=NoContent)
    def delete_event_subscription(self, subscription_id: str) -> Args:
        """Remove a subscription."""
        return Args(path={"subscriptionId": subscription_id})

    # -- daily extract ------------------------------------------------------------------

    @endpoint("GET", EXTRACT, response=DailyExtractFolders)
    def list_daily_extract_dates(self) -> Args:
        """The dates that have a daily extract folder."""
        return Args()

    @endpoint("GET", f"{EXTRACT}/{{dailyExtractDate}}/files", response=DailyExtractFiles)
    def list_daily_extract_files(self, date: dt.date | str) -> Args:
        """The files of one day's extract."""
        return Args(path={"dailyExtractDate": str(date)})

    @endpoint(
        "GET", f"{EXTRACT}/{{dailyExtractDate}}/files/{{dailyExtractFilename}}", response=bytes
    )
    def get_daily_extract_file(self, date: dt.date | str, filename: str) -> Args:
        """One extract file in memory (use :func:`ofsc_cli.client.download.download` to
        stream it to disk and resume)."""
        return Args(
            path={"dailyExtractDate": str(date), "dailyExtractFilename": filename},
            headers={"Accept": OCTET},
        )

    # -- service requests ---------------------------------------------------------------

    @endpoint("POST", f"{CORE}/serviceRequests", response=ServiceRequest)
    def create_service_request(self, body: Body) -> Args:
        """Create a service request for one activity, inventory or resource."""
        return Args(json=body)

    @endpoint("GET", f"{CORE}/serviceRequests/{{requestId}}", response=ServiceRequest)
    def get_service_request(self, request_id: int | str) -> Args:
        """One service request."""
        return Args(path={"requestId": request_id})

    @endpoint("GET", f"{CORE}/serviceRequests/{{requestId}}/{{propertyLabel}}", response=bytes)
    def get_service_request_file(
        self, request_id: int | str, label: str, *, accept: str = OCTET
    ) -> Args:
        """The content of a service request's file property."""
        return _file("requestId", request_id, label, accept)
