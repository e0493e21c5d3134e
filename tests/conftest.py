"""Shared fixtures: the OFS emulator in-process and served on 127.0.0.1.

* ``emulator``: a fresh :class:`Emulator` per test over an in-memory copy of small seed data
  (``scale=0.2``: 48 resources, 1 000 activities), centred on ``TEST_TODAY`` (2026-11-16, so
  that dates named in tests stay valid); mutate it freely.
* ``sandbox_client``: an ``httpx.Client`` reaching ``emulator`` in-process, Basic auth set.
* ``sandbox_server``: one served emulator for the whole session (read-mostly tests);
  ``.url``, ``.emulator``.
* ``make_sandbox_server(faults=..., token_ttl=..., **config)``: a private served emulator
  for tests that need faults or other settings; stopped at the end of the test.
* ``live_emulator``, ``live_client``, ``live_server``: the same in the emulator's default,
  live-like mode, for fidelity tests.

The project's own tests run against the emulator's **strict** mode (``STRICT``): every request
our CLI and client send is checked against the spec, and a violation is a 400 that fails the
test.  Fidelity tests of the emulator itself (raw requests, live behaviour) are marked
``@pytest.mark.live`` (or ``pytestmark = pytest.mark.live``): their ``emulator`` and
``make_sandbox_server`` are live-like.  ``OFSC_TEST_STRICT=0`` runs everything live-like.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from served_cli import TEST_TODAY

from ofsc_cli.sandbox import (
    Emulator,
    EmulatorConfig,
    EmulatorTransport,
    Faults,
    ServerHandle,
    Store,
    serve,
)

SANDBOX_AUTH = ("demo@sandbox", "demo-secret")
SANDBOX_BASE_URL = "https://sandbox.fs.ocs.oraclecloud.com"
TEST_SCALE = 0.2
STRICT = os.environ.get("OFSC_TEST_STRICT", "1") != "0"
if STRICT:  # the built-in `sandbox` profile, in-process or in a subprocess, is strict too
    os.environ["OFSC_SANDBOX_STRICT"] = "1"
# Plugins installed beside ofsc on this machine must not change what the tests see (the
# command tree, the middleware of every client): tests/e2e/test_plugins.py turns them on.
os.environ["OFSC_NO_PLUGINS"] = "1"


@pytest.fixture(scope="session")
def _seeded_store() -> Iterator[Store]:
    store = Store.open(":memory:", scale=TEST_SCALE, today=TEST_TODAY)
    yield store
    store.close()


def _strict(request: pytest.FixtureRequest) -> bool:
    """Strict unless the test (or its module) is marked ``live``: a fidelity test."""
    return STRICT and request.node.get_closest_marker("live") is None


@pytest.fixture
def emulator(_seeded_store: Store, request: pytest.FixtureRequest) -> Emulator:
    """A fresh emulator over its own copy of the seed data (strict mode unless ``live``)."""
    return Emulator(_seeded_store.clone(), EmulatorConfig(strict=_strict(request)))


@pytest.fixture
def live_emulator(_seeded_store: Store) -> Emulator:
    """A fresh emulator in its default, live-like mode."""
    return Emulator(_seeded_store.clone(), EmulatorConfig())


@pytest.fixture
def sandbox_client(emulator: Emulator) -> Iterator[httpx.Client]:
    """An httpx client wired to ``emulator`` in-process (no socket), Basic auth set."""
    with httpx.Client(
        transport=EmulatorTransport(emulator), base_url=SANDBOX_BASE_URL, auth=SANDBOX_AUTH
    ) as client:
        yield client


@pytest.fixture
def live_client(live_emulator: Emulator) -> Iterator[httpx.Client]:
    """``sandbox_client`` for the live-like emulator."""
    with httpx.Client(
        transport=EmulatorTransport(live_emulator), base_url=SANDBOX_BASE_URL, auth=SANDBOX_AUTH
    ) as client:
        yield client


@pytest.fixture(scope="session")
def sandbox_server(_seeded_store: Store) -> Iterator[ServerHandle]:
    """A seeded emulator served on a free loopback port for the whole session."""
    with serve(Emulator(_seeded_store.clone(), EmulatorConfig(strict=STRICT))) as server:
        yield server


@pytest.fixture(scope="session")
def live_server(_seeded_store: Store) -> Iterator[ServerHandle]:
    """A seeded emulator in its live-like mode, served for the whole session."""
    with serve(Emulator(_seeded_store.clone())) as server:
        yield server


@pytest.fixture
def make_sandbox_server(
    _seeded_store: Store, request: pytest.FixtureRequest
) -> Iterator[Callable[..., ServerHandle]]:
    """Factory: ``make_sandbox_server(faults=Faults(...), token_ttl=2, **config)``."""
    servers: list[ServerHandle] = []

    def make(faults: Faults | None = None, token_ttl: float = 3600, **config: Any) -> ServerHandle:
        config.setdefault("strict", _strict(request))
        settings = EmulatorConfig(faults=faults or Faults(), token_ttl=token_ttl, **config)
        server = serve(Emulator(_seeded_store.clone(), settings))
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.shutdown()
