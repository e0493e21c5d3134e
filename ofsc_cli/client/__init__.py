"""The OFS client library: :class:`OFSC` (sync) and :class:`AsyncOFSC` (async).

No typer, no rich, no configuration and no emulator: this package can be used on its own
(``OFSC.from_profile`` reaches the composition root, :mod:`ofsc_cli.factory`, on call).

Names are imported on first use, so importing a helper module of the package
(:mod:`ofsc_cli.client.reader`, :mod:`ofsc_cli.client.dates` …) does not load httpx.

Public modules besides the clients: :mod:`~ofsc_cli.client.http` (URL redaction, query
encoding, error mapping), :mod:`~ofsc_cli.client.auth`, :mod:`~ofsc_cli.client.token_cache`,
:mod:`~ofsc_cli.client.reader`, :mod:`~ofsc_cli.client.paths`, :mod:`~ofsc_cli.client.dates`,
:mod:`~ofsc_cli.client.export`, :mod:`~ofsc_cli.client.bulk`,
:mod:`~ofsc_cli.client.download`, :mod:`~ofsc_cli.client.events`,
:mod:`~ofsc_cli.client.audit` (the audit log of writes, ``audit_log=``),
:mod:`~ofsc_cli.client.extensions` (your own request validators and response processors:
``register_validator``, ``register_response_processor``, exported here) and the operation
namespaces under :mod:`~ofsc_cli.client.api`.  Modules whose name starts with ``_`` are
internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ofsc_cli.client._async import AsyncOFSC as AsyncOFSC
    from ofsc_cli.client._base import RetryNotice as RetryNotice
    from ofsc_cli.client._circuit import CircuitBreaker as CircuitBreaker
    from ofsc_cli.client._circuit import CircuitBreakers as CircuitBreakers
    from ofsc_cli.client._endpoint import ENDPOINTS as ENDPOINTS
    from ofsc_cli.client._endpoint import EndpointSpec as EndpointSpec
    from ofsc_cli.client._retry import RetryPolicy as RetryPolicy
    from ofsc_cli.client._sync import OFSC as OFSC
    from ofsc_cli.client.extensions import (
        OFSResponseProcessorError as OFSResponseProcessorError,
    )
    from ofsc_cli.client.extensions import (
        register_response_processor as register_response_processor,
    )
    from ofsc_cli.client.extensions import register_validator as register_validator

__all__ = [
    "ENDPOINTS",
    "OFSC",
    "AsyncOFSC",
    "CircuitBreaker",
    "CircuitBreakers",
    "EndpointSpec",
    "OFSResponseProcessorError",
    "RetryNotice",
    "RetryPolicy",
    "register_response_processor",
    "register_validator",
]

_WHERE = {
    "OFSC": "_sync",
    "AsyncOFSC": "_async",
    "RetryNotice": "_base",
    "CircuitBreaker": "_circuit",
    "CircuitBreakers": "_circuit",
    "EndpointSpec": "_endpoint",
    "RetryPolicy": "_retry",
    "OFSResponseProcessorError": "extensions",
    "register_response_processor": "extensions",
    "register_validator": "extensions",
}


def __getattr__(name: str) -> Any:
    """The names of ``__all__``, imported on first use.

    ``ENDPOINTS`` lists every declared operation: reading it loads every namespace.  Raises
    :class:`AttributeError` for any other name.
    """
    import importlib

    if name == "ENDPOINTS":
        from ofsc_cli.client._endpoint import ENDPOINTS
        from ofsc_cli.client.api import load_all

        load_all()
        return ENDPOINTS
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'ofsc_cli.client' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ofsc_cli.client.{module}"), name)
    globals()[name] = value  # later reads skip this function
    return value
