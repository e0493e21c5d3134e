"""Tests of the committed API catalog, its generator and the path matcher."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ofsc_cli.catalog import Catalog, Operation, load_catalog, suggest_paths

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_catalog.py"
CORE = "/rest/ofscCore/v1"
META = "/rest/ofscMetadata/v1"

EXPECTED_FAMILIES = {
    "core": 127,
    "metadata": 86,
    "capacity": 12,
    "statistics": 6,
    "oauth2": 2,
    "parts-catalog": 3,
    "collaboration": 7,
}


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    """``scripts/build_catalog.py`` loaded as a module."""
    spec = importlib.util.spec_from_file_location("build_catalog", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_catalog", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def committed_text() -> str:
    return files("ofsc_cli.data").joinpath("catalog.json").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def committed(committed_text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(committed_text)
    return data


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


# --------------------------------------------------------------------------- generator


def test_committed_catalog_matches_spec(builder: ModuleType, committed_text: str) -> None:
    spec_path: Path = builder.default_spec_path()
    if not spec_path.is_file():
        pytest.skip(f"OFS spec not found at {spec_path} (set OFSC_SPEC to check staleness)")
    spec, sha = builder.load_spec(spec_path)
    rebuilt = builder.render(builder.build_catalog(spec, spec_sha256=sha))
    assert rebuilt == committed_text, (
        "ofsc_cli/data/catalog.json is stale: run `python scripts/build_catalog.py`"
    )


def _mini_spec() -> dict[str, Any]:
    """A tiny Swagger document exercising every rule of the generator."""
    text_param = {"name": "limit", "in": "query", "type": "integer"}
    return {
        "swagger": "2.0",
        "info": {"version": "9.9", "title": "Mini"},
        "produces": ["application/json"],
        "parameters": {
            "paramId": {"name": "id", "in": "path", "type": "integer", "required": True},
            "paramOffset": {"name": "offset", "in": "query", "type": "integer"},
        },
        "paths": {
            "/rest/ofscCore/v1/things": {
                "get": {
                    "operationId": "listThings",
                    "summary": "List things",
                    "description": "Returns things.",
                    "tags": ["Things"],
                    "x-filename-id": "things-get",
                    "parameters": [
                        {"$ref": "#/parameters/paramOffset"},
                        {
                            **text_param,
                            "description": "Count. The maximum value that can be "
                            "specified is 2,500.",
                        },
                        {
                            "name": "kinds",
                            "in": "query",
                            "type": "array",
                            "collectionFormat": "csv",
                            "items": {"type": "string", "enum": ["a", "b"], "example": "a"},
                            "default": ["a"],
                        },
                    ],
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "#/definitions/Things"}},
                        "default": {"schema": {"$ref": "#/definitions/Error"}},
                    },
                },
                "post": {
                    "tags": ["Things"],
                    "parameters": [
                        {
                            "name": "body",
                            "in": "body",
                            "required": True,
                            "schema": {
                                "type": "object",
                                "description": "inline",
                                "properties": {"n": {"type": "integer", "example": 3}},
                            },
                        }
                    ],
                    "responses": {"201": {"schema": {"$ref": "#/definitions/Thing"}}},
                },
            },
            "/rest/ofscCore/v1/things/{id}/raw": {
                "put": {
                    "tags": ["Things"],
                    "consumes": ["application/octet-stream"],
                    "produces": [],
                    "parameters": [{"$ref": "#/parameters/paramId"}],
                    "responses": {"204": {"description": "done"}},
                },
            },
            "/rest/ofscCore/v1/feed": {
                "get": {
                    "tags": ["Feed"],
                    "parameters": [{"name": "page", "in": "query", "type": "string"}],
                    "responses": {
                        "200": {"schema": {"type": "array", "items": {"type": "string"}}}
                    },
                },
            },
            "/rest/ofscCore/v1/near": {
                "get": {
                    "tags": ["Feed"],
                    "parameters": [{**text_param, "minimum": 1, "maximum": 50}],
                    "responses": {"200": {"schema": {"$ref": "#/definitions/Things"}}},
                },
            },
            "/rest/ofscStatistics/v1/stats": {
                "get": {
                    "tags": ["Stats"],
                    "parameters": [{"$ref": "#/parameters/paramOffset"}, text_param],
                    "responses": {"200": {"schema": {"$ref": "#/definitions/Things"}}},
                },
            },
        },
        "definitions": {
            "Error": {
                "type": "object",
                "title": "Error",
                "required": ["title"],
                "properties": {"title": {"type": "string", "description": "text"}},
            },
            "Things": {
                "type": "object",
                "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/definitions/Thing"}},
                },
            },
            "Thing": {
                "allOf": [{"$ref": "#/definitions/Base"}],
                "x-internal": "secret",
                "properties": {
                    "kind": {"type": "string", "enum": ["a", "b"], "default": "a"},
                    "tags": {"type": "array", "default": ["x"], "items": {"type": "string"}},
                },
            },
            "Base": {"type": "object", "properties": {"id": {"type": "integer", "readOnly": True}}},
            "file": {"type": "string", "format": "binary", "description": "bytes"},
            "Unused": {"type": "object"},
        },
    }


@pytest.fixture
def mini(builder: ModuleType) -> dict[str, Any]:
    built: dict[str, Any] = builder.build_catalog(_mini_spec(), spec_sha256="abc")
    return built


def _op(catalog_data: dict[str, Any], key: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [op for op in catalog_data["operations"] if op["key"] == key]
    assert len(matches) == 1, key
    return matches[0]


def test_build_keeps_facts_and_drops_texts(mini: dict[str, Any]) -> None:
    assert mini["specVersion"] == "9.9"
    assert mini["specSha256"] == "abc"
    listing = _op(mini, "GET /rest/ofscCore/v1/things")
    assert listing["operationId"] == "listThings"
    assert listing["tag"] == "Things"
    assert listing["family"] == "core" and listing["version"] == "v1"
    assert listing["queryParams"] == [
        {"name": "offset", "required": False, "type": "integer"},
        {"name": "limit", "required": False, "type": "integer"},
        {
            "name": "kinds",
            "required": False,
            "type": "array",
            "collectionFormat": "csv",
            "items": {"type": "string", "enum": ["a", "b"]},
        },
    ]
    assert listing["responses"] == {"200": "Things", "default": "Error"}
    assert listing["produces"] == ["application/json"]  # the spec-wide list
    assert listing["successCodes"] == [200]
    rendered = json.dumps(mini)
    for text in ("List things", "Returns things", "things-get", "secret", "inline", "bytes"):
        assert text not in rendered


def test_build_paging_and_limits(mini: dict[str, Any]) -> None:
    listing = _op(mini, "GET /rest/ofscCore/v1/things")
    assert (listing["paging"], listing["limitMax"], listing["itemsKey"]) == (
        "offset",
        2500,
        "items",
    )
    feed = _op(mini, "GET /rest/ofscCore/v1/feed")
    assert (feed["paging"], feed["limitMax"], feed["itemsKey"]) == ("cursor", None, None)
    near = _op(mini, "GET /rest/ofscCore/v1/near")
    assert (near["paging"], near["limitMax"]) == ("limit-only", 50)
    stats = _op(mini, "GET /rest/ofscStatistics/v1/stats")
    assert (stats["family"], stats["paging"]) == ("statistics", "next-link")
    assert _op(mini, "POST /rest/ofscCore/v1/things")["paging"] == "none"


def test_build_bodies(mini: dict[str, Any]) -> None:
    create = _op(mini, "POST /rest/ofscCore/v1/things")
    assert create["body"] == {
        "schema": {"type": "object", "properties": {"n": {"type": "integer"}}},
        "required": True,
    }
    assert create["successCodes"] == [201]
    assert create["itemsKey"] is None
    raw = _op(mini, "PUT /rest/ofscCore/v1/things/{id}/raw")
    # octet-stream without a body parameter: the raw-bytes body is recorded.
    assert raw["body"] == {"schema": "file", "required": True}
    assert raw["consumes"] == ["application/octet-stream"]
    assert raw["produces"] == []  # an explicit operation-level list wins over the global one
    assert raw["responses"] == {"204": None}
    assert raw["pathParams"] == [{"name": "id", "required": True, "type": "integer"}]


def test_build_schemas_are_structural_and_transitive(mini: dict[str, Any]) -> None:
    schemas = mini["schemas"]
    assert sorted(schemas) == ["Base", "Error", "Thing", "Things", "file"]  # not "Unused"
    assert schemas["Thing"] == {
        "allOf": [{"$ref": "#/definitions/Base"}],
        "properties": {
            "kind": {"type": "string", "enum": ["a", "b"], "default": "a"},
            "tags": {"type": "array", "items": {"type": "string"}},  # non-scalar default dropped
        },
    }
    assert schemas["Base"]["properties"]["id"] == {"type": "integer", "readOnly": True}
    assert schemas["Error"] == {
        "type": "object",
        "required": ["title"],
        "properties": {"title": {"type": "string"}},
    }


def test_build_rejects_unknown_family(builder: ModuleType) -> None:
    spec = _mini_spec()
    spec["paths"]["/rest/somethingElse/v1/x"] = {"get": {"responses": {}}}
    with pytest.raises(ValueError, match="somethingElse"):
        builder.build_catalog(spec)


def test_render_is_deterministic_json(builder: ModuleType, mini: dict[str, Any]) -> None:
    text = builder.render(mini)
    assert json.loads(text) == mini
    assert text == builder.render(json.loads(text))
    assert text.endswith("}\n")


def test_check_mode(
    builder: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(_mini_spec()), encoding="utf-8")
    out = tmp_path / "catalog.json"
    args = ["--spec", str(spec_file), "--output", str(out)]
    assert builder.main([*args, "--check"]) == 1  # missing
    assert builder.main(args) == 0
    assert builder.main([*args, "--check"]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["specSha256"] == builder.load_spec(spec_file)[1]
    out.write_text(out.read_text(encoding="utf-8").replace('"9.9"', '"9.8"'), encoding="utf-8")
    assert builder.main([*args, "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert builder.main(["--spec", str(tmp_path / "absent.json"), "--output", str(out)]) == 2


def test_spec_path_from_environment(builder: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFSC_SPEC", "/elsewhere/spec.json")
    assert builder.default_spec_path() == Path("/elsewhere/spec.json")
    monkeypatch.delenv("OFSC_SPEC")
    assert builder.default_spec_path() == builder.DEFAULT_SPEC


# --------------------------------------------------------------------------- committed data


def test_operation_count_and_unique_keys(committed: dict[str, Any], catalog: Catalog) -> None:
    keys = [op["key"] for op in committed["operations"]]
    assert len(keys) == 243
    assert len(set(keys)) == 243
    assert len(catalog.operations) == 243
    assert len(catalog.by_key) == 243
    assert keys == [f"{op['method']} {op['path']}" for op in committed["operations"]]
    assert committed["operations"] == sorted(
        committed["operations"], key=lambda op: (op["path"], op["method"])
    )


def test_family_counts(committed: dict[str, Any], catalog: Catalog) -> None:
    assert catalog.families() == EXPECTED_FAMILIES
    assert committed["families"] == EXPECTED_FAMILIES
    assert Counter(op["family"] for op in committed["operations"]) == EXPECTED_FAMILIES


def _walk(node: Any, in_properties: bool = False) -> Iterator[tuple[str | None, Any]]:
    """Yield (key, value) for every dict entry and list element, skipping property names."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (None if in_properties else key), value
            yield from _walk(value, in_properties=(key == "properties" and not in_properties))
    elif isinstance(node, list):
        for value in node:
            yield None, value
            yield from _walk(value)


