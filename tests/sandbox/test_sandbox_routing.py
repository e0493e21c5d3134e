"""Emulator routing, generic validation and the OFS error body."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from ofsc_cli.catalog import load_catalog
from ofsc_cli.sandbox import Emulator, Request, Response, router
from ofsc_cli.sandbox._http import OFSHTTPError, error_type_url

pytestmark = pytest.mark.live  # the emulator's own behaviour, as a live tenant answers

META = "/rest/ofscMetadata/v1"
CORE = "/rest/ofscCore/v1"


def assert_ofs_error(response: httpx.Response, status: int) -> dict[str, str]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"] == str(status)  # a string, as OFS sends it
    assert body["type"] == error_type_url(status)
    assert body["title"]
    return body  # type: ignore[no-any-return]


def test_every_registered_route_is_a_spec_operation() -> None:
    catalog = load_catalog()
    routes = router.registered_routes()
    assert len(routes) > 100
    for method, template in routes:
        op = catalog.get(method, template)
        assert op is not None, (method, template)
        assert op.method == method


def test_registering_a_path_outside_the_spec_fails() -> None:
    with pytest.raises(ValueError, match="not an operation"):
        router.add_route("GET", "/rest/ofscCore/v1/nonsense", lambda call: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match="not an operation"):
        router.add_route("DELETE", f"{META}/workZoneKey", lambda call: None)  # type: ignore[arg-type,return-value]


def test_registering_an_operation_twice_fails() -> None:
    with pytest.raises(ValueError, match="already has a handler"):
        router.add_route("GET", f"{META}/workZones", lambda call: None)  # type: ignore[arg-type,return-value]


def test_unknown_path_is_404(sandbox_client: httpx.Client) -> None:
    body = assert_ofs_error(sandbox_client.get("/rest/ofscCore/v1/nothingHere"), 404)
    assert "/rest/ofscCore/v1/nothingHere" in body["detail"]


def test_wrong_method_is_405_with_allow(sandbox_client: httpx.Client) -> None:
    response = sandbox_client.delete(f"{META}/workZones")
    assert_ofs_error(response, 405)
    assert response.headers["allow"] == "GET, PATCH, POST, PUT"


def test_spec_operation_without_handler_is_501(
    sandbox_client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    router.registered_routes()  # make sure every handler module is loaded first
    monkeypatch.delitem(router._HANDLERS, f"GET {META}/timeSlots")
    body = assert_ofs_error(sandbox_client.get(f"{META}/timeSlots"), 501)
    assert "not emulated" in body["detail"]
    assert f"{META}/timeSlots" in body["detail"]


def test_unknown_query_parameter_is_ignored_as_live_tenants_do(
    sandbox_client: httpx.Client,
) -> None:
    response = sandbox_client.get(f"{META}/workSkills?limit=5&colour=red")
    assert response.status_code == 200
    assert len(response.json()["items"]) == 5


def _strict_client(emulator: Emulator) -> httpx.Client:
    from ofsc_cli.sandbox import EmulatorConfig, EmulatorTransport

    strict = Emulator(emulator.store, EmulatorConfig(strict=True))
    return httpx.Client(
        transport=EmulatorTransport(strict),
        base_url="https://sandbox.fs.ocs.oraclecloud.com",
        auth=("demo@sandbox", "demo-secret"),
    )


@pytest.mark.parametrize(
    ("method", "url", "body", "fragment"),
    [
        ("GET", f"{META}/workSkills?limit=5&colour=red", None, "unknown query parameter 'colour'"),
        ("GET", f"{META}/forms?limit=5000", None, "above the maximum"),
        ("GET", f"{CORE}/users?limit=1&offset=x", None, "'x' is not an integer"),
        ("GET", f"{META}/workZones/", None, "trailing slash"),
        ("PUT", f"{META}/workSkills/NEW", {"name": 5}, "body.name: expected string"),
        ("POST", f"{META}/workZones", {"workZoneLabel": "Z"}, "missing required field"),
        ("PATCH", f"{CORE}/resources/TECH-0001", {"status": "retired"}, "body.status"),
        ("GET", f"{CORE}/activities?resources=ROOT&includeChildren=All", None, "includeChildren"),
    ],
)
def test_strict_mode_answers_400_naming_the_violation(
    emulator: Emulator, method: str, url: str, body: Any, fragment: str
) -> None:
    with _strict_client(emulator) as client:
        kwargs = {"json": body} if body is not None else {}
        detail = assert_ofs_error(client.request(method, url, **kwargs), 400)["detail"]
    assert "strict mode" in detail and fragment in detail, detail


def test_strict_mode_accepts_conforming_requests(emulator: Emulator) -> None:
    with _strict_client(emulator) as client:
        assert client.get(f"{META}/workSkills?limit=5&offset=0").status_code == 200
        skill = {"label": "NEW", "name": "New", "active": True, "sharing": "maximal"}
        assert client.put(f"{META}/workSkills/NEW", json=skill).status_code in (200, 201)


def test_trailing_slash_is_tolerated(sandbox_client: httpx.Client) -> None:
    plain = sandbox_client.get(f"{CORE}/folders/dailyExtract/folders")
    slashed = sandbox_client.get(f"{CORE}/folders/dailyExtract/folders/")
    assert slashed.status_code == plain.status_code == 200
    assert slashed.json() == plain.json()


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("limit=ten", "not an integer"),
        ("offset=1.5", "not an integer"),
    ],
)
def test_integer_query_parameters_are_type_checked(
    sandbox_client: httpx.Client, query: str, fragment: str
) -> None:
    body = assert_ofs_error(sandbox_client.get(f"{META}/workSkills?{query}"), 400)
    assert fragment in body["detail"]


def test_boolean_date_and_enum_query_parameters_are_checked(sandbox_client: httpx.Client) -> None:
    base = f"{CORE}/activities?resources=ROOT"
    body = assert_ofs_error(
        sandbox_client.get(
            f"{base}&dateFrom=2026-11-01&dateTo=2026-11-02&includeNonScheduled=maybe"
        ),
        400,
    )
    assert "true or false" in body["detail"]
    body = assert_ofs_error(
        sandbox_client.get(f"{base}&dateFrom=2026-13-01&dateTo=2026-11-02"), 400
    )
    assert "dateFrom" in body["detail"]
    body = assert_ofs_error(
        sandbox_client.get(f"{base}&dateFrom=2026-11-01&dateTo=2026-11-02&includeChildren=some"),
        400,
    )
    assert "includeChildren" in body["detail"]


def test_required_query_parameter_is_400(sandbox_client: httpx.Client) -> None:
    body = assert_ofs_error(
        sandbox_client.get(f"{CORE}/resources/TECH-0002/plans?dateFrom=2026-11-01"), 400
    )
    assert "dateTo" in body["detail"]


def test_malformed_json_is_400_with_ofs_body(sandbox_client: httpx.Client) -> None:
    response = sandbox_client.put(
        f"{META}/workSkills/NEW_SKILL",
        content=b'{"active": tru',
        headers={"Content-Type": "application/json"},
    )
    body = assert_ofs_error(response, 400)
    assert "Malformed JSON" in body["detail"]


def test_path_parameter_enum_and_length(sandbox_client: httpx.Client) -> None:
    assert_ofs_error(sandbox_client.get(f"{META}/applications/demo/apiAccess/bogusAPI"), 404)
    assert_ofs_error(sandbox_client.get(f"{CORE}/resources/{'X' * 33}"), 400)


def test_unexpected_exception_is_500_without_traceback(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    key = f"GET {META}/languages"

    def broken(call: router.Call) -> Response:
        raise RuntimeError("secret internals")

    monkeypatch.setitem(router._HANDLERS, key, broken)
    request = Request(
        "GET",
        f"{META}/languages",
        headers={"authorization": "Basic ZGVtb0BzYW5kYm94OmRlbW8tc2VjcmV0"},
    )
    with caplog.at_level(logging.ERROR, logger="ofsc_cli.sandbox"):
        response = emulator.handle(request)
    assert response.status == 500
    body = response.json_body()
    assert body["status"] == "500"
    assert "secret internals" not in response.body.decode()
    assert "Traceback" not in response.body.decode()
    assert "secret internals" in caplog.text


def test_error_body_helper() -> None:
    extra: dict[str, Any] = {"force": "required", "o:errorCode": "X"}
    error = OFSHTTPError(409, "Fail", "exists", **extra)
    body = error.body()
    assert body == {
        "type": "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.10",
        "title": "Fail",
        "status": "409",
        "detail": "exists",
        "force": "required",
        "o:errorCode": "X",
    }
    assert error_type_url(429) == "about:blank"
    assert error_type_url(503).endswith("sec10.5.4")


def test_request_counts_and_write_log(emulator: Emulator, sandbox_client: httpx.Client) -> None:
    sandbox_client.get(f"{META}/workSkills")
    sandbox_client.get(f"{META}/workSkills")
    sandbox_client.delete(f"{META}/workSkills/FIBER_ADV")
    assert emulator.request_counts[f"GET {META}/workSkills"] == 2
    assert emulator.write_log == [("DELETE", f"{META}/workSkills/FIBER_ADV")]
    assert emulator.stats["requests"] == 3
    emulator.reset_stats()
    assert emulator.stats == {"requests": 0, "writes": 0, "max_concurrent_activities": 0}
