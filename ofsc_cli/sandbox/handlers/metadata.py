"""Metadata API: the keyed collections, declared as data and served by shared handlers, and
the two lists replaced whole (work skill conditions, property enumeration lists).

Each :class:`Collection` says where a collection lives, which verbs it has and which status
codes they answer; :func:`register` wires the generic handlers below to the spec routes.
Work skill conditions are replaced whole by ``PUT`` (each needs an existing work skill and a
distinct ``internalId``); enumeration values are updated or added, never deleted (``0``,
``-1`` and empty labels are refused, each value needs an English name, one must stay
active, ``country_code`` cannot change).  Collections with rules of their own have modules
of their own: work zones (:mod:`.work_zones`), capacity areas, applications' API access,
routing plans, plugins.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    conflict,
    localize,
    merge,
    normalize_translations,
    not_found,
    paged_list,
    require,
    whole_list,
)
from ofsc_cli.sandbox.router import Call, add_live_route, add_route, route
from ofsc_cli.sandbox.seed import languages_iso

__all__ = ["COLLECTIONS", "PREFIX", "Collection", "register"]

PREFIX = "/rest/ofscMetadata/v1"
Check = Callable[[Call, dict[str, Any], dict[str, Any] | None], None]


@dataclass(frozen=True)
class Collection:
    """One keyed Metadata collection.

    ``put``: ``"upsert"`` creates or replaces (``put_status`` = (created, replaced));
    ``"replace"`` answers 404 for an unknown key.  ``post``: ``"collection"`` creates with
    ``POST <name>`` (key taken from the body), ``"item"`` with ``POST <name>/{key}``; an
    existing key is a 409.  ``live_post``: live tenants also create with ``POST <name>``
    where the spec lists only the item form (a live-only route, NOTES §9).
    ``check(call, new_doc, old_doc)`` adds collection rules to writes (and may fill defaults).
    ``filters`` are query parameters matched for equality against the same document field.
    ``project(call, doc)`` shapes a stored document the way live tenants answer it.
    """

    name: str
    entity: str
    key: str = "label"
    list: bool = True
    get: bool = True
    put: Literal["upsert", "replace"] | None = None
    put_status: tuple[int, int] = (201, 200)
    patch: bool = False
    delete: bool = False
    post: Literal["collection", "item"] | None = None
    post_status: int = 201
    live_post: bool = False
    required: tuple[str, ...] = ()
    keep_translations: bool = False
    filters: tuple[str, ...] = ()
    check: Check | None = None
    project: Callable[[Call, dict[str, Any]], Any] | None = None

    @property
    def base(self) -> str:
        return f"{PREFIX}/{self.name}"

    @property
    def item(self) -> str:
        return f"{self.base}/{{label}}"


def _language(call: Call) -> str | None:
    return call.arg("language") if call.op.param("language") else None


def _present(call: Call, c: Collection, doc: dict[str, Any]) -> Any:
    doc = localize(doc, _language(call))
    return c.project(call, doc) if c.project else doc


def list_docs(c: Collection, call: Call) -> Response:
    docs = call.store.items(c.name)
    for name in c.filters:
        wanted = call.arg(name)
        if wanted is not None:
            docs = [d for d in docs if str(d.get(name)) == wanted]
    presented = [_present(call, c, d) for d in docs]
    if call.op.paging == "none":
        return whole_list(call, presented)
    return paged_list(call, presented)


def _load(call: Call, c: Collection, label: str) -> dict[str, Any]:
    doc = call.store.get(c.name, label)
    if doc is None:
        raise not_found(c.entity, label)
    return doc  # type: ignore[no-any-return]


def get_doc(c: Collection, call: Call) -> Response:
    return Response.json(_present(call, c, _load(call, c, call.param("label"))))


def _prepare(
    call: Call, c: Collection, label: str, body: dict[str, Any], old: dict[str, Any] | None
) -> dict[str, Any]:
    """Validate a full body for ``label`` and return the document to store."""
    if c.key in body and str(body[c.key]) != label:
        raise bad_request(f"'{c.key}' in the body ({body[c.key]}) differs from the URL ({label}).")
    doc = {c.key: label, **{k: v for k, v in body.items() if k != c.key}}
    if "translations" in doc:
        doc["translations"] = normalize_translations(doc["translations"])
    elif c.keep_translations and old and "translations" in old:
        doc["translations"] = old["translations"]
    if old is None:
        require(doc, c.required, f"a new {c.entity}")
    if c.check:
        c.check(call, doc, old)
    return doc


def put_doc(c: Collection, call: Call) -> Response:
    label = call.param("label")
    body = call.json_object()
    with call.store.transaction():
        old = call.store.get(c.name, label)
        if old is None and c.put == "replace":
            raise not_found(c.entity, label)
        doc = _prepare(call, c, label, body, old)
        created = call.store.put(c.name, label, doc)
    status = c.put_status[0] if created else c.put_status[1]
    return Response.no_content() if status == 204 else Response.json(doc, status)


def patch_doc(c: Collection, call: Call) -> Response:
    label = call.param("label")
    body = call.json_object()
    if c.key in body and str(body[c.key]) != label:
        raise bad_request(f"'{c.key}' cannot be changed with PATCH.")
    with call.store.transaction():
        old = _load(call, c, label)
        doc = merge(old, body)
        if "translations" in body:
            doc["translations"] = normalize_translations(body["translations"])
        if c.check:
            c.check(call, doc, old)
        call.store.put(c.name, label, doc)
    return Response.json(doc)


def delete_doc(c: Collection, call: Call) -> Response:
    label = call.param("label")
    if not call.store.delete(c.name, label):
        raise not_found(c.entity, label)
    return Response.no_content()


def post_doc(c: Collection, call: Call) -> Response:
    body = call.json_object()
    if "label" in call.params:
        label = call.param("label")
    else:
        require(body, (c.key,), f"a new {c.entity}")
        label = str(body[c.key])
    with call.store.transaction():
        if call.store.get(c.name, label) is not None:
            raise conflict(f"The {c.entity} '{label}' already exists.")
        doc = _prepare(call, c, label, body, None)
        call.store.put(c.name, label, doc)
    return Response.json(doc, c.post_status)


def register(c: Collection) -> None:
    """Wire the generic handlers for every verb ``c`` declares."""

    def bind(fn: Callable[[Collection, Call], Response]) -> Callable[[Call], Response]:
        return functools.partial(fn, c)

    if c.list:
        add_route("GET", c.base, bind(list_docs))
    if c.get:
        add_route("GET", c.item, bind(get_doc))
    if c.put:
        add_route("PUT", c.item, bind(put_doc))
    if c.patch:
        add_route("PATCH", c.item, bind(patch_doc))
    if c.delete:
        add_route("DELETE", c.item, bind(delete_doc))
    if c.post == "collection":
        add_route("POST", c.base, bind(post_doc))
    elif c.post == "item":
        add_route("POST", c.item, bind(post_doc))
    if c.live_post:
        add_live_route("POST", c.base, f"POST {c.item}", bind(post_doc))


def _check_work_skill(call: Call, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
    sharing = ("no sharing", "maximal", "minimal", "summary")
    if doc.get("sharing") not in sharing:
        raise bad_request(f"'sharing' must be one of: {', '.join(sharing)}.")


def _check_activity_type(call: Call, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
    group = doc.get("groupLabel")
    if group is not None and call.store.get("activityTypeGroups", group) is None:
        raise bad_request(f"Unknown activity type group '{group}'.")
    if len(doc["label"]) > 32:
        raise bad_request("An activity type label is at most 32 characters long.")


def _check_form(call: Call, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
    english = [t for t in doc.get("translations") or () if t.get("language") == "en"]
    if old is None and not (english and english[0].get("name")):
        raise bad_request("A new form needs 'translations' with a non-empty English name.")


def _check_application(call: Call, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
    label = doc["label"]
    if not (label[:1].isalpha() and label.islower() and label.replace("_", "").isalnum()):
        raise bad_request(
            "An application label uses lowercase letters, digits and '_' and starts with a letter."
        )


def _check_property(call: Call, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is not None and "type" in doc and doc["type"] != old.get("type"):
        raise bad_request(f"The type of property '{doc['label']}' cannot be changed.")


def _check_inventory_type(call: Call, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
    doc.setdefault("nonSerialized", False)  # live tenants accept a PUT without it


#: Link template values the sandbox's first seeds stored, and the live ones (NOTES §9).
_LEGACY_LINK_VALUES = {"finish-to-start": "finishToStart", "start-to-start": "startToStart"}


_LINK_TYPES = ("finishToStart", "startToStart", "simultaneous", "related")
_INTERVALS = ("unlimited", "adjustable", "nonAdjustable")


def _live_link_template(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with live values: ``linkType`` in camel case, ``none`` intervals unlimited."""
    out = dict(doc)
    if out.get("linkType") in _LEGACY_LINK_VALUES:
        out["linkType"] = _LEGACY_LINK_VALUES[out["linkType"]]
    for name in ("minInterval", "maxInterval"):
        if out.get(name) == "none":
            out[name] = "unlimited"
    return out


