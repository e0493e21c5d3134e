"""The library's transport safety: a closed client says so, base URLs are checked in the
constructors (``http://`` only to loopback unless allowed), a private CA (``ca_bundle``), an
explicit or environment proxy, and ``verify_ssl = false`` only as a warned opt-out."""

from __future__ import annotations

import asyncio
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from raw_servers import ForwardingProxy, TLSServer, refused_port, self_signed_cert
from served_cli import Cli, sync_client

from ofsc_cli import OFSC, AsyncOFSC
from ofsc_cli.cli.errors import EXIT_NETWORK, exit_code_for
from ofsc_cli.client import RetryPolicy
from ofsc_cli.common.urls import base_url_problem
from ofsc_cli.config import ProfileConfig, connection_problems
from ofsc_cli.errors import (
    OFSClientClosedError,
    OFSConfigurationError,
    OFSConnectionError,
    OFSError,
    OFSInsecureTransportWarning,
    OFSValidationError,
)
from ofsc_cli.sandbox import EmulatorTransport, ServerHandle

ZONES = {"items": [{"workZoneLabel": "NORTH", "status": "active"}], "totalResults": 1}
ONE_TRY = RetryPolicy(max_attempts=1)


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


# -- a closed client ----------------------------------------------------------------------------


def test_a_closed_sync_client_raises_a_typed_error(sandbox_server: ServerHandle) -> None:
    client = sync_client(sandbox_server)
    assert client.metadata.list_work_zones().items
    client.close()
    calls = [
        lambda: client.metadata.list_work_zones(),
        lambda: client.request("GET", "/rest/ofscMetadata/v1/workZones"),
        lambda: client.stream("GET", "/rest/ofscMetadata/v1/workZones").__enter__(),
    ]
    closed = r"OFSC for http://127\.0\.0\.1:\d+ is closed"
    for call in calls:
        with pytest.raises(OFSClientClosedError, match=closed):
            call()
    with OFSC("acme", "id", "secret") as other:
        pass
    with pytest.raises(OFSClientClosedError):
        other.core.get_resource("R1")


async def test_a_closed_async_client_raises_a_typed_error(sandbox_server: ServerHandle) -> None:
    client = AsyncOFSC("sandbox", "demo", "demo-secret", base_url=sandbox_server.url)
    async with client:
        assert (await client.metadata.list_work_zones()).items
    with pytest.raises(OFSClientClosedError, match="is closed"):
        await client.metadata.list_work_zones()
    with pytest.raises(OFSClientClosedError):
        await client.request("GET", "/rest/ofscMetadata/v1/workZones")


def test_an_async_client_outliving_its_event_loop_says_so(sandbox_server: ServerHandle) -> None:
    client = AsyncOFSC("sandbox", "demo", "demo-secret", base_url=sandbox_server.url)

    async def zones() -> Any:
        return await client.metadata.list_work_zones()

    assert asyncio.run(zones()).items  # leaves a pooled connection bound to that loop
    with pytest.raises(OFSClientClosedError, match="event loop that has been closed"):
        asyncio.run(zones())
    asyncio.run(client.aclose())  # closing it still works: its connections died with the loop
    with pytest.raises(OFSClientClosedError, match="is closed"):
        asyncio.run(zones())


# -- base URLs ----------------------------------------------------------------------------------

REFUSED = [
    ("http://ofs.example.com", "refusing plain http://"),
    ("http://10.0.0.1:8080", "refusing plain http://"),
    ("http://[2001:db8::1]/", "refusing plain http://"),
    ("ftp://ofs.example.com", "http:// or https://"),
    ("file:///etc/passwd", "http:// or https://"),
    ("ws://127.0.0.1:9000", "http:// or https://"),
    ("acme.fs.ocs.oraclecloud.com", "http:// or https://"),
    ("https://", "http:// or https://"),
    ("https://acme.example.com:99999", "invalid port"),
    ("https://acme.example.com:0", "invalid port"),
    ("https://acme.example.com:https", "invalid port"),
    ("https://admin:s3cret@acme.example.com", "credentials"),
    ("https://acme.example.com/rest?x=1", "query"),
    ("https://acme.example.com/\r\nX-Injected: 1", "control characters"),
    ("https://acme example.com", "whitespace"),
]


@pytest.mark.parametrize("client_class", [OFSC, AsyncOFSC])
@pytest.mark.parametrize(("url", "why"), REFUSED)
def test_the_constructors_refuse_bad_base_urls(client_class: type, url: str, why: str) -> None:
    with pytest.raises(OFSValidationError, match=why) as caught:
        client_class("acme", "id", "secret", base_url=url)
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(("url", "why"), REFUSED)
def test_a_profile_is_refused_by_the_same_check(url: str, why: str) -> None:
    problem = base_url_problem(url)
    assert problem is not None and why in problem
    # The configuration asks the library: one check, one message (a malformed URL may be
    # refused already when it is read, by the same function).
    try:
        values = ProfileConfig(base_url=url, client_id="c")
    except ValueError as exc:
        assert why in str(exc)
    else:
        assert connection_problems("p", values) == [f"profile 'p': {problem}"]


