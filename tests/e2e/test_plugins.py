"""Plugins through entry points (ofsc_cli.plugins, ofsc_cli.commands), end to end.

The example distribution ``examples/ofsc-plugin-example`` is installed once for the module
with pip (``--target`` a temporary directory, offline: setuptools, its build backend, is a
test dependency, so ``--no-build-isolation`` needs no download), and the
CLI runs as a subprocess with that directory on ``PYTHONPATH``, so its entry points are
found as an installed plugin's are.  Commands go over real HTTP to the served emulator,
which records the headers it receives.  A second, broken distribution is written by hand
(a ``.dist-info`` directory, as pip leaves one) for the failure cases.

The discovery parser is also checked in-process on hand-made ``sys.path`` directories.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from served_cli import cli_env, sync_client

from ofsc_cli.plugins import COMMANDS_GROUP, PLUGINS_GROUP, discover
from ofsc_cli.sandbox import ServerHandle

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ofsc-plugin-example"
HEADER = "x-plugin-example"

BROKEN_MODULE = """
raise RuntimeError("broken at import")
"""
FAILING_REGISTER = """
def register(plugin):
    plugin.add_validator("POST /rest/ofscMetadata/v1/workZones", lambda op, body: None)
    raise RuntimeError("boom in register")
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plugin, installed by pip into a directory of its own."""
    target = tmp_path_factory.mktemp("site")
    source = tmp_path_factory.mktemp("src") / EXAMPLE.name  # the build leaves files beside it
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "--target", str(target), str(source)],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def _dist(root: Path, name: str, version: str, entry_points: str, modules: dict[str, str]) -> Path:
    """An installed distribution as pip leaves one: modules and a ``.dist-info``."""
    root.mkdir(parents=True, exist_ok=True)
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: Broken on purpose\n"
    )
    (info / "entry_points.txt").write_text(entry_points)
    for module, text in modules.items():
        (root / f"{module}.py").write_text(text)
    return root


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A distribution whose plugins all fail: an import error, a register that raises,
    a command group named like a built-in one and one whose module raises."""
    return _dist(
        tmp_path_factory.mktemp("broken"),
        "ofsc-plugin-broken",
        "1.0",
        "[ofsc_cli.plugins]\n"
        "missing = ofsc_plugin_absent:register\n"
        "failing = ofsc_plugin_failing\n"
        "\n[ofsc_cli.commands]\n"
        "core = ofsc_plugin_failing:app\n"
        "wrecked = ofsc_plugin_wrecked:app\n",
        {"ofsc_plugin_failing": FAILING_REGISTER, "ofsc_plugin_wrecked": BROKEN_MODULE},
    )


