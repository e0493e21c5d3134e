"""The request log: one structured record per attempt, through :mod:`logging`.

Every client logs its requests on the logger ``ofsc_cli.http`` (a built-in attempt layer of
the request chain, see :mod:`ofsc_cli.client.middleware`), and, with their headers and
bodies, on ``ofsc_cli.http.dump``.  Nothing is shown until you configure :mod:`logging`::

    import logging

    logging.basicConfig(level=logging.INFO)  # a line per attempt, retry and token fetch

    with OFSC.from_profile("prod") as client:
        client.metadata.list_work_zones()
    # INFO:ofsc_cli.http:GET https://acme…/rest/ofscMetadata/v1/workZones → 200 OK (41 ms)

``level=logging.DEBUG`` adds a line before each attempt and the dumps; keep the dumps out
with ``logging.getLogger("ofsc_cli.http.dump").setLevel(logging.INFO)``.

The events, their level and the text of their message:

============  ===============  ==========================================================
``request``   DEBUG            ``sending GET https://… (attempt 1)``, before each attempt
``response``  INFO (WARNING    ``GET https://… → 200 OK (41 ms)``, after each attempt
              from 400 on)
``error``     WARNING          ``GET https://… → failed: ConnectError: … (3 ms)``: the
                               attempt got no answer (the exception is raised on)
``retry``     WARNING          ``retrying GET https://… in 1.0s (attempt 2/4): HTTP 503 …``
``token``     INFO (WARNING    ``POST https://…/token → 200 OK (12 ms)``: an OAuth2 token
              from 400 on)     fetched (inside the attempt that needed it)
``dump``      DEBUG, on        the headers and body of a request or response, as sent and
              ``….dump``       received: credentials masked, bodies cut at 2,000 characters
============  ===============  ==========================================================

Each record carries its fields as a dict in ``record.ofsc`` (a formatter or filter reads
them; the CLI's ``--log-format json`` writes them out): ``event``, ``method``, ``url`` (no
user info, secret query values masked: :func:`~ofsc_cli.client.http.redact_url`),
``attempt`` (1, 2, …), ``operation`` (the operation key of a declared call, such as
``"GET /rest/ofscMetadata/v1/workZones"``; ``None`` for ``client.request()``), ``profile``
(the client's ``profile``), and, by event: ``status``, ``reason``, ``duration_ms``,
``request_id`` (the first of the response headers :data:`REQUEST_ID_HEADERS` present, else
``None``), ``error`` and ``error_type``, ``max_attempts`` and ``delay_s``, ``direction``,
``headers``, ``body`` and ``body_bytes``::

    class Fields(logging.Filter):
        def filter(self, record):
            fields = getattr(record, "ofsc", {})
            if fields.get("event") == "response":
                print(fields["status"], fields["duration_ms"], fields["operation"])
            return True

    logging.getLogger("ofsc_cli.http").addFilter(Fields())

No record holds a secret: ``Authorization``, ``Cookie`` and other credential headers keep only
their scheme (``Basic ****``); ``client_secret``, ``access_token``, ``assertion``,
``password`` and other credential fields of JSON and form bodies are masked; the client's
own secret, Basic credentials and current token are replaced wherever else they occur.
When the logger is off, an attempt costs a clock reading and two level checks more; on,
the records of each attempt are made directly (no stack walk), and only for the levels
enabled.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import Any

import httpx

from ofsc_cli.client.http import SECRET_QUERY_NAMES, _exception_text, redact_url
from ofsc_cli.client.middleware import ATTEMPT, OPERATION, AsyncCallNext, CallNext

__all__ = [
    "DUMP_LIMIT",
    "DUMP_LOGGER",
    "LOGGER",
    "REQUEST_ID_HEADERS",
    "SECRET_FIELDS",
    "SECRET_HEADERS",
    "RequestLog",
    "auth_secrets",
    "log_retry",
    "log_token",
    "mask_body",
    "mask_headers",
    "request_id_of",
    "retry_logged",
    "scrub",
]

LOGGER = "ofsc_cli.http"
"""The logger of the request events."""
DUMP_LOGGER = "ofsc_cli.http.dump"
"""The logger of the header and body dumps (DEBUG)."""

REQUEST_ID_HEADERS = ("x-request-id", "x-oracle-dms-ecid", "opc-request-id")
"""Response headers read, in this order, for a record's ``request_id``."""
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-auth-token"}
)
"""Headers whose value is masked in dumps (the scheme of an ``Authorization`` is kept)."""
SECRET_FIELDS = frozenset(
    {
        "client_secret",
        "access_token",
        "refresh_token",
        "id_token",
        "token",
        "assertion",
        "password",
        "secret",
    }
)
"""Names of JSON members and form fields whose value is masked in dumps."""
DUMP_LIMIT = 2000
"""Characters of a body kept in a dump."""
MASK = "****"