def test_catalog_holds_no_description_text(committed: dict[str, Any]) -> None:
    banned = {"description", "summary", "example", "examples", "title", "x-example"}
    keys = {key for key, _ in _walk(committed) if key is not None}
    assert not keys & banned
    assert not [key for key in keys if key.startswith("x-")]
    long_strings = [
        value
        for key, value in _walk(committed)
        if isinstance(value, str) and len(value) > 200 and key != "pattern"
    ]
    assert long_strings == []


def test_referenced_schemas_exist(committed: dict[str, Any], catalog: Catalog) -> None:
    names = set(catalog.schema_names())
    referenced = {
        target
        for op in catalog.operations
        for target in [op.body.schema if op.body else None, *op.responses.values()]
        if isinstance(target, str)
    }
    refs = {value for key, value in _walk(committed) if key == "$ref"}
    assert referenced and refs
    assert referenced <= names
    assert {ref.removeprefix("#/definitions/") for ref in refs} <= names
    assert catalog.schema("#/definitions/Error") is catalog.schema("Error")
    assert "title" in catalog.schema("Error")["properties"]
    with pytest.raises(KeyError):
        catalog.schema("NoSuchDefinition")


def test_operations_mirror_json(catalog: Catalog) -> None:
    op = catalog.get("get", f"{META}/workZones/{{label}}")
    assert op is not None
    assert op.key == f"GET {META}/workZones/{{label}}"
    assert (op.family, op.method, op.version) == ("metadata", "GET", "v1")
    assert [p.name for p in op.path_params] == ["label"]
    assert all(p.location == "path" and p.required for p in op.path_params)
    assert op.success_codes == (200,)
    token = catalog.get("POST", "/rest/oauthTokenService/v1/token")
    assert token is not None and token.deprecated and token.family == "oauth2"
    grant = token.param("grant_type")
    assert grant is not None and grant.location == "formData" and grant.required
    assert grant.enum is not None and "client_credentials" in grant.enum
    forms = catalog.get("GET", f"{CORE}/activities/{{activityId}}/submittedForms")
    assert forms is not None and forms.operation_id is None
    imports = catalog.get(
        "PUT", f"{META}/routingProfiles/{{profileLabel}}/plans/custom-actions/import"
    )
    assert imports is not None and imports.body is not None and imports.body.schema == "file"
    assert "application/octet-stream" in imports.consumes
    expand = catalog.get("GET", f"{CORE}/resources")
    assert expand is not None
    expand_param = expand.param("expand")
    assert expand_param is not None and expand_param.items is not None
    assert expand_param.collection_format == "csv" and expand_param.items.enum is not None
    assert catalog.get("GET", f"{CORE}/nothing") is None


