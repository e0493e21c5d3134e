"""Path values: checked before any request is built, then percent-encoded as one segment.

A path must name exactly the object the caller named.  Values that a server (or httpx, which
removes dot segments while building the URL) would read as another path are refused here,
for every operation of both clients and for ``ofsc api``:

- ``None``, booleans, floats and other non-scalar values;
- the empty string, ``.`` and ``..`` (``/activities/42/.`` would become ``/activities/42``);
- ``/`` inside a value (every OFS path parameter is one segment);
- control characters (C0, DEL, C1) and lone surrogates;
- non-integers where the catalog types the parameter ``integer`` (``activityId``…);
- values longer than :data:`MAX_PATH_VALUE` characters.

Legal but odd labels (spaces, ``+``, ``%``, ``#``, ``?``, non-ASCII) are percent-encoded with
nothing left as "safe", so the server sees them literally (never ``quote_plus``: a ``+`` is a
plus sign).  Only the standard library is used; the catalog is read once, on first use.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from enum import Enum
from urllib.parse import quote

from ofsc_cli.errors import OFSValidationError

__all__ = [
    "MAX_PATH_VALUE",
    "check_path_segments",
    "encode_path_value",
    "fill_path",
    "path_param_types",
]

MAX_PATH_VALUE = 2048
"""Longest path value accepted (OFS labels and ids are at most a few hundred characters)."""

_INTEGER = re.compile(r"-?[0-9]{1,32}")
_DOT_SEGMENTS = frozenset({".", ".."})


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _refuse(name: str, value: object, why: str) -> OFSValidationError:
    return OFSValidationError(f"path parameter '{name}' {why} (got {_shown(value)}; nothing sent)")


def _bad_char(text: str) -> str | None:
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            return f"U+{ord(char):04X}"
        if category == "Cs":
            return "a lone surrogate"
    return None


def encode_path_value(name: str, value: object, kind: str = "string") -> str:
    """Returns ``value`` checked and percent-encoded as one path segment.

    ``name`` is the parameter's name (for messages) and ``kind`` its catalog type
    (``"string"`` or ``"integer"``).  Raises :class:`~ofsc_cli.errors.OFSValidationError`
    naming the parameter when the value would not name exactly one object.
    """
    if value is None:
        raise _refuse(name, value, "is required")
    if isinstance(value, bool) or not isinstance(value, str | int | Enum | date):
        raise _refuse(name, value, f"must be {'an integer' if kind == 'integer' else 'a string'}")
    if isinstance(value, Enum):
        value = value.value
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise _refuse(name, value, "must be a string")
    if isinstance(value, date):
        value = value.isoformat()
    if isinstance(value, int):
        if abs(value) >= 10**32:
            raise _refuse(name, "<a very large integer>", "is out of range")
        text = str(value)
    else:
        text = value
    if kind == "integer":
        if not _INTEGER.fullmatch(text):
            raise _refuse(name, value, "must be an integer id (digits only)")
        return text
    if text == "":
        raise _refuse(name, value, "must not be empty")
    if text in _DOT_SEGMENTS:
        raise _refuse(name, value, "must not be '.' or '..'")
    if "/" in text:
        raise _refuse(name, value, "must not contain '/'")
    if len(text) > MAX_PATH_VALUE:
        raise _refuse(name, "<a long value>", f"is longer than {MAX_PATH_VALUE} characters")
    bad = _bad_char(text)
    if bad is not None:
        raise _refuse(name, value, f"must not contain control characters ({bad})")
    return quote(text, safe="")


@functools.cache
def path_param_types(key: str) -> Mapping[str, str]:
    """Returns ``{name: type}`` of the path parameters of the catalog operation ``key`` (empty
    when the catalog has no such operation).
    """
    from ofsc_cli.catalog import load_operation

    op = load_operation(key)
    if op is None:
        return {}
    return {p.name: p.type for p in op.path_params}


def fill_path(key: str, template: str, values: Mapping[str, object]) -> str:
    """Returns ``template`` with each ``{name}`` replaced by its checked, encoded value from
    ``values`` (types from the catalog operation ``key``).  Raises
    :class:`~ofsc_cli.errors.OFSValidationError` for a refused value or a missing one.
    """
    types = path_param_types(key)
    encoded = {
        name: encode_path_value(name, value, types.get(name, "string"))
        for name, value in values.items()
    }
    try:
        return template.format_map(encoded)
    except KeyError as exc:
        raise OFSValidationError(f"{key}: missing path value {exc} (nothing sent)") from None


def check_path_segments(path: str) -> None:
    """Refuse the concrete ``path`` when a server would normalise its segments into another
    path: raises :class:`~ofsc_cli.errors.OFSValidationError` for dot segments (typed or
    percent-encoded), empty segments (``//``) and control characters.
    """
    from urllib.parse import unquote

    segments = path.split("/")
    for index, segment in enumerate(segments):
        decoded = unquote(segment)
        if decoded in _DOT_SEGMENTS:
            raise OFSValidationError(
                f"path {_shown(path)} has a '{decoded}' segment, which would name another"
                " object; give the path exactly (nothing sent)"
            )
        if segment == "" and 0 < index < len(segments) - 1:
            raise OFSValidationError(
                f"path {_shown(path)} has an empty segment ('//'); give the path exactly"
                " (nothing sent)"
            )
        bad = _bad_char(decoded)
        if bad is not None:
            raise OFSValidationError(
                f"path {_shown(path)} contains a control character ({bad}) (nothing sent)"
            )
