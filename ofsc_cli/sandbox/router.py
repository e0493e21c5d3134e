"""Route registration and dispatch over the operation catalog.

Handlers register against a **spec** path template::

    @route("GET", "/rest/ofscMetadata/v1/workZones/{label}")
    def get_work_zone(call: Call) -> Response: ...

Registration fails (``ValueError``) unless the catalog holds that method + template, so a
handler can never serve a path OFS does not have.  :func:`resolve` maps a concrete request to
its catalog operation (404 for an unknown path, 405 with ``Allow`` for a known path and wrong
method); :func:`validate_query` applies the spec's query-parameter rules (unknown, required,
integer/number/boolean/date/enum) before any handler runs; :func:`handler_for` gives the
registered handler or a 501 "not emulated" error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ofsc_cli.catalog import Operation, Param, load_catalog
from ofsc_cli.sandbox._http import OFSHTTPError, Request, Response

if TYPE_CHECKING:
    from ofsc_cli.sandbox.app import Emulator
    from ofsc_cli.sandbox.store import Store

__all__ = [
    "Call",
    "Handler",
    "add_route",
    "handler_for",
    "registered_routes",
    "resolve",
    "route",
    "validate_path",
    "validate_query",
]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
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
        """An integer query parameter (already type-checked by :func:`validate_query`)."""
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


def add_route(method: str, template: str, handler: Handler) -> None:
    """Register ``handler`` for the catalog operation ``method`` + ``template``."""
    op = load_catalog().get(method, template)
    if op is None:
        raise ValueError(f"{method} {template} is not an operation of the OFS spec")
    if op.key in _HANDLERS:
        raise ValueError(f"{op.key} already has a handler")
    _HANDLERS[op.key] = handler


def route(method: str, template: str) -> Callable[[H], H]:
    """Decorator form of :func:`add_route`."""

    def register(handler: H) -> H:
        add_route(method, template, handler)
        return handler

    return register


def registered_routes() -> list[tuple[str, str]]:
    """Every ``(method, template)`` that has a handler, sorted."""
    _load_handlers()
    return sorted(tuple(key.split(" ", 1)) for key in _HANDLERS)  # type: ignore[misc]


def _load_handlers() -> None:
    import ofsc_cli.sandbox.handlers  # noqa: F401  (registers every handler module)


def handler_for(op: Operation) -> Handler:
    """The handler registered for ``op``; a 501 OFS error when the sandbox lacks one."""
    _load_handlers()
    handler = _HANDLERS.get(op.key)
    if handler is None:
        raise OFSHTTPError(
            501, "Not Implemented", f"{op.method} {op.path} is not emulated by the sandbox."
        )
    return handler


def resolve(request: Request) -> tuple[Operation, dict[str, str]]:
    """The catalog operation and path parameters of a request (404 / 405 otherwise)."""
    catalog = load_catalog()
    found = catalog.match(request.method, request.path)
    if found is not None:
        return found
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


def _check_scalar(param: Param, value: str) -> str | None:
    """Why ``value`` is invalid for ``param`` (None if it is fine)."""
    kind = param.type
    if kind == "integer":
        try:
            number: float = int(value)
        except ValueError:
            return f"'{value}' is not an integer"
    elif kind == "number":
        try:
            number = float(value)
        except ValueError:
            return f"'{value}' is not a number"
    elif kind == "boolean":
        if value.lower() not in _TRUE_FALSE:
            return f"'{value}' is not a boolean (true or false)"
        return None
    else:
        if param.format == "date" and not _is_date(value):
            return f"'{value}' is not a date (YYYY-MM-DD)"
        if param.enum is not None and value not in param.enum:
            allowed = ", ".join(str(v) for v in param.enum)
            return f"'{value}' is not one of: {allowed}"
        return None
    # ``limit`` beyond its maximum is clamped by the handler, not rejected.
    if param.name != "limit":
        if param.minimum is not None and number < param.minimum:
            return f"{value} is below the minimum {param.minimum}"
        if param.maximum is not None and number > param.maximum:
            return f"{value} is above the maximum {param.maximum}"
    return None


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def validate_query(op: Operation, request: Request) -> None:
    """Apply the spec's rules for query parameters; raise a 400 OFS error on violation."""
    known = {p.name: p for p in op.query_params}
    unknown = sorted(name for name in request.query if name not in known)
    if unknown:
        raise OFSHTTPError(
            400,
            "Bad Request",
            f"Unknown query parameter(s): {', '.join(unknown)}. "
            f"Accepted: {', '.join(known) or 'none'}.",
        )
    for name, param in known.items():
        values = request.query.get(name)
        if not values:
            if param.required:
                raise OFSHTTPError(400, "Bad Request", f"Query parameter '{name}' is required.")
            continue
        for value in values:
            problem: str | None = None
            if param.type == "array" and param.items is not None:
                item = Param(name, "query", param.items.type, enum=param.items.enum)
                checked = (_check_scalar(item, part) for part in value.split(",") if part)
                problem = next((p for p in checked if p), None)
            elif param.type != "array":
                problem = _check_scalar(param, value)
            if problem:
                raise OFSHTTPError(
                    400, "Bad Request", f"Invalid value for query parameter '{name}': {problem}."
                )


def validate_path(op: Operation, params: dict[str, str]) -> None:
    """Path parameters: a value outside an enum or integer type is a 404, too long a 400."""
    for param in op.path_params:
        value = params.get(param.name)
        if value is None:
            continue
        bad = (param.enum is not None and value not in param.enum) or (
            param.type == "integer" and not value.lstrip("-").isdigit()
        )
        if bad:
            raise OFSHTTPError(404, "Not Found", f"'{value}' is not a valid {param.name}.")
        max_length = param.max_length or _MAX_LENGTH.get(param.name)
        if max_length is not None and len(value) > max_length:
            raise OFSHTTPError(
                400, "Bad Request", f"'{param.name}' is longer than {max_length} characters."
            )
