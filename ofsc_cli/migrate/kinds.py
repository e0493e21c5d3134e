"""The configuration objects that can be exported, compared and applied, as data.

A :class:`Kind` says how one resource is read (its list operation, paged or not, and whether
each object must be fetched on its own), how it is written (create, replace, bulk), whether it
can be deleted, and which kinds must be written before it.  :data:`KINDS` is in dependency
order: a kind only depends on kinds listed before it.

Writes are small functions of ``(metadata namespace, label, object)`` returning the awaitable
of the call, so the differences between resources stay data (``POST`` with the key in the body
for work zones, ``POST`` to the keyed URL for link templates, create-or-replace ``PUT`` for the
rest).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ofsc_cli.errors import OFSValidationError
from ofsc_cli.models import OFSModel
from ofsc_cli.models import metadata as m

__all__ = ["KINDS", "Kind", "MigrationInputError", "kind", "select_kinds"]

Write = Callable[[Any, str, dict[str, Any]], Awaitable[Any]]


class MigrationInputError(OFSValidationError):
    """Bad input to export/diff/apply, detected before anything was sent (exit 2)."""


def _keyed(method: str, **kwargs: Any) -> Write:
    """``method(label, body)``: a create-or-replace PUT, a keyed POST or a PATCH."""

    def write(ns: Any, label: str, obj: dict[str, Any]) -> Awaitable[Any]:
        return getattr(ns, method)(label, obj, **kwargs)  # type: ignore[no-any-return]

    return write


def _body(method: str, **kwargs: Any) -> Write:
    """``method(body)``: a POST to the collection, the key inside the body."""

    def write(ns: Any, label: str, obj: dict[str, Any]) -> Awaitable[Any]:
        return getattr(ns, method)(obj, **kwargs)  # type: ignore[no-any-return]

    return write


def _values(method: str) -> Write:
    """``method(label, obj["items"])``: a sub-collection written as a whole."""

    def write(ns: Any, label: str, obj: dict[str, Any]) -> Awaitable[Any]:
        return getattr(ns, method)(label, obj.get("items") or [])  # type: ignore[no-any-return]

    return write


@dataclass(frozen=True, slots=True)
class Kind:
    """How one resource is read and written.

    ``list``: the Metadata method listing every object (``paged`` when it takes offset/limit).
    ``get``: when set, each object is fetched with it (the list leaves fields out).
    ``create``: how an object missing from the target is made (default: ``replace``).
    ``replace``: how an existing object is overwritten.  ``delete``: method name or None.
    ``bulk``: the method that replaces the whole collection at once (``replace``/``create``
    are then unused).  ``partial``: ``replace`` only changes the fields sent (a PATCH), so
    fields only the target has cannot be removed and do not make an object "changed" for
    apply.  ``parent``: the kind whose objects this sub-collection hangs off,
    ``parent_filter`` which of them have one.  ``after``: kinds to write first.
    ``model``: what a file of this kind must look like.
    """

    name: str
    key: str
    list: str
    model: type[OFSModel]
    paged: bool = True
    get: str | None = None
    create: Write | None = None
    replace: Write | None = None
    delete: str | None = None
    bulk: str | None = None
    partial: bool = False
    parent: str | None = None
    parent_filter: Callable[[dict[str, Any]], bool] | None = None
    after: tuple[str, ...] = ()
    volatile: frozenset[str] = field(default_factory=frozenset)

    @property
    def creator(self) -> Write | None:
        """How an object of this kind is created: its ``create`` write, else its ``replace``
        (a PUT that creates), else ``None``.
        """
        return self.create or self.replace


def _is_enumeration(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "enumeration"


class EnumerationList(OFSModel):
    """The values of one enumeration property, as exported (``label`` = the property)."""

    label: str
    items: list[m.EnumerationValueBody]


KINDS: tuple[Kind, ...] = (
    Kind(
        "work-skills",
        "label",
        "list_work_skills",
        m.WorkSkillBody,
        replace=_keyed("replace_work_skill"),
        delete="delete_work_skill",
    ),
    Kind(
        "work-skill-groups",
        "label",
        "list_work_skill_groups",
        m.WorkSkillGroupBody,
        replace=_keyed("replace_work_skill_group"),
        delete="delete_work_skill_group",
        after=("work-skills",),
    ),
    Kind(
        "work-skill-conditions",
        "internalId",
        "list_work_skill_conditions",
        m.WorkSkillCondition,
        paged=False,
        bulk="replace_work_skill_conditions",
        after=("work-skills",),
    ),
    Kind(
        "properties",
        "label",
        "list_properties",
        m.Property,
        replace=_keyed("replace_property"),
    ),
    Kind(
        "enumeration-lists",
        "label",
        "list_enumeration_values",
        EnumerationList,
        replace=_values("replace_enumeration_values"),
        parent="properties",
        parent_filter=_is_enumeration,
        after=("properties",),
    ),
    Kind(
        "activity-type-groups",
        "label",
        "list_activity_type_groups",
        m.ActivityTypeGroup,
        replace=_keyed("replace_activity_type_group"),
    ),
    Kind(
        "activity-types",
        "label",
        "list_activity_types",
        m.ActivityTypeBody,
        replace=_keyed("replace_activity_type"),
        after=("activity-type-groups",),
    ),
    Kind(
        "capacity-categories",
        "label",
        "list_capacity_categories",
        m.CapacityCategoryBody,
        replace=_keyed("replace_capacity_category"),
        delete="delete_capacity_category",
        after=("work-skills", "work-skill-groups"),
    ),
    Kind(
        "inventory-types",
        "label",
        "list_inventory_types",
        m.InventoryTypeBody,
        replace=_keyed("replace_inventory_type"),
        after=("properties",),
    ),
    Kind(
        "forms",
        "label",
        "list_forms",
        m.FormBody,
        get="get_form",
        replace=_keyed("replace_form"),
        delete="delete_form",
        volatile=frozenset({"warnings"}),
    ),
    Kind(
        "shifts",
        "label",
        "list_shifts",
        m.ShiftBody,
        replace=_keyed("replace_shift"),
        delete="delete_shift",
    ),
    Kind(
        "link-templates",
        "label",
        "list_link_templates",
        m.LinkTemplateBody,
        create=_keyed("create_link_template"),
        replace=_keyed("update_link_template"),
        partial=True,
    ),
    Kind(
        "map-layers",
        "label",
        "list_map_layers",
        m.MapLayerBody,
        paged=False,
        create=_body("create_map_layer"),
        replace=_keyed("replace_map_layer"),
    ),
    Kind(
        "work-zones",
        "workZoneLabel",
        "list_work_zones",
        m.WorkZoneBody,
        create=_body("create_work_zone", auto_resolve_conflicts=True),
        replace=_keyed("replace_work_zone", auto_resolve_conflicts=True),
    ),
)
"""Every migratable kind, in dependency order."""

_BY_NAME = {k.name: k for k in KINDS}


def kind(name: str) -> Kind:
    """Returns the kind called ``name``.  Raises :class:`KeyError` if there is none."""
    return _BY_NAME[name]


def select_kinds(only: Iterable[str] | None) -> list[Kind]:
    """Returns the kinds named in ``only`` (all when None), in dependency order.

    Raises :class:`MigrationInputError` listing the valid names for an unknown name, or when
    ``only`` names none at all.
    """
    if only is None:
        return list(KINDS)
    wanted = [n.strip() for n in only if n.strip()]
    unknown = [n for n in wanted if n not in _BY_NAME]
    if unknown:
        raise MigrationInputError(
            f"unknown resource(s): {', '.join(unknown)}; valid: {', '.join(k.name for k in KINDS)}"
        )
    if not wanted:
        raise MigrationInputError("--only names no resource")
    return [k for k in KINDS if k.name in wanted]
