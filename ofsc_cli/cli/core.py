"""``ofsc core``: activities, resources, users, inventories, events, daily extract."""

from __future__ import annotations

from ofsc_cli.cli import core_activities, core_resources
from ofsc_cli.cli._resource import group

app = group(
    "Activities, resources, users, inventories, events and daily extracts.",
    [*core_activities.RESOURCES, *core_resources.RESOURCES],
)
core_activities.add_commands(app)
core_resources.add_commands(app)
