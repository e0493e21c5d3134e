"""``ofsc_cli.compat`` sends what pyOFSC 2.27 sends, method by method, over real HTTP.

Once per module, pyOFSC (PyPI ``ofsc``, in ``.cache/pyofsc-venv``, see
``bench/pyofsc_compat.py``) calls every method of the call list
(``tests/fixtures/pyofsc_calls.json``) through ``bench/pyofsc_requests_probe.py`` against a
served, recording emulator over a copy of the seed data; then the compat layer makes the
same calls, with the same arguments and in the same order, against a fresh copy.  Each
method is then one case: the requests the server received (method, path, query, body, body
media type; headers are never recorded) must be the same.  Where a pyOFSC deviation from
the spec is noted (NOTES.md section 8: a ``deviation`` in the inventory, else in the compat
mapping table ``ofsc_cli/compat/_table.py``), ours may differ but must be the spec's: the
emulator's strict checks find nothing against it.  A method the compat layer lacks fails.
The compat layer gets the arguments pyOFSC got, JSON objects turned into the compat models
of the names pyOFSC's annotations give (``ofsc_cli.compat.models``).  Skipped (not failed)
when no Python 3.13 is installed to run pyOFSC; about 15 s with the virtualenv built.
"""

from __future__ import annotations

import asyncio
import builtins
import datetime
import functools
import importlib.util
import json
import pathlib
import re
import sys
import typing
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from request_recorder import MARK_PATH, Recorded, RecordingEmulator

from ofsc_cli.sandbox import Store, serve

ROOT = Path(__file__).resolve().parents[2]
CALLS_FILE = ROOT / "tests" / "fixtures" / "pyofsc_calls.json"
INVENTORY_FILE = ROOT / "ofsc_cli" / "compat" / "pyofsc_2_27.json"


def _load(name: str, path: Path) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


venv = _load("pyofsc_compat", ROOT / "bench" / "pyofsc_compat.py")
probe = _load("pyofsc_requests_probe", ROOT / "bench" / "pyofsc_requests_probe.py")
CALLS: dict[str, Any] = probe.load_calls(CALLS_FILE)
assert probe.MARK_PATH == MARK_PATH


@functools.cache
def _inventory_data() -> dict[str, Any]:
    return json.loads(INVENTORY_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _inventory() -> dict[str, str | None] | None:
    """``{"<side> <ns>.<method>": its deviation note or None}`` from the compat layer's
    inventory of pyOFSC 2.27 (``clients`` / side / ``namespaces`` / ns / ``methods``), or
    ``None`` while there is none."""
    if not INVENTORY_FILE.is_file():
        return None
    out: dict[str, str | None] = {}
    for side, client in _inventory_data()["clients"].items():
        for ns, block in client["namespaces"].items():
            for method, record in block["methods"].items():
                out[f"{side} {ns}.{method}"] = record.get("deviation") or None
    return out


INVENTORY = _inventory()
METHODS = sorted(INVENTORY if INVENTORY is not None else CALLS["calls"])


class _Names(dict[str, Any]):
    """Names in an annotation text: Python's, else the compat model of that 2.x name."""

    def __missing__(self, name: str) -> Any:
        from ofsc_cli.compat import models

        if hasattr(builtins, name):
            return getattr(builtins, name)
        try:
            return models.resolve(name)
        except AttributeError:
            raise KeyError(name) from None


class _Dotted:
    """``ofsc.models.metadata.Workzone`` -> the compat model ``Workzone``; ``pathlib._local.Path``
    -> ``Path``."""

    def __getattr__(self, name: str) -> Any:
        if name == "Path":
            return pathlib.Path
        return _Names()[name] if name[:1].isupper() else self


_TYPING = {n: getattr(typing, n) for n in ("Any", "ForwardRef", "Optional", "Tuple", "Union")}


def compat_hints(name: str) -> dict[str, Any]:
    """The annotations of 2.x method ``name`` (from the inventory's texts) with 2.x model
    names read as the compat layer's models: a migrated script builds those where it built
    pyOFSC's.  A text that does not resolve is left as text (the value is passed as it is)."""
    side, _, dotted = name.partition(" ")
    ns, _, method = dotted.partition(".")
    record = _inventory_data()["clients"][side]["namespaces"][ns]["methods"][method]
    names = _Names(_TYPING, datetime=datetime, pathlib=_Dotted(), ofsc=_Dotted())
    names["NoneType"] = type(None)
    hints: dict[str, Any] = {}
    for param in record["parameters"]:
        text = param.get("annotation")
        try:
            hints[param["name"]] = eval(text, {}, names) if text else None
        except Exception:  # a name neither Python nor the compat layer knows
            hints[param["name"]] = text
    return hints


@dataclass
class Run:
    """One side's run: per method the report (kwargs, outcome) and the requests received."""

    results: dict[str, Any]
    requests: dict[str, list[Recorded]]
    #: side ("sync", "async") -> why none of its calls could be made
    errors: dict[str, str] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)


