"""Middleware: code run around the requests of a client, and the answers behind results.

A middleware is a callable ``(request, call_next) -> response``.  It may change the request
(``request.headers[...] = ...``), call ``call_next(request)`` to pass it on, look at or
replace the response, or answer by itself without calling ``call_next`` (a short circuit)::

    def stamp(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        request.headers["X-Request-Source"] = "nightly-sync"
        return call_next(request)

    with OFSC.from_profile("prod", middleware=[stamp]) as client:
        ...

:class:`~ofsc_cli.AsyncOFSC` takes ``async def`` middleware (``await call_next(request)``),
or objects with both a sync ``__call__`` and an async ``handle_async`` method (as
:class:`RateLimit`), which suit either client.  A middleware of the wrong kind is refused
when the client is built (:class:`~ofsc_cli.errors.OFSConfigurationError`).

The chain of one request, outermost first (fixed when the client is built):

1. **the call layers**, built in, once per call (each only when turned on): the audit log
   (``audit_log=``), then tracing (``tracing=True``, OpenTelemetry);
2. **retries and the circuit breaker** (:class:`~ofsc_cli.client.RetryPolicy`, the
   ``on_retry`` notices): once per call, driving the attempts;
3. **the attempt layers**, built in, once per attempt: the request log (``logging`` under
   ``ofsc_cli.http``);
4. **your middleware**, in the order given (the first one is outermost): once per
   *attempt*, so a retried request passes through them again, and a response they return
   (even a short circuit) is judged by the retry policy like any other;
5. **httpx**: authentication (Basic header, OAuth2 token fetch and refresh), event hooks and
   the transport.

Each request carries, in ``request.extensions``: :data:`OPERATION` (the operation key of a
declared call, ``"GET /rest/ofscMetadata/v1/workZones"``; absent for ``client.request()``) and
:data:`PATH_TEMPLATE` (its declared path, ``/rest/ofscMetadata/v1/workZones``), :data:`ATTEMPT`
(1 for the first attempt, set by the retry layer before each one) and
:data:`RETRY_LISTENERS` (callables an outer layer may add; each gets the
:class:`~ofsc_cli.client.RetryNotice` of every retry of this request, before the wait).

So a middleware sees the request before the ``Authorization`` header is added.  An
``httpx.HTTPError`` it raises is treated as a transport failure (typed, and retried when
transient); any other exception, an :class:`~ofsc_cli.errors.OFSError` included, propagates
unchanged.

A profile names middleware by factory: ``middleware = ["package.module:factory"]``; each
client built from the profile calls ``factory()`` once for its own middleware (see
:func:`load_middleware`).  Those come before (outside) the ones passed in Python.

The answer behind a result: ``client.last_response`` is the response of the latest call in
the current thread or asyncio task; :func:`response_of` gives the response a typed result
(a model, a page, an item of a page) was parsed from, and ``page.response`` is the same for
a page.  Neither changes what a model serialises.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpx

from ofsc_cli.errors import OFSConfigurationError

__all__ = [
    "ATTEMPT",
    "OPERATION",
    "PATH_TEMPLATE",
    "RETRY_LISTENERS",
    "AsyncCallNext",
    "AsyncMiddleware",
    "CallNext",
    "Middleware",
    "RateLimit",
    "load_middleware",
    "response_of",
]

CallNext = Callable[[httpx.Request], httpx.Response]
"""The rest of the chain, for a sync middleware."""
AsyncCallNext = Callable[[httpx.Request], Awaitable[httpx.Response]]
"""The rest of the chain, for an async middleware."""
Middleware = Callable[[httpx.Request, CallNext], httpx.Response]
"""A sync middleware (:class:`~ofsc_cli.OFSC`)."""
AsyncMiddleware = Callable[[httpx.Request, AsyncCallNext], Awaitable[httpx.Response]]
"""An async middleware (:class:`~ofsc_cli.AsyncOFSC`)."""


OPERATION = "ofsc.operation"
"""``request.extensions`` key: the operation key of a declared call
(``"GET /rest/ofscMetadata/v1/workZones"``)."""
PATH_TEMPLATE = "ofsc.path_template"
"""``request.extensions`` key: the declared path of that call (``/rest/…/workZones/{label}``)."""
ATTEMPT = "ofsc.attempt"
"""``request.extensions`` key: the number of the attempt being made (1, 2, …)."""
RETRY_LISTENERS = "ofsc.retry_listeners"
"""``request.extensions`` key: a list of callables, each given every retry notice."""


class RateLimit:
    """A client-side rate limit: at most ``per_second`` requests a second on average, with
    bursts of up to ``burst`` (default: one second's worth, at least 1), a token bucket.

    Each attempt takes a token and waits for one when the bucket is empty.  One bucket per
    object: give each client its own (a profile's factory is called once per client).
    ``clock``, ``sleep`` and ``async_sleep`` are injectable for tests.  Works in both clients.
    """

    def __init__(
        self,
        per_second: float,
        burst: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        """Allow ``per_second`` requests a second with bursts of ``burst`` (see the class).
        Raises :class:`~ofsc_cli.errors.OFSConfigurationError` for a rate that is not a finite
        number > 0 or a burst below 1.
        """
        if not per_second > 0 or per_second == float("inf"):
            raise OFSConfigurationError(f"RateLimit: per_second must be > 0, not {per_second}")
        if burst is None:
            burst = max(1, int(per_second))
        if burst < 1:
            raise OFSConfigurationError(f"RateLimit: burst must be at least 1, not {burst}")
        self.per_second = float(per_second)
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._async_sleep = async_sleep or _asyncio_sleep
        self._tokens = float(burst)
        self._stamp = clock()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RateLimit(per_second={self.per_second:g}, burst={self.burst})"

    def reserve(self) -> float:
        """Take a token.  Returns the seconds to wait before using it (0 when one was available)."""
        with self._lock:
            now = self._clock()
            elapsed = max(0.0, now - self._stamp)
            self._tokens = min(float(self.burst), self._tokens + elapsed * self.per_second)
            self._stamp = now
            self._tokens -= 1
            return 0.0 if self._tokens >= 0 else -self._tokens / self.per_second

    def __call__(self, request: httpx.Request, call_next: CallNext) -> httpx.Response:
        """The sync middleware: wait for a token, then send ``request`` on with ``call_next``.
        Returns its response; raises what ``call_next`` raises.
        """
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)
        return call_next(request)

    async def handle_async(
        self, request: httpx.Request, call_next: AsyncCallNext
    ) -> httpx.Response:
        """The async middleware: await a token, then send ``request`` on with ``call_next``.
        Returns its response; raises what ``call_next`` raises.
        """
        wait = self.reserve()
        if wait > 0:
            await self._async_sleep(wait)
        return await call_next(request)


def response_of(result: Any) -> httpx.Response | None:
    """Returns the ``httpx.Response`` the typed ``result`` (a model, a page, a model item of a
    page) was parsed from, or ``None`` (built by hand, copied, or a plain
    ``dict``/``list``/``bytes`` result: ``client.last_response`` has those).  The model is not
    changed: the link is kept beside it, for as long as the result lives.
    """
    from ofsc_cli.models import response_of as lookup

    return lookup(result)


def _answered(response: httpx.Response, request: httpx.Request) -> httpx.Response:
    """``response``, tied to ``request`` when a middleware made it without one."""
    if response._request is None:
        response.request = request
    return response


def _timed(response: httpx.Response, start: float, stream: bool) -> httpx.Response:
    """``response`` with ``elapsed`` set when its transport left it unset (an in-process
    transport answers with a body already read, which httpx does not time)."""
    if not stream:
        try:
            response.elapsed  # noqa: B018 - set by httpx when the body was streamed in
        except RuntimeError:
            response.elapsed = datetime.timedelta(seconds=time.perf_counter() - start)
    return response


def _attach(result: Any, response: httpx.Response) -> None:
    if result is not None and not isinstance(result, (bytes, str, dict, list, httpx.Response)):
        from ofsc_cli.models import attach_response

        attach_response(result, response)


def load_middleware(spec: str) -> Any:
    """The middleware ``factory()`` returns, for ``spec`` = ``"package.module:factory"``.

    Raises :class:`~ofsc_cli.errors.OFSConfigurationError` naming the ``middleware`` key
    when the spec is malformed, the module cannot be imported, the factory is missing or not
    callable, it fails, or what it returns is not callable.
    """
    where = f"middleware {spec!r}"
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name.strip() or not attr.strip():
        raise OFSConfigurationError(f"{where}: expected 'package.module:factory'")
    try:
        module = importlib.import_module(module_name.strip())
    except Exception as exc:  # ImportError, or the module failing as it loads
        raise OFSConfigurationError(f"{where}: cannot import {module_name}: {exc}") from exc
    target: Any = module
    for part in attr.strip().split("."):
        target = getattr(target, part, None)
        if target is None:
            raise OFSConfigurationError(f"{where}: {module_name} has no {attr}")
    if not callable(target):
        raise OFSConfigurationError(f"{where}: {attr} is not callable")
    try:
        made = target()
    except Exception as exc:
        raise OFSConfigurationError(f"{where}: {attr}() failed: {exc}") from exc
    if not callable(made):
        raise OFSConfigurationError(
            f"{where}: {attr}() returned {type(made).__name__}, not a middleware"
        )
    return made


def _is_async(fn: Any) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - an object with an async __call__
    )


def _named(middleware: Any) -> str:
    return getattr(middleware, "__qualname__", None) or repr(middleware)


def sync_layers(middleware: Iterable[Any]) -> tuple[Middleware, ...]:
    """The sync handlers of ``middleware`` (``"pkg.mod:factory"`` strings are loaded)."""
    layers: list[Middleware] = []
    for item in middleware:
        mw = load_middleware(item) if isinstance(item, str) else item
        if not callable(mw) or _is_async(mw):
            raise OFSConfigurationError(
                f"middleware {_named(mw)}: OFSC takes a sync callable (request, call_next)"
            )
        layers.append(mw)
    return tuple(layers)


def async_layers(middleware: Iterable[Any]) -> tuple[AsyncMiddleware, ...]:
    """The async handlers of ``middleware``: ``async def`` callables, or an object's
    ``handle_async`` method (``"pkg.mod:factory"`` strings are loaded)."""
    layers: list[AsyncMiddleware] = []
    for item in middleware:
        mw = load_middleware(item) if isinstance(item, str) else item
        handler = getattr(mw, "handle_async", None)
        if handler is None and _is_async(mw):
            handler = mw
        if handler is None or not _is_async(handler):
            raise OFSConfigurationError(
                f"middleware {_named(mw)}: AsyncOFSC takes an async callable"
                " (async def m(request, call_next)) or an object with handle_async"
            )
        layers.append(handler)
    return tuple(layers)


def chain(layers: Iterable[Middleware], terminal: CallNext) -> CallNext:
    """``terminal`` wrapped in ``layers`` (the first one outermost)."""
    handler = terminal
    for layer in reversed(tuple(layers)):
        handler = _bind(layer, handler)
    return handler


def _bind(layer: Middleware, call_next: CallNext) -> CallNext:
    def call(request: httpx.Request) -> httpx.Response:
        return layer(request, call_next)

    return call


def async_chain(layers: Iterable[AsyncMiddleware], terminal: AsyncCallNext) -> AsyncCallNext:
    """``terminal`` wrapped in async ``layers`` (the first one outermost)."""
    handler = terminal
    for layer in reversed(tuple(layers)):
        handler = _abind(layer, handler)
    return handler


def _abind(layer: AsyncMiddleware, call_next: AsyncCallNext) -> AsyncCallNext:
    async def call(request: httpx.Request) -> httpx.Response:
        return await layer(request, call_next)

    return call


async def _asyncio_sleep(seconds: float) -> None:
    """``asyncio.sleep``, imported when an async client first waits (not by every command)."""
    import asyncio

    await asyncio.sleep(seconds)
