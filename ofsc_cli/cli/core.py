"""``ofsc core``: activities, resources, users, inventories, events, daily extract.

The declarations come from :mod:`~ofsc_cli.cli.core_activities` and
:mod:`~ofsc_cli.cli.core_resources` (each exports ``DECLARED``)."""

from __future__ import annotations

from ofsc_cli.cli import core_activities, core_resources
from ofsc_cli.cli.declare import Group, build

__all__ = ["GROUP", "app"]

GROUP = Group(
    "core",
    "Activities, resources, users, inventories, events and daily extracts.",
    (*core_activities.DECLARED, *core_resources.DECLARED),
)

app = build(GROUP)
