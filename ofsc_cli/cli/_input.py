"""Reading request bodies from ``--file PATH|-`` (JSON or YAML) and validating them.

The file is read and parsed by :mod:`ofsc_cli.client.reader` (one reader for every input:
size cap, regular files only, nesting, alias, number and date limits); its
:class:`~ofsc_cli.client.reader.InputError` exits 2 like a :class:`UsageError`.
"""

from __future__ import annotations

from typing import Any

from ofsc_cli.cli.errors import UsageError

__all__ = ["load_body", "read_checked_body", "validate_body"]


def load_body(path: str) -> Any:
    """The parsed content of ``path`` (``-`` for stdin); JSON first, then YAML.

    Errors name the file, the line and column and what is wrong (exit 2); a string that is
    shaped like a date but names no real day (``2026-02-30``) is refused, naming its field.
    """
    from ofsc_cli.client.reader import impossible_date, load_document

    body = load_document(path)
    found = impossible_date(body)
    if found is not None:
        where, problem = found
        name = "<stdin>" if path == "-" else path
        raise UsageError(f"{name}: {_dotted(where) or '(body)'}: {problem}")
    return body


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def validate_body(model: type[Any] | None, body: Any, *, source: str) -> Any:
    """Check ``body`` against ``model`` (a pydantic model; ``dict``: any object) and return it
    unchanged.

    The body is sent as written (unknown fields kept); validation only catches wrong types
    and missing required fields before anything is sent, naming the field.
    """
    if model is None:
        return body
    if not isinstance(body, dict):
        raise UsageError(f"{source}: expected a JSON object, got {_kind(body)}")
    if model is dict:
        return body
    from pydantic import ValidationError

    from ofsc_cli.models import REQUEST_CONTEXT

    try:
        # What we send is held to the documented enumeration values (answers are not).
        model.model_validate(body, context=REQUEST_CONTEXT)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err["loc"]) or "(body)"
            problems.append(f"{where}: {err['msg']}")
        raise UsageError(f"{source}: invalid body: " + "; ".join(problems)) from None
    return body


def _kind(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def read_checked_body(path: str, declared: Any, *, closed: bool = True) -> Any:
    """A body file checked against the operation's schema in the catalog (exit 2 if wrong).

    ``closed`` refuses fields the schema does not define (these bodies carry no custom fields).
    """
    from ofsc_cli.catalog import load_catalog, validate

    body = load_body(path)
    source = "<stdin>" if path == "-" else path
    catalog = load_catalog()
    op = catalog.by_key[declared.spec.key]
    if op.body is not None and op.body.schema is not None:
        problems = validate.check_body(catalog, op.body.schema, body, closed=closed, where="body")
        if problems:
            listed = "\n  ".join(problems)
            raise UsageError(f"{source}: invalid body (nothing sent):\n  {listed}")
    return body
