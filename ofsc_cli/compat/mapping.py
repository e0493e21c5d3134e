"""The compat mapping as data and as Markdown, for the migration guide.

:func:`mapping_rows` lists every 2.27 method (both clients merged by name) with the v3
client method it delegates to, the API operations behind it, the deviation of 2.x from the
spec recorded there, and, for a local step, what it does.  :func:`render_markdown` prints
them as a table; the CLI commands column needs a map ``operation key -> command line``
(``ofsc_cli.cli.coverage.command_lines()``; ``scripts/render_pyofsc_mapping.py`` passes it,
since this package may not import the CLI).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ofsc_cli.compat._inventory import methods
from ofsc_cli.compat._table import TABLE, targets

__all__ = ["MappingRow", "mapping_rows", "render_markdown"]


@dataclass(frozen=True, slots=True)
class MappingRow:
    """One 2.x method and what serves it."""

    pyofsc: str
    """``"metadata.get_workzones"``."""
    clients: tuple[str, ...]
    """Which 2.x clients have it: ``("sync", "async")``, ``("async",)`` …"""
    v3: tuple[str, ...]
    """The v3 client methods used, ``"client.metadata.list_work_zones"`` first."""
    operations: tuple[str, ...]
    """The API operation keys (``"GET /rest/ofscMetadata/v1/workZones"``) behind them."""
    deviation: str
    local: str


def _operation_keys() -> dict[str, str]:
    from ofsc_cli.client import ENDPOINTS

    return {spec.client_method: spec.key for spec in ENDPOINTS}


def mapping_rows() -> list[MappingRow]:
    """Returns every 2.27 method with its mapping, sorted by namespace and name."""
    keys = _operation_keys()
    clients: dict[str, list[str]] = {}
    for kind in ("sync", "async"):
        for ns, name in methods(kind):
            clients.setdefault(f"{ns}.{name}", []).append(kind)
    rows = []
    for key in sorted(clients):
        op = TABLE[key]
        used = tuple(targets(op))
        v3 = tuple(t if t.startswith("client.") else f"client.{t}" for t in used)
        operations = tuple(keys[t] for t in used if t in keys)
        rows.append(MappingRow(key, tuple(clients[key]), v3, operations, op.deviation, op.local))
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(
    rows: list[MappingRow] | None = None, commands: Mapping[str, str] | None = None
) -> str:
    """Returns a Markdown table of ``rows`` (default: :func:`mapping_rows`): 2.x method,
    clients, v3 method(s), CLI command(s) (from ``commands``, operation key -> command line;
    ``-`` where none), notes."""
    rows = mapping_rows() if rows is None else rows
    lines = [
        "| pyOFSC 2.x | clients | v3 client | CLI command | notes |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        found = [commands[k] for k in row.operations if commands and k in commands]
        command = ", ".join(f"`{c}`" for c in dict.fromkeys(found)) or "-"
        notes = "; ".join(
            part
            for part in (
                f"local: {row.local}" if row.local else "",
                f"2.x deviation: {row.deviation}" if row.deviation else "",
            )
            if part
        )
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{row.pyofsc}`",
                    "/".join(row.clients),
                    ", ".join(f"`{v}`" for v in row.v3),
                    command,
                    _cell(notes) or "-",
                ]
            )
            + " |"
        )
    return "\n".join(lines) + "\n"
