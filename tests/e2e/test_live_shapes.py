"""Answers shaped like live tenants' reach the user: each is accepted by its model and shown
by its command in every output format.

The corpus is ``tests/fixtures/live/*.json``, written for this project from the facts in
``ofs-api/NOTES.md`` (section 9 above all) and the spec's prose; each file says where its shape
comes from (``source``).  A file names the operation (``"GET /rest/..."``), the command that
calls it (``command``; ``{input}`` stands for a file holding ``input``), how the command shows
the answer (``output``: ``items`` for a list of the answer's items, ``object`` for the answer
itself, ``rows`` for rows derived from it, ``rows`` of them), strings every format must show
(``shows``: values of the command's table columns), the exit code when it is not 0 (``exit``:
a bulk update reports its failed items so) and the answer (``body``).  ``normalised`` marks a
model that reads an observed wrapper into the spec's envelope (its items are still checked, the
wrapper is not kept).

The answers are served over real HTTP on 127.0.0.1 by :class:`replay.Replay`, which also
checks that the command called the fixture's operation and nothing else.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from replay import Replay
from served_cli import Cli

from ofsc_cli.models import dump

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "live"
FILES = sorted(CORPUS.glob("*.json"))
FORMATS = ("table", "json", "ndjson", "csv", "yaml")

# Every case of NOTES section 9 "Shapes" (and the envelopes) has at least one fixture.
REQUIRED = {
    "GET /rest/ofscMetadata/v1/routingProfiles",
    "GET /rest/ofscMetadata/v1/routingProfiles/{profileLabel}/plans",
    "GET /rest/ofscMetadata/v1/activityTypeGroups",
    "GET /rest/ofscMetadata/v1/linkTemplates",
    "GET /rest/ofscMetadata/v1/languages",
    "GET /rest/ofscMetadata/v1/properties",
    "GET /rest/ofscMetadata/v1/capacityCategories",
    "PATCH /rest/ofscStatistics/v1/activityDurationStats",
    "PATCH /rest/ofscStatistics/v1/activityTravelStats",
    "POST /rest/ofscCore/v1/activities/custom-actions/bulkUpdate",
    "GET /rest/ofscMetadata/v1/applications/{label}/apiAccess/{apiLabel}",
    "GET /rest/ofscCore/v1/activities/{activityId}/submittedForms",
    "GET /rest/ofscCore/v1/resources/{resourceId}/workSchedules/calendarView",
    "GET /rest/ofscCapacity/v2/quota",
    "GET /rest/ofscCore/v1/resources",
    "GET /rest/ofscCore/v1/activities",
    "GET /rest/ofscMetadata/v1/workZones",
    "GET /rest/ofscStatistics/v1/activityDurationStats",
}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _response_type(operation: str) -> Any:
    from ofsc_cli.client import ENDPOINTS

    found = [e.response for e in ENDPOINTS if e.key == operation]
    assert len(found) == 1, f"no declared operation {operation}"
    return found[0]


def _answer_items(fx: dict[str, Any]) -> list[Any]:
    """The items of a list answer (inside the observed wrapper of a normalised one)."""
    body = fx["body"]
    if isinstance(body.get("items"), list):
        items: list[Any] = body["items"]
        return items
    wrapped = [v["items"] for v in body.values() if isinstance(v, dict) and "items" in v]
    assert len(wrapped) == 1, fx["operation"]
    return list(wrapped[0])


def _as_rendered(item: Any) -> Any:
    """A list item as the renderers show it (a plain value becomes ``{"value": ...}``)."""
    return item if isinstance(item, dict) else {"value": item}


@pytest.fixture(scope="module")
def replay() -> Iterator[Replay]:
    server = Replay()
    yield server
    server.close()


def test_the_corpus_covers_every_live_shape() -> None:
    fixtures = [_load(p) for p in FILES]
    assert len(fixtures) >= 30
    missing = REQUIRED - {fx["operation"] for fx in fixtures}
    assert not missing, missing
    for fx in fixtures:
        assert fx["source"].strip(), fx["operation"]
        assert fx["output"] in ("items", "object", "rows"), fx["operation"]
        assert fx["shows"], fx["operation"]


def test_every_command_is_one_that_runs_the_operation() -> None:
    """The fixture's command is a declared command whose operations include the fixture's."""
    import typer

    from ofsc_cli.cli._app import build_app
    from ofsc_cli.cli.declare import declarations

    declared = {
        tuple(line.split()[1:]): d for line, d in declarations(typer.main.get_command(build_app()))
    }
    for path in FILES:
        fx = _load(path)
        named = [w for w in fx["command"] if not w.startswith("-")]
        found = [d for words, d in declared.items() if tuple(named[: len(words)]) == words]
        assert found, (path.name, fx["command"])
        assert any(fx["operation"] in d.op_keys for d in found), (path.name, fx["command"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_model_accepts_and_keeps_the_answer(path: Path) -> None:
    fx = _load(path)
    kind = _response_type(fx["operation"])
    if kind in (dict, list):  # an operation declared to answer plain JSON
        assert isinstance(fx["body"], kind)
        return
    parsed = kind.model_validate(fx["body"])
    again = dump(parsed)
    if fx.get("normalised"):
        assert again["items"] == _answer_items(fx)
    else:
        # Exact (keys may come in another order): nothing lost, added or changed in type.
        assert json.dumps(again, sort_keys=True) == json.dumps(fx["body"], sort_keys=True)


def _run(cli: Cli, fx: dict[str, Any], fmt: str, tmp_path: Path) -> str:
    args = list(fx["command"])
    if "input" in fx:
        target = tmp_path / f"input-{fmt}.json"
        target.write_text(json.dumps(fx["input"]), encoding="utf-8")
        args = [str(target) if a == "{input}" else a for a in args]
    result = cli(*args, "-o", fmt)
    assert result.exit_code == fx.get("exit", 0), (fmt, result.stdout, result.stderr)
    assert "did not match" not in result.stderr and "Traceback" not in result.stderr
    return result.stdout


def _check(fx: dict[str, Any], fmt: str, out: str) -> None:
    kind = fx["output"]
    if kind == "rows":
        count: int = fx["rows"]
        expected: Any = None
    elif kind == "items":
        expected = [_as_rendered(i) for i in _answer_items(fx)]
        count = len(expected)
    else:
        expected = fx["body"]
        count = len(expected)
    if fmt == "json":
        data = json.loads(out)
        assert data == expected if expected is not None else len(data) == count
    elif fmt == "ndjson":
        lines = [json.loads(line) for line in out.splitlines()]
        if kind == "object":
            assert lines == [expected]
        else:
            assert lines == expected if expected is not None else len(lines) == count
    elif fmt == "yaml":
        data = yaml.safe_load(out)
        assert data == expected if expected is not None else len(data) == count
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) == (2 if kind == "object" else count + 1)
    else:  # a table on a pipe: tab-separated rows under a header (an object: key/value)
        lines = out.splitlines()
        assert len(lines) == count + 1
    for text in fx["shows"]:
        assert text in out, (fmt, text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_command_shows_the_answer_in_every_format(
    path: Path, replay: Replay, tmp_path: Path
) -> None:
    fx = _load(path)
    replay.answers.clear()
    replay.answer(fx["operation"], fx["body"])
    cli = Cli(replay, tmp_path)  # type: ignore[arg-type]  # needs only .url
    for fmt in FORMATS:
        replay.requests.clear()
        out = _run(cli, fx, fmt, tmp_path)
        assert replay.requests, fmt
        assert {key for key, _ in replay.requests} == {fx["operation"]}, replay.requests
        _check(fx, fmt, out)


def _has_literal(tp: Any) -> bool:
    import typing

    return typing.get_origin(tp) is typing.Literal or any(
        _has_literal(a) for a in typing.get_args(tp)
    )


def _errors_at(model: Any, field: str, value: Any, context: Any = None) -> list[str] | None:
    """The error types ``model`` reports for ``{field: value}`` at that field; ``None`` when
    other required fields are missing (the documented-values check runs on a whole object)."""
    from pydantic import ValidationError

    try:
        model.model_validate({field: value}, context=context)
    except ValidationError as exc:
        here = [e["type"] for e in exc.errors() if e["loc"][:1] == (field,)]
        if not here and any(e["type"] == "missing" for e in exc.errors()):
            return None
        return here
    return []


def test_enumerations_are_open_on_answers_and_documented_on_requests() -> None:
    """An answer's unknown enumeration value is kept as the string it came as; a body we send
    is held to the documented values (request-only models always, any model when validated
    with ``REQUEST_CONTEXT``, as the CLI checks a ``--file`` body)."""
    import importlib
    import pkgutil

    from pydantic import BaseModel

    import ofsc_cli.models as package
    from ofsc_cli.models import REQUEST_CONTEXT, known_values

    future = "a-value-from-the-future"
    open_fields = closed_fields = 0
    # Every module, the private ones holding the metadata models included.
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for model in vars(module).values():
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                continue
            for name, field in model.model_fields.items():
                if field.annotation is None or not _has_literal(field.annotation):
                    continue
                where = f"{model.__name__}.{name}"
                alias = field.alias or name
                known = known_values(field.annotation)
                assert known, where
                assert _errors_at(model, alias, known[0], REQUEST_CONTEXT) in ([], None), where
                assert _errors_at(model, alias, future) in ([], None) or getattr(
                    model, "documented_values_only", False
                ), f"{where} is closed"
                refused = _errors_at(model, alias, future, REQUEST_CONTEXT)
                if refused is None:
                    continue  # a body model missing its other required fields
                assert refused == ["literal_error"], where
                if getattr(model, "documented_values_only", False):
                    assert _errors_at(model, alias, future) == ["literal_error"], where
                    closed_fields += 1
                else:
                    assert _errors_at(model, alias, future) == [], f"{where} is closed"
                    open_fields += 1
    assert open_fields >= 25 and closed_fields >= 4


def test_an_unknown_value_in_an_answer_is_kept_as_sent() -> None:
    from ofsc_cli.models.activities import Activity
    from ofsc_cli.models.resources import Resource

    activity = Activity.model_validate({"activityId": 1, "status": "onHold", "recordType": "x"})
    assert activity.status == "onHold" and dump(activity)["recordType"] == "x"
    nested = Resource.model_validate({"status": "retired", "avatar": {"k": 1}})
    assert dump(nested) == {"status": "retired", "avatar": {"k": 1}}
