"""Batching and planning: an input split into batches, checked against its journal.

:func:`plan_batches` makes the batches (deterministic: the same input and limits give the same
batches); :func:`plan_bulk` locks the journal, reads and checks the whole input and says what
is left to send (:class:`BulkPlan`), writing nothing; :meth:`BulkPlan.run` sends it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Required, TypedDict, Unpack

from ofsc_cli.client.bulk.base import (
    IN_DOUBT_CHOICES,
    Batch,
    BulkInputError,
    BulkJournalError,
    BulkSpec,
    InDoubt,
    InDoubtError,
    Record,
)
from ofsc_cli.client.bulk.inputs import open_text, read_parameters, read_records, validate_records
from ofsc_cli.client.bulk.journal import (
    JOURNAL_KIND,
    JOURNAL_VERSION,
    Journal,
    JournalLock,
    default_journal_path,
    file_sha256,
)
from ofsc_cli.client.bulk.run import BulkReport, run_batches
from ofsc_cli.errors import OFSValidationError

__all__ = ["BulkOptions", "BulkPlan", "plan_batches", "plan_bulk"]


def _encoded_size(value: Any) -> int:
    # The client encodes bodies with json.dumps defaults: count exactly that.
    return len(json.dumps(value).encode())


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def plan_batches(
    records: Iterable[Record],
    spec: BulkSpec,
    *,
    max_items: int,
    max_bytes: int,
    source: Path,
    parameters: Mapping[str, Any] | None = None,
) -> Iterator[Batch]:
    """Yields ``records`` grouped into batches of at most ``max_items`` items and ``max_bytes``
    encoded bytes (the body of ``spec`` with ``parameters`` included), in order; ``source``
    names the input in messages.  Raises :class:`BulkInputError` for one item that alone is
    larger than ``max_bytes``.
    """
    overhead = _encoded_size(spec.body([], parameters))
    current: list[Record] = []
    size = overhead
    index = 0

    def close() -> Batch:
        nonlocal index
        index += 1
        payload = spec.body([r.data for r in current], parameters)
        return Batch(index, tuple(current), payload, size, _digest(payload))

    for record in records:
        item_size = _encoded_size(record.data)
        if overhead + item_size > max_bytes:
            raise BulkInputError(
                source,
                f"this item alone is {item_size} bytes of JSON, above the {max_bytes}-byte "
                "request limit",
                where=record.where,
                line=record.line,
            )
        separator = 2 if current else 0  # ", " between array elements
        if current and (len(current) >= max_items or size + separator + item_size > max_bytes):
            yield close()
            current, size, separator = [], overhead, 0
        current.append(record)
        size += separator + item_size
    if current:
        yield close()


def _resolve_parameters(
    spec: BulkSpec, source: Path, given: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The run's parameters: the input's, then ``given``, then the defaults; validated."""
    if not spec.parameters:
        if given:
            raise OFSValidationError(f"bulk {spec.name} take no parameters")
        return None
    params = {**(read_parameters(source, spec) or {}), **(given or {})}
    for name, value in spec.parameter_defaults.items():
        params.setdefault(name, value)
    if spec.parameters_model is not None:
        from pydantic import ValidationError

        try:
            spec.parameters_model.model_validate(params)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise BulkInputError(
                source, err["msg"], field=f"{spec.parameters}.{where}".rstrip(".")
            ) from None
    return params