@pytest.mark.parametrize("client_class", [OFSC, AsyncOFSC])
@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://127.9.8.7", "http://localhost:1", "http://[::1]:9"]
)
def test_plain_http_is_fine_to_loopback(client_class: type, url: str) -> None:
    assert client_class("acme", "id", "secret", base_url=url).base_url == url


def test_plain_http_to_a_remote_host_needs_the_explicit_opt_in() -> None:
    client = OFSC(
        "acme", "id", "secret", base_url="http://ofs.example.com", allow_insecure_http=True
    )
    assert client.base_url == "http://ofs.example.com"
    with pytest.raises(OFSValidationError, match="allow_insecure_http"):
        AsyncOFSC("acme", "id", "secret", base_url="http://ofs.example.com")


def test_a_bad_instance_name_is_refused_too() -> None:
    with pytest.raises(OFSValidationError):
        OFSC("ac me", "id", "secret")


# -- TLS: a private CA, and verification off only with a warning --------------------------------


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TLSServer, Path]]:
    cert, key = self_signed_cert(tmp_path_factory.mktemp("tls"))
    with TLSServer(cert, key, ZONES) as server:
        yield server, cert


def test_ca_bundle_trusts_a_private_ca(tls: tuple[TLSServer, Path]) -> None:
    server, cert = tls
    with OFSC("local", "id", "secret", base_url=server.url, ca_bundle=cert) as client:
        assert [z.workZoneLabel for z in client.metadata.list_work_zones().items] == ["NORTH"]

    async def run() -> list[str]:
        async with AsyncOFSC(
            "local", "id", "secret", base_url=server.url, ca_bundle=str(cert)
        ) as c:
            return [z.workZoneLabel for z in (await c.metadata.list_work_zones()).items]

    assert asyncio.run(run()) == ["NORTH"]


def test_without_the_ca_the_certificate_is_refused(tls: tuple[TLSServer, Path]) -> None:
    server, _ = tls
    client = OFSC("local", "id", "secret", base_url=server.url, retry=ONE_TRY)
    with client, pytest.raises(OFSConnectionError, match="CERTIFICATE_VERIFY_FAILED") as caught:
        client.metadata.list_work_zones()
    assert exit_code_for(caught.value) == EXIT_NETWORK


