"""pyOFSC 2.x's exception names, as subclasses of this project's errors.

``except OFSCNotFoundError`` (a 2.x name), ``except OFSAPIException`` (2.x's base) and
``except OFSError`` (ours) all catch what a compat call raises::

    OFSError (ofsc_cli.errors)
    └── OFSAPIException                 2.x's base
        ├── OFSCApiError                 also an OFSAPIError
        │   ├── OFSCAuthenticationError  401, also an OFSAuthenticationError
        │   ├── OFSCAuthorizationError   403, also an OFSAuthenticationError
        │   ├── OFSCNotFoundError        404
        │   ├── OFSCConflictError        409
        │   ├── OFSCValidationError      400, 422 and other 4xx; also an OFSValidationError
        │   ├── OFSCRateLimitError       429
        │   └── OFSCServerError          5xx
        └── OFSCNetworkError             no answer; also an OFSConnectionError

:func:`translate` turns an error raised by the client into the matching class; the instance
is also of the original error's class (an :class:`~ofsc_cli.errors.OFSTimeoutError` stays
one), and carries 2.x's attributes (``status_code``, ``title``, ``detail``, ``error_type``,
``response``) beside ours.  No credential is ever part of a message or an attribute.
"""

from __future__ import annotations

import contextlib
from typing import Any

from ofsc_cli.errors import (
    OFSAPIError,
    OFSAuthenticationError,
    OFSConnectionError,
    OFSError,
    OFSValidationError,
)

__all__ = [
    "OFSAPIException",
    "OFSCApiError",
    "OFSCAuthenticationError",
    "OFSCAuthorizationError",
    "OFSCConflictError",
    "OFSCNetworkError",
    "OFSCNotFoundError",
    "OFSCRateLimitError",
    "OFSCServerError",
    "OFSCValidationError",
    "translate",
]

_OURS = ("status_code", "method", "url", "type", "title", "status", "detail", "error_code", "body")


class OFSAPIException(OFSError):
    """2.x's base error.  Takes 2.x's forms, ``OFSAPIException(**error_body)`` (``status``
    becomes the integer ``status_code``; other keys become attributes) and
    ``OFSAPIException("message")``, besides this project's keyword arguments."""

    response: Any = None
    error_type: str | None = None

    def __init__(self, *args: object, **kwargs: Any) -> None:
        message = str(args[0]) if args else ""
        ours = {k: kwargs.pop(k) for k in _OURS if k in kwargs}
        status = ours.get("status")
        if ours.get("status_code") is None and status is not None:
            with contextlib.suppress(ValueError):
                ours["status_code"] = int(str(status))
        if status is not None:
            ours["status"] = str(status)
        super().__init__(message, **ours)
        if args[1:]:
            self.args = tuple(args)
        for key, value in kwargs.items():
            setattr(self, key, value)
        if self.error_type is None:
            self.error_type = self.type

    def __str__(self) -> str:
        if self.message:
            return self.message
        parts = [f"[{self.status_code}]"] if self.status_code is not None else []
        parts += [p for p in (self.title, self.detail) if p]
        return " ".join(parts) if parts else type(self).__name__


class OFSCApiError(OFSAPIException, OFSAPIError):
    """The server answered with an error status.  Takes 2.x's arguments: ``message``,
    ``status_code``, ``response`` (the ``httpx.Response``), ``error_type`` (the error
    body's ``type``), ``title`` and ``detail``."""

    def __init__(
        self,
        message: str = "",
        status_code: int | None = None,
        response: Any = None,
        error_type: str | None = None,
        title: str | None = None,
        detail: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("type", error_type)
        super().__init__(message, status_code=status_code, title=title, detail=detail, **kwargs)
        self.response = response
        self.error_type = error_type or self.type


class OFSCAuthenticationError(OFSCApiError, OFSAuthenticationError):
    """401: the credentials were refused."""


class OFSCAuthorizationError(OFSCApiError, OFSAuthenticationError):
    """403: the credentials lack the permission."""


class OFSCNotFoundError(OFSCApiError):
    """404: no such object."""


class OFSCConflictError(OFSCApiError):
    """409: the request conflicts with the object's state."""


class OFSCValidationError(OFSCApiError, OFSValidationError):
    """400, 422 (and another 4xx without a class of its own): the request was refused as
    invalid, by the server or before it was sent."""


class OFSCRateLimitError(OFSCApiError):
    """429: too many requests (the client has already retried)."""


class OFSCServerError(OFSCApiError):
    """5xx: the server failed (the client has already retried)."""


class OFSCNetworkError(OFSAPIException, OFSConnectionError):
    """No answer: connection refused or broken, timeout, open circuit."""


_BY_STATUS: dict[int, type[OFSCApiError]] = {
    401: OFSCAuthenticationError,
    403: OFSCAuthorizationError,
    404: OFSCNotFoundError,
    409: OFSCConflictError,
    429: OFSCRateLimitError,
}


def _class_for(error: OFSError) -> type[OFSAPIException]:
    code = error.status_code
    if code is None:
        if isinstance(error, OFSValidationError):
            return OFSCValidationError  # refused before sending
        return OFSCNetworkError
    if code in _BY_STATUS:
        return _BY_STATUS[code]
    if 400 <= code < 500:
        return OFSCValidationError
    if code >= 500:
        return OFSCServerError
    return OFSCApiError


_COMBINED: dict[tuple[type[OFSAPIException], type[OFSError]], type[OFSAPIException]] = {}


def _combined(compat: type[OFSAPIException], ours: type[OFSError]) -> type[OFSAPIException]:
    """``compat`` that is also an ``ours`` (named like ``compat``; made once per pair)."""
    if issubclass(compat, ours):
        return compat
    made = _COMBINED.get((compat, ours))
    if made is not None:
        return made
    made = type(
        compat.__name__, (compat, ours), {"__module__": __name__, "__doc__": compat.__doc__}
    )
    _COMBINED[(compat, ours)] = made
    return made


def translate(error: OFSError, response: Any = None) -> OFSAPIException:
    """Returns the 2.x-named error for ``error`` (raised by the client), keeping its class,
    message and attributes; ``response`` is the ``httpx.Response`` it came from, if any.
    An error that already has a 2.x name is returned as it is."""
    if isinstance(error, OFSAPIException):
        return error
    cls = _combined(_class_for(error), type(error))
    new = cls.__new__(cls)
    new.__dict__.update(error.__dict__)
    new.args = error.args
    new.response = response
    new.error_type = error.type
    new.__traceback__ = error.__traceback__
    return new
