"""Core API: everything about activities except ``GET activities`` (see :mod:`.activities`),
plus where-is-my-tech, events, the daily extract and service requests.

Activities live in the store's ``activities`` table; the sandbox's "today" is the day its
data is centred on (:func:`~ofsc_cli.sandbox.seed.today_of`).  Other state, in store collections:

=============================  ===================================================
``activityLinks``              one document per link (key ``from:to:type``)
``activityRequiredInventories``  ``{items}`` per activity (key = activity id)
``activityResourcePreferences``  ``{items}`` per activity
``activityFiles``              file properties (key ``id:label``; content base64)
``eventLog``                   every event, in order (key = sequence number); the seeded
                               ``events`` of a subscription are copied in on first use
``serviceRequests``            service requests (key = request id)
=============================  ===================================================

Rules emulated: the status actions follow the OFS transitions (``start`` from pending or
enroute, ``complete``/``notDone``/``suspend``/``delay`` from started, ``cancel`` from pending
or enroute, ``enroute`` from pending, ``stopTravel`` from enroute, ``reopen`` from a final
status with ``setPositionInRoute``); start, complete, notDone and cancel refuse past-dated
activities; an action ``time`` must be ``YYYY-MM-DD HH:MM:SS`` and not before the previous
one.  ``PATCH`` refuses date, status, resource and position (409 otherwise for actions from
the wrong status).  Every change is logged as an event for the subscriptions that asked for
its type.  Binary responses (file properties, extract files) honour ``Range``/``If-Range``.
A service request created with a property whose value is ``{"mediaType", "content"}``
(base64) gets that property as a file (a sandbox convenience to test the file download).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import random
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    binary_response,
    conflict,
    not_found,
    page_args,
    paged,
    parse_date,
    whole_list,
)
from ofsc_cli.sandbox.router import Call, parse_id, route
from ofsc_cli.sandbox.seed import seed_window, today_of
from ofsc_cli.sandbox.store import Store

__all__ = ["EVENT_TYPES", "FINAL_STATUSES", "emit_event"]

CORE = "/rest/ofscCore/v1"
ACTIVITY = f"{CORE}/activities/{{activityId}}"
ACTION = f"{ACTIVITY}/custom-actions"
LINK = f"{ACTIVITY}/linkedActivities/{{linkedActivityId}}/linkTypes/{{linkType}}"
EXTRACT = f"{CORE}/folders/dailyExtract/folders"

FINAL_STATUSES = frozenset({"completed", "notdone", "cancelled"})
MAX_FILE_BYTES = 5_000_000
MAX_BULK_BYTES = 5_000_000
MAX_SUBSCRIPTIONS = 100
SEARCH_MAX_MATCHES = 1000
EVENTS_DEFAULT_LIMIT = 100
EVENTS_MAX_LIMIT = 1000
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_CURSOR = re.compile(r"^e([0-9a-f]{1,40})$")
_READ_ONLY = ("activityId", "status", "resourceId", "date", "positionInRoute")
_SEARCHABLE = (
    "customerName",
    "apptNumber",
    "customerNumber",
    "customerEmail",
    "customerPhone",
    "customerCell",
    "streetAddress",
    "postalCode",
)
EVENT_TYPES = frozenset(
    {
        "activityCreated",
        "activityUpdated",
        "activityStarted",
        "activityTravelStarted",
        "activityTravelStopped",
        "activitySuspended",
        "activityCompleted",
        "activityNotDone",
        "activityCanceled",
        "activityDeleted",
        "activityDelayed",
        "activityReopened",
        "activityPreworkCreated",
        "activityLinkCreated",
        "activityLinkDeleted",
        "activityMoved",
        "resourcePreferenceCreated",
        "resourcePreferenceDeleted",
        "requiredInventoryCreated",
        "requiredInventoryUpdated",
        "requiredInventoryDeleted",
        "customerInventoryCreated",
        "customerRequestCreated",
        "inventoryRequestCreated",
        "resourceRequestCreated",
        "formSubmitted",
    }
)


# ----------------------------------------------------------------------------- helpers


def _now(call: Call) -> dt.datetime:
    return dt.datetime.fromtimestamp(call.emulator.clock(), dt.UTC).replace(tzinfo=None)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _activity_id(call: Call) -> int:
    value = call.param("activityId")
    number = parse_id(value)
    if number is None:
        raise not_found("activity", value)
    return number


def _load(store: Store, activity_id: object) -> dict[str, Any]:
    """The activity ``activity_id`` (an int or digits, as a client sent it); 404 otherwise."""
    number = parse_id(activity_id)
    doc = None if number is None else store.get_activity(number)
    if doc is None:
        raise not_found("activity", activity_id)
    return doc


def _activity(call: Call) -> dict[str, Any]:
    return _load(call.store, _activity_id(call))


def _body_object(call: Call, *, optional: bool = False) -> dict[str, Any]:
    if optional and not call.request.body.strip():
        return {}
    return call.json_object()


def _caller(call: Call) -> str:
    who = call.emulator.auth.check(call.request)
    return call.emulator.config.client_id if who == "bearer" else who


def _route_end(store: Store, resource_id: str, date: str | None) -> int:
    """The position after the last activity of a route (1 for an empty one)."""
    if date is None:
        return 1
    rows = store.query_activities([resource_id], date_from=date, date_to=date)
    positions = [json.loads(r).get("positionInRoute") or 0 for r in rows]
    return max(positions, default=0) + 1


def _new_activity(store: Store, base: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    doc = {k: v for k, v in base.items() if k not in ("startTime", "endTime", "links")}
    doc.update(changes)
    doc["activityId"] = store.next_id("activityId")
    doc["positionInRoute"] = _route_end(store, str(doc.get("resourceId")), doc.get("date"))
    if doc.get("date") is None:
        doc.pop("positionInRoute", None)
    store.put_activity(doc)
    return doc


def _details(doc: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("activityId", "resourceId", "date", "apptNumber", "status")
    return {k: doc[k] for k in keys if doc.get(k) is not None}


# ------------------------------------------------------------------------------ events


def _log_ready(store: Store) -> None:
    """Copy the seeded per-subscription events into the event log (once)."""
    if store.get_meta("eventlog:ready"):
        return
    with store.transaction():
        if store.get_meta("eventlog:ready"):
            return
        for subscription in store.items("eventSubscriptions"):
            sid = subscription["subscriptionId"]
            for event in store.items("events", parent=sid):
                seq = store.next_id("eventSeq")
                store.put("eventLog", f"{seq:012d}", {"seq": seq, "only": sid, "event": event})
        store.set_meta("eventlog:ready", "1")


def emit_event(call: Call, event_type: str, doc: Mapping[str, Any], **extra: Any) -> None:
    """Log one event about activity ``doc`` for every subscription that wants its type."""
    store = call.store
    _log_ready(store)
    event = {
        "eventType": event_type,
        "time": _stamp(_now(call)),
        "user": _caller(call),
        "activityDetails": _details(doc),
        **extra,
    }
    with store.transaction():
        seq = store.next_id("eventSeq")
        store.put("eventLog", f"{seq:012d}", {"seq": seq, "event": event})


def _last_seq(store: Store) -> int:
    value = store.get_meta("seq:eventSeq")
    return int(value) if value else 0


def _cursor(seq: int) -> str:
    return f"e{seq:x}"


def _subscription(call: Call) -> dict[str, Any]:
    sid = call.arg("subscriptionId") or call.params.get("subscriptionId") or ""
    doc = call.store.get("eventSubscriptions", sid)
    if doc is None:
        raise not_found("subscription", sid)
    return dict(doc)


def _wanted(subscription: Mapping[str, Any]) -> set[str]:
    types = set(subscription.get("events") or [])
    for config in subscription.get("subscriptionConfig") or []:
        types.update(config.get("events") or [])
    return types


def _log_from(store: Store, after: int, chunk: int = 500) -> Iterator[dict[str, Any]]:
    """Log records with a sequence number above ``after``, in order."""
    position = after
    while True:
        docs = store.items("eventLog", offset=position, limit=chunk)
        if not docs:
            return
        yield from docs
        position += len(docs)


@route("GET", f"{CORE}/events")
def list_events(call: Call) -> Response:
    store = call.store
    _log_ready(store)
    subscription = _subscription(call)
    sid = subscription["subscriptionId"]
    page, since = call.arg("page"), call.arg("since")
    if page and since:
        raise bad_request("Give 'page' or 'since', not both.")
    if since:
        if not _TIME.match(since):
            raise bad_request(f"'since' must be YYYY-MM-DD HH:MM:SS (UTC), got '{since}'.")
        start = _last_seq(store)
        for record in _log_from(store, 0):
            if str(record["event"].get("time", "")) >= since:
                start = record["seq"] - 1
                break
        return Response.json({"found": False, "items": [], "nextPage": _cursor(start)})
    if page == "lastRequested":
        start = int(store.get_meta(f"events:{sid}:lastRequested") or 0)
    elif page:
        match = _CURSOR.match(page)
        if match is None:
            raise bad_request(f"'{page}' is not a page this subscription handed out.")
        start = int(match.group(1), 16)
    else:
        start = int(store.get_meta(f"events:{sid}:start") or 0)
    limit = min(call.int_arg("limit") or EVENTS_DEFAULT_LIMIT, EVENTS_MAX_LIMIT)
    wanted = _wanted(subscription)
    items: list[dict[str, Any]] = []
    last = start
    for record in _log_from(store, start):
        if len(items) >= limit:
            break
        last = record["seq"]
        event = record["event"]
        if record.get("only") not in (None, sid) or event.get("eventType") not in wanted:
            continue
        items.append(event)
    store.set_meta(f"events:{sid}:lastRequested", str(start))
    return Response.json({"found": bool(items), "nextPage": _cursor(last), "items": items})


@route("GET", f"{CORE}/events/subscriptions")
def list_subscriptions(call: Call) -> Response:
    everyone = call.bool_arg("allSubscriptions")
    caller = _caller(call)
    docs = [
        d
        for d in call.store.items("eventSubscriptions")
        if everyone or d.get("applicationId") in (None, caller)
    ]
    return Response.json({"items": docs, "totalResults": len(docs)})


@route("POST", f"{CORE}/events/subscriptions")
def create_subscription(call: Call) -> Response:
    store = call.store
    body = call.json_object()
    configs = body.get("subscriptionConfig")
    types: list[str] = []
    if configs is not None:
        if not isinstance(configs, list) or not configs:
            raise bad_request("'subscriptionConfig' must be a non-empty array.")
        for config in configs:
            if not isinstance(config, dict) or not isinstance(config.get("events"), list):
                raise bad_request("Each 'subscriptionConfig' item needs an 'events' array.")
            types.extend(config["events"])
    elif isinstance(body.get("events"), list):
        types = list(body["events"])
    else:
        raise bad_request("Give 'subscriptionConfig' or 'events'.")
    unknown = sorted({str(t) for t in types} - EVENT_TYPES)
    if not types or unknown:
        raise bad_request(f"Unknown or missing event type(s): {', '.join(unknown) or 'none'}.")
    title = body.get("subscriptionTitle")
    if title is not None and not (isinstance(title, str) and 1 <= len(title) <= 255):
        raise bad_request("'subscriptionTitle' must be 1 to 255 characters.")
    _log_ready(store)
    with store.transaction():
        if store.count("eventSubscriptions") >= MAX_SUBSCRIPTIONS:
            raise OFSHTTPError(
                503,
                "Service Unavailable",
                f"Too many subscriptions registered. Found {MAX_SUBSCRIPTIONS}.",
            )
        number = store.next_id("subscription")
        sid = hashlib.sha256(f"subscription:{number}".encode()).hexdigest()[:32]
        now = _now(call)
        doc = {
            "subscriptionId": sid,
            **{k: v for k, v in body.items() if k in ("subscriptionTitle", "subscriptionConfig")},
            "applicationId": _caller(call),
            "createdTime": _stamp(now),
            "expirationTime": _stamp(now + dt.timedelta(hours=36)),
        }
        if configs is None:
            doc["events"] = types
        store.put("eventSubscriptions", sid, doc)
        start = _last_seq(store)
        store.set_meta(f"events:{sid}:start", str(start))
    return Response.json({"subscriptionId": sid, "nextPage": _cursor(start)})


@route("GET", f"{CORE}/events/subscriptions/{{subscriptionId}}")
def get_subscription(call: Call) -> Response:
    return Response.json(_subscription(call))


@route("DELETE", f"{CORE}/events/subscriptions/{{subscriptionId}}")
def delete_subscription(call: Call) -> Response:
    subscription = _subscription(call)
    call.store.delete("eventSubscriptions", subscription["subscriptionId"])
    return Response.no_content()


# ------------------------------------------------------------------ binary responses


def _wants_bytes(call: Call, media_type: str) -> bool:
    accept = (call.request.header("accept") or "").split(";")[0].strip().lower()
    if accept in ("", "application/json"):
        return False
    if accept in (media_type.lower(), "application/octet-stream", "*/*"):
        return True
    raise OFSHTTPError(
        406, "Not Acceptable", f"The file is {media_type}; ask for it or application/octet-stream."
    )


# -------------------------------------------------------------------- file properties


def _file_property(call: Call, entity: str) -> str:
    label = call.param("propertyLabel")
    prop = call.store.get("properties", label)
    if prop is None or prop.get("entity") != entity or prop.get("type") != "file":
        raise not_found(f"{entity} file property", label)
    return label


def _file_key(activity_id: int, label: str) -> str:
    return f"{activity_id}:{label}"


def _serve_file(call: Call, stored: Mapping[str, Any] | None, label: str) -> Response:
    if stored is None:
        raise not_found("file", label)
    media_type = str(stored.get("mediaType") or "application/octet-stream")
    if not _wants_bytes(call, media_type):
        return Response.json(
            {
                "name": label,
                "mediaType": media_type,
                "size": stored.get("size"),
                "fileName": stored.get("fileName"),
            }
        )
    return binary_response(call, base64.b64decode(stored["content"]), media_type)


@route("GET", f"{ACTIVITY}/{{propertyLabel}}")
def get_activity_file(call: Call) -> Response:
    doc = _activity(call)
    label = _file_property(call, "activity")
    stored = call.store.get("activityFiles", _file_key(doc["activityId"], label))
    return _serve_file(call, stored, label)


@route("PUT", f"{ACTIVITY}/{{propertyLabel}}")
def put_activity_file(call: Call) -> Response:
    doc = _activity(call)
    label = _file_property(call, "activity")
    data = call.request.body
    if not data:
        raise bad_request("The request body (the file) is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise OFSHTTPError(413, None, f"A file property holds at most {MAX_FILE_BYTES} bytes.")
    media_type = (call.request.header("content-type") or "application/octet-stream").split(";")[0]
    disposition = call.request.header("content-disposition") or ""
    name = re.search(r'filename="?([^";]+)"?', disposition)
    call.store.put(
        "activityFiles",
        _file_key(doc["activityId"], label),
        {
            "mediaType": media_type.strip(),
            "fileName": name.group(1) if name else None,
            "size": len(data),
            "content": base64.b64encode(data).decode(),
        },
    )
    emit_event(call, "activityUpdated", doc, activityChanges={label: "(file)"})
    return Response.no_content()


@route("DELETE", f"{ACTIVITY}/{{propertyLabel}}")
def delete_activity_file(call: Call) -> Response:
    doc = _activity(call)
    label = _file_property(call, "activity")
    if not call.store.delete("activityFiles", _file_key(doc["activityId"], label)):
        raise not_found("file", label)
    return Response.no_content()


# --------------------------------------------------------------------- the activity


def _check_resource(store: Store, resource_id: Any) -> str:
    if not isinstance(resource_id, str) or store.get("resources", resource_id) is None:
        raise bad_request(f"The resource '{resource_id}' does not exist.")
    return resource_id


def _check_date(value: Any, name: str = "date") -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"'{name}' must be a date in the YYYY-MM-DD format.")
    parsed = parse_date(value, name)
    return parsed.isoformat() if parsed else None


def _create(call: Call, body: Mapping[str, Any]) -> dict[str, Any]:
    store = call.store
    missing = [n for n in ("activityType", "resourceId") if not body.get(n)]
    if missing:
        raise bad_request(f"Missing required field(s): {', '.join(missing)}.")
    if store.get("activityTypes", body["activityType"]) is None:
        raise bad_request(f"The activity type '{body['activityType']}' does not exist.")
    resource = _check_resource(store, body["resourceId"])
    date = _check_date(body.get("date"))
    doc = {
        k: v
        for k, v in body.items()
        if k not in ("setPositionInRoute", "setTravelTime", "activityId", "status")
    }
    doc.update(resourceId=resource, status="pending", recordType="regular")
    doc.setdefault("timeZone", "Eastern")
    doc.setdefault("timeZoneIANA", "America/New_York")
    doc.setdefault("language", "en")
    doc.pop("date", None)
    if date:
        doc["date"] = date
    with store.transaction():
        created = _new_activity(store, {}, **doc)
    emit_event(call, "activityCreated", created)
    return created


@route("POST", f"{CORE}/activities")
def create_activity(call: Call) -> Response:
    return Response.json(_create(call, call.json_object()), 201)


@route("GET", ACTIVITY)
def get_activity(call: Call) -> Response:
    return Response.json(_activity(call))


@route("PATCH", ACTIVITY)
def update_activity(call: Call) -> Response:
    body = call.json_object()
    refused = [name for name in _READ_ONLY if name in body]
    if refused:
        raise bad_request(
            f"PATCH cannot change {', '.join(refused)}: use the move and status actions."
        )
    with call.store.transaction():
        doc = _activity(call)
        doc.update(body)
        call.store.put_activity(doc)
    emit_event(call, "activityUpdated", doc, activityChanges=body)
    return Response.json(doc)


@route("DELETE", ACTIVITY)
def delete_activity(call: Call) -> Response:
    with call.store.transaction():
        doc = _activity(call)
        if doc.get("status") != "pending":
            raise conflict(f"Only pending activities can be deleted; this one is {doc['status']}.")
        if doc.get("date") and doc["date"] < today_of(call.store).isoformat():
            raise conflict("Past activities cannot be deleted.")
        call.store.delete_activity(doc["activityId"])
    emit_event(call, "activityDeleted", doc)
    return Response.no_content()


# --------------------------------------------------------------------- status actions


@dataclass(frozen=True)
class Transition:
    """One status action: where it may start, where it leads, what it stamps."""

    action: str
    event: str
    sources: tuple[str, ...]
    target: str
    stamp: str | None = None
    not_past: bool = False


TRANSITIONS = (
    Transition("start", "activityStarted", ("pending", "enroute"), "started", "startTime", True),
    Transition("complete", "activityCompleted", ("started",), "completed", "endTime", True),
    Transition("notDone", "activityNotDone", ("started",), "notdone", "endTime", True),
    Transition("cancel", "activityCanceled", ("pending", "enroute"), "cancelled", None, True),
    Transition("enroute", "activityTravelStarted", ("pending",), "enroute"),
    Transition("stopTravel", "activityTravelStopped", ("enroute",), "pending"),
)


def _action_time(call: Call, doc: Mapping[str, Any], body: Mapping[str, Any]) -> str:
    """The body's ``time`` (checked), or now on the activity's day."""
    previous = max(str(doc.get("startTime") or ""), str(doc.get("endTime") or ""))
    given = body.get("time")
    if given is not None:
        if not isinstance(given, str) or not _TIME.match(given):
            raise bad_request(f"'time' must be YYYY-MM-DD HH:MM:SS, got '{given}'.")
        if previous and given < previous:
            raise bad_request(f"'time' {given} is earlier than the previous action ({previous}).")
        return given
    day = str(doc.get("date") or today_of(call.store).isoformat())
    moment = f"{day} {_now(call).strftime('%H:%M:%S')}"
    return max(moment, previous)


def _check_from(doc: Mapping[str, Any], action: str, sources: tuple[str, ...]) -> None:
    status = doc.get("status")
    if status not in sources:
        raise conflict(f"The activity is {status}; {action} needs it {' or '.join(sources)}.")


def _transition(rule: Transition) -> Callable[[Call], Response]:
    def handler(call: Call) -> Response:
        body = _body_object(call, optional=True)
        with call.store.transaction():
            doc = _activity(call)
            _check_from(doc, rule.action, rule.sources)
            if rule.not_past:
                if not doc.get("date"):
                    raise conflict(f"A non-scheduled activity cannot {rule.action}.")
                if doc["date"] < today_of(call.store).isoformat():
                    raise conflict(f"A past activity ({doc['date']}) cannot {rule.action}.")
            when = _action_time(call, doc, body)
            doc["status"] = rule.target
            if rule.stamp:
                doc[rule.stamp] = when
            call.store.put_activity(doc)
        emit_event(call, rule.event, doc)
        return Response.json(doc)

    handler.__name__ = f"action_{rule.action}"
    return handler


for _rule in TRANSITIONS:
    route("POST", f"{ACTION}/{_rule.action}")(_transition(_rule))


@route("POST", f"{ACTION}/suspend")
def suspend_activity(call: Call) -> Response:
    body = _body_object(call, optional=True)
    with call.store.transaction():
        doc = _activity(call)
        _check_from(doc, "suspend", ("started",))
        doc["endTime"] = _action_time(call, doc, body)
        doc["status"] = "suspended"
        call.store.put_activity(doc)
        copy = _new_activity(call.store, doc, status="pending")
    emit_event(call, "activitySuspended", doc)
    emit_event(call, "activityCreated", copy)
    return Response.json(doc)


@route("POST", f"{ACTION}/delay")
def delay_activity(call: Call) -> Response:
    body = _body_object(call, optional=True)
    minutes, until = body.get("delayMinutes"), body.get("delayUntilTime")
    if minutes is None and until is None:
        raise bad_request("Give 'delayMinutes' or 'delayUntilTime'.")
    if minutes is not None and (not isinstance(minutes, int) or minutes < 0):
        raise bad_request("'delayMinutes' must be a non-negative integer.")
    if until is not None and (not isinstance(until, str) or not _TIME.match(until)):
        raise bad_request("'delayUntilTime' must be YYYY-MM-DD HH:MM:SS.")
    with call.store.transaction():
        doc = _activity(call)
        _check_from(doc, "delay", ("started",))
        if until is not None:
            doc["endTime"] = until
        elif doc.get("endTime"):
            end = dt.datetime.strptime(doc["endTime"], "%Y-%m-%d %H:%M:%S")
            doc["endTime"] = _stamp(end + dt.timedelta(minutes=int(minutes or 0)))
        call.store.put_activity(doc)
    emit_event(call, "activityDelayed", doc)
    return Response.json(doc)


def _position(store: Store, doc: Mapping[str, Any], value: Any) -> None:
    if not isinstance(value, dict) or value.get("position") not in (
        "first",
        "last",
        "notOrdered",
        "byServiceWindow",
        "afterActivity",
    ):
        raise bad_request(
            "'setPositionInRoute.position' must be first, last, notOrdered, byServiceWindow "
            "or afterActivity."
        )
    if value["position"] == "afterActivity":
        number = parse_id(value.get("activityId") or 0)
        other = None if number is None else store.get_activity(number)
        if other is None or other.get("resourceId") != doc.get("resourceId"):
            raise bad_request("'setPositionInRoute.activityId' is not in the same route.")


@route("POST", f"{ACTION}/reopen")
def reopen_activity(call: Call) -> Response:
    body = _body_object(call, optional=True)
    if "setPositionInRoute" not in body:
        raise bad_request("'setPositionInRoute' is required.")
    with call.store.transaction():
        doc = _activity(call)
        _check_from(doc, "reopen", tuple(sorted(FINAL_STATUSES)))
        _position(call.store, doc, body["setPositionInRoute"])
        reopened = _new_activity(call.store, doc, status="pending", recordType="reopened")
    emit_event(call, "activityReopened", reopened)
    return Response.json(reopened)


@route("POST", f"{ACTION}/startPrework")
def start_prework(call: Call) -> Response:
    body = _body_object(call, optional=True)
    props = body.get("properties") or {}
    if not isinstance(props, dict):
        raise bad_request("'properties' must be an object.")
    with call.store.transaction():
        doc = _activity(call)
        _check_from(doc, "startPrework", ("pending",))
        doc.update({k: v for k, v in props.items() if k not in _READ_ONLY})
        call.store.put_activity(doc)
    emit_event(call, "activityPreworkCreated", doc)
    return Response.json(doc)


@route("POST", f"{ACTION}/move")
def move_activity(call: Call) -> Response:
    body = call.json_object()
    targets = [k for k in ("setDate", "setResource", "setPositionInRoute") if k in body]
    if not targets:
        raise bad_request("Give at least one of setDate, setResource, setPositionInRoute.")
    store = call.store
    with store.transaction():
        doc = _activity(call)
        _check_from(doc, "move", ("pending", "suspended"))
        before = _details(doc)
        if "setDate" in body:
            date = _check_date((body["setDate"] or {}).get("date"), "setDate.date")
            if date is None:
                raise bad_request("'setDate.date' is required.")
            doc["date"] = date
        if "setResource" in body:
            doc["resourceId"] = _check_resource(
                store, (body["setResource"] or {}).get("resourceId")
            )
        if "setPositionInRoute" in body:
            _position(store, doc, body["setPositionInRoute"])
        if "setDate" in body or "setResource" in body:
            store.delete_activity(doc["activityId"])
            doc["positionInRoute"] = _route_end(store, doc["resourceId"], doc.get("date"))
        store.put_activity(doc)
    emit_event(call, "activityMoved", doc, moveDetails={"from": before, "to": _details(doc)})
    return Response.no_content()


# ------------------------------------------------------------------------------ search


def _searchable(store: Store) -> set[str]:
    custom = {
        p["label"]
        for p in store.items("properties")
        if p.get("entity") == "activity" and p.get("type") == "string"
    }
    return set(_SEARCHABLE) | custom


@route("GET", f"{CORE}/activities/custom-actions/search")
def search_activities(call: Call) -> Response:
    store = call.store
    field = call.arg("searchInField") or ""
    value = call.arg("searchForValue") or ""
    if field not in _searchable(store):
        raise bad_request(f"'{field}' cannot be searched; use one of {', '.join(_SEARCHABLE)}.")
    if len(value) > 255:
        raise bad_request("'searchForValue' is longer than 255 characters.")
    date_from = parse_date(call.arg("dateFrom"), "dateFrom")
    date_to = parse_date(call.arg("dateTo"), "dateTo")
    if (date_from is None) != (date_to is None):
        raise bad_request("'dateFrom' and 'dateTo' must be given together.")
    non_scheduled = (call.arg("includeNonScheduled") or "true").lower() in ("true", "1")
    if date_from is None and not non_scheduled:
        raise bad_request("'dateFrom' and 'dateTo' are required unless includeNonScheduled.")
    dates = (
        (date_from.isoformat(), date_to.isoformat())
        if date_from and date_to
        else ("0000-01-01", "9999-12-31")
    )
    fields = call.list_arg("fields") or ["activityId", "resourceId", "date", "status"]
    wanted = value.casefold()
    matches: list[dict[str, Any]] = []
    rows = store.query_activities(
        None, date_from=dates[0], date_to=dates[1], non_scheduled=non_scheduled
    )
    for row in rows:
        doc = json.loads(row)
        if str(doc.get(field, "")).casefold() == wanted:
            matches.append({f: doc[f] for f in fields if doc.get(f) not in (None, "")})
            if len(matches) >= SEARCH_MAX_MATCHES:
                break
    offset = call.int_arg("offset", 0) or 0
    limit = min(call.int_arg("limit") or 10, SEARCH_MAX_MATCHES)
    return paged(call, matches[offset : offset + limit], len(matches), offset, limit)


# ------------------------------------------------------------------------- bulk update


_FIND: dict[str, tuple[str, ...]] = {
    "apptNumber": ("apptNumber",),
    "apptNumberPlusCustomerNumber": ("apptNumber", "customerNumber"),
    "apptNumberPlusIbAssetId": ("apptNumber", "ibAssetId"),
}


def _finder(store: Store, identify_by: str) -> Callable[[Mapping[str, Any]], dict[str, Any] | None]:
    if identify_by == "activityId":

        def by_id(item: Mapping[str, Any]) -> dict[str, Any] | None:
            value = item.get("activityId")
            return store.get_activity(int(value)) if isinstance(value, int) else None

        return by_id
    keys = _FIND[identify_by]

    @functools.cache
    def index() -> dict[tuple[Any, ...], int]:
        out: dict[tuple[Any, ...], int] = {}
        for row in store.query_activities(
            None, date_from="0000-01-01", date_to="9999-12-31", non_scheduled=True
        ):
            doc = json.loads(row)
            out.setdefault(tuple(doc.get(k) for k in keys), doc["activityId"])
        return out

    def by_keys(item: Mapping[str, Any]) -> dict[str, Any] | None:
        found = index().get(tuple(item.get(k) for k in keys))
        return store.get_activity(found) if found is not None else None

    return by_keys


def _bulk_item(
    call: Call,
    item: Any,
    params: Mapping[str, Any],
    find: Callable[[Mapping[str, Any]], dict[str, Any] | None],
) -> dict[str, Any]:
    if not isinstance(item, dict):
        return {"errors": [{"operation": "update", "errorDetail": "The item is not an object."}]}
    # activityId is an integer or absent, never a string (NOTES §9).
    keys: dict[str, Any] = {k: str(item[k]) for k in ("apptNumber", "customerNumber") if k in item}
    if parse_id(item.get("activityId")) is not None:
        keys = {"activityId": parse_id(item["activityId"]), **keys}
    result: dict[str, Any] = {"activityKeys": keys}
    performed: list[str] = []
    try:
        store = call.store
        with store.transaction():
            doc = find(item)
            final = doc is not None and doc.get("status") in FINAL_STATUSES
            mode = params.get("ifInFinalStatusThen")
            if doc is None or (final and mode == "createNew"):
                base = {k: v for k, v in item.items() if k != "activityId"}
                if doc is not None:
                    base = {**doc, **base}
                created = _create(call, base)
                performed.append("create")
                result["activityKeys"]["activityId"] = int(created["activityId"])
            elif final and mode == "doNothing":
                result["warnings"] = [
                    {"code": 2, "message": f"The activity is {doc['status']}; nothing was done."}
                ]
            else:
                keep = set(params.get("ifExistsThenDoNotUpdateFields") or ())
                changes = {
                    k: v
                    for k, v in item.items()
                    if k not in ("activityId", "status", "positionInRoute")
                    and not (k in keep and doc.get(k) not in (None, ""))
                }
                moved = any(
                    k in changes and changes[k] != doc.get(k) for k in ("date", "resourceId")
                )
                if "resourceId" in changes:
                    _check_resource(store, changes["resourceId"])
                if "date" in changes:
                    changes["date"] = _check_date(changes["date"])
                doc.update(changes)
                if moved:
                    store.delete_activity(doc["activityId"])
                    doc["positionInRoute"] = _route_end(
                        store, str(doc["resourceId"]), doc.get("date")
                    )
                    if doc.get("date") is None:
                        doc.pop("positionInRoute", None)
                store.put_activity(doc)
                performed.append("update")
                if moved:
                    performed.append("move")
                result["activityKeys"]["activityId"] = int(doc["activityId"])
                emit_event(call, "activityUpdated", doc, activityChanges=changes)
    except OFSHTTPError as error:
        result["operationsFailed"] = ["update" if find(item) else "create"]
        result["errors"] = [
            {"operation": result["operationsFailed"][0], "errorDetail": error.detail}
        ]
    result["operationsPerformed"] = performed
    return result


@route("POST", f"{CORE}/activities/custom-actions/bulkUpdate")
def bulk_update(call: Call) -> Response:
    if len(call.request.body) > MAX_BULK_BYTES:
        raise OFSHTTPError(413, None, f"The request body exceeds {MAX_BULK_BYTES} bytes.")
    body = call.json_object()
    params = body.get("updateParameters")
    items = body.get("activities")
    if not isinstance(params, dict) or params.get("ifInFinalStatusThen") not in (
        "doNothing",
        "createNew",
        "updateExisting",
    ):
        raise bad_request(
            "'updateParameters.ifInFinalStatusThen' is required: doNothing, createNew or "
            "updateExisting."
        )
    identify_by = params.get("identifyActivityBy") or "activityId"
    if identify_by != "activityId" and identify_by not in _FIND:
        raise bad_request(f"Unknown identifyActivityBy '{identify_by}'.")
    if not isinstance(items, list):
        raise bad_request("'activities' must be an array.")
    find = _finder(call.store, identify_by)
    return Response.json({"results": [_bulk_item(call, item, params, find) for item in items]})


# ---------------------------------------------------------------------- sub-resources


def _inventories(call: Call, status: str) -> Response:
    doc = _activity(call)
    found = [
        inv
        for inv in call.store.items("inventories")
        if inv.get("activityId") == doc["activityId"] and inv.get("status") == status
    ]
    offset, limit = page_args(call)
    return paged(call, found[offset : offset + limit], len(found), offset, limit)


@route("GET", f"{ACTIVITY}/customerInventories")
def list_customer_inventories(call: Call) -> Response:
    return _inventories(call, "customer")


@route("GET", f"{ACTIVITY}/installedInventories")
def list_installed_inventories(call: Call) -> Response:
    return _inventories(call, "installed")


@route("GET", f"{ACTIVITY}/deinstalledInventories")
def list_deinstalled_inventories(call: Call) -> Response:
    return _inventories(call, "deinstalled")


@route("POST", f"{ACTIVITY}/customerInventories")
def create_customer_inventory(call: Call) -> Response:
    body = call.json_object()
    store = call.store
    doc = _activity(call)
    if not body.get("inventoryType"):
        raise bad_request("'inventoryType' is required.")
    if store.get("inventoryTypes", body["inventoryType"]) is None:
        raise bad_request(f"The inventory type '{body['inventoryType']}' does not exist.")
    quantity = body.get("quantity", 1)
    if not isinstance(quantity, int | float) or quantity <= 0:
        raise bad_request("'quantity' must be a positive number.")
    with store.transaction():
        inventory_id = store.next_id("inventoryId")
        inventory = {
            "inventoryId": inventory_id,
            **{k: v for k, v in body.items() if k != "inventoryId"},
            "status": "customer",
            "activityId": doc["activityId"],
            "quantity": quantity,
        }
        store.put("inventories", inventory_id, inventory)
    emit_event(call, "customerInventoryCreated", doc, inventoryDetails=inventory)
    return Response.json(inventory, 201)


def _items_doc(call: Call, collection: str) -> list[dict[str, Any]]:
    doc = _activity(call)
    stored = call.store.get(collection, doc["activityId"])
    return list((stored or {}).get("items") or [])


def _items_body(call: Call, check: Callable[[Store, dict[str, Any]], None]) -> list[Any]:
    body = call.json_object()
    items = body.get("items")
    if not isinstance(items, list):
        raise bad_request('The body must be {"items": [...]}.')
    for item in items:
        if not isinstance(item, dict):
            raise bad_request("Each item must be an object.")
        check(call.store, item)
    return items


def _check_required_inventory(store: Store, item: dict[str, Any]) -> None:
    missing = [n for n in ("inventoryType", "model", "quantity") if item.get(n) in (None, "")]
    if missing:
        raise bad_request(f"A required inventory needs {', '.join(missing)}.")
    if store.get("inventoryTypes", item["inventoryType"]) is None:
        raise bad_request(f"The inventory type '{item['inventoryType']}' does not exist.")
    if not isinstance(item["quantity"], int | float) or item["quantity"] <= 0:
        raise bad_request("'quantity' must be a positive number.")


def _check_preference(store: Store, item: dict[str, Any]) -> None:
    if item.get("preferenceType") not in ("required", "preferred", "forbidden", "warehouse"):
        raise bad_request("'preferenceType' must be required, preferred, forbidden or warehouse.")
    _check_resource(store, item.get("resourceId"))


@dataclass(frozen=True)
class ReplacedList:
    """A per-activity list that PUT replaces and DELETE empties."""

    segment: str
    collection: str
    check: Callable[[Store, dict[str, Any]], None]
    events: tuple[str, str]  # (set, deleted)
    paged: bool


REPLACED_LISTS = (
    ReplacedList(
        "requiredInventories",
        "activityRequiredInventories",
        _check_required_inventory,
        ("requiredInventoryUpdated", "requiredInventoryDeleted"),
        paged=True,
    ),
    ReplacedList(
        "resourcePreferences",
        "activityResourcePreferences",
        _check_preference,
        ("resourcePreferenceCreated", "resourcePreferenceDeleted"),
        paged=False,
    ),
)


def _register_replaced(spec: ReplacedList) -> None:
    path = f"{ACTIVITY}/{spec.segment}"

    def get(call: Call) -> Response:
        items = _items_doc(call, spec.collection)
        if not spec.paged:
            return Response.json({"items": items})
        offset, limit = page_args(call)
        return paged(call, items[offset : offset + limit], len(items), offset, limit)

    def put(call: Call) -> Response:
        doc = _activity(call)
        items = _items_body(call, spec.check)
        call.store.put(spec.collection, doc["activityId"], {"items": items})
        emit_event(call, spec.events[0], doc)
        return Response.no_content()

    def delete(call: Call) -> Response:
        doc = _activity(call)
        call.store.delete(spec.collection, doc["activityId"])
        emit_event(call, spec.events[1], doc)
        return Response.no_content()

    route("GET", path)(get)
    route("PUT", path)(put)
    route("DELETE", path)(delete)


for _spec in REPLACED_LISTS:
    _register_replaced(_spec)


@route("GET", f"{ACTIVITY}/submittedForms")
def list_submitted_forms(call: Call) -> Response:
    doc = _activity(call)
    forms: list[dict[str, Any]] = []
    if doc.get("status") in ("completed", "notdone"):
        forms.append(
            {
                "formIdentifier": {
                    "formSubmitId": int(doc["activityId"]) * 10 + 1,  # an integer, as live
                    "formLabel": "job_closure",
                },
                "user": "tech",
                "time": doc.get("endTime"),
                "formDetails": {
                    "resolution": doc.get("job_resolution_code"),
                    "customerSigned": doc.get("status") == "completed",
                },
                "activityDetails": _details(doc),
            }
        )
    offset, limit = page_args(call)
    return paged(call, forms[offset : offset + limit], len(forms), offset, limit)


@route("GET", f"{ACTIVITY}/capacityCategories")
def list_capacity_categories(call: Call) -> Response:
    doc = _activity(call)
    labels = sorted(c["label"] for c in call.store.items("capacityCategories"))
    items = [{"capacityCategory": labels[doc["activityId"] % len(labels)]}] if labels else []
    return whole_list(call, items)


@route("GET", f"{ACTIVITY}/multidaySegments")
def list_multiday_segments(call: Call) -> Response:
    doc = _activity(call)
    segments: list[dict[str, Any]] = []
    if doc.get("recordType") == "multiday_activity":
        rows = call.store.query_activities(
            None, date_from="0000-01-01", date_to="9999-12-31", non_scheduled=True
        )
        segments = [
            d for d in map(json.loads, rows) if d.get("masterActivityId") == doc["activityId"]
        ]
    return Response.json({"items": segments, "totalResults": len(segments)})


# ------------------------------------------------------------------------------- links


def _link_key(link: Mapping[str, Any]) -> str:
    return f"{link['fromActivityId']}:{link['toActivityId']}:{link['linkType']}"


def _links_of(store: Store, activity_id: int) -> list[dict[str, Any]]:
    return [
        link
        for link in store.items("activityLinks")
        if activity_id in (link.get("fromActivityId"), link.get("toActivityId"))
    ]


def _check_link(call: Call, body: Mapping[str, Any], activity_id: int) -> dict[str, Any]:
    missing = [n for n in ("fromActivityId", "toActivityId", "linkType") if body.get(n) is None]
    if missing:
        raise bad_request(f"A link needs {', '.join(missing)}.")
    ends = (body["fromActivityId"], body["toActivityId"])
    if not all(isinstance(e, int) for e in ends):
        raise bad_request("'fromActivityId' and 'toActivityId' must be integers.")
    if activity_id not in ends:
        raise bad_request(f"The link does not involve activity {activity_id}.")
    if ends[0] == ends[1]:
        raise bad_request("An activity cannot be linked to itself.")
    for end in ends:
        _load(call.store, end)
    if call.store.get("linkTemplates", body["linkType"]) is None:
        templates = call.store.items("linkTemplates")
        if not any(t.get("reverseLabel") == body["linkType"] for t in templates):
            raise bad_request(f"The link type '{body['linkType']}' does not exist.")
    for name in ("minIntervalValue", "maxIntervalValue"):
        value = body.get(name)
        if value is not None and not (isinstance(value, int) and 0 <= value <= 65535):
            raise bad_request(f"'{name}' must be 0 to 65535.")
    return dict(body)


@route("GET", f"{ACTIVITY}/linkedActivities")
def list_links(call: Call) -> Response:
    doc = _activity(call)
    return Response.json({"items": _links_of(call.store, doc["activityId"])})


@route("POST", f"{ACTIVITY}/linkedActivities")
def create_link(call: Call) -> Response:
    doc = _activity(call)
    link = _check_link(call, call.json_object(), doc["activityId"])
    with call.store.transaction():
        if call.store.get("activityLinks", _link_key(link)) is not None:
            raise conflict("The activities are already linked with this link type.")
        call.store.put("activityLinks", _link_key(link), link)
    emit_event(call, "activityLinkCreated", doc, linkDetails=link)
    return Response.json(link, 201)


@route("DELETE", f"{ACTIVITY}/linkedActivities")
def delete_links(call: Call) -> Response:
    doc = _activity(call)
    with call.store.transaction():
        for link in _links_of(call.store, doc["activityId"]):
            call.store.delete("activityLinks", _link_key(link))
    emit_event(call, "activityLinkDeleted", doc)
    return Response.no_content()


def _one_link(call: Call) -> tuple[dict[str, Any], dict[str, Any] | None]:
    doc = _activity(call)
    other = call.param("linkedActivityId")
    _load(call.store, other)
    kind = call.param("linkType")
    for key in (f"{doc['activityId']}:{other}:{kind}", f"{other}:{doc['activityId']}:{kind}"):
        found = call.store.get("activityLinks", key)
        if found is not None:
            return doc, found
    return doc, None


@route("GET", LINK)
def get_link(call: Call) -> Response:
    _, link = _one_link(call)
    if link is None:
        raise not_found("link", f"{call.param('linkedActivityId')}/{call.param('linkType')}")
    return Response.json(link)


@route("PUT", LINK)
def put_link(call: Call) -> Response:
    doc, existing = _one_link(call)
    body = {
        "fromActivityId": doc["activityId"],
        "toActivityId": parse_id(call.param("linkedActivityId")),
        **call.json_object(),
        "linkType": call.param("linkType"),
    }
    link = _check_link(call, body, doc["activityId"])
    with call.store.transaction():
        if existing is not None:
            call.store.delete("activityLinks", _link_key(existing))
        call.store.put("activityLinks", _link_key(link), link)
    emit_event(call, "activityLinkCreated", doc, linkDetails=link)
    return Response.json(link)


@route("DELETE", LINK)
def delete_link(call: Call) -> Response:
    doc, link = _one_link(call)
    if link is None:
        raise not_found("link", f"{call.param('linkedActivityId')}/{call.param('linkType')}")
    call.store.delete("activityLinks", _link_key(link))
    emit_event(call, "activityLinkDeleted", doc, linkDetails=link)
    return Response.no_content()


# ----------------------------------------------------------------------- where is my tech


_TECH_STATUS = {
    "pending": "assigned",
    "enroute": "onTheWay",
    "started": "started",
    "completed": "completed",
    "notdone": "notdone",
    "cancelled": "cancelled",
    "suspended": "assigned",
}


@route("GET", f"{CORE}/whereIsMyTech")
def where_is_my_tech(call: Call) -> Response:
    activity_id = call.int_arg("activityId")
    doc = _load(call.store, activity_id or 0)
    hide = call.int_arg("hideResourceLocationTime")
    if hide is not None and not 0 <= hide <= 60:
        raise bad_request("'hideResourceLocationTime' must be 0 to 60 minutes.")
    resource = call.store.get("resources", doc.get("resourceId") or "") or {}
    assigned = doc.get("date") is not None and resource.get("resourceType") != "BK"
    status = _TECH_STATUS.get(str(doc.get("status")), "assigned") if assigned else "notAssigned"
    body: dict[str, Any] = {"status": status}
    if assigned:
        details = {"name": resource.get("name")}
        fields = call.list_arg("resourceFields")
        if fields:
            details.update({f: resource[f] for f in fields if f in resource})
        body["resourceDetails"] = details
        if status in ("onTheWay", "started") and doc.get("latitude") is not None:
            body["coordinates"] = {
                "time": _stamp(_now(call)),
                "latitude": round(float(doc["latitude"]) + 0.01, 5),
                "longitude": round(float(doc["longitude"]) - 0.01, 5),
            }
    activity_details: dict[str, Any] = {
        "activityId": doc["activityId"],
        "timeZoneDiff": doc.get("resourceTimeZoneDiff", -300),
        "timeZoneIANA": doc.get("timeZoneIANA", "America/New_York"),
    }
    if doc.get("startTime"):
        activity_details["startTime"] = doc["startTime"]
    for name in call.list_arg("activityFields") or ():
        if name in doc:
            activity_details[name] = doc[name]
    body["activityDetails"] = activity_details
    return Response.json(body)


# ----------------------------------------------------------------------- daily extract


EXTRACT_FILES = (
    ("activities.zip", 300_000),
    ("resources.zip", 40_000),
    ("inventories.zip", 90_000),
    ("events.zip", 150_000),
)


def _extract_dates(store: Store) -> list[str]:
    """One folder a day from the first seeded day to the day before the sandbox's today."""
    today = today_of(store)
    first, _ = seed_window(today)
    return [(first + dt.timedelta(days=d)).isoformat() for d in range((today - first).days)]