def _check_link_template(call: Call, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is not None:  # linkType is set when a template is created, never changed
        doc["linkType"] = old.get("linkType")
        for name, value in _live_link_template(old).items():
            if doc.get(name) == old.get(name):  # stored values, not the ones sent
                doc[name] = value
    if doc.get("linkType") not in _LINK_TYPES:
        raise bad_request(f"'linkType' must be one of: {', '.join(_LINK_TYPES)}.")
    for name in ("minInterval", "maxInterval"):
        if doc.get(name, "unlimited") not in _INTERVALS:
            raise bad_request(f"'{name}' must be one of: {', '.join(_INTERVALS)}.")
        value = doc.get(f"{name}Value")
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 65535
        ):
            raise bad_request(f"'{name}Value' must be an integer from 0 to 65535.")


def _activity_type_group(call: Call, doc: dict[str, Any]) -> dict[str, Any]:
    """Live groups carry ``name`` (in the ``language`` asked for, a parameter the spec does
    not list; else English) and the ``activityTypes`` in them."""
    out = dict(doc)
    names = {t.get("language"): t.get("name") for t in doc.get("translations") or ()}
    out["name"] = names.get(call.arg("language")) or names.get("en") or doc["label"]
    out["activityTypes"] = [
        {"label": t["label"]}
        for t in call.store.items("activityTypes")
        if t.get("groupLabel") == doc["label"]
    ]
    return out


