"""Every script in ``examples/`` runs against the emulator and does what its docstring says.

The scripts run in-process (``runpy``, as ``python examples/NAME.py ARGS`` would run them)
against emulators served on 127.0.0.1, through profiles of a ``config.toml`` written for the
test (``served``: the session's emulator; others for private ones), or through the built-in
``sandbox`` profile over a small sandbox database of the test's own.  Each test checks what
the script wrote, not only its exit status.  :func:`test_every_example_has_a_test` fails for
a script of ``examples/`` that no test here runs, or that ``examples/README.md`` does not
list.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import runpy
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from served_cli import TEST_TODAY, sync_client

from ofsc_cli.migrate import KINDS
from ofsc_cli.models.capacity import metric_total
from ofsc_cli.sandbox import Faults, ServerHandle, Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BULK = "POST /rest/ofscCore/v1/activities/custom-actions/bulkUpdate"
SEEDED_SUBSCRIPTION = "a1b2c3d4e5f60718293a4b5c6d7e8f90"

TESTED: set[str] = set()
"""The scripts some test of this module runs (filled by :func:`runs`)."""

F = TypeVar("F", bound=Callable[..., Any])


def runs(*names: str) -> Callable[[F], F]:
    """Mark a test as the test of the example scripts ``names``."""
    TESTED.update(names)
    return lambda test: test


@dataclass
class Run:
    """What one run of a script did."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@dataclass
class Examples:
    """Runs the example scripts with a config file of the test's own (see the fixture)."""

    tmp_path: Path
    capsys: pytest.CaptureFixture[str]
    config: Path

    def add_profile(self, name: str, server: ServerHandle, **keys: Any) -> None:
        """Add the profile ``name`` reaching ``server`` (Basic auth), with ``keys`` too."""
        values = {
            "base_url": server.url,
            "instance": "sandbox",
            "client_id": "demo",
            "client_secret": "demo-secret",
            "auth": "basic",
            **keys,
        }
        lines = [f"\n[profiles.{name}]"] + [f"{k} = {json.dumps(v)}" for k, v in values.items()]
        with self.config.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")

    def __call__(self, script: str, *args: str) -> Run:
        """Run ``examples/script`` with ``args`` as ``python`` would; its exit status."""
        path = EXAMPLES / script
        self.capsys.readouterr()
        saved = sys.argv
        sys.argv = [str(path), *args]
        try:
            runpy.run_path(str(path), run_name="__main__")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.argv = saved
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)


