"""Streaming export of activities: every item exactly once, in a fixed order, in bounded memory.

``GET activities`` reports no ``totalResults``, so the pages of a large export cannot be
planned by offset.  The export is split instead by what the API filters on: one task per day
of the range (plus one task for the non-scheduled activities when asked), each paging with
``offset``/``limit`` until ``hasMore`` is no longer true.  Tasks never overlap, so no item can
come twice and none needs de-duplicating.

How it runs (:class:`ActivityExport`):

* at most :data:`ACTIVITIES_MAX_CONCURRENCY` (3) ``GET activities`` requests are in flight,
  the documented OFS cap, whatever concurrency is asked for;
* pages are yielded by task (day) order, then page order, as soon as they can be: a task
  ahead of the one being written may fetch only a small, fixed number of pages before it
  waits, so memory does not grow with the number of items;
* retries are the client's: give it the bulk-read policy
  (:meth:`~ofsc_cli.client.RetryPolicy.for_bulk_reads`, as ``ofsc`` does) so that 500 is
  retried with 429/502/503/504, honouring ``Retry-After``.  A retried page is asked again at
  the same offset, so nothing is duplicated.  A connection dropped in the middle of a body
  needs nothing more: the page is read whole inside the client's send, so the drop is a
  transport error the client retries like any other.  The one thing the client does not do
  is wait for an open circuit breaker (it fails fast by design); an export waits for it
  (:attr:`ActivityExport.circuit_waits` times) rather than losing every page asked meanwhile;
* a page that cannot be fetched ends its task; the other tasks still run and, at the end,
  :class:`ExportIncompleteError` names every day and offset that is missing;
* except when the failure would repeat for every page: an authentication error (401/403) or
  an unreachable server (refused, timed out, circuit still open after the client's retries)
  stops the whole export at once, within the client's retry budget, and the error says what
  stopped it (``last_error``) and which slices were not fetched.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ofsc_cli.client._base import RetryNotice
from ofsc_cli.errors import (
    OFSAPIError,
    OFSAuthenticationError,
    OFSCircuitOpenError,
    OFSClientClosedError,
    OFSConnectionError,
    OFSError,
    OFSRetriesExhaustedError,
    OFSTimeoutError,
    OFSValidationError,
)

if TYPE_CHECKING:
    from ofsc_cli.client._async import AsyncOFSC

__all__ = [
    "ACTIVITIES_MAX_CONCURRENCY",
    "EXPORT_PAGE_SIZE",
    "MAX_DAYS_PER_REQUEST",
    "MAX_EXPORT_DAYS",
    "ActivityExport",
    "ActivityQuery",
    "ExportIncompleteError",
    "ExportPage",
    "ExportTask",
    "MissingPage",
    "parse_date",
]

ACTIVITIES_MAX_CONCURRENCY = 3
"""OFS runs at most 3 concurrent ``GET activities`` per instance (more are queued, then refused)."""
EXPORT_PAGE_SIZE = 2000
"""Items per page: few requests, and a page of activities stays a few megabytes."""
MAX_DAYS_PER_REQUEST = 31
"""The widest ``dateFrom``..``dateTo`` range one ``GET activities`` accepts."""
MAX_EXPORT_DAYS = 3660
"""The widest range an export splits into days (ten years): a wider one is a typo."""

ACCEPTED_COMBINATIONS = (
    "GET activities accepts: --resources with --date-from and --date-to "
    f"(at most {MAX_DAYS_PER_REQUEST} days per request); --resources with "
    "--include-non-scheduled (without dates: only the non-scheduled activities; with dates: "
    "both); or --svc-work-order-id (alone or with the others)"
)


def parse_date(value: str | dt.date | None, name: str) -> dt.date | None:
    """Returns ``value`` as a date: a ``YYYY-MM-DD`` text or a date within the accepted years
    (:mod:`ofsc_cli.client.dates`), or ``None`` for ``None``.  Raises
    :class:`OFSValidationError` naming ``name`` for anything else.
    """
    from ofsc_cli.client.dates import check_day, parse_day

    if value is None:
        return value
    if isinstance(value, dt.date):
        return check_day(value, name)
    return parse_day(value, name)


@dataclass(frozen=True)
class ActivityQuery:
    """What to export: the filters of ``GET activities``."""

    resources: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_non_scheduled: bool = False
    svc_work_order_id: int | None = None
    include_children: str | None = None
    q: str | None = None
    fields: tuple[str, ...] | None = None

    def validate(self, *, max_days: int | None = MAX_DAYS_PER_REQUEST) -> None:
        """Raise :class:`OFSValidationError` for a combination the API refuses.

        ``max_days=None`` lifts the range limit (an export splits the range by day).
        """
        if (self.date_from is None) != (self.date_to is None):
            given = "--date-from" if self.date_from is not None else "--date-to"
            raise OFSValidationError(f"{given} needs its counterpart; {ACCEPTED_COMBINATIONS}")
        if self.date_from is not None and self.date_to is not None:
            from ofsc_cli.client.dates import check_day

            check_day(self.date_from, "--date-from")
            check_day(self.date_to, "--date-to")
            if self.date_to < self.date_from:
                raise OFSValidationError(
                    f"--date-to {self.date_to} is before --date-from {self.date_from}"
                )
            days = (self.date_to - self.date_from).days + 1
            if max_days is None and days > MAX_EXPORT_DAYS:
                raise OFSValidationError(
                    f"the range {self.date_from}..{self.date_to} is {days} days; an export "
                    f"covers at most {MAX_EXPORT_DAYS} (about ten years): split it"
                )
            if max_days is not None and days > max_days:
                raise OFSValidationError(
                    f"the range {self.date_from}..{self.date_to} is {days} days; one request "
                    f"covers at most {max_days} (use --all to split it by day)"
                )
        if self.svc_work_order_id is not None:
            return
        if self.date_from is None and not self.include_non_scheduled:
            raise OFSValidationError(f"no dates given; {ACCEPTED_COMBINATIONS}")
        if not self.resources:
            raise OFSValidationError(f"--resources is missing; {ACCEPTED_COMBINATIONS}")

    def query(
        self, date_from: dt.date | None, date_to: dt.date | None, non_scheduled: bool
    ) -> dict[str, Any]:
        """Returns the keyword arguments of ``list_activities`` for one slice of this query: the
        days ``date_from`` to ``date_to``, or the non-scheduled activities when
        ``non_scheduled``.
        """
        return {
            "resources": list(self.resources) or None,
            "date_from": date_from,
            "date_to": date_to,
            "include_non_scheduled": True if non_scheduled else None,
            "svc_work_order_id": self.svc_work_order_id,
            "include_children": self.include_children,
            "q": self.q,
            "fields": list(self.fields) if self.fields else None,
        }


@dataclass(frozen=True)
class ExportTask:
    """One slice of an export, paged on its own (a day, the non-scheduled ones…)."""

    label: str
    kwargs: dict[str, Any] = field(hash=False, compare=False)


def plan_tasks(query: ActivityQuery) -> list[ExportTask]:
    """The non-overlapping slices of ``query``, in output order."""
    query.validate(max_days=None)
    if query.svc_work_order_id is not None:
        label = f"work order {query.svc_work_order_id}"
        return [
            ExportTask(
                label, query.query(query.date_from, query.date_to, query.include_non_scheduled)
            )
        ]
    tasks: list[ExportTask] = []
    if query.date_from is not None and query.date_to is not None:
        day = query.date_from
        while day <= query.date_to:
            tasks.append(ExportTask(day.isoformat(), query.query(day, day, False)))
            day += dt.timedelta(days=1)
    if query.include_non_scheduled:
        # Without dates the API returns the non-scheduled activities only: no overlap.
        tasks.append(ExportTask("non-scheduled", query.query(None, None, True)))
    return tasks


@dataclass(frozen=True)
class ExportPage:
    """One page of an export: where it came from and its items (plain JSON objects)."""

    task: ExportTask
    offset: int
    items: list[dict[str, Any]]


@dataclass(frozen=True)
class MissingPage:
    """A page that could not be fetched: its task ended there."""

    task: ExportTask
    offset: int
    error: OFSError

    def describe(self) -> str:
        """Returns the missing slice, for messages: ``"label from offset N (error)"``."""
        return f"{self.task.label} from offset {self.offset} ({self.error})"


_NAMED_SLICES = 5
"""How many missing slices a stopped export names before "and N more"."""


def stops_export(error: OFSError) -> bool:
    """True for a failure every other page would meet too: bad credentials (401/403), an
    unreachable server (after the client's retries) or a closed client."""
    cause = error.last_error if isinstance(error, OFSRetriesExhaustedError) else error
    return isinstance(
        cause,
        OFSAuthenticationError
        | OFSConnectionError
        | OFSTimeoutError
        | OFSCircuitOpenError
        | OFSClientClosedError,
    )


class ExportIncompleteError(OFSAPIError):
    """Some pages of an export could not be fetched; ``missing`` says which.

    ``last_error`` is the failure that stopped the export (``stopped``), else the first
    missing page's: the command's exit code follows it (a 401 exits as an auth error).
    """

    def __init__(
        self, missing: Sequence[MissingPage], exported: int, *, stopped: OFSError | None = None
    ) -> None:
        """Say which pages are ``missing`` and how many activities were ``exported`` before;
        ``stopped`` is the failure that stopped the whole export, if one did.
        """
        if stopped is not None:
            labels = [f"{m.task.label} from offset {m.offset}" for m in missing]
            if len(labels) > _NAMED_SLICES:
                labels[_NAMED_SLICES:] = [f"and {len(labels) - _NAMED_SLICES} more"]
            message = (
                f"export stopped: {stopped}. {exported} activities were written; not fetched:"
                f" {', '.join(labels)}"
            )
        else:
            described = [m.describe() for m in missing]
            if len(described) > _NAMED_SLICES:
                described[_NAMED_SLICES:] = [f"and {len(described) - _NAMED_SLICES} more"]
            where = "; ".join(described)
            message = (
                f"export incomplete: {len(missing)} slice(s) could not be fetched completely:"
                f" {where}. {exported} activities were written; the items of those slices"
                " from the offsets named are missing"
            )
        super().__init__(message)
        self.missing = list(missing)
        self.exported = exported
        self.stopped = stopped
        self.last_error: OFSError | None = stopped or (missing[0].error if missing else None)


_DONE = object()


class ActivityExport:
    """An export of ``query`` through ``client`` (an :class:`~ofsc_cli.AsyncOFSC`); iterate
    :meth:`pages` once.

    ``page_size`` is the ``limit`` of each request.  ``concurrency`` (slices fetched at once)
    is capped at :data:`ACTIVITIES_MAX_CONCURRENCY`.  ``ahead`` is how many fetched pages a
    slice may hold before the writer takes them, so at most ``concurrency * ahead`` pages
    are in memory here.  Retries are the client's (see the module docstring);
    ``circuit_waits`` bounds how often one page waits for an open circuit, with ``sleep``.
    Raises :class:`OFSValidationError` for a query the API refuses.
    """

    def __init__(
        self,
        client: AsyncOFSC,
        query: ActivityQuery,
        *,
        page_size: int = EXPORT_PAGE_SIZE,
        concurrency: int = ACTIVITIES_MAX_CONCURRENCY,
        ahead: int = 1,
        circuit_waits: int = 3,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.tasks = plan_tasks(query)
        self.page_size = page_size
        self.concurrency = max(1, min(concurrency, ACTIVITIES_MAX_CONCURRENCY))
        self.ahead = max(1, ahead)
        self.circuit_waits = max(0, circuit_waits)
        self._sleep = sleep
        self.missing: list[MissingPage] = []
        self.exported = 0
        self.requests = 0
        self.held = 0
        """Pages fetched and not yet handed out (``max_held``: the most at any time)."""
        self.max_held = 0
        self.stopped: OFSError | None = None
        """The failure that stopped the whole export (see :func:`stops_export`)."""

    async def _fetch(self, gate: asyncio.Semaphore, task: ExportTask, offset: int) -> Any:
        from ofsc_cli.client.api.core_activities import CoreActivities

        declared = CoreActivities.list_activities
        # The same operation, decoded as plain JSON: items are written as they came.
        raw = replace(declared.spec, returns=dict)
        args = declared.build(self.client.core, offset=offset, limit=self.page_size, **task.kwargs)
        waits = 0
        while True:
            if self.stopped is not None:
                raise self.stopped
            try:
                async with gate:
                    if self.stopped is not None:
                        raise self.stopped
                    self.requests += 1
                    return await self.client.execute(raw, args)
            except OFSCircuitOpenError as error:
                # Not a second retry layer: the client's retries end at an open breaker.
                if waits >= self.circuit_waits or self.stopped is not None:
                    raise
                waits += 1
                if self.client.on_retry is not None:  # a wait of this length is never silent
                    self.client.on_retry(
                        RetryNotice(
                            method=error.method or raw.method,
                            url=error.url or raw.path,
                            attempt=waits,
                            max_attempts=self.circuit_waits,
                            delay=error.retry_in,
                            reason=str(error),
                        )
                    )
                await self._sleep(error.retry_in)

    async def _run_task(
        self,
        gate: asyncio.Semaphore,
        slots: asyncio.Semaphore,
        task: ExportTask,
        out: asyncio.Queue[object],
    ) -> None:
        offset = 0
        while True:
            await slots.acquire()  # released once the page is handed to the writer
            try:
                page = await self._fetch(gate, task, offset)
            except OFSError as error:
                if self.stopped is None and stops_export(error):
                    self.stopped = error
                await out.put(MissingPage(task, offset, error))
                return
            self.held += 1
            self.max_held = max(self.max_held, self.held)
            if not isinstance(page, dict):
                page = {}
            items: list[dict[str, Any]] = page.get("items") or []
            await out.put(ExportPage(task, offset, items))
            offset += len(items)
            # hasMore is omitted on the last page; an empty page ends the slice too.
            if not items or page.get("hasMore") is not True:
                break
        await out.put(_DONE)

    async def pages(self) -> AsyncIterator[ExportPage]:
        """Yields every page, in task order then page order.  Raises :class:`ExportIncompleteError`
        at the end if a page could not be fetched (after yielding everything else), or at once
        when a failure stops the whole export.
        """
        gate = asyncio.Semaphore(self.concurrency)
        waiting = deque(self.tasks)
        running: deque[tuple[asyncio.Queue[object], asyncio.Semaphore, asyncio.Task[None]]]
        running = deque()
        try:
            while waiting or running:
                if self.stopped is not None:
                    # The other slices would fail the same way: name them, fetch nothing more.
                    self.missing.extend(MissingPage(t, 0, self.stopped) for t in waiting)
                    waiting.clear()
                while waiting and len(running) < self.concurrency:
                    slots = asyncio.Semaphore(self.ahead)
                    queue: asyncio.Queue[object] = asyncio.Queue()
                    worker = asyncio.create_task(
                        self._run_task(gate, slots, waiting.popleft(), queue)
                    )
                    running.append((queue, slots, worker))
                if not running:
                    break
                queue, slots, worker = running[0]
                while True:
                    got = await queue.get()
                    if got is _DONE:
                        break
                    if isinstance(got, MissingPage):
                        self.missing.append(got)
                        break
                    assert isinstance(got, ExportPage)
                    self.exported += len(got.items)
                    self.held -= 1
                    yield got
                    slots.release()
                running.popleft()
                await worker
        finally:
            for _, _, worker in running:
                worker.cancel()
            for _, _, worker in running:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await worker
        if self.missing:
            order = {task.label: n for n, task in enumerate(self.tasks)}
            self.missing.sort(key=lambda m: order.get(m.task.label, len(order)))
            raise ExportIncompleteError(self.missing, self.exported, stopped=self.stopped)

    async def items(self) -> AsyncIterator[dict[str, Any]]:
        """Yields every activity, in order (see :meth:`pages`, whose errors it raises)."""
        async for page in self.pages():
            for item in page.items:
                yield item
