"""Bulk update of activities from a file, in batches, with a journal that makes re-runs safe.

The input is JSON (an array of activities, or ``{"updateParameters": …, "activities": […]}``),
NDJSON (one activity per line) or CSV (a header of field names; empty cells are left out;
integer and number fields are converted; a cell starting with ``[`` or ``{`` is read as JSON).
Every item is checked before anything is sent; an error names the line and the field.

Items are sent ``batch_size`` at a time (and never more than the API's 5 MB per request) to
``POST activities/custom-actions/bulkUpdate``, in input order.  The split depends only on the
input and the batch size, so a re-run makes the same batches.

The journal (``<input>.journal``, JSON lines) starts with the input's SHA-256, the batch size
and the update parameters, then records for each batch ``sending`` before the request and
``done`` (with the per-item results) or ``refused`` after it.  A re-run skips ``done``
batches, sends ``refused`` and unsent ones, and stops at a batch left ``sending`` (the process
died while the server may have been applying it): the caller decides to ``resend`` or
``skip`` such a batch.  A journal written for other input or options is refused.  So nothing
is applied twice and nothing is lost, whatever happened to the previous run.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import time
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ofsc_cli.errors import (
    OFSCircuitOpenError,
    OFSError,
    OFSValidationError,
)

if TYPE_CHECKING:
    from ofsc_cli.client._sync import OFSC

__all__ = [
    "BULK_MAX_BYTES",
    "DEFAULT_BATCH_SIZE",
    "Batch",
    "BulkInputError",
    "BulkOutcome",
    "BulkUpdate",
    "Change",
    "InDoubtError",
    "JournalMismatchError",
    "iter_changes",
    "journal_path_for",
]

BULK_MAX_BYTES = 5_000_000
"""The API refuses a bulkUpdate body larger than 5 MB."""
DEFAULT_BATCH_SIZE = 100
JOURNAL_VERSION = 1
InDoubt = Literal["refuse", "resend", "skip"]
Format = Literal["json", "ndjson", "csv"]

_IDENTIFY_FIELDS: dict[str, tuple[str, ...]] = {
    "activityId": ("activityId",),
    "apptNumber": ("apptNumber",),
    "apptNumberPlusCustomerNumber": ("apptNumber", "customerNumber"),
    "apptNumberPlusIbAssetId": ("apptNumber", "ibAssetId"),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REFUSED_STATUSES = frozenset({429, 503})


class BulkInputError(OFSValidationError):
    """The input file is malformed: ``line`` and ``field`` say where."""

    def __init__(self, source: str, line: int | None, field: str | None, problem: str) -> None:
        where = f"line {line}: " if line is not None else ""
        what = f"{field}: " if field else ""
        super().__init__(f"{source}: {where}{what}{problem}")
        self.source = source
        self.line = line
        self.field = field


class JournalMismatchError(OFSValidationError):
    """The journal next to the input was written for another input or other options."""


class InDoubtError(OFSValidationError):
    """A previous run died while a batch was being sent: it may or may not be applied."""

    def __init__(self, message: str, batches: list[int]) -> None:
        super().__init__(message)
        self.batches = batches


@dataclass(frozen=True)
class Change:
    """One activity of the input and the line it starts on."""

    line: int
    item: dict[str, Any]


@dataclass
class Batch:
    """Consecutive changes sent in one request."""

    index: int
    changes: list[Change]

    @property
    def lines(self) -> tuple[int, int]:
        return self.changes[0].line, self.changes[-1].line

    def digest(self) -> str:
        text = json.dumps([c.item for c in self.changes], sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


# -- reading the input --------------------------------------------------------------------


def detect_format(path: Path) -> Format:
    """From the suffix (``.json``, ``.ndjson``/``.jsonl``, ``.csv``), else from the content."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".ndjson", ".jsonl"):
        return "ndjson"
    if suffix == ".csv":
        return "csv"
    with path.open("rb") as fh:
        head = fh.read(64).lstrip()
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        return "ndjson"
    return "csv"


