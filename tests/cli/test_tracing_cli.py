"""``OTEL_*`` variables trace a command: its parent span and one client span per API call
reach an OTLP/HTTP receiver on 127.0.0.1 (the ``otel`` extra, installed with the tests)."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from ofsc_cli.cli._tracing import tracing_requested
from ofsc_cli.sandbox import ServerHandle
from tests.served_cli import Cli, seed_resources


class Receiver:
    """An OTLP/HTTP trace receiver: the spans of every export, decoded."""

    def __init__(self) -> None:
        self.spans: list[Any] = []
        self.paths: list[str] = []
        received = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.paths.append(self.path)
                export = ExportTraceServiceRequest()
                export.ParseFromString(body)
                for resource_spans in export.resource_spans:
                    for scope in resource_spans.scope_spans:
                        received.spans.extend(scope.spans)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def by_name(self) -> dict[str, Any]:
        return {span.name: span for span in self.spans}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    yield made
    made.server.shutdown()


def _attrs(span: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kv in span.attributes:
        value = kv.value
        out[kv.key] = value.string_value or value.int_value
    return out


def test_a_command_is_a_parent_span_of_its_api_calls(
    sandbox_server: ServerHandle, tmp_path: Path, receiver: Receiver
) -> None:
    seed_resources(sandbox_server, 0)
    cli = Cli(sandbox_server, tmp_path, OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url)
    result = cli.ok("metadata", "work-zones", "list", "--all", "--limit", "3", "-o", "json")
    assert json.loads(result.stdout), "data on stdout, untouched"
    assert receiver.paths and set(receiver.paths) == {"/v1/traces"}
    spans = receiver.spans
    parent = receiver.by_name()["ofsc metadata work-zones list"]
    children = [s for s in spans if s.parent_span_id == parent.span_id]
    assert children and all(s.trace_id == parent.trace_id for s in children)
    assert {s.name for s in children} == {"GET /rest/ofscMetadata/v1/workZones"}
    attrs = _attrs(children[0])
    assert attrs["http.request.method"] == "GET"
    assert attrs["http.response.status_code"] == 200
    assert attrs["url.full"].startswith(sandbox_server.url)
    assert "demo-secret" not in str(spans)


def test_an_api_error_marks_the_command_span(
    sandbox_server: ServerHandle, tmp_path: Path, receiver: Receiver
) -> None:
    cli = Cli(sandbox_server, tmp_path, OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url)
    cli.fails(5, "metadata", "work-zones", "get", "NO_SUCH_ZONE")
    parent = receiver.by_name()["ofsc metadata work-zones get"]  # the id is not in the name
    assert parent.status.code == 2  # STATUS_CODE_ERROR
    (call,) = [s for s in receiver.spans if s.parent_span_id == parent.span_id]
    assert _attrs(call)["error.type"] == "404"


def test_the_console_exporter_writes_to_stderr_only(
    sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    cli = Cli(sandbox_server, tmp_path, OTEL_TRACES_EXPORTER="console")
    result = cli.ok("metadata", "work-zones", "list", "--limit", "1", "-o", "json")
    assert json.loads(result.stdout)
    assert '"name": "ofsc metadata work-zones list"' in result.stderr


def test_without_the_extra_the_command_warns_once_and_runs(
    sandbox_server: ServerHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m.startswith("opentelemetry")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "opentelemetry", None)
    cli = Cli(sandbox_server, tmp_path, OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9")
    result = cli.ok("metadata", "work-zones", "list", "--limit", "1", "-o", "json")
    assert json.loads(result.stdout)
    assert result.stderr.count("pip install 'ofsc-cli[otel]'") == 1


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://x"}, False),
        ({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://x"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": " "}, False),
    ],
)
def test_which_variables_turn_tracing_on(environ: dict[str, str], expected: bool) -> None:
    assert tracing_requested(environ) is expected
