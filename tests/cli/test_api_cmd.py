"""``ofsc api``: requests checked against the catalog, paging, raw output, errors.

Refused requests are checked at the server: its request counter must not move.
"""

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
from ofsc_cli.catalog import load_catalog
from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.api_cmd import (
    RequestPlan,
    _next_plan,
    check_body,
    complete_target,
    normalize_path,
    parse_fields,
)
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.errors import UsageError
from ofsc_cli.sandbox import Emulator, EmulatorConfig, ServerHandle, Store, serve

Run = Callable[..., Result]
AUTH = ("demo@sandbox", "demo-secret")


@pytest.fixture(scope="module")
def server(_seeded_store: Store) -> Iterator[ServerHandle]:
    with serve(Emulator(_seeded_store.clone(), EmulatorConfig(strict=STRICT))) as handle:
        yield handle


@pytest.fixture(scope="module")
def env(server: ServerHandle, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    return cli_env(server, tmp_path_factory.mktemp("cfg"))


@pytest.fixture(scope="module")
def ofsc(env: dict[str, str | None]) -> Run:
    def run(*args: str, input: str | bytes | None = None, obj: Any = None) -> Result:
        return CliRunner().invoke(build_app(), ["api", *args], env=env, input=input, obj=obj)

    return run


@pytest.fixture(scope="module")
def direct(server: ServerHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, auth=AUTH) as client:
        yield client


def mocked(handler: Callable[[httpx.Request], httpx.Response]) -> AppContext:
    """An application context whose client answers from ``handler``."""

    def factory(_: AppContext) -> OFSC:
        return OFSC("acme", "id", "secret", transport=httpx.MockTransport(handler))

    return AppContext(client_factory=factory)


# ----------------------------------------------------------------------------- parsing


def test_fields_are_typed_nested_and_read_from_files(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("from a file", encoding="utf-8")
    fields = parse_fields(
        ["name=007", "tags[]=a", "tags[]=b", "where[city]=Oslo"],
        [
            "count=7",
            "ratio=0.5",
            "on=true",
            "off=false",
            "gone=null",
            f"note=@{note}",
            "items[][resourceId]=R1",
            "items[][override]=5",
            "items[][resourceId]=R2",
        ],
    )
    assert fields["name"] == "007"  # -f keeps strings
    assert fields["tags"] == ["a", "b"]
    assert fields["where"] == {"city": "Oslo"}
    assert (fields["count"], fields["ratio"], fields["on"], fields["off"]) == (7, 0.5, True, False)
    assert fields["gone"] is None
    assert fields["note"].text() == "from a file"
    assert fields["items"] == [{"resourceId": "R1", "override": 5}, {"resourceId": "R2"}]
    assert parse_fields([], ["x=@-"], read_stdin=lambda: b"in")["x"].data == b"in"


@pytest.mark.parametrize("bad", ["novalue", "=x", "a]b=1", "a[=1"])
def test_malformed_fields_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_fields([bad], [])


def test_paths_are_relative_to_rest() -> None:
    assert normalize_path("/ofscCore/v1/users") == ("/rest/ofscCore/v1/users", {})
    assert normalize_path("ofscCore/v1/users/") == ("/rest/ofscCore/v1/users", {})
    assert normalize_path("/rest/ofscCore/v1/users?limit=2")[0] == "/rest/ofscCore/v1/users"
    assert normalize_path("/ofscCore/v1/users?limit=2&x=a&x=b")[1] == {
        "limit": ["2"],
        "x": ["a", "b"],
    }
    with pytest.raises(UsageError):
        normalize_path("https://elsewhere.example/rest/ofscCore/v1/users")


def test_body_check_follows_refs_and_reports_each_problem() -> None:
    catalog = load_catalog()
    problems = check_body(
        catalog,
        "StartChatRequest",
        {"recipients": [], "text": 5, "attachment": {"type": "video"}},
    )
    assert "body.recipients: needs at least 1 item(s)" in problems
    assert "body.text: expected string, got integer" in problems
    assert any(p.startswith('body.attachment.type: "video" is not one of') for p in problems)
    assert check_body(catalog, "StartChatRequest", {"text": "hi", "custom": 1}) == []
    closed = check_body(catalog, "StartChatRequest", {"text": "hi", "custom": 1}, closed=True)
    assert closed == [
        "body: unknown field 'custom' (valid: attachment, helpdesk, recipients, text)"
    ]
    assert check_body(
        catalog, {"additionalProperties": False, "properties": {"a": {}}}, {"b": 1}
    ) == ["body: unknown field 'b' (valid: a)"]


# ----------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["GET", "/ofscMetadata/v1/workZonez"], "did you mean: /ofscMetadata/v1/workZones"),
        (["DELETE", "/ofscMetadata/v1/workZones"], "allowed: GET, PATCH, POST, PUT"),
        (
            ["/ofscMetadata/v1/workZones", "-X", "GET", "-f", "limt=2"],
            "unknown query parameter 'limt' (valid: limit, offset)",
        ),
        (["GET", "/ofscMetadata/v1/workZones?limit=many"], "'many' is not an integer"),
        (["GET", "/ofscCapacity/v1/capacity"], "missing required query parameter 'dates'"),
        (
            [
                "GET",
                "/ofscCapacity/v1/capacity",
                "-f",
                "dates=2026-12-01",
                "-f",
                "aggregateResults=maybe",
            ],
            "not true or false",
        ),
        (["GET", "/ofscCore/v1/activities/abc"], "'abc' is not an integer"),
        (
            ["POST", "/ofscCollaboration/v1/chats", "-F", "recipients[]=tech0005", "-F", "text=5"],
            "body.text: expected string, got integer",
        ),
        (
            ["PATCH", "/ofscStatistics/v1/activityTravelStats", "-F", "items[][fkey]=a"],
            "missing required field 'tkey'",
        ),
        (
            ["POST", "/ofscCollaboration/v1/chats/7/leave", "-f", "why=bored"],
            "takes no request body",
        ),
        (["PATCH", "/ofscCapacity/v2/quota"], "a request body is required"),
        (["POST", "/oauthTokenService/v2/token", "-f", "grant=x"], "unknown form field 'grant'"),
    ],
)
def test_invalid_requests_are_refused_before_sending(
    ofsc: Run, server: ServerHandle, args: list[str], expected: str
) -> None:
    before = server.emulator.stats["requests"]
    result = ofsc(*args)
    assert result.exit_code == 2, result.stderr
    assert expected in result.stderr
    assert "nothing sent" in result.stderr
    assert result.stdout == ""
    assert server.emulator.stats["requests"] == before


