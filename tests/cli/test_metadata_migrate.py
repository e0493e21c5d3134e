"""Configuration migration: ``ofsc metadata export|diff|apply`` over two served emulators
(seeded differently), and the library parts (:mod:`ofsc_cli.migrate`) on their own."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import STRICT
from typer.testing import CliRunner, Result

from ofsc_cli.cli._app import build_app
from ofsc_cli.migrate import (
    KINDS,
    MigrationInputError,
    Snapshot,
    diff_snapshots,
    fetch_snapshot,
    plan_apply,
    read_snapshot,
    run_plan,
    select_kinds,
    summarize,
    write_snapshot,
)
from ofsc_cli.migrate.diff import diff_objects
from ofsc_cli.migrate.snapshot import normalize
from ofsc_cli.models import Page
from ofsc_cli.sandbox import Emulator, EmulatorConfig, ServerHandle, Store, serve

EXTRA_SKILL = {"label": "ONLY_TARGET", "name": "Extra", "active": True, "sharing": "maximal"}
EXTRA_SHIFT = {
    "label": "ONLY_TARGET",
    "name": "Extra",
    "active": True,
    "type": "regular",
    "workTimeStart": "06:00",
    "workTimeEnd": "14:00",
}


@pytest.fixture
def source(_seeded_store: Store) -> Iterator[ServerHandle]:
    with serve(Emulator(_seeded_store.clone(), EmulatorConfig(strict=STRICT))) as handle:
        yield handle


@pytest.fixture
def target() -> Iterator[ServerHandle]:
    """A second instance, seeded differently, with objects the source does not have and
    without one the source has."""
    store = Store.open(":memory:", scale=0.01, seed=7)
    store.put("workSkills", "ONLY_TARGET", EXTRA_SKILL)
    store.put("shifts", "ONLY_TARGET", EXTRA_SHIFT)
    store.delete("shifts", "NIGHT")
    with serve(Emulator(store)) as handle:
        handle.emulator.reset_stats()
        yield handle
    store.close()


class Cli:
    def __init__(self, tmp_path: Path, **servers: ServerHandle) -> None:
        self.config = tmp_path / "config.toml"
        lines = []
        for name, server in servers.items():
            lines += [
                f"[profiles.{name}]",
                f'base_url = "{server.url}"',
                'instance = "sandbox"',
                'client_id = "demo"',
                'client_secret = "demo-secret"',
                'auth = "basic"',
            ]
        self.config.write_text("\n".join(lines) + "\n")
        self.env = {"OFSC_CONFIG": str(self.config), "NO_COLOR": "1"}
        for name in ("BASE_URL", "INSTANCE", "CLIENT_ID", "CLIENT_SECRET", "AUTH", "PROFILE"):
            self.env[f"OFSC_{name}"] = ""

    def __call__(self, *args: str) -> Result:
        return CliRunner().invoke(build_app(), list(args), env=self.env)


@pytest.fixture
def cli(tmp_path: Path, source: ServerHandle, target: ServerHandle) -> Cli:
    return Cli(tmp_path, src=source, dst=target)


def tree(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# -- export -------------------------------------------------------------------------------


def test_export_writes_one_sorted_file_per_object_and_is_stable(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "cfg"
    result = cli("metadata", "export", str(out), "-p", "src", "-o", "json")
    assert result.exit_code == 0, result.stderr
    counts = {r["resource"]: r["objects"] for r in json.loads(result.stdout)}
    assert set(counts) == {k.name for k in KINDS}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["instance"] == "sandbox" and manifest["resources"] == counts
    assert manifest["exportedAt"].endswith("Z")
    assert len(list((out / "work-skills").glob("*.json"))) == counts["work-skills"] == 40
    skill = (out / "work-skills" / "FIBER_INST.json").read_text()
    assert skill == json.dumps(json.loads(skill), indent=2, sort_keys=True) + "\n"
    everything = "".join(p.read_text() for p in out.rglob("*.json"))
    assert '"links"' not in everything and '"languageISO"' not in everything
    assert json.loads((out / "forms" / "site_survey.json").read_text())["content"]
    first = tree(out)
    again = cli("metadata", "export", str(out), "-p", "src")
    assert again.exit_code == 0
    assert tree(out) == first, "a second export of an unchanged instance changed bytes"


def test_re_export_follows_changes_and_removes_stale_files(
    cli: Cli, tmp_path: Path, source: ServerHandle
) -> None:
    out = tmp_path / "cfg"
    assert cli("metadata", "export", str(out), "-p", "src", "--only", "shifts").exit_code == 0
    before = tree(out)
    source.emulator.store.delete("shifts", "DAY")
    assert cli("metadata", "export", str(out), "-p", "src", "--only", "shifts").exit_code == 0
    after = tree(out)
    assert "shifts/DAY.json" in before and "shifts/DAY.json" not in after
    assert after["manifest.json"] != before["manifest.json"]
    assert json.loads(after["manifest.json"])["resources"] == {"shifts": len(after) - 1}


def test_export_bad_input(cli: Cli, tmp_path: Path) -> None:
    result = cli("metadata", "export", str(tmp_path / "x"), "-p", "src", "--only", "bogus")
    assert result.exit_code == 2
    assert "bogus" in result.stderr and "work-zones" in result.stderr
    assert not (tmp_path / "x").exists()
    afile = tmp_path / "file"
    afile.write_text("x")
    assert cli("metadata", "export", str(afile), "-p", "src").exit_code == 2


# -- round trip: export -> diff -> apply -> diff ------------------------------------------


def test_round_trip_to_a_differently_seeded_instance(
    cli: Cli, tmp_path: Path, target: ServerHandle
) -> None:
    out = tmp_path / "cfg"
    assert cli("metadata", "export", str(out), "-p", "src").exit_code == 0
    writes = target.emulator.write_log

    diff = cli("metadata", "diff", str(out), "-p", "dst", "-o", "json")
    assert diff.exit_code == 7, diff.stderr
    report = json.loads(diff.stdout)
    assert report["equal"] is False
    by_name = {r["resource"]: r for r in report["resources"]}
    assert by_name["shifts"]["onlyInSource"] == ["NIGHT"]
    assert by_name["shifts"]["onlyInTarget"] == ["ONLY_TARGET"]
    assert by_name["work-skills"]["changed"]
    field = by_name["work-skills"]["changed"][0]["fields"][0]
    assert {"path", "source", "target"} <= set(field)

    dry = cli("metadata", "apply", str(out), "-p", "dst", "--dry-run", "-o", "json")
    assert dry.exit_code == 0, dry.stderr
    planned = json.loads(dry.stdout.split("\n]\n")[0] + "\n]")
    assert {"resource": "shifts", "label": "NIGHT", "action": "create"} in planned
    assert writes == [], "a dry run sent a write"

    applied = cli("metadata", "apply", str(out), "-p", "dst", "-o", "json")
    assert applied.exit_code == 0, applied.stderr
    summary = {r["resource"]: r for r in json.loads(applied.stdout)}
    assert summary["shifts"]["created"] == 1 and summary["shifts"]["kept"] == 1
    assert summary["work-skills"]["replaced"] > 0 and summary["work-skills"]["failed"] == 0
    assert writes, "apply wrote nothing"
    paths = [path for _, path in writes]
    first_group = min(i for i, p in enumerate(paths) if "/workSkillGroups/" in p)
    last_skill = max(i for i, p in enumerate(paths) if "/workSkills/" in p)
    assert last_skill < first_group, "work skills must be written before their groups"
    assert sum("/workSkillConditions" in p for p in paths) <= 1

    after = cli("metadata", "diff", str(out), "-p", "dst", "-o", "json")
    left = {r["resource"]: r for r in json.loads(after.stdout)["resources"]}
    assert after.exit_code == 7  # the target-only objects are still there
    assert all(not r["changed"] and not r["onlyInSource"] for r in left.values())
    assert left["shifts"]["onlyInTarget"] == ["ONLY_TARGET"]

    count = len(writes)
    again = cli("metadata", "apply", str(out), "-p", "dst")
    assert again.exit_code == 0 and len(writes) == count, "a second apply wrote again"

    refused = cli("metadata", "apply", str(out), "-p", "dst", "--prune")
    assert refused.exit_code == 2 and "--yes" in refused.stderr and len(writes) == count
    pruned = cli("metadata", "apply", str(out), "-p", "dst", "--prune", "--yes", "-o", "json")
    assert pruned.exit_code == 0, pruned.stderr
    deleted = {r["resource"]: r["deleted"] for r in json.loads(pruned.stdout)}
    assert deleted["shifts"] == deleted["work-skills"] == 1
    assert ("DELETE", "/rest/ofscMetadata/v1/shifts/ONLY_TARGET") in writes

    final = cli("metadata", "diff", str(out), "-p", "dst", "-o", "table")
    assert final.exit_code == 0, final.stdout
    assert "no differences" in final.stdout


def test_diff_between_two_profiles(cli: Cli) -> None:
    same = cli(
        "metadata", "diff", "--from", "src", "--to", "src", "--only", "work-zones", "-o", "table"
    )
    assert same.exit_code == 0 and "no differences" in same.stdout
    other = cli(
        "metadata", "diff", "--from", "src", "--to", "dst", "--only", "shifts,forms", "-o", "table"
    )
    assert other.exit_code == 7
    assert "+ NIGHT" in other.stdout and "- ONLY_TARGET" in other.stdout
    rows = cli(
        "metadata", "diff", "--from", "src", "--to", "dst", "--only", "shifts", "-o", "ndjson"
    )
    assert rows.exit_code == 7
    kinds = {json.loads(line)["difference"] for line in rows.stdout.splitlines()}
    assert kinds == {"only-in-source", "only-in-target"}
    neither = cli("metadata", "diff", "--to", "dst")
    assert neither.exit_code == 2 and "--from" in neither.stderr


def test_apply_reports_rejected_objects_and_continues(
    cli: Cli, tmp_path: Path, target: ServerHandle
) -> None:
    out = tmp_path / "cfg"
    assert cli("metadata", "export", str(out), "-p", "src", "--only", "properties,work-skills")
    prop_file = out / "properties" / "cust_contract_id.json"
    prop = json.loads(prop_file.read_text())
    prop["type"] = "integer"  # the API refuses to change a property's type
    prop_file.write_text(json.dumps(prop))
    result = cli("metadata", "apply", str(out), "-p", "dst", "-o", "json")
    assert result.exit_code == 1
    assert "properties/cust_contract_id" in result.stderr and "type" in result.stderr
    summary = {r["resource"]: r for r in json.loads(result.stdout)}
    assert summary["properties"]["failed"] == 1
    assert summary["work-skills"]["replaced"] > 0 and summary["work-skills"]["failed"] == 0
    after = cli("metadata", "diff", str(out), "-p", "dst", "--only", "work-skills", "-o", "json")
    assert json.loads(after.stdout)["resources"][0]["changed"] == []


def test_apply_and_diff_bad_input(cli: Cli, tmp_path: Path, target: ServerHandle) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("metadata", "apply", str(empty), "-p", "dst")
    assert result.exit_code == 2 and "manifest.json" in result.stderr
    out = tmp_path / "cfg"
    assert cli("metadata", "export", str(out), "-p", "src", "--only", "shifts").exit_code == 0
    missing = cli("metadata", "diff", str(out), "-p", "dst", "--only", "forms")
    assert missing.exit_code == 2 and "forms" in missing.stderr
    unknown = cli("metadata", "apply", str(out), "-p", "dst", "--only", "nope")
    assert unknown.exit_code == 2 and "valid:" in unknown.stderr
    (out / "shifts" / "DAY.json").write_text('{\n  "label": "DAY",\n  "name": ,\n  "x": 1\n}\n')
    broken = cli("metadata", "apply", str(out), "-p", "dst")
    assert broken.exit_code == 2
    assert "DAY.json" in broken.stderr and "line 3" in broken.stderr
    (out / "shifts" / "DAY.json").write_text(json.dumps({"label": "EVENING", "name": "x"}))
    renamed = cli("metadata", "apply", str(out), "-p", "dst")
    assert renamed.exit_code == 2 and "EVENING" in renamed.stderr and "DAY" in renamed.stderr
    (out / "shifts" / "DAY.json").write_text(json.dumps({"label": "DAY", "name": "x"}))
    invalid = cli("metadata", "apply", str(out), "-p", "dst")
    assert invalid.exit_code == 2 and "workTimeStart" in invalid.stderr
    assert target.emulator.write_log == []


# -- library ------------------------------------------------------------------------------


class FakeMetadata:
    """An async Metadata namespace over in-memory lists, counting requests in flight."""

    def __init__(self, n: int) -> None:
        self.skills = [
            {
                "label": f"S{i:04d}",
                "active": True,
                "sharing": "maximal",
                "links": [{"rel": "canonical"}],
            }
            for i in range(n)
        ]
        self.in_flight = 0
        self.peak = 0
        self.calls: list[tuple[int | None, int | None]] = []

    async def _page(self, offset: int | None, limit: int | None) -> Page[Any]:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        self.calls.append((offset, limit))
        await asyncio.sleep(0.01)
        self.in_flight -= 1
        start = offset or 0
        items = self.skills[start : start + min(limit or 100, 100)]
        return Page[Any](items=items, totalResults=len(self.skills))

    async def list_work_skills(self, *, offset: int | None = None, limit: int | None = None) -> Any:
        return await self._page(offset, limit)


class FakeClient:
    def __init__(self, n: int) -> None:
        self.metadata = FakeMetadata(n)


async def test_fetch_pages_at_the_maximum_with_bounded_concurrency() -> None:
    client = FakeClient(2050)
    snap = await fetch_snapshot(client, select_kinds(["work-skills"]), origin="fake", concurrency=3)
    assert len(snap.objects["work-skills"]) == 2050
    assert all(limit == 100 for _, limit in client.metadata.calls)
    assert sorted(o for o, _ in client.metadata.calls) == list(range(0, 2100, 100))
    assert client.metadata.peak == 3
    assert "links" not in snap.objects["work-skills"]["S0000"]


def test_normalize_and_field_level_diff() -> None:
    kind = select_kinds(["forms"])[0]
    raw = {
        "label": "F",
        "warnings": ["w"],
        "links": [],
        "translations": [{"language": "en", "name": "F", "languageISO": "en-US"}],
    }
    assert normalize(kind, raw) == {"label": "F", "translations": [{"language": "en", "name": "F"}]}
    changes = list(
        diff_objects(
            {"a": 1, "b": [1, 2], "c": {"d": True}}, {"a": 1, "b": [1], "c": {"d": 1}, "e": "x"}
        )
    )
    assert [(c.path, c.to_dict()) for c in changes] == [
        ("b[1]", {"path": "b[1]", "source": 2}),
        ("c.d", {"path": "c.d", "source": True, "target": 1}),
        ("e", {"path": "e", "target": "x"}),
    ]


def test_plan_keeps_undeletable_objects_and_orders_by_dependency() -> None:
    source = Snapshot(
        "s",
        {
            "work-zones": {},
            "work-skills": {"A": {"label": "A"}},
            "work-skill-groups": {"G": {"label": "G"}},
        },
    )
    target = Snapshot(
        "t", {"work-zones": {"Z": {"workZoneLabel": "Z"}}, "work-skills": {"B": {"label": "B"}}}
    )
    actions = plan_apply(source, target, prune=True)
    verbs = {(a.kind, a.label): a.verb for a in actions}
    assert verbs == {
        ("work-skills", "A"): "create",
        ("work-skills", "B"): "delete",
        ("work-skill-groups", "G"): "create",
        ("work-zones", "Z"): "keep",
    }
    assert [a.kind for a in actions].index("work-skills") < [a.kind for a in actions].index(
        "work-skill-groups"
    )
    counts = summarize(actions, None).table()
    assert {r["resource"]: r["kept"] for r in counts}["work-zones"] == 1


async def test_run_plan_records_failures_and_continues() -> None:
    class Failing:
        def __init__(self) -> None:
            self.done: list[str] = []

        async def replace_work_skill(self, label: str, body: dict[str, Any]) -> None:
            if label == "BAD":
                raise ValueError("refused")
            self.done.append(label)

    client = type("C", (), {"metadata": Failing()})()
    source = Snapshot("s", {"work-skills": {"BAD": {"label": "BAD"}, "OK": {"label": "OK"}}})
    actions = plan_apply(source, Snapshot("t", {}))
    outcomes = await run_plan(client, actions)
    summary = summarize(actions, outcomes)
    assert client.metadata.done == ["OK"]
    assert summary.failed == 1 and summary.failures[0].error == "refused"
    assert summary.table()[0]["created"] == 1


def test_write_snapshot_keeps_the_manifest_when_nothing_changed(tmp_path: Path) -> None:
    shift = {**EXTRA_SHIFT, "label": "A/B"}
    snap = Snapshot("x", {"shifts": {"A/B": shift}})
    first = write_snapshot(tmp_path, snap, instance="i")
    assert first.written == 1 and first.manifest_changed
    assert (tmp_path / "shifts" / "A%2FB.json").is_file()
    manifest = (tmp_path / "manifest.json").read_bytes()
    second = write_snapshot(tmp_path, snap, instance="i")
    assert (second.written, second.unchanged, second.manifest_changed) == (0, 1, False)
    assert (tmp_path / "manifest.json").read_bytes() == manifest
    read = read_snapshot(tmp_path)
    assert read.objects == snap.objects
    assert not diff_snapshots(snap, read).kinds[0].changed
    with pytest.raises(MigrationInputError, match="no such directory"):
        read_snapshot(tmp_path / "nope")


def test_patch_written_kinds_ignore_fields_only_the_target_has() -> None:
    mine = {"label": "L", "active": True, "translations": [{"language": "en", "name": "A"}]}
    theirs = {**mine, "minInterval": "none", "translations": [{"language": "en", "name": "B"}]}
    source = Snapshot("s", {"link-templates": {"L": mine}, "shifts": {"L": mine}})
    target = Snapshot("t", {"link-templates": {"L": theirs}, "shifts": {"L": theirs}})
    actions = {a.kind: a for a in plan_apply(source, target)}
    assert [c.path for c in actions["link-templates"].changes] == ["translations[0].name"]
    assert [c.path for c in actions["shifts"].changes] == ["minInterval", "translations[0].name"]
    same = Snapshot("t", {"link-templates": {"L": {**mine, "minInterval": "none"}}})
    assert plan_apply(Snapshot("s", {"link-templates": {"L": mine}}), same)[0].verb == "unchanged"


def test_diff_report_is_coloured_on_a_terminal_and_plain_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from ofsc_cli.cli.context import AppContext
    from ofsc_cli.cli.metadata_migrate import _print_report

    source = Snapshot("dir", {"shifts": {"A": {"label": "A", "points": 1}, "B": {"label": "B"}}})
    target = Snapshot("prof", {"shifts": {"A": {"label": "A", "points": 2}}})
    report = diff_snapshots(source, target)
    monkeypatch.delenv("NO_COLOR", raising=False)
    outputs = {}
    for tty in (True, False):
        stream = io.StringIO()
        _print_report(AppContext(stdout_stream=stream, stdout_is_tty=tty), report)
        outputs[tty] = stream.getvalue()
    assert "\x1b[" in outputs[True] and "\x1b[" not in outputs[False]
    assert "+ B (only in source)" in outputs[False]
    assert "points: 1 -> 2" in outputs[False]
    assert outputs[False].rstrip().endswith("differences found")
