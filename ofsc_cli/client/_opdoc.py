"""The full docstring of a declared API operation, composed from its declaration.

A declaration (``@endpoint``/``@paged`` in :mod:`ofsc_cli.client._endpoint`) carries a
one-line summary; :func:`compose` adds what the declaration already knows: the HTTP method
and path (the operation's key in the API catalog), the arguments with their annotations (as
written: nothing is resolved or imported), what the call returns, and the errors every call
can raise.  It reads only the builder's code object, its annotation strings and the
declaration's facts, so it is cheap; still, the declarations call it only when a docstring
is first read (``help()``, :func:`inspect.getdoc`, the bound call), and this module is not
imported before then.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["ERRORS", "compose"]

ASYNC = ":class:`~ofsc_cli.AsyncOFSC`"

ERRORS = (
    "Raises :class:`~ofsc_cli.errors.OFSValidationError` before anything is sent when an"
    " argument does not fit the operation (a path value, a query parameter or a body the"
    " catalog refuses), and for a 400/422 answer;"
    " :class:`~ofsc_cli.errors.OFSAuthenticationError` for 401/403;"
    " :class:`~ofsc_cli.errors.OFSAPIError` for any other error status (a 404 has"
    " ``status_code == 404`` and ``is_not_found``);"
    " :class:`~ofsc_cli.errors.OFSConnectionError` or"
    " :class:`~ofsc_cli.errors.OFSTimeoutError` when the server cannot be reached or does not"
    " answer in time; :class:`~ofsc_cli.errors.OFSRetriesExhaustedError` when every retry"
    " failed (``last_error`` says how); :class:`~ofsc_cli.errors.OFSCircuitOpenError` while"
    " the host's circuit breaker is open; :class:`~ofsc_cli.errors.OFSSerializationError`"
    " when a successful answer does not fit its model (the answer is attached); and"
    " :class:`~ofsc_cli.errors.OFSClientClosedError` once the client is closed."
)
"""The errors paragraph shared by every operation's docstring."""

_VAR_POSITIONAL = 0x04
_VAR_KEYWORD = 0x08
_NO_DEFAULT = object()
_WIDTH = 88


def compose(fn: Any, spec: Any) -> str:
    """The docstring of the operation whose builder is ``fn`` and whose facts are ``spec``.

    ``fn`` is the declared builder function; ``spec`` is its
    :class:`~ofsc_cli.client._endpoint.EndpointSpec` (``method``, ``path``, ``key``,
    ``response``, ``paging``, ``client_auth``).  Returns the summary written on the builder
    followed by paragraphs for the operation, its arguments, its result and its errors.
    Raises nothing: a fact it cannot name is described generically.
    """
    import inspect

    summary = inspect.cleandoc(fn.__doc__ or "").strip() or "An API operation."
    parts = [f"Operation ``{spec.key}`` (its key in the API catalog)."]
    if spec.client_auth:
        parts.append(
            "Sent with the client credentials (Basic), whatever the client's auth method:"
            " the token service takes them."
        )
    parts += [_arguments(fn), _returns(spec), ERRORS]
    return "\n\n".join([summary, *map(_fill, parts)])


@functools.cache  # the errors paragraph, and many results, are the same for many operations
def _fill(paragraph: str) -> str:
    """``paragraph`` wrapped at spaces to lines of at most ``_WIDTH`` characters; a word, or a
    literal in double backticks (``GET /rest/...``, ``int | None``), is never split."""
    words: list[str] = []
    inside = False
    for word in paragraph.split(" "):
        if inside:
            words[-1] += " " + word
        else:
            words.append(word)
        if word.count("``") % 2:
            inside = not inside
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > _WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def _arguments(fn: Any) -> str:
    """The arguments paragraph, from the builder's code object (``self`` left out)."""
    code = fn.__code__
    names = code.co_varnames
    count, kwcount = code.co_argcount, code.co_kwonlyargcount
    notes: dict[str, Any] = fn.__annotations__
    defaults = fn.__defaults__ or ()
    kwdefaults = fn.__kwdefaults__ or {}
    positional = names[1:count]
    first_default = count - len(defaults)

    def one(name: str, default: Any = _NO_DEFAULT) -> str:
        text = f"``{name}``"
        note = notes.get(name)
        if note is not None:
            text += f" (``{note}``"
            text += ")" if default is _NO_DEFAULT else f", default ``{default!r}``)"
        elif default is not _NO_DEFAULT:
            text += f" (default ``{default!r}``)"
        return text

    listed = [
        one(name, defaults[i - first_default] if i >= first_default else _NO_DEFAULT)
        for i, name in enumerate(positional, start=1)
    ]
    keywords = [
        one(name, kwdefaults.get(name, _NO_DEFAULT)) for name in names[count : count + kwcount]
    ]
    rest = count + kwcount
    if code.co_flags & _VAR_POSITIONAL:
        listed.append(f"``*{names[rest]}``")
        rest += 1
    if code.co_flags & _VAR_KEYWORD:
        keywords.append(f"``**{names[rest]}`` (more query parameters, by their API names)")
    if not listed and not keywords:
        return "Arguments: none."
    text = "Arguments: " + (", ".join(listed) if listed else "")
    if keywords:
        text += ("; keyword-only: " if listed else "keyword-only: ") + ", ".join(keywords)
    return text + "."


def _name(kind: Any) -> str:
    """A readable name of a declared result, without importing anything: a class, a model
    reference (``module``, ``name``), a page of an item (``item``), a union, or a string."""
    import re

    if isinstance(kind, str):
        return kind.rpartition(":")[2].rpartition(".")[2] or kind
    item = getattr(kind, "item", None)
    if item is not None and not isinstance(kind, type):
        return f"Page[{_name(item)}]"
    name = getattr(kind, "__name__", None) or getattr(kind, "name", None)
    if isinstance(name, str):
        return name
    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", str(kind))  # a union: names without modules


def _returns(spec: Any) -> str:
    """The result paragraph, from the declared result type and the paging scheme (the
    declared one: reading ``spec.response`` would import the model)."""
    kind = getattr(spec, "returns", None)
    if kind is None:
        kind = spec.response
    if spec.paging:
        return (
            f"Returns one page, a ``{_name(kind)}`` (``items``, ``totalResults``, ``hasMore``"
            " as the API sends them); with the same arguments ``.iter()`` yields every item"
            " and ``.pages()`` every page, following ``offset``, and ``.raw()`` gives the same"
            f" collection with plain ``dict`` items.  On {ASYNC} the call returns an awaitable"
            " and ``.iter()``/``.pages()`` are async iterators taking ``concurrency=N``."
        )
    if kind is None or kind is type(None):
        result = "Returns ``None`` (the answer has no body to read)"
    elif kind is bytes:
        result = "Returns the answer's body as ``bytes``"
    elif kind in (dict, list, object):
        result = "Returns the answer's JSON as received (``None`` for an empty body)"
    else:
        result = f"Returns the answer as ``{_name(kind)}``"
    return f"{result}; on {ASYNC}, an awaitable of it."
