"""Export the configuration of one profile, then compare it with another profile.

    python examples/export_and_diff.py ./cfg --to test              # the sandbox vs test
    python examples/export_and_diff.py ./cfg -p prod --to test --only work-zones,work-skills

Step 1 writes DIR as ``ofsc metadata export DIR -p PROFILE`` does (one JSON file per object
and a ``manifest.json``; exporting an unchanged instance again changes no byte).  Step 2
reads DIR back and compares it with the configuration of the ``--to`` profile, as
``ofsc metadata diff DIR -p TARGET`` does.  Each difference is one tab-separated line on
stdout: resource, label, difference (``only-in-source``, ``only-in-target`` or ``changed``),
then for a change the field path and both values as JSON.  A summary goes to stderr.

Exit status, as the CLI's: 0 when both sides are equal, 7 when they differ, 1 when a request
fails, 2 for bad arguments or an export directory that cannot be used (it must be new, empty
or a previous export; ``--force`` allows any directory, leaving its other files alone), 3 for
an unknown or incomplete profile.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from ofsc_cli import AsyncOFSC, OFSConfigurationError, OFSError
from ofsc_cli.migrate import (
    Kind,
    MigrationInputError,
    Snapshot,
    diff_snapshots,
    fetch_snapshot,
    read_snapshot,
    select_kinds,
    write_snapshot,
)

EXIT_DIFFERENCES = 7


async def read_profile(profile: str, kinds: list[Kind]) -> tuple[Snapshot, str]:
    """The configuration objects of ``kinds`` on ``profile``'s instance, and its name."""
    async with AsyncOFSC.from_profile(profile) as client:
        snapshot = await fetch_snapshot(client, kinds, origin=f"profile {profile}")
        return snapshot, client.instance


def _cell(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    """Run the example with the command-line arguments ``argv``; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="the export directory")
    parser.add_argument("-p", "--profile", default="sandbox", help="source (default: sandbox)")
    parser.add_argument("--to", required=True, metavar="PROFILE", help="the profile to compare")
    parser.add_argument("--only", help="resources, comma-separated (default: all)")
    parser.add_argument("--force", action="store_true", help="export into any directory")
    args = parser.parse_args(argv)
    try:
        kinds = select_kinds(args.only.split(",") if args.only else None)
        source, instance = asyncio.run(read_profile(args.profile, kinds))
        stats = write_snapshot(args.directory, source, instance=instance, force=args.force)
        print(
            f"exported {sum(source.counts().values())} objects of {len(source.kinds)} resources"
            f" from {args.profile} to {args.directory} ({stats.written} files written,"
            f" {stats.unchanged} unchanged, {stats.removed} removed)",
            file=sys.stderr,
        )
        exported = read_snapshot(args.directory, source.kinds)
        target, _ = asyncio.run(read_profile(args.to, kinds))
    except MigrationInputError as exc:
        print(f"export_and_diff: {exc}", file=sys.stderr)
        return 2
    except OFSConfigurationError as exc:
        print(f"export_and_diff: {exc}", file=sys.stderr)
        return 3
    except OFSError as exc:
        print(f"export_and_diff: {exc}", file=sys.stderr)
        return 1
    report = diff_snapshots(exported, target)
    for row in report.rows():
        cells = [row["resource"], row["label"], row["difference"]]
        if row["difference"] == "changed":
            cells += [row["path"], _cell(row.get("source")), _cell(row.get("target"))]
        print("\t".join(cells))
    changed = sum(not k.equal for k in report.kinds)
    if report.equal:
        print(f"{args.directory} and {args.to} are equal", file=sys.stderr)
        return 0
    print(f"{changed} of {len(report.kinds)} resources differ on {args.to}", file=sys.stderr)
    return EXIT_DIFFERENCES


if __name__ == "__main__":
    sys.exit(main())
