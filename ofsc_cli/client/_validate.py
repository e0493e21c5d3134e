"""Requests checked against the API catalog before they are sent (both clients).

:meth:`BaseClient.request_kwargs <ofsc_cli.client._base.BaseClient.request_kwargs>` calls
:func:`check_operation` with the query as it will be sent (already encoded: ``True`` is
``true``, a date ``YYYY-MM-DD``, a list a CSV) and the JSON body as it will be sent (models
dumped), so Python values are judged by what OFS receives.  The checks are the catalog's
(:mod:`ofsc_cli.catalog.validate`, the same ones ``ofsc api`` and the emulator use), in the
mode that matches live tenants:

* query: integer, number and boolean types (booleans also as ``1``/``0``), enumerations,
  ``YYYY-MM-DD`` dates, the catalog's ranges, required parameters; a ``limit`` above its
  maximum is left to the server (it clamps), one below its minimum (or negative) is refused;
  names the catalog does not list are not refused (live tenants ignore them, and a
  declaration may name them where the live API differs from the spec);
* JSON body: the types, enumerations, lengths, ranges and dates of the fields given, against
  the operation's schema; unknown fields are accepted (OFS bodies carry custom properties)
  and required fields are left to the server: the spec reuses full schemas for partial
  updates (PATCH), and live tenants accept PUT and POST bodies without some fields the spec
  requires (``PUT inventoryTypes/{label}`` without ``nonSerialized``, for one).

An operation the catalog does not hold is not checked.  ``OFSC(..., validate=False)`` (or
``validate_requests = false`` in a profile, ``OFSC_VALIDATE_REQUESTS=0``) turns this off.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ofsc_cli.errors import OFSValidationError

if TYPE_CHECKING:
    from ofsc_cli.catalog import Operation, Param
    from ofsc_cli.client._endpoint import EndpointSpec

__all__ = ["check_operation"]


@functools.cache
def _operation(key: str) -> Operation | None:
    from ofsc_cli.catalog import load_operation  # this operation only, not the whole catalog

    return load_operation(key)


@functools.lru_cache(maxsize=1024)
def _query_problems(key: str, items: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The problems of one distinct query (cached: a paged read checks its query once)."""
    from ofsc_cli.catalog.validate import check_query

    op = _operation(key)
    if op is None:
        return ()
    return tuple(check_query(op, dict(items), allow_unknown=True, lenient=True, limit_floor=True))


@functools.cache
def _offset_param(key: str) -> Param | None:
    op = _operation(key)
    return None if op is None else next((p for p in op.query_params if p.name == "offset"), None)


def _offset_problem(key: str, value: str) -> str | None:
    param = _offset_param(key)
    if param is None:
        return None
    from ofsc_cli.catalog.validate import check_scalar

    problem = check_scalar(param, value, lenient=True)
    return None if problem is None else f"query parameter 'offset': {problem}"


def check_operation(spec: EndpointSpec, query: Mapping[str, str], body: Any = None) -> None:
    """Raise :class:`OFSValidationError` naming every parameter of the request for ``spec``
    that the catalog refuses (``query`` as encoded, ``body`` as JSON-ready data or ``None``).
    """
    op = _operation(spec.key)
    if op is None:
        return
    # The offset changes on every page of a paged read: the rest is checked once per call.
    offset = query.get("offset")
    rest = tuple(sorted((k, v) for k, v in query.items() if k != "offset"))
    problems = list(_query_problems(spec.key, rest))
    if offset is not None:
        problem = _offset_problem(spec.key, offset)
        if problem is not None:
            problems.append(problem)
    if body is not None and op.body is not None and op.body.schema not in (None, "file"):
        from ofsc_cli.catalog import load_catalog
        from ofsc_cli.catalog.validate import check_body

        problems += check_body(load_catalog(), op.body.schema, body, partial=True)
    if problems:
        from ofsc_cli.catalog.validate import MAX_PROBLEMS

        shown = "; ".join(problems[:MAX_PROBLEMS])
        more = len(problems) - MAX_PROBLEMS
        if more > 0:
            shown += f"; and {more} more"
        where = spec.client_method or spec.key
        raise OFSValidationError(
            f"{where}: {shown} (nothing sent; OFSC(..., validate=False) sends anyway)"
        )
