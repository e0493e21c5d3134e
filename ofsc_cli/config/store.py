"""Reading and atomically writing ``config.toml``.

Writes edit the file as the user wrote it: the document is parsed with :mod:`tomlkit`, which
keeps comments, blank lines, key order and the spelling of values (``timeout = 30.0``,
``max_retries = 3``, inline tables), and only the changed keys are touched; the rest of the
file comes out byte-for-byte as it was.  The result is validated against
:class:`~ofsc_cli.config.settings.ConfigFile` *before* anything is written, and a refused
change leaves the file untouched.  The new content goes to a temporary file (mode 0600) in
the same directory and replaces the old one with :func:`os.replace`.  Reading for settings
uses :mod:`tomllib` (its messages name the line of a syntax error); tomlkit is the one writer.

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

pydantic and tomlkit are imported only by the functions that need them.
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
    from tomlkit import TOMLDocument

    from ofsc_cli.config.settings import ConfigFile

__all__ = [
    "CONFIG_FILE_NAME",
    "check_values",
    "default_config_path",
    "delete_profile",
    "list_profiles",
    "load_config",
    "load_raw",
    "profile_choices",
    "set_default_profile",
    "set_value",
    "unset_value",
    "validate_file",
    "write_profile",
]

APP_NAME = "ofsc"
CONFIG_FILE_NAME = "config.toml"
FILE_HEADER = "# ofsc configuration (see config.example.toml); edited by `ofsc config`.\n\n"
"""The first lines of a file that ``ofsc config`` creates (an existing file keeps its own)."""

MAX_CONFIG_BYTES = 1024 * 1024
"""The largest config file read (a real one is a few kilobytes)."""
LOCK_TIMEOUT = 30.0
"""Seconds a write waits for another process's write to finish."""

_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """Returns ``$OFSC_CONFIG`` if set in ``env`` (default: the process's environment), else
    ``config.toml`` in the platform config dir of ``ofsc`` (platformdirs: an empty
    ``XDG_CONFIG_HOME`` counts as unset, so the path is never relative to the current
    directory; roaming on Windows, as before).
    """
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
    """Returns the parsed but unvalidated TOML document at ``path``; ``{}`` when the file does
    not exist.  Raises :class:`OFSConfigurationError` for a file that cannot be read or is
    not TOML.
    """
    text = _read_text(path)
    return {} if text is None else _parse(text, path)


def _read_text(path: Path) -> str | None:
    """The file's text; ``None`` when it does not exist."""
    data = _read_bytes(path)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OFSConfigurationError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _parse(text: str, path: Path) -> dict[str, Any]:
    """``text`` parsed by :mod:`tomllib`; a syntax error names the file, line and column."""
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
    """Returns the validated config file at ``path``; an empty :class:`ConfigFile` when it does
    not exist.  Raises :class:`OFSConfigurationError` for a file that cannot be read, is not
    TOML or holds an invalid value.
    """
    return _validate(load_raw(path), path)


def validate_file(path: Path) -> list[str]:
    """Returns every problem of the file at ``path``, one line each (empty = fine; a missing
    file is fine).

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
    """Returns ``(name, is_default, is_builtin)`` for the profiles of the file at ``path``, then
    the built-in ones.  Raises :class:`OFSConfigurationError` for an unusable file.
    """
    from ofsc_cli.config.settings import BUILTIN_PROFILES, known_profiles

    config = load_config(path)
    return [
        (name, name == config.default_profile, name in BUILTIN_PROFILES)
        for name in known_profiles(config.profiles)
    ]


def profile_choices(path: Path) -> list[tuple[str, str]]:
    """Returns ``(name, description)`` of every profile, for shell completion: those of the
    file at ``path`` (described by instance or base URL, the default marked), then the
    built-in ones.  Never raises: a file that cannot be read or parsed offers the built-in
    profiles only.
    """
    from ofsc_cli.config.settings import BUILTIN_PROFILES

    try:
        raw = load_raw(path)
    except OFSConfigurationError:
        raw = {}
    profiles = raw.get("profiles")
    default = raw.get("default_profile")
    choices: list[tuple[str, str]] = []
    for name, table in (profiles if isinstance(profiles, dict) else {}).items():
        where = ""
        if isinstance(table, dict):
            where = str(table.get("instance") or table.get("base_url") or "")
        if name == default:
            where = f"{where} (default)".strip()
        if name in BUILTIN_PROFILES and not where:
            where = "built-in"
        choices.append((name, where))
    listed = {name for name, _ in choices}
    choices.extend((name, "built-in") for name in BUILTIN_PROFILES if name not in listed)
    return choices


# --------------------------------------------------------------------------- writing


def _target(path: Path) -> Path:
    """The file a write replaces: a symlinked config file is followed, so the link survives."""
    return path.resolve() if path.is_symlink() else path


def _make_dirs(directory: Path) -> None:
    """Create ``directory`` and missing parents, each 0700 whatever the umask."""
    from ofsc_cli.common.fs import make_private_dirs

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


def _document(path: Path) -> tuple[TOMLDocument, str | None]:
    """The file as an editable :mod:`tomlkit` document, and its text; ``None`` for a missing
    or blank file (which gets :data:`FILE_HEADER` when written)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    text = _read_text(path)
    if text is None or not text.strip():
        return tomlkit.document(), None
    _parse(text, path)  # a broken file is reported with tomllib's line and column
    try:
        return tomlkit.parse(text), text
    except TOMLKitError as exc:
        raise OFSConfigurationError(f"{path}: invalid TOML: {exc}") from None


