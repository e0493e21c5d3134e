"""A client of a plain ``http://`` base URL reads no CA certificates unless it makes a TLS
connection, and then it verifies exactly as the default context does (certifi's bundle, or
``SSL_CERT_FILE`` when the environment is trusted); an ``https://`` client keeps httpx's
context, read when the client is made."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from raw_servers import TLSServer, self_signed_cert
from served_cli import async_client, sync_client

from ofsc_cli import OFSC, AsyncOFSC
from ofsc_cli.client import RetryPolicy
from ofsc_cli.client._tls import DeferredTrustContext
from ofsc_cli.errors import OFSConnectionError
from ofsc_cli.sandbox import ServerHandle

ZONES = {"items": [{"workZoneLabel": "NORTH", "status": "active"}], "totalResults": 1}
ONE_TRY = RetryPolicy(max_attempts=1)


@pytest.fixture(autouse=True)
def _no_tls_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every ``load_verify_locations`` call made while the test runs (what it was given)."""
    calls: list[Any] = []
    original = ssl.SSLContext.load_verify_locations

    def recording(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        calls.append((type(self), args, kwargs))
        original(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", recording)
    return calls


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TLSServer, Path]]:
    cert, key = self_signed_cert(tmp_path_factory.mktemp("tls"))
    with TLSServer(cert, key, ZONES) as server:
        yield server, cert


def _context(client: OFSC | AsyncOFSC) -> ssl.SSLContext:
    context: ssl.SSLContext = client.http._transport._pool._ssl_context  # type: ignore[union-attr]
    return context


def test_a_served_client_reads_no_ca_store(sandbox_server: ServerHandle, loads: list[Any]) -> None:
    with sync_client(sandbox_server) as client:
        assert client.metadata.list_work_zones().items
        context = _context(client)
        assert isinstance(context, DeferredTrustContext) and not context.trust_loaded

    async def run() -> int:
        async with async_client(sandbox_server) as aclient:
            assert not _context(aclient).trust_loaded  # type: ignore[attr-defined]
            return len((await aclient.metadata.list_work_zones()).items)

    assert asyncio.run(run()) > 0
    assert loads == []
    assert client.verify is True  # the client's own setting is unchanged


def test_a_tls_connection_from_a_served_client_verifies(
    sandbox_server: ServerHandle, tls: tuple[TLSServer, Path], loads: list[Any]
) -> None:
    server, _ = tls
    with sync_client(sandbox_server, retry=ONE_TRY) as client:
        with pytest.raises(OFSConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            client.request("GET", f"{server.url}/rest/ofscMetadata/v1/workZones")
        context = _context(client)
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        assert context.cert_store_stats()["x509_ca"] > 0  # certifi's bundle, read once
    assert [(kind, kwargs) for kind, _, kwargs in loads] == [
        (DeferredTrustContext, {"cafile": pytest.importorskip("certifi").where()})
    ]


@pytest.mark.parametrize("trust_env", [True, False])
def test_the_deferred_context_honours_ssl_cert_file_as_httpx_does(
    sandbox_server: ServerHandle,
    tls: tuple[TLSServer, Path],
    monkeypatch: pytest.MonkeyPatch,
    trust_env: bool,
) -> None:
    server, cert = tls
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    url = f"{server.url}/rest/ofscMetadata/v1/workZones"

    async def fetch() -> Any:
        async with async_client(sandbox_server, retry=ONE_TRY, trust_env=trust_env) as aclient:
            return (await aclient.request("GET", url)).json()

    with sync_client(sandbox_server, retry=ONE_TRY, trust_env=trust_env) as client:
        if trust_env:  # the environment's CA: the private server is trusted (socket, BIO)
            assert client.request("GET", url).json() == ZONES
            assert asyncio.run(fetch()) == ZONES
        else:  # certifi's bundle only
            with pytest.raises(OFSConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
                client.request("GET", url)
            with pytest.raises(OFSConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
                asyncio.run(fetch())


def test_an_https_client_keeps_httpx_s_context(loads: list[Any]) -> None:
    with OFSC("acme", "id", "secret") as client:
        context = _context(client)
        assert not isinstance(context, DeferredTrustContext)
        assert loads and context.cert_store_stats()["x509_ca"] > 0  # read with the client
