"""``ofsc core resources|users|inventories|calendars`` over the served emulator.

Every command runs end to end over real HTTP on 127.0.0.1: its happy path and its main
error path (unknown id → exit 5, bad dates → exit 2, refused body → exit 1…).
Reads share the session's emulator; writes get a private one each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from served_cli import Cli

from ofsc_cli.sandbox import ServerHandle


@pytest.fixture
def cli(sandbox_server: ServerHandle, tmp_path: Path) -> Cli:
    """The CLI on the shared (read-mostly) emulator."""
    return Cli(sandbox_server, tmp_path)


@pytest.fixture
def wcli(make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path) -> Cli:
    """The CLI on a private emulator (free to write)."""
    return Cli(make_sandbox_server(), tmp_path)


# -- resources: reads ----------------------------------------------------------------------


def test_list_one_page_all_and_limit(cli: Cli) -> None:
    first = cli.json("core", "resources", "list")
    assert first[0]["resourceId"] == "ROOT" and len(first) == 48
    everything = cli.json("core", "resources", "list", "--all")
    assert [r["resourceId"] for r in everything] == [r["resourceId"] for r in first]
    assert len(cli.json("core", "resources", "list", "--limit", "5")) == 5
    assert (
        cli.json("core", "resources", "list", "--offset", "46")[0]["resourceId"]
        == (first[46]["resourceId"])
    )


def test_fields_are_sent_to_the_api(cli: Cli) -> None:
    before = cli.server.emulator.request_counts.copy()
    items = cli.json("core", "resources", "list", "--fields", "resourceId,name")
    assert set(items[1]) == {"resourceId", "name"}
    one = cli.json("core", "resources", "get", "TECH-0001", "--fields", "name")
    assert one == {"name": one["name"]}
    assert cli.server.emulator.request_counts != before
    bad = cli.fails(1, "core", "resources", "list", "--fields", "shoeSize")
    assert "shoeSize" in bad.stderr  # the API refused the field: it was really sent


def test_get_and_unknown_resource(cli: Cli) -> None:
    assert cli.json("core", "resources", "get", "TECH-0001")["resourceType"] == "PR"
    result = cli.fails(5, "core", "resources", "get", "NO-SUCH")
    assert "NO-SUCH" in result.stderr


def test_children_descendants_and_tree(cli: Cli) -> None:
    kids = cli.json("core", "resources", "children", "ROOT")
    assert [k["resourceId"] for k in kids][:2] == ["BK_NORTH", "BK_SOUTH"]
    below = cli.json("core", "resources", "descendants", "BK_NORTH", "--all")
    tree = cli.json("core", "resources", "tree", "BK_NORTH")
    assert tree["resourceId"] == "BK_NORTH"

    def flatten(node: dict[str, object]) -> list[str]:
        out = [str(node["resourceId"])]
        for child in node.get("children", []):  # type: ignore[attr-defined]
            out += flatten(child)
        return out

    assert flatten(tree)[1:] == [d["resourceId"] for d in below]
    csv_rows = cli.ok("core", "resources", "tree", "BK_NORTH", "-o", "csv").stdout.splitlines()
    assert csv_rows[0].startswith("depth,resourceId") and csv_rows[1].startswith("0,BK_NORTH")
    cli.fails(5, "core", "resources", "tree", "NO-SUCH")
    cli.fails(5, "core", "resources", "children", "NO-SUCH")


def test_sub_collections_with_and_without_the_verb(cli: Cli) -> None:
    short = cli.json("core", "resources", "work-skills", "TECH-0001")
    assert short == cli.json("core", "resources", "work-skills", "list", "TECH-0001")
    assert short and "workSkill" in short[0]
    zones = cli.json("core", "resources", "work-zones", "TECH-0001", "--only-active")
    assert all(z["workZoneStatus"] == "active" for z in zones)
    schedules = cli.json("core", "resources", "work-schedules", "TECH-0001")
    assert schedules[0]["recordType"] == "shift"
    locations = cli.json("core", "resources", "locations", "TECH-0001")
    loc_id = str(locations[0]["locationId"])
    assert cli.json("core", "resources", "locations", "get", "TECH-0001", loc_id)["label"]
    assert "mon" in cli.json("core", "resources", "assigned-locations", "TECH-0001")
    assert cli.json("core", "resources", "inventories", "TECH-0001")[0]["status"] == "resource"
    assert isinstance(cli.json("core", "resources", "users", "TECH-0001"), list)
    for group in ("work-skills", "work-zones", "work-schedules", "locations", "inventories"):
        result = cli.fails(5, "core", "resources", group, "NO-SUCH")
        assert "NO-SUCH" in result.stderr


def test_date_arguments_are_checked_before_sending(cli: Cli) -> None:
    cases = [
        (
            "work-schedules",
            "calendar-view",
            "TECH-0001",
            "--date-from",
            "2026-11-05",
            "--date-to",
            "2026-11-01",
        ),
        (
            "assigned-locations",
            "get",
            "TECH-0001",
            "--date-from",
            "2026-11-01",
            "--date-to",
            "2026-12-31",
        ),
        ("plans", "get", "TECH-0001", "--date-from", "2026-11-01", "--date-to", "11/30/2026"),
        ("routes", "get", "TECH-0001", "2026-02-30"),
        ("position-history", "TECH-0001", "--date", "yesterday"),
        ("assistants", "TECH-0001", "--date-from", "2026-11-16", "--date-to", "2026-12-16"),
    ]
    before = cli.server.emulator.stats["requests"]
    for args in cases:
        result = cli.fails(2, "core", "resources", *args)
        assert "invalid" in result.stderr, args
    assert cli.server.emulator.stats["requests"] == before  # nothing was sent


def test_calendar_view_routes_plans_and_positions(cli: Cli) -> None:
    view = cli.json(
        "core",
        "resources",
        "work-schedules",
        "calendar-view",
        "TECH-0001",
        "--date-from",
        "2026-11-02",
        "--date-to",
        "2026-11-08",
    )
    # An object keyed by date (the spec's and live tenants' shape); the weekend has no shift.
    assert sorted(view) == [f"2026-11-0{d}" for d in range(2, 7)]
    assert view["2026-11-02"]["recordType"] == "shift" and view["2026-11-02"]["workTimeStart"]
    route = cli.json("core", "resources", "routes", "TECH-0001", "2026-11-16", "--all")
    assert route and all(a["date"] == "2026-11-16" for a in route)
    assert cli.json("core", "resources", "routes", "TECH-0001", "nonScheduled") is not None
    assert (
        cli.json(
            "core",
            "resources",
            "plans",
            "TECH-0001",
            "--date-from",
            "2026-11-01",
            "--date-to",
            "2026-11-30",
        )
        == []
    )
    history = cli.json("core", "resources", "position-history", "TECH-0001", "--date", "2026-11-16")
    assert history == cli.json(
        "core", "resources", "positions", "TECH-0001", "--date", "2026-11-16"
    )
    assert len(history) > 5 and {"time", "lat", "lng"} <= set(history[0])
    cli.fails(5, "core", "resources", "routes", "NO-SUCH", "2026-11-16")
    cli.fails(5, "core", "resources", "position-history", "NO-SUCH", "--date", "2026-11-16")


def test_positions_searches_and_team(cli: Cli) -> None:
    last = cli.json("core", "resources", "last-known-positions", "--resources", "TECH-0001,NOPE")
    assert [p["resourceId"] for p in last] == ["TECH-0001", "NOPE"]
    assert "errorMessage" in last[1]
    near = cli.json(
        "core",
        "resources",
        "resources-in-area",
        "--lat",
        str(last[0]["lat"]),
        "--lng",
        str(last[0]["lng"]),
        "--radius",
        "5000",
    )
    assert near[0]["resourceId"] == "TECH-0001" and near[0]["dis"] == 0
    # Refused before sending (latitudes are -90..90), not by the server.
    cli.fails(2, "core", "resources", "resources-in-area", "--lat", "95", "--lng", "0")
    nearby = cli.json("core", "resources", "find-nearby-activities", "TECH-0001", "--limit", "3")
    assert len(nearby) <= 3
    cli.fails(5, "core", "resources", "find-nearby-activities", "NO-SUCH")
    assert (
        cli.json("core", "resources", "assistants", "TECH-0001", "--date-from", "2026-11-16") == []
    )
    cli.fails(1, "core", "resources", "assistants", "TECH-0001", "--date-from", "2026-11-01")
    activity = json.loads(
        cli.ok("core", "resources", "routes", "TECH-0001", "2026-11-16", "-o", "json").stdout
    )[0]
    search = cli.write("fmr.json", {"activityId": activity["activityId"], "limit": 5})
    found = cli.json("core", "resources", "find-matching-resources", "--file", search)
    assert 0 < len(found) <= 5 and "resource" in found[0]
    cli.fails(1, "core", "resources", "find-matching-resources", "--file", cli.write("e.json", {}))
    urgent = cli.write(
        "urgent.json",
        {
            "activity": {
                "activityType": activity["activityType"],
                "latitude": activity["latitude"],
                "longitude": activity["longitude"],
            }
        },
    )
    assert cli.json("core", "resources", "find-for-urgent-assignment", "--file", urgent)
    cli.fails(
        1, "core", "resources", "find-for-urgent-assignment", "--file", cli.write("u.json", {})
    )


def test_calendars(cli: Cli) -> None:
    days = cli.json(
        "core",
        "calendars",
        "--resources",
        "TECH-0001,TECH-0002",
        "--date-from",
        "2026-11-02",
        "--date-to",
        "2026-11-04",
    )
    assert [(d["resourceId"], d["date"]) for d in days][:2] == [
        ("TECH-0001", "2026-11-02"),
        ("TECH-0001", "2026-11-03"),
    ]
    assert len(days) == 6
    result = cli.fails(
        2,
        "core",
        "calendars",
        "--resources",
        "TECH-0001",
        "--date-from",
        "2026-11-01",
        "--date-to",
        "2026-12-15",
    )
    assert "at most 31" in result.stderr
    result = cli.fails(
        5,
        "core",
        "calendars",
        "--resources",
        "NO-SUCH",
        "--date-from",
        "2026-11-01",
        "--date-to",
        "2026-11-02",
    )
    assert "NO-SUCH" in result.stderr


# -- resources: writes -----------------------------------------------------------------------


def test_create_replace_update_resource(wcli: Cli) -> None:
    body = {
        "name": "New tech",
        "resourceType": "PR",
        "parentResourceId": "BK_EAST_A",
        "language": "en",
        "timeZone": "Eastern",
        "status": "active",
        "res_shirt_size": "L",
    }
    path = wcli.write("r.json", body)
    dry = wcli.ok("core", "resources", "create", "NEW-1", "--file", path, "--dry-run")
    assert dry.stdout.startswith("PUT ") and "NEW-1" in dry.stdout
    wcli.fails(5, "core", "resources", "get", "NEW-1")  # the dry run sent nothing
    created = wcli.json("core", "resources", "create", "NEW-1", "--file", path)
    assert created["res_shirt_size"] == "L"  # custom properties travel both ways
    patch = wcli.write("p.json", {"name": "Renamed"})
    assert wcli.json("core", "resources", "update", "NEW-1", "--file", patch)["name"] == "Renamed"
    replaced = wcli.json("core", "resources", "replace", "NEW-1", "--file", path)
    assert replaced["name"] == "New tech"
    wcli.fails(5, "core", "resources", "update", "NO-SUCH", "--file", patch)
    bad = wcli.write("bad.json", {"status": "retired"})
    result = wcli.fails(2, "core", "resources", "update", "NEW-1", "--file", bad)
    assert "status" in result.stderr


def test_work_skill_zone_schedule_writes(wcli: Cli) -> None:
    skills = wcli.write("s.json", [{"workSkill": "PLUMB_REP", "ratio": 80}])
    result = wcli.json("core", "resources", "work-skills", "set", "TECH-0001", "--file", skills)
    assert [s["workSkill"] for s in result] == ["PLUMB_REP"]
    not_array = wcli.write("o.json", {"workSkill": "PLUMB_REP", "ratio": 80})
    wcli.fails(2, "core", "resources", "work-skills", "set", "TECH-0001", "--file", not_array)
    wcli.ok("core", "resources", "work-skills", "delete", "TECH-0001", "PLUMB_REP", "--yes")
    wcli.fails(5, "core", "resources", "work-skills", "delete", "TECH-0001", "PLUMB_REP", "--yes")
    refused = wcli.fails(2, "core", "resources", "work-skills", "delete", "TECH-0001", "X")
    assert "--yes" in refused.stderr  # not a terminal: destructive verbs need --yes

    zone = wcli.write("z.json", {"workZone": "BAYVIEW", "startDate": "2026-12-01"})
    wcli.ok("core", "resources", "work-zones", "add", "TECH-0002", "--file", zone)
    zones = wcli.json("core", "resources", "work-zones", "TECH-0002")
    new = next(z for z in zones if z["startDate"] == "2026-12-01")
    wcli.ok(
        "core", "resources", "work-zones", "delete", "TECH-0002", str(new["workZoneItemId"]), "-y"
    )
    wcli.fails(5, "core", "resources", "work-zones", "delete", "TECH-0002", "999999", "-y")
    missing = wcli.write("zm.json", {"workZone": "BAYVIEW"})
    assert (
        "startDate"
        in wcli.fails(
            2, "core", "resources", "work-zones", "add", "TECH-0002", "--file", missing
        ).stderr
    )

    record = wcli.write(
        "w.json",
        {"recordType": "non-working", "startDate": "2026-12-24", "nonWorkingReason": "VACATION"},
    )
    added = wcli.json("core", "resources", "work-schedules", "add", "TECH-0003", "--file", record)
    item = next(i for i in added if i["startDate"] == "2026-12-24")
    wcli.ok(
        "core",
        "resources",
        "work-schedules",
        "delete",
        "TECH-0003",
        str(item["scheduleItemId"]),
        "--yes",
    )
    wcli.fails(5, "core", "resources", "work-schedules", "delete", "TECH-0003", "999999", "--yes")


def test_location_writes(wcli: Cli) -> None:
    loc = wcli.write(
        "l.json", {"label": "depot", "city": "Bayview", "latitude": 40.4, "longitude": -74.2}
    )
    created = wcli.json("core", "resources", "locations", "create", "TECH-0001", "--file", loc)
    loc_id = str(created["locationId"])
    patch = wcli.write("lp.json", {"city": "Harbor"})
    assert (
        wcli.json("core", "resources", "locations", "update", "TECH-0001", loc_id, "--file", patch)[
            "city"
        ]
        == "Harbor"
    )
    wcli.ok("core", "resources", "locations", "delete", "TECH-0001", loc_id, "--yes")
    wcli.fails(5, "core", "resources", "locations", "get", "TECH-0001", loc_id)
    bad = wcli.write("lb.json", {"latitude": 123})
    wcli.fails(2, "core", "resources", "locations", "create", "TECH-0001", "--file", bad)

    week = wcli.json("core", "resources", "assigned-locations", "TECH-0001")
    home = week["mon"]["start"]
    new_week = wcli.write("wk.json", {"mon": {"start": home, "end": home}})
    assert set(
        wcli.json("core", "resources", "assigned-locations", "set", "TECH-0001", "--file", new_week)
    ) >= {"mon"}
    wcli.ok("core", "resources", "assigned-locations", "delete", "TECH-0001", "mon", "--yes")
    wcli.fails(2, "core", "resources", "assigned-locations", "delete", "TECH-0001", "funday", "-y")


def test_resource_users_inventories_plans_routes_positions(wcli: Cli) -> None:
    assert wcli.json("core", "resources", "users", "set", "TECH-0001", "--login", "admin") == [
        {"login": "admin"}
    ]
    wcli.ok("core", "resources", "users", "delete", "TECH-0001", "--yes")
    assert wcli.json("core", "resources", "users", "TECH-0001") == []
    wcli.fails(2, "core", "resources", "users", "set", "TECH-0001")  # neither --file nor --login

    inv = wcli.write("i.json", {"inventoryType": "ROUTER", "serialNumber": "SN-1"})
    created = wcli.json("core", "resources", "inventories", "create", "TECH-0001", "--file", inv)
    assert created["status"] == "resource"
    activity = wcli.json("core", "resources", "routes", "TECH-0001", "2026-11-20")[0]
    wcli.ok(
        "core",
        "resources",
        "inventories",
        "install",
        "TECH-0001",
        str(created["inventoryId"]),
        "--activity",
        str(activity["activityId"]),
    )
    assert wcli.json("core", "inventories", "get", str(created["inventoryId"]))["status"] == (
        "installed"
    )
    wcli.fails(
        5,
        "core",
        "resources",
        "inventories",
        "install",
        "TECH-0001",
        "1",
        "--activity",
        str(activity["activityId"]),
    )

    wcli.ok(
        "core",
        "resources",
        "plans",
        "create",
        "TECH-0001",
        "--measure",
        "points",
        "--value",
        "12",
        "--date",
        "2026-11-20",
    )
    plans = wcli.json(
        "core",
        "resources",
        "plans",
        "TECH-0001",
        "--date-from",
        "2026-11-20",
        "--date-to",
        "2026-11-20",
    )
    assert plans == [{"measure": "points", "value": 12.0, "date": "2026-11-20"}]
    wcli.fails(2, "core", "resources", "plans", "create", "TECH-0001", "--measure", "points")
    wcli.ok(
        "core",
        "resources",
        "plans",
        "delete",
        "TECH-0001",
        "--measure",
        "points",
        "--date",
        "2026-11-20",
        "--yes",
    )

    wcli.ok(
        "core",
        "resources",
        "routes",
        "activate",
        "TECH-0001",
        "2026-11-20",
        "--time",
        "2026-11-20 07:55:00",
    )
    wcli.fails(1, "core", "resources", "routes", "activate", "TECH-0001", "2026-11-20")
    wcli.ok("core", "resources", "routes", "deactivate", "TECH-0001", "2026-11-20")
    wcli.fails(1, "core", "resources", "routes", "deactivate", "TECH-0001", "2026-11-20")

    positions = wcli.write(
        "pos.json",
        {
            "items": [
                {
                    "resourceId": "TECH-0001",
                    "time": "2026-11-16 18:00:00",
                    "lat": 40.5,
                    "lng": -74.3,
                },
                {"resourceId": "NOPE", "time": "2026-11-16 18:00:00", "lat": 40.5, "lng": -74.3},
            ]
        },
    )
    answer = wcli.json("core", "resources", "set-positions", "--file", positions)
    assert answer["itemsProcessed"] == 1 and answer["errors"][0]["itemIndex"] == 1
    last = wcli.json("core", "resources", "last-known-positions", "--resources", "TECH-0001")
    assert last[0]["time"] == "2026-11-16 18:00:00"
    too_many = wcli.write(
        "many.json",
        {
            "items": [
                {"resourceId": "TECH-0001", "time": "2026-11-16 18:00:00", "lat": 0, "lng": 0}
            ]
            * 301
        },
    )
    wcli.fails(2, "core", "resources", "set-positions", "--file", too_many)


def _store_photo(wcli: Cli, group: str, key: str, label: str) -> tuple[bytes, Path]:
    """Upload a test picture as ``label`` of ``key``; its bytes and the source file."""
    content = bytes(range(256)) * 40
    source = wcli.tmp_path / "photo.png"
    source.write_bytes(content)
    wcli.ok("core", group, "file", "set", key, label, "--file", str(source))
    return content, source


@pytest.mark.parametrize(
    ("group", "key", "label"),
    [
        ("resources", "TECH-0001", "res_photo"),
        ("users", "admin", "user_photo"),
        ("inventories", "21000001", "inv_photo"),
    ],
)
def test_file_properties(wcli: Cli, group: str, key: str, label: str) -> None:
    content, source = _store_photo(wcli, group, key, label)
    base = ("core", group, "file")
    target = wcli.tmp_path / "out" / "copy.png"
    target.parent.mkdir()
    wcli.ok(*base, "get", key, label, "--output-file", str(target))
    assert target.read_bytes() == content
    assert not (target.parent / "copy.png.part").exists()
    wcli.ok(*base, "delete", key, label, "--yes")
    wcli.fails(5, *base, "get", key, label, "--output-file", str(target))
    assert target.read_bytes() == content  # a failed download leaves the old file alone
    assert list(target.parent.iterdir()) == [target]
    wcli.fails(
        5,
        *base,
        "set",
        "999999" if group == "inventories" else "NO-SUCH",
        label,
        "--file",
        str(source),
    )


@pytest.mark.parametrize(
    ("group", "key", "label"),
    [("resources", "TECH-0001", "res_photo"), ("users", "admin", "user_photo")],
)
def test_file_download_resumes_a_partial_file(wcli: Cli, group: str, key: str, label: str) -> None:
    content, _ = _store_photo(wcli, group, key, label)
    base = ("core", group, "file")
    target = wcli.tmp_path / "copy.png"
    (wcli.tmp_path / "copy.png.part").write_bytes(content[:3000])
    result = wcli.ok(*base, "get", key, label, "--output-file", str(target))
    assert "resumed from byte 3000" in result.stderr
    assert target.read_bytes() == content
    assert sorted(p.name for p in wcli.tmp_path.iterdir() if "copy" in p.name) == ["copy.png"]


def test_file_stdout_info_media_type_alias_and_size_limit(wcli: Cli) -> None:
    source = wcli.tmp_path / "scan.bin"
    source.write_bytes(b"%PDF-1.7 scan")
    base = ("core", "users", "file")
    wcli.ok(*base, "set", "admin", "user_photo", "--file", str(source), "--media-type", "image/png")
    assert wcli.ok(*base, "get", "admin", "user_photo").stdout_bytes == b"%PDF-1.7 scan"
    accepted = wcli.ok(*base, "get", "admin", "user_photo", "--accept", "image/png")
    assert accepted.stdout_bytes == b"%PDF-1.7 scan"
    refused = wcli(*base, "get", "admin", "user_photo", "--accept", "text/csv")
    assert refused.exit_code == 1 and refused.stdout_bytes == b""
    info = wcli.json(*base, "info", "admin", "user_photo")
    assert info["mediaType"] == "image/png" and info["size"] == len(b"%PDF-1.7 scan")
    big = wcli.tmp_path / "big.png"
    big.write_bytes(b"x" * 5_000_001)
    result = wcli.fails(
        2, "core", "inventories", "file", "set", "21000001", "inv_photo", "-F", str(big)
    )
    assert "at most 5 MB" in result.stderr
    assert "whole number" in wcli.fails(2, "core", "inventories", "file", "info", "x", "p").stderr
    dry = wcli.ok(*base, "delete", "admin", "user_photo", "--dry-run")
    assert "DELETE" in dry.stdout + dry.stderr
    wcli.ok(*base, "info", "admin", "user_photo")  # the dry run sent nothing


def test_download_into_a_missing_directory_names_it(wcli: Cli) -> None:
    source = wcli.tmp_path / "p.png"
    source.write_bytes(b"x")
    wcli.ok("core", "resources", "file", "set", "TECH-0001", "res_photo", "--file", str(source))
    target = wcli.tmp_path / "nowhere" / "p.png"
    result = wcli.fails(
        2,
        "core",
        "resources",
        "file",
        "get",
        "TECH-0001",
        "res_photo",
        "--output-file",
        str(target),
    )
    assert str(target) in result.stderr
    assert "does not exist; nothing was downloaded" in result.stderr
    assert not target.parent.exists()


# -- users -------------------------------------------------------------------------------------


def test_users(wcli: Cli) -> None:
    users = wcli.json("core", "users", "list", "--all")
    assert users[0]["login"] == "admin" and len(users) == 10
    assert wcli.json("core", "users", "get", "admin")["userType"] == "admin"
    assert "nobody" in wcli.fails(5, "core", "users", "get", "nobody").stderr
    body = wcli.write(
        "u.json",
        {
            "name": "Night Owl",
            "userType": "dispatcher",
            "language": "en",
            "timeZone": "Eastern",
            "resources": ["BK_NORTH"],
            "user_badge_id": "B-7",
        },
    )
    assert wcli.json("core", "users", "create", "owl", "--file", body)["login"] == "owl"
    assert wcli.json("core", "users", "get", "owl")["user_badge_id"] == "B-7"
    patch = wcli.write("up.json", {"name": "Day Owl"})
    wcli.ok("core", "users", "update", "owl", "--file", patch)
    assert wcli.json("core", "users", "get", "owl")["name"] == "Day Owl"
    wcli.ok("core", "users", "replace", "owl", "--file", body)
    wcli.ok("core", "users", "collaboration-groups", "add", "owl", "--group", "Dispatch,Leads")
    assert [g["name"] for g in wcli.json("core", "users", "collaboration-groups", "owl")] == [
        "Dispatch",
        "Leads",
    ]
    wcli.ok("core", "users", "collaboration-groups", "delete", "owl", "--yes")
    assert wcli.json("core", "users", "collaboration-groups", "list", "owl") == []
    wcli.ok("core", "users", "delete", "owl", "--yes")
    wcli.fails(5, "core", "users", "delete", "owl", "--yes")
    wcli.fails(5, "core", "users", "collaboration-groups", "nobody")


# -- inventories -----------------------------------------------------------------------------


def test_inventories(wcli: Cli) -> None:
    body = wcli.write(
        "i.json",
        {
            "inventoryType": "ROUTER",
            "status": "resource",
            "resourceId": "TECH-0002",
            "serialNumber": "RT-9",
        },
    )
    created = wcli.json("core", "inventories", "create", "--file", body)
    inv = str(created["inventoryId"])
    patch = wcli.write("ip.json", {"inv_condition": "refurb"})
    assert wcli.json("core", "inventories", "update", inv, "--file", patch)["inv_condition"] == (
        "refurb"
    )
    activity = wcli.json("core", "resources", "routes", "TECH-0002", "2026-11-20")[0]
    act = str(activity["activityId"])
    wcli.ok("core", "inventories", "install", inv, "--activity", act)
    assert wcli.json("core", "inventories", "get", inv)["status"] == "installed"
    wcli.fails(1, "core", "inventories", "install", inv, "--activity", act)  # not in a pool now
    wcli.ok("core", "inventories", "undo-install", inv)
    assert wcli.json("core", "inventories", "get", inv)["status"] == "resource"
    wcli.ok("core", "inventories", "install", inv, "--activity", act)
    wcli.ok("core", "inventories", "deinstall", inv, "--activity", act)
    assert wcli.json("core", "inventories", "get", inv)["status"] == "deinstalled"
    wcli.ok("core", "inventories", "undo-deinstall", inv)
    assert wcli.json("core", "inventories", "get", inv)["status"] == "customer"
    wcli.ok("core", "inventories", "delete", inv, "--yes")
    wcli.fails(5, "core", "inventories", "get", inv)
    wcli.fails(5, "core", "inventories", "undo-install", inv)
    wcli.fails(2, "core", "inventories", "get", "not-a-number")
    unknown_type = wcli.write("it.json", {"inventoryType": "TELEPORTER", "resourceId": "TECH-0002"})
    wcli.fails(1, "core", "inventories", "create", "--file", unknown_type)
