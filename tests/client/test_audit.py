"""The audit log of writes (:mod:`ofsc_cli.client.audit`) over real HTTP to the served
emulator: one line per write call (none for reads), its fields, the body's hash and never the
body, failures and retries, both clients, the file's mode and checks, parallel processes."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from served_cli import async_client, sync_client

from ofsc_cli.client import RetryPolicy
from ofsc_cli.client.audit import FIELDS, AuditLog, AuditReader
from ofsc_cli.client.middleware import CallNext
from ofsc_cli.errors import (
    OFSAPIError,
    OFSAuditWarning,
    OFSCircuitOpenError,
    OFSConfigurationError,
    OFSRetriesExhaustedError,
)
from ofsc_cli.sandbox import ServerHandle

ZONES = "/rest/ofscMetadata/v1/workZones"
SECRET_NOTE = "audit-canary-7c1d"  # a body value that must never reach the log
PENDING = "4200017"


def zone(label: str, **extra: Any) -> dict[str, Any]:
    return {
        "workZoneLabel": label,
        "workZoneName": f"Zone {label}",
        "status": "active",
        "travelArea": "north",
        "keys": [f"9{sum(map(ord, label)) % 10000:04d}"],  # no seed key starts with 9
        **extra,
    }


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    """A private served emulator (these tests write)."""
    return make_sandbox_server()


@pytest.fixture
def received(server: ServerHandle, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The requests the served emulator receives, as it parsed them (raw body included)."""
    seen: list[Any] = []
    handle = server.emulator.handle

    def recording(request: Any) -> Any:
        seen.append(request)
        return handle(request)

    monkeypatch.setattr(server.emulator, "handle", recording)
    return seen


def body_of(received: list[Any], method: str) -> bytes:
    (body,) = [r.body for r in received if r.method == method]
    return bytes(body)


