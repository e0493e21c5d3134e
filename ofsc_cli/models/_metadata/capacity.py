"""Capacity areas and what they hold, capacity categories and time slots.

Part of :mod:`ofsc_cli.models.metadata`: import the models from there.
"""

from __future__ import annotations

from typing import Any, Literal

from ofsc_cli.models._base import OFSModel, OpenEnum
from ofsc_cli.models._metadata._common import LabelRef, Status, Translations
from ofsc_cli.models._metadata.work_skills import CategorySkill

__all__ = [
    "AreaCapacityCategory",
    "AreaOrganization",
    "AreaTimeInterval",
    "AreaTimeSlot",
    "AreaWorkZone",
    "AreaWorkZoneV1",
    "CapacityArea",
    "CapacityCategory",
    "CapacityCategoryBody",
    "TimeSlot",
]


class CapacityArea(OFSModel):
    """A capacity area (or a group of them): where capacity is planned and booked."""

    label: str | None = None
    name: str | None = None
    type: OpenEnum[Literal["group", "area"]] | None = None
    status: Status | None = None
    parentLabel: str | None = None
    parent: dict[str, Any] | None = None
    configuration: dict[str, Any] | None = None


class AreaCapacityCategory(OFSModel):
    """A capacity category used in a capacity area."""

    label: str | None = None
    name: str | None = None
    status: Status | None = None


OrganizationType = OpenEnum[Literal["contractor", "inhouse"]]


class AreaOrganization(OFSModel):
    """An organization that works in a capacity area."""

    label: str | None = None
    name: str | None = None
    type: OrganizationType | None = None


class AreaTimeInterval(OFSModel):
    """A time interval (``timeFrom``-``timeTo``) of a capacity area."""

    timeFrom: str | None = None
    timeTo: str | None = None


class AreaTimeSlot(OFSModel):
    """A time slot offered in a capacity area."""

    label: str | None = None
    name: str | None = None
    timeFrom: str | None = None
    timeTo: str | None = None


class AreaWorkZoneV1(OFSModel):
    """A work zone of a capacity area as the v1 service lists it (its name in ``label``)."""

    label: str | None = None


class AreaWorkZone(OFSModel):
    """A work zone of a capacity area (v2: ``workZoneLabel`` and ``workZoneName``)."""

    workZoneLabel: str | None = None
    workZoneName: str | None = None


class CapacityCategory(OFSModel):
    """A capacity category: the skills (or skill groups) and time slots capacity is counted by."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    workSkills: list[CategorySkill] | None = None
    workSkillGroups: list[CategorySkill] | None = None
    timeSlots: list[LabelRef] | None = None
    translations: Translations | None = None


class CapacityCategoryBody(CapacityCategory):
    """A capacity category as a write body (required fields enforced)."""

    active: bool


class TimeSlot(OFSModel):
    """A time slot offered to customers (or an all-day one)."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    isAllDay: bool | None = None
    timeStart: str | None = None
    timeEnd: str | None = None
