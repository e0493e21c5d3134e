"""Profile model and settings resolution.

A setting's value comes from the first of these layers that has it:

1. command-line options (``overrides`` passed by the CLI; ``None`` means "not given"),
2. the environment (``OFSC_`` + the upper-case key, see :data:`ENV_VARS`),
3. the chosen profile of ``config.toml`` (for ``sandbox``, merged over the built-in profile),
4. the built-in ``sandbox`` profile,
5. the model defaults.

:func:`resolve_settings` returns a :class:`ResolvedSettings` holding the typed values and, for
every key, which layer supplied it.  Secrets are :class:`pydantic.SecretStr` and never appear
in ``repr``, in :meth:`ResolvedSettings.masked` or in an error message.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from ofsc_cli.errors import OFSConfigurationError

if TYPE_CHECKING:
    from pydantic_settings import BaseSettings

__all__ = [
    "BUILTIN_PROFILES",
    "ENV_VARS",
    "PROFILE_KEYS",
    "SANDBOX_PROFILE",
    "SECRET_COMMAND_TIMEOUT",
    "ConfigFile",
    "ProfileConfig",
    "ResolvedSettings",
    "Settings",
    "Source",
    "connection_problems",
    "resolve_settings",
]

Source = Literal["flag", "env", "file", "builtin", "default"]
"""Where a resolved value came from."""

SANDBOX_PROFILE = "sandbox"
SECRET_COMMAND_TIMEOUT = 30.0
"""Seconds ``client_secret_command`` may run before it is killed (with its process group)."""

OFS_HOST_SUFFIX = ".fs.ocs.oraclecloud.com"
MAX_TIMEOUT = 86400.0
"""The longest timeout accepted (a day): a larger one is a mistake, not a wait."""


class ProfileConfig(BaseModel):
    """One ``[profiles.NAME]`` table of ``config.toml``; every key is optional here.

    Whether a profile is complete enough to connect is checked later, on the merged settings
    (:func:`connection_problems`), because the environment may supply what the file lacks.
    """

    model_config = ConfigDict(extra="forbid")

    instance: str | None = Field(
        default=None, description="OFS instance name; base URL is derived from it"
    )
    client_id: str | None = Field(default=None, description="OAuth client / application ID")
    client_secret: SecretStr | None = Field(default=None, description="client secret (literal)")
    client_secret_command: str | None = Field(
        default=None, description="shell command whose first output line is the client secret"
    )
    auth: Literal["basic", "oauth2"] = Field(
        default="basic", description="basic (client credentials on every call) or oauth2"
    )
    base_url: str | None = Field(
        default=None, description="explicit API base URL; overrides the derived one"
    )
    timeout: float = Field(
        default=30.0, gt=0, le=MAX_TIMEOUT, allow_inf_nan=False, description="read timeout, seconds"
    )
    connect_timeout: float = Field(
        default=10.0,
        gt=0,
        le=MAX_TIMEOUT,
        allow_inf_nan=False,
        description="connect timeout, seconds",
    )
    max_retries: int = Field(default=3, ge=0, description="retries after a transient failure")
    max_retry_delay: float = Field(
        default=30.0, ge=0, allow_inf_nan=False, description="longest wait between retries"
    )
    retry_backoff: float = Field(
        default=0.5, ge=0, allow_inf_nan=False, description="base of the exponential backoff"
    )
    circuit_failure_threshold: int = Field(
        default=5, ge=0, description="consecutive failures that open the circuit; 0 disables"
    )
    circuit_reset_timeout: float = Field(
        default=30.0,
        ge=0,
        allow_inf_nan=False,
        description="seconds an open circuit waits before a probe",
    )
    http2: bool = Field(default=False, description="negotiate HTTP/2")
    max_connections: int = Field(default=20, ge=1, description="connection pool size")
    max_keepalive_connections: int = Field(
        default=10, ge=0, description="idle connections kept open"
    )
    keepalive_expiry: float = Field(
        default=30.0, ge=0, allow_inf_nan=False, description="idle connection lifetime"
    )
    token_cache: bool = Field(default=True, description="cache OAuth2 tokens on disk")
    allow_insecure_http: bool = Field(
        default=False, description="allow http:// to a non-loopback host"
    )
    verify_ssl: bool = Field(default=True, description="verify TLS certificates")
    ca_bundle: str | None = Field(
        default=None, description="PEM file of CA certificates to trust instead of the defaults"
    )
    proxy: str | None = Field(
        default=None, description="proxy URL for every request (else HTTPS_PROXY/NO_PROXY)"
    )
    middleware: list[str] | None = Field(
        default=None,
        description="middleware factories ('package.module:factory') run around each request",
    )
    audit_log: str | None = Field(
        default=None,
        description="file that gets one JSON line per write request (POST/PUT/PATCH/DELETE)",
    )
    emulator: bool = Field(
        default=False, description="send requests to the embedded emulator, in-process"
    )
    sandbox_db: str | None = Field(default=None, description="emulator database path")
    validate_requests: bool = Field(
        default=True,
        description="check queries and bodies against the API catalog before sending",
    )
    output: Literal["table", "json", "ndjson", "csv", "yaml"] | None = Field(
        default=None,
        description="default output format (-o wins); default: table on a terminal, json piped",
    )

    @field_validator("output", mode="before")
    @classmethod
    def _lower_output(cls, value: Any) -> Any:
        """``output = "JSON"`` means json: the format's name in any case, blanks ignored."""
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str | None) -> str | None:
        """Refuse a malformed base URL (scheme, host, port, credentials…) where it is set:
        the file, ``OFSC_BASE_URL`` or an option; the message names that key, never the value.
        Plain ``http://`` to a remote host depends on ``allow_insecure_http`` and is checked
        on the merged settings (:func:`connection_problems`)."""
        if value is None:
            return value
        from ofsc_cli.common.urls import base_url_problem

        problem = base_url_problem(value, allow_insecure_http=True)
        if problem:
            raise PydanticCustomError("base_url", problem.removeprefix("base_url "))
        return value


