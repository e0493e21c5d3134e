"""A tiny OFS stand-in that replays canned answers over real HTTP on 127.0.0.1 (no tests).

``Replay`` serves one answer per operation key (``"GET /rest/ofscMetadata/v1/routingProfiles"``):
each request is matched to its operation with the catalog, as OFS routes it, and gets that
operation's answer (or the next of several, for a paged collection); a request no answer was
set for gets an OFS-shaped 404.  ``requests``
records ``(operation key, path)`` of every request, so a test can check which operation a
command called.  ``url`` is what :class:`served_cli.Cli` needs of a server.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from ofsc_cli.catalog import load_catalog

__all__ = ["Replay"]


class Replay:
    def __init__(self) -> None:
        self.answers: dict[str, list[tuple[int, bytes]]] = {}
        self.requests: list[tuple[str | None, str]] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                path = urlsplit(self.path).path
                found = load_catalog().match(self.command, path)
                key = found[0].key if found else None
                replay.requests.append((key, path))
                queue = replay.answers.get(key or "") or [(404, b"")]
                status, body = queue.pop(0) if len(queue) > 1 else queue[0]
                if status == 404 and not body:
                    body = json.dumps(
                        {"type": "about:blank", "title": "Not Found", "status": "404"}
                    ).encode()
                self.send_response(status)
                if body:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, operation: str, *bodies: Any, status: int = 200) -> None:
        """Answer ``operation`` with ``bodies`` in turn, the last one from then on (each
        JSON-encoded unless it is bytes)."""
        self.answers[operation] = [
            (status, body if isinstance(body, bytes) else json.dumps(body).encode())
            for body in bodies
        ]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
