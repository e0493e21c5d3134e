"""Observability overhead: the 20,000-resource export with and without logging at info,
the audit log and a no-op middleware.

    python bench/observability_overhead.py [--resources 20000] [--latency 0.02] [--runs 7]

Serves the emulator of ``bench/export_resources.py`` (same seed, pages of 100, ``--latency``
seconds before every answer) on 127.0.0.1 and runs the ``ofsc`` console script in a fresh
process, timed from outside, alternately in two ways:

* **plain**: ``ofsc -p bench core resources list --all -o ndjson --concurrency 8``;
* **observed**: the same with ``--log-format json --log-level info --log-file …`` and
  ``--audit-log …`` and a profile whose ``middleware`` is a no-op factory.

The runs alternate (plain, observed, plain, …) so that a drift of the machine affects both.
``--callgrind`` counts instructions instead (valgrind; one run each), which the load of a
shared machine does not move.  Otherwise prints the medians of the wall time and of the
process's CPU time (user + system, less noisy on a shared machine), their spread, and the
ratios observed / plain against the 1.05 target (and the log lines written, as a check that
logging was on).  Run by hand; not part of the suite.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ofsc_cli.sandbox import Emulator, EmulatorConfig, Faults, serve  # noqa: E402

NOOP = """\
class Noop:
    def __call__(self, request, call_next):
        return call_next(request)

    async def handle_async(self, request, call_next):
        return await call_next(request)


def factory():
    return Noop()
"""


def _export_module() -> object:
    spec = importlib.util.spec_from_file_location(
        "export_resources", ROOT / "bench/export_resources.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def instructions(cmd: list[str], env: dict[str, str], work: Path) -> int:
    """The instructions one run of ``cmd`` (the console script) executes, from callgrind."""
    out = work / "callgrind.out"
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed: {done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="Instead of timing, count the instructions of one run of each under valgrind's"
        " callgrind (slow: about a minute each; not moved by the machine's load).",
    )
    opts = parser.parse_args()

    store = _export_module().seeded_store(opts.resources)  # type: ignore[attr-defined]
    total = store.count("resources")
    emulator = Emulator(store, EmulatorConfig(faults=Faults(latency=opts.latency)))
    ofsc = shutil.which("ofsc", path=str(Path(sys.executable).parent)) or "ofsc"
    with serve(emulator) as server, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "ofsc_bench_noop.py").write_text(NOOP, encoding="utf-8")
        common = (
            f'instance = "sandbox"\nclient_id = "demo"\nclient_secret = "demo-secret"\n'
            f'base_url = "{server.url}"\n'
        )
        (work / "config.toml").write_text(
            f"[profiles.bench]\n{common}\n[profiles.observed]\n{common}"
            'middleware = ["ofsc_bench_noop:factory"]\n',
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OFSC_", "OTEL_"))}
        env |= {
            "OFSC_CONFIG": str(work / "config.toml"),
            "XDG_CACHE_HOME": str(work / "cache"),
            "PYTHONPATH": str(work),
        }
        base = ["core", "resources", "list", "--all", "-o", "ndjson"]
        base += ["--concurrency", str(opts.concurrency)]
        log, audit = work / "log.jsonl", work / "audit.jsonl"
        plain = [ofsc, "-p", "bench", *base]
        observed = [ofsc, "-p", "observed", "--log-format", "json", "--log-level", "info"]
        observed += ["--log-file", str(log), "--audit-log", str(audit), *base]

        def run(cmd: list[str]) -> tuple[float, float]:
            with (work / "out.ndjson").open("w") as fh:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run(cmd, stdout=fh, stderr=subprocess.PIPE, env=env, text=True)
                elapsed = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            if done.returncode != 0:
                raise SystemExit(f"run failed: {done.stderr}")
            with (work / "out.ndjson").open() as fh:
                items = sum(1 for _ in fh)
            if items != total:
                raise SystemExit(f"exported {items} of {total}")
            return elapsed, cpu

        if opts.callgrind:
            counts = {
                name: instructions(cmd, env, work)
                for name, cmd in (("plain", plain), ("observed", observed))
            }
            for name, count in counts.items():
                print(f"instructions {name:9s} {count / 1e6:,.0f} M")
            ratio = counts["observed"] / counts["plain"]
            verdict = "met" if ratio <= 1.05 else "NOT met"
            print(f"instructions observed / plain = {ratio:.3f}  (target <= 1.05: {verdict})")
            return

        run(plain), run(observed)  # warm the page cache and the bytecode
        times: dict[str, list[float]] = {"plain": [], "observed": []}
        cpus: dict[str, list[float]] = {"plain": [], "observed": []}
        for _ in range(opts.runs):
            for name, cmd in (("plain", plain), ("observed", observed)):
                wall, cpu = run(cmd)
                times[name].append(wall)
                cpus[name].append(cpu)
        lines = sum(1 for _ in log.open()) if log.exists() else 0

    for label, table in (("wall", times), ("cpu", cpus)):
        medians = {k: statistics.median(v) for k, v in table.items()}
        for name, values in table.items():
            print(
                f"{label} {name:9s} median {medians[name]:.3f} s  (min {min(values):.3f},"
                f" max {max(values):.3f}; {len(values)} runs)"
            )
        ratio = medians["observed"] / medians["plain"]
        verdict = "met" if ratio <= 1.05 else "NOT met"
        print(f"{label} observed / plain = {ratio:.3f}  (target <= 1.05: {verdict})")
    print(f"log lines written in the last observed run: {lines // max(1, opts.runs + 1)} per run")


if __name__ == "__main__":
    main()
