"""Helpers shared by the ``test_core_activities_*`` modules (this module has no tests).

:func:`make_cli` points the ``ofsc`` command (run in-process with typer's ``CliRunner``) at a
served emulator over real HTTP on 127.0.0.1, with its own config path and cache directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from ofsc_cli.cli._app import build_app
from ofsc_cli.client import OFSC, AsyncOFSC
from ofsc_cli.sandbox import Emulator, ServerHandle

__all__ = ["Cli", "async_client", "make_cli", "sync_client"]


@dataclass
class Cli:
    """``cli("core", "activities", "get", "1")`` runs the command against ``server``."""

    server: ServerHandle
    env: dict[str, str | None]

    @property
    def emulator(self) -> Emulator:
        return self.server.emulator

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(build_app(), list(args), env=self.env, input=input)

    def ok(self, *args: str) -> Result:
        """Run and insist on exit 0 (the failure shows stderr)."""
        result = self(*args)
        assert result.exit_code == 0, (result.exit_code, result.stderr, result.stdout)
        return result


def make_cli(server: ServerHandle, tmp_path: Path) -> Cli:
    env: dict[str, str | None] = {
        "OFSC_BASE_URL": server.url,
        "OFSC_INSTANCE": "sandbox",
        "OFSC_CLIENT_ID": "demo",
        "OFSC_CLIENT_SECRET": "demo-secret",
        "OFSC_AUTH": "basic",
        "OFSC_CONFIG": str(tmp_path / "config.toml"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "OFSC_PROFILE": None,
        "NO_COLOR": "1",
    }
    return Cli(server, env)


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
