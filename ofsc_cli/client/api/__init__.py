"""The operation namespaces, each declared once for both clients (see ``_endpoint.py``)."""

from ofsc_cli.client.api.capacity import Capacity
from ofsc_cli.client.api.collaboration import Collaboration
from ofsc_cli.client.api.core import Core
from ofsc_cli.client.api.metadata import Metadata
from ofsc_cli.client.api.oauth2 import OAuth2
from ofsc_cli.client.api.parts_catalog import PartsCatalog
from ofsc_cli.client.api.statistics import Statistics

__all__ = ["Capacity", "Collaboration", "Core", "Metadata", "OAuth2", "PartsCatalog", "Statistics"]
