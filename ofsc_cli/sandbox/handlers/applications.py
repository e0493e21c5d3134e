"""Metadata API: an application's API access and client secret
(``applications/{label}/apiAccess``, ``.../custom-actions/generateClientSecret``).

The application itself is a keyed collection (:mod:`.metadata`).  API access documents live
in ``applicationApiAccess:<label>`` and answer as live tenants do (NOTES §9): the entities of
the APIs that list ``apiEntities``, the methods of the capacity API, field lists for the
inbound API only.  A generated secret is kept in the auth store, so that
``<label>@<instance>:<secret>`` then authenticates (Basic).
"""

from __future__ import annotations

import secrets
from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.auth import APP_SECRETS
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    merge,
    not_found,
)
from ofsc_cli.sandbox.handlers.metadata import PREFIX
from ofsc_cli.sandbox.router import Call, route


def _application(call: Call) -> str:
    label = call.param("label")
    if call.store.get("applications", label) is None:
        raise not_found("application", label)
    return label


@route("GET", f"{PREFIX}/applications/{{label}}/apiAccess")
def list_api_access(call: Call) -> Response:
    label = _application(call)
    items = [
        {"label": a["label"], "name": a.get("name"), "status": a.get("status")}
        for a in call.store.items(f"applicationApiAccess:{label}")
    ]
    return Response.json({"items": items})


def _api_access(call: Call) -> tuple[str, dict[str, Any]]:
    collection = f"applicationApiAccess:{_application(call)}"
    api = call.param("apiLabel")
    doc = call.store.get(collection, api)
    if doc is None:
        raise not_found("API access", api)
    return collection, doc


#: What each API's access lists on live tenants (NOTES §9): the entities of the APIs that
#: answer ``apiEntities``, the methods of the capacity API; ``activityFields`` (and the other
#: field lists) belong to the inbound API only.
_API_ENTITIES = {
    "coreAPI": ("activity", "resource", "user", "inventory", "event"),
    "metadataAPI": ("activityType", "workZone", "workSkill", "property", "capacityArea"),
    "statisticsAPI": ("activityDurationStats", "activityTravelStats"),
    "fieldCollaborationAPI": ("chat", "addressBook"),
}


_API_METHODS = ("capacity", "quota", "activityBookingOptions", "bookingStatuses", "showBookingGrid")
_FIELD_LISTS = ("activityFields", "inventoryFields", "providerFields", "userFields")
_INBOUND_FIELDS = ("cust_tier", "cust_service_level", "job_notes")


def _api_access_view(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored API access the way live tenants answer it."""
    api = doc["label"]
    out = {k: v for k, v in doc.items() if api == "inboundAPI" or k not in _FIELD_LISTS}
    active = doc.get("status") == "active"
    if api in _API_ENTITIES:
        entities = out.get("apiEntities") or [
            {"label": label, "access": "ReadWrite" if active else "Hidden"}
            for label in _API_ENTITIES[api]
        ]
        out["apiEntities"] = [
            {
                "label": e["label"],
                "name": e.get("name") or e["label"][:1].upper() + e["label"][1:],
                "access": e.get("access") or e.get("accessRights"),
                "accessRights": e.get("accessRights") or e.get("access"),
                **{k: v for k, v in e.items() if k not in ("label", "name")},
            }
            for e in entities
        ]
    elif api == "capacityAPI":
        out.setdefault(
            "apiMethods",
            [{"label": m, "status": "on" if active else "off"} for m in _API_METHODS],
        )
    elif api == "inboundAPI":
        out.setdefault(
            "activityFields",
            [
                {"label": name, "visibilities": [{"visibility": "ReadWrite"}]}
                for name in _INBOUND_FIELDS
            ],
        )
    return out


@route("GET", f"{PREFIX}/applications/{{label}}/apiAccess/{{apiLabel}}")
def get_api_access(call: Call) -> Response:
    return Response.json(_api_access_view(_api_access(call)[1]))


@route("PATCH", f"{PREFIX}/applications/{{label}}/apiAccess/{{apiLabel}}")
def update_api_access(call: Call) -> Response:
    body = call.json_object()
    with call.store.transaction():
        collection, doc = _api_access(call)
        if body.get("status", "active") not in ("active", "inactive"):
            raise bad_request("'status' must be active or inactive.")
        doc = merge(doc, {k: v for k, v in body.items() if k != "label"})
        call.store.put(collection, doc["label"], doc)
    return Response.json(_api_access_view(doc))


@route("POST", f"{PREFIX}/applications/{{label}}/custom-actions/generateClientSecret")
def generate_client_secret(call: Call) -> Response:
    """A new secret; ``<label>@<instance>:<secret>`` then authenticates (Basic)."""
    label = _application(call)
    secret = secrets.token_urlsafe(24)
    call.store.put(APP_SECRETS, label, secret)
    return Response.json({"clientSecret": secret})
