"""Per-host circuit breakers: fail fast while an OFS instance is down.

Pure state machines shared by the sync and the async client: no I/O, no sleeping, and the clock
is injected (``time.monotonic`` by default).  A breaker moves through three states::

    CLOSED     requests flow; consecutive failures are counted
      | failure_threshold consecutive failures
      v
    OPEN       requests fail fast (the driver raises OFSCircuitOpenError with retry_in())
      | reset_timeout seconds pass
      v
    HALF_OPEN  exactly one probe request is let through; everyone else still fails fast
      | probe succeeds -> CLOSED      | probe fails -> OPEN again, with a fresh timer

What counts as an outcome is the driver's business.  The HTTP drivers call :meth:`allow` before
sending and then record exactly one outcome per allowed request:

* :meth:`CircuitBreaker.record_failure` for connection errors, timeouts, and 5xx responses
  still failing after the retries;
* :meth:`CircuitBreaker.record_success` for any HTTP response below 500 (a 404 or a 401 proves
  the host is up).

A probe whose outcome is never recorded (the caller was cancelled) does not wedge the breaker:
its slot expires after ``reset_timeout`` and another probe is admitted.

``failure_threshold=0`` disables the breaker: it never opens and :meth:`allow` is always true.

The breakers are thread-safe: each guards its state with a :class:`threading.Lock` held only for
a few assignments, never across I/O, so they are equally safe to call from asyncio code.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from enum import StrEnum

__all__ = ["CircuitBreaker", "CircuitBreakers", "CircuitState", "host_key"]

Clock = Callable[[], float]

_DEFAULT_PORTS = {"http": 80, "https": 443}


class CircuitState(StrEnum):
    """The state of one host's breaker."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


def _check_settings(failure_threshold: int, reset_timeout: float) -> None:
    if (
        isinstance(failure_threshold, bool)
        or not isinstance(failure_threshold, int)
        or failure_threshold < 0
    ):
        raise ValueError(f"failure_threshold must be an integer >= 0, got {failure_threshold!r}")
    if (
        not isinstance(reset_timeout, int | float)
        or not math.isfinite(reset_timeout)
        or reset_timeout < 0
    ):
        raise ValueError(f"reset_timeout must be a finite number >= 0, got {reset_timeout!r}")


