"""Core resources/users/inventories/calendars: client declarations and command coverage.

* Coverage: every catalog operation under ``resources``, ``users``, ``inventories`` and
  ``calendars`` has one client declaration and a command line (from the coverage map) that
  resolves to a real command running it; every example of a declared command names that
  command and parses.
* Request shapes the API is particular about, checked at the transport (MockTransport).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from typer.core import TyperGroup

from ofsc_cli import OFSC, AsyncOFSC
from ofsc_cli.catalog import load_catalog
from ofsc_cli.cli.declare import Command, DeclaredCommand, declarations
from ofsc_cli.client import ENDPOINTS, RetryPolicy
from ofsc_cli.models.resources import BulkWorkZones, ResourceWorkSkill, User

PREFIXES = tuple(
    f"/rest/ofscCore/v1/{name}" for name in ("resources", "users", "inventories", "calendars")
)


def family_ops() -> list[str]:
    return sorted(
        op.key
        for op in load_catalog().operations
        if op.family == "core" and op.path.startswith(PREFIXES)
    )


def test_every_operation_has_one_client_declaration() -> None:
    import ofsc_cli.client  # noqa: F401  (imports every namespace)

    declared = [spec.key for spec in ENDPOINTS if spec.path.startswith(PREFIXES)]
    assert sorted(declared) == family_ops()  # each once, none missing, none invented
    assert len(family_ops()) == 75


def _resolve(root: Any, words: list[str]) -> Any:
    from typer import _click as click

    command = root
    for word in words:
        assert isinstance(command, TyperGroup), f"{word}: parent is not a group"
        found = command.get_command(click.Context(command), word)
        assert found is not None, f"no command '{word}' in {command.name}"
        command = found
    return command


def _core() -> Any:
    from ofsc_cli.cli.core import app

    return app


def _mine() -> list[tuple[str, Command]]:
    """The declared commands of this family, with their command lines."""
    tops = ("resources", "users", "inventories", "calendars")
    return [
        (line, cmd) for line, cmd in declarations(_core(), "ofsc core") if line.split()[2] in tops
    ]


def test_every_operation_has_a_command() -> None:
    from ofsc_cli.cli.coverage import command_lines

    lines = command_lines()
    for key in family_ops():
        line = lines.get(key)
        assert line is not None, f"{key}: no command"
        words = line.split()
        assert words[:2] == ["ofsc", "core"], key
        command = _resolve(_core(), words[2:])
        assert not isinstance(command, TyperGroup), f"{line} is a group, not a command"
        if isinstance(command, DeclaredCommand):  # the line names the declaration itself
            assert key in command.declaration.op_keys, line


def test_declared_operations_belong_to_the_family() -> None:
    declared = {key for _, cmd in _mine() for key in cmd.op_keys}
    assert declared and declared <= set(family_ops())


def test_examples_run_the_command_they_illustrate() -> None:
    """Each example names its own command (default verbs left out or not) and parses."""
    import shlex

    from typer import _click as click

    from ofsc_cli.cli._globals import VALUE_OPTIONS, hoist_global_options
    from ofsc_cli.cli.declare import DeclaredGroup

    for line, cmd in _mine():
        for example in cmd.examples:
            words = shlex.split(example.split(" > ", 1)[0])  # not the shell's redirection
            assert words[:2] == ["ofsc", "core"], example
            rest = hoist_global_options(words[2:])
            while rest and rest[0].startswith("-") and rest[0] not in ("--", "-F"):
                rest = rest[2:] if rest[0] in VALUE_OPTIONS else rest[1:]  # global options
            command = _core()
            while isinstance(command, TyperGroup):
                ctx = click.Context(command)
                found = command.get_command(ctx, rest[0]) if rest else None
                if found is not None:
                    command, rest = found, rest[1:]
                else:
                    assert isinstance(command, DeclaredGroup) and command.default_verb, example
                    command = command.commands[command.default_verb]
            assert isinstance(command, DeclaredCommand), example
            assert command.declaration is cmd or command.declaration == cmd, (line, example)
            command.make_context(command.name, rest)  # the arguments and options parse


# -- request shapes --------------------------------------------------------------------------


Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler) -> OFSC:
    return OFSC(
        "acme",
        "cli",
        "secret",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(max_attempts=1),
    )


class Seen:
    def __init__(self, body: Any = None, status: int = 200) -> None:
        self.requests: list[httpx.Request] = []
        self.body = body
        self.status = status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.body is None:
            return httpx.Response(self.status)
        return httpx.Response(self.status, json=self.body)


def test_list_query_uses_api_names_and_csv() -> None:
    seen = Seen({"items": [], "totalResults": 0})
    client(seen).core.list_resources(
        fields=["resourceId", "name"], expand=["workZones", "workSkills"], can_be_team_holder=True
    )
    params = seen.requests[0].url.params
    assert params["fields"] == "resourceId,name"
    assert params["expand"] == "workZones,workSkills"
    assert params["canBeTeamHolder"] == "true"
    assert "canParticipateInTeam" not in params


def test_work_skills_are_set_with_a_bare_array() -> None:
    seen = Seen({"items": []})
    skills: list[ResourceWorkSkill | dict[str, Any]] = [
        ResourceWorkSkill(workSkill="GAS", ratio=80),
        {"workSkill": "NET", "ratio": 50},
    ]
    client(seen).core.set_resource_work_skills("T 1", skills)
    request = seen.requests[0]
    assert request.url.raw_path == b"/rest/ofscCore/v1/resources/T%201/workSkills"
    assert json.loads(request.content) == [
        {"workSkill": "GAS", "ratio": 80},
        {"workSkill": "NET", "ratio": 50},
    ]


def test_bulk_body_keeps_unknown_fields_and_sends_no_defaults() -> None:
    seen = Seen({"resourcesUpdated": 1, "results": [{"resourceId": "T1", "error": {"title": "x"}}]})
    item = BulkWorkZones.model_validate(
        {"resourceId": "T1", "workZones": [{"workZone": "Z", "startDate": "2026-01-01"}], "x": 1}
    )
    answer = client(seen).core.bulk_update_work_zones([item])
    assert json.loads(seen.requests[0].content) == [
        {"resourceId": "T1", "workZones": [{"workZone": "Z", "startDate": "2026-01-01"}], "x": 1}
    ]
    assert answer.results[0].error is not None and answer.results[0].error.title == "x"


def test_file_property_upload_and_download_headers() -> None:
    seen = Seen(status=204)
    client(seen).core.set_user_file(
        "jo", "photo", b"\x89PNG", media_type="image/png", filename='a "b".png'
    )
    put = seen.requests[0]
    assert put.headers["content-type"] == "image/png"
    assert put.headers["content-disposition"] == 'attachment; filename="a b.png"'
    assert put.content == b"\x89PNG"

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["accept"] == "application/octet-stream"
        return httpx.Response(200, content=b"bytes", headers={"content-type": "image/png"})

    assert client(answer).core.get_inventory_file(5, "photo") == b"bytes"


def test_user_model_keeps_custom_properties() -> None:
    seen = Seen({"login": "jo", "name": "Jo", "resources": ["T1"], "user_badge_id": "B-1"})
    user = client(seen).core.get_user("jo")
    assert isinstance(user, User) and user.resources == ["T1"]
    assert user.to_dict()["user_badge_id"] == "B-1"


def test_plans_delete_and_route_actions_send_what_the_api_expects() -> None:
    seen = Seen(status=204)
    core = client(seen).core
    core.delete_resource_plan("T1", measure="points", day="2026-11-20")
    core.activate_route("T1", "2026-11-20", time="2026-11-20 08:00:00")
    core.deactivate_route("T1", "nonScheduled")
    assert seen.requests[0].url.params["measure"] == "points"
    assert seen.requests[0].url.params["date"] == "2026-11-20"
    assert json.loads(seen.requests[1].content) == {"time": "2026-11-20 08:00:00"}
    assert seen.requests[2].url.path.endswith("/routes/nonScheduled/custom-actions/deactivate")


@pytest.mark.parametrize("concurrency", [1, 3, 8])
async def test_async_paging_fetches_each_page_once_in_order(concurrency: int) -> None:
    total, in_flight, peak = 1234, [0], [0]
    import asyncio

    async def handler(request: httpx.Request) -> httpx.Response:
        in_flight[0] += 1
        peak[0] = max(peak[0], in_flight[0])
        await asyncio.sleep(0.001)
        in_flight[0] -= 1
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        items = [{"resourceId": f"R{i}"} for i in range(offset, min(offset + limit, total))]
        return httpx.Response(200, json={"items": items, "totalResults": total})

    async with AsyncOFSC(
        "acme", "cli", "secret", transport=httpx.MockTransport(handler)
    ) as aclient:
        ids = [
            r.resourceId async for r in aclient.core.list_resources.iter(concurrency=concurrency)
        ]
    assert ids == [f"R{i}" for i in range(total)]
    assert peak[0] <= concurrency


async def test_async_paging_fetches_ahead_only_a_window() -> None:
    requested: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        requested.append(offset)
        items = [{"login": f"u{i}"} for i in range(offset, offset + 100)]
        return httpx.Response(200, json={"items": items, "totalResults": 100_000})

    async with AsyncOFSC(
        "acme", "cli", "secret", transport=httpx.MockTransport(handler)
    ) as aclient:
        seen = 0
        async for _ in aclient.core.list_users.iter(concurrency=4):
            seen += 1
            if seen == 250:
                break
    assert len(requested) <= 3 + 4 + 1  # pages consumed + the window, not all 1 000 pages


@pytest.mark.parametrize("tty", [True, False])
def test_one_page_on_a_terminal_asks_for_a_screenful_where_the_api_takes_a_limit(
    tty: bool,
) -> None:
    """``users list`` asks for 50 items on a terminal (the API's 100 otherwise);
    ``last-known-positions``, whose operation has no ``limit``, is sent without one."""
    from typer.testing import CliRunner

    from ofsc_cli.cli._app import build_app
    from ofsc_cli.cli.context import AppContext

    seen = Seen({"items": [], "hasMore": False})

    def factory(obj: AppContext) -> OFSC:
        return client(seen)

    for args in (["core", "users", "list"], ["core", "resources", "last-known-positions"]):
        obj = AppContext(client_factory=factory, stdout_is_tty=tty, stderr_is_tty=False)
        result = CliRunner().invoke(build_app(), args, obj=obj)
        assert result.exit_code == 0, result.stderr
    users, positions = (r.url.params for r in seen.requests)
    assert users.get("limit") == ("50" if tty else None)
    assert "limit" not in positions