def _render(path: Path, change: Callable[[dict[str, Any]], None]) -> str:
    """The text of the file after ``change``, checked: it parses back (with :mod:`tomllib`,
    as every reader does) to a valid config file."""
    document, before = _document(path)
    change(document)
    text = document.as_string()
    if before is None:
        text = FILE_HEADER + text
    if text.endswith("\n\n") and not (before or "").endswith("\n\n"):
        text = text[:-1]  # a new table ends with a blank line (_new_table): not at the end
    elif text and not text.endswith("\n") and (before or "\n").endswith("\n"):
        text += "\n"
    _validate(_parse(text, path), path)
    return text


def _update(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to the document, validate the result, then write it.

    The change is first tried on the current file without the lock, so that a refused
    change creates nothing; then read, changed, validated and written again under the lock,
    so that a concurrent write is never lost.  Only what ``change`` touches differs from the
    file as it was (see the module docstring).
    """
    _render(path, change)
    target = _target(path)
    with _locked(target):
        _write_atomic(target, _render(path, change))


def _profiles_table(raw: dict[str, Any], path: Path, *, create: bool = True) -> dict[str, Any]:
    """The raw ``profiles`` table, created when missing (an empty one is not added to the
    document unless ``create``)."""
    profiles = raw.setdefault("profiles", {}) if create else raw.get("profiles", {})
    if not isinstance(profiles, dict):
        raise OFSConfigurationError(f"{path}: profiles: must be a table")
    return profiles


def _profile_table(raw: dict[str, Any], path: Path, name: str) -> dict[str, Any]:
    """The raw ``[profiles.NAME]`` table, which must exist (a new one: :func:`_new_table`)."""
    profiles = _profiles_table(raw, path, create=False)
    if name not in profiles:
        raise OFSConfigurationError(f"profile '{name}' is not defined in {path}")
    table = profiles[name]
    if not isinstance(table, dict):
        raise OFSConfigurationError(f"{path}: profile '{name}': must be a table")
    return table


def _new_table(values: Mapping[str, Any]) -> Any:
    """A new ``[profiles.NAME]`` table holding ``values``, followed by a blank line, so that
    a table inserted before another (tomlkit keeps a table beside its siblings) stays apart
    from it."""
    import tomlkit

    table = tomlkit.table()
    table.update(values)
    table.add(tomlkit.nl())
    return table


def _assign(table: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Set ``values`` in ``table``, leaving a key whose value is already equal as written
    (``timeout = 30`` stays so when 30.0 is set again)."""
    for key, value in values.items():
        item: Any = table.get(key)
        old = item.unwrap() if hasattr(item, "unwrap") else item
        same = key in table and old == value and isinstance(old, bool) == isinstance(value, bool)
        if not same:
            table[key] = value


def _check_key(key: str) -> None:
    """Refuse a key that is not a profile key, listing the valid ones."""
    from ofsc_cli.config.settings import PROFILE_KEYS

    if key not in PROFILE_KEYS:
        raise OFSConfigurationError(f"unknown key '{key}'; valid keys: {', '.join(PROFILE_KEYS)}")


def _coerce(profile: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate values by key and return them as TOML-ready Python values."""
    from pydantic import SecretStr, ValidationError

    from ofsc_cli.config.settings import (
        ProfileConfig,
        config_error,
        instance_problem,
        validation_problems,
    )

    for key in values:
        _check_key(key)
    try:
        model = ProfileConfig.model_validate(values)
    except ValidationError as exc:
        problems = validation_problems(exc, lambda loc: (f"profile '{profile}'", loc))
        raise config_error(problems) from None
    if model.instance is not None:  # written to be used: refused now, not at the first call
        problem = instance_problem(model.instance)
        if problem:
            raise OFSConfigurationError(f"profile '{profile}': {problem}")
    coerced = {}
    for key in values:
        value = getattr(model, key)
        coerced[key] = value.get_secret_value() if isinstance(value, SecretStr) else value
    return coerced


def check_values(profile: str, values: Mapping[str, Any]) -> None:
    """Refuse, as a write would (:class:`OFSConfigurationError`, exit 3), any of ``values``
    (``None`` ones skipped) that cannot be stored in ``profile``; nothing is read or written."""
    _coerce(profile, {k: v for k, v in values.items() if v is not None})


def set_value(path: Path, profile: str, key: str, value: str) -> None:
    """Set ``key`` of ``profile`` to ``value`` in the file at ``path`` (the table is created
    if needed), coercing the string.

    ``"30"`` becomes ``30.0`` for a float key, ``"true"``/``"false"`` a boolean.  An unknown
    key or a bad value raises :class:`OFSConfigurationError` and the file is not touched; so
    does a file that cannot be read or written.
    """
    coerced = _coerce(profile, {key: value})

    def change(raw: dict[str, Any]) -> None:
        profiles = _profiles_table(raw, path)
        if profile in profiles:
            _assign(_profile_table(raw, path, profile), coerced)
        else:
            profiles[profile] = _new_table(coerced)

    _update(path, change)


def unset_value(path: Path, profile: str, key: str) -> bool:
    """Remove ``key`` from ``profile`` in the file at ``path``.  Returns ``False`` (nothing
    written) if it was not set, else True.  Raises :class:`OFSConfigurationError` for an
    unknown key or profile, or a file that cannot be read, parsed or written.
    """
    _check_key(key)
    table = _profile_table(load_raw(path), path, profile)
    if key not in table:
        return False

    def change(raw: dict[str, Any]) -> None:
        _profile_table(raw, path, profile).pop(key, None)

    _update(path, change)
    return True


def set_default_profile(path: Path, name: str) -> None:
    """Make ``name`` the ``default_profile`` of the file at ``path``; it must be in the file or
    built in.  Raises :class:`OFSConfigurationError` for an unknown profile or a file that
    cannot be read or written.
    """
    from ofsc_cli.config.settings import known_profiles, unknown_profile_error

    def change(raw: dict[str, Any]) -> None:
        known = known_profiles(_profiles_table(raw, path, create=False))
        if name not in known:
            raise unknown_profile_error(name, known)
        raw["default_profile"] = name

    _update(path, change)


def write_profile(path: Path, name: str, values: Mapping[str, Any], *, make_default: bool) -> None:
    """Write profile ``name`` into the file at ``path`` with exactly ``values`` (``None``
    values are left out).

    An existing table of that name is edited in place (its keys not in ``values`` removed,
    the others set where they stand, so their comments stay); other profiles are kept.
    With ``make_default`` the profile also becomes the ``default_profile``.  Raises
    :class:`OFSConfigurationError` (nothing written) for an empty name, a bad value or a
    file that cannot be read or written.
    """
    if not name:
        raise OFSConfigurationError("profile name must not be empty")
    table = _coerce(name, {k: v for k, v in values.items() if v is not None})

    def change(raw: dict[str, Any]) -> None:
        profiles = _profiles_table(raw, path)
        existing = profiles.get(name)
        if isinstance(existing, dict):
            for key in [k for k in existing if k not in table]:
                del existing[key]
            _assign(existing, table)
        else:
            profiles[name] = _new_table(table)
        if make_default:
            raw["default_profile"] = name

    _update(path, change)


def delete_profile(path: Path, name: str) -> None:
    """Remove profile ``name`` from the file at ``path`` (and ``default_profile`` if it named
    it).

    Deleting ``sandbox`` removes only the file's overrides; the built-in profile remains.
    Raises :class:`OFSConfigurationError` when the file has no such profile or cannot be
    written.
    """

    def change(raw: dict[str, Any]) -> None:
        _profile_table(raw, path, name)
        del raw["profiles"][name]
        if raw.get("default_profile") == name:
            del raw["default_profile"]

    _update(path, change)
