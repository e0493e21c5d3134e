"""Bulk reads: the thread bridge (:func:`iterate_async`), the generic ``--all`` export
(:func:`iter_all`) and the bulk-read retry policy."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from ofsc_cli import AsyncOFSC
from ofsc_cli.cli import _bridge
from ofsc_cli.cli._app import build_app
from ofsc_cli.cli._bridge import iterate_async
from ofsc_cli.cli.context import AppContext
from ofsc_cli.client import RetryPolicy

# -- the bridge --------------------------------------------------------------------------------


def test_fetches_go_on_while_the_consumer_is_slow() -> None:
    """The producer waits for room in the queue without blocking the event loop: the other
    fetches of the loop keep running while the consumer sits on an item."""
    steps = [0, 0, 0]
    lock = threading.Lock()

    async def fetch(n: int) -> None:
        for _ in range(20):
            await asyncio.sleep(0.005)
            with lock:
                steps[n] += 1

    async def produce() -> AsyncIterator[int]:
        fetches = [asyncio.create_task(fetch(n)) for n in range(3)]
        for item in range(5):  # more than the queue holds: the producer has to wait
            yield item
        await asyncio.gather(*fetches)

    items = iterate_async(produce, buffer=1)
    assert next(items) == 0
    time.sleep(0.6)  # a slow consumer (writing to a slow pipe, say)
    with lock:
        assert steps == [20, 20, 20]  # ~0.1 s of fetching went on meanwhile
    assert list(items) == [1, 2, 3, 4]


def test_memory_stays_bounded_by_the_buffer() -> None:
    produced: list[int] = []

    async def produce() -> AsyncIterator[int]:
        for item in range(100):
            produced.append(item)
            yield item

    items = iterate_async(produce, buffer=3)
    assert next(items) == 0
    time.sleep(0.1)
    # One taken, three queued, one held by the producer waiting for room.
    assert len(produced) <= 5
    assert list(items) == list(range(1, 100))


def test_errors_reach_the_consumer_and_closing_early_stops_the_producer() -> None:
    async def failing() -> AsyncIterator[int]:
        yield 1
        raise ValueError("boom")

    items = iterate_async(failing)
    assert next(items) == 1
    with pytest.raises(ValueError, match="boom"):
        next(items)

    finished = threading.Event()

    async def endless() -> AsyncIterator[int]:
        try:
            n = 0
            while True:
                n += 1
                yield n
        finally:
            finished.set()

    gen = iterate_async(endless, buffer=2)
    assert next(gen) == 1
    gen.close()
    assert finished.wait(2)


# -- iter_all: the generic concurrent export -----------------------------------------------------


def paged_server(total: int, fail_once: set[int]) -> tuple[httpx.MockTransport, list[int]]:
    """``total`` resources, 100 a page; the pages at ``fail_once`` offsets answer 500 first."""
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        calls.append(offset)
        if offset in fail_once:
            fail_once.discard(offset)
            return httpx.Response(500, json={"type": "about:blank", "title": "Boom"})
        items = [{"resourceId": f"R{i:04d}"} for i in range(offset, min(offset + 100, total))]
        return httpx.Response(200, json={"items": items, "totalResults": total})

    return httpx.MockTransport(handler), calls


def context(transport: httpx.MockTransport) -> AppContext:
    def factory(obj: AppContext) -> AsyncOFSC:
        return AsyncOFSC(
            "acme",
            "cli",
            "secret",
            transport=transport,
            retry=RetryPolicy(max_attempts=3, backoff_base=0),
        )

    return AppContext(async_client_factory=factory)


@pytest.mark.parametrize(
    "command",
    [
        ["core", "resources", "list", "--all", "-o", "ndjson"],
        ["metadata", "work-zones", "list", "--all", "-o", "ndjson"],
    ],
)
def test_every_all_export_retries_a_page_answered_500(command: list[str]) -> None:
    transport, calls = paged_server(450, {0, 200})
    result = CliRunner().invoke(build_app(), command, obj=context(transport))
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 450
    assert sorted(calls) == [0, 0, 100, 200, 200, 300, 400]  # each failed page asked once more


def test_pages_cross_the_thread_bridge_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    crossed: list[Any] = []
    real = _bridge.iterate_async

    def spy(factory: Callable[[], AsyncIterator[Any]], **kwargs: Any) -> Iterator[Any]:
        for value in real(factory, **kwargs):
            crossed.append(value)
            yield value

    monkeypatch.setattr(_bridge, "iterate_async", spy)
    transport, _ = paged_server(250, set())
    result = CliRunner().invoke(
        build_app(), ["core", "resources", "list", "--all", "-o", "ndjson"], obj=context(transport)
    )
    assert result.exit_code == 0, result.stderr
    assert [len(page) for page in crossed] == [100, 100, 50]
