"""The ``ofsc`` command and the clients pointed at a served emulator (helpers, no tests).

The one place for them (tests/cli, tests/e2e …): :class:`Cli` runs the command in-process
with typer's ``CliRunner`` against the emulator over real HTTP on 127.0.0.1, with its own
config path and cache directory; :func:`sync_client` and :func:`async_client` are library
clients for it; :func:`seed_resources` adds technicians to the served store.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from ofsc_cli.cli._app import build_app
from ofsc_cli.client import OFSC, AsyncOFSC
from ofsc_cli.sandbox import Emulator, ServerHandle

__all__ = [
    "TEST_TODAY",
    "Cli",
    "async_client",
    "cli_env",
    "make_cli",
    "seed_resources",
    "sync_client",
]

#: The day the session's seed data is centred on (conftest's ``_seeded_store``): tests that
#: name dates (2026-11-01 .. 2026-11-30) rely on it.
TEST_TODAY = dt.date(2026, 11, 16)


def cli_env(server: ServerHandle, tmp_path: Path, **extra: str) -> dict[str, str | None]:
    """Environment pointing the CLI at ``server`` (Basic auth, a private config and cache)."""
    return {
        "OFSC_BASE_URL": server.url,
        "OFSC_INSTANCE": "sandbox",
        "OFSC_CLIENT_ID": "demo",
        "OFSC_CLIENT_SECRET": "demo-secret",
        "OFSC_AUTH": "basic",
        "OFSC_CONFIG": str(tmp_path / "config.toml"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "OFSC_PROFILE": None,
        "NO_COLOR": "1",
        **extra,
    }


class Cli:
    """``cli("core", "activities", "get", "1")`` runs the command against ``server``."""

    def __init__(self, server: ServerHandle, tmp_path: Path, **env: str) -> None:
        self.server = server
        self.tmp_path = tmp_path
        self.env = cli_env(server, tmp_path, **env)

    @property
    def emulator(self) -> Emulator:
        return self.server.emulator

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(build_app(), list(args), env=self.env, input=input)

    def ok(self, *args: str, input: str | None = None) -> Result:
        """Run and require exit 0 (a failure shows stdout and stderr)."""
        return self.fails(0, *args, input=input)

    def fails(self, code: int, *args: str, input: str | None = None) -> Result:
        """Run and require exit ``code``."""
        result = self(*args, input=input)
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        """Run with ``-o json`` and parse stdout."""
        return json.loads(self.ok(*args, "-o", "json").stdout)

    def write(self, name: str, data: Any) -> str:
        """Write ``data`` (JSON, or text as is) to a file in the test's directory."""
        path = self.tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(path)


def _options(server: ServerHandle, **kwargs: Any) -> dict[str, Any]:
    return {
        "instance": "sandbox",
        "client_id": "demo",
        "client_secret": "demo-secret",
        "base_url": server.url,
        **kwargs,
    }


def sync_client(server: ServerHandle, **kwargs: Any) -> OFSC:
    return OFSC(**_options(server, **kwargs))


def async_client(server: ServerHandle, **kwargs: Any) -> AsyncOFSC:
    return AsyncOFSC(**_options(server, **kwargs))


def make_cli(server: ServerHandle, tmp_path: Path) -> Cli:
    """The command over ``server`` with its own config and cache under ``tmp_path``."""
    return Cli(server, tmp_path)


def seed_resources(server: ServerHandle, count: int, parent: str = "BK_NORTH_A") -> list[str]:
    """Add ``count`` technicians to the served emulator's store; their ids, in stored order."""
    ids = [f"XT-{i:05d}" for i in range(count)]
    rows: list[tuple[str | int, Any, str | None]] = [
        (
            rid,
            {
                "resourceId": rid,
                "resourceInternalId": 9_000_000 + i,
                "parentResourceId": parent,
                "resourceType": "PR",
                "name": f"Extra tech {i}",
                "status": "active",
                "language": "en",
                "timeZone": "Eastern",
            },
            parent,
        )
        for i, rid in enumerate(ids)
    ]
    server.emulator.store.bulk_put("resources", rows)
    return ids
