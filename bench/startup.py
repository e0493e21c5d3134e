"""Startup benchmark: median wall time of `ofsc --version`, `ofsc --help`, a command that
renders a table from an in-process fake transport (no network, no emulator), and a one-page
list through a served endpoint.

    python bench/startup.py [--runs 20] [--no-served]

The served case starts ``ofsc sandbox serve --port 0`` in a separate process (its own
database file in a temporary directory), writes a temporary ``config.toml`` with a profile
``served`` pointing at it (``OFSC_CONFIG``), and times ``ofsc -p served metadata work-zones
list -o json`` (stdout a pipe), and the same without ``-o`` on a pseudo-terminal (the table
form, ``--no-pager``), each a fresh process, against the 200 ms target.

Run by hand on a quiet machine; it prints medians (and min/max) in milliseconds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

SERVED_TARGET_MS = 200.0

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


def base_env(**extra: str) -> dict[str, str]:
    # Bytecode caching on, as for an installed package (some shells export
    # PYTHONDONTWRITEBYTECODE, which would add the compile time of every module to each run).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COLUMNS"] = "120"
    env.update(extra)
    return env


def timed(
    cmd: list[str], runs: int, env: dict[str, str] | None = None, tty: bool = False
) -> list[float]:
    env = env or base_env()
    samples = []
    for _ in range(runs):
        if tty:
            samples.append(_timed_on_tty(cmd, env))
            continue
        start = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
        )
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _timed_on_tty(cmd: list[str], env: dict[str, str]) -> float:
    """One run with stdout on a pseudo-terminal (drained by a thread, so it never blocks)."""
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        with contextlib.suppress(OSError):  # EIO once the child has closed the terminal
            while data := os.read(master, 65536):
                chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=slave, stderr=subprocess.DEVNULL, env=env, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    os.close(slave)
    reader.join()
    os.close(master)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}")
    if b"Work zone" not in b"".join(chunks):
        raise SystemExit(f"{' '.join(cmd)}: no table on the terminal")
    return elapsed


@contextlib.contextmanager
def served_profile(ofsc: str, workdir: Path) -> Iterator[dict[str, str]]:
    """``ofsc sandbox serve --port 0`` in its own process, and the environment of a client
    whose profile ``served`` points at it (a config file of its own, no other OFSC_ keys)."""
    log = workdir / "serve.log"
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [ofsc, "sandbox", "serve", "--port", "0", "--db", str(workdir / "sandbox.db")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=base_env(),
        )
    try:
        deadline = time.monotonic() + 60
        while not (found := re.search(r"listening on (http://\S+)", log.read_text())):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"ofsc sandbox serve did not start:\n{log.read_text()}")
            time.sleep(0.05)
        config = workdir / "config.toml"
        config.write_text(
            "[profiles.served]\n"
            'instance = "sandbox"\n'
            f'base_url = "{found.group(1)}"\n'
            'client_id = "demo"\n'
            'client_secret = "demo-secret"\n'
            'auth = "basic"\n',
            encoding="utf-8",
        )
        config.chmod(0o600)
        env = {k: v for k, v in base_env().items() if not k.startswith("OFSC_")}
        env |= {"OFSC_CONFIG": str(config), "XDG_CACHE_HOME": str(workdir / "cache")}
        yield env
    finally:
        server.terminate()
        server.wait(10)


def report(name: str, samples: list[float], target: float | None = None) -> None:
    median = statistics.median(samples)
    verdict = ""
    if target is not None:
        verdict = f"   target <= {target:.0f} ms: {'met' if median <= target else 'NOT met'}"
    print(
        f"{name:44s} median {median:7.1f} ms"
        f"   min {min(samples):7.1f}   max {max(samples):7.1f}   (n={len(samples)}){verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-served", action="store_true", help="Skip the served endpoint.")
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
        report(name, timed(cmd, args.runs))
    if args.no_served:
        return
    listing = [ofsc, "-p", "served", "metadata", "work-zones", "list"]
    with tempfile.TemporaryDirectory() as tmp, served_profile(ofsc, Path(tmp)) as env:
        for name, cmd, tty in (
            ("served one-page list, -o json (pipe)", [*listing, "-o", "json"], False),
            ("served one-page list, table (terminal)", [*listing, "--no-pager"], True),
        ):
            timed(cmd, 2, env, tty)
            report(name, timed(cmd, args.runs, env, tty), SERVED_TARGET_MS)


if __name__ == "__main__":
    main()
