"""Models named without being imported: what declarations refer to, so that declaring an
operation or a command builds no model.

Building a model class is most of what importing a model module costs (a few tenths of a
millisecond per class on a 2-core machine).  The API namespaces and the command modules name
their models through a :class:`LazyModels` of the family's module, bound under the name a
type checker sees as the module itself::

    if TYPE_CHECKING:
        from ofsc_cli.models import metadata as m
    else:
        m = LazyModels("ofsc_cli.models.metadata")

    @paged("GET", f"{V1}/workZones", item=m.WorkZone)  # typed as the model, resolved later

At run time ``m.WorkZone`` is a :class:`ModelRef`, resolved (imported) when a response is
first parsed or a body first checked; type checkers see the model class itself.  Only the
standard library is used here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["LazyModels", "ModelRef", "annotation_names"]


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A model (or a type alias) named by its module and name, imported by :meth:`resolve`:
    ``ModelRef("ofsc_cli.models.metadata", "WorkZone")``."""

    module: str
    name: str

    def resolve(self) -> Any:
        """Returns the object named, importing its module if it is not yet.

        Raises :class:`ImportError` or :class:`AttributeError` when there is no such module
        or name (a programming error in a declaration).
        """
        return getattr(importlib.import_module(self.module), self.name)


class LazyModels:
    """The names of a models module as :class:`ModelRef` objects, nothing imported:
    ``LazyModels("ofsc_cli.models.metadata").WorkZone`` is
    ``ModelRef("ofsc_cli.models.metadata", "WorkZone")``."""

    __slots__ = ("_module",)

    def __init__(self, module: str) -> None:
        """``module``: the dotted name of the models module (not imported here)."""
        self._module = module

    def __getattr__(self, name: str) -> ModelRef:
        """Returns a reference to ``name`` of the module.  Raises :class:`AttributeError` for dunder
        names (copy, pickle and introspection probes), which are not models."""
        if name.startswith("__"):
            raise AttributeError(name)
        return ModelRef(self._module, name)

    def __repr__(self) -> str:
        return f"LazyModels({self._module!r})"


class _AnnotationNames(Mapping[str, Any]):
    """A module's names, then those of the models modules its :class:`LazyModels` name."""

    def __init__(self, namespace: Mapping[str, Any]) -> None:
        self._namespace = namespace

    def __getitem__(self, name: str) -> Any:
        if name in self._namespace:
            return self._namespace[name]
        for value in self._namespace.values():
            if isinstance(value, LazyModels):
                module = importlib.import_module(value._module)
                if hasattr(module, name):
                    return getattr(module, name)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._namespace)

    def __len__(self) -> int:
        return len(self._namespace)


def annotation_names(namespace: Mapping[str, Any]) -> Mapping[str, Any]:
    """Returns the names the annotations of a module with lazy models may use, for
    ``typing.get_type_hints(fn, localns=annotation_names(fn.__globals__))``: the module's own
    (``namespace``), then any name of a models module one of its :class:`LazyModels` names
    (imported when looked up).  Annotations such as ``body: WorkZone | dict[str, Any]`` name
    models the module imports only for type checkers."""
    return _AnnotationNames(namespace)
