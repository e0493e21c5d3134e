"""Run an async iterator in a background thread and consume it as a plain iterator.

The CLI renders synchronously (stdout writers), while bulk reads use the async client to fetch
pages concurrently.  :func:`iterate_async` connects the two with a bounded queue, so memory
stays constant whatever the number of items, and errors surface in the consuming thread.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TypeVar

__all__ = ["iterate_async"]

T = TypeVar("T")
_DONE = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def iterate_async(factory: Callable[[], AsyncIterator[T]], *, buffer: int = 1000) -> Iterator[T]:
    """Iterate ``factory()`` (an async iterator) from synchronous code."""
    items: queue.Queue[object] = queue.Queue(maxsize=buffer)
    stop = threading.Event()
    loop = asyncio.new_event_loop()

    async def pump() -> None:
        try:
            async for item in factory():
                while not stop.is_set():
                    try:
                        items.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        await asyncio.sleep(0)
                if stop.is_set():
                    return
            items.put(_DONE)
        except BaseException as exc:  # delivered to the consumer, re-raised there
            items.put(_Failure(exc))

    thread = threading.Thread(target=lambda: loop.run_until_complete(pump()), daemon=True)
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
        while thread.is_alive():
            try:
                items.get_nowait()
            except queue.Empty:
                thread.join(0.05)
        loop.close()
