"""Strict ``--fields``: a name nothing could ever fill is refused, listing the valid ones.

A name is valid when its first segment (before ``.`` or ``[``), or the whole name, is

* a field of the item's model, spelt as the API spells it (``workZoneLabel``), or
* a key of the first item received: OFS objects carry custom properties (``XA_REGION``) that
  no model lists.

Without a model, names are checked against the first item only, and only when one came back.
A closed model (one that does not allow extra keys) is enough on its own, so such names can be
refused before a request is sent (:func:`unknown_fields` with no item keys).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "field_names",
    "first_segment",
    "is_closed_model",
    "unknown_fields",
    "unknown_fields_message",
]

_SEGMENT_END = re.compile(r"[.\[]")


def first_segment(name: str) -> str:
    """Returns the first segment of the field ``name``: ``parent.label`` gives ``parent``,
    ``translations[0].name`` gives ``translations``.
    """
    return _SEGMENT_END.split(name, maxsplit=1)[0]


def field_names(model: Any) -> list[str]:
    """Returns the names the fields of ``model`` (a pydantic model class) have in the API's
    JSON (aliases where set); empty for anything else.
    """
    fields = getattr(model, "model_fields", None) or {}
    names = []
    for name, info in fields.items():
        alias = getattr(info, "serialization_alias", None) or getattr(info, "alias", None)
        names.append(alias if isinstance(alias, str) else name)
    return names


def is_closed_model(model: Any) -> bool:
    """Returns whether ``model`` refuses keys it does not declare (``extra`` other than
    ``allow``).
    """
    config = getattr(model, "model_config", None) or {}
    return bool(config.get("extra") != "allow")


def unknown_fields(fields: Sequence[str], valid: Iterable[str]) -> list[str]:
    """Returns the requested ``fields`` that no name in ``valid`` could fill, in the order
    given.
    """
    known = set(valid)
    return [f for f in fields if f not in known and first_segment(f) not in known]


def unknown_fields_message(unknown: Sequence[str], valid: Sequence[str]) -> str:
    """Returns one line naming the ``unknown`` fields (with a close match where there is one)
    and the ``valid`` ones.
    """
    shown = []
    for name in unknown:
        close = difflib.get_close_matches(first_segment(name), valid, n=1)
        shown.append(f"'{name}' (did you mean '{close[0]}'?)" if close else f"'{name}'")
    noun = "field" if len(unknown) == 1 else "fields"
    choices = ", ".join(dict.fromkeys(valid)) or "none"
    return f"--fields: unknown {noun} {', '.join(shown)}; valid fields: {choices}"