class Settings(ProfileConfig):
    """The fully resolved, typed settings of one profile (immutable)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ConfigFile(BaseModel):
    """The whole ``config.toml``."""

    model_config = ConfigDict(extra="forbid")

    default_profile: str | None = None
    profiles: dict[str, ProfileConfig] = Field(default_factory=dict)


PROFILE_KEYS: tuple[str, ...] = tuple(ProfileConfig.model_fields)
"""Every profile key, in declaration order."""

ENV_VARS: dict[str, str] = {
    "profile": "OFSC_PROFILE",
    "config": "OFSC_CONFIG",
    **{key: f"OFSC_{key.upper()}" for key in PROFILE_KEYS},
}
"""The one table of environment variables: setting -> variable name."""

BUILTIN_PROFILES: dict[str, dict[str, Any]] = {
    SANDBOX_PROFILE: {
        "instance": "sandbox",
        "client_id": "demo",
        "client_secret": "demo-secret",
        "auth": "basic",
        "emulator": True,
        "base_url": "https://sandbox.ofsc.invalid",
    },
}
"""Profiles that exist without any file; a file table of the same name overrides keys."""


# --------------------------------------------------------------------------- error messages


Loc = tuple[int | str, ...]


def validation_problems(exc: ValidationError, where: Callable[[Loc], tuple[str, Loc]]) -> list[str]:
    """Turn a pydantic error into one-line problems, without ever echoing the input value.

    ``where(loc)`` splits an error location into a context prefix (``"profile 'prod'"``) and
    the remaining location of the key inside that context.
    """
    problems = []
    for err in exc.errors(include_url=False, include_input=False):
        context, rest = where(tuple(err["loc"]))
        key = ".".join(str(part) for part in rest)
        if err["type"] == "extra_forbidden":
            text = f"unknown key '{key}'" + _did_you_mean(key)
        elif key:
            text = f"{key}: {err['msg']}"
        else:
            text = err["msg"]
        problems.append(f"{context}: {text}" if context else text)
    return problems


def _did_you_mean(key: str) -> str:
    """`` (did you mean 'timeout'?)`` when ``key`` looks like a misspelt known key."""
    import difflib

    known = [*PROFILE_KEYS, *ConfigFile.model_fields]
    close = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def file_location(loc: Loc) -> tuple[str, Loc]:
    """Split a :class:`ConfigFile` error location into ``profile 'NAME'`` and the key."""
    if len(loc) >= 2 and loc[0] == "profiles":
        return f"profile '{loc[1]}'", loc[2:]
    return "", loc


def _one_line(problems: list[str]) -> str:
    """The first problem, with a count of the others."""
    more = len(problems) - 1
    return problems[0] + (f" (and {more} more)" if more > 0 else "")


def config_error(problems: list[str], prefix: str = "") -> OFSConfigurationError:
    """One :class:`OFSConfigurationError` for a list of problems."""
    message = _one_line(problems)
    return OFSConfigurationError(f"{prefix}: {message}" if prefix else message)


# --------------------------------------------------------------------------- environment layer

_ENVIRON: ContextVar[Mapping[str, str]] = ContextVar("ofsc_config_environ")


@functools.cache
def _env_settings_class() -> type[BaseSettings]:
    """Build (once) the pydantic-settings model of the ``OFSC_*`` environment.

    Built lazily so that importing this module does not import pydantic-settings.  The model
    has every profile key plus ``profile`` and ``config``; only the variables present end up in
    ``model_fields_set``, which is how the env layer knows what it supplies.
    """
    from pydantic_settings import (
        BaseSettings,
        EnvSettingsSource,
        PydanticBaseSettingsSource,
        SettingsConfigDict,
    )

    class MappingEnvSource(EnvSettingsSource):
        """The env source, reading the mapping given to :func:`resolve_settings`."""

        def _load_env_vars(self) -> Mapping[str, str | None]:
            environ = _ENVIRON.get()
            if not self.case_sensitive:
                environ = {k.lower(): v for k, v in environ.items()}
            if self.env_ignore_empty:
                environ = {k: v for k, v in environ.items() if v != ""}
            return environ

    class EnvSettings(ProfileConfig, BaseSettings):
        model_config = SettingsConfigDict(
            env_prefix="OFSC_", extra="ignore", env_ignore_empty=True, case_sensitive=False
        )

        profile: str | None = None
        config: str | None = None

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return (MappingEnvSource(settings_cls),)

    return EnvSettings


@dataclass(frozen=True)
class _EnvLayer:
    values: dict[str, Any]
    profile: str | None
    config: str | None


_PLAIN_TYPES: tuple[Any, ...] = (str, int, float, bool, SecretStr, type(None))


@functools.cache
def _plain_keys() -> frozenset[str]:
    """Profile keys whose variable pydantic-settings hands to validation as the string it is:
    every key but the complex ones (a list, a mapping), whose value it decodes as JSON."""
    import types
    import typing

    plain = set()
    for key, info in ProfileConfig.model_fields.items():
        annotation = info.annotation
        union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
        members = typing.get_args(annotation) if union else (annotation,)
        if all(m in _PLAIN_TYPES or typing.get_origin(m) is Literal for m in members):
            plain.add(key)
    return frozenset(plain)


def _read_env(environ: Mapping[str, str]) -> _EnvLayer:
    """Validate the ``OFSC_*`` variables; errors name the variable, never its value.

    The variables are read as the pydantic-settings model of :func:`_validate_env` reads
    them (names case-insensitive, the last of two spellings winning, empty values ignored)
    and validated by :class:`ProfileConfig` itself: the same values and the same errors,
    without importing and building that model (which costs a command more than its request).
    A complex key (``OFSC_MIDDLEWARE``, JSON) is left to the model."""
    names = {var.lower(): key for key, var in ENV_VARS.items()}
    lowered = {k.lower(): v for k, v in environ.items()}
    given = {names[k]: v for k, v in lowered.items() if v != "" and k in names}
    profile, config = given.pop("profile", None), given.pop("config", None)
    if not given.keys() <= _plain_keys():
        return _validate_env(environ)
    if not given:
        return _EnvLayer(values={}, profile=profile, config=config)
    try:
        model = ProfileConfig.model_validate(given)
    except ValidationError as exc:
        problems = validation_problems(exc, lambda loc: ("", (ENV_VARS[str(loc[0])], *loc[1:])))
        raise config_error(problems, "environment") from None
    data = model.model_dump(include=model.model_fields_set)
    return _EnvLayer(values=data, profile=profile, config=config)


def _validate_env(environ: Mapping[str, str]) -> _EnvLayer:
    """The environment layer, read by the pydantic-settings model."""
    token = _ENVIRON.set(environ)
    try:
        model = _env_settings_class()()
    except ValidationError as exc:
        problems = validation_problems(exc, lambda loc: ("", (ENV_VARS[str(loc[0])], *loc[1:])))
        raise config_error(problems, "environment") from None
    finally:
        _ENVIRON.reset(token)
    data = model.model_dump(include=model.model_fields_set)
    profile = data.pop("profile", None)
    config = data.pop("config", None)
    return _EnvLayer(values=data, profile=profile, config=config)


def _read_overrides(overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate command-line values; errors name the option (``--timeout``)."""
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = sorted(set(given) - set(PROFILE_KEYS))
    if unknown:
        raise OFSConfigurationError(f"unknown setting '{unknown[0]}'")
    try:
        model = ProfileConfig.model_validate(given)
    except ValidationError as exc:
        problems = validation_problems(
            exc, lambda loc: ("", ("--" + str(loc[0]).replace("_", "-"), *loc[1:]))
        )
        raise config_error(problems) from None
    return model.model_dump(include=model.model_fields_set)


