"""The one request validator: a request checked against its catalog operation.

Used by ``ofsc api`` before sending and by the emulator (its strict mode checks everything,
its default, live-like mode what a live tenant checks).  Every check returns plain problem
strings (``"query parameter 'limit': 'abc' is not an integer"``); the caller decides what a
problem means (exit 2 in the CLI, a 400 from the emulator)::

    from ofsc_cli.catalog import load_catalog
    from ofsc_cli.catalog.validate import check_request

    catalog = load_catalog()
    op = catalog.get("GET", "/rest/ofscMetadata/v1/workZones")
    check_request(catalog, op, query={"limit": "abc"})
    # ["query parameter 'limit': 'abc' is not an integer"]

What is checked: path and query parameters (type, enum, date format, range), unknown and
missing required query parameters, form fields, and a JSON body against the operation's schema
(types, required fields, enumerations, string lengths, number ranges, array sizes; unknown
fields where the schema is closed, or everywhere with ``closed``).  Only the standard library
is used.

Three callers, three modes: the emulator's strict mode checks everything the spec says; its
live-like mode (``lenient``) what a live tenant checks; the client library (``lenient`` with
``limit_floor``, and ``partial`` bodies: required fields left to the server) what a sender
should refuse before sending.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ofsc_cli.catalog import Catalog, Operation, Param

__all__ = [
    "MAX_PROBLEMS",
    "check_body",
    "check_form",
    "check_path_params",
    "check_query",
    "check_request",
    "check_scalar",
    "is_date",
    "resolve_schema",
]

MAX_PROBLEMS = 10
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")
_BOOLEANS = ("true", "false")
_LENIENT_BOOLEANS = ("true", "false", "True", "False", "TRUE", "FALSE", "1", "0")


def is_date(value: str) -> bool:
    """Returns whether ``value`` is ``YYYY-MM-DD`` and a real calendar day (2026-02-30 is not)."""
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_scalar(
    param: Param, value: str, *, lenient: bool = False, limit_floor: bool = False
) -> str | None:
    """Returns why the text ``value`` is not valid for ``param``, or None when it is.

    For an array parameter ``value`` is one element.  ``lenient`` is what a live tenant
    accepts beyond the spec: a ``limit`` outside its range (clamped, not refused) and
    booleans in any case or as ``1``/``0``.  ``limit_floor`` (with ``lenient``, for a sender)
    still refuses a ``limit`` below its minimum (0 where the catalog states none): only the
    maximum is left to the server's clamping.
    """
    kind = param.items.type if param.type == "array" and param.items else param.type
    enum = param.items.enum if param.type == "array" and param.items else param.enum
    if kind == "integer" and not _INT.match(value):
        return f"'{value}' is not an integer"
    if kind == "number" and not _FLOAT.match(value):
        return f"'{value}' is not a number"
    if kind == "boolean" and value not in (_LENIENT_BOOLEANS if lenient else _BOOLEANS):
        return f"'{value}' is not true or false"
    if param.format == "date" and not is_date(value):
        return f"'{value}' is not a date (YYYY-MM-DD)"
    if enum is not None and value not in {str(e) for e in enum}:
        return f"'{value}' is not one of {', '.join(str(e) for e in enum)}"
    if kind in ("integer", "number"):
        clamped = lenient and param.name == "limit"
        if clamped and not limit_floor:
            return None
        if len(value) > 40:
            return f"'{value[:20]}...' is out of range"
        number = float(value)
        minimum = param.minimum if param.minimum is not None or not clamped else 0
        if minimum is not None and number < minimum:
            return f"{value} is below the minimum {minimum}"
        if param.maximum is not None and number > param.maximum and not clamped:
            return f"{value} is above the maximum {param.maximum}"
    return None


def _values(raw: Any) -> list[str]:
    values = raw if isinstance(raw, list | tuple) else [raw]
    return [str(v) for v in values]


def check_query(
    op: Operation,
    query: Mapping[str, Any],
    *,
    allow_unknown: bool = False,
    lenient: bool = False,
    limit_floor: bool = False,
) -> list[str]:
    """Returns the problems of the ``query`` of a request for ``op``: unknown names (unless
    ``allow_unknown``), missing required ones, wrong values (``lenient``, ``limit_floor``: see
    :func:`check_scalar`).  Values are text or lists of text (repeated names); array
    parameters are also split on commas.  Empty when the query is valid.
    """
    problems: list[str] = []
    known = {p.name: p for p in op.query_params}
    if not allow_unknown:
        valid = ", ".join(sorted(known)) or "none"
        for name in query:
            if name not in known:
                problems.append(f"unknown query parameter '{name}' (valid: {valid})")
    for name, param in known.items():
        if name not in query or not _values(query[name]):
            if param.required:
                problems.append(f"missing required query parameter '{name}' ({param.type})")
            continue
        for text in _values(query[name]):
            parts = text.split(",") if param.type == "array" else [text]
            for part in parts:
                if param.type == "array" and not part.strip():
                    continue
                problem = check_scalar(
                    param, part.strip(), lenient=lenient, limit_floor=limit_floor
                )
                if problem:
                    problems.append(f"query parameter '{name}': {problem}")
    return problems


def check_path_params(op: Operation, params: Mapping[str, str]) -> list[str]:
    """Returns the problems of the path values ``params`` matched from a concrete path for
    ``op`` (empty when they are valid).
    """
    problems: list[str] = []
    for param in op.path_params:
        value = params.get(param.name)
        if value is not None:
            problem = check_scalar(param, value)
            if problem:
                problems.append(f"path parameter '{param.name}': {problem}")
    return problems


def check_form(op: Operation, fields: Mapping[str, Any]) -> list[str]:
    """Returns the problems of the form body ``fields`` of a request for ``op``: unknown fields
    and missing required ones (empty when it is valid).
    """
    known = {p.name: p for p in op.form_params}
    problems = [
        f"unknown form field '{k}' (valid: {', '.join(sorted(known))})"
        for k in fields
        if k not in known
    ]
    problems += [
        f"missing required form field '{p.name}'"
        for p in op.form_params
        if p.required and p.name not in fields
    ]
    return problems


def resolve_schema(catalog: Catalog, schema: Any, depth: int = 0) -> dict[str, Any]:
    """Returns ``schema`` (a definition name or an inline schema of ``catalog``) with ``$ref``
    replaced and ``allOf`` parts merged; ``depth`` is the nesting so far (past 20, or for a
    schema that is not one, the result is ``{}``).
    """
    if isinstance(schema, str):
        schema = {"$ref": schema}
    if not isinstance(schema, dict) or depth > 20:
        return {}
    merged: dict[str, Any] = {}
    ref = schema.get("$ref")
    if isinstance(ref, str):
        # Swagger 2.0: keys beside a $ref are ignored (the spec has e.g. "type": "string"
        # beside references to object definitions).
        return _resolve_named(catalog, ref, depth)
    for part in schema.get("allOf", ()):
        sub = resolve_schema(catalog, part, depth + 1)
        props = {**merged.get("properties", {}), **sub.get("properties", {})}
        required = [*merged.get("required", ()), *sub.get("required", ())]
        merged.update(sub)
        if props:
            merged["properties"] = props
        if required:
            merged["required"] = required
    for key, value in schema.items():
        if key in ("$ref", "allOf"):
            continue
        if key == "properties":
            merged["properties"] = {**merged.get("properties", {}), **value}
        elif key == "required":
            merged["required"] = [*merged.get("required", ()), *value]
        else:
            merged[key] = value
    return merged


@functools.lru_cache(maxsize=2048)
def _resolve_named(catalog: Catalog, ref: str, depth: int) -> dict[str, Any]:
    """A definition resolved once per catalog (shared: read-only), ``{}`` when unknown."""
    with contextlib.suppress(KeyError):
        return resolve_schema(catalog, catalog.schema(ref), depth + 1)
    return {}


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def _type_name(value: Any) -> str:
    for name, kinds in (
        ("null", (type(None),)),
        ("boolean", (bool,)),
        ("integer", (int,)),
        ("number", (float,)),
        ("string", (str,)),
        ("array", (list,)),
        ("object", (dict,)),
    ):
        if isinstance(value, kinds):
            return name
    return type(value).__name__


def check_body(
    catalog: Catalog,
    schema: Any,
    body: Any,
    *,
    closed: bool = False,
    partial: bool = False,
    where: str = "body",
) -> list[str]:
    """Returns the problems of ``body`` against a schema of ``catalog`` (``schema``: a definition
    name or an inline schema), each prefixed with its place, starting at ``where``.

    Unknown fields are problems where the schema says ``additionalProperties: false``, or
    everywhere when ``closed`` (for bodies that never carry custom fields).  ``partial`` is a
    partial update (PATCH: the spec reuses full schemas for it): required fields are not
    checked, at any depth.
    """
    problems: list[str] = []
    _check_node(catalog, schema, body, where, problems, closed, partial)
    return problems


def _check_node(
    catalog: Catalog,
    schema: Any,
    value: Any,
    where: str,
    problems: list[str],
    closed: bool,
    partial: bool = False,
) -> None:
    if len(problems) >= MAX_PROBLEMS or value is None:
        return
    node = resolve_schema(catalog, schema)
    if not node:
        return
    kind = node.get("type")
    if kind is None and "properties" in node:
        kind = "object" if isinstance(value, dict) else None
    if isinstance(kind, str) and kind in _JSON_TYPES:
        ok = isinstance(value, _JSON_TYPES[kind]) and not (
            isinstance(value, bool) and kind in ("integer", "number")
        )
        if not ok:
            problems.append(f"{where}: expected {kind}, got {_type_name(value)}")
            return
    enum = node.get("enum")
    if enum is not None and value not in enum:
        choices = ", ".join(json.dumps(e) for e in enum)
        problems.append(f"{where}: {json.dumps(value)} is not one of {choices}")
    if isinstance(value, str):
        if "minLength" in node and len(value) < node["minLength"]:
            problems.append(f"{where}: shorter than {node['minLength']} characters")
        if "maxLength" in node and len(value) > node["maxLength"]:
            problems.append(f"{where}: longer than {node['maxLength']} characters")
        if node.get("format") == "date" and not is_date(value):
            problems.append(f"{where}: '{value}' is not a date (YYYY-MM-DD)")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in node and value < node["minimum"]:
            problems.append(f"{where}: {value} is below the minimum {node['minimum']}")
        if "maximum" in node and value > node["maximum"]:
            problems.append(f"{where}: {value} is above the maximum {node['maximum']}")
    elif isinstance(value, list):
        if "minItems" in node and len(value) < node["minItems"]:
            problems.append(f"{where}: needs at least {node['minItems']} item(s)")
        if "maxItems" in node and len(value) > node["maxItems"]:
            problems.append(f"{where}: at most {node['maxItems']} items allowed")
        item_schema = node.get("items")
        if isinstance(item_schema, dict | str):
            for i, item in enumerate(value):
                _check_node(catalog, item_schema, item, f"{where}[{i}]", problems, closed, partial)
    elif isinstance(value, dict):
        props: dict[str, Any] = node.get("properties") or {}
        for name in () if partial else node.get("required", ()):
            if name not in value:
                problems.append(f"{where}: missing required field '{name}'")
        extra = node.get("additionalProperties")
        for name, item in value.items():
            if name in props:
                _check_node(
                    catalog, props[name], item, f"{where}.{name}", problems, closed, partial
                )
            elif isinstance(extra, dict):
                _check_node(catalog, extra, item, f"{where}.{name}", problems, closed, partial)
            elif props and (extra is False or closed):
                valid = ", ".join(sorted(props))
                problems.append(f"{where}: unknown field '{name}' (valid: {valid})")


_NO_BODY = object()


def check_request(
    catalog: Catalog,
    op: Operation,
    *,
    path_params: Mapping[str, str] | None = None,
    query: Mapping[str, Any] | None = None,
    body: Any = _NO_BODY,
    content: bytes | None = None,
    form: Mapping[str, Any] | None = None,
    allow_unknown_query: bool = False,
    lenient: bool = False,
) -> list[str]:
    """Returns every problem of one request for ``op`` of ``catalog`` (empty when it is valid).

    ``path_params`` are the values matched from the path, ``query`` the query (see
    :func:`check_query`; ``allow_unknown_query``, ``lenient``).  The body is given as parsed
    JSON (``body``), as raw bytes (``content``: parsed here when the operation takes JSON), or
    as form fields (``form``, for form operations); leave all three out for a request without
    a body.
    """
    problems = check_path_params(op, path_params or {})
    problems += check_query(op, query or {}, allow_unknown=allow_unknown_query, lenient=lenient)
    has_body = body is not _NO_BODY or content is not None or form is not None
    if op.form_params:
        if form is not None:
            problems += check_form(op, form)
        elif content is None and not has_body and any(p.required for p in op.form_params):
            problems.append("a form body is required")
        return problems
    if op.body is None:
        if has_body and (content is None or content.strip()):
            problems.append(f"{op.method} {op.path} takes no request body")
        return problems
    if not has_body:
        if op.body.required:
            problems.append("a request body is required")
        return problems
    if op.body.schema == "file" or op.body.schema is None:
        return problems
    if content is not None:
        try:
            body = json.loads(content)
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(f"the body is not JSON ({exc}); {op.method} {op.path} takes JSON")
            return problems
    if body is _NO_BODY or body is None:
        return problems
    problems += check_body(catalog, op.body.schema, body)
    return problems
