"""Plugins: command groups, middleware, validators and response processors from other
distributions, found through two entry-point groups.

``ofsc_cli.commands``
    One entry per command group: ``group-name = "package.module:app"``.  The target is a
    ``typer.Typer``, a click command or group, or an :class:`ofsc_cli.cli.declare.Group`
    (built with :func:`~ofsc_cli.cli.declare.build` or not).  The group is known by its
    entry-point *name*: ``ofsc --help`` lists it and ``ofsc group-name …`` imports only its
    module.  A name that is a built-in group (``core``, ``metadata`` …) is refused with a
    warning; so is a name another plugin took first.

``ofsc_cli.plugins``
    One entry per plugin: ``name = "package.module:register"`` (``"package.module"`` alone
    means its ``register``).  ``register(plugin)`` gets a :class:`PluginContext` and calls
    :meth:`~PluginContext.add_middleware`, :meth:`~PluginContext.add_validator` and
    :meth:`~PluginContext.add_response_processor`.  These plugins are imported when the CLI
    builds its first client (not by ``--version``, ``--help``, ``config`` or ``sandbox``
    commands), once per process.

A plugin's distribution declares both in its ``pyproject.toml``::

    [project.entry-points."ofsc_cli.plugins"]
    team-policy = "team_policy:register"

    [project.entry-points."ofsc_cli.commands"]
    team = "team_policy.cli:app"

and ``team_policy/__init__.py`` holds the registration::

    def stamp():  # called once for each client: give each one its own state
        def middleware(request, call_next):
            request.headers["X-Team"] = "dispatch"
            return call_next(request)

        return middleware

    def no_blank_names(operation, body):
        if not str(body.get("workZoneName", "")).strip():
            raise ValueError("workZoneName must not be blank")

    def register(plugin):
        plugin.add_middleware(stamp)
        plugin.add_validator("POST /rest/ofscMetadata/v1/workZones", no_blank_names)

Middleware (see :mod:`ofsc_cli.client.middleware`) is a callable ``(request, call_next) ->
response``; give it a ``handle_async`` method (an ``async`` twin) to serve
:class:`~ofsc_cli.AsyncOFSC` clients as well.  A factory whose middleware does not suit the
client being built is skipped with a warning.  Plugin middleware is the outermost user
middleware, in the order the plugins are found, before (outside) a profile's
``middleware`` key and the middleware passed in Python.  Validators and processors go to
:mod:`ofsc_cli.client.extensions` (``register_validator`` / ``register_response_processor``:
see there): a target is an operation key (``"POST /rest/ofscMetadata/v1/workZones"``, or
the catalog's operation id) or a model class; they apply to every client of the process
from the moment the plugin loads.  A string target keeps loading cheap: a model class means
importing its models module in every command that builds a client.

Failures never stop the CLI: a plugin that cannot be imported, whose ``register`` raises, or
whose command group cannot be loaded gives one warning line (``ofsc: warning: plugin NAME
(DIST VERSION) failed to load: …``) and the command goes on without it; what a failed
``register`` had added is taken back.  ``ofsc plugins list`` shows every plugin, its kinds,
distribution, version and status.

``OFSC_NO_PLUGINS=1`` (any value but empty, ``0``, ``false``, ``no``, ``off``) turns all of
this off: nothing is imported, no plugin group is listed.

In Python, :meth:`OFSC.from_profile <ofsc_cli.client.OFSC.from_profile>` loads plugins only
when asked, ``OFSC.from_profile("prod", plugins=True)``; a failure is then a
:class:`PluginWarning` (a Python warning) rather than a line on stderr.  Clients built
directly (``OFSC(...)``) never load plugins.

Cost: finding entry points reads the ``entry_points.txt`` of each distribution on
``sys.path`` (what pip installs: ``*.dist-info``/``*.egg-info`` directories) without
importing :mod:`importlib.metadata` (which alone takes tens of milliseconds to import), and
only when needed: for ``--help``, shell completion, a group name that is not built-in, and
the first client of a command.  ``--version`` and built-in commands that build no client
never look.  Zip files on ``sys.path`` are read through :mod:`importlib.metadata`.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "COMMANDS_GROUP",
    "DISABLE_VARIABLE",
    "KINDS",
    "PLUGINS_GROUP",
    "PluginContext",
    "PluginEntry",
    "PluginStatus",
    "PluginWarning",
    "discover",
    "entries",
    "error_text",
    "failure_message",
    "load_plugins",
    "plugin_middleware",
    "plugins_disabled",
]

PLUGINS_GROUP = "ofsc_cli.plugins"
"""The entry-point group of ``register`` functions (middleware, validators, processors)."""
COMMANDS_GROUP = "ofsc_cli.commands"
"""The entry-point group of command groups (``group-name = "package.module:app"``)."""
DISABLE_VARIABLE = "OFSC_NO_PLUGINS"
"""The environment variable that turns plugin loading off."""
KINDS = ("commands", "middleware", "validators", "processors")
"""What a plugin may add, in the order ``ofsc plugins list`` shows them."""

_GROUPS = (PLUGINS_GROUP, COMMANDS_GROUP)
_FALSE = frozenset({"", "0", "false", "no", "off"})
_MAX_REASON = 300


class PluginWarning(UserWarning):
    """A plugin could not be loaded or used (library callers; the CLI prints one line)."""


def plugins_disabled() -> bool:
    """Returns whether ``OFSC_NO_PLUGINS`` turns plugins off (any value but empty, 0,
    false, no, off)."""
    return os.environ.get(DISABLE_VARIABLE, "").strip().lower() not in _FALSE


class PluginEntry:
    """One entry point of :data:`PLUGINS_GROUP` or :data:`COMMANDS_GROUP`, as declared by
    its distribution (nothing of the plugin is imported to know it).

    ``group`` is the entry-point group, ``name`` the entry's name, ``value``
    ``"package.module:attribute"`` (the attribute may be dotted, or left out),
    ``distribution`` and ``version`` those of the distribution declaring it, ``summary``
    its one-line ``Summary``.  Compared by value.  (A plain
    class: ``ofsc --help`` makes this module's classes, and a dataclass costs a millisecond
    to make.)"""

    __slots__ = ("distribution", "group", "name", "summary", "value", "version")

    def __init__(
        self,
        group: str,
        name: str,
        value: str,
        distribution: str,
        version: str,
        summary: str = "",
    ) -> None:
        self.group = group
        self.name = name
        self.value = value
        self.distribution = distribution
        self.version = version
        self.summary = summary

    def _key(self) -> tuple[str, ...]:
        return (self.group, self.name, self.value, self.distribution, self.version)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PluginEntry) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"PluginEntry({self.group!r}, {self.name!r}, {self.value!r}, {self.label!r})"

    @property
    def label(self) -> str:
        """``NAME (DIST VERSION)``, as warnings name the plugin."""
        return f"{self.name} ({self.distribution} {self.version})"

    def load(self, default: str | None = None) -> Any:
        """Import the module and return the attribute the entry names (``default`` when it
        names the module only).

        Raises whatever importing the module raises, :class:`AttributeError` when the
        attribute is missing, and :class:`ValueError` for a malformed value."""
        import importlib

        reference = self.value.split("[", 1)[0].strip()  # extras do not matter here
        module_name, _, attr = reference.partition(":")
        module_name, attr = module_name.strip(), attr.strip() or (default or "")
        if not module_name:
            raise ValueError(f"entry point {self.name} = {self.value!r}: no module")
        target: Any = importlib.import_module(module_name)
        for part in attr.split(".") if attr else ():
            try:
                target = getattr(target, part)
            except AttributeError:
                raise AttributeError(f"{module_name} has no attribute {attr}") from None
        return target


def failure_message(entry: PluginEntry, error: BaseException | str) -> str:
    """Returns ``plugin NAME (DIST VERSION) failed to load: REASON`` on one line, for the
    plugin of ``entry`` and the exception (or text) ``error``."""
    return f"plugin {entry.label} failed to load: {error_text(error)}"


def error_text(error: BaseException | str) -> str:
    """Returns ``error`` (an exception: its type and message; or a text) on one line, at
    most 300 characters."""
    if isinstance(error, BaseException):
        text = str(error).strip()
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    else:
        text = error
    line = " ".join(text.split())  # one line, whatever the exception held
    return line if len(line) <= _MAX_REASON else line[: _MAX_REASON - 1] + "…"


# -- discovery ----------------------------------------------------------------------------

_discovered: dict[str, tuple[PluginEntry, ...]] | None = None
_discover_lock = threading.Lock()


def entries(group: str) -> tuple[PluginEntry, ...]:
    """Returns the entry points of ``group`` on ``sys.path`` (read once per process), or
    none when :func:`plugins_disabled`."""
    if plugins_disabled():
        return ()
    global _discovered
    with _discover_lock:
        if _discovered is None:
            _discovered = discover()
        return _discovered.get(group, ())


def discover(path: Sequence[str] | None = None) -> dict[str, tuple[PluginEntry, ...]]:
    """Returns the entry points of both plugin groups (a tuple per group name) declared by
    the distributions on ``path`` (default ``sys.path``), in path order; of two
    distributions of the same name the first wins, as for
    :func:`importlib.metadata.distributions`.  Unreadable entries are skipped (discovery
    never fails)."""
    found: dict[str, list[PluginEntry]] = {group: [] for group in _GROUPS}
    seen: set[str] = set()
    for entry in sys.path if path is None else path:
        directory = entry or "."
        try:
            names = os.listdir(directory)
        except NotADirectoryError:
            _discover_archive(directory, seen, found)
            continue
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                metadata_file = "METADATA"
            elif name.endswith(".egg-info"):
                metadata_file = "PKG-INFO"
            else:
                continue
            key = _normalized(name.rpartition(".")[0].split("-", 1)[0])
            if key in seen:
                continue
            seen.add(key)
            where = os.path.join(directory, name)
            text = _read(os.path.join(where, "entry_points.txt"))
            if text is None or "[ofsc_cli." not in text:
                continue
            declared = _parse_entry_points(text)
            if not declared:
                continue
            dist, version, summary = _headers(_read(os.path.join(where, metadata_file)) or "")
            for group, ep_name, value in declared:
                found[group].append(
                    PluginEntry(group, ep_name, value, dist or key, version or "?", summary)
                )
    return {group: tuple(items) for group, items in found.items()}


def _discover_archive(archive: str, seen: set[str], found: dict[str, list[PluginEntry]]) -> None:
    """Distributions inside a zip file on the path, through :mod:`importlib.metadata`."""
    import importlib.metadata

    try:
        distributions = list(importlib.metadata.distributions(path=[archive]))
    except Exception:  # not a zip, or an unreadable one: nothing to find there
        return
    for dist in distributions:
        name = str(dist.metadata["Name"] or "")
        key = _normalized(name)
        if not key or key in seen:
            continue
        seen.add(key)
        for ep in dist.entry_points:
            if ep.group in found:
                found[ep.group].append(
                    PluginEntry(
                        ep.group,
                        ep.name,
                        ep.value,
                        name,
                        str(dist.version or "?"),
                        str(dist.metadata["Summary"] or ""),
                    )
                )


def _normalized(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _parse_entry_points(text: str) -> list[tuple[str, str, str]]:
    """``(group, name, value)`` of the plugin groups in an ``entry_points.txt`` (INI:
    ``[group]`` then ``name = value`` lines; ``#``/``;`` comments)."""
    declared: list[tuple[str, str, str]] = []
    section: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section in _GROUPS and "=" in line:
            name, _, value = line.partition("=")
            if name.strip() and value.strip():
                declared.append((section, name.strip(), value.strip()))
    return declared


def _headers(text: str) -> tuple[str, str, str]:
    """``Name``, ``Version`` and ``Summary`` from the header block of a metadata file."""
    values = {"name": "", "version": "", "summary": ""}
    for line in text.splitlines():
        if not line.strip():
            break  # the body (the long description) follows the first blank line
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in values and not values[key.strip().lower()]:
            values[key.strip().lower()] = value.strip()
    return values["name"], values["version"], values["summary"]


# -- registration --------------------------------------------------------------------------


class PluginContext:
    """What a plugin's ``register(plugin)`` receives: ways to add middleware, validators and
    response processors.  Made by ofsc from the plugin's ``entry``; ``name``,
    ``distribution`` and ``version`` say which plugin it is, ``kinds`` what it added.
    """

    def __init__(self, entry: PluginEntry) -> None:
        self.entry = entry
        self.name = entry.name
        self.distribution = entry.distribution
        self.version = entry.version
        self.kinds: list[str] = []
        self.middleware: list[Callable[[], Any]] = []
        self._undo: list[Callable[[], Any]] = []

    def _kind(self, kind: str) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)

    def add_middleware(self, factory: Callable[[], Any]) -> None:
        """Add a middleware: ``factory()`` is called once for each client built and returns
        a middleware ``(request, call_next) -> response`` (with a ``handle_async`` method
        for async clients).  Raises :class:`TypeError` when ``factory`` is not callable."""
        if not callable(factory):
            raise TypeError(f"add_middleware takes a factory, not {type(factory).__name__}")
        self.middleware.append(factory)
        self._kind("middleware")

    def add_validator(self, target: type[Any] | str, validator: Callable[[str, Any], Any]) -> None:
        """Check the JSON bodies of ``target`` (an operation key or a model class) before
        they are sent: ``validator(operation_key, body)`` raises :class:`ValueError` to
        refuse one, and nothing is sent.  Raises what
        :func:`ofsc_cli.client.extensions.register_validator` raises (``ValueError`` for an
        unknown operation, ``TypeError`` for a bad target or validator)."""
        from ofsc_cli.client.extensions import register_validator

        self._undo.append(register_validator(target, validator))
        self._kind("validators")

    def add_response_processor(
        self, target: type[Any] | str, processor: Callable[[str, Any], Any]
    ) -> None:
        """Pass the results of ``target`` (an operation key or a model class) through
        ``processor(operation_key, result)``, which returns the result to use (``None``: the
        one it got).  Raises what
        :func:`ofsc_cli.client.extensions.register_response_processor` raises for a bad
        target or processor."""
        from ofsc_cli.client.extensions import register_response_processor

        self._undo.append(register_response_processor(target, processor))
        self._kind("processors")

    def _rollback(self) -> None:
        import contextlib

        for undo in reversed(self._undo):
            with contextlib.suppress(Exception):  # taking back must not fail in turn
                undo()
        self._undo.clear()
        self.middleware.clear()


