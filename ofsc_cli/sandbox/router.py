"""Route registration and dispatch over the operation catalog.

Handlers register against a **spec** path template::

    @route("GET", "/rest/ofscMetadata/v1/workZones/{label}")
    def get_work_zone(call: Call) -> Response: ...

Registration fails (``ValueError``) unless the catalog holds that method + template, so a
handler can never serve a path OFS does not have.  :func:`resolve` maps a concrete request to
its catalog operation (404 for an unknown path, 405 with ``Allow`` for a known path and wrong
method); :func:`validate_request` applies the catalog's validator (``ofsc_cli.catalog.validate``,
shared with ``ofsc api``) before any handler runs, as a live tenant does by default and to the
letter in strict mode; :func:`handler_for` gives the registered handler or a 501 "not emulated"
error.

Each operation has exactly one handler: registering a second one for the same ``METHOD path``
raises ``ValueError`` naming both (at import time, since handler modules register as they are
imported).  :func:`emulated_operations` is the set of operation keys the emulator serves (the
``EndpointSpec.key`` format, ``"GET /rest/ofscCore/v1/activities"``) and
:func:`operation_owners` the handler module of each; both import every handler module first.

A few routes live tenants serve are missing from the spec (NOTES §9, e.g. ``POST linkTemplates``
with the label in the body).  :func:`add_live_route` registers such a route, borrowing the
parameters of the spec operation it resembles; :func:`resolve` consults them in live mode
only, so strict mode answers them as the spec says (404 / 405).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

from ofsc_cli.catalog import Operation, load_catalog
from ofsc_cli.sandbox._http import OFSHTTPError, Request, Response

if TYPE_CHECKING:
    from ofsc_cli.sandbox.app import Emulator
    from ofsc_cli.sandbox.store import Store

__all__ = [
    "Call",
    "Handler",
    "add_live_route",
    "add_route",
    "emulated_operations",
    "handler_for",
    "live_routes",
    "operation_owners",
    "parse_id",
    "registered_routes",
    "resolve",
    "route",
    "validate_path",
    "validate_request",
]

_INTEGER = re.compile(r"-?[0-9]{1,19}")
#: Integer ids are SQLite INTEGERs (signed 64-bit): anything outside names no object.
ID_MIN, ID_MAX = -(2**63), 2**63 - 1
#: Length limits the OFS documentation states outside the parameter schemas.
_MAX_LENGTH = {"resourceId": 32}
_TRUE_FALSE = {"true": True, "false": False, "1": True, "0": False}


@dataclass
class Call:
    """Everything a handler gets: the request, its operation and path parameters, the store."""

    request: Request
    op: Operation
    params: dict[str, str]
    emulator: Emulator
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def store(self) -> Store:
        return self.emulator.store

    def param(self, name: str) -> str:
        """A path parameter."""
        return self.params[name]

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        return self.request.arg(name, default)

    def int_arg(self, name: str, default: int | None = None) -> int | None:
        """An integer query parameter (already type-checked by :func:`validate_request`)."""
        value = self.arg(name)
        return int(value) if value not in (None, "") else default

    def bool_arg(self, name: str, default: bool = False) -> bool:
        value = self.arg(name)
        return _TRUE_FALSE[value.lower()] if value else default

    def list_arg(self, name: str) -> list[str] | None:
        """A CSV query parameter as a list (repeated parameters are joined); None if absent."""
        values = self.request.query.get(name)
        if values is None:
            return None
        return [part.strip() for value in values for part in value.split(",") if part.strip()]

    def json(self) -> Any:
        return self.request.json()

    def json_object(self) -> dict[str, Any]:
        return self.request.json_object()


Handler = Callable[[Call], Response]
H = TypeVar("H", bound=Handler)

_HANDLERS: dict[str, Handler] = {}
#: Operation key -> the module that registered its handler (see :func:`_registrant`).
_OWNERS: dict[str, str] = {}
#: Live-only routes (not in the spec): operation key -> (operation, handler).
_LIVE_ROUTES: dict[str, tuple[Operation, Handler]] = {}
_LIVE_OWNERS: dict[str, str] = {}


def _registrant(handler: Handler) -> str:
    """The module whose top-level code is registering ``handler`` (the nearest module-level
    frame on the stack, so a helper that registers on a module's behalf, such as
    ``metadata.register``, still names that module); the handler's own module when no
    module is being imported (a registration from a function, e.g. in a test)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>":
            name = frame.f_globals.get("__name__")
            if isinstance(name, str) and name.startswith(f"{__package__}."):
                return name
            break
        frame = frame.f_back
    inner: Any = handler
    while isinstance(inner, functools.partial):
        inner = inner.func
    return str(getattr(inner, "__module__", None) or "?")


