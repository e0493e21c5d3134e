"""``ofsc plugins``: the plugins installed beside ``ofsc`` and whether they load.

Runs no API operation (``op=None``).  Unlike every other command, ``plugins list`` imports
every plugin (command groups included) to say whether it loads; see :mod:`ofsc_cli.plugins`.
"""

from __future__ import annotations

from typing import Any

from ofsc_cli.cli.declare import Call, Command, Group, build

__all__ = ["GROUP", "app", "plugin_rows"]

COLUMNS = ("name", "kinds", "distribution", "version", "status")


def plugin_rows() -> list[dict[str, Any]]:
    """One row per plugin name of a distribution: ``name``, ``kinds`` (``commands``,
    ``middleware``, ``validators``, ``processors``), ``distribution``, ``version`` and
    ``status`` (``ok``, ``failed: REASON``, ``refused: REASON``, or ``disabled`` under
    ``OFSC_NO_PLUGINS``), sorted by distribution and name.  Never raises for a plugin's
    failure."""
    from ofsc_cli.cli._plugin_groups import load_plugin_group, refusal
    from ofsc_cli.cli.main import GROUPS
    from ofsc_cli.plugins import (
        COMMANDS_GROUP,
        DISABLE_VARIABLE,
        KINDS,
        PLUGINS_GROUP,
        PluginEntry,
        discover,
        error_text,
        load_plugins,
        plugins_disabled,
    )

    found = discover()
    disabled = plugins_disabled()
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    problems: dict[tuple[str, str], list[str]] = {}

    def row(entry: PluginEntry) -> tuple[str, str]:
        key = (entry.distribution, entry.name)
        if key not in rows:
            rows[key] = {
                "name": entry.name,
                "kinds": [],
                "distribution": entry.distribution,
                "version": entry.version,
                "status": "ok",
            }
            problems[key] = []
        return key

    taken: dict[str, PluginEntry] = {}
    for entry in found[COMMANDS_GROUP]:
        key = row(entry)
        rows[key]["kinds"].append("commands")
        if disabled:
            continue
        reason = refusal(entry, GROUPS, taken.get(entry.name))
        if reason is not None:
            problems[key].append(f"refused: {reason}")
            continue
        taken[entry.name] = entry
        try:
            load_plugin_group(entry)
        except Exception as exc:  # shown as the plugin's status
            problems[key].append(f"failed: {error_text(exc)}")
    for entry in found[PLUGINS_GROUP]:
        row(entry)
    for status in () if disabled else load_plugins(warn=False):
        key = row(status.entry)
        rows[key]["kinds"].extend(status.kinds)
        if status.error is not None:
            problems[key].append(f"failed: {status.error}")
    for key, item in rows.items():
        item["kinds"] = [kind for kind in KINDS if kind in item["kinds"]]
        if disabled:
            item["status"] = f"disabled ({DISABLE_VARIABLE})"
        elif problems[key]:
            item["status"] = "; ".join(problems[key])
    return [rows[key] for key in sorted(rows)]


def _list(call: Call) -> None:
    call.write(plugin_rows(), COLUMNS)


GROUP = Group(
    "plugins",
    "Installed plugins: command groups, middleware, validators and response processors "
    "from other distributions (entry points ofsc_cli.commands and ofsc_cli.plugins; "
    "OFSC_NO_PLUGINS=1 turns them off).",
    (
        Command(
            "list",
            "List the installed plugins: name, kinds, distribution, version and status.\n\n"
            "Each plugin is imported to tell whether it loads (ok, failed: REASON, or refused: "
            "a command group named like a built-in one).",
            ("ofsc plugins list", "ofsc plugins list -o json"),
            run=_list,
        ),
    ),
)

app = build(GROUP)
