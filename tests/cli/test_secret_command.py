"""``client_secret_command`` runs in its own process group; on a timeout the whole group is
killed, so no orphan survives or keeps our pipes open (issue 9, item 7)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest
from served_cli import Cli

from ofsc_cli.config import settings as settings_mod
from ofsc_cli.sandbox import ServerHandle

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie nobody reaped yet counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def gone_soon(pid: int, within: float = 3.0) -> bool:
    deadline = time.monotonic() + within
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.mark.parametrize(
    "command",
    [
        # A grandchild in the background and one in the foreground, both holding our stdout
        # pipe: killing only the shell left the read waiting for them (30 s).
        "sh -c 'sleep 30 & echo $! > {pids}; sleep 30'",
        # A background child that let go of the pipes: the read ended, the orphan lived on.
        "sleep 30 </dev/null >/dev/null 2>&1 & echo $! > {pids}; exec sleep 30",
    ],
    ids=["holding-the-pipe", "detached-from-the-pipe"],
)
def test_a_timed_out_secret_command_leaves_no_process_behind(
    command: str, sandbox_server: ServerHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings_mod, "SECRET_COMMAND_TIMEOUT", 0.5)
    pids = tmp_path / "pids"
    (tmp_path / "config.toml").write_text(
        '[profiles.p]\ninstance = "sandbox"\nclient_id = "demo"\n'
        f"client_secret_command = {json.dumps(command.format(pids=pids))}\n",
        encoding="utf-8",
    )
    cli = Cli(sandbox_server, tmp_path, OFSC_PROFILE="p")
    cli.env["OFSC_CLIENT_SECRET"] = None
    started = time.monotonic()
    result = cli("auth", "test")
    elapsed = time.monotonic() - started
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert "timed out after 0.5 s" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert elapsed < 10, f"waited {elapsed:.1f} s for the command's children"
    child = int(pids.read_text())
    assert gone_soon(child), f"the secret command's child {child} survived the timeout"