def _field_kinds() -> dict[str, type]:
    """Activity fields typed int or float in the model (CSV cells are converted to them)."""
    from ofsc_cli.models.activities import Activity

    kinds: dict[str, type] = {}
    for name, info in Activity.model_fields.items():
        args = typing.get_args(info.annotation) or (info.annotation,)
        for kind in (int, float):
            if kind in args:
                kinds[name] = kind
                break
    return kinds


def _check_item(item: Any, source: str, line: int, identify_by: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise BulkInputError(source, line, None, f"expected a JSON object, got {_kind(item)}")
    for name in _IDENTIFY_FIELDS.get(identify_by, ()):
        value = item.get(name)
        if value in (None, ""):
            raise BulkInputError(
                source, line, name, f"missing (needed to find the activity by {identify_by})"
            )
        if name in ("activityId", "ibAssetId") and (
            isinstance(value, bool) or not isinstance(value, int)
        ):
            raise BulkInputError(source, line, name, f"'{value}' is not an integer")
    date = item.get("date")
    if date is not None and (not isinstance(date, str) or not _DATE.match(date)):
        raise BulkInputError(source, line, "date", f"'{date}' is not a date (YYYY-MM-DD)")
    from pydantic import ValidationError

    from ofsc_cli.models.activities import Activity

    try:
        Activity.model_validate(item)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise BulkInputError(source, line, where, err["msg"]) from None
    return item


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", type(None): "null"}.get(type(value), "a value")


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


class _Lines:
    """Line numbers of positions in a text, counted incrementally."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _decode(decoder: json.JSONDecoder, text: str, pos: int, source: str) -> tuple[Any, int]:
    try:
        return decoder.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise BulkInputError(
            source, exc.lineno, None, f"invalid JSON at column {exc.colno}: {exc.msg}"
        ) from None


def _json_changes(text: str, source: str) -> tuple[dict[str, Any] | None, list[tuple[int, Any]]]:
    """``(updateParameters or None, [(line, item)…])`` of a JSON array or wrapper object."""
    decoder = json.JSONDecoder()
    lines = _Lines(text)
    params: dict[str, Any] | None = None
    found: list[tuple[int, Any]] | None = None

    def expect(pos: int, char: str) -> int:
        pos = _skip_ws(text, pos)
        if pos >= len(text) or text[pos] != char:
            got = repr(text[pos]) if pos < len(text) else "the end of the file"
            raise BulkInputError(source, lines.at(pos), None, f"expected '{char}', found {got}")
        return pos + 1

    def array(pos: int) -> tuple[list[tuple[int, Any]], int]:
        pos = expect(pos, "[")
        out: list[tuple[int, Any]] = []
        pos = _skip_ws(text, pos)
        if pos < len(text) and text[pos] == "]":
            return out, pos + 1
        while True:
            pos = _skip_ws(text, pos)
            line = lines.at(pos)
            value, pos = _decode(decoder, text, pos, source)
            out.append((line, value))
            pos = _skip_ws(text, pos)
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            return out, expect(pos, "]")

    pos = _skip_ws(text, 0)
    if pos < len(text) and text[pos] == "[":
        found, pos = array(pos)
    elif pos < len(text) and text[pos] == "{":
        pos += 1
        while True:
            pos = _skip_ws(text, pos)
            if pos < len(text) and text[pos] == "}":
                pos += 1
                break
            key, pos = _decode(decoder, text, pos, source)
            pos = expect(pos, ":")
            if key == "activities":
                found, pos = array(pos)
            else:
                value, pos = _decode(decoder, text, _skip_ws(text, pos), source)
                if key == "updateParameters":
                    if not isinstance(value, dict):
                        raise BulkInputError(
                            source, lines.at(pos), "updateParameters", "expected an object"
                        )
                    params = value
            pos = _skip_ws(text, pos)
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            pos = expect(pos, "}")
            break
    else:
        raise BulkInputError(source, lines.at(pos), None, "expected a JSON array of activities")
    if _skip_ws(text, pos) < len(text):
        raise BulkInputError(source, lines.at(pos), None, "unexpected content after the JSON")
    if found is None:
        raise BulkInputError(source, None, "activities", "missing (the list of changes)")
    return params, found


def _csv_cell(value: str, name: str, kinds: Mapping[str, type], source: str, line: int) -> Any:
    kind = kinds.get(name)
    if kind is not None:
        try:
            return kind(value)
        except ValueError:
            noun = "an integer" if kind is int else "a number"
            raise BulkInputError(source, line, name, f"'{value}' is not {noun}") from None
    if value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            raise BulkInputError(source, line, name, "the cell is not valid JSON") from None
    return value


def _raw_changes(path: Path, fmt: Format, source: str) -> Iterator[tuple[int, Any]]:
    if fmt == "json":
        yield from _json_changes(_read_text(path, source), source)[1]
        return
    if fmt == "ndjson":
        with _open_text(path, source) as fh:
            for number, text in enumerate(fh, 1):
                if not text.strip():
                    continue
                try:
                    yield number, json.loads(text)
                except json.JSONDecodeError as exc:
                    raise BulkInputError(
                        source, number, None, f"invalid JSON at column {exc.colno}: {exc.msg}"
                    ) from None
        return
    kinds = _field_kinds()
    with _open_text(path, source, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise BulkInputError(source, 1, None, "the CSV has no header line of field names")
        names = [h.strip() for h in header]
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                raise BulkInputError(
                    source, line, None, f"{len(row)} cells for {len(names)} header fields"
                )
            item = {
                name: _csv_cell(cell, name, kinds, source, line)
                for name, cell in zip(names, row, strict=False)
                if name and cell != ""
            }
            yield line, item


def _read_text(path: Path, source: str) -> str:
    with _open_text(path, source) as fh:
        return fh.read()


def _open_text(path: Path, source: str, newline: str | None = None) -> typing.TextIO:
    try:
        return path.open(encoding="utf-8", newline=newline)
    except OSError as exc:
        raise BulkInputError(source, None, None, f"cannot read: {exc.strerror or exc}") from None


def iter_changes(
    path: Path, *, fmt: Format | None = None, identify_by: str = "activityId"
) -> Iterator[Change]:
    """The checked changes of ``path`` in order (raises :class:`BulkInputError`)."""
    source = str(path)
    try:
        for line, item in _raw_changes(path, fmt or detect_format(path), source):
            yield Change(line, _check_item(item, source, line, identify_by))
    except UnicodeDecodeError:
        raise BulkInputError(source, None, None, "not a UTF-8 text file") from None


def read_parameters(path: Path) -> dict[str, Any] | None:
    """The ``updateParameters`` of a JSON wrapper input, if it has them."""
    if detect_format(path) != "json":
        return None
    return _json_changes(_read_text(path, str(path)), str(path))[0]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def plan_batches(
    changes: Iterable[Change],
    batch_size: int,
    *,
    envelope: int = 0,
    max_bytes: int = BULK_MAX_BYTES,
    source: str = "input",
) -> Iterator[Batch]:
    """Consecutive batches of at most ``batch_size`` changes and ``max_bytes`` per request
    (``envelope`` is the size of the request without its activities)."""
    current: list[Change] = []
    size = envelope
    index = 0
    for change in changes:
        item_size = len(json.dumps(change.item, separators=(",", ":")).encode()) + 1
        if envelope + item_size > max_bytes:
            raise BulkInputError(
                source,
                change.line,
                None,
                f"the activity is {item_size} bytes; one bulk update request holds at most "
                f"{max_bytes} bytes",
            )
        if current and (len(current) >= batch_size or size + item_size > max_bytes):
            yield Batch(index, current)
            index += 1
            current, size = [], envelope
        current.append(change)
        size += item_size
    if current:
        yield Batch(index, current)


# -- the journal ----------------------------------------------------------------------------


def journal_path_for(source: Path) -> Path:
    """``<input>.journal``, next to the input."""
    return source.with_name(source.name + ".journal")


class Journal:
    """Append-only JSON-lines record of a bulk update (see the module docstring)."""

    IDENTITY = ("sha256", "batchSize", "parameters")

    def __init__(self, path: Path, header: dict[str, Any], states: dict[int, dict[str, Any]]):
        self.path = path
        self.header = header
        self.states = states

    @classmethod
    def open(cls, path: Path, header: dict[str, Any]) -> Journal:
        """Open the journal at ``path`` for ``header``'s input, creating it if needed."""
        if not path.exists():
            journal = cls(path, header, {})
            journal._append({"journal": "ofsc bulk-update", "version": JOURNAL_VERSION, **header})
            return journal
        records = _read_journal(path)
        if not records or records[0].get("journal") != "ofsc bulk-update":
            raise JournalMismatchError(
                f"{path} is not an ofsc bulk-update journal; move it away to start over"
            )
        first = records[0]
        _check_identity(path, first, header)
        states: dict[int, dict[str, Any]] = {}
        for record in records[1:]:
            if isinstance(record.get("batch"), int):
                states[record["batch"]] = record
        return cls(path, first, states)

    def state(self, index: int) -> str | None:
        record = self.states.get(index)
        return str(record["state"]) if record else None

    def record(self, index: int, state: str, **data: Any) -> None:
        entry = {"batch": index, "state": state, **data}
        self._append(entry)
        self.states[index] = entry

    def _append(self, record: Mapping[str, Any]) -> None:
        try:
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise OFSValidationError(
                f"cannot write the journal {self.path}: {exc.strerror or exc}"
            ) from None


def _read_journal(path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except ValueError:
            if number == len(lines):
                break  # a torn last line: the run died while writing it
            raise JournalMismatchError(f"{path}: line {number} is damaged") from None
        if isinstance(record, dict):
            records.append(record)
    return records


def _check_identity(path: Path, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    if old.get("sha256") != new.get("sha256"):
        raise JournalMismatchError(
            f"{path} belongs to a different input: it was written for {old.get('input')} with "
            f"SHA-256 {str(old.get('sha256'))[:12]}…, and this input's is "
            f"{str(new.get('sha256'))[:12]}…. The batches it records as applied cannot be "
            "matched to this file. Restore the original input to resume that run, or move the "
            "journal away to apply this input from the start."
        )
    if old.get("batchSize") != new.get("batchSize"):
        raise JournalMismatchError(
            f"{path} was written with --batch-size {old.get('batchSize')}; resume with the "
            "same batch size (or leave --batch-size out)"
        )
    if old.get("parameters") != new.get("parameters"):
        raise JournalMismatchError(
            f"{path} was written with other update parameters "
            f"({json.dumps(old.get('parameters'))}); resume with the same options"
        )


# -- the run --------------------------------------------------------------------------------


@dataclass
class BulkOutcome:
    """What a run did."""

    items: int
    batches: int
    sent: int = 0
    skipped: int = 0
    failed_items: int = 0
    stopped: bool = False
    journal: Path = field(default_factory=Path)


def _result_rows(batch: Batch, response: Any) -> list[dict[str, Any]]:
    from ofsc_cli.models import dump

    results = list(getattr(response, "results", None) or [])
    rows: list[dict[str, Any]] = []
    for i, change in enumerate(batch.changes):
        if i < len(results):
            rows.append({"line": change.line, **dump(results[i])})
        else:
            rows.append(
                {
                    "line": change.line,
                    "errors": [{"errorDetail": "the server returned no result for this item"}],
                }
            )
    return rows


def _row_failed(row: Mapping[str, Any]) -> bool:
    return bool(row.get("errors") or row.get("operationsFailed"))


class BulkUpdate:
    """A journaled bulk update of the activities in ``source`` (see the module docstring).

    Call :meth:`prepare` (reads and checks the whole input, opens the journal), then
    :meth:`run`; :meth:`results` gives every item's result recorded so far, in input order.
    """

    def __init__(
        self,
        client: OFSC,
        source: Path,
        *,
        parameters: Mapping[str, Any] | None = None,
        batch_size: int | None = None,
        journal: Path | None = None,
        in_doubt: InDoubt = "refuse",
        max_bytes: int = BULK_MAX_BYTES,
        attempts: int = 5,
        retry_delay: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.source = source
        self.batch_size = batch_size
        self.journal_path = journal or journal_path_for(source)
        self.in_doubt = in_doubt
        self.max_bytes = max_bytes
        self.attempts = max(1, attempts)
        self.retry_delay = retry_delay
        self._sleep = sleep
        self._given_parameters = dict(parameters or {})
        self.parameters: dict[str, Any] = {}
        self.items = 0
        self.batches = 0
        self._journal: Journal | None = None

    # -- preparing ------------------------------------------------------------------------

    def prepare(self) -> None:
        """Check the input, pick up or start the journal, and look for in-doubt batches."""
        source = str(self.source)
        if not self.source.is_file():
            raise BulkInputError(source, None, None, "no such file")
        params = {**(read_parameters(self.source) or {}), **self._given_parameters}
        params.setdefault("ifInFinalStatusThen", "doNothing")
        params.setdefault("identifyActivityBy", "activityId")
        from pydantic import ValidationError

        from ofsc_cli.models.activities import BulkUpdateParameters

        try:
            BulkUpdateParameters.model_validate(params)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise BulkInputError(source, None, f"updateParameters.{where}", err["msg"]) from None
        self.parameters = params
        sha = file_sha256(self.source)
        journal_header: dict[str, Any] | None = None
        if self.journal_path.exists():
            records = _read_journal(self.journal_path)
            journal_header = records[0] if records else None
        if self.batch_size is None:
            previous = journal_header.get("batchSize") if journal_header else None
            self.batch_size = previous if isinstance(previous, int) else DEFAULT_BATCH_SIZE
        if self.batch_size < 1:
            raise OFSValidationError("the batch size must be at least 1")
        self.items = self.batches = 0
        for batch in self._batches():
            self.batches += 1
            self.items += len(batch.changes)
        if not self.items:
            raise BulkInputError(source, None, None, "no activities to update in the file")
        header = {
            "input": self.source.name,
            "sha256": sha,
            "batchSize": self.batch_size,
            "parameters": self.parameters,
            "items": self.items,
            "batches": self.batches,
        }
        self._journal = Journal.open(self.journal_path, header)
        doubtful = [i for i, r in sorted(self._journal.states.items()) if r["state"] == "sending"]
        if doubtful and self.in_doubt == "refuse":
            spans = ", ".join(self._describe(self._journal.states[i]) for i in doubtful)
            raise InDoubtError(
                f"a previous run stopped while sending {spans}: the server may or may not have "
                f"applied it. Check those activities, then re-run with --resend-in-doubt to "
                f"send it again or --skip-in-doubt to count it as applied "
                f"(journal: {self.journal_path})",
                doubtful,
            )

    @staticmethod
    def _describe(record: Mapping[str, Any]) -> str:
        lines = record.get("lines") or ["?", "?"]
        return f"batch {record['batch'] + 1} (input lines {lines[0]}-{lines[1]})"

    def _batches(self) -> Iterator[Batch]:
        assert self.batch_size is not None
        envelope = len(
            json.dumps(
                {"updateParameters": self.parameters, "activities": []}, separators=(",", ":")
            ).encode()
        )
        changes = iter_changes(
            self.source, identify_by=str(self.parameters.get("identifyActivityBy"))
        )
        return plan_batches(
            changes,
            self.batch_size,
            envelope=envelope,
            max_bytes=self.max_bytes,
            source=str(self.source),
        )

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            raise RuntimeError("call prepare() first")
        return self._journal

    def pending_batches(self) -> Iterator[Batch]:
        """The batches not yet applied (nor skipped), in order."""
        journal = self.journal
        return (b for b in self._batches() if journal.state(b.index) not in ("done", "skipped"))

    def pending(self) -> tuple[int, int]:
        """``(batches, items)`` still to send."""
        batches = items = 0
        for batch in self.pending_batches():
            batches += 1
            items += len(batch.changes)
        return batches, items

    def body(self, batch: Batch) -> dict[str, Any]:
        """The request body of ``batch``."""
        return {"updateParameters": self.parameters, "activities": [c.item for c in batch.changes]}

    # -- running --------------------------------------------------------------------------

    def run(
        self,
        *,
        on_batch: Callable[[Batch, list[dict[str, Any]]], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> BulkOutcome:
        """Send every batch not yet applied, in order; stop early when ``should_stop()``."""
        journal = self.journal
        outcome = BulkOutcome(self.items, self.batches, journal=self.journal_path)
        for batch in self._batches():
            state = journal.state(batch.index)
            if state in ("done", "skipped"):
                outcome.skipped += 1
                continue
            if state == "sending":
                previous = journal.states[batch.index]
                if previous.get("sha256") != batch.digest():
                    raise JournalMismatchError(
                        f"{self.journal_path}: batch {batch.index + 1} differs from the one "
                        "the journal recorded; move the journal away to start over"
                    )
                if self.in_doubt == "skip":
                    journal.record(batch.index, "skipped", lines=list(batch.lines))
                    outcome.skipped += 1
                    continue
            if should_stop is not None and should_stop():
                outcome.stopped = True
                break
            rows = self._send(batch)
            outcome.sent += 1
            outcome.failed_items += sum(1 for row in rows if _row_failed(row))
            if on_batch is not None:
                on_batch(batch, rows)
        return outcome

    def _send(self, batch: Batch) -> list[dict[str, Any]]:
        from ofsc_cli.client.api.core_activities import CoreActivities

        journal = self.journal
        body = self.body(batch)
        attempt = 0
        while True:
            attempt += 1
            journal.record(
                batch.index,
                "sending",
                lines=list(batch.lines),
                items=len(batch.changes),
                sha256=batch.digest(),
            )
            try:
                declared = CoreActivities.bulk_update_activities
                namespace = self.client.core
                response = self.client.execute(declared.spec, declared.build(namespace, body))
            except OFSError as error:
                if not _not_applied(error):
                    raise  # outcome unknown: the batch stays "sending" (in doubt)
                journal.record(batch.index, "refused", error=str(error))
                retryable = isinstance(error, OFSCircuitOpenError) or (
                    error.status_code in _REFUSED_STATUSES
                )
                if not retryable or attempt >= self.attempts:
                    raise
                self._sleep(min(30.0, self.retry_delay * 2 ** (attempt - 1)))
                continue
            rows = _result_rows(batch, response)
            journal.record(batch.index, "done", results=rows)
            return rows

    # -- results --------------------------------------------------------------------------

    def results(self) -> Iterator[dict[str, Any]]:
        """Every item's recorded result, in input order (skipped in-doubt batches say so)."""
        records = _read_journal(self.journal_path)
        final: dict[int, dict[str, Any]] = {}
        for record in records[1:]:
            if isinstance(record.get("batch"), int):
                final[record["batch"]] = record
        for index in sorted(final):
            record = final[index]
            if record["state"] == "done":
                yield from record.get("results") or []
            elif record["state"] == "skipped":
                lines = record.get("lines") or []
                yield {
                    "line": lines[0] if lines else None,
                    "warnings": [
                        {"message": f"batch {index + 1} was in doubt and skipped (not re-sent)"}
                    ],
                }


def _not_applied(error: OFSError) -> bool:
    """Whether the server certainly did not apply a request that ended with ``error``."""
    if isinstance(error, OFSCircuitOpenError):
        return True  # never sent
    status = error.status_code
    return status is not None and (400 <= status < 500 or status == 503)
