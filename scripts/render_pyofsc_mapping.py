#!/usr/bin/env python3
"""Print the pyOFSC 2.x -> v3 mapping as a Markdown table (for docs/migrating-from-pyofsc.md).

Usage::

    python scripts/render_pyofsc_mapping.py [--no-commands] > table.md

One row per public method of pyOFSC 2.27 (sync and async merged by name): the v3 client
method(s) it delegates to, the ``ofsc`` command that runs the same API operation (from the
CLI's coverage map), and the notes of the mapping table (local steps, where 2.x deviated
from the spec).  Exit code 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ofsc_cli.compat.mapping import render_markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-commands", action="store_true", help="leave the CLI column empty")
    ns = parser.parse_args(argv)
    commands = None
    if not ns.no_commands:
        from ofsc_cli.cli.coverage import command_lines

        commands = command_lines()
    sys.stdout.write(render_markdown(commands=commands))
    return 0


if __name__ == "__main__":
    sys.exit(main())
