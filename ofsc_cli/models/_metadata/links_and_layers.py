"""Activity link templates and custom map layers.

Part of :mod:`ofsc_cli.models.metadata`: import the models from there.
"""

from __future__ import annotations

from typing import Any, Literal

from ofsc_cli.models._base import OFSModel, OpenEnum
from ofsc_cli.models._metadata._common import Status, Translations

__all__ = [
    "LinkTemplate",
    "LinkTemplateBody",
    "MapLayer",
    "MapLayerBody",
    "PopulateLayersRequest",
]


LinkType = OpenEnum[Literal["finishToStart", "startToStart", "simultaneous", "related"]]


LinkInterval = OpenEnum[Literal["unlimited", "adjustable", "nonAdjustable"]]


class LinkTemplate(OFSModel):
    """A link template.  The spec leaves ``linkType`` and the intervals untyped; tenants
    use the values of :data:`LinkType` and :data:`LinkInterval`, with integer
    ``minIntervalValue``/``maxIntervalValue``."""

    label: str | None = None
    reverseLabel: str | None = None
    linkType: LinkType | None = None
    active: bool | None = None
    minInterval: LinkInterval | None = None
    minIntervalValue: int | None = None
    maxInterval: LinkInterval | None = None
    maxIntervalValue: int | None = None
    schedulingConstraint: OpenEnum[Literal["sameDay", "differentDays"]] | None = None
    assignmentConstraint: OpenEnum[Literal["sameResource", "differentResources"]] | None = None
    translations: Translations | None = None


class LinkTemplateBody(LinkTemplate):
    """A link template as a write body (required fields enforced)."""

    label: str
    linkType: LinkType
    active: bool
    translations: Translations


class MapLayer(OFSModel):
    """A custom map layer and how its shapes are shown."""

    label: str | None = None
    status: Status | None = None
    text: str | None = None
    shapeTitleColumn: str | None = None
    tableColumns: list[str] | None = None
    shapeHintColumns: list[dict[str, Any]] | None = None
    shapeHintButton: dict[str, Any] | None = None
    translations: Translations | None = None


class MapLayerBody(MapLayer):
    """A map layer as a write body (``label`` required)."""

    label: str


class PopulateLayersRequest(OFSModel):
    """Where OFS downloads a custom map layer from (a zip at an HTTPS URL)."""

    URL: str
    authentication: dict[str, Any]
    layerLabel: str
    SRID: int
    shapeTitleColumn: str | None = None
    shapeHintColumns: list[dict[str, Any]] | None = None
    shapeHintButton: dict[str, Any] | None = None
