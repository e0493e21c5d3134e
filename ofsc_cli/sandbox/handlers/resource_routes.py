"""Core API: a resource's route on a day (``resources/{resourceId}/routes/{date}``) and its
activation.

``{date}`` is ``YYYY-MM-DD``, ``nonScheduled`` or ``multiday`` (always empty here).  The
route's activation times are kept in ``routeStates:<resourceId>`` (key = date): activating
an active route or deactivating an inactive one is a 409; activating a deactivated route
records ``routeReactivationTime``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    conflict,
    now_text,
    paged_list,
    parse_date,
    select_fields,
)
from ofsc_cli.sandbox.handlers.resources import get_resource
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.store import sub

V1 = "/rest/ofscCore/v1"
RES = f"{V1}/resources/{{resourceId}}"


def _route_day(call: Call) -> str:
    value = call.param("date")
    if value not in ("nonScheduled", "multiday"):
        parse_date(value, "date")
    return value


@route("GET", f"{RES}/routes/{{date}}")
def get_route(call: Call) -> Response:
    rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
    day = _route_day(call)
    if day == "multiday":
        rows: list[str] = []
    elif day == "nonScheduled":
        rows = call.store.query_activities([rid], non_scheduled=True)
    else:
        rows = call.store.query_activities([rid], date_from=day, date_to=day)
    fields = call.list_arg("activityFields")
    docs = [select_fields(json.loads(r), fields, always=("activityId",)) for r in rows]
    state = call.store.get(sub("routeStates", rid), day) or {}
    extra = {"resourceId": rid, "date": day}
    for key in ("routeStartTime", "routeEndTime", "routeReactivationTime"):
        if state.get(key):
            extra[key] = state[key]
    return paged_list(call, docs, **extra)


def _route_action(activate: bool) -> Callable[[Call], Response]:
    def handle(call: Call) -> Response:
        rid = get_resource(call.store, call.param("resourceId"))["resourceId"]
        day = _route_day(call)
        body = call.json_object() if call.request.body.strip() else {}
        when = body.get("time") or now_text(call)
        with call.store.transaction():
            state = dict(call.store.get(sub("routeStates", rid), day) or {})
            active = bool(state.get("routeStartTime")) and not state.get("routeEndTime")
            if activate and active:
                raise conflict(f"The route of '{rid}' on {day} is already active.")
            if not activate and not active:
                raise conflict(f"The route of '{rid}' on {day} is not active.")
            if activate and state.get("routeEndTime"):
                state.pop("routeEndTime")
                state["routeReactivationTime"] = when
            elif activate:
                state["routeStartTime"] = when
            else:
                state["routeEndTime"] = when
            call.store.put(sub("routeStates", rid), day, state)
        return Response.no_content()

    return handle


route("POST", f"{RES}/routes/{{date}}/custom-actions/activate")(_route_action(True))


route("POST", f"{RES}/routes/{{date}}/custom-actions/deactivate")(_route_action(False))
