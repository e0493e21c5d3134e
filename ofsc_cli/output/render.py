"""Render command results on stdout as a table, JSON, NDJSON, CSV or YAML.

The output contract of the command line:

* stdout carries data only; hints and progress go to stderr (see :mod:`.progress`).
* Without ``-o`` the format is a table on a TTY and JSON when stdout is piped
  (:func:`resolve_format`); the command line also reads ``OFSC_OUTPUT`` and a profile's
  ``output`` key first.
* A list in JSON is one array of items, written as the items arrive; NDJSON is one item per
  line; CSV and the piped form of a table (tab-separated text) are streamed too. Only the
  drawn table, YAML and ``--query`` collect the items first.
* ``--fields a,b.c,d.0.e`` selects what is shown. JSON, NDJSON and YAML keep the selected
  parts of each item in their nested places (:func:`select_fields`); tables and CSV use the
  dotted paths as column names (:func:`get_path`). A name nothing can fill is refused
  (:mod:`.fields`): exit 2, listing the valid names.
* ``--query EXPR`` (JMESPath, :mod:`.query`) is applied after ``--fields``, to the whole list
  or to the one object, and its result is rendered in the chosen format.
* A drawn table fits the terminal (:mod:`.table`); its headers are words (``Work zone
  label``). Piped tables and CSV keep the raw field names as headers, so scripts get stable,
  parseable rows. JSON is coloured only on a TTY with colour enabled.
* Output longer than a screen goes through a pager when one is given (:mod:`.pager`).

rich, yaml and jmespath are imported only when a table is drawn, JSON is highlighted, YAML is
written or a query is applied, so importing this module is cheap.

A reader that goes away early (``ofsc ... | head -1``) makes a write raise
:class:`BrokenPipeError`. The renderer lets it propagate; the command-line entry point catches
it, calls :func:`handle_broken_pipe` and exits with :data:`BROKEN_PIPE_EXIT_CODE`. Quitting a
pager early is not an error: the renderer stops writing and returns.
"""

from __future__ import annotations

import csv
import enum
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from datetime import time as clock_time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TextIO, TypeVar

if TYPE_CHECKING:
    from jmespath.parser import ParsedResult
    from rich.console import Console

    from ofsc_cli.output.pager import Pager

_T = TypeVar("_T")

__all__ = [
    "BROKEN_PIPE_EXIT_CODE",
    "OutputFormat",
    "Renderer",
    "color_enabled",
    "format_cell",
    "get_path",
    "handle_broken_pipe",
    "json_dumps",
    "parse_fields",
    "resolve_format",
    "select_fields",
    "stream_is_tty",
    "to_jsonable",
]

BROKEN_PIPE_EXIT_CODE: Final = 141
"""Exit status after the reader closed stdout early (128 + SIGPIPE, as shell tools report)."""

NESTED_CELL_WIDTH: Final = 60
"""Nested values in a drawn table's cells are cut to this many characters."""

_FLUSH_INTERVAL: Final = 0.25
"""Seconds between flushes of streamed output, so a slow producer still shows progress."""


class OutputFormat(enum.StrEnum):
    """The values of ``-o/--output``."""

    TABLE = "table"
    JSON = "json"
    NDJSON = "ndjson"
    CSV = "csv"
    YAML = "yaml"


def resolve_format(requested: str | None, *, stdout_is_tty: bool) -> OutputFormat:
    """Returns the :class:`OutputFormat` the ``-o`` value ``requested`` names.

    Nothing requested means a table when ``stdout_is_tty`` and JSON otherwise. Case and
    surrounding blanks are ignored. An unknown name raises :class:`ValueError` whose message
    lists the valid ones.
    """
    if requested is None or not requested.strip():
        return OutputFormat.TABLE if stdout_is_tty else OutputFormat.JSON
    name = requested.strip().lower()
    try:
        return OutputFormat(name)
    except ValueError:
        valid = ", ".join(f.value for f in OutputFormat)
        raise ValueError(f"invalid output format {requested!r}; choose one of: {valid}") from None


