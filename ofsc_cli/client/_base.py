"""Everything the sync and async clients share: configuration, request building, the retry
and circuit-breaker flow, error mapping and response parsing.  No I/O happens here: the
clients in ``_sync.py`` and ``_async.py`` only drive :meth:`BaseClient._send_flow`.
"""

from __future__ import annotations

import importlib.util
import os
import random
import ssl
import sys
import warnings
from collections.abc import Callable, Generator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import httpx

from ofsc_cli._version import __version__
from ofsc_cli.client._circuit import CircuitBreakers, host_key
from ofsc_cli.client._endpoint import Args, EndpointSpec, NoContent, RawPage
from ofsc_cli.client._retry import FailureKind, RetryPolicy, classify_exception
from ofsc_cli.client.extensions import PROCESSORS, VALIDATORS, HookOption, client_hooks
from ofsc_cli.client.http import (
    _exception_text,
    check_query_size,
    encode_query,
    error_from_exception,
    error_from_response,
    redact_url,
)
from ofsc_cli.client.log import RequestLog, auth_secrets, log_retry, retry_logged
from ofsc_cli.client.middleware import ATTEMPT, OPERATION, PATH_TEMPLATE, RETRY_LISTENERS
from ofsc_cli.common.urls import base_url_problem, proxy_url_problem
from ofsc_cli.errors import (
    OFSCircuitOpenError,
    OFSClientClosedError,
    OFSConfigurationError,
    OFSError,
    OFSInsecureTransportWarning,
    OFSRetriesExhaustedError,
    OFSSerializationError,
    OFSValidationError,
)

if TYPE_CHECKING:
    from ofsc_cli.client.audit import AuditLog
    from ofsc_cli.client.token_cache import TokenCache

__all__ = [
    "BaseClient",
    "RetryNotice",
    "Send",
    "Sleep",
]

AuthKind = Literal["basic", "oauth2"]
DEFAULT_HOST_SUFFIX = "fs.ocs.oraclecloud.com"


@dataclass(frozen=True, slots=True)
class Send:
    """Flow step: send this request (the driver answers with a response or an exception)."""

    request: httpx.Request
    stream: bool
    auth: httpx.Auth | None = None


@dataclass(frozen=True, slots=True)
class Sleep:
    """Flow step: wait, after closing the discarded response if there is one."""

    seconds: float
    discard: httpx.Response | None = None


Step = Send | Sleep


@dataclass(frozen=True, slots=True)
class RetryNotice:
    """What a client's ``on_retry`` callback gets before it waits to try a request again.

    ``str()`` is one line: ``retrying GET https://… in 2.0s (attempt 2/4): HTTP 503 …``.
    """

    method: str
    url: str
    """The request URL without credentials (see :func:`redact_url`)."""
    attempt: int
    """The attempt about to be made (2 for the first retry)."""
    max_attempts: int
    delay: float
    """Seconds the client waits first."""
    reason: str
    """What went wrong: ``HTTP 503 Service Unavailable``, ``cannot connect: …``."""

    def __str__(self) -> str:
        return (
            f"retrying {self.method} {self.url} in {self.delay:.1f}s"
            f" (attempt {self.attempt}/{self.max_attempts}): {self.reason}"
        )


RetryCallback = Callable[[RetryNotice], None]

_FAILURE_TEXT = {
    FailureKind.CONNECT: "cannot connect",
    FailureKind.CONNECT_TIMEOUT: "connect timeout",
    FailureKind.POOL_TIMEOUT: "no free connection",
    FailureKind.READ_TIMEOUT: "read timeout",
    FailureKind.WRITE_TIMEOUT: "write timeout",
    FailureKind.NETWORK: "connection broken",
}


def _verify_option(verify: bool, ca_bundle: str | os.PathLike[str] | None) -> bool | ssl.SSLContext:
    """httpx's ``verify``: ``True``, ``False`` (warned), or a context trusting ``ca_bundle``."""
    if ca_bundle is not None:
        if not verify:
            raise OFSConfigurationError("ca_bundle and verify=False contradict each other")
        path = os.fspath(ca_bundle)
        try:
            return ssl.create_default_context(cafile=path)
        except OSError as exc:
            if isinstance(exc, ssl.SSLError):
                raise OFSConfigurationError(
                    f"ca_bundle {path}: not a PEM file of CA certificates ({exc.reason or exc})"
                ) from None
            raise OFSConfigurationError(
                f"ca_bundle {path}: cannot read: {exc.strerror or exc}"
            ) from None
    if not verify:
        warnings.warn(
            "TLS certificate verification is off (verify=False, verify_ssl = false): the"
            " server's identity is not checked; trust a private CA with ca_bundle instead",
            OFSInsecureTransportWarning,
            stacklevel=4,
        )
    return verify


