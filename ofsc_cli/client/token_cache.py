"""An on-disk cache of OAuth2 access tokens, so that successive CLI runs share one token.

One JSON file per cache key in a private directory (mode 0700)::

    <directory>/<safe-key>.json    {"key": ..., "access_token": ..., "expires_at": <epoch seconds>}

Files are created with mode 0600 and written atomically (a temporary file in the same directory,
then :func:`os.replace`).  Reading is forgiving: a missing, corrupt, expired or foreign file (one
holding another key, or owned by another user) is treated as "no cached token", never as an
error, because the worst outcome of a cache miss is one extra token request.

A key names everything that decides where a token is valid and may be sent
(:func:`scoped_token_key`: a label such as the CLI's profile, the auth method, the client id and
instance, the API base URL and the token endpoint), so a change of any of them means another
entry, hence a new token.  The key is reduced to a safe file name here, with a short hash
appended whenever that changed it, so distinct keys never share a file.

Each entry has a lock (:meth:`TokenCache.entry_lock`, a :mod:`filelock` lock file
``.<safe-key>.lock`` beside it): whoever fetches a token holds it, so parallel runs that all
miss the cache request one token and the others read it.  Besides :mod:`filelock`, this module
imports only the standard library (``filelock`` when an entry lock is made, ``platformdirs``
when the default directory is needed: Basic auth loads neither).
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import json
import math
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ofsc_cli.common.fs import make_private_dirs

__all__ = [
    "CachedToken",
    "EntryLock",
    "NullTokenCache",
    "TokenCache",
    "default_token_cache_dir",
    "make_private_dirs",
    "scoped_token_key",
]

_SUFFIX = ".json"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class CachedToken:
    """An access token and the epoch time (seconds) at which it expires.

    The token itself is left out of ``repr`` so that it never reaches logs or tracebacks.
    """

    access_token: str = field(repr=False)
    expires_at: float

    def remaining(self, now: float) -> float:
        """Returns the seconds of validity left at ``now`` (epoch seconds); negative once
        expired."""
        return self.expires_at - now


def default_token_cache_dir() -> Path:
    """Returns the per-user cache directory for tokens: ``user_cache_dir("ofsc") / "tokens"``."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("ofsc")) / "tokens"


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _normalised_url(url: str) -> str:
    """``url`` as ``scheme://host:port/path`` (lower-case scheme and host, the port always
    written, no trailing slash, no user info, query or fragment), so that spellings of one
    address give one key and any other address another."""
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = parts.hostname or ""
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # an invalid port: keep the text, it still tells the URLs apart
        return url.strip()
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def _part(text: str) -> str:
    # "|" separates the parts of a key: escape it (and the escape character) inside them.
    return text.replace("%", "%25").replace("|", "%7C")


def scoped_token_key(
    label: str,
    *,
    auth: str,
    client_id: str,
    instance: str,
    base_url: str,
    token_url: str,
) -> str:
    """Returns the cache key of a token: ``label`` (the CLI passes the profile name), ``auth``
    (the method), ``client_id`` at ``instance``, the API ``base_url`` (scheme, host, port and path)
    and the ``token_url``, each normalised.  A token is only ever read back for exactly the
    same values, so it is never sent to another host or on behalf of another client.
    """
    return "|".join(
        _part(p)
        for p in (
            label,
            auth,
            f"{client_id}@{instance}",
            _normalised_url(base_url),
            _normalised_url(token_url),
        )
    )


class EntryLock:
    """The lock of one cache entry, held while its token is fetched (see :mod:`filelock`:
    an OS lock on Unix and Windows, released by the OS if the holder dies, so it never goes
    stale).  :meth:`try_acquire` never blocks: the auth drivers wait between tries, sleeping
    (sync) or awaiting (async), and look into the cache meanwhile."""

    def __init__(self, path: Path) -> None:
        """The lock file at ``path`` (made on the first :meth:`try_acquire`)."""
        import filelock

        self.path = path
        self._lock = filelock.FileLock(str(path), timeout=0, thread_local=False, mode=0o600)

    def __repr__(self) -> str:
        return f"EntryLock({str(self.path)!r})"

    def try_acquire(self) -> bool:
        """Take the lock if it is free.  Returns True when it is now held, False when another holder
        has it.  Raises :class:`OSError` when no lock can be made there (the caller goes on
        without).
        """
        import filelock

        make_private_dirs(self.path.parent)
        try:
            self._lock.acquire(timeout=0)
        except filelock.Timeout:
            return False
        return True

    def release(self) -> None:
        """Let the lock go."""
        self._lock.release()


