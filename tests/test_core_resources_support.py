"""Helpers shared by the ``test_core_resources_*`` tests: the CLI over a served emulator
(see :mod:`served_cli`) and extra resources in its store.

Imported by those modules; it holds no tests itself.
"""

from __future__ import annotations

from typing import Any

from served_cli import Cli

from ofsc_cli.sandbox import ServerHandle

__all__ = ["Cli", "seed_resources"]


def seed_resources(server: ServerHandle, count: int, parent: str = "BK_NORTH_A") -> list[str]:
    """Add ``count`` technicians to the served emulator's store; their ids, in stored order."""
    ids = [f"XT-{i:05d}" for i in range(count)]
    rows: list[tuple[str | int, Any, str | None]] = [
        (
            rid,
            {
                "resourceId": rid,
                "resourceInternalId": 9_000_000 + i,
                "parentResourceId": parent,
                "resourceType": "PR",
                "name": f"Extra tech {i}",
                "status": "active",
                "language": "en",
                "timeZone": "Eastern",
            },
            parent,
        )
        for i, rid in enumerate(ids)
    ]
    server.emulator.store.bulk_put("resources", rows)
    return ids
