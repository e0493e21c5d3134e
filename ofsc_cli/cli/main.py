"""The ``ofsc`` command: the root app, lazy command groups and the error edge.

``ofsc --version`` is answered before typer is imported.  Groups are imported only when
they run (``--help`` lists them from the table below without importing them).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["GROUPS", "main"]

# name -> (module, one-line help).  Each module defines a ``typer.Typer`` named ``app``.
GROUPS: dict[str, tuple[str, str]] = {
    "core": ("ofsc_cli.cli.core", "Activities, resources, users, inventories, events, extracts."),
    "metadata": ("ofsc_cli.cli.metadata", "Configuration objects: work zones, skills, properties…"),
    "capacity": ("ofsc_cli.cli.capacity", "Available capacity, quotas and booking."),
    "statistics": ("ofsc_cli.cli.statistics", "Activity duration and travel statistics."),
    "parts-catalog": ("ofsc_cli.cli.parts_catalog", "Parts catalogs and their items."),
    "collaboration": ("ofsc_cli.cli.collaboration", "Address book and chats."),
    "auth": ("ofsc_cli.cli.auth_cmd", "Check credentials and get tokens."),
    "config": ("ofsc_cli.cli.config_cmd", "Manage profiles in config.toml."),
    "audit": ("ofsc_cli.cli.audit_cmd", "Read the audit log of writes."),
    "api": ("ofsc_cli.cli.api_cmd", "Send any API request (like `gh api`)."),
    "sandbox": ("ofsc_cli.cli.sandbox_cmd", "The embedded OFS emulator."),
    "plugins": ("ofsc_cli.cli.plugins_cmd", "Installed plugins and their status."),
}


def _version() -> str:
    from ofsc_cli._version import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"] or (args and args[0] == "--version" and len(args) == 1):
        sys.stdout.write(f"ofsc {_version()}\n")
        return
    # Plain help and usage errors: typer's rich formatter costs ~60 ms of imports per run.
    os.environ.setdefault("TYPER_USE_RICH", "0")
    # No pydantic plugins in the command: looking for them scans the metadata of every
    # installed distribution the first time a model is used (a few ms per run).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        from ofsc_cli.cli._app import build_app

        build_app()(args=args, prog_name="ofsc")
    except KeyboardInterrupt:
        # Ctrl-C outside a command (during start-up, or just after it finished): no traceback.
        sys.stderr.write("ofsc: interrupted\n")
        raise SystemExit(130) from None


def run(argv: Sequence[str]) -> Any:  # pragma: no cover - thin alias for `python -m`
    return main(argv)
