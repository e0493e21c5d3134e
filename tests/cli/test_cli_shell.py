"""The CLI shell: global options anywhere, output modes, exit codes, errors, layering."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ofsc_cli.cli._app import build_app
from ofsc_cli.cli._globals import FLAG_OPTIONS, VALUE_OPTIONS, hoist_global_options
from ofsc_cli.cli.context import AppContext
from ofsc_cli.client import OFSC

ROOT = Path(__file__).resolve().parents[2]
SECRET = "top-secret-value"
ZONES = [
    {"workZoneLabel": f"Z{i}", "workZoneName": f"Zone {i}", "status": "active", "keys": [f"1{i}"]}
    for i in range(3)
]


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("OFSC_"):
            monkeypatch.delenv(name)
    path = tmp_path / "config.toml"
    monkeypatch.setenv("OFSC_CONFIG", str(path))
    return path


def zones_handler(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/workZones"):
        return httpx.Response(
            200, json={"items": ZONES, "totalResults": 3, "offset": 0, "limit": 100}
        )
    label = path.rsplit("/", 1)[-1]
    for zone in ZONES:
        if zone["workZoneLabel"] == label:
            return httpx.Response(200, json=zone)
    body = {"type": "about:blank", "title": "Not Found", "status": "404", "detail": label}
    return httpx.Response(404, json=body)


def run(
    args: list[str],
    handler: Callable[[httpx.Request], httpx.Response] = zones_handler,
    *,
    tty: bool = False,
    **obj_kw: Any,
) -> Any:
    def factory(obj: AppContext) -> OFSC:
        return OFSC("acme", "cli", SECRET, transport=httpx.MockTransport(handler), max_retries=0)

    obj = AppContext(client_factory=factory, stdout_is_tty=tty, stderr_is_tty=False, **obj_kw)
    return CliRunner().invoke(build_app(), args, obj=obj)


# -- global options -----------------------------------------------------------------------


def test_global_options_after_the_verb_are_hoisted() -> None:
    args = ["metadata", "work-zones", "list", "-p", "test", "-o", "json", "--fields=a,b", "-v"]
    assert hoist_global_options(args) == [
        "-p",
        "test",
        "-o",
        "json",
        "--fields=a,b",
        "-v",
        "metadata",
        "work-zones",
        "list",
    ]
    assert hoist_global_options(["api", "GET", "/x", "--", "-p", "x"]) == [
        "api",
        "GET",
        "/x",
        "--",
        "-p",
        "x",
    ]
    assert hoist_global_options(["-ojson", "config", "list"]) == ["-ojson", "config", "list"]


words = st.sampled_from(["metadata", "work-zones", "list", "get", "X", "--all", "-f", "a=1"])


@given(st.lists(words), st.lists(st.sampled_from(sorted(FLAG_OPTIONS))))
def test_hoisting_keeps_every_argument_and_relative_order(cmd: list[str], flags: list[str]) -> None:
    mixed = [*cmd[:1], *flags, *cmd[1:]]
    out = hoist_global_options(mixed)
    assert sorted(out) == sorted(mixed)
    assert out[: len(flags)] == flags
    assert [a for a in out if a not in FLAG_OPTIONS] == cmd


@given(st.lists(words), st.sampled_from(sorted(VALUE_OPTIONS)), st.text(min_size=1, max_size=5))
def test_value_options_move_with_their_value(cmd: list[str], opt: str, value: str) -> None:
    mixed = [*cmd, opt, value]
    out = hoist_global_options(mixed)
    assert out[:2] == [opt, value]
    assert out[2:] == cmd


def test_options_work_before_and_after() -> None:
    before = run(["-o", "json", "metadata", "work-zones", "list"])
    after = run(["metadata", "work-zones", "list", "-o", "json"])
    assert before.exit_code == after.exit_code == 0, before.output
    assert json.loads(before.stdout) == json.loads(after.stdout) == ZONES


# -- output modes -------------------------------------------------------------------------


def test_json_is_the_default_when_piped_and_items_not_envelope() -> None:
    result = run(["metadata", "work-zones", "list"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == ZONES


@pytest.mark.parametrize("fmt", ["ndjson", "csv", "yaml", "table"])
def test_other_formats(fmt: str) -> None:
    result = run(["metadata", "work-zones", "list", "-o", fmt, "--fields", "workZoneLabel,status"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "ndjson":
        assert [json.loads(line) for line in out.splitlines()] == [
            {"workZoneLabel": z["workZoneLabel"], "status": "active"} for z in ZONES
        ]
    elif fmt == "csv":
        assert out.splitlines() == ["workZoneLabel,status", "Z0,active", "Z1,active", "Z2,active"]
    elif fmt == "yaml":
        assert "- workZoneLabel: Z0\n  status: active" in out
    else:  # a table asked for while piped: tab-separated with a header
        assert out.splitlines()[0].split("\t") == ["workZoneLabel", "status"]


def test_table_on_a_tty_is_the_default() -> None:
    result = run(["metadata", "work-zones", "list"], tty=True)
    assert result.exit_code == 0
    assert "Work zone label" in result.stdout
    assert "Zone 1" in result.stdout


def test_invalid_output_format_is_a_usage_error() -> None:
    result = run(["-o", "xml", "metadata", "work-zones", "list"])
    assert result.exit_code == 2
    assert "invalid output format 'xml'" in result.output


# -- errors and exit codes ----------------------------------------------------------------


def test_not_found_exits_5_with_one_line_and_no_traceback() -> None:
    result = run(["metadata", "work-zones", "get", "NOPE"])
    assert result.exit_code == 5
    assert result.stdout == ""
    assert result.stderr.startswith("ofsc: HTTP 404 GET /rest/ofscMetadata/v1/workZones/NOPE")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_debug_shows_traceback_and_masks_credentials() -> None:
    result = run(["--debug", "metadata", "work-zones", "get", "NOPE"])
    assert result.exit_code == 5
    assert "Traceback" in result.stderr
    assert "authorization: Basic ****" in result.stderr
    assert SECRET not in result.stderr + result.stdout


def test_unauthorized_exits_4_naming_profile_and_auth_method() -> None:
    def deny(request: httpx.Request) -> httpx.Response:
        body = {"type": "about:blank", "title": "Unauthorized", "status": "401"}
        return httpx.Response(401, json=body)

    result = run(["metadata", "work-zones", "list"], deny, profile="prod")
    assert result.exit_code == 4
    assert "profile 'prod', auth basic" in result.stderr
    assert "ofsc auth test -p prod" in result.stderr


def test_connection_refused_exits_6() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused", request=request)

    result = run(["metadata", "work-zones", "list"], refuse)
    assert result.exit_code == 6
    assert "cannot reach server" in result.stderr


def test_timeout_exits_6() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    result = run(["metadata", "work-zones", "list"], slow)
    assert result.exit_code == 6
    assert "timed out" in result.stderr


def cli(args: list[str], env: dict[str, str] | None = None) -> Any:
    """The real CLI (real settings resolution), in-process."""
    return CliRunner().invoke(build_app(), args, env=env)


def test_no_config_and_no_env_is_a_configuration_error() -> None:
    result = cli(["metadata", "work-zones", "list"])
    assert result.exit_code == 3
    assert "no profile configured: run `ofsc config init`" in result.stderr


def test_unknown_profile_lists_known_ones(isolated_config: Path) -> None:
    isolated_config.write_text('[profiles.prod]\ninstance = "acme"\nclient_id = "x"\n')
    result = cli(["-p", "prd", "metadata", "work-zones", "list"])
    assert result.exit_code == 3
    assert "unknown profile 'prd'; known profiles: prod, sandbox" in result.stderr


def test_malformed_toml_names_file_line_and_column(isolated_config: Path) -> None:
    isolated_config.write_text('default_profile = "prod"\n[profiles.prod\n')
    result = cli(["metadata", "work-zones", "list"])
    assert result.exit_code == 3
    assert str(isolated_config) in result.stderr
    assert "line 2" in result.stderr and "column" in result.stderr


def test_failing_secret_command(isolated_config: Path) -> None:
    isolated_config.write_text(
        'default_profile = "prod"\n[profiles.prod]\ninstance = "acme"\nclient_id = "x"\n'
        'client_secret_command = "echo leaked-output; exit 7"\n'
    )
    result = cli(["metadata", "work-zones", "list"])
    assert result.exit_code == 3
    assert "failed with exit code 7" in result.stderr
    assert "leaked-output" not in result.stderr + result.stdout


def test_insecure_http_to_remote_host_is_refused() -> None:
    env = {
        "OFSC_BASE_URL": "http://example.com",
        "OFSC_CLIENT_ID": "x",
        "OFSC_CLIENT_SECRET": SECRET,
    }
    result = cli(["metadata", "work-zones", "list"], env)
    assert result.exit_code == 3
    assert "allow_insecure_http" in result.stderr or "insecure" in result.stderr
    assert SECRET not in result.stderr


def test_config_set_bad_value_leaves_file_untouched(isolated_config: Path) -> None:
    original = '[profiles.prod]\ninstance = "acme"\nclient_id = "x"\ntimeout = 5.0\n'
    isolated_config.write_text(original)
    for args in (["config", "set", "timeout", "abc", "-p", "prod"], ["config", "set", "nope", "1"]):
        result = cli(args)
        assert result.exit_code in (2, 3)
        assert isolated_config.read_text() == original


def test_config_show_masks_secret_and_reports_sources(isolated_config: Path) -> None:
    isolated_config.write_text(
        f'[profiles.prod]\ninstance = "acme"\nclient_id = "x"\nclient_secret = "{SECRET}"\n'
    )
    result = cli(["config", "show", "-p", "prod", "--timeout", "7", "-o", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["key"]: row for row in json.loads(result.stdout)}
    assert rows["client_secret"]["value"] == "****"
    assert rows["timeout"] == {"key": "timeout", "value": "7", "source": "flag"}
    assert rows["instance"]["source"] == "file"
    assert SECRET not in result.output


# -- packaging, layering, startup ---------------------------------------------------------


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_library_does_not_import_typer_or_rich() -> None:
    mods = _modules_after(
        "import ofsc_cli, ofsc_cli.client, ofsc_cli.models, ofsc_cli.config, ofsc_cli.catalog"
        "\nfrom ofsc_cli import OFSC, AsyncOFSC"
    )
    assert "typer" not in mods
    assert "rich" not in mods


def test_version_fast_path_imports_nothing_heavy() -> None:
    mods = _modules_after(
        "import io, contextlib\nfrom ofsc_cli.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--version'])"
    )
    for heavy in ("typer", "httpx", "pydantic", "rich"):
        assert heavy not in mods


def test_help_does_not_import_the_groups_or_httpx() -> None:
    mods = _modules_after(
        "import io, contextlib\nfrom ofsc_cli.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main(['--help'])\n    except SystemExit:\n        pass"
    )
    assert "ofsc_cli.cli.metadata" not in mods
    assert "httpx" not in mods
    assert "pydantic" not in mods


def test_completion_scripts_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_completions.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    assert {p.name for p in (ROOT / "completions").iterdir()} >= {
        "ofsc.bash",
        "_ofsc",
        "ofsc.fish",
        "ofsc.ps1",
    }


def test_completion_offers_groups_and_verbs() -> None:
    env = {**os.environ, "_OFSC_COMPLETE": "complete_bash", "COMP_WORDS": "ofsc meta"}
    env["COMP_CWORD"] = "1"
    code = "from ofsc_cli.cli.main import main\nmain([])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["metadata"]
    env["COMP_WORDS"], env["COMP_CWORD"] = "ofsc metadata work-zones ", "3"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert {"list", "get"} <= set(out.stdout.split())


def test_unknown_resource_lists_valid_ones() -> None:
    result = cli(["metadata", "bogus", "list"])
    assert result.exit_code == 2
    assert "No such command 'bogus'. Valid commands:" in result.output
    assert "work-zones" in result.output and "activity-types" in result.output
    close = cli(["metadata", "work-zonez", "list"])
    assert close.exit_code == 2
    assert "Did you mean" in close.output and "work-zones" in close.output


def test_config_init_wizard_asks_for_what_is_missing(
    isolated_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ofsc_cli.cli.context._isatty", lambda stream: True)
    answers = "prod\nacme\nofsc-cli\n" + SECRET + "\noauth2\n"
    result = CliRunner().invoke(
        build_app(), ["config", "init"], input=answers, obj=AppContext(stderr_is_tty=True)
    )
    assert result.exit_code == 0, result.output
    text = isolated_config.read_text()
    assert 'default_profile = "prod"' in text
    assert 'instance = "acme"' in text and 'auth = "oauth2"' in text
    assert SECRET not in result.stdout
    assert oct(isolated_config.stat().st_mode & 0o777) == "0o600"


def test_config_init_without_a_terminal_names_the_missing_flag() -> None:
    result = cli(["config", "init", "--name", "prod", "--instance", "acme"])
    assert result.exit_code == 2
    assert "missing --client-id" in result.stderr


def test_verbose_logs_requests_of_all_exports_too(tmp_path: Path) -> None:
    env = {"OFSC_SANDBOX_DB": str(tmp_path / "sandbox.db")}
    result = cli(["-p", "sandbox", "metadata", "work-zones", "list", "--all", "-v"], env)
    assert result.exit_code == 0, result.output
    # One line per request: method, URL, status and time.
    line = (
        r"info +GET https://sandbox\.ofsc\.invalid/rest/ofscMetadata/v1/workZones\S* → 200 OK \(\d"
    )
    assert re.search(line, result.stderr), result.stderr
    assert json.loads(result.stdout)
