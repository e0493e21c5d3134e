"""Reading input files safely: request bodies (JSON or YAML) and bulk inputs.

Every file the user hands us (``--file PATH|-`` bodies, bulk inputs, uploads, ``ofsc api
--input``) is opened and parsed here, so each kind of bad input is refused the same way
everywhere, before anything is sent, with an :class:`InputError` (an
:class:`~ofsc_cli.errors.OFSValidationError`: exit 2 on the command line) whose message names
the file, and the line and column where known:

- **what can be read**: a regular file, or ``-`` (stdin). Directories, devices such as
  ``/dev/zero``, FIFOs and sockets are refused without blocking; a file (or stdin) larger
  than the caller's cap is refused after reading at most the cap plus one byte; the text must
  be UTF-8 (a leading BOM is dropped) and not empty;
- **JSON**: nesting deeper than :data:`MAX_DEPTH` levels, ``NaN``/``Infinity``, numbers too
  large for a float (``1e999``) and integers longer than Python converts
  (``sys.get_int_max_str_digits()``) are refused;
- **YAML**: the same limits, plus alias bombs (aliases that expand to more than
  :data:`MAX_ALIAS_EXPANSION` extra values, or recursive ones), ``.nan``/``.inf``, and tags
  that have no JSON form (``!!binary``, ``!!set``).  Scalars YAML 1.1 would silently turn
  into something else keep the text the user wrote: dates and timestamps (``2026-11-20``),
  base-60 numbers (``12:30``, which YAML 1.1 reads as 750) and integers with a leading zero
  (``01234``, a postal code, which YAML 1.1 reads as octal 668);
- **dates**: :func:`impossible_date` finds a ``YYYY-MM-DD`` string (with or without a time)
  that no calendar has (``2026-02-30``), so that bodies and bulk inputs can refuse it.

:func:`encode_json` is the one JSON encoder of request bodies (``NaN`` refused, so a body the
server could not parse is never sent).  No typer, rich or config here.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import math
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ofsc_cli.errors import OFSSerializationError, OFSValidationError

if TYPE_CHECKING:
    import yaml

__all__ = [
    "MAX_ALIAS_EXPANSION",
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "BodyEncodingError",
    "InputError",
    "JSONProblem",
    "check_json_depth",
    "decode_text",
    "encode_json",
    "impossible_date",
    "json_document",
    "json_value",
    "load_document",
    "open_input",
    "parse_json",
    "parse_yaml",
    "read_input",
]

MAX_BODY_BYTES = 64 * 1024 * 1024
"""The largest body file read (64 MiB): far above what any OFS request accepts."""
MAX_DEPTH = 64
"""The deepest nesting of arrays and objects accepted (OFS bodies need fewer than 10)."""
MAX_ALIAS_EXPANSION = 100_000
"""How many values YAML aliases may add to a document once expanded."""


class InputError(OFSValidationError):
    """An input file or value cannot be used (nothing was sent); the message names the file
    and, where known, the line and column."""

    def __init__(
        self,
        source: str | os.PathLike[str],
        problem: str,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        """The problem ``problem`` with the input ``source`` (a path, ``-`` or a name), at ``line``
        and ``column`` when known; the message joins them.
        """
        where = ""
        if line is not None:
            where = f"line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(": ".join(p for p in (str(source), where, problem) if p))
        self.source = str(source)
        self.problem = problem
        self.line = line
        self.column = column


class BodyEncodingError(OFSValidationError, OFSSerializationError):
    """A request body has no JSON form (``NaN``, a date object, a cycle…); nothing was sent."""


# -- reading bytes ------------------------------------------------------------------------


def _name(path: str | os.PathLike[str]) -> str:
    return "<stdin>" if str(path) == "-" else str(path)


def _size_text(size: int) -> str:
    if size >= 1 << 20 and size % (1 << 20) == 0:
        return f"{size >> 20} MiB"
    return f"{size} bytes"


def open_input(path: str | os.PathLike[str], *, hint: str = "") -> IO[bytes]:
    """Returns ``path`` opened for reading in binary.

    Raises :class:`InputError` unless it is a regular file that can be read (``hint`` ends
    the message then).  A FIFO is opened without blocking (so no writer is waited for) and
    refused like a directory, a device (``/dev/zero``) or a socket.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, f"is a directory{hint}") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise InputError(path, f"is a directory{hint}")
        raise InputError(path, f"is not a regular file (a device, FIFO or socket){hint}")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _stdin_bytes() -> IO[bytes]:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # pragma: no cover - stdin replaced by a text-only stream
        raise InputError("-", "stdin cannot be read as bytes")
    return stream  # type: ignore[no-any-return]


