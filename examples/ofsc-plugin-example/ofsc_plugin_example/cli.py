"""``ofsc example``: the command group of the example plugin (entry point
``ofsc_cli.commands``), declared like ofsc's own commands.

The command goes through the CLI's client for the chosen profile (``-p``), so the global
options, the plugin middleware, retries and error handling all apply.
"""

from __future__ import annotations

from ofsc_cli.cli.declare import Call, Command, Group, build

__all__ = ["GROUP", "app"]


def _hello(call: Call) -> None:
    """Count the profile's work zones (one small request when the server gives a total)."""
    client = call.obj.client()
    page = client.metadata.list_work_zones(limit=100)
    count = page.totalResults
    if count is None:  # no total in the answer: count them all
        count = sum(1 for _ in client.metadata.list_work_zones.iter())
    call.obj.renderer().write_object(
        {"profile": call.obj.profile_name, "workZones": count, "plugin": "ofsc-plugin-example"}
    )


GROUP = Group(
    "example",
    "Commands of the example plugin.",
    (
        Command(
            "hello",
            "Say hello with the number of work zones of the profile.",
            ("ofsc example hello", "ofsc example hello -p sandbox -o json"),
            run=_hello,
        ),
    ),
)

app = build(GROUP)
