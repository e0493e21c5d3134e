"""``ofsc core activities …`` (get/create/update/delete, search, move, the status actions,
sub-resources) and ``ofsc core where-is-my-tech`` over the served emulator: each command's
happy path and its main error path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from served_cli import Cli, make_cli

from ofsc_cli.sandbox import ServerHandle

PENDING = "4200017"  # pending, 2026-11-20, TECH-0001
OTHER = "4200018"  # pending, same route
COMPLETED = "4200001"  # completed, 2026-11-02
INSTALLED = "4200024"  # completed, with installed inventory


@pytest.fixture
def cli(make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path) -> Cli:
    return make_cli(make_sandbox_server(), tmp_path)


def data(cli: Cli, *args: str) -> Any:
    return json.loads(cli.ok(*args, "-o", "json").stdout)


def body_file(tmp_path: Path, content: Any, name: str = "body.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(content))
    return str(path)


def activity(cli: Cli, activity_id: str) -> dict[str, Any]:
    result: dict[str, Any] = data(cli, "core", "activities", "get", activity_id)
    return result


# -- get / create / update / delete ------------------------------------------------------------


def test_create_get_update_delete(cli: Cli, tmp_path: Path) -> None:
    new = {
        "activityType": "REPAIR",
        "resourceId": "TECH-0001",
        "date": "2026-11-25",
        "customerName": "Ada Lovelace",
        "cust_tier": "gold",  # a custom property travels as is
    }
    created = data(cli, "core", "activities", "create", "--file", body_file(tmp_path, new))
    aid = str(created["activityId"])
    assert created["status"] == "pending" and created["cust_tier"] == "gold"
    patch = body_file(tmp_path, {"customerName": "Ada King", "job_notes": "gate code 12"}, "p.json")
    updated = data(cli, "core", "activities", "update", aid, "--file", patch)
    assert updated["customerName"] == "Ada King" and updated["cust_tier"] == "gold"
    assert activity(cli, aid)["job_notes"] == "gate code 12"
    cli.ok("core", "activities", "delete", aid, "--yes")
    assert cli("core", "activities", "get", aid).exit_code == 5


def test_create_without_required_fields_is_refused_before_sending(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "core", "activities", "create", "--file", body_file(tmp_path, {"date": "2026-11-25"})
    )
    assert result.exit_code == 2 and "activityType" in result.stderr
    assert cli.emulator.request_counts["POST /rest/ofscCore/v1/activities"] == 0


def test_update_refuses_fields_only_actions_change(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "core",
        "activities",
        "update",
        PENDING,
        "--file",
        body_file(tmp_path, {"date": "2026-11-21"}),
    )
    assert result.exit_code == 2 and "move" in result.stderr


def test_delete_needs_yes_off_a_terminal_and_a_pending_activity(cli: Cli) -> None:
    asked = cli("core", "activities", "delete", PENDING)
    assert asked.exit_code == 2 and "--yes" in asked.stderr
    finished = cli("core", "activities", "delete", COMPLETED, "--yes")
    assert finished.exit_code == 1 and "pending" in finished.stderr


def test_unknown_activity_exits_5(cli: Cli) -> None:
    for args in (
        ["get", "1"],
        ["start", "1"],
        ["links", "1"],
        ["move", "1", "--date", "2026-11-21"],
    ):
        assert cli("core", "activities", *args).exit_code == 5, args


# -- search ------------------------------------------------------------------------------------


def test_search_finds_by_field_with_dates_and_all(cli: Cli) -> None:
    target = activity(cli, PENDING)
    found = data(
        cli,
        "core",
        "activities",
        "search",
        "--search-in",
        "apptNumber",
        "--value",
        target["apptNumber"],
    )
    assert [a["activityId"] for a in found] == [int(PENDING)]
    assert set(found[0]) <= {"activityId", "resourceId", "date", "status"}
    many = data(
        cli, "core", "activities", "search", "--search-in", "customerNumber", "--value",
        target["customerNumber"], "--date-from", "2026-11-01", "--date-to", "2026-11-30", "--all",
        "--fields", "activityId,customerNumber",
    )  # fmt: skip
    assert int(PENDING) in [a["activityId"] for a in many]
    assert all(a["customerNumber"] == target["customerNumber"] for a in many)


def test_search_bad_input(cli: Cli) -> None:
    field = cli("core", "activities", "search", "--search-in", "status", "--value", "x")
    assert field.exit_code == 1 and "cannot be searched" in field.stderr
    half = cli(
        "core",
        "activities",
        "search",
        "--search-in",
        "apptNumber",
        "--value",
        "x",
        "--date-from",
        "2026-11-01",
    )
    assert half.exit_code == 2


# -- move and the status actions ------------------------------------------------------------------


def test_move_to_another_resource_and_day(cli: Cli) -> None:
    result = cli.ok(
        "core", "activities", "move", PENDING, "--to-resource", "TECH-0002", "--date", "2026-11-30"
    )
    assert "moved" in result.stderr
    moved = activity(cli, PENDING)
    assert (moved["resourceId"], moved["date"]) == ("TECH-0002", "2026-11-30")
    assert cli("core", "activities", "move", PENDING).exit_code == 2
    assert cli("core", "activities", "move", PENDING, "--date", "30/11").exit_code == 2
    unknown = cli("core", "activities", "move", PENDING, "--to-resource", "NOBODY")
    assert unknown.exit_code == 1 and "NOBODY" in unknown.stderr


def test_a_day_in_the_life_of_an_activity(cli: Cli) -> None:
    def status(*args: str) -> str:
        return str(data(cli, "core", "activities", *args)["status"])

    assert status("enroute", PENDING) == "enroute"
    assert status("stop-travel", PENDING) == "pending"
    assert status("start", PENDING, "--time", "2026-11-20 09:00:00") == "started"
    delayed = data(cli, "core", "activities", "delay", PENDING, "--minutes", "30")
    assert delayed["status"] == "started"
    done = data(cli, "core", "activities", "complete", PENDING, "--time", "2026-11-20 10:15:00")
    assert (done["status"], done["startTime"], done["endTime"]) == (
        "completed",
        "2026-11-20 09:00:00",
        "2026-11-20 10:15:00",
    )
    reopened = data(cli, "core", "activities", "reopen", PENDING, "--position", "first")
    assert reopened["status"] == "pending" and reopened["activityId"] != int(PENDING)
    assert status("cancel", str(reopened["activityId"])) == "cancelled"


def test_suspend_not_done_and_prework(cli: Cli) -> None:
    cli.ok("core", "activities", "start", PENDING)
    assert data(cli, "core", "activities", "suspend", PENDING)["status"] == "suspended"
    cli.ok("core", "activities", "start", OTHER)
    assert data(cli, "core", "activities", "not-done", OTHER)["status"] == "notdone"
    prework = data(cli, "core", "activities", "start-prework", "4200019")
    assert prework["activityId"] == 4200019


def test_actions_from_the_wrong_status_or_with_a_bad_time(cli: Cli) -> None:
    wrong = cli("core", "activities", "complete", PENDING)
    assert wrong.exit_code == 1 and "needs it started" in wrong.stderr
    past = cli("core", "activities", "start", COMPLETED)
    assert past.exit_code == 1
    bad = cli("core", "activities", "start", PENDING, "--time", "9am")
    assert bad.exit_code == 2 and "YYYY-MM-DD HH:MM:SS" in bad.stderr
    assert cli("core", "activities", "delay", PENDING).exit_code == 2


def test_dry_run_prints_the_action_and_changes_nothing(cli: Cli) -> None:
    result = cli.ok(
        "core", "activities", "start", PENDING, "--time", "2026-11-20 09:00:00", "--dry-run"
    )
    assert result.stdout.startswith(
        f"POST {cli.server.url}/rest/ofscCore/v1/activities/{PENDING}/custom-actions/start"
    )
    assert '"time": "2026-11-20 09:00:00"' in result.stdout
    assert activity(cli, PENDING)["status"] == "pending"


# -- sub-resources -----------------------------------------------------------------------------


def test_links_add_list_get_set_remove_delete(cli: Cli, tmp_path: Path) -> None:
    link = {"fromActivityId": int(PENDING), "toActivityId": int(OTHER), "linkType": "START_AFTER"}
    cli.ok("core", "activities", "links", "add", PENDING, "--file", body_file(tmp_path, link))
    assert data(cli, "core", "activities", "links", PENDING) == [link]
    assert data(cli, "core", "activities", "links", "list", OTHER) == [link]
    assert data(cli, "core", "activities", "links", "get", PENDING, OTHER, "START_AFTER") == link
    changed = data(
        cli, "core", "activities", "links", "set", PENDING, OTHER, "START_AFTER", "--file",
        body_file(tmp_path, {"minIntervalValue": 30}, "min.json"),
    )  # fmt: skip
    assert changed["minIntervalValue"] == 30
    cli.ok("core", "activities", "links", "remove", PENDING, OTHER, "START_AFTER", "--yes")
    assert data(cli, "core", "activities", "links", PENDING) == []
    cli.ok("core", "activities", "links", "add", PENDING, "--file", body_file(tmp_path, link))
    cli.ok("core", "activities", "links", "delete", PENDING, "--yes")
    assert data(cli, "core", "activities", "links", OTHER) == []
    bad = {**link, "linkType": "NO_SUCH_TYPE"}
    assert (
        cli(
            "core", "activities", "links", "add", PENDING, "--file", body_file(tmp_path, bad)
        ).exit_code
        == 1
    )


def test_required_inventories_and_resource_preferences(cli: Cli, tmp_path: Path) -> None:
    required = {"items": [{"inventoryType": "ROUTER", "model": "AX-3000", "quantity": 2}]}
    cli.ok(
        "core",
        "activities",
        "required-inventories",
        "set",
        PENDING,
        "--file",
        body_file(tmp_path, required),
    )
    assert data(cli, "core", "activities", "required-inventories", PENDING) == required["items"]
    cli.ok("core", "activities", "required-inventories", "delete", PENDING, "--yes")
    assert data(cli, "core", "activities", "required-inventories", PENDING) == []
    missing = {"items": [{"inventoryType": "ROUTER", "quantity": 2}]}
    refused = cli(
        "core",
        "activities",
        "required-inventories",
        "set",
        PENDING,
        "--file",
        body_file(tmp_path, missing),
    )
    assert refused.exit_code == 2 and "model" in refused.stderr

    prefs = {"items": [{"resourceId": "TECH-0002", "preferenceType": "preferred"}]}
    cli.ok(
        "core",
        "activities",
        "resource-preferences",
        "set",
        PENDING,
        "--file",
        body_file(tmp_path, prefs),
    )
    assert data(cli, "core", "activities", "resource-preferences", PENDING) == prefs["items"]
    cli.ok("core", "activities", "resource-preferences", "delete", PENDING, "--yes")
    assert data(cli, "core", "activities", "resource-preferences", PENDING) == []


def test_inventories_of_an_activity(cli: Cli, tmp_path: Path) -> None:
    installed = data(cli, "core", "activities", "installed-inventories", INSTALLED)
    assert installed and all(i["status"] == "installed" for i in installed)
    assert data(cli, "core", "activities", "deinstalled-inventories", INSTALLED) == []
    new = {"inventoryType": "ROUTER", "serialNumber": "RT-1", "quantity": 1}
    added = data(
        cli,
        "core",
        "activities",
        "customer-inventories",
        "add",
        PENDING,
        "--file",
        body_file(tmp_path, new),
    )
    assert added["status"] == "customer" and added["activityId"] == int(PENDING)
    listed = data(cli, "core", "activities", "customer-inventories", PENDING)
    assert [i["serialNumber"] for i in listed] == ["RT-1"]


def test_forms_capacity_categories_and_segments(cli: Cli) -> None:
    forms = data(cli, "core", "activities", "submitted-forms", COMPLETED)
    assert len(forms) == 1 and forms[0]["formIdentifier"]["formLabel"] == "job_closure"
    assert data(cli, "core", "activities", "submitted-forms", PENDING) == []
    categories = data(cli, "core", "activities", "capacity-categories", PENDING)
    assert len(categories) == 1 and categories[0]["capacityCategory"].startswith("CAT_")
    assert data(cli, "core", "activities", "multiday-segments", PENDING) == []


def test_sub_resource_table_output(cli: Cli, tmp_path: Path) -> None:
    out = cli.ok("core", "activities", "capacity-categories", PENDING, "-o", "table").stdout
    assert out.splitlines()[0] == "capacityCategory"


# -- where is my tech -----------------------------------------------------------------------------


def test_where_is_my_tech(cli: Cli) -> None:
    assigned = data(cli, "core", "where-is-my-tech", PENDING, "--resource-fields", "email")
    assert assigned["status"] == "assigned" and "email" in assigned["resourceDetails"]
    cli.ok("core", "activities", "enroute", PENDING)
    moving = data(cli, "core", "where-is-my-tech", PENDING)
    assert moving["status"] == "onTheWay" and "latitude" in moving["coordinates"]
    assert cli("core", "where-is-my-tech", "1").exit_code == 5
