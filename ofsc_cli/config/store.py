"""Reading and atomically writing ``config.toml``.

Writes operate on the raw TOML document, so every other profile and key is kept; the result
is validated against :class:`~ofsc_cli.config.settings.ConfigFile` *before* anything is
written, and a refused change leaves the file byte-for-byte untouched.  The new content goes
to a temporary file (mode 0600) in the same directory and replaces the old one with
:func:`os.replace`.  Comments and formatting of an edited file are not preserved (the TOML
writer regenerates the document).

pydantic and the TOML writer are imported only by the functions that need them.
"""

from __future__ import annotations

import os
import re
import secrets
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ofsc_cli.errors import OFSConfigurationError

if TYPE_CHECKING:
    from ofsc_cli.config.settings import ConfigFile

__all__ = [
    "CONFIG_FILE_NAME",
    "default_config_path",
    "delete_profile",
    "list_profiles",
    "load_config",
    "load_raw",
    "set_default_profile",
    "set_value",
    "unset_value",
    "validate_file",
    "write_profile",
]

APP_NAME = "ofsc"
CONFIG_FILE_NAME = "config.toml"
FILE_HEADER = "# ofsc configuration (see config.example.toml); rewritten by `ofsc config`.\n\n"

_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """``$OFSC_CONFIG`` if set, else ``config.toml`` in the platform config dir of ``ofsc``."""
    environ = os.environ if env is None else env
    explicit = environ.get("OFSC_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    import typer

    return Path(typer.get_app_dir(APP_NAME)) / CONFIG_FILE_NAME


# --------------------------------------------------------------------------- reading


def load_raw(path: Path) -> dict[str, Any]:
    """The parsed but unvalidated TOML document; ``{}`` when the file does not exist."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise OFSConfigurationError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OFSConfigurationError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.match(str(exc))
        if found:
            message = (
                f"{path}: invalid TOML at line {found['line']}, column {found['col']}: "
                f"{found['msg']}"
            )
        else:
            message = f"{path}: invalid TOML: {exc}"
        raise OFSConfigurationError(message) from None


def _validate(raw: Mapping[str, Any], path: Path) -> ConfigFile:
    """Validate a raw document; errors name the file, the profile and the key."""
    from pydantic import ValidationError

    from ofsc_cli.config.settings import (
        ConfigFile,
        config_error,
        file_location,
        validation_problems,
    )

    try:
        return ConfigFile.model_validate(raw)
    except ValidationError as exc:
        raise config_error(validation_problems(exc, file_location), str(path)) from None


def load_config(path: Path) -> ConfigFile:
    """The validated config file; an empty :class:`ConfigFile` when it does not exist."""
    return _validate(load_raw(path), path)


def validate_file(path: Path) -> list[str]:
    """Every problem of the file, one line each (empty = fine; a missing file is fine).

    Beyond the model checks, ``default_profile`` must name a profile and each profile (merged
    over the built-in one of the same name) must be able to connect.
    """
    from pydantic import ValidationError

    from ofsc_cli.config.settings import (
        BUILTIN_PROFILES,
        ConfigFile,
        ProfileConfig,
        connection_problems,
        file_location,
        known_profiles,
        validation_problems,
    )

    try:
        raw = load_raw(path)
        config = ConfigFile.model_validate(raw)
    except OFSConfigurationError as exc:
        return [str(exc)]
    except ValidationError as exc:
        return [f"{path}: {p}" for p in validation_problems(exc, file_location)]
    problems = []
    known = known_profiles(config.profiles)
    if config.default_profile is not None and config.default_profile not in known:
        problems.append(
            f"{path}: default_profile: unknown profile '{config.default_profile}'; "
            f"known profiles: {', '.join(known)}"
        )
    for name, table in config.profiles.items():
        merged = ProfileConfig.model_validate(
            {**BUILTIN_PROFILES.get(name, {}), **table.model_dump(include=table.model_fields_set)}
        )
        problems.extend(f"{path}: {p}" for p in connection_problems(name, merged))
    return problems


def list_profiles(path: Path) -> list[tuple[str, bool, bool]]:
    """``(name, is_default, is_builtin)`` for the file's profiles, then built-in ones."""
    from ofsc_cli.config.settings import BUILTIN_PROFILES, known_profiles

    config = load_config(path)
    return [
        (name, name == config.default_profile, name in BUILTIN_PROFILES)
        for name in known_profiles(config.profiles)
    ]


# --------------------------------------------------------------------------- writing


def _write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically; the file ends up with mode 0600.

    A symlinked config file is followed, so the link itself survives.
    """
    target = path.resolve() if path.is_symlink() else path
    parent = target.parent
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _update(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to the raw document, validate the result, then write it."""
    import tomli_w

    raw = load_raw(path)
    change(raw)
    _validate(raw, path)
    _write_atomic(path, FILE_HEADER + tomli_w.dumps(raw))


def _profiles_table(raw: dict[str, Any], path: Path) -> dict[str, Any]:
    """The raw ``profiles`` table, created when missing."""
    profiles = raw.setdefault("profiles", {})
    if not isinstance(profiles, dict):
        raise OFSConfigurationError(f"{path}: profiles: must be a table")
    return profiles


def _profile_table(raw: dict[str, Any], path: Path, name: str, *, create: bool) -> dict[str, Any]:
    """The raw ``[profiles.NAME]`` table (created when ``create``)."""
    profiles = _profiles_table(raw, path)
    if name not in profiles:
        if not create:
            raise OFSConfigurationError(f"profile '{name}' is not defined in {path}")
        profiles[name] = {}
    table = profiles[name]
    if not isinstance(table, dict):
        raise OFSConfigurationError(f"{path}: profile '{name}': must be a table")
    return table


def _check_key(key: str) -> None:
    """Refuse a key that is not a profile key, listing the valid ones."""
    from ofsc_cli.config.settings import PROFILE_KEYS

    if key not in PROFILE_KEYS:
        raise OFSConfigurationError(f"unknown key '{key}'; valid keys: {', '.join(PROFILE_KEYS)}")


def _coerce(profile: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate values by key and return them as TOML-ready Python values."""
    from pydantic import SecretStr, ValidationError

    from ofsc_cli.config.settings import ProfileConfig, config_error, validation_problems

    for key in values:
        _check_key(key)
    try:
        model = ProfileConfig.model_validate(values)
    except ValidationError as exc:
        problems = validation_problems(exc, lambda loc: (f"profile '{profile}'", loc))
        raise config_error(problems) from None
    coerced = {}
    for key in values:
        value = getattr(model, key)
        coerced[key] = value.get_secret_value() if isinstance(value, SecretStr) else value
    return coerced


def set_value(path: Path, profile: str, key: str, value: str) -> None:
    """Set one key of a profile (the table is created if needed), coercing the string.

    ``"30"`` becomes ``30.0`` for a float key, ``"true"``/``"false"`` a boolean.  An unknown
    key or a bad value raises :class:`OFSConfigurationError` and the file is not touched.
    """
    coerced = _coerce(profile, {key: value})

    def change(raw: dict[str, Any]) -> None:
        _profile_table(raw, path, profile, create=True).update(coerced)

    _update(path, change)


def unset_value(path: Path, profile: str, key: str) -> bool:
    """Remove one key from a profile of the file; ``False`` (nothing written) if it was unset."""
    _check_key(key)
    table = _profile_table(load_raw(path), path, profile, create=False)
    if key not in table:
        return False

    def change(raw: dict[str, Any]) -> None:
        del _profile_table(raw, path, profile, create=False)[key]

    _update(path, change)
    return True


def set_default_profile(path: Path, name: str) -> None:
    """Make ``name`` the ``default_profile``; it must be in the file or built in."""
    from ofsc_cli.config.settings import known_profiles, unknown_profile_error

    def change(raw: dict[str, Any]) -> None:
        known = known_profiles(_profiles_table(raw, path))
        if name not in known:
            raise unknown_profile_error(name, known)
        raw["default_profile"] = name

    _update(path, change)


def write_profile(path: Path, name: str, values: Mapping[str, Any], *, make_default: bool) -> None:
    """Write profile ``name`` with exactly ``values`` (``None`` values are left out).

    Replaces an existing table of that name; other profiles are kept.  With
    ``make_default`` the profile also becomes the ``default_profile``.
    """
    if not name:
        raise OFSConfigurationError("profile name must not be empty")
    table = _coerce(name, {k: v for k, v in values.items() if v is not None})

    def change(raw: dict[str, Any]) -> None:
        _profiles_table(raw, path)[name] = table
        if make_default:
            raw["default_profile"] = name

    _update(path, change)


def delete_profile(path: Path, name: str) -> None:
    """Remove profile ``name`` from the file (and ``default_profile`` if it named it).

    Deleting ``sandbox`` removes only the file's overrides; the built-in profile remains.
    """

    def change(raw: dict[str, Any]) -> None:
        _profile_table(raw, path, name, create=False)
        del raw["profiles"][name]
        if raw.get("default_profile") == name:
            del raw["default_profile"]

    _update(path, change)
