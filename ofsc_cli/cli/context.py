"""The per-invocation application context: global options plus lazy settings, clients and
output.  The root callback stores one in ``ctx.obj``; commands take it with :func:`app`.

Nothing is resolved until a command asks for it, so ``--help`` and ``config`` commands work
without credentials.  Tests build one directly with a custom client factory and streams.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, TextIO, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from ofsc_cli.cli._logging import LogSetup
    from ofsc_cli.client import OFSC, AsyncOFSC, RetryNotice
    from ofsc_cli.config import ResolvedSettings
    from ofsc_cli.output import OutputFormat, Pager, Renderer

__all__ = ["AppContext", "app"]

C = TypeVar("C")


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class AppContext:
    profile: str | None = None
    output: str | None = None
    fields: list[str] | None = None
    query: str | None = None
    no_pager: bool = False
    debug: bool = False
    verbose: int = 0
    quiet: bool = False
    log_level: str | None = None
    log_format: str | None = None
    log_file: str | None = None
    audit_log: str | None = None
    no_color: bool = False
    timeout: float | None = None
    stdout_stream: TextIO | None = None
    stderr_stream: TextIO | None = None
    stdout_is_tty: bool | None = None
    stderr_is_tty: bool | None = None
    client_factory: Callable[[AppContext], OFSC] | None = None
    async_client_factory: Callable[[AppContext], AsyncOFSC] | None = None
    _settings: ResolvedSettings | None = field(default=None, repr=False)
    _client: OFSC | None = field(default=None, repr=False)
    _err_console: Console | None = field(default=None, repr=False)
    _warned: set[str] = field(default_factory=set, repr=False)
    data_written: bool = field(default=False, repr=False)
    """Set once a renderer has written to stdout (see :mod:`ofsc_cli.cli._fallback`)."""
    log_setup: LogSetup | None = field(default=None, repr=False)
    """The log the global options installed (see :mod:`ofsc_cli.cli._logging`), if any."""

    def __post_init__(self) -> None:
        import os

        if os.environ.get("NO_COLOR"):
            self.no_color = True

    # Streams are looked up when used (not when the context is made), so that a test
    # runner that swaps sys.stdout/sys.stderr captures everything.
    @property
    def stdout(self) -> TextIO:
        return self.stdout_stream or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self.stderr_stream or sys.stderr

    @property
    def stdout_tty(self) -> bool:
        return _isatty(self.stdout) if self.stdout_is_tty is None else self.stdout_is_tty

    @property
    def stderr_tty(self) -> bool:
        return _isatty(self.stderr) if self.stderr_is_tty is None else self.stderr_is_tty

    # -- settings and clients -----------------------------------------------------------

    def overrides(self) -> dict[str, Any]:
        """Settings given by global options, which win over the environment and profile."""
        given = {"timeout": self.timeout, "audit_log": self.audit_log}
        return {key: value for key, value in given.items() if value is not None}

    def settings(self) -> ResolvedSettings:
        if self._settings is None:
            from ofsc_cli.config import resolve_settings

            self._settings = resolve_settings(profile=self.profile, overrides=self.overrides())
        return self._settings

    @property
    def profile_name(self) -> str | None:
        """The resolved profile name, or the requested one if resolution failed."""
        if self._settings is not None:
            return self._settings.profile_name
        return self.profile

    def client(self) -> OFSC:
        """The sync client for the current profile (built once, closed at exit)."""
        if self._client is None:
            if self.client_factory is not None:
                self._client = self.client_factory(self)
            else:
                from ofsc_cli.client import OFSC
                from ofsc_cli.factory import options_from_settings

                self._client = self.build_client(
                    lambda: OFSC(
                        **options_from_settings(
                            self.settings(),
                            asynchronous=False,
                            plugins=True,
                        )
                    )
                )
        return self._client

    def async_client(self) -> AsyncOFSC:
        """A new async client for the current profile (the caller closes it)."""
        if self.async_client_factory is not None:
            return self.async_client_factory(self)
        from ofsc_cli.client import AsyncOFSC
        from ofsc_cli.factory import options_from_settings

        return self.build_client(
            lambda: AsyncOFSC(
                **options_from_settings(
                    self.settings(),
                    asynchronous=True,
                    plugins=True,
                )
            )
        )

    def build_client(self, make: Callable[[], C]) -> C:
        """``make()``, with the library's transport warnings (TLS verification turned off)
        and plugin warnings (:mod:`ofsc_cli.plugins`: a plugin that failed to load) shown as
        one ``ofsc: warning:`` line each, once per invocation; so are the audit log's (an
        open file mode now, a line it could not write later: ``client.audit.on_error``)."""
        import warnings

        from ofsc_cli.errors import OFSAuditWarning, OFSInsecureTransportWarning
        from ofsc_cli.plugins import PluginWarning

        shown = (OFSInsecureTransportWarning, PluginWarning, OFSAuditWarning)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OFSInsecureTransportWarning)
            warnings.simplefilter("always", PluginWarning)
            warnings.simplefilter("always", OFSAuditWarning)
            client = make()
        audit = getattr(client, "audit", None)
        if audit is not None:
            audit.on_error = self.warn
        for warning in caught:
            if not issubclass(warning.category, shown):
                warnings.showwarning(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
            elif str(warning.message) not in self._warned:
                self._warned.add(str(warning.message))
                self.warn(str(warning.message))
        return client

    @property
    def auth_method(self) -> str | None:
        if self._client is not None:
            return self._client.auth_method
        if self._settings is not None:
            return str(self._settings.values.auth)
        return None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- output -------------------------------------------------------------------------

    def format(self) -> OutputFormat:
        """The output format: ``-o``, else ``OFSC_OUTPUT``, else the profile's ``output``
        key, else a table on a terminal and JSON when piped."""
        from ofsc_cli.output import resolve_format

        return resolve_format(self.output_choice(), stdout_is_tty=self.stdout_tty)

    def output_choice(self) -> str | None:
        """The format asked for (flag > env > profile), or ``None`` for the built-in choice.

        A profile that cannot be resolved (none configured, a ``config`` command fixing it)
        does not stop output: the built-in choice is used and the command reports the rest.
        """
        import os

        from ofsc_cli.errors import OFSConfigurationError

        if self.output is not None:
            return self.output
        env = os.environ.get("OFSC_OUTPUT", "").strip()
        if env:
            from ofsc_cli.output import resolve_format

            try:
                resolve_format(env, stdout_is_tty=False)
            except ValueError as exc:
                raise OFSConfigurationError(f"environment: OFSC_OUTPUT: {exc}") from None
            return env
        try:
            return self.settings().values.output
        except OFSConfigurationError:
            return None

    def terminal_height(self) -> int | None:
        """Rows of the terminal stdout is on (``LINES`` wins), or ``None`` when piped."""
        if not self.stdout_tty:
            return None
        import shutil

        return shutil.get_terminal_size().lines

    def pager(self) -> Pager | None:
        """The pager for long output: only on a terminal, without ``--no-pager``, and when
        ``OFSC_PAGER``/``PAGER`` (or ``less`` on the ``PATH``) names one."""
        height = self.terminal_height()
        if self.no_pager or height is None:
            return None
        from ofsc_cli.output import Pager, pager_command

        command = pager_command()
        if command is None:
            return None

        def started() -> None:
            self.data_written = True

        return Pager(command, height, on_start=started)

    def check_fields(self, model: Any) -> None:
        """Refuse ``--fields`` names that are not fields of ``model`` before anything is
        sent (exit 2, listing the valid names). Only a closed model can tell: one that allows
        extra keys (every OFS object model: custom properties) is checked on the answer
        instead, by the renderer."""
        if not self.fields or model is None:
            return
        from ofsc_cli.output.fields import (
            field_names,
            is_closed_model,
            unknown_fields,
            unknown_fields_message,
        )

        if not is_closed_model(model):
            return
        valid = field_names(model)
        unknown = unknown_fields(self.fields, valid)
        if unknown:
            from ofsc_cli.cli.errors import UsageError

            raise UsageError(unknown_fields_message(unknown, valid))

    def renderer(
        self,
        columns: Sequence[str] | None = None,
        *,
        title: str | None = None,
        model: Any = None,
    ) -> Renderer:
        """The renderer of this command's data; ``model`` (a pydantic model class of one
        item) lets ``--fields`` be judged by the item type as well as by the answer."""
        from ofsc_cli.cli._fallback import tracked
        from ofsc_cli.output import Renderer

        return Renderer(
            self.format(),
            tracked(self.stdout, self),
            fields=self.fields,
            columns=columns,
            is_tty=self.stdout_tty,
            color=not self.no_color,
            title=title,
            model=model,
            query=self.query,
            pager=self.pager(),
            notice=lambda note: self.info(f"ofsc: {note}"),
        )

    @property
    def err(self) -> Console:
        if self._err_console is None:
            from rich.console import Console

            self._err_console = Console(
                file=self.stderr,
                no_color=self.no_color,
                force_terminal=self.stderr_tty and not self.no_color,
                highlight=False,
                soft_wrap=True,
            )
        return self._err_console

    @property
    def interactive(self) -> bool:
        return self.stderr_tty and _isatty(sys.stdin)

    @property
    def show_progress(self) -> bool:
        return self.stderr_tty and not self.quiet

    def info(self, message: str) -> None:
        """A note for humans on stderr (suppressed by --quiet; a JSON line when the log
        writes JSON lines on stderr)."""
        if self.quiet:
            return
        if self.log_setup is not None and self.log_setup.json_on_stderr:
            import logging

            self.log_setup.note(logging.INFO, message)
        else:
            self.stderr.write(message + "\n")
            self.stderr.flush()

    def retry_notice(self, notice: RetryNotice) -> None:
        """A client's ``on_retry``: one line on stderr per retry (suppressed by --quiet, and
        left to the log when the log shows retries on stderr)."""
        if self.log_setup is not None and self.log_setup.shows_retries:
            return
        self.info(f"ofsc: {notice}")

    def log(self, message: str) -> None:
        """A debug line on stderr (a JSON line when the log writes JSON lines on stderr)."""
        if self.log_setup is not None and self.log_setup.json_on_stderr:
            import logging

            self.log_setup.note(logging.DEBUG, message, event="debug")
            return
        self.stderr.write(message + "\n")
        self.stderr.flush()

    def warn(self, message: str) -> None:
        """``ofsc: warning: message`` on stderr (a JSON line when the log writes JSON lines
        on stderr)."""
        if self.log_setup is not None and self.log_setup.json_on_stderr:
            import logging

            self.log_setup.note(logging.WARNING, message, event="warning")
            return
        self.stderr.write(f"ofsc: warning: {message}\n")
        self.stderr.flush()


def app(ctx: typer.Context) -> AppContext:
    """The :class:`AppContext` of the running command."""
    root = ctx.find_root()
    obj = root.obj
    if not isinstance(obj, AppContext):
        obj = AppContext()
        root.obj = obj
    return obj
