"""pyOFSC 2.x's model and list names, mapped onto this project's models.

``from ofsc_cli.compat.models import Workzone, WorkzoneListResponse, Resource`` gives:

* where a 2.x model has a counterpart here (:data:`ALIASES`), that model itself (``Workzone``
  *is* :class:`ofsc_cli.models.metadata.WorkZone`): the same API field names, every field
  the server sends kept;
* for a 2.x list (``…ListResponse``, ``…List`` with ``items``), a :class:`ListResponse` of
  the item's model: ``items``, ``offset``, ``limit``, ``hasMore``, ``totalResults``, with
  2.x's ``len()``, iteration, indexing and ``in`` over the items;
* for a 2.x root list (``WorkzoneList``, a bare JSON array), a :class:`RootList`;
* for a 2.x enumeration, an ``enum.Enum`` of ``str`` with 2.x's members and values;
* for any other 2.x model, a model of that name that accepts every field (unknown fields
  kept), plus the few with defaults scripts rely on (:class:`OFSOAuthRequest`,
  :class:`GetActivitiesParams`, :class:`OFSConfig`, :class:`CsvList`).

Every name of the committed inventory (``pyofsc_2_27.json``, ``models``) resolves; the
classes are made on first use.  Raises :class:`AttributeError` for a name 2.x did not have.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Iterator
from datetime import date
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from ofsc_cli.compat._inventory import inventory
from ofsc_cli.models import OFSModel, Page

__all__ = [
    "ALIASES",
    "CsvList",
    "GetActivitiesParams",
    "ListResponse",
    "OFSConfig",
    "OFSOAuthRequest",
    "OFSResponseBoundedList",
    "OFSResponseList",
    "OFSResponseUnboundedList",
    "RootList",
    "resolve",
]

T = TypeVar("T")

ALIASES: dict[str, str] = {
    # metadata
    "ActivityType": "metadata:ActivityType",
    "ActivityTypeGroup": "metadata:ActivityTypeGroup",
    "ApiEntity": "metadata:ApiEntity",
    "ApiMethod": "metadata:ApiMethod",
    "Application": "metadata:Application",
    "BaseApiAccess": "metadata:ApiAccess",
    "SimpleApiAccess": "metadata:ApiAccessConfiguration",
    "CapacityApiAccess": "metadata:ApiAccessConfiguration",
    "InboundApiAccess": "metadata:ApiAccessConfiguration",
    "StructuredApiAccess": "metadata:ApiAccessConfiguration",
    "CapacityArea": "metadata:CapacityArea",
    "CapacityAreaCapacityCategory": "metadata:AreaCapacityCategory",
    "CapacityAreaOrganization": "metadata:AreaOrganization",
    "CapacityAreaTimeInterval": "metadata:AreaTimeInterval",
    "CapacityAreaTimeSlot": "metadata:AreaTimeSlot",
    "CapacityAreaWorkZone": "metadata:AreaWorkZone",
    "CapacityAreaWorkZoneV1": "metadata:AreaWorkZoneV1",
    "CapacityCategory": "metadata:CapacityCategory",
    "EnumerationValue": "metadata:EnumerationValue",
    "Form": "metadata:Form",
    "InventoryType": "metadata:InventoryType",
    "Language": "metadata:Language",
    "LinkTemplate": "metadata:LinkTemplate",
    "MapLayer": "metadata:MapLayer",
    "NonWorkingReason": "metadata:NonWorkingReason",
    "Organization": "metadata:Organization",
    "PopulateStatusResponse": "metadata:DownloadStatus",
    "Property": "metadata:Property",
    "ResourceType": "metadata:ResourceType",
    "RoutingPlan": "metadata:RoutingPlan",
    "RoutingProfile": "metadata:RoutingProfile",
    "Shift": "metadata:Shift",
    "TimeSlot": "metadata:TimeSlot",
    "WorkZoneKeyElement": "metadata:WorkZoneKeyElement",
    "WorkZoneKeyResponse": "metadata:WorkZoneKey",
    "Workskill": "metadata:WorkSkill",
    "WorkskillCondition": "metadata:WorkSkillCondition",
    "WorkskillGroup": "metadata:WorkSkillGroup",
    "Workzone": "metadata:WorkZone",
    # activities
    "Activity": "activities:Activity",
    "ActivityCapacityCategory": "activities:ActivityCapacityCategory",
    "ActivityKeys": "activities:ActivityKeys",
    "BulkUpdateError": "activities:BulkUpdateError",
    "BulkUpdateParameters": "activities:BulkUpdateParameters",
    "BulkUpdateRequest": "activities:BulkUpdateRequest",
    "BulkUpdateResponse": "activities:BulkUpdateResponse",
    "BulkUpdateResult": "activities:BulkUpdateResult",
    "BulkUpdateWarning": "activities:BulkUpdateWarning",
    "FormIdentifier": "activities:FormIdentifier",
    "LinkedActivity": "activities:LinkedActivity",
    "RequiredInventory": "activities:RequiredInventory",
    "ResourcePreference": "activities:ResourcePreference",
    "SubmittedForm": "activities:SubmittedForm",
    # resources, users, inventories
    "AssignedLocationsResponse": "resources:AssignedLocationsWeek",
    "BaseUser": "resources:ResourceUser",
    "CalendarView": "resources:WorkScheduleCalendarView",
    "CalendarViewItem": "resources:CalendarViewItem",
    "CollaborationGroup": "resources:CollaborationGroup",
    "Inventory": "resources:Inventory",
    "Location": "resources:ResourceLocation",
    "PositionHistoryItem": "resources:ResourcePosition",
    "Resource": "resources:Resource",
    "ResourcePlan": "resources:Plan",
    "ResourceWorkScheduleItem": "resources:WorkScheduleItem",
    "ResourceWorkskillAssignment": "resources:ResourceWorkSkill",
    "ResourceWorkzoneAssignment": "resources:ResourceWorkZone",
    "User": "resources:User",
    # events, daily extract
    "DailyExtractFiles": "events:DailyExtractFiles",
    "DailyExtractFolders": "events:DailyExtractFolders",
    "DailyExtractItem": "events:DailyExtractFile",
    "Event": "events:Event",
    "Subscription": "events:Subscription",
    # capacity
    "BookingGridActivity": "capacity:BookingGridActivity",
    "BookingGridArea": "capacity:BookingGridArea",
    "BookingStatusEntry": "capacity:BookingStatusEntry",
    "CapacityAreaResponseItem": "capacity:CapacityArea",
    "CapacityCategoryItem": "capacity:CapacityCategory",
    "CapacityMetrics": "capacity:CapacityMetrics",
    "CapacityResponseItem": "capacity:CapacityDay",
    "QuotaAreaItem": "capacity:QuotaArea",
    "QuotaCategoryItem": "capacity:QuotaCategory",
    "QuotaResponseItem": "capacity:QuotaDay",
    "QuotaTimeInterval": "capacity:QuotaInterval",
    "BookingClosingScheduleItem": "capacity:BookingClosingSchedule",
    "BookingStatusItem": "capacity:BookingStatus",
    "BookingDate": "capacity:BookingOptionsDate",
    # statistics
    "ActivityDurationStat": "statistics:ActivityDurationStat",
    "ActivityTravelStat": "statistics:ActivityTravelStat",
    "AirlineDistanceBasedTravel": "statistics:AirlineDistanceTravel",
    "AirlineDistanceData": "statistics:AirlineDistanceData",
    "AirlineDistanceOverrideData": "statistics:AirlineDistanceOverrideData",
    "StatisticsPatchResponse": "statistics:StatsPatchResult",
    # shared
    "Link": "_shared:Link",
    "Translation": "_shared:Translation",
    "OAuthTokenResponse": "oauth2:TokenResponse",
}
"""2.x model name -> ``module:Class`` of ours (``ofsc_cli.models.<module>``)."""


class ListResponse(Page[T], Generic[T]):
    """A 2.x list answer: our page envelope with 2.x's sequence behaviour over ``items``."""

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:  # type: ignore[override]
        return iter(self.items)

    def __getitem__(self, index: int) -> T:
        return self.items[index]

    def __contains__(self, item: object) -> bool:
        return item in self.items


