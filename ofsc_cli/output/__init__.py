"""The output layer of the command line: rendering results on stdout, progress on stderr.

Importing this package is cheap: rich, yaml and jmespath are loaded only when a table,
highlighted JSON, YAML, a query result or a progress display is actually produced. Nothing here
imports typer or httpx.
"""

from ofsc_cli.output.pager import Pager, pager_command
from ofsc_cli.output.progress import ProgressReporter, StatusReporter, progress, status
from ofsc_cli.output.render import (
    BROKEN_PIPE_EXIT_CODE,
    OutputFormat,
    Renderer,
    color_enabled,
    format_cell,
    get_path,
    handle_broken_pipe,
    json_dumps,
    parse_fields,
    resolve_format,
    select_fields,
    stream_is_tty,
    to_jsonable,
)
from ofsc_cli.output.table import header_text

__all__ = [
    "BROKEN_PIPE_EXIT_CODE",
    "OutputFormat",
    "Pager",
    "ProgressReporter",
    "Renderer",
    "StatusReporter",
    "color_enabled",
    "format_cell",
    "get_path",
    "handle_broken_pipe",
    "header_text",
    "json_dumps",
    "pager_command",
    "parse_fields",
    "progress",
    "resolve_format",
    "select_fields",
    "status",
    "stream_is_tty",
    "to_jsonable",
]
