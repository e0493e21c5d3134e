"""The sync compat client, :class:`OFSC`, and what both compat clients share.

2.x's constructor arguments map onto the v3 client (:class:`ofsc_cli.OFSC`):

* ``companyName`` is the instance: the base URL ``https://<companyName>.fs.ocs.oraclecloud.com``
  (``"acme.test"`` gives ``https://acme.test.fs.ocs.oraclecloud.com``) and the
  ``<clientID>@<companyName>`` user of Basic auth;
* ``baseUrl`` replaces that URL (a loopback ``http://`` URL is accepted, for an emulator);
* ``useToken=True`` authenticates with OAuth2 client-credentials tokens fetched (and
  renewed) by the client instead of Basic; the async client's ``access_token`` is sent as
  is instead;
* ``root`` is the default root resource of ``core.get_all_activities``;
* ``enable_auto_raise=False`` (sync) returns the error body instead of raising, and
  ``enable_auto_model=False`` returns the JSON body instead of models.

Keyword-only extras, not in 2.x: ``client=`` wraps an existing v3 client (its settings
win), and any other keyword is a v3 client option (``timeout=``, ``transport=`` …).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Generator
from types import TracebackType
from typing import Any, Self

import httpx

from ofsc_cli.compat._delegate import build_namespace
from ofsc_cli.compat._table import TABLE
from ofsc_cli.compat.models import OFSConfig

__all__ = ["OFSC", "StaticBearer", "base_url_for", "make_config", "v3_options"]

SYNC_NAMESPACES = ("core", "metadata", "capacity", "oauth2")


def base_url_for(company: str) -> str:
    """2.x's default base URL for a company name."""
    return f"https://{company}.fs.ocs.oraclecloud.com"


class StaticBearer(httpx.Auth):
    """``Authorization: Bearer <token>`` with a token the caller obtained (never logged)."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send ``request`` with the token."""
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "StaticBearer(****)"


def make_config(
    clientID: str,
    companyName: str,
    secret: str,
    root: str | None,
    baseUrl: str | None,
    useToken: bool,
    auto_raise: bool,
    auto_model: bool,
    access_token: str | None = None,
) -> OFSConfig:
    """The 2.x settings record of a compat client."""
    return OFSConfig(
        clientID=clientID,
        secret=secret,
        companyName=companyName,
        root=root,
        baseURL=baseUrl or base_url_for(companyName),
        useToken=useToken,
        access_token=access_token,
        auto_raise=auto_raise,
        auto_model=auto_model,
    )


def v3_options(config: OFSConfig, options: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments of the v3 client for 2.x's settings (``options`` win)."""
    auth: Any = "basic"
    if config.useToken:
        auth = StaticBearer(config.access_token) if config.access_token else "oauth2"
    merged: dict[str, Any] = {
        "instance": config.companyName,
        "client_id": config.clientID,
        "client_secret": config.secret,
        "base_url": config.baseURL,
        "auth": auth,
    }
    merged.update(options)
    return merged


class _Compat:
    """What both compat clients share: settings, ``auto_model``, 2.x's errors for a
    method called without its namespace."""

    _kind = "sync"
    _namespaces: tuple[str, ...] = ()
    _config: OFSConfig
    client: Any

    @property
    def auto_model(self) -> bool:
        """Whether results are models (``False``: the JSON body)."""
        return self._config.auto_model

    @auto_model.setter
    def auto_model(self, value: bool) -> None:
        self._config.auto_model = value

    @property
    def config(self) -> OFSConfig:
        """2.x's settings record (``baseURL``, ``root`` …; the secret is not shown)."""
        return self._config

    def __getattr__(self, name: str) -> Any:
        from ofsc_cli.compat._inventory import methods

        owners = sorted(ns for ns, method in methods(self._kind) if method == name)
        if not owners or name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

        def removed(*args: Any, **kwargs: Any) -> Any:
            raise NotImplementedError(
                f"{name} was called without the API name: use .{owners[0]}.{name}"
            )

        return removed


_SYNC_CLASSES = {ns: build_namespace("sync", ns, TABLE) for ns in SYNC_NAMESPACES}


class OFSC(_Compat):
    """pyOFSC 2.x's sync client over :class:`ofsc_cli.OFSC` (see the module docstring).

    ``OFSC(clientID, companyName, secret, root=None, baseUrl=None, useToken=False,
    enable_auto_raise=True, enable_auto_model=True)``: ``clientID`` and ``secret`` are the
    application's credentials, ``companyName`` the instance, ``root`` the default root
    resource, ``baseUrl`` a base URL to use instead of the instance's, ``useToken`` OAuth2
    instead of Basic, ``enable_auto_raise``/``enable_auto_model`` 2.x's switches; the
    keyword-only ``client`` wraps an existing v3 client, and ``**options`` are v3 client
    options.  Namespaces ``core``, ``metadata``, ``capacity``, ``oauth2``.  Raises
    :class:`~ofsc_cli.errors.OFSValidationError` for an unusable base URL.  Close it with
    :meth:`close` (or use it in a ``with`` block).
    """

    _kind = "sync"
    _namespaces = SYNC_NAMESPACES

    def __init__(
        self,
        clientID: str,
        companyName: str,
        secret: str,
        root: str | None = None,
        baseUrl: str | None = None,
        useToken: bool = False,
        enable_auto_raise: bool = True,
        enable_auto_model: bool = True,
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
        )
        if client is None:
            from ofsc_cli.client import OFSC as V3

            client = V3(**v3_options(self._config, options))
        self.client = client
        self._core = _SYNC_CLASSES["core"](self)
        self._metadata = _SYNC_CLASSES["metadata"](self)
        self._capacity = _SYNC_CLASSES["capacity"](self)
        self._oauth = _SYNC_CLASSES["oauth2"](self)

    @property
    def core(self) -> Any:
        """2.x's ``core`` namespace."""
        return self._core

    @property
    def metadata(self) -> Any:
        """2.x's ``metadata`` namespace."""
        return self._metadata

    @property
    def capacity(self) -> Any:
        """2.x's ``capacity`` namespace."""
        return self._capacity

    @property
    def oauth2(self) -> Any:
        """2.x's ``oauth2`` namespace."""
        return self._oauth

    def close(self) -> None:
        """Close the underlying client's connections."""
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __str__(self) -> str:
        return f"baseURL={self._config.baseURL}"

    def __repr__(self) -> str:
        return f"OFSC(baseURL={self._config.baseURL!r})"


def http2_available() -> bool:
    """Whether HTTP/2 can be used (the ``h2`` package is installed)."""
    return importlib.util.find_spec("h2") is not None
