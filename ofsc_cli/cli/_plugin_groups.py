"""Command groups of plugins (entry-point group ``ofsc_cli.commands``), loaded like the
built-in groups: known by name without importing them, imported when one runs.

The root group asks here only for a name that is not built-in, and while it lists its
commands (``--help``, shell completion): ``--version`` and built-in groups never read the
entry points.  See :mod:`ofsc_cli.plugins` for the contract.
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from typing import Any

from typer import _click

from ofsc_cli.plugins import COMMANDS_GROUP, PluginEntry, entries, failure_message

__all__ = [
    "as_click_command",
    "help_line",
    "load_plugin_group",
    "plugin_command",
    "plugin_groups",
    "refusal",
]

_groups: dict[str, PluginEntry] | None = None
_refused: dict[tuple[str, str, str], str] = {}
_loaded: dict[str, _click.Command | None] = {}
_warned: set[str] = set()


def _warn(message: str) -> None:
    """One ``ofsc: warning:`` line on stderr, once per process."""
    if message in _warned:
        return
    _warned.add(message)
    sys.stderr.write(f"ofsc: warning: {message}\n")
    sys.stderr.flush()


def refusal(entry: PluginEntry, reserved: Collection[str], taken: PluginEntry | None) -> str | None:
    """Why ``entry`` cannot be a command group (a built-in name, or one another plugin took
    first), or ``None``."""
    if entry.name in reserved:
        return f"'{entry.name}' is a built-in command group"
    if taken is not None and taken != entry:
        return f"'{entry.name}' is already the group of {taken.distribution}"
    return None


def plugin_groups(reserved: Collection[str], *, warn: bool = True) -> dict[str, PluginEntry]:
    """Plugin command groups by name (entry points read once per process), without those
    whose name is ``reserved`` or already taken: each of those warns once (with ``warn``)."""
    global _groups
    if _groups is None:
        groups: dict[str, PluginEntry] = {}
        for entry in entries(COMMANDS_GROUP):
            reason = refusal(entry, reserved, groups.get(entry.name))
            if reason is not None:
                _refused[(entry.distribution, entry.name, entry.value)] = reason
                continue
            groups[entry.name] = entry
        _groups = groups
    if warn:
        for (dist, _, value), reason in _refused.items():
            _warn(f"plugin {dist}: command group {value} refused: {reason}")
    return _groups


def as_click_command(target: Any, name: str) -> _click.Command:
    """The click command of a plugin's group: a ``typer.Typer``, a click command, or an
    :class:`ofsc_cli.cli.declare.Group` (built here if it was not).  Raises
    :class:`TypeError` for anything else."""
    import typer

    from ofsc_cli.cli.declare import Group, build

    if isinstance(target, _click.Command):
        command = target
    elif isinstance(target, typer.Typer):
        command = typer.main.get_command(target)
    elif isinstance(target, Group):
        command = build(target)
    else:
        raise TypeError(
            f"{type(target).__name__} is not a typer app, a click command or an ofsc Group"
        )
    command.name = name
    return command


def load_plugin_group(entry: PluginEntry) -> _click.Command:
    """Import ``entry``'s module and return its click command.  Raises what importing it
    raises, and :class:`TypeError` for a target of the wrong kind."""
    return as_click_command(entry.load(default="app"), entry.name)


def plugin_command(name: str, reserved: Collection[str], *, listing: bool) -> _click.Command | None:
    """The plugin group called ``name``, or ``None``: a placeholder with its help line while
    listing, else the group itself, imported on first use.  A group that fails to load
    warns once (``plugin NAME (DIST VERSION) failed to load: …``) and is ``None``."""
    entry = plugin_groups(reserved).get(name)
    if entry is None:
        return None
    if listing:
        from typer.core import TyperCommand

        text = help_line(entry)
        return TyperCommand(name, help=text, short_help=text)
    if name not in _loaded:
        try:
            _loaded[name] = load_plugin_group(entry)
        except Exception as exc:  # a plugin's failure is reported, never raised
            _loaded[name] = None
            _warn(failure_message(entry, exc))
    return _loaded[name]


def help_line(entry: PluginEntry) -> str:
    """The line ``ofsc --help`` shows for a plugin group (its distribution's summary)."""
    summary = entry.summary.rstrip(".") or "Commands"
    return f"{summary} (plugin {entry.distribution})."
