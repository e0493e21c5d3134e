"""The command line's log (``-v``, ``-vv``, ``--debug``, ``--log-level``, ``--log-format``,
``--log-file``) over real HTTP against the served emulator: JSON lines parsed field by field,
stdout left to the data, retries with their attempt numbers, levels, the log file, and the
usage and configuration errors of bad values."""

from __future__ import annotations

import base64
import io
import json
import logging
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from served_cli import Cli, seed_resources

from ofsc_cli.sandbox import Faults, ServerHandle

RESOURCES = "GET /rest/ofscCore/v1/resources"
ZONES = ("metadata", "work-zones", "list")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
BASIC = base64.b64encode(b"demo@sandbox:demo-secret").decode()


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of ``text`` as JSON (fails on a line that is not)."""
    return [json.loads(line) for line in text.splitlines()]


def events(lines: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [line for line in lines if line["event"] == name]


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    return make_sandbox_server()


def test_json_log_of_an_export_has_every_field_and_stdout_only_the_data(
    server: ServerHandle, tmp_path: Path
) -> None:
    seed_resources(server, 160)
    expected = server.emulator.store.keys("resources")
    cli = Cli(server, tmp_path)
    result = cli.ok(
        "--log-format", "json", "--log-level", "info",
        "core", "resources", "list", "--all", "-o", "ndjson",
    )  # fmt: skip
    assert [json.loads(line)["resourceId"] for line in result.stdout.splitlines()] == expected
    lines = json_lines(result.stderr)
    responses = events(lines, "response")
    assert len(responses) == len(lines) == -(-len(expected) // 100)  # one per page, nothing else
    offsets = set()
    for line in responses:
        assert TIME.match(line["time"]) and line["level"] == "info"
        assert line["logger"] == "ofsc_cli.http"
        assert line["method"] == "GET" and line["status"] == 200 and line["reason"] == "OK"
        assert line["url"].startswith(f"{server.url}/rest/ofscCore/v1/resources?")
        assert isinstance(line["duration_ms"], int | float) and line["duration_ms"] >= 0
        assert line["attempt"] == 1 and line["operation"] == RESOURCES
        assert line["profile"] == "env" and line["request_id"] is None
        assert line["message"] == (
            f"GET {line['url']} → 200 OK ({line['message'].rsplit('(', 1)[1]}"
        )
        offsets.add(re.search(r"offset=(\d+)", line["url"]).group(1))  # type: ignore[union-attr]
    assert len(offsets) == len(responses)
    assert logging.getLogger("ofsc_cli").handlers == []  # taken off at exit


def test_secret_query_values_are_masked_in_the_log(server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(server, tmp_path)
    result = cli.fails(
        1, "--log-format", "json", "api", "GET", "/ofscMetadata/v1/workZones",
        "-f", "access_token=tok-123456", "--no-validate",
    )  # fmt: skip
    answered, final = json_lines(result.stderr)  # (the strict emulator refuses the parameter)
    assert answered["event"] == "response" and answered["status"] == 400
    assert answered["url"].endswith("/workZones?access_token=%2A%2A%2A%2A")
    assert answered["operation"] is None  # not a declared call
    assert final["event"] == "exit" and final["exit_code"] == 1
    assert "tok-123456" not in result.stderr


def test_verbose_is_info_and_twice_is_debug(server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(server, tmp_path)
    info = cli.ok("-v", *ZONES, "-o", "json").stderr
    assert re.search(r"^\d\d:\d\d:\d\d\.\d{3} info +GET http\S+/workZones\S* → 200 OK \(", info)
    assert "sending" not in info and "> " not in info
    debug = cli.ok("-vv", *ZONES, "-o", "json").stderr
    assert re.search(r"debug +sending GET http\S+/workZones\S* \(attempt 1\)", debug)
    assert "authorization" not in debug  # dumps only with --debug
    assert json.loads(cli.ok("-v", *ZONES, "-o", "json").stdout)


def test_debug_dumps_headers_and_bodies_masked(server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(server, tmp_path)
    result = cli.ok("--debug", *ZONES, "-o", "json")
    assert "> authorization: Basic ****" in result.stderr
    assert '< {"items": [' in result.stderr and "< content-type: application/json" in result.stderr
    assert "demo-secret" not in result.stderr and BASIC not in result.stderr
    dumps = events(json_lines(cli.ok("--debug", "--log-format", "json", *ZONES).stderr), "dump")
    assert [d["direction"] for d in dumps] == ["request", "response"]
    assert dumps[0]["headers"]["authorization"] == "Basic ****"
    assert dumps[1]["status"] == 200 and dumps[1]["body_bytes"] > 0


def test_retries_are_logged_once_with_their_attempt_numbers(
    make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    # The emulator refuses every second request with a 429 (Retry-After 0).
    server = make_sandbox_server(faults=Faults(rate_limit_every=2, rate_limit_burst=1))
    cli = Cli(server, tmp_path, OFSC_MAX_RETRY_DELAY="0")
    cli.ok(*ZONES)  # request 1
    lines = json_lines(cli.ok("--log-format", "json", *ZONES, "-o", "json").stderr)
    assert [(line["event"], line["attempt"]) for line in lines] == [
        ("response", 1),
        ("retry", 2),
        ("response", 2),
    ]
    refused, retry, answered = lines
    assert refused["status"] == 429 and refused["level"] == "warning"
    assert retry["level"] == "warning" and retry["max_attempts"] == 4
    assert retry["reason"] == "HTTP 429 Too Many Requests"
    assert (
        answered["status"] == 200 and answered["operation"] == "GET /rest/ofscMetadata/v1/workZones"
    )
    cli.ok(*ZONES)  # request 4 is refused: keep the rhythm
    text = cli.ok("-v", *ZONES, "-o", "json").stderr  # requests 5 and 6
    assert text.count("retrying GET") == 1 and "ofsc: retrying" not in text


def test_json_stderr_carries_the_final_error_as_json(server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(server, tmp_path)
    result = cli.fails(5, "--log-format", "json", "metadata", "work-zones", "get", "NO_SUCH")
    answered, final = json_lines(result.stderr)
    assert answered["status"] == 404 and answered["level"] == "warning"
    assert final["event"] == "exit" and final["exit_code"] == 5 and final["level"] == "error"
    assert final["message"].startswith("HTTP 404 GET /rest/ofscMetadata/v1/workZones/NO_SUCH")
    assert result.stdout == ""


def test_log_file_appends_json_lines_privately(server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(server, tmp_path)
    path = tmp_path / "logs" / "ofsc.jsonl"
    path.parent.mkdir()
    for _ in range(2):
        result = cli.ok("--log-file", str(path), "--log-format", "json", *ZONES, "-o", "json")
        assert result.stderr == "" and json.loads(result.stdout)
    assert [line["event"] for line in json_lines(path.read_text())] == ["response", "response"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    cli.ok("--log-file", str(path), *ZONES)  # text, dated
    last = path.read_text().splitlines()[-1]
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} info +GET ", last)


def test_log_file_in_a_missing_directory_exits_3_naming_it(
    server: ServerHandle, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "ofsc.log"
    result = Cli(server, tmp_path).fails(3, "--log-file", str(missing), *ZONES)
    assert str(missing) in result.stderr and str(missing.parent) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("option", "value", "choices"),
    [
        ("--log-level", "loud", "debug, info, warning, error"),
        ("--log-format", "xml", "text, json"),
    ],
)
def test_bad_values_exit_2_with_the_choices(
    server: ServerHandle, tmp_path: Path, option: str, value: str, choices: str
) -> None:
    result = Cli(server, tmp_path).fails(2, option, value, *ZONES)
    assert f"'{value}' is not one of {choices}" in result.stderr and option in result.stderr
    assert result.stdout == ""


def test_levels_filter_and_options_work_after_the_verb(
    server: ServerHandle, tmp_path: Path
) -> None:
    cli = Cli(server, tmp_path)
    assert cli.ok(*ZONES, "--log-level", "warning").stderr == ""
    result = cli.fails(5, "metadata", "work-zones", "get", "NO_SUCH", "--log-level", "WARNING")
    assert re.search(r"warning +GET \S+/NO_SUCH → 404 Not Found", result.stderr)
    assert cli.fails(5, "metadata", "work-zones", "get", "X", "--log-level", "error").stderr == (
        "ofsc: HTTP 404 GET /rest/ofscMetadata/v1/workZones/X: Not Found The work zone 'X' is"
        " not found.\n"
    )


def test_log_lines_are_written_above_a_progress_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    from ofsc_cli.cli._logging import configure_logging
    from ofsc_cli.cli.context import AppContext
    from ofsc_cli.output import progress

    terminal = io.StringIO()
    monkeypatch.setattr(sys, "stderr", terminal)
    setup = configure_logging(AppContext(verbose=1))
    try:
        with progress(3, "Exporting", enabled=True, color=False) as bar:
            for n in range(3):
                logging.getLogger("ofsc_cli.http").info("GET /page/%s → 200 OK (1 ms)", n)
                bar.advance(1)
    finally:
        setup.close()
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\r", "\n", terminal.getvalue()).splitlines()
    for n in range(3):  # each line whole, on its own line, not cut by the bar's redraws
        line = rf"^\d\d:\d\d:\d\d\.\d{{3}} info +GET /page/{n} → 200 OK \(1 ms\)$"
        assert sum(bool(re.match(line, text)) for text in shown) == 1, shown
