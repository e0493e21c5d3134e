"""Export the activities of a date range to NDJSON, for a nightly job: all of them, or fail.

    python examples/nightly_activities.py activities.ndjson                 # yesterday
    python examples/nightly_activities.py nov.ndjson -p prod --resources ROOT \\
        --date-from 2026-11-01 --date-to 2026-11-30

The library's activities export (:class:`ofsc_cli.client.export.ActivityExport`, what
``ofsc core activities list --all`` runs) splits the range into days and pages each day to
its end, at most 3 ``GET activities`` at once, retrying transient failures (500 included, as
for any bulk read).  The activities are written one JSON object per line, in day order, to
``FILE.part``, which is renamed to FILE only once every day was read to its end: a job that
picks FILE up never sees a partial export.

A count of activities per day goes to stderr, with the total; the script checks that the
lines written add up to what the export delivered.  When anything is missing (a page that
could not be fetched, after the retries) it names each day and offset lost, leaves
``FILE.part`` for inspection and exits 1 (4 when the credentials were refused, 6 when the
server could not be reached, as the CLI).  Bad arguments exit 2, a bad profile 3.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import os
import sys
from pathlib import Path

from ofsc_cli import (
    AsyncOFSC,
    OFSAuthenticationError,
    OFSCircuitOpenError,
    OFSConfigurationError,
    OFSConnectionError,
    OFSError,
    OFSTimeoutError,
    OFSValidationError,
)
from ofsc_cli.client.export import ActivityExport, ActivityQuery, ExportIncompleteError


def exit_status(error: OFSError) -> int:
    """The CLI's exit status for ``error`` (its cause when it has one)."""
    cause = getattr(error, "last_error", None) or error
    if isinstance(cause, OFSConfigurationError):
        return 3
    if isinstance(cause, OFSAuthenticationError):
        return 4
    if isinstance(cause, OFSConnectionError | OFSTimeoutError | OFSCircuitOpenError):
        return 6
    if isinstance(cause, OFSValidationError) and cause.status_code is None:
        return 2
    return 1


async def export(profile: str, query: ActivityQuery, out: Path) -> collections.Counter[str]:
    """Write the activities of ``query`` to ``out``; returns the count per day.  Raises
    :class:`ExportIncompleteError` (after writing everything else) when a page is missing."""
    per_day: collections.Counter[str] = collections.Counter()
    async with AsyncOFSC.from_profile(profile) as client:
        client.retry = client.retry.for_bulk_reads()  # a GET of a page can always be asked again
        job = ActivityExport(client, query)
        with out.open("w", encoding="utf-8") as fh:
            async for page in job.pages():
                for item in page.items:
                    fh.write(json.dumps(item, ensure_ascii=False) + "\n")
                per_day[page.task.label] += len(page.items)
            fh.flush()
            os.fsync(fh.fileno())
        if sum(per_day.values()) != job.exported:  # what was written is what arrived
            raise OFSError(f"{sum(per_day.values())} lines written, {job.exported} received")
    return per_day


def main(argv: list[str] | None = None) -> int:
    """Run the example with the command-line arguments ``argv``; returns the exit status."""
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="the NDJSON file to write")
    parser.add_argument("-p", "--profile", default="sandbox", help="default: sandbox")
    parser.add_argument("--resources", default="ROOT", help="comma-separated (default: ROOT)")
    parser.add_argument("--date-from", default=yesterday, help="YYYY-MM-DD (default: yesterday)")
    parser.add_argument("--date-to", default=None, help="YYYY-MM-DD (default: --date-from)")
    args = parser.parse_args(argv)
    part = args.file.with_name(args.file.name + ".part")
    try:
        first = dt.date.fromisoformat(args.date_from)
        last = dt.date.fromisoformat(args.date_to) if args.date_to else first
    except ValueError as exc:
        parser.error(str(exc))
    query = ActivityQuery(resources=tuple(args.resources.split(",")), date_from=first, date_to=last)
    try:
        per_day = asyncio.run(export(args.profile, query, part))
    except ExportIncompleteError as exc:
        print(f"nightly_activities: {exc}", file=sys.stderr)
        for missing in exc.missing:
            print(f"nightly_activities: lost: {missing.describe()}", file=sys.stderr)
        print(f"nightly_activities: the partial export is in {part}", file=sys.stderr)
        return exit_status(exc)
    except OFSError as exc:
        print(f"nightly_activities: {exc}", file=sys.stderr)
        return exit_status(exc)
    os.replace(part, args.file)
    for day, count in sorted(per_day.items()):
        print(f"{day}\t{count}", file=sys.stderr)
    total = sum(per_day.values())
    print(f"{total} activities of {len(per_day)} days written to {args.file}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
