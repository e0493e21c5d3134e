"""Metadata API: the routing plans of a routing profile (list, export, import, force import,
start).

Plans live in ``routingPlans:<profileLabel>``.  An export is the JSON ``{"routingPlan": ...}``
as a file; an import takes that file back and is a 409 (``force: required``) when the plan
exists, a force import replaces it.  Starting a plan needs an existing bucket resource and a
``YYYY-MM-DD`` date.
"""

from __future__ import annotations

import json
from typing import Any

from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    not_found,
    paged_list,
    parse_date,
)
from ofsc_cli.sandbox.handlers.metadata import PREFIX
from ofsc_cli.sandbox.router import Call, route


def _profile(call: Call) -> str:
    profile = call.param("profileLabel")
    if call.store.get("routingProfiles", profile) is None:
        raise not_found("routing profile", profile)
    return profile


def _plan(call: Call) -> tuple[str, dict[str, Any]]:
    collection = f"routingPlans:{_profile(call)}"
    plan = call.param("planLabel")
    doc = call.store.get(collection, plan)
    if doc is None:
        raise not_found("routing plan", plan)
    return collection, doc


@route("GET", f"{PREFIX}/routingProfiles/{{profileLabel}}/plans")
def list_routing_plans(call: Call) -> Response:
    profile = _profile(call)
    return paged_list(call, call.store.items(f"routingPlans:{profile}"))  # objects, as live


@route(
    "GET", f"{PREFIX}/routingProfiles/{{profileLabel}}/plans/{{planLabel}}/custom-actions/export"
)
def export_routing_plan(call: Call) -> Response:
    _, doc = _plan(call)
    data = json.dumps({"routingPlan": doc}, indent=2).encode()
    return Response.binary(data, "application/octet-stream")


def _import_plan(call: Call, *, force: bool) -> Response:
    profile = _profile(call)
    try:
        data = json.loads(call.request.body)
        plan = data["routingPlan"]
        label = str(plan["planLabel"])
    except (ValueError, KeyError, TypeError):
        raise bad_request("The body is not an exported routing plan.") from None
    collection = f"routingPlans:{profile}"
    with call.store.transaction():
        if not force and call.store.get(collection, label) is not None:
            raise OFSHTTPError(409, "Fail", "The routing plan already exist.", force="required")
        call.store.put(collection, label, {**plan, "profileLabel": profile})
    return Response.json({"title": "Ok", "status": "200", "detail": f"Plan '{label}' imported."})


@route("PUT", f"{PREFIX}/routingProfiles/{{profileLabel}}/plans/custom-actions/import")
def import_routing_plan(call: Call) -> Response:
    return _import_plan(call, force=False)


@route("PUT", f"{PREFIX}/routingProfiles/{{profileLabel}}/plans/custom-actions/forceImport")
def force_import_routing_plan(call: Call) -> Response:
    return _import_plan(call, force=True)


@route(
    "POST",
    f"{PREFIX}/routingProfiles/{{profileLabel}}/plans/{{planLabel}}/{{resourceExternalId}}"
    "/{date}/custom-actions/start",
)
def start_routing_plan(call: Call) -> Response:
    _plan(call)
    resource_id = call.param("resourceExternalId")
    resource = call.store.get("resources", resource_id)
    if resource is None:
        raise not_found("resource", resource_id)
    if resource.get("resourceType") != "BK":
        raise bad_request(f"The resource '{resource_id}' is not a bucket.")
    parse_date(call.param("date"), "date")
    return Response.json({"title": "Ok", "status": "200", "detail": "Routing started."})