def test_the_cli_uses_the_profile_s_ca_bundle(
    tls: tuple[TLSServer, Path], sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    server, cert = tls
    cli = Cli(sandbox_server, tmp_path, OFSC_BASE_URL=server.url, OFSC_MAX_RETRIES="0")
    cli.fails(EXIT_NETWORK, "metadata", "work-zones", "list")
    cli.env["OFSC_CA_BUNDLE"] = str(cert)
    assert json.loads(cli.ok("metadata", "work-zones", "list", "-o", "json").stdout) == [
        ZONES["items"][0]
    ]


def test_verify_off_is_insecure_and_warned(tls: tuple[TLSServer, Path]) -> None:
    server, _ = tls
    with pytest.warns(OFSInsecureTransportWarning, match="verification is off") as caught:
        client = OFSC("local", "id", "secret", base_url=server.url, verify=False)
    assert caught[0].filename == __file__  # points at the caller's line
    with client:
        assert client.metadata.list_work_zones().items
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        OFSC("local", "id", "secret", base_url=server.url).close()  # the default: no warning


def test_the_cli_warns_once_about_verify_ssl_false(
    sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    cli = Cli(sandbox_server, tmp_path, OFSC_VERIFY_SSL="false")
    result = cli.ok("metadata", "work-zones", "list", "-o", "json")
    assert json.loads(result.stdout)
    assert result.stderr.splitlines() == [
        "ofsc: warning: TLS certificate verification is off (verify=False, verify_ssl = false):"
        " the server's identity is not checked; trust a private CA with ca_bundle instead"
    ]
    clean = Cli(sandbox_server, tmp_path).ok("metadata", "work-zones", "list", "-o", "json")
    assert clean.stderr == ""


@pytest.mark.parametrize("content", [None, "", "not a certificate\n", "dir"])
def test_an_unusable_ca_bundle_is_a_configuration_error(
    tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "ca.pem"
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_text(content)
    with pytest.raises(OFSConfigurationError, match=r"ca_bundle .*ca\.pem"):
        OFSC("acme", "id", "secret", ca_bundle=path)
    with pytest.raises(OFSConfigurationError, match="contradict"):
        OFSC("acme", "id", "secret", ca_bundle=path, verify=False)


# -- proxies ------------------------------------------------------------------------------------


@pytest.fixture
def proxy() -> Iterator[ForwardingProxy]:
    with ForwardingProxy() as forwarding:
        yield forwarding


def _zones(client: OFSC) -> list[str | None]:
    return [z.workZoneLabel for z in client.metadata.list_work_zones().items]


def test_an_explicit_proxy_carries_every_request(
    proxy: ForwardingProxy, sandbox_server: ServerHandle
) -> None:
    direct = _zones(sync_client(sandbox_server))
    with sync_client(sandbox_server, proxy=proxy.url) as client:
        assert _zones(client) == direct
    assert [(m, url) for m, url, _ in proxy.seen] == [
        ("GET", f"{sandbox_server.url}/rest/ofscMetadata/v1/workZones")
    ]
    with sync_client(sandbox_server, proxy=proxy.url.replace("//", "//user:pw@")) as client:
        _zones(client)
    assert proxy.seen[-1][2] is not None and proxy.seen[-1][2].startswith("Basic ")


async def test_the_async_client_takes_the_proxy_too(
    proxy: ForwardingProxy, sandbox_server: ServerHandle
) -> None:
    async with AsyncOFSC(
        "sandbox", "demo", "demo-secret", base_url=sandbox_server.url, proxy=proxy.url
    ) as client:
        assert (await client.metadata.list_work_zones()).items
    assert len(proxy.seen) == 1


def test_the_environment_proxy_and_no_proxy_are_honoured(
    proxy: ForwardingProxy, sandbox_server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    with sync_client(sandbox_server) as client:
        _zones(client)
    assert len(proxy.seen) == 1
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with sync_client(sandbox_server) as client:
        _zones(client)
    assert len(proxy.seen) == 1  # bypassed
    monkeypatch.delenv("NO_PROXY")
    with sync_client(sandbox_server, trust_env=False) as client:
        _zones(client)
    assert len(proxy.seen) == 1  # the environment ignored on request


def test_a_custom_transport_ignores_every_proxy(
    sandbox_server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    with refused_port() as port:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
        transport = EmulatorTransport(sandbox_server.emulator)
        with OFSC("sandbox", "demo", "demo-secret", transport=transport) as client:
            assert client.metadata.list_work_zones().items
        explicit = {"proxy": f"http://127.0.0.1:{port}"}
        with OFSC("sandbox", "demo", "demo-secret", transport=transport, **explicit) as client:
            assert client.metadata.list_work_zones().items


def test_the_cli_uses_the_profile_s_proxy_and_hides_its_password(
    proxy: ForwardingProxy, sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    with_auth = proxy.url.replace("//", "//someone:pr0xy-pw@")
    cli = Cli(sandbox_server, tmp_path, OFSC_PROXY=with_auth)
    cli.ok("metadata", "work-zones", "list", "-o", "json")
    assert len(proxy.seen) == 1
    shown = cli.ok("config", "show", "-o", "json")
    assert "pr0xy-pw" not in shown.stdout + shown.stderr
    assert "****@127.0.0.1" in shown.stdout


@pytest.mark.parametrize(
    "url",
    ["ftp://proxy.example.com", "proxy.example.com:3128", "http://", "http://p.example.com:0"],
)
def test_a_bad_proxy_url_is_refused_without_echoing_it(url: str) -> None:
    with pytest.raises(OFSValidationError, match="proxy") as caught:
        OFSC("acme", "id", "secret", proxy=url.replace("//", "//u:s3cret@", 1))
    assert "s3cret" not in str(caught.value)


def test_a_dead_proxy_is_a_network_error(sandbox_server: ServerHandle) -> None:
    with refused_port() as port:
        options: dict[str, Any] = {"proxy": f"http://127.0.0.1:{port}", "retry": ONE_TRY}
        client = sync_client(sandbox_server, **options)
        with client, pytest.raises(OFSError) as caught:
            client.metadata.list_work_zones()
    assert exit_code_for(caught.value) == EXIT_NETWORK


def test_from_profile_passes_the_transport_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tls: tuple[TLSServer, Path]
) -> None:
    _, cert = tls
    monkeypatch.setenv("OFSC_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("OFSC_INSTANCE", "acme")
    monkeypatch.setenv("OFSC_CLIENT_ID", "id")
    monkeypatch.setenv("OFSC_CLIENT_SECRET", "secret")
    monkeypatch.setenv("OFSC_BASE_URL", "http://ofs.example.com")
    with pytest.raises(OFSConfigurationError, match="allow_insecure_http"):
        OFSC.from_profile()
    monkeypatch.setenv("OFSC_ALLOW_INSECURE_HTTP", "true")
    monkeypatch.setenv("OFSC_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("OFSC_CA_BUNDLE", str(cert))
    with OFSC.from_profile() as client:
        assert client.proxy == "http://127.0.0.1:3128" and client.ca_bundle == str(cert)
        assert client.allow_insecure_http is True
    monkeypatch.setenv("OFSC_CA_BUNDLE", str(tmp_path / "missing.pem"))
    with pytest.raises(OFSConfigurationError, match=r"missing\.pem"):
        OFSC.from_profile()
