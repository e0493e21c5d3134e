"""Parts Catalog API models (``/rest/ofscPartsCatalog``): write-only catalogs and items."""

from __future__ import annotations

from ofsc_cli.models._base import OFSModel

__all__ = [
    "CatalogField",
    "CatalogFieldSchema",
    "CatalogItem",
    "CatalogTypeSchema",
    "LinkedItem",
    "PartsCatalog",
]


class CatalogFieldSchema(OFSModel):
    """One field of a parts catalog's structure."""

    label: str
    name: str
    propertyLabel: str | None = None
    searchable: bool | None = None
    preview: bool | None = None


class CatalogTypeSchema(OFSModel):
    """An item type of a parts catalog, and the inventory type it maps to."""

    itemType: str
    inventoryType: str | None = None


class PartsCatalog(OFSModel):
    """Body of ``PUT catalogs/{catalog}/{language}``: the catalog's structure."""

    name: str
    fieldSchemas: list[CatalogFieldSchema]
    typeSchemas: list[CatalogTypeSchema] | None = None


class CatalogField(OFSModel):
    """One field value of a parts catalog item."""

    label: str
    value: str


class LinkedItem(OFSModel):
    """An item linked to a parts catalog item."""

    itemLabel: str
    data: str | None = None


class CatalogItem(OFSModel):
    """Body of ``PUT catalogs/{catalog}/{language}/{itemLabel}``."""

    type: str
    fields: list[CatalogField]
    images: list[dict[str, str]] | None = None
    linkedItems: list[LinkedItem] | None = None
    tags: list[str] | None = None
    weight: int | None = None