_log = logging.getLogger(LOGGER)
_dump = logging.getLogger(DUMP_LOGGER)
# A library logs to no handler of its own; without one here, Python's last-resort handler
# would print warnings (a 404, a retry) on stderr of every program using the client.
_log.addHandler(logging.NullHandler())

_DEBUG, _INFO, _WARNING = logging.DEBUG, logging.INFO, logging.WARNING

_context: ContextVar[dict[str, Any] | None] = ContextVar("ofsc_request_log", default=None)
"""The fields of the attempt in progress (for the token events logged inside it)."""

Secrets = Callable[[], Iterable[str]]


class RequestLog:
    """The attempt layer that logs each attempt on ``ofsc_cli.http`` (see the module text).

    ``profile`` goes into every record; ``secrets`` returns the strings to scrub from dumps
    and error texts (the client's secret, its Basic credentials, its current token).  Works in
    both clients; re-raises whatever the rest of the chain raises, after logging it.
    """

    __slots__ = ("profile", "secrets")

    def __init__(self, profile: str | None = None, secrets: Secrets | None = None) -> None:
        self.profile = profile
        self.secrets = secrets

    def __repr__(self) -> str:
        return f"RequestLog(profile={self.profile!r})"

    def __call__(self, request: httpx.Request, call_next: CallNext) -> httpx.Response:
        """Log the attempt of ``request`` through ``call_next`` (the rest of the chain).

        Returns the response.  Raises whatever ``call_next`` raises, after logging it."""
        start = time.perf_counter()
        if not _log.isEnabledFor(_INFO):
            try:
                response = call_next(request)
            except Exception as exc:
                self._failed(request, exc, start)
                raise
            if response.status_code >= 400 or _dump.isEnabledFor(_DEBUG):
                self._answered(request, response, start)
            return response
        fields = self._begin(request)
        token = _context.set(fields)
        try:
            response = call_next(request)
        except Exception as exc:
            self._failed(request, exc, start, fields)
            raise
        finally:
            _context.reset(token)
        self._answered(request, response, start, fields)
        return response

    async def handle_async(
        self, request: httpx.Request, call_next: AsyncCallNext
    ) -> httpx.Response:
        """The async form of :meth:`__call__`: log the attempt of ``request`` through
        ``call_next``.

        Returns the response.  Raises whatever ``call_next`` raises, after logging it."""
        start = time.perf_counter()
        if not _log.isEnabledFor(_INFO):
            try:
                response = await call_next(request)
            except Exception as exc:
                self._failed(request, exc, start)
                raise
            if response.status_code >= 400 or _dump.isEnabledFor(_DEBUG):
                self._answered(request, response, start)
            return response
        fields = self._begin(request)
        token = _context.set(fields)
        try:
            response = await call_next(request)
        except Exception as exc:
            self._failed(request, exc, start, fields)
            raise
        finally:
            _context.reset(token)
        self._answered(request, response, start, fields)
        return response

    # -- records ------------------------------------------------------------------------

    def _fields(self, request: httpx.Request) -> dict[str, Any]:
        return _base_fields(request, self.profile)

    def _begin(self, request: httpx.Request) -> dict[str, Any]:
        fields = self._fields(request)
        if _log.isEnabledFor(_DEBUG):
            _emit(
                _DEBUG,
                {**fields, "event": "request"},
                "sending %s %s (attempt %s)",
                fields["method"],
                fields["url"],
                fields["attempt"],
            )
        return fields

    def _secrets(self) -> list[str]:
        return _usable_secrets(self.secrets() if self.secrets is not None else ())

    def _answered(
        self,
        request: httpx.Request,
        response: httpx.Response,
        start: float,
        fields: dict[str, Any] | None = None,
    ) -> None:
        ms = _elapsed_ms(start)
        status = response.status_code
        level = _INFO if status < 400 else _WARNING
        if _log.isEnabledFor(level):
            record = {
                **(fields or self._fields(request)),
                "event": "response",
                "status": status,
                "reason": response.reason_phrase,
                "duration_ms": ms,
                "request_id": request_id_of(response),
            }
            _emit(
                level,
                record,
                "%s %s → %s %s (%s ms)%s",
                record["method"],
                record["url"],
                status,
                response.reason_phrase,
                _ms_text(ms),
                _attempt_note(record["attempt"]),
            )
        if _dump.isEnabledFor(_DEBUG):
            secrets = self._secrets()
            sent = _request_of(response) or request
            context = fields or self._fields(request)
            _dump_request(sent, context, secrets)
            _dump_response(response, context, secrets)

    def _failed(
        self,
        request: httpx.Request,
        exc: Exception,
        start: float,
        fields: dict[str, Any] | None = None,
    ) -> None:
        if not (_log.isEnabledFor(_WARNING) or _dump.isEnabledFor(_DEBUG)):
            return
        ms = _elapsed_ms(start)
        secrets = self._secrets()
        context = fields or self._fields(request)
        if _dump.isEnabledFor(_DEBUG):
            _dump_request(request, context, secrets)
        if _log.isEnabledFor(_WARNING):
            error = scrub(_exception_text(exc), secrets)
            kind = type(exc).__name__
            _log.warning(
                "%s %s → failed: %s: %s (%s ms)%s",
                context["method"],
                context["url"],
                kind,
                error,
                _ms_text(ms),
                _attempt_note(context["attempt"]),
                extra={
                    "ofsc": {
                        **context,
                        "event": "error",
                        "error_type": kind,
                        "error": error,
                        "duration_ms": ms,
                    }
                },
            )