def safe_file_stem(key: str) -> str:
    """Reduce ``key`` to a file name stem made of ``[A-Za-z0-9_.-]`` that cannot escape the cache
    directory; keys that had to be changed get a hash suffix so that they stay distinct."""
    stem = _UNSAFE.sub("_", key).lstrip(".")[:_MAX_NAME]
    if stem != key:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        stem = f"{stem}-{digest}"
    return stem


def _parse(data: Any) -> tuple[str, CachedToken] | None:
    """The ``(key, token)`` held by a decoded cache file, or None if it is not one of ours."""
    if not isinstance(data, dict):
        return None
    key = data.get("key")
    token = data.get("access_token")
    expires_at = data.get("expires_at")
    if not isinstance(key, str) or not isinstance(token, str) or not token:
        return None
    if isinstance(expires_at, bool) or not isinstance(expires_at, int | float):
        return None
    if not math.isfinite(expires_at):
        return None
    return key, CachedToken(token, float(expires_at))


class TokenCache:
    """Access tokens on disk, one file per key, in a directory dedicated to this cache.

    ``directory`` is that directory (made, mode 0700, on the first save); ``clock`` returns
    the current epoch time in seconds and decides which tokens are expired.
    """

    def __init__(self, directory: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.directory = Path(directory)
        self._clock = clock

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.directory)!r})"

    def path_for(self, key: str) -> Path:
        """Returns the file that holds the token of ``key`` (it may not exist)."""
        return self.directory / f"{safe_file_stem(key)}{_SUFFIX}"

    def entry_lock(self, key: str) -> EntryLock | None:
        """Returns the lock of ``key``'s entry (a hidden ``.<name>.lock`` file beside it)."""
        return EntryLock(self.directory / f".{safe_file_stem(key)}.lock")

    def load(self, key: str) -> CachedToken | None:
        """Returns the unexpired token saved under ``key``, or None (missing, corrupt, foreign or
        expired).
        """
        entry = self._read(self.path_for(key))
        if entry is None or entry[0] != key:
            return None
        token = entry[1]
        return token if token.remaining(self._clock()) > 0 else None

    def save(self, key: str, token: str, expires_at: float) -> None:
        """Store ``token`` under ``key`` (replacing any previous one), expiring at ``expires_at``
        (epoch seconds).  Raises :class:`OSError` when the file cannot be written.
        """
        make_private_dirs(self.directory)
        path = self.path_for(key)
        payload = json.dumps({"key": key, "access_token": token, "expires_at": expires_at})
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(temp, flags, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload.encode("utf-8"))
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise

    def delete(self, key: str) -> bool:
        """Remove the token of ``key``.  Returns True if a file was removed."""
        try:
            self.path_for(key).unlink()
        except FileNotFoundError:
            return False
        return True

    def delete_all(self) -> int:
        """Remove every token file (and stray temporary files).  Returns how many tokens went."""
        removed = 0
        for path in self._files():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        for stray in self._glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stray.unlink()
        return removed

    def list(self) -> builtins.list[tuple[str, float]]:
        """Returns ``(key, expires_at)`` of every readable cached token, expired ones included,
        sorted by key.
        """
        entries = (self._read(path) for path in self._files())
        return sorted((key, token.expires_at) for key, token in filter(None, entries))

    # -- helpers -------------------------------------------------------------------------------

    def _files(self) -> builtins.list[Path]:
        return [p for p in self._glob(f"*{_SUFFIX}") if not p.name.startswith(".")]

    def _glob(self, pattern: str) -> builtins.list[Path]:
        try:
            return sorted(self.directory.glob(pattern))
        except OSError:
            return []

    @staticmethod
    def _read(path: Path) -> tuple[str, CachedToken] | None:
        try:
            with path.open("rb") as handle:
                getuid = getattr(os, "getuid", None)
                if getuid is not None and os.fstat(handle.fileno()).st_uid != getuid():
                    return None
                data = json.loads(handle.read().decode("utf-8"))
        except (OSError, ValueError):
            return None
        return _parse(data)


class NullTokenCache(TokenCache):
    """A cache that stores nothing: pass it (or None) to disable on-disk caching."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull))

    def __repr__(self) -> str:
        return "NullTokenCache()"

    def load(self, key: str) -> CachedToken | None:
        """Nothing is cached: returns ``None`` for any ``key``."""
        return None

    def save(self, key: str, token: str, expires_at: float) -> None:
        """Store nothing (``key``, ``token`` and ``expires_at`` are ignored)."""
        return None

    def delete(self, key: str) -> bool:
        """Nothing to delete: returns ``False`` for any ``key``."""
        return False

    def entry_lock(self, key: str) -> EntryLock | None:
        """No lock: returns ``None`` for any ``key``."""
        return None

    def delete_all(self) -> int:
        """Nothing to delete: returns ``0``."""
        return 0

    def list(self) -> builtins.list[tuple[str, float]]:
        """No entries: returns an empty list."""
        return []
