"""``ofsc metadata export|diff|apply``: configuration migration between instances.

The work is done by :mod:`ofsc_cli.migrate` (no typer, no rich); this module turns options
into library calls, builds the async clients (the current profile, or ``--from``/``--to``
profiles) and renders plans, differences and summaries.  Data goes to stdout (a readable
report on a terminal, JSON when piped or with ``-o json``); progress and notes to stderr.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ofsc_cli.cli._resource import YesOpt, confirm
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.context import app as context_of
from ofsc_cli.cli.errors import UsageError

if TYPE_CHECKING:
    from ofsc_cli.client import AsyncOFSC
    from ofsc_cli.migrate import Action, ApplySummary, DiffReport, Snapshot

__all__ = ["add_commands"]

T = TypeVar("T")

DirArg = Annotated[Path, typer.Argument(metavar="DIR", help="The export directory.")]
OnlyOpt = Annotated[
    str | None,
    typer.Option(
        "--only", metavar="RESOURCES", help="Comma-separated resources (default: all exported)."
    ),
]
ConcurrencyOpt = Annotated[
    int, typer.Option("--concurrency", min=1, max=32, help="Requests in flight at once.")
]
SUMMARY_COLUMNS = ("resource", "created", "replaced", "unchanged", "deleted", "kept", "failed")


def _only(value: str | None) -> list[str] | None:
    if value is None:
        return None
    from ofsc_cli.migrate import select_kinds

    return [k.name for k in select_kinds(value.split(","))]


def _run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(make())


def _client_for(obj: AppContext, profile: str | None) -> AsyncOFSC:
    """An async client for ``profile`` (None: the current profile)."""
    if profile is None:
        return obj.async_client()
    from ofsc_cli.client import AsyncOFSC
    from ofsc_cli.client._factory import client_options

    return obj.build_client(
        lambda: AsyncOFSC(**client_options(profile, obj.overrides(), asynchronous=True))
    )


def _instance_name(obj: AppContext, profile: str | None) -> str:
    from ofsc_cli.config import resolve_settings

    settings = obj.settings() if profile is None else resolve_settings(profile=profile)
    return str(settings.values.instance or settings.profile_name or "unknown")


async def _fetch(
    obj: AppContext, profile: str | None, kinds: list[str] | None, concurrency: int, label: str
) -> Snapshot:
    from ofsc_cli.migrate import fetch_snapshot, select_kinds
    from ofsc_cli.output import progress

    selected = select_kinds(kinds)
    origin = f"profile {profile or obj.profile_name or 'default'}"
    with progress(len(selected), label, enabled=obj.show_progress, color=not obj.no_color) as bar:
        async with _client_for(obj, profile) as client:
            return await fetch_snapshot(
                client,
                selected,
                origin=origin,
                concurrency=concurrency,
                progress=lambda _name: bar.advance(),
            )


# -- export -------------------------------------------------------------------------------


def _export(
    ctx: typer.Context,
    directory: DirArg,
    only: OnlyOpt = None,
    concurrency: ConcurrencyOpt = 8,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Export into a non-empty directory that is not an export (its files are kept).",
        ),
    ] = False,
) -> None:
    """Export the configuration to DIR: one JSON file per object, and a manifest.

    DIR must be new, empty or a previous export (--force: any directory).  Only files a
    previous export wrote are replaced or removed; with --only, the other resources of the
    export are kept.
    """
    import time

    from ofsc_cli.migrate import open_export_directory, write_snapshot

    obj = context_of(ctx)
    kinds = _only(only)
    open_export_directory(directory, force=force)  # refuse before fetching anything
    started = time.perf_counter()
    snapshot = _run(lambda: _fetch(obj, None, kinds, concurrency, "Exporting"))
    stats = write_snapshot(directory, snapshot, instance=_instance_name(obj, None), force=force)
    elapsed = time.perf_counter() - started
    total = sum(snapshot.counts().values())
    obj.info(
        f"exported {total} objects of {len(snapshot.kinds)} resources to {directory} "
        f"in {elapsed:.1f}s ({stats.written} written, {stats.unchanged} unchanged, "
        f"{stats.removed} removed)"
    )
    rows = [{"resource": name, "objects": count} for name, count in snapshot.counts().items()]
    obj.renderer(("resource", "objects")).write_items(rows)


# -- diff ---------------------------------------------------------------------------------


def _render_report(obj: AppContext, report: DiffReport) -> None:
    from ofsc_cli.output import OutputFormat

    fmt = obj.format()
    if fmt in (OutputFormat.JSON, OutputFormat.YAML):
        obj.renderer().write_object(report.to_dict())
        return
    if fmt in (OutputFormat.NDJSON, OutputFormat.CSV):
        columns = ("resource", "label", "difference", "path", "source", "target")
        obj.renderer(columns).write_items(report.rows())
        return
    _print_report(obj, report)


def _value(value: Any) -> str:
    import json

    from ofsc_cli.migrate.diff import MISSING

    if value is MISSING:
        return "(absent)"
    return json.dumps(value, ensure_ascii=False)


def _print_report(obj: AppContext, report: DiffReport) -> None:
    """The human form of a diff: rich colours on a terminal, plain text otherwise."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(
        file=obj.stdout,
        force_terminal=bool(obj.stdout_tty) and not obj.no_color,
        no_color=obj.no_color,
        highlight=False,
        soft_wrap=True,
    )
    console.print(f"[bold]--- {escape(report.source)}[/]")
    console.print(f"[bold]+++ {escape(report.target)}[/]")
    for k in report.kinds:
        if k.equal:
            console.print(f"[dim]{k.name}: {k.unchanged} equal[/]")
            continue
        console.print(
            f"[bold]{k.name}[/]: {len(k.only_in_source)} only in source, "
            f"{len(k.only_in_target)} only in target, {len(k.changed)} changed, "
            f"{k.unchanged} equal"
        )
        for label in k.only_in_source:
            console.print(f"  [green]+ {escape(label)}[/] (only in source)")
        for label in k.only_in_target:
            console.print(f"  [red]- {escape(label)}[/] (only in target)")
        for label, changes in k.changed.items():
            console.print(f"  [yellow]~ {escape(label)}[/]")
            for c in changes:
                console.print(
                    f"      {escape(c.path)}: [green]{escape(_value(c.source))}[/] -> "
                    f"[red]{escape(_value(c.target))}[/]"
                )
    verdict = "no differences" if report.equal else "differences found"
    console.print(f"[bold]{verdict}[/]")


