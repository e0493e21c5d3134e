"""Metadata API models (``/rest/ofscMetadata``)."""

from __future__ import annotations

from ofsc_cli.models._base import OFSModel, Translation

__all__ = ["WorkZone"]


class WorkZone(OFSModel):
    workZoneLabel: str | None = None
    workZoneName: str | None = None
    status: str | None = None
    travelArea: str | None = None
    keys: list[str] | None = None
    shapes: list[str] | None = None
    translations: list[Translation] | None = None
