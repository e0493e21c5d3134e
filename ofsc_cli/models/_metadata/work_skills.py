"""Work skills, skill groups and skill conditions.

Part of :mod:`ofsc_cli.models.metadata`: import the models from there.
"""

from __future__ import annotations

from typing import Any, Literal

from ofsc_cli.models._base import OFSModel, OpenEnum
from ofsc_cli.models._metadata._common import Translations

__all__ = [
    "CategorySkill",
    "WorkSkill",
    "WorkSkillBody",
    "WorkSkillCondition",
    "WorkSkillConditions",
    "WorkSkillGroup",
    "WorkSkillGroupBody",
]


class WorkSkill(OFSModel):
    """A work skill (a qualification activities require and resources have)."""

    label: str | None = None
    name: str | None = None
    active: bool | None = None
    sharing: OpenEnum[Literal["no sharing", "maximal", "minimal", "summary"]] | None = None
    translations: Translations | None = None


class WorkSkillBody(WorkSkill):
    """A work skill as a write body: the fields a ``replace`` must send are required."""

    active: bool
    sharing: OpenEnum[Literal["no sharing", "maximal", "minimal", "summary"]]


class SkillRatio(OFSModel):
    label: str | None = None
    ratio: int | None = None
    startDate: str | None = None


class CategorySkill(SkillRatio):
    """A work skill or work skill group of a capacity category, with its validity dates
    (tenants send ``endDate`` too; the spec lists only ``startDate``)."""

    endDate: str | None = None


class WorkSkillGroup(OFSModel):
    """A group of work skills with ratios, assigned to resources or capacity categories."""

    label: str | None = None
    name: str | None = None
    assignToResource: bool | None = None
    addToCapacityCategory: bool | None = None
    active: bool | None = None
    workSkills: list[SkillRatio] | None = None
    translations: Translations | None = None


class WorkSkillGroupBody(WorkSkillGroup):
    """A work skill group as a write body (required fields enforced)."""

    assignToResource: bool
    addToCapacityCategory: bool
    active: bool


class WorkSkillCondition(OFSModel):
    """A rule that makes an activity require a work skill when its fields match."""

    internalId: int | None = None
    label: str | None = None
    requiredLevel: int | None = None
    preferableLevel: int | None = None
    conditions: list[dict[str, Any]] | None = None
    dependencies: list[dict[str, Any]] | None = None


class WorkSkillConditions(OFSModel):
    """The body of the (replace-all) write of work skill conditions."""

    items: list[WorkSkillCondition]
