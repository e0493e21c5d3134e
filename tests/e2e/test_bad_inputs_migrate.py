"""Bad-input corpus: configuration migration (``ofsc metadata export|diff|apply``).

Classes: an export into a non-empty directory that is not a previous export (foreign files,
foreign or broken manifests), with ``--force`` a manifest that is not ours or a file the
previous export did not write, a manifest of a newer format, an unusable target path, and
``apply --prune`` with a manifest that does not match the folders on disk.  Each exits 2 with
one line, no traceback, and changes no file (the cases run in the test's directory, so
``cfg`` below is a fresh path each time).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from bad_inputs import Case, check

from ofsc_cli.migrate import Snapshot, write_snapshot
from ofsc_cli.migrate.snapshot import FORMAT
from ofsc_cli.sandbox import ServerHandle

SHIFT = {
    "label": "EARLY",
    "name": "Early",
    "active": True,
    "type": "regular",
    "workTimeStart": "06:00",
    "workTimeEnd": "14:00",
}


def _files(**files: str) -> Any:
    """Setup: write ``cfg/<path>`` files (``__`` in a keyword is a ``/``)."""

    def setup(root: Path) -> None:
        for name, text in files.items():
            path = root / "cfg" / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    return setup


def _manifest(data: Any) -> Any:
    return _files(**{"manifest.json": data if isinstance(data, str) else json.dumps(data)})


def _export(*folders: str, legacy: bool = False, drop: str | None = None) -> Any:
    """Setup: an export of one shift (``legacy``: with a format 1 manifest), plus empty
    ``folders``; ``drop`` removes that kind's folder afterwards."""

    def setup(root: Path) -> None:
        cfg = root / "cfg"
        write_snapshot(cfg, Snapshot("test", {"shifts": {"EARLY": SHIFT}}), instance="test")
        if legacy:
            manifest = {
                "format": FORMAT,
                "version": 1,
                "instance": "test",
                "exportedAt": "2026-01-01T00:00:00Z",
                "resources": {"shifts": 1},
                "fingerprint": "0" * 64,
            }
            (cfg / "manifest.json").write_text(json.dumps(manifest))
        for folder in folders:
            (cfg / folder).mkdir()
        if drop is not None:
            for path in (cfg / drop).iterdir():
                path.unlink()
            (cfg / drop).rmdir()

    return setup


def _file_at_cfg(root: Path) -> None:
    (root / "cfg").write_text("not a directory\n")


def _dangling_link(root: Path) -> None:
    (root / "cfg").symlink_to(root / "nowhere")


def _kind_folder_is_a_file(root: Path) -> None:
    _export()(root)
    (root / "cfg" / "work-zones").write_text("mine\n")


def _foreign_file_where_an_export_writes(root: Path) -> None:
    write_snapshot(root / "cfg", Snapshot("t", {"shifts": {"EARLY": SHIFT}}), instance="t")
    (root / "cfg" / "work-zones").mkdir()
    (root / "cfg" / "work-zones" / "MAPLE_RIDGE.json").write_text('{"mine": true}\n')


def _exported_file(text: str | None) -> Any:
    """Setup: an export whose shift file holds ``text`` (None: a FIFO in its place)."""

    def setup(root: Path) -> None:
        _export()(root)
        path = root / "cfg" / "shifts" / "EARLY.json"
        path.unlink()
        if text is None:
            os.mkfifo(path)
        else:
            path.write_text(text)

    return setup


EXPORT = ("metadata", "export", "cfg")
OURS = {"tool": "ofsc", "format": FORMAT, "resources": {}}