@functools.lru_cache(maxsize=16)
def extract_content(date: str, name: str) -> bytes:
    """The (deterministic) bytes of one daily-extract file."""
    size = dict(EXTRACT_FILES)[name]
    seed = int.from_bytes(hashlib.sha256(f"{date}/{name}".encode()).digest()[:8], "big")
    rng = random.Random(seed)
    extra = rng.randrange(0, 20_000)
    return b"PK\x03\x04" + rng.randbytes(size + extra)


def _extract_date(call: Call) -> str:
    date = call.param("dailyExtractDate")
    if date not in _extract_dates(call.store):
        raise not_found("daily extract folder", date)
    return date


def _href(call: Call, *parts: str) -> str:
    return call.request.base_url.rstrip("/") + "/".join((EXTRACT, *parts))


@route("GET", EXTRACT)
def list_extract_dates(call: Call) -> Response:
    items = [
        {"name": d, "links": [{"rel": "canonical", "href": _href(call, d, "files")}]}
        for d in _extract_dates(call.store)
    ]
    return Response.json({"name": "folders", "folders": {"items": items}})


@route("GET", f"{EXTRACT}/{{dailyExtractDate}}/files")
def list_extract_files(call: Call) -> Response:
    date = _extract_date(call)
    items = [
        {
            "name": name,
            "bytes": len(extract_content(date, name)),
            "mediaType": "application/zip",
            "links": [
                {
                    "rel": "canonical",
                    "href": _href(call, date, "files", name),
                    "mediaType": "application/octet-stream",
                }
            ],
        }
        for name, _ in EXTRACT_FILES
    ]
    return Response.json({"name": "files", "files": {"items": items}})


