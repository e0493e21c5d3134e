"""``ofsc metadata`` commands end to end over the served emulator (real HTTP on 127.0.0.1).

Every resource's standard verbs and every custom action: the happy path and the main error
path, dry runs checked at the server (its write log), and the coverage map for the family.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from served_cli import cli_env
from typer.testing import CliRunner, Result

from ofsc_cli.catalog import load_catalog
from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.coverage import client_methods, command_lines
from ofsc_cli.cli.declare import Command, Group, declarations
from ofsc_cli.cli.metadata import GROUP, app
from ofsc_cli.sandbox import Emulator, ServerHandle, Store, serve


@pytest.fixture(scope="module")
def server(_seeded_store: Store) -> Iterator[ServerHandle]:
    """A private served emulator for this module (its writes do not leak elsewhere)."""
    # Live-like, not strict: the spec reuses full-object schemas (with their required fields)
    # for PATCH bodies, which send only what changes; see the note on issue 10.
    with serve(Emulator(_seeded_store.clone())) as handle:
        yield handle


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cfg") / "config.toml"


class Cli:
    """Runs ``ofsc`` against the served emulator; ``writes`` reads the server's write log."""

    def __init__(self, server: ServerHandle, config: Path, workdir: Path) -> None:
        self.server = server
        self.workdir = workdir
        self.env = cli_env(server, config.parent)
        assert self.env["OFSC_CONFIG"] == str(config)

    def __call__(self, *args: str, input: str | bytes | None = None) -> Result:
        return CliRunner().invoke(build_app(), list(args), env=self.env, input=input)

    def json(self, *args: str) -> Any:
        result = self(*args, "-o", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    def file(self, name: str, data: Any) -> str:
        path = self.workdir / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        elif name.endswith((".yaml", ".yml")):
            path.write_text(yaml.safe_dump(data), encoding="utf-8")
        else:
            path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return str(path)

    @property
    def writes(self) -> int:
        return len(self.server.emulator.write_log)


@pytest.fixture
def cli(server: ServerHandle, config: Path, tmp_path: Path) -> Cli:
    return Cli(server, config, tmp_path)


# -- coverage -----------------------------------------------------------------------------

METADATA_OPS = [op for op in load_catalog().operations if op.family == "metadata"]
DECLARED = dict(declarations(app, "ofsc metadata"))
"""Every declared ``ofsc metadata`` command line and its declaration, from the built group."""


def _walk(group: Group, prefix: str) -> list[tuple[str, Command]]:
    found: list[tuple[str, Command]] = []
    for item in group.commands:
        line = f"{prefix} {item.verb if isinstance(item, Command) else item.name}"
        found += _walk(item, line) if isinstance(item, Group) else [(line, item)]
    return found


def test_every_metadata_operation_has_a_client_method_and_a_command() -> None:
    methods = client_methods()
    covered = {key for command in DECLARED.values() for key in command.op_keys}
    missing_client = [op.key for op in METADATA_OPS if op.key not in methods]
    missing_command = [op.key for op in METADATA_OPS if op.key not in covered]
    assert (missing_client, missing_command) == ([], [])
    assert len(METADATA_OPS) == 86
    assert covered == {op.key for op in METADATA_OPS}


def test_the_built_tree_holds_every_declaration() -> None:
    """Walking the declarations and walking the click tree agree, command for command."""
    assert dict(_walk(GROUP, "ofsc metadata")) == DECLARED
    primary = [command.op_key for command in DECLARED.values() if command.op is not None]
    assert len(primary) == len(set(primary))  # no operation is declared by two commands
    assert {line for line, command in DECLARED.items() if command.op is None} == {
        "ofsc metadata export",
        "ofsc metadata diff",
        "ofsc metadata apply",
    }


def test_the_coverage_map_names_metadata_commands() -> None:
    lines = command_lines()
    for op in METADATA_OPS:
        assert lines[op.key] in DECLARED, op.key
        assert op.key in DECLARED[lines[op.key]].op_keys


@pytest.mark.parametrize("line", sorted(DECLARED))
def test_each_command_has_help_and_a_runnable_example(line: str) -> None:
    command = DECLARED[line]
    assert command.help.strip() and command.help.splitlines()[0].endswith(".")
    assert any(example.startswith(f"{line} ") or example == line for example in command.examples)
    words = line.split()[1:]
    result = CliRunner().invoke(build_app(), [*words, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Examples:" in result.stdout and command.examples[0] in result.stdout


READ_EXAMPLES = sorted(
    {
        example
        for command in DECLARED.values()
        if command.op is not None
        and not command.writes
        and "{downloadId}" not in command.op.spec.path  # a download started before
        for example in command.examples
        if not any(word in example for word in ("--file", "--output-file", ">"))
    }
)


@pytest.mark.parametrize("example", READ_EXAMPLES)
def test_read_examples_work_against_the_emulator(cli: Cli, example: str) -> None:
    result = cli(*example.split()[1:])
    assert result.exit_code == 0, (example, result.stderr)


# -- lists and gets -----------------------------------------------------------------------

LISTS = {
    "work-zones": "workZoneLabel",
    "work-skills": "label",
    "work-skill-groups": "label",
    "work-skill-conditions": "internalId",
    "activity-types": "label",
    "activity-type-groups": "label",
    "capacity-areas": "label",
    "capacity-categories": "label",
    "properties": "label",
    "inventory-types": "label",
    "resource-types": "label",
    "organizations": "label",
    "time-slots": "label",
    "languages": "label",
    "applications": "label",
    "forms": "label",
    "shifts": "label",
    "link-templates": "label",
    "map-layers": "label",
    "non-working-reasons": "label",
    "routing-profiles": "profileLabel",
}


@pytest.mark.parametrize("resource", sorted(LISTS))
def test_list_every_resource(cli: Cli, resource: str) -> None:
    items = cli.json("metadata", resource, "list", "--all")
    assert isinstance(items, list) and items
    assert all(LISTS[resource] in item for item in items)


def test_list_table_shows_the_useful_columns_and_a_paging_hint(cli: Cli) -> None:
    result = cli("metadata", "work-skills", "list", "--limit", "3", "-o", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["label", "name", "active", "sharing"]
    assert len(lines) == 4
    page = cli("metadata", "work-skills", "list", "-o", "json")
    assert len(json.loads(page.stdout)) == 40


GETS = [
    ("work-zones", "MAPLE_RIDGE", "workZoneName"),
    ("work-skills", "FIBER_INST", "sharing"),
    ("work-skill-groups", "FIBER_ALL", "workSkills"),
    ("activity-types", "INSTALL", "groupLabel"),
    ("activity-type-groups", "customer", "translations"),
    ("capacity-areas", "NORTH", "configuration"),
    ("capacity-categories", "CAT_FIBER", "workSkills"),
    ("properties", "cust_tier", "entity"),
    ("inventory-types", "ONT", "nonSerialized"),
    ("organizations", "default", "type"),
    ("applications", "demo", "tokenService"),
    ("forms", "site_survey", "content"),
    ("shifts", "DAY", "workTimeStart"),
    ("link-templates", "START_AFTER", "linkType"),
    ("map-layers", "FLOOD_ZONES", "tableColumns"),
]


@pytest.mark.parametrize(("resource", "label", "field"), GETS)
def test_get_one_and_unknown_label(cli: Cli, resource: str, label: str, field: str) -> None:
    first = cli.json("metadata", resource, "list", "--all")
    key = "workZoneLabel" if resource == "work-zones" else "label"
    if label not in {i[key] for i in first}:
        label = first[0][key]  # seed labels are examples; any existing one will do
    obj = cli.json("metadata", resource, "get", label)
    assert obj[key] == label and field in obj
    missing = cli("metadata", resource, "get", "NO_SUCH_LABEL")
    assert missing.exit_code == 5
    assert "NO_SUCH_LABEL" in missing.stderr and missing.stdout == ""


def test_global_options_after_the_verb(cli: Cli, config: Path, server: ServerHandle) -> None:
    config.write_text(
        f'[profiles.lab]\nbase_url = "{server.url}"\ninstance = "sandbox"\n'
        'client_id = "demo"\nclient_secret = "demo-secret"\nauth = "basic"\n'
    )
    env = {k: v for k, v in cli.env.items() if not k.startswith("OFSC_") or k == "OFSC_CONFIG"}
    result = CliRunner().invoke(
        build_app(), ["metadata", "work-zones", "list", "-p", "lab", "-o", "json"], env=env
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["workZoneLabel"]
    bad = CliRunner().invoke(
        build_app(), ["metadata", "work-zones", "list", "-p", "nope", "-o", "json"], env=env
    )
    assert bad.exit_code == 3


# -- writes -------------------------------------------------------------------------------


def test_work_zone_create_from_yaml_replace_and_label_checks(cli: Cli) -> None:
    zone = {
        "workZoneLabel": "CLI_Z",
        "workZoneName": "Cli zone",
        "travelArea": "north",
        "keys": ["88801"],
    }
    created = cli("metadata", "work-zones", "create", "--file", cli.file("z.yaml", zone))
    assert created.exit_code == 0, created.stderr
    renamed = cli.file("z2.json", {**zone, "workZoneName": "Renamed"})
    assert cli("metadata", "work-zones", "replace", "CLI_Z", "--file", renamed).exit_code == 0
    assert cli.json("metadata", "work-zones", "get", "CLI_Z")["workZoneName"] == "Renamed"
    mismatch = cli("metadata", "work-zones", "replace", "OTHER", "--file", renamed)
    assert mismatch.exit_code == 2
    assert "CLI_Z" in mismatch.stderr and "OTHER" in mismatch.stderr
    again = cli("metadata", "work-zones", "create", "--file", renamed)
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_invalid_files_name_the_line_or_the_field(cli: Cli) -> None:
    broken = cli.file("broken.json", '{\n  "label": "X",\n  "active": true,,\n}\n')
    result = cli("metadata", "work-skills", "replace", "X", "--file", broken)
    assert result.exit_code == 2 and "line 3" in result.stderr and "broken.json" in result.stderr
    missing = cli.file("missing.json", {"workZoneLabel": "Q", "workZoneName": "Q"})
    result = cli("metadata", "work-zones", "create", "--file", missing)
    assert result.exit_code == 2 and "travelArea" in result.stderr
    wrong = cli.file("wrong.yaml", {"label": "Q", "active": "maybe", "sharing": "maximal"})
    result = cli("metadata", "work-skills", "replace", "Q", "--file", wrong)
    assert result.exit_code == 2 and "active" in result.stderr


def test_dry_run_prints_the_request_and_sends_nothing(cli: Cli) -> None:
    body = cli.file("s.json", {"label": "DRY", "active": True, "sharing": "minimal"})
    before = cli.writes
    result = cli("metadata", "work-skills", "replace", "DRY", "--file", body, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("PUT http://127.0.0.1:")
    assert "/rest/ofscMetadata/v1/workSkills/DRY" in result.stdout
    assert '"sharing": "minimal"' in result.stdout
    deleted = cli("metadata", "work-skills", "delete", "FIBER_INST", "--dry-run")
    assert deleted.exit_code == 0 and deleted.stdout.startswith("DELETE ")
    assert cli.writes == before
    assert cli("metadata", "work-skills", "get", "DRY").exit_code == 5


NEW_OBJECTS: dict[str, dict[str, Any]] = {
    "work-skills": {"label": "CLI_NEW", "name": "New", "active": True, "sharing": "maximal"},
    "work-skill-groups": {
        "label": "CLI_NEW",
        "name": "New",
        "active": True,
        "assignToResource": True,
        "addToCapacityCategory": False,
        "workSkills": [{"label": "FIBER_INST", "ratio": 100}],
        "translations": [{"language": "en", "name": "New"}],
    },
    "capacity-categories": {"label": "CLI_NEW", "name": "New", "active": True},
    "forms": {
        "label": "CLI_NEW",
        "name": "New",
        "content": "{}",
        "translations": [{"language": "en", "name": "New"}],
    },
    "shifts": {
        "label": "CLI_NEW",
        "name": "New",
        "active": True,
        "type": "regular",
        "workTimeStart": "08:00",
        "workTimeEnd": "16:00",
    },
}


@pytest.mark.parametrize("resource", sorted(NEW_OBJECTS))
def test_replace_creates_then_delete_needs_yes(cli: Cli, resource: str) -> None:
    body = cli.file(f"{resource}.json", NEW_OBJECTS[resource])
    created = cli("metadata", resource, "replace", "CLI_NEW", "--file", body, "-o", "json")
    assert created.exit_code == 0, created.stderr
    assert json.loads(created.stdout)["name"] == "New"
    refused = cli("metadata", resource, "delete", "CLI_NEW")
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert cli("metadata", resource, "get", "CLI_NEW").exit_code == 0
    deleted = cli("metadata", resource, "delete", "CLI_NEW", "--yes")
    assert deleted.exit_code == 0 and "deleted" in deleted.stderr
    assert cli("metadata", resource, "get", "CLI_NEW").exit_code == 5
    assert cli("metadata", resource, "delete", "CLI_NEW", "--yes").exit_code == 5


REPLACED = [
    ("activity-types", "INSTALL", "defaultDuration", 75),
    (
        "activity-type-groups",
        "internal",
        "translations",
        [{"language": "en", "name": "Inner", "languageISO": "en-US"}],
    ),
    ("inventory-types", None, "quantityPrecision", 3),
    ("applications", "bi_extract", "name", "Reporting"),
    ("map-layers", "SERVICE_POLES", "text", "Poles"),
    ("properties", "job_notes", "name", "Notes"),
]


@pytest.mark.parametrize(("resource", "label", "field", "value"), REPLACED)
def test_replace_existing_objects(
    cli: Cli, resource: str, label: str | None, field: str, value: Any
) -> None:
    if label is None:
        label = cli.json("metadata", resource, "list")[0]["label"]
    obj = cli.json("metadata", resource, "get", label)
    obj[field] = value
    result = cli("metadata", resource, "replace", label, "--file", cli.file("o.json", obj))
    assert result.exit_code == 0, result.stderr
    assert cli.json("metadata", resource, "get", label)[field] == value


def test_patch_verbs_and_keyed_create(cli: Cli) -> None:
    hint = cli(
        "metadata",
        "properties",
        "update",
        "cust_tier",
        "--file",
        cli.file("p.json", {"hint": "Tier of the customer"}),
    )
    assert hint.exit_code == 0, hint.stderr
    assert cli.json("metadata", "properties", "get", "cust_tier")["hint"] == "Tier of the customer"
    template = {
        "label": "CLI_LINK",
        "linkType": "related",
        "active": True,
        "translations": [{"language": "en", "name": "Cli"}],
    }
    path = cli.file("t.json", template)
    assert cli("metadata", "link-templates", "create", "CLI_LINK", "--file", path).exit_code == 0
    assert cli("metadata", "link-templates", "create", "CLI_LINK", "--file", path).exit_code == 1
    off = cli.file("off.json", {"active": False})
    assert cli("metadata", "link-templates", "update", "CLI_LINK", "--file", off).exit_code == 0
    assert cli.json("metadata", "link-templates", "get", "CLI_LINK")["active"] is False
    layer = cli.file("l.json", {"label": "CLI_LAYER", "status": "active", "text": "Cli"})
    assert cli("metadata", "map-layers", "create", "--file", layer).exit_code == 0
    assert (
        cli(
            "metadata",
            "map-layers",
            "replace",
            "NO_LAYER",
            "--file",
            cli.file("l2.json", {"label": "NO_LAYER"}),
        ).exit_code
        == 5
    )


# -- custom actions -----------------------------------------------------------------------


def test_properties_enumeration_get_and_set(cli: Cli) -> None:
    values = cli.json("metadata", "properties", "enumeration", "get", "cust_tier")
    assert {"platinum", "gold"} <= {v["label"] for v in values}
    new = [
        {"label": "cli_tier", "active": True, "translations": [{"language": "en", "name": "Cli"}]}
    ]
    path = cli.file("values.json", new)
    before = cli.writes
    dry = cli(
        "metadata", "properties", "enumeration", "set", "cust_tier", "--file", path, "--dry-run"
    )
    assert dry.exit_code == 0 and '"items"' in dry.stdout and cli.writes == before
    result = cli(
        "metadata", "properties", "enumeration", "set", "cust_tier", "--file", path, "-o", "json"
    )
    assert result.exit_code == 0, result.stderr
    assert "cli_tier" in {v["label"] for v in json.loads(result.stdout)}
    assert cli("metadata", "properties", "enumeration", "get", "no_prop").exit_code == 5
    wrong = cli("metadata", "properties", "enumeration", "set", "job_notes", "--file", path)
    assert wrong.exit_code == 1 and "enumeration" in wrong.stderr
    invalid = cli.file("bad.json", {"items": [{"label": "x"}]})
    bad = cli("metadata", "properties", "enumeration", "set", "cust_tier", "--file", invalid)
    assert bad.exit_code == 2 and "items[0]" in bad.stderr and "translations" in bad.stderr


def test_plugins_import_and_install(cli: Cli, server: ServerHandle) -> None:
    path = cli.file("plugin.xml", '<plugins><plugin label="cli_plugin"/></plugins>')
    before = cli.writes
    dry = cli("metadata", "plugins", "import", "--file", path, "--dry-run")
    assert dry.exit_code == 0 and "multipart/form-data" in dry.stdout and cli.writes == before
    assert cli("metadata", "plugins", "import", "--file", path).exit_code == 0
    assert server.emulator.store.get("plugins", "cli_plugin") is not None
    bad = cli("metadata", "plugins", "import", "--file", cli.file("bad.xml", "<plugins"))
    assert bad.exit_code == 1 and "XML" in bad.stderr
    assert cli("metadata", "plugins", "install", "signature_pad").exit_code == 0
    assert cli("metadata", "plugins", "install", "signature_pad").exit_code == 1
    unknown = cli("metadata", "plugins", "install", "no_plugin")
    assert unknown.exit_code == 5 and "no_plugin" in unknown.stderr


def test_routing_profile_plans(cli: Cli, tmp_path: Path) -> None:
    profiles = cli.json("metadata", "routing-profiles", "list")
    assert "OVERNIGHT" in {i["profileLabel"] for i in profiles}
    plans = cli.json("metadata", "routing-profiles", "plans", "list", "OVERNIGHT")
    assert [p["planLabel"] for p in plans] == ["OVERNIGHT_MAIN", "OVERNIGHT_REOPT"]
    out = tmp_path / "plan.json"
    exported = cli(
        "metadata",
        "routing-profiles",
        "plans",
        "export",
        "OVERNIGHT",
        "OVERNIGHT_MAIN",
        "--output-file",
        str(out),
    )
    assert exported.exit_code == 0 and exported.stdout == ""
    assert json.loads(out.read_bytes())["routingPlan"]["planLabel"] == "OVERNIGHT_MAIN"
    to_stdout = cli(
        "metadata", "routing-profiles", "plans", "export", "OVERNIGHT", "OVERNIGHT_MAIN"
    )
    assert to_stdout.stdout_bytes == out.read_bytes()
    refused = cli(
        "metadata", "routing-profiles", "plans", "import", "OVERNIGHT", "--file", str(out)
    )
    assert refused.exit_code == 1 and "--force" in refused.stderr
    forced = cli(
        "metadata",
        "routing-profiles",
        "plans",
        "import",
        "OVERNIGHT",
        "--file",
        str(out),
        "--force",
        "-o",
        "json",
    )
    assert forced.exit_code == 0 and json.loads(forced.stdout)["status"] == "200"
    missing = cli(
        "metadata",
        "routing-profiles",
        "plans",
        "export",
        "OVERNIGHT",
        "NOPE",
        "--output-file",
        str(tmp_path / "x"),
    )
    assert missing.exit_code == 5 and not (tmp_path / "x").exists()
    started = cli(
        "metadata",
        "routing-profiles",
        "plans",
        "start",
        "OVERNIGHT",
        "OVERNIGHT_MAIN",
        "BK_NORTH",
        "2026-11-20",
    )
    assert started.exit_code == 0, started.stderr
    nobody = cli(
        "metadata",
        "routing-profiles",
        "plans",
        "start",
        "OVERNIGHT",
        "OVERNIGHT_MAIN",
        "NOBODY",
        "2026-11-20",
    )
    assert nobody.exit_code == 5 and "NOBODY" in nobody.stderr


@pytest.mark.parametrize(
    ("sub", "field"),
    [
        ("children", "label"),
        ("work-zones", "workZoneLabel"),
        ("time-slots", "timeFrom"),
        ("time-intervals", "timeTo"),
        ("organizations", "type"),
        ("capacity-categories", "status"),
    ],
)
def test_capacity_area_subcollections(cli: Cli, sub: str, field: str) -> None:
    label = "NORTH" if sub == "children" else "NORTH_URBAN"
    items = cli.json("metadata", "capacity-areas", sub, label)
    assert items and all(field in i for i in items)
    missing = cli("metadata", "capacity-areas", sub, "NO_AREA")
    assert missing.exit_code == 5 and "NO_AREA" in missing.stderr


def test_capacity_areas_list_filters_and_v1_work_zones(cli: Cli) -> None:
    areas = cli.json("metadata", "capacity-areas", "list", "--type", "area", "--parent")
    assert areas and all(a["type"] == "area" and a["parent"]["label"] for a in areas)
    v1 = cli.json("metadata", "capacity-areas", "work-zones", "NORTH_URBAN", "--v1")
    assert v1 and set(v1[0]) == {"label"}
    assert cli("metadata", "capacity-areas", "list", "--status", "bogus").exit_code == 1


def test_applications_api_access_and_secret(cli: Cli) -> None:
    apis = cli.json("metadata", "applications", "api-access", "erp_sync")
    assert {"coreAPI", "inboundAPI"} <= {a["label"] for a in apis}
    one = cli.json("metadata", "applications", "api-access", "erp_sync", "coreAPI")
    assert one["label"] == "coreAPI" and "apiEntities" in one
    assert cli("metadata", "applications", "api-access", "nope").exit_code == 5
    body = cli.file("access.json", {"status": "inactive"})
    updated = cli(
        "metadata",
        "applications",
        "update-api-access",
        "erp_sync",
        "inboundAPI",
        "--file",
        body,
        "-o",
        "json",
    )
    assert updated.exit_code == 0 and json.loads(updated.stdout)["status"] == "inactive"
    secret = cli("metadata", "applications", "generate-client-secret", "erp_sync")
    assert secret.exit_code == 0
    lines = secret.stdout.splitlines()
    assert len(lines) == 1 and len(lines[0]) >= 16 and " " not in lines[0]
    assert secret.stderr == ""
    unknown = cli("metadata", "applications", "generate-client-secret", "nope")
    assert unknown.exit_code == 5 and unknown.stdout == ""


def test_work_zones_bulk_writes(cli: Cli) -> None:
    zones = cli.json("metadata", "work-zones", "list", "--all")
    update = cli.file(
        "u.json",
        {"items": [{"workZoneLabel": zones[0]["workZoneLabel"], "workZoneName": "Bulk renamed"}]},
    )
    assert cli("metadata", "work-zones", "update-all", "--file", update).exit_code == 0
    assert cli.json("metadata", "work-zones", "get", zones[0]["workZoneLabel"])["workZoneName"] == (
        "Bulk renamed"
    )
    everything = cli.file("all.json", zones)
    refused = cli("metadata", "work-zones", "replace-all", "--file", everything)
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    before = cli.writes
    dry = cli("metadata", "work-zones", "replace-all", "--file", everything, "--dry-run")
    assert dry.exit_code == 0 and dry.stdout.startswith("PUT ") and cli.writes == before
    done = cli("metadata", "work-zones", "replace-all", "--file", everything, "--yes")
    assert done.exit_code == 0, done.stderr
    assert cli.writes == before + 1
    assert (
        cli.json("metadata", "work-zones", "get", zones[0]["workZoneLabel"])["workZoneName"]
        == (zones[0]["workZoneName"])
    )
    bad = cli.file("bad.json", [{"workZoneLabel": "X"}])
    invalid = cli("metadata", "work-zones", "replace-all", "--file", bad, "--yes")
    assert invalid.exit_code == 2 and "items[0]" in invalid.stderr


def test_work_skill_conditions_replace_all(cli: Cli) -> None:
    conditions = cli.json("metadata", "work-skill-conditions", "list")
    kept = conditions[:-1]
    path = cli.file("c.json", {"items": kept})
    assert cli("metadata", "work-skill-conditions", "replace-all", "--file", path).exit_code == 2
    result = cli("metadata", "work-skill-conditions", "replace-all", "--file", path, "--yes")
    assert result.exit_code == 0, result.stderr
    assert len(cli.json("metadata", "work-skill-conditions", "list")) == len(kept)
    restore = cli.file("r.json", {"items": conditions})
    assert (
        cli(
            "metadata", "work-skill-conditions", "replace-all", "--file", restore, "--yes"
        ).exit_code
        == 0
    )


@pytest.mark.parametrize(
    ("resource", "start", "status", "extra"),
    [
        ("work-zones", "populate-shapes", "populate-shapes-status", {"shapeIdentifierColumn": "Z"}),
        ("map-layers", "populate", "populate-status", {"layerLabel": "CLI_L"}),
    ],
)
def test_populate_and_status(
    cli: Cli, resource: str, start: str, status: str, extra: dict[str, Any]
) -> None:
    body = {
        "URL": "https://example.invalid/s.zip",
        "authentication": {"type": "none"},
        "SRID": 4326,
        **extra,
    }
    started = cli.json("metadata", resource, start, "--file", cli.file("p.json", body))
    assert isinstance(started["downloadId"], int) and started["status"]
    waited = cli.json("metadata", resource, start, "--file", cli.file("p.json", body), "--wait")
    assert waited["status"] == "completed"
    polled = cli.json("metadata", resource, status, str(started["downloadId"]))
    assert polled["downloadId"] == started["downloadId"]
    assert cli("metadata", resource, status, "999999").exit_code == 5
    insecure = cli.file("i.json", {**body, "URL": "http://example.invalid/s.zip"})
    assert cli("metadata", resource, start, "--file", insecure).exit_code == 1
    incomplete = cli.file("n.json", {"URL": "https://example.invalid/s.zip"})
    bad = cli("metadata", resource, start, "--file", incomplete)
    assert bad.exit_code == 2 and "SRID" in bad.stderr


def test_work_zone_key_get(cli: Cli) -> None:
    key = cli.json("metadata", "work-zone-key", "get")
    assert key["current"][0]["apiParameterName"] == "postalCode"
    table = cli("metadata", "work-zone-key", "get", "-o", "table")
    assert table.exit_code == 0 and "current" in table.stdout
