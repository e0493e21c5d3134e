"""The journaled bulk commands (``core activities bulk-update``, ``core resources
bulk-update-*``), declared by :func:`bulk_command`: their common options, and the progress
bar, Ctrl-C handling, per-item results and exit codes around
:func:`ofsc_cli.client.bulk.plan_bulk`.

Every bulk command has the same options: ``--file``, ``--batch-size``, ``--journal``,
``--restart``, ``--in-doubt refuse|resend|skip`` and ``--dry-run`` (which checks the input
and prints the first request).  Exit codes: 0 when every item was applied, 1 when some item's
result reports errors, 2 for bad input or an unusable journal (also while another run holds
it: one run at a time per journal, see :class:`~ofsc_cli.client.bulk.JournalLock`), 130 when
stopped by Ctrl-C.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ofsc_cli.cli.declare import Arg, Call, Command, Opt
from ofsc_cli.cli.errors import EXIT_API, EXIT_INTERRUPTED, UsageError

if TYPE_CHECKING:
    from ofsc_cli.cli.context import AppContext
    from ofsc_cli.client.bulk import BulkPlan

__all__ = ["BULK_FILE", "BULK_OPTIONS", "bulk_command", "run_bulk", "send"]

BULK_FILE = Opt(
    "--file",
    short="-F",
    help="Items as JSON, NDJSON or CSV (a file: its journal goes next to it).",
    metavar="PATH",
    required=True,
    to_op=False,
)
BULK_OPTIONS = (
    Opt(
        "--batch-size",
        help="Items per request (default 100, or the interrupted run's).",
        kind="int",
        bounds=(1, 5000),
        to_op=False,
    ),
    Opt("--journal", help="Default: <file>.journal next to it.", metavar="PATH", to_op=False),
    Opt(
        "--restart",
        help="Forget the journal and apply everything again.",
        kind="bool",
        to_op=False,
    ),
    Opt(
        "--in-doubt",
        help="A batch in flight when a run died: refuse to go on (the default where applying "
        "it twice is not harmless), resend it, or skip it as applied.",
        metavar="refuse|resend|skip",
        to_op=False,
    ),
)
"""The options every bulk command has after ``--file`` and its own."""


def bulk_command(
    verb: str,
    op: Any,
    columns: Sequence[str],
    *,
    example: str | tuple[str, ...],
    help: str | None = None,
    params: tuple[Arg | Opt, ...] = (),
    parameters: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
) -> Command:
    """A journaled bulk command ``verb`` for the bulk operation ``op``: ``--file``, then
    ``params`` (the command's own options), then :data:`BULK_OPTIONS`.  ``parameters`` maps
    the values to the request's update parameters (those given override the input's)."""
    from ofsc_cli.client.bulk import bulk_specs

    spec = bulk_specs()[op.spec.key]

    def run(call: Call) -> None:
        given = parameters(call.values) if parameters is not None else None
        run_bulk(call, columns=columns, parameters=given)

    return Command(
        verb,
        help
        or (
            f"Apply {spec.name} to many {spec.unit}, in batches, resumably "
            "(journal next to the input; run again to continue)."
        ),
        example,
        op=op,
        params=(BULK_FILE, *params, *BULK_OPTIONS),
        columns=tuple(columns),
        what=spec.unit,
        run=run,
    )


def send(call: Call, body: Any) -> Any:
    """Send one batch (the bulk operation with ``body``), or print it with ``--dry-run``."""
    return call.execute(None, body)


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


def run_bulk(
    call: Call, *, columns: Sequence[str], parameters: Mapping[str, Any] | None = None
) -> None:
    """Check the input, then send it with a progress bar (or, with ``--dry-run``, print the
    first request); render the per-item results; exit as the module docstring says."""
    import typer

    from ofsc_cli.client import bulk
    from ofsc_cli.output import progress

    obj, values = call.obj, call.values
    op = call.command.op
    spec = bulk.bulk_specs()[op.spec.key]
    file = Path(values["file"])
    if str(values["file"]) == "-":
        raise UsageError("a bulk update reads a file (its journal is kept next to it), not stdin")
    journal = values.get("journal")
    plan = bulk.plan_bulk(
        spec,
        file,
        operation=op.spec.key,
        parameters=parameters,
        journal_path=Path(journal) if journal is not None else None,
        batch_size=values.get("batch_size"),
        restart=bool(values.get("restart")),
        in_doubt=values.get("in_doubt"),
    )
    if call.dry_run:
        with plan:
            obj.info(
                f"{plan.items} {spec.unit} in {plan.batches} batches of up to {plan.max_items}; "
                f"{plan.pending_batches} to send, {plan.done} already applied"
            )
            first = next(plan.pending(), None)
            if first is not None:
                send(call, first.payload)
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
                    lambda body: send(call, body),
                    on_batch=lambda batch, outcome: bar.advance(len(batch.records)),
                    should_stop=stop,
                )
                interrupted: bulk.BulkInterrupted | None = None
            except bulk.BulkInterrupted as stopped:
                report, interrupted = stopped.report, stopped
    for note in report.notes:
        obj.info(note)
    call.write(report.results(), columns)
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
