"""The command reference: docs/cli.md and README's command index are current, and every
command's --help ends with examples from its declaration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ofsc_cli.cli.declare import DeclaredCommand
from ofsc_cli.cli.reference import commands, help_text

ROOT = Path(__file__).resolve().parents[2]


def test_docs_and_readme_index_are_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_command_is_declared_and_its_help_ends_with_examples() -> None:
    leaves = [(line, c) for line, c in commands(hidden=True) if not hasattr(c, "commands")]
    assert len(leaves) > 200
    undeclared = [line for line, c in leaves if not isinstance(c, DeclaredCommand)]
    assert undeclared == []
    for line, command in leaves:
        text = help_text(line, command).rstrip()
        assert "Examples:" in text, line
        last = text.splitlines()[-1].strip()
        assert last.startswith("ofsc ") and last in command.declaration.examples, line


def test_every_group_lists_its_commands_with_one_line_each() -> None:
    for line, command in commands():
        subs = getattr(command, "commands", None)
        if not subs:
            continue
        text = help_text(line, command)
        for name, sub in subs.items():
            if sub.hidden or sub.name != name:
                continue
            row = next((r for r in text.splitlines() if r.strip().startswith(name + " ")), None)
            assert row is not None, f"{line}: {name} not listed"
