"""Served mode: the emulator behind a real HTTP/1.1 server on the loopback interface.

::

    with serve(emulator) as server:          # free port on 127.0.0.1
        httpx.get(server.url + "/rest/...")

``ThreadingHTTPServer`` with keep-alive (every response has ``Content-Length``), one daemon
thread per connection.  ``drop`` faults send the headers and part of the body, then close the
connection; ``slow_body`` spreads the body over that many seconds.  Non-loopback hosts are
refused unless ``allow_remote=True``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from ofsc_cli.sandbox._http import Request, Response

if TYPE_CHECKING:
    from ofsc_cli.sandbox.app import Emulator

__all__ = ["ServerHandle", "run_forever", "serve"]

_CHUNK = 16 * 1024


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], emulator: Emulator, log: TextIO | None, ipv6: bool
    ) -> None:
        self.address_family = socket.AF_INET6 if ipv6 else socket.AF_INET
        self.emulator = emulator
        self.log = log
        super().__init__(address, _Handler)

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """A client that went away mid-answer (Ctrl-C, timeout) is routine: say nothing."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default per-request log (see :meth:`_serve`)."""

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        started = time.perf_counter()
        parts = urlsplit(self.path)
        host = self.headers.get("Host") or "localhost"
        request = Request(
            method=self.command,
            path=unquote(parts.path),
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self._read_body(),
            base_url=f"http://{host}",
        )
        response = self.server.emulator.handle(request)
        self._write(response, head_only=self.command == "HEAD")
        if self.server.log is not None:
            ms = (time.perf_counter() - started) * 1000
            print(f"{self.command} {self.path} {response.status} {ms:.1f}ms", file=self.server.log)

    def _write(self, response: Response, head_only: bool = False) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        body = b"" if head_only else response.body
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if response.drop:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if response.slow_body and body:
            chunks = [body[i : i + _CHUNK] for i in range(0, len(body), _CHUNK)]
            pause = response.slow_body / len(chunks)
            for chunk in chunks:
                time.sleep(pause)
                self.wfile.write(chunk)
                self.wfile.flush()
        else:
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve


class ServerHandle:
    """A running server: ``url``, ``port``, ``shutdown()``; usable as a context manager."""

    def __init__(self, server: _Server, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        host, port = server.server_address[:2]
        self.host = str(host)
        self.port = int(port)
        shown = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{shown}:{self.port}"
        self.emulator = server.emulator

    def shutdown(self) -> None:
        """Stop accepting, close the socket and wait for the serving thread."""
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._server.shutdown()
            self._thread.join(timeout=10)
        self._server.server_close()

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.shutdown()


def _make_server(
    emulator: Emulator, host: str, port: int, allow_remote: bool, log: TextIO | None
) -> _Server:
    if not allow_remote and not _is_loopback(host):
        raise ValueError(
            f"refusing to serve the sandbox on non-loopback host {host!r} (allow_remote=False)"
        )
    return _Server((host, port), emulator, log, ipv6=":" in host)


def serve(
    emulator: Emulator,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    allow_remote: bool = False,
    log_requests: bool = False,
    log: TextIO | None = None,
) -> ServerHandle:
    """Serve ``emulator`` in a background thread; ``port=0`` picks a free port."""
    stream = (log or sys.stderr) if log_requests else None
    server = _make_server(emulator, host, port, allow_remote, stream)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    return ServerHandle(server, thread)


def run_forever(
    emulator: Emulator,
    host: str = "127.0.0.1",
    port: int = 8780,
    *,
    allow_remote: bool = False,
    log_requests: bool = True,
    log: TextIO | None = None,
    on_ready: Callable[[ServerHandle], None] | None = None,
) -> None:
    """Serve in the calling thread until interrupted (Ctrl-C returns cleanly)."""
    stream = log or sys.stderr
    server = _make_server(emulator, host, port, allow_remote, stream if log_requests else None)
    handle = ServerHandle(server, threading.current_thread())
    if on_ready is not None:
        on_ready(handle)
    else:
        print(f"OFS sandbox listening on {handle.url} (Ctrl-C to stop)", file=stream)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