def _recording_server(store: Store) -> tuple[RecordingEmulator, Any]:
    emulator = RecordingEmulator(store.clone())  # live-like: pyOFSC's deviations get answers
    return emulator, serve(emulator)


@pytest.fixture(scope="module")
def pyofsc_python() -> Path:
    if not venv.venv_ready() and venv.find_python() is None:
        pytest.skip(f"pyOFSC needs Python {venv.PYTHON}, and none is installed (pyenv or PATH)")
    try:
        python, _ = venv.ensure_venv()
    except venv.SetupError as exc:
        pytest.fail(f"cannot build the pyOFSC virtualenv: {exc}")
    return python  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def theirs(
    _seeded_store: Store, pyofsc_python: Path, tmp_path_factory: pytest.TempPathFactory
) -> Run:
    """pyOFSC's calls, made once by the probe in its own virtualenv."""
    import os
    import subprocess

    emulator, server = _recording_server(_seeded_store)
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    env.pop("PYTHONPATH", None)
    with server:
        done = subprocess.run(
            [str(pyofsc_python), str(probe.__file__), server.url, str(CALLS_FILE)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
            cwd=tmp_path_factory.mktemp("pyofsc-probe"),
        )
    if done.returncode != 0:
        pytest.fail(f"the pyOFSC probe failed:\n{done.stderr.strip()[-2000:]}")
    out = json.loads(done.stdout)
    return Run(out["calls"], emulator.calls, methods=out["methods"])


@pytest.fixture(scope="module")
def ours(_seeded_store: Store, theirs: Run, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The same calls with ``ofsc_cli.compat``, in this process, against a fresh copy."""
    tmp = tmp_path_factory.mktemp("compat-requests")
    errors: dict[str, str] = {}
    classes: dict[str, Any] = {}
    for side, module, cls in (("sync", "ofsc_cli.compat", "OFSC"),
                              ("async", "ofsc_cli.compat.async_client", "AsyncOFSC")):  # fmt: skip
        try:
            classes[side] = getattr(importlib.import_module(module), cls)
        except Exception as exc:  # not written yet, or broken: each case of the side says so
            errors[side] = f"{module}.{cls} cannot be imported: {type(exc).__name__}: {exc}"
    emulator, server = _recording_server(_seeded_store)
    planned = {name: report for name, report in theirs.results.items() if "kwargs" in report}
    results: dict[str, Any] = {}

    def run_sync(names: list[str]) -> dict[str, Any]:
        client = classes["sync"](baseUrl=server.url, **probe.CREDENTIALS)
        methods = probe.lookup(client, planned, "sync")
        return probe.run_sync(  # type: ignore[no-any-return]
            methods, planned, emulator.mark, tmp, names, compat_hints
        )

    async def run_async(names: list[str]) -> dict[str, Any]:
        async with classes["async"](baseUrl=server.url, **probe.CREDENTIALS) as client:
            methods = probe.lookup(client, planned, "async")
            return await probe.run_async(  # type: ignore[no-any-return]
                methods, planned, emulator.mark, tmp, names, compat_hints
            )

    with pytest.MonkeyPatch.context() as patch, server, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the compat layer's renaming hints
        patch.setenv("OFSC_CONFIG", str(tmp / "config.toml"))
        patch.setenv("XDG_CACHE_HOME", str(tmp / "cache"))
        patch.delenv("OFSC_PROFILE", raising=False)
        for number in probe.PHASES:
            names = probe.in_phase(CALLS, number)
            for side, run in (("sync", run_sync), ("async", lambda n: asyncio.run(run_async(n)))):
                if side in errors:
                    continue
                try:
                    results.update(run(names))
                except Exception as exc:  # the client itself failed (constructor, context)
                    errors[side] = f"the compat {side} client failed: {type(exc).__name__}: {exc}"
    return Run(results, emulator.calls, errors=errors)


def _number(value: Any) -> Any:
    """JSON's view of a number: ``1.0`` and ``1`` are the same (recursively)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_number(v) for v in value]
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    return value


def _key(record: Recorded) -> str:
    """What is compared of a request: method, path, query, body (as JSON sees it), media type."""
    compared = (record.method, record.path, record.query, _number(record.body), record.media_type)
    return json.dumps(compared, sort_keys=True, default=str)


def _shown(records: list[Recorded]) -> str:
    return (
        "\n".join(f"    {json.dumps(r.as_dict(), default=str)[:600]}" for r in records)
        or "    (none)"
    )


def _difference(theirs: list[Recorded], ours: list[Recorded]) -> str:
    """Which of method, path, query, body differ (for one request each), else both lists."""
    if len(theirs) == len(ours) == 1:
        a, b = theirs[0], ours[0]
        parts = [
            f"{name}: pyOFSC {getattr(a, name)!r} / ours {getattr(b, name)!r}"[:700]
            for name in ("method", "path", "query", "body", "media_type")
            if _number(getattr(a, name)) != _number(getattr(b, name))
        ]
        return "\n  ".join(parts)
    return f"{len(theirs)} request(s) from pyOFSC, {len(ours)} from ours"


@functools.cache
def _table_notes() -> dict[str, str]:
    """``"namespace.method"`` -> the deviation the compat layer's mapping table notes."""
    try:
        from ofsc_cli.compat._table import TABLE
    except Exception:  # no compat layer (yet): no notes
        return {}
    return {key: op.deviation for key, op in TABLE.items() if getattr(op, "deviation", "")}


def deviation_of(name: str) -> str | None:
    """The noted pyOFSC deviation of ``name`` (the inventory's note, else the mapping
    table's), or ``None``.  A note naming one client ("2.x's async client ...") applies to
    that client only."""
    side, _, key = name.partition(" ")
    note = (INVENTORY or {}).get(name) or _table_notes().get(key)
    if not note:
        return None
    named = re.search(r"\b(a?sync) client", note)
    return None if named and named.group(1) != side else note


def verdict(name: str, theirs: Run, ours: Run) -> tuple[str, str]:
    """How method ``name`` fared, and what to say about it: ``matched`` (the same requests
    as pyOFSC), ``deviation`` (different, where a pyOFSC deviation from the spec is noted,
    and ours conforms to the spec), ``missing`` (the compat layer lacks it, or cannot be
    used), ``mismatched`` (anything else, also the same requests as pyOFSC where the spec
    rejects them and a deviation is noted) or ``no call``."""
    report = theirs.results.get(name, {"outcome": "not run"})
    if "kwargs" not in report:
        return "no call", f"{name}: no call in the call list ({report['outcome']})"
    side = name.split(" ", 1)[0]
    if side in ours.errors:
        return "missing", ours.errors[side]
    outcome = ours.results.get(name, {}).get("outcome", "not run")
    if outcome == "missing":
        return "missing", f"ofsc_cli.compat has no {name}"
    mine, pyofsc = ours.requests.get(name, []), theirs.requests.get(name, [])
    deviation = deviation_of(name)
    against = [r for r in mine if r.spec]
    same = sorted(map(_key, mine)) == sorted(map(_key, pyofsc))
    if same and not (deviation and against):
        return "matched", ""
    if deviation and mine and not against:
        return "deviation", deviation
    if deviation:
        return "mismatched", (
            f"{name}: pyOFSC deviates from the spec ({deviation}); ours must send the spec's "
            f"request, but {'it sent none' if not mine else 'the strict checks say:'}\n"
            f"{_shown(against)}\n  pyOFSC sent:\n{_shown(pyofsc)}"
        )
    return "mismatched", (
        f"{name}: {_difference(pyofsc, mine)}\n  pyOFSC ({report['outcome'][:160]}):\n"
        f"{_shown(pyofsc)}\n  ours ({outcome[:160]}):\n{_shown(mine)}"
    )


@pytest.mark.parametrize("name", METHODS)
def test_compat_sends_what_pyofsc_sends(
    name: str, theirs: Run, ours: Run, record_property: Any
) -> None:
    kind, message = verdict(name, theirs, ours)
    record_property("verdict", kind)
    if kind == "deviation":
        record_property("deviation", message)
    elif kind != "matched":
        pytest.fail(f"{kind}: {message}", pytrace=False)


def test_the_call_list_covers_every_pyofsc_method(theirs: Run) -> None:
    """Every method of the inventory (else of pyOFSC itself) has a call that resolves, and the
    call list names no method pyOFSC lacks."""
    wanted = set(INVENTORY) if INVENTORY is not None else set(theirs.methods)
    no_call = sorted(n for n in wanted if "kwargs" not in theirs.results.get(n, {}))
    assert not no_call, [f"{n}: {theirs.results.get(n, {}).get('outcome')}" for n in no_call]
    stale = sorted(set(CALLS["calls"]) - set(theirs.methods))
    assert not stale, f"not pyOFSC 2.27 methods: {stale}"


def test_the_call_list_and_the_inventory_name_the_same_methods() -> None:
    """Without pyOFSC: every inventory method has an entry giving each parameter without a
    default a value (its own, or the table's by name), and every entry is an inventory method."""
    if INVENTORY is None:
        pytest.skip(f"no inventory yet ({INVENTORY_FILE.relative_to(ROOT)})")
    unresolved = {}
    for name in INVENTORY:
        side, _, dotted = name.partition(" ")
        ns, _, method = dotted.partition(".")
        record = _inventory_data()["clients"][side]["namespaces"][ns]["methods"][method]
        entry = CALLS["calls"].get(name)
        required = [
            p["name"]
            for p in record["parameters"]
            if p["default"] is None and not p["kind"].startswith("VAR_")
        ]
        if entry is None:
            unresolved[name] = "no entry"
        elif missing := [p for p in required if p not in entry and p not in CALLS["values"]]:
            unresolved[name] = f"no value for {missing}"
    assert unresolved == {}
    assert sorted(set(CALLS["calls"]) - set(INVENTORY)) == []


def test_every_call_of_pyofsc_reached_the_server(theirs: Run) -> None:
    """The sample values are good enough for pyOFSC to send its request: only methods that
    pyOFSC itself refuses to run (it raises before sending) send nothing."""
    silent = sorted(
        n for n, r in theirs.results.items() if "kwargs" in r and not theirs.requests.get(n)
    )
    refused = {
        n
        for n in silent
        if theirs.results[n]["outcome"].startswith(("NotImplementedError", "AttributeError"))
    }
    assert sorted(set(silent) - refused) == [], {n: theirs.results[n]["outcome"] for n in silent}


def test_the_recorder_keeps_no_secret_and_files_requests_by_call(_seeded_store: Store) -> None:
    emulator, server = _recording_server(_seeded_store)
    with server, httpx.Client(base_url=server.url) as client:
        client.post(MARK_PATH, json={"call": "token"})
        client.post(
            "/rest/oauthTokenService/v2/token",
            data={"grant_type": "client_credentials", "assertion": "s3cr3t-value"},
            auth=("demo@sandbox", "demo-secret"),
        )
        emulator.mark("list")
        client.get("/rest/ofscCore/v1/users?limit=2&offset=0", auth=("demo@sandbox", "demo-secret"))
    assert list(emulator.calls) == ["token", "list"]
    (token,), (users,) = emulator.calls["token"], emulator.calls["list"]
    assert token.body == {
        "form": {"assertion": ["<redacted>"], "grant_type": ["client_credentials"]}
    }
    assert "s3cr3t" not in repr(emulator.calls) and "demo-secret" not in repr(emulator.calls)
    assert (users.method, users.path, users.query, users.status) == (
        "GET", "/rest/ofscCore/v1/users", {"limit": ["2"], "offset": ["0"]}, 200,
    )  # fmt: skip
    assert users.spec is None and token.spec is None


def test_the_recorder_names_what_the_spec_has_against_a_request(_seeded_store: Store) -> None:
    emulator, server = _recording_server(_seeded_store)
    auth = ("demo@sandbox", "demo-secret")
    with server, httpx.Client(base_url=server.url, auth=auth) as client:
        emulator.mark("bad")
        client.get("/rest/ofscCore/v1/resources/TECH-0001/workSchedules?actualDate=2026-11-16")
        client.post("/rest/ofscMetadata/v1/plugins/custom-actions/import", content=b"--x\r\n")
    schedules, plugin = emulator.calls["bad"]
    assert schedules.spec is not None and "actualDate" in schedules.spec
    assert plugin.spec is not None and "multipart/form-data" in plugin.spec
    assert schedules.status == 200  # recorded live-like: the answer is not the strict one
