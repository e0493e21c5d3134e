"""Misbehaving servers on 127.0.0.1 for transport-error tests (helpers, no tests).

* :class:`RawServer` answers every connection with fixed bytes (garbage, a broken status line,
  a corrupt gzip body, a truncated body…), then closes it: see :data:`ANSWERS`.
* :class:`ForwardingProxy` is a plain HTTP forward proxy: it records each request line and
  forwards it to the (loopback) origin.
* :func:`refused_port` holds a bound, non-listening socket: connecting to it is refused.
* :func:`self_signed_cert` makes a CA-style self-signed certificate for 127.0.0.1 with the
  ``openssl`` command (the test is skipped without it); :class:`TLSServer` serves JSON over it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import pytest

__all__ = [
    "ANSWERS",
    "DECODING",
    "PROTOCOL",
    "ForwardingProxy",
    "RawServer",
    "TLSServer",
    "refused_port",
    "self_signed_cert",
]


def _response(head: str, body: bytes = b"") -> bytes:
    return head.replace("\n", "\r\n").encode() + b"\r\n" + body


# Answers the HTTP client cannot make sense of: a protocol error (retried, then exit 6).
PROTOCOL: dict[str, bytes] = {
    "binary-garbage": b"\x00\x01\x02\xffgarbage\r\n\r\n",
    "bad-status-line": b"HTTP/1.1 abc OK\r\n\r\n",
    "bad-header-line": _response("HTTP/1.1 200 OK\nthis line has no colon\n"),
    "http2-frame": b"\x00\x00\x00\x04\x00\x00\x00\x00\x00",  # an HTTP/2 SETTINGS frame
    "no-response": b"",
    "truncated-body": _response(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 100\n", b'{"items": ['
    ),
    "bad-chunked-body": _response(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nTransfer-Encoding: chunked\n",
        b"zz\r\n{}\r\n0\r\n\r\n",
    ),
    "bad-content-length": _response("HTTP/1.1 200 OK\nContent-Length: many\n", b"{}"),
}
# A well-formed answer whose body cannot be decoded (exit 1: a bad response).
DECODING: dict[str, bytes] = {
    "corrupt-gzip": _response(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Encoding: gzip\n"
        "Content-Length: 16\n",
        b"this is not gzip",
    ),
    "corrupt-deflate": _response(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Encoding: deflate\n"
        "Content-Length: 19\n",
        b"this is not deflate",
    ),
    "gzip-of-garbage-after-header": _response(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Encoding: gzip\n"
        "Content-Length: 14\n",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garb",
    ),
}
ANSWERS: dict[str, bytes] = {**PROTOCOL, **DECODING}


class RawServer:
    """Answers every request with ``answer`` and closes the connection; counts requests.

    ``eager`` answers as soon as a connection is accepted, without reading a request (for
    clients that speak first in another protocol, such as a TLS handshake)."""

    def __init__(self, answer: bytes, *, eager: bool = False) -> None:
        self.answer = answer
        self.eager = eager
        self.requests = 0
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = int(self._sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(2)
            data = b""
            with contextlib.suppress(OSError):
                while not self.eager and b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                self.requests += 1
                conn.sendall(self.answer)
                conn.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() at once
        self._sock.close()
        self._thread.join(timeout=2)

    def __enter__(self) -> RawServer:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections for as long as the context lasts."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # bound, never listening: connect() is refused
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ProxyServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _forward(self) -> None:
        target = urlsplit(self.path)  # absolute form: http://127.0.0.1:PORT/path?query
        self.server.seen.append((self.command, self.path, self.headers.get("Proxy-Authorization")))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if target.hostname not in ("127.0.0.1", "localhost"):
            self.send_error(403, "this test proxy forwards to loopback only")
            return
        headers = {
            k: v for k, v in self.headers.items() if k.lower() not in ("proxy-authorization",)
        }
        origin = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        try:
            path = target.path + (f"?{target.query}" if target.query else "")
            origin.request(self.command, path, body=body, headers=headers)
            answer = origin.getresponse()
            data = answer.read()
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        finally:
            origin.close()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _forward


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    seen: list[tuple[str, str, str | None]]


class ForwardingProxy:
    """``with ForwardingProxy() as proxy: ... proxy.url ... proxy.seen``."""

    def __init__(self) -> None:
        self._server = _ProxyServer(("127.0.0.1", 0), _ProxyHandler)
        self._server.seen = []
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    @property
    def seen(self) -> list[tuple[str, str, str | None]]:
        """``(method, absolute URL, Proxy-Authorization)`` of every request forwarded."""
        return self._server.seen

    def __enter__(self) -> ForwardingProxy:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """``(cert.pem, key.pem)``: a self-signed CA certificate valid for 127.0.0.1."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class _JSONHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = json.dumps(self.server.body).encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class TLSServer:
    """HTTPS on 127.0.0.1 with ``cert``/``key``, answering every GET with ``body``."""

    def __init__(self, cert: Path, key: Path, body: Any) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _JSONHandler)
        self._server.daemon_threads = True
        self._server.body = body  # type: ignore[attr-defined]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def __enter__(self) -> TLSServer:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
