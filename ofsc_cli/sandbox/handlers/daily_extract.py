"""Core API: the daily extract (``folders/dailyExtract/folders``).

One folder a day from the first seeded day to the day before the sandbox's today, each with
the same four zip files; their bytes are deterministic (seeded by date and name) and served
with ``Range``/``If-Range``.  An unknown date or file name is a 404.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import random

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    binary_response,
    not_found,
)
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.seed import seed_window, today_of
from ofsc_cli.sandbox.store import Store

__all__ = ["EXTRACT_FILES", "extract_content"]

CORE = "/rest/ofscCore/v1"

EXTRACT = f"{CORE}/folders/dailyExtract/folders"
EXTRACT_FILES = (
    ("activities.zip", 300_000),
    ("resources.zip", 40_000),
    ("inventories.zip", 90_000),
    ("events.zip", 150_000),
)


def _extract_dates(store: Store) -> list[str]:
    """One folder a day from the first seeded day to the day before the sandbox's today."""
    today = today_of(store)
    first, _ = seed_window(today)
    return [(first + dt.timedelta(days=d)).isoformat() for d in range((today - first).days)]


@functools.lru_cache(maxsize=16)
def extract_content(date: str, name: str) -> bytes:
    """The (deterministic) bytes of one daily-extract file."""
    size = dict(EXTRACT_FILES)[name]
    seed = int.from_bytes(hashlib.sha256(f"{date}/{name}".encode()).digest()[:8], "big")
    rng = random.Random(seed)
    extra = rng.randrange(0, 20_000)
    return b"PK\x03\x04" + rng.randbytes(size + extra)


def _extract_date(call: Call) -> str:
    date = call.param("dailyExtractDate")
    if date not in _extract_dates(call.store):
        raise not_found("daily extract folder", date)
    return date


def _href(call: Call, *parts: str) -> str:
    return call.request.base_url.rstrip("/") + "/".join((EXTRACT, *parts))


@route("GET", EXTRACT)
def list_extract_dates(call: Call) -> Response:
    items = [
        {"name": d, "links": [{"rel": "canonical", "href": _href(call, d, "files")}]}
        for d in _extract_dates(call.store)
    ]
    return Response.json({"name": "folders", "folders": {"items": items}})


@route("GET", f"{EXTRACT}/{{dailyExtractDate}}/files")
def list_extract_files(call: Call) -> Response:
    date = _extract_date(call)
    items = [
        {
            "name": name,
            "bytes": len(extract_content(date, name)),
            "mediaType": "application/zip",
            "links": [
                {
                    "rel": "canonical",
                    "href": _href(call, date, "files", name),
                    "mediaType": "application/octet-stream",
                }
            ],
        }
        for name, _ in EXTRACT_FILES
    ]
    return Response.json({"name": "files", "files": {"items": items}})


@route("GET", f"{EXTRACT}/{{dailyExtractDate}}/files/{{dailyExtractFilename}}")
def get_extract_file(call: Call) -> Response:
    date = _extract_date(call)
    name = call.param("dailyExtractFilename")
    if name not in dict(EXTRACT_FILES):
        raise not_found("daily extract file", name)
    return binary_response(call, extract_content(date, name), "application/octet-stream")
