"""Core API models for the two feeds out of OFS: events (subscriptions and the ``nextPage``
cursor) and the daily extract folders and files (``/rest/ofscCore/v1``).

Unknown fields are kept.  Two listings are normalised on read because OFS answers them in
more than one shape: the subscription list (a bare array in the spec, ``{items, totalResults}``
observed) and the daily-extract listings (``{items}`` in the spec, ``{name, folders|files:
{items}}`` observed).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from ofsc_cli.models._base import Link, OFSModel

__all__ = [
    "CreatedSubscription",
    "DailyExtractFile",
    "DailyExtractFiles",
    "DailyExtractFolder",
    "DailyExtractFolders",
    "Event",
    "EventPage",
    "Subscription",
    "SubscriptionConfigItem",
    "SubscriptionCreate",
    "SubscriptionList",
]


class Event(OFSModel):
    """One event; its details depend on ``eventType`` (all kept as sent)."""

    eventType: str | None = None
    time: str | None = None
    user: str | None = None
    activityDetails: dict[str, Any] | None = None
    activityChanges: dict[str, Any] | None = None


class EventPage(OFSModel):
    """One answer of ``GET events``: the events and the cursor to ask from next."""

    found: bool | None = None
    nextPage: str | None = None
    items: list[Event] = []


class SubscriptionConfigItem(OFSModel):
    """Which events a subscription receives (``events``), with optional fields and filter."""

    events: list[str]
    fields: list[str] | None = None
    filterExpression: str | None = None


class SubscriptionCreate(OFSModel):
    """Body of ``POST events/subscriptions``: ``subscriptionConfig`` or root ``events``."""

    documented_values_only = True

    subscriptionTitle: str | None = Field(default=None, min_length=1, max_length=255)
    subscriptionConfig: list[SubscriptionConfigItem] | None = None
    events: list[str] | None = None

    @model_validator(mode="after")
    def _something_to_follow(self) -> SubscriptionCreate:
        if not self.subscriptionConfig and not self.events:
            raise ValueError("give 'subscriptionConfig' (a list of {events: [...]}) or 'events'")
        return self


class CreatedSubscription(OFSModel):
    """A new subscription: its id and the cursor to read events from (``nextPage``)."""

    subscriptionId: str | None = None
    nextPage: str | None = None


class Subscription(OFSModel):
    """An event subscription of this application."""

    subscriptionId: str | None = None
    subscriptionTitle: str | None = None
    applicationId: str | None = None
    createdTime: str | None = None
    expirationTime: str | None = None
    events: list[str] | None = None
    subscriptionConfig: list[SubscriptionConfigItem] | None = None


class SubscriptionList(OFSModel):
    """The event subscriptions of this application."""

    items: list[Subscription] = []
    totalResults: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_array(cls, data: Any) -> Any:
        return {"items": data} if isinstance(data, list) else data


def _unwrap(data: Any, member: str) -> Any:
    """``{name, <member>: {items}}`` → ``{items}``; other shapes unchanged."""
    if isinstance(data, dict) and "items" not in data and isinstance(data.get(member), dict):
        return {**{k: v for k, v in data.items() if k != member}, **data[member]}
    return data


class DailyExtractFolder(OFSModel):
    """A daily extract folder (one per day)."""

    name: str | None = None
    links: list[Link] | None = None


class DailyExtractFolders(OFSModel):
    """The daily extract folders (every item, no paging)."""

    items: list[DailyExtractFolder] = []

    @model_validator(mode="before")
    @classmethod
    def _observed_shape(cls, data: Any) -> Any:
        return _unwrap(data, "folders")


class DailyExtractFile(OFSModel):
    """A file of a daily extract folder: its name, size and media type."""

    name: str | None = None
    bytes: int | None = None
    mediaType: str | None = None
    links: list[Link] | None = None


class DailyExtractFiles(OFSModel):
    """The files of a daily extract folder."""

    items: list[DailyExtractFile] = []

    @model_validator(mode="before")
    @classmethod
    def _observed_shape(cls, data: Any) -> Any:
        return _unwrap(data, "files")
