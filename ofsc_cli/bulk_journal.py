"""Resumable bulk updates: read items, validate them, send them in batches, keep a journal.

Any bulk operation (resource work zones/skills/schedules/inventories, activity bulk updates)
is described by a :class:`BulkSpec` and run by :func:`run_bulk`:

1. **Read** the input file: a JSON array (or an object holding the array under
   ``spec.envelope``, or one object), NDJSON (one object per line) or CSV.  CSV columns are
   field names, dotted for nested fields (``recurrence.weekdays``); values are converted to the
   types of ``spec.model``; list cells are split on ``;`` or ``,``.  With ``spec.list_field``
   and ``spec.group_by``, rows with the same key are grouped into one item whose
   ``list_field`` holds one element per row (one row per work zone of a resource, say).
2. **Validate** every item against ``spec.model`` before anything is sent; errors name the
   line (or item number) and the field (:class:`BulkInputError`).
3. **Batch**: at most ``max_items`` items and ``max_bytes`` of JSON body per request.
4. **Journal**: next to the input (``<input>.journal``), one JSON line per event.  Its header
   names the operation and the input's SHA-256, so a journal is never applied to another
   input.  Before a batch is sent a ``sent`` line is written (and synced), after the answer a
   ``done`` line with the per-item results.  A re-run skips ``done`` batches.  A batch left
   ``sent`` (the process died while it was in flight) is *in doubt*: re-sent silently when
   the operation is idempotent (``spec.idempotent``), otherwise refused unless the caller
   chooses ``in_doubt="resend"`` or ``"skip"``.  Whole-request refusals (4xx) are recorded as
   ``failed`` (not applied) and retried by the next run; 429 and 503 are retried in place.
5. **Interrupt**: :func:`deferred_interrupt` turns the first Ctrl-C into "stop after the
   current batch", so an interrupted run leaves no batch in doubt.

Nothing here imports typer or rich; the command line adds options, a progress bar and
rendering around it.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
import signal
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "MAX_BODY_BYTES",
    "Batch",
    "BulkInputError",
    "BulkInterrupted",
    "BulkJournalError",
    "BulkReport",
    "BulkSpec",
    "InDoubt",
    "Journal",
    "Record",
    "default_journal_path",
    "deferred_interrupt",
    "plan_batches",
    "read_records",
    "run_bulk",
    "validate_records",
]

MAX_BODY_BYTES = 5 * 1024 * 1024
"""OFS refuses bulk request bodies above 5 MB (413)."""

JOURNAL_KIND = "ofsc-bulk-journal"
JOURNAL_VERSION = 1

InDoubt = Literal["refuse", "resend", "skip"]


class BulkInputError(ValueError):
    """The input file is unreadable or an item is invalid (nothing was sent)."""


class BulkJournalError(ValueError):
    """The journal cannot be used as is (other input, batch in doubt, not writable)."""


class BulkInterrupted(Exception):
    """The run stopped on request after ``done`` of ``total`` batches (journal kept)."""

    def __init__(self, done: int, total: int, journal: Path) -> None:
        super().__init__(
            f"interrupted after batch {done} of {total}; run the same command again to "
            f"continue (journal: {journal})"
        )
        self.done = done
        self.total = total
        self.journal = journal


@dataclass(frozen=True)
class BulkSpec:
    """What a bulk operation expects and how its answer reads."""

    name: str
    """What the items are, for messages ("work-zone assignments")."""
    model: type[BaseModel] | None = None
    """Validates one item (unknown fields are sent as written)."""
    envelope: str | None = None
    """Send ``{envelope: [items]}`` instead of a bare array (and accept it as input)."""
    list_field: str | None = None
    """CSV only: the list each row adds one element to…"""
    group_by: tuple[str, ...] = ()
    """…in the item identified by these columns."""
    key_fields: tuple[str, ...] = ()
    """Fields identifying an item in the results (matched back to input lines)."""
    idempotent: bool = False
    """Applying a batch twice has the effect of applying it once."""
    results_key: str = "results"
    """Member of the response holding one result per item."""
    max_items: int = 100
    max_bytes: int = MAX_BODY_BYTES


@dataclass(frozen=True)
class Record:
    """One input item and where it came from."""

    where: str
    """``"line 12"`` or ``"item 3"``, for messages."""
    line: int | None
    data: dict[str, Any]
    element_lines: tuple[int, ...] = ()
    """Grouped CSV: the line of each element of the list field."""


@dataclass(frozen=True)
class Batch:
    """One request's worth of items."""

    index: int
    records: tuple[Record, ...]
    payload: Any
    size: int
    digest: str

    @property
    def span(self) -> str:
        first, last = self.records[0], self.records[-1]
        return first.where if first is last else f"{first.where} to {last.where}"