# --------------------------------------------------------------------------- connection checks

_HOST_LABELS = re.compile(
    r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)


def instance_problem(instance: str) -> str | None:
    """Why ``instance`` cannot name an OFS instance, or ``None`` when it can.

    It becomes the host ``<instance>.fs.ocs.oraclecloud.com``, so it is made of DNS labels
    (``acme``, ``acme-test``, ``acme.test``): letters, digits and inner hyphens, at most 63
    characters each, the whole host at most 253.  The message is one line whatever the input.
    """
    labels = instance.split(".")
    if (
        _HOST_LABELS.fullmatch(instance)
        and all(len(label) <= 63 for label in labels)
        and len(instance) + len(OFS_HOST_SUFFIX) <= 253
    ):
        return None
    return f"instance {instance!r} is not a valid host name (DNS labels: letters, digits, '-')"


def effective_base_url(values: ProfileConfig) -> str | None:
    """The explicit base URL without trailing slash, else the one derived from the instance."""
    if values.base_url:
        return values.base_url.rstrip("/")
    if values.instance:
        return f"https://{values.instance}{OFS_HOST_SUFFIX}"
    return None


def connection_problems(name: str, values: ProfileConfig) -> list[str]:
    """Returns what keeps profile ``name`` with the merged ``values`` from connecting, one line
    each (empty = fine).
    """
    problems = []
    where = f"profile '{name}'"
    if not values.base_url and not values.instance:
        problems.append(f"{where}: no instance: set instance or base_url (or OFSC_INSTANCE)")
    elif not values.base_url and values.instance and (bad := instance_problem(values.instance)):
        problems.append(f"{where}: {bad}")
    if not values.client_id:
        problems.append(f"{where}: no client_id: set client_id (or OFSC_CLIENT_ID)")
    if values.base_url:
        # The client library's own check, so a profile is refused exactly when a client is.
        from ofsc_cli.common.urls import base_url_problem

        problem = base_url_problem(values.base_url, allow_insecure_http=values.allow_insecure_http)
        if problem:
            problems.append(f"{where}: {problem}")
    if values.proxy:
        from ofsc_cli.common.urls import proxy_url_problem

        problem = proxy_url_problem(values.proxy)
        if problem:
            problems.append(f"{where}: {problem}")
    if values.ca_bundle and not values.verify_ssl:
        problems.append(f"{where}: ca_bundle and verify_ssl = false contradict each other")
    return problems


