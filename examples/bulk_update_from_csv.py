"""Apply a CSV of changes to many activities or resources, in batches, resumably.

    python examples/bulk_update_from_csv.py changes.csv                   # activities
    python examples/bulk_update_from_csv.py zones.csv --kind work-zones -p prod
    python examples/bulk_update_from_csv.py changes.csv --batches 1      # a canary batch first

Input: a CSV whose header names the fields.  ``--kind activities`` (the default): one row
per activity, ``activityId`` and the fields to change (``activityId,job_notes,duration``).
``--kind work-zones`` / ``work-skills``: one row per assignment, rows of one resource grouped
into one item (``resourceId,workZone,startDate,ratio``; ``resourceId,workSkill,ratio``).
Every row is checked before anything is sent; a bad one exits 2 naming its line and field.

The library's journaled bulk runner (:mod:`ofsc_cli.client.bulk`, what ``ofsc core
activities bulk-update`` runs) keeps ``FILE.journal`` next to the input: after a Ctrl-C, a
crash, a failed batch or ``--batches N``, the same command sends only what is left (a
journal written for another input is refused; ``--restart`` starts over).  The first
Ctrl-C stops after the batch in flight; a second one stops at once.

Output: one JSON line per input item on stdout (its line, keys and the API's result, from
the journal: every run's), a summary on stderr.  Exit status: 0 when every item was
applied, 1 when some item's result reports errors (or a request failed), 2 for bad input or
an unusable journal, 3 for a bad profile, 130 when stopped by Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ofsc_cli import OFSC, OFSConfigurationError, OFSError, OFSValidationError
from ofsc_cli.client import bulk
from ofsc_cli.client.api.core import Core

KINDS = {
    "activities": "bulk_update_activities",
    "work-zones": "bulk_update_work_zones",
    "work-skills": "bulk_update_work_skills",
}
"""``--kind`` -> the client method (``client.core.<name>``) that sends one batch."""


def main(argv: list[str] | None = None) -> int:
    """Run the example with the command-line arguments ``argv``; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="the CSV of changes")
    parser.add_argument("-p", "--profile", default="sandbox", help="default: sandbox")
    parser.add_argument("--kind", choices=sorted(KINDS), default="activities")
    parser.add_argument("--batch-size", type=int, help="items per request (default 100)")
    parser.add_argument("--batches", type=int, help="send at most N batches in this run")
    parser.add_argument("--restart", action="store_true", help="ignore the journal")
    parser.add_argument("--in-doubt", choices=bulk.IN_DOUBT_CHOICES, help="see ofsc --help")
    args = parser.parse_args(argv)
    method = KINDS[args.kind]
    key = getattr(Core, method).spec.key  # "POST /rest/ofscCore/v1/…", kept in the journal
    spec = bulk.bulk_specs()[key]
    sent = 0

    def count(batch: bulk.Batch, outcome: str) -> None:
        nonlocal sent
        sent += outcome == "sent"

    try:
        plan = bulk.plan_bulk(
            spec,
            args.file,
            operation=key,
            batch_size=args.batch_size,
            restart=args.restart,
            in_doubt=args.in_doubt,
        )
    except OFSValidationError as exc:  # bad input, a journal of another input, a batch in doubt
        print(f"bulk_update_from_csv: {exc}", file=sys.stderr)
        return 2
    with plan:  # the journal stays locked until the run ends: one run at a time
        print(
            f"{plan.items} {spec.unit} in {plan.batches} batches: {plan.done} applied earlier,"
            f" {plan.pending_batches} to send (journal {plan.journal_path})",
            file=sys.stderr,
        )
        try:
            with OFSC.from_profile(args.profile) as client, bulk.deferred_interrupt() as ctrl_c:

                def should_stop() -> bool:
                    return ctrl_c() or (args.batches is not None and sent >= args.batches)

                try:
                    report = plan.run(
                        getattr(client.core, method), on_batch=count, should_stop=should_stop
                    )
                    stopped: bulk.BulkInterrupted | None = None
                except bulk.BulkInterrupted as exc:
                    report, stopped = exc.report, exc
                interrupted = ctrl_c()
        except OFSConfigurationError as exc:
            print(f"bulk_update_from_csv: {exc}", file=sys.stderr)
            return 3
        except OFSError as exc:  # a batch failed: the journal knows which; run again to resume
            print(f"bulk_update_from_csv: {exc}", file=sys.stderr)
            return 1
    for row in report.results():
        print(json.dumps(row, ensure_ascii=False))
    for note in report.notes:
        print(f"bulk_update_from_csv: {note}", file=sys.stderr)
    print(
        f"{sent} batches sent in this run, {report.skipped} applied earlier;"
        f" {report.failed_items} of {report.items} {spec.unit} with errors",
        file=sys.stderr,
    )
    if stopped is not None and interrupted:
        print(f"bulk_update_from_csv: {stopped}", file=sys.stderr)
        return 130
    if stopped is not None:
        print(
            f"stopped after batch {stopped.done} of {stopped.total} (--batches {args.batches});"
            " run the same command again to send the rest",
            file=sys.stderr,
        )
    return 1 if report.failed_items else 0


if __name__ == "__main__":
    sys.exit(main())