def test_path_helpers(catalog: Catalog) -> None:
    paths = catalog.paths()
    assert paths == sorted(paths) and len(paths) == 163
    methods = {op.method for op in catalog.for_path(f"{CORE}/activities/{{activityId}}")}
    assert methods == {"GET", "PATCH", "DELETE"}
    assert catalog.for_path("/nope") == []
    assert catalog.spec_version and catalog.spec_sha256 and len(catalog.spec_sha256) == 64


def test_load_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()


# --------------------------------------------------------------------------- paging facts


@pytest.mark.parametrize(
    ("key", "paging", "limit_max", "items_key"),
    [
        (f"GET {META}/workZones", "offset", 100, "items"),
        (f"GET {CORE}/activities", "offset", 100000, "items"),
        (f"GET {CORE}/resources", "offset", 100, "items"),
        (f"GET {CORE}/events", "cursor", 1000, "items"),
        (f"GET {CORE}/resources/custom-actions/lastKnownPositions", "offset-only", None, "items"),
        (f"GET {CORE}/resources/{{resourceId}}/findNearbyActivities", "limit-only", 100, "items"),
        ("GET /rest/ofscStatistics/v1/activityDurationStats", "next-link", 10000, "items"),
        ("GET /rest/ofscCollaboration/v1/addressBook", "offset", 100, "items"),
        (f"GET {CORE}/activities/custom-actions/search", "offset", None, "items"),
        (f"GET {META}/capacityAreas", "none", None, "items"),
        (f"DELETE {CORE}/activities/{{activityId}}", "none", None, None),
    ],
)
def test_paging_classification(
    catalog: Catalog, key: str, paging: str, limit_max: int | None, items_key: str | None
) -> None:
    op = catalog.by_key[key]
    assert (op.paging, op.limit_max, op.items_key) == (paging, limit_max, items_key)


