"""The mapping table: every public method of pyOFSC 2.27 (sync and async) -> the v3 client.

One entry per ``"namespace.method"`` serves both 2.x clients (where their argument names
differ, an entry reads either: ``"actualDate|actual_date"``).  An entry is an
:class:`~ofsc_cli.compat._delegate.Op`: most are :func:`to` (one v3 call, the 2.x
arguments passed on by name); the rest are small flows (several calls, or a local step),
written once for both clients.  ``deviation`` records where 2.x's request differed from the
spec (NOTES.md §8): the spec's request is what is sent.  ``local`` describes what a method
with no API operation of its own does.

``tests/client/test_compat_inventory.py`` fails when a 2.27 method has no entry here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ofsc_cli.compat._delegate import Bound, Call, Flow, Op, body, body_of
from ofsc_cli.compat.exceptions import OFSCNotFoundError, OFSCValidationError

__all__ = ["TABLE"]

Value = str | Callable[[Bound], Any]


def _value(a: Bound, spec: Value) -> Any:
    if callable(spec):
        return spec(a)
    return a.pick(*spec.split("|"))


def to(target: str, *pos: Value, deviation: str = "", iterate: bool = False, **kw: Value) -> Op:
    """One call of ``target``: ``pos`` and ``kw`` name the 2.x arguments (``"a|b"``: the
    first the signature has) or compute a value from them."""

    def build(a: Bound) -> Call:
        args = tuple(_value(a, p) for p in pos)
        kwargs = {k: _value(a, v) for k, v in kw.items()}
        return Call(target, args, kwargs, iterate=iterate)

    return Op(build, target, deviation=deviation)


def flow(
    target: str,
    fn: Callable[[Bound], Flow],
    *,
    also: tuple[str, ...] = (),
    deviation: str = "",
    local: str = "",
) -> Op:
    """An entry whose builder is the generator ``fn``."""
    return Op(fn, target, also=also, deviation=deviation, local=local)


def B(
    *names: str, dump: str | tuple[str, str] = "fill", coerce: bool = False
) -> Callable[[Bound], Any]:
    """The 2.x argument ``names`` (the first the signature has) as the JSON 2.x sent (see
    ``body_of``); ``dump`` is how 2.x dumped a model, or ``(sync, async)`` where its two
    clients differed; ``coerce``: 2.x validated a dict into its model first."""

    def build(a: Bound) -> Any:
        name = next((n for n in names if a.has(n)), names[0])
        how = dump if isinstance(dump, str) else dump[0 if a.sync else 1]
        return body_of(a, name, how, coerce=coerce)

    return build


def const(value: Any) -> Callable[[Bound], Any]:
    """A fixed value."""
    return lambda a: value


def _expand(a: Bound) -> list[str] | None:
    pairs = (
        ("inventories", "expand_inventories", "inventories"),
        ("workSkills", "expand_workskills", "workSkills"),
        ("workZones", "expand_workzones", "workZones"),
        ("workSchedules", "expand_workschedules", "workSchedules"),
    )
    chosen = [api for sync_name, async_name, api in pairs if a.pick(sync_name, async_name)]
    return chosen or None


def _label(value: Any, name: str = "label") -> Any:
    """The key of a body given as a model or a dict (``label``, ``workZoneLabel`` …)."""
    if isinstance(value, dict):
        return value.get(name)
    if isinstance(value, (str, bytes)):
        return body(value).get(name)
    return getattr(value, name)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _query(params: Any) -> dict[str, Any]:
    """A 2.x query dict (API names) as keyword arguments of a v3 method."""
    if params is None:
        return {}
    if hasattr(params, "to_api_params"):
        params = params.to_api_params()
    return {_snake(k): v for k, v in dict(params).items()}


def _items(value: Any) -> list[Any]:
    data = body(value)
    return _listed(data)


def _listed(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return list(data["items"]) if "items" in data else [data]
    return list(data)


def _kw_call(target: str, build: Callable[[Bound], dict[str, Any]], **extra: Any) -> Op:
    def make(a: Bound) -> Call:
        return Call(target, (), build(a))

    return Op(make, target, **extra)


# --------------------------------------------------------------------------- flows
_ACTIVITY_FIELDS = ["activityId", "activityType", "date", "resourceId", "status"]


def _more(page: Any, offset: int) -> bool:
    if not page.items:
        return False
    if page.hasMore:
        return True
    total = getattr(page, "totalResults", None)
    return total is not None and offset < total


def _activities_query(a: Bound) -> dict[str, Any]:
    params = a.params
    if not a.sync:
        from ofsc_cli.compat.models import GetActivitiesParams

        if not isinstance(params, GetActivitiesParams):
            params = GetActivitiesParams.model_validate(body(params))
        return {**_query(params), "offset": a.offset, "limit": a.limit}
    return _query(params)


def _all_activities(a: Bound) -> Flow:
    from ofsc_cli.compat.models import ListResponse

    today = dt.date.today()
    date_from, date_to = a.date_from, a.date_to
    if a.defaulted("date_from") or (date_from is None and date_to is None):
        date_from, date_to = today - dt.timedelta(days=7), today + dt.timedelta(days=7)
    if a.defaulted("date_to"):
        date_to = today + dt.timedelta(days=7)
    root = a.root if a.root is not None else a.owner._config.root
    fields = list(
        dict.fromkeys([*(a.activity_fields or _ACTIVITY_FIELDS), *(a.additional_fields or [])])
    )
    query = {
        "resources": [root] if root else None,
        "include_children": "all",
        "date_from": date_from,
        "date_to": date_to,
        "fields": fields,
        # 2.x's sync client always sent it; its async one only when true
        "include_non_scheduled": True if a.include_non_scheduled else (False if a.sync else None),
        "limit": a.limit,
    }
    items: list[Any] = []
    offset = a.initial_offset
    while True:
        page = yield Call("core.list_activities", (), {**query, "offset": offset}, raw=a.sync)
        items.extend(page.items)
        offset += len(page.items)
        if not _more(page, offset):
            return ListResponse.model_construct(items=items)


def _all_properties(a: Bound) -> Flow:
    from ofsc_cli.compat.models import ListResponse

    items: list[Any] = []
    offset = a.initial_offset
    while True:
        kwargs = {"offset": offset, "limit": a.limit}
        page = yield Call("metadata.list_properties", (), kwargs, raw=a.sync)
        items.extend(page.items)
        offset += len(page.items)
        if not _more(page, offset):
            return items if a.sync else ListResponse.model_construct(items=items)


def _find(target: str, what: str) -> Callable[[Bound], Flow]:
    def find(a: Bound) -> Flow:
        offset = 0
        while True:
            page = yield Call(target, (), {"offset": offset, "limit": 100})
            for item in page.items:
                if getattr(item, "label", None) == a.label:
                    return item
            offset += len(page.items)
            if not _more(page, offset):
                raise OFSCNotFoundError(
                    f"{what} {a.label!r} not found", status_code=404, title="Not Found"
                )

    return find


def _set_work_zones(a: Bound) -> Flow:
    for zone in _listed(body_of(a, "workzones")):
        yield Call("core.add_resource_work_zone", (a.resource_id, zone))
    return (yield Call("core.list_resource_work_zones", (a.resource_id,)))


def _renamed(data: Any, renames: dict[str, str]) -> Any:
    if not isinstance(data, dict):
        return data
    return {renames.get(k, k): v for k, v in data.items()}


def _subscription(a: Bound) -> Any:
    return _renamed(body(a.pick("data", "subscription")), {"title": "subscriptionTitle"})


def _bulk_update(a: Bound) -> Any:
    data = body_of(a, "data", "all" if a.sync else "unset")
    if isinstance(data, dict) and isinstance(data.get("parameters"), dict):
        renames = {"fallbackResource": "fallbackResourceId"}
        data = {**data, "parameters": _renamed(data["parameters"], renames)}
    return data


def _location(a: Bound) -> Any:
    data = body_of(a, "location", "unset")
    if isinstance(data, dict):
        data.pop("locationId", None)
    return data


def _populate(a: Bound) -> Any:
    data = a.data
    if isinstance(data, Path):
        data = data.read_bytes()
    if isinstance(data, (bytes, bytearray, str)):
        try:
            return body(data)
        except ValueError:
            raise OFSCValidationError(
                "the API takes a JSON body naming the file's download URL"
                ' ({"URL": ..., "authentication": ...}), not a file upload'
            ) from None
    return body(data)


def _plugin_file(a: Bound) -> Call:
    path = Path(a.plugin)
    return Call("metadata.import_plugin", (path.read_bytes(),), {"filename": path.name})


def _plugin(a: Bound) -> bytes:
    text = a.plugin
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)


def _today_or(name: str) -> Callable[[Bound], Any]:
    return lambda a: dt.date.today() if a.defaulted(name) else getattr(a, name)


def _token_args(a: Bound) -> dict[str, Any]:
    request = a.pick("params", "request", "auth")
    if request is None or a.defaulted(next(n for n in ("params", "request", "auth") if a.has(n))):
        return {}
    data = body(request)
    return {
        "grant_type": data.get("grant_type", "client_credentials"),
        "assertion": data.get("assertion"),
    }


def _booking_options(a: Bound) -> dict[str, Any]:
    from ofsc_cli.client.api.capacity import BOOKING_OPTION_QUERY

    given = {
        "areas": a.areas,
        "categories": a.categories,
        "timeZone": a.timeZone,
        "determineAreaByWorkZone": a.determineAreaByWorkZone,
        "language": a.languageCode,
        **a.kwargs,
    }
    return {k: v for k, v in given.items() if v is not None and k in BOOKING_OPTION_QUERY}


def _send(a: Bound) -> Call:
    kwargs = dict(a.kwargs)
    headers = {**dict(kwargs.pop("headers", None) or {}), **dict(a.additionalHeaders or {})}
    if "data" in kwargs and isinstance(kwargs["data"], (str, bytes)):
        kwargs["content"] = kwargs.pop("data")
    if headers:
        kwargs["headers"] = headers
    return Call("@send", (a.method.upper(), a.partialUrl), kwargs)


def _capacity_query(a: Bound) -> dict[str, Any]:
    return {
        "areas": a.areas,
        "categories": a.categories,
        "aggregate_results": a.aggregateResults,
        "calendar_time_intervals": a.calendarTimeIntervals,
        "available_time_intervals": a.availableTimeIntervals,
        "fields": a.fields,
    }


def _quota_query(a: Bound) -> dict[str, Any]:
    return {
        "areas": a.areas,
        "categories": a.categories,
        "aggregate_results": a.aggregateResults,
        "category_level": a.categoryLevel,
        "interval_level": a.intervalLevel,
        "time_slot_level": a.timeSlotLevel,
        "return_statuses": a.returnStatuses,
    }


def _with_dates(target: str, *pos: Value) -> Op:
    return to(target, *pos, date_from="dateFrom|date_from", date_to="dateTo|date_to")


def _capacity_call(target: str, query: Callable[[Bound], dict[str, Any]]) -> Op:
    def build(a: Bound) -> Call:
        return Call(target, (a.dates,), query(a))

    return Op(build, target)


def _labelled(
    target: str,
    key: str = "label",
    arg: str = "data",
    deviation: str = "",
    dump: str | tuple[str, str] = "fill",
) -> Op:
    """A write by key whose key 2.x read from the body: ``target(label, body)``."""
    names = arg.split("|")
    return to(
        target, lambda a: _label(a.pick(*names), key), B(*names, dump=dump), deviation=deviation
    )


RESOURCE_ID = "resource_id|resourceId"
_NOT_IMPLEMENTED = "2.x raises NotImplementedError here (no request); this one reads the list"
TOKEN = "oauth2.token_v2"

# --------------------------------------------------------------------------- the table
TABLE: dict[str, Op] = {
    # ---- core: activities
    "core.get_activities": _kw_call("core.list_activities", _activities_query),
    "core.get_activity": to("core.get_activity", "activity_id"),
    "core.create_activity": to("core.create_activity", B("activity")),
    "core.update_activity": to("core.update_activity", "activity_id", B("data")),
    "core.delete_activity": to("core.delete_activity", "activity_id"),
    "core.search_activities": _kw_call("core.search_activities", lambda a: _query(a.params)),
    "core.move_activity": to(
        "core.move_activity",
        "activity_id",
        B("data"),
        deviation="2.x's sync client expected 200; the API answers 204 (it returned None)",
    ),
    "core.bulk_update": Op(
        lambda a: Call("core.bulk_update_activities", (_bulk_update(a),)),
        "core.bulk_update_activities",
        deviation="2.x's model sends parameters.fallbackResource; the spec's name is"
        " fallbackResourceId (renamed when sent)",
    ),
    "core.get_capacity_categories": to("core.list_capacity_categories", "activity_id"),
    "core.get_customer_inventories": to(
        "core.list_customer_inventories", "activity_id", offset="offset", limit="limit"
    ),
    "core.create_customer_inventory": to(
        "core.create_customer_inventory", "activity_id", B("inventory")
    ),
    "core.get_deinstalled_inventories": to(
        "core.list_deinstalled_inventories", "activity_id", offset="offset", limit="limit"
    ),
    "core.get_installed_inventories": to(
        "core.list_installed_inventories", "activity_id", offset="offset", limit="limit"
    ),
    "core.get_file_property": to(
        "core.get_activity_file",
        "activity_id|activityId",
        "label",
        accept="media_type|mediaType",
    ),
    "core.set_file_property": to(
        "core.replace_activity_file",
        "activity_id",
        "label",
        "content",
        media_type="media_type",
        filename="filename",
    ),
    "core.delete_file_property": to("core.delete_activity_file", "activity_id", "label"),
    "core.get_linked_activities": to("core.list_linked_activities", "activity_id"),
    "core.link_activities": to("core.create_linked_activity", "activity_id", B("link")),
    "core.unlink_activities": to("core.delete_linked_activities", "activity_id"),
    "core.get_activity_link": to(
        "core.get_linked_activity", "activity_id", "linked_activity_id", "link_type"
    ),
    "core.set_activity_link": to(
        "core.replace_linked_activity",
        "activity_id",
        "linked_activity_id",
        "link_type",
        B("data"),
    ),
    "core.delete_activity_link": to(
        "core.delete_linked_activity", "activity_id", "linked_activity_id", "link_type"
    ),
    "core.get_required_inventories": to("core.list_required_inventories", "activity_id"),
    "core.set_required_inventories": to(
        "core.replace_required_inventories",
        "activity_id",
        lambda a: {"items": body_of(a, "inventories")},
    ),
    "core.delete_required_inventories": to("core.delete_required_inventories", "activity_id"),
    "core.get_resource_preferences": to("core.list_resource_preferences", "activity_id"),
    "core.set_resource_preferences": to(
        "core.replace_resource_preferences",
        "activity_id",
        lambda a: {"items": body_of(a, "preferences")},
    ),
    "core.delete_resource_preferences": to("core.delete_resource_preferences", "activity_id"),
    "core.get_submitted_forms": to(
        "core.list_submitted_forms", "activity_id", offset="offset", limit="limit"
    ),
    "core.get_multiday_segments": to("core.list_multiday_segments", "activity_id"),
    "core.get_all_activities": flow(
        "core.list_activities",
        _all_activities,
        local="pages core.list_activities (resources=root, includeChildren=all) and collects"
        " every item; the default window is today-7..today+7, evaluated at each call",
        deviation="2.x's sync client evaluated its default window once, at import",
    ),
    "core.get_all_properties": flow(
        "metadata.list_properties",
        _all_properties,
        local="pages metadata.list_properties and collects every item",
        deviation="2.x's sync client calls a get_properties its core namespace lacks"
        " (AttributeError, no request); this one works",
    ),
    # ---- core: events and daily extract
    "core.get_events": _kw_call("core.list_events", lambda a: _query(a.params)),
    "core.get_subscriptions": to("core.list_event_subscriptions"),
    "core.create_subscription": Op(
        lambda a: Call("core.create_event_subscription", (_subscription(a),)),
        "core.create_event_subscription",
        deviation="2.x sends the title as 'title'; the spec's field is subscriptionTitle"
        " (renamed when sent)",
    ),
    "core.delete_subscription": to("core.delete_event_subscription", "subscription_id"),
    "core.get_subscription_details": to("core.get_event_subscription", "subscription_id"),
    "core.get_subscription": to("core.get_event_subscription", "subscription_id"),
    "core.get_daily_extract_dates": to(
        "core.list_daily_extract_dates",
        deviation="2.x requests the folder list with a trailing slash",
    ),
    "core.get_daily_extract_files": to("core.list_daily_extract_files", "date"),
    "core.get_daily_extract_file": to("core.get_daily_extract_file", "date", "filename"),
    "core.get_daily_extract_file_stream": Op(
        lambda a: Call("core.get_daily_extract_file", (a.date, a.filename)),
        "core.get_daily_extract_file",
        stream=True,
        local="the declared operation's request, sent with the body left unread: a context"
        " manager of the response (sync) or of an async iterator of byte chunks (async)",
        deviation="the sync timeout argument is accepted and ignored: the client's timeouts apply",
    ),
    # ---- core: resources
    "core.get_resource": to("core.get_resource", "resource_id", expand=_expand),
    "core.create_resource": to(
        "core.replace_resource",
        RESOURCE_ID,
        B("data"),
        deviation="2.x's sync client expected 200; a create answers 201 (it returned None)",
    ),
    "core.create_resource_from_obj": to("core.replace_resource", RESOURCE_ID, B("data")),
    "core.update_resource": to(
        "core.update_resource",
        RESOURCE_ID,
        B("data"),
        identify_resource_by=lambda a: "resourceInternalId" if a.identify_by_internal_id else None,
    ),
    "core.get_position_history": to(
        "core.get_position_history", "resource_id", day="date|position_date"
    ),
    "core.get_resource_route": to(
        "core.get_route",
        "resource_id",
        "date|route_date",
        activity_fields="activityFields",
        offset="offset",
        limit="limit",
        deviation="2.x's sync client does not send offset/limit",
    ),
    "core.get_resource_descendants": to(
        "core.list_resource_descendants",
        "resource_id",
        offset="offset",
        limit="limit",
        fields="resourceFields|fields",
        expand=_expand,
        deviation="2.x sends the field list as resourceFields (async) or a list as repeated"
        " fields= parameters (sync); the spec's form is one comma-separated fields value",
    ),
    "core.get_resource_children": to(
        "core.list_resource_children", "resource_id", offset="offset", limit="limit"
    ),
    "core.get_resources": to(
        "core.list_resources",
        offset="offset",
        limit="limit",
        fields="fields",
        expand=_expand,
        can_be_team_holder="canBeTeamHolder",
        can_participate_in_team="canParticipateInTeam",
    ),
    "core.get_all_resources": to(
        "core.list_resources", limit="limit", fields="fields", expand=_expand, iterate=True
    ),
    "core.get_resource_users": to(
        "core.list_resource_users",
        "resource_id",
        deviation="2.x sends no offset/limit: one page (at most 100) only, as here",
    ),
    "core.set_resource_users": to(
        "core.set_resource_users",
        "resource_id",
        lambda a: {"items": [{"login": user} for user in a.users]},
    ),
    "core.delete_resource_users": to("core.delete_resource_users", "resource_id"),
    "core.get_resource_workschedules": to(
        "core.list_resource_work_schedules",
        "resource_id",
        actual_for_date="actualDate|actual_date",
        deviation="2.x sends actualDate; the spec's query name is actualForDate",
    ),
    "core.set_resource_workschedules": to(
        "core.add_resource_work_schedule", "resource_id", B("data")
    ),
    "core.get_resource_calendar": _with_dates(
        "core.get_work_schedule_calendar_view", "resource_id"
    ),
    "core.get_resource_inventories": to(
        "core.list_resource_inventories",
        "resource_id",
        deviation="2.x sends no offset/limit: one page (at most 100) only, as here",
    ),
    "core.get_resource_assigned_locations": to("core.get_assigned_locations", "resource_id"),
    "core.get_assigned_locations": to(
        "core.get_assigned_locations",
        "resource_id",
        date_from=lambda a: _today_or("dateFrom")(a) if a.has("dateFrom") else a.date_from,
        date_to=lambda a: _today_or("dateTo")(a) if a.has("dateTo") else a.date_to,
    ),
    "core.set_assigned_locations": to(
        "core.set_assigned_locations", "resource_id", B("data", dump="unset")
    ),
    "core.get_resource_workzones": to("core.list_resource_work_zones", "resource_id"),
    "core.get_resource_workskills": to("core.list_resource_work_skills", "resource_id"),
    "core.bulk_update_resource_workzones": to(
        "core.bulk_update_work_zones", lambda a: _items(a.data)
    ),
    "core.bulk_update_resource_workskills": to(
        "core.bulk_update_work_skills", lambda a: _items(a.data)
    ),
    "core.bulk_update_resource_workschedules": to(
        "core.bulk_update_work_schedules", lambda a: _items(a.data)
    ),
    "core.get_resource_locations": to("core.list_resource_locations", "resource_id"),
    "core.create_resource_location": to("core.create_resource_location", "resource_id", _location),
    "core.delete_resource_location": to(
        "core.delete_resource_location", "resource_id", "location_id"
    ),
    "core.get_resource_location": to("core.get_resource_location", "resource_id", "location_id"),
    "core.update_resource_location": to(
        "core.update_resource_location", "resource_id", "location_id", B("data")
    ),
    "core.get_resource_assistants": to(
        "core.get_resource_assistants", "resource_id", date_from="date_from", date_to="date_to"
    ),
    "core.get_resource_plans": to(
        "core.get_resource_plans", "resource_id", date_from="date_from", date_to="date_to"
    ),
    "core.get_calendars": to(
        "core.list_calendars", resources="resources", date_from="date_from", date_to="date_to"
    ),
    "core.get_resource_file_property": to(
        "core.get_resource_file", "resource_id", "property_label", accept="media_type"
    ),
    "core.set_resource_file_property": to(
        "core.set_resource_file",
        "resource_id",
        "property_label",
        "content",
        media_type="content_type",
        filename="filename",
    ),
    "core.delete_resource_file_property": to(
        "core.delete_resource_file", "resource_id", "property_label"
    ),
    "core.create_resource_inventory": to(
        "core.create_resource_inventory", "resource_id", B("inventory_data")
    ),
    "core.install_resource_inventory": to(
        "core.install_resource_inventory",
        "resource_id",
        "inventory_id",
        deviation="2.x parses an Inventory from the answer; the spec's 200 has no schema"
        " (the JSON is parsed when there is one)",
    ),
    "core.set_resource_workskills": to(
        "core.set_resource_work_skills",
        "resource_id",
        lambda a: _listed(body_of(a, "workskills")),
        deviation='2.x sends {"items": [...]}; the spec\'s body is a bare array',
    ),
    "core.delete_resource_workskill": to(
        "core.delete_resource_work_skill", "resource_id", "workskill"
    ),
    "core.set_resource_workzones": flow(
        "core.add_resource_work_zone",
        _set_work_zones,
        also=("core.list_resource_work_zones",),
        local="one POST per zone (the API takes one), then the resource's zones are read back",
        deviation='2.x sends {"items": [...]} in one POST and parses a list back; the spec'
        " takes one resourceWorkZone object and answers 204",
    ),
    "core.delete_resource_workzone": to(
        "core.delete_resource_work_zone", "resource_id", "workzone_item_id"
    ),
    "core.delete_resource_workschedule": to(
        "core.delete_resource_work_schedule", "resource_id", "schedule_item_id"
    ),
    # ---- core: users
    "core.get_users": to("core.list_users", offset="offset", limit="limit"),
    "core.get_user": to("core.get_user", "login"),
    "core.create_user": to("core.replace_user", "login", B("data", coerce=True)),
    "core.update_user": to("core.update_user", "login", B("data")),
    "core.delete_user": to("core.delete_user", "login"),
    "core.get_user_property": to("core.get_user_file", "login", "property_label"),
    "core.set_user_property": to(
        "core.set_user_file",
        "login",
        "property_label",
        "content",
        media_type="content_type",
        filename="filename",
    ),
    "core.delete_user_property": to("core.delete_user_file", "login", "property_label"),
    "core.get_user_collab_groups": to("core.list_user_collaboration_groups", "login"),
    "core.set_user_collab_groups": to(
        "core.add_user_collaboration_groups",
        "login",
        lambda a: {"items": [{"name": g} for g in a.groups]},
    ),
    "core.delete_user_collab_groups": to("core.delete_user_collaboration_groups", "login"),
    # ---- core: inventories
    "core.create_inventory": to("core.create_inventory", B("data", coerce=True)),
    "core.get_inventory": to("core.get_inventory", "inventory_id"),
    "core.update_inventory": to("core.update_inventory", "inventory_id", B("data")),
    "core.delete_inventory": to("core.delete_inventory", "inventory_id"),
    "core.get_inventory_property": to("core.get_inventory_file", "inventory_id", "label"),
    "core.set_inventory_property": to(
        "core.set_inventory_file",
        "inventory_id",
        "label",
        "content",
        media_type="content_type",
        filename="filename",
    ),
    "core.delete_inventory_property": to("core.delete_inventory_file", "inventory_id", "label"),
    "core.inventory_install": to("core.install_inventory", "inventory_id", B("data")),
    "core.inventory_deinstall": to("core.deinstall_inventory", "inventory_id", B("data")),
    "core.inventory_undo_install": to("core.undo_install_inventory", "inventory_id", B("data")),
    "core.inventory_undo_deinstall": to("core.undo_deinstall_inventory", "inventory_id", B("data")),
    # ---- metadata
    "metadata.get_properties": to("metadata.list_properties", offset="offset", limit="limit"),
    "metadata.get_property": to("metadata.get_property", "label"),
    "metadata.create_or_replace_property": _labelled(
        "metadata.replace_property", arg="property", dump=("all", "fill")
    ),
    "metadata.update_property": _labelled("metadata.update_property", arg="property"),
    "metadata.get_enumeration_values": to(
        "metadata.list_enumeration_values", "label", offset="offset", limit="limit"
    ),
    "metadata.create_or_update_enumeration_value": to(
        "metadata.replace_enumeration_values", "label", B("value", dump="all")
    ),
    "metadata.get_workzones": to("metadata.list_work_zones", offset="offset", limit="limit"),
    "metadata.get_all_workzones": to("metadata.list_work_zones", limit="limit", iterate=True),
    "metadata.get_workzone": to("metadata.get_work_zone", "label"),
    "metadata.create_workzone": to("metadata.create_work_zone", B("workzone")),
    "metadata.replace_workzone": to(
        "metadata.replace_work_zone",
        lambda a: _label(a.workzone, "workZoneLabel"),
        B("workzone"),
        auto_resolve_conflicts=lambda a: True if a.auto_resolve_conflicts else None,
    ),
    "metadata.replace_workzones": to(
        "metadata.replace_work_zones",
        B("data"),
        deviation="2.x's async client decodes a JSON answer; the API answers 204 (None here)",
    ),
    "metadata.update_workzones": to(
        "metadata.update_work_zones",
        B("data"),
        deviation="2.x's async client decodes a JSON answer; the API answers 204 (None here)",
    ),
    "metadata.get_workzone_key": to("metadata.get_work_zone_key"),
    "metadata.populate_workzone_shapes": to(
        "metadata.populate_shapes",
        _populate,
        deviation="2.x uploads the file (multipart); the spec takes JSON naming a download URL"
        " (a JSON body is sent; a file that is not JSON is refused before sending)",
    ),
    "metadata.get_populate_workzone_shapes_status": to(
        "metadata.get_populate_shapes_status", "download_id"
    ),
    "metadata.get_resource_types": to(
        "metadata.list_resource_types",
        deviation="2.x sends no offset/limit: one page (at most 100) only, as here",
    ),
    "metadata.import_plugin": to(
        "metadata.import_plugin",
        _plugin,
        filename=const("noname.xml"),
        deviation="2.x's JSON Content-Type header overrode the multipart one; a real"
        " multipart/form-data upload is sent",
    ),
    "metadata.import_plugin_file": Op(
        _plugin_file,
        "metadata.import_plugin",
        deviation="2.x's JSON Content-Type header overrode the multipart one; a real"
        " multipart/form-data upload is sent",
    ),
    "metadata.install_plugin": to("metadata.install_plugin", "plugin_label"),
    "metadata.get_workskills": to("metadata.list_work_skills", offset="offset", limit="limit"),
    "metadata.get_workskill": to("metadata.get_work_skill", "label"),
    "metadata.create_or_update_workskill": _labelled("metadata.replace_work_skill", arg="skill"),
    "metadata.delete_workskill": to("metadata.delete_work_skill", "label"),
    "metadata.get_workskill_conditions": to("metadata.list_work_skill_conditions"),
    "metadata.replace_workskill_conditions": to(
        "metadata.replace_work_skill_conditions", lambda a: _listed(body_of(a, "data"))
    ),
    "metadata.get_workskill_groups": to(
        "metadata.list_work_skill_groups",
        deviation="2.x sends no offset/limit: one page (at most 100) only, as here",
    ),
    "metadata.get_workskill_group": to("metadata.get_work_skill_group", "label"),
    "metadata.create_or_update_workskill_group": _labelled(
        "metadata.replace_work_skill_group", dump=("all", "fill")
    ),
    "metadata.delete_workskill_group": to("metadata.delete_work_skill_group", "label"),
    "metadata.get_activity_type_groups": to(
        "metadata.list_activity_type_groups", offset="offset", limit="limit"
    ),
    "metadata.get_activity_type_group": to("metadata.get_activity_type_group", "label"),
    "metadata.create_or_replace_activity_type_group": _labelled(
        "metadata.replace_activity_type_group"
    ),
    "metadata.get_activity_types": to(
        "metadata.list_activity_types", offset="offset", limit="limit"
    ),
    "metadata.get_activity_type": to("metadata.get_activity_type", "label"),
    "metadata.create_or_replace_activity_type": _labelled("metadata.replace_activity_type"),
    "metadata.get_capacity_areas": to(
        "metadata.list_capacity_areas",
        expand=lambda a: "parent" if a.expandParent else None,
        fields=lambda a: a.fields or None,
        status=lambda a: "active" if a.activeOnly else None,
        type=lambda a: "area" if a.areasOnly else None,
    ),
    "metadata.get_capacity_area": to("metadata.get_capacity_area", "label"),
    "metadata.get_capacity_area_capacity_categories": to(
        "metadata.list_capacity_area_capacity_categories", "label"
    ),
    "metadata.get_capacity_area_children": to(
        "metadata.list_capacity_area_children",
        "label",
        status="status",
        fields="fields",
        expand="expand",
        type="type",
    ),
    "metadata.get_capacity_area_organizations": to(
        "metadata.list_capacity_area_organizations", "label"
    ),
    "metadata.get_capacity_area_time_intervals": to(
        "metadata.list_capacity_area_time_intervals", "label"
    ),
    "metadata.get_capacity_area_time_slots": to("metadata.list_capacity_area_time_slots", "label"),
    "metadata.get_capacity_area_workzones": to("metadata.list_capacity_area_work_zones", "label"),
    "metadata.get_capacity_area_workzones_v1": to(
        "metadata.list_capacity_area_work_zones_v1", "label"
    ),
    "metadata.get_capacity_categories": to(
        "metadata.list_capacity_categories", offset="offset", limit="limit"
    ),
    "metadata.get_capacity_category": to("metadata.get_capacity_category", "label"),
    "metadata.create_or_replace_capacity_category": _labelled("metadata.replace_capacity_category"),
    "metadata.delete_capacity_category": to("metadata.delete_capacity_category", "label"),
    "metadata.get_inventory_types": to(
        "metadata.list_inventory_types",
        offset="offset",
        limit="limit",
        deviation="2.x's sync client sends no offset/limit: one page (at most 100) only",
    ),
    "metadata.get_inventory_type": to("metadata.get_inventory_type", "label"),
    "metadata.create_or_replace_inventory_type": _labelled("metadata.replace_inventory_type"),
    "metadata.get_applications": to("metadata.list_applications"),
    "metadata.get_application": to("metadata.get_application", "label"),
    "metadata.create_or_replace_application": _labelled("metadata.replace_application"),
    "metadata.get_application_api_accesses": to("metadata.list_application_api_access", "label"),
    "metadata.get_application_api_access": to(
        "metadata.get_application_api_access", "label", "accessId|access_id"
    ),
    "metadata.update_application_api_access": to(
        "metadata.update_application_api_access", "label", "api_label", B("data")
    ),
    "metadata.generate_application_client_secret": to("metadata.generate_client_secret", "label"),
    "metadata.get_organizations": to("metadata.list_organizations"),
    "metadata.get_organization": to("metadata.get_organization", "label"),
    "metadata.get_routing_profiles": to(
        "metadata.list_routing_profiles", offset="offset", limit="limit"
    ),
    "metadata.get_routing_profile_plans": to(
        "metadata.list_routing_plans", "profile_label", offset="offset", limit="limit"
    ),
    "metadata.export_routing_plan": to(
        "metadata.export_routing_plan", "profile_label", "plan_label"
    ),
    "metadata.export_plan_file": to("metadata.export_routing_plan", "profile_label", "plan_label"),
    "metadata.import_routing_plan": to(
        "metadata.import_routing_plan", "profile_label", "plan_data"
    ),
    "metadata.force_import_routing_plan": to(
        "metadata.force_import_routing_plan", "profile_label", "plan_data"
    ),
    "metadata.start_routing_plan": to(
        "metadata.start_routing_plan",
        "profile_label",
        "plan_label",
        "resource_external_id",
        "date",
    ),
    "metadata.get_forms": to("metadata.list_forms", offset="offset", limit="limit"),
    "metadata.get_form": to("metadata.get_form", "label"),
    "metadata.create_or_replace_form": _labelled("metadata.replace_form"),
    "metadata.delete_form": to("metadata.delete_form", "label"),
    "metadata.get_languages": to("metadata.list_languages", offset="offset", limit="limit"),
    "metadata.get_language": flow(
        "metadata.list_languages",
        _find("metadata.list_languages", "language"),
        local="the API has no single-language read: the list is paged until the label is"
        " found (a 404-like OFSCNotFoundError otherwise)",
        deviation=_NOT_IMPLEMENTED,
    ),
    "metadata.get_link_templates": to(
        "metadata.list_link_templates", offset="offset", limit="limit"
    ),
    "metadata.get_link_template": to("metadata.get_link_template", "label"),
    "metadata.create_link_template": _labelled(
        "metadata.create_link_template",
        deviation="2.x posts to linkTemplates (no label); the spec's operation is"
        " POST linkTemplates/{label}",
    ),
    "metadata.update_link_template": _labelled("metadata.update_link_template"),
    "metadata.get_map_layers": to(
        "metadata.list_map_layers",
        deviation="2.x sends offset/limit; the operation takes no query parameters",
    ),
    "metadata.get_map_layer": to("metadata.get_map_layer", "label"),
    "metadata.create_map_layer": to("metadata.create_map_layer", B("data")),
    "metadata.create_or_replace_map_layer": _labelled("metadata.replace_map_layer"),
    "metadata.populate_map_layers": to(
        "metadata.populate_layers",
        _populate,
        deviation="2.x uploads the file (multipart); the spec takes JSON naming a download URL"
        " (a JSON body is sent; a file that is not JSON is refused before sending)",
    ),
    "metadata.get_populate_map_layers_status": to(
        "metadata.get_populate_layers_status", "download_id"
    ),
    "metadata.get_non_working_reasons": to(
        "metadata.list_non_working_reasons", offset="offset", limit="limit"
    ),
    "metadata.get_non_working_reason": flow(
        "metadata.list_non_working_reasons",
        _find("metadata.list_non_working_reasons", "non-working reason"),
        local="the API has no single read: the list is paged until the label is found",
        deviation=_NOT_IMPLEMENTED,
    ),
    "metadata.get_shifts": to("metadata.list_shifts", offset="offset", limit="limit"),
    "metadata.get_shift": to("metadata.get_shift", "label"),
    "metadata.create_or_replace_shift": _labelled("metadata.replace_shift"),
    "metadata.delete_shift": to("metadata.delete_shift", "label"),
    "metadata.get_time_slots": to("metadata.list_time_slots", offset="offset", limit="limit"),
    "metadata.get_time_slot": flow(
        "metadata.list_time_slots",
        _find("metadata.list_time_slots", "time slot"),
        local="the API has no single read: the list is paged until the label is found",
        deviation=_NOT_IMPLEMENTED,
    ),
    # ---- capacity
    "capacity.getAvailableCapacity": _capacity_call("capacity.get_capacity", _capacity_query),
    "capacity.get_available_capacity": _capacity_call("capacity.get_capacity", _capacity_query),
    "capacity.getQuota": _capacity_call("capacity.get_quota", _quota_query),
    "capacity.get_quota": _capacity_call("capacity.get_quota", _quota_query),
    "capacity.get_activity_booking_options": Op(
        lambda a: Call(
            "capacity.get_activity_booking_options", (a.dates, a.activityType), _booking_options(a)
        ),
        "capacity.get_activity_booking_options",
        deviation="2.x sends duration, workSkills, timeSlots, resourceId, activityId, workZone,"
        " aggregateResults, returnAvailableSlots and returnStatuses, which the operation does"
        " not take (not sent), and languageCode for the spec's language",
    ),
    "capacity.get_booking_closing_schedule": to("capacity.get_booking_closing_schedule", "areas"),
    "capacity.get_booking_fields_dependencies": to(
        "capacity.get_booking_fields_dependencies",
        deviation="2.x sends areas, which the operation does not take (not sent)",
    ),
    "capacity.get_booking_statuses": to("capacity.get_booking_statuses", "dates", areas="areas"),
    "capacity.show_booking_grid": to("capacity.show_booking_grid", B("data", coerce=True)),
    "capacity.update_booking_closing_schedule": to(
        "capacity.update_booking_closing_schedule", B("data", coerce=True)
    ),
    "capacity.update_booking_statuses": to(
        "capacity.update_booking_statuses", B("data", coerce=True)
    ),
    "capacity.update_quota": to("capacity.update_quota", B("data", coerce=True)),
    # ---- statistics
    "statistics.get_activity_duration_stats": to(
        "statistics.get_activity_duration_stats",
        resource_id="resource_id",
        include_children="include_children",
        akey="akey",
        offset="offset",
        limit="limit",
    ),
    "statistics.get_activity_travel_stats": to(
        "statistics.get_activity_travel_stats",
        region="region",
        tkey="tkey",
        fkey="fkey",
        key_id="key_id",
        offset="offset",
        limit="limit",
    ),
    "statistics.get_airline_distance_based_travel": to(
        "statistics.get_airline_distance_based_travel",
        level="level",
        key="key",
        distance="distance",
        key_id="key_id",
        offset="offset",
        limit="limit",
    ),
    "statistics.update_activity_duration_stats": to(
        "statistics.update_activity_duration_stats", B("data", coerce=True)
    ),
    "statistics.update_activity_travel_stats": to(
        "statistics.update_activity_travel_stats", B("data", coerce=True)
    ),
    "statistics.update_airline_distance_based_travel": to(
        "statistics.update_airline_distance_based_travel", B("data", coerce=True)
    ),
    # ---- oauth2 (and 2.x's helpers present on every sync namespace)
    "oauth2.get_token": _kw_call(TOKEN, _token_args),
}

_CALL = Op(
    _send,
    "client.send",
    local="2.x's raw request helper: the request is built on the client's base URL and sent"
    " through its middleware chain (retries, auth); the response comes back whatever its"
    " status, with requests' .ok",
    deviation="2.x built merged headers and then dropped additionalHeaders; they are sent",
)
_TOKEN = _kw_call(TOKEN, _token_args)
for _ns in ("core", "metadata", "capacity", "oauth2"):
    TABLE[f"{_ns}.call"] = _CALL
    TABLE[f"{_ns}.token"] = _TOKEN


def targets(op: Op) -> Iterable[str]:
    """The v3 client methods an entry uses (its target first)."""
    yield op.target
    yield from op.also
