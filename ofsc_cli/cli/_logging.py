"""The command line's log: the library's records (``ofsc_cli.*``) shown on stderr or in a file.

Turned on by a global option only (otherwise nothing is configured and nothing is paid):

* ``-v`` logs from INFO (one line per request, each retry), ``-vv`` from DEBUG (also a line
  before each attempt); ``--log-level debug|info|warning|error`` sets the level (the most
  detailed of the levels asked for wins; INFO when only ``--log-format``/``--log-file`` is
  given);
* ``--debug`` logs from DEBUG and dumps each request and response (headers and bodies,
  credentials masked, bodies cut) on ``ofsc_cli.http.dump``, which is silent otherwise;
* ``--log-format text`` (the default) writes ``HH:MM:SS.mmm level message`` lines (a full
  date in a file); ``json`` writes one JSON object per line: ``time`` (UTC, ISO 8601),
  ``level``, ``logger``, ``event``, ``message`` and the record's fields (see
  :mod:`ofsc_cli.client.log`).  With JSON on stderr, the command's own notes, retry notices
  and its final error are JSON lines too, so that stderr stays one object per line;
* ``--log-file PATH`` appends the lines to ``PATH`` (created 0600; its directory must
  exist) instead of stderr.

Lines go to the context's stderr stream, looked up as each is written, so that they appear
above a progress bar rather than through it (the bar redirects ``sys.stderr`` while drawn).
A bad level or format is a usage error (exit 2, naming the choices); a log file that cannot
be opened is a configuration error (exit 3, naming it).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import typer

from ofsc_cli.errors import OFSConfigurationError

if TYPE_CHECKING:
    from ofsc_cli.cli.context import AppContext

__all__ = [
    "FORMATS",
    "LEVELS",
    "JsonFormatter",
    "LogSetup",
    "TextFormatter",
    "configure_logging",
    "logging_requested",
]

LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}
"""The values of ``--log-level``."""
FORMATS = ("text", "json")
"""The values of ``--log-format``."""

ROOT_LOGGER = "ofsc_cli"
DUMP_LOGGER = "ofsc_cli.http.dump"  # ofsc_cli.client.log.DUMP_LOGGER, without importing httpx
CLI_LOGGER = "ofsc_cli.cli"


def logging_requested(obj: AppContext) -> bool:
    """Whether a global option asks for the log (``-v``, ``--debug``, ``--log-*``)."""
    return bool(
        obj.verbose
        or obj.debug
        or obj.log_level is not None
        or obj.log_format is not None
        or obj.log_file is not None
    )


def _level(obj: AppContext) -> int:
    """The level asked for: the most detailed of ``--log-level``, ``-v``/``-vv`` and
    ``--debug``; INFO when none says.  Raises ``typer.BadParameter`` for an unknown level."""
    levels: list[int] = []
    if obj.log_level is not None:
        name = obj.log_level.strip().lower()
        if name not in LEVELS:
            raise typer.BadParameter(
                f"{obj.log_level!r} is not one of {', '.join(LEVELS)}", param_hint="'--log-level'"
            )
        levels.append(LEVELS[name])
    if obj.verbose:
        levels.append(logging.INFO if obj.verbose == 1 else logging.DEBUG)
    if obj.debug:
        levels.append(logging.DEBUG)
    return min(levels) if levels else logging.INFO


def _format(obj: AppContext) -> str:
    """``text`` or ``json``; raises ``typer.BadParameter`` for anything else."""
    if obj.log_format is None:
        return "text"
    name = obj.log_format.strip().lower()
    if name not in FORMATS:
        raise typer.BadParameter(
            f"{obj.log_format!r} is not one of {', '.join(FORMATS)}", param_hint="'--log-format'"
        )
    return name


def _open_log_file(path_text: str) -> IO[str]:
    """``path_text`` opened for appending (created 0600).  Raises
    :class:`OFSConfigurationError` naming it when its directory is missing or it cannot be
    opened."""
    path = Path(os.path.expanduser(path_text))
    parent = path.parent
    if not parent.is_dir():
        raise OFSConfigurationError(
            f"--log-file {path_text}: the directory {parent} does not exist"
        )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise OFSConfigurationError(
            f"--log-file {path_text}: cannot open: {exc.strerror or exc}"
        ) from None
    return os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace")


# -- formatters -------------------------------------------------------------------------


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = getattr(record, "ofsc", None)
    return fields if isinstance(fields, dict) else {}


class TextFormatter(logging.Formatter):
    """``14:02:03.456 info    GET https://… → 200 OK (12 ms)``: a time (with the date when
    ``dated``), the level and the message; the lines of a dump and a traceback follow."""

    def __init__(self, *, dated: bool = False) -> None:
        super().__init__()
        self.dated = dated

    def format(self, record: logging.LogRecord) -> str:
        """The record as text (one line, or several for a dump or an exception)."""
        moment = time.localtime(record.created)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S" if self.dated else "%H:%M:%S", moment)
        text = f"{stamp}.{int(record.msecs):03d} {record.levelname.lower():<7} "
        text += record.getMessage()  # (a dump's further lines follow its first)
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ``time``, ``level``, ``logger``, ``event``, ``message``
    and the record's fields (``record.ofsc``; see :mod:`ofsc_cli.client.log`)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        fields = _fields(record)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        data: dict[str, Any] = {
            "time": f"{stamp}.{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": fields.get("event") or "log",
            "message": record.getMessage(),
        }
        for key, value in fields.items():
            if key not in data:
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return _ENCODER.encode(data)


class _LineHandler(logging.Handler):
    """Writes each formatted record as a line to the stream ``target()`` returns then."""

    def __init__(self, target: Callable[[], IO[str]]) -> None:
        super().__init__()
        self.target = target

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            stream = self.target()
            stream.write(line + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


# -- setup ------------------------------------------------------------------------------


@dataclass
class LogSetup:
    """The log of one invocation, as installed: what the context asks before it writes a
    note (see :class:`~ofsc_cli.cli.context.AppContext`)."""

    handler: logging.Handler
    level: int
    json: bool
    to_stderr: bool
    file: IO[str] | None = None
    _saved: list[tuple[logging.Logger, int]] = field(default_factory=list)

    @property
    def shows_retries(self) -> bool:
        """Whether retries appear on stderr as log lines (the retry notice is then left out)."""
        return self.to_stderr and self.level <= logging.WARNING

    @property
    def json_on_stderr(self) -> bool:
        """Whether stderr carries JSON lines (notes and the final error are written so too)."""
        return self.to_stderr and self.json

    def note(self, level: int, message: str, event: str = "notice", **fields: Any) -> None:
        """Write ``message`` (a note of the command, not a library record) through the log's
        handler whatever the log level: a JSON line on a JSON stderr."""
        text = message.removeprefix("ofsc: ")
        record = logging.LogRecord(CLI_LOGGER, level, __file__, 0, "%s", (text,), None)
        record.ofsc = {"event": event, **fields}
        self.handler.handle(record)

    def close(self) -> None:
        """Take the handler off, give the loggers their levels back, close the file."""
        logging.getLogger(ROOT_LOGGER).removeHandler(self.handler)
        for logger, level in reversed(self._saved):
            logger.setLevel(level)
        self._saved.clear()
        if self.file is not None:
            self.file.close()
            self.file = None


def configure_logging(obj: AppContext) -> LogSetup:
    """Install the log that ``obj``'s global options ask for (see the module text) and
    record it on ``obj``; :meth:`LogSetup.close` removes it.

    Raises ``typer.BadParameter`` for an unknown level or format (exit 2) and
    :class:`OFSConfigurationError` for a log file that cannot be opened (exit 3).
    """
    level = _level(obj)
    as_json = _format(obj) == "json"
    file = _open_log_file(obj.log_file) if obj.log_file is not None else None
    target: Callable[[], IO[str]]
    if file is not None:
        opened = file

        def target() -> IO[str]:
            return opened
    else:

        def target() -> IO[str]:
            return obj.stderr

    handler = _LineHandler(target)
    handler.setFormatter(JsonFormatter() if as_json else TextFormatter(dated=file is not None))
    setup = LogSetup(handler, level, as_json, to_stderr=file is None, file=file)
    root = logging.getLogger(ROOT_LOGGER)
    dump = logging.getLogger(DUMP_LOGGER)
    setup._saved = [(root, root.level), (dump, dump.level)]
    root.setLevel(level)
    # The dumps only with --debug (a DEBUG level from -vv or --log-level leaves them out).
    dump.setLevel(logging.DEBUG if obj.debug else max(level, logging.INFO))
    root.addHandler(handler)
    obj.log_setup = setup
    return setup


def report_failure(obj: AppContext, text: str, code: int, error: BaseException) -> bool:
    """Write the command's final error as a JSON line when stderr carries JSON lines (with
    the traceback under ``--debug``); ``False`` when the caller writes its usual line."""
    setup = obj.log_setup
    if setup is None or not setup.json_on_stderr:
        return False
    record = logging.LogRecord(
        CLI_LOGGER,
        logging.ERROR,
        __file__,
        0,
        "%s",
        (text,),
        (type(error), error, error.__traceback__) if obj.debug else None,
    )
    record.ofsc = {"event": "exit", "exit_code": code, "error_type": type(error).__name__}
    setup.handler.handle(record)
    return True
