"""Write docs/cli.md and the command index of README.md from the command tree.

    python scripts/gen_cli_docs.py          # rewrite both
    python scripts/gen_cli_docs.py --check  # exit 1 if either is out of date

Both come from :mod:`ofsc_cli.cli.reference`, the same source ``--help`` prints from.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def expected() -> dict[Path, str]:
    os.environ["TYPER_USE_RICH"] = "0"
    os.environ["OFSC_NO_PLUGINS"] = "1"  # the built-in commands only, whatever is installed
    os.environ.setdefault("COLUMNS", "80")
    sys.path.insert(0, str(ROOT))
    from ofsc_cli.cli.reference import README_END, README_START, readme_index, render_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(README_START), readme.index(README_END) + len(README_END)
    return {
        ROOT / "docs" / "cli.md": render_markdown(),
        ROOT / "README.md": readme[:start] + readme_index() + readme[end:],
    }


def main(argv: list[str]) -> int:
    stale = []
    for path, text in expected().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path.relative_to(ROOT))
            if "--check" not in argv:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if stale and "--check" in argv:
        print(f"out of date: {', '.join(map(str, stale))}; run scripts/gen_cli_docs.py")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
