"""The ``OFSC_*`` environment layer read without pydantic-settings (config/settings.py
``_read_env``) gives what the pydantic-settings model (``_validate_env``) gives: the same
values, profile and config file, or the same configuration error."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from ofsc_cli.config.settings import ENV_VARS, _read_env, _validate_env
from ofsc_cli.errors import OFSConfigurationError

GOOD: dict[str, str] = {
    "OFSC_INSTANCE": "acme",
    "OFSC_CLIENT_ID": "ofsc-cli",
    "OFSC_CLIENT_SECRET": "s3cret",
    "OFSC_AUTH": "oauth2",
    "OFSC_BASE_URL": "http://127.0.0.1:8765",
    "OFSC_TIMEOUT": "12.5",
    "OFSC_CONNECT_TIMEOUT": "3",
    "OFSC_MAX_RETRIES": "2",
    "OFSC_HTTP2": "true",
    "OFSC_TOKEN_CACHE": "0",
    "OFSC_VERIFY_SSL": "no",
    "OFSC_OUTPUT": "ndjson",
    "OFSC_EMULATOR": "1",
    "OFSC_SANDBOX_DB": "/tmp/x.db",
}
BAD: dict[str, str] = {
    "OFSC_TIMEOUT": "abc",
    "OFSC_MAX_RETRIES": "-1",
    "OFSC_MAX_CONNECTIONS": "1.5",
    "OFSC_AUTH": "kerberos",
    "OFSC_HTTP2": "maybe",
    "OFSC_OUTPUT": "xml",
    "OFSC_BASE_URL": "ftp://acme",
    "OFSC_TIMEOUT ": "5",  # not a variable of ours (trailing space): ignored by both
}

ENVIRONMENTS: list[dict[str, str]] = [
    {},
    {"HOME": "/root", "PATH": "/bin", "OFSC_PAGER": "less", "OFSC_TEST_STRICT": "0"},
    {"OFSC_PROFILE": "prod"},
    {"OFSC_CONFIG": "/tmp/c.toml", "ofsc_profile": "dev"},
    {"OFSC_PROFILE": ""},
    {"OFSC_TIMEOUT": ""},
    {"OFSC_TIMEOUT": "5", "ofsc_timeout": "7"},  # the last spelling wins
    {"OFSC_TIMEOUT": "5", "ofsc_timeout": ""},  # ... even when it is empty
    GOOD,
    {**GOOD, "OFSC_PROFILE": "prod", "OFSC_CONFIG": "/tmp/c.toml"},
    {"OFSC_MIDDLEWARE": '["a.b:c"]', "OFSC_TIMEOUT": "5"},  # a JSON key: the model reads it
    *({name: value} for name, value in BAD.items()),
    {"OFSC_TIMEOUT": "abc", "OFSC_MAX_RETRIES": "x", "OFSC_AUTH": "x"},  # several problems
    {**GOOD, "OFSC_TIMEOUT": "-3"},
    {name.lower(): value for name, value in GOOD.items()},
]


def _outcome(read: Any, environ: dict[str, str]) -> Any:
    try:
        layer = read(environ)
    except OFSConfigurationError as exc:
        return ("error", str(exc))
    values = {
        k: v.get_secret_value() if hasattr(v, "get_secret_value") else v
        for k, v in layer.values.items()
    }
    return ("layer", values, list(values), layer.profile, layer.config)


@pytest.mark.parametrize("environ", ENVIRONMENTS)
def test_the_env_layer_matches_the_pydantic_settings_model(environ: dict[str, str]) -> None:
    assert _outcome(_read_env, environ) == _outcome(_validate_env, environ)


def test_every_variable_is_covered() -> None:
    seen = {name.upper() for env in ENVIRONMENTS for name in env}
    missing = {v for v in ENV_VARS.values()} - seen
    # keys whose values cannot differ in kind from ones listed (plain strings, numbers, flags)
    assert len(missing) < len(ENV_VARS) // 2, sorted(missing)


def test_a_run_with_profile_variables_does_not_import_pydantic_settings() -> None:
    code = (
        "import sys\nfrom ofsc_cli.config.settings import _read_env\n"
        "_read_env({'OFSC_INSTANCE': 'acme', 'OFSC_TIMEOUT': '5', 'OFSC_PROFILE': 'p'})\n"
        "print('pydantic_settings' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-1] == "False", out.stderr
