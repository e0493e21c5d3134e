"""``ofsc capacity`` over the emulator served on 127.0.0.1: views, writes and bad input."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import STRICT
from served_cli import cli_env
from typer.testing import CliRunner, Result

from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.context import AppContext
from ofsc_cli.sandbox import Emulator, EmulatorConfig, ServerHandle, Store, serve

DAY = "2026-11-20"
AREA = "NORTH_URBAN"

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def server(_seeded_store: Store) -> Iterator[ServerHandle]:
    """A private served emulator: these tests write quota and statuses."""
    with serve(Emulator(_seeded_store.clone(), EmulatorConfig(strict=STRICT))) as handle:
        yield handle


@pytest.fixture(scope="module")
def env(server: ServerHandle, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    return cli_env(server, tmp_path_factory.mktemp("cfg"))


@pytest.fixture(scope="module")
def ofsc(env: dict[str, str | None]) -> Run:
    def run(*args: str, obj: AppContext | None = None) -> Result:
        return CliRunner().invoke(build_app(), list(args), env=env, obj=obj)

    return run


@pytest.fixture(scope="module")
def api(server: ServerHandle) -> Iterator[httpx.Client]:
    """Direct access to the same emulator, to compare with what the commands show."""
    with httpx.Client(base_url=server.url, auth=("demo@sandbox", "demo-secret")) as client:
        yield client


def rows(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def requests_seen(server: ServerHandle) -> int:
    return server.emulator.stats["requests"]


# ----------------------------------------------------------------------------- available


def test_available_gives_one_flat_row_per_date_area_and_category(
    ofsc: Run, api: httpx.Client
) -> None:
    out = rows(
        ofsc(
            "capacity",
            "available",
            "--areas",
            "NORTH,SOUTH_URBAN",
            "--dates",
            f"{DAY},2026-11-21",
            "-o",
            "json",
        )
    )
    raw = api.get(
        "/rest/ofscCapacity/v1/capacity",
        params={"areas": "NORTH,SOUTH_URBAN", "dates": f"{DAY},2026-11-21"},
    ).json()
    expected = 0
    for day in raw["items"]:
        for area in day["areas"]:
            expected += 1 + len(area.get("categories", []))
            total = next(
                r
                for r in out
                if r["date"] == day["date"] and r["area"] == area["label"] and r["category"] is None
            )
            assert total["calendar"] == area["calendar"]["minutes"][0]
            assert total["available"] == area["available"]["minutes"][0]
            assert total["used"] == total["calendar"] - total["available"]
            for cat in area.get("categories", []):
                row = next(
                    r
                    for r in out
                    if r["date"] == day["date"]
                    and r["area"] == area["label"]
                    and r["category"] == cat["label"]
                )
                assert row["available"] == cat["available"]["minutes"][0]
    assert len(out) == expected
    assert {r["date"] for r in out} == {DAY, "2026-11-21"}
    assert set(out[0]) >= {"date", "area", "category", "calendar", "available", "used"}


def test_available_csv_has_a_header_and_one_line_per_row(ofsc: Run) -> None:
    result = ofsc("capacity", "available", "--areas", AREA, "--dates", DAY, "-o", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "date,area,category,calendar,available,used"
    assert lines[1].startswith(f"{DAY},{AREA},,")  # the area's own totals first
    assert len(lines) == 1 + 1 + 4  # header, totals, the area's four categories


def test_available_is_a_table_on_a_terminal(ofsc: Run) -> None:
    out = io.StringIO()
    obj = AppContext(
        stdout_stream=out, stdout_is_tty=True, stderr_stream=io.StringIO(), stderr_is_tty=False
    )
    result = ofsc("capacity", "available", "--areas", AREA, "--dates", DAY, obj=obj)
    assert result.exit_code == 0, result.stderr
    text = out.getvalue()
    for header in ("date", "area", "category", "calendar", "available", "used"):
        assert header in text.lower()  # a drawn table's headers are words ("Date")
    assert AREA in text and "{" not in text


def test_available_nested_prints_the_api_answer(ofsc: Run) -> None:
    out = json.loads(
        ofsc(
            "capacity", "available", "--areas", AREA, "--dates", DAY, "--nested", "-o", "json"
        ).stdout
    )
    assert out["items"][0]["areas"][0]["label"] == AREA


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--areas", AREA, "--dates", "2026-13-01"], "'2026-13-01' is not a date"),
        (["--areas", AREA, "--dates", "20261201"], "YYYY-MM-DD"),
        (["--areas", AREA, "--dates", ","], "--dates: give at least one value"),
        (["--areas", "", "--dates", DAY], "--areas: give at least one value"),
        (["--areas", " , ", "--dates", DAY], "--areas: give at least one value"),
    ],
)
def test_available_bad_input_exits_2_and_sends_nothing(
    ofsc: Run, server: ServerHandle, args: list[str], message: str
) -> None:
    before = requests_seen(server)
    result = ofsc("capacity", "available", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert requests_seen(server) == before


def test_available_unknown_area_is_not_found(ofsc: Run) -> None:
    result = ofsc("capacity", "available", "--areas", "NOWHERE", "--dates", DAY)
    assert result.exit_code == 5
    assert "NOWHERE" in result.stderr


def test_available_dry_run_sends_nothing(ofsc: Run, server: ServerHandle) -> None:
    before = requests_seen(server)
    result = ofsc(
        "capacity",
        "available",
        "--areas",
        "A,B",
        "--dates",
        DAY,
        "--aggregate-results",
        "--dry-run",
    )
    assert result.exit_code == 0
    assert "areas=A%2CB" in result.stdout and "aggregateResults=true" in result.stdout
    assert requests_seen(server) == before


# ----------------------------------------------------------------------------- quota


def test_quota_get_rows_per_area_and_category(ofsc: Run) -> None:
    out = rows(ofsc("capacity", "quota", "get", "--areas", AREA, "--dates", DAY, "-o", "json"))
    totals = [r for r in out if r["category"] is None]
    assert len(totals) == 1 and len(out) == 5
    for row in out:
        assert row["available"] == row["quota"] - row["used"]
        assert row["maxAvailable"] >= row["quota"]


def test_quota_update_then_get_shows_the_new_quota(ofsc: Run, tmp_path: Path) -> None:
    day = "2026-11-24"
    body = {
        "items": [
            {
                "date": day,
                "areas": [
                    {
                        "label": AREA,
                        "quota": 1234,
                        "categories": [{"label": "CAT_ELEC", "quota": 77}],
                    }
                ],
            }
        ]
    }
    result = ofsc("capacity", "quota", "update", "--file", write(tmp_path, "q.json", body))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["errorsCount"] == 0
    out = rows(ofsc("capacity", "quota", "get", "--areas", AREA, "--dates", day, "-o", "json"))
    by_category = {r["category"]: r for r in out}
    assert by_category[None]["quota"] == 1234
    assert by_category["CAT_ELEC"]["quota"] == 77
    v1 = rows(
        ofsc("capacity", "quota", "get", "--v1", "--areas", AREA, "--dates", day, "-o", "json")
    )
    assert {r["category"]: r["quota"] for r in v1}["CAT_ELEC"] == 77


def test_quota_update_v1_reports_refused_changes(ofsc: Run, tmp_path: Path) -> None:
    body = {"items": [{"date": DAY, "areas": [{"label": "NO_SUCH_AREA", "quota": 5}]}]}
    result = ofsc("capacity", "quota", "update", "--v1", "--file", write(tmp_path, "q.json", body))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["results"]["errors"][0]["operation"]["area"] == "NO_SUCH_AREA"
    assert "refused" in result.stderr


def test_quota_file_with_unknown_fields_is_refused_before_sending(
    ofsc: Run, server: ServerHandle, tmp_path: Path
) -> None:
    body = {"items": [{"date": DAY, "areas": [{"label": AREA, "quotta": 10}]}]}
    writes = len(server.emulator.write_log)
    result = ofsc("capacity", "quota", "update", "--file", write(tmp_path, "q.json", body))
    assert result.exit_code == 2
    assert "unknown field 'quotta'" in result.stderr and "quotaPercent" in result.stderr
    assert len(server.emulator.write_log) == writes


def test_quota_time_slot_level_adds_a_time_slot_column(ofsc: Run) -> None:
    result = ofsc(
        "capacity",
        "quota",
        "get",
        "--areas",
        AREA,
        "--dates",
        DAY,
        "--time-slot-level",
        "-o",
        "csv",
    )
    header, *lines = result.stdout.strip().splitlines()
    assert header.split(",")[:4] == ["date", "area", "timeSlot", "category"]
    assert any(line.split(",")[2] == "08-10" for line in lines)


def test_quota_v1_refuses_v2_only_options(ofsc: Run) -> None:
    result = ofsc(
        "capacity", "quota", "get", "--v1", "--areas", AREA, "--dates", DAY, "--time-slot-level"
    )
    assert result.exit_code == 2
    assert "v2" in result.stderr


# ----------------------------------------------------------------------------- booking


def test_booking_options_rows_and_bad_parameters(ofsc: Run, server: ServerHandle) -> None:
    out = rows(
        ofsc(
            "capacity",
            "booking-options",
            "--dates",
            DAY,
            "--activity-type",
            "INSTALL",
            "--areas",
            AREA,
            "--param",
            "postalCode=10100",
            "-o",
            "json",
        )
    )
    slots = [r["timeSlot"] for r in out if r["timeSlot"]]
    assert slots == ["08-10", "10-12", "12-14", "14-16", "16-18"]
    before = requests_seen(server)
    bad = ofsc(
        "capacity",
        "booking-options",
        "--dates",
        DAY,
        "--activity-type",
        "INSTALL",
        "--param",
        "latitude=north",
    )
    assert bad.exit_code == 2 and "'north' is not a number" in bad.stderr
    unknown = ofsc(
        "capacity",
        "booking-options",
        "--dates",
        DAY,
        "--activity-type",
        "INSTALL",
        "--param",
        "colour=red",
    )
    assert unknown.exit_code == 2 and "postalCode" in unknown.stderr
    assert requests_seen(server) == before
    wrong_type = ofsc("capacity", "booking-options", "--dates", DAY, "--activity-type", "NOPE")
    assert wrong_type.exit_code == 1 and "NOPE" in wrong_type.stderr


def test_booking_statuses_close_then_read_back(ofsc: Run, tmp_path: Path) -> None:
    body = {
        "items": [
            {
                "area": AREA,
                "date": "2026-11-25",
                "statuses": [
                    {
                        "category": "CAT_ELEC",
                        "timeFrom": "08:00",
                        "timeTo": "10:00",
                        "state": "closed",
                    }
                ],
            }
        ]
    }
    result = ofsc(
        "capacity", "booking-statuses", "update", "--file", write(tmp_path, "s.json", body)
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"]["updatedFieldCount"] == 1
    out = rows(
        ofsc(
            "capacity",
            "booking-statuses",
            "get",
            "--dates",
            "2026-11-25",
            "--areas",
            AREA,
            "-o",
            "json",
        )
    )
    closed = [r for r in out if r["state"] == "closed"]
    assert [(r["category"], r["timeFrom"]) for r in closed] == [("CAT_ELEC", "08:00")]
    bad = {"items": [{"area": AREA, "date": DAY, "statuses": [{"state": "ajar"}]}]}
    refused = ofsc(
        "capacity", "booking-statuses", "update", "--file", write(tmp_path, "b.json", bad)
    )
    assert refused.exit_code == 2 and '"ajar" is not one of' in refused.stderr


def test_booking_closing_schedule_update_and_get(ofsc: Run, tmp_path: Path) -> None:
    body = {
        "items": [{"area": AREA, "category": "CAT_FIBER", "closeTime": "16:00", "dayOffset": 2}]
    }
    result = ofsc(
        "capacity", "booking-closing-schedule", "update", "--file", write(tmp_path, "c.json", body)
    )
    assert result.exit_code == 0, result.stderr
    out = rows(ofsc("capacity", "booking-closing-schedule", "get", "--areas", AREA, "-o", "json"))
    assert {"area": AREA, "category": "CAT_FIBER", "closeTime": "16:00", "dayOffset": 2} in out
    bad = {"items": [{"area": AREA, "closeTime": "16:00", "dayOffset": 0}]}
    refused = ofsc(
        "capacity", "booking-closing-schedule", "update", "--file", write(tmp_path, "bad.json", bad)
    )
    assert refused.exit_code == 2 and "below the minimum 1" in refused.stderr
    missing = ofsc("capacity", "booking-closing-schedule", "get")
    assert missing.exit_code == 2


def test_booking_grid_and_fields_dependencies(ofsc: Run, tmp_path: Path) -> None:
    request = {
        "activity": {"activityType": "REPAIR", "timeZone": "Eastern"},
        "dateFrom": DAY,
        "dateTo": "2026-11-21",
        "includeTimeSlotsDictionary": True,
    }
    grid = json.loads(
        ofsc(
            "capacity", "booking-grid", "--file", write(tmp_path, "g.json", request), "-o", "json"
        ).stdout
    )
    assert [d["date"] for d in grid["areas"][0]["dates"]] == [DAY, "2026-11-21"]
    assert grid["timeSlotsDictionary"]
    missing = ofsc(
        "capacity", "booking-grid", "--file", write(tmp_path, "m.json", {"dateFrom": DAY})
    )
    assert missing.exit_code == 2 and "missing required field 'activity'" in missing.stderr
    deps = json.loads(ofsc("capacity", "booking-fields-dependencies", "-o", "json").stdout)
    assert "workZoneDependencies" in deps


# ----------------------------------------------------------------------------- dry runs


def test_repeated_list_options_accumulate_and_no_category_level_is_sent(
    ofsc: Run, server: ServerHandle
) -> None:
    before = requests_seen(server)
    result = ofsc(
        "capacity",
        "quota",
        "get",
        "--areas",
        "A",
        "--areas",
        "B,C",
        "--dates",
        DAY,
        "--dates",
        "2026-11-21",
        "--no-category-level",
        "--dry-run",
    )
    assert result.exit_code == 0, result.stderr
    line = result.stdout.splitlines()[0]
    assert line.startswith("GET ") and "/ofscCapacity/v2/quota?" in line
    assert "areas=A%2CB%2CC" in line and f"dates={DAY}%2C2026-11-21" in line
    assert "categoryLevel=false" in line
    assert requests_seen(server) == before


def test_quota_get_v1_dry_run_names_the_v1_service(ofsc: Run, server: ServerHandle) -> None:
    before = requests_seen(server)
    result = ofsc("capacity", "quota", "get", "--v1", "--areas", AREA, "--dates", DAY, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "/ofscCapacity/v1/quota?" in result.stdout and "categoryLevel" not in result.stdout
    assert requests_seen(server) == before


def test_booking_options_param_keeps_commas_in_its_value(ofsc: Run, server: ServerHandle) -> None:
    before = requests_seen(server)
    result = ofsc(
        "capacity",
        "booking-options",
        "--dates",
        DAY,
        "--activity-type",
        "INSTALL",
        "--param",
        "streetAddress=1 Main St, Apt 2",
        "--param",
        "city=Springfield",
        "--dry-run",
    )
    assert result.exit_code == 0, result.stderr
    assert "streetAddress=1+Main+St%2C+Apt+2" in result.stdout
    assert "city=Springfield" in result.stdout
    assert requests_seen(server) == before


def test_quota_update_dry_run_prints_the_checked_body(
    ofsc: Run, server: ServerHandle, tmp_path: Path
) -> None:
    body = {"items": [{"date": DAY, "areas": [{"label": AREA, "quota": 5}]}]}
    writes = len(server.emulator.write_log)
    result = ofsc(
        "capacity",
        "quota",
        "update",
        "--v1",
        "--file",
        write(tmp_path, "q.json", body),
        "--dry-run",
    )
    assert result.exit_code == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert first.startswith("PATCH ") and first.endswith("/ofscCapacity/v1/quota")
    assert json.loads("\n".join(rest[rest.index("") + 1 :])) == body
    assert "refused" not in result.stderr
    assert len(server.emulator.write_log) == writes
