"""Every Core operation of part A (activities and what hangs off them, events, daily extract,
service requests, where-is-my-tech) has a client method and an ``ofsc`` command, found by
walking the declared ``core`` commands (each carries the keys of the operations it runs)."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

import ofsc_cli.client  # noqa: F401  (declares every namespace)
from ofsc_cli.catalog import load_catalog
from ofsc_cli.cli import core as core_cli
from ofsc_cli.cli import core_activities
from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.declare import Command, Group, build, declarations
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


def _module_commands() -> dict[str, list[str]]:
    """Operation key -> the command lines of this module's declarations that run it."""
    found: dict[str, list[str]] = {}
    for item in core_activities.DECLARED:
        built = build(item) if isinstance(item, Group) else build(Group("x", "x", (item,)))
        prefix = f"ofsc core {item.name}" if isinstance(item, Group) else "ofsc core"
        for line, declaration in declarations(built, prefix):
            for key in declaration.op_keys:
                found.setdefault(key, []).append(line)
    return found


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


def test_every_operation_has_a_command_and_every_command_an_operation() -> None:
    commands = _module_commands()
    assert _part_a() - set(commands) == set()
    assert set(commands) <= _part_a()


def test_the_command_lines_are_those_of_the_real_tree() -> None:
    """Each declaration is found under ``ofsc core`` by the line it was found by here."""
    real = dict(declarations(typer.main.get_command(build_app())))
    for key, lines in _module_commands().items():
        for line in lines:
            assert line in real, (key, line)
            assert key in real[line].op_keys, (key, line)


def test_every_command_runs_its_help_with_an_example() -> None:
    """``--help`` of every declared command works and ends with its own examples."""
    mine = {line for lines in _module_commands().values() for line in lines}
    lines = [
        (line, d) for line, d in declarations(build(core_cli.GROUP), "ofsc core") if line in mine
    ]
    assert len(lines) == len(mine) > 40
    runner = CliRunner()
    for line, declaration in lines:
        assert declaration.examples and declaration.help.strip(), line
        result = runner.invoke(build_app(), [*line.split()[1:], "--help"])
        assert result.exit_code == 0, (line, result.output)
        assert "Examples:" in result.output, line
        for example in declaration.examples:
            assert example.startswith(line.rsplit(" ", 1)[0]), (line, example)
            assert example.split()[-1] in result.output, (line, example)


def test_default_verb_groups_list_without_the_verb() -> None:
    groups = [
        item
        for item in core_activities.ACTIVITIES.commands
        if isinstance(item, Group) and item.default is not None
    ]
    assert {g.name for g in groups} >= {"links", "required-inventories", "resource-preferences"}
    for group in groups:
        verbs = {c.verb for c in group.commands if isinstance(c, Command)}
        assert group.default in verbs, group.name


def test_a_wrong_command_does_not_resolve() -> None:
    real = dict(declarations(typer.main.get_command(build_app())))
    assert "ofsc core activities no-such-verb" not in real
    assert "ofsc core activities" not in real  # a group, not a command
    assert "ofsc core activities links list" in real
