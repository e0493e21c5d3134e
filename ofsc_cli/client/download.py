"""Streaming a binary response (a file property, a daily-extract file) to disk, resumably.

The body is written to ``<name>.part`` next to the destination, with the validator the server
gave (``ETag`` or ``Last-Modified``) in ``<name>.part.json``; once complete (and of the
announced size) the part file is synced and renamed over the destination in one step, so the
destination is either absent or whole.

A part file left by an interrupted run (or by a connection dropped mid-body) is resumed with
``Range: bytes=<size>-`` and ``If-Range: <validator>``: a ``206`` continues it, a ``200``
(ranges unsupported, or the file changed) restarts it cleanly from the first byte.

When the disk fills up the part file is kept if the server supports ranges (so the download
resumes later) and removed otherwise; the :class:`DownloadError` says which.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from ofsc_cli.errors import OFSError, OFSValidationError

if TYPE_CHECKING:
    from ofsc_cli.client._sync import OFSC

__all__ = ["DownloadError", "DownloadResult", "check_writable_dir", "download", "part_path"]

CHUNK = 1 << 16
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")

Progress = Callable[[int, int | None], None]
"""Called with (bytes written so far, total size if known)."""


class DownloadError(OFSError):
    """A download failed; ``partial`` is the part file if it was kept for resuming."""

    def __init__(self, message: str, *, partial: Path | None = None, **kw: Any) -> None:
        """The error ``message``; ``partial`` is the part file kept for resuming (``None`` if it
        was not), ``kw`` the request context (as for :class:`~ofsc_cli.errors.OFSError`).
        """
        super().__init__(message, **kw)
        self.partial = partial


@dataclass(frozen=True)
class DownloadResult:
    """A finished download: where, how many bytes, and whether it resumed a partial file
    (from which byte) or had to start over."""

    path: Path
    size: int
    resumed_from: int = 0
    restarted: bool = False


def part_path(dest: Path) -> Path:
    """Returns the partial file a download of ``dest`` writes to until it is complete."""
    return dest.with_name(dest.name + ".part")


def _meta_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part.json")


def check_writable_dir(directory: Path) -> None:
    """Create ``directory`` if needed.  Raises :class:`OFSValidationError` if it cannot be
    created, is not a directory or cannot be written.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OFSValidationError(
            f"cannot create the directory {directory}: {exc.strerror or exc}"
        ) from None
    if not directory.is_dir():
        raise OFSValidationError(f"{directory} is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OFSValidationError(f"the directory {directory} is not writable")


def _load_meta(dest: Path) -> dict[str, Any]:
    try:
        data = json.loads(_meta_path(dest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_meta(dest: Path, meta: dict[str, Any]) -> None:
    _meta_path(dest).write_text(json.dumps(meta), encoding="utf-8")


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _write_chunk(fh: Any, chunk: bytes) -> None:
    """One write (a seam for tests that simulate a full disk)."""
    fh.write(chunk)


def download(
    client: OFSC,
    declared: Any,
    *args: Any,
    dest: Path,
    progress: Progress | None = None,
    attempts: int = 4,
    **kwargs: Any,
) -> DownloadResult:
    """Run ``declared`` (a declared GET operation, e.g. ``Core.get_activity_file``)
    with ``client`` and ``args``/``kwargs``, and stream its body to ``dest``.  Returns the
    :class:`DownloadResult`.

    ``progress(written, total)`` is called as bytes arrive (``total`` ``None`` when unknown);
    ``attempts`` bounds the resumes after a connection dropped mid-body.  Raises
    :class:`DownloadError` (disk full, body shorter than announced…), the client's errors for
    HTTP failures, and :class:`OFSValidationError` when ``dest``'s directory is unusable.
    """
    check_writable_dir(dest.parent)
    spec = declared.spec
    request = client.request_kwargs(
        spec, declared.build(getattr(client, spec.namespace), *args, **kwargs)
    )
    part = part_path(dest)
    resumed_from = 0
    restarted = False
    supports_ranges = False
    for attempt in range(1, max(1, attempts) + 1):
        offset = part.stat().st_size if part.exists() else 0
        meta = _load_meta(dest) if offset else {}
        headers = dict(request.get("headers") or {})
        if offset:
            headers["Range"] = f"bytes={offset}-"
            if meta.get("validator"):
                headers["If-Range"] = meta["validator"]
        try:
            with client.stream(
                request["method"], request["url"], params=request.get("params"), headers=headers
            ) as response:
                total, append = _plan(response, offset)
                supports_ranges = (
                    supports_ranges
                    or response.status_code == 206
                    or (response.headers.get("Accept-Ranges", "").lower() == "bytes")
                )
                if offset and append and not resumed_from:
                    resumed_from = offset
                if offset and not append:
                    restarted = True
                validator = response.headers.get("ETag") or response.headers.get("Last-Modified")
                _save_meta(dest, {"validator": validator, "total": total})
                written = offset if append else 0
                with part.open("ab" if append else "wb") as fh:
                    try:
                        for chunk in response.iter_bytes(CHUNK):
                            _write_chunk(fh, chunk)
                            written += len(chunk)
                            if progress is not None:
                                progress(written, total)
                        fh.flush()
                        os.fsync(fh.fileno())
                    except OSError as exc:
                        raise _disk_error(exc, dest, part, written, supports_ranges) from None
        except httpx.HTTPError:
            if attempt >= attempts:
                raise DownloadError(
                    f"the connection kept dropping while downloading {dest.name}; "
                    f"{part.stat().st_size if part.exists() else 0} bytes are kept in {part}: "
                    "run the command again to resume",
                    partial=part if part.exists() else None,
                ) from None
            continue
        except OFSError as error:
            if error.status_code == 416 and offset:
                # The part file does not fit the current file: start again from zero.
                _remove(part)
                restarted = True
                continue
            raise
        size = part.stat().st_size
        if total is not None and size < total:
            continue  # the body ended early: resume from what arrived
        if total is not None and size != total:
            _remove(part)
            raise DownloadError(
                f"{dest.name}: received {size} bytes where {total} were announced; "
                "the partial file was removed"
            )
        os.replace(part, dest)
        _remove(_meta_path(dest))
        return DownloadResult(dest, size, resumed_from, restarted)
    raise DownloadError(
        f"{dest.name} is still incomplete after {attempts} attempts; "
        f"{part.stat().st_size if part.exists() else 0} bytes are kept in {part}: "
        "run the command again to resume",
        partial=part if part.exists() else None,
    )


def _plan(response: httpx.Response, offset: int) -> tuple[int | None, bool]:
    """``(total size or None, whether to append to the part file)``."""
    if response.status_code == 206:
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if match and int(match.group(1)) == offset:
            total = None if match.group(3) == "*" else int(match.group(3))
            return total, True
        raise DownloadError(
            f"the server answered a range other than the one asked for (from byte {offset})"
        )
    length = response.headers.get("Content-Length")
    return (int(length) if length and length.isdigit() else None), False


def _disk_error(
    exc: OSError, dest: Path, part: Path, written: int, resumable: bool
) -> DownloadError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    if resumable:
        return DownloadError(
            f"cannot write {dest.name}: {reason} after {written} bytes; the partial download "
            f"is kept in {part} and resumes when the command is run again",
            partial=part,
        )
    _remove(part)
    _remove(_meta_path(dest))
    return DownloadError(
        f"cannot write {dest.name}: {reason} after {written} bytes; the server does not "
        "support resuming, so the partial file was removed"
    )
