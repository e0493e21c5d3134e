"""Tests for ofsc_cli.client._retry: pure retry decisions (seeded RNG, fixed clock, no sleeping)."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ofsc_cli.client._retry import (
    IDEMPOTENT_METHODS,
    RETRY_STATUSES,
    FailureKind,
    RetryPolicy,
    classify_exception,
    parse_retry_after,
)

NOW = datetime(2025, 3, 14, 12, 0, 0, tzinfo=UTC)
NEVER_SENT = [FailureKind.CONNECT, FailureKind.CONNECT_TIMEOUT, FailureKind.POOL_TIMEOUT]
MAYBE_SENT = [FailureKind.READ_TIMEOUT, FailureKind.WRITE_TIMEOUT, FailureKind.NETWORK]


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


# --- backoff -------------------------------------------------------------------------------------


@pytest.mark.parametrize("attempt", [1, 2, 3, 4, 5])
def test_jitter_stays_within_full_jitter_bounds_and_varies(attempt: int) -> None:
    policy = RetryPolicy(max_attempts=10, backoff_base=0.5, max_delay=5.0)
    ceiling = min(5.0, 0.5 * 2 ** (attempt - 1))
    rng = random.Random(1234)
    delays = [
        policy.decide(attempt=attempt, method="GET", status=503, rng=rng) for _ in range(2000)
    ]
    assert all(d is not None and 0.0 <= d <= ceiling for d in delays)
    values = [d for d in delays if d is not None]
    assert len(set(values)) > 1000  # jittered, not constant
    # full jitter covers the whole range, not just its top or bottom
    assert min(values) < ceiling * 0.05
    assert max(values) > ceiling * 0.95


def test_backoff_ceiling_doubles_then_caps_at_max_delay() -> None:
    policy = RetryPolicy(backoff_base=0.5, max_delay=3.0)
    assert [policy.backoff_ceiling(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


def test_backoff_ceiling_survives_huge_attempt_numbers() -> None:
    policy = RetryPolicy(max_attempts=100_000, backoff_base=0.5, max_delay=30.0)
    assert policy.backoff_ceiling(50_000) == 30.0
    delay = policy.decide(attempt=50_000, method="GET", status=503, rng=random.Random(0))
    assert delay is not None and 0.0 <= delay <= 30.0


def test_same_seed_gives_same_delays() -> None:
    policy = RetryPolicy(max_attempts=10)

    def draws(seed: int) -> list[float | None]:
        rng = random.Random(seed)
        return [policy.decide(attempt=n, method="GET", status=502, rng=rng) for n in range(1, 9)]

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)


def test_zero_base_means_no_wait() -> None:
    policy = RetryPolicy(backoff_base=0.0)
    assert policy.decide(attempt=1, method="GET", status=503, rng=random.Random(1)) == 0.0


# --- attempts ------------------------------------------------------------------------------------


def test_stops_after_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=3)
    rng = random.Random(0)
    assert policy.decide(attempt=1, method="GET", status=503, rng=rng) is not None
    assert policy.decide(attempt=2, method="GET", status=503, rng=rng) is not None
    assert policy.decide(attempt=3, method="GET", status=503, rng=rng) is None
    assert policy.decide(attempt=4, method="GET", status=503, rng=rng) is None
    assert policy.decide(attempt=3, method="GET", failure=FailureKind.CONNECT, rng=rng) is None


def test_max_attempts_one_disables_retries() -> None:
    policy = RetryPolicy(max_attempts=1)
    assert policy.decide(attempt=1, method="GET", status=503) is None
    assert policy.decide(attempt=1, method="GET", failure=FailureKind.CONNECT) is None


def test_retry_after_is_not_honoured_once_attempts_are_used_up() -> None:
    policy = RetryPolicy(max_attempts=2)
    assert policy.decide(attempt=2, method="GET", status=429, retry_after="1", now=NOW) is None


# --- Retry-After ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0.0), ("7", 7.0), (" 12 ", 12.0), ("1.5", 1.5), ("120", 120.0)],
)
def test_parse_retry_after_delta_seconds(value: str, expected: float) -> None:
    assert parse_retry_after(value, NOW) == expected


def test_parse_retry_after_http_date_in_future() -> None:
    assert parse_retry_after(http_date(NOW + timedelta(seconds=42)), NOW) == 42.0


def test_parse_retry_after_http_date_in_past_is_zero() -> None:
    assert parse_retry_after(http_date(NOW - timedelta(hours=1)), NOW) == 0.0


def test_parse_retry_after_naive_now_is_utc() -> None:
    naive_now = NOW.replace(tzinfo=None)
    assert parse_retry_after(http_date(NOW + timedelta(seconds=5)), naive_now) == 5.0


def test_parse_retry_after_date_with_other_zone() -> None:
    # 13:00:30 at +01:00 is 12:00:30 UTC
    assert parse_retry_after("Fri, 14 Mar 2025 13:00:30 +0100", NOW) == 30.0


@pytest.mark.parametrize(
    "value", ["", "   ", "soon", "-5", "1e3", "inf", "nan", "1_000", "12abc", "Fri, 99 Foo 2025"]
)
def test_parse_retry_after_invalid(value: str) -> None:
    assert parse_retry_after(value, NOW) is None


@given(st.text(max_size=60))
def test_parse_retry_after_never_raises(value: str) -> None:
    result = parse_retry_after(value, NOW)
    assert result is None or result >= 0.0


def test_decide_uses_retry_after_seconds() -> None:
    policy = RetryPolicy()
    assert policy.decide(attempt=1, method="GET", status=429, retry_after="3", now=NOW) == 3.0


def test_decide_uses_retry_after_http_date_with_injected_now() -> None:
    policy = RetryPolicy()
    header = http_date(NOW + timedelta(seconds=20))
    assert policy.decide(attempt=1, method="GET", status=503, retry_after=header, now=NOW) == 20.0
    past = http_date(NOW - timedelta(days=1))
    assert policy.decide(attempt=1, method="GET", status=503, retry_after=past, now=NOW) == 0.0


def test_retry_after_capped_at_max_delay() -> None:
    policy = RetryPolicy(max_delay=10.0)
    assert policy.decide(attempt=1, method="GET", status=429, retry_after="3600", now=NOW) == 10.0
    far = http_date(NOW + timedelta(hours=2))
    assert policy.decide(attempt=1, method="GET", status=503, retry_after=far, now=NOW) == 10.0


def test_invalid_retry_after_falls_back_to_backoff() -> None:
    policy = RetryPolicy(backoff_base=0.5, max_delay=30.0)
    rng_a, rng_b = random.Random(99), random.Random(99)
    delay = policy.decide(attempt=3, method="GET", status=429, retry_after="later", rng=rng_a)
    assert delay == policy.backoff(3, rng_b)
    assert delay is not None and 0.0 <= delay <= 2.0


def test_retry_after_ignored_on_non_retryable_status() -> None:
    assert RetryPolicy().decide(attempt=1, method="GET", status=500, retry_after="1") is None


# --- what is retried -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(RETRY_STATUSES))
@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "get", "put"])
def test_idempotent_methods_retried_on_retry_statuses(method: str, status: int) -> None:
    assert RetryPolicy().decide(attempt=1, method=method, status=status) is not None


@pytest.mark.parametrize("status", [200, 201, 204, 400, 401, 403, 404, 409, 422, 500, 501])
def test_other_statuses_not_retried(status: int) -> None:
    assert RetryPolicy().decide(attempt=1, method="GET", status=status) is None


@pytest.mark.parametrize("status", [429, 503, 502, 504])
@pytest.mark.parametrize("method", ["POST", "PATCH", "post"])
def test_non_idempotent_not_retried_on_status(method: str, status: int) -> None:
    assert RetryPolicy().decide(attempt=1, method=method, status=status) is None


@pytest.mark.parametrize("failure", list(FailureKind))
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_methods_retried_on_every_failure(method: str, failure: FailureKind) -> None:
    assert RetryPolicy().decide(attempt=1, method=method, failure=failure) is not None


@pytest.mark.parametrize("failure", NEVER_SENT)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_non_idempotent_retried_when_never_sent(method: str, failure: FailureKind) -> None:
    assert RetryPolicy().decide(attempt=1, method=method, failure=failure) is not None


@pytest.mark.parametrize("failure", MAYBE_SENT)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_non_idempotent_not_retried_when_maybe_sent(method: str, failure: FailureKind) -> None:
    assert RetryPolicy().decide(attempt=1, method=method, failure=failure) is None


@pytest.mark.parametrize("failure", NEVER_SENT)
def test_non_idempotent_connect_retry_can_be_switched_off(failure: FailureKind) -> None:
    policy = RetryPolicy(retry_non_idempotent_on_connect=False)
    assert policy.decide(attempt=1, method="POST", failure=failure) is None
    assert policy.decide(attempt=1, method="GET", failure=failure) is not None


def test_custom_statuses_and_methods() -> None:
    policy = RetryPolicy(retry_statuses=frozenset({500}), retry_methods=frozenset({"post"}))
    assert policy.retry_methods == frozenset({"POST"})
    assert policy.decide(attempt=1, method="POST", status=500) is not None
    assert policy.decide(attempt=1, method="POST", status=503) is None
    assert policy.decide(attempt=1, method="GET", status=500) is None


def test_failure_kind_flags() -> None:
    assert {k for k in FailureKind if k.never_sent} == set(NEVER_SENT)
    assert {k for k in FailureKind if not k.is_timeout} == {
        FailureKind.CONNECT,
        FailureKind.NETWORK,
    }


def test_defaults_match_documented_sets() -> None:
    policy = RetryPolicy()
    assert policy.retry_methods == IDEMPOTENT_METHODS == {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
    assert policy.retry_statuses == RETRY_STATUSES == {429, 502, 503, 504}
    assert (policy.max_attempts, policy.max_retries) == (4, 3)


def test_bulk_read_variant_adds_500_for_reads_only() -> None:
    policy = RetryPolicy(max_attempts=6, backoff_base=0.1)
    bulk = policy.for_bulk_reads()
    assert bulk.retry_statuses == policy.retry_statuses | {500}
    assert policy.retry_statuses == RETRY_STATUSES  # the default is left as it was
    assert (bulk.max_attempts, bulk.backoff_base) == (6, 0.1)  # everything else is kept
    assert policy.decide(attempt=1, method="GET", status=500) is None
    assert bulk.decide(attempt=1, method="GET", status=500) is not None
    assert bulk.decide(attempt=1, method="POST", status=500) is None
    assert bulk.for_bulk_reads() == bulk


# --- argument checks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs", [{}, {"status": 503, "failure": FailureKind.CONNECT}], ids=["neither", "both"]
)
def test_decide_needs_exactly_one_outcome(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        RetryPolicy().decide(attempt=1, method="GET", **kwargs)  # type: ignore[arg-type]


def test_decide_rejects_attempt_zero() -> None:
    with pytest.raises(ValueError, match="attempt"):
        RetryPolicy().decide(attempt=0, method="GET", status=503)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"max_attempts": -1},
        {"max_attempts": 2.0},
        {"max_attempts": True},
        {"backoff_base": -0.1},
        {"max_delay": -1.0},
        {"max_delay": float("inf")},
        {"backoff_base": float("nan")},
    ],
)
def test_invalid_policy_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_with_overrides_keeps_unset_fields_and_validates() -> None:
    base = RetryPolicy(backoff_base=1.0, max_delay=8.0)
    changed = base.with_overrides(max_retries=0, max_delay=None)
    assert changed == RetryPolicy(max_attempts=1, backoff_base=1.0, max_delay=8.0)
    assert base.max_attempts == 4  # the original is untouched
    assert base.with_overrides(max_attempts=6, backoff_base=0.0).max_attempts == 6
    assert base.with_overrides() == base
    with pytest.raises(ValueError):
        base.with_overrides(max_retries=-1)
    with pytest.raises(ValueError, match="not both"):
        base.with_overrides(max_attempts=2, max_retries=1)


def test_dataclasses_replace_validates_and_normalises() -> None:
    policy = dataclasses.replace(RetryPolicy(), retry_methods=frozenset({"get"}))
    assert policy.retry_methods == frozenset({"GET"})
    with pytest.raises(ValueError):
        dataclasses.replace(RetryPolicy(), max_attempts=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.max_attempts = 2  # type: ignore[misc]


# --- classify_exception --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc_type", "kind"),
    [
        (httpx.ConnectError, FailureKind.CONNECT),
        (httpx.ConnectTimeout, FailureKind.CONNECT_TIMEOUT),
        (httpx.PoolTimeout, FailureKind.POOL_TIMEOUT),
        (httpx.ReadTimeout, FailureKind.READ_TIMEOUT),
        (httpx.WriteTimeout, FailureKind.WRITE_TIMEOUT),
        (httpx.ReadError, FailureKind.NETWORK),
        (httpx.WriteError, FailureKind.NETWORK),
        (httpx.RemoteProtocolError, FailureKind.NETWORK),
        (httpx.NetworkError, FailureKind.NETWORK),
        (httpx.CloseError, FailureKind.NETWORK),
    ],
)
def test_classify_httpx_exceptions(exc_type: type[httpx.TransportError], kind: FailureKind) -> None:
    assert classify_exception(exc_type("boom")) is kind


def test_classify_subclass_of_httpx_exception() -> None:
    class MyConnectError(httpx.ConnectError):
        pass

    assert classify_exception(MyConnectError("boom")) is FailureKind.CONNECT


@pytest.mark.parametrize(
    "exc",
    [
        httpx.LocalProtocolError("bad"),
        httpx.UnsupportedProtocol("ftp"),
        httpx.ProxyError("proxy"),
        httpx.DecodingError("gzip"),
        ValueError("x"),
        ConnectionError("builtin"),
        TimeoutError("builtin"),
        KeyboardInterrupt(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_classify_other_exceptions_is_none(exc: BaseException) -> None:
    assert classify_exception(exc) is None


def test_classify_ignores_lookalike_names_outside_httpx() -> None:
    class ReadTimeout(Exception):  # same name as httpx's, different library
        pass

    assert classify_exception(ReadTimeout()) is None


def test_modules_import_nothing_heavy() -> None:
    """The pure modules load standalone, without httpx (or other lazily imported modules)."""
    import subprocess
    import sys
    from pathlib import Path

    client_dir = Path(__file__).resolve().parents[2] / "ofsc_cli" / "client"
    code = (
        "import importlib.util, sys\n"
        "before = set(sys.modules)\n"
        "for name in ('_retry', '_circuit'):\n"
        "    spec = importlib.util.spec_from_file_location(name, sys.argv[1] + f'/{name}.py')\n"
        "    module = importlib.util.module_from_spec(spec)\n"
        "    sys.modules[name] = module\n"
        "    spec.loader.exec_module(module)\n"
        "assert sys.modules['_retry'].classify_exception(ValueError()) is None\n"
        "heavy = ('httpx', 'email.utils', 'random', 'urllib.parse')\n"
        "bad = [m for m in heavy if m in sys.modules and m not in before]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(client_dir)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_host_name_that_does_not_resolve_is_not_retried() -> None:
    import socket

    import httpx

    from ofsc_cli.client._retry import classify_exception

    def connect_error(errno: int) -> httpx.ConnectError:
        try:
            try:
                raise socket.gaierror(errno, "resolver said no")
            except socket.gaierror as cause:
                raise httpx.ConnectError(str(cause)) from cause
        except httpx.ConnectError as exc:
            return exc

    assert classify_exception(connect_error(socket.EAI_NONAME)) is None
    assert classify_exception(connect_error(socket.EAI_AGAIN)) is not None  # temporary
    assert classify_exception(httpx.ConnectError("refused")) is not None


def test_dns_failure_exits_6_after_one_attempt(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ofsc_cli.cli._app import build_app

    env = {
        "OFSC_CONFIG": str(tmp_path / "config.toml"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "OFSC_BASE_URL": "https://no-such-host.invalid",
        "OFSC_CLIENT_ID": "x",
        "OFSC_CLIENT_SECRET": "y",
        "OFSC_AUTH": "basic",
        "OFSC_PROFILE": None,
    }
    result = CliRunner().invoke(build_app(), ["metadata", "work-zones", "list"], env=env)
    assert result.exit_code == 6, result.stderr
    assert "gave up after" not in result.stderr and "retrying" not in result.stderr
