"""Both clients over real HTTP against a small local server on 127.0.0.1.

The server is deliberately tiny and independent of the emulator: it checks Basic and Bearer
credentials, issues tokens, pages work zones and fails once with 503 + Retry-After.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ofsc_cli import OFSC, AsyncOFSC, OFSAPIError, OFSAuthenticationError, OFSConnectionError
from ofsc_cli.client import RetryPolicy

BASIC = "Basic " + base64.b64encode(b"cli@local:secret").decode()
ZONES = [{"workZoneLabel": f"Z{i:03d}", "status": "active"} for i in range(230)]


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.tokens_issued = 0
        self.flaky_hits = 0
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, title: str) -> None:
        self._send(status, {"type": "about:blank", "title": title, "status": str(status)})

    def _authorized(self) -> bool:
        auth = self.headers.get("Authorization", "")
        return auth == BASIC or auth == "Bearer token-1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        with self.server.lock:
            self.server.log.append(("POST", self.path))
        if self.path != "/rest/oauthTokenService/v2/token":
            return self._error(404, "Not Found")
        if self.headers.get("Authorization") != BASIC:
            return self._error(401, "Unauthorized")
        if form.get("grant_type") != ["client_credentials"]:
            return self._error(400, "Bad Request")
        with self.server.lock:
            self.server.tokens_issued += 1
        self._send(200, {"access_token": "token-1", "token_type": "bearer", "expires_in": 3600})

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        with self.server.lock:
            self.server.log.append(("GET", url.path))
        if not self._authorized():
            return self._error(401, "Unauthorized")
        query = parse_qs(url.query)
        if url.path == "/rest/ofscMetadata/v1/workZones":
            offset = int(query.get("offset", ["0"])[0])
            limit = min(int(query.get("limit", ["100"])[0]), 100)
            items = ZONES[offset : offset + limit]
            body = {"items": items, "totalResults": len(ZONES), "offset": offset, "limit": limit}
            return self._send(200, body)
        if url.path == "/rest/ofscMetadata/v1/workZones/FLAKY":
            with self.server.lock:
                self.server.flaky_hits += 1
                first = self.server.flaky_hits == 1
            if first:
                return self._send(503, None, {"Retry-After": "0"})
            return self._send(200, {"workZoneLabel": "FLAKY"})
        return self._error(404, "Not Found")


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def options(server: Server, auth: str) -> dict[str, Any]:
    host, port = server.server_address[:2]
    return {
        "instance": "local",
        "client_id": "cli",
        "client_secret": "secret",
        "base_url": f"http://{host}:{port}",
        "auth": auth,
        "retry": RetryPolicy(max_attempts=3, backoff_base=0.01),
    }


@pytest.mark.parametrize("auth", ["basic", "oauth2"])
def test_sync_client_over_http(server: Server, auth: str) -> None:
    with OFSC(**options(server, auth)) as client:
        labels = [z.workZoneLabel for z in client.metadata.list_work_zones.iter()]
        assert labels == [z["workZoneLabel"] for z in ZONES]
        assert client.metadata.get_work_zone("FLAKY").workZoneLabel == "FLAKY"
        with pytest.raises(OFSAPIError) as info:
            client.metadata.get_work_zone("MISSING")
        assert info.value.status_code == 404
    assert server.flaky_hits == 2  # one 503, one retry
    assert server.tokens_issued == (1 if auth == "oauth2" else 0)


@pytest.mark.parametrize("auth", ["basic", "oauth2"])
async def test_async_client_over_http(server: Server, auth: str) -> None:
    async with AsyncOFSC(**options(server, auth)) as client:
        labels = [
            z.workZoneLabel async for z in client.metadata.list_work_zones.iter(concurrency=3)
        ]
        assert labels == [z["workZoneLabel"] for z in ZONES]
        zone = await client.metadata.get_work_zone("FLAKY")
        assert zone.workZoneLabel == "FLAKY"
    assert server.tokens_issued == (1 if auth == "oauth2" else 0)


def test_wrong_secret_is_an_authentication_error(server: Server) -> None:
    opts = options(server, "basic") | {"client_secret": "wrong"}
    with OFSC(**opts) as client, pytest.raises(OFSAuthenticationError) as info:
        client.metadata.list_work_zones()
    assert info.value.status_code == 401
    assert "wrong" not in str(info.value)


def test_connection_refused_is_a_connection_error(server: Server) -> None:
    opts = options(server, "basic") | {"retry": RetryPolicy(max_attempts=1)}
    host, port = server.server_address[:2]
    server.shutdown()
    server.server_close()
    with OFSC(**opts) as client, pytest.raises(OFSConnectionError) as info:
        client.metadata.list_work_zones()
    assert f"{host}:{port}" in str(info.value)


def test_token_service_gets_client_credentials_even_on_oauth2_clients(server: Server) -> None:
    with OFSC(**options(server, "oauth2")) as client:
        token = client.oauth2.token_v2()
    assert token.access_token == "token-1"
    # only the token service was called, both times with Basic client credentials
    assert server.log == [("POST", "/rest/oauthTokenService/v2/token")] * 1
