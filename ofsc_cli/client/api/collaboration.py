"""Collaboration API operations."""

from __future__ import annotations

from ofsc_cli.client._endpoint import Namespace, X

__all__ = ["Collaboration"]


class Collaboration(Namespace[X]):
    namespace = "collaboration"