@dataclass
class BulkPlan:
    """A checked input and what its journal says is left to send (nothing written yet)."""

    spec: BulkSpec
    source: Path
    header: dict[str, Any]
    journal_path: Path
    existing: Journal | None
    parameters: dict[str, Any] | None
    in_doubt: InDoubt
    items: int = 0
    batches: int = 0
    done: int = 0
    """Batches an earlier run applied (or skipped as in doubt)."""
    pending_items: int = 0
    doubtful: list[tuple[int, str]] = field(default_factory=list)
    """``(index, description)`` of the batches in flight when an earlier run stopped."""
    lock: JournalLock | None = None
    """The journal's lock, held from :func:`plan_bulk` until :meth:`run` ends or
    :meth:`close` (a plan is also a context manager)."""

    def close(self) -> None:
        """Let the journal's lock go (a plan that is not run, such as a dry run: a lock file
        it created goes too)."""
        if self.lock is not None:
            self.lock.release(discard=True)

    def __enter__(self) -> BulkPlan:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def max_items(self) -> int:
        """The batch size of the run (the journal's when resuming)."""
        return int(self.header["maxItems"])

    @property
    def pending_batches(self) -> int:
        """How many batches are left to send."""
        return self.batches - self.done

    def iter_batches(self) -> Iterator[Batch]:
        """Returns every batch of the input, in order (the input is read again: memory stays
        flat).
        """
        records = validate_records(
            read_records(self.source, self.spec), self.spec, self.source, self.parameters
        )
        return plan_batches(
            records,
            self.spec,
            max_items=self.max_items,
            max_bytes=int(self.header["maxBytes"]),
            source=self.source,
            parameters=self.parameters,
        )

    def pending(self) -> Iterator[Batch]:
        """Yields the batches still to send, in order."""
        states = self.existing.states if self.existing else {}
        for batch in self.iter_batches():
            if states.get(batch.index, {}).get("state") not in ("done", "skipped"):
                yield batch

    def open_journal(self) -> Journal:
        """Returns the journal that was read, to continue it, or a new one (replacing any other)."""
        if self.existing is not None:
            return self.existing
        with contextlib.suppress(FileNotFoundError):
            self.journal_path.unlink()
        return Journal.create(self.journal_path, self.header)

    def run(
        self,
        send: Callable[[Any], Any],
        *,
        on_batch: Callable[[Batch, str], None] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        refused_retries: int = 5,
        retry_delay: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> BulkReport:
        """Send every batch not applied yet with ``send(body)``, in order, journaled.  Returns the
        :class:`BulkReport` of the run.

        ``on_batch(batch, outcome)`` is called after each batch (``"sent"`` or
        ``"skipped"``).  A batch refused with 429 or 503 (or by an open circuit) is sent
        again up to ``refused_retries`` times, ``retry_delay`` seconds doubling between (waited
        with ``sleep``).  Raises :class:`BulkInterrupted` once ``should_stop()`` turned true
        (checked between two batches), :class:`BulkJournalError` for a plan already closed, and
        the send's own error when a batch fails.  The journal's lock is let go when the run
        ends, however it ends (so a plan is run once: plan again to resume).
        """
        if self.lock is not None and not self.lock.held:
            raise BulkJournalError(
                f"this plan of {self.journal_path} was closed (its lock let go); plan it again"
            )

        try:
            return run_batches(
                self, send, on_batch, should_stop, refused_retries, retry_delay, sleep
            )
        finally:
            if self.lock is not None:
                self.lock.release()


class BulkOptions(TypedDict, total=False):
    """The options of :func:`plan_bulk`."""

    operation: Required[str]
    """Identifies the API operation in the journal (``"POST /rest/…"``)."""
    parameters: Mapping[str, Any] | None
    """The run's parameters (``spec.parameters``), over those of the input."""
    journal_path: Path | None
    """Default: ``<input>.journal`` next to the input."""
    batch_size: int | None
    """Default: the journal's (resuming) or ``spec.max_items``; another than the journal's
    is refused."""
    max_bytes: int | None
    """At most ``spec.max_bytes``."""
    restart: bool
    """Ignore the journal (it is replaced when the run starts)."""
    in_doubt: str | None
    """What to do with a batch an earlier run left in flight: ``"refuse"`` (raise
    :class:`InDoubtError`), ``"resend"`` or ``"skip"``; default: ``"resend"`` where
    ``spec.idempotent``, else ``"refuse"``."""


def plan_bulk(spec: BulkSpec, source: Path, **options: Unpack[BulkOptions]) -> BulkPlan:
    """Lock the journal, then read and check the whole input ``source`` for ``spec`` and the
    journal (``options``: see :class:`BulkOptions`); write nothing.  Returns the
    :class:`BulkPlan`.

    Raises :class:`BulkInputError` or :class:`BulkJournalError` (so, before anything is
    sent; :class:`JournalBusyError` while another run holds the journal), and
    :class:`~ofsc_cli.errors.OFSValidationError` for an unknown ``in_doubt`` choice;
    ``plan_bulk(...).run(send)`` applies the input and lets the lock go.  A plan that is not
    run should be closed (``with plan_bulk(...) as plan:``).
    """
    in_doubt = options.get("in_doubt")
    chosen = next((c for c in IN_DOUBT_CHOICES if c == in_doubt), None)
    if in_doubt is not None and chosen is None:
        raise OFSValidationError(f"--in-doubt: '{in_doubt}' is not one of refuse, resend, skip")
    source = Path(source)
    open_text(source).close()  # a missing file, a directory, a device or a FIFO is refused
    params = _resolve_parameters(spec, source, options.get("parameters"))
    path = Path(options.get("journal_path") or default_journal_path(source))
    lock = JournalLock(path)
    lock.acquire()
    try:
        plan = _plan_locked(spec, source, path, params, chosen, options)
    except BaseException:
        lock.release(discard=True)
        raise
    plan.lock = lock
    return plan


def _plan_locked(
    spec: BulkSpec,
    source: Path,
    path: Path,
    params: dict[str, Any] | None,
    chosen: InDoubt | None,
    options: BulkOptions,
) -> BulkPlan:
    batch_size = options.get("batch_size")
    max_bytes = options.get("max_bytes")
    existing = None if options.get("restart") else Journal.load(path)
    previous = existing.header if existing else {}
    if existing is not None and batch_size is not None and batch_size != previous["maxItems"]:
        raise BulkJournalError(
            f"the journal {path} was written with --batch-size {previous['maxItems']}; resume "
            "with the same batch size (or leave --batch-size out), or pass --restart"
        )
    max_items = int(batch_size or previous.get("maxItems") or spec.max_items)
    if max_items < 1:
        raise OFSValidationError("the batch size must be at least 1")
    header: dict[str, Any] = {
        "kind": JOURNAL_KIND,
        "version": JOURNAL_VERSION,
        "operation": options["operation"],
        "input": source.name,
        "inputSha256": file_sha256(source),
        "maxItems": max_items,
        "maxBytes": previous.get("maxBytes") or min(max_bytes or spec.max_bytes, spec.max_bytes),
        "parameters": params,
    }
    if existing is not None:
        existing.check(header)
    policy: InDoubt = chosen or ("resend" if spec.idempotent else "refuse")
    plan = BulkPlan(spec, source, header, path, existing, params, policy)
    states = existing.states if existing else {}
    for batch in plan.iter_batches():
        plan.batches += 1
        plan.items += len(batch.records)
        entry = states.get(batch.index)
        if entry is not None and entry.get("sha256") != batch.digest:
            raise BulkJournalError(
                f"{batch.describe()} differs from the one in the journal {path}; "
                "pass --restart to start over"
            )
        state = entry.get("state") if entry else None
        if state in ("done", "skipped"):
            plan.done += 1
            continue
        plan.pending_items += len(batch.records)
        if state == "sent":
            plan.doubtful.append((batch.index, batch.describe()))
    if plan.items == 0:
        raise BulkInputError(source, f"no {spec.unit} in the file")
    header.update(items=plan.items, batches=plan.batches)
    if plan.doubtful and policy == "refuse":
        spans = ", ".join(text for _, text in plan.doubtful)
        raise InDoubtError(
            f"{spans} was in flight when the previous run stopped, so it may or may not have "
            f"been applied, and applying {spec.name} twice is not harmless. Check them on the "
            "server, then re-run with --in-doubt resend to send it again or --in-doubt skip "
            f"to count it as applied (journal: {path})",
            [index for index, _ in plan.doubtful],
        )
    return plan
