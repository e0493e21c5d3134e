"""Ctrl-C during an export: exit 130, one line on stderr ("ofsc: interrupted"), no asyncio
noise ("Task was destroyed but it is pending!", "exception was never retrieved"), only whole
data on stdout, and no file of a metadata export half-written.

Each command runs as a real process against an emulator served by this test with latency
on every request, and gets SIGINT once its requests have reached the emulator.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from served_cli import TEST_TODAY, Cli, cli_env

from ofsc_cli.sandbox import Faults, ServerHandle

REPO_ROOT = Path(__file__).resolve().parents[2]
# The child takes Ctrl-C as KeyboardInterrupt even when started with SIGINT ignored (as
# background jobs of a non-interactive shell are).
CHILD = (
    "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from ofsc_cli.cli.main import main; main()"
)
LATENCY = 1.0
DAYS = [(TEST_TODAY + dt.timedelta(days=n)).isoformat() for n in (-2, 5)]

COMMANDS = {
    "activities": (
        "core", "activities", "list", "--resources", "ROOT", "--date-from", DAYS[0],
        "--date-to", DAYS[1], "--all", "-o", "ndjson",
    ),
    "resources": ("core", "resources", "list", "--all", "-o", "ndjson"),
    "metadata-export": ("metadata", "export", "cfg"),
}  # fmt: skip


def interrupt(server: ServerHandle, tmp_path: Path, argv: tuple[str, ...]) -> tuple[int, str, str]:
    """Run ``ofsc argv`` in ``tmp_path``, SIGINT it once it has sent a request."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFSC_")}
    env.update({k: v for k, v in cli_env(server, tmp_path).items() if v is not None})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    before = server.emulator.stats["requests"]
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, *argv],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while server.emulator.stats["requests"] == before and proc.poll() is None:
            assert time.monotonic() < deadline, "the command sent no request"
            time.sleep(0.02)
        time.sleep(0.1)  # the requests are now waiting out the latency
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


@pytest.mark.parametrize("name", list(COMMANDS))
def test_ctrl_c_during_an_export_is_quiet_and_exits_130(
    name: str, make_sandbox_server: object, sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    slow: ServerHandle = make_sandbox_server(faults=Faults(latency=LATENCY))  # type: ignore[operator]
    cfg = tmp_path / "cfg"
    previous: dict[str, bytes] = {}
    if name == "metadata-export":  # a previous export that the interrupted one must not touch
        Cli(sandbox_server, tmp_path).ok("metadata", "export", str(cfg), "--only", "shifts")
        previous = {str(p.relative_to(cfg)): p.read_bytes() for p in cfg.rglob("*") if p.is_file()}
    code, out, err = interrupt(slow, tmp_path, COMMANDS[name])
    assert code == 130, (code, err)
    assert err == "ofsc: interrupted\n", err
    for line in out.splitlines():
        json.loads(line)  # whole items only
    if name == "metadata-export":
        after = {str(p.relative_to(cfg)): p.read_bytes() for p in cfg.rglob("*") if p.is_file()}
        assert after == previous


def test_the_bridge_lets_no_task_outlive_its_loop(caplog: pytest.LogCaptureFixture) -> None:
    """Closed early (Ctrl-C in the consumer), the bridge cancels what the source left running
    and waits for it: tasks cancelled but not awaited (as a window of pages fetched ahead is),
    whose clean-up takes a few turns of the loop or fails, end before the loop is closed."""
    import asyncio
    import gc
    import itertools

    from ofsc_cli.cli._bridge import iterate_async

    started: list[asyncio.Task[None]] = []

    async def fetch(fail: bool) -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            for _ in range(5):  # closing a connection takes a few turns
                await asyncio.sleep(0)
            if fail:
                raise RuntimeError("connection reset during clean-up") from None
            raise

    async def source() -> AsyncIterator[int]:
        started.extend(asyncio.create_task(fetch(fail=n == 0)) for n in range(3))
        try:
            for n in itertools.count():
                yield n
                await asyncio.sleep(0)
        finally:
            for task in started:
                task.cancel()  # cancelled, not awaited

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        items = iterate_async(source, buffer=2)
        assert next(items) == 0
        items.close()
        gc.collect()
    assert len(started) == 3 and all(task.done() for task in started)
    assert not [r for r in caplog.records if r.name == "asyncio"], caplog.text


def test_the_served_emulator_says_nothing_when_a_client_goes_away(
    make_sandbox_server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    """An interrupted client closes its connection mid-request: the server's write then
    fails (broken pipe, reset), which is routine and prints no traceback."""
    import socket
    import struct

    server: ServerHandle = make_sandbox_server(faults=Faults(latency=0.2))  # type: ignore[operator]
    for _ in range(3):
        before = server.emulator.stats["requests"]
        conn = socket.create_connection((server.host, server.port))
        conn.sendall(b"GET /rest/ofscCore/v1/resources HTTP/1.1\r\nHost: x\r\n\r\n")
        while server.emulator.stats["requests"] == before:
            time.sleep(0.01)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()  # a reset: the answer written after the latency meets a closed socket
    time.sleep(0.5)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Exception occurred" not in err, err
