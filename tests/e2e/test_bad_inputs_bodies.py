"""Bad-input corpus, class "bodies": every file or body a command reads.

Request bodies (``--file PATH|-``, JSON or YAML), bulk inputs (JSON, NDJSON, CSV), uploads
(``file set``, ``plugins import``) and ``ofsc api --input`` / ``-F key=@file`` all go through
:mod:`ofsc_cli.client.reader`: too deep, alias bombs, devices, FIFOs, directories and
oversized files, huge integers, ``NaN``/``Infinity``, impossible dates, bad encodings and
wrong shapes exit 2 with one line naming the file, and nothing is sent or written.  YAML
dates in unknown fields are sent as the text the user wrote (exit 0).

Each case's setup writes its file into the test's directory, which is also the working
directory, so the command lines name files relatively.
"""

from __future__ import annotations

import datetime
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bad_inputs import Case, check
from served_cli import Cli, sync_client

from ofsc_cli.client.reader import MAX_BODY_BYTES, BodyEncodingError, encode_json, load_document
from ofsc_cli.errors import OFSSerializationError, OFSValidationError
from ofsc_cli.sandbox import ServerHandle

USAGE = 2
BIG = "7" * 5000
ZONE = {"workZoneLabel": "BODIES", "workZoneName": "Bodies", "status": "active", "travelArea": "x"}
ZONE_YAML = "workZoneLabel: BODIES\nworkZoneName: Bodies\nstatus: active\ntravelArea: x\n"


def text(name: str, content: str) -> Callable[[Path], None]:
    def setup(tmp_path: Path) -> None:
        (tmp_path / name).write_text(content, encoding="utf-8")

    return setup


def raw(name: str, content: bytes) -> Callable[[Path], None]:
    def setup(tmp_path: Path) -> None:
        (tmp_path / name).write_bytes(content)

    return setup


def sparse(name: str, size: int) -> Callable[[Path], None]:
    """A file of ``size`` zero bytes that takes no disk space."""

    def setup(tmp_path: Path) -> None:
        with (tmp_path / name).open("wb") as fh:
            fh.truncate(size)

    return setup


def fifo(name: str) -> Callable[[Path], None]:
    def setup(tmp_path: Path) -> None:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this platform")
        os.mkfifo(tmp_path / name)

    return setup


def directory(name: str) -> Callable[[Path], None]:
    def setup(tmp_path: Path) -> None:
        (tmp_path / name).mkdir()

    return setup


def deep_json(levels: int, *, inner: str = "1") -> str:
    return '{"a": ' * levels + inner + "}" * levels


def deep_yaml(levels: int) -> str:
    return "".join("  " * i + "a:\n" for i in range(levels)) + "  " * levels + "b: 1\n"


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
ALIAS_CHAIN = "l0: &l0 [x]\n" + "".join(f"l{i}: &l{i} [*l{i - 1}]\n" for i in range(1, 70))
WIDE_MERGE = (
    "base: &b {"
    + ", ".join(f"k{i}: {i}" for i in range(400))
    + "}\n"
    + ("items:\n" + "".join(f"  - {{<<: *b, n: {i}}}\n" for i in range(400)))
)

CREATE_ZONE = ("metadata", "work-zones", "create", "--file")
UPDATE_ACTIVITY = ("core", "activities", "update", "4225", "--file")
ENUMERATION = ("metadata", "properties", "enumeration", "set", "cust_tier", "--file")
CUSTOMER_INVENTORY = ("core", "activities", "customer-inventories", "add", "4225", "--file")
BULK_ACTIVITIES = ("core", "activities", "bulk-update", "--file")
BULK_ZONES = ("core", "resources", "bulk-update-work-zones", "--file")
BULK_SCHEDULES = ("core", "resources", "bulk-update-work-schedules", "--file")
UPLOAD = ("core", "activities", "file", "set", "4225", "photo", "--file")
PLUGINS = ("metadata", "plugins", "import", "--file")
API_ZONE = ("api", "POST", "/ofscMetadata/v1/workZones")


