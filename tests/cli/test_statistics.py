"""``ofsc statistics`` over the served emulator, and the client's ``next``-link paging."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import STRICT
from served_cli import cli_env
from typer.testing import CliRunner, Result

from ofsc_cli import OFSC
from ofsc_cli.cli._app import build_app
from ofsc_cli.client.api.statistics import iter_stats
from ofsc_cli.sandbox import Emulator, EmulatorConfig, ServerHandle, Store, serve

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def server(_seeded_store: Store) -> Iterator[ServerHandle]:
    with serve(Emulator(_seeded_store.clone(), EmulatorConfig(strict=STRICT))) as handle:
        yield handle


@pytest.fixture(scope="module")
def ofsc(server: ServerHandle, tmp_path_factory: pytest.TempPathFactory) -> Run:
    env = cli_env(server, tmp_path_factory.mktemp("cfg"))

    def run(*args: str) -> Result:
        return CliRunner().invoke(build_app(), list(args), env=env)

    return run


def records(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# ----------------------------------------------------------------------------- client paging


def test_iter_stats_follows_next_links_until_the_last_page() -> None:
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        seen.append(params)
        offset = int(params.get("offset", 0))
        items = [{"akey": f"K{n}"} for n in range(offset, min(offset + 2, 5))]
        body: dict[str, Any] = {"items": items}
        if offset + 2 < 5:
            body["links"] = [
                {"rel": "next", "href": f"https://x/s?offset={offset + 2}&limit=2&akey=A"}
            ]
        return httpx.Response(200, json=body)

    with OFSC("acme", "id", "s", transport=httpx.MockTransport(handler)) as client:
        got = list(iter_stats(client.statistics.get_activity_duration_stats, akey="A", limit=2))
    assert [r.akey for r in got] == ["K0", "K1", "K2", "K3", "K4"]
    assert [p.get("offset") for p in seen] == [None, "2", "4"]
    assert all(p["akey"] == "A" for p in seen)


def test_iter_stats_stops_when_a_next_link_repeats() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(
            200,
            json={"items": [{"fkey": "a"}], "links": [{"rel": "next", "href": "/s?offset=1"}]},
        )

    with OFSC("acme", "id", "s", transport=httpx.MockTransport(handler)) as client:
        got = list(iter_stats(client.statistics.get_activity_travel_stats))
    assert calls == 2 and len(got) == 2


# ----------------------------------------------------------------------------- commands


def test_get_one_page_hints_at_more(ofsc: Run) -> None:
    result = ofsc("statistics", "activity-duration", "get", "--limit", "5", "-o", "json")
    page = records(result)
    assert len(page) == 5
    assert {"resourceId", "akey", "avg", "count"} <= set(page[0])
    assert "--all" in result.stderr


def test_get_all_merges_every_page_and_matches_the_api(ofsc: Run, server: ServerHandle) -> None:
    every = records(ofsc("statistics", "activity-travel", "get", "--all", "-o", "json"))
    with httpx.Client(base_url=server.url, auth=("demo@sandbox", "demo-secret")) as api:
        direct = api.get("/rest/ofscStatistics/v1/activityTravelStats", params={"limit": 10000})
    assert every == direct.json()["items"]
    assert len(every) > 100  # more than one default page of the emulator
    capped = records(
        ofsc("statistics", "activity-travel", "get", "--all", "--limit", "7", "-o", "json")
    )
    assert capped == every[:7]


def test_get_filters(ofsc: Run) -> None:
    north = records(
        ofsc("statistics", "activity-travel", "get", "--all", "--region", "north", "-o", "json")
    )
    assert north and {r["region"] for r in north} == {"north"}
    root = records(
        ofsc(
            "statistics", "activity-duration", "get", "--resource-id", "ROOT", "--all", "-o", "json"
        )
    )
    tree = records(
        ofsc(
            "statistics",
            "activity-duration",
            "get",
            "--resource-id",
            "ROOT",
            "--include-children",
            "--all",
            "-o",
            "json",
        )
    )
    assert {r["resourceId"] for r in root} == {"ROOT"}
    assert len(tree) > len(root)
    company = records(
        ofsc("statistics", "airline-distance-travel", "get", "--level", "company", "-o", "json")
    )
    assert [r["level"] for r in company] == ["company"]
    missing = ofsc("statistics", "activity-duration", "get", "--resource-id", "NOBODY")
    assert missing.exit_code == 5


def test_update_sets_an_override_visible_on_read(ofsc: Run, tmp_path: Path) -> None:
    first = records(ofsc("statistics", "activity-travel", "get", "--limit", "1", "-o", "json"))[0]
    body = {"items": [{"fkey": first["fkey"], "tkey": first["tkey"], "override": 33}]}
    result = ofsc("statistics", "activity-travel", "update", "--file", write(tmp_path, body))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"status": "200", "updatedRecords": 1}  # flat, as live
    again = records(
        ofsc(
            "statistics",
            "activity-travel",
            "get",
            "--fkey",
            first["fkey"],
            "--tkey",
            first["tkey"],
            "-o",
            "json",
        )
    )
    assert again[0]["override"] == 33


def test_update_conflicting_overrides_is_a_409(ofsc: Run, tmp_path: Path) -> None:
    body = {
        "items": [
            {"level": "company", "data": [{"distance": 5, "override": 10}]},
            {"level": "company", "data": [{"distance": 5, "override": 11}]},
        ]
    }
    result = ofsc(
        "statistics", "airline-distance-travel", "update", "--file", write(tmp_path, body)
    )
    assert result.exit_code == 1
    assert "HTTP 409" in result.stderr


def test_update_bad_file_is_refused_before_sending(
    ofsc: Run, server: ServerHandle, tmp_path: Path
) -> None:
    writes = len(server.emulator.write_log)
    unknown = {"items": [{"resourceId": "ROOT", "akey": "INSTALL", "override": 5, "note": "x"}]}
    result = ofsc("statistics", "activity-duration", "update", "--file", write(tmp_path, unknown))
    assert result.exit_code == 2 and "unknown field 'note'" in result.stderr
    too_big = {"items": [{"resourceId": "ROOT", "akey": "INSTALL", "override": 5000}]}
    result = ofsc("statistics", "activity-duration", "update", "--file", write(tmp_path, too_big))
    assert result.exit_code == 2 and "above the maximum 1440" in result.stderr
    empty = {"items": []}
    result = ofsc("statistics", "activity-duration", "update", "--file", write(tmp_path, empty))
    assert result.exit_code == 2 and "at least 1" in result.stderr
    assert len(server.emulator.write_log) == writes
