"""Tests for ofsc_cli.client._circuit: breaker state machine on a fake clock, no sleeping."""

from __future__ import annotations

import threading

import pytest

from ofsc_cli.client._circuit import CircuitBreaker, CircuitBreakers, CircuitState, host_key


class FakeClock:
    """A monotonic clock that only moves when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def state(breaker: CircuitBreaker) -> CircuitState:
    """The breaker's state (a call, so mypy does not narrow it across clock moves)."""
    return breaker.state


def make(clock: FakeClock, threshold: int = 3, timeout: float = 10.0) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=threshold, reset_timeout=timeout, clock=clock)


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        breaker.record_failure()


def open_breaker(clock: FakeClock, threshold: int = 3, timeout: float = 10.0) -> CircuitBreaker:
    breaker = make(clock, threshold, timeout)
    fail(breaker, threshold)
    assert state(breaker) is CircuitState.OPEN
    return breaker


# --- closed -> open ------------------------------------------------------------------------------


def test_starts_closed_and_allows(clock: FakeClock) -> None:
    breaker = make(clock)
    assert state(breaker) is CircuitState.CLOSED
    assert breaker.allow()
    assert breaker.retry_in() == 0.0


def test_opens_after_threshold_consecutive_failures(clock: FakeClock) -> None:
    breaker = make(clock, threshold=3)
    fail(breaker, 2)
    assert state(breaker) is CircuitState.CLOSED
    assert breaker.allow()
    assert breaker.failures == 2
    breaker.record_failure()
    assert state(breaker) is CircuitState.OPEN
    assert not breaker.allow()


def test_success_in_between_resets_the_count(clock: FakeClock) -> None:
    breaker = make(clock, threshold=3)
    fail(breaker, 2)
    breaker.record_success()
    assert breaker.failures == 0
    fail(breaker, 2)
    assert state(breaker) is CircuitState.CLOSED
    breaker.record_failure()
    assert state(breaker) is CircuitState.OPEN


def test_threshold_one_opens_on_first_failure(clock: FakeClock) -> None:
    breaker = make(clock, threshold=1)
    breaker.record_failure()
    assert state(breaker) is CircuitState.OPEN


# --- open ----------------------------------------------------------------------------------------


def test_open_fails_fast_and_retry_in_counts_down(clock: FakeClock) -> None:
    breaker = open_breaker(clock, timeout=10.0)
    assert breaker.retry_in() == 10.0
    clock.advance(4.0)
    assert not breaker.allow()
    assert breaker.retry_in() == pytest.approx(6.0)
    clock.advance(5.5)
    assert not breaker.allow()
    assert state(breaker) is CircuitState.OPEN
    assert breaker.retry_in() == pytest.approx(0.5)
    clock.advance(0.5)
    assert breaker.retry_in() == 0.0
    assert state(breaker) is CircuitState.HALF_OPEN


def test_late_failure_while_open_does_not_extend_the_timer(clock: FakeClock) -> None:
    breaker = open_breaker(clock, timeout=10.0)
    clock.advance(6.0)
    breaker.record_failure()  # a request admitted before the circuit opened
    assert breaker.retry_in() == pytest.approx(4.0)


# --- half-open -----------------------------------------------------------------------------------


def test_half_open_allows_exactly_one_probe(clock: FakeClock) -> None:
    breaker = open_breaker(clock, timeout=10.0)
    clock.advance(10.0)
    assert state(breaker) is CircuitState.HALF_OPEN
    assert breaker.allow()
    assert not breaker.allow()
    assert not breaker.allow()
    assert state(breaker) is CircuitState.HALF_OPEN
    assert breaker.retry_in() > 0.0


def test_probe_success_closes(clock: FakeClock) -> None:
    breaker = open_breaker(clock, threshold=3, timeout=10.0)
    clock.advance(11.0)
    assert breaker.allow()
    breaker.record_success()
    assert state(breaker) is CircuitState.CLOSED
    assert breaker.failures == 0
    assert breaker.allow() and breaker.allow()
    # the count starts over: it takes the full threshold again to open
    fail(breaker, 2)
    assert state(breaker) is CircuitState.CLOSED


