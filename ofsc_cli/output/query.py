"""``--query EXPR``: a JMESPath expression applied to what a command prints.

For a list the expression sees the whole list (so the renderer collects the items first), for
one object that object. ``--fields`` is applied before the query. The result is rendered in the
chosen format like any other data (see :meth:`ofsc_cli.output.Renderer.write_items`).
The ``jmespath`` library is imported only when a query is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jmespath.parser import ParsedResult

__all__ = ["QueryError", "apply_query", "compile_query"]


class QueryError(ValueError):
    """An expression that does not parse, or that fails on the data; the message is one line."""


def _one_line(error: Exception) -> str:
    first = str(error).splitlines()[0].rstrip(":").strip() if str(error) else type(error).__name__
    first = first.replace("Invalid jmespath expression: ", "").replace(
        "Bad jmespath expression: ", ""
    )
    return first[:1].lower() + first[1:]


def compile_query(expression: str) -> ParsedResult:
    """Returns ``expression`` parsed as JMESPath.  Raises :class:`QueryError` for an empty
    expression or a syntax error (naming the column).
    """
    import jmespath
    from jmespath.exceptions import JMESPathError, ParseError

    if not expression.strip():
        raise QueryError("--query: the expression is empty")
    try:
        return jmespath.compile(expression)
    except ParseError as error:
        position = getattr(error, "lex_position", None)
        where = f" at column {position + 1}" if isinstance(position, int) else ""
        message = f"--query: invalid JMESPath expression: {_one_line(error)}{where}"
        raise QueryError(message) from None
    except JMESPathError as error:
        raise QueryError(f"--query: invalid JMESPath expression: {_one_line(error)}") from None


def apply_query(query: ParsedResult, data: Any) -> Any:
    """Returns the result of ``query`` on ``data`` (plain JSON values).  Raises
    :class:`QueryError` for a failure such as an unknown function or a wrong argument type.
    """
    from jmespath.exceptions import JMESPathError

    try:
        return query.search(data)
    except JMESPathError as error:
        raise QueryError(f"--query: {_one_line(error)}") from None
