"""Retry decisions for OFS requests: whether to try again, and how long to wait first.

This module is pure decision logic shared by the sync and the async client.  It does no I/O,
never sleeps and does not import httpx: a driver sends a request, reports what went wrong to
:meth:`RetryPolicy.decide`, and sleeps (or awaits) the delay it gets back, or gives up on ``None``.

What is retried:

* **A response status** only when it is in ``retry_statuses`` (429, 502, 503, 504 by default)
  *and* the method is in ``retry_methods`` (the idempotent methods by default).  POST and PATCH
  are never retried on a status by default: the server may already have acted on them.
* **A connection-level failure** (:class:`FailureKind`) for any method in ``retry_methods``.
  For other methods only when the request certainly never reached the server (could not
  connect, connect timeout, no free connection in the pool) and
  ``retry_non_idempotent_on_connect`` is set.  A read/write timeout or a connection reset
  mid-flight leaves a POST's outcome unknown, so it is not retried.

How long to wait:

* A valid ``Retry-After`` on a retryable status wins (delta-seconds or an HTTP-date), capped at
  ``max_delay``; an unparseable one is ignored.
* Otherwise "full jitter" backoff: after the n-th failed attempt the delay is drawn uniformly
  from ``[0, min(max_delay, backoff_base * 2 ** (n - 1))]``.

Clocks and randomness are injected (``now`` and ``rng``) so the decisions can be tested exactly.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import random

__all__ = [
    "IDEMPOTENT_METHODS",
    "RETRY_STATUSES",
    "FailureKind",
    "RetryPolicy",
    "classify_exception",
    "parse_retry_after",
]

IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES: frozenset[int] = frozenset({429, 502, 503, 504})

# 2 ** _MAX_EXPONENT still converts to a float; beyond it every sane ceiling is max_delay anyway.
_MAX_EXPONENT = 1000


class FailureKind(StrEnum):
    """How a request failed without producing a response."""

    CONNECT = "connect"
    """Could not connect (DNS failure, connection refused): the request was never sent."""
    CONNECT_TIMEOUT = "connect_timeout"
    """Timed out while connecting: the request was never sent."""
    POOL_TIMEOUT = "pool_timeout"
    """Timed out waiting for a free pooled connection: the request was never sent."""
    READ_TIMEOUT = "read_timeout"
    """Timed out waiting for the response: the server may have acted on the request."""
    WRITE_TIMEOUT = "write_timeout"
    """Timed out while sending the request: the server may have seen part or all of it."""
    NETWORK = "network"
    """The connection broke mid-flight (reset, remote protocol error): outcome unknown."""

    @property
    def never_sent(self) -> bool:
        """True when the request certainly never reached the server (safe to resend any method)."""
        return self in _NEVER_SENT

    @property
    def is_timeout(self) -> bool:
        """True for the timeout kinds (the driver raises ``OFSTimeoutError`` for those)."""
        return self in _TIMEOUTS


_NEVER_SENT = frozenset(
    {FailureKind.CONNECT, FailureKind.CONNECT_TIMEOUT, FailureKind.POOL_TIMEOUT}
)
_TIMEOUTS = frozenset(
    {
        FailureKind.CONNECT_TIMEOUT,
        FailureKind.POOL_TIMEOUT,
        FailureKind.READ_TIMEOUT,
        FailureKind.WRITE_TIMEOUT,
    }
)

# httpx exception class name -> kind.  Matched along the exception's MRO, most specific first,
# so ConnectError (a NetworkError) is CONNECT and CloseError (also a NetworkError) is NETWORK.
_HTTPX_FAILURE_KINDS: dict[str, FailureKind] = {
    "ConnectError": FailureKind.CONNECT,
    "ConnectTimeout": FailureKind.CONNECT_TIMEOUT,
    "PoolTimeout": FailureKind.POOL_TIMEOUT,
    "ReadTimeout": FailureKind.READ_TIMEOUT,
    "WriteTimeout": FailureKind.WRITE_TIMEOUT,
    "ReadError": FailureKind.NETWORK,
    "WriteError": FailureKind.NETWORK,
    "RemoteProtocolError": FailureKind.NETWORK,
    "NetworkError": FailureKind.NETWORK,
}


def classify_exception(exc: BaseException) -> FailureKind | None:
    """The :class:`FailureKind` of an httpx transport exception, or ``None`` for anything else.

    Classes are matched by name along the exception's MRO, restricted to classes defined by
    httpx, so this works without importing httpx and also for subclasses of httpx exceptions.
    Exceptions that are not transient transport failures (``LocalProtocolError``,
    ``UnsupportedProtocol``, ``ProxyError``, ``DecodingError``, non-httpx errors) give ``None``.
    """
    if _is_name_not_found(exc):
        return None  # a host name that does not resolve stays unresolved: retrying only waits
    for cls in type(exc).__mro__:
        if cls.__module__.partition(".")[0] != "httpx":
            continue
        kind = _HTTPX_FAILURE_KINDS.get(cls.__name__)
        if kind is not None:
            return kind
    return None


def _is_name_not_found(exc: BaseException) -> bool:
    """True when ``exc`` was caused by a DNS answer that the name does not exist (not by a
    temporary resolver failure, ``EAI_AGAIN``, which is worth retrying)."""
    import socket

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return current.errno != getattr(socket, "EAI_AGAIN", None)
        current = current.__cause__ or current.__context__
    return False


_DELTA_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware datetime; a naive one is taken to be UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def parse_retry_after(value: str, now: datetime) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header value, or ``None`` if invalid.

    Accepts delta-seconds (``"120"``; a decimal such as ``"1.5"`` is tolerated) and an HTTP-date
    (``"Wed, 21 Oct 2015 07:28:00 GMT"``), which is measured from ``now``; a date in the past
    gives ``0.0``.  A naive ``now`` (or a date without a zone) is taken to be UTC.  Negative
    numbers, exponents, ``inf``/``nan`` and anything else unparseable give ``None``.
    """
    text = value.strip()
    if not text:
        return None
    if _DELTA_SECONDS.fullmatch(text):
        return float(text)
    from email.utils import parsedate_to_datetime  # only needed for the rare HTTP-date form

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, (_as_utc(when) - _as_utc(now)).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    """When to retry a request and how long to wait before the next attempt.

    Immutable; derive variants with :meth:`with_overrides` or :func:`dataclasses.replace`.
    Construction validates the values and raises :class:`ValueError` on a bad one.  Methods in
    ``retry_methods`` are normalised to upper case.
    """

    max_attempts: int = 4
    """Total attempts including the first (``max_retries + 1``); 1 disables retries."""
    backoff_base: float = 0.5
    """Seconds; the jitter ceiling after the n-th failed attempt is ``backoff_base * 2**(n-1)``."""
    max_delay: float = 30.0
    """Cap, in seconds, for both the computed backoff and a server's ``Retry-After``."""
    retry_statuses: frozenset[int] = RETRY_STATUSES
    """Response statuses worth retrying (for methods in ``retry_methods`` only)."""
    retry_methods: frozenset[str] = IDEMPOTENT_METHODS
    """Methods that may be retried on a retryable status or any connection-level failure."""
    retry_non_idempotent_on_connect: bool = True
    """Retry other methods too when the request certainly never reached the server."""

    def __post_init__(self) -> None:
        attempts = self.max_attempts
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise ValueError(f"max_attempts must be an integer >= 1, got {attempts!r}")
        for name in ("backoff_base", "max_delay"):
            seconds = getattr(self, name)
            if not isinstance(seconds, int | float) or not math.isfinite(seconds) or seconds < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {seconds!r}")
        object.__setattr__(self, "retry_statuses", frozenset(self.retry_statuses))
        object.__setattr__(self, "retry_methods", frozenset(m.upper() for m in self.retry_methods))

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt (``max_attempts - 1``)."""
        return self.max_attempts - 1

    def with_overrides(
        self,
        *,
        max_attempts: int | None = None,
        max_retries: int | None = None,
        backoff_base: float | None = None,
        max_delay: float | None = None,
        retry_statuses: frozenset[int] | None = None,
        retry_methods: frozenset[str] | None = None,
        retry_non_idempotent_on_connect: bool | None = None,
    ) -> RetryPolicy:
        """Returns a copy with the given fields replaced (``max_attempts``, ``backoff_base``,
        ``max_delay``, ``retry_statuses``, ``retry_methods``, ``retry_non_idempotent_on_connect``);
        ``None`` keeps the current value.

        ``max_retries`` is a convenience for ``max_attempts = max_retries + 1`` (the config's
        ``max_retries`` setting); passing both raises :class:`ValueError`, as does a value the
        policy refuses.
        """
        if max_retries is not None:
            if max_attempts is not None:
                raise ValueError("pass max_attempts or max_retries, not both")
            max_attempts = max_retries + 1
        changes: dict[str, Any] = {
            "max_attempts": max_attempts,
            "backoff_base": backoff_base,
            "max_delay": max_delay,
            "retry_statuses": retry_statuses,
            "retry_methods": retry_methods,
            "retry_non_idempotent_on_connect": retry_non_idempotent_on_connect,
        }
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def for_bulk_reads(self) -> RetryPolicy:
        """Returns a copy that also retries 500, for bulk reads (exports of many pages).

        500 is left out of the default because, for one request, it usually reports a real
        fault the caller should see at once.  A bulk read sends only GETs, so asking again for
        a page cannot change anything on the server, and one 500 among hundreds of pages (a
        node failing for a moment) should not end the whole export.  Only methods in
        ``retry_methods`` are retried on a status, so a POST is still never resent on a 500.
        """
        return self.with_overrides(retry_statuses=self.retry_statuses | {500})

    def is_retryable(
        self, *, method: str, status: int | None = None, failure: FailureKind | None = None
    ) -> bool:
        """Returns whether this outcome of a ``method`` request may be retried at all (ignoring how
        many attempts were made).

        Exactly one of ``status`` (a response arrived) and ``failure`` (none did) must be given;
        else it raises :class:`ValueError`.
        """
        if (status is None) == (failure is None):
            raise ValueError("pass exactly one of status and failure")
        idempotent = method.upper() in self.retry_methods
        if failure is not None:
            return idempotent or (failure.never_sent and self.retry_non_idempotent_on_connect)
        return idempotent and status in self.retry_statuses

    def backoff_ceiling(self, attempt: int) -> float:
        """Returns the upper bound of the jittered delay after ``attempt`` (>= 1) failures."""
        exponent = min(max(attempt, 1) - 1, _MAX_EXPONENT)
        return min(self.max_delay, self.backoff_base * float(2**exponent))

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Returns a "full jitter" delay after ``attempt`` failed attempts: uniform in
        ``[0, backoff_ceiling(attempt)]``.

        ``rng`` defaults to the :mod:`random` module's shared generator.
        """
        ceiling = self.backoff_ceiling(attempt)
        if rng is None:
            import random

            return random.uniform(0.0, ceiling)
        return rng.uniform(0.0, ceiling)

    def decide(
        self,
        *,
        attempt: int,
        method: str,
        status: int | None = None,
        failure: FailureKind | None = None,
        retry_after: str | None = None,
        rng: random.Random | None = None,
        now: datetime | None = None,
    ) -> float | None:
        """Returns the delay in seconds before the next attempt of a ``method`` request, or
        ``None`` to stop.

        ``attempt`` is the number of attempts already made (1 after the first failure).  Give
        ``status`` for a response or ``failure`` for a request that got none (exactly one).
        ``retry_after`` is the response's ``Retry-After`` header, honoured only with a retryable
        ``status``; ``now`` (default: the current UTC time) dates it; ``rng`` draws the jitter.
        ``None`` means: not retryable, or ``max_attempts`` reached.  Raises :class:`ValueError`
        for an ``attempt`` below 1 or not exactly one of ``status`` and ``failure``.
        """
        if attempt < 1:
            raise ValueError(f"attempt must be >= 1, got {attempt!r}")
        if not self.is_retryable(method=method, status=status, failure=failure):
            return None
        if attempt >= self.max_attempts:
            return None
        if status is not None and retry_after is not None:
            delay = parse_retry_after(retry_after, now if now is not None else datetime.now(UTC))
            if delay is not None:
                return min(delay, self.max_delay)
        return self.backoff(attempt, rng)
