"""The declarations of ``capacity``, ``parts-catalog``, ``collaboration``, ``sandbox`` and the
``auth`` token commands: every example parses as its own command, every operation of their
client namespaces is carried by a command, and the sandbox commands check their options."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer import _click as click
from typer.core import TyperGroup
from typer.testing import CliRunner

from ofsc_cli.cli._app import build_app
from ofsc_cli.cli._globals import FLAG_OPTIONS, VALUE_OPTIONS, hoist_global_options
from ofsc_cli.cli.declare import Command, DeclaredCommand, declarations
from ofsc_cli.client.api.capacity import Capacity
from ofsc_cli.client.api.collaboration import Collaboration
from ofsc_cli.client.api.oauth2 import OAuth2
from ofsc_cli.client.api.parts_catalog import PartsCatalog

GROUPS = ("capacity", "parts-catalog", "collaboration", "sandbox", "auth")


def _root() -> TyperGroup:
    root = typer.main.get_command(build_app())
    assert isinstance(root, TyperGroup)
    return root


def _declared() -> Iterator[tuple[str, Command]]:
    for line, declaration in declarations(_root()):
        if line.split()[1] in GROUPS:
            yield line, declaration


def _without_globals(words: list[str]) -> list[str]:
    """The words of a command line with the global options (``-o json``…) taken out."""
    hoisted = hoist_global_options(words)
    i = 0
    while i < len(hoisted):
        word = hoisted[i].split("=", 1)[0]
        if word in VALUE_OPTIONS:
            i += 1 if "=" in hoisted[i] else 2
        elif word in FLAG_OPTIONS or (word[:2] in ("-o", "-p") and len(word) > 2):
            i += 1
        else:
            break
    return hoisted[i:]


def _leaf(words: list[str]) -> tuple[str, click.Command, list[str]]:
    """The command a line of words runs, its path, and the words left for it to parse."""
    command: click.Command = _root()
    path = ["ofsc"]
    ctx = click.Context(command, info_name="ofsc")
    while isinstance(command, TyperGroup):
        name, sub, words = command.resolve_command(ctx, words)
        assert sub is not None and name is not None
        path.append(sub.name or name)
        command = sub
        ctx = click.Context(command, info_name=name, parent=ctx)
    return " ".join(path), command, words


def test_my_groups_are_declared_and_each_example_parses_as_its_own_command() -> None:
    found = dict(_declared())
    assert {line.split()[1] for line in found} == set(GROUPS)
    checked = 0
    for line, declaration in found.items():
        assert declaration.help.strip().splitlines()[0].endswith((".", ")")), line
        for example in declaration.examples:
            words = shlex.split(example)
            assert words[0] == "ofsc"
            path, command, rest = _leaf(_without_globals(words[1:]))
            assert path == line, example
            assert isinstance(command, DeclaredCommand)
            command.make_context(path, list(rest))  # raises on an unknown option or value
            checked += 1
    assert checked >= len(found)


def _keys(namespace: Any) -> set[str]:
    return {str(member.spec.key) for member in vars(namespace).values() if hasattr(member, "spec")}


@pytest.mark.parametrize(
    ("namespace", "group"),
    [
        (Capacity, "capacity"),
        (PartsCatalog, "parts-catalog"),
        (Collaboration, "collaboration"),
        (OAuth2, "auth"),
    ],
)
def test_every_operation_of_a_namespace_is_carried_by_a_command(namespace: Any, group: str) -> None:
    carried = {
        key
        for line, declaration in _declared()
        if line.split()[1] == group
        for key in declaration.op_keys
    }
    assert _keys(namespace)
    assert _keys(namespace) <= carried


def test_quota_commands_carry_both_services() -> None:
    found = dict(_declared())
    get, update = found["ofsc capacity quota get"], found["ofsc capacity quota update"]
    assert get.op_keys == (
        "GET /rest/ofscCapacity/v2/quota",
        "GET /rest/ofscCapacity/v1/quota",
    )
    assert update.op_keys == (
        "PATCH /rest/ofscCapacity/v2/quota",
        "PATCH /rest/ofscCapacity/v1/quota",
    )
    assert get.writes and update.writes  # --dry-run on both


def test_sandbox_commands_run_no_operation() -> None:
    sandbox = [d for line, d in _declared() if line.startswith("ofsc sandbox ")]
    assert sorted(d.verb for d in sandbox) == ["reset", "serve", "status"]
    assert all(d.op is None and d.run is not None and not d.writes for d in sandbox)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["reset", "--scale", "0"], "--scale"),
        (["reset", "--scale", "nan"], "not a finite number"),
        (["reset", "--today", "2026-02-30"], "is not a day like"),
        (["serve", "--port", "70000"], "65535"),
        (["serve", "--error-rate", "2"], "error_rate"),
    ],
)
def test_sandbox_bad_options_exit_2_and_create_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "sandbox.db"
    env = {"OFSC_CONFIG": str(tmp_path / "config.toml"), "OFSC_SANDBOX_DB": str(db)}
    result = CliRunner().invoke(build_app(), ["sandbox", *args], env=env)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stdout == ""
    assert not db.exists()
