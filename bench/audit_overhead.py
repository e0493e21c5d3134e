"""Audit log benchmark: what ``audit_log=`` costs a read and a write, in-process.

    python bench/audit_overhead.py [--calls 2000] [--runs 7]

A sync client over an in-memory transport (a canned answer: no server, no network, so the
client's own cost is all there is) sends ``--calls`` GETs, then ``--calls`` PUTs with a small
JSON body, with and without an audit log in a temporary directory; the runs alternate, and
the medians and the best runs are printed with the cost per call.  Then the layer alone:
``timeit`` of a GET passing through it against calling the next step directly (the figure
a busy machine disturbs least).  Reads pass the layer untouched (one method check); a write
pays for opening the file, a lock, one ``write`` and an ``fsync`` (the disk decides).  For
scale: a 20,000-resource export is 200 page reads.  Run by hand; not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ofsc_cli.client import OFSC  # noqa: E402
from ofsc_cli.client.audit import AuditLog  # noqa: E402

PAGE = b'{"items": [], "totalResults": 0, "hasMore": false}'


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=PAGE, headers={"Content-Type": "application/json"})


def timed(method: str, calls: int, audit: Path | None) -> float:
    """Seconds for ``calls`` requests of ``method`` through one client."""
    client = OFSC(
        "bench",
        "bench",
        "secret",
        base_url="https://bench.example.com",
        transport=httpx.MockTransport(answer),
        audit_log=audit,
    )
    with client:
        body = {"workZoneLabel": "Z", "workZoneName": "Zone", "keys": ["10001"]}
        start = time.perf_counter()
        for i in range(calls):
            if method == "GET":
                client.request("GET", "/rest/ofscCore/v1/resources", params={"offset": i})
            else:
                client.request("PUT", f"/rest/ofscMetadata/v1/workZones/Z{i}", json=body)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "audit.jsonl"
        for method in ("GET", "PUT"):
            off: list[float] = []
            on: list[float] = []
            timed(method, 50, log)  # warm-up: imports, first-use costs
            for run in range(args.runs):  # alternate which goes first
                for audit in (None, log) if run % 2 else (log, None):
                    (on if audit else off).append(timed(method, args.calls, audit))
            for name, pick in (("median", statistics.median), ("best", min)):
                a, b = pick(off), pick(on)
                per_call = (b - a) / args.calls * 1e6
                print(
                    f"{method}: {args.calls} calls, {name} of {args.runs}:"
                    f" without audit {a:.3f} s ({a / args.calls * 1e6:.1f} us/call),"
                    f" with audit {b:.3f} s; difference {per_call:+.1f} us/call"
                    f" ({(b - a) / a * 100:+.1f} %)"
                )
        lines = sum(1 for _ in log.open("rb"))
        print(f"audit lines written: {lines} (PUTs only)")
        layer = AuditLog(log)
        request = httpx.Request("GET", "https://bench.example.com/rest/ofscCore/v1/resources")
        done = httpx.Response(200)

        def direct() -> httpx.Response:
            return done

        def through() -> httpx.Response:
            return layer(request, lambda _r: done)

        n = 200_000
        bare = min(timeit.repeat(direct, number=n, repeat=5)) / n * 1e6
        wrapped = min(timeit.repeat(through, number=n, repeat=5)) / n * 1e6
        print(f"the layer alone, a GET passing through: {wrapped - bare:.2f} us per call")


if __name__ == "__main__":
    main()
