"""Run an async iterator in a background thread and consume it as a plain iterator.

The CLI renders synchronously (stdout writers), while bulk reads use the async client to fetch
pages concurrently.  :func:`iterate_async` connects the two with a bounded queue, so memory
stays constant whatever the number of items, and errors surface in the consuming thread.

The event loop never blocks on the queue: when it is full, the producer polls for room with
``asyncio.sleep``, so every other fetch of the loop keeps running while the consumer is slow.
Closing the iterator early (or an error in the consumer, or Ctrl-C) cancels the producer,
which closes the async iterator (and so the client it holds).  Before the loop is closed,
every task still on it (pages fetched ahead, connection clean-up) is cancelled and awaited,
as ``asyncio.run`` does, but quietly: an interrupted export leaves no "Task was destroyed but
it is pending!" nor "exception was never retrieved" behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TypeVar

__all__ = ["iterate_async"]

T = TypeVar("T")
_DONE = object()
_POLL = 0.005
"""Seconds between two looks for room in a full queue (the loop runs other tasks meanwhile)."""


def _finish_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel every task still on ``loop`` and wait for them; their outcomes are dropped
    (the consumer has already been told what matters)."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    try:
        _finish_tasks(loop)
        loop.run_until_complete(loop.shutdown_asyncgens())
        _finish_tasks(loop)  # finalizing async generators may have started some
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def iterate_async(factory: Callable[[], AsyncIterator[T]], *, buffer: int = 1000) -> Iterator[T]:
    """Iterate ``factory()`` (an async iterator) from synchronous code; at most ``buffer``
    values wait between the two threads."""
    items: queue.Queue[object] = queue.Queue(maxsize=max(1, buffer))
    stop = threading.Event()
    loop = asyncio.new_event_loop()

    async def hand_over(value: object) -> bool:
        """Queue ``value`` without blocking the loop; False once the consumer has gone."""
        while not stop.is_set():
            try:
                items.put_nowait(value)
                return True
            except queue.Full:
                await asyncio.sleep(_POLL)
        return False

    async def pump() -> None:
        source = factory()
        try:
            async for item in source:
                if not await hand_over(item):
                    return
            await hand_over(_DONE)
        except BaseException as exc:  # delivered to the consumer, re-raised there
            await hand_over(_Failure(exc))
        finally:
            close = getattr(source, "aclose", None)
            if close is not None:
                with contextlib.suppress(BaseException):
                    await close()

    main = loop.create_task(pump())

    def run() -> None:
        try:
            loop.run_until_complete(main)
        finally:
            _close_loop(loop)

    thread = threading.Thread(target=run, daemon=True, name="ofsc-bulk-read")
    thread.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        with contextlib.suppress(RuntimeError):  # the loop has already finished and closed
            loop.call_soon_threadsafe(main.cancel)
        thread.join()
