"""Statistics API operations (``/rest/ofscStatistics``).

The ``get_*`` collections return one page; :func:`iter_stats` follows the ``next`` links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ofsc_cli.client._endpoint import Args, Namespace, X, endpoint
from ofsc_cli.models.statistics import (
    ActivityDurationStats,
    ActivityTravelStats,
    AirlineDistanceTravels,
    StatsPage,
    StatsPatchResult,
)

__all__ = ["Statistics", "iter_stats"]

V1 = "/rest/ofscStatistics/v1"
T = TypeVar("T")


class Statistics(Namespace[X]):
    """The Statistics API (``client.statistics``): learned durations and travel times."""

    namespace = "statistics"

    @endpoint(
        "GET",
        f"{V1}/activityDurationStats",
        response=ActivityDurationStats,
    )
    def get_activity_duration_stats(
        self,
        *,
        resource_id: str | None = None,
        include_children: bool | None = None,
        akey: str | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Args:
        """Learned activity durations, per resource and activity key."""
        return Args(
            query={
                "resourceId": resource_id,
                "includeChildren": include_children,
                "akey": akey,
                "offset": offset,
                "limit": limit,
            }
        )

    @endpoint("PATCH", f"{V1}/activityDurationStats", response=StatsPatchResult)
    def update_activity_duration_stats(self, body: Any) -> Args:
        """Set duration overrides."""
        return Args(json=body)

    @endpoint(
        "GET",
        f"{V1}/activityTravelStats",
        response=ActivityTravelStats,
    )
    def get_activity_travel_stats(
        self,
        *,
        region: str | None = None,
        tkey: str | None = None,
        fkey: str | None = None,
        key_id: int | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Args:
        """Learned travel times between travel keys."""
        return Args(
            query={
                "region": region,
                "tkey": tkey,
                "fkey": fkey,
                "keyId": key_id,
                "offset": offset,
                "limit": limit,
            }
        )

    @endpoint("PATCH", f"{V1}/activityTravelStats", response=StatsPatchResult)
    def update_activity_travel_stats(self, body: Any) -> Args:
        """Set travel-time overrides (409 when an override conflicts)."""
        return Args(json=body)

    @endpoint(
        "GET",
        f"{V1}/airlineDistanceBasedTravel",
        response=AirlineDistanceTravels,
    )
    def get_airline_distance_based_travel(
        self,
        *,
        level: str | None = None,
        key: str | None = None,
        distance: str | None = None,
        key_id: int | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Args:
        """Travel times estimated from airline distance, per level and key."""
        return Args(
            query={
                "level": level,
                "key": key,
                "distance": distance,
                "keyId": key_id,
                "offset": offset,
                "limit": limit,
            }
        )

    @endpoint("PATCH", f"{V1}/airlineDistanceBasedTravel", response=StatsPatchResult)
    def update_airline_distance_based_travel(self, body: Any) -> Args:
        """Set airline-distance travel overrides (409 when an override conflicts)."""
        return Args(json=body)


def iter_stats(get_page: Callable[..., StatsPage[T]], **filters: Any) -> Iterator[T]:
    """Yields every record of a statistics collection, following ``next`` links.

    ``get_page`` is a sync client's bound ``get_*`` method
    (``client.statistics.get_activity_travel_stats``); ``filters`` are its keyword arguments.
    Raises what ``get_page`` raises.
    """
    seen: set[tuple[int | None, int | None]] = set()
    while True:
        page = get_page(**filters)
        yield from page.items
        following = page.next_query()
        if not following or not page.items:
            return
        position = (following.get("offset"), following.get("limit"))
        if position in seen:  # a server repeating itself must not loop forever
            return
        seen.add(position)
        filters = {**filters, **following}