def read_input(
    path: str | os.PathLike[str],
    *,
    limit: int = MAX_BODY_BYTES,
    what: str = "a request body",
    stdin: IO[bytes] | None = None,
) -> bytes:
    """Returns the bytes of ``path`` (``-``: ``stdin``, default the process's), at most
    ``limit``.

    Reads at most ``limit + 1`` bytes, so an endless stream is refused, not read forever.
    Raises :class:`InputError` for a file that cannot be read or is larger than ``limit``
    (the message names ``what`` it is).
    """
    name = _name(path)
    try:
        if str(path) == "-":
            data = (stdin or _stdin_bytes()).read(limit + 1)
        else:
            with open_input(path, hint="; give a file, or '-' for stdin") as fh:
                data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(name, f"larger than {_size_text(limit)}, the limit for {what}")
    return data


def decode_text(data: bytes, source: str | os.PathLike[str]) -> str:
    """Returns ``data`` as UTF-8 text (a leading BOM dropped).  Raises :class:`InputError`
    naming ``source``, the line and the offending byte when it is not UTF-8.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            source, f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x})", line=line
        ) from None


# -- JSON ---------------------------------------------------------------------------------


class JSONProblem(ValueError):
    """Why JSON text is refused, and where (``pos``: an index into the text); ``syntax``:
    the text is not JSON at all (rather than JSON with a value we refuse)."""

    def __init__(self, message: str, pos: int, *, syntax: bool = False) -> None:
        """The refusal ``message`` at index ``pos`` of the text; ``syntax`` when the text is not
        JSON at all.
        """
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.syntax = syntax


class _Refused(ValueError):
    def __init__(self, token: str, message: str) -> None:
        super().__init__(message)
        self.token = token
        self.message = message


def _refuse_constant(token: str) -> Any:
    raise _Refused(token, f"{token} is not a number JSON can carry (refused)")


def _finite_float(token: str) -> float:
    value = float(token)
    if math.isinf(value):
        raise _Refused(token, f"the number {_short(token)} is too large for a float")
    return value


def _short(token: str) -> str:
    return token if len(token) <= 24 else f"{token[:10]}…{token[-4:]} ({len(token)} characters)"


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_STRINGS = re.compile(_STRING)
_BRACKETS = re.compile(_STRING + r"|[\[\]{}]")
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"\[\]|\{\}")
_TOKENS = re.compile(_STRING + r"|(-?Infinity|NaN|-?\d[\d.eE+-]*)")


def _deeper_than(text: str, limit: int, start: int = 0) -> int | None:
    """The position of the first bracket nested deeper than ``limit``, if any."""
    # Fast path (in C): drop strings and everything but brackets, then peel innermost pairs.
    skeleton = _NOT_BRACKET.sub("", _STRINGS.sub("", text[start:] if start else text))
    for _ in range(limit):
        if not skeleton:
            return None
        skeleton = _PAIR.sub("", skeleton)
    if not skeleton:
        return None
    depth = 0
    for match in _BRACKETS.finditer(text, start):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def check_json_depth(text: str, start: int = 0, *, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`JSONProblem` where ``text``, from index ``start``, nests arrays and objects
    beyond ``limit`` levels; return nothing otherwise.
    """
    pos = _deeper_than(text, limit, start)
    if pos is not None:
        raise JSONProblem(f"nested deeper than {limit} levels", pos)


def _locate(text: str, start: int, wanted: Any) -> int:
    """The position of the first token outside strings from ``start`` that ``wanted`` accepts."""
    for match in _TOKENS.finditer(text, start):
        token = match.group(1)
        if token is not None and wanted(token):
            return match.start(1)
    return start


def _too_many_digits(token: str) -> bool:
    limit = sys.get_int_max_str_digits()
    return bool(limit) and not any(c in token for c in ".eE") and len(token.lstrip("-")) > limit


