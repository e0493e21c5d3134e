"""The coverage map: every catalog operation, its client method, its command, and whether
the embedded emulator answers it.

Nothing here is typed by hand.  Client methods come from the operation declarations
(``ofsc_cli.client.ENDPOINTS``); commands from walking the real command tree, where each
declared command carries the keys of the operations it runs (``Command.op``/``also``, see
:mod:`ofsc_cli.cli.declare`); the emulated column from the emulator's route table.
``ofsc api catalog --coverage`` prints the map; the test suite requires it to be complete.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

__all__ = ["CoverageEntry", "client_methods", "command_lines", "coverage_map", "emulated"]


@dataclass(frozen=True, slots=True)
class CoverageEntry:
    """One operation and what covers it (``None``/``False`` where nothing does)."""

    method: str
    path: str
    family: str
    operation_id: str | None
    client_method: str | None
    command: str | None
    emulated: bool = False

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def mapped(self) -> bool:
        return self.client_method is not None and self.command is not None and self.emulated

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "family": self.family,
            "operationId": self.operation_id,
            "clientMethod": self.client_method,
            "command": self.command,
            "emulated": self.emulated,
        }


def client_methods() -> dict[str, str]:
    """Operation key -> ``namespace.method`` for every declared operation."""
    from ofsc_cli.client import ENDPOINTS

    return {spec.key: spec.client_method for spec in ENDPOINTS}


def command_lines() -> dict[str, str]:
    """Operation key -> the command line that runs it (``"ofsc metadata work-zones get"``),
    the first command in tree order for an operation that several commands run."""
    import typer

    from ofsc_cli.cli._app import build_app
    from ofsc_cli.cli.declare import declarations

    found: dict[str, str] = {}
    for line, declaration in declarations(typer.main.get_command(build_app())):
        for key in declaration.op_keys:
            found.setdefault(key, line)
    return found


def emulated() -> frozenset[str]:
    """The operation keys the embedded emulator answers."""
    router = importlib.import_module("ofsc_cli.factory")  # the composition root knows the sandbox
    keys: frozenset[str] = router.emulated_operations()
    return keys


def coverage_map(family: str | None = None) -> list[CoverageEntry]:
    """The map for every catalog operation (of one ``family`` if given), in catalog order."""
    from ofsc_cli.catalog import load_catalog

    methods = client_methods()
    commands = command_lines()
    served = emulated()
    return [
        CoverageEntry(
            method=op.method,
            path=op.path,
            family=op.family,
            operation_id=op.operation_id,
            client_method=methods.get(op.key),
            command=commands.get(op.key),
            emulated=op.key in served,
        )
        for op in load_catalog().operations
        if family is None or op.family == family
    ]
