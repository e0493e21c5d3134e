"""The emulator's route table: one handler per operation, modules by API family, the
public ``emulated_operations`` and the sandbox's import rule."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import ofsc_cli.sandbox
from ofsc_cli.catalog import load_catalog
from ofsc_cli.sandbox import router
from ofsc_cli.sandbox._http import Response

SANDBOX = Path(ofsc_cli.sandbox.__file__).parent
HANDLERS = SANDBOX / "handlers"
PACKAGE = "ofsc_cli.sandbox.handlers"
#: What ofsc_cli/sandbox may import from the rest of ofsc_cli (DESIGN.md's import rule).
ALLOWED = ("ofsc_cli.sandbox", "ofsc_cli.catalog", "ofsc_cli.errors")


def _ownership() -> dict[str, list[str]]:
    """Handler module -> the operation keys it serves, as the router records them."""
    table: dict[str, list[str]] = defaultdict(list)
    for key, module in router.operation_owners().items():
        table[module].append(key)
    return dict(table)


def _listing(table: dict[str, list[str]]) -> str:
    return "\n".join(f"{module}: {', '.join(keys)}" for module, keys in sorted(table.items()))


def _handler_modules() -> set[str]:
    return {f"{PACKAGE}.{p.stem}" for p in HANDLERS.glob("*.py") if not p.stem.startswith("_")}


def test_every_catalog_operation_has_exactly_one_handler() -> None:
    catalog = {op.key for op in load_catalog().operations}
    owners = router.operation_owners()
    missing = sorted(catalog - set(owners))
    unknown = sorted(set(owners) - catalog)
    assert not missing, f"operations without a handler: {missing}"
    assert not unknown, f"handlers for no catalog operation: {unknown}"
    table = _ownership()
    served = [key for keys in table.values() for key in keys]
    assert len(served) == len(set(served)) == len(catalog), _listing(table)


def test_handler_modules_follow_the_api_families() -> None:
    """Every handler module serves operations of one catalog family, and every module in
    the package serves at least one (no grab-bag, no leftover)."""
    by_key = load_catalog().by_key
    table = _ownership()
    for module, keys in table.items():
        families = {by_key[key].family for key in keys}
        assert len(families) == 1, f"{module} mixes families {sorted(families)}: {keys}"
        assert module.startswith(f"{PACKAGE}."), module
    assert set(table) == _handler_modules(), _listing(table)


def test_each_operation_is_registered_once_when_the_handlers_load() -> None:
    """Count the registrations of a fresh import: no module registers an operation
    another one serves (a duplicate would raise; a skipped one would not show)."""
    code = (
        "import collections, json\n"
        "from ofsc_cli.sandbox import router\n"
        "seen = collections.Counter()\n"
        "real = router.add_route\n"
        "def counting(method, template, handler):\n"
        "    seen[f'{method} {template}'] += 1\n"
        "    real(method, template, handler)\n"
        "router.add_route = counting\n"
        "import ofsc_cli.sandbox.handlers\n"
        "print(json.dumps(seen))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    import json

    counts: dict[str, int] = json.loads(result.stdout)
    assert counts, "no registration went through router.add_route"
    assert {k: n for k, n in counts.items() if n != 1} == {}


def test_handler_modules_do_not_read_the_route_table() -> None:
    """A module that looks at what is registered before registering is the old "first
    registration wins" pattern."""
    readers = {"registered_routes", "emulated_operations", "operation_owners", "_HANDLERS"}
    found = []
    for path in sorted(HANDLERS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "id", None) or getattr(node, "attr", None)
            if isinstance(node, ast.alias):
                name = node.name
            if name in readers:
                found.append(f"{path.name}:{node.lineno}: {name}")
    assert found == []


def test_a_second_handler_for_an_operation_fails_naming_both() -> None:
    key = "GET /rest/ofscMetadata/v1/workZones"
    before = router.operation_owners()[key]

    def another_list(call: router.Call) -> Response:
        raise AssertionError("never called")

    with pytest.raises(ValueError, match="already has a handler") as caught:
        router.add_route("GET", "/rest/ofscMetadata/v1/workZones", another_list)
    message = str(caught.value)
    assert key in message
    assert before in message
    assert f"{__name__}:" in message and "another_list" in message
    assert router.operation_owners()[key] == before


def test_a_duplicate_registration_fails_at_import_time(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from ofsc_cli.sandbox.router import route\n"
        "@route('GET', '/rest/ofscCore/v1/users/{login}')\n"
        "def get_user_again(call):\n"
        "    raise AssertionError('never called')\n"
    )
    name = f"{PACKAGE}._duplicate_probe"
    router.registered_routes()  # every real handler first
    spec = importlib.util.spec_from_file_location(name, source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    try:
        with pytest.raises(ValueError) as caught:
            spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    message = str(caught.value)
    assert "GET /rest/ofscCore/v1/users/{login} already has a handler" in message
    assert f"{PACKAGE}.users:get_user" in message
    assert f"{name}:get_user_again" in message


def test_emulated_operations_are_catalog_keys_in_the_client_format() -> None:
    from ofsc_cli.client import ENDPOINTS

    emulated = router.emulated_operations()
    assert isinstance(emulated, frozenset)
    assert emulated == frozenset(router.operation_owners())
    assert ofsc_cli.sandbox.emulated_operations() == emulated
    by_key = load_catalog().by_key
    for key in emulated:
        op = by_key[key]
        assert key == f"{op.method} {op.path}"
    declared = {spec.key for spec in ENDPOINTS if spec.key in by_key}
    assert declared, "no client endpoint names a catalog operation"
    assert declared <= emulated
    live = {f"{method} {path}" for method, path in router.live_routes()}
    assert live and not live & emulated  # live-only routes are not spec operations


def _ofsc_imports(path: Path) -> list[tuple[int, str]]:
    """Every ``ofsc_cli`` module a file imports, at any depth (functions too)."""
    package = ".".join(path.relative_to(SANDBOX.parent.parent).with_suffix("").parts)
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level)[0]
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            out.append((node.lineno, target))
    return [(line, name) for line, name in out if name.split(".")[0] == "ofsc_cli"]


def test_the_sandbox_imports_only_catalog_and_errors() -> None:
    bad = [
        f"{path.relative_to(SANDBOX)}:{line}: {name}"
        for path in sorted(SANDBOX.rglob("*.py"))
        for line, name in _ofsc_imports(path)
        if not name.startswith(ALLOWED)
    ]
    assert bad == []


def test_reading_the_route_table_loads_no_other_part_of_ofsc() -> None:
    code = (
        "import sys\n"
        "from ofsc_cli.sandbox.router import emulated_operations\n"
        "assert emulated_operations()\n"
        "print(sorted(m for m in sys.modules if m.startswith('ofsc_cli')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = ast.literal_eval(result.stdout.strip())
    # the package itself (and its version), the catalog's data files, and the allowed parts
    others = [
        m
        for m in loaded
        if m not in ("ofsc_cli", "ofsc_cli._version", "ofsc_cli.data") and not m.startswith(ALLOWED)
    ]
    assert others == []
