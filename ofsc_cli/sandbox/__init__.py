"""An embedded Oracle Field Service emulator (the ``sandbox`` profile).

It depends on neither the CLI nor the client library: requests go in as
:class:`~ofsc_cli.sandbox._http.Request` and come out as
:class:`~ofsc_cli.sandbox._http.Response`, whichever way they arrive::

    from ofsc_cli.sandbox import Emulator, EmulatorConfig, EmulatorTransport, Store, serve

    emulator = Emulator(Store.open(":memory:", scale=0.2))     # or open_emulator(): the file DB
    client = httpx.Client(transport=EmulatorTransport(emulator), base_url="https://sandbox")
    with serve(emulator) as server:                              # or over real HTTP
        httpx.get(server.url + "/rest/ofscCore/v1/users", auth=("demo@sandbox", "demo-secret"))

Modules
    ``_http``      Request / Response / OFSHTTPError (the OFS error body)
    ``router``     ``@route(method, spec_template)``, dispatch via the operation catalog, the
                   catalog's request validator (live mode: unknown query parameters ignored,
                   trailing slash tolerated; strict mode: everything the spec says, 400
                   naming the violation), a few live-only routes, 404 / 405 / 501
    ``app``        :class:`Emulator` (auth → concurrency cap → faults → route → handler) and
                   :class:`EmulatorConfig`
    ``auth``       Basic ``demo@sandbox:demo-secret`` and Bearer tokens from the token service
    ``faults``     :class:`Faults`: deterministic latency, errors, 429 bursts, drops, slow bodies
    ``store``      :class:`Store`: SQLite (``$OFSC_SANDBOX_DB`` or the user data dir)
    ``seed``       deterministic demo data ("Harbor Field Services", the 30 days around today)
    ``transport``  :class:`EmulatorTransport`: httpx sync + async transport, no socket
    ``server``     :func:`serve` / :func:`run_forever`: ThreadingHTTPServer on 127.0.0.1
    ``handlers``   one module per API family (activities, events, resources, calendars,
                   inventories, users, metadata, capacity, statistics …)

Adding handlers
    Create ``ofsc_cli/sandbox/handlers/<area>.py``, register each operation with the spec's
    path template, and import the module in ``handlers/__init__.py``::

        from ofsc_cli.sandbox._http import Response
        from ofsc_cli.sandbox.handlers._common import not_found, paged_list
        from ofsc_cli.sandbox.router import Call, route

        @route("GET", "/rest/ofscCore/v1/events/subscriptions/{subscriptionId}")
        def get_subscription(call: Call) -> Response:
            doc = call.store.get("eventSubscriptions", call.param("subscriptionId"))
            if doc is None:
                raise not_found("subscription", call.param("subscriptionId"))
            return Response.json(doc)

    Registration fails for a template that is not in the catalog, and for an operation
    that already has a handler (the message names both).  By the time a handler runs,
    auth, path and query parameters were checked; raise :class:`OFSHTTPError` (or the
    ``_common`` helpers) for errors.  Keep per-collection differences as data (see
    ``handlers/metadata.py``'s :class:`Collection`).  Use ``call.store``
    (``get/put/delete/items/count``, sub-collections named with :func:`store.sub`) inside
    ``with call.store.transaction():`` for read-modify-write.
    An operation without a handler answers 501 "not emulated".

Route table
    :func:`emulated_operations` (``router.emulated_operations``) is the frozenset of the
    operation keys that have a handler, e.g. ``"GET /rest/ofscCore/v1/activities"`` (the
    format of ``EndpointSpec.key``); ``router.operation_owners()`` maps each to its module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ofsc_cli.sandbox._http import OFSHTTPError, Request, Response
    from ofsc_cli.sandbox.app import Emulator, EmulatorConfig, open_emulator
    from ofsc_cli.sandbox.faults import Faults
    from ofsc_cli.sandbox.router import emulated_operations
    from ofsc_cli.sandbox.server import ServerHandle, run_forever, serve
    from ofsc_cli.sandbox.store import SandboxStoreError, Store, default_db_path
    from ofsc_cli.sandbox.transport import EmulatorTransport

__all__ = [
    "Emulator",
    "EmulatorConfig",
    "EmulatorTransport",
    "Faults",
    "OFSHTTPError",
    "Request",
    "Response",
    "SandboxStoreError",
    "ServerHandle",
    "Store",
    "default_db_path",
    "emulated_operations",
    "open_emulator",
    "run_forever",
    "serve",
]

# Lazy exports: importing the package stays cheap (no sqlite3/httpx/catalog until needed).
_EXPORTS = {
    "OFSHTTPError": "_http",
    "Request": "_http",
    "Response": "_http",
    "Emulator": "app",
    "EmulatorConfig": "app",
    "open_emulator": "app",
    "Faults": "faults",
    "emulated_operations": "router",
    "ServerHandle": "server",
    "run_forever": "server",
    "serve": "server",
    "SandboxStoreError": "store",
    "Store": "store",
    "default_db_path": "store",
    "EmulatorTransport": "transport",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
