"""pyOFSC against the served sandbox: does an independent client see every item?

    python bench/pyofsc_compat.py [--scale 1] [--page-sizes 100,7] [--rebuild]

Builds (or reuses) a separate virtualenv with Python 3.13 and pyOFSC (PyPI ``ofsc``, pinned
to :data:`PYOFSC`) under ``.cache/pyofsc-venv`` in the repository (git-ignored; never the
project's own ``.venv``), seeds an in-memory sandbox (``--scale 1``: 200 resources, 50 users,
30 work zones, 14 activity types), serves it on 127.0.0.1 and runs ``bench/pyofsc_probe.py``
in that virtualenv, pointed at it with ``baseUrl=``.  The probe pages resources, work zones,
users and activity types with pyOFSC's own generators and list calls (async and sync), once
per page size; every call must deliver exactly the emulator's items, each once.  Prints one
line per call and the time the virtualenv build took; exits 1 if any call missed an item.

``tests/test_pyofsc_against_sandbox.py`` runs the same check (building the virtualenv when
it is missing: about 10 s).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ofsc_cli.sandbox import Emulator, Store, serve  # noqa: E402

PYOFSC = "ofsc==2.27.2"
PYTHON = "3.13"
VENV = ROOT / ".cache" / "pyofsc-venv"
PROBE = Path(__file__).resolve().parent / "pyofsc_probe.py"
_MARKER = "ofsc-cli-pyofsc.txt"
"""Written into the virtualenv once pyOFSC is installed: a directory without it is rebuilt."""

#: collection in the store -> the probe calls that must deliver all of it
CALLS = {
    "resources": ("async core.get_all_resources", "sync core.get_resources"),
    "workZones": ("async metadata.get_all_workzones", "sync metadata.get_workzones"),
    "users": ("async core.get_users", "sync core.get_users"),
    "activityTypes": ("async metadata.get_activity_types", "sync metadata.get_activity_types"),
}
DEFAULT_PAGE_SIZES = (100, 7)
"""pyOFSC's default page size, and one small enough that every collection takes pages."""


class SetupError(Exception):
    """The pyOFSC virtualenv cannot be built here (no Python 3.13, pip failed ...)."""


def find_python() -> Path | None:
    """A Python 3.13 interpreter: pyenv's newest 3.13.x, else ``python3.13`` on PATH."""
    pyenv = shutil.which("pyenv")
    if pyenv:
        done = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
        versions = Path(done.stdout.strip() or "/nonexistent") / "versions"
        found = sorted(
            versions.glob(f"{PYTHON}.*/bin/python{PYTHON}"),
            key=lambda p: [int(x) if x.isdigit() else -1 for x in p.parts[-3].split(".")],
        )
        if found:
            return found[-1]
    which = shutil.which(f"python{PYTHON}")
    return Path(which) if which else None


def venv_python(venv: Path = VENV) -> Path:
    return venv / "bin" / "python"


def venv_ready(venv: Path = VENV) -> bool:
    """The virtualenv exists with pyOFSC :data:`PYOFSC` fully installed."""
    marker = venv / _MARKER
    return venv_python(venv).exists() and marker.is_file() and marker.read_text() == PYOFSC


def ensure_venv(venv: Path = VENV, *, rebuild: bool = False) -> tuple[Path, float | None]:
    """The interpreter of a ready pyOFSC virtualenv, and the seconds spent building it
    (``None`` when it was reused).  Raises :class:`SetupError` when it cannot be built."""
    from filelock import FileLock

    venv.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(venv) + ".lock", timeout=600):  # two runs at once build it once
        if venv_ready(venv) and not rebuild:
            return venv_python(venv), None
        python = find_python()
        if python is None:
            raise SetupError(f"no Python {PYTHON} found (pyenv or python{PYTHON} on PATH)")
        started = time.perf_counter()
        shutil.rmtree(venv, ignore_errors=True)  # a half-built one, or --rebuild
        steps = (
            [str(python), "-m", "venv", str(venv)],
            [str(venv_python(venv)), "-m", "pip", "install", "--quiet",
             "--disable-pip-version-check", PYOFSC],
        )  # fmt: skip
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                raise SetupError(f"{' '.join(step[:3])} ... failed: {' / '.join(tail)}")
        (venv / _MARKER).write_text(PYOFSC)
        return venv_python(venv), time.perf_counter() - started


def run_probe(python: Path, url: str, page_sizes: Sequence[int]) -> dict[str, Any]:
    """What pyOFSC's calls delivered from the sandbox at ``url`` (see ``pyofsc_probe.py``)."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    env.pop("PYTHONPATH", None)  # the probe sees pyOFSC's virtualenv only
    done = subprocess.run(
        [str(python), str(PROBE), url, *map(str, page_sizes)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the pyOFSC probe failed:\n{done.stderr.strip()}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def compare(store: Store, got: dict[str, Any], page_sizes: Sequence[int]) -> list[str]:
    """One line per call: ``ok``, or what it missed, duplicated or raised."""
    lines = []
    for collection, calls in CALLS.items():
        expected = store.keys(collection)
        for call in calls:
            for size in page_sizes:
                name = f"{call} limit={size}"
                items = got.get(name)
                if not isinstance(items, list):
                    lines.append(f"FAIL {name}: {items}")
                    continue
                missing = sorted(set(expected) - set(items))
                extra = sorted(set(items) - set(expected))
                status = "ok  " if sorted(items) == sorted(expected) else "FAIL"
                line = f"{status} {name}: {len(items)} of {len(expected)} {collection}"
                if missing:
                    line += f"; missing {len(missing)} (first {missing[0]})"
                if extra:
                    line += f"; unknown {extra[:3]}"
                if len(items) != len(set(items)):
                    line += "; duplicates"
                lines.append(line)
    return lines


def check(store: Store, python: Path, page_sizes: Sequence[int] = DEFAULT_PAGE_SIZES) -> list[str]:
    """Serve ``store`` in the live-like mode and compare what pyOFSC gets with it."""
    with serve(Emulator(store)) as server:
        got = run_probe(python, server.url, page_sizes)
    return compare(store, got, page_sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--page-sizes", default=",".join(map(str, DEFAULT_PAGE_SIZES)))
    parser.add_argument("--rebuild", action="store_true", help="build the virtualenv anew")
    args = parser.parse_args()
    sizes = [int(n) for n in args.page_sizes.split(",")]
    try:
        python, seconds = ensure_venv(rebuild=args.rebuild)
    except SetupError as exc:
        sys.exit(f"pyofsc_compat: {exc}")
    built = f"built in {seconds:.1f} s" if seconds is not None else "reused"
    print(f"pyOFSC virtualenv ({PYOFSC}, Python {PYTHON}): {VENV.relative_to(ROOT)}, {built}")
    store = Store.open(":memory:", scale=args.scale)
    started = time.perf_counter()
    lines = check(store, python, sizes)
    print("\n".join(lines))
    failed = sum(line.startswith("FAIL") for line in lines)
    seconds_taken = time.perf_counter() - started
    print(f"{len(lines) - failed} of {len(lines)} calls saw every item ({seconds_taken:.1f} s)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
