"""Commands declared, not copy-pasted.

One :class:`Resource` declaration (name, key field, the operations behind each verb, default
table columns, body model) produces the ``list``/``get``/``create``/``replace``/``update``/
``delete`` commands of a resource; only custom actions are written by hand (``extra``).

Operations are referenced as declared on the namespace classes (``Metadata.get_work_zone``),
and every command goes through :func:`execute`, which builds the request with the library's
single request-building path, then either sends it or, with ``--dry-run``, prints it.
"""

# No ``from __future__ import annotations`` here: typer reads the generated commands'
# annotations, which refer to the declaration in their closure.
import json
import math
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ofsc_cli.cli._groups import SuggestingGroup
from ofsc_cli.cli.context import AppContext, app
from ofsc_cli.cli.errors import UsageError

if TYPE_CHECKING:
    from ofsc_cli.client import AsyncOFSC

__all__ = [
    "DRY_RUN",
    "INT64",
    "MAX_ITEMS",
    "Resource",
    "bulk_read_client",
    "check_number",
    "confirm",
    "execute",
    "group",
    "iter_all",
    "render_result",
    "resource_app",
]

DRY_RUN = object()
"""Returned by :func:`execute` when the request was printed instead of sent."""

FileOpt = Annotated[
    str, typer.Option("--file", "-F", help="Body as JSON or YAML; '-' reads stdin.")
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Print the request (method, URL, body); send nothing.")
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
AllOpt = Annotated[bool, typer.Option("--all", "-a", help="Fetch every page.")]
MAX_ITEMS = 1_000_000_000
"""The bound of ``--limit`` and ``--offset``: no list or export holds a billion items, and
beyond 2**63 such a number would not even fit the API's integers."""
INT64 = (-(2**63), 2**63 - 1)
"""The range of the API's integers (ids, counts)."""


def check_number(value: float, label: str, bounds: tuple[float, float] | None = None) -> None:
    """A usage error naming ``label`` unless ``value`` is finite and within ``bounds``
    (default: :data:`INT64`), so ``nan``, ``inf`` and numbers too large for the API are
    refused before anything is sent."""
    low, high = bounds or INT64
    if not math.isfinite(value):
        raise UsageError(f"{label}: {value} is not a finite number")
    if not low <= value <= high:
        raise UsageError(f"{label}: {value} is out of range: use a number from {low} to {high}")


LimitOpt = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, max=MAX_ITEMS, help="Show at most N items.")
]
OffsetOpt = Annotated[
    int, typer.Option("--offset", min=0, max=MAX_ITEMS, help="Start at this item.")
]
ConcurrencyOpt = Annotated[
    int, typer.Option("--concurrency", min=1, max=32, help="Pages fetched at once with --all.")
]


@dataclass(frozen=True)
class Resource:
    """The declaration of one resource's standard commands."""

    name: str
    help: str
    key: str | None = None
    key_arg: str = "LABEL"
    columns: tuple[str, ...] = ()
    model: type[Any] | None = None
    list: Any = None
    get: Any = None
    create: Any = None
    create_takes_key: bool = False
    replace: Any = None
    update: Any = None
    delete: Any = None
    extra: Callable[[typer.Typer], None] | None = None
    aliases: tuple[str, ...] = field(default=())


# -- execution --------------------------------------------------------------------------


def execute(
    obj: AppContext, declared: Any, *args: Any, dry_run: bool = False, **kwargs: Any
) -> Any:
    """Run a declared operation with the current profile's client (or print it)."""
    client = obj.client()
    namespace = getattr(client, declared.spec.namespace)
    built = declared.build(namespace, *args, **kwargs)
    if dry_run:
        request = client.build(declared.spec, built)
        print_request(obj, request)
        return DRY_RUN
    return client.execute(declared.spec, built)


def print_request(obj: AppContext, request: Any) -> None:
    from ofsc_cli.client._base import redact_url

    lines = [f"{request.method} {redact_url(request.url)}"]
    content_type = request.headers.get("content-type")
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    body = request.read()  # multipart bodies are streams until read
    if body:
        lines.append("")
        try:
            lines.append(json.dumps(json.loads(body), indent=2, ensure_ascii=False))
        except (ValueError, RecursionError):  # not JSON, or too deep to show as JSON
            lines.append(f"<{len(body)} bytes>")
    obj.stdout.write("\n".join(lines) + "\n")
    obj.info("dry run: nothing was sent")