def json_value(text: str, pos: int = 0) -> tuple[Any, int]:
    """Returns the JSON value of ``text`` starting at ``pos`` (after blanks), decoded strictly,
    and the index where it ends.

    Call :func:`check_json_depth` on the text first; a nesting too deep for the decoder is
    refused here too.  Raises :class:`JSONProblem` for a syntax error, ``NaN``/``Infinity``
    or an integer with too many digits.
    """
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    try:
        value, end = _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise JSONProblem(exc.msg, exc.pos, syntax=True) from None
    except _Refused as exc:
        token = exc.token
        raise JSONProblem(exc.message, _locate(text, pos, lambda t: t == token)) from None
    except RecursionError:
        raise JSONProblem("nested too deeply", pos) from None
    except ValueError:
        # The only other ValueError: an integer longer than int() converts.
        at = _locate(text, pos, _too_many_digits)
        match = _TOKENS.match(text, at)
        digits = len((match.group(1) or "").lstrip("-")) if match else 0
        limit = sys.get_int_max_str_digits()
        raise JSONProblem(
            f"an integer of {digits} digits (at most {limit} are accepted)", at
        ) from None
    return value, end


def _line_column(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - text.rfind("\n", 0, pos)


def json_document(text: str) -> Any:
    """Returns the one JSON value ``text`` holds (blanks around it allowed).  Raises
    :class:`JSONProblem` for anything else (see :func:`json_value`; extra data after it).
    """
    check_json_depth(text)
    value, end = json_value(text)
    rest = len(text) - len(text[end:].lstrip(" \t\r\n"))
    if rest < len(text):
        raise JSONProblem("extra data after the JSON value", rest, syntax=True)
    return value


def parse_json(text: str, source: str | os.PathLike[str]) -> Any:
    """Returns the JSON document ``text``, strictly decoded.  Raises :class:`InputError` naming
    ``source``, the line and the column of the problem.
    """
    try:
        value = json_document(text)
    except JSONProblem as exc:
        line, column = _line_column(text, exc.pos)
        raise InputError(source, f"invalid JSON: {exc.message}", line=line, column=column) from None
    return value


# -- YAML ---------------------------------------------------------------------------------

_SEXAGESIMAL = re.compile(r"^[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.[\d_]*)?$")
_LEADING_ZERO = re.compile(r"^[-+]?0[\d_]+$")


def _yaml_loader() -> type[yaml.SafeLoader]:
    import yaml

    timestamp = "tag:yaml.org,2002:timestamp"

    class Loader(yaml.SafeLoader):
        """SafeLoader with a nesting limit and scalars kept as written (see the module)."""

        yaml_implicit_resolvers = {
            first: [(tag, rx) for tag, rx in resolvers if tag != timestamp]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self._depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            self._depth += 1
            try:
                event: Any = self.peek_event()  # type: ignore[no-untyped-call]
                collection = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
                if self._depth > MAX_DEPTH and isinstance(event, collection):
                    mark: Any = event.start_mark
                    problem = f"nested deeper than {MAX_DEPTH} levels"
                    raise yaml.composer.ComposerError(None, None, problem, mark)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

        def as_written(self, node: Any) -> Any:
            return self.construct_scalar(node)

        def number(self, node: Any) -> Any:
            text = str(self.construct_scalar(node))
            if _SEXAGESIMAL.match(text) or _LEADING_ZERO.match(text):
                return text
            try:
                if node.tag.endswith(":int"):
                    return self.construct_yaml_int(node)
                value = self.construct_yaml_float(node)
            except ValueError:
                digits = sum(c.isdigit() for c in text)
                limit = sys.get_int_max_str_digits()
                problem = (
                    f"an integer of {digits} digits (at most {limit} are accepted)"
                    if limit and digits > limit
                    else f"'{_short(text)}' is not a number"
                )
                raise yaml.constructor.ConstructorError(
                    None, None, problem, node.start_mark
                ) from None
            if math.isnan(value) or math.isinf(value):
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"{_short(text)} is not a number JSON can carry (refused)",
                    node.start_mark,
                )
            return value

        def no_json(self, node: Any) -> Any:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{node.tag.replace('tag:yaml.org,2002:', '!!')} values have no JSON form",
                node.start_mark,
            )

    Loader.add_constructor(timestamp, Loader.as_written)
    Loader.add_constructor("tag:yaml.org,2002:int", Loader.number)
    Loader.add_constructor("tag:yaml.org,2002:float", Loader.number)
    Loader.add_constructor("tag:yaml.org,2002:binary", Loader.no_json)
    Loader.add_constructor("tag:yaml.org,2002:set", Loader.no_json)
    return Loader


