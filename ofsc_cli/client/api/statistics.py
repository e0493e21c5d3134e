"""Statistics API operations."""

from __future__ import annotations

from ofsc_cli.client._endpoint import Namespace, X

__all__ = ["Statistics"]


class Statistics(Namespace[X]):
    namespace = "statistics"
