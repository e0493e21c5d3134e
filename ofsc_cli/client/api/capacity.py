"""Capacity API operations (``/rest/ofscCapacity``)."""

from __future__ import annotations

from ofsc_cli.client._endpoint import Namespace, X

__all__ = ["Capacity"]


class Capacity(Namespace[X]):
    namespace = "capacity"