CASES: list[Case] = [
    # A non-empty directory that is not an export: refused without --force.
    Case(
        "export-dir-with-a-file", EXPORT, 2, _files(**{"notes.txt": "mine\n"}), stderr_has="--force"
    ),
    Case("export-dir-with-a-hidden-file", EXPORT, 2, _files(**{".keep": ""}), stderr_has="--force"),
    Case(
        "export-dir-with-a-kind-folder",
        EXPORT,
        2,
        _files(**{"shifts__mine.json": '{"label": "mine"}\n'}),
        stderr_has="--force",
    ),
    Case(
        "export-only-into-foreign-dir",
        (*EXPORT, "--only", "shifts"),
        2,
        _files(**{"README.md": "# mine\n"}),
        stderr_has="--force",
    ),
    Case(
        "export-foreign-manifest",
        EXPORT,
        2,
        _manifest({"name": "my project", "version": 3}),
        stderr_has="--force",
    ),
    Case("export-manifest-invalid-json", EXPORT, 2, _manifest("{not json"), stderr_has="--force"),
    Case("export-manifest-empty", EXPORT, 2, _manifest(""), stderr_has="--force"),
    Case("export-manifest-a-list", EXPORT, 2, _manifest([OURS]), stderr_has="--force"),
    Case(
        "export-manifest-other-tool",
        EXPORT,
        2,
        _manifest({**OURS, "tool": "other", "version": 2}),
        stderr_has="--force",
    ),
    Case(
        "export-manifest-bad-version",
        EXPORT,
        2,
        _manifest({**OURS, "version": "2"}),
        stderr_has="--force",
    ),
    # --force writes alongside foreign files, but never replaces a manifest that is not ours.
    Case(
        "export-force-foreign-manifest",
        (*EXPORT, "--force"),
        2,
        _manifest({"name": "my project"}),
        stderr_has="refusing to replace",
    ),
    Case(
        "export-force-manifest-invalid-json",
        (*EXPORT, "--force"),
        2,
        _manifest("{"),
        stderr_has="refusing to replace",
    ),
    Case(
        "export-newer-manifest",
        EXPORT,
        2,
        _manifest({**OURS, "version": 99}),
        stderr_has="newer",
    ),
    Case(
        "export-force-newer-manifest",
        (*EXPORT, "--force"),
        2,
        _manifest({**OURS, "version": 3}),
        stderr_has="newer",
    ),
    # A target that cannot be a directory.
    Case("export-target-is-a-file", EXPORT, 2, _file_at_cfg, stderr_has="not a directory"),
    Case(
        "export-parent-is-a-file",
        ("metadata", "export", "cfg/sub"),
        2,
        _file_at_cfg,
        stderr_has="not a directory",
    ),
    Case("export-dangling-link", EXPORT, 2, _dangling_link, stderr_has="symbolic link"),
    # Found once the configuration is read (requests were sent), before any file is written.
    Case(
        "export-force-replacing-a-foreign-file",
        (*EXPORT, "--only", "work-zones", "--force"),
        2,
        _files(**{"work-zones__MAPLE_RIDGE.json": '{"mine": true}\n'}),
        stderr_has="MAPLE_RIDGE.json",
        sends_nothing=False,
    ),
    Case(
        "export-replacing-a-file-the-export-did-not-write",
        (*EXPORT, "--only", "work-zones"),
        2,
        _foreign_file_where_an_export_writes,
        stderr_has="not written by ofsc",
        sends_nothing=False,
    ),
    Case(
        "export-kind-folder-is-a-file",
        (*EXPORT, "--only", "work-zones"),
        2,
        _kind_folder_is_a_file,
        stderr_has="not a directory",
        sends_nothing=False,
    ),
    # apply --prune needs an export whose manifest matches its folders.
    Case(
        "prune-folder-not-in-manifest",
        ("metadata", "apply", "cfg", "--prune", "--yes"),
        2,
        _export("work-skills"),
        stderr_has="not covered",
    ),
    Case(
        "prune-empty-folder-not-in-manifest",
        ("metadata", "apply", "cfg", "--prune", "--dry-run"),
        2,
        _export("work-zones"),
        stderr_has="not covered",
    ),
    Case(
        "prune-folder-not-in-format-1-manifest",
        ("metadata", "apply", "cfg", "--prune", "--yes"),
        2,
        _export("forms", legacy=True),
        stderr_has="not covered",
    ),
    Case(
        "prune-only-with-an-uncovered-folder",
        ("metadata", "apply", "cfg", "--prune", "--only", "shifts", "--yes"),
        2,
        _export("forms"),
        stderr_has="--prune",
    ),
    Case(
        "prune-listed-folder-missing",
        ("metadata", "apply", "cfg", "--prune", "--yes"),
        2,
        _export(drop="shifts"),
        stderr_has="delete every one",
    ),
    # diff and apply read only manifests of ours, of a format they know.
    Case(
        "apply-newer-manifest",
        ("metadata", "apply", "cfg", "--dry-run"),
        2,
        _manifest({**OURS, "version": 99}),
        stderr_has="newer",
    ),
    Case(
        "diff-foreign-manifest",
        ("metadata", "diff", "cfg"),
        2,
        _manifest({"format": "something-else", "resources": {}}),
        stderr_has="not an ofsc",
    ),
    # Exported files are read with the same limits as every other input.
    *(
        Case(
            f"apply-file-{name}",
            ("metadata", "apply", "cfg", "--dry-run"),
            2,
            _exported_file(text),
            stderr_has=has,
        )
        for name, text, has in (
            ("nan", '{"label": "EARLY", "workTimeStart": NaN}', "NaN"),
            ("deep", '{"label": "EARLY", "x": ' + "[" * 200 + "]" * 200 + "}", "deep"),
            ("huge-int", '{"label": "EARLY", "n": ' + "9" * 5000 + "}", "digits"),
            ("fifo", None, "regular file"),
        )
    ),
    Case(
        "apply-manifest-other-tool",
        ("metadata", "apply", "cfg", "--dry-run"),
        2,
        _manifest({**OURS, "tool": "other", "version": 2}),
        stderr_has="not an ofsc",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(
    case: Case, sandbox_server: ServerHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # "cfg" in a case is the test's own directory
    check(case, sandbox_server, tmp_path)
