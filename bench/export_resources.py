"""Export benchmark: ``ofsc core resources list --all`` over the served emulator.

    python bench/export_resources.py [--resources 20000] [--latency 0.02] [--runs 5]

Seeds an in-memory emulator with ``--resources`` resources (the seed data plus extra
technicians), serves it on 127.0.0.1 with ``--latency`` seconds injected before every
request, then measures, ``--runs`` times each, the wall time of:

* the export as the command runs it (``list --all -o ndjson`` to a file, pages of 100), with
  ``--concurrency 8`` and ``--concurrency 1`` (the same pages one after another);
* a plain httpx loop fetching the same pages one after another, for reference;
* the export as a user runs it: the ``ofsc`` console script in a fresh process, timed from
  its start to its exit (interpreter start-up, imports and first-use costs included).

Each run of the first three is a child process (the client must not share the emulator's
GIL) that times itself after a warm-up command, so interpreter start-up and first-use costs
are not counted.  Two servers are measured: the emulator itself, and a replay of its
responses with the same latency (no server-side work), which shows the client's own cost.

Prints the medians, the throughputs, and the ratios to the targets: concurrent at least 5x
the sequential throughput, within 1.5x of the latency-bound limit (pages x latency /
concurrency) once started, and within 2.0x of it including process start (``--wall-only``
measures just that one).  Run by hand; not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ofsc_cli.sandbox import Emulator, EmulatorConfig, Faults, Store, serve  # noqa: E402

PAGE = 100
LIST = "GET /rest/ofscCore/v1/resources"


def seeded_store(count: int) -> Store:
    """Seed data plus extra technicians up to ``count`` resources."""
    store = Store.open(":memory:", scale=0.2)
    extra = count - store.count("resources")
    rows: list[tuple[str | int, Any, str | None]] = [
        (
            f"BENCH-{i:06d}",
            {
                "resourceId": f"BENCH-{i:06d}",
                "resourceInternalId": 8_000_000 + i,
                "parentResourceId": "BK_CENTRAL_A",
                "resourceType": "PR",
                "name": f"Bench technician {i}",
                "status": "active",
                "language": "en",
                "timeZone": "Eastern",
                "email": f"bench{i}@harborfs.example",
            },
            "BK_CENTRAL_A",
        )
        for i in range(max(0, extra))
    ]
    store.bulk_put("resources", rows)
    return store


class Replay:
    """Answers from responses recorded from the emulator, after the same latency: what the
    export would do if the server's own work took no time (isolates the client's cost)."""

    def __init__(self, emulator: Emulator, latency: float) -> None:
        self.emulator = emulator
        self.latency = latency
        self.cache: dict[tuple[str, str], Any] = {}

    def handle(self, request: Any) -> Any:
        key = (request.path, repr(sorted(request.query.items())))
        response = self.cache.get(key)
        if response is None:
            response = self.cache[key] = self.emulator.handle(request)
        time.sleep(self.latency)
        return response


CHILD = """\
import sys, time
sys.path.insert(0, sys.argv[1])
mode, url, workaround = sys.argv[2], sys.argv[3], sys.argv[4] == "1"
if workaround:
    try:
        import sniffio
    except ImportError:  # remember the failure: httpcore tries to import it on every request
        sys.modules["sniffio"] = None
if mode == "ofsc":
    import io
    from ofsc_cli.cli._app import build_app
    real_stdout, sys.stdout = sys.stdout, io.StringIO()
    try:  # warm-up: lazy imports, model schemas (start-up costs, not throughput)
        build_app()(args=["core", "resources", "list", "--limit", "1"], prog_name="ofsc")
    except SystemExit:
        pass
    sys.stdout = real_stdout
    app = build_app()
    start = time.perf_counter()
    try:
        app(args=sys.argv[5:], prog_name="ofsc")
    except SystemExit as exc:
        if exc.code:
            raise
else:
    import httpx
    start = time.perf_counter()
    offset = 0
    with httpx.Client(base_url=url, auth=("demo@sandbox", "demo-secret")) as http:
        while True:
            body = http.get("/rest/ofscCore/v1/resources", params={"offset": offset, "limit": 100})
            page = body.json()
            sys.stdout.write(body.text + "\\n")
            offset += len(page["items"])
            if not page["items"] or offset >= page["totalResults"]:
                break
