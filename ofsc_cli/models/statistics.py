"""Statistics API models (``/rest/ofscStatistics``).

The three statistics collections answer ``{"items": [...]}``; when more records exist than
were returned, the answer carries a ``links`` entry with ``rel == "next"``
(:meth:`StatsPage.next_query` reads its paging parameters).
"""

from __future__ import annotations

from typing import Generic, TypeVar

from ofsc_cli.models._base import Link, OFSModel

__all__ = [
    "ActivityDurationOverride",
    "ActivityDurationOverrides",
    "ActivityDurationStat",
    "ActivityDurationStats",
    "ActivityTravelOverride",
    "ActivityTravelOverrides",
    "ActivityTravelStat",
    "ActivityTravelStats",
    "AirlineDistanceData",
    "AirlineDistanceOverride",
    "AirlineDistanceOverrides",
    "AirlineDistanceTravel",
    "AirlineDistanceTravels",
    "StatsPage",
    "StatsPatchResult",
]

T = TypeVar("T")


class StatsPage(OFSModel, Generic[T]):
    """One answer of a statistics collection."""

    items: list[T] = []
    hasMore: bool | None = None
    links: list[Link] | None = None

    def next_href(self) -> str | None:
        """The ``next`` link, if the collection goes on."""
        for link in self.links or ():
            if link.rel == "next" and link.href:
                return link.href
        return None

    def next_query(self) -> dict[str, int] | None:
        """``offset``/``limit`` of the next page, read from the ``next`` link."""
        href = self.next_href()
        if href is None:
            return None
        from urllib.parse import parse_qs, urlsplit

        query = parse_qs(urlsplit(href).query)
        found: dict[str, int] = {}
        for name in ("offset", "limit"):
            values = query.get(name)
            if values and values[0].lstrip("-").isdigit():
                found[name] = int(values[0])
        return found or None


class ActivityDurationStat(OFSModel):
    resourceId: str | None = None
    akey: str | None = None
    level: str | None = None
    avg: int | None = None
    dev: int | None = None
    count: int | None = None
    override: int | None = None


class ActivityTravelStat(OFSModel):
    keyId: int | None = None
    fkey: str | None = None
    tkey: str | None = None
    region: str | None = None
    org: list[str] | None = None
    avg: int | None = None
    dev: int | None = None
    count: int | None = None
    override: int | None = None


class AirlineDistanceData(OFSModel):
    distance: int | None = None
    estimated: int | None = None
    override: int | None = None


class AirlineDistanceTravel(OFSModel):
    level: str | None = None
    key: str | None = None
    keyId: int | None = None
    org: list[str] | None = None
    data: list[AirlineDistanceData] | None = None


ActivityDurationStats = StatsPage[ActivityDurationStat]
ActivityTravelStats = StatsPage[ActivityTravelStat]
AirlineDistanceTravels = StatsPage[AirlineDistanceTravel]


class ActivityDurationOverride(OFSModel):
    resourceId: str
    akey: str
    override: int


class ActivityDurationOverrides(OFSModel):
    """Body of ``PATCH activityDurationStats``."""

    items: list[ActivityDurationOverride]


class ActivityTravelOverride(OFSModel):
    fkey: str
    tkey: str
    override: int
    keyId: int | None = None


class ActivityTravelOverrides(OFSModel):
    """Body of ``PATCH activityTravelStats``."""

    items: list[ActivityTravelOverride]


class AirlineDistanceOverrideData(OFSModel):
    distance: int | None = None
    override: int | None = None


class AirlineDistanceOverride(OFSModel):
    data: list[AirlineDistanceOverrideData]
    level: str | None = None
    key: str | None = None
    keyId: int | None = None


class AirlineDistanceOverrides(OFSModel):
    """Body of ``PATCH airlineDistanceBasedTravel``."""

    items: list[AirlineDistanceOverride]


class StatsPatchSummary(OFSModel):
    status: str | None = None
    updatedRecords: int | None = None


class StatsPatchResult(OFSModel):
    """Answer of the statistics ``PATCH`` operations."""

    results: StatsPatchSummary | None = None
