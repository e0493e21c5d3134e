"""Every ```python block of README.md and docs/*.md runs, as written, on the built-in sandbox.

The convention for the guides (README.md, and every ``docs/*.md`` but the generated
``docs/cli.md``):

* A fenced block opened with ```` ```python ```` is a **snippet**: it runs on its own (a
  fresh namespace, nothing carried over from the block before), in-process, with the
  built-in ``sandbox`` profile working as right after install (``OFSC.from_profile("sandbox")``,
  an emulator over a fresh sandbox database seeded around today) and no config file, so any
  other profile name is unknown.  It runs in a temporary working directory: files it writes
  go there.
* Top-level ``await``, ``async with`` and ``async for`` are allowed, as in ``python -m
  asyncio``: such a block runs in an event loop.
* A block that cannot run as it is (it needs a real instance, a secret, a file of the
  reader's) has the line ``<!-- snippet: skip (reason) -->`` right before its fence, the
  reason in parentheses.  Keep those few: a snippet that runs is a snippet that stays true.
  Another language tag (```` ```sh ````, ```` ```toml ````, ```` ```text ````) is not run.

A snippet fails the test when it raises.  The test also fails for a skip marker that is not
followed by a python block, one without a reason, and when more than a quarter of the
snippets are skipped.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import logging
import os
import re
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ofsc_cli.sandbox import Store

ROOT = Path(__file__).resolve().parents[2]
GENERATED = {"cli.md"}
SKIP = re.compile(r"^<!-- snippet: skip \((?P<reason>[^)]*\S[^)]*)\) -->$")
MARKER = re.compile(r"^<!--\s*snippet\b")
FENCE = re.compile(r"^(?P<indent>\s*)```(?P<info>\S*)")


def guides() -> list[Path]:
    """README.md and the hand-written Markdown files under ``docs/``."""
    docs = sorted(p for p in (ROOT / "docs").glob("*.md") if p.name not in GENERATED)
    return [ROOT / "README.md", *docs]


@dataclass(frozen=True)
class Snippet:
    """One ```python block: where it is, its code, and why it is skipped (if it is)."""

    path: Path
    line: int
    code: str
    skip: str | None = None

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


class MarkerProblem(ValueError):
    """A skip marker that is malformed or not followed by a python block."""


def snippets(path: Path) -> Iterator[Snippet]:
    """The python blocks of one guide.  Raises :class:`MarkerProblem` for a bad marker."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    pending: tuple[int, str] | None = None
    while i < len(lines):
        text = lines[i]
        if MARKER.match(text.strip()):
            match = SKIP.match(text.strip())
            if match is None:
                raise MarkerProblem(
                    f"{path.name}:{i + 1}: write <!-- snippet: skip (reason) -->: {text.strip()}"
                )
            pending = (i + 1, match.group("reason"))
            i += 1
            continue
        fence = FENCE.match(text)
        if fence is None:
            if pending is not None and text.strip():
                raise MarkerProblem(f"{path.name}:{pending[0]}: the marker is not before a block")
            i += 1
            continue
        start, indent = i, fence.group("indent")
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith("```"):
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        if fence.group("info") == "python":
            reason = pending[1] if pending is not None and pending[0] == start else None
            if pending is not None and reason is None:
                raise MarkerProblem(f"{path.name}:{pending[0]}: the marker is not before a block")
            yield Snippet(path, start + 1, "\n".join(body) + "\n", reason)
        elif pending is not None:
            raise MarkerProblem(
                f"{path.name}:{pending[0]}: the marker is before a non-python block"
            )
        pending = None


def all_snippets() -> list[Snippet]:
    return [s for path in guides() for s in snippets(path)]


def run_snippet(snippet: Snippet) -> None:
    """Run ``snippet`` as a module of its own (an event loop for top-level ``await``)."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    code = compile(snippet.code, snippet.name, "exec", flags=flags, dont_inherit=True)
    namespace: dict[str, object] = {"__name__": "__main__"}
    if code.co_flags & inspect.CO_COROUTINE:
        asyncio.run(eval(code, namespace))
    else:
        exec(code, namespace)


@pytest.fixture(scope="module")
def sandbox_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sandbox database seeded around today, made once for the module."""
    path = tmp_path_factory.mktemp("snippets") / "template.db"
    Store.open(path, scale=0.2).close()
    return path


@pytest.fixture
def fresh_install(
    sandbox_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No config file, a fresh sandbox, caches under ``tmp_path``, logging restored after."""
    for name in [n for n in os.environ if n.startswith("OFSC_")]:
        if name not in ("OFSC_SANDBOX_STRICT", "OFSC_NO_PLUGINS"):
            monkeypatch.delenv(name)
    db = tmp_path / "sandbox.db"
    shutil.copyfile(sandbox_template, db)
    monkeypatch.setenv("OFSC_SANDBOX_DB", str(db))
    monkeypatch.setenv("OFSC_CONFIG", str(tmp_path / "config.toml"))
    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    loggers = {name: logging.getLogger(name) for name in ("ofsc_cli", "ofsc_cli.http")}
    saved = {name: (lg.level, list(lg.handlers), list(lg.filters)) for name, lg in loggers.items()}
    with warnings.catch_warnings():
        yield
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, (level, handlers, filters) in saved.items():
        loggers[name].setLevel(level)
        loggers[name].handlers[:] = handlers
        loggers[name].filters[:] = filters


SNIPPETS = all_snippets()


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.name for s in SNIPPETS])
def test_snippet_runs(snippet: Snippet, fresh_install: None) -> None:
    if snippet.skip is not None:
        pytest.skip(snippet.skip)
    run_snippet(snippet)


def test_the_guides_are_read_and_few_snippets_are_skipped() -> None:
    names = {p.name for p in guides()}
    assert {"README.md", "library.md"} <= names and "cli.md" not in names
    assert len([s for s in SNIPPETS if s.path.name == "library.md"]) >= 8
    skipped = [s.name for s in SNIPPETS if s.skip is not None]
    assert len(skipped) * 4 <= len(SNIPPETS), f"too many snippets skipped: {skipped}"


def test_markers_and_failures_are_found(tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text(
        "Text.\n\n<!-- snippet: skip (needs a prod profile) -->\n```python\nimport nowhere\n```\n\n"
        "```python\nx = 1\nraise SystemError('planted')\n```\n\n```sh\nofsc --help\n```\n"
        "\n```python\nimport asyncio\nawait asyncio.sleep(0)\n```\n",
        encoding="utf-8",
    )
    found = list(snippets(guide))
    assert [(s.line, s.skip) for s in found] == [(4, "needs a prod profile"), (8, None), (17, None)]
    with pytest.raises(SystemError, match="planted"):
        run_snippet(Snippet(ROOT / "README.md", found[1].line, found[1].code))
    run_snippet(Snippet(ROOT / "README.md", found[2].line, found[2].code))  # top-level await
    for text in (
        "<!-- snippet: skip -->\n```python\nx = 1\n```\n",  # no reason
        "<!-- snippet: skip (why) -->\n\nSome prose.\n\n```python\nx = 1\n```\n",  # not before it
        "<!-- snippet: skip (why) -->\n```sh\nls\n```\n",  # not a python block
        "<!-- snippet: skipp (why) -->\n```python\nx = 1\n```\n",  # a typo
    ):
        guide.write_text(text, encoding="utf-8")
        with pytest.raises(MarkerProblem):
            list(snippets(guide))
