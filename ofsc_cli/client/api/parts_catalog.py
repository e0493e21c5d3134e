"""PartsCatalog API operations."""

from __future__ import annotations

from ofsc_cli.client._endpoint import Namespace, X

__all__ = ["PartsCatalog"]


class PartsCatalog(Namespace[X]):
    namespace = "parts_catalog"
