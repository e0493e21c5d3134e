"""Tests of the output layer: formats, field selection, tables, progress and import cost."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

from ofsc_cli.output import (
    BROKEN_PIPE_EXIT_CODE,
    OutputFormat,
    Renderer,
    color_enabled,
    format_cell,
    get_path,
    json_dumps,
    parse_fields,
    progress,
    resolve_format,
    select_fields,
    status,
    stream_is_tty,
    to_jsonable,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

ZONES: list[dict[str, Any]] = [
    {
        "label": "ZONE_A",
        "name": "Zone A",
        "status": "active",
        "parent": {"label": "ROOT", "name": "Root"},
        "translations": [{"language": "en", "name": "A"}, {"language": "de", "name": "Ä"}],
        "keys": ["10001", "10002"],
    },
    {"label": "ZONE_B", "name": 'Zone, "B"\nsecond line', "status": "inactive"},
    {"label": "ZONE_C", "name": "Zone C", "status": "active", "extra": True},
]


def render_items(fmt: str, items: Any, **options: Any) -> tuple[str, int]:
    out = io.StringIO()
    count = Renderer(OutputFormat(fmt), out, **options).write_items(items)
    return out.getvalue(), count


def render_object(fmt: str, obj: Any, **options: Any) -> str:
    out = io.StringIO()
    Renderer(OutputFormat(fmt), out, **options).write_object(obj)
    return out.getvalue()


def render_value(fmt: str, value: Any, **options: Any) -> str:
    out = io.StringIO()
    Renderer(OutputFormat(fmt), out, **options).write_value(value)
    return out.getvalue()


# --------------------------------------------------------------------------- format choice


@pytest.mark.parametrize(
    ("requested", "tty", "expected"),
    [
        (None, True, OutputFormat.TABLE),
        (None, False, OutputFormat.JSON),
        ("", True, OutputFormat.TABLE),
        ("table", False, OutputFormat.TABLE),
        (" NDJSON ", True, OutputFormat.NDJSON),
        ("yaml", False, OutputFormat.YAML),
        ("csv", True, OutputFormat.CSV),
    ],
)
def test_resolve_format(requested: str | None, tty: bool, expected: OutputFormat) -> None:
    assert resolve_format(requested, stdout_is_tty=tty) is expected


def test_resolve_format_rejects_unknown_and_lists_valid_formats() -> None:
    with pytest.raises(ValueError, match="xml") as caught:
        resolve_format("xml", stdout_is_tty=False)
    message = str(caught.value)
    for fmt in ("table", "json", "ndjson", "csv", "yaml"):
        assert fmt in message


def test_parse_fields() -> None:
    assert parse_fields(None) is None
    assert parse_fields(" , ") is None
    assert parse_fields("a, b.c,,a ,d") == ["a", "b.c", "d"]


def test_tty_and_colour_detection() -> None:
    assert stream_is_tty(io.StringIO()) is False
    assert stream_is_tty(object()) is False
    assert color_enabled(is_tty=True, environ={}) is True
    assert color_enabled(is_tty=False, environ={}) is False
    assert color_enabled(is_tty=True, no_color=True, environ={}) is False
    assert color_enabled(is_tty=True, environ={"NO_COLOR": "1"}) is False
    assert color_enabled(is_tty=True, environ={"NO_COLOR": ""}) is True


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize("tty", [False, True])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_json_list_is_one_valid_array(count: int, tty: bool) -> None:
    text, written = render_items("json", iter(ZONES[:count]), is_tty=tty, color=False)
    assert written == count
    assert json.loads(text) == ZONES[:count]
    assert "\x1b" not in text


def test_json_list_piped_is_one_item_per_line() -> None:
    text, _ = render_items("json", ZONES, color=True)
    lines = text.splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == ZONES
    assert "\x1b" not in text  # never coloured when not a TTY, even with colour allowed


def test_json_empty_list_is_brackets() -> None:
    assert render_items("json", [])[0] == "[]\n"
    assert render_items("json", [], is_tty=True, color=False)[0] == "[]\n"


def test_json_on_tty_is_indented_and_may_be_coloured() -> None:
    plain, _ = render_items("json", ZONES[:1], is_tty=True, color=False)
    assert plain.splitlines()[1:3] == ["  {", '    "label": "ZONE_A",']
    coloured, _ = render_items("json", ZONES[:1], is_tty=True, color=True)
    assert "\x1b[" in coloured
    assert json.loads(ANSI.sub("", coloured)) == ZONES[:1]


def test_json_keeps_key_order_and_unicode() -> None:
    text = render_object("json", {"z": 1, "a": "Ä"})
    assert text == '{\n  "z": 1,\n  "a": "Ä"\n}\n'


def lazy_items(out: io.StringIO, seen: list[str]) -> Iterator[dict[str, Any]]:
    """Yield two items, recording what the stream held before the second one."""
    yield {"n": 1}
    seen.append(out.getvalue())
    yield {"n": 2}


@pytest.mark.parametrize(
    ("fmt", "first_output"),
    [("ndjson", '{"n": 1}\n'), ("json", '[\n{"n": 1}'), ("csv", "n\n1\n"), ("table", "n\n1\n")],
)
def test_streamed_formats_write_before_the_items_run_out(fmt: str, first_output: str) -> None:
    out = io.StringIO()
    seen: list[str] = []
    count = Renderer(OutputFormat(fmt), out).write_items(lazy_items(out, seen))
    assert count == 2
    assert seen == [first_output]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_ndjson_one_item_per_line(count: int) -> None:
    text, written = render_items("ndjson", ZONES[:count])
    assert written == count
    lines = text.splitlines()
    assert len(lines) == count
    assert [json.loads(line) for line in lines] == ZONES[:count]


def test_ndjson_object_is_one_line() -> None:
    text = render_object("ndjson", ZONES[0])
    assert text.count("\n") == 1
    assert json.loads(text) == ZONES[0]


# --------------------------------------------------------------------------- encoding


class Resource(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    resource_id: str = Field(alias="resourceId")
    created: datetime | None = None
    rating: Decimal | None = None


def test_pydantic_models_dump_with_aliases_and_only_set_fields() -> None:
    model = Resource.model_validate({"resourceId": "R1", "created": "2026-03-01T08:00:00Z"})
    text, _ = render_items("json", [model])
    assert json.loads(text) == [{"resourceId": "R1", "created": "2026-03-01T08:00:00Z"}]
    assert json.loads(render_object("json", model)) == json.loads(text)[0]
    assert render_items("csv", [model], fields=["resourceId"])[0] == "resourceId\nR1\n"


def test_json_handles_dates_decimals_sets_and_nested_models() -> None:
    value = {
        "when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "day": date(2026, 1, 2),
        "price": Decimal("12.50"),
        "count": Decimal("3"),
        "tags": {"b", "a"},
        "owner": Resource.model_validate({"resourceId": "R2"}),
    }
    assert json.loads(json_dumps(value)) == {
        "when": "2026-01-02T03:04:05+00:00",
        "day": "2026-01-02",
        "price": 12.5,
        "count": 3,
        "tags": ["a", "b"],
        "owner": {"resourceId": "R2"},
    }
    assert to_jsonable(value) == json.loads(json_dumps(value))


# --------------------------------------------------------------------------- field selection


def test_select_fields_keeps_nesting_order_and_skips_missing() -> None:
    fields = ["status", "parent.label", "translations.1.name", "nope", "label", "parent.nope"]
    assert select_fields(ZONES[0], fields) == {
        "status": "active",
        "parent": {"label": "ROOT"},
        "translations": [{"name": "Ä"}],
        "label": "ZONE_A",
    }
    assert list(select_fields(ZONES[0], fields)) == ["status", "parent", "translations", "label"]
    assert select_fields(ZONES[1], ["parent.label", "nope"]) == {}


def test_select_fields_reaches_into_every_list_element() -> None:
    selected = select_fields(ZONES[0], ["translations.language", "translations.-1.name"])
    assert selected == {"translations": [{"language": "en"}, {"language": "de", "name": "Ä"}]}


def test_select_fields_whole_value_wins_over_parts() -> None:
    assert select_fields(ZONES[0], ["parent.label", "parent"]) == {"parent": ZONES[0]["parent"]}


def test_get_path() -> None:
    item = ZONES[0] | {"a.b": "literal"}
    assert get_path(item, "parent.label") == "ROOT"
    assert get_path(item, "translations.0.name") == "A"
    assert get_path(item, "translations.-1.language") == "de"
    assert get_path(item, "translations.name") == ["A", "Ä"]
    assert get_path(item, "translations.5.name") is None
    assert get_path(item, "label.x", default="-") == "-"
    assert get_path(item, "a.b") == "literal"


def test_fields_apply_to_every_format() -> None:
    fields = ["label", "parent.label"]
    expected = [{"label": "ZONE_A", "parent": {"label": "ROOT"}}, {"label": "ZONE_B"}]
    assert json.loads(render_items("json", ZONES[:2], fields=fields)[0]) == expected
    ndjson = render_items("ndjson", ZONES[:2], fields=fields)[0]
    assert [json.loads(line) for line in ndjson.splitlines()] == expected
    assert yaml.safe_load(render_items("yaml", ZONES[:2], fields=fields)[0]) == expected
    assert render_items("csv", ZONES[:2], fields=fields)[0] == (
        "label,parent.label\nZONE_A,ROOT\nZONE_B,\n"
    )
    assert render_items("table", ZONES[:2], fields=fields)[0] == (
        "label\tparent.label\nZONE_A\tROOT\nZONE_B\t\n"
    )
    assert json.loads(render_object("json", ZONES[0], fields=fields)) == expected[0]


# --------------------------------------------------------------------------- CSV


def test_csv_header_nested_cells_and_quoting() -> None:
    text, count = render_items("csv", ZONES)
    assert count == 3
    rows = list(csv.reader(io.StringIO(text)))
    # Columns come from the first item; keys only later items have are not shown.
    assert rows[0] == ["label", "name", "status", "parent", "translations", "keys"]
    assert json.loads(rows[1][3]) == {"label": "ROOT", "name": "Root"}
    assert json.loads(rows[1][4]) == ZONES[0]["translations"]
    assert json.loads(rows[1][5]) == ["10001", "10002"]
    assert rows[2][:3] == ["ZONE_B", 'Zone, "B"\nsecond line', "inactive"]
    assert rows[2][3:] == ["", "", ""]
    assert len(rows) == 4
    assert '"Zone, ""B""\nsecond line"' in text


def test_csv_uses_command_columns_and_writes_header_for_no_items() -> None:
    assert render_items("csv", ZONES[:1], columns=["label", "status"])[0] == (
        "label,status\nZONE_A,active\n"
    )
    assert render_items("csv", [], columns=["label", "status"]) == ("label,status\n", 0)
    assert render_items("csv", []) == ("", 0)


def test_csv_object_and_value() -> None:
    text = render_object("csv", {"id": 7, "ok": True, "note": None})
    assert text == "id,ok,note\n7,true,\n"
    assert render_value("csv", "a,b") == '"a,b"\n'


# --------------------------------------------------------------------------- YAML


@pytest.mark.parametrize("count", [0, 1, 3])
def test_yaml_list_is_one_document(count: int) -> None:
    text, written = render_items("yaml", ZONES[:count])
    assert written == count
    assert list(yaml.safe_load_all(text)) == [ZONES[:count]]


def test_yaml_object_keeps_order_unicode_and_encodes_dates() -> None:
    obj = {"z": "Ä", "a": datetime(2026, 1, 2, 3, 4, 5), "n": Decimal("1.5")}
    text = render_object("yaml", obj)
    assert text.index("z:") < text.index("a:")
    assert "Ä" in text
    assert yaml.safe_load(text) == {"z": "Ä", "a": "2026-01-02T03:04:05", "n": 1.5}


# --------------------------------------------------------------------------- tables


def test_table_on_tty_is_drawn_with_headers_in_words() -> None:
    text, count = render_items(
        "table", ZONES, is_tty=True, color=False, width=120, columns=["label", "name", "parent"]
    )
    assert count == 3
    assert "\x1b" not in text
    lines = text.splitlines()
    assert lines[0].split() == ["Label", "Name", "Parent"]
    assert "\t" not in text
    assert lines[1].split()[:3] == ["ZONE_A", "Zone", "A"]


def test_table_on_tty_shows_title_literal_text_and_cut_nested_values() -> None:
    items = [{"name": "[bold]x[/bold]", "data": {"k": "v" * 100}, "ok": False, "none": None}]
    text, _ = render_items("table", items, is_tty=True, color=False, width=200, title="Zones")
    lines = text.splitlines()
    assert lines[0].strip() == "Zones"
    assert lines[1].split() == ["Name", "Data", "Ok", "None"]
    assert "[bold]x[/bold]" in lines[2]  # no rich markup interpretation
    cut = '{"k": "' + "v" * 52 + "…"  # 60 characters
    assert cut in lines[2]
    assert "v" * 53 not in text
    assert lines[2].split()[-1] == "false"


def test_table_union_of_keys_on_tty_when_no_columns_given() -> None:
    text, _ = render_items("table", ZONES[1:], is_tty=True, color=False, width=120)
    assert text.splitlines()[0].split() == ["Label", "Name", "Status", "Extra"]


def test_table_colour_only_when_allowed() -> None:
    coloured, _ = render_items("table", ZONES[:1], is_tty=True, color=True, width=120)
    assert "\x1b[" in coloured


def test_table_piped_degrades_to_tsv_with_header() -> None:
    items = [
        {"id": 1, "name": "a\tb\nc", "tags": ["x", "y"], "parent": {"k": 1}, "ok": True},
        {"id": 2, "other": "ignored"},
    ]
    text, count = render_items("table", items, is_tty=False)
    assert count == 2
    assert text == ('id\tname\ttags\tparent\tok\n1\ta\\tb\\nc\tx, y\t{"k": 1}\ttrue\n2\t\t\t\t\n')


def test_table_with_no_items_draws_nothing() -> None:
    assert render_items("table", [], is_tty=True, color=False) == ("", 0)
    assert render_items("table", [], columns=["a", "b"]) == ("a\tb\n", 0)


def test_table_object_key_value() -> None:
    obj = {"label": "ZONE_A", "parent": {"label": "ROOT"}, "active": True}
    drawn = render_object("table", obj, is_tty=True, color=False, width=100)
    lines = [line.rstrip().split(None, 1) for line in drawn.splitlines()]
    assert lines == [
        ["Key", "Value"],
        ["label", "ZONE_A"],
        ["parent", '{"label": "ROOT"}'],
        ["active", "true"],
    ]
    piped = render_object("table", obj, fields=["parent.label", "active"])
    assert piped == "key\tvalue\nparent.label\tROOT\nactive\ttrue\n"


def test_object_list_and_scalar_in_table() -> None:
    assert render_object("table", [{"a": 1}, {"a": 2}]) == "a\n1\n2\n"
    assert render_object("table", [1, "x"]) == "value\n1\nx\n"
    assert render_object("table", 5) == "5\n"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("table", "tok-123\n"), ("json", '"tok-123"\n'), ("ndjson", '"tok-123"\n')],
)
def test_write_value(fmt: str, expected: str) -> None:
    assert render_value(fmt, "tok-123") == expected


def test_write_value_yaml_and_non_strings() -> None:
    assert yaml.safe_load(render_value("yaml", "tok")) == "tok"
    assert render_value("table", True) == "true\n"
    assert render_value("table", None) == "\n"


def test_format_cell() -> None:
    assert format_cell(None) == ""
    assert format_cell(False) == "false"
    assert format_cell(["a", 1, True]) == "a, 1, true"
    assert format_cell(["a", 1], join_lists=False) == '["a", 1]'
    assert format_cell([{"a": 1}]) == '[{"a": 1}]'
    assert format_cell({"k": "v" * 10}, max_width=8) == '{"k": "…'
    assert format_cell(date(2026, 5, 1)) == "2026-05-01"


def test_non_mapping_items_become_value_rows() -> None:
    text, count = render_items("csv", ["a", "b"])
    assert (text, count) == ("value\na\nb\n", 2)


def test_items_error_propagates_and_leaves_array_open() -> None:
    def failing() -> Iterator[dict[str, int]]:
        yield {"n": 1}
        raise RuntimeError("page 2 failed")

    out = io.StringIO()
    with pytest.raises(RuntimeError):
        Renderer(OutputFormat.JSON, out).write_items(failing())
    assert out.getvalue() == '[\n{"n": 1}'


# --------------------------------------------------------------------------- progress


def test_progress_and_status_disabled_write_nothing() -> None:
    err = io.StringIO()
    with progress(None, "Fetching", enabled=False, stream=err) as bar:
        bar.update(total=10)
        bar.advance()
        bar.advance(3)
        bar.update(description="Still fetching")
    with status("Waiting", False, stream=err) as spinner:
        spinner.update("Still waiting")
    assert err.getvalue() == ""


def test_progress_enabled_draws_on_its_stream_and_leaves_stdout_alone() -> None:
    err = io.StringIO()
    stdout_before = sys.stdout
    with progress(4, "Fetching pages", enabled=True, stream=err, color=False) as bar:
        assert sys.stdout is stdout_before
        bar.advance(2)
        bar.update(total=8)
    assert "Fetching pages" in err.getvalue()


def test_status_enabled_draws_on_its_stream() -> None:
    err = io.StringIO()
    with status("Contacting", True, stream=err, color=False) as spinner:
        spinner.update("Contacting again")
    assert "Contacting" in err.getvalue()


# --------------------------------------------------------------------------- process level


def run_python(code: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def test_import_does_not_load_rich_yaml_typer_or_httpx() -> None:
    proc = run_python(
        """
        import sys
        import ofsc_cli.output
        heavy = {"rich", "yaml", "typer", "httpx"}
        print(sorted(m for m in sys.modules if m.split(".")[0] in heavy))
        """
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert out.decode().strip() == "[]"


def test_closed_pipe_ends_quietly() -> None:
    proc = run_python(
        """
        import sys
        from ofsc_cli.output import BROKEN_PIPE_EXIT_CODE, Renderer, handle_broken_pipe
        try:
            Renderer("ndjson", sys.stdout).write_items({"n": n} for n in range(10**7))
        except BrokenPipeError:
            handle_broken_pipe()
            sys.exit(BROKEN_PIPE_EXIT_CODE)
        """
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert json.loads(proc.stdout.readline()) == {"n": 0}
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == BROKEN_PIPE_EXIT_CODE
    assert err == ""