def case(
    id: str, argv: tuple[str, ...], setup: Any = None, has: str | None = None, **kw: Any
) -> Case:
    return Case(id, argv, kw.pop("code", USAGE), setup=setup, stderr_has=has, **kw)


CASES: list[Case] = [
    # -- nesting beyond MAX_DEPTH (64) -------------------------------------------------------
    case(
        "deep-json-array",
        (*CREATE_ZONE, "d.json"),
        text("d.json", "[" * 5000 + "]" * 5000),
        "d.json: line 1, column 65",
    ),
    case(
        "deep-json-object-65",
        (*UPDATE_ACTIVITY, "d.json"),
        text("d.json", deep_json(65)),
        "nested deeper than 64",
    ),
    case(
        "deep-json-100k",
        (*CREATE_ZONE, "d.json"),
        text("d.json", "[" * 100_000),
        "nested deeper than 64",
    ),
    case(
        "deep-yaml-block",
        (*CREATE_ZONE, "d.yaml"),
        text("d.yaml", deep_yaml(100)),
        "d.yaml: line 65",
    ),
    case(
        "deep-yaml-flow",
        (*ENUMERATION, "d.yaml"),
        text("d.yaml", "- " * 200 + "x\n"),
        "nested deeper than 64",
    ),
    case(
        "deep-ndjson-line",
        (*BULK_ACTIVITIES, "d.ndjson"),
        text("d.ndjson", '{"activityId": 1}\n{"activityId": 2, "x": ' + deep_json(70) + "}\n"),
        "d.ndjson: line 2",
    ),
    case(
        "deep-bulk-json",
        (*BULK_ACTIVITIES, "d.json"),
        text(
            "d.json",
            '[{"activityId": 1},\n{"activityId": 2, "x": ' + "[" * 3000 + "]" * 3000 + "}]",
        ),
        "line 2",
    ),
    case(
        "deep-api-input",
        (*API_ZONE, "--input", "d.json"),
        text("d.json", deep_json(80)),
        "nested deeper than 64",
        one_line=False,
    ),
    # -- YAML alias bombs -------------------------------------------------------------------
    case(
        "yaml-billion-laughs",
        (*CREATE_ZONE, "bomb.yaml"),
        text("bomb.yaml", BILLION_LAUGHS),
        "alias bomb",
    ),
    case(
        "yaml-billion-laughs-stdin",
        (*UPDATE_ACTIVITY, "-"),
        input=BILLION_LAUGHS,
        has="<stdin>: YAML aliases expand",
    ),
    case(
        "yaml-recursive-alias",
        (*CREATE_ZONE, "r.yaml"),
        text("r.yaml", "a: &a [1, *a]\n"),
        "recursive YAML alias",
    ),
    case(
        "yaml-recursive-mapping",
        (*ENUMERATION, "r.yaml"),
        text("r.yaml", "&a {x: *a}\n"),
        "recursive YAML alias",
    ),
    case(
        "yaml-alias-chain-too-deep",
        (*CREATE_ZONE, "c.yaml"),
        text("c.yaml", ALIAS_CHAIN),
        "once YAML aliases are expanded",
    ),
    case("yaml-merge-bomb", (*CREATE_ZONE, "m.yaml"), text("m.yaml", WIDE_MERGE), "alias bomb"),
    # -- what is not a regular file, or too large --------------------------------------------
    case("dev-zero-body", (*CREATE_ZONE, "/dev/zero"), has="/dev/zero: is not a regular file"),
    case("fifo-body", (*CREATE_ZONE, "pipe"), fifo("pipe"), "pipe: is not a regular file"),
    case("directory-body", (*UPDATE_ACTIVITY, "adir"), directory("adir"), "adir: is a directory"),
    case("missing-body", (*CREATE_ZONE, "missing.json"), has="missing.json: no such file"),
    case(
        "oversized-body",
        (*UPDATE_ACTIVITY, "big.json"),
        sparse("big.json", MAX_BODY_BYTES + 1),
        "larger than 64 MiB",
    ),
    case(
        "oversized-stdin",
        (*CREATE_ZONE, "-"),
        input=" " * (MAX_BODY_BYTES + 1),
        has="<stdin>: larger than 64 MiB",
    ),
    case("dev-zero-bulk", (*BULK_ACTIVITIES, "/dev/zero"), has="not a regular file"),
    case("fifo-bulk", (*BULK_ZONES, "pipe.csv"), fifo("pipe.csv"), "not a regular file"),
    case("directory-bulk", (*BULK_SCHEDULES, "adir"), directory("adir"), "is a directory"),
    case("dev-zero-plugin", (*PLUGINS, "/dev/zero"), has="not a regular file"),
    case("fifo-plugin", (*PLUGINS, "p.xml"), fifo("p.xml"), "not a regular file"),
    case("empty-plugin", (*PLUGINS, "p.xml"), text("p.xml", ""), "p.xml: the file is empty"),
    case("dev-zero-upload", (*UPLOAD, "/dev/zero"), has="not a regular file"),
    case(
        "oversized-upload", (*UPLOAD, "photo.jpg"), sparse("photo.jpg", 5_000_001), "at most 5 MB"
    ),
    case("dev-zero-api-input", (*API_ZONE, "--input", "/dev/zero"), has="not a regular file"),
    case(
        "fifo-api-field-file",
        (*API_ZONE, "-F", "workZoneName=@pipe"),
        fifo("pipe"),
        "pipe: is not a regular file",
    ),
    # -- integers longer than Python converts (4300 digits) ----------------------------------
    case(
        "bigint-json",
        (*CREATE_ZONE, "n.json"),
        text("n.json", json.dumps(ZONE)[:-1] + ', "n": ' + BIG + "}"),
        "an integer of 5000 digits",
    ),
    case(
        "bigint-json-negative-nested",
        (*UPDATE_ACTIVITY, "n.json"),
        text("n.json", '{"x": {\n"y": [1, -' + BIG + "]}}"),
        "n.json: line 2, column 10",
    ),
    case(
        "bigint-yaml",
        (*UPDATE_ACTIVITY, "n.yaml"),
        text("n.yaml", f"x: 1\ny: {BIG}\n"),
        "n.yaml: line 2, column 4: invalid YAML: an integer of 5000 digits",
    ),
    case(
        "bigint-ndjson",
        (*BULK_ACTIVITIES, "n.ndjson"),
        text("n.ndjson", '{"activityId": 1}\n{"activityId": ' + BIG + "}\n"),
        "n.ndjson: line 2",
    ),
    case(
        "bigint-csv-cell",
        (*BULK_ZONES, "z.csv"),
        text("z.csv", f"resourceId,workZone,ratio\nR1,NORTH,{BIG}\n"),
        "z.csv: line 2: ratio",
    ),
    case("bigint-api-field", (*API_ZONE, "-F", f"workZoneLabel={BIG}"), has="-F workZoneLabel: "),
    # -- NaN and Infinity: refused, never sent -----------------------------------------------
    case(
        "nan-json",
        (*CREATE_ZONE, "nan.json"),
        text("nan.json", json.dumps(ZONE)[:-1] + ', "v": NaN}'),
        "NaN is not a number",
    ),
    case(
        "infinity-json",
        (*UPDATE_ACTIVITY, "inf.json"),
        text("inf.json", '{"v": Infinity}'),
        "inf.json: line 1, column 7",
    ),
    case(
        "minus-infinity-nested",
        (*UPDATE_ACTIVITY, "inf.json"),
        text("inf.json", '{"s": "NaN is text here",\n "v": [1, -Infinity]}'),
        "line 2, column 11",
    ),
    case(
        "overflow-float-json",
        (*CREATE_ZONE, "f.json"),
        text("f.json", '{"v": 1e999}'),
        "too large for a float",
    ),
    case(
        "nan-yaml",
        (*CREATE_ZONE, "nan.yaml"),
        text("nan.yaml", ZONE_YAML + "v: .nan\n"),
        "nan.yaml: line 5",
    ),
    case(
        "inf-yaml",
        (*UPDATE_ACTIVITY, "inf.yaml"),
        text("inf.yaml", "v: -.Inf\n"),
        "not a number JSON can carry",
    ),
    case(
        "overflow-float-yaml",
        (*UPDATE_ACTIVITY, "f.yaml"),
        text("f.yaml", "v: 1.0e+999\n"),
        "not a number JSON can carry",
    ),
    case(
        "nan-ndjson",
        (*BULK_ACTIVITIES, "n.ndjson"),
        text("n.ndjson", '{"activityId": 1}\n{"activityId": 2, "v": NaN}\n'),
        "n.ndjson: line 2",
    ),
    case(
        "nan-bulk-json",
        (*BULK_ACTIVITIES, "n.json"),
        text("n.json", '{"activities": [\n{"activityId": 1, "v": Infinity}]}'),
        "line 2",
    ),
    case(
        "infinite-api-field",
        (*API_ZONE, "-F", "workZoneLabel=1e999"),
        has="too large for a JSON number",
    ),
    case(
        "nan-api-input",
        (*API_ZONE, "--input", "nan.json"),
        text("nan.json", json.dumps(ZONE)[:-1] + ', "v": NaN}'),
        "NaN",
        one_line=False,
    ),
    # -- impossible dates --------------------------------------------------------------------
    case(
        "date-ndjson",
        (*BULK_ACTIVITIES, "a.ndjson"),
        text(
            "a.ndjson",
            '{"activityId": 1, "date": "2026-11-20"}\n{"activityId": 2, "date": "2026-02-30"}\n',
        ),
        "a.ndjson: line 2: date: '2026-02-30' is not a date",
    ),
    case(
        "date-bulk-json",
        (*BULK_ACTIVITIES, "a.json"),
        text("a.json", '[\n{"activityId": 1},\n{"activityId": 2, "XA_DUE": "2026-04-31"}]'),
        "a.json: line 3: XA_DUE",
    ),
    case(
        "date-bulk-envelope",
        (*BULK_ACTIVITIES, "a.json"),
        text("a.json", '{"activities": [\n{"activityId": 1, "date": "2026-13-01"}]}'),
        "line 2",
    ),
    case(
        "date-csv",
        (*BULK_ACTIVITIES, "a.csv"),
        text("a.csv", "activityId,date\n1,2026-11-20\n2,2026-02-30\n"),
        "a.csv: line 3",
    ),
    case(
        "date-csv-grouped",
        (*BULK_ZONES, "z.csv"),
        text("z.csv", "resourceId,workZone,startDate\nR1,NORTH,2026-11-01\nR1,SOUTH,2026-02-29\n"),
        "z.csv: line 3: workZones[1].startDate",
    ),
    case(
        "date-csv-schedules",
        (*BULK_SCHEDULES, "s.csv"),
        text(
            "s.csv", "resourceId,recordType,startDate,endDate\nR1,working,2026-11-01,2026-11-31\n"
        ),
        "'2026-11-31' is not a date",
    ),
    case(
        "datetime-bad-hour-ndjson",
        (*BULK_ACTIVITIES, "a.ndjson"),
        text("a.ndjson", '{"activityId": 1, "XA_AT": "2026-11-20 25:00:00"}\n'),
        "not a time of day",
    ),
    case(
        "date-body",
        (*UPDATE_ACTIVITY, "a.json"),
        text("a.json", '{"XA_DUE": "2026-02-29"}'),
        "a.json: XA_DUE: '2026-02-29' is not a date",
    ),
    case(
        "date-body-yaml",
        (*CREATE_ZONE, "z.yaml"),
        text("z.yaml", ZONE_YAML + "validity: {from: 2026-06-31}\n"),
        "validity.from",
    ),
    # -- encodings, empty files, wrong shapes, types without a JSON form ---------------------
    case(
        "invalid-utf8",
        (*CREATE_ZONE, "z.json"),
        raw("z.json", b'{"workZoneName": "\xff"}'),
        "z.json: line 1: not UTF-8",
    ),
    case(
        "utf16",
        (*UPDATE_ACTIVITY, "z.json"),
        raw("z.json", '{"a": 1}'.encode("utf-16")),
        "not UTF-8",
    ),
    case(
        "invalid-utf8-csv",
        (*BULK_ZONES, "z.csv"),
        raw("z.csv", b"resourceId,workZone\nR1,NOR\xe9TH\n"),
        "not a UTF-8",
    ),
    case("empty-body", (*CREATE_ZONE, "z.json"), text("z.json", ""), "z.json: the file is empty"),
    case("blank-body", (*UPDATE_ACTIVITY, "z.yaml"), text("z.yaml", " \n\t\n"), "empty"),
    case(
        "comments-only-yaml",
        (*CREATE_ZONE, "z.yaml"),
        text("z.yaml", "# nothing\n"),
        "holds no value",
    ),
    case("empty-bulk", (*BULK_ACTIVITIES, "a.ndjson"), text("a.ndjson", ""), "empty"),
    case(
        "array-for-object",
        (*CREATE_ZONE, "z.json"),
        text("z.json", json.dumps([ZONE])),
        "expected a JSON object, got an array",
    ),
    case(
        "string-for-object",
        (*UPDATE_ACTIVITY, "z.json"),
        text("z.json", '"hello"'),
        "expected a JSON object",
    ),
    case(
        "array-for-any-object",
        (*CUSTOMER_INVENTORY, "i.json"),
        text("i.json", "[1, 2]"),
        "expected a JSON object, got an array",
    ),
    case(
        "object-for-items",
        (*ENUMERATION, "e.yaml"),
        text("e.yaml", "label: x\n"),
        "expected an array",
    ),
    case(
        "bulk-json-string",
        (*BULK_ACTIVITIES, "a.json"),
        text("a.json", '"activities"'),
        "expected a JSON object or array",
    ),
    case(
        "yaml-two-documents",
        (*CREATE_ZONE, "z.yaml"),
        text("z.yaml", "a: 1\n---\nb: 2\n"),
        "expected a single document",
    ),
    case(
        "yaml-binary",
        (*UPDATE_ACTIVITY, "b.yaml"),
        text("b.yaml", "x: !!binary aGVsbG8=\n"),
        "!!binary values have no JSON form",
    ),
    case(
        "yaml-set",
        (*UPDATE_ACTIVITY, "s.yaml"),
        text("s.yaml", "x: !!set {a, b}\n"),
        "!!set values have no JSON form",
    ),
    case(
        "json-control-character",
        (*CREATE_ZONE, "z.json"),
        text("z.json", '{"workZoneName": "a\x00b"}'),
        "invalid JSON",
    ),
    case(
        "json-trailing-data",
        (*UPDATE_ACTIVITY, "z.json"),
        text("z.json", '{"a": 1} {"b": 2}'),
        "extra data",
    ),
    # -- YAML scalars kept as written: sent, not "body is not JSON" (exit 1) ------------------
    case(
        "yaml-date-unknown-field",
        (*CREATE_ZONE, "z.yaml", "--dry-run"),
        text("z.yaml", ZONE_YAML + "startDate: 2026-11-20\n"),
        "dry run",
        code=0,
    ),
    case(
        "yaml-timestamp-unknown-field",
        (*UPDATE_ACTIVITY, "a.yaml", "--dry-run"),
        text("a.yaml", "XA_AT: 2026-11-20 10:00:00\n"),
        "dry run",
        code=0,
    ),
    case(
        "yaml-explicit-timestamp",
        (*UPDATE_ACTIVITY, "a.yaml", "--dry-run"),
        text("a.yaml", "XA_AT: !!timestamp 2026-11-20T10:00:00Z\n"),
        "dry run",
        code=0,
    ),
]


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(case: Case, sandbox_server: ServerHandle, tmp_path: Path) -> None:
    check(case, sandbox_server, tmp_path)


