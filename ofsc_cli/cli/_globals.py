"""Global options, accepted before the group and after the verb.

``ofsc -p test metadata work-zones list`` and ``ofsc metadata work-zones list -p test`` are the
same command: before click parses anything, :func:`hoist_global_options` moves every global
option it finds (and its value) to the front of the argument list, where the root callback
declares them.  Everything after ``--`` is left alone.  This module imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["FLAG_OPTIONS", "VALUE_OPTIONS", "hoist_global_options"]

VALUE_OPTIONS = frozenset({"--profile", "-p", "--output", "-o", "--fields", "--timeout"})
FLAG_OPTIONS = frozenset(
    {"--debug", "--verbose", "-v", "--quiet", "-q", "--no-color", "--version", "--yes-color"}
)


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
        elif len(arg) > 2 and arg[:2] in ("-p", "-o") and not arg.startswith("--"):
            front.append(arg)  # -pprod / -ojson
        elif name in FLAG_OPTIONS:
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest
