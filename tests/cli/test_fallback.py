"""A successful answer that does not fit its model still reaches the user.

The library raises ``OFSSerializationError`` carrying the answer (``body``, ``content``); the
command line shows the data as received, in the chosen format, with one warning on stderr
(``--debug`` adds the validation problems), and exits 0.  Only a streamed list that already
wrote part of its output keeps failing (exit 1), so a partial result never passes for a whole
one; an answer that is not JSON at all stays an error too.  Answers are served over real HTTP on
127.0.0.1 (:class:`replay.Replay`).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from replay import Replay
from served_cli import Cli

from ofsc_cli.client import OFSC, AsyncOFSC
from ofsc_cli.errors import OFSSerializationError

ZONE = "GET /rest/ofscMetadata/v1/workZones/{label}"
ZONES = "GET /rest/ofscMetadata/v1/workZones"
# A number where the model has a string, a string where it has a list, a field it does not know.
ODD_ZONE = {"workZoneLabel": 7, "workZoneName": "Seven", "keys": "10001", "future": {"a": 1}}
WARNING = (
    "ofsc: warning: the answer did not match the WorkZone model; shown as received"
    " (--debug for details)"
)


@pytest.fixture
def replay() -> Iterator[Replay]:
    server = Replay()
    yield server
    server.close()


@pytest.fixture
def cli(replay: Replay, tmp_path: Path) -> Cli:
    return Cli(replay, tmp_path)  # type: ignore[arg-type]  # needs only .url


def _client(replay: Replay) -> OFSC:
    return OFSC(instance="acme", client_id="demo", client_secret="demo-secret", base_url=replay.url)


@pytest.mark.parametrize("fmt", ["json", "ndjson", "yaml", "csv", "table"])
def test_an_object_that_does_not_fit_is_shown_as_received(
    cli: Cli, replay: Replay, fmt: str
) -> None:
    replay.answer(ZONE, ODD_ZONE)
    result = cli("metadata", "work-zones", "get", "SEVEN", "-o", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [WARNING]
    out = result.stdout
    if fmt == "json":
        assert json.loads(out) == ODD_ZONE
    elif fmt == "ndjson":
        assert [json.loads(line) for line in out.splitlines()] == [ODD_ZONE]
    elif fmt == "yaml":
        assert yaml.safe_load(out) == ODD_ZONE
    elif fmt == "csv":
        header, row = list(csv.reader(io.StringIO(out)))
        assert dict(zip(header, row, strict=True))["workZoneLabel"] == "7"
    else:
        assert out.splitlines()[1:] == [
            "workZoneLabel\t7",
            "workZoneName\tSeven",
            "keys\t10001",
            'future\t{"a": 1}',
        ]


def test_debug_shows_the_validation_problems_and_no_secret(cli: Cli, replay: Replay) -> None:
    replay.answer(ZONE, ODD_ZONE)
    quiet = cli("metadata", "work-zones", "get", "SEVEN", "-o", "json")
    assert "workZoneLabel" not in quiet.stderr
    result = cli("metadata", "work-zones", "get", "SEVEN", "-o", "json", "--debug")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == ODD_ZONE
    assert result.stderr.count("warning:") == 1 and WARNING in result.stderr
    assert "2 validation errors for WorkZone" in result.stderr
    assert "workZoneLabel" in result.stderr and "keys" in result.stderr
    assert "Traceback" not in result.stderr
    assert "demo-secret" not in result.stderr + result.stdout


@pytest.mark.parametrize("extra", [[], ["--limit", "5"]], ids=["page", "limit"])
def test_a_list_page_that_does_not_fit_shows_its_items(
    cli: Cli, replay: Replay, extra: list[str]
) -> None:
    items = [{"workZoneLabel": "A", "keys": "x"}, {"workZoneLabel": "B", "status": "active"}]
    replay.answer(ZONES, {"items": items, "totalResults": 2, "hasMore": False})
    result = cli("metadata", "work-zones", "list", *extra, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == items
    assert result.stderr.splitlines() == [
        "ofsc: warning: the answer did not match the Page[WorkZone] model; shown as received"
        " (--debug for details)"
    ]


@pytest.mark.parametrize(
    ("operation", "args", "body"),
    [
        (
            "GET /rest/ofscCore/v1/resources/{resourceId}",
            ["core", "resources", "get", "T1"],
            {"resourceId": "T1", "status": 1, "name": ["not", "a", "name"]},
        ),
        (
            "GET /rest/ofscCapacity/v2/quota",
            ["capacity", "quota", "get", "--dates", "2026-11-20"],
            {"items": [{"date": "2026-11-20", "areas": "NORTH"}]},
        ),
        (
            "GET /rest/ofscStatistics/v1/activityDurationStats",
            ["statistics", "activity-duration", "get"],
            {"items": [{"resourceId": "T1", "avg": "fast"}]},
        ),
    ],
    ids=["core", "capacity", "statistics"],
)
def test_every_command_family_falls_back_the_same_way(
    cli: Cli, replay: Replay, operation: str, args: list[str], body: dict[str, Any]
) -> None:
    replay.answer(operation, body)
    result = cli(*args, "-o", "json")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown == body.get("items", body)
    assert len(result.stderr.splitlines()) == 1 and "shown as received" in result.stderr


def test_a_stream_that_already_wrote_keeps_the_error(cli: Cli, replay: Replay) -> None:
    first = {"items": [{"workZoneLabel": "A"}], "totalResults": 2, "hasMore": True}
    second = {"items": [{"workZoneLabel": 5}], "totalResults": 2, "hasMore": False}
    replay.answer(ZONES, first, second)
    result = cli("metadata", "work-zones", "list", "--limit", "10", "-o", "ndjson")
    assert result.exit_code == 1
    assert [json.loads(line) for line in result.stdout.splitlines()] == [{"workZoneLabel": "A"}]
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "unexpected response body" in lines[0]
    assert "warning" not in result.stderr


def test_an_answer_that_is_not_json_stays_an_error(cli: Cli, replay: Replay) -> None:
    replay.answer(ZONE, b"<html>maintenance</html>")
    result = cli("metadata", "work-zones", "get", "SEVEN", "-o", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ofsc: HTTP 200 GET")
    assert "unexpected response body" in lines[0]


def test_the_library_error_carries_the_answer(replay: Replay) -> None:
    replay.answer(ZONE, ODD_ZONE)
    with _client(replay) as client, pytest.raises(OFSSerializationError) as info:
        client.metadata.get_work_zone("SEVEN")
    error = info.value
    assert error.received and error.is_json
    assert error.status_code == 200 and error.method == "GET"
    assert error.body == ODD_ZONE
    assert json.loads(error.content or b"") == ODD_ZONE
    assert error.model == "WorkZone"
    assert error.validation_error is not None and "workZoneLabel" in error.validation_error
    assert "unexpected response body" in str(error)


def test_the_async_library_error_carries_the_answer_too(replay: Replay) -> None:
    replay.answer(ZONES, {"items": [{"workZoneLabel": ["A"]}]})

    async def fetch() -> None:
        async with AsyncOFSC(
            instance="acme", client_id="demo", client_secret="demo-secret", base_url=replay.url
        ) as client:
            await client.metadata.list_work_zones()

    with pytest.raises(OFSSerializationError) as info:
        asyncio.run(fetch())
    assert info.value.received and info.value.body == {"items": [{"workZoneLabel": ["A"]}]}


def test_a_non_json_answer_keeps_its_bytes(replay: Replay) -> None:
    replay.answer(ZONE, b"\xff\xfe not json")
    with _client(replay) as client, pytest.raises(OFSSerializationError) as info:
        client.metadata.get_work_zone("SEVEN")
    assert not info.value.received and not info.value.is_json
    assert info.value.body is None and info.value.content == b"\xff\xfe not json"
