"""Reading request bodies from ``--file PATH|-`` (JSON or YAML) and validating them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ofsc_cli.cli.errors import UsageError

__all__ = ["load_body", "validate_body"]


def load_body(path: str) -> Any:
    """The parsed content of ``path`` (``-`` for stdin); JSON first, then YAML.

    Errors name the file, the line and column and what is wrong (exit 2).
    """
    name = "<stdin>" if path == "-" else path
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{name}: not a UTF-8 text file") from None
    if not text.strip():
        raise UsageError(f"{name}: file is empty")
    stripped = text.lstrip()
    if stripped[:1] in "[{" or path.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(
                f"{name}: line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"
            ) from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise UsageError(f"{name}: {where}invalid YAML: {problem}") from None


def validate_body(model: type[Any] | None, body: Any, *, source: str) -> Any:
    """Check ``body`` against ``model`` (a pydantic model) and return it unchanged.

    The body is sent as written (unknown fields kept); validation only catches wrong types
    and missing required fields before anything is sent, naming the field.
    """
    if model is None:
        return body
    if not isinstance(body, dict):
        raise UsageError(f"{source}: expected a JSON object, got {type(body).__name__}")
    from pydantic import ValidationError

    try:
        model.model_validate(body)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err["loc"]) or "(body)"
            problems.append(f"{where}: {err['msg']}")
        raise UsageError(f"{source}: invalid body: " + "; ".join(problems)) from None
    return body
