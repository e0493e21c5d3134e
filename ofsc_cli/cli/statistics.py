"""``ofsc statistics``: learned activity durations and travel times, and their overrides.

The three statistics collections differ only in their filters and columns, so each is one
:class:`Stats` declaration; ``get`` and ``update`` commands are generated from it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from ofsc_cli.cli._resource import (
    DRY_RUN,
    MAX_ITEMS,
    DryRunOpt,
    FileOpt,
    execute,
    render_result,
)
from ofsc_cli.cli.context import app as get_app
from ofsc_cli.client.api.statistics import Statistics

__all__ = ["COMMANDS", "STATS", "Filter", "Stats", "app"]


@dataclass(frozen=True)
class Filter:
    """A query filter: its option, the client keyword, type and help."""

    option: str
    keyword: str
    kind: type
    help: str


@dataclass(frozen=True)
class Stats:
    """One statistics collection and its commands."""

    name: str
    help: str
    get: Any
    update: Any
    filters: tuple[Filter, ...]
    columns: tuple[str, ...]


STATS = (
    Stats(
        name="activity-duration",
        help="Activity duration statistics per resource and activity key.",
        get=Statistics.get_activity_duration_stats,
        update=Statistics.update_activity_duration_stats,
        filters=(
            Filter("--resource-id", "resource_id", str, "Only this resource."),
            Filter(
                "--include-children",
                "include_children",
                bool,
                "With --resource-id: include the resources below it.",
            ),
            Filter("--akey", "akey", str, "Only this activity key."),
        ),
        columns=("resourceId", "akey", "level", "avg", "dev", "count", "override"),
    ),
    Stats(
        name="activity-travel",
        help="Travel time statistics between travel keys.",
        get=Statistics.get_activity_travel_stats,
        update=Statistics.update_activity_travel_stats,
        filters=(
            Filter("--region", "region", str, "Only this region."),
            Filter("--fkey", "fkey", str, "Only travel from this key."),
            Filter("--tkey", "tkey", str, "Only travel to this key."),
            Filter("--key-id", "key_id", int, "Only this travel key id."),
        ),
        columns=("keyId", "fkey", "tkey", "region", "avg", "dev", "count", "override"),
    ),
    Stats(
        name="airline-distance-travel",
        help="Travel time estimated from airline distance.",
        get=Statistics.get_airline_distance_based_travel,
        update=Statistics.update_airline_distance_based_travel,
        filters=(
            Filter("--level", "level", str, "company or travelkey."),
            Filter("--key", "key", str, "Only this travel key."),
            Filter("--distance", "distance", str, "Only this distance."),
            Filter("--key-id", "key_id", int, "Only this travel key id."),
        ),
        columns=("level", "key", "keyId", "data"),
    ),
)

COMMANDS: dict[str, str] = {}
for _stats in STATS:
    COMMANDS[_stats.get.spec.key] = f"ofsc statistics {_stats.name} get"
    COMMANDS[_stats.update.spec.key] = f"ofsc statistics {_stats.name} update"
"""Operation key -> the command that runs it (read by ``ofsc api catalog --coverage``)."""

app = typer.Typer(
    help="Activity duration and travel statistics.", no_args_is_help=True, add_completion=False
)


def _get_command(stats: Stats) -> Any:
    def command(
        ctx: typer.Context,
        all_: bool = False,
        limit: int | None = None,
        offset: int | None = None,
        dry_run: bool = False,
        **filters: Any,
    ) -> None:
        from itertools import islice

        from ofsc_cli.client.api.statistics import iter_stats
        from ofsc_cli.models import dump

        obj = get_app(ctx)
        given = {k: v for k, v in filters.items() if v not in (None, False)}
        renderer = obj.renderer(stats.columns)
        if all_ and not dry_run:
            bound = getattr(obj.client().statistics, stats.get.spec.name)
            records = iter_stats(bound, offset=offset, limit=limit, **given)
            renderer.write_items(dump(r) for r in islice(records, limit))
            return
        page = execute(obj, stats.get, offset=offset, limit=limit, dry_run=dry_run, **given)
        if page is DRY_RUN:
            return
        count = renderer.write_items(dump(r) for r in page.items)
        if page.next_href():
            obj.info(f"Showing {count}; more follow: use --all, or --offset/--limit.")

    params = [
        inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context),
        _option("all_", bool, False, "--all", "Follow the next links: every record."),
        _option("limit", int | None, None, "--limit", "At most N records (and N per request)."),
        _option("offset", int | None, None, "--offset", "Skip this many records."),
        _option("dry_run", bool, False, "--dry-run", "Print the request; send nothing."),
    ]
    params += [
        _option(
            f.keyword,
            f.kind if f.kind is bool else f.kind | None,
            False if f.kind is bool else None,
            f.option,
            f.help,
        )
        for f in stats.filters
    ]
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = f"{stats.help}\n\nExample: ofsc statistics {stats.name} get --limit 20"
    return command


def _option(name: str, kind: Any, default: Any, flag: str, help: str) -> inspect.Parameter:
    extra: dict[str, Any] = {"min": 1, "max": 10_000} if name == "limit" else {}
    if name == "offset":
        extra = {"min": 0, "max": MAX_ITEMS}
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[kind, typer.Option(flag, help=help, **extra)],
    )


def _update_command(stats: Stats) -> Any:
    def command(ctx: typer.Context, file: FileOpt, dry_run: DryRunOpt = False) -> None:
        from ofsc_cli.cli.api_cmd import read_checked_body

        obj = get_app(ctx)
        body = read_checked_body(file, stats.update)
        render_result(obj, execute(obj, stats.update, body, dry_run=dry_run))

    command.__doc__ = (
        f'Set overrides from a file ({{"items": [...]}}).\n\n'
        f"Example: ofsc statistics {stats.name} update --file overrides.json"
    )
    return command


for _stats in STATS:
    _sub = typer.Typer(help=_stats.help, no_args_is_help=True)
    _sub.command("get")(_get_command(_stats))
    _sub.command("update")(_update_command(_stats))
    app.add_typer(_sub, name=_stats.name)
