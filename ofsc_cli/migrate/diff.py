"""Compare two snapshots: per kind, the objects only in the source, only in the target, and
changed, with a field-level difference for each changed object."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ofsc_cli.migrate.kinds import KINDS
from ofsc_cli.migrate.snapshot import Snapshot

__all__ = ["MISSING", "DiffReport", "FieldChange", "KindDiff", "diff_objects", "diff_snapshots"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""Stands for a member one side does not have."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One differing value: ``path`` like ``translations[0].name``; MISSING when absent."""

    path: str
    source: Any
    target: Any

    def to_dict(self) -> dict[str, Any]:
        """Returns the change as JSON-ready data: its path and the values each side has (a side
        without the member is left out).
        """
        out: dict[str, Any] = {"path": self.path}
        if self.source is not MISSING:
            out["source"] = self.source
        if self.target is not MISSING:
            out["target"] = self.target
        return out


def _join(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name


def diff_objects(source: Any, target: Any, path: str = "") -> Iterator[FieldChange]:
    """Yields every leaf where ``source`` and ``target`` differ (dicts by key, lists by index),
    as a :class:`FieldChange` whose path starts with ``path``.
    """
    if isinstance(source, dict) and isinstance(target, dict):
        for name in sorted(set(source) | set(target)):
            yield from diff_objects(
                source.get(name, MISSING), target.get(name, MISSING), _join(path, name)
            )
    elif isinstance(source, list) and isinstance(target, list):
        for i in range(max(len(source), len(target))):
            yield from diff_objects(
                source[i] if i < len(source) else MISSING,
                target[i] if i < len(target) else MISSING,
                f"{path}[{i}]",
            )
    elif source != target or type(source) is not type(target):
        yield FieldChange(path or "(object)", source, target)


@dataclass
class KindDiff:
    """The differences of one kind."""

    name: str
    only_in_source: list[str] = field(default_factory=list)
    only_in_target: list[str] = field(default_factory=list)
    changed: dict[str, list[FieldChange]] = field(default_factory=dict)
    unchanged: int = 0

    @property
    def equal(self) -> bool:
        """Whether both sides hold the same objects of this kind, equal field by field."""
        return not (self.only_in_source or self.only_in_target or self.changed)

    def to_dict(self) -> dict[str, Any]:
        """Returns the differences as JSON-ready data (labels only on one side, changed fields,
        the unchanged count).
        """
        return {
            "resource": self.name,
            "onlyInSource": self.only_in_source,
            "onlyInTarget": self.only_in_target,
            "changed": [
                {"label": label, "fields": [c.to_dict() for c in changes]}
                for label, changes in self.changed.items()
            ],
            "unchanged": self.unchanged,
        }


@dataclass
class DiffReport:
    """The differences between two snapshots (``source``, ``target``: their origins), kind by
    kind.
    """

    source: str
    target: str
    kinds: list[KindDiff]

    @property
    def equal(self) -> bool:
        """Whether every kind compared is equal on both sides."""
        return all(k.equal for k in self.kinds)

    def to_dict(self) -> dict[str, Any]:
        """Returns the whole report as JSON-ready data."""
        return {
            "source": self.source,
            "target": self.target,
            "equal": self.equal,
            "resources": [k.to_dict() for k in self.kinds],
        }

    def rows(self) -> Iterator[dict[str, Any]]:
        """Yields one flat row per difference (for CSV/NDJSON)."""
        for k in self.kinds:
            for label in k.only_in_source:
                yield {"resource": k.name, "label": label, "difference": "only-in-source"}
            for label in k.only_in_target:
                yield {"resource": k.name, "label": label, "difference": "only-in-target"}
            for label, changes in k.changed.items():
                for c in changes:
                    yield {
                        "resource": k.name,
                        "label": label,
                        "difference": "changed",
                        **c.to_dict(),
                    }


def diff_kind(name: str, source: dict[str, Any], target: dict[str, Any]) -> KindDiff:
    result = KindDiff(name)
    for label in sorted(set(source) | set(target)):
        if label not in target:
            result.only_in_source.append(label)
        elif label not in source:
            result.only_in_target.append(label)
        else:
            changes = list(diff_objects(source[label], target[label]))
            if changes:
                result.changed[label] = changes
            else:
                result.unchanged += 1
    return result


def diff_snapshots(source: Snapshot, target: Snapshot) -> DiffReport:
    """Compare the kinds present in ``source`` with the same kinds of ``target``.  Returns the
    :class:`DiffReport`.
    """
    kinds = [
        diff_kind(k.name, source.objects[k.name], target.objects.get(k.name, {}))
        for k in KINDS
        if k.name in source.objects
    ]
    return DiffReport(source=source.origin, target=target.origin, kinds=kinds)
