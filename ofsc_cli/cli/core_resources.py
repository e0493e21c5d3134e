"""``ofsc core`` commands: resources."""

from __future__ import annotations

import typer

from ofsc_cli.cli._resource import Resource

RESOURCES: list[Resource] = []


def add_commands(app: typer.Typer) -> None:
    """Add the hand-written commands of this part to the ``core`` group."""
