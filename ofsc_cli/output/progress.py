"""Progress bars and spinners for people watching a terminal, drawn on stderr.

Both context managers take ``enabled``; the command line passes "stderr is a TTY and
``--quiet`` was not given". When disabled they yield an object with the same methods that
does nothing and writes nothing, so commands never branch on it. rich is imported only when
something is drawn.

The live display never captures stdout, so data written there while a bar is shown is not
moved to stderr. When drawing on ``sys.stderr`` itself, other stderr writes (warnings, hints)
appear above the bar instead of breaking it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID
    from rich.spinner import Spinner

__all__ = ["ProgressReporter", "StatusReporter", "progress", "status"]


class ProgressReporter(Protocol):
    """What :func:`progress` yields."""

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more units of work as done."""

    def update(self, *, total: int | None = None, description: str | None = None) -> None:
        """Set a newly known ``total`` (e.g. once the first page reports it) or a new
        ``description``; ``None`` leaves either as it is.
        """


class StatusReporter(Protocol):
    """What :func:`status` yields."""

    def update(self, message: str) -> None:
        """Replace the text next to the spinner with ``message``."""


class _Silent:
    """The disabled reporter: accepts every call and draws nothing."""

    def advance(self, n: int = 1) -> None:
        """Do nothing."""

    def update(
        self,
        message: str | None = None,
        *,
        total: int | None = None,
        description: str | None = None,
    ) -> None:
        """Do nothing."""


class _BarReporter:
    def __init__(self, bar: Progress, task: TaskID) -> None:
        self._bar = bar
        self._task = task

    def advance(self, n: int = 1) -> None:
        self._bar.advance(self._task, n)

    def update(self, *, total: int | None = None, description: str | None = None) -> None:
        if total is not None:
            self._bar.update(self._task, total=total)
        if description is not None:
            self._bar.update(self._task, description=description)


class _SpinnerReporter:
    def __init__(self, spinner: Spinner) -> None:
        self._spinner = spinner

    def update(self, message: str) -> None:
        from rich.text import Text

        self._spinner.update(text=Text(message))


def _console(stream: TextIO, color: bool) -> Console:
    from rich.console import Console

    return Console(
        file=stream,
        force_terminal=True,
        color_system="auto" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
    )


@contextmanager
def progress(
    total: int | None,
    description: str,
    *,
    enabled: bool,
    stream: TextIO | None = None,
    color: bool = True,
) -> Iterator[ProgressReporter]:
    """Show a progress bar with ``description`` on ``stream`` (default stderr) while the block
    runs, when ``enabled`` (else nothing is shown); ``color`` allows colours.  Yields the
    :class:`ProgressReporter` to count the work with.

    ``total`` may be ``None`` while unknown (the bar then pulses) and set later with
    ``update(total=...)``. The bar is removed when the block ends.
    """
    if not enabled:
        yield _Silent()
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    target = sys.stderr if stream is None else stream
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console(target, color),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=target is sys.stderr,
    )
    with bar:
        yield _BarReporter(bar, bar.add_task(description, total=total))


@contextmanager
def status(
    message: str,
    enabled: bool,
    *,
    stream: TextIO | None = None,
    color: bool = True,
) -> Iterator[StatusReporter]:
    """Show a spinner with ``message`` on ``stream`` (default stderr) while the block runs, when
    ``enabled`` (else nothing is shown); ``color`` allows colours.  Yields the
    :class:`StatusReporter` that changes the message.
    """
    if not enabled:
        yield _Silent()
        return
    from rich.live import Live
    from rich.spinner import Spinner
    from rich.text import Text

    target = sys.stderr if stream is None else stream
    spinner = Spinner("dots", text=Text(message))
    live = Live(
        spinner,
        console=_console(target, color),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=target is sys.stderr,
        refresh_per_second=12.5,
    )
    with live:
        yield _SpinnerReporter(spinner)
