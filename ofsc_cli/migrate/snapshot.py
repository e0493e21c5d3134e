"""Snapshots of an instance's configuration: fetched from an instance, or read from an export
directory, and written to one.

A :class:`Snapshot` maps each kind to ``{label: object}`` where every object is *normalized*:
volatile members (``links``, and ``languageISO``, which the API derives from ``language``) are
removed at every depth, plus the kind's own volatile top-level fields.  Two snapshots of the
same configuration are therefore equal, whatever instance they came from.

Export directory layout::

    DIR/manifest.json               ours ("tool": "ofsc", "format": "ofsc-metadata-export"):
                                    instance, time, and per kind its count, files, fingerprint
    DIR/<kind>/<label>.json         one object per file, keys sorted, 2-space indent

File names are the label with characters other than letters, digits, ``-``, ``_`` and ``.``
percent-encoded.  Writing is stable: unchanged files are not rewritten, files of objects that
no longer exist are removed, and the manifest is kept as it is when nothing changed (so a
second export of an unchanged instance changes no byte).

The files in the directory are the user's: an export writes only into a new or empty
directory or a previous export (``--force``: any directory), and replaces or removes only
the files the previous manifest lists (format 1 manifests listed none: there, the files that
look exported, a JSON object whose key is its file name's label).  Exporting some kinds
(``--only``) updates their part of the manifest and keeps the others'.  Everything is fetched
before the first file is written, and files are written under temporary names then renamed:
a failed or interrupted export leaves the previous export as it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
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
    "ExportDirectory",
    "Snapshot",
    "WriteStats",
    "check_prune",
    "dumps",
    "fetch_snapshot",
    "file_name",
    "label_of",
    "normalize",
    "open_export_directory",
    "read_manifest",
    "read_snapshot",
    "write_snapshot",
]

MANIFEST = "manifest.json"
TOOL = "ofsc"
FORMAT = "ofsc-metadata-export"
FORMAT_VERSION = 2
"""2 lists each kind's files; 1 (read and replaced as well) did not."""
TEMP_PREFIX = ".ofsc-"
"""Files being written are hidden under this prefix until they are complete."""
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
        """The names of the kinds this snapshot holds, in dependency order."""
        return [k.name for k in KINDS if k.name in self.objects]

    def counts(self) -> dict[str, int]:
        """Returns the number of objects of each kind held, by kind name."""
        return {name: len(self.objects[name]) for name in self.kinds}


# -- normalization ------------------------------------------------------------------------


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in VOLATILE_ANYWHERE}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def normalize(k: Kind, obj: Mapping[str, Any]) -> dict[str, Any]:
    """Returns ``obj``, an object of kind ``k``, without its volatile members (see the module
    docs).
    """
    data: dict[str, Any] = _strip({n: v for n, v in obj.items() if n not in k.volatile})
    return data


def label_of(k: Kind, obj: Mapping[str, Any]) -> str | None:
    """Returns the label of ``obj``, an object of kind ``k`` (its ``k.key`` member as text), or
    ``None`` when it has none.
    """
    value = obj.get(k.key)
    return None if value is None else str(value)


