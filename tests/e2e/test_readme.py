"""Every `ofsc ...` command line in README.md names a real command with real options."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from ofsc_cli.cli._globals import FLAG_OPTIONS, VALUE_OPTIONS, hoist_global_options
from ofsc_cli.cli.reference import resolve_command

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


def expand(line: str) -> list[str]:
    """``a|b`` alternatives in one word give one line each (option values are dropped)."""
    choices = [word.split("|") if "|" in word else [word] for word in line.split()]
    return [" ".join(words) for words in itertools.product(*choices)]


def strip_globals(words: list[str]) -> list[str]:
    hoisted = hoist_global_options(words[1:])
    rest: list[str] = []
    skip = False
    for i, word in enumerate(hoisted):
        if skip:
            skip = False
            continue
        name = word.split("=", 1)[0]
        if name in VALUE_OPTIONS and "=" not in word and i < len(hoisted) - 1:
            skip = True
        elif name in VALUE_OPTIONS or name in FLAG_OPTIONS or word[:2] in ("-p", "-o"):
            continue
        else:
            rest.append(word)
    return ["ofsc", *rest]


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
