"""Every ``example`` value of the OFS spec is accepted, typed and kept by our models.

The spec (``../shared/ofs-api/openapi-swagger2.json`` next to the checkout) is read when it is
there; without it the tests skip.  Nothing of it is copied into the repository: the map from
spec definitions to our models is derived here, by walking each operation's response schema
(and the request body schema of the operations whose body we model, :data:`BODY_MODELS`) side
by side with the operation's declared model, field by field.

An example at ``definitions/D/properties/a/items/properties/b`` is checked by building
``{"a": [{"b": example}]}``, validating it with every model ``D`` maps to, and requiring that the
path leads through declared (typed) fields and that the model gives back exactly what it got
(``60`` stays ``60``).
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, RootModel, TypeAdapter, ValidationError

from ofsc_cli.models import dump
from ofsc_cli.models.capacity import (
    BookingClosingScheduleList,
    BookingGridRequest,
    BookingStatusPatch,
    QuotaPatch,
    QuotaV1Patch,
)
from ofsc_cli.models.statistics import (
    ActivityDurationOverrides,
    ActivityTravelOverrides,
    AirlineDistanceOverrides,
)

SPEC_PATH = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "ofs-api" / "openapi-swagger2.json"
)

BODY_MODELS: dict[str, type[BaseModel]] = {
    "PATCH /rest/ofscCapacity/v2/quota": QuotaPatch,
    "PATCH /rest/ofscCapacity/v1/quota": QuotaV1Patch,
    "PATCH /rest/ofscCapacity/v1/bookingStatuses": BookingStatusPatch,
    "PATCH /rest/ofscCapacity/v1/bookingClosingSchedule": BookingClosingScheduleList,
    "POST /rest/ofscCapacity/v1/showBookingGrid": BookingGridRequest,
    "PATCH /rest/ofscStatistics/v1/activityDurationStats": ActivityDurationOverrides,
    "PATCH /rest/ofscStatistics/v1/activityTravelStats": ActivityTravelOverrides,
    "PATCH /rest/ofscStatistics/v1/airlineDistanceBasedTravel": AirlineDistanceOverrides,
}
"""Request bodies we model, by operation (the models the CLI validates ``--file`` bodies with)."""

pytestmark = pytest.mark.skipif(not SPEC_PATH.is_file(), reason="the OFS spec is not available")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return data


# -- types ------------------------------------------------------------------------------------


def _members(tp: Any) -> list[Any]:
    """The members of a union (``X | None`` → ``[X]``), or ``[tp]``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return [tp]


def _models(tp: Any) -> list[type[BaseModel]]:
    return [m for m in _members(tp) if isinstance(m, type) and issubclass(m, BaseModel)]


def _elements(tp: Any) -> list[Any]:
    """What a list annotation holds (``list[X] | None`` → ``[X]``)."""
    found: list[Any] = []
    for member in _members(tp):
        if typing.get_origin(member) is list:
            found.extend(_members(typing.get_args(member)[0]))
    return found


def _field(model: type[BaseModel], name: str) -> Any:
    """The annotation of the field the API calls ``name`` (by alias or name), or None."""
    for field_name, info in model.model_fields.items():
        if (info.alias or field_name) == name:
            return info.annotation
    return None


# -- the definition -> model map ---------------------------------------------------------------


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        name = ref.removeprefix("#/definitions/")
        return name, spec["definitions"][name]
    return None, schema


def _walk(
    spec: dict[str, Any],
    schema: dict[str, Any],
    tp: Any,
    found: dict[str, set[Any]],
    seen: set[Any],
) -> None:
    name, schema = _resolve(spec, schema)
    models = _models(tp)
    if name is not None:
        for model in models:
            found.setdefault(name, set()).add(model)
        if (name, tp) in seen:
            return
        seen.add((name, tp))
    for part in schema.get("allOf", ()):
        _walk(spec, part, tp, found, seen)
    for model in models:
        if issubclass(model, RootModel):
            root = model.model_fields["root"].annotation
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and typing.get_origin(root) is dict:
                _walk(spec, extra, typing.get_args(root)[1], found, seen)
            continue
        for prop, sub in (schema.get("properties") or {}).items():
            annotation = _field(model, prop)
            if annotation is not None:
                _walk(spec, sub, annotation, found, seen)
    items = schema.get("items")
    if isinstance(items, dict):
        for element in _elements(tp):
            _walk(spec, items, element, found, seen)


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if isinstance(op, dict) and "responses" in op:
                yield f"{method.upper()} {path}", op


