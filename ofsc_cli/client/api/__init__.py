"""The operation namespaces, each declared once for both clients (see ``_endpoint.py``).

Modules are imported on first use (``from ofsc_cli.client.api import Core``), so that a
command loads only the API family it calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ofsc_cli.client.api.capacity import Capacity
    from ofsc_cli.client.api.collaboration import Collaboration
    from ofsc_cli.client.api.core import Core
    from ofsc_cli.client.api.metadata import Metadata
    from ofsc_cli.client.api.oauth2 import OAuth2
    from ofsc_cli.client.api.parts_catalog import PartsCatalog
    from ofsc_cli.client.api.statistics import Statistics

MODULES = {
    "Capacity": "capacity",
    "Collaboration": "collaboration",
    "Core": "core",
    "Metadata": "metadata",
    "OAuth2": "oauth2",
    "PartsCatalog": "parts_catalog",
    "Statistics": "statistics",
}

__all__ = ["Capacity", "Collaboration", "Core", "Metadata", "OAuth2", "PartsCatalog", "Statistics"]


def load_all() -> None:
    """Import every namespace (fills ``ENDPOINTS``)."""
    for module in MODULES.values():
        importlib.import_module(f"{__name__}.{module}")


def __getattr__(name: str) -> Any:
    if name in MODULES:
        return getattr(importlib.import_module(f"{__name__}.{MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
