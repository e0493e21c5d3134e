"""Fault injection: deterministic decisions and their effect in-process and served."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from ofsc_cli.sandbox import (
    Emulator,
    EmulatorConfig,
    EmulatorTransport,
    Faults,
    ServerHandle,
    Store,
)

AUTH = ("demo@sandbox", "demo-secret")
LANGUAGES = "/rest/ofscMetadata/v1/languages"


def sequence(faults: Faults, n: int = 200) -> list[tuple[object, ...]]:
    return [
        (d.status, round(d.delay, 9), d.drop, d.retry_after)
        for d in (faults.decide(i) for i in range(1, n + 1))
    ]


def test_same_seed_same_sequence_other_seed_other_sequence() -> None:
    faults = Faults(error_rate=0.3, jitter=0.5, drop_rate=0.1, seed=7)
    assert sequence(faults) == sequence(Faults(error_rate=0.3, jitter=0.5, drop_rate=0.1, seed=7))
    assert sequence(faults) != sequence(Faults(error_rate=0.3, jitter=0.5, drop_rate=0.1, seed=8))
    statuses = [s for s, *_ in sequence(faults, 1000)]
    errors = [s for s in statuses if s is not None]
    assert set(errors) == {500, 502, 503}
    assert 0.2 < len(errors) / 1000 < 0.4


def test_disabled_faults_do_nothing() -> None:
    assert not Faults().enabled
    assert all(Faults(seed=3).decide(i).is_noop for i in range(1, 50))


def test_rate_limit_burst_pattern() -> None:
    faults = Faults(rate_limit_every=5, rate_limit_burst=2, retry_after=3)
    statuses = [faults.decide(n).status for n in range(1, 11)]
    assert statuses == [None, None, None, 429, 429, None, None, None, 429, 429]
    assert faults.decide(4).retry_after == 3


def test_latency_and_jitter_bounds() -> None:
    faults = Faults(latency=0.2, jitter=0.1, seed=1)
    delays = [faults.decide(n).delay for n in range(1, 100)]
    assert all(0.2 <= d <= 0.3 for d in delays)
    assert len(set(delays)) > 50


@pytest.mark.parametrize(
    "kwargs",
    [{"error_rate": 1.5}, {"latency": -1}, {"rate_limit_every": 2, "rate_limit_burst": 3}],
)
def test_invalid_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Faults(**kwargs)  # type: ignore[arg-type]


def make_client(faults: Faults, sleeps: list[float] | None = None) -> httpx.Client:
    store = Store.open(":memory:", scale=0.05)
    record = sleeps.append if sleeps is not None else (lambda _s: None)
    emulator = Emulator(store, EmulatorConfig(faults=faults), sleep=record)
    return httpx.Client(transport=EmulatorTransport(emulator), base_url="https://x", auth=AUTH)


def statuses(client: httpx.Client, n: int) -> list[int]:
    return [client.get(LANGUAGES).status_code for _ in range(n)]


def test_emulator_applies_the_same_faults_on_every_run() -> None:
    faults = Faults(error_rate=0.4, seed=11)
    first = statuses(make_client(faults), 40)
    second = statuses(make_client(faults), 40)
    assert first == second
    assert set(first) >= {200} and set(first) - {200} <= {500, 502, 503}
    assert set(first) != {200}


def test_injected_error_body_and_retry_after() -> None:
    client = make_client(Faults(rate_limit_every=1, rate_limit_burst=1, retry_after=2))
    response = client.get(LANGUAGES)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    assert response.json()["status"] == "429"
    error = make_client(Faults(error_rate=1.0)).get(LANGUAGES)
    assert error.status_code in (500, 502, 503)
    assert error.json()["status"] == str(error.status_code)


def test_latency_sleeps_through_the_injected_sleep() -> None:
    sleeps: list[float] = []
    client = make_client(Faults(latency=0.5), sleeps)
    assert statuses(client, 3) == [200, 200, 200]
    assert sleeps == [0.5, 0.5, 0.5]


def test_token_service_is_spared_unless_asked() -> None:
    form = {"grant_type": "client_credentials"}
    spared = make_client(Faults(error_rate=1.0))
    assert spared.post("/rest/oauthTokenService/v2/token", data=form).status_code == 200
    hit = make_client(Faults(error_rate=1.0, faults_on_token=True))
    assert hit.post("/rest/oauthTokenService/v2/token", data=form).status_code >= 500


def test_drop_in_process_raises_a_read_error() -> None:
    client = make_client(Faults(drop_rate=1.0))
    with pytest.raises(httpx.ReadError):
        client.get(LANGUAGES)


def test_served_drop_closes_the_connection_mid_body(
    make_sandbox_server: Callable[..., ServerHandle],
) -> None:
    server = make_sandbox_server(faults=Faults(drop_rate=1.0))
    with httpx.Client(base_url=server.url, auth=AUTH) as client, pytest.raises(httpx.HTTPError):
        client.get(LANGUAGES)
    assert server.emulator.stats["requests"] == 1


def test_served_faults_match_the_seed(make_sandbox_server: Callable[..., ServerHandle]) -> None:
    faults = Faults(error_rate=0.5, seed=5)
    runs = []
    for _ in range(2):
        server = make_sandbox_server(faults=faults)
        with httpx.Client(base_url=server.url, auth=AUTH) as client:
            runs.append(statuses(client, 20))
    assert runs[0] == runs[1]
    expected = [200 if d.status is None else d.status for d in map(faults.decide, range(1, 21))]
    assert runs[0] == expected


def test_served_slow_body_still_delivers_everything(
    make_sandbox_server: Callable[..., ServerHandle],
) -> None:
    server = make_sandbox_server(faults=Faults(slow_body=0.2))
    with httpx.Client(base_url=server.url, auth=AUTH) as client:
        response = client.get("/rest/ofscMetadata/v1/properties")
    assert response.status_code == 200
    assert len(response.json()["items"]) == 60
    assert response.elapsed.total_seconds() >= 0.15
