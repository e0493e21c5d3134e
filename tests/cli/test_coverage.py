"""The coverage map: every catalog operation has a client method, a command and an
emulator route — derived from the declarations, the command tree and the route table.

``test_every_operation_is_mapped`` is strict on purpose: it fails while any of the 243
operations lacks any of the three.
"""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from ofsc_cli.catalog import load_catalog
from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.coverage import (
    CoverageEntry,
    client_methods,
    command_lines,
    coverage_map,
    emulated,
)
from ofsc_cli.cli.declare import Command, Group, build, declarations

OWN_FAMILIES = ("capacity", "statistics", "oauth2", "parts-catalog", "collaboration")


def test_every_operation_is_mapped() -> None:
    entries = coverage_map()
    assert len(entries) == 243
    unmapped = [
        f"{e.key} (client: {e.client_method or '-'}, command: {e.command or '-'}, "
        f"emulated: {e.emulated})"
        for e in entries
        if not e.mapped
    ]
    assert not unmapped, f"{len(unmapped)} of 243 operations unmapped:\n" + "\n".join(unmapped)


@pytest.mark.parametrize("family", OWN_FAMILIES)
def test_family_is_fully_covered(family: str) -> None:
    entries = coverage_map(family)
    assert len(entries) == load_catalog().families()[family]
    assert [e.key for e in entries if not e.mapped] == []


def test_declared_operations_are_catalog_operations() -> None:
    catalog = load_catalog()
    assert [key for key in command_lines() if key not in catalog.by_key] == []
    assert [key for key in client_methods() if key not in catalog.by_key] == []
    assert [key for key in emulated() if key not in catalog.by_key] == []


def test_command_lines_run_through_the_real_tree() -> None:
    """Each command line of the map is found again by walking the root command."""
    root = typer.main.get_command(build_app())
    lines = dict(declarations(root))
    for key, line in command_lines().items():
        if line in lines:  # declared commands: the line names the declaration itself
            assert key in lines[line].op_keys


def test_walk_follows_groups_and_skips_aliases() -> None:
    from ofsc_cli.client.api.statistics import Statistics

    cmd = Command("get", "Get.", "ofsc demo stats get", op=Statistics.get_activity_travel_stats)
    tree = build(Group("demo", "Demo.", (Group("stats", "Stats.", (cmd,), aliases=("st",)),)))
    found = list(declarations(tree, "ofsc demo"))
    assert found == [("ofsc demo stats get", cmd)]
    assert cmd.op_keys == ("GET /rest/ofscStatistics/v1/activityTravelStats",)


def test_entry_mapping_needs_all_three() -> None:
    entry = CoverageEntry("GET", "/rest/x", "core", None, "core.x", "ofsc core x", False)
    assert not entry.mapped
    assert entry.to_dict()["emulated"] is False
    assert CoverageEntry("GET", "/rest/x", "core", None, "core.x", "ofsc core x", True).mapped


def test_api_catalog_coverage_json() -> None:
    result = CliRunner().invoke(
        build_app(), ["api", "catalog", "--coverage", "--family", "capacity", "-o", "json"]
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 12
    quota = next(r for r in rows if r["method"] == "GET" and r["path"].endswith("/v2/quota"))
    assert quota == {
        "method": "GET",
        "path": "/rest/ofscCapacity/v2/quota",
        "family": "capacity",
        "operationId": quota["operationId"],
        "clientMethod": "capacity.get_quota",
        "command": "ofsc capacity quota get",
        "emulated": True,
    }
    assert "12 of 12 operations mapped" in result.stderr
