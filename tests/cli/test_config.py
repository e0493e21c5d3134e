"""Tests of ofsc_cli.config: profiles, settings resolution with sources, secrets, the store."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ofsc_cli.config import (
    PROFILE_KEYS,
    ProfileConfig,
    ResolvedSettings,
    default_config_path,
    delete_profile,
    list_profiles,
    load_config,
    load_raw,
    resolve_settings,
    set_default_profile,
    set_value,
    unset_value,
    validate_file,
    write_profile,
)
from ofsc_cli.config import settings as settings_mod
from ofsc_cli.errors import OFSConfigurationError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "config.example.toml"
SECRET = "hunter2-Zq9-very-secret"

TWO_PROFILES = f"""\
default_profile = "prod"

[profiles.prod]
instance = "acme"
client_id = "ofsc-cli"
client_secret = "{SECRET}"
timeout = 20
connect_timeout = 5

[profiles.test]
instance = "acme.test"
client_id = "tester"
auth = "oauth2"
"""


@pytest.fixture(autouse=True)
def config_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """No OFSC_* variable from the outside; OFSC_CONFIG points at a file in tmp_path."""
    for name in list(os.environ):
        if name.startswith("OFSC_"):
            monkeypatch.delenv(name)
    path = tmp_path / "cfg" / "config.toml"
    monkeypatch.setenv("OFSC_CONFIG", str(path))
    yield path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def py_command(code: str) -> str:
    """A shell command running ``code`` with this interpreter."""
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}"


def config_error(func: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(OFSConfigurationError) as info:
        func(*args, **kwargs)
    return str(info.value)


# --------------------------------------------------------------------------- precedence


def test_precedence_flag_over_env_over_file_over_default(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(config_path, TWO_PROFILES)
    monkeypatch.setenv("OFSC_TIMEOUT", "40")
    monkeypatch.setenv("OFSC_MAX_RETRIES", "7")
    resolved = resolve_settings(overrides={"timeout": 50, "max_retries": None})
    values, sources = resolved.values, resolved.sources
    assert (values.timeout, sources["timeout"]) == (50.0, "flag")
    assert (values.max_retries, sources["max_retries"]) == (7, "env")
    assert (values.connect_timeout, sources["connect_timeout"]) == (5.0, "file")
    assert (values.retry_backoff, sources["retry_backoff"]) == (0.5, "default")
    assert set(sources) == set(PROFILE_KEYS)
    assert resolved.profile_name == "prod"
    assert resolved.config_path == config_path


def test_env_mapping_argument_replaces_os_environ(
    config_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OFSC_TIMEOUT", "99")
    other = write(tmp_path / "other.toml", TWO_PROFILES)
    resolved = resolve_settings(env={"OFSC_CONFIG": str(other), "OFSC_HTTP2": "true"})
    assert resolved.config_path == other
    assert (resolved.values.timeout, resolved.sources["timeout"]) == (20.0, "file")
    assert (resolved.values.http2, resolved.sources["http2"]) == (True, "env")


def test_config_path_argument_wins(config_path: Path, tmp_path: Path) -> None:
    other = write(tmp_path / "explicit.toml", TWO_PROFILES.replace("timeout = 20", "timeout = 3"))
    write(config_path, TWO_PROFILES)
    assert resolve_settings(config_path=other).values.timeout == 3.0


@pytest.mark.parametrize(
    ("var", "text", "attr", "expected"),
    [
        ("OFSC_HTTP2", "1", "http2", True),
        ("OFSC_VERIFY_SSL", "false", "verify_ssl", False),
        ("OFSC_TOKEN_CACHE", "no", "token_cache", False),
        ("OFSC_CONNECT_TIMEOUT", "2.5", "connect_timeout", 2.5),
        ("OFSC_AUTH", "oauth2", "auth", "oauth2"),
        ("OFSC_SANDBOX_DB", "/x/db.sqlite", "sandbox_db", "/x/db.sqlite"),
    ],
)
def test_env_values_are_coerced(
    monkeypatch: pytest.MonkeyPatch, var: str, text: str, attr: str, expected: Any
) -> None:
    monkeypatch.setenv(var, text)
    resolved = resolve_settings(profile="sandbox")
    assert getattr(resolved.values, attr) == expected
    assert resolved.sources[attr] == "env"


def test_empty_env_variable_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFSC_TIMEOUT", "")
    resolved = resolve_settings(profile="sandbox")
    assert resolved.sources["timeout"] == "default"


@pytest.mark.parametrize(
    ("var", "text"),
    [("OFSC_TIMEOUT", "abc"), ("OFSC_HTTP2", "maybe"), ("OFSC_AUTH", "kerberos-xyz")],
)
def test_bad_env_value_names_variable_not_value(
    monkeypatch: pytest.MonkeyPatch, var: str, text: str
) -> None:
    monkeypatch.setenv(var, text)
    message = config_error(resolve_settings, profile="sandbox")
    assert var in message
    assert text not in message


def test_bad_flag_value_names_option() -> None:
    message = config_error(resolve_settings, profile="sandbox", overrides={"timeout": "soon"})
    assert message.startswith("--timeout: ")
    assert "soon" not in message


def test_unknown_override_key_is_refused() -> None:
    assert "colour" in config_error(
        resolve_settings, profile="sandbox", overrides={"colour": "red"}
    )


# --------------------------------------------------------------------------- profile selection


def test_profile_selection_order(config_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(config_path, TWO_PROFILES)
    assert resolve_settings().profile_name == "prod"  # default_profile
    monkeypatch.setenv("OFSC_PROFILE", "test")
    assert resolve_settings().profile_name == "test"  # OFSC_PROFILE beats default_profile
    assert resolve_settings(profile="prod").profile_name == "prod"  # argument beats env
    assert resolve_settings(profile="sandbox").profile_name == "sandbox"


def test_no_file_and_no_env_is_a_clear_error() -> None:
    message = config_error(resolve_settings)
    assert message == (
        "no profile configured: run `ofsc config init`, set OFSC_PROFILE/OFSC_INSTANCE, "
        "or use `-p sandbox`"
    )


def test_file_without_default_profile_lists_profiles(config_path: Path) -> None:
    write(config_path, TWO_PROFILES.replace('default_profile = "prod"', ""))
    message = config_error(resolve_settings)
    assert "no default_profile" in message
    assert "prod, test, sandbox" in message


def test_unknown_profile_lists_known_ones(config_path: Path) -> None:
    write(config_path, TWO_PROFILES)
    message = config_error(resolve_settings, profile="prd")
    assert message == "unknown profile 'prd'; known profiles: prod, test, sandbox"


def test_unknown_default_profile_says_where_it_came_from(config_path: Path) -> None:
    write(config_path, TWO_PROFILES.replace('default_profile = "prod"', 'default_profile = "x"'))
    message = config_error(resolve_settings)
    assert "unknown profile 'x'" in message
    assert "default_profile" in message


def test_builtin_sandbox_without_file(config_path: Path) -> None:
    assert not config_path.exists()
    resolved = resolve_settings(profile="sandbox")
    values = resolved.values
    assert (values.instance, values.client_id, values.auth) == ("sandbox", "demo", "basic")
    assert values.emulator is True
    assert resolved.base_url == "https://sandbox.ofsc.invalid"
    assert resolved.secret() == "demo-secret"
    assert resolved.sources["client_id"] == "builtin"
    assert resolved.sources["timeout"] == "default"
    resolved.validate_for_connection()


def test_sandbox_file_table_overrides_builtin_keys(config_path: Path) -> None:
    write(config_path, '[profiles.sandbox]\nclient_id = "me"\ntimeout = 5\n')
    resolved = resolve_settings(profile="sandbox")
    assert (resolved.values.client_id, resolved.sources["client_id"]) == ("me", "file")
    assert (resolved.values.timeout, resolved.sources["timeout"]) == (5.0, "file")
    assert (resolved.values.instance, resolved.sources["instance"]) == ("sandbox", "builtin")
    assert resolved.values.emulator is True


def test_sandbox_selected_by_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFSC_PROFILE", "sandbox")
    assert resolve_settings().profile_name == "sandbox"


def test_anonymous_env_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFSC_INSTANCE", "acme")
    monkeypatch.setenv("OFSC_CLIENT_ID", "cid")
    monkeypatch.setenv("OFSC_CLIENT_SECRET", "s")
    resolved = resolve_settings()
    assert resolved.profile_name == "env"
    assert resolved.base_url == "https://acme.fs.ocs.oraclecloud.com"
    assert resolved.sources["instance"] == "env"
    assert resolved.values.emulator is False
    resolved.validate_for_connection()


def test_anonymous_env_profile_from_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFSC_BASE_URL", "https://ofs.example.com/")
    resolved = resolve_settings()
    assert resolved.profile_name == "env"
    assert resolved.base_url == "https://ofs.example.com"


def test_anonymous_profile_from_overrides() -> None:
    resolved = resolve_settings(overrides={"instance": "acme", "client_id": "c"})
    assert resolved.profile_name == "env"
    assert resolved.sources["instance"] == "flag"
    resolved.validate_for_connection()


def test_client_id_alone_does_not_make_a_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFSC_CLIENT_ID", "cid")
    assert "no profile configured" in config_error(resolve_settings)


# --------------------------------------------------------------------------- secrets


def profile_with(config_path: Path, **keys: Any) -> ResolvedSettings:
    write_profile(
        config_path, "p", {"instance": "acme", "client_id": "c", **keys}, make_default=True
    )
    return resolve_settings()


def test_secret_literal(config_path: Path) -> None:
    resolved = profile_with(config_path, client_secret=SECRET)
    assert resolved.secret() == SECRET
    assert resolved.sources["client_secret"] == "file"


def test_secret_command_first_line(config_path: Path) -> None:
    command = py_command("print('  tok3n  '); print('metadata: x')")
    assert profile_with(config_path, client_secret_command=command).secret() == "tok3n"


def test_secret_command_runs_once(config_path: Path, tmp_path: Path) -> None:
    counter = tmp_path / "runs"
    command = py_command(f"open({str(counter)!r}, 'a').write('x'); print('abc')")
    resolved = profile_with(config_path, client_secret_command=command)
    assert resolved.secret() == resolved.secret() == "abc"
    assert counter.read_text() == "x"


def test_secret_command_failure_hides_output(config_path: Path) -> None:
    command = py_command(f"print({SECRET!r}); raise SystemExit(7)")
    resolved = profile_with(config_path, client_secret_command=command)
    message = config_error(resolved.secret)
    assert "exit code 7" in message
    assert "'p'" in message
    assert SECRET not in message


def test_secret_command_empty_output(config_path: Path) -> None:
    resolved = profile_with(config_path, client_secret_command=py_command("pass"))
    message = config_error(resolved.secret)
    assert "printed no secret" in message
    assert "'p'" in message


def test_secret_command_timeout(config_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings_mod, "SECRET_COMMAND_TIMEOUT", 0.3)
    resolved = profile_with(
        config_path, client_secret_command=py_command("import time; time.sleep(5)")
    )
    assert "timed out" in config_error(resolved.secret)


def test_env_secret_beats_file_command(config_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_profile(
        config_path,
        "p",
        {"instance": "a", "client_id": "c", "client_secret_command": py_command("exit(3)")},
        make_default=True,
    )
    monkeypatch.setenv("OFSC_CLIENT_SECRET", SECRET)
    resolved = resolve_settings()
    assert resolved.secret() == SECRET
    assert resolved.sources["client_secret"] == "env"


def test_no_secret_source(config_path: Path) -> None:
    resolved = profile_with(config_path)
    assert config_error(resolved.secret) == (
        "no client secret for profile p: set client_secret, client_secret_command "
        "or OFSC_CLIENT_SECRET"
    )


# --------------------------------------------------------------------------- masking


def test_masked_and_repr_never_show_the_secret(config_path: Path) -> None:
    command = "pass show ofs/prod"
    write(config_path, TWO_PROFILES)
    set_value(config_path, "test", "client_secret_command", command)
    resolved = resolve_settings()
    assert resolved.secret() == SECRET  # also fills the cache
    masked = resolved.masked()
    assert masked["client_secret"] == ("****", "file")
    assert masked["timeout"] == ("20", "file")
    assert masked["base_url"] == ("https://acme.fs.ocs.oraclecloud.com", "default")
    assert masked["http2"] == ("false", "default")
    assert set(masked) == set(PROFILE_KEYS)
    for text in (str(masked), repr(resolved), str(resolved), repr(resolved.values)):
        assert SECRET not in text
    shown = resolve_settings(profile="test").masked()
    assert shown["client_secret_command"] == (command, "file")
    assert shown["client_secret"] == ("", "default")


def test_errors_never_contain_secret_values(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A wrongly typed secret in the file.
    write(config_path, "[profiles.p]\nclient_secret = 987654321\n")
    message = config_error(resolve_settings, profile="p")
    assert "profile 'p': client_secret:" in message
    assert "987654321" not in message
    # A broken TOML line that holds the secret.
    write(config_path, f'[profiles.p]\nclient_secret = "{SECRET}\n')
    assert SECRET not in config_error(resolve_settings, profile="p")
    # A bad environment next to a secret one.
    write(config_path, "")
    monkeypatch.setenv("OFSC_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("OFSC_MAX_RETRIES", "-1")
    message = config_error(resolve_settings, profile="sandbox")
    assert "OFSC_MAX_RETRIES" in message
    assert SECRET not in message


# --------------------------------------------------------------------------- file errors


def test_malformed_toml_reports_path_line_and_column(config_path: Path) -> None:
    write(config_path, 'default_profile = "prod"\n[profiles.prod]\ninstance = \n')
    message = config_error(load_config, config_path)
    assert str(config_path) in message
    assert "line 3, column" in message
    assert "invalid TOML" in message


def test_wrong_type_names_file_profile_and_key(config_path: Path) -> None:
    write(config_path, '[profiles.prod]\ntimeout = "soon"\n')
    message = config_error(load_config, config_path)
    assert message == (
        f"{config_path}: profile 'prod': timeout: "
        "Input should be a valid number, unable to parse string as a number"
    )


def test_unknown_profile_key_is_named_with_suggestion(config_path: Path) -> None:
    write(config_path, "[profiles.prod]\ntiemout = 3\n")
    message = config_error(load_config, config_path)
    assert "profile 'prod': unknown key 'tiemout'" in message
    assert "did you mean 'timeout'" in message


def test_unknown_top_level_key(config_path: Path) -> None:
    write(config_path, 'colour = "red"\n')
    assert config_error(load_config, config_path) == f"{config_path}: unknown key 'colour'"


def test_several_problems_are_counted(config_path: Path) -> None:
    write(config_path, '[profiles.a]\ntimeout = "x"\nhttp2 = "x"\nauth = "x"\n')
    assert "(and 2 more)" in config_error(load_config, config_path)


def test_missing_file_is_an_empty_config(config_path: Path) -> None:
    assert load_config(config_path).profiles == {}
    assert load_raw(config_path) == {}
    assert validate_file(config_path) == []


# --------------------------------------------------------------------------- connection checks


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ({"base_url": "http://ofs.example.com"}, "refusing plain http://"),
        ({"base_url": "http://10.0.0.1:8080"}, "refusing plain http://"),
        ({"client_id": None}, "no client_id"),
        ({"instance": None}, "no instance"),
    ],
)
def test_connection_refused(config_path: Path, keys: dict[str, Any], problem: str) -> None:
    resolved = profile_with(config_path, **keys)
    message = config_error(resolved.validate_for_connection)
    assert problem in message
    assert message.startswith("profile 'p': ")


def test_bad_instance_written_by_hand_is_refused_at_connection(config_path: Path) -> None:
    # `ofsc config` refuses to write it (test_config_conventions); a hand-written file or
    # OFSC_INSTANCE still meets the same check before anything is sent.
    write(config_path, '[profiles.p]\ninstance = "bad host/x"\nclient_id = "c"\n')
    message = config_error(resolve_settings(profile="p").validate_for_connection)
    assert message.startswith("profile 'p': instance 'bad host/x' is not a valid host name")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://ofs.example.com", "http:// or https://"),
        ("https://", "http:// or https://"),
        ("https://u:pw@ofs.example.com", "credentials"),
        ("https://ofs.example.com:99999", "invalid port"),
        ("https://ofs.example.com:abc", "invalid port"),
        ("not a url", "whitespace"),
    ],
)
def test_malformed_base_url_is_refused_where_it_is_set(
    config_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, problem: str
) -> None:
    write(config_path, TWO_PROFILES)
    before = config_path.read_bytes()
    message = config_error(set_value, config_path, "prod", "base_url", url)
    assert message.startswith("profile 'prod': base_url: ")
    assert problem in message
    assert config_path.read_bytes() == before
    monkeypatch.setenv("OFSC_BASE_URL", url)
    message = config_error(resolve_settings)
    assert message.startswith("environment: OFSC_BASE_URL: ")
    assert problem in message
    assert "u:pw" not in message


@pytest.mark.parametrize(
    "keys",
    [
        {"base_url": "http://127.0.0.1:8000"},
        {"base_url": "http://127.9.8.7"},
        {"base_url": "http://[::1]:9000/"},
        {"base_url": "http://localhost:8000"},
        {"base_url": "http://ofs.example.com", "allow_insecure_http": True},
        {"base_url": "https://ofs.example.com/"},
        {"instance": "acme.test"},
    ],
)
def test_connection_allowed(config_path: Path, keys: dict[str, Any]) -> None:
    resolved = profile_with(config_path, **keys)
    resolved.validate_for_connection()
    assert not resolved.base_url.endswith("/")


def test_base_url_derived_and_explicit(config_path: Path) -> None:
    assert profile_with(config_path).base_url == "https://acme.fs.ocs.oraclecloud.com"
    resolved = profile_with(config_path, base_url="https://x.example.com/api///")
    assert resolved.base_url == "https://x.example.com/api"


def test_base_url_without_instance_is_an_error(config_path: Path) -> None:
    resolved = profile_with(config_path, instance=None)
    assert "no instance" in config_error(lambda: resolved.base_url)


# --------------------------------------------------------------------------- store writes


def test_set_value_keeps_other_profiles_and_keys(config_path: Path) -> None:
    """Other profiles and keys survive a write (comments too: see test_config_conventions)."""
    write(config_path, "# a comment\n" + TWO_PROFILES)
    before = load_raw(config_path)
    set_value(config_path, "prod", "timeout", "45")
    after = load_raw(config_path)
    assert after["profiles"]["test"] == before["profiles"]["test"]
    assert after["default_profile"] == "prod"
    expected_prod = {**before["profiles"]["prod"], "timeout": 45.0}
    assert after["profiles"]["prod"] == expected_prod


def test_set_value_coerces_types(config_path: Path) -> None:
    set_value(config_path, "p", "timeout", "30")
    set_value(config_path, "p", "http2", "true")
    set_value(config_path, "p", "verify_ssl", "false")
    set_value(config_path, "p", "max_retries", "5")
    set_value(config_path, "p", "client_secret", SECRET)
    table = load_raw(config_path)["profiles"]["p"]
    assert table == {
        "timeout": 30.0,
        "http2": True,
        "verify_ssl": False,
        "max_retries": 5,
        "client_secret": SECRET,
    }
    assert isinstance(table["timeout"], float)


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("timeout", "abc", "timeout: Input should be a valid number"),
        ("max_retries", "-1", "max_retries: Input should be greater than or equal to 0"),
        ("auth", "digest", "auth: Input should be 'basic' or 'oauth2'"),
        ("http2", "perhaps", "http2: Input should be a valid boolean"),
    ],
)
def test_invalid_set_leaves_file_byte_identical(
    config_path: Path, key: str, value: str, fragment: str
) -> None:
    write(config_path, "# keep me\n" + TWO_PROFILES)
    before = config_path.read_bytes()
    message = config_error(set_value, config_path, "prod", key, value)
    assert fragment in message
    assert value not in message
    assert config_path.read_bytes() == before
    assert sorted(p.name for p in config_path.parent.iterdir()) == ["config.toml"]


def test_unknown_key_lists_valid_keys_and_leaves_file(config_path: Path) -> None:
    write(config_path, TWO_PROFILES)
    before = config_path.read_bytes()
    message = config_error(set_value, config_path, "prod", "tiemout", "3")
    assert "unknown key 'tiemout'" in message
    for key in PROFILE_KEYS:
        assert key in message
    assert config_path.read_bytes() == before


def test_write_refused_when_result_invalid(config_path: Path) -> None:
    write(config_path, '[profiles.prod]\ninstance = "a"\n[profiles.bad]\ntimeout = "x"\n')
    before = config_path.read_bytes()
    message = config_error(set_value, config_path, "prod", "timeout", "3")
    assert "profile 'bad': timeout" in message
    assert config_path.read_bytes() == before


def test_set_value_can_repair_a_bad_value(config_path: Path) -> None:
    write(config_path, '[profiles.prod]\ninstance = "a"\ntimeout = "x"\n')
    set_value(config_path, "prod", "timeout", "3")
    assert load_config(config_path).profiles["prod"].timeout == 3.0


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_written_file_mode_0600_and_dir_0700(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "config.toml"
    set_value(path, "p", "instance", "a")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_existing_loose_file_becomes_0600(config_path: Path) -> None:
    write(config_path, TWO_PROFILES)
    config_path.chmod(0o644)
    set_value(config_path, "prod", "timeout", "1")
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlinked_config_is_followed(tmp_path: Path) -> None:
    real = write(tmp_path / "dotfiles" / "ofsc.toml", TWO_PROFILES)
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    set_value(link, "prod", "timeout", "9")
    assert link.is_symlink()
    assert load_config(real).profiles["prod"].timeout == 9.0


def test_unset_value(config_path: Path) -> None:
    write(config_path, TWO_PROFILES)
    assert unset_value(config_path, "prod", "timeout") is True
    assert "timeout" not in load_raw(config_path)["profiles"]["prod"]
    before = config_path.read_bytes()
    assert unset_value(config_path, "prod", "timeout") is False
    assert config_path.read_bytes() == before
    assert "not defined" in config_error(unset_value, config_path, "nope", "timeout")
    assert "valid keys" in config_error(unset_value, config_path, "prod", "bogus")


def test_set_default_profile(config_path: Path) -> None:
    write(config_path, TWO_PROFILES)
    set_default_profile(config_path, "test")
    assert load_config(config_path).default_profile == "test"
    set_default_profile(config_path, "sandbox")
    assert load_config(config_path).default_profile == "sandbox"
    before = config_path.read_bytes()
    message = config_error(set_default_profile, config_path, "prd")
    assert message == "unknown profile 'prd'; known profiles: prod, test, sandbox"
    assert config_path.read_bytes() == before


def test_write_profile_replaces_table_and_sets_default(config_path: Path) -> None:
    write(config_path, TWO_PROFILES)
    write_profile(
        config_path,
        "test",
        {"instance": "t2", "client_id": "c", "timeout": "12", "base_url": None},
        make_default=True,
    )
    config = load_config(config_path)
    assert config.default_profile == "test"
    assert config.profiles["test"].model_fields_set == {"instance", "client_id", "timeout"}
    assert config.profiles["test"].timeout == 12.0
    assert config.profiles["prod"].client_secret is not None
    write_profile(config_path, "third", {"instance": "x"}, make_default=False)
    assert load_config(config_path).default_profile == "test"


def test_write_profile_refuses_bad_values(config_path: Path) -> None:
    assert not config_path.exists()
    message = config_error(write_profile, config_path, "p", {"auth": "x"}, make_default=True)
    assert "profile 'p': auth" in message
    assert "valid keys" in config_error(
        write_profile, config_path, "p", {"nope": 1}, make_default=True
    )
    assert not config_path.exists()


def test_delete_profile(config_path: Path) -> None:
    write(config_path, TWO_PROFILES)
    delete_profile(config_path, "test")
    assert list(load_config(config_path).profiles) == ["prod"]
    delete_profile(config_path, "prod")
    config = load_config(config_path)
    assert config.profiles == {}
    assert config.default_profile is None
    assert "not defined" in config_error(delete_profile, config_path, "sandbox")


def test_list_profiles(config_path: Path) -> None:
    assert list_profiles(config_path) == [("sandbox", False, True)]
    write(config_path, TWO_PROFILES + "\n[profiles.sandbox]\ntimeout = 1\n")
    assert list_profiles(config_path) == [
        ("prod", True, False),
        ("test", False, False),
        ("sandbox", False, True),
    ]


def test_validate_file_reports_problems(config_path: Path) -> None:
    write(
        config_path,
        'default_profile = "gone"\n[profiles.a]\ninstance = "x"\n'
        '[profiles.b]\nclient_id = "c"\nbase_url = "http://ofs.example.com"\n',
    )
    problems = validate_file(config_path)
    assert len(problems) == 3, problems
    assert any("default_profile: unknown profile 'gone'" in p for p in problems)
    assert any("profile 'a': no client_id" in p for p in problems)
    assert any("profile 'b': refusing plain http://" in p for p in problems)
    assert all(p.startswith(str(config_path)) for p in problems)
    write(config_path, "[profiles.a]\ntimeout = [1]\nhttp2 = 'x'\n")
    assert len(validate_file(config_path)) == 2
    write(config_path, "[profiles\n")
    assert "invalid TOML" in validate_file(config_path)[0]


ASCII_NAME = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=["Cs"]),
    min_size=1,
    max_size=20,
)


@hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=ASCII_NAME, client_id=ASCII_NAME, command=st.text(max_size=40))
def test_written_values_round_trip(tmp_path: Path, name: str, client_id: str, command: str) -> None:
    path = tmp_path / "rt.toml"
    write_profile(
        path, name, {"client_id": client_id, "client_secret_command": command}, make_default=True
    )
    set_value(path, name, "timeout", "7")
    config = load_config(path)
    assert config.default_profile == name
    profile = config.profiles[name]
    assert (profile.client_id, profile.client_secret_command, profile.timeout) == (
        client_id,
        command,
        7.0,
    )


# --------------------------------------------------------------------------- paths, example, import


def test_default_config_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert default_config_path({"OFSC_CONFIG": str(tmp_path / "x.toml")}) == tmp_path / "x.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "app"))
    assert default_config_path({}) == tmp_path / "app" / "ofsc" / "config.toml"
    monkeypatch.delenv("OFSC_CONFIG")
    assert default_config_path() == tmp_path / "app" / "ofsc" / "config.toml"


@pytest.mark.skipif(sys.platform != "linux", reason="XDG directories are a Linux convention")
def test_an_empty_xdg_config_home_counts_as_unset(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Before: the config (secret included) went to ./ofsc/config.toml in the current directory.
    monkeypatch.setenv("XDG_CONFIG_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    path = default_config_path({})
    assert path.is_absolute()
    assert path == tmp_path / "home" / ".config" / "ofsc" / "config.toml"


def test_example_file_parses_and_validates() -> None:
    config = load_config(EXAMPLE)
    assert config.default_profile == "prod"
    assert config.profiles["prod"].auth == "oauth2"
    assert config.profiles["prod"].client_secret_command
    assert config.profiles["test"].auth == "basic"
    assert validate_file(EXAMPLE) == []


def example_entries() -> dict[str, list[tuple[Any, str]]]:
    """Each key set in the example (commented out or not) -> [(value, trailing comment)]."""
    entries: dict[str, list[tuple[Any, str]]] = {}
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        text = line.lstrip("# ").strip()
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue
        _, _, comment = text.partition("=")[2].partition("#")
        for key, value in parsed.items():
            entries.setdefault(key, []).append((value, comment.strip()))
    return entries


def shown_default(value: Any) -> str:
    """How the example's comments write a default: true, 30, 0.5, "basic"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return f"{value:g}"


