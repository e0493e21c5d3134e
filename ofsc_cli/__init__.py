"""ofsc: Oracle Fusion Field Service from Python and the command line.

    from ofsc_cli import OFSC, AsyncOFSC

    with OFSC.from_profile("prod") as client:
        for zone in client.metadata.list_work_zones.iter():
            print(zone.workZoneLabel)

Names are imported lazily, so ``import ofsc_cli`` stays cheap (the CLI relies on it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ofsc_cli._version import __version__

if TYPE_CHECKING:
    from ofsc_cli.client import OFSC, AsyncOFSC, RetryPolicy
    from ofsc_cli.errors import (
        OFSAPIError,
        OFSAuthenticationError,
        OFSCircuitOpenError,
        OFSClientClosedError,
        OFSConfigurationError,
        OFSConnectionError,
        OFSError,
        OFSRetriesExhaustedError,
        OFSSerializationError,
        OFSTimeoutError,
        OFSValidationError,
    )

__all__ = [
    "OFSC",
    "AsyncOFSC",
    "OFSAPIError",
    "OFSAuthenticationError",
    "OFSCircuitOpenError",
    "OFSClientClosedError",
    "OFSConfigurationError",
    "OFSConnectionError",
    "OFSError",
    "OFSRetriesExhaustedError",
    "OFSSerializationError",
    "OFSTimeoutError",
    "OFSValidationError",
    "RetryPolicy",
    "__version__",
]

_CLIENT_NAMES = {"OFSC", "AsyncOFSC", "RetryPolicy"}


def __getattr__(name: str) -> Any:
    if name in _CLIENT_NAMES:
        from ofsc_cli import client

        return getattr(client, name)
    if name.startswith("OFS") and name.endswith("Error"):
        from ofsc_cli import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'ofsc_cli' has no attribute {name!r}")
