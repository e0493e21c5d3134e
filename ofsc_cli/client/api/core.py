"""Core API operations (``/rest/ofscCore``)."""

from __future__ import annotations

from ofsc_cli.client._endpoint import Namespace, X

__all__ = ["Core"]


class Core(Namespace[X]):
    namespace = "core"