class CircuitBreaker:
    """The circuit breaker of one host (see the module docstring for the state machine)."""

    def __init__(
        self,
        failure_threshold: int = 5,
        reset_timeout: float = 30.0,
        clock: Clock = time.monotonic,
    ) -> None:
        """``failure_threshold`` consecutive failures open the circuit (0: never open);
        after ``reset_timeout`` seconds on ``clock`` one probe is allowed.  Raises
        :class:`ValueError` for a threshold that is not an integer >= 0 or a timeout that is not a
        finite number >= 0.
        """
        _check_settings(failure_threshold, reset_timeout)
        self.failure_threshold = failure_threshold
        self.reset_timeout = float(reset_timeout)
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        # Clock reading when the circuit last opened; None while closed.
        self._opened_at: float | None = None
        # Clock reading when the current half-open probe was admitted; None if no probe is out.
        self._probe_started: float | None = None

    # All _-prefixed helpers below expect self._lock to be held.

    def _state(self, now: float) -> CircuitState:
        if self._opened_at is None:
            return CircuitState.CLOSED
        if now - self._opened_at < self.reset_timeout:
            return CircuitState.OPEN
        return CircuitState.HALF_OPEN

    def _probe_out(self, now: float) -> bool:
        """Whether a probe is in flight (and its slot has not expired)."""
        return self._probe_started is not None and now - self._probe_started < self.reset_timeout

    def _open(self, now: float) -> None:
        self._opened_at = now
        self._probe_started = None

    @property
    def state(self) -> CircuitState:
        """The current state; OPEN reads as HALF_OPEN once ``reset_timeout`` has passed."""
        with self._lock:
            return self._state(self._clock())

    @property
    def failures(self) -> int:
        """Consecutive failures counted since the last success."""
        with self._lock:
            return self._failures

    def allow(self) -> bool:
        """Returns whether a request may be sent now.

        CLOSED: always.  OPEN: never.  HALF_OPEN: exactly one caller (the probe) gets ``True``;
        the others get ``False`` until the probe's outcome is recorded or its slot expires.
        """
        with self._lock:
            now = self._clock()
            state = self._state(now)
            if state is CircuitState.CLOSED:
                return True
            if state is CircuitState.OPEN or self._probe_out(now):
                return False
            self._probe_started = now
            return True

    def retry_in(self) -> float:
        """Returns the seconds until :meth:`allow` would admit a request (0.0 if it would now)."""
        with self._lock:
            now = self._clock()
            state = self._state(now)
            if state is CircuitState.CLOSED:
                return 0.0
            if state is CircuitState.OPEN:
                assert self._opened_at is not None
                return max(0.0, self._opened_at + self.reset_timeout - now)
            if self._probe_out(now):
                assert self._probe_started is not None
                return max(0.0, self._probe_started + self.reset_timeout - now)
            return 0.0

    def record_success(self) -> None:
        """The host answered: close the circuit and reset the failure count."""
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._probe_started = None

    def record_failure(self) -> None:
        """The host failed: count it; open the circuit at the threshold.

        A failure in HALF_OPEN (the probe failed) re-opens the circuit with a fresh timer.  A
        late failure while OPEN (a request admitted before the circuit opened) changes nothing.
        """
        if self.failure_threshold == 0:
            return
        with self._lock:
            now = self._clock()
            state = self._state(now)
            self._failures += 1
            if state is CircuitState.HALF_OPEN or (
                state is CircuitState.CLOSED and self._failures >= self.failure_threshold
            ):
                self._open(now)

    def __repr__(self) -> str:
        return (
            f"CircuitBreaker(state={self.state.value!r}, failures={self.failures}, "
            f"failure_threshold={self.failure_threshold}, reset_timeout={self.reset_timeout})"
        )


def host_key(url: str) -> str:
    """The registry key of a URL's host: ``"host:port"``, with the scheme's default port.

    ``host_key("https://acme.fs.ocs.oraclecloud.com/rest/...")`` is
    ``"acme.fs.ocs.oraclecloud.com:443"``.  The host is lower-cased.
    """
    from urllib.parse import urlsplit  # only the drivers need this, once per host

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"{host}:{port}" if port is not None else host


class CircuitBreakers:
    """One :class:`CircuitBreaker` per host, created on first use with shared settings."""

    def __init__(
        self,
        failure_threshold: int = 5,
        reset_timeout: float = 30.0,
        clock: Clock = time.monotonic,
    ) -> None:
        """Breakers made with ``failure_threshold``, ``reset_timeout`` and ``clock`` (see
        :class:`CircuitBreaker`).  Raises :class:`ValueError` for settings it would refuse.
        """
        _check_settings(failure_threshold, reset_timeout)
        self.failure_threshold = failure_threshold
        self.reset_timeout = float(reset_timeout)
        self._clock = clock
        self._lock = threading.Lock()
        self._breakers: dict[str, CircuitBreaker] = {}

    def for_host(self, host: str) -> CircuitBreaker:
        """Returns the breaker for ``host`` (a key such as ``"acme.fs.ocs.oraclecloud.com:443"``,
        see :func:`host_key`); the same object every time for the same host.
        """
        with self._lock:
            breaker = self._breakers.get(host)
            if breaker is None:
                breaker = CircuitBreaker(self.failure_threshold, self.reset_timeout, self._clock)
                self._breakers[host] = breaker
            return breaker

    def __contains__(self, host: object) -> bool:
        with self._lock:
            return host in self._breakers

    def __len__(self) -> int:
        with self._lock:
            return len(self._breakers)
