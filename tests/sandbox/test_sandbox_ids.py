"""The emulator answers 404, never a 500, for integer ids that name nothing: out of the
64-bit range SQLite stores (2^63, -2^63-1, 10^23…), negative, or digits that are not ASCII.

Every integer path parameter of the catalog is tried over real HTTP with raw httpx (the
library refuses non-integers before sending; the emulator must tolerate what any client
sends), plus integer ids in a query and in a body, and through the CLI.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from served_cli import Cli

from ofsc_cli.catalog import Operation, load_catalog
from ofsc_cli.sandbox import ServerHandle

pytestmark = pytest.mark.live  # the emulator's own behaviour, as a live tenant answers

AUTH = ("demo@sandbox", "demo-secret")
OUT_OF_RANGE = [
    "99999999999999999999999",
    str(2**63),
    str(2**64),
    str(-(2**63) - 1),
    "1" * 5000,
    "%EF%BC%91",  # a fullwidth 1: int() takes it, an id it is not
    "%C2%B2",  # a superscript 2: isdigit() says yes, int() says no
]
# Well-formed ids of no object: a 404, or a 400 when the handler checks the body first.
NO_SUCH_ID = ["-1", str(2**63 - 1), str(-(2**63))]
BODY_METHODS = {"POST", "PUT", "PATCH"}


def integer_path_params() -> list[tuple[Operation, str]]:
    return [
        (op, p.name)
        for op in sorted(load_catalog().by_key.values(), key=lambda o: o.key)
        for p in op.path_params
        if p.type == "integer"
    ]


PARAMS = integer_path_params()


@pytest.fixture(scope="module")
def http(sandbox_server: ServerHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox_server.url, auth=AUTH, timeout=30) as client:
        yield client


@pytest.fixture(autouse=True)
def no_unhandled_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    with caplog.at_level(logging.ERROR, logger="ofsc_cli.sandbox"):
        yield
    assert not [r for r in caplog.records if r.name.startswith("ofsc_cli.sandbox")]


def test_the_catalog_has_the_integer_path_parameters_tried_here() -> None:
    assert len(PARAMS) == 45
    assert {name for _, name in PARAMS} == {
        "activityId",
        "inventoryId",
        "chatId",
        "locationId",
        "requestId",
    }


def _path(op: Operation, name: str, value: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: value if m.group(1) == name else "1", op.path)


@pytest.mark.parametrize(("op", "name"), PARAMS, ids=[f"{op.key} {n}" for op, n in PARAMS])
def test_every_integer_path_parameter_out_of_range_is_not_found(
    http: httpx.Client, op: Operation, name: str
) -> None:
    body = {} if op.method in BODY_METHODS else None
    for value in OUT_OF_RANGE + NO_SUCH_ID:
        response = http.request(op.method, _path(op, name, value), json=body)
        expected = {404} if value in OUT_OF_RANGE else {400, 404}
        assert response.status_code in expected, (value[:30], response.status_code, response.text)
        assert response.json()["status"] == str(response.status_code)


def test_integer_ids_in_a_query_and_a_body(http: httpx.Client) -> None:
    for value in OUT_OF_RANGE[:4]:
        where = http.get("/rest/ofscCore/v1/whereIsMyTech", params={"activityId": value})
        assert where.status_code == 404, where.text
    for value in (2**63, -(2**63) - 1, 10**30, "abc", [1], 1.5):
        created = http.post(
            "/rest/ofscCore/v1/serviceRequests",
            json={"activityId": value, "requestType": "x", "date": "2026-01-01"},
        )
        assert created.status_code in (400, 404), (value, created.status_code, created.text)


def test_the_cli_says_not_found_for_an_out_of_range_id(
    sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    cli = Cli(sandbox_server, tmp_path)
    for value in ("99999999999999999999999", str(2**63)):
        result = cli.fails(5, "core", "activities", "get", value)
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
