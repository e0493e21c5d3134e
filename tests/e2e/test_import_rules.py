"""The layering of ``ofsc_cli`` (DESIGN.md, "Layers"), enforced on the source.

Every module under ``ofsc_cli/`` is parsed with :mod:`ast`; every import counts, wherever it
is written: at module level, inside a function, under ``if TYPE_CHECKING:``, and
``importlib.import_module("...")`` / ``__import__("...")`` calls with a literal name (an
f-string counts by its literal prefix).  A module's layer is its first component below
``ofsc_cli`` (``ofsc_cli.client.api.core`` is in ``client``).  A module may import:

* its own layer, anything of it, private modules included;
* the layers ``RULES`` lists for it, public modules and names only: no component or imported
  name starting with ``_`` (``ofsc_cli.client._base`` and ``from ofsc_cli.client.http import
  _exception_text`` are both refused outside ``client``);
* the leaf modules in ``LEAVES``, which themselves import nothing of ``ofsc_cli``;
* the one documented upward edge of ``ALLOWED_EDGES``: the client's ``from_profile``
  classmethods import the composition root (``ofsc_cli.factory``), inside the function only.

A new top-level module or package must be given a rule here, or the test fails.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import ofsc_cli

PACKAGE = "ofsc_cli"
SOURCE = Path(ofsc_cli.__file__).parent

RULES: dict[str, frozenset[str]] = {
    # The package's own namespace: lazy re-exports of the library's names.
    PACKAGE: frozenset({"client", "errors"}),
    "__main__": frozenset({"cli"}),
    "cli": frozenset(
        {
            "client",
            "config",
            "output",
            "migrate",
            "models",
            "errors",
            "catalog",
            "factory",
            "plugins",
        }
    ),
    # The composition root: the one module that knows every part it wires together.
    "factory": frozenset({"client", "config", "sandbox", "errors", "plugins"}),
    # Plugin discovery and registration: hands what plugins add to the client's hooks.
    "plugins": frozenset({"client", "errors"}),
    "migrate": frozenset({"client", "models", "catalog", "errors"}),
    "client": frozenset({"models", "errors", "catalog"}),
    # pyOFSC 2.x names over the client; no other layer imports it (none lists it here).
    "compat": frozenset({"client", "models", "errors", "catalog"}),
    "sandbox": frozenset({"catalog", "errors"}),
    "models": frozenset({"errors"}),
    "catalog": frozenset({"errors"}),
    "output": frozenset({"errors"}),
    "config": frozenset({"errors"}),
}
"""Which layers each layer may import (besides itself and the leaves)."""

LEAVES = frozenset({"errors", "_version", "common", "data"})
"""Modules every layer may import: they import nothing of ``ofsc_cli`` themselves."""

ALLOWED_EDGES = frozenset(
    {
        ("ofsc_cli.client._sync", "ofsc_cli.factory"),
        ("ofsc_cli.client._async", "ofsc_cli.factory"),
    }
)
"""(importer, imported) pairs allowed against the rules, and only inside a function."""


@dataclass(frozen=True)
class Import:
    """One import found in a module: what it names and where."""

    importer: str
    target: str
    names: tuple[str, ...]
    line: int
    in_function: bool


def module_name(root: Path, path: Path) -> str:
    """The dotted name of the module at ``path`` in the package at ``root``."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(root: Path, path: Path) -> bool:
    return path.name == "__init__.py"


def _exists(root: Path, dotted: str) -> bool:
    """Whether ``dotted`` names a module or package of the tree at ``root``."""
    parts = dotted.split(".")
    if parts[0] != root.name:
        return False
    base = root.joinpath(*parts[1:])
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _literal_prefix(node: ast.expr) -> str | None:
    """A module name given as a string literal, or the package named by an f-string's
    literal prefix (``f"ofsc_cli.client.api.{name}"`` names ``ofsc_cli.client.api``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value.rpartition(".")[0] or None
    return None


def _walk(node: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        yield child, inner
        yield from _walk(child, inner)


def imports_of(root: Path, path: Path) -> Iterator[Import]:
    """Every import of ``ofsc_cli`` in the module at ``path``, resolved to module names."""
    importer = module_name(root, path)
    package = importer if _is_package(root, path) else importer.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node, in_function in _walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(importer, alias.name, (), line, in_function)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            plain: list[str] = []
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if _exists(root, submodule):
                    yield Import(importer, submodule, (), line, in_function)
                else:
                    plain.append(alias.name)
            if plain or not node.names:
                yield Import(importer, source, tuple(plain), line, in_function)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__"):
                target = _literal_prefix(node.args[0])
                if target is not None:
                    yield Import(importer, target, (), line, in_function)


def layer_of(dotted: str) -> str:
    """The layer of a module: its first component below the package."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _private(dotted: str) -> bool:
    return any(part.startswith("_") for part in dotted.split(".")[1:])