def parse_fields(text: str | None) -> list[str] | None:
    """Split a ``--fields a,b,c`` value ``text`` into names, dropping blanks and repeats.

    Returns ``None`` when nothing is selected, so callers can pass the result straight to
    :class:`Renderer`.
    """
    if text is None:
        return None
    names = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    return names or None


def stream_is_tty(stream: object) -> bool:
    """Returns whether ``stream`` is a terminal; false for anything without a working
    ``isatty``.
    """
    isatty = getattr(stream, "isatty", None)
    if isatty is None:
        return False
    try:
        return bool(isatty())
    except (OSError, ValueError):
        return False


def color_enabled(
    *, is_tty: bool, no_color: bool = False, environ: Mapping[str, str] | None = None
) -> bool:
    """Returns whether to colour output: only when ``is_tty``, never with ``no_color``
    (``--no-color``) or ``NO_COLOR`` set in ``environ`` (default: the process's environment).
    """
    env = os.environ if environ is None else environ
    return is_tty and not no_color and not env.get("NO_COLOR")


def handle_broken_pipe() -> None:
    """Quieten stdout after the reader closed it.

    Python flushes stdout again at exit, which would raise a second :class:`BrokenPipeError`
    and print a traceback. Pointing the stdout descriptor at the null device prevents that.
    Call it from the handler that catches the error, then exit with
    :data:`BROKEN_PIPE_EXIT_CODE`.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


# --------------------------------------------------------------------------- encoding


def _json_default(value: Any) -> Any:
    """Give ``json`` a plain stand-in for a value it cannot encode itself."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, datetime | date | clock_time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        try:
            return sorted(value)
        except TypeError:
            return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def json_dumps(value: Any, *, indent: int | None = None) -> str:
    """Returns ``value`` encoded as JSON: keys in their given order, non-ASCII kept, rich types
    handled, on one line or with ``indent`` spaces per level.

    Handles pydantic models (dumped with the API's aliases), dates and times (ISO 8601),
    decimals, enums and sets.
    """
    if indent is None:
        return _COMPACT.encode(value)  # what json.dumps would make, without a new encoder
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


_COMPACT: Final = json.JSONEncoder(ensure_ascii=False, default=_json_default)
"""The encoder of :func:`json_dumps` without indentation (one per process: it keeps no state
between calls, and ``json.dumps`` would build the same one for every item of a stream)."""


def to_jsonable(value: Any) -> Any:
    """Return ``value`` as plain dicts, lists, strings, numbers, booleans and ``None``."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return to_jsonable(_json_default(value))


def _plain(value: Any) -> Any:
    """A pydantic model as the dict the API would send; anything else unchanged."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return value


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


# --------------------------------------------------------------------------- field selection


class _Missing(enum.Enum):
    MISSING = enum.auto()


_MISSING: Final = _Missing.MISSING


def _index(segment: str, length: int) -> int | None:
    """The list position ``segment`` names (negative counts from the end), or ``None``."""
    try:
        position = int(segment)
    except ValueError:
        return None
    if position < 0:
        position += length
    return position if 0 <= position < length else None


def _is_index(segment: str) -> bool:
    return segment.lstrip("-").isdigit()


def _walk(node: Any, segments: Sequence[str]) -> Any:
    for depth, segment in enumerate(segments):
        if isinstance(node, Mapping):
            if segment not in node:
                return _MISSING
            node = node[segment]
        elif _is_sequence(node):
            if not _is_index(segment):
                # A name applied to a list reaches into each element.
                rest = segments[depth:]
                found = [v for v in (_walk(e, rest) for e in node) if v is not _MISSING]
                return found or _MISSING
            position = _index(segment, len(node))
            if position is None:
                return _MISSING
            node = node[position]
        else:
            return _MISSING
    return node


def get_path(item: Any, path: str, default: Any = None) -> Any:
    """Returns the value at a dotted ``path`` in ``item``, or ``default`` when it is not there.

    Segments name mapping keys or, on a list, a position (``translations.0.name``; negative
    positions count from the end). A name applied to a list collects it from every element
    (``workSkills.name`` gives the list of skill names). A key that itself contains dots is
    found when it exists literally in ``item``.
    """
    if isinstance(item, Mapping) and path in item:
        return item[path]
    value = _walk(item, path.split("."))
    return default if value is _MISSING else value


