"""pyOFSC 2.27 and ofsc on the same served sandbox, with the same injected latency.

    python bench/vs_pyofsc.py [--resources 20000] [--latency 0.02] [--runs 3]

Seeds the emulator of ``bench/export_resources.py`` (the seed data plus technicians up to
``--resources``), serves it on 127.0.0.1 with ``--latency`` seconds before every answer, and
runs each case ``--runs`` times in a fresh child process:

* **resources**: every resource in pages of 100 — pyOFSC's sync loop (``core.get_resources``
  by ``hasMore``, as its generators page) and its async generator
  (``core.get_all_resources``); our sync ``list_resources.iter()``, our async
  ``iter()`` one page at a time and with ``concurrency=8``, and the CLI
  (``ofsc core resources list --all -o ndjson``, its default concurrency 8);
* **metadata**: the fourteen metadata collections both clients can list (work zones,
  activity types, properties …), every page, one collection after another — pyOFSC async,
  our async client — and ``ofsc metadata export`` (which exports more object kinds, one file each:
  its item column counts files).

pyOFSC runs in its own virtualenv (Python 3.13, ``.cache/pyofsc-venv``, built by
``bench/pyofsc_compat.py`` when missing); ours in the interpreter running this script.
Each child times its own work (imports excluded) and reports its CPU time and peak resident
memory; the wall time from outside includes interpreter start-up.  Prints medians and the
ratios to pyOFSC.  Run by hand; not part of the test suite.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ofsc_cli.sandbox import Emulator, EmulatorConfig, Faults, serve  # noqa: E402

#: pyOFSC list method -> our list method, for the metadata case.  Link templates are left
#: out: pyOFSC 2.27's model refuses the emulator's ``schedulingConstraint: "none"`` (the
#: spec gives that field no enumeration), so its call raises.
METADATA = {
    "get_activity_type_groups": "list_activity_type_groups",
    "get_activity_types": "list_activity_types",
    "get_capacity_categories": "list_capacity_categories",
    "get_forms": "list_forms",
    "get_inventory_types": "list_inventory_types",
    "get_languages": "list_languages",
    "get_map_layers": "list_map_layers",
    "get_non_working_reasons": "list_non_working_reasons",
    "get_properties": "list_properties",
    "get_routing_profiles": "list_routing_profiles",
    "get_shifts": "list_shifts",
    "get_time_slots": "list_time_slots",
    "get_workskills": "list_work_skills",
    "get_workzones": "list_work_zones",
}

# Peak memory from VmHWM: Linux keeps ru_maxrss across fork and exec, so a child started by
# this (large) process would report the parent's peak.
_REPORT = """
import json, resource, sys, time
def peak_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0
def report(start, items):
    usage = resource.getrusage(resource.RUSAGE_SELF)
    sys.stdout.write(json.dumps({"seconds": time.perf_counter() - start, "items": items,
        "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": peak_mb()}))
"""

PYOFSC_CHILD = (
    _REPORT
    + """
import asyncio
from ofsc import OFSC
from ofsc.async_client import AsyncOFSC
mode, url, names = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
creds = {"clientID": "demo", "companyName": "sandbox", "secret": "demo-secret", "baseUrl": url}

def items_of(page):
    return list(page["items"] if isinstance(page, dict) else page.items)

def more(page):
    return bool(page.get("hasMore") if isinstance(page, dict) else page.hasMore)

async def pages(call):
    offset, n = 0, 0
    while True:
        page = await call(offset=offset, limit=100)
        got = items_of(page)
        n += len(got); offset += len(got)
        if not got or not more(page):
            return n

async def run_async():
    async with AsyncOFSC(**creds) as client:
        start = time.perf_counter()
        if mode == "resources-async":
            n = 0
            async for _ in client.core.get_all_resources(limit=100):
                n += 1
        else:
            n = 0
            for name in names:
                n += await pages(getattr(client.metadata, name))
        report(start, n)

if mode == "resources-sync":
    client = OFSC(**creds)
    start = time.perf_counter()
    offset, n = 0, 0
    while True:
        page = client.core.get_resources(offset=offset, limit=100)
        got = items_of(page)
        n += len(got); offset += len(got)
        if not got or not more(page):
            break
    report(start, n)
else:
    asyncio.run(run_async())
"""
)

OURS_CHILD = (
    _REPORT
    + """
import asyncio
sys.path.insert(0, sys.argv[4])
from ofsc_cli import OFSC, AsyncOFSC
mode, url, names = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
creds = {"instance": "sandbox", "client_id": "demo", "client_secret": "demo-secret",
         "base_url": url}

async def run_async():
    async with AsyncOFSC(**creds) as client:
        start = time.perf_counter()
        n = 0
        if mode.startswith("resources-async"):
            concurrency = int(mode.rsplit("-c", 1)[1])
            async for _ in client.core.list_resources.iter(limit=100, concurrency=concurrency):
                n += 1
        else:
            for name in names:
                call = getattr(client.metadata, name)
                if hasattr(call, "iter"):
                    async for _ in call.iter(limit=100):
                        n += 1
                else:  # not paged: one answer with every item
                    n += len((await call()).items)
        report(start, n)

