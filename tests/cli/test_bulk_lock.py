"""One run at a time per bulk journal (issue 9, item 2).

:func:`plan_bulk` takes the journal's exclusive lock before reading it and the run lets it go;
a second run meanwhile is refused at once, naming the first (pid, start time), and changes
nothing.  The overlapping-runs test runs the first ``ofsc`` in a subprocess whose batches the
served emulator holds back until the second, in-process run has been refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from served_cli import Cli, cli_env, seed_resources

from ofsc_cli.client import bulk as bj
from ofsc_cli.sandbox import ServerHandle
from ofsc_cli.sandbox.store import sub

_RESOURCES = "POST /rest/ofscCore/v1/resources/custom-actions"
ZONES = bj.bulk_specs()[f"{_RESOURCES}/bulkUpdateWorkZones"]
SCHEDULES_OP = f"{_RESOURCES}/bulkUpdateWorkSchedules"


def zones_input(tmp_path: Path, count: int = 4) -> Path:
    path = tmp_path / "zones.ndjson"
    rows = [
        {"resourceId": f"T{i}", "workZones": [{"workZone": "Z", "startDate": "2026-12-01"}]}
        for i in range(count)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def send(payload: Any) -> dict[str, Any]:
    return {"results": [{"resourceId": i["resourceId"], "itemsUpdated": 1} for i in payload]}


def plan(path: Path, **options: Any) -> bj.BulkPlan:
    return bj.plan_bulk(ZONES, path, operation="POST /zones", batch_size=2, **options)


def files(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


# -- the library ------------------------------------------------------------------------------


def test_a_second_plan_of_a_held_journal_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    path = zones_input(tmp_path)
    first = plan(path)
    journal = bj.default_journal_path(path)
    with pytest.raises(bj.JournalBusyError) as info:
        plan(path)
    message = str(info.value)
    assert f"pid {os.getpid()}" in message and "started " in message
    assert str(journal) in message and "\n" not in message
    assert info.value.holder is not None and info.value.holder["pid"] == os.getpid()
    assert not journal.exists()  # the refused plan wrote nothing
    report = first.run(send)
    assert report.sent == 2
    assert first.lock is not None and not first.lock.held  # the run let the lock go
    with plan(path) as again:  # and the next run may go on
        assert again.pending_batches == 0
    assert files(tmp_path) == {"zones.ndjson", "zones.ndjson.journal", "zones.ndjson.journal.lock"}


def test_a_plan_that_is_not_run_lets_the_lock_go_when_closed(tmp_path: Path) -> None:
    path = zones_input(tmp_path)
    with plan(path) as dry:
        assert dry.lock is not None and dry.lock.held
        assert json.loads(dry.lock.info_path.read_text())["pid"] == os.getpid()
        with pytest.raises(bj.JournalBusyError):
            plan(path, restart=True)
    assert files(tmp_path) == {"zones.ndjson"}  # no journal, no lock file left behind
    with pytest.raises(bj.BulkJournalError, match="was closed"):
        dry.run(send)
    assert plan(path).run(send).sent == 2


def test_refused_input_or_journal_leaves_no_lock_behind(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ndjson"
    bad.write_text('{"resourceId": "T1"}\n', encoding="utf-8")
    with pytest.raises(bj.BulkInputError):
        plan(bad)
    path = zones_input(tmp_path)
    plan(path).run(send)
    with pytest.raises(bj.BulkJournalError, match="another operation"):
        bj.plan_bulk(ZONES, path, operation="POST /other")
    assert files(tmp_path) == {
        "bad.ndjson",
        "zones.ndjson",
        "zones.ndjson.journal",
        "zones.ndjson.journal.lock",
    }
    plan(path).close()  # the refusal let the lock go


def test_a_lock_whose_holder_died_is_taken_over(tmp_path: Path) -> None:
    path = zones_input(tmp_path)
    journal = bj.default_journal_path(path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from ofsc_cli.client.bulk import "
            "JournalLock; lock = JournalLock(Path(sys.argv[1])); lock.acquire(); "
            "print('held', flush=True); time.sleep(60)",
            str(journal),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(bj.JournalBusyError, match=f"pid {holder.pid}"):
            plan(path)
    finally:
        holder.kill()  # dies holding the lock: the system lets it go
        holder.wait(10)
        if holder.stdout is not None:
            holder.stdout.close()
    assert plan(path).run(send).sent == 2


# -- two overlapping command runs ---------------------------------------------------------------


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    return make_sandbox_server()


def holidays(tmp_path: Path, rids: list[str]) -> Path:
    rows = [
        {
            "resourceId": rid,
            "workSchedules": [
                {
                    "recordType": "non-working",
                    "startDate": "2026-12-24",
                    "endDate": "2026-12-26",
                    "nonWorkingReason": "VACATION",
                    "comments": "locked-holiday",
                }
            ],
        }
        for rid in rids
    ]
    path = tmp_path / "holidays.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def applied(server: ServerHandle, rids: list[str]) -> dict[str, int]:
    store = server.emulator.store
    return {
        rid: sum(
            1
            for item in store.items(sub("resourceWorkSchedules", rid))
            if item.get("comments") == "locked-holiday"
        )
        for rid in rids
    }


def test_two_overlapping_runs_on_one_journal_apply_every_record_once(
    server: ServerHandle, tmp_path: Path
) -> None:
    rids = seed_resources(server, 12)
    path = holidays(tmp_path, rids)
    journal = bj.default_journal_path(path)
    emulator = server.emulator
    real = emulator.handle
    in_flight, go_on = threading.Event(), threading.Event()

    def held_back(request: Any) -> Any:
        if request.path.endswith("bulkUpdateWorkSchedules") and not go_on.is_set():
            in_flight.set()
            go_on.wait(30)
        return real(request)

    emulator.handle = held_back  # type: ignore[method-assign]
    args = ["core", "resources", "bulk-update-work-schedules", "--file", str(path)]
    args += ["--batch-size", "4", "-o", "json"]
    env = {k: v for k, v in os.environ.items() if k != "OFSC_PROFILE"}
    env.update({k: v for k, v in cli_env(server, tmp_path).items() if v is not None})
    first = subprocess.Popen(
        [sys.executable, "-m", "ofsc_cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert in_flight.wait(30), "the first run sent no batch"
        before = journal.read_bytes()
        requests = emulator.stats["requests"]
        second = Cli(server, tmp_path)(*args)
        assert second.exit_code == 2, (second.stdout, second.stderr)
        assert second.stdout == ""
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in second.stderr
        assert f"pid {first.pid}" in lines[0] and "started " in lines[0]
        assert "in use by another run" in lines[0]
        assert journal.read_bytes() == before  # the refused run changed nothing
        assert emulator.stats["requests"] == requests  # and sent nothing
    finally:
        go_on.set()
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert len(json.loads(out)) == 12
    assert applied(server, rids) == dict.fromkeys(rids, 1)
    assert emulator.request_counts[SCHEDULES_OP] == 3  # 12 records, 4 per batch, each once
    emulator.handle = real  # type: ignore[method-assign]
    third = Cli(server, tmp_path).ok(*args)  # once the first is over, the journal is free
    assert "already applied" in third.stderr
    assert applied(server, rids) == dict.fromkeys(rids, 1)
    assert not journal.with_name(journal.name + ".lock.json").exists()
