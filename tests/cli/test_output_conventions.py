"""The output conventions: tables that fit, the pager, strict --fields, --query, the default
format from the profile or OFSC_OUTPUT, and global options anywhere (clusters included)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import jmespath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict
from served_cli import Cli
from typer.testing import CliRunner, Result

from ofsc_cli.cli._app import build_app
from ofsc_cli.cli._globals import hoist_global_options
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.errors import UsageError
from ofsc_cli.client import OFSC
from ofsc_cli.models.metadata import WorkZone
from ofsc_cli.output import OutputFormat, Pager, Renderer, header_text, pager_command
from ofsc_cli.output.table import fit_widths, is_identifier_column
from ofsc_cli.sandbox import ServerHandle

RECORDER = """\
import sys
data = sys.stdin.read()
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(data)
"""

QUITTER = """\
import sys
sys.stdin.readline()
"""

LIST = ("metadata", "work-zones", "list")


@pytest.fixture
def cli(sandbox_server: ServerHandle, tmp_path: Path) -> Cli:
    return Cli(sandbox_server, tmp_path)


def tty_run(cli: Cli, *args: str, **env: str) -> Result:
    """``ofsc ARGS`` as on a terminal: stdout counts as a TTY (stderr does not)."""
    obj = AppContext(stdout_is_tty=True, stderr_is_tty=False, no_color=True)
    return CliRunner().invoke(build_app(), list(args), env={**cli.env, **env}, obj=obj)


def python_command(tmp_path: Path, name: str, code: str, *args: str) -> str:
    script = tmp_path / name
    script.write_text(code, encoding="utf-8")
    return " ".join([sys.executable, str(script), *args])


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("workZoneLabel", "Work zone label"),
        ("resourceId", "Resource ID"),
        ("status", "Status"),
        ("activityKeys.activityId", "Activity keys activity ID"),
        ("parent.label", "Parent label"),
        ("languageISO", "Language ISO"),
        ("on-call", "On call"),
        ("client_secret", "Client secret"),
        ("id", "ID"),
        ("XA_REGION", "XA_REGION"),
    ],
)
def test_headers_are_words(name: str, header: str) -> None:
    assert header_text(name) == header


@pytest.mark.parametrize(
    ("name", "position", "identifier"),
    [
        ("anything", 0, True),
        ("resourceId", 3, True),
        ("mainResourceID", 3, True),
        ("workZoneLabel", 1, True),
        ("parent.label", 4, True),
        ("login", 2, True),
        ("valid", 2, False),
        ("workZoneName", 1, False),
        ("status", 1, False),
    ],
)
def test_identifier_columns(name: str, position: int, identifier: bool) -> None:
    assert is_identifier_column(name, position) is identifier


def test_piped_table_and_csv_keep_raw_field_names() -> None:
    items = [{"workZoneLabel": "A", "resourceId": 1}]
    for fmt, header in (
        ("table", "workZoneLabel\tresourceId"),
        ("csv", "workZoneLabel,resourceId"),
    ):
        out = io.StringIO()
        Renderer(fmt, out, is_tty=False).write_items(items)
        assert out.getvalue().splitlines()[0] == header


# --------------------------------------------------------------------------- fitting

COLUMNS = [
    "activityId",
    "resourceId",
    "workZoneLabel",
    "status",
    "customerName",
    "address",
    "notes",
    "timeSlot",
]


def wide_items(count: int = 4) -> list[dict[str, Any]]:
    return [
        {
            "activityId": 4_000_000_000 + i,
            "resourceId": f"TECHNICIAN-NORTH-{i:04d}",
            "workZoneLabel": f"MAPLE_RIDGE_EXTENDED_{i}",
            "status": "pending" if i % 2 else "cancelled",
            "customerName": f"Margaret Thompson-Whitfield the {i}th",
            "address": f"{100 + i} Long Meadow Boulevard, Apartment {i}, North Riverside",
            "notes": "Ring twice; the dog is friendly but loud. " * 3,
            "timeSlot": "08-10",
        }
        for i in range(count)
    ]


def draw(items: list[dict[str, Any]], width: int, **options: Any) -> tuple[str, list[str]]:
    out = io.StringIO()
    notes: list[str] = []
    renderer = Renderer(
        "table", out, is_tty=True, color=False, width=width, notice=notes.append, **options
    )
    assert renderer.write_items(items) == len(items)
    return out.getvalue(), notes


@pytest.mark.parametrize(("width", "drops"), [(80, True), (120, False)])
def test_table_fits_and_keeps_identifiers_whole(width: int, drops: bool) -> None:
    items = wide_items()
    text, notes = draw(items, width, columns=COLUMNS)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines), [len(line) for line in lines]
    for item in items:  # every row shows its ids and label whole, on one line
        row = next(line for line in lines if line.startswith(str(item["activityId"])))
        assert item["resourceId"] in row
        assert item["workZoneLabel"] in row
    assert "…" in text  # the long text columns were shortened, not wrapped
    assert not any(line.lstrip().startswith("Ring twice") for line in lines)
    header_lines = lines[: lines.index(next(line for line in lines if line[:1].isdigit()))]
    headers = " ".join(" ".join(header_lines).split())
    assert "ACTIVITYID" not in text
    left_out: list[str] = []
    if drops:
        assert len(notes) == 1
        left_out = notes[0].split(": ", 1)[1].split(" (", 1)[0].split(", ")
        assert left_out == COLUMNS[len(COLUMNS) - len(left_out) :]  # the last ones first
        assert "--fields" in notes[0] and "-o json" in notes[0]
    else:
        assert notes == []
    for column in COLUMNS:
        assert (header_text(column).split()[0] in headers) is (column not in left_out)


def test_nothing_left_out_when_the_table_fits() -> None:
    items = [{k: v for k, v in item.items() if k in COLUMNS[:4]} for item in wide_items()]
    text, notes = draw(items, 120, columns=COLUMNS[:4])
    assert notes == []
    first = text.splitlines()[0]
    assert first.split("  ")[0] == "Activity ID"
    assert "Work zone label" in first  # room enough: headers on one line


@given(st.integers(min_value=30, max_value=200))
@settings(max_examples=40, deadline=None)
def test_every_width_fits(width: int) -> None:
    text, _ = draw(wide_items(2), width, columns=COLUMNS)
    assert all(len(line) <= width for line in text.splitlines())
    assert "4000000000" in text  # the first column is never shortened


def test_fit_widths_drops_from_the_right_and_keeps_the_first() -> None:
    fitted = fit_widths([20, 20, 20, 20], [20, 5, 5, 5], 40)
    assert fitted.kept == [0, 1, 2]
    assert fitted.dropped == [3]
    assert sum(fitted.widths) + 2 * (len(fitted.kept) - 1) <= 40
    alone = fit_widths([300], [300], 80)
    assert alone.kept == [0] and alone.widths == [80]


# --------------------------------------------------------------------------- pager


def test_pager_command_precedence(tmp_path: Path) -> None:
    assert pager_command({"OFSC_PAGER": "most -s", "PAGER": "more"}) == ["most", "-s"]
    assert pager_command({"PAGER": "more"}) == ["more"]
    assert pager_command({"OFSC_PAGER": "", "PAGER": "more"}) is None
    assert pager_command({"PAGER": ""}) is None
    assert pager_command({"PAGER": "cat"}) is None
    assert pager_command({"OFSC_PAGER": "/bin/cat"}) is None


def test_default_pager_is_less_when_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pager_command({}) is None
    less = tmp_path / "less"
    less.write_text("#!/bin/sh\ncat\n")
    less.chmod(0o755)
    assert pager_command({}) == ["less", "-FRX"]


def test_long_output_on_a_terminal_goes_through_the_pager(cli: Cli, tmp_path: Path) -> None:
    got = tmp_path / "paged.txt"
    pager = python_command(tmp_path, "pager.py", RECORDER, str(got))
    expected = [z["workZoneLabel"] for z in cli.json(*LIST)]
    result = tty_run(cli, *LIST, "-o", "table", OFSC_PAGER=pager, LINES="5", COLUMNS="100")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # everything went to the pager
    paged = got.read_text(encoding="utf-8")
    assert all(label in paged for label in expected)
    assert paged.splitlines()[0].startswith("Work zone label")


def test_short_output_is_not_paged(cli: Cli, tmp_path: Path) -> None:
    got = tmp_path / "paged.txt"
    pager = python_command(tmp_path, "pager.py", RECORDER, str(got))
    result = tty_run(cli, *LIST, "--limit", "2", OFSC_PAGER=pager, LINES="50", COLUMNS="100")
    assert result.exit_code == 0, result.output
    assert not got.exists()
    assert "Work zone label" in result.stdout


@pytest.mark.parametrize(
    "how",
    [
        ["--no-pager", *LIST],
        [*LIST, "--no-pager"],
        ["env", "OFSC_PAGER", ""],
        ["env", "PAGER", "cat"],
        ["piped"],
    ],
)
def test_no_pager(cli: Cli, tmp_path: Path, how: list[str]) -> None:
    got = tmp_path / "paged.txt"
    pager = python_command(tmp_path, "pager.py", RECORDER, str(got))
    env = {"OFSC_PAGER": pager, "LINES": "5", "COLUMNS": "100"}
    args = list(LIST)
    if how[0] == "env":
        env.pop("OFSC_PAGER")
        env[how[1]] = how[2]
    elif how[0] == "piped":
        result = CliRunner().invoke(build_app(), [*args, "-o", "table"], env={**cli.env, **env})
        assert result.exit_code == 0 and not got.exists()
        assert result.stdout.startswith("workZoneLabel\t")
        return
    else:
        args = how
    result = tty_run(cli, *args, **env)
    assert result.exit_code == 0, result.output
    assert not got.exists()
    assert "MAPLE_RIDGE" in result.stdout


def test_quitting_the_pager_early_is_quiet(tmp_path: Path) -> None:
    pager = Pager([sys.executable, str(tmp_path / "quit.py")], height=3)
    (tmp_path / "quit.py").write_text(QUITTER, encoding="utf-8")
    out = io.StringIO()
    total = 20_000  # far more than a pipe holds, so writes run into the closed pipe
    items = ({"id": i, "text": "x" * 80} for i in range(total))
    count = Renderer(OutputFormat.JSON, out, is_tty=True, color=False, pager=pager).write_items(
        items
    )
    assert 0 < count < total
    assert out.getvalue() == ""


def test_a_pager_that_cannot_start_falls_back_to_the_terminal() -> None:
    pager = Pager(["/nonexistent/pager-program"], height=2)
    out = io.StringIO()
    Renderer(OutputFormat.NDJSON, out, is_tty=True, pager=pager).write_items(
        [{"n": i} for i in range(5)]
    )
    assert [json.loads(line)["n"] for line in out.getvalue().splitlines()] == list(range(5))


def test_terminal_height(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINES", "33")
    assert AppContext(stdout_is_tty=False).terminal_height() is None
    assert AppContext(stdout_is_tty=True).terminal_height() == 33


# --------------------------------------------------------------------------- strict --fields


def test_unknown_field_exits_2_listing_the_valid_names(cli: Cli) -> None:
    result = cli.fails(2, *LIST, "--fields", "workZoneLabel,nope", "-o", "json")
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("ofsc: --fields: unknown field 'nope'")
    first = cli.json(*LIST)[0]
    for name in first:
        assert name in line


def test_typo_gets_a_suggestion(cli: Cli) -> None:
    result = cli.fails(2, *LIST, "--fields", "workZoneLabl", "-o", "json")
    assert "did you mean 'workZoneLabel'?" in result.stderr


def test_dotted_and_valid_fields_still_work(cli: Cli) -> None:
    zones = cli.json(*LIST)
    picked = cli.json(*LIST, "--fields", "workZoneLabel,translations.0.name")
    assert [p["workZoneLabel"] for p in picked] == [z["workZoneLabel"] for z in zones]
    csv_rows = cli.ok(*LIST, "-o", "csv", "--fields", "workZoneLabel,status").stdout.splitlines()
    assert csv_rows[0] == "workZoneLabel,status"


def mock_run(args: list[str], items: list[dict[str, Any]]) -> Result:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items": items, "totalResults": len(items)})

    def factory(obj: AppContext) -> OFSC:
        return OFSC("acme", "cli", "secret", transport=httpx.MockTransport(handler), max_retries=0)

    obj = AppContext(client_factory=factory, stdout_is_tty=False, stderr_is_tty=False)
    return CliRunner().invoke(build_app(), args, obj=obj, env={"OFSC_OUTPUT": None})


def test_custom_property_of_the_first_item_is_a_valid_field() -> None:
    items = [{"workZoneLabel": f"Z{i}", "XA_REGION": f"R{i}"} for i in range(3)]
    result = mock_run([*LIST, "--fields", "workZoneLabel,XA_REGION", "-o", "json"], items)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == items
    wrong = mock_run([*LIST, "--fields", "XA_NOPE", "-o", "json"], items)
    assert wrong.exit_code == 2 and "XA_REGION" in wrong.stderr


def test_model_fields_count_even_when_the_first_item_lacks_them() -> None:
    items = [{"workZoneLabel": "A"}, {"workZoneLabel": "B", "travelArea": "north"}]
    out = io.StringIO()
    Renderer("ndjson", out, fields=["travelArea"], model=WorkZone).write_items(items)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {},
        {"travelArea": "north"},
    ]
    with pytest.raises(UsageError, match="travelArea"):
        Renderer("ndjson", io.StringIO(), fields=["bogus"], model=WorkZone).write_items(items)


def test_no_items_and_no_model_refuses_nothing() -> None:
    out = io.StringIO()
    assert Renderer("json", out, fields=["anything"]).write_items([]) == 0
    assert out.getvalue() == "[]\n"


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    login: str
    userType: str | None = None


def test_check_fields_refuses_only_for_a_closed_model() -> None:
    obj = AppContext(fields=["login", "shoeSize"])
    with pytest.raises(UsageError, match="unknown field 'shoeSize'; valid fields: login, userType"):
        obj.check_fields(Closed)
    obj.check_fields(WorkZone)  # open: custom properties may exist, judged on the answer
    AppContext(fields=["login"]).check_fields(Closed)
    with pytest.raises(UsageError):  # a closed model needs no item to judge by
        Renderer("json", io.StringIO(), fields=["shoeSize"], model=Closed).write_items([])


def test_fields_on_one_object(cli: Cli) -> None:
    label = cli.json(*LIST)[0]["workZoneLabel"]
    result = cli.fails(2, "metadata", "work-zones", "get", label, "--fields", "nope")
    assert "valid fields" in result.stderr and result.stdout == ""


# --------------------------------------------------------------------------- --query


def test_query_on_a_list_anywhere(cli: Cli) -> None:
    zones = cli.json(*LIST)
    expression = "[?status=='active'].workZoneLabel"
    expected = [z["workZoneLabel"] for z in zones if z.get("status") == "active"]
    assert expected
    after = json.loads(cli.ok(*LIST, "--query", expression, "-o", "json").stdout)
    before = json.loads(cli.ok("--query", expression, *LIST).stdout)  # piped: json
    assert after == before == expected
    table = cli.ok(*LIST, "-o", "table", "--query", expression).stdout
    assert table.splitlines() == expected
    count = cli.ok(*LIST, "-o", "table", "--query", "length(@)").stdout
    assert count == f"{len(zones)}\n"


def test_query_keeps_the_table_for_objects(cli: Cli) -> None:
    zones = cli.json(*LIST)
    result = tty_run(cli, *LIST, "--query", "[?status=='active']", "--no-pager", COLUMNS="120")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("Work zone label")
    assert sum(z.get("status") == "active" for z in zones) == len(result.stdout.splitlines()) - 1


def test_query_on_one_object(cli: Cli) -> None:
    zone = cli.json(*LIST)[0]
    get = ("metadata", "work-zones", "get", zone["workZoneLabel"])
    assert (
        cli.ok(*get, "-o", "table", "--query", "workZoneName").stdout == f"{zone['workZoneName']}\n"
    )
    assert (
        json.loads(cli.ok(*get, "-o", "json", "--query", "workZoneName").stdout)
        == (zone["workZoneName"])
    )
    picked = json.loads(cli.ok(*get, "-o", "json", "--query", "{l: workZoneLabel}").stdout)
    assert picked == {"l": zone["workZoneLabel"]}


def test_fields_come_before_the_query(cli: Cli) -> None:
    zones = cli.json(*LIST)
    without = json.loads(cli.ok(*LIST, "--query", "[].status").stdout)
    assert without == jmespath.search("[].status", zones) and without
    narrowed = json.loads(cli.ok(*LIST, "--fields", "workZoneLabel", "--query", "[].status").stdout)
    assert narrowed == []


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_invalid_query_exits_2_before_sending(cli: Cli, fmt: str) -> None:
    before = cli.emulator.request_counts.copy()
    result = cli.fails(2, *LIST, "-o", fmt, "--query", "[?status=='active'")
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ofsc: --query: invalid JMESPath expression")
    assert "column" in lines[0]
    assert cli.emulator.request_counts == before


def test_query_failing_on_the_data_is_a_usage_error(cli: Cli) -> None:
    result = cli.fails(2, *LIST, "--query", "nosuchfunction(@)")
    assert result.stderr.startswith("ofsc: --query:") and result.stdout == ""


# --------------------------------------------------------------------------- default format


def write_profile(cli: Cli, output: str) -> None:
    (cli.tmp_path / "config.toml").write_text(
        f'default_profile = "t"\n[profiles.t]\ninstance = "sandbox"\noutput = "{output}"\n',
        encoding="utf-8",
    )


def test_default_output_precedence(cli: Cli) -> None:
    write_profile(cli, "yaml")
    assert cli.ok(*LIST).stdout.startswith("- workZoneLabel:")  # profile
    cli.env["OFSC_OUTPUT"] = "csv"
    assert cli.ok(*LIST).stdout.startswith("workZoneLabel,")  # env beats profile
    assert cli.ok(*LIST, "-o", "ndjson").stdout.startswith('{"workZoneLabel"')  # flag beats env
    shown = json.loads(cli.ok("config", "show", "-o", "json").stdout)
    assert {"key": "output", "value": "csv", "source": "env"} in shown
    del cli.env["OFSC_OUTPUT"]
    shown = json.loads(cli.ok("config", "show", "-o", "json").stdout)
    assert {"key": "output", "value": "yaml", "source": "file"} in shown


def test_built_in_default_without_any_setting(cli: Cli) -> None:
    assert cli.ok(*LIST).stdout.startswith("[")  # piped: json
    result = tty_run(cli, *LIST, "--no-pager", COLUMNS="120")
    assert result.stdout.startswith("Work zone label")


def test_bad_default_output_is_a_configuration_error(cli: Cli) -> None:
    cli.env["OFSC_OUTPUT"] = "xml"
    result = cli.fails(3, *LIST)
    assert "OFSC_OUTPUT" in result.stderr and "yaml" in result.stderr
    del cli.env["OFSC_OUTPUT"]
    write_profile(cli, "xml")
    result = cli.fails(3, *LIST)
    assert "output" in result.stderr


def test_output_help_lists_the_choices() -> None:
    result = CliRunner().invoke(build_app(), ["--help"], env={"TERMINAL_WIDTH": "200"})
    text = " ".join(result.stdout.split())
    assert "table, json, ndjson, csv or yaml" in text
    assert "OFSC_OUTPUT" in text
    assert "--query" in text and "--no-pager" in text


# --------------------------------------------------------------------------- global options


@pytest.mark.parametrize(
    ("args", "hoisted"),
    [
        (["metadata", "list", "-vv"], ["-vv", "metadata", "list"]),
        (["metadata", "list", "-qv"], ["-qv", "metadata", "list"]),
        (["metadata", "list", "-vo", "json"], ["-vo", "json", "metadata", "list"]),
        (["metadata", "list", "-vojson"], ["-vojson", "metadata", "list"]),
        (["list", "--query", "[0]", "--no-pager"], ["--query", "[0]", "--no-pager", "list"]),
        (["list", "-fvv"], ["list", "-fvv"]),  # a command's option with its value: left alone
        (["list", "-vx"], ["list", "-vx"]),
    ],
)
def test_hoisting_of_clusters(args: list[str], hoisted: list[str]) -> None:
    assert hoist_global_options(args) == hoisted


@pytest.mark.parametrize("flags", [["-vv"], ["-v", "-v"], ["-qv"]])
def test_counted_flags_after_the_verb(cli: Cli, flags: list[str]) -> None:
    result = cli.ok(*LIST, *flags, "-o", "json")
    assert json.loads(result.stdout)
    assert "GET" in result.stderr  # the request log of --verbose
