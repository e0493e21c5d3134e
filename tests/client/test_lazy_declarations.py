"""What a command pays for at start-up: declaring the API operations builds no page model
(``Page[item]`` is made when an operation's response type is first read), and a request
reads its own operation from the catalog file, not the whole catalog."""

from __future__ import annotations

import dataclasses
import importlib
import json
import subprocess
import sys
from typing import Any

import pytest

from ofsc_cli.catalog import Operation, _operation_line, load_catalog, load_operation
from ofsc_cli.client._endpoint import ENDPOINTS, PageOf
from ofsc_cli.models import Page
from ofsc_cli.models.refs import ModelRef

API_MODULES = (
    "capacity",
    "collaboration",
    "core",
    "metadata",
    "oauth2",
    "parts_catalog",
    "statistics",
)


def _in_a_fresh_interpreter(code: str) -> Any:
    """Run ``code`` in a new interpreter; it prints one JSON value last."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_declaring_every_operation_builds_no_page_model() -> None:
    built = _in_a_fresh_interpreter(
        "import json\n"
        f"for name in {API_MODULES!r}:\n"
        "    __import__('ofsc_cli.client.api.' + name)\n"
        "from ofsc_cli.models import Page\n"
        "from ofsc_cli.client._endpoint import ENDPOINTS\n"
        "paged = [s.key for s in ENDPOINTS if type(s.returns).__name__ == 'PageOf']\n"
        "print(json.dumps([len(paged), [c.__name__ for c in Page.__subclasses__()]]))"
    )
    assert built[0] > 50 and built[1] == []  # many page results declared, none built


def test_every_declared_result_resolves_once() -> None:
    for name in API_MODULES:
        importlib.import_module(f"ofsc_cli.client.api.{name}")
    pages = 0
    for spec in ENDPOINTS:
        response = spec.response
        assert spec.response is response  # resolved once, then kept
        declared = spec.returns
        if isinstance(declared, PageOf):
            pages += 1
            item = declared.item
            assert response is Page[item.resolve() if isinstance(item, ModelRef) else item]
        elif isinstance(declared, ModelRef):
            assert response is declared.resolve()
            assert isinstance(response, type) and response.__name__ == declared.name
        else:
            assert response is declared
    assert pages > 50


def test_a_page_result_is_typed_as_a_page() -> None:
    from ofsc_cli.client.api.metadata import Metadata
    from ofsc_cli.models.metadata import Organization, WorkZone

    assert Metadata.list_work_zones.spec.returns == PageOf(
        ModelRef("ofsc_cli.models.metadata", "WorkZone")
    )
    assert Metadata.list_work_zones.spec.response is Page[WorkZone]
    assert Metadata.list_organizations.spec.response is Page[Organization]
    assert Metadata.list_organizations.spec == dataclasses.replace(
        Metadata.list_organizations.spec
    )  # the resolved type is not part of the declaration's identity


def test_lazy_models_name_without_importing() -> None:
    from ofsc_cli.models.refs import LazyModels

    refs = LazyModels("ofsc_cli.models.no_such_family")
    ref = refs.Anything  # nothing imported yet: naming cannot fail
    assert ref == ModelRef("ofsc_cli.models.no_such_family", "Anything")
    with pytest.raises(ImportError):
        ref.resolve()
    with pytest.raises(AttributeError):
        refs.__wrapped__  # noqa: B018 - dunder probes are not models
    assert ModelRef("ofsc_cli.models.metadata", "WorkZone").resolve().__name__ == "WorkZone"


# -- one operation from the catalog file ------------------------------------------------------


def _facts(op: Operation) -> dict[str, Any]:
    return {f.name: getattr(op, f.name) for f in dataclasses.fields(op)}


def test_each_operation_read_from_its_line_equals_the_catalog_s() -> None:
    operations = load_catalog().operations
    assert len(operations) > 200
    for op in operations:
        alone = _operation_line(op.key)
        assert alone is not None, op.key
        assert _facts(alone) == _facts(op), op.key


@pytest.mark.parametrize(
    "key",
    [
        "GET /rest/ofscMetadata/v1/nope",
        "GET /rest/ofscMetadata/v1/workZone",  # a prefix of a real key
        "get /rest/ofscMetadata/v1/workZones",  # keys are exact
        'GET /rest/"quoted"',
    ],
)
def test_a_key_not_in_the_catalog_is_none(key: str) -> None:
    assert _operation_line(key) is None
    assert load_operation(key) is None


def test_a_request_reads_one_operation_not_the_catalog() -> None:
    seen = _in_a_fresh_interpreter(
        "import json\n"
        "from ofsc_cli.catalog import load_catalog, load_operation\n"
        "from ofsc_cli.client.paths import fill_path\n"
        "from ofsc_cli.client._endpoint import catalog_query_names\n"
        "key = 'GET /rest/ofscMetadata/v1/workZones/{label}'\n"
        "path = fill_path(key, '/rest/ofscMetadata/v1/workZones/{label}', {'label': 'A B'})\n"
        "names = sorted(catalog_query_names('GET /rest/ofscMetadata/v1/workZones'))\n"
        "built = load_catalog.cache_info().currsize\n"
        "print(json.dumps([path, names, built, load_operation(key).key]))"
    )
    assert seen == [
        "/rest/ofscMetadata/v1/workZones/A%20B",
        ["limit", "offset"],
        0,
        "GET /rest/ofscMetadata/v1/workZones/{label}",
    ]


def test_once_the_catalog_is_built_its_operations_are_shared() -> None:
    key = "GET /rest/ofscMetadata/v1/workZones"
    load_operation.cache_clear()
    try:
        assert load_operation(key) is load_catalog().by_key[key]
    finally:
        load_operation.cache_clear()
