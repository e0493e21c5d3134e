"""pyOFSC 2.x's async client, :class:`AsyncOFSC`, over :class:`ofsc_cli.AsyncOFSC`.

``from ofsc_cli.compat.async_client import AsyncOFSC`` (was ``from ofsc.async_client import
AsyncOFSC``)::

    async with AsyncOFSC(clientID="ofsc-cli", companyName="acme", secret=secret) as inst:
        zones = await inst.metadata.get_workzones()
        async for zone in inst.metadata.get_all_workzones(limit=100):
            ...

As in 2.x it must be used as an async context manager (the namespaces raise
:class:`RuntimeError` outside one), methods return models (no ``response_type``), and
errors carry 2.x's names (:mod:`ofsc_cli.compat.exceptions`, re-exported here).
:class:`HTTPClientConfig` maps onto the v3 client's options: ``timeout``, ``max_retries``,
``proxy``, ``verify_ssl``, ``trust_env``, ``max_concurrency`` (connections), ``http2``
(when the ``h2`` package is installed); ``follow_redirects`` is accepted and not used (OFS
does not redirect API calls).  ``enable_logging`` is accepted: the client logs requests on
the ``ofsc_cli`` logger at DEBUG level in any case.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from ofsc_cli.compat._client import _Compat, http2_available, make_config, v3_options
from ofsc_cli.compat._delegate import build_namespace
from ofsc_cli.compat._table import TABLE
from ofsc_cli.compat.exceptions import (
    OFSAPIException,
    OFSCApiError,
    OFSCAuthenticationError,
    OFSCAuthorizationError,
    OFSCConflictError,
    OFSCNetworkError,
    OFSCNotFoundError,
    OFSCRateLimitError,
    OFSCServerError,
    OFSCValidationError,
)

__all__ = [
    "AsyncOFSC",
    "HTTPClientConfig",
    "OFSAPIException",
    "OFSCApiError",
    "OFSCAuthenticationError",
    "OFSCAuthorizationError",
    "OFSCConflictError",
    "OFSCNetworkError",
    "OFSCNotFoundError",
    "OFSCRateLimitError",
    "OFSCServerError",
    "OFSCValidationError",
]

ASYNC_NAMESPACES = ("core", "metadata", "capacity", "statistics", "oauth2")


class HTTPClientConfig(BaseModel):
    """2.x's transport settings of the async client (all optional)."""

    model_config = ConfigDict(frozen=True)

    max_concurrency: int | None = Field(default=None, ge=1)
    timeout: float | None = Field(default=None, gt=0)
    max_retries: int = Field(default=0, ge=0)
    proxy: str | None = None
    verify_ssl: bool = True
    http2: bool = True
    follow_redirects: bool = False
    trust_env: bool = True

    def client_options(self) -> dict[str, Any]:
        """Returns the v3 client options these settings stand for."""
        options: dict[str, Any] = {
            "verify": self.verify_ssl,
            "trust_env": self.trust_env,
            "max_retries": self.max_retries,
            "http2": self.http2 and http2_available(),
        }
        if self.timeout is not None:
            options["timeout"] = self.timeout
        if self.proxy is not None:
            options["proxy"] = self.proxy
        if self.max_concurrency is not None:
            options["max_connections"] = self.max_concurrency
            options["max_keepalive_connections"] = self.max_concurrency
        return options


_ASYNC_CLASSES = {ns: build_namespace("async", ns, TABLE) for ns in ASYNC_NAMESPACES}


class AsyncOFSC(_Compat):
    """pyOFSC 2.x's async client (see the module docstring).

    ``AsyncOFSC(clientID, companyName, secret, root=None, baseUrl=None, useToken=False,
    access_token=None, enable_auto_raise=True, enable_auto_model=True,
    enable_logging=False, http_config=None)``: ``clientID``, ``companyName``, ``secret``,
    ``root``, ``baseUrl``, ``useToken``, ``enable_auto_raise`` and ``enable_auto_model`` as
    for the sync ``OFSC``, plus ``access_token`` (sent as a Bearer token with
    ``useToken``), ``enable_logging`` (accepted) and ``http_config`` (a
    :class:`HTTPClientConfig`); keyword-only extras ``client`` (a v3
    :class:`ofsc_cli.AsyncOFSC` to use, left open on exit) and ``**options`` (v3 client
    options).  The v3 client is made on ``async with``.
    """

    _kind = "async"
    _namespaces = ASYNC_NAMESPACES

    def __init__(
        self,
        clientID: str,
        companyName: str,
        secret: str,
        root: str | None = None,
        baseUrl: str | None = None,
        useToken: bool = False,
        access_token: str | None = None,
        enable_auto_raise: bool = True,
        enable_auto_model: bool = True,
        enable_logging: bool = False,
        http_config: HTTPClientConfig | None = None,
        *,
        client: Any = None,
        **options: Any,
    ) -> None:
        self._config = make_config(
            clientID,
            companyName,
            secret,
            root,
            baseUrl,
            useToken,
            enable_auto_raise,
            enable_auto_model,
            access_token,
        )
        self._enable_logging = enable_logging
        self._http_config = http_config or HTTPClientConfig()
        self._given = client
        self._options = options
        self.client = None
        self._spaces: dict[str, Any] = {}

    async def __aenter__(self) -> Self:
        client = self._given
        if client is None:
            from ofsc_cli.client import AsyncOFSC as V3

            options = {**self._http_config.client_options(), **self._options}
            client = V3(**v3_options(self._config, options))
        self.client = client
        self._spaces = {ns: cls(self) for ns, cls in _ASYNC_CLASSES.items()}
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.client is not None and self._given is None:
            await self.client.aclose()
        self.client = None
        self._spaces = {}

    def _space(self, name: str) -> Any:
        space = self._spaces.get(name)
        if space is None:
            raise RuntimeError("AsyncOFSC must be used as async context manager")
        return space

    @property
    def core(self) -> Any:
        """2.x's ``core`` namespace (inside ``async with`` only)."""
        return self._space("core")

    @property
    def metadata(self) -> Any:
        """2.x's ``metadata`` namespace (inside ``async with`` only)."""
        return self._space("metadata")

    @property
    def capacity(self) -> Any:
        """2.x's ``capacity`` namespace (inside ``async with`` only)."""
        return self._space("capacity")

    @property
    def statistics(self) -> Any:
        """2.x's ``statistics`` namespace (inside ``async with`` only)."""
        return self._space("statistics")

    @property
    def oauth2(self) -> Any:
        """2.x's ``oauth2`` namespace (inside ``async with`` only)."""
        return self._space("oauth2")

    def __str__(self) -> str:
        return f"AsyncOFSC(baseURL={self._config.baseURL})"

    __repr__ = __str__
