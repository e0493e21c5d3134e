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
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import json
import os
import re
import secrets
import signal
import socket
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Required,
    TextIO,
    TypedDict,
    Union,
    Unpack,
    get_args,
    get_origin,
)

import filelock

from ofsc_cli.errors import (
    OFSCircuitOpenError,
    OFSError,
    OFSRetriesExhaustedError,
    OFSValidationError,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

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

MAX_BODY_BYTES = 5_000_000
"""OFS refuses a bulk request body above 5 MB (413)."""
JOURNAL_KIND = "ofsc-bulk-journal"
JOURNAL_VERSION = 2

InDoubt = Literal["refuse", "resend", "skip"]
IN_DOUBT_CHOICES: tuple[InDoubt, ...] = ("refuse", "resend", "skip")


# -- errors ---------------------------------------------------------------------------------


class BulkInputError(OFSValidationError):
    """The input file is unreadable or an item is invalid (nothing was sent).

    The message reads ``source: where: field: problem``; ``line`` and ``field`` say where when
    known."""

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
        super().__init__(message)
        self.holder = dict(holder) if holder else None


class InDoubtError(BulkJournalError):
    """A previous run died while ``batches`` were in flight: they may or may not be applied."""

    def __init__(self, message: str, batches: list[int]) -> None:
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


# -- the description of a bulk operation ---------------------------------------------------


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
        """The request body for ``items``."""
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
        first, last = self.records[0], self.records[-1]
        return first.where if first is last else f"{first.where} to {last.where}"

    def describe(self) -> str:
        return f"batch {self.index} ({self.span})"


# -- reading --------------------------------------------------------------------------------


def _open(path: Path, newline: str | None = None) -> TextIO:
    """``path`` as UTF-8 text (a BOM dropped); a directory, device or FIFO is refused."""
    import io

    from ofsc_cli.client._reader import InputError, open_input

    try:
        raw = open_input(path)
    except InputError as exc:
        raise BulkInputError(path, exc.problem) from None
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline=newline)


def _read_text(path: Path) -> str:
    with _open(path) as fh:
        return fh.read()


def _detect_format(path: Path, head: str) -> str:
    """From the suffix (``.json``, ``.ndjson``/``.jsonl``, ``.csv``), else from the content."""
    suffix = path.suffix.lower()
    if suffix in (".ndjson", ".jsonl"):
        return "ndjson"
    if suffix == ".csv":
        return "csv"
    if suffix == ".json" or head.startswith("["):
        return "json"
    if head.startswith("{"):
        return "json-or-ndjson"
    return "csv"


def _format(path: Path, spec: BulkSpec) -> str:
    with _open(path) as fh:
        head = fh.read(4096).lstrip()
    if not head:
        raise BulkInputError(path, f"the file is empty (no {spec.unit})")
    fmt = _detect_format(path, head)
    if fmt == "json-or-ndjson":
        from ofsc_cli.client._reader import JSONProblem, json_document

        try:
            json_document(_read_text(path))
        except JSONProblem as exc:
            # Not one JSON value: NDJSON.  One with a refused value: JSON, which says where.
            return "ndjson" if exc.syntax else "json"
        return "json"
    return fmt


def read_records(path: Path, spec: BulkSpec) -> Iterator[Record]:
    """The items of ``path`` (JSON, NDJSON or CSV), each with where it came from."""
    try:
        fmt = _format(path, spec)
        if fmt == "ndjson":
            yield from _ndjson_records(path)
        elif fmt == "csv":
            yield from _csv_records(path, spec)
        else:
            yield from _JsonInput(_read_text(path), path, spec).records()
    except UnicodeDecodeError:
        raise BulkInputError(path, "not a UTF-8 text file") from None


def read_parameters(path: Path, spec: BulkSpec) -> dict[str, Any] | None:
    """The ``spec.parameters`` member of a JSON input object, if it has one."""
    if not spec.parameters or _format(path, spec) != "json":
        return None
    return _JsonInput(_read_text(path), path, spec).parameters()


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _object(value: Any, path: Path, where: str, line: int | None) -> Record:
    if not isinstance(value, dict):
        raise BulkInputError(
            path, f"expected a JSON object, got {_kind(value)}", where=where, line=line
        )
    return Record(where, line, value)


