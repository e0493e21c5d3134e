"""Render command results on stdout as a table, JSON, NDJSON, CSV or YAML.

The output contract of the command line:

* stdout carries data only; hints and progress go to stderr (see :mod:`.progress`).
* Without ``-o`` the format is a table on a TTY and JSON when stdout is piped
  (:func:`resolve_format`).
* A list in JSON is one array of items, written as the items arrive; NDJSON is one item per
  line; CSV and the piped form of a table (tab-separated text) are streamed too. Only the
  drawn table and YAML collect the items first.
* ``--fields a,b.c,d.0.e`` selects what is shown. JSON, NDJSON and YAML keep the selected
  parts of each item in their nested places (:func:`select_fields`); tables and CSV use the
  dotted paths as column names (:func:`get_path`).
* JSON is coloured only on a TTY with colour enabled; a table asked for while stdout is piped
  becomes tab-separated text with a header line, so scripts get stable, parseable rows.

rich and yaml are imported only when a table is drawn, JSON is highlighted or YAML is written,
so importing this module is cheap.

A reader that goes away early (``ofsc ... | head -1``) makes a write raise
:class:`BrokenPipeError`. The renderer lets it propagate; the command-line entry point catches
it, calls :func:`handle_broken_pipe` and exits with :data:`BROKEN_PIPE_EXIT_CODE`.
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
from typing import TYPE_CHECKING, Any, Final, TextIO

if TYPE_CHECKING:
    from rich.console import Console

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
    """Turn the ``-o`` value into an :class:`OutputFormat`.

    Nothing requested means a table on a TTY and JSON otherwise. Case and surrounding blanks
    are ignored. An unknown name raises :class:`ValueError` whose message lists the valid ones.
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
    """Split a ``--fields a,b,c`` value into names, dropping blanks and repeats.

    Returns ``None`` when nothing is selected, so callers can pass the result straight to
    :class:`Renderer`.
    """
    if text is None:
        return None
    names = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    return names or None


def stream_is_tty(stream: object) -> bool:
    """Whether ``stream`` is a terminal; false for anything without a working ``isatty``."""
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
    """Whether to colour output: only on a TTY, never with ``--no-color`` or ``NO_COLOR`` set."""
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
    """Encode ``value`` as JSON: keys in their given order, non-ASCII kept, rich types handled.

    Handles pydantic models (dumped with the API's aliases), dates and times (ISO 8601),
    decimals, enums and sets.
    """
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


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
    """The value at a dotted ``path`` in ``item``, or ``default`` when it is not there.

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
    """Keep only the ``fields`` of ``item``, nested values staying where they were.

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
    """Text for one table or CSV cell.

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

    ``fields`` is the user's ``--fields`` selection and applies to every format. ``columns``
    are a command's default table columns, used by tables and CSV when no fields are given.
    Otherwise CSV and piped tables take their columns from the first item (keys that only
    later items have are not shown) and a drawn table from all items. ``is_tty`` says whether
    ``stream`` is a terminal: it decides between a drawn table and tab-separated text, and
    between indented and one-item-per-line JSON arrays. ``color`` allows colour on a
    terminal. ``title`` is shown above a drawn table. ``width`` fixes the table width
    (default: the terminal's).
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
    ) -> None:
        self.format = OutputFormat(fmt)
        self.stream = stream
        self.fields = list(fields) if fields else None
        self.columns = list(columns) if columns else None
        self.is_tty = is_tty
        self.color = color
        self.title = title
        self.width = width
        self._console: Console | None = None

    # ----------------------------------------------------------------- public API

    def write_items(self, items: Iterable[Any]) -> int:
        """Write a list of items and return how many there were.

        Items are mappings or pydantic models; anything else is shown as ``{"value": item}``.
        Streamed formats consume ``items`` lazily. If ``items`` raises part way, the error
        propagates and the output stays incomplete (a JSON array is left unclosed), so a
        partial result is never mistaken for a whole one.
        """
        writers: dict[OutputFormat, Callable[[Iterator[Mapping[str, Any]]], int]] = {
            OutputFormat.JSON: self._json_items,
            OutputFormat.NDJSON: self._ndjson_items,
            OutputFormat.CSV: self._csv_items,
            OutputFormat.YAML: self._yaml_items,
            OutputFormat.TABLE: self._table_items if self.is_tty else self._tsv_items,
        }
        return writers[self.format](self._mappings(items))

    def write_object(self, obj: Any) -> None:
        """Write one object (a mapping, a pydantic model, a list or a plain value).

        A table shows a mapping as KEY/VALUE rows (nested values as compact JSON); CSV as one
        row under a header. A list in a table or CSV is written as items, a plain value as
        by :meth:`write_value`.
        """
        obj = _plain(obj)
        if self.format in (OutputFormat.JSON, OutputFormat.NDJSON, OutputFormat.YAML):
            self._write_data(self._select_any(obj), indent=2)
        elif isinstance(obj, Mapping):
            if self.format is OutputFormat.CSV:
                self._csv_items(iter([obj]))
            else:
                self._key_value_table(obj)
        elif _is_sequence(obj):
            self.write_items(obj)
        else:
            self.write_value(obj)
        self.stream.flush()

    def write_value(self, value: Any) -> None:
        """Write a plain value, such as a token: as-is for a table, encoded for other formats."""
        value = _plain(value)
        if self.format is OutputFormat.TABLE:
            text = value if isinstance(value, str) else format_cell(value)
            self.stream.write(text + "\n")
        elif self.format is OutputFormat.CSV:
            csv.writer(self.stream, lineterminator="\n").writerow([_csv_cell(value)])
        else:
            self._write_data(value, indent=2)
        self.stream.flush()

    # ----------------------------------------------------------------- helpers

    def _mappings(self, items: Iterable[Any]) -> Iterator[Mapping[str, Any]]:
        for item in items:
            item = _plain(item)
            yield item if isinstance(item, Mapping) else {"value": item}

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
        for item in items:
            self.stream.write(json_dumps(self._select(item)) + "\n")
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
        self._draw_table([c.upper() for c in columns], cells)
        return len(rows)

    def _key_value_table(self, obj: Mapping[str, Any]) -> None:
        keys = self.fields or list(obj.keys())
        if self.is_tty:
            self._draw_table(["KEY", "VALUE"], [[k, format_cell(get_path(obj, k))] for k in keys])
        else:
            rows = iter([{"key": k, "value": get_path(obj, k)} for k in keys])
            self._tsv_items(rows, ["key", "value"])

    def _draw_table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=self.title, box=None, pad_edge=False, show_edge=False)
        for header in headers:
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        self._rich_console().print(table)
        self.stream.flush()


def _yaml_dump(value: Any) -> str:
    import yaml

    return yaml.safe_dump(to_jsonable(value), sort_keys=False, allow_unicode=True)
