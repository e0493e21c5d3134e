"""The catalog of every OFS REST operation, read from the committed ``data/catalog.json``.

The JSON is generated from the OFS Swagger spec by ``scripts/build_catalog.py`` and holds
facts only (paths, methods, parameters, limits, media types, response schemas).  This module
turns it into frozen dataclasses and a compiled path matcher::

    from ofsc_cli.catalog import load_catalog

    catalog = load_catalog()
    op, params = catalog.match("GET", "/rest/ofscCore/v1/activities/123/linkedActivities")
    op.key      # 'GET /rest/ofscCore/v1/activities/{activityId}/linkedActivities'
    params      # {'activityId': '123'}

Matching gives literal segments priority, as OFS does: where templates collide, a literal beats a
``{param}`` segment at the first position where they differ (so
``activities/custom-actions/search`` is not ``activities/{activityId}/{propertyLabel}``).
A concrete path resolves to exactly one template; the method is then looked up on that
template only, so a method the template lacks gives ``None`` from :meth:`Catalog.match`
(use :meth:`Catalog.match_path` to tell "no such path" from "method not allowed").

Only the standard library is used, and only ``dataclasses`` at import time.  Objects and
schema dicts handed out are shared by every caller: treat them as read-only.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

# ``typing`` costs more to import than the rest of this module: keep it to type checkers
# (mypy treats any ``TYPE_CHECKING`` name as true; annotations here are never evaluated).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    Paging = Literal["offset", "offset-only", "cursor", "next-link", "limit-only", "none"]
    ParamLocation = Literal["path", "query", "header", "formData"]
    Scalar = str | int | float | bool | None
    # A body/response schema: a definition name (see Catalog.schema), an inline
    # structural schema, or None when the spec documents no body.
    SchemaRef = str | dict[str, Any] | None

__all__ = [
    "Body",
    "Catalog",
    "Operation",
    "Param",
    "ParamItems",
    "load_catalog",
    "load_operation",
    "suggest_paths",
]

#: JSON list key of an operation -> :attr:`Param.location` of its entries.
_PARAM_GROUPS: tuple[tuple[str, ParamLocation], ...] = (
    ("pathParams", "path"),
    ("queryParams", "query"),
    ("headerParams", "header"),
    ("formParams", "formData"),
)


@dataclass(frozen=True, slots=True)
class ParamItems:
    """Element type of an array parameter (e.g. a CSV list)."""

    type: str
    enum: tuple[Scalar, ...] | None = None


@dataclass(frozen=True, slots=True)
class Param:
    """One non-body parameter of an operation."""

    name: str
    location: ParamLocation
    type: str
    required: bool = False
    format: str | None = None
    enum: tuple[Scalar, ...] | None = None
    items: ParamItems | None = None
    collection_format: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    default: Scalar = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any], location: ParamLocation) -> Param:
        """Returns the parameter described by ``data``, one catalog parameter entry, found at
        ``location`` (``path``, ``query``, ``header`` or ``formData``).  Raises :class:`KeyError`
        when the entry lacks ``name`` or ``type``.
        """
        items = data.get("items")
        enum = data.get("enum")
        return cls(
            name=data["name"],
            location=location,
            type=data["type"],
            required=data.get("required", False),
            format=data.get("format"),
            enum=tuple(enum) if enum is not None else None,
            items=(
                ParamItems(items["type"], tuple(items["enum"]) if "enum" in items else None)
                if items
                else None
            ),
            collection_format=data.get("collectionFormat"),
            minimum=data.get("minimum"),
            maximum=data.get("maximum"),
            min_length=data.get("minLength"),
            max_length=data.get("maxLength"),
            pattern=data.get("pattern"),
            default=data.get("default"),
        )


@dataclass(frozen=True, slots=True)
class Body:
    """The request body an operation takes.

    ``schema`` is a definition name (``"file"`` for raw bytes) or an inline schema.
    """

    schema: SchemaRef
    required: bool


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Operation:
    """One OFS REST operation (``method`` + ``path`` template).

    ``paging`` is ``"offset"`` (offset + limit), ``"offset-only"``, ``"cursor"`` (events
    ``page``/``nextPage``), ``"next-link"`` (statistics), ``"limit-only"`` or ``"none"``;
    ``limit_max`` the largest page size when known; ``items_key`` the response member
    holding the list (``"items"``) or ``None``.  Equality and hashing use ``key`` only.
    """

    key: str
    operation_id: str | None
    family: str
    tag: str | None
    method: str
    path: str
    version: str
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    header_params: tuple[Param, ...]
    form_params: tuple[Param, ...]
    body: Body | None
    consumes: tuple[str, ...]
    produces: tuple[str, ...]
    responses: Mapping[str, SchemaRef]
    success_codes: tuple[int, ...]
    deprecated: bool
    paging: Paging
    limit_max: int | None
    items_key: str | None

    def __repr__(self) -> str:
        return f"Operation({self.key!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Operation) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def params(self) -> tuple[Param, ...]:
        """Every non-body parameter: path, query, header, then form parameters."""
        return self.path_params + self.query_params + self.header_params + self.form_params

    def param(self, name: str) -> Param | None:
        """Returns the non-body parameter called ``name``, or ``None``."""
        return next((p for p in self.params if p.name == name), None)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Operation:
        """Returns the operation described by ``data``, one entry of the catalog's ``operations``
        list.  Raises :class:`KeyError` when the entry lacks a member the catalog always has.
        """
        groups = {
            key: tuple(Param.from_json(p, location) for p in data[key])
            for key, location in _PARAM_GROUPS
        }
        body = data["body"]
        return cls(
            key=data["key"],
            operation_id=data["operationId"],
            family=data["family"],
            tag=data["tag"],
            method=data["method"],
            path=data["path"],
            version=data["version"],
            path_params=groups["pathParams"],
            query_params=groups["queryParams"],
            header_params=groups["headerParams"],
            form_params=groups["formParams"],
            body=Body(body["schema"], body["required"]) if body else None,
            consumes=tuple(data["consumes"]),
            produces=tuple(data["produces"]),
            responses=MappingProxyType(data["responses"]),
            success_codes=tuple(data["successCodes"]),
            deprecated=data["deprecated"],
            paging=data["paging"],
            limit_max=data["limitMax"],
            items_key=data["itemsKey"],
        )


class _Node:
    """A segment-trie node: literal children, one wildcard child, and a template ending here."""

    __slots__ = ("literals", "template", "wildcard")

    def __init__(self) -> None:
        self.literals: dict[str, _Node] = {}
        self.wildcard: _Node | None = None
        self.template: tuple[str, tuple[str, ...]] | None = None  # (template, param names)


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


class _Matcher:
    """Resolves concrete paths to templates; literal segments are tried before wildcards."""

    __slots__ = ("_root",)

    def __init__(self, templates: Iterable[str]) -> None:
        self._root = _Node()
        for template in templates:
            node = self._root
            names: list[str] = []
            for segment in template.split("/"):
                if _is_param(segment):
                    names.append(segment[1:-1])
                    if node.wildcard is None:
                        node.wildcard = _Node()
                    node = node.wildcard
                else:
                    node = node.literals.setdefault(segment, _Node())
            if node.template is not None:
                raise ValueError(f"templates {node.template[0]} and {template} collide")
            node.template = (template, tuple(names))

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        segments = path.split("/")
        values: list[str] = []
        found = self._search(self._root, segments, 0, values)
        if found is None:
            return None
        template, names = found
        return template, dict(zip(names, values, strict=True))

    def _search(
        self, node: _Node, segments: list[str], index: int, values: list[str]
    ) -> tuple[str, tuple[str, ...]] | None:
        if index == len(segments):
            return node.template
        segment = segments[index]
        child = node.literals.get(segment)
        if child is not None:
            found = self._search(child, segments, index + 1, values)
            if found is not None:
                return found
        if node.wildcard is not None and segment:
            values.append(segment)
            found = self._search(node.wildcard, segments, index + 1, values)
            if found is not None:
                return found
            values.pop()
        return None


class Catalog:
    """All operations of the catalog, with lookups by key, template and concrete path."""

    __slots__ = (
        "_by_key",
        "_by_path",
        "_families",
        "_matcher",
        "_schemas",
        "operations",
        "spec_sha256",
        "spec_version",
    )

    def __init__(self, data: Mapping[str, Any]) -> None:
        """Build from ``data``, the parsed catalog JSON (see ``scripts/build_catalog.py``)."""
        self.operations: tuple[Operation, ...] = tuple(
            Operation.from_json(op) for op in data["operations"]
        )
        self.spec_version: str | None = data.get("specVersion")
        self.spec_sha256: str | None = data.get("specSha256")
        self._schemas: dict[str, dict[str, Any]] = dict(data.get("schemas", {}))
        self._families: dict[str, int] = {}
        for op in self.operations:
            self._families[op.family] = self._families.get(op.family, 0) + 1
        self._by_key: dict[str, Operation] = {op.key: op for op in self.operations}
        self._by_path: dict[str, list[Operation]] = {}
        for op in self.operations:
            self._by_path.setdefault(op.path, []).append(op)
        self._matcher = _Matcher(self._by_path)

    def __repr__(self) -> str:
        return f"<Catalog spec {self.spec_version}: {len(self.operations)} operations>"

    @property
    def by_key(self) -> Mapping[str, Operation]:
        """Operations by key, e.g. ``"GET /rest/ofscMetadata/v1/workZones/{label}"``."""
        return MappingProxyType(self._by_key)

    def get(self, method: str, path_template: str) -> Operation | None:
        """Returns the operation with ``method`` (any case) on exactly ``path_template``, or
        ``None``.
        """
        return self._by_key.get(f"{method.upper()} {path_template}")

    def for_path(self, path_template: str) -> list[Operation]:
        """Returns every operation on exactly ``path_template`` (empty if unknown)."""
        return list(self._by_path.get(path_template, ()))

    def paths(self) -> list[str]:
        """Returns every path template, sorted."""
        return sorted(self._by_path)

    def match_path(self, concrete_path: str) -> tuple[str, dict[str, str], list[Operation]] | None:
        """Resolve ``concrete_path`` (no query string).  Returns ``(template, params,
        operations)``, or ``None`` when no template matches.
        """
        found = self._matcher.match(concrete_path)
        if found is None:
            return None
        template, params = found
        return template, params, list(self._by_path[template])

    def match(
        self, method: str | None, concrete_path: str
    ) -> tuple[Operation, dict[str, str]] | None:
        """Resolve ``method`` and ``concrete_path``.  Returns ``(operation, path params)``.

        ``None`` if no template matches or the matching template has no such method.  With
        ``method=None`` any operation of the matching template is returned (GET if present).
        """
        found = self._matcher.match(concrete_path)
        if found is None:
            return None
        template, params = found
        if method is None:
            ops = self._by_path[template]
            op = next((o for o in ops if o.method == "GET"), ops[0])
        else:
            got = self._by_key.get(f"{method.upper()} {template}")
            if got is None:
                return None
            op = got
        return op, params

    def schema(self, name: str) -> dict[str, Any]:
        """Returns the structural schema of the definition ``name`` (``"Error"`` or
        ``"#/definitions/Error"``).

        Raises :class:`KeyError` for a name the catalog does not hold.
        """
        return self._schemas[name.removeprefix("#/definitions/")]

    def schema_names(self) -> list[str]:
        """Returns the names of every definition the catalog holds, sorted."""
        return sorted(self._schemas)

    def families(self) -> dict[str, int]:
        """Returns the operation count per family, e.g. ``{"core": 127, ...}``."""
        return dict(self._families)

    def suggest_paths(self, path: str, n: int = 3) -> list[str]:
        """Returns up to ``n`` templates that look like ``path``, best first (for "did you mean").

        Each template's ``{param}`` segments are filled from ``path`` before comparing, so a
        concrete path is compared with what the template would look like for it.
        """
        import difflib

        segments = path.split("/")
        scored: list[tuple[float, str]] = []
        for template in self._by_path:
            parts = template.split("/")
            filled = "/".join(
                segments[i] if _is_param(part) and i < len(segments) else part
                for i, part in enumerate(parts)
            )
            ratio = difflib.SequenceMatcher(None, path, filled).ratio()
            if ratio >= 0.6:
                scored.append((ratio, template))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [template for _, template in scored[:n]]


@functools.cache
def load_catalog() -> Catalog:
    """Returns the catalog shipped with the package (parsed once per process)."""
    import json
    from importlib.resources import files

    text = files("ofsc_cli.data").joinpath("catalog.json").read_text(encoding="utf-8")
    return Catalog(json.loads(text))


def suggest_paths(path: str, n: int = 3) -> list[str]:
    """Returns ``load_catalog().suggest_paths(path, n)``: up to ``n`` templates like ``path``."""
    return load_catalog().suggest_paths(path, n)


@functools.cache
def load_operation(key: str) -> Operation | None:
    """Returns the operation ``key`` (``"GET /rest/..."``) of the shipped catalog, or ``None``.

    Equal to ``load_catalog().by_key.get(key)``, without building the whole catalog: the
    file holds one operation per line (see ``render`` in ``scripts/build_catalog.py``), so
    only the line of ``key`` is parsed, which is what a client needs to send one request
    (its query and path parameters).  Once the whole catalog is loaded, or when the line
    cannot be found as expected, the catalog answers.
    """
    if not load_catalog.cache_info().currsize:  # else share the built catalog's objects
        found = _operation_line(key)
        if found is not None:
            return found
    return load_catalog().by_key.get(key)


def _operation_line(key: str) -> Operation | None:
    """The operation ``key`` built from its own line of the catalog file, or ``None`` when
    no line holds exactly that key (not in the catalog, or the file is laid out otherwise)."""
    import json

    text = _catalog_bytes()
    needle = b'"key":' + json.dumps(key, ensure_ascii=False).encode() + b","
    at = text.find(needle)
    if at == -1 or text.find(needle, at + 1) != -1:
        return None
    start = text.rfind(b"\n", 0, at) + 1
    end = text.find(b"\n", at)
    line = text[start : end if end != -1 else len(text)].rstrip().removesuffix(b",")
    try:
        data = json.loads(line)
        if isinstance(data, dict) and data.get("key") == key:
            return Operation.from_json(data)
    except (ValueError, KeyError, TypeError):
        pass
    return None


@functools.cache
def _catalog_bytes() -> bytes:
    """The shipped catalog file, unparsed (read once per process): from the package
    directory (no ``importlib.resources`` to import), else through the package's loader."""
    import os

    beside = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "catalog.json")
    try:
        with open(beside, "rb") as file:
            return file.read()
    except OSError:  # not installed as plain files (a zip): ask the loader
        from importlib.resources import files

        return files("ofsc_cli.data").joinpath("catalog.json").read_bytes()