class PluginStatus:
    """One plugin of :data:`PLUGINS_GROUP` after loading: its ``entry``, the ``kinds`` it
    added (``middleware``, ``validators``, ``processors``), the reason it failed
    (``error``, or ``None``) and its ``middleware`` factories."""

    __slots__ = ("entry", "error", "kinds", "middleware")

    def __init__(
        self,
        entry: PluginEntry,
        kinds: tuple[str, ...] = (),
        error: str | None = None,
        middleware: tuple[Callable[[], Any], ...] = (),
    ) -> None:
        self.entry = entry
        self.kinds = kinds
        self.error = error
        self.middleware = middleware

    def __repr__(self) -> str:
        return f"PluginStatus({self.entry.label!r}, {self.kinds!r}, {self.status!r})"

    @property
    def ok(self) -> bool:
        """Whether the plugin loaded and registered."""
        return self.error is None

    @property
    def status(self) -> str:
        """``ok`` or ``failed: REASON``."""
        return "ok" if self.error is None else f"failed: {self.error}"


_loaded: tuple[PluginStatus, ...] | None = None
_load_lock = threading.RLock()
_warned: set[str] = set()
_undo: list[Callable[[], Any]] = []


def load_plugins(*, warn: bool = True) -> tuple[PluginStatus, ...]:
    """Import and register every plugin of :data:`PLUGINS_GROUP`, once per process (later
    calls return the same statuses); none when :func:`plugins_disabled`.

    A plugin that fails is left out, what it registered taken back, and (with ``warn``) a
    :class:`PluginWarning` is issued once: :func:`failure_message`.  Never raises for a
    plugin's failure."""
    global _loaded
    if plugins_disabled():
        return ()
    with _load_lock:
        if _loaded is None:
            _loaded = tuple(_load(entry) for entry in entries(PLUGINS_GROUP))
        statuses = _loaded
    if warn:
        for status in statuses:
            if status.error is not None:
                _warn_once(f"plugin {status.entry.label} failed to load: {status.error}")
    return statuses


