"""Parts Catalog API: catalogs and their items, stored (the API has no read operations).

A catalog (``PUT catalogs/{catalog}/{language}``) is kept in ``partsCatalogs`` under
``<catalog>|<language>``; its items in the sub-collection
``partsCatalogItems:<catalog>|<language>``.
An item needs its catalog, a ``type`` the catalog declares (when it declares types) and
``fields`` whose labels the catalog defines.
"""

from __future__ import annotations

from typing import Any

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import bad_request, not_found, require
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.store import sub

__all__ = ["CATALOGS", "items_collection"]

V1 = "/rest/ofscPartsCatalog/v1"
CATALOGS = "partsCatalogs"


def _catalog_key(call: Call) -> str:
    return f"{call.param('catalog')}|{call.param('language')}"


def items_collection(catalog: str, language: str) -> str:
    """The store collection holding the items of one catalog language."""
    return sub("partsCatalogItems", f"{catalog}|{language}")


def _labels(values: Any, what: str, key: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise bad_request(f"'{what}' must be an array of objects.")
    labels = []
    for value in values:
        require(value, [key], what)
        labels.append(str(value[key]))
    return labels


@route("PUT", f"{V1}/catalogs/{{catalog}}/{{language}}")
def put_catalog(call: Call) -> Response:
    body = call.json_object()
    require(body, ["name", "fieldSchemas"], "a catalog")
    _labels(body["fieldSchemas"], "fieldSchemas", "label")
    if body.get("typeSchemas") is not None:
        _labels(body["typeSchemas"], "typeSchemas", "itemType")
    call.store.put(CATALOGS, _catalog_key(call), body)
    return Response.no_content()


def _catalog(call: Call) -> dict[str, Any]:
    doc = call.store.get(CATALOGS, _catalog_key(call))
    if doc is None:
        raise not_found("catalog", f"{call.param('catalog')} ({call.param('language')})")
    return dict(doc)


@route("PUT", f"{V1}/catalogs/{{catalog}}/{{language}}/{{itemLabel}}")
def put_item(call: Call) -> Response:
    catalog = _catalog(call)
    body = call.json_object()
    require(body, ["type", "fields"], "a catalog item")
    types = {t.get("itemType") for t in catalog.get("typeSchemas") or ()}
    if types and body["type"] not in types:
        raise bad_request(
            f"Item type '{body['type']}' is not declared by the catalog "
            f"(declared: {', '.join(sorted(str(t) for t in types))})."
        )
    defined = {f.get("label") for f in catalog.get("fieldSchemas") or ()}
    for label in _labels(body["fields"], "fields", "label"):
        if label not in defined:
            raise bad_request(f"Field '{label}' is not defined by the catalog.")
    collection = items_collection(call.param("catalog"), call.param("language"))
    call.store.put(collection, call.param("itemLabel"), body)
    return Response.no_content()


@route("DELETE", f"{V1}/catalogs/{{catalog}}/{{language}}/{{itemLabel}}")
def delete_item(call: Call) -> Response:
    collection = items_collection(call.param("catalog"), call.param("language"))
    if not call.store.delete(collection, call.param("itemLabel")):
        raise not_found("catalog item", call.param("itemLabel"))
    return Response.no_content()
