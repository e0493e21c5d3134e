"""``ofsc metadata export|diff|apply``: configuration migration between instances.

The work is done by :mod:`ofsc_cli.migrate` (no typer, no rich); the three declarations
below turn options into library calls, build the async clients (the current profile, or
``--from``/``--to`` profiles) and render plans, differences and summaries.  Data goes to
stdout (a readable report on a terminal, JSON when piped or with ``-o json``); progress and
notes to stderr.  :data:`MIGRATION_COMMANDS` joins the ``metadata`` group.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ofsc_cli.cli.declare import Arg, Call, Command, Opt
from ofsc_cli.cli.errors import UsageError

if TYPE_CHECKING:
    from ofsc_cli.cli.context import AppContext
    from ofsc_cli.client import AsyncOFSC
    from ofsc_cli.migrate import Action, ApplySummary, DiffReport, Snapshot

__all__ = ["MIGRATION_COMMANDS"]

T = TypeVar("T")

SUMMARY_COLUMNS = ("resource", "created", "replaced", "unchanged", "deleted", "kept", "failed")

ONLY = Opt(
    "--only",
    help="Only these resources, comma-separated (default: all exported).",
    kind="list",
    metavar="RESOURCES",
    to_op=False,
)
CONCURRENCY = Opt(
    "--concurrency",
    help="Requests in flight at once.",
    kind="int",
    default=8,
    bounds=(1, 32),
    to_op=False,
)


def _only(values: dict[str, Any]) -> list[str] | None:
    names: list[str] | None = values["only"]
    if names is None:
        return None
    from ofsc_cli.migrate import select_kinds

    return [k.name for k in select_kinds(names)]


def _run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    import asyncio  # only these three commands need an event loop: not at import

    return asyncio.run(make())


def _client_for(obj: AppContext, profile: str | None) -> AsyncOFSC:
    """An async client for ``profile`` (None: the current profile)."""
    if profile is None:
        return obj.async_client()
    from ofsc_cli.client import AsyncOFSC
    from ofsc_cli.factory import client_options

    return obj.build_client(
        lambda: AsyncOFSC(
            **client_options(profile, {**obj.overrides(), "plugins": True}, asynchronous=True)
        )
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


def _export(call: Call) -> None:
    import time

    from ofsc_cli.migrate import open_export_directory, write_snapshot

    obj, values = call.obj, call.values
    directory, force, concurrency = (
        Path(values["directory"]),
        values["force"],
        values["concurrency"],
    )
    kinds = _only(values)
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


def _diff(call: Call) -> None:
    import typer

    from ofsc_cli.migrate import diff_snapshots, read_snapshot

    obj, values = call.obj, call.values
    directory, source_profile = values["directory"], values["source_profile"]
    concurrency = values["concurrency"]
    if (directory is None) == (source_profile is None):
        raise UsageError("give either DIR or --from PROFILE as the source")
    kinds = _only(values)
    if directory is not None:
        source = read_snapshot(Path(directory), kinds)
        kinds = source.kinds
    else:
        source = _run(lambda: _fetch(obj, source_profile, kinds, concurrency, "Reading source"))
    target_profile = values["target_profile"]
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


def _apply(call: Call) -> None:
    import typer

    from ofsc_cli.migrate import plan_apply, read_snapshot, run_plan, summarize
    from ofsc_cli.output import progress

    obj, values = call.obj, call.values
    directory, prune, concurrency = (
        Path(values["directory"]),
        values["prune"],
        values["concurrency"],
    )
    source = read_snapshot(directory, _only(values), prune=prune)
    target = _run(lambda: _fetch(obj, None, source.kinds, concurrency, "Reading target"))
    actions = plan_apply(source, target, prune=prune)
    writes = [a for a in actions if a.writes]
    if values["dry_run"]:
        _print_plan(obj, actions)
        _render_summary(obj, summarize(actions, None), planned=True)
        obj.info("dry run: nothing was sent")
        return
    deletes = [a for a in writes if a.verb == "delete"]
    if deletes:
        question = str(call.command.confirm).format(count=len(deletes), directory=directory)
        call.confirm(question)

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


# -- the declarations -----------------------------------------------------------------------

DIRECTORY = Arg("directory", "DIR", "The export directory.", to_op=False)

MIGRATION_COMMANDS: tuple[Command, ...] = (
    Command(
        "export",
        "Export the configuration to DIR: one JSON file per object, and a manifest.\n\n"
        "DIR must be new, empty or a previous export (--force: any directory).  Only files a "
        "previous export wrote are replaced or removed; with --only, the other resources of "
        "the export are kept.",
        (
            "ofsc metadata export ./config-prod",
            "ofsc metadata export ./config-prod --only work-zones,work-skills",
        ),
        params=(
            DIRECTORY,
            ONLY,
            CONCURRENCY,
            Opt(
                "--force",
                help="Export into a non-empty directory that is not an export "
                "(its files are kept).",
                kind="bool",
                to_op=False,
            ),
        ),
        run=_export,
    ),
    Command(
        "diff",
        "Compare DIR (or --from PROFILE) with the current profile (or --to PROFILE).\n\n"
        "Exit status 0 when equal, 7 when different (see the exit codes).",
        (
            "ofsc metadata diff ./config-prod",
            "ofsc metadata diff --from prod --to test --only shifts",
        ),
        params=(
            Arg(
                "directory",
                "[DIR]",
                "Export directory (the source).",
                required=False,
                to_op=False,
            ),
            Opt(
                "--from",
                "source_profile",
                "Source: a profile.",
                metavar="PROFILE",
                to_op=False,
            ),
            Opt(
                "--to",
                "target_profile",
                "Target profile (default: the current).",
                metavar="PROFILE",
                to_op=False,
            ),
            ONLY,
            CONCURRENCY,
        ),
        run=_diff,
    ),
    Command(
        "apply",
        "Make the current profile match DIR: create and replace in dependency order.\n\n"
        "Unchanged objects are not written (a second apply writes nothing).  Failures are "
        "reported per object and the others continue; the exit status is 1 if any failed.",
        (
            "ofsc metadata apply ./config-prod --dry-run",
            "ofsc metadata apply ./config-prod --prune --yes",
        ),
        params=(
            DIRECTORY,
            Opt("--dry-run", help="Show the plan; send no write.", kind="bool", to_op=False),
            Opt(
                "--prune",
                help="Delete objects absent from DIR (resources that allow it).",
                kind="bool",
                to_op=False,
            ),
            ONLY,
            CONCURRENCY,
        ),
        confirm="Delete {count} object(s) absent from {directory}?",
        run=_apply,
    ),
)
"""``export``, ``diff`` and ``apply``, for the ``metadata`` group."""
