"""HTTP helpers of the client that callers outside it may use: URL redaction, the OFS query
conventions, the query size guard and the mapping of failures to typed errors.

* :func:`redact_url` — a URL fit for logs and messages (no user info, secret query values
  masked).
* :func:`encode_query` / :func:`check_query_size` — query values the way OFS expects them
  (CSV lists, ``true``/``false``, ISO dates), and the guard against an over-long query string.
* :func:`error_from_response` / :func:`error_from_exception` — the :class:`OFSError` subclass
  for a non-2xx response or a transport failure.

These are the functions every request of :class:`~ofsc_cli.client.OFSC` goes through; the
raw ``ofsc api`` command and the CLI's log use them so that its output matches the client's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

import httpx

from ofsc_cli.errors import (
    OFSAPIError,
    OFSAuthenticationError,
    OFSConnectionError,
    OFSError,
    OFSSerializationError,
    OFSTimeoutError,
    OFSValidationError,
)

__all__ = [
    "MAX_QUERY_LENGTH",
    "SECRET_QUERY_NAMES",
    "check_query_size",
    "encode_query",
    "error_from_exception",
    "error_from_response",
    "redact_query",
    "redact_url",
]

SECRET_QUERY_NAMES = frozenset({"client_secret", "access_token", "token", "assertion", "password"})


def redact_url(url: httpx.URL | str) -> str:
    """Returns ``url`` without user info and with secret-looking query values masked."""
    url = httpx.URL(str(url))
    if url.userinfo:
        url = url.copy_with(username=None, password=None)
    if _has_secret_query(url):
        url = url.copy_with(query=redact_query(url).encode("ascii"))
    return str(url)


def redact_query(url: httpx.URL) -> str:
    """Returns the query string of ``url`` as sent (``""`` without one), the values of
    :data:`SECRET_QUERY_NAMES` masked."""
    if not _has_secret_query(url):
        return url.query.decode("ascii", "replace")
    params: list[tuple[str, str | int | float | bool | None]] = [
        (k, "****" if k.lower() in SECRET_QUERY_NAMES else v) for k, v in url.params.multi_items()
    ]
    return str(httpx.QueryParams(params))


def _has_secret_query(url: httpx.URL) -> bool:
    return any(k.lower() in SECRET_QUERY_NAMES for k in url.params)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(_query_value(v) for v in value)
    return str(value)


def encode_query(query: Mapping[str, Any]) -> dict[str, str]:
    """Returns ``query`` encoded the way OFS expects: CSV lists, ``true``/``false``, ISO dates;
    ``None`` values dropped.
    """
    return {k: _query_value(v) for k, v in query.items() if v is not None}


MAX_QUERY_LENGTH = 65536
"""Longest encoded query string sent (httpx's own limit for a URL component)."""


def check_query_size(where: str, params: dict[str, str]) -> dict[str, str]:
    """Returns ``params`` when their encoded query is short enough.  Raises
    :class:`OFSValidationError` (naming ``where`` and the longest value) when it is too long.
    """
    size = len(str(httpx.QueryParams(params)))
    if size > MAX_QUERY_LENGTH:
        largest = max(params, key=lambda k: len(params[k]))
        raise OFSValidationError(
            f"{where}: the query string would be {size} characters (at most"
            f" {MAX_QUERY_LENGTH}); '{largest}' is the longest value (nothing sent)"
        )
    return params


def error_from_response(response: httpx.Response) -> OFSError:
    """Returns the typed error for the non-2xx ``response``, with the OFS error body fields."""
    request = response.request
    fields: dict[str, Any] = {}
    body: Any = None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError, httpx.ResponseNotRead):
        body = None
    if isinstance(body, dict):
        for name in ("type", "title", "detail"):
            if isinstance(body.get(name), str):
                fields[name] = body[name]
        if body.get("status") is not None:
            fields["status"] = str(body["status"])
        if body.get("o:errorCode") is not None:
            fields["error_code"] = str(body["o:errorCode"])
    code = response.status_code
    text = " ".join(
        part for part in (fields.get("title"), fields.get("detail")) if part and part != "Error"
    )
    if not text:
        text = response.reason_phrase or "error"
    message = f"HTTP {code} {request.method} {request.url.path}: {text}"
    kind: type[OFSError]
    if code in (401, 403):
        kind = OFSAuthenticationError
    elif code in (400, 422):
        kind = OFSValidationError
    else:
        kind = OFSAPIError
    return kind(
        message,
        status_code=code,
        method=request.method,
        url=redact_url(request.url),
        body=body,
        **fields,
    )


_MAX_REASON = 300
"""Characters of an exception's message kept in an error (a server's garbage can be long)."""


def _exception_text(exc: BaseException) -> str:
    """The first line of an exception's message (control characters escaped, so a server's
    bytes cannot drive the terminal; long ones cut), or its class name."""
    lines = str(exc).strip().splitlines()
    if not lines:
        return type(exc).__name__
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in lines[0])
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


def error_from_exception(exc: httpx.HTTPError, request: httpx.Request | None) -> OFSError:
    """Returns the typed error for ``exc``, a failure without a (usable) response to
    ``request`` (``None`` when unknown); every httpx error maps.

    Timeouts are :class:`OFSTimeoutError`; a body that cannot be decoded (corrupt gzip…) is
    :class:`OFSSerializationError`; too many redirects an :class:`OFSAPIError`; every other
    transport problem (refused, reset, a garbled or truncated answer, a protocol violation,
    an unusable proxy or URL scheme) an :class:`OFSConnectionError`.
    """
    method = request.method if request is not None else None
    url = redact_url(request.url) if request is not None else None
    where = f"{method} {url}" if request is not None else "request"
    reason = _exception_text(exc)
    context: dict[str, Any] = {"method": method, "url": url}
    if isinstance(exc, httpx.TimeoutException):
        return OFSTimeoutError(f"timed out: {where} ({type(exc).__name__})", **context)
    if isinstance(exc, httpx.DecodingError):
        return OFSSerializationError(f"cannot decode the response to {where}: {reason}", **context)
    if isinstance(exc, httpx.TooManyRedirects):
        return OFSAPIError(f"too many redirects: {where}", **context)
    if isinstance(exc, httpx.ProtocolError):
        side = "sending" if isinstance(exc, httpx.LocalProtocolError) else "from the server"
        return OFSConnectionError(f"HTTP protocol error {side}: {where}: {reason}", **context)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return OFSConnectionError(f"cannot send {where}: {reason}", **context)
    if isinstance(exc, httpx.ProxyError):
        return OFSConnectionError(f"proxy error: {where}: {reason}", **context)
    if isinstance(exc, httpx.TransportError):
        return OFSConnectionError(f"cannot reach server: {where}: {reason}", **context)
    return OFSAPIError(f"request failed: {where}: {reason}", **context)
