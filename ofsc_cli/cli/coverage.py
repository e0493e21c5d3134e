"""The coverage map: every catalog operation, its client method and the command that runs it.

Client methods come from the operation declarations (``ofsc_cli.client.ENDPOINTS``); commands
from the ``COMMANDS`` tables of the command modules (``{"METHOD /rest/...": "ofsc group ..."}``).
A module that does not exist yet, or has no ``COMMANDS`` table, leaves its operations unmapped.
``ofsc api catalog --coverage`` prints the map; the test suite requires it to be complete.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typer import _click

__all__ = [
    "COMMAND_MODULES",
    "CoverageEntry",
    "command_tables",
    "coverage_map",
    "resolve_command",
]

COMMAND_MODULES: tuple[str, ...] = (
    "ofsc_cli.cli.metadata",
    "ofsc_cli.cli.core_activities",
    "ofsc_cli.cli.core_resources",
    "ofsc_cli.cli.core",
    "ofsc_cli.cli.capacity",
    "ofsc_cli.cli.statistics",
    "ofsc_cli.cli.parts_catalog",
    "ofsc_cli.cli.collaboration",
    "ofsc_cli.cli.auth_token_ops",
)
"""Modules whose ``COMMANDS`` tables are read (missing modules or tables are skipped)."""


@dataclass(frozen=True, slots=True)
class CoverageEntry:
    """One operation and what covers it (``None`` where nothing does yet)."""

    method: str
    path: str
    family: str
    operation_id: str | None
    client_method: str | None
    command: str | None

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def mapped(self) -> bool:
        return self.client_method is not None and self.command is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "family": self.family,
            "operationId": self.operation_id,
            "clientMethod": self.client_method,
            "command": self.command,
        }


def command_tables(modules: Iterable[str] = COMMAND_MODULES) -> dict[str, str]:
    """Every ``COMMANDS`` entry of ``modules`` merged (operation key -> command line)."""
    merged: dict[str, str] = {}
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue  # that module is not written yet
            raise
        table = getattr(module, "COMMANDS", None)
        if isinstance(table, Mapping):
            for key, command in table.items():
                merged.setdefault(str(key), str(command))
    return merged


def client_methods() -> dict[str, str]:
    """Operation key -> ``namespace.method`` for every declared operation."""
    from ofsc_cli.client import ENDPOINTS

    return {spec.key: spec.client_method for spec in ENDPOINTS}


def coverage_map(family: str | None = None) -> list[CoverageEntry]:
    """The map for every catalog operation (of one ``family`` if given), in catalog order."""
    from ofsc_cli.catalog import load_catalog

    methods = client_methods()
    commands = command_tables()
    return [
        CoverageEntry(
            method=op.method,
            path=op.path,
            family=op.family,
            operation_id=op.operation_id,
            client_method=methods.get(op.key),
            command=commands.get(op.key),
        )
        for op in load_catalog().operations
        if family is None or op.family == family
    ]


def resolve_command(line: str) -> _click.Command | None:
    """The click command a ``COMMANDS`` line names (``"ofsc capacity quota get --v1"``).

    Words after ``ofsc`` are followed through the groups; the walk must end on a command
    (not a group), and any ``--option`` words must be options of that command.  Arguments
    written as placeholders (``LABEL``) are skipped.  ``None`` if the line does not resolve.
    """
    from typer import _click
    from typer.core import TyperGroup

    from ofsc_cli.cli._app import build_app
    from ofsc_cli.cli.main import GROUPS

    words = line.split()
    if not words or words[0] != "ofsc" or len(words) < 2 or words[1] not in GROUPS:
        return None
    import typer

    root = typer.main.get_command(build_app())
    ctx = _click.Context(root)
    command: _click.Command | None = root
    rest = words[1:]
    while rest and isinstance(command, TyperGroup):
        if rest[0].startswith("-"):
            break
        # Let the group rewrite its arguments as it would when run (a default verb,
        # ``ofsc api GET …`` → ``request``), then follow the subcommand it picks.
        rewritten = _rewritten(command, rest)
        if rewritten is None:
            return None
        rest = rewritten
        if not rest:
            break
        command = command.get_command(ctx, rest[0])
        if command is None:
            return None
        rest = rest[1:]
    if isinstance(command, TyperGroup):
        command = _default_command(command)
    if command is None or isinstance(command, TyperGroup):
        return None
    options = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    for word in rest:
        if word.startswith("-") and word.split("=", 1)[0] not in options:
            return None
    return command


def _rewritten(group: Any, args: list[str]) -> list[str] | None:
    """``args`` as ``group`` rewrites them when run (``None`` if it refuses them)."""
    from typer import _click

    probe = _click.Context(group, info_name=group.name, resilient_parsing=True)
    try:
        group.parse_args(probe, list(args))
    except _click.exceptions.ClickException:
        return None
    return [*(getattr(probe, "_protected_args", None) or ()), *probe.args]


def _default_command(group: Any) -> _click.Command | None:
    """The command a group with a default verb runs for a plain argument (else ``None``).

    Such groups rewrite their arguments in ``parse_args`` (``links 4225`` is
    ``links list 4225``); a probe argument shows which subcommand they pick.
    """
    from typer import _click

    marker = "\x00probe"
    chosen = _rewritten(group, [marker])
    if not chosen or chosen[0] == marker:
        return None
    found: _click.Command | None = group.get_command(_click.Context(group), chosen[0])
    return found