def _transport_verify(
    verify: bool | ssl.SSLContext, base_url: str, trust_env: bool
) -> bool | ssl.SSLContext:
    """What the httpx client gets as ``verify``: the client's own, except that ``True`` for a
    base URL that is not ``https://`` becomes a context of the same trust loaded on first
    use (:func:`~ofsc_cli.client._tls.deferred_trust_context`)."""
    if verify is True and not base_url.lower().startswith("https://"):
        from ofsc_cli.client._tls import deferred_trust_context

        return deferred_trust_context(trust_env=trust_env)
    return verify


def base_url_for(instance: str) -> str:
    return f"https://{instance}.{DEFAULT_HOST_SUFFIX}"


def _jsonable(body: Any) -> Any:
    from ofsc_cli.models import dump

    if isinstance(body, list):
        return [dump(x) for x in body]
    return dump(body)


def _retry_reason(outcome: httpx.Response | httpx.HTTPError, kind: FailureKind | None) -> str:
    if isinstance(outcome, httpx.Response):
        return f"HTTP {outcome.status_code} {outcome.reason_phrase}".rstrip()
    prefix = _FAILURE_TEXT.get(kind, "failed") if kind is not None else "failed"
    return f"{prefix}: {_exception_text(outcome)}"


class BaseClient:
    """Configuration and the pure parts of a client."""

    http: httpx.Client | httpx.AsyncClient
    _last_response: ContextVar[httpx.Response | None]

    def __init__(
        self,
        instance: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        *,
        base_url: str | None = None,
        auth: AuthKind | httpx.Auth = "basic",
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        max_retries: int | None = None,
        max_retry_delay: float | None = None,
        retry_backoff: float | None = None,
        circuit_failure_threshold: int = 5,
        circuit_reset_timeout: float = 30.0,
        breakers: CircuitBreakers | None = None,
        http2: bool = False,
        max_connections: int = 20,
        max_keepalive_connections: int = 10,
        keepalive_expiry: float = 30.0,
        verify: bool = True,
        ca_bundle: str | os.PathLike[str] | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
        allow_insecure_http: bool = False,
        on_retry: RetryCallback | None = None,
        headers: Mapping[str, str] | None = None,
        token_cache: TokenCache | None = None,
        token_cache_key: str | None = None,
        rng: random.Random | None = None,
        validate: bool = True,
        profile: str | None = None,
        audit_log: str | os.PathLike[str] | None = None,
        tracing: bool | Any = False,
        validators: HookOption = None,
        response_processors: HookOption = None,
    ) -> None:
        """A client of the instance ``instance`` (base URL
        ``https://<instance>.fs.ocs.oraclecloud.com`` unless ``base_url`` is given) for the
        application ``client_id`` with ``client_secret``.  ``auth`` is ``"basic"``,
        ``"oauth2"`` (a token from the token service, cached in ``token_cache`` under
        ``token_cache_key`` when given) or any ``httpx.Auth``.  ``timeout`` is the read,
        write and pool timeout and ``connect_timeout`` the connect one, in seconds.
        ``retry`` is the :class:`RetryPolicy` (default one), adjusted by ``max_retries``,
        ``max_retry_delay`` and ``retry_backoff``; ``rng`` draws its jitter.  The circuit
        breakers are ``breakers``, else new ones opening after ``circuit_failure_threshold``
        consecutive failures for ``circuit_reset_timeout`` seconds.  ``http2``,
        ``max_connections``, ``max_keepalive_connections`` and ``keepalive_expiry`` go to
        httpx; ``headers`` are added to every request.

        Transport security: ``base_url`` must be ``https://`` (plain ``http://`` only to a
        loopback host, or with ``allow_insecure_http=True``), with a valid port and no
        credentials, else :class:`OFSValidationError`.  ``ca_bundle`` is a PEM file of the CA
        certificates to trust instead of the default ones (unreadable or not PEM:
        :class:`OFSConfigurationError`); ``verify=False`` turns certificate checks off and
        warns (:class:`OFSInsecureTransportWarning`).  ``proxy`` sends every request through
        that proxy; without it, ``trust_env`` honours ``HTTPS_PROXY``/``HTTP_PROXY``/
        ``ALL_PROXY``/``NO_PROXY`` and ``SSL_CERT_FILE`` as httpx does (a custom transport
        ignores both).  ``on_retry`` is called with a :class:`RetryNotice` before each wait.
        ``validate`` checks each declared operation's query and JSON body against the API
        catalog before sending (:class:`OFSValidationError` naming the parameter; see
        :mod:`ofsc_cli.client._validate`); ``validate=False`` sends them unchecked.
        ``profile`` names the settings the client was built from, in logs, spans and audit
        lines (``from_profile`` sets it).  ``audit_log`` appends one JSON line per write to
        that file, and ``tracing=True`` makes one OpenTelemetry span per call from the
        global tracer provider, or from the ``TracerProvider`` given instead of ``True``
        (the ``otel`` extra; :mod:`ofsc_cli.client.tracing`): both are layers of the request
        chain (:mod:`ofsc_cli.client.middleware`).
        ``validators`` and ``response_processors`` are this client's own request checks and
        result processing, run after the registered ones: ``{target: fn or [fns]}`` or
        ``[(target, fn), ...]`` (see :mod:`ofsc_cli.client.extensions`; a bad target or hook
        raises ``TypeError``/``ValueError``).
        """
        if base_url is None:
            if not instance:
                raise OFSValidationError("an instance name or a base_url is required")
            base_url = base_url_for(instance)
        problem = base_url_problem(base_url, allow_insecure_http=allow_insecure_http)
        if problem is None:
            try:
                httpx.URL(base_url)
            except httpx.InvalidURL as exc:
                problem = f"base_url is not a valid URL ({_exception_text(exc)})"
        if problem is not None:
            raise OFSValidationError(problem)
        self.base_url = base_url.rstrip("/")
        self.instance = instance or httpx.URL(self.base_url).host.split(".")[0]
        self.allow_insecure_http = allow_insecure_http
        self.verify: bool | ssl.SSLContext = _verify_option(verify, ca_bundle)
        self.ca_bundle = os.fspath(ca_bundle) if ca_bundle is not None else None
        if proxy is not None:
            problem = proxy_url_problem(proxy)
            if problem is not None:
                raise OFSValidationError(problem)
            if proxy.lower().startswith("socks") and importlib.util.find_spec("socksio") is None:
                raise OFSConfigurationError(
                    "a socks5:// proxy needs the 'socksio' package (pip install 'httpx[socks]')"
                )
        self.proxy = proxy
        self.trust_env = trust_env
        self.on_retry = on_retry
        self.client_id = client_id
        if isinstance(auth, httpx.Auth):
            self.auth: httpx.Auth = auth
        else:
            self.auth = self._make_auth(
                auth, client_id, client_secret, token_cache, token_cache_key
            )
        self.auth_method = auth if isinstance(auth, str) else type(auth).__name__
        self._client_auth: httpx.Auth | None = None
        if client_id and client_secret is not None:
            from ofsc_cli.client.auth import BasicAuth

            # The token service takes the client credentials, whatever the client's auth.
            self._client_auth = BasicAuth(client_id, self.instance, client_secret)
        self.retry = (retry or RetryPolicy()).with_overrides(
            max_retries=max_retries, max_delay=max_retry_delay, backoff_base=retry_backoff
        )
        if breakers is None:  # not `breakers or …`: an empty CircuitBreakers is falsy
            breakers = CircuitBreakers(
                failure_threshold=circuit_failure_threshold, reset_timeout=circuit_reset_timeout
            )
        self.breakers = breakers
        self.timeout = httpx.Timeout(timeout, connect=connect_timeout)
        self.limits = httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive_connections,
            keepalive_expiry=keepalive_expiry,
        )
        self.http2 = http2
        self.headers = {
            "User-Agent": f"ofsc-cli/{__version__}",
            "Accept": "application/json",
            **(headers or {}),
        }
        self._rng = rng or random.Random()
        self.validate = validate
        self.profile = profile
        self.audit_log = os.fspath(audit_log) if audit_log is not None else None
        self.audit: AuditLog | None = None
        """The audit layer (:mod:`ofsc_cli.client.audit`) when ``audit_log`` is set."""
        if self.audit_log is not None:
            from ofsc_cli.client.audit import AuditLog

            self.audit = AuditLog(  # checks the file now, not at the first write
                self.audit_log, profile=profile, instance=self.instance, client_id=client_id
            )
        self.tracing = tracing
        # Your own checks and result processing (see ofsc_cli.client.extensions).
        self._validators = client_hooks(validators, "validators")
        self._processors = client_hooks(response_processors, "response_processors")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, auth={self.auth_method!r})"

    def _make_auth(
        self,
        kind: str,
        client_id: str | None,
        secret: str | None,
        cache: TokenCache | None,
        cache_key: str | None,
    ) -> httpx.Auth:
        from ofsc_cli.client.auth import BasicAuth, OAuth2ClientCredentials, token_url_for

        if not client_id or secret is None:
            raise OFSValidationError("client_id and client_secret are required")
        if kind == "basic":
            return BasicAuth(client_id, self.instance, secret)
        if kind == "oauth2":
            return OAuth2ClientCredentials(
                token_url_for(self.base_url),
                client_id,
                self.instance,
                secret,
                base_url=self.base_url,
                cache=cache,
                cache_key=cache_key,
            )
        raise OFSValidationError(f"unknown auth method {kind!r}: use 'basic' or 'oauth2'")

    @property
    def last_response(self) -> httpx.Response | None:
        """The response of this client's latest call in the current thread or asyncio task
        (whatever its status; after retries and middleware), or ``None`` before the first
        call and after a call that got no answer (connection failure, open circuit).

        Tasks started with ``asyncio.gather``/``create_task`` (as ``iter(concurrency=N)``
        does) record their calls in their own context only; use
        :func:`~ofsc_cli.client.middleware.response_of` or ``page.response`` there."""
        return self._last_response.get()

    def _ensure_open(self) -> None:
        """Raise :class:`OFSClientClosedError` once the client has been closed."""
        if self.http.is_closed:
            raise OFSClientClosedError(
                f"{type(self).__name__} for {self.base_url} is closed: make a new client"
                " (or use this one only inside its `with` block)"
            )

    def _builtin_layers(self) -> tuple[list[Any], list[Any]]:
        """The built-in layers of the request chain, outermost first: those run once per
        call (outside the retries) and those run once per attempt (inside them, before the
        user's middleware).  Each is an object with a sync ``__call__`` and an async
        ``handle_async`` (see :mod:`ofsc_cli.client.middleware` for the order)."""
        per_call: list[Any] = []
        per_attempt: list[Any] = []
        if self.audit is not None:
            per_call.append(self.audit)  # the outermost call layer: one line per call
        tracing = self.tracing
        if tracing is False and "ofsc_cli.client.tracing" in sys.modules:
            # inside a `tracing.traced(provider)` block (never imported otherwise)
            tracing = sys.modules["ofsc_cli.client.tracing"].ambient_provider() or False
        if tracing is not False and tracing is not None:
            from ofsc_cli.client.tracing import Tracing

            per_call.append(Tracing(None if tracing is True else tracing, profile=self.profile))
        # The request log (ofsc_cli.client.log): always on, a level check when logging is off.
        per_attempt.append(RequestLog(self.profile, self._log_secrets))
        return per_call, per_attempt

    def _log_secrets(self) -> list[str]:
        """What the request log scrubs: the secrets and current token of this client's auth."""
        return auth_secrets(self.auth, self._client_auth)

    def _auth_for(self, spec: EndpointSpec) -> httpx.Auth | None:
        return self._client_auth if spec.client_auth else None

    def _client_kwargs(self, *, custom_transport: bool = False) -> dict[str, Any]:
        """``httpx.Client``/``AsyncClient`` options; a custom transport gets no proxy (it
        decides where requests go: httpx already ignores the proxy variables for one).  A
        plain ``http://`` base URL gets a TLS context that reads its CA certificates only if
        a TLS connection is ever made (see :mod:`ofsc_cli.client._tls`)."""
        return {
            "base_url": self.base_url,
            "auth": self.auth,
            "timeout": self.timeout,
            "limits": self.limits,
            "http2": self.http2,
            "verify": _transport_verify(self.verify, self.base_url, self.trust_env),
            "proxy": None if custom_transport else self.proxy,
            "trust_env": self.trust_env,
            "headers": self.headers,
        }

    # -- request building -------------------------------------------------------------

    def _url(self, spec: EndpointSpec, args: Args) -> str:
        from ofsc_cli.client.paths import fill_path

        return fill_path(spec.key, spec.path, args.path)

    def build(self, spec: EndpointSpec, args: Args) -> httpx.Request:
        """Returns the request the declared operation ``spec`` sends for ``args`` (nothing is
        sent).  Raises :class:`OFSValidationError` for a path value, query or body refused
        before sending."""
        request: httpx.Request = self.http.build_request(**self.request_kwargs(spec, args))
        request.extensions[OPERATION] = spec.key
        request.extensions[PATH_TEMPLATE] = spec.path
        return request

    def request_kwargs(self, spec: EndpointSpec, args: Args) -> dict[str, Any]:
        """Returns the keyword arguments of ``httpx`` ``build_request``/``stream`` for the
        operation ``spec`` with ``args``.  Raises :class:`OFSValidationError` for a path value,
        query or body refused before sending (:class:`~ofsc_cli.client.reader.BodyEncodingError`
        for a body with no JSON form)."""
        url = self._url(spec, args)
        params = check_query_size(spec.key, encode_query(args.query))
        body = _jsonable(args.json) if args.json is not None else None
        if self.validate:
            from ofsc_cli.client._validate import check_operation

            check_operation(spec, params, body)
        kwargs: dict[str, Any] = {"method": spec.method, "url": url, "params": params}
        if args.headers:
            kwargs["headers"] = dict(args.headers)
        if body is not None:
            from ofsc_cli.client.reader import encode_json  # NaN refused: exit 2, not sent

            kwargs["content"] = encode_json(body, what=spec.key)
            kwargs.setdefault("headers", {})["Content-Type"] = "application/json"
            if self._validators or VALIDATORS.hooks:  # encoded first: checks cannot edit it
                from ofsc_cli.client.extensions import run_validators

                run_validators(spec, body, args.json, self._validators)
        elif args.content is not None:
            kwargs["content"] = args.content
        elif args.files is not None:
            kwargs["files"] = dict(args.files)
        elif args.data is not None:
            kwargs["data"] = dict(args.data)
        return kwargs

    # -- sending: the retry and circuit-breaker flow ----------------------------------

    def _send_flow(
        self, request: httpx.Request, *, stream: bool = False, auth: httpx.Auth | None = None
    ) -> Generator[Step, httpx.Response | httpx.HTTPError | None, httpx.Response]:
        """Send ``request`` with retries and the host's circuit breaker.

        Yields :class:`Send` and :class:`Sleep` steps; the driver answers a ``Send`` with the
        response or the ``httpx.HTTPError`` raised, and a ``Sleep`` with ``None``.  Returns the
        final response (which may be an error status: see :meth:`_check`).  Raises the typed
        error of a transport failure (:func:`error_from_exception`; one the retry policy does
        not know is not retried), wrapped in :class:`OFSRetriesExhaustedError` when retries
        were made, and :class:`OFSCircuitOpenError` when the breaker refuses the first
        attempt.  A breaker that opens while this request is being retried after transport
        failures ends the retries: the host is unreachable, so the retry budget is spent.
        """
        breaker = self.breakers.for_host(host_key(str(request.url)))
        attempt = 0
        last_error: OFSError | None = None
        while True:
            if not breaker.allow():
                wait = breaker.retry_in()
                circuit = OFSCircuitOpenError(
                    f"circuit open for {request.url.host}: too many consecutive failures;"
                    f" next attempt allowed in {wait:.0f}s",
                    retry_in=wait,
                    method=request.method,
                    url=redact_url(request.url),
                )
                if last_error is None:
                    raise circuit
                made = f"{attempt} attempt" + ("s" if attempt > 1 else "")
                raise OFSRetriesExhaustedError(
                    f"gave up after {made} (circuit now open): {last_error}",
                    attempts=attempt,
                    last_error=last_error,
                )
            attempt += 1
            request.extensions[ATTEMPT] = attempt
            outcome = yield Send(request, stream, auth)
            if isinstance(outcome, httpx.Response):
                status = outcome.status_code
                if status >= 500:
                    breaker.record_failure()
                else:
                    breaker.record_success()
                last_error = None
                delay = self.retry.decide(
                    attempt=attempt,
                    method=request.method,
                    status=status,
                    retry_after=outcome.headers.get("Retry-After"),
                    rng=self._rng,
                    now=datetime.now(UTC),
                )
                if delay is None:
                    if attempt > 1 and status in self.retry.retry_statuses:
                        raise OFSRetriesExhaustedError(
                            f"gave up after {attempt} attempts: {error_from_response(outcome)}",
                            attempts=attempt,
                            last_error=error_from_response(outcome),
                        )
                    return outcome
                self._notify_retry(request, attempt, delay, _retry_reason(outcome, None))
                yield Sleep(delay, discard=outcome)
                continue
            assert isinstance(outcome, httpx.HTTPError)
            error = error_from_exception(outcome, request)
            failure = classify_exception(outcome)
            if failure is None:
                # Not a transient transport failure (a body that cannot be decoded, a local
                # protocol error, an unsupported scheme): the server was not at fault.
                breaker.record_success()
                delay = None
            else:
                breaker.record_failure()
                delay = self.retry.decide(
                    attempt=attempt, method=request.method, failure=failure, rng=self._rng
                )
            if delay is None:
                if attempt > 1:
                    raise OFSRetriesExhaustedError(
                        f"gave up after {attempt} attempts: {error}",
                        attempts=attempt,
                        last_error=error,
                    ) from outcome
                raise error from outcome
            last_error = error
            self._notify_retry(request, attempt, delay, _retry_reason(outcome, failure))
            yield Sleep(delay)

    def _notify_retry(self, request: httpx.Request, attempt: int, delay: float, why: str) -> None:
        listeners = request.extensions.get(RETRY_LISTENERS, ())
        if self.on_retry is None and not listeners and not retry_logged():
            return
        notice = RetryNotice(
            method=request.method,
            url=redact_url(request.url),
            attempt=attempt + 1,
            max_attempts=self.retry.max_attempts,
            delay=delay,
            reason=why,
        )
        log_retry(request, self.profile, notice)
        for listener in listeners:
            listener(notice)
        if self.on_retry is not None:
            self.on_retry(notice)

    # -- responses ----------------------------------------------------------------------

    def _check(self, response: httpx.Response) -> httpx.Response:
        if response.is_success:
            return response
        raise error_from_response(response)

    def _processed(self, spec: EndpointSpec, result: Any, response: httpx.Response) -> Any:
        """``result`` (already linked to ``response``) after the response processors (see
        :mod:`ofsc_cli.client.extensions`); raises ``OFSResponseProcessorError`` when one
        fails."""
        if not (self._processors or PROCESSORS.hooks):
            return result
        from ofsc_cli.client.extensions import run_processors

        return run_processors(spec, result, response, self._processors)

    def _parse(self, spec: EndpointSpec, response: httpx.Response) -> Any:
        """The operation's result from a successful (already read) response."""
        self._check(response)
        kind = spec.response
        if kind is NoContent:
            return None
        if kind is bytes:
            return response.content
        if kind is httpx.Response:
            return response
        if not response.content:
            if kind in (dict, list, object):
                return None
            raise OFSSerializationError(
                f"HTTP {response.status_code} {spec.method} {response.request.url.path}:"
                " empty body where an object was expected",
                status_code=response.status_code,
                method=spec.method,
                url=redact_url(response.request.url),
            )
        try:
            if kind in (dict, list, object):
                return response.json()
            if kind is RawPage:
                from ofsc_cli.models import Page

                data = response.json()
                if not isinstance(data, dict):
                    raise ValueError("expected a JSON object")
                return Page.model_construct(**data)
            return kind.model_validate_json(response.content)
        except ValueError as exc:
            # The answer stays reachable: its bytes, and its JSON when it is JSON.
            body: Any = None
            try:
                body = response.json()
            except ValueError:  # not JSON (or not text) at all
                is_json = False
            else:
                is_json = True
            raise OFSSerializationError(
                f"HTTP {response.status_code} {spec.method} {response.request.url.path}:"
                f" unexpected response body: {str(exc).splitlines()[0]}",
                status_code=response.status_code,
                method=spec.method,
                url=redact_url(response.request.url),
                body=body,
                content=response.content,
                is_json=is_json,
                model=getattr(kind, "__name__", None) or str(kind),
                validation_error=str(exc),
            ) from None
