"""pyOFSC 2.x scripts on the compat layer: constructors, response types, errors, warnings,
generators and the async client, against the emulator over real HTTP (and a recording
transport where the request itself is the point)."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from served_cli import TEST_TODAY, sync_client

from ofsc_cli.compat import (
    FILE_RESPONSE,
    FULL_RESPONSE,
    OBJ_RESPONSE,
    OFSC,
    TEXT_RESPONSE,
    OFSAPIException,
    OFSCApiError,
    OFSCAuthenticationError,
    OFSCNotFoundError,
    OFSCValidationError,
    _delegate,
)
from ofsc_cli.compat.async_client import AsyncOFSC, HTTPClientConfig
from ofsc_cli.compat.models import (
    ActivityTypeGroupListResponse,
    Resource,
    Workzone,
    WorkzoneListResponse,
)
from ofsc_cli.errors import OFSAPIError, OFSError, OFSTimeoutError
from ofsc_cli.models.metadata import WorkZone
from ofsc_cli.sandbox import ServerHandle

CREDS = {"clientID": "demo", "secret": "demo-secret", "companyName": "sandbox"}


@pytest.fixture(autouse=True)
def _fresh_warnings() -> Iterator[None]:
    """Each test sees the first-call warnings anew."""
    _delegate._WARNED.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


@pytest.fixture
def inst(sandbox_server: ServerHandle) -> Iterator[OFSC]:
    with OFSC(**CREDS, baseUrl=sandbox_server.url, root="ROOT") as client:
        yield client


class Recorder:
    """A transport that records requests and answers ``{}`` (or ``answer``)."""

    def __init__(self, status: int = 200, answer: Any = None) -> None:
        self.requests: list[httpx.Request] = []
        self.status = status
        self.answer = {} if answer is None else answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.answer)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def recorded(recorder: Recorder, **kwargs: Any) -> OFSC:
    return OFSC(**{**CREDS, **kwargs}, transport=httpx.MockTransport(recorder), max_retries=0)


# --------------------------------------------------------------------------- constructors
def test_keyword_and_positional_forms_reach_the_same_instance(sandbox_server: ServerHandle) -> None:
    by_name = OFSC(
        clientID="demo", secret="demo-secret", companyName="sandbox", baseUrl=sandbox_server.url
    )
    by_position = OFSC("demo", "sandbox", "demo-secret", "ROOT", sandbox_server.url)
    for inst in (by_name, by_position):
        with inst:
            assert inst.metadata.get_workzone("MAPLE_RIDGE").workZoneLabel == "MAPLE_RIDGE"
    assert by_position.config.root == "ROOT"
    assert str(by_name) == f"baseURL={sandbox_server.url}"


def test_company_name_gives_the_instance_url_and_basic_user() -> None:
    recorder = Recorder(answer={"items": []})
    inst = recorded(recorder, companyName="acme.test")
    assert inst.config.baseURL == "https://acme.test.fs.ocs.oraclecloud.com"
    inst.metadata.get_workzones()
    sent = recorder.last
    assert sent.url.host == "acme.test.fs.ocs.oraclecloud.com"
    user = httpx.BasicAuth("demo@acme.test", "demo-secret")._auth_header
    assert sent.headers["Authorization"] == user
    assert "demo-secret" not in repr(inst.config) and "demo-secret" not in str(inst)


def test_use_token_authenticates_with_oauth2(make_sandbox_server: Any) -> None:
    server = make_sandbox_server()
    with OFSC(**CREDS, baseUrl=server.url, useToken=True) as inst:
        assert inst.core.get_user("admin")["login"] == "admin"
        assert inst.client.auth_method == "oauth2"
        token = inst.oauth2.get_token()
        assert token["token_type"].lower() == "bearer" and token["access_token"]


def test_async_access_token_is_sent_as_bearer() -> None:
    recorder = Recorder(answer={"items": []})

    async def run() -> None:
        async with AsyncOFSC(
            **CREDS,
            useToken=True,
            access_token="tok-123",
            transport=httpx.MockTransport(recorder),
        ) as inst:
            await inst.metadata.get_workzones()

    import asyncio

    asyncio.run(run())
    assert recorder.last.headers["Authorization"] == "Bearer tok-123"


# --------------------------------------------------------------------------- response types
def test_obj_response_is_the_default_and_gives_2x_shapes(inst: OFSC) -> None:
    zones = inst.metadata.get_workzones(offset=0, limit=5, response_type=OBJ_RESPONSE)
    assert isinstance(zones, WorkzoneListResponse)
    assert len(zones) == 5 and zones.hasMore is True and zones.totalResults == 30
    assert isinstance(zones[0], Workzone) and Workzone is WorkZone
    assert [z.workZoneLabel for z in zones] == [z.workZoneLabel for z in zones.items]
    groups = inst.metadata.get_activity_type_groups()
    assert isinstance(groups, ActivityTypeGroupListResponse)
    # 2.x's sync client gave plain dicts where it had no model
    resource = inst.core.get_resource("BK_NORTH_A", workSkills=True)
    assert isinstance(resource, dict) and resource["resourceId"] == "BK_NORTH_A"


def test_full_response_is_the_http_response(inst: OFSC) -> None:
    resp = inst.core.get_resource("BK_NORTH_A", response_type=FULL_RESPONSE)
    assert isinstance(resp, httpx.Response)
    assert resp.status_code == 200 and resp.ok and resp.json()["resourceId"] == "BK_NORTH_A"
    missing = inst.core.get_resource("NO_SUCH", response_type=FULL_RESPONSE)
    assert missing.status_code == 404 and not missing.ok


def test_text_and_file_responses(inst: OFSC) -> None:
    text = inst.metadata.get_workzone("MAPLE_RIDGE", response_type=TEXT_RESPONSE)
    assert json.loads(text)["workZoneLabel"] == "MAPLE_RIDGE"
    day = (TEST_TODAY - dt.timedelta(days=1)).isoformat()
    data = inst.core.get_daily_extract_file(day, "resources.zip")
    assert isinstance(data, bytes) and len(data) > 1000
    assert (
        inst.core.get_daily_extract_file(day, "resources.zip", response_type=FILE_RESPONSE) == data
    )


def test_token_defaults_to_the_full_response(inst: OFSC) -> None:
    resp = inst.core.token()
    assert resp.status_code == 200 and resp.json()["access_token"]


def test_auto_model_off_gives_json(inst: OFSC) -> None:
    inst.auto_model = False
    zones = inst.metadata.get_workzones(limit=2)
    assert isinstance(zones, dict) and len(zones["items"]) == 2


# --------------------------------------------------------------------------- errors
def test_errors_carry_2x_names_and_ours(inst: OFSC) -> None:
    with pytest.raises(OFSCNotFoundError) as caught:
        inst.metadata.get_workzone("NO_SUCH_ZONE")
    error = caught.value
    assert isinstance(error, OFSCApiError) and isinstance(error, OFSAPIException)
    assert isinstance(error, OFSAPIError) and isinstance(error, OFSError)
    assert error.status_code == 404 and error.title and error.response.status_code == 404
    with pytest.raises(OFSError):
        inst.core.get_user("nobody-here")
    with pytest.raises(OFSAPIException):
        inst.core.get_user("nobody-here")


def test_auto_raise_off_returns_the_error_body(sandbox_server: ServerHandle) -> None:
    with OFSC(**CREDS, baseUrl=sandbox_server.url, enable_auto_raise=False) as inst:
        body = inst.metadata.get_workzone("NO_SUCH_ZONE")
    assert isinstance(body, dict) and str(body["status"]) == "404"


def test_wrong_credentials_are_an_authentication_error(sandbox_server: ServerHandle) -> None:
    inst = OFSC("demo", "sandbox", "wrong", baseUrl=sandbox_server.url)
    with inst, pytest.raises(OFSCAuthenticationError) as caught:
        inst.core.get_users()
    assert "wrong" not in str(caught.value)


def test_no_answer_is_a_network_error_that_stays_ours() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    inst = OFSC(**CREDS, transport=httpx.MockTransport(hang), max_retries=0)
    from ofsc_cli.compat import OFSCNetworkError

    with pytest.raises(OFSCNetworkError) as caught:
        inst.metadata.get_workzones()
    assert isinstance(caught.value, OFSTimeoutError)


def test_a_bad_call_is_a_type_error_as_in_2x(inst: OFSC) -> None:
    with pytest.raises(TypeError):
        inst.metadata.get_workzone()
    with pytest.raises(TypeError):
        inst.core.set_resource_users("BK_NORTH_A", ["admin"])  # keyword-only in 2.x
    with pytest.raises(NotImplementedError, match=r"metadata\.get_workzones"):
        inst.get_workzones()


def test_refused_before_sending_is_a_validation_error() -> None:
    recorder = Recorder()
    inst = recorded(recorder)
    with pytest.raises(OFSCValidationError) as caught:
        inst.metadata.get_workzones(limit="many")
    assert caught.value.status_code is None and recorder.requests == []


# --------------------------------------------------------------------------- warnings
def test_each_method_warns_once_with_the_v3_name(inst: OFSC) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DeprecationWarning)
        inst.metadata.get_workzones(limit=1)
        inst.metadata.get_workzones(limit=2)
        inst.metadata.get_workzone("MAPLE_RIDGE")
    messages = [str(w.message) for w in caught if w.category is DeprecationWarning]
    assert messages == [
        "metadata.get_workzones -> client.metadata.list_work_zones",
        "metadata.get_workzone -> client.metadata.get_work_zone",
    ]
    assert all(w.filename == __file__ for w in caught)


# --------------------------------------------------------------------------- helpers, generators
def test_get_all_activities_and_properties(inst: OFSC, sandbox_server: ServerHandle) -> None:
    day = TEST_TODAY.isoformat()
    everything = inst.core.get_all_activities(date_from=TEST_TODAY, date_to=TEST_TODAY, limit=7)
    with sync_client(sandbox_server) as v3:
        expected = {
            a.activityId
            for a in v3.core.list_activities.iter(
                resources=["ROOT"], include_children="all", date_from=day, date_to=day
            )
        }
    got = [a["activityId"] for a in everything.items]
    assert len(got) == len(set(got)) and set(got) == expected and len(got) > 7
    props = inst.core.get_all_properties(limit=17)
    assert isinstance(props, list) and len(props) == 60 and isinstance(props[0], dict)


def test_the_async_client(sandbox_server: ServerHandle) -> None:
    import asyncio

    async def run() -> None:
        inst = AsyncOFSC(
            **CREDS, baseUrl=sandbox_server.url, http_config=HTTPClientConfig(timeout=10)
        )
        with pytest.raises(RuntimeError):
            _ = inst.core
        async with inst:
            zones = await inst.metadata.get_workzones(limit=4)
            assert isinstance(zones, WorkzoneListResponse) and len(zones) == 4
            seen = [z.workZoneLabel async for z in inst.metadata.get_all_workzones(limit=7)]
            assert len(seen) == len(set(seen)) == 30
            ids = [r.resourceId async for r in inst.core.get_all_resources(limit=9)]
            assert len(ids) == len(set(ids)) == 48
            resource = await inst.core.get_resource("BK_NORTH_A", expand_workskills=True)
            assert isinstance(resource, Resource) and resource.resourceId == "BK_NORTH_A"
            props = await inst.core.get_all_properties(limit=25)
            assert len(props) == 60
            language = await inst.metadata.get_language("es")
            assert language.label == "es"
            with pytest.raises(OFSCNotFoundError):
                await inst.metadata.get_workzone("NO_SUCH_ZONE")
            with pytest.raises(OFSCNotFoundError):
                await inst.metadata.get_time_slot("NO_SUCH_SLOT")
            day = (TEST_TODAY - dt.timedelta(days=1)).isoformat()
            async with inst.core.get_daily_extract_file_stream(day, "events.zip", 4096) as chunks:
                size = sum([len(c) async for c in chunks])
            assert size > 4096
        assert inst.client is None

    asyncio.run(run())


def test_sync_daily_extract_stream(inst: OFSC) -> None:
    day = (TEST_TODAY - dt.timedelta(days=1)).isoformat()
    with inst.core.get_daily_extract_file_stream(day, "events.zip") as response:
        size = sum(len(c) for c in response.iter_bytes(8192))
    assert size == len(inst.core.get_daily_extract_file(day, "events.zip"))
    with pytest.raises(OFSCNotFoundError), inst.core.get_daily_extract_file_stream(day, "x.zip"):
        pass


# --------------------------------------------------------------------------- requests sent
def test_deviations_send_the_specs_request() -> None:
    recorder = Recorder()
    inst = recorded(recorder)
    inst.core.get_resource_workschedules("R1", dt.date(2026, 11, 16))
    assert recorder.last.url.params["actualForDate"] == "2026-11-16"
    assert "actualDate" not in recorder.last.url.params
    inst.core.get_resource_descendants("R1", resourceFields="resourceId,name", workZones=True)
    params = recorder.last.url.params
    assert params["fields"] == "resourceId,name" and params["expand"] == "workZones"
    inst.core.create_subscription(json.dumps({"events": ["activityMoved"], "title": "t"}))
    assert json.loads(recorder.last.content) == {
        "events": ["activityMoved"],
        "subscriptionTitle": "t",
    }
    inst.metadata.get_capacity_areas(expandParent=True, activeOnly=True)
    assert recorder.last.url.params["expand"] == "parent"
    assert recorder.last.url.params["status"] == "active"


def test_async_deviations_send_the_specs_request() -> None:
    import asyncio

    recorder = Recorder()

    async def run() -> None:
        async with AsyncOFSC(
            **CREDS, transport=httpx.MockTransport(recorder), max_retries=0
        ) as inst:
            await inst.core.set_resource_workskills("R1", [{"workSkill": "FIBER", "ratio": 100}])
            assert json.loads(recorder.last.content) == [{"workSkill": "FIBER", "ratio": 100}]
            recorder.answer = {"items": []}
            await inst.core.set_resource_workzones("R1", [{"workZone": "A"}, {"workZone": "B"}])
            posts = [r for r in recorder.requests if r.method == "POST"][-2:]
            assert [json.loads(r.content) for r in posts] == [{"workZone": "A"}, {"workZone": "B"}]
            assert recorder.last.method == "GET"
            await inst.metadata.create_link_template({"label": "LT1", "linkType": "related"})
            assert recorder.last.url.path.endswith("/linkTemplates/LT1")

    asyncio.run(run())


def test_models_are_sent_with_2x_defaults() -> None:
    """2.x dumped whole models: its requests carried the model's defaults (and, where it
    did not leave ``None`` out, its ``null`` fields)."""
    import asyncio

    from ofsc_cli.compat.models import InventoryType, Property, Translation

    recorder = Recorder(answer={"label": "X"})
    inst = recorded(recorder)
    prop = Property(
        label="p1", name="P", type="string", translations=[Translation(language="en", name="P")]
    )
    inst.metadata.create_or_replace_property(prop)
    sent = json.loads(recorder.last.content)
    assert sent["translations"] == [{"language": "en", "name": "P", "languageISO": None}]

    async def run() -> None:
        async with AsyncOFSC(**CREDS, transport=httpx.MockTransport(recorder), max_retries=0) as a:
            await a.metadata.create_or_replace_inventory_type(InventoryType(label="I1", name="I"))
            await a.capacity.update_quota(
                {"items": [{"date": "2026-11-17", "area": "N", "quota": 1}]}
            )

    asyncio.run(run())
    inventory_type, quota = (json.loads(r.content) for r in recorder.requests[-2:])
    assert inventory_type["quantityPrecision"] == 0 and inventory_type["active"] is True
    assert quota["items"][0]["areas"] == []
