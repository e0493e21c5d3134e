"""``ofsc parts-catalog``: write catalogs and their items (the API has no reads)."""

from __future__ import annotations

from typing import Annotated

import typer

from ofsc_cli.cli._resource import DRY_RUN, DryRunOpt, FileOpt, YesOpt, confirm, execute
from ofsc_cli.cli.api_cmd import read_checked_body
from ofsc_cli.cli.context import app as get_app
from ofsc_cli.client.api.parts_catalog import PartsCatalog

__all__ = ["COMMANDS", "app"]

V1 = "/rest/ofscPartsCatalog/v1"

COMMANDS: dict[str, str] = {
    f"PUT {V1}/catalogs/{{catalog}}/{{language}}": "ofsc parts-catalog put",
    f"PUT {V1}/catalogs/{{catalog}}/{{language}}/{{itemLabel}}": "ofsc parts-catalog item put",
    f"DELETE {V1}/catalogs/{{catalog}}/{{language}}/{{itemLabel}}": (
        "ofsc parts-catalog item delete"
    ),
}
"""Operation key -> the command that runs it (read by ``ofsc api catalog --coverage``)."""

CatalogArg = Annotated[str, typer.Argument(metavar="CATALOG", help="Catalog label.")]
LangArg = Annotated[str, typer.Argument(metavar="LANG", help="Language code (en, fr…).")]
ItemArg = Annotated[str, typer.Argument(metavar="ITEM", help="Item label.")]

app = typer.Typer(
    help="Parts catalogs and their items.", no_args_is_help=True, add_completion=False
)
item_app = typer.Typer(help="Items of a parts catalog.", no_args_is_help=True)
app.add_typer(item_app, name="item")


@app.command("put")
def put_cmd(
    ctx: typer.Context,
    catalog: CatalogArg,
    language: LangArg,
    file: FileOpt,
    dry_run: DryRunOpt = False,
) -> None:
    """Create or replace a catalog in one language ({name, fieldSchemas, typeSchemas}).

    Example: ofsc parts-catalog put MAIN en --file catalog.json
    """
    obj = get_app(ctx)
    body = read_checked_body(file, PartsCatalog.replace_catalog)
    result = execute(obj, PartsCatalog.replace_catalog, catalog, language, body, dry_run=dry_run)
    if result is not DRY_RUN:
        obj.info(f"catalog '{catalog}' ({language}) saved")


@item_app.command("put")
def item_put_cmd(
    ctx: typer.Context,
    catalog: CatalogArg,
    language: LangArg,
    item: ItemArg,
    file: FileOpt,
    dry_run: DryRunOpt = False,
) -> None:
    """Create or replace one item ({type, fields, tags, images, linkedItems}).

    Example: ofsc parts-catalog item put MAIN en FLT-200 --file item.json
    """
    obj = get_app(ctx)
    body = read_checked_body(file, PartsCatalog.replace_catalog_item)
    result = execute(
        obj, PartsCatalog.replace_catalog_item, catalog, language, item, body, dry_run=dry_run
    )
    if result is not DRY_RUN:
        obj.info(f"item '{item}' saved in catalog '{catalog}' ({language})")


@item_app.command("delete")
def item_delete_cmd(
    ctx: typer.Context,
    catalog: CatalogArg,
    language: LangArg,
    item: ItemArg,
    yes: YesOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Remove one item (asks first on a terminal; --yes otherwise).

    Example: ofsc parts-catalog item delete MAIN en FLT-200 --yes
    """
    obj = get_app(ctx)
    if not dry_run:
        confirm(obj, f"Delete item '{item}' from catalog '{catalog}' ({language})?", yes)
    result = execute(
        obj, PartsCatalog.delete_catalog_item, catalog, language, item, dry_run=dry_run
    )
    if result is not DRY_RUN:
        obj.info(f"deleted item '{item}' from catalog '{catalog}' ({language})")
