"""Every Core operation of part A (activities and what hangs off them, events, daily extract,
service requests, where-is-my-tech) has a client method and an ``ofsc`` command."""

from __future__ import annotations

import typer
from typer import _click
from typer.core import TyperGroup

import ofsc_cli.client  # noqa: F401  (declares every namespace)
from ofsc_cli.catalog import load_catalog
from ofsc_cli.cli import core as core_cli
from ofsc_cli.cli.core_activities import COMMANDS, DefaultListGroup
from ofsc_cli.cli.coverage import resolve_command
from ofsc_cli.client import ENDPOINTS

PREFIXES = tuple(
    f"/rest/ofscCore/v1/{p}"
    for p in ("activities", "whereIsMyTech", "events", "folders/dailyExtract", "serviceRequests")
)


def _part_a() -> set[str]:
    return {
        op.key
        for op in load_catalog().operations
        if op.family == "core" and op.path.startswith(PREFIXES)
    }


def _resolves(words: list[str]) -> bool:
    """Follow the words through the ``core`` group; the last must name a command (or a
    group whose default verb is ``list``)."""
    assert words[:2] == ["ofsc", "core"], words
    command: _click.Command = typer.main.get_command(core_cli.app)
    for word in words[2:]:
        if not isinstance(command, TyperGroup) or word not in command.commands:
            return False
        command = command.commands[word]
    if isinstance(command, DefaultListGroup):
        return "list" in command.commands
    return not isinstance(command, TyperGroup)


def test_part_a_has_52_operations() -> None:
    assert len(_part_a()) == 52


def test_every_operation_has_a_client_method() -> None:
    declared = {spec.key for spec in ENDPOINTS if spec.namespace == "core"}
    assert _part_a() - declared == set()


def test_declarations_match_the_catalog() -> None:
    catalog = load_catalog()
    for spec in ENDPOINTS:
        if spec.namespace != "core" or not spec.path.startswith(PREFIXES):
            continue
        op = catalog.get(spec.method, spec.path)
        assert op is not None, spec.key
        assert spec.query <= {p.name for p in op.query_params}, spec.key


def test_every_operation_has_a_command_that_resolves() -> None:
    assert _part_a() - set(COMMANDS) == set()
    assert set(COMMANDS) <= _part_a()
    unresolved = [line for line in COMMANDS.values() if not _resolves(line.split())]
    assert unresolved == []
    assert [line for line in COMMANDS.values() if resolve_command(line) is None] == []


def test_a_wrong_command_does_not_resolve() -> None:
    assert not _resolves(["ofsc", "core", "activities", "no-such-verb"])
    assert not _resolves(["ofsc", "core", "activities"])  # a group, not a command