@route("GET", f"{EXTRACT}/{{dailyExtractDate}}/files/{{dailyExtractFilename}}")
def get_extract_file(call: Call) -> Response:
    date = _extract_date(call)
    name = call.param("dailyExtractFilename")
    if name not in dict(EXTRACT_FILES):
        raise not_found("daily extract file", name)
    return binary_response(call, extract_content(date, name), "application/octet-stream")


# --------------------------------------------------------------------- service requests


_REQUEST_EVENTS = {
    "activityId": "customerRequestCreated",
    "inventoryId": "inventoryRequestCreated",
    "resourceId": "resourceRequestCreated",
}


@route("POST", f"{CORE}/serviceRequests")
def create_service_request(call: Call) -> Response:
    body = call.json_object()
    store = call.store
    targets = [k for k in ("activityId", "inventoryId", "resourceId") if body.get(k) is not None]
    if len(targets) != 1:
        raise bad_request("Give exactly one of activityId, inventoryId and resourceId.")
    target = targets[0]
    if target == "activityId":
        subject = _load(store, body["activityId"])
    elif target == "inventoryId":
        if store.get("inventories", body["inventoryId"]) is None:
            raise bad_request(f"The inventory '{body['inventoryId']}' does not exist.")
        subject = {}
    else:
        _check_resource(store, body["resourceId"])
        subject = {}
    date = _check_date(body.get("date"))
    files = {
        k: v for k, v in body.items() if isinstance(v, dict) and {"mediaType", "content"} <= set(v)
    }
    with store.transaction():
        request_id = store.next_id("requestId", start=1001)
        doc = {
            "requestId": request_id,
            "requestType": body.get("requestType") or "SR",
            **{k: v for k, v in body.items() if k not in files and k != "requestId"},
            "created": _stamp(_now(call)),
        }
        if date:
            doc["date"] = date
        for label, value in files.items():
            try:
                data = base64.b64decode(str(value["content"]), validate=True)
            except ValueError:
                raise bad_request(f"'{label}.content' is not base64.") from None
            store.put(
                "serviceRequestFiles",
                f"{request_id}:{label}",
                {"mediaType": value["mediaType"], "size": len(data), "content": value["content"]},
            )
        store.put("serviceRequests", request_id, doc)
    emit_event(call, _REQUEST_EVENTS[target], subject, requestDetails=doc)
    return Response.json(doc, 201)


def _service_request(call: Call) -> dict[str, Any]:
    value = call.param("requestId")
    doc = call.store.get("serviceRequests", value)
    if doc is None:
        raise not_found("service request", value)
    return dict(doc)


@route("GET", f"{CORE}/serviceRequests/{{requestId}}")
def get_service_request(call: Call) -> Response:
    return Response.json(_service_request(call))


@route("GET", f"{CORE}/serviceRequests/{{requestId}}/{{propertyLabel}}")
def get_service_request_file(call: Call) -> Response:
    doc = _service_request(call)
    label = call.param("propertyLabel")
    stored = call.store.get("serviceRequestFiles", f"{doc['requestId']}:{label}")
    return _serve_file(call, stored, label)
