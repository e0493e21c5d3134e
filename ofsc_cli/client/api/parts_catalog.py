"""Parts Catalog API operations (``/rest/ofscPartsCatalog``): writes only."""

from __future__ import annotations

from typing import Any

from ofsc_cli.client._endpoint import Args, Namespace, NoContent, X, endpoint

__all__ = ["PartsCatalog"]

V1 = "/rest/ofscPartsCatalog/v1"


class PartsCatalog(Namespace[X]):
    """The Parts Catalog API (``client.parts_catalog``)."""

    namespace = "parts_catalog"

    @endpoint("PUT", f"{V1}/catalogs/{{catalog}}/{{language}}", response=NoContent)
    def replace_catalog(self, catalog: str, language: str, body: Any) -> Args:
        """Create or replace a catalog's structure in one language."""
        return Args(path={"catalog": catalog, "language": language}, json=body)

    @endpoint("PUT", f"{V1}/catalogs/{{catalog}}/{{language}}/{{itemLabel}}", response=NoContent)
    def replace_catalog_item(self, catalog: str, language: str, item_label: str, body: Any) -> Args:
        """Create or replace one item of a catalog."""
        return Args(
            path={"catalog": catalog, "language": language, "itemLabel": item_label}, json=body
        )

    @endpoint("DELETE", f"{V1}/catalogs/{{catalog}}/{{language}}/{{itemLabel}}", response=NoContent)
    def delete_catalog_item(self, catalog: str, language: str, item_label: str) -> Args:
        """Remove one item from a catalog."""
        return Args(path={"catalog": catalog, "language": language, "itemLabel": item_label})