# --------------------------------------------------------------------------- resolved settings


def _display(value: Any) -> str:
    """A value as ``config show`` prints it (TOML-like: lower-case booleans, 30 not 30.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def run_secret_command(command: str, timeout: float) -> tuple[int, bytes]:
    """``(exit code, stdout)`` of ``command`` run through the shell, in a new session (its
    own process group: ``start_new_session``).  On a timeout (:class:`subprocess.TimeoutExpired`),
    Ctrl-C or any other error, the whole group is killed (:func:`os.killpg`), so no child of
    the command survives holding our pipes open; on Windows the command itself is killed."""
    posix = os.name == "posix"
    with subprocess.Popen(
        command, shell=True, stdout=subprocess.PIPE, start_new_session=posix
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except BaseException:
            if posix:
                import signal

                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            raise
    return process.returncode, output


@dataclass(frozen=True)
class ResolvedSettings:
    """The settings of one profile after layering, with the source of every key."""

    profile_name: str
    values: Settings
    sources: dict[str, Source]
    config_path: Path
    _secret: list[SecretStr] = field(default_factory=list, repr=False, compare=False)

    @property
    def base_url(self) -> str:
        """The API base URL (explicit or derived from the instance), without trailing slash.
        Raises :class:`OFSConfigurationError` when the profile has neither.
        """
        url = effective_base_url(self.values)
        if url is None:
            raise OFSConfigurationError(
                f"profile '{self.profile_name}': no instance: set instance or base_url "
                "(or OFSC_INSTANCE)"
            )
        return url

    def secret(self) -> str:
        """Returns the client secret: ``client_secret``, else the output of
        ``client_secret_command``.

        The command runs through the shell once (the result is kept for this object); its
        first output line, stripped, is the secret.  Its stderr goes to ours.  It runs in a
        session (process group) of its own, killed as a whole on a timeout or Ctrl-C, so no
        child of it outlives the call holding our pipes (:func:`run_secret_command`).  Raises
        :class:`OFSConfigurationError` when there is no secret, or the command fails, times
        out or prints none.
        """
        if not self._secret:
            self._secret.append(SecretStr(self._find_secret()))
        return self._secret[0].get_secret_value()

    def _find_secret(self) -> str:
        name = self.profile_name
        if self.values.client_secret is not None:
            return self.values.client_secret.get_secret_value()
        command = self.values.client_secret_command
        if not command:
            raise OFSConfigurationError(
                f"no client secret for profile {name}: set client_secret, client_secret_command "
                "or OFSC_CLIENT_SECRET"
            )
        where = f"client_secret_command of profile '{name}'"
        try:
            returncode, output = run_secret_command(command, SECRET_COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise OFSConfigurationError(
                f"{where} timed out after {SECRET_COMMAND_TIMEOUT:g} s"
            ) from None
        except OSError as exc:
            raise OFSConfigurationError(f"{where} could not run: {exc.strerror}") from None
        if returncode != 0:
            raise OFSConfigurationError(f"{where} failed with exit code {returncode}")
        try:
            text = output.decode("utf-8")
        except UnicodeDecodeError:
            raise OFSConfigurationError(f"{where} printed something that is not UTF-8") from None
        lines = text.splitlines()
        secret = lines[0].strip() if lines else ""
        if not secret:
            raise OFSConfigurationError(f"{where} printed no secret (exit code 0)")
        return secret

    def masked(self) -> dict[str, tuple[str, str]]:
        """Returns every key -> (display value, source); secrets shown as ``****``.

        ``base_url`` shows the effective URL (derived from the instance when not set), and a
        proxy's password is masked.
        """
        shown: dict[str, tuple[str, str]] = {}
        for key in PROFILE_KEYS:
            value = getattr(self.values, key)
            if isinstance(value, SecretStr):
                text = "****"
            elif key == "base_url":
                text = effective_base_url(self.values) or ""
            elif key == "proxy" and value:
                from ofsc_cli.common.urls import redact_userinfo  # proxy:password@ stays hidden

                text = redact_userinfo(value)
            else:
                text = _display(value)
            shown[key] = (text, self.sources[key])
        return shown

    def validate_for_connection(self) -> None:
        """Raise :class:`OFSConfigurationError` if these settings cannot make a connection."""
        problems = connection_problems(self.profile_name, self.values)
        if problems:
            raise config_error(problems)


# --------------------------------------------------------------------------- resolution


NO_PROFILE_MESSAGE = (
    "no profile configured: run `ofsc config init`, set OFSC_PROFILE/OFSC_INSTANCE, "
    "or use `-p sandbox`"
)


def known_profiles(names: Iterable[str]) -> list[str]:
    """The file's profile names, in file order, then the built-in ones not among them."""
    names = list(names)
    return [*names, *(n for n in BUILTIN_PROFILES if n not in names)]


