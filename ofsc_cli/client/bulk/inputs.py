"""Reading and checking a bulk input: JSON, NDJSON or CSV items, each with where it came from.

:func:`read_records` yields :class:`~ofsc_cli.client.bulk.base.Record` objects (CSV cells typed
by the spec's model, grouped rows folded into one item); :func:`validate_records` checks each
before anything is sent.  Errors are :class:`~ofsc_cli.client.bulk.base.BulkInputError` naming
the line and the field.
"""

from __future__ import annotations

import csv
import re
import types
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO, Union, get_args, get_origin

from ofsc_cli.client.bulk.base import BulkInputError, BulkSpec, InvalidItem, Record

__all__ = ["open_text", "read_parameters", "read_records", "validate_records"]


def open_text(path: Path, newline: str | None = None) -> TextIO:
    """Returns ``path`` opened as UTF-8 text (a BOM dropped; ``newline`` as for :func:`open`).

    Raises :class:`BulkInputError` for a missing file, a directory, a device or a FIFO.
    """
    import io

    from ofsc_cli.client.reader import InputError, open_input

    try:
        raw = open_input(path)
    except InputError as exc:
        raise BulkInputError(path, exc.problem) from None
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline=newline)


def _read_text(path: Path) -> str:
    with open_text(path) as fh:
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
    with open_text(path) as fh:
        head = fh.read(4096).lstrip()
    if not head:
        raise BulkInputError(path, f"the file is empty (no {spec.unit})")
    fmt = _detect_format(path, head)
    if fmt == "json-or-ndjson":
        from ofsc_cli.client.reader import JSONProblem, json_document

        try:
            json_document(_read_text(path))
        except JSONProblem as exc:
            # Not one JSON value: NDJSON.  One with a refused value: JSON, which says where.
            return "ndjson" if exc.syntax else "json"
        return "json"
    return fmt


def read_records(path: Path, spec: BulkSpec) -> Iterator[Record]:
    """Yields the items of ``path`` (JSON, NDJSON or CSV, as ``spec`` reads them), each with
    where it came from.  Raises :class:`BulkInputError` for a file that cannot be read, is
    not UTF-8 or holds something other than items.
    """
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
    """Returns the ``spec.parameters`` member of the JSON input object in ``path``, if it has
    one (else ``None``).
    """
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
    from ofsc_cli.client.reader import JSONProblem, json_document

    with open_text(path) as fh:
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
        from ofsc_cli.client.reader import JSONProblem, check_json_depth, json_value

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
            from ofsc_cli.client.reader import JSONProblem, json_document

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
    with open_text(path, newline="") as fh:
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
    """Yields ``records`` unchanged, after checking each with ``spec.check`` (given
    ``parameters``), for impossible dates (``2026-02-30`` in any field) and with
    ``spec.model``.  Raises :class:`BulkInputError` naming ``source``, the item and the field
    at the first item that fails.
    """
    from pydantic import ValidationError

    from ofsc_cli.client.reader import impossible_date

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
