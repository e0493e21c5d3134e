"""The emulator: ``Request -> Response`` over a :class:`~ofsc_cli.sandbox.store.Store`.

:meth:`Emulator.handle` runs, in order: bookkeeping (counters, write log), authentication,
route resolution, the ``GET activities`` concurrency cap, fault injection, query validation
and the handler.  Any unexpected exception becomes a 500 OFS error body (the traceback goes
to the ``ofsc_cli.sandbox`` logger, never to the client).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ofsc_cli.sandbox._http import OFSHTTPError, Request, Response
from ofsc_cli.sandbox.auth import Authenticator
from ofsc_cli.sandbox.faults import FaultDecision, Faults

if TYPE_CHECKING:
    from ofsc_cli.catalog import Operation
    from ofsc_cli.sandbox.store import Store

__all__ = ["ACTIVITIES_LIST", "ConcurrencyLimiter", "Emulator", "EmulatorConfig", "open_emulator"]

log = logging.getLogger("ofsc_cli.sandbox")

#: The operation whose concurrency OFS caps (3 running, 10 queued, 30 s in the queue).
ACTIVITIES_LIST = "GET /rest/ofscCore/v1/activities"
TOKEN_PREFIX = "/rest/oauthTokenService/"
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class EmulatorConfig:
    """Emulator settings; the defaults are what the built-in ``sandbox`` profile uses."""

    instance: str = "sandbox"
    client_id: str = "demo"
    client_secret: str = "demo-secret"
    token_ttl: float = 3600
    activities_max_concurrent: int = 3
    activities_max_queued: int = 10
    queue_timeout: float = 30.0
    #: ``GET activities`` stops adding items once the body would exceed this (then hasMore).
    activities_max_response_bytes: int = 20_000_000
    faults: Faults = field(default_factory=Faults)
    #: Check every request against the spec (unknown parameters, types, bodies) and answer
    #: 400 naming the violation; off by default, where the emulator answers like a live tenant.
    strict: bool = False


class ConcurrencyLimiter:
    """At most ``max_concurrent`` holders, ``max_queued`` waiters; others get a 429."""

    def __init__(self, max_concurrent: int, max_queued: int, timeout: float) -> None:
        self.max_concurrent = max_concurrent
        self.max_queued = max_queued
        self.timeout = timeout
        self.active = 0
        self.waiting = 0
        self.max_seen = 0
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one slot for the duration of the block."""
        with self._cond:
            if self.active >= self.max_concurrent:
                if self.waiting >= self.max_queued:
                    raise _too_many("too many concurrent requests; the queue is full")
                self.waiting += 1
                try:
                    ready = self._cond.wait_for(
                        lambda: self.active < self.max_concurrent, self.timeout
                    )
                finally:
                    self.waiting -= 1
                if not ready:
                    raise _too_many("too many concurrent requests; timed out in the queue")
            self.active += 1
            self.max_seen = max(self.max_seen, self.active)
        try:
            yield
        finally:
            with self._cond:
                self.active -= 1
                self._cond.notify()


def _too_many(detail: str) -> OFSHTTPError:
    # The spec is silent on the status code here; 429 is what clients retry on.
    return OFSHTTPError(429, "Too Many Requests", detail, headers={"Retry-After": "1"})


