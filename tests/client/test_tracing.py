"""OpenTelemetry spans of the client's tracing layer, from the SDK's in-memory exporter,
over real HTTP against the served emulator."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from ofsc_cli.errors import OFSAPIError, OFSConfigurationError, OFSError
from ofsc_cli.sandbox import Faults, ServerHandle
from tests.served_cli import async_client, sync_client

WORK_ZONES = "/rest/ofscMetadata/v1/workZones"


@pytest.fixture
def spans() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def _client_spans(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if s.kind is SpanKind.CLIENT]


def test_one_client_span_per_call_with_the_http_conventions(
    sandbox_server: ServerHandle, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exporter = spans
    with sync_client(sandbox_server, tracing=provider, profile="served") as client:
        client.metadata.list_work_zones(limit=2)
        client.metadata.get_work_zone(
            client.metadata.list_work_zones(limit=1).items[0].workZoneLabel
        )
    found = _client_spans(exporter)
    assert [s.name for s in found] == [
        f"GET {WORK_ZONES}",
        f"GET {WORK_ZONES}",
        f"GET {WORK_ZONES}/{{label}}",
    ]
    first = found[0]
    attrs = dict(first.attributes or {})
    host = httpx.URL(sandbox_server.url)
    assert attrs["http.request.method"] == "GET"
    assert attrs["http.response.status_code"] == 200
    assert attrs["url.template"] == WORK_ZONES
    assert attrs["url.full"] == f"{sandbox_server.url}{WORK_ZONES}?limit=2"
    assert attrs["server.address"] == host.host
    assert attrs["server.port"] == host.port
    assert attrs["ofsc.operation"] == f"GET {WORK_ZONES}"
    assert attrs["ofsc.profile"] == "served"
    assert "http.request.resend_count" not in attrs
    assert first.status.status_code is StatusCode.UNSET
    assert not any("Authorization" in str(v) or "demo-secret" in str(v) for v in attrs.values())


def test_traceparent_goes_out_with_the_span_id(
    sandbox_server: ServerHandle, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exporter = spans
    seen: list[str] = []

    def record(request: httpx.Request, call_next: Callable[[httpx.Request], httpx.Response]) -> Any:
        seen.append(request.headers.get("traceparent", ""))
        return call_next(request)

    tracer = provider.get_tracer("test")
    with (
        tracer.start_as_current_span("job") as parent,
        sync_client(sandbox_server, tracing=provider, middleware=[record]) as client,
    ):
        client.metadata.list_work_zones(limit=1)
    (span,) = _client_spans(exporter)
    ctx = span.get_span_context()
    (header,) = seen
    assert header.startswith(f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-")
    assert int(header.rsplit("-", 1)[1], 16) & 1, "sampled"
    assert span.parent is not None and span.parent.span_id == parent.get_span_context().span_id


def test_retries_are_events_and_the_resend_count(
    make_sandbox_server: Callable[..., ServerHandle],
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    server = make_sandbox_server(
        faults=Faults(rate_limit_every=2, rate_limit_burst=1, retry_after=0)
    )
    with sync_client(server, tracing=provider, sleep=lambda _s: None) as client:
        for _ in range(3):
            client.metadata.list_work_zones(limit=1)
    retried = [s for s in _client_spans(exporter) if s.events]
    assert retried, "the rate limit should have made at least one call retry"
    span = retried[0]
    assert [e.name for e in span.events] == ["retry"]
    event = dict(span.events[0].attributes or {})
    assert event["attempt"] == 2 and "429" in str(event["reason"])
    assert dict(span.attributes or {})["http.request.resend_count"] == 1
    assert dict(span.attributes or {})["http.response.status_code"] == 200


def test_an_error_answer_and_a_refused_connection_mark_the_span(
    sandbox_server: ServerHandle, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exporter = spans
    with (
        sync_client(sandbox_server, tracing=provider) as client,
        pytest.raises(OFSAPIError),
    ):
        client.metadata.get_work_zone("NO_SUCH_ZONE")
    (missing,) = _client_spans(exporter)
    assert dict(missing.attributes or {})["error.type"] == "404"
    assert missing.status.status_code is StatusCode.ERROR

    exporter.clear()
    with (
        socket_closed() as url,
        sync_client(sandbox_server, base_url=url, tracing=provider, max_retries=0) as client,
        pytest.raises(OFSError),
    ):
        client.metadata.list_work_zones()
    (refused,) = _client_spans(exporter)
    assert refused.status.status_code is StatusCode.ERROR
    assert dict(refused.attributes or {})["error.type"].startswith("OFS")
    assert "http.response.status_code" not in dict(refused.attributes or {})


class socket_closed:
    """A loopback URL on which nothing listens."""

    def __enter__(self) -> str:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        return None


async def test_async_calls_are_children_of_the_current_span(
    sandbox_server: ServerHandle, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exporter = spans
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("job") as parent:
        async with async_client(sandbox_server, tracing=provider) as client:
            await asyncio.gather(
                client.metadata.list_work_zones(limit=1),
                client.metadata.list_work_skills(limit=1),
                client.core.list_users(limit=1),
            )
    found = _client_spans(exporter)
    assert len(found) == 3
    assert {s.parent.span_id for s in found if s.parent} == {parent.get_span_context().span_id}
    assert {s.context.trace_id for s in found} == {parent.get_span_context().trace_id}


def test_the_global_provider_is_used_for_tracing_true(sandbox_server: ServerHandle) -> None:
    with sync_client(sandbox_server, tracing=True) as client:
        client.metadata.list_work_zones(limit=1)  # the default no-op provider: nothing breaks
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider | TracerProvider)


def test_without_the_extra_tracing_is_refused_with_the_fix(
    sandbox_server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry", None)
    with pytest.raises(OFSConfigurationError, match=r"pip install 'ofsc-cli\[otel\]'"):
        sync_client(sandbox_server, tracing=True)
    with sync_client(sandbox_server) as client:  # untraced: OpenTelemetry is never needed
        assert client.metadata.list_work_zones(limit=1).items


def test_an_untraced_client_imports_nothing_of_opentelemetry() -> None:
    code = (
        "import sys\n"
        "from ofsc_cli import OFSC\n"
        "with OFSC.from_profile('sandbox') as c:\n"
        "    c.metadata.list_work_zones(limit=1)\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
