"""Long output on a terminal goes through a pager.

Which pager (:func:`pager_command`): ``$OFSC_PAGER``, else ``$PAGER``, else ``less -FRX`` when
``less`` is on the ``PATH``; an empty value or ``cat`` means no pager. The command line adds
the other conditions: stdout is a terminal and ``--no-pager`` was not given.

"Long" means the output no longer fits on one screen: as many lines as the terminal has rows
(the shell prompt needs one). :class:`PagedStream` holds the output back until it knows: short
output is written to the terminal as is when the renderer finishes; once it reaches a
screenful the pager is started, given what was held back, and everything after goes straight
to it. The pager's own ``stdout`` is the terminal.

Quitting the pager early (``q`` in ``less``) closes its input: the next write raises
:class:`PagerClosed`, which the renderer takes as "the reader has seen enough" and stops
writing quietly. When the renderer finishes (or fails), it waits for the pager to exit, so the
shell prompt never comes back under a running pager.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Final, TextIO

__all__ = ["DEFAULT_PAGER", "PagedStream", "Pager", "PagerClosed", "pager_command"]

DEFAULT_PAGER: Final = "less -FRX"
"""The pager used when neither ``OFSC_PAGER`` nor ``PAGER`` is set (if ``less`` is found)."""

_NO_PAGER: Final = frozenset({"cat"})


class PagerClosed(Exception):
    """The pager exited (the reader quit it) before all output was written."""


def pager_command(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """Returns the pager command as a word list, or ``None`` for no pager: ``OFSC_PAGER``, else
    ``PAGER``, else ``less -FRX`` when ``less`` is installed, read from ``environ`` (default:
    the process's environment).  An empty value, ``cat`` or unbalanced quotes mean none.
    """
    env = os.environ if environ is None else environ
    for name in ("OFSC_PAGER", "PAGER"):
        if name in env:
            text = env[name].strip()
            break
    else:
        return shlex.split(DEFAULT_PAGER) if shutil.which("less") else None
    try:
        words = shlex.split(text)
    except ValueError:  # unbalanced quotes: not a command we can run
        return None
    if not words or (len(words) == 1 and os.path.basename(words[0]) in _NO_PAGER):
        return None
    return words


class Pager:
    """Starts ``command`` for output of ``height`` lines or more.

    ``on_start`` is called when the pager is started (the command line uses it to note that
    output has begun). ``environ`` is the pager's environment (default: ours, with
    ``LESS=FRX`` added when ``LESS`` is not set).
    """

    def __init__(
        self,
        command: Sequence[str],
        height: int,
        *,
        environ: Mapping[str, str] | None = None,
        on_start: Callable[[], object] | None = None,
    ) -> None:
        self.command = list(command)
        self.height = max(1, height)
        self.on_start = on_start
        env = dict(os.environ if environ is None else environ)
        env.setdefault("LESS", "FRX")
        self.environ = env

    def open(self, target: TextIO) -> PagedStream:
        """Returns a stream that writes to ``target`` or, once the output is long, to the pager."""
        return PagedStream(self, target)


class PagedStream:
    """What a renderer writes to while a pager may be needed (see the module)."""

    def __init__(self, pager: Pager, target: TextIO) -> None:
        """Hold output for ``pager`` and write it to ``target`` (see the class)."""
        self._pager = pager
        self._target = target
        self._held: list[str] = []
        self._lines = 0
        self._process: subprocess.Popen[str] | None = None
        self._input: IO[str] | None = None
        self._direct = False
        self._closed = False
        self.encoding: str = getattr(target, "encoding", None) or "utf-8"

    @property
    def paging(self) -> bool:
        """Whether the pager was started."""
        return self._process is not None

    def isatty(self) -> bool:
        """Returns True: output is shaped for the terminal the pager shows it on."""
        return True

    def writable(self) -> bool:
        """Returns True."""
        return True

    def write(self, text: str) -> int:
        """Write ``text``: held while short, then to the pager once the output reaches the pager's
        height (or straight to the target once the stream knows no pager is needed).  Returns
        the number of characters taken.  Raises :class:`PagerClosed` once the reader has quit
        the pager.
        """
        if self._closed:
            raise PagerClosed
        if self._direct:
            return self._target.write(text)
        if self._input is not None:
            self._send(text)
            return len(text)
        self._held.append(text)
        self._lines += text.count("\n")
        if self._lines >= self._pager.height:
            self._start()
        return len(text)

    def flush(self) -> None:
        """Flush what has been sent to the pager or the target (held output stays held).  Raises
        :class:`PagerClosed` when the pager has gone.
        """
        if self._direct:
            self._target.flush()
        elif self._input is not None and not self._closed:
            try:
                self._input.flush()
            except (BrokenPipeError, ValueError):
                self._closed = True
                raise PagerClosed from None
        # While output is held back, there is nothing to flush yet.

    def _start(self) -> None:
        held, self._held = "".join(self._held), []
        try:
            self._target.flush()
            self._process = subprocess.Popen(
                self._pager.command,
                stdin=subprocess.PIPE,
                env=self._pager.environ,
                text=True,
                encoding=self.encoding,
                errors="replace",
            )
        except OSError:  # the pager cannot be run: write to the terminal instead
            self._direct = True
            self._target.write(held)
            return
        self._input = self._process.stdin
        if self._pager.on_start is not None:
            self._pager.on_start()
        self._send(held)

    def _send(self, text: str) -> None:
        assert self._input is not None
        try:
            self._input.write(text)
        except (BrokenPipeError, ValueError):
            self._closed = True
            raise PagerClosed from None

    def close(self) -> None:
        """Write what is held back, or end the pager's input and wait for it to exit."""
        if self._process is None:
            if self._held:
                held, self._held = "".join(self._held), []
                self._target.write(held)
            self._target.flush()
            return
        if self._input is not None:
            with contextlib.suppress(OSError, ValueError):  # the pager quit first
                self._input.close()
        self._closed = True
        while True:
            try:
                self._process.wait()
                break
            except KeyboardInterrupt:
                continue  # Ctrl-C is the pager's to handle; keep waiting for it
