"""Every `ofsc ...` command line in README.md names a real command with real options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ofsc_cli.cli.reference import resolve_command
from tests.doc_commands import expand, strip_globals

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_commands() -> list[str]:
    lines: list[str] = []
    in_block = False
    generated = False  # the command index is generated from the tree (test_cli_docs)
    for raw in README.read_text().splitlines():
        if raw.startswith("<!-- commands:"):
            generated = raw.startswith("<!-- commands:start")
            continue
        if generated:
            continue
        if raw.startswith("```"):
            in_block = not in_block
            continue
        text = raw.split(" #", 1)[0].strip()
        text = re.sub(r"^scripts/bootstrap.*?&& \.venv/bin/", "", text)
        if not in_block or not text.startswith("ofsc "):
            continue
        text = re.split(r" \| | > | && ", text)[0]
        text = text.replace("[", " ").replace("]", " ").replace("...", " ")
        lines.append(" ".join(text.split()))
    return lines


COMMANDS = sorted({c for line in readme_commands() for c in expand(line)})


def test_readme_has_commands() -> None:
    assert len(COMMANDS) > 60


@pytest.mark.parametrize("line", COMMANDS)
def test_readme_command_resolves(line: str) -> None:
    words = strip_globals(line.split())
    if words[1:] in ([], ["--help"]):  # `ofsc --version`, `ofsc --help`
        return
    assert resolve_command(" ".join(words)) is not None, f"README: {line}"


@pytest.mark.parametrize(
    "line",
    [
        "ofsc metadata work-zonez list",
        "ofsc metadata work-zones list --bogus",
        "ofsc core activities bogus-verb 4225",
        "ofsc core activities get 1 --nope",
    ],
)
def test_a_wrong_line_does_not_resolve(line: str) -> None:
    assert resolve_command(line) is None