def _children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _check_expansion(root: Any) -> str | None:
    """Why the node graph ``root`` is refused once aliases are expanded, if it is."""
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            on_path.discard(key)
            continue
        if key in size:
            continue
        if key in on_path:
            return "a recursive YAML alias (refers to itself)"
        on_path.add(key)
        stack.append((node, True))
        for kid in _children(node):
            if id(kid) in on_path:
                return "a recursive YAML alias (refers to itself)"
            if id(kid) not in size:
                stack.append((kid, False))
    if size[id(root)] - len(size) > MAX_ALIAS_EXPANSION:
        return (
            f"YAML aliases expand to more than {MAX_ALIAS_EXPANSION} extra values "
            "(refused as an alias bomb)"
        )
    if height[id(root)] > MAX_DEPTH + 1:
        return f"nested deeper than {MAX_DEPTH} levels once YAML aliases are expanded"
    return None


def parse_yaml(text: str, source: str | os.PathLike[str]) -> Any:
    """Returns the YAML document ``text`` (safe types only; see the module for what is
    refused).  Raises :class:`InputError` naming ``source`` (and the line and column where
    known) for invalid YAML, an alias bomb or too deep a nesting.
    """
    import yaml

    loader = _yaml_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        problem = _check_expansion(node)
        if problem is not None:
            raise InputError(source, problem)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        if context:
            problem = f"{context}, {problem}"  # "expected a single document…, but found…"
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise InputError(source, f"invalid YAML: {problem}", line=line, column=column) from None
    except RecursionError:
        raise InputError(source, "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()


# -- documents ----------------------------------------------------------------------------


def load_document(
    path: str | os.PathLike[str],
    *,
    limit: int = MAX_BODY_BYTES,
    stdin: IO[bytes] | None = None,
) -> Any:
    """Returns the JSON or YAML document in ``path`` (``-``: ``stdin``), at most ``limit``
    bytes: JSON when the text starts with ``[`` or ``{`` or the name ends in ``.json``, else
    YAML.  Raises :class:`InputError` for what the module lists, an empty file and a file
    that holds no value.
    """
    name = _name(path)
    text = decode_text(read_input(path, limit=limit, stdin=stdin), name)
    stripped = text.lstrip()
    if not stripped:
        raise InputError(name, "the file is empty")
    if stripped[:1] in "[{" or Path(str(path)).suffix.lower() == ".json":
        return parse_json(text, name)
    value = parse_yaml(text, name)
    if value is None:
        raise InputError(name, "the file holds no value (only comments or an empty document)")
    return value


# -- values -------------------------------------------------------------------------------

_DATE_LIKE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)


def _walk(value: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every leaf of a JSON value with its path (iterative: any depth)."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack.extend(((*path, str(k)), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list | tuple):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))
        else:
            yield path, node


def _date_problem(text: str) -> str | None:
    match = _DATE_LIKE.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year or 0, month or 0, day or 0)
    except ValueError:
        return f"'{text}' is not a date (no such day)"
    if (hour or 0) > 23 or (minute or 0) > 59 or (second or 0) > 59:
        return f"'{text}' is not a time of day"
    return None


def impossible_date(value: Any) -> tuple[tuple[str | int, ...], str] | None:
    """Returns the first string in ``value`` shaped ``YYYY-MM-DD`` (maybe with a time) that
    names no real day or time (``2026-02-30``, ``2026-13-01``, ``2026-11-20 25:00``): its
    path and why; ``None`` when there is none.
    """
    for path, leaf in _walk(value):
        if isinstance(leaf, str) and len(leaf) <= 40:
            problem = _date_problem(leaf)
            if problem is not None:
                return path, problem
    return None


def encode_json(value: Any, *, what: str = "the body") -> bytes:
    """Returns ``value`` encoded as a JSON request body.  Raises :class:`BodyEncodingError`
    (nothing is sent; the message starts with ``what``) for ``NaN``/``Infinity``, cycles,
    objects without a JSON form and absurd nesting.
    """
    try:
        return json.dumps(value, allow_nan=False).encode()
    except (TypeError, ValueError, RecursionError) as exc:
        text = str(exc) or type(exc).__name__
        if "Out of range float" in text:
            text = "NaN and Infinity cannot be sent as JSON numbers"
        raise BodyEncodingError(f"{what}: body is not JSON: {text}") from None
