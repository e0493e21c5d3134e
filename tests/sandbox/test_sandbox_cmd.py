"""`ofsc sandbox serve|reset|status` and the built-in `sandbox` profile, end to end."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest


def ofsc(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ofsc_cli", *args], env=env, capture_output=True, text=True
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OFSC_")}
    clean["OFSC_CONFIG"] = str(tmp_path / "config.toml")
    clean["OFSC_SANDBOX_DB"] = str(tmp_path / "sandbox.db")
    return clean


def test_sandbox_profile_works_without_config_file(env: dict[str, str]) -> None:
    result = ofsc("-p", "sandbox", "metadata", "work-zones", "list", "-o", "json", env=env)
    assert result.returncode == 0, result.stderr
    zones = json.loads(result.stdout)
    assert len(zones) >= 20
    assert all("workZoneLabel" in z for z in zones)
    # writes persist between invocations: same file, same data
    again = ofsc("metadata", "work-zones", "list", "-p", "sandbox", "-o", "json", env=env)
    assert json.loads(again.stdout) == zones


def test_reset_and_status(env: dict[str, str]) -> None:
    reset = ofsc("sandbox", "reset", "--scale", "0.2", "--seed", "7", "-o", "json", env=env)
    assert reset.returncode == 0, reset.stderr
    counts = {row["collection"]: row["count"] for row in json.loads(reset.stdout)}
    assert counts["activities"] == 1000
    status = ofsc("sandbox", "status", "-o", "json", env=env)
    data = json.loads(status.stdout)
    assert data["path"] == env["OFSC_SANDBOX_DB"]
    assert data["seed"] == 7
    assert data["counts"]["activities"] == 1000


def test_corrupt_database_names_file_and_reset(env: dict[str, str]) -> None:
    Path(env["OFSC_SANDBOX_DB"]).write_bytes(b"not a database at all" * 100)
    result = ofsc("-p", "sandbox", "metadata", "work-zones", "list", env=env)
    assert result.returncode == 3
    assert env["OFSC_SANDBOX_DB"] in result.stderr
    assert "ofsc sandbox reset" in result.stderr
    assert "Traceback" not in result.stderr
    assert ofsc("sandbox", "reset", "--scale", "0.1", env=env).returncode == 0
    assert ofsc("-p", "sandbox", "metadata", "work-zones", "list", env=env).returncode == 0


@pytest.mark.parametrize("strict", [False, True], ids=["live", "strict"])
def test_serve_over_http_logs_requests_and_stops_on_ctrl_c(
    env: dict[str, str], strict: bool
) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ofsc_cli",
            "sandbox",
            "serve",
            "--port",
            "0",
            *(["--strict"] if strict else []),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert match, line
        url = match.group(0)
        response = httpx.get(
            f"{url}/rest/ofscMetadata/v1/workZones", auth=("demo@sandbox", "demo-secret")
        )
        assert response.status_code == 200
        assert response.json()["totalResults"] >= 20
        unknown = httpx.get(
            f"{url}/rest/ofscMetadata/v1/workZones?colour=red", auth=("demo@sandbox", "demo-secret")
        )
        # A live tenant ignores an unknown parameter; strict mode names it in a 400.
        assert unknown.status_code == (400 if strict else 200)
        assert ("colour" in unknown.json().get("detail", "")) is strict
        denied = httpx.get(f"{url}/rest/ofscMetadata/v1/workZones", auth=("demo@sandbox", "x"))
        assert denied.status_code == 401
        assert denied.json()["status"] == "401"
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "GET /rest/ofscMetadata/v1/workZones 200" in err
    assert "Traceback" not in err
    assert out == ""


def test_sandbox_profile_is_strict_with_ofsc_sandbox_strict(env: dict[str, str]) -> None:
    # An unknown query parameter: a live tenant ignores it, strict mode names it in a 400.
    args = ("-p", "sandbox", "api", "GET", "/ofscMetadata/v1/workZones", "-f", "colour=red")
    live = ofsc(*args, "--no-validate", "-o", "json", env=env)
    assert live.returncode == 0, live.stderr
    strict = ofsc(*args, "--no-validate", "-o", "json", env={**env, "OFSC_SANDBOX_STRICT": "1"})
    assert strict.returncode == 1, strict.stderr
    assert "strict mode" in strict.stderr and "colour" in strict.stderr
