"""The root typer app: global options, lazy groups, and the error edge."""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Any

import typer
from typer import _click
from typer.core import TyperCommand

from ofsc_cli.cli import _tracing
from ofsc_cli.cli._globals import hoist_global_options
from ofsc_cli.cli._groups import SuggestingGroup
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.errors import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    UsageError,
    exit_code_for,
    message_for,
)
from ofsc_cli.cli.main import GROUPS, _version
from ofsc_cli.errors import OFSError

__all__ = ["LazyGroup", "RootGroup", "build_app", "load_group"]


def _complete_profile(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion of ``-p/--profile``; the config group is imported only when a shell
    asks (it is a declared group, built on import)."""
    from ofsc_cli.cli.config_cmd import complete_profile

    return complete_profile(incomplete)


class LazyGroup(SuggestingGroup):
    """A group whose subcommands are imported only when one of them runs.

    ``lazy_commands`` maps a name to ``(module, help)``; while help is being formatted the
    group hands out placeholders carrying just that help line.
    """

    lazy_commands: dict[str, tuple[str, str]] = {}
    _listing = False

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return [*self.lazy_commands, *(n for n in super().list_commands(ctx))]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        if cmd_name in self.lazy_commands:
            module, help_text = self.lazy_commands[cmd_name]
            if self._listing:
                return TyperCommand(cmd_name, help=help_text, short_help=help_text)
            return load_group(module, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def shell_complete(self, ctx: _click.Context, incomplete: str) -> list[Any]:
        self._listing = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._listing = False


def load_group(module: str, name: str) -> _click.Command:
    """Import a command module and return its click command."""
    app = importlib.import_module(module).app
    command = app if isinstance(app, _click.Command) else typer.main.get_command(app)
    command.name = name
    return command


class RootGroup(LazyGroup):
    """The ``ofsc`` group: the built-in groups of ``GROUPS``, then the command groups of
    plugins (:mod:`ofsc_cli.plugins`), whose entry points are read only while listing
    (``--help``, completion) or for a name that is not built-in."""

    lazy_commands = {name: (module, help) for name, (module, help) in GROUPS.items()}

    def _reserved(self, ctx: _click.Context) -> list[str]:
        return [*self.lazy_commands, *self.commands]

    def list_commands(self, ctx: _click.Context) -> list[str]:
        from ofsc_cli.cli._plugin_groups import plugin_groups

        names = super().list_commands(ctx)
        return [*names, *(n for n in plugin_groups(self._reserved(ctx)) if n not in names)]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name in self.lazy_commands:
            return command
        from ofsc_cli.cli._plugin_groups import plugin_command

        return plugin_command(cmd_name, self._reserved(ctx), listing=self._listing)

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        if args not in (["--help"], ["-h"]):  # (plain help coerces nothing)
            from ofsc_cli.cli._coerce import install

            install(self.get_params(ctx))  # global options, without typer's pydantic adapters
        return super().parse_args(ctx, hoist_global_options(args))

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            if not _tracing.tracing_requested():
                return super().invoke(ctx)
            with _tracing.command_span(self._command_words(ctx), _warn):
                return super().invoke(ctx)
        except OFSError as error:
            if _shown_as_received(ctx, error):
                return None  # a 2xx answer that did not fit its model: shown, exit 0
            _report(ctx, error, exit_code_for(error), error)
        except UsageError as error:
            _report(ctx, error, EXIT_USAGE, None)
        except KeyboardInterrupt:
            sys.stderr.write("ofsc: interrupted\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            from ofsc_cli.output import BROKEN_PIPE_EXIT_CODE, handle_broken_pipe

            handle_broken_pipe()
            raise typer.Exit(BROKEN_PIPE_EXIT_CODE) from None
        except Exception as error:
            typed = _typed_transport_error(error)
            if typed is None:
                raise
            _report(ctx, error, exit_code_for(typed), typed)

    def _command_words(self, ctx: _click.Context) -> list[str]:
        """The command path about to run (``["core", "resources", "list"]``), without its
        arguments, which may be ids: resolved through the groups, as click will."""
        args = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        words: list[str] = []
        command: Any = self
        for arg in args:
            get_command = getattr(command, "get_command", None)  # a group
            if get_command is None or arg.startswith("-"):
                break
            sub = get_command(ctx, arg)
            if sub is None:
                break
            words.append(arg)
            command = sub
        return words


def _warn(text: str) -> None:
    sys.stderr.write(f"ofsc: warning: {text}\n")


def _typed_transport_error(error: Exception) -> OFSError | None:
    """The typed error of an httpx error that reached the edge untyped (a path that sent
    through httpx directly), so that it too gets one line and a documented exit code."""
    httpx = sys.modules.get("httpx")  # never imported here: only if something used it
    if httpx is None or not isinstance(error, httpx.HTTPError):
        return None
    from ofsc_cli.client.http import error_from_exception

    try:
        request = error.request
    except RuntimeError:  # httpx raises when no request was attached
        request = None
    typed: OFSError = error_from_exception(error, request)
    return typed


def _shown_as_received(ctx: _click.Context, error: OFSError) -> bool:
    """Show a successful answer that did not fit its model as received (see ``_fallback``)."""
    from ofsc_cli.errors import OFSSerializationError

    if not isinstance(error, OFSSerializationError) or not isinstance(ctx.obj, AppContext):
        return False
    from ofsc_cli.cli._fallback import show_as_received

    return show_as_received(ctx.obj, error)


def _report(ctx: _click.Context, error: Exception, code: int, ofs: OFSError | None) -> None:
    obj = ctx.obj if isinstance(ctx.obj, AppContext) else AppContext()
    text = (
        message_for(ofs, profile=obj.profile_name, auth_method=obj.auth_method)
        if ofs is not None
        else str(error)
    )
    if obj.log_setup is not None:
        from ofsc_cli.cli._logging import report_failure

        if report_failure(obj, text, code, error):  # a JSON line, on a JSON log's stderr
            raise typer.Exit(code)
    if obj.debug:
        import traceback

        traceback.print_exception(error, file=obj.stderr)
    obj.stderr.write(f"ofsc: {text}\n")
    obj.stderr.flush()
    raise typer.Exit(code)


def _version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"ofsc {_version()}\n")
        raise typer.Exit()


def _timeout_callback(value: float | None) -> float | None:
    """``--timeout`` must be a finite number of seconds, more than 0 and at most a day."""
    if value is None:
        return value
    from ofsc_cli.config.settings import MAX_TIMEOUT

    if not 0 < value <= MAX_TIMEOUT:  # also refuses nan
        raise typer.BadParameter(
            f"must be a number of seconds greater than 0 and at most {MAX_TIMEOUT:g}"
        )
    return value


def build_app() -> typer.Typer:
    app = typer.Typer(
        cls=RootGroup,
        name="ofsc",
        help="Oracle Fusion Field Service from the command line.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,  # plain help, as the console script shows it (tests too)
        add_completion=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        epilog="Exit codes: 0 ok, 1 API error, 2 usage, 3 configuration, 4 authentication, "
        "5 not found, 6 network/timeout, 7 differences found, 8 cancelled, 130 interrupted.",
    )

    @app.callback()
    def root(
        ctx: typer.Context,
        profile: Annotated[
            str | None,
            typer.Option(
                "--profile",
                "-p",
                metavar="NAME",
                help="Profile from config.toml (env: OFSC_PROFILE).",
                autocompletion=_complete_profile,
            ),
        ] = None,
        output: Annotated[
            str | None,
            typer.Option(
                "--output",
                "-o",
                metavar="FORMAT",
                help="table, json, ndjson, csv or yaml (default: OFSC_OUTPUT, else the "
                "profile's output key, else table on a terminal and json when piped).",
            ),
        ] = None,
        fields: Annotated[
            str | None,
            typer.Option(
                "--fields",
                metavar="A,B…",
                help="Comma-separated fields/columns to show; an unknown name is an error.",
            ),
        ] = None,
        query: Annotated[
            str | None,
            typer.Option(
                "--query",
                metavar="EXPR",
                help="JMESPath expression applied to the data shown (after --fields), e.g. "
                "\"[?status=='active'].workZoneLabel\".",
            ),
        ] = None,
        no_pager: Annotated[
            bool,
            typer.Option(
                "--no-pager", help="Never page long output (else OFSC_PAGER, PAGER or less -FRX)."
            ),
        ] = False,
        debug: Annotated[
            bool, typer.Option("--debug", help="Tracebacks and HTTP dumps (secrets masked).")
        ] = False,
        verbose: Annotated[
            int,
            typer.Option(
                "--verbose",
                "-v",
                count=True,
                show_default=False,
                help="Log requests to stderr (-v info, -vv debug).",
            ),
        ] = 0,
        log_level: Annotated[
            str | None,
            typer.Option(
                "--log-level",
                metavar="LEVEL",
                help="Log the library's events to stderr (or --log-file) from this level:"
                " debug, info, warning or error (-v is info, -vv debug).",
            ),
        ] = None,
        log_format: Annotated[
            str | None,
            typer.Option(
                "--log-format",
                metavar="FORMAT",
                help="text (default) or json: one JSON object per log line.",
            ),
        ] = None,
        log_file: Annotated[
            str | None,
            typer.Option(
                "--log-file", metavar="PATH", help="Append log lines to this file, not stderr."
            ),
        ] = None,
        audit_log: Annotated[
            str | None,
            typer.Option(
                "--audit-log",
                metavar="PATH",
                help="Append one JSON line per write request to this file (profile key audit_log).",
            ),
        ] = None,
        quiet: Annotated[
            bool, typer.Option("--quiet", "-q", help="No hints or progress on stderr.")
        ] = False,
        no_color: Annotated[
            bool, typer.Option("--no-color", help="No colour (also NO_COLOR).")
        ] = False,
        timeout: Annotated[
            float | None,
            typer.Option(
                "--timeout",
                callback=_timeout_callback,
                metavar="SECONDS",
                help="Read timeout in seconds.",
            ),
        ] = None,
        version: Annotated[
            bool,
            typer.Option(
                "--version", callback=_version_callback, is_eager=True, help="Show the version."
            ),
        ] = False,
    ) -> None:
        existing = ctx.obj if isinstance(ctx.obj, AppContext) else None
        obj = existing or AppContext()
        obj.profile = profile if profile is not None else obj.profile
        obj.output = output if output is not None else obj.output
        if fields is not None:
            obj.fields = [f.strip() for f in fields.split(",") if f.strip()]
        obj.debug = obj.debug or debug
        obj.verbose = max(obj.verbose, verbose)
        obj.quiet = obj.quiet or quiet
        obj.log_level = log_level if log_level is not None else obj.log_level
        obj.log_format = log_format if log_format is not None else obj.log_format
        obj.log_file = log_file if log_file is not None else obj.log_file
        obj.audit_log = audit_log if audit_log is not None else obj.audit_log
        obj.no_color = obj.no_color or no_color
        obj.timeout = timeout if timeout is not None else obj.timeout
        obj.no_pager = obj.no_pager or no_pager
        if query is not None:
            from ofsc_cli.output.query import QueryError, compile_query

            try:
                compile_query(query)  # a syntax error is refused before anything is sent
            except QueryError as exc:
                raise UsageError(str(exc)) from None
            obj.query = query
        if obj.output is not None:
            try:
                obj.format()
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="'--output'") from None
        if obj.verbose or obj.debug or obj.log_level or obj.log_format or obj.log_file:
            from ofsc_cli.cli._logging import configure_logging

            ctx.call_on_close(configure_logging(obj).close)  # (after obj.close: last in, first out)
        ctx.obj = obj
        ctx.call_on_close(obj.close)

    return app