def _load(entry: PluginEntry) -> PluginStatus:
    plugin = PluginContext(entry)
    try:
        register = entry.load(default="register")
        if not callable(register):
            raise TypeError(f"{entry.value} is not callable")
        register(plugin)
    except Exception as exc:  # a plugin's failure is reported, never raised
        plugin._rollback()
        return PluginStatus(entry, tuple(plugin.kinds), error_text(exc))
    _undo.extend(plugin._undo)
    return PluginStatus(entry, tuple(plugin.kinds), None, tuple(plugin.middleware))


def plugin_middleware(*, asynchronous: bool) -> list[Any]:
    """Returns fresh middleware from every loaded plugin's factories (loading the plugins
    first, see :func:`load_plugins`), for one client: an async one when ``asynchronous``.

    A factory that raises, or whose middleware does not suit the client, is skipped with a
    :class:`PluginWarning` (once per message)."""
    from ofsc_cli.client.middleware import async_layers, sync_layers
    from ofsc_cli.errors import OFSConfigurationError

    check = async_layers if asynchronous else sync_layers
    made: list[Any] = []
    for status in load_plugins():
        for factory in status.middleware:
            where = f"plugin {status.entry.label}: middleware factory {_named(factory)}()"
            try:
                middleware = factory()
            except Exception as exc:  # the factory itself failed
                _warn_once(f"{where} failed: {error_text(exc)}; skipped")
                continue
            if isinstance(middleware, str) or not callable(middleware):
                kind = type(middleware).__name__
                _warn_once(f"{where} returned {kind}, not a middleware; skipped")
                continue
            try:
                check([middleware])
            except OFSConfigurationError as exc:  # a sync middleware for an async client…
                _warn_once(f"plugin {status.entry.label}: {error_text(str(exc))}; skipped")
                continue
            made.append(middleware)
    return made


def _named(fn: Any) -> str:
    return str(getattr(fn, "__qualname__", None) or type(fn).__qualname__)


def _warn_once(message: str) -> None:
    if message in _warned:
        return
    _warned.add(message)
    warnings.warn(message, PluginWarning, stacklevel=3)


def _reset() -> None:
    """Forget what was discovered and loaded, taking back the validators and processors
    the plugins registered (tests)."""
    global _discovered, _loaded
    with _load_lock:
        for undo in reversed(_undo):
            undo()
        _undo.clear()
        _discovered = None
        _loaded = None
        _warned.clear()
