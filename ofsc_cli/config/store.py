"""Reading and atomically writing ``config.toml``.

Writes operate on the raw TOML document, so every other profile and key is kept; the result
is validated against :class:`~ofsc_cli.config.settings.ConfigFile` *before* anything is
written, and a refused change leaves the file byte-for-byte untouched.  The new content goes
to a temporary file (mode 0600) in the same directory and replaces the old one with
:func:`os.replace`.  Comments and formatting of an edited file are not preserved (the TOML
writer regenerates the document).

Every write is a read-modify-write under an exclusive lock (:mod:`filelock`, on the file
``.config.toml.lock`` beside the config file, mode 0600, left in place): parallel ``ofsc config
set`` runs queue up instead of overwriting each other's changes.  filelock rather than
hand-written ``fcntl`` code because it is a small, well-kept library that gives the same OS
lock on Unix and Windows, released by the OS when a holder dies, with a timeout.  A change is
first tried on a copy of the current file, so whatever can be refused is refused before the
lock file or a missing directory is created.  Directories are created 0700 whatever the umask.

Reading refuses what is not a regular file of at most :data:`MAX_CONFIG_BYTES` (a directory, a
FIFO, ``/dev/zero``…; the null device reads as an empty file) instead of blocking or reading
without end.

pydantic and the TOML writer are imported only by the functions that need them.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import tomllib
from collections.abc import Callable, Iterator, Mapping
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

MAX_CONFIG_BYTES = 1024 * 1024
"""The largest config file read (a real one is a few kilobytes)."""
LOCK_TIMEOUT = 30.0
"""Seconds a write waits for another process's write to finish."""

_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """``$OFSC_CONFIG`` if set, else ``config.toml`` in the platform config dir of ``ofsc``
    (platformdirs: an empty ``XDG_CONFIG_HOME`` counts as unset, so the path is never relative
    to the current directory; roaming on Windows, as before)."""
    environ = os.environ if env is None else env
    explicit = environ.get("OFSC_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    directory = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=True))
    return directory / CONFIG_FILE_NAME


# --------------------------------------------------------------------------- reading


def _read_bytes(path: Path) -> bytes | None:
    """The file's bytes; ``None`` when it does not exist.  Never blocks, never reads more
    than :data:`MAX_CONFIG_BYTES` (+1)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise OFSConfigurationError(f"{path}: cannot read: is a directory") from None
    except OSError as exc:
        raise OFSConfigurationError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise OFSConfigurationError(f"{path}: cannot read: is a directory")
        if not stat.S_ISREG(mode):
            if _is_null_device(path):
                return b""
            raise OFSConfigurationError(f"{path}: cannot read: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise OFSConfigurationError(f"{path}: cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_CONFIG_BYTES:
        raise OFSConfigurationError(
            f"{path}: larger than {MAX_CONFIG_BYTES >> 20} MiB: not a config file"
        )
    return data


def _is_null_device(path: Path) -> bool:
    try:
        return os.path.samefile(path, os.devnull)
    except OSError:
        return False


def load_raw(path: Path) -> dict[str, Any]:
    """The parsed but unvalidated TOML document; ``{}`` when the file does not exist."""
    data = _read_bytes(path)
    if data is None:
        return {}
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


def _target(path: Path) -> Path:
    """The file a write replaces: a symlinked config file is followed, so the link survives."""
    return path.resolve() if path.is_symlink() else path


def _make_dirs(directory: Path) -> None:
    """Create ``directory`` and missing parents, each 0700 whatever the umask."""
    from ofsc_cli.client._token_cache import make_private_dirs

    try:
        make_private_dirs(directory)
    except NotADirectoryError:
        raise OFSConfigurationError(f"cannot write in {directory}: not a directory") from None
    except OSError as exc:
        where = exc.filename or directory
        raise OFSConfigurationError(f"cannot create directory {where}: {exc.strerror}") from None


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold the write lock of ``target`` (see the module docstring)."""
    import filelock

    _make_dirs(target.parent)
    lock = filelock.FileLock(
        str(target.parent / f".{target.name}.lock"),
        timeout=LOCK_TIMEOUT,
        mode=0o600,
        thread_local=False,
    )
    try:
        lock.acquire()
    except filelock.Timeout:
        raise OFSConfigurationError(
            f"{target}: another ofsc process is writing it (waited {LOCK_TIMEOUT:g} s "
            f"for {lock.lock_file})"
        ) from None
    except OSError as exc:
        raise OFSConfigurationError(
            f"cannot write in {target.parent}: {exc.strerror or exc}"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _write_atomic(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` atomically; the file ends up with mode 0600."""
    parent = target.parent
    try:
        if target.exists() and not target.is_file():
            raise OFSConfigurationError(f"{target}: refusing to replace: not a regular file")
        tmp = parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise OFSConfigurationError(f"cannot write in {parent}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OFSConfigurationError(f"{target}: cannot write: {exc.strerror}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _update(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to the raw document, validate the result, then write it.

    The change is first tried on the current document without the lock, so that a refused
    change creates nothing; then read, changed, validated and written again under the lock,
    so that a concurrent write is never lost.
    """
    import tomli_w

    trial = load_raw(path)
    change(trial)
    _validate(trial, path)
    target = _target(path)
    with _locked(target):
        raw = load_raw(path)
        change(raw)
        _validate(raw, path)
        _write_atomic(target, FILE_HEADER + tomli_w.dumps(raw))


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
        _profile_table(raw, path, profile, create=False).pop(key, None)

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