def violations(root: Path) -> list[str]:
    """Every import of the tree at ``root`` that breaks the rules, as ``file:line: why``."""
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        where = path.relative_to(root.parent)
        importer = module_name(root, path)
        layer = layer_of(importer)
        if layer not in RULES and layer not in LEAVES:
            found.append(f"{where}: layer {layer!r} has no import rule (add it to RULES)")
            continue
        for imp in imports_of(root, path):
            if imp.target != root.name and not imp.target.startswith(root.name + "."):
                continue
            target_layer = layer_of(imp.target)
            if target_layer == layer:
                continue
            message = f"{where}:{imp.line}: {layer} imports {imp.target}"
            if (imp.importer, imp.target) in ALLOWED_EDGES:
                if not imp.in_function:
                    found.append(f"{message} at module level (allowed only inside a function)")
                continue
            if layer in LEAVES:
                found.append(f"{message} (a leaf module imports nothing of {root.name})")
            elif target_layer in LEAVES:
                continue
            elif target_layer not in RULES[layer]:
                found.append(f"{message} (allowed: {', '.join(sorted(RULES[layer]))})")
            elif _private(imp.target):
                found.append(f"{message}, a private module of {target_layer}")
            elif private_names := [n for n in imp.names if n.startswith("_")]:
                found.append(f"{message}: private name(s) {', '.join(private_names)}")
    return found


def test_the_package_keeps_its_layers() -> None:
    problems = violations(SOURCE)
    assert not problems, "import rules broken:\n" + "\n".join(problems)


def test_the_rules_name_only_existing_layers() -> None:
    layers = {layer_of(module_name(SOURCE, p)) for p in SOURCE.rglob("*.py")}
    named = set(RULES) | LEAVES | {layer for allowed in RULES.values() for layer in allowed}
    assert named <= layers | {PACKAGE}, sorted(named - layers)
    assert {layer_of(target) for _, target in ALLOWED_EDGES} <= layers


# --------------------------------------------------------------------------- planted trees


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A synthetic ``ofsc_cli`` package under ``tmp_path`` holding ``files``."""
    root = tmp_path / PACKAGE
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            init = root / parent / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
        path.write_text(text, encoding="utf-8")
    return root


CLEAN = {
    "errors.py": "class OFSError(Exception): ...\n",
    "client/__init__.py": "from ofsc_cli.client._sync import OFSC\n",
    "client/_sync.py": (
        "from ofsc_cli.errors import OFSError\n"
        "class OFSC:\n"
        "    @classmethod\n"
        "    def from_profile(cls):\n"
        "        from ofsc_cli.factory import client_options\n"
    ),
    "client/http.py": "def _helper(): ...\ndef redact_url(): ...\n",
    "factory.py": "from ofsc_cli.client import OFSC\nfrom ofsc_cli import config, sandbox\n",
    "config/__init__.py": "from ofsc_cli.errors import OFSError\n",
    "sandbox/__init__.py": "",
    "cli/__init__.py": "from . import main\n",
    "cli/main.py": (
        "from ofsc_cli.client.http import redact_url\n"
        "from .._version import __version__\n"
        "from . import _helpers\n"
    ),
    "cli/_helpers.py": "import importlib\nimportlib.import_module('ofsc_cli.output')\n",
    "output/__init__.py": "",
    "_version.py": "__version__ = '0'\n",
}


def test_a_clean_tree_passes(tmp_path: Path) -> None:
    assert violations(_tree(tmp_path, CLEAN)) == []


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "client/api.py",
            "from ofsc_cli.config import resolve_settings\n",
            "ofsc_cli/client/api.py:1: client imports ofsc_cli.config",
        ),
        (
            "client/api.py",
            "def later():\n    import ofsc_cli.sandbox.store\n",
            "ofsc_cli/client/api.py:2: client imports ofsc_cli.sandbox.store",
        ),
        (
            "output/render.py",
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from ofsc_cli.cli.main import x\n",
            "ofsc_cli/output/render.py:3: output imports ofsc_cli.cli.main",
        ),
        (
            "output/render.py",
            "import importlib\nmod = importlib.import_module('ofsc_cli.client')\n",
            "ofsc_cli/output/render.py:2: output imports ofsc_cli.client",
        ),
        (
            "sandbox/app.py",
            "def f(n):\n    return __import__(f'ofsc_cli.client.api.{n}')\n",
            "ofsc_cli/sandbox/app.py:2: sandbox imports ofsc_cli.client.api",
        ),
        (
            "cli/other.py",
            "from ofsc_cli.client import _sync\n",
            "ofsc_cli/cli/other.py:1: cli imports ofsc_cli.client._sync, a private module",
        ),
        (
            "cli/other.py",
            "from ofsc_cli.client.http import _helper\n",
            "ofsc_cli/cli/other.py:1: cli imports ofsc_cli.client.http: private name(s) _helper",
        ),
        (
            "config/store.py",
            "from ..client.http import redact_url\n",
            "ofsc_cli/config/store.py:1: config imports ofsc_cli.client.http",
        ),
        (
            "client/_async.py",
            "from ofsc_cli.factory import client_options\n",
            "ofsc_cli/client/_async.py:1: client imports ofsc_cli.factory at module level",
        ),
        (
            "client/_other.py",
            "def f():\n    from ofsc_cli.factory import client_options\n",
            "ofsc_cli/client/_other.py:2: client imports ofsc_cli.factory",
        ),
        (
            "_version.py",
            "from ofsc_cli.errors import OFSError\n",
            "ofsc_cli/_version.py:1: _version imports ofsc_cli.errors (a leaf module",
        ),
        ("addons/__init__.py", "", "ofsc_cli/addons/__init__.py: layer 'addons' has no"),
    ],
)
def test_a_planted_violation_is_found(tmp_path: Path, name: str, text: str, expected: str) -> None:
    found = violations(_tree(tmp_path, {**CLEAN, name: text}))
    assert len(found) == 1, found
    assert found[0].startswith(expected), found
