#!/usr/bin/env python3
"""Build ``ofsc_cli/data/catalog.json``, the committed catalog of every OFS REST operation.

The catalog is derived from the Swagger 2.0 spec and holds *facts only*: paths, methods,
parameter names and types, limits, media types, response schemas and the structural part
of every definition those reference.  No description, summary, title or example text of
the spec is copied.

Usage::

    python scripts/build_catalog.py            # (re)write the catalog
    python scripts/build_catalog.py --check    # exit 1 if the committed catalog is stale
    python scripts/build_catalog.py --spec PATH

The spec defaults to ``<repo>/../shared/ofs-api/openapi-swagger2.json`` (found relative to
this script), or ``$OFSC_SPEC`` when set; ``--spec`` overrides both.

Exit codes: 0 success / up to date, 1 stale (``--check``), 2 spec not found or unreadable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "ofs-api" / "openapi-swagger2.json"
CATALOG_PATH = REPO_ROOT / "ofsc_cli" / "data" / "catalog.json"

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

#: First path segment after ``/rest/`` -> family name used by the CLI.
FAMILIES = {
    "ofscCore": "core",
    "ofscMetadata": "metadata",
    "ofscCapacity": "capacity",
    "ofscStatistics": "statistics",
    "oauthTokenService": "oauth2",
    "ofscPartsCatalog": "parts-catalog",
    "ofscCollaboration": "collaboration",
}

#: Parameter location in the spec -> catalog key of the operation's list.
PARAM_GROUPS = {
    "path": "pathParams",
    "query": "queryParams",
    "header": "headerParams",
    "formData": "formParams",
}

#: Facts kept from a non-body parameter (besides ``name``, ``type`` and ``required``).
PARAM_FACTS = (
    "format",
    "enum",
    "collectionFormat",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
)

#: Structural keys kept from schemas; everything else (texts, examples, vendor keys) is dropped.
SCHEMA_KEYS = frozenset(
    {
        "type",
        "format",
        "properties",
        "required",
        "enum",
        "items",
        "$ref",
        "allOf",
        "additionalProperties",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "pattern",
        "readOnly",
        "default",
    }
)

DEFINITIONS_PREFIX = "#/definitions/"
PARAMETERS_PREFIX = "#/parameters/"

#: Finds the page-size maximum stated in a ``limit`` parameter's text ("... maximum value
#: [that can be specified] is 100,000").  Only the number is kept.
LIMIT_MAX_RE = re.compile(r"maximum value (?:that can be specified )?is (\d[\d,]*)", re.IGNORECASE)

#: A request body sent as raw bytes (file properties, routing-plan import).
BINARY_MEDIA_TYPE = "application/octet-stream"
BINARY_DEFINITION = "file"

Json = dict[str, Any]


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def strip_schema(node: Any) -> Any:
    """Return the structural part of a schema node (see :data:`SCHEMA_KEYS`), recursively."""
    if not isinstance(node, dict):
        return node
    out: Json = {}
    for key, value in node.items():
        if key not in SCHEMA_KEYS:
            continue
        if key == "properties":
            out[key] = {name: strip_schema(sub) for name, sub in value.items()}
        elif key == "allOf":
            out[key] = [strip_schema(sub) for sub in value]
        elif key in ("items", "additionalProperties"):
            out[key] = strip_schema(value)
        elif key == "default":
            if _is_scalar(value):
                out[key] = value
        else:
            out[key] = value
    return out


def schema_ref(schema: Any) -> str | Json | None:
    """Reduce a body/response schema to a definition name or an inline structural schema."""
    if schema is None:
        return None
    stripped = strip_schema(schema)
    ref = stripped.get("$ref") if isinstance(stripped, dict) else None
    if isinstance(ref, str) and len(stripped) == 1 and ref.startswith(DEFINITIONS_PREFIX):
        return ref[len(DEFINITIONS_PREFIX) :]
    return stripped  # type: ignore[no-any-return]


def _resolve_param(spec: Json, param: Json) -> Json:
    ref = param.get("$ref")
    if isinstance(ref, str):
        if not ref.startswith(PARAMETERS_PREFIX):
            raise ValueError(f"unsupported parameter reference {ref!r}")
        resolved: Json = spec["parameters"][ref[len(PARAMETERS_PREFIX) :]]
        return resolved
    return param


def _param_entry(param: Json) -> Json:
    entry: Json = {
        "name": param["name"],
        "type": param.get("type", "string"),
        "required": bool(param.get("required", param["in"] == "path")),
    }
    for key in PARAM_FACTS:
        if key in param:
            entry[key] = param[key]
    if _is_scalar(param.get("default")) and "default" in param:
        entry["default"] = param["default"]
    items = param.get("items")
    if isinstance(items, dict):
        entry["items"] = {k: items[k] for k in ("type", "enum") if k in items}
    return entry


def _limit_max(limit: Json | None) -> int | None:
    if limit is None:
        return None
    if isinstance(limit.get("maximum"), int):
        return int(limit["maximum"])
    found = LIMIT_MAX_RE.search(str(limit.get("description", "")))
    return int(found.group(1).replace(",", "")) if found else None


def _paging(family: str, method: str, query: dict[str, Json]) -> str:
    if family == "statistics" and method == "GET":
        return "next-link"
    if "page" in query:
        return "cursor"
    if "offset" in query:
        return "offset" if "limit" in query else "offset-only"
    return "limit-only" if "limit" in query else "none"


def _definition(spec: Json, schema: Any) -> Any:
    """Follow ``$ref`` chains to the referenced raw definition."""
    seen: set[str] = set()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref = schema["$ref"]
        if ref in seen:
            break
        seen.add(ref)
        schema = spec["definitions"].get(ref[len(DEFINITIONS_PREFIX) :])
    return schema


def _has_items_array(spec: Json, schema: Any) -> bool:
    schema = _definition(spec, schema)
    if not isinstance(schema, dict):
        return False
    items = _definition(spec, schema.get("properties", {}).get("items"))
    if isinstance(items, dict) and items.get("type") == "array":
        return True
    return any(_has_items_array(spec, part) for part in schema.get("allOf", []))


def _items_key(spec: Json, responses: Json) -> str | None:
    """``"items"`` when the main success response is an object with an ``items`` array."""
    for code in sorted(c for c in responses if c.startswith("2")):
        schema = responses[code].get("schema")
        if schema is not None:
            return "items" if _has_items_array(spec, schema) else None
    return None


def _media_types(spec: Json, op: Json, key: str) -> list[str]:
    """The operation's ``consumes``/``produces`` list, else the spec-wide one, else ``[]``."""
    found = op[key] if key in op else spec.get(key, [])
    return [str(media) for media in found]