def render_result(obj: AppContext, result: Any, *, columns: Iterable[str] = ()) -> None:
    """Render what an operation returned (an object, a page, bytes, or nothing)."""
    from ofsc_cli.models import Page, dump

    if result is DRY_RUN:
        return
    if result is None:
        return
    if isinstance(result, Page):
        obj.renderer(tuple(columns)).write_items(dump(i) for i in result.items)
        return
    data = dump(result)
    if isinstance(data, list):
        obj.renderer(tuple(columns)).write_items(data)
    else:
        obj.renderer(tuple(columns)).write_object(data)


def bulk_read_client(obj: AppContext) -> "AsyncOFSC":
    """A new async client (the caller closes it) whose retries suit bulk reads: 500 is
    retried too (:meth:`~ofsc_cli.client.RetryPolicy.for_bulk_reads`), and each retry is
    announced on stderr (one line, unless --quiet), so a long wait is never silent."""
    client = obj.async_client()
    client.retry = client.retry.for_bulk_reads()
    client.on_retry = obj.retry_notice
    return client


def iter_all(
    obj: AppContext, declared: Any, *args: Any, concurrency: int = 8, **kwargs: Any
) -> Iterator[Any]:
    """Every item of a paged GET, fetched ``concurrency`` pages at a time, in order.

    The pages are fetched by the async client in a background thread (see
    :mod:`ofsc_cli.cli._bridge`) and cross to this thread whole, which costs far less than
    item by item.  The client uses the bulk-read retry policy, so a page answered 500 is
    asked again instead of ending the whole export.  Items are the JSON objects exactly as
    received (``raw()``: no model round trip, which is most of the CPU of a large export)."""
    from ofsc_cli.cli._bridge import iterate_async

    spec = declared.spec

    async def pages() -> AsyncIterator[list[Any]]:
        async with bulk_read_client(obj) as client:
            bound = getattr(getattr(client, spec.namespace), spec.name).raw()
            async for page in bound.pages(*args, concurrency=concurrency, **kwargs):
                yield page.items

    for items in iterate_async(pages, buffer=max(2, concurrency)):
        yield from items


def confirm(obj: AppContext, question: str, yes: bool) -> None:
    """Ask on a terminal; refuse without ``--yes`` otherwise."""
    if yes:
        return
    if not obj.interactive:
        raise UsageError(f"{question.rstrip('?')}: refusing without --yes (not a terminal)")
    if not typer.confirm(question, default=False, err=True):
        from ofsc_cli.cli.errors import EXIT_CANCELLED

        typer.echo("cancelled", err=True)
        raise typer.Exit(EXIT_CANCELLED)


def read_body(res: Resource, path: str, key: str | None = None) -> Any:
    from ofsc_cli.cli._input import load_body, validate_body

    body = load_body(path)
    source = "<stdin>" if path == "-" else path
    if key is not None and res.key and isinstance(body, dict):
        found = body.get(res.key)
        if found is not None and str(found) != key:
            raise UsageError(
                f"{source}: {res.key} is '{found}' but the {res.key_arg} argument is '{key}'"
            )
    return validate_body(res.model, body, source=source)


# -- command generation -----------------------------------------------------------------


