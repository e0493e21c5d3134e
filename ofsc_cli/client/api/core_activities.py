"""Core API operations: activities (``/rest/ofscCore``)."""

from __future__ import annotations

from ofsc_cli.client._endpoint import Namespace, X

__all__ = ["CoreActivities"]


class CoreActivities(Namespace[X]):
    namespace = "core"
