"""No secret in any log line, dump or exception: a property test.

Secrets are drawn at random (letters, digits, punctuation, any printable unicode, base64-looking
strings) and so are the OAuth2 tokens the server issues.  For every auth method (Basic; OAuth2
with a token fetch, and a refresh after a 401) and every failure mode (401, 403, 500, 503 retried,
a refused token, a refused connection, a timeout, a body that is not JSON), the library is run
with every ``ofsc_cli`` record formatted as text and as JSON (dumps included) and the CLI with
``--debug`` (tracebacks, dumps): neither the client secret, nor a token, nor the Basic
credentials (``id@instance:secret``, raw or base64) appear in any of it, nor in the exception's
``str``/``repr``/traceback.

The server is a small scripted HTTP server on 127.0.0.1 (the emulator checks credentials and
cannot be told to answer 403 or garbage at will); the emulator's own token service is covered
by ``tests/client/test_request_log.py``.
"""

from __future__ import annotations

import base64
import json
import logging
import string
import threading
import time
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from raw_servers import refused_port
from typer.testing import CliRunner

from ofsc_cli.cli._app import build_app
from ofsc_cli.cli._logging import JsonFormatter, TextFormatter
from ofsc_cli.client import OFSC
from ofsc_cli.client.log import DUMP_LOGGER
from ofsc_cli.errors import OFSError

CLIENT_ID = "log-probe"
INSTANCE = "acme"
TOKEN_PATH = "/rest/oauthTokenService/v2/token"
MODES = ["ok", "refresh", "401", "403", "500", "503", "token-401", "refused", "slow", "bad-json"]
SLOW = 0.3
"""Seconds the server waits in ``slow`` mode (the client gives up after ``TIMEOUT``)."""
TIMEOUT = 0.05


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK wait
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (a timeout)
            pass

    def _error(self, status: int, title: str, **headers: str) -> None:
        body = {"type": "about:blank", "title": title, "status": str(status), "detail": title}
        self._send(status, json.dumps(body).encode(), headers)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        state = self.server
        if self.path != TOKEN_PATH:
            self._error(404, "Not Found")
        elif state.mode == "token-401":
            self._error(401, "Unauthorized")
        else:
            token = state.tokens[min(len(state.issued), len(state.tokens) - 1)]
            state.issued.append(token)
            answer = {"access_token": token, "token_type": "bearer", "expires_in": 3600}
            self._send(200, json.dumps(answer).encode())

    def do_GET(self) -> None:
        state = self.server
        mode = state.mode
        if mode == "slow":
            time.sleep(SLOW)
        stale = state.issued[:1] if mode == "refresh" else []
        if mode in ("401", "token-401") or (
            stale and self.headers.get("Authorization") == f"Bearer {stale[0]}"
        ):
            self._error(401, "Unauthorized")
        elif mode == "403":
            self._error(403, "Forbidden")
        elif mode == "500":
            self._error(500, "Internal Server Error")
        elif mode == "503":
            self._error(503, "Service Unavailable", **{"Retry-After": "0"})
        elif mode == "bad-json":
            self._send(200, b'{"items": [ this is not JSON')
        else:
            zone = {"workZoneLabel": "A", "workZoneName": "A", "status": "active"}
            page = {"items": [zone], "totalResults": 1, "hasMore": False}
            self._send(200, json.dumps(page).encode())


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    mode = "ok"
    tokens: list[str]
    issued: list[str]

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.tokens, httpd.issued = ["unset"], []
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


# -- what must never be shown -----------------------------------------------------------


def forbidden(secret: str, tokens: list[str]) -> list[str]:
    """The secret, the tokens and the Basic credentials, raw and base64."""
    raw = f"{CLIENT_ID}@{INSTANCE}:{secret}"
    return [secret, raw, base64.b64encode(raw.encode()).decode(), *tokens]


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in text]


def _exception_texts(exc: BaseException) -> list[str]:
    texts = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        error = todo.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        texts += [str(error), repr(error), repr(error.args)]
        if isinstance(error, OFSError):
            texts += [json.dumps(error.to_dict(), default=str), repr(error.body)]
        todo += [error.__cause__, error.__context__, getattr(error, "last_error", None)]
    return texts


