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
    label: str
    name: str
    propertyLabel: str | None = None
    searchable: bool | None = None
    preview: bool | None = None


class CatalogTypeSchema(OFSModel):
    itemType: str
    inventoryType: str | None = None


class PartsCatalog(OFSModel):
    """Body of ``PUT catalogs/{catalog}/{language}``: the catalog's structure."""

    name: str
    fieldSchemas: list[CatalogFieldSchema]
    typeSchemas: list[CatalogTypeSchema] | None = None


class CatalogField(OFSModel):
    label: str
    value: str


class LinkedItem(OFSModel):
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
