"""The bad-input corpus harness (helpers, no tests).

Each ``tests/test_bad_inputs_*.py`` module holds a list of :class:`Case` and one parametrised
test that hands each to :func:`check`.  A case is a command line, an optional setup (files,
environment), the documented exit code it must give, and what else must hold:

- one line on stderr (the error message, or the parser's usage block that ends in one
  ``Error:`` line; ``stderr_has`` must occur in it), no traceback;
- nothing half-written: no new or changed file in the test's directory apart from the
  cache and what ``setup`` itself created (unless ``writes`` says the command may write);
- ``sends_nothing``: the emulator receives no request at all (usage errors are found first).

Run in-process against the session's served emulator, so the corpus stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from served_cli import Cli

from ofsc_cli.sandbox import ServerHandle

__all__ = ["Case", "check", "count_cases"]

Setup = Callable[[Path], dict[str, str] | None]


@dataclass(frozen=True)
class Case:
    """One bad input: ``argv`` must exit ``code`` with one clean line on stderr."""

    id: str
    argv: tuple[str, ...]
    code: int
    setup: Setup | None = None
    input: str | None = None
    stderr_has: str | None = None
    sends_nothing: bool = True
    writes: bool = False
    one_line: bool = True
    env: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.id


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    seen: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        if rel == "cache" or rel.startswith("cache" + os.sep):
            dirnames[:] = []
            continue
        for name in filenames:
            path = Path(dirpath, name)
            try:
                st = path.stat()
            except OSError:
                continue
            seen[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return seen


def check(case: Case, server: ServerHandle, tmp_path: Path) -> None:
    """Run ``case`` against ``server`` and assert everything the corpus promises."""
    extra = dict(case.env)
    if case.setup is not None:
        extra.update(case.setup(tmp_path) or {})
    cli = Cli(server, tmp_path, **extra)
    before = _snapshot(tmp_path)
    requests_before = server.emulator.stats["requests"]
    result = cli(*case.argv, input=case.input)
    stderr = result.stderr
    where = f"{case.id}: exit {result.exit_code}\nstdout: {result.stdout!r}\nstderr: {stderr!r}"
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), f"{where}\nraised {exc!r}"
    assert "Traceback" not in stderr, where
    assert result.exit_code == case.code, where
    lines = [line for line in stderr.splitlines() if line.strip()]
    if case.one_line:
        # One line of ours, or the parser's usage block with its error.
        usage = bool(lines) and lines[0].startswith("Usage:") and "Error" in stderr
        assert len(lines) == 1 or usage, where
    else:
        assert lines, where
    if case.stderr_has is not None:
        assert case.stderr_has.lower() in stderr.lower(), where
    if case.sends_nothing:
        sent = server.emulator.stats["requests"] - requests_before
        assert sent == 0, f"{where}\n{sent} request(s) sent"
    if not case.writes:
        after = _snapshot(tmp_path)
        assert after == before, (
            f"{where}\nfiles changed: {set(after.items()) ^ set(before.items())}"
        )


def count_cases(*modules: object) -> int:
    """How many cases the given corpus modules hold (for the closing report)."""
    return sum(len(getattr(m, "CASES", ())) for m in modules)
