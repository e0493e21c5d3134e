"""The synchronous client: :class:`OFSC` (an ``httpx.Client`` underneath)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx
from httpx import USE_CLIENT_DEFAULT

from ofsc_cli.client._base import BaseClient, Send, Step
from ofsc_cli.client._endpoint import Args, EndpointSpec, LazyNamespace, SyncExecutorBase
from ofsc_cli.client.middleware import (
    CallNext,
    Middleware,
    _answered,
    _attach,
    _timed,
    chain,
    sync_layers,
)

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

__all__ = ["OFSC"]


class _Executor(SyncExecutorBase):
    def __init__(self, client: OFSC) -> None:
        self._client = client

    def execute(self, spec: EndpointSpec, args: Args) -> Any:
        return self._client.execute(spec, args)


class OFSC(BaseClient):
    """Synchronous OFS client.  Use as a context manager, or call :meth:`close`.

    ``OFSC("acme", "ofsc-cli", secret)`` talks to ``https://acme.fs.ocs.oraclecloud.com``;
    :meth:`from_profile` builds one from ``config.toml`` / ``OFSC_*`` settings.
    Operations live in namespaces: ``client.metadata``, ``client.core``, ``client.capacity``…
    """

    http: httpx.Client
    core: LazyNamespace[Core[SyncExecutorBase]] = LazyNamespace("core:Core")
    metadata: LazyNamespace[Metadata[SyncExecutorBase]] = LazyNamespace("metadata:Metadata")
    capacity: LazyNamespace[Capacity[SyncExecutorBase]] = LazyNamespace("capacity:Capacity")
    statistics: LazyNamespace[Statistics[SyncExecutorBase]] = LazyNamespace("statistics:Statistics")
    oauth2: LazyNamespace[OAuth2[SyncExecutorBase]] = LazyNamespace("oauth2:OAuth2")
    parts_catalog: LazyNamespace[PartsCatalog[SyncExecutorBase]] = LazyNamespace(
        "parts_catalog:PartsCatalog"
    )
    collaboration: LazyNamespace[Collaboration[SyncExecutorBase]] = LazyNamespace(
        "collaboration:Collaboration"
    )

    def __init__(
        self,
        instance: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        event_hooks: dict[str, list[Callable[..., Any]]] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        middleware: Sequence[Any] = (),
        **options: Any,
    ) -> None:
        """A client of ``instance`` for the application ``client_id`` with ``client_secret``
        (see :class:`~ofsc_cli.client._base.BaseClient` for those and the other ``options``).
        ``transport`` replaces httpx's (an in-process one, a mock), ``event_hooks`` go to
        ``httpx.Client``, and ``sleep`` waits between retries.

        ``middleware``: callables ``(request, call_next) -> response`` run around each
        attempt, the first one outermost (see :mod:`ofsc_cli.client.middleware`); the other
        options are :class:`~ofsc_cli.client._base.BaseClient`'s, whose errors a bad option
        raises."""
        super().__init__(instance, client_id, client_secret, **options)
        self._sleep = sleep
        self.middleware = sync_layers(middleware)
        per_call, per_attempt = self._builtin_layers()
        self._call_layers: tuple[Middleware, ...] = tuple(per_call)
        self._attempt_layers: tuple[Middleware, ...] = (*per_attempt, *self.middleware)
        self._last_response = ContextVar("ofsc_last_response", default=None)
        self.http = httpx.Client(
            transport=transport,
            event_hooks=event_hooks,
            **self._client_kwargs(custom_transport=transport is not None),
        )
        self._executor = _Executor(self)

    @classmethod
    def from_profile(cls, profile: str | None = None, **overrides: Any) -> OFSC:
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

        return cls(**client_options(profile, overrides, asynchronous=False))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections; the client cannot be used afterwards."""
        self.http.close()

    def send(
        self, request: httpx.Request, *, stream: bool = False, auth: httpx.Auth | None = None
    ) -> httpx.Response:
        """Send ``request`` through the chain: retries and the circuit breaker, then the middleware
        (once per attempt), then httpx (``stream``: the body left unread; ``auth`` instead of the
        client's). Returns the response whatever its status (see :meth:`request` for one that raises
        on errors), also kept as :attr:`last_response`. Raises
        :class:`~ofsc_cli.errors.OFSClientClosedError` once the client is closed.
        """
        self._ensure_open()
        self._last_response.set(None)

        def transport(request: httpx.Request) -> httpx.Response:
            start = time.perf_counter()
            response = self.http.send(request, stream=stream, auth=auth or USE_CLIENT_DEFAULT)
            return _timed(response, start, stream)

        attempts = chain(self._attempt_layers, transport)
        response = chain(self._call_layers, lambda req: self._retries(req, attempts))(request)
        self._last_response.set(response)
        return response

    def _retries(self, request: httpx.Request, call_next: CallNext) -> httpx.Response:
        """The outermost layer: drive :meth:`_send_flow`, each attempt through ``call_next``."""
        flow = self._send_flow(request)
        try:
            step: Step = next(flow)
            while True:
                outcome: httpx.Response | httpx.HTTPError | None
                if isinstance(step, Send):
                    try:
                        outcome = _answered(call_next(step.request), step.request)
                    except httpx.HTTPError as exc:
                        outcome = exc
                else:
                    if step.discard is not None:
                        step.discard.close()
                    self._sleep(step.seconds)
                    outcome = None
                try:
                    step = flow.send(outcome)
                except StopIteration as done:
                    response: httpx.Response = done.value
                    return response
        finally:
            flow.close()

    def execute(self, spec: EndpointSpec, args: Args) -> Any:
        """Run the declared operation ``spec`` (``Namespace.method.spec``) with built
        ``args``.  Returns its result, parsed (as an API operation's docstring says).  Raises
        the errors an API operation raises."""
        request = self.build(spec, args)
        response = self.send(request, auth=self._auth_for(spec))
        result = self._parse(spec, response)
        _attach(result, response)
        return self._processed(spec, result, response)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send any request: ``method`` to ``url`` (a path relative to the base URL),
        ``kwargs`` as for httpx's ``build_request``, with retries.  Returns the successful
        response; raises the typed error (:class:`~ofsc_cli.errors.OFSError`) of a failure."""
        response = self.send(self.http.build_request(method, url, **kwargs))
        return self._check(response)

    @contextmanager
    def stream(self, method: str, url: str, **kwargs: Any) -> Iterator[httpx.Response]:
        """Like :meth:`request` (``method``, ``url``, ``kwargs``), with the body left unread
        for streaming.  Yields the successful response, closed when the block ends; raises the
        typed error of a failure."""
        response = self.send(self.http.build_request(method, url, **kwargs), stream=True)
        try:
            if not response.is_success:
                response.read()
            yield self._check(response)
        finally:
            response.close()
