"""Bad-input corpus: path values that would name another object (or none) are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_inputs import Case, check

from ofsc_cli.sandbox import ServerHandle

_DOTS = (".", "..")

CASES: list[Case] = [
    *(
        Case(
            f"activity-file-delete-{name}",
            ("core", "activities", "file", "delete", "4200010", value, "--yes"),
            2,
            stderr_has="nothing sent",
        )
        for name, value in (("dot", "."), ("dotdot", ".."), ("slash", "a/.."), ("empty", ""))
    ),
    *(
        Case(
            f"{kind}-file-delete-dot{i}",
            ("core", kind, "file", "delete", ident, value, "--yes"),
            2,
            stderr_has="nothing sent",
        )
        for kind, ident in (("users", "admin"), ("inventories", "5000001"))
        for i, value in enumerate(_DOTS)
    ),
    *(
        Case(f"get-{group}-{i}", (*group.split(), "get", value), 2, stderr_has="nothing sent")
        for group in ("metadata work-zones", "core resources", "core users", "metadata properties")
        for i, value in enumerate((".", "..", "", "a/b", "tab\there", "nl\nx"))
    ),
    *(
        Case(f"integer-id-{i}", ("core", "activities", "get", value), 2, stderr_has="integer")
        for i, value in enumerate(("abc", "True", "None", "1.5", "12a", "-", "1e3", "9" * 40))
    ),
    *(
        Case(f"api-path-{i}", ("api", method, path, *extra), 2, stderr_has="nothing sent")
        for i, (method, path) in enumerate(
            (
                ("DELETE", "/ofscCore/v1/users/admin/."),
                ("DELETE", "/ofscCore/v1/activities/4200010/.."),
                ("GET", "/ofscMetadata/v1/workZones/%2e"),
                ("PATCH", "/ofscCore/v1/resources//x"),
                ("GET", "/ofscCore/v1/users/a%0Ab"),
            )
        )
        for extra in ((), ("--no-validate",))
    ),
    Case(
        "long-label", ("metadata", "work-zones", "get", "L" * 100_000), 2, stderr_has="longer than"
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(case: Case, sandbox_server: ServerHandle, tmp_path: Path) -> None:
    check(case, sandbox_server, tmp_path)
