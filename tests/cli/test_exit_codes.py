"""Exit codes that say one thing each: a declined confirmation (8) and differences found (7,
in test_metadata_migrate.py) are not API errors (1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from served_cli import cli_env, sync_client
from typer.testing import CliRunner

from ofsc_cli.cli import context
from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.errors import EXIT_CANCELLED, EXIT_DIFFERENCES
from ofsc_cli.sandbox import ServerHandle


def test_the_codes_are_distinct() -> None:
    assert len({0, 1, 2, 3, 4, 5, 6, EXIT_DIFFERENCES, EXIT_CANCELLED, 130}) == 10


@pytest.mark.parametrize(("answer", "code"), [("n\n", EXIT_CANCELLED), ("\n", EXIT_CANCELLED)])
def test_a_declined_confirmation_says_cancelled_and_changes_nothing(
    make_sandbox_server: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
) -> None:
    server: ServerHandle = make_sandbox_server()  # type: ignore[operator]
    monkeypatch.setattr(context, "_isatty", lambda stream: True)  # a terminal: it asks
    obj = AppContext(stderr_is_tty=True, client_factory=lambda o: sync_client(server))
    result = CliRunner().invoke(
        build_app(),
        ["metadata", "work-skills", "delete", "FIBER_REP"],
        obj=obj,
        input=answer,
        env=cli_env(server, tmp_path),
    )
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stderr.strip().endswith("cancelled")
    assert server.emulator.stats["writes"] == 0
    with sync_client(server) as client:
        assert client.metadata.get_work_skill("FIBER_REP").label == "FIBER_REP"


def test_help_lists_every_code() -> None:
    result = CliRunner().invoke(build_app(), ["--help"])
    assert "7 differences found" in result.stdout and "8 cancelled" in result.stdout
