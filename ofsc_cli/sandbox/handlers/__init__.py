"""Request handlers, one module per API family or area.

Importing this package registers every handler with :mod:`ofsc_cli.sandbox.router`.  To add
an area, create a module here that registers its routes at import time (``@route(...)`` or
:func:`~ofsc_cli.sandbox.router.add_route`) and import it below.
"""

from ofsc_cli.sandbox.handlers import (  # noqa: F401
    activities,
    capacity,
    collaboration,
    core_activities,
    core_resources_extra,
    metadata,
    metadata_special,
    oauth,
    parts_catalog,
    resources,
    statistics,
    users,
)
