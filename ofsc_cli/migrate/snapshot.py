"""Snapshots of an instance's configuration: fetched from an instance, or read from an export
directory, and written to one.

A :class:`Snapshot` maps each kind to ``{label: object}`` where every object is *normalized*:
volatile members (``links``, and ``languageISO``, which the API derives from ``language``) are
removed at every depth, plus the kind's own volatile top-level fields.  Two snapshots of the
same configuration are therefore equal, whatever instance they came from.

Export directory layout::

    DIR/manifest.json               what was exported: instance, time, counts, fingerprint
    DIR/<kind>/<label>.json         one object per file, keys sorted, 2-space indent

File names are the label with characters other than letters, digits, ``-``, ``_`` and ``.``
percent-encoded.  Writing is stable: unchanged files are not rewritten, files of objects that
no longer exist are removed, and the manifest is kept as it is when nothing changed (so a
second export of an unchanged instance changes no byte).  Everything is fetched before the
first file is written: a failed export leaves the directory as it was.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from ofsc_cli.migrate.kinds import KINDS, Kind, MigrationInputError, kind, select_kinds

__all__ = [
    "DEFAULT_CONCURRENCY",
    "FORMAT",
    "MANIFEST",
    "Snapshot",
    "WriteStats",
    "dumps",
    "fetch_snapshot",
    "file_name",
    "label_of",
    "normalize",
    "read_manifest",
    "read_snapshot",
    "write_snapshot",
]

MANIFEST = "manifest.json"
FORMAT = "ofsc-metadata-export"
FORMAT_VERSION = 1
DEFAULT_CONCURRENCY = 8
VOLATILE_ANYWHERE = frozenset({"links", "languageISO"})

Progress = Callable[[str], None]


@dataclass
class Snapshot:
    """Normalized objects per kind name, and where they came from."""

    origin: str
    objects: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @property
    def kinds(self) -> list[str]:
        return [k.name for k in KINDS if k.name in self.objects]

    def counts(self) -> dict[str, int]:
        return {name: len(self.objects[name]) for name in self.kinds}


# -- normalization ------------------------------------------------------------------------


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in VOLATILE_ANYWHERE}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def normalize(k: Kind, obj: Mapping[str, Any]) -> dict[str, Any]:
    """``obj`` without its volatile members (see the module docs)."""
    data: dict[str, Any] = _strip({n: v for n, v in obj.items() if n not in k.volatile})
    return data


def label_of(k: Kind, obj: Mapping[str, Any]) -> str | None:
    value = obj.get(k.key)
    return None if value is None else str(value)


def dumps(obj: Any) -> str:
    """The file form of an object: sorted keys, 2-space indent, UTF-8, final newline."""
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def file_name(label: str) -> str:
    return quote(label, safe="-_.") + ".json"


# -- fetching -----------------------------------------------------------------------------


def _page_size(declared: Any) -> int:
    from ofsc_cli.catalog import load_catalog

    op = load_catalog().by_key.get(declared.spec.key)
    return (op.limit_max if op is not None else None) or declared.spec.page_size or 100


async def _list_all(
    sem: asyncio.Semaphore, ns: Any, method: str, *args: Any
) -> list[dict[str, Any]]:
    """Every item of a collection, pages fetched concurrently (bounded by ``sem``)."""
    from ofsc_cli.client.api.metadata import Metadata
    from ofsc_cli.models import dump

    bound = getattr(ns, method)
    declared = getattr(Metadata, method)
    if declared.spec.paging != "offset":
        async with sem:
            page = await bound(*args)
        return [dump(i) for i in page.items]
    size = _page_size(declared)

    async def fetch(offset: int) -> Any:
        async with sem:
            return await bound(*args, offset=offset, limit=size)

    first = await fetch(0)
    pages = [first]
    step = len(first.items)
    total = first.totalResults
    if step and total is not None and step < total:
        pages.extend(await asyncio.gather(*(fetch(o) for o in range(step, total, step))))
    items = [i for p in pages for i in p.items]
    complete = all(len(p.items) == step for p in pages[:-1])
    if not complete or (total is not None and len(items) != total) or pages[-1].hasMore:
        # Short pages in the middle, or the collection changed: read it again in order.
        items = []
        offset = 0
        while True:
            page = await fetch(offset)
            items.extend(page.items)
            offset += len(page.items)
            if not page.items or not (
                page.hasMore or (page.totalResults is not None and offset < page.totalResults)
            ):
                break
    return [dump(i) for i in items]


async def _fetch_kind(
    sem: asyncio.Semaphore, ns: Any, k: Kind, parents: dict[str, list[dict[str, Any]]]
) -> dict[str, dict[str, Any]]:
    if k.parent is not None:
        owners = [p for p in parents[k.parent] if k.parent_filter is None or k.parent_filter(p)]
        labels = [str(p[kind(k.parent).key]) for p in owners]
        lists = await asyncio.gather(*(_list_all(sem, ns, k.list, label) for label in labels))
        raw = [{"label": label, "items": items} for label, items in zip(labels, lists, strict=True)]
    else:
        raw = parents[k.name] if k.name in parents else await _list_all(sem, ns, k.list)
        if k.get is not None:
            getter = getattr(ns, k.get)

            async def detail(obj: dict[str, Any]) -> dict[str, Any]:
                from ofsc_cli.models import dump

                async with sem:
                    return dump(await getter(obj[k.key]))  # type: ignore[no-any-return]

            raw = list(await asyncio.gather(*(detail(o) for o in raw)))
    out: dict[str, dict[str, Any]] = {}
    for obj in raw:
        label = label_of(k, obj)
        if label is not None:
            out[label] = normalize(k, obj)
    return dict(sorted(out.items()))


async def fetch_snapshot(
    client: Any,
    kinds: Iterable[Kind] | None = None,
    *,
    origin: str,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: Progress | None = None,
) -> Snapshot:
    """Read ``kinds`` (default: all) from an :class:`~ofsc_cli.AsyncOFSC` client.

    At most ``concurrency`` requests are in flight; paged collections are read at the
    API's largest page size.  ``progress(kind_name)`` is called as each kind completes.
    """
    selected = list(KINDS if kinds is None else kinds)
    sem = asyncio.Semaphore(max(1, concurrency))
    ns = client.metadata
    needed = {k.parent for k in selected if k.parent is not None}
    parents: dict[str, list[dict[str, Any]]] = {}
    if needed:
        names = sorted(needed)
        lists = await asyncio.gather(*(_list_all(sem, ns, kind(n).list) for n in names))
        parents = dict(zip(names, lists, strict=True))

    async def one(k: Kind) -> tuple[str, dict[str, dict[str, Any]]]:
        result = await _fetch_kind(sem, ns, k, parents)
        if progress is not None:
            progress(k.name)
        return k.name, result

    results = await asyncio.gather(*(one(k) for k in selected))
    return Snapshot(origin=origin, objects=dict(results))


# -- the export directory -----------------------------------------------------------------


@dataclass
class WriteStats:
    """What :func:`write_snapshot` changed on disk."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    manifest_changed: bool = False


