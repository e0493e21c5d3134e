"""The sandbox's living clock: seed data centred on a day (the current one unless pinned),
recorded in the store, followed by the handlers, reported by `ofsc sandbox status`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from served_cli import TEST_TODAY
from typer.testing import CliRunner, Result

from ofsc_cli.cli._app import build_app
from ofsc_cli.sandbox import Emulator, EmulatorTransport, Store, open_emulator
from ofsc_cli.sandbox import seed as seed_module
from ofsc_cli.sandbox.seed import LEGACY_TODAY, today_of

AUTH = ("demo@sandbox", "demo-secret")
CORE = "/rest/ofscCore/v1"
DAY = dt.date(2027, 3, 10)  # a Wednesday, in another year and season than the tests' day
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def client_for(store: Store) -> httpx.Client:
    return httpx.Client(
        transport=EmulatorTransport(Emulator(store)), base_url="https://x", auth=AUTH
    )


def activities(store: Store) -> list[dict[str, Any]]:
    texts = store.query_activities(
        None, date_from="1900-01-01", date_to="2999-12-31", non_scheduled=True
    )
    return [json.loads(text) for text in texts]


def rows(store: Store) -> list[tuple[Any, ...]]:
    """Every document and activity, in a fixed order."""
    docs = store._query("SELECT collection, key, parent, position, json FROM docs ORDER BY 1, 2")
    acts = store._query("SELECT * FROM activities ORDER BY activity_id")
    return [tuple(row) for row in docs + acts]


def shifted(value: Any, days: int) -> Any:
    """``value`` with every ``YYYY-MM-DD`` inside its strings moved by ``days``."""

    def move(match: re.Match[str]) -> str:
        return (dt.date.fromisoformat(match.group(0)) + dt.timedelta(days=days)).isoformat()

    if isinstance(value, str):
        return _DATE.sub(move, value)
    if isinstance(value, tuple):
        return tuple(shifted(v, days) for v in value)
    return value


@pytest.fixture(scope="module")
def on_day() -> Store:
    return Store.open(":memory:", scale=0.05, today=DAY)


def test_data_is_centred_on_the_given_day(on_day: Store) -> None:
    assert today_of(on_day) == DAY
    assert on_day.status().today == DAY.isoformat()
    docs = activities(on_day)
    days = sorted({d["date"] for d in docs if d.get("date")})
    assert days[0] == (DAY - dt.timedelta(days=15)).isoformat()
    assert days[-1] == (DAY + dt.timedelta(days=14)).isoformat()
    assert any(not d.get("date") for d in docs)  # the non-scheduled ones stay undated
    before = {d["status"] for d in docs if d.get("date") and d["date"] < DAY.isoformat()}
    after = {d["status"] for d in docs if d.get("date") and d["date"] > DAY.isoformat()}
    assert before <= {"completed", "notdone", "cancelled"} and "completed" in before
    assert after <= {"pending", "cancelled"} and "pending" in after
    for doc in docs:
        if doc.get("startTime"):
            assert doc["startTime"][:10] == doc["date"]


def test_every_date_shifts_with_the_day(on_day: Store) -> None:
    """The data of two days differ only by the shift of each date (schedules, effective
    dates, user stamps, events, subscriptions ... not only activities)."""
    later = Store.open(":memory:", scale=0.05, today=DAY + dt.timedelta(days=101))
    first, second = rows(on_day), rows(later)
    assert len(first) == len(second)
    assert [shifted(row, 101) for row in first] == second
    # the comparison covered dated documents of every kind, not only activities
    dated = {str(row[0]).split(":")[0] for row in first if _DATE.search(row[-1])}
    assert dated >= {
        "capacityCategories", "eventSubscriptions", "events", "resourceWorkSchedules",
        "resourceWorkSkills", "resourceWorkZones", "users",
    }  # fmt: skip
    assert any(isinstance(row[0], int) for row in first if _DATE.search(row[-1]))


def test_pinning_the_tests_day_keeps_the_data_the_tests_name() -> None:
    store = Store.open(":memory:", scale=0.05, today=TEST_TODAY)
    days = sorted({d["date"] for d in activities(store) if d.get("date")})
    assert (days[0], days[-1]) == ("2026-11-01", "2026-11-30")


def test_handlers_follow_the_stores_day(on_day: Store) -> None:
    store = on_day.clone()
    with client_for(store) as client:
        folders = client.get(f"{CORE}/folders/dailyExtract/folders").json()["folders"]["items"]
        names = [f["name"] for f in folders]
        assert names[0] == (DAY - dt.timedelta(days=15)).isoformat()
        assert names[-1] == (DAY - dt.timedelta(days=1)).isoformat()
        files = client.get(f"{CORE}/folders/dailyExtract/folders/{names[-1]}/files")
        assert files.status_code == 200
        assert client.get(f"{CORE}/folders/dailyExtract/folders/{DAY}/files").status_code == 404
        pending = [d for d in activities(store) if d["status"] == "pending" and d.get("date")]
        yesterday = (DAY - dt.timedelta(days=1)).isoformat()
        past = next(d for d in activities(store) if d.get("date") == yesterday)
        today = next(d for d in pending if d["date"] == DAY.isoformat())
        past["status"] = "pending"  # a past activity left pending still cannot start
        store.put_activity(past)
        action = f"{CORE}/activities/{{}}/custom-actions/start"
        refused = client.post(action.format(past["activityId"]), json={})
        assert refused.status_code == 409 and yesterday in refused.json()["detail"]
        assert client.post(action.format(today["activityId"]), json={}).status_code == 200


def test_without_a_day_seeding_takes_the_clocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seed_module, "current_day", lambda: DAY)
    store = Store.open(":memory:", scale=0.05)
    assert store.status().today == DAY.isoformat()
    store.reset(scale=0.05)
    assert today_of(store) == DAY


def test_the_clock_is_the_local_date() -> None:
    before = dt.date.today()
    now = seed_module.current_day()
    assert before <= now <= dt.date.today()


def test_the_sandbox_profiles_fresh_database_is_seeded_on_the_clocks_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seed_module, "current_day", lambda: DAY)
    emulator = open_emulator(tmp_path / "sandbox.db")
    assert today_of(emulator.store) == DAY
    emulator.store.close()
    # An existing database keeps its day: the clock moving on does not reseed it.
    monkeypatch.setattr(seed_module, "current_day", lambda: DAY + dt.timedelta(days=3))
    again = open_emulator(tmp_path / "sandbox.db")
    assert today_of(again.store) == DAY
    again.store.close()


def test_a_store_seeded_before_days_were_recorded_is_on_the_legacy_day(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Store.open(path, scale=0.05, today=LEGACY_TODAY).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'today'")
    conn.close()
    store = Store.open(path)
    assert today_of(store) == LEGACY_TODAY
    assert store.status().today == LEGACY_TODAY.isoformat()
    store.close()


# ------------------------------------------------------------------------------ the CLI


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name in list(os.environ):
        if name.startswith("OFSC_"):
            monkeypatch.delenv(name)
    return {
        "OFSC_CONFIG": str(tmp_path / "config.toml"),
        "OFSC_SANDBOX_DB": str(tmp_path / "sandbox.db"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }


def ofsc(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(build_app(), list(args), env=env)


def test_reset_today_pins_the_day_and_status_reports_it(cli_env: dict[str, str]) -> None:
    reset = ofsc(cli_env, "sandbox", "reset", "--scale", "0.05", "--today", "2027-03-10")
    assert reset.exit_code == 0, reset.stderr
    assert "data centred on 2027-03-10" in reset.stderr
    status = ofsc(cli_env, "sandbox", "status", "-o", "json")
    assert status.exit_code == 0, status.stderr
    assert json.loads(status.stdout)["today"] == "2027-03-10"
    # this week's activities are there for a newcomer
    listed = ofsc(
        cli_env, "-p", "sandbox", "core", "activities", "list", "--resources", "ROOT",
        "--date-from", "2027-03-08", "--date-to", "2027-03-12", "--all", "-o", "json",
    )  # fmt: skip
    assert listed.exit_code == 0, listed.stderr
    found = json.loads(listed.stdout)
    assert found and {a["date"] for a in found} <= {f"2027-03-{d:02d}" for d in range(8, 13)}


def test_reset_without_today_takes_the_current_day(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seed_module, "current_day", lambda: dt.date(2028, 2, 29))
    assert ofsc(cli_env, "sandbox", "reset", "--scale", "0.05").exit_code == 0
    status = json.loads(ofsc(cli_env, "sandbox", "status", "-o", "json").stdout)
    assert status["today"] == "2028-02-29"


@pytest.mark.parametrize("value", ["2027-02-30", "tomorrow", "2027-3-1", ""])
def test_reset_refuses_a_day_that_is_not_one(cli_env: dict[str, str], value: str) -> None:
    seeded = ofsc(cli_env, "sandbox", "reset", "--scale", "0.05", "--today", "2027-03-10")
    assert seeded.exit_code == 0, seeded.stderr
    before = Path(cli_env["OFSC_SANDBOX_DB"]).read_bytes()
    result = ofsc(cli_env, "sandbox", "reset", "--today", value)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--today" in lines[0] and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert Path(cli_env["OFSC_SANDBOX_DB"]).read_bytes() == before  # nothing re-created