def _family_and_version(path: str) -> tuple[str, str]:
    parts = path.split("/")
    if len(parts) < 4 or parts[1] != "rest" or parts[2] not in FAMILIES:
        raise ValueError(f"path outside the known API families: {path}")
    return FAMILIES[parts[2]], parts[3]


def build_operation(spec: Json, path: str, method: str, item: Json) -> Json:
    """Return the catalog entry of one operation (``item`` is the spec's path item)."""
    op: Json = item[method]
    family, version = _family_and_version(path)
    # Path-level parameters apply unless the operation redefines the same (name, in).
    params: dict[tuple[str, str], Json] = {}
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = _resolve_param(spec, raw)
        params[(param["name"], param["in"])] = param

    entry: Json = {group: [] for group in PARAM_GROUPS.values()}
    body: Json | None = None
    for param in params.values():
        if param["in"] == "body":
            body = {
                "schema": schema_ref(param.get("schema")),
                "required": bool(param.get("required")),
            }
        else:
            entry[PARAM_GROUPS[param["in"]]].append(_param_entry(param))

    consumes = _media_types(spec, op, "consumes")
    upper = method.upper()
    if (
        body is None
        and not entry["formParams"]
        and upper in ("POST", "PUT", "PATCH")
        and BINARY_MEDIA_TYPE in consumes
    ):
        # The spec declares a raw-bytes request media type but no body parameter
        # (routing-plan import/forceImport): record the body it takes.
        body = {"schema": BINARY_DEFINITION, "required": True}

    query = {p["name"]: p for p in params.values() if p["in"] == "query"}
    responses: Json = op.get("responses", {})
    entry.update(
        {
            "key": f"{upper} {path}",
            "operationId": op.get("operationId"),
            "family": family,
            "tag": (op.get("tags") or [None])[0],
            "method": upper,
            "path": path,
            "version": version,
            "body": body,
            "consumes": consumes,
            "produces": _media_types(spec, op, "produces"),
            "responses": {code: schema_ref(r.get("schema")) for code, r in responses.items()},
            "successCodes": sorted(int(c) for c in responses if c.isdigit() and c.startswith("2")),
            "deprecated": bool(op.get("deprecated", False)),
            "paging": _paging(family, upper, query),
            "limitMax": _limit_max(query.get("limit")),
            "itemsKey": _items_key(spec, responses),
        }
    )
    return entry