OFSResponseList = ListResponse
"""2.x's generic list envelope (``OFSResponseList[Activity]``)."""
OFSResponseBoundedList = ListResponse
OFSResponseUnboundedList = ListResponse


class RootList(RootModel[list[T]], Generic[T]):
    """A 2.x root list (a bare JSON array), iterable and indexable."""

    def __len__(self) -> int:
        return len(self.root)

    def __iter__(self) -> Iterator[T]:  # type: ignore[override]
        return iter(self.root)

    def __getitem__(self, index: int) -> T:
        return self.root[index]


class OFSOAuthRequest(OFSModel):
    """A token request (2.x's defaults: the client-credentials grant)."""

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True)

    assertion: str | None = None
    grant_type: str = "client_credentials"


class CsvList(BaseModel):
    """Comma-separated values (2.x's helper for list query parameters)."""

    value: str = ""

    @classmethod
    def from_list(cls, values: list[str]) -> CsvList:
        """Returns the CSV of ``values``."""
        return cls(value=",".join(values))

    def to_list(self) -> list[str]:
        """Returns the values, stripped, empty ones dropped."""
        return [v.strip() for v in self.value.split(",") if v.strip()]

    def __str__(self) -> str:
        return self.value


class GetActivitiesParams(OFSModel):
    """The query of ``core.get_activities`` in 2.x's async client (API names).

    Raises :class:`pydantic.ValidationError` when only one of ``dateFrom``/``dateTo`` is
    given, or neither dates, ``svcWorkOrderId`` nor ``includeNonScheduled``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    resources: list[str] | None = None
    includeChildren: Literal["none", "immediate", "all"] | None = "all"
    q: str | None = None
    dateFrom: date | None = None
    dateTo: date | None = None
    fields: list[str] | None = None
    includeNonScheduled: bool | None = False
    svcWorkOrderId: int | None = None

    @model_validator(mode="after")
    def _dates(self) -> GetActivitiesParams:
        if (self.dateFrom is None) != (self.dateTo is None):
            raise ValueError("dateFrom and dateTo go together")
        if self.dateFrom is None and self.svcWorkOrderId is None and not self.includeNonScheduled:
            raise ValueError("give dateFrom/dateTo, svcWorkOrderId or includeNonScheduled=True")
        return self

    def to_api_params(self) -> dict[str, Any]:
        """Returns the query as sent (lists joined, dates in ISO form, empty values left
        out)."""
        params: dict[str, Any] = {}
        for name, value in self.model_dump(exclude_none=True).items():
            if value in ("", [], False):
                continue
            if isinstance(value, list):
                value = ",".join(value)
            elif isinstance(value, date):
                value = value.isoformat()
            elif value is True:
                value = "true"
            params[name] = value
        return params


class OFSConfig(BaseModel):
    """A compat client's settings, under 2.x's names (the secret is never shown)."""

    model_config = ConfigDict(validate_assignment=True)

    clientID: str
    secret: str = Field(repr=False)
    companyName: str
    useToken: bool = False
    access_token: str | None = Field(default=None, repr=False)
    root: str | None = None
    baseURL: str | None = None
    auto_raise: bool = True
    auto_model: bool = True


_EXPLICIT: dict[str, Any] = {
    "OFSOAuthRequest": OFSOAuthRequest,
    "CsvList": CsvList,
    "GetActivitiesParams": GetActivitiesParams,
    "OFSConfig": OFSConfig,
    "OFSResponseList": OFSResponseList,
    "OFSResponseBoundedList": OFSResponseBoundedList,
    "OFSResponseUnboundedList": OFSResponseUnboundedList,
}
_MADE: dict[str, Any] = {}


def _ours(target: str) -> type[Any]:
    module, cls = target.split(":")
    if module == "_shared":
        return getattr(importlib.import_module("ofsc_cli.models"), cls)  # type: ignore[no-any-return]
    return getattr(importlib.import_module(f"ofsc_cli.models.{module}"), cls)  # type: ignore[no-any-return]


def resolve(name: str) -> Any:
    """Returns the class offered under the 2.x model name ``name`` (see the module
    docstring).

    Raises :class:`AttributeError` for a name the 2.x inventory does not list."""
    if name in _EXPLICIT:
        return _EXPLICIT[name]
    if name in ALIASES:
        return _ours(ALIASES[name])
    if name in _MADE:
        return _MADE[name]
    meta = inventory()["models"].get(name)
    if meta is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    made: Any
    kind = meta["kind"]
    item: Any = Any
    if meta.get("item") and meta["item"] != name:
        try:
            item = resolve(meta["item"])
        except AttributeError:
            item = Any
    if kind == "enum":
        members = dict(text.split("=", 1) for text in meta["fields"])
        made = enum.Enum(name, members, type=str, module=__name__)  # type: ignore[misc,no-redef]
    elif kind == "list":
        made = type(name, (ListResponse[item],), {"__module__": __name__})
    elif kind == "root":
        made = type(name, (RootList[item],), {"__module__": __name__})
    else:
        made = type(name, (OFSModel,), {"__module__": __name__, "__doc__": f"2.x's ``{name}``."})
    _MADE[name] = made
    return made


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return resolve(name)
