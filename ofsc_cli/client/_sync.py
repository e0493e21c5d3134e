"""The synchronous client: :class:`OFSC` (an ``httpx.Client`` underneath)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx
from httpx import USE_CLIENT_DEFAULT

from ofsc_cli.client._base import BaseClient, Send, Step
from ofsc_cli.client._endpoint import Args, EndpointSpec, LazyNamespace, SyncExecutorBase

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
        **options: Any,
    ) -> None:
        super().__init__(instance, client_id, client_secret, **options)
        self._sleep = sleep
        self.http = httpx.Client(
            transport=transport,
            event_hooks=event_hooks,
            **self._client_kwargs(custom_transport=transport is not None),
        )
        self._executor = _Executor(self)

    @classmethod
    def from_profile(cls, profile: str | None = None, **overrides: Any) -> OFSC:
        """A client for a ``config.toml`` profile (or the ``OFSC_*`` environment).

        ``overrides`` replace settings of the profile (``timeout=5``) or pass client-only
        objects (``transport=…``).  Raises :class:`~ofsc_cli.errors.OFSConfigurationError` for
        an unknown profile or incomplete settings.
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
        self.http.close()

    def send(
        self, request: httpx.Request, *, stream: bool = False, auth: httpx.Auth | None = None
    ) -> httpx.Response:
        """Send ``request`` with retries and the circuit breaker; the response is returned
        whatever its status (see :meth:`request` for one that raises on errors).
        Raises :class:`~ofsc_cli.errors.OFSClientClosedError` once the client is closed."""
        self._ensure_open()
        flow = self._send_flow(request, stream=stream, auth=auth)
        step: Step = next(flow)
        while True:
            outcome: httpx.Response | httpx.HTTPError | None
            if isinstance(step, Send):
                try:
                    outcome = self.http.send(
                        step.request, stream=step.stream, auth=step.auth or USE_CLIENT_DEFAULT
                    )
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

    def execute(self, spec: EndpointSpec, args: Args) -> Any:
        """Run a declared operation (``Namespace.method.spec``) with built ``args``."""
        request = self.build(spec, args)
        return self._parse(spec, self.send(request, auth=self._auth_for(spec)))

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send any request (path relative to the base URL) with retries and error mapping."""
        response = self.send(self.http.build_request(method, url, **kwargs))
        return self._check(response)

    @contextmanager
    def stream(self, method: str, url: str, **kwargs: Any) -> Iterator[httpx.Response]:
        """Like :meth:`request`, with the body left unread for streaming."""
        response = self.send(self.http.build_request(method, url, **kwargs), stream=True)
        try:
            if not response.is_success:
                response.read()
            yield self._check(response)
        finally:
            response.close()
