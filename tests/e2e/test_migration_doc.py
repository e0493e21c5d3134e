"""docs/migrating-from-pyofsc.md: its generated method table is current, and its table of
the requests that differ from pyOFSC's names only methods the mapping table notes a
deviation for, on clients that have them.

The table is written by ``scripts/render_pyofsc_mapping.py --write``; ``--check`` (run here)
fails when a 2.x method, its v3 method, its command or its notes changed without it.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from ofsc_cli.compat._inventory import methods
from ofsc_cli.compat._table import TABLE
from ofsc_cli.compat.mapping import mapping_rows

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "migrating-from-pyofsc.md"
SCRIPT = ROOT / "scripts" / "render_pyofsc_mapping.py"


@pytest.fixture
def render(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The script as a module (its ``main`` run in-process, the environment restored)."""
    monkeypatch.setenv("OFSC_NO_PLUGINS", "1")
    spec = importlib.util.spec_from_file_location("render_pyofsc_mapping", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def test_the_method_table_is_current(render: ModuleType) -> None:
    assert render.main(["--check", str(GUIDE)]) == 0, (
        "run scripts/render_pyofsc_mapping.py --write docs/migrating-from-pyofsc.md"
    )
    text = GUIDE.read_text(encoding="utf-8")
    table = text[text.index(render.START) : text.index(render.END)]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(mapping_rows()) == len({*methods("sync"), *methods("async")})
    assert len(methods("sync")) + len(methods("async")) == 321


def test_check_and_write_find_and_fix_drift(render: ModuleType, tmp_path: Path) -> None:
    copy = tmp_path / "guide.md"
    original = GUIDE.read_text(encoding="utf-8")
    copy.write_text(original.replace("| `core.get_resource` |", "| `core.get_rsource` |"))
    assert render.main(["--check", str(copy)]) == 1
    assert render.main(["--write", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == original
    copy.write_text("no markers here\n", encoding="utf-8")
    assert render.main(["--check", str(copy)]) == 2
    assert render.main(["--write", str(tmp_path / "missing.md")]) == 2


def test_the_deviations_named_are_the_tables() -> None:
    section = _section(GUIDE.read_text(encoding="utf-8"), "Requests that differ from pyOFSC's")
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    named = 0
    for row in rows:
        first, clients = (cell.strip() for cell in row.strip("|").split("|")[:2])
        sides = {c.strip() for c in clients.split(",")}
        assert sides <= {"sync", "async"}, row
        for key in re.findall(r"`([a-z0-9_]+\.\w+)`", first):
            assert TABLE[key].deviation, f"{key}: no deviation noted in ofsc_cli/compat/_table.py"
            ns, name = key.split(".")
            for side in sides:
                assert (ns, name) in methods(side), f"{key}: not a {side} 2.x method"
            named += len(sides)
    assert named == 24  # the cases tests/e2e/test_compat_requests.py records as deviations
