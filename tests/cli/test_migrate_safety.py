"""Migration files are the user's: ``ofsc metadata export`` replaces or removes only what a
previous export wrote, ``--only`` keeps the other resources of an export, format 1 manifests
are still accepted, and a failed or interrupted export leaves the previous one as it was.

The CLI runs in-process against emulators served on 127.0.0.1; the write-failure tests drive
:func:`ofsc_cli.migrate.write_snapshot` directly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from served_cli import Cli

from ofsc_cli.migrate import MigrationInputError, Snapshot, read_snapshot, write_snapshot
from ofsc_cli.migrate import snapshot as snapshot_module
from ofsc_cli.migrate.snapshot import FORMAT, TEMP_PREFIX
from ofsc_cli.sandbox import Faults, ServerHandle


def tree(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def manifest(directory: Path) -> Any:
    return json.loads((directory / "manifest.json").read_text())


def shift(label: str) -> dict[str, Any]:
    return {
        "label": label,
        "name": label.title(),
        "active": True,
        "type": "regular",
        "workTimeStart": "06:00",
        "workTimeEnd": "14:00",
    }


def test_force_writes_alongside_foreign_files_and_never_removes_them(
    make_sandbox_server: Any, tmp_path: Path
) -> None:
    server: ServerHandle = make_sandbox_server()
    cli = Cli(server, tmp_path)
    cfg = tmp_path / "cfg"
    foreign = {
        "notes.txt": b"mine\n",
        "shifts/README.md": b"# my notes\n",
        "shifts/mine.json": b'{"comment": "not an export"}\n',
    }
    for name, data in foreign.items():
        (cfg / name).parent.mkdir(parents=True, exist_ok=True)
        (cfg / name).write_bytes(data)

    refused = cli.fails(2, "metadata", "export", str(cfg), "--only", "shifts")
    assert str(cfg) in refused.stderr and "--force" in refused.stderr
    assert tree(cfg) == foreign

    cli.ok("metadata", "export", str(cfg), "--only", "shifts", "--force")
    written = manifest(cfg)
    assert written["tool"] == "ofsc" and written["format"] == FORMAT
    assert "DAY.json" in written["kinds"]["shifts"]["files"]
    assert "mine.json" not in written["kinds"]["shifts"]["files"]
    assert {n: tree(cfg)[n] for n in foreign} == foreign

    # The instance loses a shift: its file goes, the user's files stay (no --force needed now).
    server.emulator.store.delete("shifts", "DAY")
    cli.ok("metadata", "export", str(cfg), "--only", "shifts")
    after = tree(cfg)
    assert "shifts/DAY.json" not in after
    assert {n: after[n] for n in foreign} == foreign
    assert "DAY.json" not in manifest(cfg)["kinds"]["shifts"]["files"]


def test_only_updates_its_part_of_the_manifest_and_keeps_the_rest(
    make_sandbox_server: Any, tmp_path: Path
) -> None:
    server: ServerHandle = make_sandbox_server()
    cli = Cli(server, tmp_path)
    cfg = tmp_path / "cfg"
    cli.ok("metadata", "export", str(cfg), "--only", "shifts,work-zones,work-skills")
    before = tree(cfg)
    first = manifest(cfg)

    server.emulator.store.delete("shifts", "DAY")
    server.emulator.store.delete("workZones", "MAPLE_RIDGE")  # not re-exported: file kept
    cli.ok("metadata", "export", str(cfg), "--only", "shifts")
    after = tree(cfg)
    second = manifest(cfg)
    assert list(second["resources"]) == list(first["resources"])
    assert second["resources"]["shifts"] == first["resources"]["shifts"] - 1
    for kind in ("work-zones", "work-skills"):
        assert second["resources"][kind] == first["resources"][kind]
        assert second["kinds"][kind] == first["kinds"][kind]
        assert {n: b for n, b in after.items() if n.startswith(kind + "/")} == {
            n: b for n, b in before.items() if n.startswith(kind + "/")
        }
    assert "shifts/DAY.json" in before and "shifts/DAY.json" not in after
    assert second["kinds"]["shifts"]["fingerprint"] != first["kinds"]["shifts"]["fingerprint"]
    # Still one consistent export: apply --prune plans instead of refusing.
    plan = cli.ok("metadata", "apply", str(cfg), "--prune", "--dry-run", "-o", "json")
    assert "nothing was sent" in plan.stderr
    # And a second export of what did not change changes no byte.
    cli.ok("metadata", "export", str(cfg), "--only", "shifts")
    assert tree(cfg) == after


def test_format_1_manifest_is_still_read_and_upgraded(
    make_sandbox_server: Any, tmp_path: Path
) -> None:
    server: ServerHandle = make_sandbox_server()
    cli = Cli(server, tmp_path)
    cfg = tmp_path / "cfg"
    cli.ok("metadata", "export", str(cfg), "--only", "shifts")
    counts = manifest(cfg)["resources"]
    legacy = {  # what the export wrote before manifests listed their files
        "format": FORMAT,
        "version": 1,
        "instance": "sandbox",
        "exportedAt": "2026-01-01T00:00:00Z",
        "resources": counts,
        "fingerprint": "0" * 64,
    }
    (cfg / "manifest.json").write_text(json.dumps(legacy, indent=2) + "\n")
    assert "DAY" in read_snapshot(cfg, prune=True).objects["shifts"]
    cli.ok("metadata", "diff", str(cfg))  # diff and apply read it
    (cfg / "shifts" / "notes.json").write_text('{"comment": "mine"}\n')

    server.emulator.store.delete("shifts", "DAY")
    cli.ok("metadata", "export", str(cfg), "--only", "shifts")
    after = tree(cfg)
    assert "shifts/DAY.json" not in after  # looked exported: replaced as the export's own
    assert after["shifts/notes.json"] == b'{"comment": "mine"}\n'  # did not: kept
    upgraded = manifest(cfg)
    assert upgraded["version"] == 2 and upgraded["tool"] == "ofsc"
    assert "notes.json" not in upgraded["kinds"]["shifts"]["files"]


def test_a_file_that_already_holds_the_export_is_taken_over(
    sandbox_server: ServerHandle, tmp_path: Path
) -> None:
    """After a crash between renaming files and writing the manifest, the files the manifest
    does not list hold exactly what the export writes: the next export carries on."""
    cli = Cli(sandbox_server, tmp_path)
    cfg = tmp_path / "cfg"
    cli.ok("metadata", "export", str(cfg), "--only", "shifts")
    data = manifest(cfg)
    data["kinds"]["shifts"]["files"].remove("DAY.json")
    (cfg / "manifest.json").write_text(json.dumps(data))
    cli.ok("metadata", "export", str(cfg), "--only", "shifts")
    assert "DAY.json" in manifest(cfg)["kinds"]["shifts"]["files"]


def test_a_tampered_manifest_cannot_make_an_export_delete_elsewhere(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    write_snapshot(cfg, Snapshot("t", {"shifts": {"A": shift("A")}}), instance="t")
    outside = tmp_path / "precious.json"
    outside.write_text("{}")
    (cfg / "shifts" / "sub").mkdir()
    (cfg / "shifts" / "sub" / "x.json").write_text("{}")
    data = manifest(cfg)
    data["kinds"]["shifts"]["files"] += ["../../precious.json", "sub/x.json", "..", "/etc.json"]
    (cfg / "manifest.json").write_text(json.dumps(data))
    write_snapshot(cfg, Snapshot("t", {"shifts": {}}), instance="t")
    assert outside.read_text() == "{}"
    assert (cfg / "shifts" / "sub" / "x.json").is_file()
    assert not (cfg / "shifts" / "A.json").exists()


def test_a_failed_fetch_leaves_the_previous_export_intact(
    sandbox_server: ServerHandle, make_sandbox_server: Any, tmp_path: Path
) -> None:
    cfg = tmp_path / "cfg"
    Cli(sandbox_server, tmp_path).ok("metadata", "export", str(cfg), "--only", "shifts,forms")
    before = tree(cfg)
    failing = make_sandbox_server(faults=Faults(error_rate=1.0, seed=1))
    result = Cli(failing, tmp_path, OFSC_MAX_RETRIES="0")(
        "metadata", "export", str(cfg), "--only", "shifts,forms"
    )
    assert result.exit_code == 1, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert tree(cfg) == before


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_write_that_fails_midway_leaves_the_previous_export_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    cfg = tmp_path / "cfg"
    first = Snapshot("t", {"shifts": {"A": shift("A"), "B": shift("B")}})
    write_snapshot(cfg, first, instance="t")
    before = tree(cfg)
    changed = {"A": {**shift("A"), "name": "new"}, "C": shift("C"), "D": shift("D")}
    second = Snapshot("t", {"shifts": changed, "work-zones": {}})
    real_stage = snapshot_module._stage
    calls: list[Path] = []

    def stage(folder: Path, data: bytes) -> Path:
        if len(calls) == 2:
            raise failure
        calls.append(real_stage(folder, data))
        return calls[-1]

    monkeypatch.setattr(snapshot_module, "_stage", stage)
    expected = MigrationInputError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        write_snapshot(cfg, second, instance="t")
    assert len(calls) == 2 and not any(p.exists() for p in calls)
    assert tree(cfg) == before, "the previous export changed"
    assert not (cfg / "work-zones").exists(), "a folder made for the failed export was left"
    assert not list(cfg.rglob(TEMP_PREFIX + "*"))
    monkeypatch.undo()
    stats = write_snapshot(cfg, second, instance="t")  # and the next try succeeds
    assert (stats.written, stats.removed, stats.manifest_changed) == (3, 1, True)
    assert read_snapshot(cfg).objects["shifts"] == changed


def test_a_new_export_into_a_new_directory_cleans_up_after_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stage(folder: Path, data: bytes) -> Path:
        raise OSError(13, "Permission denied", str(folder))

    monkeypatch.setattr(snapshot_module, "_stage", stage)
    target = tmp_path / "a" / "b" / "cfg"
    with pytest.raises(MigrationInputError, match="Permission denied"):
        write_snapshot(target, Snapshot("t", {"shifts": {"A": shift("A")}}), instance="t")
    assert list(tmp_path.iterdir()) == []
