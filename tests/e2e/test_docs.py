"""The guides in ``docs/*.md`` name only commands, options, keys and variables that exist.

``docs/cli.md`` is generated from the command tree and has its own drift test
(``tests/cli/test_cli_docs.py``); every other Markdown file under ``docs/`` is read here.

What counts as what:

* A **command line** is a line of a fenced code block that starts with ``ofsc `` (a trailing
  ``# comment`` and whatever follows ``|``, ``>`` or ``&&`` are dropped), or an inline code
  span that starts with ``ofsc ``.  It must run ``--help`` successfully in-process (so every
  group and command on the path exists, and every ``--option`` written is known there: click
  refuses an unknown one before it shows help), and a line that ends on a command (not a
  group) must also resolve with :func:`ofsc_cli.cli.reference.resolve_command`.
  ``a|b`` in a word of a line gives one line per alternative.
* A **profile key** is recognised three ways, all of which must name a key of
  :data:`ofsc_cli.config.settings.PROFILE_KEYS` (``default_profile``, the file's top-level
  key, also counts where a setting is written): an inline code span of the form
  ``key = value`` (the way the guides write a setting, as in ``config.toml``); the ``KEY``
  of an ``ofsc config set KEY VALUE`` or ``ofsc config unset KEY`` line; and any inline
  code span that is one snake_case word with an underscore (``max_retry_delay``), unless
  it is one of the few such words in :data:`NOT_KEYS` (attribute names of the library).
  Single words without an underscore (``instance``, ``timeout``) are too common to tell
  apart: the guides write those as ``key = value`` to have them checked.
* An **environment variable** ``OFSC_*`` in a code span must be one the code reads: a value
  of :data:`~ofsc_cli.config.settings.ENV_VARS` or a name written in the package's source.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ofsc_cli
from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.reference import resolve_command
from ofsc_cli.config.settings import ENV_VARS, PROFILE_KEYS
from tests.doc_commands import expand, strip_globals

DOCS = Path(__file__).resolve().parents[2] / "docs"
GENERATED = {"cli.md"}
NOT_KEYS = frozenset({"status_code", "is_not_found", "last_error", "error_code"})
"""snake_case words the guides put in code spans that are attributes, not profile keys."""
FILE_KEYS = frozenset({*PROFILE_KEYS, "default_profile"})

SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
SETTING = re.compile(r"^([a-z][a-z0-9_]*) = \S")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
ENV = re.compile(r"\bOFSC_[A-Z0-9_]+\b")


def guides() -> list[Path]:
    """The hand-written Markdown files under ``docs/``."""
    return sorted(p for p in DOCS.glob("*.md") if p.name not in GENERATED)


def split_blocks(text: str) -> tuple[list[str], str]:
    """The lines of fenced code blocks, and the prose with those blocks removed."""
    block_lines: list[str] = []
    prose: list[str] = []
    in_block = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        (block_lines if in_block else prose).append(line)
    return block_lines, "\n".join(prose)


def spans(prose: str) -> list[str]:
    """The inline code spans of ``prose`` (a span may wrap onto the next line)."""
    found = []
    for match in SPAN.finditer(prose):
        text = " ".join(match.group(2).split())
        found.append(text)
    return found


def command_lines(path: Path) -> list[str]:
    """Every ``ofsc ...`` command line of one guide (see the module docstring)."""
    blocks, prose = split_blocks(path.read_text(encoding="utf-8"))
    lines = []
    for raw in blocks:
        text = raw.split(" #", 1)[0].strip()
        if text.startswith("ofsc "):
            lines.append(text)
    lines += [s for s in spans(prose) if s.startswith("ofsc ")]
    found = []
    for line in lines:
        found += expand(re.split(r" \| | > | && ", line)[0])
    return found


def all_command_lines() -> list[tuple[str, str]]:
    return sorted({(p.name, line) for p in guides() for line in command_lines(p)})


def command_problem(line: str, tmp_path: Path) -> str | None:
    """Why ``line`` does not name a real command with real options, or ``None``."""
    words = shlex.split(line)
    env = {"OFSC_CONFIG": str(tmp_path / "config.toml"), "OFSC_PROFILE": None, "NO_COLOR": "1"}
    result = CliRunner().invoke(build_app(), [*words[1:], "--help"], env=env)
    if result.exit_code != 0:
        return f"--help exits {result.exit_code}: {(result.stderr or result.stdout).strip()}"
    plain = strip_globals(words)
    if "\nCommands:" in result.stdout:  # the line names a group
        if any(w.startswith("-") for w in plain[1:]):
            return "options after a group"
        return None
    if resolve_command(" ".join(plain)) is None:
        return "does not resolve to a command with these options"
    return None


def key_mentions(path: Path) -> list[str]:
    """Every profile key one guide names (see the module docstring)."""
    blocks, prose = split_blocks(path.read_text(encoding="utf-8"))
    keys = []
    for span in spans(prose):
        if match := SETTING.match(span):
            keys.append(match.group(1))
        elif SNAKE.match(span) and span not in NOT_KEYS:
            keys.append(span)
    for line in [*blocks, *spans(prose)]:
        words = line.split()
        if words[:3] in (["ofsc", "config", "set"], ["ofsc", "config", "unset"]) and len(words) > 3:
            keys.append(words[3])
    return keys


def known_variables() -> set[str]:
    source = Path(ofsc_cli.__file__).parent
    names = set(ENV_VARS.values())
    for file in source.rglob("*.py"):
        names.update(ENV.findall(file.read_text(encoding="utf-8")))
    return names


def test_the_guides_are_read() -> None:
    names = [p.name for p in guides()]
    assert "troubleshooting.md" in names
    assert "cli.md" not in names
    lines = [line for name, line in all_command_lines() if name == "troubleshooting.md"]
    assert len(lines) > 20
    assert "ofsc auth logout --all" in lines


@pytest.mark.parametrize(("guide", "line"), all_command_lines())
def test_command_line_exists(guide: str, line: str, tmp_path: Path) -> None:
    problem = command_problem(line, tmp_path)
    assert problem is None, f"{guide}: {line}: {problem}"


def test_profile_keys_exist() -> None:
    unknown = sorted(
        {(p.name, key) for p in guides() for key in key_mentions(p) if key not in FILE_KEYS}
    )
    assert not unknown, f"not profile keys: {unknown}"


def test_environment_variables_exist() -> None:
    known = known_variables()
    unknown = sorted(
        {
            (p.name, name)
            for p in guides()
            for span in spans(split_blocks(p.read_text(encoding="utf-8"))[1])
            for name in ENV.findall(span)
            if name not in known
        }
    )
    assert not unknown, f"variables ofsc does not read: {unknown}"


@pytest.mark.parametrize(
    "line",
    [
        "ofsc auth logoff",
        "ofsc metadata work-zonez list",
        "ofsc metadata work-zones list --bogus",
        "ofsc sandbox reset --scale 2 --nope",
    ],
)
def test_a_wrong_command_line_is_found(line: str, tmp_path: Path) -> None:
    assert command_problem(line, tmp_path) is not None


def test_a_wrong_key_is_found(tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text(
        "Set `max_retry = 3` or `circuit_threshold`, or run\n\n```sh\n"
        "ofsc config set retries 6 -p prod\n```\n\nbut `max_retries = 3` and"
        " `status_code` are fine.\n",
        encoding="utf-8",
    )
    unknown = [k for k in key_mentions(guide) if k not in FILE_KEYS]
    assert unknown == ["max_retry", "circuit_threshold", "retries"]