if mode == "resources-sync":
    with OFSC(**creds) as client:
        start = time.perf_counter()
        n = sum(1 for _ in client.core.list_resources.iter(limit=100))
        report(start, n)
else:
    asyncio.run(run_async())
"""
)


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


def child(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one child; its own report plus the wall time seen from outside."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed: {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["wall"] = wall
    return report


def cli(args: list[str], url: str, work: Path) -> dict[str, Any]:
    """The ``ofsc`` command (its ``main``, as the console script runs it) in a fresh
    process, timed from outside; items counted from its output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFSC_")}
    env |= {
        "OFSC_BASE_URL": url,
        "OFSC_INSTANCE": "sandbox",
        "OFSC_CLIENT_ID": "demo",
        "OFSC_CLIENT_SECRET": "demo-secret",
        "OFSC_CONFIG": str(work / "config.toml"),
        "XDG_CACHE_HOME": str(work / "cache"),
    }
    out = work / "out.ndjson"
    peak = work / "peak.txt"
    env["OFSC_BENCH_PEAK"] = str(peak)
    # The console script's own code, with its peak memory (VmHWM) written at exit.
    script = (
        "import atexit, os, sys\n"
        "def peak():\n"
        "    with open('/proc/self/status') as fh:\n"
        "        kb = next(int(l.split()[1]) for l in fh if l.startswith('VmHWM:'))\n"
        "    with open(os.environ['OFSC_BENCH_PEAK'], 'w') as out:\n"
        "        out.write(str(kb / 1024))\n"
        "atexit.register(peak)\n"
        "from ofsc_cli.cli.main import main\n"
        "main(sys.argv[1:])\n"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with out.open("w") as fh:
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            stdout=fh,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
        )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"ofsc {' '.join(args)} failed: {done.stderr[-2000:]}")
    info = {
        "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "rss_mb": float(peak.read_text()),
    }
    if args[:2] == ["metadata", "export"]:
        items = sum(1 for p in Path(args[2]).rglob("*") if p.is_file())  # files written
    else:
        with out.open() as fh:
            items = sum(1 for _ in fh)
    return {
        "seconds": wall,
        "wall": wall,
        "items": items,
        "cpu": info["cpu"],
        "rss_mb": info["rss_mb"],
    }


def median_of(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {k: statistics.median(float(r[k]) for r in runs) for k in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()

    compat = _load("pyofsc_compat")
    pyofsc, _ = compat.ensure_venv()
    store = _load("export_resources").seeded_store(opts.resources)
    emulator = Emulator(store, EmulatorConfig(faults=Faults(latency=opts.latency)))
    py_names = ",".join(METADATA)
    our_names = ",".join(METADATA.values())
    with serve(emulator) as server, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = server.url

        def py(mode: str) -> list[str]:
            return [str(pyofsc), "-c", PYOFSC_CHILD, mode, url, py_names]

        def ours(mode: str) -> list[str]:
            return [sys.executable, "-c", OURS_CHILD, mode, url, our_names, str(ROOT)]

        cases: dict[str, list[str]] = {
            "resources: pyOFSC sync loop": py("resources-sync"),
            "resources: pyOFSC async generator": py("resources-async"),
            "resources: ofsc sync iter()": ours("resources-sync"),
            "resources: ofsc async iter()": ours("resources-async-c1"),
            "resources: ofsc async iter(concurrency=8)": ours("resources-async-c8"),
            "resources: ofsc CLI --all": [
                "cli",
                "core",
                "resources",
                "list",
                "--all",
                "-o",
                "ndjson",
            ],
            "metadata: pyOFSC async, 14 collections": py("metadata"),
            "metadata: ofsc async, 14 collections": ours("metadata"),
            "metadata: ofsc metadata export": ["cli", "metadata", "export", str(work / "export")],
        }
        results: dict[str, dict[str, float]] = {}
        for name, cmd in cases.items():
            runs = []
            for _ in range(opts.runs):
                if cmd[0] == "cli":
                    shutil.rmtree(work / "export", ignore_errors=True)
                    runs.append(cli(cmd[1:], url, work))
                else:
                    runs.append(child(cmd))
            results[name] = median_of(runs)

    print(
        f"{opts.resources} resources, {opts.latency * 1000:.0f} ms latency, medians of"
        f" {opts.runs} runs"
    )
    print(
        f"{'case':44s} {'items':>7s} {'work s':>7s} {'wall s':>7s} {'cpu s':>6s}"
        f" {'RSS MB':>7s}  vs pyOFSC"
    )
    for name, r in results.items():
        family = name.split(":")[0]
        base = results[
            f"{family}: pyOFSC async generator"
            if family == "resources"
            else "metadata: pyOFSC async, 14 collections"
        ]
        ratio = base["seconds"] / r["seconds"] if r["seconds"] else 0.0
        print(
            f"{name:44s} {r['items']:7.0f} {r['seconds']:7.2f} {r['wall']:7.2f}"
            f" {r['cpu']:6.2f} {r['rss_mb']:7.1f}  {ratio:5.2f}x"
        )


if __name__ == "__main__":
    main()
