"""Make a target instance match a snapshot: plan the writes, then run them.

:func:`plan_apply` compares the source snapshot with the target's and gives one
:class:`Action` per object: ``create`` (only in the source), ``replace`` (changed),
``unchanged`` (for kinds written with PATCH, fields only the target has are ignored: PATCH
cannot remove them), and with ``prune`` ``delete`` (only in the target, for kinds that can be
deleted; others are ``keep``).  Nothing is written for ``unchanged``/``keep``, so applying the
same snapshot twice writes nothing the second time.

:func:`run_plan` writes in dependency order (kind by kind, objects of one kind concurrently,
bounded), then deletes in the reverse order.  A failed write is recorded on its
:class:`Outcome` and the others continue.  Kinds written as a whole collection (``bulk``, e.g.
work skill conditions) are sent once with every object the target should end up with.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ofsc_cli.migrate.diff import FieldChange, diff_objects
from ofsc_cli.migrate.kinds import KINDS, Kind
from ofsc_cli.migrate.snapshot import DEFAULT_CONCURRENCY, Snapshot

__all__ = ["Action", "ApplySummary", "Outcome", "plan_apply", "run_plan", "summarize"]

Verb = Literal["create", "replace", "unchanged", "delete", "keep"]
WRITES: frozenset[str] = frozenset({"create", "replace", "delete"})


@dataclass(frozen=True)
class Action:
    """What apply does with one object."""

    kind: str
    label: str
    verb: Verb
    body: dict[str, Any] | None = None
    changes: tuple[FieldChange, ...] = ()

    @property
    def writes(self) -> bool:
        """Whether the action writes (``create``, ``replace`` or ``delete``)."""
        return self.verb in WRITES

    def to_dict(self) -> dict[str, Any]:
        """Returns the action as a JSON-ready row: resource, label, action, changed fields."""
        out: dict[str, Any] = {"resource": self.kind, "label": self.label, "action": self.verb}
        if self.changes:
            out["fields"] = [c.path for c in self.changes]
        return out


@dataclass
class Outcome:
    """What happened to one action: ``error`` is the failure's message, ``None`` when it
    worked.
    """

    action: Action
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the action worked."""
        return self.error is None


def _top(path: str) -> str:
    """The top-level member a field path starts with (``translations[0].name`` -> ...)."""
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def plan_apply(source: Snapshot, target: Snapshot, *, prune: bool = False) -> list[Action]:
    """Returns the actions that make ``target`` match ``source`` for the kinds in ``source``, in
    dependency order; with ``prune``, objects only the target has are deleted (where their
    kind can be) instead of kept.
    """
    actions: list[Action] = []
    for k in KINDS:
        if k.name not in source.objects:
            continue
        mine = source.objects[k.name]
        theirs = target.objects.get(k.name, {})
        for label in sorted(set(mine) | set(theirs)):
            if label not in theirs:
                actions.append(Action(k.name, label, "create", mine[label]))
            elif label not in mine:
                can_delete = k.delete is not None or k.bulk is not None
                verb: Verb = "delete" if prune and can_delete else "keep"
                actions.append(Action(k.name, label, verb, theirs[label]))
            else:
                changes = tuple(
                    c
                    for c in diff_objects(mine[label], theirs[label])
                    if not (k.partial and _top(c.path) not in mine[label])
                )
                verb = "replace" if changes else "unchanged"
                actions.append(Action(k.name, label, verb, mine[label], changes))
    return actions


def _message(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    detail = getattr(exc, "detail", None)
    if detail and detail not in text:
        text = f"{text}: {detail}"
    return text


async def _write_one(ns: Any, k: Kind, action: Action) -> None:
    body = dict(action.body or {})
    if action.verb == "create":
        writer = k.creator
    elif action.verb == "replace":
        writer = k.replace
    else:
        assert k.delete is not None
        await getattr(ns, k.delete)(action.label)
        return
    assert writer is not None
    await writer(ns, action.label, body)


async def _write_bulk(ns: Any, k: Kind, actions: list[Action]) -> None:
    """One collection-wide write with every object the target should keep."""
    assert k.bulk is not None
    keep = [a.body for a in actions if a.verb != "delete" and a.body is not None]
    await getattr(ns, k.bulk)(keep)


async def run_plan(
    client: Any,
    actions: Iterable[Action],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Run the writing ``actions`` of a plan with ``client``, an :class:`~ofsc_cli.AsyncOFSC`:
    creates and replaces kind by kind in dependency order (up to ``concurrency`` objects of
    a kind at once), then deletes in the reverse order.  ``on_outcome`` is called with each
    :class:`Outcome` as it is known.  Returns every outcome.  Raises nothing for a failed
    write: its outcome carries the error, and the others continue.
    """
    plan = list(actions)
    ns = client.metadata
    sem = asyncio.Semaphore(max(1, concurrency))
    outcomes: list[Outcome] = []

    def record(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    async def guarded(k: Kind, action: Action) -> None:
        async with sem:
            try:
                await _write_one(ns, k, action)
            except Exception as exc:  # reported per object; the others continue
                record(Outcome(action, _message(exc)))
                return
        record(Outcome(action))

    by_kind: dict[str, list[Action]] = {}
    for action in plan:
        by_kind.setdefault(action.kind, []).append(action)
    ordered = [k for k in KINDS if k.name in by_kind]
    for k in ordered:
        mine = by_kind[k.name]
        if k.bulk is not None:
            if any(a.writes for a in mine):
                try:
                    await _write_bulk(ns, k, mine)
                    error = None
                except Exception as exc:
                    error = _message(exc)
                for a in mine:
                    if a.writes:
                        record(Outcome(a, error))
            continue
        await asyncio.gather(*(guarded(k, a) for a in mine if a.verb in ("create", "replace")))
    for k in reversed(ordered):
        if k.bulk is None:
            deletes = [a for a in by_kind[k.name] if a.verb == "delete"]
            await asyncio.gather(*(guarded(k, a) for a in deletes))
    return outcomes


@dataclass
class ApplySummary:
    """Counts per kind: created, replaced, unchanged, deleted, kept, failed."""

    rows: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """How many writes failed."""
        return len(self.failures)

    def table(self) -> list[dict[str, Any]]:
        """Returns one row per kind: created, replaced, unchanged, deleted, kept and failed
        counts.
        """
        columns = ("created", "replaced", "unchanged", "deleted", "kept", "failed")
        out = []
        for name, counts in self.rows.items():
            out.append({"resource": name, **{c: counts.get(c, 0) for c in columns}})
        return out


_DONE = {"create": "created", "replace": "replaced", "delete": "deleted"}


def summarize(actions: Iterable[Action], outcomes: Iterable[Outcome] | None) -> ApplySummary:
    """Returns the counts per kind of ``actions``; with ``outcomes`` None (a dry run), the
    planned counts, else what happened (a write without a successful outcome counts as
    failed).
    """
    summary = ApplySummary()
    results = {(o.action.kind, o.action.label): o for o in outcomes or ()}
    for action in actions:
        counts = summary.rows.setdefault(action.kind, Counter())
        if action.verb == "unchanged":
            counts["unchanged"] += 1
        elif action.verb == "keep":
            counts["kept"] += 1
        else:
            outcome = results.get((action.kind, action.label))
            if outcomes is not None and (outcome is None or not outcome.ok):
                counts["failed"] += 1
                if outcome is not None:
                    summary.failures.append(outcome)
            else:
                counts[_DONE[action.verb]] += 1
    return summary
