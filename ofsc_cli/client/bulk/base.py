"""What every part of the bulk engine shares: the description of a bulk operation
(:class:`BulkSpec`), an input item (:class:`Record`), a request's worth of items
(:class:`Batch`), and the errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ofsc_cli.errors import OFSValidationError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ofsc_cli.client.bulk.run import BulkReport

__all__ = [
    "IN_DOUBT_CHOICES",
    "MAX_BODY_BYTES",
    "Batch",
    "BulkInputError",
    "BulkInterrupted",
    "BulkJournalError",
    "BulkSpec",
    "InDoubt",
    "InDoubtError",
    "InvalidItem",
    "JournalBusyError",
    "Record",
]


MAX_BODY_BYTES = 5_000_000
"""OFS refuses a bulk request body above 5 MB (413)."""


InDoubt = Literal["refuse", "resend", "skip"]


IN_DOUBT_CHOICES: tuple[InDoubt, ...] = ("refuse", "resend", "skip")


class BulkInputError(OFSValidationError):
    """The input file is unreadable or an item is invalid (nothing was sent).

    The message joins ``source``, ``where`` (the item), ``field`` and ``problem`` with
    colons; ``line`` and ``field`` say where when known.
    """

    def __init__(
        self,
        source: str | Path,
        problem: str,
        *,
        where: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(": ".join(p for p in (str(source), where, field, problem) if p))
        self.source = str(source)
        self.line = line
        self.field = field


class BulkJournalError(OFSValidationError):
    """The journal cannot be used as is (another input or operation, damaged, not writable)."""


class JournalBusyError(BulkJournalError):
    """Another run holds the journal (``holder``: what it wrote about itself, if readable)."""

    def __init__(self, message: str, holder: Mapping[str, Any] | None) -> None:
        """Say ``message``; ``holder`` is what the other run wrote about itself, if readable."""
        super().__init__(message)
        self.holder = dict(holder) if holder else None


class InDoubtError(BulkJournalError):
    """A previous run died while ``batches`` were in flight: they may or may not be applied."""

    def __init__(self, message: str, batches: list[int]) -> None:
        """Say ``message``; ``batches`` are the numbers of the batches in doubt."""
        super().__init__(message)
        self.batches = batches


class BulkInterrupted(Exception):
    """The run stopped on request after batch ``done`` of ``total`` (the journal is kept);
    ``report`` says what it did."""

    def __init__(self, done: int, total: int, report: BulkReport) -> None:
        where = f"after batch {done} of {total}" if done else "before the first batch"
        super().__init__(
            f"interrupted {where}; run the same command again to send the rest "
            f"(journal: {report.journal.path})"
        )
        self.done = done
        self.total = total
        self.report = report


class InvalidItem(ValueError):
    """Raised by a :attr:`BulkSpec.check`: ``field`` of the item has ``problem``."""

    def __init__(self, field: str | None, problem: str) -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class BulkSpec:
    """What a bulk operation expects and how its answer reads."""

    name: str
    """What is applied, for messages ("work-zone assignments")."""
    unit: str = "items"
    """What one input item is, for counts ("activities", "resources")."""
    model: type[BaseModel] | None = None
    """Validates one item (unknown fields are sent as written) and types CSV cells."""
    check: Callable[[dict[str, Any], Mapping[str, Any]], None] | None = None
    """Extra check of one item given the run's parameters; raises :class:`InvalidItem`."""
    envelope: str | None = None
    """Send ``{envelope: [items]}`` instead of a bare array (and accept it as input)."""
    parameters: str | None = None
    """Body member holding the run's parameters (sent with every batch)."""
    parameters_model: type[BaseModel] | None = None
    """Validates the parameters."""
    parameter_defaults: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """Parameters used unless the input or the caller gives them."""
    list_field: str | None = None
    """CSV only: the list each row adds one element to…"""
    group_by: tuple[str, ...] = ()
    """…in the item identified by these columns."""
    key_fields: tuple[str, ...] = ()
    """Fields identifying an item in the results (else the results follow the input order)."""
    results_key: str = "results"
    """Member of the response holding one result per item."""
    failed_key: str = "itemsFailed"
    """Member of a result that is non-empty when part of the item failed."""
    error_fields: tuple[str, ...] = ("title", "detail")
    """Members of an API error that say what went wrong (the last one: the detail)."""
    flatten_errors: bool = True
    """Report each error as one text made of ``error_fields`` (else as the API sent it)."""
    idempotent: bool = False
    """Applying a batch twice has the effect of applying it once (so in doubt: resend)."""
    max_items: int = 100
    """Default batch size."""
    max_bytes: int = MAX_BODY_BYTES

    def body(self, items: list[dict[str, Any]], parameters: Mapping[str, Any] | None) -> Any:
        """Returns the request body for ``items``: the bare list, or the spec's envelope holding
        them (with ``parameters`` under the spec's parameters key, where it has one).
        """
        if not self.envelope:
            return items
        body: dict[str, Any] = {}
        if self.parameters:
            body[self.parameters] = dict(parameters or {})
        body[self.envelope] = items
        return body


@dataclass(frozen=True)
class Record:
    """One input item and where it came from."""

    where: str
    """``"line 12"``, ``"line 3, resources[1]"`` or ``"the object"``, for messages."""
    line: int | None
    data: dict[str, Any]
    element_lines: tuple[int, ...] = ()
    """Grouped CSV: the line of each element of the list field."""


@dataclass(frozen=True)
class Batch:
    """One request's worth of items (``index`` counts from 1)."""

    index: int
    records: tuple[Record, ...]
    payload: Any
    size: int
    digest: str

    @property
    def span(self) -> str:
        """Where the batch's items came from: ``"line 3 to line 102"``."""
        first, last = self.records[0], self.records[-1]
        return first.where if first is last else f"{first.where} to {last.where}"

    def describe(self) -> str:
        """Returns ``"batch N (span)"``, for messages."""
        return f"batch {self.index} ({self.span})"