def _add_list(sub: typer.Typer, res: Resource) -> None:
    declared = res.list
    paged = declared.spec.paging == "offset"

    @sub.command("list")
    def list_(
        ctx: typer.Context,
        all_: AllOpt = False,
        limit: LimitOpt = None,
        offset: OffsetOpt = 0,
        concurrency: ConcurrencyOpt = 8,
    ) -> None:
        """List the collection (one page unless --all or --limit)."""
        from itertools import islice

        from ofsc_cli.models import dump

        obj = app(ctx)
        renderer = obj.renderer(res.columns)
        if not paged:
            result = execute(obj, declared)
            items: Iterable[Any] = getattr(result, "items", result) or []
            if limit:
                items = islice(items, limit)
            count = renderer.write_items(dump(i) for i in items)
        elif all_ or limit:
            if all_ and not limit and offset == 0:
                source: Iterable[Any] = iter_all(obj, declared, concurrency=concurrency)
            else:
                client = obj.client()
                bound = getattr(getattr(client, declared.spec.namespace), declared.spec.name)
                source = bound.iter(offset=offset)
            count = renderer.write_items(dump(i) for i in islice(source, limit))
        else:
            page = execute(obj, declared, offset=offset)
            count = renderer.write_items(dump(i) for i in page.items)
            total = page.totalResults
            if page.hasMore or (total is not None and offset + count < total):
                of = f" of {total}" if total is not None else ""
                obj.info(f"Showing {count}{of}; use --all for every item or --limit N.")
        if count == 0 and obj.stderr_tty:
            obj.info("no results")


def _add_get(sub: typer.Typer, res: Resource) -> None:
    @sub.command("get")
    def get(
        ctx: typer.Context,
        key: Annotated[str, typer.Argument(metavar=res.key_arg, help="Which one.")],
    ) -> None:
        """Show one object."""
        obj = app(ctx)
        render_result(obj, execute(obj, res.get, key), columns=res.columns)


def _add_create(sub: typer.Typer, res: Resource) -> None:
    if res.create_takes_key:
        _add_keyed_write(sub, res, "create", res.create, "Create an object from a JSON/YAML file.")
        return

    @sub.command("create")
    def create(ctx: typer.Context, file: FileOpt, dry_run: DryRunOpt = False) -> None:
        """Create an object from a JSON/YAML file."""
        obj = app(ctx)
        body = read_body(res, file)
        render_result(obj, execute(obj, res.create, body, dry_run=dry_run))


def _add_keyed_write(sub: typer.Typer, res: Resource, verb: str, declared: Any, doc: str) -> None:
    def command(
        ctx: typer.Context,
        key: Annotated[str, typer.Argument(metavar=res.key_arg)],
        file: FileOpt,
        dry_run: DryRunOpt = False,
    ) -> None:
        obj = app(ctx)
        body = read_body(res, file, key)
        render_result(obj, execute(obj, declared, key, body, dry_run=dry_run))

    command.__doc__ = doc
    sub.command(verb)(command)


def _add_delete(sub: typer.Typer, res: Resource) -> None:
    @sub.command("delete")
    def delete(
        ctx: typer.Context,
        key: Annotated[str, typer.Argument(metavar=res.key_arg)],
        yes: YesOpt = False,
        dry_run: DryRunOpt = False,
    ) -> None:
        """Delete an object (asks first on a terminal; --yes otherwise)."""
        obj = app(ctx)
        if not dry_run:
            confirm(obj, f"Delete {res.name} '{key}'?", yes)
        result = execute(obj, res.delete, key, dry_run=dry_run)
        if result is not DRY_RUN:
            obj.info(f"deleted {res.name} '{key}'")


def resource_app(res: Resource) -> typer.Typer:
    """The typer app of one resource, from its declaration."""
    sub = typer.Typer(name=res.name, help=res.help, no_args_is_help=True, cls=SuggestingGroup)
    if res.list is not None:
        _add_list(sub, res)
    if res.get is not None:
        _add_get(sub, res)
    if res.create is not None:
        _add_create(sub, res)
    if res.replace is not None:
        _add_keyed_write(sub, res, "replace", res.replace, "Create or replace (PUT) from a file.")
    if res.update is not None:
        _add_keyed_write(sub, res, "update", res.update, "Update only the fields in the file.")
    if res.delete is not None:
        _add_delete(sub, res)
    if res.extra is not None:
        res.extra(sub)
    return sub


def group(help: str, resources: Iterable[Resource]) -> typer.Typer:
    """A command group (``metadata``, ``core``…) made of resources."""
    top = typer.Typer(help=help, no_args_is_help=True, cls=SuggestingGroup)
    for res in resources:
        top.add_typer(resource_app(res), name=res.name)
    return top
