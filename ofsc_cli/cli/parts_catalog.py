"""``ofsc parts-catalog``: write catalogs and their items (the API has no reads)."""

from __future__ import annotations

from ofsc_cli.cli.declare import Arg, Body, Command, Group, build
from ofsc_cli.client.api.parts_catalog import PartsCatalog

__all__ = ["GROUP", "app"]

CATALOG = Arg("catalog", "CATALOG", "Catalog label.")
LANGUAGE = Arg("language", "LANG", "Language code (en, fr…).")
ITEM = Arg("item", "ITEM", "Item label.")

GROUP = Group(
    "parts-catalog",
    "Parts catalogs and their items.",
    (
        Command(
            "put",
            "Create or replace a catalog in one language ({name, fieldSchemas, typeSchemas}).",
            (
                "ofsc parts-catalog put MAIN en --file catalog.json",
                "ofsc parts-catalog put MAIN fr --file catalog-fr.yaml --dry-run",
            ),
            op=PartsCatalog.replace_catalog,
            params=(CATALOG, LANGUAGE),
            body=Body(schema=True),
            done="catalog '{catalog}' ({language}) saved",
        ),
        Group(
            "item",
            "Items of a parts catalog.",
            (
                Command(
                    "put",
                    "Create or replace one item ({type, fields, tags, images, linkedItems}).",
                    "ofsc parts-catalog item put MAIN en FLT-200 --file item.json",
                    op=PartsCatalog.replace_catalog_item,
                    params=(CATALOG, LANGUAGE, ITEM),
                    body=Body(schema=True),
                    done="item '{item}' saved in catalog '{catalog}' ({language})",
                ),
                Command(
                    "delete",
                    "Remove one item (asks first on a terminal; --yes otherwise).",
                    "ofsc parts-catalog item delete MAIN en FLT-200 --yes",
                    op=PartsCatalog.delete_catalog_item,
                    params=(CATALOG, LANGUAGE, ITEM),
                    confirm="Delete item '{item}' from catalog '{catalog}' ({language})?",
                    done="deleted item '{item}' from catalog '{catalog}' ({language})",
                ),
            ),
        ),
    ),
)

app = build(GROUP)
