"""Command lines written in Markdown (helpers, no tests): how README.md and the guides in
``docs/`` are read by ``tests/e2e/test_readme.py`` and ``tests/e2e/test_docs.py``."""

from __future__ import annotations

import itertools

from ofsc_cli.cli._globals import FLAG_OPTIONS, VALUE_OPTIONS, hoist_global_options

__all__ = ["expand", "strip_globals"]


def expand(line: str) -> list[str]:
    """``a|b`` alternatives in one word give one line each (option values are dropped)."""
    choices = [word.split("|") if "|" in word else [word] for word in line.split()]
    return [" ".join(words) for words in itertools.product(*choices)]


def strip_globals(words: list[str]) -> list[str]:
    """``words`` (``["ofsc", ...]``) without the global options, which every command takes."""
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
