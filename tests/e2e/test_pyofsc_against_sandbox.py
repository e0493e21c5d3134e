"""pyOFSC 2.27 (PyPI ``ofsc``, in its own Python 3.13 virtualenv) against the served sandbox:
its generators and list calls see every resource, work zone, user and activity type.

The check is ``bench/pyofsc_compat.py``'s: the virtualenv is ``.cache/pyofsc-venv``, built
here when missing (about 10 s) and reused afterwards.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ofsc_cli.sandbox import Store

BENCH = Path(__file__).resolve().parents[2] / "bench" / "pyofsc_compat.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pyofsc_compat", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("pyofsc_compat", module)
    spec.loader.exec_module(module)
    return module


compat = _load()


@pytest.fixture(scope="module")
def pyofsc_python() -> Path:
    if not compat.venv_ready() and compat.find_python() is None:
        pytest.skip(f"pyOFSC needs Python {compat.PYTHON}, and none is installed (pyenv or PATH)")
    try:
        python, _ = compat.ensure_venv()
    except compat.SetupError as exc:
        pytest.fail(f"cannot build the pyOFSC virtualenv: {exc}")
    return python  # type: ignore[no-any-return]


def test_pyofsc_pages_every_item_of_the_served_sandbox(
    _seeded_store: Store, pyofsc_python: Path
) -> None:
    store = _seeded_store.clone()
    lines = compat.check(store, pyofsc_python, page_sizes=(100, 7))
    assert len(lines) == 16
    assert all(line.startswith("ok") for line in lines), "\n".join(lines)
    # limit=7 took several pages of every collection: paging was exercised
    assert min(store.count(c) for c in compat.CALLS) > 7


def test_the_comparison_names_what_a_call_missed(_seeded_store: Store) -> None:
    store = _seeded_store
    got = {
        f"{call} limit=7": store.keys(collection)
        for collection, calls in compat.CALLS.items()
        for call in calls
    }
    got["async core.get_all_resources limit=7"] = store.keys("resources")[:7]
    got["sync core.get_users limit=7"] = {"error": "OFSCApiError: 400"}
    got["sync metadata.get_workzones limit=7"] = store.keys("workZones") * 2
    lines = compat.compare(store, got, (7,))
    failed = [line for line in lines if line.startswith("FAIL")]
    assert len(failed) == 3, lines
    assert f"7 of {store.count('resources')} resources; missing" in failed[0]
    assert "duplicates" in failed[1] and "OFSCApiError" in failed[2]
