"""Typer's value coercion, without pydantic for the values a command line usually holds.

typer checks every parameter's value with a pydantic ``TypeAdapter`` built on first use,
even for a value that is already what it must be (a default, a word for a ``str`` option).
Importing its adapter module and building the adapters of the dozen parameters of a run
costs more than the rest of a one-page list; :func:`install` gives a parameter a coercion
that answers the common cases itself (``str`` words, plain decimal integers and numbers in
range, exact choices, lists of words) and hands every other value to typer's own adapter,
so that results and error messages are typer's.  ``tests/test_coerce.py`` checks both agree
for every parameter of the command tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from typer import _click as click
from typer._coercion import RuntimeParam, build_runtime_param
from typer._typing import is_literal_type, literal_values
from typer.core import _TyperParameter

__all__ = ["FastCoercion", "install"]

_INT = re.compile(r"-?[0-9]{1,18}\Z")
_FLOAT = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?\Z")
_SLOW = object()
"""Not answered here: typer's adapter decides (conversion, or the error it reports)."""


def _in_range(value: float, parameter: Any) -> bool:
    low, high = parameter.min, parameter.max
    return (low is None or value >= low) and (high is None or value <= high)


def fast_value(annotation: Any, parameter: Any, value: Any, ctx: click.Context | None) -> Any:
    """The coerced ``value`` where it is plain, else :data:`_SLOW`."""
    if parameter.parser is not None or parameter.clamp:
        return _SLOW
    kind = type(value)
    if annotation is str:
        return value if kind is str else _SLOW
    if annotation is bool:
        return value if kind is bool else _SLOW
    if annotation is int:
        if kind is str and _INT.match(value):
            number: Any = int(value)
        elif kind is int:
            number = value
        else:
            return _SLOW
        return number if _in_range(number, parameter) else _SLOW
    if annotation is float:
        if kind is str and _FLOAT.match(value):
            number = float(value)
        elif kind is float:
            number = value
        else:
            return _SLOW
        return number if _in_range(number, parameter) else _SLOW
    if is_literal_type(annotation):
        plain = ctx is None or ctx.token_normalize_func is None
        if kind is str and plain and parameter.case_sensitive:
            return value if value in literal_values(annotation) else _SLOW
        return _SLOW
    if getattr(annotation, "__origin__", None) is list and annotation.__args__ == (str,):
        if kind in (list, tuple) and all(type(item) is str for item in value):
            return list(value)
        return _SLOW
    return _SLOW


class FastCoercion(RuntimeParam):  # (typer's frozen dataclass: its fields, its __init__)
    """typer's runtime coercion of one parameter, answered by :func:`fast_value` where it
    can; typer's adapter (built then, for that value only) otherwise."""

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: click.Context) -> Any:
        result = fast_value(self.annotation, self.parameter_info, value, ctx)
        if result is not _SLOW:
            return result
        typer_own = build_runtime_param(param.type_descriptor)
        return typer_own._coerce_value(value, param=param, ctx=ctx)


def install(params: Iterable[click.Parameter]) -> None:
    """Give each typer parameter of ``params`` that has no coercion yet a
    :class:`FastCoercion` (files keep typer's)."""
    for param in params:
        if not isinstance(param, _TyperParameter) or param._runtime_param is not None:
            continue
        descriptor = param.type_descriptor
        if descriptor.file_annotation is not None:
            continue
        param._runtime_param = FastCoercion(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
        )