@pytest.fixture
def seen(sandbox_server: ServerHandle, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The requests the served emulator receives during the test."""
    requests: list[Any] = []
    handle = sandbox_server.emulator.handle

    def recording(request: Any) -> Any:
        requests.append(request)
        return handle(request)

    monkeypatch.setattr(sandbox_server.emulator, "handle", recording)
    return requests


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def ofsc(sandbox_server: ServerHandle, tmp_path: Path, site: Path) -> Run:
    """``ofsc(*args, path=[site], env={}, python=[])``: the CLI in a fresh process."""

    def run(
        *args: str,
        path: list[Path] | None = None,
        env: dict[str, str] | None = None,
        python: tuple[str, ...] = (),
    ) -> subprocess.CompletedProcess[str]:
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("OFSC_") or k == "OFSC_SANDBOX_STRICT"
        }
        for key, value in cli_env(sandbox_server, tmp_path).items():
            if value is None:
                base.pop(key, None)
            else:
                base[key] = value
        base["PYTHONPATH"] = os.pathsep.join(str(p) for p in ([site] if path is None else path))
        base.update(env or {})
        return subprocess.run(
            [sys.executable, *python, "-m", "ofsc_cli", *args],
            capture_output=True, text=True, env=base, check=False, timeout=60,
        )  # fmt: skip

    return run


def _imported(importtime: str) -> set[str]:
    """Module names in ``-X importtime`` output."""
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in importtime.splitlines()
        if line.startswith("import time:")
    }


def test_plugins_list_shows_the_example(ofsc: Run) -> None:
    result = ofsc("plugins", "list", "-o", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {
            "name": "example",
            "kinds": ["commands", "middleware", "validators"],
            "distribution": "ofsc-plugin-example",
            "version": "0.1.0",
            "status": "ok",
        }
    ]
    assert result.stderr == ""


def test_example_command_counts_work_zones_with_the_plugin_header(
    ofsc: Run, sandbox_server: ServerHandle, seen: list[Any]
) -> None:
    with sync_client(sandbox_server) as client:
        total = client.metadata.list_work_zones(limit=1).totalResults
    seen.clear()
    result = ofsc("example", "hello", "-o", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["workZones"] == total
    assert [r.path for r in seen] == ["/rest/ofscMetadata/v1/workZones"]
    assert seen[0].headers[HEADER] == "ofsc-plugin-example/0.1.0"
    # The middleware is on every client the CLI builds, built-in commands included.
    seen.clear()
    assert ofsc("metadata", "work-zones", "list", "--limit", "1").returncode == 0
    assert [r.headers.get(HEADER) for r in seen] == ["ofsc-plugin-example/0.1.0"]


def test_the_validator_refuses_a_bad_body_before_sending(
    ofsc: Run, tmp_path: Path, seen: list[Any]
) -> None:
    body = tmp_path / "zone.json"
    zone = {"workZoneLabel": "lower_zone", "workZoneName": "Lower", "status": "active"}
    body.write_text(json.dumps({**zone, "travelArea": "north"}))
    result = ofsc("metadata", "work-zones", "create", "--file", str(body))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "must be upper case" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert [r for r in seen if r.method == "POST"] == []


def test_the_library_loads_plugins_only_when_asked(
    ofsc: Run, sandbox_server: ServerHandle, seen: list[Any]
) -> None:
    script = (
        "import sys\n"
        "from ofsc_cli import OFSC\n"
        "with OFSC.from_profile() as plain:\n"
        "    plain.metadata.list_work_zones(limit=1)\n"
        "assert 'ofsc_plugin_example' not in sys.modules\n"
        "with OFSC.from_profile(plugins=True) as client:\n"
        "    client.metadata.list_work_zones(limit=1)\n"
    )
    result = ofsc(python=("-c", script, "--"))  # -c wins: ofsc_cli is not run
    assert result.returncode == 0, result.stderr
    assert [r.headers.get(HEADER) for r in seen] == [None, "ofsc-plugin-example/0.1.0"]


def test_help_lists_the_group_without_importing_it(ofsc: Run) -> None:
    result = ofsc("--help", python=("-X", "importtime"))
    assert result.returncode == 0
    row = next(line for line in result.stdout.splitlines() if line.strip().startswith("example"))
    assert "(plugin" in row or "plugin" in result.stdout
    assert "ofsc_plugin_example" not in _imported(result.stderr)


@pytest.mark.parametrize(
    "args", [("--version",), ("config", "path"), ("sandbox", "--help")], ids=" ".join
)
def test_commands_that_need_no_plugin_do_not_look_for_one(ofsc: Run, args: tuple[str]) -> None:
    result = ofsc(*args, python=("-X", "importtime"))
    assert result.returncode == 0, result.stderr
    modules = _imported(result.stderr)
    assert "ofsc_plugin_example" not in modules
    assert "ofsc_cli.plugins" not in modules  # the entry points were not even read


def test_broken_plugins_warn_once_each_and_the_cli_still_works(
    ofsc: Run, site: Path, broken: Path, seen: list[Any]
) -> None:
    result = ofsc("example", "hello", "-o", "json", path=[broken, site])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["plugin"] == "ofsc-plugin-example"
    lines = result.stderr.splitlines()
    assert sorted(lines) == sorted(
        [
            "ofsc: warning: plugin ofsc-plugin-broken: command group ofsc_plugin_failing:app "
            "refused: 'core' is a built-in command group",
            "ofsc: warning: plugin missing (ofsc-plugin-broken 1.0) failed to load: "
            "ModuleNotFoundError: No module named 'ofsc_plugin_absent'",
            "ofsc: warning: plugin failing (ofsc-plugin-broken 1.0) failed to load: "
            "RuntimeError: boom in register",
        ]
    ), result.stderr
    # What the failed register had added was taken back; the example's middleware stayed.
    assert seen[0].headers[HEADER] == "ofsc-plugin-example/0.1.0"

    wrecked = ofsc("wrecked", "anything", path=[broken, site])
    assert wrecked.returncode == 2
    assert (
        "ofsc: warning: plugin wrecked (ofsc-plugin-broken 1.0) failed to load: "
        "RuntimeError: broken at import"
    ) in wrecked.stderr.splitlines()
    assert "Traceback" not in wrecked.stderr

    core = ofsc("core", "--help", path=[broken, site])  # the built-in group, untouched
    assert core.returncode == 0 and "Activities" in core.stdout and core.stderr == ""

    listed = ofsc("plugins", "list", "-o", "json", path=[broken, site])
    assert listed.returncode == 0, listed.stderr
    status = {
        (row["distribution"], row["name"]): row["status"] for row in json.loads(listed.stdout)
    }
    assert status == {
        ("ofsc-plugin-broken", "core"): "refused: 'core' is a built-in command group",
        ("ofsc-plugin-broken", "failing"): "failed: RuntimeError: boom in register",
        ("ofsc-plugin-broken", "missing"): "failed: ModuleNotFoundError: "
        "No module named 'ofsc_plugin_absent'",
        ("ofsc-plugin-broken", "wrecked"): "failed: RuntimeError: broken at import",
        ("ofsc-plugin-example", "example"): "ok",
    }


def test_ofsc_no_plugins_turns_them_off(ofsc: Run, seen: list[Any]) -> None:
    off = {"OFSC_NO_PLUGINS": "1"}
    result = ofsc("example", "hello", env=off)
    assert result.returncode == 2
    assert "No such command 'example'" in result.stderr
    assert "example" not in ofsc("--help", env=off).stdout.split("Commands:")[1]
    seen.clear()
    assert ofsc("metadata", "work-zones", "list", "--limit", "1", env=off).returncode == 0
    assert [r.headers.get(HEADER) for r in seen] == [None]
    listed = ofsc("plugins", "list", "-o", "json", env=off)
    assert [row["status"] for row in json.loads(listed.stdout)] == ["disabled (OFSC_NO_PLUGINS)"]


# -- discovery, in-process ------------------------------------------------------------------


def _info(directory: Path, dirname: str, entry_points: str | None, metadata: str = "") -> None:
    info = directory / dirname
    info.mkdir(parents=True)
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points)
    (info / ("PKG-INFO" if dirname.endswith(".egg-info") else "METADATA")).write_text(metadata)


def test_discovery_reads_entry_points_files_as_installed(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _info(
        first,
        "team_tools-2.0.dist-info",
        "# a comment\n[console_scripts]\nteam = team_tools:main\n\n[ofsc_cli.commands]\n"
        "team = team_tools.cli:app [extra]\n; another\n[ofsc_cli.plugins]\nteam=team_tools\n",
        "Metadata-Version: 2.1\nName: Team.Tools\nVersion: 2.0\nSummary: Team commands\n"
        "\nName: the body, not a header\n",
    )
    _info(first, "no_plugins-1.0.dist-info", None)
    _info(first, "legacy.egg-info", "[ofsc_cli.plugins]\nold = legacy:register\n", "Name: legacy\n")
    # The same distribution later on the path is shadowed, as importlib.metadata does.
    _info(second, "team_tools-1.0.dist-info", "[ofsc_cli.commands]\nteam = old:app\n")
    (second / "not-a-dir.zip").write_bytes(b"not a zip")
    found = discover(
        [str(first), str(tmp_path / "absent"), str(second / "not-a-dir.zip"), str(second)]
    )
    commands = [
        (e.name, e.value, e.distribution, e.version, e.summary) for e in found[COMMANDS_GROUP]
    ]
    assert commands == [
        ("team", "team_tools.cli:app [extra]", "Team.Tools", "2.0", "Team commands")
    ]
    plugins = sorted((e.name, e.value, e.distribution, e.version) for e in found[PLUGINS_GROUP])
    assert plugins == [
        ("old", "legacy:register", "legacy", "?"),
        ("team", "team_tools", "Team.Tools", "2.0"),
    ]


def test_an_entry_loads_its_default_attribute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ofsc_cli.plugins import PluginEntry

    (tmp_path / "plugin_target_mod.py").write_text(
        "def register(plugin):\n    return 'r'\napp = 'a'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = PluginEntry(PLUGINS_GROUP, "x", "plugin_target_mod", "d", "1")
    assert entry.load(default="register")(None) == "r"
    assert PluginEntry(COMMANDS_GROUP, "x", "plugin_target_mod:app [cli]", "d", "1").load() == "a"
    with pytest.raises(AttributeError, match="plugin_target_mod has no attribute nope"):
        PluginEntry(COMMANDS_GROUP, "x", "plugin_target_mod:nope", "d", "1").load()


HALF_DONE = """
def register(plugin):
    plugin.add_validator("POST /rest/ofscMetadata/v1/workZones", lambda op, body: None)
    plugin.add_middleware(lambda: None)
    raise RuntimeError("late failure")
"""
MIXED = """
class Both:
    def __call__(self, request, call_next):
        return call_next(request)

    async def handle_async(self, request, call_next):
        return await call_next(request)


async def async_only(request, call_next):
    return await call_next(request)


def broken_factory():
    raise OSError("no state file")


def register(plugin):
    plugin.add_response_processor("GET /rest/ofscMetadata/v1/workZones", lambda op, r: r)
    plugin.add_middleware(Both)
    plugin.add_middleware(lambda: async_only)
    plugin.add_middleware(lambda: "pkg.mod:factory")
    plugin.add_middleware(broken_factory)
"""


@pytest.fixture
def fake_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``ofsc_cli.plugins`` with two plugins found (modules in ``tmp_path``), loaded afresh
    and forgotten afterwards (what they registered taken back)."""
    from ofsc_cli import plugins
    from ofsc_cli.plugins import PluginEntry

    (tmp_path / "half_done_plugin.py").write_text(HALF_DONE)
    (tmp_path / "mixed_plugin.py").write_text(MIXED)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("OFSC_NO_PLUGINS", raising=False)
    found = (
        PluginEntry(PLUGINS_GROUP, "half", "half_done_plugin", "half-dist", "1"),
        PluginEntry(PLUGINS_GROUP, "mixed", "mixed_plugin:register", "mixed-dist", "2"),
    )
    monkeypatch.setattr(
        plugins, "discover", lambda path=None: {PLUGINS_GROUP: found, COMMANDS_GROUP: ()}
    )
    plugins._reset()
    yield plugins
    plugins._reset()
    for name in ("half_done_plugin", "mixed_plugin"):
        sys.modules.pop(name, None)


def test_registration_rollback_and_middleware_checks(fake_plugins: Any) -> None:
    from ofsc_cli.client import extensions

    validators, processors = extensions.VALIDATORS.hooks, extensions.PROCESSORS.hooks
    with pytest.warns(fake_plugins.PluginWarning) as caught:
        statuses = fake_plugins.load_plugins()
        sync = fake_plugins.plugin_middleware(asynchronous=False)
        asynchronous = fake_plugins.plugin_middleware(asynchronous=True)
    assert [(s.entry.name, s.kinds, s.status) for s in statuses] == [
        ("half", ("validators", "middleware"), "failed: RuntimeError: late failure"),
        ("mixed", ("processors", "middleware"), "ok"),
    ]
    assert extensions.VALIDATORS.hooks == validators  # the failed plugin's validator is gone
    assert len(extensions.PROCESSORS.hooks) == len(processors) + 1
    assert [type(m).__name__ for m in sync] == ["Both"]
    assert [getattr(m, "__name__", type(m).__name__) for m in asynchronous] == [
        "Both",
        "async_only",
    ]
    messages = [str(w.message) for w in caught]
    assert messages[0] == "plugin half (half-dist 1) failed to load: RuntimeError: late failure"
    assert any("async_only: OFSC takes a sync callable" in m for m in messages), messages
    assert any("returned str, not a middleware; skipped" in m for m in messages), messages
    assert any("broken_factory() failed: OSError: no state file" in m for m in messages)
    assert len(messages) == len(set(messages)) == 4  # once each, over both clients
    fake_plugins._reset()
    assert extensions.PROCESSORS.hooks == processors


def test_plugins_are_off_under_ofsc_no_plugins(
    fake_plugins: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OFSC_NO_PLUGINS", "1")
    assert fake_plugins.load_plugins() == ()
    assert fake_plugins.entries(PLUGINS_GROUP) == ()
    monkeypatch.setenv("OFSC_NO_PLUGINS", "off")
    assert not fake_plugins.plugins_disabled()


def test_a_command_group_may_be_typer_click_or_declared() -> None:
    import typer
    from typer import _click
    from typer.core import TyperGroup

    from ofsc_cli.cli._plugin_groups import as_click_command
    from ofsc_cli.cli.declare import Command, Group, build

    app = typer.Typer()

    @app.command()
    def hello() -> None:
        """Say hello."""

    group = Group("ours", "Ours.", (Command("hi", "Hi.", "ofsc ours hi", run=print),))
    made = {
        "typer": as_click_command(app, "t"),
        "click": as_click_command(TyperGroup(name="c"), "c2"),
        "declared": as_click_command(group, "d"),
        "built": as_click_command(build(group), "b"),
    }
    assert {kind: c.name for kind, c in made.items()} == {
        "typer": "t",
        "click": "c2",
        "declared": "d",
        "built": "b",
    }
    assert all(isinstance(c, _click.Command) for c in made.values())
    with pytest.raises(TypeError, match="dict is not a typer app, a click command"):
        as_click_command({}, "x")


@pytest.fixture(autouse=True)
def _no_leftovers() -> Iterator[None]:
    yield
    assert "ofsc_plugin_example" not in sys.modules  # the plugin ran in subprocesses only
