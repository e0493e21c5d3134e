"""Configuration migration between OFS instances: export, diff, apply.

The library part of ``ofsc metadata export|diff|apply`` (no typer, no rich)::

    import asyncio
    from pathlib import Path
    from ofsc_cli import AsyncOFSC
    from ofsc_cli.migrate import fetch_snapshot, write_snapshot, read_snapshot, diff_snapshots

    async def main() -> None:
        async with AsyncOFSC(...) as client:
            snap = await fetch_snapshot(client, origin="prod")
        write_snapshot(Path("cfg"), snap, instance="prod")

    asyncio.run(main())

Kinds (resources) and their dependency order are in :mod:`.kinds`; directory layout and
normalization in :mod:`.snapshot`; comparison in :mod:`.diff`; planning and writing in
:mod:`.apply`.
"""

from ofsc_cli.migrate.apply import (
    Action,
    ApplySummary,
    Outcome,
    plan_apply,
    run_plan,
    summarize,
)
from ofsc_cli.migrate.diff import DiffReport, FieldChange, KindDiff, diff_snapshots
from ofsc_cli.migrate.kinds import KINDS, Kind, MigrationInputError, select_kinds
from ofsc_cli.migrate.snapshot import (
    DEFAULT_CONCURRENCY,
    MANIFEST,
    ExportDirectory,
    Snapshot,
    WriteStats,
    check_prune,
    fetch_snapshot,
    open_export_directory,
    read_manifest,
    read_snapshot,
    write_snapshot,
)

__all__ = [
    "DEFAULT_CONCURRENCY",
    "KINDS",
    "MANIFEST",
    "Action",
    "ApplySummary",
    "DiffReport",
    "ExportDirectory",
    "FieldChange",
    "Kind",
    "KindDiff",
    "MigrationInputError",
    "Outcome",
    "Snapshot",
    "WriteStats",
    "check_prune",
    "diff_snapshots",
    "fetch_snapshot",
    "open_export_directory",
    "plan_apply",
    "read_manifest",
    "read_snapshot",
    "run_plan",
    "select_kinds",
    "summarize",
    "write_snapshot",
]
