"""The audit log: one JSON line per write call, appended to a local file.

A client made with ``audit_log="~/ofs-audit.jsonl"`` (the profile key ``audit_log``, the
CLI's ``--audit-log PATH``, ``OFSC_AUDIT_LOG``) records every POST, PUT, PATCH and DELETE
it sends, once per *call*: the layer sits outside the retries (the first call layer of
:mod:`ofsc_cli.client.middleware`), so a call retried three times is one line saying
``"attempts": 3`` with the final outcome.  Reads are not recorded (they pass straight on),
and neither are requests to the OAuth token service (``/rest/oauthTokenService/…``: no data
changes; the token fetch of OAuth2 auth never enters the chain at all).  A request that is
refused before it is sent (``--dry-run``, a body the validator refuses) makes no line.

One line is a JSON object with these keys, always all of them (``null`` when unknown)::

    {"time": "2026-12-01T09:30:12.345Z", "profile": "test", "instance": "acme-test",
     "client_id": "ofsc-cli", "method": "PUT", "path": "/rest/ofscMetadata/v1/workZones/NORTH",
     "query": null, "operation": "PUT /rest/ofscMetadata/v1/workZones/{label}",
     "status": 200, "outcome": "ok", "error": null, "attempts": 1, "duration_ms": 41.7,
     "request_id": null, "body_sha256": "9f86d0…", "body_bytes": 118}

* ``time``: when the call started, UTC, milliseconds; ``duration_ms``: the whole call,
  retries and their waits included.
* ``path``: the URL path exactly as sent (percent-encoded, no host); ``query``: the query
  string, when there is one, with the values of secret-looking names masked (as in error
  messages).  Never a header, so never the ``Authorization`` value.
* ``operation``: the key of the declared operation (``null`` for ``client.request()``).
* ``status``: the final HTTP status, if an answer came.  ``outcome``: ``"ok"`` (a 1xx-3xx
  answer), ``"error"`` (a 4xx/5xx answer, or a local failure after sending began),
  ``"no-answer"`` (connection refused or broken, timeout: the write may or may not have
  happened), ``"not-sent"`` (the circuit breaker refused it) or ``"interrupted"`` (Ctrl-C or
  a cancelled task during the call).  ``error``: the class of the error raised to the caller
  (``"OFSAPIError"``, ``"OFSConnectionError"`` …), ``null`` when the call succeeded.
* ``request_id``: the server's request id header, when it sends one (one of
  :data:`~ofsc_cli.client.log.REQUEST_ID_HEADERS`, as in the request log).
* ``body_sha256``: the SHA-256 of the body bytes as sent, hex (``null`` without a body);
  ``body_bytes``: its length.  The body itself is never written.  A streamed body (a file
  upload, multipart) is hashed as it goes out; one that was never sent in full has ``null``.

The file is opened for each line with ``O_APPEND`` (created with mode 0600 whatever the
umask), the line is written with one ``write`` under an exclusive lock of the file
(``flock`` on POSIX; a lock file beside it elsewhere), then ``fsync``-ed: parallel processes
writing to one file never interleave, lines of any length included, and a line written is on
disk when the call returns (the async client writes it in the event loop too: a fraction
of a millisecond on a local disk).  Opening it each time follows a log rotation.  An
existing file that other users may read or write is used as it is, with an
:class:`~ofsc_cli.errors.OFSAuditWarning` (it may be shared on purpose, and holds no
secrets).

Problems with the file are found when the client is built: a missing directory, a path that
is not a regular file, or one that cannot be opened for appending raise
:class:`~ofsc_cli.errors.OFSConfigurationError` naming it.  A line that cannot be written
later (disk full, the file removed with its directory) does not undo the write, which the
server has already done: the call's result or error stands, and the failure is reported as
one :class:`~ofsc_cli.errors.OFSAuditWarning` per line lost (``AuditLog.on_error`` replaces
the warning; the CLI prints ``ofsc: warning: …``), counted in :attr:`AuditLog.failures`.

:class:`AuditReader` reads a log back (``ofsc audit show``), skipping and counting lines that
are not audit records (a line torn by a crash).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from ofsc_cli.client.http import error_from_response, redact_query
from ofsc_cli.client.log import REQUEST_ID_HEADERS, request_id_of
from ofsc_cli.client.middleware import ATTEMPT, OPERATION, AsyncCallNext, CallNext
from ofsc_cli.errors import (
    OFSAuditWarning,
    OFSClientClosedError,
    OFSConfigurationError,
    OFSConnectionError,
    OFSError,
    OFSRetriesExhaustedError,
    OFSTimeoutError,
)

__all__ = [
    "FIELDS",
    "NOT_AUDITED_PATHS",
    "REQUEST_ID_HEADERS",
    "WRITE_METHODS",
    "AuditLog",
    "AuditReader",
]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
"""The methods recorded; every other request passes through untouched."""

NOT_AUDITED_PATHS = ("/rest/oauthTokenService/",)
"""Path prefixes of writes that change no data and are not recorded (token requests)."""

FIELDS = (
    "time",
    "profile",
    "instance",
    "client_id",
    "method",
    "path",
    "query",
    "operation",
    "status",
    "outcome",
    "error",
    "attempts",
    "duration_ms",
    "request_id",
    "body_sha256",
    "body_bytes",
)
"""The keys of every line, in the order written."""

_OPEN_FLAGS = (
    os.O_WRONLY
    | os.O_APPEND
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO fails at once instead of waiting for a reader
    | getattr(os, "O_BINARY", 0)
)
_MODE = 0o600


class _HashingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A request body stream that hashes the bytes as they are sent.  Each pass (each
    attempt) starts afresh; :attr:`digest` is that of the last pass that reached its end."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.digest: tuple[str, int] | None = None

    def __iter__(self) -> Iterator[bytes]:
        sha, size = hashlib.sha256(), 0
        for chunk in self.inner:
            sha.update(chunk)
            size += len(chunk)
            yield chunk
        self.digest = (sha.hexdigest(), size)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sha, size = hashlib.sha256(), 0
        async for chunk in self.inner:
            sha.update(chunk)
            size += len(chunk)
            yield chunk
        self.digest = (sha.hexdigest(), size)

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()

    async def aclose(self) -> None:
        aclose = getattr(self.inner, "aclose", None)
        if aclose is not None:
            await aclose()


def _utc_stamp(epoch: float) -> str:
    moment = datetime.fromtimestamp(epoch, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def _outcome(
    response: httpx.Response | None, error: BaseException | None, attempts: int
) -> tuple[str, int | None, str | None]:
    """``(outcome, status, error class)`` of a finished call."""
    if error is None:
        assert response is not None
        code = response.status_code
        if code < 400:
            return "ok", code, None
        return "error", code, type(error_from_response(response)).__name__
    name = type(error).__name__
    if not isinstance(error, Exception):  # KeyboardInterrupt, asyncio.CancelledError
        return "interrupted", None, name
    status = error.status_code if isinstance(error, OFSError) else None
    if attempts == 0 or isinstance(error, OFSClientClosedError):
        return "not-sent", status, name  # (a circuit open after answers is an "error")
    last = error.last_error if isinstance(error, OFSRetriesExhaustedError) else error
    if status is None and isinstance(last, (OFSConnectionError, OFSTimeoutError)):
        return "no-answer", None, name
    return "error", status, name


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only

    @contextlib.contextmanager
    def _exclusive(fd: int, path: str) -> Iterator[None]:
        """Hold the lock of the audit log ``path`` (a lock file beside it)."""
        import filelock

        with filelock.FileLock(f"{path}.lock", mode=_MODE, thread_local=False):
            yield

else:
    import fcntl

    @contextlib.contextmanager
    def _exclusive(fd: int, path: str) -> Iterator[None]:
        """Hold an exclusive ``flock`` of the open audit log ``fd``."""
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


class AuditLog:
    """The audit layer of the request chain (a call layer: once per call, outside retries).

    A client makes one from its ``audit_log=`` option (``client.audit``).  ``path`` is the
    log file (``~`` is not expanded here: the settings do that); ``profile``, ``instance`` and
    ``client_id`` are recorded on each line; ``on_error`` is called with a one-line message
    when a line cannot be written (default: an :class:`~ofsc_cli.errors.OFSAuditWarning`).

    The file is checked when the layer is made: raises
    :class:`~ofsc_cli.errors.OFSConfigurationError`, naming the file, when its directory is
    missing, when it is not a regular file or when it cannot be opened for appending.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        profile: str | None = None,
        instance: str | None = None,
        client_id: str | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.path = os.fspath(path)
        self.profile = profile
        self.instance = instance
        self.client_id = client_id
        self.on_error = on_error
        self.failures = 0
        """Lines that could not be written (each one reported)."""
        self._check()

    def __repr__(self) -> str:
        return f"AuditLog({self.path!r})"

    # -- the file -------------------------------------------------------------------------

    def _open(self) -> int:
        """A descriptor for appending to the log, creating it with mode 0600 if missing."""
        try:
            fd = os.open(self.path, _OPEN_FLAGS | os.O_CREAT | os.O_EXCL, _MODE)
        except FileExistsError:
            return os.open(self.path, _OPEN_FLAGS)
        if hasattr(os, "fchmod"):
            with contextlib.suppress(OSError):
                os.fchmod(fd, _MODE)  # exactly 0600, whatever the umask
        return fd

    def _check(self) -> None:
        where = f"audit log {self.path}"
        parent = os.path.dirname(os.path.abspath(self.path))
        if not os.path.isdir(parent):
            raise OFSConfigurationError(f"{where}: directory {parent} does not exist")
        try:
            fd = self._open()
        except OSError as exc:
            if os.path.exists(self.path) and not os.path.isfile(self.path):
                raise OFSConfigurationError(f"{where}: not a regular file") from None
            raise OFSConfigurationError(
                f"{where}: cannot open for appending: {exc.strerror or exc}"
            ) from None
        try:
            info = os.fstat(fd)
        finally:
            os.close(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OFSConfigurationError(f"{where}: not a regular file")
        if os.name == "posix" and info.st_mode & 0o077:
            warnings.warn(
                f"{where} can be read or written by other users (mode"
                f" {stat.S_IMODE(info.st_mode):04o}): chmod 600 {self.path}",
                OFSAuditWarning,
                stacklevel=5,
            )

    def write(self, record: dict[str, Any]) -> bool:
        """Append ``record`` as one line (locked, then ``fsync``-ed).  Returns whether it was
        written: a failure is reported (``on_error``, else a warning), never raised."""
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        data = line.encode("utf-8")
        try:
            fd = self._open()
            try:
                with _exclusive(fd, self.path):
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            self._failed(record, exc.strerror or str(exc))
            return False
        return True

    def _failed(self, record: dict[str, Any], why: str) -> None:
        self.failures += 1
        status = record.get("status") or record.get("outcome")
        message = (
            f"audit log {self.path}: could not record {record.get('method')}"
            f" {record.get('path')} ({status}): {why}"
        )
        if self.on_error is not None:
            self.on_error(message)
        else:
            warnings.warn(message, OFSAuditWarning, stacklevel=2)

    # -- the layer ------------------------------------------------------------------------

    def audited(self, request: httpx.Request) -> bool:
        """Returns whether ``request`` is recorded: a write, not to the token service."""
        return request.method in WRITE_METHODS and not request.url.path.startswith(
            NOT_AUDITED_PATHS
        )

    def _begin(self, request: httpx.Request) -> tuple[float, float, _HashingStream | None]:
        try:
            request.content  # noqa: B018 - a body given as bytes is already there
        except httpx.RequestNotRead:
            hashing = _HashingStream(request.stream)
            request.stream = hashing
            return time.time(), time.perf_counter(), hashing
        return time.time(), time.perf_counter(), None

    def record(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        error: BaseException | None,
        *,
        started: float,
        duration: float,
        hashing: Any = None,
    ) -> dict[str, Any]:
        """Returns the line of the finished call of ``request``: its final ``response`` or
        the ``error`` it raised, ``started`` (epoch seconds), its ``duration`` (seconds) and
        the ``hashing`` stream wrapper of a streamed body (see the module docstring for the
        keys)."""
        attempts = int(request.extensions.get(ATTEMPT, 0))
        outcome, status, error_name = _outcome(response, error, attempts)
        digest: tuple[str, int] | None
        try:
            body = request.content
        except httpx.RequestNotRead:
            digest = getattr(hashing, "digest", None)
        else:
            digest = (hashlib.sha256(body).hexdigest(), len(body)) if body else None
        return {
            "time": _utc_stamp(started),
            "profile": self.profile,
            "instance": self.instance,
            "client_id": self.client_id,
            "method": request.method,
            "path": request.url.raw_path.split(b"?", 1)[0].decode("ascii", "replace"),
            "query": redact_query(request.url) or None,  # secret-looking values masked
            "operation": request.extensions.get(OPERATION),
            "status": status,
            "outcome": outcome,
            "error": error_name,
            "attempts": attempts,
            "duration_ms": round(duration * 1000, 1),
            "request_id": request_id_of(response) if response is not None else None,
            "body_sha256": digest[0] if digest else None,
            "body_bytes": digest[1] if digest else (0 if hashing is None else None),
        }

    def _finish(
        self,
        request: httpx.Request,
        begun: tuple[float, float, _HashingStream | None],
        response: httpx.Response | None,
        error: BaseException | None,
    ) -> None:
        started, start, hashing = begun
        try:
            line = self.record(
                request,
                response,
                error,
                started=started,
                duration=time.perf_counter() - start,
                hashing=hashing,
            )
        except Exception as exc:  # never let the audit change the call's result
            self._failed({"method": request.method, "path": request.url.path}, str(exc))
            return
        self.write(line)

    def __call__(self, request: httpx.Request, call_next: CallNext) -> httpx.Response:
        """Send ``request`` on through ``call_next`` and, for a write, append its line.
        Returns the response; an exception from ``call_next`` is recorded and re-raised."""
        if not self.audited(request):
            return call_next(request)
        begun = self._begin(request)
        try:
            response = call_next(request)
        except BaseException as exc:
            self._finish(request, begun, None, exc)
            raise
        self._finish(request, begun, response, None)
        return response

    async def handle_async(
        self, request: httpx.Request, call_next: AsyncCallNext
    ) -> httpx.Response:
        """The async form of :meth:`__call__` (``request``, ``call_next``); returns the
        response."""
        if not self.audited(request):
            return await call_next(request)
        begun = self._begin(request)
        try:
            response = await call_next(request)
        except BaseException as exc:
            self._finish(request, begun, None, exc)
            raise
        self._finish(request, begun, response, None)
        return response


class AuditReader:
    """The records of the audit log at ``path``, in file order (oldest first).

    Iterating yields each line that is a JSON object with a ``time`` string; any other line
    (a line torn by a crash, text that is not JSON) is skipped and counted in
    :attr:`unreadable`.  ``since`` (an aware :class:`~datetime.datetime`) keeps the records
    from that moment on.  A missing file reads as empty (:attr:`exists` is ``False``).

    Iterating raises :class:`~ofsc_cli.errors.OFSConfigurationError`, naming the file, when
    the path is a directory or cannot be read.
    """

    def __init__(self, path: str | os.PathLike[str], *, since: datetime | None = None) -> None:
        self.path = os.fspath(path)
        self.since = since
        self.unreadable = 0
        """Lines skipped so far."""

    @property
    def exists(self) -> bool:
        """Whether the file exists."""
        return os.path.exists(self.path)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self.unreadable = 0
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed below, after the loop
        except FileNotFoundError:
            return
        except OSError as exc:
            raise OFSConfigurationError(
                f"audit log {self.path}: cannot read: {exc.strerror or exc}"
            ) from None
        with handle:
            try:
                for raw in handle:
                    record = self._parse(raw)
                    if record is None:
                        if raw.strip():
                            self.unreadable += 1
                        continue
                    if self.since is not None and not self._after(record):
                        continue
                    yield record
            except IsADirectoryError:
                raise OFSConfigurationError(f"audit log {self.path}: not a file") from None

    @staticmethod
    def _parse(raw: bytes) -> dict[str, Any] | None:
        try:
            record = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(record, dict) or not isinstance(record.get("time"), str):
            return None
        return record

    def _after(self, record: dict[str, Any]) -> bool:
        assert self.since is not None
        try:
            moment = datetime.fromisoformat(record["time"].replace("Z", "+00:00"))
        except ValueError:
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment >= self.since
