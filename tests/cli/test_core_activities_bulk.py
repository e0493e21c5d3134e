"""``activities bulk-update``: input formats and their errors, batches, the journal (resume
after a crash or Ctrl-C, foreign journals, in-doubt batches) and per-item results."""

from __future__ import annotations

import collections
import json
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from served_cli import Cli, make_cli, sync_client

from ofsc_cli.cli import _bulk as bulk_commands
from ofsc_cli.client._sync import OFSC
from ofsc_cli.client.bulk import (
    Batch,
    BulkInputError,
    BulkReport,
    InDoubtError,
    Record,
    bulk_specs,
    default_journal_path,
    plan_batches,
    plan_bulk,
    read_records,
    validate_records,
)
from ofsc_cli.errors import OFSTimeoutError
from ofsc_cli.sandbox import Faults, ServerHandle

BULK = "POST /rest/ofscCore/v1/activities/custom-actions/bulkUpdate"
ACTIVITIES = bulk_specs()[BULK]


def activity_ids(server: ServerHandle, count: int) -> list[int]:
    """``count`` pending activities (a change to a finished one is not applied)."""
    with sync_client(server) as client:
        page = client.core.list_activities(
            resources="ROOT", date_from="2026-11-20", date_to="2026-11-30", limit=count * 2
        )
    return [a.activityId for a in page.items if a.status == "pending" and a.activityId][:count]


def write_changes(path: Path, ids: list[int], tag: str = "bulk") -> Path:
    path.write_text(
        "".join(json.dumps({"activityId": i, "job_notes": f"{tag}-{i}"}) + "\n" for i in ids)
    )
    return path


def applied(server: ServerHandle, tag: str = "bulk") -> collections.Counter[int]:
    """How many times the emulator applied a change tagged ``tag`` to each activity."""
    counts: collections.Counter[int] = collections.Counter()
    for record in server.emulator.store.items("eventLog"):
        event = record["event"]
        notes = str((event.get("activityChanges") or {}).get("job_notes", ""))
        if event["eventType"] == "activityUpdated" and notes.startswith(f"{tag}-"):
            counts[event["activityDetails"]["activityId"]] += 1
    return counts


def changes(path: Path, identify_by: str = "activityId") -> list[Record]:
    """The checked items of ``path`` (as a run reads them)."""
    parameters = {"identifyActivityBy": identify_by}
    return list(validate_records(read_records(path, ACTIVITIES), ACTIVITIES, path, parameters))


def run(
    client: OFSC,
    path: Path,
    *,
    on_batch: Callable[[Batch, str], None] | None = None,
    retry_delay: float = 0.5,
    **options: Any,
) -> BulkReport:
    """A journaled bulk update of ``path`` through ``client`` (the library, no command)."""
    plan = plan_bulk(ACTIVITIES, path, operation=BULK, **options)
    return plan.run(client.core.bulk_update_activities, on_batch=on_batch, retry_delay=retry_delay)


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    return make_sandbox_server()


@pytest.fixture
def cli(server: ServerHandle, tmp_path: Path) -> Cli:
    return make_cli(server, tmp_path)


# -- reading the input ----------------------------------------------------------------------


def test_ndjson_json_and_csv_give_the_same_changes_with_their_lines(tmp_path: Path) -> None:
    nd = tmp_path / "c.ndjson"
    nd.write_text('{"activityId": 1, "duration": 30}\n\n{"activityId": 2, "cust_tier": "gold"}\n')
    js = tmp_path / "c.json"
    js.write_text(
        '[\n  {"activityId": 1, "duration": 30},\n\n  {"activityId": 2,\n "cust_tier": "gold"}\n]'
    )
    cs = tmp_path / "c.csv"
    cs.write_text("activityId,duration,cust_tier\n1,30,\n2,,gold\n")
    expected_items = [{"activityId": 1, "duration": 30}, {"activityId": 2, "cust_tier": "gold"}]
    assert [(c.line, c.data) for c in changes(nd)] == list(zip([1, 3], expected_items, strict=True))
    assert [(c.line, c.data) for c in changes(js)] == list(zip([2, 4], expected_items, strict=True))
    assert [(c.line, c.data) for c in changes(cs)] == list(zip([2, 3], expected_items, strict=True))