def _language_with_code(call: Call, doc: dict[str, Any]) -> dict[str, Any]:
    return {"label": doc["label"], "code": languages_iso(doc["label"]), **doc}


def _property_gui(call: Call, doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "gui": doc.get("gui") or None}  # null when the property has none


def _check_work_skill_group(call: Call, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
    for item in doc.get("workSkills") or ():
        label = item.get("label") if isinstance(item, dict) else None
        if label is None or call.store.get("workSkills", label) is None:
            raise bad_request(f"Unknown work skill '{label}' in the group.")


COLLECTIONS: tuple[Collection, ...] = (
    Collection(
        "activityTypeGroups",
        "activity type group",
        put="upsert",
        keep_translations=True,
        project=_activity_type_group,
    ),
    Collection(
        "activityTypes",
        "activity type",
        put="upsert",
        required=("groupLabel", "active", "defaultDuration"),
        check=_check_activity_type,
    ),
    Collection("applications", "application", put="upsert", check=_check_application),
    Collection(
        "capacityCategories", "capacity category", put="upsert", delete=True, required=("active",)
    ),
    Collection("forms", "form", put="upsert", delete=True, check=_check_form),
    Collection(
        "inventoryTypes",
        "inventory type",
        put="upsert",
        required=("active",),
        check=_check_inventory_type,
    ),
    Collection("languages", "language", get=False, project=_language_with_code),
    Collection(
        "linkTemplates",
        "link template",
        post="item",
        post_status=200,
        live_post=True,
        patch=True,
        required=("linkType", "active"),
        check=_check_link_template,
        project=lambda call, doc: _live_link_template(doc),
    ),
    Collection("mapLayers", "map layer", put="replace", put_status=(200, 200), post="collection"),
    Collection("nonWorkingReasons", "non-working reason", get=False),
    Collection("organizations", "organization"),
    Collection(
        "properties",
        "property",
        put="upsert",
        patch=True,
        required=("name", "type", "entity"),
        filters=("type", "entity"),
        check=_check_property,
        project=_property_gui,
    ),
    Collection("resourceTypes", "resource type", get=False),
    Collection("routingProfiles", "routing profile", key="profileLabel", get=False),
    Collection(
        "shifts",
        "shift",
        put="upsert",
        delete=True,
        required=("name", "active", "type", "workTimeStart", "workTimeEnd"),
    ),
    Collection("timeSlots", "time slot", get=False),
    Collection(
        "workSkills",
        "work skill",
        put="upsert",
        delete=True,
        required=("active", "sharing"),
        check=_check_work_skill,
    ),
    Collection(
        "workSkillGroups",
        "work skill group",
        put="upsert",
        delete=True,
        keep_translations=True,
        check=_check_work_skill_group,
    ),
)


for _collection in COLLECTIONS:
    register(_collection)


# ------------------------------------------------------------------- work skill conditions


def _conditions_body(call: Call) -> Response:
    items = call.store.items("workSkillConditions")
    return Response.json({"items": items, "totalResults": len(items)})


@route("GET", f"{PREFIX}/workSkillConditions")
def get_work_skill_conditions(call: Call) -> Response:
    return _conditions_body(call)


@route("PUT", f"{PREFIX}/workSkillConditions")
def replace_work_skill_conditions(call: Call) -> Response:
    """Replace all conditions: those not sent are deleted."""
    items = call.json_object().get("items")
    if not isinstance(items, list):
        raise bad_request('The body must be {"items": [condition, ...]}.')
    rows: list[tuple[str | int, Any, str | None]] = []
    for item in items:
        if not isinstance(item, dict):
            raise bad_request("Each condition must be an object.")
        require(item, ("internalId", "label", "requiredLevel", "preferableLevel"), "a condition")
        if call.store.get("workSkills", item["label"]) is None:
            raise bad_request(f"Unknown work skill '{item['label']}'.")
        rows.append((item["internalId"], item, None))
    if len({key for key, _, _ in rows}) != len(rows):
        raise bad_request("Each condition needs a distinct 'internalId'.")
    call.store.replace_all("workSkillConditions", rows)
    return _conditions_body(call)


# ----------------------------------------------------------------------- enumeration lists


def _enumeration_property(call: Call) -> str:
    label = call.param("label")
    prop = call.store.get("properties", label)
    if prop is None:
        raise not_found("property", label)
    if prop.get("type") != "enumeration":
        raise bad_request(f"The property '{label}' is not of type enumeration.")
    return label


@route("GET", f"{PREFIX}/properties/{{label}}/enumerationList")
def get_enumeration_list(call: Call) -> Response:
    label = _enumeration_property(call)
    language = call.arg("language")
    values = [localize(v, language) for v in call.store.items(f"enumerationList:{label}")]
    return paged_list(call, values)


@route("PUT", f"{PREFIX}/properties/{{label}}/enumerationList")
def replace_enumeration_list(call: Call) -> Response:
    """Update or add values; values left out are kept (OFS never deletes them)."""
    label = _enumeration_property(call)
    if label == "country_code":
        raise bad_request("The enumeration of 'country_code' cannot be changed.")
    items = call.json_object().get("items")
    if not isinstance(items, list) or not items:
        raise bad_request('The body must be {"items": [value, ...]} with at least one value.')
    collection = f"enumerationList:{label}"
    with call.store.transaction():
        for item in items:
            if not isinstance(item, dict):
                raise bad_request("Each enumeration value must be an object.")
            value = str(item.get("label", ""))
            if value in ("", "0", "-1"):
                raise bad_request("An enumeration value label cannot be empty, '0' or '-1'.")
            translations = normalize_translations(item.get("translations"))
            if not any(t["language"] == "en" and t["name"] for t in translations):
                raise bad_request(f"The value '{value}' needs an English translation.")
            call.store.put(
                collection,
                value,
                {
                    "label": value,
                    "active": bool(item.get("active", True)),
                    "translations": translations,
                },
            )
        values = call.store.items(collection)
        if not any(v.get("active") for v in values):
            raise bad_request("At least one enumeration value must stay active.")
    return Response.json({"items": values, "totalResults": len(values)})