sys.stdout.flush()
sys.stderr.write(f"{time.perf_counter() - start}\\n")
"""


def child_run(
    url: str, workdir: Path, workaround: bool, mode: str, *args: str
) -> Callable[[], float]:
    """One run in a child process (so that the client does not share the emulator's GIL);
    returns the number of items written.  The child times itself, imports excluded."""
    env = {
        **os.environ,
        "OFSC_BASE_URL": url,
        "OFSC_INSTANCE": "sandbox",
        "OFSC_CLIENT_ID": "demo",
        "OFSC_CLIENT_SECRET": "demo-secret",
        "OFSC_AUTH": "basic",
        "OFSC_CONFIG": str(workdir / "config.toml"),
    }
    env.pop("OFSC_PROFILE", None)
    out = workdir / "out.ndjson"

    def run() -> float:
        with out.open("w") as fh:
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(ROOT), mode, url, str(int(workaround)), *args],
                stdout=fh,
                stderr=subprocess.PIPE,
                env=env,
                text=True,
                check=False,
            )
        if done.returncode != 0:
            raise SystemExit(f"{mode} run failed: {done.stderr}")
        run.items = _count(out, mode)  # type: ignore[attr-defined]
        return float(done.stderr.strip().splitlines()[-1])

    return run


def wall_run(url: str, workdir: Path, concurrency: int) -> Callable[[], float]:
    """One run of the ``ofsc`` console script in a fresh process, timed from outside: the
    wall time a user sees, interpreter start-up and imports included."""
    ofsc = shutil.which("ofsc", path=str(Path(sys.executable).parent)) or "ofsc"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {
        "OFSC_BASE_URL": url,
        "OFSC_INSTANCE": "sandbox",
        "OFSC_CLIENT_ID": "demo",
        "OFSC_CLIENT_SECRET": "demo-secret",
        "OFSC_AUTH": "basic",
        "OFSC_CONFIG": str(workdir / "config.toml"),
        "XDG_CACHE_HOME": str(workdir / "cache"),
    }
    env.pop("OFSC_PROFILE", None)
    out = workdir / "wall.ndjson"
    cmd = [ofsc, "core", "resources", "list", "--all", "-o", "ndjson"]
    cmd += ["--concurrency", str(concurrency)]

    def run() -> float:
        with out.open("w") as fh:
            start = time.perf_counter()
            done = subprocess.run(
                cmd, stdout=fh, stderr=subprocess.PIPE, env=env, text=True, check=False
            )
            elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"ofsc run failed: {done.stderr}")
        run.items = _count(out, "ofsc")  # type: ignore[attr-defined]
        return elapsed

    return run


def _count(path: Path, mode: str) -> int:
    if mode == "ofsc":
        with path.open() as fh:
            return sum(1 for _ in fh)
    import json

    with path.open() as fh:
        return sum(len(json.loads(line)["items"]) for line in fh)


def timed(run: Callable[[], float], runs: int) -> tuple[float, int]:
    times = [run() for _ in range(runs)]
    return statistics.median(times), int(run.items)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--sniffio-workaround",
        action="store_true",
        help="When sniffio is not installed, make its import fail fast (httpcore tries it on "
        "every request, which costs a sys.path scan each time).",
    )
    parser.add_argument(
        "--wall-only",
        action="store_true",
        help="Only the console script in a fresh process, against the served emulator.",
    )
    opts = parser.parse_args()

    store = seeded_store(opts.resources)
    total = store.count("resources")
    pages = -(-total // PAGE)
    limit = pages * opts.latency / opts.concurrency
    print(
        f"{total} resources, {pages} pages of {PAGE}, {opts.latency * 1000:.0f} ms latency, "
        f"median of {opts.runs} runs; latency-bound limit (pages x latency / "
        f"{opts.concurrency}): {limit:.3f} s"
    )
    emulator = Emulator(store, EmulatorConfig(faults=Faults(latency=opts.latency)))
    replay = Replay(Emulator(store), opts.latency)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.pop("OFSC_PROFILE", None)
        workdir = Path(tmp)
        servers = (("served emulator", emulator), ("replayed responses", replay))
        for title, server_side in servers[:1] if opts.wall_only else servers:
            with serve(server_side) as server:  # type: ignore[arg-type]
                wall = wall_run(server.url, workdir, opts.concurrency)
                wall()  # warm-up: page cache, bytecode
                started, n0 = timed(wall, opts.runs)
                assert n0 == total, (n0, total)
                print(f"{title}:")
                print(
                    f"  {'ofsc --all --concurrency ' + str(opts.concurrency) + ', wall time':<54}"
                    f" {started:7.3f} s  {total / started:8.0f} items/s"
                    f"  (process start included)"
                )
                print(
                    f"  ratio to the latency-bound limit ({limit:.3f} s): {started / limit:4.2f}x "
                    f"(target <= 2.0, i.e. {2 * limit:.3f} s): "
                    f"{'met' if started <= 2 * limit else 'NOT met'}"
                )
                if opts.wall_only:
                    continue
                export = ("core", "resources", "list", "--all", "-o", "ndjson", "--concurrency")
                fix = opts.sniffio_workaround
                fast = child_run(server.url, workdir, fix, "ofsc", *export, str(opts.concurrency))
                fast()  # warm-up (fills the replay cache)
                concurrent, n1 = timed(fast, opts.runs)
                one_by_one = child_run(server.url, workdir, fix, "ofsc", *export, "1")
                sequential, n2 = timed(one_by_one, opts.runs)
                plain, n3 = timed(child_run(server.url, workdir, fix, "plain"), opts.runs)
            if opts.wall_only:
                continue
            assert n1 == n2 == n3 == total, (n1, n2, n3, total)
            rows = [
                (f"ofsc --all --concurrency {opts.concurrency}", concurrent),
                ("ofsc --all --concurrency 1 (pages one after another)", sequential),
                ("plain httpx loop (pages one after another)", plain),
            ]
            for name, seconds in rows:
                print(f"  {name:<54} {seconds:7.3f} s  {total / seconds:8.0f} items/s")
            print(
                f"  speed-up vs one after another: {sequential / concurrent:5.2f}x (target >= 5); "
                f"ratio to the latency-bound limit: {concurrent / limit:4.2f}x (target <= 1.5)"
            )


if __name__ == "__main__":
    main()
