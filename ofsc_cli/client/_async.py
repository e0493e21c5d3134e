"""The asynchronous client: :class:`AsyncOFSC` (an ``httpx.AsyncClient`` underneath)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx
from httpx import USE_CLIENT_DEFAULT

from ofsc_cli.client._base import BaseClient, Send, Step
from ofsc_cli.client._endpoint import Args, AsyncExecutorBase, EndpointSpec, LazyNamespace
from ofsc_cli.client.middleware import (
    AsyncCallNext,
    AsyncMiddleware,
    _answered,
    _attach,
    _timed,
    async_chain,
    async_layers,
)
from ofsc_cli.errors import OFSClientClosedError

if TYPE_CHECKING:
    from ofsc_cli.client.api import (
        Capacity,
        Collaboration,
        Core,
        Metadata,
        OAuth2,
        PartsCatalog,
        Statistics,
    )

__all__ = ["AsyncOFSC"]


class _Executor(AsyncExecutorBase):
    def __init__(self, client: AsyncOFSC) -> None:
        self._client = client

    async def execute(self, spec: EndpointSpec, args: Args) -> Any:
        return await self._client.execute(spec, args)


class AsyncOFSC(BaseClient):
    """Asynchronous OFS client, the twin of :class:`~ofsc_cli.OFSC` (same namespaces and
    method names, awaited).  Use ``async with``, or call :meth:`aclose`."""

    http: httpx.AsyncClient
    core: LazyNamespace[Core[AsyncExecutorBase]] = LazyNamespace("core:Core")
    metadata: LazyNamespace[Metadata[AsyncExecutorBase]] = LazyNamespace("metadata:Metadata")
    capacity: LazyNamespace[Capacity[AsyncExecutorBase]] = LazyNamespace("capacity:Capacity")
    statistics: LazyNamespace[Statistics[AsyncExecutorBase]] = LazyNamespace(
        "statistics:Statistics"
    )
    oauth2: LazyNamespace[OAuth2[AsyncExecutorBase]] = LazyNamespace("oauth2:OAuth2")
    parts_catalog: LazyNamespace[PartsCatalog[AsyncExecutorBase]] = LazyNamespace(
        "parts_catalog:PartsCatalog"
    )
    collaboration: LazyNamespace[Collaboration[AsyncExecutorBase]] = LazyNamespace(
        "collaboration:Collaboration"
    )

    def __init__(
        self,
        instance: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        event_hooks: dict[str, list[Callable[..., Any]]] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        middleware: Sequence[Any] = (),
        **options: Any,
    ) -> None:
        """A client of ``instance`` for the application ``client_id`` with ``client_secret``
        (see :class:`~ofsc_cli.client._base.BaseClient` for those and the other ``options``,
        whose errors a bad option raises).  ``transport`` replaces httpx's (an in-process one,
        a mock), ``event_hooks`` go to ``httpx.AsyncClient``, and ``sleep`` is awaited between
        retries.

        ``middleware``: ``async def`` callables ``(request, call_next)``, or objects with a
        ``handle_async`` method, run around each attempt, the first one outermost (see
        :mod:`ofsc_cli.client.middleware`)."""
        super().__init__(instance, client_id, client_secret, **options)
        self._sleep = sleep
        self.middleware = async_layers(middleware)
        per_call, per_attempt = self._builtin_layers()
        self._call_layers: tuple[AsyncMiddleware, ...] = tuple(
            layer.handle_async for layer in per_call
        )
        self._attempt_layers: tuple[AsyncMiddleware, ...] = (
            *(layer.handle_async for layer in per_attempt),
            *self.middleware,
        )
        self._last_response = ContextVar("ofsc_last_response", default=None)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.http = httpx.AsyncClient(
            transport=transport,
            event_hooks=event_hooks,
            **self._client_kwargs(custom_transport=transport is not None),
        )
        self._executor = _Executor(self)

    @classmethod
    def from_profile(cls, profile: str | None = None, **overrides: Any) -> AsyncOFSC:
        """Returns a client for ``profile``, a ``config.toml`` profile (``None``: the one
        ``OFSC_PROFILE`` or ``default_profile`` names, or the ``OFSC_*`` environment).

        ``overrides`` replace settings of the profile (``timeout=5``) or pass client-only
        objects (``transport=…``).  ``plugins=True`` loads the installed ``ofsc`` plugins
        (their middleware, validators and processors: :mod:`ofsc_cli.plugins`), which the
        CLI always does and a library caller gets only when asking.  Raises
        :class:`~ofsc_cli.errors.OFSConfigurationError` for an unknown profile or incomplete
        settings.
        """
        # The one allowed edge from the client to the composition root (see
        # ofsc_cli/factory.py): imported here so that the client does not load config/sandbox.
        from ofsc_cli.factory import client_options

        return cls(**client_options(profile, overrides, asynchronous=True))

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections; the client cannot be used afterwards.  Raises httpx's
        :class:`RuntimeError` when closing fails other than because the event loop the
        connections were opened in has already been closed."""
        try:
            await self.http.aclose()
        except RuntimeError:
            first = self._loop
            if first is None or not first.is_closed() or first is asyncio.get_running_loop():
                raise
            # Its connections died with the event loop they were opened in: nothing to close.

    async def send(
        self, request: httpx.Request, *, stream: bool = False, auth: httpx.Auth | None = None
    ) -> httpx.Response:
        """Send ``request`` through the chain: retries and the circuit breaker, then the middleware
        (once per attempt), then httpx (``stream``: the body left unread; ``auth`` instead of the
        client's). Returns the response whatever its status (see :meth:`request` for one that raises
        on errors), also kept as :attr:`last_response`. Raises
        :class:`~ofsc_cli.errors.OFSClientClosedError` once the client is closed, or when it is used
        again after the event loop it first ran in was closed.
        """
        self._ensure_open()
        self._last_response.set(None)
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        first = self._loop

        async def transport(request: httpx.Request) -> httpx.Response:
            start = time.perf_counter()
            try:
                response = await self.http.send(
                    request, stream=stream, auth=auth or USE_CLIENT_DEFAULT
                )
            except RuntimeError as exc:
                # httpx's pooled connections belong to the loop they were opened in.
                if first is not loop and first.is_closed():
                    raise OFSClientClosedError(
                        f"AsyncOFSC for {self.base_url} was used in an event loop that"
                        " has been closed: make the client inside the loop that uses it"
                        " (`async with AsyncOFSC(...)` in the coroutine run by asyncio.run)"
                    ) from exc
                raise
            return _timed(response, start, stream)

        attempts = async_chain(self._attempt_layers, transport)

        async def retries(request: httpx.Request) -> httpx.Response:
            return await self._retries(request, attempts)

        response = await async_chain(self._call_layers, retries)(request)
        self._last_response.set(response)
        return response

    async def _retries(self, request: httpx.Request, call_next: AsyncCallNext) -> httpx.Response:
        """The outermost layer: drive :meth:`_send_flow`, each attempt through ``call_next``."""
        flow = self._send_flow(request)
        try:
            step: Step = next(flow)
            while True:
                outcome: httpx.Response | httpx.HTTPError | None
                if isinstance(step, Send):
                    try:
                        outcome = _answered(await call_next(step.request), step.request)
                    except httpx.HTTPError as exc:
                        outcome = exc
                else:
                    if step.discard is not None:
                        await step.discard.aclose()
                    await self._sleep(step.seconds)
                    outcome = None
                try:
                    step = flow.send(outcome)
                except StopIteration as done:
                    response: httpx.Response = done.value
                    return response
        finally:
            flow.close()

    async def execute(self, spec: EndpointSpec, args: Args) -> Any:
        """Run the declared operation ``spec`` (``Namespace.method.spec``) with built
        ``args``.  Returns its result, parsed (as an API operation's docstring says).  Raises
        the errors an API operation raises."""
        request = self.build(spec, args)
        response = await self.send(request, auth=self._auth_for(spec))
        result = self._parse(spec, response)
        _attach(result, response)
        return self._processed(spec, result, response)

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send any request: ``method`` to ``url`` (a path relative to the base URL),
        ``kwargs`` as for httpx's ``build_request``, with retries.  Returns the successful
        response; raises the typed error (:class:`~ofsc_cli.errors.OFSError`) of a failure."""
        response = await self.send(self.http.build_request(method, url, **kwargs))
        return self._check(response)

    @asynccontextmanager
    async def stream(self, method: str, url: str, **kwargs: Any) -> AsyncIterator[httpx.Response]:
        """Like :meth:`request` (``method``, ``url``, ``kwargs``), with the body left unread
        for streaming.  Yields the successful response, closed when the block ends; raises the
        typed error of a failure."""
        response = await self.send(self.http.build_request(method, url, **kwargs), stream=True)
        try:
            if not response.is_success:
                await response.aread()
            yield self._check(response)
        finally:
            await response.aclose()
