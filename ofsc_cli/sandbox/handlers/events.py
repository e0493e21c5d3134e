"""Core API: event subscriptions and the event feed (``events``, ``events/subscriptions``).

Every change the other handler modules make to an activity is logged here with
:func:`emit_event`, once, in the ``eventLog`` collection (key = sequence number); a
subscription sees the events of the types it asked for (``events`` or each
``subscriptionConfig`` item's ``events``), from the moment it was created.  The seeded
``events`` of a subscription are copied into the log on first use.

Rules emulated: at most 100 subscriptions (503 beyond, as live); unknown event types are a
400; ``page`` is a cursor this emulator handed out (``e`` + hex sequence number) or
``lastRequested``, ``since`` a ``YYYY-MM-DD HH:MM:SS`` UTC time (answered with the cursor to
start from and no items); ``limit`` defaults to 100, at most 1000.  ``GET subscriptions``
lists the caller's own unless ``allSubscriptions=true``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.handlers._common import (
    TIMESTAMP,
    bad_request,
    not_found,
    stamp,
    utc_now,
)
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.store import Store

__all__ = ["EVENT_TYPES", "activity_details", "emit_event"]

CORE = "/rest/ofscCore/v1"

MAX_SUBSCRIPTIONS = 100
EVENTS_DEFAULT_LIMIT = 100
EVENTS_MAX_LIMIT = 1000
_CURSOR = re.compile(r"^e([0-9a-f]{1,40})$")
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


# --------------------------------------------------------------------------------- the log


def _caller(call: Call) -> str:
    who = call.emulator.auth.check(call.request)
    return call.emulator.config.client_id if who == "bearer" else who


def activity_details(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The ``activityDetails`` of an event about activity ``doc``."""
    keys = ("activityId", "resourceId", "date", "apptNumber", "status")
    return {k: doc[k] for k in keys if doc.get(k) is not None}


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
        "time": stamp(utc_now(call)),
        "user": _caller(call),
        "activityDetails": activity_details(doc),
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


# -------------------------------------------------------------- the feed and subscriptions


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
        if not TIMESTAMP.match(since):
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
        now = utc_now(call)
        doc = {
            "subscriptionId": sid,
            **{k: v for k, v in body.items() if k in ("subscriptionTitle", "subscriptionConfig")},
            "applicationId": _caller(call),
            "createdTime": stamp(now),
            "expirationTime": stamp(now + dt.timedelta(hours=36)),
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