# -- reading ------------------------------------------------------------------------------


def _detect_format(path: Path, head: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".ndjson", ".jsonl"):
        return "ndjson"
    if suffix == ".csv":
        return "csv"
    if suffix == ".json" or head.startswith("["):
        return "json"
    if head.startswith("{"):
        return "json-or-ndjson"
    raise BulkInputError(f"{path}: cannot tell the format: use a .json, .ndjson or .csv file")


def read_records(path: Path, spec: BulkSpec) -> Iterator[Record]:
    """The items of ``path`` (JSON, NDJSON or CSV), each with its line number."""
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.read(4096).lstrip()
    except OSError as exc:
        raise BulkInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BulkInputError(f"{path}: not a UTF-8 text file") from None
    if not head:
        raise BulkInputError(f"{path}: file is empty")
    fmt = _detect_format(path, head)
    if fmt == "json-or-ndjson":
        fmt = "json" if _is_single_json(path) else "ndjson"
    if fmt == "ndjson":
        yield from _ndjson_records(path)
    elif fmt == "csv":
        yield from _csv_records(path, spec)
    else:
        yield from _json_records(path, spec)


def _is_single_json(path: Path) -> bool:
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    return True


def _object(value: Any, path: Path, where: str, line: int | None) -> Record:
    if not isinstance(value, dict):
        raise BulkInputError(f"{path}: {where}: expected a JSON object, got {_kind(value)}")
    return Record(where, line, value)


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _ndjson_records(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8") as fh:
        for number, text in enumerate(fh, 1):
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise BulkInputError(
                    f"{path}: line {number}, column {exc.colno}: invalid JSON: {exc.msg}"
                ) from None
            yield _object(value, path, f"line {number}", number)


def _json_records(path: Path, spec: BulkSpec) -> Iterator[Record]:
    text = path.read_text(encoding="utf-8")
    start = len(text) - len(text.lstrip())
    if text[start : start + 1] == "[":
        yield from _array_records(text, start, path)
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BulkInputError(
            f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    if spec.envelope and isinstance(value, dict) and isinstance(value.get(spec.envelope), list):
        for number, item in enumerate(value[spec.envelope], 1):
            yield _object(item, path, f"{spec.envelope}[{number - 1}]", None)
        return
    yield _object(value, path, "the object", None)


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _array_records(text: str, start: int, path: Path) -> Iterator[Record]:
    """Elements of a top-level JSON array with the line each one starts on."""
    decoder = json.JSONDecoder()
    line, counted = 1, 0

    def fail(pos: int, message: str) -> BulkInputError:
        row = text.count("\n", 0, pos) + 1
        col = pos - text.rfind("\n", 0, pos)
        return BulkInputError(f"{path}: line {row}, column {col}: invalid JSON: {message}")

    pos = _skip_ws(text, start + 1)
    if text[pos : pos + 1] == "]":
        pos += 1
    else:
        while True:
            try:
                value, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                raise fail(exc.pos, exc.msg) from None
            line += text.count("\n", counted, pos)
            counted = pos
            yield _object(value, path, f"line {line}", line)
            pos = _skip_ws(text, end)
            sep = text[pos : pos + 1]
            if sep == "]":
                pos += 1
                break
            if sep != ",":
                raise fail(pos, "expected ',' or ']'")
            pos = _skip_ws(text, pos + 1)
    if text[pos:].strip():
        raise fail(_skip_ws(text, pos), "extra data after the array")


# -- CSV ----------------------------------------------------------------------------------


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


def _convert(tp: Any, text: str) -> Any:
    """A CSV cell as the type the model expects (left as text when it does not fit: the
    validation step then reports it with its line and field)."""
    if get_origin(tp) is list:
        (element,) = get_args(tp) or (str,)
        return [_convert(_unwrap(element), s.strip()) for s in re.split(r"[;,]", text) if s.strip()]
    try:
        if tp is bool:
            lowered = text.lower()
            if lowered in ("true", "1", "yes"):
                return True
            if lowered in ("false", "0", "no"):
                return False
            return text
        if tp is int:
            return int(text)
        if tp is float:
            return float(text)
    except ValueError:
        return text
    return text


def _put_path(target: dict[str, Any], model: Any, dotted: str, text: str) -> None:
    parts = dotted.split(".")
    node, tp = target, model
    for part in parts[:-1]:
        tp = _field_type(tp, part)
        node = node.setdefault(part, {})
        if not _is_model(tp):
            tp = None
    node[parts[-1]] = _convert(_field_type(tp, parts[-1]), text)


def _csv_records(path: Path, spec: BulkSpec) -> Iterator[Record]:
    element_model = None
    if spec.list_field:
        list_type = _field_type(spec.model, spec.list_field)
        if get_origin(list_type) is list:
            element_model = _unwrap(get_args(list_type)[0])
    groups: dict[tuple[str, ...], tuple[dict[str, Any], list[int], int]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames:
            raise BulkInputError(f"{path}: no header row")
        names = [n.strip() for n in reader.fieldnames]
        if spec.group_by and not any(g in names for g in spec.group_by):
            wanted = " or ".join(spec.group_by)
            raise BulkInputError(f"{path}: line 1: the header needs a {wanted} column")
        for row in reader:
            line = reader.line_num
            if None in row:
                raise BulkInputError(f"{path}: line {line}: more cells than header columns")
            cells = {k.strip(): v.strip() for k, v in row.items() if v is not None and v.strip()}
            if not cells:
                continue
            if not spec.list_field:
                item: dict[str, Any] = {}
                for name, text in cells.items():
                    _put_path(item, spec.model, name, text)
                yield Record(f"line {line}", line, item)
                continue
            top: dict[str, Any] = {}
            element: dict[str, Any] = {}
            for name, text in cells.items():
                first = name.split(".", 1)[0]
                if first in spec.group_by or (
                    _field_type(spec.model, first) is not None and first != spec.list_field
                ):
                    _put_path(top, spec.model, name, text)
                else:
                    _put_path(element, element_model, name, text)
            key = tuple(str(top.get(g, "")) for g in spec.group_by)
            if key not in groups:
                groups[key] = ({**top, spec.list_field: []}, [], line)
            item, lines, _ = groups[key]
            for name, value in top.items():
                if name in item and item[name] != value and name != spec.list_field:
                    raise BulkInputError(
                        f"{path}: line {line}: {name} is '{value}' here but "
                        f"'{item[name]}' on an earlier row of the same item"
                    )
            if element:
                item[spec.list_field].append(element)
                lines.append(line)
    for item, lines, first_line in groups.values():
        yield Record(f"line {first_line}", first_line, item, tuple(lines))


# -- validation and batching --------------------------------------------------------------


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


def validate_records(records: Iterable[Record], spec: BulkSpec, source: Path) -> Iterator[Record]:
    """``records`` unchanged, after checking each against ``spec.model``."""
    from pydantic import ValidationError

    for record in records:
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
                raise BulkInputError(f"{source}: {where}: " + "; ".join(problems)) from None
        yield record


def _encoded_size(value: Any) -> int:
    # The client encodes bodies with json.dumps defaults: count exactly that.
    return len(json.dumps(value).encode())


def _payload(items: list[dict[str, Any]], spec: BulkSpec) -> Any:
    return {spec.envelope: items} if spec.envelope else items


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def plan_batches(
    records: Iterable[Record], spec: BulkSpec, *, max_items: int, max_bytes: int, source: Path
) -> Iterator[Batch]:
    """Group ``records`` into batches of at most ``max_items`` items and ``max_bytes``."""
    overhead = _encoded_size(_payload([], spec))
    current: list[Record] = []
    size = overhead
    index = 0

    def close() -> Batch:
        nonlocal index
        index += 1
        payload = _payload([r.data for r in current], spec)
        return Batch(index, tuple(current), payload, size, _digest(payload))

    for record in records:
        item_size = _encoded_size(record.data)
        if overhead + item_size > max_bytes:
            raise BulkInputError(
                f"{source}: {record.where}: this item alone is {item_size} bytes of JSON, "
                f"above the {max_bytes}-byte request limit"
            )
        separator = 2 if current else 0  # ", " between array elements
        if current and (len(current) >= max_items or size + separator + item_size > max_bytes):
            yield close()
            current, size, separator = [], overhead, 0
        current.append(record)
        size += separator + item_size
    if current:
        yield close()


# -- the journal --------------------------------------------------------------------------


def default_journal_path(source: Path) -> Path:
    """``<input>.journal``, next to the input file."""
    return source.with_name(source.name + ".journal")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Journal:
    """An append-only JSON-lines file: a header, then one line per batch event."""

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        self.path = path
        self.header = header
        self.states: dict[int, dict[str, Any]] = {}

    @classmethod
    def open(cls, path: Path, header: dict[str, Any], *, restart: bool = False) -> Journal:
        """Continue the journal at ``path`` (checked against ``header``) or start one."""
        if restart:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        if path.exists():
            journal = cls._load(path)
            journal._check(header)
            return journal
        journal = cls(path, header)
        journal._append(header, create=True)
        return journal

    @classmethod
    def _load(cls, path: Path) -> Journal:
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
                    f"the journal {path} is damaged at line {number}; remove it to start over"
                ) from None
        if not entries or entries[0].get("kind") != JOURNAL_KIND:
            raise BulkJournalError(f"{path} is not an ofsc bulk journal; move it away first")
        journal = cls(path, entries[0])
        for entry in entries[1:]:
            journal.states[int(entry["batch"])] = entry
        return journal

    def _check(self, header: dict[str, Any]) -> None:
        mine = self.header
        if mine.get("operation") != header["operation"]:
            raise BulkJournalError(
                f"the journal {self.path} belongs to another operation "
                f"({mine.get('operation')}); remove it or use --journal to keep both"
            )
        if mine.get("inputSha256") != header["inputSha256"]:
            raise BulkJournalError(
                f"the journal {self.path} was written for a different version of "
                f"{header['input']} (its content changed since that run). Restore the input "
                "to resume, or pass --restart to start over (batches already applied would "
                "be sent again)"
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
        self.states[batch.index] = entry

    def results(self) -> Iterator[dict[str, Any]]:
        """Every per-item result recorded, batch by batch (read back from the file)."""
        with self.path.open(encoding="utf-8") as fh:
            next(fh, None)
            for text in fh:
                try:
                    entry = json.loads(text)
                except ValueError:
                    continue
                if entry.get("state") == "done":
                    yield from entry.get("results", [])


# -- running ------------------------------------------------------------------------------


@dataclass
class BulkReport:
    """What a run did."""

    journal: Journal
    batches: int = 0
    items: int = 0
    sent: int = 0
    skipped: int = 0
    failed_items: int = 0
    notes: list[str] = field(default_factory=list)

    def results(self) -> Iterator[dict[str, Any]]:
        return self.journal.results()


def _result_rows(response: Any, batch: Batch, spec: BulkSpec) -> list[dict[str, Any]]:
    from ofsc_cli.models import dump

    data = dump(response)
    results = data.get(spec.results_key) if isinstance(data, dict) else None
    if not isinstance(results, list):
        return []
    by_key: dict[str, Record] = {}
    for rec in batch.records:
        for name in spec.key_fields:
            if rec.data.get(name) is not None:
                by_key[f"{name}={rec.data[name]}"] = rec
    rows: list[dict[str, Any]] = []
    for position, result in enumerate(results):
        result = dict(result) if isinstance(result, dict) else {"result": result}
        record: Record | None = next(
            (
                by_key[f"{n}={result[n]}"]
                for n in spec.key_fields
                if result.get(n) is not None and f"{n}={result[n]}" in by_key
            ),
            batch.records[position] if position < len(batch.records) else None,
        )
        errors = list(result.pop("errors", None) or [])
        if result.get("error"):
            errors.append(result.pop("error"))
        messages = [
            " ".join(str(e.get(k)) for k in ("title", "detail") if e.get(k))
            if isinstance(e, dict)
            else str(e)
            for e in errors
        ]
        rows.append(
            {
                "batch": batch.index,
                "line": record.line if record is not None else None,
                **result,
                "errors": messages,
            }
        )
    return rows


def _row_failed(row: Mapping[str, Any]) -> bool:
    return bool(row.get("errors") or row.get("itemsFailed"))


def _refused(error: Exception) -> tuple[bool, bool]:
    """``(retry_in_place, certainly_not_applied)`` for an error raised by a send."""
    from ofsc_cli.errors import OFSError, OFSRetriesExhaustedError

    if isinstance(error, OFSRetriesExhaustedError):
        error = error.last_error
    if not isinstance(error, OFSError):
        return False, False
    status = error.status_code
    if status in (429, 503):
        return True, True
    if status is not None and 400 <= status < 500:
        return False, True
    return False, False


def run_bulk(
    spec: BulkSpec,
    source: Path,
    send: Callable[[Any], Any],
    *,
    operation: str,
    journal_path: Path | None = None,
    max_items: int | None = None,
    max_bytes: int | None = None,
    restart: bool = False,
    in_doubt: InDoubt = "refuse",
    on_plan: Callable[[int, int], None] | None = None,
    on_batch: Callable[[Batch, str], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    refused_retries: int = 5,
    sleep: Callable[[float], None] = time.sleep,
) -> BulkReport:
    """Apply the items of ``source`` with ``send(payload)``, batch by batch, journaled.

    ``operation`` identifies the API operation in the journal (``"POST /rest/…"``).
    ``on_plan(batches, items)`` is called once the input is validated; ``on_batch(batch,
    outcome)`` after each batch (``"sent"``, ``"skipped"``).  Raises
    :class:`BulkInputError` before sending anything if the input is invalid,
    :class:`BulkJournalError` if the journal cannot be used, :class:`BulkInterrupted` when
    ``should_stop()`` turned true, and the send's own error when a batch fails.
    """
    source = Path(source)
    if not source.is_file():
        raise BulkInputError(f"cannot read {source}: no such file")
    journal_file = journal_path or default_journal_path(source)
    header = {
        "kind": JOURNAL_KIND,
        "version": JOURNAL_VERSION,
        "operation": operation,
        "input": source.name,
        "inputSha256": file_sha256(source),
        "maxItems": max_items or spec.max_items,
        "maxBytes": min(max_bytes or spec.max_bytes, spec.max_bytes),
    }

    def batches() -> Iterator[Batch]:
        records = validate_records(read_records(source, spec), spec, source)
        return plan_batches(
            records,
            spec,
            max_items=int(journal.header["maxItems"]),
            max_bytes=int(journal.header["maxBytes"]),
            source=source,
        )

    # Validate everything before the journal records anything.
    total_items = sum(1 for _ in validate_records(read_records(source, spec), spec, source))
    if total_items == 0:
        raise BulkInputError(f"{source}: no items")
    journal = Journal.open(journal_file, header, restart=restart)
    report = BulkReport(journal)
    if journal.header["maxItems"] != header["maxItems"]:
        report.notes.append(
            f"resuming with the batch size of the interrupted run ({journal.header['maxItems']})"
        )
    report.batches = sum(1 for _ in batches())
    report.items = total_items
    if on_plan is not None:
        on_plan(report.batches, total_items)
    for batch in batches():
        state = journal.states.get(batch.index)
        if state is not None and state.get("sha256") != batch.digest:
            raise BulkJournalError(
                f"batch {batch.index} ({batch.span}) differs from the one in the journal "
                f"{journal.path}; pass --restart to start over"
            )
        status = state.get("state") if state else None
        if state is not None and status == "done":
            report.skipped += 1
            report.failed_items += sum(_row_failed(r) for r in state.get("results", []))
            if on_batch is not None:
                on_batch(batch, "skipped")
            continue
        if status == "sent":
            if spec.idempotent or in_doubt == "resend":
                report.notes.append(
                    f"batch {batch.index} ({batch.span}) was in flight when the previous run "
                    "stopped; sent again"
                    + (" (the operation is idempotent)" if spec.idempotent else "")
                )
            elif in_doubt == "skip":
                journal.record(batch, "skipped-in-doubt")
                report.notes.append(f"batch {batch.index} ({batch.span}) in doubt: skipped")
                if on_batch is not None:
                    on_batch(batch, "skipped")
                continue
            else:
                raise BulkJournalError(
                    f"batch {batch.index} ({batch.span}) was in flight when the previous run "
                    "stopped, so it may or may not have been applied, and applying "
                    f"{spec.name} twice is not harmless. Check them on the server, then re-run "
                    "with --in-doubt resend or --in-doubt skip"
                )
        rows = _send_batch(spec, batch, send, journal, refused_retries, sleep)
        report.sent += 1
        report.failed_items += sum(_row_failed(r) for r in rows)
        if on_batch is not None:
            on_batch(batch, "sent")
        if should_stop() and batch.index < report.batches:
            raise BulkInterrupted(batch.index, report.batches, journal.path)
    return report


def _send_batch(
    spec: BulkSpec,
    batch: Batch,
    send: Callable[[Any], Any],
    journal: Journal,
    retries: int,
    sleep: Callable[[float], None],
) -> list[dict[str, Any]]:
    attempt = 0
    while True:
        attempt += 1
        journal.record(batch, "sent", items=len(batch.records), bytes=batch.size)
        try:
            response = send(batch.payload)
        except Exception as exc:
            retry, not_applied = _refused(exc)
            if not_applied:
                journal.record(batch, "failed", error=str(exc))
            if retry and attempt <= retries:
                sleep(min(30.0, 0.5 * 2 ** (attempt - 1)))
                continue
            raise
        rows = _result_rows(response, batch, spec)
        journal.record(batch, "done", results=rows)
        return rows


@contextlib.contextmanager
def deferred_interrupt(
    on_request: Callable[[], None] | None = None,
) -> Iterator[Callable[[], bool]]:
    """Within the block, the first Ctrl-C only asks to stop (the yielded function then returns
    True); a second one interrupts at once.  Outside the main thread nothing is changed."""
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
