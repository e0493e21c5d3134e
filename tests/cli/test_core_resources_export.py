"""``--all`` exports of resources and users: every item exactly once, in order, under faults;
and a page that cannot be fetched ends the export with a non-zero exit that says how far it
got."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from served_cli import Cli, seed_resources
from typer.testing import CliRunner

from ofsc_cli import AsyncOFSC
from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.context import AppContext
from ofsc_cli.sandbox import Faults, ServerHandle

LIST_RESOURCES = "GET /rest/ofscCore/v1/resources"


def ids_of(ndjson: str) -> list[str]:
    return [json.loads(line)["resourceId"] for line in ndjson.splitlines()]


@pytest.mark.parametrize("concurrency", ["1", "8"])
def test_export_under_5xx_and_429_bursts_delivers_each_item_once_in_order(
    make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path, concurrency: str
) -> None:
    faults = Faults(
        error_rate=0.1, rate_limit_every=12, rate_limit_burst=3, retry_after=0.02, seed=7
    )
    server = make_sandbox_server(faults=faults)
    seed_resources(server, 2_500)
    expected = server.emulator.store.keys("resources")
    assert len(expected) == 2_548  # 26 pages of 100
    cli = Cli(server, tmp_path, OFSC_MAX_RETRIES="10", OFSC_MAX_RETRY_DELAY="0.05")
    result = cli.ok(
        "core", "resources", "list", "--all", "--concurrency", concurrency, "-o", "ndjson"
    )
    assert ids_of(result.stdout) == expected  # each once, none missing, stored order
    served = server.emulator.request_counts[LIST_RESOURCES]
    assert served > 26  # faults were injected and retried


def test_users_export_pages_at_the_maximum(sandbox_server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(sandbox_server, tmp_path)
    before = sandbox_server.emulator.request_counts["GET /rest/ofscCore/v1/users"]
    logins = [u["login"] for u in cli.json("core", "users", "list", "--all")]
    assert logins == sandbox_server.emulator.store.keys("users")
    assert sandbox_server.emulator.request_counts["GET /rest/ofscCore/v1/users"] == before + 1


def test_descendants_export_is_concurrent_and_complete(
    make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    server = make_sandbox_server()
    added = seed_resources(server, 450, parent="BK_EAST_A")
    cli = Cli(server, tmp_path)
    below = ids_of(
        cli.ok("core", "resources", "descendants", "BK_EAST", "--all", "-o", "ndjson").stdout
    )
    assert len(below) == len(set(below)) and set(added) <= set(below)
    tree = cli.json("core", "resources", "tree", "BK_EAST")
    team = next(c for c in tree["children"] if c["resourceId"] == "BK_EAST_A")
    assert [c["resourceId"] for c in team["children"]][-450:] == added


def test_a_page_that_cannot_be_fetched_fails_the_export_and_says_how_far_it_got() -> None:
    total = 1_000

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        if offset == 300:
            return httpx.Response(404, json={"type": "about:blank", "title": "Not Found"})
        items = [{"resourceId": f"R{i:04d}"} for i in range(offset, min(offset + 100, total))]
        return httpx.Response(200, json={"items": items, "totalResults": total})

    def factory(obj: AppContext) -> AsyncOFSC:
        return AsyncOFSC("acme", "cli", "secret", transport=httpx.MockTransport(handler))

    obj = AppContext(async_client_factory=factory)
    result = CliRunner().invoke(
        build_app(), ["core", "resources", "list", "--all", "-o", "ndjson"], obj=obj
    )
    assert result.exit_code == 5
    assert ids_of(result.stdout) == [f"R{i:04d}" for i in range(300)]
    assert "export incomplete: 300 resources written" in result.stderr