def dumps(obj: Any) -> str:
    """Returns the file form of ``obj``: sorted keys, 2-space indent, UTF-8, final newline."""
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def file_name(label: str) -> str:
    """Returns the file name of the object labelled ``label``: the label percent-encoded
    (letters, digits and ``-_.`` kept) plus ``.json``.
    """
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
    """Read ``kinds`` (default: all) with ``client``, an :class:`~ofsc_cli.AsyncOFSC`, and
    return them as a :class:`Snapshot` whose ``origin`` names where it came from.

    At most ``concurrency`` requests are in flight; paged collections are read at the
    API's largest page size.  ``progress(kind_name)`` is called as each kind completes.
    Raises the client's errors (:class:`~ofsc_cli.errors.OFSError`) when a read fails.
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


@dataclass(frozen=True)
class ExportDirectory:
    """What an export found in its directory: the previous manifest (None if there is none)
    and, per kind, the files that export wrote: the only files an export replaces or removes."""

    path: Path
    manifest: dict[str, Any] | None = None
    owned: dict[str, frozenset[str]] = field(default_factory=dict)


def _manifest_problem(data: Any) -> str | None:
    """Why ``data`` is not a manifest of ours (None when it is one)."""
    if not isinstance(data, dict):
        return "not a JSON object"
    if data.get("format") != FORMAT or data.get("tool", TOOL) != TOOL:
        return "not an ofsc metadata export manifest"
    if not isinstance(data.get("resources"), dict):
        return "'resources' is missing"
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return f"unknown format version {version!r}"
    return None


def _read_json(path: Path) -> tuple[str, Any]:
    """The text and JSON document of ``path``, read with the input reader's limits (a regular
    file of at most 64 MiB, UTF-8, bounded depth, no NaN or huge integers);
    :class:`MigrationInputError` naming the file, line and column otherwise."""
    from ofsc_cli.client.reader import InputError, decode_text, parse_json, read_input

    try:
        text = decode_text(read_input(path, what="an exported file"), path)
        return text, parse_json(text, path)
    except InputError as exc:
        raise MigrationInputError(str(exc)) from None


def _parse_manifest(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """``(manifest, None)`` for a manifest of ours, ``(None, why not)`` otherwise."""
    try:
        _, data = _read_json(path)
    except MigrationInputError as exc:
        return None, str(exc).removeprefix(f"{path}: ")
    problem = _manifest_problem(data)
    return (None, problem) if problem else (data, None)


def _is_file_name(name: Any) -> bool:
    """True for a name :func:`file_name` gives (one path component, never ``..``)."""
    return (
        isinstance(name, str)
        and name.endswith(".json")
        and file_name(unquote(name[: -len(".json")])) == name
    )


def _looks_exported(path: Path, k: Kind) -> bool:
    """A JSON object whose key is the label its file name says: what an export writes."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and label_of(k, data) == unquote(path.name[: -len(".json")])


def _owned_files(directory: Path, manifest: dict[str, Any]) -> dict[str, frozenset[str]]:
    known = {k.name: k for k in KINDS}
    entries = manifest.get("kinds")
    if isinstance(entries, dict):
        return {
            name: frozenset(f for f in entry.get("files") or () if _is_file_name(f))
            for name, entry in entries.items()
            if name in known and isinstance(entry, dict) and isinstance(entry.get("files"), list)
        }
    # Format 1 listed no files: those that look like what it wrote are its files.
    owned = {}
    for name in manifest["resources"]:
        if name in known:
            files = (directory / name).glob("*.json")
            owned[name] = frozenset(p.name for p in files if _looks_exported(p, known[name]))
    return owned


def open_export_directory(directory: Path, *, force: bool = False) -> ExportDirectory:
    """Check that an export may write into ``directory``.  Returns the
    :class:`ExportDirectory`, which says which files it may replace.

    Allowed: a directory that does not exist yet, an empty one, or a previous export (its
    ``manifest.json`` is ours, of this format or an earlier one).  Any other non-empty
    directory is refused (raises :class:`MigrationInputError`) unless ``force``; even then a
    ``manifest.json`` that is not ours is never replaced.
    """
    if not directory.exists():
        if directory.is_symlink():
            raise MigrationInputError(f"{directory} is a dangling symbolic link")
        above = next((p for p in directory.parents if os.path.lexists(p)), None)
        if above is not None and not above.is_dir():
            raise MigrationInputError(f"cannot create {directory}: {above} is not a directory")
        return ExportDirectory(directory)
    if not directory.is_dir():
        raise MigrationInputError(f"{directory} exists and is not a directory")
    try:
        empty = not any(os.scandir(directory))
    except OSError as exc:
        raise MigrationInputError(f"cannot read {directory}: {exc.strerror or exc}") from None
    if empty:
        return ExportDirectory(directory)
    path = directory / MANIFEST
    if not os.path.lexists(path):
        if force:
            return ExportDirectory(directory)
        raise MigrationInputError(
            f"{directory} is not empty and is not an ofsc export (no {MANIFEST}); "
            "use --force to export into it anyway (its other files are left alone)"
        )
    manifest, problem = _parse_manifest(path)
    if manifest is None:
        if force:
            raise MigrationInputError(
                f"{path} is not an ofsc export manifest ({problem}); "
                "refusing to replace it, even with --force: move it away first"
            )
        raise MigrationInputError(
            f"{directory} is not an ofsc export ({path}: {problem}); "
            "use --force to export into it anyway"
        )
    if manifest["version"] > FORMAT_VERSION:
        raise MigrationInputError(
            f"{path} was written by a newer ofsc (format version {manifest['version']}); "
            "refusing to change it"
        )
    return ExportDirectory(directory, manifest, _owned_files(directory, manifest))


