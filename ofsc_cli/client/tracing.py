"""OpenTelemetry tracing: one client span per API call (the optional ``otel`` extra).

``pip install 'ofsc-cli[otel]'`` installs the OpenTelemetry API, SDK and OTLP/HTTP exporter.
A client made with ``tracing=True`` then wraps every call (its retries included) in one span
of kind ``CLIENT`` from the global tracer provider, or from the provider given as
``tracing=provider``::

    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    trace.set_tracer_provider(provider)
    with OFSC.from_profile("prod", tracing=True) as client:
        client.metadata.list_work_zones()

The span follows the HTTP client semantic conventions: its name is the method and the
path template (``GET /rest/ofscMetadata/v1/workZones``; the method alone for
``client.request()``), with ``http.request.method``, ``url.full`` (credentials removed),
``url.template``, ``server.address``, ``server.port``, ``http.response.status_code``,
``error.type`` (the status code of a 4xx/5xx answer, else the exception's class) and
``http.request.resend_count`` (retries made), plus ``ofsc.operation`` (the operation key)
and ``ofsc.profile``.  Each retry is an event ``retry`` on the span (attempt, delay,
reason), and the W3C ``traceparent`` header of the span goes out with every attempt.

Nothing here imports OpenTelemetry until a client is built with tracing on; without the
extra that raises :class:`~ofsc_cli.errors.OFSConfigurationError` naming it.  The CLI turns
tracing on from the standard ``OTEL_*`` variables (:mod:`ofsc_cli.cli._tracing`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import httpx

from ofsc_cli._version import __version__
from ofsc_cli.client.http import redact_url
from ofsc_cli.client.middleware import (
    ATTEMPT,
    OPERATION,
    PATH_TEMPLATE,
    RETRY_LISTENERS,
    AsyncCallNext,
    CallNext,
)
from ofsc_cli.errors import OFSConfigurationError

if TYPE_CHECKING:
    from opentelemetry.trace import Span, Tracer

    from ofsc_cli.client._base import RetryNotice

__all__ = ["Tracing", "otel_available", "traced"]

INSTRUMENTATION = "ofsc_cli"
"""The instrumentation scope name of the spans."""


_AMBIENT: ContextVar[Any] = ContextVar("ofsc_tracer_provider", default=None)


@contextmanager
def traced(provider: Any) -> Iterator[None]:
    """Clients built inside this block (in this thread or task) trace with ``provider``,
    as if given ``tracing=provider``, unless they were given ``tracing=`` themselves.  The
    CLI builds its clients this way inside a command's span.

    Returns a context manager (it yields nothing)."""
    token = _AMBIENT.set(provider)
    try:
        yield
    finally:
        _AMBIENT.reset(token)


def ambient_provider() -> Any:
    """Returns the provider of the innermost :func:`traced` block, or ``None``."""
    return _AMBIENT.get()


def otel_available() -> bool:
    """Returns whether the OpenTelemetry API can be imported (the ``otel`` extra is
    installed)."""
    import importlib.util

    return importlib.util.find_spec("opentelemetry.trace") is not None


class Tracing:
    """The tracing layer of the request chain (a call layer: once per call, outside retries).

    Raises :class:`OFSConfigurationError` when OpenTelemetry is not installed.
    """

    def __init__(self, provider: Any = None, *, profile: str | None = None) -> None:
        """Spans come from ``provider`` (a ``TracerProvider``; ``None``: the global one) and
        carry ``profile``.  Raises :class:`OFSConfigurationError` without OpenTelemetry."""
        try:
            from opentelemetry import trace
        except ImportError:
            raise OFSConfigurationError(
                "tracing needs OpenTelemetry: pip install 'ofsc-cli[otel]'"
            ) from None
        self._tracer: Tracer = (
            provider.get_tracer(INSTRUMENTATION, __version__)
            if provider is not None
            else trace.get_tracer(INSTRUMENTATION, __version__)
        )
        self.profile = profile

    def __repr__(self) -> str:
        return f"Tracing(profile={self.profile!r})"

    def _start(self, request: httpx.Request) -> Span:
        from opentelemetry.trace import SpanKind

        template = request.extensions.get(PATH_TEMPLATE)
        url = request.url
        attributes: dict[str, Any] = {
            "http.request.method": request.method,
            "url.full": redact_url(url),
            "server.address": url.host,
            "server.port": url.port or (443 if url.scheme == "https" else 80),
        }
        if template:
            attributes["url.template"] = template
        operation = request.extensions.get(OPERATION)
        if operation:
            attributes["ofsc.operation"] = operation
        if self.profile:
            attributes["ofsc.profile"] = self.profile
        name = f"{request.method} {template}" if template else request.method
        return self._tracer.start_span(name, kind=SpanKind.CLIENT, attributes=attributes)

    def _prepare(self, request: httpx.Request, span: Span) -> None:
        from opentelemetry import propagate, trace

        def on_retry(notice: RetryNotice) -> None:
            span.add_event(
                "retry",
                {"attempt": notice.attempt, "delay": notice.delay, "reason": notice.reason},
            )

        request.extensions.setdefault(RETRY_LISTENERS, []).append(on_retry)
        propagate.inject(request.headers, context=trace.set_span_in_context(span))

    def _finish(
        self, request: httpx.Request, span: Span, response: httpx.Response | None, error: Any
    ) -> None:
        from opentelemetry.trace import Status, StatusCode

        attempts = int(request.extensions.get(ATTEMPT, 1))
        if attempts > 1:
            span.set_attribute("http.request.resend_count", attempts - 1)
        if response is not None:
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 400:
                span.set_attribute("error.type", str(response.status_code))
                span.set_status(Status(StatusCode.ERROR))
        if error is not None:
            span.set_attribute("error.type", type(error).__qualname__)
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, str(error)))
        span.end()

    def __call__(self, request: httpx.Request, call_next: CallNext) -> httpx.Response:
        """Send ``request`` inside its span through ``call_next`` (the rest of the chain).

        Returns the response.  Raises whatever ``call_next`` raises, after recording it
        on the span."""
        from opentelemetry import trace

        span = self._start(request)
        self._prepare(request, span)
        try:
            with trace.use_span(
                span, end_on_exit=False, record_exception=False, set_status_on_exception=False
            ):
                response = call_next(request)
        except BaseException as exc:
            self._finish(request, span, None, exc)
            raise
        self._finish(request, span, response, None)
        return response

    async def handle_async(
        self, request: httpx.Request, call_next: AsyncCallNext
    ) -> httpx.Response:
        """The async form of :meth:`__call__`: send ``request`` inside its span through
        ``call_next``.

        Returns the response.  Raises whatever ``call_next`` raises, after recording it
        on the span."""
        from opentelemetry import trace

        span = self._start(request)
        self._prepare(request, span)
        try:
            with trace.use_span(
                span, end_on_exit=False, record_exception=False, set_status_on_exception=False
            ):
                response = await call_next(request)
        except BaseException as exc:
            self._finish(request, span, None, exc)
            raise
        self._finish(request, span, response, None)
        return response
