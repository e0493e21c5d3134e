"""Request handlers, one module per API family (the catalog's ``family`` and ``tag``).

Importing this package registers every handler with :mod:`ofsc_cli.sandbox.router`; each
operation has exactly one handler, and a second registration fails at import time.
:func:`~ofsc_cli.sandbox.router.operation_owners` tells which module serves which operation.

Core API
    ``activities`` (the list, one activity, search, where-is-my-tech), ``activity_actions``
    (status actions, move), ``activity_bulk`` (bulkUpdate), ``activity_subresources`` (file
    properties, inventories, required inventories, resource preferences, links, forms),
    ``events`` (subscriptions, the feed), ``daily_extract``, ``service_requests``,
    ``resources`` (the tree, one resource, work skills and zones, users, plans, files,
    matching), ``calendars`` (calendars, work schedules), ``resource_locations``,
    ``resource_positions``, ``resource_routes``, ``resource_bulk``, ``inventories``, ``users``
Metadata API
    ``metadata`` (the keyed collections, work skill conditions, enumeration lists),
    ``work_zones``, ``capacity_areas``, ``applications``, ``routing_plans``, ``plugins``
Capacity API
    ``capacity`` (the model, available capacity), ``quota``, ``booking``
Others
    ``statistics``, ``collaboration``, ``parts_catalog``, ``oauth``

To add an area, create a module here that registers its routes at import time
(``@route(...)`` or :func:`~ofsc_cli.sandbox.router.add_route`) and import it below; shared
helpers go to ``_common``.
"""

from ofsc_cli.sandbox.handlers import (  # noqa: F401
    activities,
    activity_actions,
    activity_bulk,
    activity_subresources,
    applications,
    booking,
    calendars,
    capacity,
    capacity_areas,
    collaboration,
    daily_extract,
    events,
    inventories,
    metadata,
    oauth,
    parts_catalog,
    plugins,
    quota,
    resource_bulk,
    resource_locations,
    resource_positions,
    resource_routes,
    resources,
    routing_plans,
    service_requests,
    statistics,
    users,
    work_zones,
)
