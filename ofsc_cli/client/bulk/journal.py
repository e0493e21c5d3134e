"""The journal of a bulk run and its lock.

:class:`Journal` is the append-only JSON-lines file next to the input (a header, then one line
per batch event, each synced before the next request); :class:`JournalLock` lets one run at a
time use it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import socket
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ofsc_cli.client.bulk.base import Batch, BulkJournalError, JournalBusyError

__all__ = ["Journal", "JournalLock", "default_journal_path", "file_sha256"]


JOURNAL_KIND = "ofsc-bulk-journal"


JOURNAL_VERSION = 2


def default_journal_path(source: Path) -> Path:
    """Returns ``<input>.journal``, next to the input file ``source``."""
    return source.with_name(source.name + ".journal")


def file_sha256(path: Path) -> str:
    """Returns the SHA-256 of the file at ``path`` (hex), read in 1 MiB chunks.  Raises
    :class:`OSError` when it cannot be read.
    """
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_entries(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BulkJournalError(f"cannot read the journal {path}: {exc}") from None
    entries: list[dict[str, Any]] = []
    for number, text in enumerate(lines, 1):
        try:
            entries.append(json.loads(text))
        except ValueError:
            if number == len(lines):  # a line cut short by a crash: ignore it
                break
            raise BulkJournalError(
                f"the journal {path} is damaged at line {number}; move it away to start over"
            ) from None
    if not entries or entries[0].get("kind") != JOURNAL_KIND:
        raise BulkJournalError(f"{path} is not an ofsc bulk journal; move it away first")
    return entries


class Journal:
    """An append-only JSON-lines file: a header, then one line per batch event.

    ``states`` holds the last event of each batch without its results (:meth:`results` reads
    them back), so memory does not grow with them."""

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        """The journal at ``path`` whose first line is ``header`` (nothing is read or written:
        see :meth:`load` and :meth:`create`).
        """
        self.path = path
        self.header = header
        self.states: dict[int, dict[str, Any]] = {}

    @classmethod
    def load(cls, path: Path) -> Journal | None:
        """Returns the journal at ``path`` as it is (``None`` if there is none); writes nothing.
        Raises :class:`BulkJournalError` for a file that cannot be read, is damaged or is not a
        bulk journal.
        """
        if not path.exists():
            return None
        entries = _read_entries(path)
        journal = cls(path, entries[0])
        for entry in entries[1:]:
            journal._remember(entry)
        return journal

    @classmethod
    def create(cls, path: Path, header: dict[str, Any]) -> Journal:
        """Start a new journal at ``path`` with ``header`` as its first line.  Returns it.

        Raises :class:`BulkJournalError` when the file exists or cannot be written.
        """
        journal = cls(path, header)
        journal._append(header, create=True)
        return journal

    def check(self, header: Mapping[str, Any]) -> None:
        """Refuse to continue this journal for ``header``'s operation, input or options: raises
        :class:`BulkJournalError` saying which differs (and what to do).
        """
        mine = self.header
        if mine.get("operation") != header["operation"]:
            raise BulkJournalError(
                f"the journal {self.path} belongs to another operation "
                f"({mine.get('operation')}); move it away or use --journal to keep both"
            )
        if mine.get("inputSha256") != header["inputSha256"]:
            raise BulkJournalError(
                f"the journal {self.path} belongs to a different input: it was written for a "
                f"different version of {header['input']} (SHA-256 "
                f"{str(mine.get('inputSha256'))[:12]}… then, {header['inputSha256'][:12]}… "
                "now), so the batches it records as applied cannot be matched to this file. "
                "Restore the original input to resume that run, or move the journal away "
                "(or pass --restart) to apply this input from the start"
            )
        if mine.get("parameters") != header.get("parameters"):
            raise BulkJournalError(
                f"the journal {self.path} was written with other parameters "
                f"({json.dumps(mine.get('parameters'))}); resume with the same options"
            )

    def _append(self, entry: Mapping[str, Any], *, create: bool = False) -> None:
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        try:
            with self.path.open("x" if create else "a", encoding="utf-8") as fh:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise BulkJournalError(
                f"cannot write the journal {self.path}: {exc.strerror or exc}; "
                "use --journal PATH to put it elsewhere"
            ) from None

    def _remember(self, entry: Mapping[str, Any]) -> None:
        self.states[int(entry["batch"])] = {k: v for k, v in entry.items() if k != "results"}

    def state(self, index: int) -> str | None:
        """Returns the last recorded state of batch ``index`` (``"sent"``, ``"done"`` …), or
        ``None``.
        """
        entry = self.states.get(index)
        return str(entry["state"]) if entry else None

    def record(self, batch: Batch, state: str, **extra: Any) -> None:
        """Append (and sync) the event ``state`` of ``batch``, with ``extra`` members.

        Raises :class:`BulkJournalError` when the journal cannot be written."""
        entry = {
            "batch": batch.index,
            "state": state,
            "sha256": batch.digest,
            "span": batch.span,
            "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
            **extra,
        }
        self._append(entry)
        self._remember(entry)

    def results(self) -> Iterator[dict[str, Any]]:
        """Yields every per-item result recorded, in batch order, read back from the file one line
        at a time.  (A batch ends ``done`` or ``skipped`` only once every batch before it has, so
        the file holds those events in batch order.)
        """
        with self.path.open(encoding="utf-8") as fh:
            next(fh, None)
            for text in fh:
                try:
                    entry = json.loads(text)
                except ValueError:
                    continue  # a line cut short by a crash
                if entry.get("state") in ("done", "skipped"):
                    yield from entry.get("results") or []


class JournalLock:
    """The exclusive lock of one journal, held by one run from its plan to its end.

    ``<journal>.lock`` is locked with :mod:`filelock` (an OS lock: ``flock`` on Unix,
    ``LockFileEx`` on Windows, released by the system if the holder dies, never stale), and
    never blocks: a taken lock raises :class:`JournalBusyError` at once.  While held,
    ``<journal>.lock.json`` says who holds it (pid, host, start time), for that message.  The
    lock file stays beside the journal after a run; one this lock created for a plan that is
    not run (refused, or a dry run) is removed, so such a plan leaves no file behind."""

    def __init__(self, journal: Path) -> None:
        """The lock of the journal at ``journal`` (``<journal>.lock``; nothing is locked yet)."""
        self.journal = Path(journal)
        self.path = self.journal.with_name(self.journal.name + ".lock")
        self.info_path = self.journal.with_name(self.journal.name + ".lock.json")
        import filelock  # imported by a bulk run only, not by every core command

        self._lock = filelock.FileLock(str(self.path), timeout=0, thread_local=False, mode=0o600)
        self._created = False

    def __repr__(self) -> str:
        return f"JournalLock({str(self.path)!r}, held={self.held})"

    @property
    def held(self) -> bool:
        """Whether this process holds the lock."""
        return bool(self._lock.is_locked)

    def acquire(self) -> None:
        """Take the lock, or raise :class:`JournalBusyError` (or :class:`BulkJournalError`
        when no lock file can be made there)."""
        if self.held:
            return
        if not self.path.parent.is_dir():  # filelock would create it: refuse, as the journal does
            raise BulkJournalError(
                f"cannot write the journal {self.journal}: no directory {self.path.parent}; "
                "use --journal PATH to put it elsewhere"
            )
        import filelock

        existed = self.path.exists()
        try:
            self._lock.acquire(timeout=0)
        except filelock.Timeout:
            raise self._busy() from None
        except OSError as exc:
            raise BulkJournalError(
                f"cannot lock the journal {self.journal}: {exc.strerror or exc}; "
                "use --journal PATH to put it elsewhere"
            ) from None
        self._created = not existed
        self._write_info()

    def release(self, *, discard: bool = False) -> None:
        """Let the lock go (nothing happens if it is not held); with ``discard``, also remove
        the lock file if this lock created it."""
        if not self.held:
            return
        with contextlib.suppress(OSError):
            self.info_path.unlink()
        if discard and self._created:
            with contextlib.suppress(OSError):
                self.path.unlink()  # while held, so no other run holds this file
        self._lock.release()

    def _write_info(self) -> None:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        temp = self.info_path.with_name(f".{self.info_path.name}.{secrets.token_hex(4)}.tmp")
        try:
            temp.write_text(json.dumps(info), encoding="utf-8")
            os.replace(temp, self.info_path)
        except OSError:  # the lock holds without it; only the message of a refused run is poorer
            with contextlib.suppress(OSError):
                temp.unlink()

    def holder(self) -> dict[str, Any] | None:
        """Returns what the current holder wrote about itself, or ``None`` if unreadable."""
        try:
            info = json.loads(self.info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return info if isinstance(info, dict) else None

    def _busy(self) -> JournalBusyError:
        info = self.holder()
        if info is None:
            who = "another run"
        else:
            where = f" on {info['host']}" if info.get("host") else ""
            since = f", started {info['started']}" if info.get("started") else ""
            who = f"another run (pid {info.get('pid', '?')}{where}{since})"
        return JournalBusyError(
            f"the journal {self.journal} is in use by {who}; nothing was sent: wait for that "
            "run to end, then run the command again to continue",
            info,
        )