def _refs_in(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(DEFINITIONS_PREFIX):
                found.add(value[len(DEFINITIONS_PREFIX) :])
            else:
                _refs_in(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs_in(value, found)


#: Enumerations in the spec that list one demonstration instance's data rather than values the
#: API defines (a work zone's travel area is any travel area of the instance).  Their ``enum``
#: is dropped, so that validators do not refuse the values of every other instance.
INSTANCE_ENUMS: frozenset[tuple[str, str]] = frozenset({("workZoneItem", "travelArea")})


def _drop_instance_enums(name: str, schema: Any) -> Any:
    props = schema.get("properties") if isinstance(schema, dict) else None
    for definition, prop in INSTANCE_ENUMS:
        if definition == name and isinstance(props, dict) and isinstance(props.get(prop), dict):
            props[prop].pop("enum", None)
    return schema


def _referenced_schemas(spec: Json, operations: list[Json]) -> Json:
    """Structural copies of every definition reachable from an operation body or response."""
    pending: set[str] = set()
    for op in operations:
        targets = [op["body"]["schema"] if op["body"] else None, *op["responses"].values()]
        for target in targets:
            if isinstance(target, str):
                pending.add(target)
            else:
                _refs_in(target, pending)
    schemas: Json = {}
    while pending:
        name = pending.pop()
        if name in schemas:
            continue
        schemas[name] = _drop_instance_enums(name, strip_schema(spec["definitions"][name]))
        found: set[str] = set()
        _refs_in(schemas[name], found)
        pending |= found - schemas.keys()
    return schemas


def build_catalog(spec: Json, *, spec_sha256: str | None = None) -> Json:
    """Derive the catalog from a parsed Swagger 2.0 spec.

    ``spec_sha256`` is the hex SHA-256 of the spec file's bytes (see :func:`load_spec`); it is
    recorded as ``specSha256`` so a catalog names the exact spec it was built from.
    """
    operations = [
        build_operation(spec, path, method, item)
        for path, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    ]
    operations.sort(key=lambda op: (op["path"], op["method"]))
    keys = Counter(op["key"] for op in operations)
    duplicates = sorted(k for k, n in keys.items() if n > 1)
    if duplicates:
        raise ValueError(f"duplicate operation keys: {duplicates}")
    return {
        "specVersion": spec.get("info", {}).get("version"),
        "specSha256": spec_sha256,
        "families": dict(sorted(Counter(op["family"] for op in operations).items())),
        "operations": operations,
        "schemas": _referenced_schemas(spec, operations),
    }


def load_spec(path: Path) -> tuple[Json, str]:
    """Read the spec file: return the parsed spec and the SHA-256 of its bytes."""
    data = path.read_bytes()
    spec: Json = json.loads(data)
    return spec, hashlib.sha256(data).hexdigest()


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def render(catalog: Json) -> str:
    """Serialise a catalog deterministically: valid JSON with sorted keys, compact, and one
    line per top-level key, per operation and per schema (small, readable diffs)."""
    lines = []
    for key in sorted(catalog):
        value = catalog[key]
        if key == "operations":
            body = ",\n".join(_compact(op) for op in value)
            lines.append(f'"operations":[\n{body}\n]')
        elif key == "schemas":
            body = ",\n".join(f"{_compact(name)}:{_compact(value[name])}" for name in sorted(value))
            lines.append(f'"schemas":{{\n{body}\n}}')
        else:
            lines.append(f"{_compact(key)}:{_compact(value)}")
    return "{" + ",\n".join(lines) + "}\n"


def default_spec_path() -> Path:
    """``$OFSC_SPEC`` if set, else the spec beside the repository (see module docstring)."""
    env = os.environ.get("OFSC_SPEC")
    return Path(env) if env else DEFAULT_SPEC


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description="Build the committed OFS API catalog.")
    parser.add_argument("--spec", type=Path, default=None, help="Swagger 2.0 spec file")
    parser.add_argument("--output", type=Path, default=CATALOG_PATH, help="catalog file")
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the catalog is stale"
    )
    args = parser.parse_args(argv)
    spec_path: Path = args.spec or default_spec_path()
    try:
        spec, sha = load_spec(spec_path)
    except (OSError, ValueError) as exc:
        print(f"build_catalog: cannot read spec {spec_path}: {exc}", file=sys.stderr)
        return 2
    text = render(build_catalog(spec, spec_sha256=sha))
    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            print(
                f"build_catalog: {output} is stale; run scripts/build_catalog.py", file=sys.stderr
            )
            return 1
        print(f"build_catalog: {output} is up to date")
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"build_catalog: wrote {output} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
