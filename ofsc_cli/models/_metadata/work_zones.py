"""Work zones and the work zone key.

Part of :mod:`ofsc_cli.models.metadata`: import the models from there.
"""

from __future__ import annotations

from typing import Any

from ofsc_cli.models._base import OFSModel
from ofsc_cli.models._metadata._common import Status, Translations

__all__ = [
    "PopulateShapesRequest",
    "WorkZone",
    "WorkZoneBody",
    "WorkZoneKey",
    "WorkZoneKeyElement",
    "WorkZones",
]


class WorkZone(OFSModel):
    """A work zone: the area a resource serves, matched to activities by its ``keys``."""

    workZoneLabel: str | None = None
    workZoneName: str | None = None
    status: Status | None = None
    travelArea: str | None = None
    keys: list[str] | None = None
    shapes: list[str] | None = None
    organization: str | None = None
    translations: Translations | None = None


class WorkZoneBody(WorkZone):
    """A work zone as written (create or replace)."""

    workZoneLabel: str
    workZoneName: str
    travelArea: str


class WorkZones(OFSModel):
    """The body of the collection-wide replace and update of work zones."""

    items: list[WorkZoneBody]


class WorkZoneKeyElement(OFSModel):
    """One element of the work zone key: which activity field, how much of it, in which order."""

    label: str | None = None
    length: int | None = None
    function: str | None = None
    order: int | None = None
    apiParameterName: str | None = None


class WorkZoneKey(OFSModel):
    """The work zone key: the ``current`` elements and the ``pending`` ones (applied later)."""

    current: list[WorkZoneKeyElement] | None = None
    pending: list[WorkZoneKeyElement] | None = None


class PopulateShapesRequest(OFSModel):
    """Where OFS downloads work-zone shapes from (a zip at an HTTPS URL)."""

    URL: str
    authentication: dict[str, Any]
    shapeIdentifierColumn: str
    shapeAreaColumn: str | None = None
    SRID: int
