"""Routing profiles and plans, in either shape tenants send them.

Part of :mod:`ofsc_cli.models.metadata`: import the models from there.
"""

from __future__ import annotations

from ofsc_cli.models._base import OFSModel

__all__ = [
    "RoutingPlan",
    "RoutingPlanItem",
    "RoutingProfile",
    "RoutingProfileItem",
    "routing_label",
]


class RoutingProfile(OFSModel):
    """A routing profile as live tenants list it (the spec lists bare label strings)."""

    profileLabel: str | None = None


class RoutingPlan(OFSModel):
    """A routing plan of a profile as live tenants list it (the spec: bare label strings)."""

    planLabel: str | None = None


RoutingProfileItem = str | RoutingProfile
"""An item of ``GET routingProfiles``: a label (spec) or a :class:`RoutingProfile` (live)."""


RoutingPlanItem = str | RoutingPlan
"""An item of ``GET routingProfiles/{p}/plans``: a label (spec) or a :class:`RoutingPlan`."""


def routing_label(item: RoutingProfileItem | RoutingPlanItem) -> str | None:
    """Returns the label of the routing profile or plan ``item``, whichever shape it came in (a
    label string or an object); ``None`` when an object has none.
    """
    if isinstance(item, str):
        return item
    if isinstance(item, RoutingProfile):
        return item.profileLabel
    return item.planLabel
