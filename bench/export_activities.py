"""Export benchmark: ``ofsc core activities list --all`` over the served emulator.

    python bench/export_activities.py [--runs 3] [--latency 0.02] [--scale 20]

Seeds an in-memory emulator (``--scale 20``: 100 000 activities in November 2026, the data
pinned on 2026-11-16 so that the runs compare), serves it
on 127.0.0.1 with ``--latency`` seconds injected before every request, then measures, each
``--runs`` times:

* the export of the whole month plus the non-scheduled activities (100 000 in all) by the
  ``ofsc`` command in a child process (``-o ndjson`` to a file): wall time, peak resident
  memory of that process, and the most concurrent ``GET activities`` the emulator saw (it
  would accept 100; the OFS cap the client keeps to is 3);
* the same export of 3 and 15 days (about 10 000 and 50 000 activities), to compare memory;
* a plain HTTP loop (httpx, one request after another) fetching the same pages (day by day,
  then the non-scheduled ones, ``limit`` = the export's page size, until ``hasMore`` is
  absent) and writing the raw bodies to a file, in a child process too.

Prints the medians.  Run by hand; not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ofsc_cli.sandbox import Emulator, EmulatorConfig, Faults, Store, serve  # noqa: E402

PAGE_SIZE = 2000
SIZES = {"10k": "2026-11-03", "50k": "2026-11-15", "100k": "2026-11-30"}
"""Exports measured: the first 3, 15 and 30 days of November (about 10, 50 and 100 thousand)."""

PLAIN_LOOP = """\
import datetime as dt, sys, httpx
url, out, first, last, limit = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
with httpx.Client(base_url=url, auth=("demo@sandbox", "demo-secret"), timeout=60) as client, \\
        open(out, "wb") as fh:
    while day <= end:
        offset = 0
        while True:
            r = client.get("/rest/ofscCore/v1/activities", params={
                "resources": "ROOT", "dateFrom": day.isoformat(), "dateTo": day.isoformat(),
                "offset": offset, "limit": limit})
            r.raise_for_status()
            fh.write(r.content)
            page = r.json()
            offset += len(page["items"])
            if not page["items"] or page.get("hasMore") is not True:
                break
        day += dt.timedelta(days=1)
    offset = 0
    while True:  # the non-scheduled activities, as the export's last slice
        r = client.get("/rest/ofscCore/v1/activities", params={
            "resources": "ROOT", "includeNonScheduled": "true", "offset": offset, "limit": limit})
        r.raise_for_status()
        fh.write(r.content)
        page = r.json()
        offset += len(page["items"])
        if not page["items"] or page.get("hasMore") is not True:
            break
"""


# Peak RSS is read from /proc/self/status (VmHWM) by the child itself as it exits: the
# rusage of a forked child would also count the parent's pages (the 100 000-activity store).
PEAK_RSS = """
import atexit, runpy, sys
def report(path=sys.argv[1]):
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(path, "w").write(line.split()[1])
atexit.register(report)
sys.argv = sys.argv[2:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def child(args: list[str], env: dict[str, str], out: Path) -> tuple[float, float]:
    """Run ``python -m <args>`` with stdout to ``out``: (wall seconds, peak RSS in MB)."""
    peak = out.with_suffix(".rss")
    command = [sys.executable, "-c", PEAK_RSS, str(peak), *args]
    started = time.perf_counter()
    with out.open("wb") as fh:
        proc = subprocess.run(command, stdout=fh, stderr=subprocess.PIPE, env=env, check=False)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{args[:4]} failed ({proc.returncode}): {proc.stderr.decode()}")
    return wall, int(peak.read_text()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--scale", type=float, default=20)
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE)
    args = parser.parse_args()
    page_size = str(args.page_size)

    print(f"seeding scale {args.scale}…", flush=True)
    store = Store.open(":memory:", scale=args.scale, today=datetime.date(2026, 11, 16))
    # The emulator would run up to 100 at once: the cap seen is the client's own.
    config = EmulatorConfig(faults=Faults(latency=args.latency), activities_max_concurrent=100)
    emulator = Emulator(store, config)
    with serve(emulator) as server, tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "plain_loop.py").write_text(PLAIN_LOOP)
        env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp}",
            "OFSC_BASE_URL": server.url,
            "OFSC_INSTANCE": "sandbox",
            "OFSC_CLIENT_ID": "demo",
            "OFSC_CLIENT_SECRET": "demo-secret",
            "OFSC_AUTH": "basic",
            "OFSC_CONFIG": str(Path(tmp) / "config.toml"),
        }
        out = Path(tmp) / "out"

        def ofsc(last_day: str) -> tuple[float, float, int, int]:
            emulator.reset_stats()
            wall, rss = child(
                ["ofsc_cli", "core", "activities", "list",
                 "--resources", "ROOT", "--date-from", "2026-11-01", "--date-to", last_day,
                 "--include-non-scheduled", "--all", "--page-size", page_size,
                 "-o", "ndjson", "-q"],
                env,
                out,
            )  # fmt: skip
            with out.open("rb") as fh:
                lines = sum(1 for _ in fh)
            return wall, rss, lines, emulator.stats["max_concurrent_activities"]

        def plain() -> float:
            wall, _ = child(
                ["plain_loop", server.url, str(Path(tmp) / "raw"),
                 "2026-11-01", "2026-11-30", page_size],
                env,
                out,
            )  # fmt: skip
            return wall

        walls: dict[str, list[float]] = {name: [] for name in SIZES}
        rss: dict[str, list[float]] = {name: [] for name in SIZES}
        items: dict[str, int] = {}
        plain_walls: list[float] = []
        peaks: list[int] = []
        for run in range(1, args.runs + 1):
            notes = []
            for name, last_day in SIZES.items():
                wall, peak_rss, lines, peak = ofsc(last_day)
                walls[name].append(wall)
                rss[name].append(peak_rss)
                items[name] = lines
                peaks.append(peak)
                notes.append(f"{lines} items {wall:.2f}s {peak_rss:.0f} MB")
            plain_walls.append(plain())
            print(f"run {run}: " + "; ".join(notes) + f"; plain loop {plain_walls[-1]:.2f}s")
        wall = statistics.median(walls["100k"])
        base = statistics.median(plain_walls)
        print()
        print(f"max concurrent GET activities  {max(peaks)} (cap 3)")
        print(f"ofsc export of {items['100k']}: median  {wall:.2f} s")
        print(f"plain httpx loop, same pages:   {base:.2f} s")
        print(f"ratio ofsc / plain              {wall / base:.2f} (target <= 1.5)")
        for name in SIZES:
            print(
                f"peak RSS, {items[name]:>6} items: median {statistics.median(rss[name]):.0f} MB"
                f" (wall {statistics.median(walls[name]):.2f} s)"
            )


if __name__ == "__main__":
    main()
