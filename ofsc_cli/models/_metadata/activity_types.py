"""Activity types and their groups.

Part of :mod:`ofsc_cli.models.metadata`: import the models from there.
"""

from __future__ import annotations

from ofsc_cli.models._base import OFSModel
from ofsc_cli.models._metadata._common import LabelRef, Translations

__all__ = [
    "ActivityType",
    "ActivityTypeBody",
    "ActivityTypeGroup",
]


class ActivityTypeGroup(OFSModel):
    """A group of activity types: ``name`` (in the requested language) and
    ``activityTypes`` (``[{"label": ...}]``) as tenants send them."""

    label: str | None = None
    name: str | None = None
    activityTypes: list[LabelRef] | None = None
    translations: Translations | None = None


class ActivityType(OFSModel):
    """An activity type: its label, group, default duration, features and colours."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    groupLabel: str | None = None
    defaultDuration: int | None = None
    features: dict[str, bool] | None = None
    colors: dict[str, str] | None = None
    timeSlots: list[LabelRef] | None = None
    segmentMinDuration: int | None = None
    segmentMaxDuration: int | None = None
    translations: Translations | None = None


class ActivityTypeBody(ActivityType):
    """An activity type as a write body (required fields enforced)."""

    active: bool
    groupLabel: str
    defaultDuration: int