def test_non_json_input_for_a_json_endpoint_is_refused(
    ofsc: Run, server: ServerHandle, tmp_path: Path
) -> None:
    body = tmp_path / "patch.txt"
    body.write_text("status: inactive", encoding="utf-8")
    before = server.emulator.stats["requests"]
    result = ofsc("PATCH", "/ofscCore/v1/users/admin", "--input", str(body))
    assert result.exit_code == 2 and "--input is not JSON" in result.stderr
    assert server.emulator.stats["requests"] == before


def test_no_validate_sends_and_maps_the_server_error(ofsc: Run, server: ServerHandle) -> None:
    before = server.emulator.stats["requests"]
    result = ofsc("GET", "/ofscMetadata/v1/workZonez", "--no-validate")
    assert server.emulator.stats["requests"] == before + 1
    assert result.exit_code == 5
    assert json.loads(result.stdout)["status"] == "404"  # the error body still goes to stdout
    assert result.stderr.startswith("ofsc: HTTP 404 GET /rest/ofscMetadata/v1/workZonez")
    assert len(result.stderr.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- sending


def test_get_prints_the_response_document(ofsc: Run, direct: httpx.Client) -> None:
    result = ofsc("GET", "/ofscMetadata/v1/workZones", "-f", "limit=3")
    assert result.exit_code == 0, result.stderr
    assert (
        json.loads(result.stdout)
        == direct.get("/rest/ofscMetadata/v1/workZones", params={"limit": 3}).json()
    )
    rows = ofsc("/rest/ofscMetadata/v1/workZones?limit=3", "-o", "ndjson")
    assert len(rows.stdout.strip().splitlines()) == 3  # -o ndjson lists the items


def test_fields_become_a_json_body_and_post_is_the_default(ofsc: Run, server: ServerHandle) -> None:
    result = ofsc("/ofscCollaboration/v1/chats", "-F", "recipients[]=tech0005", "-f", "text=hi")
    assert result.exit_code == 0, result.stderr
    chat = json.loads(result.stdout)
    assert ("POST", "/rest/ofscCollaboration/v1/chats") in server.emulator.write_log
    messages = ofsc(f"/ofscCollaboration/v1/chats/{chat['chatId']}/messages", "-o", "ndjson")
    assert json.loads(messages.stdout.splitlines()[0])["text"] == "hi"


def test_input_from_stdin_and_form_fields(ofsc: Run) -> None:
    body = json.dumps(
        {"items": [{"date": "2026-11-20", "areas": [{"label": "NORTH_URBAN", "quota": 900}]}]}
    )
    result = ofsc("PATCH", "/ofscCapacity/v2/quota", "--input", "-", input=body)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["errorsCount"] == 0
    token = ofsc("POST", "/oauthTokenService/v2/token", "-f", "grant_type=client_credentials")
    assert token.exit_code == 0, token.stderr
    assert json.loads(token.stdout)["token_type"] == "bearer"


def test_paginate_offset_collections(ofsc: Run, direct: httpx.Client) -> None:
    everyone = direct.get("/rest/ofscCore/v1/users", params={"limit": 100}).json()
    result = ofsc("GET", "/ofscCore/v1/users", "--paginate", "-f", "limit=3", "-o", "ndjson")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == everyone["items"]
    assert len(lines) == everyone["totalResults"] > 3
    merged = ofsc("GET", "/ofscCollaboration/v1/addressBook", "--paginate", "-o", "json")
    assert len(json.loads(merged.stdout)) > 10  # beyond the first page of ten


def test_paginate_follows_statistics_next_links(ofsc: Run, direct: httpx.Client) -> None:
    everything = direct.get(
        "/rest/ofscStatistics/v1/activityTravelStats", params={"limit": 10000}
    ).json()["items"]
    result = ofsc(
        "GET",
        "/ofscStatistics/v1/activityTravelStats",
        "--paginate",
        "-f",
        "limit=25",
        "-o",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == everything


def test_paginate_follows_the_events_cursor() -> None:
    pages = {None: ("c1", [1, 2]), "c1": ("c2", [3]), "c2": ("c3", [])}
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("page")
        seen.append(cursor)
        following, ids = pages[cursor]
        return httpx.Response(
            200, json={"found": bool(ids), "nextPage": following, "items": [{"n": i} for i in ids]}
        )

    result = CliRunner().invoke(
        build_app(),
        [
            "api",
            "GET",
            "/ofscCore/v1/events",
            "-f",
            "subscriptionId=S1",
            "--paginate",
            "-o",
            "json",
        ],
        obj=mocked(handler),
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert seen == [None, "c1", "c2"]


def test_next_plan_for_each_paging_scheme() -> None:
    catalog = load_catalog()
    users = catalog.by_key["GET /rest/ofscCore/v1/users"]
    plan = RequestPlan("GET", "/rest/ofscCore/v1/users", query={"limit": "2"})
    assert _next_plan(plan, users, {"items": [1, 2], "totalResults": 5}, 2).query == {
        "limit": "2",
        "offset": "2",
    }
    assert _next_plan(plan, users, {"items": [1, 2], "totalResults": 2}, 2) is None
    assert _next_plan(plan, users, {"items": [], "hasMore": True}, 0) is None
    stats = catalog.by_key["GET /rest/ofscStatistics/v1/activityTravelStats"]
    link = {"links": [{"rel": "next", "href": "https://evil.example/rest/x/y?offset=9"}]}
    following = _next_plan(plan, stats, link, 1)
    assert following is not None
    assert (following.path, following.query) == ("/rest/x/y", {"offset": "9"})  # same host
    flat = catalog.by_key["GET /rest/ofscMetadata/v1/capacityAreas"]
    assert _next_plan(plan, flat, {"items": [1], "hasMore": True}, 1) is None


def test_raw_writes_the_body_bytes_unchanged(ofsc: Run, direct: httpx.Client) -> None:
    result = ofsc("GET", "/ofscMetadata/v1/workZones", "-f", "limit=2", "--raw")
    assert result.exit_code == 0
    assert (
        result.stdout_bytes
        == direct.get("/rest/ofscMetadata/v1/workZones", params={"limit": 2}).content
    )
    blob = bytes(range(256)) * 4

    def binary(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=blob, headers={"Content-Type": "image/png"})

    image = CliRunner().invoke(
        build_app(),
        ["api", "GET", "/ofscCore/v1/activities/4200001/photo", "--raw"],
        obj=mocked(binary),
    )
    assert image.exit_code == 0, image.stderr
    assert image.stdout_bytes == blob


def test_raw_error_body_and_exit_code(ofsc: Run) -> None:
    result = ofsc("GET", "/ofscMetadata/v1/workZones/NOPE", "--raw")
    assert result.exit_code == 5
    assert json.loads(result.stdout_bytes)["status"] == "404"
    assert "ofsc: HTTP 404" in result.stderr


def test_include_shows_status_and_headers_on_stderr(ofsc: Run) -> None:
    result = ofsc("GET", "/ofscMetadata/v1/workZones", "-f", "limit=1", "--include")
    assert result.exit_code == 0
    assert result.stderr.startswith("HTTP/1.1 200 OK\n")
    assert "content-type: application/json" in result.stderr.lower()
    assert "HTTP/1.1" not in result.stdout
    json.loads(result.stdout)


def test_headers_are_sent() -> None:
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200, json={"items": []})

    result = CliRunner().invoke(
        build_app(),
        ["api", "GET", "/ofscCore/v1/users", "-H", "X-Trace: abc", "-H", "Accept-Language: fr"],
        obj=mocked(handler),
    )
    assert result.exit_code == 0, result.stderr
    assert received[0].headers["X-Trace"] == "abc"
    assert received[0].headers["Accept-Language"] == "fr"
    bad = CliRunner().invoke(
        build_app(), ["api", "GET", "/ofscCore/v1/users", "-H", "oops"], obj=mocked(handler)
    )
    assert bad.exit_code == 2 and len(received) == 1


def test_dry_run_and_flag_conflicts_send_nothing(ofsc: Run, server: ServerHandle) -> None:
    before = server.emulator.stats["requests"]
    dry = ofsc(
        "POST", "/ofscCollaboration/v1/chats", "-F", "recipients[]=x", "-f", "text=hi", "--dry-run"
    )
    assert dry.exit_code == 0
    assert dry.stdout.startswith("POST ") and '"recipients"' in dry.stdout
    assert ofsc("GET", "/ofscCore/v1/users", "--paginate", "--raw").exit_code == 2
    assert ofsc("POST", "/ofscCollaboration/v1/chats", "-f", "text=x", "--paginate").exit_code == 2
    assert ofsc("FETCH", "/ofscCore/v1/users").exit_code == 2
    assert server.emulator.stats["requests"] == before


# ----------------------------------------------------------------------------- catalog, completion


def test_completion_offers_methods_and_catalog_paths() -> None:
    assert complete_target("PA") == ["PATCH"]
    capacity = complete_target("/ofscCapacity/v2")
    assert capacity == ["/ofscCapacity/v2/quota"]
    assert "/rest/ofscStatistics/v1/activityTravelStats" in complete_target("/rest/ofscStat")
    assert complete_target("/nothing") == []


def test_api_catalog_lists_operations(ofsc: Run) -> None:
    result = ofsc("catalog", "-o", "json")
    ops = json.loads(result.stdout)
    assert len(ops) == 243
    assert {"method", "path", "family", "paging"} <= set(ops[0])
    capacity = json.loads(ofsc("catalog", "--family", "capacity", "-o", "json").stdout)
    assert len(capacity) == 12 and {o["family"] for o in capacity} == {"capacity"}
    bad = ofsc("catalog", "--family", "nope")
    assert bad.exit_code == 2 and "parts-catalog" in bad.stderr