def retry_logged() -> bool:
    """Returns whether a ``retry`` event would be logged (the client skips building its
    notice when neither this log nor a callback wants it)."""
    return _log.isEnabledFor(_WARNING)


def log_retry(request: httpx.Request, profile: str | None, notice: Any) -> None:
    """Log the ``retry`` event of ``request`` (WARNING) for a client's retry ``notice`` (a
    :class:`~ofsc_cli.client.RetryNotice`: ``attempt`` is the attempt about to be made, of
    its ``max_attempts``), for the client of ``profile``."""
    if not _log.isEnabledFor(_WARNING):
        return
    fields = _base_fields(request, profile)
    fields.update(
        event="retry",
        attempt=notice.attempt,
        max_attempts=notice.max_attempts,
        delay_s=round(notice.delay, 3),
        reason=notice.reason,
    )
    _log.warning("%s", notice, extra={"ofsc": fields})


def log_token(
    request: httpx.Request,
    response: httpx.Response,
    start: float,
    secrets: Iterable[str] = (),
) -> None:
    """Log the ``token`` event of an OAuth2 token ``request`` answered by ``response`` (read),
    ``start`` being its :func:`time.perf_counter` time, and dump both when dumps are on.

    The attempt that needed the token lends its fields (``operation``, ``attempt``,
    ``profile``); ``secrets`` are scrubbed from the dump (the token in the body is masked)."""
    status = response.status_code
    level = _INFO if status < 400 else _WARNING
    dumping = _dump.isEnabledFor(_DEBUG)
    if not (_log.isEnabledFor(level) or dumping):
        return
    ms = _elapsed_ms(start)
    context = _context.get() or {"attempt": None, "operation": None, "profile": None}
    fields = {
        **context,
        "event": "token",
        "method": request.method,
        "url": redact_url(request.url),
        "status": status,
        "reason": response.reason_phrase,
        "duration_ms": ms,
        "request_id": request_id_of(response),
    }
    if _log.isEnabledFor(level):
        _log.log(
            level,
            "%s %s → %s %s (%s ms, token)",
            fields["method"],
            fields["url"],
            status,
            response.reason_phrase,
            _ms_text(ms),
            extra={"ofsc": fields},
        )
    if dumping:
        hidden = _usable_secrets(secrets)
        _dump_request(request, fields, hidden)
        _dump_response(response, fields, hidden)


