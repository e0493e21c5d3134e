"""Running a plan: sending batches, journaling them, and reading the per-item results.

:func:`run_batches` is the body of :meth:`~ofsc_cli.client.bulk.plan.BulkPlan.run`;
:class:`BulkReport` says what a run did; :func:`deferred_interrupt` turns the first Ctrl-C
into "stop after the current batch".
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ofsc_cli.client.bulk.base import Batch, BulkInterrupted, BulkSpec, Record
from ofsc_cli.client.bulk.journal import Journal
from ofsc_cli.errors import OFSCircuitOpenError, OFSError, OFSRetriesExhaustedError

if TYPE_CHECKING:
    from ofsc_cli.client.bulk.plan import BulkPlan

__all__ = ["BulkReport", "deferred_interrupt", "run_batches"]


@dataclass
class BulkReport:
    """What a run did (``skipped``: batches applied or skipped by earlier runs or as in doubt;
    ``failed_items``: items whose result reports errors, over every run)."""

    journal: Journal
    batches: int = 0
    items: int = 0
    sent: int = 0
    skipped: int = 0
    failed_items: int = 0
    notes: list[str] = field(default_factory=list)

    def results(self) -> Iterator[dict[str, Any]]:
        """Returns every item's recorded result, in input order (read from the journal)."""
        return self.journal.results()


def _failed(row: Mapping[str, Any], spec: BulkSpec) -> bool:
    return bool(row.get("errors") or row.get(spec.failed_key))


def _own_error(text: str, spec: BulkSpec) -> Any:
    return text if spec.flatten_errors else {spec.error_fields[-1]: text}


def _errors(result: dict[str, Any], spec: BulkSpec) -> list[Any]:
    """The errors of one result (``errors`` and a singular ``error``), removed from it."""
    errors = list(result.pop("errors", None) or [])
    single = result.pop("error", None)
    if single:
        errors.append(single)
    if not spec.flatten_errors:
        return errors
    return [
        " ".join(str(e[k]) for k in spec.error_fields if e.get(k)) or json.dumps(e)
        if isinstance(e, dict)
        else str(e)
        for e in errors
    ]


def _item_row(batch: Batch, record: Record, spec: BulkSpec, **data: Any) -> dict[str, Any]:
    keys = {k: record.data[k] for k in spec.key_fields if record.data.get(k) is not None}
    return {"batch": batch.index, "line": record.line, **keys, **data}


def _result_rows(response: Any, batch: Batch, spec: BulkSpec) -> list[dict[str, Any]]:
    """One row per item of ``batch`` (its line and the API's result), in input order; a
    result is matched to its item by ``spec.key_fields``, else by position."""
    from ofsc_cli.models import dump

    data = dump(response)
    results = data.get(spec.results_key) if isinstance(data, dict) else None
    position_of: dict[str, int] = {}
    for position, record in enumerate(batch.records):
        for name in spec.key_fields:
            if record.data.get(name) is not None:
                position_of.setdefault(f"{name}={record.data[name]}", position)
    rows: dict[int, dict[str, Any]] = {}
    unmatched: list[dict[str, Any]] = []
    for position, result in enumerate(results if isinstance(results, list) else []):
        result = dict(result) if isinstance(result, dict) else {"result": result}
        keys = [f"{n}={result[n]}" for n in spec.key_fields if result.get(n) is not None]
        index = next((position_of[k] for k in keys if k in position_of), position)
        errors = _errors(result, spec)
        if index < len(batch.records) and index not in rows:
            rows[index] = {"batch": batch.index, "line": batch.records[index].line, **result}
            rows[index]["errors"] = errors
        else:
            unmatched.append({"batch": batch.index, "line": None, **result, "errors": errors})
    missing = [_own_error("the server returned no result for this item", spec)]
    ordered = [
        rows.get(i) or _item_row(batch, record, spec, errors=missing)
        for i, record in enumerate(batch.records)
    ]
    return ordered + unmatched


def _skipped_rows(batch: Batch, spec: BulkSpec) -> list[dict[str, Any]]:
    warning = {"message": f"batch {batch.index} was in doubt and skipped (not sent again)"}
    return [_item_row(batch, record, spec, warnings=[warning]) for record in batch.records]


