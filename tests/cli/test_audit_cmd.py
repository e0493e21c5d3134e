"""The audit log from the command line, over real HTTP to the served emulator: turned on by
``--audit-log``, ``OFSC_AUDIT_LOG`` or the profile key; one line per write command, none for
reads; failures; file problems as exit 3; and ``ofsc audit show``."""

from __future__ import annotations

import hashlib
import io
import json
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from served_cli import Cli, make_cli, sync_client

from ofsc_cli.cli.audit_cmd import parse_since
from ofsc_cli.cli.context import AppContext
from ofsc_cli.errors import UsageError
from ofsc_cli.sandbox import ServerHandle

PENDING = "4200017"
CANARY = "cli-audit-canary-51f0"


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    return make_sandbox_server()


@pytest.fixture
def cli(server: ServerHandle, tmp_path: Path) -> Cli:
    return make_cli(server, tmp_path)


@pytest.fixture
def bodies(server: ServerHandle, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    """``(method, raw body)`` of every request the served emulator receives."""
    seen: list[tuple[str, bytes]] = []
    handle = server.emulator.handle

    def recording(request: Any) -> Any:
        seen.append((request.method, bytes(request.body)))
        return handle(request)

    monkeypatch.setattr(server.emulator, "handle", recording)
    return seen


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def zone_file(cli: Cli, label: str, name: str = "Audited") -> str:
    body = {
        "workZoneLabel": label,
        "workZoneName": name,
        "status": "active",
        "travelArea": "north",
        "keys": ["98765"],
    }
    return cli.write(f"{label}.json", body)


def test_each_write_command_is_one_line_reads_none(
    cli: Cli, bodies: list[tuple[str, bytes]], tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    flag = ("--audit-log", str(log))
    cli.ok(*flag, "metadata", "work-zones", "list")
    cli.ok(*flag, "metadata", "work-zones", "create", "--file", zone_file(cli, "AUD_Z", CANARY))
    cli.ok(*flag, "metadata", "work-zones", "get", "AUD_Z")
    cli.ok(*flag, "metadata", "work-zones", "replace", "AUD_Z", "--file", zone_file(cli, "AUD_Z"))
    patch = cli.write("patch.json", {"job_notes": CANARY})
    cli.ok("core", "activities", "update", PENDING, "--file", patch, *flag)  # flag at the end
    cli.ok(*flag, "core", "activities", "delete", PENDING, "--yes")
    cli.ok(*flag, "core", "activities", "get", "4200018")
    cli.ok(
        *flag, "metadata", "work-zones", "create", "--file", zone_file(cli, "AUD_D"), "--dry-run"
    )
    lines = records(log)
    assert [(r["method"], r["status"], r["outcome"]) for r in lines] == [
        ("POST", 201, "ok"),
        ("PUT", 204, "ok"),
        ("PATCH", 200, "ok"),
        ("DELETE", 204, "ok"),
    ]
    sent = [(m, b) for m, b in bodies if m != "GET"]
    for line, (method, body) in zip(lines, sent, strict=True):
        assert line["method"] == method
        assert line["body_sha256"] == (hashlib.sha256(body).hexdigest() if body else None)
        assert line["instance"] == "sandbox" and line["client_id"] == "demo"
    assert lines[0]["path"] == "/rest/ofscMetadata/v1/workZones"
    assert lines[3]["path"] == f"/rest/ofscCore/v1/activities/{PENDING}"
    text = log.read_text(encoding="utf-8")
    assert CANARY not in text and "demo-secret" not in text


def test_failed_writes_are_audited(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    cli.fails(5, "--audit-log", str(log), "core", "activities", "delete", "999999999", "--yes")
    again = zone_file(cli, "MAPLE_RIDGE")
    cli.fails(1, "--audit-log", str(log), "metadata", "work-zones", "create", "--file", again)
    missing, conflict = records(log)
    assert (missing["status"], missing["outcome"], missing["error"]) == (
        404,
        "error",
        "OFSAPIError",
    )
    assert (conflict["status"], conflict["outcome"]) == (409, "error")


def test_a_connection_refused_is_audited_as_no_answer(server: ServerHandle, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "audit.jsonl"
    cli = Cli(server, tmp_path, OFSC_BASE_URL=f"http://127.0.0.1:{port}", OFSC_MAX_RETRIES="0")
    result = cli.fails(6, "--audit-log", str(log), "core", "activities", "delete", PENDING, "-y")
    assert "Traceback" not in result.stderr
    (line,) = records(log)
    assert (line["outcome"], line["status"], line["attempts"]) == ("no-answer", None, 1)


def test_the_env_var_and_the_profile_key_turn_it_on(
    server: ServerHandle, cli: Cli, tmp_path: Path
) -> None:
    by_env = tmp_path / "env.jsonl"
    cli.env["OFSC_AUDIT_LOG"] = str(by_env)
    cli.ok(
        "metadata", "work-zones", "replace", "MAPLE_RIDGE", "--file", zone_file(cli, "MAPLE_RIDGE")
    )
    assert [r["method"] for r in records(by_env)] == ["PUT"]
    del cli.env["OFSC_AUDIT_LOG"]
    (tmp_path / "config.toml").write_text(
        '[profiles.audited]\ninstance = "sandbox"\nclient_id = "demo"\n'
        'client_secret = "demo-secret"\nauth = "basic"\naudit_log = "~/profile.jsonl"\n'
    )
    cli.env["HOME"] = str(tmp_path)
    cli.ok("-p", "audited", "core", "activities", "delete", PENDING, "--yes")
    (line,) = records(tmp_path / "profile.jsonl")
    assert (line["profile"], line["method"]) == ("audited", "DELETE")
    shown = json.loads(cli.ok("audit", "show", "-p", "audited", "-o", "json").stdout)
    assert [r["method"] for r in shown] == ["DELETE"]


def test_file_problems_exit_3_before_anything_is_sent(
    server: ServerHandle, cli: Cli, tmp_path: Path
) -> None:
    before = len(server.emulator.write_log)
    missing = tmp_path / "nowhere" / "audit.jsonl"
    result = cli.fails(
        3, "--audit-log", str(missing), "core", "activities", "delete", PENDING, "--yes"
    )
    assert str(missing) in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr and len(server.emulator.write_log) == before
    loose = tmp_path / "loose.jsonl"
    loose.write_text("")
    loose.chmod(0o644)
    warned = cli.ok("--audit-log", str(loose), "core", "activities", "delete", PENDING, "--yes")
    assert "ofsc: warning: audit log" in warned.stderr and "chmod 600" in warned.stderr
    assert len(records(loose)) == 1


def test_a_lost_line_is_one_warning_line_in_the_cli(server: ServerHandle, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    err = io.StringIO()
    obj = AppContext(stderr_stream=err)
    client = obj.build_client(lambda: sync_client(server, audit_log=folder / "a.jsonl"))
    (folder / "a.jsonl").unlink()
    folder.rmdir()
    with client:
        client.core.delete_activity(PENDING)  # the result stands
    assert err.getvalue().startswith("ofsc: warning: audit log ")
    assert "could not record DELETE" in err.getvalue() and err.getvalue().count("\n") == 1


def test_a_multipart_upload_is_hashed_as_sent(
    cli: Cli, bodies: list[tuple[str, bytes]], tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    plugin = cli.write("plugin.xml", f'<plugins><plugin label="aud" note="{CANARY}"/></plugins>')
    cli.ok("--audit-log", str(log), "metadata", "plugins", "import", "--file", plugin)
    (line,) = records(log)
    ((_, body),) = [(m, b) for m, b in bodies if m == "POST"]
    assert CANARY.encode() in body
    assert line["body_sha256"] == hashlib.sha256(body).hexdigest()
    assert CANARY not in log.read_text(encoding="utf-8")


# -- ofsc audit show --------------------------------------------------------------------------


def _line(when: datetime, **fields: Any) -> str:
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    record = {
        "time": stamp,
        "profile": "test",
        "method": "PUT",
        "path": "/rest/x",
        "status": 200,
        "outcome": "ok",
        **fields,
    }
    return json.dumps(record) + "\n"


@pytest.fixture
def audit_file(tmp_path: Path) -> Path:
    now = datetime.now(UTC)
    path = tmp_path / "show.jsonl"
    path.write_text(
        _line(datetime(2025, 3, 1, 12, tzinfo=UTC), method="POST", path="/rest/old")
        + _line(now - timedelta(hours=3), method="DELETE", status=404, outcome="error")
        + _line(now - timedelta(minutes=5), profile="prod", path="/rest/recent")
        + '{"time": "2026-'  # a torn last line
    )
    return path


def test_show_reads_back_with_since_and_formats(cli: Cli, audit_file: Path) -> None:
    file = ("audit", "show", "--file", str(audit_file))
    every = cli.ok(*file, "-o", "json")
    assert [r["path"] for r in json.loads(every.stdout)] == ["/rest/old", "/rest/x", "/rest/recent"]
    assert "1 unreadable line" in every.stderr
    recent = json.loads(cli.ok(*file, "--since", "2h", "-o", "json").stdout)
    assert [r["path"] for r in recent] == ["/rest/recent"]
    from_day = json.loads(cli.ok(*file, "--since", "2025-06-01", "-o", "json").stdout)
    assert [r["method"] for r in from_day] == ["DELETE", "PUT"]
    table = cli.ok(*file, "-o", "table").stdout
    assert table.split()[:6] == ["time", "profile", "method", "path", "status", "outcome"]
    failed = json.loads(cli.ok(*file, "--failed", "-o", "json").stdout)
    assert [r["method"] for r in failed] == ["DELETE"]
    prod = cli.ok(*file, "--profile-filter", "prod", "--last", "5", "-o", "ndjson").stdout
    assert [json.loads(x)["path"] for x in prod.splitlines()] == ["/rest/recent"]
    last = json.loads(cli.ok(*file, "--last", "1", "-o", "json").stdout)
    assert [r["path"] for r in last] == ["/rest/recent"]
    csv = cli.ok(*file, "-o", "csv").stdout.splitlines()
    assert csv[0] == "time,profile,method,path,status,outcome" and len(csv) == 4


def test_show_errors(cli: Cli, tmp_path: Path) -> None:
    unset = cli.fails(3, "audit", "show")
    assert "no audit log" in unset.stderr and "--file" in unset.stderr
    bad = cli.fails(2, "audit", "show", "--file", str(tmp_path / "a"), "--since", "yesterday")
    assert "--since" in bad.stderr
    empty = cli.ok("audit", "show", "--file", str(tmp_path / "none.jsonl"), "-o", "json")
    assert json.loads(empty.stdout) == [] and "no audit log at" in empty.stderr
    via_flag = cli.ok("--audit-log", str(tmp_path / "none.jsonl"), "audit", "show", "-o", "json")
    assert json.loads(via_flag.stdout) == []


def test_parse_since() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert parse_since("90s", now=now) == now - timedelta(seconds=90)
    assert parse_since("2h", now=now) == now - timedelta(hours=2)
    assert parse_since("7d", now=now) == now - timedelta(days=7)
    assert parse_since("1w", now=now) == now - timedelta(weeks=1)
    assert parse_since("2026-12-01T09:30Z") == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    day = parse_since("2026-12-01")
    assert day.tzinfo is not None and (day.year, day.month, day.day, day.hour) == (2026, 12, 1, 0)
    for bad in ("yesterday", "2h ago", "-1d", "2026-13-01"):
        with pytest.raises(UsageError, match="--since"):
            parse_since(bad)
