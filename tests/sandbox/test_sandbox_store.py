"""The SQLite store: persistence, corruption handling, seeding determinism, status."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from served_cli import TEST_TODAY

from ofsc_cli.errors import OFSConfigurationError
from ofsc_cli.sandbox import Emulator, EmulatorTransport, SandboxStoreError, Store
from ofsc_cli.sandbox.store import _MEMO_MAX, default_db_path, sub

AUTH = ("demo@sandbox", "demo-secret")


def client_for(store: Store) -> httpx.Client:
    return httpx.Client(
        transport=EmulatorTransport(Emulator(store)), base_url="https://x", auth=AUTH
    )


def test_file_database_persists_between_emulators(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "sandbox.db"
    first = Store.open(path, scale=0.05)
    with client_for(first) as client:
        body = {"name": "Drone survey", "active": True, "sharing": "no sharing"}
        assert client.put("/rest/ofscMetadata/v1/workSkills/DRONE", json=body).status_code == 201
        assert client.delete("/rest/ofscMetadata/v1/shifts/NIGHT").status_code == 204
    first.close()
    second = Store.open(path)
    with client_for(second) as client:
        assert client.get("/rest/ofscMetadata/v1/workSkills/DRONE").json()["name"] == "Drone survey"
        assert client.get("/rest/ofscMetadata/v1/shifts/NIGHT").status_code == 404
    assert second.status().scale == 0.05


def test_first_use_creates_and_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "env.db"
    monkeypatch.setenv("OFSC_SANDBOX_DB", str(path))
    assert default_db_path() == path
    store = Store.open(scale=0.05)
    assert path.exists()
    status = store.status()
    assert status.path == str(path)
    assert status.counts["workZones"] == 30
    assert status.counts["activities"] == 250
    assert status.seed == 42


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 200],
)
def test_corrupt_file_gives_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "sandbox.db"
    path.write_bytes(content)
    with pytest.raises(SandboxStoreError) as info:
        Store.open(path)
    message = str(info.value)
    assert str(path) in message
    assert "ofsc sandbox reset" in message
    assert isinstance(info.value, OFSConfigurationError)


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(SandboxStoreError, match="not an ofsc sandbox database"):
        Store.open(path)


def test_recreate_replaces_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    path.write_bytes(b"garbage" * 100)
    store = Store.recreate(path, scale=0.05)
    assert store.status().counts["resources"] > 0
    store.close()
    assert Store.open(path).status().counts["resources"] > 0


def test_seeding_is_deterministic() -> None:
    a = Store.open(":memory:", scale=0.1, seed=1).fingerprint()
    b = Store.open(":memory:", scale=0.1, seed=1).fingerprint()
    c = Store.open(":memory:", scale=0.1, seed=2).fingerprint()
    assert a == b
    assert a != c


def test_reset_restores_the_seed_data(emulator: Emulator) -> None:
    store = emulator.store
    before = store.fingerprint()
    store.delete("workZones", "MIDTOWN")
    assert store.fingerprint() != before
    store.reset(scale=0.2, seed=42, today=TEST_TODAY)
    assert store.fingerprint() == before


def test_scale_multiplies_people_and_activities() -> None:
    small = Store.open(":memory:", scale=0.1).status().counts
    larger = Store.open(":memory:", scale=0.3).status().counts
    assert larger["activities"] == 3 * small["activities"]
    assert larger["resources"] > small["resources"]
    assert larger["users"] > small["users"]
    assert larger["workSkills"] == small["workSkills"] == 40


def test_seed_data_shapes(emulator: Emulator) -> None:
    store = emulator.store
    tech = store.get("resources", "TECH-0002")
    assert tech is not None
    assert tech["parentResourceId"].startswith("BK_")
    assert tech["resourceType"] == "PR"
    activity = store.get_activity(4_200_001)
    assert activity is not None
    for name in (
        "activityId",
        "resourceId",
        "date",
        "status",
        "activityType",
        "apptNumber",
        "customerName",
        "streetAddress",
        "city",
        "postalCode",
        "timeSlot",
        "duration",
        "workZone",
        "latitude",
        "longitude",
        "cust_tier",
    ):
        assert name in activity
    enum = store.get("properties", "cust_tier")
    assert enum is not None
    assert enum["type"] == "enumeration"
    assert enum["translations"][0] == {
        "language": "en",
        "name": "Customer tier",
        "languageISO": "en-US",
    }
    assert store.count(sub("enumerationList", "cust_tier")) == 4
    assert {a["label"] for a in store.items("capacityAreas")} >= {
        "NORTH",
        "SOUTH",
        "EAST",
        "WEST",
        "CENTRAL",
    }


def test_concurrent_writers_do_not_lose_updates(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store = Store.open(tmp_path / "c.db", scale=0.05)
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda _: store.next_id("test"), range(200)))
    assert sorted(ids) == list(range(1, 201))


def test_open_emulator_uses_the_given_or_default_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ofsc_cli.sandbox import open_emulator

    explicit = open_emulator(tmp_path / "explicit.db")
    assert explicit.store.path == str(tmp_path / "explicit.db")
    monkeypatch.setenv("OFSC_SANDBOX_DB", str(tmp_path / "from-env.db"))
    default = open_emulator()
    assert default.store.path == str(tmp_path / "from-env.db")
    with client_for(default.store) as client:
        assert client.get("/rest/ofscCore/v1/users/admin").status_code == 200


# ------------------------------------------------------- remembered keys and counts


def _docs(store: Store, collection: str, **kwargs: Any) -> list[str]:
    return [d["k"] for d in store.items(collection, **kwargs)]


def test_pages_and_counts_follow_every_write() -> None:
    store = Store.open(":memory:", populate=False)
    store.bulk_put(
        "things", [(f"k{i}", {"k": f"k{i}"}, "even" if i % 2 == 0 else None) for i in range(10)]
    )
    assert _docs(store, "things", offset=8, limit=5) == ["k8", "k9"]
    assert store.count("things") == 10
    assert store.count("things", parent="even") == 5
    assert _docs(store, "things", parent="even", offset=1, limit=2) == ["k2", "k4"]
    assert _docs(store, "things", parent=None, offset=4, limit=2) == ["k9"]

    assert store.put("things", "new", {"k": "new"}, parent="even")
    assert store.count("things") == 11
    assert store.count("things", parent="even") == 6
    assert _docs(store, "things", offset=9, limit=5) == ["k9", "new"]
    assert not store.put("things", "k9", {"k": "k9", "changed": True})
    assert store.items("things", offset=9, limit=1) == [{"k": "k9", "changed": True}]
    assert store.delete("things", "k0")
    assert _docs(store, "things", offset=0, limit=2) == ["k1", "k2"]
    assert store.keys("things", parent="even") == ["k2", "k4", "k6", "k8", "new"]
    store.rename_collection("things", "stuff")
    assert store.count("things") == 0
    assert store.count("stuff") == 10
    assert store.clear("stuff") == 10
    assert store.items("stuff", offset=0, limit=10) == []


def test_a_rolled_back_write_is_not_remembered() -> None:
    store = Store.open(":memory:", populate=False)
    store.bulk_put("things", [(f"k{i}", {"k": f"k{i}"}, None) for i in range(3)])
    with pytest.raises(RuntimeError), store.transaction():
        store.put("things", "ghost", {"k": "ghost"})
        assert store.count("things") == 4  # the transaction sees its own write
        assert _docs(store, "things", offset=3, limit=1) == ["ghost"]
        raise RuntimeError("roll back")
    assert store.count("things") == 3
    assert _docs(store, "things", offset=2, limit=5) == ["k2"]


def test_a_commit_by_another_connection_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    reader = Store.open(path, scale=0.05)
    writer = Store.open(path)
    before = reader.count("workSkills")
    last = reader.items("workSkills", offset=before - 1, limit=1)
    writer.put("workSkills", "DRONE", {"label": "DRONE"})
    assert reader.count("workSkills") == before + 1
    assert reader.items("workSkills", offset=before - 1, limit=5) == [*last, {"label": "DRONE"}]
    writer.close()
    reader.close()


def test_get_many_keeps_the_order_asked_and_skips_missing_keys() -> None:
    store = Store.open(":memory:", populate=False)
    store.bulk_put("things", [(k, {"k": k, "name": "é"}, None) for k in ("a", "b", "c")])
    assert [d["k"] for d in store.get_many("things", ["c", "zz", "a"])] == ["c", "a"]
    assert store.get_many("things", []) == []
    assert store.get_many_raw("things", ["b"]) == ['{"k":"b","name":"é"}']


def test_memo_is_forgotten_on_writes_and_bounded() -> None:
    store = Store.open(":memory:", populate=False)
    calls: list[int] = []

    def build() -> int:
        calls.append(1)
        return len(calls)

    assert store.memo("x", build) == 1
    assert store.memo("x", build) == 1
    store.set_meta("anything", "1")
    assert store.memo("x", build) == 2
    for i in range(_MEMO_MAX + 10):  # more names than are kept: all are forgotten, then kept
        assert store.memo(("n", i), lambda i=i: i) == i
    assert len(store._memo) <= _MEMO_MAX
    assert store.memo(("n", 0), lambda: "built again") == "built again"


def test_an_old_activities_index_is_upgraded_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Store.open(path, scale=0.05, today=TEST_TODAY).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX activities_in_order")
        conn.execute("CREATE INDEX activities_by_resource ON activities (resource_id, date)")
    conn.close()
    store = Store.open(path)
    indexes = {row[0] for row in store._query("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "activities_in_order" in indexes
    assert "activities_by_resource" not in indexes
    assert store.query_activities(None, date_from="2026-11-01", date_to="2026-11-30")
    store.close()
