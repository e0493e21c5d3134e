"""Page through several collections at once with the async client, and count what each holds.

    python examples/async_parallel_paging.py                      # the sandbox
    python examples/async_parallel_paging.py -p prod --concurrency 4 --ndjson resources.ndjson

Each collection is read with ``iter(concurrency=N)``: once the first page gives the total,
the remaining pages are fetched N at a time and their items handed out in order.  ``asyncio.gather``
runs the collections side by side on one :class:`ofsc_cli.AsyncOFSC` client (its
connection pool, retries and circuit breaker are shared).  The output is one line per
collection, ``name<TAB>items<TAB>totalResults``, and the script checks the two agree: a
collection that changed while it was read (or a server that miscounts) exits 1.

``--ndjson FILE`` also writes the resources read, one JSON object per line, as the API sent
them (the ``.raw()`` view: no model validation).  Exit status: 0, 1 when a count differs or
a request fails, 3 for a bad profile.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from ofsc_cli import AsyncOFSC, OFSConfigurationError, OFSError


async def count(
    collection: Any, concurrency: int, page_size: int | None, sink: Any = None
) -> tuple[int, int | None]:
    """Items read from ``collection`` (a paged operation of the client) with
    ``iter(concurrency=...)``, pages of ``page_size`` (``None``: the collection's default),
    and the ``totalResults`` a one-item page announced first; each item goes to
    ``sink(item)`` when given."""
    first = await collection(limit=1)  # one page: a call of the collection itself
    seen = 0
    async for item in collection.iter(limit=page_size, concurrency=concurrency):
        seen += 1
        if sink is not None:
            sink(item)
    return seen, first.totalResults


async def read_all(
    profile: str, concurrency: int, page_size: int | None, ndjson: Path | None
) -> dict[str, Any]:
    """Count the collections of ``profile`` in parallel; returns ``{name: (items, total)}``."""
    async with AsyncOFSC.from_profile(profile) as client:
        out = ndjson.open("w", encoding="utf-8") if ndjson else None
        try:
            sink = (lambda item: out.write(json.dumps(item) + "\n")) if out else None
            collections = {
                "resources": (client.core.list_resources.raw(), sink),
                "users": (client.core.list_users, None),
                "work-zones": (client.metadata.list_work_zones, None),
                "work-skills": (client.metadata.list_work_skills, None),
                "activity-types": (client.metadata.list_activity_types, None),
                "properties": (client.metadata.list_properties, None),
            }
            results = await asyncio.gather(
                *(count(op, concurrency, page_size, s) for op, s in collections.values())
            )
        finally:
            if out is not None:
                out.close()
    return dict(zip(collections, results, strict=True))


def main(argv: list[str] | None = None) -> int:
    """Run the example with the command-line arguments ``argv``; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-p", "--profile", default="sandbox", help="default: sandbox")
    parser.add_argument("--concurrency", type=int, default=8, help="pages in flight per list")
    parser.add_argument("--page-size", type=int, help="items per page (default: the API's)")
    parser.add_argument("--ndjson", type=Path, help="also write the resources to this file")
    args = parser.parse_args(argv)
    try:
        counts = asyncio.run(read_all(args.profile, args.concurrency, args.page_size, args.ndjson))
    except OFSConfigurationError as exc:
        print(f"async_parallel_paging: {exc}", file=sys.stderr)
        return 3
    except OFSError as exc:
        print(f"async_parallel_paging: {exc}", file=sys.stderr)
        return 1
    status = 0
    for name, (items, total) in counts.items():
        print(f"{name}\t{items}\t{'' if total is None else total}")
        if total is not None and items != total:
            print(f"async_parallel_paging: {name}: read {items} of {total}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