def _project(node: Any, paths: Sequence[Sequence[str]]) -> Any:
    """The parts of ``node`` that ``paths`` select, in their nested places."""
    if any(not path for path in paths):
        return node
    if isinstance(node, Mapping):
        groups: dict[str, list[Sequence[str]]] = {}
        for path in paths:
            groups.setdefault(path[0], []).append(path[1:])
        selected = {}
        for key, rests in groups.items():
            if key in node:
                value = _project(node[key], rests)
                if value is not _MISSING:
                    selected[key] = value
        return selected or _MISSING
    if _is_sequence(node):
        # A position selects one element; a name reaches into every element.
        elements = []
        for position, element in enumerate(node):
            wanted = [
                path if not _is_index(path[0]) else path[1:]
                for path in paths
                if not _is_index(path[0]) or _index(path[0], len(node)) == position
            ]
            if wanted:
                value = _project(element, wanted)
                if value is not _MISSING:
                    elements.append(value)
        return elements or _MISSING
    return _MISSING


def select_fields(item: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """Returns only the ``fields`` of ``item``, nested values staying where they were.

    ``["name", "parent.label", "translations.0.name"]`` gives
    ``{"name": ..., "parent": {"label": ...}, "translations": [{"name": ...}]}``. Keys come
    in the order the fields were given; fields the item does not have are left out.
    """
    paths = [[field] if field in item else field.split(".") for field in fields]
    selected = _project(item, paths)
    return selected if isinstance(selected, dict) else {}


# --------------------------------------------------------------------------- cells


def _scalar_text(value: Any) -> str | None:
    """Text for a single value in a cell, or ``None`` when ``value`` is a container."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime | date | clock_time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _scalar_text(value.value)
    return None


def format_cell(value: Any, *, join_lists: bool = True, max_width: int | None = None) -> str:
    """Returns the text for one table or CSV cell holding ``value``.

    ``None`` is empty, booleans are ``true``/``false``, dates ISO 8601. With ``join_lists``
    a list of plain values becomes ``"a, b"``; other lists and mappings become compact JSON,
    cut to ``max_width`` characters (ending in ``…``) when a width is given.
    """
    text = _scalar_text(value)
    if text is not None:
        return text
    if join_lists and _is_sequence(value):
        parts = [_scalar_text(element) for element in value]
        if all(part is not None for part in parts):
            return ", ".join(part for part in parts if part is not None)
    text = json_dumps(_plain(value))
    if max_width is not None and len(text) > max_width:
        text = text[: max_width - 1] + "…"
    return text


_TSV_ESCAPES: Final = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tsv_cell(value: Any) -> str:
    """A cell of tab-separated text: backslash, tab and line breaks written as escapes."""
    return format_cell(value).translate(_TSV_ESCAPES)


def _csv_cell(value: Any) -> str:
    """A CSV cell: lists and mappings as JSON, so they can be read back."""
    return format_cell(value, join_lists=False)


# --------------------------------------------------------------------------- renderer


class _Flusher:
    """Flush a stream every so often while items are streamed, and once at the end."""

    def __init__(self, stream: TextIO, interval: float = _FLUSH_INTERVAL) -> None:
        self._stream = stream
        self._interval = interval
        self._last = time.monotonic()

    def tick(self) -> None:
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._stream.flush()
            self._last = now

    def done(self) -> None:
        self._stream.flush()


class Renderer:
    """Writes command results to one stream in one format.

    ``fmt`` is the format (an :class:`OutputFormat` or its name) and ``stream`` where the output
    goes. ``fields`` is the user's ``--fields`` selection and applies to every format; names
    nothing can fill are refused (:mod:`.fields`), judged by ``model`` (a pydantic model class
    of one item, when the caller knows it) and the keys of the first item. ``columns`` are a
    command's default table columns, used by tables and CSV when no fields are given. Otherwise
    CSV and piped tables take their columns from the first item (keys that only later items have
    are not shown) and a drawn table from all items. ``query`` is a ``--query`` JMESPath
    expression (text, or compiled by :func:`.query.compile_query`), applied after the fields.
    ``is_tty`` says whether ``stream`` is a terminal: it decides between a drawn table and
    tab-separated text, and between indented and one-item-per-line JSON arrays. ``color`` allows
    colour on a terminal. ``title`` is shown above a drawn table. ``width`` fixes the table
    width (default: the terminal's). ``pager`` (:class:`.pager.Pager`) takes output longer than
    a screen. ``notice`` receives one-line notes for stderr (columns left out of a drawn table);
    the default writes them to ``sys.stderr``.
    """

    def __init__(
        self,
        fmt: OutputFormat | str,
        stream: TextIO,
        *,
        fields: Sequence[str] | None = None,
        columns: Sequence[str] | None = None,
        is_tty: bool = False,
        color: bool = True,
        title: str | None = None,
        width: int | None = None,
        model: Any = None,
        query: str | ParsedResult | None = None,
        pager: Pager | None = None,
        notice: Callable[[str], object] | None = None,
    ) -> None:
        self.format = OutputFormat(fmt)
        self.stream = stream
        self.fields = list(fields) if fields else None
        self.columns = list(columns) if columns else None
        self.is_tty = is_tty
        self.color = color
        self.title = title
        self.width = width
        self.model = model
        self.query = _compiled(query)
        self.pager = pager
        self.notice = notice
        self._console: Console | None = None
        self._paging = False
        self._seen = 0
        self._notes: list[str] = []

    # ----------------------------------------------------------------- public API

    def write_items(self, items: Iterable[Any]) -> int:
        """Write a list of items and return how many there were.

        Items are mappings or pydantic models; anything else is shown as ``{"value": item}``.
        Streamed formats consume ``items`` lazily. If ``items`` raises part way, the error
        propagates and the output stays incomplete (a JSON array is left unclosed), so a
        partial result is never mistaken for a whole one. With a query the items are
        collected, the query applied to the list and its result written.
        """
        self._seen = 0

        def run() -> int:
            mappings = self._checked(self._mappings(items))
            if self.query is not None:
                return self._query_items(mappings)
            return self._items(mappings)

        return self._paged(run, lambda: self._seen)

    def write_object(self, obj: Any) -> None:
        """Write one object ``obj`` (a mapping, a pydantic model, a list or a plain value).

        A table shows a mapping as Key/Value rows (nested values as compact JSON); CSV as one
        row under a header. A list in a table or CSV is written as items, a plain value as
        by :meth:`write_value`.
        """
        obj = _plain(obj)
        if _is_sequence(obj):
            self.write_items(obj)
            return
        if isinstance(obj, Mapping):
            self._check_fields(obj)

        def run() -> None:
            if self.query is not None:
                self._write_result(self._query(self._select_any(obj)))
            else:
                self._object(obj)

        self._paged(run, lambda: None)

    def write_value(self, value: Any) -> None:
        """Write the plain ``value``, such as a token: as-is for a table, encoded for other
        formats.
        """
        value = _plain(value)

        def run() -> None:
            if self.query is not None:
                self._write_result(self._query(value))
            else:
                self._value(value)

        self._paged(run, lambda: None)

    # ----------------------------------------------------------------- writing

    def _items(self, mappings: Iterator[Mapping[str, Any]]) -> int:
        writers: dict[OutputFormat, Callable[[Iterator[Mapping[str, Any]]], int]] = {
            OutputFormat.JSON: self._json_items,
            OutputFormat.NDJSON: self._ndjson_items,
            OutputFormat.CSV: self._csv_items,
            OutputFormat.YAML: self._yaml_items,
            OutputFormat.TABLE: self._table_items if self.is_tty else self._tsv_items,
        }
        return writers[self.format](mappings)

    def _object(self, obj: Any) -> None:
        if self.format in (OutputFormat.JSON, OutputFormat.NDJSON, OutputFormat.YAML):
            self._write_data(self._select_any(obj), indent=2)
        elif isinstance(obj, Mapping):
            if self.format is OutputFormat.CSV:
                self._csv_items(iter([obj]))
            else:
                self._key_value_table(obj)
        elif _is_sequence(obj):
            self._items(self._mappings(obj))
        else:
            self._value(obj)
        self.stream.flush()

    def _value(self, value: Any) -> None:
        if self.format is OutputFormat.TABLE:
            text = value if isinstance(value, str) else format_cell(value)
            self.stream.write(text + "\n")
        elif self.format is OutputFormat.CSV:
            csv.writer(self.stream, lineterminator="\n").writerow([_csv_cell(value)])
        else:
            self._write_data(value, indent=2)
        self.stream.flush()

    def _paged(self, action: Callable[[], _T], closed: Callable[[], _T]) -> _T:
        """Run ``action`` with the output going through the pager (if there is one).

        ``closed()`` is the result when the reader quits the pager before the end. Notes for
        stderr are written after the pager has exited, so they are not lost under it.
        """
        if self._paging:
            return action()
        if self.pager is None:
            try:
                return action()
            finally:
                self._flush_notes()
        from ofsc_cli.output.pager import PagerClosed

        original = self.stream
        paged = self.pager.open(original)
        self.stream, self._console, self._paging = cast_stream(paged), None, True
        try:
            return action()
        except PagerClosed:
            return closed()
        finally:
            self.stream, self._console, self._paging = original, None, False
            paged.close()
            self._flush_notes()

    def _flush_notes(self) -> None:
        notes, self._notes = self._notes, []
        for note in notes:
            if self.notice is not None:
                self.notice(note)
            else:
                sys.stderr.write(f"ofsc: {note}\n")
                sys.stderr.flush()

    # ----------------------------------------------------------------- helpers

    def _mappings(self, items: Iterable[Any]) -> Iterator[Mapping[str, Any]]:
        for item in items:
            if type(item) is not dict:  # (a plain dict, as exports stream them, is as is)
                item = _plain(item)
                item = item if isinstance(item, Mapping) else {"value": item}
            self._seen += 1
            yield item

    def _checked(self, items: Iterator[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        """``items``, with ``--fields`` checked before the first one is written."""
        if not self.fields:
            yield from items
            return
        from ofsc_cli.output.fields import is_closed_model

        if self.model is not None and is_closed_model(self.model):
            self._check_fields(None)
        first = True
        for item in items:
            if first:
                self._check_fields(item)
                first = False
            yield item

    def _check_fields(self, item: Mapping[str, Any] | None) -> None:
        """Refuse ``--fields`` names that neither the model nor ``item`` has (exit 2).

        Without a model and without an item there is nothing to judge by, and nothing is
        refused; an open model (custom properties allowed) needs an item as well.
        """
        if not self.fields:
            return
        from ofsc_cli.output.fields import (
            field_names,
            is_closed_model,
            unknown_fields,
            unknown_fields_message,
        )

        valid = field_names(self.model) if self.model is not None else []
        if item is not None:
            valid += [str(k) for k in item if k not in valid]
        elif self.model is None or not is_closed_model(self.model):
            return
        unknown = unknown_fields(self.fields, valid)
        if unknown:
            raise _usage_error(unknown_fields_message(unknown, valid))

    def _select(self, item: Mapping[str, Any]) -> Mapping[str, Any]:
        return select_fields(item, self.fields) if self.fields else item

    def _select_any(self, obj: Any) -> Any:
        """Field selection for one object: a mapping, or each mapping of a list."""
        if not self.fields:
            return obj
        if isinstance(obj, Mapping):
            return self._select(obj)
        if _is_sequence(obj):
            return [self._select(e) if isinstance(e, Mapping) else e for e in map(_plain, obj)]
        return obj

    def _fixed_columns(self) -> list[str] | None:
        return self.fields or self.columns

    # ----------------------------------------------------------------- --query

    def _query(self, data: Any) -> Any:
        from ofsc_cli.output.query import QueryError, apply_query

        assert self.query is not None
        try:
            return apply_query(self.query, to_jsonable(data))
        except QueryError as error:
            raise _usage_error(str(error)) from None

    def _query_items(self, mappings: Iterator[Mapping[str, Any]]) -> int:
        selected = [self._select(m) for m in mappings]
        self._write_result(self._query(selected))
        return len(selected)

    def _write_result(self, result: Any) -> None:
        """Write a query's result: a list of objects as items, other lists one value each,
        an object as an object, a single value as a value (``null`` only in JSON/YAML)."""
        columns = self._fixed_columns()
        saved = (self.fields, self.columns)
        self.fields = None  # already applied before the query
        try:
            if _is_sequence(result) and result and all(isinstance(e, Mapping) for e in result):
                present = [c for c in columns or () if any(_has_path(e, c) for e in result)]
                self.columns = present or None
                self._items(iter(result))
            elif _is_sequence(result):
                self.columns = None
                self._values(list(result))
            elif isinstance(result, Mapping):
                self.columns = None
                self._object(result)
            elif result is None and self.format in (OutputFormat.TABLE, OutputFormat.CSV):
                pass  # nothing matched: no line at all
            else:
                self._value(result)
        finally:
            self.fields, self.columns = saved

    def _values(self, values: list[Any]) -> None:
        """A list of plain values: a JSON array or YAML list; one value a line otherwise."""
        if self.format in (OutputFormat.JSON, OutputFormat.YAML):
            self._write_data(values, indent=2)
        elif self.format is OutputFormat.NDJSON:
            for value in values:
                self.stream.write(json_dumps(value) + "\n")
        elif self.format is OutputFormat.CSV:
            writer = csv.writer(self.stream, lineterminator="\n")
            for value in values:
                writer.writerow([_csv_cell(value)])
        else:
            cell = format_cell if self.is_tty else _tsv_cell
            for value in values:
                self.stream.write(cell(value) + "\n")
        self.stream.flush()

    # ----------------------------------------------------------------- encoding

    def _write_data(self, value: Any, *, indent: int) -> None:
        """One document: indented JSON, one NDJSON line, or YAML."""
        if self.format is OutputFormat.YAML:
            self.stream.write(_yaml_dump(value))
        elif self.format is OutputFormat.NDJSON:
            self.stream.write(json_dumps(value) + "\n")
        else:
            self._emit_json(json_dumps(value, indent=indent) + "\n")

    def _emit_json(self, text: str) -> None:
        """Write JSON text, highlighted when colour is on and the stream is a terminal."""
        if not (self.color and self.is_tty):
            self.stream.write(text)
            return
        from rich.highlighter import JSONHighlighter
        from rich.text import Text

        styled = Text(text)
        JSONHighlighter().highlight(styled)
        self._rich_console().print(styled, end="", soft_wrap=True)

    def _rich_console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(
                file=self.stream,
                width=self.width,
                force_terminal=self.is_tty,
                color_system="auto" if self.color else None,
                no_color=not self.color,
                highlight=False,
                markup=False,
                emoji=False,
            )
        return self._console

    # ----------------------------------------------------------------- per format

    def _json_items(self, items: Iterator[Mapping[str, Any]]) -> int:
        indent = 2 if self.is_tty else None
        flusher = _Flusher(self.stream)
        count = 0
        # "[" goes out with the first item: until an item is ready nothing is written, so a
        # failure before it leaves stdout empty (and the CLI free to report the error alone).
        for item in items:
            text = json_dumps(self._select(item), indent=indent)
            if indent:
                text = "\n".join("  " + line for line in text.splitlines())
            self._emit_json(("[\n" if count == 0 else ",\n") + text)
            count += 1
            flusher.tick()
        self._emit_json("\n]\n" if count else "[]\n")
        flusher.done()
        return count

    def _ndjson_items(self, items: Iterator[Mapping[str, Any]]) -> int:
        flusher = _Flusher(self.stream)
        count = 0
        encode, write = _COMPACT.encode, self.stream.write
        for item in items:
            write(encode(self._select(item)) + "\n")
            count += 1
            flusher.tick()
        flusher.done()
        return count

    def _yaml_items(self, items: Iterator[Mapping[str, Any]]) -> int:
        selected = [self._select(item) for item in items]
        self.stream.write(_yaml_dump(selected))
        self.stream.flush()
        return len(selected)

    def _csv_items(self, items: Iterator[Mapping[str, Any]]) -> int:
        writer = csv.writer(self.stream, lineterminator="\n")
        return self._delimited(items, writer.writerow, _csv_cell, self._fixed_columns())

    def _tsv_items(
        self, items: Iterator[Mapping[str, Any]], columns: list[str] | None = None
    ) -> int:
        def write_row(cells: Sequence[str]) -> None:
            self.stream.write("\t".join(cells) + "\n")

        return self._delimited(items, write_row, _tsv_cell, columns or self._fixed_columns())

    def _delimited(
        self,
        items: Iterator[Mapping[str, Any]],
        write_row: Callable[[Sequence[str]], object],
        cell: Callable[[Any], str],
        columns: list[str] | None,
    ) -> int:
        """Rows under a header line, streamed; the shared body of CSV and piped tables.

        Without ``columns`` the first item's keys are the columns.
        """
        flusher = _Flusher(self.stream)
        count = 0
        for item in items:
            if count == 0:
                columns = columns or list(item.keys())
                write_row([cell(c) for c in columns])
            write_row([cell(get_path(item, c)) for c in columns or ()])
            count += 1
            flusher.tick()
        if count == 0 and columns:
            write_row([cell(c) for c in columns])
        flusher.done()
        return count

    def _table_items(self, items: Iterator[Mapping[str, Any]]) -> int:
        rows = list(items)
        if not rows:
            return 0
        columns = self._fixed_columns() or list(dict.fromkeys(k for row in rows for k in row))
        cells = [
            [format_cell(get_path(row, c), max_width=NESTED_CELL_WIDTH) for c in columns]
            for row in rows
        ]
        from ofsc_cli.output.table import draw_table

        dropped = draw_table(self._rich_console(), columns, cells, title=self.title)
        self.stream.flush()
        if dropped:
            width = self._rich_console().width
            self._notes.append(
                f"left out {len(dropped)} of {len(columns)} columns to fit {width} columns: "
                f"{', '.join(dropped)} (--fields or -o json shows them)"
            )
        return len(rows)

    def _key_value_table(self, obj: Mapping[str, Any]) -> None:
        keys = self.fields or list(obj.keys())
        if self.is_tty:
            self._draw_key_values([(k, format_cell(get_path(obj, k))) for k in keys])
        else:
            rows = iter([{"key": k, "value": get_path(obj, k)} for k in keys])
            self._tsv_items(rows, ["key", "value"])

    def _draw_key_values(self, rows: Sequence[tuple[str, str]]) -> None:
        """Key/Value rows: the keys whole, the values wrapped between words to the width."""
        from rich.cells import cell_len
        from rich.table import Table
        from rich.text import Text

        console = self._rich_console()
        key_width = max((cell_len(k) for k, _ in rows), default=3)
        key_width = max(3, min(key_width, console.width // 2))
        table = Table(title=self.title, box=None, pad_edge=False, show_edge=False)
        table.add_column("Key", no_wrap=True, overflow="ellipsis", min_width=key_width)
        table.add_column("Value", overflow="fold")
        for key, value in rows:
            table.add_row(Text(key), Text(value))
        console.print(table)
        self.stream.flush()


def _compiled(query: str | ParsedResult | None) -> ParsedResult | None:
    """A ``--query`` expression compiled (a syntax error is a usage error, exit 2)."""
    if query is None or not isinstance(query, str):
        return query
    from ofsc_cli.output.query import QueryError, compile_query

    try:
        return compile_query(query)
    except QueryError as error:
        raise _usage_error(str(error)) from None


def _usage_error(message: str) -> Exception:
    """The command line's usage error (exit 2, one ``ofsc:`` line) for ``message``."""
    from ofsc_cli.errors import UsageError

    return UsageError(message)


def _has_path(item: Mapping[str, Any], path: str) -> bool:
    return get_path(item, path, _MISSING) is not _MISSING


def cast_stream(stream: object) -> TextIO:
    """``stream`` (anything with ``write`` and ``flush``) typed as a text stream."""
    from typing import cast

    return cast("TextIO", stream)


def _yaml_dump(value: Any) -> str:
    import yaml

    return yaml.safe_dump(to_jsonable(value), sort_keys=False, allow_unicode=True)
