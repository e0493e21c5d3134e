"""The compat layer covers every public method of pyOFSC 2.27, with 2.x's signatures.

The committed inventory (``ofsc_cli/compat/pyofsc_2_27.json``, derived from the installed
distribution by ``scripts/derive_pyofsc_inventory.py``) is the reference: a 2.27 method
without a mapping entry, a compat method whose parameters differ from 2.x's, or a mapping
that names a v3 method the client does not have fails here.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ofsc_cli.compat import OFSC
from ofsc_cli.compat._inventory import INVENTORY_FILE, inventory, methods
from ofsc_cli.compat._table import TABLE, targets
from ofsc_cli.compat.async_client import AsyncOFSC

ROOT = Path(__file__).resolve().parents[2]
SYNC = sorted(methods("sync"))
ASYNC = sorted(methods("async"))


def _compat_class(kind: str, ns: str) -> type:
    owner = OFSC if kind == "sync" else AsyncOFSC
    from ofsc_cli.compat import _client, async_client

    classes = _client._SYNC_CLASSES if owner is OFSC else async_client._ASYNC_CLASSES
    return classes[ns]


def test_the_inventory_is_the_2_27_one() -> None:
    data = inventory()
    assert data["format"] == 1
    assert data["distribution"] == "ofsc" and data["version"].startswith("2.27")
    assert data["constants"] == {
        "TEXT_RESPONSE": 1,
        "FULL_RESPONSE": 2,
        "OBJ_RESPONSE": 3,
        "FILE_RESPONSE": 4,
    }
    assert set(data["clients"]["sync"]["namespaces"]) == {"core", "metadata", "capacity", "oauth2"}
    assert set(data["clients"]["async"]["namespaces"]) == {
        "core",
        "metadata",
        "capacity",
        "statistics",
        "oauth2",
    }
    assert len(SYNC) >= 100 and len(ASYNC) >= 200


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_every_2_27_method_has_a_mapping(kind: str) -> None:
    missing = [f"{ns}.{name}" for ns, name in methods(kind) if f"{ns}.{name}" not in TABLE]
    assert not missing, f"2.27 {kind} methods without a mapping: {missing}"


def test_the_table_maps_only_2_27_methods() -> None:
    known = {f"{ns}.{name}" for kind in ("sync", "async") for ns, name in methods(kind)}
    assert set(TABLE) - known == set()


def test_every_mapping_names_a_real_v3_method() -> None:
    from ofsc_cli.client import ENDPOINTS

    declared = {spec.client_method for spec in ENDPOINTS}
    wrong = {
        key: target
        for key, op in TABLE.items()
        for target in targets(op)
        if target not in declared and target != "client.send"
    }
    assert not wrong


@pytest.mark.parametrize(
    ("kind", "ns", "name"), [("sync", *k) for k in SYNC] + [("async", *k) for k in ASYNC]
)
def test_signature_accepts_the_2_27_parameters(kind: str, ns: str, name: str) -> None:
    record = methods(kind)[(ns, name)]
    method = getattr(_compat_class(kind, ns), name)
    params = list(inspect.signature(method).parameters.values())[1:]
    ours = [(p.name, p.kind.name) for p in params if p.name != "response_type" or kind == "async"]
    theirs = [(p["name"], p["kind"]) for p in record["parameters"] if p["name"] != "response_type"]
    assert ours == theirs
    defaults = {p.name: p.default for p in params}
    for p in record["parameters"]:
        if (
            p["default"] is not None
            and not p["default"].startswith("<")
            and p["name"] != "response_type"
        ):
            assert repr(defaults[p["name"]]) == p["default"], p["name"]
    if kind == "sync" and record["response_type_default"] is not None:
        assert defaults["response_type"] == record["response_type_default"]
    expected_kind = record["kind"]
    if expected_kind == "coroutine":
        assert inspect.iscoroutinefunction(method)
    elif expected_kind == "async_generator" and not TABLE[f"{ns}.{name}"].stream:
        assert not inspect.iscoroutinefunction(method)


def test_the_constructors_take_2_27_arguments_in_order() -> None:
    for kind, cls in (("sync", OFSC), ("async", AsyncOFSC)):
        record = inventory()["clients"][kind]["constructor"]
        theirs = [p["name"] for p in record["parameters"]]
        ours = [
            p.name
            for p in inspect.signature(cls).parameters.values()
            if p.kind is p.POSITIONAL_OR_KEYWORD
        ]
        assert ours == theirs, kind


def test_the_exported_names_exist() -> None:
    import ofsc_cli.compat as compat
    from ofsc_cli.compat import async_client, exceptions, models

    for name, record in inventory()["exceptions"].items():
        assert issubclass(getattr(exceptions, name), Exception)
        for module in record["exported_from"]:
            target = compat if module == "ofsc" else async_client
            assert getattr(target, name) is getattr(exceptions, name)
    unresolved = []
    for name in inventory()["models"]:
        try:
            models.resolve(name)
        except AttributeError:
            unresolved.append(name)
    assert not unresolved


def test_the_inventory_file_is_plain_names_and_signatures() -> None:
    text = INVENTORY_FILE.read_text(encoding="utf-8")
    data = json.loads(text)
    for kind in ("sync", "async"):
        for block in data["clients"][kind]["namespaces"].values():
            for record in block["methods"].values():
                assert set(record) <= {
                    "text",
                    "parameters",
                    "kind",
                    "defined_in",
                    "returns",
                    "response_type_default",
                    "expected_status",
                    "response_model",
                }
    assert '"""' not in text and "def " not in text


def test_the_inventory_is_fresh_when_pyofsc_is_at_hand() -> None:
    venv = ROOT / ".cache" / "pyofsc-venv" / "bin" / "python"
    if not venv.exists():
        pytest.skip("no pyOFSC virtualenv (bench/pyofsc_compat.py builds it)")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "derive_pyofsc_inventory.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
