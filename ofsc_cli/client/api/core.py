"""Core API operations (``/rest/ofscCore``): one namespace made of its parts."""

from __future__ import annotations

from ofsc_cli.client._endpoint import X
from ofsc_cli.client.api.core_activities import CoreActivities
from ofsc_cli.client.api.core_resources import CoreResources

__all__ = ["Core"]


class Core(CoreActivities[X], CoreResources[X]):
    """The Core API (``client.core``): activities and resources (users, inventories…)."""

    namespace = "core"
