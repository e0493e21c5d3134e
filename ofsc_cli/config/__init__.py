"""Configuration: profiles in ``config.toml``, settings resolution with sources, secrets.

Importing this package is cheap: the names below are loaded on first use from
:mod:`ofsc_cli.config.settings` (pydantic models, :func:`resolve_settings`) and
:mod:`ofsc_cli.config.store` (reading and atomic writing of the file).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ofsc_cli.config.settings import (
        BUILTIN_PROFILES,
        ENV_VARS,
        PROFILE_KEYS,
        SANDBOX_PROFILE,
        ConfigFile,
        ProfileConfig,
        ResolvedSettings,
        Settings,
        Source,
        connection_problems,
        resolve_settings,
    )
    from ofsc_cli.config.store import (
        default_config_path,
        delete_profile,
        list_profiles,
        load_config,
        load_raw,
        set_default_profile,
        set_value,
        unset_value,
        validate_file,
        write_profile,
    )

__all__ = [
    "BUILTIN_PROFILES",
    "ENV_VARS",
    "PROFILE_KEYS",
    "SANDBOX_PROFILE",
    "ConfigFile",
    "ProfileConfig",
    "ResolvedSettings",
    "Settings",
    "Source",
    "connection_problems",
    "default_config_path",
    "delete_profile",
    "list_profiles",
    "load_config",
    "load_raw",
    "resolve_settings",
    "set_default_profile",
    "set_value",
    "unset_value",
    "validate_file",
    "write_profile",
]

_SUBMODULES = ("store", "settings")  # store first: it does not import pydantic


def __getattr__(name: str) -> Any:
    """Load an exported name from its submodule on first access."""
    if name in __all__:
        for submodule in _SUBMODULES:
            module = importlib.import_module(f"{__name__}.{submodule}")
            if name in getattr(module, "__all__", ()):
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
