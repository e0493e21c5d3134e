"""Statistics API models (``/rest/ofscStatistics``).

The three statistics collections answer ``{"items": [...]}``; when more records exist than
were returned, the answer carries a ``links`` entry with ``rel == "next"``
(:meth:`StatsPage.next_query` reads its paging parameters).

The ``PATCH`` answer is ``{"results": {"status", "updatedRecords"}}`` in the spec; live tenants
answer flat, ``{"status": "200", "updatedRecords": N}``.  :class:`StatsPatchResult` accepts
both and keeps the shape it was given.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from ofsc_cli.models._base import Link, OFSModel, OpenEnum

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
    "StatsPatchSummary",
]

T = TypeVar("T")


class StatsPage(OFSModel, Generic[T]):
    """One answer of a statistics collection."""

    items: list[T] = []
    hasMore: bool | None = None
    links: list[Link] | None = None

    def next_href(self) -> str | None:
        """Returns the ``next`` link of this answer, or ``None`` when the collection ends here."""
        for link in self.links or ():
            if link.rel == "next" and link.href:
                return link.href
        return None

    def next_query(self) -> dict[str, int] | None:
        """Returns the ``offset``/``limit`` of the next page, read from the ``next`` link; ``None``
        when there is no next page.
        """
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
    """Activity duration statistics of one resource and activity key: average, deviation,
    count and any override.
    """

    resourceId: str | None = None
    akey: str | None = None
    level: str | None = None
    avg: int | None = None
    dev: int | None = None
    count: int | None = None
    override: int | None = None


class ActivityTravelStat(OFSModel):
    """Travel time statistics between two travel keys: average, deviation, count and any
    override.
    """

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
    """Travel time estimated for one distance, and any override of it."""

    distance: int | None = None
    estimated: int | None = None
    override: int | None = None


Level = OpenEnum[Literal["company", "travelkey"]]


class AirlineDistanceTravel(OFSModel):
    """Travel times by airline distance, for the company or one travel key."""

    level: Level | None = None
    key: str | None = None
    keyId: int | None = None
    org: list[str] | None = None
    data: list[AirlineDistanceData] | None = None


ActivityDurationStats = StatsPage[ActivityDurationStat]
ActivityTravelStats = StatsPage[ActivityTravelStat]
AirlineDistanceTravels = StatsPage[AirlineDistanceTravel]


class ActivityDurationOverride(OFSModel):
    """An override of the duration statistics of one resource and activity key."""

    documented_values_only = True

    resourceId: str
    akey: str
    override: int


class ActivityDurationOverrides(OFSModel):
    """Body of ``PATCH activityDurationStats``."""

    documented_values_only = True

    items: list[ActivityDurationOverride]


class ActivityTravelOverride(OFSModel):
    """An override of the travel time between two travel keys."""

    documented_values_only = True

    fkey: str
    tkey: str
    override: int
    keyId: int | None = None


class ActivityTravelOverrides(OFSModel):
    """Body of ``PATCH activityTravelStats``."""

    documented_values_only = True

    items: list[ActivityTravelOverride]


class AirlineDistanceOverrideData(OFSModel):
    documented_values_only = True

    distance: int | None = None
    override: int | None = None


class AirlineDistanceOverride(OFSModel):
    """Overrides of the airline-distance travel times of one level and key."""

    documented_values_only = True

    data: list[AirlineDistanceOverrideData]
    level: Level | None = None
    key: str | None = None
    keyId: int | None = None


class AirlineDistanceOverrides(OFSModel):
    """Body of ``PATCH airlineDistanceBasedTravel``."""

    documented_values_only = True

    items: list[AirlineDistanceOverride]


class StatsPatchSummary(OFSModel):
    """The status of a statistics ``PATCH`` and how many records it updated."""

    status: str | int | None = None
    updatedRecords: int | None = None


class StatsPatchResult(StatsPatchSummary):
    """Answer of the statistics ``PATCH`` operations: flat (live) or under ``results``
    (spec); :attr:`updated` reads either."""

    results: StatsPatchSummary | None = None

    @property
    def updated(self) -> int | None:
        """How many records were updated, wherever the answer put the count."""
        if self.updatedRecords is not None:
            return self.updatedRecords
        return self.results.updatedRecords if self.results is not None else None