# -- masking ----------------------------------------------------------------------------


def mask_headers(
    headers: httpx.Headers | Mapping[str, str], secrets: Iterable[str] = ()
) -> dict[str, str]:
    """Returns ``headers`` with credentials masked: ``Authorization: Basic ****`` (the scheme
    kept), ``Cookie: ****``; ``secrets`` replaced in every other value (see :func:`scrub`)."""
    hidden = _usable_secrets(secrets)
    masked: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in SECRET_HEADERS:
            scheme, space, _ = value.strip().partition(" ")
            value = f"{scheme} {MASK}" if space and scheme.isalpha() else MASK
        elif hidden:
            value = scrub(value, hidden)
        masked[name] = value
    return masked


def mask_body(
    content: bytes,
    content_type: str = "",
    secrets: Iterable[str] = (),
    *,
    limit: int = DUMP_LIMIT,
) -> str:
    """Returns a dump of the body ``content`` of ``content_type``: JSON and form fields
    named in :data:`SECRET_FIELDS` masked, ``secrets`` scrubbed, cut at ``limit`` characters
    (``… (N bytes)``); a binary body is shown as ``<N bytes of TYPE>``."""
    if not content:
        return ""
    kind = content_type.split(";", 1)[0].strip().lower()
    textual = (
        not kind
        or kind.startswith("text/")
        or "json" in kind
        or "xml" in kind
        or kind == "application/x-www-form-urlencoded"
    )
    if not textual:
        return f"<{len(content)} bytes of {kind}>"
    text = content.decode("utf-8", "replace")
    if kind == "application/x-www-form-urlencoded":
        text = _mask_form(text)
    elif "json" in kind or text.lstrip()[:1] in ("{", "["):
        text = _mask_json_text(text)
    else:
        text = _mask_loose(text)
    text = scrub(text, _usable_secrets(secrets))
    if len(text) > limit:
        return f"{text[:limit]}… ({len(content)} bytes)"
    return text


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Returns ``text`` with each of ``secrets`` replaced by ``****`` (longest first)."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, MASK)
    return text


def auth_secrets(*auths: Any) -> list[str]:
    """Returns what the given ``httpx.Auth`` objects (``auths``) of this package put on the
    wire or keep: the client secret, the Basic credentials (raw and base64), the current
    OAuth2 token."""
    found: list[str] = []
    for auth in auths:
        if auth is None:
            continue
        for name in ("_header", "_basic"):
            header = getattr(auth, name, None)
            if isinstance(header, str) and header.startswith("Basic "):
                encoded = header.removeprefix("Basic ")
                found.append(encoded)
                try:
                    raw = base64.b64decode(encoded).decode("utf-8")
                except ValueError:
                    continue
                found.append(raw)
                found.append(raw.partition(":")[2])
        secret = getattr(auth, "_secret", None)
        if isinstance(secret, str):
            found.append(secret)
        token = getattr(getattr(auth, "_token", None), "access_token", None)
        if isinstance(token, str):
            found.append(token)
    return found


# -- helpers ----------------------------------------------------------------------------


def request_id_of(response: httpx.Response) -> str | None:
    """Returns the request id ``response`` carries (:data:`REQUEST_ID_HEADERS`), or
    ``None``."""
    headers = response.headers
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    return None


_SECRET_QUERY_BYTES = tuple(name.encode() for name in SECRET_QUERY_NAMES)


def _shown_url(url: httpx.URL) -> str:
    """:func:`redact_url` of ``url``, without parsing it again when there is nothing to hide
    (no user info, no secret-looking name in the query): the common case, per request."""
    if not url.userinfo:
        query = url.query.lower()
        if not query or not any(name in query for name in _SECRET_QUERY_BYTES):
            return str(url)
    return redact_url(url)


def _emit(level: int, fields: dict[str, Any], message: str, *args: Any) -> None:
    """Hand a record of ``fields`` to the handlers of ``ofsc_cli.http`` (the caller checked
    the level): made directly, without the stack walk that finds the caller of a log call,
    which would cost more than the rest of the record."""
    record = _log.makeRecord(
        LOGGER, level, __file__, 0, message, args, None, extra={"ofsc": fields}
    )
    _log.handle(record)