def _ndjson_records(path: Path) -> Iterator[Record]:
    from ofsc_cli.client._reader import JSONProblem, json_document

    with _open(path) as fh:
        for number, text in enumerate(fh, 1):
            if not text.strip():
                continue
            try:
                value = json_document(text)
            except JSONProblem as exc:
                column = exc.pos - text.rfind("\n", 0, exc.pos)
                raise BulkInputError(
                    path,
                    f"invalid JSON at column {column}: {exc.message}",
                    where=f"line {number}",
                    line=number,
                ) from None
            yield _object(value, path, f"line {number}", number)


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


class _JsonInput:
    """A JSON input read value by value, so that each item keeps the line it starts on."""

    def __init__(self, text: str, path: Path, spec: BulkSpec) -> None:
        self.text = text
        self.path = path
        self.spec = spec
        self._depth_checked = False
        self._counted = 0
        self._line = 1

    def line_at(self, pos: int) -> int:
        """The line of ``pos`` (positions are asked in increasing order)."""
        self._line += self.text.count("\n", self._counted, pos)
        self._counted = pos
        return self._line

    def fail(self, pos: int, message: str) -> BulkInputError:
        line = self.text.count("\n", 0, pos) + 1
        column = pos - self.text.rfind("\n", 0, pos)
        return BulkInputError(
            self.path,
            f"invalid JSON at column {column}: {message}",
            where=f"line {line}",
            line=line,
        )

    def value(self, pos: int) -> tuple[Any, int]:
        """The value at ``pos``, strictly decoded (no NaN, huge numbers or deep nesting)."""
        from ofsc_cli.client._reader import JSONProblem, check_json_depth, json_value

        try:
            if not self._depth_checked:
                check_json_depth(self.text)
                self._depth_checked = True
            return json_value(self.text, pos)
        except JSONProblem as exc:
            raise self.fail(exc.pos, exc.message) from None

    def expect(self, pos: int, chars: str) -> tuple[str, int]:
        """The next non-blank character, which must be one of ``chars``."""
        pos = _skip_ws(self.text, pos)
        char = self.text[pos : pos + 1]
        if not char or char not in chars:
            wanted = " or ".join(f"'{c}'" for c in chars)
            raise self.fail(pos, f"expected {wanted}")
        return char, pos + 1

    def array(self, pos: int) -> tuple[list[tuple[int, Any]], int]:
        """The elements of the array at ``pos`` with their lines, and the end position."""
        _, pos = self.expect(pos, "[")
        elements: list[tuple[int, Any]] = []
        pos = _skip_ws(self.text, pos)
        if self.text[pos : pos + 1] == "]":
            return elements, pos + 1
        while True:
            pos = _skip_ws(self.text, pos)
            line = self.line_at(pos)
            value, pos = self.value(pos)
            elements.append((line, value))
            char, pos = self.expect(pos, ",]")
            if char == "]":
                return elements, pos

    def document(self) -> tuple[dict[str, Any] | None, list[tuple[int, Any]] | None, int]:
        """``(members, envelope elements, line)``: an array gives ``(None, elements, 1)``; an
        object its members, the elements under ``spec.envelope`` (if any) and its line."""
        start = _skip_ws(self.text, 0)
        line = self.text.count("\n", 0, start) + 1
        if self.text[start : start + 1] == "[":
            elements, pos = self.array(start)
            members: dict[str, Any] | None = None
        elif self.text[start : start + 1] != "{":
            value, _ = self.value(start)
            raise BulkInputError(
                self.path, f"expected a JSON object or array, got {_kind(value)}", where="line 1"
            )
        else:
            _, pos = self.expect(start, "{")
            members, elements = {}, None
            first = _skip_ws(self.text, pos)
            if self.text[first : first + 1] == "}":
                pos = first + 1
            else:
                while True:
                    key, pos = self.value(pos)
                    _, pos = self.expect(pos, ":")
                    if key == self.spec.envelope and self.spec.envelope:
                        elements, pos = self.array(pos)
                    else:
                        members[str(key)], pos = self.value(pos)
                    char, pos = self.expect(pos, ",}")
                    if char == "}":
                        break
        if _skip_ws(self.text, pos) < len(self.text):
            raise self.fail(_skip_ws(self.text, pos), "extra data after the JSON")
        return members, elements, line

    def records(self) -> Iterator[Record]:
        members, elements, line = self.document()
        envelope = self.spec.envelope
        if members is None:
            for at, value in elements or []:
                yield _object(value, self.path, f"line {at}", at)
        elif elements is not None:
            for number, (at, value) in enumerate(elements):
                yield _object(value, self.path, f"line {at}, {envelope}[{number}]", at)
        elif self.spec.parameters and self.spec.parameters in members:
            raise BulkInputError(
                self.path, f"missing (the list of {self.spec.unit})", field=envelope
            )
        else:
            yield Record("the object", line, members)

    def parameters(self) -> dict[str, Any] | None:
        members, _, _ = self.document()
        name = self.spec.parameters
        value = (members or {}).get(name) if name else None
        if value is not None and not isinstance(value, dict):
            raise BulkInputError(self.path, "expected an object", field=name)
        return value