# -- what is sent -------------------------------------------------------------------------


def _dry_run_body(cli: Cli, *argv: str) -> Any:
    result = cli.ok(*argv, "--dry-run")
    return json.loads(result.stdout.split("\n\n", 1)[1])


def test_yaml_scalars_are_sent_as_written(sandbox_server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(sandbox_server, tmp_path)
    path = cli.write(
        "zone.yaml",
        ZONE_YAML
        + "startDate: 2026-11-20\nat: 2026-11-20 10:00:00\nopens: 12:30\nzip: 01234\n"
        + "hex: 0x1F\nratio: 1.5\nkeys: ['10100']\nXA_N: [10100]\n",
    )
    body = _dry_run_body(cli, *CREATE_ZONE, path)
    assert body["startDate"] == "2026-11-20"
    assert body["at"] == "2026-11-20 10:00:00"
    assert body["opens"] == "12:30"  # YAML 1.1 would send 750
    assert body["zip"] == "01234"  # YAML 1.1 would send 668 (octal)
    assert (body["hex"], body["ratio"], body["XA_N"]) == (31, 1.5, [10100])


def test_yaml_date_in_an_unknown_field_reaches_the_server(
    make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    cli = Cli(make_sandbox_server(), tmp_path)  # a server of its own: this creates a zone
    path = cli.write("zone.yaml", ZONE_YAML + "XA_FROM: 2026-11-20\n")
    cli.ok(*CREATE_ZONE, path)
    stored = cli.json("metadata", "work-zones", "get", "BODIES")
    assert stored["workZoneLabel"] == "BODIES"
    assert stored["XA_FROM"] == "2026-11-20"


def test_merge_keys_and_few_aliases_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "base: &b {status: active, travelArea: x}\nzones:\n"
        "  - {<<: *b, workZoneLabel: A}\n  - {<<: *b, workZoneLabel: B}\n",
        encoding="utf-8",
    )
    data = load_document(path)
    assert data["zones"][1] == {"status": "active", "travelArea": "x", "workZoneLabel": "B"}


def test_sixty_four_levels_are_accepted(tmp_path: Path) -> None:
    json_file, yaml_file = tmp_path / "ok.json", tmp_path / "ok.yaml"
    json_file.write_text("[" * 64 + "]" * 64, encoding="utf-8")
    yaml_file.write_text(deep_yaml(63), encoding="utf-8")  # 63 mappings + the innermost one
    value = load_document(json_file)
    for _ in range(63):
        value = value[0]
    assert value == []
    value = load_document(yaml_file)
    for _ in range(63):
        value = value["a"]
    assert value == {"b": 1}


def test_a_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(ZONE).encode())
    assert load_document(path) == ZONE


# -- the library's encoder ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [{"v": math.nan}, {"v": math.inf}, [-math.inf], {"d": datetime.date(2026, 1, 1)}],
    ids=["nan", "inf", "minus-inf", "date-object"],
)
def test_encode_json_refuses_what_json_cannot_carry(value: Any) -> None:
    with pytest.raises(BodyEncodingError) as caught:
        encode_json(value, what="POST x")
    assert isinstance(caught.value, OFSValidationError)
    assert isinstance(caught.value, OFSSerializationError)
    assert str(caught.value).startswith("POST x: body is not JSON")


def test_the_library_never_sends_nan(sandbox_server: ServerHandle) -> None:
    before = sandbox_server.emulator.stats["requests"]
    with sync_client(sandbox_server) as client:
        with pytest.raises(OFSValidationError, match="NaN and Infinity"):
            client.metadata.create_work_zone({**ZONE, "v": math.nan})
        cycle: dict[str, Any] = dict(ZONE)
        cycle["self"] = cycle
        with pytest.raises(OFSValidationError, match="body is not JSON"):
            client.metadata.create_work_zone(cycle)
    assert sandbox_server.emulator.stats["requests"] == before