def unknown_profile_error(name: str, known: list[str], origin: str = "") -> OFSConfigurationError:
    """``unknown profile 'prd'; known profiles: prod, test, sandbox``."""
    from_ = f" (from {origin})" if origin else ""
    return OFSConfigurationError(
        f"unknown profile '{name}'{from_}; known profiles: {', '.join(known)}"
    )


def _choose_profile(
    profile: str | None, flags: Mapping[str, Any], env: _EnvLayer, config: ConfigFile, path: Path
) -> tuple[str, dict[str, Any]]:
    """The profile name and its file layer (keys set in the file's table).

    With no profile named anywhere, an instance or base URL from the environment (or from
    the overrides, for library callers) makes an anonymous ``env`` profile.
    """
    if profile:
        name, origin = profile, ""
    elif env.profile:
        name, origin = env.profile, "OFSC_PROFILE"
    elif config.default_profile:
        name, origin = config.default_profile, f"default_profile in {path}"
    elif any(key in layer for layer in (flags, env.values) for key in ("instance", "base_url")):
        return "env", {}
    elif not config.profiles:
        raise OFSConfigurationError(NO_PROFILE_MESSAGE)
    else:
        known = ", ".join(known_profiles(config.profiles))
        raise OFSConfigurationError(
            f"no profile selected: {path} has no default_profile; use `-p NAME`, "
            f"set OFSC_PROFILE or set default_profile (known profiles: {known})"
        )
    table = config.profiles.get(name)
    if table is not None:
        return name, table.model_dump(include=table.model_fields_set)
    if name in BUILTIN_PROFILES:
        return name, {}
    raise unknown_profile_error(name, known_profiles(config.profiles), origin)