def test_statistics_reads_follow_next_links(catalog: Catalog) -> None:
    stats = [op for op in catalog.operations if op.family == "statistics"]
    assert {op.paging for op in stats if op.method == "GET"} == {"next-link"}
    assert {op.paging for op in stats if op.method != "GET"} == {"none"}


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("method", "path", "key", "params"),
    [
        (
            "GET",
            f"{CORE}/activities/123/linkedActivities",
            f"GET {CORE}/activities/{{activityId}}/linkedActivities",
            {"activityId": "123"},
        ),
        (
            "GET",
            f"{CORE}/activities/123/photo",
            f"GET {CORE}/activities/{{activityId}}/{{propertyLabel}}",
            {"activityId": "123", "propertyLabel": "photo"},
        ),
        (
            "GET",
            f"{CORE}/activities/custom-actions/search",
            f"GET {CORE}/activities/custom-actions/search",
            {},
        ),
        (
            "POST",
            f"{CORE}/activities/custom-actions/bulkUpdate",
            f"POST {CORE}/activities/custom-actions/bulkUpdate",
            {},
        ),
        (
            "DELETE",
            f"{CORE}/resources/R1/workSchedules/55",
            f"DELETE {CORE}/resources/{{resourceId}}/workSchedules/{{scheduleItemId}}",
            {"resourceId": "R1", "scheduleItemId": "55"},
        ),
        (
            "GET",
            f"{CORE}/resources/R1/workSchedules/calendarView",
            f"GET {CORE}/resources/{{resourceId}}/workSchedules/calendarView",
            {"resourceId": "R1"},
        ),
        (
            "get",
            f"{CORE}/resources/custom-actions/lastKnownPositions",
            f"GET {CORE}/resources/custom-actions/lastKnownPositions",
            {},
        ),
        (
            "GET",
            f"{CORE}/users/jdoe/collaborationGroups",
            f"GET {CORE}/users/{{login}}/collaborationGroups",
            {"login": "jdoe"},
        ),
        (
            "GET",
            f"{META}/workZones/ZONE_1",
            f"GET {META}/workZones/{{label}}",
            {"label": "ZONE_1"},
        ),
    ],
)
def test_match_prefers_literal_segments(
    catalog: Catalog, method: str, path: str, key: str, params: dict[str, str]
) -> None:
    found = catalog.match(method, path)
    assert found is not None
    op, got = found
    assert (op.key, got) == (key, params)