def _write_if_changed(path: Path, text: str) -> bool:
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def _fingerprint(snapshot: Snapshot) -> str:
    digest = hashlib.sha256()
    for name in snapshot.kinds:
        for label, obj in snapshot.objects[name].items():
            digest.update(f"{name}/{label}\n".encode())
            digest.update(dumps(obj).encode("utf-8"))
    return digest.hexdigest()


def write_snapshot(
    directory: Path, snapshot: Snapshot, *, instance: str, now: dt.datetime | None = None
) -> WriteStats:
    """Write ``snapshot`` under ``directory`` (created if needed); see the module docs."""
    stats = WriteStats()
    directory.mkdir(parents=True, exist_ok=True)
    for name in snapshot.kinds:
        folder = directory / name
        folder.mkdir(exist_ok=True)
        wanted = {file_name(label): obj for label, obj in snapshot.objects[name].items()}
        for fname, obj in wanted.items():
            if _write_if_changed(folder / fname, dumps(obj)):
                stats.written += 1
            else:
                stats.unchanged += 1
        for stale in folder.glob("*.json"):
            if stale.name not in wanted:
                stale.unlink()
                stats.removed += 1
    fingerprint = _fingerprint(snapshot)
    manifest_path = directory / MANIFEST
    previous = _load_manifest(manifest_path)
    same = (
        previous is not None
        and previous.get("fingerprint") == fingerprint
        and previous.get("instance") == instance
        and previous.get("resources") == snapshot.counts()
    )
    if not same:
        moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "instance": instance,
            "exportedAt": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "resources": snapshot.counts(),
            "fingerprint": fingerprint,
        }
        stats.manifest_changed = _write_if_changed(manifest_path, dumps(manifest))
    return stats


