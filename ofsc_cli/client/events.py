"""Following an event subscription with a cursor kept on disk.

``GET events?subscriptionId=…&page=<cursor>`` answers the events after the cursor and the next
cursor (``nextPage``).  :class:`EventFollower` asks page after page; each non-empty page is
handed out as an :class:`EventBatch`, and the caller :meth:`~EventFollower.commit`\\ s it once
the events are safely written: only then is the new cursor saved (atomically) to the state
file.  A restart therefore resumes right after the last written page: no event is skipped, and
none is repeated unless the process dies between writing a page and saving its cursor (then
that one page comes again; the CLI defers Ctrl-C over that window).

Without a saved cursor the first request has no ``page`` (the oldest events still kept);
``since`` (``YYYY-MM-DD HH:MM:SS``, UTC) asks the API for a fresh cursor from that moment
instead, for recovery.  An empty page means "caught up": ``once`` stops there, otherwise the
follower waits ``poll_interval`` seconds and asks again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ofsc_cli.errors import (
    OFSCircuitOpenError,
    OFSConnectionError,
    OFSError,
    OFSRetriesExhaustedError,
    OFSTimeoutError,
    OFSValidationError,
)

if TYPE_CHECKING:
    from ofsc_cli.client._sync import OFSC

__all__ = [
    "CursorFile",
    "EventBatch",
    "EventFollower",
    "check_since",
    "default_state_path",
]

_SINCE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def check_since(value: str) -> str:
    """Returns ``value`` if it is a ``YYYY-MM-DD HH:MM:SS`` time.  Raises
    :class:`OFSValidationError` otherwise.
    """
    try:
        if not _SINCE.match(value):
            raise ValueError(value)
        dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise OFSValidationError(
            f"--since: '{value}' is not a UTC time like 2026-11-30 08:00:00"
        ) from None
    return value


def default_state_path(profile: str | None, subscription_id: str) -> Path:
    """Returns where the cursor of ``subscription_id`` is kept for ``profile`` (``None``: the
    default one), in the user cache directory.
    """
    import platformdirs

    name = f"{_UNSAFE.sub('_', profile or 'default')}--{_UNSAFE.sub('_', subscription_id)}.json"
    return Path(platformdirs.user_cache_dir("ofsc")) / "events" / name


class CursorFile:
    """The saved cursor of one subscription: a small JSON file, replaced atomically."""

    def __init__(self, path: Path, subscription_id: str) -> None:
        """The cursor file at ``path`` of the subscription ``subscription_id`` (nothing is read
        yet).
        """
        self.path = path
        self.subscription_id = subscription_id

    def load(self) -> str | None:
        """Returns the saved cursor, or ``None`` when there is no file yet.

        Raises :class:`OFSValidationError` for an unreadable file, or one saved for another
        subscription.
        """
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise OFSValidationError(f"cannot read the cursor file {self.path}: {exc}") from None
        if not isinstance(data, dict):
            raise OFSValidationError(f"{self.path} is not an ofsc event cursor file")
        if data.get("subscriptionId") not in (None, self.subscription_id):
            raise OFSValidationError(
                f"{self.path} holds the cursor of subscription {data.get('subscriptionId')}, "
                f"not {self.subscription_id}; give another --state file"
            )
        cursor = data.get("nextPage")
        return str(cursor) if cursor else None

    def save(self, cursor: str | None) -> None:
        """Replace the file with ``cursor`` (atomically: a crash leaves the old one).

        Raises :class:`OFSValidationError` when it cannot be written."""
        data = {
            "subscriptionId": self.subscription_id,
            "nextPage": cursor,
            "saved": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        }
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cursor-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise OFSValidationError(
                f"cannot save the cursor to {self.path}: {exc.strerror or exc}"
            ) from None


@dataclass(frozen=True)
class EventBatch:
    """The events of one page and the cursor that follows them."""

    events: list[dict[str, Any]]
    cursor: str | None


def _transient(error: OFSError) -> bool:
    if isinstance(error, OFSRetriesExhaustedError | OFSConnectionError | OFSTimeoutError):
        return True
    if isinstance(error, OFSCircuitOpenError):
        return True
    return error.status_code is not None and (error.status_code >= 500 or error.status_code == 429)


class EventFollower:
    """Iterate the event pages of a subscription, resuming from ``state`` (see module doc)."""

    def __init__(
        self,
        client: OFSC,
        subscription_id: str,
        *,
        state: CursorFile,
        since: str | None = None,
        once: bool = False,
        poll_interval: float = 5.0,
        limit: int | None = None,
        attempts: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        """Follow the subscription ``subscription_id`` with ``client``, keeping the cursor in
        ``state``.

        ``since`` (``YYYY-MM-DD HH:MM:SS``, UTC) starts from a fresh cursor at that time instead
        of the saved one; ``once`` stops at the first empty page, else the follower waits
        ``poll_interval`` seconds (with ``sleep``) and asks again; ``limit`` is the page size
        asked for; a transient failure is retried up to ``attempts`` times; ``should_stop()``
        ends the iteration between two pages.  Raises :class:`OFSValidationError` for a bad
        ``since``.
        """
        self.client = client
        self.subscription_id = subscription_id
        self.state = state
        self.since = check_since(since) if since else None
        self.once = once
        self.poll_interval = poll_interval
        self.limit = limit
        self.attempts = max(1, attempts)
        self._sleep = sleep
        self._should_stop = should_stop or (lambda: False)
        self.cursor: str | None = None
        self._uncommitted: EventBatch | None = None
        self.pages = 0
        self.events = 0

    def _get(self, **query: Any) -> dict[str, Any]:
        from ofsc_cli.client.api.core_activities import CoreActivities

        declared = CoreActivities.list_events
        raw = replace(declared.spec, returns=dict)
        args = declared.build(self.client.core, self.subscription_id, **query)
        failures = 0
        while True:
            try:
                page = self.client.execute(raw, args)
                return page if isinstance(page, dict) else {}
            except OFSError as error:
                failures += 1
                if failures >= self.attempts or not _transient(error):
                    raise
                self._sleep(min(30.0, 0.5 * 2 ** (failures - 1)))

    def commit(self, batch: EventBatch) -> None:
        """Record that ``batch``'s events are written: save the cursor after them."""
        self.state.save(batch.cursor)
        self.cursor = batch.cursor
        if self._uncommitted is batch:
            self._uncommitted = None

    def __iter__(self) -> Iterator[EventBatch]:
        if self.since:
            page = self._get(since=self.since)
            self.cursor = page.get("nextPage") or None
            self.state.save(self.cursor)
        else:
            self.cursor = self.state.load()
        while not self._should_stop():
            page = self._get(page=self.cursor, limit=self.limit)
            self.pages += 1
            events = [e for e in page.get("items") or [] if isinstance(e, dict)]
            following = page.get("nextPage") or self.cursor
            if events:
                batch = EventBatch(events, following)
                self._uncommitted = batch
                self.events += len(events)
                yield batch
                if self._uncommitted is batch:  # the caller did not commit: do it now
                    self.commit(batch)
                continue
            if following != self.cursor:
                self.commit(EventBatch([], following))
            if self.once:
                return
            self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + self.poll_interval
        while not self._should_stop():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._sleep(min(left, 0.25))
