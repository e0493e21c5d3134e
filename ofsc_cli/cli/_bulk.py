"""The journaled bulk commands (``core activities bulk-update``, ``core resources
bulk-update-*``): their common options, and the progress bar, Ctrl-C handling, per-item
results and exit codes around :func:`ofsc_cli.client._bulk.plan_bulk`.

Every bulk command has the same options: ``--file``, ``--batch-size``, ``--journal``,
``--restart``, ``--in-doubt refuse|resend|skip`` and ``--dry-run`` (which checks the input
and prints the first request).  Exit codes: 0 when every item was applied, 1 when some item's
result reports errors, 2 for bad input or an unusable journal (also while another run holds
it: one run at a time per journal, see :class:`~ofsc_cli.client._bulk.JournalLock`), 130 when
stopped by Ctrl-C.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ofsc_cli.cli._resource import execute
from ofsc_cli.cli.context import AppContext, app
from ofsc_cli.cli.errors import EXIT_API, EXIT_INTERRUPTED, UsageError

if TYPE_CHECKING:
    from ofsc_cli.client._bulk import BulkPlan, BulkSpec

__all__ = [
    "BatchSizeOpt",
    "BulkDryRunOpt",
    "BulkFileOpt",
    "InDoubtOpt",
    "JournalOpt",
    "RestartOpt",
    "add_bulk_command",
    "run_bulk_command",
]

BulkFileOpt = Annotated[
    Path,
    typer.Option(
        "--file", "-F", help="Items as JSON, NDJSON or CSV (a file: its journal goes next to it)."
    ),
]
BatchSizeOpt = Annotated[
    int | None,
    typer.Option(
        "--batch-size",
        min=1,
        max=5000,
        help="Items per request (default 100, or the interrupted run's).",
    ),
]
JournalOpt = Annotated[
    Path | None, typer.Option("--journal", help="Default: <file>.journal next to it.")
]
RestartOpt = Annotated[
    bool, typer.Option("--restart", help="Forget the journal and apply everything again.")
]
InDoubtOpt = Annotated[
    str | None,
    typer.Option(
        "--in-doubt",
        metavar="refuse|resend|skip",
        help="A batch in flight when a run died: refuse to go on (the default where applying "
        "it twice is not harmless), resend it, or skip it as applied.",
    ),
]
BulkDryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help="Check the input, print the first request; send nothing."),
]


def add_bulk_command(
    sub: typer.Typer, verb: str, declared: Any, spec: BulkSpec, columns: Sequence[str]
) -> None:
    """A journaled bulk command ``verb`` for ``declared``, with the common options only."""

    def command(
        ctx: typer.Context,
        file: BulkFileOpt,
        batch_size: BatchSizeOpt = None,
        journal: JournalOpt = None,
        restart: RestartOpt = False,
        in_doubt: InDoubtOpt = None,
        dry_run: BulkDryRunOpt = False,
    ) -> None:
        run_bulk_command(
            app(ctx),
            declared,
            spec,
            file,
            columns=columns,
            batch_size=batch_size,
            journal=journal,
            restart=restart,
            in_doubt=in_doubt,
            dry_run=dry_run,
        )

    command.__doc__ = (
        f"Apply {spec.name} to many {spec.unit}, in batches, resumably "
        "(journal next to the input; run again to continue)."
    )
    sub.command(verb)(command)


def _announce(obj: AppContext, plan: BulkPlan) -> None:
    unit = plan.spec.unit
    if plan.pending_batches == 0:
        obj.info(
            f"all {plan.items} {unit} were already applied (journal {plan.journal_path}); "
            "--restart applies them again"
        )
        return
    earlier = f"; {plan.done} batches already applied earlier" if plan.done else ""
    obj.info(
        f"sending {plan.pending_items} {unit} in {plan.pending_batches} batches{earlier} "
        f"(journal {plan.journal_path})"
    )


def run_bulk_command(
    obj: AppContext,
    declared: Any,
    spec: BulkSpec,
    file: Path,
    *,
    columns: Sequence[str],
    batch_size: int | None = None,
    journal: Path | None = None,
    restart: bool = False,
    in_doubt: str | None = None,
    dry_run: bool = False,
    parameters: Mapping[str, Any] | None = None,
) -> None:
    """Check the input, then send it with a progress bar (or, with ``dry_run``, print the
    first request); render the per-item results; exit as the module docstring says."""
    from ofsc_cli.client import _bulk as bulk
    from ofsc_cli.output import progress

    if str(file) == "-":
        raise UsageError("a bulk update reads a file (its journal is kept next to it), not stdin")
    plan = bulk.plan_bulk(
        spec,
        file,
        operation=declared.spec.key,
        parameters=parameters,
        journal_path=journal,
        batch_size=batch_size,
        restart=restart,
        in_doubt=in_doubt,
    )
    if dry_run:
        with plan:
            obj.info(
                f"{plan.items} {spec.unit} in {plan.batches} batches of up to {plan.max_items}; "
                f"{plan.pending_batches} to send, {plan.done} already applied"
            )
            first = next(plan.pending(), None)
            if first is not None:
                execute(obj, declared, first.payload, dry_run=True)
        return
    with plan:  # the journal stays locked until the run ends
        _announce(obj, plan)
        with (
            progress(
                plan.items,
                f"bulk {spec.name}",
                enabled=obj.show_progress,
                stream=obj.stderr,
                color=not obj.no_color,
            ) as bar,
            bulk.deferred_interrupt(
                lambda: obj.info("stopping after the current batch (Ctrl-C again to abort now)")
            ) as stop,
        ):
            try:
                report = plan.run(
                    lambda body: execute(obj, declared, body),
                    on_batch=lambda batch, outcome: bar.advance(len(batch.records)),
                    should_stop=stop,
                )
                interrupted: bulk.BulkInterrupted | None = None
            except bulk.BulkInterrupted as stopped:
                report, interrupted = stopped.report, stopped
    for note in report.notes:
        obj.info(note)
    obj.renderer(tuple(columns)).write_items(report.results())
    if interrupted is not None:
        obj.stderr.write(f"ofsc: {interrupted}\n")
        raise typer.Exit(EXIT_INTERRUPTED)
    failed = report.failed_items
    obj.info(
        f"{report.items - failed} of {report.items} {spec.unit} updated without errors"
        + (f"; {failed} with errors (see the results)" if failed else "")
    )
    if failed:
        raise typer.Exit(EXIT_API)
