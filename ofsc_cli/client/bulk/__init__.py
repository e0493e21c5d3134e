"""Resumable bulk updates: read items, check them, send them in batches, keep a journal.

Every bulk operation (activities ``bulkUpdate``; the resources' work zones, work skills, work
schedules and inventories) is described by a :class:`BulkSpec` (data, plus a callback for
what only one operation checks): :func:`plan_bulk` reads and checks an input against its
journal, and :meth:`BulkPlan.run` sends what is left.  :func:`bulk_specs` holds the specs of
the API's bulk operations.

1. **Read** the input: JSON (an array; an object holding the array under ``spec.envelope``,
   and maybe the run's ``spec.parameters``; or one object), NDJSON (one object per line) or
   CSV.  CSV columns are field names, dotted for nested fields (``recurrence.weekdays``); the
   cells are converted to the types of ``spec.model`` (a list cell is split on ``;`` or ``,``;
   a cell of any other non-text field starting with ``[`` or ``{`` is read as JSON); empty
   cells are left out.  With ``spec.list_field`` and ``spec.group_by``, rows with the same key
   are grouped into one item whose ``list_field`` holds one element per row (one row per work
   zone of a resource, say).
2. **Check** every item (``spec.check``, then ``spec.model``) before anything is sent; an
   error names the line and the field (:class:`BulkInputError`).
3. **Batch**: at most ``max_items`` items and ``max_bytes`` of JSON body per request, in input
   order.  The split depends only on the input and those two numbers, so a re-run makes the
   same batches.
4. **Journal**: next to the input (``<input>.journal``), one JSON line per event.  Its header
   names the operation, the input's SHA-256, the batch size and the parameters, so a journal
   is never applied to another input (:class:`BulkJournalError`).  Before a batch is sent a
   ``sent`` line is written (and synced); after the answer a ``done`` line with the per-item
   results.  A request the server certainly did not apply (a 4xx, 503, an open circuit) is
   recorded ``failed`` and sent again by the next run; 429 and 503 are retried in place.
   A re-run skips ``done`` batches.
5. **In doubt**: a batch left ``sent`` (the process died while it was in flight) may or may
   not have been applied.  Where applying it twice is harmless (``spec.idempotent``) it is
   sent again; otherwise the run is refused (:class:`InDoubtError`, before anything is sent)
   unless the caller chooses ``in_doubt="resend"`` or ``"skip"`` (counted as applied).
6. **Interrupt**: :func:`deferred_interrupt` turns the first Ctrl-C into "stop after the
   current batch" (:class:`BulkInterrupted`), so an interrupted run leaves no batch in doubt.
7. **Lock**: one run at a time per journal.  :func:`plan_bulk` takes the journal's exclusive
   lock (:class:`JournalLock`: ``<journal>.lock``, with ``<journal>.lock.json`` saying who
   holds it) before it reads the journal, and :meth:`BulkPlan.run` (or :meth:`BulkPlan.close`)
   lets it go; a second run meanwhile gets :class:`JournalBusyError` naming the first (pid,
   host, start time) and changes nothing.  The lock is a :mod:`filelock` OS lock, so the
   system drops it when its process dies: a crashed run never leaves a stale lock.

Nothing here imports typer or rich; the command line adds options, a progress bar and
rendering around it (:mod:`ofsc_cli.cli._bulk`).

The package's modules, by concern (import the names from the package itself)::

    base      BulkSpec, Record, Batch and the errors, shared by the others
    inputs    reading JSON / NDJSON / CSV items and checking them (steps 1-2)
    plan      batching and planning: plan_batches, plan_bulk, BulkPlan (steps 3, 5)
    journal   the journal file and its lock: Journal, JournalLock (steps 4, 7)
    run       sending batches, the per-item results, deferred_interrupt (steps 4-6)
    specs     the API's bulk operations: bulk_specs, check_activity
"""

from ofsc_cli.client.bulk.base import (
    IN_DOUBT_CHOICES,
    MAX_BODY_BYTES,
    Batch,
    BulkInputError,
    BulkInterrupted,
    BulkJournalError,
    BulkSpec,
    InDoubt,
    InDoubtError,
    InvalidItem,
    JournalBusyError,
    Record,
)
from ofsc_cli.client.bulk.inputs import read_parameters, read_records, validate_records
from ofsc_cli.client.bulk.journal import Journal, JournalLock, default_journal_path
from ofsc_cli.client.bulk.plan import BulkOptions, BulkPlan, plan_batches, plan_bulk
from ofsc_cli.client.bulk.run import BulkReport, deferred_interrupt
from ofsc_cli.client.bulk.specs import bulk_specs, check_activity

__all__ = [
    "IN_DOUBT_CHOICES",
    "MAX_BODY_BYTES",
    "Batch",
    "BulkInputError",
    "BulkInterrupted",
    "BulkJournalError",
    "BulkOptions",
    "BulkPlan",
    "BulkReport",
    "BulkSpec",
    "InDoubt",
    "InDoubtError",
    "InvalidItem",
    "Journal",
    "JournalBusyError",
    "JournalLock",
    "Record",
    "bulk_specs",
    "check_activity",
    "default_journal_path",
    "deferred_interrupt",
    "plan_batches",
    "plan_bulk",
    "read_parameters",
    "read_records",
    "validate_records",
]