def _describe(module: str, handler: Handler) -> str:
    inner: Any = handler
    while isinstance(inner, functools.partial):
        inner = inner.func
    return f"{module}:{getattr(inner, '__qualname__', type(inner).__name__)}"


def add_route(method: str, template: str, handler: Handler) -> None:
    """Register ``handler`` for the catalog operation ``method`` + ``template``; a second
    handler for one operation is a ``ValueError`` naming both."""
    op = load_catalog().get(method, template)
    if op is None:
        raise ValueError(f"{method} {template} is not an operation of the OFS spec")
    owner = _registrant(handler)
    if op.key in _HANDLERS:
        first = _describe(_OWNERS.get(op.key, "?"), _HANDLERS[op.key])
        raise ValueError(
            f"{op.key} already has a handler ({first}); "
            f"{_describe(owner, handler)} registers it again"
        )
    _HANDLERS[op.key] = handler
    _OWNERS[op.key] = owner


def route(method: str, template: str) -> Callable[[H], H]:
    """Decorator form of :func:`add_route`."""

    def register(handler: H) -> H:
        add_route(method, template, handler)
        return handler

    return register


def add_live_route(method: str, template: str, like: str, handler: Handler) -> None:
    """Register ``handler`` for ``method`` + ``template``, a route live tenants serve but the
    spec lacks; its parameters are those of the spec operation ``like`` (an operation key)."""
    catalog = load_catalog()
    if catalog.get(method, template) is not None:
        raise ValueError(f"{method} {template} is an operation of the OFS spec; use add_route")
    base = catalog.by_key.get(like)
    if base is None:
        raise ValueError(f"{like} is not an operation of the OFS spec")
    key = f"{method.upper()} {template}"
    owner = _registrant(handler)
    if key in _LIVE_ROUTES:
        first = _describe(_LIVE_OWNERS.get(key, "?"), _LIVE_ROUTES[key][1])
        raise ValueError(
            f"{key} already has a handler ({first}); {_describe(owner, handler)} registers it again"
        )
    op = dataclasses.replace(
        base,
        key=key,
        operation_id=None,
        method=method.upper(),
        path=template,
        path_params=tuple(p for p in base.path_params if f"{{{p.name}}}" in template),
    )
    _LIVE_ROUTES[key] = (op, handler)
    _LIVE_OWNERS[key] = owner


def live_routes() -> list[tuple[str, str]]:
    """Every live-only ``(method, template)``, sorted."""
    _load_handlers()
    return sorted((op.method, op.path) for op, _ in _LIVE_ROUTES.values())


