"""Bad-input corpus: the environment (issue 9, item 4).

The config file is a device (``/dev/zero``), a FIFO, a directory, too large, not UTF-8,
invalid TOML or holds invalid values; ``OFSC_BASE_URL`` (or a profile's ``base_url``) has a
bad scheme or port; ``OFSC_TIMEOUT`` is not a positive finite number; the config directory
cannot be created.  Every one exits 3 (configuration) with one line naming the file, the
variable or the key, without hanging and without writing anything.

Run in a subprocess (they need a real process): a config directory that is read-only and a
config file that cannot be read (as root, with the permission-override capabilities dropped,
so the modes count), the sandbox on a busy port (exit 6), and writes under ``umask 000``
(directories 0700, files 0600).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bad_inputs import Case, check
from served_cli import Cli

from ofsc_cli.sandbox import ServerHandle

Setup = Callable[[Path], dict[str, str] | None]
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX devices, FIFOs and file modes")


def _config(text: str | bytes) -> Setup:
    """Setup: ``config.toml`` (the harness's OFSC_CONFIG) with this content."""

    def setup(tmp_path: Path) -> None:
        path = tmp_path / "config.toml"
        path.write_bytes(text.encode() if isinstance(text, str) else text)

    return setup


def _config_dir(tmp_path: Path) -> None:
    (tmp_path / "config.toml").mkdir()


def _fifo(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "config.toml")


def _device(tmp_path: Path) -> dict[str, str]:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    return {"OFSC_CONFIG": "/dev/zero"}


def _under_a_file(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "plain").write_text("not a directory\n")
    return {"OFSC_CONFIG": str(tmp_path / "plain" / "ofsc" / "config.toml")}


def _case(
    id: str,
    command: str,
    *extra: str,
    setup: Setup | None = None,
    env: dict[str, str] | None = None,
    has: str | None = None,
    code: int = 3,
) -> Case:
    """``command`` is split on spaces; ``extra`` arguments are taken as they are."""
    return Case(
        id=id,
        argv=(*command.split(), *extra),
        code=code,
        setup=setup,
        env=env or {},
        stderr_has=has,
    )


LIST = "metadata work-zones list"
BAD_TOML = "[profiles.a]\ninstance = 'x'\n[profiles.b\n"

FILES = [
    _case("dev-zero-show", "config show -p sandbox", setup=_device, has="/dev/zero"),
    _case("dev-zero-command", LIST, setup=_device, has="not a regular file"),
    _case("dev-zero-set", "config set -p a timeout 5", setup=_device, has="/dev/zero"),
    _case("fifo-show", "config show -p sandbox", setup=_fifo, has="not a regular file"),
    _case("fifo-set", "config set -p a timeout 5", setup=_fifo, has="not a regular file"),
    _case("directory-show", "config show -p sandbox", setup=_config_dir, has="is a directory"),
    _case("directory-list", "config list", setup=_config_dir, has="config.toml"),
    _case("directory-set", "config set -p a timeout 5", setup=_config_dir, has="directory"),
    _case("too-large", "config show -p sandbox", setup=_config(b"#" * (2 << 20)), has="1 MiB"),
    _case("not-utf8", LIST, setup=_config(b"[profiles.a]\ninstance = '\xff'\n"), has="UTF-8"),
    _case("toml-table", "config show -p sandbox", setup=_config(BAD_TOML), has="line 3"),
    _case("toml-table-command", LIST, setup=_config(BAD_TOML), has="config.toml"),
    _case("toml-table-set", "config set -p a timeout 5", setup=_config(BAD_TOML), has="line 3"),
    _case("toml-string", "config list", setup=_config('default_profile = "a\n'), has="line 1"),
    _case("toml-duplicate", "config list", setup=_config("a = 1\na = 2\n"), has="line 2"),
    _case("toml-binary", "config list", setup=_config(b"\x00\x01\x02"), has="config.toml"),
    _case(
        "value-type",
        "-p a " + LIST,
        setup=_config("[profiles.a]\ninstance = 'x'\ntimeout = 'soon'\n"),
        has="profile 'a': timeout",
    ),
    _case(
        "value-nan",
        "-p a " + LIST,
        setup=_config("[profiles.a]\ninstance = 'x'\ntimeout = nan\n"),
        has="timeout",
    ),
    _case("dir-under-a-file", "config set -p a timeout 5", setup=_under_a_file, has="plain"),
    _case("use-unknown-profile", "config use nope", has="unknown profile"),
]

BASE_URLS = [
    _case(f"env-base-url-{name}", LIST, env={"OFSC_BASE_URL": url}, has="OFSC_BASE_URL")
    for name, url in [
        ("ftp", "ftp://x"),
        ("port-99999", "https://x:99999"),
        ("port-abc", "https://x:abc"),
        ("port-0", "https://x:0"),
        ("port-negative", "https://x:-1"),
        ("not-a-url", "not a url"),
        ("no-host", "https://"),
        ("bad-ipv6", "http://[::1"),
        ("credentials", "https://user:pw@x.example.com"),
        ("newline", "https://x.example.com/\n"),
    ]
] + [
    _case(
        "profile-base-url-port",
        "-p a " + LIST,
        setup=_config("[profiles.a]\nclient_id = 'c'\nbase_url = 'https://x:99999'\n"),
        has="profile 'a': base_url",
    ),
    _case(
        "profile-base-url-scheme",
        "-p a " + LIST,
        setup=_config("[profiles.a]\nclient_id = 'c'\nbase_url = 'file:///etc/passwd'\n"),
        has="base_url",
    ),
    _case("set-base-url-port", "config set -p a base_url https://x:65536", has="base_url"),
    _case("set-base-url-scheme", "config set -p a base_url gopher://x", has="base_url"),
    _case(
        "init-base-url-port",
        "config init --non-interactive --name a --client-id c --client-secret s "
        "--base-url https://x:abc",
        has="base_url",
    ),
]

ENV_VALUES = [
    _case(f"env-timeout-{value}", LIST, env={"OFSC_TIMEOUT": value}, has="OFSC_TIMEOUT")
    for value in ("nan", "-1", "0", "inf", "86401", "soon")
] + [
    _case("env-retry-delay-inf", LIST, env={"OFSC_MAX_RETRY_DELAY": "inf"}, has="OFSC_MAX"),
    _case("env-auth", LIST, env={"OFSC_AUTH": "kerberos"}, has="OFSC_AUTH"),
    _case("env-unknown-profile", LIST, env={"OFSC_PROFILE": "nope"}, has="OFSC_PROFILE"),
]

CASES: list[Case] = FILES + BASE_URLS + ENV_VALUES


@POSIX
@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(case: Case, sandbox_server: ServerHandle, tmp_path: Path) -> None:
    check(case, sandbox_server, tmp_path)


# --------------------------------------------------------------------------- subprocess cases


def _drop_permission_override() -> None:  # pragma: no cover - runs in the child
    """In the child, before exec: as root, drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
    from the bounding set, so that file modes apply to the program it runs."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            os._exit(97)


def ofsc(
    *args: str, env: dict[str, str], umask: int | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ofsc_cli ARGS`` in a fresh process (modes apply even as root)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("OFSC_")}
    preexec = _drop_permission_override if os.geteuid() == 0 else None
    done = subprocess.run(
        [sys.executable, "-m", "ofsc_cli", *args],
        env={**base, "NO_COLOR": "1", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec,
        umask=-1 if umask is None else umask,
        check=False,
    )
    if done.returncode == 97:
        pytest.skip("cannot drop the permission-override capabilities here")
    return done


def _one_clean_line(done: subprocess.CompletedProcess[str], code: int, has: str) -> None:
    where = f"exit {done.returncode}\nstdout: {done.stdout!r}\nstderr: {done.stderr!r}"
    assert done.returncode == code, where
    assert "Traceback" not in done.stderr, where
    assert len(done.stderr.strip().splitlines()) == 1, where
    assert has in done.stderr, where
    assert done.stdout == "", where


def _listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o700)


@POSIX
@pytest.mark.parametrize(
    "args",
    [
        ("config", "set", "-p", "a", "timeout", "5"),
        ("config", "use", "sandbox"),
        (
            "config",
            "init",
            "--non-interactive",
            "--name",
            "a",
            "--instance",
            "x",
            "--client-id",
            "c",
            "--client-secret",
            "s",
        ),
    ],
    ids=["set", "use", "init"],
)
@pytest.mark.parametrize("where", ["dir", "new-subdir"])
def test_read_only_config_directory(read_only_dir: Path, args: tuple[str, ...], where: str) -> None:
    folder = read_only_dir if where == "dir" else read_only_dir / "ofsc"
    env = {"OFSC_CONFIG": str(folder / "config.toml")}
    done = ofsc(*args, env=env)
    _one_clean_line(done, 3, str(folder))
    assert "Permission denied" in done.stderr
    assert _listing(read_only_dir) == []


@POSIX
@pytest.mark.parametrize(
    "args",
    [
        ("config", "show", "-p", "sandbox"),
        ("config", "set", "-p", "a", "timeout", "5"),
        ("metadata", "work-zones", "list"),
    ],
    ids=["show", "set", "command"],
)
def test_unreadable_config_file(tmp_path: Path, args: tuple[str, ...]) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[profiles.a]\ninstance = 'x'\n")
    path.chmod(0o000)
    try:
        done = ofsc(*args, env={"OFSC_CONFIG": str(path)})
    finally:
        path.chmod(0o600)
    _one_clean_line(done, 3, f"{path}: cannot read: Permission denied")
    assert _listing(tmp_path) == ["config.toml"]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


@pytest.mark.parametrize("db", [True, False], ids=["db", "default-db"])
def test_sandbox_serve_on_a_busy_port(
    busy_port: int, sandbox_server: ServerHandle, tmp_path: Path, db: bool
) -> None:
    """Refused before the database is opened (nothing written): exit 6, one line."""
    cli = Cli(sandbox_server, tmp_path, XDG_DATA_HOME=str(tmp_path / "data"))
    extra = ("--db", str(tmp_path / "sandbox.db")) if db else ()
    run = cli("sandbox", "serve", "--port", str(busy_port), *extra)
    assert run.exit_code == 6, run.stderr
    assert run.stderr == f"ofsc: port {busy_port} is in use; try --port 0\n"
    assert run.stdout == ""
    assert _listing(tmp_path) == []


@POSIX
def test_umask_000_config_dirs_0700_files_0600(tmp_path: Path) -> None:
    path = tmp_path / "home" / ".config" / "ofsc" / "config.toml"
    env = {"OFSC_CONFIG": str(path)}
    done = ofsc("config", "set", "-p", "a", "instance", "acme", env=env, umask=0)
    assert done.returncode == 0, done.stderr
    for folder in (tmp_path / "home", tmp_path / "home" / ".config", path.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert sorted(p.name for p in path.parent.iterdir()) == [".config.toml.lock", "config.toml"]
    for file in path.parent.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


@POSIX
def test_umask_000_token_cache_dirs_0700_files_0600(
    sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    env = {
        "OFSC_BASE_URL": sandbox_server.url,
        "OFSC_INSTANCE": "sandbox",
        "OFSC_CLIENT_ID": "demo",
        "OFSC_CLIENT_SECRET": "demo-secret",
        "OFSC_AUTH": "oauth2",
        "OFSC_CONFIG": str(tmp_path / "config.toml"),
        "XDG_CACHE_HOME": str(cache),
    }
    done = ofsc("metadata", "work-zones", "list", "-n", "1", "-o", "json", env=env, umask=0)
    assert done.returncode == 0, done.stderr
    made = [cache, *cache.rglob("*")]
    assert any(p.suffix == ".json" for p in made), made
    for entry in made:
        expected = 0o700 if entry.is_dir() else 0o600
        assert stat.S_IMODE(entry.stat().st_mode) == expected, entry
