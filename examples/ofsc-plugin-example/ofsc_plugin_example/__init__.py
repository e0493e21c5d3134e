"""An example ofsc plugin.

``register`` is the target of the ``ofsc_cli.plugins`` entry point: it adds a middleware that
stamps every request with an ``X-Plugin-Example`` header, and a validator that refuses a new
work zone whose label is not upper case (a naming rule a team might keep).  The command
group ``ofsc example`` lives in :mod:`ofsc_plugin_example.cli`, imported only when it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

    from ofsc_cli.client.middleware import AsyncCallNext, CallNext
    from ofsc_cli.plugins import PluginContext

__all__ = ["HEADER", "StampHeader", "register", "stamp_header", "upper_case_label"]

__version__ = "0.1.0"

HEADER = "X-Plugin-Example"
"""The header the middleware adds to every request."""

CREATE_WORK_ZONE = "POST /rest/ofscMetadata/v1/workZones"


class StampHeader:
    """Middleware adding ``X-Plugin-Example: ofsc-plugin-example/VERSION`` to each request,
    for sync clients (``__call__``) and async ones (``handle_async``)."""

    def __init__(self, value: str = f"ofsc-plugin-example/{__version__}") -> None:
        self.value = value

    def __call__(self, request: httpx.Request, call_next: CallNext) -> httpx.Response:
        request.headers[HEADER] = self.value
        return call_next(request)

    async def handle_async(
        self, request: httpx.Request, call_next: AsyncCallNext
    ) -> httpx.Response:
        request.headers[HEADER] = self.value
        return await call_next(request)


def stamp_header() -> StampHeader:
    """The middleware factory: ofsc calls it once for each client it builds."""
    return StampHeader()


def upper_case_label(operation: str, body: Any) -> None:
    """Refuse a work zone whose ``workZoneLabel`` has lower-case letters.

    Raises ValueError, which ofsc turns into a validation error: nothing is sent."""
    label = body.get("workZoneLabel") if isinstance(body, dict) else None
    if isinstance(label, str) and label != label.upper():
        raise ValueError(f"workZoneLabel {label!r} must be upper case (example plugin rule)")


def register(plugin: PluginContext) -> None:
    """Add this plugin's middleware and validator."""
    plugin.add_middleware(stamp_header)
    plugin.add_validator(CREATE_WORK_ZONE, upper_case_label)