def test_probe_failure_reopens_with_fresh_timer(clock: FakeClock) -> None:
    breaker = open_breaker(clock, timeout=10.0)
    clock.advance(15.0)
    assert breaker.allow()
    clock.advance(2.0)
    breaker.record_failure()
    assert state(breaker) is CircuitState.OPEN
    assert not breaker.allow()
    assert breaker.retry_in() == 10.0  # measured from the failed probe, not the first opening
    clock.advance(9.0)
    assert not breaker.allow()
    clock.advance(1.0)
    assert breaker.allow()  # the next probe
    assert not breaker.allow()


def test_unreported_probe_slot_expires(clock: FakeClock) -> None:
    breaker = open_breaker(clock, timeout=10.0)
    clock.advance(10.0)
    assert breaker.allow()  # the probe's caller is cancelled and never reports back
    clock.advance(3.0)
    assert not breaker.allow()
    assert breaker.retry_in() == pytest.approx(7.0)
    clock.advance(7.0)
    assert breaker.retry_in() == 0.0
    assert breaker.allow()
    assert not breaker.allow()


# --- disabled, validation ------------------------------------------------------------------------


def test_threshold_zero_never_opens(clock: FakeClock) -> None:
    breaker = make(clock, threshold=0)
    fail(breaker, 1000)
    assert state(breaker) is CircuitState.CLOSED
    assert breaker.allow()
    assert breaker.retry_in() == 0.0


@pytest.mark.parametrize(
    ("threshold", "timeout"),
    [(-1, 10.0), (2.5, 10.0), (True, 10.0), (3, -1.0), (3, float("inf")), (3, float("nan"))],
)
def test_invalid_settings_rejected(threshold: int, timeout: float) -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=threshold, reset_timeout=timeout)
    with pytest.raises(ValueError):
        CircuitBreakers(failure_threshold=threshold, reset_timeout=timeout)


def test_default_clock_is_monotonic() -> None:
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout=3600.0)
    breaker.record_failure()
    assert not breaker.allow()
    assert 3500.0 < breaker.retry_in() <= 3600.0


def test_repr_shows_state(clock: FakeClock) -> None:
    assert "state='open'" in repr(open_breaker(clock))


# --- registry ------------------------------------------------------------------------------------


def test_registry_one_breaker_per_host(clock: FakeClock) -> None:
    breakers = CircuitBreakers(failure_threshold=2, reset_timeout=5.0, clock=clock)
    a = breakers.for_host("acme.fs.ocs.oraclecloud.com:443")
    assert breakers.for_host("acme.fs.ocs.oraclecloud.com:443") is a
    b = breakers.for_host("other.fs.ocs.oraclecloud.com:443")
    assert b is not a
    assert len(breakers) == 2 and "acme.fs.ocs.oraclecloud.com:443" in breakers
    # settings and clock are shared; state is not
    fail(a, 2)
    assert state(a) is CircuitState.OPEN
    assert state(b) is CircuitState.CLOSED
    assert a.retry_in() == 5.0
    clock.advance(5.0)
    assert state(a) is CircuitState.HALF_OPEN


def test_registry_creation_is_thread_safe() -> None:
    breakers = CircuitBreakers()
    barrier = threading.Barrier(16)
    seen: list[CircuitBreaker] = []
    seen_lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        breaker = breakers.for_host("h:443")
        with seen_lock:
            seen.append(breaker)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 16
    assert all(b is seen[0] for b in seen)


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (
            "https://acme.fs.ocs.oraclecloud.com/rest/ofscCore/v1/users",
            "acme.fs.ocs.oraclecloud.com:443",
        ),
        ("https://ACME.fs.ocs.oraclecloud.com:8443/x", "acme.fs.ocs.oraclecloud.com:8443"),
        ("http://127.0.0.1/x", "127.0.0.1:80"),
        ("http://[::1]:8000/x", "[::1]:8000"),
        ("https://user:pw@acme.example/x", "acme.example:443"),
    ],
)
def test_host_key(url: str, key: str) -> None:
    assert host_key(url) == key


# --- concurrency ---------------------------------------------------------------------------------


@pytest.mark.parametrize("round_", range(5))
def test_concurrent_allow_in_half_open_admits_exactly_one(round_: int) -> None:
    clock = FakeClock()
    breaker = open_breaker(clock, threshold=2, timeout=10.0)
    clock.advance(10.0)
    workers = 32
    barrier = threading.Barrier(workers)
    results: list[bool] = []
    results_lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        admitted = breaker.allow()
        with results_lock:
            results.append(admitted)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == workers
    assert results.count(True) == 1
