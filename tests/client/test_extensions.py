"""Custom validators and response processors (ofsc_cli.client.extensions), over real HTTP
against a served emulator: both clients, single results, pages, ``.iter()``, the CLI."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from served_cli import async_client, cli_env, make_cli, sync_client

from ofsc_cli import OFSC, OFSValidationError
from ofsc_cli.client import (
    OFSResponseProcessorError,
    register_response_processor,
    register_validator,
)
from ofsc_cli.client import extensions as ext
from ofsc_cli.client.middleware import response_of
from ofsc_cli.models import OFSModel, Page
from ofsc_cli.models.activities import Activity, ActivityCreate
from ofsc_cli.models.metadata import WorkZone
from ofsc_cli.sandbox import ServerHandle

CREATE = "POST /rest/ofscCore/v1/activities"
UPDATE = "PATCH /rest/ofscCore/v1/activities/{activityId}"
ZONES = "GET /rest/ofscMetadata/v1/workZones"
ZONE = "GET /rest/ofscMetadata/v1/workZones/{label}"
NEW = {"activityType": "REPAIR", "resourceId": "TECH-0001", "date": "2026-11-25"}
DAY = {"resources": ["ROOT"], "date_from": "2026-11-16", "date_to": "2026-11-16"}

Register = Callable[..., Callable[[], None]]


@pytest.fixture(autouse=True)
def _clean_registries() -> Iterator[None]:
    """Every global registration of a test is gone after it, whatever happened."""
    before = (ext.VALIDATORS.hooks, ext.PROCESSORS.hooks)
    yield
    ext.VALIDATORS.hooks, ext.PROCESSORS.hooks = before


@pytest.fixture
def server(make_sandbox_server: Callable[..., ServerHandle]) -> ServerHandle:
    """A private served emulator: its request counts and store belong to this test."""
    return make_sandbox_server()


def require_region(operation: str, body: dict[str, Any]) -> None:
    if not body.get("XA_REGION"):
        raise ValueError("XA_REGION is required")


class Seen:
    """A validator or processor that records what it was given."""

    def __init__(self, answer: Any = None) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.answer = answer

    def __call__(self, operation: str, value: Any) -> Any:
        self.calls.append((operation, value))
        return self.answer


def sent(server: ServerHandle) -> int:
    return server.emulator.request_counts[CREATE]


# -- validators ------------------------------------------------------------------------


def test_validator_by_key_refuses_before_anything_is_sent(server: ServerHandle) -> None:
    unregister = register_validator("core.create_activity", require_region)
    with sync_client(server) as client:
        with pytest.raises(OFSValidationError) as caught:
            client.core.create_activity(dict(NEW))
        message = str(caught.value)
        assert message.startswith("core.create_activity: refused by validator")
        assert "require_region: XA_REGION is required (nothing sent)" in message
        assert isinstance(caught.value.__cause__, ValueError)
        assert sent(server) == 0 and server.emulator.write_log == []
        created = client.core.create_activity({**NEW, "XA_REGION": "north"})
        assert created.activityId and sent(server) == 1
        unregister()
        unregister()  # a second call does nothing
        assert client.core.create_activity(dict(NEW)).activityId  # no longer checked
    assert sent(server) == 2


def test_validator_sees_the_json_as_sent_and_cannot_edit_it(server: ServerHandle) -> None:
    def meddle(operation: str, body: dict[str, Any]) -> None:
        seen.append((operation, body))
        body["customerName"] = "changed by the validator"

    seen: list[tuple[str, Any]] = []
    register_validator(CREATE, meddle)  # the "METHOD /path" form of the key
    with sync_client(server) as client:
        created = client.core.create_activity(ActivityCreate(**NEW))
    (operation, body), *_ = seen
    assert operation == CREATE and type(body) is dict and body["resourceId"] == "TECH-0001"
    assert created.customerName != "changed by the validator"


def test_validator_by_model_reaches_the_operations_declared_with_it(server: ServerHandle) -> None:
    activities, zones = Seen(), Seen()
    register_validator(Activity, activities)
    register_validator(WorkZone, zones)
    with sync_client(server) as client:
        created = client.core.create_activity(dict(NEW))  # ActivityCreate | Activity | dict
        client.core.update_activity(created.activityId, {"customerName": "Ada"})
        zone = client.metadata.list_work_zones(limit=1).items[0]
        client.metadata.replace_work_zone(zone.workZoneLabel, zone.to_dict())
        client.core.update_resource("TECH-0001", {"name": "Renamed"})  # a Resource: neither
    assert [op for op, _ in activities.calls] == [CREATE, UPDATE]
    assert activities.calls[1][1] == {"customerName": "Ada"}
    assert [op for op, _ in zones.calls] == ["PUT /rest/ofscMetadata/v1/workZones/{label}"]


def test_a_model_refusal_names_the_operation_and_the_problem(server: ServerHandle) -> None:
    def must_parse(operation: str, body: dict[str, Any]) -> None:
        ActivityCreate.model_validate(body)  # pydantic's ValidationError is a ValueError

    def buggy(operation: str, body: dict[str, Any]) -> None:
        assert body["XA_MISSING"]  # a KeyError, as a careless validator raises

    with (
        sync_client(server, validators={OFSModel: must_parse}) as client,
        pytest.raises(OFSValidationError, match=r"must_parse: activityType: Field required"),
    ):
        client.core.create_activity({"resourceId": "TECH-0001"})
    with (
        sync_client(server, validators=[(CREATE, buggy)]) as client,
        pytest.raises(OFSValidationError, match=r"buggy: KeyError: 'XA_MISSING'"),
    ):
        client.core.create_activity(dict(NEW))
    assert sent(server) == 0


def test_per_client_validators_run_after_the_registered_ones(server: ServerHandle) -> None:
    order: list[str] = []
    register_validator("core.create_activity", lambda op, body: order.append("global"))
    own = {CREATE: [lambda op, body: order.append("first"), require_region]}
    with sync_client(server, validators=own) as checked, sync_client(server) as plain:
        with pytest.raises(OFSValidationError, match="XA_REGION"):
            checked.core.create_activity(dict(NEW))
        assert order == ["global", "first"]
        assert plain.core.create_activity(dict(NEW)).activityId  # only the global one ran
    assert order == ["global", "first", "global"] and sent(server) == 1


def test_raw_requests_are_not_checked(server: ServerHandle) -> None:
    register_validator(CREATE, require_region)
    with sync_client(server) as client:
        response = client.request("POST", "/rest/ofscCore/v1/activities", json=dict(NEW))
    assert response.status_code == 201 and sent(server) == 1


def test_the_cli_refuses_on_one_line_with_exit_2(server: ServerHandle, tmp_path: Path) -> None:
    register_validator(CREATE, require_region)
    cli = make_cli(server, tmp_path)
    body = cli.write("new.json", NEW)
    for extra in ((), ("--dry-run",)):
        result = cli.fails(2, "core", "activities", "create", "--file", body, *extra)
        assert "XA_REGION is required" in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
    assert sent(server) == 0


def test_from_profile_passes_them_through(
    server: ServerHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in cli_env(server, tmp_path).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    names = Seen()
    with OFSC.from_profile(
        validators={"core.create_activity": require_region},
        response_processors=[("Get work zones", names)],  # the catalog's operation id
    ) as client:
        with pytest.raises(OFSValidationError, match="XA_REGION"):
            client.core.create_activity(dict(NEW))
        client.metadata.list_work_zones(limit=2)
    assert sent(server) == 0 and [op for op, _ in names.calls] == [ZONES]


# -- response processors ------------------------------------------------------------------


def add_hours(operation: str, activity: Activity) -> None:
    activity.durationHours = (activity.duration or 0) / 60


def test_a_processor_on_single_results_keeps_the_link_to_the_answer(
    sandbox_server: ServerHandle,
) -> None:
    copies: list[Activity] = []

    def copy(operation: str, activity: Activity) -> Activity:
        new = activity.model_copy(update={"customerName": "processed"})
        copies.append(new)
        return new

    with sync_client(sandbox_server, response_processors={Activity: [add_hours, copy]}) as client:
        first = client.core.list_activities(**DAY, limit=1).items[0]
        got = client.core.get_activity(first.activityId)
        assert got is copies[-1] and got.customerName == "processed"
        assert got.durationHours == (got.duration or 0) / 60
        assert got.to_dict()["durationHours"] == got.durationHours  # an extra field, serialised
        assert response_of(got) is client.last_response is not None


def test_processors_reach_page_items_and_iter(sandbox_server: ServerHandle) -> None:
    def upper(operation: str, zone: WorkZone) -> WorkZone:
        return zone.model_copy(update={"workZoneName": (zone.workZoneName or "").upper()})

    pages = Seen()
    register_response_processor(WorkZone, upper)
    register_response_processor("metadata.list_work_zones", pages)
    with sync_client(sandbox_server) as client:
        page = client.metadata.list_work_zones(limit=3)
        assert page.items and all(z.workZoneName == z.workZoneName.upper() for z in page.items)
        assert all(response_of(z) is page.response is not None for z in page.items)
        assert pages.calls == [(ZONES, page)]  # a key processor gets the whole page
        names = [z.workZoneName for z in client.metadata.list_work_zones.iter(limit=2)]
        assert len(names) > 2 and all(n == n.upper() for n in names)
        # .raw() and raw requests pass answers on as received.
        count = len(pages.calls)
        raw = client.metadata.list_work_zones.raw()(limit=3)
        assert raw.items[0]["workZoneName"] != raw.items[0]["workZoneName"].upper()
        client.request("GET", "/rest/ofscMetadata/v1/workZones")
        assert len(pages.calls) == count


def test_a_key_processor_may_return_a_new_page(sandbox_server: ServerHandle) -> None:
    def first_only(operation: str, page: Page[WorkZone]) -> Page[WorkZone]:
        return page.model_copy(update={"items": page.items[:1]})

    with sync_client(sandbox_server, response_processors=[(ZONES, first_only)]) as c:
        page = c.metadata.list_work_zones(limit=3)
        assert len(page.items) == 1 and page.response is c.last_response


def test_processors_on_the_async_client(sandbox_server: ServerHandle) -> None:
    seen = Seen()
    register_response_processor(Activity, seen)

    async def run() -> None:
        processors = {Activity: add_hours}
        async with async_client(sandbox_server, response_processors=processors) as client:
            page = await client.core.list_activities(**DAY, limit=2)
            assert all(hasattr(a, "durationHours") for a in page.items)
            got = await client.core.get_activity(page.items[0].activityId)
            assert got.durationHours is not None and response_of(got) is not None
            items = [a async for a in client.core.list_activities.iter(**DAY, concurrency=2)]
            assert len(items) > 2 and all(hasattr(a, "durationHours") for a in items)
            assert len(seen.calls) == 2 + 1 + len(items)

    asyncio.run(run())


def test_a_failing_processor_raises_with_the_answer_on_the_error(
    sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    def broken(operation: str, zone: WorkZone) -> None:
        raise RuntimeError("no region table loaded")

    with sync_client(
        sandbox_server, response_processors={"metadata.get_work_zone": broken}
    ) as client:
        label = client.metadata.list_work_zones(limit=1).items[0].workZoneLabel
        with pytest.raises(OFSResponseProcessorError) as caught:
            client.metadata.get_work_zone(label)
    error = caught.value
    assert str(error).startswith("metadata.get_work_zone: response processor")
    assert "broken failed: RuntimeError: no region table loaded" in str(error)
    assert error.status_code == 200 and error.method == "GET" and error.operation == ZONE
    assert isinstance(error.result, WorkZone) and error.result.workZoneLabel == label
    assert response_of(error.result) is not None and isinstance(error.__cause__, RuntimeError)
    register_response_processor("get /rest/ofscMetadata/v1/workZones/{label}", broken)
    result = make_cli(sandbox_server, tmp_path).fails(1, "metadata", "work-zones", "get", label)
    assert "no region table loaded" in result.stderr and "Traceback" not in result.stderr


# -- registration ---------------------------------------------------------------------------


def test_bad_registrations_are_refused() -> None:
    before = (ext.VALIDATORS.hooks, ext.PROCESSORS.hooks)
    with pytest.raises(ValueError, match=r"'core.create_activty'.*'core.create_activity'"):
        register_validator("core.create_activty", require_region)
    with pytest.raises(ValueError, match=r"no operation 'Get work zonez'.*'Get work zones'"):
        register_validator("Get work zonez", require_region)
    with pytest.raises(ValueError, match=r"'createActivity' \(did you mean 'core.create_activity'"):
        register_validator("createActivity", require_region)
    with pytest.raises(TypeError, match="model class or an operation key"):
        register_validator(dict, require_region)
    with pytest.raises(TypeError, match="not callable"):
        register_response_processor(Activity, "add_hours")  # type: ignore[arg-type]

    async def late(operation: str, value: Any) -> None: ...

    with pytest.raises(TypeError, match="not async"):
        register_response_processor(Activity, late)
    with pytest.raises(TypeError, match="pairs"):
        ext.client_hooks([require_region], "validators")
    with pytest.raises(TypeError, match="a mapping or a list"):
        ext.client_hooks(require_region, "validators")
    assert (ext.VALIDATORS.hooks, ext.PROCESSORS.hooks) == before  # nothing half-registered


def test_registration_is_thread_safe() -> None:
    start = len(ext.VALIDATORS.hooks)
    barrier = threading.Barrier(8)
    removers: list[Callable[[], None]] = []
    lock = threading.Lock()

    def work() -> None:
        barrier.wait()
        mine = [register_validator(CREATE, require_region) for _ in range(200)]
        with lock:
            removers.extend(mine[100:])
        for unregister in mine[:100]:
            unregister()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ext.VALIDATORS.hooks) == start + 8 * 100
    for unregister in removers:
        unregister()
    assert len(ext.VALIDATORS.hooks) == start


# -- the module's examples ------------------------------------------------------------------


def _examples() -> list[str]:
    doc = ext.__doc__ or ""
    blocks = re.findall(r"::\n\n((?:    .*\n|\n)+)", doc)
    code = [re.sub(r"^    ", "", b, flags=re.M) for b in blocks if "import" in b]
    assert len(code) == 2
    return code


def test_the_documented_examples_run(server: ServerHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    def from_profile(cls: type[OFSC], profile: str | None = None, **kw: Any) -> OFSC:
        assert profile == "sandbox"
        return sync_client(server, **kw)

    monkeypatch.setattr(OFSC, "from_profile", classmethod(from_profile))
    outputs = []
    for code in _examples():
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<extensions example>", "exec"), {"__name__": "example"})
        outputs.append(out.getvalue())
    assert "core.create_activity: refused by validator example.require_region" in outputs[0]
    lines = outputs[1].splitlines()
    assert len(lines) == 5 and all(re.match(r".+ \(.+\) ", line) for line in lines)
    emails = [line.rsplit(" ", 1)[1] for line in lines]
    assert all(email == "None" or email == email.lower() for email in emails)
    assert sent(server) == 0 and ext.VALIDATORS.hooks == ()
