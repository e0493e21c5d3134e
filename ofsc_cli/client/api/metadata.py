"""Metadata API operations (``/rest/ofscMetadata``)."""

from __future__ import annotations

from ofsc_cli.client._endpoint import Args, Namespace, X, endpoint, paged
from ofsc_cli.models.metadata import WorkZone

__all__ = ["Metadata"]

V1 = "/rest/ofscMetadata/v1"


class Metadata(Namespace[X]):
    namespace = "metadata"

    @paged("GET", f"{V1}/workZones", item=WorkZone)
    def list_work_zones(self, *, offset: int | None = None, limit: int | None = None) -> Args:
        """Work zones, one page (``.iter()`` for all)."""
        return Args(query={"offset": offset, "limit": limit})

    @endpoint("GET", f"{V1}/workZones/{{label}}", response=WorkZone)
    def get_work_zone(self, label: str) -> Args:
        """One work zone by label."""
        return Args(path={"label": label})
