"""Core API operations: resources (``/rest/ofscCore``)."""

from __future__ import annotations

from ofsc_cli.client._endpoint import Namespace, X

__all__ = ["CoreResources"]


class CoreResources(Namespace[X]):
    namespace = "core"
