"""The conventions every command gets from its one declaration (ofsc_cli/cli/declare.py),
checked over the whole command tree and on small declared groups run for real."""

from __future__ import annotations

from typing import Any

import pytest
from typer import _click
from typer.testing import CliRunner

from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.declare import (
    Command,
    DeclaredCommand,
    Group,
    Opt,
    build,
)
from ofsc_cli.cli.errors import EXIT_CANCELLED
from ofsc_cli.cli.reference import commands, help_text
from ofsc_cli.client.api.statistics import Statistics

LEAVES = [(line, c) for line, c in commands(hidden=True) if isinstance(c, DeclaredCommand)]


def _options(command: _click.Command) -> dict[str, Any]:
    return {opt: p for p in command.params for opt in (*p.opts, *p.secondary_opts)}


def test_the_tree_is_all_declared() -> None:
    assert len(LEAVES) > 250


def test_every_list_option_accumulates() -> None:
    lists = [
        (line, p.key)
        for line, c in LEAVES
        for p in c.declaration.params
        if isinstance(p, Opt) and p.kind in ("list", "words")
    ]
    assert len(lists) > 20
    for line, command in LEAVES:
        for p in command.declaration.params:
            if isinstance(p, Opt) and p.kind in ("list", "words"):
                param = _options(command)[p.flag.split("/")[0]]
                assert param.multiple, f"{line} {p.flag}"


def test_every_writing_command_offers_dry_run_and_destructive_ones_confirm() -> None:
    for line, command in LEAVES:
        d = command.declaration
        opts = _options(command)
        if d.op is not None and d.op.spec.method != "GET":
            assert "--dry-run" in opts, line
        if d.confirm is not None:
            assert "--yes" in opts and "-y" in opts, line
        if d.op is not None and d.op.spec.method == "DELETE" and d.run is None:
            assert d.confirm is not None, f"{line}: a DELETE without confirmation"


def test_every_paged_command_has_the_list_options() -> None:
    paged = [(line, c) for line, c in LEAVES if c.declaration.pages]
    assert len(paged) > 30
    for line, command in paged:
        assert {"--all", "--limit", "--offset", "--concurrency"} <= set(_options(command)), line


def test_help_is_readable_everywhere() -> None:
    for line, command in commands(hidden=True):
        text = help_text(line, command)
        usage = text.splitlines()[0]
        assert "{" not in usage, line
        for bad in ("<str>", "<int>", "<float>", "<list", "[["):
            assert bad not in text, f"{line}: {bad}"
        counters = [row for row in text.splitlines() if "--verbose" in row]
        assert not any("[default" in row for row in counters), line
        if line != "ofsc":
            assert "--install-completion" not in text, line


def test_root_help_offers_completion_once_and_lists_choices_of_output() -> None:
    text = help_text("ofsc")
    assert text.count("--install-completion") == 1
    assert "table, json, ndjson, csv or yaml" in text


# -- run for real, through the root ---------------------------------------------------------


def _run(args: list[str], *, input: str | None = None, **obj: Any) -> Any:
    from ofsc_cli.cli._app import build_app

    context = AppContext(**obj)
    return CliRunner().invoke(build_app(), ["-p", "sandbox", *args], obj=context, input=input)


def test_repeated_list_options_accumulate() -> None:
    result = _run(
        [
            "capacity",
            "available",
            "--areas",
            "A",
            "--areas",
            "B, C",
            "--dates",
            "2026-11-16",
            "--dry-run",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "areas=A%2CB%2CC" in result.stdout or "areas=A,B,C" in result.stdout


def test_default_verb_runs_for_a_plain_argument() -> None:
    plain = _run(["core", "activities", "links", "4200002", "-o", "json"])
    spelled = _run(["core", "activities", "links", "list", "4200002", "-o", "json"])
    assert plain.exit_code == spelled.exit_code == 0, plain.output
    assert plain.stdout == spelled.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "core",
                "resources",
                "plans",
                "get",
                "TECH-0001",
                "--date-from",
                "2026-02-30",
                "--date-to",
                "2026-03-01",
            ],
            "YYYY-MM-DD",
        ),
        (["statistics", "airline-distance-travel", "get", "--level", "region"], "region"),
        (["statistics", "activity-travel", "get", "--limit", "0"], "--limit"),
        (["capacity", "available", "--areas", " , ", "--dates", "2026-11-16"], "at least one"),
    ],
)
def test_values_are_checked_before_anything_is_sent(args: list[str], message: str) -> None:
    result = _run(args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_destructive_verb_refuses_without_yes_off_a_terminal() -> None:
    result = _run(["metadata", "work-skills", "delete", "FIBER_INST"])
    assert result.exit_code == 2
    assert "refusing without --yes" in result.output


def test_a_declined_confirmation_says_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AppContext, "interactive", property(lambda self: True))
    result = _run(["metadata", "work-skills", "delete", "FIBER_INST"], input="n\n")
    assert result.exit_code == EXIT_CANCELLED, result.output
    assert "cancelled" in result.output


def test_enumerated_values_complete() -> None:
    from ofsc_cli.cli._app import build_app

    words = "ofsc statistics airline-distance-travel get --level "
    variables = {
        "_OFSC_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split())),
    }
    result = CliRunner().invoke(build_app(), [], env=variables, prog_name="ofsc")
    assert result.stdout.split() == ["company", "travelkey"]


def test_an_example_must_start_with_ofsc() -> None:

    declared = Command("y", "Y.", "x y", op=Statistics.get_activity_travel_stats)
    with pytest.raises(ValueError, match="example"):
        build(Group("x", "X.", (declared,)))
