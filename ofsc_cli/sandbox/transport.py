"""In-process access: an httpx transport (sync and async) that calls the emulator directly.

::

    transport = EmulatorTransport(emulator)
    client = httpx.Client(transport=transport, base_url="https://sandbox.fs.ocs.oraclecloud.com")

No socket is opened.  Async requests run the emulator in a worker thread so that fault
latency and the ``GET activities`` concurrency cap behave as on a real server.  A ``drop``
fault surfaces as :class:`httpx.ReadError`; ``slow_body`` has no in-process effect.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

import httpx

from ofsc_cli.sandbox._http import Request, Response

if TYPE_CHECKING:
    from ofsc_cli.sandbox.app import Emulator

__all__ = ["EmulatorTransport", "from_httpx", "to_httpx"]


def from_httpx(request: httpx.Request, body: bytes) -> Request:
    """Convert an httpx request (body already read) to an emulator request."""
    query = parse_qs(request.url.query.decode("ascii", "replace"), keep_blank_values=True)
    url = request.url
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    host = url.host if url.port in (None, default_port) else f"{url.host}:{url.port}"
    return Request(
        method=request.method,
        path=url.path,
        query=query,
        headers={k.lower(): v for k, v in request.headers.items()},
        body=body,
        base_url=f"{url.scheme}://{host}",
    )


def to_httpx(response: Response, request: httpx.Request) -> httpx.Response:
    """Convert an emulator response to an httpx response (raising for a ``drop`` fault)."""
    if response.drop:
        raise httpx.ReadError(
            "connection dropped by the sandbox (fault injection)", request=request
        )
    return httpx.Response(
        response.status, headers=response.headers, content=response.body, request=request
    )


class EmulatorTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Route httpx requests into an :class:`~ofsc_cli.sandbox.app.Emulator`."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        return to_httpx(self.emulator.handle(from_httpx(request, body)), request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        response = await asyncio.to_thread(self.emulator.handle, from_httpx(request, body))
        return to_httpx(response, request)