def test_every_template_matches_itself(catalog: Catalog) -> None:
    for op in catalog.operations:
        concrete = op.path.replace("{", "").replace("}", "")  # "{id}" -> "id"
        found = catalog.match(op.method, concrete)
        assert found is not None, op.key
        # A parameter filled with its own name may hit a literal twin; it must be that twin.
        template = found[0].path
        assert template == op.path or template.count("{") < op.path.count("{"), op.key


def test_match_without_method_and_method_not_allowed(catalog: Catalog) -> None:
    path = f"{CORE}/activities/123/linkedActivities"
    found = catalog.match(None, path)
    assert found is not None and found[0].method == "GET"
    # The literal template has no PUT; the router must not fall back to {propertyLabel}.
    assert catalog.match("PUT", path) is None
    resolved = catalog.match_path(path)
    assert resolved is not None
    template, params, ops = resolved
    assert template == f"{CORE}/activities/{{activityId}}/linkedActivities"
    assert params == {"activityId": "123"}
    assert {op.method for op in ops} == {"GET", "POST", "DELETE"}


@pytest.mark.parametrize(
    "path",
    [f"{CORE}/nothing", f"{CORE}/activities/", f"{CORE}//linkedActivities", "", "/", "/rest"],
)
def test_unknown_paths_do_not_match(catalog: Catalog, path: str) -> None:
    assert catalog.match(None, path) is None
    assert catalog.match_path(path) is None


def _mini_catalog(*templates: str) -> Catalog:
    operations: list[dict[str, Any]] = [
        {
            "key": f"GET {t}",
            "operationId": None,
            "family": "core",
            "tag": None,
            "method": "GET",
            "path": t,
            "version": "v1",
            "pathParams": [],
            "queryParams": [],
            "headerParams": [],
            "formParams": [],
            "body": None,
            "consumes": [],
            "produces": [],
            "responses": {},
            "successCodes": [200],
            "deprecated": False,
            "paging": "none",
            "limitMax": None,
            "itemsKey": None,
        }
        for t in templates
    ]
    return Catalog({"operations": operations, "schemas": {}, "families": {"core": len(templates)}})


def test_match_backtracks_from_dead_literal_branch() -> None:
    catalog = _mini_catalog("/a/{x}/c", "/a/b/d")
    found = catalog.match("GET", "/a/b/c")
    assert found is not None
    assert (found[0].path, found[1]) == ("/a/{x}/c", {"x": "b"})
    found = catalog.match("GET", "/a/b/d")
    assert found is not None and found[0].path == "/a/b/d"


def test_colliding_templates_are_rejected() -> None:
    with pytest.raises(ValueError, match="collide"):
        _mini_catalog("/a/{x}", "/a/{y}")


def test_operations_compare_by_key(catalog: Catalog) -> None:
    op = catalog.operations[0]
    assert op == Operation.from_json({**_first_json(catalog), "tag": "changed"})
    assert len({op, *catalog.operations}) == 243
    assert repr(op) == f"Operation({op.key!r})"


def _first_json(catalog: Catalog) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        files("ofsc_cli.data").joinpath("catalog.json").read_text(encoding="utf-8")
    )
    first: dict[str, Any] = data["operations"][0]
    assert first["key"] == catalog.operations[0].key
    return first


def test_suggest_paths(catalog: Catalog) -> None:
    assert catalog.suggest_paths(f"{META}/workzones")[0] == f"{META}/workZones"
    assert catalog.suggest_paths(f"{CORE}/activites/123")[0] == f"{CORE}/activities/{{activityId}}"
    assert len(catalog.suggest_paths(f"{CORE}/activites/123", n=2)) == 2
    assert suggest_paths("zzzzzzzzzzzzzzzzzzzz") == []
