"""Runs inside the pyOFSC virtualenv (Python 3.13, PyPI ``ofsc``), started by
``bench/pyofsc_compat.py``; imports nothing of this repository.

    python pyofsc_probe.py BASE_URL PAGE_SIZE [PAGE_SIZE ...]

Pages four collections of the sandbox at ``BASE_URL`` the way a pyOFSC user would, once per
page size: the async client's own generators (``get_all_resources``, ``get_all_workzones``)
and, where pyOFSC has no generator, its list calls (``get_users``, ``get_activity_types``,
async and sync) in the loop its generators use (advance by the items received, go on while
``hasMore``).  Prints one JSON object: ``{"<call> limit=<n>": [identifiers...], ...}``; a
call that raised gives ``{"error": "..."}`` instead of a list.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from ofsc import OFSC
from ofsc.async_client import AsyncOFSC

CREDENTIALS = {"clientID": "demo", "companyName": "sandbox", "secret": "demo-secret"}


def _items(page: Any) -> list[Any]:
    return list(page["items"] if isinstance(page, dict) else page.items)


def _has_more(page: Any) -> bool:
    return bool(page.get("hasMore") if isinstance(page, dict) else page.hasMore)


def _key(item: Any, name: str) -> str:
    return str(item[name] if isinstance(item, dict) else getattr(item, name))


def by_has_more(call: Callable[[int, int], Any], limit: int) -> Iterator[Any]:
    """Every item of a sync list call, paged as pyOFSC's generators page."""
    offset = 0
    while True:
        page = call(offset, limit)
        items = _items(page)
        yield from items
        offset += len(items)
        if not items or not _has_more(page):
            return


async def by_has_more_async(call: Callable[[int, int], Any], limit: int) -> AsyncIterator[Any]:
    offset = 0
    while True:
        page = await call(offset, limit)
        items = _items(page)
        for item in items:
            yield item
        offset += len(items)
        if not items or not _has_more(page):
            return


async def collect_async(url: str, limit: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async with AsyncOFSC(baseUrl=url, **CREDENTIALS) as client:
        core, metadata = client.core, client.metadata
        calls: dict[str, tuple[Callable[[], AsyncIterator[Any]], str]] = {
            "async core.get_all_resources": (
                lambda: core.get_all_resources(limit=limit),
                "resourceId",
            ),
            "async metadata.get_all_workzones": (
                lambda: metadata.get_all_workzones(limit=limit),
                "workZoneLabel",
            ),
            "async core.get_users": (
                lambda: by_has_more_async(lambda o, n: core.get_users(offset=o, limit=n), limit),
                "login",
            ),
            "async metadata.get_activity_types": (
                lambda: by_has_more_async(
                    lambda o, n: metadata.get_activity_types(offset=o, limit=n), limit
                ),
                "label",
            ),
        }
        for name, (generator, key) in calls.items():
            try:
                out[f"{name} limit={limit}"] = [_key(item, key) async for item in generator()]
            except Exception as exc:  # reported, not raised: the other calls still run
                out[f"{name} limit={limit}"] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


def collect_sync(url: str, limit: int) -> dict[str, Any]:
    client = OFSC(baseUrl=url, **CREDENTIALS)
    core, metadata = client.core, client.metadata
    calls: dict[str, tuple[Callable[[int, int], Any], str]] = {
        "sync core.get_resources": (
            lambda o, n: core.get_resources(offset=o, limit=n),
            "resourceId",
        ),
        "sync metadata.get_workzones": (
            lambda o, n: metadata.get_workzones(offset=o, limit=n),
            "workZoneLabel",
        ),
        "sync core.get_users": (lambda o, n: core.get_users(offset=o, limit=n), "login"),
        "sync metadata.get_activity_types": (
            lambda o, n: metadata.get_activity_types(offset=o, limit=n),
            "label",
        ),
    }
    out: dict[str, Any] = {}
    for name, (call, key) in calls.items():
        try:
            out[f"{name} limit={limit}"] = [_key(item, key) for item in by_has_more(call, limit)]
        except Exception as exc:
            out[f"{name} limit={limit}"] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


def main() -> None:
    url, sizes = sys.argv[1], [int(n) for n in sys.argv[2:]]
    results: dict[str, Any] = {}
    for limit in sizes:
        results.update(asyncio.run(collect_async(url, limit)))
        results.update(collect_sync(url, limit))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
