"""A path names exactly the object the caller named: every path-building call checks its values.

Covers every declared operation of the library (so the CLI and Python callers alike), the
encoding of legal but odd labels as the server sees them over real HTTP, and ``ofsc api``'s
refusal of paths that a server would normalise into another path.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from served_cli import Cli, sync_client

import ofsc_cli.client.api as api_pkg
from ofsc_cli.catalog import load_catalog
from ofsc_cli.client import OFSC
from ofsc_cli.client._endpoint import ENDPOINTS, Args, EndpointSpec
from ofsc_cli.client.paths import MAX_PATH_VALUE, encode_path_value
from ofsc_cli.errors import OFSValidationError
from ofsc_cli.sandbox import ServerHandle


def _all_specs() -> list[EndpointSpec]:
    for info in pkgutil.iter_modules(api_pkg.__path__):
        importlib.import_module(f"{api_pkg.__name__}.{info.name}")
    unique = {spec.key: spec for spec in ENDPOINTS}
    return [unique[key] for key in sorted(unique) if "{" in key]


SPECS = _all_specs()
TYPES = {key: {p.name: p.type for p in op.path_params} for key, op in load_catalog().by_key.items()}

BAD_STRINGS: list[Any] = [
    "",
    ".",
    "..",
    "a/b",
    "../x",
    "x/..",
    "/",
    "line\nbreak",
    "cr\rhere",
    "nul\x00",
    "tab\there",
    "del\x7f",
    "c1\x85",
    "\ud800",
    "x" * (MAX_PATH_VALUE + 1),
    None,
    True,
    False,
    1.5,
    b"bytes",
    ["a"],
    {"a": 1},
]
BAD_INTEGERS: list[Any] = [
    "",
    ".",
    "..",
    "abc",
    "12a",
    "1.0",
    "1/2",
    " 12",
    "12\n",
    None,
    True,
    1.0,
    10**40,
    "9" * 40,
]


def _good(kind: str) -> Any:
    return 42 if kind == "integer" else "X1"


@pytest.fixture(scope="module")
def client() -> OFSC:
    # Path checks only: the query an operation requires is not given (validate=False).
    return OFSC("acme", "id", "secret", base_url="http://127.0.0.1:9", validate=False)


def test_every_operation_with_path_parameters_is_covered() -> None:
    assert len(SPECS) >= 150
    for spec in SPECS:
        assert spec.key in TYPES, spec.key


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
def test_every_path_building_call_refuses_bad_values(client: OFSC, spec: EndpointSpec) -> None:
    types = TYPES[spec.key]
    good = {name: _good(kind) for name, kind in types.items()}
    request = client.build(spec, Args(path=good))
    assert request.url.path.count("/") == spec.path.count("/")
    for name, kind in types.items():
        for bad in BAD_INTEGERS if kind == "integer" else BAD_STRINGS:
            with pytest.raises(OFSValidationError) as caught:
                client.build(spec, Args(path={**good, name: bad}))
            message = str(caught.value)
            assert f"'{name}'" in message and "nothing sent" in message, message
            assert len(message) < 200


def test_missing_path_value_is_a_validation_error(client: OFSC) -> None:
    spec = next(s for s in SPECS if s.key.endswith("/workZones/{label}"))
    with pytest.raises(OFSValidationError, match="missing path value"):
        client.build(spec, Args(path={}))


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("A B", "A%20B"),
        ("A+B", "A%2BB"),
        ("100%", "100%25"),
        ("a#b?c", "a%23b%3Fc"),
        ("Zürich-Ost", "Z%C3%BCrich-Ost"),
        ("a.b", "a.b"),
        ("...", "..."),
        ("~x", "~x"),
        (7, "7"),
    ],
)
def test_odd_labels_are_percent_encoded(value: Any, encoded: str) -> None:
    assert encode_path_value("label", value) == encoded


def test_integer_ids_accept_ints_and_digit_strings() -> None:
    assert encode_path_value("activityId", 4200010, "integer") == "4200010"
    assert encode_path_value("activityId", "4200010", "integer") == "4200010"


def test_library_calls_send_nothing_for_bad_values(sandbox_server: ServerHandle) -> None:
    before = sandbox_server.emulator.stats["requests"]
    with sync_client(sandbox_server) as c:
        for call in (
            lambda: c.metadata.get_work_zone(None),  # type: ignore[arg-type]
            lambda: c.metadata.get_work_zone("."),
            lambda: c.core.get_activity(True),  # type: ignore[arg-type]
            lambda: c.core.get_activity("4200010/.."),
            lambda: c.core.get_resource(".."),
        ):
            with pytest.raises(OFSValidationError):
                call()
    assert sandbox_server.emulator.stats["requests"] == before


@pytest.mark.parametrize("label", ["ZONE WITH SPACE", "A+B", "100%", "Zürich#1", "..."])
def test_odd_labels_reach_the_server_literally(
    make_sandbox_server: Callable[..., ServerHandle], label: str
) -> None:
    with sync_client(make_sandbox_server()) as c:
        created = c.metadata.create_work_zone(
            {"workZoneLabel": label, "workZoneName": label, "status": "active", "travelArea": "x"}
        )
        assert created.workZoneLabel == label
        assert c.metadata.get_work_zone(label).workZoneLabel == label


def test_file_delete_with_dot_keeps_the_activity(
    sandbox_server: ServerHandle, tmp_path: Any
) -> None:
    cli = Cli(sandbox_server, tmp_path)
    activity = cli.json("core", "activities", "get", "4200010")["activityId"]
    before = sandbox_server.emulator.stats["writes"]
    for value in (".", "..", "a/..", ""):
        result = cli.fails(2, "core", "activities", "file", "delete", str(activity), value, "--yes")
        assert "nothing sent" in result.stderr
    assert sandbox_server.emulator.stats["writes"] == before
    assert cli.json("core", "activities", "get", str(activity))["activityId"] == activity


@pytest.mark.parametrize(
    "path",
    [
        "/ofscCore/v1/users/admin/.",
        "/ofscCore/v1/users/admin/..",
        "/ofscCore/v1/users/admin/%2e",
        "/ofscCore/v1/users/admin/%2E%2e",
        "/ofscCore/v1/users/x/../admin",
        "/ofscCore/v1//users",
        "/ofscCore/v1/users/./admin",
    ],
)
@pytest.mark.parametrize("validate", [True, False])
def test_api_refuses_paths_that_normalise_differently(
    sandbox_server: ServerHandle, tmp_path: Any, path: str, validate: bool
) -> None:
    cli = Cli(sandbox_server, tmp_path)
    before = sandbox_server.emulator.stats["requests"]
    extra = () if validate else ("--no-validate",)
    result = cli.fails(2, "api", "DELETE", path, *extra)
    assert "nothing sent" in result.stderr and "Traceback" not in result.stderr
    assert sandbox_server.emulator.stats["requests"] == before


def test_httpx_would_have_dropped_the_dot_segment() -> None:
    # Why the check exists: the URL httpx builds no longer names the property.
    url = httpx.URL("http://127.0.0.1/rest/ofscCore/v1/activities/4200010/.")
    assert url.path == "/rest/ofscCore/v1/activities/4200010"
