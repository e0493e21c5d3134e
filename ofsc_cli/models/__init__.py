"""Pydantic v2 models of OFS objects, one module per API family."""

from ofsc_cli.models._base import (
    REQUEST_CONTEXT,
    Link,
    Number,
    OFSModel,
    OpenEnum,
    Page,
    Translation,
    dump,
    known_values,
)

__all__ = [
    "REQUEST_CONTEXT",
    "Link",
    "Number",
    "OFSModel",
    "OpenEnum",
    "Page",
    "Translation",
    "dump",
    "known_values",
]
