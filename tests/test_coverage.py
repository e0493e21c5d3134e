"""The coverage map: every catalog operation has a client method and a command.

``test_every_operation_is_mapped`` is strict on purpose: it fails while any of the 243
operations lacks a client declaration or a ``COMMANDS`` entry, whichever family it is in.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ofsc_cli.catalog import load_catalog
from ofsc_cli.cli._app import build_app
from ofsc_cli.cli.coverage import (
    COMMAND_MODULES,
    CoverageEntry,
    client_methods,
    command_tables,
    coverage_map,
    resolve_command,
)

OWN_FAMILIES = ("capacity", "statistics", "oauth2", "parts-catalog", "collaboration")


def test_every_operation_is_mapped() -> None:
    entries = coverage_map()
    assert len(entries) == 243
    unmapped = [
        f"{e.key} (client: {e.client_method or '-'}, command: {e.command or '-'})"
        for e in entries
        if not e.mapped
    ]
    assert not unmapped, f"{len(unmapped)} of 243 operations unmapped:\n" + "\n".join(unmapped)


@pytest.mark.parametrize("family", OWN_FAMILIES)
def test_family_is_fully_covered(family: str) -> None:
    entries = coverage_map(family)
    assert len(entries) == load_catalog().families()[family]
    assert [e.key for e in entries if not e.mapped] == []


def test_every_command_line_resolves_to_a_command() -> None:
    broken = [
        f"{key}: {line}" for key, line in command_tables().items() if resolve_command(line) is None
    ]
    assert broken == []


def test_commands_tables_name_catalog_operations() -> None:
    catalog = load_catalog()
    assert [key for key in command_tables() if key not in catalog.by_key] == []
    assert [key for key in client_methods() if key not in catalog.by_key] == []


def test_resolve_command_rejects_groups_and_unknown_words() -> None:
    assert resolve_command("ofsc capacity quota get --v1") is not None
    assert resolve_command("ofsc capacity quota") is None  # a group, not a command
    assert resolve_command("ofsc capacity quota get --v3") is None
    assert resolve_command("ofsc capacity quotas get") is None
    assert resolve_command("gh api") is None
    # a group with a default verb resolves to it (``ofsc api GET ...`` runs ``request``)
    api = resolve_command("ofsc api")
    assert api is not None and api.name == "request"


def test_missing_command_modules_are_tolerated() -> None:
    tables = command_tables(("ofsc_cli.cli.not_written_yet", "ofsc_cli.cli.capacity"))
    assert tables["GET /rest/ofscCapacity/v1/capacity"] == "ofsc capacity available"
    assert "ofsc_cli.cli.capacity" in COMMAND_MODULES


def test_entry_mapping_needs_both_sides() -> None:
    entry = CoverageEntry("GET", "/rest/x", "core", None, "core.x", None)
    assert not entry.mapped
    assert entry.to_dict()["command"] is None


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
    }
    assert "12 of 12 operations mapped" in result.stderr
