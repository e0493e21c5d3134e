"""Deterministic fault injection.

:class:`Faults` is the configuration; :meth:`Faults.decide` turns "the n-th request" into a
:class:`FaultDecision`.  The decision is a pure function of ``(seed, n)``: the same settings
give the same sequence of faults on every run, whatever the timing or thread interleaving
(only *which* request gets number ``n`` depends on arrival order).

What each knob does:

* ``latency`` + up to ``jitter`` seconds are slept before the request is handled;
* ``error_rate`` of the requests are answered 500, 502 or 503 without being handled;
* ``rate_limit_every`` / ``rate_limit_burst``: the last ``burst`` requests of every window of
  ``every`` requests are answered 429 with ``Retry-After: retry_after``;
* ``drop_rate`` of the requests are handled, then the connection is closed after part of
  the body (served mode; the in-process transport raises a read error instead);
* ``slow_body`` seconds are spread over writing each body (served mode only).

The token service is spared unless ``faults_on_token`` is true.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

__all__ = ["FaultDecision", "Faults"]

_ERROR_STATUSES = (500, 502, 503)


@dataclass(frozen=True, slots=True)
class FaultDecision:
    """What to do to one request."""

    delay: float = 0.0
    status: int | None = None  # answer this error instead of handling the request
    retry_after: float | None = None
    drop: bool = False
    slow_body: float = 0.0

    @property
    def is_noop(self) -> bool:
        return self == _NOOP


_NOOP = FaultDecision()


@dataclass(frozen=True, slots=True)
class Faults:
    """Fault-injection settings (all off by default)."""

    latency: float = 0.0
    jitter: float = 0.0
    error_rate: float = 0.0
    rate_limit_every: int = 0
    rate_limit_burst: int = 0
    retry_after: float = 1.0
    drop_rate: float = 0.0
    slow_body: float = 0.0
    seed: int = 0
    faults_on_token: bool = False

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        for name in ("latency", "jitter", "slow_body", "retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.rate_limit_every < 0 or self.rate_limit_burst < 0:
            raise ValueError("rate_limit_every and rate_limit_burst must not be negative")
        if self.rate_limit_burst > self.rate_limit_every:
            raise ValueError("rate_limit_burst cannot exceed rate_limit_every")

    @property
    def enabled(self) -> bool:
        """True when any knob is on."""
        return bool(
            self.latency
            or self.jitter
            or self.error_rate
            or (self.rate_limit_every and self.rate_limit_burst)
            or self.drop_rate
            or self.slow_body
        )

    def decide(self, n: int) -> FaultDecision:
        """The fault for the ``n``-th request (1-based); a pure function of ``seed`` and ``n``."""
        if not self.enabled:
            return _NOOP
        digest = hashlib.blake2b(f"{self.seed}:{n}".encode(), digest_size=8).digest()
        rng = random.Random(int.from_bytes(digest, "big"))
        # Always draw in the same order so that one knob never shifts another's sequence.
        jitter_roll, error_roll, error_pick, drop_roll = (rng.random() for _ in range(4))
        delay = self.latency + self.jitter * jitter_roll
        status: int | None = None
        retry_after: float | None = None
        every, burst = self.rate_limit_every, self.rate_limit_burst
        if every and burst and (n - 1) % every >= every - burst:
            status, retry_after = 429, self.retry_after
        elif error_roll < self.error_rate:
            status = _ERROR_STATUSES[int(error_pick * len(_ERROR_STATUSES))]
        drop = status is None and drop_roll < self.drop_rate
        return FaultDecision(delay, status, retry_after, drop, self.slow_body)
