"""Global options, accepted before the group and after the verb.

``ofsc -p test metadata work-zones list`` and ``ofsc metadata work-zones list -p test`` are the
same command: before click parses anything, :func:`hoist_global_options` moves every global
option it finds (and its value) to the front of the argument list, where the root callback
declares them.  Everything after ``--`` is left alone.  This module imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["FLAG_OPTIONS", "SHORT_FLAGS", "SHORT_VALUES", "VALUE_OPTIONS", "hoist_global_options"]

VALUE_OPTIONS = frozenset(
    {
        "--profile",
        "-p",
        "--output",
        "-o",
        "--fields",
        "--query",
        "--timeout",
        "--log-level",
        "--log-format",
        "--log-file",
        "--audit-log",
    }
)
FLAG_OPTIONS = frozenset(
    {
        "--debug",
        "--verbose",
        "-v",
        "--quiet",
        "-q",
        "--no-color",
        "--no-pager",
        "--version",
        "--yes-color",
    }
)
SHORT_FLAGS = frozenset("vq")
"""Letters of the global short flags, which click also takes clustered (``-vv``, ``-qv``)."""
SHORT_VALUES = frozenset("po")
"""Letters of the global short options that take a value (``-pprod``, ``-vo json``)."""


def _cluster_values(arg: str) -> int | None:
    """For a cluster of global short options (``-vv``, ``-qv``, ``-vojson``, ``-vo``): how
    many of the following arguments it takes as its value (0 or 1). ``None`` when ``arg`` is
    not such a cluster: a letter of a command's own option makes the whole word the
    command's, since it cannot be split safely (``-fvv`` may be ``-f`` with value ``vv``)."""
    if len(arg) < 3 or arg[0] != "-" or arg[1] == "-":
        return None
    for position, letter in enumerate(arg[1:], start=1):
        if letter in SHORT_VALUES:
            return 0 if position < len(arg) - 1 else 1
        if letter not in SHORT_FLAGS:
            return None
    return 0


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Return ``args`` with the global options moved to the front, order kept."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg
        if name in VALUE_OPTIONS:
            if "=" in arg and arg.startswith("--"):
                front.append(arg)
            elif i + 1 < len(args):
                front.extend(args[i : i + 2])
                i += 1
            else:
                front.append(arg)  # let click report the missing value
        elif name in FLAG_OPTIONS:
            front.append(arg)
        elif (takes := _cluster_values(arg)) is not None:
            # -vv, -qv, -pprod, -ojson, -vo json
            front.extend(args[i : i + 1 + takes])
            i += takes
        else:
            rest.append(arg)
        i += 1
    return front + rest
