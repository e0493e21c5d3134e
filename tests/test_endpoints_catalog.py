"""Every client declaration names a real operation: path, method and parameters exist in the
committed API catalog (which itself is checked against the spec in test_catalog.py)."""

from __future__ import annotations

import string

import pytest

from ofsc_cli.catalog import load_catalog
from ofsc_cli.client import ENDPOINTS, EndpointSpec

SPECS = sorted({(s.client_method, s.key): s for s in ENDPOINTS}.values(), key=lambda s: s.key)


def test_declarations_exist() -> None:
    assert len(SPECS) >= 3


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.client_method)
def test_declaration_matches_catalog(spec: EndpointSpec) -> None:
    op = load_catalog().get(spec.method, spec.path)
    assert op is not None, f"{spec.client_method}: {spec.key} is not in the API catalog"
    allowed = {p.name for p in op.query_params}
    unknown = set(spec.query) - allowed
    assert not unknown, f"{spec.client_method}: query {sorted(unknown)} not in {sorted(allowed)}"
    names = {f[1] for f in string.Formatter().parse(spec.path) if f[1]}
    assert names == {p.name for p in op.path_params}


def test_method_names_are_unique_per_namespace() -> None:
    seen: dict[str, str] = {}
    for spec in ENDPOINTS:
        previous = seen.setdefault(spec.client_method, spec.key)
        assert previous == spec.key, f"{spec.client_method} declared for {previous} and {spec.key}"