def resolve_settings(
    *,
    profile: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> ResolvedSettings:
    """Resolve the settings of one profile: flags > environment > file > built-in > defaults.

    ``profile`` picks the profile (else ``OFSC_PROFILE``, else the file's ``default_profile``,
    else an anonymous ``env`` profile when ``OFSC_INSTANCE`` or ``OFSC_BASE_URL`` is set, or
    ``overrides`` holds ``instance`` or ``base_url``).
    ``overrides`` are command-line values by key; ``None`` values are ignored.  ``env``
    defaults to ``os.environ``; ``config_path`` to ``$OFSC_CONFIG`` or the platform default.
    Returns the :class:`ResolvedSettings`, each value with its source.  Raises
    :class:`OFSConfigurationError` for every configuration problem.
    """
    from ofsc_cli.config.store import default_config_path, load_config

    environ: Mapping[str, str] = os.environ if env is None else env
    flags = _read_overrides(overrides)
    env_layer = _read_env(environ)
    path = config_path if config_path is not None else default_config_path(environ)
    config = load_config(path)
    name, file_layer = _choose_profile(profile, flags, env_layer, config, path)
    layers: list[tuple[Source, Mapping[str, Any]]] = [
        ("flag", flags),
        ("env", env_layer.values),
        ("file", file_layer),
        ("builtin", BUILTIN_PROFILES.get(name, {})),
    ]
    merged: dict[str, Any] = {}
    sources: dict[str, Source] = {}
    for key in PROFILE_KEYS:
        sources[key] = "default"
        for source, layer in layers:
            if key in layer:
                merged[key], sources[key] = layer[key], source
                break
    return ResolvedSettings(
        profile_name=name,
        values=Settings.model_validate(merged),
        sources=sources,
        config_path=path,
    )
