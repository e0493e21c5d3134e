"""Base classes shared by every model.

Models use the API's own field names (camelCase, ``languageISO``…), keep every field they do not
declare (``extra="allow"``) and serialise back exactly what came in: ``model_dump`` with
``exclude_unset=True`` (see :func:`dump`) never adds defaults the server did not send.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

__all__ = ["Link", "OFSModel", "Page", "Translation", "dump"]

T = TypeVar("T")


class OFSModel(BaseModel):
    """A model of an OFS object: unknown fields kept, exact round trip."""

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, protected_namespaces=(), defer_build=True
    )

    def to_dict(self) -> dict[str, Any]:
        """The object as OFS sent it (plus any fields set since), JSON-ready."""
        data: dict[str, Any] = dump(self)
        return data


def dump(obj: Any) -> Any:
    """JSON-ready form of a model (or of plain data, returned as is)."""
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return obj


class Link(OFSModel):
    rel: str | None = None
    href: str | None = None
    mediaType: str | None = None


class Translation(OFSModel):
    language: str
    name: str | None = None
    languageISO: str | None = None


class Page(OFSModel, Generic[T]):
    """One page of a collection: the list envelope every paged OFS endpoint returns."""

    items: list[T] = []
    totalResults: int | None = None
    hasMore: bool | None = None
    offset: int | None = None
    limit: int | None = None
    links: list[Link] | None = None
