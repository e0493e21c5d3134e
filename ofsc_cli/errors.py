"""The exceptions raised by the ofsc_cli library.

One flat tree under :class:`OFSError`::

    OFSError                      base; every error carries the request context below
    ├── OFSAPIError               the server answered with a non-2xx status not covered below
    ├── OFSValidationError        400/422 from the server, or a body/parameter refused locally
    ├── OFSAuthenticationError    401/403, or the token service refused the credentials
    ├── OFSConnectionError        DNS failure, connection refused or reset
    ├── OFSTimeoutError           connect/read/write/pool timeout
    ├── OFSRetriesExhaustedError  every allowed attempt failed; ``last_error`` says how
    ├── OFSCircuitOpenError       the host failed repeatedly; requests fail fast for a while
    ├── OFSConfigurationError     missing or invalid profile, settings or config file
    ├── OFSSerializationError     a response body that could not be decoded or validated
    └── OFSClientClosedError      the client was closed (or its event loop has gone)

A transport failure httpx reports without a response becomes an :class:`OFSConnectionError`
(refused, reset, a garbled answer, an unusable proxy or scheme), an :class:`OFSTimeoutError`,
or an :class:`OFSSerializationError` (a body that cannot be decoded, e.g. corrupt gzip).

:class:`OFSInsecureTransportWarning` is the warning a client gives when TLS certificate
verification is turned off; :class:`OFSAuditWarning` the one its audit log gives when a line
cannot be written or the file is open to other users.

:class:`UsageError` (outside the tree) is bad input found before anything was sent: a
command-line option or a ``--fields``/``--query`` expression that cannot be used.  The CLI
exits 2 for it; it lives here so that the renderers below the CLI can raise it too.

A 404 is an :class:`OFSAPIError` with ``status_code == 404`` (see :attr:`OFSError.is_not_found`).
Every error carries ``status_code``, ``method`` and ``url`` (never credentials: the URL has no
user info and no query values of secret-looking parameters) and the OFS error body fields
``type``, ``title``, ``status`` (a string, as OFS sends it), ``detail`` and ``error_code``
(``o:errorCode``).  This module imports nothing beyond the standard library.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "OFSAPIError",
    "OFSAuditWarning",
    "OFSAuthenticationError",
    "OFSCircuitOpenError",
    "OFSClientClosedError",
    "OFSConfigurationError",
    "OFSConnectionError",
    "OFSError",
    "OFSInsecureTransportWarning",
    "OFSRetriesExhaustedError",
    "OFSSerializationError",
    "OFSTimeoutError",
    "OFSValidationError",
    "UsageError",
]


class OFSError(Exception):
    """Base of every error raised by ofsc_cli."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        method: str | None = None,
        url: str | None = None,
        type: str | None = None,
        title: str | None = None,
        status: str | None = None,
        detail: str | None = None,
        error_code: str | None = None,
        body: Any = None,
    ) -> None:
        """The error ``message``, with what is known of the request: ``status_code`` (the HTTP
        status, ``None`` when there was no answer), ``method`` and ``url`` (redacted), the OFS
        error body fields ``type``, ``title``, ``status``, ``detail`` and ``error_code``
        (``o:errorCode``), and the parsed ``body`` of the answer.
        """
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.method = method
        self.url = url
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.error_code = error_code
        self.body = body

    @property
    def is_not_found(self) -> bool:
        """Whether the server answered 404."""
        return self.status_code == 404

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """Returns the error as a JSON-ready mapping (for ``-o json`` error reports), without the
        fields that are not set.
        """
        data = {
            "error": type(self).__name__,
            "message": self.message,
            "statusCode": self.status_code,
            "method": self.method,
            "url": self.url,
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "errorCode": self.error_code,
        }
        return {k: v for k, v in data.items() if v is not None}


class OFSAPIError(OFSError):
    """The server answered with an error status."""


class OFSValidationError(OFSError):
    """The request was refused as invalid, by the server (400/422) or before sending."""


class OFSAuthenticationError(OFSError):
    """Credentials missing, wrong, expired or without permission (401/403)."""


class OFSConnectionError(OFSError):
    """The server could not be reached."""


class OFSTimeoutError(OFSError):
    """The request timed out."""


class OFSRetriesExhaustedError(OFSError):
    """Every allowed attempt failed; ``last_error`` holds the final failure."""

    def __init__(self, message: str, *, attempts: int, last_error: OFSError, **kw: Any) -> None:
        """The error ``message`` after ``attempts`` attempts, the last of which failed with
        ``last_error``; the request context not given in ``kw`` is taken from it.
        """
        kw.setdefault("status_code", last_error.status_code)
        kw.setdefault("method", last_error.method)
        kw.setdefault("url", last_error.url)
        for name in ("type", "title", "status", "detail", "error_code"):
            kw.setdefault(name, getattr(last_error, name))
        super().__init__(message, **kw)
        self.attempts = attempts
        self.last_error = last_error


class OFSCircuitOpenError(OFSError):
    """The circuit breaker for this host is open; ``retry_in`` seconds until a probe."""

    def __init__(self, message: str, *, retry_in: float = 0.0, **kw: Any) -> None:
        """The error ``message``; ``retry_in`` is the number of seconds until a probe request is
        allowed, ``kw`` the request context (as for :class:`OFSError`).
        """
        super().__init__(message, **kw)
        self.retry_in = retry_in


class OFSConfigurationError(OFSError):
    """A profile, setting or config file is missing or invalid."""


class OFSSerializationError(OFSError):
    """A body could not be encoded, decoded or validated against its model.

    When a successful answer does not fit its model, the answer is still at hand:
    ``content`` holds its bytes, ``body`` the parsed JSON and ``is_json`` says whether it was
    JSON at all (``body`` is ``None`` otherwise); ``model`` names the model it was checked
    against and ``validation_error`` lists every problem found.
    """

    def __init__(
        self,
        message: str,
        *,
        content: bytes | None = None,
        is_json: bool = False,
        model: str | None = None,
        validation_error: str | None = None,
        **kw: Any,
    ) -> None:
        """The error ``message``, with the answer: its ``content`` (bytes), whether it ``is_json``,
        the ``model`` it was checked against and the ``validation_error`` text; ``kw`` the request
        context (as for :class:`OFSError`).
        """
        super().__init__(message, **kw)
        self.content = content
        self.is_json = is_json
        self.model = model
        self.validation_error = validation_error

    @property
    def received(self) -> bool:
        """A successful (2xx) answer whose JSON body is in ``body``, though it did not fit."""
        code = self.status_code
        return self.is_json and code is not None and 200 <= code < 300


class OFSClientClosedError(OFSError):
    """The client was used after ``close()``/``aclose()`` (or after the event loop it ran in
    was closed); make a new client."""


class OFSInsecureTransportWarning(UserWarning):
    """A client was made with TLS certificate verification turned off (``verify=False``)."""


class OFSAuditWarning(UserWarning):
    """The audit log (``audit_log=``) could not record a write, or its file can be read or
    written by other users (see :mod:`ofsc_cli.client.audit`)."""


class UsageError(Exception):
    """Bad input detected by a command before anything was sent (the CLI exits 2).

    Not an :class:`OFSError`: no request is involved, so it carries only its message.
    """
