"""Which HTTP answer a result was parsed from, kept beside the result (never in it).

A side table keyed by object identity, holding a weak reference to the result: attaching a
response changes nothing a model serialises or compares, and the entry goes when the result
is collected.  Plain values (``dict``, ``list``, ``bytes``, ``None``) cannot be weakly
referenced and are not recorded.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = ["attach_response", "response_of"]

_ANSWERS: dict[int, tuple[weakref.ref[Any], httpx.Response]] = {}
_LOCK = threading.Lock()


def _forget(key: int, ref: weakref.ref[Any]) -> None:
    with _LOCK:
        entry = _ANSWERS.get(key)
        if entry is not None and entry[0] is ref:
            del _ANSWERS[key]


def _attach_one(obj: Any, response: httpx.Response) -> None:
    key = id(obj)
    try:
        ref = weakref.ref(obj, lambda r: _forget(key, r))
    except TypeError:  # a plain value: nothing to attach to
        return
    with _LOCK:
        _ANSWERS[key] = (ref, response)


def attach_response(result: Any, response: httpx.Response) -> None:
    """Record that ``result`` (and, for a page, each of its model items) came from
    ``response``; see :func:`response_of`."""
    from pydantic import BaseModel

    if not isinstance(result, BaseModel):
        return
    _attach_one(result, response)
    items = getattr(result, "items", None)
    if isinstance(items, list):
        for item in items:
            if isinstance(item, BaseModel):
                _attach_one(item, response)


def response_of(result: Any) -> httpx.Response | None:
    """Returns the ``httpx.Response`` the typed ``result`` (a model, a page, an item of a typed
    page) was parsed from, or ``None`` when a client did not parse it (built by hand, copied,
    a plain ``dict``/``list`` result: use ``client.last_response`` for those).
    """
    entry = _ANSWERS.get(id(result))
    if entry is None or entry[0]() is not result:
        return None
    return entry[1]
