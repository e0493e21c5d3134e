"""The operation namespaces, each declared once for both clients (see ``_endpoint.py``)."""

from ofsc_cli.client.api.capacity import Capacity
from ofsc_cli.client.api.core import Core
from ofsc_cli.client.api.metadata import Metadata
from ofsc_cli.client.api.oauth2 import OAuth2

__all__ = ["Capacity", "Core", "Metadata", "OAuth2"]
