"""The OFS client library: :class:`OFSC` (sync) and :class:`AsyncOFSC` (async).

No typer, no rich: this package can be used on its own.
"""

from ofsc_cli.client._async import AsyncOFSC
from ofsc_cli.client._base import RetryNotice
from ofsc_cli.client._circuit import CircuitBreaker, CircuitBreakers
from ofsc_cli.client._endpoint import EndpointSpec
from ofsc_cli.client._retry import RetryPolicy
from ofsc_cli.client._sync import OFSC

__all__ = [
    "ENDPOINTS",
    "OFSC",
    "AsyncOFSC",
    "CircuitBreaker",
    "CircuitBreakers",
    "EndpointSpec",
    "RetryNotice",
    "RetryPolicy",
]


def __getattr__(name: str) -> list[EndpointSpec]:
    # ``ENDPOINTS`` lists every declared operation: reading it loads every namespace.
    if name == "ENDPOINTS":
        from ofsc_cli.client._endpoint import ENDPOINTS
        from ofsc_cli.client.api import load_all

        load_all()
        return ENDPOINTS
    raise AttributeError(f"module 'ofsc_cli.client' has no attribute {name!r}")