def test_one_line_per_write_none_for_reads(
    server: ServerHandle, received: list[Any], tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    before = datetime.now(UTC) - timedelta(seconds=1)
    with sync_client(server, audit_log=log, profile="unit") as client:
        client.metadata.list_work_zones()
        client.metadata.get_work_zone("MAPLE_RIDGE")
        client.metadata.create_work_zone(
            zone("AUDIT_A", workZoneName=SECRET_NOTE), auto_resolve_conflicts=True
        )
        client.metadata.replace_work_zone("AUDIT_A", zone("AUDIT_A"))
        client.core.update_activity(PENDING, {"job_notes": SECRET_NOTE})
        client.core.delete_activity(PENDING)
        client.core.get_activity("4200018")
    records = lines(log)
    assert [(r["method"], r["status"], r["outcome"]) for r in records] == [
        ("POST", 201, "ok"),
        ("PUT", 204, "ok"),
        ("PATCH", 200, "ok"),
        ("DELETE", 204, "ok"),
    ]
    post, put, patch, delete = records
    for record in records:
        assert tuple(record) == FIELDS
        assert record["profile"] == "unit" and record["instance"] == "sandbox"
        assert record["client_id"] == "demo" and record["attempts"] == 1
        assert record["error"] is None and record["request_id"] is None
        assert record["duration_ms"] >= 0
        when = datetime.fromisoformat(record["time"].replace("Z", "+00:00"))
        assert before <= when <= datetime.now(UTC) and record["time"].endswith("Z")
    assert post["path"] == ZONES and post["query"] == "autoResolveConflicts=true"
    assert post["operation"] == f"POST {ZONES}"
    assert put["path"] == f"{ZONES}/AUDIT_A" and put["query"] is None
    assert patch["path"] == f"/rest/ofscCore/v1/activities/{PENDING}"
    assert patch["operation"] == "PATCH /rest/ofscCore/v1/activities/{activityId}"
    for record, method in ((post, "POST"), (put, "PUT"), (patch, "PATCH")):
        sent = body_of(received, method)
        assert record["body_sha256"] == hashlib.sha256(sent).hexdigest()
        assert record["body_bytes"] == len(sent)
    assert delete["body_sha256"] is None and delete["body_bytes"] == 0
    text = log.read_text(encoding="utf-8")
    assert SECRET_NOTE not in text  # the body is never written
    basic = base64.b64encode(b"demo@sandbox:demo-secret").decode()
    assert "demo-secret" not in text and basic not in text and "Authorization" not in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_failures_are_audited_and_raised_as_before(server: ServerHandle, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    with sync_client(server, audit_log=log) as client:
        with pytest.raises(OFSAPIError) as missing:
            client.core.delete_activity("999999999")
        assert missing.value.status_code == 404
        client.metadata.create_work_zone(zone("AUDIT_DUP"))
        with pytest.raises(OFSAPIError) as taken:
            client.metadata.create_work_zone(zone("AUDIT_DUP"))
        assert taken.value.status_code == 409
    gone, created, conflict = lines(log)
    assert (gone["status"], gone["outcome"], gone["error"]) == (404, "error", "OFSAPIError")
    assert created["outcome"] == "ok"
    assert (conflict["status"], conflict["outcome"], conflict["error"]) == (
        409,
        "error",
        "OFSAPIError",
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_connection_refused_is_no_answer_and_an_open_circuit_not_sent(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    base = f"http://127.0.0.1:{_closed_port()}"
    with _client_at(base, log) as client:
        with pytest.raises(OFSRetriesExhaustedError):
            client.metadata.replace_work_zone("AUDIT_X", zone("AUDIT_X"))
        with pytest.raises(OFSRetriesExhaustedError, match="circuit now open"):
            client.metadata.create_work_zone(zone("AUDIT_X"))  # 5 failures open the circuit
        with pytest.raises(OFSCircuitOpenError):
            client.core.delete_activity(PENDING)
    put, post, delete = lines(log)
    assert (put["outcome"], put["status"], put["attempts"]) == ("no-answer", None, 3)
    assert put["error"] == "OFSRetriesExhaustedError" and put["body_sha256"]
    assert (post["outcome"], post["attempts"]) == ("no-answer", 2)
    assert (delete["outcome"], delete["attempts"], delete["error"]) == (
        "not-sent",
        0,
        "OFSCircuitOpenError",
    )


def _client_at(base: str, log: Path) -> Any:
    from ofsc_cli.client import OFSC

    return OFSC(
        "sandbox",
        "demo",
        "demo-secret",
        base_url=base,
        audit_log=log,
        retry=RetryPolicy(max_attempts=3, backoff_base=0.0),
        sleep=lambda _s: None,
    )


def test_retries_make_one_line_with_the_attempts(server: ServerHandle, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    failures = iter([True, True])

    def flaky(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        if request.method == "PUT" and next(failures, False):
            return httpx.Response(503, request=request)
        return call_next(request)

    with sync_client(
        server,
        audit_log=log,
        middleware=[flaky],
        retry=RetryPolicy(max_attempts=4, backoff_base=0.0),
        sleep=lambda _s: None,
    ) as client:
        client.metadata.replace_work_zone("MAPLE_RIDGE", zone("MAPLE_RIDGE"))
    (record,) = lines(log)
    assert (record["attempts"], record["status"], record["outcome"]) == (3, 204, "ok")


def test_async_client_is_audited(server: ServerHandle, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"

    async def run() -> None:
        async with async_client(server, audit_log=log, profile="async") as client:
            await client.metadata.list_work_zones()
            await asyncio.gather(
                client.metadata.replace_work_zone("CEDAR_FALLS", zone("CEDAR_FALLS")),
                client.metadata.replace_work_zone("NORTHGATE", zone("NORTHGATE")),
            )
            with pytest.raises(OFSAPIError):
                await client.core.delete_activity("999999999")

    asyncio.run(run())
    records = lines(log)
    assert sorted(r["path"] for r in records[:2]) == [f"{ZONES}/CEDAR_FALLS", f"{ZONES}/NORTHGATE"]
    assert [(r["method"], r["outcome"]) for r in records] == [
        ("PUT", "ok"),
        ("PUT", "ok"),
        ("DELETE", "error"),
    ]
    assert {r["profile"] for r in records} == {"async"}


def test_multipart_upload_is_hashed_as_sent(
    server: ServerHandle, received: list[Any], tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    xml = f'<plugins><plugin label="audit_plugin" note="{SECRET_NOTE}"/></plugins>'
    with sync_client(server, audit_log=log) as client:
        client.metadata.import_plugin(xml.encode())
    (record,) = lines(log)
    sent = body_of(received, "POST")
    assert record["body_sha256"] == hashlib.sha256(sent).hexdigest()
    assert record["body_bytes"] == len(sent) and SECRET_NOTE.encode() in sent
    assert SECRET_NOTE not in log.read_text(encoding="utf-8")


def test_token_requests_are_not_audited(server: ServerHandle, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    with sync_client(server, audit_log=log, auth="oauth2") as client:
        client.oauth2.token_v2()  # a POST, but no data changes
        client.metadata.replace_work_zone(
            "MAPLE_RIDGE", zone("MAPLE_RIDGE")
        )  # fetches a token first
    (record,) = lines(log)
    assert record["method"] == "PUT" and record["outcome"] == "ok"
    assert "access_token" not in log.read_text(encoding="utf-8")


# -- the file ---------------------------------------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_created_0600_even_under_umask_000(
    server: ServerHandle, tmp_path: Path, open_umask: None
) -> None:
    log = tmp_path / "audit.jsonl"
    with sync_client(server, audit_log=log) as client:
        assert stat.S_IMODE(log.stat().st_mode) == 0o600  # made when the client is built
        client.metadata.replace_work_zone("MAPLE_RIDGE", zone("MAPLE_RIDGE"))
    assert stat.S_IMODE(log.stat().st_mode) == 0o600 and len(lines(log)) == 1


def test_an_open_existing_file_is_used_with_a_warning(server: ServerHandle, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    log.write_text("")
    log.chmod(0o644)
    with pytest.warns(OFSAuditWarning, match="other users.*0644.*chmod 600"):
        client = sync_client(server, audit_log=log)
    with client:
        client.metadata.replace_work_zone("MAPLE_RIDGE", zone("MAPLE_RIDGE"))
    assert len(lines(log)) == 1


def test_problems_with_the_file_are_found_when_the_client_is_built(
    server: ServerHandle, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-dir" / "audit.jsonl"
    with pytest.raises(OFSConfigurationError, match=r"no-such-dir.*does not exist"):
        sync_client(server, audit_log=missing)
    with pytest.raises(OFSConfigurationError, match="not a regular file"):
        sync_client(server, audit_log=tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OFSConfigurationError, match="fifo"):  # refused, without blocking
        sync_client(server, audit_log=fifo)


def test_a_line_that_cannot_be_written_warns_and_the_result_stands(
    server: ServerHandle, tmp_path: Path
) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    log = folder / "audit.jsonl"
    with sync_client(server, audit_log=log) as client:
        log.unlink()
        folder.rmdir()  # the directory went away mid-run
        with pytest.warns(OFSAuditWarning, match=r"could not record PUT .*PINE_HOLLOW \(204\)"):
            client.metadata.replace_work_zone("PINE_HOLLOW", zone("PINE_HOLLOW", workZoneName="G"))
        assert client.audit is not None and client.audit.failures == 1
        told: list[str] = []
        client.audit.on_error = told.append
        client.core.delete_activity(PENDING)
        assert len(told) == 1 and "DELETE" in told[0]
    assert server.emulator.store.get("workZones", "PINE_HOLLOW")["workZoneName"] == "G"


def test_parallel_processes_never_interleave(server: ServerHandle, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    script = textwrap.dedent(
        """
        import sys
        from ofsc_cli.client import OFSC
        url, log, worker = sys.argv[1], sys.argv[2], sys.argv[3]
        body = {"workZoneLabel": "", "workZoneName": "x", "status": "active",
                "travelArea": "north", "keys": ["77001"]}
        with OFSC("sandbox", "demo", "demo-secret", base_url=url, audit_log=log) as client:
            for i in range(25):
                label = f"PAR_{worker}_{i}"
                # every other line is long (> PIPE_BUF): a query the server refuses
                params = {"pad": "x" * 6000} if i % 2 else None
                client.send(client.http.build_request(
                    "PUT", f"/rest/ofscMetadata/v1/workZones/{label}",
                    json={**body, "workZoneLabel": label}, params=params))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, server.url, str(log), str(n)])
        for n in range(4)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    raw = log.read_bytes().splitlines()
    records = [json.loads(line) for line in raw]
    assert len(records) == 100
    assert {r["path"].rsplit("/", 1)[1] for r in records} == {
        f"PAR_{w}_{i}" for w in range(4) for i in range(25)
    }
    assert sum(len(line) > 4096 for line in raw) == 48  # 12 long lines per worker


def test_reader_skips_torn_lines_and_filters_by_time(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    old = {"time": "2026-01-01T00:00:00.000Z", "method": "PUT"}
    new = {"time": "2026-06-01T00:00:00.000Z", "method": "POST"}
    log.write_text(json.dumps(old) + "\nnot json\n" + json.dumps(new) + '\n{"time": "2026-0')
    reader = AuditReader(log)
    assert [r["method"] for r in reader] == ["PUT", "POST"] and reader.unreadable == 2
    since = AuditReader(log, since=datetime(2026, 3, 1, tzinfo=UTC))
    assert [r["method"] for r in since] == ["POST"]
    assert list(AuditReader(tmp_path / "none.jsonl")) == []


def test_an_audit_log_object_is_a_layer_of_both_clients(tmp_path: Path) -> None:
    layer = AuditLog(tmp_path / "a.jsonl", profile="p")
    assert callable(layer) and asyncio.iscoroutinefunction(layer.handle_async)
    assert repr(layer).endswith("a.jsonl')")
