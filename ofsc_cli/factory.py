"""The composition root: client options from resolved settings (profiles, environment, flags).

This is the one module that wires the layers together: it may import :mod:`ofsc_cli.client`,
:mod:`ofsc_cli.config` and :mod:`ofsc_cli.sandbox`, and nothing below it imports it at module
level.  The client package knows nothing of profiles or the emulator; the only edge from the
client into this module is the function-level import in
:meth:`OFSC.from_profile <ofsc_cli.client.OFSC.from_profile>` /
:meth:`AsyncOFSC.from_profile <ofsc_cli.client.AsyncOFSC.from_profile>`, kept so that library
users can still write ``OFSC.from_profile("prod")`` (the import-rule test allows exactly those
two imports).

An ``emulator = true`` profile (the built-in ``sandbox``) gets an in-process transport into
the embedded emulator: no socket, no network.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ofsc_cli.config import ResolvedSettings

__all__ = [
    "Emulator",
    "EmulatorConfig",
    "Faults",
    "Store",
    "client_options",
    "default_db_path",
    "emulated_operations",
    "options_from_settings",
    "run_forever",
    "token_cache_key",
]


def token_cache_key(settings: ResolvedSettings) -> str:
    """Returns the key of the cached token of the profile of ``settings``, as the client's
    auth computes it from the profile name (its label): the profile, auth method, client
    id, instance, base URL and token endpoint
    (:func:`~ofsc_cli.client.token_cache.scoped_token_key`), so a change of any of them
    fetches a new token.  ``ofsc auth logout`` deletes this entry."""
    import httpx

    from ofsc_cli.client.auth import token_url_for
    from ofsc_cli.client.token_cache import scoped_token_key

    v = settings.values
    base_url = settings.base_url
    return scoped_token_key(
        settings.profile_name,
        auth=v.auth,
        client_id=v.client_id or "",
        # As the client derives it when only a base URL is set.
        instance=v.instance or httpx.URL(base_url).host.split(".")[0],
        base_url=base_url,
        token_url=token_url_for(base_url),
    )


def options_from_settings(
    settings: ResolvedSettings,
    *,
    asynchronous: bool,
    plugins: bool = False,
) -> dict[str, Any]:
    """Returns the keyword arguments for :class:`~ofsc_cli.client.OFSC` /
    :class:`~ofsc_cli.client.AsyncOFSC` built from ``settings``.

    ``plugins``: load the installed plugins (:mod:`ofsc_cli.plugins`, once per process) and
    put their middleware first, outside the profile's ``middleware`` key.  The CLI asks for
    them for every client it builds; library callers only with ``from_profile(...,
    plugins=True)``.  A plugin that fails is a :class:`~ofsc_cli.plugins.PluginWarning`,
    never an error.

    A profile with ``token_cache`` (OAuth2 only) gets the on-disk token cache; an emulator
    profile gets an in-process transport into the embedded emulator (``asynchronous`` is
    accepted for symmetry: both clients take the same options).

    Raises :class:`~ofsc_cli.errors.OFSConfigurationError` when the settings cannot connect
    (no instance or base URL, missing credentials).
    """
    settings.validate_for_connection()
    v = settings.values
    options: dict[str, Any] = {
        "instance": v.instance,
        "client_id": v.client_id,
        "client_secret": settings.secret(),
        "base_url": settings.base_url,
        "auth": v.auth,
        "timeout": v.timeout,
        "connect_timeout": v.connect_timeout,
        "max_retries": v.max_retries,
        "max_retry_delay": v.max_retry_delay,
        "retry_backoff": v.retry_backoff,
        "circuit_failure_threshold": v.circuit_failure_threshold,
        "circuit_reset_timeout": v.circuit_reset_timeout,
        "http2": v.http2,
        "max_connections": v.max_connections,
        "max_keepalive_connections": v.max_keepalive_connections,
        "keepalive_expiry": v.keepalive_expiry,
        "verify": v.verify_ssl,
        "ca_bundle": os.path.expanduser(v.ca_bundle) if v.ca_bundle else None,
        "proxy": v.proxy,
        "allow_insecure_http": v.allow_insecure_http,
        "validate": v.validate_requests,
        "profile": settings.profile_name,
    }
    if v.audit_log:
        options["audit_log"] = os.path.expanduser(v.audit_log)
    if v.token_cache and v.auth == "oauth2":
        from ofsc_cli.client.token_cache import TokenCache, default_token_cache_dir

        options["token_cache"] = TokenCache(default_token_cache_dir())
        options["token_cache_key"] = settings.profile_name  # scoped by the auth (see above)
    if v.emulator:
        from ofsc_cli.sandbox import EmulatorTransport, open_emulator

        options["transport"] = EmulatorTransport(open_emulator(v.sandbox_db))
    middleware: list[Any] = []
    if plugins:
        from ofsc_cli.plugins import plugin_middleware

        middleware.extend(plugin_middleware(asynchronous=asynchronous))
    if v.middleware:
        middleware.extend(_profile_middleware(settings))
    if middleware:
        options["middleware"] = middleware
    return options


def client_options(
    profile: str | None, overrides: Mapping[str, Any], *, asynchronous: bool
) -> dict[str, Any]:
    """Returns the client options for ``profile`` (or the environment's), with ``overrides``
    applied on top, for the async client when ``asynchronous``.

    ``overrides`` may hold settings (``timeout``, ``base_url`` …) and client-only objects
    (``transport``, ``event_hooks``, ``retry`` …), which bypass the settings and go to the
    client as they are.  ``plugins=True`` among them loads the installed plugins (see
    :func:`options_from_settings`; off by default for library callers).  Raises
    :class:`~ofsc_cli.errors.OFSConfigurationError` for an unknown profile or settings that
    cannot connect.
    """
    from ofsc_cli.config import resolve_settings

    plugins = bool(overrides.get("plugins", False))
    settable = {k: v for k, v in overrides.items() if k not in _CLIENT_ONLY and k != "plugins"}
    extra = {k: v for k, v in overrides.items() if k in _CLIENT_ONLY}
    settings = resolve_settings(profile=profile, overrides=settable)
    options = options_from_settings(settings, asynchronous=asynchronous, plugins=plugins)
    if "middleware" in extra:  # the profile's stay outermost, those given here inside them
        extra["middleware"] = [*options.get("middleware", ()), *extra["middleware"]]
    return {**options, **extra}


def _profile_middleware(settings: ResolvedSettings) -> list[Any]:
    """The profile's ``middleware``, each factory called once (for one client).

    Raises :class:`~ofsc_cli.errors.OFSConfigurationError` naming the profile and the key."""
    from ofsc_cli.client.middleware import load_middleware
    from ofsc_cli.errors import OFSConfigurationError

    made: list[Any] = []
    for spec in settings.values.middleware or ():
        try:
            made.append(load_middleware(spec))
        except OFSConfigurationError as exc:
            raise OFSConfigurationError(f"profile {settings.profile_name}: {exc}") from None
    return made


_CLIENT_ONLY = frozenset(
    {
        "transport",
        "event_hooks",
        "retry",
        "breakers",
        "sleep",
        "rng",
        "on_retry",
        "trust_env",
        "middleware",
        "validators",
        "response_processors",
        "tracing",  # True or a TracerProvider: an object, not a profile setting
    }
)


# --------------------------------------------------------------------------- the emulator

# The ``ofsc sandbox`` commands (serve, reset, status) and the coverage map drive the embedded
# emulator itself rather than a client: they take its parts from here, the one module that
# may know the sandbox.  Imported on first use only, so that building a client stays cheap.
if TYPE_CHECKING:
    from ofsc_cli.sandbox import Emulator as Emulator
    from ofsc_cli.sandbox import EmulatorConfig as EmulatorConfig
    from ofsc_cli.sandbox import Faults as Faults
    from ofsc_cli.sandbox import Store as Store
    from ofsc_cli.sandbox.router import emulated_operations as emulated_operations
    from ofsc_cli.sandbox.server import run_forever as run_forever
    from ofsc_cli.sandbox.store import default_db_path as default_db_path

_EMULATOR_PARTS = {
    "Emulator": "ofsc_cli.sandbox",
    "EmulatorConfig": "ofsc_cli.sandbox",
    "Faults": "ofsc_cli.sandbox",
    "Store": "ofsc_cli.sandbox",
    "emulated_operations": "ofsc_cli.sandbox.router",
    "run_forever": "ofsc_cli.sandbox.server",
    "default_db_path": "ofsc_cli.sandbox.store",
}


def __getattr__(name: str) -> Any:
    """The emulator's parts listed above, imported from the sandbox on first use.

    Raises :class:`AttributeError` for any other name.
    """
    module = _EMULATOR_PARTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
