"""Everything the sync and async clients share: configuration, request building, the retry
and circuit-breaker flow, error mapping and response parsing.  No I/O happens here: the
clients in ``_sync.py`` and ``_async.py`` only drive :meth:`BaseClient._send_flow`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

import httpx

from ofsc_cli._version import __version__
from ofsc_cli.client._circuit import CircuitBreakers, host_key
from ofsc_cli.client._endpoint import Args, EndpointSpec, NoContent, RawPage
from ofsc_cli.client._retry import RetryPolicy, classify_exception
from ofsc_cli.errors import (
    OFSAPIError,
    OFSAuthenticationError,
    OFSCircuitOpenError,
    OFSConnectionError,
    OFSError,
    OFSRetriesExhaustedError,
    OFSSerializationError,
    OFSTimeoutError,
    OFSValidationError,
)

if TYPE_CHECKING:
    from ofsc_cli.client._token_cache import TokenCache

__all__ = ["BaseClient", "Send", "Sleep", "error_from_response", "redact_url"]

AuthKind = Literal["basic", "oauth2"]
SECRET_QUERY_NAMES = frozenset({"client_secret", "access_token", "token", "assertion", "password"})
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


def base_url_for(instance: str) -> str:
    return f"https://{instance}.{DEFAULT_HOST_SUFFIX}"


def redact_url(url: httpx.URL | str) -> str:
    """The URL without user info and with secret-looking query values masked."""
    url = httpx.URL(str(url))
    if url.userinfo:
        url = url.copy_with(username=None, password=None)
    if any(k.lower() in SECRET_QUERY_NAMES for k in url.params):
        params = [
            (k, "****" if k.lower() in SECRET_QUERY_NAMES else v)
            for k, v in url.params.multi_items()
        ]
        url = url.copy_with(params=params)
    return str(url)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(_query_value(v) for v in value)
    return str(value)


def encode_query(query: Mapping[str, Any]) -> dict[str, str]:
    """OFS query conventions: CSV lists, ``true``/``false``, ISO dates; ``None`` dropped."""
    return {k: _query_value(v) for k, v in query.items() if v is not None}


def _jsonable(body: Any) -> Any:
    from ofsc_cli.models import dump

    if isinstance(body, list):
        return [dump(x) for x in body]
    return dump(body)


def error_from_response(response: httpx.Response) -> OFSError:
    """The typed error for a non-2xx response, with the OFS error body fields."""
    request = response.request
    fields: dict[str, Any] = {}
    body: Any = None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError, httpx.ResponseNotRead):
        body = None
    if isinstance(body, dict):
        for name in ("type", "title", "detail"):
            if isinstance(body.get(name), str):
                fields[name] = body[name]
        if body.get("status") is not None:
            fields["status"] = str(body["status"])
        if body.get("o:errorCode") is not None:
            fields["error_code"] = str(body["o:errorCode"])
    code = response.status_code
    text = " ".join(
        part for part in (fields.get("title"), fields.get("detail")) if part and part != "Error"
    )
    if not text:
        text = response.reason_phrase or "error"
    message = f"HTTP {code} {request.method} {request.url.path}: {text}"
    kind: type[OFSError]
    if code in (401, 403):
        kind = OFSAuthenticationError
    elif code in (400, 422):
        kind = OFSValidationError
    else:
        kind = OFSAPIError
    return kind(
        message,
        status_code=code,
        method=request.method,
        url=redact_url(request.url),
        body=body,
        **fields,
    )


def error_from_exception(exc: httpx.HTTPError, request: httpx.Request | None) -> OFSError:
    """The typed error for a transport failure (no response)."""
    method = request.method if request is not None else None
    url = redact_url(request.url) if request is not None else None
    where = f"{method} {url}" if request is not None else "request"
    if isinstance(exc, httpx.TimeoutException):
        return OFSTimeoutError(f"timed out: {where} ({type(exc).__name__})", method=method, url=url)
    reason = str(exc) or type(exc).__name__
    return OFSConnectionError(f"cannot reach server: {where}: {reason}", method=method, url=url)


class BaseClient:
    """Configuration and the pure parts of a client."""

    http: httpx.Client | httpx.AsyncClient

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
        headers: Mapping[str, str] | None = None,
        token_cache: TokenCache | None = None,
        token_cache_key: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if base_url is None:
            if not instance:
                raise OFSValidationError("an instance name or a base_url is required")
            base_url = base_url_for(instance)
        self.base_url = base_url.rstrip("/")
        self.instance = instance or httpx.URL(self.base_url).host.split(".")[0]
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
            from ofsc_cli.client._auth import BasicAuth

            # The token service takes the client credentials, whatever the client's auth.
            self._client_auth = BasicAuth(client_id, self.instance, client_secret)
        self.retry = (retry or RetryPolicy()).with_overrides(
            max_retries=max_retries, max_delay=max_retry_delay, backoff_base=retry_backoff
        )
        self.breakers = breakers or CircuitBreakers(
            failure_threshold=circuit_failure_threshold, reset_timeout=circuit_reset_timeout
        )
        self.timeout = httpx.Timeout(timeout, connect=connect_timeout)
        self.limits = httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive_connections,
            keepalive_expiry=keepalive_expiry,
        )
        self.http2 = http2
        self.verify = verify
        self.headers = {
            "User-Agent": f"ofsc-cli/{__version__}",
            "Accept": "application/json",
            **(headers or {}),
        }
        self._rng = rng or random.Random()

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
        from ofsc_cli.client._auth import BasicAuth, OAuth2ClientCredentials

        if not client_id or secret is None:
            raise OFSValidationError("client_id and client_secret are required")
        if kind == "basic":
            return BasicAuth(client_id, self.instance, secret)
        if kind == "oauth2":
            return OAuth2ClientCredentials(
                f"{self.base_url}/rest/oauthTokenService/v2/token",
                client_id,
                self.instance,
                secret,
                cache=cache,
                cache_key=cache_key,
            )
        raise OFSValidationError(f"unknown auth method {kind!r}: use 'basic' or 'oauth2'")

    def _auth_for(self, spec: EndpointSpec) -> httpx.Auth | None:
        return self._client_auth if spec.client_auth else None

    def _client_kwargs(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "auth": self.auth,
            "timeout": self.timeout,
            "limits": self.limits,
            "http2": self.http2,
            "verify": self.verify,
            "headers": self.headers,
        }

    # -- request building -------------------------------------------------------------

    def _url(self, spec: EndpointSpec, args: Args) -> str:
        from ofsc_cli.client._paths import fill_path

        return fill_path(spec.key, spec.path, args.path)

    def build(self, spec: EndpointSpec, args: Args) -> httpx.Request:
        """The request a declared operation sends for ``args`` (nothing is sent)."""
        request: httpx.Request = self.http.build_request(**self.request_kwargs(spec, args))
        return request

    def request_kwargs(self, spec: EndpointSpec, args: Args) -> dict[str, Any]:
        """Keyword arguments for ``httpx`` ``build_request``/``stream`` for one operation."""
        kwargs: dict[str, Any] = {
            "method": spec.method,
            "url": self._url(spec, args),
            "params": encode_query(args.query),
        }
        if args.headers:
            kwargs["headers"] = dict(args.headers)
        if args.json is not None:
            try:
                kwargs["content"] = json.dumps(_jsonable(args.json)).encode()
            except (TypeError, ValueError) as exc:
                raise OFSSerializationError(f"{spec.key}: body is not JSON: {exc}") from None
            kwargs.setdefault("headers", {})["Content-Type"] = "application/json"
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
        final response (which may be an error status: see :meth:`_check`); raises
        :class:`OFSCircuitOpenError`, or the transport error, possibly wrapped in
        :class:`OFSRetriesExhaustedError` when retries were made.
        """
        breaker = self.breakers.for_host(host_key(str(request.url)))
        attempt = 0
        while True:
            if not breaker.allow():
                wait = breaker.retry_in()
                raise OFSCircuitOpenError(
                    f"circuit open for {request.url.host}: too many consecutive failures;"
                    f" next attempt allowed in {wait:.0f}s",
                    retry_in=wait,
                    method=request.method,
                    url=redact_url(request.url),
                )
            attempt += 1
            outcome = yield Send(request, stream, auth)
            if isinstance(outcome, httpx.Response):
                status = outcome.status_code
                if status >= 500:
                    breaker.record_failure()
                else:
                    breaker.record_success()
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
                yield Sleep(delay, discard=outcome)
                continue
            assert isinstance(outcome, httpx.HTTPError)
            breaker.record_failure()
            error = error_from_exception(outcome, request)
            failure = classify_exception(outcome)
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
            yield Sleep(delay)

    # -- responses ----------------------------------------------------------------------

    def _check(self, response: httpx.Response) -> httpx.Response:
        if response.is_success:
            return response
        raise error_from_response(response)

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
            raise OFSSerializationError(
                f"HTTP {response.status_code} {spec.method} {response.request.url.path}:"
                f" unexpected response body: {str(exc).splitlines()[0]}",
                status_code=response.status_code,
                method=spec.method,
                url=redact_url(response.request.url),
            ) from None