def _refusal(error: Exception) -> tuple[bool, bool, float]:
    """``(retry_in_place, certainly_not_applied, least_wait)`` for an error of a send."""
    if isinstance(error, OFSRetriesExhaustedError) and error.last_error is not None:
        error = error.last_error
    if isinstance(error, OFSCircuitOpenError):
        return True, True, error.retry_in  # never sent
    if not isinstance(error, OFSError):
        return False, False, 0.0
    status = error.status_code
    if status in (429, 503):
        return True, True, 0.0
    return False, status is not None and 400 <= status < 500, 0.0


def _send_batch(
    spec: BulkSpec,
    batch: Batch,
    send: Callable[[Any], Any],
    journal: Journal,
    retries: int,
    delay: float,
    sleep: Callable[[float], None],
) -> list[dict[str, Any]]:
    attempt = 0
    while True:
        attempt += 1
        journal.record(batch, "sent", items=len(batch.records), bytes=batch.size)
        try:
            response = send(batch.payload)
        except Exception as exc:
            retry, not_applied, least = _refusal(exc)
            if not_applied:
                journal.record(batch, "failed", error=str(exc))
            if retry and attempt <= retries:
                sleep(max(least, min(30.0, delay * 2 ** (attempt - 1))))
                continue
            raise  # if not certainly refused, the batch stays "sent": in doubt
        rows = _result_rows(response, batch, spec)
        journal.record(batch, "done", failed=sum(_failed(r, spec) for r in rows), results=rows)
        return rows


def run_batches(
    plan: BulkPlan,
    send: Callable[[Any], Any],
    on_batch: Callable[[Batch, str], None] | None,
    should_stop: Callable[[], bool],
    refused_retries: int,
    retry_delay: float,
    sleep: Callable[[float], None],
) -> BulkReport:
    """Send every batch of ``plan`` not applied yet, in order, journaled: ``send``,
    ``on_batch``, ``should_stop``, ``refused_retries``, ``retry_delay`` and ``sleep`` are the
    arguments of :meth:`BulkPlan.run <ofsc_cli.client.bulk.plan.BulkPlan.run>`.

    Returns what the run did; raises :class:`BulkInterrupted` once ``should_stop()`` turned
    true between two batches, and the send's own error when a batch fails.
    """
    spec = plan.spec
    journal = plan.open_journal()
    report = BulkReport(journal, batches=plan.batches, items=plan.items)
    for batch in plan.iter_batches():
        state = journal.state(batch.index)
        outcome = "skipped"
        if state in ("done", "skipped"):
            report.skipped += 1
            report.failed_items += int(journal.states[batch.index].get("failed") or 0)
        elif state == "sent" and plan.in_doubt == "skip":
            journal.record(batch, "skipped", results=_skipped_rows(batch, spec))
            report.skipped += 1
            report.notes.append(f"{batch.describe()} was in doubt: skipped, counted as applied")
        else:
            if state == "sent":
                why = " (the operation is idempotent)" if spec.idempotent else ""
                report.notes.append(
                    f"{batch.describe()} was in flight when the previous run stopped; "
                    f"sent again{why}"
                )
            if should_stop():
                raise BulkInterrupted(batch.index - 1, plan.batches, report)
            rows = _send_batch(spec, batch, send, journal, refused_retries, retry_delay, sleep)
            report.sent += 1
            report.failed_items += sum(_failed(row, spec) for row in rows)
            outcome = "sent"
        if on_batch is not None:
            on_batch(batch, outcome)
    return report


@contextlib.contextmanager
def deferred_interrupt(
    on_request: Callable[[], None] | None = None,
) -> Iterator[Callable[[], bool]]:
    """Within the block, the first Ctrl-C only asks to stop (the yielded function then returns
    True; ``on_request`` is called); a second one interrupts at once.  Outside the main thread
    nothing is changed (and the yielded function always returns False)."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    requested = threading.Event()

    def handler(signum: int, frame: Any) -> None:
        if requested.is_set():
            raise KeyboardInterrupt
        requested.set()
        if on_request is not None:
            on_request()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield requested.is_set
    finally:
        signal.signal(signal.SIGINT, previous)
