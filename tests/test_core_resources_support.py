"""Helpers shared by the ``test_core_resources_*`` tests: the CLI over a served emulator.

Imported by those modules; it holds no tests itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from ofsc_cli.cli._app import build_app
from ofsc_cli.sandbox import ServerHandle


def cli_env(server: ServerHandle, tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment pointing the CLI at ``server`` (Basic auth, a private config file)."""
    return {
        "OFSC_BASE_URL": server.url,
        "OFSC_INSTANCE": "sandbox",
        "OFSC_CLIENT_ID": "demo",
        "OFSC_CLIENT_SECRET": "demo-secret",
        "OFSC_AUTH": "basic",
        "OFSC_CONFIG": str(tmp_path / "config.toml"),
        "OFSC_PROFILE": "",
        **extra,
    }


class Cli:
    """Runs ``ofsc`` commands against one served emulator."""

    def __init__(self, server: ServerHandle, tmp_path: Path, **env: str) -> None:
        self.server = server
        self.tmp_path = tmp_path
        self.env = cli_env(server, tmp_path, **env)

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(build_app(), list(args), env=self.env, input=input)

    def ok(self, *args: str, input: str | None = None) -> Result:
        """Run and require exit 0."""
        result = self(*args, input=input)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        """Run with ``-o json`` and parse stdout."""
        return json.loads(self.ok(*args, "-o", "json").stdout)

    def fails(self, code: int, *args: str, input: str | None = None) -> Result:
        """Run and require exit ``code``."""
        result = self(*args, input=input)
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
        return result

    def write(self, name: str, data: Any) -> str:
        """Write ``data`` (JSON, or text as is) to a file in the test's directory."""
        path = self.tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(path)


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
