"""Transport-neutral request/response values and the OFS error body.

The emulator never sees an httpx or http.server object: both ways in (the in-process
transport and the served mode) convert to :class:`Request` and back from :class:`Response`.
"""

from __future__ import annotations

import json as _json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["OFSHTTPError", "Request", "Response", "error_type_url"]

_RFC2616 = "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.{}.{}"

_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def error_type_url(status: int) -> str:
    """The ``type`` URL OFS puts in an error body: the RFC 2616 section, else ``about:blank``."""
    if 400 <= status <= 417:
        return _RFC2616.format(4, status - 399)
    if 500 <= status <= 505:
        return _RFC2616.format(5, status - 499)
    return "about:blank"


@dataclass
class Request:
    """One HTTP request as the emulator sees it.

    ``query`` keeps every value of a repeated parameter; ``headers`` has lower-cased names.
    """

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    base_url: str = "http://localhost"

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter ``name`` (``default`` when absent)."""
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        """The body decoded as JSON; malformed or empty JSON is a 400 OFS error."""
        if not self.body.strip():
            raise OFSHTTPError(400, "Bad Request", "The request body is empty; JSON expected.")
        try:
            return _json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise OFSHTTPError(
                400, "Bad Request", f"Malformed JSON in request body: {exc}"
            ) from None

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object (400 if it is valid JSON of another kind)."""
        data = self.json()
        if not isinstance(data, dict):
            raise OFSHTTPError(400, "Bad Request", "The request body must be a JSON object.")
        return data


@dataclass
class Response:
    """One HTTP response.

    ``drop`` and ``slow_body`` are fault decisions that only a real server can act on
    (close the connection mid-body; spread the body over that many seconds).
    """

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    drop: bool = False
    slow_body: float = 0.0

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        body = _json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return cls.raw_json(body, status, headers)

    @classmethod
    def raw_json(
        cls, body: bytes, status: int = 200, headers: dict[str, str] | None = None
    ) -> Response:
        """A response whose body is already-encoded JSON."""
        all_headers = {"Content-Type": "application/json"}
        all_headers.update(headers or {})
        return cls(status, all_headers, body)

    @classmethod
    def no_content(cls, status: int = 204) -> Response:
        return cls(status, {}, b"")

    @classmethod
    def binary(cls, data: bytes, media_type: str = "application/octet-stream") -> Response:
        return cls(200, {"Content-Type": media_type}, data)

    def json_body(self) -> Any:
        """The body decoded (for tests and logging)."""
        return _json.loads(self.body) if self.body else None


class OFSHTTPError(Exception):
    """An error answered to the client in the OFS error body shape.

    ``extra`` keys are added to the body (``force="required"``, ``**{"o:errorCode": ...}``);
    ``headers`` are added to the response (``Allow``, ``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        title: str | None = None,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.status = status
        self.title = title or _REASONS.get(status, "Error")
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra
        super().__init__(f"{status} {self.title}: {detail}")

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": error_type_url(self.status),
            "title": self.title,
            "status": str(self.status),
        }
        if self.detail is not None:
            data["detail"] = self.detail
        data.update(self.extra)
        return data

    def to_response(self) -> Response:
        return Response.json(self.body(), self.status, self.headers)