def definition_models(spec: dict[str, Any]) -> dict[str, set[Any]]:
    """Spec definition name -> the models that stand for it."""
    from ofsc_cli.client import ENDPOINTS

    declared = {e.key: e.response for e in ENDPOINTS}
    found: dict[str, set[Any]] = {}
    seen: set[Any] = set()
    for key, op in _operations(spec):
        if key in declared:
            for code, answer in op["responses"].items():
                if code.startswith("2") and isinstance(answer.get("schema"), dict):
                    _walk(spec, answer["schema"], declared[key], found, seen)
        if key in BODY_MODELS:
            for param in op.get("parameters", ()):
                if "$ref" in param:
                    param = spec["parameters"][param["$ref"].rsplit("/", 1)[1]]
                if param.get("in") == "body":
                    _walk(spec, param["schema"], BODY_MODELS[key], found, seen)
    return found


# -- the examples -------------------------------------------------------------------------------


def _examples(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "example":
                yield path, value
            else:
                yield from _examples(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _examples(value, (*path, str(i)))


def spec_examples(spec: dict[str, Any]) -> list[tuple[str, tuple[str, ...], Any]]:
    """``(definition, path inside it, example)`` for every ``example`` key of the spec."""
    return [
        (path[1], path[2:], value)
        for path, value in _examples(spec)
        if len(path) >= 2 and path[0] == "definitions"
    ]


def _instance(path: tuple[str, ...], value: Any) -> Any:
    """``("properties", "a", "items", "properties", "b")`` → ``{"a": [{"b": value}]}``."""
    if not path:
        return value
    head, *rest = path
    if head == "properties":
        return {rest[0]: _instance(tuple(rest[1:]), value)}
    if head == "items":
        return [_instance(tuple(rest), value)]
    raise AssertionError(f"unexpected schema step {head!r} on the way to an example")


def _typed_leaf(model: type[BaseModel], path: tuple[str, ...]) -> Any:
    """The annotation of the field the example sits in, following declared fields only."""
    tp: Any = model
    steps = list(path)
    while steps:
        step = steps.pop(0)
        if step == "items":
            elements = _elements(tp)
            assert elements, f"{model.__name__}: no list where the spec has one ({path})"
            tp = elements[0] if len(elements) == 1 else typing.Union[tuple(elements)]  # noqa: UP007
            continue
        assert step == "properties", path
        prop = steps.pop(0)
        candidates = [a for m in _models(tp) if (a := _field(m, prop)) is not None]
        assert candidates, f"{model.__name__}: '{prop}' is not a declared field ({path})"
        tp = candidates[0]
    return tp


def test_every_example_is_validated_by_its_model(spec: dict[str, Any]) -> None:
    models = definition_models(spec)
    examples = spec_examples(spec)
    assert len(examples) == sum(1 for _ in _examples(spec))  # all live in definitions
    assert len(examples) >= 100
    unmapped = sorted({d for d, _, _ in examples if d not in models})
    assert not unmapped, f"spec definitions with examples but no model: {unmapped}"
    checked = 0
    for definition, path, value in examples:
        for model in sorted(models[definition], key=lambda m: m.__name__):
            where = (definition, "/".join(path), model.__name__)
            # The field itself: the example fits its type and is kept as it is.
            leaf = TypeAdapter(_typed_leaf(model, path))
            assert json.dumps(leaf.dump_python(leaf.validate_python(value), mode="json")) == (
                json.dumps(value)
            ), where
            # The whole model, from an object holding only the example (a request body model
            # may miss its other required fields, nothing else).
            data = _instance(path, value)
            try:
                parsed = model.model_validate(data)
            except ValidationError as exc:
                assert {e["type"] for e in exc.errors()} == {"missing"}, (where, exc)
            else:
                assert json.dumps(dump(parsed)) == json.dumps(data), where
            checked += 1
    assert checked >= len(examples)


def test_the_derived_map_names_the_models_of_known_definitions(spec: dict[str, Any]) -> None:
    from ofsc_cli.models.capacity import QuotaArea, QuotaList, QuotaPatchArea
    from ofsc_cli.models.metadata import CapacityCategory, LinkTemplate
    from ofsc_cli.models.statistics import AirlineDistanceData

    models = definition_models(spec)
    assert models["v2-quota-result"] == {QuotaList}
    assert QuotaArea in models["v2-quota-area"]
    assert models["v2-patch-quota-area"] == {QuotaPatchArea}
    assert AirlineDistanceData in models["airlineDistanceBasedTravelDataResponse"]
    assert CapacityCategory in models["CapacityCategory"]
    assert LinkTemplate in models["LinkTemplate"]


def test_a_wrongly_typed_example_would_be_caught(spec: dict[str, Any]) -> None:
    """The check is real: a value of the wrong type, or a field we do not declare, fails."""
    from ofsc_cli.models.capacity import QuotaList

    with pytest.raises(ValidationError):
        QuotaList.model_validate(
            _instance(("properties", "items", "items", "properties", "date"), 20160722)
        )
    with pytest.raises(AssertionError):
        _typed_leaf(QuotaList, ("properties", "items", "items", "properties", "undeclared"))