@pytest.fixture(scope="module")
def sandbox_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sandbox database (the built-in profile's), made once for the module."""
    path = tmp_path_factory.mktemp("sandbox") / "template.db"
    Store.open(path, scale=0.2, today=TEST_TODAY).close()
    return path


@pytest.fixture
def run(
    sandbox_server: ServerHandle,
    sandbox_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Examples:
    """The example runner: profile ``served`` is the session's emulator; the built-in
    ``sandbox`` uses a copy of the module's sandbox database; caches go under ``tmp_path``."""
    for name in [n for n in os.environ if n.startswith("OFSC_")]:
        if name not in ("OFSC_SANDBOX_STRICT", "OFSC_NO_PLUGINS"):
            monkeypatch.delenv(name)
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    db = tmp_path / "sandbox.db"
    shutil.copyfile(sandbox_template, db)
    monkeypatch.setenv("OFSC_CONFIG", str(config))
    monkeypatch.setenv("OFSC_SANDBOX_DB", str(db))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    examples = Examples(tmp_path, capsys, config)
    examples.add_profile("served", sandbox_server)
    return examples


# -- export_and_diff.py ---------------------------------------------------------------------


@runs("export_and_diff.py")
def test_export_and_diff_finds_a_planted_difference(
    run: Examples, make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    target = make_sandbox_server()
    run.add_profile("target", target)
    with sync_client(target) as client:
        zone = client.request("GET", "/rest/ofscMetadata/v1/workZones/BAYVIEW").json()
        zone.pop("links", None)
        old_name = zone["workZoneName"]
        client.metadata.replace_work_zone("BAYVIEW", {**zone, "workZoneName": "Planted"})
    cfg = tmp_path / "cfg"

    # The source: the built-in sandbox (this test's own database, seeded as the target was).
    differs = run("export_and_diff.py", str(cfg), "--to", "target")
    assert differs.code == 7, differs.err
    assert differs.lines == [
        "\t".join(
            ["work-zones", "BAYVIEW", "changed", "workZoneName", f'"{old_name}"', '"Planted"']
        )
    ]
    assert f"1 of {len(KINDS)} resources differ on target" in differs.err
    manifest = json.loads((cfg / "manifest.json").read_text())
    assert sorted(manifest["resources"]) == sorted(k.name for k in KINDS)
    assert json.loads((cfg / "work-zones" / "BAYVIEW.json").read_text())["workZoneName"] == old_name

    equal = run("export_and_diff.py", str(cfg), "--to", "sandbox")
    assert (equal.code, equal.out) == (0, ""), equal.err
    assert "0 files written" in equal.err  # an unchanged instance: the export changes no byte

    zones = tmp_path / "zones"
    both_served = run(
        "export_and_diff.py", str(zones), "-p", "target", "--to", "target", "--only", "work-zones"
    )
    assert (both_served.code, both_served.out) == (0, ""), both_served.err
    assert sorted(p.name for p in zones.iterdir()) == ["manifest.json", "work-zones"]


@runs("export_and_diff.py")
def test_export_and_diff_refuses_a_foreign_directory_and_a_bad_profile(
    run: Examples, tmp_path: Path
) -> None:
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "todo.txt").write_text("mine")
    refused = run("export_and_diff.py", str(foreign), "-p", "served", "--to", "served")
    assert refused.code == 2 and refused.out == ""
    assert (foreign / "todo.txt").read_text() == "mine"
    assert len(refused.err.strip().splitlines()) == 1
    unknown = run("export_and_diff.py", str(tmp_path / "x"), "-p", "nope", "--to", "served")
    assert unknown.code == 3 and "nope" in unknown.err


# -- nightly_activities.py ------------------------------------------------------------------

WEEK = [TEST_TODAY - dt.timedelta(days=n) for n in range(6, -1, -1)]


def activities_by_day(server: ServerHandle) -> dict[str, list[int]]:
    """The activity ids of each day of ``WEEK``, as one big request per day lists them."""
    with sync_client(server) as client:
        days = {}
        for day in WEEK:
            page = client.core.list_activities(
                resources="ROOT", date_from=day, date_to=day, limit=100_000
            )
            days[day.isoformat()] = [int(a.activityId or 0) for a in page.items]
    return days


@runs("nightly_activities.py")
def test_nightly_writes_every_activity_of_the_range(
    run: Examples, sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    out = tmp_path / "week.ndjson"
    args = ("--date-from", WEEK[0].isoformat(), "--date-to", WEEK[-1].isoformat())
    result = run("nightly_activities.py", str(out), "-p", "served", *args)
    assert result.code == 0, result.err
    expected = activities_by_day(sandbox_server)
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert [a["activityId"] for a in written] == [i for ids in expected.values() for i in ids]
    assert len(written) > 100
    for day, ids in expected.items():
        assert f"{day}\t{len(ids)}" in result.err.splitlines()
    assert f"{len(written)} activities of 7 days written" in result.err
    assert not out.with_name("week.ndjson.part").exists() and result.out == ""


@runs("nightly_activities.py")
def test_nightly_exits_non_zero_and_publishes_nothing_when_pages_are_lost(
    run: Examples, make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    # Half the requests answer 5xx; without retries some days cannot be read.
    lossy = make_sandbox_server(faults=Faults(error_rate=0.5, seed=3))
    run.add_profile("lossy", lossy, max_retries=0, circuit_failure_threshold=0)
    out = tmp_path / "week.ndjson"
    args = ("--date-from", WEEK[0].isoformat(), "--date-to", WEEK[-1].isoformat())
    result = run("nightly_activities.py", str(out), "-p", "lossy", *args)
    assert result.code == 1, result.err
    lost = [line for line in result.err.splitlines() if ": lost: " in line]
    assert 0 < len(lost) < len(WEEK), result.err
    assert all("from offset 0" in line for line in lost)
    assert not out.exists()  # nothing published: the partial export stays in FILE.part
    partial = out.with_name("week.ndjson.part").read_text().splitlines()
    expected = activities_by_day(make_sandbox_server())  # the same data, without the faults
    lost_days = {line.split(": lost: ")[1].split()[0] for line in lost}
    kept = [i for day, ids in expected.items() if day not in lost_days for i in ids]
    assert [json.loads(line)["activityId"] for line in partial] == kept


# -- bulk_update_from_csv.py ----------------------------------------------------------------


def pending_activities(server: ServerHandle, count: int) -> list[int]:
    """``count`` pending activities after the test's day (a bulk update can change them)."""
    with sync_client(server) as client:
        page = client.core.list_activities(
            resources="ROOT", date_from="2026-11-20", date_to="2026-11-30", limit=count * 3
        )
    return [a.activityId for a in page.items if a.status == "pending" and a.activityId][:count]


def notes_of(server: ServerHandle, ids: list[int]) -> list[Any]:
    with sync_client(server) as client:
        return [
            client.request("GET", f"/rest/ofscCore/v1/activities/{i}").json().get("job_notes")
            for i in ids
        ]


@runs("bulk_update_from_csv.py")
def test_bulk_update_applies_a_csv_and_its_journal_resumes(
    run: Examples, make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    server = make_sandbox_server()
    run.add_profile("bulk", server)
    ids = pending_activities(server, 5)
    changes = tmp_path / "changes.csv"
    changes.write_text("activityId,job_notes\n" + "".join(f"{i},csv-{i}\n" for i in ids))
    before = notes_of(server, ids)
    args = (str(changes), "-p", "bulk", "--batch-size", "2")

    canary = run("bulk_update_from_csv.py", *args, "--batches", "1")
    assert canary.code == 0, canary.err
    assert "stopped after batch 1 of 3" in canary.err
    assert notes_of(server, ids) == [f"csv-{i}" for i in ids[:2]] + before[2:]
    assert [json.loads(line)["activityKeys"]["activityId"] for line in canary.lines] == ids[:2]
    assert server.emulator.request_counts[BULK] == 1

    rest = run("bulk_update_from_csv.py", *args)
    assert rest.code == 0, rest.err
    assert notes_of(server, ids) == [f"csv-{i}" for i in ids]
    assert server.emulator.request_counts[BULK] == 3  # the first batch was not sent again
    rows = [json.loads(line) for line in rest.lines]
    assert [(r["line"], r["activityKeys"]["activityId"]) for r in rows] == [
        (n + 2, i) for n, i in enumerate(ids)
    ]
    assert all(r["operationsPerformed"] == ["update"] and not r["errors"] for r in rows)

    again = run("bulk_update_from_csv.py", *args)
    assert again.code == 0 and "0 batches sent in this run, 3 applied earlier" in again.err
    assert server.emulator.request_counts[BULK] == 3
    assert changes.with_name("changes.csv.journal").exists()


@runs("bulk_update_from_csv.py")
def test_bulk_update_of_work_zones_and_a_bad_row(
    run: Examples, make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    server = make_sandbox_server()
    run.add_profile("bulk", server)
    zones = tmp_path / "zones.csv"
    zones.write_text(
        "resourceId,workZone,startDate,ratio\n"
        "TECH-0001,BAYVIEW,2026-12-01,100\n"
        "TECH-0002,MAPLE_RIDGE,2026-12-01,100\n"
        "TECH-0001,HARBORSIDE,2026-12-01,50\n"
    )
    result = run("bulk_update_from_csv.py", str(zones), "-p", "bulk", "--kind", "work-zones")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.lines]
    assert [(r["line"], r["resourceId"]) for r in rows] == [(2, "TECH-0001"), (3, "TECH-0002")]
    with sync_client(server) as client:
        assigned = client.core.list_resource_work_zones("TECH-0001").model_dump(by_alias=True)
    assert {"BAYVIEW", "HARBORSIDE"} <= {z["workZone"] for z in assigned["items"]}

    bad = tmp_path / "bad.csv"
    bad.write_text("activityId,job_notes\n12,fine\nnot-a-number,x\n")
    refused = run("bulk_update_from_csv.py", str(bad), "-p", "bulk")
    assert refused.code == 2 and "line 3" in refused.err and refused.out == ""
    assert server.emulator.request_counts[BULK] == 0


# -- async_parallel_paging.py ---------------------------------------------------------------


@runs("async_parallel_paging.py")
def test_async_paging_counts_every_collection(
    run: Examples, sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    ndjson = tmp_path / "resources.ndjson"
    result = run(
        "async_parallel_paging.py",
        *("-p", "served", "--concurrency", "3", "--page-size", "10", "--ndjson", str(ndjson)),
    )
    assert result.code == 0, result.err
    with sync_client(sandbox_server) as client:
        expected = {
            "resources": client.core.list_resources(limit=1).totalResults,
            "users": client.core.list_users(limit=1).totalResults,
            "work-zones": client.metadata.list_work_zones(limit=1).totalResults,
            "work-skills": client.metadata.list_work_skills(limit=1).totalResults,
            "activity-types": client.metadata.list_activity_types(limit=1).totalResults,
            "properties": client.metadata.list_properties(limit=1).totalResults,
        }
        in_order = [r.resourceId for r in client.core.list_resources.iter(limit=100)]
    assert result.lines == [f"{name}\t{n}\t{n}" for name, n in expected.items()]
    ids = [json.loads(line)["resourceId"] for line in ndjson.read_text().splitlines()]
    assert ids == in_order and len(ids) > 30  # pages of 10, fetched 3 at a time, in order

    builtin = run("async_parallel_paging.py")  # the built-in sandbox profile
    assert builtin.code == 0 and "work-zones\t30\t30" in builtin.lines, builtin.err


# -- capacity_report.py ---------------------------------------------------------------------


@runs("capacity_report.py")
def test_capacity_report_as_csv_and_table(run: Examples, sandbox_server: ServerHandle) -> None:
    day = TEST_TODAY.isoformat()
    args = ("-p", "served", "--areas", "NORTH,SOUTH", "--from", day, "--days", "2")
    result = run("capacity_report.py", *args, "--csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    dates = [day, (TEST_TODAY + dt.timedelta(days=1)).isoformat()]
    assert [(r["date"], r["area"]) for r in rows] == [
        (d, a) for d in dates for a in ("NORTH", "SOUTH")
    ]
    with sync_client(sandbox_server) as client:
        capacity = client.capacity.get_capacity(dates, areas=["NORTH", "SOUTH"])
        quota = client.capacity.get_quota(dates, areas=["NORTH", "SOUTH"])
    first = capacity.items[0].areas[0]
    q = quota.items[0].areas[0]
    assert rows[0]["calendar_min"] == str(metric_total(first.calendar, "minutes"))
    assert rows[0]["available_min"] == str(metric_total(first.available, "minutes"))
    assert (rows[0]["quota_min"], rows[0]["used_min"]) == (str(q.quota), str(q.used))
    assert rows[0]["quota_left_min"] == str((q.quota or 0) - (q.used or 0))

    table = run("capacity_report.py", *args, "--by-category")
    assert table.code == 0, table.err
    assert table.lines[0].split() == list(csv.DictReader(io.StringIO(result.out)).fieldnames or [])
    assert table.lines[1].split()[:2] == [day, "NORTH"]
    assert len(table.lines) > 1 + len(rows)  # category rows too

    bad = run("capacity_report.py", "-p", "served", "--from", "2026-02-30")
    assert bad.code == 2 and bad.out == ""


# -- event_follower.py ----------------------------------------------------------------------


@runs("event_follower.py")
def test_event_follower_resumes_where_it_stopped(
    run: Examples, make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    run.add_profile("events", make_sandbox_server())
    state = str(tmp_path / "cursor.json")
    first = run("event_follower.py", "-p", "events", "--max-events", "5", "--state", state)
    assert first.code == 0 and len(first.lines) == 5, first.err
    rest = run("event_follower.py", "-p", "events", "--once", "--state", state)
    assert rest.code == 0, rest.err
    everything = run(
        "event_follower.py", SEEDED_SUBSCRIPTION, "-p", "events", "--once", "--state", "all.json"
    )
    assert len(everything.lines) == 20 and first.lines + rest.lines == everything.lines
    assert all(line.split("\t")[1] == "activityCompleted" for line in everything.lines)
    caught_up = run(
        "event_follower.py", "-p", "events", "--seconds", "0.3", "--poll", "0.1", "--state", state
    )
    assert (caught_up.code, caught_up.out) == (0, "")
    missing = run("event_follower.py", "nope", "-p", "events", "--once", "--state", "n.json")
    assert missing.code == 5 and "nope" in missing.err


@runs("event_follower.py")
def test_event_follower_stops_cleanly_on_ctrl_c(
    run: Examples, make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    run.add_profile("events", make_sandbox_server())
    state = tmp_path / "cursor.json"

    def interrupt_once_written() -> None:
        for _ in range(2000):  # until the first page is committed (a bound, not a timing)
            if state.exists():
                os.kill(os.getpid(), signal.SIGINT)
                return
            time.sleep(0.005)

    sender = threading.Thread(target=interrupt_once_written)
    sender.start()
    try:
        result = run(
            "event_follower.py",
            "-p",
            "events",
            "--poll",
            "0.1",
            "--seconds",
            "60",
            "--state",
            str(state),
        )
    finally:
        sender.join()
    assert result.code == 130, result.err
    assert len(result.lines) == 20
    after = run("event_follower.py", "-p", "events", "--once", "--state", str(state))
    assert (after.code, after.out) == (0, "")  # the cursor was saved after what was printed


# -- pyofsc_script.py -----------------------------------------------------------------------


@runs("pyofsc_script.py")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the 2.x methods' migration hints
def test_pyofsc_script_runs_through_the_compat_layer(
    run: Examples, sandbox_server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sync_client(sandbox_server) as client:
        zones = [f"{z.workZoneLabel}\t{z.status}" for z in client.metadata.list_work_zones.iter()]
        name = client.core.get_resource("TECH-0001").name
    expected = [*zones, f"resource TECH-0001: 200 {name}"]
    by_profile = run("pyofsc_script.py", "-p", "served", "--resource", "TECH-0001")
    assert (by_profile.code, by_profile.lines) == (0, expected), by_profile.err

    monkeypatch.setenv("OFSC_CLIENT_SECRET", "demo-secret")
    the_2x_way = run(
        "pyofsc_script.py",
        *("--company", "sandbox", "--client-id", "demo", "--base-url", sandbox_server.url),
    )
    assert (the_2x_way.code, the_2x_way.lines) == (0, expected), the_2x_way.err
    missing = run("pyofsc_script.py", "-p", "served", "--resource", "NO-SUCH")
    assert missing.code == 5 and "not found" in missing.err


# -- every script has a test ----------------------------------------------------------------


def scripts() -> list[Path]:
    """The example scripts (``examples/*.py``; the plugin example is a package of its own)."""
    return sorted(EXAMPLES.glob("*.py"))


def untested(names: set[str]) -> list[str]:
    """The scripts of ``names`` that no test of this module runs."""
    return sorted(names - TESTED)


def test_every_example_has_a_test() -> None:
    names = {p.name for p in scripts()}
    assert len(names) >= 6
    missing = untested(names)
    assert not missing, f"examples without a test in {Path(__file__).name}: {missing}"
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    unlisted = sorted(n for n in names | {"ofsc-plugin-example"} if f"`{n}`" not in readme)
    assert not unlisted, f"not listed in examples/README.md: {unlisted}"
    for path in scripts():
        text = path.read_text(encoding="utf-8")
        assert '"--profile"' in text and 'default="sandbox"' in text, path.name
        internal = re.findall(
            r"ofsc_cli\.(?:cli|sandbox|config|factory)\b|ofsc_cli\.client\._", text
        )
        assert not internal, f"{path.name}: not the public library: {internal}"


def test_a_script_without_a_test_is_found() -> None:
    assert untested({"export_and_diff.py", "brand_new.py"}) == ["brand_new.py"]