# -- CSV ------------------------------------------------------------------------------------


def _unwrap(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return tp


def _field_type(model: Any, name: str) -> Any:
    fields = getattr(model, "model_fields", None)
    if not fields:
        return None
    for key, info in fields.items():
        if name in (key, info.alias):
            return _unwrap(info.annotation)
    return None


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and hasattr(tp, "model_fields")


def _finite(number: float) -> bool:
    import math

    return math.isfinite(number)


_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
_NUMBERS: dict[Any, str] = {int: "an integer", float: "a number"}


class _Cells:
    """Turns the cells of one CSV line into typed values; errors name the line and column."""

    def __init__(self, path: Path, line: int) -> None:
        self.path = path
        self.line = line

    def fail(self, name: str, problem: str) -> BulkInputError:
        return BulkInputError(
            self.path, problem, where=f"line {self.line}", field=name, line=self.line
        )

    def convert(self, tp: Any, text: str, name: str) -> Any:
        """``text`` as the type the model expects (``tp``; ``None``: a field it does not
        declare)."""
        if tp is str:
            return text
        if text.startswith(("[", "{")):
            from ofsc_cli.client._reader import JSONProblem, json_document

            try:
                return json_document(text)
            except JSONProblem as exc:
                raise self.fail(name, f"the cell is not valid JSON: {exc.message}") from None
        if get_origin(tp) is list:
            (element,) = get_args(tp) or (str,)
            parts = [s.strip() for s in re.split(r"[;,]", text) if s.strip()]
            return [self.convert(_unwrap(element), s, name) for s in parts]
        if tp is bool:
            if text.lower() not in _BOOLEANS:
                raise self.fail(name, f"'{text}' is not true or false")
            return _BOOLEANS[text.lower()]
        if tp in _NUMBERS:
            shown = text if len(text) <= 24 else f"{text[:10]}…{text[-4:]} ({len(text)} characters)"
            try:
                number = tp(text)
            except ValueError:
                raise self.fail(name, f"'{shown}' is not {_NUMBERS[tp]}") from None
            if tp is float and not _finite(number):
                raise self.fail(name, f"'{shown}' is not a finite number")
            return number
        return text

    def put(self, target: dict[str, Any], model: Any, dotted: str, text: str) -> None:
        parts = dotted.split(".")
        node, tp = target, model
        for part in parts[:-1]:
            tp = _field_type(tp, part)
            node = node.setdefault(part, {})
            if not _is_model(tp):
                tp = None
        node[parts[-1]] = self.convert(_field_type(tp, parts[-1]), text, dotted)


def _csv_records(path: Path, spec: BulkSpec) -> Iterator[Record]:
    element_model = None
    if spec.list_field:
        list_type = _field_type(spec.model, spec.list_field)
        if get_origin(list_type) is list:
            element_model = _unwrap(get_args(list_type)[0])
    groups: dict[tuple[str, ...], tuple[dict[str, Any], list[int], int]] = {}
    with _open(path, newline="") as fh:
        reader = csv.reader(fh)
        names = [n.strip() for n in next(reader, None) or []]
        if not any(names):
            raise BulkInputError(
                path, "the CSV has no header line of field names", where="line 1", line=1
            )
        if spec.group_by and not any(g in names for g in spec.group_by):
            wanted = " or ".join(spec.group_by)
            raise BulkInputError(path, f"the header needs a {wanted} column", where="line 1")
        for row in reader:
            cells = _Cells(path, reader.line_num)
            if len(row) > len(names):
                raise cells.fail("", f"{len(row)} cells for {len(names)} header fields")
            values = {n: v.strip() for n, v in zip(names, row, strict=False) if n and v.strip()}
            if not values:
                continue
            if not spec.list_field:
                item: dict[str, Any] = {}
                for name, text in values.items():
                    cells.put(item, spec.model, name, text)
                yield Record(f"line {cells.line}", cells.line, item)
                continue
            top: dict[str, Any] = {}
            element: dict[str, Any] = {}
            for name, text in values.items():
                first = name.split(".", 1)[0]
                if first in spec.group_by or (
                    _field_type(spec.model, first) is not None and first != spec.list_field
                ):
                    cells.put(top, spec.model, name, text)
                else:
                    cells.put(element, element_model, name, text)
            key = tuple(str(top.get(g, "")) for g in spec.group_by)
            if key not in groups:
                groups[key] = ({**top, spec.list_field: []}, [], cells.line)
            item, lines, _ = groups[key]
            for name, value in top.items():
                if name in item and item[name] != value:
                    raise cells.fail(
                        name, f"'{value}' here but '{item[name]}' on an earlier row of the item"
                    )
            if element:
                item[spec.list_field].append(element)
                lines.append(cells.line)
    for item, lines, first_line in groups.values():
        yield Record(f"line {first_line}", first_line, item, tuple(lines))


# -- checking and batching --------------------------------------------------------------------


def _where_error(record: Record, loc: Sequence[Any], spec: BulkSpec) -> tuple[str, str]:
    where = record.where
    if (
        record.element_lines
        and len(loc) >= 2
        and loc[0] == spec.list_field
        and isinstance(loc[1], int)
        and loc[1] < len(record.element_lines)
    ):
        where = f"line {record.element_lines[loc[1]]}"
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return where, text


def validate_records(
    records: Iterable[Record],
    spec: BulkSpec,
    source: Path,
    parameters: Mapping[str, Any] | None = None,
) -> Iterator[Record]:
    """``records`` unchanged, after checking each with ``spec.check``, for impossible dates
    (``2026-02-30`` in any field) and with ``spec.model``."""
    from pydantic import ValidationError

    from ofsc_cli.client._reader import impossible_date

    for record in records:
        if spec.check is not None:
            try:
                spec.check(record.data, parameters or {})
            except InvalidItem as exc:
                raise BulkInputError(
                    source, exc.problem, where=record.where, field=exc.field, line=record.line
                ) from None
        found = impossible_date(record.data)
        if found is not None:
            where, dotted = _where_error(record, found[0], spec)
            raise BulkInputError(source, found[1], where=where, field=dotted, line=record.line)
        if spec.model is not None:
            try:
                spec.model.model_validate(record.data)
            except ValidationError as exc:
                problems = []
                where = record.where
                for err in exc.errors()[:3]:
                    where, loc = _where_error(record, err["loc"], spec)
                    message = str(err["msg"]).removeprefix("Value error, ")
                    problems.append(f"{loc}: {message}" if loc else message)
                raise BulkInputError(
                    source, "; ".join(problems), where=where, line=record.line
                ) from None
        yield record


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
    """Group ``records`` into batches of at most ``max_items`` items and ``max_bytes``."""
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


# -- the journal ----------------------------------------------------------------------------


def default_journal_path(source: Path) -> Path:
    """``<input>.journal``, next to the input file."""
    return source.with_name(source.name + ".journal")


def file_sha256(path: Path) -> str:
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
        self.path = path
        self.header = header
        self.states: dict[int, dict[str, Any]] = {}

    @classmethod
    def load(cls, path: Path) -> Journal | None:
        """The journal at ``path`` as it is (``None`` if there is none); writes nothing."""
        if not path.exists():
            return None
        entries = _read_entries(path)
        journal = cls(path, entries[0])
        for entry in entries[1:]:
            journal._remember(entry)
        return journal

    @classmethod
    def create(cls, path: Path, header: dict[str, Any]) -> Journal:
        journal = cls(path, header)
        journal._append(header, create=True)
        return journal

    def check(self, header: Mapping[str, Any]) -> None:
        """Refuse to continue this journal for ``header``'s operation, input or options."""
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
        entry = self.states.get(index)
        return str(entry["state"]) if entry else None

    def record(self, batch: Batch, state: str, **extra: Any) -> None:
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
        """Every per-item result recorded, in batch order, read back from the file one line
        at a time.  (A batch ends ``done`` or ``skipped`` only once every batch before it
        has, so the file holds those events in batch order.)"""
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
        self.journal = Path(journal)
        self.path = self.journal.with_name(self.journal.name + ".lock")
        self.info_path = self.journal.with_name(self.journal.name + ".lock.json")
        self._lock = filelock.FileLock(str(self.path), timeout=0, thread_local=False, mode=0o600)
        self._created = False

    def __repr__(self) -> str:
        return f"JournalLock({str(self.path)!r}, held={self.held})"

    @property
    def held(self) -> bool:
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
        """What the current holder wrote about itself (None if unreadable)."""
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


# -- planning -------------------------------------------------------------------------------


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
        return int(self.header["maxItems"])

    @property
    def pending_batches(self) -> int:
        return self.batches - self.done

    def iter_batches(self) -> Iterator[Batch]:
        """Every batch of the input, in order (the input is read again: memory stays flat)."""
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
        """The batches still to send, in order."""
        states = self.existing.states if self.existing else {}
        for batch in self.iter_batches():
            if states.get(batch.index, {}).get("state") not in ("done", "skipped"):
                yield batch

    def open_journal(self) -> Journal:
        """Continue the journal that was read, or start a new one (replacing any other)."""
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
        """Send every batch not applied yet with ``send(body)``, in order, journaled.

        ``on_batch(batch, outcome)`` is called after each batch (``"sent"`` or
        ``"skipped"``).  A batch refused with 429 or 503 (or by an open circuit) is sent
        again up to ``refused_retries`` times, ``retry_delay`` seconds doubling between.
        Raises :class:`BulkInterrupted` once ``should_stop()`` turned true (checked between
        two batches), and the send's own error when a batch fails.  The journal's lock is let
        go when the run ends, however it ends (so a plan is run once: plan again to resume).
        """
        if self.lock is not None and not self.lock.held:
            raise BulkJournalError(
                f"this plan of {self.journal_path} was closed (its lock let go); plan it again"
            )
        try:
            return self._run(send, on_batch, should_stop, refused_retries, retry_delay, sleep)
        finally:
            if self.lock is not None:
                self.lock.release()

    def _run(
        self,
        send: Callable[[Any], Any],
        on_batch: Callable[[Batch, str], None] | None,
        should_stop: Callable[[], bool],
        refused_retries: int,
        retry_delay: float,
        sleep: Callable[[float], None],
    ) -> BulkReport:
        spec = self.spec
        journal = self.open_journal()
        report = BulkReport(journal, batches=self.batches, items=self.items)
        for batch in self.iter_batches():
            state = journal.state(batch.index)
            outcome = "skipped"
            if state in ("done", "skipped"):
                report.skipped += 1
                report.failed_items += int(journal.states[batch.index].get("failed") or 0)
            elif state == "sent" and self.in_doubt == "skip":
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
                    raise BulkInterrupted(batch.index - 1, self.batches, report)
                rows = _send_batch(spec, batch, send, journal, refused_retries, retry_delay, sleep)
                report.sent += 1
                report.failed_items += sum(_failed(row, spec) for row in rows)
                outcome = "sent"
            if on_batch is not None:
                on_batch(batch, outcome)
        return report


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
    """Lock the journal, then read and check the whole input and the journal; write nothing.

    Raises :class:`BulkInputError` or :class:`BulkJournalError` (so, before anything is
    sent; :class:`JournalBusyError` while another run holds the journal);
    ``plan_bulk(...).run(send)`` applies the input and lets the lock go.  A plan that is not
    run should be closed (``with plan_bulk(...) as plan:``)."""
    in_doubt = options.get("in_doubt")
    chosen = next((c for c in IN_DOUBT_CHOICES if c == in_doubt), None)
    if in_doubt is not None and chosen is None:
        raise OFSValidationError(f"--in-doubt: '{in_doubt}' is not one of refuse, resend, skip")
    source = Path(source)
    _open(source).close()  # a missing file, a directory, a device or a FIFO is refused
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


# -- running --------------------------------------------------------------------------------


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
        """Every item's recorded result, in input order."""
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


# -- the API's bulk operations ------------------------------------------------------------


_IDENTIFY_FIELDS: dict[str, tuple[str, ...]] = {
    "activityId": ("activityId",),
    "apptNumber": ("apptNumber",),
    "apptNumberPlusCustomerNumber": ("apptNumber", "customerNumber"),
    "apptNumberPlusIbAssetId": ("apptNumber", "ibAssetId"),
}
_INTEGER_KEYS = ("activityId", "ibAssetId")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_activity(item: dict[str, Any], parameters: Mapping[str, Any]) -> None:
    """An activity of a bulk update has the fields that find it (``identifyActivityBy``),
    an integer id where one is needed, and a ``YYYY-MM-DD`` date if any."""
    identify_by = str(parameters.get("identifyActivityBy") or "activityId")
    for name in _IDENTIFY_FIELDS.get(identify_by, ()):
        value = item.get(name)
        if value in (None, ""):
            raise InvalidItem(name, f"missing (needed to find the activity by {identify_by})")
        if name in _INTEGER_KEYS and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidItem(name, f"'{value}' is not an integer")
    date = item.get("date")
    if date is not None and (not isinstance(date, str) or not _DATE.match(date)):
        raise InvalidItem("date", f"'{date}' is not a date (YYYY-MM-DD)")


@functools.cache
def bulk_specs() -> Mapping[str, BulkSpec]:
    """The specs of the API's bulk operations, by operation key (``"POST /rest/…"``)."""
    from ofsc_cli.client.api.core_activities import CoreActivities as A
    from ofsc_cli.client.api.core_resources import CoreResources as R
    from ofsc_cli.models.activities import Activity, BulkUpdateParameters
    from ofsc_cli.models.resources import (
        BulkResourceInventories,
        BulkWorkSchedules,
        BulkWorkSkills,
        BulkWorkZones,
    )

    ids = ("resourceId", "resourceInternalId")

    def per_resource(name: str, model: Any, list_field: str, idempotent: bool) -> BulkSpec:
        return BulkSpec(
            name,
            "resources",
            model,
            list_field=list_field,
            group_by=ids,
            key_fields=ids,
            idempotent=idempotent,
        )

    return types.MappingProxyType(
        {
            A.bulk_update_activities.spec.key: BulkSpec(
                "activity updates",
                "activities",
                Activity,
                check=check_activity,
                envelope="activities",
                parameters="updateParameters",
                parameters_model=BulkUpdateParameters,
                parameter_defaults={
                    "ifInFinalStatusThen": "doNothing",
                    "identifyActivityBy": "activityId",
                },
                failed_key="operationsFailed",
                error_fields=("errorDetail",),
                flatten_errors=False,
            ),
            # Work zones and skills are replaced: sending a batch twice is harmless.
            R.bulk_update_work_zones.spec.key: per_resource(
                "work-zone assignments", BulkWorkZones, "workZones", True
            ),
            R.bulk_update_work_skills.spec.key: per_resource(
                "work skills", BulkWorkSkills, "workSkills", True
            ),
            # Work-schedule records are added, so twice would add them twice.
            R.bulk_update_work_schedules.spec.key: per_resource(
                "work-schedule records", BulkWorkSchedules, "workSchedules", False
            ),
            R.bulk_update_inventories.spec.key: BulkSpec(
                "inventory changes",
                "resources",
                BulkResourceInventories,
                envelope="resources",
                list_field="inventories",
                group_by=("resourceId",),
                key_fields=("resourceId",),
            ),
        }
    )