def _match_live(method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    segments = path.split("/")
    for op, _ in _LIVE_ROUTES.values():
        parts = op.path.split("/")
        if op.method != method or len(parts) != len(segments):
            continue
        params: dict[str, str] = {}
        for part, segment in zip(parts, segments, strict=True):
            if part.startswith("{") and part.endswith("}") and segment:
                params[part[1:-1]] = segment
            elif part != segment:
                break
        else:
            return op, params
    return None


def registered_routes() -> list[tuple[str, str]]:
    """Every ``(method, template)`` that has a handler, sorted."""
    _load_handlers()
    return sorted(tuple(key.split(" ", 1)) for key in _HANDLERS)  # type: ignore[misc]


def emulated_operations() -> frozenset[str]:
    """The key of every spec operation that has a handler (``"GET /rest/ofscCore/v1/users"``,
    the format of ``EndpointSpec.key``); live-only routes are not spec operations and are
    left out (see :func:`live_routes`)."""
    _load_handlers()
    return frozenset(_HANDLERS)


def operation_owners() -> Mapping[str, str]:
    """Operation key -> the handler module that serves it, for every emulated spec
    operation, sorted by key."""
    _load_handlers()
    return {key: _OWNERS.get(key, "?") for key in sorted(_HANDLERS)}


def _load_handlers() -> None:
    import ofsc_cli.sandbox.handlers  # noqa: F401  (registers every handler module)


def handler_for(op: Operation) -> Handler:
    """The handler registered for ``op``; a 501 OFS error when the sandbox lacks one."""
    _load_handlers()
    handler = _HANDLERS.get(op.key)
    if handler is None and op.key in _LIVE_ROUTES:
        handler = _LIVE_ROUTES[op.key][1]
    if handler is None:
        raise OFSHTTPError(
            501, "Not Implemented", f"{op.method} {op.path} is not emulated by the sandbox."
        )
    return handler


def resolve(request: Request, *, strict: bool = False) -> tuple[Operation, dict[str, str]]:
    """The catalog operation and path parameters of a request (404 / 405 otherwise).

    A trailing slash is tolerated, as live tenants do (``folders/`` answers like
    ``folders``); strict mode refuses it with a 400, since no spec path has one.
    """
    catalog = load_catalog()
    if len(request.path) > 1 and request.path.endswith("/"):
        if strict:
            raise OFSHTTPError(
                400,
                "Bad Request",
                f"Invalid request (strict mode): trailing slash in {request.path}.",
            )
        request.path = request.path.rstrip("/") or "/"
    found = catalog.match(request.method, request.path)
    if found is not None:
        return found
    if not strict:
        _load_handlers()
        live = _match_live(request.method, request.path)
        if live is not None:
            return live
    by_path = catalog.match_path(request.path)
    if by_path is None:
        raise OFSHTTPError(404, "Not Found", f"No resource matches {request.path}.")
    _, _, ops = by_path
    allowed = ", ".join(sorted(op.method for op in ops))
    raise OFSHTTPError(
        405,
        "Method Not Allowed",
        f"{request.method} is not allowed on {request.path}; allowed: {allowed}.",
        headers={"Allow": allowed},
    )


def parse_id(value: object) -> int | None:
    """An integer id: an ``int`` (not a bool) or ASCII digits with an optional ``-``, within
    the signed 64-bit range; None for anything else (such an id names no object)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INTEGER.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if ID_MIN <= number <= ID_MAX else None


def validate_request(op: Operation, request: Request, *, strict: bool = False) -> None:
    """Check a request with the catalog's validator (the one ``ofsc api`` uses); a 400 OFS
    error names the first violations.

    Live mode (the default) checks what a live tenant checks: known query parameters'
    types, enumerations and required ones; unknown parameters are ignored, a ``limit`` above
    the maximum is clamped by the handler.  Strict mode checks everything the spec says:
    unknown query parameters, exact booleans, ranges, and the JSON or form body against the
    operation's schema, so that a client tested against it sends only what the spec allows.
    """
    from ofsc_cli.catalog import validate

    query = {name: values for name, values in request.query.items()}
    if strict:
        problems = validate.check_request(load_catalog(), op, query=query, **_body_of(op, request))
    else:
        problems = validate.check_query(op, query, allow_unknown=True, lenient=True)
    if problems:
        shown = "; ".join(problems[: validate.MAX_PROBLEMS])
        mode = " (strict mode)" if strict else ""
        raise OFSHTTPError(400, "Bad Request", f"Invalid request{mode}: {shown}.")


def _body_of(op: Operation, request: Request) -> dict[str, Any]:
    """The body of ``request`` in the form :func:`validate.check_request` takes."""
    from urllib.parse import parse_qs

    if not request.body:
        return {}
    kind = (request.header("content-type") or "").split(";")[0].strip().lower()
    if op.form_params and kind == "application/x-www-form-urlencoded":
        text = request.body.decode("utf-8", "replace")
        return {"form": {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}}
    return {"content": request.body}  # JSON is parsed there; multipart is not checked by field


def validate_path(op: Operation, params: dict[str, str]) -> None:
    """Path parameters: a value outside an enum, or not an integer id (not digits, or beyond
    64 bits: no object can have it), is a 404; too long a value is a 400."""
    for param in op.path_params:
        value = params.get(param.name)
        if value is None:
            continue
        bad = (param.enum is not None and value not in param.enum) or (
            param.type == "integer" and parse_id(value) is None
        )
        if bad:
            raise OFSHTTPError(404, "Not Found", f"'{value}' is not a valid {param.name}.")
        max_length = param.max_length or _MAX_LENGTH.get(param.name)
        if max_length is not None and len(value) > max_length:
            raise OFSHTTPError(
                400, "Bad Request", f"'{param.name}' is longer than {max_length} characters."
            )
