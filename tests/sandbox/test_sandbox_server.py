"""Served mode over real HTTP, the async transport and the GET activities concurrency cap."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from ofsc_cli.sandbox import Emulator, EmulatorTransport, Faults, ServerHandle, run_forever, serve

AUTH = ("demo@sandbox", "demo-secret")
ACTIVITIES = (
    "/rest/ofscCore/v1/activities?resources=ROOT&dateFrom=2026-11-01&dateTo=2026-11-02&limit=5"
)


def test_served_mode_answers_over_http(sandbox_server: ServerHandle) -> None:
    assert sandbox_server.url.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=sandbox_server.url, auth=AUTH) as client:
        zones = client.get("/rest/ofscMetadata/v1/workZones")
        assert zones.status_code == 200
        assert zones.json()["totalResults"] == 30
        missing = client.get("/rest/ofscMetadata/v1/workZones/NOPE")
        assert missing.status_code == 404
        assert missing.json()["status"] == "404"
        assert client.get("/rest/ofscMetadata/v1/workZones", auth=None).status_code == 401


def test_keep_alive_reuses_one_connection(sandbox_server: ServerHandle) -> None:
    peers = set()
    with httpx.Client(base_url=sandbox_server.url, auth=AUTH) as client:
        for _ in range(5):
            response = client.get("/rest/ofscMetadata/v1/languages", extensions={})
            assert response.status_code == 200
            stream = response.extensions["network_stream"]
            peers.add(stream.get_extra_info("client_addr"))
    assert len(peers) == 1


def test_served_writes_and_encoded_paths(make_sandbox_server: Callable[..., ServerHandle]) -> None:
    server = make_sandbox_server()
    body = {"active": True, "sharing": "maximal", "name": "Space skill"}
    with httpx.Client(base_url=server.url, auth=AUTH) as client:
        created = client.put("/rest/ofscMetadata/v1/workSkills/WITH%20SPACE", json=body)
        assert created.status_code == 201
        assert created.json()["label"] == "WITH SPACE"
        assert client.get("/rest/ofscMetadata/v1/workSkills/WITH%20SPACE").status_code == 200
        assert client.delete("/rest/ofscMetadata/v1/workSkills/WITH%20SPACE").status_code == 204
    assert server.emulator.write_log == [
        ("PUT", "/rest/ofscMetadata/v1/workSkills/WITH SPACE"),
        ("DELETE", "/rest/ofscMetadata/v1/workSkills/WITH SPACE"),
    ]


def test_many_concurrent_connections(sandbox_server: ServerHandle) -> None:
    def fetch(_: int) -> int:
        with httpx.Client(base_url=sandbox_server.url, auth=AUTH) as client:
            return client.get("/rest/ofscMetadata/v1/timeSlots").status_code

    with ThreadPoolExecutor(max_workers=60) as pool:
        assert set(pool.map(fetch, range(60))) == {200}


def test_concurrency_cap_on_get_activities(
    make_sandbox_server: Callable[..., ServerHandle],
) -> None:
    server = make_sandbox_server(faults=Faults(latency=0.25))
    barrier = threading.Barrier(10)

    def fetch(_: int) -> int:
        with httpx.Client(base_url=server.url, auth=AUTH, timeout=30) as client:
            barrier.wait()
            return client.get(ACTIVITIES).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(fetch, range(10)))
    assert codes == [200] * 10  # 3 running + up to 10 queued: nobody is refused
    assert server.emulator.stats["max_concurrent_activities"] == 3


def test_concurrency_cap_refuses_beyond_the_queue(
    make_sandbox_server: Callable[..., ServerHandle],
) -> None:
    server = make_sandbox_server(
        faults=Faults(latency=0.4), activities_max_concurrent=2, activities_max_queued=1
    )
    barrier = threading.Barrier(6)

    def fetch(_: int) -> httpx.Response:
        with httpx.Client(base_url=server.url, auth=AUTH, timeout=30) as client:
            barrier.wait()
            return client.get(ACTIVITIES)

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(fetch, range(6)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 200, 200, 429, 429, 429]
    refused = next(r for r in responses if r.status_code == 429)
    assert refused.json()["detail"].startswith("too many concurrent requests")
    assert refused.headers["retry-after"]
    assert server.emulator.stats["max_concurrent_activities"] == 2


def test_queue_timeout_is_a_429(make_sandbox_server: Callable[..., ServerHandle]) -> None:
    server = make_sandbox_server(
        faults=Faults(latency=0.5), activities_max_concurrent=1, queue_timeout=0.1
    )
    barrier = threading.Barrier(2)

    def fetch(_: int) -> int:
        with httpx.Client(base_url=server.url, auth=AUTH, timeout=30) as client:
            barrier.wait()
            return client.get(ACTIVITIES).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sorted(pool.map(fetch, range(2))) == [200, 429]


def test_non_loopback_hosts_are_refused(emulator: Emulator) -> None:
    with pytest.raises(ValueError, match="non-loopback"):
        serve(emulator, host="0.0.0.0")


def test_request_log_lines(emulator: Emulator) -> None:
    log = io.StringIO()
    with (
        serve(emulator, log_requests=True, log=log) as server,
        httpx.Client(base_url=server.url, auth=AUTH) as client,
    ):
        client.get("/rest/ofscMetadata/v1/languages?limit=2")
    line = log.getvalue().strip()
    assert line.startswith("GET /rest/ofscMetadata/v1/languages?limit=2 200 ")
    assert line.endswith("ms")


def test_shutdown_stops_the_server(emulator: Emulator) -> None:
    server = serve(emulator)
    url = server.url
    server.shutdown()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/rest/ofscMetadata/v1/languages", auth=AUTH)


async def test_async_transport(emulator: Emulator) -> None:
    async with httpx.AsyncClient(
        transport=EmulatorTransport(emulator), base_url="https://sandbox", auth=AUTH
    ) as client:
        response = await client.get("/rest/ofscCore/v1/users?limit=2")
        assert response.status_code == 200
        assert len(response.json()["items"]) == 2
        created = await client.put(
            "/rest/ofscMetadata/v1/shifts/SWING",
            json={
                "name": "Swing",
                "active": True,
                "type": "regular",
                "workTimeStart": "14:00",
                "workTimeEnd": "22:00",
            },
        )
        assert created.status_code == 201


def test_run_forever_serves_until_shut_down(emulator: Emulator) -> None:
    ready: list[ServerHandle] = []
    started = threading.Event()

    def on_ready(handle: ServerHandle) -> None:
        ready.append(handle)
        started.set()

    thread = threading.Thread(
        target=run_forever, args=(emulator,), kwargs={"port": 0, "on_ready": on_ready}
    )
    thread.start()
    assert started.wait(5)
    handle = ready[0]
    response = httpx.get(handle.url + "/rest/ofscMetadata/v1/languages", auth=AUTH)
    assert response.status_code == 200
    handle.shutdown()
    thread.join(5)
    assert not thread.is_alive()


def test_ipv6_loopback(emulator: Emulator) -> None:
    try:
        server = serve(emulator, host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with server, httpx.Client(base_url=server.url, auth=AUTH) as client:
        assert server.url.startswith("http://[::1]:")
        assert client.get("/rest/ofscMetadata/v1/languages").status_code == 200


def test_sandbox_imports_neither_cli_nor_client() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ofsc_cli.sandbox.app, ofsc_cli.sandbox.server, ofsc_cli.sandbox.transport\n"
        "import ofsc_cli.sandbox.handlers\n"
        "banned = ('typer', 'rich', 'ofsc_cli.client', 'ofsc_cli.cli')\n"
        "bad = [m for m in banned if m in sys.modules]\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
