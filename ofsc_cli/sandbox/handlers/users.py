"""Core API: users, their collaboration groups and file properties.

Users live in the ``users`` collection (key = login), their groups in
``userCollaborationGroups:<login>``.  ``PUT`` creates or replaces (200 either way; a new user
needs name, userType, language, timeZone and at least one resource), ``PATCH`` changes the
fields sent; read-only fields (times, login attempts, time-zone details) are ignored and
``password`` is never answered.  Every listed resource must exist and ``mainResourceId`` be
one of them.  ``DELETE`` answers 200, as OFS does.  File properties are kept in
``fileProperties`` (see :func:`~ofsc_cli.sandbox.handlers._common.file_property_routes`).
"""

from __future__ import annotations

from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    file_property_routes,
    merge,
    not_found,
    now_text,
    page_args,
    paged_raw,
    require,
)
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.store import sub

BASE = "/rest/ofscCore/v1/users"
ITEM = f"{BASE}/{{login}}"
_WRITE_ONLY = ("password",)
_READ_ONLY = (
    "login",
    "createdTime",
    "lastUpdatedTime",
    "lastLoginTime",
    "lastPasswordChangeTime",
    "loginAttempts",
    "timeZoneIANA",
    "timeZoneDiff",
)


def _user(call: Call) -> dict[str, Any]:
    login = call.param("login")
    doc = call.store.get("users", login)
    if doc is None:
        raise not_found("user", login)
    return doc  # type: ignore[no-any-return]


def _check(call: Call, doc: dict[str, Any]) -> None:
    resources = doc.get("resources")
    if resources is not None:
        if not isinstance(resources, list) or not all(isinstance(r, str) for r in resources):
            raise bad_request("'resources' must be an array of resource ids.")
        missing = [r for r in resources if call.store.get("resources", r) is None]
        if missing:
            raise bad_request(f"Unknown resource(s): {', '.join(missing)}.")
    if doc.get("status", "active") not in ("active", "inactive"):
        raise bad_request("'status' must be active or inactive.")
    main = doc.get("mainResourceId")
    if main and main not in (resources or ()):
        raise bad_request("'mainResourceId' must be one of the user's resources.")


@route("GET", BASE)
def list_users(call: Call) -> Response:
    offset, limit = page_args(call)
    texts = call.store.items_raw("users", offset=offset, limit=limit)
    return paged_raw(call, texts, call.store.count("users"), offset, limit)


@route("GET", ITEM)
def get_user(call: Call) -> Response:
    return Response.json(_user(call))


@route("PUT", ITEM)
def put_user(call: Call) -> Response:
    """Create or replace (200 either way); a new user needs name, type, language, time zone
    and at least one resource."""
    login = call.param("login")
    body = call.json_object()
    with call.store.transaction():
        old = call.store.get("users", login)
        if old is None:
            require(body, ("name", "userType", "language", "timeZone"), "a new user")
            if not body.get("resources"):
                raise bad_request("A new user needs at least one resource in 'resources'.")
        fields = {k: v for k, v in body.items() if k not in _READ_ONLY + _WRITE_ONLY}
        doc: dict[str, Any] = {"login": login, "status": "active", **fields}
        doc["createdTime"] = old.get("createdTime") if old else now_text(call)
        doc["lastUpdatedTime"] = now_text(call)
        if doc.get("resources") and not doc.get("mainResourceId"):
            doc["mainResourceId"] = doc["resources"][0]
        _check(call, doc)
        call.store.put("users", login, doc)
    return Response.json(doc)


@route("PATCH", ITEM)
def patch_user(call: Call) -> Response:
    body = call.json_object()
    with call.store.transaction():
        old = _user(call)
        doc = merge(old, {k: v for k, v in body.items() if k not in _READ_ONLY + _WRITE_ONLY})
        doc["lastUpdatedTime"] = now_text(call)
        if "password" in body:
            doc["lastPasswordChangeTime"] = doc["lastUpdatedTime"]
        _check(call, doc)
        call.store.put("users", doc["login"], doc)
    return Response.json(doc)


@route("DELETE", ITEM)
def delete_user(call: Call) -> Response:
    """Delete a user (OFS answers 200 here, not 204)."""
    login = _user(call)["login"]
    with call.store.transaction():
        call.store.delete("users", login)
        call.store.clear(sub("userCollaborationGroups", login))
    return Response(200)


# ------------------------------------------------------------------ collaboration groups


def _groups_body(call: Call, login: str, status: int = 200) -> Response:
    items = call.store.items(sub("userCollaborationGroups", login))
    return Response.json({"items": items}, status)


def _group_names(call: Call, *, required: bool) -> list[str] | None:
    if not call.request.body.strip() and not required:
        return None
    items = call.json_object().get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) and i.get("name") for i in items):
        raise bad_request('The body must be {"items": [{"name": ...}, ...]}.')
    return [str(i["name"]) for i in items]


@route("GET", f"{ITEM}/collaborationGroups")
def get_groups(call: Call) -> Response:
    return _groups_body(call, _user(call)["login"])


@route("POST", f"{ITEM}/collaborationGroups")
def add_groups(call: Call) -> Response:
    login = _user(call)["login"]
    names = _group_names(call, required=True) or []
    with call.store.transaction():
        for name in names:
            call.store.put(sub("userCollaborationGroups", login), name, {"name": name})
    return _groups_body(call, login, 201)


@route("DELETE", f"{ITEM}/collaborationGroups")
def delete_groups(call: Call) -> Response:
    """Remove the groups named in the body, or all of them when there is no body."""
    login = _user(call)["login"]
    names = _group_names(call, required=False)
    collection = sub("userCollaborationGroups", login)
    with call.store.transaction():
        if names is None:
            call.store.clear(collection)
        else:
            for name in names:
                call.store.delete(collection, name)
    return Response.no_content()


# ----------------------------------------------------------------------- file properties


def _user_login(call: Call) -> str:
    if call.store.get("users", call.param("login")) is None:
        raise not_found("user", call.param("login"))
    return call.param("login")


file_property_routes(ITEM, "user", _user_login)
