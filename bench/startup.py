"""Startup benchmark: median wall time of `ofsc --version`, `ofsc --help`, and a command that
renders a table from an in-process fake transport (no network, no emulator).

    python bench/startup.py [--runs 20]

Run by hand on a quiet machine; it prints medians (and min/max) in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

FAKE_TABLE = r"""
import httpx, sys
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli._app import build_app
from ofsc_cli.client import OFSC

ZONES = {"items": [{"workZoneLabel": f"Z{i}", "workZoneName": f"Zone {i}", "status": "active",
                    "travelArea": "north", "keys": [f"{10000 + i}"]} for i in range(50)],
         "totalResults": 50, "offset": 0, "limit": 100, "hasMore": False}
transport = httpx.MockTransport(lambda r: httpx.Response(200, json=ZONES))
obj = AppContext(output="table", stdout_is_tty=True,
                 client_factory=lambda o: OFSC("bench", "id", "secret", transport=transport))
build_app()(["metadata", "work-zones", "list"], obj=obj, prog_name="ofsc", standalone_mode=False)
"""


def timed(cmd: list[str], runs: int) -> list[float]:
    samples = []
    # Bytecode caching on, as for an installed package (some shells export
    # PYTHONDONTWRITEBYTECODE, which would add the compile time of every module to each run).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COLUMNS"] = "120"
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
        )
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    ofsc = shutil.which("ofsc", path=str(Path(sys.executable).parent)) or "ofsc"
    cases = {
        "ofsc --version": [ofsc, "--version"],
        "ofsc --help": [ofsc, "--help"],
        "table from fake transport": [sys.executable, "-c", FAKE_TABLE],
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
    }
    for name, cmd in cases.items():
        timed(cmd, 2)  # warm the page cache and bytecode
        samples = timed(cmd, args.runs)
        print(
            f"{name:30s} median {statistics.median(samples):7.1f} ms"
            f"   min {min(samples):7.1f}   max {max(samples):7.1f}   (n={len(samples)})"
        )


if __name__ == "__main__":
    main()
