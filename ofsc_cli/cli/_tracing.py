"""OpenTelemetry for the CLI: a parent span per command, configured by ``OTEL_*`` variables.

Tracing is on when the environment asks for it: ``OTEL_EXPORTER_OTLP_ENDPOINT``,
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` or ``OTEL_TRACES_EXPORTER`` is set (and
``OTEL_SDK_DISABLED`` is not ``true``, ``OTEL_TRACES_EXPORTER`` is not ``none``).  Then the
command runs inside a span named after it (``ofsc core resources list``), and every client
the command builds adds one client span per API call under it
(:mod:`ofsc_cli.client.tracing`).  Exporters (``OTEL_TRACES_EXPORTER``, comma-separated):
``otlp`` (the default: OTLP over HTTP/protobuf, to ``OTEL_EXPORTER_OTLP_ENDPOINT`` and the
other ``OTEL_EXPORTER_OTLP_*`` variables) and ``console`` (JSON to stderr, never stdout).
``OTEL_SERVICE_NAME`` (default ``ofsc``) and ``OTEL_RESOURCE_ATTRIBUTES`` name the process.
Spans are sent when the command ends; an unreachable collector delays the exit by at most
``OTEL_EXPORTER_OTLP_TIMEOUT`` seconds (3 by default here, not the SDK's 10).

Without the ``otel`` extra installed a command that asks for tracing prints one warning and
runs untraced; when nothing asks, this module imports nothing of OpenTelemetry.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["command_span", "tracing_requested"]

_TRIGGERS = (
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_TRACES_EXPORTER",
)


_TIMEOUTS = ("OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT")
DEFAULT_EXPORT_TIMEOUT = 3.0
"""Seconds the OTLP exporter may take at the end of a command, unless ``OTEL_*`` says."""


def tracing_requested(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the ``OTEL_*`` variables ask for traces (see the module docstring)."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "none":
        return False
    return any(environ.get(name, "").strip() for name in _TRIGGERS)


def _exporters(warn: Any) -> list[Any]:
    names = [
        n.strip().lower()
        for n in os.environ.get("OTEL_TRACES_EXPORTER", "otlp").split(",")
        if n.strip()
    ]
    made: list[Any] = []
    for name in names or ["otlp"]:
        if name == "otlp":
            protocol = (
                os.environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
                or os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
                or "http/protobuf"
            ).strip()
            if protocol != "http/protobuf":
                warn(
                    f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol} is not supported: traces are"
                    " sent as http/protobuf"
                )
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            timeout = None
            if not any(os.environ.get(n) for n in _TIMEOUTS):
                timeout = DEFAULT_EXPORT_TIMEOUT  # not the SDK's 10 s: a command's exit waits
            made.append(OTLPSpanExporter(timeout=timeout))
        elif name == "console":
            from opentelemetry.sdk.trace.export import ConsoleSpanExporter

            made.append(ConsoleSpanExporter(out=sys.stderr))
        else:
            warn(f"OTEL_TRACES_EXPORTER: unknown exporter {name!r} (use otlp or console)")
    return made


def _provider(warn: Any) -> Any:
    """A ``TracerProvider`` exporting as the environment says, or ``None`` (warned) when
    the ``otel`` extra is missing or no exporter can be made."""
    try:
        from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        exporters = _exporters(warn)
    except ImportError:
        warn(
            "OTEL_* asks for traces, but tracing needs the otel extra: pip install 'ofsc-cli[otel]'"
        )
        return None
    if not exporters:
        return None
    from ofsc_cli._version import __version__

    attributes = {SERVICE_VERSION: __version__}
    if not os.environ.get("OTEL_SERVICE_NAME", "").strip():
        attributes[SERVICE_NAME] = "ofsc"
    provider = TracerProvider(resource=Resource.create(attributes))
    for exporter in exporters:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def _exit_code(error: BaseException) -> int | None:
    code = getattr(error, "exit_code", getattr(error, "code", None))
    return code if isinstance(code, int) else None


@contextmanager
def command_span(words: Sequence[str], warn: Any) -> Iterator[None]:
    """Run the command named by ``words`` inside its span when tracing is requested;
    spans are flushed before the process goes on.  ``warn`` prints one stderr line."""
    if not tracing_requested():
        yield
        return
    provider = _provider(warn)
    if provider is None:
        yield
        return
    from opentelemetry.trace import SpanKind, Status, StatusCode

    from ofsc_cli._version import __version__
    from ofsc_cli.client.tracing import traced

    name = " ".join(["ofsc", *words])
    tracer = provider.get_tracer("ofsc_cli", __version__)
    try:
        with (
            traced(provider),
            tracer.start_as_current_span(
                name,
                kind=SpanKind.INTERNAL,
                attributes={"ofsc.command": name},
                record_exception=False,
                set_status_on_exception=False,
            ) as span,
        ):
            try:
                yield
            except BaseException as exc:
                code = _exit_code(exc)
                if code is not None:
                    span.set_attribute("process.exit.code", code)
                if code != 0:
                    span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                    if code is None:
                        span.record_exception(exc)
                raise
    finally:
        provider.shutdown()
