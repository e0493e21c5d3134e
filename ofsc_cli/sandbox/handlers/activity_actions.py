"""Core API: the activity status actions (``activities/{activityId}/custom-actions/...``).

Rules emulated: the actions follow the OFS transitions (``start`` from pending or enroute,
``complete``/``notDone``/``suspend``/``delay`` from started, ``cancel`` from pending or
enroute, ``enroute`` from pending, ``stopTravel`` from enroute, ``reopen`` from a final
status with ``setPositionInRoute``, ``startPrework`` from pending, ``move`` from pending or
suspended); start, complete, notDone and cancel refuse non-scheduled and past-dated
activities; an action ``time`` must be ``YYYY-MM-DD HH:MM:SS`` and not before the previous
one.  An action from the wrong status is a 409.  ``suspend`` leaves a pending copy,
``reopen`` creates a new pending activity; every action is logged as an event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import TIMESTAMP, bad_request, conflict, stamp, utc_now
from ofsc_cli.sandbox.handlers.activities import (
    ACTIVITY,
    FINAL_STATUSES,
    READ_ONLY,
    check_date,
    check_resource,
    new_activity,
    path_activity,
    route_end,
)
from ofsc_cli.sandbox.handlers.events import activity_details, emit_event
from ofsc_cli.sandbox.router import Call, parse_id, route
from ofsc_cli.sandbox.seed import today_of
from ofsc_cli.sandbox.store import Store

ACTION = f"{ACTIVITY}/custom-actions"


def _body_object(call: Call, *, optional: bool = False) -> dict[str, Any]:
    if optional and not call.request.body.strip():
        return {}
    return call.json_object()


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
        if not isinstance(given, str) or not TIMESTAMP.match(given):
            raise bad_request(f"'time' must be YYYY-MM-DD HH:MM:SS, got '{given}'.")
        if previous and given < previous:
            raise bad_request(f"'time' {given} is earlier than the previous action ({previous}).")
        return given
    day = str(doc.get("date") or today_of(call.store).isoformat())
    moment = f"{day} {utc_now(call).strftime('%H:%M:%S')}"
    return max(moment, previous)


def _check_from(doc: Mapping[str, Any], action: str, sources: tuple[str, ...]) -> None:
    status = doc.get("status")
    if status not in sources:
        raise conflict(f"The activity is {status}; {action} needs it {' or '.join(sources)}.")


def _transition(rule: Transition) -> Callable[[Call], Response]:
    def handler(call: Call) -> Response:
        body = _body_object(call, optional=True)
        with call.store.transaction():
            doc = path_activity(call)
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
        doc = path_activity(call)
        _check_from(doc, "suspend", ("started",))
        doc["endTime"] = _action_time(call, doc, body)
        doc["status"] = "suspended"
        call.store.put_activity(doc)
        copy = new_activity(call.store, doc, status="pending")
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
    if until is not None and (not isinstance(until, str) or not TIMESTAMP.match(until)):
        raise bad_request("'delayUntilTime' must be YYYY-MM-DD HH:MM:SS.")
    with call.store.transaction():
        doc = path_activity(call)
        _check_from(doc, "delay", ("started",))
        if until is not None:
            doc["endTime"] = until
        elif doc.get("endTime"):
            end = dt.datetime.strptime(doc["endTime"], "%Y-%m-%d %H:%M:%S")
            doc["endTime"] = stamp(end + dt.timedelta(minutes=int(minutes or 0)))
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
        doc = path_activity(call)
        _check_from(doc, "reopen", tuple(sorted(FINAL_STATUSES)))
        _position(call.store, doc, body["setPositionInRoute"])
        reopened = new_activity(call.store, doc, status="pending", recordType="reopened")
    emit_event(call, "activityReopened", reopened)
    return Response.json(reopened)


@route("POST", f"{ACTION}/startPrework")
def start_prework(call: Call) -> Response:
    body = _body_object(call, optional=True)
    props = body.get("properties") or {}
    if not isinstance(props, dict):
        raise bad_request("'properties' must be an object.")
    with call.store.transaction():
        doc = path_activity(call)
        _check_from(doc, "startPrework", ("pending",))
        doc.update({k: v for k, v in props.items() if k not in READ_ONLY})
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
        doc = path_activity(call)
        _check_from(doc, "move", ("pending", "suspended"))
        before = activity_details(doc)
        if "setDate" in body:
            date = check_date((body["setDate"] or {}).get("date"), "setDate.date")
            if date is None:
                raise bad_request("'setDate.date' is required.")
            doc["date"] = date
        if "setResource" in body:
            doc["resourceId"] = check_resource(store, (body["setResource"] or {}).get("resourceId"))
        if "setPositionInRoute" in body:
            _position(store, doc, body["setPositionInRoute"])
        if "setDate" in body or "setResource" in body:
            store.delete_activity(doc["activityId"])
            doc["positionInRoute"] = route_end(store, doc["resourceId"], doc.get("date"))
        store.put_activity(doc)
    emit_event(
        call, "activityMoved", doc, moveDetails={"from": before, "to": activity_details(doc)}
    )
    return Response.no_content()
