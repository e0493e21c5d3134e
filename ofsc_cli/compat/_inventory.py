"""The committed inventory of pyOFSC 2.27's public surface (``pyofsc_2_27.json``).

Derived by ``scripts/derive_pyofsc_inventory.py`` (its docstring describes the format);
read once, on first use.  :func:`signature` turns a recorded signature back into an
:class:`inspect.Signature`, which is what the compat methods expose and bind calls with.
"""

from __future__ import annotations

import ast
import functools
import inspect
import json
from pathlib import Path
from typing import Any

__all__ = ["INVENTORY_FILE", "NOT_LITERAL", "inventory", "methods", "signature"]

INVENTORY_FILE = Path(__file__).with_name("pyofsc_2_27.json")


class _NotLiteral:
    """The default of a 2.x parameter that is not a literal (a date evaluated at import, a
    request model): the method resolves it when the argument is left out."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


NOT_LITERAL = _NotLiteral
"""The class of those defaults (``isinstance(value, NOT_LITERAL)``)."""


@functools.cache
def inventory() -> dict[str, Any]:
    """The parsed inventory (read once)."""
    data: dict[str, Any] = json.loads(INVENTORY_FILE.read_text(encoding="utf-8"))
    return data


def methods(client: str) -> dict[tuple[str, str], dict[str, Any]]:
    """``(namespace, method) -> record`` of one client (``"sync"`` or ``"async"``)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for ns, block in inventory()["clients"][client]["namespaces"].items():
        for name, record in block["methods"].items():
            found[(ns, name)] = record
    return found


_KINDS = {
    kind.name: kind
    for kind in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL,
        inspect.Parameter.KEYWORD_ONLY,
        inspect.Parameter.VAR_KEYWORD,
    )
}


def _default(text: str | None) -> Any:
    if text is None:
        return inspect.Parameter.empty
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return _NotLiteral(text)


def signature(record: dict[str, Any], *, with_self: bool = True) -> inspect.Signature:
    """The signature a record describes (``self`` first when ``with_self``)."""
    params = (
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)] if with_self else []
    )
    for p in record["parameters"]:
        kind = _KINDS[p["kind"]]
        params.append(inspect.Parameter(p["name"], kind, default=_default(p["default"])))
    return inspect.Signature(params)
