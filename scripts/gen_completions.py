"""Write the shell completion scripts of ``ofsc`` into ``completions/``.

    python scripts/gen_completions.py           # regenerate
    python scripts/gen_completions.py --check   # exit 1 if a committed script is stale

The scripts ask ``ofsc`` itself for candidates at completion time (``_OFSC_COMPLETE``), so
they stay right as commands are added; they change only if typer's templates change.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer._completion_shared import get_completion_script

ROOT = Path(__file__).resolve().parent.parent
FILES = {"bash": "ofsc.bash", "zsh": "_ofsc", "fish": "ofsc.fish", "powershell": "ofsc.ps1"}


def scripts() -> dict[Path, str]:
    return {
        ROOT / "completions" / name: get_completion_script(
            prog_name="ofsc", complete_var="_OFSC_COMPLETE", shell=shell
        ).rstrip("\n")
        + "\n"
        for shell, name in FILES.items()
    }


def main(argv: list[str]) -> int:
    stale = [p for p, text in scripts().items() if not p.exists() or p.read_text() != text]
    if "--check" in argv:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run: python scripts/gen_completions.py)")
        return 1 if stale else 0
    for path, text in scripts().items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
