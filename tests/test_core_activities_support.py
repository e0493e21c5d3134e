"""Helpers shared by the ``test_core_activities_*`` modules (this module has no tests): the
command and the clients over a served emulator (see :mod:`served_cli`)."""

from __future__ import annotations

from pathlib import Path

from served_cli import Cli, async_client, sync_client

from ofsc_cli.sandbox import ServerHandle

__all__ = ["Cli", "async_client", "make_cli", "sync_client"]


def make_cli(server: ServerHandle, tmp_path: Path) -> Cli:
    return Cli(server, tmp_path)
