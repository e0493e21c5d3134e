"""Languages, non-working reasons, resource types, organizations and shifts.

Part of :mod:`ofsc_cli.models.metadata`: import the models from there.
"""

from __future__ import annotations

from ofsc_cli.models._base import OFSModel
from ofsc_cli.models._metadata._common import Translations
from ofsc_cli.models._metadata.capacity import OrganizationType

__all__ = [
    "Language",
    "NonWorkingReason",
    "Organization",
    "ResourceType",
    "Shift",
    "ShiftBody",
]


class Language(OFSModel):
    """A language; tenants add ``code`` (the ISO code, e.g. ``en-US``) to the spec's fields."""

    label: str | None = None
    code: str | None = None
    name: str | None = None
    active: bool | None = None
    translations: Translations | None = None


class NonWorkingReason(OFSModel):
    """A reason a resource does not work (vacation, training ...)."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    translations: Translations | None = None


class ResourceType(OFSModel):
    """A resource type (technician, bucket, vehicle ...) and its role."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    role: str | None = None
    translations: Translations | None = None


class Organization(OFSModel):
    """An organization (in-house or contractor) resources belong to."""

    label: str | None = None
    name: str | None = None
    type: OrganizationType | None = None
    translations: Translations | None = None


class Shift(OFSModel):
    """A shift: a named working time, or an on-call one."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    type: str | None = None
    workTimeStart: str | None = None
    workTimeEnd: str | None = None
    points: int | None = None
    decoration: str | None = None


class ShiftBody(Shift):
    """A shift as a write body (required fields enforced)."""

    name: str
    active: bool
    type: str
    workTimeStart: str
    workTimeEnd: str