def test_json_wrapper_brings_its_update_parameters(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(
        json.dumps(
            {
                "updateParameters": {
                    "identifyActivityBy": "apptNumber",
                    "ifInFinalStatusThen": "updateExisting",
                },
                "activities": [{"apptNumber": "WO-0200001", "job_notes": "x"}],
            },
            indent=2,
        )
    )
    plan = plan_bulk(ACTIVITIES, path, operation=BULK)
    assert plan.parameters is not None
    assert plan.parameters["identifyActivityBy"] == "apptNumber"
    assert plan.parameters["ifInFinalStatusThen"] == "updateExisting"
    assert plan.items == 1
    assert [r.where for r in next(plan.iter_batches()).records] == ["line 7, activities[0]"]


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("a.ndjson", '{"activityId": 1}\n{"activityId": 2,\n', "line 2: invalid JSON"),
        ("b.ndjson", '{"activityId": 1}\n[1, 2]\n', "line 2: expected a JSON object"),
        ("c.ndjson", '{"activityId": 1}\n{"job_notes": "x"}\n', "line 2: activityId: missing"),
        ("d.ndjson", '{"activityId": "12"}\n', "line 1: activityId: '12' is not an integer"),
        ("e.ndjson", '{"activityId": 1, "duration": "long"}\n', "line 1: duration:"),
        ("f.ndjson", '{"activityId": 1, "date": "30/11/2026"}\n', "line 1: date:"),
        ("g.json", '[\n {"activityId": 1},\n {"activityId": 2} {"activityId": 3}\n]', "line 3"),
        (
            "h.csv",
            "activityId,duration\n1,30\n2,thirty\n",
            "line 3: duration: 'thirty' is not an integer",
        ),
        ("i.csv", "activityId,job_notes\n1,a,b\n", "line 2: 3 cells for 2 header fields"),
    ],
)
def test_malformed_input_names_the_line_and_field(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(BulkInputError) as caught:
        changes(path)
    assert where in str(caught.value)
    assert str(path) in str(caught.value)


def test_batches_respect_the_count_and_the_byte_limit(tmp_path: Path) -> None:
    items = [Record(f"line {n}", n, {"activityId": n, "job_notes": "x" * 50}) for n in range(1, 11)]
    params = {"ifInFinalStatusThen": "doNothing"}

    def batches(max_items: int, max_bytes: int) -> list[Batch]:
        return list(
            plan_batches(
                items,
                ACTIVITIES,
                max_items=max_items,
                max_bytes=max_bytes,
                source=tmp_path,
                parameters=params,
            )
        )

    assert [len(b.records) for b in batches(4, 10**6)] == [4, 4, 2]
    # The parameters are sent with every batch; exactly 3 items fit in this many bytes.
    envelope = len(json.dumps({"updateParameters": params, "activities": []}))
    one = len(json.dumps(items[9].data))
    sized = batches(100, envelope + 3 * one + 2 * 2)
    assert [len(b.records) for b in sized] == [3, 3, 3, 1]
    assert [b.index for b in sized] == [1, 2, 3, 4]
    assert all(len(json.dumps(b.payload)) == b.size for b in sized)
    assert sized[0].payload["updateParameters"] == params
    with pytest.raises(BulkInputError, match="line 1"):
        batches(100, envelope + one - 1)


# -- the journal: crash, resume, exactly once -------------------------------------------------


class Crash(Exception):
    pass


def test_a_run_killed_midway_then_rerun_applies_each_change_exactly_once(
    server: ServerHandle, cli: Cli, tmp_path: Path
) -> None:
    ids = activity_ids(server, 23)
    path = write_changes(tmp_path / "changes.ndjson", ids)
    done: list[int] = []

    def crash_after_two(batch: Batch, outcome: str) -> None:
        done.append(batch.index)
        if len(done) == 2:
            raise Crash

    with sync_client(server) as client, pytest.raises(Crash):
        run(client, path, batch_size=5, on_batch=crash_after_two)
    assert set(applied(server)) == set(ids[:10])
    # The re-run sends only the three batches left.
    result = cli.ok("core", "activities", "bulk-update", "--file", str(path), "-o", "json")
    assert "13 activities in 3 batches; 2 batches already applied" in result.stderr
    assert applied(server) == collections.Counter({i: 1 for i in ids})
    assert server.emulator.request_counts[BULK] == 5
    rows = json.loads(result.stdout)
    assert [r["line"] for r in rows] == list(range(1, 24))
    assert all(r["operationsPerformed"] == ["update"] for r in rows)
    # And once more: nothing left to send.
    again = cli.ok("core", "activities", "bulk-update", "--file", str(path), "-o", "json")
    assert "already applied" in again.stderr
    assert server.emulator.request_counts[BULK] == 5
    assert len(json.loads(again.stdout)) == 23


def test_ctrl_c_stops_after_the_current_batch_and_the_rerun_finishes(
    server: ServerHandle, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = activity_ids(server, 12)
    path = write_changes(tmp_path / "changes.ndjson", ids)
    original = bulk_commands.send
    sent: list[Any] = []

    def send_then_interrupt(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        sent.append(result)
        if len(sent) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C mid-run
        return result

    monkeypatch.setattr(bulk_commands, "send", send_then_interrupt)
    first = cli("core", "activities", "bulk-update", "--file", str(path), "--batch-size", "4")
    assert first.exit_code == 130, first.stderr
    assert "stopping after the current batch" in first.stderr
    assert "interrupted after batch 1 of 3" in first.stderr
    assert set(applied(server)) == set(ids[:4])
    monkeypatch.setattr(bulk_commands, "send", original)
    cli.ok("core", "activities", "bulk-update", "--file", str(path))
    assert applied(server) == collections.Counter({i: 1 for i in ids})


def test_a_journal_of_another_input_is_refused(
    server: ServerHandle, cli: Cli, tmp_path: Path
) -> None:
    ids = activity_ids(server, 6)
    path = write_changes(tmp_path / "changes.ndjson", ids)
    cli.ok("core", "activities", "bulk-update", "--file", str(path), "--batch-size", "3")
    write_changes(path, ids, tag="other")  # the file was edited since
    result = cli("core", "activities", "bulk-update", "--file", str(path))
    assert result.exit_code == 2
    assert "belongs to a different input" in result.stderr
    assert "move the journal away" in result.stderr
    assert not applied(server, "other")
    # Another batch size is refused too; leaving it out resumes with the journal's.
    write_changes(path, ids)
    wrong = cli("core", "activities", "bulk-update", "--file", str(path), "--batch-size", "2")
    assert wrong.exit_code == 2 and "--batch-size 3" in wrong.stderr
    cli.ok("core", "activities", "bulk-update", "--file", str(path))
    assert server.emulator.request_counts[BULK] == 2


class TimeoutAfterSending(httpx.HTTPTransport):
    """Delivers the request, then loses the answer (as a dying connection would)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        response.read()
        if request.url.path.endswith("bulkUpdate"):
            raise httpx.ReadTimeout("lost", request=request)
        return response


def test_a_batch_left_in_doubt_is_not_resent_without_being_told(
    server: ServerHandle, cli: Cli, tmp_path: Path
) -> None:
    ids = activity_ids(server, 4)
    path = write_changes(tmp_path / "changes.ndjson", ids)
    with (
        sync_client(server, transport=TimeoutAfterSending()) as client,
        pytest.raises(OFSTimeoutError),
    ):
        run(client, path, batch_size=2)
    assert applied(server) == collections.Counter({i: 1 for i in ids[:2]})  # it did arrive
    refused = cli("core", "activities", "bulk-update", "--file", str(path))
    assert refused.exit_code == 2
    assert "batch 1 (line 1 to line 2)" in refused.stderr
    assert "--in-doubt resend" in refused.stderr and "--in-doubt skip" in refused.stderr
    result = cli.ok(
        "core", "activities", "bulk-update", "--file", str(path), "--in-doubt", "skip", "-o", "json"
    )
    assert applied(server) == collections.Counter({i: 1 for i in ids})
    rows = json.loads(result.stdout)
    assert "in doubt" in rows[0]["warnings"][0]["message"]
    assert server.emulator.request_counts[BULK] == 2


def test_resend_in_doubt_sends_the_batch_again(server: ServerHandle, tmp_path: Path) -> None:
    ids = activity_ids(server, 2)
    path = write_changes(tmp_path / "changes.ndjson", ids)
    journal = default_journal_path(path)

    def lost(body: Any) -> Any:
        raise OFSTimeoutError("timed out")  # nobody knows whether it arrived (it did not)

    with pytest.raises(OFSTimeoutError):
        plan_bulk(ACTIVITIES, path, operation=BULK).run(lost)
    with sync_client(server) as client:
        with pytest.raises(InDoubtError):
            run(client, path)
        outcome = run(client, path, in_doubt="resend")
    assert outcome.sent == 1
    assert applied(server) == collections.Counter({i: 1 for i in ids})
    assert journal.exists()


def test_refused_batches_are_retried(
    make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    server = make_sandbox_server(
        faults=Faults(rate_limit_every=3, rate_limit_burst=1, retry_after=0)
    )
    ids = activity_ids(server, 10)
    path = write_changes(tmp_path / "changes.ndjson", ids)
    with sync_client(server) as client:
        outcome = run(client, path, batch_size=2, retry_delay=0)
    assert outcome.sent == 5 and outcome.failed_items == 0
    assert applied(server) == collections.Counter({i: 1 for i in ids})
    assert server.emulator.request_counts[BULK] > 5  # some were refused with 429 first


# -- the command -------------------------------------------------------------------------------


def test_per_item_errors_are_reported_and_exit_1(
    server: ServerHandle, cli: Cli, tmp_path: Path
) -> None:
    ids = activity_ids(server, 2)
    path = tmp_path / "c.csv"
    path.write_text(
        f"activityId,job_notes\n{ids[0]},bulk-{ids[0]}\n999,bulk-999\n{ids[1]},bulk-{ids[1]}\n"
    )
    result = cli("core", "activities", "bulk-update", "--file", str(path), "-o", "csv")
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    header = "line,activityKeys.activityId,operationsPerformed,operationsFailed,"
    assert lines[0] == header + "errors.errorDetail,warnings.message"
    assert lines[1].startswith(f"2,{ids[0]},") and "update" in lines[1]
    assert lines[2].startswith("3,999,") and "create" in lines[2] and "Missing required" in lines[2]
    assert "2 of 3 activities updated without errors; 1 with errors" in result.stderr


def test_dry_run_prints_the_first_request_and_sends_nothing(
    server: ServerHandle, cli: Cli, tmp_path: Path
) -> None:
    ids = activity_ids(server, 3)
    path = write_changes(tmp_path / "changes.ndjson", ids)
    result = cli.ok(
        "core",
        "activities",
        "bulk-update",
        "--file",
        str(path),
        "--batch-size",
        "2",
        "--if-final",
        "updateExisting",
        "--dry-run",
    )
    assert result.stdout.startswith("POST ") and "bulkUpdate" in result.stdout
    body = json.loads(result.stdout.split("\n\n", 1)[1])
    assert body["updateParameters"]["ifInFinalStatusThen"] == "updateExisting"
    assert [a["activityId"] for a in body["activities"]] == ids[:2]
    assert server.emulator.request_counts[BULK] == 0
    assert not default_journal_path(path).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--file", "-"], "not stdin"),
        (["--file", "missing.ndjson"], "no such file"),
        (["--file", "x.ndjson", "--in-doubt", "sometimes"], "not one of refuse, resend, skip"),
        (["--file", "x.ndjson", "--if-final", "sometimes"], "ifInFinalStatusThen"),
        (["--file", "empty.ndjson"], "no activities"),
    ],
)
def test_bad_bulk_invocations_exit_2(
    cli: Cli, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "x.ndjson").write_text('{"activityId": 1}\n')
    (tmp_path / "empty.ndjson").write_text("\n")
    args = [a if not a.endswith(".ndjson") else str(tmp_path / a) for a in args]
    result = cli("core", "activities", "bulk-update", *args)
    assert result.exit_code == 2
    assert message in result.stderr
