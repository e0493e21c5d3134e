"""Journaled bulk updates: input parsing and validation, batching, the journal, resuming.

The library part (:mod:`ofsc_cli.client.bulk`) is tested with a fake ``send``; the commands
(``ofsc core resources bulk-update-*``) run over a served emulator, including a run stopped
by a real Ctrl-C and a run killed while a batch was in flight.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from served_cli import Cli, seed_resources

from ofsc_cli.cli import _bulk as bulk_commands
from ofsc_cli.client import bulk as bj
from ofsc_cli.errors import OFSAPIError, OFSValidationError
from ofsc_cli.sandbox import ServerHandle
from ofsc_cli.sandbox.store import sub

_RESOURCES = "POST /rest/ofscCore/v1/resources/custom-actions"
OP = f"{_RESOURCES}/bulkUpdateWorkZones"
ZONES = bj.bulk_specs()[OP]
SCHEDULES = bj.bulk_specs()[f"{_RESOURCES}/bulkUpdateWorkSchedules"]
INVENTORIES = bj.bulk_specs()[f"{_RESOURCES}/bulkUpdateInventories"]


def zone_item(rid: str, zone: str = "BAYVIEW") -> dict[str, Any]:
    return {"resourceId": rid, "workZones": [{"workZone": zone, "startDate": "2026-12-01"}]}


def schedule_item(rid: str) -> dict[str, Any]:
    return {
        "resourceId": rid,
        "workSchedules": [{"recordType": "working", "startDate": "2026-12-01"}],
    }


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def records(path: Path, spec: bj.BulkSpec = ZONES) -> list[bj.Record]:
    return list(bj.validate_records(bj.read_records(path, spec), spec, path))


class FakeSend:
    """Records payloads; answers like the API (one result per item)."""

    def __init__(self, fail: Callable[[int], BaseException | None] = lambda n: None) -> None:
        self.calls: list[Any] = []
        self.fail = fail

    def __call__(self, payload: Any) -> dict[str, Any]:
        self.calls.append(payload)
        error = self.fail(len(self.calls))
        if error is not None:
            raise error
        return {"results": [{"resourceId": i["resourceId"], "itemsUpdated": 1} for i in payload]}


# -- reading and validation ------------------------------------------------------------------


def test_json_array_items_keep_their_line_numbers(tmp_path: Path) -> None:
    text = "[\n" + ",\n".join(json.dumps(zone_item(f"T{i}"), indent=1) for i in range(3)) + "\n]\n"
    found = records(write(tmp_path / "in.json", text))
    assert [r.data["resourceId"] for r in found] == ["T0", "T1", "T2"]
    lines = text.splitlines()
    for record in found:
        assert lines[record.line - 1].strip() == "{"  # type: ignore[operator]
        assert f'"{record.data["resourceId"]}"' in lines[record.line]  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.json", '[\n{"resourceId": "T1", "workZones": []},\n{"resourceId": }\n]', "line 3"),
        ("b.json", '[\n{"resourceId": "T1", "workZones": []}\n{"x": 1}]', "expected ',' or ']'"),
        (
            "c.ndjson",
            '{"resourceId": "T1", "workZones": []}\n\nnot json\n',
            "line 3: invalid JSON at column 1",
        ),
        ("d.ndjson", '{"resourceId": "T1", "workZones": []}\n[1]\n', "line 2: expected a JSON"),
        (
            "e.ndjson",
            '{"resourceId": "T1", "workZones": []}\n{"workZones": []}\n',
            "line 2: give exactly one of resourceId and resourceInternalId",
        ),
        (
            "f.ndjson",
            '{"resourceId": "T1", "resourceInternalId": 7, "workZones": []}\n',
            "line 1: give exactly one",
        ),
        (
            "g.ndjson",
            '{"resourceId": "T1", "workZones": [{"workZone": "Z", "startDate": "2026-01-01",'
            ' "ratio": 300}]}\n',
            "line 1: workZones[0].ratio",
        ),
        ("h.ndjson", '{"resourceId": "T1"}\n', "line 1: workZones: Field required"),
        ("i.csv", "resourceId,workZone,startDate,ratio\nT1,Z,2026-01-01,5\nT1,Z,,5\n", "line 3"),
        ("j.csv", "resourceId,workZone,startDate,ratio\nT1,Z,2026-01-01,many\n", "ratio"),
        ("k.csv", "workZone,startDate\nZ,2026-01-01\n", "needs a resourceId or resourceInternalId"),
        ("l.json", "   ", "file is empty"),
    ],
)
def test_malformed_input_names_line_and_field(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(bj.BulkInputError) as info:
        records(write(tmp_path / name, text))
    assert message in str(info.value)
    assert name in str(info.value)


def test_csv_rows_are_grouped_per_resource_and_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "z.csv",
        "resourceId,workZone,startDate,ratio,weekdays\n"
        "T1,BAYVIEW,2026-12-01,100,Mon;Tue\n"
        "T2,MAPLE_RIDGE,2026-12-01,,\n"
        "T1,HARBOR,2026-12-02,50,\n",
    )
    found = records(path)
    assert [r.data["resourceId"] for r in found] == ["T1", "T2"]
    assert found[0].data["workZones"] == [
        {
            "workZone": "BAYVIEW",
            "startDate": "2026-12-01",
            "ratio": 100,
            "weekdays": ["Mon", "Tue"],
        },
        {"workZone": "HARBOR", "startDate": "2026-12-02", "ratio": 50},
    ]
    assert found[0].element_lines == (2, 4)
    nested = write(
        tmp_path / "s.csv",
        "resourceId,recordType,startDate,recurrence.recurrenceType,recurrence.recurEvery\n"
        "T1,shift,2026-12-01,weekly,2\n",
    )
    item = records(nested, SCHEDULES)[0].data["workSchedules"][0]
    assert item["recurrence"] == {"recurrenceType": "weekly", "recurEvery": 2}


def test_inventory_input_accepts_the_api_envelope(tmp_path: Path) -> None:
    spec = INVENTORIES
    body = {"resources": [{"resourceId": "T1", "inventories": [{"inventoryType": "ROUTER"}]}]}
    found = records(write(tmp_path / "inv.json", json.dumps(body)), spec)
    assert found[0].where == "line 1, resources[0]"
    batch = next(bj.plan_batches(found, spec, max_items=10, max_bytes=10_000, source=tmp_path))
    assert batch.payload == body


# -- batching --------------------------------------------------------------------------------


def test_batches_respect_item_count_and_body_size(tmp_path: Path) -> None:
    lines = "".join(json.dumps(zone_item(f"T{i:03d}")) + "\n" for i in range(25))
    found = records(write(tmp_path / "in.ndjson", lines))
    by_count = list(bj.plan_batches(found, ZONES, max_items=10, max_bytes=10**6, source=tmp_path))
    assert [len(b.records) for b in by_count] == [10, 10, 5]
    one = len(json.dumps(zone_item("T000")))
    limit = 2 + 4 * one + 3 * 2  # "[]" + four items + three ", " separators
    by_size = list(bj.plan_batches(found, ZONES, max_items=100, max_bytes=limit, source=tmp_path))
    assert [len(b.records) for b in by_size] == [4] * 6 + [1]
    assert all(len(json.dumps(b.payload)) == b.size <= limit for b in by_size)
    assert by_size[1].span == "line 5 to line 8"
    with pytest.raises(bj.BulkInputError, match="line 1: this item alone is"):
        list(bj.plan_batches(found, ZONES, max_items=100, max_bytes=one, source=tmp_path))


# -- the journal -----------------------------------------------------------------------------


def run(
    path: Path,
    send: Any,
    spec: bj.BulkSpec = ZONES,
    should_stop: Callable[[], bool] = lambda: False,
    **kw: Any,
) -> bj.BulkReport:
    plan = bj.plan_bulk(spec, path, operation=OP, batch_size=2, **kw)
    return plan.run(send, should_stop=should_stop, sleep=lambda s: None)


def test_a_rerun_skips_what_was_applied(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.ndjson", "".join(json.dumps(zone_item(f"T{i}")) + "\n" for i in range(5))
    )
    send = FakeSend(fail=lambda n: OFSAPIError("boom", status_code=500) if n == 2 else None)
    with pytest.raises(OFSAPIError):
        run(path, send)
    journal = path.with_name("in.ndjson.journal")
    states = [json.loads(line).get("state") for line in journal.read_text().splitlines()]
    assert states == [None, "sent", "done", "sent"]  # batch 2 was in flight: in doubt
    again = FakeSend()
    report = run(path, again)  # work zones are replaced, so re-sending batch 2 is harmless
    assert [[i["resourceId"] for i in p] for p in again.calls] == [["T2", "T3"], ["T4"]]
    assert report.skipped == 1 and report.sent == 2
    assert any("sent again" in note for note in report.notes)
    assert [r["resourceId"] for r in report.results()] == ["T0", "T1", "T2", "T3", "T4"]
    assert [r["line"] for r in report.results()] == [1, 2, 3, 4, 5]
    third = FakeSend()
    assert run(path, third).skipped == 3 and third.calls == []  # nothing applied twice


def test_in_doubt_batches_of_non_idempotent_updates_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "s.ndjson", (json.dumps(schedule_item("T")) + "\n") * 3)
    with pytest.raises(OFSAPIError):
        run(path, FakeSend(fail=lambda n: OFSAPIError("gone", status_code=502)), SCHEDULES)
    with pytest.raises(bj.BulkJournalError, match="may or may not have been applied"):
        run(path, FakeSend(), SCHEDULES)
    skipping = FakeSend()
    report = run(path, skipping, SCHEDULES, in_doubt="skip")
    assert len(skipping.calls) == 1 and report.sent == 1  # only batch 2
    resend = tmp_path / "r.ndjson"
    resend.write_text(path.read_text())
    with pytest.raises(OFSAPIError):
        run(resend, FakeSend(fail=lambda n: OFSAPIError("gone", status_code=502)), SCHEDULES)
    again = FakeSend()
    assert run(resend, again, SCHEDULES, in_doubt="resend").sent == 2


def test_refused_batches_are_not_in_doubt(tmp_path: Path) -> None:
    lines = "".join(json.dumps(schedule_item(f"T{i}")) + "\n" for i in range(4))
    path = write(tmp_path / "in.ndjson", lines)
    send = FakeSend(fail=lambda n: OFSValidationError("bad", status_code=400) if n == 1 else None)
    with pytest.raises(OFSValidationError):
        run(path, send, SCHEDULES)
    again = FakeSend()
    assert run(path, again, SCHEDULES).sent == 2  # the 400 was recorded as not applied


def test_throttled_batches_are_retried_in_place(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.ndjson", "".join(json.dumps(zone_item(f"T{i}")) + "\n" for i in range(2))
    )
    send = FakeSend(fail=lambda n: OFSAPIError("slow down", status_code=429) if n < 3 else None)
    report = run(path, send)
    assert len(send.calls) == 3 and report.sent == 1


def test_a_journal_is_never_applied_to_another_input(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.ndjson", "".join(json.dumps(zone_item(f"T{i}")) + "\n" for i in range(4))
    )
    with pytest.raises(OFSAPIError):
        run(path, FakeSend(fail=lambda n: OFSAPIError("x", status_code=500) if n == 2 else None))
    path.write_text(path.read_text() + json.dumps(zone_item("T9")) + "\n")
    with pytest.raises(bj.BulkJournalError, match=r"different version of in\.ndjson"):
        run(path, FakeSend())
    other_op = FakeSend()
    with pytest.raises(bj.BulkJournalError, match="another operation"):
        bj.plan_bulk(ZONES, path, operation="POST /other").run(other_op)
    fresh = FakeSend()
    assert run(path, fresh, restart=True).sent == 3 and len(fresh.calls) == 3


def test_invalid_input_creates_no_journal(tmp_path: Path) -> None:
    path = write(tmp_path / "in.ndjson", json.dumps(zone_item("T1")) + "\n{}\n")
    send = FakeSend()
    with pytest.raises(bj.BulkInputError, match="line 2"):
        run(path, send)
    assert send.calls == [] and not path.with_name("in.ndjson.journal").exists()


def test_unwritable_journal_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "in.ndjson", json.dumps(zone_item("T1")) + "\n")
    with pytest.raises(bj.BulkJournalError, match="cannot write the journal"):
        run(path, FakeSend(), journal_path=tmp_path / "missing-dir" / "j")


def test_stop_request_ends_after_the_current_batch(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.ndjson", "".join(json.dumps(zone_item(f"T{i}")) + "\n" for i in range(6))
    )
    send = FakeSend()
    with pytest.raises(bj.BulkInterrupted, match="after batch 1 of 3") as info:
        run(path, send, should_stop=lambda: len(send.calls) >= 1)
    assert info.value.done == 1 and len(send.calls) == 1
    assert run(path, FakeSend()).skipped == 1


def test_deferred_interrupt_turns_the_first_ctrl_c_into_a_request() -> None:
    asked: list[bool] = []
    with bj.deferred_interrupt(lambda: asked.append(True)) as stop:
        assert not stop()
        os.kill(os.getpid(), signal.SIGINT)
        assert stop() and asked == [True]
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# -- the commands, over the emulator ---------------------------------------------------------


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    return make_sandbox_server()


def schedule_input(tmp_path: Path, rids: list[str]) -> Path:
    rows = [
        {
            "resourceId": rid,
            "workSchedules": [
                {
                    "recordType": "non-working",
                    "startDate": "2026-12-24",
                    "endDate": "2026-12-26",
                    "nonWorkingReason": "VACATION",
                    "comments": "bulk-holiday",
                }
            ],
        }
        for rid in rids
    ]
    return write(tmp_path / "holidays.ndjson", "".join(json.dumps(r) + "\n" for r in rows))


def holiday_counts(server: ServerHandle, rids: list[str]) -> dict[str, int]:
    store = server.emulator.store
    return {
        rid: sum(
            1
            for item in store.items(sub("resourceWorkSchedules", rid))
            if item.get("comments") == "bulk-holiday"
        )
        for rid in rids
    }


def bulk_requests(server: ServerHandle) -> int:
    key = "POST /rest/ofscCore/v1/resources/custom-actions/bulkUpdateWorkSchedules"
    return server.emulator.request_counts[key]


def test_bulk_command_results_and_errors(server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(server, tmp_path)
    path = write(
        tmp_path / "zones.csv",
        "resourceId,workZone,startDate,ratio\n"
        "TECH-0001,BAYVIEW,2026-12-01,100\n"
        "TECH-0001,NOWHERE,2026-12-01,100\n"
        "NO-SUCH,BAYVIEW,2026-12-01,100\n"
        "TECH-0002,MAPLE_RIDGE,2026-12-01,100\n",
    )
    dry = cli.ok(
        "core",
        "resources",
        "bulk-update-work-zones",
        "--file",
        str(path),
        "--dry-run",
        "-o",
        "json",
    )
    assert dry.stdout.startswith("POST ") and "bulkUpdateWorkZones" in dry.stdout
    body = json.loads(dry.stdout.split("\n\n", 1)[1])  # the first batch: every resource
    assert [(r["resourceId"], len(r["workZones"])) for r in body] == [
        ("TECH-0001", 2),
        ("NO-SUCH", 1),
        ("TECH-0002", 1),
    ]
    assert "3 resources in 1 batches" in dry.stderr
    assert server.emulator.request_counts[f"{_RESOURCES}/bulkUpdateWorkZones"] == 0
    assert not path.with_name("zones.csv.journal").exists()  # nothing sent, nothing recorded
    result = cli.fails(
        1, "core", "resources", "bulk-update-work-zones", "--file", str(path), "-o", "json"
    )
    rows = json.loads(result.stdout)
    assert [(r["line"], r["resourceId"], r["itemsUpdated"], r["itemsFailed"]) for r in rows] == [
        (2, "TECH-0001", 1, 1),
        (4, "NO-SUCH", 0, 1),
        (5, "TECH-0002", 1, 0),
    ]
    assert "NOWHERE" in rows[0]["errors"][0] and "NO-SUCH" in rows[1]["errors"][0]
    assert "1 of 3 resources updated without errors; 2 with errors" in result.stderr
    zones = server.emulator.store.items(sub("resourceWorkZones", "TECH-0002"))
    assert [z["workZone"] for z in zones] == ["MAPLE_RIDGE"]  # replaced
    bad = write(
        tmp_path / "bad.ndjson", '{"resourceId": "A", "resourceInternalId": 3, "workZones": []}\n'
    )
    result = cli.fails(2, "core", "resources", "bulk-update-work-zones", "--file", str(bad))
    assert "line 1" in result.stderr and "resourceInternalId" in result.stderr


def test_bulk_inventories_and_skills(server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(server, tmp_path)
    inv = write(
        tmp_path / "inv.csv",
        "resourceId,operationType,inventoryType,serialNumber,quantity\n"
        "TECH-0003,replace,ROUTER,R-1,\n"
        "TECH-0003,replace,ROUTER,R-2,\n",
    )
    rows = json.loads(
        cli.ok(
            "core", "resources", "bulk-update-inventories", "--file", str(inv), "-o", "json"
        ).stdout
    )
    assert rows[0]["created"] == 2 and rows[0]["deleted"] >= 1
    pool = server.emulator.store.items("inventories", parent="TECH-0003")
    assert sorted(i["serialNumber"] for i in pool) == ["R-1", "R-2"]
    skills = write(
        tmp_path / "sk.json",
        json.dumps(
            [{"resourceId": "TECH-0004", "workSkills": [{"workSkill": "PLUMB_REP", "ratio": 90}]}]
        ),
    )
    cli.ok("core", "resources", "bulk-update-work-skills", "--file", str(skills))
    assert [
        s["workSkill"] for s in server.emulator.store.items(sub("resourceWorkSkills", "TECH-0004"))
    ] == ["PLUMB_REP"]


def test_ctrl_c_stops_after_the_batch_and_a_rerun_finishes_exactly_once(
    server: ServerHandle, tmp_path: Path
) -> None:
    rids = seed_resources(server, 30)
    path = schedule_input(tmp_path, rids)
    emulator = server.emulator
    real = emulator.handle
    seen = {"n": 0}

    def interrupting(request: Any) -> Any:
        response = real(request)
        if request.path.endswith("bulkUpdateWorkSchedules"):
            seen["n"] += 1
            if seen["n"] == 2:  # the user presses Ctrl-C while batch 2 is being answered
                os.kill(os.getpid(), signal.SIGINT)
        return response

    emulator.handle = interrupting  # type: ignore[method-assign]
    cli = Cli(server, tmp_path)
    args = (
        "core",
        "resources",
        "bulk-update-work-schedules",
        "--file",
        str(path),
        "--batch-size",
        "5",
    )
    first = cli.fails(130, *args)
    assert "interrupted after batch 2 of 6" in first.stderr
    assert sum(holiday_counts(server, rids).values()) == 10
    emulator.handle = real  # type: ignore[method-assign]
    second = cli.ok(*args, "-o", "json")
    assert len(json.loads(second.stdout)) == 30  # results of both runs
    assert "2 batches already applied earlier" in second.stderr
    assert holiday_counts(server, rids) == dict.fromkeys(rids, 1)
    assert bulk_requests(server) == 6
    cli.ok(*args)  # a third run sends nothing
    assert bulk_requests(server) == 6 and holiday_counts(server, rids) == dict.fromkeys(rids, 1)


def test_a_run_killed_mid_batch_is_resumed_without_applying_twice(
    server: ServerHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rids = seed_resources(server, 12)
    path = schedule_input(tmp_path, rids)
    real_send = bulk_commands.send
    calls = {"n": 0}

    def killed_after_sending(*args: Any, **kwargs: Any) -> Any:
        result = real_send(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 2:  # the server applied batch 2, then the process died
            raise KeyboardInterrupt
        return result

    monkeypatch.setattr(bulk_commands, "send", killed_after_sending)
    cli = Cli(server, tmp_path)
    args = (
        "core",
        "resources",
        "bulk-update-work-schedules",
        "--file",
        str(path),
        "--batch-size",
        "4",
    )
    cli.fails(130, *args)
    monkeypatch.setattr(bulk_commands, "send", real_send)
    assert sum(holiday_counts(server, rids).values()) == 8
    refused = cli.fails(2, *args)
    assert "batch 2 (line 5 to line 8)" in refused.stderr and "--in-doubt" in refused.stderr
    assert bulk_requests(server) == 2
    cli.ok(*args, "--in-doubt", "skip")  # checked on the server: batch 2 did apply
    assert holiday_counts(server, rids) == dict.fromkeys(rids, 1)
    assert bulk_requests(server) == 3


def test_an_idempotent_bulk_resends_an_in_doubt_batch(
    server: ServerHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rids = seed_resources(server, 6)
    rows = [zone_item(rid, "MAPLE_RIDGE") for rid in rids]
    path = write(tmp_path / "z.ndjson", "".join(json.dumps(r) + "\n" for r in rows))
    real_send = bulk_commands.send

    def killed(*args: Any, **kwargs: Any) -> Any:
        real_send(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(bulk_commands, "send", killed)
    cli = Cli(server, tmp_path)
    args = ("core", "resources", "bulk-update-work-zones", "--file", str(path), "--batch-size", "3")
    cli.fails(130, *args)
    monkeypatch.setattr(bulk_commands, "send", real_send)
    result = cli.ok(*args)
    assert "sent again (the operation is idempotent)" in result.stderr
    for rid in rids:
        zones = server.emulator.store.items(sub("resourceWorkZones", rid))
        assert [z["workZone"] for z in zones] == ["MAPLE_RIDGE"]


def test_a_changed_input_is_refused_with_an_explanation(
    server: ServerHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rids = seed_resources(server, 4)
    path = schedule_input(tmp_path, rids)
    real_send = bulk_commands.send

    def killed(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(bulk_commands, "send", killed)
    cli = Cli(server, tmp_path)
    args = (
        "core",
        "resources",
        "bulk-update-work-schedules",
        "--file",
        str(path),
        "--batch-size",
        "2",
    )
    cli.fails(130, *args)
    monkeypatch.setattr(bulk_commands, "send", real_send)
    path.write_text(path.read_text().replace("VACATION", "SICK"))
    result = cli.fails(2, *args)
    assert "different version of holidays.ndjson" in result.stderr and "--restart" in result.stderr