class _Formatted(logging.Handler):
    """Each record formatted by the CLI's text and JSON formatters, and its raw fields."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.text, self.json = TextFormatter(), JsonFormatter()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = self.json.format(record)
        self.lines += [self.text.format(record), line, repr(record.__dict__)]
        self.lines.append(json.dumps(json.loads(line), ensure_ascii=False))  # values unescaped
        self.lines += [str(v) for v in json.loads(line).values()]


@pytest.fixture
def formatted() -> Iterator[_Formatted]:
    handler = _Formatted()
    root, dump = logging.getLogger("ofsc_cli"), logging.getLogger(DUMP_LOGGER)
    saved = root.level, dump.level
    root.setLevel(logging.DEBUG)
    dump.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    root.setLevel(saved[0])
    dump.setLevel(saved[1])


# -- strategies -------------------------------------------------------------------------

printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
secrets = st.one_of(
    st.text(string.ascii_letters + string.digits, min_size=10, max_size=40),
    st.text(string.ascii_letters + string.digits + string.punctuation, min_size=10, max_size=40),
    st.text(printable, min_size=10, max_size=30),
    st.binary(min_size=9, max_size=30).map(lambda b: base64.b64encode(b).decode()),
).filter(lambda s: s == s.strip() and len(set(s)) >= 4)
tokens = st.text(string.ascii_letters + string.digits + "-._~+/", min_size=16, max_size=64).filter(
    lambda s: len(set(s)) >= 4
)


def _run_library(
    base_url: str, auth: str, secret: str, mode: str, formatted: _Formatted
) -> list[str]:
    shown: list[str] = []
    try:
        with OFSC(
            INSTANCE,
            CLIENT_ID,
            secret,
            base_url=base_url,
            auth=auth,  # type: ignore[arg-type]
            max_retries=1,
            retry_backoff=0,
            timeout=TIMEOUT if mode == "slow" else 5,
            profile="probe",
        ) as client:
            shown += [repr(client), repr(client.auth)]
            client.metadata.list_work_zones()
    except Exception as exc:
        shown += _exception_texts(exc)
    return shown + formatted.lines


def _run_cli(base_url: str, auth: str, secret: str, mode: str, fmt: str, home: Path) -> list[str]:
    env = {
        "OFSC_BASE_URL": base_url,
        "OFSC_INSTANCE": INSTANCE,
        "OFSC_CLIENT_ID": CLIENT_ID,
        "OFSC_CLIENT_SECRET": secret,
        "OFSC_AUTH": auth,
        "OFSC_MAX_RETRIES": "1",
        "OFSC_RETRY_BACKOFF": "0",
        "OFSC_TOKEN_CACHE": "false",
        "OFSC_CONFIG": str(home / "config.toml"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "OFSC_PROFILE": None,
        "NO_COLOR": "1",
    }
    args = ["--debug", "--log-format", fmt, "-o", "json", "metadata", "work-zones", "list"]
    if mode == "slow":
        args[:0] = ["--timeout", str(TIMEOUT)]
    result = CliRunner().invoke(build_app(), args, env=env)
    assert result.exit_code == (0 if mode in ("ok", "refresh") else result.exit_code)
    assert "Traceback" in result.stderr or result.exit_code == 0  # --debug was in force
    lines = result.stderr.splitlines()
    if fmt == "json":  # every line JSON, the final error and its traceback included
        lines += [str(v) for line in lines for v in json.loads(line).values()]
    return [result.stdout, result.stderr, *lines]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("auth", ["basic", "oauth2"])
@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
)
@given(secret=secrets, issued=st.lists(tokens, min_size=2, max_size=2, unique=True), data=st.data())
def test_no_secret_in_logs_dumps_or_errors(
    server: _Server,
    formatted: _Formatted,
    tmp_path_factory: pytest.TempPathFactory,
    auth: str,
    mode: str,
    secret: str,
    issued: list[str],
    data: st.DataObject,
) -> None:
    assume(not any(t in secret or secret in t for t in issued))
    server.mode, server.tokens, server.issued = mode, issued, []
    secrets_ = forbidden(secret, issued)
    with refused_port() as port:
        base_url = (
            f"http://127.0.0.1:{port}"
            if mode == "refused"
            else (f"http://127.0.0.1:{server.server_address[1]}")
        )
        formatted.lines.clear()
        shown = _run_library(base_url, auth, secret, mode, formatted)
        if auth == "oauth2" and mode in ("ok", "refresh"):
            assert server.issued  # a token was fetched (and refreshed after the 401)
            assert len(server.issued) == (2 if mode == "refresh" else 1)
        assert any("ofsc_cli.http" in line for line in formatted.lines)  # something was logged
        assert leaks("\n".join(shown), secrets_) == []
        server.issued = []
        fmt = data.draw(st.sampled_from(["text", "json"]), label="format")
        home = tmp_path_factory.mktemp("home")
        assert leaks("\n".join(_run_cli(base_url, auth, secret, mode, fmt, home)), secrets_) == []