def _base_fields(request: httpx.Request, profile: str | None) -> dict[str, Any]:
    extensions = request.extensions
    return {
        "event": None,
        "method": request.method,
        "url": _shown_url(request.url),
        "attempt": extensions.get(ATTEMPT, 1),
        "operation": extensions.get(OPERATION),
        "profile": profile,
    }


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def _ms_text(ms: float) -> str:
    return f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"


def _attempt_note(attempt: Any) -> str:
    return f" [attempt {attempt}]" if isinstance(attempt, int) and attempt > 1 else ""


def _usable_secrets(secrets: Iterable[str]) -> list[str]:
    """Distinct secrets long enough to be told apart from ordinary text, longest first."""
    return sorted({s for s in secrets if isinstance(s, str) and len(s) >= 4}, key=len, reverse=True)


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:  # a response made by a middleware, not tied to a request yet
        return None


def _request_body(request: httpx.Request) -> bytes | None:
    try:
        return request.content
    except httpx.RequestNotRead:
        return None


def _response_body(response: httpx.Response) -> bytes | None:
    try:
        return response.content
    except httpx.ResponseNotRead:
        return None


def _dump_request(request: httpx.Request, context: dict[str, Any], secrets: list[str]) -> None:
    start = f"{request.method} {redact_url(request.url)}"
    _dump_message(">", start, request.headers, _request_body(request), context, secrets, {})


def _dump_response(response: httpx.Response, context: dict[str, Any], secrets: list[str]) -> None:
    start = f"{response.status_code} {response.reason_phrase}"
    extra = {"status": response.status_code}
    _dump_message("<", start, response.headers, _response_body(response), context, secrets, extra)


def _dump_message(
    mark: str,
    start: str,
    raw_headers: httpx.Headers,
    content: bytes | None,
    context: dict[str, Any],
    secrets: list[str],
    extra: dict[str, Any],
) -> None:
    """One dump record: the start line, headers and body of a request (``>``) or a
    response (``<``), masked."""
    headers = mask_headers(raw_headers, secrets)
    body = (
        mask_body(content, raw_headers.get("content-type", ""), secrets)
        if content is not None
        else "<streamed body>"
    )
    lines = [f"{mark} {start}"]
    lines += [f"{mark} {name}: {value}" for name, value in headers.items()]
    if body:
        lines += [f"{mark} {line}" for line in body.splitlines() or [body]]
    _dump.debug(
        "%s",
        "\n".join(lines),
        extra={
            "ofsc": {
                **context,
                "event": "dump",
                "direction": "request" if mark == ">" else "response",
                **extra,
                "headers": headers,
                "body": body,
                "body_bytes": len(content) if content is not None else None,
            }
        },
    )


def _is_secret_name(name: str) -> bool:
    return name.lower() in SECRET_FIELDS


def _mask_value(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            key: MASK if isinstance(key, str) and _is_secret_name(key) else _mask_value(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_mask_value(item) for item in data]
    return data


def _mask_json_text(text: str) -> str:
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return _mask_loose(text)
    return json.dumps(_mask_value(data), ensure_ascii=False)


def _mask_form(text: str) -> str:
    from urllib.parse import parse_qsl, urlencode

    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return _mask_loose(text)
    return urlencode([(k, MASK if _is_secret_name(k) else v) for k, v in pairs])


def _mask_loose(text: str) -> str:
    """Mask the values of ``name=value`` and ``"name": "value"`` pairs of secret names in a
    text that is neither JSON nor a form."""
    import re

    lowered = text.lower()
    if not any(name in lowered for name in SECRET_FIELDS):
        return text
    names = "|".join(sorted(SECRET_FIELDS, key=len, reverse=True))
    text = re.sub(
        rf'("(?:{names})"\s*:\s*)"(?:[^"\\]|\\.)*"', rf'\1"{MASK}"', text, flags=re.IGNORECASE
    )
    text = re.sub(rf"\b((?:{names})=)[^&\s]*", rf"\g<1>{MASK}", text, flags=re.IGNORECASE)
    return text
