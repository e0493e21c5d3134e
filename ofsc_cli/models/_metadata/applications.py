"""Applications (API clients), their API access and client secrets.

Part of :mod:`ofsc_cli.models.metadata`: import the models from there.
"""

from __future__ import annotations

from typing import Any, Literal

from ofsc_cli.models._base import OFSModel, OpenEnum
from ofsc_cli.models._metadata._common import Status

__all__ = [
    "ApiAccess",
    "ApiAccessConfiguration",
    "ApiEntity",
    "ApiMethod",
    "Application",
    "ApplicationBody",
    "ClientSecret",
]


TokenService = OpenEnum[Literal["ofsc", "external", "idcs"]]


class Application(OFSModel):
    """An application (an API client): its status, token service and the resources it may see."""

    label: str | None = None
    name: str | None = None
    status: Status | None = None
    tokenService: TokenService | None = None
    resourcesToAllow: list[dict[str, Any]] | None = None
    IPAddressesToAllow: list[str] | None = None
    allowedCorsDomains: list[str] | None = None


class ApplicationBody(Application):
    """An application as a write body (required fields enforced)."""

    name: str
    status: Status
    tokenService: TokenService
    resourcesToAllow: list[dict[str, Any]]
    IPAddressesToAllow: list[str]


class ApiAccess(OFSModel):
    """One API in an application's API access list."""

    label: str | None = None
    name: str | None = None
    status: Status | None = None


class ApiEntity(OFSModel):
    """An entity the application may reach through an API, and how."""

    label: str | None = None
    name: str | None = None
    access: OpenEnum[Literal["ReadOnly", "ReadWrite", "Hidden"]] | None = None
    accessRights: Any = None


class ApiMethod(OFSModel):
    """A method of the capacity API, switched ``on`` or ``off`` for the application."""

    label: str | None = None
    status: OpenEnum[Literal["on", "off"]] | None = None


class ApiAccessConfiguration(ApiAccess):
    """An application's access to one API.  Which members come depends on the API: core,
    metadata, statistics and collaboration answer ``apiEntities``, capacity answers
    ``apiMethods``, and only the inbound API has ``activityFields`` and the other field
    lists."""

    apiMethods: list[ApiMethod] | None = None
    apiEntities: list[ApiEntity] | None = None
    activityFields: list[dict[str, Any]] | None = None
    inventoryFields: list[dict[str, Any]] | None = None
    providerFields: list[dict[str, Any]] | None = None
    userFields: list[dict[str, Any]] | None = None
    requestFields: list[dict[str, Any]] | None = None


class ClientSecret(OFSModel):
    """The new client secret (``clientSecret``) of an application, from ``generateClientSecret``."""

    clientSecret: str | None = None

    def __repr__(self) -> str:  # never show the secret by accident
        return "ClientSecret(clientSecret='****')"

    __str__ = __repr__
