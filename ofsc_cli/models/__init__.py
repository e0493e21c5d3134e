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
from ofsc_cli.models._responses import attach_response, response_of

__all__ = [
    "REQUEST_CONTEXT",
    "Link",
    "Number",
    "OFSModel",
    "OpenEnum",
    "Page",
    "Translation",
    "attach_response",
    "dump",
    "known_values",
    "response_of",
]
