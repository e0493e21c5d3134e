"""Seeding benchmark: wall time to create and seed the sandbox store at several scales.

    python bench/seed.py [--scales 1,20] [--runs 3] [--file]

``--file`` seeds a database file in a temporary directory (WAL, as ``ofsc`` uses it) instead
of an in-memory one.  Prints the median, min and max seconds per scale and the row counts.
Run by hand; the target is under 30 s for scale 20 (100 000 activities).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ofsc_cli.sandbox.store import Store


def seed_once(scale: float, on_file: bool) -> tuple[float, dict[str, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        target = str(Path(tmp) / "sandbox.db") if on_file else ":memory:"
        started = time.perf_counter()
        store = Store.open(target, scale=scale)
        elapsed = time.perf_counter() - started
        counts = store.status().counts
        store.close()
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,20", help="comma-separated scales (default 1,20)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", action="store_true", help="seed a file database, not memory")
    args = parser.parse_args()
    where = "file" if args.file else "memory"
    for scale in (float(s) for s in args.scales.split(",")):
        times = []
        counts: dict[str, int] = {}
        for _ in range(args.runs):
            elapsed, counts = seed_once(scale, args.file)
            times.append(elapsed)
        print(
            f"scale={scale:g} ({where}): median {statistics.median(times):.2f}s "
            f"min {min(times):.2f}s max {max(times):.2f}s | "
            f"activities={counts['activities']} resources={counts['resources']} "
            f"users={counts['users']}"
        )


if __name__ == "__main__":
    main()
