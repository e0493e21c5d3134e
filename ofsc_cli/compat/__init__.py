"""pyOFSC 2.x compatibility: run a 2.x script with one import line changed.

::

    from ofsc_cli.compat import OFSC, FULL_RESPONSE, OBJ_RESPONSE   # was: from ofsc import …
    inst = OFSC(clientID="ofsc-cli", secret=secret, companyName="acme")
    zones = inst.metadata.get_workzones(offset=0, limit=100)       # a WorkzoneListResponse
    resp = inst.core.get_resource("TECH1", response_type=FULL_RESPONSE)  # the HTTP response

    from ofsc_cli.compat.async_client import AsyncOFSC             # was: from ofsc.async_client …

Every public method of pyOFSC 2.27 (sync and async: ``core``, ``metadata``, ``capacity``,
``statistics``, ``oauth2``) exists with 2.x's name and signature, delegates to one v3
client method (:mod:`ofsc_cli.compat._table` lists which; nothing here sends a request of
its own), and warns once per method (:class:`DeprecationWarning`) with the v3 name to use.
Results are what 2.x returned: its list classes (:mod:`ofsc_cli.compat.models`), this
project's models where the shapes agree, the JSON body where 2.x gave a ``dict``; the sync
client honours ``response_type`` (:data:`OBJ_RESPONSE`, the default; :data:`FULL_RESPONSE`,
the ``httpx.Response`` with requests' ``.ok``; :data:`TEXT_RESPONSE`; :data:`FILE_RESPONSE`).
Errors carry 2.x's names and are :class:`ofsc_cli.OFSError` too
(:mod:`ofsc_cli.compat.exceptions`).

:func:`mapping_rows` gives the table behind all this (2.x method -> v3 method -> operation
key, deviations), for the migration guide.  Nothing else in ``ofsc_cli`` imports this
package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ofsc_cli.compat._delegate import FILE_RESPONSE, FULL_RESPONSE, OBJ_RESPONSE, TEXT_RESPONSE
from ofsc_cli.compat.exceptions import (
    OFSAPIException,
    OFSCApiError,
    OFSCAuthenticationError,
    OFSCAuthorizationError,
    OFSCConflictError,
    OFSCNetworkError,
    OFSCNotFoundError,
    OFSCRateLimitError,
    OFSCServerError,
    OFSCValidationError,
)
from ofsc_cli.compat.models import OFSConfig

if TYPE_CHECKING:
    from ofsc_cli.compat._client import OFSC
    from ofsc_cli.compat.mapping import MappingRow

__all__ = [
    "FILE_RESPONSE",
    "FULL_RESPONSE",
    "OBJ_RESPONSE",
    "OFSC",
    "TEXT_RESPONSE",
    "MappingRow",
    "OFSAPIException",
    "OFSCApiError",
    "OFSCAuthenticationError",
    "OFSCAuthorizationError",
    "OFSCConflictError",
    "OFSCNetworkError",
    "OFSCNotFoundError",
    "OFSCRateLimitError",
    "OFSCServerError",
    "OFSCValidationError",
    "OFSConfig",
    "mapping_rows",
    "render_markdown",
]


def __getattr__(name: str) -> Any:
    if name == "OFSC":
        from ofsc_cli.compat._client import OFSC

        return OFSC
    if name in ("MappingRow", "mapping_rows", "render_markdown"):
        from ofsc_cli.compat import mapping

        return getattr(mapping, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