def _load_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _line_of(text: str, name: str) -> int | None:
    """The line where the member ``name`` first appears in a JSON text."""
    needle = json.dumps(name) + ":"
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line.replace('": ', '":'):
            return number
    return None


def _read_object(path: Path, k: Kind) -> tuple[str, dict[str, Any]]:
    from pydantic import ValidationError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MigrationInputError(f"{path}: cannot read: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MigrationInputError(
            f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    if not isinstance(data, dict):
        raise MigrationInputError(f"{path}: line 1: expected a JSON object")
    expected = unquote(path.name[: -len(".json")])
    label = label_of(k, data)
    if label is None:
        raise MigrationInputError(f"{path}: line 1: '{k.key}' is missing")
    if label != expected:
        line = _line_of(text, k.key)
        raise MigrationInputError(
            f"{path}: line {line}: {k.key} is '{label}' but the file name says '{expected}'"
        )
    try:
        k.model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err["loc"]) or "(object)"
            line = _line_of(text, str(err["loc"][0])) if err["loc"] else None
            at = f"line {line}: " if line else ""
            problems.append(f"{at}{where}: {err['msg']}")
        raise MigrationInputError(
            f"{path}: invalid {k.name} object: " + "; ".join(problems)
        ) from None
    return label, normalize(k, data)


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of an export directory (:class:`MigrationInputError` if it is not one)."""
    path = directory / MANIFEST
    if not directory.is_dir():
        raise MigrationInputError(f"{directory}: no such directory")
    if not path.is_file():
        raise MigrationInputError(
            f"{directory} is not an export: {MANIFEST} is missing "
            "(create one with: ofsc metadata export DIR)"
        )
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MigrationInputError(
            f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MigrationInputError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise MigrationInputError(f"{path}: not an ofsc metadata export manifest")
    if not isinstance(data.get("resources"), dict):
        raise MigrationInputError(f"{path}: 'resources' is missing")
    return data


def read_snapshot(directory: Path, only: Iterable[str] | None = None) -> Snapshot:
    """The snapshot stored in an export directory, restricted to ``only`` when given.

    Every file is read and checked (valid JSON, an object of the kind's shape, its label
    matching the file name) before anything is returned.
    """
    manifest = read_manifest(directory)
    exported = [n for n in manifest["resources"] if n in {k.name for k in KINDS}]
    if only is None:
        kinds = select_kinds(exported)
    else:
        kinds = select_kinds(only)
        missing = [k.name for k in kinds if k.name not in exported]
        if missing:
            raise MigrationInputError(
                f"{directory} has no {', '.join(missing)} (exported: {', '.join(exported)})"
            )
    origin = f"{directory} (instance {manifest.get('instance', '?')})"
    snapshot = Snapshot(origin=origin)
    for k in kinds:
        folder = directory / k.name
        objects: dict[str, dict[str, Any]] = {}
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                label, obj = _read_object(path, k)
                objects[label] = obj
        snapshot.objects[k.name] = dict(sorted(objects.items()))
    return snapshot
