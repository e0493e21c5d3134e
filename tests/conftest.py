"""Shared fixtures: the OFS emulator in-process and served on 127.0.0.1.

* ``emulator``: a fresh :class:`Emulator` per test over an in-memory copy of small seed data
  (``scale=0.2``: 48 resources, 1 000 activities); mutate it freely.
* ``sandbox_client``: an ``httpx.Client`` reaching ``emulator`` in-process, Basic auth set.
* ``sandbox_server``: one served emulator for the whole session (read-mostly tests);
  ``.url``, ``.emulator``.
* ``make_sandbox_server(faults=..., token_ttl=..., **config)``: a private served emulator
  for tests that need faults or other settings; stopped at the end of the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

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


@pytest.fixture(scope="session")
def _seeded_store() -> Iterator[Store]:
    store = Store.open(":memory:", scale=TEST_SCALE)
    yield store
    store.close()


@pytest.fixture
def emulator(_seeded_store: Store) -> Emulator:
    """A fresh emulator over its own copy of the seed data."""
    return Emulator(_seeded_store.clone(), EmulatorConfig())


@pytest.fixture
def sandbox_client(emulator: Emulator) -> Iterator[httpx.Client]:
    """An httpx client wired to ``emulator`` in-process (no socket), Basic auth set."""
    with httpx.Client(
        transport=EmulatorTransport(emulator), base_url=SANDBOX_BASE_URL, auth=SANDBOX_AUTH
    ) as client:
        yield client


@pytest.fixture(scope="session")
def sandbox_server(_seeded_store: Store) -> Iterator[ServerHandle]:
    """A seeded emulator served on a free loopback port for the whole session."""
    with serve(Emulator(_seeded_store.clone())) as server:
        yield server


@pytest.fixture
def make_sandbox_server(
    _seeded_store: Store,
) -> Iterator[Callable[..., ServerHandle]]:
    """Factory: ``make_sandbox_server(faults=Faults(...), token_ttl=2, **config)``."""
    servers: list[ServerHandle] = []

    def make(faults: Faults | None = None, token_ttl: float = 3600, **config: Any) -> ServerHandle:
        settings = EmulatorConfig(faults=faults or Faults(), token_ttl=token_ttl, **config)
        server = serve(Emulator(_seeded_store.clone(), settings))
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.shutdown()