def _diff(
    ctx: typer.Context,
    directory: Annotated[
        Path | None, typer.Argument(metavar="[DIR]", help="Export directory (the source).")
    ] = None,
    source_profile: Annotated[
        str | None, typer.Option("--from", metavar="PROFILE", help="Source: a profile.")
    ] = None,
    target_profile: Annotated[
        str | None,
        typer.Option("--to", metavar="PROFILE", help="Target profile (default: the current)."),
    ] = None,
    only: OnlyOpt = None,
    concurrency: ConcurrencyOpt = 8,
) -> None:
    """Compare DIR (or --from PROFILE) with the current profile (or --to PROFILE).

    Exit status 0 when equal, 7 when different (see the exit codes).
    """
    from ofsc_cli.migrate import diff_snapshots, read_snapshot

    obj = context_of(ctx)
    if (directory is None) == (source_profile is None):
        raise UsageError("give either DIR or --from PROFILE as the source")
    kinds = _only(only)
    if directory is not None:
        source = read_snapshot(directory, kinds)
        kinds = source.kinds
    else:
        source = _run(lambda: _fetch(obj, source_profile, kinds, concurrency, "Reading source"))
    target = _run(lambda: _fetch(obj, target_profile, kinds, concurrency, "Reading target"))
    report = diff_snapshots(source, target)
    _render_report(obj, report)
    if not report.equal:
        from ofsc_cli.cli.errors import EXIT_DIFFERENCES

        raise typer.Exit(EXIT_DIFFERENCES)


# -- apply --------------------------------------------------------------------------------


def _print_plan(obj: AppContext, actions: list[Action]) -> None:
    from ofsc_cli.output import OutputFormat

    writes = [a for a in actions if a.writes]
    if obj.format() is not OutputFormat.TABLE:
        obj.renderer(("resource", "label", "action", "fields")).write_items(
            a.to_dict() for a in writes
        )
        return
    marks = {"create": "+", "replace": "~", "delete": "-"}
    for a in writes:
        detail = f" ({', '.join(c.path for c in a.changes[:5])})" if a.changes else ""
        more = f" and {len(a.changes) - 5} more" if len(a.changes) > 5 else ""
        obj.stdout.write(f"{marks[a.verb]} {a.verb} {a.kind}/{a.label}{detail}{more}\n")
    if not writes:
        obj.stdout.write("nothing to do\n")
    obj.stdout.flush()


def _render_summary(obj: AppContext, summary: ApplySummary, *, planned: bool) -> None:
    title = "Planned changes" if planned else "Applied"
    obj.renderer(SUMMARY_COLUMNS, title=title).write_items(summary.table())


def _apply(
    ctx: typer.Context,
    directory: DirArg,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan; send no write.")
    ] = False,
    prune: Annotated[
        bool,
        typer.Option("--prune", help="Delete objects absent from DIR (resources that allow it)."),
    ] = False,
    only: OnlyOpt = None,
    yes: YesOpt = False,
    concurrency: ConcurrencyOpt = 8,
) -> None:
    """Make the current profile match DIR: create and replace in dependency order.

    Unchanged objects are not written (a second apply writes nothing).  Failures are
    reported per object and the others continue; the exit status is 1 if any failed.
    """
    from ofsc_cli.migrate import plan_apply, read_snapshot, run_plan, summarize
    from ofsc_cli.output import progress

    obj = context_of(ctx)
    source = read_snapshot(directory, _only(only), prune=prune)
    target = _run(lambda: _fetch(obj, None, source.kinds, concurrency, "Reading target"))
    actions = plan_apply(source, target, prune=prune)
    writes = [a for a in actions if a.writes]
    if dry_run:
        _print_plan(obj, actions)
        _render_summary(obj, summarize(actions, None), planned=True)
        obj.info("dry run: nothing was sent")
        return
    deletes = [a for a in writes if a.verb == "delete"]
    if deletes:
        confirm(obj, f"Delete {len(deletes)} object(s) absent from {directory}?", yes)

    async def go() -> Any:
        with progress(
            len(writes), "Applying", enabled=obj.show_progress, color=not obj.no_color
        ) as bar:
            async with _client_for(obj, None) as client:
                return await run_plan(
                    client, actions, concurrency=concurrency, on_outcome=lambda _o: bar.advance()
                )

    outcomes = _run(go) if writes else []
    summary = summarize(actions, outcomes)
    for failure in summary.failures:
        a = failure.action
        obj.warn(f"{a.verb} {a.kind}/{a.label} failed: {failure.error}")
    _render_summary(obj, summary, planned=False)
    if summary.failed:
        obj.info(f"{summary.failed} of {len(writes)} write(s) failed")
        raise typer.Exit(1)


def add_commands(app: typer.Typer) -> None:
    """Add ``export``, ``diff`` and ``apply`` to the ``metadata`` group."""
    app.command("export")(_export)
    app.command("diff")(_diff)
    app.command("apply")(_apply)