class Emulator:
    """An OFS instance in a box.  Thread-safe: the served mode calls :meth:`handle` concurrently.

    Observability for tests: ``stats`` (``requests``, ``max_concurrent_activities``),
    ``request_counts`` (per operation key, or ``"METHOD path"`` when unresolved) and
    ``write_log`` (``(method, path)`` of every non-GET request outside the token service).
    """

    def __init__(
        self,
        store: Store | None = None,
        config: EmulatorConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if store is None:
            from ofsc_cli.sandbox.store import Store

            store = Store.open()
        self.store = store
        self.config = config or EmulatorConfig()
        self.clock = clock
        self.sleep = sleep
        self.auth = Authenticator(self.config, store, clock)
        self.limiter = ConcurrencyLimiter(
            self.config.activities_max_concurrent,
            self.config.activities_max_queued,
            self.config.queue_timeout,
        )
        self._lock = threading.Lock()
        self._fault_counter = 0
        self.request_counts: collections.Counter[str] = collections.Counter()
        self.write_log: list[tuple[str, str]] = []
        self._requests = 0

    # ------------------------------------------------------------ bookkeeping

    @property
    def stats(self) -> dict[str, int]:
        """Totals: ``requests``, ``writes``, ``max_concurrent_activities``."""
        with self._lock:
            return {
                "requests": self._requests,
                "writes": len(self.write_log),
                "max_concurrent_activities": self.limiter.max_seen,
            }

    def reset_stats(self) -> None:
        with self._lock:
            self._requests = 0
            self.request_counts.clear()
            self.write_log.clear()
            self.limiter.max_seen = 0

    def _record(self, request: Request, key: str) -> None:
        with self._lock:
            self._requests += 1
            self.request_counts[key] += 1
            if request.method not in _READ_METHODS and not request.path.startswith(TOKEN_PREFIX):
                self.write_log.append((request.method, request.path))

    def _next_fault(self, token_service: bool) -> FaultDecision:
        faults = self.config.faults
        if not faults.enabled or (token_service and not faults.faults_on_token):
            return FaultDecision()
        with self._lock:
            self._fault_counter += 1
            n = self._fault_counter
        return faults.decide(n)

    # ---------------------------------------------------------------- handling

    def handle(self, request: Request) -> Response:
        """Answer one request (never raises)."""
        request.method = request.method.upper()
        try:
            return self._handle(request)
        except OFSHTTPError as exc:
            return exc.to_response()
        except Exception:
            log.exception("sandbox: unhandled error on %s %s", request.method, request.path)
            return OFSHTTPError(
                500, "Internal Server Error", "The sandbox failed to handle this request."
            ).to_response()

    def _handle(self, request: Request) -> Response:
        from ofsc_cli.sandbox import router

        token_service = request.path.startswith(TOKEN_PREFIX)
        op: Operation | None = None
        params: dict[str, str] = {}
        route_error: OFSHTTPError | None = None
        try:
            op, params = router.resolve(request, strict=self.config.strict)
        except OFSHTTPError as exc:
            route_error = exc
        self._record(request, op.key if op else f"{request.method} {request.path}")
        self.auth.check(request, token_service=token_service)
        limited = op is not None and op.key == ACTIVITIES_LIST
        with self.limiter.slot() if limited else contextlib.nullcontext():
            fault = self._next_fault(token_service)
            if fault.delay:
                self.sleep(fault.delay)
            if fault.status is not None:
                headers = {}
                if fault.retry_after is not None:
                    headers["Retry-After"] = f"{fault.retry_after:g}"
                raise OFSHTTPError(
                    fault.status, None, "Injected fault (sandbox fault injection).", headers=headers
                )
            if route_error is not None:
                raise route_error
            assert op is not None
            router.validate_path(op, params)
            router.validate_request(op, request, strict=self.config.strict)
            handler = router.handler_for(op)
            response = handler(router.Call(request, op, params, self))
        response.drop = fault.drop
        response.slow_body = fault.slow_body
        return response


def open_emulator(
    db: str | os.PathLike[str] | None = None, *, config: EmulatorConfig | None = None
) -> Emulator:
    """An emulator over the sandbox database ``db`` (default: ``$OFSC_SANDBOX_DB`` or the
    user data directory), created and seeded on first use.  Without ``config``, the defaults;
    ``OFSC_SANDBOX_STRICT=1`` turns on strict mode (the built-in ``sandbox`` profile then checks
    every request against the spec, as ``ofsc sandbox serve --strict`` does).

    Raises :class:`~ofsc_cli.sandbox.store.SandboxStoreError` for an unusable file.
    """
    from ofsc_cli.sandbox.store import Store

    if config is None:
        config = EmulatorConfig(strict=os.environ.get("OFSC_SANDBOX_STRICT", "") == "1")
    return Emulator(Store.open(db), config)
