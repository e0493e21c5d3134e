"""Config writes are read-modify-write under a lock (issue 9, item 2).

20 ``ofsc config set`` processes started together, each setting another key or profile, keep
all 20 values; a write waits for the lock and gives up with one clean line; a refused change
creates nothing (not even the lock file); writes stay atomic, mode 0600.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import filelock
import pytest

from ofsc_cli.config import load_config, load_raw, set_value
from ofsc_cli.config import store as config_store
from ofsc_cli.errors import OFSConfigurationError

# Ten keys of one profile (value = what `config show` would read back) and ten profiles.
SHARED_KEYS = {
    "timeout": ("11", 11.0),
    "connect_timeout": ("12", 12.0),
    "max_retries": ("13", 13),
    "max_retry_delay": ("14", 14.0),
    "retry_backoff": ("1.5", 1.5),
    "circuit_failure_threshold": ("16", 16),
    "circuit_reset_timeout": ("17", 17.0),
    "max_connections": ("18", 18),
    "max_keepalive_connections": ("9", 9),
    "keepalive_expiry": ("20", 20.0),
}
PROFILES = [f"p{n}" for n in range(10)]


def _set_command(profile: str, key: str, value: str) -> list[str]:
    return [sys.executable, "-m", "ofsc_cli", "-p", profile, "config", "set", key, value]


def test_twenty_parallel_config_set_keep_every_value(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "config.toml"
    path.parent.mkdir()
    path.write_text('default_profile = "shared"\n\n[profiles.shared]\ninstance = "acme"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFSC_")}
    env |= {"OFSC_CONFIG": str(path), "NO_COLOR": "1"}
    commands = [_set_command("shared", k, v) for k, (v, _) in SHARED_KEYS.items()]
    commands += [_set_command(name, "instance", f"inst-{name}") for name in PROFILES]
    assert len(commands) == 20
    runs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for cmd in commands
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        assert out == ""

    config = load_config(path)
    shared = config.profiles["shared"]
    assert shared.instance == "acme"
    for key, (_, expected) in SHARED_KEYS.items():
        assert getattr(shared, key) == expected, key
    for name in PROFILES:
        assert config.profiles[name].instance == f"inst-{name}"
    assert config.default_profile == "shared"
    assert sorted(p.name for p in path.parent.iterdir()) == [".config.toml.lock", "config.toml"]
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_held_lock_makes_a_write_wait_then_give_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    set_value(path, "a", "instance", "x")
    before = path.read_bytes()
    monkeypatch.setattr(config_store, "LOCK_TIMEOUT", 0.2)
    other = filelock.FileLock(str(tmp_path / ".config.toml.lock"), thread_local=False)
    busy = pytest.raises(OFSConfigurationError, match="another ofsc process is writing it")
    with other, busy:
        set_value(path, "a", "timeout", "5")
    assert path.read_bytes() == before
    set_value(path, "a", "timeout", "5")  # free again
    assert load_raw(path)["profiles"]["a"] == {"instance": "x", "timeout": 5.0}


def test_a_refused_change_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    from ofsc_cli.config import set_default_profile

    with pytest.raises(OFSConfigurationError, match="unknown profile 'nope'"):
        set_default_profile(path, "nope")
    with pytest.raises(OFSConfigurationError, match="base_url"):
        set_value(path, "a", "base_url", "https://x:99999")
    assert not (tmp_path / "new").exists()


def test_the_lock_is_taken_beside_the_real_file_of_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "ofsc.toml"
    real.parent.mkdir()
    real.write_text("[profiles.a]\ninstance = 'x'\n")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    set_value(link, "a", "timeout", "3")
    assert link.is_symlink()
    assert sorted(p.name for p in real.parent.iterdir()) == [".ofsc.toml.lock", "ofsc.toml"]
    assert load_config(real).profiles["a"].timeout == 3.0


@pytest.mark.skipif(os.name != "posix", reason="POSIX devices")
def test_a_device_is_never_replaced(tmp_path: Path) -> None:
    """Writing refuses what is not a regular file (the null device reads as empty)."""
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    with pytest.raises(OFSConfigurationError, match="not a regular file"):
        set_value(fifo, "a", "timeout", "3")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert load_raw(Path(os.devnull)) == {}
