"""Every client declaration names a real operation, and takes its query names and paging from
the committed API catalog (which itself is checked against the spec in test_catalog.py)."""

from __future__ import annotations

import string
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from ofsc_cli.catalog import load_catalog
from ofsc_cli.client import ENDPOINTS, EndpointSpec
from ofsc_cli.client._endpoint import Args, Namespace, SyncExecutorBase, endpoint, paged
from ofsc_cli.client.api.capacity import BOOKING_OPTION_QUERY
from ofsc_cli.models import OFSModel

SPECS = sorted({(s.client_method, s.key): s for s in ENDPOINTS}.values(), key=lambda s: s.key)

OFFSET_PAGING = ("offset", "offset-only")
"""Catalog paging kinds the ``@paged`` planner serves (offset, with or without ``limit``)."""


def test_declarations_exist() -> None:
    assert len(SPECS) >= 3


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.client_method)
def test_declaration_matches_catalog(spec: EndpointSpec) -> None:
    op = load_catalog().get(spec.method, spec.path)
    assert op is not None, f"{spec.client_method}: {spec.key} is not in the API catalog"
    names = {f[1] for f in string.Formatter().parse(spec.path) if f[1]}
    assert names == {p.name for p in op.path_params}
    catalog_query = {p.name for p in op.query_params}
    if spec.query_names is None:
        assert spec.query == catalog_query
    else:  # an override says how the live API differs: it must differ
        assert spec.query != catalog_query, f"{spec.client_method}: the override is the catalog's"
    assert (spec.paging == "offset") == (op.paging in OFFSET_PAGING), (spec.key, op.paging)
    if spec.paging == "offset":
        assert (spec.page_size is not None) == ("limit" in catalog_query), spec.key


def test_method_names_are_unique_per_namespace() -> None:
    seen: dict[str, str] = {}
    for spec in ENDPOINTS:
        previous = seen.setdefault(spec.client_method, spec.key)
        assert previous == spec.key, f"{spec.client_method} declared for {previous} and {spec.key}"


def test_the_cli_copy_of_the_booking_option_names_is_the_catalogs() -> None:
    op = load_catalog().get("GET", "/rest/ofscCapacity/v1/activityBookingOptions")
    assert op is not None
    assert tuple(p.name for p in op.query_params) == BOOKING_OPTION_QUERY


class _Recorder(SyncExecutorBase):
    def __init__(self) -> None:
        self.sent: list[tuple[EndpointSpec, Args]] = []

    def execute(self, spec: EndpointSpec, args: Args) -> None:
        self.sent.append((spec, args))


@pytest.fixture
def zones() -> Iterator[tuple[Any, _Recorder]]:
    """A namespace declared for the test only (its operations leave ``ENDPOINTS`` after)."""
    declared = list(ENDPOINTS)

    class _Zones(Namespace[SyncExecutorBase]):
        namespace = "zones"

        @paged("GET", "/rest/ofscMetadata/v1/workZones", item=OFSModel)
        def list_zones(self, *, offset: int | None = None, typo: bool = False) -> Args:
            return Args(query={"offset": offset, **({"limitt": 5} if typo else {})})

        @endpoint("GET", "/rest/ofscMetadata/v1/not-in-the-spec", response=dict)
        def unknown(self) -> Args:
            return Args()

        @endpoint("GET", "/rest/ofscMetadata/v1/live-only", response=dict, query=("since",))
        def live_only(self, since: str) -> Args:
            return Args(query={"since": since})

    executor = _Recorder()
    yield _Zones(executor), executor
    ENDPOINTS[:] = declared


def test_a_declaration_takes_the_catalogs_query_names_and_refuses_others(
    zones: tuple[Any, _Recorder],
) -> None:
    namespace, executor = zones
    namespace.list_zones(offset=3)
    spec, args = executor.sent[-1]
    assert spec.query == {"offset", "limit"}
    assert spec.page_size == 100
    assert args.query == {"offset": 3}
    with pytest.raises(TypeError, match="undeclared query parameters \\['limitt'\\]"):
        namespace.list_zones(typo=True)


def test_an_operation_outside_the_catalog_needs_its_query_names(
    zones: tuple[Any, _Recorder],
) -> None:
    namespace, executor = zones
    with pytest.raises(TypeError, match="not-in-the-spec is not in the API catalog"):
        namespace.unknown()
    namespace.live_only("2026-01-01")
    spec, args = executor.sent[-1]
    assert spec.query == {"since"}
    assert args.query == {"since": "2026-01-01"}


def test_declaring_operations_does_not_read_the_catalog() -> None:
    code = (
        "from ofsc_cli.client.api import load_all\n"
        "from ofsc_cli.catalog import load_catalog\n"
        "load_all()\n"
        "print(load_catalog.cache_info().currsize)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "0"
