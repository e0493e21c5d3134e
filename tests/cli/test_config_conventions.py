"""Config conventions: ``ofsc config`` edits a hand-written file in place (comments, order,
blank lines and number spelling survive), ``config init`` refuses a bad instance name before
writing anything, an empty ``XDG_CONFIG_HOME`` is unset, and ``-p`` completes profile names."""

from __future__ import annotations

import difflib
import os
import stat
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.context import AppContext
from ofsc_cli.config.store import profile_choices

HAND_WRITTEN = """\
# My OFS profiles -- keep this comment.
#   (edited by hand)

[profiles.test]   # the test instance
timeout = 30.0          # seconds, written as a float
client_id = "tester"
instance = "acme.test"
max_retries = 3

connect_timeout = 5.0


# production is below test on purpose
[profiles.prod]
instance = "acme"   # the real one
client_id = "ofsc-cli"
client_secret_command = "pass show ofs/prod"
timeout = 30.0
http2 = true

[profiles]
legacy = { instance = "old", client_id = "x", timeout = 10.0 }   # inline
"""


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith("OFSC_"):
            monkeypatch.delenv(name)
    path = tmp_path / "cfg" / "config.toml"
    monkeypatch.setenv("OFSC_CONFIG", str(path))
    return path


def ofsc(*args: str, input: str | None = None, obj: AppContext | None = None) -> Result:
    return CliRunner().invoke(build_app(), list(args), input=input, obj=obj)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def replaced(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced (the test's own expectation)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --------------------------------------------------------------------------- edits in place


def test_set_changes_one_value_and_keeps_everything_else(config: Path) -> None:
    write(config, HAND_WRITTEN)
    result = ofsc("config", "set", "timeout", "45", "-p", "test")
    assert result.exit_code == 0, result.output
    expected = replaced(
        HAND_WRITTEN,
        "timeout = 30.0          # seconds, written as a float",
        "timeout = 45.0          # seconds, written as a float",
    )
    assert config.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_set_of_a_new_key_appends_it_to_its_table_only(config: Path) -> None:
    write(config, HAND_WRITTEN)
    assert ofsc("config", "set", "max_retries", "7", "-p", "prod").exit_code == 0
    text = config.read_text(encoding="utf-8")
    assert text == replaced(HAND_WRITTEN, "http2 = true\n", "http2 = true\nmax_retries = 7\n")


def test_set_in_an_inline_table(config: Path) -> None:
    write(config, HAND_WRITTEN)
    assert ofsc("config", "set", "timeout", "12", "-p", "legacy").exit_code == 0
    before, after = HAND_WRITTEN.splitlines(), config.read_text(encoding="utf-8").splitlines()
    assert len(before) == len(after)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 1 and changed[0][0].startswith("legacy = {")
    assert tomllib.loads("\n".join(after))["profiles"]["legacy"] == {
        "instance": "old",
        "client_id": "x",
        "timeout": 12.0,
    }


def test_setting_an_equal_value_keeps_its_spelling(config: Path) -> None:
    write(config, HAND_WRITTEN)
    assert ofsc("config", "set", "connect_timeout", "5", "-p", "test").exit_code == 0
    assert config.read_text(encoding="utf-8") == HAND_WRITTEN


def test_unset_removes_exactly_that_line(config: Path) -> None:
    write(config, HAND_WRITTEN)
    result = ofsc("config", "unset", "client_secret_command", "-p", "prod")
    assert result.exit_code == 0, result.output
    expected = replaced(HAND_WRITTEN, 'client_secret_command = "pass show ofs/prod"\n', "")
    assert config.read_text(encoding="utf-8") == expected


def test_use_adds_default_profile_above_the_tables_and_later_changes_it(config: Path) -> None:
    write(config, HAND_WRITTEN)
    assert ofsc("config", "use", "prod").exit_code == 0
    text = config.read_text(encoding="utf-8")
    head, sep, tables = text.partition("[profiles.test]")
    assert sep and 'default_profile = "prod"' in head
    assert sep + tables == HAND_WRITTEN.partition("[profiles.test]")[1:][0] + tables
    assert text.replace('default_profile = "prod"\n', "") == HAND_WRITTEN
    assert ofsc("config", "use", "test").exit_code == 0
    assert config.read_text(encoding="utf-8") == replaced(
        text, 'default_profile = "prod"', 'default_profile = "test"'
    )


def test_init_of_another_profile_keeps_the_file_and_appends_the_profile(config: Path) -> None:
    write(config, HAND_WRITTEN)
    result = ofsc(
        "config", "init", "--name", "other", "--instance", "acme-other", "--client-id", "c2",
        "--client-secret-command", "pass show ofs/other", "--auth", "oauth2",
        "--no-default", "--non-interactive",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = config.read_text(encoding="utf-8")
    # Only lines were added (tomlkit puts the table beside its siblings, before [profiles]).
    diff = list(difflib.ndiff(HAND_WRITTEN.splitlines(), text.splitlines()))
    assert not [line for line in diff if line.startswith(("- ", "? "))]
    added = "\n".join(line[2:] for line in diff if line.startswith("+ "))
    assert tomllib.loads(added) == {
        "profiles": {
            "other": {
                "instance": "acme-other",
                "client_id": "c2",
                "client_secret_command": "pass show ofs/other",
                "auth": "oauth2",
            }
        }
    }


def test_init_of_an_existing_profile_edits_it_in_place(config: Path) -> None:
    write(config, HAND_WRITTEN)
    result = ofsc(
        "config", "init", "--name", "prod", "--instance", "acme", "--client-id", "ofsc-cli",
        "--client-secret-command", "pass show ofs/prod2", "--auth", "basic",
        "--no-default", "--non-interactive",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = config.read_text(encoding="utf-8")
    assert 'instance = "acme"   # the real one\n' in text  # untouched key, comment kept
    prod = tomllib.loads(text)["profiles"]["prod"]
    assert prod == {
        "instance": "acme",
        "client_id": "ofsc-cli",
        "client_secret_command": "pass show ofs/prod2",
        "auth": "basic",
    }
    # Everything outside the prod table is as it was.
    assert text.partition("[profiles.prod]")[0] == HAND_WRITTEN.partition("[profiles.prod]")[0]
    assert text.partition("[profiles]\n")[2] == HAND_WRITTEN.partition("[profiles]\n")[2]


def test_a_new_file_gets_a_header_and_is_then_edited_in_place(config: Path) -> None:
    assert ofsc("config", "set", "instance", "acme", "-p", "p").exit_code == 0
    first = config.read_text(encoding="utf-8")
    assert first.startswith("# ") and tomllib.loads(first) == {
        "profiles": {"p": {"instance": "acme"}}
    }
    assert ofsc("config", "set", "timeout", "9", "-p", "p").exit_code == 0
    second = config.read_text(encoding="utf-8")
    assert second == replaced(first, 'instance = "acme"\n', 'instance = "acme"\ntimeout = 9.0\n')


def test_a_refused_value_leaves_the_hand_written_file_untouched(config: Path) -> None:
    write(config, HAND_WRITTEN)
    result = ofsc("config", "set", "-p", "test", "--", "timeout", "-1")
    assert result.exit_code == 3
    assert config.read_text(encoding="utf-8") == HAND_WRITTEN


# --------------------------------------------------------------------------- instance names


BAD_INSTANCES = [
    "bad host",
    "acme/x",
    "-acme",
    "acme-",
    "a..b",
    "acme_1",
    "acme\nsecond",
    "x" * 64,
    "https://acme.fs.ocs.oraclecloud.com",
]


def init_args(instance: str) -> list[str]:
    return [
        "config", "init", "--name", "p", "--instance", instance, "--client-id", "c",
        "--client-secret-command", "true", "--non-interactive",
    ]  # fmt: skip


@pytest.mark.parametrize("instance", BAD_INSTANCES)
def test_init_refuses_a_bad_instance_and_writes_nothing(config: Path, instance: str) -> None:
    result = ofsc(*init_args(instance))
    assert result.exit_code == 3, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "instance" in lines[0] and "not a valid host name" in lines[0]
    assert not config.parent.exists()  # no file, no directory, no lock file


@pytest.mark.parametrize("instance", BAD_INSTANCES[:3])
def test_a_bad_instance_leaves_an_existing_file_untouched(config: Path, instance: str) -> None:
    write(config, HAND_WRITTEN)
    before = config.stat()
    assert ofsc(*init_args(instance)).exit_code == 3
    assert ofsc("config", "set", "-p", "test", "--", "instance", instance).exit_code == 3
    assert config.read_text(encoding="utf-8") == HAND_WRITTEN
    assert config.stat().st_mtime_ns == before.st_mtime_ns


@pytest.mark.parametrize("instance", ["acme", "acme-test", "acme.test", "ACME1", "a" * 63])
def test_init_accepts_instance_names(config: Path, instance: str) -> None:
    result = ofsc(*init_args(instance))
    assert result.exit_code == 0, result.output
    assert tomllib.loads(config.read_text())["profiles"]["p"]["instance"] == instance


def test_the_wizard_refuses_a_bad_instance_before_asking_for_the_secret(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ofsc_cli.cli.context._isatty", lambda stream: True)
    result = ofsc("config", "init", input="p\nbad host\n", obj=AppContext(stderr_is_tty=True))
    assert result.exit_code == 3
    assert "not a valid host name" in result.stderr
    assert "secret" not in result.stderr.lower()
    assert not config.exists()


@pytest.mark.skipif(sys.platform != "linux", reason="XDG directories are a Linux convention")
def test_an_empty_xdg_config_home_never_writes_into_the_current_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cwd, home = tmp_path / "cwd", tmp_path / "home"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    env = {"XDG_CONFIG_HOME": "", "HOME": str(home), "OFSC_CONFIG": None}
    result = CliRunner().invoke(build_app(), init_args("acme"), env=env)
    assert result.exit_code == 0, result.output
    assert list(cwd.iterdir()) == []
    written = home / ".config" / "ofsc" / "config.toml"
    assert tomllib.loads(written.read_text())["profiles"]["p"]["instance"] == "acme"


# --------------------------------------------------------------------------- completion


def complete(words: str, env: dict[str, str | None] | None = None) -> list[str]:
    """What bash completion offers for ``words`` (the last word being completed)."""
    parts = words.split(" ")
    variables = {
        "_OFSC_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
        **(env or {}),
    }
    result = CliRunner().invoke(build_app(), [], env=variables, prog_name="ofsc")
    return result.stdout.split()


def test_profile_completion_lists_file_then_built_in_profiles(config: Path) -> None:
    write(config, HAND_WRITTEN)
    assert complete("ofsc -p ") == ["test", "prod", "legacy", "sandbox"]
    assert complete("ofsc --profile pr") == ["prod"]
    assert complete("ofsc metadata work-zones list -p l") == ["legacy"]  # after the verb


def test_profile_completion_without_a_usable_file_offers_built_ins(config: Path) -> None:
    assert complete("ofsc -p ") == ["sandbox"]
    write(config, "this is [not toml")
    assert complete("ofsc -p ") == ["sandbox"]


def test_profile_choices_describe_each_profile(config: Path) -> None:
    write(config, 'default_profile = "prod"\n' + HAND_WRITTEN)
    assert profile_choices(config) == [
        ("test", "acme.test"),
        ("prod", "acme (default)"),
        ("legacy", "old"),
        ("sandbox", "built-in"),
    ]


def test_the_file_is_read_only_when_completing(config: Path) -> None:
    write(config, "this is [not toml")
    assert ofsc("--help").exit_code == 0
    assert ofsc("config", "path").exit_code == 0