def _kind_fingerprint(objects: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    for label, obj in objects.items():
        digest.update(f"{label}\n".encode())
        digest.update(dumps(obj).encode("utf-8"))
    return digest.hexdigest()


def _new_manifest(
    previous: ExportDirectory,
    snapshot: Snapshot,
    files: Mapping[str, list[str]],
    instance: str,
    moment: dt.datetime,
) -> dict[str, Any]:
    """The manifest after writing ``snapshot``: its kinds as exported now, the other kinds
    of the previous export kept as they were."""
    old = previous.manifest or {}
    old_counts: dict[str, Any] = old.get("resources") or {}
    entries = old.get("kinds")
    old_kinds: dict[str, Any] = entries if isinstance(entries, dict) else {}
    counts = snapshot.counts()
    resources: dict[str, Any] = {}
    kinds: dict[str, Any] = {}
    for k in KINDS:
        if k.name in counts:
            resources[k.name] = counts[k.name]
            kinds[k.name] = {
                "files": files[k.name],
                "fingerprint": _kind_fingerprint(snapshot.objects[k.name]),
            }
        elif k.name in old_counts:
            resources[k.name] = old_counts[k.name]
            entry = old_kinds.get(k.name)
            kept = dict(entry) if isinstance(entry, dict) else {}
            kept["files"] = sorted(previous.owned.get(k.name, ()))
            kinds[k.name] = kept
    return {
        "tool": TOOL,
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "instance": instance,
        "exportedAt": moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": resources,
        "kinds": kinds,
    }


def _current(path: Path) -> bytes | None:
    """The bytes at ``path`` (None when nothing is there)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b"" if os.path.lexists(path) else None  # a dangling link: something is there
    except IsADirectoryError:
        raise MigrationInputError(f"{path} is a directory; refusing to replace it") from None
    except OSError as exc:
        raise MigrationInputError(f"cannot read {path}: {exc.strerror or exc}") from None


def _stage(folder: Path, data: bytes) -> Path:
    """``data`` in a new hidden file of ``folder`` (renamed into place by the caller)."""
    while True:
        tmp = folder / f"{TEMP_PREFIX}{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_snapshot(
    directory: Path,
    snapshot: Snapshot,
    *,
    instance: str,
    now: dt.datetime | None = None,
    force: bool = False,
) -> WriteStats:
    """Write ``snapshot`` under ``directory`` (created if needed), with a manifest naming
    ``instance`` and the time ``now`` (default: the current time); see the module docs.
    Returns the :class:`WriteStats` (written, unchanged, removed).

    Raises :class:`MigrationInputError` (nothing written) as :func:`open_export_directory`
    says (``force`` as there), and when a file to write exists but the previous export did
    not write it (unless it already holds exactly what would be written).  Only files the
    previous manifest lists are replaced or removed.  Every new file is written to a
    temporary name first: a failure or an interruption before they are all written leaves
    the directory as it was.
    """
    previous = open_export_directory(directory, force=force)
    stats = WriteStats()
    writes: list[tuple[Path, bytes]] = []
    stale: list[Path] = []
    conflicts: list[Path] = []
    files: dict[str, list[str]] = {}
    for name in snapshot.kinds:
        folder = directory / name
        if os.path.lexists(folder) and not folder.is_dir():
            raise MigrationInputError(f"{folder} exists and is not a directory")
        owned = previous.owned.get(name, frozenset())
        wanted = {file_name(label): obj for label, obj in snapshot.objects[name].items()}
        files[name] = sorted(wanted)
        for fname, obj in wanted.items():
            path = folder / fname
            data = dumps(obj).encode("utf-8")
            current = _current(path)
            if current == data:
                stats.unchanged += 1
                continue
            if current is not None and fname not in owned:
                conflicts.append(path)
            writes.append((path, data))
        gone = [folder / f for f in sorted(owned - set(wanted))]
        stale += [p for p in gone if p.is_symlink() or p.is_file()]
    if conflicts:
        more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
        raise MigrationInputError(
            f"{conflicts[0]}{more} exists and was not written by ofsc metadata export; "
            "refusing to replace it: move it away or export into another directory"
        )
    manifest = _new_manifest(previous, snapshot, files, instance, now or dt.datetime.now(dt.UTC))
    old = dict(previous.manifest or {}, exportedAt=None)
    manifest_changed = old != dict(manifest, exportedAt=None)
    staged, staged_manifest = _stage_all(
        directory, snapshot.kinds, writes, manifest if manifest_changed else None
    )
    for tmp, path in staged:
        os.replace(tmp, path)
        stats.written += 1
    for path in stale:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            stats.removed += 1
    if staged_manifest is not None:
        os.replace(staged_manifest, directory / MANIFEST)
        stats.manifest_changed = True
    return stats


def _stage_all(
    directory: Path,
    kinds: Iterable[str],
    writes: list[tuple[Path, bytes]],
    manifest: dict[str, Any] | None,
) -> tuple[list[tuple[Path, Path]], Path | None]:
    """Create the folders and write every file under a temporary name: ``[(temporary,
    final)]`` and the temporary manifest.  On any failure what was created is removed."""
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    staged_manifest: Path | None = None
    try:
        missing = [p for p in (directory, *directory.parents) if not os.path.lexists(p)]
        for folder in [*reversed(missing), *(directory / k for k in kinds)]:
            if not os.path.lexists(folder):
                folder.mkdir()
                created.append(folder)
        for path, data in writes:
            staged.append((_stage(path.parent, data), path))
        if manifest is not None:
            staged_manifest = _stage(directory, dumps(manifest).encode("utf-8"))
    except BaseException as exc:
        for tmp in [*(t for t, _ in staged), *([staged_manifest] if staged_manifest else [])]:
            tmp.unlink(missing_ok=True)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, OSError):
            raise MigrationInputError(
                f"cannot write to {directory}: {exc.strerror or exc}"
                + (f" ({exc.filename})" if exc.filename else "")
            ) from None
        raise
    return staged, staged_manifest


def _line_of(text: str, name: str) -> int | None:
    """The line where the member ``name`` first appears in a JSON text."""
    needle = json.dumps(name) + ":"
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line.replace('": ', '":'):
            return number
    return None


def _read_object(path: Path, k: Kind) -> tuple[str, dict[str, Any]]:
    from pydantic import ValidationError

    text, data = _read_json(path)
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
    """Returns the manifest of the export ``directory``.  Raises :class:`MigrationInputError`
    if it is not one (no directory, no manifest, an invalid one, or one from a newer
    format).
    """
    path = directory / MANIFEST
    if not directory.is_dir():
        raise MigrationInputError(f"{directory}: no such directory")
    if not path.is_file():
        raise MigrationInputError(
            f"{directory} is not an export: {MANIFEST} is missing "
            "(create one with: ofsc metadata export DIR)"
        )
    manifest, problem = _parse_manifest(path)
    if manifest is None:
        raise MigrationInputError(f"{path}: {problem}")
    if manifest["version"] > FORMAT_VERSION:
        raise MigrationInputError(
            f"{path} was written by a newer ofsc (format version {manifest['version']})"
        )
    return manifest


def check_prune(directory: Path, manifest: Mapping[str, Any]) -> None:
    """Raise :class:`MigrationInputError` when the folders of the export ``directory`` and its
    ``manifest`` disagree; return nothing otherwise.

    ``apply --prune`` deletes on the target whatever the directory does not hold, so it must
    be sure what the directory holds: a folder of a kind the manifest does not list (its
    objects would be ignored: the manifest is stale, or the folder was put there by hand),
    or a kind the manifest lists with objects but whose folder is gone (every object of it
    would be deleted), means it cannot be.
    """
    exported: Mapping[str, Any] = manifest["resources"]
    path = directory / MANIFEST
    for k in KINDS:
        folder = directory / k.name
        if folder.is_dir() and k.name not in exported:
            raise MigrationInputError(
                f"{folder} is not covered by {path} (it lists: {', '.join(exported) or 'none'}); "
                "--prune deletes what the export does not hold, so it refuses an export it "
                f"cannot trust: re-export that resource (--only {k.name}) or move the folder away"
            )
        count = exported.get(k.name)
        if k.name in exported and not folder.is_dir() and count != 0:
            raise MigrationInputError(
                f"{folder} is missing but {path} lists {count} {k.name}; --prune would "
                "delete every one of them on the target: restore the folder or re-export it"
            )


def read_snapshot(
    directory: Path, only: Iterable[str] | None = None, *, prune: bool = False
) -> Snapshot:
    """Returns the snapshot stored in the export ``directory``, restricted to the kinds in
    ``only`` when given.

    Every file is read and checked (valid JSON, an object of the kind's shape, its label
    matching the file name) before anything is returned.  ``prune``: the snapshot is to
    delete what it does not hold; refuse a directory :func:`check_prune` cannot trust.
    Raises :class:`MigrationInputError` for any of these problems, or for a kind in ``only``
    the export does not hold.
    """
    manifest = read_manifest(directory)
    if prune:
        check_prune(directory, manifest)
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
