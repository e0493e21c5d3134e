"""Properties and their enumeration values, forms and inventory types.

Part of :mod:`ofsc_cli.models.metadata`: import the models from there.
"""

from __future__ import annotations

from typing import Literal

from ofsc_cli.models._base import OFSModel, OpenEnum
from ofsc_cli.models._metadata._common import Translations

__all__ = [
    "EnumerationValue",
    "EnumerationValueBody",
    "Form",
    "FormBody",
    "InventoryType",
    "InventoryTypeBody",
    "Property",
]


PropertyGui = OpenEnum[
    Literal[
        "text",
        "checkbox",
        "combobox",
        "radiogroup",
        "file",
        "signature",
        "image",
        "url",
        "phone",
        "email",
        "capture",
        "geo",
        "attachments",
    ]
]


class Property(OFSModel):
    """A custom property; ``gui`` is ``null`` on some tenants' built-in properties."""

    label: str | None = None
    name: str | None = None
    hint: str | None = None
    type: (
        OpenEnum[Literal["field", "integer", "string", "enumeration", "file", "attachments"]] | None
    ) = None
    entity: (
        OpenEnum[Literal["activity", "inventory", "resource", "service request", "user"]] | None
    ) = None
    gui: PropertyGui | None = None
    cloneFlag: bool | None = None
    template: str | None = None
    lines: int | None = None
    fileSizeLimit: OpenEnum[Literal["0.5MB", "1MB", "2MB", "3MB", "5MB"]] | None = None
    mimeTypes: list[str] | None = None
    translations: Translations | None = None


class EnumerationValue(OFSModel):
    """One value of an enumeration property, with its translations."""

    label: str | None = None
    active: bool | None = None
    translations: Translations | None = None


class EnumerationValueBody(EnumerationValue):
    """An enumeration value as a write body (``label`` and ``translations`` required)."""

    label: str
    translations: Translations


class Form(OFSModel):
    """A form definition (its ``content`` is the form's JSON, kept as a string)."""

    label: str | None = None
    name: str | None = None
    content: str | None = None
    translations: Translations | None = None


class FormBody(Form):
    """A form as a write body (``content`` required)."""

    content: str


class InventoryType(OFSModel):
    """An inventory type: serialized or not, its unit and its model property."""

    label: str | None = None
    name: str | None = None
    unitOfMeasurement: str | None = None
    active: bool | None = None
    nonSerialized: bool | None = None
    modelProperty: str | None = None
    quantityPrecision: int | None = None
    translations: Translations | None = None


class InventoryTypeBody(InventoryType):
    """An inventory type as a write body (required fields enforced)."""

    active: bool
    nonSerialized: bool
    translations: Translations
