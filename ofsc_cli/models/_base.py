"""Base classes shared by every model.

Models use the API's own field names (camelCase, ``languageISO``…), keep every field they do not
declare (``extra="allow"``) and serialise back exactly what came in: ``model_dump`` with
``exclude_unset=True`` (see :func:`dump`) never adds defaults the server did not send.

Enumerations are open: a field typed ``OpenEnum[Literal["a", "b"]]`` documents the values the
spec lists, and keeps any other string exactly as it came (a tenant on a newer release may
send a value we have never seen).  :func:`known_values` gives the documented ones.  What we
send is held to them: models only ever sent (``documented_values_only = True``: request bodies)
refuse other values, and any model validated with :data:`REQUEST_CONTEXT` (as the CLI checks a
``--file`` body) does too, with the error a closed ``Literal`` gives.  Numbers
the spec calls ``number`` are :data:`Number` (``int | float``), so ``60`` stays ``60`` and is
not written back as ``60.0``.
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Generic,
    Literal,
    Self,
    TypeAlias,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, model_validator
from pydantic_core import InitErrorDetails

if TYPE_CHECKING:
    import httpx

__all__ = [
    "REQUEST_CONTEXT",
    "Link",
    "Number",
    "OFSModel",
    "OpenEnum",
    "Page",
    "Translation",
    "dump",
    "known_values",
]

T = TypeVar("T")
E = TypeVar("E", bound=str)

OpenEnum: TypeAlias = Union[E, str]  # noqa: UP007 - a generic alias needs Union[...]
"""An open enumeration: ``OpenEnum[Literal["active", "inactive"]]`` accepts the listed values
and any other string, which is kept as sent (never an error)."""

Number: TypeAlias = int | float
"""A JSON number kept as sent: an integer stays an integer, a fraction a float."""

REQUEST_CONTEXT: dict[str, Any] = {"documented_values_only": True}
"""Validation context for a body about to be sent: enumerations take only documented values
(``Model.model_validate(body, context=REQUEST_CONTEXT)``)."""


def known_values(annotation: Any) -> tuple[str, ...]:
    """Returns the documented values of the :data:`OpenEnum` (or ``Literal``) ``annotation``, in
    order (empty for an annotation that lists none).
    """
    if get_origin(annotation) is Literal:
        return tuple(str(v) for v in get_args(annotation))
    found: list[str] = []
    for arg in get_args(annotation):
        found.extend(v for v in known_values(arg) if v not in found)
    return tuple(found)


class OFSModel(BaseModel):
    """A model of an OFS object: unknown fields kept, exact round trip."""

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, protected_namespaces=(), defer_build=True
    )

    documented_values_only: ClassVar[bool] = False
    """True on models that are only ever sent: their enumerations (and those of the models
    inside them) refuse values the spec does not list."""

    @model_validator(mode="after")
    def _documented_values(self, info: ValidationInfo) -> Self:
        context = info.context
        if type(self).documented_values_only or (
            isinstance(context, dict) and context.get("documented_values_only")
        ):
            problems = _undocumented(self, ())
            if problems:
                raise ValidationError.from_exception_data(type(self).__name__, problems)
        return self

    def to_dict(self) -> dict[str, Any]:
        """Returns the object as OFS sent it (plus any fields set since), JSON-ready."""
        data: dict[str, Any] = dump(self)
        return data


_ENUM_FIELDS: dict[type[BaseModel], dict[str, tuple[str, ...]]] = {}


def _enum_fields(cls: type[BaseModel]) -> dict[str, tuple[str, ...]]:
    """Field name -> documented values, for the enumeration fields of ``cls`` (cached)."""
    found = _ENUM_FIELDS.get(cls)
    if found is None:
        found = {}
        for name, field in cls.model_fields.items():
            values = known_values(field.annotation)
            if values:
                found[name] = values
        _ENUM_FIELDS[cls] = found
    return found


def _undocumented(model: BaseModel, loc: tuple[str | int, ...]) -> list[InitErrorDetails]:
    """A closed ``Literal``'s error for each value ``model`` (and the models in it) holds
    that its enumeration does not list."""
    problems: list[InitErrorDetails] = []
    enums = _enum_fields(type(model))
    for name in model.model_fields_set & set(type(model).model_fields):
        value = getattr(model, name)
        alias = type(model).model_fields[name].alias or name
        where = (*loc, alias)
        values = value if isinstance(value, list) else [value]
        for i, element in enumerate(values):
            at = (*where, i) if isinstance(value, list) else where
            if isinstance(element, BaseModel):
                problems.extend(_undocumented(element, at))
            elif name in enums and isinstance(element, str) and element not in enums[name]:
                expected = " or ".join(f"'{v}'" for v in enums[name])
                problems.append(
                    InitErrorDetails(
                        type="literal_error", loc=at, input=element, ctx={"expected": expected}
                    )
                )
    return problems


def dump(obj: Any) -> Any:
    """Returns the JSON-ready form of ``obj`` when it is a model (fields as OFS names them,
    only those set); plain data is returned as is.
    """
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return obj


class Link(OFSModel):
    """A link of an answer or an item (``rel``, ``href``, ``mediaType``)."""

    rel: str | None = None
    href: str | None = None
    mediaType: str | None = None


class Translation(OFSModel):
    """The name of an object in one language."""

    language: str
    name: str | None = None
    languageISO: str | None = None


class Page(OFSModel, Generic[T]):
    """One page of a collection: the list envelope every paged OFS endpoint returns."""

    items: list[T] = []
    totalResults: int | None = None
    hasMore: bool | None = None
    offset: int | None = None
    limit: int | None = None
    links: list[Link] | None = None

    @property
    def response(self) -> httpx.Response | None:
        """The ``httpx.Response`` this page was parsed from (``None`` for a page not read by
        a client); not a field: it is never serialised."""
        from ofsc_cli.models._responses import response_of

        return response_of(self)
