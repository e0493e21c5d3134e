"""Events: subscriptions, and ``events follow`` with its saved cursor (nothing lost, nothing
repeated across restarts and Ctrl-C)."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from served_cli import Cli, make_cli, sync_client

from ofsc_cli.client.events import CursorFile, EventBatch, EventFollower, default_state_path
from ofsc_cli.errors import OFSValidationError
from ofsc_cli.sandbox import ServerHandle

SEEDED = "a1b2c3d4e5f60718293a4b5c6d7e8f90"


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    return make_sandbox_server()


@pytest.fixture
def cli(server: ServerHandle, tmp_path: Path) -> Cli:
    return make_cli(server, tmp_path)


def follow(cli: Cli, state: Path, *extra: str) -> list[dict[str, Any]]:
    out = cli.ok("core", "events", "follow", SEEDED, "--once", "--state", str(state), *extra).stdout
    return [json.loads(line) for line in out.splitlines()]


def touch(cli: Cli, activity: int, note: str, tmp_path: Path) -> None:
    """Change an activity (the emulator logs an ``activityUpdated`` event)."""
    patch = tmp_path / f"patch-{note}.json"
    patch.write_text(json.dumps({"job_notes": note}))
    cli.ok("core", "activities", "update", str(activity), "--file", str(patch))


def test_subscriptions_create_list_get_delete(cli: Cli, tmp_path: Path) -> None:
    body = tmp_path / "sub.yaml"
    body.write_text("subscriptionTitle: test\nevents: [activityMoved, activityCreated]\n")
    created = json.loads(
        cli.ok(
            "core", "events", "subscriptions", "create", "--file", str(body), "-o", "json"
        ).stdout
    )
    sid = created["subscriptionId"]
    assert created["nextPage"]
    listed = json.loads(cli.ok("core", "events", "subscriptions", "list", "-o", "json").stdout)
    assert {s["subscriptionId"] for s in listed} == {SEEDED, sid}
    got = json.loads(cli.ok("core", "events", "subscriptions", "get", sid, "-o", "json").stdout)
    assert got["events"] == ["activityMoved", "activityCreated"]
    cli.ok("core", "events", "subscriptions", "delete", sid, "--yes")
    assert cli("core", "events", "subscriptions", "get", sid).exit_code == 5


def test_a_subscription_without_events_is_refused_before_sending(cli: Cli, tmp_path: Path) -> None:
    body = tmp_path / "sub.json"
    body.write_text('{"subscriptionTitle": "nothing"}')
    result = cli("core", "events", "subscriptions", "create", "--file", str(body))
    assert result.exit_code == 2 and "events" in result.stderr


def test_follow_catches_up_then_continues_with_new_events_only(cli: Cli, tmp_path: Path) -> None:
    state = tmp_path / "cursor.json"
    first = follow(cli, state)
    assert len(first) == 20 and all(e["eventType"] == "activityCompleted" for e in first)
    assert json.loads(state.read_text())["nextPage"]
    assert follow(cli, state) == []
    touch(cli, 4200017, "one", tmp_path)
    touch(cli, 4200018, "two", tmp_path)
    new = follow(cli, state)
    assert [
        (e["activityDetails"]["activityId"], e["activityChanges"]["job_notes"]) for e in new
    ] == [
        (4200017, "one"),
        (4200018, "two"),
    ]
    assert follow(cli, state) == []


def test_follow_across_a_restart_loses_and_repeats_nothing(
    server: ServerHandle, tmp_path: Path
) -> None:
    state = CursorFile(tmp_path / "cursor.json", SEEDED)
    seen: list[dict[str, Any]] = []
    with sync_client(server) as client:
        first = EventFollower(client, SEEDED, state=state, once=True, limit=3)
        for batch in first:
            seen.extend(batch.events)
            first.commit(batch)
            if len(seen) >= 9:
                break  # the process stops here (three pages written and committed)
        second = EventFollower(client, SEEDED, state=state, once=True, limit=3)
        for batch in second:
            seen.extend(batch.events)
            second.commit(batch)
        everything = list(
            EventFollower(
                client, SEEDED, state=CursorFile(tmp_path / "fresh.json", SEEDED), once=True
            )
        )
    assert len(seen) == 20
    assert seen == [e for batch in everything for e in batch.events]


def test_ctrl_c_while_following_keeps_the_cursor_of_what_was_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "cursor.json"
    real_commit = EventFollower.commit

    def commit_then_interrupt(self: EventFollower, batch: EventBatch) -> None:
        real_commit(self, batch)
        if self.events >= 8:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(EventFollower, "commit", commit_then_interrupt)
    stopped = cli("core", "events", "follow", SEEDED, "--state", str(state), "--limit", "4")
    assert stopped.exit_code == 130
    assert "cursor is saved" in stopped.stderr
    before = [json.loads(line) for line in stopped.stdout.splitlines()]
    assert len(before) == 8
    monkeypatch.setattr(EventFollower, "commit", real_commit)
    after = follow(cli, state, "--limit", "4")
    reference = follow(cli, tmp_path / "fresh.json")
    assert before + after == reference and len(reference) == 20


def test_a_new_subscription_starts_after_the_events_that_exist(cli: Cli, tmp_path: Path) -> None:
    body = tmp_path / "sub.json"
    body.write_text(json.dumps({"subscriptionConfig": [{"events": ["activityUpdated"]}]}))
    sid = json.loads(
        cli.ok(
            "core", "events", "subscriptions", "create", "--file", str(body), "-o", "json"
        ).stdout
    )["subscriptionId"]
    state = tmp_path / "new.json"
    args = ["core", "events", "follow", sid, "--once", "--state", str(state)]
    assert cli.ok(*args).stdout == ""
    touch(cli, 4200017, "later", tmp_path)
    events = [json.loads(line) for line in cli.ok(*args).stdout.splitlines()]
    assert [e["activityChanges"]["job_notes"] for e in events] == ["later"]


def test_since_restarts_from_a_point_in_time(cli: Cli, tmp_path: Path) -> None:
    everything = follow(cli, tmp_path / "all.json")
    since = "2026-11-10 00:00:00"
    later = follow(cli, tmp_path / "since.json", "--since", since)
    # The log is read from the first event at or after that time.
    first = next(i for i, e in enumerate(everything) if e["time"] >= since)
    assert later == everything[first:]
    assert 0 < len(later) < len(everything)


def test_the_default_cursor_file_is_per_profile_and_subscription(cli: Cli, tmp_path: Path) -> None:
    cli.ok("core", "events", "follow", SEEDED, "--once")
    files = list((tmp_path / "cache").rglob("*.json"))
    assert len(files) == 1 and SEEDED in files[0].name
    assert default_state_path("prod", SEEDED).name == f"prod--{SEEDED}.json"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--since", "yesterday"], 2, "--since"),
        (["-o", "table"], 2, "NDJSON"),
    ],
)
def test_follow_bad_input(cli: Cli, args: list[str], code: int, message: str) -> None:
    result = cli("core", "events", "follow", SEEDED, "--once", *args)
    assert result.exit_code == code and message in result.stderr


def test_follow_an_unknown_subscription_exits_5(cli: Cli, tmp_path: Path) -> None:
    result = cli("core", "events", "follow", "nope", "--once", "--state", str(tmp_path / "s.json"))
    assert result.exit_code == 5


def test_a_cursor_file_of_another_subscription_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cursor.json"
    CursorFile(path, "one").save("e10")
    assert CursorFile(path, "one").load() == "e10"
    with pytest.raises(OFSValidationError, match="give another --state file"):
        CursorFile(path, "two").load()