def test_example_documents_every_key_with_its_default() -> None:
    entries = example_entries()
    for key, info in ProfileConfig.model_fields.items():
        assert key in entries, f"{key} missing from config.example.toml"
        assert any(comment for _, comment in entries[key]), f"{key} has no comment"
        if info.default is None:
            continue
        assert any(
            value == info.default or f"default {shown_default(info.default)}" in comment
            for value, comment in entries[key]
        ), f"{key}: default {info.default!r} not documented"


def test_importing_config_is_cheap() -> None:
    code = (
        "import sys, ofsc_cli; before = set(sys.modules); import ofsc_cli.config; "
        "new = set(sys.modules) - before; "
        "heavy = sorted(m for m in new if m.split('.')[0] in "
        "('pydantic', 'pydantic_settings', 'typer', 'rich', 'tomlkit')); "
        "print(heavy); raise SystemExit(1 if heavy else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_resolve_does_not_import_typer_or_rich_when_path_known() -> None:
    code = (
        "import sys; from ofsc_cli.config import resolve_settings; "
        "r = resolve_settings(profile='sandbox', env={'OFSC_CONFIG': 'does-not-exist.toml'}); "
        "bad = [m for m in ('typer', 'rich') if m in sys.modules]; print(bad); "
        "raise SystemExit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
