"""The served emulator, recording every request as it arrives (helpers, no tests).

:class:`RecordingEmulator` is an :class:`~ofsc_cli.sandbox.Emulator` that files each request,
before answering it as usual, under the name of the call being made::

    emulator = RecordingEmulator(store.clone())
    with serve(emulator) as server:
        emulator.mark("sync core.get_resource")     # or POST {"call": ...} to MARK_PATH
        ...                                          # requests now filed under that name
    emulator.calls["sync core.get_resource"]         # [Recorded(...), ...]

A :class:`Recorded` request keeps what a comparison needs and nothing secret: method, path
(percent-decoded, as the emulator routes it), query (parsed; names and repeated values
sorted), the body parsed (JSON; a form with its secret fields replaced; a multipart body as
its parts; other bytes as text), the body's media type, the status answered and what the
spec has against the request (:func:`spec_problems`: the emulator's strict checks).  Headers
are not kept (``Authorization`` least of all).  A process outside the tests (the pyOFSC probe)
marks its calls by posting ``{"call": name}`` to :data:`MARK_PATH`, which is answered here
and not recorded.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs

from ofsc_cli.sandbox import Emulator, router
from ofsc_cli.sandbox._http import OFSHTTPError, Request, Response

__all__ = ["MARK_PATH", "Recorded", "RecordingEmulator", "parse_body", "spec_problems"]

MARK_PATH = "/__probe__/mark"
_SECRET_FIELDS = ("secret", "password", "assertion", "token")


@dataclass(frozen=True)
class Recorded:
    """One request as the server received it, comparable with ``==`` (status aside)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    media_type: str = ""
    status: int = field(default=0, compare=False)
    #: what the spec has against the request (``None``: it conforms)
    spec: str | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """The request as plain data (for messages)."""
        shown: dict[str, Any] = {"method": self.method, "path": self.path}
        if self.query:
            shown["query"] = self.query
        if self.body is not None:
            shown["body"] = self.body
            shown["media_type"] = self.media_type
        shown["status"] = self.status
        if self.spec is not None:
            shown["spec"] = self.spec
        return shown


def _media_type(request: Request) -> str:
    return (request.header("content-type") or "").split(";")[0].strip().lower()


def _redacted(form: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        name: ["<redacted>"] if any(s in name.lower() for s in _SECRET_FIELDS) else values
        for name, values in sorted(form.items())
    }


def _multipart(raw: bytes) -> list[dict[str, Any]] | None:
    """The parts of a multipart body: name, file name, media type and content (text)."""
    if not raw.startswith(b"--"):
        return None
    boundary = raw.split(b"\r\n", 1)[0][2:].decode("latin-1")
    head = f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + raw)
    if not message.is_multipart():
        return None
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True) or b""
        parts.append(
            {
                "name": part.get_param("name", header="content-disposition"),
                "filename": part.get_filename(),
                "media_type": part.get_content_type(),
                "content": payload.decode("utf-8", "replace"),
            }
        )
    return parts


def parse_body(raw: bytes, media_type: str) -> Any:
    """A request body as data: JSON parsed; a form as its fields (secret ones replaced);
    a multipart body (whatever its ``Content-Type`` claims) as ``{"multipart": [parts]}``;
    other bytes as ``{"bytes": text}``; ``None`` when empty."""
    if not raw:
        return None
    parts = _multipart(raw)
    if parts is not None:
        return {"multipart": parts}
    if media_type == "application/x-www-form-urlencoded":
        return {"form": _redacted(parse_qs(raw.decode("utf-8", "replace"), True))}
    try:
        return json.loads(raw)
    except ValueError:
        return {"bytes": raw.decode("utf-8", "replace")}


def spec_problems(request: Request) -> str | None:
    """What the spec has against ``request`` (``None`` when it conforms): the emulator's
    strict routing and validation, plus the body's media type where the operation takes
    JSON or a multipart form."""
    request = dataclasses.replace(request, query=dict(request.query), headers=dict(request.headers))
    try:
        op, params = router.resolve(request, strict=True)
        router.validate_path(op, params)
        router.validate_request(op, request, strict=True)
    except OFSHTTPError as exc:
        return f"{exc.status}: {exc.detail}"
    media_type = _media_type(request) or "no media type"
    if not request.body:
        return None
    if op.consumes == ("multipart/form-data",):
        wanted = "multipart/form-data"
    elif op.body is not None and op.consumes in ((), ("application/json",)):
        wanted = "application/json"
    else:
        return None
    return None if media_type == wanted else f"415: sent as {media_type}, the spec takes {wanted}"


class RecordingEmulator(Emulator):
    """An emulator that records every request under the name last marked (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: dict[str, list[Recorded]] = {}
        self.current = "(unmarked)"
        self._record_lock = threading.Lock()

    def mark(self, name: str) -> None:
        """File the requests from now on under ``name``."""
        with self._record_lock:
            self.current = name
            self.calls.setdefault(name, [])

    def handle(self, request: Request) -> Response:
        """Record ``request`` (marks are answered 204 and not recorded), then answer it."""
        method = request.method.upper()
        if method == "POST" and request.path == MARK_PATH:
            self.mark(str(json.loads(request.body)["call"]))
            return Response.no_content()
        request.method = method
        media_type = _media_type(request) if request.body else ""
        body = parse_body(request.body, media_type)
        query = {name: sorted(values) for name, values in sorted(request.query.items())}
        path, spec = request.path, spec_problems(request)
        response = super().handle(request)
        recorded = Recorded(method, path, query, body, media_type, response.status, spec)
        with self._record_lock:
            self.calls.setdefault(self.current, []).append(recorded)
        return response
